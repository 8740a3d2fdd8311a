"""Two-stage stochastic plans: builds decided once for every scenario, flows per scenario.

Documented in ``docs/stochastic.md``.  The program (all scenarios weigh ``1/N``)::

    min  sum_k c_k y_k  +  (1/N) sum_s [ flow cost_s(F_s, x_s, w_s, g_s) + P spill_s ]

* first stage: the build options ``y`` (pair, size, build period: :func:`.model.build_options`)
  with their charges ``c`` priced from the case's own precompute; at most one size per pair and
  build period;
* second stage, per scenario ``s``: the network model of the scenario's precompute
  (:meth:`.prepared.Prepared.scenario`) on the shared ``y`` (:func:`.model.add_flows`):
  balances, splits, capacity in place, destination capacity and quality, SAR tangents, cuts;
  water no plant and destination can place leaves through a slack priced at
  :func:`.model.spill_penalty_CNY_m3` (``P``), so every scenario has a recourse.

Methods:

``extensive``
    The deterministic equivalent: one Pyomo model, ``y`` shared by ``N`` blocks, on HiGHS.
``ph``
    Progressive hedging (Rockafellar & Wets 1991; for mixed-integer problems Watson & Woodruff
    2011) over the same single-scenario models.  Iteration 0 solves every scenario alone (its
    objective's mean is a lower bound on the program); then ``W_s += rho (y_s - ybar)`` and
    each scenario minimises ``cost_s + (W_s + rho/2 (1 - 2 ybar)) y``: the proximal term
    ``rho/2 (y - ybar)^2`` is exact as a linear term because ``y`` is binary (``y^2 = y``), so
    the subproblems stay MILPs for HiGHS.  ``rho_k = rho_factor * c_k`` (cost-proportional,
    Watson & Woodruff 2011), default ``rho_factor = 0.5``.

    Each scenario's model is built and loaded into HiGHS once per pass of the check-and-cut
    loop (:class:`_Persistent`: Pyomo APPSI, kept across iterations); an iteration changes only
    the ``K`` cost coefficients of the build options in place and starts HiGHS from the
    scenario's previous solution.  Two of Watson & Woodruff's (2011) accelerators:
    *fixing* -- an option on which every scenario has agreed for ``fix_after`` (2) iterations
    in a row is fixed at that value in every subproblem; *slamming* -- from iteration
    ``slam_after`` (20) on, each iteration fixes one option the scenarios still disagree on at
    its majority value (strongest majority first), so PH ends in at most ``slam_after + K``
    iterations.  Fixing keeps the "one size per (pair, period)" rows satisfiable: an option
    fixed at 1 had every scenario (or a majority, > 1/2) on it, so no other option of its group
    can be fixed at 1.  Converged when every scenario's ``y`` agrees; otherwise after
    ``ph_iterations`` the consensus is the option of each (pair, period) with the largest mean
    if that mean is >= 0.5.  The consensus builds are then fixed in the same loaded instances
    and every scenario's flows optimised: the reported expected cost is that of the consensus
    plan.

    The scenarios are solved one after another in this process: the executor
    (:mod:`cbmwater.executor`) runs stateless tasks on any worker, so a subproblem sent to it
    would have to ship its model and load it into HiGHS again at every iteration -- the cost
    the persistent instances remove (docs/stochastic.md).

Both methods then run the engine's check-and-cut loop on every scenario's plan: hubs whose
planned mixture differs from their simulated feed are simulated again, and PHREEQC checks every
destination blend (pH, SAR, saturation indices: :mod:`.geocheck`) and every reinjection blend
with its formation water (:mod:`.injectate`); each violation is a cut in that scenario's block,
and the program is solved again, until no scenario needs a cut or ``max_iterations``.

The value of the stochastic solution ``VSS = EEV - SP`` and the expected value of perfect
information ``EVPI = SP - WS`` (Birge & Louveaux 2011, ch. 4): ``SP`` the stochastic program's
expected cost; ``EEV`` the expected cost of the deterministic plan's builds (the case as
written, :func:`.plan.optimise`) under the scenarios, flows re-optimised; ``WS`` the mean over
scenarios of each scenario optimised with its own builds.  All three use the same scenarios,
penalty and check-and-cut loop; costs include the penalty of unallocated water (reported apart).

References
----------
Rockafellar, R. T., Wets, R. J.-B. (1991). Scenarios and policy aggregation in optimization
under uncertainty. Mathematics of Operations Research 16(1), 119-147.

Watson, J.-P., Woodruff, D. L. (2011). Progressive hedging innovations for a class of
stochastic mixed-integer resource allocation problems. Computational Management Science 8(4),
355-370 (cost-proportional rho, variable fixing, slamming).

Birge, J. R., Louveaux, F. (2011). Introduction to Stochastic Programming, 2nd ed. Springer.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyomo.environ as pyo

from ..errors import CbmwaterError, InputError
from ..i18n import Text
from .geocheck import BlendCheck, check_blends
from .injectate import check_formation_blends
from .model import (
    Builds,
    FlowBlock,
    _lin,
    add_flows,
    add_rows,
    build_options,
    demand_changes,
    first_stage_rows,
    fixed_y,
    site_flows,
    spill_penalty_CNY_m3,
)
from .network import Cut, Network
from .prepared import Prepared
from .solver import SolveInfo, solve

__all__ = [
    "METHODS",
    "Options",
    "ProgramResult",
    "first_stage_options",
    "solve_program",
    "isolated",
]

METHODS = ("extensive", "ph")
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Options:
    """The first-stage build options shared by every scenario (arrays as in :class:`Network`)."""

    y_pair: np.ndarray
    y_size: np.ndarray
    y_period: np.ndarray
    y_years: np.ndarray
    y_charge_CNY: np.ndarray

    def on(self, net: Network) -> Network:
        """``net`` with these build options (copies: :func:`.model.fixed_y` may edit them)."""
        return replace(
            net,
            y_pair=self.y_pair.copy(),
            y_size=self.y_size.copy(),
            y_period=self.y_period.copy(),
            y_years=self.y_years.copy(),
            y_charge_CNY=self.y_charge_CNY.copy(),
        )


def first_stage_options(base: Prepared, scenarios: Sequence[Prepared], staging: bool) -> Options:
    """Build options covering the case and every scenario: sizes up to the smallest that covers
    the most water any of them sends to the site; charges from ``base``'s path table."""
    nets = [p.network(staging=staging) for p in [base, *scenarios]]
    for n in nets[1:]:
        if n.table.pairs != nets[0].table.pairs or n.sites != nets[0].sites:
            raise ValueError(Text.of("stochastic.error.other_network"))
    flow = np.max([site_flows(n) for n in nets], axis=0)
    n0 = nets[0]
    changes = np.any([demand_changes(p.case) for p in [base, *scenarios]], axis=0)
    return Options(
        *build_options(
            n0.table, flow, n0.pair_site, n0.B, n0.crf, staging=staging, demand_changes=changes
        )
    )


