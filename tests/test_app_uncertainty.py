"""The Uncertainty page (app/pages/8_Uncertainty.py): a Monte Carlo run of an uploaded case as a
job, saved to the workspace, shown with its figures; a sensitivity run's tornado; VSS/EVPI only
from a stored stochastic plan; reopening from ``?run=``; Chinese headings.

Oracles are independent of the page: :func:`cbmwater.uncertainty` and
:func:`cbmwater.sensitivity` called here on the same case and seed (the same seed gives the same
result whatever the process, tests/test_uncertainty.py), numpy's percentiles of that result's
scenario table, and the hand case's figures (tests/test_optimise.py: Reuse takes its 100 m3/d in
the one period of one year whatever its tariff while it pays).  The case is the hand case with
only the Reuse tariff uncertain (as in tests/test_uncertainty.py), uploaded as a .zip through
``st.session_state["cbm_test_upload"]``.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("streamlit")
from app_jobs import settle, temp_workspace  # noqa: E402, F401
from plotly_spec import chart_spec, values  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from toml_writer import dumps  # noqa: E402

import cbmwater  # noqa: E402
from cbmwater.app.i18n import t  # noqa: E402
from cbmwater.study.workspace import Workspace, default_workspace_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "cbmwater" / "app" / "pages" / "8_Uncertainty.py"
HAND = ROOT / "tests" / "data" / "optimise" / "hand"
TIMEOUT = 300
SAMPLES, SEED, BASE = 6, 5, 4
TARIFF = {
    "destinations": [
        {"name": "Reuse", "price_CNY_m3": {"dist": "uniform", "low": 0.5, "high": 1.5}}
    ]
}


def _case_toml() -> str:
    data = tomllib.loads((HAND / "case.toml").read_text(encoding="utf-8"))
    data["uncertainty"] = TARIFF
    return dumps(data)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(HAND.glob("*.csv")):
            z.writestr(zipfile.ZipInfo(f"hand/{f.name}", (2024, 1, 1, 0, 0, 0)), f.read_bytes())
        z.writestr(zipfile.ZipInfo("hand/case.toml", (2024, 1, 1, 0, 0, 0)), _case_toml())
    return buf.getvalue()


def page(lang: str = "en", run: int | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state["cbm_test_upload"] = ("hand_uncertain.zip", _zip())
    if run is not None:
        at.query_params["run"] = str(run)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    return at


def metric(at: AppTest, key: str, lang: str = "en") -> str:
    label = t(key, lang)
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def case_file(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hand_uncertain")
    for f in HAND.glob("*.csv"):
        (tmp / f.name).write_bytes(f.read_bytes())
    (tmp / "case.toml").write_text(_case_toml(), encoding="utf-8")
    return tmp / "case.toml"


@pytest.fixture(scope="module")
def engine(case_file):
    return cbmwater.uncertainty(case_file, samples=SAMPLES, seed=SEED, workers=1)


@pytest.fixture(scope="module")
def ran():
    at = page()
    at.number_input(key="unc_samples").set_value(SAMPLES)
    at.number_input(key="unc_seed").set_value(SEED)
    at.run(timeout=TIMEOUT)
    at.button(key="unc_run").click()
    at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)  # the run is a job in a worker process
    assert not at.exception
    return at


@pytest.mark.slow
def test_the_pages_p50_is_the_results(ran, engine):
    res = ran.session_state["cbm_unc_result"]
    npv = engine.to_frame()["npv_CNY"].to_numpy()
    p10, p50, p90 = np.percentile(npv, [10, 50, 90])
    assert res["npv_CNY"]["p50"] == pytest.approx(p50, rel=1e-9)
    assert res["npv_CNY"]["p50"] == pytest.approx(engine.npv_CNY["p50"], rel=1e-9)
    assert metric(ran, "unc_m_npv_p50") == f"{p50 / 1e6:,.2f}"
    assert metric(ran, "unc_m_npv_p90") == f"{p90 / 1e6:,.2f}"
    assert metric(ran, "unc_m_scenarios") == f"{SAMPLES} / {SAMPLES}"
    # the histogram holds every scenario's NPV (million CNY); the marks are the run's figures
    spec = chart_spec(ran, "unc_npv_chart")
    hist = next(tr for tr in spec["data"] if tr["type"] == "histogram")
    assert sorted(values(hist["x"])) == pytest.approx(sorted(npv / 1e6))
    marks = sorted({round(s["x0"], 9) for s in spec["layout"]["shapes"]})
    expected = sorted({round(engine.npv_CNY[k] / 1e6, 9) for k in ("p10", "p50", "p90", "cvar90")})
    assert marks == pytest.approx(expected)


@pytest.mark.slow
def test_the_fan_chart_is_the_hand_flow(ran):
    # Reuse takes its 100 m3/d in every scenario (the tariff stays positive): band and median
    spec = chart_spec(ran, "unc_fan_chart")
    median = next(tr for tr in spec["data"] if tr.get("name") == "Reuse")
    assert values(median["x"]) == [1]
    assert values(median["y"]) == pytest.approx([100.0])
    band = next(
        tr for tr in spec["data"] if tr.get("fill") == "toself" and tr["legendgroup"] == "Reuse"
    )
    assert values(band["y"]) == pytest.approx([100.0, 100.0])


@pytest.mark.slow
def test_the_saved_run_holds_the_key_figures(ran, engine):
    ws = Workspace(default_workspace_path())
    (summary,) = ws.runs("uncertainty")
    f = summary.key_figures
    assert f["samples"] == SAMPLES
    assert f["npv_p50_CNY"] == pytest.approx(engine.npv_CNY["p50"], rel=1e-9)
    assert f["npv_p90_CNY"] == pytest.approx(engine.npv_CNY["p90"], rel=1e-9)
    assert f["reuse_share_p50"] == pytest.approx(engine.reuse_share["p50"], rel=1e-9)
    assert {i.name for i in ws.run(summary.id).inputs} >= {"case.toml", "wells.csv"}
    # ?run=<id> reopens it in a new session with the same figures
    again = page(run=summary.id)
    assert again.session_state["cbm_unc_result"]["npv_CNY"] == engine.npv_CNY
    assert metric(again, "unc_m_npv_p50") == f"{engine.npv_CNY['p50'] / 1e6:,.2f}"


@pytest.mark.slow
def test_a_sensitivity_run_draws_the_tornado(ran, case_file):
    ran.selectbox(key="unc_sens_samples").set_value(BASE)
    ran.run(timeout=TIMEOUT)
    ran.button(key="unc_sens_run").click()
    ran.run(timeout=TIMEOUT)
    settle(ran, TIMEOUT)
    assert not ran.exception
    oracle = cbmwater.sensitivity(case_file, base_samples=BASE, seed=SEED, workers=1)
    spec = chart_spec(ran, "unc_tornado_npv_CNY")
    st_bar = spec["data"][0]
    (factor,) = oracle.factors
    assert list(st_bar["y"]) == [factor["name"]]
    assert values(st_bar["x"]) == pytest.approx([factor["npv_CNY"]["ST"]])
    assert Workspace(default_workspace_path()).runs("sensitivity")


def test_vss_and_evpi_only_from_a_stochastic_plan(case_file):
    at = page()
    info = " ".join(i.value for i in at.info)
    assert t("unc_vss_none", "en") in info
    assert not [m for m in at.metric if m.label == t("unc_m_vss", "en")]
    # a stored stochastic plan of this case (its result's case hash) gives them
    sha = cbmwater.load_case(case_file).sha256
    plan = {"status": "optimal", "case": {"sha256": sha}, "vss_CNY": 1.25e6, "evpi_CNY": 2.5e6}
    rid = Workspace(default_workspace_path()).save_run("optimise", plan)
    at = page()
    assert metric(at, "unc_m_vss") == "1.25"
    assert metric(at, "unc_m_evpi") == "2.50"
    assert t("unc_vss_caption", "en", id=rid) in " ".join(c.value for c in at.caption)
    Workspace(default_workspace_path()).delete(rid)


def test_chinese_headings():
    at = page("zh")
    headings = [h.value for h in at.header]
    assert at.title[0].value == t("unc_title", "zh") == "不确定性下的方案评估"
    assert headings == [
        t(k, "zh")
        for k in ("unc_case_heading", "unc_run_heading", "unc_sens_heading", "unc_vss_heading")
    ]
    assert "蒙特卡洛模拟" in headings and "敏感性分析（Sobol 指数）" in headings
    assert at.button(key="unc_run").label == "运行情景计算"
