"""Piper trilinear diagram (Piper, 1944) drawn with plotly on one cartesian plane.

A Piper diagram shows the major-ion make-up of waters as percentages of the total cations and of
the total anions, each in milliequivalents per litre (meq/L).  It has three fields:

* the **cation triangle** (lower left): Ca, Mg and Na+K, in percent of the cation sum;
* the **anion triangle** (lower right): HCO3+CO3, SO4 and Cl, in percent of the anion sum;
* the **diamond** (above, between them), where both are combined: its point is the
  intersection of the projections of the two triangle points.

Geometry used throughout this module (all lengths in units of the triangle side, which is 1):

* ``h = sqrt(3)/2`` is the height of a triangle, ``GAP`` (0.2) the horizontal gap between the two
  triangles, and ``X0 = 1 + GAP`` the x of the anion triangle's left vertex.
* Cation triangle: Ca at (0, 0), Na+K at (1, 0), Mg at (1/2, h).
* Anion triangle: HCO3+CO3 at (X0, 0), Cl at (X0 + 1, 0), SO4 at (X0 + 1/2, h).
* Diamond: left corner (X0/2, X0 h) = Ca+Mg / HCO3+CO3 water, bottom corner (1 + GAP/2, GAP h)
  = Na+K / HCO3+CO3 water, right corner ((X0 + 2)/2, X0 h) = Na+K / Cl+SO4 water, top corner
  (1 + GAP/2, (X0 + 1) h) = Ca+Mg / Cl+SO4 water.  Its sides are 1 long and parallel to the
  triangles' slanted sides.

With fractions (percent / 100) ``ca, mg, nak`` of the cation sum and ``hco3, so4, cl`` of the
anion sum (``hco3`` standing for HCO3+CO3)::

    cat_x = nak + mg/2                 cat_y = h mg
    an_x  = X0 + cl + so4/2            an_y  = h so4
    dia_x = (nak + X0 + cl + so4)/2    dia_y = h (X0 + cl + so4 - nak)

The diamond formula is the standard construction: the cation point is projected up and to the
right parallel to the triangle's Ca–Mg side (a line of constant Na+K, ``x - y/sqrt(3) = nak``),
the anion point up and to the left parallel to the triangle's Cl–SO4 side (a line of constant
HCO3+CO3, ``x + y/sqrt(3) = X0 + cl + so4``), and the diamond point is where the two lines meet.

Reference
---------
Piper, A. M. (1944).  A graphic procedure in the geochemical interpretation of water-analyses.
*Transactions, American Geophysical Union* 25(6), 914–928.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # plotly is the [app] extra: imported only when a figure is drawn
    import plotly.graph_objects as go

from cbmwater.errors import InputError
from cbmwater.i18n import Text, joined

__all__ = [
    "GAP",
    "HEIGHT",
    "ANION_X0",
    "MEQ_COLUMNS",
    "PCT_COLUMNS",
    "COORD_COLUMNS",
    "LABELS",
    "CATION_VERTICES",
    "ANION_VERTICES",
    "DIAMOND_VERTICES",
    "piper_percentages",
    "piper_coordinates",
    "piper_figure",
]

#: Horizontal gap between the cation and the anion triangle, in units of the triangle side.
GAP: float = 0.2
#: Height of an equilateral triangle of side 1.
HEIGHT: float = math.sqrt(3.0) / 2.0
#: x of the anion triangle's left (HCO3+CO3) vertex.
ANION_X0: float = 1.0 + GAP

#: Input columns of :func:`piper_percentages`, meq/L.
MEQ_COLUMNS: tuple[str, ...] = ("Ca", "Mg", "Na", "K", "Cl", "SO4", "HCO3", "CO3")
_CATIONS: tuple[str, ...] = ("Ca", "Mg", "Na", "K")
_ANIONS: tuple[str, ...] = ("Cl", "SO4", "HCO3", "CO3")
#: Output columns of :func:`piper_percentages`, percent of the cation or anion sum in meq.
PCT_COLUMNS: tuple[str, ...] = ("Ca_pct", "Mg_pct", "NaK_pct", "Cl_pct", "SO4_pct", "HCO3CO3_pct")
#: Output columns of :func:`piper_coordinates`.
COORD_COLUMNS: tuple[str, ...] = ("cat_x", "cat_y", "an_x", "an_y", "dia_x", "dia_y")

#: Vertices of the cation triangle: Ca (left), Na+K (right), Mg (top).
CATION_VERTICES: dict[str, tuple[float, float]] = {
    "Ca": (0.0, 0.0),
    "NaK": (1.0, 0.0),
    "Mg": (0.5, HEIGHT),
}
#: Vertices of the anion triangle: HCO3+CO3 (left), Cl (right), SO4 (top).
ANION_VERTICES: dict[str, tuple[float, float]] = {
    "HCO3CO3": (ANION_X0, 0.0),
    "Cl": (ANION_X0 + 1.0, 0.0),
    "SO4": (ANION_X0 + 0.5, HEIGHT),
}
#: Corners of the diamond.
DIAMOND_VERTICES: dict[str, tuple[float, float]] = {
    "left": (ANION_X0 / 2.0, ANION_X0 * HEIGHT),
    "bottom": (1.0 + GAP / 2.0, GAP * HEIGHT),
    "right": ((ANION_X0 + 2.0) / 2.0, ANION_X0 * HEIGHT),
    "top": (1.0 + GAP / 2.0, (ANION_X0 + 1.0) * HEIGHT),
}

#: Texts of the figure by language.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "Ca": "Ca",
        "Mg": "Mg",
        "NaK": "Na+K",
        "HCO3CO3": "HCO3+CO3",
        "Cl": "Cl",
        "SO4": "SO4",
        "ClSO4": "Cl+SO4",
        "CaMg": "Ca+Mg",
        "sample": "Sample",
        "samples": "Samples",
        "title": "Piper diagram (percent of meq/L)",
    },
    "zh": {
        "Ca": "钙 Ca",
        "Mg": "镁 Mg",
        "NaK": "钠+钾 Na+K",
        "HCO3CO3": "重碳酸根+碳酸根 HCO3+CO3",
        "Cl": "氯 Cl",
        "SO4": "硫酸根 SO4",
        "ClSO4": "氯+硫酸根 Cl+SO4",
        "CaMg": "钙+镁 Ca+Mg",
        "sample": "样品",
        "samples": "样品",
        "title": "Piper 三线图（毫克当量百分数）",
    },
}

_GRID_STEPS: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8)
_FRAME_STYLE = {"color": "#222222", "width": 1.3}
_GRID_STYLE = {"color": "#d4d4d4", "width": 0.8}
_TICK_FONT = {"size": 9, "color": "#888888"}
_LABEL_FONT = {"size": 13, "color": "#222222"}
_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("cation", "cat_x", "cat_y"),
    ("anion", "an_x", "an_y"),
    ("diamond", "dia_x", "dia_y"),
)


def _require(df: object, columns: Sequence[str], what: str) -> pd.DataFrame:
    """Check that ``df`` is a DataFrame holding ``columns``; return it as float, NaN kept."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(Text.of("report.error.piper_not_frame", what=what, kind=type(df).__name__))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            Text.of(
                "report.error.piper_missing_columns",
                what=what,
                missing=joined(missing),
                needed=joined(columns),
            ),
            column=missing[0],
        )
    out = pd.DataFrame(index=df.index)
    for col in columns:
        try:
            out[col] = pd.to_numeric(df[col], errors="raise").astype(float)
        except (ValueError, TypeError) as exc:
            raise InputError(
                Text.of("report.error.piper_not_number", what=what, why=str(exc)), column=col
            ) from exc
    return out


