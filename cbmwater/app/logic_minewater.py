"""What the Mine-water page computes, without Streamlit: waters and their acidity, PHREEQC
neutralisation with every reagent, the selection rules, option sizing, the "one mine, one
policy" plan, figures, tables and export bytes.

Only the engine's public API is used (``cbmwater`` and ``cbmwater.study``).  Every function is plain so it can be tested
without a browser; the page caches the slow ones with ``st.cache_data``.

Waters are the bundled Daji analyses (``cbmwater/case_studies/daji_old_mine/analyses.csv``, constructed)
or an uploaded lab file (read through :func:`logic.with_upload`, so errors name the user's
file).  A plan case is the bundled Daji ``case.toml`` or an uploaded ``.zip`` of a case and its
analyses, extracted by :func:`cbmwater.study.casefiles.read_case_zip` (same safety rules as the
Optimise page) and validated by :func:`cbmwater.study.minewater.mine_case_from_source`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import cbmwater
from cbmwater import CbmwaterError, InputError
from cbmwater.app import logic
from cbmwater.app.i18n import has, t
from cbmwater.app.logic import engine_text, engine_texts, joined_texts
from cbmwater.app.logic_jobs import submit as submit_job
from cbmwater.study import example_path, resource_label
from cbmwater.study import minewater as api
from cbmwater.study import outputs as export
from cbmwater.study.casefiles import bundled_cases as _bundled
from cbmwater.study.casefiles import read_case_zip
from cbmwater.study.minewater import PASSIVE_ACID_LOAD_MAX_KG_D, water_for_rules
from cbmwater.study.vocabulary import CONSTITUENT_NAMES
from cbmwater.study.workspace import InputFile

if TYPE_CHECKING:  # pragma: no cover
    from cbmwater.study.minewater import MineCase
    from cbmwater.study.water import AnalysisSet

__all__ = [
    "case_label",
    "DAJI_DIR",
    "DAJI_CASE",
    "DAJI_ANALYSES",
    "REAGENT_NAMES",
    "OPTION_NAMES",
    "SYSTEM_NAMES",
    "ACTIVE_REAGENT",
    "AMDTREAT_EXAMPLE",
    "GPM_M3_D",
    "PASSIVE_ACID_LOAD_MAX_KG_D",
    "read_waters",
    "sample_values",
    "bundled_points",
    "acidity",
    "water_for_rules",
    "neutralise_all",
    "dose_table",
    "titration_figure",
    "metals_figure",
    "effluent_table",
    "sludge_table",
    "verdicts",
    "size_option",
    "quantities_table",
    "items_table",
    "bundled_cases",
    "load_case_bundled",
    "load_case_zip",
    "case_points",
    "case_destinations",
    "submit_plan",
    "choices_table",
    "sketch_figure",
    "river_table",
    "river_figure",
    "scores_table",
    "scores_figure",
    "options_table",
    "infeasibility_table",
    "plan_json",
    "plan_zip",
    "option_label",
    "system_label",
    "reagent_label",
    "steps_label",
    "method_label",
    "sizing_steps",
    "model_texts",
    "shown_details",
    "control_label",
]

DAJI_DIR = example_path("daji_old_mine")
DAJI_CASE = DAJI_DIR / "case.toml"
DAJI_ANALYSES = DAJI_DIR / "analyses.csv"
REAGENT_NAMES: tuple[str, ...] = api.REAGENT_NAMES
OPTION_NAMES: tuple[str, ...] = api.SIZED_OPTIONS
SYSTEM_NAMES: tuple[str, ...] = api.MINE_SYSTEMS
#: Reagent of each active option (as the plan doses it).
ACTIVE_REAGENT: dict[str, str] = api.ACTIVE_REAGENTS
#: How the page names a case file (repository-relative, never an absolute machine path).
case_label = resource_label
#: 1 US gallon per minute in m3/d.
GPM_M3_D = 3.785411784e-3 * 60 * 24
#: AMDTreat's worked aerobic-wetland example: 50 gpm, Fe 15 mg/L, Mn 10 mg/L.
AMDTREAT_EXAMPLE: dict[str, Any] = {
    "option": "wetland",
    "flow_m3_d": round(50 * GPM_M3_D, 2),
    "fe_mg_L": 15.0,
    "mn_mg_L": 10.0,
}
COLOURS = {
    "NaOH": "#4c78a8",
    "Ca(OH)2": "#f58518",
    "CaO": "#54a24b",
    "CaCO3": "#9d755d",
    "Na2CO3": "#b279a2",
}
METAL_COLOURS = {"Fe": "#e45756", "Al": "#72b7b2", "Mn": "#b279a2"}
DEST_COLOURS = ["#4c78a8", "#54a24b", "#f58518", "#e45756", "#72b7b2", "#b279a2"]
_UNREACHABLE_MAX_DOSE_MMOL_L = 10.0


# ------------------------------------------------------------------ labels
def _t(key: str, lang: str, fallback: str, **fields: object) -> str:
    return t(key, lang, **fields) if has(key) else fallback


def option_label(option: str, lang: str) -> str:
    return _t(f"mw_opt_{option}", lang, option)


def system_label(system: str, lang: str) -> str:
    return _t(f"mw_sys_{system}", lang, system)


def reagent_label(reagent: str, lang: str) -> str:
    return _t(f"mw_reagent_{reagent}", lang, reagent)


def control_label(name: str, lang: str) -> str:
    return t("mw_no_control", lang) if name == "none" else name


def steps_label(steps: list, lang: str) -> str:
    """The plan's steps as text in ``lang``: the engine's messages (``steps_i18n``: an option's
    name, ``"lime_slurry: Ca(OH)2 657 mg/L to pH 8.5 (PHREEQC)"``) or, from a plan saved before
    they were messages, the English steps with the option ids named."""
    out = []
    for s in steps or []:
        if isinstance(s, Mapping):
            out.append(str(cbmwater.render(s, lang)))
            continue
        head, sep, rest = str(s).partition(": ")
        if head in OPTION_NAMES:
            out.append(option_label(head, lang) + (f" ({rest})" if sep else ""))
        else:
            out.append(str(s))
    return " → ".join(out)


def _plan_steps(item: Mapping[str, Any]) -> list:
    return list(item.get("steps_i18n") or item.get("steps") or [])


# ------------------------------------------------------------------ waters
def read_waters(data: bytes, filename: str, bundled: bool, sheet: str | None = None) -> AnalysisSet:
    """The AnalysisSet of the bundled Daji analyses or of an uploaded lab file."""
    if bundled:
        return cbmwater.read_analyses(DAJI_ANALYSES)
    return logic.with_upload(data, filename, cbmwater.read_analyses, sheet=sheet)


def sample_values(
    data: bytes, filename: str, bundled: bool, sheet: str | None = None
) -> dict[str, dict[str, float]]:
    """sample_id -> {canonical name: mg/L (pH)} of the measured values (below-detection cells
    at half the limit, as the plan reads them)."""
    values = read_waters(data, filename, bundled, sheet).resolved("half")
    out: dict[str, dict[str, float]] = {}
    for sid, row in values.iterrows():
        out[str(sid)] = {
            str(k): float(v)
            for k, v in row.items()
            if str(k) in CONSTITUENT_NAMES
            and isinstance(v, (int, float, np.floating))
            and math.isfinite(float(v))
        }
    return out


def bundled_points() -> dict[str, dict[str, Any]]:
    """analysis sample_id -> {point, design_flow_m3_d (largest seasonal), land_m2} of the Daji
    case (empty if the case cannot be read)."""
    try:
        case = cbmwater.load_mine_case(DAJI_CASE)
    except CbmwaterError:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for p in case.points:
        flows = [float(v) for v in dict(p.flow_m3_d).values()]
        out[str(p.analysis)] = {
            "point": p.name,
            "design_flow_m3_d": max(flows) if flows else None,
            "land_m2": p.land_m2,
        }
    return out


def acidity(
    data: bytes,
    filename: str,
    bundled: bool,
    sheet: str | None,
    missing_alkalinity: str = "error",
    fe_policy: str = "ferrous",
    flows_m3_d: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Kirby & Cravotta acidity of every sample: the engine's table (index sample_id) with a
    ``net_acidic`` column added, and the report's warnings."""
    kw: dict[str, Any] = dict(
        missing_alkalinity=missing_alkalinity, fe_policy=fe_policy, flows_m3_d=flows_m3_d
    )
    if bundled:
        rep = cbmwater.acidity(DAJI_ANALYSES, **kw)
    else:
        rep = logic.with_upload(data, filename, cbmwater.acidity, **kw)
    table = rep.table.copy()
    table["net_acidic"] = table["net_acidity_mg_L_CaCO3"] > 0
    return table, list(rep.warnings)


