"""What the Optimise page computes, without Streamlit: case loading and editing, engine runs,
figures, tables and export bytes.

Only the engine's public API is used (``cbmwater`` and ``cbmwater.study``).  Every function is
plain so it can be tested without a browser.

A case is a ``case.toml`` plus CSV tables whose paths are relative to the TOML's folder.  A
bundled case is read where it lies; an uploaded case is a ``.zip`` holding the TOML and its
tables, extracted and checked by :func:`cbmwater.study.casefiles.read_case_zip`.

Editing works on the parsed TOML dict (:func:`destination_table` -> ``st.data_editor`` ->
:func:`apply_edits`) and the edited dict is validated again by ``parse_case``, so an edit is held
to the same rules as the file (:func:`cbmwater.study.network.case_from_source`).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from cbmwater.app.i18n import has, t
from cbmwater.app.logic import engine_text, engine_texts, joined_texts
from cbmwater.app.logic_jobs import submit as submit_job
from cbmwater.study import NetworkPlan, example_path, resource_label
from cbmwater.study import outputs as export
from cbmwater.study.casefiles import CaseSource, case_title, read_case_file, read_case_zip
from cbmwater.study.casefiles import bundled_cases as _bundled
from cbmwater.study.network import KINDS, LINEAR_KEYS, OBJECTIVES, case_from_source
from cbmwater.study.workspace import InputFile

if TYPE_CHECKING:  # pragma: no cover
    from cbmwater.study.network import Case

__all__ = [
    "HAND_CASE",
    "case_label",
    "OBJECTIVES",
    "KINDS",
    "COST_CATEGORIES",
    "EDIT_COLUMNS",
    "CaseSource",
    "bundled_cases",
    "case_title",
    "load_bundled",
    "load_zip",
    "year_of",
    "limit_keys",
    "destination_table",
    "apply_edits",
    "build_case",
    "submit_run",
    "submit_pareto",
    "has_plan",
    "kind_label",
    "status_label",
    "category_label",
    "sankey_links",
    "sankey_figure",
    "flows_table",
    "produced_table",
    "flows_figure",
    "cost_table",
    "cost_figure",
    "builds_table",
    "destinations_table",
    "infeasibility_table",
    "iterations_table",
    "cuts_table",
    "pareto_table",
    "pareto_figure",
    "glance_tables",
    "results_json",
    "tables_zip",
    "summary_text",
]

#: The hand-derived test case (tiny: 2 stations, 2 trains, 2 destinations, 1 period); present in
#: a checkout of the repository only (tests/ is not package data).
HAND_CASE = example_path().parents[1] / "tests" / "data" / "optimise" / "hand" / "case.toml"
#: Cost categories of the results in display order (revenue is negative).
COST_CATEGORIES: tuple[str, ...] = (
    "capital",
    "fixed_om",
    "electricity",
    "chemicals",
    "replacement",
    "sludge_disposal",
    "transport",
    "fees",
    "revenue",
)
#: Editable columns of the destination table besides the limits (``limit_<key>``).
EDIT_COLUMNS: tuple[str, ...] = ("capacity_m3_d", "price_CNY_m3", "fee_CNY_m3")
#: Limits always offered in the editor (the two that decide most Qinshui cases).
DEFAULT_LIMITS: tuple[str, ...] = ("F", "TDS")
KIND_COLOURS = {
    "reuse": "#54a24b",
    "reinjection": "#9d755d",
    "discharge": "#4c78a8",
    "residual_disposal": "#e45756",
}
CAT_COLOURS = {
    "capital": "#4c78a8",
    "fixed_om": "#9d755d",
    "electricity": "#f58518",
    "chemicals": "#b279a2",
    "replacement": "#bab0ac",
    "sludge_disposal": "#72b7b2",
    "transport": "#eeca3b",
    "fees": "#e45756",
    "revenue": "#54a24b",
}
_NO_PLAN = ("infeasible", "no_solution", "error", "unbounded", "unknown")
_TINY = 1e-7


# ------------------------------------------------------------------ loading
def bundled_cases() -> list[Path]:
    """Every bundled decision-engine case (by folder name), then the hand case."""
    out = _bundled("network")
    if HAND_CASE.is_file():
        out.append(HAND_CASE)
    return out


#: How the page names a case file (repository-relative, never an absolute machine path).
case_label = resource_label
#: A case TOML on disk, read but not yet validated (:func:`build_case` validates it).
load_bundled = read_case_file
#: An uploaded ``.zip`` of a case and its tables, extracted and read.
load_zip = read_case_zip


# ------------------------------------------------------------------ editing
def _destinations(data: dict) -> list[dict]:
    d = data.get("destinations")
    return [x for x in d if isinstance(x, dict)] if isinstance(d, list) else []


def limit_keys(data: dict) -> list[str]:
    """Constituents offered as explicit-limit columns: F, TDS and every explicit limit of the
    case, in the engine's order."""
    keys = set(DEFAULT_LIMITS)
    for d in _destinations(data):
        lim = d.get("limits")
        if isinstance(lim, dict):
            keys |= {k for k in lim if k in LINEAR_KEYS}
    return [k for k in LINEAR_KEYS if k in keys]


