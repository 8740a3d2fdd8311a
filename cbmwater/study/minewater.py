"""Old-mine acid water through the public API: acidity, neutralisation by PHREEQC titration,
AMDTreat sizing, admissible options and the least-NPV plan of a mine-water case."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..minewater.active import REAGENTS as _ACTIVE
from ..minewater.neutralise import REAGENTS as _REAGENTS
from ..minewater.rules import OPTIONS as _OPTIONS
from ..minewater.rules import PASSIVE_ACID_LOAD_MAX_KG_D
from ..minewater.rules import SYSTEMS as _SYSTEMS
from ..minewater.sizing import OPTIONS as _SIZED
from ..water.analysis import AnalysisSet
from ..water.io import Source
from .results import ABSENT, JsonResult, attached
from .water import Water, one_water
from .water import read_analyses as _read

if TYPE_CHECKING:  # pragma: no cover
    from ..minewater.acidity import AcidityReport
    from ..minewater.case import MineCase
    from .casefiles import CaseSource

__all__ = [
    "acidity",
    "AcidityResult",
    "neutralise",
    "NeutralisationResult",
    "titration_curve",
    "size_option",
    "SizingResult",
    "admissible_options",
    "load_mine_case",
    "minewater_plan",
    "MinePlan",
    "REAGENT_NAMES",
    "MINE_OPTIONS",
    "MINE_SYSTEMS",
    "PASSIVE_ACID_LOAD_MAX_KG_D",
    "SIZED_OPTIONS",
    "ACTIVE_REAGENTS",
    "reagent_table",
    "water_for_rules",
    "option_verdicts",
    "mine_case_from_source",
]


#: Neutralisation reagents (NaOH, Ca(OH)2, CaO, CaCO3, Na2CO3).
REAGENT_NAMES: tuple[str, ...] = tuple(_REAGENTS)
#: Passive and active options AMDTreat sizes.
MINE_OPTIONS: tuple[str, ...] = tuple(_OPTIONS)
#: Treatment systems a mine-water plan chooses among.
MINE_SYSTEMS: tuple[str, ...] = tuple(_SYSTEMS)
#: Every option :func:`size_option` sizes (:data:`MINE_OPTIONS` and the settling pond).
SIZED_OPTIONS: tuple[str, ...] = tuple(_SIZED)
#: The reagent each active option doses (option -> one of :data:`REAGENT_NAMES`).
ACTIVE_REAGENTS: dict[str, str] = {k: str(v["formula"]) for k, v in _ACTIVE.items()}

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class AcidityResult(JsonResult):
    """Calculated acidity, net acidity and acid load per sample (``minewater acidity``).

    Attributes
    ----------
    samples : list of dict
        ``sample_id``, ``acidity_calc_mg_L_CaCO3``, ``alkalinity_mg_L_CaCO3``,
        ``net_acidity_mg_L_CaCO3``, ``acid_load_kg_d`` (with a flow), notes.
    """

    samples: list[dict[str, Any]]
    method: str
    policies: dict[str, str]
    warnings: list[str]
    source: str
    #: ``method`` and ``warnings`` as message dicts (docs/i18n.md); each sample has ``notes_i18n``
    method_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)
    warnings_i18n: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    report: AcidityReport | None = attached()

    TABLES = {
        "samples": (
            lambda r: list(r.samples),
            (
                "sample_id",
                "pH",
                "Fe2_mg_L",
                "Fe3_mg_L",
                "acidity_calc_mg_L_CaCO3",
                "alkalinity_mg_L_CaCO3",
                "net_acidity_mg_L_CaCO3",
                "net_alkalinity_mg_L_CaCO3",
                "acid_load_kg_d",
                "notes",
            ),
        )
    }

    @property
    def table(self) -> pd.DataFrame:
        """The acidity table indexed by sample id (mg/L as CaCO3; kg CaCO3/d)."""
        if self.report is not None:
            return self.report.table
        return self.to_frame("samples").set_index("sample_id")


def acidity(
    source: Source | AnalysisSet,
    *,
    flows_m3_d: float | Mapping[str, float] | None = None,
    fe_policy: str = "ferrous",
    missing_alkalinity: str = "error",
    censored_policy: str = "half",
    sheet: str | int | None = None,
) -> AcidityResult:
    """Calculated acidity (Kirby & Cravotta 2005), net acidity and acid load of every sample.

    Parameters
    ----------
    source : lab file source or AnalysisSet
        See :func:`cbmwater.read_analyses`.
    flows_m3_d : float or mapping, optional
        Flow of every sample (or per sample id), m3/d, for the acid load (kg CaCO3/d).
    fe_policy : {"ferrous", "ferric"}
        How total Fe splits when Fe2/Fe3 are not given.
    missing_alkalinity : {"error", "zero"}
        A sample at pH >= 4.5 without alkalinity: refuse, or count it as 0 (noted).
    censored_policy : {"half", "zero", "limit"}
        Below-detection substitution.
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    AcidityResult
        mg/L as CaCO3 per sample; ``.table`` as a DataFrame.

    Examples
    --------
    >>> import cbmwater
    >>> lab = {"sample_id": ["A1"], "pH": [3.0], "Fe": [50.0], "Al": [10.0], "Mn": [2.0],
    ...        "SO4": [900.0]}
    >>> import pandas as pd
    >>> r = cbmwater.acidity(pd.DataFrame(lab))
    >>> # 50 (2*50/55.845 + 3*10/26.98 + 2*2/54.938 + 1000*10**-3) = 198.8 mg/L as CaCO3
    >>> round(r.samples[0]["acidity_calc_mg_L_CaCO3"])
    199
    """
    from ..minewater.acidity import acidity_report

    analyses = source if isinstance(source, AnalysisSet) else _read(source, sheet=sheet)
    flows: Mapping[str, float] | None
    if flows_m3_d is None or isinstance(flows_m3_d, Mapping):
        flows = flows_m3_d
    else:  # one flow for every sample (the CLI's --flow-m3-d)
        flows = {str(sid): flows_m3_d for sid in analyses.values.index}
    rep = acidity_report(
        analyses,
        flows_m3_d=flows,
        fe_policy=fe_policy,
        missing_alkalinity=missing_alkalinity,
        censored_policy=censored_policy,
    )
    return AcidityResult.from_dict(rep.as_dict(), report=rep)


@dataclass(frozen=True)
class NeutralisationResult(JsonResult):
    """Reagent dose to a target pH by PHREEQC titration (``minewater neutralise``).

    Attributes
    ----------
    dose_mmol_L, dose_mg_L : float
        Reagent per litre of raw water.
    curve : list of dict
        The titration curve: dose (mmol/L, mg/L), pH, Fe, Al, Mn (mg/L).
    effluent : dict
        pH and concentrations (mg/L) after the sludge settles.
    sludge_dry_mg_L : float
        Dry sludge per litre treated; ``sludge_volumes`` for LDS/HDS.
    phreeqc_input : str
        The PHREEQC input of the titration.
    """

    sample_id: str
    reagent: str
    reagent_formula: str
    reagent_label: str
    reagent_molar_mass_g_mol: float
    target_pH: float
    dose_mmol_L: float
    dose_mg_L: float
    dose_meq_L: float
    achieved_pH: float
    raw_pH: float
    aerated_pH: float | None
    flow_m3_d: float | None
    reagent_kg_d: float | None
    curve: list[dict[str, float]]
    effluent: dict[str, float | None]
    saturation_indices: dict[str, float | None]
    sludge_phases: dict[str, Any]
    sludge_dry_mg_L: float
    sludge_dry_kg_d: float | None
    sludge_specific_gravity: float | None
    sludge_volumes: dict[str, dict[str, float]]
    model: dict[str, Any]
    notes: list[str]
    database: str
    database_sha256: str
    phreeqc_input: str
    #: ``notes`` as message dicts (docs/i18n.md)
    notes_i18n: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    #: the descriptions of ``model`` (equilibrium, aeration, manganese, co2_description,
    #: sludge) as message dicts
    model_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)

    TABLES = {
        "curve": (
            lambda r: list(r.curve),
            ("dose_mmol_L", "dose_mg_L", "pH", "Fe_mg_L", "Al_mg_L", "Mn_mg_L"),
        )
    }


def _water_row(
    water: Water, sample: str | None, sheet: str | int | None, censored_policy: str
) -> tuple[pd.Series, str, list[str]]:
    analyses, sid = one_water(water, sample, sheet=sheet)
    one = analyses.subset([sid])
    notes = [n for ns in one.censored_notes(censored_policy).values() for n in ns]
    return one.resolved(censored_policy).iloc[0], sid, notes


def neutralise(
    water: Water,
    reagent: str,
    target_pH: float,
    *,
    sample: str | None = None,
    sheet: str | int | None = None,
    censored_policy: str = "half",
    **options: Any,
) -> NeutralisationResult:
    """Dose of a reagent that brings one water to a target pH, by PHREEQC titration, with the
    curve, the effluent and the sludge.

    Parameters
    ----------
    water : lab file source, AnalysisSet or mapping
        As for :func:`cbmwater.treat`.
    reagent : str
        One of :data:`REAGENT_NAMES`.
    target_pH : float
        pH to reach (2-13).
    sample : str, optional
        Which sample of a file with several.
    sheet : str or int, optional
        Excel sheet.
    censored_policy : {"half", "zero", "limit"}
        Below-detection substitution (noted).
    **options
        ``co2`` ("closed", "degassed", "open"), ``fe_oxidised_fraction`` (0-1),
        ``fe_policy`` ("ferrous", "ferric"), ``flow_m3_d`` (for daily quantities).

    Returns
    -------
    NeutralisationResult
        Dose (mmol/L, mg/L, kg/d), achieved pH, effluent (mg/L), sludge (mg/L dry, LDS/HDS
        volumes), the PHREEQC input.  Method: PHREEQC (Parkhurst & Appelo 2013) titration;
        sludge volumes after AMDTreat 6.

    Examples
    --------
    >>> import cbmwater
    >>> w = {"sample_id": "A1", "pH": 3.0, "Fe": 50.0, "Al": 10.0, "Mn": 2.0, "SO4": 900.0,
    ...      "Ca": 100.0, "Na": 20.0}
    >>> r = cbmwater.neutralise(w, "NaOH", 8.5)
    >>> r.dose_mmol_L > 2 and abs(r.achieved_pH - 8.5) < 0.05
    True
    """
    from ..minewater.neutralise import neutralise as _neutralise

    row, sid, notes = _water_row(water, sample, sheet, censored_policy)
    res = _neutralise(row, reagent, target_pH, sample_id=sid, **options)
    res.notes.extend(notes)
    return NeutralisationResult.from_dict(res.as_dict())


def titration_curve(
    water: Water,
    reagent: str,
    max_dose_mmol_L: float,
    *,
    sample: str | None = None,
    sheet: str | int | None = None,
    censored_policy: str = "half",
    **options: Any,
) -> pd.DataFrame:
    """pH and dissolved Fe, Al, Mn along a reagent dose, by PHREEQC.

    Parameters
    ----------
    water, sample, sheet, censored_policy
        As for :func:`neutralise`.
    reagent : str
        One of :data:`REAGENT_NAMES`.
    max_dose_mmol_L : float
        Largest dose, mmol per litre of raw water.
    **options
        As for :func:`neutralise` (``co2``, ``fe_oxidised_fraction``, ``fe_policy``) and
        ``points``.

    Returns
    -------
    pandas.DataFrame
        ``dose_mmol_L``, ``dose_mg_L``, ``pH``, ``Fe_mg_L``, ``Al_mg_L``, ``Mn_mg_L``.

    Examples
    --------
    >>> import cbmwater
    >>> w = {"sample_id": "A1", "pH": 3.0, "Fe": 50.0, "SO4": 900.0, "Ca": 100.0}
    >>> c = cbmwater.titration_curve(w, "NaOH", 5.0)
    >>> bool(c["pH"].is_monotonic_increasing)
    True
    """
    from ..minewater.neutralise import titration_curve as _curve

    row, _, _ = _water_row(water, sample, sheet, censored_policy)
    return _curve(row, reagent, max_dose_mmol_L, **options)


@dataclass(frozen=True)
class SizingResult(JsonResult):
    """One passive or active option sized and costed by AMDTreat 6's rules (SI units, CNY)."""

    option: str
    kind: str
    method: str
    flow_m3_d: float
    area_m2: float | None
    footprint_m2: float | None
    land_m2: float | None
    volume_m3: float | None
    volume_basis: str | None
    limestone_t: float | None
    materials: dict[str, Any]
    capex_CNY: float
    capex_items_CNY: dict[str, float]
    opex_CNY_yr: float
    opex_items_CNY_yr: dict[str, float]
    recap_PV_CNY: float | None
    life_yr: float | None
    currency: str
    price_year: int
    warnings: list[str]
    sources: list[str]
    details: dict[str, Any]
    #: ``warnings`` as message dicts (docs/i18n.md)
    warnings_i18n: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    #: ``method`` and ``volume_basis`` as message dicts
    method_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)
    volume_basis_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)
    #: name -> message dict of each material and cost item (the keys of ``materials``,
    #: ``capex_items_CNY``, ``opex_items_CNY_yr``)
    materials_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)
    capex_items_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)
    opex_items_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)
    #: ``sources`` (the sizing steps: formulas and where they come from) as message dicts
    sources_i18n: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    #: ``details["money"]`` (the USD -> CNY conversion) as a message dict
    money_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)

    TABLES = {
        "capex": (
            lambda r: [{"item": k, "CNY": v} for k, v in r.capex_items_CNY.items()],
            ("item", "CNY"),
        ),
        "opex": (
            lambda r: [{"item": k, "CNY_yr": v} for k, v in r.opex_items_CNY_yr.items()],
            ("item", "CNY_yr"),
        ),
    }


