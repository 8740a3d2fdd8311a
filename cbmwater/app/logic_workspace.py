"""Workspace and Compare pages: tables and figures over saved runs (engine calls only).

Everything here works on what the public API returns (``Workspace.runs()`` summaries, stored
result dicts and :func:`cbmwater.compare_plans` / :func:`cbmwater.compare_trains`), so it is
tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

import cbmwater
from cbmwater import Comparison, InputError
from cbmwater.app.i18n import has, t
from cbmwater.app.logic_jobs import stored_pqi, workspace
from cbmwater.study import NetworkPlan, ReviewResult
from cbmwater.study.casefiles import CaseSource
from cbmwater.study.workspace import InputFile, RunRecord, Workspace, run_inputs

#: kinds whose runs can be compared side by side
COMPARABLE: tuple[str, ...] = ("optimise", "treat")


def run_id(param: object) -> int | None:
    """A run id from the URL's ``?run=`` (None when it is not a whole number)."""
    text = str(param or "").strip().lstrip("#")
    return int(text) if text.isdigit() else None


def stored_run(param: object, kind: str | None = None) -> RunRecord | None:
    """The saved run ``?run=`` names (of ``kind``), or None when there is none such."""
    rid = run_id(param)
    if rid is None:
        return None
    try:
        record = workspace().run(rid)
    except Exception:  # noqa: BLE001 - a deleted run, another workspace: nothing to reopen
        return None
    return record if kind is None or record.kind == kind else None


def case_inputs(src: CaseSource) -> list[InputFile]:
    """The files of a case to keep with its run: the case TOML (the one in ``src.base`` with
    the source's bytes) and the tables it names (:func:`cbmwater.study.workspace.run_inputs`)."""
    base = Path(src.base)
    for path in sorted(base.glob("*.toml")):
        if path.read_bytes() == src.raw:
            return run_inputs(path, "case")
    return [InputFile(Path(src.file.rsplit(":", 1)[-1]).name or "case.toml", src.raw, "case")]


def lab_inputs(data: bytes, filename: str) -> list[InputFile]:
    """A lab file (bundled or uploaded) as the input of a run."""
    return [InputFile(Path(filename).name or "analyses.csv", bytes(data), "lab")]


def characterisation_result(records: pd.DataFrame, provenance: Mapping[str, Any]) -> dict:
    """A characterisation as the workspace keeps it: ``records`` (NaN as None) and
    ``provenance``, as ``cbmwater characterise --format json`` writes them."""
    rows = records.astype(object).where(records.notna(), None).to_dict("records")
    return {"records": rows, "provenance": dict(provenance)}


def _number(value: Any, spec: str) -> str:
    if value is None:
        return "—"
    try:
        return format(float(value), spec)
    except (TypeError, ValueError):
        return str(value)


def key_figure_text(kind: str, figures: Mapping[str, Any]) -> str:
    """One line of a run's key figures, with units (the workspace list's last column)."""
    if not figures:
        return "—"
    parts = []
    for key, value in figures.items():
        if isinstance(value, float):
            if key.endswith("share") or key == "recovery":
                parts.append(f"{key} {100 * value:.1f} %")
            elif key.endswith("_CNY"):
                parts.append(f"{key[:-4]} {value / 1e6:,.2f} M CNY")
            else:
                parts.append(f"{key} {_number(value, ',.3g')}")
        else:
            parts.append(f"{key} {value}")
    return "; ".join(parts)


def runs_frame(summaries: Iterable[Any]) -> pd.DataFrame:
    """The workspace's runs as a table: id, kind, label, created (UTC), key figures."""
    rows = [
        {
            "id": s.id,
            "kind": s.kind,
            "label": s.label,
            "created": s.created,
            "key_figures": key_figure_text(s.kind, s.key_figures),
        }
        for s in summaries
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "label", "created", "key_figures"])