# ------------------------------------------------------------------ neutralisation
def neutralise_all(
    values: dict[str, float],
    target_pH: float,
    co2: str = "closed",
    fe_oxidised_fraction: float = 1.0,
    flow_m3_d: float | None = None,
    fe_policy: str = "ferrous",
) -> dict[str, dict]:
    """:func:`neutralise` one water with every reagent.

    Returns reagent -> ``{"ok": True, "result": Neutralisation.as_dict()}`` or, when the target
    cannot be reached (or PHREEQC fails), ``{"ok": False, "message": str, "curve": [records]}``
    with the titration curve up to the largest dose range of the other reagents (so the level
    stretch shows), ``"curve"`` empty if even that fails.
    """
    runs: dict[str, dict] = {}
    kw: dict[str, Any] = dict(
        co2=co2, fe_oxidised_fraction=fe_oxidised_fraction, fe_policy=fe_policy
    )
    for r in REAGENT_NAMES:
        try:
            res = cbmwater.neutralise(values, r, target_pH, flow_m3_d=flow_m3_d, **kw)
        except CbmwaterError as exc:
            unreachable = isinstance(exc, InputError) and exc.column == "target_pH"
            runs[r] = {
                "ok": False,
                "message": exc.detail if isinstance(exc, InputError) and unreachable else str(exc),
                "message_i18n": (
                    exc.message.to_dict() if unreachable and exc.message is not None else None
                ),
                "unreachable": unreachable,
                "curve": [],
            }
        else:
            runs[r] = {"ok": True, "result": res.to_dict()}
    ok_max = [
        max(p["dose_mmol_L"] for p in run["result"]["curve"])
        for run in runs.values()
        if run["ok"] and run["result"]["curve"]
    ]
    d_max = max(ok_max) if ok_max and max(ok_max) > 0 else _UNREACHABLE_MAX_DOSE_MMOL_L
    for r, run in runs.items():
        if run["ok"]:
            continue
        try:
            curve = cbmwater.titration_curve(values, r, d_max, **kw)
        except CbmwaterError:
            continue
        run["curve"] = curve.to_dict(orient="records")
    return runs


def run_message(run: dict, lang: str = "en") -> str:
    """Why a reagent's run failed, in ``lang`` (an unreachable target from its message; any
    other error as the engine wrote it)."""
    msg = run.get("message_i18n")
    return str(cbmwater.render(msg, lang)) if msg else str(run.get("message", ""))


def notes(result: dict, lang: str = "en") -> list[str]:
    """A neutralisation's notes in ``lang``."""
    return [str(n) for n in engine_text(result, "notes", lang) or []]


def acidity_notes(table: pd.DataFrame, lang: str = "en") -> list[str]:
    """The ``notes`` of an acidity table (from :func:`acidity`, any index or ``sample_id``
    column) in ``lang``, row by row (the table keeps their messages in ``attrs["notes"]``)."""
    texts = table.attrs.get("notes", {})
    ids = table["sample_id"] if "sample_id" in table.columns else table.index
    return [str(cbmwater.render(texts.get(str(s), n), lang)) for s, n in zip(ids, table["notes"])]


