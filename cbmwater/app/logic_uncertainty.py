"""What the Uncertainty page computes, without Streamlit: the cases it offers, the jobs it
submits (a Monte Carlo run, a sensitivity run), and its tables and figures.

Everything works on the public API's results as dicts (``cbmwater.uncertainty(...).to_dict()``,
``cbmwater.sensitivity(...).to_dict()``), which is also what the workspace keeps, so a stored
run is shown exactly like a fresh one.  The figures follow docs/uncertainty.md:

* NPV is a **cost** (CNY of the price year; revenue counts negative), P10/P50/P90 are numpy's
  linear percentiles and CVaR 90 % is the mean of the worst (highest-cost) 10 % -- the page
  marks the result's own figures, it does not recompute them;
* the fan chart reads the scenario rows' ``delivered_m3_d`` (m3/d per destination and period,
  :meth:`cbmwater.study.uncertainty.UncertaintyResult.to_frame` ``("flows")``) and shows the
  10th-90th percentile band and the median of every destination in every period;
* VSS and EVPI come only from a two-stage stochastic plan (an optimisation result holding
  ``vss_CNY`` and ``evpi_CNY``); a Monte Carlo run of fixed builds does not give them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cbmwater.app import logic_optimise as LO
from cbmwater.app.i18n import t
from cbmwater.app.logic_jobs import submit as submit_job
from cbmwater.study import outputs as export
from cbmwater.study.casefiles import read_case_file
from cbmwater.study.workspace import InputFile, Workspace

__all__ = [
    "STOCHASTIC_KEYS",
    "SENSITIVITY_SAMPLES",
    "has_uncertainty",
    "bundled_cases",
    "submit_uncertainty",
    "submit_sensitivity",
    "npv_figure",
    "reuse_figure",
    "destinations_table",
    "flows_frame",
    "fan_table",
    "fan_figure",
    "stochastic_values",
    "stochastic_run",
    "tornado",
]

#: The keys of a two-stage stochastic plan's result that the page shows (CNY).
STOCHASTIC_KEYS: tuple[str, ...] = ("vss_CNY", "evpi_CNY")
#: Base sample counts a sensitivity run accepts (powers of 2; docs/uncertainty.md).
SENSITIVITY_SAMPLES: tuple[int, ...] = (4, 8, 16, 32, 64, 128, 256)
#: Stored optimisation runs searched for a stochastic plan of the same case (newest first).
_SEARCH_RUNS = 50
_MARK_COLOURS = {"p10": "#54a24b", "p50": "#4c78a8", "p90": "#f58518", "cvar90": "#e45756"}
_PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#9d755d")


# ------------------------------------------------------------------ cases and jobs
def has_uncertainty(data: Mapping[str, Any]) -> bool:
    """Whether a parsed case TOML has an ``[uncertainty]`` section."""
    return isinstance(data.get("uncertainty"), Mapping)


def bundled_cases() -> list[Path]:
    """The bundled decision-engine cases (and the hand case) that carry ``[uncertainty]``."""
    out = []
    for path in LO.bundled_cases():
        try:
            data = read_case_file(path).data
        except Exception:  # noqa: BLE001 - an unreadable case is the Optimise page's error
            continue
        if has_uncertainty(data):
            out.append(path)
    return out


def _label(case: Any) -> str:
    return str(getattr(case, "name", "") or "")[:200]


def submit_uncertainty(
    case: Any,
    inputs: list[InputFile],
    *,
    samples: int,
    seed: int,
    cores: int = 1,
    options: Mapping[str, Any] | None = None,
) -> str:
    """Queue :func:`cbmwater.uncertainty` of the case as a job holding ``cores`` cores; saved
    as an ``uncertainty`` run when it is done.  Returns the job's id.

    ``cores`` is what the job reserves from the runner's budget: its scenarios run on a pool of
    that many workers inside the job (one HiGHS thread and one PHREEQC instance each; the same
    seeds, so the same result as any number of workers).
    """
    params = {"case": case, "samples": int(samples), "seed": int(seed)}
    return submit_job(
        "uncertainty",
        "uncertainty",
        params,
        inputs=inputs,
        options=dict(options or {}),
        label=_label(case),
        cores=int(cores),
    )


def submit_sensitivity(
    case: Any,
    inputs: list[InputFile],
    *,
    base_samples: int,
    seed: int,
    cores: int = 1,
    options: Mapping[str, Any] | None = None,
) -> str:
    """Queue :func:`cbmwater.sensitivity` (Sobol indices of NPV and reuse share, ``base_samples``
    a power of 2) as a job, saved as a ``sensitivity`` run.  Returns the job's id."""
    params = {"case": case, "base_samples": int(base_samples), "seed": int(seed)}
    return submit_job(
        "sensitivity",
        "sensitivity",
        params,
        inputs=inputs,
        options=dict(options or {}),
        label=_label(case),
        cores=int(cores),
    )


