"""The results dict of an optimisation (JSON-ready): plan, blends, builds, costs, checks, versions.

Keys (see the CLI's ``--format json``): ``status``, ``objective``, ``objective_CNY``, ``case``,
``sources[]``, ``transfers[]``, ``flows[]``, ``paths[]``, ``destinations[]``, ``builds[]``,
``costs``, ``kpis``, ``feeds[]`` (site feed waters), ``checks[]`` (PHREEQC blend checks),
``cuts[]``, ``iterations[]``, ``verification``, ``presolve[]``, ``exclusions[]`` (streams a
destination may not take, and why), ``unverified_limits[]`` (limits with a status other than V,
per destination that receives water), ``formation_checks[]`` (reinjection blends mixed with
their formation water), ``injectate_screen``,
``infeasibility``, ``solver``, ``solve_seconds``, ``timings``, ``warnings``, ``method``,
``versions``.  Concentration keys are the canonical constituent names (plus TDS), mg/L; flows
m3/d (period averages); money CNY of the economics price year; NPV at the case's discount rate.
"""

from __future__ import annotations

import math
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy as np

from ..geochem.databases import database_info
from ..geochem.engine import iphreeqc_version
from ..i18n import Message, Text, add_i18n, joined, message_dicts, message_of, named
from ..resources import resource_label
from ..version import __version__
from . import precompute as pc
from .model import Cut, Network, discount_factors
from .verification import blend_at, verify

if TYPE_CHECKING:  # pragma: no cover
    from .geocheck import BlendCheck
    from .prepared import Prepared
    from .solver import SolveInfo

__all__ = ["build_results", "COST_CATEGORIES"]

COST_CATEGORIES = (
    "capital",
    "fixed_om",
    "electricity",
    "chemicals",
    "replacement",
    "sludge_disposal",
    "hazardous_salt_disposal",
    "transport",
    "fees",
    "revenue",
)


