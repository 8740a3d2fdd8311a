"""One optimisation of a case, from the validated case to the results dict.

The loop (each pass is reported in ``iterations``):

1. pre-computation (:mod:`.precompute`) -- station feeds, every (site, train, period);
2. a pre-solve check of produced water against all destination capacity per period, and the
   screen of every stream that may go to a reinjection destination with a formation: mixed with
   the formation water as the regulator's review mixes it (:mod:`.injectate`); a stream that
   fails, or breaks a per-stream limit (DO at reinjection), gets no flow variable there and the
   reason goes to ``exclusions``;
3. solve the MILP (:mod:`.model`, :mod:`.solver`);
4. if a hub (shared central plant) received a different mixture than its trains were simulated
   on (any constituent off by more than 1 %, or 0.01 mg/L), re-simulate the hub on the planned
   mixture and go to 3 (successive substitution);
5. PHREEQC checks every destination blend (:mod:`.geocheck`) and mixes every reinjection blend
   with its formation water (:mod:`.injectate`); violations add cuts; go to 3;
6. the returned plan is re-checked against every constraint from its flows (:func:`.verification.verify`).

When the MILP is infeasible, an elastic copy with penalised slacks on water balance, capacity and
quality is solved and its non-zero slacks are explained in words.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pyomo.environ as pyo

from ..errors import InputError
from ..i18n import Message, Text, add_i18n, joined, named
from ..treatment.library import load_library
from . import precompute as pc
from .case import Case
from .geocheck import BlendCheck, check_blends
from .injectate import check_formation_blends, units_text
from .model import Cut, Network, build_model, values
from .prepared import Prepared, case_economics
from .results import build_results
from .solver import SolveInfo, check_solver, solve, write_model
from .verification import blend_at

__all__ = ["optimise", "pareto_front", "OBJECTIVES", "case_economics"]

log = logging.getLogger(__name__)
OBJECTIVES = ("cost", "reuse", "salt")
Progress = Callable[[str, float], None]


def presolve_check(net: Network) -> list[dict]:
    """Periods whose produced water exceeds what every destination together (plus evaporation)
    can take; each item names the period and the volumes."""
    case, tab = net.case, net.table
    out: list[dict[str, Any]] = []
    if not any(d.takes("residual") for d in case.destinations):
        trains = sorted(
            {tab.pairs[i][1] for i in range(len(tab.pairs)) if (tab.residual_frac[i] > 1e-12).any()}
        )
        if trains:
            out.append(
                {
                    "period": None,
                    "trains": trains,
                    "message": Text.of("optimise.presolve.residual", trains=joined(trains)),
                }
            )
    produced = net.produced.sum(axis=0)
    vapour = 1.0 - tab.recovery - tab.residual_frac
    vmax = float(np.clip(vapour, 0, 1).max(initial=0.0))
    for t in range(case.periods):
        cap = sum(d.capacity_m3_d[t] for d in case.destinations)
        if produced[t] > cap + vmax * produced[t] + 1e-6:
            out.append(
                {
                    "period": t + 1,
                    "produced_m3_d": float(produced[t]),
                    "capacity_m3_d": float(cap),
                    "evaporable_m3_d": vmax * float(produced[t]),
                    "shortfall_m3_d": float(produced[t] - cap - vmax * produced[t]),
                    "message": Text.of(
                        "optimise.presolve.too_much_evaporable"
                        if vmax > 0
                        else "optimise.presolve.too_much",
                        period=t + 1,
                        produced=produced[t],
                        capacity=cap,
                        evaporable=vmax * produced[t],
                    ),
                }
            )
    return [add_i18n(item, "message") for item in out]


# -- infeasibility -------------------------------------------------------------------------------
def explain_infeasible(
    net: Network, solver: str, time_limit_s: float, mip_gap: float, cuts: list[Cut]
) -> tuple[list[dict], SolveInfo]:
    """Solve the elastic model and describe its non-zero slacks (destination, constituent,
    period) in words."""
    mi = build_model(net, cuts=cuts, elastic=True)
    info = solve(mi.model, solver=solver, time_limit_s=time_limit_s, mip_gap=mip_gap)
    if not info.has_solution:
        return [
            {
                "kind": "unknown",
                "message": Text.of("optimise.infeasible.elastic_failed", solver=info.message),
                "message_i18n": Message(
                    "optimise.infeasible.elastic_failed", {"solver": info.message}
                ).to_dict(),
            }
        ], info
    vals = values(mi)
    case = net.case
    T = case.periods
    out: list[dict] = []
    tol = 1e-4 * max(1.0, float(net.produced.max(initial=1.0)))
    for s in range(len(net.stations)):
        for t in range(T):
            v = vals["spill"][s * T + t]
            if v > tol:
                why = _why_not(net, s, t)
                out.append(
                    {
                        "kind": "unallocated",
                        "station": net.stations[s],
                        "period": t + 1,
                        "m3_d": float(v),
                        "blocked_by": why,
                        "message": Text.of(
                            "optimise.infeasible.unallocated_why"
                            if why
                            else "optimise.infeasible.unallocated",
                            station=net.stations[s],
                            period=t + 1,
                            m3_d=v,
                            why=joined([w["message"].message for w in why], "semicolon"),
                        ),
                    }
                )
    for d, dest in enumerate(case.destinations):
        for t in range(T):
            v = vals["over"][d * T + t]
            if v > tol:
                out.append(
                    {
                        "kind": "capacity",
                        "destination": dest.name,
                        "period": t + 1,
                        "m3_d": float(v),
                        "capacity_m3_d": dest.capacity_m3_d[t],
                        "message": Text.of(
                            "optimise.infeasible.capacity",
                            destination=dest.name,
                            period=t + 1,
                            m3_d=v,
                            capacity=dest.capacity_m3_d[t],
                        ),
                    }
                )
    for n, (d, t, key) in enumerate(mi.quality_rows):
        v = vals["qslack"][n]
        if v <= 1e-6:
            continue
        dest = case.destinations[d]
        total, conc = blend_at(net, vals, d, t)
        c = conc[pc.KEYS.index(key)]
        fix = _fix_text(key)
        out.append(
            {
                "kind": "quality",
                "destination": dest.name,
                "constituent": key,
                "period": t + 1,
                "blend_mg_L": float(c),
                "limit_mg_L": dest.limits_mg_L[key],
                "fix": fix,
                "message": _with_fix(
                    Message(
                        "optimise.infeasible.quality",
                        {
                            "destination": dest.name,
                            "period": t + 1,
                            "name": named("param", key),
                            "value": c,
                            "limit": dest.limits_mg_L[key],
                            "source": dest.limit_sources.get(key, ""),
                        },
                    ),
                    fix,
                ),
            }
        )
    if not out:
        out.append(
            {
                "kind": "unknown",
                "message": Text.of("optimise.infeasible.no_slack"),
            }
        )
    for item in out:
        for w in item.get("blocked_by", []):
            add_i18n(w, "message", "fix")
        add_i18n(item, "message", "fix")
    return out, info


def _with_fix(text: Message, fix: str) -> Text:
    """``text`` + "; " + ``fix`` (the units that would fix it), or ``text`` alone."""
    if isinstance(fix, Text):
        return Text.of("optimise.with_fix", text=text, fix=fix.message)
    return Text(text)


def _fix_text(key: str, n: int = 4) -> str:
    """ "units that remove KEY: a (98.0 %), ..." from the unit library ("" if none)."""
    return units_text((key,), load_library(), n)


def _why_not(net: Network, s: int, t: int) -> list[dict]:
    """For station ``s`` in period ``t``: destinations that take product water but none of this
    station's (its own or its hubs') streams, because every one is excluded -- it breaks a limit
    that each stream must meet by itself (no dilution; DO at reinjection) or fails the formation
    screen.  The least-bad candidate is named with its constituent, value and the units that
    would fix it."""
    case, tab = net.case, net.table
    site = net.stations[s]
    pairs = [i for i, (ps, _) in enumerate(tab.pairs) if ps == site]
    hubs = [h for h in net.hubs if site in net.hub_members[h]]
    pairs += [i for i, (ps, _) in enumerate(tab.pairs) if ps in hubs]
    out = []
    for d, dest in enumerate(case.destinations):
        if not dest.takes("product"):
            continue
        if any((net.x_dest == d) & (net.x_t == t) & np.isin(net.x_pair, pairs)):
            continue
        exc = [
            e
            for e in net.exclusions
            if e.destination == d and e.period == t and e.stream == "product" and e.pair in pairs
        ]
        if not exc:
            continue
        by_pair: dict[int, list] = {}
        for e in exc:
            by_pair.setdefault(e.pair, []).append(e)
        # the candidate train closest to passing: smallest worst ratio
        best_pair = min(
            by_pair, key=lambda i: max(e.value / max(e.limit, 1e-12) for e in by_pair[i])
        )
        e = max(by_pair[best_pair], key=lambda e: e.value / max(e.limit, 1e-12))
        train = tab.pairs[best_pair][1]
        if e.kind == "limit":
            fix = _fix_text(e.key)
            msg = Message(
                "optimise.why_not.limit"
                if e.rule != "no dilution"
                else "optimise.why_not.limit_no_dilution",
                {
                    "destination": dest.name,
                    "name": named("param", e.key),
                    "train": train,
                    "value": e.value,
                    "limit": e.limit,
                },
            )
        else:
            minerals = sorted(
                e.detail.get("minerals_excess_mg_L", {}).items(), key=lambda kv: -kv[1]
            )
            fix = ""
            msg = Message(
                "optimise.why_not.scale",
                {
                    "destination": dest.name,
                    "train": train,
                    "value": e.value,
                    "minerals": joined([named("phase", m) for m, _ in minerals])
                    or Message("optimise.why_not.mixing"),
                    "limit": e.limit,
                },
            )
        out.append(
            {
                "destination": dest.name,
                "constituent": e.key,
                "best_mg_L": e.value,
                "limit_mg_L": e.limit,
                "train": train,
                "kind": e.kind,
                "fix": fix,
                "message": _with_fix(msg, fix),
            }
        )
    return out


def _frac(it: int, stage: int, n: int) -> float:
    """Progress fraction of stage 0-2 of iteration ``it`` of at most ``n`` (rises monotonically)."""
    return 0.3 + 0.6 * ((it - 1) + stage / 3.0) / n


# -- the loop --------------------------------------------------------------------------------------
def optimise(
    case: Case,
    *,
    objective: str = "cost",
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    max_iterations: int = 8,
    budget_CNY: float | None = None,
    min_reuse_share: float | None = None,
    database: str | None = None,
    write_lp: str | None = None,
    write_mps: str | None = None,
    progress: Progress | None = None,
    prepared: Prepared | None = None,
    sar_envelope: bool = True,
    fixed_builds: Mapping[tuple[Any, ...], float] | None = None,
    staging: bool = True,
) -> dict:
    """Optimise ``case``; returns the results dict (see :mod:`cbmwater.optimize.results`).

    Parameters
    ----------
    objective : {"cost", "reuse", "salt"}
        ``cost``: least NPV (CNY).  ``reuse``: largest share of produced water delivered to reuse
        destinations under ``budget_CNY`` (or the case's budget), then least cost at that share.
        ``salt``: least TDS mass (t) delivered to destinations releasing salt to the environment
        (under the budget if given), then least cost at that salt.
    solver, time_limit_s, mip_gap
        Solver name (``highs`` default), wall-clock limit per MILP solve (s), relative gap.
    max_iterations : int
        Most solves of the hub / PHREEQC loop.
    write_lp, write_mps : str, optional
        Write the (first) model to this file.
    progress : callable(message, fraction), optional
        Called as the work advances.
    sar_envelope : bool
        SAR limits as tangent rows from the start (default); False leaves them to the PHREEQC
        check-and-cut loop.
    fixed_builds : mapping, optional
        ``(site, train) -> size`` or ``(site, train, period) -> size`` (m3/d, period 1-based;
        a plan's builds, :func:`.scenarios.fixed_builds_of`): builds already decided; only the
        flows are optimised (an LP) and water that cannot be placed is measured as
        unallocated, not infeasible (:func:`.model.build_model`).  None (default): builds are
        decided.
    staging : bool
        Staged expansion (default): a plant may be built or expanded in any period, its
        capital charged from its build period (:func:`.model.build_options`).  False: every
        plant is built in period 1 (build once).
    """

    if objective not in OBJECTIVES:
        raise InputError(
            Text.of(
                "optimise.error.unknown_objective", objective=objective, allowed=joined(OBJECTIVES)
            )
        )
    prog = progress or (lambda msg, frac: log.info("%3.0f%% %s", 100 * frac, msg))
    t_start = time.perf_counter()
    check_solver(solver)
    prep = prepared or Prepared(case, database=database, progress=prog)
    budget = budget_CNY if budget_CNY is not None else case.budget_CNY
    cuts: list[Cut] = []
    model_cuts: list[Cut] = []
    presolve: list[dict] = []
    iterations: list[dict] = []
    build_s = solve_s = geo_s = 0.0
    inj_s = 0.0
    checks: list[BlendCheck] = []
    fchecks: list[dict] = []
    info = None
    net = None
    vals = None
    status = "unknown"
    for it in range(1, max_iterations + 1):
        prog(Text.of("optimise.progress.build", it=it), _frac(it, 0, max_iterations))
        t0 = time.perf_counter()
        # fixed builds may have any build period: the network offers them all
        net = prep.network(staging=staging or fixed_builds is not None)
        if it == 1:
            presolve = presolve_check(net)  # kept for the results, whatever follows
        stage_obj = objective
        model_cuts = list(cuts)  # the cuts of the model this plan comes from
        mi = build_model(
            net,
            objective=stage_obj,
            cuts=cuts,
            min_reuse_share=min_reuse_share,
            max_cost_CNY=budget if objective != "cost" else None,
            sar_envelope=sar_envelope,
            fixed_builds=fixed_builds,
        )
        build_s += time.perf_counter() - t0
        if it == 1:
            if write_lp:
                write_model(mi.model, write_lp)
            if write_mps:
                write_model(mi.model, write_mps)
        prog(Text.of("optimise.progress.solve", it=it, solver=solver), _frac(it, 1, max_iterations))
        info = solve(mi.model, solver=solver, time_limit_s=time_limit_s, mip_gap=mip_gap)
        solve_s += info.seconds
        if info.has_solution and objective != "cost":
            # second stage: least cost at (almost) the best reuse / salt found
            v = info.objective
            assert v is not None  # has_solution: the solver reported the objective
            t0 = time.perf_counter()
            if objective == "reuse":
                mi2 = build_model(
                    net,
                    objective="cost",
                    cuts=cuts,
                    min_reuse_share=max(v - 1e-6, 0.0) * (1 - 1e-6),
                    max_cost_CNY=budget,
                    sar_envelope=sar_envelope,
                    fixed_builds=fixed_builds,
                )
            else:
                mi2 = build_model(
                    net,
                    objective="cost",
                    cuts=cuts,
                    max_cost_CNY=budget,
                    min_reuse_share=min_reuse_share,
                    sar_envelope=sar_envelope,
                    fixed_builds=fixed_builds,
                )
                mi2.model.salt_cap = pyo.Constraint(
                    expr=mi2.model.salt_expr <= v * (1 + 1e-6) + 1e-6
                )
            build_s += time.perf_counter() - t0
            info2 = solve(mi2.model, solver=solver, time_limit_s=time_limit_s, mip_gap=mip_gap)
            solve_s += info2.seconds
            if info2.has_solution:
                mi, info = (
                    mi2,
                    SolveInfo(
                        info2.status if info.status == "optimal" else info.status,
                        info2.objective,
                        info2.bound,
                        info2.gap,
                        info.seconds + info2.seconds,
                        info2.solver,
                        f"{objective} {v:.6g}; then least cost",
                    ),
                )
                info.primary = v
        if not info.has_solution:
            status = "infeasible" if info.status == "infeasible" else info.status
            iterations.append({"iteration": it, "status": info.status, "reason": "no solution"})
            break
        vals = values(mi)
        rec = {
            "iteration": it,
            "status": info.status,
            "objective": info.objective,
            "gap": info.gap,
            "hubs_updated": [],
            "cuts_added": 0,
        }
        changed = prep.update_hubs(net, vals) if net.hubs else []
        if changed:
            rec["hubs_updated"] = changed
            iterations.append(rec)
            continue
        prog(Text.of("optimise.progress.check_blends", it=it), _frac(it, 2, max_iterations))
        t0 = time.perf_counter()
        checks, new_cuts = check_blends(net, vals, it, database=database or "phreeqc")
        geo_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        fchecks, fcuts = check_formation_blends(net, vals, it, database=database or "phreeqc")
        inj_s += time.perf_counter() - t0
        new_cuts += fcuts
        rec["formation_cuts"] = len(fcuts)
        rec["cuts_added"] = len(new_cuts)
        iterations.append(rec)
        if not new_cuts:
            status = info.status
            break
        cuts.extend(new_cuts)
        status = "iteration_limit"
    else:
        status = "iteration_limit"
    explanation: list[dict] = []
    if status == "infeasible" and net is not None:
        prog(Text.of("optimise.progress.explain"), 0.9)
        explanation, _ = explain_infeasible(net, solver, time_limit_s, mip_gap, cuts)
    elif status == "iteration_limit" and vals is not None:
        # the last plan is returned with its standing violations (checks say which)
        pass
    prog(Text.of("optimise.progress.write"), 0.97)
    res = build_results(
        prep,
        net,
        vals,
        info,
        status,
        cuts,
        model_cuts,
        checks,
        iterations,
        explanation,
        presolve,
        objective,
        timings={
            "precompute_s": prep.precompute_seconds,
            "build_s": build_s,
            "solve_s": solve_s,
            "geochem_s": geo_s,
            "injectate_s": prep.screen.seconds + inj_s,
            "total_s": time.perf_counter() - t_start,
        },
        formation_checks=fchecks,
    )
    prog(Text.of("optimise.progress.done"), 1.0)
    return res


def pareto_front(
    case: Case,
    *,
    points: int = 5,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    database: str | None = None,
    progress: Progress | None = None,
) -> list[dict]:
    """Epsilon-constraint front of NPV cost against reuse share.

    The two ends are the least-cost plan and the largest-reuse plan (at least cost); between them
    ``points - 2`` reuse shares evenly spaced; for each, the least-cost plan with reuse >= share.
    Each point carries the PHREEQC loop like any optimisation.
    """
    prog = progress or (lambda msg, frac: None)
    prep = Prepared(case, database=database, progress=prog)
    lo = optimise(
        case,
        objective="cost",
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        prepared=prep,
    )
    if lo["status"] not in ("optimal", "feasible"):
        return [_point(lo, None)]
    hi = optimise(
        case,
        objective="reuse",
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        prepared=prep,
    )
    r0, r1 = lo["kpis"]["reuse_share"], hi["kpis"]["reuse_share"]
    out = [_point(lo, None)]
    if hi["status"] not in ("optimal", "feasible") or r1 - r0 < 1e-6:
        # the least-cost plan already reuses all it can: the front is one point
        return out if r1 - r0 < 1e-6 else out + [_point(hi, None)]
    n = max(points, 2)
    for k in range(1, n - 1):
        eps = r0 + (r1 - r0) * k / (n - 1)
        prog(Text.of("optimise.progress.pareto_point", k=k + 1, n=n, eps=eps), k / n)
        res = optimise(
            case,
            objective="cost",
            solver=solver,
            time_limit_s=time_limit_s,
            mip_gap=mip_gap,
            min_reuse_share=eps,
            prepared=prep,
        )
        out.append(_point(res, eps))
    out.append(_point(hi, r1))
    return out


def _point(res: dict, eps: float | None) -> dict:
    k = res.get("kpis", {})
    return {
        "min_reuse_share": eps,
        "status": res["status"],
        "objective_CNY": res["objective_CNY"],
        "reuse_share": k.get("reuse_share"),
        "salt_to_environment_t": k.get("salt_to_environment_t"),
        "builds": [f"{b['site']}/{b['train']} {b['size_m3_d']:g}" for b in res.get("builds", [])],
    }