def size_option(option: str, flow_m3_d: float, **options: Any) -> SizingResult:
    """Size and cost one mine-water option by AMDTreat 6's rules, in SI units and CNY.

    Parameters
    ----------
    option : str
        One of :data:`MINE_OPTIONS` (``ald``, ``vfp``, ``wetland``, ``hydrated_lime`` ...).
    flow_m3_d : float
        Design flow, m3/d.
    **options
        ``net_acidity`` (mg/L CaCO3), ``fe_mg_L``, ``mn_mg_L``, ``retention_h``, ``life_yr``,
        ``method`` and the option's own parameters.

    Returns
    -------
    SizingResult
        Area, land, volume, limestone, capital and operating cost with items and sources.

    Examples
    --------
    >>> import cbmwater
    >>> r = cbmwater.size_option("vfp", 200.0, net_acidity=150.0, fe_mg_L=20.0)
    >>> r.area_m2 > 0 and r.capex_CNY > 0
    True
    """
    from ..minewater.sizing import size

    return SizingResult.from_dict(size(option, flow_m3_d, **options).as_dict())


def admissible_options(
    water: Mapping[str, float | None], net_acidity_mg_L: float, *, flow_m3_d: float, **options: Any
) -> list[dict[str, Any]]:
    """Which passive and active options suit a discharge (the AMDTreat/PIRAMID flowchart).

    Parameters
    ----------
    water : mapping
        Concentrations, mg/L (``Fe``, ``Fe3``, ``Al``, ``Mn``, ``DO``, ``pH``).
    net_acidity_mg_L : float
        Net acidity, mg/L as CaCO3.
    flow_m3_d : float
        Flow, m3/d.
    **options
        ``mn_limit_mg_L``, ``land_m2``, ``passive_area_m2``, ``acid_load_max_kg_d``.

    Returns
    -------
    list of dict
        Per option: ``option``, ``admissible``, ``role`` and ``reasons``.

    Examples
    --------
    >>> import cbmwater
    >>> v = cbmwater.admissible_options({"Fe": 5.0, "Al": 0.2, "Mn": 1.0, "pH": 5.5},
    ...                                 50.0, flow_m3_d=100.0)
    >>> any(o["admissible"] for o in v)
    True
    """
    from ..minewater.rules import admissible_options as _admissible

    return [
        v.as_dict() for v in _admissible(water, net_acidity_mg_L, flow_m3_d=flow_m3_d, **options)
    ]


