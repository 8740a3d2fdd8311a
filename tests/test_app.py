"""The Streamlit face (app/): pages run, show the engine's numbers, switch language, report bad
files with st.error.

Oracles are independent of the page: the bundled CSV's rows are counted with the csv module, and
numbers are compared with ``characterise_file`` called here.  Pages are run with Streamlit's
``AppTest``; a file upload is injected through the page's testing hook
``st.session_state["cbm_test_upload"] = (filename, bytes)`` (AppTest cannot drive the uploader).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from cbmwater.errors import CbmwaterError  # noqa: E402
from cbmwater.study import BUNDLED_ANALYSES  # noqa: E402
from cbmwater.study import characterisation as characterise_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "cbmwater" / "app"
HOME = APP / "Home.py"
ENTRY = APP / "streamlit_app.py"  # what `cbmwater app` serves: st.navigation over the pages
PAGE = APP / "pages" / "1_Characterise.py"
TIMEOUT = 60
from cbmwater.app import (
    i18n,  # noqa: E402
    logic,  # noqa: E402
)

EN_TITLE = "Characterise produced water"
ZH_TITLE = "采出水水质表征"
WARN_BG = "#fff3cd"
FLAG_BG = "#f8d7da"

# Three samples, mg/L.  Ion balance (meq/L): Na 22.99, Ca 20.04, Cl 35.45, HCO3 61.02 g/eq.
# A: (13.05 + 0.25 - 1.41 - 11.47) / 26.18 = +1.6 %  -> ok
# B: Na 350 -> 15.22 + 0.25 vs 12.88 -> +9.1 %       -> warning (> 5 %)
# C: Na 500 -> 21.75 + 0.25 vs 12.88 -> +26 %        -> flag (> 10 %)
MIXED_CSV = (
    b"sample_id,pH,Na,Ca,Cl,HCO3\nA,8.1,300,5,50,700\nB,8.0,350,5,50,700\nC,8.0,500,5,50,700\n"
)
BAD_NA_CSV = (
    b"sample_id,pH,Na,Ca,Cl,HCO3\n"
    b"A,8.1,300,5,50,700\n"
    b"B,8.0,abc,5,50,700\n"  # row 3 of the file (header is row 1)
)


def bundled_rows() -> list[dict[str, str]]:
    with open(BUNDLED_ANALYSES, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def run_page(upload: tuple[str, bytes] | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    if upload is not None:
        at.session_state["cbm_test_upload"] = upload
    if lang is not None:
        at.session_state["lang"] = lang
    at.run(timeout=TIMEOUT)
    return at


def metric_counts(at: AppTest, lang: str = "en") -> dict[str, int]:
    by_label = {m.label: m.value for m in at.metric}
    return {k: int(by_label[i18n.t(f"n_{k}", lang)]) for k in ("ok", "warning", "flag")}


def chart_spec(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        if el.proto.id.endswith("-" + key):
            return json.loads(el.proto.spec)
    raise AssertionError(f"no plotly chart with key {key!r}")


def row_backgrounds(at: AppTest, table: int = 0) -> dict[str, set[int]]:
    """Row numbers styled with each background colour in the Styler CSS of a dataframe."""
    styles = at.dataframe[table].proto.arrow_data.styler.styles
    out: dict[str, set[int]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", styles):
        m = re.search(r"background-color:\s*(#[0-9a-fA-F]{6})", body)
        if m:
            rows = {int(r) for r in re.findall(r"_row(\d+)_col", selectors)}
            out.setdefault(m.group(1).lower(), set()).update(rows)
    return out


@pytest.fixture(scope="module")
def engine():
    return characterise_file(BUNDLED_ANALYSES)


@pytest.fixture(scope="module")
def bundled_page():
    return run_page()


# ---------------------------------------------------------------- (i) bundled data
def test_page_runs_on_bundled_data(bundled_page, engine):
    at = bundled_page
    assert not at.exception
    assert len(at.error) == 0
    rows = bundled_rows()
    qa = at.dataframe[0].value
    assert len(qa) == len(rows) > 0
    assert list(qa["sample_id"]) == [r["sample_id"] for r in rows]
    assert {
        "charge_balance_pct",
        "tds_mg_L",
        "hardness_mg_L_CaCO3",
        "alkalinity_mg_L_CaCO3",
        "sar",
        "water_type",
        "qa_flag",
        "warnings",
    } <= set(qa.columns)
    expected = engine.records["qa_flag"].value_counts()
    counts = metric_counts(at)
    assert counts == {k: int(expected.get(k, 0)) for k in ("ok", "warning", "flag")}
    assert sum(counts.values()) == len(rows)
    assert list(qa["qa_flag"]) == list(engine.records["qa_flag"])
    # the page says the bundled set is constructed
    assert any("constructed" in i.value for i in at.info)


def test_page_counts_and_highlights_warnings_and_flags():
    """An upload with one ok, one warning and one flagged sample: metrics and row colours."""
    ch = logic.characterise_bytes(MIXED_CSV, "mixed.csv")
    assert list(ch.records["qa_flag"]) == ["ok", "warning", "flag"]  # the oracle itself
    at = run_page(upload=("mixed.csv", MIXED_CSV))
    assert not at.exception and len(at.error) == 0
    assert metric_counts(at) == {"ok": 1, "warning": 1, "flag": 1}
    bg = row_backgrounds(at, 0)
    assert bg.get(WARN_BG) == {1}
    assert bg.get(FLAG_BG) == {2}
    qa = at.dataframe[0].value
    assert "ion balance" in qa.loc[2, "warnings"]
    assert isinstance(qa.loc[2, "warnings"], str)  # lists joined for display


# ---------------------------------------------------------------- (ii) SI values
def test_si_table_matches_engine(bundled_page, engine):
    si = bundled_page.dataframe[1].value
    assert si.loc[0, "sample_id"] == engine.records.loc[0, "sample_id"]
    assert math.isfinite(engine.records.loc[0, "si_Calcite"])
    assert si.loc[0, "si_Calcite"] == pytest.approx(engine.records.loc[0, "si_Calcite"], abs=1e-6)
    si_cols = [c for c in engine.records.columns if c.startswith("si_")]
    assert len(si_cols) == 16 and set(si_cols) <= set(si.columns)
    pd.testing.assert_frame_equal(
        si[si_cols].reset_index(drop=True).astype(float),
        engine.records[si_cols].reset_index(drop=True).astype(float),
        check_exact=False,
        atol=1e-9,
        rtol=0,
    )


def test_options_reach_the_engine():
    """Choosing wateq4f and irrigation changes the numbers exactly as the engine does."""
    ref = characterise_file(BUNDLED_ANALYSES, database="wateq4f", irrigation=True)
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    at.selectbox(key="database").set_value("wateq4f")
    at.checkbox(key="irrigation").check()
    at.run(timeout=TIMEOUT)
    assert not at.exception
    qa, si = at.dataframe[0].value, at.dataframe[1].value
    assert "sar_adjusted" in qa.columns
    assert qa["sar_adjusted"].to_numpy() == pytest.approx(ref.records["sar_adjusted"].to_numpy())
    assert si["si_Calcite"].to_numpy() == pytest.approx(
        ref.records["si_Calcite"].to_numpy(), abs=1e-9
    )
    assert any("wateq4f" in c.value for c in at.caption)


# ---------------------------------------------------------------- (iii) language
def test_language_switch_changes_titles():
    at = run_page()
    assert at.title[0].value == EN_TITLE
    at.sidebar.radio(key="_lang_radio").set_value("zh")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == ZH_TITLE
    assert at.session_state["lang"] == "zh"
    assert [m.label for m in at.metric] == ["合格", "警告", "标记"]
    # the Piper diagram follows the language (Chinese vertex labels and hover text)
    spec = chart_spec(at, "piper")
    notes = [a.get("text", "") for a in spec["layout"].get("annotations", [])]
    assert "钙 Ca" in notes and "Ca" not in notes
    hover = [
        x for d in spec["data"] if (d.get("meta") or {}).get("role") == "samples" for x in d["text"]
    ]
    assert hover and all("样品" in h for h in hover)


def test_home_page_bilingual():
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == i18n.t("home_title", "en")
    at.sidebar.radio(key="_lang_radio").set_value("zh")
    at.run(timeout=TIMEOUT)
    assert at.title[0].value == i18n.t("home_title", "zh") != i18n.t("home_title", "en")


def test_language_survives_page_switch():
    """中文 chosen on Home stays chosen on the Characterise page (and can be switched back)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    at.sidebar.radio(key="_lang_radio").set_value("zh")
    at.run(timeout=TIMEOUT)
    at.switch_page("pages/1_Characterise.py")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == ZH_TITLE
    at.sidebar.radio(key="_lang_radio").set_value("en")
    at.run(timeout=TIMEOUT)
    assert at.title[0].value == EN_TITLE


