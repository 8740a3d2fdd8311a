"""Vertical flow pond (VFP / SAPS): limestone under a compost layer under free water."""

from __future__ import annotations

from ...i18n import Text
from ...treatment.economics import Economics
from ..options import AmdTreatDefaults, OptionResult
from .common import (
    compost_porosity,
    land_berms,
    liner_cost,
    recap_common,
    stacked_layer,
    stone_items,
    structures,
    top,
    trunk_spur_pipes,
)
from .limestone import LIMESTONE_OPTIONS, limestone_sources, limestone_system

__all__ = ["vertical_flow_pond"]


def vertical_flow_pond(
    flow_m3_d: float,
    *,
    net_acidity_mg_L: float | None = None,
    method: str = "retention_time",
    retention_h: float | None = None,
    life_yr: float | None = None,
    alkalinity_rate_g_m2_d: float | None = None,
    limestone_depth_m: float | None = None,
    compost_depth_m: float | None = None,
    free_water_m: float | None = None,
    freeboard_m: float | None = None,
    fines_fraction: float | None = None,
    purity: float | None = None,
    efficiency: float | None = None,
    porosity: float | None = None,
    length_width_ratio: float | None = None,
    side_slope: float | None = None,
    liner: str = "none",
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Vertical flow pond (VFP / SAPS): limestone under a compost layer under free water.

    Parameters
    ----------
    flow_m3_d, net_acidity_mg_L, method, retention_h, life_yr, alkalinity_rate_g_m2_d :
        As :func:`anoxic_limestone_drain`; the retention time is that of the limestone layer.
    limestone_depth_m, compost_depth_m, free_water_m, freeboard_m : float, optional
        Layer depths, m (AMDTreat: 3 ft, 1 ft, 1 ft, 1 ft).
    fines_fraction : float, optional
        Limestone fines in the compost mix, volume fraction (0.20).
    purity, efficiency, porosity, length_width_ratio, side_slope, liner, site_development,
    econ, defaults :
        As :func:`anoxic_limestone_drain` (L:W default 2).

    Returns
    -------
    OptionResult
        ``area_m2`` = limestone top; ``volume_m3`` = limestone bulk volume; materials include
        ``compost_m3`` (whole mix), ``compost_organic_m3`` and ``limestone_fines_t``.

    Notes
    -----
    Layers are stacked: limestone (bottom from its volume), compost on the limestone top, free
    water on the compost, freeboard on the water.  Compost porosity
    ``-0.0002 f^3 + 0.0176 f^2 - 0.4826 f + 90`` % (f = % fines).  Excavation = limestone +
    compost + free water.  Deviations from AMDTreat's VFP view-model, which mixes up some
    freeboard/water depths in the top-dimension chain and places limestone fines with
    ``volume x 27 / 200`` (a typo for 2000): layers here are stacked consistently and fines are
    placed at the fines placement cost per m3.

    References
    ----------
    AMDTreat 6 ``VerticalFlowPondCalculations.cs``, ``default-data-vertical-flow-pond.xml``;
    Skousen-type design factors (VFP RT ~15 h, 15-30 cm organic layer) in reference/amd.md (c).
    """
    plant, o, s = limestone_system(
        "vfp",
        "VFP",
        flow_m3_d,
        net_acidity_mg_L,
        method,
        liner,
        dict(
            zip(
                LIMESTONE_OPTIONS,
                (
                    retention_h,
                    purity,
                    efficiency,
                    porosity,
                    alkalinity_rate_g_m2_d,
                    limestone_depth_m,
                    length_width_ratio,
                    side_slope,
                ),
            ),
            compost_depth_m=compost_depth_m,
            free_water_m=free_water_m,
            freeboard_m=freeboard_m,
            fines_fraction=fines_fraction,
        ),
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
    )
    sec, d, z = plant.sec, plant.d, o["side_slope"]
    dep, dc, fw, fb = (
        o["limestone_depth_m"],
        o["compost_depth_m"],
        o["free_water_m"],
        o["freeboard_m"],
    )
    fines = o["fines_fraction"]
    lt, wt = s["lt"], s["wt"]
    c_lt, c_wt, compost_v = stacked_layer(lt, wt, dc, z)
    w_lt, w_wt, water_v = stacked_layer(c_lt, c_wt, fw, z)
    fb_lt, fb_wt = top(w_lt, fb, z), top(w_wt, fb, z)
    rho_s = d("common", "limestone_solid_density")
    fines_v = compost_v * fines
    fines_t = fines_v * (1.0 - d(sec, "limestone_fines_void")) * rho_s / 1000.0
    organic_v = compost_v - fines_v
    c_por = compost_porosity(fines * 100.0, d)
    q_h = flow_m3_d / 24.0
    liner_usd, clay_v = liner_cost(
        liner, s["lb"], s["wb"], fb_lt, fb_wt, dep + dc + fw + fb, z, sec, d
    )
    excavation = s["volume_m3"] + compost_v + water_v + clay_v
    pipe_usd, pipe_info = trunk_spur_pipes(sec, s["lb"], s["wb"], d)
    usd = plant.usd
    structures_item = "structures (valve, intake, distribution, control, outlet)"
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "compost (organic)": usd(organic_v * d(sec, "compost_unit_cost")),
        "compost limestone fines": usd(fines_t * d(sec, "limestone_fines_unit_cost")),
        "compost placement": usd(
            compost_v * d(sec, "compost_placement_unit_cost")
            + fines_v * d(sec, "limestone_fines_placement_unit_cost")
        ),
        **stone_items(plant, s["mass_t"], s["volume_m3"]),
        "liner": usd(liner_usd),
        "pipes (under-drain)": usd(pipe_usd),
        structures_item: usd(structures(sec, d)),
    }
    compost_cost = (
        items["compost (organic)"] + items["compost limestone fines"] + items["compost placement"]
    )
    return plant.finish(
        option="vfp",
        method=method,
        area_m2=lt * wt,
        footprint=fb_lt * fb_wt,
        land=land_berms(fb_lt, fb_wt, fb, d),
        volume=s["volume_m3"],
        basis="media",
        limestone_t=s["mass_t"],
        materials={
            "limestone_bulk_m3": s["volume_m3"],
            "compost_m3": compost_v,
            "compost_organic_m3": organic_v,
            "limestone_fines_t": fines_t,
            "free_water_m3": water_v,
            "excavation_m3": excavation,
            "clay_liner_m3": clay_v,
        },
        items=items,
        recap=[
            ("limestone", items["limestone"] + items["limestone placement"], "limestone"),
            ("compost", compost_cost, "compost"),
        ]
        + recap_common(items, "pipes (under-drain)", structures_item),
        sources=limestone_sources(method) + [Text.of("minewater.source.vfp_compost")],
        details={
            "limestone_bottom_m": [s["lb"], s["wb"]],
            "limestone_top_m": [lt, wt],
            "compost_top_m": [c_lt, c_wt],
            "water_top_m": [w_lt, w_wt],
            "freeboard_top_m": [fb_lt, fb_wt],
            "depths_m": {"limestone": dep, "compost": dc, "free_water": fw, "freeboard": fb},
            "compost_porosity": c_por,
            "retention_h": {
                "limestone": s["retention_h_actual"],
                "compost": compost_v * c_por / q_h,
                "free_water": water_v / q_h,
            },
            "alternatives": s["alternatives"],
            "pipes": pipe_info,
            "liner": liner,
        },
    )