def isolated(prep: Prepared) -> Prepared:
    """A copy of ``prep`` that :meth:`Prepared.update_hubs` may change without touching
    ``prep`` (its own feeds dict and screen)."""
    new = copy.copy(prep)
    new.feeds = dict(prep.feeds)
    new.screen = copy.deepcopy(prep.screen)
    return new


@dataclass
class ProgramResult:
    """A solved program: the builds, every scenario's flows and costs, the loop's record."""

    status: str
    y: np.ndarray  # first-stage values (0/1) over the options
    nets: list[Network]
    vals: list[dict[str, np.ndarray]]
    npv_CNY: list[float]  # per scenario: build charge + flow cost (no penalty)
    penalty_CNY: list[float]  # per scenario: the priced unallocated water
    unallocated_m3: list[float]
    cuts: list[list[Cut]]
    checks: list[list[BlendCheck]]
    formation_checks: list[list[dict]]
    iterations: list[dict]
    seconds: float
    ph: dict[str, Any] = field(default_factory=dict)
    gap: float | None = None

    @property
    def expected_cost_CNY(self) -> float:
        """Mean over scenarios of NPV + penalty (the program's objective), CNY."""
        return float(np.mean(np.add(self.npv_CNY, self.penalty_CNY)))

    @property
    def expected_npv_CNY(self) -> float:
        return float(np.mean(self.npv_CNY))


# -- one model over several scenarios ----------------------------------------------------------
@dataclass
class _Program:
    model: pyo.ConcreteModel
    blocks: list[Any]
    flows: list[FlowBlock]
    charge: np.ndarray


