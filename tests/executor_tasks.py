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
