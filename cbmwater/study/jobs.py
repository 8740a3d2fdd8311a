"""Long runs as jobs: a queue of engine calls, each run in its own worker process, within a core
budget.

The app (and any other long-lived caller) hands its long runs -- an optimisation, a Pareto front,
a mine-water plan, a reinjection review, a large characterisation, a treatment train -- to a
:class:`JobRunner` instead of running them in its own thread:

* the runner is a client of the executor (:mod:`cbmwater.executor`): every job is one
  :meth:`~cbmwater.executor.Executor.run_isolated` task, i.e. it runs through
  :func:`cbmwater.study.guard.run_guarded` -- a fresh ``spawn`` process with the memory
  watchdog, the address-space backstop and the time limit of the guard
  (``CBMWATER_RUN_MEMORY_MB``, ``CBMWATER_RUN_TIME_S``) -- on this machine (the default, the
  local process pool's executor) or on a worker of a Dask cluster (``JobRunner(executor=)``, or
  ``CBMWATER_SCHEDULER=tcp://host:port`` / ``local-dask``).  Pyomo and PHREEQC therefore never
  run in the caller's thread, and two jobs never share an interpreter (Pyomo's output capture is
  not thread-safe; Streamlit runs every session as a thread of one process);
* a job's process is not daemonic: a job may start a pool of its own, so a Monte Carlo job of
  two cores runs its scenarios on two worker processes, on the job's two CPUs, one HiGHS thread
  and one PHREEQC instance each;
* the runner waits for each job in a thread of its own, so the caller only reads
  :meth:`JobRunner.status`; a job keeps running when the page that started it is left;
* the worker reports progress through the guard's multiprocessing queue;
  :attr:`JobStatus.progress` and :attr:`JobStatus.message` hold the latest report;
* when a job ends, ``on_done(status)`` is called in the parent (the app saves the run to its
  workspace there) before the job's state is published, so a job seen as ``done`` has been
  handed to ``on_done`` already.

**The core rule (no oversubscription).**  The runner owns a budget of cores: the CPUs this
process may run on (``os.sched_getaffinity``; ``os.cpu_count()`` where that is unknown), or
fewer if asked.  Each job declares the cores it uses (``cores=``, default 1, at most the
budget).  Jobs start in submission order, each only when its cores are free (and fewer than
``max_workers`` jobs run); the sum of the cores of running jobs never exceeds the budget.  Each
job's process is held to what it declared:

* its CPU affinity is set to the job's own cores (Linux), so PHREEQC's chunk workers
  (:func:`cbmwater.geochem.engine.available_cores`) number exactly the job's cores;
* ``CBMWATER_SOLVER_THREADS`` is set to the job's cores, so HiGHS runs that many threads
  (:func:`cbmwater.optimize.solver.default_threads`; the CLI, where it is unset, is unchanged).

So with 2 cores, two one-core optimisations run side by side and a third waits.  On a Dask
cluster the budget is the cluster's worker threads (or ``cores=``), a job holds that many of
them, and the CPU affinity is left to the worker's machine (HiGHS threads and PHREEQC instances
are still the job's cores).

Examples
--------
>>> import cbmwater
>>> from cbmwater.study.jobs import JobRunner
>>> runner = JobRunner()
>>> job = runner.submit("treat", "size_option", {"option": "vfp", "flow_m3_d": 200.0,
...                     "net_acidity": 150.0, "fe_mg_L": 20.0})  # doctest: +SKIP
>>> runner.wait(job, timeout=120).state  # doctest: +SKIP
'done'
"""

from __future__ import annotations

import inspect
import logging
import os
import pickle
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import CbmwaterError, InputError, RunCancelled
from ..executor import Executor, executor_from_env
from ..i18n import Message, Text
from .guard import Limits

__all__ = [
    "JobRunner",
    "JobStatus",
    "default_runner",
    "core_budget",
    "characterise_file",
    "KINDS",
    "STATES",
    "FUNCTIONS",
]

log = logging.getLogger(__name__)