def flows_compare_figure(comparison: Comparison, title: str, y_title: str) -> go.Figure:
    """Delivered m3/d by destination (summed over periods, as mean m3/d), grouped by run."""
    flows = comparison.to_frame("flows")
    mean = flows.groupby("destination")[list(comparison.runs)].mean()
    fig = go.Figure(
        [go.Bar(name=run, x=list(mean.index), y=list(mean[run])) for run in comparison.runs]
    )
    fig.update_layout(barmode="group", title=title, yaxis_title=y_title, height=380)
    return fig


def costs_compare_figure(
    comparison: Comparison,
    title: str,
    y_title: str,
    label: Callable[[str], str] | None = None,
) -> go.Figure:
    """NPV by cost category, one stacked bar per run (M CNY; revenue below zero); ``label``
    names a category (default: its code)."""
    costs = comparison.to_frame("costs")
    costs = costs[costs["category"] != "total"]
    fig = go.Figure(
        [
            go.Bar(
                name=label(str(row["category"])) if label else str(row["category"]),
                x=list(comparison.runs),
                y=[(row[r] or 0.0) / 1e6 for r in comparison.runs],
            )
            for row in costs.to_dict("records")
        ]
    )
    fig.update_layout(barmode="relative", title=title, yaxis_title=y_title, height=380)
    return fig


def quality_compare_figure(comparison: Comparison, title: str, y_title: str) -> go.Figure:
    """Product mg/L of each constituent, one bar per train (log scale)."""
    quality = comparison.to_frame("quality")
    quality = quality[quality["constituent"] != "pH"]
    fig = go.Figure(
        [
            go.Bar(name=run, x=list(quality["constituent"]), y=list(quality[run]))
            for run in comparison.runs
        ]
    )
    fig.update_layout(
        barmode="group", title=title, yaxis_title=y_title, yaxis_type="log", height=380
    )
    return fig


# ------------------------------------------------------------------ the Workspace page's list
def kind_label(kind: str, lang: str) -> str:
    """A run kind in the user's language (its code when the catalogue has none)."""
    key = f"ws_kind_{kind}"
    return t(key, lang) if has(key) else kind


def percent(value: Any) -> str:
    return "—" if value is None else f"{100 * float(value):.1f}"


def million(value: Any) -> str:
    return "—" if value is None else f"{float(value) / 1e6:,.2f}"


def key_figures_label(kind: str, figures: Mapping[str, Any], lang: str) -> str:
    """A run's key figures as one line in the user's language, with units: NPV and reuse share
    of a plan, the verdict of a review, recovery and LCOW of a train, samples and QA counts of a
    characterisation (:func:`key_figure_text` for other kinds)."""
    f = dict(figures or {})
    if kind == "optimise":
        return t(
            "ws_kf_optimise",
            lang,
            npv=million(f.get("npv_CNY")),
            reuse=percent(f.get("reuse_share")),
        )
    if kind == "review":
        verdict = str(f.get("verdict"))
        shown = t(f"rj_verdict_{verdict}", lang) if has(f"rj_verdict_{verdict}") else verdict
        return t(
            "ws_kf_review",
            lang,
            verdict=shown,
            fail=f.get("n_fail", 0),
            warning=f.get("n_warning", 0),
            conditions=f.get("n_conditions", 0),
        )
    if kind == "treat":
        lcow = f.get("lcow_CNY_m3")
        return t(
            "ws_kf_treat",
            lang,
            recovery=percent(f.get("recovery")),
            lcow="—" if lcow is None else f"{float(lcow):.2f}",
        )
    if kind == "characterise":
        return t(
            "ws_kf_characterise",
            lang,
            n=f.get("samples", 0),
            ok=f.get("qa_ok", 0),
            warning=f.get("qa_warning", 0),
            flag=f.get("qa_flag", 0),
        )
    if kind == "minewater_plan":
        return t(
            "ws_kf_minewater_plan",
            lang,
            npv=million(f.get("npv_CNY")),
            capex=million(f.get("capex_CNY")),
        )
    if kind == "pareto":
        return t("ws_kf_pareto", lang, points=f.get("points", 0), solved=f.get("solved", 0))
    if kind == "minewater_neutralise":
        reagent = str(f.get("reagent"))
        return t(
            "ws_kf_minewater_neutralise",
            lang,
            reagent=t(f"mw_reagent_{reagent}", lang) if has(f"mw_reagent_{reagent}") else reagent,
            pH=_number(f.get("target_pH"), "g"),
            dose=_number(f.get("dose_mg_L"), ",.1f"),
            kg_d=_number(f.get("reagent_kg_d"), ",.1f"),
            sludge=_number(f.get("sludge_dry_mg_L"), ",.1f"),
        )
    if kind == "minewater_size":
        option = str(f.get("option"))
        return t(
            "ws_kf_minewater_size",
            lang,
            option=t(f"mw_opt_{option}", lang) if has(f"mw_opt_{option}") else option,
            area=_number(f.get("area_m2"), ",.0f"),
            land=_number(f.get("land_m2"), ",.0f"),
            capex=million(f.get("capex_CNY")),
            opex=_number(f.get("opex_CNY_yr"), ",.0f"),
        )
    return key_figure_text(kind, f)


