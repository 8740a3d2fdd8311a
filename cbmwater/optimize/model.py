"""The network MILP in Pyomo: sites -> trains -> destinations over the periods of a field's life.

Formulation (every flow is a period average in m3/d; ``A_t = 365 L (1+r)^-(t-1/2)L`` turns one
m3/d held through period t into discounted m3; ``B_t = L (1+r)^-(t-1/2)L`` discounted years):

* ``F[i,t]``: feed of pair i = (site, train); ``x[i,d,t]`` its product to destination d;
  ``w[i,d,t]`` its residual (brine, backwash, sludge water) to d; ``g[s,h,t]`` station -> hub.
* Station balance (no spill): ``sum_i F + sum_h g = produced[s,t]``; hub: ``sum_i F = sum_s g``.
* Train split: ``sum_d x = R[i,t] F``; ``sum_d w = E[i,t] F`` (R recovery, E residual fraction;
  1 - R - E leaves as vapour).
* Build: ``sum_z y[i,z] <= 1``; ``F[i,t] <= sum_z min(size_z, Q[i,t]) y[i,z]`` (Q: the water the
  site can receive in t) -- the size itself is the bound, so there is no big-M; sizes larger than the smallest one that covers everything the site
  can ever receive are dropped (dominated), which also breaks symmetry.
* Streams a destination may not take are not given a flow variable there (:class:`Exclusion`):
  a stream that breaks a per-stream limit (every limit where ``dilution = false``; DO at a
  reinjection destination), or whose mixing with the destination's formation water deposits
  more scale than its threshold (:mod:`.injectate`, screened before the solve).
* Destination capacity ``sum x + sum w <= cap[d,t]``; quality as linear mass:
  ``sum (c_p - L) flow_p <= 0`` for every limited key, written only where some stream could
  exceed L.  Not-measured concentrations count as 0 there and are reported.  A destination with
  ``dilution = false`` (default for discharges: dilution may not replace treatment) only gets
  streams that meet every limit by themselves.
* SAR limits as a family of tangent rows of the square root (:mod:`.sar`), written up front.
* Geochemical cuts from PHREEQC (``cuts``): ``sum (h_p - limit) flow_p <= 0`` (or ``>= 0``).
* Cost objective (NPV, CNY): ``sum_t A_t [var F + (transport + fee - price) flows + transfer g]
  + sum y (capex CRF + fixed) sum_t B_t`` -- capital enters as its equivalent annual cost over
  the horizon (the case's equipment life in the CRF), so a horizon shorter than the life is not
  charged the whole plant.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from ..treatment.economics import capital_recovery_factor
from ..treatment.streams import TRACKED
from .case import Case
from .names import ModelNames
from .network import Cut, Exclusion, Network
from .precompute import KEYS, PathTable
from .sar import hardness_points, sar_cut_coefficients

__all__ = [
    "Network",
    "Cut",
    "Exclusion",
    "prepare",
    "build_model",
    "discount_factors",
    "spill_penalty_CNY_m3",
    "build_options",
    "demand_changes",
    "site_flows",
    "add_flows",
    "first_stage_rows",
]

_K = {k: j for j, k in enumerate(KEYS)}


def discount_factors(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """``A_t`` (discounted m3 per m3/d) and ``B_t`` (discounted years) of each period."""
    L = case.period_years
    r = case.discount_rate
    mid = (np.arange(case.periods) + 0.5) * L
    df = (1.0 + r) ** (-mid)
    return 365.0 * L * df, L * df


def site_flows(net: Network) -> np.ndarray:
    """(sites, periods) water each site can receive, m3/d: a station its production, a hub the
    production of its member stations."""
    T = net.case.periods
    out = np.zeros((len(net.sites), T))
    out[: len(net.stations)] = net.produced
    for k, hub_name in enumerate(net.hubs):
        idx = [net.stations.index(s) for s in net.hub_members[hub_name]]
        out[len(net.stations) + k] = net.produced[idx].sum(axis=0)
    return out


def demand_changes(case: Case) -> np.ndarray:
    """(periods,) bool: a destination's capacity differs from the period before (period 1:
    False)."""
    out = np.zeros(case.periods, dtype=bool)
    for d in case.destinations:
        cap = np.asarray(d.capacity_m3_d, float)
        out[1:] |= np.abs(np.diff(cap)) > 1e-9
    return out


def build_options(
    table: PathTable,
    site_flow: np.ndarray,
    pair_site: np.ndarray,
    B: np.ndarray,
    crf: float,
    *,
    staging: bool = True,
    demand_changes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The build options ``(pair, size, period)`` of the MILP and their NPV charges.

    Build once (``staging=False``): every size of every pair that needs a plant, built in
    period 1.  Staged (default): also in every later period ``p`` in which the field grows or
    changes -- the site's water reaches a new peak (more than in every earlier period), or
    ``demand_changes[p]`` (a destination's capacity differs from period ``p - 1``: it opens,
    grows, shrinks or closes) -- and the site still has water in some period ``t >= p``.  A
    plant built in ``p`` carries feed from ``p`` on, and plants of one pair add up (an expansion
    is a second plant of the pair); in each period at most one size per pair.  Periods in which
    neither production nor demand changes offer no build (a modelling restriction that keeps
    the MILP small: a drift of water quality alone does not open a build period).  Sizes larger
    than the smallest one covering the most water the site can receive from ``p`` on are
    dropped (dominated).

    The charge of an option is ``(capex CRF + fixed) sum_{t >= p} B_t``: the capital's
    equivalent annual cost and the fixed O&M paid from the build period to the horizon's end,
    discounted (``B_t``: discounted years of period t, :func:`discount_factors`).

    Parameters
    ----------
    site_flow : ndarray (sites, periods)
        Water each site can receive, m3/d.
    B : ndarray (periods,)
        Discounted years of each period.
    crf : float
        Capital recovery factor, 1/yr.
    demand_changes : ndarray (periods,) of bool, optional
        Periods in which a destination's capacity changes (default: none).

    Returns
    -------
    y_pair, y_size, y_period, y_years, y_charge
        Pair, size index and build period (0-based) of each option, its discounted years
        (yr) and its charge (CNY).
    """
    T = site_flow.shape[1]
    sizes = np.asarray(table.sizes_m3_d, float)
    y_pair, y_size, y_period, y_years, y_charge = [], [], [], [], []
    for i in np.flatnonzero(table.needs_build).tolist():
        flow = site_flow[pair_site[i]]
        for p in range(T if staging else min(T, 1)):
            cap_need = float(flow[p:].max(initial=0.0))
            if cap_need <= 0:
                continue
            grows = p == 0 or flow[p] > float(flow[:p].max()) * (1 + 1e-9) + 1e-9
            if not (grows or (demand_changes is not None and demand_changes[p])):
                continue
            covering = np.flatnonzero(sizes >= cap_need)
            top = covering[0] if len(covering) else len(sizes) - 1
            years = float(B[p:].sum())
            for z in range(top + 1):
                y_pair.append(i)
                y_size.append(z)
                y_period.append(p)
                y_years.append(years)
                y_charge.append((table.capex_CNY[i, z] * crf + table.fixed_CNY_yr[i, z]) * years)
    return (
        np.array(y_pair, dtype=int),
        np.array(y_size, dtype=int),
        np.array(y_period, dtype=int),
        np.array(y_years, dtype=float),
        np.array(y_charge, dtype=float),
    )


