"""Reports: the regulator's review (en/zh, HTML/PDF, .pqi attached), the plan report and the plan
workbook, and the ``reports`` catalogue.

Oracles, written here and independent of the report code:

* PDF bytes are read with the standard library: the embedded file is the stream of the PDF's
  ``/Type /EmbeddedFile`` object, inflated with :mod:`zlib`, and compared with the review's
  ``.pqi``; the embedded font names are found in the inflated streams.
* PDF text: neither pdfminer nor pypdf is installed, so the text is read from WeasyPrint's
  laid-out pages (``HTML(...).render().pages``, the text boxes of each page) of the very HTML
  document that was printed to the PDF (captured on its way to the printer).
* The verdict words are the glossary's (glossary [GZ] (docs/references.md), 审查结论：通过 /
  有条件通过 / 不通过), typed here; the binding limits are the hand case's numbers read from its
  ``case.toml``; the workbook is compared cell by cell with ``NetworkPlan.to_frame``.
"""

from __future__ import annotations

import base64
import io
import math
import re
import tomllib
import zlib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

import cbmwater
from cbmwater.cli import main
from cbmwater.report import documents
from cbmwater.resources import example_path

ROOT = Path(__file__).resolve().parents[1]
BARITE = example_path("reinjection", "barite_scaling.toml")
COMPAT = example_path("reinjection", "compatible.toml")
HAND = ROOT / "tests" / "data" / "optimise" / "hand" / "case.toml"
LOCALE = ROOT / "cbmwater" / "locale"
TEMPLATES = ROOT / "cbmwater" / "report" / "templates"
QUIET = {"progress": lambda msg, frac: None}
VERDICT = {
    "en": {
        "pass": "Verdict: pass",
        "conditional": "Verdict: conditional pass",
        "fail": "Verdict: fail",
    },
    "zh": {
        "pass": "审查结论：通过",
        "conditional": "审查结论：有条件通过",
        "fail": "审查结论：不通过",
    },
}


@pytest.fixture(scope="module")
def barite():
    return cbmwater.review(BARITE)


@pytest.fixture(scope="module")
def plan():
    return cbmwater.optimise(HAND, **QUIET)


def _printed(monkeypatch, make):
    """Call ``make()`` and return (its PDF bytes, the HTML that was printed to that PDF)."""
    seen: list[str] = []
    real = documents.html_to_pdf

    def spy(document, attachments=()):
        seen.append(document)
        return real(document, attachments)

    monkeypatch.setattr(documents, "html_to_pdf", spy)
    pdf = make()
    assert len(seen) == 1
    return pdf, seen[0]


def _page_texts(document: str) -> list[str]:
    """The text of each page WeasyPrint lays out for ``document`` (what it prints)."""
    import weasyprint

    def walk(box, out):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child, out)
        return out

    pages = weasyprint.HTML(string=document).render().pages
    return ["".join(walk(p._page_box, [])) for p in pages]


def _inflated_streams(pdf: bytes) -> list[bytes]:
    out = []
    for m in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        start = m.end()
        raw = pdf[start : start + int(m.group(1))]
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _embedded_files(pdf: bytes) -> list[bytes]:
    """Contents of the PDF's /EmbeddedFile streams (Flate-encoded or plain)."""
    out = []
    for m in re.finditer(rb"<</Type /EmbeddedFile(.*?)>>\s*stream\r?\n", pdf, re.S):
        length = int(re.search(rb"/Length (\d+)", m.group(1)).group(1))
        raw = pdf[m.end() : m.end() + length]
        out.append(zlib.decompress(raw) if b"/FlateDecode" in m.group(1) else raw)
    return out


# ------------------------------------------------------------------------ review report
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_pdf_verdict_clauses_and_attached_pqi(barite, lang, monkeypatch):
    pdf, printed = _printed(
        monkeypatch, lambda: cbmwater.review_report(barite, lang=lang, fmt="pdf")
    )
    assert pdf.startswith(b"%PDF-")
    text = "".join(_page_texts(printed))
    assert barite.verdict == "fail"
    assert VERDICT[lang]["fail"] in text
    other = "en" if lang == "zh" else "zh"
    assert VERDICT[other]["fail"] not in text
    # every finding with its code and its clause (the basis names the standard and clause);
    # the layout may break a long clause over lines, so spaces are ignored
    flat = re.sub(r"\s+", "", text)
    for f in barite.findings:
        assert f["code"] in text
        assert re.sub(r"\s+", "", f["basis"]) in flat
    # the .pqi is attached: the embedded file's bytes are the review's PHREEQC input
    assert _embedded_files(pdf) == [barite.pqi.encode("utf-8")]
    assert any(b"(review_mixing.pqi)" in s for s in _inflated_streams(pdf))  # its Filespec
    if lang == "zh":  # the Chinese text is set in the CJK font, embedded in the PDF
        assert any(b"NotoSansCJK" in s for s in _inflated_streams(pdf))


