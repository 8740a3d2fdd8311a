"""What the Treatment page computes, without Streamlit: engine calls, tables and export bytes.

Only the engine's public API is used (``cbmwater`` and ``cbmwater.study``).  Every function is
plain so it can be tested without a browser; the page caches :func:`treat` with
``st.cache_data``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

import cbmwater
from cbmwater import InputError, render
from cbmwater.app import logic
from cbmwater.i18n import Message
from cbmwater.study import BUNDLED_ANALYSES
from cbmwater.study import treatment as api
from cbmwater.study.vocabulary import CONSTITUENT_NAMES, constituent_unit
from cbmwater.study.water import tds_sum

if TYPE_CHECKING:  # pragma: no cover
    from cbmwater.study.treatment import Economics, StreamQuality
    from cbmwater.study.water import AnalysisSet

__all__ = [
    "DEFAULT_TRAIN",
    "STARTER_POOL",
    "KEY_CONSTITUENTS",
    "COST_CATEGORIES",
    "TDS_COLUMN",
    "library",
    "unit_ids",
    "unit_label",
    "default_target_pH",
    "si_allowance",
    "starter_trains",
    "train_tokens",
    "order_error",
    "read_bytes",
    "sample_ids",
    "economics_with",
    "treat",
    "stage_table",
    "chart_table",
    "cost_table",
    "residual_table",
    "membrane_stages",
    "result_json",
    "stage_csv",
]

#: Train shown when the page opens (pretreatment -> UF -> brackish RO, qinshui_standards T3).
DEFAULT_TRAIN: tuple[str, ...] = (
    "coagulation",
    "sedimentation",
    "multimedia_filter",
    "ultrafiltration",
    "brackish_ro",
)
#: Units the candidate-train picker combines: the common SQB produced-water units (kept small so
#: :func:`candidate_trains` stays fast and the list short).
STARTER_POOL: tuple[str, ...] = (
    "coagulation",
    "sedimentation",
    "multimedia_filter",
    "cartridge_filter",
    "ultrafiltration",
    "ph_adjustment",
    "nanofiltration",
    "brackish_ro",
    "edr",
)
#: Constituents plotted stage by stage (mg/L); TDS is added as the sum of dissolved constituents.
KEY_CONSTITUENTS: tuple[str, ...] = ("Na", "Cl", "HCO3", "F", "Ca", "Ba", "SiO2")
TDS_COLUMN = "TDS_sum"
#: Cost categories of ``breakdown`` in display order (CNY/yr; capital annualised).
COST_CATEGORIES: tuple[str, ...] = (
    "capital",
    "electricity",
    "chemicals",
    "replacement",
    "labour",
    "maintenance",
    "sludge_disposal",
    "brine_disposal",
)


# ------------------------------------------------------------------ unit library and trains
@lru_cache(maxsize=1)
def library() -> dict[str, dict]:
    """The unit library (``cbmwater.unit_library()``) by unit id, in library order."""
    return {u["id"]: u for u in cbmwater.unit_library()}


def unit_ids() -> list[str]:
    """Every unit id of the library, in library order."""
    return list(library())


def unit_label(unit_id: str, lang: str = "en") -> str:
    """``"id — name"`` in English, the name alone in Chinese (the id alone if the library lacks
    it)."""
    if unit_id not in library():
        return unit_id
    name = unit_name(unit_id, lang)
    return name if lang == "zh" else f"{unit_id} — {name}"


def unit_name(unit_id: str, lang: str = "en") -> str:
    """Name of a unit in ``lang``, from the engine catalogue (``unit.<id>``; the id if
    unknown)."""
    if unit_id not in library():
        return unit_id
    return str(render(Message(f"unit.{unit_id}"), lang))


def train_text(
    units: list[str] | tuple[str, ...], lang: str, target_pH: float | None = None
) -> str:
    """A train as the page shows it: ``a → b → c`` of the engine's tokens (ids, with
    ``ph_adjustment:7``) in English, of the units' names (pH target in brackets) in Chinese."""
    if lang != "zh":
        return " → ".join(train_tokens(list(units), target_pH))
    names = []
    for u in units:
        name = unit_name(u, lang)
        if u == "ph_adjustment" and target_pH is not None:
            name += f"（pH {float(target_pH):g}）"
        names.append(name)
    return " → ".join(names)


def warnings(result: dict, lang: str) -> list[str]:
    """The run's warnings in ``lang`` (from ``warnings_i18n``)."""
    return [str(w) for w in logic.engine_text(result, "warnings", lang) or []]


def default_target_pH() -> float:
    """The library's default target pH of ``ph_adjustment``."""
    return float(library()["ph_adjustment"]["params"].get("target_pH", 7.0))


def si_allowance(unit_id: str) -> dict[str, float]:
    """Mineral -> highest concentrate SI the membrane unit allows with antiscalant (library)."""
    spec = library().get(unit_id)
    if spec is None:
        return {}
    return {str(k): float(v) for k, v in dict(spec["params"].get("si_allowance", {})).items()}