def _num_or_nan(v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return float("nan")
    return float(v)


def _capacity_text(cap: object) -> str:
    if isinstance(cap, list):
        nums = [v for v in cap if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if nums and len(set(nums)) == 1:
            return f"{nums[0]:g}"
        if nums:
            return f"{min(nums):g}–{max(nums):g} ({len(cap)})"
        return "?"
    return f"{cap:g}" if isinstance(cap, (int, float)) and not isinstance(cap, bool) else str(cap)


def destination_table(data: dict) -> pd.DataFrame:
    """One row per destination of the TOML: ``name``, ``kind``, ``capacity_case`` (text: the
    value or range of the case), the editable ``capacity_m3_d`` (one value for every period;
    blank when the case gives a list per period), ``price_CNY_m3``, ``fee_CNY_m3`` and
    ``limit_<key>`` (the explicit limit of the case file, mg/L; blank when none)."""
    keys = limit_keys(data)
    rows = []
    for d in _destinations(data):
        cap = d.get("capacity_m3_d")
        lim = d["limits"] if isinstance(d.get("limits"), dict) else {}
        row = {
            "name": str(d.get("name", "")),
            "kind": str(d.get("kind", "")),
            "capacity_case": _capacity_text(cap),
            "capacity_m3_d": float("nan") if isinstance(cap, list) else _num_or_nan(cap),
            "price_CNY_m3": _num_or_nan(d.get("price_CNY_m3", 0.0)),
            "fee_CNY_m3": _num_or_nan(d.get("fee_CNY_m3", 0.0)),
        }
        for k in keys:
            row[f"limit_{k}"] = _num_or_nan(lim.get(k)) if k in lim else float("nan")
        rows.append(row)
    cols = ["name", "kind", "capacity_case", *EDIT_COLUMNS, *(f"limit_{k}" for k in keys)]
    return pd.DataFrame(rows, columns=cols)


def _cell(v: object) -> object:
    """A table cell as a TOML value: None for blank, a float for a number, else as is."""
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return None
        try:
            return float(s)
        except ValueError:
            return s
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        v = v.item()
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _same(a: object, b: object) -> bool:
    if (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
    return a == b


def apply_edits(data: dict, table: pd.DataFrame) -> tuple[dict, list[dict]]:
    """The TOML dict with the edited table applied, and the list of changes.

    Rows are matched to ``[[destinations]]`` by position (the name column is read-only).
    ``capacity_m3_d``: a number replaces the capacity of every period; blank keeps the case's.
    ``price_CNY_m3`` / ``fee_CNY_m3``: a number replaces it; blank keeps the case's.
    ``limit_<key>``: a number sets the explicit limit (the tighter of it and a standard's limit
    applies); blank removes an explicit limit.  Values are not checked here: ``parse_case``
    checks them (negative capacity, unknown key ...).

    Each change is ``{"destination", "field", "old", "new"}`` (``None`` = not set).
    """
    new = copy.deepcopy(data)
    dests = _destinations(new)
    changes: list[dict] = []
    records = table.to_dict(orient="records")
    for i, (d, row) in enumerate(zip(dests, records)):
        name = str(d.get("name", f"#{i + 1}"))
        for fld in EDIT_COLUMNS:
            if fld not in row:
                continue
            v = _cell(row[fld])
            old = d.get(fld, None if fld == "capacity_m3_d" else 0.0)
            if v is None or _same(v, old):
                continue
            d[fld] = v
            changes.append({"destination": name, "field": fld, "old": old, "new": v})
        lim = dict(d["limits"]) if isinstance(d.get("limits"), dict) else {}
        before = dict(lim)
        for col, val in row.items():
            if not str(col).startswith("limit_"):
                continue
            key = str(col)[len("limit_") :]
            v = _cell(val)
            if v is None:
                if key in lim:
                    del lim[key]
                    changes.append(
                        {
                            "destination": name,
                            "field": f"limits.{key}",
                            "old": before[key],
                            "new": None,
                        }
                    )
            elif key not in lim or not _same(v, lim[key]):
                changes.append(
                    {"destination": name, "field": f"limits.{key}", "old": lim.get(key), "new": v}
                )
                lim[key] = v
        if lim != before:
            if lim:
                d["limits"] = lim
            else:
                d.pop("limits", None)
    return new, changes


def build_case(
    src: CaseSource, data: dict | None = None, changes: list[dict] | None = None
) -> Case:
    """Validate ``data`` (default: the source's own TOML), see
    :func:`cbmwater.study.network.case_from_source`."""
    return case_from_source(src, data, changes)


# ------------------------------------------------------------------ runs
def submit_run(
    case: Any,
    inputs: list[InputFile],
    *,
    objective: str = "cost",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    budget_CNY: float | None = None,
    options: dict[str, Any] | None = None,
) -> str:
    """Queue ``optimise`` of the case as a job (a worker process of the server's runner, under
    the per-run memory and time guard); when it is done the plan is saved to the workspace with
    ``inputs`` (the case file and its tables) and ``options``.  Returns the job's id; the job's
    result is the plan's ``to_dict()``."""
    params = {
        "case": case,
        "objective": objective,
        "time_limit_s": time_limit_s,
        "mip_gap": mip_gap,
        "budget_CNY": budget_CNY,
    }
    return submit_job(
        "optimise", "optimise", params, inputs=inputs, options=options, label=_label(case)
    )


def submit_pareto(
    case: Any,
    inputs: list[InputFile],
    *,
    points: int = 4,
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    options: dict[str, Any] | None = None,
) -> str:
    """Queue ``pareto_front`` of the case (least NPV cost against reuse share) as a job, saved
    as a ``pareto`` run; its result is ``{"points": [plan dict, ...]}``."""
    params = {"case": case, "points": points, "time_limit_s": time_limit_s, "mip_gap": mip_gap}
    return submit_job(
        "pareto_front",
        "pareto_front",
        params,
        save_kind="pareto",
        inputs=inputs,
        options=options,
        label=_label(case),
    )


def _label(case: Any) -> str:
    return str(getattr(case, "name", "") or "")[:200]


def has_plan(res: dict) -> bool:
    """Whether the result carries a plan (flows, costs)."""
    return res.get("status") not in _NO_PLAN and res.get("objective_CNY") is not None


# ------------------------------------------------------------------ labels
def _t(key: str, lang: str, fallback: str, **fields: object) -> str:
    return t(key, lang, **fields) if has(key) else fallback


def kind_label(kind: str, lang: str) -> str:
    return _t(f"opt_kind_{kind}", lang, kind)


def status_label(status: object, lang: str) -> str:
    return _t(f"opt_st_{status}", lang, str(status))


def category_label(cat: str, lang: str) -> str:
    return _t(f"opt_cat_{cat}", lang, cat)


# ------------------------------------------------------------------ Sankey
def _volume_factor(res: dict, period: int | None) -> float:
    """m3/d -> the Sankey's unit: total m3 over one period (whole horizon) or m3/d (one period)."""
    if period is not None:
        return 1.0
    return 365.0 * float(res.get("case", {}).get("period_years", 1.0))


def sankey_links(res: dict, period: int | None = None) -> pd.DataFrame:
    """Links of the Sankey: ``source_kind, source, target_kind, target, stream, value``.

    Nodes are stations (and hubs), trains (by name, all sites together), destinations and
    ``evaporated`` (feed a train neither delivers nor leaves as residual).  ``period`` None sums
    every period as m3 (period-average m3/d x 365 x period_years); a period number gives m3/d.
    Links into destinations sum to the delivered water.
    """
    f = _volume_factor(res, period)
    stations = {s["name"] for s in res.get("sources", [])}
    rows: dict[tuple, float] = {}

    def add(key: tuple, v: float) -> None:
        rows[key] = rows.get(key, 0.0) + v

    def keep(rec: dict) -> bool:
        return period is None or int(rec.get("period", 0)) == period

    for tr in res.get("transfers", []):
        if keep(tr):
            add(("station", tr["station"], "hub", tr["hub"], "feed"), tr["m3_d"] * f)
    delivered: dict[tuple, float] = {}
    for fl in res.get("flows", []):
        if keep(fl):
            add(
                ("train", fl["train"], "destination", fl["destination"], fl["stream"]),
                fl["delivered_m3_d"] * f,
            )
            k = (fl["source"], fl["train"], fl["period"])
            delivered[k] = delivered.get(k, 0.0) + fl["delivered_m3_d"]
    for p in res.get("paths", []):
        if not keep(p):
            continue
        kind = "station" if p["source"] in stations else "hub"
        add((kind, p["source"], "train", p["train"], "feed"), p["feed_m3_d"] * f)
        lost = p["feed_m3_d"] - delivered.get((p["source"], p["train"], p["period"]), 0.0)
        if lost > 1e-6 * max(1.0, p["feed_m3_d"]):
            add(("train", p["train"], "evaporated", "evaporated", "evaporated"), lost * f)
    cols = ["source_kind", "source", "target_kind", "target", "stream", "value"]
    out = pd.DataFrame([(*k, v) for k, v in rows.items() if v > _TINY], columns=cols)
    return out


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def sankey_figure(res: dict, lang: str, period: int | None = None) -> go.Figure:
    """Plotly Sankey of station -> train -> destination (see :func:`sankey_links`)."""
    links = sankey_links(res, period)
    kinds = {d["name"]: d["kind"] for d in res.get("destinations", [])}
    order = {"station": 0, "hub": 1, "train": 2, "destination": 3, "evaporated": 4}
    nodes: list[tuple[str, str]] = []
    for _, r in links.iterrows():
        for kind, name in ((r["source_kind"], r["source"]), (r["target_kind"], r["target"])):
            if (kind, name) not in nodes:
                nodes.append((kind, name))
    nodes.sort(key=lambda n: order[n[0]])
    index = {n: i for i, n in enumerate(nodes)}
    node_colour = {
        "station": "#4c78a8",
        "hub": "#7f3c8d",
        "train": "#f58518",
        "evaporated": "#bab0ac",
    }
    colours = [
        KIND_COLOURS.get(kinds.get(name, ""), "#888888")
        if kind == "destination"
        else node_colour[kind]
        for kind, name in nodes
    ]
    labels = [t("opt_evaporated", lang) if kind == "evaporated" else name for kind, name in nodes]
    roles = [t(f"opt_node_{kind}", lang) for kind, _ in nodes]
    unit = t("opt_unit_m3", lang) if period is None else t("opt_unit_m3_d", lang)
    stream_colour = {
        "feed": "#4c78a8",
        "product": "#54a24b",
        "residual": "#e45756",
        "evaporated": "#bab0ac",
    }
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.0f",
            valuesuffix=" " + unit,
            node={
                "label": labels,
                "color": colours,
                "customdata": roles,
                "pad": 18,
                "thickness": 16,
                "line": {"width": 0.5, "color": "#444"},
                "hovertemplate": "%{label} (%{customdata})<br>%{value:,.0f} "
                + unit
                + "<extra></extra>",
            },
            link={
                "source": [index[(r["source_kind"], r["source"])] for _, r in links.iterrows()],
                "target": [index[(r["target_kind"], r["target"])] for _, r in links.iterrows()],
                "value": [float(v) for v in links["value"]],
                "color": [_rgba(stream_colour[s], 0.35) for s in links["stream"]],
                "customdata": [t(f"opt_stream_{s}", lang) for s in links["stream"]],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}: "
                "%{value:,.0f} " + unit + "<extra></extra>",
            },
        )
    )
    title = (
        t("opt_sankey_title_all", lang)
        if period is None
        else t("opt_sankey_title_period", lang, period=period, year=year_of(res, period))
    )
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=520,
        margin={"l": 20, "r": 20, "t": 50, "b": 20},
        font={"size": 12},
    )
    return fig