def piper_percentages(meq: pd.DataFrame) -> pd.DataFrame:
    """Major ions as percent of the cation and anion sums, in meq, for a Piper diagram.

    Parameters
    ----------
    meq : pandas.DataFrame
        One row per sample with columns ``Ca, Mg, Na, K, Cl, SO4, HCO3, CO3`` in meq/L (other
        columns are ignored).  NaN means "not measured" and counts as 0 meq/L.  Values must be
        finite and not negative.

    Returns
    -------
    pandas.DataFrame
        Same index, columns ``Ca_pct, Mg_pct, NaK_pct`` (percent of Ca+Mg+Na+K) and
        ``Cl_pct, SO4_pct, HCO3CO3_pct`` (percent of Cl+SO4+HCO3+CO3), each in percent
        (0–100).  A row whose cation sum or anion sum is 0 (including all-NaN rows) cannot be
        placed on the diagram and is NaN in all six columns.

    Raises
    ------
    cbmwater.errors.InputError
        If a column is missing, not numeric, negative or infinite.

    Notes
    -----
    ``Ca_pct = 100 Ca / (Ca + Mg + Na + K)`` and likewise for Mg and Na+K;
    ``Cl_pct = 100 Cl / (Cl + SO4 + HCO3 + CO3)`` and likewise for SO4 and HCO3+CO3, all
    concentrations in meq/L (Piper, 1944, Trans. AGU 25:914–928).
    """
    values = _require(meq, MEQ_COLUMNS, Text.of("report.piper.what.input"))
    for col in MEQ_COLUMNS:
        bad = values[col].notna() & ~(np.isfinite(values[col]) & (values[col] >= 0.0))
        if bad.any():
            label = bad[bad].index[0]
            raise InputError(
                Text.of("report.error.piper_negative", label=repr(label)),
                column=col,
                value=values.at[label, col],
            )
    v = values.fillna(0.0)
    cat_sum = v["Ca"] + v["Mg"] + v["Na"] + v["K"]
    an_sum = v["Cl"] + v["SO4"] + v["HCO3"] + v["CO3"]
    usable = (cat_sum > 0.0) & (an_sum > 0.0)
    cat = cat_sum.where(usable)
    an = an_sum.where(usable)
    out = pd.DataFrame(
        {
            "Ca_pct": 100.0 * v["Ca"] / cat,
            "Mg_pct": 100.0 * v["Mg"] / cat,
            "NaK_pct": 100.0 * (v["Na"] + v["K"]) / cat,
            "Cl_pct": 100.0 * v["Cl"] / an,
            "SO4_pct": 100.0 * v["SO4"] / an,
            "HCO3CO3_pct": 100.0 * (v["HCO3"] + v["CO3"]) / an,
        },
        index=values.index,
    )
    return out[list(PCT_COLUMNS)]


