"""A plan under sampled scenarios: builds fixed, flows re-optimised per scenario (LP recourse).

Method (``docs/uncertainty.md``):

1. the deterministic plan of the case (:func:`.plan.optimise`, least NPV cost) fixes the builds;
2. scenario ``i`` draws its inputs from ``numpy.random.default_rng(task_seed(seed, i))``
   (:meth:`.uncertain.Uncertainty.draw`), so it depends on (seed, i) only -- not on the
   executor, the number of workers or the order the scenarios finish in;
3. the case's precompute is carried to the scenario (:meth:`.prepared.Prepared.scenario`:
   station feeds mixed again by PHREEQC, trains simulated again where a feed moved, prices
   scaled);
4. :func:`.plan.optimise` with ``fixed_builds`` re-optimises the flows (an LP), with the same
   hub and PHREEQC check-and-cut loop as a plan; water the fixed plants and destinations cannot
   place leaves through a priced slack and is reported as unallocated (m3 over the horizon);
5. each destination's limits "hold without curtailment" in a scenario when the deterministic
   plan's blend there (its streams in its proportions, every period) meets every concentration
   limit at the scenario's water qualities -- the scenario would not need to cut or reroute the
   water that goes there.

:func:`run_scenario` is the module-level task the executor runs; :func:`summarise` turns the
scenario rows into the statistics of the result.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .case import Case
from .plan import optimise
from .precompute import KEYS
from .prepared import Prepared
from .solver import THREADS_ENV

__all__ = [
    "ScenarioJob",
    "run_scenario",
    "evaluate",
    "scenario_of",
    "sampled_scenario",
    "summarise",
    "stats",
    "cvar",
    "fixed_builds_of",
    "deterministic_blends",
]

#: One delivered stream of the deterministic plan: (destination, period 0-based, pair, stream,
#: m3/d).
Stream = tuple[int, int, int, str, float]


@dataclass(frozen=True)
class ScenarioJob:
    """What every scenario task needs (pickled to the workers once per task)."""

    base: Prepared
    builds: dict[tuple[str, str, int], float]
    streams: tuple[Stream, ...]
    solver: str = "highs"
    time_limit_s: float = 60.0
    mip_gap: float = 0.005
    max_iterations: int = 8
    database: str | None = None


def fixed_builds_of(result: Mapping[str, Any]) -> dict[tuple[str, str, int], float]:
    """``(site, train, build period) -> size`` (m3/d, period 1-based) of a plan's results dict
    (a staged plan may build one pair in several periods)."""
    return {
        (b["site"], b["train"], int(b.get("period", 1))): float(b["size_m3_d"])
        for b in result.get("builds", [])
    }


def deterministic_blends(prep: Prepared, result: Mapping[str, Any]) -> tuple[Stream, ...]:
    """The streams each destination receives in a plan (its ``flows``), as index tuples."""
    index = prep.table.index()
    dests = [d.name for d in prep.case.destinations]
    out = []
    for f in result.get("flows", []):
        q = float(f["delivered_m3_d"])
        if q > 0:
            out.append(
                (
                    dests.index(f["destination"]),
                    int(f["period"]) - 1,
                    index[(f["source"], f["train"])],
                    str(f["stream"]),
                    q,
                )
            )
    return tuple(out)


def limits_hold(prep: Prepared, streams: Sequence[Stream]) -> dict[str, bool]:
    """Per destination: the plan's blends meet every concentration limit at ``prep``'s water
    qualities (not measured counts as 0, as in the model's quality rows)."""
    case, tab = prep.case, prep.table
    out: dict[str, bool] = {}
    for j, d in enumerate(case.destinations):
        ok = True
        own = set(d.stream_keys())
        for t in range(case.periods):
            here = [s for s in streams if s[0] == j and s[1] == t]
            if not here:
                continue
            conc = np.array(
                [
                    np.nan_to_num((tab.product if s == "product" else tab.residual)[i, t])
                    for _, _, i, s, _ in here
                ]
            )
            q = np.array([s[4] for s in here])
            blend = (conc * q[:, None]).sum(axis=0) / q.sum()
            for key, lim in d.limits_mg_L.items():
                k = KEYS.index(key)
                tol = 1e-9 * max(abs(lim), 1.0)
                if key in own:
                    ok &= bool((conc[:, k] <= lim + tol).all())
                else:
                    ok &= bool(blend[k] <= lim + tol)
        out[d.name] = ok
    return out


def scenario_of(base: Prepared, values: Mapping[str, float | str]) -> Prepared:
    """The precompute of ``base``'s case with its uncertain inputs at ``values`` (the mapping
    of :meth:`.uncertain.Uncertainty.draw`; :meth:`.prepared.Prepared.scenario`)."""
    case = base.case
    unc = case.uncertainty
    assert unc is not None  # the caller checked
    inp = unc.apply(values, case.wells, case.destinations, case.periods, case.period_years)
    sc: Case = replace(case, wells=inp.wells, destinations=inp.destinations)
    return base.scenario(
        sc,
        multipliers=inp.multipliers,
        feeds_change=inp.feeds_change,
        electricity_factor=inp.electricity_factor,
        chemicals_factor=inp.chemicals_factor,
    )


def sampled_scenario(base: Prepared, seed: int) -> tuple[Prepared, dict[str, float | str]]:
    """The scenario of ``base``'s ``[uncertainty]`` drawn from ``default_rng(seed)``: its
    precompute and its drawn values."""
    unc = base.case.uncertainty
    assert unc is not None  # the caller checked
    values = unc.draw(np.random.default_rng(seed))
    return scenario_of(base, values), values


def run_scenario(job: ScenarioJob, item: tuple[int, int]) -> dict[str, Any]:
    """Scenario ``item = (index, seed)`` of ``job``: its draws, re-optimised flows and figures.

    A module-level function of picklable arguments: the executor's task.  HiGHS gets one thread
    (``CBMWATER_SOLVER_THREADS`` unless set): the executor's workers are the parallelism.
    """
    index, seed = item
    unc = job.base.case.uncertainty
    assert unc is not None  # the caller checked
    return evaluate(job, index, seed, unc.draw(np.random.default_rng(seed)))


def evaluate(
    job: ScenarioJob, index: int, seed: int | None, values: Mapping[str, float | str]
) -> dict[str, Any]:
    """The scenario of ``job`` whose uncertain inputs take ``values`` (the mapping of
    :meth:`.uncertain.Uncertainty.draw`): its re-optimised flows and figures.

    :func:`run_scenario` draws the values from the scenario's seed; a sensitivity run
    (:mod:`.sensitivity`) gives them from its design.  ``seed`` is recorded in the row.
    """
    os.environ.setdefault(THREADS_ENV, "1")
    base = job.base
    case = base.case
    prep = scenario_of(base, values)
    sc = prep.case
    res = optimise(
        sc,
        solver=job.solver,
        time_limit_s=job.time_limit_s,
        mip_gap=job.mip_gap,
        max_iterations=job.max_iterations,
        database=job.database,
        progress=lambda _m, _f: None,
        prepared=prep,
        fixed_builds=job.builds,
    )
    kpis = res.get("kpis") or {}
    solved = res["status"] in ("optimal", "feasible")
    delivered = {d["name"]: 0.0 for d in res.get("destinations", [])}
    # m3/d delivered to each destination in each period (index 0 = period 1)
    per_period = {d.name: [0.0] * case.periods for d in case.destinations}
    vol = 365.0 * case.period_years
    for d in res.get("destinations", []):
        q = float(d.get("delivered_m3_d") or 0.0)
        delivered[d["name"]] += q * vol
        per_period[d["name"]][int(d["period"]) - 1] += q
    return {
        "scenario": index,
        "seed": seed,
        "status": res["status"],
        "npv_CNY": res["objective_CNY"] if solved else None,
        "reuse_share": kpis.get("reuse_share") if solved else None,
        "reuse_m3": kpis.get("reuse_m3") if solved else None,
        "produced_m3": kpis.get("produced_m3"),
        "unallocated_m3": kpis.get("unallocated_m3") if solved else None,
        "cuts": len(res.get("cuts", [])),
        "resimulated_sites": list(prep.resimulated),
        "limits_hold": limits_hold(prep, job.streams),
        "delivered_m3": delivered,
        "delivered_m3_d": per_period if solved else {},
        "inputs": dict(values),
    }


# -- statistics ----------------------------------------------------------------------------------
def cvar(values: Sequence[float], *, worst: str = "high", level: float = 0.9) -> float:
    """Conditional value at risk: the mean of the worst ``1 - level`` of ``values``.

    The worst ``k = ceil((1 - level) n)`` values (at least one) are the highest for a cost
    (``worst="high"``) and the lowest for a benefit such as a reuse share (``worst="low"``).

    Examples
    --------
    >>> cvar([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0])
    11.5
    >>> cvar([0.5, 0.2, 0.9], worst="low")
    0.2
    """
    x = np.sort(np.asarray(values, float))
    if not len(x):
        return math.nan
    k = max(1, math.ceil(round((1.0 - level) * len(x), 9)))
    return float(x[-k:].mean() if worst == "high" else x[:k].mean())


def stats(values: Sequence[float], *, worst: str = "high") -> dict[str, float | None]:
    """``mean``, ``p10``, ``p50``, ``p90`` (numpy's linear percentiles) and ``cvar90``."""
    x = np.asarray([v for v in values if v is not None], float)
    if not len(x):
        return dict.fromkeys(("mean", "p10", "p50", "p90", "cvar90"))
    p10, p50, p90 = (float(v) for v in np.percentile(x, [10, 50, 90]))
    return {
        "mean": float(x.mean()),
        "p10": p10,
        "p50": p50,
        "p90": p90,
        "cvar90": cvar(x.tolist(), worst=worst),
    }


def summarise(
    rows: Sequence[Mapping[str, Any]], case: Case, tol_m3: float = 1e-3
) -> dict[str, Any]:
    """The statistics of the scenario rows of :func:`run_scenario` (see the module docstring).

    ``tol_m3``: unallocated water below this volume over the horizon counts as none.
    """
    ok = [r for r in rows if r["npv_CNY"] is not None]
    un = [float(r["unallocated_m3"]) for r in ok]
    n = len(rows)
    dests = []
    for d in case.destinations:
        held = [bool(r["limits_hold"][d.name]) for r in rows]
        dests.append(
            {
                "name": d.name,
                "kind": d.kind,
                "p_limits_hold": sum(held) / n if n else None,
                "delivered_m3": stats([r["delivered_m3"].get(d.name, 0.0) for r in ok]),
            }
        )
    return {
        "npv_CNY": stats([r["npv_CNY"] for r in ok], worst="high"),
        "reuse_share": stats([r["reuse_share"] for r in ok], worst="low"),
        "destinations": dests,
        "unallocated": {
            "probability": sum(1 for u in un if u > tol_m3) / len(un) if un else None,
            "expected_m3": float(np.mean(un)) if un else None,
            "p90_m3": float(np.percentile(un, 90)) if un else None,
            "max_m3": float(max(un)) if un else None,
        },
        "solved": len(ok),
        "failed": [{"scenario": r["scenario"], "status": r["status"]} for r in rows if r not in ok],
    }
