"""Piper diagram: percentages, geometry and figure, checked against hand calculations.

Geometry stated in cbmwater.report.piper: triangle side 1, h = sqrt(3)/2 = 0.8660254037844386,
GAP = 0.2, X0 = 1 + GAP = 1.2.
  cation triangle  Ca (0, 0)      Na+K (1, 0)      Mg  (0.5, h)
  anion triangle   HCO3 (1.2, 0)  Cl   (2.2, 0)    SO4 (1.7, h)
  diamond          left (0.6, 1.2h)  bottom (1.1, 0.2h)  right (1.6, 1.2h)  top (1.1, 2.2h)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from cbmwater.errors import InputError
from cbmwater.report import piper
from cbmwater.report.piper import piper_coordinates, piper_figure, piper_percentages

H = 0.8660254037844386  # sqrt(3)/2 written out
COLS = ["Ca", "Mg", "Na", "K", "Cl", "SO4", "HCO3", "CO3"]


def water(**meq: float) -> dict[str, float]:
    """A row of meq/L with every ion not given at 0."""
    row = {c: 0.0 for c in COLS}
    row.update(meq)
    return row


def coords_of(**meq: float) -> pd.Series:
    return piper_coordinates(piper_percentages(pd.DataFrame([water(**meq)]))).iloc[0]


def test_constants_are_the_stated_geometry():
    assert piper.GAP == 0.2
    assert pytest.approx(H, abs=1e-15) == piper.HEIGHT
    assert pytest.approx(1.2) == piper.ANION_X0


# ----------------------------------------------------------------------- (1) percentages


def test_percentages_of_a_simple_water():
    # cations 2 + 1 + 6 + 1 = 10 meq/L -> Ca 2/10 = 20 %, Mg 1/10 = 10 %, Na+K 7/10 = 70 %
    # anions  3 + 1 + 5 + 1 = 10 meq/L -> Cl 30 %, SO4 10 %, HCO3+CO3 6/10 = 60 %
    df = pd.DataFrame([water(Ca=2, Mg=1, Na=6, K=1, Cl=3, SO4=1, HCO3=5, CO3=1)], index=["W1"])
    pct = piper_percentages(df)
    assert list(pct.columns) == ["Ca_pct", "Mg_pct", "NaK_pct", "Cl_pct", "SO4_pct", "HCO3CO3_pct"]
    assert list(pct.index) == ["W1"]
    row = pct.loc["W1"]
    assert row["Ca_pct"] == pytest.approx(20.0)
    assert row["Mg_pct"] == pytest.approx(10.0)
    assert row["NaK_pct"] == pytest.approx(70.0)
    assert row["Cl_pct"] == pytest.approx(30.0)
    assert row["SO4_pct"] == pytest.approx(10.0)
    assert row["HCO3CO3_pct"] == pytest.approx(60.0)


def test_percentages_unequal_sums_and_nan_as_zero():
    # cations: Ca 4, Mg NaN (=0), Na 0.5, K 0.5 -> sum 5 -> Ca 80 %, Mg 0 %, Na+K 20 %
    # anions:  Cl NaN, SO4 1.5, HCO3 NaN, CO3 0.5 -> sum 2 -> SO4 75 %, HCO3+CO3 25 %, Cl 0 %
    df = pd.DataFrame(
        [
            {
                "Ca": 4.0,
                "Mg": np.nan,
                "Na": 0.5,
                "K": 0.5,
                "Cl": np.nan,
                "SO4": 1.5,
                "HCO3": np.nan,
                "CO3": 0.5,
            }
        ]
    )
    row = piper_percentages(df).iloc[0]
    assert row.tolist() == pytest.approx([80.0, 0.0, 20.0, 0.0, 75.0, 25.0])


def test_zero_cation_or_anion_sum_gives_nan_row():
    df = pd.DataFrame(
        [
            water(Ca=1, HCO3=1),  # fine
            water(Cl=2, HCO3=1),  # no cations
            water(Ca=1, Na=1),  # no anions
            {c: np.nan for c in COLS},  # nothing measured
        ]
    )
    pct = piper_percentages(df)
    assert pct.iloc[0].notna().all()
    assert pct.iloc[1:].isna().all().all()


def test_bad_input_raises_input_error():
    with pytest.raises(InputError):
        piper_percentages(pd.DataFrame([water(Ca=-1, HCO3=1)]))
    with pytest.raises(InputError, match="SO4"):
        piper_percentages(pd.DataFrame([water(Ca=1, HCO3=1)]).drop(columns="SO4"))
    with pytest.raises(InputError):
        piper_percentages(pd.DataFrame([{**water(HCO3=1), "Ca": "lots"}]))


# ----------------------------------------------------------------------- (2) triangle vertices


@pytest.mark.parametrize(
    "meq, xy",
    [
        (dict(Ca=3, HCO3=1), (0.0, 0.0)),  # Ca vertex, left
        (dict(Na=3, HCO3=1), (1.0, 0.0)),  # Na+K vertex, right
        (dict(K=3, HCO3=1), (1.0, 0.0)),  # K counts as Na+K
        (dict(Na=1, K=2, HCO3=1), (1.0, 0.0)),
        (dict(Mg=3, HCO3=1), (0.5, H)),  # Mg vertex, top: (1/2, sqrt(3)/2)
    ],
)
def test_cation_vertices(meq, xy):
    c = coords_of(**meq)
    assert (c["cat_x"], c["cat_y"]) == pytest.approx(xy, abs=1e-12)


@pytest.mark.parametrize(
    "meq, xy",
    [
        (dict(Ca=1, HCO3=2), (1.2, 0.0)),  # HCO3+CO3 vertex at X0 = 1.2
        (dict(Ca=1, CO3=2), (1.2, 0.0)),
        (dict(Ca=1, HCO3=1, CO3=1), (1.2, 0.0)),
        (dict(Ca=1, Cl=2), (2.2, 0.0)),  # Cl vertex at X0 + 1
        (dict(Ca=1, SO4=2), (1.7, H)),  # SO4 vertex at (X0 + 1/2, h)
    ],
)
def test_anion_vertices(meq, xy):
    c = coords_of(**meq)
    assert (c["an_x"], c["an_y"]) == pytest.approx(xy, abs=1e-12)


def test_interior_triangle_points():
    # Ca 20 %, Mg 10 %, Na+K 70 %:  cat_x = 0.7 + 0.1/2 = 0.75,  cat_y = 0.1 h = 0.0866025
    # HCO3+CO3 60 %, SO4 10 %, Cl 30 %: an_x = 1.2 + 0.3 + 0.1/2 = 1.55, an_y = 0.1 h
    c = coords_of(Ca=2, Mg=1, Na=6, K=1, Cl=3, SO4=1, HCO3=5, CO3=1)
    assert (c["cat_x"], c["cat_y"]) == pytest.approx((0.75, 0.08660254037844386), abs=1e-12)
    assert (c["an_x"], c["an_y"]) == pytest.approx((1.55, 0.08660254037844386), abs=1e-12)


# ----------------------------------------------------------------------- (3) diamond


@pytest.mark.parametrize(
    "meq, xy",
    [
        (dict(Ca=1, HCO3=1), (0.6, 1.2 * H)),  # Ca-HCO3 -> left corner (X0/2, X0 h)
        (dict(Mg=1, CO3=1), (0.6, 1.2 * H)),  # Mg-CO3 is the same corner
        (dict(Na=1, Cl=1), (1.6, 1.2 * H)),  # Na-Cl -> right corner ((X0+2)/2, X0 h)
        (dict(Na=1, HCO3=1), (1.1, 0.2 * H)),  # Na-HCO3 -> bottom corner (1 + GAP/2, GAP h)
        (dict(Ca=1, SO4=1), (1.1, 2.2 * H)),  # Ca-SO4 -> top corner (1 + GAP/2, (X0+1) h)
    ],
)
def test_diamond_corners(meq, xy):
    c = coords_of(**meq)
    assert (c["dia_x"], c["dia_y"]) == pytest.approx(xy, abs=1e-12)


def test_diamond_corners_match_module_constants():
    d = piper.DIAMOND_VERTICES
    assert d["left"] == pytest.approx((0.6, 1.0392304845413263))
    assert d["bottom"] == pytest.approx((1.1, 0.17320508075688773))
    assert d["right"] == pytest.approx((1.6, 1.0392304845413263))
    assert d["top"] == pytest.approx((1.1, 1.905255888325765))


def test_diamond_fifty_fifty_is_the_centre():
    # Na+K 50 %, Cl+SO4 50 %: x = (0.5 + 1.2 + 0.5)/2 = 1.1, y = h (1.2 + 0.5 - 0.5) = 1.2 h
    # = 1.0392305, the midpoint of the left (0.6, 1.2h) and right (1.6, 1.2h) corners.
    c = coords_of(Ca=1, Na=1, HCO3=1, Cl=1)
    assert (c["dia_x"], c["dia_y"]) == pytest.approx((1.1, 1.0392304845413263), abs=1e-12)


def test_diamond_asymmetric_point_and_projection_lines():
    # Na+K 70 %, Cl+SO4 40 %: x = (0.7 + 1.2 + 0.4)/2 = 1.15, y = h (1.2 + 0.4 - 0.7) = 0.9 h
    c = coords_of(Ca=2, Mg=1, Na=6, K=1, Cl=3, SO4=1, HCO3=5, CO3=1)
    assert (c["dia_x"], c["dia_y"]) == pytest.approx((1.15, 0.9 * H), abs=1e-12)
    # The construction itself: diamond - cation point is parallel to the Ca-Mg side (1/2, h);
    # diamond - anion point is parallel to the Cl-SO4 side (-1/2, h).  2D cross products = 0.
    dx, dy = c["dia_x"] - c["cat_x"], c["dia_y"] - c["cat_y"]
    assert dx * H - dy * 0.5 == pytest.approx(0.0, abs=1e-12) and dy > 0
    dx, dy = c["dia_x"] - c["an_x"], c["dia_y"] - c["an_y"]
    assert dx * H - dy * (-0.5) == pytest.approx(0.0, abs=1e-12) and dy > 0


def test_coordinates_propagate_nan_and_keep_index():
    df = pd.DataFrame([water(Ca=1, HCO3=1), water(Cl=1)], index=["a", "b"])
    xy = piper_coordinates(piper_percentages(df))
    assert list(xy.columns) == ["cat_x", "cat_y", "an_x", "an_y", "dia_x", "dia_y"]
    assert list(xy.index) == ["a", "b"]
    assert xy.loc["a"].notna().all() and xy.loc["b"].isna().all()


# ----------------------------------------------------------------------- (4) figure


def sample_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "samples"]


def n_points(traces) -> int:
    return sum(len(t.x) for t in traces)


def three_waters() -> pd.DataFrame:
    return pd.DataFrame(
        [
            water(Ca=2, Mg=1, Na=6, K=1, Cl=3, SO4=1, HCO3=5, CO3=1),
            water(Ca=1, HCO3=1),
            water(Na=10, Cl=2, HCO3=8),
        ]
    )


def test_figure_three_points_per_sample():
    fig = piper_figure(three_waters(), labels=["S1", "S2", "S3"])
    traces = sample_traces(fig)
    assert n_points(traces) == 3 * 3
    assert {t.meta["field"] for t in traces} == {"cation", "anion", "diamond"}
    assert all(isinstance(t, go.Scatter) for t in fig.data)
    # the diamond trace holds the hand-computed diamond point of S2 (Ca-HCO3 -> left corner)
    dia = next(t for t in traces if t.meta["field"] == "diamond")
    assert (dia.x[1], dia.y[1]) == pytest.approx((0.6, 1.2 * H))
    # hover text names the sample and gives percentages
    assert "S1" in dia.text[0] and "70.0 %" in dia.text[0] and "60.0 %" in dia.text[0]


def test_figure_skips_nan_rows_without_crash():
    df = pd.concat(
        [three_waters(), pd.DataFrame([{c: np.nan for c in COLS}, water(Ca=1)])], ignore_index=True
    )
    fig = piper_figure(
        df, labels=["S1", "S2", "S3", "empty", "no-anions"], color=["A", "B", "A", "B", "C"]
    )
    traces = sample_traces(fig)
    assert n_points(traces) == 3 * 3
    texts = [s for t in traces for s in t.text]
    assert not any("empty" in s or "no-anions" in s for s in texts)
    for t in traces:
        assert np.isfinite(np.asarray(t.x, dtype=float)).all()
    # category C has no plottable sample, so it gets no trace
    assert {t.meta["group"] for t in traces} == {"A", "B"}


def test_figure_legend_grouped_by_color():
    fig = piper_figure(three_waters(), color=["seam 3", "seam 15", "seam 3"])
    traces = sample_traces(fig)
    shown = [t.name for t in traces if t.showlegend]
    assert shown == ["seam 3", "seam 15"]  # one legend entry per category
    by_group = {
        g: n_points([t for t in traces if t.meta["group"] == g]) for g in ("seam 3", "seam 15")
    }
    assert by_group == {"seam 3": 6, "seam 15": 3}
    for t in traces:
        assert t.legendgroup == t.meta["group"]
    assert fig.layout.showlegend is True
    assert piper_figure(three_waters()).layout.showlegend is False


def test_figure_layout_frame_and_labels():
    fig = piper_figure(three_waters(), title="Jincheng wells")
    assert fig.layout.title.text == "Jincheng wells"
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    texts = {a.text for a in fig.layout.annotations}
    assert {"Ca", "Mg", "Na+K", "HCO3+CO3", "Cl", "SO4"} <= texts
    # outline passes through every vertex of both triangles and the diamond
    outline = next(t for t in fig.data if t.meta == {"role": "outline"})
    pts = {(round(x, 9), round(y, 9)) for x, y in zip(outline.x, outline.y) if x is not None}
    for x, y in [
        (0, 0),
        (1, 0),
        (0.5, H),
        (1.2, 0),
        (2.2, 0),
        (1.7, H),
        (0.6, 1.2 * H),
        (1.1, 0.2 * H),
        (1.6, 1.2 * H),
        (1.1, 2.2 * H),
    ]:
        assert (round(x, 9), round(y, 9)) in pts
    # 20 % grid: 4 lines per component, 3 components x 2 triangles + 2 directions in the diamond
    grid = next(t for t in fig.data if t.meta == {"role": "grid"})
    assert sum(1 for x in grid.x if x is None) == 4 * 3 * 2 + 4 * 2
    # a grid line of the cation triangle: Mg = 20 % is horizontal at y = 0.2 h from (0.1, 0.2h)
    segs = list(zip(grid.x[0::3], grid.y[0::3], grid.x[1::3], grid.y[1::3]))
    assert any(
        math.isclose(y0, 0.2 * H)
        and math.isclose(y1, 0.2 * H)
        and {round(x0, 9), round(x1, 9)} == {0.1, 0.9}
        for x0, y0, x1, y1 in segs
    )


def test_figure_chinese_labels_and_bad_language():
    fig = piper_figure(three_waters(), lang="zh")
    texts = {a.text for a in fig.layout.annotations}
    assert "钙 Ca" in texts and "钠+钾 Na+K" in texts and "硫酸根 SO4" in texts
    assert "样品" in sample_traces(fig)[0].text[0]
    with pytest.raises(InputError):
        piper_figure(three_waters(), lang="fr")


def test_figure_rejects_wrong_length_labels_or_colors():
    with pytest.raises(InputError):
        piper_figure(three_waters(), labels=["only one"])
    with pytest.raises(InputError):
        piper_figure(three_waters(), color=["A", "B"])