def year_of(res: dict, period: int) -> int:
    """The calendar year a period of the plan starts in."""
    c = res.get("case", {})
    return int(c.get("start_year", 1)) + int((period - 1) * float(c.get("period_years", 1.0)))


# ------------------------------------------------------------------ flows over time
def flows_table(res: dict) -> pd.DataFrame:
    """Delivered water per destination and period (m3/d): a row per period, a column per
    destination (in case order), index ``period``; plus ``year``."""
    dests = list(dict.fromkeys(d["name"] for d in res.get("destinations", [])))
    periods = int(res.get("case", {}).get("periods", 0))
    df = pd.DataFrame(0.0, index=pd.Index(range(1, periods + 1), name="period"), columns=dests)
    for d in res.get("destinations", []):
        df.loc[int(d["period"]), d["name"]] = float(d["delivered_m3_d"])
    df.insert(0, "year", [year_of(res, p) for p in df.index])
    return df


def produced_table(res: dict) -> pd.Series:
    """Produced water of all stations per period, m3/d."""
    periods = int(res.get("case", {}).get("periods", 0))
    s = pd.Series(0.0, index=pd.Index(range(1, periods + 1), name="period"))
    for r in res.get("sources", []):
        s[int(r["period"])] += float(r["produced_m3_d"])
    return s


