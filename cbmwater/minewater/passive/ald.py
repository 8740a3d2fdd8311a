"""Anoxic limestone drain (ALD): a buried limestone bed under a soil cover (AMDTreat ALD module)."""

from __future__ import annotations

from ...i18n import Text
from ...treatment.economics import Economics
from ..options import AmdTreatDefaults, OptionResult, check_number
from .common import header_pipes, liner_cost, recap_common, stacked_layer, stone_items, structures
from .limestone import LIMESTONE_OPTIONS, limestone_sources, limestone_system

__all__ = ["anoxic_limestone_drain"]


def anoxic_limestone_drain(
    flow_m3_d: float,
    *,
    net_acidity_mg_L: float | None = None,
    method: str = "retention_time",
    retention_h: float | None = None,
    life_yr: float | None = None,
    alkalinity_rate_g_m2_d: float | None = None,
    limestone_depth_m: float | None = None,
    soil_cover_m: float | None = None,
    purity: float | None = None,
    efficiency: float | None = None,
    porosity: float | None = None,
    length_width_ratio: float | None = None,
    side_slope: float | None = None,
    liner: str = "none",
    do_mg_L: float | None = None,
    fe3_mg_L: float | None = None,
    al_mg_L: float | None = None,
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Anoxic limestone drain (ALD): buried limestone bed under a soil cover.

    Parameters
    ----------
    flow_m3_d : float
        Design flow, m3/d.
    net_acidity_mg_L : float, optional
        Net acidity, mg/L as CaCO3; needed by ``bureau_of_mines`` and ``alkalinity_generation``.
    method : {'retention_time', 'bureau_of_mines', 'alkalinity_generation'}
        Sizing method (AMDTreat default ``retention_time``).  With a net acidity the other two
        are also reported in ``details['alternatives']``.
    retention_h : float, optional
        Retention time in the limestone voids, h (default 16).
    life_yr : float, optional
        Neutralisation period of the Bureau-of-Mines method and evaluation horizon, yr
        (default 20).
    alkalinity_rate_g_m2_d : float, optional
        Alkalinity generation rate, g CaCO3/m2/d of limestone top (default 25).
    limestone_depth_m, soil_cover_m : float, optional
        Limestone depth (default 4 ft = 1.219 m) and soil cover (2 ft = 0.610 m).
    purity, efficiency, porosity : float, optional
        Limestone CaCO3 purity (0.90), dissolution efficiency (0.85), bed porosity (0.43),
        fractions.
    length_width_ratio, side_slope : float, optional
        Bottom length:width ratio (4) and inside slope H:V (2).
    liner : {'none', 'clay', 'synthetic'}
        Liner (AMDTreat default none).
    do_mg_L, fe3_mg_L, al_mg_L : float, optional
        Dissolved oxygen, Fe(III) and Al; any above 1 mg/L gives a warning (armouring/clogging).
    site_development : bool
        Add AMDTreat's site-development items (clear & grub, revegetation, mobilisation 4 %,
        engineering 20 %, surveying 5 %, inspection 5 %, contingency 15 %).
    econ, defaults : optional
        Economics and AMDTreat defaults (loaded from ``databases/`` when omitted).

    Returns
    -------
    OptionResult
        ``area_m2`` = limestone top area; ``volume_m3`` = limestone bulk volume (media);
        ``limestone_t`` metric tonnes; ``footprint_m2`` = soil-cover top; land adds 2 ft margins.

    Notes
    -----
    Worked AMDTreat default (Q 75 gpm = 408.8 m3/d, RT 16 h, porosity 43 %): water 272.6 m3
    (356.5 yd3) -> stone 633.9 m3 (829 yd3) -> 957 t (1055 short tons); Bureau of Mines with 60
    mg/L for 20 yr adds 234 t (257.5 short tons) -> 1191 t; alkalinity generation at 25 g/m2/d
    -> 981 m2 (reference/amd.md).

    References
    ----------
    AMDTreat 6 ``AnoxicLimestoneDrainCalculations.cs`` and ``default-data-anoxic-limestone-drain.xml``
    (jlant/amdtreat@5a292e0); Hedin et al. (1994) USBM IC 9389 [M].
    """
    plant, o, s = limestone_system(
        "ald",
        "ALD",
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
            soil_cover_m=soil_cover_m,
        ),
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
    )
    sec, d, z = plant.sec, plant.d, o["side_slope"]
    for name, v in (("do_mg_L", do_mg_L), ("fe3_mg_L", fe3_mg_L), ("al_mg_L", al_mg_L)):
        if v is not None and check_number(name, v, lo=0.0) > 1.0:
            plant.warnings.append(Text.of("minewater.passive.ald_armour", name=name, value=v))
    lt, wt = s["lt"], s["wt"]
    soil_lt, soil_wt, soil_v = stacked_layer(lt, wt, o["soil_cover_m"], z)
    liner_usd, clay_v = liner_cost(
        liner, s["lb"], s["wb"], lt, wt, o["limestone_depth_m"], z, sec, d
    )
    excavation = s["volume_m3"] + soil_v + clay_v
    margin = d("common", "ald_clear_margin")
    pipe_usd, pipe_info = header_pipes(sec, s["wb"], d)
    items = {
        "excavation": plant.usd(excavation * d(sec, "excavation_unit_cost")),
        "soil cover": plant.usd(soil_v * d(sec, "soil_cover_unit_cost")),
        **stone_items(plant, s["mass_t"], s["volume_m3"]),
        "liner": plant.usd(liner_usd),
        "pipes": plant.usd(pipe_usd),
        "structures (valves, control, outlet)": plant.usd(structures(sec, d)),
    }
    return plant.finish(
        option="ald",
        method=method,
        area_m2=lt * wt,
        footprint=soil_lt * soil_wt,
        land=(soil_lt + 2 * margin) * (soil_wt + 2 * margin),
        volume=s["volume_m3"],
        basis="media",
        limestone_t=s["mass_t"],
        materials={
            "limestone_bulk_m3": s["volume_m3"],
            "soil_cover_m3": soil_v,
            "excavation_m3": excavation,
            "clay_liner_m3": clay_v,
        },
        items=items,
        recap=[
            ("limestone", items["limestone"] + items["limestone placement"], "limestone"),
            ("soil cover", items["soil cover"], "soil_cover"),
        ]
        + recap_common(items, "pipes", "structures (valves, control, outlet)"),
        sources=limestone_sources(method) + [Text.of("minewater.source.ald_cover")],
        details={
            "limestone_bottom_m": [s["lb"], s["wb"]],
            "limestone_top_m": [lt, wt],
            "soil_cover_top_m": [soil_lt, soil_wt],
            "limestone_depth_m": o["limestone_depth_m"],
            "soil_cover_m": o["soil_cover_m"],
            "water_in_stone_m3": s["water_in_stone_m3"],
            "retention_h": s["retention_h_actual"],
            "purity": o["purity"],
            "efficiency": o["efficiency"],
            "porosity": o["porosity"],
            "alternatives": s["alternatives"],
            "pipes": pipe_info,
            "liner": liner,
        },
    )
