"""What an optimisation computes once per case, before any solve: the case's economics, the
station and hub feeds (PHREEQC mixing), every (site, train, period) path through the treatment
engine, and the screen of streams against formation waters.  :func:`cbmwater.optimize.plan.optimise`
and :func:`~cbmwater.optimize.plan.pareto_front` share one :class:`Prepared` between solves."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

import numpy as np

from ..errors import InputError
from ..i18n import Text, joined
from ..treatment.economics import Economics, load_economics
from ..treatment.library import load_library
from ..water.io import read_analyses
from . import precompute as pc
from .case import Case
from .injectate import Screen, screen_streams
from .model import prepare
from .network import Network

__all__ = ["Prepared", "case_economics"]

Progress = Callable[[str, float], None]


def case_economics(case: Case) -> Economics:
    """The shipped economics with the case's overrides applied (validated)."""
    econ = load_economics()
    over = dict(case.economics_overrides)
    if case.chemical_prices:
        chem = dict(econ.chemicals)
        for k, v in case.chemical_prices.items():
            if k not in chem:
                raise InputError(
                    Text.of(
                        "optimise.error.unknown_chemical", name=k, allowed=joined(sorted(chem))
                    ),
                    file=str(case.path),
                )
            chem[k] = replace(chem[k], price_CNY_t=v)
        over["chemicals"] = chem
    return econ.with_(**over)