def _diamond_xy(nak: pd.Series | float, clso4: pd.Series | float) -> tuple:
    """Diamond point from fractions of Na+K (cations) and Cl+SO4 (anions); see module notes."""
    x = (nak + ANION_X0 + clso4) / 2.0
    y = HEIGHT * (ANION_X0 + clso4 - nak)
    return x, y


def piper_coordinates(pct: pd.DataFrame) -> pd.DataFrame:
    """Plot coordinates of samples in the three fields of a Piper diagram.

    Parameters
    ----------
    pct : pandas.DataFrame
        Output of :func:`piper_percentages`: columns ``Ca_pct, Mg_pct, NaK_pct, Cl_pct,
        SO4_pct, HCO3CO3_pct`` in percent of the cation / anion sum in meq/L.

    Returns
    -------
    pandas.DataFrame
        Same index, columns ``cat_x, cat_y`` (cation triangle), ``an_x, an_y`` (anion
        triangle) and ``dia_x, dia_y`` (diamond), in units of the triangle side (1).  NaN
        percentages give NaN coordinates.

    Notes
    -----
    With ``h = sqrt(3)/2``, ``X0 = 1 + GAP`` (``GAP = 0.2``) and fractions ``f = pct/100``::

        cat_x = f_NaK + f_Mg/2               cat_y = h f_Mg
        an_x  = X0 + f_Cl + f_SO4/2          an_y  = h f_SO4
        dia_x = (f_NaK + X0 + f_Cl + f_SO4)/2
        dia_y = h (X0 + f_Cl + f_SO4 - f_NaK)

    The cation triangle has Ca at (0, 0), Na+K at (1, 0), Mg at (1/2, h); the anion triangle
    HCO3+CO3 at (X0, 0), Cl at (X0+1, 0), SO4 at (X0+1/2, h).  The diamond point is the
    intersection of the line through the cation point parallel to the Ca–Mg side (constant
    Na+K) with the line through the anion point parallel to the Cl–SO4 side (constant
    HCO3+CO3), as constructed by Piper (1944, Trans. AGU 25:914–928).  Only the sums of the
    percentages per triangle are assumed to be 100; they are not renormalised here.
    """
    p = _require(pct, PCT_COLUMNS, Text.of("report.piper.what.percentages")) / 100.0
    nak, mg = p["NaK_pct"], p["Mg_pct"]
    cl, so4 = p["Cl_pct"], p["SO4_pct"]
    dia_x, dia_y = _diamond_xy(nak, cl + so4)
    out = pd.DataFrame(
        {
            "cat_x": nak + mg / 2.0,
            "cat_y": HEIGHT * mg,
            "an_x": ANION_X0 + cl + so4 / 2.0,
            "an_y": HEIGHT * so4,
            "dia_x": dia_x,
            "dia_y": dia_y,
        },
        index=p.index,
    )
    return out[list(COORD_COLUMNS)]


