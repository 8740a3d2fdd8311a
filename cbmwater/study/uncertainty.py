"""A plan under uncertainty through the public API: :func:`uncertainty` and
:class:`UncertaintyResult` (``cbmwater uncertainty``; docs/uncertainty.md)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import Text, named
from .results import JsonResult, attached

if TYPE_CHECKING:  # pragma: no cover
    from ..optimize.case import Case
    from ..optimize.scenarios import ScenarioJob

__all__ = ["uncertainty", "UncertaintyResult", "SCENARIO_COLUMNS", "FLOW_COLUMNS"]

Progress = Callable[[str, float], None]

#: Columns of the scenario table (then one column per uncertain input drawn).
SCENARIO_COLUMNS: tuple[str, ...] = (
    "scenario",
    "seed",
    "status",
    "npv_CNY",
    "reuse_share",
    "reuse_m3",
    "produced_m3",
    "unallocated_m3",
    "cuts",
)


def _scenario_rows(res: UncertaintyResult) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = []
    for r in res.scenarios:
        row = {k: r.get(k) for k in SCENARIO_COLUMNS}
        row.update(r.get("inputs", {}))
        for name, held in r.get("limits_hold", {}).items():
            row[f"limits_hold {name}"] = held
        rows.append(row)
    return rows


#: Columns of the ``flows`` table: m3/d delivered to each destination in each period (1-based)
#: of each solved scenario.
FLOW_COLUMNS: tuple[str, ...] = ("scenario", "destination", "period", "delivered_m3_d")


def _flow_rows(res: UncertaintyResult) -> list[Mapping[str, Any]]:
    return [
        {"scenario": r["scenario"], "destination": name, "period": t, "delivered_m3_d": q}
        for r in res.scenarios
        for name, per in (r.get("delivered_m3_d") or {}).items()
        for t, q in enumerate(per, start=1)
    ]


def _summary_rows(res: UncertaintyResult) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for name in ("npv_CNY", "reuse_share"):
        out.append({"figure": name, **getattr(res, name)})
    return out


@dataclass(frozen=True)
class UncertaintyResult(JsonResult):
    """A plan's builds under N sampled scenarios (``cbmwater uncertainty --format json``).

    Attributes
    ----------
    samples, seed : int
        Scenarios drawn and the run's seed (scenario i uses ``task_seed(seed, i)``).
    npv_CNY : dict
        NPV **cost** of each scenario's re-optimised flows with the plan's builds (CNY of the
        price year; revenue counts negative): ``mean``, ``p10``, ``p50``, ``p90`` (numpy's
        linear percentiles, so ``p90`` is the cost exceeded in 10 % of scenarios) and
        ``cvar90``, the mean of the worst 10 % (the ceil(0.1 N) highest costs).
    reuse_share : dict
        Share of the produced water delivered to reuse; the same statistics, ``cvar90`` being
        the mean of the ceil(0.1 N) lowest shares.
    destinations : list of dict
        ``name``, ``kind``, ``p_limits_hold`` (the share of scenarios in which the plan's blend
        there meets every concentration limit at the scenario's qualities, so nothing need be
        curtailed) and ``delivered_m3`` statistics.
    unallocated : dict
        Water no built plant and destination can place: ``probability`` (share of scenarios
        with any), ``expected_m3``, ``p90_m3``, ``max_m3`` over the horizon.
    deterministic : dict
        The plan whose builds are fixed: ``status``, ``npv_CNY``, ``reuse_share``, ``builds``.
    inputs : list of dict
        Every uncertain input and its distribution.
    scenarios : list of dict
        One row per scenario: figures, ``inputs`` drawn, ``limits_hold`` per destination,
        ``delivered_m3`` per destination (m3 over the horizon) and ``delivered_m3_d`` per
        destination (m3/d in each period, a list; empty for a scenario not solved).
    """

    samples: int
    seed: int
    npv_CNY: dict[str, Any]
    reuse_share: dict[str, Any]
    destinations: list[dict[str, Any]]
    unallocated: dict[str, Any]
    deterministic: dict[str, Any]
    inputs: list[dict[str, str]]
    solved: int
    failed: list[dict[str, Any]]
    case: dict[str, Any]
    method: dict[str, str]
    scenarios: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    #: wall times (s) of the deterministic plan and of the scenarios; not part of the JSON, so
    #: that runs with other executors give the same JSON
    timings: dict[str, float] | None = attached()

    TABLES = {
        "scenarios": (_scenario_rows, SCENARIO_COLUMNS),
        "summary": (_summary_rows, ("figure", "mean", "p10", "p50", "p90", "cvar90")),
        "flows": (_flow_rows, FLOW_COLUMNS),
    }

    def to_frame(self, table: str | None = None) -> Any:
        """``scenarios`` (default; the documented columns, then one per input drawn and one
        ``limits_hold <destination>`` per destination), ``summary`` or ``flows`` (one row per
        solved scenario, destination and period: ``delivered_m3_d``, m3/d)."""
        import pandas as pd

        if table in (None, "scenarios"):
            return pd.DataFrame(_scenario_rows(self))
        return super().to_frame(table)

    def summary_text(self, lang: str = "en") -> str:
        """The result in a few lines in ``lang`` (what ``cbmwater uncertainty --format text``
        prints)."""
        from ..i18n import render, translate

        def t(code: str, **params: Any) -> str:
            return translate(f"uncertainty.text.{code}", lang, **params)

        def line(name: str, s: Mapping[str, Any], fmt: str) -> str:
            if s.get("mean") is None:
                return t("no_solution", name=name)
            keys = ("mean", "p10", "p50", "p90", "cvar90")
            return t("stats", name=name, **{k: format(s[k], fmt) for k in keys})

        d = self.deterministic
        status = d.get("status")
        out = [
            t(
                "head",
                name=self.case.get("name", ""),
                samples=self.samples,
                seed=self.seed,
                solved=self.solved,
            ),
            t(
                "deterministic",
                status=render(named("optimise.text.status", str(status)), lang),
                npv=d.get("npv_CNY") or 0,
                builds=", ".join(d.get("builds") or []) or t("none"),
            ),
            line(t("npv"), self.npv_CNY, ",.0f"),
            line(t("reuse"), self.reuse_share, ".3f"),
        ]
        u = self.unallocated
        if u.get("probability") is not None:
            out.append(
                t("unallocated", p=u["probability"], expected=u["expected_m3"], p90=u["p90_m3"])
            )
        for dest in self.destinations:
            p = dest["p_limits_hold"]
            out.append(
                t(
                    "destination",
                    name=dest["name"],
                    kind=render(named("optimise.text.kind", str(dest["kind"])), lang),
                    share="-" if p is None else f"{100 * p:.0f} %",
                )
            )
        return "\n".join(out)


def uncertainty(
    case: str | Path | Mapping[str, Any] | Case,
    *,
    samples: int,
    seed: int,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    database: str | None = None,
    allow_outside: bool = False,
) -> UncertaintyResult:
    """Evaluate a case's least-cost plan under ``samples`` scenarios of its ``[uncertainty]``.

    The deterministic plan fixes the builds; each scenario re-optimises the flows (an LP, with
    the plan's hub and PHREEQC blend checks and cuts); water that cannot be placed is measured,
    not an error.  Scenario i draws from ``task_seed(seed, i)`` and the scenarios run on the
    executor (:mod:`cbmwater.executor`), so the result is the same with any number of workers,
    on the process pool or on Dask.

    Parameters
    ----------
    case : str, Path, mapping or Case
        A ``case.toml`` with an ``[uncertainty]`` section (docs/uncertainty.md).
    samples : int
        Scenarios (1-100000).
    seed : int
        The run's seed (>= 0).
    workers : int, optional
        Worker processes (default: every core).
    scheduler : str, optional
        ``"local-dask"`` or ``"tcp://host:port"`` for Dask; default the local process pool.
    progress : callable(message, fraction), optional
        Called as scenarios finish.
    solver, time_limit_s, mip_gap, database, allow_outside
        As for :func:`cbmwater.optimise`.

    Returns
    -------
    UncertaintyResult
        NPV cost and reuse share statistics (mean, P10, P50, P90, CVaR 90 %), each
        destination's probability that its limits hold without curtailment, unallocated-water
        risk, and the scenario table.

    Examples
    --------
    >>> import cbmwater
    >>> res = cbmwater.uncertainty("case.toml", samples=50, seed=1)  # doctest: +SKIP
    >>> res.npv_CNY["p90"] >= res.npv_CNY["p50"]  # doctest: +SKIP
    True
    """
    from ..errors import InputError
    from ..executor import map_tasks, task_seed
    from ..optimize.scenarios import run_scenario, summarise

    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= 100000:
        raise InputError(Text.of("uncertainty.error.samples", samples=repr(samples)))
    prog = progress or (lambda _m, _f: None)
    t0 = time.perf_counter()
    c, det, job = plan_job(
        case,
        seed=seed,
        progress=prog,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        database=database,
        allow_outside=allow_outside,
    )
    t_det = time.perf_counter() - t0
    assert c.uncertainty is not None  # plan_job checked

    def step(done: int, total: int | None) -> None:
        n = total or samples
        prog(Text.of("uncertainty.progress.scenario", done=done, total=n), 0.3 + 0.7 * done / n)

    t1 = time.perf_counter()
    items = [(i, task_seed(seed, i)) for i in range(samples)]
    rows = map_tasks(
        partial(run_scenario, job), items, workers=workers, scheduler=scheduler, progress=step
    )
    t_sc = time.perf_counter() - t1
    summary = summarise(rows, c)
    res = {
        "samples": samples,
        "seed": seed,
        "npv_CNY": summary["npv_CNY"],
        "reuse_share": summary["reuse_share"],
        "destinations": summary["destinations"],
        "unallocated": summary["unallocated"],
        "deterministic": {
            "status": det["status"],
            "npv_CNY": det["objective_CNY"],
            "reuse_share": det["kpis"]["reuse_share"],
            "builds": [f"{b['site']}/{b['train']} {b['size_m3_d']:g}" for b in det["builds"]],
        },
        "inputs": c.uncertainty.describe(),
        "solved": summary["solved"],
        "failed": summary["failed"],
        "case": {"name": c.name, "sha256": c.sha256, "periods": c.periods},
        "method": {
            "builds": "fixed from the case's least-cost plan (cbmwater optimise)",
            "recourse": "flows re-optimised per scenario (LP, HiGHS) with the hub and PHREEQC "
            "blend check-and-cut loop; unplaceable water leaves through a priced slack and is "
            "reported as unallocated",
            "seeding": "scenario i draws from numpy default_rng(task_seed(seed, i))",
            "npv": "NPV cost (CNY of the price year); p10/p50/p90 are numpy linear "
            "percentiles; cvar90 is the mean of the worst ceil(0.1 N) scenarios (highest "
            "cost, lowest reuse share)",
            "p_limits_hold": "share of scenarios in which the plan's blend at the destination "
            "meets every concentration limit at the scenario's water qualities",
        },
        "scenarios": rows,
        "warnings": list(c.warnings),
    }
    return UncertaintyResult.from_dict(
        res,
        timings={
            "deterministic_s": t_det,
            "scenarios_s": t_sc,
            "total_s": time.perf_counter() - t0,
        },
    )


def plan_job(
    case: str | Path | Mapping[str, Any] | Case,
    *,
    seed: int,
    progress: Progress,
    solver: str,
    time_limit_s: float,
    mip_gap: float,
    database: str | None,
    allow_outside: bool,
) -> tuple[Case, dict[str, Any], ScenarioJob]:
    """The case, its deterministic plan and the scenario job that fixes the plan's builds
    (shared by :func:`uncertainty` and :func:`cbmwater.study.sensitivity.sensitivity`);
    progress 0-0.3.  Raises InputError for a bad seed, a case without ``[uncertainty]`` or a
    plan that is not solved."""
    from ..errors import InputError
    from ..optimize.plan import optimise as _optimise
    from ..optimize.prepared import Prepared
    from ..optimize.scenarios import ScenarioJob, deterministic_blends, fixed_builds_of
    from .network import _as_case

    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(Text.of("uncertainty.error.seed", seed=repr(seed)))
    c = _as_case(case, allow_outside)
    if c.uncertainty is None:
        raise InputError(
            Text.of("uncertainty.error.no_section"),
            file=str(c.path) if c.path else None,
        )
    prep = Prepared(c, database=database, progress=lambda m, f: progress(m, 0.2 * f))
    progress(Text.of("uncertainty.progress.deterministic"), 0.2)
    det = _optimise(
        c,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        database=database,
        prepared=prep,
        progress=lambda m, f: progress(m, 0.2 + 0.1 * f),
    )
    if det["status"] not in ("optimal", "feasible"):
        raise InputError(
            Text.of(
                "uncertainty.error.plan_not_solved",
                status=named("optimise.text.status", str(det["status"])),
            ),
            file=str(c.path) if c.path else None,
        )
    # the precompute as the deterministic plan left it (hubs mixed as planned)
    job = ScenarioJob(
        prep,
        fixed_builds_of(det),
        deterministic_blends(prep, det),
        solver,
        time_limit_s,
        mip_gap,
        8,
        database,
    )
    return c, det, job