class Prepared:
    """Everything computed once per case: feeds, path table, economics."""

    def __init__(self, case: Case, *, database: str | None, progress: Progress) -> None:
        self.case = case
        self.database = database
        self.econ = case_economics(case)
        self.library = load_library()
        analyses = read_analyses(case.analyses_path)
        self.analyses = analyses
        #: sites whose trains a scenario simulated again (:meth:`scenario`)
        self.resimulated: list[str] = []
        progress(Text.of("optimise.progress.mix_stations"), 0.05)
        self.feeds, self.warnings = pc.station_feeds(case, analyses, database=database)
        self.members = {h.name: [m for m in h.stations if m in self.feeds] for h in case.hubs}
        for h in case.hubs:
            if self.members[h.name]:
                init = np.stack([self.feeds[m].flow_m3_d for m in self.members[h.name]], axis=1)
                self.feeds[h.name] = pc.hub_feed(
                    case, h.name, self.feeds, init, self.members[h.name], database
                )
        progress(Text.of("optimise.progress.simulate_paths"), 0.15)
        t0 = time.perf_counter()
        self.table = pc.simulate_paths(case, self.feeds, self.library, self.econ, database=database)
        self.precompute_seconds = time.perf_counter() - t0
        self.produced = {
            s: self.feeds[s].flow_m3_d for s in (st.name for st in case.stations) if s in self.feeds
        }
        self.warnings += self.table.warnings
        if not self.table.pairs:
            raise InputError(
                Text.of(
                    "optimise.no_candidate_train",
                    warnings=joined(self.table.warnings[:3], "semicolon"),
                ),
                file=str(case.path),
            )
        self.screen = Screen()
        if any(d.formation is not None for d in case.destinations):
            progress(Text.of("optimise.progress.screen_injectates"), 0.25)
            self.screen = screen_streams(
                case, self.table, self._active(), database=database or "phreeqc"
            )

    def _active(self) -> np.ndarray:
        """(pairs, periods): where a pair's site has water (stations: production; hubs: their
        members' production)."""
        flow = {s: f for s, f in self.produced.items()}
        for h in self.case.hubs:
            m = self.members.get(h.name, [])
            if m:
                flow[h.name] = np.sum([self.produced[x] for x in m], axis=0)
        T = self.case.periods
        return np.array(
            [flow.get(s, np.zeros(T)) > 0 for s, _ in self.table.pairs], dtype=bool
        ).reshape(len(self.table.pairs), T)

    def network(self, *, staging: bool = True) -> Network:
        """The MILP's index arrays; ``staging``: plants may be built or expanded in any period
        (:func:`.model.build_options`), else in period 1 only."""
        return prepare(
            self.case,
            self.table,
            self.produced,
            life_yr=self.econ.life_yr,
            screen=self.screen.excluded,
            staging=staging,
        )

    def scenario(
        self,
        case: Case,
        *,
        multipliers: Mapping[str, Mapping[str, float]] | None = None,
        feeds_change: bool = True,
        electricity_factor: float = 1.0,
        chemicals_factor: float = 1.0,
        tol: float = 0.01,
    ) -> Prepared:
        """This case's precompute carried to a scenario of it (:mod:`.scenarios`).

        ``case`` is the scenario's case (other well rates and analyses, destinations).  Station
        feeds are mixed again (PHREEQC) where a station's waters or the shares of its wells
        changed (others keep their composition with the new flows); hubs are mixed again from
        their members.  A site whose feed composition moved by more than ``tol`` (relative) and
        0.01 mg/L in any constituent, or 0.01 in pH, in a period with water has its trains
        simulated again (the rule of :meth:`update_hubs`); the others keep their paths.  The
        path table's electricity and chemicals costs are then scaled by the factors (costs are
        linear in those prices: kWh x tariff, kg x price, :mod:`cbmwater.treatment.costing`).
        The base is not changed.
        """
        new = copy.copy(self)
        new.case = case
        new.warnings = list(self.warnings)
        new.feeds = dict(self.feeds)
        formations = any(d.formation is not None for d in case.destinations)
        new.screen = copy.deepcopy(self.screen) if formations else self.screen
        T = case.periods
        changed: set[str] = set()
        if feeds_change:
            remix = set((multipliers or {}).keys())
            old_by = {w.name: w for w in self.case.wells}
            for w in case.wells:
                if old_by[w.name].analysis != w.analysis:
                    remix.add(w.station)
            flows: dict[str, np.ndarray] = {}
            for w in case.wells:
                flows.setdefault(w.station, np.zeros(T))
                flows[w.station] = flows[w.station] + np.asarray(w.rates_m3_d)
            for st in case.stations:
                if st.name in remix or st.name not in self.feeds:
                    continue
                if not _same_shares(self.case, case, st.name):
                    remix.add(st.name)
            mixed: dict = {}
            if remix:
                mixed, _ = pc.station_feeds(
                    case,
                    self.analyses,
                    database=self.database,
                    multipliers=multipliers,
                    only=remix,
                )
            for name, old in self.feeds.items():
                if name not in flows:  # a hub, below
                    continue
                f = mixed.get(name) or replace(old, flow_m3_d=flows[name])
                if name in mixed and _differs(old, f, tol):
                    changed.add(name)
                new.feeds[name] = f
            for h in case.hubs:
                members = self.members[h.name]
                if not members:
                    continue
                init = np.stack([new.feeds[m].flow_m3_d for m in members], axis=1)
                f = pc.hub_feed(case, h.name, new.feeds, init, members, self.database)
                if _differs(self.feeds[h.name], f, tol):
                    changed.add(h.name)
                new.feeds[h.name] = f
            new.produced = {
                s: new.feeds[s].flow_m3_d
                for s in (st.name for st in case.stations)
                if s in new.feeds
            }
        table = self.table
        if changed:
            upd = pc.simulate_paths(
                case,
                {s: new.feeds[s] for s in changed},
                self.library,
                self.econ,
                database=self.database,
                only_sites=changed,
            )
            table = pc.merge_tables(table, upd)
            new.warnings += [w for w in upd.warnings if w not in new.warnings]
        new.table = _priced(table, electricity_factor, chemicals_factor)
        if changed and formations:
            pairs = {i for i, (s, _) in enumerate(new.table.pairs) if s in changed}
            new.screen.update(
                screen_streams(
                    case,
                    new.table,
                    new._active(),
                    database=self.database or "phreeqc",
                    only_pairs=pairs,
                ),
                pairs,
            )
        new.resimulated = sorted(changed)
        return new

    def update_hubs(self, net: Network, vals: dict, tol: float = 0.01) -> list[str]:
        """Re-simulate hubs whose planned mixture differs from what they were simulated on."""
        changed = []
        for k, h in enumerate(net.hubs):
            members = net.hub_members[h]
            T = self.case.periods
            tr = np.zeros((T, len(members)))
            for j, (s, hh, t) in enumerate(zip(net.g_st, net.g_hub, net.g_t)):
                if hh == k:
                    tr[t, members.index(net.stations[s])] += max(vals["g"][j], 0.0)
            if tr.sum() <= 1e-9:
                continue
            new = pc.hub_feed(self.case, h, self.feeds, tr, members, self.database)
            old = self.feeds[h]
            used = tr.sum(axis=1) > 1e-9
            a, b = old.conc_mg_L[used], new.conc_mg_L[used]
            diff = np.abs(np.nan_to_num(a) - np.nan_to_num(b))
            if (diff > np.maximum(tol * np.abs(np.nan_to_num(b)), 0.01)).any():
                self.feeds[h] = new
                upd = pc.simulate_paths(
                    self.case,
                    {h: new},
                    self.library,
                    self.econ,
                    database=self.database,
                    only_sites={h},
                )
                self.table = pc.merge_tables(self.table, upd)
                if any(d.formation is not None for d in self.case.destinations):
                    pairs = {i for i, (s, _) in enumerate(self.table.pairs) if s == h}
                    self.screen.update(
                        screen_streams(
                            self.case,
                            self.table,
                            self._active(),
                            database=self.database or "phreeqc",
                            only_pairs=pairs,
                        ),
                        pairs,
                    )
                changed.append(h)
        return changed