def texts(items: list, lang: str = "en") -> list[str]:
    """Engine texts (warnings of a case, an acidity report...) in ``lang``."""
    return engine_texts(items, lang)


def sizing_warnings(res: dict, lang: str = "en") -> tuple[list[str], list[str]]:
    """A sizing's warnings in ``lang``, split into (warnings to show, inputs the option does not
    use and ignored)."""
    msgs = res.get("warnings_i18n") or list(res.get("warnings") or [])
    shown: list[str] = []
    ignored: list[str] = []
    for m in msgs:
        code = m.get("code") if isinstance(m, dict) else None
        text = str(cbmwater.render(m, lang))
        is_ignored = code == "minewater.sizing.ignored" or (
            code is None and str(m).endswith("and was ignored")
        )
        (ignored if is_ignored else shown).append(text)
    return shown, ignored


def verdict_reasons(table: pd.DataFrame, lang: str = "en") -> list[str]:
    """The ``reasons`` column of :func:`verdicts` in ``lang``."""
    msgs = table.attrs.get("reasons_i18n")
    if msgs is None:
        return list(table["reasons"])
    return [joined_texts(m, lang) for m in msgs]


def infeasibility_summary(res: dict, lang: str = "en") -> list[str]:
    """The plan's infeasibility summary in ``lang`` (empty when there is none)."""
    inf = res.get("infeasibility") or {}
    return [str(s) for s in engine_text(inf, "summary", lang) or []]


def _reasons(item: dict, lang: str) -> str:
    return joined_texts(item.get("reasons_i18n") or item.get("reasons") or [], lang)


def _curve(run: dict) -> pd.DataFrame:
    rec = run["result"]["curve"] if run["ok"] else run.get("curve", [])
    return pd.DataFrame(rec)


def dose_table(runs: dict[str, dict]) -> pd.DataFrame:
    """One row per reagent: dose (mmol/L, meq/L, mg/L, kg/d at the flow), the pH reached, dry
    sludge (mg/L, kg/d), LDS and HDS volumes (L/m3 and m3/d) and, when the target is out of
    reach, the engine's message."""
    rows = []
    for r, run in runs.items():
        row: dict[str, object] = {"reagent": r, "reached": bool(run["ok"])}
        if run["ok"]:
            d = run["result"]
            vols = d.get("sludge_volumes") or {}
            row.update(
                {
                    "dose_mmol_L": d["dose_mmol_L"],
                    "dose_meq_L": d["dose_meq_L"],
                    "dose_mg_L": d["dose_mg_L"],
                    "reagent_kg_d": d.get("reagent_kg_d"),
                    "achieved_pH": d["achieved_pH"],
                    "sludge_dry_mg_L": d["sludge_dry_mg_L"],
                    "sludge_dry_kg_d": d.get("sludge_dry_kg_d"),
                    "LDS_L_m3": (vols.get("LDS") or {}).get("volume_L_per_m3"),
                    "LDS_m3_d": (vols.get("LDS") or {}).get("volume_m3_d"),
                    "HDS_L_m3": (vols.get("HDS") or {}).get("volume_L_per_m3"),
                    "HDS_m3_d": (vols.get("HDS") or {}).get("volume_m3_d"),
                    "message": "",
                }
            )
        else:
            row["message"] = run["message"]
        rows.append(row)
    cols = [
        "reagent",
        "reached",
        "dose_mmol_L",
        "dose_meq_L",
        "dose_mg_L",
        "reagent_kg_d",
        "achieved_pH",
        "sludge_dry_mg_L",
        "sludge_dry_kg_d",
        "LDS_L_m3",
        "LDS_m3_d",
        "HDS_L_m3",
        "HDS_m3_d",
        "message",
    ]
    return pd.DataFrame(rows, columns=cols)


def titration_figure(runs: dict[str, dict], target_pH: float, unit: str, lang: str) -> go.Figure:
    """pH against dose (``unit`` "mg_L" or "mmol_L") for every reagent: one line per reagent
    (``meta.role = "curve"``) and a marker at each reagent's dose to the target (``meta.role =
    "dose"``); the target pH as a dashed line."""
    col = "dose_mg_L" if unit == "mg_L" else "dose_mmol_L"
    unit_text = t(f"mw_unit_{unit}", lang)
    fig = go.Figure()
    for r, run in runs.items():
        c = _curve(run)
        if c.empty:
            continue
        name = reagent_label(r, lang)
        colour = COLOURS.get(r, "#888888")
        fig.add_trace(
            go.Scatter(
                x=[float(v) for v in c[col]],
                y=[float(v) for v in c["pH"]],
                mode="lines",
                name=name,
                legendgroup=r,
                line={"color": colour, "width": 2},
                meta={"role": "curve", "reagent": r},
                hovertemplate=name + "<br>%{x:,.4g} " + unit_text + " → pH %{y:.2f}<extra></extra>",
            )
        )
        if run["ok"]:
            d = run["result"]
            fig.add_trace(
                go.Scatter(
                    x=[float(d[col])],
                    y=[float(d["achieved_pH"])],
                    mode="markers",
                    name=name,
                    legendgroup=r,
                    showlegend=False,
                    meta={"role": "dose", "reagent": r},
                    marker={
                        "color": colour,
                        "size": 12,
                        "symbol": "diamond",
                        "line": {"color": "black", "width": 1},
                    },
                    hovertemplate=t("mw_dose_hover", lang, reagent=name, unit=unit_text)
                    + "<extra></extra>",
                )
            )
    fig.add_hline(
        y=float(target_pH),
        line_dash="dash",
        line_color="grey",
        annotation_text=t("mw_target_line", lang, pH=target_pH),
        annotation_position="bottom right",
    )
    fig.update_layout(
        height=460,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        title={"text": t("mw_titration_title", lang), "font": {"size": 14}},
        legend={"orientation": "h", "y": -0.18, "x": 0, "yanchor": "top"},
        xaxis={"title": {"text": t("mw_titration_x", lang, unit=unit_text)}, "rangemode": "tozero"},
        yaxis={"title": {"text": t("mw_titration_y", lang)}},
    )
    return fig


