"""One executor for every parallel loop: a local process pool or a Dask cluster.

Precompute, Monte Carlo scenarios, stochastic evaluation, batch characterisation and the app's
background jobs all hand their independent tasks to an :class:`Executor`:

* :class:`LocalExecutor` -- a process pool (``spawn``: every worker has its own PHREEQC and
  Pyomo, nothing shared across threads), by default one worker per core;
* :class:`DaskExecutor` -- Dask distributed, on a scheduler at ``tcp://host:port`` (several
  machines; see ``docs/executor.md``) or on a ``LocalCluster`` started here (``"local-dask"``).

Results come back in the order of the tasks, whatever order they finish in, and a task's random
numbers come from :func:`task_seed` (the run's seed and the task's index only), so a run gives
identical results with 1 or 2 workers, with the pool or with Dask.

Memory stays bounded: :meth:`Executor.imap` keeps at most ``window`` tasks in flight (default
2 × workers) and yields results as soon as they are next in order, so a stream of a million
analyses never has more than a few chunks in memory.

Tasks must be module-level functions (they are pickled by reference); on a remote cluster the
workers need the same cbmwater version installed.

**One core per worker.**  A worker of the local pool runs one task at a time, with one HiGHS
thread and one PHREEQC instance (``CBMWATER_SOLVER_THREADS=1``, ``CBMWATER_PHREEQC_WORKERS=1``
are set in each worker, whatever the parent's settings), and inherits the parent's CPU
affinity: a pool started inside a job of two cores has two workers on those two cores.

**Long tasks in a process of their own.**  :meth:`Executor.run_isolated` runs one long task
(the job runner's unit, :mod:`cbmwater.study.jobs`) in a guarded process of its own
(:func:`cbmwater.spawning.run_guarded`: memory and time limits, cancel, progress) held to the
cores it was given; on Dask, that process is started on a worker of the cluster.  The pool's
processes are started only when :meth:`~Executor.submit` is first called, so an executor that
only runs isolated tasks holds no idle processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

import numpy as np

from .errors import InputError, RunCancelled
from .geochem.engine import PHREEQC_WORKERS_ENV, available_cores, phreeqc_workers
from .i18n import Text
from .spawning import Limits, limits_from_env, program_main, run_guarded

__all__ = [
    "Executor",
    "LocalExecutor",
    "DaskExecutor",
    "get_executor",
    "map_tasks",
    "task_seed",
    "available_cores",
    "Progress",
    "SCHEDULER_ENV",
    "SOLVER_THREADS_ENV",
    "executor_from_env",
]

log = logging.getLogger(__name__)

#: the scheduler of long-lived callers (the app's job runner): unset for the local process
#: pool, ``local-dask`` or ``tcp://host:port`` for Dask (:func:`executor_from_env`)
SCHEDULER_ENV = "CBMWATER_SCHEDULER"
#: HiGHS threads of a process (the same name as :data:`cbmwater.optimize.solver.THREADS_ENV`;
#: the solver's layer is above this one)
SOLVER_THREADS_ENV = "CBMWATER_SOLVER_THREADS"

T = TypeVar("T")
R = TypeVar("R")

#: progress callback: (tasks done, tasks in all or None when the stream's length is unknown)
Progress = Callable[[int, int | None], None]


def task_seed(seed: int, index: int) -> int:
    """The random seed of task ``index`` of a run seeded with ``seed``.

    NumPy's :class:`numpy.random.SeedSequence` with the index as spawn key: streams of different
    tasks are independent, and the seed depends on nothing but (seed, index) -- not on the
    executor, the worker or the order of execution.

    Parameters
    ----------
    seed : int
        The run's seed (>= 0).
    index : int
        The task's position in the run (>= 0).

    Returns
    -------
    int
        A 63-bit seed for :func:`numpy.random.default_rng`.

    Examples
    --------
    >>> task_seed(42, 0) == task_seed(42, 0) != task_seed(42, 1)
    True
    """
    if seed < 0 or index < 0:
        raise InputError(Text.of("executor.error.seed_index", seed=seed, index=index))
    state = np.random.SeedSequence(seed, spawn_key=(index,)).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1


class Executor(ABC):
    """Runs independent tasks in order-preserving, bounded batches (see the module docstring)."""

    kind: str = "executor"
    #: True when tasks run on this machine (the job runner then pins jobs to CPUs of its own)
    local: bool = True

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise InputError(Text.of("executor.error.workers", value=workers))
        self.workers = workers

    @abstractmethod
    def submit(self, fn: Callable[..., R], *args: Any) -> Any:
        """Start ``fn(*args)``; a future whose ``result()`` gives its value."""

    @abstractmethod
    def close(self) -> None:
        """End the executor's processes (or its cluster connection)."""

    @staticmethod
    def _result(future: Any) -> Any:
        return future.result()

    def imap(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        window: int | None = None,
        progress: Progress | None = None,
        total: int | None = None,
    ) -> Iterator[R]:
        """``fn(item)`` for every item, yielded in the items' order.

        Parameters
        ----------
        fn : callable
            A module-level function of one argument.
        items : iterable
            Consumed lazily: at most ``window`` tasks are in flight.
        window : int, optional
            Tasks in flight (default 2 × workers).
        progress : callable, optional
            Called with (done, total) after each result.
        total : int, optional
            The number of items, for progress (default ``len(items)`` when it has one).
        """
        limit = window or 2 * self.workers
        if total is None and isinstance(items, Sequence):
            total = len(items)
        pending: deque[Any] = deque()
        done = 0
        iterator = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    item = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                pending.append(self.submit(fn, item))
            if not pending:
                return
            result = self._result(pending.popleft())
            done += 1
            if progress is not None:
                progress(done, total)
            yield result

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        progress: Progress | None = None,
    ) -> list[R]:
        """All of :meth:`imap` as a list (window = every task: fastest when results are small)."""
        seq = list(items)
        return list(self.imap(fn, seq, window=max(1, len(seq)), progress=progress))

    def map_seeded(
        self,
        fn: Callable[[tuple[int, int]], R],
        n: int,
        seed: int,
        *,
        progress: Progress | None = None,
    ) -> list[R]:
        """``fn((index, task_seed(seed, index)))`` for index 0..n-1, in order."""
        return self.map(fn, [(i, task_seed(seed, i)) for i in range(n)], progress=progress)

    def run_isolated(
        self,
        fn: Callable[..., R],
        kwargs: dict[str, Any],
        *,
        cores: int = 1,
        cpus: Sequence[int] = (),
        limits: Limits | None = None,
        progress: Callable[[str, float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> R:
        """``fn(**kwargs)`` in a guarded process of its own, held to ``cores`` cores.

        The job runner's unit of work (:mod:`cbmwater.study.jobs`).  Here: a fresh ``spawn``
        process on this machine (:func:`cbmwater.spawning.run_guarded`); :class:`DaskExecutor`
        starts it on a worker of the cluster.  In that process ``CBMWATER_SOLVER_THREADS`` and
        ``CBMWATER_PHREEQC_WORKERS`` are ``cores`` and, when ``cpus`` are given, its CPU
        affinity is those CPUs; it may start a pool of its own (:func:`get_executor`), whose
        workers inherit the affinity.

        Parameters
        ----------
        fn : callable
            A module-level function; with ``progress``, it must take ``progress=``.
        kwargs : dict
            Its keyword arguments (picklable).
        cores : int
            Cores the task may use (>= 1).
        cpus : sequence of int
            CPUs to pin it to (Linux; empty: not pinned).
        limits : Limits, optional
            Memory (MB) and time (s); default :func:`cbmwater.spawning.limits_from_env`.
        progress : callable(message, fraction), optional
            Receives the task's progress reports, in order, in the caller's thread.
        cancel : threading.Event, optional
            Set it (from another thread) to end the task: :class:`RunCancelled` is raised.

        Returns
        -------
        What ``fn`` returned.

        Raises
        ------
        ResourceLimitError, RunCancelled, CbmwaterError
            As :func:`cbmwater.spawning.run_guarded`.
        """
        _positive_cores(cores)
        return run_guarded(
            _confined,
            fn,
            kwargs,
            cores,
            tuple(cpus),
            limits=limits or limits_from_env(),
            progress=progress,
            cancel=cancel,
        )

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _positive_cores(cores: int) -> None:
    if isinstance(cores, bool) or not isinstance(cores, int) or cores < 1:
        raise InputError(Text.of("executor.error.cores", value=repr(cores)))


def _confined(
    fn: Callable[..., R],
    kwargs: dict[str, Any],
    cores: int,
    cpus: tuple[int, ...],
    progress: Callable[[str, float], None] | None = None,
) -> R:
    """The isolated side of :meth:`Executor.run_isolated`: hold this process to its cores
    (HiGHS threads, PHREEQC instances, CPU affinity), then run ``fn``."""
    os.environ[SOLVER_THREADS_ENV] = str(cores)
    os.environ[PHREEQC_WORKERS_ENV] = str(cores)
    if cpus and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, cpus)
        except OSError:  # pragma: no cover - a container that forbids it
            log.warning("could not set the CPU affinity of process %d", os.getpid())
    if progress is not None:
        return fn(**kwargs, progress=progress)
    return fn(**kwargs)


def _one_core() -> None:
    """A pool worker's start: one HiGHS thread and one PHREEQC instance (the pool's workers are
    the parallelism), whatever the parent's settings."""
    os.environ[SOLVER_THREADS_ENV] = "1"
    os.environ[PHREEQC_WORKERS_ENV] = "1"


def _ready() -> int:
    """A no-op task: the worker has started; its process id."""
    return os.getpid()


def _traced(fn: Callable[..., R], *args: Any) -> tuple[int, R]:
    """``fn(*args)`` and the id of the worker process that ran it."""
    return os.getpid(), fn(*args)


class LocalExecutor(Executor):
    """A pool of ``workers`` spawned processes on this machine (default: every core).

    The processes start at the first :meth:`submit` (all of them at once, see below) and end
    with :meth:`close`.  Each has one HiGHS thread and one PHREEQC instance and inherits this
    process's CPU affinity.  :attr:`worker_pids` are the processes that ran tasks (logged at
    ``DEBUG`` when the executor closes).

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: the cores this process may use, :func:`available_cores`,
        or fewer when ``CBMWATER_PHREEQC_WORKERS`` says so -- a job's process holds it at the
        job's cores, which on a Dask worker's machine is not pinned to CPUs).
    """

    kind = "process-pool"

    def __init__(self, workers: int | None = None) -> None:
        super().__init__(workers or phreeqc_workers())
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        #: process ids of the workers that ran tasks, with the count of tasks each ran
        self.worker_pids: dict[int, int] = {}

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=get_context("spawn"),
                    initializer=_one_core,
                )
                # start every worker now, inside program_main(): a worker started later from a
                # host that runs scripts as __main__ (Streamlit, AppTest) would re-run it
                with program_main():
                    for started in [pool.submit(_ready) for _ in range(self.workers)]:
                        started.result()
                self._pool = pool
            return self._pool

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        inner = self._started().submit(_traced, fn, *args)
        outer: Future[R] = Future()

        def unwrap(done: Future[tuple[int, R]]) -> None:
            try:
                pid, value = done.result()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's future
                outer.set_exception(exc)
                return
            with self._lock:
                self.worker_pids[pid] = self.worker_pids.get(pid, 0) + 1
            outer.set_result(value)

        inner.add_done_callback(unwrap)
        return outer

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self.worker_pids:
            log.debug(
                "process pool of %d workers: tasks ran on %d of them (pids %s)",
                self.workers,
                len(self.worker_pids),
                sorted(self.worker_pids),
            )


_DASK_POLL_S = 0.2


def _on_dask_worker(
    fn: Callable[..., R],
    kwargs: dict[str, Any],
    cores: int,
    limits: Limits,
    key: str,
    with_progress: bool,
) -> R:
    """The task :meth:`DaskExecutor.run_isolated` sends: on a Dask worker, run ``fn`` guarded,
    its progress put on the run's Dask ``Queue``, its cancel read from the run's ``Event``."""
    import multiprocessing

    from distributed import Event, Queue

    if multiprocessing.current_process().daemon:
        raise InputError(Text.of("executor.error.daemonic_dask_worker"))
    reports = Queue(f"cbmwater-progress-{key}") if with_progress else None
    stop = Event(f"cbmwater-cancel-{key}")
    cancel = threading.Event()
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.5):
            if stop.is_set():
                cancel.set()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return run_guarded(
            _confined,
            fn,
            kwargs,
            cores,
            (),
            limits=limits,
            progress=None if reports is None else lambda m, f: reports.put((m, f)),
            cancel=cancel,
        )
    finally:
        finished.set()
        watcher.join()


