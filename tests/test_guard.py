"""The guarded run (cbmwater.study.guard): a run that needs too much memory or time is stopped
with a message and the caller's process is untouched; results, progress and the engine's errors
come back as if the call had been made in-process.

The functions the child runs are defined here at module level (a spawned child imports them by
name).  Oracles: the same call made in-process, and the caller's own peak memory
(``resource.getrusage``), which must not grow with what the child allocated.
"""

from __future__ import annotations

import resource
import time

import pytest

import cbmwater
from cbmwater.errors import InputError, ResourceLimitError
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


def test_limits_come_from_the_environment_and_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv("CBMWATER_RUN_MEMORY_MB", "1500")
    monkeypatch.setenv("CBMWATER_RUN_TIME_S", "90")
    assert limits_from_env() == Limits(memory_mb=1500.0, time_s=90.0)
    monkeypatch.setenv("CBMWATER_RUN_TIME_S", "soon")
    with pytest.raises(InputError, match="CBMWATER_RUN_TIME_S must be a positive number"):
        limits_from_env()