# ------------------------------------------------------------------ figures and tables
def _solved(res: Mapping[str, Any], key: str) -> np.ndarray:
    vals = [r.get(key) for r in res.get("scenarios") or []]
    return np.asarray([v for v in vals if v is not None], float)


def _marks(fig: go.Figure, stats: Mapping[str, Any], scale: float, lang: str, **where: Any) -> None:
    for key, colour in _MARK_COLOURS.items():
        v = stats.get(key)
        if v is None:
            continue
        fig.add_vline(
            x=float(v) * scale,
            line={"color": colour, "dash": "dash", "width": 1.5},
            annotation_text=t(f"unc_mark_{key}", lang),
            annotation_position="top",
            **where,
        )


def npv_figure(res: Mapping[str, Any], lang: str) -> go.Figure:
    """Histogram and empirical CDF of the scenarios' NPV cost (million CNY), with the result's
    P10, P50, P90 and CVaR 90 % marked."""
    x = _solved(res, "npv_CNY") / 1e6
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(t("unc_npv_hist", lang), t("unc_npv_cdf", lang)),
        horizontal_spacing=0.1,
    )
    fig.add_trace(
        go.Histogram(x=x, name=t("unc_scenarios", lang), marker_color="#4c78a8", opacity=0.8),
        row=1,
        col=1,
    )
    xs = np.sort(x)
    cdf = np.arange(1, len(xs) + 1) / max(len(xs), 1)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=cdf,
            mode="lines+markers",
            line={"shape": "hv", "color": "#4c78a8"},
            name=t("unc_cdf", lang),
        ),
        row=1,
        col=2,
    )
    stats = res.get("npv_CNY") or {}
    _marks(fig, stats, 1e-6, lang, row=1, col=1)
    _marks(fig, stats, 1e-6, lang, row=1, col=2)
    axis = t("unc_npv_axis", lang)
    fig.update_xaxes(title_text=axis)
    fig.update_yaxes(title_text=t("unc_count", lang), row=1, col=1)
    fig.update_yaxes(title_text=t("unc_probability", lang), range=[0, 1.02], row=1, col=2)
    fig.update_layout(showlegend=False, height=380, margin={"t": 60, "b": 40})
    return fig


def reuse_figure(res: Mapping[str, Any], lang: str) -> go.Figure:
    """Histogram of the scenarios' reuse share (%), with the result's P10/P50/P90 and CVaR 90 %
    (the mean of the lowest 10 %) marked."""
    x = 100.0 * _solved(res, "reuse_share")
    fig = go.Figure(go.Histogram(x=x, marker_color="#54a24b", opacity=0.8))
    _marks(fig, res.get("reuse_share") or {}, 100.0, lang)
    fig.update_layout(
        title=t("unc_reuse_hist", lang),
        xaxis_title=t("unc_reuse_axis", lang),
        yaxis_title=t("unc_count", lang),
        height=340,
        margin={"t": 60, "b": 40},
        showlegend=False,
    )
    return fig