@dataclass(frozen=True)
class MinePlan(JsonResult):
    """Source control, treatment and destination for every discharge point of a mine-water
    case, least NPV (``minewater plan --format json``).

    Attributes
    ----------
    status : str
        ``optimal``, ``infeasible`` ...
    npv_CNY, capex_CNY : float
        The plan's NPV and capital, CNY.
    choices : list of dict
        Per point: source control, system, steps, destination, NPV, effluent.
    river : list of dict
        Mixed concentration per river, season and constituent against its limit.
    warnings : list of str
        Case values accepted outside their usual range (:mod:`cbmwater.plausible`).
    """

    case: str
    sha256: str
    horizon_yr: float
    discount_rate: float
    budget_CNY: float | None
    effluent_standard: str | None
    net_acidity_mg_L_CaCO3: dict[str, float]
    acid_load_kg_d: dict[str, float]
    options: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    choices: list[dict[str, Any]]
    river: list[dict[str, Any]]
    reuse: list[dict[str, Any]]
    infeasibility: dict[str, Any] | None
    status: str
    warnings: list[str] = field(default_factory=list)
    #: ``warnings`` as message dicts (docs/i18n.md)
    warnings_i18n: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    npv_CNY: float | None = ABSENT
    solver: dict[str, Any] = ABSENT
    capex_CNY: float | None = ABSENT
    objective_CNY: float | None = ABSENT
    seconds: float | None = ABSENT

    TABLES = {
        "choices": (
            lambda r: [{**c, "steps": " + ".join(c.get("steps") or [])} for c in r.choices],
            (
                "point",
                "source_control",
                "system",
                "steps",
                "destination",
                "npv_CNY",
                "capex_CNY",
                "annual_cost_CNY_yr",
                "land_m2",
                "sludge_t_yr",
            ),
        ),
        "options": (
            lambda r: [
                {
                    **c,
                    "steps": " + ".join(c.get("steps") or []),
                    "reasons": "; ".join(c.get("reasons") or []),
                }
                for c in r.options
            ],
            (
                "point",
                "source_control",
                "system",
                "steps",
                "destination",
                "feasible",
                "reasons",
                "npv_CNY",
                "capex_CNY",
                "land_m2",
                "sludge_t_yr",
            ),
        ),
        "river": (
            lambda r: list(r.river),
            (
                "destination",
                "season",
                "constituent",
                "mixed_mg_L",
                "limit_mg_L",
                "background_mg_L",
                "discharge_m3_d",
                "river_m3_d",
            ),
        ),
        "reuse": (lambda r: list(r.reuse), ("destination", "season", "m3_d", "capacity_m3_d")),
    }


