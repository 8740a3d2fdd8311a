"""The Reinjection page (app/pages/3_Reinjection.py): it shows the engine's verdict, findings and
mixing curves for the bundled proposals, offers the engine's HTML report and PHREEQC input,
follows the language and reports a bad upload without a traceback.

Oracles are independent of the page: every expected value comes from ``review_file`` /
``review_html`` called here with the engine's public API, never from the app's own helpers.
Pages run with Streamlit's ``AppTest``; an upload is injected through the page's hook
``st.session_state["cbm_test_upload"] = (filename, bytes)``; the review shown is read back from
``st.session_state["cbm_reinj_result"]`` and the download bytes from
``st.session_state["cbm_reinj_downloads"]``.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from app_jobs import settle, temp_workspace  # noqa: E402, F401
from plotly_spec import chart_spec, values  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from cbmwater.reinjection.review import review_file  # noqa: E402
from cbmwater.report.reinjection_html import review_html  # noqa: E402
from cbmwater.resources import example_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "cbmwater" / "app"
HOME = APP / "Home.py"
ENTRY = APP / "streamlit_app.py"  # what `cbmwater app` serves: st.navigation over the pages
PAGE = APP / "pages" / "3_Reinjection.py"
EXAMPLES = example_path("reinjection")
COMPATIBLE = EXAMPLES / "compatible.toml"
BARITE = EXAMPLES / "barite_scaling.toml"
TIMEOUT = 60
from cbmwater.app import i18n  # noqa: E402

EN_TITLE = "Reinjection review"
ZH_TITLE = "回注审查"
RESULT_KEY = "cbm_reinj_result"
DOWNLOADS_KEY = "cbm_reinj_downloads"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def engine_compatible():
    return review_file(COMPATIBLE)


@pytest.fixture(scope="module")
def engine_barite():
    return review_file(BARITE)


@pytest.fixture(scope="module")
def barite_page():
    return run_page(example="barite_scaling.toml")


@pytest.fixture(scope="module")
def compatible_page():
    return run_page(example="compatible.toml")


def run_page(
    example: str | None = None,
    upload: tuple[str, bytes] | None = None,
    csv: tuple[str, bytes] | None = None,
    lang: str | None = None,
) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    if upload is not None:
        at.session_state["cbm_test_upload"] = upload
    if csv is not None:
        at.session_state["cbm_test_upload_csv"] = csv
    if lang is not None:
        at.session_state["lang"] = lang
    at.run(timeout=TIMEOUT)
    if example is not None:
        at.selectbox(key="rj_example").set_value(example)
        at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)  # the review is a job in a worker process
    assert not at.exception
    return at


def verdict_markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "Verdict:" in m.value or "审查结论" in m.value]


def findings(at: AppTest):
    return next(df.value for df in at.dataframe if "code" in df.value.columns)


# ---------------------------------------------------------------- verdicts
def test_compatible_example_shows_engine_verdict(compatible_page, engine_compatible):
    v = engine_compatible.verdict
    assert v in ("pass", "conditional", "fail")
    at = compatible_page
    assert at.title[0].value == EN_TITLE
    assert len(at.error) == 0
    assert at.session_state[RESULT_KEY]["verdict"] == v
    assert at.session_state[RESULT_KEY]["inputs_hash"] == engine_compatible.proposal.inputs_hash
    shown = verdict_markdown(at)
    assert len(shown) == 1
    assert f"Verdict: {i18n.t('rj_verdict_' + v, 'en')}" in shown[0]
    colour = {"pass": "green", "conditional": "orange", "fail": "red"}[v]
    assert f":{colour}-background[" in shown[0]
    table = findings(at)
    assert list(table["code"]) == [f.code for f in engine_compatible.findings]


def test_barite_example_fails_with_barite_finding(barite_page, engine_barite):
    v = engine_barite.verdict
    assert v == "fail"  # the oracle itself (cbmwater/case_studies/reinjection/README.md)
    assert "SCALE_BARITE" in [f.code for f in engine_barite.findings]
    at = barite_page
    assert at.session_state[RESULT_KEY]["verdict"] == v
    shown = verdict_markdown(at)
    assert len(shown) == 1 and "FAIL" in shown[0] and ":red-background[" in shown[0]
    table = findings(at)
    assert list(table["code"]) == [f.code for f in engine_barite.findings]
    barite = table[table["code"] == "SCALE_BARITE"].iloc[0]
    ref = next(f for f in engine_barite.findings if f.code == "SCALE_BARITE")
    assert barite["message"] == ref.message
    assert barite["clause"] == ref.basis
    evidence = next(df.value for df in at.dataframe if "quantity" in df.value.columns)
    row = evidence[(evidence["code"] == "SCALE_BARITE") & (evidence["quantity"] == "max_si")]
    assert len(row) == 1
    assert float(row.iloc[0]["value"]) == pytest.approx(ref.evidence["max_si"], rel=1e-5)
    assert "warning" in barite["severity"]
    assert "fail" in table[table["code"] == "SCALE_EXCEEDS_TSS"].iloc[0]["severity"]
    # the conditions are listed
    text = " ".join(m.value for m in at.markdown)
    for c in engine_barite.conditions:
        assert c in text
    assert any("barite" in c for c in engine_barite.conditions)
    # assumptions, inputs hash and versions
    for a in engine_barite.assumptions:
        assert a in text
    assert engine_barite.proposal.inputs_hash in text
    assert (
        at.json[0].value
        and json.loads(at.json[0].value)["cbmwater"] == engine_barite.versions["cbmwater"]
    )


# ---------------------------------------------------------------- mixing curves
def test_si_chart_matches_engine_barite(barite_page, engine_barite):
    spec = chart_spec(barite_page, "si_chart")
    mix = engine_barite.mixing
    trace = next(d for d in spec["data"] if d["name"].endswith("Barite") or d["name"] == "Barite")
    assert len(values(trace["x"])) == len(mix) == engine_barite.proposal.fractions
    assert values(trace["x"]) == pytest.approx(list(mix["fraction_injectate"]))
    assert values(trace["y"]) == pytest.approx(list(mix["si_Barite"]), rel=1e-12)
    assert max(values(trace["y"])) > 0 > values(trace["y"])[0]  # supersaturated only on mixing
    # the SI = 0 line
    shapes = spec["layout"].get("shapes", [])
    assert any(s.get("y0") == 0 and s.get("y1") == 0 for s in shapes), shapes


def test_scale_chart_matches_engine(barite_page, engine_barite):
    spec = chart_spec(barite_page, "scale_chart")
    mix = engine_barite.mixing
    total = next(d for d in spec["data"] if d["name"] == i18n.t("rj_scale_total", "en"))
    assert values(total["y"]) == pytest.approx(list(mix["scale_mg_L"]), rel=1e-12)
    assert values(total["x"]) == pytest.approx(list(mix["fraction_injectate"]))


# ---------------------------------------------------------------- downloads
def test_html_download_is_the_engine_report(barite_page, engine_barite):
    labels = [b.proto.label for b in barite_page.get("download_button")]
    assert labels == [i18n.t("rj_dl_html", "en"), i18n.t("rj_dl_pqi", "en")]
    got = barite_page.session_state[DOWNLOADS_KEY]["html"].decode("utf-8")
    ref = review_html(engine_barite)
    assert "<h2>Verdict: fail</h2>" in got
    assert html.escape(engine_barite.pqi) in got
    # equal to the engine's report up to plotly's random div ids
    assert _UUID.sub("ID", got) == _UUID.sub("ID", ref)


def test_pqi_zip_holds_engine_pqi_and_readme(barite_page, engine_barite):
    data = barite_page.session_state[DOWNLOADS_KEY]["pqi_zip"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        pqi = next(n for n in names if n.endswith(".pqi"))
        assert z.read(pqi).decode("utf-8") == engine_barite.pqi
        readme = z.read("README.txt").decode("utf-8")
    assert "phreeqc" in readme.lower() and pqi in readme


# ---------------------------------------------------------------- language
def test_chinese_title():
    at = run_page()
    assert at.title[0].value == EN_TITLE
    at.sidebar.radio(key="_lang_radio").set_value("zh")
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.title[0].value == ZH_TITLE == i18n.t("rj_title", "zh")
    assert any("审查结论" in m for m in verdict_markdown(at))


# ---------------------------------------------------------------- uploads
def test_upload_inline_proposal_matches_example(engine_compatible):
    at = run_page(upload=("mine.toml", COMPATIBLE.read_bytes()))
    assert len(at.error) == 0
    assert at.session_state[RESULT_KEY]["verdict"] == engine_compatible.verdict
    assert at.session_state[RESULT_KEY]["mixing"] == engine_compatible.as_dict()["mixing"]


def test_upload_with_csv_beside_it(engine_barite):
    at = run_page(
        upload=("barite.toml", BARITE.read_bytes()),
        csv=("lab.csv", (EXAMPLES / "waters.csv").read_bytes()),
    )
    assert len(at.error) == 0
    res = at.session_state[RESULT_KEY]
    assert res["verdict"] == engine_barite.verdict
    assert [r["si_Barite"] for r in res["mixing"]] == pytest.approx(
        list(engine_barite.mixing["si_Barite"]), rel=1e-12
    )


def test_upload_missing_csv_is_an_error():
    at = run_page(upload=("barite.toml", BARITE.read_bytes()))
    assert len(at.error) == 1
    assert "waters.csv" in at.error[0].value and "not found" in at.error[0].value
    assert len(at.get("plotly_chart")) == 0


def test_bad_upload_names_the_missing_field():
    text = COMPATIBLE.read_text(encoding="utf-8")
    bad = re.sub(r"(?m)^temperature_C = .*\n", "", text)
    assert bad != text and "temperature_C" not in bad
    at = run_page(upload=("bad.toml", bad.encode("utf-8")))
    assert not at.exception  # no traceback
    assert len(at.error) == 1
    msg = at.error[0].value
    assert "formation.temperature_C" in msg and "bad.toml" in msg
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("download_button")) == 0


def test_invalid_toml_is_an_error():
    at = run_page(upload=("broken.toml", b"title = \n[formation"))
    assert not at.exception
    assert len(at.error) == 1 and "TOML" in at.error[0].value


# ---------------------------------------------------------------- home
def test_home_links_to_reinjection_page():
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    links = [el.proto for el in at.get("page_link")]
    assert any(
        p.label == i18n.t("page_reinjection", "en") and "reinjection" in p.page.lower()
        for p in links
    ), links