# ----------------------------------------------------------------------------- figure helpers


def _lines_trace(
    segments: list[tuple[tuple[float, float], tuple[float, float]]], line: dict, name: str
) -> go.Scatter:
    """One scatter trace drawing ``segments`` (pairs of points), separated by gaps."""
    import plotly.graph_objects as go

    xs: list[float | None] = []
    ys: list[float | None] = []
    for (x0, y0), (x1, y1) in segments:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line=line,
        hoverinfo="skip",
        showlegend=False,
        name=name,
        meta={"role": name},
    )


def _bary(
    vertices: Sequence[tuple[float, float]], fractions: Sequence[float]
) -> tuple[float, float]:
    """Point of a triangle with ``vertices`` at barycentric ``fractions``."""
    x = sum(f * v[0] for f, v in zip(fractions, vertices))
    y = sum(f * v[1] for f, v in zip(fractions, vertices))
    return x, y


def _triangle_parts(vertices: Sequence[tuple[float, float]]) -> tuple[list, list, list]:
    """Outline segments, 20 % grid segments and tick annotations of one triangle.

    ``vertices`` are (left, right, top).  Component *i* is ticked on the side from its own
    vertex to the next one counter-clockwise (left→right→top→left), the usual Piper layout.
    """
    a, b, c = vertices
    outline = [(a, b), (b, c), (c, a)]
    grid = []
    ticks = []
    cx = (a[0] + b[0] + c[0]) / 3.0
    cy = (a[1] + b[1] + c[1]) / 3.0
    for i in range(3):
        j, k = (i + 1) % 3, (i + 2) % 3
        for step in _GRID_STEPS:
            f1 = [0.0, 0.0, 0.0]
            f1[i], f1[j] = step, 1.0 - step
            f2 = [0.0, 0.0, 0.0]
            f2[i], f2[k] = step, 1.0 - step
            p1 = _bary(vertices, f1)
            grid.append((p1, _bary(vertices, f2)))
            # tick on the side i–j, pushed outwards from the centroid
            mx = (vertices[i][0] + vertices[j][0]) / 2.0 - cx
            my = (vertices[i][1] + vertices[j][1]) / 2.0 - cy
            norm = math.hypot(mx, my)
            ticks.append(
                _tick(p1[0] + 0.045 * mx / norm, p1[1] + 0.045 * my / norm, f"{round(step * 100)}")
            )
    return outline, grid, ticks


def _tick(x: float, y: float, text: str) -> dict:
    return {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": False,
        "font": _TICK_FONT,
        "xref": "x",
        "yref": "y",
    }


def _label(x: float, y: float, text: str, **kw: object) -> dict:
    out = {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": False,
        "font": _LABEL_FONT,
        "xref": "x",
        "yref": "y",
    }
    out.update(kw)
    return out


