"""Writes a PNG of the first page of each sample report under docs/screenshots/reports/.

The review of the bundled barite_scaling proposal and the plan of the hand-derived test case
(tests/data/optimise/hand), each in English and Chinese, are made as PDF (in a temporary folder,
or in ``--keep FOLDER``).  Page 1
of each PDF is drawn with poppler's ``pdftoppm`` when it is installed.  Without it (as on the
development machine) the PNG is Chromium's screenshot of the same report's HTML in print media at
A4 width (Playwright with Debian's /usr/bin/chromium): the same template, text and figures, laid
out by a browser instead of WeasyPrint; the script says which one it used.
Run from the repository root: .venv/bin/python tools/report_samples.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import cbmwater
from cbmwater.outpaths import write_atomic
from cbmwater.resources import example_path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "reports"
HAND = ROOT / "tests" / "data" / "optimise" / "hand" / "case.toml"


def _save(path: Path, data: bytes) -> None:
    write_atomic(path, lambda p: p.write_bytes(data))


def _png_from_pdf(pdf: Path, png: Path) -> None:
    stem = png.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )


def _png_from_html(html: bytes, png: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        page_file.write_bytes(html)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"))
            page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
            page.goto(page_file.as_uri())
            page.emulate_media(media="print")
            page.screenshot(path=str(png))
            browser.close()


def main(keep: Path | None = None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        _samples(keep or Path(tmp))


def _samples(folder: Path) -> None:
    review = cbmwater.review(example_path("reinjection", "barite_scaling.toml"))
    plan = cbmwater.optimise(HAND, progress=lambda msg, frac: None)
    poppler = shutil.which("pdftoppm") is not None
    for lang in ("en", "zh"):
        for name, make in (
            ("review", lambda fmt, lang=lang: cbmwater.review_report(review, lang=lang, fmt=fmt)),
            ("plan", lambda fmt, lang=lang: cbmwater.plan_report(plan, lang=lang, fmt=fmt)),
        ):
            pdf = folder / f"{name}_{lang}.pdf"
            png = OUT / f"{name}_{lang}_page1.png"
            _save(pdf, make("pdf"))
            if poppler:
                _png_from_pdf(pdf, png)
            else:
                _png_from_html(make("html"), png)
            print(f"{pdf} -> {png.relative_to(ROOT)}")
        _save(folder / f"plan_{lang}.xlsx", cbmwater.plan_workbook(plan, lang=lang))
    print("page 1 drawn by", "pdftoppm (the PDF)" if poppler else "Chromium (the report's HTML)")


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == "--keep" else None)
