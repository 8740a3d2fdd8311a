"""The Treatment page (app/pages/2_Treatment.py): it runs, shows the engine's numbers, names the
mineral that limits RO recovery, refuses impossible orders with a reason, follows the economics
overrides and the language.

Oracles are independent of the page: every expected number comes from ``treat_analyses`` /
``treat_file`` and the precedence check called here with the engine's public API, never from the
app's own helpers.  Pages run with Streamlit's ``AppTest``; an upload is injected through the
page's hook ``st.session_state["cbm_test_upload"] = (filename, bytes)`` and the result of the last
run is read back from ``st.session_state["cbm_treat_result"]``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import cbmwater

pytest.importorskip("streamlit")
from plotly_spec import chart_spec, values  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from cbmwater.errors import InputError  # noqa: E402
from cbmwater.study import BUNDLED_ANALYSES  # noqa: E402


def treat(*args, **kw):
    """The public API's treat as the JSON dict the CLI writes."""
    return cbmwater.treat(*args, **kw).to_dict()


from cbmwater.treatment.economics import load_economics  # noqa: E402
from cbmwater.treatment.library import load_library  # noqa: E402
from cbmwater.treatment.precedence import check_order  # noqa: E402
from cbmwater.water.io import read_analyses  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "cbmwater" / "app"
HOME = APP / "Home.py"
ENTRY = APP / "streamlit_app.py"  # what `cbmwater app` serves: st.navigation over the pages
PAGE = APP / "pages" / "2_Treatment.py"
TIMEOUT = 60
from english_words import english_words  # noqa: E402

from cbmwater.app import i18n  # noqa: E402

DEFAULT_TRAIN = [
    "coagulation",
    "sedimentation",
    "multimedia_filter",
    "ultrafiltration",
    "brackish_ro",
]
RO_TRAIN = ["coagulation", "sedimentation", "multimedia_filter", "cartridge_filter", "brackish_ro"]
EN_TITLE = "Treatment train"
ZH_TITLE = "处理工艺"
RESULT_KEY = "cbm_treat_result"
# A Ba-rich water (barite-forming: Ba 5 mg/L with SO4 30 mg/L) for an RO scaling limit.
HIGH_BA_CSV = (
    b"sample_id,pH,temp_C,Na,K,Ca,Mg,Ba,Sr,Cl,SO4,HCO3,F,SiO2\n"
    b"HB-1,8.0,20,600,2,8,2,5,0.5,300,30,1100,1.5,12\n"
)


@pytest.fixture(scope="module")
def analyses():
    return read_analyses(BUNDLED_ANALYSES)


@pytest.fixture(scope="module")
def first_sample(analyses):
    return analyses.sample_ids[0]


@pytest.fixture(scope="module")
def engine_default(analyses, first_sample):
    return treat(analyses, DEFAULT_TRAIN, flow_m3_d=1000.0, sample=first_sample)


@pytest.fixture(scope="module")
def default_page():
    return run_page()