def test_review_verdicts_in_both_languages():
    res = cbmwater.review(COMPAT)
    for lang in ("en", "zh"):
        html = cbmwater.review_report(res, lang=lang).decode("utf-8")
        assert VERDICT[lang][res.verdict] in html
        assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in html


def test_review_html_figures_are_embedded_images_and_pqi_a_download(barite):
    html = cbmwater.review_report(barite, lang="zh", fmt="html").decode("utf-8")
    imgs = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(imgs) == 1
    svg = base64.b64decode(imgs[0])
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert "<script" not in html and 'src="http' not in html
    link = re.search(r'<a href="data:[^;]+;base64,([A-Za-z0-9+/=]+)" download="([^"]+)"', html)
    assert link and link.group(2).endswith(".pqi")
    assert base64.b64decode(link.group(1)).decode("utf-8") == barite.pqi
    # evidence as tables, not JSON: each finding's evidence has its own table of labels
    assert "{&#34;" not in html and '{"' not in html
    assert "最大SI" in html and "饱和指数" in html  # evidence label, axis/table text in Chinese


def test_mixing_table_in_report_is_the_reviews_mixing(barite):
    html = cbmwater.review_report(barite, lang="en").decode("utf-8")
    # the scale table's total column, to 3 significant figures, row by row
    for row in barite.mixing:
        assert f"{row['scale_mg_L']:,.3g}" in html


def test_old_entry_points_still_give_the_report(barite):
    from cbmwater.reinjection.review import review_file
    from cbmwater.report.reinjection_html import review_html

    ref = review_html(review_file(BARITE))
    assert '<div class="verdict fail"><h2>Verdict: fail</h2></div>' in ref
    assert barite.to_html() == ref


def test_engine_message_dicts_are_rendered_in_the_language():
    # a finding's message as code + params (the engine's coming form) and a plain string
    coded = {"code": "language.name", "params": {}, "text": "English"}
    assert documents.message_text(coded, "zh") == "中文"
    assert documents.message_text({"code": "nope", "params": {}, "text": "kept"}, "zh") == "kept"
    assert documents.message_text("plain", "zh") == "plain"


def test_bad_language_or_format_is_refused(barite):
    with pytest.raises(cbmwater.InputError, match="allowed are en, zh"):
        cbmwater.review_report(barite, lang="fr")
    with pytest.raises(cbmwater.InputError, match="allowed are html, pdf"):
        cbmwater.review_report(barite, fmt="docx")