# ---------------------------------------------------------------- (iv) bad input
def test_characterise_bytes_names_row_and_column():
    with pytest.raises(CbmwaterError) as info:
        logic.characterise_bytes(BAD_NA_CSV, "lab.csv")
    msg = str(info.value)
    assert "row 3" in msg
    assert "'Na'" in msg
    assert "abc" in msg
    assert "lab.csv" in msg and "cbmwater_upload_" not in msg  # user's name, not the temp copy


def test_characterise_bytes_refuses_unknown_suffix():
    # .txt and .tsv are lab files the engine reads (as for a path); a .pdf is not
    with pytest.raises(CbmwaterError, match=r"\.pdf"):
        logic.characterise_bytes(b"sample_id,pH\nA,7\n", "lab.pdf")


def test_characterise_bytes_good_file_equals_characterise_file(tmp_path):
    good = BAD_NA_CSV.replace(b"abc", b"320")
    p = tmp_path / "good.csv"
    p.write_bytes(good)
    a = logic.characterise_bytes(good, "good.csv").records
    b = characterise_file(p).records
    pd.testing.assert_frame_equal(a.drop(columns="warnings"), b.drop(columns="warnings"))


def test_page_shows_error_for_bad_upload():
    at = run_page(upload=("lab.csv", BAD_NA_CSV))
    assert not at.exception  # no traceback
    assert len(at.error) == 1
    msg = at.error[0].value
    assert "row 3" in msg and "'Na'" in msg and "lab.csv" in msg
    assert len(at.dataframe) == 0  # nothing computed is shown
    assert len(at.get("plotly_chart")) == 0