def metals_figure(run: dict, reagent: str, target_pH: float, lang: str) -> go.Figure:
    """Dissolved Fe, Al and Mn (mg/L, log axis) against pH along one reagent's curve."""
    c = _curve(run).sort_values("pH") if not _curve(run).empty else _curve(run)
    fig = go.Figure()
    for m in ("Fe", "Al", "Mn"):
        colname = f"{m}_mg_L"
        if c.empty or colname not in c:
            continue
        fig.add_trace(
            go.Scatter(
                x=[float(v) for v in c["pH"]],
                y=[float(v) for v in c[colname]],
                mode="lines+markers",
                name=m,
                line={"color": METAL_COLOURS[m]},
                marker={"size": 5},
                meta={"role": "metal", "metal": m},
                hovertemplate=m + ": %{y:.3g} mg/L at pH %{x:.2f}<extra></extra>",
            )
        )
    fig.add_vline(x=float(target_pH), line_dash="dash", line_color="grey")
    fig.update_layout(
        height=400,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        title={
            "text": t("mw_metals_title", lang, reagent=reagent_label(reagent, lang)),
            "font": {"size": 14},
        },
        legend={"orientation": "h", "y": -0.18, "x": 0, "yanchor": "top"},
        xaxis={"title": {"text": t("mw_metals_x", lang)}},
        yaxis={"title": {"text": t("mw_metals_y", lang)}, "type": "log", "exponentformat": "power"},
    )
    return fig


def effluent_table(values: dict[str, float], run: dict) -> pd.DataFrame:
    """Raw water against the effluent of one reagent at the target: ``constituent``, ``raw``,
    ``effluent`` (mg/L; pH; alkalinity, acidity and net acidity in mg/L as CaCO3)."""
    eff = run["result"]["effluent"] if run.get("ok") else {}
    keys = ["pH"] + [
        k
        for k in eff
        if k not in ("pH", "alkalinity_CaCO3", "acidity_calc_mg_L_CaCO3", "net_acidity_mg_L_CaCO3")
    ]
    keys += [
        k
        for k in ("alkalinity_CaCO3", "acidity_calc_mg_L_CaCO3", "net_acidity_mg_L_CaCO3")
        if k in eff
    ]
    rows = [{"constituent": k, "raw": values.get(k), "effluent": eff.get(k)} for k in keys]
    return pd.DataFrame(rows, columns=["constituent", "raw", "effluent"])


def sludge_table(run: dict, lang: str = "en") -> pd.DataFrame:
    """The phases that precipitated at the target: phase, label (name and formula in
    ``lang``), mmol/L, mg/L, SG."""
    ph = run["result"].get("sludge_phases") or {} if run.get("ok") else {}
    rows = [
        {
            "phase": p,
            "label": engine_text(v, "label", lang),
            "mmol_L": v.get("mmol_L"),
            "mg_L": v.get("mg_L"),
            "specific_gravity": v.get("specific_gravity"),
        }
        for p, v in ph.items()
    ]
    return pd.DataFrame(rows, columns=["phase", "label", "mmol_L", "mg_L", "specific_gravity"])


# ------------------------------------------------------------------ rules and sizing
def verdicts(
    values: dict[str, float],
    net_acidity: float,
    flow_m3_d: float,
    mn_limit_mg_L: float | None = None,
    land_m2: float | None = None,
    acid_load_max_kg_d: float = PASSIVE_ACID_LOAD_MAX_KG_D,
) -> pd.DataFrame:
    """The Hedin/Skousen verdict of every option for one water: ``option``, ``role``,
    ``admissible``, ``reasons`` (text).  With ``land_m2`` the passive options are sized at the
    flow and compared with it (:func:`cbmwater.study.minewater.option_verdicts`)."""
    out = api.option_verdicts(
        values,
        float(net_acidity),
        flow_m3_d=float(flow_m3_d),
        mn_limit_mg_L=mn_limit_mg_L,
        land_m2=land_m2,
        acid_load_max_kg_d=acid_load_max_kg_d,
    )
    rows = [
        {
            "option": v["option"],
            "role": v["role"],
            "admissible": bool(v["admissible"]),
            "reasons": "; ".join(v["reasons"]),
        }
        for v in out
    ]
    df = pd.DataFrame(rows, columns=["option", "role", "admissible", "reasons"])
    # the reasons as messages, for :func:`verdict_reasons` in the user's language
    df.attrs["reasons_i18n"] = [v.get("reasons_i18n") or v["reasons"] for v in out]
    return df


def size_option(
    option: str,
    flow_m3_d: float,
    net_acidity: float | None = None,
    fe_mg_L: float | None = None,
    mn_mg_L: float | None = None,
    retention_h: float | None = None,
    life_yr: float | None = None,
    dose_mg_L: float | None = None,
    sludge_dry_mg_L: float | None = None,
) -> dict:
    """:func:`cbmwater.size_option` as a JSON-ready dict.  For an active option a
    PHREEQC dose (and its dry sludge) may be given, as the plan does."""
    kw: dict[str, object] = {}
    if option in ACTIVE_REAGENT and dose_mg_L is not None:
        kw["dose_mg_L"] = float(dose_mg_L)
        if sludge_dry_mg_L is not None:
            kw["sludge_dry_mg_L"] = float(sludge_dry_mg_L)
    return cbmwater.size_option(
        option,
        float(flow_m3_d),
        net_acidity=net_acidity,
        fe_mg_L=fe_mg_L,
        mn_mg_L=mn_mg_L,
        retention_h=retention_h,
        life_yr=life_yr,
        **kw,
    ).to_dict()