def _diamond_parts() -> tuple[list, list, list]:
    """Outline segments, 20 % grid segments and tick annotations of the diamond."""
    d = DIAMOND_VERTICES
    outline = [
        (d["left"], d["bottom"]),
        (d["bottom"], d["right"]),
        (d["right"], d["top"]),
        (d["top"], d["left"]),
    ]
    grid = []
    ticks = []
    off = 0.045
    for step in _GRID_STEPS:
        # constant Na+K: from the lower-left side (Cl+SO4 = 0) to the upper-right (Cl+SO4 = 1)
        grid.append((_diamond_xy(step, 0.0), _diamond_xy(step, 1.0)))
        # constant Cl+SO4: from the upper-left side (Na+K = 0) to the lower-right (Na+K = 1)
        grid.append((_diamond_xy(0.0, step), _diamond_xy(1.0, step)))
        # Cl+SO4 ticked on the upper-left side, Ca+Mg (= 1 - Na+K) on the upper-right side
        x, y = _diamond_xy(0.0, step)
        ticks.append(_tick(x - off * HEIGHT, y + off * 0.5, f"{round(step * 100)}"))
        x, y = _diamond_xy(1.0 - step, 1.0)
        ticks.append(_tick(x + off * HEIGHT, y + off * 0.5, f"{round(step * 100)}"))
    return outline, grid, ticks


def _hover_texts(names: Sequence[str], pct: pd.DataFrame, lab: dict[str, str]) -> list[str]:
    out = []
    for name, (_, row) in zip(names, pct.iterrows()):
        out.append(
            f"<b>{lab['sample']}: {name}</b><br>"
            f"{lab['Ca']} {row['Ca_pct']:.1f} %<br>"
            f"{lab['Mg']} {row['Mg_pct']:.1f} %<br>"
            f"{lab['NaK']} {row['NaK_pct']:.1f} %<br>"
            f"{lab['HCO3CO3']} {row['HCO3CO3_pct']:.1f} %<br>"
            f"{lab['SO4']} {row['SO4_pct']:.1f} %<br>"
            f"{lab['Cl']} {row['Cl_pct']:.1f} %"
        )
    return out


