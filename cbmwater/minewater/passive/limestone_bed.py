"""Oxic limestone bed (open limestone pond/bed), AMDTreat limestone-bed module."""

from __future__ import annotations

from ...i18n import Text
from ...treatment.economics import Economics
from ..options import AmdTreatDefaults, OptionResult, load_amdtreat
from .common import (
    Param,
    header_pipes,
    land_berms,
    liner_cost,
    recap_common,
    stacked_layer,
    stone_items,
    structures,
    top,
)
from .limestone import LIMESTONE_OPTIONS, limestone_sources, limestone_system

__all__ = ["limestone_bed"]


def limestone_bed(
    flow_m3_d: float,
    *,
    net_acidity_mg_L: float | None = None,
    method: str = "retention_time",
    retention_h: float | None = None,
    life_yr: float | None = None,
    alkalinity_rate_g_m2_d: float | None = None,
    limestone_depth_m: float | None = None,
    freeboard_m: float | None = None,
    free_water_m: float | None = None,
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
    """Oxic limestone bed (open limestone pond/bed), AMDTreat limestone-bed module.

    Parameters are those of :func:`anoxic_limestone_drain` except: ``limestone_depth_m``
    (default the mean of AMDTreat's upstream and downstream depths, 3 ft = 0.914 m),
    ``freeboard_m`` (1 ft) and ``free_water_m`` (0), ``length_width_ratio`` (2); no soil cover.

    Returns
    -------
    OptionResult
        ``area_m2`` = limestone top; ``volume_m3`` = limestone bulk volume; land includes an
        8 ft berm and 3:1 outslope.

    References
    ----------
    AMDTreat 6 ``LimestoneBedCalculations.cs``, ``default-data-limestone-bed.xml``
    (jlant/amdtreat@5a292e0).
    """
    d0 = defaults if defaults is not None else load_amdtreat()
    depth_default = (
        d0("limestone_bed", "limestone_depth_upstream")
        + d0("limestone_bed", "limestone_depth_downstream")
    ) / 2
    plant, o, s = limestone_system(
        "limestone_bed",
        "limestone bed",
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
            freeboard_m=freeboard_m,
            free_water_m=free_water_m,
        ),
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
        limestone_depth_m=Param("limestone_depth", 0.0, 10.0, True, default=depth_default),
    )
    sec, d, z = plant.sec, plant.d, o["side_slope"]
    dep, fb, fw = o["limestone_depth_m"], o["freeboard_m"], o["free_water_m"]
    lt, wt = s["lt"], s["wt"]
    w_lt, w_wt, water_v = stacked_layer(lt, wt, fw, z)
    fb_lt, fb_wt = top(w_lt, fb, z), top(w_wt, fb, z)
    liner_usd, clay_v = liner_cost(liner, s["lb"], s["wb"], fb_lt, fb_wt, dep + fw + fb, z, sec, d)
    excavation = s["volume_m3"] + water_v + clay_v
    pipe_usd, pipe_info = header_pipes(sec, s["wb"], d)
    structures_item = "structures (valves, intake, distribution, control, outlet)"
    items = {
        "excavation": plant.usd(excavation * d(sec, "excavation_unit_cost")),
        **stone_items(plant, s["mass_t"], s["volume_m3"]),
        "liner": plant.usd(liner_usd),
        "pipes": plant.usd(pipe_usd),
        structures_item: plant.usd(structures(sec, d)),
    }
    return plant.finish(
        option="limestone_bed",
        method=method,
        area_m2=lt * wt,
        footprint=fb_lt * fb_wt,
        land=land_berms(fb_lt, fb_wt, fb, d),
        volume=s["volume_m3"],
        basis="media",
        limestone_t=s["mass_t"],
        materials={
            "limestone_bulk_m3": s["volume_m3"],
            "excavation_m3": excavation,
            "clay_liner_m3": clay_v,
        },
        items=items,
        recap=[("limestone", items["limestone"] + items["limestone placement"], "limestone")]
        + recap_common(items, "pipes", structures_item),
        sources=limestone_sources(method) + [Text.of("minewater.source.limestone_bed_land")],
        details={
            "limestone_bottom_m": [s["lb"], s["wb"]],
            "limestone_top_m": [lt, wt],
            "freeboard_top_m": [fb_lt, fb_wt],
            "limestone_depth_m": dep,
            "retention_h": s["retention_h_actual"],
            "alternatives": s["alternatives"],
            "pipes": pipe_info,
            "purity": o["purity"],
            "efficiency": o["efficiency"],
            "porosity": o["porosity"],
            "liner": liner,
        },
    )