def _f(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _conc(row: np.ndarray) -> dict[str, float | None]:
    return {k: _f(v) for k, v in zip(pc.KEYS, row)}


def _versions(solver_name: str) -> dict[str, str]:
    out = {"cbmwater": __version__, "IPhreeqc": iphreeqc_version(), "solver": solver_name}
    for pkg in ("pyomo", "highspy", "numpy", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    db = database_info("phreeqc")
    out["phreeqc_database"] = f"{db.name} sha256:{db.sha256[:16]}"
    return out


def cost_breakdown(net: Network, vals: dict[str, np.ndarray]) -> dict[str, float]:
    """NPV of each cost category (CNY) of a plan; their sum is the cost objective."""
    case, tab = net.case, net.table
    A = net.A
    F, X, W, G, Y = (vals[k] for k in ("F", "x", "w", "g", "y"))
    out = dict.fromkeys(COST_CATEGORIES, 0.0)
    # each plant pays from its build period on (net.y_years: discounted years from then)
    cap = tab.capex_CNY[net.y_pair, net.y_size] * net.crf * net.y_years
    fix = tab.fixed_CNY_yr[net.y_pair, net.y_size] * net.y_years
    out["capital"] = float((cap * Y).sum())
    out["fixed_om"] = float((fix * Y).sum())
    for c, arr in tab.var_breakdown.items():
        out[c] = float((arr[net.f_pair, net.f_t] * A[net.f_t] * F).sum())
    tr = case.transport
    sites = sorted({s for s, _ in tab.pairs})
    km_cost = {
        (s, j): case.route_km(s, d.name) * tr.cost_CNY_m3_km(d.transport)
        for s in sites
        for j, d in enumerate(case.destinations)
    }
    fee = np.array([d.fee_CNY_m3 for d in case.destinations])
    price = np.array([d.price_CNY_m3 for d in case.destinations])
    for pairs, dests, ts, flows in (
        (net.x_pair, net.x_dest, net.x_t, X),
        (net.w_pair, net.w_dest, net.w_t, W),
    ):
        if not len(flows):
            continue
        unit_tr = np.array([km_cost[(tab.pairs[i][0], int(d))] for i, d in zip(pairs, dests)])
        out["transport"] += float((unit_tr * A[ts] * flows).sum())
        out["fees"] += float((fee[dests] * A[ts] * flows).sum())
        out["revenue"] -= float((price[dests] * A[ts] * flows).sum())
    out["transport"] += float((net.g_unit_CNY_m3 * A[net.g_t] * G).sum())
    return {k: float(v) for k, v in out.items()}


#: the parts of the method every plan describes (``method`` and ``method_i18n``)
METHOD_KEYS: tuple[str, ...] = (
    "stations",
    "hubs",
    "quality",
    "geochemistry",
    "capital",
    "discounting",
    "oxic_state",
    "formation",
)


def build_results(
    prep: Prepared,
    net: Network | None,
    vals: dict[str, np.ndarray] | None,
    info: SolveInfo | None,
    status: str,
    cuts: list[Cut],
    model_cuts: list[Cut],
    checks: list[BlendCheck],
    iterations: list[dict],
    explanation: list[dict],
    presolve: list[dict],
    objective: str,
    timings: dict[str, float],
    formation_checks: list[dict] | None = None,
) -> dict:
    """Assemble the results dict (see module docstring)."""
    from .injectate import explain

    case = prep.case
    T = case.periods
    life: dict[str, Any] = {"life": prep.econ.life_yr}
    method = {
        key: Text.of(f"optimise.method.{key}", **(life if key == "capital" else {}))
        for key in METHOD_KEYS
    }
    res: dict = {
        "status": status,
        "objective": objective,
        "objective_CNY": None,
        "case": {
            "name": case.name,
            "file": resource_label(case.path) if case.path else None,
            "sha256": case.sha256,
            "periods": T,
            "period_years": case.period_years,
            "start_year": case.start_year,
            "discount_rate": case.discount_rate,
            "price_year": prep.econ.price_year,
            "currency": "CNY",
            "stations": len(case.stations),
            "wells": len(case.wells),
            "hubs": len(case.hubs),
            "trains": len(case.trains),
            "destinations": len(case.destinations),
        },
        "sources": [],
        "transfers": [],
        "flows": [],
        "paths": [],
        "destinations": [],
        "builds": [],
        "costs": {},
        "kpis": {},
        "cuts": [c.as_dict() for c in cuts],
        "exclusions": [],
        "unverified_limits": [],
        "iterations": iterations,
        "presolve": presolve,
        "infeasibility": _infeasibility(explanation) if explanation else None,
        "solver": {
            "name": info.solver if info else None,
            "status": info.status if info else None,
            "gap": _f(info.gap) if info else None,
            "bound": _f(info.bound) if info else None,
            "message": info.message if info else "",
        },
        "solve_seconds": timings.get("solve_s"),
        "timings": timings,
        "warnings": list(case.warnings) + list(prep.warnings),
        "warnings_i18n": message_dicts(list(case.warnings) + list(prep.warnings)),
        "method": {key: str(text) for key, text in method.items()},
        "method_i18n": {key: text.message.to_dict() for key, text in method.items()},
        "versions": _versions(info.solver if info else "none"),
    }
    scr = getattr(prep, "screen", None)
    res["injectate_screen"] = (
        None
        if scr is None
        else {
            "streams_screened": scr.screened,
            "waters_mixed": scr.unique,
            "excluded": len(scr.excluded),
            "seconds": scr.seconds,
        }
    )
    res["formation_checks"] = list(formation_checks or [])
    if net is None:
        return res
    res["exclusions"] = explain(net, prep.library)
    tab = net.table
    years = [case.start_year + int(t * case.period_years) for t in range(T)]
    have = vals is not None and status not in ("infeasible", "no_solution", "error", "unbounded")
    if not have:
        for s, st in enumerate(net.stations):
            for t in range(T):
                res["sources"].append(
                    {
                        "name": st,
                        "period": t + 1,
                        "year": years[t],
                        "produced_m3_d": float(net.produced[s, t]),
                    }
                )
        return res
    assert vals is not None  # part of have
    F, X, W, G, Y = (vals[k] for k in ("F", "x", "w", "g", "y"))
    tiny = 1e-7
    # sources
    alloc = np.zeros((len(net.sites), T))
    np.add.at(alloc, (net.pair_site[net.f_pair], net.f_t), F)
    gout = np.zeros((len(net.stations), T))
    np.add.at(gout, (net.g_st, net.g_t), G)
    nwells = {s: sum(1 for w in case.wells if w.station == s) for s in net.stations}
    for s, st in enumerate(net.stations):
        for t in range(T):
            res["sources"].append(
                {
                    "name": st,
                    "period": t + 1,
                    "year": years[t],
                    "wells": nwells[st],
                    "produced_m3_d": float(net.produced[s, t]),
                    "treated_on_site_m3_d": float(alloc[s, t]),
                    "sent_to_hubs_m3_d": float(gout[s, t]),
                    "allocated_m3_d": float(alloc[s, t] + gout[s, t]),
                }
            )
    for k, (s, h, t) in enumerate(zip(net.g_st, net.g_hub, net.g_t)):
        if G[k] > tiny:
            res["transfers"].append(
                {
                    "station": net.stations[s],
                    "hub": net.hubs[h],
                    "period": int(t) + 1,
                    "m3_d": float(G[k]),
                }
            )
    # flows
    used_paths: set[tuple[int, int]] = set()
    for stream, pairs, dests, ts, flows in (
        ("product", net.x_pair, net.x_dest, net.x_t, X),
        ("residual", net.w_pair, net.w_dest, net.w_t, W),
    ):
        for i, d, t, f in zip(pairs, dests, ts, flows):
            if f <= tiny:
                continue
            site, train = tab.pairs[i]
            frac = tab.recovery[i, t] if stream == "product" else tab.residual_frac[i, t]
            res["flows"].append(
                {
                    "source": site,
                    "train": train,
                    "destination": case.destinations[d].name,
                    "period": int(t) + 1,
                    "stream": stream,
                    "feed_m3_d": float(f / frac) if stream == "product" else 0.0,
                    "delivered_m3_d": float(f),
                }
            )
            used_paths.add((int(i), int(t)))
    for k, (i, t) in enumerate(zip(net.f_pair, net.f_t)):
        if F[k] > tiny:
            used_paths.add((int(i), int(t)))
    f_of = {(int(i), int(t)): k for k, (i, t) in enumerate(zip(net.f_pair, net.f_t))}
    for i, t in sorted(used_paths):
        site, train = tab.pairs[i]
        k = f_of[(i, t)]
        res["paths"].append(
            {
                "source": site,
                "train": train,
                "period": t + 1,
                "feed_m3_d": float(F[k]),
                "recovery": float(tab.recovery[i, t]),
                "residual_fraction": float(tab.residual_frac[i, t]),
                "product_pH": _f(tab.product_pH[i, t]),
                "variable_cost_CNY_m3_feed": float(tab.var_CNY_m3[i, t]),
                "product": _conc(tab.product[i, t]),
                "residual": _conc(tab.residual[i, t]),
            }
        )
    # site feeds (stations: their wells' mixture; hubs: the planned mixture they were simulated on)
    res["feeds"] = []
    for site in net.sites:
        f = prep.feeds.get(site)
        if f is None:
            continue
        for t in range(T):
            if site in net.stations and net.produced[net.stations.index(site), t] <= 0:
                continue
            res["feeds"].append(
                {
                    "site": site,
                    "period": t + 1,
                    "pH": _f(f.pH[t]),
                    "temp_C": _f(f.temp_C[t]),
                    "conc": {k: _f(v) for k, v in zip(pc.TRACKED, f.conc_mg_L[t])},
                }
            )
    # destinations

    chk = {(c.destination, c.period): c for c in checks}
    fchk = {(c["destination"], c["period"]): c for c in res["formation_checks"]}
    reuse_m3 = salt_t = 0.0
    vol = 365.0 * case.period_years
    for d, dest in enumerate(case.destinations):
        for t in range(T):
            total, conc = blend_at(net, vals, d, t)
            c = chk.get((dest.name, t + 1))
            nm = []
            if total > tiny:
                xs = np.flatnonzero((net.x_dest == d) & (net.x_t == t) & (tiny < X))
                ws = np.flatnonzero((net.w_dest == d) & (net.w_t == t) & (tiny < W))
                for key in dest.limits_mg_L:
                    j = pc.KEYS.index(key)
                    if (
                        np.isnan(tab.product[net.x_pair[xs], t, j]).any()
                        or np.isnan(tab.residual[net.w_pair[ws], t, j]).any()
                    ):
                        nm.append(key)
            if dest.kind == "reuse":
                reuse_m3 += total * vol
            if dest.salt_to_environment and total > tiny:
                salt_t += total * vol * float(np.nan_to_num(conc[pc.KEYS.index("TDS")])) / 1e6
            res["destinations"].append(
                {
                    "name": dest.name,
                    "kind": dest.kind,
                    "period": t + 1,
                    "year": years[t],
                    "capacity_m3_d": float(dest.capacity_m3_d[t]),
                    "delivered_m3_d": float(total),
                    "blend": _conc(conc) if total > tiny else None,
                    "limits": {k: float(v) for k, v in dest.limits_mg_L.items()},
                    "limit_sources": dest.limit_sources,
                    "limit_status": dest.limit_status,
                    "per_stream_limits": list(dest.stream_keys()),
                    "not_measured": nm,
                    "unmodelled_limits": list(dest.unmodelled),
                    "pH": c.pH if c else None,
                    "pH_range": list(dest.pH_range) if dest.pH_range else None,
                    "SAR": c.SAR if c else None,
                    "SAR_max": dest.SAR_max,
                    "SI": c.SI if c else {},
                    "SI_max": dest.SI_max,
                    "temperature_C": dest.temperature_C,
                    "formation": fchk.get((dest.name, t + 1)),
                    "violations": (c.violations if c else [])
                    + (
                        [fchk[(dest.name, t + 1)]["violation"]]
                        if fchk.get((dest.name, t + 1), {}).get("violation")
                        else []
                    ),
                }
            )
            add_i18n(res["destinations"][-1], "violations")
            res["destinations"][-1]["limit_sources_i18n"] = {
                k: message_of(v).to_dict() for k, v in dest.limit_sources.items()
            }
    # unverified limits of every destination that receives water
    used = {d["name"] for d in res["destinations"] if d["delivered_m3_d"] > tiny}
    res["unverified_limits"] = [
        dict(u, destination=dest.name)
        for dest in case.destinations
        if dest.name in used
        for u in dest.unverified_limits()
    ]
    # builds
    A, B = discount_factors(case)
    peak_feed = np.zeros(len(tab.pairs))
    np.maximum.at(peak_feed, net.f_pair, F)
    for k, (i, z, p) in enumerate(zip(net.y_pair, net.y_size, net.y_period)):
        if Y[k] > 0.5:
            site, train = tab.pairs[i]
            peak = peak_feed[i]
            res["builds"].append(
                {
                    "site": site,
                    "train": train,
                    "size_m3_d": float(net.sizes[z]),
                    "period": int(p) + 1,
                    "capex_CNY": float(tab.capex_CNY[i, z]),
                    "fixed_opex_CNY_yr": float(tab.fixed_CNY_yr[i, z]),
                    "capital_NPV_CNY": float(tab.capex_CNY[i, z] * net.crf * net.y_years[k]),
                    "peak_feed_m3_d": float(peak),
                    "units": list(next(tr.units for tr in case.trains if tr.name == train)),
                }
            )
    costs = cost_breakdown(net, vals)
    total = sum(costs.values())
    res["costs"] = {
        "npv_CNY": costs,
        "total_CNY": total,
        "capex_total_CNY": float(sum(b["capex_CNY"] for b in res["builds"])),
        "note": "NPV in CNY of the price year; revenue is negative (paid to the "
        "operator); the categories sum to total_CNY = objective_CNY",
    }
    res["objective_CNY"] = total
    produced_m3 = float(net.produced.sum() * vol)
    res["kpis"] = {
        "produced_m3": produced_m3,
        "reuse_m3": reuse_m3,
        "reuse_share": reuse_m3 / produced_m3 if produced_m3 > 0 else 0.0,
        "salt_to_environment_t": salt_t,
        "capex_total_CNY": res["costs"]["capex_total_CNY"],
        "unit_cost_CNY_m3": total / (float((net.produced * A[None, :]).sum()) or 1.0),
    }
    if "spill" in vals:  # builds fixed: water no built plant and destination could place
        res["kpis"]["unallocated_m3"] = float(np.nan_to_num(vals["spill"]).sum() * vol)
    # the plan is checked against the model it was solved with (cuts found after the last
    # solve are reported as standing violations in destinations[].violations, not here)
    res["verification"] = verify(net, vals, model_cuts)
    res["verification"]["gap"] = _f(info.gap) if info else None
    res["verification"]["objective_vs_breakdown"] = (
        None
        if objective != "cost" or info is None or info.objective is None
        else abs(info.objective - total) / max(abs(total), 1.0)
    )
    res["checks"] = [c.as_dict() for c in checks]
    return res


def summarise_explanation(items: list[dict]) -> list[str]:
    """Group slack items into one sentence per (kind, place, constituent) with period ranges."""
    groups: dict[tuple, list[dict]] = {}
    for it in items:
        key = (it["kind"], it.get("destination") or it.get("station"), it.get("constituent"))
        groups.setdefault(key, []).append(it)
    lines: list[str] = []
    for (kind, place, cons), its in groups.items():
        periods = sorted(i["period"] for i in its if "period" in i)
        # "periods A-B" spans first to last (not a list), as the summary has always said
        pr = (
            Message("optimise.period.range", {"a": periods[0], "b": periods[-1]})
            if len(periods) > 1
            else Message("optimise.period.one", {"p": periods[0]})
            if periods
            else ""
        )
        if kind == "quality":
            worst = max(its, key=lambda i: i["blend_mg_L"] / max(i["limit_mg_L"], 1e-12))
            lines.append(
                Text.of(
                    "optimise.summary.quality",
                    place=place,
                    name=named("param", cons),
                    limit=worst["limit_mg_L"],
                    span=pr,
                    value=worst["blend_mg_L"],
                )
            )
        elif kind == "capacity":
            lines.append(
                Text.of(
                    "optimise.summary.capacity",
                    place=place,
                    m3_d=max(i["m3_d"] for i in its),
                    span=pr,
                )
            )
        elif kind == "unallocated":
            why = {w["message"] for i in its for w in i.get("blocked_by", [])}
            lines.append(
                Text.of(
                    "optimise.summary.unallocated_why" if why else "optimise.summary.unallocated",
                    station=place,
                    m3_d=max(i["m3_d"] for i in its),
                    span=pr,
                    why=joined([message_of(w) for w in sorted(why)], "semicolon"),
                )
            )
        else:
            lines.append(its[0]["message"])
    return lines


def _infeasibility(explanation: list[dict]) -> dict:
    """The ``infeasibility`` entry: slack items and their summary (with ``summary_i18n``)."""
    summary = summarise_explanation(explanation)
    return {"items": explanation, "summary": summary, "summary_i18n": message_dicts(summary)}
