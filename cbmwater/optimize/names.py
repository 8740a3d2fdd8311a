"""Readable names for the rows and columns of the network MILP in LP and MPS files.

:func:`cbmwater.optimize.model.build_model` keeps its variables indexed by position and its
constraints in one list (``rows``), which is what makes the build fast.  What each position means
is known from the :class:`~cbmwater.optimize.network.Network` arrays (columns) and from a short key
recorded with every row (``("quality", d, t, key)``); :class:`ModelNames` turns them into names
only when a file is written, as the ``labeler`` of Pyomo's LP and MPS writers.

Names are ``kind(entity,...,tN)``: ``feed(S3,ro_basic,t2)`` is the feed of train ``ro_basic`` at
site ``S3`` in period 2 (periods count from 1).  Entity names (sites, trains, destinations,
constituents) are reduced to ASCII letters, digits, ``_`` and ``.`` -- what every LP reader takes
(CPLEX LP, HiGHS, CBC, GLPK; HiGHS rejects ``[`` and ``]``); a name left empty (e.g. all Chinese)
becomes its kind and number (``site3``), and two names that reduce to the same text get their
number appended.  Pyomo's writers wrap each row name in its sense: ``c_e_`` (=), ``c_u_`` (<=),
``c_l_`` (>=), ``r_l_``/``r_u_`` (both sides), closed with ``_``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pyomo.environ as pyo
from pyomo.core.base.label import cpxlp_label_from_name

if TYPE_CHECKING:
    from .network import Cut, Network

__all__ = ["COLUMN_KINDS", "ROW_KINDS", "ModelNames", "tokens"]

MAX_TOKEN = 48  # characters of one entity name (a row name stays < 255)
_BAD = re.compile(r"[^A-Za-z0-9_.]+")

COLUMN_KINDS = {
    "feed": "feed(site,train,tN): water treated by a train at a site, m3/d",
    "product": "product(site,train,destination,tN): treated water sent to a destination, m3/d",
    "residual": "residual(site,train,destination,tN): brine / backwash / sludge water sent to a "
    "destination, m3/d",
    "transfer": "transfer(station,hub,tN): water piped from a station to a shared hub, m3/d",
    "build": "build(site,train,size_m3_d): 1 if the plant of that size is built",
    "spill": "spill(station,tN): produced water left unallocated (elastic model only), m3/d",
    "over_capacity": "over_capacity(destination,tN): flow above a destination's capacity "
    "(elastic model only), m3/d",
    "quality_slack": "quality_slack(destination,constituent,tN): quality excess (elastic model "
    "only)",
}
ROW_KINDS = {
    "balance": "balance(station,tN): feeds + transfers = production (no spill)",
    "hub_balance": "hub_balance(hub,tN): hub feeds = transfers in",
    "product_split": "product_split(site,train,tN): sum of product flows = recovery x feed",
    "residual_split": "residual_split(site,train,tN): sum of residual flows = residual fraction "
    "x feed",
    "one_size": "one_size(site,train): at most one plant size is built",
    "build_capacity": "build_capacity(site,train,tN): feed <= size of the plant built",
    "capacity": "capacity(destination,tN): flows in <= what the destination takes",
    "quality": "quality(destination,constituent,tN): sum (c - limit) flow <= 0, scaled",
    "sar_tangent": "sar_tangent(destination,tN,k): k-th tangent row of the SAR limit",
    "cut": "cut(destination,property,tN,k): k-th PHREEQC cut (pH, SAR, SI_<mineral>, "
    "formation_scale)",
    "min_reuse_share": "min_reuse_share: reuse share >= the epsilon bound",
    "max_cost": "max_cost: NPV cost <= the budget",
}


def tokens(names: Sequence[str], kind: str) -> list[str]:
    """LP-safe, distinct tokens for entity ``names`` (order kept)."""
    out = []
    for k, name in enumerate(names):
        tok = _BAD.sub("_", str(name)).strip("_.")[:MAX_TOKEN] or f"{kind}{k + 1}"
        out.append(tok)
    seen: dict[str, int] = {}
    for tok in out:
        seen[tok] = seen.get(tok, 0) + 1
    return [f"{tok}_{k + 1}" if seen[tok] > 1 else tok for k, tok in enumerate(out)]


class ModelNames:
    """The labeler of a network model: component data -> name (see the module docstring).

    ``net`` is the model's :class:`~cbmwater.optimize.model.Network`, ``row_keys`` the key of
    each entry of ``model.rows``, ``quality_rows`` the (dest, t, key) of each quality row (the
    elastic model's quality slacks follow them), ``cuts`` the model's cuts.
    """

    def __init__(
        self,
        model: pyo.ConcreteModel,
        net: Network,
        row_keys: list[tuple],
        quality_rows: list[tuple[int, int, str]],
        cuts: Sequence[Cut] = (),
        objective: str = "cost",
    ) -> None:
        self.net, self.cuts = net, list(cuts)
        self.site = tokens(net.sites, "site")
        self.dest = tokens(net.dests, "destination")
        self.hub = self.site[len(net.stations) :]
        trains = list(dict.fromkeys(t for _, t in net.table.pairs))
        tt = dict(zip(trains, tokens(trains, "train")))
        self.pair = [f"{self.site[s]},{tt[t]}" for s, (_, t) in zip(net.pair_site, net.table.pairs)]
        objective_name = {
            "cost": "npv_cost_CNY",
            "reuse": "reuse_share",
            "salt": "salt_to_environment_t",
        }.get(objective, objective)
        elastic = model.over is not None  # a fixed-builds model has only the priced spill
        T = net.case.periods
        # every name of a family is made at once, on the writer's first question about it
        self._families: dict[int, Callable[[], list[str]]] = {
            id(model.F): self._feeds,
            id(model.x): lambda: self._flows("product", "x"),
            id(model.w): lambda: self._flows("residual", "w"),
            id(model.g): self._transfers,
            id(model.y): self._builds,
            id(model.rows): lambda: list(map(self._row, row_keys)),
        }
        self._made: dict[int, list[str]] = {}
        self._scalars = {id(model.obj): "penalty" if elastic else objective_name}
        S = len(net.stations)
        if model.spill is not None:
            self._families[id(model.spill)] = lambda: [
                f"spill({self.site[s]},t{t + 1})" for s in range(S) for t in range(T)
            ]
        if elastic:
            self._families[id(model.over)] = lambda: [
                f"over_capacity({d},t{t + 1})" for d in self.dest for t in range(T)
            ]
            for v, (d, t, key) in zip(model.qslack, quality_rows):
                self._scalars[id(v)] = f"quality_slack({self.dest[d]},{_key(key)},t{t + 1})"

    def __call__(self, obj: Any) -> str:
        name = self._scalars.get(id(obj))
        if name is not None:
            return name
        comp = id(obj.parent_component())
        names = self._made.get(comp)
        if names is None:
            make = self._families.get(comp)
            if make is None:  # added after the build (plan's salt_cap), or the writer's own
                return cpxlp_label_from_name(obj.getname(True))
            names = self._made[comp] = make()
        return names[obj.index()]

    # -- columns --------------------------------------------------------------------------------
    def _feeds(self) -> list[str]:
        net, pair = self.net, self.pair
        return [f"feed({pair[i]},t{t + 1})" for i, t in zip(net.f_pair.tolist(), net.f_t.tolist())]

    def _flows(self, kind: str, v: str) -> list[str]:
        net, pair, dest = self.net, self.pair, self.dest
        ix = (getattr(net, f"{v}_{a}").tolist() for a in ("pair", "dest", "t"))
        return [f"{kind}({pair[i]},{dest[d]},t{t + 1})" for i, d, t in zip(*ix)]

    def _transfers(self) -> list[str]:
        net, site, hub = self.net, self.site, self.hub
        return [
            f"transfer({site[s]},{hub[h]},t{t + 1})"
            for s, h, t in zip(net.g_st.tolist(), net.g_hub.tolist(), net.g_t.tolist())
        ]

    def _builds(self) -> list[str]:
        net, pair = self.net, self.pair
        # a plant built in period 1 keeps the build-once name; a later one says its period
        return [
            f"build({pair[i]},{net.sizes[z]:g}_m3_d{f',t{p + 1}' if p else ''})"
            for i, z, p in zip(net.y_pair.tolist(), net.y_size.tolist(), net.y_period.tolist())
        ]

    # -- rows -----------------------------------------------------------------------------------
    def _row(self, key: tuple) -> str:
        kind, *ix = key
        net = self.net
        if kind == "balance":
            return f"balance({self.site[ix[0]]},t{ix[1] + 1})"
        if kind == "hub_balance":
            return f"hub_balance({self.hub[ix[0]]},t{ix[1] + 1})"
        if kind in ("product_split", "residual_split", "build_capacity"):
            f = ix[0]
            return f"{kind}({self.pair[net.f_pair[f]]},t{net.f_t[f] + 1})"
        if kind == "one_size":
            return f"one_size({self.pair[ix[0]]}{f',t{ix[1] + 1}' if ix[1] else ''})"
        if kind == "capacity":
            return f"capacity({self.dest[ix[0]]},t{ix[1] + 1})"
        if kind == "quality":
            return f"quality({self.dest[ix[0]]},{_key(ix[2])},t{ix[1] + 1})"
        if kind == "sar_tangent":
            return f"sar_tangent({self.dest[ix[0]]},t{ix[1] + 1},{ix[2] + 1})"
        if kind == "cut":
            c = self.cuts[ix[0]]
            d = self.dest[net.dests.index(c.destination)]
            return f"cut({d},{_key(c.prop)},t{c.period},{ix[0] + 1})"
        return kind  # min_reuse_share, max_cost


def _key(key: str) -> str:
    return _BAD.sub("_", key)
