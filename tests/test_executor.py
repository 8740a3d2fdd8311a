"""One executor (issue 15): same seed, same results with 1 or 2 workers, pool or Dask.

Each task draws a random water from its own seed and speciates it with PHREEQC (a real run);
the oracle is the same computation done in this process, task by task, from task_seed.
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest

from cbmwater.errors import InputError
from cbmwater.executor import (
    SCHEDULER_ENV,
    SOLVER_THREADS_ENV,
    LocalExecutor,
    executor_from_env,
    get_executor,
    task_seed,
)
from cbmwater.optimize.solver import THREADS_ENV
from tests.executor_tasks import calcite_si_of_random_water, square, worker_view

N, SEED = 12, 2026


@pytest.fixture(scope="module")
def in_process():
    return [calcite_si_of_random_water((i, task_seed(SEED, i))) for i in range(N)]


def test_task_seed_depends_on_seed_and_index_only():
    seeds = {task_seed(SEED, i) for i in range(1000)}
    assert len(seeds) == 1000
    assert task_seed(SEED, 5) == task_seed(SEED, 5)
    assert task_seed(SEED, 5) != task_seed(SEED + 1, 5)
    # independent streams: the first draws of neighbouring tasks are uncorrelated
    draws = np.array([np.random.default_rng(task_seed(SEED, i)).random() for i in range(2000)])
    assert abs(np.corrcoef(draws[:-1], draws[1:])[0, 1]) < 0.1


@pytest.mark.parametrize("workers", [1, 2])
def test_process_pool_matches_in_process(workers, in_process):
    done = []
    with get_executor(workers) as ex:
        got = ex.map_seeded(
            calcite_si_of_random_water, N, SEED, progress=lambda d, t: done.append((d, t))
        )
    assert got == in_process  # identical floats, in task order
    assert done == [(i + 1, N) for i in range(N)]
    # the chemistry is real: calcite SI rises with Ca at fixed pH and alkalinity
    by_ca = sorted((ca, si) for _, ca, si in got)
    assert all(b[1] > a[1] for a, b in zip(by_ca, by_ca[1:]))


@pytest.mark.slow
def test_dask_local_cluster_matches_the_pool(in_process):
    with get_executor(2, "local-dask") as ex:
        assert ex.kind == "dask"
        got = ex.map_seeded(calcite_si_of_random_water, N, SEED)
    assert got == in_process


def test_imap_keeps_order_and_bounds_the_window():
    submitted = []

    class Counting(LocalExecutor):
        def submit(self, fn, *args):
            submitted.append(args[0])
            return super().submit(fn, *args)

    with Counting(2) as ex:
        stream = ex.imap(square, iter(range(50)), window=3)
        first = next(stream)
        # one result taken: no more than the window was ever submitted
        assert first == 0 and len(submitted) <= 3
        rest = list(stream)
    assert [first, *rest] == [i * i for i in range(50)]


def test_bad_executor_settings_are_messages():
    with pytest.raises(InputError, match="workers must be >= 1"):
        get_executor(0)
    with pytest.raises(InputError, match="neither 'local-dask' nor an address"):
        get_executor(1, "http://nowhere")


def test_pool_workers_have_one_core_each_whatever_the_parents_setting(monkeypatch):
    monkeypatch.setenv(SOLVER_THREADS_ENV, "4")  # inherited by the spawned workers
    monkeypatch.setenv("CBMWATER_PHREEQC_WORKERS", "4")
    before = len(multiprocessing.active_children())
    with LocalExecutor(2) as ex:
        # no process until the first task
        assert len(multiprocessing.active_children()) == before
        views = ex.map(worker_view, range(8))
        pids = {v["pid"] for v in views}
        assert os.getpid() not in pids and len(pids) <= 2
        assert set(ex.worker_pids) == pids and sum(ex.worker_pids.values()) == 8
    for v in views:
        assert v["highs_threads"] == 1 and v["phreeqc_workers"] == 1
        assert v["cpus"] == sorted(os.sched_getaffinity(0))  # the parent's affinity
    assert SOLVER_THREADS_ENV == THREADS_ENV  # the name the solver reads


def test_the_scheduler_of_long_lived_callers_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    with executor_from_env() as ex:
        assert ex.kind == "process-pool" and ex.local
    monkeypatch.setenv(SCHEDULER_ENV, "http://nowhere")
    with pytest.raises(InputError, match="neither 'local-dask' nor an address"):
        executor_from_env()
    from cbmwater.study.jobs import JobRunner

    with pytest.raises(InputError, match="neither 'local-dask' nor an address"):
        JobRunner()


def test_map_tasks_runs_in_a_daemonic_process_one_after_another_with_the_same_result():
    """A daemonic process may not start a pool: map_tasks then runs the tasks itself, in this
    process, and the seeded results equal those of a 2-worker pool (each task's randomness is
    its item's).  The daemonic flag is set on this process for the call (a real pool worker
    under pytest-xdist cannot be relied on to start)."""
    from cbmwater.executor import map_tasks, task_seed
    from tests.executor_tasks import seed_and_pid

    items = [(i, task_seed(7, i)) for i in range(6)]
    me = multiprocessing.current_process()
    done: list[int] = []
    me.daemon = True
    try:
        inside = map_tasks(seed_and_pid, items, progress=lambda k, _t: done.append(k))
    finally:
        me.daemon = False
    assert done == list(range(1, 7))
    assert {pid for *_, pid in inside} == {os.getpid()}  # all here, none in a pool
    pooled = map_tasks(seed_and_pid, items, workers=2)
    assert os.getpid() not in {pid for *_, pid in pooled}
    assert [r[:2] for r in inside] == [r[:2] for r in pooled]
    assert [r[0] for r in pooled] == list(range(6)) and len({r[1] for r in pooled}) == 6