@lru_cache(maxsize=1)
def starter_trains() -> tuple[tuple[str, ...], ...]:
    """A short list of sensible trains to start from.

    From ``candidate_trains(pool=STARTER_POOL)``: those with the full particle pretreatment
    (coagulation, sedimentation, multimedia filter) that either stop there or end in a
    desalting unit, shortest first.
    """
    trains = api.candidate_trains(STARTER_POOL, limit=500)
    desalting = api.desalting_units()
    keep = [
        tuple(tr)
        for tr in trains
        if tr[:3] == ["coagulation", "sedimentation", "multimedia_filter"]
        and (len(tr) == 3 or tr[-1] in desalting)
    ]
    keep.sort(key=len)
    return tuple(keep)


def train_tokens(units: list[str], target_pH: float | None = None) -> list[str]:
    """Train tokens for the engine: ``ph_adjustment`` gets ``:target_pH`` when one is given."""
    out = []
    for u in units:
        if u == "ph_adjustment" and target_pH is not None:
            out.append(f"ph_adjustment:{float(target_pH):g}")
        else:
            out.append(u)
    return out


def order_error(units: list[str], lang: str = "en") -> str | None:
    """Why ``units`` (ids, in order) cannot be a train, in ``lang`` (the engine's
    ``treatment.order.*`` message), or None when the order is allowed."""
    try:
        api.check_train(list(units))
    except InputError as exc:
        return exc.render(lang)
    return None


# ------------------------------------------------------------------ water
def read_bytes(data: bytes, filename: str, sheet: str | None = None) -> AnalysisSet:
    """The AnalysisSet of an uploaded lab file given as bytes (errors name ``filename``)."""
    return logic.with_upload(data, filename, cbmwater.read_analyses, sheet=sheet)


def _analyses(data: bytes, filename: str, bundled: bool, sheet: str | None) -> AnalysisSet:
    if bundled:
        return cbmwater.read_analyses(BUNDLED_ANALYSES)
    return read_bytes(data, filename, sheet)


def sample_ids(data: bytes, filename: str, bundled: bool, sheet: str | None = None) -> list[str]:
    """Sample ids of the bundled set or of an uploaded file."""
    return list(_analyses(data, filename, bundled, sheet).sample_ids)


# ------------------------------------------------------------------ engine run
def economics_with(
    electricity_CNY_kWh: float | None = None,
    discount_rate: float | None = None,
    life_yr: float | None = None,
) -> Economics | None:
    """The bundled economics with the given overrides (None, or equal to the default, = keep).

    Returns None when nothing changes, so the engine uses its defaults exactly.
    """
    return api.economics(
        electricity_CNY_kWh=electricity_CNY_kWh, discount_rate=discount_rate, life_yr=life_yr
    )


def treat(
    data: bytes,
    filename: str,
    bundled: bool,
    sheet: str | None,
    sample_id: str,
    train: list[str] | tuple[str, ...],
    flow_m3_d: float,
    electricity_CNY_kWh: float | None = None,
    discount_rate: float | None = None,
    life_yr: float | None = None,
) -> dict[str, object]:
    """``treat_analyses`` on one sample of the bundled set or an upload, with economics overrides.

    Raises
    ------
    cbmwater.errors.CbmwaterError
        Bad file, unknown sample or unit, impossible order, bad override.
    """
    econ = economics_with(electricity_CNY_kWh, discount_rate, life_yr)
    analyses = _analyses(data, filename, bundled, sheet)
    out = cbmwater.treat(
        analyses, list(train), flow_m3_d=float(flow_m3_d), sample=sample_id, economics=econ
    ).to_dict()
    if not bundled:
        out.setdefault("provenance", {})["source"] = Path(filename).name
    return out


# ------------------------------------------------------------------ tables
def _tds(conc: dict[str, float]) -> float:
    return tds_sum(conc)


def _conc_columns(result: dict) -> list[str]:
    """Concentration names present anywhere in the result, in vocabulary order."""
    names: set[str] = set(result["feed"]["concentrations"])
    for s in result["stages"]:
        names |= set(s["outlet"]["concentrations"])
    known = [c for c in CONSTITUENT_NAMES if c in names]
    return known + sorted(names - set(known))


def stage_table(result: dict) -> pd.DataFrame:
    """One row for the feed and one per stage outlet.

    Columns: ``stage`` (0 = feed), ``unit``, ``name_en``, ``name_zh``, ``flow_m3_d``,
    ``recovery`` (stage, fraction), ``energy_kWh_d``, ``pH``, ``temp_C``, every constituent in
    mg/L (canonical name, its vocabulary unit), and :data:`TDS_COLUMN` (mg/L, sum of dissolved
    constituents, :func:`cbmwater.study.water.tds_sum`).
    """
    conc_cols = _conc_columns(result)
    rows = []

    def row(
        i: int, unit: str, en: str, zh: str, stream: StreamQuality, recovery: float, energy: float
    ) -> None:
        c = stream["concentrations"]
        r = {
            "stage": i,
            "unit": unit,
            "name_en": en,
            "name_zh": zh,
            "flow_m3_d": stream["flow_m3_d"],
            "recovery": recovery,
            "energy_kWh_d": energy,
            "pH": stream.get("pH"),
            "temp_C": stream.get("temp_C"),
        }
        r.update({k: c.get(k, math.nan) for k in conc_cols})
        r[TDS_COLUMN] = _tds(c)
        rows.append(r)

    row(0, "feed", "Feed", "进水", result["feed"], math.nan, math.nan)
    for i, s in enumerate(result["stages"], start=1):
        row(i, s["unit"], s["name_en"], s["name_zh"], s["outlet"], s["recovery"], s["energy_kWh_d"])
    df = pd.DataFrame(rows)
    return df.astype(
        {
            c: float
            for c in (
                "flow_m3_d",
                "recovery",
                "energy_kWh_d",
                "pH",
                "temp_C",
                *conc_cols,
                TDS_COLUMN,
            )
        }
    )