def load_mine_case(
    case: str | Path | Mapping[str, Any],
    *,
    base_dir: str | Path | None = None,
    allow_outside: bool = False,
) -> MineCase:
    """Read and validate a mine-water case (TOML file or its parsed content).

    Parameters
    ----------
    case : str, Path or mapping
        The ``case.toml`` or its content.
    base_dir : str or Path, optional
        For a mapping: the folder its file references are relative to (default: current).
    allow_outside : bool
        Let the case name files outside its folder (an absolute path, ``..``, a symlink).  Off
        by default: a case folder is self-contained, so a case cannot read other files of the
        machine (docs/confinement.md).  The app never sets it.

    Returns
    -------
    MineCase
        Discharge points with their flows per season, source controls, destinations and their
        limits, economics.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> case = cbmwater.load_mine_case(example_path("daji_old_mine", "case.toml"))
    >>> len(case.points) >= 3
    True
    """
    from ..minewater.case import load_mine_case as _load
    from ..minewater.case import parse_mine_case

    if isinstance(case, Mapping):
        return parse_mine_case(
            dict(case), Path(base_dir or "."), file="<mapping>", allow_outside=allow_outside
        )
    return _load(case, allow_outside=allow_outside)


def minewater_plan(
    case: str | Path | Mapping[str, Any] | MineCase,
    *,
    budget_CNY: float | None = None,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    progress: Progress | None = None,
    allow_outside: bool = False,
) -> MinePlan:
    """Choose source control, treatment and destination for every discharge of a mine-water
    case with the least NPV (every combination checked against its destination's limits).

    Parameters
    ----------
    case : str, Path, mapping or MineCase
        See :func:`load_mine_case`.
    budget_CNY : float, optional
        Capital budget, CNY (default: the case's).
    solver : str
        MILP solver (``highs``).
    time_limit_s : float
        Seconds for the MILP.
    progress : callable(message, fraction), optional
        Called as the work advances.
    allow_outside : bool
        See :func:`load_mine_case` (off by default).

    Returns
    -------
    MinePlan
        Choices, scores, river mixing against limits, NPV (CNY).  Sizing after AMDTreat 6;
        neutralisation by PHREEQC.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> plan = cbmwater.minewater_plan(example_path("daji_old_mine", "case.toml"))
    >>> plan.status
    'optimal'
    """
    from ..minewater.case import MineCase
    from ..minewater.plan import plan as _plan

    c = case if isinstance(case, MineCase) else load_mine_case(case, allow_outside=allow_outside)
    return MinePlan.from_dict(
        _plan(c, budget_CNY=budget_CNY, solver=solver, time_limit_s=time_limit_s, progress=progress)
    )


