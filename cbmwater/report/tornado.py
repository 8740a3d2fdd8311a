"""The tornado chart of a sensitivity run: factors ranked by their total Sobol index.

:func:`tornado_figure` is the interactive plotly figure (the app, ``tornado.html`` of the CLI);
:func:`tornado_svg` the same chart as a static matplotlib SVG for reports (see
:mod:`cbmwater.report.figures` for why reports use SVG).  Both read the result's dict
(:meth:`cbmwater.SensitivityResult.to_dict`): for one output, one bar per factor of length ST
(total index, with its 95 % confidence half-width as an error bar) and a thinner bar S1
(first-order index) inside it, the largest ST at the top.  ST - S1 is the share of the
variance the factor causes through interactions with others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message, translate

__all__ = ["tornado_rows", "tornado_figure", "tornado_svg", "tornado_html"]

_ST_COLOUR = "#2a7ab0"
_S1_COLOUR = "#f28e2b"


def _t(code: str, lang: str, **params: Any) -> str:
    return translate(code, lang, "reports", **params)


def _as_dict(result: Any) -> Mapping[str, Any]:
    return result.to_dict() if hasattr(result, "to_dict") else result


def tornado_rows(result: Any, output: str) -> list[dict[str, Any]]:
    """The factors with indices for ``output``, smallest ST first (a horizontal bar chart draws
    its first category at the bottom), each ``{name, S1, S1_conf, ST, ST_conf}``.

    Parameters
    ----------
    result : SensitivityResult or mapping
        A sensitivity result or its ``to_dict()``.
    output : str
        One of the result's ``outputs``.
    """
    d = _as_dict(result)
    rows = [
        {"name": f["name"], **f[output]}
        for f in d["factors"]
        if f.get(output, {}).get("ST") is not None
    ]
    return sorted(rows, key=lambda r: (r["ST"], r["name"]))


def _labels(d: Mapping[str, Any], output: str, lang: str) -> tuple[str, str]:
    """The chart's title and the text shown when the output has no indices ('' when it has)."""
    name = _t(f"sensitivity.output.{output}", lang)
    stats = d.get("output_stats", {}).get(output) or {}
    note = stats.get("note") or ""
    if stats.get("note_i18n"):
        note = Message.from_dict(stats["note_i18n"]).render(lang)
    empty = _t("sensitivity.tornado.none", lang, output=name, note=note) if note else ""
    return _t("sensitivity.tornado.title", lang, output=name), empty


def tornado_figure(result: Any, output: str = "npv_CNY", lang: str = "en") -> Any:
    """The tornado chart of ``output`` as a plotly figure (needs ``cbmwater[app]``).

    Parameters
    ----------
    result : SensitivityResult or mapping
        A sensitivity result or its ``to_dict()``.
    output : str
        ``npv_CNY``, ``reuse_share``... (one of the result's ``outputs``).
    lang : {"en", "zh"}

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: ST per factor (bars, 95 % half-widths as error bars); trace 1: S1.  Indices
        are shares of the output's variance (0-1).  An output without indices (constant, or a
        scenario failed) gives an empty figure whose annotation says why.
    """
    import plotly.graph_objects as go

    d = _as_dict(result)
    rows = tornado_rows(d, output)
    title, empty = _labels(d, output, lang)
    fig = go.Figure()
    names = [r["name"] for r in rows]
    if rows:
        fig.add_bar(
            y=names,
            x=[r["ST"] for r in rows],
            orientation="h",
            name=_t("sensitivity.tornado.st", lang),
            marker_color=_ST_COLOUR,
            error_x={"type": "data", "array": [r["ST_conf"] for r in rows]},
        )
        fig.add_bar(
            y=names,
            x=[r["S1"] for r in rows],
            orientation="h",
            name=_t("sensitivity.tornado.s1", lang),
            marker_color=_S1_COLOUR,
            width=0.4,
            error_x={"type": "data", "array": [r["S1_conf"] for r in rows]},
        )
    else:
        fig.add_annotation(text=empty, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(
        title=title,
        barmode="overlay",
        xaxis_title=_t("sensitivity.tornado.axis", lang),
        height=max(260, 60 + 36 * len(rows)),
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    fig.update_xaxes(rangemode="tozero")
    return fig


def tornado_svg(result: Any, output: str = "npv_CNY", lang: str = "en") -> bytes:
    """The tornado chart of ``output`` as an SVG image (matplotlib; for reports).

    Parameters and content as for :func:`tornado_figure`; the same data give the same bytes.
    """
    import matplotlib
    from matplotlib.figure import Figure

    from .figures import _STYLE, _svg

    d = _as_dict(result)
    rows = tornado_rows(d, output)
    title, empty = _labels(d, output, lang)
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(7.0, 0.4 * len(rows) + 1.4))
        ax = fig.subplots()
        if rows:
            pos = list(range(len(rows)))
            ax.barh(
                pos,
                [r["ST"] for r in rows],
                xerr=[r["ST_conf"] for r in rows],
                color=_ST_COLOUR,
                height=0.7,
                label=_t("sensitivity.tornado.st", lang),
            )
            ax.barh(
                pos,
                [r["S1"] for r in rows],
                color=_S1_COLOUR,
                height=0.3,
                label=_t("sensitivity.tornado.s1", lang),
            )
            ax.set_yticks(pos, [r["name"] for r in rows])
            ax.legend(fontsize=7, frameon=False, loc="lower right")
        else:
            ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(_t("sensitivity.tornado.axis", lang))
        ax.set_title(title)
        fig.tight_layout()
    return _svg(fig)


def tornado_html(result: Any, lang: str = "en") -> str:
    """A self-contained HTML page with the tornado chart of every output of ``result``
    (plotly.js embedded once, so the page works offline; the CLI's ``tornado.html``)."""
    d = _as_dict(result)
    parts = []
    for k, output in enumerate(d["outputs"]):
        fig = tornado_figure(d, output, lang)
        parts.append(fig.to_html(full_html=False, include_plotlyjs=k == 0))
    import html

    name = html.escape(str(d.get("case", {}).get("name", "")))
    title = _t("sensitivity.tornado.page", lang, case=name)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
        f"</title></head>\n<body>\n<h1>{title}</h1>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