def _same_shares(a: Case, b: Case, station: str) -> bool:
    """Whether every well of ``station`` has the same share of the station's water in every
    period in cases ``a`` and ``b`` (then the station's mixture is the same)."""

    def shares(c: Case) -> np.ndarray:
        rows = np.array([w.rates_m3_d for w in c.wells if w.station == station], float)
        tot = rows.sum(axis=0)
        return np.divide(rows, tot, out=np.zeros_like(rows), where=tot > 0)

    sa, sb = shares(a), shares(b)
    return sa.shape == sb.shape and bool(np.allclose(sa, sb, rtol=1e-12, atol=1e-12))


def _differs(old: pc.SiteFeed, new: pc.SiteFeed, tol: float) -> bool:
    """A feed composition moved beyond ``tol`` (relative) and 0.01 mg/L, or 0.01 in pH, in a
    period where the new feed has water."""
    used = new.flow_m3_d > 1e-12
    a, b = np.nan_to_num(old.conc_mg_L[used]), np.nan_to_num(new.conc_mg_L[used])
    if (np.abs(a - b) > np.maximum(tol * np.abs(b), 0.01)).any():
        return True
    return bool((np.abs(np.nan_to_num(old.pH[used]) - np.nan_to_num(new.pH[used])) > 0.01).any())


def _priced(table: pc.PathTable, electricity: float, chemicals: float) -> pc.PathTable:
    """``table`` with its electricity and chemicals costs scaled by the factors."""
    if electricity == 1.0 and chemicals == 1.0:
        return table
    br = {c: v.copy() for c, v in table.var_breakdown.items()}
    var = table.var_CNY_m3.copy()
    for cat, f in (("electricity", electricity), ("chemicals", chemicals)):
        if cat in br and f != 1.0:
            var += (f - 1.0) * br[cat]
            br[cat] = br[cat] * f
    return replace(table, var_CNY_m3=var, var_breakdown=br)


# -- checks ----------------------------------------------------------------------------------------
