"""The app in a real browser (Debian's Chromium driven by Playwright, the app served by
``cbmwater app`` on a free port): the language survives a reload and drives the navigation, a
Chinese-header lab report uploads and gives the engine's QA counts, every page renders in both
languages without an exception, and 中文 pages show no English outside an allowlist.

Oracles: the catalogue texts (``cbmwater/locale/*/LC_MESSAGES/app.po``) for titles and labels,
and ``cbmwater.characterise`` called here on the same analyses with English headers for the
uploaded report's QA counts.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from english import english_words, summary
from harness import PAGES, exceptions, nav_labels, open_page, wait_for_title

from cbmwater import characterise
from cbmwater.app.i18n import keys, t
from cbmwater.study import BUNDLED_ANALYSES

#: the app's own chrome: headings, widget and metric labels, buttons, tabs, expanders and the
#: navigation.  Its text comes from the app catalogue only, so 中文 must hold no English here.
CHROME = (
    "h1, h2, h3, [data-testid='stWidgetLabel'], [data-testid='stMetricLabel'], "
    "[data-testid='stSidebarNav'], [data-testid='stBaseButton-secondary'], "
    "[data-testid='stBaseButton-primary'], [data-testid='stDownloadButton'], "
    "[data-testid='stTab'], [data-testid='stExpander'] summary"
)

#: text of the rendered elements under ``selector``: skips icons (Material Symbols ligatures,
#: whose text is the icon's name), code spans (commands, paths), JSON viewers (provenance and
#: versions: machine keys such as ``iphreeqc``, ``database``), Streamlit's hidden "Skip to main
#: content" link, and nodes that are not rendered
_VISIBLE_TEXT_JS = """
(selector) => {
  const skip = '[data-testid="stIconMaterial"], [data-testid="stSkipToContent"], '
    + '[data-testid="stAlertDynamicIcon"], [data-testid="stJson"], code, style, script, noscript';
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || el.getClientRects().length === 0) continue;
      if (getComputedStyle(el).fontFamily.includes('Material Symbols')) continue;
      out.push(n.nodeValue);
    }
  }
  return out.join(' ');
}
"""


def visible_text(page: Any, selector: str) -> str:
    return str(page.evaluate(_VISIBLE_TEXT_JS, selector))


def page_url(app_url: str, path: str, lang: str) -> str:
    return f"{app_url}/{path}?lang={lang}"


def nav_texts(page: Any) -> list[str]:
    """The navigation labels without their icon names."""
    return [line.splitlines()[-1].strip() for line in nav_labels(page)]


# ---------------------------------------------------------------- catalogue (no browser)
def _catalogue_text(key: str) -> str:
    text = t(key, "zh")
    text = re.sub(r"\{[^}]*\}", " ", text)  # str.format fields
    text = re.sub(r"`[^`]*`", " ", text)  # code: commands, paths, field names
    return re.sub(r"<[^>]+>", " ", text)  # <br> in hover templates


def test_the_chinese_app_catalogue_holds_no_english():
    """Every 中文 string of the app's own catalogue passes the allowlist (strict)."""
    bad = {k: english_words(_catalogue_text(k)) for k in sorted(keys("zh"))}
    bad = {k: w for k, w in bad.items() if w}
    assert not bad, bad


def test_the_checker_counts_words_not_symbols():
    """The checker's own oracle: hand-counted examples."""
    assert english_words("《地下水质量标准》（GB/T 14848—2017）Ⅲ类，HCO3-Na 型，pH 8.1") == []
    assert english_words("样品 SZ-3-01 的 CaCO3、Fe(OH)3(a)，见 docs/i18n.md 与 case.toml") == []
    assert english_words("Calcite 过饱和 (scaling likely)") == ["Calcite", "scaling", "likely"]
    assert english_words("PHREEQC 与 HiGHS 求解；审查结论：PASS") == ["PASS"]
    # a phrase from the input (a case's own title) is allowed as a whole, not word by word
    title = "Qinshui south (constructed)"
    assert english_words(f"案例 {title}：south 区块", [title]) == ["south"]