def destinations_table(res: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """Per destination: kind (translated), the share of scenarios in which the plan's blend
    meets every limit without curtailment (%), and the delivered volume's P10/P50/P90 over the
    horizon (thousand m3)."""
    rows = []
    for d in res.get("destinations") or []:
        p = d.get("p_limits_hold")
        q = d.get("delivered_m3") or {}

        def k(key: str, q: Mapping[str, Any] = q) -> float | None:
            v = q.get(key)
            return None if v is None else float(v) / 1e3

        rows.append(
            {
                "name": d["name"],
                "kind": LO.kind_label(str(d.get("kind")), lang),
                "p_limits_hold_pct": None if p is None else 100.0 * float(p),
                "delivered_p10_km3": k("p10"),
                "delivered_p50_km3": k("p50"),
                "delivered_p90_km3": k("p90"),
            }
        )
    cols = [
        "name",
        "kind",
        "p_limits_hold_pct",
        "delivered_p10_km3",
        "delivered_p50_km3",
        "delivered_p90_km3",
    ]
    return pd.DataFrame(rows, columns=cols)


def flows_frame(res: Mapping[str, Any]) -> pd.DataFrame:
    """The scenario rows' per-period flows: scenario, destination, period, delivered_m3_d (the
    ``flows`` table of :class:`cbmwater.study.uncertainty.UncertaintyResult`); empty when the
    run's rows do not carry them."""
    rows = [
        {"scenario": r.get("scenario"), "destination": name, "period": p, "delivered_m3_d": q}
        for r in res.get("scenarios") or []
        for name, per in (r.get("delivered_m3_d") or {}).items()
        for p, q in enumerate(per, start=1)
    ]
    return pd.DataFrame(rows, columns=["scenario", "destination", "period", "delivered_m3_d"])


def fan_table(res: Mapping[str, Any]) -> pd.DataFrame:
    """Per destination and period: the 10th, 50th and 90th percentiles (numpy, linear) of the
    m3/d delivered over the solved scenarios."""
    flows = flows_frame(res)
    cols = ["destination", "period", "p10_m3_d", "p50_m3_d", "p90_m3_d"]
    if flows.empty:
        return pd.DataFrame(columns=cols)
    out = []
    order = list(dict.fromkeys(flows["destination"]))
    for (dest, period), g in flows.groupby(["destination", "period"], sort=False):
        p10, p50, p90 = np.percentile(g["delivered_m3_d"].to_numpy(float), [10, 50, 90])
        out.append(
            {
                "destination": dest,
                "period": int(period),
                "p10_m3_d": float(p10),
                "p50_m3_d": float(p50),
                "p90_m3_d": float(p90),
            }
        )
    df = pd.DataFrame(out, columns=cols)
    df["_o"] = df["destination"].map(order.index)
    return df.sort_values(["_o", "period"]).drop(columns="_o").reset_index(drop=True)


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def fan_figure(res: Mapping[str, Any], lang: str) -> go.Figure:
    """Delivered flow (m3/d) of each destination over the periods: the P10-P90 band of the
    scenarios shaded and their median (P50) as a line (one colour per destination)."""
    fan = fan_table(res)
    fig = go.Figure()
    for i, dest in enumerate(dict.fromkeys(fan["destination"])):
        g = fan[fan["destination"] == dest]
        colour = _PALETTE[i % len(_PALETTE)]
        x = g["period"].tolist()
        fig.add_trace(
            go.Scatter(
                x=x + x[::-1],
                y=g["p90_m3_d"].tolist() + g["p10_m3_d"].tolist()[::-1],
                fill="toself",
                fillcolor=_rgba(colour, 0.2),
                line={"width": 0},
                hoverinfo="skip",
                name=t("unc_band", lang, name=dest),
                legendgroup=str(dest),
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=g["p50_m3_d"].tolist(),
                mode="lines+markers",
                line={"color": colour},
                name=str(dest),
                legendgroup=str(dest),
            )
        )
    fig.update_layout(
        title=t("unc_fan_title", lang),
        xaxis_title=t("unc_period", lang),
        yaxis_title=t("unc_flow_axis", lang),
        height=420,
        margin={"t": 60, "b": 40},
    )
    fig.update_xaxes(dtick=1)
    return fig


def tornado(result: Mapping[str, Any], output: str, lang: str) -> go.Figure:
    """The tornado chart of a sensitivity run's ``output`` (NPV cost or reuse share)."""
    return export.tornado_figure(result, output, lang)


# ------------------------------------------------------------------ VSS and EVPI
def stochastic_values(result: Mapping[str, Any] | None) -> dict[str, float] | None:
    """``{"vss_CNY", "evpi_CNY"}`` of a two-stage stochastic plan's result, or None when the
    result holds neither (every other run: a Monte Carlo run of fixed builds gives none)."""
    if not result or not all(result.get(k) is not None for k in STOCHASTIC_KEYS):
        return None
    return {k: float(result[k]) for k in STOCHASTIC_KEYS}


def stochastic_run(
    ws: Workspace, case_sha256: str | None, runs: Iterable[Any] | None = None
) -> tuple[int, dict[str, float]] | None:
    """The newest stored optimisation of the case (by its ``case.sha256``) that is a stochastic
    plan (its result holds ``vss_CNY`` and ``evpi_CNY``): ``(run id, values)``, or None."""
    if not case_sha256:
        return None
    summaries = list(runs if runs is not None else ws.runs("optimise"))[:_SEARCH_RUNS]
    for s in summaries:
        try:
            result = ws.run(s.id).result
        except Exception:  # noqa: BLE001 - deleted meanwhile
            continue
        if (result.get("case") or {}).get("sha256") != case_sha256:
            continue
        values = stochastic_values(result)
        if values is not None:
            return int(s.id), values
    return None