def run_page(upload: tuple[str, bytes] | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    if upload is not None:
        at.session_state["cbm_test_upload"] = upload
    if lang is not None:
        at.session_state["lang"] = lang
    at.run(timeout=TIMEOUT)
    return at


def metrics(at: AppTest, lang: str = "en", year: int = 2024) -> dict[str, str]:
    by_label = {m.label: m.value for m in at.metric}
    keys = {
        "recovery": ("m_recovery", {}),
        "product": ("m_product", {}),
        "energy": ("m_energy", {}),
        "capex": ("m_capex", {"year": year}),
        "opex": ("m_opex", {}),
        "lcow": ("m_lcow", {"year": year}),
    }
    return {k: by_label[i18n.t(key, lang, **f)] for k, (key, f) in keys.items()}


def shown_number(text: str) -> tuple[float, float]:
    """A metric's value as a float and half of its last displayed digit (format-aware)."""
    s = text.replace(",", "").strip()
    m = re.fullmatch(r"-?\d+(?:\.(\d+))?", s)
    assert m, f"not a plain number: {text!r}"
    decimals = len(m.group(1) or "")
    return float(s), 0.5 * 10.0**-decimals


def assert_shows(text: str, value: float) -> None:
    shown, half = shown_number(text)
    assert abs(shown - value) <= half + 1e-12, (text, value)


def set_train(at: AppTest, units: list[str]) -> None:
    at.multiselect(key="train_units").set_value(units)


# ---------------------------------------------------------------- runs on the bundled data
def test_page_runs_on_bundled_data_with_default_train(default_page, engine_default, first_sample):
    at = default_page
    assert not at.exception
    assert len(at.error) == 0
    assert at.title[0].value == EN_TITLE
    assert any("constructed" in i.value for i in at.info)
    assert list(at.multiselect(key="train_units").value) == DEFAULT_TRAIN
    assert at.selectbox(key="sample").value == first_sample
    res = at.session_state[RESULT_KEY]
    assert res["sample_id"] == first_sample
    assert res["units"] == DEFAULT_TRAIN
    assert len(at.metric) == 6


def test_metrics_equal_engine(default_page, engine_default):
    """LCOW (and the other metrics) shown equal treat_analyses computed here."""
    shown = metrics(default_page, year=engine_default["price_year"])
    lcow = engine_default["lcow_CNY_m3"]
    assert lcow > 0
    assert_shows(shown["lcow"], lcow)
    assert shown["lcow"] == f"{lcow:.2f}"
    assert_shows(shown["recovery"], 100 * engine_default["recovery"])
    assert_shows(shown["product"], engine_default["product"]["flow_m3_d"])
    assert_shows(shown["energy"], engine_default["energy_kWh_m3"])
    assert_shows(shown["capex"], engine_default["capex_CNY"])
    assert_shows(shown["opex"], engine_default["opex_CNY_yr"])
    # the price year is stated in the LCOW label
    assert any(
        str(engine_default["price_year"]) in m.label and "LCOW" in m.label
        for m in default_page.metric
    )


# ---------------------------------------------------------------- RO recovery limit
def _limited_sample(analyses) -> tuple[str, dict] | None:
    for sid in analyses.sample_ids:
        r = treat(analyses, RO_TRAIN, flow_m3_d=1000.0, sample=sid)
        ro = r["stages"][-1]
        assert ro["unit"] == "brackish_ro"
        if ro["limiting_mineral"] is not None:
            return sid, r
    return None


def _limit_text(r: dict) -> tuple[str, float]:
    ro = r["stages"][-1]
    return ro["limiting_mineral"], ro["recovery"]


def test_recovery_limit_names_the_limiting_mineral(analyses):
    found = _limited_sample(analyses)
    if found is not None:
        sid, ref = found
        at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
        at.run(timeout=TIMEOUT)
        at.selectbox(key="sample").set_value(sid)
    else:  # no bundled sample is scaling-limited: force one with a Ba-rich upload
        ref = treat(_write_tmp(HIGH_BA_CSV), RO_TRAIN, flow_m3_d=1000.0, sample="HB-1")
        at = run_page(upload=("high_ba.csv", HIGH_BA_CSV))
    set_train(at, RO_TRAIN)
    at.run(timeout=TIMEOUT)
    assert not at.exception and len(at.error) == 0
    mineral, rec = _limit_text(ref)
    assert rec < ref["stages"][-1]["design_recovery"]
    texts = [w.value for w in at.warning]
    assert any(f"recovery limited to {rec:.2f} by {mineral}" in w for w in texts), texts
    # the SI chart at the limit shows the limiting mineral at its allowance
    spec = chart_spec(at, "si_limit_brackish_ro")
    bars = spec["data"][0]
    si = dict(zip(values(bars["x"]), values(bars["y"])))
    assert si[mineral] == pytest.approx(ref["stages"][-1]["si_at_limit"][mineral])


def _write_tmp(data: bytes) -> Path:
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="cbm_test_"))
    p = d / "high_ba.csv"
    p.write_bytes(data)
    return p


def test_barite_limit_from_upload():
    """A Ba-rich uploaded water: RO recovery limited by Barite, as the engine says."""
    ref = treat(_write_tmp(HIGH_BA_CSV), RO_TRAIN, flow_m3_d=1000.0, sample="HB-1")
    mineral, rec = _limit_text(ref)
    assert mineral == "Barite"  # the oracle itself: barite forms first in this water
    at = run_page(upload=("high_ba.csv", HIGH_BA_CSV))
    set_train(at, RO_TRAIN)
    at.run(timeout=TIMEOUT)
    assert not at.exception and len(at.error) == 0
    texts = [w.value for w in at.warning]
    assert any(
        f"recovery limited to {rec:.2f} by Barite" in w and "SI allowance 1.8" in w for w in texts
    ), texts
    assert_shows(metrics(at)["lcow"], ref["lcow_CNY_m3"])