def prepare(
    case: Case,
    table: PathTable,
    produced: dict[str, np.ndarray],
    *,
    life_yr: float,
    screen: dict[tuple[int, int, str, int], dict] | None = None,
    staging: bool = True,
) -> Network:
    """Index arrays, costs and bounds of the MILP for ``case`` and its path table.

    Parameters
    ----------
    staging : bool
        A plant may be built or expanded in any period (default); False: built in period 1
        only (build once).  See :func:`build_options`.
    screen : dict, optional
        ``(destination, pair, stream, period) -> detail`` of streams excluded by the formation
        compatibility screen (:func:`cbmwater.optimize.injectate.screen_streams`), 0-based.
    """
    T = case.periods
    stations = [s.name for s in case.stations if s.name in produced]
    hubs = [h.name for h in case.hubs]
    members = {h.name: [m for m in h.stations if m in produced] for h in case.hubs}
    sites = stations + hubs
    site_ix = {s: k for k, s in enumerate(sites)}
    prod = np.array([produced[s] for s in stations]).reshape(len(stations), T)
    site_flow = np.zeros((len(sites), T))
    site_flow[: len(stations)] = prod
    for k, h in enumerate(hubs):
        idx = [stations.index(m) for m in members[h]]
        site_flow[len(stations) + k] = prod[idx].sum(axis=0)
    site_max = site_flow.max(axis=1) if T else np.zeros(len(sites))
    pair_site = np.array([site_ix[s] for s, _ in table.pairs], dtype=int)
    dests = [d.name for d in case.destinations]
    A, B = discount_factors(case)
    tr = case.transport

    f_pairs: list[int] = []
    f_ts: list[int] = []
    for i in range(len(table.pairs)):
        for t in range(T):
            if site_flow[pair_site[i], t] > 0:
                f_pairs.append(i)
                f_ts.append(t)
    f_pair = np.array(f_pairs, dtype=int)
    f_t = np.array(f_ts, dtype=int)
    x_pair, x_dest, x_t, x_cost = [], [], [], []
    w_pair, w_dest, w_t, w_cost = [], [], [], []
    route = {}
    for i, (s, _) in enumerate(table.pairs):
        for j, d in enumerate(case.destinations):
            route[(i, j)] = case.route_km(s, d.name) * tr.cost_CNY_m3_km(d.transport) + d.fee_CNY_m3
    own = [d.stream_keys() for d in case.destinations]
    lim_idx = [
        (
            np.array([_K[k] for k in keys], dtype=int),
            np.array([d.limits_mg_L[k] for k in keys], dtype=float),
        )
        for d, keys in zip(case.destinations, own)
    ]
    screen = screen or {}
    exclusions: list[Exclusion] = []

    def meets(conc: np.ndarray, j: int, i: int, t: int, stream: str) -> bool:
        """A stream meets destination j's per-stream limits by itself (not measured counts as
        0); each limit it breaks is recorded as an exclusion."""
        idx, lim = lim_idx[j]
        v = np.nan_to_num(conc[idx])
        bad = np.flatnonzero(v > lim + 1e-9)
        rule = "per-stream limit" if case.destinations[j].dilution else "no dilution"
        for b in bad:
            exclusions.append(
                Exclusion(
                    j, int(i), stream, int(t), "limit", own[j][b], float(v[b]), float(lim[b]), rule
                )
            )
        ok = not len(bad)
        key = (j, int(i), stream, int(t))
        if ok and key in screen:
            det = screen[key]
            exclusions.append(
                Exclusion(
                    j,
                    int(i),
                    stream,
                    int(t),
                    "formation",
                    "scale",
                    float(det["excess_scale_mg_L"]),
                    float(det["limit_mg_L"]),
                    "formation compatibility",
                    det,
                )
            )
            ok = False
        return ok

    for i, t in zip(f_pair, f_t):
        for j, d in enumerate(case.destinations):
            base = route[(i, j)]
            ok_x = (
                d.takes("product")
                and table.recovery[i, t] > 1e-12
                and meets(table.product[i, t], j, i, t, "product")
            )
            ok_w = (
                d.takes("residual")
                and table.residual_frac[i, t] > 1e-12
                and meets(table.residual[i, t], j, i, t, "residual")
            )
            if d.takes("product") and table.recovery[i, t] > 1e-12 and ok_x:
                x_pair.append(i)
                x_dest.append(j)
                x_t.append(t)
                x_cost.append(base - d.price_CNY_m3)
            if d.takes("residual") and table.residual_frac[i, t] > 1e-12 and ok_w:
                w_pair.append(i)
                w_dest.append(j)
                w_t.append(t)
                w_cost.append(base - d.price_CNY_m3)
    g_st, g_hub, g_t, g_cost = [], [], [], []
    for k, hub in enumerate(case.hubs):
        for m in members[hub.name]:
            si = stations.index(m)
            c = case.route_km(m, hub.name) * tr.pipeline_CNY_m3_km
            for t in range(T):
                if prod[si, t] > 0:
                    g_st.append(si)
                    g_hub.append(k)
                    g_t.append(t)
                    g_cost.append(c)
    crf = capital_recovery_factor(case.discount_rate, life_yr)
    y_pair, y_size, y_period, y_years, y_charge = build_options(
        table, site_flow, pair_site, B, crf, staging=staging, demand_changes=demand_changes(case)
    )
    arr = lambda v, dt=int: np.array(v, dtype=dt)  # noqa: E731
    return Network(
        case,
        table,
        prod,
        stations,
        hubs,
        members,
        dests,
        f_pair,
        f_t,
        arr(x_pair),
        arr(x_dest),
        arr(x_t),
        arr(w_pair),
        arr(w_dest),
        arr(w_t),
        arr(g_st),
        arr(g_hub),
        arr(g_t),
        y_pair,
        y_size,
        np.asarray(table.sizes_m3_d, float),
        A,
        B,
        arr(x_cost, float),
        arr(w_cost, float),
        arr(g_cost, float),
        y_charge,
        crf,
        pair_site,
        site_max,
        exclusions,
        y_period=y_period,
        y_years=y_years,
    )


