"""The engineer's workbench in a real browser (Debian's Chromium, Playwright; the app served by
``cbmwater app`` on a free port with a temporary workspace, one server for the module):

* the bundled optimisation (Qinshui south) run from the Optimise page is a job saved to the
  workspace: after a reload the page and the Workspace page show the same NPV;
* after the server is killed with SIGKILL and started again on the same workspace file, the run
  is still there with the same NPV;
* two browser sessions optimising at the same time both succeed (jobs in worker processes;
  the hand case of tests/data/optimise/hand, which the Optimise page lists in a checkout, so
  the two jobs overlap without two more flagship solves);
* two treatment trains are compared on the Compare page;
* the plan's PDF report downloads from the Workspace page.

Oracles: the NPV the Optimise page showed (a metric, million CNY), ``cbmwater.optimise`` run
here on the hand case, and ``cbmwater.treat`` run here for the compared trains (their names
and key figures).

The module's tests share one server and one flagship run (module fixtures), so they carry one
``xdist_group``: under ``make test`` (``--dist loadgroup``) they run on one worker and the
fixtures are set up once.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import CHROMIUM, exceptions, open_page, start_server, stop_server, wait_idle

import cbmwater
from cbmwater.app.i18n import t
from cbmwater.study import BUNDLED_ANALYSES
from cbmwater.study.workspace import InputFile, Workspace

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("workbench_browser")]

#: the bundled optimisation: the first case of the Optimise page
RUN_TIMEOUT_MS = 240_000


class Server:
    """The module's app server; :meth:`restart` kills it (any signal) and starts it again on
    the same workspace file."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.proc, self.url = start_server(workspace)

    def restart(self, sig: int) -> None:
        stop_server(self.proc, sig)
        self.proc, self.url = start_server(self.workspace)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    pytest.importorskip("streamlit")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make system` installs Debian's chromium")
    s = Server(tmp_path_factory.mktemp("workspace") / "workspace.sqlite")
    yield s
    stop_server(s.proc)


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The session's one browser (conftest.py): a second sync_playwright() in the same process
    would fail while the first is alive, as it is when xdist interleaves the two modules."""
    return browser


def new_page(chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(RUN_TIMEOUT_MS)
    return page


def metric(page: Any, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    box.wait_for(timeout=RUN_TIMEOUT_MS)
    return str(box.locator("[data-testid='stMetricValue']").inner_text()).strip()


NPV_LABEL = t("opt_m_npv", "en", year=2024)  # the bundled case prices in 2024
#: the hand case (tests/data/optimise/hand) and its plan from the API: the oracle of the
#: two-session test
HAND_CASE = Path(__file__).resolve().parents[1] / "data" / "optimise" / "hand" / "case.toml"
HAND_LABEL = "tests/data/optimise/hand/case.toml"


@pytest.fixture(scope="module")
def hand() -> dict[str, Any]:
    """The hand case's plan from the API (solved when a test asks, not at collection)."""
    return cbmwater.optimise(HAND_CASE).to_dict()


def run_optimisation(page: Any, url: str) -> None:
    open_page(page, f"{url}/optimise?lang=en", t("opt_title", "en"))
    page.get_by_role("button", name=t("opt_run", "en")).click()


def choose_hand_case(page: Any, name: str) -> None:
    """Pick the hand case (its name ``name``) in the Optimise page's "Bundled case" box."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=t("opt_case_select", "en"))
    box.click()
    page.get_by_role("option", name=HAND_LABEL).click()  # a substring of "title — label"
    # the page's caption of the case, which only the rerun the choice starts writes (the name
    # alone is also the select box's own text, there at once): clicking Run before that rerun
    # has ended could be lost to it
    page.get_by_test_id("stCaptionContainer").filter(has_text=name).first.wait_for()
    wait_idle(page)


def finished_run(page: Any, npv_label: str | None = None) -> tuple[int, str]:
    """Wait for the job to end on the page; the saved run's id (from ?run=) and the NPV."""
    page.get_by_text(re.compile(r"saved to the workspace as run #\d+")).wait_for(
        timeout=RUN_TIMEOUT_MS
    )
    wait_idle(page)
    assert exceptions(page) == []
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    run = re.search(r"[?&]run=(\d+)", page.url)
    assert run, page.url
    return int(run.group(1)), metric(page, npv_label or NPV_LABEL)


@pytest.fixture(scope="module")
def first_run(server: Server, chromium: Any) -> dict[str, Any]:
    page = new_page(chromium)
    t0 = time.monotonic()
    run_optimisation(page, server.url)
    run_id, npv = finished_run(page)
    out = {"id": run_id, "npv": npv, "seconds": time.monotonic() - t0, "page": page}
    return out


def test_an_optimisation_survives_a_reload_and_is_on_the_workspace_page(server, first_run):
    page = first_run["page"]
    assert re.fullmatch(r"-?[\d,]+\.\d\d", first_run["npv"])
    page.reload()
    open_page(page, page.url, t("opt_title", "en"))
    assert metric(page, NPV_LABEL) == first_run["npv"]  # the page reopens ?run=<id>
    page.locator("[data-testid='stSidebarNavLink']").filter(
        has_text=t("nav_workspace", "en")
    ).click()
    heading = t("ws_run_heading", "en", id=first_run["id"], kind=t("ws_kind_optimise", "en"))
    page.get_by_role("heading", name=heading).wait_for()
    wait_idle(page)
    assert f"run={first_run['id']}" in page.url
    assert metric(page, NPV_LABEL) == first_run["npv"]
    assert exceptions(page) == []


def test_the_plan_report_downloads_as_pdf(server, first_run, chromium):
    page = new_page(chromium)
    open_page(page, f"{server.url}/workspace?lang=zh&run={first_run['id']}", t("ws_title", "zh"))
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
        page.get_by_role("button", name=t("ws_report_pdf", "zh")).click()
    data = Path(download.value.path()).read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 10_000
    assert download.value.suggested_filename == f"run{first_run['id']}_optimise_zh.pdf"


def test_two_sessions_optimise_at_once_and_both_succeed(server, chromium, hand):
    pages = [new_page(chromium), new_page(chromium)]
    for p in pages:
        open_page(p, f"{server.url}/optimise?lang=en", t("opt_title", "en"))
        choose_hand_case(p, hand["case"]["name"])
    t0 = time.monotonic()
    for p in pages:  # both clicks within a second: the two jobs overlap
        p.get_by_role("button", name=t("opt_run", "en")).click()
    label = t("opt_m_npv", "en", year=hand["case"].get("price_year", ""))
    results = [finished_run(p, label) for p in pages]
    both = time.monotonic() - t0
    assert results[0][0] != results[1][0]
    # the page shows million CNY to 2 decimals (view_optimise.show_kpis)
    assert [npv for _, npv in results] == [f"{hand['objective_CNY'] / 1e6:,.2f}"] * 2
    print(f"two hand-case optimisations at once {both:.1f} s")


def test_the_run_survives_a_sigkill_of_the_server(server, first_run, chromium):
    server.restart(signal.SIGKILL)
    page = new_page(chromium)
    open_page(page, f"{server.url}/workspace?lang=en&run={first_run['id']}", t("ws_title", "en"))
    heading = t("ws_run_heading", "en", id=first_run["id"], kind=t("ws_kind_optimise", "en"))
    page.get_by_role("heading", name=heading).wait_for()
    assert metric(page, NPV_LABEL) == first_run["npv"]


def test_two_trains_are_compared_side_by_side(server, chromium):
    ws = Workspace(server.workspace)  # saved beside the running server (WAL)
    ids = {}
    for name, train in (
        ("RO", "multimedia_filter,cartridge_filter,brackish_ro"),
        ("filters", "multimedia_filter,cartridge_filter"),
    ):
        res = cbmwater.treat(BUNDLED_ANALYSES, train, flow_m3_d=500, sample="SZ-3-01")
        ids[name] = ws.save_run(
            "treat",
            res,
            inputs=[InputFile("analyses.csv", BUNDLED_ANALYSES.read_bytes(), "lab")],
            label=name,
        )
    page = new_page(chromium)
    open_page(page, f"{server.url}/compare?lang=zh", t("cmp_title", "zh"))
    # the kind radio's option (a table of the optimisation runs may have a column of that name)
    page.get_by_test_id("stRadio").get_by_text(t("ws_kind_treat", "zh"), exact=True).click()
    page.get_by_role("heading", name=t("cmp_quality", "zh")).wait_for()
    wait_idle(page)
    assert exceptions(page) == []
    chart = page.locator(".js-plotly-plot").last
    chart.scroll_into_view_if_needed()
    chart.locator(".legendtext").first.wait_for()
    legend = chart.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert f"#{ids['RO']} RO" in legend and f"#{ids['filters']} filters" in legend
    for heading in ("cmp_kpis", "cmp_units", "cmp_quality"):
        assert page.get_by_role("heading", name=t(heading, "zh")).count() == 1
