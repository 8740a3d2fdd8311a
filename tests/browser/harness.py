"""The real-browser set-up shared by the browser tests and ``tools/screenshots.py``: the app
served by ``cbmwater app`` on a free port (with a temporary workspace), Debian's Chromium driven
by Playwright's sync API, and waits on Streamlit's own app-ready markers (no sleeps)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: Chromium from the system package manager (``make system`` installs it; no browser download)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: the app's pages: URL path (as st.navigation registers them; "" = home) and the i18n key of
#: each page's title (its h1) and of its navigation label
PAGES: tuple[tuple[str, str, str], ...] = (
    ("", "home_title", "nav_home"),
    ("characterise", "char_title", "nav_characterise"),
    ("treatment", "treat_title", "nav_treatment"),
    ("reinjection", "rj_title", "nav_reinjection"),
    ("optimise", "opt_title", "nav_optimise"),
    ("mine_water", "mw_title", "nav_minewater"),
    ("workspace", "ws_title", "nav_workspace"),
    ("compare", "cmp_title", "nav_compare"),
    ("uncertainty", "unc_title", "nav_uncertainty"),
)
START_TIMEOUT_S = 120
#: a page's longest first run here (Characterise speciates the bundled set with PHREEQC)
RUN_TIMEOUT_MS = 180_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workspace: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``cbmwater app --port N`` (this checkout's code) with ``CBMWATER_WORKSPACE`` =
    ``workspace`` in its own process group and wait until its health endpoint answers; return
    the process and the base URL."""
    port = port or free_port()
    env = dict(os.environ, CBMWATER_WORKSPACE=str(workspace))
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "cbmwater.cli", "app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(
                    "the app exited: " + (proc.stderr.read().decode() if proc.stderr else "")
                ) from None
            if time.monotonic() > deadline:
                stop_server(proc, signal.SIGKILL)
                raise RuntimeError(f"the app did not answer in {START_TIMEOUT_S} s") from None
            time.sleep(0.25)  # polling a port, not waiting for the page


def stop_server(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Send ``sig`` to the server's process group (its job workers too) and reap it."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


@contextmanager
def app_server(workspace: Path, port: int | None = None) -> Iterator[str]:
    """Run the app (:func:`start_server`) for the ``with`` block; yield the base URL."""
    proc, url = start_server(workspace, port)
    try:
        yield url
    finally:
        stop_server(proc)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_idle(page: Any, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script run has finished (Streamlit's markers on
    the ``stApp`` element: ``data-test-connection-state`` and ``data-test-script-state``) and no
    job the page follows is still running (its panel, ``st-key-cbm_job_running...``, is gone)."""
    idle = (
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    )
    page.wait_for_selector(idle, timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[class*=\"st-key-cbm_job_running\"]')",
        timeout=timeout_ms,
    )
    page.wait_for_selector(idle, timeout=timeout_ms)


def open_page(page: Any, url: str, title: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Go to ``url`` and wait until the run is over and the page's h1 reads ``title``."""
    page.goto(url)
    wait_for_title(page, title, timeout_ms)


def wait_for_title(page: Any, title: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    page.locator("h1").filter(has_text=title).first.wait_for(timeout=timeout_ms)
    wait_idle(page, timeout_ms)
    dismiss_page_not_found(page)


def dismiss_page_not_found(page: Any) -> None:
    """Close Streamlit's "Page not found" dialog, which a first load of ``/<page>`` shows
    although ``st.navigation`` then runs that very page: Streamlit looks the URL up among the
    pages it found in ``cbmwater/app/pages/`` (named from the files, ``Optimise``) before the
    entry script registers its own (``optimise``).  It makes the rest of the page inert."""
    dialog = page.locator("[role='dialog']").filter(has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")


def nav_labels(page: Any) -> list[str]:
    """The texts of the sidebar navigation links."""
    return [
        s.strip()
        for s in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
        if s.strip()
    ]


def exceptions(page: Any) -> list[str]:
    """The texts of Streamlit's exception boxes on the page."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


def visible_text(page: Any) -> str:
    """The text a user reads in the main area and the sidebar (not the hidden, not canvas
    data grids)."""
    return str(page.locator('[data-testid="stApp"]').inner_text())