def test_page_error_in_chinese():
    at = run_page(upload=("lab.csv", BAD_NA_CSV), lang="zh")
    assert not at.exception
    assert at.error[0].value.startswith("文件无法使用")


# ---------------------------------------------------------------- (v) charts
def test_piper_chart_present(bundled_page, engine):
    spec = chart_spec(bundled_page, "piper")
    cation = [
        d
        for d in spec["data"]
        if (d.get("meta") or {}).get("role") == "samples" and d["meta"].get("field") == "cation"
    ]
    n_points = sum(len(d["text"]) for d in cation)
    assert n_points == len(bundled_rows())
    groups = {d["meta"]["group"] for d in cation}
    assert groups == set(engine.records["water_type"])  # coloured by water type
    notes = [a.get("text", "") for a in spec["layout"].get("annotations", [])]
    assert "Ca" in notes  # English labels by default


def test_si_chart_has_key_minerals_and_zero_line(bundled_page):
    spec = chart_spec(bundled_page, "si_chart")
    names = [d["name"] for d in spec["data"]]
    assert names == ["Calcite", "Barite", "Fluorite", "Siderite", "Fe(OH)3(a)"]
    shapes = spec["layout"].get("shapes", [])
    assert any(s.get("y0") == 0 and s.get("y1") == 0 for s in shapes)


# ---------------------------------------------------------------- downloads
def test_download_buttons_present(bundled_page):
    labels = [b.proto.label for b in bundled_page.get("download_button")]
    assert labels == [i18n.t(k, "en") for k in ("dl_csv", "dl_json", "dl_xlsx", "dl_pqi")]


def test_export_bytes(engine):
    rec, prov = engine.records, engine.provenance
    df = pd.read_csv(io.BytesIO(logic.records_csv(rec)), encoding="utf-8-sig")
    assert len(df) == len(rec) and list(df.columns) == list(rec.columns)
    assert df["si_Calcite"].to_numpy() == pytest.approx(rec["si_Calcite"].to_numpy())
    js = json.loads(logic.records_json(rec, prov))
    assert js["provenance"]["database_sha256"] == prov["database_sha256"]
    assert len(js["records"]) == len(rec)
    assert isinstance(js["records"][0]["warnings"], list)
    book = pd.read_excel(io.BytesIO(logic.records_xlsx(rec, prov)), sheet_name=None)
    assert set(book) == {"characterisation", "provenance"}
    assert len(book["characterisation"]) == len(rec)
    assert "SOLUTION" in engine.speciation.pqi()


# ---------------------------------------------------------------- i18n and architecture
def test_every_string_has_both_languages():
    """The app's catalogue (gettext domain ``app``) holds the same codes, non-empty, in en and
    zh."""
    assert i18n.keys("en") == i18n.keys("zh") and len(i18n.keys("en")) > 700
    for key in i18n.keys("en"):
        en, zh = i18n.t(key, "en"), i18n.t(key, "zh")
        assert en.strip() and zh.strip(), key
    with pytest.raises(KeyError):
        i18n.t("no_such_key", "en")


def test_app_keys_exist_in_i18n():
    """Every literal key passed to t(...) in the app is defined."""
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                assert i18n.has(node.args[0].value), f"{path.name}: {node.args[0].value}"
