"""Re-checking a plan from its flows, independently of the solver's view of the model.

:func:`blend_at` is what a plan delivers to a destination; :func:`verify` re-checks every
constraint family (balances, splits, builds, capacities, quality, cuts, integrality) from the
flow values alone.  Used by the optimisation loop (:mod:`.plan`) and the results (:mod:`.results`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import Text, message_of
from . import precompute as pc
from .model import Cut, Network

__all__ = ["blend_at", "verify"]


def blend_at(net: Network, vals: dict[str, np.ndarray], d: int, t: int) -> tuple[float, np.ndarray]:
    """Flow (m3/d) and flow-weighted concentrations (mg/L, :data:`precompute.KEYS` order) the plan
    ``vals`` delivers to destination ``d`` in period ``t``; NaN where no contributing stream
    measured the constituent."""
    tab = net.table
    xs = np.flatnonzero((net.x_dest == d) & (net.x_t == t))
    ws = np.flatnonzero((net.w_dest == d) & (net.w_t == t))
    fx, fw = vals["x"][xs], vals["w"][ws]
    total = float(fx.sum() + fw.sum())
    if total <= 1e-9:
        return 0.0, np.full(len(pc.KEYS), np.nan)
    px, pw = tab.product[net.x_pair[xs], t], tab.residual[net.w_pair[ws], t]
    mass = (np.nan_to_num(px) * fx[:, None]).sum(axis=0) + (np.nan_to_num(pw) * fw[:, None]).sum(
        axis=0
    )
    # a constituent no contributing stream measured stays not measured (NaN)
    seen = (~np.isnan(px) & (fx[:, None] > 0)).any(axis=0) | (
        ~np.isnan(pw) & (fw[:, None] > 0)
    ).any(axis=0)
    return total, np.where(seen, mass / total, np.nan)


def verify(
    net: Network, vals: dict[str, np.ndarray], cuts: list[Cut], rel_tol: float = 1e-5
) -> dict[str, Any]:
    """Re-check every constraint of the plan from its flows (independent of the solver's view).

    Returns the largest violation of each family (m3/d for balances and capacities, mg/L for
    quality, in the cut's units for cuts) and ``ok``.
    """
    case, tab = net.case, net.table
    T = case.periods
    F, X, W, G, Y = (vals[k] for k in ("F", "x", "w", "g", "y"))
    viol = {
        "balance_m3_d": 0.0,
        "split_m3_d": 0.0,
        "build_m3_d": 0.0,
        "capacity_m3_d": 0.0,
        "quality_mg_L": 0.0,
        "negative_m3_d": 0.0,
        "cuts": 0.0,
        "integrality": 0.0,
    }
    worst: dict[str, str] = {}

    def upd(key: str, v: float, where: str) -> None:
        if v > viol[key]:
            viol[key] = float(v)
            worst[key] = where

    S = len(net.stations)
    site_in = np.zeros((len(net.sites), T))
    np.add.at(site_in, (net.pair_site[net.f_pair], net.f_t), F)
    g_out = np.zeros((S, T))
    g_in = np.zeros((len(net.hubs), T))
    np.add.at(g_out, (net.g_st, net.g_t), G)
    np.add.at(g_in, (net.g_hub, net.g_t), G)
    # a model with fixed builds lets unplaceable water leave through a priced slack
    spill = np.nan_to_num(vals["spill"]).reshape(S, T) if "spill" in vals else np.zeros((S, T))
    for s in range(S):
        for t in range(T):
            upd(
                "balance_m3_d",
                abs(site_in[s, t] + g_out[s, t] + spill[s, t] - net.produced[s, t]),
                Text.of("optimise.verify.station", station=net.stations[s], period=t + 1),
            )
    for h in range(len(net.hubs)):
        for t in range(T):
            upd(
                "balance_m3_d",
                abs(site_in[S + h, t] - g_in[h, t]),
                Text.of("optimise.verify.hub", hub=net.hubs[h], period=t + 1),
            )
    xs = np.zeros(len(F))
    ws = np.zeros(len(F))
    f_of = {(int(i), int(t)): k for k, (i, t) in enumerate(zip(net.f_pair, net.f_t))}
    np.add.at(xs, [f_of[(int(i), int(t))] for i, t in zip(net.x_pair, net.x_t)], X)
    if len(W):
        np.add.at(ws, [f_of[(int(i), int(t))] for i, t in zip(net.w_pair, net.w_t)], W)
    r = tab.recovery[net.f_pair, net.f_t]
    e = tab.residual_frac[net.f_pair, net.f_t]
    # capacity in place in each period: every plant built in or before it (staged expansion)
    built = np.zeros((len(tab.pairs), T))
    for i, z, p, y in zip(net.y_pair, net.y_size, net.y_period, Y):
        built[int(i), int(p) :] += net.sizes[z] * y
    split_err = np.abs(xs - r * F) + np.where(e > 1e-12, np.abs(ws - e * F), 0.0)
    build_err = np.where(tab.needs_build[net.f_pair], F - built[net.f_pair, net.f_t], -np.inf)
    for arr, key in ((split_err, "split_m3_d"), (build_err, "build_m3_d")):
        if len(arr):
            k = int(np.argmax(arr))
            i, t = int(net.f_pair[k]), int(net.f_t[k])
            upd(
                key,
                float(arr[k]),
                Text.of("optimise.verify.at", at="/".join(tab.pairs[i]), period=t + 1),
            )
    for arr in (F, X, W, G):
        if len(arr):
            upd("negative_m3_d", float(-arr.min()), Text.of("optimise.verify.flow_variable"))
    if len(Y):
        upd(
            "integrality",
            float(np.abs(Y - np.round(Y)).max()),
            Text.of("optimise.verify.build_decision"),
        )
    for d, dest in enumerate(case.destinations):
        for t in range(T):
            total, conc = blend_at(net, vals, d, t)
            upd(
                "capacity_m3_d",
                total - dest.capacity_m3_d[t],
                Text.of("optimise.verify.at", at=dest.name, period=t + 1),
            )
            if total <= 1e-9:
                continue
            for key, lim in dest.limits_mg_L.items():
                upd(
                    "quality_mg_L",
                    float(np.nan_to_num(conc[pc.KEYS.index(key)])) - lim,
                    Text.of("optimise.verify.at_of", at=dest.name, period=t + 1, what=key),
                )
    for cut in cuts:
        d = net.dests.index(cut.destination)
        t = cut.period - 1
        lhs = 0.0
        for k in np.flatnonzero((net.x_dest == d) & (net.x_t == t)).tolist():
            lhs += cut.coef.get((int(net.x_pair[k]), "product"), 0.0) * X[k]
        for k in np.flatnonzero((net.w_dest == d) & (net.w_t == t)).tolist():
            lhs += cut.coef.get((int(net.w_pair[k]), "residual"), 0.0) * W[k]
        upd(
            "cuts",
            lhs if cut.sense == "max" else -lhs,
            Text.of("optimise.verify.at_of", at=cut.destination, period=cut.period, what=cut.prop),
        )
    scale = max(1.0, float(net.produced.max(initial=1.0)))
    ok = (
        all(v <= rel_tol * scale for k, v in viol.items() if k.endswith("m3_d"))
        and viol["quality_mg_L"] <= 1e-4 + 0
        and viol["integrality"] <= 1e-5
        and viol["cuts"] <= 1e-4 * scale * 10
    )
    return {
        "ok": bool(ok),
        "max_violation": viol,
        "where": worst,
        "where_i18n": {k: message_of(v).to_dict() for k, v in worst.items()},
    }
