"""Oxidation/settling pond with a sludge-storage layer (AMDTreat ponds module)."""

from __future__ import annotations

import math

from ...i18n import Message, Text
from ...treatment.economics import Economics
from ..options import (
    AMDTREAT_REF,
    AmdTreatDefaults,
    OptionResult,
    check_number,
    sludge_density_kg_m3,
    sludge_dry_solids_mg_L,
    solids_sg,
)
from .common import (
    Param,
    bottom_from_volume,
    land_berms,
    layer_below,
    stacked_layer,
    start,
    structures,
    top,
    what_name,
)

__all__ = ["settling_pond"]


def settling_pond(
    flow_m3_d: float,
    *,
    retention_h: float | None = None,
    fe2_mg_L: float = 0.0,
    fe3_mg_L: float = 0.0,
    al_mg_L: float = 0.0,
    mn_mg_L: float = 0.0,
    sludge_dry_mg_L: float | None = None,
    solids_fraction: float | None = None,
    life_yr: float | None = None,
    length_width_ratio: float | None = None,
    side_slope: float | None = None,
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Oxidation/settling pond with a sludge-storage layer (AMDTreat ponds module).

    Parameters
    ----------
    flow_m3_d : float
        Design flow, m3/d.
    retention_h : float, optional
        Settling retention time, h (16); the settling layer (2 ft) holds RT x Q.
    fe2_mg_L, fe3_mg_L, al_mg_L, mn_mg_L : float
        Metals precipitated in the pond, mg/L (Fe(II) is counted as Fe(OH)2 as AMDTreat does;
        pass oxidised iron as ``fe3_mg_L``).
    sludge_dry_mg_L : float, optional
        Dry solids per litre, mg/L, overriding AMDTreat's factors (e.g. from the PHREEQC
        neutralisation of :mod:`cbmwater.minewater.neutralise`).
    solids_fraction : float, optional
        Solids content of the settled sludge, mass fraction (0.05).
    life_yr, length_width_ratio, side_slope, site_development, econ, defaults :
        As the other options (L:W 2).

    Returns
    -------
    OptionResult
        ``area_m2`` = water surface; ``volume_m3`` = water volume (settling + oxidation layers);
        materials include dry and wet sludge per year, sludge storage and the clean-out interval.

    Notes
    -----
    Layers from the bottom: sludge 3 ft, settling 2 ft (sized by RT), oxidation 1 ft, freeboard
    2 ft.  Dry solids = 2.88 Al + 1.6 Fe(II) + 1.9 Fe(III) + 1.6 Mn mg/L; wet sludge volume =
    dry mass / (solids fraction x sludge density), density = 1000 SG/(SG - p(SG - 1)).  The annual
    cost is AMDTreat's ponds O&M of 15 % of capital plus sludge disposal at the Chinese price
    (``economics.toml`` sludge_CNY_t_dry, per dry tonne) instead of AMDTreat's 100 USD/short-ton
    landfill fee.  (AMDTreat's ponds code divides the dry sludge mass by the wet density without
    the solids fraction; the volume here includes it.)

    References
    ----------
    AMDTreat 6 ``PondsCalculations.cs``, ``default-data-ponds.xml``.
    """
    plant = start(
        "ponds",
        "settling pond",
        flow_m3_d,
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
    )
    sec, what, d, warnings = plant.sec, plant.what, plant.d, plant.warnings
    o = plant.options(
        dict(
            retention_h=retention_h,
            solids_fraction=solids_fraction,
            length_width_ratio=length_width_ratio,
            side_slope=side_slope,
        ),
        retention_h=Param("settling_retention_time_h", 0.0, 10000.0, True),
        solids_fraction=Param("sludge_solids_fraction", 0.001, 0.8),
    )
    rt, p, r, z = o.values()
    parts = sludge_dry_solids_mg_L(
        fe2_mg_L=fe2_mg_L, fe3_mg_L=fe3_mg_L, al_mg_L=al_mg_L, mn_mg_L=mn_mg_L, defaults=d
    )
    sg = solids_sg(parts, d)
    dry = (
        parts["total"]
        if sludge_dry_mg_L is None
        else check_number("sludge_dry_mg_L", sludge_dry_mg_L, lo=0.0)
    )
    ds, dsl = d(sec, "settling_depth"), d(sec, "sludge_depth")
    dox, fb = d(sec, "oxidation_depth"), d(sec, "freeboard_depth")
    v_set = rt * flow_m3_d / 24.0
    lb, wb = bottom_from_volume(v_set, ds, z, r, what)
    s_lt, s_wt = top(lb, ds, z), top(wb, ds, z)
    sl_lb, sl_wb, v_sludge_store = layer_below(
        plant,
        lb,
        wb,
        dsl,
        z,
        layer=Message("minewater.error.passive.layer.sludge", {"depth": dsl}),
        above=Message("minewater.error.passive.above.settling"),
        fix=Message("minewater.error.passive.fix.retention"),
        column="retention_h",
    )
    o_lt, o_wt, v_ox = stacked_layer(s_lt, s_wt, dox, z)
    fb_lt, fb_wt = top(o_lt, fb, z), top(o_wt, fb, z)
    excavation = v_sludge_store + v_set + v_ox
    land = land_berms(fb_lt, fb_wt, fb, d)
    dry_t_yr = flow_m3_d * dry * 365.0 / 1e6
    rho = sludge_density_kg_m3(p, sg)
    wet_m3_yr = dry_t_yr * 1000.0 / (p * rho)
    pdw = d(sec, "dewatered_solids_fraction")
    dewatered_m3_yr = dry_t_yr * 1000.0 / (pdw * sludge_density_kg_m3(pdw, sg))
    cleanout_yr = v_sludge_store / wet_m3_yr if wet_m3_yr > 0 else math.inf
    if wet_m3_yr > 0 and cleanout_yr < 1.0:
        warnings.append(
            Text.of(
                "minewater.passive.sludge_fills",
                what=what_name(what),
                v=v_sludge_store,
                months=cleanout_yr * 12,
                pct=p * 100,
            )
        )
    inout = d(sec, "inout_pipe_length")
    pipe_usd = inout * d(sec, "inout_pipe_unit_cost") + inout / d(
        sec, "inout_pipe_install_rate"
    ) * d(sec, "labour_rate")
    usd = plant.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "pipes": usd(pipe_usd),
        "baffle": usd(d(sec, "baffle_length") * d(sec, "baffle_unit_cost")),
        "structures (valve, intake, distribution, control, outlet)": usd(structures(sec, d)),
    }
    disposal = dry_t_yr * plant.money.econ.sludge_disposal_CNY_t_dry
    return plant.finish(
        option="settling_pond",
        method="retention_time",
        area_m2=o_lt * o_wt,
        footprint=fb_lt * fb_wt,
        land=land,
        volume=v_set + v_ox,
        basis="water",
        limestone_t=0.0,
        materials={
            "sludge_dry_t_yr": dry_t_yr,
            "sludge_wet_m3_yr": wet_m3_yr,
            "sludge_dewatered_m3_yr": dewatered_m3_yr,
            "sludge_storage_m3": v_sludge_store,
            "excavation_m3": excavation,
        },
        items=items,
        recap=[
            ("pipes", items["pipes"], "pipe"),
            (
                "structures and baffle",
                items["structures (valve, intake, distribution, control, outlet)"]
                + items["baffle"],
                "other",
            ),
        ],
        om_fraction=d(sec, "om_fraction"),
        sources=[
            Text.of("minewater.source.settling_pond"),
            AMDTREAT_REF,
        ],
        details={
            "settling_bottom_m": [lb, wb],
            "sludge_bottom_m": [sl_lb, sl_wb],
            "water_top_m": [o_lt, o_wt],
            "freeboard_top_m": [fb_lt, fb_wt],
            "sludge_dry_mg_L": dry,
            "sludge_parts_mg_L": parts,
            "solids_sg": sg,
            "sludge_density_kg_m3": rho,
            "solids_fraction": p,
            "cleanout_interval_yr": cleanout_yr if math.isfinite(cleanout_yr) else None,
            "retention_h": (v_set + v_ox) / (flow_m3_d / 24.0),
        },
        extra_opex={"sludge disposal (Chinese price per dry t)": disposal},
    )