def _lin(coefs: Iterable[float], vars_: Iterable[Any], constant: float = 0.0) -> LinearExpression:
    """``constant + sum coefs * vars_`` (``vars_``: Pyomo variables, untyped)."""
    return LinearExpression(
        constant=constant, linear_coefs=list(map(float, coefs)), linear_vars=list(vars_)
    )


def spill_penalty_CNY_m3(net: Network) -> float:
    """Price of one m3 of unallocated water in a model with fixed builds, CNY/m3.

    Ten times the dearest way to place one m3 of feed (its variable treatment cost, plus the
    dearest product route, residual route and hub transfer of the network, all taken at their
    largest) plus 1000 CNY/m3: every way of placing the water is cheaper, so the LP leaves water
    unallocated only where no plant and destination can take it.
    """

    def top(a: np.ndarray) -> float:
        return float(np.abs(a).max(initial=0.0))

    dearest = (
        top(net.table.var_CNY_m3)
        + top(net.x_unit_CNY_m3)
        + top(net.w_unit_CNY_m3)
        + top(net.g_unit_CNY_m3)
    )
    return 1000.0 + 10.0 * dearest


#: A plan's builds: ``(site, train)`` (built in period 1) or ``(site, train, period)`` (period
#: 1-based) -> size, m3/d.
Builds = Mapping[tuple[Any, ...], float]


