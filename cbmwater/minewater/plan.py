"""A "one mine, one policy" plan: source control + treatment + destination for every discharge.

For each discharge point every combination of a source-control measure (or none), a treatment
system and a destination is evaluated, scored, and then one combination per point is chosen by a
MILP (Pyomo, solved by HiGHS through :func:`cbmwater.optimize.solver.solve` -- the decision
engine's stack) with the least NPV under:

* the effluent standard at every river discharge (GB 20426-2006 by default) -- a combination whose
  effluent breaks it is not offered;
* each destination's own limits: for a reuse user per stream and a capacity per season; for a
  river the mixed concentration after every chosen discharge and the background flow, per season
  and constituent (``sum_i q_i (c_i - L) + Q_bg (C_bg - L) <= 0``, linear in the choices) -- this
  couples the points: plugging one adit may let another be treated more cheaply;
* a capital budget.

Treatment systems (admissibility from :mod:`.rules`, sizes and costs from :mod:`.options`):

=================  =========================================================================
``aerobic``        settling pond + aerobic wetland (net-alkaline water)
``ald``            anoxic limestone drain + settling pond + aerobic wetland
``vfp``            vertical-flow pond + settling pond + aerobic wetland
``bioreactor``     sulfate-reducing bioreactor + settling pond + aerobic wetland
``limestone_bed``  oxic limestone bed + settling pond + aerobic wetland
``caustic`` ...    active: reagent dosed to the case's target pH (PHREEQC titration), tank,
                   clarifier, sludge (``caustic``, ``hydrated_lime``, ``quicklime``,
                   ``lime_slurry``)
=================  =========================================================================

A Mn removal bed is added to any system whose effluent Mn would exceed the tightest Mn limit it
must meet.  Effluent of the passive systems is the **design target** of the sizing rules (stated
assumption, not a kinetic prediction): Fe 1 mg/L after the wetland sized at Hedin's compliance
rate, Al 1 mg/L, Mn 1 mg/L where a Mn step is sized (else unchanged), pH 7.0, TSS 20 mg/L, SO4
unchanged except a bioreactor (-200 mg/L, AMDTreat's default reduction).  Effluent of the active
systems is PHREEQC's (titration to the target pH; TSS 20 mg/L after the clarifier, assumed).
Systems are sized at the point's largest seasonal flow after source control; operating costs at
its flow-weighted mean.  NPV: capital now plus the annual cost over the horizon at the case's
discount rate (recapitalisation is inside the option's annual cost).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from ..errors import CbmwaterError
from ..i18n import Message, Text, add_i18n, joined, message_dicts, named
from ..water.io import read_analyses
from .acidity import acidity_table
from .case import MineCase, MineDestination, Point, SourceControl
from .neutralise import neutralise
from .rules import ACTIVE, SYSTEMS, admissible_options
from .sizing import size

__all__ = ["SYSTEMS", "Combination", "evaluate", "plan", "score_options"]

log = logging.getLogger(__name__)

#: progress(message, fraction done) callback
Progress = Callable[[str, float], None]
#: key of an elastic slack: (kind, destination or "capital", season, constituent, limit)
_SlackKey = tuple[str, str, str | None, str | None, float | None]

_PRIMARY = {
    "aerobic": None,
    "ald": "ald",
    "vfp": "vfp",
    "bioreactor": "bioreactor",
    "limestone_bed": "limestone_bed",
}
_REAGENT = {
    "caustic": "NaOH",
    "hydrated_lime": "Ca(OH)2",
    "quicklime": "CaO",
    "lime_slurry": "Ca(OH)2",
}
#: design-target effluent of the passive systems, mg/L (assumptions [U], see module docstring)
PASSIVE_TARGET = {"Fe": 1.0, "Al": 1.0, "Mn": 1.0, "TSS": 20.0}
ACTIVE_TSS_MG_L = 20.0
BIOREACTOR_SO4_REDUCTION_MG_L = 200.0


@dataclass
class Treatment:
    """A treatment system sized for one point and source-control measure."""

    system: str
    admissible: bool
    reasons: list[str]
    effluent: dict[str, float]  # mg/L and pH
    capex_CNY: float = 0.0
    opex_CNY_yr: float = 0.0
    land_m2: float = 0.0
    sludge_t_yr: float = 0.0
    steps: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)  # the reasons that rule it out


@dataclass
class Combination:
    """Source control + treatment + destination for one point, evaluated."""

    point: str
    control: SourceControl
    treatment: Treatment
    destination: str
    flows_m3_d: dict[str, float]  # per season after source control
    feasible: bool
    reasons: list[str]
    npv_CNY: float
    capex_CNY: float
    annual_CNY_yr: float
    revenue_CNY_yr: float

    def as_dict(self) -> dict:
        t = self.treatment
        return {
            "point": self.point,
            "source_control": self.control.name,
            "flow_factor": self.control.flow_factor,
            "system": t.system,
            "steps": t.steps,
            "steps_i18n": message_dicts(t.steps),
            "destination": self.destination,
            "flows_m3_d": self.flows_m3_d,
            "feasible": self.feasible,
            "reasons": self.reasons,
            "reasons_i18n": message_dicts(self.reasons),
            "npv_CNY": self.npv_CNY,
            "capex_CNY": self.capex_CNY,
            "annual_cost_CNY_yr": self.annual_CNY_yr,
            "revenue_CNY_yr": self.revenue_CNY_yr,
            "effluent": t.effluent,
            "land_m2": t.land_m2,
            "sludge_t_yr": t.sludge_t_yr,
        }


def _annuity(rate: float, years: float) -> float:
    """Present value of 1 CNY/yr over ``years`` at ``rate`` (end-of-year payments)."""
    return years if rate == 0 else (1 - (1 + rate) ** -years) / rate


def _meets(
    eff: dict[str, float], limits: dict[str, float], ph: tuple[float, float] | None, who: str
) -> list[str]:
    bad: list[str] = []
    for k, lim in limits.items():
        v = eff.get(k)
        if v is not None and v > lim + 1e-9:
            bad.append(
                Text.of(
                    "minewater.plan.over_limit", name=named("param", k), value=v, limit=lim, who=who
                )
            )
    if ph is not None and "pH" in eff and not (ph[0] - 1e-9 <= eff["pH"] <= ph[1] + 1e-9):
        bad.append(Text.of("minewater.plan.pH_outside", pH=eff["pH"], lo=ph[0], hi=ph[1], who=who))
    return bad


class _Evaluator:
    def __init__(self, case: MineCase, progress: Progress) -> None:
        self.case = case
        self.progress = progress
        an = read_analyses(case.analyses_path)
        self.values = an.resolved("half")
        acid = acidity_table(self.values, fe_policy="ferrous", missing_alkalinity="error")
        self.net_acidity = acid["net_acidity_mg_L_CaCO3"].to_dict()
        self.acid = acid
        self.cache: dict[tuple[str, float, str], Treatment] = {}

    def water(self, p: Point) -> dict[str, float]:
        row = self.values.loc[p.analysis]
        w = {
            k: float(v)
            for k, v in row.items()
            if isinstance(v, (int, float, np.floating)) and not math.isnan(float(v))
        }
        if "Fe" not in w and ("Fe2" in w or "Fe3" in w):
            w["Fe"] = w.get("Fe2", 0.0) + w.get("Fe3", 0.0)  # total iron from its split
        return w

    def mn_limit(self, p: Point) -> float | None:
        lims = [self.case.effluent_limits.get("Mn")]
        for d in self._dests(p):
            if d.kind == "reuse":
                lims.append(d.limits_mg_L.get("Mn"))
        given = [x for x in lims if x is not None]
        return min(given) if given else None

    def _dests(self, p: Point) -> list[MineDestination]:
        return [
            d for d in self.case.destinations if p.destinations is None or d.name in p.destinations
        ]

    def treatment(self, p: Point, factor: float, system: str) -> Treatment:
        key = (p.name, round(factor, 9), system)
        if key not in self.cache:
            self.cache[key] = self._treatment(p, factor, system)
        return self.cache[key]

    def _treatment(self, p: Point, factor: float, system: str) -> Treatment:
        case = self.case
        w = self.water(p)
        net = float(self.net_acidity[p.analysis])
        q = {s: p.flow_m3_d[s] * factor for s in p.flow_m3_d}
        q_design = max(q.values())
        days = {s.name: s.days for s in case.seasons}
        q_mean = sum(q[s] * days[s] for s in q) / 365.0
        if q_design <= 0:
            return Treatment(
                system,
                True,
                ["no flow left after source control"],
                dict(w),
                0,
                0,
                0,
                0,
                ["(no discharge)"],
            )
        fe2 = w.get("Fe2", w.get("Fe", 0.0) if "Fe3" not in w else 0.0)
        fe3 = w.get("Fe3", 0.0)
        fe = w.get("Fe", fe2 + fe3) if "Fe" in w else fe2 + fe3
        mn = w.get("Mn", 0.0)
        al = w.get("Al", 0.0)
        mn_lim = self.mn_limit(p)
        need_mn = mn_lim is not None and mn > mn_lim
        verdicts = {
            v.option: v
            for v in admissible_options(
                w,
                net,
                flow_m3_d=q_design,
                mn_limit_mg_L=mn_lim,
                acid_load_max_kg_d=case.acid_load_max_kg_d,
            )
        }
        reasons: list[str] = []
        steps: list[str] = []
        results = []
        try:
            if system in ACTIVE:
                v = verdicts[system]
                reasons += v.reasons
                tit = neutralise(w, _REAGENT[system], case.active_target_pH, already_met="zero")
                eff = {
                    k: float(tit.effluent[k])
                    for k in tit.effluent
                    if isinstance(tit.effluent[k], (int, float))
                }
                eff["TSS"] = ACTIVE_TSS_MG_L
                kw = dict(dose_mg_L=tit.dose_mg_L, sludge_dry_mg_L=tit.sludge_dry_mg_L, fe_mg_L=fe)
                design = size(system, q_design, net_acidity=max(net, 0.0), **kw)
                mean = size(system, max(q_mean, 1e-6), net_acidity=max(net, 0.0), **kw)
                steps.append(
                    Text.of(
                        "minewater.plan.step_active",
                        option=Message(f"minewater.option.{system}"),
                        reagent=_REAGENT[system],
                        dose=tit.dose_mg_L,
                        pH=case.active_target_pH,
                    )
                )
                results.append((design, mean))
                admissible = True
                mn_after = eff.get("Mn", 0.0)
                details = {"dose_mg_L": tit.dose_mg_L, "sludge_dry_mg_L": tit.sludge_dry_mg_L}
            else:
                details = {}
                primary = _PRIMARY[system]
                if primary is None:
                    v = verdicts["wetland"]
                    admissible = v.admissible and v.role == "primary"
                    reasons += v.reasons
                    if v.role != "primary":
                        reasons.append(Text.of("minewater.plan.aerobic_alone"))
                else:
                    v = verdicts[primary]
                    admissible = v.admissible
                    reasons += v.reasons
                    kw = {"net_acidity_mg_L": max(net, 1e-6)} if primary != "bioreactor" else {}
                    design = size(primary, q_design, **kw)
                    results.append((design, design))
                    steps.append(_step(primary))
                pond = size(
                    "settling_pond", q_design, fe_mg_L=fe3, fe2_mg_L=fe2, al_mg_L=al, mn_mg_L=0.0
                )
                results.append((pond, pond))
                steps.append(_step("settling_pond"))
                wet = size(
                    "wetland",
                    q_design,
                    fe_mg_L=max(fe - PASSIVE_TARGET["Fe"], 0.0) + 1e-9,
                    mn_mg_L=(max(mn - PASSIVE_TARGET["Mn"], 0.0) if need_mn else 0.0) + 1e-9,
                    net_acidity=min(net, -1e-6),
                )
                results.append((wet, wet))
                steps.append(_step("wetland"))
                eff = dict(w)
                eff.update(
                    {
                        "Fe": min(fe, PASSIVE_TARGET["Fe"]),
                        "Al": min(al, PASSIVE_TARGET["Al"]),
                        "pH": 7.0,
                        "TSS": PASSIVE_TARGET["TSS"],
                    }
                )
                eff.pop("Fe2", None)
                eff.pop("Fe3", None)
                if need_mn:
                    eff["Mn"] = min(mn, PASSIVE_TARGET["Mn"])
                if system == "bioreactor" and "SO4" in eff:
                    eff["SO4"] = max(eff["SO4"] - BIOREACTOR_SO4_REDUCTION_MG_L, 0.0)
                mn_after = eff.get("Mn", 0.0)
            if mn_lim is not None and mn_after > mn_lim and not (system not in ACTIVE and need_mn):
                bed = size("mn_bed", q_design, mn_mg_L=mn_after)
                results.append((bed, bed))
                steps.append(_step("mn_bed"))
                eff["Mn"] = min(mn_after, PASSIVE_TARGET["Mn"])
        except CbmwaterError as exc:
            return Treatment(
                system,
                False,
                reasons + [Text.of("minewater.plan.not_sized", error=exc.full_message())],
                dict(w),
                steps=steps,
            )
        refusals = [r for r in reasons if _refusal(r)]
        capex = sum(d.capex_CNY for d, _ in results)
        opex = sum(m.opex_CNY_yr for _, m in results)
        land = sum(d.land_m2 or 0.0 for d, _ in results)
        sludge = sum(float(m.materials.get("sludge_dry_t_yr", 0.0)) for _, m in results)
        if p.land_m2 is not None and system not in ACTIVE and land > p.land_m2:
            admissible = False
            msg = Text.of("minewater.rule.land", need=land, land=p.land_m2)
            reasons.append(msg)
            refusals.append(msg)
        return Treatment(
            system, admissible, reasons, eff, capex, opex, land, sludge, steps, details, refusals
        )


def _step(option: str) -> Text:
    """A passive step of a treatment: the option's name (English: its id, as before)."""
    return Text(Message(f"minewater.option.{option}"))


