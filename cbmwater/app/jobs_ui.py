"""The Streamlit side of jobs and of the workspace: a job's live status, what a page does when
its job ends, and the "save to workspace" button.

A page keeps its job in ``st.session_state[key] = {"id": job id, **meta}``.  :func:`follow`
draws the job's progress in a fragment that polls the runner every second
(``st.fragment(run_every=...)``) and reruns the page when the job ends; the page then takes the
outcome with :func:`take_finished`.  Polling reads the runner's status only; the job runs in a
worker process (:mod:`cbmwater.app.logic_jobs`) and keeps running when the page is left.

While a job runs, its panel sits in a container whose class is ``st-key-cbm_job_running...``
(the browser tests and ``make screenshots`` wait until none is left).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from cbmwater.app import logic_jobs as LJ
from cbmwater.app.common import set_current_run
from cbmwater.app.i18n import t
from cbmwater.study import render
from cbmwater.study.jobs import JobStatus
from cbmwater.study.workspace import InputFile

__all__ = [
    "POLL_S",
    "RUNNING_KEY",
    "follow",
    "take_finished",
    "show_saved",
    "save_button",
    "error_text",
]

#: seconds between two looks at a running job
POLL_S = 1.0
#: prefix of the key of a running job's container (its CSS class is ``st-key-<key>``)
RUNNING_KEY = "cbm_job_running"


def error_text(status: JobStatus, lang: str) -> str:
    """Why a job failed, in ``lang`` (its message when the engine gave one), else its state."""
    if status.error_i18n is not None:
        return str(render(status.error_i18n, lang))
    return status.error or _state_label(status.state, lang)


def _state_label(state: str, lang: str) -> str:
    return t(f"job_state_{state}", lang)


def _draw(status: JobStatus, lang: str) -> None:
    with st.container(key=f"{RUNNING_KEY}_{status.id[:12]}"):
        frac = min(max(float(status.progress), 0.0), 1.0)
        st.progress(
            frac,
            text=t(
                "job_progress",
                lang,
                state=_state_label(status.state, lang),
                pct=100 * frac,
                seconds=status.elapsed_s or 0.0,
                msg=LJ.progress_text(status.message, lang),
            ),
        )
        if st.button(
            t("job_cancel", lang), key=f"cbm_job_cancel_{status.id[:12]}", icon=":material/stop:"
        ):
            LJ.runner().cancel(status.id)
        st.caption(t("job_keeps_running", lang))


@st.fragment(run_every=POLL_S)
def _panel(job_id: str, lang: str) -> None:
    status = LJ.status(job_id)
    if status.final:
        st.rerun()  # the whole page: it shows the result
    _draw(status, lang)


def follow(key: str, lang: str) -> JobStatus | None:
    """The status of the page's job ``st.session_state[key]`` (None when there is none);
    while it runs, draw its progress, refreshed every :data:`POLL_S` seconds."""
    job = st.session_state.get(key)
    if not job:
        return None
    try:
        status = LJ.status(job["id"])
    except Exception:  # noqa: BLE001 - a job of an earlier server process: forget it
        st.session_state.pop(key, None)
        return None
    if not status.final:
        _panel(job["id"], lang)
    return status


def take_finished(key: str, lang: str) -> tuple[JobStatus, dict[str, Any]] | None:
    """When the page's job has ended: forget it and return ``(status, meta)`` (``meta``: what
    the page stored with the job).  Otherwise draw its progress and return None."""
    status = follow(key, lang)
    if status is None or not status.final:
        return None
    meta = dict(st.session_state.pop(key))
    meta.pop("id", None)
    return status, meta


def show_saved(job_id: str, lang: str) -> int | None:
    """Say where a finished job's run was saved (and make it the current run, ``?run=``)."""
    saved = LJ.saved_run(job_id)
    if isinstance(saved, int):
        set_current_run(str(saved))
        st.success(t("ws_saved_auto", lang, id=saved), icon=":material/inventory_2:")
        return saved
    if isinstance(saved, str):
        st.warning(t("ws_save_failed", lang, msg=saved), icon=":material/warning:")
    return None


def save_button(
    kind: str,
    result: Any,
    inputs: Callable[[], Iterable[InputFile]],
    lang: str,
    *,
    key: str,
    options: Mapping[str, Any] | None = None,
    label: str = "",
) -> int | None:
    """A "save to workspace" button for the page's current result; on a click the run is saved
    (in one transaction, with its inputs) and becomes the current run (``?run=<id>``).

    ``result`` (or a function giving it: it is then built on a click only) is the API result's
    dict; ``inputs`` gives the files the run read.
    """
    if not st.button(t("ws_save", lang), key=key, icon=":material/save:"):
        return None
    data = result() if callable(result) else result
    try:
        run_id = LJ.workspace().save_run(
            kind, data, inputs=list(inputs()), options=dict(options or {}), label=label
        )
    except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
        st.error(t("ws_save_failed", lang, msg=str(exc)), icon=":material/error:")
        return None
    set_current_run(str(run_id))
    st.success(t("ws_saved", lang, id=run_id), icon=":material/inventory_2:")
    return run_id