def reagent_table() -> pd.DataFrame:
    """The neutralisation reagents: what :func:`neutralise` doses.

    Returns
    -------
    pandas.DataFrame
        Index ``reagent`` (:data:`REAGENT_NAMES`); columns ``formula`` (what PHREEQC adds),
        ``molar_mass_g_mol`` (IUPAC 2021 atomic weights), ``eq_per_mol`` (H+ neutralised per
        mole to CO2) and ``label`` (English name).

    Examples
    --------
    >>> t = reagent_table()
    >>> round(float(t.loc["Ca(OH)2", "molar_mass_g_mol"]), 2), t.loc["NaOH", "label"]
    (74.09, 'caustic soda NaOH')
    """
    rows = [
        {
            "reagent": r.name,
            "formula": r.formula,
            "molar_mass_g_mol": r.molar_mass,
            "eq_per_mol": r.eq_per_mol,
            "label": r.label,
        }
        for r in _REAGENTS.values()
    ]
    return pd.DataFrame(rows).set_index("reagent")


def water_for_rules(values: Mapping[str, float]) -> dict[str, float]:
    """A water's values as the selection rules read them: total Fe added from the Fe(II) +
    Fe(III) split when only the split was measured.

    Examples
    --------
    >>> water_for_rules({"Fe2": 12.0, "Fe3": 3.0, "pH": 5.1})["Fe"]
    15.0
    """
    w = {str(k): float(v) for k, v in values.items()}
    if "Fe" not in w and ("Fe2" in w or "Fe3" in w):
        w["Fe"] = w.get("Fe2", 0.0) + w.get("Fe3", 0.0)
    return w