# ---------------------------------------------------------------- (a) language survives reload
@pytest.mark.slow
def test_chinese_survives_a_reload_with_chinese_navigation(page, app_url):
    open_page(page, f"{app_url}/", t("home_title", "en"))
    assert nav_texts(page) == [t(k, "en") for _, _, k in PAGES]
    page.get_by_text("中文", exact=True).click()
    wait_for_title(page, t("home_title", "zh"))
    assert "lang=zh" in page.url
    zh_nav = [t(k, "zh") for _, _, k in PAGES]
    assert nav_texts(page) == zh_nav
    page.reload()
    wait_for_title(page, t("home_title", "zh"))
    assert nav_texts(page) == zh_nav
    # navigating keeps the language (and the URL keeps saying so)
    page.locator("[data-testid='stSidebarNavLink']").nth(3).click()
    wait_for_title(page, t("rj_title", "zh"))
    assert "lang=zh" in page.url
    page.reload()
    wait_for_title(page, t("rj_title", "zh"))
    assert nav_texts(page) == zh_nav
    # a shared link with ?run= keeps the run through navigation
    page.goto(f"{app_url}/optimise?lang=zh&run=r42")
    wait_for_title(page, t("opt_title", "zh"))
    page.locator("[data-testid='stSidebarNavLink']").nth(0).click()
    wait_for_title(page, t("home_title", "zh"))
    assert "run=r42" in page.url and "lang=zh" in page.url


# ---------------------------------------------------------------- (b) Chinese-header upload
#: English header -> a Chinese header the lab-file reader knows (cbmwater/water/vocabulary.py)
ZH_HEADERS = {
    "sample_id": "样品编号",
    "temp_C": "水温",
    "pH": "pH值",
    "Na": "钠离子（mg/L）",
    "K": "钾离子",
    "Ca": "钙离子",
    "Mg": "镁离子",
    "Cl": "氯化物",
    "SO4": "硫酸根",
    "HCO3": "重碳酸根（mg/L）",
    "F": "氟化物",
}


def _write_reports(tmp_path: Path, n: int = 8) -> tuple[Path, Path]:
    """The first ``n`` bundled analyses as two lab files: English and Chinese headers."""
    with open(BUNDLED_ANALYSES, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))[:n]
    en, zh = tmp_path / "lab_en.csv", tmp_path / "化验报告.csv"
    for path, header in ((en, list(ZH_HEADERS)), (zh, list(ZH_HEADERS.values()))):
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for r in rows:
                w.writerow([r[c] for c in ZH_HEADERS])
    return en, zh


@pytest.mark.slow
def test_a_chinese_header_lab_report_uploads_and_shows_its_results(page, app_url, tmp_path):
    en, zh = _write_reports(tmp_path)
    expected = Counter(characterise(en)["qa_flag"])
    assert sum(expected.values()) == 8
    open_page(page, page_url(app_url, "characterise", "zh"), t("char_title", "zh"))
    page.get_by_text(t("src_upload", "zh"), exact=True).click()
    page.get_by_text(t("upload_wait", "zh")).wait_for()
    page.locator("input[type='file']").set_input_files(str(zh))
    metrics = page.locator("[data-testid='stMetric']")
    metrics.first.wait_for()
    wait_for_title(page, t("char_title", "zh"))
    assert exceptions(page) == []
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    shown = {}
    for i in range(metrics.count()):
        label = metrics.nth(i).locator("[data-testid='stMetricLabel']").inner_text().strip()
        shown[label] = int(metrics.nth(i).locator("[data-testid='stMetricValue']").inner_text())
    assert shown == {t(f"n_{k}", "zh"): expected.get(k, 0) for k in ("ok", "warning", "flag")}


# ---------------------------------------------------------------- (c, d) every page, both languages
@pytest.mark.slow
@pytest.mark.parametrize("path,title_key,nav_key", PAGES, ids=[p[2] for p in PAGES])
def test_every_page_renders_in_english(page, app_url, path, title_key, nav_key):
    open_page(page, page_url(app_url, path, "en"), t(title_key, "en"))
    assert exceptions(page) == []
    assert nav_texts(page) == [t(k, "en") for _, _, k in PAGES]


@pytest.mark.slow
@pytest.mark.parametrize("path,title_key,nav_key", PAGES, ids=[p[2] for p in PAGES])
def test_every_page_renders_in_chinese_without_english(page, app_url, path, title_key, nav_key):
    open_page(page, page_url(app_url, path, "zh"), t(title_key, "zh"))
    assert exceptions(page) == []
    assert nav_texts(page) == [t(k, "zh") for _, _, k in PAGES]
    # strict: the app's own chrome (headings, labels, buttons, navigation) is all Chinese
    chrome = english_words(visible_text(page, CHROME))
    assert not chrome, summary(chrome)
    # the whole page, engine text included (findings, conditions, warnings, notes, reasons,
    # rendered from the engine catalogue) and the bundled inputs' own titles, names and notes
    # (shown from their ``*_zh`` fields): no allowance for input text
    words = english_words(visible_text(page, "[data-testid='stApp']"))
    assert not words, f"{path or 'home'}: {summary(words)}"
