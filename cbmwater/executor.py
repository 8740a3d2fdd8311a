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
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

import numpy as np

from .errors import InputError
from .geochem.engine import available_cores
from .spawning import program_main

__all__ = [
    "Executor",
    "LocalExecutor",
    "DaskExecutor",
    "get_executor",
    "task_seed",
    "available_cores",
    "Progress",
]

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
        raise InputError(f"seed and index must be >= 0; got seed={seed}, index={index}")
    state = np.random.SeedSequence(seed, spawn_key=(index,)).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1


class Executor(ABC):
    """Runs independent tasks in order-preserving, bounded batches (see the module docstring)."""

    kind: str = "executor"

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise InputError(f"workers must be >= 1; got {workers}")
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

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ready() -> bool:
    """A no-op task: the worker has started."""
    return True


class LocalExecutor(Executor):
    """A pool of ``workers`` spawned processes on this machine (default: every core).

    Parameters
    ----------
    workers : int, optional
        Worker processes (default :func:`available_cores`).
    """

    kind = "process-pool"

    def __init__(self, workers: int | None = None) -> None:
        super().__init__(workers or available_cores())
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"))
        # start every worker now, inside program_main(): a worker started later from a host
        # that runs scripts as __main__ (Streamlit, AppTest) would re-run that script
        with program_main():
            for started in [self._pool.submit(_ready) for _ in range(self.workers)]:
                started.result()

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


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

    def __init__(self, scheduler: str, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise InputError(
                "the Dask executor needs the 'distributed' package: pip install 'dask[distributed]'"
            ) from exc
        self._cluster: Any = None
        if scheduler == "local-dask":
            n = workers or available_cores()
            with program_main():  # its workers are spawned now (see LocalExecutor)
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
                    f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                    "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`"
                ) from exc
            threads = sum(self._client.nthreads().values())
            n = max(1, threads)
        else:
            raise InputError(
                f"scheduler {scheduler!r} is neither 'local-dask' nor an address 'tcp://host:port'"
            )
        super().__init__(n)

    def submit(self, fn: Callable[..., R], *args: Any) -> Any:
        # pure=False: a task is never skipped as a duplicate of another with equal arguments
        return self._client.submit(fn, *args, pure=False)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


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
        raise InputError(f"--workers must be >= 1; got {workers}")
    if scheduler is None:
        return LocalExecutor(workers)
    return DaskExecutor(scheduler, workers)