#: What a job is (the workspace stores runs under these kinds).
KINDS: tuple[str, ...] = (
    "optimise",
    "pareto_front",
    "minewater_plan",
    "review",
    "characterise",
    "treat",
    "uncertainty",
    "sensitivity",
)
#: A job's states: ``queued`` -> ``running`` -> ``done`` | ``failed`` | ``cancelled``.
STATES: tuple[str, ...] = ("queued", "running", "done", "failed", "cancelled")
_FINAL = frozenset({"done", "failed", "cancelled"})
#: Functions a job may name (``submit(kind, "optimise", ...)``): the public API's long runs
#: (:mod:`cbmwater.study`) and :func:`characterise_file`.
FUNCTIONS: tuple[str, ...] = (
    "optimise",
    "uncertainty",
    "sensitivity",
    "pareto_front",
    "minewater_plan",
    "review",
    "treat",
    "characterise_file",
    "characterisation",
    "characterise",
    "size_option",
    "neutralise",
    "titration_curve",
)

Callback = Callable[["JobStatus"], None]
ProgressHook = Callable[[str, str, float], None]


@dataclass(frozen=True)
class JobStatus:
    """One job as the runner sees it at one moment.

    Attributes
    ----------
    id : str
        The job's id (32 hex digits).
    kind : str
        One of :data:`KINDS`.
    label : str
        The user's label.
    state : str
        ``queued``, ``running``, ``done``, ``failed`` or ``cancelled``.
    progress : float
        Latest progress the worker reported, 0..1.
    message : str
        The engine's latest progress message.
    cores : int
        Cores the job holds while it runs.
    submitted, started, finished : float or None
        Times, seconds since the epoch (``time.time()``).
    result : dict or None
        When ``done``: the result as the API's ``.to_dict()`` (see :meth:`JobRunner.submit`).
    error : str or None
        When ``failed``: the engine's error message (or the guard's, for a run stopped at its
        memory or time limit), never a traceback.
    error_type : str or None
        The error's class in :mod:`cbmwater.errors` (``InputError``, ``ResourceLimitError``...).
    error_i18n : dict or None
        The error as a message dict (``{"code", "params", "text"}``), rendered in a language with
        :func:`cbmwater.render` (docs/i18n.md).
    """

    id: str
    kind: str
    label: str
    state: str
    progress: float
    message: str
    cores: int
    submitted: float
    started: float | None = None
    finished: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    error_type: str | None = None
    error_i18n: dict[str, Any] | None = None

    @property
    def final(self) -> bool:
        """True once the job is ``done``, ``failed`` or ``cancelled``."""
        return self.state in _FINAL

    @property
    def elapsed_s(self) -> float | None:
        """Seconds the job has run (until now while it runs), s; None before it starts."""
        if self.started is None:
            return None
        return (self.finished if self.finished is not None else time.time()) - self.started


class _Job:
    """The runner's own record of a job (mutable; read through :meth:`status`)."""

    def __init__(
        self,
        kind: str,
        label: str,
        fn: Callable[..., Any],
        params: dict[str, Any],
        cores: int,
        limits: Limits | None,
    ) -> None:
        self.fn, self.params, self.limits = fn, params, limits
        self.cpus: tuple[int, ...] = ()
        self.cancel = threading.Event()
        self.status = JobStatus(
            id=uuid.uuid4().hex,
            kind=kind,
            label=label,
            state="queued",
            progress=0.0,
            message="",
            cores=cores,
            submitted=time.time(),
        )


def _cpu_ids() -> list[int]:
    """The CPUs this process may run on."""
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return list(range(os.cpu_count() or 1))


def core_budget() -> int:
    """Cores a :class:`JobRunner` shares out by default: the CPUs this process may run on.

    Examples
    --------
    >>> core_budget() >= 1
    True
    """
    return len(_cpu_ids())