def test_unlimited_ro_says_design_maximum(default_page, engine_default):
    ro = engine_default["stages"][-1]
    assert ro["limiting_mineral"] is None  # oracle: the first bundled sample is not limited
    assert len(default_page.warning) == 0
    assert any(
        f"recovery {ro['recovery']:.2f} = design maximum" in s.value for s in default_page.success
    )


# ---------------------------------------------------------------- impossible order
def test_impossible_order_shows_reason_without_traceback():
    with pytest.raises(InputError) as info:
        check_order(["brackish_ro"], load_library())
    reason = str(info.value)
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    set_train(at, ["brackish_ro"])
    at.run(timeout=TIMEOUT)
    assert not at.exception  # no traceback
    assert len(at.error) == 1
    msg = at.error[0].value
    assert reason in msg
    assert "cartridge_filter" in msg and "ultrafiltration" in msg
    assert len(at.metric) == 0  # nothing computed is shown
    assert len(at.get("plotly_chart")) == 0


def test_empty_train_is_an_error_not_a_traceback():
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    set_train(at, [])
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert [e.value for e in at.error] == [i18n.t("error_empty_train", "en")]


def test_bad_upload_shows_error():
    bad = b"sample_id,pH,Na\nA,8.1,abc\n"
    at = run_page(upload=("lab.csv", bad))
    assert not at.exception
    assert len(at.error) == 1
    assert "lab.csv" in at.error[0].value and "'Na'" in at.error[0].value
    assert len(at.metric) == 0


# ---------------------------------------------------------------- economics overrides
def test_electricity_price_changes_lcow_by_energy_times_delta(
    analyses, first_sample, engine_default
):
    base = load_economics()
    new_price = round(base.electricity_CNY_kWh + 0.30, 6)
    delta = new_price - base.electricity_CNY_kWh
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    before = at.session_state[RESULT_KEY]["lcow_CNY_m3"]
    assert before == pytest.approx(engine_default["lcow_CNY_m3"], rel=1e-12)
    at.sidebar.number_input(key="elec_price").set_value(new_price)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    after = at.session_state[RESULT_KEY]["lcow_CNY_m3"]
    expected_change = engine_default["energy_kWh_m3"] * delta
    assert expected_change > 0.05  # the test would notice a missing override
    assert after - before == pytest.approx(expected_change, rel=1e-9)
    ref = treat(
        analyses,
        DEFAULT_TRAIN,
        flow_m3_d=1000.0,
        sample=first_sample,
        economics=base.with_(electricity_CNY_kWh=new_price),
    )
    assert after == pytest.approx(ref["lcow_CNY_m3"], rel=1e-12)
    assert_shows(metrics(at)["lcow"], ref["lcow_CNY_m3"])


def test_discount_rate_and_life_reach_the_engine(analyses, first_sample):
    base = load_economics()
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    at.sidebar.number_input(key="discount_pct").set_value(5.0)
    at.sidebar.number_input(key="life_yr").set_value(30.0)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    res = at.session_state[RESULT_KEY]
    ref = treat(
        analyses,
        DEFAULT_TRAIN,
        flow_m3_d=1000.0,
        sample=first_sample,
        economics=base.with_(discount_rate=0.05, life_yr=30.0),
    )
    assert res["crf_per_yr"] == pytest.approx(ref["crf_per_yr"], rel=1e-12)
    assert res["lcow_CNY_m3"] == pytest.approx(ref["lcow_CNY_m3"], rel=1e-12)
    # CRF(5 %, 30 yr) by hand: 0.05 * 1.05^30 / (1.05^30 - 1)
    g = 1.05**30
    assert res["crf_per_yr"] == pytest.approx(0.05 * g / (g - 1), rel=1e-12)


def test_flow_and_sample_reach_the_engine(analyses):
    sid = analyses.sample_ids[3]
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    at.selectbox(key="sample").set_value(sid)
    at.number_input(key="flow").set_value(250.0)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    ref = treat(analyses, DEFAULT_TRAIN, flow_m3_d=250.0, sample=sid)
    res = at.session_state[RESULT_KEY]
    assert res["sample_id"] == sid and res["feed"]["flow_m3_d"] == 250.0
    assert res["lcow_CNY_m3"] == pytest.approx(ref["lcow_CNY_m3"], rel=1e-12)
    assert_shows(metrics(at)["product"], ref["product"]["flow_m3_d"])


