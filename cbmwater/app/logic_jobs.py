"""Long runs of the app as jobs, saved to the workspace when they finish (no Streamlit here).

A page hands a long run (an optimisation, a Pareto front, a mine-water plan, a reinjection
review) to :func:`submit`.  It runs in a worker process of the server's one
:func:`cbmwater.study.jobs.default_runner` (never in Streamlit's script thread: Pyomo's output
capture is not thread-safe, and two sessions are two threads of one process).  The page only
reads the job's status; the job keeps running when the page is left or reloaded.

When a job ends, the runner calls :func:`save_finished` -- registered once per server process by
:func:`runner`, a module-level function and not a closure over one session -- which saves a
finished run to the workspace named at submit time (``CBMWATER_WORKSPACE`` or the default
file), in one transaction, with the inputs and options the page gave.  A page then finds the
run's id with :func:`saved_run`.

Reviews keep the PHREEQC input they ran (``ReviewResult.pqi``) as an input file named
:data:`REVIEW_PQI`, so a report made later from the stored run attaches it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbmwater.study import Message, render
from cbmwater.study.jobs import JobRunner, JobStatus, default_runner
from cbmwater.study.workspace import InputFile, Workspace, default_workspace_path

__all__ = [
    "REVIEW_PQI",
    "SaveSpec",
    "runner",
    "submit",
    "shared_job",
    "save_finished",
    "saved_run",
    "status",
    "progress_text",
    "workspace",
    "stored_pqi",
]

log = logging.getLogger(__name__)

#: The name under which a review's PHREEQC input is kept with its run.
REVIEW_PQI = "review_mixing.pqi"


@dataclass(frozen=True)
class SaveSpec:
    """How to save a job's result: the workspace file, the run's kind there, its inputs,
    options and label, and ``split`` (``"review"``: the job returns ``{"review", "pqi", ...}``;
    the review is the result and the ``.pqi`` an input)."""

    workspace: str
    kind: str
    inputs: tuple[InputFile, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    split: str | None = None


_LOCK = threading.Lock()
#: job id -> how to save it (until it ends)
_PENDING: dict[str, SaveSpec] = {}
#: job id -> the run id it was saved as, or the reason it could not be saved (str)
_SAVED: dict[str, int | str] = {}
#: key of a shared job (e.g. a proposal's hash) -> job id
_SHARED: dict[str, str] = {}


def workspace(path: str | Path | None = None) -> Workspace:
    """The workspace file: ``path``, else ``CBMWATER_WORKSPACE``, else the default file."""
    return Workspace(default_workspace_path() if path is None else path)


def runner() -> JobRunner:
    """The server process's job runner, with :func:`save_finished` as its ``on_done``."""
    r = default_runner()
    if r.on_done is not save_finished:
        r.on_done = save_finished
    return r


def _split(spec: SaveSpec, result: dict[str, Any]) -> tuple[dict[str, Any], list[InputFile]]:
    if spec.split == "review":
        pqi = str(result.get("pqi") or "")
        extra = [InputFile(REVIEW_PQI, pqi.encode("utf-8"), "other")] if pqi else []
        return dict(result["review"]), extra
    return result, []


def save_finished(status: JobStatus) -> None:
    """The runner's ``on_done``: save a finished job's run to its workspace (done jobs only).

    Called in the server process, in the runner's thread, before the job's final state is
    published, so a page that sees ``done`` finds the run id with :func:`saved_run`.  A failed
    save is logged and remembered as the reason (the page shows it); it never stops the runner.
    """
    with _LOCK:
        spec = _PENDING.pop(status.id, None)
    if spec is None or status.state != "done" or status.result is None:
        return
    try:
        result, extra = _split(spec, status.result)
        run_id = workspace(spec.workspace).save_run(
            spec.kind,
            result,
            inputs=[*spec.inputs, *extra],
            options=spec.options,
            label=spec.label,
        )
    except Exception as exc:  # noqa: BLE001 - the page says why the run is not kept
        log.exception("could not save job %s to %s", status.id, spec.workspace)
        outcome: int | str = f"{type(exc).__name__}: {exc}"
    else:
        outcome = run_id
    with _LOCK:
        _SAVED[status.id] = outcome