class DaskExecutor(Executor):
    """Tasks on a Dask distributed cluster.

    Parameters
    ----------
    scheduler : str
        ``"tcp://host:8786"`` (a running ``dask scheduler``; workers started with
        ``dask worker tcp://host:8786 --nthreads 1``) or ``"local-dask"`` for a
        ``LocalCluster`` of ``workers`` single-threaded worker processes on this machine.
    workers : int, optional
        Workers of a local cluster (default :func:`available_cores`); for a remote scheduler,
        the cluster's own count of worker threads is used for the window.
    """

    kind = "dask"
    local = False

    def __init__(self, scheduler: str, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise InputError(Text.of("executor.error.no_distributed")) from exc
        self._cluster: Any = None
        if scheduler == "local-dask":
            n = workers or available_cores()
            import dask

            # workers are spawned now (see LocalExecutor), not daemonic: an isolated task
            # (run_isolated) starts its guarded process there
            with program_main(), dask.config.set({"distributed.worker.daemon": False}):
                self._cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
            self._client = Client(self._cluster)
        elif scheduler.startswith("tcp://"):
            try:
                self._client = Client(scheduler, timeout="10s")
            except OSError as exc:
                raise InputError(
                    Text.of("executor.error.unreachable", scheduler=scheduler, reason=str(exc))
                ) from exc
            threads = sum(self._client.nthreads().values())
            n = max(1, threads)
        else:
            raise InputError(Text.of("executor.error.scheduler", scheduler=repr(scheduler)))
        super().__init__(n)

    def submit(self, fn: Callable[..., R], *args: Any) -> Any:
        # pure=False: a task is never skipped as a duplicate of another with equal arguments
        return self._client.submit(fn, *args, pure=False)

    def run_isolated(
        self,
        fn: Callable[..., R],
        kwargs: dict[str, Any],
        *,
        cores: int = 1,
        cpus: Sequence[int] = (),
        limits: Limits | None = None,
        progress: Callable[[str, float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> R:
        """As :meth:`Executor.run_isolated`, in a guarded process started on a worker of the
        cluster (``cpus`` are ignored: they name this machine's CPUs).  Progress comes back
        through a Dask ``Queue``, a cancel goes out through a Dask ``Event``; the workers must
        not be daemonic (``DASK_DISTRIBUTED__WORKER__DAEMON=False``, see docs/executor.md)."""
        from distributed import Event, Queue

        _positive_cores(cores)
        key = uuid.uuid4().hex
        reports = Queue(f"cbmwater-progress-{key}", client=self._client)
        stop = Event(f"cbmwater-cancel-{key}", client=self._client)
        future = self._client.submit(
            _on_dask_worker,
            fn,
            kwargs,
            cores,
            limits or limits_from_env(),
            key,
            progress is not None,
            pure=False,
        )

        def drain() -> None:
            if progress is None:
                return
            for message, fraction in reports.get(batch=True):
                progress(message, fraction)

        try:
            while not future.done():
                if cancel is not None and cancel.is_set():
                    stop.set()
                    raise RunCancelled(Text.of("guard.error.cancelled"))
                drain()
                time.sleep(_DASK_POLL_S)
            drain()
            value: R = future.result()
            return value
        finally:
            if not future.done():
                future.cancel()
            reports.close()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def executor_from_env() -> Executor:
    """The executor of a long-lived caller (the app's job runner): Dask on
    ``$CBMWATER_SCHEDULER`` (``local-dask`` or ``tcp://host:port``) when it is set, else the
    local process pool (whose processes start only when tasks are submitted).

    Raises
    ------
    InputError
        The variable names neither, or the scheduler cannot be reached.

    Examples
    --------
    >>> import os
    >>> executor_from_env().kind if SCHEDULER_ENV not in os.environ else "process-pool"
    'process-pool'
    """
    scheduler = os.environ.get(SCHEDULER_ENV, "").strip()
    return get_executor(scheduler=scheduler or None)


def get_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for ``--workers K`` and ``--scheduler ADDRESS|local-dask``.

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: every core).
    scheduler : str, optional
        None for the local process pool; ``"local-dask"`` or ``"tcp://host:port"`` for Dask.

    Returns
    -------
    Executor
        Use it as a context manager so that its processes end with the run.
    """
    if workers is not None and workers < 1:
        raise InputError(Text.of("executor.error.workers_option", value=workers))
    if scheduler is None:
        return LocalExecutor(workers)
    return DaskExecutor(scheduler, workers)


def map_tasks(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> list[R]:
    """``[fn(item) for item in items]`` on :func:`get_executor` (results in order).

    A daemonic process (a ``multiprocessing.Pool`` worker, a Dask worker started with
    ``daemon=True``) may not start a pool: there, without a scheduler, the tasks run in this
    process one after another.  The result is the same: each task's randomness comes from its
    item (:func:`task_seed`), not from where it runs.  The job runner's processes are not
    daemonic (docs/jobs.md), so a job's tasks do get a pool of the job's cores.

    Parameters
    ----------
    fn : callable
        A module-level function of one item (pickled by reference).
    items : sequence
        The tasks' inputs.
    workers, scheduler : optional
        As for :func:`get_executor`.
    progress : callable(done, total), optional
        Called as tasks finish.

    Returns
    -------
    list
        ``fn(item)`` for each item, in the order of ``items``.
    """
    if scheduler is None and multiprocessing.current_process().daemon:
        out = []
        for k, item in enumerate(items):
            out.append(fn(item))
            if progress is not None:
                progress(k + 1, len(items))
        return out
    with get_executor(workers, scheduler) as ex:
        return ex.map(fn, items, progress=progress)