def fixed_y(net: Network, fixed: Builds) -> np.ndarray:
    """0/1 value of every ``y`` of ``net`` for the plants in ``fixed``.

    Where the network dropped the built size as dominated (a scenario's flows are covered by a
    smaller size), the largest option of that pair and period is turned into the built plant
    (``net.y_size`` and ``net.y_charge_CNY`` of that option are set to the plant's size and
    charge; the capacity row then bounds the feed by the water available, as the built plant
    does).  A plant built in a period from which its site has no water has no option and
    carries nothing.
    """
    tab = net.table
    index = tab.index()
    sizes = [float(z) for z in net.sizes]
    built: dict[tuple[int, int], int] = {}
    for key, size in fixed.items():
        site, train = key[0], key[1]
        period = int(key[2]) if len(key) > 2 else 1
        if (site, train) not in index:
            raise ValueError(f"fixed build {site}/{train} is not a pair of the path table")
        if float(size) not in sizes:
            raise ValueError(f"fixed build {site}/{train}: size {size} is not one of {sizes}")
        if not 1 <= period <= net.case.periods:
            raise ValueError(f"fixed build {site}/{train}: period {period} is not a period")
        built[(index[(site, train)], period - 1)] = sizes.index(float(size))
    for (i, p), z in built.items():
        options = [
            k
            for k in range(len(net.y_pair))
            if int(net.y_pair[k]) == i and int(net.y_period[k]) == p
        ]
        if options and not any(int(net.y_size[k]) == z for k in options):
            k = max(options, key=lambda j: int(net.y_size[j]))
            net.y_size[k] = z
            net.y_charge_CNY[k] = (
                tab.capex_CNY[i, z] * net.crf + tab.fixed_CNY_yr[i, z]
            ) * net.y_years[k]
    return np.array(
        [
            1.0 if built.get((int(i), int(p))) == int(z) else 0.0
            for i, z, p in zip(net.y_pair, net.y_size, net.y_period)
        ]
    )


def _fix_builds(net: Network, m: pyo.ConcreteModel, fixed: Builds) -> None:
    """Fix every ``y`` of ``m`` to the plants in ``fixed`` (:func:`fixed_y`).  Called before
    the rows are written."""
    for k, v in enumerate(fixed_y(net, fixed)):
        m.y[k].fix(int(v))


def first_stage_rows(net: Network, Y: list[Any]) -> list[Row]:
    """The rows on the builds alone: at most one size per pair and build period."""
    groups: dict[tuple[int, int], list[int]] = {}
    for k, (i, p) in enumerate(zip(net.y_pair, net.y_period)):
        groups.setdefault((int(i), int(p)), []).append(k)
    return [
        (_lin([1.0] * len(ys), [Y[k] for k in ys]), None, 1.0, ("one_size", i, p))
        for (i, p), ys in groups.items()
    ]


#: One linear row: (expression, lower, upper, key); the key says what the row is (names.py).
Row = tuple[Any, float | None, float | None, tuple[Any, ...]]


@dataclass
class FlowBlock:
    """The flow part (second stage) of a model on one Pyomo block (:func:`add_flows`)."""

    rows: list[Row]
    quality_rows: list[tuple[int, int, str]]
    cost_coefs: list[float]  # NPV cost per unit of each flow variable, CNY per m3/d
    cost_vars: list[Any]
    reuse_expr: LinearExpression
    salt_expr: LinearExpression
    spill_cost: LinearExpression | None
    var_c: np.ndarray
    balance_keys: list[tuple[int, int]]
    qslack_vars: list[Any]
    qslack_weights: list[float]


@dataclass
class ModelIndex:
    """Pyomo model plus the row maps needed to read it back and to explain slacks."""

    model: pyo.ConcreteModel
    quality_rows: list[tuple[int, int, str]]  # (dest, t, key) of each quality constraint
    elastic: bool


