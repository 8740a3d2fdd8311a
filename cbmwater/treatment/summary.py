"""A simulated and costed train for one water as a plain dict (the CLI's JSON, the app's data)."""

from __future__ import annotations

import math

import numpy as np

from ..i18n import message_of
from .costing import TrainCost
from .policies import unit_policies
from .streams import TRACKED, StreamBatch
from .train import TrainResult

__all__ = ["summarise"]


def _conc(batch: StreamBatch, i: int) -> dict[str, float]:
    return {n: float(v) for n, v in zip(TRACKED, batch.conc_mg_L[i]) if not math.isnan(v)}


def _kg(g_d_or_kg_d: np.ndarray, i: int, per: float = 1.0) -> dict[str, float]:
    """Non-zero entries of row ``i`` of an (n, K) mass array, by constituent name (x ``per``)."""
    row = np.asarray(g_d_or_kg_d)[i]
    return {n: float(v) * per for n, v in zip(TRACKED, row) if v != 0 and not math.isnan(v)}


def _stream(batch: StreamBatch, i: int) -> dict[str, object]:
    ph = batch.pH[i]
    return {
        "flow_m3_d": float(batch.flow_m3_d[i]),
        "temp_C": float(batch.temp_C[i]),
        "pH": None if math.isnan(ph) else float(ph),
        "concentrations": _conc(batch, i),
    }