def flows_figure(res: dict, lang: str) -> go.Figure:
    """Stacked bars of the water delivered to each destination by period (m3/d), with the
    produced water as a line."""
    df = flows_table(res)
    kinds = {d["name"]: d["kind"] for d in res.get("destinations", [])}
    x = [str(y) for y in df["year"]]
    fig = go.Figure()
    palette = [
        "#4c78a8",
        "#f58518",
        "#54a24b",
        "#e45756",
        "#72b7b2",
        "#eeca3b",
        "#b279a2",
        "#ff9da6",
        "#9d755d",
        "#bab0ac",
    ]
    for i, name in enumerate(c for c in df.columns if c != "year"):
        if float(df[name].abs().sum()) <= _TINY:
            continue
        kind = kind_label(kinds.get(name, ""), lang)
        fig.add_trace(
            go.Bar(
                x=x,
                y=[float(v) for v in df[name]],
                name=name,
                marker_color=palette[i % len(palette)],
                hovertemplate=f"{name} ({kind})<br>%{{x}}: %{{y:,.1f}} "
                + t("opt_unit_m3_d", lang)
                + "<extra></extra>",
            )
        )
    prod = produced_table(res)
    label = t("opt_produced", lang)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[float(v) for v in prod],
            name=label,
            mode="lines+markers",
            line={"color": "black", "width": 2, "dash": "dot"},
            hovertemplate=label
            + "<br>%{x}: %{y:,.1f} "
            + t("opt_unit_m3_d", lang)
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        barmode="stack",
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        title={"text": t("opt_flows_title", lang), "font": {"size": 14}},
        legend={"orientation": "h", "y": -0.18, "x": 0, "yanchor": "top"},
        xaxis={"title": {"text": t("opt_year", lang)}, "type": "category"},
        yaxis={
            "title": {"text": t("opt_flows_y", lang)},
            "rangemode": "tozero",
            "tickformat": ",.0f",
        },
    )
    return fig


