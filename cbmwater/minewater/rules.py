"""Which mine-water treatment options are admissible, and why: the Hedin/Skousen flowchart as rules.

The flowchart (Hedin et al. 1994, USBM IC 9389; Skousen et al. 1998, ADTI "Handbook of
technologies for avoidance and remediation of acid mine drainage"; Watzlaf et al. 2004, as
summarised in the project's AMDTreat reference notes, amd.md §(c), status M):

1. Net-alkaline water: aeration, settling pond and an aerobic wetland; no alkalinity needs to be
   added, so an anoxic limestone drain is never chosen (it would only add cost).
2. Net-acidic water with dissolved oxygen, Fe(III) and Al each below 1 mg/L: an anoxic limestone
   drain (ALD), then pond and wetland.  Above 1 mg/L, armouring by Fe(III) hydroxide and clogging
   by Al hydroxide end an ALD's life, so it is not admissible; a parameter not measured counts as
   failing the test (never assumed low).
3. Other net-acidic water: a vertical-flow pond (VFP / SAPS) or a sulfate-reducing bioreactor,
   then pond and wetland; a limestone bed for acidic water with little Fe and Al.
4. Mn above the limit after the main step: a Mn removal bed (only on net-alkaline water).
5. A load too high for the land available (or above a stated acid-load threshold): active
   treatment (caustic soda, hydrated lime, quicklime, lime slurry), always admissible.

Every option gets a verdict with the reasons that decided it, so a regulator can follow it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "Verdict",
    "admissible_options",
    "PASSIVE",
    "ACTIVE",
    "OPTIONS",
    "PASSIVE_ACID_LOAD_MAX_KG_D",
]

PASSIVE = ("ald", "vfp", "limestone_bed", "bioreactor", "wetland", "mn_bed")
ACTIVE = ("caustic", "hydrated_lime", "quicklime", "lime_slurry")
OPTIONS = PASSIVE + ACTIVE
#: Treatment systems a mine-water plan chooses among (the primary passive units, an aerobic
#: pond/wetland system, or an active reagent plant).
SYSTEMS = ("aerobic", "ald", "vfp", "bioreactor", "limestone_bed") + ACTIVE

#: Acid load (kg CaCO3/d) above which passive systems are ruled out as impractical. Assumption [U]:
#: at the VFP design rate of 20-35 g acidity/m2/d (amd.md §(c)) 150 kg/d needs 0.4-0.75 ha of
#: pond, about the most a closed-mine valley site offers; a case may set its own threshold.
PASSIVE_ACID_LOAD_MAX_KG_D = 150.0
ALD_LIMIT_MG_L = 1.0  # DO, Fe(III), Al each below this for an ALD (amd.md §(c), status M)
LIMESTONE_BED_FE_AL_MAX_MG_L = 2.0  # oxic limestone beds armour with Fe/Al hydroxides [U]


@dataclass
class Verdict:
    """Whether an option is admissible for a water, with the reasons (in English)."""

    option: str
    admissible: bool
    role: str  # primary | polishing | active
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "option": self.option,
            "admissible": self.admissible,
            "role": self.role,
            "reasons": self.reasons,
        }


def _val(water: Mapping[str, float | None], key: str) -> float | None:
    v = water.get(key)
    if v is None:
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def admissible_options(
    water: Mapping[str, float | None],
    net_acidity_mg_L: float,
    *,
    flow_m3_d: float,
    mn_limit_mg_L: float | None = None,
    land_m2: float | None = None,
    passive_area_m2: Mapping[str, float] | None = None,
    acid_load_max_kg_d: float = PASSIVE_ACID_LOAD_MAX_KG_D,
) -> list[Verdict]:
    """Apply the flowchart to one discharge.

    Parameters
    ----------
    water : mapping
        Canonical mg/L (``DO``, ``Fe3``, ``Al``, ``Mn``, ``Fe``...), ``pH``.  Missing keys are
        *not measured*.
    net_acidity_mg_L : float
        Net acidity, mg/L as CaCO3 (negative: net alkaline), e.g. from
        :mod:`cbmwater.minewater.acidity`.
    flow_m3_d : float
        Design flow, m3/d (for the acid load).
    mn_limit_mg_L : float, optional
        Mn the effluent must meet (decides whether a Mn bed is needed).
    land_m2, passive_area_m2 : optional
        Land available at the site and the footprint each passive option would need; an option
        larger than the land is not admissible.
    acid_load_max_kg_d : float
        Passive systems are ruled out above this acid load (kg CaCO3/d).

    Returns
    -------
    list of Verdict
        One per option of :data:`OPTIONS`.
    """
    out: list[Verdict] = []
    net_acidic = net_acidity_mg_L > 0
    load = max(net_acidity_mg_L, 0.0) * flow_m3_d / 1000.0
    too_big = load > acid_load_max_kg_d
    do, fe3, al, mn = (_val(water, k) for k in ("DO", "Fe3", "Al", "Mn"))
    fe = _val(water, "Fe")
    ph = _val(water, "pH")
    kind = (
        f"net acidic ({net_acidity_mg_L:.1f} mg/L CaCO3)"
        if net_acidic
        else f"net alkaline (net acidity {net_acidity_mg_L:.1f} mg/L CaCO3)"
    )

    def land(option: str, v: Verdict) -> None:
        if land_m2 is not None and passive_area_m2 and option in passive_area_m2:
            need = passive_area_m2[option]
            if need > land_m2:
                v.admissible = False
                v.reasons.append(f"needs {need:,.0f} m2 of land; the site has {land_m2:,.0f} m2")

    def passive(v: Verdict) -> None:
        """A passive option's verdict is complete: the acid-load and land rules, then kept."""
        load_rule(v)
        land(v.option, v)
        out.append(v)

    def load_rule(v: Verdict) -> None:
        if too_big:
            v.admissible = False
            v.reasons.append(
                f"acid load {load:.0f} kg CaCO3/d exceeds {acid_load_max_kg_d:g} kg/d, "
                "the most a passive system is taken to handle: active treatment"
            )

    # 1-2: anoxic limestone drain
    v = Verdict("ald", True, "primary")
    if not net_acidic:
        v.admissible = False
        v.reasons.append(f"water is {kind}: no alkalinity needs to be added (rule 1)")
    else:
        v.reasons.append(f"water is {kind}")
        for name, val in (("DO", do), ("Fe(III)", fe3), ("Al", al)):
            if val is None:
                v.admissible = False
                v.reasons.append(
                    f"{name} not measured: an ALD needs {name} < {ALD_LIMIT_MG_L:g} mg/L (rule 2)"
                )
            elif val >= ALD_LIMIT_MG_L:
                v.admissible = False
                v.reasons.append(
                    f"{name} {val:g} mg/L >= {ALD_LIMIT_MG_L:g}: armouring/clogging "
                    "of the limestone (rule 2)"
                )
            else:
                v.reasons.append(f"{name} {val:g} mg/L < {ALD_LIMIT_MG_L:g}")
    passive(v)

    # 3: VFP / SAPS and bioreactor for net-acidic water with oxygen, Fe(III) or Al
    for opt in ("vfp", "bioreactor"):
        v = Verdict(opt, net_acidic, "primary")
        v.reasons.append(
            f"water is {kind}"
            + ("" if net_acidic else ": no alkalinity needs to be added (rule 1)")
        )
        if net_acidic:
            v.reasons.append(
                "adds alkalinity under anoxic conditions; tolerates DO, Fe(III) and Al (rule 3)"
            )
        passive(v)

    # limestone bed: acidic, low Fe and Al
    v = Verdict("limestone_bed", net_acidic, "primary")
    v.reasons.append(f"water is {kind}")
    if net_acidic:
        for name, val in (("Fe", fe), ("Al", al)):
            if val is None:
                v.admissible = False
                v.reasons.append(
                    f"{name} not measured: an oxic limestone bed needs little "
                    f"{name} (< {LIMESTONE_BED_FE_AL_MAX_MG_L:g} mg/L)"
                )
            elif val >= LIMESTONE_BED_FE_AL_MAX_MG_L:
                v.admissible = False
                v.reasons.append(f"{name} {val:g} mg/L would armour an oxic limestone bed")
    else:
        v.reasons.append("no alkalinity needs to be added (rule 1)")
    passive(v)

    # aerobic wetland: primary for net-alkaline water, polishing after alkalinity otherwise
    v = Verdict("wetland", True, "primary" if not net_acidic else "polishing")
    v.reasons.append(
        ("water is net alkaline: aeration, settling pond and aerobic wetland remove Fe (rule 1)")
        if not net_acidic
        else "polishing step after an alkalinity-producing system (rules 2-3)"
    )
    passive(v)

    # 4: Mn bed
    v = Verdict("mn_bed", True, "polishing")
    if mn is None:
        v.admissible = False
        v.reasons.append("Mn not measured")
    elif mn_limit_mg_L is not None and mn <= mn_limit_mg_L:
        v.admissible = False
        v.reasons.append(
            f"Mn {mn:g} mg/L already meets {mn_limit_mg_L:g} mg/L: not needed (rule 4)"
        )
    else:
        v.reasons.append(
            f"Mn {mn:g} mg/L"
            + (f" above {mn_limit_mg_L:g} mg/L" if mn_limit_mg_L is not None else "")
            + ": removed on a limestone bed after Fe is gone and the water is net "
            "alkaline (rule 4)"
        )
    land("mn_bed", v)
    out.append(v)

    # 5: active options are always admissible
    for opt in ACTIVE:
        v = Verdict(opt, True, "active", ["active treatment works at any load and land (rule 5)"])
        if opt in ("caustic",) and ph is not None and ph < 3.0 and load > 500:
            v.reasons.append(
                "at this acidity caustic soda is usually dearer than lime (AMDTreat "
                "practice); kept admissible, the cost decides"
            )
        out.append(v)
    return out
