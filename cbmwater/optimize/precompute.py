"""Pre-computation of a case: site feed waters, and every (site, train, period) through the engine.

* A **station**'s feed in a period is the mixture of its wells' waters, weighted by their rates in
  that period (wells are gathered and mix in the station; they have no routing choice).  A
  constituent some wells did not measure is averaged over the wells that did (flow-weighted) and
  a warning says so.  pH of the mixture comes from PHREEQC (``MIX``), not from averaging.
* A **hub** (shared central plant) receives station water and mixes it before treatment.  Its
  feed depends on the plan, so :mod:`cbmwater.optimize.solve` iterates: start from all member
  stations' production, solve, recompute the hub's feed from the planned transfers, simulate its
  trains again, re-solve (successive substitution) -- the hub is never treated as segregated paths.
* Every (site, train) pair is simulated once per period on the site's feed with
  :func:`~cbmwater.treatment.train.simulate_train` (a batch of all periods per train, PHREEQC
  batches spread over the cores) at a nominal 1000 m3/d; product and residual compositions and
  recoveries are flow-independent.  Costs come from :func:`~cbmwater.treatment.costing.cost_train`:
  variable cost (electricity, chemicals, replacement, sludge disposal) per m3 of feed, and capital
  and fixed cost (labour, maintenance) per discrete plant size, simulated at that size.  Brine
  disposal is *not* in the train cost: the network routes the residual to a disposal destination
  whose fee and transport are in the model.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import CbmwaterError
from ..geochem.mixing import blend_properties
from ..i18n import Message, Text, joined, message_of, named
from ..treatment.costing import TrainCost, cost_train
from ..treatment.economics import Economics
from ..treatment.library import UnitLibrary
from ..treatment.streams import NOT_DISSOLVED, TRACKED, StreamBatch, tds_g_L
from ..treatment.train import scale_result, simulate_train
from ..water.analysis import AnalysisSet
from .case import Case

__all__ = [
    "KEYS",
    "SiteFeed",
    "PathTable",
    "station_feeds",
    "mix_feeds",
    "simulate_paths",
    "NOMINAL_FLOW_M3_D",
]

log = logging.getLogger(__name__)

#: Quality keys of the network: the tracked constituents, then TDS (sum of dissolved), mg/L.
KEYS: tuple[str, ...] = TRACKED + ("TDS",)
NOMINAL_FLOW_M3_D = 1000.0
#: Per-m3 cost categories of a path.  Liquid residuals (brine, backwash) are not here: the network
#: routes them to residual destinations and prices them there.
VARIABLE = ("electricity", "chemicals", "replacement", "sludge_disposal", "hazardous_salt_disposal")
FIXED = ("labour", "maintenance")


@dataclass
class SiteFeed:
    """The feed water of one site in every period (arrays over periods)."""

    site: str
    flow_m3_d: np.ndarray  # (T,) produced/received water, m3/d
    conc_mg_L: np.ndarray  # (T, len(TRACKED)); NaN: not measured
    temp_C: np.ndarray  # (T,)
    pH: np.ndarray  # (T,)


@dataclass
class PathTable:
    """What each (site, train) does in each period, from the treatment engine.

    Arrays are indexed ``[pair, period, key]`` with ``pairs[i] = (site, train)``; ``key`` runs
    over :data:`KEYS`.  ``recovery`` and ``residual_frac`` are fractions of the feed (the rest is
    vapour).  Costs in CNY of the economics price year.
    """

    pairs: list[tuple[str, str]]
    periods: int
    recovery: np.ndarray  # (P, T)
    residual_frac: np.ndarray  # (P, T)
    product: np.ndarray  # (P, T, K) mg/L
    product_pH: np.ndarray  # (P, T)
    product_temp_C: np.ndarray  # (P, T)
    residual: np.ndarray  # (P, T, K) mg/L
    var_CNY_m3: np.ndarray  # (P, T) per m3 of feed
    var_breakdown: dict[str, np.ndarray]  # category -> (P, T) CNY per m3 of feed
    sizes_m3_d: tuple[float, ...]
    capex_CNY: np.ndarray  # (P, Z); 0 for a train without units
    fixed_CNY_yr: np.ndarray  # (P, Z) labour + maintenance
    needs_build: np.ndarray  # (P,) bool
    warnings: list[str] = field(default_factory=list)
    #: (P, T) pH of the residual water (of the largest liquid residual where a train has several;
    #: NaN where there is none); None: not computed (then the product's pH stands in)
    residual_pH: np.ndarray | None = None

    def index(self) -> dict[tuple[str, str], int]:
        return {p: i for i, p in enumerate(self.pairs)}


def _weighted(conc: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Flow-weighted mean of rows of ``conc`` (n, C) with weights ``w`` (n,), over the rows that
    measured each constituent; returns the mean and the constituents some rows lacked."""
    m = ~np.isnan(conc)
    ww = w[:, None] * m
    den = ww.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(
            den > 0, np.nansum(conc * w[:, None], axis=0) / np.where(den > 0, den, 1), np.nan
        )
    partial = [
        TRACKED[j]
        for j in range(conc.shape[1])
        if (w > 0).any() and 0 < (m[:, j] & (w > 0)).sum() < (w > 0).sum()
    ]
    return mean, partial


