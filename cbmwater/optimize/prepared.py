"""What an optimisation computes once per case, before any solve: the case's economics, the
station and hub feeds (PHREEQC mixing), every (site, train, period) path through the treatment
engine, and the screen of streams against formation waters.  :func:`cbmwater.optimize.plan.optimise`
and :func:`~cbmwater.optimize.plan.pareto_front` share one :class:`Prepared` between solves."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..errors import InputError
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
                    f"[economics] chemicals_CNY_t: unknown chemical {k!r}; allowed: "
                    f"{', '.join(sorted(chem))}",
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
        progress("mixing well waters at stations (PHREEQC)", 0.05)
        self.feeds, self.warnings = pc.station_feeds(case, analyses, database=database)
        self.members = {h.name: [m for m in h.stations if m in self.feeds] for h in case.hubs}
        for h in case.hubs:
            if self.members[h.name]:
                init = np.stack([self.feeds[m].flow_m3_d for m in self.members[h.name]], axis=1)
                self.feeds[h.name] = pc.hub_feed(
                    case, h.name, self.feeds, init, self.members[h.name], database
                )
        progress("simulating every (site, train, period) with the treatment engine", 0.15)
        t0 = time.perf_counter()
        self.table = pc.simulate_paths(case, self.feeds, self.library, self.econ, database=database)
        self.precompute_seconds = time.perf_counter() - t0
        self.produced = {
            s: self.feeds[s].flow_m3_d for s in (st.name for st in case.stations) if s in self.feeds
        }
        self.warnings += self.table.warnings
        if not self.table.pairs:
            raise InputError(
                "no candidate train could be simulated at any site; see warnings: "
                + "; ".join(self.table.warnings[:3]),
                file=str(case.path),
            )
        self.screen = Screen()
        if any(d.formation is not None for d in case.destinations):
            progress("mixing candidate injectates with formation waters (PHREEQC)", 0.25)
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

    def network(self) -> Network:
        return prepare(
            self.case,
            self.table,
            self.produced,
            life_yr=self.econ.life_yr,
            screen=self.screen.excluded,
        )

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


# -- checks ----------------------------------------------------------------------------------------
