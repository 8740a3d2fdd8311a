"""Limestone sizing shared by the anoxic limestone drain, the oxic limestone bed and the vertical
flow pond: retention time, Bureau of Mines (Hedin-Watzlaf) and alkalinity generation."""

from __future__ import annotations

from typing import Any

from ...i18n import Text
from ...treatment.economics import Economics
from ..options import AMDTREAT_REF, AmdTreatDefaults, check_choice
from .common import (
    LINERS,
    InputError,
    Param,
    System,
    acidity_warning,
    bottom_from_top_area,
    bottom_from_volume,
    check_bottom,
    check_net_acidity,
    defaults_life,
    layer_volume,
    start,
    system_error,
    top,
    what_name,
)

__all__ = ["LIMESTONE_METHODS", "limestone_sizing", "limestone_sources", "limestone_system"]

#: Sizing methods of the limestone systems (ALD, VFP, limestone bed).
LIMESTONE_METHODS = ("retention_time", "bureau_of_mines", "alkalinity_generation")
#: The limestone options every limestone system takes.
LIMESTONE_OPTIONS = (
    "retention_h",
    "purity",
    "efficiency",
    "porosity",
    "alkalinity_rate_g_m2_d",
    "limestone_depth_m",
    "length_width_ratio",
    "side_slope",
)


def limestone_sizing(
    sec: str,
    flow_m3_d: float,
    net_acidity_mg_L: float | None,
    method: str,
    retention_h: float,
    life_yr: float,
    purity: float,
    efficiency: float,
    porosity: float,
    alk_rate: float,
    depth: float,
    z: float,
    r: float,
    d: AmdTreatDefaults,
    what: str,
) -> dict[str, Any]:
    """Limestone bulk volume, mass and layer bottom by one of :data:`LIMESTONE_METHODS`.

    * retention time:  V_water = RT Q;  V_stone = V_water / porosity;
      M = V_stone (1 - porosity) rho_s   (rho_s = 165.43 lb/ft3 = 2649.9 kg/m3)
    * Bureau of Mines (Hedin-Watzlaf):  M = M_RT + Q acid 365 life / (purity efficiency)
      (Q m3/d x acid g/m3 = g CaCO3/d; AMDTreat's 0.002189 short ton per gpm.mg/L.yr)
    * alkalinity generation:  A_top = Q acid / rate  (g/d over g/m2/d); V from A_top and depth
    """
    rho_s = d("common", "limestone_solid_density")
    rho_b = (1.0 - porosity) * rho_s
    q_h = flow_m3_d / 24.0
    out: dict[str, Any] = {"bulk_density_kg_m3": rho_b}
    v_water = retention_h * q_h
    v_rt = v_water / porosity
    m_rt = v_rt * rho_b / 1000.0
    alt: dict[str, Any] = {
        "retention_time": {"limestone_m3": v_rt, "limestone_t": m_rt, "water_m3": v_water}
    }
    if net_acidity_mg_L is not None and net_acidity_mg_L > 0:
        acid_kg_d = flow_m3_d * net_acidity_mg_L / 1000.0
        m_dis = acid_kg_d * 365.0 * life_yr / 1000.0 / (purity * efficiency)
        v_dis = m_dis * 1000.0 / rho_b
        alt["bureau_of_mines"] = {
            "limestone_m3": v_rt + v_dis,
            "limestone_t": m_rt + m_dis,
            "dissolution_t": m_dis,
            "acid_load_kg_CaCO3_d": acid_kg_d,
        }
        area = acid_kg_d * 1000.0 / alk_rate
        try:
            lb_a, wb_a = bottom_from_top_area(area, depth, z, r, what)
        except InputError as exc:
            if method == "alkalinity_generation":
                raise
            alt["alkalinity_generation"] = {"top_area_m2": area, "error": exc.detail}
        else:
            v_a = layer_volume(lb_a, wb_a, depth, z)
            alt["alkalinity_generation"] = {
                "top_area_m2": area,
                "limestone_m3": v_a,
                "limestone_t": v_a * rho_b / 1000.0,
            }
    elif method != "retention_time":
        if net_acidity_mg_L is None:
            raise system_error(
                what, "method_needs_acidity", column="net_acidity_mg_L", method=repr(method)
            )
        raise system_error(
            what,
            "method_needs_net_acidic",
            column="net_acidity_mg_L",
            value=net_acidity_mg_L,
            method=repr(method),
            got=repr(net_acidity_mg_L),
        )
    bom = alt.get("bureau_of_mines")
    if method == "retention_time" and bom is not None and bom["dissolution_t"] > 0.5 * m_rt:
        out["warning"] = Text.of(
            "minewater.passive.limestone_dissolves",
            what=what_name(what),
            t=bom["dissolution_t"],
            life=life_yr,
            pct=bom["dissolution_t"] / m_rt * 100,
            m=m_rt,
        )
    chosen = alt[method]
    v = chosen["limestone_m3"]
    if method == "alkalinity_generation":
        lb, wb = bottom_from_top_area(chosen["top_area_m2"], depth, z, r, what)
    else:
        lb, wb = bottom_from_volume(v, depth, z, r, what)
    out.update(
        volume_m3=v,
        mass_t=v * rho_b / 1000.0,
        lb=lb,
        wb=wb,
        lt=top(lb, depth, z),
        wt=top(wb, depth, z),
        alternatives=alt,
        water_in_stone_m3=v * porosity,
        retention_h_actual=v * porosity / q_h,
    )
    return out


def limestone_sources(method: str) -> list[str]:
    s: list[str] = [Text.of("minewater.source.limestone_rt")]
    if method == "bureau_of_mines":
        s.append(Text.of("minewater.source.bureau_of_mines"))
    if method == "alkalinity_generation":
        s.append(Text.of("minewater.source.alkalinity_generation"))
    s.append(Text.of("minewater.source.layer_geometry"))
    s.append(AMDTREAT_REF)
    return s


def limestone_system(
    sec: str,
    what: str,
    flow_m3_d: float,
    net_acidity_mg_L: float | None,
    method: str,
    liner: str,
    given: dict[str, float | None],
    *,
    life_yr: float | None,
    econ: Economics | None,
    defaults: AmdTreatDefaults | None,
    site_development: bool,
    **special: Param,
) -> tuple[System, dict[str, float], dict[str, Any]]:
    """Start a limestone system: checks, options (``given`` by keyword, the limestone ones
    included), the limestone layer by ``method`` and its warnings.

    Returns the :class:`System`, the options and the sizing of :func:`limestone_sizing`.
    """
    plant = start(
        sec,
        what,
        flow_m3_d,
        life_yr=life_yr,
        econ=econ,
        defaults=defaults,
        site_development=site_development,
        life_default=defaults_life(defaults, sec),
    )
    check_choice("method", method, LIMESTONE_METHODS)
    check_choice("liner", liner, LINERS)
    check_net_acidity(net_acidity_mg_L)
    o = plant.options(given, **special)
    acidity_warning(net_acidity_mg_L, what, plant.warnings)
    s = limestone_sizing(
        sec,
        flow_m3_d,
        net_acidity_mg_L,
        method,
        o["retention_h"],
        plant.life,
        o["purity"],
        o["efficiency"],
        o["porosity"],
        o["alkalinity_rate_g_m2_d"],
        o["limestone_depth_m"],
        o["side_slope"],
        o["length_width_ratio"],
        plant.d,
        what,
    )
    if "warning" in s:
        plant.warnings.append(s["warning"])
    check_bottom(s["wb"], what, plant.d, plant.warnings)
    return plant, o, s