# ------------------------------------------------------------------ costs
def cost_table(res: dict) -> pd.DataFrame:
    """NPV by cost category: ``category``, ``NPV_CNY``, ``NPV_million_CNY`` (engine order,
    then any other category); revenue is negative.  The rows sum to ``objective_CNY``."""
    npv = dict((res.get("costs") or {}).get("npv_CNY", {}))
    cats = [c for c in COST_CATEGORIES if c in npv] + [c for c in npv if c not in COST_CATEGORIES]
    vals = [float(npv[c]) for c in cats]
    return pd.DataFrame(
        {"category": cats, "NPV_CNY": vals, "NPV_million_CNY": [v / 1e6 for v in vals]}
    )


def cost_figure(res: dict, lang: str) -> go.Figure:
    """Bars of the NPV of each cost category, million CNY (revenue negative); they sum to the
    objective, shown in the title."""
    df = cost_table(res)
    year = res.get("case", {}).get("price_year", "")
    labels = [category_label(c, lang) for c in df["category"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[float(v) for v in df["NPV_million_CNY"]],
            marker_color=[CAT_COLOURS.get(c, "#888888") for c in df["category"]],
            text=[f"{v:,.3g}" for v in df["NPV_million_CNY"]],
            textposition="outside",
            hovertemplate="%{x}: %{y:,.4f} " + t("opt_unit_mcny", lang) + "<extra></extra>",
            name="NPV",
        )
    )
    total = float(res.get("objective_CNY") or 0.0) / 1e6
    fig.add_hline(y=0, line_color="grey", line_width=1)
    fig.update_layout(
        height=420,
        margin={"l": 70, "r": 20, "t": 50, "b": 80},
        showlegend=False,
        title={"text": t("opt_cost_title", lang, total=total, year=year), "font": {"size": 14}},
        xaxis={"title": {"text": t("opt_cost_x", lang)}},
        yaxis={"title": {"text": t("opt_cost_y", lang, year=year)}, "tickformat": ",.2f"},
    )
    return fig