def add_flows(
    m: Any,
    net: Network,
    Y: list[Any],
    *,
    cuts: list[Cut] | None = None,
    elastic: bool = False,
    priced_spill: bool = False,
    sar_envelope: bool = True,
    first_stage: bool = True,
) -> FlowBlock:
    """Add the flows of ``net`` to the Pyomo block ``m`` (a model, or one scenario's block of
    a stochastic program) on the build variables ``Y`` (one per option of ``net``).

    Creates the variables ``m.F``, ``m.x``, ``m.w``, ``m.g`` (and ``m.spill``, ``m.over`` and
    the quality slacks where asked) and returns the rows and objective pieces; the caller
    writes the rows (:func:`add_rows`) and the objective.  ``first_stage``: also the rows on
    ``Y`` alone (:func:`first_stage_rows`); a stochastic program writes them once.
    ``priced_spill``: water may leave each station balance through ``m.spill``, priced at
    :func:`spill_penalty_CNY_m3` in ``spill_cost``.
    """
    case, tab = net.case, net.table
    T = case.periods
    nF, nX, nW, nG = (len(net.f_pair), len(net.x_pair), len(net.w_pair), len(net.g_st))
    # upper bounds from the water available (tight, not arbitrary)
    site_flow_t = site_flows(net)
    fub = site_flow_t[net.pair_site[net.f_pair], net.f_t] if nF else np.zeros(0)
    m.F = pyo.Var(
        range(nF),
        domain=pyo.NonNegativeReals,
        bounds=lambda _, k: (0, float(fub[k])),
        doc="feed of (site, train) f_pair[k] in period f_t[k], m3/d (bounded by the "
        "water the site can receive)",
    )
    m.x = pyo.Var(
        range(nX),
        domain=pyo.NonNegativeReals,
        doc="product of (site, train) x_pair[k] to destination x_dest[k] in period x_t[k], m3/d",
    )
    m.w = pyo.Var(
        range(nW),
        domain=pyo.NonNegativeReals,
        doc="residual (brine, backwash, sludge water) of (site, train) w_pair[k] to "
        "destination w_dest[k] in period w_t[k], m3/d",
    )
    m.g = pyo.Var(
        range(nG),
        domain=pyo.NonNegativeReals,
        doc="transfer from station g_st[k] to hub g_hub[k] in period g_t[k], m3/d",
    )
    F, X, W, G = (list(v.values()) for v in (m.F, m.x, m.w, m.g))
    f_of = {(int(i), int(t)): k for k, (i, t) in enumerate(zip(net.f_pair, net.f_t))}

    # (expr, lo, hi, key): one anonymous Constraint is the fast build; the key says what the row
    # is, and names it only when the model is written (optimize/names.py)
    rows: list[Row] = []

    # -- water balance at stations and hubs -----------------------------------------------------
    S = len(net.stations)
    by_site_t: dict[tuple[int, int], list[int]] = {}
    for k, (i, t) in enumerate(zip(net.f_pair, net.f_t)):
        by_site_t.setdefault((int(net.pair_site[i]), int(t)), []).append(k)
    g_by_st: dict[tuple[int, int], list[int]] = {}
    g_by_hub: dict[tuple[int, int], list[int]] = {}
    for k, (s, h, t) in enumerate(zip(net.g_st, net.g_hub, net.g_t)):
        g_by_st.setdefault((int(s), int(t)), []).append(k)
        g_by_hub.setdefault((int(h), int(t)), []).append(k)
    m.spill = (
        pyo.Var(
            range(S * T),
            domain=pyo.NonNegativeReals,
            doc="elastic: water of station k // T left unallocated in period k % T, m3/d",
        )
        if elastic or priced_spill
        else None
    )
    balance_keys = []
    for s in range(S):
        for t in range(T):
            q = float(net.produced[s, t])
            fs = by_site_t.get((s, t), [])
            gs = g_by_st.get((s, t), [])
            if q <= 0 and not fs and not gs:
                continue
            coefs = [1.0] * (len(fs) + len(gs))
            vars_ = [F[k] for k in fs] + [G[k] for k in gs]
            if elastic or priced_spill:
                coefs.append(1.0)
                vars_.append(m.spill[s * T + t])
            rows.append((_lin(coefs, vars_), q, q, ("balance", s, t)))
            balance_keys.append((s, t))
    for h in range(len(net.hubs)):
        for t in range(T):
            fs = by_site_t.get((S + h, t), [])
            gs = g_by_hub.get((h, t), [])
            if not fs and not gs:
                continue
            rows.append(
                (
                    _lin(
                        [1.0] * len(fs) + [-1.0] * len(gs), [F[k] for k in fs] + [G[k] for k in gs]
                    ),
                    0.0,
                    0.0,
                    ("hub_balance", h, t),
                )
            )

    # -- train splits -----------------------------------------------------------------------------
    x_by_f: dict[int, list[int]] = {}
    for k, (i, t) in enumerate(zip(net.x_pair, net.x_t)):
        x_by_f.setdefault(f_of[(int(i), int(t))], []).append(k)
    w_by_f: dict[int, list[int]] = {}
    for k, (i, t) in enumerate(zip(net.w_pair, net.w_t)):
        w_by_f.setdefault(f_of[(int(i), int(t))], []).append(k)
    for k, (i, t) in enumerate(zip(net.f_pair, net.f_t)):
        r = float(tab.recovery[i, t])
        e = float(tab.residual_frac[i, t])
        xs = x_by_f.get(k, [])
        rows.append(
            (
                _lin([1.0] * len(xs) + [-r], [X[j] for j in xs] + [F[k]]),
                0.0,
                0.0,
                ("product_split", k),
            )
        )
        ws = w_by_f.get(k, [])
        if e > 1e-12:
            rows.append(
                (
                    _lin([1.0] * len(ws) + [-e], [W[j] for j in ws] + [F[k]]),
                    0.0,
                    0.0,
                    ("residual_split", k),
                )
            )

    # -- builds ------------------------------------------------------------------------------------
    y_by_pair: dict[int, list[int]] = {}
    for k, i in enumerate(net.y_pair):
        y_by_pair.setdefault(int(i), []).append(k)
    if first_stage:
        rows.extend(first_stage_rows(net, Y))
    for k, (i, t) in enumerate(zip(net.f_pair, net.f_t)):
        if tab.needs_build[i]:
            ys = [j for j in y_by_pair.get(int(i), []) if int(net.y_period[j]) <= int(t)]
            # F <= sum_{z, p <= t} min(size_z, water available) y_zp (plants built up to t add
            # up): the same integer set as F <= sum size y, with a tighter LP relaxation in
            # low-flow periods
            rows.append(
                (
                    _lin(
                        [1.0] + [-min(float(net.sizes[net.y_size[j]]), float(fub[k])) for j in ys],
                        [F[k]] + [Y[j] for j in ys],
                    ),
                    None,
                    0.0,
                    ("build_capacity", k),
                )
            )

    # -- destinations: capacity and quality ---------------------------------------------------------
    into: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
    for k, (d, t) in enumerate(zip(net.x_dest, net.x_t)):
        into.setdefault((int(d), int(t)), ([], []))[0].append(k)
    for k, (d, t) in enumerate(zip(net.w_dest, net.w_t)):
        into.setdefault((int(d), int(t)), ([], []))[1].append(k)
    D = len(net.dests)
    m.over = (
        pyo.Var(
            range(D * T),
            domain=pyo.NonNegativeReals,
            doc="elastic: flow above the capacity of destination k // T in period k % T, m3/d",
        )
        if elastic
        else None
    )
    quality_rows: list[tuple[int, int, str]] = []
    qslack_vars = []
    qslack_weights = []
    for (d, t), (xs, ws) in sorted(into.items()):
        dest = case.destinations[d]
        coefs = [1.0] * (len(xs) + len(ws))
        vars_ = [X[k] for k in xs] + [W[k] for k in ws]
        if elastic:
            coefs.append(-1.0)
            vars_.append(m.over[d * T + t])
        rows.append((_lin(coefs, vars_), None, float(dest.capacity_m3_d[t]), ("capacity", d, t)))
        for key, lim in dest.limits_mg_L.items():
            j = _K[key]
            cx = np.nan_to_num(tab.product[net.x_pair[xs], t, j]) - lim if xs else np.zeros(0)
            cw = np.nan_to_num(tab.residual[net.w_pair[ws], t, j]) - lim if ws else np.zeros(0)
            if not ((cx > 1e-9).any() or (cw > 1e-9).any()):
                continue  # no stream can exceed the limit: the row is redundant
            # the row is homogeneous (right-hand side 0): scaled to a largest coefficient of 1
            # so that mg/L of TDS and of F sit on the same footing for the solver
            sc = 1.0 / max(
                float(np.abs(cx).max(initial=0.0)), float(np.abs(cw).max(initial=0.0)), 1e-12
            )
            coefs = list(cx * sc) + list(cw * sc)
            vars_ = [X[k] for k in xs] + [W[k] for k in ws]
            if elastic:
                v = pyo.Var(
                    domain=pyo.NonNegativeReals,
                    doc=f"elastic: excess of {key} at {dest.name} in period {t + 1}",
                )
                m.add_component(f"qs_{len(quality_rows)}", v)
                coefs.append(-1.0)
                vars_.append(v)
                qslack_vars.append(v)
                qslack_weights.append(1.0 / max(sc * lim, 1e-12))  # m3/d-equivalents
            rows.append((_lin(coefs, vars_), None, 0.0, ("quality", d, t, key)))
            quality_rows.append((d, t, key))

    # -- SAR limits as tangent envelopes (optimize/sar.py): linear rows implied by SAR <= L, so
    #    the first plan already (almost) meets SAR and PHREEQC's check rarely needs a cut
    n_sar = 0
    for (d, t), (xs, ws) in sorted(into.items()):
        lim_sar = case.destinations[d].SAR_max
        if lim_sar is None or not sar_envelope:
            continue
        concs = np.concatenate(
            [
                tab.product[net.x_pair[xs], t, : len(TRACKED)],
                tab.residual[net.w_pair[ws], t, : len(TRACKED)],
            ]
        )
        if not len(concs):
            continue
        n_here = 0
        for s0 in hardness_points(concs):
            h = sar_cut_coefficients(concs, lim_sar, float(s0))
            if not (h > 1e-12).any():
                continue  # every stream meets the limit at this point: redundant
            h = h / max(float(np.abs(h).max()), 1e-12)
            rows.append(
                (
                    _lin(h, [X[k] for k in xs] + [W[k] for k in ws]),
                    None,
                    0.0,
                    ("sar_tangent", d, t, n_here),
                )
            )
            n_here += 1
            n_sar += 1
    m.n_sar_rows = n_sar

    # -- geochemical cuts --------------------------------------------------------------------------
    x_of = {
        (int(i), int(d), int(t)): k
        for k, (i, d, t) in enumerate(zip(net.x_pair, net.x_dest, net.x_t))
    }
    w_of = {
        (int(i), int(d), int(t)): k
        for k, (i, d, t) in enumerate(zip(net.w_pair, net.w_dest, net.w_t))
    }
    cuts = list(cuts or [])
    for c_ix, cut in enumerate(cuts):
        d = net.dests.index(cut.destination)
        t = cut.period - 1
        coefs, vars_ = [], []
        for (i, stream), c in cut.coef.items():
            col = (x_of if stream == "product" else w_of).get((i, d, t))
            if col is not None:
                coefs.append(c)
                vars_.append(X[col] if stream == "product" else W[col])
        if vars_:
            sc = 1.0 / max(max(abs(c) for c in coefs), 1e-12)  # homogeneous row: scaled
            coefs = [c * sc for c in coefs]
            lo, hi = (None, 0.0) if cut.sense == "max" else (0.0, None)
            rows.append((_lin(coefs, vars_), lo, hi, ("cut", c_ix)))

    # -- objective expressions -------------------------------------------------------------------
    A = net.A
    var_c = tab.var_CNY_m3[net.f_pair, net.f_t] * A[net.f_t]
    cost_coefs = (
        list(var_c)
        + list(net.x_unit_CNY_m3 * A[net.x_t])
        + list(net.w_unit_CNY_m3 * A[net.w_t])
        + list(net.g_unit_CNY_m3 * A[net.g_t])
    )
    vol = 365.0 * case.period_years
    total_prod = max(float(net.produced.sum() * vol), 1e-9)  # a case with no water: share 0
    reuse = [k for k, d in enumerate(net.x_dest) if case.destinations[d].kind == "reuse"]
    reuse_expr = _lin([vol / total_prod] * len(reuse), [X[k] for k in reuse])
    tds = _K["TDS"]
    env = {j for j, d in enumerate(case.destinations) if d.salt_to_environment}
    sx = [k for k, d in enumerate(net.x_dest) if d in env]
    sw = [k for k, d in enumerate(net.w_dest) if d in env]
    salt_expr = _lin(
        [vol * float(np.nan_to_num(tab.product[net.x_pair[k], net.x_t[k], tds])) / 1e6 for k in sx]
        + [
            vol * float(np.nan_to_num(tab.residual[net.w_pair[k], net.w_t[k], tds])) / 1e6
            for k in sw
        ],
        [X[k] for k in sx] + [W[k] for k in sw],
    )
    spill_cost = None
    if priced_spill:
        pen = spill_penalty_CNY_m3(net)
        m.spill_penalty_CNY_m3 = pen
        spill_cost = _lin([pen * float(A[k % T]) for k in range(S * T)], list(m.spill.values()))
    return FlowBlock(
        rows,
        quality_rows,
        cost_coefs,
        F + X + W + G,
        reuse_expr,
        salt_expr,
        spill_cost,
        var_c,
        balance_keys,
        qslack_vars,
        qslack_weights,
    )