def _program(
    nets: Sequence[Network],
    cuts: Sequence[Sequence[Cut]],
    fixed: np.ndarray | None,
    sar_envelope: bool,
) -> _Program:
    """The extensive form of ``nets`` (equal weights) on shared ``y`` (fixed where given)."""
    n0 = nets[0]
    m = pyo.ConcreteModel(name="cbmwater_stochastic")
    m.y = pyo.Var(range(len(n0.y_pair)), domain=pyo.Binary, doc="first-stage build options")
    Y = list(m.y.values())
    if fixed is not None:
        for k, v in enumerate(fixed):
            m.y[k].fix(int(round(float(v))))
    add_rows(m, first_stage_rows(n0, Y))
    m.s = pyo.Block(range(len(nets)))
    blocks, flows = [], []
    w = 1.0 / len(nets)
    coefs: list[float] = list(n0.y_charge_CNY)
    vars_: list[Any] = list(Y)
    for k, net in enumerate(nets):
        b = m.s[k]
        fb = add_flows(
            b,
            net,
            Y,
            cuts=list(cuts[k]),
            priced_spill=True,
            sar_envelope=sar_envelope,
            first_stage=False,
        )
        add_rows(b, fb.rows)
        coefs += [w * c for c in fb.cost_coefs]
        vars_ += fb.cost_vars
        assert fb.spill_cost is not None  # priced_spill
        coefs += [w * float(c) for c in fb.spill_cost.linear_coefs]
        vars_ += list(fb.spill_cost.linear_vars)
        blocks.append(b)
        flows.append(fb)
    m.obj = pyo.Objective(
        expr=_lin(coefs, vars_),
        sense=pyo.minimize,
        doc="build charges + mean over scenarios of flow cost and unallocated-water penalty, CNY",
    )
    return _Program(m, blocks, flows, np.asarray(n0.y_charge_CNY, float))


def _get(v: Any) -> np.ndarray:
    return np.array([x.value if x.value is not None else np.nan for x in v.values()], float)


def _block_values(p: _Program, k: int) -> dict[str, np.ndarray]:
    b = p.blocks[k]
    out = {n: _get(getattr(b, n)) for n in ("F", "x", "w", "g")}
    out["y"] = np.round(_get(p.model.y))
    out["spill"] = _get(b.spill)
    return out


def _scenario_costs(p: _Program, k: int, vals: dict[str, np.ndarray]) -> tuple[float, float]:
    """(NPV of builds + flows, penalty of unallocated water) of scenario ``k``, CNY."""
    fb = p.flows[k]
    flow = float(
        np.dot(fb.cost_coefs, np.nan_to_num([v.value or 0.0 for v in fb.cost_vars]))
        if fb.cost_vars
        else 0.0
    )
    assert fb.spill_cost is not None
    pen = float(
        np.dot(
            [float(c) for c in fb.spill_cost.linear_coefs],
            [v.value or 0.0 for v in fb.spill_cost.linear_vars],
        )
    )
    return float(np.dot(p.charge, np.nan_to_num(vals["y"]))) + flow, pen


# -- progressive hedging -----------------------------------------------------------------------
def _consensus(net: Network, ybar: np.ndarray) -> np.ndarray:
    """Per (pair, period): the option with the largest mean if that mean is >= 0.5."""
    y = np.zeros(len(ybar))
    groups: dict[tuple[int, int], list[int]] = {}
    for k, (i, p) in enumerate(zip(net.y_pair, net.y_period)):
        groups.setdefault((int(i), int(p)), []).append(k)
    for ks in groups.values():
        best = max(ks, key=lambda k: ybar[k])
        if ybar[best] >= 0.5:
            y[best] = 1.0
    return y


#: APPSI termination conditions -> the status words of :class:`.solver.SolveInfo`
_STATUS = {
    "optimal": "optimal",
    "infeasible": "infeasible",
    "infeasibleOrUnbounded": "infeasible",
    "unbounded": "unbounded",
}


