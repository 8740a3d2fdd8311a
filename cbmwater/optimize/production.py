"""Produced-water forecasts: the Arps decline curve and its period averages.

Reference: Arps, J.J. (1945) Analysis of decline curves. Trans. AIME 160, 228-247:
q(t) = qi (1 + b Di t)^(-1/b); b = 0 is exponential decline qi exp(-Di t), b = 1 harmonic.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["arps_rate", "arps_cumulative", "arps_period_rates"]


def arps_rate(qi: float, Di: float, b: float, t_yr: float | np.ndarray) -> np.ndarray:
    """Arps rate q(t), same unit as ``qi`` (m3/d); ``Di`` 1/yr, ``t_yr`` years since start."""
    t = np.asarray(t_yr, dtype=float)
    if Di == 0:
        return np.full_like(t, qi)
    if b == 0:
        return qi * np.exp(-Di * t)
    return qi * (1.0 + b * Di * t) ** (-1.0 / b)


def arps_cumulative(qi: float, Di: float, b: float, t_yr: float | np.ndarray) -> np.ndarray:
    """Integral of q from 0 to t, in (unit of qi) x years (m3/d x yr)."""
    t = np.asarray(t_yr, dtype=float)
    if Di == 0:
        return qi * t
    if b == 0:
        return qi / Di * (1.0 - np.exp(-Di * t))
    if math.isclose(b, 1.0):
        return qi / Di * np.log1p(Di * t)
    return qi / ((1.0 - b) * Di) * (1.0 - (1.0 + b * Di * t) ** ((b - 1.0) / b))


def arps_period_rates(
    qi: float, Di: float, b: float, periods: int, period_years: float, start_period: int = 1
) -> tuple[float, ...]:
    """Average rate of each period (m3/d): cumulative over the period / its length.

    Parameters
    ----------
    qi : float
        Initial rate, m3/d, at the start of ``start_period``.
    Di : float
        Initial decline, 1/yr.
    b : float
        Arps exponent (0 exponential, 1 harmonic).
    periods : int
        Number of periods.
    period_years : float
        Length of one period, yr.
    start_period : int
        First producing period (1-based); earlier periods produce 0.
    """
    out = []
    for p in range(1, periods + 1):
        if p < start_period:
            out.append(0.0)
            continue
        t0 = (p - start_period) * period_years
        t1 = t0 + period_years
        out.append(
            float((arps_cumulative(qi, Di, b, t1) - arps_cumulative(qi, Di, b, t0)) / period_years)
        )
    return tuple(out)
