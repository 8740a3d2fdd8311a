"""Write a PNG of every app page in English and Chinese under docs/screenshots/ (``make
screenshots``).

The same set-up as the browser tests (tests/browser/harness.py): ``cbmwater app`` on a free port
with a throw-away workspace, Debian's Chromium through Playwright, waits on Streamlit's
app-ready markers; the workspace holds two plans of the hand case and two treatment
trains (:func:`seed`).  Each page is opened by its URL (``/<page>?lang=<en|zh>``) and shot whole:
the viewport is grown to the height of the page's scrolling main area first.

    python tools/screenshots.py [--out docs/screenshots] [--width 1280]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the shared browser harness

from harness import PAGES, app_server, exceptions, launch, open_page, wait_idle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from cbmwater.app.i18n import t  # noqa: E402

#: the height of the scrolling main area (Streamlit scrolls inside it, not the document)
_MAIN_HEIGHT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]')
    || document.querySelector('[data-testid="stAppViewContainer"]');
  return main ? main.scrollHeight : document.body.scrollHeight;
}
"""


def seed(workspace: Path) -> None:
    """Real runs for the Workspace and Compare pages: two plans of the hand case (the second
    with its Reuse capacity cut to 60 m3/d) and two treatment trains of a bundled sample."""
    import tomllib

    import cbmwater
    from cbmwater.optimize.case import parse_case
    from cbmwater.study import BUNDLED_ANALYSES
    from cbmwater.study.workspace import run_inputs

    ws = cbmwater.Workspace(workspace)
    hand = ROOT / "tests" / "data" / "optimise" / "hand" / "case.toml"
    data = tomllib.loads(hand.read_text(encoding="utf-8"))
    data["destinations"][0]["capacity_m3_d"] = 60.0
    for label, case in (
        ("hand case", hand),
        ("hand case, reuse 60 m3/d", parse_case(data, hand.parent, str(hand))),
    ):
        ws.save_run(
            "optimise", cbmwater.optimise(case), inputs=run_inputs(hand, "case"), label=label
        )
    for label, train in (
        ("RO", "multimedia_filter,cartridge_filter,brackish_ro"),
        ("filters", "multimedia_filter,cartridge_filter"),
    ):
        res = cbmwater.treat(BUNDLED_ANALYSES, train, flow_m3_d=500, sample="SZ-3-01")
        ws.save_run("treat", res, inputs=run_inputs(BUNDLED_ANALYSES, "lab"), label=label)


def shoot(out: Path, width: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        seed(Path(tmp) / "workspace.sqlite")
        written = _shoot(out, width, Path(tmp) / "workspace.sqlite")
    return written


def _shoot(out: Path, width: int, workspace: Path) -> list[Path]:
    written: list[Path] = []
    with (
        app_server(workspace) as url,
        sync_playwright() as p,
    ):
        browser = launch(p)
        for lang in ("en", "zh"):
            for path, title_key, _ in PAGES:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.set_default_timeout(180_000)
                open_page(page, f"{url}/{path}?lang={lang}", t(title_key, lang))
                if exceptions(page):
                    raise SystemExit(f"{path or 'home'} ({lang}) shows an exception")
                height = int(page.evaluate(_MAIN_HEIGHT_JS))
                page.set_viewport_size({"width": width, "height": max(900, height + 40)})
                wait_idle(page)
                page.wait_for_load_state("networkidle")
                target = out / f"{path or 'home'}_{lang}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    shoot(args.out, args.width)


if __name__ == "__main__":
    main()
