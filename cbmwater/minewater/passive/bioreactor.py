"""Sulfate-reducing bioreactor: bio-mix over a drainage aggregate (AMDTreat bioreactor module)."""

from __future__ import annotations

from typing import Any

from ...i18n import Message, Text
from ...treatment.economics import Economics
from ..options import AMDTREAT_REF, AmdTreatDefaults, OptionResult, check_choice
from .common import (
    LINERS,
    Param,
    acidity_warning,
    bottom_from_top_area,
    bottom_from_volume,
    check_net_acidity,
    land_berms,
    layer_below,
    layer_volume,
    liner_cost,
    stacked_layer,
    start,
    structures,
    system_error,
    top,
    trunk_spur_pipes,
)

__all__ = ["sulfate_reducing_bioreactor"]

#: g/mol of sulfate as the sizing formula prints it (96.06; the vocabulary has 96.056).
_SO4_G_MOL = 96.06


def sulfate_reducing_bioreactor(
    flow_m3_d: float,
    *,
    method: str = "sulfate_reduction",
    net_acidity_mg_L: float | None = None,
    so4_reduction_mg_L: float | None = None,
    so4_rate_mol_m3_d: float | None = None,
    alkalinity_rate_g_m2_d: float | None = None,
    volumetric_loading_m3_per_m3_d: float | None = None,
    life_yr: float | None = None,
    biomix_depth_m: float | None = None,
    aggregate_depth_m: float | None = None,
    free_water_m: float | None = None,
    freeboard_m: float | None = None,
    length_width_ratio: float | None = None,
    side_slope: float | None = None,
    liner: str = "none",
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Sulfate-reducing bioreactor: bio-mix (limestone fines, manure, hay, wood chips) over a
    drainage aggregate.

    Parameters
    ----------
    flow_m3_d : float
        Design flow, m3/d.
    method : {'sulfate_reduction', 'alkalinity_generation', 'volumetric_loading'}
        ``sulfate_reduction`` (AMDTreat default): bio-mix volume = Q x dSO4 / 96.06 (mol/d) /
        rate x (1 + shrinkage); ``alkalinity_generation``: bio-mix top area = Q x net acidity /
        rate (15 g/m2/d); ``volumetric_loading``: 500 ft3 of mix per gpm = 2.597 m3 per m3/d.
    net_acidity_mg_L : float, optional
        Needed by ``alkalinity_generation``.
    so4_reduction_mg_L, so4_rate_mol_m3_d : float, optional
        Sulfate reduced, mg/L (200) and volumetric reduction rate, mol/m3/d (0.3).
    alkalinity_rate_g_m2_d, volumetric_loading_m3_per_m3_d : float, optional
        15 g/m2/d; 2.597 m3 per m3/d.
    biomix_depth_m, aggregate_depth_m, free_water_m, freeboard_m : float, optional
        2 ft, 1 ft, 1 ft, 1 ft.
    length_width_ratio, side_slope, liner, site_development, econ, defaults, life_yr :
        L:W 2; as :func:`anoxic_limestone_drain`.

    Returns
    -------
    OptionResult
        ``area_m2`` = bio-mix top; ``volume_m3`` = bio-mix volume (media); ``limestone_t`` =
        limestone fines in the mix; materials list each mix component (m3, t) and the aggregate.

    Notes
    -----
    AMDTreat computes the sulfate-reduction volume in m3 (its constant 0.056775 = 3.785412 x 1440
    / 96 010) but passes it to a bottom-length function that expects yd3; the volume is used in
    m3 here (AMDTreat's bio-mix is 24 % smaller for the same input).  Mix by volume: fines 40 %,
    manure 15 %, hay 21 %, other 20 %, wood chips the rest (4 %).  Excavation = aggregate +
    bio-mix + free water (AMDTreat counts the freeboard and not the aggregate).

    References
    ----------
    AMDTreat 6 ``BioReactorCalculations.cs``, ``default-data-bioreactor.xml``.
    """
    plant = start(
        "bioreactor",
        "bioreactor",
        flow_m3_d,
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
    )
    sec, what, d, warnings = plant.sec, plant.what, plant.d, plant.warnings
    check_choice(
        "method", method, ("sulfate_reduction", "alkalinity_generation", "volumetric_loading")
    )
    check_choice("liner", liner, LINERS)
    o = plant.options(
        dict(
            so4_reduction_mg_L=so4_reduction_mg_L,
            so4_rate_mol_m3_d=so4_rate_mol_m3_d,
            alkalinity_rate_g_m2_d=alkalinity_rate_g_m2_d,
            volumetric_loading_m3_per_m3_d=volumetric_loading_m3_per_m3_d,
            biomix_depth_m=biomix_depth_m,
            aggregate_depth_m=aggregate_depth_m,
            free_water_m=free_water_m,
            freeboard_m=freeboard_m,
            length_width_ratio=length_width_ratio,
            side_slope=side_slope,
        ),
        so4_reduction_mg_L=Param("sulfate_reduction_mg_L", 0.0, None, True),
        so4_rate_mol_m3_d=Param("sulfate_reduction_rate", 0.0, None, True),
        volumetric_loading_m3_per_m3_d=Param("volumetric_loading", 0.0, None, True),
        biomix_depth_m=Param("biomix_depth", 0.0, 10.0, True),
        aggregate_depth_m=Param("aggregate_depth", 0.0, 10.0),
    )
    dso4, so4_rate, alk_rate, vload, dm, da, fw, fb, r, z = o.values()
    if check_net_acidity(net_acidity_mg_L) is not None:
        acidity_warning(net_acidity_mg_L, what, warnings)
    shrink = d(sec, "biomix_shrinkage")
    details: dict[str, Any] = {}
    if method == "sulfate_reduction":
        mol_d = flow_m3_d * dso4 / _SO4_G_MOL
        v = mol_d / so4_rate * (1 + shrink)
        lb, wb = bottom_from_volume(v, dm, z, r, what)
        details.update({"so4_reduced_mol_d": mol_d, "so4_rate_mol_m3_d": so4_rate})
    elif method == "volumetric_loading":
        v = flow_m3_d * vload
        lb, wb = bottom_from_volume(v, dm, z, r, what)
    else:
        if net_acidity_mg_L is None or net_acidity_mg_L <= 0:
            raise system_error(
                what,
                "alkgen_needs_acidity",
                column="net_acidity_mg_L",
                value=net_acidity_mg_L,
                got=Message("minewater.error.passive.not_given")
                if net_acidity_mg_L is None
                else repr(net_acidity_mg_L),
            )
        area = flow_m3_d * net_acidity_mg_L / alk_rate
        lb, wb = bottom_from_top_area(area, dm, z, r, what)
        v = layer_volume(lb, wb, dm, z)
        details["acid_load_g_d"] = flow_m3_d * net_acidity_mg_L
    mt_l, mt_w = top(lb, dm, z), top(wb, dm, z)
    ag_lb, ag_wb, agg_v = layer_below(
        plant,
        lb,
        wb,
        da,
        z,
        layer=Message("minewater.error.passive.layer.aggregate", {"depth": da}),
        above=Message("minewater.error.passive.above.biomix"),
        fix=Message("minewater.error.passive.fix.aggregate"),
        column="aggregate_depth_m",
    )
    w_lt, w_wt, water_v = stacked_layer(mt_l, mt_w, fw, z)
    fb_lt, fb_wt = top(w_lt, fb, z), top(w_wt, fb, z)
    fr = {k: d(sec, f"{k}_fraction") for k in ("fines", "manure", "hay", "other")}
    fr["wood_chips"] = 1.0 - sum(fr.values())
    if fr["wood_chips"] < 0:
        raise system_error(what, "biomix_fractions", column="biomix")
    comp_v = {k: v * f for k, f in fr.items()}
    comp_t = {k: comp_v[k] * d(sec, f"{k}_density") / 1000.0 for k in fr}
    agg_t = agg_v * d(sec, "aggregate_bulk_density") / 1000.0
    liner_usd, clay_v = liner_cost(liner, ag_lb, ag_wb, fb_lt, fb_wt, da + dm + fw + fb, z, sec, d)
    excavation = agg_v + v + water_v + clay_v
    land = land_berms(fb_lt, fb_wt, fb, d)
    pipe_usd, pipe_info = trunk_spur_pipes(sec, ag_lb, ag_wb, d)
    usd = plant.usd
    items = {"excavation": usd(excavation * d(sec, "excavation_unit_cost"))}
    for k in fr:
        items[f"bio-mix {k.replace('_', ' ')}"] = usd(comp_t[k] * d(sec, f"{k}_unit_cost"))
    items["bio-mix placement"] = usd(v * d(sec, "biomix_placement_unit_cost"))
    items["drainage aggregate"] = usd(
        agg_t * d(sec, "aggregate_unit_cost") + agg_v * d(sec, "aggregate_placement_unit_cost")
    )
    items["liner"] = usd(liner_usd)
    items["pipes (under-drain)"] = usd(pipe_usd)
    items["structures (valve, intake, distribution, control, outlet)"] = usd(structures(sec, d))
    biomix_cost = sum(vv for kk, vv in items.items() if kk.startswith("bio-mix"))
    q_h = flow_m3_d / 24.0
    details.update(
        {
            "biomix_bottom_m": [lb, wb],
            "biomix_top_m": [mt_l, mt_w],
            "aggregate_bottom_m": [ag_lb, ag_wb],
            "freeboard_top_m": [fb_lt, fb_wt],
            "mix_fractions": fr,
            "retention_h": {"free_water": water_v / q_h, "biomix_total_volume": v / q_h},
            "pipes": pipe_info,
            "liner": liner,
        }
    )
    materials = {
        "biomix_m3": v,
        "aggregate_m3": agg_v,
        "aggregate_t": agg_t,
        "free_water_m3": water_v,
        "excavation_m3": excavation,
        "clay_liner_m3": clay_v,
    }
    for k in fr:
        materials[f"{k}_m3"] = comp_v[k]
        materials[f"{k}_t"] = comp_t[k]
    return plant.finish(
        option="bioreactor",
        method=method,
        area_m2=mt_l * mt_w,
        footprint=fb_lt * fb_wt,
        land=land,
        volume=v,
        basis="media",
        limestone_t=comp_t["fines"],
        materials=materials,
        items=items,
        recap=[
            ("bio-mix", biomix_cost, "biomix"),
            ("aggregate", items["drainage aggregate"], "aggregate"),
            ("liner", items["liner"], "liner"),
            ("pipes", items["pipes (under-drain)"], "pipe"),
            (
                "structures",
                items["structures (valve, intake, distribution, control, outlet)"],
                "other",
            ),
        ],
        sources=[
            Text.of(f"minewater.source.bioreactor_{method}"),
            AMDTREAT_REF,
        ],
        details=details,
    )
