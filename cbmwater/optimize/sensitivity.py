"""Global sensitivity of a plan to its uncertain inputs: Sobol indices (SALib).

Method (``docs/uncertainty.md``, section *Sensitivity*):

1. **Factors.**  Every uncertain parameter as the ``[uncertainty]`` section declares it is one
   factor: the ``qi_factor``, ``Di_factor`` and ``b`` of a ``[[uncertainty.wells]]`` row, each
   multiplier and the resampled analyses of a ``[[uncertainty.quality]]`` row, the electricity
   and chemicals prices, and the capacity factor, price and fee of a destination.  A factor
   whose row draws per well (or per station) holds one independent **variable** per well (or
   station): the wells keep their own draws, and the factor's index measures the row's
   uncertainty as a whole (Sobol indices of groups of variables, Jacques et al. 2006).
2. **Correlation.**  Sobol indices assume independent factors.  A wells row with
   ``rho_qi_Di != 0`` therefore has **one** factor ``wells[i] qi_factor+Di_factor``: each
   well's two independent variables go through the same Gaussian copula as a Monte Carlo draw
   (``z_Di = rho z_qi + sqrt(1 - rho^2) z_2``), so the correlation is kept and the factors stay
   independent of each other.  Rows without correlation keep qi and Di apart.
3. **Design.**  SALib's Saltelli extension of the scrambled Sobol sequence
   (:func:`SALib.sample.sobol.sample`, ``calc_second_order=False``) in the unit hypercube of the
   variables: ``N (G + 2)`` points for ``N`` base samples and ``G`` factors.  A variable ``u`` is
   mapped to its parameter through the inverse CDF: ``Distribution.value(Phi^-1(u))`` (the
   quantile of the distribution at ``u``); a resampled analysis is the ``floor(u n)``-th of the
   block's ``n`` analyses.
4. **Evaluation.**  Each point is one scenario of :func:`.scenarios.evaluate`: builds fixed
   from the deterministic plan, flows re-optimised with the PHREEQC checks.
5. **Indices.**  :func:`SALib.analyze.sobol.analyze` gives the first-order ``S1`` and total
   ``ST`` index of each factor with bootstrap confidence intervals (95 %, 100 resamples seeded
   by the run's seed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from .scenarios import ScenarioJob, evaluate
from .uncertain import Distribution, Uncertainty

__all__ = [
    "Factor",
    "Column",
    "PointJob",
    "design_columns",
    "factors_of",
    "values_at",
    "problem_of",
    "sample",
    "run_point",
    "indices",
    "output_values",
]

_N = NormalDist()
#: a variable of the unit hypercube is kept this far from 0 and 1 (Phi^-1 is infinite there)
_EDGE = 1e-12


@dataclass(frozen=True)
class Column:
    """One variable of the design: which factor it belongs to and what it sets.

    ``key`` is the key of the scenario values (:meth:`.uncertain.Uncertainty.draw`) it sets;
    ``dist`` maps it through the inverse CDF, or ``pool`` picks one of the analyses.  A Di
    variable of a correlated row has ``partner`` (the column of the same well's qi) and ``rho``.
    """

    factor: str
    key: str
    dist: Distribution | None = None
    pool: tuple[str, ...] = ()
    partner: int | None = None
    rho: float = 0.0


@dataclass(frozen=True)
class Factor:
    """A factor of the sensitivity run: its name, parameter, distribution and variables."""

    name: str
    parameter: str
    distribution: str
    variables: int


def design_columns(unc: Uncertainty) -> list[Column]:
    """The variables of the design, in the order of the section (see the module docstring)."""
    cols: list[Column] = []
    for g in unc.wells:
        units = [f"{g.label} {w}" for w in g.wells] if g.per == "well" else [g.label]
        joint = g.rho != 0.0
        for name, d in (("qi_factor", g.qi), ("Di_factor", g.Di), ("b", g.b)):
            if d is None:
                continue
            factor = (
                f"{g.label} qi_factor+Di_factor" if joint and name != "b" else (f"{g.label} {name}")
            )
            for k, at in enumerate(units):
                partner = None
                if joint and name == "Di_factor":  # the same well's qi, one block back
                    partner = len(cols) - len(units)
                cols.append(Column(factor, f"{at} {name}", d, partner=partner, rho=g.rho))
                assert partner is None or cols[partner].key == f"{units[k]} qi_factor"
    for q in unc.quality:
        for key, d in q.multipliers:
            cols += [Column(f"{q.label} {key}", f"{q.label} {st} {key}", d) for st in q.stations]
        cols += [
            Column(f"{q.label} analyses", f"{q.label} {well} analysis", pool=pool)
            for well, pool in q.pools
        ]
    for name, pd_ in (
        ("electricity_CNY_kWh", unc.electricity),
        ("chemicals_factor", unc.chemicals),
    ):
        if pd_ is not None:
            cols.append(Column(name, name, pd_))
    for du in unc.destinations:
        for name, dd in (
            ("capacity_factor", du.capacity_factor),
            ("price_CNY_m3", du.price),
            ("fee_CNY_m3", du.fee),
        ):
            if dd is not None:
                at = f"destination {du.name!r} {name}"
                cols.append(Column(at, at, dd))
    return cols


def factors_of(unc: Uncertainty) -> list[Factor]:
    """The factors of ``unc`` in order, with their parameter, distribution and variable count."""
    cols = design_columns(unc)
    out: list[Factor] = []
    for name in dict.fromkeys(c.factor for c in cols):
        mine = [c for c in cols if c.factor == name]
        first = mine[0]
        param = "analysis" if first.pool else first.key.rsplit(" ", 1)[-1]
        if name.endswith("qi_factor+Di_factor"):
            param = "qi_factor+Di_factor"
            qi = next(c for c in mine if c.key.endswith("qi_factor"))
            di = next(c for c in mine if c.key.endswith("Di_factor"))
            assert qi.dist is not None and di.dist is not None
            text = f"{qi.dist.describe()}; {di.dist.describe()}; rho {first.rho:g}"
        elif first.dist is not None:
            text = first.dist.describe()
        else:
            text = f"one of {len(first.pool)} analyses of the block, equal weights"
        out.append(Factor(name, param, text, len(mine)))
    return out


def _z(u: float) -> float:
    return _N.inv_cdf(min(max(float(u), _EDGE), 1.0 - _EDGE))


def values_at(cols: Sequence[Column], u: Sequence[float]) -> dict[str, float | str]:
    """The scenario values (as :meth:`.uncertain.Uncertainty.draw` gives them) at the point
    ``u`` of the unit hypercube, one coordinate per column."""
    out: dict[str, float | str] = {}
    z = [_z(x) for x in u]
    for k, c in enumerate(cols):
        if c.pool:
            out[c.key] = c.pool[min(int(float(u[k]) * len(c.pool)), len(c.pool) - 1)]
            continue
        assert c.dist is not None
        zz = z[k]
        if c.partner is not None:
            zz = c.rho * z[c.partner] + math.sqrt(1.0 - c.rho**2) * z[k]
        out[c.key] = c.dist.value(zz)
    return out


def problem_of(cols: Sequence[Column]) -> dict[str, Any]:
    """SALib's problem: one unit-interval variable per column, grouped by factor."""
    return {
        "num_vars": len(cols),
        "names": [c.key for c in cols],
        "bounds": [[0.0, 1.0]] * len(cols),
        "groups": [c.factor for c in cols],
    }


def sample(cols: Sequence[Column], base_samples: int, seed: int) -> np.ndarray:
    """The Saltelli design (``base_samples (G + 2)`` rows, one column per variable)."""
    from SALib.sample import sobol

    return np.asarray(
        sobol.sample(
            problem_of(cols), base_samples, calc_second_order=False, scramble=True, seed=seed
        ),
        float,
    )


@dataclass(frozen=True)
class PointJob:
    """What every design point needs: the scenario job and the design's columns."""

    job: ScenarioJob
    columns: tuple[Column, ...]


def run_point(job: PointJob, item: tuple[int, tuple[float, ...]]) -> dict[str, Any]:
    """Design point ``item = (index, u)``: the scenario at those inputs (the executor's task)."""
    index, u = item
    return evaluate(job.job, index, None, values_at(job.columns, u))


def indices(
    cols: Sequence[Column], y: Sequence[float], seed: int, conf_level: float = 0.95
) -> dict[str, list[float]]:
    """``S1``, ``S1_conf``, ``ST``, ``ST_conf`` of each factor (in order) for outputs ``y``
    (one per design row), by :func:`SALib.analyze.sobol.analyze` with 100 bootstrap resamples
    drawn from ``seed + 1`` (SALib takes 0 as "unseeded")."""
    from SALib.analyze import sobol

    res = sobol.analyze(
        problem_of(cols),
        np.asarray(y, float),
        calc_second_order=False,
        num_resamples=100,
        conf_level=conf_level,
        seed=seed + 1,
    )
    return {k: [float(v) for v in res[k]] for k in ("S1", "S1_conf", "ST", "ST_conf")}


def output_values(rows: Sequence[Mapping[str, Any]], output: str) -> list[float] | None:
    """The output of every row, or None when a row has none (a failed solve)."""
    out: list[float] = []
    for r in rows:
        v = r.get(output)
        if v is None:
            return None
        out.append(float(v))
    return out
