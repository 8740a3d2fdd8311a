"""Neutralisation of acid mine water by PHREEQC titration: dose, curve, effluent and sludge.

What this does, as PHREEQ-N-AMDTreat's caustic titration does (Cravotta 2021, *Applied
Geochemistry* 126:104845; Cravotta et al. 2015, *Mine Water Environ.* 34:136-152): a water is
titrated in PHREEQC with one reagent — NaOH, Ca(OH)2, CaO, CaCO3 or Na2CO3 — and the dose that
brings it to a target pH after the metals have precipitated is found, with the titration curve,
the effluent chemistry at the target and the sludge.

The model (also returned with every result, ``Neutralisation.model``)
----------------------------------------------------------------------
* **One batch equilibrium per dose.**  For each dose the raw water, the aeration O2, the reagent
  and the solids allowed to precipitate reach equilibrium together (PHREEQC ``REACTION`` steps,
  each from the raw water: ``INCREMENTAL_REACTIONS`` false), and the solids stay in contact.
  Doses are per litre of raw water of the pure compound.
* **Aeration before dosing.**  A fraction ``fe_oxidised_fraction`` (default 1.0) of the Fe(II)
  is oxidised to Fe(III) by adding O2 *stoichiometrically* — 1/4 mol O2 per mol of Fe(II) to
  oxidise (``EQUILIBRIUM_PHASES O2(g) -0.68`` limited to that amount, so it all dissolves and
  PHREEQC's redox equilibrium does the oxidation; 0.01 % is held back so that no free O2 is left
  to oscillate the redox solver).  This keeps the proton balance of the real reaction
  (Fe2+ + 1/4 O2 + H+ -> Fe3+ + 1/2 H2O): re-speciating Fe(II) as Fe(III) in the SOLUTION input
  instead would skip the H+ the oxidation consumes and overstate the base demand by 1 eq per mol
  of Fe oxidised.  O2 is never in excess, so **Mn stays Mn(II)** (no oxidant is dosed):
  Mn leaves the water only as Pyrochroite Mn(OH)2 (Rhodochrosite MnCO3 if chosen), which needs
  pH ~9.5-10 — the curve and the effluent show this.  The Fe(II) not oxidised stays dissolved
  (Siderite FeCO3 may be allowed).
* **Phases allowed to precipitate** (never to dissolve: they start at 0) — by default
  :data:`DEFAULT_PRECIPITATES`: Fe(OH)3(a); Al(OH)3(a), the amorphous hydroxide that forms in
  neutralisation (it leaves ~0.3-3 mg/L Al dissolved at pH 7-8 and redissolves as aluminate
  above pH ~8-9, sooner the less Al there is; ``Gibbsite`` may be chosen instead: it is 2.7 log
  units less soluble and removes 1 mg/L of Al from pH ~4 to ~10); Pyrochroite Mn(OH)2; Gypsum;
  Calcite.  Rhodochrosite,
  Manganite, Siderite and Brucite are optional (:data:`PHASES`); they are left out by default
  because their precipitation is slow in a treatment plant (rhodochrosite would take Mn out near
  pH 8 in a CO2-rich water, against plant experience).  Only phases the database defines are
  used (all of these are in phreeqc.dat and wateq4f.dat; phreeqc.dat lacks Brucite, which is
  then defined with wateq4f.dat's constants).  For CaCO3 Calcite is always in the assemblage:
  limestone cannot dissolve beyond calcite saturation, so its titration curve levels off.
* **CO2 exchange** (``co2``): ``"closed"`` (default: no gas exchange during aeration or dosing —
  the inorganic carbon of the analysis and of a carbonate reagent stays in the water; the
  conservative choice for dose, and right for a reaction tank with minutes of contact);
  ``"degassed"`` (the raw water is first equilibrated with CO2(g) at ``log_pco2`` — aeration
  strips the excess CO2 — then closed while dosing); ``"open"`` (equilibrium with CO2(g) at
  ``log_pco2`` throughout, as in a limestone channel or a long open pond: calcium reagents are
  then held near pH 8 by calcite + CO2 and high-pH targets become unreachable).  Default
  ``log_pco2`` = -3.4 (atmosphere).
* **Reaching the target.**  The dose is found on the titration curve and refined on finer grids
  (each a PHREEQC run of REACTION steps) to a bracket of 1e-5 of the dose, then interpolated;
  the final run has the curve (40 doses from 0 to twice the target dose) and the target dose as
  its steps, and that input is returned (``Neutralisation.phreeqc_input``) so PHREEQC itself
  reproduces every reported number.  A target the reagent cannot reach raises
  :class:`~cbmwater.errors.InputError` naming the highest pH reached: a level stretch of the
  curve is taken as a ceiling only where the buffer is unlimited (limestone at calcite
  saturation; CO2(g) with ``"open"``), otherwise the dose range grows (x3 at a time) up to
  2000 mmol/L first.
* **Per litre.**  PHREEQC works per kg of water; 1 kg of water is ``s`` litres of raw water,
  with ``s`` read from PHREEQC's own conversion of the analysis (``s = 1 / (1 - TDS)`` at
  density 1 kg/L).  Every dose, concentration and solid is reported per litre of raw water.

Sludge
------
Dry sludge = the moles each phase gained (PHREEQC's equilibrium-phase deltas) x its molar mass,
in mg/L of water treated (= g/m3).  Its volume at a solids mass fraction ``p`` uses AMDTreat's
rule (Ponds module; the project's AMDTreat reference notes, amd.md): wet density =
SG / (SG - p (SG - 1)) x water density (8.34 lb/gal = 0.9994 kg/L), with the solids' specific gravity SG of the mixture
by volume additivity (``1/SG = sum w_i / SG_i``) from :data:`PHASES` — AMDTreat's values for
Fe(OH)3 4.25, Al(OH)3 2.42 and Mn solids 3.3 (AMDTreat: 3.258-3.528), handbook mineral densities
for the others (gypsum 2.32, calcite 2.71, siderite 3.96, brucite 2.39; Anthony et al.,
*Handbook of Mineralogy*).  Low-density sludge (conventional lime, 1-5 % solids: default 3 %)
and high-density sludge (HDS recycle, 20-30 %: default 25 %) are reported side by side.

Mg(OH)2 (brucite) is not precipitated by default, so the dose to pH > ~10 for a water rich in
Mg is a lower bound; Fe(OH)2 is in neither shipped database, so unoxidised Fe(II) is removed
only as siderite when that is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import GeochemError, InputError
from ..geochem.databases import DatabaseInfo, database_info
from ..geochem.engine import MISSING_SI, get_engine
from ..geochem.phreeqc_input import fmt, phreeqc_element, redox_definitions, solution_block
from ..i18n import Message, Text, joined, message_dicts, message_of
from ..water.analysis import AnalysisSet
from ..water.phases import SUBSTANCES as PHASE_TABLE
from ..water.phases import Substance
from ..water.vocabulary import CACO3_G_EQ, CONSTITUENTS, molar_mass
from .acidity import alkalinity_mg_L_CaCO3, calculated_acidity, iron_split

__all__ = [
    "Reagent",
    "REAGENTS",
    "PhaseInfo",
    "PHASES",
    "DEFAULT_PRECIPITATES",
    "CO2_MODES",
    "ATMOSPHERIC_LOG_PCO2",
    "WATER_DENSITY_KG_L",
    "DEFAULT_SOLIDS_FRACTION",
    "Neutralisation",
    "neutralise",
    "neutralise_sample",
    "titration_curve",
    "sludge_density_kg_L",
    "sludge_volume_L_per_m3",
]


#: A neutralising reagent: a row of :data:`cbmwater.water.phases.REAGENTS` (``formula``,
#: ``molar_mass`` g/mol, ``eq_per_mol`` acid neutralised per mole titrated to CO2, ``name_en``).
Reagent = Substance
#: A solid that may precipitate: a row of :data:`cbmwater.water.phases.MINERALS` (``molar_mass``,
#: ``specific_gravity`` and ``sg_source`` for the sludge volume, ``label``).
PhaseInfo = Substance

#: Reagents cbmwater can titrate with (name -> :class:`Reagent`).
REAGENTS: dict[str, Reagent] = {
    f: PHASE_TABLE[f] for f in ("NaOH", "Ca(OH)2", "CaO", "CaCO3", "Na2CO3")
}
#: Solids that may be allowed to precipitate (PHREEQC phase name -> :class:`PhaseInfo`).
PHASES: dict[str, PhaseInfo] = {
    p: PHASE_TABLE[p]
    for p in (
        "Fe(OH)3(a)",
        "Al(OH)3(a)",
        "Gibbsite",
        "Pyrochroite",
        "Rhodochrosite",
        "Manganite",
        "Gypsum",
        "Calcite",
        "Siderite",
        "Brucite",
    )
}
#: Phases allowed to precipitate unless the caller chooses otherwise.
DEFAULT_PRECIPITATES: tuple[str, ...] = (
    "Fe(OH)3(a)",
    "Al(OH)3(a)",
    "Pyrochroite",
    "Gypsum",
    "Calcite",
)
#: CO2 exchange options (see the module docstring).
CO2_MODES: tuple[str, ...] = ("closed", "degassed", "open")
#: log10 of the atmospheric CO2 partial pressure, atm.
ATMOSPHERIC_LOG_PCO2 = -3.4
#: log10 of the O2 partial pressure of air, atm (0.21 atm).
_AIR_LOG_PO2 = -0.68
#: Water density AMDTreat uses (8.34 lb/gal), kg/L.
WATER_DENSITY_KG_L = 8.34 * 0.45359237 / 3.785411784
#: Solids mass fraction of low- and high-density sludge (defaults).
DEFAULT_SOLIDS_FRACTION: dict[str, float] = {"LDS": 0.03, "HDS": 0.25}
#: Saturation indices reported with the effluent (when the database has the phase).
SI_REPORTED: tuple[str, ...] = (
    "Fe(OH)3(a)",
    "Al(OH)3(a)",
    "Gibbsite",
    "Pyrochroite",
    "Rhodochrosite",
    "Manganite",
    "Siderite",
    "Gypsum",
    "Calcite",
    "Brucite",
    "CO2(g)",
)
#: Phases some databases lack, with the definition of the phases table (wateq4f.dat constants).
_EXTRA_PHASES = {p: s.definition for p, s in PHASES.items() if s.definition}
_KNOBS_PATIENT = "KNOBS\n    -iterations 400\n    -step_size 10\n    -pe_step_size 5\n"
_KNOBS_DEFAULT = "KNOBS\n    -iterations 100\n    -step_size 100\n    -pe_step_size 10\nEND\n"
#: Share of the stoichiometric O2 held back (see the module docstring).
_O2_MARGIN = 1e-4
_CURVE_POINTS = 40
_MAX_DOSE_MMOL_L = 2000.0
_TARGET_RANGE = (3.0, 12.5)
_DISSOLVED = tuple(
    n
    for n, c in CONSTITUENTS.items()
    if c.phreeqc is not None and c.kind not in ("aggregate", "property")
)


def sludge_density_kg_L(
    specific_gravity: float, solids_fraction: float, water_density_kg_L: float = WATER_DENSITY_KG_L
) -> float:
    """Wet sludge density, kg/L: ``SG / (SG - p (SG - 1)) x water density`` (AMDTreat).

    Parameters
    ----------
    specific_gravity : float
        Of the dry solids (water = 1).
    solids_fraction : float
        Mass fraction of dry solids in the wet sludge, 0 < p < 1.
    """
    sg, p = float(specific_gravity), float(solids_fraction)
    if not 0 < p < 1:
        raise InputError(Text.of("minewater.error.solids_fraction_range", p=repr(p)))
    if sg <= 0:
        raise InputError(Text.of("minewater.error.sg_positive", sg=repr(sg)))
    return sg / (sg - p * (sg - 1.0)) * water_density_kg_L


def sludge_volume_L_per_m3(
    dry_mg_L: float,
    specific_gravity: float,
    solids_fraction: float,
    water_density_kg_L: float = WATER_DENSITY_KG_L,
) -> float:
    """Wet sludge volume, L per m3 of water treated.

    ``dry (kg/m3) / p / density (kg/L)`` with ``dry kg/m3 = mg/L / 1000``.
    """
    return (
        float(dry_mg_L)
        / 1000.0
        / float(solids_fraction)
        / sludge_density_kg_L(specific_gravity, solids_fraction, water_density_kg_L)
    )


@dataclass
class Neutralisation:
    """Result of :func:`neutralise` (all concentrations per litre of raw water).

    Attributes
    ----------
    sample_id : str or None
    reagent : str
    target_pH : float
    dose_mmol_L, dose_mg_L, dose_meq_L : float
        Reagent (pure compound) to reach ``target_pH``; meq counts ``Reagent.eq_per_mol``.
    achieved_pH : float
        pH PHREEQC gives at ``dose_mmol_L`` (equal to the target within 0.005).
    raw_pH : float
        pH of the analysis.
    aerated_pH : float
        pH after aeration and precipitation with no reagent (dose 0).
    curve : DataFrame
        ``dose_mmol_L``, ``dose_mg_L``, ``pH`` and dissolved ``Fe``, ``Al``, ``Mn`` (mg/L) at
        every step (>= 40 points from 0 to twice the target dose, and the target dose).
    effluent : dict
        Canonical name -> mg/L at the target dose, ``pH``, ``alkalinity_CaCO3`` (mg/L CaCO3) and
        the effluent's ``acidity_calc_mg_L_CaCO3`` and ``net_acidity_mg_L_CaCO3``.
    saturation_indices : dict
        Phase -> SI at the target dose (``CO2(g)``: log pCO2); None where not defined.
    sludge_phases : dict
        Phase -> {"mmol_L", "mg_L", "specific_gravity", "label"} of what precipitated.
    sludge_dry_mg_L : float
        Sum of the phases, mg/L (= g/m3 of water treated).
    sludge_volumes : dict
        ``"LDS"`` / ``"HDS"`` -> {"solids_fraction", "density_kg_L", "volume_L_per_m3"} (and
        ``"volume_m3_d"`` with a flow).
    sludge_specific_gravity : float
        Of the dry solids mixture (NaN with no sludge).
    flow_m3_d : float or None
    model : dict
        The model assumptions (see the module docstring).
    notes : list of str
    phreeqc_input : str
        The PHREEQC input (.pqi) of the final run: the curve and the target dose.
    database : str
    database_sha256 : str
    """

    sample_id: str | None
    reagent: str
    target_pH: float
    dose_mmol_L: float
    dose_mg_L: float
    dose_meq_L: float
    achieved_pH: float
    raw_pH: float
    aerated_pH: float
    curve: pd.DataFrame
    effluent: dict[str, float]
    saturation_indices: dict[str, float | None]
    sludge_phases: dict[str, dict[str, object]]
    sludge_dry_mg_L: float
    sludge_volumes: dict[str, dict[str, float]]
    sludge_specific_gravity: float
    flow_m3_d: float | None
    model: dict[str, object]
    notes: list[str] = field(default_factory=list)
    phreeqc_input: str = ""
    database: str = ""
    database_sha256: str = ""

    @property
    def reagent_kg_d(self) -> float | None:
        """Pure reagent, kg/d (``dose mg/L x flow m3/d / 1000``); None without a flow."""
        return None if self.flow_m3_d is None else self.dose_mg_L * self.flow_m3_d / 1000.0

    @property
    def sludge_dry_kg_d(self) -> float | None:
        """Dry sludge, kg/d; None without a flow."""
        return None if self.flow_m3_d is None else self.sludge_dry_mg_L * self.flow_m3_d / 1000.0

    def as_dict(self) -> dict:
        """JSON-ready dict of every result, the model and the PHREEQC input."""

        def clean(v: object) -> Any:
            if isinstance(v, dict):
                return {str(k): clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            if isinstance(v, (float, np.floating)):
                return None if not math.isfinite(float(v)) else float(v)
            if isinstance(v, np.integer):
                return int(v)
            return v

        r = REAGENTS[self.reagent]
        return clean(
            {
                "sample_id": self.sample_id,
                "reagent": self.reagent,
                "reagent_formula": r.formula,
                "reagent_label": r.name_en,
                "reagent_molar_mass_g_mol": r.molar_mass,
                "target_pH": self.target_pH,
                "dose_mmol_L": self.dose_mmol_L,
                "dose_mg_L": self.dose_mg_L,
                "dose_meq_L": self.dose_meq_L,
                "achieved_pH": self.achieved_pH,
                "raw_pH": self.raw_pH,
                "aerated_pH": self.aerated_pH,
                "flow_m3_d": self.flow_m3_d,
                "reagent_kg_d": self.reagent_kg_d,
                "curve": self.curve.to_dict(orient="records"),
                "effluent": self.effluent,
                "saturation_indices": self.saturation_indices,
                "sludge_phases": self.sludge_phases,
                "sludge_dry_mg_L": self.sludge_dry_mg_L,
                "sludge_dry_kg_d": self.sludge_dry_kg_d,
                "sludge_specific_gravity": self.sludge_specific_gravity,
                "sludge_volumes": self.sludge_volumes,
                "model": self.model,
                # the model's descriptions as messages (equilibrium, aeration, manganese, CO2,
                # sludge), for a face to show in the user's language
                "model_i18n": {
                    k: message_of(v).to_dict() for k, v in self.model.items() if isinstance(v, Text)
                },
                "notes": list(self.notes),
                "notes_i18n": message_dicts(self.notes),
                "database": self.database,
                "database_sha256": self.database_sha256,
                "phreeqc_input": self.phreeqc_input,
            }
        )


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------


def _reagent(name: str) -> Reagent:
    r = REAGENTS.get(str(name))
    if r is None:
        folded = {k.casefold(): k for k in REAGENTS}
        hint = folded.get(str(name).casefold().replace(" ", ""))
        raise InputError(
            Text.of(
                "minewater.error.unknown_reagent",
                name=repr(name),
                allowed=joined(REAGENTS),
                hint=Message("minewater.error.did_you_mean", {"name": hint}) if hint else "",
            ),
            column="reagent",
            value=name,
        )
    return r


def _sample_values(sample: Mapping[str, object] | pd.Series) -> dict[str, float]:
    vals: dict[str, float] = {}
    items = sample.items() if isinstance(sample, (Mapping, pd.Series)) else None
    if items is None:
        raise InputError(Text.of("minewater.error.sample_not_mapping"))
    for k, v in items:
        k = str(k)
        if k in ("sample_id", "notes", "well", "block", "seam", "sampled_on"):
            continue
        if k not in CONSTITUENTS:
            raise InputError(
                Text.of(
                    "minewater.error.unknown_constituent",
                    name=repr(k),
                    allowed=joined(CONSTITUENTS),
                ),
                column=k,
            )
        if v is None:
            continue
        try:
            x = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InputError(Text.of("minewater.error.not_a_number"), column=k, value=v) from None
        if math.isnan(x):
            continue
        if not math.isfinite(x) or x < 0:
            raise InputError(Text.of("minewater.error.not_non_negative"), column=k, value=v)
        vals[k] = x
    if "pH" not in vals:
        raise InputError(Text.of("minewater.error.ph_required_titration"), column="pH")
    if not 0 < vals["pH"] < 14:
        raise InputError(Text.of("minewater.error.ph_range"), column="pH", value=vals["pH"])
    return vals


def _precipitates(
    precipitates: tuple[str, ...] | list[str] | None, reagent: Reagent, db: DatabaseInfo
) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    chosen = list(DEFAULT_PRECIPITATES if precipitates is None else precipitates)
    unknown = [p for p in chosen if p not in PHASES]
    if unknown:
        raise InputError(
            Text.of(
                "minewater.error.unknown_precipitates",
                names=joined(map(repr, unknown)),
                allowed=joined(map(_phase_name, PHASES)),
            ),
            column="precipitates",
        )
    if len(set(chosen)) != len(chosen):
        chosen = list(dict.fromkeys(chosen))
    absent = [p for p in chosen if p not in db.phases and p not in _EXTRA_PHASES]
    if absent:
        if precipitates is None:
            notes.append(
                Text.of("minewater.neut.phases_absent", database=db.name, phases=joined(absent))
            )
            chosen = [p for p in chosen if p not in absent]
        else:
            raise InputError(
                Text.of(
                    "minewater.error.phases_not_defined",
                    database=db.name,
                    phases=joined(map(_phase_name, absent)),
                ),
                column="precipitates",
            )
    if reagent.name == "CaCO3" and "Calcite" not in chosen:
        chosen.append("Calcite")
        notes.append(Text.of("minewater.neut.calcite_added"))
    if "Gibbsite" in chosen and "Al(OH)3(a)" in chosen:
        notes.append(Text.of("minewater.neut.gibbsite_controls"))
    return chosen, notes


# --------------------------------------------------------------------------------------------
# PHREEQC
# --------------------------------------------------------------------------------------------


@dataclass
class _Setup:
    db: DatabaseInfo
    values: dict[str, float]  # canonical mg/L as entered in PHREEQC (Fe split)
    reagent: Reagent
    precipitates: list[str]
    co2: str
    log_pco2: float
    fe_fraction: float
    solution: str  # SOLUTION 1 block
    totals: list[tuple[str, str]]  # (canonical name, PHREEQC element) reported
    si: list[str]
    extra_phases: str
    s: float = 1.0  # litres of raw water per PHREEQC system (1 kg water)
    o2_mol: float = 0.0  # O2 added per system
    raw_percent_error: float = float("nan")
    solution_notes: list[str] = field(default_factory=list)


def _run(text: str, db: DatabaseInfo) -> pd.DataFrame:
    """Run ``text``; on a convergence failure retry once with patient KNOBS (then restore)."""
    engine = get_engine(db.path)
    try:
        return engine.run(text)
    except GeochemError:
        try:
            return engine.run(_KNOBS_PATIENT + text + _KNOBS_DEFAULT)
        finally:
            engine.run(_KNOBS_DEFAULT)


def _selected_output(setup: _Setup) -> str:
    eq = list(setup.precipitates) + ["O2(g)"] + (["CO2(g)"] if setup.co2 != "closed" else [])
    lines = [
        "SELECTED_OUTPUT 1",
        "    -reset false",
        "    -simulation true",
        "    -state true",
        "    -reaction true",
        "    -pH true",
        "    -water true",
        "    -alkalinity true",
        "    -percent_error true",
        "    -totals " + " ".join(el for _, el in setup.totals),
        "    -equilibrium_phases " + " ".join(eq),
    ]
    if setup.si:
        lines.append("    -saturation_indices " + " ".join(setup.si))
    return "\n".join(lines) + "\n"


def _titration_input(setup: _Setup, doses_mmol_L: np.ndarray) -> str:
    """The PHREEQC input of one titration: REACTION steps at ``doses_mmol_L`` (per L)."""
    head = redox_definitions(setup.db) + _selected_output(setup)
    if setup.extra_phases:
        head += "PHASES\n" + setup.extra_phases
    parts = [head, setup.solution]
    n = 1
    if setup.co2 == "degassed":
        parts.append(
            f"EQUILIBRIUM_PHASES 1\n    CO2(g) {fmt(setup.log_pco2)} 10\n"
            "SAVE solution 2\nEND\nUSE solution 2\n"
        )
        n = 2
    eq = [f"EQUILIBRIUM_PHASES {n}"]
    if setup.o2_mol > 0:
        eq.append(f"    O2(g) {fmt(_AIR_LOG_PO2)} {fmt(setup.o2_mol)}")
    eq += [f"    {p} 0 0" for p in setup.precipitates]
    if setup.co2 == "open":
        eq.append(f"    CO2(g) {fmt(setup.log_pco2)} 10")
    parts.append("\n".join(eq) + "\n")
    mol = np.asarray(doses_mmol_L, dtype=float) * setup.s / 1000.0
    amounts = [fmt(m) for m in mol]
    rows = ["    " + " ".join(amounts[i : i + 8]) for i in range(0, len(amounts), 8)]
    parts.append(
        f"REACTION {n}\n    {setup.reagent.formula} 1\n" + "\n".join(rows) + " moles\nEND\n"
    )
    return "".join(parts)


def _steps(setup: _Setup, doses_mmol_L: np.ndarray) -> tuple[pd.DataFrame, str]:
    text = _titration_input(setup, doses_mmol_L)
    out = _run(text, setup.db)
    state = out["state"].astype(str).str.strip()
    last = out["sim"].max()
    react = out[(state == "react") & (out["sim"] == last)].reset_index(drop=True)
    if len(react) != len(doses_mmol_L):
        raise GeochemError(
            Text.of("minewater.error.titration_steps", steps=len(react), doses=len(doses_mmol_L))
        )
    return react, text


def _ph(setup: _Setup, doses: np.ndarray) -> np.ndarray:
    return np.array(_steps(setup, doses)[0]["pH"].to_numpy(float), copy=True)


def _prepare(
    values: dict[str, float],
    reagent: Reagent,
    precipitates: list[str],
    co2: str,
    log_pco2: float,
    fe_fraction: float,
    db: DatabaseInfo,
) -> _Setup:
    """SOLUTION block, reported totals, and (from a PHREEQC speciation of the raw water) the
    litres per system and the O2 of the aeration."""
    solution, sol_notes = solution_block(1, values, db)
    names = [n for n in _DISSOLVED if n in values and n not in ("Fe2", "Fe3")]
    for n in ("Ca",) if reagent.name in ("Ca(OH)2", "CaO", "CaCO3") else ("Na",):
        if n not in names:
            names.append(n)
    if any(n in values for n in ("Fe", "Fe2", "Fe3")):
        names = [n for n in names if n != "Fe"] + ["Fe", "Fe2", "Fe3"]
    if "Brucite" in precipitates and "Mg" not in names:
        names.append("Mg")
    totals = [(n, el) for n in names if (el := phreeqc_element(n, db)) is not None]
    extra = "".join(
        _EXTRA_PHASES[p] for p in precipitates if p not in db.phases and p in _EXTRA_PHASES
    )
    known = set(db.phases) | {p for p in _EXTRA_PHASES if p in precipitates}
    si = [p for p in SI_REPORTED if p in known]
    setup = _Setup(
        db, values, reagent, precipitates, co2, log_pco2, fe_fraction, solution, totals, si, extra
    )
    # speciation of the raw water alone: PHREEQC's mg/L -> mol/kgw conversion gives s
    els = [el for n, el in totals if n in values and values[n] > 0]
    text = (
        redox_definitions(db)
        + "SELECTED_OUTPUT 1\n    -reset false\n    -water true\n    -percent_error true\n"
        + (f"    -totals {' '.join(els)}\n" if els else "")
        + solution
        + "END\n"
    )
    try:
        out = _run(text, db)
    except GeochemError as exc:
        if "non-carbonate alkalinity" in str(exc):
            raise InputError(
                Text.of("minewater.error.cannot_speciate", pH=values["pH"]),
                column="alkalinity_CaCO3",
            ) from None
        raise
    row = out.iloc[-1]
    setup.raw_percent_error = float(row["pct_err"])
    ratios = []
    for n, el in totals:
        if n in values and values[n] > 0 and el in out:
            molal = float(row[el]) * float(row["mass_H2O"])
            per_L = values[n] / molar_mass(n) / 1000.0
            if molal > 0:
                ratios.append(molal / per_L)
    setup.s = float(np.median(ratios)) if ratios else 1.0
    fe2_el = phreeqc_element("Fe2", db)
    if fe_fraction > 0 and fe2_el is not None and values.get("Fe2", 0.0) > 0:
        fe2_mol = values["Fe2"] / molar_mass("Fe2") / 1000.0 * setup.s
        setup.o2_mol = fe_fraction * fe2_mol / 4.0 * (1.0 - _O2_MARGIN)
    setup.solution_notes = sol_notes
    return setup


def _setup_for(
    sample: Mapping[str, object] | pd.Series,
    reagent: str,
    *,
    fe_oxidised_fraction: float,
    fe_policy: str,
    co2: str,
    log_pco2: float,
    precipitates: tuple[str, ...] | list[str] | None,
    database: str | Path | None,
) -> tuple[_Setup, list[str], dict[str, float]]:
    r = _reagent(reagent)
    if co2 not in CO2_MODES:
        raise InputError(
            Text.of("minewater.error.unknown_co2", name=repr(co2), allowed=joined(CO2_MODES)),
            column="co2",
            value=co2,
        )
    f = float(fe_oxidised_fraction)
    if not 0.0 <= f <= 1.0:
        raise InputError(
            Text.of("minewater.error.fe_oxidised_range", f=repr(f)),
            column="fe_oxidised_fraction",
            value=fe_oxidised_fraction,
        )
    lp = float(log_pco2)
    if not -8.0 <= lp <= 0.0:
        raise InputError(
            Text.of("minewater.error.log_pco2_range", lp=repr(lp)),
            column="log_pco2",
            value=log_pco2,
        )
    db = database_info(database)
    raw = _sample_values(sample)
    notes: list[str] = []
    values = dict(raw)
    if any(n in raw for n in ("Fe", "Fe2", "Fe3")):
        fe2, fe3, fe_notes, _ = iron_split(raw, fe_policy)
        notes += fe_notes
        values.pop("Fe", None)
        values["Fe2"], values["Fe3"] = fe2, fe3
    chosen, pnotes = _precipitates(precipitates, r, db)
    notes += pnotes
    alk, _ = alkalinity_mg_L_CaCO3(raw)
    if alk is None and raw["pH"] >= 4.5:
        notes.append(Text.of("minewater.neut.no_alkalinity"))
    setup = _prepare(values, r, chosen, co2, lp, f, db)
    notes += setup.solution_notes
    if math.isfinite(setup.raw_percent_error) and abs(setup.raw_percent_error) > 10:
        notes.append(Text.of("minewater.neut.imbalanced", pct=setup.raw_percent_error))
    return setup, notes, raw


def _estimate_dose(
    values: dict[str, float], raw: dict[str, float], r: Reagent, target: float
) -> float:
    """A first guess of the dose, mmol/L (acidity + alkalinity + OH- to the target)."""
    acid = calculated_acidity(
        values["pH"],
        values.get("Fe2", 0.0),
        values.get("Fe3", 0.0),
        values.get("Al", 0.0),
        values.get("Mn", 0.0),
    )
    alk, _ = alkalinity_mg_L_CaCO3(raw)
    meq = acid / 50.0 + (alk or 0.0) / CACO3_G_EQ + 1000.0 * 10.0 ** (target - 14.0) + 0.2
    per_mol = 1.0 if r.name in ("CaCO3", "Na2CO3") else r.eq_per_mol
    return 1.5 * meq / per_mol


def _fmt_table(react: pd.DataFrame, setup: _Setup, doses: np.ndarray) -> pd.DataFrame:
    w = react["mass_H2O"].to_numpy(float)
    cols = {
        "dose_mmol_L": doses,
        "dose_mg_L": doses * setup.reagent.molar_mass,
        "pH": react["pH"].to_numpy(float),
    }
    for n in ("Fe", "Al", "Mn"):
        el = phreeqc_element(n, setup.db)
        measured = n in setup.values or (n == "Fe" and "Fe2" in setup.values)
        if measured and el in react:
            cols[f"{n}_mg_L"] = react[el].to_numpy(float) * w / setup.s * molar_mass(n) * 1000.0
    return pd.DataFrame(cols)


# --------------------------------------------------------------------------------------------
# public
# --------------------------------------------------------------------------------------------


def titration_curve(
    sample: Mapping[str, object] | pd.Series,
    reagent: str,
    max_dose_mmol_L: float,
    *,
    points: int = _CURVE_POINTS,
    fe_oxidised_fraction: float = 1.0,
    fe_policy: str = "ferrous",
    co2: str = "closed",
    log_pco2: float = ATMOSPHERIC_LOG_PCO2,
    precipitates: tuple[str, ...] | list[str] | None = None,
    database: str | Path | None = None,
) -> pd.DataFrame:
    """pH (and dissolved Fe, Al, Mn) against reagent dose, from 0 to ``max_dose_mmol_L``.

    One PHREEQC run with ``points`` REACTION steps; the model is that of :func:`neutralise`.

    Returns
    -------
    DataFrame
        ``dose_mmol_L``, ``dose_mg_L``, ``pH``, ``Fe_mg_L``, ``Al_mg_L``, ``Mn_mg_L`` (the
        metals that were measured); ``.attrs["phreeqc_input"]`` holds the input.
    """
    d = float(max_dose_mmol_L)
    if not (math.isfinite(d) and 0 < d <= _MAX_DOSE_MMOL_L):
        raise InputError(
            Text.of("minewater.error.max_dose_range", max=_MAX_DOSE_MMOL_L),
            column="max_dose_mmol_L",
            value=max_dose_mmol_L,
        )
    if not 2 <= int(points) <= 500:
        raise InputError(Text.of("minewater.error.points_range"), column="points", value=points)
    setup, _, _ = _setup_for(
        sample,
        reagent,
        fe_oxidised_fraction=fe_oxidised_fraction,
        fe_policy=fe_policy,
        co2=co2,
        log_pco2=log_pco2,
        precipitates=precipitates,
        database=database,
    )
    doses = np.linspace(0.0, d, int(points))
    react, text = _steps(setup, doses)
    table = _fmt_table(react, setup, doses)
    table.attrs["phreeqc_input"] = text
    return table


def neutralise(
    sample: Mapping[str, object] | pd.Series,
    reagent: str,
    target_pH: float,
    *,
    fe_oxidised_fraction: float = 1.0,
    fe_policy: str = "ferrous",
    co2: str = "closed",
    log_pco2: float = ATMOSPHERIC_LOG_PCO2,
    precipitates: tuple[str, ...] | list[str] | None = None,
    flow_m3_d: float | None = None,
    solids_fraction: Mapping[str, float] | None = None,
    database: str | Path | None = None,
    sample_id: str | None = None,
    already_met: str = "error",
) -> Neutralisation:
    """Dose of ``reagent`` that brings one water to ``target_pH``, by PHREEQC titration.

    See the module docstring for the model (aeration, phases, CO2, per-litre basis, sludge).

    Parameters
    ----------
    sample : mapping or Series
        Canonical names -> mg/L (``pH`` required; ``Fe2``/``Fe3`` or total ``Fe``; ``Al``,
        ``Mn``, ``SO4``, ``Ca``, ``Mg``, ``Na``, alkalinity...).  NaN = not measured.
    reagent : {"NaOH", "Ca(OH)2", "CaO", "CaCO3", "Na2CO3"}
    target_pH : float
        Between 3 and 12.5.
    fe_oxidised_fraction : float
        Fraction of Fe(II) oxidised by aeration before dosing, 0-1 (default 1).
    fe_policy : {"ferrous", "ferric"}
        Fe(II)/Fe(III) split when only total Fe is measured (:mod:`.acidity`).
    co2 : {"closed", "degassed", "open"}
        CO2 exchange (default ``"closed"``).
    log_pco2 : float
        log10 pCO2 (atm) for ``"degassed"`` and ``"open"`` (default -3.4).
    precipitates : sequence of str, optional
        Phases of :data:`PHASES` allowed to precipitate (default :data:`DEFAULT_PRECIPITATES`).
    flow_m3_d : float, optional
        Flow treated, m3/d: adds kg/d of reagent and sludge and m3/d of sludge.
    solids_fraction : mapping, optional
        Sludge kind -> dry-solids mass fraction (default :data:`DEFAULT_SOLIDS_FRACTION`,
        LDS 3 %, HDS 25 %).
    database : str or Path, optional
        PHREEQC database (default phreeqc.dat).
    sample_id : str, optional
        Carried into the result only (never into PHREEQC).
    already_met : {"error", "zero"}
        A target at or below the water's pH before dosing (measured, or after aeration and
        degassing): ``"error"`` (default) refuses it: an alkali cannot lower pH (a target
        below the sample's measured pH needs an acid), and a target already met needs no
        reagent, which the caller should say rather than show "0 mmol/L"; ``"zero"`` answers
        a dose of 0 with a note (a plan that doses every point to one target).

    Returns
    -------
    Neutralisation

    Raises
    ------
    InputError
        Unknown reagent (listing the allowed ones), target out of range, a target the reagent
        cannot reach (naming the highest pH it reaches), a target at or below the water's own
        pH (with ``already_met="error"``), bad options or analysis values.
    GeochemError
        PHREEQC failed even with patient convergence settings.
    """
    r = _reagent(reagent)
    try:
        target = float(target_pH)
    except (TypeError, ValueError):
        raise InputError(
            Text.of("minewater.error.target_not_number"), column="target_pH", value=target_pH
        ) from None
    if not (_TARGET_RANGE[0] <= target <= _TARGET_RANGE[1]):
        raise InputError(
            Text.of("minewater.error.target_range", lo=_TARGET_RANGE[0], hi=_TARGET_RANGE[1]),
            column="target_pH",
            value=target_pH,
        )
    if flow_m3_d is not None:
        q = float(flow_m3_d)
        if not (math.isfinite(q) and q >= 0):
            raise InputError(
                Text.of("minewater.error.flow_non_negative"), column="flow_m3_d", value=flow_m3_d
            )
        flow_m3_d = q
    fractions = dict(DEFAULT_SOLIDS_FRACTION if solids_fraction is None else solids_fraction)
    for kind, p in fractions.items():
        if not (isinstance(p, (int, float)) and 0 < float(p) < 1):
            raise InputError(
                Text.of("minewater.error.solids_fraction_of", kind=kind),
                column="solids_fraction",
                value=p,
            )
    setup, notes, raw = _setup_for(
        sample,
        r.name,
        fe_oxidised_fraction=fe_oxidised_fraction,
        fe_policy=fe_policy,
        co2=co2,
        log_pco2=log_pco2,
        precipitates=precipitates,
        database=database,
    )

    if already_met not in ("error", "zero"):
        raise InputError(
            Text.of("minewater.error.already_met_choice"), column="already_met", value=already_met
        )
    dose = _find_dose(setup, raw, target, notes, refuse_met=already_met == "error")
    if dose > 0:
        grid = np.linspace(0.0, 2.0 * dose, _CURVE_POINTS)
    else:
        grid = np.linspace(
            0.0, _estimate_dose(setup.values, raw, r, max(target, 7.0)), _CURVE_POINTS
        )
    doses = np.unique(np.concatenate([grid, [dose]]))
    react, text = _steps(setup, doses)
    k = int(np.flatnonzero(doses == dose)[0])
    at = react.iloc[k]
    curve = _fmt_table(react, setup, doses)
    achieved = float(at["pH"])
    effluent, si = _effluent(setup, at)
    for phase, v in si.items():
        if phase != "CO2(g)" and phase not in setup.precipitates and v is not None and v > 0.5:
            notes.append(Text.of("minewater.neut.supersaturated", phase=_phase_name(phase), si=v))
    text = _pqi_header(setup, target, dose) + text
    phases, dry, sg = _sludge(setup, at)
    volumes: dict[str, dict[str, float]] = {}
    for kind, p in fractions.items():
        p = float(p)
        if dry > 0:
            rho = sludge_density_kg_L(sg, p)
            vol = sludge_volume_L_per_m3(dry, sg, p)
        else:
            rho, vol = float("nan"), 0.0
        entry = {"solids_fraction": p, "density_kg_L": rho, "volume_L_per_m3": vol}
        if flow_m3_d is not None:
            entry["volume_m3_d"] = vol * flow_m3_d / 1000.0
        volumes[str(kind)] = entry
    assert r.eq_per_mol is not None  # every row of REAGENTS has one
    return Neutralisation(
        sample_id=sample_id,
        reagent=r.name,
        target_pH=target,
        dose_mmol_L=float(dose),
        dose_mg_L=float(dose) * r.molar_mass,
        dose_meq_L=float(dose) * r.eq_per_mol,
        achieved_pH=achieved,
        raw_pH=raw["pH"],
        aerated_pH=float(react.iloc[0]["pH"]),
        curve=curve,
        effluent=effluent,
        saturation_indices=si,
        sludge_phases=phases,
        sludge_dry_mg_L=dry,
        sludge_volumes=volumes,
        sludge_specific_gravity=sg,
        flow_m3_d=flow_m3_d,
        model=_model(setup, fractions),
        notes=notes,
        phreeqc_input=text,
        database=setup.db.name,
        database_sha256=setup.db.sha256,
    )


def _find_dose(
    setup: _Setup,
    raw: dict[str, float],
    target: float,
    notes: list[str],
    *,
    refuse_met: bool = False,
) -> float:
    """Bracket the target on a coarse curve (growing it until reached or levelled off), then
    refine on finer grids and interpolate (dose in mmol/L).

    ``refuse_met``: a target at or below the water's pH before dosing is an InputError (an
    alkali cannot lower pH; a target already met needs no reagent) instead of a dose of 0.
    """
    r = setup.reagent
    d_max = max(_estimate_dose(setup.values, raw, r, target), 0.05)
    doses = np.linspace(0.0, d_max, _CURVE_POINTS)
    ph = _ph(setup, doses)
    measured = float(raw["pH"])
    how: Message | str = (
        ""
        if abs(ph[0] - measured) < 0.005
        else Message("minewater.error.after_aeration", {"pH": float(ph[0])})
    )
    # aeration can lower pH (Fe(II) oxidation): only a water at or above the target before
    # dosing is refused, and then by its measured pH: below it, the user wants to lower pH
    if refuse_met and ph[0] >= target and target < measured:
        raise InputError(
            Text.of(
                "minewater.error.target_below_sample",
                measured=measured,
                how=how,
                target=target,
                reagent=r.name,
            ),
            column="target_pH",
            value=target,
        )
    if refuse_met and ph[0] >= target:
        raise InputError(
            Text.of(
                "minewater.error.target_met", pH=float(ph[0]), measured=measured, target=target
            ),
            column="target_pH",
            value=target,
        )
    if ph[0] >= target:
        notes.append(Text.of("minewater.neut.already_met", pH=ph[0], target=target))
        return 0.0
    # A level stretch of the curve is a ceiling only where the buffer is unlimited: limestone
    # at calcite saturation, or CO2(g) of the atmosphere ("open").  Elsewhere (calcite with a
    # water's Ca, brucite with its Mg...) more reagent exhausts the buffer, so the range grows.
    unlimited = r.name == "CaCO3" or setup.co2 == "open"
    while ph[-1] < target:
        previous = ph[-1]
        if d_max >= _MAX_DOSE_MMOL_L:
            _unreachable(setup, target, doses, ph, capped=True)
        d_max = min(d_max * 3.0, _MAX_DOSE_MMOL_L)
        doses = np.linspace(0.0, d_max, _CURVE_POINTS)
        ph = _ph(setup, doses)
        if unlimited and ph[-1] < target and ph[-1] - previous < 0.005:
            _unreachable(setup, target, doses, ph)
    for _ in range(4):
        i = int(np.flatnonzero(ph >= target)[0])  # ph[0] < target, so i >= 1
        lo, hi = doses[i - 1], doses[i]
        if hi - lo <= 1e-5 * hi:
            break
        doses = np.linspace(lo, hi, 17)
        ph = _ph(setup, doses)
        # the ends are the previous bracket's doses: keep them on their sides of the target
        # whatever the last digit of PHREEQC's output
        ph[0] = min(ph[0], np.nextafter(target, -np.inf))
        ph[-1] = max(ph[-1], target)
    i = int(np.flatnonzero(ph >= target)[0])
    lo, hi, p0, p1 = doses[i - 1], doses[i], ph[i - 1], ph[i]
    return float(lo + (hi - lo) * (target - p0) / (p1 - p0)) if p1 > p0 else float(hi)


def _pqi_header(setup: _Setup, target: float, dose_mmol_L: float) -> str:
    """Comment lines that say what the exported input is (no user text)."""
    from ..version import __version__

    return (
        f"# cbmwater {__version__}: titration of one water with {setup.reagent.formula} "
        f"({setup.db.name})\n"
        f"# REACTION amounts are mol per kg of water; 1 kg of water = {setup.s:.8g} L of raw "
        "water\n"
        f"# target pH {target:g} is reached at {fmt(dose_mmol_L * setup.s / 1000.0)} mol "
        f"({dose_mmol_L:.6g} mmol/L)\n"
        f"# CO2: {setup.co2}; aeration O2 {setup.o2_mol:.6g} mol "
        f"({setup.fe_fraction:.0%} of Fe(II))\n"
    )


def _phase_name(phase: str) -> Message | str:
    """A PHREEQC phase by its name message (``phase.<name>``) where the catalogue has one."""
    from ..i18n import named

    return named("phase", phase)


def _unreachable(
    setup: _Setup, target: float, doses: np.ndarray, ph: np.ndarray, capped: bool = False
) -> None:
    r = setup.reagent
    best = float(np.max(ph))
    at_dose = float(doses[int(np.flatnonzero(ph >= best - 0.01)[0])])  # where it levels off
    where = (
        Message("minewater.neut.where_capped", {"dose": doses[-1]})
        if capped
        else Message("minewater.neut.where_level", {"dose": at_dose})
    )
    why = Message(f"minewater.neut.co2.{setup.co2}", {"log_pco2": setup.log_pco2})
    others = ", ".join(n for n in REAGENTS if n not in ("CaCO3", r.name))
    msg = Message(
        "minewater.neut.unreachable" + (".limestone" if r.name == "CaCO3" else ""),
        {
            "reagent": r.name,
            "label": Message(
                "minewater.neut.reagent_label",
                {"name": Message(f"substance.{r.name}"), "formula": r.formula},
            ),
            "target": target,
            "best": best,
            "where": where,
            "why": why,
            "cap": math.floor(best * 10) / 10,
            "others": others,
        },
    )
    raise InputError(str(msg), column="target_pH", value=target, msg=msg)


def _effluent(setup: _Setup, at: pd.Series) -> tuple[dict[str, float], dict[str, float | None]]:
    w = float(at["mass_H2O"])
    eff: dict[str, float] = {"pH": float(at["pH"])}
    for name, el in setup.totals:
        if el in at.index:
            eff[name] = float(at[el]) * w / setup.s * molar_mass(name) * 1000.0
    eff["alkalinity_CaCO3"] = float(at["Alk"]) * w / setup.s * CACO3_G_EQ * 1000.0
    if "Fe2" in eff or "Al" in eff or "Mn" in eff:
        acid = calculated_acidity(
            eff["pH"],
            eff.get("Fe2", 0.0),
            eff.get("Fe3", 0.0),
            eff.get("Al", 0.0),
            eff.get("Mn", 0.0),
        )
        eff["acidity_calc_mg_L_CaCO3"] = acid
        eff["net_acidity_mg_L_CaCO3"] = acid - max(eff["alkalinity_CaCO3"], 0.0)
    si: dict[str, float | None] = {}
    for p in setup.si:
        col = f"si_{p}"
        v = float(at[col]) if col in at.index else float("nan")
        si[p] = None if (not math.isfinite(v) or v <= MISSING_SI) else v
    return eff, si


def _sludge(setup: _Setup, at: pd.Series) -> tuple[dict[str, dict[str, object]], float, float]:
    phases: dict[str, dict[str, object]] = {}
    dry = 0.0
    volume = 0.0
    for p in setup.precipitates:
        col = f"d_{p}"
        d = float(at[col]) if col in at.index else 0.0
        mmol = d * 1000.0 / setup.s
        if mmol <= 0:
            continue
        info = PHASES[p]
        assert info.specific_gravity is not None  # every row of PHASES has one
        mg = mmol * info.molar_mass
        phases[p] = {
            "mmol_L": mmol,
            "mg_L": mg,
            "specific_gravity": info.specific_gravity,
            "label": info.label,
            "label_i18n": _phase_label(p).to_dict(),
        }
        dry += mg
        volume += mg / info.specific_gravity
    sg = dry / volume if volume > 0 else float("nan")
    return phases, dry, sg


def _phase_label(phase: str) -> Message:
    """``PHASES[phase].label`` (``"gypsum CaSO4.2H2O"``) as a message (name in the language)."""
    info = PHASES[phase]
    return Message(
        "minewater.neut.reagent_label",
        {"name": Message(f"substance.{phase}"), "formula": info.formula},
    )


def _manganese_text(precipitates: list[str]) -> str:
    mn = [
        _phase_label(p) for p in ("Pyrochroite", "Rhodochrosite", "Manganite") if p in precipitates
    ]
    if not mn:
        return Text.of("minewater.neut.model.mn_none")
    return Text.of(
        "minewater.neut.model.mn_removed",
        phases=joined(mn, "or"),
        pyrochroite=Message("minewater.neut.model.mn_pyrochroite")
        if "Pyrochroite" in precipitates
        else "",
        manganite=Message("minewater.neut.model.mn_manganite")
        if "Manganite" in precipitates
        else "",
    )


def _model(setup: _Setup, fractions: Mapping[str, float]) -> dict[str, object]:
    co2_text = Text.of(f"minewater.neut.model.co2.{setup.co2}", log_pco2=setup.log_pco2)
    return {
        "equilibrium": Text.of("minewater.neut.model.equilibrium"),
        "aeration": Text.of("minewater.neut.model.aeration", fraction=setup.fe_fraction),
        "fe_oxidised_fraction": setup.fe_fraction,
        "o2_added_mmol_L": setup.o2_mol * 1000.0 / setup.s,
        "manganese": _manganese_text(setup.precipitates),
        "precipitates": list(setup.precipitates),
        "co2": setup.co2,
        "co2_description": co2_text,
        "log_pCO2": None if setup.co2 == "closed" else setup.log_pco2,
        "litres_per_kg_water": setup.s,
        "sludge": Text.of("minewater.neut.model.sludge"),
        "solids_fraction": {str(k): float(v) for k, v in fractions.items()},
        "database": setup.db.name,
        "references": [
            "Cravotta (2021) Appl. Geochem. 126:104845 (PHREEQ-N-AMDTreat)",
            "Kirby & Cravotta (2005) Appl. Geochem. 20:1920 (acidity)",
            "AMDTreat 6 (OSMRE/USGS) sludge density and solids SG",
            "Parkhurst & Appelo (2013) USGS TM 6-A43 (PHREEQC 3)",
        ],
    }


def neutralise_sample(
    analyses: AnalysisSet | str | Path,
    sample_id: str,
    reagent: str,
    target_pH: float,
    *,
    censored_policy: str = "half",
    **options: Any,
) -> Neutralisation:
    """:func:`neutralise` one sample of an analysis file or :class:`AnalysisSet`.

    Parameters
    ----------
    analyses : AnalysisSet or path
        Read with :func:`cbmwater.water.io.read_analyses` when a path.
    sample_id : str
        Which sample (an :class:`InputError` lists the known ids if absent).
    reagent, target_pH, **options
        As for :func:`neutralise`.
    censored_policy : {"half", "zero", "limit"}
        Below-detection substitution (noted in the result).
    """
    if not isinstance(analyses, AnalysisSet):
        from ..water.io import read_analyses

        analyses = read_analyses(analyses)
    one = analyses.subset([str(sample_id)])
    values = one.resolved(censored_policy).iloc[0]
    result = neutralise(values, reagent, target_pH, sample_id=str(sample_id), **options)
    for notes in one.censored_notes(censored_policy).values():
        result.notes.extend(notes)
    return result
