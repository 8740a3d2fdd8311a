"""Module-level tasks for tests/test_executor.py (workers import them by name)."""

from __future__ import annotations

import numpy as np

from tests.phreeqc_oracle import run_phreeqc


def calcite_si_of_random_water(task: tuple[int, int]) -> tuple[int, float, float]:
    """A random Ca-HCO3 water drawn from the task's seed, and its calcite SI from PHREEQC."""
    index, seed = task
    rng = np.random.default_rng(seed)
    ca = float(rng.uniform(10.0, 120.0))  # mg/L
    text = f"""SOLUTION 1
    units mg/L
    temp 20
    pH 7.8
    Ca {ca:.10g}
    Alkalinity 300 as HCO3
    Na 100
    Cl 50 charge
SELECTED_OUTPUT 1
    -reset false
    -saturation_indices Calcite
END
"""
    si = float(run_phreeqc(text)["si_Calcite"].iloc[0])
    return index, ca, si


def square(x: int) -> int:
    return x * x


def worker_view(_: int) -> dict:
    """What a pool worker may use, as it sees it."""
    import os
    import time

    from cbmwater.geochem.engine import phreeqc_workers
    from cbmwater.optimize.solver import default_threads

    time.sleep(0.2)  # long enough for every worker of a small pool to take a task
    return {
        "pid": os.getpid(),
        "cpus": sorted(os.sched_getaffinity(0)),
        "phreeqc_workers": phreeqc_workers(),
        "highs_threads": default_threads(),
    }


def seed_and_pid(item: tuple[int, int]) -> tuple[int, int, int]:
    """(index, a draw from the task's seed, the pid that ran it)."""
    import os

    return item[0], int(np.random.default_rng(item[1]).integers(0, 10**9)), os.getpid()
