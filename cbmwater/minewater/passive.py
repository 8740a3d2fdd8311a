"""Passive treatment options sized by AMDTreat 6's rules in SI units, costed in CNY.

Options: anoxic limestone drain (:func:`anoxic_limestone_drain`), vertical flow pond / SAPS
(:func:`vertical_flow_pond`), oxic limestone bed (:func:`limestone_bed`), manganese removal bed
(:func:`manganese_removal_bed`), aerobic wetland (:func:`aerobic_wetland`), sulfate-reducing
bioreactor (:func:`sulfate_reducing_bioreactor`) and oxidation/settling pond
(:func:`settling_pond`).  Each returns an :class:`~cbmwater.minewater.options.OptionResult`.

Units: flow m3/d, acidity mg/L as CaCO3, metals mg/L, lengths m, areas m2, volumes m3, limestone
in metric tonnes, money CNY of the economics price year (see :mod:`cbmwater.minewater.options`
for the USD -> CNY conversion and the location factor).  Defaults are AMDTreat 6's, read from
``databases/minewater/amdtreat.toml``.

Geometry (AMDTreat, all modules)
--------------------------------
A layer of depth ``d`` on a rectangular bottom ``L x W`` with inside side slope ``z`` (H:V) has
top ``(L + 2zd) x (W + 2zd)`` and volume ``d ((L_top W_top + L W) / 2)`` (AMDTreat's
average-end-area rule).  With ``W = L / r`` the bottom length follows from a quadratic:

* from a layer volume V:  ``(d/r) L^2 + z d^2 (1 + 1/r) L + 2 z^2 d^3 - V = 0``
  (``CalcLimestoneBottomLength``);
* from a top area A:      ``L^2/r + Z (1 + 1/r) L + Z^2 - A = 0`` with ``Z = 2 z d``
  (``CalcLimestoneBottomLengthAlkalinityGeneration``).

A bottom width under 10 ft (3.048 m) is AMDTreat's "pond cannot be constructed" error (reported
as a warning here); a non-positive bottom raises :class:`~cbmwater.errors.InputError`.
Land = AMDTreat's clear-and-grub area: top of freeboard plus an 8 ft (2.44 m) berm and a 3:1
outslope over the freeboard depth on each side (ALD: soil-cover top plus 2 ft on each side).

References
----------
AMDTreat 6 C# source, jlant/amdtreat@5a292e0 (``AMDTreat/Models/*Calculations.cs``,
``ViewModels/*ViewModel.cs``, ``Data/default-data-*.xml``); the project's AMDTreat reference
notes (amd.md).
Hedin, R.S., Nairn, R.W., Kleinmann, R.L.P. (1994) Passive treatment of coal mine drainage.
US Bureau of Mines IC 9389 [M].  Means, B., Rose, A.W. (2005) Rate of manganese removal in
limestone bioreactors, ASMR [M].
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import InputError
from ..treatment.economics import Economics
from .options import (AMDTREAT_REF, AmdTreatDefaults, Money, OptionResult, check_choice,
                      check_number, finish, load_amdtreat, sludge_density_kg_m3,
                      sludge_dry_solids_mg_L, solids_sg)

__all__ = ["anoxic_limestone_drain", "vertical_flow_pond", "limestone_bed",
           "manganese_removal_bed", "aerobic_wetland", "sulfate_reducing_bioreactor",
           "settling_pond", "LIMESTONE_METHODS", "LINERS"]

#: Sizing methods of the limestone systems (ALD, VFP, limestone bed).
LIMESTONE_METHODS = ("retention_time", "bureau_of_mines", "alkalinity_generation")
#: Liner options (AMDTreat default: none).
LINERS = ("none", "clay", "synthetic")
#: g/mol of sulfate as the sizing formula prints it (96.06; the vocabulary has 96.056).
_SO4_G_MOL = 96.06


# --------------------------------------------------------------------------------------------
# geometry
# --------------------------------------------------------------------------------------------

def _top(dim: float, depth: float, z: float) -> float:
    return dim + 2.0 * z * depth


def _layer_volume(lb: float, wb: float, d: float, z: float) -> float:
    """Average-end-area volume of a layer on bottom lb x wb, m3."""
    return (_top(lb, d, z) * _top(wb, d, z) + lb * wb) / 2.0 * d


def _bottom_from_volume(v: float, d: float, z: float, r: float, what: str) -> tuple[float, float]:
    a = d / r
    b = z * d * d * (1.0 + 1.0 / r)
    c = 2.0 * z * z * d ** 3 - v
    disc = b * b - 4.0 * a * c
    lb = (-b + math.sqrt(disc)) / (2.0 * a) if disc >= 0 else -1.0
    if lb <= 0:
        raise InputError(
            f"{what}: a volume of {v:.4g} m3 is too small for a layer {d:.3g} m deep with side "
            f"slope {z:g}:1 (AMDTreat 'major error': bottom <= 0); reduce the depth or the side "
            f"slope, or raise the flow or retention time", column="flow_m3_d")
    return lb, lb / r


def _bottom_from_top_area(area: float, d: float, z: float, r: float,
                          what: str) -> tuple[float, float]:
    zz = 2.0 * z * d
    a = 1.0 / r
    b = zz / r + zz
    c = zz * zz - area
    disc = b * b - 4.0 * a * c
    lb = (-b + math.sqrt(disc)) / (2.0 * a) if disc >= 0 else -1.0
    if lb <= 0:
        raise InputError(
            f"{what}: a top area of {area:.4g} m2 is too small for a layer {d:.3g} m deep with "
            f"side slope {z:g}:1 (AMDTreat 'major error': bottom <= 0); reduce the depth",
            column="flow_m3_d")
    return lb, lb / r


def _check_bottom(wb: float, what: str, d: AmdTreatDefaults, warnings: list[str]) -> None:
    wmin = d("common", "min_bottom_width")
    if wb < wmin:
        warnings.append(
            f"{what}: bottom width {wb:.2f} m is under {wmin:.3f} m (10 ft), AMDTreat's error "
            f"'pond cannot be constructed'; lower the bottom length:width ratio "
            f"(length_width_ratio), make the layer shallower, or build a trench-type system")


def _land_berms(lt: float, wt: float, freeboard: float, d: AmdTreatDefaults) -> float:
    """AMDTreat clear-and-grub area (VFP, wetland, bioreactor): top + berm + outslope, m2."""
    extra = 2.0 * d("common", "berm_top_width") + 2.0 * d("common", "berm_outslope_H_V") * freeboard
    return (lt + extra) * (wt + extra)


def _liner(kind: str, lb: float, wb: float, lt: float, wt: float, depth: float, z: float,
           sec: str, d: AmdTreatDefaults) -> tuple[float, float]:
    """Liner cost (USD) and clay volume (m3) of a basin from bottom (lb, wb) to top (lt, wt)."""
    if kind == "none":
        return 0.0, 0.0
    s = math.hypot(depth, z * depth)
    if kind == "clay":
        area = (lt + lb) * s + (wt + wb) * s + lb * wb
        vol = area * d(sec, "clay_liner_thickness")
        return vol * d(sec, "clay_liner_unit_cost"), vol
    ext = d("common", "synthetic_liner_extension")
    area = (lt + lb) * (s + ext) + (wt + wb) * (s + ext) + lb * wb
    return area * d(sec, "synthetic_liner_unit_cost"), 0.0


def _structures(sec: str, d: AmdTreatDefaults,
                names: tuple[str, ...] = ("valve", "intake", "flow_distribution",
                                          "water_level_control", "outlet_protection")) -> float:
    """AMDTreat 'other items' (appurtenances), USD."""
    total = 0.0
    for n in names:
        q = d.values[sec].get(f"{n}_quantity", 0.0)
        total += q * d(sec, f"{n}_unit_cost") if q else 0.0
    return total


def _header_pipes(sec: str, bottom_width: float, d: AmdTreatDefaults) -> tuple[float, dict]:
    """AMDTreat header-pipe system (ALD, limestone bed, Mn bed), USD."""
    n = d(sec, "header_pipe_quantity")
    length = n * bottom_width
    seg = d(sec, "header_pipe_segment_length")
    segments = math.ceil(length / seg) if length > 0 else 0
    couplers = max(segments - 1, 0)
    inout = d(sec, "inout_pipe_length")
    cost = (inout * d(sec, "inout_pipe_unit_cost") + segments * d(sec, "header_pipe_unit_cost")
            + couplers * d(sec, "header_coupler_unit_cost") + n * d(sec, "tee_unit_cost")
            + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate")
            + length / d(sec, "header_pipe_install_rate") * d(sec, "labour_rate"))
    return cost, {"inout_pipe_m": inout, "header_pipe_m": length, "header_segments": segments}


def _trunk_spur_pipes(sec: str, lb: float, wb: float, d: AmdTreatDefaults) -> tuple[float, dict]:
    """AMDTreat under-drain (trunk + spurs) of VFP and bioreactor, USD."""
    trunk = lb
    trunk_couplers = math.ceil(trunk / d(sec, "trunk_pipe_segment_length"))
    spurs = math.floor(lb / d(sec, "spur_pipe_spacing")) + 1
    spur_len = spurs * wb
    spur_couplers = spurs * math.floor(wb / d(sec, "spur_pipe_segment_length"))
    inout = d(sec, "inout_pipe_length")
    cost = (inout * d(sec, "inout_pipe_unit_cost") + trunk * d(sec, "trunk_pipe_unit_cost")
            + trunk_couplers * d(sec, "trunk_coupler_unit_cost")
            + spur_len * d(sec, "spur_pipe_unit_cost")
            + spur_couplers * d(sec, "spur_coupler_unit_cost") + spurs * d(sec, "tee_unit_cost")
            + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate")
            + (trunk + spur_len) / d(sec, "trunk_spur_install_rate") * d(sec, "labour_rate"))
    return cost, {"inout_pipe_m": inout, "trunk_pipe_m": trunk, "spur_pipes": spurs,
                  "spur_pipe_m": spur_len}


def _site_development(direct_CNY: float, land_m2: float, money: Money) -> dict[str, float]:
    """AMDTreat site-development items of a passive module, CNY."""
    d = money.d
    clear = money.usd(land_m2 * d("site", "clear_grub_unit_cost"))
    reveg = money.usd(land_m2 * d("site", "revegetation_fraction") * d("site", "revegetation_unit_cost"))
    base = direct_CNY + clear + reveg
    return {
        "site: clear and grub": clear,
        "site: revegetation": reveg,
        "site: mobilisation/demobilisation": base * d("site", "mobilisation_fraction"),
        "site: engineering and permitting": base * d("site", "engineering_fraction"),
        "site: surveying": base * d("site", "surveying_fraction"),
        "site: construction inspection": base * d("site", "inspection_fraction"),
        "site: contingency": base * d("site", "contingency_fraction"),
    }


def _compost_porosity(fines_pct: float, d: AmdTreatDefaults) -> float:
    """Compost-mix porosity, fraction (AMDTreat ``CalcCompostMixPorosity``, f in %)."""
    p = (d("common", "compost_porosity_c3") * fines_pct ** 3
         + d("common", "compost_porosity_c2") * fines_pct ** 2
         + d("common", "compost_porosity_c1") * fines_pct + d("common", "compost_porosity_c0"))
    return p / 100.0


# --------------------------------------------------------------------------------------------
# shared limestone sizing (ALD, VFP, limestone bed)
# --------------------------------------------------------------------------------------------

def _opt(value: Any, default: float, name: str, **rng: Any) -> float:
    return check_number(name, default if value is None else value, **rng)


def _limestone_sizing(sec: str, flow_m3_d: float, net_acidity_mg_L: float | None, method: str,
                      retention_h: float, life_yr: float, purity: float, efficiency: float,
                      porosity: float, alk_rate: float, depth: float, z: float, r: float,
                      d: AmdTreatDefaults, what: str) -> dict[str, Any]:
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
    alt: dict[str, Any] = {"retention_time": {"limestone_m3": v_rt, "limestone_t": m_rt,
                                              "water_m3": v_water}}
    if net_acidity_mg_L is not None and net_acidity_mg_L > 0:
        acid_kg_d = flow_m3_d * net_acidity_mg_L / 1000.0
        m_dis = acid_kg_d * 365.0 * life_yr / 1000.0 / (purity * efficiency)
        v_dis = m_dis * 1000.0 / rho_b
        alt["bureau_of_mines"] = {"limestone_m3": v_rt + v_dis, "limestone_t": m_rt + m_dis,
                                  "dissolution_t": m_dis, "acid_load_kg_CaCO3_d": acid_kg_d}
        area = acid_kg_d * 1000.0 / alk_rate
        try:
            lb_a, wb_a = _bottom_from_top_area(area, depth, z, r, what)
        except InputError as exc:
            if method == "alkalinity_generation":
                raise
            alt["alkalinity_generation"] = {"top_area_m2": area, "error": exc.detail}
        else:
            v_a = _layer_volume(lb_a, wb_a, depth, z)
            alt["alkalinity_generation"] = {"top_area_m2": area, "limestone_m3": v_a,
                                            "limestone_t": v_a * rho_b / 1000.0}
    elif method != "retention_time":
        if net_acidity_mg_L is None:
            raise InputError(f"{what}: method {method!r} needs net_acidity_mg_L (mg/L as CaCO3)",
                             column="net_acidity_mg_L")
        raise InputError(f"{what}: method {method!r} needs a net-acidic water "
                         f"(net_acidity_mg_L > 0); got {net_acidity_mg_L!r}. Net-alkaline water "
                         f"needs no alkalinity-producing system", column="net_acidity_mg_L",
                         value=net_acidity_mg_L)
    bom = alt.get("bureau_of_mines")
    if method == "retention_time" and bom is not None and bom["dissolution_t"] > 0.5 * m_rt:
        out["warning"] = (
            f"{what}: {bom['dissolution_t']:.0f} t of limestone dissolves over {life_yr:g} yr, "
            f"{bom['dissolution_t'] / m_rt * 100:.0f} % of the retention-time mass ({m_rt:.0f} t); "
            f"the Bureau-of-Mines method adds it (method='bureau_of_mines')")
    chosen = alt[method]
    v = chosen["limestone_m3"]
    if method == "alkalinity_generation":
        lb, wb = _bottom_from_top_area(chosen["top_area_m2"], depth, z, r, what)
    else:
        lb, wb = _bottom_from_volume(v, depth, z, r, what)
    out.update(volume_m3=v, mass_t=v * rho_b / 1000.0, lb=lb, wb=wb, lt=_top(lb, depth, z),
               wt=_top(wb, depth, z), alternatives=alt, water_in_stone_m3=v * porosity,
               retention_h_actual=v * porosity / q_h)
    return out


def _limestone_sources(method: str) -> list[str]:
    s = [
        "water volume = RT x Q; stone bulk volume = water / porosity; mass = volume x (1 - "
        "porosity) x 2649.9 kg/m3 (AMDTreat CalcWaterVolumeRetentionTime, "
        "CalcLimestoneVolumeRetentionTime, CalcBulkDensity 165.43 lb/ft3)",
    ]
    if method == "bureau_of_mines":
        s.append("Bureau of Mines (Hedin-Watzlaf): mass = RT mass + Q x net acidity x 365 x life "
                 "/ (purity x efficiency) (AMDTreat CalcAcidityLoadingBureauOfMines, 0.002189 short "
                 "ton per gpm.mg/L.yr)")
    if method == "alkalinity_generation":
        s.append("alkalinity generation: limestone top area = Q x net acidity (g/d) / rate "
                 "(g/m2/d) (AMDTreat CalcSurfaceAreaTopOfLimestoneAlkalinityGeneration)")
    s.append("layer geometry: average-end-area volume, bottom length from AMDTreat's quadratic, "
             "side slope z, bottom length:width ratio r")
    s.append(AMDTREAT_REF)
    return s


def _common_checks(flow_m3_d: float, life_yr: float | None, econ: Economics | None,
                   defaults: AmdTreatDefaults | None, life_default: float | None = None
                   ) -> tuple[Money, AmdTreatDefaults, float]:
    check_number("flow_m3_d", flow_m3_d, lo=0.0, lo_open=True)
    d = defaults if defaults is not None else load_amdtreat()
    money = Money(econ, d)
    life = _opt(life_yr, life_default if life_default is not None else money.econ.life_yr,
                "life_yr", lo=1.0, hi=100.0)
    return money, d, life


def _acidity_warning(net_acidity_mg_L: float | None, what: str, warnings: list[str]) -> None:
    if net_acidity_mg_L is not None and net_acidity_mg_L <= 0:
        warnings.append(f"{what}: the water is net alkaline (net acidity {net_acidity_mg_L:g} "
                        f"mg/L CaCO3); it needs no alkalinity-producing system (Hedin/Skousen "
                        f"flowchart: aeration, settling pond, aerobic wetland)")


# --------------------------------------------------------------------------------------------
# anoxic limestone drain
# --------------------------------------------------------------------------------------------

def anoxic_limestone_drain(
        flow_m3_d: float, *, net_acidity_mg_L: float | None = None,
        method: str = "retention_time", retention_h: float | None = None,
        life_yr: float | None = None, alkalinity_rate_g_m2_d: float | None = None,
        limestone_depth_m: float | None = None, soil_cover_m: float | None = None,
        purity: float | None = None, efficiency: float | None = None,
        porosity: float | None = None, length_width_ratio: float | None = None,
        side_slope: float | None = None, liner: str = "none",
        do_mg_L: float | None = None, fe3_mg_L: float | None = None, al_mg_L: float | None = None,
        site_development: bool = True, econ: Economics | None = None,
        defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "ald", "ALD"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults,
                                    defaults_life(d_or_none=defaults, sec=sec))
    check_choice("method", method, LIMESTONE_METHODS)
    check_choice("liner", liner, LINERS)
    if net_acidity_mg_L is not None:
        check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5)
    rt = _opt(retention_h, d(sec, "retention_time_h"), "retention_h", lo=0.0, lo_open=True, hi=1000)
    pur = _opt(purity, d(sec, "limestone_purity"), "purity", lo=0.0, lo_open=True, hi=1.0)
    eff = _opt(efficiency, d(sec, "limestone_efficiency"), "efficiency", lo=0.0, lo_open=True,
               hi=1.0)
    por = _opt(porosity, d(sec, "limestone_porosity"), "porosity", lo=0.05, hi=0.95)
    rate = _opt(alkalinity_rate_g_m2_d, d(sec, "alkalinity_generation_rate"),
                "alkalinity_rate_g_m2_d", lo=0.0, lo_open=True)
    dep = _opt(limestone_depth_m, d(sec, "limestone_depth"), "limestone_depth_m", lo=0.0,
               lo_open=True, hi=10)
    cover = _opt(soil_cover_m, d(sec, "soil_cover_depth"), "soil_cover_m", lo=0.0, hi=10)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    warnings: list[str] = []
    _acidity_warning(net_acidity_mg_L, what, warnings)
    for name, v in (("do_mg_L", do_mg_L), ("fe3_mg_L", fe3_mg_L), ("al_mg_L", al_mg_L)):
        if v is not None and check_number(name, v, lo=0.0) > 1.0:
            warnings.append(f"ALD: {name} = {v:g} mg/L is above 1 mg/L; Fe(III)/Al hydroxides and "
                            f"oxygen armour and clog an ALD (Hedin et al. 1994; use a VFP instead)")

    s = _limestone_sizing(sec, flow_m3_d, net_acidity_mg_L, method, rt, life, pur, eff, por,
                          rate, dep, z, r, d, what)
    if "warning" in s:
        warnings.append(s["warning"])
    _check_bottom(s["wb"], what, d, warnings)
    lt, wt = s["lt"], s["wt"]
    soil_lt, soil_wt = _top(lt, cover, z), _top(wt, cover, z)
    soil_v = (soil_lt * soil_wt + lt * wt) / 2.0 * cover
    liner_usd, clay_v = _liner(liner, s["lb"], s["wb"], lt, wt, dep, z, sec, d)
    excavation = s["volume_m3"] + soil_v + clay_v
    margin = d("common", "ald_clear_margin")
    footprint = soil_lt * soil_wt
    land = (soil_lt + 2 * margin) * (soil_wt + 2 * margin)
    pipe_usd, pipe_info = _header_pipes(sec, s["wb"], d)
    usd = money.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "soil cover": usd(soil_v * d(sec, "soil_cover_unit_cost")),
        "limestone": usd(s["mass_t"] * d(sec, "limestone_unit_cost")),
        "limestone placement": usd(s["volume_m3"] * d(sec, "limestone_placement_unit_cost")),
        "liner": usd(liner_usd),
        "pipes": usd(pipe_usd),
        "structures (valves, control, outlet)": usd(_structures(sec, d)),
    }
    return _passive_finish(
        option="ald", method=method, flow_m3_d=flow_m3_d, area_m2=lt * wt, footprint=footprint,
        land=land, volume=s["volume_m3"], basis="media", limestone_t=s["mass_t"],
        materials={"limestone_bulk_m3": s["volume_m3"], "soil_cover_m3": soil_v,
                   "excavation_m3": excavation, "clay_liner_m3": clay_v},
        items=items, sec=sec, recap=[
            ("limestone", items["limestone"] + items["limestone placement"], "limestone"),
            ("soil cover", items["soil cover"], "soil_cover"), ("liner", items["liner"], "liner"),
            ("pipes", items["pipes"], "pipe"),
            ("structures", items["structures (valves, control, outlet)"], "other")],
        om_fraction=d("common", "passive_om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=_limestone_sources(method) + [
            "soil cover on the limestone top; excavation = limestone + soil cover (+ clay liner); "
            "land = (soil-cover top + 2 x 0.61 m)^2 (AMDTreat ALD CalcClearAndGrubArea)"],
        details={
            "limestone_bottom_m": [s["lb"], s["wb"]], "limestone_top_m": [lt, wt],
            "soil_cover_top_m": [soil_lt, soil_wt], "limestone_depth_m": dep,
            "soil_cover_m": cover, "water_in_stone_m3": s["water_in_stone_m3"],
            "retention_h": s["retention_h_actual"], "purity": pur, "efficiency": eff,
            "porosity": por, "alternatives": s["alternatives"], "pipes": pipe_info,
            "liner": liner})


def defaults_life(d_or_none: AmdTreatDefaults | None, sec: str) -> float:
    """AMDTreat neutralisation period of a limestone module, yr (the default life)."""
    d = d_or_none if d_or_none is not None else load_amdtreat()
    return d(sec, "neutralisation_period_yr")


def _passive_finish(*, option: str, method: str, flow_m3_d: float, area_m2: float,
                    footprint: float, land: float, volume: float, basis: str,
                    limestone_t: float, materials: dict[str, float], items: dict[str, float],
                    sec: str, recap: list[tuple[str, float, str]], om_fraction: float,
                    life: float, money: Money, site_development: bool, warnings: list[str],
                    sources: list[str], details: dict[str, Any],
                    extra_opex: dict[str, float] | None = None) -> OptionResult:
    d = money.d
    direct = sum(items.values())
    capex = dict(items)
    if site_development:
        capex.update(_site_development(direct, land, money))
    opex = {f"O&M ({om_fraction * 100:g} % of module capital, AMDTreat)": om_fraction * direct}
    if extra_opex:
        opex.update(extra_opex)
    recap_items = []
    for name, cost, key in recap:
        life_key, frac_key = f"recap_life_{key}", f"recap_fraction_{key}"
        if life_key in d.values[sec] and cost > 0:
            recap_items.append((name, cost, d(sec, life_key), d(sec, frac_key)))
    sources = list(sources) + [
        f"O&M = {om_fraction * 100:g} % of module capital per year; recapitalisation: AMDTreat "
        f"replacement lives and fractions, present value at the economics discount rate over "
        f"life_yr, annualised with the CRF",
        money.note()]
    return finish(option=option, kind="passive", method=method, flow_m3_d=flow_m3_d,
                  area_m2=area_m2, footprint_m2=footprint, land_m2=land, volume_m3=volume,
                  volume_basis=basis, limestone_t=limestone_t,
                  materials={k: float(v) for k, v in materials.items()}, capex_items=capex,
                  opex_items=opex, recap_items=recap_items, life_yr=life, money=money,
                  warnings=warnings, sources=sources, details=details)


# --------------------------------------------------------------------------------------------
# oxic limestone bed
# --------------------------------------------------------------------------------------------

def limestone_bed(
        flow_m3_d: float, *, net_acidity_mg_L: float | None = None,
        method: str = "retention_time", retention_h: float | None = None,
        life_yr: float | None = None, alkalinity_rate_g_m2_d: float | None = None,
        limestone_depth_m: float | None = None, freeboard_m: float | None = None,
        free_water_m: float | None = None, purity: float | None = None,
        efficiency: float | None = None, porosity: float | None = None,
        length_width_ratio: float | None = None, side_slope: float | None = None,
        liner: str = "none", site_development: bool = True, econ: Economics | None = None,
        defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "limestone_bed", "limestone bed"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults, defaults_life(defaults, sec))
    check_choice("method", method, LIMESTONE_METHODS)
    check_choice("liner", liner, LINERS)
    if net_acidity_mg_L is not None:
        check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5)
    rt = _opt(retention_h, d(sec, "retention_time_h"), "retention_h", lo=0.0, lo_open=True, hi=1000)
    pur = _opt(purity, d(sec, "limestone_purity"), "purity", lo=0.0, lo_open=True, hi=1.0)
    eff = _opt(efficiency, d(sec, "limestone_efficiency"), "efficiency", lo=0.0, lo_open=True,
               hi=1.0)
    por = _opt(porosity, d(sec, "limestone_porosity"), "porosity", lo=0.05, hi=0.95)
    rate = _opt(alkalinity_rate_g_m2_d, d(sec, "alkalinity_generation_rate"),
                "alkalinity_rate_g_m2_d", lo=0.0, lo_open=True)
    dep_default = (d(sec, "limestone_depth_upstream") + d(sec, "limestone_depth_downstream")) / 2
    dep = _opt(limestone_depth_m, dep_default, "limestone_depth_m", lo=0.0, lo_open=True, hi=10)
    fb = _opt(freeboard_m, d(sec, "freeboard_depth"), "freeboard_m", lo=0.0, hi=10)
    fw = _opt(free_water_m, d(sec, "free_water_depth"), "free_water_m", lo=0.0, hi=10)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    warnings: list[str] = []
    _acidity_warning(net_acidity_mg_L, what, warnings)
    s = _limestone_sizing(sec, flow_m3_d, net_acidity_mg_L, method, rt, life, pur, eff, por,
                          rate, dep, z, r, d, what)
    if "warning" in s:
        warnings.append(s["warning"])
    _check_bottom(s["wb"], what, d, warnings)
    lt, wt = s["lt"], s["wt"]
    w_lt, w_wt = _top(lt, fw, z), _top(wt, fw, z)
    water_v = (w_lt * w_wt + lt * wt) / 2.0 * fw
    fb_lt, fb_wt = _top(w_lt, fb, z), _top(w_wt, fb, z)
    liner_usd, clay_v = _liner(liner, s["lb"], s["wb"], fb_lt, fb_wt, dep + fw + fb, z, sec, d)
    excavation = s["volume_m3"] + water_v + clay_v
    land = _land_berms(fb_lt, fb_wt, fb, d)
    pipe_usd, pipe_info = _header_pipes(sec, s["wb"], d)
    usd = money.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "limestone": usd(s["mass_t"] * d(sec, "limestone_unit_cost")),
        "limestone placement": usd(s["volume_m3"] * d(sec, "limestone_placement_unit_cost")),
        "liner": usd(liner_usd),
        "pipes": usd(pipe_usd),
        "structures (valves, intake, distribution, control, outlet)": usd(_structures(sec, d)),
    }
    return _passive_finish(
        option="limestone_bed", method=method, flow_m3_d=flow_m3_d, area_m2=lt * wt,
        footprint=fb_lt * fb_wt, land=land, volume=s["volume_m3"], basis="media",
        limestone_t=s["mass_t"],
        materials={"limestone_bulk_m3": s["volume_m3"], "excavation_m3": excavation,
                   "clay_liner_m3": clay_v},
        items=items, sec=sec, recap=[
            ("limestone", items["limestone"] + items["limestone placement"], "limestone"),
            ("liner", items["liner"], "liner"), ("pipes", items["pipes"], "pipe"),
            ("structures", items["structures (valves, intake, distribution, control, outlet)"], "other")],
        om_fraction=d("common", "passive_om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=_limestone_sources(method) + [
            "free water and freeboard on the limestone top; land = freeboard top + 8 ft berm + 3:1 "
            "outslope (AMDTreat CalcClearAndGrubArea)"],
        details={"limestone_bottom_m": [s["lb"], s["wb"]], "limestone_top_m": [lt, wt],
                 "freeboard_top_m": [fb_lt, fb_wt], "limestone_depth_m": dep,
                 "retention_h": s["retention_h_actual"], "alternatives": s["alternatives"],
                 "pipes": pipe_info, "purity": pur, "efficiency": eff, "porosity": por,
                 "liner": liner})


# --------------------------------------------------------------------------------------------
# vertical flow pond
# --------------------------------------------------------------------------------------------

def vertical_flow_pond(
        flow_m3_d: float, *, net_acidity_mg_L: float | None = None,
        method: str = "retention_time", retention_h: float | None = None,
        life_yr: float | None = None, alkalinity_rate_g_m2_d: float | None = None,
        limestone_depth_m: float | None = None, compost_depth_m: float | None = None,
        free_water_m: float | None = None, freeboard_m: float | None = None,
        fines_fraction: float | None = None, purity: float | None = None,
        efficiency: float | None = None, porosity: float | None = None,
        length_width_ratio: float | None = None, side_slope: float | None = None,
        liner: str = "none", site_development: bool = True, econ: Economics | None = None,
        defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "vfp", "VFP"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults, defaults_life(defaults, sec))
    check_choice("method", method, LIMESTONE_METHODS)
    check_choice("liner", liner, LINERS)
    if net_acidity_mg_L is not None:
        check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5)
    rt = _opt(retention_h, d(sec, "retention_time_h"), "retention_h", lo=0.0, lo_open=True, hi=1000)
    pur = _opt(purity, d(sec, "limestone_purity"), "purity", lo=0.0, lo_open=True, hi=1.0)
    eff = _opt(efficiency, d(sec, "limestone_efficiency"), "efficiency", lo=0.0, lo_open=True,
               hi=1.0)
    por = _opt(porosity, d(sec, "limestone_porosity"), "porosity", lo=0.05, hi=0.95)
    rate = _opt(alkalinity_rate_g_m2_d, d(sec, "alkalinity_generation_rate"),
                "alkalinity_rate_g_m2_d", lo=0.0, lo_open=True)
    dep = _opt(limestone_depth_m, d(sec, "limestone_depth"), "limestone_depth_m", lo=0.0,
               lo_open=True, hi=10)
    dc = _opt(compost_depth_m, d(sec, "compost_depth"), "compost_depth_m", lo=0.0, hi=10)
    fw = _opt(free_water_m, d(sec, "free_water_depth"), "free_water_m", lo=0.0, hi=10)
    fb = _opt(freeboard_m, d(sec, "freeboard_depth"), "freeboard_m", lo=0.0, hi=10)
    fines = _opt(fines_fraction, d(sec, "limestone_fines_fraction"), "fines_fraction", lo=0.0,
                 hi=1.0)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    warnings: list[str] = []
    _acidity_warning(net_acidity_mg_L, what, warnings)
    s = _limestone_sizing(sec, flow_m3_d, net_acidity_mg_L, method, rt, life, pur, eff, por,
                          rate, dep, z, r, d, what)
    if "warning" in s:
        warnings.append(s["warning"])
    _check_bottom(s["wb"], what, d, warnings)
    lt, wt = s["lt"], s["wt"]
    c_lt, c_wt = _top(lt, dc, z), _top(wt, dc, z)
    compost_v = (c_lt * c_wt + lt * wt) / 2.0 * dc
    w_lt, w_wt = _top(c_lt, fw, z), _top(c_wt, fw, z)
    water_v = (w_lt * w_wt + c_lt * c_wt) / 2.0 * fw
    fb_lt, fb_wt = _top(w_lt, fb, z), _top(w_wt, fb, z)
    rho_s = d("common", "limestone_solid_density")
    fines_v = compost_v * fines
    fines_t = fines_v * (1.0 - d(sec, "limestone_fines_void")) * rho_s / 1000.0
    organic_v = compost_v - fines_v
    c_por = _compost_porosity(fines * 100.0, d)
    q_h = flow_m3_d / 24.0
    liner_usd, clay_v = _liner(liner, s["lb"], s["wb"], fb_lt, fb_wt, dep + dc + fw + fb, z, sec, d)
    excavation = s["volume_m3"] + compost_v + water_v + clay_v
    land = _land_berms(fb_lt, fb_wt, fb, d)
    pipe_usd, pipe_info = _trunk_spur_pipes(sec, s["lb"], s["wb"], d)
    usd = money.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "compost (organic)": usd(organic_v * d(sec, "compost_unit_cost")),
        "compost limestone fines": usd(fines_t * d(sec, "limestone_fines_unit_cost")),
        "compost placement": usd(compost_v * d(sec, "compost_placement_unit_cost")
                                 + fines_v * d(sec, "limestone_fines_placement_unit_cost")),
        "limestone": usd(s["mass_t"] * d(sec, "limestone_unit_cost")),
        "limestone placement": usd(s["volume_m3"] * d(sec, "limestone_placement_unit_cost")),
        "liner": usd(liner_usd),
        "pipes (under-drain)": usd(pipe_usd),
        "structures (valve, intake, distribution, control, outlet)": usd(_structures(sec, d)),
    }
    compost_cost = items["compost (organic)"] + items["compost limestone fines"] + items["compost placement"]
    return _passive_finish(
        option="vfp", method=method, flow_m3_d=flow_m3_d, area_m2=lt * wt,
        footprint=fb_lt * fb_wt, land=land, volume=s["volume_m3"], basis="media",
        limestone_t=s["mass_t"],
        materials={"limestone_bulk_m3": s["volume_m3"], "compost_m3": compost_v,
                   "compost_organic_m3": organic_v, "limestone_fines_t": fines_t,
                   "free_water_m3": water_v, "excavation_m3": excavation, "clay_liner_m3": clay_v},
        items=items, sec=sec, recap=[
            ("limestone", items["limestone"] + items["limestone placement"], "limestone"),
            ("compost", compost_cost, "compost"), ("liner", items["liner"], "liner"),
            ("pipes", items["pipes (under-drain)"], "pipe"),
            ("structures", items["structures (valve, intake, distribution, control, outlet)"], "other")],
        om_fraction=d("common", "passive_om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=_limestone_sources(method) + [
            "compost porosity = -0.0002 f^3 + 0.0176 f^2 - 0.4826 f + 90 % (AMDTreat "
            "CalcCompostMixPorosity); under-drain: trunk along the bottom length, spurs every "
            "10 ft across the bottom width (AMDTreat VFP pipe functions)"],
        details={"limestone_bottom_m": [s["lb"], s["wb"]], "limestone_top_m": [lt, wt],
                 "compost_top_m": [c_lt, c_wt], "water_top_m": [w_lt, w_wt],
                 "freeboard_top_m": [fb_lt, fb_wt],
                 "depths_m": {"limestone": dep, "compost": dc, "free_water": fw, "freeboard": fb},
                 "compost_porosity": c_por,
                 "retention_h": {"limestone": s["retention_h_actual"],
                                 "compost": compost_v * c_por / q_h, "free_water": water_v / q_h},
                 "alternatives": s["alternatives"], "pipes": pipe_info, "liner": liner})


# --------------------------------------------------------------------------------------------
# manganese removal bed
# --------------------------------------------------------------------------------------------

_GRADATIONS = ("57", "5", "3", "1")


def manganese_removal_bed(
        flow_m3_d: float, *, mn_mg_L: float | None = None, method: str = "kinetics",
        effluent_mn_mg_L: float | None = None, retention_h: float | None = None,
        life_yr: float | None = None, rate_constant: float | None = None,
        stone: str = "57", limestone_depth_m: float | None = None,
        freeboard_m: float | None = None, porosity: float | None = None,
        length_width_ratio: float | None = None, side_slope: float | None = None,
        liner: str = "none", site_development: bool = True, econ: Economics | None = None,
        defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "mn_bed", "Mn removal bed"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults)
    check_choice("method", method, ("kinetics", "retention_time"))
    check_choice("stone", stone, _GRADATIONS)
    check_choice("liner", liner, LINERS)
    cout = _opt(effluent_mn_mg_L, d(sec, "effluent_mn_mg_L"), "effluent_mn_mg_L", lo=0.0,
                lo_open=True)
    rt = _opt(retention_h, d(sec, "retention_time_h"), "retention_h", lo=0.0, lo_open=True, hi=1000)
    k = _opt(rate_constant, d(sec, "rate_constant"), "rate_constant", lo=0.0, lo_open=True)
    dep = _opt(limestone_depth_m, d(sec, "limestone_depth"), "limestone_depth_m", lo=0.0,
               lo_open=True, hi=10)
    fb = _opt(freeboard_m, d(sec, "freeboard_depth"), "freeboard_m", lo=0.0, hi=10)
    por = _opt(porosity, d(sec, "limestone_porosity"), "porosity", lo=0.05, hi=0.95)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    warnings: list[str] = []
    s_area = d(sec, f"aashto{stone}_particle_area") / d(sec, f"aashto{stone}_particle_volume") * (1 - por)
    q_lpm = flow_m3_d * 1000.0 / 1440.0
    details: dict[str, Any] = {"stone": f"AASHTO #{stone}", "specific_surface_m2_m3": s_area,
                               "rate_constant": k, "flow_L_min": q_lpm}
    area_kin = None
    if mn_mg_L is not None:
        cin = check_number("mn_mg_L", mn_mg_L, lo=0.0)
        if cin <= cout:
            if method == "kinetics":
                raise InputError(f"{what}: mn_mg_L ({cin:g}) must exceed effluent_mn_mg_L "
                                 f"({cout:g}) for the kinetic sizing; no Mn removal is needed",
                                 column="mn_mg_L", value=mn_mg_L)
            warnings.append(f"{what}: influent Mn {cin:g} mg/L is already at or below the target "
                            f"{cout:g} mg/L")
        else:
            area_kin = (-d(sec, "kinetic_constant") * q_lpm * math.log10(cout / cin)
                        / (k * s_area * dep))
            details["kinetic_area_m2"] = area_kin
    elif method == "kinetics":
        raise InputError(f"{what}: method 'kinetics' needs mn_mg_L (influent Mn, mg/L)",
                         column="mn_mg_L")
    rho_b = (1 - por) * d("common", "limestone_solid_density")
    if method == "kinetics":
        lb, wb = _bottom_from_top_area(area_kin, dep, z, r, what)
        v = _layer_volume(lb, wb, dep, z)
    else:
        v = rt * flow_m3_d / 24.0 / por
        lb, wb = _bottom_from_volume(v, dep, z, r, what)
    _check_bottom(wb, what, d, warnings)
    lt, wt = _top(lb, dep, z), _top(wb, dep, z)
    mass = v * rho_b / 1000.0
    fb_lt, fb_wt = _top(lt, fb, z), _top(wt, fb, z)
    liner_usd, clay_v = _liner(liner, lb, wb, fb_lt, fb_wt, dep + fb, z, sec, d)
    excavation = v + clay_v
    land = _land_berms(fb_lt, fb_wt, fb, d)
    pipe_usd, pipe_info = _header_pipes(sec, wb, d)
    usd = money.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "limestone": usd(mass * d(sec, "limestone_unit_cost")),
        "limestone placement": usd(v * d(sec, "limestone_placement_unit_cost")),
        "liner": usd(liner_usd),
        "pipes": usd(pipe_usd),
        "structures (valve, intake, distribution, control, outlet)": usd(_structures(sec, d)),
    }
    details.update({"limestone_bottom_m": [lb, wb], "limestone_top_m": [lt, wt],
                    "freeboard_top_m": [fb_lt, fb_wt], "limestone_depth_m": dep,
                    "retention_h": v * por / (flow_m3_d / 24.0), "pipes": pipe_info,
                    "liner": liner})
    return _passive_finish(
        option="mn_bed", method=method, flow_m3_d=flow_m3_d, area_m2=lt * wt,
        footprint=fb_lt * fb_wt, land=land, volume=v, basis="media", limestone_t=mass,
        materials={"limestone_bulk_m3": v, "excavation_m3": excavation, "clay_liner_m3": clay_v},
        items=items, sec=sec, recap=[
            ("limestone", items["limestone"] + items["limestone placement"], "limestone"),
            ("liner", items["liner"], "liner"), ("pipes", items["pipes"], "pipe"),
            ("structures", items["structures (valve, intake, distribution, control, outlet)"], "other")],
        om_fraction=d("common", "passive_om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=["Mn kinetics: A(m2) = -0.276 x Q(L/min) x log10(Cout/Cin) / (k x S x depth_m), "
                 "S = (particle area / particle volume) x (1 - porosity) (AMDTreat "
                 "CalcKineticsSaturatedLimestoneArea, CalcKineticsLimestoneSurfaceArea)"
                 if method == "kinetics" else
                 "stone volume = RT x Q / porosity (AMDTreat Mn bed retention-time method)",
                 "Mn oxidation on limestone needs water already low in Fe and Al (place it after "
                 "ponds/wetlands) and net-alkaline (Hedin/Skousen flowchart)", AMDTREAT_REF],
        details=details)


# --------------------------------------------------------------------------------------------
# aerobic wetland
# --------------------------------------------------------------------------------------------

def aerobic_wetland(
        flow_m3_d: float, *, fe_mg_L: float | None = None, mn_mg_L: float | None = None,
        net_acidity_mg_L: float | None = None, method: str = "removal_rates",
        rates: str = "compliance", fe_rate_g_m2_d: float | None = None,
        mn_rate_g_m2_d: float | None = None, retention_h: float | None = None,
        life_yr: float | None = None, compost_depth_m: float | None = None,
        free_water_m: float | None = None, freeboard_m: float | None = None,
        fines_fraction: float | None = None, pools: bool = True,
        length_width_ratio: float | None = None, side_slope: float | None = None,
        liner: str = "none", site_development: bool = True, econ: Economics | None = None,
        defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "wetland", "aerobic wetland"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults)
    check_choice("method", method, ("removal_rates", "retention_time"))
    check_choice("rates", rates, ("compliance", "improvement"))
    check_choice("liner", liner, LINERS)
    fe_rate = _opt(fe_rate_g_m2_d, d(sec, f"fe_removal_rate_{rates}"), "fe_rate_g_m2_d", lo=0.0,
                   lo_open=True)
    mn_rate = _opt(mn_rate_g_m2_d, d(sec, f"mn_removal_rate_{rates}"), "mn_rate_g_m2_d", lo=0.0,
                   lo_open=True)
    rt = _opt(retention_h, d(sec, "retention_time_h"), "retention_h", lo=0.0, lo_open=True,
              hi=10000)
    dc = _opt(compost_depth_m, d(sec, "compost_depth"), "compost_depth_m", lo=0.0, hi=10)
    fw = _opt(free_water_m, d(sec, "free_water_depth"), "free_water_m", lo=0.0, lo_open=True, hi=10)
    fb = _opt(freeboard_m, d(sec, "freeboard_depth"), "freeboard_m", lo=0.0, hi=10)
    fines = _opt(fines_fraction, d(sec, "limestone_fines_fraction"), "fines_fraction", lo=0.0,
                 hi=1.0)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    warnings: list[str] = []
    if net_acidity_mg_L is not None:
        if check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5) >= 0:
            warnings.append("aerobic wetland: net acidity >= 0; aerobic wetlands are not intended "
                            "to remove acidity, alkalinity addition is needed (AMDTreat)")
    details: dict[str, Any] = {"rates_g_m2_d": {"Fe": fe_rate, "Mn": mn_rate, "basis": rates}}
    fe = mn = None
    if fe_mg_L is not None:
        fe = check_number("fe_mg_L", fe_mg_L, lo=0.0)
    if mn_mg_L is not None:
        mn = check_number("mn_mg_L", mn_mg_L, lo=0.0)
    if method == "removal_rates":
        if fe is None or mn is None:
            missing = [n for n, v in (("fe_mg_L", fe), ("mn_mg_L", mn)) if v is None]
            raise InputError(f"{what}: method 'removal_rates' needs {' and '.join(missing)} "
                             f"(mg/L; give 0 for a metal that is absent)", column=missing[0])
        fe_load, mn_load = flow_m3_d * fe, flow_m3_d * mn
        a_fe, a_mn = fe_load / fe_rate, mn_load / mn_rate
        area = a_fe + a_mn
        if area <= 0:
            raise InputError(f"{what}: fe_mg_L and mn_mg_L are both 0; nothing to remove",
                             column="fe_mg_L")
        details.update({"fe_load_g_d": fe_load, "mn_load_g_d": mn_load, "fe_area_m2": a_fe,
                        "mn_area_m2": a_mn})
    else:
        v_w = rt * flow_m3_d / 24.0
        lbw, wbw = _bottom_from_volume(v_w, fw, z, r, what)
        area = _top(lbw, fw, z) * _top(wbw, fw, z)
        details["retention_water_m3"] = v_w
    depth = dc + fw
    lb, wb = _bottom_from_top_area(area, depth, z, r, what)
    _check_bottom(wb, what, d, warnings)
    c_lt, c_wt = _top(lb, dc, z), _top(wb, dc, z)
    compost_v = (c_lt * c_wt + lb * wb) / 2.0 * dc
    w_lt, w_wt = _top(c_lt, fw, z), _top(c_wt, fw, z)
    water_v = (w_lt * w_wt + c_lt * c_wt) / 2.0 * fw
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
                warnings.append(f"{what}: {side} pool bottom {bot_len:.2f} m x {bot_w:.2f} m is "
                                f"under 1.52 m (5 ft); AMDTreat: increase the pool length or "
                                f"decrease its depth")
            pool_v += (top_len * w_wt + max(bot_len, 0) * max(bot_w, 0)) / 2.0 * pdep
            pool_len += plen
            if side == "outlet":
                outlet_bottom_w = max(bot_w, 0.0)
    fb_lt, fb_wt = w_lt + pool_len + 2 * z * fb, _top(w_wt, fb, z)
    # rock baffles (AMDTreat CalcRockBaffleQuantity / CalcRockBaffleLimestoneVolume)
    crest = d(sec, "rock_baffle_crest_width")
    n_baffles = math.floor(w_lt / d(sec, "rock_baffle_spacing"))
    h = fw + dc
    baffle_v = n_baffles * ((w_wt * crest + max(w_wt - 2 * z * h, 0) * (crest + 2 * z * h)) / 2.0) * h
    rho_s = d("common", "limestone_solid_density")
    baffle_t = baffle_v * (1 - d(sec, "baffle_limestone_porosity")) * rho_s / 1000.0
    fines_v = compost_v * fines
    fines_t = fines_v * (1 - d(sec, "limestone_fines_void")) * rho_s / 1000.0
    organic_v = compost_v - fines_v
    liner_usd, clay_v = _liner(liner, lb, wb, fb_lt, fb_wt, depth + fb, z, sec, d)
    excavation = compost_v + water_v + pool_v + clay_v
    land = _land_berms(fb_lt, fb_wt, fb, d)
    # pipes: in/out + header across the outlet pool bottom (AMDTreat wetland pipe functions)
    nh = d(sec, "header_pipe_quantity")
    header_len = outlet_bottom_w
    couplers = math.ceil(header_len / d(sec, "header_pipe_segment_length")) * nh if header_len > 0 else 0
    inout = d(sec, "inout_pipe_length")
    pipe_usd = (inout * d(sec, "inout_pipe_unit_cost") + header_len * nh * d(sec, "header_pipe_unit_cost")
                + couplers * d(sec, "header_coupler_unit_cost") + nh * d(sec, "tee_unit_cost")
                + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate")
                + header_len * nh / d(sec, "header_pipe_install_rate") * d(sec, "labour_rate"))
    usd = money.usd
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
        "structures (distribution, control, outlet)": usd(_structures(
            sec, d, ("flow_distribution", "water_level_control", "outlet_protection"))),
    }
    compost_cost = (items["compost (organic)"] + items["compost limestone fines"]
                    + items["compost placement"] + items["planting"])
    q_h = flow_m3_d / 24.0
    details.update({"bottom_m": [lb, wb], "compost_top_m": [c_lt, c_wt],
                    "water_top_m": [w_lt, w_wt], "freeboard_top_m": [fb_lt, fb_wt],
                    "water_surface_m2": w_lt * w_wt, "rock_baffles": n_baffles,
                    "retention_h": {"water": water_v / q_h, "pools": pool_v / q_h,
                                    "compost": compost_v * _compost_porosity(fines * 100, d) / q_h},
                    "liner": liner})
    return _passive_finish(
        option="wetland", method=method, flow_m3_d=flow_m3_d, area_m2=area,
        footprint=fb_lt * fb_wt, land=land, volume=water_v + pool_v, basis="water",
        limestone_t=baffle_t + fines_t,
        materials={"compost_m3": compost_v, "compost_organic_m3": organic_v,
                   "limestone_fines_t": fines_t, "rock_baffle_limestone_t": baffle_t,
                   "rock_baffle_m3": baffle_v, "pools_m3": pool_v, "excavation_m3": excavation,
                   "clay_liner_m3": clay_v},
        items=items, sec=sec, recap=[
            ("compost and planting", compost_cost, "compost"),
            ("rock baffles", items["rock baffle limestone"] + items["rock baffle placement"], "baffle"),
            ("liner", items["liner"], "liner"), ("pipes", items["pipes"], "pipe"),
            ("structures", items["structures (distribution, control, outlet)"], "other")],
        om_fraction=d("common", "passive_om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=["metal loading (g/d) = C (mg/L) x Q (m3/d); area = Fe load / Fe rate + Mn load / "
                 "Mn rate (AMDTreat CalcMetalLoadingMetalRemovalRates, "
                 "CalcMetalSurfaceAreaMetalRemovalRates; Hedin et al. 1994 rates)"
                 if method == "removal_rates" else
                 "water volume = RT x Q in a layer of the free-water depth (AMDTreat "
                 "CalcWaterLayerBottomLengthBasedOnRetentionTime)",
                 "planting on the compost top area (AMDTreat CalcWetlandPlantingCost); rock "
                 "baffles every 30 ft (CalcRockBaffleQuantity)", AMDTREAT_REF],
        details=details)


# --------------------------------------------------------------------------------------------
# sulfate-reducing bioreactor
# --------------------------------------------------------------------------------------------

def sulfate_reducing_bioreactor(
        flow_m3_d: float, *, method: str = "sulfate_reduction",
        net_acidity_mg_L: float | None = None, so4_reduction_mg_L: float | None = None,
        so4_rate_mol_m3_d: float | None = None, alkalinity_rate_g_m2_d: float | None = None,
        volumetric_loading_m3_per_m3_d: float | None = None, life_yr: float | None = None,
        biomix_depth_m: float | None = None, aggregate_depth_m: float | None = None,
        free_water_m: float | None = None, freeboard_m: float | None = None,
        length_width_ratio: float | None = None, side_slope: float | None = None,
        liner: str = "none", site_development: bool = True, econ: Economics | None = None,
        defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "bioreactor", "bioreactor"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults)
    check_choice("method", method, ("sulfate_reduction", "alkalinity_generation", "volumetric_loading"))
    check_choice("liner", liner, LINERS)
    dso4 = _opt(so4_reduction_mg_L, d(sec, "sulfate_reduction_mg_L"), "so4_reduction_mg_L", lo=0.0,
                lo_open=True)
    so4_rate = _opt(so4_rate_mol_m3_d, d(sec, "sulfate_reduction_rate"), "so4_rate_mol_m3_d",
                    lo=0.0, lo_open=True)
    alk_rate = _opt(alkalinity_rate_g_m2_d, d(sec, "alkalinity_generation_rate"),
                    "alkalinity_rate_g_m2_d", lo=0.0, lo_open=True)
    vload = _opt(volumetric_loading_m3_per_m3_d, d(sec, "volumetric_loading"),
                 "volumetric_loading_m3_per_m3_d", lo=0.0, lo_open=True)
    dm = _opt(biomix_depth_m, d(sec, "biomix_depth"), "biomix_depth_m", lo=0.0, lo_open=True, hi=10)
    da = _opt(aggregate_depth_m, d(sec, "aggregate_depth"), "aggregate_depth_m", lo=0.0, hi=10)
    fw = _opt(free_water_m, d(sec, "free_water_depth"), "free_water_m", lo=0.0, hi=10)
    fb = _opt(freeboard_m, d(sec, "freeboard_depth"), "freeboard_m", lo=0.0, hi=10)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    warnings: list[str] = []
    if net_acidity_mg_L is not None:
        check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5)
        _acidity_warning(net_acidity_mg_L, what, warnings)
    shrink = d(sec, "biomix_shrinkage")
    details: dict[str, Any] = {}
    if method == "sulfate_reduction":
        mol_d = flow_m3_d * dso4 / _SO4_G_MOL
        v = mol_d / so4_rate * (1 + shrink)
        lb, wb = _bottom_from_volume(v, dm, z, r, what)
        details.update({"so4_reduced_mol_d": mol_d, "so4_rate_mol_m3_d": so4_rate})
    elif method == "volumetric_loading":
        v = flow_m3_d * vload
        lb, wb = _bottom_from_volume(v, dm, z, r, what)
    else:
        if net_acidity_mg_L is None or net_acidity_mg_L <= 0:
            raise InputError(f"{what}: method 'alkalinity_generation' needs net_acidity_mg_L > 0 "
                             f"(mg/L as CaCO3); got {net_acidity_mg_L!r}",
                             column="net_acidity_mg_L", value=net_acidity_mg_L)
        area = flow_m3_d * net_acidity_mg_L / alk_rate
        lb, wb = _bottom_from_top_area(area, dm, z, r, what)
        v = _layer_volume(lb, wb, dm, z)
        details["acid_load_g_d"] = flow_m3_d * net_acidity_mg_L
    mt_l, mt_w = _top(lb, dm, z), _top(wb, dm, z)
    ag_lb, ag_wb = lb - 2 * z * da, wb - 2 * z * da
    if ag_wb <= 0 or ag_lb <= 0:
        raise InputError(f"{what}: the drainage aggregate ({da:.3g} m) leaves no pond bottom "
                         f"under a bio-mix bottom of {lb:.2f} x {wb:.2f} m; reduce aggregate_depth_m",
                         column="aggregate_depth_m")
    _check_bottom(ag_wb, what, d, warnings)
    agg_v = (lb * wb + ag_lb * ag_wb) / 2.0 * da
    w_lt, w_wt = _top(mt_l, fw, z), _top(mt_w, fw, z)
    water_v = (w_lt * w_wt + mt_l * mt_w) / 2.0 * fw
    fb_lt, fb_wt = _top(w_lt, fb, z), _top(w_wt, fb, z)
    fr = {k: d(sec, f"{k}_fraction") for k in ("fines", "manure", "hay", "other")}
    fr["wood_chips"] = 1.0 - sum(fr.values())
    if fr["wood_chips"] < 0:
        raise InputError(f"{what}: bio-mix fractions exceed 100 % (AMDTreat: wood chips must be "
                         f">= 0 %)", column="biomix")
    comp_v = {k: v * f for k, f in fr.items()}
    comp_t = {k: comp_v[k] * d(sec, f"{k}_density") / 1000.0 for k in fr}
    agg_t = agg_v * d(sec, "aggregate_bulk_density") / 1000.0
    liner_usd, clay_v = _liner(liner, ag_lb, ag_wb, fb_lt, fb_wt, da + dm + fw + fb, z, sec, d)
    excavation = agg_v + v + water_v + clay_v
    land = _land_berms(fb_lt, fb_wt, fb, d)
    pipe_usd, pipe_info = _trunk_spur_pipes(sec, ag_lb, ag_wb, d)
    usd = money.usd
    items = {"excavation": usd(excavation * d(sec, "excavation_unit_cost"))}
    for k in fr:
        items[f"bio-mix {k.replace('_', ' ')}"] = usd(comp_t[k] * d(sec, f"{k}_unit_cost"))
    items["bio-mix placement"] = usd(v * d(sec, "biomix_placement_unit_cost"))
    items["drainage aggregate"] = usd(agg_t * d(sec, "aggregate_unit_cost")
                                      + agg_v * d(sec, "aggregate_placement_unit_cost"))
    items["liner"] = usd(liner_usd)
    items["pipes (under-drain)"] = usd(pipe_usd)
    items["structures (valve, intake, distribution, control, outlet)"] = usd(_structures(sec, d))
    biomix_cost = sum(vv for kk, vv in items.items() if kk.startswith("bio-mix"))
    q_h = flow_m3_d / 24.0
    details.update({"biomix_bottom_m": [lb, wb], "biomix_top_m": [mt_l, mt_w],
                    "aggregate_bottom_m": [ag_lb, ag_wb], "freeboard_top_m": [fb_lt, fb_wt],
                    "mix_fractions": fr,
                    "retention_h": {"free_water": water_v / q_h,
                                    "biomix_total_volume": v / q_h},
                    "pipes": pipe_info, "liner": liner})
    materials = {"biomix_m3": v, "aggregate_m3": agg_v, "aggregate_t": agg_t,
                 "free_water_m3": water_v, "excavation_m3": excavation, "clay_liner_m3": clay_v}
    for k in fr:
        materials[f"{k}_m3"] = comp_v[k]
        materials[f"{k}_t"] = comp_t[k]
    return _passive_finish(
        option="bioreactor", method=method, flow_m3_d=flow_m3_d, area_m2=mt_l * mt_w,
        footprint=fb_lt * fb_wt, land=land, volume=v, basis="media", limestone_t=comp_t["fines"],
        materials=materials, items=items, sec=sec, recap=[
            ("bio-mix", biomix_cost, "biomix"), ("aggregate", items["drainage aggregate"], "aggregate"),
            ("liner", items["liner"], "liner"), ("pipes", items["pipes (under-drain)"], "pipe"),
            ("structures", items["structures (valve, intake, distribution, control, outlet)"], "other")],
        om_fraction=d("common", "passive_om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=[{"sulfate_reduction": "bio-mix volume = Q x dSO4 / 96.06 g/mol / rate x (1 + "
                  "shrinkage) (AMDTreat CalcBioMixVolumeBasedOnSulfateReduction; used in m3, see "
                  "Notes)",
                  "alkalinity_generation": "bio-mix top area = Q x net acidity / rate (AMDTreat "
                  "CalcSurfaceAreaTopOfBioMixBasedOnAlkalinityGenerationRate)",
                  "volumetric_loading": "bio-mix volume = Q x 500 ft3/gpm (AMDTreat "
                  "CalcBioMixVolumeBasedOnPilotTesting)"}[method], AMDTREAT_REF],
        details=details)


# --------------------------------------------------------------------------------------------
# settling pond
# --------------------------------------------------------------------------------------------

def settling_pond(
        flow_m3_d: float, *, retention_h: float | None = None, fe2_mg_L: float = 0.0,
        fe3_mg_L: float = 0.0, al_mg_L: float = 0.0, mn_mg_L: float = 0.0,
        sludge_dry_mg_L: float | None = None, solids_fraction: float | None = None,
        life_yr: float | None = None, length_width_ratio: float | None = None,
        side_slope: float | None = None, site_development: bool = True,
        econ: Economics | None = None, defaults: AmdTreatDefaults | None = None) -> OptionResult:
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
    sec, what = "ponds", "settling pond"
    money, d, life = _common_checks(flow_m3_d, life_yr, econ, defaults)
    rt = _opt(retention_h, d(sec, "settling_retention_time_h"), "retention_h", lo=0.0, lo_open=True,
              hi=10000)
    p = _opt(solids_fraction, d(sec, "sludge_solids_fraction"), "solids_fraction", lo=0.001, hi=0.8)
    r = _opt(length_width_ratio, d(sec, "bottom_length_width_ratio"), "length_width_ratio", lo=0.0,
             lo_open=True, hi=100)
    z = _opt(side_slope, d("common", "side_slope_H_V"), "side_slope", lo=0.0, hi=10)
    parts = sludge_dry_solids_mg_L(fe2_mg_L=fe2_mg_L, fe3_mg_L=fe3_mg_L, al_mg_L=al_mg_L,
                                   mn_mg_L=mn_mg_L, defaults=d)
    sg = solids_sg(parts, d)
    dry = parts["total"] if sludge_dry_mg_L is None else check_number("sludge_dry_mg_L", sludge_dry_mg_L, lo=0.0)
    warnings: list[str] = []
    ds, dsl = d(sec, "settling_depth"), d(sec, "sludge_depth")
    dox, fb = d(sec, "oxidation_depth"), d(sec, "freeboard_depth")
    v_set = rt * flow_m3_d / 24.0
    lb, wb = _bottom_from_volume(v_set, ds, z, r, what)
    s_lt, s_wt = _top(lb, ds, z), _top(wb, ds, z)
    sl_lb, sl_wb = lb - 2 * z * dsl, wb - 2 * z * dsl
    if sl_lb <= 0 or sl_wb <= 0:
        raise InputError(f"{what}: the {dsl:.2f} m sludge layer leaves no pond bottom under a "
                         f"settling layer of {lb:.2f} x {wb:.2f} m; raise retention_h or the flow",
                         column="retention_h")
    _check_bottom(sl_wb, what, d, warnings)
    v_sludge_store = (lb * wb + sl_lb * sl_wb) / 2.0 * dsl
    o_lt, o_wt = _top(s_lt, dox, z), _top(s_wt, dox, z)
    v_ox = (o_lt * o_wt + s_lt * s_wt) / 2.0 * dox
    fb_lt, fb_wt = _top(o_lt, fb, z), _top(o_wt, fb, z)
    excavation = v_sludge_store + v_set + v_ox
    land = _land_berms(fb_lt, fb_wt, fb, d)
    dry_t_yr = flow_m3_d * dry * 365.0 / 1e6
    rho = sludge_density_kg_m3(p, sg)
    wet_m3_yr = dry_t_yr * 1000.0 / (p * rho)
    pdw = d(sec, "dewatered_solids_fraction")
    dewatered_m3_yr = dry_t_yr * 1000.0 / (pdw * sludge_density_kg_m3(pdw, sg))
    cleanout_yr = v_sludge_store / wet_m3_yr if wet_m3_yr > 0 else math.inf
    if wet_m3_yr > 0 and cleanout_yr < 1.0:
        warnings.append(f"{what}: the sludge layer ({v_sludge_store:.0f} m3) fills in "
                        f"{cleanout_yr * 12:.1f} months at {p * 100:g} % solids; plan more "
                        f"frequent clean-out, a deeper sludge layer or mechanical dewatering")
    inout = d(sec, "inout_pipe_length")
    pipe_usd = (inout * d(sec, "inout_pipe_unit_cost")
                + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate"))
    usd = money.usd
    items = {
        "excavation": usd(excavation * d(sec, "excavation_unit_cost")),
        "pipes": usd(pipe_usd),
        "baffle": usd(d(sec, "baffle_length") * d(sec, "baffle_unit_cost")),
        "structures (valve, intake, distribution, control, outlet)": usd(_structures(sec, d)),
    }
    disposal = dry_t_yr * money.econ.sludge_disposal_CNY_t_dry
    return _passive_finish(
        option="settling_pond", method="retention_time", flow_m3_d=flow_m3_d,
        area_m2=o_lt * o_wt, footprint=fb_lt * fb_wt, land=land, volume=v_set + v_ox,
        basis="water", limestone_t=0.0,
        materials={"sludge_dry_t_yr": dry_t_yr, "sludge_wet_m3_yr": wet_m3_yr,
                   "sludge_dewatered_m3_yr": dewatered_m3_yr, "sludge_storage_m3": v_sludge_store,
                   "excavation_m3": excavation},
        items=items, sec=sec, recap=[
            ("pipes", items["pipes"], "pipe"),
            ("structures and baffle", items["structures (valve, intake, distribution, control, outlet)"]
             + items["baffle"], "other")],
        om_fraction=d(sec, "om_fraction"), life=life, money=money,
        site_development=site_development, warnings=warnings,
        sources=["settling volume = RT x Q; dry solids = 2.88 Al + 1.6 Fe(II) + 1.9 Fe(III) + 1.6 "
                 "Mn (AMDTreat PondsCalculations); sludge density = 1000 SG / (SG - p (SG - 1)) "
                 "(CalcSludgeDensity); sludge disposal at economics.toml sludge_CNY_t_dry",
                 AMDTREAT_REF],
        details={"settling_bottom_m": [lb, wb], "sludge_bottom_m": [sl_lb, sl_wb],
                 "water_top_m": [o_lt, o_wt], "freeboard_top_m": [fb_lt, fb_wt],
                 "sludge_dry_mg_L": dry, "sludge_parts_mg_L": parts, "solids_sg": sg,
                 "sludge_density_kg_m3": rho, "solids_fraction": p,
                 "cleanout_interval_yr": cleanout_yr if math.isfinite(cleanout_yr) else None,
                 "retention_h": (v_set + v_ox) / (flow_m3_d / 24.0)},
        extra_opex={"sludge disposal (Chinese price per dry t)": disposal})