class _Persistent:
    """One scenario's single-scenario model and its HiGHS instance, kept across PH iterations.

    The model is built and handed to HiGHS once (Pyomo APPSI ``set_instance``); the objective
    carries one mutable parameter per build option, ``ph_cost[k] y[k]`` (progressive hedging's
    ``W + rho/2 (1 - 2 ybar)``), so an iteration changes ``K`` cost coefficients of the loaded
    HiGHS model in place (``update_params``) and starts HiGHS from the scenario's previous
    solution (``warmstart``: the last ``y`` and flows, feasible because only costs change).
    Fixing an option sets its bounds in place (``update_variables``).
    """

    def __init__(
        self,
        prog: _Program,
        *,
        time_limit_s: float,
        mip_gap: float,
        threads: int | None,
    ) -> None:
        from pyomo.contrib.appsi.solvers.highs import Highs

        self.prog = prog
        m = prog.model
        self.Y = list(m.y.values())
        m.ph_cost = pyo.Param(
            range(len(self.Y)),
            mutable=True,
            initialize=0.0,
            doc="progressive hedging's cost of each build option: W + rho/2 (1 - 2 ybar), CNY",
        )
        base = m.obj.expr
        m.del_component(m.obj)
        m.obj = pyo.Objective(
            expr=base + sum(m.ph_cost[k] * y for k, y in enumerate(self.Y)), sense=pyo.minimize
        )
        opt = Highs()
        opt.config.time_limit = float(time_limit_s)
        opt.config.mip_gap = float(mip_gap)
        opt.config.load_solution = False
        opt.config.stream_solver = False
        opt.config.warmstart = True
        if threads:
            opt.highs_options = {"threads": int(threads)}
        uc = opt.update_config  # between solves only the parameters change
        for name in (
            "check_for_new_or_removed_constraints",
            "check_for_new_or_removed_vars",
            "check_for_new_or_removed_params",
            "check_for_new_objective",
            "update_constraints",
            "update_vars",
            "update_named_expressions",
            "update_objective",
        ):
            setattr(uc, name, False)
        uc.update_params = True
        opt.set_instance(m)
        self.opt = opt

    def solve(self, cost: np.ndarray | None) -> SolveInfo:
        """Solve with ``cost`` (CNY per option; None: 0) added to the build charges."""
        m = self.prog.model
        for k, c in enumerate(np.zeros(len(self.Y)) if cost is None else cost):
            m.ph_cost[k].value = float(c)
        t0 = time.perf_counter()
        res = self.opt.solve(m)
        obj, bound = res.best_feasible_objective, res.best_objective_bound
        obj = float(obj) if obj is not None and np.isfinite(obj) else None
        bound = float(bound) if bound is not None and np.isfinite(bound) else None
        if obj is not None:
            res.solution_loader.load_vars()
        status = _STATUS.get(
            res.termination_condition.name, "feasible" if obj is not None else "error"
        )
        gap = None
        if obj is not None and bound is not None:
            gap = abs(obj - bound) / max(abs(obj), 1e-9)
        return SolveInfo(status, obj, bound, gap, time.perf_counter() - t0, "highs")

    def fix(self, ks: Sequence[int], values: Sequence[float]) -> None:
        """Fix options ``ks`` at ``values`` (0/1) in the loaded model (bounds, in place)."""
        for k, v in zip(ks, values):
            self.Y[k].setlb(float(v))
            self.Y[k].setub(float(v))
        self.opt.update_variables([self.Y[k] for k in ks])

    def y(self) -> np.ndarray:
        return np.round(_get(self.prog.model.y))