def _msg(text: str) -> Message | str:
    """The message of a reason (a :class:`Text`), else the text itself."""
    return text.message if isinstance(text, Text) else text


def _refusal(reason: str) -> bool:
    """Whether a rule's reason is one that rules an option out (the rules phrase them so)."""
    return any(
        s in reason
        for s in (
            "not measured",
            ">=",
            "exceeds",
            "no alkalinity needs",
            "cannot",
            "needs ",
            "would armour",
            "not needed",
        )
    )


def evaluate(
    case: MineCase,
    progress: Progress | None = None,
) -> tuple[list[Combination], dict[str, dict[str, float]]]:
    """Every (point, source control, system, destination) combination, sized, costed, checked."""
    prog = progress or (lambda m, f: None)
    ev = _Evaluator(case, prog)
    pv = _annuity(case.discount_rate, case.horizon_yr)
    combos: list[Combination] = []
    n = len(case.points)
    for k, p in enumerate(case.points):
        prog(Text.of("minewater.plan.progress.sizing", point=p.name), 0.05 + 0.6 * k / max(n, 1))
        for sc in case.controls_for(p.name):
            q = {s: p.flow_m3_d[s] * sc.flow_factor for s in p.flow_m3_d}
            days = {s.name: s.days for s in case.seasons}
            for system in SYSTEMS:
                t = ev.treatment(p, sc.flow_factor, system)
                for d in ev._dests(p):
                    reasons: list[str] = (
                        []
                        if t.admissible
                        else [
                            Text.of(
                                "minewater.plan.not_admissible",
                                reasons=joined(
                                    [_msg(r) for r in (t.refusals or t.reasons)], "semicolon"
                                ),
                            )
                        ]
                    )
                    if d.kind == "river":
                        reasons += _meets(
                            t.effluent, case.effluent_limits, case.effluent_pH, case.effluent_source
                        )
                    else:
                        reasons += _meets(t.effluent, d.limits_mg_L, d.pH_range, d.name)
                        if max(q.values()) > (d.capacity_m3_d or 0) + 1e-9:
                            reasons.append(
                                Text.of(
                                    "minewater.plan.capacity",
                                    destination=d.name,
                                    capacity=d.capacity_m3_d,
                                )
                            )
                    revenue = (
                        d.price_CNY_m3 * sum(q[s] * days[s] for s in q)
                        if d.kind == "reuse"
                        else 0.0
                    )
                    capex = t.capex_CNY + sc.capex_CNY
                    annual = t.opex_CNY_yr + sc.opex_CNY_yr
                    npv = capex + pv * (annual - revenue)
                    combos.append(
                        Combination(
                            p.name,
                            sc,
                            t,
                            d.name,
                            q,
                            not reasons,
                            reasons,
                            npv,
                            capex,
                            annual,
                            revenue,
                        )
                    )
    return combos, {
        "net_acidity_mg_L_CaCO3": {p.name: float(ev.net_acidity[p.analysis]) for p in case.points},
        "acid_load_kg_d": {
            p.name: max(float(ev.net_acidity[p.analysis]), 0) * max(p.flow_m3_d.values()) / 1000
            for p in case.points
        },
    }


