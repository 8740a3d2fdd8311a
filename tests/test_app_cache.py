"""Re-renders are served from ``st.cache_data``: after a widget change that does not touch the
inputs of an engine call (the language, a chart's axis, a display unit) the page does not call
the engine again, and after a change that does, it calls it exactly once more.

The oracle is a call counter on the engine-facing function each page caches (patched into the
page's logic module), not a timer: a cache hit costs no PHREEQC run, whatever the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

st = pytest.importorskip("streamlit")
from app_jobs import settle, temp_workspace  # noqa: F401
from streamlit.testing.v1 import AppTest  # noqa: E402

from cbmwater.app import (  # noqa: E402
    i18n,
    logic,
    logic_minewater,
    logic_reinjection,
    logic_treatment,
)

APP = Path(__file__).resolve().parents[1] / "cbmwater" / "app"
TIMEOUT = 120


def count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    """Replace ``module.name`` by a wrapper that records each call and calls the real one."""
    real: Callable[..., Any] = getattr(module, name)
    calls: list[Any] = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def fresh(page: str) -> AppTest:
    st.cache_data.clear()  # the cache is per process: start every test from an empty one
    at = AppTest.from_file(str(APP / "pages" / page), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    return at


def switch_language(at: AppTest, lang: str) -> None:
    at.sidebar.radio(key="_lang_radio").set_value(lang)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert at.session_state["lang"] == lang


def test_characterise_rerenders_from_the_cache(monkeypatch):
    calls = count_calls(monkeypatch, logic, "analyse_bundled")
    at = fresh("1_Characterise.py")
    assert len(calls) == 1
    switch_language(at, "zh")
    assert at.title[0].value == i18n.t("char_title", "zh")
    assert len(calls) == 1  # the language only changes labels
    at.selectbox(key="database").set_value("wateq4f")
    at.run(timeout=TIMEOUT)
    assert len(calls) == 2  # a different database is a new calculation
    at.selectbox(key="database").set_value("phreeqc")
    at.run(timeout=TIMEOUT)
    assert len(calls) == 2  # ... and going back is a cache hit
    assert not at.exception


def test_treatment_rerenders_from_the_cache(monkeypatch):
    calls = count_calls(monkeypatch, logic_treatment, "treat")
    at = fresh("2_Treatment.py")
    assert len(calls) == 1
    at.checkbox(key="log_y").uncheck()  # the stage chart's axis
    at.run(timeout=TIMEOUT)
    assert not at.exception and len(calls) == 1
    switch_language(at, "zh")
    assert len(calls) == 1
    at.number_input(key="flow").set_value(2000.0)
    at.run(timeout=TIMEOUT)
    assert not at.exception and len(calls) == 2


def test_reinjection_rerenders_from_the_cache(monkeypatch, temp_workspace):  # noqa: F811
    # the review is a job shared by every session reviewing the same files: a re-render after
    # a widget change takes the finished job's result and submits nothing
    calls = count_calls(monkeypatch, logic_reinjection, "submit_review")
    at = fresh("3_Reinjection.py")
    settle(at, TIMEOUT)
    assert not at.exception and len(calls) <= 1  # none when an earlier test reviewed it
    job = at.session_state["cbm_reinj_job"]["id"]
    verdict = at.session_state["cbm_reinj_result"]["verdict"]
    submitted = len(calls)
    switch_language(at, "zh")
    assert at.title[0].value == i18n.t("rj_title", "zh")
    assert len(calls) == submitted
    assert at.session_state["cbm_reinj_job"]["id"] == job
    assert at.session_state["cbm_reinj_result"]["verdict"] == verdict


def test_mine_water_titration_rerenders_from_the_cache(monkeypatch):
    calls = count_calls(monkeypatch, logic_minewater, "neutralise_all")
    at = fresh("5_Mine_water.py")
    assert len(calls) == 1
    at.radio(key="mw_dose_unit").set_value("mmol_L")  # the titration chart's axis
    at.run(timeout=TIMEOUT)
    assert not at.exception and len(calls) == 1
    switch_language(at, "zh")
    assert len(calls) == 1