def _ph(
    nets: Sequence[Network],
    cuts: Sequence[Sequence[Cut]],
    *,
    time_limit_s: float,
    mip_gap: float,
    sar_envelope: bool,
    rho_factor: float,
    max_iterations: int,
    fix_after: int = 2,
    slam_after: int = 20,
    progress: Progress | None = None,
) -> tuple[np.ndarray, list[_Persistent], dict[str, Any]]:
    """Progressive hedging (module docstring): the consensus builds, the scenarios' persistent
    instances (for the flows with the builds fixed) and the run's record."""
    from .solver import default_threads

    t0 = time.perf_counter()
    threads = default_threads()
    runs = [
        _Persistent(
            _program([n], [c], None, sar_envelope),
            time_limit_s=time_limit_s,
            mip_gap=mip_gap,
            threads=threads,
        )
        for n, c in zip(nets, cuts)
    ]
    t_build = time.perf_counter() - t0
    charge = runs[0].prog.charge
    rho = rho_factor * np.maximum(charge, 1.0)
    N, K = len(nets), len(charge)
    W = np.zeros((N, K))
    ys = np.zeros((N, K))
    fixed = np.full(K, np.nan)  # the value of each fixed option, NaN where free
    agreed_for = np.zeros(K, int)  # iterations in a row in which every scenario agreed
    lower = None
    converged = False
    history: list[dict[str, Any]] = []
    # slamming fixes an option per iteration from slam_after on: PH ends by this iteration
    bound = min(max_iterations, slam_after + K)
    it = 0
    for it in range(max_iterations + 1):
        ybar = ys.mean(axis=0)
        objs = []
        for s, run in enumerate(runs):
            info = run.solve(None if it == 0 else W[s] + 0.5 * rho * (1.0 - 2.0 * ybar))
            if not info.has_solution:
                raise CbmwaterError(
                    Text.of("stochastic.error.ph_scenario", scenario=s + 1, status=info.status)
                )
            ys[s] = run.y()
            best = info.bound if info.bound is not None else info.objective
            objs.append(float(best if best is not None else np.nan))
        if it == 0:
            lower = float(np.mean(objs))  # W = 0, no proximal term: the wait-and-see bound
        ybar = ys.mean(axis=0)
        agree = np.all(ys == ys[0], axis=0)
        agreed_for = np.where(agree, agreed_for + 1, 0)
        step: dict[str, Any] = {
            "iteration": it,
            "disagreeing": int((~agree).sum()),
            "fixed": int(np.isfinite(fixed).sum()),
            "slammed": None,
            "seconds": time.perf_counter() - t0,
        }
        history.append(step)
        if progress is not None:
            progress(
                Text.of(
                    "stochastic.progress.ph_iteration",
                    iteration=it,
                    disagreeing=step["disagreeing"],
                    options=K,
                    fixed=step["fixed"],
                ),
                min(1.0, (it + 1) / (bound + 1)),
            )
        if agree.all():
            converged = True
            break
        if it == max_iterations:
            break
        W += rho * (ys - ybar)
        # fixing (Watson & Woodruff 2011): an option on which every scenario has
        # agreed for fix_after iterations in a row keeps that value from now on
        new = np.flatnonzero(np.isnan(fixed) & (agreed_for >= fix_after)).tolist()
        values = [float(ys[0, k]) for k in new]
        # slamming (Watson & Woodruff 2011): after slam_after iterations, each iteration one
        # option the scenarios still disagree on is fixed at its majority value -- the one
        # with the strongest majority, ties to the dearest option
        if it + 1 >= slam_after:
            free = np.flatnonzero(np.isnan(fixed) & ~agree)
            if len(free):
                k = int(max(free.tolist(), key=lambda j: (abs(ybar[j] - 0.5), charge[j])))
                new.append(k)
                values.append(1.0 if ybar[k] > 0.5 else 0.0)
                step["slammed"] = k
        if new:
            fixed[new] = values
            for run in runs:
                run.fix(new, values)
    y = ys[0].copy() if converged else _consensus(nets[0], ys.mean(axis=0))
    return (
        y,
        runs,
        {
            "iterations": it,
            "converged": converged,
            "rho_factor": rho_factor,
            "fix_after": fix_after,
            "slam_after": slam_after,
            "iteration_bound": bound,
            "fixed": int(np.isfinite(fixed).sum()),
            "slammed": sum(1 for h in history if h["slammed"] is not None),
            "lower_bound_CNY": lower,
            "history": history,
            "build_seconds": t_build,
            "seconds": time.perf_counter() - t0,
        },
    )


def _scaled(progress: Progress, start: float, span: float) -> Progress:
    """``progress`` with its fraction mapped to ``start + span * fraction``."""
    return lambda msg, frac: progress(msg, start + span * frac)


def _fixed_flows(runs: Sequence[_Persistent], y: np.ndarray) -> list[SolveInfo]:
    """Every scenario's flows with the builds fixed at ``y``, on PH's loaded instances."""
    ks = list(range(len(y)))
    out = []
    for run in runs:
        run.fix(ks, [float(v) for v in y])
        out.append(run.solve(None))
    return out