def score_options(
    case: MineCase,
    combos: list[Combination],
    weights: dict[str, float] | None = None,
    acid_loads: dict[str, float] | None = None,
) -> list[dict]:
    """Score every treatment system per point (no source control, first destination).

    Criteria, each scaled 0-1 among the point's compliant systems (1 = best): NPV cost, sludge
    (t/yr), land (m2) and robustness.  Robustness [U, stated heuristic]: active systems 0.9;
    passive 0.8 minus 0.4 x (acid load / passive load limit) minus 0.2 when the seasonal flow
    varies more than 3:1.  Non-compliant or inadmissible systems score 0 with their reasons.
    Default weights: cost 0.4, sludge 0.15, land 0.15, robustness 0.3.
    """
    wts = weights or {"cost": 0.4, "sludge": 0.15, "land": 0.15, "robustness": 0.3}
    acid_loads = acid_loads or {}
    out = []
    for p in case.points:
        rows = [c for c in combos if c.point == p.name and c.control.name == "none"]
        first = rows[0].destination if rows else None
        rows = [c for c in rows if c.destination == first]
        flows = list(p.flow_m3_d.values())
        var = max(flows) / max(min(flows), 1e-9)
        ok = [c for c in rows if c.feasible]

        def scale(vals: list[float], v: float) -> float:
            lo, hi = min(vals), max(vals)
            return 1.0 if hi - lo < 1e-12 else 1.0 - (v - lo) / (hi - lo)

        for c in rows:
            t = c.treatment
            if t.system in ACTIVE:
                rob = 0.9
            else:
                rob = 0.8
                rob -= 0.4 * min(
                    acid_loads.get(p.name, 0.0) / max(case.acid_load_max_kg_d, 1e-9), 1.0
                )
                rob -= 0.2 if var > 3 else 0.0
            row = {
                "point": p.name,
                "system": t.system,
                "steps": t.steps,
                "steps_i18n": message_dicts(t.steps),
                "destination": c.destination,
                "compliant": c.feasible,
                "reasons": c.reasons,
                "reasons_i18n": message_dicts(c.reasons),
                "npv_CNY": c.npv_CNY,
                "capex_CNY": c.capex_CNY,
                "sludge_t_yr": t.sludge_t_yr,
                "land_m2": t.land_m2,
                "robustness": round(max(rob, 0.0), 3),
                "score": 0.0,
            }
            if c.feasible and ok:
                s = (
                    wts["cost"] * scale([x.npv_CNY for x in ok], c.npv_CNY)
                    + wts["sludge"] * scale([x.treatment.sludge_t_yr for x in ok], t.sludge_t_yr)
                    + wts["land"] * scale([x.treatment.land_m2 for x in ok], t.land_m2)
                    + wts["robustness"] * max(rob, 0.0)
                )
                row["score"] = round(s, 4)
            out.append(row)
    return out


