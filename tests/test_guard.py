"""The guarded run (cbmwater.study.guard): a run that needs too much memory or time is stopped
with a message and the caller's process is untouched; results, progress and the engine's errors
come back as if the call had been made in-process.  A run may start processes of its own (a
pool): they count towards its memory, and they end with it.

The functions the child runs are defined here at module level (a spawned child imports them by
name).  Oracles: the same call made in-process, and the caller's own peak memory
(``resource.getrusage``), which must not grow with what the child allocated.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import threading
import time
from pathlib import Path

import pytest

import cbmwater
from cbmwater.errors import InputError, ResourceLimitError, RunCancelled
from cbmwater.spawning import program_main
from cbmwater.study.guard import Limits, limits_from_env, run_guarded


def hog(total_mb: int) -> int:
    """Allocate (and touch) memory 20 MB at a time, slowly enough for the watchdog to look."""
    blocks = []
    for _ in range(total_mb // 20):
        blocks.append(b"\x01" * (20 * 1024 * 1024))
        time.sleep(0.01)
    return len(blocks)


def sleeper(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def reporter(*, progress=None) -> int:
    progress("half way", 0.5)
    progress("done", 1.0)
    return 42


def raiser() -> None:
    raise InputError("pH is missing", file="lab.csv", row=3, column="pH")


def with_a_child(target: str, arg: float, log: str) -> int:
    """Start a process of our own (as a pool would) running ``target(arg)``, write its pid and
    ours to ``log``, and wait for it; its exit code."""
    ctx = mp.get_context("spawn")
    child = ctx.Process(target=globals()[target], args=(arg,))
    with program_main():
        child.start()
    # written whole, then renamed: the test polls for the file and must never read it empty
    # (it once did, while write_text had created but not yet written it)
    tmp = Path(f"{log}.part")
    tmp.write_text(f"{os.getpid()} {child.pid}")
    tmp.replace(log)
    child.join()
    return child.exitcode or 0


def _ended(pid: int) -> bool:
    """The process is gone (or a zombie waiting for a parent that is not ours to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_a_result_comes_back_equal_to_the_in_process_call():
    got = run_guarded(cbmwater.size_option, "vfp", 200.0, net_acidity=150.0, fe_mg_L=20.0)
    assert got == cbmwater.size_option("vfp", 200.0, net_acidity=150.0, fe_mg_L=20.0)


def test_progress_reaches_the_caller_in_order():
    seen: list[tuple[str, float]] = []
    assert run_guarded(reporter, progress=lambda m, f: seen.append((m, f))) == 42
    assert seen == [("half way", 0.5), ("done", 1.0)]


def test_the_engines_error_keeps_its_class_and_message():
    with pytest.raises(InputError) as info:
        run_guarded(raiser)
    assert str(info.value) == "file lab.csv, row 3, column 'pH': pH is missing"


@pytest.mark.slow
def test_a_run_over_its_memory_limit_is_stopped_and_the_caller_stays_small():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
    t0 = time.monotonic()
    with pytest.raises(ResourceLimitError, match="memory limit of 300 MB"):
        run_guarded(hog, 4000, limits=Limits(memory_mb=300, time_s=120))
    assert time.monotonic() - t0 < 60
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert after - before < 50  # the 4 GB were the child's (never made); our peak is unchanged


def test_a_run_over_its_time_limit_is_stopped():
    t0 = time.monotonic()
    with pytest.raises(ResourceLimitError, match="time limit of 1 s"):
        run_guarded(sleeper, 30, limits=Limits(memory_mb=1000, time_s=1))
    assert time.monotonic() - t0 < 15
    assert run_guarded(sleeper, 0.1, limits=Limits(time_s=60)) == "woke"  # within its limit


def test_a_run_may_start_processes_and_a_cancel_ends_them_with_it(tmp_path):
    log = tmp_path / "pids"
    cancel = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            run_guarded(with_a_child, "sleeper", 60, str(log), cancel=cancel)
        except BaseException as exc:  # noqa: BLE001 - looked at below
            outcome.append(exc)

    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 120
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    run_pid, child_pid = (int(x) for x in log.read_text().split())
    # the run leads a process group of its own, and the process it started is in it
    assert os.getpgid(run_pid) == run_pid == os.getpgid(child_pid) != os.getpgid(0)
    assert not _ended(child_pid)
    cancel.set()
    t.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], RunCancelled)
    deadline = time.monotonic() + 10
    while not (_ended(run_pid) and _ended(child_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ended(run_pid) and _ended(child_pid)


@pytest.mark.slow
def test_memory_of_the_processes_a_run_starts_counts_towards_its_limit(tmp_path):
    log = tmp_path / "pids"
    t0 = time.monotonic()
    # the run itself stays small; the process it starts would take 1 000 MB
    with pytest.raises(ResourceLimitError, match="memory limit of 300 MB"):
        run_guarded(with_a_child, "hog", 1000, str(log), limits=Limits(memory_mb=300, time_s=120))
    assert time.monotonic() - t0 < 100
    run_pid, child_pid = (int(x) for x in log.read_text().split())
    deadline = time.monotonic() + 10
    while not _ended(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ended(run_pid) and _ended(child_pid)


ABANDON = """
import os, signal, sys, threading, time
sys.path.insert(0, {tests!r})
if __name__ == "__main__":
    import test_guard
    from cbmwater.study.guard import run_guarded
    log = {log!r}
    threading.Thread(
        target=run_guarded, args=(test_guard.with_a_child, "sleeper", 600, log), daemon=True
    ).start()
    while not os.path.exists(log):
        time.sleep(0.05)
    {end}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "end",
    ["pass", "os.kill(os.getpid(), signal.SIGTERM)", "os.kill(os.getpid(), signal.SIGKILL)"],
)
def test_a_run_ends_with_the_process_that_started_it(tmp_path, end):
    """Whether the starting process exits (its exit handler ends the run at once: the
    subprocess's timeout is shorter than the run), is stopped or is killed (the run notices
    that its parent is gone), it leaves no run and no process of the run's behind."""
    import subprocess
    import sys

    log = tmp_path / "pids"
    script = tmp_path / "abandon.py"
    tests = str(Path(__file__).parent)
    script.write_text(ABANDON.format(tests=tests, log=str(log), end=end), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    subprocess.run([sys.executable, str(script)], env=env, timeout=120, check=False)
    run_pid, child_pid = (int(x) for x in log.read_text().split())
    deadline = time.monotonic() + 15
    while not (_ended(run_pid) and _ended(child_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ended(run_pid) and _ended(child_pid)


def test_limits_come_from_the_environment_and_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv("CBMWATER_RUN_MEMORY_MB", "1500")
    monkeypatch.setenv("CBMWATER_RUN_TIME_S", "90")
    assert limits_from_env() == Limits(memory_mb=1500.0, time_s=90.0)
    monkeypatch.setenv("CBMWATER_RUN_TIME_S", "soon")
    with pytest.raises(InputError, match="CBMWATER_RUN_TIME_S must be a positive number"):
        limits_from_env()


def test_a_spawned_child_never_runs_a_foreign_main_even_if_set_after_program_main(tmp_path):
    """Streamlit's script threads set sys.modules["__main__"] to a page on every rerun, also
    while another thread starts a child: the child must not run that page.  The start data
    are checked when made (cbmwater.spawning), not only the module at program_main's entry."""
    import multiprocessing as mp
    import sys
    import types

    import cbmwater.spawning  # noqa: F401 - installs the check

    page = tmp_path / "page.py"
    page.write_text("raise SystemExit(3)\n", encoding="utf-8")
    foreign = types.ModuleType("__main__")
    foreign.__file__ = str(page)
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = foreign  # as a host thread would, with no program_main around
    try:
        proc = mp.get_context("spawn").Process(target=time.sleep, args=(0,))
        proc.start()
    finally:
        sys.modules["__main__"] = saved
    proc.join(60)
    assert proc.exitcode == 0  # 3 if the child had run the page
