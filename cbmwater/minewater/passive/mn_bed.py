"""Manganese removal bed: an aerobic limestone bed on which Mn(II) oxidises (AMDTreat module)."""

from __future__ import annotations

import math
from typing import Any

from ...i18n import Text
from ...treatment.economics import Economics
from ..options import AMDTREAT_REF, AmdTreatDefaults, OptionResult, check_choice, check_number
from .common import (
    LINERS,
    Param,
    bottom_from_top_area,
    bottom_from_volume,
    check_bottom,
    header_pipes,
    land_berms,
    layer_volume,
    liner_cost,
    recap_common,
    start,
    stone_items,
    structures,
    system_error,
    top,
    what_name,
)

__all__ = ["manganese_removal_bed"]

_GRADATIONS = ("57", "5", "3", "1")


def manganese_removal_bed(
    flow_m3_d: float,
    *,
    mn_mg_L: float | None = None,
    method: str = "kinetics",
    effluent_mn_mg_L: float | None = None,
    retention_h: float | None = None,
    life_yr: float | None = None,
    rate_constant: float | None = None,
    stone: str = "57",
    limestone_depth_m: float | None = None,
    freeboard_m: float | None = None,
    porosity: float | None = None,
    length_width_ratio: float | None = None,
    side_slope: float | None = None,
    liner: str = "none",
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Manganese removal bed (aerobic limestone bed for Mn oxidation).

    Parameters
    ----------
    flow_m3_d : float
        Design flow, m3/d.
    mn_mg_L : float
        Influent dissolved Mn, mg/L (needed by ``kinetics``).
    method : {'kinetics', 'retention_time'}
        ``kinetics`` (default here because it uses the water's Mn; AMDTreat's UI default is
        retention time): first-order removal on the stone surface,
        ``A = -0.276 Q(L/min) log10(Cout/Cin) / (k S d)`` with ``S = (a_p / v_p)(1 - porosity)``
        (m2 of stone surface per m3 of bed) and d in m; A is the limestone top area.
        ``retention_time``: stone volume = RT x Q / porosity (RT 24 h).
    effluent_mn_mg_L : float, optional
        Target effluent Mn, mg/L (1.5).
    rate_constant : float, optional
        k, 1/h per (m2/m3) (0.000439; Means & Rose 2005 give 10^-3.35).
    stone : {'57', '5', '3', '1'}
        AASHTO gradation of the stone (particle area and volume from AMDTreat).
    limestone_depth_m, freeboard_m, porosity, length_width_ratio, side_slope : optional
        2 ft = 0.610 m, 1 ft, 0.43, 4, 2.
    liner, site_development, econ, defaults, life_yr :
        As :func:`anoxic_limestone_drain`.

    Returns
    -------
    OptionResult
        ``area_m2`` = limestone top; ``volume_m3`` = limestone bulk volume.

    Notes
    -----
    Worked AMDTreat default (75 gpm = 283.9 L/min, Mn 10 -> 1.5 mg/L, #57 stone, 2 ft):
    S = 0.000825/1.23e-6 x 0.57 = 382 m2/m3 -> A = 631 m2 (reference/amd.md).

    References
    ----------
    AMDTreat 6 ``ManganeseRemovalBedCalculations.CalcKineticsSaturatedLimestoneArea`` and
    ``default-data-manganese-removal-bed.xml``; Means & Rose (2005) [M].
    """
    plant = start(
        "mn_bed",
        "Mn removal bed",
        flow_m3_d,
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
    )
    sec, what, d = plant.sec, plant.what, plant.d
    check_choice("method", method, ("kinetics", "retention_time"))
    check_choice("stone", stone, _GRADATIONS)
    check_choice("liner", liner, LINERS)
    o = plant.options(
        dict(
            effluent_mn_mg_L=effluent_mn_mg_L,
            retention_h=retention_h,
            rate_constant=rate_constant,
            limestone_depth_m=limestone_depth_m,
            freeboard_m=freeboard_m,
            porosity=porosity,
            length_width_ratio=length_width_ratio,
            side_slope=side_slope,
        ),
        effluent_mn_mg_L=Param("effluent_mn_mg_L", 0.0, None, True),
        rate_constant=Param("rate_constant", 0.0, None, True),
    )
    cout, k, dep, fb, por, r, z = (
        o["effluent_mn_mg_L"],
        o["rate_constant"],
        o["limestone_depth_m"],
        o["freeboard_m"],
        o["porosity"],
        o["length_width_ratio"],
        o["side_slope"],
    )
    warnings = plant.warnings
    s_area = (
        d(sec, f"aashto{stone}_particle_area")
        / d(sec, f"aashto{stone}_particle_volume")
        * (1 - por)
    )
    q_lpm = flow_m3_d * 1000.0 / 1440.0
    details: dict[str, Any] = {
        "stone": f"AASHTO #{stone}",
        "specific_surface_m2_m3": s_area,
        "rate_constant": k,
        "flow_L_min": q_lpm,
    }
    area_kin = None
    if mn_mg_L is not None:
        cin = check_number("mn_mg_L", mn_mg_L, lo=0.0)
        if cin <= cout:
            if method == "kinetics":
                raise system_error(
                    what,
                    "mn_not_above_target",
                    column="mn_mg_L",
                    value=mn_mg_L,
                    cin=cin,
                    cout=cout,
                )
            warnings.append(
                Text.of("minewater.passive.mn_met", what=what_name(what), cin=cin, cout=cout)
            )
        else:
            area_kin = (
                -d(sec, "kinetic_constant") * q_lpm * math.log10(cout / cin) / (k * s_area * dep)
            )
            details["kinetic_area_m2"] = area_kin
    elif method == "kinetics":
        raise system_error(what, "kinetics_needs_mn", column="mn_mg_L")
    rho_b = (1 - por) * d("common", "limestone_solid_density")
    if method == "kinetics":
        assert area_kin is not None  # "kinetics" without a kinetic area raised above
        lb, wb = bottom_from_top_area(area_kin, dep, z, r, what)
        v = layer_volume(lb, wb, dep, z)
    else:
        v = o["retention_h"] * flow_m3_d / 24.0 / por
        lb, wb = bottom_from_volume(v, dep, z, r, what)
    check_bottom(wb, what, d, warnings)
    lt, wt = top(lb, dep, z), top(wb, dep, z)
    mass = v * rho_b / 1000.0
    fb_lt, fb_wt = top(lt, fb, z), top(wt, fb, z)
    liner_usd, clay_v = liner_cost(liner, lb, wb, fb_lt, fb_wt, dep + fb, z, sec, d)
    excavation = v + clay_v
    pipe_usd, pipe_info = header_pipes(sec, wb, d)
    structures_item = "structures (valve, intake, distribution, control, outlet)"
    items = {
        "excavation": plant.usd(excavation * d(sec, "excavation_unit_cost")),
        **stone_items(plant, mass, v),
        "liner": plant.usd(liner_usd),
        "pipes": plant.usd(pipe_usd),
        structures_item: plant.usd(structures(sec, d)),
    }
    details.update(
        {
            "limestone_bottom_m": [lb, wb],
            "limestone_top_m": [lt, wt],
            "freeboard_top_m": [fb_lt, fb_wt],
            "limestone_depth_m": dep,
            "retention_h": v * por / (flow_m3_d / 24.0),
            "pipes": pipe_info,
            "liner": liner,
        }
    )
    return plant.finish(
        option="mn_bed",
        method=method,
        area_m2=lt * wt,
        footprint=fb_lt * fb_wt,
        land=land_berms(fb_lt, fb_wt, fb, d),
        volume=v,
        basis="media",
        limestone_t=mass,
        materials={"limestone_bulk_m3": v, "excavation_m3": excavation, "clay_liner_m3": clay_v},
        items=items,
        recap=[("limestone", items["limestone"] + items["limestone placement"], "limestone")]
        + recap_common(items, "pipes", structures_item),
        sources=[
            Text.of("minewater.source.mn_kinetics")
            if method == "kinetics"
            else Text.of("minewater.source.mn_retention"),
            Text.of("minewater.source.mn_placement"),
            AMDTREAT_REF,
        ],
        details=details,
    )