_QUANTITIES = (
    ("area_m2", "m²"),
    ("footprint_m2", "m²"),
    ("land_m2", "m²"),
    ("volume_m3", "m³"),
    ("limestone_t", "t"),
    ("capex_CNY", "CNY"),
    ("opex_CNY_yr", "CNY/yr"),
    ("recap_PV_CNY", "CNY"),
    ("life_yr", "yr"),
)


def _named(res: dict, field: str, name: str, lang: str) -> str:
    """A name the sizing writes in English (a material, a cost item: ``<field>_i18n[name]``) in
    ``lang``; the name itself when the result has no message for it."""
    msg = (res.get(f"{field}_i18n") or {}).get(name)
    return str(cbmwater.render(msg, lang)) if msg else str(name)


def method_label(res: dict, lang: str) -> str:
    """The sizing method of a sized option in ``lang``."""
    return str(engine_text(res, "method", lang) or "")


def sizing_steps(res: dict, lang: str) -> list[str]:
    """The worked steps of a sizing (``sources``: formulas and where they come from, the USD ->
    CNY conversion) in ``lang``."""
    return [str(x) for x in engine_text(res, "sources", lang) or []]


def shown_details(details: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """A result's ``details`` / ``model`` for the page's JSON view: in English as they are; in
    Chinese without the engine's English sentences (the page shows those translated, from
    their messages) and with phase names (``precipitates``) named in Chinese."""

    def keep(v: Any) -> Any:
        if isinstance(v, Mapping):
            return {k: keep(x) for k, x in v.items() if not isinstance(x, str)}
        return v

    if lang == "en":
        return dict(details or {})
    out = {k: keep(v) for k, v in (details or {}).items() if not isinstance(v, str)}
    if isinstance(out.get("precipitates"), list):
        out["precipitates"] = [
            str(cbmwater.render({"code": f"phase.{p}", "params": {}}, lang))
            for p in out["precipitates"]
        ]
    out.pop("references", None)
    return out


def model_texts(result: dict, lang: str) -> list[tuple[str, str]]:
    """The neutralisation model's descriptions (``model_i18n``: equilibrium, aeration,
    manganese, co2_description, sludge) as (key, text in ``lang``)."""
    return [(k, str(cbmwater.render(m, lang))) for k, m in (result.get("model_i18n") or {}).items()]


def quantities_table(res: dict, lang: str) -> pd.DataFrame:
    """Size and cost of a sized option: ``key`` (engine field), ``quantity`` (label), ``value``,
    ``unit``; then the areas of the sizing details (``fe_area_m2``, ``mn_area_m2``...) and the
    materials (their units are in their names)."""
    rows = []
    for k, unit in _QUANTITIES:
        v = res.get(k)
        if v is None:
            continue
        label = t(f"mw_q_{k}", lang)
        if k == "volume_m3":
            label += f" ({engine_text(res, 'volume_basis', lang) or ''})"
        rows.append({"key": k, "quantity": label, "value": float(v), "unit": unit})
    for k, v in (res.get("details") or {}).items():
        if (
            (k.endswith("_m2") or k == "retention_h")
            and isinstance(v, (int, float))
            and not isinstance(v, bool)
        ):
            unit = "h" if k == "retention_h" else "m²"
            rows.append(
                {"key": k, "quantity": _t(f"mw_q_{k}", lang, k), "value": float(v), "unit": unit}
            )
    for k, v in (res.get("materials") or {}).items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            rows.append(
                {
                    "key": k,
                    "quantity": _named(res, "materials", k, lang),
                    "value": float(v),
                    "unit": "",
                }
            )
    return pd.DataFrame(rows, columns=["key", "quantity", "value", "unit"])


def items_table(
    items: Mapping[str, float] | None,
    res: dict | None = None,
    field: str = "capex_items",
    lang: str = "en",
) -> pd.DataFrame:
    """Itemised capital or annual cost: ``item`` (named in ``lang`` from ``res[field +
    "_i18n"]``), ``CNY``, with a total row last."""
    rows = [
        {"item": _named(res or {}, field, k, lang), "CNY": float(v)}
        for k, v in (items or {}).items()
    ]
    rows.append({"item": "Σ", "CNY": float(sum(v for v in (items or {}).values()))})
    return pd.DataFrame(rows, columns=["item", "CNY"])


# ------------------------------------------------------------------ plan: cases
def bundled_cases() -> list[Path]:
    """Every bundled mine-water case (``cbmwater/case_studies/*/case.toml`` with ``[[points]]``)."""
    return _bundled("mine")


def load_case_bundled(path: str | Path) -> tuple[MineCase, str]:
    """A bundled mine case and a key naming its content."""
    case = cbmwater.load_mine_case(path)
    return case, f"bundled:{case_label(path)}:{case.sha256[:16]}"


def load_case_zip(
    data: bytes, name: str, workdir: str | Path | None = None
) -> tuple[MineCase, str]:
    """An uploaded mine case: a ``.zip`` of ``case.toml`` and its analyses CSV.

    Raises
    ------
    cbmwater.InputError
        The zip is unreadable or unsafe, lacks its tables, or the case is invalid (the message
        names the zip, never the temporary folder).
    """
    src = read_case_zip(data, name, workdir)
    return api.mine_case_from_source(src), src.key


def case_points(case: Any) -> list[dict]:
    """The case's points: name, analysis, x_km, y_km, flows per season (m3/d), land_m2."""
    return [
        {
            "name": p.name,
            "analysis": p.analysis,
            "x_km": p.x_km,
            "y_km": p.y_km,
            "flow_m3_d": dict(p.flow_m3_d),
            "land_m2": p.land_m2,
        }
        for p in case.points
    ]


def case_destinations(case: Any) -> list[dict]:
    """The case's destinations: name, kind (river | reuse)."""
    return [{"name": d.name, "kind": d.kind} for d in case.destinations]


def submit_plan(
    case: Any,
    budget_CNY: float | None,
    inputs: list[InputFile],
    *,
    options: dict[str, Any] | None = None,
) -> str:
    """Queue :func:`cbmwater.minewater_plan` as a job (a worker process of the server's runner,
    under the per-run memory and time guard); when it is done the plan (``MinePlan.to_dict()``)
    is saved to the workspace with ``inputs`` and ``options``.  Returns the job's id."""
    return submit_job(
        "minewater_plan",
        "minewater_plan",
        {"case": case, "budget_CNY": budget_CNY},
        inputs=inputs,
        options=options,
        label=str(getattr(case, "name", "") or "")[:200],
    )


# ------------------------------------------------------------------ plan: tables
def _seasons(res: dict) -> list[str]:
    for c in res.get("choices") or res.get("options") or []:
        return list(c.get("flows_m3_d", {}))
    return []


def _effluent_text(eff: dict) -> str:
    keys = [k for k in ("pH", "Fe", "Mn", "Al", "SO4", "TSS") if k in (eff or {})]
    return ", ".join(f"{k} {eff[k]:.2f}" if k == "pH" else f"{k} {eff[k]:.3g}" for k in keys)


def choices_table(res: dict, lang: str) -> pd.DataFrame:
    """One row per discharge point of the plan: source control, system, steps, destination,
    flow per season after source control (``flow_<season>``, m3/d), capital, annual cost, NPV
    (CNY), land (m2), dry sludge (t/yr) and the effluent (text, mg/L)."""
    seasons = _seasons(res)
    rows = []
    for c in res.get("choices") or []:
        row = {
            "point": c["point"],
            "source_control": control_label(c["source_control"], lang),
            "flow_factor": c["flow_factor"],
            "system": system_label(c["system"], lang),
            "steps": steps_label(_plan_steps(c), lang),
            "destination": c["destination"],
        }
        for s in seasons:
            row[f"flow_{s}"] = c["flows_m3_d"].get(s)
        row.update(
            {
                "capex_CNY": c["capex_CNY"],
                "annual_cost_CNY_yr": c["annual_cost_CNY_yr"],
                "npv_CNY": c["npv_CNY"],
                "land_m2": c["land_m2"],
                "sludge_t_yr": c["sludge_t_yr"],
                "effluent": _effluent_text(c["effluent"]),
            }
        )
        rows.append(row)
    cols = [
        "point",
        "source_control",
        "flow_factor",
        "system",
        "steps",
        "destination",
        *(f"flow_{s}" for s in seasons),
        "capex_CNY",
        "annual_cost_CNY_yr",
        "npv_CNY",
        "land_m2",
        "sludge_t_yr",
        "effluent",
    ]
    return pd.DataFrame(rows, columns=cols)


def river_table(res: dict) -> pd.DataFrame:
    """The plan's ``river[]``: destination, season, constituent, mixed, background and limit
    (mg/L), discharge and river flow (m3/d), and whether the limit holds."""
    cols = [
        "destination",
        "season",
        "constituent",
        "mixed_mg_L",
        "background_mg_L",
        "limit_mg_L",
        "discharge_m3_d",
        "river_m3_d",
    ]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in res.get("river") or []], columns=cols)
    df["ok"] = df["mixed_mg_L"] <= df["limit_mg_L"] * (1 + 1e-9) + 1e-12
    return df


