"""The data of a case's network MILP: index arrays (:class:`Network`), the PHREEQC cuts and the
exclusions of streams a destination may not take.  Built by :func:`cbmwater.optimize.model.prepare`
and read by the model, its names and the results."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .case import Case
from .precompute import PathTable

__all__ = ["Network", "Cut", "Exclusion"]


@dataclass
class Cut:
    """A linear cut from a PHREEQC check: ``sum coef * flow (<= or >=) 0`` at (dest, period)."""

    destination: str
    period: int  # 1-based
    prop: str  # pH | SAR | SI_<Mineral> | formation_scale
    sense: str  # "max" (<=) or "min" (>=)
    limit: float
    value: float  # the blend's value that was checked
    iteration: int
    coef: dict[tuple[int, str], float] = field(default_factory=dict)  # (pair, stream) -> h - limit

    def as_dict(self) -> dict:
        return {
            "destination": self.destination,
            "period": self.period,
            "property": self.prop,
            "sense": "<=" if self.sense == "max" else ">=",
            "limit": self.limit,
            "value": self.value,
            "iteration": self.iteration,
            "terms": len(self.coef),
        }


@dataclass
class Exclusion:
    """A stream that may not go to a destination in a period, and why.

    ``kind`` is ``"limit"`` (``key`` a constituent whose per-stream limit the stream breaks:
    ``rule`` "per-stream limit" or "no dilution") or ``"formation"`` (``key`` "scale": mixing
    with the formation water deposits ``value`` mg/L > ``limit``; ``detail`` holds the mixing
    summary and the injectate).  Indices are 0-based (destination, pair, period).
    """

    destination: int
    pair: int
    stream: str  # "product" or "residual"
    period: int
    kind: str
    key: str
    value: float
    limit: float
    rule: str
    detail: dict = field(default_factory=dict)


@dataclass
class Network:
    """Index arrays of a case's MILP (built once per iteration by :func:`prepare`)."""

    case: Case
    table: PathTable
    produced: np.ndarray  # (S, T) station production, m3/d
    stations: list[str]
    hubs: list[str]
    hub_members: dict[str, list[str]]
    dests: list[str]
    # feed variables
    f_pair: np.ndarray
    f_t: np.ndarray
    # product flows
    x_pair: np.ndarray
    x_dest: np.ndarray
    x_t: np.ndarray
    # residual flows
    w_pair: np.ndarray
    w_dest: np.ndarray
    w_t: np.ndarray
    # transfers
    g_st: np.ndarray
    g_hub: np.ndarray
    g_t: np.ndarray
    # builds
    y_pair: np.ndarray
    y_size: np.ndarray
    sizes: np.ndarray
    # coefficients (CNY per m3 of flow, undiscounted) and discount factors
    A: np.ndarray
    B: np.ndarray
    x_unit_CNY_m3: np.ndarray
    w_unit_CNY_m3: np.ndarray
    g_unit_CNY_m3: np.ndarray
    y_charge_CNY: np.ndarray  # NPV charge of each build option
    crf: float
    pair_site: np.ndarray  # (P,) site index into stations + hubs
    site_max: np.ndarray  # (sites,) most water a site can receive in a period
    exclusions: list[Exclusion] = field(default_factory=list)
    #: build period of each option (0-based; staged expansion, :func:`.model.build_options`)
    y_period: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    #: discounted years from each option's build period to the horizon's end (its charge's
    #: multiplier: ``(capex CRF + fixed) y_years``)
    y_years: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def sites(self) -> list[str]:
        return self.stations + self.hubs