#: The policies every stage states (``Stage.policies``), in table order.
POLICIES = ("co2", "redox", "solids")


def policy_table(result: dict, lang: str = "en") -> pd.DataFrame:
    """One row per stage: ``stage``, ``unit`` (its name in ``lang``), and the unit's stated
    ``co2``, ``redox`` and ``solids`` policies (engine text, DESIGN.md §5) in ``lang`` (from
    ``policies_i18n``; a result without it shows the English ``policies``)."""
    rows = []
    for i, s in enumerate(result["stages"], start=1):
        p = s.get("policies", {})
        msgs = s.get("policies_i18n") or {}
        text = {k: str(render(msgs[k], lang) if k in msgs else p.get(k, "")) for k in POLICIES}
        rows.append(
            {
                "stage": i,
                "unit": unit_name(s["unit"], lang) if s["unit"] in library() else s["name_en"],
                **text,
            }
        )
    return pd.DataFrame(rows, columns=["stage", "unit", "co2", "redox", "solids"])


def chart_table(result: dict) -> pd.DataFrame:
    """Long table (stage, unit, constituent, mg_L) of the outlet of every stage for the chart:
    :data:`KEY_CONSTITUENTS` and :data:`TDS_COLUMN`."""
    st = stage_table(result)
    st = st[st["stage"] > 0]
    cols = [c for c in (*KEY_CONSTITUENTS, TDS_COLUMN) if c in st.columns]
    long = st.melt(
        id_vars=["stage", "unit"], value_vars=cols, var_name="constituent", value_name="mg_L"
    )
    return long.reset_index(drop=True)


def cost_table(result: dict) -> pd.DataFrame:
    """Annual cost by unit (rows, train order) and category (columns), CNY/yr, with a
    ``total`` column and a ``total`` row.  Capital is annualised with the CRF."""
    by_unit = result["breakdown"]["by_unit"]
    cats = [c for c in COST_CATEGORIES if any(c in d for d in by_unit.values())]
    cats += sorted({c for d in by_unit.values() for c in d} - set(cats))
    df = pd.DataFrame(
        [{c: float(d.get(c, 0.0)) for c in cats} for d in by_unit.values()],
        index=list(by_unit),
        columns=cats,
    )
    df.index.name = "unit"
    df["total"] = df.sum(axis=1)
    df.loc["total"] = df.sum(axis=0)
    return df


def residual_table(result: dict) -> pd.DataFrame:
    """Residual streams: name, unit, kind, flow_m3_d, dry_kg_d, wet_m3_d, treated_by."""
    cols = ["name", "unit", "kind", "flow_m3_d", "dry_kg_d", "wet_m3_d", "treated_by"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in result["residuals"]], columns=cols)


def membrane_stages(result: dict) -> list[dict]:
    """Stages with a scaling-limited recovery (membranes): each stage dict plus ``si_allowance``
    from the library."""
    out = []
    for s in result["stages"]:
        if "recovery_limit" in s:
            out.append({**s, "si_allowance": si_allowance(s["unit"])})
    return out


# ------------------------------------------------------------------ exports
def _clean(o: object) -> object:
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    if hasattr(o, "item") and not isinstance(o, (str, bytes)):  # numpy scalars
        return _clean(o.item())
    return o


def result_json(result: dict) -> bytes:
    """The engine's result as UTF-8 JSON (NaN and infinity as null)."""
    return json.dumps(_clean(result), ensure_ascii=False, indent=2, default=str).encode("utf-8")


def stage_csv(result: dict) -> bytes:
    """:func:`stage_table` as UTF-8 CSV with a byte-order mark; units in the headers."""
    df = stage_table(result)
    ren = {
        "flow_m3_d": "flow (m3/d)",
        "recovery": "stage recovery (-)",
        "energy_kWh_d": "energy (kWh/d)",
        "temp_C": "temp (deg C)",
        TDS_COLUMN: "TDS sum (mg/L)",
    }
    for c in df.columns:
        if c in CONSTITUENT_NAMES and c not in ren and c != "pH":
            ren[c] = f"{c} ({constituent_unit(c)})"
    return df.rename(columns=ren).to_csv(index=False).encode("utf-8-sig")
