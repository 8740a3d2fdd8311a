"""Aerobic (surface-flow) wetland for Fe and Mn removal from net-alkaline water (AMDTreat)."""

from __future__ import annotations

import math
from typing import Any

from ...i18n import Message, Text
from ...treatment.economics import Economics
from ..options import AMDTREAT_REF, AmdTreatDefaults, OptionResult, check_choice, check_number
from .common import (
    LINERS,
    Param,
    bottom_from_top_area,
    bottom_from_volume,
    check_bottom,
    compost_porosity,
    land_berms,
    liner_cost,
    stacked_layer,
    start,
    structures,
    system_error,
    top,
    what_name,
)

__all__ = ["aerobic_wetland"]


def aerobic_wetland(
    flow_m3_d: float,
    *,
    fe_mg_L: float | None = None,
    mn_mg_L: float | None = None,
    net_acidity_mg_L: float | None = None,
    method: str = "removal_rates",
    rates: str = "compliance",
    fe_rate_g_m2_d: float | None = None,
    mn_rate_g_m2_d: float | None = None,
    retention_h: float | None = None,
    life_yr: float | None = None,
    compost_depth_m: float | None = None,
    free_water_m: float | None = None,
    freeboard_m: float | None = None,
    fines_fraction: float | None = None,
    pools: bool = True,
    length_width_ratio: float | None = None,
    side_slope: float | None = None,
    liner: str = "none",
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Aerobic (surface-flow) wetland for Fe and Mn removal from net-alkaline water.

    Parameters
    ----------
    flow_m3_d : float
        Design flow, m3/d.
    fe_mg_L, mn_mg_L : float
        Dissolved Fe and Mn, mg/L (needed by ``removal_rates``; either may be 0).
    net_acidity_mg_L : float, optional
        Net acidity, mg/L CaCO3; >= 0 gives AMDTreat's warning that aerobic wetlands do not
        remove acidity.
    method : {'removal_rates', 'retention_time'}
        ``removal_rates``: water-surface area = Fe load / Fe rate + Mn load / Mn rate, loads in
        g/d = C x Q.  ``retention_time``: water volume = RT x Q (24 h) in a layer of the free-water
        depth.
    rates : {'compliance', 'improvement'}
        Hedin et al. (1994) rates: compliance Fe 10, Mn 0.5 g/m2/d (AMDTreat XML defaults);
        improvement Fe 20, Mn 1 g/m2/d.
    fe_rate_g_m2_d, mn_rate_g_m2_d : float, optional
        Explicit rates overriding ``rates``.
    compost_depth_m, free_water_m, freeboard_m : float, optional
        1 ft (0.305 m) each.
    fines_fraction : float, optional
        Limestone fines in the compost (0.20).
    pools : bool
        Inlet and outlet pools, 30 ft (9.14 m) long and 3 ft (0.91 m) deep (AMDTreat).
    length_width_ratio, side_slope, liner, site_development, econ, defaults, life_yr :
        L:W 5; as :func:`anoxic_limestone_drain` otherwise.

    Returns
    -------
    OptionResult
        ``area_m2`` = water surface of the wetland cell (the sizing area); ``volume_m3`` = free
        water volume of cell and pools; materials include compost and rock-baffle limestone.

    Notes
    -----
    Worked AMDTreat default (50 gpm = 272.5 m3/d, Fe 15, Mn 10 mg/L, 10 and 0.5 g/m2/d):
    Fe 4088 g/d -> 409 m2, Mn 2725 g/d -> 5450 m2, total 5859 m2 (63 045 ft2).  Geometry: the
    cell bottom follows from the water surface and the compost + water depth; pools lie at the
    two ends (water-top length = pool length - 2 z freeboard); rock baffles (8 ft crest) every
    30 ft.  AMDTreat's own freeboard chain adds the pool lengths to the depth (a coding slip);
    here the footprint is ``(L_water + 2 pool length + 2 z fb) x (W_water + 2 z fb)``.
    AMDTreat's view-model switches the rates to Fe 20 / Mn 1 when net acidity < 0 and to
    Fe 5 / Mn 0.5 with an error when >= 0; here the rates are the caller's choice.

    References
    ----------
    AMDTreat 6 ``WetlandCalculations.cs``, ``default-data-wetland.xml``; Hedin et al. (1994)
    USBM IC 9389 [M]; reference/amd.md (a), (c).
    """
    plant = start(
        "wetland",
        "aerobic wetland",
        flow_m3_d,
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
    )
    sec, what, d, warnings = plant.sec, plant.what, plant.d, plant.warnings
    check_choice("method", method, ("removal_rates", "retention_time"))
    check_choice("rates", rates, ("compliance", "improvement"))
    check_choice("liner", liner, LINERS)
    o = plant.options(
        dict(
            fe_rate_g_m2_d=fe_rate_g_m2_d,
            mn_rate_g_m2_d=mn_rate_g_m2_d,
            retention_h=retention_h,
            compost_depth_m=compost_depth_m,
            free_water_m=free_water_m,
            freeboard_m=freeboard_m,
            fines_fraction=fines_fraction,
            length_width_ratio=length_width_ratio,
            side_slope=side_slope,
        ),
        fe_rate_g_m2_d=Param(f"fe_removal_rate_{rates}", 0.0, None, True),
        mn_rate_g_m2_d=Param(f"mn_removal_rate_{rates}", 0.0, None, True),
        retention_h=Param("retention_time_h", 0.0, 10000.0, True),
        free_water_m=Param("free_water_depth", 0.0, 10.0, True),
    )
    fe_rate, mn_rate, rt, dc, fw, fb, fines, r, z = o.values()
    if (
        net_acidity_mg_L is not None
        and check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5) >= 0
    ):
        warnings.append(Text.of("minewater.passive.wetland_acidic"))
    details: dict[str, Any] = {"rates_g_m2_d": {"Fe": fe_rate, "Mn": mn_rate, "basis": rates}}
    fe = mn = None
    if fe_mg_L is not None:
        fe = check_number("fe_mg_L", fe_mg_L, lo=0.0)
    if mn_mg_L is not None:
        mn = check_number("mn_mg_L", mn_mg_L, lo=0.0)
    if method == "removal_rates":
        if fe is None or mn is None:
            missing = [n for n, v in (("fe_mg_L", fe), ("mn_mg_L", mn)) if v is None]
            raise system_error(
                what,
                "removal_rates_needs",
                column=missing[0],
                names=Message("minewater.error.passive.both", {"a": missing[0], "b": missing[1]})
                if len(missing) == 2
                else missing[0],
            )
        fe_load, mn_load = flow_m3_d * fe, flow_m3_d * mn
        a_fe, a_mn = fe_load / fe_rate, mn_load / mn_rate
        area = a_fe + a_mn
        if area <= 0:
            raise system_error(what, "nothing_to_remove", column="fe_mg_L")
        details.update(
            {"fe_load_g_d": fe_load, "mn_load_g_d": mn_load, "fe_area_m2": a_fe, "mn_area_m2": a_mn}
        )
    else:
        v_w = rt * flow_m3_d / 24.0
        lbw, wbw = bottom_from_volume(v_w, fw, z, r, what)
        area = top(lbw, fw, z) * top(wbw, fw, z)
        details["retention_water_m3"] = v_w
    depth = dc + fw
    lb, wb = bottom_from_top_area(area, depth, z, r, what)
    check_bottom(wb, what, d, warnings)
    c_lt, c_wt, compost_v = stacked_layer(lb, wb, dc, z)
    w_lt, w_wt, water_v = stacked_layer(c_lt, c_wt, fw, z)
    pool_v = 0.0
    pool_len = 0.0
    outlet_bottom_w = wb
    if pools:
        for side in ("inlet", "outlet"):
            plen, pdep = d(sec, f"{side}_pool_length"), d(sec, f"{side}_pool_depth")
            top_len = plen - 2 * z * fb
            bot_len = top_len - 2 * z * pdep
            bot_w = w_wt - 2 * z * pdep
            if bot_len < 5 * 0.3048 or bot_w <= 0:
                warnings.append(
                    Text.of(
                        "minewater.passive.pool_small",
                        what=what_name(what),
                        side=Message(f"minewater.passive.side.{side}"),
                        length=bot_len,
                        width=bot_w,
                    )
                )
            pool_v += (top_len * w_wt + max(bot_len, 0) * max(bot_w, 0)) / 2.0 * pdep
            pool_len += plen
            if side == "outlet":
                outlet_bottom_w = max(bot_w, 0.0)
    fb_lt, fb_wt = w_lt + pool_len + 2 * z * fb, top(w_wt, fb, z)
    # rock baffles (AMDTreat CalcRockBaffleQuantity / CalcRockBaffleLimestoneVolume)
    crest = d(sec, "rock_baffle_crest_width")
    n_baffles = math.floor(w_lt / d(sec, "rock_baffle_spacing"))
    h = fw + dc
    baffle_v = (
        n_baffles * ((w_wt * crest + max(w_wt - 2 * z * h, 0) * (crest + 2 * z * h)) / 2.0) * h
    )
    rho_s = d("common", "limestone_solid_density")
    baffle_t = baffle_v * (1 - d(sec, "baffle_limestone_porosity")) * rho_s / 1000.0
    fines_v = compost_v * fines
    fines_t = fines_v * (1 - d(sec, "limestone_fines_void")) * rho_s / 1000.0
    organic_v = compost_v - fines_v
    liner_usd, clay_v = liner_cost(liner, lb, wb, fb_lt, fb_wt, depth + fb, z, sec, d)
    excavation = compost_v + water_v + pool_v + clay_v
    land = land_berms(fb_lt, fb_wt, fb, d)
    # pipes: in/out + header across the outlet pool bottom (AMDTreat wetland pipe functions)
    nh = d(sec, "header_pipe_quantity")
    header_len = outlet_bottom_w
    couplers = (
        math.ceil(header_len / d(sec, "header_pipe_segment_length")) * nh if header_len > 0 else 0
    )
    inout = d(sec, "inout_pipe_length")
    pipe_usd = (
        inout * d(sec, "inout_pipe_unit_cost")
        + header_len * nh * d(sec, "header_pipe_unit_cost")
        + couplers * d(sec, "header_coupler_unit_cost")
        + nh * d(sec, "tee_unit_cost")
        + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate")
        + header_len * nh / d(sec, "header_pipe_install_rate") * d(sec, "labour_rate")
    )
    usd = plant.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "compost (organic)": usd(organic_v * d(sec, "compost_unit_cost")),
        "compost limestone fines": usd(fines_t * d(sec, "limestone_fines_unit_cost")),
        "compost placement": usd(compost_v * d(sec, "compost_placement_unit_cost")),
        "planting": usd(c_lt * c_wt * d(sec, "planting_unit_cost")),
        "rock baffle limestone": usd(baffle_t * d(sec, "limestone_unit_cost")),
        "rock baffle placement": usd(baffle_v * d(sec, "limestone_placement_unit_cost")),
        "liner": usd(liner_usd),
        "pipes": usd(pipe_usd),
        "structures (distribution, control, outlet)": usd(
            structures(sec, d, ("flow_distribution", "water_level_control", "outlet_protection"))
        ),
    }
    compost_cost = (
        items["compost (organic)"]
        + items["compost limestone fines"]
        + items["compost placement"]
        + items["planting"]
    )
    q_h = flow_m3_d / 24.0
    details.update(
        {
            "bottom_m": [lb, wb],
            "compost_top_m": [c_lt, c_wt],
            "water_top_m": [w_lt, w_wt],
            "freeboard_top_m": [fb_lt, fb_wt],
            "water_surface_m2": w_lt * w_wt,
            "rock_baffles": n_baffles,
            "retention_h": {
                "water": water_v / q_h,
                "pools": pool_v / q_h,
                "compost": compost_v * compost_porosity(fines * 100, d) / q_h,
            },
            "liner": liner,
        }
    )
    return plant.finish(
        option="wetland",
        method=method,
        area_m2=area,
        footprint=fb_lt * fb_wt,
        land=land,
        volume=water_v + pool_v,
        basis="water",
        limestone_t=baffle_t + fines_t,
        materials={
            "compost_m3": compost_v,
            "compost_organic_m3": organic_v,
            "limestone_fines_t": fines_t,
            "rock_baffle_limestone_t": baffle_t,
            "rock_baffle_m3": baffle_v,
            "pools_m3": pool_v,
            "excavation_m3": excavation,
            "clay_liner_m3": clay_v,
        },
        items=items,
        recap=[
            ("compost and planting", compost_cost, "compost"),
            (
                "rock baffles",
                items["rock baffle limestone"] + items["rock baffle placement"],
                "baffle",
            ),
            ("liner", items["liner"], "liner"),
            ("pipes", items["pipes"], "pipe"),
            ("structures", items["structures (distribution, control, outlet)"], "other"),
        ],
        sources=[
            Text.of("minewater.source.wetland_removal_rates")
            if method == "removal_rates"
            else Text.of("minewater.source.wetland_retention"),
            Text.of("minewater.source.wetland_planting"),
            AMDTREAT_REF,
        ],
        details=details,
    )