def _water_dict(conc: np.ndarray, pH: float, temp: float) -> dict[str, float]:
    d = {n: float(v) for n, v in zip(TRACKED, conc) if not np.isnan(v) and n not in NOT_DISSOLVED}
    d["pH"] = float(pH)
    d["temp_C"] = float(temp)
    return d


def mix_feeds(
    waters: list[dict[str, float]],
    conc: np.ndarray,
    temps: np.ndarray,
    weights: np.ndarray,
    database: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Mix ``waters`` (n) with ``weights`` (T, n) for each of T periods.

    Returns concentrations (T, C), temperatures (T,), pH (T,) from PHREEQC, and notes.
    A period with zero total weight takes the first period with water (it carries no flow).
    """
    T = weights.shape[0]
    out_c = np.full((T, len(TRACKED)), np.nan)
    out_t = np.full(T, np.nan)
    notes: set[str] = set()
    blends, temps_b, rows = [], [], []
    totals = weights.sum(axis=1)
    first = int(np.argmax(totals > 0)) if (totals > 0).any() else None
    for t in range(T):
        w = weights[t] if totals[t] > 0 else (weights[first] if first is not None else None)
        if w is None:
            continue
        c, partial = _weighted(conc, w)
        notes.update(partial)
        out_c[t] = c
        out_t[t] = float((w * temps).sum() / w.sum())
        blends.append({i: float(x / w.sum()) for i, x in enumerate(w) if x > 0})
        temps_b.append(out_t[t])
        rows.append(t)
    out_ph = np.full(T, np.nan)
    if blends:
        props = blend_properties(waters, blends, temps_b, (), database or "phreeqc")
        out_ph[rows] = props["pH"].to_numpy()
    return out_c, out_t, out_ph, sorted(notes)


def station_feeds(
    case: Case,
    analyses: AnalysisSet,
    *,
    policy: str = "half",
    database: str | None = None,
    multipliers: Mapping[str, Mapping[str, float]] | None = None,
    only: Collection[str] | None = None,
) -> tuple[dict[str, SiteFeed], list[str]]:
    """The feed of every station in every period (see module docstring).

    ``multipliers``: station -> constituent -> factor on the concentrations of that station's
    well waters before they are mixed (a scenario's quality, :mod:`.uncertain`); ``only``: mix
    these stations only."""
    vals = analyses.resolved(policy)
    ids = sorted({w.analysis for w in case.wells})
    sub = vals.loc[ids]
    batch = StreamBatch.from_frame(sub, 1.0)
    waters = [
        _water_dict(batch.conc_mg_L[i], batch.pH[i], batch.temp_C[i]) for i in range(len(ids))
    ]
    pos = {a: i for i, a in enumerate(ids)}
    feeds: dict[str, SiteFeed] = {}
    warnings: list[str] = []
    T = case.periods
    for st in case.stations:
        if only is not None and st.name not in only:
            continue
        w = np.zeros((T, len(ids)))
        for well in case.wells:
            if well.station == st.name:
                w[:, pos[well.analysis]] += np.asarray(well.rates_m3_d)
        flow = w.sum(axis=1)
        if not (flow > 0).any():
            continue
        st_waters, st_conc = waters, batch.conc_mg_L
        factors = (multipliers or {}).get(st.name)
        if factors:
            st_conc = batch.conc_mg_L.copy()
            for key, f in factors.items():
                st_conc[:, TRACKED.index(key)] *= f
            st_waters = [
                _water_dict(st_conc[i], batch.pH[i], batch.temp_C[i]) for i in range(len(ids))
            ]
        conc, temp, ph, partial = mix_feeds(st_waters, st_conc, batch.temp_C, w, database)
        if partial:
            warnings.append(
                Text.of(
                    "optimise.warn.partially_measured",
                    station=st.name,
                    names=joined([named("param", k) for k in partial]),
                )
            )
        feeds[st.name] = SiteFeed(st.name, flow, conc, temp, ph)
    return feeds, warnings


def hub_feed(
    case: Case,
    hub: str,
    feeds: dict[str, SiteFeed],
    transfers: np.ndarray,
    members: list[str],
    database: str | None = None,
) -> SiteFeed:
    """The feed of a hub from the stations' transfers (``transfers``: (T, len(members)), m3/d).

    Where a period has no transfer, the stations' whole production is used as the weights (the
    feed then carries no flow but keeps a defined composition).
    """
    T = case.periods
    conc = np.full((T, len(TRACKED)), np.nan)
    temp = np.full(T, 25.0)
    ph = np.full(T, 7.0)
    prod = np.stack([feeds[m].flow_m3_d for m in members], axis=1)
    w_all = np.where(transfers.sum(axis=1, keepdims=True) > 1e-9, transfers, prod)
    blends: list[dict[int, float]] = []
    temps_b: list[float] = []
    rows: list[int] = []
    waters: list[dict[str, float]] = []
    for t in range(T):
        w = w_all[t]
        if w.sum() <= 0:
            continue
        c = np.stack([feeds[m].conc_mg_L[t] for m in members])
        conc[t], _ = _weighted(c, w)
        tt = np.array([feeds[m].temp_C[t] for m in members])
        temp[t] = float((w * tt).sum() / w.sum())
        base = len(waters)
        idx: dict[int, float] = {}
        for i, m in enumerate(members):
            if w[i] > 0:
                idx[base + len(idx)] = float(w[i] / w.sum())
                waters.append(
                    _water_dict(feeds[m].conc_mg_L[t], feeds[m].pH[t], feeds[m].temp_C[t])
                )
        blends.append(idx)
        temps_b.append(temp[t])
        rows.append(t)
    if blends:
        ph[rows] = blend_properties(waters, blends, temps_b, (), database or "phreeqc")[
            "pH"
        ].to_numpy()
    return SiteFeed(hub, transfers.sum(axis=1), conc, temp, ph)


def _per_category(cost: TrainCost, n: int) -> pd.DataFrame:
    """CNY/yr of each cost category per water (columns: categories)."""
    return (
        cost.breakdown.pivot_table(
            index="water", columns="category", values="CNY_yr", aggfunc="sum"
        )
        .reindex(range(n))
        .fillna(0.0)
    )


def _grouped_warnings(
    per_water: list[list[str]], sites: list[str], train: str, T: int
) -> list[str]:
    """One line per (site, train, kind of message) with the periods it applies to; the numbers
    shown are those of the first period (messages differing only in numbers are one kind)."""
    import re

    groups: dict[tuple[str, str], tuple[str, list[int]]] = {}
    for i, msgs in enumerate(per_water):
        for msg in msgs:
            key = (sites[i // T], re.sub(r"\d+(\.\d+)?", "#", msg))
            groups.setdefault(key, (msg, []))[1].append(i % T + 1)
    out: list[str] = []
    for (site, _), (msg, periods) in groups.items():
        p = sorted(set(periods))
        out.append(
            Text.of(
                "optimise.warn.grouped" if len(p) == 1 else "optimise.warn.grouped_first",
                site=site,
                train=train,
                span=period_span(p),
                text=message_of(msg),
            )
        )
    return out


def period_span(p: list[int]) -> Message:
    """ "period 2", "periods 1-3" or "periods 1, 3" (``p`` sorted, 1-based) as a message."""
    if len(p) == 1:
        return Message("optimise.period.one", {"p": p[0]})
    if p == list(range(p[0], p[-1] + 1)):
        return Message("optimise.period.range", {"a": p[0], "b": p[-1]})
    return Message("optimise.period.list", {"periods": joined([str(x) for x in p])})


def _with_tds(conc: np.ndarray) -> np.ndarray:
    return np.concatenate([conc, (tds_g_L(conc) * 1000.0)[:, None]], axis=1)


def simulate_paths(
    case: Case,
    feeds: dict[str, SiteFeed],
    library: UnitLibrary,
    econ: Economics,
    *,
    database: str | None = None,
    only_sites: set[str] | None = None,
) -> PathTable:
    """Simulate every allowed (site, train) on every period's feed (see module docstring).

    ``only_sites`` restricts the work to some sites (used when a hub's feed is updated).
    """
    T = case.periods
    K = len(KEYS)
    sizes = case.sizes_m3_d
    days = 365.0 * econ.utilization
    pairs: list[tuple[str, str]] = []
    rec, resf, prod, prod_ph, prod_t, res, var, capex, fixed, build, res_ph = (
        [] for _ in range(11)
    )
    vbreak: dict[str, list[np.ndarray]] = {c: [] for c in VARIABLE}
    warnings: list[str] = []
    site_names = [s for s in case.sites if s in feeds and (only_sites is None or s in only_sites)]
    for tr in case.trains:
        sites = [s for s in site_names if tr.sites is None or s in tr.sites]
        if not sites:
            continue
        if not tr.units:
            for s in sites:
                f = feeds[s]
                pairs.append((s, tr.name))
                rec.append(np.ones(T))
                resf.append(np.zeros(T))
                c = _with_tds(f.conc_mg_L)
                prod.append(c)
                prod_ph.append(f.pH.copy())
                prod_t.append(f.temp_C.copy())
                res.append(np.full((T, K), np.nan))
                res_ph.append(np.full(T, np.nan))
                var.append(np.zeros(T))
                for cat in VARIABLE:
                    vbreak[cat].append(np.zeros(T))
                capex.append(np.zeros(len(sizes)))
                fixed.append(np.zeros(len(sizes)))
                build.append(False)
            continue
        # one batch: every (site, period) feed at the nominal flow; the plant sizes are costed
        # from each site's peak-period water scaled to each size (scale_result: every unit is
        # linear in flow at fixed composition), not simulated again
        conc = np.concatenate([feeds[s].conc_mg_L for s in sites])
        temp = np.concatenate([feeds[s].temp_C for s in sites])
        ph = np.concatenate([feeds[s].pH for s in sites])
        rep = [int(np.argmax(feeds[s].flow_m3_d)) for s in sites]
        batch = StreamBatch(np.full(len(sites) * T, NOMINAL_FLOW_M3_D), conc, temp, ph)
        try:
            periods = simulate_train(
                list(tr.units), batch, library=library, economics=econ, database=database
            )
        except CbmwaterError as exc:
            warnings.append(
                Text.of(
                    "optimise.warn.train_failed",
                    train=tr.name,
                    sites=joined(sites),
                    error=str(exc),
                )
            )
            continue
        n = len(sites) * T
        rows = np.repeat([k * T + r for k, r in enumerate(rep)], len(sizes))
        at_sizes = scale_result(periods, rows, np.tile(np.asarray(sizes, float), len(sites)))
        cost = cost_train(periods, econ)
        cost_z = cost_train(at_sizes, econ)
        result = periods
        q = result.feed.flow_m3_d
        r = result.product.flow_m3_d / q
        liquid = [x for x in result.residuals if x.treated_by is None and x.stream.flow_m3_d.any()]
        rq = sum((x.stream.flow_m3_d for x in liquid), np.zeros(len(q)))
        rm = sum(
            (np.where(np.isnan(x.stream.mass_g_d()), 0.0, x.stream.mass_g_d()) for x in liquid),
            np.zeros((len(q), len(TRACKED))),
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            rconc = np.where(rq[:, None] > 0, rm / np.where(rq > 0, rq, 1)[:, None], np.nan)
        # a constituent no liquid residual carries a value for stays not measured (NaN); one a
        # unit set on the way (DO after an aerator, Al from a coagulant) is carried
        seen = np.zeros(rconc.shape, dtype=bool)
        for x in liquid:
            seen |= ~np.isnan(x.stream.conc_mg_L) & (x.stream.flow_m3_d[:, None] > 0)
        rconc[~seen] = np.nan
        # pH of the residual water: that of the largest liquid residual (several residuals of one
        # train -- backwash, brine -- are not re-speciated as a mixture here)
        rph = np.full(len(q), np.nan)
        if liquid:
            qs = np.stack([x.stream.flow_m3_d for x in liquid])
            big = np.argmax(qs, axis=0)
            phs = np.stack([x.stream.pH for x in liquid])
            rph = np.where(qs.max(axis=0) > 0, phs[big, np.arange(len(q))], np.nan)
        per_cat = _per_category(cost, len(q))
        vcats = {
            c: (per_cat[c].to_numpy() if c in per_cat else np.zeros(len(q))) / (q * days)
            for c in VARIABLE
        }
        per_z = _per_category(cost_z, len(rows))
        fixed_yr = sum(
            ((per_z[c].to_numpy() if c in per_z else np.zeros(len(rows))) for c in FIXED),
            np.zeros(len(rows)),
        )
        warnings += _grouped_warnings(result.warnings[:n], sites, tr.name, T)
        for k, s in enumerate(sites):
            sl = slice(k * T, (k + 1) * T)
            zl = slice(k * len(sizes), (k + 1) * len(sizes))
            pairs.append((s, tr.name))
            rec.append(r[sl])
            resf.append(rq[sl] / q[sl])
            prod.append(_with_tds(result.product.conc_mg_L[sl]))
            prod_ph.append(result.product.pH[sl])
            prod_t.append(result.product.temp_C[sl])
            rr = _with_tds(rconc[sl])
            rr[rq[sl] <= 0] = np.nan
            res.append(rr)
            res_ph.append(rph[sl])
            var.append(sum((vcats[c][sl] for c in VARIABLE), np.zeros(T)))
            for cat in VARIABLE:
                vbreak[cat].append(vcats[cat][sl])
            capex.append(cost_z.capex_CNY[zl])
            fixed.append(fixed_yr[zl])
            build.append(True)
    # de-duplicate warnings, keep order
    warnings = list(dict.fromkeys(warnings))
    P = len(pairs)
    return PathTable(
        pairs,
        T,
        np.array(rec).reshape(P, T),
        np.array(resf).reshape(P, T),
        np.array(prod).reshape(P, T, K),
        np.array(prod_ph).reshape(P, T),
        np.array(prod_t).reshape(P, T),
        np.array(res).reshape(P, T, K),
        np.array(var).reshape(P, T),
        {c: np.array(v).reshape(P, T) for c, v in vbreak.items()},
        tuple(sizes),
        np.array(capex).reshape(P, len(sizes)),
        np.array(fixed).reshape(P, len(sizes)),
        np.array(build, dtype=bool),
        warnings,
        np.array(res_ph, dtype=float).reshape(P, T),
    )


def merge_tables(base: PathTable, update: PathTable) -> PathTable:
    """``base`` with the pairs of ``update`` replaced (same pairs, e.g. a hub re-simulated)."""
    idx = base.index()
    out = PathTable(
        list(base.pairs),
        base.periods,
        base.recovery.copy(),
        base.residual_frac.copy(),
        base.product.copy(),
        base.product_pH.copy(),
        base.product_temp_C.copy(),
        base.residual.copy(),
        base.var_CNY_m3.copy(),
        {c: v.copy() for c, v in base.var_breakdown.items()},
        base.sizes_m3_d,
        base.capex_CNY.copy(),
        base.fixed_CNY_yr.copy(),
        base.needs_build.copy(),
        list(dict.fromkeys(base.warnings + update.warnings)),
        None if base.residual_pH is None else base.residual_pH.copy(),
    )
    for j, p in enumerate(update.pairs):
        i = idx[p]
        for name in (
            "recovery",
            "residual_frac",
            "product",
            "product_pH",
            "product_temp_C",
            "residual",
            "var_CNY_m3",
            "capex_CNY",
            "fixed_CNY_yr",
        ):
            getattr(out, name)[i] = getattr(update, name)[j]
        for c in out.var_breakdown:
            out.var_breakdown[c][i] = update.var_breakdown[c][j]
        if out.residual_pH is not None and update.residual_pH is not None:
            out.residual_pH[i] = update.residual_pH[j]
    return out
