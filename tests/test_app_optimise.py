"""The Optimise page (app/pages/4_Optimise.py): it loads a bundled or uploaded case, applies edits
through the engine's validation, runs the decision engine and shows its plan (Sankey, flows,
costs), explains an infeasible case, draws a Pareto front and follows the language.

Oracles are independent of the page: numbers come from the hand case's derivation
(tests/test_optimise.py: two wells of 100 m3/d, one period of one year, Reuse takes 100 m3/d at
1 CNY/m3, no water is evaporated) or from ``load_case`` / ``parse_case`` / ``optimise`` /
``pareto_front`` called here, never from the app's helpers.  Pages run with Streamlit's
``AppTest``; an uploaded .zip is injected through ``st.session_state["cbm_test_upload"]``,
edits through the editor's own state ``st.session_state["opt_editor"]``; the results are read
back from ``st.session_state["cbm_opt_result"]`` / ``["cbm_opt_pareto"]`` /
``["cbm_opt_downloads"]``.
"""

from __future__ import annotations

import copy
import io
import json
import re
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("streamlit")
from app_jobs import settle, temp_workspace  # noqa: E402, F401
from plotly_spec import chart_spec, values  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from cbmwater.optimize.case import load_case, parse_case  # noqa: E402
from cbmwater.optimize.plan import optimise, pareto_front  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "cbmwater" / "app"
PAGE = APP / "pages" / "4_Optimise.py"
HAND = ROOT / "tests" / "data" / "optimise" / "hand"
HAND_OPTION = "tests/data/optimise/hand/case.toml"
TIMEOUT = 120
from cbmwater.app import i18n  # noqa: E402

EN_TITLE = "Optimise the water network"
ZH_TITLE = "采出水管网优化决策"
RESULT_KEY = "cbm_opt_result"
PARETO_KEY = "cbm_opt_pareto"
DOWNLOADS_KEY = "cbm_opt_downloads"
QUIET = {"progress": lambda msg, frac: None}
#: The hand case's produced water: two wells of 100 m3/d (wells.csv, no decline).
PRODUCED_M3_D = 200.0
DAYS = 365.0  # one period of one year


# ---------------------------------------------------------------- helpers
def page(
    lang: str | None = None, upload: tuple[str, bytes] | None = None, case: str | None = HAND_OPTION
) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    if upload is not None:
        at.session_state["cbm_test_upload"] = upload
    at.run(timeout=TIMEOUT)
    if upload is None and case is not None:
        at.selectbox(key="opt_case").set_value(case)
        at.run(timeout=TIMEOUT)
    assert not at.exception
    return at


def edit(at: AppTest, rows: dict[int, dict]) -> AppTest:
    """Seed the destination editor with cell edits (row position -> {column: value})."""
    at.session_state["opt_editor"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run(timeout=TIMEOUT)
    assert not at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)  # the run is a job in a worker process
    assert not at.exception
    return at


def hand_toml() -> dict:
    return tomllib.loads((HAND / "case.toml").read_text(encoding="utf-8"))


