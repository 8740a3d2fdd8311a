"""The Mine-water page (app/pages/5_Mine_water.py): acidity of the bundled or uploaded waters,
PHREEQC titration curves of every reagent, the selection rules' verdicts, AMDTreat sizing, and
the one-mine-one-policy plan on a table, a site sketch and a river chart; bilingual; bad input
is a message, never a traceback.

Oracles are independent of the page: the AMDTreat tutorial's acidities (D1 155.7, D2 81.0 mg/L
CaCO3) and worked wetland (50 gpm, Fe 15, Mn 10 mg/L: 409 + 5450 m2), and ``neutralise`` /
``plan`` / ``load_mine_case`` / ``read_analyses`` called here with the engine's public API,
never the app's helpers.  Pages run with Streamlit's ``AppTest``; a lab file is injected
through ``st.session_state["cbm_test_upload"]`` and a case .zip through
``st.session_state["cbm_test_mine_case"]``; results are read back from
``st.session_state["cbm_mw_neutralise"]`` / ``["cbm_mw_plan"]`` / ``["cbm_mw_downloads"]``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("streamlit")
from app_jobs import settle, temp_workspace  # noqa: E402, F401
from plotly_spec import chart_spec, values  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from cbmwater.minewater.case import load_mine_case  # noqa: E402
from cbmwater.minewater.neutralise import REAGENTS, neutralise  # noqa: E402
from cbmwater.minewater.plan import plan  # noqa: E402
from cbmwater.resources import example_path  # noqa: E402
from cbmwater.water.io import read_analyses  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "cbmwater" / "app"
PAGE = APP / "pages" / "5_Mine_water.py"
DAJI = example_path("daji_old_mine")
TIMEOUT = 120
from cbmwater.app import i18n  # noqa: E402

pytestmark = pytest.mark.slow  # every test runs the mine-water page or plan (~15 s in all)

PLAN_KEY = "cbm_mw_plan"
DOWNLOADS_KEY = "cbm_mw_downloads"
#: AMDTreat tutorial discharges D1 and D2 (no alkalinity measured).
AMDTREAT_CSV = b"sample_id,pH,Fe2,Fe3,Al,Mn\nD1,3.1,46.8,0,1.14,14.2\nD2,4.9,1.0,0.35,2.70,34.4\n"
BAD_CSV = b"sample_id,pH,Na,Fe2\nA,3.1,abc,20\n"


# ---------------------------------------------------------------- helpers
def page(
    lang: str | None = None,
    upload: tuple[str, bytes] | None = None,
    case_upload: tuple[str, bytes] | None = None,
) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    if upload is not None:
        at.session_state["cbm_test_upload"] = upload
    if case_upload is not None:
        at.session_state["cbm_test_mine_case"] = case_upload
    at.run(timeout=TIMEOUT)
    assert not at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)  # the plan is a job in a worker process
    assert not at.exception
    return at


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table showing every one of ``columns``."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def traces(spec: dict, role: str) -> list[dict]:
    return [d for d in spec["data"] if (d.get("meta") or {}).get("role") == role]


def daji_values(sample: str) -> pd.Series:
    return read_analyses(DAJI / "analyses.csv").resolved("half").loc[sample]


def daji_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in ("case.toml", "analyses.csv"):
            z.writestr(
                zipfile.ZipInfo(f"daji/{name}", (2024, 1, 1, 0, 0, 0)), (DAJI / name).read_bytes()
            )
    return buf.getvalue()


@pytest.fixture(scope="module")
def default_page():
    return page()


@pytest.fixture(scope="module")
def daji_case():
    return load_mine_case(DAJI / "case.toml")


@pytest.fixture(scope="module")
def engine_plan(daji_case):
    return plan(daji_case)


@pytest.fixture(scope="module")
def plan_run():
    at = page()
    at.button(key="mw_run").click()
    return rerun(at)


# ---------------------------------------------------------------- waters and acidity
def test_page_loads_with_the_bundled_waters(default_page):
    at = default_page
    assert at.title[0].value == i18n.t("mw_title", "en")
    assert len(at.error) == 0
    assert any("representative" in i.value for i in at.info)  # the waters are constructed
    assert any("not measured" in w.value for w in at.warning)  # so is the case
    acid = table(at, "sample_id", "net_acidity_mg_L_CaCO3")
    ids = list(read_analyses(DAJI / "analyses.csv").sample_ids)
    assert list(acid["sample_id"]) == ids == ["DJ-1", "DJ-2", "DJ-3", "DJ-4"]
    flags = dict(zip(acid["sample_id"], acid["net_acidic"]))
    assert flags["DJ-1"] == "net acidic" and flags["DJ-4"] == "net alkaline"
    # DJ-1 by hand (Kirby & Cravotta): 50 [2x180/55.845 + 3x60/55.845 + 3x45/26.98
    # + 2x12/54.938 + 1000x10^-2.8] mg/L CaCO3, alkalinity 0
    dj1 = 50 * (
        2 * 180 / 55.845 + 3 * 60 / 55.845 + 3 * 45 / 26.98 + 2 * 12 / 54.938 + 1000 * 10**-2.8
    )
    row = acid[acid["sample_id"] == "DJ-1"].iloc[0]
    assert row["acidity_calc_mg_L_CaCO3"] == pytest.approx(dj1, rel=1e-9)
    assert row["net_acidity_mg_L_CaCO3"] == pytest.approx(dj1, rel=1e-9)
    assert row["acid_load_kg_d"] == pytest.approx(dj1 * 1200 / 1000, rel=1e-9)  # wet flow


def test_uploaded_amdtreat_waters_155_7_and_81_0():
    at = page(upload=("amdtreat.csv", AMDTREAT_CSV))
    # D2 (pH 4.9) has no alkalinity: refused by default, with the way out named
    assert len(at.error) == 1
    msg = at.error[0].value
    assert "D2" in msg and "alkalinity" in msg and "amdtreat.csv" in msg
    assert any(i.value == i18n.t("mw_missing_hint", "en") for i in at.info)
    at.radio(key="mw_missing_alk").set_value("zero")
    at = rerun(at)
    assert len(at.error) == 0
    acid = table(at, "sample_id", "acidity_calc_mg_L_CaCO3").set_index("sample_id")
    assert abs(acid.loc["D1", "acidity_calc_mg_L_CaCO3"] - 155.7) <= 0.5
    assert abs(acid.loc["D2", "acidity_calc_mg_L_CaCO3"] - 81.0) <= 0.5
    assert list(acid["net_acidic"]) == ["net acidic", "net acidic"]


# ---------------------------------------------------------------- neutralisation
def test_titration_curves_mark_the_engine_dose(default_page):
    at = default_page
    assert at.selectbox(key="mw_sample").value == "DJ-1"
    spec = chart_spec(at, "mw_titration")
    curves = traces(spec, "curve")
    assert [c["meta"]["reagent"] for c in curves] == list(REAGENTS)  # one curve per reagent
    ref = neutralise(daji_values("DJ-1"), "NaOH", 8.5)
    (mark,) = [d for d in traces(spec, "dose") if d["meta"]["reagent"] == "NaOH"]
    assert values(mark["x"]) == pytest.approx([ref.dose_mg_L], rel=1e-9)
    naoh = next(c for c in curves if c["meta"]["reagent"] == "NaOH")
    x, y = np.array(values(naoh["x"])), np.array(values(naoh["y"]))
    assert abs(np.interp(ref.dose_mg_L, x, y) - 8.5) <= 0.05
    assert any(s.get("y0") == 8.5 == s.get("y1") for s in spec["layout"]["shapes"])
    # limestone cannot reach pH 8.5: a message and a curve, no marker, no error
    assert not [d for d in traces(spec, "dose") if d["meta"]["reagent"] == "CaCO3"]
    assert any("CaCO3" in i.value and "highest pH" in i.value for i in at.info)
    assert len(at.error) == 0
    # the dose table: kg/d at DJ-1's design flow (1200 m3/d, wet season)
    doses = table(at, "reagent", "dose_mg_L", "reagent_kg_d")
    row = doses[doses["reagent"] == i18n.t("mw_reagent_NaOH", "en")].iloc[0]
    assert row["dose_mg_L"] == pytest.approx(ref.dose_mg_L, rel=1e-9)
    assert row["reagent_kg_d"] == pytest.approx(ref.dose_mg_L * 1200 / 1000, rel=1e-9)
    assert row["sludge_dry_mg_L"] == pytest.approx(ref.sludge_dry_mg_L, rel=1e-9)
    assert row["HDS_L_m3"] == pytest.approx(ref.sludge_volumes["HDS"]["volume_L_per_m3"], rel=1e-9)
    # the metals chart of the chosen reagent and its PHREEQC input
    metals = chart_spec(at, "mw_metals")
    assert [d["name"] for d in metals["data"]] == ["Fe", "Al", "Mn"]
    assert [b.proto.label for b in at.get("download_button")][:3] == [
        i18n.t("mw_dl_acidity", "en"),
        i18n.t("mw_dl_pqi", "en"),
        i18n.t("mw_dl_neut_json", "en"),
    ]


def test_dose_axis_in_mmol_per_litre():
    at = page()
    at.radio(key="mw_dose_unit").set_value("mmol_L")
    at = rerun(at)
    spec = chart_spec(at, "mw_titration")
    ref = neutralise(daji_values("DJ-1"), "Ca(OH)2", 8.5)
    (mark,) = [d for d in traces(spec, "dose") if d["meta"]["reagent"] == "Ca(OH)2"]
    assert values(mark["x"]) == pytest.approx([ref.dose_mmol_L], rel=1e-9)
    assert "mmol/L" in spec["layout"]["xaxis"]["title"]["text"]


# ---------------------------------------------------------------- options
def test_net_alkaline_water_rules_out_the_ald():
    at = page()
    at.selectbox(key="mw_sample").set_value("DJ-4")
    at = rerun(at)
    ver = table(at, "option", "admissible", "reasons").set_index("option")
    ald = ver.loc[i18n.t("mw_opt_ald", "en")]
    assert ald["admissible"].startswith("✗")
    assert "net alkaline" in ald["reasons"]
    wetland = ver.loc[i18n.t("mw_opt_wetland", "en")]
    assert wetland["admissible"].startswith("✓") and wetland["role"] == "primary"


def test_amdtreat_wetland_is_409_plus_5450_m2():
    at = page()
    at.button(key="mw_size_example").click()
    at = rerun(at)
    assert at.selectbox(key="mw_size_option").value == "wetland"
    assert at.number_input(key="mw_size_flow").value == pytest.approx(272.55)
    assert at.number_input(key="mw_size_fe").value == 15.0
    assert at.number_input(key="mw_size_mn").value == 10.0
    q = table(at, "key", "quantity", "value").set_index("key")["value"]
    # AMDTreat: Fe 4088 g/d at 10 g/m2/d -> 409 m2, Mn 2725 g/d at 0.5 g/m2/d -> 5450 m2
    assert q["fe_area_m2"] == pytest.approx(409, rel=0.01)
    assert q["mn_area_m2"] == pytest.approx(5450, rel=0.01)
    assert q["area_m2"] == pytest.approx(409 + 5450, rel=0.01)
    shown = {m.label: m.value for m in at.metric}
    assert shown[i18n.t("mw_m_area", "en")] == "5,860"


# ---------------------------------------------------------------- plan
def test_plan_one_row_per_point_and_npv_equals_engine(plan_run, engine_plan, daji_case):
    at = plan_run
    assert len(at.error) == 0
    res = at.session_state[PLAN_KEY]
    assert res["status"] == engine_plan["status"] == "optimal"
    assert res["npv_CNY"] == pytest.approx(engine_plan["npv_CNY"], rel=1e-9)
    choices = table(at, "point", "system", "destination", "npv_CNY")
    assert list(choices["point"]) == [p.name for p in daji_case.points]
    assert choices["npv_CNY"].sum() == pytest.approx(engine_plan["npv_CNY"], abs=4.0)
    shown = {m.label: m.value for m in at.metric}
    npv = float(shown[i18n.t("mw_m_npv", "en")].replace(",", ""))
    assert abs(npv - engine_plan["npv_CNY"] / 1e6) <= 0.005
    assert any("optimal" in s.value for s in at.success)


def test_site_sketch_has_a_marker_per_point(plan_run, engine_plan, daji_case):
    spec = chart_spec(plan_run, "mw_sketch")
    (pts,) = traces(spec, "points")
    assert values(pts["x"]) == [p.x_km for p in daji_case.points]
    assert values(pts["y"]) == [p.y_km for p in daji_case.points]
    for p, label in zip(engine_plan["choices"], pts["text"]):
        assert p["point"] in label and p["destination"] in label
    (dests,) = traces(spec, "destinations")
    assert len(values(dests["x"])) == len(daji_case.destinations)


def test_river_chart_equals_the_plan_mixed_concentrations(plan_run, engine_plan):
    spec = chart_spec(plan_run, "mw_river")
    mixed = traces(spec, "mixed")
    assert len(mixed) == len({(r["destination"], r["constituent"]) for r in engine_plan["river"]})
    for tr in mixed:
        ref = [
            r
            for r in engine_plan["river"]
            if r["destination"] == tr["meta"]["destination"]
            and r["constituent"] == tr["meta"]["constituent"]
        ]
        assert list(tr["x"]) == [r["season"] for r in ref]
        assert values(tr["y"]) == pytest.approx([r["mixed_mg_L"] for r in ref], rel=1e-12)
        limit = next(
            d for d in traces(spec, "limit") if d["meta"] == tr["meta"] | {"role": "limit"}
        )
        assert values(limit["y"]) == pytest.approx([r["limit_mg_L"] for r in ref])


def test_scores_and_downloads(plan_run, engine_plan):
    at = plan_run
    spec = chart_spec(at, "mw_scores")
    (heat,) = spec["data"]
    z = [[v for v in row] for row in heat["z"]]
    by = {(s["point"], s["system"]): s["score"] for s in engine_plan["scores"]}
    points = list(dict.fromkeys(s["point"] for s in engine_plan["scores"]))
    assert list(heat["y"]) == points
    assert sum(v for row in z for v in row if v is not None) == pytest.approx(
        sum(by.values()), rel=1e-9
    )
    dl = at.session_state[DOWNLOADS_KEY]
    res = json.loads(dl["json"].decode("utf-8"))
    assert res["npv_CNY"] == pytest.approx(engine_plan["npv_CNY"], rel=1e-9)
    with zipfile.ZipFile(io.BytesIO(dl["zip"])) as z:
        assert {"plan.json", "choices.csv", "river.csv", "scores.csv", "options.csv"} <= set(
            z.namelist()
        )
        choices = pd.read_csv(io.BytesIO(z.read("choices.csv")), encoding="utf-8-sig")
    assert len(choices) == len(engine_plan["choices"])


def test_budget_too_small_is_explained(daji_case):
    at = page()
    at.number_input(key="mw_budget").set_value(1.0)  # million CNY
    at = rerun(at)
    at.button(key="mw_run").click()
    at = rerun(at)
    res = at.session_state[PLAN_KEY]
    ref = plan(daji_case, budget_CNY=1.0e6)
    assert res["status"] == ref["status"] == "infeasible"
    assert res["infeasibility"]["summary"] == ref["infeasibility"]["summary"]
    assert any(i18n.t("mw_status_infeasible", "en") in e.value for e in at.error)
    assert any(h.value == i18n.t("mw_infeas_heading", "en") for h in at.subheader)
    bullets = " ".join(m.value for m in at.markdown if m.value.startswith("- "))
    assert "budget" in bullets
    assert not traces(chart_spec(at, "mw_sketch"), "link")  # no plan, no water sent anywhere


# ---------------------------------------------------------------- language and bad input
def test_chinese_labels():
    at = page(lang="zh")
    assert at.title[0].value == i18n.t("mw_title", "zh") == "老窑水（废弃矿井酸性水）"
    assert [h.value for h in at.header][0] == "1 · 水样及其酸度"
    assert at.button(key="mw_run").label == "计算方案"
    spec = chart_spec(at, "mw_titration")
    assert "投加量" in spec["layout"]["xaxis"]["title"]["text"]
    assert "NaOH（烧碱）" in [d["name"] for d in traces(spec, "curve")]
    acid = table(at, "sample_id", "net_acidic")
    assert set(acid["net_acidic"]) == {"净酸性", "净碱性"}


def test_bad_upload_is_an_error_not_a_traceback():
    at = page(upload=("lab.csv", BAD_CSV))
    assert len(at.error) == 1
    msg = at.error[0].value
    assert msg.startswith("The file cannot be used") and "lab.csv" in msg and "'Na'" in msg
    assert len(at.get("plotly_chart")) == 0
    assert at.button(key="mw_run")  # the plan section stays usable


def test_water_phreeqc_cannot_speciate_is_a_warning_per_reagent():
    # 50 mg/L Al at pH 7 with 10 mg/L alkalinity: the Al hydroxide complexes alone carry more
    # alkalinity than measured, so PHREEQC refuses the analysis for every reagent
    csv = b"sample_id,pH,Al,Fe,Mn,alkalinity_CaCO3,SO4,Ca\nX,7.0,50,2,1,10,200,50\n"
    at = page(upload=("odd.csv", csv))
    assert len(at.error) == 0
    failed = [w.value for w in at.warning if "cannot speciate" in w.value]
    assert len(failed) == len(REAGENTS)
    assert not [c for c in at.get("plotly_chart")]


def test_uploaded_case_zip_loads_and_a_bad_one_is_a_message():
    at = page(case_upload=("daji.zip", daji_zip()))
    assert len(at.error) == 0
    assert any("4 discharge points" in c.value for c in at.caption)
    at = page(case_upload=("junk.zip", b"not a zip"))
    assert len(at.error) == 1 and "not a readable .zip" in at.error[0].value
    assert "junk.zip" in at.error[0].value