# ------------------------------------------------------------------ tables
def builds_table(res: dict) -> pd.DataFrame:
    """Plants to build: site, train, size, capex, fixed O&M per year, capital NPV, peak feed,
    units (text)."""
    cols = [
        "site",
        "train",
        "size_m3_d",
        "capex_CNY",
        "fixed_opex_CNY_yr",
        "capital_NPV_CNY",
        "peak_feed_m3_d",
        "units",
    ]
    rows = [
        {**{k: b.get(k) for k in cols[:-1]}, "units": " → ".join(b.get("units", []))}
        for b in res.get("builds", [])
    ]
    return pd.DataFrame(rows, columns=cols)


def _fmt(v: object, spec: str = ".3g") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    return format(v, spec) if isinstance(v, (int, float)) else str(v)


def destinations_table(res: dict, lang: str = "en") -> pd.DataFrame:
    """Destination blends by period: delivered vs capacity, each limited constituent as
    ``blend / limit`` with a mark when over, PHREEQC pH, SAR and SI, and the standing
    violations.  Columns: name, kind, period, year, capacity_m3_d, delivered_m3_d, limits
    (text), pH, SAR, SI (text), violations (text), not_measured (text), over (bool)."""
    rows = []
    for d in res.get("destinations", []):
        blend = d.get("blend") or {}
        parts, over = [], False
        for k, lim in (d.get("limits") or {}).items():
            v = blend.get(k)
            bad = v is not None and v > lim * (1 + 1e-6) + 1e-9
            over |= bad
            parts.append(f"{k} {_fmt(v)} / {lim:g}" + (" ✗" if bad else ""))
        si = d.get("SI") or {}
        si_max = d.get("SI_max") or {}
        si_txt = ", ".join(
            f"{m} {_fmt(v, '.2f')}" + (f" (≤ {si_max[m]:g})" if m in si_max else "")
            for m, v in si.items()
        )
        ph_rng = d.get("pH_range")
        rows.append(
            {
                "name": d["name"],
                "kind": d["kind"],
                "period": d["period"],
                "year": d["year"],
                "capacity_m3_d": d["capacity_m3_d"],
                "delivered_m3_d": d["delivered_m3_d"],
                "limits": "; ".join(parts),
                "pH": d.get("pH"),
                "pH_range": f"{ph_rng[0]:g}–{ph_rng[1]:g}" if ph_rng else "",
                "SAR": d.get("SAR"),
                "SAR_max": d.get("SAR_max"),
                "SI": si_txt,
                "violations": joined_texts(
                    d.get("violations_i18n") or d.get("violations") or [], lang
                ),
                "not_measured": ", ".join(d.get("not_measured") or []),
                "over": bool(over or d.get("violations")),
            }
        )
    cols = [
        "name",
        "kind",
        "period",
        "year",
        "capacity_m3_d",
        "delivered_m3_d",
        "limits",
        "pH",
        "pH_range",
        "SAR",
        "SAR_max",
        "SI",
        "violations",
        "not_measured",
        "over",
    ]
    return pd.DataFrame(rows, columns=cols)