def submit(
    kind: str,
    fn: str | Callable[..., Any],
    params: Mapping[str, Any],
    *,
    save_kind: str | None = None,
    inputs: Iterable[InputFile] = (),
    options: Mapping[str, Any] | None = None,
    label: str = "",
    split: str | None = None,
    cores: int = 1,
) -> str:
    """Queue a long run as a job that saves itself to the workspace when it is done.

    Parameters
    ----------
    kind : str
        The job's kind (:data:`cbmwater.study.jobs.KINDS`).
    fn : str or callable
        A name of :data:`cbmwater.study.jobs.FUNCTIONS` or a module-level function.
    params : mapping
        Its keyword arguments (picklable).
    save_kind : str, optional
        The run's kind in the workspace (default ``kind``).
    inputs : iterable of InputFile
        The files the run read, kept with it.
    options : mapping, optional
        The run's options (JSON data).
    label : str
        The user's label.
    split : {"review"}, optional
        How to take the result apart (see :class:`SaveSpec`).
    cores : int
        Cores the job uses.

    Returns
    -------
    str
        The job's id.
    """
    spec = SaveSpec(
        str(default_workspace_path()),
        save_kind or kind,
        tuple(inputs),
        dict(options or {}),
        label,
        split,
    )
    with _LOCK:  # registered before save_finished can look for it
        job_id = runner().submit(kind, fn, dict(params), label=label, cores=cores)
        _PENDING[job_id] = spec
    return job_id


def shared_job(key: str, start: Callable[[], str]) -> str:
    """The job of ``key`` (e.g. the hash of a proposal) shared by every session of the
    server: the one already queued, running, done or failed (its error is shown, as the result
    would be), else a new one from ``start()``.  A cancelled job is started again.  The key
    includes the workspace file, where the job saves its run."""
    key = f"{default_workspace_path()}|{key}"
    with _LOCK:
        job_id = _SHARED.get(key)
    if job_id is not None:
        st = runner().status(job_id)
        if st.state != "cancelled":
            return job_id
    job_id = start()
    with _LOCK:
        _SHARED[key] = job_id
    return job_id


def status(job_id: str) -> JobStatus:
    """The job's status now (:meth:`cbmwater.study.jobs.JobRunner.status`)."""
    return runner().status(job_id)


#: the job runner's own progress words (plain text, :func:`cbmwater.study.jobs._execute`) and
#: their messages; the engine's progress arrives as a ``Text`` with its own code
_RUNNER_WORDS = {"started": "job.progress.started", "done": "job.progress.done"}


def progress_text(message: str | None, lang: str) -> str:
    """A job's latest progress message (``JobStatus.message``) in ``lang``.

    The engine reports progress as a ``cbmwater.i18n.Text`` (``optimise.progress.*``,
    ``uncertainty.progress.*`` ...), which keeps its code through the job's process boundary;
    it is rendered from the catalogue.  The runner's own "started" and "done" are shown as
    ``job.progress.*``; any other plain text as it is.
    """
    if not message:
        return "…"
    if not hasattr(message, "message") and message in _RUNNER_WORDS:
        return str(render(Message(_RUNNER_WORDS[message]), lang))
    return str(render(message, lang))


def saved_run(job_id: str) -> int | str | None:
    """The workspace run id of a finished job, the reason it was not saved (str), or None
    (not finished, or not a job that saves)."""
    with _LOCK:
        return _SAVED.get(job_id)


def stored_pqi(ws: Workspace, run_id: int) -> str:
    """The PHREEQC input kept with a stored review ("" when there is none)."""
    for item in ws.run(run_id).inputs:
        if item.name == REVIEW_PQI:
            return ws.input_bytes(item.sha256).decode("utf-8")
    return ""