# ---------------------------------------------------------------- train builder
def test_candidate_train_and_target_pH(analyses, first_sample):
    """Picking a candidate train with pH adjustment fills the units; the target pH is sent as
    ``ph_adjustment:6.5`` and the stage outlet has that pH."""
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    starter = at.selectbox(key="starter")
    wanted = (
        "coagulation",
        "sedimentation",
        "multimedia_filter",
        "ph_adjustment",
        "cartridge_filter",
        "brackish_ro",
    )
    assert " → ".join(wanted) in starter.options  # offered (options are shown formatted)
    starter.set_value(wanted)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert list(at.multiselect(key="train_units").value) == list(wanted)
    at.number_input(key="target_pH").set_value(6.5)
    at.run(timeout=TIMEOUT)
    assert not at.exception and len(at.error) == 0
    res = at.session_state[RESULT_KEY]
    tokens = [
        "coagulation",
        "sedimentation",
        "multimedia_filter",
        "ph_adjustment:6.5",
        "cartridge_filter",
        "brackish_ro",
    ]
    assert res["units"] == tokens
    ref = treat(analyses, tokens, flow_m3_d=1000.0, sample=first_sample)
    ph_stage = next(s for s in res["stages"] if s["unit"] == "ph_adjustment")
    assert ph_stage["outlet"]["pH"] == pytest.approx(6.5, abs=0.01)
    assert res["lcow_CNY_m3"] == pytest.approx(ref["lcow_CNY_m3"], rel=1e-12)
    assert any("ph_adjustment:6.5" in c.value for c in at.caption)


# ---------------------------------------------------------------- language
def test_chinese_title_and_labels():
    at = run_page()
    assert at.title[0].value == EN_TITLE
    at.sidebar.radio(key="_lang_radio").set_value("zh")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == ZH_TITLE
    labels = [m.label for m in at.metric]
    assert i18n.t("m_lcow", "zh", year=2024) in labels
    assert all(re.search(r"[\u4e00-\u9fff]", lab) for lab in labels)
    # unit labels in the train builder follow the language: in Chinese the unit's name from
    # the engine catalogue (unit.<id>), without the English id
    ms = at.multiselect(key="train_units")
    assert "苦咸水反渗透" in ms.options and "保安过滤器（精密过滤器）" in ms.options
    assert not any("brackish_ro" in o for o in ms.options)
    # the units' CO2 / redox / solids policies are the engine's treatment.policy.* in Chinese
    col = i18n.t("col_policy_co2", "zh")
    pol = next(d.value for d in at.dataframe if col in d.value.columns)
    cells = [str(v) for v in pol.iloc[:, 1:].to_numpy().ravel()]
    assert cells and not [english_words(c) for c in cells if english_words(c)]
    assert (
        "无氧化或还原反应；铵保持为NH4（与硝酸盐解耦），硝酸盐和硫酸盐不被还原；采出水的总铁按Fe(II)计"
        in cells
    )


def test_home_links_to_treatment_page():
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    links = [el.proto for el in at.get("page_link")]
    assert any(
        p.label == i18n.t("page_treatment", "en") and "treatment" in p.page.lower() for p in links
    ), links
    at.switch_page("pages/2_Treatment.py")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == EN_TITLE


# ---------------------------------------------------------------- charts and tables
def test_stage_chart_has_one_category_per_stage(default_page, engine_default):
    spec = chart_spec(default_page, "stage_chart")
    stages = engine_default["stages"]
    cats = spec["layout"]["xaxis"]["categoryarray"]
    assert len(cats) == len(stages) == len(DEFAULT_TRAIN)
    assert len(set(cats)) == len(cats)
    for i, (c, s) in enumerate(zip(cats, stages), start=1):
        assert c.startswith(f"{i} ") and s["unit"] in c
    names = [d["name"] for d in spec["data"]]
    assert names == ["Na", "Cl", "HCO3", "F", "Ca", "Ba", "SiO2", "TDS (sum)"]
    for d in spec["data"]:
        assert values(d["x"]) == cats  # one bar per stage
    na = next(d for d in spec["data"] if d["name"] == "Na")
    assert values(na["y"]) == pytest.approx([s["outlet"]["concentrations"]["Na"] for s in stages])
    # TDS (sum) at the RO outlet by hand: sum of the dissolved constituents
    ro = stages[-1]["outlet"]["concentrations"]
    not_dissolved = {"TSS", "COD", "TDS", "alkalinity", "Fe2", "Fe3"}
    tds = sum(v for k, v in ro.items() if k not in not_dissolved)
    tds_trace = next(d for d in spec["data"] if d["name"] == "TDS (sum)")
    assert values(tds_trace["y"])[-1] == pytest.approx(tds, rel=1e-9)
    assert spec["layout"]["yaxis"]["type"] == "log"  # default: log axis