def presolve_messages(res: dict, lang: str = "en") -> list[str]:
    """The presolve findings (a case that cannot be feasible) in ``lang``."""
    return [str(engine_text(p, "message", lang)) for p in res.get("presolve") or []]


def infeasibility_summary(res: dict, lang: str = "en") -> list[str]:
    """The infeasibility explanation's summary lines in ``lang`` (empty when feasible)."""
    inf = res.get("infeasibility") or {}
    return [str(s) for s in engine_text(inf, "summary", lang) or []]


def warnings(res: dict, lang: str = "en") -> list[str]:
    """The run's warnings in ``lang``."""
    return [str(w) for w in engine_text(res, "warnings", lang) or []]


def case_warnings(case: Any, lang: str = "en") -> list[str]:
    """The case loader's warnings (values accepted outside their usual range) in ``lang``."""
    return engine_texts(getattr(case, "warnings", []) or [], lang)


def infeasibility_table(res: dict, lang: str = "en") -> pd.DataFrame:
    """The elastic model's non-zero slacks, one row each (empty when feasible); ``message`` in
    ``lang``."""
    items = (res.get("infeasibility") or {}).get("items", [])
    cols = [
        "kind",
        "destination",
        "station",
        "constituent",
        "period",
        "m3_d",
        "blend_mg_L",
        "limit_mg_L",
        "message",
    ]
    rows = [
        {**{c: it.get(c) for c in cols}, "message": engine_text(it, "message", lang)}
        for it in items
    ]
    return pd.DataFrame(rows, columns=cols)


def iterations_table(res: dict) -> pd.DataFrame:
    rows = [
        {
            "iteration": it.get("iteration"),
            "status": it.get("status"),
            "objective": it.get("objective"),
            "gap": it.get("gap"),
            "cuts_added": it.get("cuts_added"),
            "hubs_updated": ", ".join(it.get("hubs_updated") or []),
            "reason": it.get("reason", ""),
        }
        for it in res.get("iterations", [])
    ]
    return pd.DataFrame(
        rows,
        columns=["iteration", "status", "objective", "gap", "cuts_added", "hubs_updated", "reason"],
    )


def cuts_table(res: dict) -> pd.DataFrame:
    """The geochemical cuts added by the PHREEQC loop (engine fields; dicts as JSON text)."""
    rows = [
        {
            k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
            for k, v in c.items()
        }
        for c in res.get("cuts", [])
    ]
    return pd.DataFrame(rows)


def glance_tables(case: Any) -> dict[str, pd.DataFrame]:
    """The validated case at a glance: ``production`` (m3/d, station x period, with the
    calendar year as column labels), ``trains`` and ``destinations`` (effective limits, with
    where each comes from)."""
    prod = case.station_production()
    prod.columns = [str(case.start_year + int((p - 1) * case.period_years)) for p in prod.columns]
    prod.loc["Σ"] = prod.sum(axis=0)
    trains = pd.DataFrame(
        [
            {
                "name": tr.name,
                "units": " → ".join(tr.units) or "—",
                "sites": ", ".join(tr.sites) if tr.sites else "*",
            }
            for tr in case.trains
        ]
    )
    dests = pd.DataFrame(
        [
            {
                "name": d.name,
                "kind": d.kind,
                "capacity_m3_d": _capacity_text(list(d.capacity_m3_d)),
                "limits": "; ".join(
                    f"{k} ≤ {v:g} ({d.limit_sources.get(k, '')})" for k, v in d.limits_mg_L.items()
                ),
                "pH_range": f"{d.pH_range[0]:g}–{d.pH_range[1]:g}" if d.pH_range else "",
                "SAR_max": d.SAR_max,
                "SI_max": ", ".join(f"{m} ≤ {v:g}" for m, v in d.SI_max.items()),
                "price_CNY_m3": d.price_CNY_m3,
                "fee_CNY_m3": d.fee_CNY_m3,
                "transport": d.transport,
                "accepts": d.accepts,
            }
            for d in case.destinations
        ]
    )
    return {"production": prod, "trains": trains, "destinations": dests}