def scores_table(res: dict, lang: str) -> pd.DataFrame:
    """``scores[]``: point, system, compliant, score, NPV, capital, sludge, land, robustness,
    reasons (text)."""
    cols = [
        "point",
        "system",
        "compliant",
        "score",
        "npv_CNY",
        "capex_CNY",
        "sludge_t_yr",
        "land_m2",
        "robustness",
        "reasons",
    ]
    rows = [
        {
            "point": s["point"],
            "system": system_label(s["system"], lang),
            "compliant": bool(s["compliant"]),
            "score": s["score"],
            "npv_CNY": s["npv_CNY"],
            "capex_CNY": s["capex_CNY"],
            "sludge_t_yr": s["sludge_t_yr"],
            "land_m2": s["land_m2"],
            "robustness": s["robustness"],
            "reasons": _reasons(s, lang),
        }
        for s in res.get("scores") or []
    ]
    return pd.DataFrame(rows, columns=cols)


def options_table(res: dict, lang: str) -> pd.DataFrame:
    """Every combination the plan evaluated (``options[]``) with its reasons."""
    cols = [
        "point",
        "source_control",
        "system",
        "destination",
        "feasible",
        "npv_CNY",
        "capex_CNY",
        "annual_cost_CNY_yr",
        "land_m2",
        "reasons",
    ]
    rows = [
        {
            "point": o["point"],
            "source_control": control_label(o["source_control"], lang),
            "system": system_label(o["system"], lang),
            "destination": o["destination"],
            "feasible": bool(o["feasible"]),
            "npv_CNY": o["npv_CNY"],
            "capex_CNY": o["capex_CNY"],
            "annual_cost_CNY_yr": o["annual_cost_CNY_yr"],
            "land_m2": o["land_m2"],
            "reasons": _reasons(o, lang),
        }
        for o in res.get("options") or []
    ]
    return pd.DataFrame(rows, columns=cols)


def infeasibility_table(res: dict, lang: str = "en") -> pd.DataFrame:
    """The items of the engine's infeasibility explanation (empty when there is none), their
    ``message`` and ``why`` in ``lang``."""
    items = (res.get("infeasibility") or {}).get("items") or []
    cols = [
        "kind",
        "point",
        "destination",
        "season",
        "constituent",
        "limit_mg_L",
        "excess_load_g_d",
        "m3_d",
        "CNY",
        "message",
        "why",
    ]
    rows = [
        {
            **{c: it.get(c) for c in cols},
            "message": engine_text(it, "message", lang),
            "why": joined_texts(it.get("why_i18n") or it.get("why") or [], lang)
            if isinstance(it.get("why"), list)
            else engine_text(it, "why", lang),
        }
        for it in items
    ]
    df = pd.DataFrame(rows, columns=cols)
    return df.dropna(axis=1, how="all")


