"""The Workspace and Compare pages with a temporary workspace holding real runs: two
optimisations of the hand case run from the Optimise page (jobs, saved automatically), a review
of a bundled proposal run from the Reinjection page (saved with its ``.pqi``) and two treatment
trains saved through the API.

Oracles: the results the pages showed (the session's result dicts) and the engine called here
(``cbmwater.review`` for the ``.pqi``, ``cbmwater.treat`` for the trains); key figures are
recomputed in the test from those dicts (NPV in million CNY, reuse share and recovery in %).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("streamlit")

from app_jobs import settle, temp_workspace  # noqa: E402, F401
from streamlit.testing.v1 import AppTest  # noqa: E402

import cbmwater  # noqa: E402
from cbmwater.app import logic_workspace as LW  # noqa: E402
from cbmwater.app.i18n import t  # noqa: E402
from cbmwater.resources import example_path  # noqa: E402
from cbmwater.study import BUNDLED_ANALYSES  # noqa: E402
from cbmwater.study.workspace import InputFile, Workspace  # noqa: E402

pytestmark = pytest.mark.slow  # two optimisations, a review and two trains (~25 s)

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "cbmwater" / "app" / "pages"
HAND = ROOT / "tests" / "data" / "optimise" / "hand"
TIMEOUT = 180
TRAINS = {
    "RO": "multimedia_filter,cartridge_filter,brackish_ro",
    "filters": "multimedia_filter,cartridge_filter",
}


def app(script: str, lang: str | None = None, run: int | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGES / script), default_timeout=TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    if run is not None:
        at.query_params["run"] = str(run)
    at.run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, *columns: str):
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


@pytest.fixture(scope="module")
def stored(temp_workspace):  # noqa: F811 - the fixture of app_jobs
    """Real runs in the module's workspace; returns what the pages and the engine gave."""
    at = app("4_Optimise.py")
    at.selectbox(key="opt_case").set_value("tests/data/optimise/hand/case.toml")
    at.run(timeout=TIMEOUT)
    at.button(key="opt_run").click()
    at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)
    base = at.session_state["cbm_opt_result"]
    base_id = at.session_state["cbm_opt_result_meta"]["run_id"]
    at.session_state["opt_editor"] = {
        "edited_rows": {0: {"capacity_m3_d": 60.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run(timeout=TIMEOUT)
    at.button(key="opt_run").click()
    at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)
    small = at.session_state["cbm_opt_result"]
    small_id = at.session_state["cbm_opt_result_meta"]["run_id"]
    rj = app("3_Reinjection.py")
    rj.selectbox(key="rj_example").set_value("barite_scaling.toml")
    rj.run(timeout=TIMEOUT)
    settle(rj, TIMEOUT)
    ws = Workspace(temp_workspace)
    trains = {}
    for name, train in TRAINS.items():
        res = cbmwater.treat(BUNDLED_ANALYSES, train, flow_m3_d=500, sample="SZ-3-01")
        rid = ws.save_run(
            "treat",
            res,
            inputs=[InputFile("analyses.csv", BUNDLED_ANALYSES.read_bytes(), "lab")],
            label=name,
        )
        trains[name] = (rid, res)
    return {
        "ws": ws,
        "plans": {base_id: base, small_id: small},
        "review": rj.session_state["cbm_reinj_result"],
        "trains": trains,
    }


def test_long_runs_save_themselves_with_their_inputs(stored):
    ws = stored["ws"]
    (review_run,) = ws.runs("review")
    assert review_run.key_figures["verdict"] == stored["review"]["verdict"] == "fail"
    for rid, res in stored["plans"].items():
        rec = ws.run(rid)
        assert rec.kind == "optimise" and rec.result["objective_CNY"] == res["objective_CNY"]
        assert rec.key_figures["npv_CNY"] == pytest.approx(res["objective_CNY"])
        names = {i.name: i for i in rec.inputs}
        assert ws.input_bytes(names["case.toml"].sha256) == (HAND / "case.toml").read_bytes()
        assert rec.options["objective"] == "cost"
    edited = [ws.run(r).options["edits"] for r in stored["plans"]]
    assert [] in edited and any(e and e[0]["new"] == 60.0 for e in edited)
    # the review keeps the PHREEQC input it ran (oracle: the engine's review of the same file)
    engine = cbmwater.review(example_path("reinjection", "barite_scaling.toml"))
    rec = ws.run(review_run.id)
    pqi = next(i for i in rec.inputs if i.name == "review_mixing.pqi")
    assert ws.input_bytes(pqi.sha256).decode("utf-8") == engine.pqi


def test_workspace_page_lists_every_run_with_its_key_figures(stored):
    at = app("6_Workspace.py")
    table = frame_with(at, "id", "kind", "key_figures").set_index("id")
    assert set(table.index) == {r.id for r in stored["ws"].runs()}
    for rid, res in stored["plans"].items():
        npv = f"{res['objective_CNY'] / 1e6:,.2f}"
        reuse = f"{100 * res['kpis']['reuse_share']:.1f}"
        assert table.loc[rid, "key_figures"] == f"NPV {npv} million CNY · reuse {reuse} %"
    for rid, res in stored["trains"].values():
        assert f"recovery {100 * res.recovery:.1f} %" in table.loc[rid, "key_figures"]
        assert f"LCOW {res.lcow_CNY_m3:.2f} CNY/m³" in table.loc[rid, "key_figures"]


def test_a_run_in_the_url_is_reopened_with_the_optimise_renderers(stored):
    rid, res = next(iter(stored["plans"].items()))
    at = app("6_Workspace.py", lang="zh", run=rid)
    assert at.header[0].value == t("ws_run_heading", "zh", id=rid, kind="管网优化")
    metrics = {m.label: m.value for m in at.metric}
    year = res["case"]["price_year"]
    assert metrics[t("opt_m_npv", "zh", year=year)] == f"{res['objective_CNY'] / 1e6:,.2f}"
    assert metrics[t("opt_m_reuse", "zh")] == f"{100 * res['kpis']['reuse_share']:.1f}"
    # the Optimise page itself reopens ?run=<id> when it has no result of its own
    opt = app("4_Optimise.py", run=rid)
    assert opt.session_state["cbm_opt_result"]["objective_CNY"] == res["objective_CNY"]


def test_relabel_export_and_delete_with_confirmation(stored):
    ws = stored["ws"]
    rid = ws.save_run("treat", stored["trains"]["RO"][1], label="to delete")
    at = app("6_Workspace.py", run=rid)
    at.text_input[0].set_value("renamed")
    at.button[0].click()  # the form's submit button
    at.run(timeout=TIMEOUT)
    assert ws.run(rid).label == "renamed"
    z = zipfile.ZipFile(io.BytesIO(ws.export(rid)))
    assert json.loads(z.read("run.json"))["label"] == "renamed"
    at.button(key=f"ws_delete_{rid}").click()
    at.run(timeout=TIMEOUT)
    assert rid in {r.id for r in ws.runs()}  # not before the confirmation
    at.button(key="ws_delete_yes").click()
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert rid not in {r.id for r in ws.runs()}


def test_reports_of_stored_runs_in_both_languages(stored):
    ws = stored["ws"]
    review = ws.run(ws.runs("review")[0].id)
    pdf = LW.report_bytes(ws, review, "pdf", "zh")
    assert pdf[:5] == b"%PDF-"
    html = LW.report_bytes(ws, review, "html", "zh").decode("utf-8")
    assert "审查结论：不通过" in html
    engine = cbmwater.review(example_path("reinjection", "barite_scaling.toml"))
    assert engine.pqi.splitlines()[0] in html  # the kept .pqi is attached
    plan = ws.run(next(iter(stored["plans"])))
    assert LW.report_bytes(ws, plan, "pdf", "en")[:5] == b"%PDF-"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(LW.report_bytes(ws, plan, "xlsx", "en")))
    assert len(book.sheetnames) >= 2


def test_compare_page_shows_two_plans_side_by_side(stored):
    at = app("7_Compare.py")
    (first, a), (second, b) = sorted(stored["plans"].items())  # oldest first
    kpis = frame_with(at, "kpi", "unit", "delta").set_index("kpi")
    cols = [c for c in kpis.columns if c.startswith("#")]
    assert len(cols) == 2 and cols[0].startswith(f"#{first} ") and cols[1].startswith(f"#{second} ")
    npv = kpis.loc["NPV of costs"]
    assert npv[cols[0]] == f"{a['objective_CNY']:,.6g}"
    assert npv[cols[1]] == f"{b['objective_CNY']:,.6g}"
    assert npv["delta"] == f"{b['objective_CNY'] - a['objective_CNY']:,.6g}"
    flows = frame_with(at, "destination", "period", "delta").set_index("destination")
    reuse = {
        r: next(d for d in p["destinations"] if d["name"] == "Reuse")
        for r, p in ((first, a), (second, b))
    }
    assert float(flows.loc["Reuse", cols[0]]) == pytest.approx(reuse[first]["delivered_m3_d"])
    assert float(flows.loc["Reuse", cols[1]]) == pytest.approx(reuse[second]["delivered_m3_d"])
    assert len(at.get("plotly_chart")) == 2


def test_compare_page_shows_two_trains(stored):
    at = app("7_Compare.py", lang="zh")
    at.radio(key="cmp_kind").set_value("treat")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    kpis = frame_with(at, "kpi", "unit", "delta").set_index("kpi")
    (rid_ro, ro), (rid_f, f) = stored["trains"]["RO"], stored["trains"]["filters"]
    col = {
        rid: next(c for c in kpis.columns if c.startswith(f"#{rid} ")) for rid in (rid_ro, rid_f)
    }
    assert float(kpis.loc["回收率", col[rid_ro]]) == pytest.approx(ro.recovery)
    assert float(kpis.loc["吨水成本", col[rid_f]]) == pytest.approx(f.lcow_CNY_m3)
    quality = frame_with(at, "constituent", "delta").set_index("constituent")
    assert float(quality.loc["Na", col[rid_ro]]) == pytest.approx(
        ro.product["concentrations"]["Na"]
    )