# ------------------------------------------------------------------ Pareto
def pareto_table(front: list[dict]) -> pd.DataFrame:
    """Points of the front: ``point``, status, reuse share (%), NPV (million CNY), salt (t),
    the reuse share asked for (%), builds (text)."""
    rows = []
    for i, p in enumerate(front, start=1):
        share, cost, eps = p.get("reuse_share"), p.get("objective_CNY"), p.get("min_reuse_share")
        rows.append(
            {
                "point": i,
                "status": p.get("status"),
                "reuse_pct": None if share is None else 100.0 * share,
                "npv_million_CNY": None if cost is None else cost / 1e6,
                "salt_t": p.get("salt_to_environment_t"),
                "min_reuse_pct": None if eps is None else 100.0 * eps,
                "builds": "; ".join(p.get("builds") or []),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "point",
            "status",
            "reuse_pct",
            "npv_million_CNY",
            "salt_t",
            "min_reuse_pct",
            "builds",
        ],
    )


def pareto_figure(front: list[dict], lang: str) -> go.Figure:
    """NPV cost (million CNY) against reuse share (%) of the points with a plan."""
    df = pareto_table(front)
    ok = df[
        df["status"].isin(["optimal", "feasible"])
        & df["reuse_pct"].notna()
        & df["npv_million_CNY"].notna()
    ].sort_values(["reuse_pct", "npv_million_CNY"])
    fig = go.Figure(
        go.Scatter(
            x=[float(v) for v in ok["reuse_pct"]],
            y=[float(v) for v in ok["npv_million_CNY"]],
            mode="lines+markers",
            name=t("opt_pareto_trace", lang),
            marker={"size": 10, "color": "#4c78a8"},
            line={"color": "#4c78a8"},
            customdata=[[int(p), b or "—"] for p, b in zip(ok["point"], ok["builds"])],
            hovertemplate=t("opt_pareto_hover", lang) + "<extra></extra>",
        )
    )
    fig.update_layout(
        height=420,
        margin={"l": 70, "r": 20, "t": 50, "b": 60},
        title={"text": t("opt_pareto_title", lang), "font": {"size": 14}},
        xaxis={"title": {"text": t("opt_pareto_x", lang)}, "ticksuffix": " %"},
        yaxis={"title": {"text": t("opt_pareto_y", lang)}, "tickformat": ",.3g"},
    )
    return fig


# ------------------------------------------------------------------ exports
def results_json(res: dict) -> bytes:
    """The engine's results dict as UTF-8 JSON (NaN as null), like the CLI's results.json."""
    return export.json_bytes(res)


def tables_zip(res: dict, parameters: dict | None = None, front: list[dict] | None = None) -> bytes:
    """A .zip of ``results.json``, the CSV tables of ``result_tables`` (UTF-8 with BOM, as the
    CLI writes them), ``summary.txt``, the page's ``parameters.json`` (edits and options) and,
    when given, ``pareto.json``.  Deterministic bytes."""
    plan = NetworkPlan.from_dict(res)
    files: list[tuple[str, bytes]] = [
        ("results.json", results_json(res)),
        ("summary.txt", (plan.summary_text() + "\n").encode("utf-8")),
    ]
    files += [(f"{name}.csv", export.csv_bytes(df)) for name, df in plan.all_tables().items()]
    if parameters is not None:
        files.append(("parameters.json", export.json_bytes(parameters)))
    if front is not None:
        files.append(("pareto.json", export.json_bytes(front)))
    return export.zip_bytes(files)


def summary_text(res: dict) -> str:
    """The plan in a few lines of text (what ``cbmwater optimise`` prints)."""
    return NetworkPlan.from_dict(res).summary_text()
