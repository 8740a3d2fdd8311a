"""Static figures of the reports: matplotlib (Agg backend) drawn to SVG, labels in English or
Chinese.

Why static SVG from matplotlib and not an interactive plotly chart: a report is generated on a
server (the CLI, a job worker) and printed to PDF by WeasyPrint, which draws HTML and CSS but runs
no JavaScript; plotly needs a browser (or kaleido's headless Chromium) to turn a figure into an
image.  matplotlib's Agg/SVG backends need neither a display nor a browser, and an SVG is a
vector image that WeasyPrint embeds in the PDF and every browser shows inline in the HTML.

Chinese labels use the font family 'Noto Sans CJK SC' (Debian's ``fonts-noto-cjk``), with
'DejaVu Sans' as the fallback for Latin text; SVG text is written as paths
(``svg.fonttype = "path"``), so the figure shows the same glyphs whatever fonts the reader has.
The SVG's element ids are salted with a fixed string, so the same data give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: a report is drawn on a server

from matplotlib.figure import Figure  # noqa: E402  (after the backend is chosen)

from ..i18n import translate  # noqa: E402

__all__ = ["FONT_FAMILY", "mixing_figure", "flows_figure", "costs_figure"]

#: Font stack of the figures: Simplified Chinese first, then a font with every Latin glyph.
FONT_FAMILY: list[str] = ["Noto Sans CJK SC", "DejaVu Sans"]

_STYLE: Any = {  # matplotlib types rcParams keys as literals
    "font.family": FONT_FAMILY,
    "font.size": 9,
    "axes.unicode_minus": False,  # CJK fonts lack U+2212; a hyphen-minus renders everywhere
    "svg.fonttype": "path",
    "svg.hashsalt": "cbmwater-report",
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _t(code: str, lang: str, **params: Any) -> str:
    return translate(code, lang, "reports", **params)


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(_STYLE):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue()


def _num(v: object) -> float:
    """A table value as a float (None and non-numbers become NaN)."""
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else float("nan")


def mixing_figure(mixing: Sequence[Mapping[str, Any]], minerals: Sequence[str], lang: str) -> bytes:
    """Saturation index and scale of each mineral against the injectate share of the mixture.

    Parameters
    ----------
    mixing : sequence of mapping
        Rows of the review's mixing table: ``fraction_injectate`` (0-1), ``si_<mineral>``,
        ``scale_<mineral>_mg_L``, ``scale_mg_L`` and ``excess_scale_mg_L`` (mg per L of mixture).
    minerals : sequence of str
        The minerals to draw (PHREEQC phase names).
    lang : {"en", "zh"}

    Returns
    -------
    bytes
        An SVG image: left panel SI (dimensionless) with the SI = 0 line, right panel scale in
        mg/L (the minerals that precipitate, the total and the part due to mixing).
    """
    x = [100 * _num(r.get("fraction_injectate")) for r in mixing]
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(9.0, 3.6))
        ax_si, ax_sc = fig.subplots(1, 2)
        for i, m in enumerate(minerals):
            name = _t(f"mineral.{m}", lang)
            si = [_num(r.get(f"si_{m}")) for r in mixing]
            if any(v == v for v in si):
                ax_si.plot(x, si, marker="o", ms=3, lw=1.2, color=f"C{i}", label=name)
            scale = [_num(r.get(f"scale_{m}_mg_L")) for r in mixing]
            if any(v > 0 for v in scale):
                ax_sc.plot(x, scale, marker="o", ms=3, lw=1.2, color=f"C{i}", label=name)
        ax_sc.plot(
            x,
            [_num(r.get("scale_mg_L")) for r in mixing],
            color="black",
            lw=2.2,
            label=_t("review.legend.total", lang),
        )
        ax_sc.plot(
            x,
            [_num(r.get("excess_scale_mg_L")) for r in mixing],
            color="black",
            lw=1.4,
            ls="--",
            label=_t("review.legend.excess", lang),
        )
        ax_si.axhline(0.0, color="grey", lw=1, ls=":")
        ax_si.set_title(_t("review.figure.si", lang), fontsize=9)
        ax_sc.set_title(_t("review.figure.scale", lang), fontsize=9)
        ax_si.set_ylabel(_t("review.axis.si", lang))
        ax_sc.set_ylabel(_t("review.axis.scale", lang))
        for ax in (ax_si, ax_sc):
            ax.set_xlabel(_t("review.axis.fraction", lang))
            ax.set_xlim(0, 100)
            ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
    return _svg(fig)


def flows_figure(
    table: Mapping[str, Mapping[str, float]], periods: Sequence[str], lang: str
) -> bytes:
    """Stacked bars of the water delivered to each destination in each period.

    Parameters
    ----------
    table : mapping
        ``destination label -> {period label -> delivered m3/d}``.
    periods : sequence of str
        The period labels, in order (the x axis).
    lang : {"en", "zh"}

    Returns
    -------
    bytes
        An SVG image, m3/d on the y axis.
    """
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(8.0, 3.4))
        ax = fig.subplots()
        bottom = [0.0] * len(periods)
        for i, (dest, row) in enumerate(table.items()):
            heights = [float(row.get(p, 0.0)) for p in periods]
            ax.bar(periods, heights, bottom=bottom, color=f"C{i}", label=dest, width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.set_xlabel(_t("plan.axis.period", lang))
        ax.set_ylabel(_t("plan.axis.m3_d", lang))
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        if len(periods) > 12:
            ax.tick_params(axis="x", labelrotation=90)
        fig.tight_layout()
    return _svg(fig)


def costs_figure(costs: Mapping[str, float], lang: str) -> bytes:
    """Horizontal bars of the NPV of each cost category (revenue is negative).

    Parameters
    ----------
    costs : mapping
        ``category label -> NPV, CNY``.
    lang : {"en", "zh"}

    Returns
    -------
    bytes
        An SVG image, million CNY on the x axis.
    """
    labels = list(costs)
    values = [float(v) / 1e6 for v in costs.values()]
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(7.0, 0.35 * len(labels) + 1.0))
        ax = fig.subplots()
        ax.barh(labels, values, color=["#2a7ab0" if v >= 0 else "#4caf50" for v in values])
        ax.axvline(0.0, color="grey", lw=1)
        ax.invert_yaxis()
        ax.set_xlabel(_t("plan.axis.million_cny", lang))
        fig.tight_layout()
    return _svg(fig)