class JobRunner:
    """A queue of long runs executed in worker processes within a core budget.

    Parameters
    ----------
    max_workers : int, optional
        Most jobs running at once (default: the core budget; every job holds at least a core).
    on_done : callable(JobStatus), optional
        Called in this process when a job ends (done, failed or cancelled), before its final
        state is published; an exception it raises is logged and does not stop the runner.
    cores : int, optional
        The core budget (default :func:`core_budget`; at most that).
    limits : Limits, optional
        Memory (MB) and time (s) of each job (default :func:`~cbmwater.study.guard.limits_from_env`
        at each job's start); ``submit(limits=)`` overrides it per job.
    on_progress : callable(job_id, message, fraction), optional
        Called in this process with every progress report of every job, in order.
    executor : Executor, optional
        Where jobs run (each as one :meth:`~cbmwater.executor.Executor.run_isolated` task);
        default :func:`~cbmwater.executor.executor_from_env` (the local pool's executor, or
        Dask on ``$CBMWATER_SCHEDULER``), closed with the runner.  With an executor that is not
        local (Dask), the default budget is its worker threads and jobs are not pinned to CPUs.

    Raises
    ------
    InputError
        ``max_workers`` or ``cores`` is not a positive whole number, or ``cores`` is more than
        the process (or the cluster) may use.
    """

    def __init__(
        self,
        max_workers: int | None = None,
        on_done: Callback | None = None,
        *,
        cores: int | None = None,
        limits: Limits | None = None,
        on_progress: ProgressHook | None = None,
        executor: Executor | None = None,
    ) -> None:
        self._owns_executor = executor is None
        self._executor = executor_from_env() if executor is None else executor
        # the CPUs to share out: this process's, or slots of the cluster's worker threads
        ids = _cpu_ids() if self._executor.local else list(range(self._executor.workers))
        n = len(ids) if cores is None else _positive(cores, "cores")
        if n > len(ids):
            where = Message("job.where.process" if self._executor.local else "job.where.cluster")
            raise InputError(Text.of("job.error.budget", n=n, available=len(ids), where=where))
        self._cpus: list[int] = ids[:n]
        self._free: set[int] = set(self._cpus)
        self._max = n if max_workers is None else _positive(max_workers, "max_workers")
        self.on_done = on_done
        self.on_progress = on_progress
        self._limits = limits
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._jobs: dict[str, _Job] = {}
        self._queue: deque[str] = deque()
        self._running = 0
        self._threads: list[threading.Thread] = []

    # -- reading -------------------------------------------------------------------------------
    @property
    def executor(self) -> Executor:
        """The executor the jobs run on."""
        return self._executor

    @property
    def core_budget(self) -> int:
        """Cores the runner shares out."""
        return len(self._cpus)

    def cores_in_use(self) -> int:
        """Cores held by running jobs now."""
        with self._lock:
            return len(self._cpus) - len(self._free)

    def status(self, job_id: str) -> JobStatus:
        """The job's status now.

        Raises
        ------
        InputError
            No job has this id in this runner.
        """
        with self._lock:
            return self._get(job_id).status

    def jobs(self) -> list[JobStatus]:
        """Every job of this runner, in the order they were submitted."""
        with self._lock:
            return [j.status for j in self._jobs.values()]

    def wait(self, job_id: str, timeout: float | None = None) -> JobStatus:
        """Wait until the job ends or ``timeout`` seconds pass; its status then.

        Parameters
        ----------
        job_id : str
            From :meth:`submit`.
        timeout : float, optional
            Seconds to wait at most (default: until it ends).
        """
        end = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            job = self._get(job_id)
            while not job.status.final:
                left = None if end is None else end - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._changed.wait(left)
            return job.status

    # -- acting --------------------------------------------------------------------------------
    def submit(
        self,
        kind: str,
        fn: str | Callable[..., Any],
        params: Mapping[str, Any] | None = None,
        *,
        label: str = "",
        cores: int | None = None,
        limits: Limits | None = None,
    ) -> str:
        """Queue ``fn(**params)`` as a job; it starts when its cores are free.

        Parameters
        ----------
        kind : str
            One of :data:`KINDS` (what the run is, for the workspace).
        fn : str or callable
            A name in :data:`FUNCTIONS` (the public API function, e.g. ``"optimise"``) or a
            module-level function (sent to the worker by reference).  When it takes
            ``progress``, the worker's reports reach :attr:`JobStatus.progress`.
        params : mapping, optional
            Its keyword arguments; they must be picklable (paths, TOML mappings, numbers).
        label : str
            The user's label.
        cores : int, optional
            Cores the job uses (HiGHS threads, PHREEQC chunk workers); default 1, at most the
            budget.
        limits : Limits, optional
            Memory and time of this job (default: the runner's).

        Returns
        -------
        str
            The job's id.

        Notes
        -----
        The result becomes a dict: a :class:`~cbmwater.study.results.JsonResult` its
        ``.to_dict()``; a list of them (a Pareto front) ``{"points": [...]}``; a DataFrame
        ``{"records": [...]}``; a dict stays as it is; anything else ``{"value": ...}``.

        Raises
        ------
        InputError
            Unknown kind or function name, a function that is not module-level, parameters that
            cannot be sent to a worker, or ``cores`` not a positive whole number.
        """
        if kind not in KINDS:
            raise InputError(Text.of("job.error.kind", kind=repr(kind), allowed=", ".join(KINDS)))
        func = _resolve(fn)
        args = dict(params or {})
        for key, value in args.items():
            try:
                pickle.dumps(value)
            except Exception as exc:  # noqa: BLE001 - any pickling failure means the same
                raise InputError(
                    Text.of("job.error.parameter", key=repr(key), reason=str(exc))
                ) from None
        n = 1 if cores is None else _positive(cores, "cores")
        job = _Job(kind, str(label), func, args, min(n, len(self._cpus)), limits)
        with self._lock:
            self._jobs[job.status.id] = job
            self._queue.append(job.status.id)
            self._dispatch()
        return job.status.id

    def cancel(self, job_id: str) -> bool:
        """Cancel a queued job, or stop a running one (its worker process is ended).

        Returns
        -------
        bool
            False when the job had already ended.
        """
        with self._lock:
            job = self._get(job_id)
            state = job.status.state
            if state == "running":
                job.cancel.set()
                return True
            if state != "queued":
                return False
            self._queue.remove(job_id)
            final = replace(
                job.status,
                state="cancelled",
                finished=time.time(),
                error="the run was cancelled before it started",
                error_type="RunCancelled",
            )
        self._finish(job, final)
        return True

    def close(self, timeout: float | None = 60.0) -> None:
        """Cancel every queued and running job and wait (at most ``timeout`` s each) for their
        workers to end."""
        for st in self.jobs():
            if not st.final:
                self.cancel(st.id)
        for t in list(self._threads):
            t.join(timeout)
        if self._owns_executor:
            self._executor.close()

    # -- inside --------------------------------------------------------------------------------
    def _get(self, job_id: str) -> _Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise InputError(Text.of("job.error.no_job", job=repr(job_id)))
        return job

    def _dispatch(self) -> None:
        """Start queued jobs, in order, while the first one's cores are free (lock held)."""
        while self._queue and self._running < self._max:
            job = self._jobs[self._queue[0]]
            if job.status.cores > len(self._free):
                return
            self._queue.popleft()
            job.cpus = tuple(sorted(self._free)[: job.status.cores])
            self._free.difference_update(job.cpus)
            self._running += 1
            job.status = replace(job.status, state="running", started=time.time())
            t = threading.Thread(
                target=self._run, args=(job,), name=f"cbmwater-job-{job.status.id[:8]}"
            )
            t.daemon = True
            self._threads = [x for x in self._threads if x.is_alive()] + [t]
            t.start()

    def _progress(self, job: _Job, message: str, fraction: float) -> None:
        with self._lock:
            job.status = replace(job.status, progress=float(fraction), message=str(message))
        if self.on_progress is not None:
            try:
                self.on_progress(job.status.id, str(message), float(fraction))
            except Exception:  # noqa: BLE001 - a display hook must not stop the job
                log.exception("on_progress failed for job %s", job.status.id)

    def _run(self, job: _Job) -> None:
        """The parent side of one job (its own thread): run it on the executor, in a guarded
        process of its own, and record the outcome."""
        outcome: dict[str, Any] = {}
        try:
            result = self._executor.run_isolated(
                _execute,
                {"fn": job.fn, "params": job.params},
                cores=len(job.cpus),
                cpus=job.cpus if self._executor.local else (),
                limits=job.limits or self._limits,
                progress=lambda msg, frac: self._progress(job, msg, frac),
                cancel=job.cancel,
            )
            outcome = {"state": "done", "result": result}
        except RunCancelled as exc:
            outcome = {"state": "cancelled", "error": str(exc), "error_type": "RunCancelled"}
        except CbmwaterError as exc:
            outcome = {
                "state": "failed",
                "error": str(exc),
                "error_type": type(exc).__name__,
                "error_i18n": exc.full_message().to_dict(),
            }
        except Exception as exc:  # noqa: BLE001 - the job ends, and says why
            outcome = {
                "state": "failed",
                "error": f"the job could not run: {type(exc).__name__}: {exc}",
                "error_type": type(exc).__name__,
            }
        with self._lock:
            self._free.update(job.cpus)
            self._running -= 1
            final = replace(job.status, finished=time.time(), **outcome)
            self._dispatch()
        self._finish(job, final)

    def _finish(self, job: _Job, final: JobStatus) -> None:
        """Hand the final status to ``on_done``, then publish it."""
        if self.on_done is not None:
            try:
                self.on_done(final)
            except Exception:  # noqa: BLE001 - saving must not stop the runner
                log.exception("on_done failed for job %s", final.id)
        with self._changed:
            job.status = final
            self._changed.notify_all()