# ------------------------------------------------------------------ plan: figures
def sketch_figure(
    res: dict, points: list[dict], lang: str, destinations: list[dict] | None = None
) -> go.Figure:
    """A site sketch: every discharge point at (x_km, y_km) with its plan (source control,
    system, destination) as its label (``meta.role = "points"``), the destinations as markers
    to the right (schematic positions: the case gives them no coordinates) and a line from
    each point to the destination it is sent to."""
    choice = {c["point"]: c for c in res.get("choices") or []}
    dests = list(
        dict.fromkeys(
            [d["name"] for d in destinations or []]
            + [r["destination"] for r in res.get("river") or []]
            + [r["destination"] for r in res.get("reuse") or []]
            + [c["destination"] for c in res.get("choices") or []]
            + [o["destination"] for o in res.get("options") or []]
        )
    )
    kinds = {r["destination"]: "river" for r in res.get("river") or []}
    kinds.update({r["destination"]: "reuse" for r in res.get("reuse") or []})
    kinds.update({d["name"]: d["kind"] for d in destinations or []})
    xs = [float(p["x_km"]) for p in points] or [0.0]
    ys = [float(p["y_km"]) for p in points] or [0.0]
    span_x = max(max(xs) - min(xs), 1.0)
    span_y = max(max(ys) - min(ys), 1.0)
    dx = max(xs) + 0.35 * span_x
    if len(dests) > 1:
        dy = [min(ys) + i * span_y / (len(dests) - 1) for i in range(len(dests))]
    else:
        dy = [sum(ys) / len(ys)] * len(dests)
    dpos = {d: (dx, y) for d, y in zip(dests, dy)}
    colour = {d: DEST_COLOURS[i % len(DEST_COLOURS)] for i, d in enumerate(dests)}
    fig = go.Figure()
    # lines point -> destination, one trace per destination
    for d in dests:
        lx: list[float | None] = []
        ly: list[float | None] = []
        for p in points:
            c = choice.get(p["name"])
            if c is not None and c["destination"] == d:
                lx += [float(p["x_km"]), dpos[d][0], None]
                ly += [float(p["y_km"]), dpos[d][1], None]
        if lx:
            fig.add_trace(
                go.Scatter(
                    x=lx,
                    y=ly,
                    mode="lines",
                    showlegend=False,
                    line={"color": colour[d], "width": 2, "dash": "dot"},
                    hoverinfo="skip",
                    meta={"role": "link", "destination": d},
                )
            )
    labels, hovers, colours = [], [], []
    for p in points:
        c = choice.get(p["name"])
        if c is None:
            labels.append(f"<b>{p['name']}</b><br>{t('mw_sketch_no_plan', lang)}")
            hovers.append(p["name"])
            colours.append("#888888")
            continue
        sc = control_label(c["source_control"], lang)
        sysl = system_label(c["system"], lang)
        labels.append(f"<b>{p['name']}</b><br>{sc}<br>{sysl} → {c['destination']}")
        flows = ", ".join(f"{s} {q:,.0f}" for s, q in c["flows_m3_d"].items())
        hovers.append(
            t(
                "mw_sketch_hover",
                lang,
                point=p["name"],
                control=sc,
                system=sysl,
                steps=steps_label(_plan_steps(c), lang),
                destination=c["destination"],
                flows=flows,
                npv=c["npv_CNY"] / 1e6,
            )
        )
        colours.append(colour.get(c["destination"], "#4c78a8"))
    positions = ["top center" if i % 2 == 0 else "bottom center" for i in range(len(points))]
    fig.add_trace(
        go.Scatter(
            x=[float(p["x_km"]) for p in points],
            y=[float(p["y_km"]) for p in points],
            mode="markers+text",
            text=labels,
            textposition=positions,
            textfont={"size": 11},
            name=t("mw_sketch_points", lang),
            meta={"role": "points"},
            marker={
                "size": 16,
                "color": colours,
                "symbol": "circle",
                "line": {"color": "black", "width": 1},
            },
            customdata=hovers,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    if dests:
        fig.add_trace(
            go.Scatter(
                x=[dpos[d][0] for d in dests],
                y=[dpos[d][1] for d in dests],
                mode="markers+text",
                text=[f"{d}<br>({t('mw_kind_' + kinds.get(d, 'river'), lang)})" for d in dests],
                textposition="middle right",
                name=t("mw_sketch_destinations", lang),
                meta={"role": "destinations"},
                marker={
                    "size": 18,
                    "color": [colour[d] for d in dests],
                    "symbol": [
                        "triangle-down" if kinds.get(d, "river") == "river" else "square"
                        for d in dests
                    ],
                    "line": {"color": "black", "width": 1},
                },
                hovertemplate="%{text}<extra></extra>",
            )
        )
    pad = 0.6 * span_x
    fig.update_layout(
        height=520,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        title={"text": t("mw_sketch_title", lang), "font": {"size": 14}},
        legend={"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"},
        xaxis={
            "title": {"text": t("mw_sketch_x", lang)},
            "range": [min(xs) - pad, dx + 0.9 * span_x],
            "zeroline": False,
        },
        yaxis={
            "title": {"text": t("mw_sketch_y", lang)},
            "scaleanchor": "x",
            "scaleratio": 1,
            "range": [min(ys) - 0.45 * span_y, max(ys) + 0.45 * span_y],
            "zeroline": False,
        },
    )
    return fig


def river_figure(res: dict, lang: str) -> go.Figure:
    """Mixed river concentration per season against its limit: a panel per river and
    constituent (mg/L), grouped bars of background and mixed concentration (``meta.role`` =
    ``"background"`` / ``"mixed"``) by season and the limit as a line (``"limit"``)."""
    df = river_table(res)
    rivers = list(dict.fromkeys(df["destination"]))
    consts = list(dict.fromkeys(df["constituent"]))
    rows, cols = max(len(rivers), 1), max(len(consts), 1)
    titles = [
        f"{k} (mg/L)" + (f" — {r}" if len(rivers) > 1 else "") for r in rivers for k in consts
    ]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles or None,
        horizontal_spacing=0.08,
        vertical_spacing=0.18,
    )
    first = True
    for i, r in enumerate(rivers, start=1):
        for j, k in enumerate(consts, start=1):
            d = df[(df["destination"] == r) & (df["constituent"] == k)]
            if d.empty:
                continue
            seasons = list(d["season"])
            fig.add_trace(
                go.Bar(
                    x=seasons,
                    y=[float(v) if v is not None else None for v in d["background_mg_L"]],
                    name=t("mw_river_background", lang),
                    marker_color="#bab0ac",
                    legendgroup="background",
                    showlegend=first,
                    meta={"role": "background", "destination": r, "constituent": k},
                    hovertemplate=k + " %{x}: %{y:.4g} mg/L<extra></extra>",
                ),
                row=i,
                col=j,
            )
            fig.add_trace(
                go.Bar(
                    x=seasons,
                    y=[float(v) for v in d["mixed_mg_L"]],
                    name=t("mw_river_mixed", lang),
                    marker_color=["#4c78a8" if ok else "#e45756" for ok in d["ok"]],
                    legendgroup="mixed",
                    showlegend=first,
                    meta={"role": "mixed", "destination": r, "constituent": k},
                    hovertemplate=k + " %{x}: %{y:.4g} mg/L<extra></extra>",
                ),
                row=i,
                col=j,
            )
            fig.add_trace(
                go.Scatter(
                    x=seasons,
                    y=[float(v) for v in d["limit_mg_L"]],
                    mode="lines+markers",
                    name=t("mw_river_limit", lang),
                    line={"color": "black", "dash": "dash"},
                    marker={"symbol": "line-ew", "size": 14, "line": {"width": 2}},
                    legendgroup="limit",
                    showlegend=first,
                    meta={"role": "limit", "destination": r, "constituent": k},
                    hovertemplate=t("mw_river_limit", lang) + " %{y:.4g} mg/L<extra></extra>",
                ),
                row=i,
                col=j,
            )
            first = False
    fig.update_layout(
        barmode="group",
        height=360 * rows + 60,
        margin={"l": 60, "r": 20, "t": 70, "b": 60},
        title={"text": t("mw_river_title", lang), "font": {"size": 14}},
        legend={"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"},
    )
    fig.update_yaxes(rangemode="tozero")
    return fig


def scores_figure(res: dict, lang: str) -> go.Figure:
    """Heatmap of the option scores (0-1; points x systems), non-compliant systems marked ✗
    with their reasons on hover."""
    scores = res.get("scores") or []
    points = list(dict.fromkeys(s["point"] for s in scores))
    systems = [s for s in SYSTEM_NAMES if any(x["system"] == s for x in scores)]
    by = {(s["point"], s["system"]): s for s in scores}
    z, text, hover = [], [], []
    for p in points:
        zr: list[float | None] = []
        tr, hr = [], []
        for sy in systems:
            s = by.get((p, sy))
            if s is None:
                zr.append(None)
                tr.append("")
                hr.append("")
                continue
            zr.append(float(s["score"]))
            tr.append(f"{s['score']:.2f}" if s["compliant"] else "✗")
            why = _reasons(s, lang)
            if len(why) > 400:
                why = why[:400] + "…"
            hr.append(
                _wrap(why)
                if not s["compliant"]
                else t(
                    "mw_score_hover_ok",
                    lang,
                    npv=s["npv_CNY"] / 1e6,
                    land=s["land_m2"],
                    sludge=s["sludge_t_yr"],
                    rob=s["robustness"],
                )
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[system_label(s, lang) for s in systems],
            y=points,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            zmin=0.0,
            zmax=1.0,
            colorscale="Viridis",
            colorbar={"title": {"text": t("mw_score", lang)}},
            hovertemplate="%{y} · %{x}<br>"
            + t("mw_score", lang)
            + " %{z:.2f}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        height=140 + 60 * len(points),
        margin={"l": 200, "r": 20, "t": 50, "b": 120},
        title={"text": t("mw_scores_title", lang), "font": {"size": 14}},
        xaxis={"title": {"text": t("mw_col_system", lang)}, "tickangle": -30},
        yaxis={"autorange": "reversed"},
    )
    return fig


def _wrap(text: str, width: int = 70) -> str:
    out, line = [], ""
    for word in text.split(" "):
        if len(line) + len(word) + 1 > width and line:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        out.append(line)
    return "<br>".join(out)


# ------------------------------------------------------------------ exports
def plan_json(res: dict) -> bytes:
    """The engine's plan dict as UTF-8 JSON (NaN as null)."""
    return export.json_bytes(res)


def plan_zip(res: dict, parameters: dict | None = None) -> bytes:
    """A .zip of ``plan.json``, ``choices.csv``, ``river.csv``, ``reuse.csv``, ``scores.csv``,
    ``options.csv`` and ``infeasibility.csv`` (engine field names, English; UTF-8 with BOM) and
    the page's ``parameters.json``.  Deterministic bytes."""
    tables = {
        "choices": choices_table(res, "en"),
        "river": river_table(res),
        "reuse": pd.DataFrame(
            res.get("reuse") or [], columns=["destination", "season", "m3_d", "capacity_m3_d"]
        ),
        "scores": scores_table(res, "en"),
        "options": options_table(res, "en"),
        "infeasibility": infeasibility_table(res),
    }
    files: list[tuple[str, bytes]] = [("plan.json", plan_json(res))]
    files += [(f"{name}.csv", export.csv_bytes(df)) for name, df in tables.items()]
    if parameters is not None:
        files.append(("parameters.json", export.json_bytes(parameters)))
    return export.zip_bytes(files)