def piper_figure(
    meq: pd.DataFrame,
    labels: Sequence[str] | None = None,
    color: Sequence[str] | None = None,
    title: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """Piper trilinear diagram of water analyses as a plotly figure.

    The cation triangle, anion triangle and diamond are drawn with :class:`plotly.graph_objects.
    Scatter` traces on one cartesian plane (geometry in :func:`piper_coordinates`), with 20 %
    grid lines, vertex labels and equal axis scaling; axes are hidden.  Each sample is plotted
    once in each of the three fields.

    Parameters
    ----------
    meq : pandas.DataFrame
        One row per sample, columns ``Ca, Mg, Na, K, Cl, SO4, HCO3, CO3`` in meq/L; NaN counts as
        0 meq/L (see :func:`piper_percentages`).  Rows with a zero cation or anion sum are left
        out of the figure.
    labels : sequence of str, optional
        Sample names shown on hover, one per row; default: the index of ``meq``.
    color : sequence of str, optional
        A category per row (e.g. coal seam, well field); samples are coloured and grouped in
        the legend by it.  Without it all samples share one colour and no legend is shown.
    title : str, optional
        Figure title; default a generic title in ``lang``.
    lang : {"en", "zh"}
        Language of the vertex labels, hover text and default title.

    Returns
    -------
    plotly.graph_objects.Figure
        Frame traces carry ``meta={"role": "outline"}`` or ``{"role": "grid"}``; sample traces
        carry ``meta={"role": "samples", "field": "cation" | "anion" | "diamond",
        "group": <category>}`` and hover text with the label and the six percentages
        (percent of the cation / anion sum in meq/L).

    Raises
    ------
    cbmwater.errors.InputError
        On bad ``meq`` (see :func:`piper_percentages`), an unknown ``lang`` or ``labels`` /
        ``color`` of the wrong length.

    References
    ----------
    Piper, A. M. (1944).  A graphic procedure in the geochemical interpretation of
    water-analyses.  Transactions, American Geophysical Union 25(6), 914–928.
    """
    if lang not in LABELS:
        raise InputError(
            Text.of("report.error.piper_language", allowed=joined(list(LABELS))), value=lang
        )
    lab = LABELS[lang]
    pct = piper_percentages(meq)
    n = len(pct)
    names = [str(i) for i in pct.index] if labels is None else [str(s) for s in labels]
    if len(names) != n:
        raise InputError(Text.of("report.error.piper_labels", given=len(names), n=n))
    if color is not None:
        groups = [
            "" if g is None or (isinstance(g, float) and math.isnan(g)) else str(g) for g in color
        ]
        if len(groups) != n:
            raise InputError(Text.of("report.error.piper_color", given=len(groups), n=n))
    else:
        groups = [lab["samples"]] * n
    coords = piper_coordinates(pct)
    hover = _hover_texts(names, pct, lab)
    usable = coords.notna().all(axis=1).to_numpy()

    import plotly.colors
    import plotly.graph_objects as go

    fig = go.Figure()

    # ---- frame: outlines and grid
    c_out, c_grid, c_ticks = _triangle_parts(
        [CATION_VERTICES["Ca"], CATION_VERTICES["NaK"], CATION_VERTICES["Mg"]]
    )
    a_out, a_grid, a_ticks = _triangle_parts(
        [ANION_VERTICES["HCO3CO3"], ANION_VERTICES["Cl"], ANION_VERTICES["SO4"]]
    )
    d_out, d_grid, d_ticks = _diamond_parts()
    fig.add_trace(_lines_trace(c_grid + a_grid + d_grid, _GRID_STYLE, "grid"))
    fig.add_trace(_lines_trace(c_out + a_out + d_out, _FRAME_STYLE, "outline"))

    # ---- labels
    below = -0.11
    annotations = (
        c_ticks
        + a_ticks
        + d_ticks
        + [
            _label(CATION_VERTICES["Ca"][0], below, lab["Ca"], xanchor="center"),
            _label(CATION_VERTICES["NaK"][0] + 0.02, below, lab["NaK"], xanchor="right"),
            _label(CATION_VERTICES["Mg"][0], HEIGHT + 0.035, lab["Mg"], yanchor="bottom"),
            _label(ANION_VERTICES["HCO3CO3"][0] - 0.02, below, lab["HCO3CO3"], xanchor="left"),
            _label(ANION_VERTICES["Cl"][0], below, lab["Cl"], xanchor="center"),
            _label(ANION_VERTICES["SO4"][0], HEIGHT + 0.035, lab["SO4"], yanchor="bottom"),
        ]
    )
    # diamond side titles, parallel to the upper sides (valid because the axes are equal)
    mid_l = _diamond_xy(0.0, 0.5)
    mid_r = _diamond_xy(0.5, 1.0)
    side_off = 0.13
    annotations += [
        _label(
            mid_l[0] - side_off * HEIGHT, mid_l[1] + side_off * 0.5, lab["ClSO4"], textangle=-60
        ),
        _label(mid_r[0] + side_off * HEIGHT, mid_r[1] + side_off * 0.5, lab["CaMg"], textangle=60),
    ]

    # ---- samples: one trace per field and category, grouped in the legend
    palette = plotly.colors.qualitative.Plotly
    categories = list(dict.fromkeys(g for g, ok in zip(groups, usable) if ok))
    groups_arr = np.asarray(groups, dtype=object)
    hover_arr = np.asarray(hover, dtype=object)
    for ci, cat in enumerate(categories):
        sel = usable & (groups_arr == cat)
        colour = palette[ci % len(palette)]
        for fi, (field, xcol, ycol) in enumerate(_FIELDS):
            fig.add_trace(
                go.Scatter(
                    x=coords.loc[sel, xcol].to_numpy(),
                    y=coords.loc[sel, ycol].to_numpy(),
                    mode="markers",
                    marker={"size": 8, "color": colour, "line": {"width": 0.6, "color": "white"}},
                    name=cat,
                    legendgroup=cat,
                    showlegend=(color is not None and fi == 0),
                    text=list(hover_arr[sel]),
                    hovertemplate="%{text}<extra></extra>",
                    meta={"role": "samples", "field": field, "group": cat},
                )
            )

    top = DIAMOND_VERTICES["top"][1]
    fig.update_layout(
        title={"text": lab["title"] if title is None else title},
        annotations=annotations,
        showlegend=color is not None,
        legend={"itemclick": "toggle", "itemdoubleclick": "toggleothers"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=720,
        margin={"l": 20, "r": 20, "t": 60, "b": 20},
        hovermode="closest",
    )
    fig.update_xaxes(visible=False, range=[-0.12, ANION_X0 + 1.12], fixedrange=False)
    fig.update_yaxes(visible=False, range=[-0.2, top + 0.08], scaleanchor="x", scaleratio=1)
    return fig