def test_cli_review_pdf_in_chinese(tmp_path, barite):
    out = tmp_path / "r.pdf"
    res = CliRunner().invoke(main, ["review", str(BARITE), "--out", str(out), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and _embedded_files(pdf) == [barite.pqi.encode("utf-8")]
    # other suffixes keep the JSON
    js = tmp_path / "r.json"
    assert CliRunner().invoke(main, ["review", str(BARITE), "--out", str(js)]).exit_code == 0
    assert js.read_text(encoding="utf-8").lstrip().startswith("{")


# ------------------------------------------------------------------------ plan report
def test_binding_limits_are_the_hand_cases(plan):
    case = tomllib.loads(HAND.read_text(encoding="utf-8"))
    dest = {d["name"]: d for d in case["destinations"]}
    got = {(b["destination"], b["limit"]): b for b in documents.binding_limits(plan.to_dict())}
    # Reuse: full (capacity) and at its fluoride limit; River: at its fluoride limit only
    assert got[("Reuse", "capacity, m³/d")]["bound"] == dest["Reuse"]["capacity_m3_d"]
    assert got[("Reuse", "F, mg/L")]["bound"] == dest["Reuse"]["limits"]["F"]
    assert got[("River", "F, mg/L")]["value"] == pytest.approx(dest["River"]["limits"]["F"])
    assert ("River", "capacity, m³/d") not in got
    assert len(got) == 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_report_pdf_and_html(plan, lang, monkeypatch):
    pdf, printed = _printed(monkeypatch, lambda: cbmwater.plan_report(plan, lang=lang, fmt="pdf"))
    assert pdf.startswith(b"%PDF-")
    text = "".join(_page_texts(printed))
    title = {"en": "Produced-water plan", "zh": "采出水处置优化方案报告"}[lang]
    assert title in text
    assert ("回用比例" if lang == "zh" else "Reuse share") in text
    assert ("最优" if lang == "zh" else "optimal") in text
    html = cbmwater.plan_report(plan, lang=lang).decode("utf-8")
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', html)) == 2  # flows, costs
    # the flows table: delivered m3/d per destination, summed here from the plan's flows
    for dest in ("Reuse", "River"):
        total = sum(f["delivered_m3_d"] for f in plan.flows if f["destination"] == dest)
        assert f"{total:,.4g}" in html


# ------------------------------------------------------------------------ workbook
def _cell(v):
    """A frame value as Excel gives it back (an empty text is an empty cell)."""
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v) or None
    return v.item() if hasattr(v, "item") else v


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_workbook_one_sheet_per_table_units_frozen_values(plan, lang):
    from openpyxl import load_workbook

    from cbmwater.i18n import translate

    wb = load_workbook(io.BytesIO(cbmwater.plan_workbook(plan, lang=lang)))
    names = list(plan.tables())
    sheets = {translate(f"sheet.{n}", lang, "reports"): n for n in names}
    assert wb.sheetnames == [translate("sheet.kpis", lang, "reports"), *sheets]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
    for title, name in sheets.items():
        ws = wb[title]
        frame = plan.to_frame(name)
        header = [c.value for c in ws[1]]
        assert len(header) == len(frame.columns)
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(frame)
        for i, rec in enumerate(frame.to_dict("records")):
            for j, col in enumerate(frame.columns):
                want, got = _cell(rec[col]), rows[i][j]
                if isinstance(want, float):
                    assert got == pytest.approx(want, rel=1e-12, abs=1e-12), (name, col)
                else:
                    assert got == want, (name, col)
        for j, col in enumerate(frame.columns):  # units in the headers, from the column names
            if col.endswith("_m3_d"):
                assert "m³/d" in header[j]
            if col.endswith("_CNY"):
                assert ("元" if lang == "zh" else "CNY") in header[j]
    kpi = wb[wb.sheetnames[0]]
    values = {r[0]: r[1] for r in kpi.iter_rows(min_row=2, values_only=True)}
    npv = translate("plan.kpi.npv", lang, "reports")
    assert values[npv] == pytest.approx(plan.objective_CNY / 1e6)
    flows = wb[translate("sheet.flows", lang, "reports")]
    assert flows.column_dimensions["A"].width >= 8
    assert flows["F2"].number_format == "#,##0.0"  # feed_m3_d


def test_cli_optimise_report_and_workbook(tmp_path):
    rep, xl = tmp_path / "plan.pdf", tmp_path / "plan.xlsx"
    args = ["optimise", str(HAND), "--report", str(rep), "--workbook", str(xl), "--lang", "zh"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert rep.read_bytes().startswith(b"%PDF-") and xl.read_bytes()[:2] == b"PK"
    bad = CliRunner().invoke(main, ["optimise", str(HAND), "--report", str(tmp_path / "p.txt")])
    assert bad.exit_code == 2 and ".html or .pdf" in bad.output
    assert not (tmp_path / "p.txt").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("flagship")
def test_bundled_case_plan_report_and_workbook(flagship):
    """The bundled Qinshui case (the package's own optimisation case): a report per language.

    The plan is the session's solve of the case (tests/conftest.py: ``flagship``, the options
    of :func:`cbmwater.optimise`), as :func:`cbmwater.optimise` returns it."""
    from openpyxl import load_workbook

    big = cbmwater.NetworkPlan.from_dict(flagship[1])
    for lang in ("en", "zh"):
        assert cbmwater.plan_report(big, lang=lang, fmt="pdf").startswith(b"%PDF-")
        wb = load_workbook(io.BytesIO(cbmwater.plan_workbook(big, lang=lang)))
        assert len(wb.sheetnames) == 1 + len(big.tables())


# ------------------------------------------------------------------------ catalogue
def _po(lang: str) -> dict[str, str]:
    with (LOCALE / lang / "LC_MESSAGES" / "reports.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def test_every_reports_code_in_both_languages_and_used_codes_exist():
    en, zh = _po("en"), _po("zh")
    assert set(en) == set(zh)
    assert all(en.values()) and all(zh.values())
    # the same str.format fields in both languages
    for code in en:
        assert set(re.findall(r"{(\w+)", en[code])) == set(re.findall(r"{(\w+)", zh[code])), code
    used = set()
    for t in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r'_\("([\w.]+)"\)', t.read_text(encoding="utf-8")))
    for py in ("documents.py", "figures.py"):
        src = (ROOT / "cbmwater" / "report" / py).read_text(encoding="utf-8")
        used |= set(re.findall(r'_t\(\s*"([\w.]+)"', src))
    assert used and not used - set(en), sorted(used - set(en))