#: Passive options whose land a verdict compares with the site's.
_LAND_SIZED = ("ald", "vfp", "limestone_bed", "bioreactor", "wetland", "mn_bed")


def option_verdicts(
    water: Mapping[str, float],
    net_acidity_mg_L: float,
    *,
    flow_m3_d: float,
    mn_limit_mg_L: float | None = None,
    land_m2: float | None = None,
    acid_load_max_kg_d: float = PASSIVE_ACID_LOAD_MAX_KG_D,
) -> list[dict[str, Any]]:
    """Which options suit a discharge, with the passive options sized against the site's land,
    in one call (the AMDTreat/PIRAMID flowchart of :func:`admissible_options` plus
    :func:`size_option`).

    Parameters
    ----------
    water : mapping
        Concentrations, mg/L, and pH; total Fe is taken from the Fe(II)/Fe(III) split when only
        the split is given (:func:`water_for_rules`).
    net_acidity_mg_L : float
        Net acidity, mg/L as CaCO3.
    flow_m3_d : float
        Design flow, m3/d.
    mn_limit_mg_L : float, optional
        Mn the effluent must meet.
    land_m2 : float, optional
        Land at the site, m2: each passive option is sized at the flow and refused when it
        needs more.
    acid_load_max_kg_d : float
        Acid load above which passive systems are ruled out (kg CaCO3/d).

    Returns
    -------
    list of dict
        Per option: ``option``, ``role``, ``admissible``, ``reasons`` (list of str) and
        ``land_needed_m2`` (m2; None when not sized: no land given, active option, or the
        option cannot be sized for this water).

    Examples
    --------
    >>> v = option_verdicts({"Fe": 20.0, "Mn": 2.0, "pH": 6.2}, -30.0, flow_m3_d=500.0,
    ...                     land_m2=100.0)
    >>> w = next(o for o in v if o["option"] == "wetland")
    >>> w["admissible"], w["land_needed_m2"] > 100.0
    (False, True)
    """
    from ..errors import CbmwaterError
    from ..minewater.rules import admissible_options as _admissible
    from ..minewater.sizing import size

    w = water_for_rules(water)
    areas: dict[str, float] | None = None
    if land_m2 is not None and flow_m3_d > 0:
        areas = {}
        for opt in _LAND_SIZED:
            try:
                r = size(
                    opt,
                    flow_m3_d,
                    net_acidity=net_acidity_mg_L,
                    fe_mg_L=w.get("Fe", 0.0),
                    mn_mg_L=w.get("Mn", 0.0),
                )
            except CbmwaterError:
                continue
            if r.land_m2 is not None:
                areas[opt] = float(r.land_m2)
    out = _admissible(
        w,
        float(net_acidity_mg_L),
        flow_m3_d=float(flow_m3_d),
        mn_limit_mg_L=mn_limit_mg_L,
        land_m2=land_m2,
        passive_area_m2=areas,
        acid_load_max_kg_d=acid_load_max_kg_d,
    )
    return [{**v.as_dict(), "land_needed_m2": (areas or {}).get(v.option)} for v in out]


def mine_case_from_source(src: CaseSource) -> MineCase:
    """Validate a mine-water case read by :mod:`cbmwater.study.casefiles` (e.g. an uploaded
    ``.zip`` of ``case.toml`` and its analyses).

    Returns
    -------
    MineCase
        ``sha256`` covers the TOML bytes and the analyses file.

    Raises
    ------
    InputError
        As :func:`cbmwater.study.network.case_from_source` does for a network case.

    Examples
    --------
    >>> from cbmwater.study.casefiles import bundled_cases, read_case_file
    >>> daji = bundled_cases("mine")[0]
    >>> mine_case_from_source(read_case_file(daji)).sha256 == load_mine_case(daji).sha256
    True
    """

    from ..errors import CbmwaterError, InputError
    from ..minewater.case import parse_mine_case

    try:
        case = parse_mine_case(dict(src.data), src.base, src.file, src.raw)
    except CbmwaterError as exc:
        raise InputError(src.friendly(str(exc))) from None
    h = hashlib.sha256(src.raw)
    with contextlib.suppress(OSError):  # an unreadable file is named when it is read
        h.update(case.analyses_path.read_bytes())
    case.sha256 = h.hexdigest()
    return case