def hand_zip(
    prefix: str = "hand/", skip: tuple[str, ...] = (), extra: dict[str, bytes] | None = None
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(HAND.iterdir()):
            if f.name not in skip:
                z.writestr(zipfile.ZipInfo(prefix + f.name, (2024, 1, 1, 0, 0, 0)), f.read_bytes())
        for name, data in (extra or {}).items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def sankey(at: AppTest, key: str = "opt_sankey") -> tuple[list[str], pd.DataFrame]:
    spec = chart_spec(at, key)
    (trace,) = spec["data"]
    assert trace["type"] == "sankey"
    labels = list(trace["node"]["label"])
    link = trace["link"]
    df = pd.DataFrame(
        {
            "source": [labels[i] for i in values(link["source"])],
            "target": [labels[i] for i in values(link["target"])],
            "value": values(link["value"]),
        }
    )
    return labels, df


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table showing every one of ``columns`` (AppTest keeps no key on read-only
    tables)."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def error_text(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


@pytest.fixture(scope="module")
def engine_hand():
    return optimise(load_case(HAND / "case.toml"), **QUIET)


@pytest.fixture(scope="module")
def hand_run():
    return click(page(), "opt_run")


# ---------------------------------------------------------------- loading
def test_page_loads_with_every_bundled_case():
    at = page(case=None)
    assert at.title[0].value == EN_TITLE
    assert len(at.error) == 0
    options = at.selectbox(key="opt_case").options
    # decision-engine cases only (a mine-water case has [[points]], not [sources])
    expected = [
        p.relative_to(ROOT).as_posix()
        for p in sorted(ROOT.glob("cbmwater/case_studies/*/case.toml"))
        if "sources" in tomllib.loads(p.read_text(encoding="utf-8"))
    ]
    assert "cbmwater/case_studies/qinshui_south/case.toml" in expected
    assert "cbmwater/case_studies/daji_old_mine/case.toml" not in expected
    expected.append(HAND_OPTION)
    assert [o.rsplit(" — ", 1)[-1] for o in options] == expected
    # the first bundled case is shown, its destinations in the editor
    first = tomllib.loads((ROOT / expected[0]).read_text(encoding="utf-8"))
    editor = at.data_editor(key="opt_editor").value
    assert list(editor["name"]) == [d["name"] for d in first["destinations"]]
    assert len(at.get("plotly_chart")) == 0  # nothing is run before the button


# ---------------------------------------------------------------- a run of the hand case
def test_hand_case_runs_optimal(hand_run, engine_hand):
    at = hand_run
    assert len(at.error) == 0
    res = at.session_state[RESULT_KEY]
    assert res["status"] == "optimal" == engine_hand["status"]
    assert res["objective_CNY"] == pytest.approx(engine_hand["objective_CNY"], rel=1e-6)
    assert any("optimal" in s.value for s in at.success)
    shown = {m.label: m.value for m in at.metric}
    year = res["case"]["price_year"]
    npv = float(shown[i18n.t("opt_m_npv", "en", year=year)].replace(",", ""))
    assert abs(npv - engine_hand["objective_CNY"] / 1e6) <= 0.005
    # Reuse takes its full 100 m3/d of 200 m3/d produced: 50 % (hand derivation)
    assert shown[i18n.t("opt_m_reuse", "en")] == "50.0"
    assert shown[i18n.t("opt_m_verified", "en")] == i18n.t("opt_verified_yes", "en")


def test_sankey_links_carry_all_produced_water(hand_run, engine_hand):
    labels, links = sankey(hand_run)
    dests = {"Reuse", "River"}
    assert dests <= set(labels) and {"A", "B"} <= set(labels)
    into_dests = links[links["target"].isin(dests)]["value"].sum()
    # whole horizon in m3: 200 m3/d x 365 d (nothing is evaporated in the hand case)
    assert into_dests == pytest.approx(PRODUCED_M3_D * DAYS, rel=1e-6)
    delivered = sum(f["delivered_m3_d"] for f in engine_hand["flows"])
    assert into_dests == pytest.approx(delivered * DAYS, rel=1e-9)
    from_stations = links[links["source"].isin({"A", "B"})]["value"].sum()
    assert from_stations == pytest.approx(PRODUCED_M3_D * DAYS, rel=1e-6)
    # one period: m3/d
    at = hand_run
    at.selectbox(key="opt_sankey_period").set_value(1)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    _, links1 = sankey(at)
    assert links1[links1["target"].isin(dests)]["value"].sum() == pytest.approx(
        PRODUCED_M3_D, rel=1e-6
    )
    reuse = links1[links1["target"] == "Reuse"]["value"].sum()
    assert reuse == pytest.approx(100.0, rel=1e-6)  # the Reuse capacity, filled


def test_cost_bars_sum_to_objective(hand_run, engine_hand):
    spec = chart_spec(hand_run, "opt_cost")
    (bars,) = [d for d in spec["data"] if d["type"] == "bar"]
    y = values(bars["y"])
    assert sum(y) * 1e6 == pytest.approx(engine_hand["objective_CNY"], rel=1e-9)
    by_cat = dict(zip(bars["x"], y))
    # revenue: 100 m3/d to Reuse at 1 CNY/m3 for 365 d, negative
    assert by_cat[i18n.t("opt_cat_revenue", "en")] * 1e6 == pytest.approx(-36500.0, rel=1e-9)


def test_flows_over_time_by_destination(hand_run):
    spec = chart_spec(hand_run, "opt_flows")
    bars = {d["name"]: values(d["y"]) for d in spec["data"] if d["type"] == "bar"}
    assert set(bars) == {"Reuse", "River"}
    assert bars["Reuse"] == pytest.approx([100.0], rel=1e-6)
    assert bars["River"] == pytest.approx([100.0], rel=1e-6)
    (line,) = [d for d in spec["data"] if d["type"] == "scatter"]
    assert values(line["y"]) == pytest.approx([PRODUCED_M3_D])


def test_builds_and_destination_tables(hand_run, engine_hand):
    at = hand_run
    builds = table(at, "site", "train", "size_m3_d")
    assert list(zip(builds["site"], builds["train"], builds["size_m3_d"])) == [
        (b["site"], b["train"], b["size_m3_d"]) for b in engine_hand["builds"]
    ]
    dest = table(at, "name", "delivered_m3_d", "limits")
    assert list(dest["name"]) == ["Reuse", "River"]
    assert list(dest["delivered_m3_d"]) == pytest.approx([100.0, 100.0], rel=1e-6)
    reuse = dest[dest["name"] == "Reuse"].iloc[0]
    assert "F 1.5 / 1.5" in reuse["limits"]  # the Reuse F limit binds (hand derivation)
    ref = next(d for d in engine_hand["destinations"] if d["name"] == "Reuse")
    assert reuse["pH"] == pytest.approx(ref["pH"], rel=1e-9)
    assert reuse["SAR"] == pytest.approx(ref["SAR"], rel=1e-9)


def test_downloads_hold_engine_results_and_tables(hand_run, engine_hand):
    dl = hand_run.session_state[DOWNLOADS_KEY]
    res = json.loads(dl["json"].decode("utf-8"))
    assert res["status"] == "optimal"
    assert res["objective_CNY"] == pytest.approx(engine_hand["objective_CNY"], rel=1e-6)
    with zipfile.ZipFile(io.BytesIO(dl["zip"])) as z:
        names = set(z.namelist())
        assert {
            "results.json",
            "summary.txt",
            "parameters.json",
            "flows.csv",
            "costs.csv",
            "destinations.csv",
            "builds.csv",
            "sources.csv",
        } <= names
        flows = pd.read_csv(io.BytesIO(z.read("flows.csv")), encoding="utf-8-sig")
        costs = pd.read_csv(io.BytesIO(z.read("costs.csv")), encoding="utf-8-sig")
        params = json.loads(z.read("parameters.json"))
    assert flows["delivered_m3_d"].sum() == pytest.approx(PRODUCED_M3_D, rel=1e-6)
    assert costs["NPV_CNY"].sum() == pytest.approx(engine_hand["objective_CNY"], rel=1e-9)
    assert params["objective"] == "cost" and params["edits"] == []
    labels = [b.proto.label for b in hand_run.get("download_button")]
    assert labels == [i18n.t("opt_dl_json", "en"), i18n.t("opt_dl_zip", "en")]


# ---------------------------------------------------------------- edits
def test_infeasible_edit_explains_which_destination():
    # F <= 0.01 mg/L at the River: even defluoridated water (F ~ 0.1-0.45) cannot meet it
    at = edit(page(), {1: {"limit_F": 0.01}})
    assert "River" in " ".join(m.value for m in at.markdown)  # the edit is listed
    at = click(at, "opt_run")
    res = at.session_state[RESULT_KEY]
    assert res["status"] == "infeasible"
    assert any(i18n.t("opt_status_infeasible", "en") in e.value for e in at.error)
    assert any(h.value == i18n.t("opt_infeas_heading", "en") for h in at.subheader)
    bullets = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("River" in b and "F" in b and "0.01" in b for b in bullets), bullets
    items = table(at, "destination", "constituent", "blend_mg_L")
    assert ((items["destination"] == "River") & (items["constituent"] == "F")).any()
    assert len(at.get("plotly_chart")) == 0  # no plan, no charts
    # the engine agrees on the same edit
    data = hand_toml()
    data["destinations"][1]["limits"] = {"F": 0.01}
    ref = optimise(parse_case(data, HAND, str(HAND / "case.toml")), **QUIET)
    assert ref["status"] == "infeasible"
    assert res["infeasibility"]["summary"] == ref["infeasibility"]["summary"]


def test_negative_capacity_is_an_error_not_a_traceback():
    at = edit(page(), {0: {"capacity_m3_d": -5.0}})
    assert not at.exception
    assert len(at.error) == 1
    msg = at.error[0].value
    assert "capacity_m3_d" in msg and ">= 0" in msg and "Reuse" in msg
    assert len(at.get("plotly_chart")) == 0
    assert not [b for b in at.button if b.key == "opt_run"]  # the page stopped


def test_capacity_edit_changes_the_plan():
    # Reuse capacity 60 m3/d: the River takes the other 140 m3/d (oracle: parse_case + optimise)
    at = click(edit(page(), {0: {"capacity_m3_d": 60.0}}), "opt_run")
    res = at.session_state[RESULT_KEY]
    data = hand_toml()
    data["destinations"][0]["capacity_m3_d"] = 60.0
    ref = optimise(parse_case(data, HAND, str(HAND / "case.toml")), **QUIET)
    assert res["status"] == ref["status"] == "optimal"
    assert res["objective_CNY"] == pytest.approx(ref["objective_CNY"], rel=1e-6)
    reuse = next(d for d in res["destinations"] if d["name"] == "Reuse")
    assert reuse["capacity_m3_d"] == 60.0 and reuse["delivered_m3_d"] == pytest.approx(60.0)
    assert res["kpis"]["reuse_share"] == pytest.approx(60.0 / PRODUCED_M3_D)
    # another objective: the shown result is marked as out of date until the next run
    assert not [i for i in at.info if i.value == i18n.t("opt_stale", "en")]
    at.selectbox(key="opt_objective").set_value("reuse")
    at.run(timeout=TIMEOUT)
    assert [i for i in at.info if i.value == i18n.t("opt_stale", "en")]
    assert at.session_state[RESULT_KEY]["objective"] == "cost"


# ---------------------------------------------------------------- language
def test_chinese_labels():
    at = page()
    assert at.title[0].value == EN_TITLE
    at.sidebar.radio(key="_lang_radio").set_value("zh")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == ZH_TITLE == i18n.t("opt_title", "zh")
    assert at.button(key="opt_run").label == "运行优化"
    at = click(at, "opt_run")
    labels = {m.label for m in at.metric}
    assert i18n.t("opt_m_reuse", "zh") in labels and "回用比例（%）" in labels
    spec = chart_spec(at, "opt_cost")
    assert "售水收入" in spec["data"][0]["x"]  # revenue
    assert "净现值" in spec["layout"]["yaxis"]["title"]["text"]
    assert any(h.value == "优化结果" for h in at.header)


# ---------------------------------------------------------------- Pareto front
def test_pareto_front_draws_the_engine_front():
    # Reuse pays nothing and charges 3 CNY/m3: more reuse costs more, so the front has a slope
    at = edit(page(), {0: {"price_CNY_m3": 0.0, "fee_CNY_m3": 3.0}})
    at.number_input(key="opt_pareto_points").set_value(3)
    at.run(timeout=TIMEOUT)
    at = click(at, "opt_pareto_run")
    front = at.session_state[PARETO_KEY]
    data = hand_toml()
    data["destinations"][0].update(price_CNY_m3=0.0, fee_CNY_m3=3.0)
    ref = pareto_front(parse_case(data, HAND, str(HAND / "case.toml")), points=3)
    assert len(front) == len(ref) >= 2
    spec = chart_spec(at, "opt_pareto")
    x, y = values(spec["data"][0]["x"]), values(spec["data"][0]["y"])
    assert len(x) == len(ref)
    assert x == pytest.approx([100 * p["reuse_share"] for p in ref], rel=1e-6)
    assert y == pytest.approx([p["objective_CNY"] / 1e6 for p in ref], rel=1e-6)
    assert x[-1] == pytest.approx(50.0, rel=1e-4)  # at most Reuse's 100 of 200 m3/d
    assert x[0] < x[-1] and y[0] < y[-1]  # more reuse costs more here
    assert "%" in spec["layout"]["xaxis"]["title"]["text"]


# ---------------------------------------------------------------- uploads
def test_zip_upload_runs_like_the_bundled_case(engine_hand):
    at = page(upload=("hand.zip", hand_zip()))
    assert len(at.error) == 0
    assert list(at.data_editor(key="opt_editor").value["name"]) == ["Reuse", "River"]
    at = click(at, "opt_run")
    res = at.session_state[RESULT_KEY]
    assert res["status"] == "optimal"
    assert res["objective_CNY"] == pytest.approx(engine_hand["objective_CNY"], rel=1e-6)
    assert res["case"]["file"] == "hand.zip:hand/case.toml"


@pytest.mark.parametrize(
    "name, data, expect",
    [
        ("nowells.zip", hand_zip(prefix="", skip=("wells.csv",)), ["wells.csv", "lacks"]),
        ("evil.zip", hand_zip(extra={"../evil.csv": b"x"}), ["..", "leaves"]),
        ("notoml.zip", hand_zip(skip=("case.toml",)), ["no case.toml"]),
        ("junk.zip", b"not a zip at all", ["not a readable .zip"]),
    ],
)
def test_bad_zip_is_a_clear_error(name, data, expect):
    at = page(upload=(name, data))
    assert not at.exception
    assert len(at.error) == 1
    msg = error_text(at)
    assert name in msg
    for e in expect:
        assert e in msg, msg
    assert len(at.get("plotly_chart")) == 0


def test_zip_whose_case_points_outside_is_refused():
    data = hand_toml()
    text = (
        (HAND / "case.toml")
        .read_text(encoding="utf-8")
        .replace('analyses = "analyses.csv"', 'analyses = "../qinshui/analyses.csv"')
    )
    assert "../qinshui" in text and data["case"]["analyses"] == "analyses.csv"
    at = page(
        upload=(
            "outside.zip",
            hand_zip(prefix="", skip=("case.toml",), extra={"case.toml": text.encode("utf-8")}),
        )
    )
    assert len(at.error) == 1
    msg = error_text(at)
    assert "[case] analyses" in msg and "inside the zip" in msg


def test_invalid_case_in_zip_names_the_field():
    text = (HAND / "case.toml").read_text(encoding="utf-8")
    bad = re.sub(r'(?m)^kind = "discharge"$', 'kind = "sewer"', text)
    assert bad != text
    at = page(
        upload=(
            "bad.zip",
            hand_zip(prefix="", skip=("case.toml",), extra={"case.toml": bad.encode("utf-8")}),
        )
    )
    assert len(at.error) == 1
    msg = error_text(at)
    assert "'River'" in msg and "kind" in msg and "sewer" in msg and "bad.zip" in msg
    assert "/tmp" not in msg  # the temporary folder is shown as the zip's name


def test_editor_changes_do_not_touch_the_bundled_file():
    before = (HAND / "case.toml").read_bytes()
    ref = copy.deepcopy(hand_toml())
    edit(page(), {0: {"capacity_m3_d": 10.0, "limit_TDS": 900.0}, 1: {"limit_F": None}})
    assert (HAND / "case.toml").read_bytes() == before
    assert hand_toml() == ref


def test_a_run_over_its_time_limit_stops_with_a_message_and_the_page_stays_up(monkeypatch):
    # the per-run guard (cbmwater.study.guard): 0.2 s is far less than the hand case needs
    monkeypatch.setenv("CBMWATER_RUN_TIME_S", "0.2")
    at = click(page(), "opt_run")
    assert any("time limit of 0.2 s" in e.value for e in at.error), [e.value for e in at.error]
    assert RESULT_KEY not in at.session_state
    monkeypatch.delenv("CBMWATER_RUN_TIME_S")
    at = click(at, "opt_run")  # the same session runs the next request normally
    assert at.session_state[RESULT_KEY]["status"] == "optimal"
