"""A simulated and costed train for one water as a plain dict (the CLI's JSON, the app's data)."""

from __future__ import annotations

import math

import numpy as np

from .costing import TrainCost
from .streams import TRACKED, StreamBatch
from .train import TrainResult

__all__ = ["summarise"]


def _conc(batch: StreamBatch, i: int) -> dict[str, float]:
    return {n: float(v) for n, v in zip(TRACKED, batch.conc_mg_L[i]) if not math.isnan(v)}


def _stream(batch: StreamBatch, i: int) -> dict[str, object]:
    ph = batch.pH[i]
    return {"flow_m3_d": float(batch.flow_m3_d[i]), "temp_C": float(batch.temp_C[i]),
            "pH": None if math.isnan(ph) else float(ph), "concentrations": _conc(batch, i)}


def summarise(result: TrainResult, cost: TrainCost, i: int = 0) -> dict[str, object]:
    """Water ``i`` of a batch: stages, product, residuals, recovery, energy, chemicals, costs.

    Units: flows m3/d, concentrations mg/L (canonical names; constituents not measured are
    left out), energy kWh per m3 of product, chemicals kg/d of active compound, money CNY of the
    economics price year.
    """
    stages = []
    for s in result.steps:
        d = {"unit": s.unit.id, "name_en": s.unit.name_en, "name_zh": s.unit.name_zh,
             "inlet": _stream(s.feed, i), "outlet": _stream(s.product, i),
             "recovery": float(s.recovery[i]), "energy_kWh_d": float(s.energy_kWh_d[i])}
        if "recovery_limit" in s.details:
            d["recovery_limit"] = float(s.details["recovery_limit"][i])
            d["limiting_mineral"] = s.details["limiting_mineral"][i] or None
            d["design_recovery"] = float(s.details["design_recovery"])
            d["si_allowance"] = dict(s.details["si_allowance"])
            d["si_at_limit"] = {m: (None if math.isnan(v[i]) else float(v[i]))
                                for m, v in s.details["si_at_limit"].items()}
        if "reagent_mmol_L" in s.details:
            d["reagent"] = s.details["reagent"][i] or None
            d["reagent_mmol_L"] = float(s.details["reagent_mmol_L"][i])
            d["precipitated_mmol_L"] = {k: float(v[i]) for k, v in
                                        s.details["precipitated_mmol_L"].items()}
        stages.append(d)
    residuals = []
    for r in result.residuals:
        residuals.append({
            "name": r.name, "unit": r.unit, "kind": r.kind,
            "flow_m3_d": float(r.stream.flow_m3_d[i]),
            "concentrations": _conc(r.stream, i) if r.stream.flow_m3_d[i] > 0 else {},
            "dry_kg_d": float(r.solids_kg_d[i]), "wet_m3_d": float(r.wet_sludge_m3_d[i]),
            "treated_by": r.treated_by})
    bd = cost.breakdown[cost.breakdown["water"] == i]
    by_unit = {u: {c: float(v) for c, v in g.groupby("category")["CNY_yr"].sum().items()}
               for u, g in bd.groupby("unit", sort=False)}
    by_cat = {c: float(v) for c, v in bd.groupby("category")["CNY_yr"].sum().items()}
    product_flow = float(result.product.flow_m3_d[i])
    energy = float(result.energy_kWh_d[i])
    return {
        "units": list(result.units),
        "feed": _stream(result.feed, i),
        "stages": stages,
        "product": _stream(result.product, i),
        "residuals": residuals,
        "evaporated_m3_d": float(result.vapour_m3_d[i]),
        "recovery": float(result.recovery[i]),
        "energy_kWh_d": energy,
        "energy_kWh_m3": energy / product_flow if product_flow > 0 else None,
        "chemicals_kg_d": {k: float(np.asarray(v)[i]) for k, v in result.chemicals_kg_d.items()},
        "capex_CNY": float(cost.capex_CNY[i]),
        "opex_CNY_yr": float(cost.opex_CNY_yr[i]),
        "annualized_CNY_yr": float(cost.annualized_CNY_yr[i]),
        "crf_per_yr": cost.crf,
        "lcow_CNY_m3": float(cost.lcow_CNY_m3[i]),
        "breakdown": {"by_unit": by_unit, "by_category": by_cat},
        "warnings": list(result.warnings[i]) + list(cost.warnings[i]),
    }