def summarise(result: TrainResult, cost: TrainCost, i: int = 0) -> dict[str, object]:
    """Water ``i`` of a batch: stages, product, residuals, recovery, energy, chemicals, costs.

    Units: flows m3/d, concentrations mg/L (canonical names; constituents not measured are
    left out), energy kWh per m3 of product, chemicals kg/d of active compound, money CNY of the
    economics price year.

    Every stage has ``inlet`` (the stream the unit treats), ``outlet`` (what it passes on),
    ``acts_on`` (``"main line"``, or the residual it treats, e.g. ``"brackish_ro brine"``) and
    ``outlet_kind``: ``"product"``; ``"distillate"`` for a thermal unit (its distillate joins
    the product; its brine or salt is a residual); ``"vapour"`` for a pond (evaporated, not
    supplied).  ``added_kg_d`` is the mass per constituent that enters the water in the stage
    (chemicals' ions, precipitate carried on as TSS, carbonate formed from bicarbonate) and
    ``gas_kg_d`` what leaves to air.  Thermal stages add ``entrainment`` (m3 of brine per m3 of
    distillate), ``removal`` (fraction of the non-volatile dissolved mass kept out of the
    distillate), ``co2_vented_kg_d`` and ``concentrate_tds_mg_L``.

    Every stage states its ``policies`` ({co2, redox, solids}: :func:`~cbmwater.treatment.
    policies.unit_policies`) and ``policies_i18n``, the same three as message dicts
    (``treatment.policy.*``, docs/i18n.md).  Membrane stages add ``co2_policy``, ``feed_log_pCO2`` (log10
    atm), ``concentrate_pH`` and the pH-dependent ``rejection`` of B and NH4-N; oxidising stages
    ``fe_oxidation_half_life_s`` (Singer-Stumm rate law at the outlet pH and pO2).

    Every residual has ``dry_kg_d`` (all dry solids) and ``solids_kg_d`` ({constituent: kg/d},
    the canonical constituents in the solids of a sludge, salt or spent media; empty for a
    liquid).  ``solids_other_kg_d`` = ``dry_kg_d`` - sum of ``solids_kg_d``: the mass of
    precipitated phases that is not a canonical constituent (OH, the carbonate of calcite, ...;
    the phases are in the stage's ``precipitated_mmol_L``).  So feed + sum of stage
    ``added_kg_d`` = product + final residual liquids + residual ``solids_kg_d`` + stage
    ``gas_kg_d`` for every conservative constituent.

    Precipitates that a unit makes without separating them (aeration's Fe(OH)3, the PAC's
    gibbsite) travel as TSS and are booked in that stage's solids; ``floc_kg_d`` ({constituent:
    kg/d}) of each residual says how much of them its captured TSS holds, and the product's
    ``floc_kg_d`` what is still suspended in it.  So for Fe or Al: feed + added = product +
    residual liquids + residual ``solids_kg_d`` + residual ``floc_kg_d`` + product ``floc_kg_d``.
    """
    stages = []
    for s in result.steps:
        policies = unit_policies(s.unit)
        d = {
            "unit": s.unit.id,
            "name_en": s.unit.name_en,
            "name_zh": s.unit.name_zh,
            "inlet": _stream(s.feed, i),
            "outlet": _stream(s.product, i),
            "recovery": float(s.recovery[i]),
            "energy_kWh_d": float(s.energy_kWh_d[i]),
            "acts_on": s.details.get("acts_on", "main line"),
            "outlet_kind": (
                "vapour"
                if s.product_is_vapour
                else "distillate"
                if s.unit.model == "thermal"
                else "product"
            ),
            "added_kg_d": _kg(s.added_g_d, i, 1e-3),
            "gas_kg_d": _kg(s.gas_g_d, i, 1e-3),
            "policies": policies,
            "policies_i18n": {k: message_of(v).to_dict() for k, v in policies.items()},
        }
        if "co2_policy" in s.details:
            d["co2_policy"] = s.details["co2_policy"]
            lp = float(np.asarray(s.details["feed_log_pCO2"])[i])
            d["feed_log_pCO2"] = None if math.isnan(lp) else lp
            d["concentrate_pH"] = None if math.isnan(s.residual.pH[i]) else float(s.residual.pH[i])
            d["rejection"] = {
                "B": float(s.details["rejection_B"][i]),
                "NH4_N": float(s.details["rejection_NH4_N"][i]),
            }
        if "fe_oxidation_half_life_s" in s.details:
            hl = float(s.details["fe_oxidation_half_life_s"][i])
            d["fe_oxidation_half_life_s"] = None if math.isnan(hl) else hl
        if "entrainment" in s.details:
            d["entrainment"] = float(s.details["entrainment"])
            d["removal"] = float(s.details["removal"][i])
            d["co2_vented_kg_d"] = float(
                s.details["co2_vented_mg_L"][i] * s.feed.flow_m3_d[i] / 1000.0
            )
            d["concentrate_tds_mg_L"] = float(s.details["concentrate_tds_mg_L"][i])
        if "recovery_limit" in s.details:
            d["recovery_limit"] = float(s.details["recovery_limit"][i])
            d["limiting_mineral"] = s.details["limiting_mineral"][i] or None
            d["design_recovery"] = float(s.details["design_recovery"])
            d["si_allowance"] = dict(s.details["si_allowance"])
            d["si_at_limit"] = {
                m: (None if math.isnan(v[i]) else float(v[i]))
                for m, v in s.details["si_at_limit"].items()
            }
        if "reagent_mmol_L" in s.details:
            d["reagent"] = s.details["reagent"][i] or None
            d["reagent_mmol_L"] = float(s.details["reagent_mmol_L"][i])
            d["precipitated_mmol_L"] = {
                k: float(v[i]) for k, v in s.details["precipitated_mmol_L"].items()
            }
        stages.append(d)
    residuals = []
    for r in result.residuals:
        comp = r.solids_by_constituent_kg_d
        solids = {} if comp is None else _kg(comp, i)
        dry = float(r.solids_kg_d[i])
        other = dry - sum(solids.values())
        residuals.append(
            {
                "name": r.name,
                "unit": r.unit,
                "kind": r.kind,
                "flow_m3_d": float(r.stream.flow_m3_d[i]),
                "concentrations": _conc(r.stream, i) if r.stream.flow_m3_d[i] > 0 else {},
                "dry_kg_d": dry,
                "solids_kg_d": solids,
                "solids_other_kg_d": 0.0 if abs(other) <= 1e-9 * max(dry, 1.0) else other,
                "floc_kg_d": {} if r.floc_kg_d is None else _kg(r.floc_kg_d, i),
                "wet_m3_d": float(r.wet_sludge_m3_d[i]),
                "treated_by": r.treated_by,
            }
        )
    bd = cost.breakdown[cost.breakdown["water"] == i]
    by_unit = {
        u: {c: float(v) for c, v in g.groupby("category")["CNY_yr"].sum().items()}
        for u, g in bd.groupby("unit", sort=False)
    }
    by_cat = {c: float(v) for c, v in bd.groupby("category")["CNY_yr"].sum().items()}
    product_flow = float(result.product.flow_m3_d[i])
    energy = float(result.energy_kWh_d[i])
    return {
        "units": list(result.units),
        "feed": _stream(result.feed, i),
        "stages": stages,
        "product": {
            **_stream(result.product, i),
            "floc_kg_d": {}
            if result.product_floc_kg_d is None
            else _kg(result.product_floc_kg_d, i),
        },
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