# -- the loop ----------------------------------------------------------------------------------
def solve_program(
    preps: Sequence[Prepared],
    options: Options,
    *,
    method: str = "extensive",
    fixed: Builds | np.ndarray | None = None,
    staging: bool = True,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    max_iterations: int = 8,
    database: str | None = None,
    sar_envelope: bool = True,
    rho_factor: float = 0.5,
    ph_iterations: int = 100,
    ph_fix_after: int = 2,
    ph_slam_after: int = 20,
    progress: Progress | None = None,
) -> ProgramResult:
    """Solve the two-stage program over ``preps`` (equal weights) with the check-and-cut loop.

    Parameters
    ----------
    preps : sequence of Prepared
        One precompute per scenario (changed in place by hub re-simulation: pass
        :func:`isolated` copies to keep the originals).
    options : Options
        The first-stage build options (:func:`first_stage_options`).
    method : {"extensive", "ph"}
        Extensive form, or progressive hedging (module docstring).
    fixed : mapping or array, optional
        Builds already decided (``(site, train[, period]) -> size`` or 0/1 per option): only
        the flows are optimised, scenario by scenario (LPs).
    rho_factor, ph_iterations, ph_fix_after, ph_slam_after
        Progressive hedging (HiGHS only): ``rho = rho_factor x`` each option's charge; most
        iterations; fix an option every scenario agreed on for ``ph_fix_after`` iterations in
        a row; from iteration ``ph_slam_after`` on, fix one disputed option per iteration.

    Raises
    ------
    InputError
        An unknown method, or progressive hedging with a solver other than HiGHS.
    """
    if method not in METHODS:
        raise InputError(
            Text.of("stochastic.error.method", method=repr(method), allowed=", ".join(METHODS))
        )
    if method == "ph" and fixed is None and solver not in ("highs", "appsi_highs"):
        raise InputError(Text.of("stochastic.error.ph_solver", solver=repr(solver)))
    prog = progress or (lambda _m, _f: None)
    t0 = time.perf_counter()
    N = len(preps)
    cuts: list[list[Cut]] = [[] for _ in range(N)]
    iterations: list[dict] = []
    checks: list[list[BlendCheck]] = [[] for _ in range(N)]
    fchecks: list[list[dict]] = [[] for _ in range(N)]
    ph: dict[str, Any] = {}
    status = "iteration_limit"
    y_fixed: np.ndarray | None = None
    if fixed is not None and not isinstance(fixed, np.ndarray):
        y_fixed = fixed_y(options.on(preps[0].network(staging=staging)), fixed)
    elif fixed is not None:
        y_fixed = np.asarray(fixed, float)
    gap: float | None = None
    for it in range(1, max_iterations + 1):
        prog(Text.of("stochastic.progress.build", iteration=it), (it - 1) / max_iterations)
        nets = [options.on(p.network(staging=staging)) for p in preps]
        y = y_fixed
        progs: list[_Program]
        if y is None and method == "ph":
            y, runs, ph = _ph(
                nets,
                cuts,
                time_limit_s=time_limit_s,
                mip_gap=mip_gap,
                sar_envelope=sar_envelope,
                rho_factor=rho_factor,
                max_iterations=ph_iterations,
                fix_after=ph_fix_after,
                slam_after=ph_slam_after,
                progress=_scaled(prog, (it - 1) / max_iterations, 0.45 / max_iterations),
            )
            progs = [r.prog for r in runs]
            infos = _fixed_flows(runs, y)
            owner = [(k, 0) for k in range(N)]
        elif y is None:  # extensive form
            progs = [_program(nets, cuts, None, sar_envelope)]
            infos = [
                solve(progs[0].model, solver=solver, time_limit_s=time_limit_s, mip_gap=mip_gap)
            ]
            owner = [(0, k) for k in range(N)]
        else:  # builds fixed: the scenarios are independent LPs
            progs = [_program([n], [c], y, sar_envelope) for n, c in zip(nets, cuts)]
            infos = [
                solve(p.model, solver=solver, time_limit_s=time_limit_s, mip_gap=mip_gap)
                for p in progs
            ]
            owner = [(k, 0) for k in range(N)]
        bad = [i for i in infos if not i.has_solution]
        if bad:
            status = bad[0].status
            iterations.append({"iteration": it, "status": status, "reason": "no solution"})
            return _failed(status, nets, iterations, t0, ph)
        gap = _worst_gap(infos)
        vals = [_block_values(progs[a], b) for a, b in owner]
        rec: dict[str, Any] = {
            "iteration": it,
            "status": "optimal" if all(i.status == "optimal" for i in infos) else "feasible",
            # the extensive form's objective, or the mean of the scenarios' (builds fixed)
            "objective": float(np.mean([i.objective or 0.0 for i in infos])),
            "gap": gap,
            "hubs_updated": [],
            "cuts_added": 0,
        }
        changed = []
        for k, (p, net) in enumerate(zip(preps, nets)):
            if net.hubs:
                changed += [f"{h} (scenario {k + 1})" for h in p.update_hubs(net, vals[k])]
        if changed:
            rec["hubs_updated"] = changed
            iterations.append(rec)
            continue
        prog(Text.of("stochastic.progress.checks", iteration=it), (it - 0.5) / max_iterations)
        added = 0
        for k, net in enumerate(nets):
            db = database or "phreeqc"
            checks[k], new = check_blends(net, vals[k], it, database=db)
            fchecks[k], fnew = check_formation_blends(net, vals[k], it, database=db)
            cuts[k] += new + fnew
            added += len(new) + len(fnew)
        rec["cuts_added"] = added
        iterations.append(rec)
        if not added:
            status = rec["status"]
            break
    costs = [_scenario_costs(progs[a], b, v) for (a, b), v in zip(owner, vals)]
    vol = 365.0 * preps[0].case.period_years
    return ProgramResult(
        status,
        np.round(vals[0]["y"]),
        nets,
        vals,
        [c[0] for c in costs],
        [c[1] for c in costs],
        [float(np.nan_to_num(v["spill"]).sum() * vol) for v in vals],
        cuts,
        checks,
        fchecks,
        iterations,
        time.perf_counter() - t0,
        ph,
        gap,
    )


