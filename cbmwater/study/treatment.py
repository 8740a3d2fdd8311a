"""Treatment trains through the public API: :func:`treat` and :func:`unit_library`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import InputError
from ..i18n import Text, joined, message_dicts
from ..resources import resource_label
from ..version import __version__
from .results import JsonResult
from .water import Water, one_water

if TYPE_CHECKING:  # pragma: no cover
    from ..treatment.economics import Economics

__all__ = [
    "treat",
    "TreatmentResult",
    "StreamQuality",
    "Stage",
    "Residual",
    "unit_library",
    "economics",
    "economics_defaults",
    "ECONOMICS_OVERRIDES",
    "check_train",
    "candidate_trains",
    "desalting_units",
    "DESALTING_CATEGORIES",
]

#: Prices a caller may override in :func:`economics` (CNY/kWh, fraction per year, years).
ECONOMICS_OVERRIDES: tuple[str, ...] = ("electricity_CNY_kWh", "discount_rate", "life_yr")
#: Unit categories that remove dissolved salt (membranes and thermal units).
DESALTING_CATEGORIES: tuple[str, ...] = ("membrane", "thermal")


class StreamQuality(TypedDict):
    """A stream: flow (m3/d), temperature (deg C), pH and concentrations (mg/L)."""

    flow_m3_d: float
    temp_C: float
    pH: float | None
    concentrations: dict[str, float]


class Stage(TypedDict, total=False):
    """One unit of a train: its inlet and outlet streams and what it did."""

    unit: str
    name_en: str
    name_zh: str
    inlet: StreamQuality
    outlet: StreamQuality
    recovery: float
    energy_kWh_d: float
    acts_on: str
    outlet_kind: str
    added_kg_d: dict[str, float]
    gas_kg_d: dict[str, float]
    policies: dict[str, str]
    #: ``policies`` as message dicts (``treatment.policy.*``; docs/i18n.md)
    policies_i18n: dict[str, dict[str, Any]]


class Residual(TypedDict):
    """A residual stream (brine, backwash, sludge) and where its solids come from."""

    name: str
    unit: str
    kind: str
    flow_m3_d: float
    concentrations: dict[str, float]
    dry_kg_d: float
    solids_kg_d: dict[str, float]
    solids_other_kg_d: float
    floc_kg_d: dict[str, float]
    wet_m3_d: float
    treated_by: str | None


def _stage_rows(r: TreatmentResult) -> list[dict[str, Any]]:
    return [
        {
            "unit": s["unit"],
            "name_en": s.get("name_en"),
            "name_zh": s.get("name_zh"),
            "acts_on": s.get("acts_on"),
            "outlet_kind": s.get("outlet_kind"),
            "inlet_m3_d": s["inlet"]["flow_m3_d"],
            "outlet_m3_d": s["outlet"]["flow_m3_d"],
            "inlet_pH": s["inlet"]["pH"],
            "outlet_pH": s["outlet"]["pH"],
            "recovery": s.get("recovery"),
            "energy_kWh_d": s.get("energy_kWh_d"),
        }
        for s in r.stages
    ]


def _quality_rows(r: TreatmentResult) -> list[dict[str, Any]]:
    feed, product = r.feed["concentrations"], r.product["concentrations"]
    return [
        {"constituent": k, "feed_mg_L": feed.get(k), "product_mg_L": product.get(k)}
        for k in dict.fromkeys([*feed, *product])
    ]


def _cost_rows(r: TreatmentResult) -> list[dict[str, Any]]:
    return [
        {"unit": u, "category": c, "CNY_yr": v}
        for u, cats in r.breakdown["by_unit"].items()
        for c, v in cats.items()
    ]


@dataclass(frozen=True)
class TreatmentResult(JsonResult):
    """A train simulated and costed on one water (``cbmwater treat --format json``).

    Attributes
    ----------
    sample_id : str
        The water treated.
    stages : list of Stage
        Every unit with its inlet and outlet (m3/d, mg/L) and the chemistry policy it applied
        (``policies``: co2, redox, solids; ``policies_i18n``: the same as message dicts).
    product : StreamQuality
        The treated water (plus ``floc_kg_d`` carried over).
    residuals : list of Residual
        Brine, backwash and sludge streams (dry kg/d, wet m3/d).
    recovery : float
        Product / feed flow (-).
    energy_kWh_m3 : float or None
        kWh per m3 of product.
    capex_CNY, opex_CNY_yr, lcow_CNY_m3 : float
        Capital (CNY), operating cost (CNY/yr), levelised cost (CNY per m3 of product), CNY of
        ``price_year``.
    warnings : list of str
        Cost curves outside their range, recovery limits, censored values used.
    warnings_i18n : list of dict
        The same warnings as message dicts (code, params, English text), item for item, to
        render in another language with :func:`cbmwater.render` (docs/i18n.md).
    """

    sample_id: str
    price_year: int
    currency: str
    redox_basis: str
    units: list[str]
    feed: StreamQuality
    stages: list[Stage]
    product: dict[str, Any]
    residuals: list[Residual]
    evaporated_m3_d: float
    recovery: float
    energy_kWh_d: float
    energy_kWh_m3: float | None
    chemicals_kg_d: dict[str, float]
    capex_CNY: float
    opex_CNY_yr: float
    annualized_CNY_yr: float
    crf_per_yr: float
    lcow_CNY_m3: float
    breakdown: dict[str, dict[str, Any]]
    warnings: list[str]
    provenance: dict[str, Any]
    warnings_i18n: list[dict[str, Any]] = field(default_factory=list)

    TABLES = {
        "stages": (
            _stage_rows,
            (
                "unit",
                "name_en",
                "name_zh",
                "acts_on",
                "outlet_kind",
                "inlet_m3_d",
                "outlet_m3_d",
                "inlet_pH",
                "outlet_pH",
                "recovery",
                "energy_kWh_d",
            ),
        ),
        "quality": (_quality_rows, ("constituent", "feed_mg_L", "product_mg_L")),
        "residuals": (
            lambda r: list(r.residuals),
            ("name", "unit", "kind", "flow_m3_d", "dry_kg_d", "wet_m3_d", "treated_by"),
        ),
        "costs": (_cost_rows, ("unit", "category", "CNY_yr")),
    }


def _train_ids(train: str | list[str] | tuple[str, ...]) -> str | list[str]:
    if isinstance(train, str):
        return train
    if isinstance(train, (list, tuple)) and all(isinstance(u, str) for u in train):
        return list(train)
    raise InputError(Text.of("treatment.train.type"))


def treat(
    water: Water,
    train: str | list[str],
    *,
    flow_m3_d: float,
    sample: str | None = None,
    sheet: str | int | None = None,
    database: str | Path | None = None,
    censored_policy: str = "half",
    economics: Economics | None = None,
    redox: str | None = None,
) -> TreatmentResult:
    """Simulate and cost a treatment train on one water.

    Parameters
    ----------
    water : lab file source, AnalysisSet or mapping
        A lab file (path, bytes, open file or DataFrame; ``sample`` picks the row) or one
        analysis as a mapping of headers to values (mg/L unless a unit is in the header).
    train : list of str or str
        Unit ids in order (``cbmwater units`` lists them), or the CLI's comma string;
        ``"ph_adjustment:6.5"`` sets a unit's target pH.
    flow_m3_d : float
        Feed flow, m3/d (> 0).
    sample : str, optional
        The sample id; needed when the file holds more than one sample.
    sheet : str or int, optional
        Excel sheet.
    database : str or Path, optional
        PHREEQC database of the PHREEQC-backed units (default ``phreeqc``).
    censored_policy : {"half", "zero", "limit"}
        Below-detection substitution (noted in the warnings).
    economics : Economics, optional
        Prices (default: the bundled ``economics.toml``, CNY of 2024).
    redox : str, optional
        ``"fe2"`` (default: total Fe is Fe(II)) or ``"pe:VALUE"``.

    Returns
    -------
    TreatmentResult
        Stages, product, residuals, recovery, energy, chemicals, capital, operating cost and
        LCOW.  Models: zero-order splits (WaterTAP convention) and PHREEQC (Parkhurst & Appelo
        2013) for chemical units; see ``docs/chemistry_*.md``.

    Examples
    --------
    >>> import cbmwater
    >>> water = {"sample_id": "W1", "pH": 8.2, "temp_C": 20, "Na": 900, "Ca": 15, "Mg": 5,
    ...          "Cl": 300, "SO4": 20, "HCO3": 1900}
    >>> res = cbmwater.treat(water, ["cartridge_filter", "brackish_ro"], flow_m3_d=1000)
    >>> 0.5 < res.recovery < 0.9 and res.product["concentrations"]["Na"] < 90
    True
    """
    from ..treatment.chemistry import treatment_redox
    from ..treatment.costing import cost_train
    from ..treatment.economics import load_economics
    from ..treatment.library import load_library
    from ..treatment.streams import StreamBatch
    from ..treatment.summary import summarise
    from ..treatment.train import simulate_train

    if (
        isinstance(flow_m3_d, bool)
        or not isinstance(flow_m3_d, (int, float))
        or not math.isfinite(flow_m3_d)
        or flow_m3_d <= 0
    ):
        raise InputError(Text.of("treatment.flow_positive", value=repr(flow_m3_d)))
    units = _train_ids(train)
    analyses, sample_id = one_water(water, sample, sheet=sheet)
    one = analyses.subset([sample_id])
    lib = load_library()
    econ = economics or load_economics()
    feed = StreamBatch.from_frame(one.resolved(censored_policy), float(flow_m3_d))
    basis = treatment_redox(redox)
    result = simulate_train(
        units,
        feed,
        library=lib,
        economics=econ,
        database=None if database is None else str(database),
        redox=basis.label,
    )
    cost = cost_train(result, econ)
    out: dict[str, Any] = {
        "sample_id": sample_id,
        "price_year": econ.price_year,
        "currency": "CNY",
        "redox_basis": basis.label,
    }
    out.update(summarise(result, cost, 0))
    notes = one.censored_notes(censored_policy).get(sample_id, [])
    out["warnings"] = notes + out["warnings"]
    out["warnings_i18n"] = message_dicts(out["warnings"])
    out["provenance"] = {
        "cbmwater": __version__,
        "unit_library": str(lib.path.name),
        "analyses_sha256": one.fingerprint(),
        "source": resource_label(analyses.source),
    }
    return TreatmentResult.from_dict(out)


def unit_library() -> list[dict[str, Any]]:
    """Every unit process of the bundled library (``cbmwater units --format json``).

    Returns
    -------
    list of dict
        ``id``, ``name_en``, ``name_zh``, ``category``, ``model``, ``residual``, ``recovery``
        (-), ``removal`` (fraction per constituent), ``energy_kWh_m3``, chemicals (mg/L),
        capital curve, params and sources (WaterTAP cost data, project references).

    Examples
    --------
    >>> import cbmwater
    >>> "brackish_ro" in [u["id"] for u in cbmwater.unit_library()]
    True
    """
    from ..treatment.library import load_library

    rows = []
    for u in load_library():
        rows.append(
            {
                "id": u.id,
                "name_en": u.name_en,
                "name_zh": u.name_zh,
                "category": u.category,
                "model": u.model,
                "residual": u.residual,
                "recovery": u.recovery,
                "removal": u.removal,
                "energy_kWh_m3": u.energy_kWh_m3,
                "energy_kWh_m3_per_g_L_TDS": u.energy_kWh_m3_per_g_L_TDS,
                "chemicals": [
                    {
                        "chemical": c.chemical,
                        "dose_mg_L": c.dose_mg_L,
                        "per_mg_removed": c.per_mg_removed,
                    }
                    for c in u.chemicals
                ],
                "capital": vars(u.capital),
                "params": u.params,
                "sources": u.sources,
            }
        )
    return rows


def economics_defaults() -> dict[str, float]:
    """The bundled prices a treatment is costed with (``databases/treatment/economics.toml``).

    Returns
    -------
    dict
        ``price_year`` (the CNY's year), ``electricity_CNY_kWh`` (CNY/kWh), ``discount_rate``
        (fraction per year), ``life_yr`` (years) and ``crf_per_yr`` (capital recovery factor,
        1/yr).

    Examples
    --------
    >>> d = economics_defaults()
    >>> d["price_year"], 0 < d["discount_rate"] < 0.2
    (2024, True)
    """
    from ..treatment.economics import load_economics

    e = load_economics()
    return {
        "price_year": e.price_year,
        "electricity_CNY_kWh": float(e.electricity_CNY_kWh),
        "discount_rate": float(e.discount_rate),
        "life_yr": float(e.life_yr),
        "crf_per_yr": float(e.crf()),
    }


def economics(**overrides: float | None) -> Economics | None:
    """The bundled economics with some prices changed, for :func:`treat` (``economics=``).

    Parameters
    ----------
    **overrides
        Any of :data:`ECONOMICS_OVERRIDES`; None, or the bundled value, keeps the bundled one.

    Returns
    -------
    Economics or None
        None when nothing changes (then :func:`treat` uses the bundled prices exactly).

    Raises
    ------
    InputError
        An unknown price, or a value the economics refuses (negative, zero life ...).

    Examples
    --------
    >>> economics(life_yr=None) is None
    True
    >>> economics(electricity_CNY_kWh=1.0).electricity_CNY_kWh
    1.0
    """
    from ..treatment.economics import load_economics

    unknown = sorted(set(overrides) - set(ECONOMICS_OVERRIDES))
    if unknown:
        raise InputError(
            Text.of(
                "study.error.economics_override",
                unknown=joined(unknown),
                allowed=joined(ECONOMICS_OVERRIDES),
            )
        )
    base = load_economics()
    changes = {
        k: float(v)
        for k, v in overrides.items()
        if v is not None and float(v) != float(getattr(base, k))
    }
    return base.with_(**changes) if changes else None


def check_train(units: list[str]) -> None:
    """Refuse a train the unit library's precedence rules do not allow.

    Parameters
    ----------
    units : list of str
        Unit ids in order (``ph_adjustment:6.5``-style targets are not taken here).

    Raises
    ------
    InputError
        An unknown unit (with the nearest id), a repeated unit, or a unit before one it must
        follow (``databases/treatment/precedence.csv``).

    Examples
    --------
    >>> check_train(["coagulation", "sedimentation", "cartridge_filter", "brackish_ro"])
    >>> check_train(["coagulation", "sedimentation", "brackish_ro"])
    Traceback (most recent call last):
    ...
    cbmwater.errors.InputError: ...
    """
    from ..treatment.library import load_library
    from ..treatment.precedence import check_order

    check_order(list(units), load_library())


def candidate_trains(
    pool: list[str] | tuple[str, ...] | None = None, *, max_units: int = 8, limit: int = 500
) -> list[list[str]]:
    """Trains built stage by stage (``databases/treatment/stages.csv``) that every precedence
    rule allows.

    Parameters
    ----------
    pool : list of str, optional
        Only these units (default: the whole library).
    max_units : int
        Longest train.
    limit : int
        Most trains returned.

    Returns
    -------
    list of list of str
        Unit ids in order; each passes :func:`check_train`.

    Examples
    --------
    >>> trains = candidate_trains(["coagulation", "sedimentation", "cartridge_filter",
    ...                            "brackish_ro"])
    >>> ["coagulation", "sedimentation", "cartridge_filter", "brackish_ro"] in trains
    True
    """
    from ..treatment.library import load_library
    from ..treatment.precedence import candidate_trains as _candidates

    return _candidates(
        load_library(), pool=None if pool is None else list(pool), max_units=max_units, limit=limit
    )


def desalting_units() -> tuple[str, ...]:
    """Ids of the library's units that remove dissolved salt: those of a category in
    :data:`DESALTING_CATEGORIES` (nanofiltration, reverse osmosis, EDR, thermal units).

    Examples
    --------
    >>> {"brackish_ro", "nanofiltration", "edr"} <= set(desalting_units())
    True
    >>> "ultrafiltration" in desalting_units()
    False
    """
    from ..treatment.library import load_library

    return tuple(u.id for u in load_library() if u.category in DESALTING_CATEGORIES)