def build_model(
    net: Network,
    *,
    objective: str = "cost",
    cuts: list[Cut] | None = None,
    elastic: bool = False,
    min_reuse_share: float | None = None,
    max_cost_CNY: float | None = None,
    sar_envelope: bool = True,
    fixed_builds: Mapping[tuple[str, str], float] | None = None,
) -> ModelIndex:
    """The Pyomo model of ``net``.

    Parameters
    ----------
    objective : {"cost", "reuse", "salt"}
        Minimise NPV cost (CNY); maximise the share of produced water delivered to reuse
        destinations (volume over the horizon); minimise salt (TDS) released to the environment
        (t over the horizon).
    cuts : list of Cut
        Geochemical cuts to add.
    elastic : bool
        Add penalised slacks on water balance, destination capacity and quality (infeasibility
        explanation); the objective is then the weighted sum of slacks.
    min_reuse_share, max_cost_CNY : float, optional
        Epsilon constraints: reuse share >= value; NPV cost <= value.
    fixed_builds : mapping, optional
        ``(site, train) -> size`` (m3/d) of the plants already decided (a plan's ``builds``):
        every ``y`` is fixed (1 for a built (site, train) at its size, 0 otherwise), so the model
        is an LP over the flows (the recourse of :mod:`cbmwater.optimize.scenarios`).  A built
        plant carries at most its size (also when a scenario's smaller flows drop that size from
        the options: the plant's own size is then the option).  Water the fixed plants and the
        destinations cannot place leaves each station balance through an unallocated slack
        ``spill`` priced at :func:`spill_penalty_CNY_m3`, so a short scenario is a measured
        shortfall (``values(...)["spill"]``), not an infeasible model.  None (default): builds
        are decided by the model, unchanged.
    """
    m = pyo.ConcreteModel(name="cbmwater")
    m.y = pyo.Var(
        range(len(net.y_pair)),
        domain=pyo.Binary,
        doc="1 if (site, train) y_pair[k] is built at size sizes[y_size[k]] in period y_period[k]",
    )
    Y = list(m.y.values())
    if fixed_builds is not None:
        _fix_builds(net, m, fixed_builds)
    priced_spill = fixed_builds is not None and not elastic
    fb = add_flows(
        m,
        net,
        Y,
        cuts=cuts,
        elastic=elastic,
        priced_spill=priced_spill,
        sar_envelope=sar_envelope,
    )
    rows, quality_rows = fb.rows, fb.quality_rows
    cuts = list(cuts or [])
    S, T, D = len(net.stations), net.case.periods, len(net.dests)
    cost_expr = _lin(fb.cost_coefs + list(net.y_charge_CNY), fb.cost_vars + Y)
    reuse_expr, salt_expr, spill_cost = fb.reuse_expr, fb.salt_expr, fb.spill_cost
    var_c, qslack_vars, qslack_weights = fb.var_c, fb.qslack_vars, fb.qslack_weights
    balance_keys = fb.balance_keys
    m.cost_expr = pyo.Expression(expr=cost_expr, doc="NPV cost of the plan, CNY")
    m.reuse_expr = pyo.Expression(
        expr=reuse_expr,
        doc="share of the produced water (volume over the horizon) delivered to reuse destinations",
    )
    m.salt_expr = pyo.Expression(
        expr=salt_expr, doc="TDS released to the environment over the horizon, t"
    )
    if min_reuse_share is not None:
        rows.append((reuse_expr, float(min_reuse_share), None, ("min_reuse_share",)))
    if max_cost_CNY is not None:
        rows.append((cost_expr, None, float(max_cost_CNY), ("max_cost",)))

    add_rows(m, rows)
    if elastic:
        # slack per m3/d of water (spilling weighs most: it is the last resort, so the
        # explanation names the destinations and constituents that block); quality slack scaled
        # by its limit to m3/d-equivalents; a small
        # cost term keeps the plan sensible among equally infeasible ones
        pen = _lin(
            [10.0] * (S * T) + [1.0] * (D * T) + qslack_weights,
            list(m.spill.values()) + list(m.over.values()) + qslack_vars,
        )
        scale = 1e-9 / max(1.0, float(np.abs(var_c).max(initial=1.0)))
        m.obj = pyo.Objective(
            expr=pen * 1e3 + scale * cost_expr,
            sense=pyo.minimize,
            doc="elastic: weighted slacks (spill, over capacity, quality), "
            "then a tiny share of the NPV cost",
        )
        m.qslack = qslack_vars
    elif objective == "cost" and priced_spill:
        assert spill_cost is not None  # priced_spill
        m.obj = pyo.Objective(
            expr=cost_expr + spill_cost,
            sense=pyo.minimize,
            doc="least NPV cost, CNY, plus the penalty of unallocated water (builds fixed)",
        )
    elif objective == "cost":
        m.obj = pyo.Objective(expr=cost_expr, sense=pyo.minimize, doc="least NPV cost, CNY")
    elif objective == "reuse":
        m.obj = pyo.Objective(
            expr=reuse_expr,
            sense=pyo.maximize,
            doc="largest share of produced water delivered to reuse",
        )
    elif objective == "salt":
        m.obj = pyo.Objective(
            expr=salt_expr, sense=pyo.minimize, doc="least TDS released to the environment, t"
        )
    else:
        raise ValueError(f"unknown objective {objective!r}")
    m.balance_keys = balance_keys
    # names of rows and columns in LP / MPS files (solver.write_model), made only when written
    m.labeler = ModelNames(m, net, [r[3] for r in rows], quality_rows, cuts, objective)
    return ModelIndex(m, quality_rows, elastic)


def add_rows(m: Any, rows: list[Row]) -> None:
    """Write ``rows`` as the one anonymous constraint ``m.rows`` of block ``m``."""
    m.rows = pyo.Constraint(
        range(len(rows)),
        rule=lambda _, k: (rows[k][1], rows[k][0], rows[k][2]),
        doc="every linear row (balances, splits, builds, capacities, quality, "
        "SAR tangents, cuts, epsilon bounds); names.ROW_KINDS says which "
        "is which, and the LP / MPS files name each one",
    )


def values(mi: ModelIndex) -> dict[str, np.ndarray]:
    """Variable values as arrays (NaN where the solver returned none)."""
    m = mi.model

    def get(v: Any) -> np.ndarray:  # v: a Pyomo Var
        return np.array([x.value if x.value is not None else math.nan for x in v.values()], float)

    out = {"F": get(m.F), "x": get(m.x), "w": get(m.w), "g": get(m.g), "y": get(m.y)}
    if m.spill is not None:
        out["spill"] = get(m.spill)
    if mi.elastic:
        out["spill"] = get(m.spill)
        out["over"] = get(m.over)
        out["qslack"] = np.array([v.value or 0.0 for v in m.qslack], float)
    return out