def _worst_gap(infos: Sequence[SolveInfo]) -> float | None:
    gaps = [i.gap for i in infos if i.gap is not None]
    return max(gaps) if gaps else None


def _failed(
    status: str, nets: list[Network], iterations: list[dict], t0: float, ph: dict
) -> ProgramResult:
    N = len(nets)
    return ProgramResult(
        status,
        np.zeros(len(nets[0].y_pair)),
        nets,
        [],
        [],
        [],
        [],
        [[] for _ in range(N)],
        [[] for _ in range(N)],
        [[] for _ in range(N)],
        iterations,
        time.perf_counter() - t0,
        ph,
    )


# -- the stochastic plan of a case ---------------------------------------------------------------
def builds_of(net: Network, y: np.ndarray) -> dict[tuple[str, str, int], float]:
    """``(site, train, build period) -> size`` of the options of ``net`` with ``y = 1``."""
    out = {}
    for k in np.flatnonzero(np.asarray(y) > 0.5).tolist():
        site, train = net.table.pairs[int(net.y_pair[k])]
        out[(site, train, int(net.y_period[k]) + 1)] = float(net.sizes[net.y_size[k]])
    return out


def _build_text(b: dict[tuple[str, str, int], float]) -> list[str]:
    return [
        f"{s}/{t} {z:g}" + ("" if p == 1 else f" (period {p})")
        for (s, t, p), z in sorted(b.items())
    ]


