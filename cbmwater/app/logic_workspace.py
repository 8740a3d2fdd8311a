"""Workspace and Compare pages: tables and figures over saved runs (engine calls only).

Everything here works on what the public API returns (``Workspace.runs()`` summaries, stored
result dicts and :func:`cbmwater.compare_plans` / :func:`cbmwater.compare_trains`), so it is
tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from cbmwater import Comparison

#: kinds whose runs can be compared side by side
COMPARABLE: tuple[str, ...] = ("optimise", "treat")


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


def costs_compare_figure(comparison: Comparison, title: str, y_title: str) -> go.Figure:
    """NPV by cost category, one stacked bar per run (M CNY; revenue below zero)."""
    costs = comparison.to_frame("costs")
    costs = costs[costs["category"] != "total"]
    fig = go.Figure(
        [
            go.Bar(
                name=str(row["category"]),
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