def test_log_axis_can_be_switched_off():
    at = run_page()
    at.checkbox(key="log_y").uncheck()
    at.run(timeout=TIMEOUT)
    assert chart_spec(at, "stage_chart")["layout"]["yaxis"]["type"] == "linear"


def test_cost_breakdown_matches_engine(default_page, engine_default):
    spec = chart_spec(default_page, "cost_chart")
    by_unit = engine_default["breakdown"]["by_unit"]
    total = sum(sum(values(d["y"])) for d in spec["data"])
    assert total == pytest.approx(engine_default["annualized_CNY_yr"], rel=1e-9)
    assert spec["layout"]["barmode"] == "stack"
    assert values(spec["data"][0]["x"]) == list(by_unit)
    brine = next(d for d in spec["data"] if d["name"] == "Brine disposal")
    assert values(brine["y"])[-1] == pytest.approx(by_unit["brackish_ro"]["brine_disposal"])
    table = next(df.value for df in default_page.dataframe if "Total" in df.value.index)
    assert table.loc["Total", "Total"] == pytest.approx(
        engine_default["annualized_CNY_yr"], rel=1e-9
    )


def test_residual_table_matches_engine(default_page, engine_default):
    res = next(df.value for df in default_page.dataframe if "dry_kg_d" in df.value.columns)
    assert len(res) == len(engine_default["residuals"])
    assert list(res["name"]) == [r["name"] for r in engine_default["residuals"]]
    assert res["dry_kg_d"].to_numpy() == pytest.approx(
        [r["dry_kg_d"] for r in engine_default["residuals"]]
    )
    assert res["flow_m3_d"].to_numpy() == pytest.approx(
        [r["flow_m3_d"] for r in engine_default["residuals"]]
    )


def test_stage_table_and_warnings(default_page, engine_default):
    st_tab = default_page.dataframe[0].value  # a stream table: one column per stream
    assert list(st_tab.columns)[0] == "Feed"
    assert len(st_tab.columns) == len(engine_default["stages"]) + 1  # feed + every stage
    flow = st_tab.loc[i18n.t("col_flow_m3_d", "en")]
    assert flow.iloc[0] == pytest.approx(engine_default["feed"]["flow_m3_d"])
    assert flow.iloc[-1] == pytest.approx(engine_default["product"]["flow_m3_d"])
    f = st_tab.loc["F (mg/L)"].to_numpy(float)
    assert f[1:] == pytest.approx(
        [s["outlet"]["concentrations"]["F"] for s in engine_default["stages"]]
    )
    text = " ".join(m.value for m in default_page.markdown)
    for w in engine_default["warnings"]:
        assert w in text


# ---------------------------------------------------------------- downloads
def test_downloads(default_page, engine_default):
    labels = [b.proto.label for b in default_page.get("download_button")]
    assert labels == [i18n.t("dl_treat_json", "en"), i18n.t("dl_stage_csv", "en")]
    from cbmwater.app import logic_treatment as LT

    res = default_page.session_state[RESULT_KEY]
    js = json.loads(LT.result_json(res))
    assert js["lcow_CNY_m3"] == pytest.approx(engine_default["lcow_CNY_m3"], rel=1e-12)
    assert [s["unit"] for s in js["stages"]] == DEFAULT_TRAIN
    df = pd.read_csv(io.BytesIO(LT.stage_csv(res)), encoding="utf-8-sig")
    assert len(df) == len(DEFAULT_TRAIN) + 1
    assert "flow (m3/d)" in df.columns and "Na (mg/L)" in df.columns
    assert df["Na (mg/L)"].iloc[-1] == pytest.approx(
        engine_default["product"]["concentrations"]["Na"]
    )


def test_policy_table_states_each_stage_co2_redox_and_solids(default_page, engine_default):
    """The expander lists one row per stage with the engine's stated policies."""
    at = default_page
    df = next(d.value for d in at.dataframe if "CO2 exchange" in d.value.columns)
    assert len(df) == len(engine_default["stages"])
    for (_, row), s in zip(df.iterrows(), engine_default["stages"]):
        assert list(row.iloc[2:]) == [
            s["policies"]["co2"],
            s["policies"]["redox"],
            s["policies"]["solids"],
        ]
