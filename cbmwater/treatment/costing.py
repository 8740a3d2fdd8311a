"""Cost of a simulated train in CNY of the economics price year: capital, operating, LCOW.

* Capital of a unit: ``A (Q / Q_ref)^B`` (Q = the unit's inlet flow, m3/d) in the curve's
  currency and year, times its installation factor, moved to CNY of the price year
  (:meth:`Economics.to_CNY`), times the location factor of the curve's currency.  A flow outside the curve's valid range gives a warning.
* Operating, CNY/yr (operating days = 365 x utilization): electricity (kWh/d x tariff),
  chemicals (active kg/d / purity x CNY/t), membrane/resin/media replacement (CNY per m3 of unit
  feed), labour (persons x CNY/person-yr), maintenance (fraction of capital per year), residual
  disposal (dry sludge t/d x CNY/t; final brine m3/d x CNY/m3).
* Annualised cost = CRF x capital + operating; **LCOW = annualised cost / product m3 per year**
  (WaterTAP's LCOW definition, reference/watertap.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .economics import Economics
from .train import TrainResult

__all__ = ["TrainCost", "cost_train", "CATEGORIES"]

CATEGORIES = ("capital", "electricity", "chemicals", "replacement", "labour", "maintenance",
              "sludge_disposal", "brine_disposal")


@dataclass
class TrainCost:
    """Costs of a train for each water of the batch.

    Attributes
    ----------
    capex_CNY : ndarray
        Installed capital, CNY.
    opex_CNY_yr : ndarray
        Operating cost, CNY/yr.
    annualized_CNY_yr : ndarray
        CRF x capex + opex.
    lcow_CNY_m3 : ndarray
        CNY per m3 of product.
    breakdown : DataFrame
        Long table: water, unit, category, CNY_yr (capital as CRF x capex).
    warnings : list of list of str
    """

    capex_CNY: np.ndarray
    opex_CNY_yr: np.ndarray
    annualized_CNY_yr: np.ndarray
    lcow_CNY_m3: np.ndarray
    breakdown: pd.DataFrame
    crf: float
    warnings: list[list[str]] = field(default_factory=list)


def cost_train(result: TrainResult, econ: Economics) -> TrainCost:
    """Capital, operating cost and LCOW of every water's train (see module docstring)."""
    n = len(result.feed)
    days = 365.0 * econ.utilization
    crf = econ.crf()
    blocks: list[tuple[str, str, np.ndarray]] = []   # (unit, category, CNY/yr per water)
    capex = np.zeros(n)
    opex = np.zeros(n)
    warnings: list[list[str]] = [[] for _ in range(n)]
    for step in result.steps:
        spec = step.unit
        cap = spec.capital
        q = step.feed.flow_m3_d
        per_unit_curve = (econ.to_CNY(cap.A, cap.currency, cap.year) * cap.installation_factor
                          * econ.capital_factor(cap.currency))
        unit_capex = np.where(q > 0, per_unit_curve * (np.maximum(q, 0) / cap.Q_ref_m3_d) ** cap.B,
                              0.0)
        outside = (q > 0) & ((q < cap.Q_min_m3_d) | (q > cap.Q_max_m3_d))
        for i in np.flatnonzero(outside):
            warnings[i].append(
                f"{spec.id}: inlet flow {q[i]:.4g} m3/d is outside the capital curve's valid "
                f"range {cap.Q_min_m3_d:g}-{cap.Q_max_m3_d:g} m3/d: capital is extrapolated")
        elec = step.energy_kWh_d * days * econ.electricity_CNY_kWh
        chem = np.zeros(n)
        for name, kg_d in step.chemicals_kg_d.items():
            c = econ.chemicals[name]
            chem = chem + np.asarray(kg_d, float) / c.purity / 1000.0 * c.price_CNY_t * days
        repl = spec.replacement_CNY_m3 * q * days
        labour = np.full(n, spec.labour_persons * econ.labour_CNY_person_yr)
        maint = spec.maintenance_frac_capex_yr * unit_capex
        sludge = np.zeros(n)
        if spec.residual in ("sludge", "spent_media"):
            sludge = step.solids_kg_d / 1000.0 * econ.sludge_disposal_CNY_t_dry * days
        capex += unit_capex
        opex += elec + chem + repl + labour + maint + sludge
        for cat, arr in (("capital", crf * unit_capex), ("electricity", elec), ("chemicals", chem),
                         ("replacement", repl), ("labour", labour), ("maintenance", maint),
                         ("sludge_disposal", sludge)):
            blocks.append((spec.id, cat, np.asarray(arr, float)))
    for res in result.residuals:  # backwash is returned to the head of the works: not charged
        if res.kind == "brine" and res.treated_by is None:
            cost = res.stream.flow_m3_d * econ.brine_disposal_CNY_m3 * days
            opex += cost
            blocks.append((res.unit, "brine_disposal", np.asarray(cost, float)))
    annual = crf * capex + opex
    product_m3_yr = result.product.flow_m3_d * days
    with np.errstate(divide="ignore", invalid="ignore"):
        lcow = np.where(product_m3_yr > 0, annual / product_m3_yr, np.inf)
    # long table, water-major (water 0's rows first), built from arrays in one go
    k = len(blocks)
    breakdown = pd.DataFrame({
        "water": np.repeat(np.arange(n), k),
        "unit": np.tile(np.array([b[0] for b in blocks], dtype=object), n),
        "category": np.tile(np.array([b[1] for b in blocks], dtype=object), n),
        "CNY_yr": (np.stack([b[2] for b in blocks], axis=1).ravel() if k else np.zeros(0)),
    })
    return TrainCost(capex, opex, annual, lcow, breakdown, crf, warnings)
