"""Which destination limits a plan's blends sit at (the limits that bind).

The LP holds each destination's blend at or under its limits, inside its pH range, under its SAR
and SI maxima and its capacity.  A limit *binds* when the delivered blend uses at least
:data:`BINDING_USE` of it (an upper bound: ``value >= BINDING_USE * limit``), or, for pH and SI
(log units, possibly negative), when the value is within :data:`BINDING_UNITS` of the bound.  Only
periods with water delivered count.  A binding limit is one whose shadow price is non-zero
(complementary slackness); reading it from the solution keeps the answer independent of the
solver's duals, which a MIP does not give.  Blends checked by PHREEQC cuts sit a little inside
their limit (the cut is conservative), hence a tolerance of 0.5 % rather than the solver's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["BINDING_USE", "BINDING_UNITS", "binding_limits"]

#: share of an upper limit a blend must use for the limit to count as binding (-)
BINDING_USE = 0.995
#: distance to a pH or SI bound (log units) within which the bound counts as binding
BINDING_UNITS = 0.01


def binding_limits(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The limits a plan's blends sit at, per destination and period.

    Parameters
    ----------
    plan : mapping
        The plan's dict (``NetworkPlan.to_dict()``).

    Returns
    -------
    list of dict
        ``destination``, ``period``, ``year``, ``property`` (``capacity`` in m3/d, a
        constituent key in mg/L, ``SAR``, ``pH_min``, ``pH_max`` or ``SI_<mineral>``),
        ``value``, ``limit`` and ``use`` (value/limit for upper limits; 1.0 on a pH or SI bound).

    Examples
    --------
    >>> d = {"name": "Reuse", "period": 1, "delivered_m3_d": 100.0, "capacity_m3_d": 100.0,
    ...      "blend": {"F": 1.2}, "limits": {"F": 1.5}}
    >>> [r["property"] for r in binding_limits({"destinations": [d]})]
    ['capacity']
    """
    out: list[dict[str, Any]] = []
    for d in plan.get("destinations") or []:
        delivered = float(d.get("delivered_m3_d") or 0.0)
        if delivered <= 0.0:
            continue

        def add(prop: str, value: float, limit: float, use: float, d: Mapping = d) -> None:
            out.append(
                {
                    "destination": d.get("name"),
                    "period": d.get("period"),
                    "year": d.get("year"),
                    "property": prop,
                    "value": value,
                    "limit": limit,
                    "use": use,
                }
            )

        cap = d.get("capacity_m3_d")
        if cap and delivered >= BINDING_USE * cap:
            add("capacity", delivered, float(cap), delivered / cap)
        blend = d.get("blend") or {}
        for key, lim in (d.get("limits") or {}).items():
            v = blend.get(key)
            if v is not None and lim and v >= BINDING_USE * lim:
                add(key, float(v), float(lim), v / lim)
        sar, sar_max = d.get("SAR"), d.get("SAR_max")
        if sar is not None and sar_max and sar >= BINDING_USE * sar_max:
            add("SAR", float(sar), float(sar_max), sar / sar_max)
        ph, rng = d.get("pH"), d.get("pH_range")
        if ph is not None and rng:
            lo, hi = rng
            if lo is not None and ph <= lo + BINDING_UNITS:
                add("pH_min", float(ph), float(lo), 1.0)
            if hi is not None and ph >= hi - BINDING_UNITS:
                add("pH_max", float(ph), float(hi), 1.0)
        si = d.get("SI") or {}
        for mineral, smax in (d.get("SI_max") or {}).items():
            v = si.get(mineral)
            if v is not None and smax is not None and v >= smax - BINDING_UNITS:
                add(f"SI_{mineral}", float(v), float(smax), 1.0)
    return out