def plan(
    case: MineCase,
    *,
    budget_CNY: float | None = None,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    progress: Progress | None = None,
) -> dict:
    """Choose one combination per point with the least NPV (see the module docstring).

    Returns a JSON-ready dict: ``status``, ``npv_CNY``, ``choices[]``, ``river[]`` (mixed
    concentration per river, season and constituent against its limit), ``reuse[]``,
    ``options[]`` (every combination with its reasons), ``scores[]``, ``infeasibility`` and
    ``solver``.
    """
    from ..optimize.solver import solve

    prog = progress or (lambda m, f: None)
    t0 = time.perf_counter()
    combos, info = evaluate(case, prog)
    budget = budget_CNY if budget_CNY is not None else case.budget_CNY
    res: dict = {
        "case": case.name,
        "sha256": case.sha256,
        "horizon_yr": case.horizon_yr,
        "discount_rate": case.discount_rate,
        "budget_CNY": budget,
        # values accepted outside their usual range (cbmwater.plausible)
        "warnings": list(case.warnings),
        "warnings_i18n": message_dicts(case.warnings),
        "effluent_standard": case.effluent_source,
        "net_acidity_mg_L_CaCO3": info["net_acidity_mg_L_CaCO3"],
        "acid_load_kg_d": info["acid_load_kg_d"],
        "options": [c.as_dict() for c in combos],
        "scores": score_options(case, combos, acid_loads=info["acid_load_kg_d"]),
        "choices": [],
        "river": [],
        "reuse": [],
        "infeasibility": None,
        "status": "unknown",
        "npv_CNY": None,
    }
    # points with no feasible combination at all: say so before solving
    blocked = []
    for p in case.points:
        if not any(c.feasible for c in combos if c.point == p.name):
            why = sorted({r for c in combos if c.point == p.name for r in c.reasons})[:8]
            blocked.append(
                add_i18n(
                    {
                        "point": p.name,
                        "message": Text.of("minewater.plan.blocked", point=p.name),
                        "why": why,
                    },
                    "message",
                    "why",
                )
            )
    if blocked:
        res["status"] = "infeasible"
        summary = [b["message"] for b in blocked]
        res["infeasibility"] = {
            "items": blocked,
            "summary": summary,
            "summary_i18n": message_dicts(summary),
        }
        return res
    prog(Text.of("minewater.plan.progress.choosing"), 0.75)
    feas = [c for c in combos if c.feasible]
    m, rows = _model(case, feas, budget, elastic=False)
    sol = solve(m, solver=solver, time_limit_s=time_limit_s, mip_gap=1e-6)
    res["solver"] = {
        "name": sol.solver,
        "status": sol.status,
        "gap": sol.gap,
        "seconds": sol.seconds,
    }
    if not sol.has_solution:
        em, erows = _model(case, feas, budget, elastic=True)
        esol = solve(em, solver=solver, time_limit_s=time_limit_s, mip_gap=1e-6)
        items = []
        if esol.has_solution:
            for (kind, name, season, key, lim), var in erows.items():
                v = var.value or 0.0
                if v > 1e-6:
                    if kind == "river":
                        items.append(
                            {
                                "kind": "river",
                                "destination": name,
                                "season": season,
                                "constituent": key,
                                "limit_mg_L": lim,
                                "excess_load_g_d": v,
                                "message": f"{name}, {season} season: {key} would exceed "
                                f"its limit of {lim:g} mg/L by a load of "
                                f"{v / 1000:.1f} kg/d with every compliant choice",
                            }
                        )
                    elif kind == "reuse":
                        items.append(
                            {
                                "kind": "capacity",
                                "destination": name,
                                "season": season,
                                "m3_d": v,
                                "message": f"{name}, {season}: short of {v:.0f} m3/d of capacity",
                            }
                        )
                    elif kind == "budget":
                        items.append(
                            {
                                "kind": "budget",
                                "CNY": v,
                                "message": f"capital budget short by {v:,.0f} CNY",
                            }
                        )
        res["status"] = "infeasible"
        res["infeasibility"] = {
            "items": items,
            "summary": [i["message"] for i in items] or ["no plan meets every constraint"],
        }
        return res
    res["status"] = sol.status
    chosen = [c for c, var in zip(feas, m.z.values()) if (var.value or 0) > 0.5]
    res["choices"] = [c.as_dict() for c in chosen]
    res["npv_CNY"] = float(sum(c.npv_CNY for c in chosen))
    res["capex_CNY"] = float(sum(c.capex_CNY for c in chosen))
    res["objective_CNY"] = sol.objective
    for d in case.destinations:
        for s in case.seasons:
            mine = [c for c in chosen if c.destination == d.name]
            q = sum(c.flows_m3_d[s.name] for c in mine)
            if d.kind == "river":
                qb = d.background_flow_m3_d[s.name]
                for k, lim in d.limits_mg_L.items():
                    mass = qb * d.background_mg_L.get(k, 0.0) + sum(
                        c.flows_m3_d[s.name] * c.treatment.effluent.get(k, 0.0) for c in mine
                    )
                    res["river"].append(
                        {
                            "destination": d.name,
                            "season": s.name,
                            "constituent": k,
                            "mixed_mg_L": mass / max(qb + q, 1e-12),
                            "limit_mg_L": lim,
                            "background_mg_L": d.background_mg_L.get(k),
                            "discharge_m3_d": q,
                            "river_m3_d": qb,
                        }
                    )
            else:
                res["reuse"].append(
                    {
                        "destination": d.name,
                        "season": s.name,
                        "m3_d": q,
                        "capacity_m3_d": d.capacity_m3_d,
                    }
                )
    res["seconds"] = time.perf_counter() - t0
    prog(Text.of("minewater.plan.progress.done"), 1.0)
    return res