def _positive(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(Text.of("job.error.positive", name=name, value=repr(value)))
    return value


def _resolve(fn: str | Callable[..., Any]) -> Callable[..., Any]:
    """The function a job names: a name of :data:`FUNCTIONS` or a module-level callable."""
    if isinstance(fn, str):
        if fn not in FUNCTIONS:
            raise InputError(
                Text.of("job.error.function", fn=repr(fn), allowed=", ".join(FUNCTIONS))
            )
        if fn == "characterise_file":
            return characterise_file
        from .. import study

        func: Callable[..., Any] = getattr(study, fn)
        return func
    if not callable(fn):
        raise InputError(Text.of("job.error.not_a_function", type=type(fn).__name__))
    try:
        pickle.dumps(fn)
    except Exception:  # noqa: BLE001 - lambdas, closures, bound methods of local objects
        raise InputError(Text.of("job.error.not_module_level", fn=repr(fn))) from None
    return fn


def _takes_progress(fn: Callable[..., Any]) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
        return False


def _plain(result: Any) -> dict[str, Any]:
    """A job's result as a dict (see :meth:`JobRunner.submit`)."""
    import pandas as pd

    from .outputs import jsonable
    from .results import JsonResult

    if isinstance(result, JsonResult):
        return result.to_dict()
    if isinstance(result, dict):
        return result
    if isinstance(result, list) and result and all(isinstance(r, JsonResult) for r in result):
        return {"points": [r.to_dict() for r in result]}
    if isinstance(result, pd.DataFrame):
        return {"records": _rows(result)}
    return {"value": jsonable(result)}


def _rows(records: Any) -> list[dict[str, Any]]:
    """Records (a DataFrame) as JSON-ready rows (NaN as None), as ``--format json`` writes."""
    from .outputs import jsonable

    rows = records.astype(object).where(records.notna(), None).to_dict(orient="records")
    out: list[dict[str, Any]] = jsonable(rows)  # type: ignore[assignment]
    return out


def _execute(
    fn: Callable[..., Any],
    params: dict[str, Any],
    *,
    progress: Callable[[str, float], None],
) -> dict[str, Any]:
    """The worker side of a job (in its guarded process, already held to the job's cores)."""
    last = [0.0]

    def report(message: str, fraction: float) -> None:
        last[0] = float(fraction)
        progress(message, fraction)

    report(Text.of("job.progress.started"), 0.0)
    kwargs = dict(params)
    if _takes_progress(fn):
        kwargs["progress"] = report
    result = fn(**kwargs)
    if isinstance(result, Iterator):  # a streamed result (DataFrame chunks)
        import pandas as pd

        result = pd.concat(list(result), ignore_index=True)
    out = _plain(result)
    if last[0] < 1.0:
        report(Text.of("job.progress.done"), 1.0)
    return out


def characterise_file(
    source: str | os.PathLike[str] | bytes,
    *,
    chunk_rows: int = 20000,
    progress: Callable[[str, float], object] | None = None,
    filename: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Characterise a lab file for a job: streamed in chunks with progress when it is a CSV
    file (:func:`~cbmwater.study.water.characterise_chunks`), whole otherwise.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        The lab file (a path) or its bytes.
    chunk_rows : int
        Samples per chunk of a streamed file.
    progress : callable(message, fraction), optional
        Called after each chunk.
    filename : str, optional
        The name ``source`` was uploaded under when it is bytes (an app upload): its suffix
        chooses the reader, a CSV is copied to a temporary folder and streamed, and the
        provenance's ``source`` is this name.
    **options
        As for :func:`~cbmwater.study.water.characterisation`.

    Returns
    -------
    dict
        ``provenance`` and ``records`` as ``cbmwater characterise --format json`` writes them
        (NaN as null), ``samples`` (count) and ``qa_counts`` (samples per ``qa_flag``).

    Examples
    --------
    >>> from cbmwater.resources import example_path
    >>> out = characterise_file(example_path("qinshui", "analyses.csv"))
    >>> out["samples"] == len(out["records"]) == sum(out["qa_counts"].values())
    True
    """
    import pandas as pd

    from .water import STREAM_SUFFIXES, characterisation, characterise_chunks, lab_upload

    if isinstance(source, bytes) and filename is not None:
        name = Path(filename).name
        if Path(name).suffix.lower() not in STREAM_SUFFIXES:
            source = lab_upload(source, name)  # type: ignore[assignment]  # Excel: read whole
        else:
            import tempfile

            from ..outpaths import write_atomic

            data = source
            with tempfile.TemporaryDirectory(prefix="cbmwater_upload_") as tmp:
                path = Path(tmp) / name
                write_atomic(path, lambda p: p.write_bytes(data))
                out = characterise_file(path, chunk_rows=chunk_rows, progress=progress, **options)
            out["provenance"]["source"] = name
            return out
    if isinstance(source, (str, os.PathLike)) and Path(source).suffix.lower() in STREAM_SUFFIXES:
        frames = list(
            characterise_chunks(source, chunk_rows=chunk_rows, progress=progress, **options)
        )
        records = pd.concat(frames, ignore_index=True)
        provenance = dict(frames[-1].attrs.get("provenance", {})) if frames else {}
        records.attrs = {}
    else:
        result = characterisation(source, **options)
        records, provenance = result.records, dict(result.provenance)
    counts = records["qa_flag"].value_counts() if "qa_flag" in records else pd.Series(dtype=int)
    from .outputs import jsonable

    return {
        "provenance": jsonable(provenance),
        "records": _rows(records),
        "samples": int(len(records)),
        "qa_counts": {str(k): int(v) for k, v in counts.items()},
    }


_DEFAULT: JobRunner | None = None
_DEFAULT_PID: int | None = None
_DEFAULT_LOCK = threading.Lock()


def default_runner() -> JobRunner:
    """This process's runner (one per process: the Streamlit server's, shared by its sessions).

    Set its ``on_done`` once, to a function that saves a finished run for every session (not
    to a closure over one session's state).

    Examples
    --------
    >>> default_runner() is default_runner()
    True
    """
    global _DEFAULT, _DEFAULT_PID
    with _DEFAULT_LOCK:
        if _DEFAULT is None or os.getpid() != _DEFAULT_PID:
            _DEFAULT, _DEFAULT_PID = JobRunner(), os.getpid()
        return _DEFAULT
