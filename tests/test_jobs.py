"""The job runner (cbmwater.study.jobs, issue 14 deliver 6): long runs as jobs in worker
processes, within a core budget.

Oracles: the same API call made directly in this process (results must be equal, timings
aside); the engine's own error for a bad input, raised directly; the guard's limit messages;
and, for the core rule, what each worker process itself reports (its CPU affinity, the HiGHS
thread setting and :func:`available_cores` it sees, with its start and end times), from which the
test adds up the cores of the jobs that overlapped in time.

The functions the workers run are defined here at module level (a spawned child imports them
by name).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

import cbmwater
from cbmwater.errors import InputError
from cbmwater.optimize.solver import default_threads
from cbmwater.resources import example_path
from cbmwater.study.guard import Limits
from cbmwater.study.jobs import JobRunner, JobStatus, core_budget, default_runner
from cbmwater.study.outputs import records_json
from tests.executor_tasks import worker_view

HAND = Path(__file__).parent / "data" / "optimise" / "hand" / "case.toml"
TIMINGS = ("timings", "solve_seconds")


# -- what the workers run ------------------------------------------------------------------------
def hold(seconds: float, log: str, tag: str, meet: str | None = None) -> dict:
    """Record what this worker may use (its own view) and when, holding it for ``seconds``;
    with ``meet``, first wait (at most 120 s) until the job tagged ``meet`` is running too."""
    from cbmwater.geochem.engine import available_cores

    start = time.time()
    Path(log, f"{tag}.here").touch()
    met = None
    if meet is not None:
        deadline = time.monotonic() + 120
        while not Path(log, f"{meet}.here").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        met = Path(log, f"{meet}.here").exists()
    time.sleep(seconds)
    rec = {
        "tag": tag,
        "pid": os.getpid(),
        "cpus": sorted(os.sched_getaffinity(0)),
        "phreeqc_workers": available_cores(),
        "highs_threads": default_threads(),
        "met": met,
        "start": start,
        "end": time.time(),
    }
    Path(log, f"{tag}.json").write_text(json.dumps(rec))
    return rec


def sleeper(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def hog(total_mb: int) -> int:
    """Allocate (and touch) memory 20 MB at a time, slowly enough for the watchdog to look."""
    blocks = []
    for _ in range(total_mb // 20):
        blocks.append(b"\x01" * (20 * 1024 * 1024))
        time.sleep(0.01)
    return len(blocks)


def monte_carlo(case: str, samples: int, seed: int) -> dict:
    """In a job's process: :func:`cbmwater.uncertainty` as the app's job runs it (the default
    executor), with the workers its pool says ran the scenarios (its ``DEBUG`` log), and what
    the workers of a pool started here may use."""
    import logging

    from cbmwater.executor import get_executor

    pools: list[tuple] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            pools.append(tuple(record.args or ()))

    logger = logging.getLogger("cbmwater.executor")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Keep())
    result = cbmwater.uncertainty(case, samples=samples, seed=seed).to_dict()
    with get_executor() as ex:
        views = ex.map(worker_view, range(4 * ex.workers))
    return {
        "result": result,
        "pools": [{"workers": w, "used": u, "pids": p} for w, u, p in pools[:1]],
        "views": views,
        "job_pid": os.getpid(),
        "job_cpus": sorted(os.sched_getaffinity(0)),
    }


# -- helpers ---------------------------------------------------------------------------------------
class Recorder:
    """Progress reports and on_done calls, as the runner makes them in this process."""

    def __init__(self) -> None:
        self.progress: dict[str, list[tuple[str, float]]] = {}
        self.done: list[JobStatus] = []
        self.lock = threading.Lock()

    def on_progress(self, job: str, message: str, fraction: float) -> None:
        with self.lock:
            self.progress.setdefault(job, []).append((message, fraction))

    def on_done(self, status: JobStatus) -> None:
        with self.lock:
            self.done.append(status)


def runner(rec: Recorder | None = None, **kw) -> JobRunner:
    rec = rec or Recorder()
    return JobRunner(on_done=rec.on_done, on_progress=rec.on_progress, **kw)


def without_timings(d: dict) -> dict:
    """A plan without its wall-clock times (``timings``, ``solve_seconds`` and the injectate
    screen's ``seconds``): the only fields two runs of one case may differ in."""
    out = {k: v for k, v in d.items() if k not in TIMINGS}
    if isinstance(out.get("injectate_screen"), dict):
        out["injectate_screen"] = {
            k: v for k, v in out["injectate_screen"].items() if k != "seconds"
        }
    return out


def assert_monotone_to_one(reports: list[tuple[str, float]]) -> None:
    fractions = [f for _, f in reports]
    assert len(fractions) >= 3
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert all(b >= a for a, b in zip(fractions, fractions[1:])), fractions
    assert fractions[0] == 0.0 and fractions[-1] == 1.0


# -- results -----------------------------------------------------------------------------------------
def test_an_optimisation_job_equals_the_direct_call_and_reports_its_phases():
    rec = Recorder()
    r = runner(rec)
    job = r.submit("optimise", "optimise", {"case": str(HAND)}, label="hand case")
    st = r.wait(job, timeout=300)
    assert st.state == "done", st.error
    assert st.kind == "optimise" and st.label == "hand case" and st.error is None
    assert st.started is not None and st.finished is not None
    assert st.submitted <= st.started <= st.finished
    direct = cbmwater.optimise(HAND).to_dict()
    assert st.result is not None
    assert without_timings(st.result) == without_timings(direct)
    assert st.result["status"] == "optimal"
    # progress: phase by phase (model, solve, PHREEQC checks of the blends), monotone, ends at 1
    reports = rec.progress[job]
    assert_monotone_to_one(reports)
    messages = " | ".join(m for m, _ in reports)
    for phase in ("building the model", "solving (highs)", "PHREEQC checks"):
        assert phase in messages
    assert (st.progress, r.status(job).progress) == (1.0, 1.0)
    # on_done got the final status before it was published
    assert [d.id for d in rec.done] == [job] and rec.done[0] == st


def test_a_characterisation_job_equals_the_direct_call_with_progress_per_chunk():
    rec = Recorder()
    r = runner(rec)
    src = example_path("qinshui", "analyses.csv")
    job = r.submit("characterise", "characterise_file", {"source": str(src), "chunk_rows": 8})
    st = r.wait(job, timeout=300)
    assert st.state == "done", st.error
    direct = cbmwater.characterisation(src)
    # the same JSON as `cbmwater characterise --format json` writes for the direct call
    assert st.result is not None
    assert st.result["records"] == json.loads(records_json(direct.records))
    assert st.result["samples"] == len(direct.records) == 32
    assert st.result["qa_counts"] == direct.records["qa_flag"].value_counts().to_dict()
    reports = rec.progress[job]
    assert_monotone_to_one(reports)
    # 32 samples in chunks of 8: four chunk reports (8, 16, 24, 32 samples) after "started"
    assert [m for m, _ in reports][1:5] == ["8 samples", "16 samples", "24 samples", "32 samples"]


def test_a_failing_job_ends_failed_with_the_engines_message_and_the_runner_keeps_working(
    tmp_path,
):
    bad = tmp_path / "case.toml"
    text = HAND.read_text(encoding="utf-8").replace('kind = "reuse"', 'kind = "swimming_pool"')
    bad.write_text(text, encoding="utf-8")
    for f in ("analyses.csv", "wells.csv"):
        (tmp_path / f).write_bytes((HAND.parent / f).read_bytes())
    with pytest.raises(InputError) as direct:
        cbmwater.load_case(bad)
    rec = Recorder()
    r = runner(rec)
    job = r.submit("optimise", "optimise", {"case": str(bad)})
    st = r.wait(job, timeout=300)
    assert st.state == "failed" and st.result is None
    assert st.error == str(direct.value)
    assert "swimming_pool" in st.error and "Traceback" not in st.error
    assert st.error_type == "InputError"
    assert rec.done[0].state == "failed"
    # the runner goes on: its cores are free again and the next job succeeds
    assert r.cores_in_use() == 0
    ok = r.wait(r.submit("optimise", "optimise", {"case": str(HAND)}), timeout=300)
    assert ok.state == "done" and ok.result is not None and ok.result["status"] == "optimal"


def test_a_job_over_its_time_limit_fails_with_the_guards_message():
    r = runner(limits=Limits(memory_mb=1000, time_s=1))
    t0 = time.monotonic()
    st = r.wait(r.submit("treat", sleeper, {"seconds": 60}), timeout=60)
    assert time.monotonic() - t0 < 30
    assert st.state == "failed" and st.error_type == "ResourceLimitError"
    assert st.error is not None and "time limit of 1 s" in st.error
    # a per-job limit overrides the runner's
    ok = r.wait(r.submit("treat", sleeper, {"seconds": 2}, limits=Limits(time_s=60)), 60)
    assert ok.state == "done" and ok.result == {"value": "woke"}


@pytest.mark.slow
def test_a_job_over_its_memory_limit_fails_with_the_guards_message():
    r = runner(limits=Limits(memory_mb=300, time_s=120))
    st = r.wait(r.submit("characterise", hog, {"total_mb": 4000}), timeout=120)
    assert st.state == "failed" and st.error_type == "ResourceLimitError"
    assert st.error is not None and "memory limit of 300 MB" in st.error
    assert r.cores_in_use() == 0


# -- the core rule ---------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(core_budget() < 2, reason="needs 2 cores")
def test_running_jobs_never_hold_more_cores_than_the_budget(tmp_path):
    rec = Recorder()
    r = runner(rec, cores=2)
    # a and b wait for each other: they can only both finish if they run at the same time
    plan = [("a", 1, "b"), ("b", 1, "a"), ("wide", 2, None)]
    ids = {
        tag: r.submit(
            "treat",
            hold,
            {"seconds": 0.5, "log": str(tmp_path), "tag": tag, "meet": meet},
            cores=n,
        )
        for tag, n, meet in plan
    }
    huge = r.submit("treat", sleeper, {"seconds": 0.1}, cores=8)  # clipped to the budget
    assert r.status(huge).cores == 2
    r.cancel(huge)
    seen_in_use = []
    while not all(r.status(j).final for j in ids.values()):
        seen_in_use.append(r.cores_in_use())
        time.sleep(0.05)
    assert max(seen_in_use) <= 2
    sts = {tag: r.status(j) for tag, j in ids.items()}
    assert all(s.state == "done" for s in sts.values()), {t: s.error for t, s in sts.items()}
    logs = {tag: json.loads((tmp_path / f"{tag}.json").read_text()) for tag, _, _ in plan}
    declared = {"a": 1, "b": 1, "wide": 2}
    for tag, log in logs.items():
        # each worker is held to its declared cores: affinity, PHREEQC workers, HiGHS threads
        assert len(log["cpus"]) == log["phreeqc_workers"] == log["highs_threads"] == declared[tag]
    # at every start of a job, the jobs running then hold at most 2 cores, on distinct CPUs
    for log in logs.values():
        t = log["start"]
        live = [x for x in logs.values() if x["start"] <= t < x["end"]]
        assert sum(len(x["cpus"]) for x in live) <= 2
        cpus = [c for x in live for c in x["cpus"]]
        assert len(cpus) == len(set(cpus))
    # the runner does use the budget: a and b ran side by side, on different CPUs; the two-core
    # job started only after both had ended
    assert logs["a"]["met"] and logs["b"]["met"]
    assert set(logs["a"]["cpus"]).isdisjoint(logs["b"]["cpus"])
    assert logs["wide"]["start"] > max(logs["a"]["end"], logs["b"]["end"])


def test_cancel_stops_a_running_job_and_drops_a_queued_one():
    rec = Recorder()
    r = runner(rec, cores=1)
    running = r.submit("treat", sleeper, {"seconds": 60})
    queued = r.submit("treat", sleeper, {"seconds": 60})
    deadline = time.monotonic() + 60
    while r.status(running).state != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert r.status(queued).state == "queued"
    assert r.cancel(queued) is True
    st_q = r.status(queued)
    assert st_q.state == "cancelled" and st_q.started is None
    t0 = time.monotonic()
    assert r.cancel(running) is True
    st = r.wait(running, timeout=30)
    assert st.state == "cancelled" and time.monotonic() - t0 < 10
    assert r.cancel(running) is False  # already ended
    assert r.cores_in_use() == 0
    assert sorted(s.state for s in rec.done) == ["cancelled", "cancelled"]
    assert [s.id for s in r.jobs()] == [running, queued]


def test_bad_submissions_are_refused_naming_what_is_allowed():
    r = JobRunner()
    with pytest.raises(InputError, match="unknown job kind 'stochastic'; allowed: optimise"):
        r.submit("stochastic", "optimise", {})
    with pytest.raises(InputError, match="unknown job function 'optimize'"):
        r.submit("optimise", "optimize", {})
    with pytest.raises(InputError, match="defined at module level"):
        r.submit("optimise", lambda: 1, {})
    with pytest.raises(InputError, match="job parameter 'progress' cannot be sent"):
        r.submit("optimise", "optimise", {"case": str(HAND), "progress": lambda m, f: None})
    with pytest.raises(InputError, match="cores must be a positive whole number; got 0"):
        r.submit("optimise", "optimise", {"case": str(HAND)}, cores=0)
    with pytest.raises(InputError, match="no job 'nope'"):
        r.status("nope")
    with pytest.raises(InputError, match="more than the"):
        JobRunner(cores=core_budget() + 1)
    assert r.jobs() == []


def test_one_default_runner_per_process():
    assert default_runner() is default_runner()
    assert default_runner().core_budget == core_budget()


def test_highs_threads_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("CBMWATER_SOLVER_THREADS", raising=False)
    assert default_threads() is None  # HiGHS chooses, as before (the CLI)
    monkeypatch.setenv("CBMWATER_SOLVER_THREADS", "1")
    assert default_threads() == 1
    monkeypatch.setenv("CBMWATER_SOLVER_THREADS", "many")
    with pytest.raises(InputError, match="CBMWATER_SOLVER_THREADS must be a positive whole"):
        default_threads()


def test_two_simultaneous_optimisations_both_succeed_side_by_side():
    """Two optimisations at once through the runner (the hand case: the bundled flagship pair
    runs in the browser test tests/browser/test_workbench_browser.py and, timed, in
    benchmarks/jobs.py)."""
    rec = Recorder()
    r = runner(rec)
    params = {"case": str(HAND), "time_limit_s": 900.0}
    jobs = [r.submit("optimise", "optimise", params) for _ in range(2)]
    sts = [r.wait(j, timeout=900) for j in jobs]
    assert [s.state for s in sts] == ["done", "done"], [s.error for s in sts]
    a, b = (s.result for s in sts)
    assert a is not None and b is not None
    assert a["status"] == b["status"] == "optimal"
    # the same case, the same engine, one HiGHS thread each: the same plan
    assert without_timings(a) == without_timings(b)
    for s in sts:
        assert_monotone_to_one(rec.progress[s.id])
    if core_budget() >= 2:  # side by side, not one after the other
        assert sts[0].started < sts[1].finished and sts[1].started < sts[0].finished


# -- a job's own pool -------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(core_budget() < 2, reason="needs 2 cores")
def test_a_two_core_monte_carlo_job_runs_its_scenarios_on_two_workers(tmp_path):
    """Issue 15 deliver 6: a job may start its own pool.  Oracle: the same run in this process
    with one worker (the same seeds, so the same JSON), and each worker's own view."""
    import shutil
    import tomllib

    from toml_writer import dumps

    for f in HAND.parent.glob("*.csv"):
        shutil.copy(f, tmp_path)
    data = tomllib.loads(HAND.read_text(encoding="utf-8"))
    data["uncertainty"] = {
        "destinations": [
            {"name": "Reuse", "price_CNY_m3": {"dist": "uniform", "low": 0.5, "high": 1.5}}
        ]
    }
    case = tmp_path / "case.toml"
    case.write_text(dumps(data), encoding="utf-8")
    direct = cbmwater.uncertainty(case, samples=4, seed=7, workers=1).to_dict()
    r = runner(cores=2)
    try:
        job = r.submit(
            "uncertainty", monte_carlo, {"case": str(case), "samples": 4, "seed": 7}, cores=2
        )
        st = r.wait(job, timeout=600)
    finally:
        r.close()
    assert st.state == "done", st.error
    out = st.result
    assert out is not None
    # the scenarios ran on a pool of two workers inside the job, both of which ran some
    (pool,) = out["pools"]
    assert pool["workers"] == 2 and pool["used"] == 2
    assert out["job_pid"] not in pool["pids"]
    # the same seeds, so the same result as one worker in this process
    assert out["result"] == direct
    # every worker of a pool started in the job: on the job's two CPUs, one HiGHS thread and
    # one PHREEQC instance (two workers x one core = the job's two cores)
    assert len(out["job_cpus"]) == 2
    assert len({v["pid"] for v in out["views"]}) == 2
    for v in out["views"]:
        assert v["cpus"] == out["job_cpus"]
        assert v["highs_threads"] == 1 and v["phreeqc_workers"] == 1


# -- on a Dask cluster --------------------------------------------------------------------------------
@pytest.mark.slow
def test_jobs_run_on_a_dask_cluster_with_progress_errors_and_cancel(tmp_path):
    """The runner on :class:`DaskExecutor` (a LocalCluster of one worker): the same result and
    progress as the direct call, the engine's error with its class and message code, a cancel,
    and the job held to its declared cores in a process that is neither ours nor the worker's."""
    pytest.importorskip("distributed")
    from cbmwater.executor import DaskExecutor

    bad = tmp_path / "lab.csv"
    bad.write_text("sample_id,temp_C\nA,20\n", encoding="utf-8")
    with pytest.raises(InputError) as direct_error:
        cbmwater.characterisation(bad)
    ex = DaskExecutor("local-dask", workers=1)
    rec = Recorder()
    r = JobRunner(on_done=rec.on_done, on_progress=rec.on_progress, executor=ex)
    try:
        assert r.core_budget == 1 and r.executor is ex  # the cluster's worker threads
        src = example_path("qinshui", "analyses.csv")
        job = r.submit("characterise", "characterise_file", {"source": str(src), "chunk_rows": 8})
        st = r.wait(job, timeout=300)
        assert st.state == "done", st.error
        direct = cbmwater.characterisation(src)
        assert st.result is not None
        assert st.result["records"] == json.loads(records_json(direct.records))
        reports = rec.progress[job]
        assert_monotone_to_one(reports)
        assert [m for m, _ in reports][1:5] == [
            "8 samples",
            "16 samples",
            "24 samples",
            "32 samples",
        ]
        assert rec.done[0] == st
        # the engine's error crosses the cluster with its class, text and message code
        failed = r.wait(r.submit("characterise", "characterise_file", {"source": str(bad)}), 300)
        assert failed.state == "failed" and failed.error_type == "InputError"
        assert failed.error == str(direct_error.value)
        assert failed.error_i18n is not None
        assert failed.error_i18n["code"] == direct_error.value.full_message().code
        # where it ran: its own process on the worker's machine, held to its one core
        seen = r.wait(
            r.submit("treat", hold, {"seconds": 0, "log": str(tmp_path), "tag": "d"}), 300
        )
        assert seen.state == "done", seen.error
        assert seen.result is not None and seen.result["pid"] != os.getpid()
        assert seen.result["highs_threads"] == 1
        # a cancel ends the running job
        long = r.submit("treat", sleeper, {"seconds": 120})
        deadline = time.monotonic() + 60
        while r.status(long).state != "running" and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        t0 = time.monotonic()
        assert r.cancel(long) is True
        st_c = r.wait(long, timeout=60)
        assert st_c.state == "cancelled" and time.monotonic() - t0 < 30
        assert r.cores_in_use() == 0
    finally:
        r.close()
        ex.close()
