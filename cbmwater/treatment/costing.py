"""Cost of a simulated train in CNY of the economics price year: capital, operating, LCOW.

* Capital of a unit (:func:`unit_capital`): ``A (Q / Q_ref)^B`` (Q = the unit's inlet flow,
  m3/d) in the curve's currency and year, times its installation factor, moved to CNY of the
  price year (:meth:`Economics.to_CNY`), times the location factor of the curve's currency.
  Below the curve's ``Q_min_m3_d`` its ``below_min`` policy applies -- ``floor``: the capital at
  Q_min (the smallest plant the curve describes), ``extrapolate``: the power law followed down;
  above ``Q_max_m3_d`` the power law is followed up.  Every flow outside the range gives a
  warning that names the policy applied: nothing is extrapolated silently.
* Operating, CNY/yr (operating days = 365 x utilization): electricity (kWh/d x tariff),
  chemicals (active kg/d / purity x CNY/t), membrane/resin/media replacement (CNY per m3 of unit
  feed), labour (persons x CNY/person-yr), maintenance (fraction of capital per year), residual
  disposal: solids at the price of the unit's disposal class (``general_solid``: dry t/d x CNY
  per dry t, category ``sludge_disposal``; ``hazardous_salt``: t/d as delivered = dry / solids
  fraction, plus for a crystalliser the mother liquor it purges beyond what the cake holds
  (1 t/m3 plus its salts), x CNY/t, category ``hazardous_salt_disposal``), final brine m3/d x
  CNY/m3
  (``brine_disposal``), backwash water leaving the works m3/d x CNY/m3 (``backwash_disposal``).
* Annualised cost = CRF x capital + operating; **LCOW = annualised cost / product m3 per year**
  (WaterTAP's LCOW definition, reference/watertap.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Text, named
from .economics import Economics
from .library import SOLID_RESIDUALS, CapitalCurve
from .streams import tds_g_L
from .train import TrainResult

__all__ = ["TrainCost", "cost_train", "unit_capital", "CATEGORIES", "DISPOSAL_CATEGORY"]

CATEGORIES = (
    "capital",
    "electricity",
    "chemicals",
    "replacement",
    "labour",
    "maintenance",
    "sludge_disposal",
    "hazardous_salt_disposal",
    "brine_disposal",
    "backwash_disposal",
)
#: Breakdown category of the solids of each disposal class (economics.DISPOSAL_CLASSES).
DISPOSAL_CATEGORY = {
    "general_solid": "sludge_disposal",
    "hazardous_salt": "hazardous_salt_disposal",
}


def unit_capital(
    unit_id: str, curve: CapitalCurve, q_m3_d: np.ndarray | float, econ: Economics
) -> tuple[np.ndarray, list[list[str]]]:
    """Installed capital of a unit at inlet flows ``q_m3_d``, with the range policy applied.

    Parameters
    ----------
    unit_id : str
        Unit id, used in the warnings.
    curve : CapitalCurve
        ``A (Q/Q_ref)^B`` x installation factor in the curve's currency and year, valid from
        ``Q_min_m3_d`` to ``Q_max_m3_d`` m3/d, with its ``below_min`` policy.
    q_m3_d : array_like
        Inlet flow of the unit, m3/d (0 or less: no plant, no capital).
    econ : Economics
        Cost index, exchange rate and location factor.

    Returns
    -------
    capex_CNY : ndarray
        Installed capital, CNY of the price year (after the location factor).  Below Q_min it is
        the value at Q_min when the policy is ``"floor"``, the power law when ``"extrapolate"``;
        above Q_max the power law.
    warnings : list of list of str
        One list per flow: a message for every flow outside the valid range, naming the
        policy applied.
    """
    q = np.atleast_1d(np.asarray(q_m3_d, dtype=float))
    k = (
        econ.to_CNY(curve.A, curve.currency, curve.year)
        * curve.installation_factor
        * econ.capital_factor(curve.currency)
    )
    live = q > 0
    below = live & (q < curve.Q_min_m3_d)
    above = live & (q > curve.Q_max_m3_d)
    q_eff = np.maximum(q, 0.0)
    if curve.below_min == "floor":
        q_eff = np.where(below, curve.Q_min_m3_d, q_eff)
    elif curve.below_min != "extrapolate":
        raise InputError(
            Text.of(
                "treatment.error.below_min",
                unit=named("unitid", unit_id),
                value=repr(curve.below_min),
            )
        )
    capex = np.where(live, k * (q_eff / curve.Q_ref_m3_d) ** curve.B, 0.0)
    warnings: list[list[str]] = [[] for _ in range(len(q))]
    rng: dict[str, Any] = {
        "unit": named("unitid", unit_id),
        "q_min": curve.Q_min_m3_d,
        "q_max": curve.Q_max_m3_d,
    }
    for i in np.flatnonzero(below):
        warnings[i].append(
            Text.of(
                f"treatment.warn.capital_below_min.{curve.below_min}",
                q=q[i],
                capex=capex[i],
                **rng,
            )
        )
    for i in np.flatnonzero(above):
        warnings[i].append(
            Text.of("treatment.warn.capital_above_max", q=q[i], capex=capex[i], **rng)
        )
    return capex, warnings


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
    """Capital, operating cost and LCOW of every water's train (see module docstring).

    Parameters
    ----------
    result : TrainResult
        A simulated train (flows m3/d, solids kg/d, energy kWh/d, chemicals kg/d).
    econ : Economics
        Prices (CNY of the price year), finance defaults and cost indices.

    Returns
    -------
    TrainCost
        Capital (CNY), operating cost (CNY/yr), annualised cost (CNY/yr), LCOW (CNY per m3 of
        product), the breakdown by unit and category (:data:`CATEGORIES`) and, per water, the
        warnings (capital-range policies applied).
    """
    n = len(result.feed)
    days = 365.0 * econ.utilization
    crf = econ.crf()
    blocks: list[tuple[str, str, np.ndarray]] = []  # (unit, category, CNY/yr per water)
    capex = np.zeros(n)
    opex = np.zeros(n)
    warnings: list[list[str]] = [[] for _ in range(n)]
    for step in result.steps:
        spec = step.unit
        q = step.feed.flow_m3_d
        unit_capex, cap_warn = unit_capital(spec.id, spec.capital, q, econ)
        for i, ws in enumerate(cap_warn):
            warnings[i].extend(ws)
        elec = step.energy_kWh_d * days * econ.electricity_CNY_kWh
        chem = np.zeros(n)
        for name, kg_d in step.chemicals_kg_d.items():
            c = econ.chemicals[name]
            chem = chem + np.asarray(kg_d, float) / c.purity / 1000.0 * c.price_CNY_t * days
        repl = spec.replacement_CNY_m3 * q * days
        labour = np.full(n, spec.labour_persons * econ.labour_CNY_person_yr)
        maint = spec.maintenance_frac_capex_yr * unit_capex
        disposal = {"sludge_disposal": np.zeros(n)}
        if spec.residual in SOLID_RESIDUALS:
            if not spec.disposal_class:
                raise InputError(
                    Text.of(
                        "treatment.error.needs_disposal",
                        unit=named("unitid", spec.id),
                        residual=spec.residual,
                    )
                )
            price, basis = econ.disposal_price_CNY_t(spec.disposal_class)
            tonnes_d = np.asarray(step.solids_kg_d, float) / 1000.0
            if basis == "as_delivered":
                # the cake as hauled: dry / solids fraction; a crystalliser (thermal model)
                # also purges mother liquor beyond what its cake holds, which leaves with the
                # salt and is charged too (water 1 t/m3 plus its dissolved salts)
                f = spec.sludge_solids_frac
                if not f > 0:
                    raise InputError(
                        Text.of(
                            "treatment.error.as_delivered",
                            unit=named("unitid", spec.id),
                            disposal_class=repr(spec.disposal_class),
                        )
                    )
                extra: float | np.ndarray = 0.0
                if spec.model == "thermal":
                    liquor = step.residual
                    liquor_t_d = liquor.flow_m3_d * (1.0 + tds_g_L(liquor.conc_mg_L) / 1000.0)
                    extra = np.maximum(liquor_t_d - tonnes_d * (1.0 - f) / f, 0.0)
                tonnes_d = tonnes_d / f + extra
            disposal[DISPOSAL_CATEGORY[spec.disposal_class]] = tonnes_d * price * days
        capex += unit_capex
        opex += elec + chem + repl + labour + maint + sum(disposal.values())
        for cat, arr in (
            ("capital", crf * unit_capex),
            ("electricity", elec),
            ("chemicals", chem),
            ("replacement", repl),
            ("labour", labour),
            ("maintenance", maint),
            *disposal.items(),
        ):
            blocks.append((spec.id, cat, np.asarray(arr, float)))
    for res in result.residuals:
        if res.treated_by is not None:
            continue
        if res.kind == "brine":  # final concentrate, hauled off site
            cost = res.stream.flow_m3_d * econ.brine_disposal_CNY_m3 * days
            cat = "brine_disposal"
        elif res.kind == "backwash":  # leaves the works (the water balance counts it lost)
            cost = res.stream.flow_m3_d * econ.backwash_CNY_m3 * days
            cat = "backwash_disposal"
        else:
            continue
        opex += cost
        blocks.append((res.unit, cat, np.asarray(cost, float)))
    annual = crf * capex + opex
    product_m3_yr = result.product.flow_m3_d * days
    with np.errstate(divide="ignore", invalid="ignore"):
        lcow = np.where(product_m3_yr > 0, annual / product_m3_yr, np.inf)
    # long table, water-major (water 0's rows first), built from arrays in one go
    k = len(blocks)
    breakdown = pd.DataFrame(
        {
            "water": np.repeat(np.arange(n), k),
            "unit": np.tile(np.array([b[0] for b in blocks], dtype=object), n),
            "category": np.tile(np.array([b[1] for b in blocks], dtype=object), n),
            "CNY_yr": (np.stack([b[2] for b in blocks], axis=1).ravel() if k else np.zeros(0)),
        }
    )
    return TrainCost(capex, opex, annual, lcow, breakdown, crf, warnings)