def runs_table(summaries: Iterable[Any], lang: str) -> pd.DataFrame:
    """The Workspace page's list: id, kind (translated), label, created (UTC, to the second),
    key figures (translated, with units)."""
    rows = [
        {
            "id": s.id,
            "kind": kind_label(s.kind, lang),
            "label": s.label,
            "created": s.created.strftime("%Y-%m-%d %H:%M:%S"),
            "key_figures": key_figures_label(s.kind, s.key_figures, lang),
        }
        for s in summaries
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "label", "created", "key_figures"])


def inputs_table(record: RunRecord) -> pd.DataFrame:
    """The inputs kept with a run: name, kind, size (bytes), SHA-256 (first 16 digits)."""
    return pd.DataFrame(
        [
            {"name": i.name, "kind": i.kind, "size": i.size, "sha256": i.sha256[:16]}
            for i in record.inputs
        ],
        columns=["name", "kind", "size", "sha256"],
    )


# ------------------------------------------------------------------ reports of a stored run
#: run kind -> the reports of it: (format, file suffix, MIME type)
REPORTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "review": (("pdf", "pdf", "application/pdf"), ("html", "html", "text/html")),
    "optimise": (
        ("pdf", "pdf", "application/pdf"),
        ("html", "html", "text/html"),
        ("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ),
}


def report_bytes(ws: Workspace, record: RunRecord, fmt: str, lang: str) -> bytes:
    """A report of a stored run in ``lang``: the review report (PDF or HTML, with the ``.pqi``
    kept with the run attached) or the plan report (PDF or HTML) and the plan's Excel workbook
    (``fmt="xlsx"``).

    Raises
    ------
    InputError
        A kind or format without a report.
    """
    if record.kind == "review" and fmt in ("pdf", "html"):
        review = ReviewResult.from_dict(record.result)
        return cbmwater.review_report(review, lang=lang, fmt=fmt, pqi=stored_pqi(ws, record.id))
    if record.kind == "optimise":
        plan = NetworkPlan.from_dict(record.result)
        if fmt == "xlsx":
            return cbmwater.plan_workbook(plan, lang=lang)
        if fmt in ("pdf", "html"):
            return cbmwater.plan_report(plan, lang=lang, fmt=fmt)
    raise InputError(f"no {fmt} report of a {record.kind} run")


def report_name(record: RunRecord, suffix: str, lang: str) -> str:
    """The file name of a stored run's report: ``run<id>_<kind>_<lang>.<suffix>``."""
    return f"run{record.id}_{record.kind}_{lang}.{suffix}"


# ------------------------------------------------------------------ the Compare page
def compare(records: list[RunRecord]) -> Comparison:
    """The stored runs of one comparable kind side by side, named ``#<id> <label>``."""
    kinds = {r.kind for r in records}
    if len(kinds) != 1 or next(iter(kinds)) not in COMPARABLE:
        raise InputError(
            f"compare runs of one kind of {', '.join(COMPARABLE)}; got {sorted(kinds)}"
        )
    names = [f"#{r.id} {r.label}".strip()[:48] for r in records]
    results = [r.result for r in records]
    if records[0].kind == "optimise":
        return cbmwater.compare_plans(results, names)
    return cbmwater.compare_trains(results, names)
