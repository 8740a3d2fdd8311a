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

from ..i18n import Message, Text, message_dicts, named

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
            "reasons_i18n": message_dicts(self.reasons),
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
    kind = Message(
        "minewater.kind.net_acidic" if net_acidic else "minewater.kind.net_alkaline",
        {"acidity": net_acidity_mg_L},
    )

    def land(option: str, v: Verdict) -> None:
        if land_m2 is not None and passive_area_m2 and option in passive_area_m2:
            need = passive_area_m2[option]
            if need > land_m2:
                v.admissible = False
                v.reasons.append(Text.of("minewater.rule.land", need=need, land=land_m2))

    def passive(v: Verdict) -> None:
        """A passive option's verdict is complete: the acid-load and land rules, then kept."""
        load_rule(v)
        land(v.option, v)
        out.append(v)

    def load_rule(v: Verdict) -> None:
        if too_big:
            v.admissible = False
            v.reasons.append(
                Text.of("minewater.rule.acid_load", load=load, max_load=acid_load_max_kg_d)
            )

    # 1-2: anoxic limestone drain
    v = Verdict("ald", True, "primary")
    if not net_acidic:
        v.admissible = False
        v.reasons.append(Text.of("minewater.rule.no_alkalinity_needed", kind=kind))
    else:
        v.reasons.append(Text.of("minewater.rule.water_is", kind=kind))
        for key, val in (("DO", do), ("Fe(III)", fe3), ("Al", al)):
            name = named("param", key)
            if val is None:
                v.admissible = False
                v.reasons.append(
                    Text.of("minewater.rule.ald_not_measured", name=name, limit=ALD_LIMIT_MG_L)
                )
            elif val >= ALD_LIMIT_MG_L:
                v.admissible = False
                v.reasons.append(
                    Text.of(
                        "minewater.rule.ald_too_high", name=name, value=val, limit=ALD_LIMIT_MG_L
                    )
                )
            else:
                v.reasons.append(
                    Text.of("minewater.rule.ald_ok", name=name, value=val, limit=ALD_LIMIT_MG_L)
                )
    passive(v)

    # 3: VFP / SAPS and bioreactor for net-acidic water with oxygen, Fe(III) or Al
    for opt in ("vfp", "bioreactor"):
        v = Verdict(opt, net_acidic, "primary")
        v.reasons.append(
            Text.of(
                "minewater.rule.water_is" if net_acidic else "minewater.rule.no_alkalinity_needed",
                kind=kind,
            )
        )
        if net_acidic:
            v.reasons.append(Text.of("minewater.rule.anoxic_alkalinity"))
        passive(v)

    # limestone bed: acidic, low Fe and Al
    v = Verdict("limestone_bed", net_acidic, "primary")
    v.reasons.append(Text.of("minewater.rule.water_is", kind=kind))
    if net_acidic:
        for key, val in (("Fe", fe), ("Al", al)):
            name = named("param", key)
            if val is None:
                v.admissible = False
                v.reasons.append(
                    Text.of(
                        "minewater.rule.bed_not_measured",
                        name=name,
                        limit=LIMESTONE_BED_FE_AL_MAX_MG_L,
                    )
                )
            elif val >= LIMESTONE_BED_FE_AL_MAX_MG_L:
                v.admissible = False
                v.reasons.append(Text.of("minewater.rule.bed_armour", name=name, value=val))
    else:
        v.reasons.append(Text.of("minewater.rule.no_alkalinity_rule1"))
    passive(v)

    # aerobic wetland: primary for net-alkaline water, polishing after alkalinity otherwise
    v = Verdict("wetland", True, "primary" if not net_acidic else "polishing")
    v.reasons.append(
        Text.of("minewater.rule.wetland_primary")
        if not net_acidic
        else Text.of("minewater.rule.wetland_polishing")
    )
    passive(v)

    # 4: Mn bed
    v = Verdict("mn_bed", True, "polishing")
    if mn is None:
        v.admissible = False
        v.reasons.append(Text.of("minewater.rule.mn_not_measured"))
    elif mn_limit_mg_L is not None and mn <= mn_limit_mg_L:
        v.admissible = False
        v.reasons.append(Text.of("minewater.rule.mn_meets", mn=mn, limit=mn_limit_mg_L))
    else:
        v.reasons.append(
            Text.of("minewater.rule.mn_bed", mn=mn)
            if mn_limit_mg_L is None
            else Text.of("minewater.rule.mn_bed_above", mn=mn, limit=mn_limit_mg_L)
        )
    land("mn_bed", v)
    out.append(v)

    # 5: active options are always admissible
    for opt in ACTIVE:
        v = Verdict(opt, True, "active", [Text.of("minewater.rule.active")])
        if opt in ("caustic",) and ph is not None and ph < 3.0 and load > 500:
            v.reasons.append(Text.of("minewater.rule.caustic_dear"))
        out.append(v)
    return out