def _model(
    case: MineCase,
    feas: list[Combination],
    budget: float | None,
    *,
    elastic: bool,
) -> tuple[pyo.ConcreteModel, dict[_SlackKey, pyo.Var]]:
    m = pyo.ConcreteModel(name="minewater")
    n = len(feas)
    m.z = pyo.Var(range(n), domain=pyo.Binary)
    z = list(m.z.values())
    m.cons = pyo.ConstraintList()
    slack: dict[_SlackKey, pyo.Var] = {}
    for p in case.points:
        idx = [i for i, c in enumerate(feas) if c.point == p.name]
        m.cons.add(sum(z[i] for i in idx) == 1)
    pen = 0

    def sl(key: _SlackKey) -> pyo.Var:
        v = pyo.Var(domain=pyo.NonNegativeReals)
        m.add_component(f"s{len(slack)}", v)
        slack[key] = v
        return v

    for d in case.destinations:
        for s in case.seasons:
            idx = [i for i, c in enumerate(feas) if c.destination == d.name]
            if not idx:
                continue
            if d.kind == "river":
                qb = d.background_flow_m3_d[s.name]
                for k, lim in d.limits_mg_L.items():
                    expr = sum(
                        feas[i].flows_m3_d[s.name]
                        * (feas[i].treatment.effluent.get(k, 0.0) - lim)
                        * z[i]
                        for i in idx
                    )
                    const = qb * (d.background_mg_L.get(k, 0.0) - lim)
                    if elastic:
                        v = sl(("river", d.name, s.name, k, lim))
                        m.cons.add(expr + const - v <= 0)
                        pen = pen + v / max(lim, 1e-9)
                    else:
                        m.cons.add(expr + const <= 0)
            else:
                expr = sum(feas[i].flows_m3_d[s.name] * z[i] for i in idx)
                if elastic:
                    v = sl(("reuse", d.name, s.name, None, None))
                    m.cons.add(expr - v <= d.capacity_m3_d)
                    pen = pen + v
                else:
                    m.cons.add(expr <= d.capacity_m3_d)
    if budget is not None:
        expr = sum(feas[i].capex_CNY * z[i] for i in range(n))
        if elastic:
            v = sl(("budget", "capital", None, None, None))
            m.cons.add(expr - v <= budget)
            pen = pen + v / max(budget, 1.0)
        else:
            m.cons.add(expr <= budget)
    cost = sum(c.npv_CNY * z[i] for i, c in enumerate(feas))
    m.obj = pyo.Objective(expr=(pen * 1e6 + 1e-9 * cost) if elastic else cost, sense=pyo.minimize)
    return m, slack