def stochastic_optimise(
    case: Any,
    *,
    samples: int | None = None,
    seed: int | None = None,
    scenarios: Sequence[Any] | None = None,
    method: str = "extensive",
    staging: bool = True,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    max_iterations: int = 8,
    database: str | None = None,
    rho_factor: float = 0.5,
    ph_iterations: int = 100,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The two-stage stochastic plan of ``case``, its VSS and EVPI (module docstring).

    Scenarios are either ``samples`` draws of the case's ``[uncertainty]`` (scenario i from
    ``default_rng(task_seed(seed, i))``, as :mod:`.scenarios` draws them), or the given
    ``scenarios`` (cases of the same network: other wells, destinations, prices), each of
    weight ``1/N``.

    Returns
    -------
    dict
        The results dict of :func:`.plan.optimise` for the stochastic plan's builds on the case
        as written (builds fixed, flows optimised, checks and cuts), plus ``scenarios`` (per
        scenario: NPV, penalty, unallocated water of the stochastic plan, the deterministic
        plan and the scenario's own plan), ``vss_CNY``, ``evpi_CNY`` and ``stochastic`` (the
        program: method, expected costs, both other plans, iterations, progressive hedging).
    """
    from ..executor import task_seed
    from .plan import optimise
    from .scenarios import fixed_builds_of, sampled_scenario

    prog = progress or (lambda _m, _f: None)
    t0 = time.perf_counter()
    base = Prepared(case, database=database, progress=lambda m, f: prog(m, 0.1 * f))
    prog(Text.of("stochastic.progress.draw"), 0.1)
    drawn: list[dict[str, Any]] = []
    if scenarios is not None:
        preps = [base.scenario(sc) for sc in scenarios]
        drawn = [{"scenario": i} for i in range(len(preps))]
    else:
        assert samples is not None and seed is not None
        preps = []
        for i in range(samples):
            s_i = task_seed(seed, i)
            p, values = sampled_scenario(base, s_i)
            preps.append(p)
            drawn.append({"scenario": i, "seed": s_i, "inputs": dict(values)})
    options = first_stage_options(base, preps, staging)
    common = dict(
        staging=staging,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        max_iterations=max_iterations,
        database=database,
    )
    prog(Text.of("stochastic.progress.deterministic"), 0.2)
    t1 = time.perf_counter()
    det = optimise(
        case,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        max_iterations=max_iterations,
        database=database,
        prepared=isolated(base),
        staging=staging,
        progress=lambda _m, _f: None,
    )
    if det["status"] not in ("optimal", "feasible"):
        raise CbmwaterError(Text.of("stochastic.error.deterministic", status=det["status"]))
    det_builds = fixed_builds_of(det)
    t_det = time.perf_counter() - t1
    prog(Text.of("stochastic.progress.program", method=method, scenarios=len(preps)), 0.3)
    t1 = time.perf_counter()
    sp = solve_program(
        [isolated(p) for p in preps],
        options,
        method=method,
        rho_factor=rho_factor,
        ph_iterations=ph_iterations,
        progress=lambda m, f: prog(m, 0.3 + 0.3 * f),
        **common,  # type: ignore[arg-type]
    )
    t_sp = time.perf_counter() - t1
    if not sp.vals:
        raise CbmwaterError(Text.of("stochastic.error.program", status=sp.status))
    prog(Text.of("stochastic.progress.eev"), 0.6)
    t1 = time.perf_counter()
    eev = solve_program([isolated(p) for p in preps], options, fixed=det_builds, **common)  # type: ignore[arg-type]
    t_eev = time.perf_counter() - t1
    prog(Text.of("stochastic.progress.wait_and_see"), 0.75)
    t1 = time.perf_counter()
    ws = [solve_program([isolated(p)], options, **common) for p in preps]  # type: ignore[arg-type]
    t_ws = time.perf_counter() - t1
    sp_builds = builds_of(sp.nets[0], sp.y)
    prog(Text.of("stochastic.progress.as_written"), 0.9)
    res = optimise(
        case,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        max_iterations=max_iterations,
        database=database,
        prepared=isolated(base),
        fixed_builds=sp_builds,
        progress=lambda _m, _f: None,
    )
    ws_cost = float(np.mean([w.expected_cost_CNY for w in ws]))
    rows = []
    for k, d in enumerate(drawn):
        rows.append(
            dict(
                d,
                npv_CNY=sp.npv_CNY[k],
                penalty_CNY=sp.penalty_CNY[k],
                unallocated_m3=sp.unallocated_m3[k],
                cuts=len(sp.cuts[k]),
                deterministic_npv_CNY=eev.npv_CNY[k] if eev.vals else None,
                deterministic_unallocated_m3=eev.unallocated_m3[k] if eev.vals else None,
                wait_and_see_npv_CNY=ws[k].npv_CNY[0] if ws[k].vals else None,
                wait_and_see_builds=_build_text(builds_of(ws[k].nets[0], ws[k].y)),
            )
        )
    sp_cost = sp.expected_cost_CNY
    eev_cost = eev.expected_cost_CNY if eev.vals else None
    res["scenarios"] = rows
    res["vss_CNY"] = None if eev_cost is None else eev_cost - sp_cost
    res["evpi_CNY"] = sp_cost - ws_cost
    res["stochastic"] = {
        "method": method,
        "samples": len(preps),
        "seed": seed,
        "staging": staging,
        "status": sp.status,
        "gap": sp.gap,
        "expected_cost_CNY": sp_cost,
        "expected_npv_CNY": sp.expected_npv_CNY,
        "expected_unallocated_m3": float(np.mean(sp.unallocated_m3)),
        "builds": _build_text(sp_builds),
        "deterministic": {
            "builds": _build_text(det_builds),
            "npv_CNY": det["objective_CNY"],
            "expected_cost_CNY": eev_cost,
            "status": eev.status,
        },
        "wait_and_see_cost_CNY": ws_cost,
        "iterations": sp.iterations,
        "progressive_hedging": sp.ph or None,
        "penalty_CNY_m3": spill_penalty_CNY_m3(sp.nets[0]),
        "note": "expected costs are NPV (CNY) plus the penalty of unallocated water "
        "(penalty_CNY_m3 per m3); vss_CNY = deterministic.expected_cost_CNY "
        "- expected_cost_CNY; evpi_CNY = expected_cost_CNY - wait_and_see_cost_CNY; the "
        "results' flows, destinations and costs are the stochastic builds on the case as "
        "written",
        "timings": {
            "deterministic_s": t_det,
            "program_s": t_sp,
            "deterministic_under_scenarios_s": t_eev,
            "wait_and_see_s": t_ws,
            "total_s": time.perf_counter() - t0,
        },
    }
    prog(Text.of("stochastic.progress.done"), 1.0)
    return res
