"""The Mine-water page in 中文 saves its dose and its sizing to the workspace, and the Workspace
page lists them with their key figures; the page's sizing steps, cost items and quantities are
Chinese.

Oracles: the engine's public API called here with the inputs the page showed
(``cbmwater.neutralise`` on the bundled Daji analyses, ``cbmwater.size_option``) and
:func:`cbmwater.workspace.figures.key_figures` on those results; the Workspace line is written
here from those numbers.  Chinese text is checked with tests/english_words.py.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from pathlib import Path  # noqa: E402

from app_jobs import temp_workspace  # noqa: E402, F401
from english_words import english_words  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import cbmwater  # noqa: E402
from cbmwater.resources import example_path  # noqa: E402
from cbmwater.study.workspace import Workspace  # noqa: E402
from cbmwater.workspace.figures import key_figures  # noqa: E402

pytestmark = pytest.mark.slow  # the page titrates five reagents (~20 s)

PAGES = Path(__file__).resolve().parents[1] / "cbmwater" / "app" / "pages"
TIMEOUT = 180
ANALYSES = example_path("daji_old_mine", "analyses.csv")
ALLOWED = ["AMDTreat", "Hedin", "Skousen", "CEPCI", "gpm"]


def page(script: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / script), default_timeout=TIMEOUT)
    at.session_state["lang"] = "zh"
    at.run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def saved(temp_workspace):  # noqa: F811 - the fixture of app_jobs
    at = page("5_Mine_water.py")
    assert Workspace(temp_workspace).runs() == []
    at.button(key="mw_neut_save").click()
    at.run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    at.button(key="mw_size_save").click()
    at.run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    return at, Workspace(temp_workspace)


def test_the_dose_is_saved_with_the_engine_key_figures(saved):
    at, ws = saved
    shown = at.session_state["cbm_mw_neutralise"]
    reagent = at.session_state["mw_reagent"]
    (run,) = ws.runs("minewater_neutralise")
    engine = cbmwater.neutralise(
        ANALYSES,
        reagent,
        shown["target_pH"],
        sample=shown["sample"],
        co2=shown["co2"],
        fe_oxidised_fraction=shown["fe_oxidised_fraction"],
        fe_policy=shown["fe_policy"],
        flow_m3_d=shown["flow_m3_d"],
    ).to_dict()
    expected = key_figures("minewater_neutralise", engine)
    assert run.key_figures["reagent"] == reagent == "Ca(OH)2"
    for k in ("target_pH", "dose_mg_L", "reagent_kg_d", "sludge_dry_mg_L"):
        assert run.key_figures[k] == pytest.approx(expected[k], rel=1e-6), k
    rec = ws.run(run.id)
    assert rec.options["sample"] == shown["sample"] and rec.options["reagent"] == reagent
    assert [i.name for i in rec.inputs] == ["analyses.csv"]
    assert ws.input_bytes(rec.inputs[0].sha256) == ANALYSES.read_bytes()
    assert rec.result["notes_i18n"] == engine["notes_i18n"]


def test_the_sizing_is_saved_with_the_engine_key_figures(saved):
    at, ws = saved
    (run,) = ws.runs("minewater_size")
    s = at.session_state
    engine = cbmwater.size_option(
        s["mw_size_option"],
        s["mw_size_flow"],
        net_acidity=s["mw_size_net"],
        fe_mg_L=s["mw_size_fe"],
        mn_mg_L=s["mw_size_mn"],
    ).to_dict()
    expected = key_figures("minewater_size", engine)
    assert run.key_figures["option"] == "wetland"
    for k in ("area_m2", "land_m2", "volume_m3", "capex_CNY", "opex_CNY_yr"):
        assert run.key_figures[k] == pytest.approx(expected[k], rel=1e-9), k
    assert ws.run(run.id).result["sources"] == engine["sources"]


def test_the_workspace_page_lists_both_with_their_key_figures(saved):
    _, ws = saved
    at = page("6_Workspace.py")
    table = next(df.value for df in at.dataframe if {"id", "key_figures"} <= set(df.value.columns))
    table = table.set_index("id")
    (n,) = ws.runs("minewater_neutralise")
    f = n.key_figures
    assert table.loc[n.id, "key_figures"] == (
        f"Ca(OH)2（熟石灰） 调至 pH {f['target_pH']:g}：投加量 {f['dose_mg_L']:,.1f} mg/L · "
        f"{f['reagent_kg_d']:,.1f} kg/d · 干污泥 {f['sludge_dry_mg_L']:,.1f} mg/L"
    )
    assert table.loc[n.id, "kind"] == "老窑水中和"
    (z,) = ws.runs("minewater_size")
    g = z.key_figures
    assert table.loc[z.id, "key_figures"] == (
        f"好氧人工湿地：面积 {g['area_m2']:,.0f} m² · 占地 {g['land_m2']:,.0f} m² · "
        f"投资 {g['capex_CNY'] / 1e6:,.2f} 百万元 · 年费用 {g['opex_CNY_yr']:,.0f} 元/a"
    )


def test_sizing_steps_items_and_quantities_are_chinese(saved):
    at, _ = saved
    lists = [m.value for m in at.markdown if m.value.startswith("- ")]
    steps = [v for v in lists if "去除速率" in v]  # the wetland's sizing steps
    model = [v for v in lists if "批式平衡" in v]  # the neutralisation model
    assert steps and model, "the sizing steps and the model are on the page"
    for text in steps + model:
        assert english_words(text, ALLOWED) == [], text
    frames = [d.value for d in at.dataframe]
    items = [df for df in frames if list(df.columns) == ["item", "CNY"]]
    assert len(items) == 2  # capital and annual cost
    quantities = next(df for df in frames if "quantity" in df.columns)
    texts = [str(x) for df in items for x in df["item"]] + [str(x) for x in quantities["quantity"]]
    assert "场地：清表" in texts and "运行维护费（单元建设投资的 5 %，AMDTreat）" in texts
    for text in texts:
        assert english_words(text, ALLOWED) == [], text
    sludge = next(df for df in frames if "specific_gravity" in df.columns)
    assert all(english_words(str(x)) == [] for x in sludge["label"])
