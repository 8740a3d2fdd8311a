"""Active (chemical) treatment options sized by AMDTreat 6's rules in SI units, costed in CNY.

Each option is a reagent system + reaction tank + clarifier + sludge handling:

* :func:`caustic_soda`  — NaOH solution tank, metering pump and pH controller (AMDTreat caustic soda);
* :func:`hydrated_lime` — Ca(OH)2 silo system (AMDTreat dry lime, hydrated);
* :func:`quicklime`     — pebble CaO silo system with slaker (AMDTreat dry lime, quicklime);
* :func:`lime_slurry`   — delivered Ca(OH)2 slurry tank and metering pumps (AMDTreat lime slurry);

all through :func:`active_treatment`.  Units: flow m3/d, acidity mg/L as CaCO3, dose mg/L of the
active compound, money CNY of the economics price year.

Reagent quantity
----------------
Either an externally given dose ``dose_mg_L`` (mg of NaOH, Ca(OH)2 or CaO per litre treated, e.g.
the PHREEQC titration dose of :mod:`cbmwater.minewater.neutralise`) or AMDTreat's stoichiometric
rule from the net (hot) acidity::

    mol CaCO3-acidity/d = acidity (g/m3) x Q (m3/d) / 100.09
    NaOH   : 2 mol per mol CaCO3 x 40.00 g/mol     (AMDTreat CalcPoundsCausticSodaPerYear)
    Ca(OH)2: 1 mol per mol CaCO3 x 74.09 g/mol
    CaO    : 1 mol per mol CaCO3 x 56.08 g/mol

AMDTreat's dry-lime code (``CalcLimeDailyConsumptionTonsStoichiometric``) uses 56.1 g/mol for
*both* hydrated lime and quicklime, which under-states hydrated lime by 24 %; its lime-slurry code
uses 74.13.  Here each product uses its own molar mass.  The feed is the reacting dose divided by
the dissolution/mixing efficiency (applied to a titration dose too, since PHREEQC assumes complete
dissolution); the product mass is the feed divided by the product purity.

Prices
------
Reagents are priced per kg of active compound at the Chinese price of
``cbmwater/databases/treatment/economics.toml`` (``caustic_soda`` 32 % liquid, ``lime``, ``quicklime``:
price per tonne of product / purity), whatever the AMDTreat product purity or solution strength;
electricity, labour and sludge disposal also use ``economics.toml``.  Equipment costs are
AMDTreat's USD unit costs converted with the location factor (see
:mod:`cbmwater.minewater.options`).

References
----------
AMDTreat 6 C# source jlant/amdtreat@5a292e0: ``CausticSodaCalculations.cs``,
``DryLimeCalculations.cs``, ``LimeSlurryCalculations.cs``, ``ReactionTankCalculations.cs``,
``ClarifierCalculations.cs`` and the matching ``default-data-*.xml``; reference/amd.md (a), (c).
"""

from __future__ import annotations

import math
from typing import Any, TypedDict

from ..errors import InputError
from ..i18n import Message, Text, named
from ..treatment.economics import Economics
from .options import (
    AMDTREAT_REF,
    MOLAR_MASS_G_MOL,
    AmdTreatDefaults,
    Money,
    OptionResult,
    check_choice,
    check_number,
    finish,
    load_amdtreat,
    sludge_density_kg_m3,
    sludge_dry_solids_mg_L,
    solids_sg,
)

__all__ = [
    "REAGENTS",
    "CLARIFIER_DESIGNS",
    "stoichiometric_dose_mg_L",
    "caustic_demand",
    "lime_demand",
    "active_treatment",
    "caustic_soda",
    "hydrated_lime",
    "quicklime",
    "lime_slurry",
]


class _ReagentOption(TypedDict):
    formula: str  # active compound (a key of MOLAR_MASS_G_MOL)
    mol_per_mol_CaCO3: float
    chemical: str  # economics.toml chemical


#: Reagent options: active compound, mol per mol CaCO3 acidity, economics.toml chemical.
REAGENTS: dict[str, _ReagentOption] = {
    "caustic": {"formula": "NaOH", "mol_per_mol_CaCO3": 2.0, "chemical": "caustic_soda"},
    "hydrated_lime": {"formula": "Ca(OH)2", "mol_per_mol_CaCO3": 1.0, "chemical": "lime"},
    "quicklime": {"formula": "CaO", "mol_per_mol_CaCO3": 1.0, "chemical": "quicklime"},
    "lime_slurry": {"formula": "Ca(OH)2", "mol_per_mol_CaCO3": 1.0, "chemical": "lime"},
}
#: Clarifier designs: conventional (low-density sludge) or solids contact (HDS-like).
CLARIFIER_DESIGNS = ("conventional", "solids_contact")
_FT = 0.3048
_G = 9.80665


def stoichiometric_dose_mg_L(net_acidity_mg_L: float, reagent: str) -> float:
    """Reacting dose of the active compound that neutralises ``net_acidity_mg_L``, mg/L.

    ``dose = acidity / 100.09 x n x M`` (n = 2 for NaOH, 1 for Ca(OH)2 and CaO): 0.799 mg NaOH,
    0.740 mg Ca(OH)2 or 0.560 mg CaO per mg CaCO3 (reference/amd.md (c): 0.80, 0.74, 0.56).
    """
    check_choice("reagent", reagent, tuple(REAGENTS))
    acid = check_number("net_acidity_mg_L", net_acidity_mg_L, lo=0.0, lo_open=True)
    r = REAGENTS[reagent]
    return (
        acid / MOLAR_MASS_G_MOL["CaCO3"] * r["mol_per_mol_CaCO3"] * MOLAR_MASS_G_MOL[r["formula"]]
    )


def caustic_demand(
    flow_m3_d: float,
    net_acidity_mg_L: float,
    *,
    solution_pct: float = 50,
    purity: float | None = None,
    mixing_efficiency: float | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> dict[str, float]:
    """AMDTreat's stoichiometric caustic-soda demand in SI units.

    Parameters
    ----------
    flow_m3_d : float
        Flow treated, m3/d (AMDTreat's "typical flow").
    net_acidity_mg_L : float
        Net acidity, mg/L as CaCO3.
    solution_pct : {20, 25, 32, 50}
        Solution strength, % NaOH.  20/25/50 use AMDTreat's lb NaOH per gallon (2.035, 2.669,
        6.338 -> 243.8, 319.8, 759.5 kg/m3); 32 is the Chinese 32 % liquid (431.7 kg/m3, U).
    purity, mixing_efficiency : float, optional
        AMDTreat 0.99 and 1.0.

    Returns
    -------
    dict
        ``acidity_mol_yr``, ``NaOH_kg_yr`` (2 mol NaOH per mol CaCO3, 100 % NaOH), ``NaOH_kg_m3``
        (NaOH per m3 of solution) and ``solution_m3_yr`` = kg / (kg/m3) / efficiency / purity.

    Notes
    -----
    AMDTreat default (35 gpm = 190.8 m3/d, 98 mg/L): 68 236 mol/yr -> 12 035 lb = 5459 kg NaOH/yr
    -> 1918 gal = 7.26 m3/yr of 50 % solution (AMDTreat takes 100 g/mol for CaCO3; 100.09 here).
    """
    d = defaults if defaults is not None else load_amdtreat()
    q = check_number("flow_m3_d", flow_m3_d, lo=0.0, lo_open=True)
    acid = check_number("net_acidity_mg_L", net_acidity_mg_L, lo=0.0)
    pur = check_number(
        "purity", d("caustic", "purity") if purity is None else purity, lo=0.0, lo_open=True, hi=1.0
    )
    eff = check_number(
        "mixing_efficiency",
        d("caustic", "mixing_efficiency") if mixing_efficiency is None else mixing_efficiency,
        lo=0.0,
        lo_open=True,
        hi=1.0,
    )
    kg_m3 = _naoh_kg_m3(solution_pct, d)
    mol_yr = acid * q * 365.0 / MOLAR_MASS_G_MOL["CaCO3"]
    naoh_kg = mol_yr * 2.0 * MOLAR_MASS_G_MOL["NaOH"] / 1000.0
    return {
        "acidity_mol_yr": mol_yr,
        "NaOH_kg_yr": naoh_kg,
        "NaOH_kg_m3": kg_m3,
        "solution_m3_yr": naoh_kg / kg_m3 / eff / pur,
        "purity": pur,
        "mixing_efficiency": eff,
    }


def lime_demand(
    flow_m3_d: float,
    net_acidity_mg_L: float,
    *,
    product: str = "hydrated_lime",
    purity: float | None = None,
    efficiency: float | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> dict[str, float]:
    """AMDTreat's stoichiometric dry-lime demand in SI units, with the right molar mass.

    ``product kg/d = acidity x Q / 100.09 x M / 1000 / purity / efficiency`` with M = 74.09
    (hydrated lime, lime slurry) or 56.08 (quicklime).  AMDTreat
    (``CalcLimeDailyConsumptionTonsStoichiometric``) uses 56.1 for both dry products.

    Returns
    -------
    dict
        ``active_kg_d`` (reacting), ``feed_kg_d`` (/ efficiency), ``product_kg_d`` (/ purity),
        ``product_t_yr``, ``purity``, ``efficiency``.
    """
    d = defaults if defaults is not None else load_amdtreat()
    check_choice("product", product, ("hydrated_lime", "quicklime", "lime_slurry"))
    q = check_number("flow_m3_d", flow_m3_d, lo=0.0, lo_open=True)
    pur_d, eff_d = _lime_defaults(product, d)
    pur = check_number("purity", pur_d if purity is None else purity, lo=0.0, lo_open=True, hi=1.0)
    eff = check_number(
        "efficiency", eff_d if efficiency is None else efficiency, lo=0.0, lo_open=True, hi=1.0
    )
    active = stoichiometric_dose_mg_L(net_acidity_mg_L, product) * q / 1000.0
    feed = active / eff
    prod = feed / pur
    return {
        "active_kg_d": active,
        "feed_kg_d": feed,
        "product_kg_d": prod,
        "product_t_yr": prod * 365.0 / 1000.0,
        "purity": pur,
        "efficiency": eff,
    }


def _naoh_kg_m3(solution_pct: float, d: AmdTreatDefaults) -> float:
    """kg NaOH per m3 of caustic solution of ``solution_pct`` % (20/25/50: AMDTreat lb/gal;
    32: Chinese 32 % liquid, assumption U)."""
    strengths = {
        20: d("caustic", "solution_lb_per_gal_20"),
        25: d("caustic", "solution_lb_per_gal_25"),
        32: d("china", "naoh_32pct_kg_per_m3"),
        50: d("caustic", "solution_lb_per_gal_50"),
    }
    if isinstance(solution_pct, bool) or solution_pct not in strengths:
        raise InputError(
            Text.of("minewater.error.solution_pct", got=repr(solution_pct)),
            column="solution_pct",
            value=solution_pct,
        )
    return strengths[int(solution_pct)]


def _lime_defaults(product: str, d: AmdTreatDefaults) -> tuple[float, float]:
    if product == "hydrated_lime":
        return d("dry_lime", "hydrated_purity"), d("dry_lime", "hydrated_efficiency")
    if product == "quicklime":
        return d("dry_lime", "quicklime_purity"), d("dry_lime", "quicklime_efficiency")
    return d("lime_slurry", "purity"), d("lime_slurry", "efficiency")


# --------------------------------------------------------------------------------------------
# components
# --------------------------------------------------------------------------------------------


def _pump_kW(flow_m3_d: float, head_m: float, rho: float, d: AmdTreatDefaults) -> float:
    """Shaft power, kW (AMDTreat pump formula in SI: rho g Q H / eta / (1 - safety))."""
    return (
        rho
        * _G
        * flow_m3_d
        / 86400.0
        * head_m
        / 1000.0
        / d("clarifier", "pump_efficiency")
        / (1.0 - d("clarifier", "pump_safety_factor"))
    )


def _reaction_tank(flow_m3_d: float, retention_min: float, money: Money) -> dict[str, Any]:
    """Smallest AMDTreat reaction tank (or several 90 000 gal tanks) holding Q x RT."""
    d, usd = money.d, money.usd
    need = flow_m3_d * retention_min / 1440.0
    gal = 0.003785411784
    choices = [
        ("fiberglass", 10000),
        ("fiberglass", 20000),
        ("fiberglass", 30000),
        ("concrete", 60000),
        ("concrete", 90000),
    ]
    kind, nominal = choices[-1]
    n = 1
    for k, g in choices:
        if g * gal >= need:
            kind, nominal = k, g
            break
    else:
        n = math.ceil(need / (90000 * gal))
    sec = "reaction_tank"
    diam = d(sec, f"{kind}_{nominal}_diameter")
    height = d(sec, f"{kind}_{nominal}_height")
    mixer_kw = d(sec, f"mixer_{nominal}_power")
    tank = n * d(sec, f"{kind}_{nominal}_cost")
    mixer = n * d(sec, f"mixer_{nominal}_cost")
    vfd = n * mixer_kw * d(sec, "vfd_unit_cost")
    stairs = n * d(sec, "stairs_unit_cost") * (height / _FT) / 0.707 / 12.0
    catwalk = n * diam * d(sec, "catwalk_unit_cost")
    f_area = math.pi * ((diam + 2 * _FT) / 2.0) ** 2
    f_depth = d(sec, f"foundation_depth_{kind}")
    foundation = n * f_area * f_depth * d(sec, "foundation_concrete_unit_cost")
    equipment = tank + mixer + vfd + stairs + catwalk
    install = (equipment + foundation) * d(sec, "install_fraction")
    items = {
        "reaction tank": usd(tank),
        "reaction tank mixer + VFD": usd(mixer + vfd),
        "reaction tank stairs + catwalk": usd(stairs + catwalk),
        "reaction tank foundation": usd(foundation),
        "reaction tank installation (125 %)": usd(install),
    }
    vol = n * nominal * gal
    return {
        "items": items,
        "volume_m3": vol,
        "n": n,
        "kind": kind,
        "nominal_gal": nominal,
        "diameter_m": diam,
        "retention_min": vol / flow_m3_d * 1440.0,
        "footprint_m2": n * f_area,
        "kWh_yr": n * mixer_kw * 24 * 365,
        "recap": [
            ("reaction tank", usd(tank), d(sec, f"recap_life_{kind}"), 1.0),
            ("reaction tank mixer", usd(mixer), d(sec, "recap_life_mixer"), 1.0),
            (
                "reaction tank mixer rebuild",
                usd(mixer),
                d(sec, "recap_life_mixer_rebuild"),
                d(sec, "recap_fraction_mixer_rebuild"),
            ),
            ("reaction tank VFD", usd(vfd), d(sec, "recap_life_vfd"), 1.0),
        ],
    }


def _clarifier(
    flow_m3_d: float, design: str, sludge_wet_m3_d: float, sludge_rho: float, money: Money
) -> dict[str, Any]:
    """AMDTreat clarifier (concrete) sized by surface loading, with sludge pumps."""
    d, usd = money.d, money.usd
    sec = "clarifier"
    loading = d(
        sec, "loading_conventional" if design == "conventional" else "loading_solids_contact"
    )
    area = flow_m3_d / loading
    diam = math.sqrt(4.0 * area / math.pi)
    h_w, fb = d(sec, "water_height"), d(sec, "freeboard")
    vol_tank = area * (h_w + fb)
    factor = d(
        sec,
        "internals_factor_conventional"
        if design == "conventional"
        else "internals_factor_solids_contact",
    )
    tank = vol_tank * d(sec, "concrete_cost_factor")
    internals = factor * max(math.log(diam / _FT), 0.0)
    weir = math.pi * diam * d(sec, "weir_unit_cost")
    catwalk = diam * d(sec, "catwalk_unit_cost")
    baffle = math.pi * diam * d(sec, "baffle_unit_cost")
    f_area = math.pi * ((diam + 2 * _FT) / 2.0) ** 2
    foundation = (
        f_area * d(sec, "foundation_depth_concrete") * d(sec, "foundation_concrete_unit_cost")
    )
    install = (tank + internals + weir + catwalk + baffle + foundation) * d(sec, "install_fraction")
    head = h_w + fb + d(sec, "pump_head_allowance")
    svf = d(sec, "sludge_volume_fraction")
    disposal_flow = 1.5 * flow_m3_d * svf
    disposal_kw = _pump_kW(disposal_flow, head, sludge_rho, d)
    n_disp = d(sec, "sludge_disposal_pump_quantity")
    recirc_kw = 0.0
    kwh = d(sec, "rake_drive_power") * 24 * 365
    if design == "solids_contact":
        recirc_kw = _pump_kW(5.0 * flow_m3_d * svf, head, sludge_rho, d)
        d_ft = diam / _FT
        imp = (
            d(sec, "impeller_power_small")
            if d_ft < 90
            else (
                d(sec, "impeller_power_medium") if d_ft <= 125 else d(sec, "impeller_power_large")
            )
        )
        kwh += (imp + recirc_kw) * 24 * 365
    pump_hours_d = min(24.0, sludge_wet_m3_d / disposal_flow * 24.0) if disposal_flow > 0 else 0.0
    kwh += disposal_kw * pump_hours_d * 365
    pumps = (recirc_kw + n_disp * disposal_kw) * d(sec, "pump_unit_cost")
    items = {
        "clarifier tank": usd(tank),
        "clarifier internals": usd(internals),
        "clarifier weir, catwalk, baffle": usd(weir + catwalk + baffle),
        "clarifier foundation": usd(foundation),
        "clarifier installation (40 %)": usd(install),
        "sludge pumps": usd(pumps),
    }
    return {
        "items": items,
        "area_m2": area,
        "diameter_m": diam,
        "water_m3": area * h_w,
        "footprint_m2": f_area,
        "kWh_yr": kwh,
        "loading_m3_m2_d": loading,
        "recirculation_kW": recirc_kw,
        "disposal_pump_kW": disposal_kw,
        "recap": [
            ("clarifier weir", usd(weir), d(sec, "recap_life_weir"), 1.0),
            ("clarifier catwalk", usd(catwalk), d(sec, "recap_life_catwalk"), 1.0),
            ("sludge pumps", usd(pumps), d(sec, "recap_life_pump"), 1.0),
            (
                "sludge pump rebuild",
                usd(pumps),
                d(sec, "recap_life_pump_rebuild"),
                d(sec, "recap_fraction_pump_rebuild"),
            ),
        ],
    }


def _caustic_system(solution_m3_d: float, money: Money) -> dict[str, Any]:
    d, usd = money.d, money.usd
    sec = "caustic"
    tank_m3 = max(d(sec, "tank_volume"), solution_m3_d * d("china", "caustic_storage_days"))
    tank = tank_m3 * d(sec, "tank_plastic_unit_cost")
    auto = d(sec, "pid_controller_cost") + d(sec, "ph_probe_cost") + d(sec, "metering_pump_cost")
    valves = d(sec, "valve_quantity") * d(sec, "valve_unit_cost")
    feeder = d(sec, "feeder_line_length") * d(sec, "feeder_line_unit_cost")
    sub = tank + auto + valves + feeder
    items = {
        "caustic tank": usd(tank),
        "caustic pump, pH controller and probe": usd(auto),
        "caustic valves and feeder line": usd(valves + feeder),
        "caustic system installation (40 %)": usd(sub * d(sec, "install_fraction")),
    }
    kwh = d(sec, "pump_power") * d(sec, "pump_hours_per_day") * 365
    return {
        "items": items,
        "kWh_yr": kwh,
        "tank_m3": tank_m3,
        # foundation as AMDTreat's slurry-tank estimate: (2 r + 2 ft)^2 at a 15 ft tank height
        "footprint_m2": (
            2 * math.sqrt(tank_m3 / (math.pi * d("lime_slurry", "tank_height"))) + 2 * _FT
        )
        ** 2,
        "annual_usd": {"pH probe replacement": d(sec, "ph_probe_cost")},
        "recap": [
            (
                "caustic tank",
                usd(tank + feeder + valves),
                d(sec, "recap_life_tank"),
                d(sec, "recap_fraction_tank"),
            ),
            (
                "pH controller",
                usd(d(sec, "pid_controller_cost")),
                d(sec, "recap_life_controller"),
                d(sec, "recap_fraction_controller"),
            ),
            (
                "metering pump",
                usd(d(sec, "metering_pump_cost")),
                d(sec, "recap_life_pump"),
                d(sec, "recap_fraction_pump"),
            ),
        ],
    }


def _option(name: str) -> Message:
    """An option (reagent system) by its name message, ``minewater.option.<name>``."""
    return Message(f"minewater.option.{name}")


def _silo_system(
    product: str, product_kg_d: float, money: Money, warnings: list[str]
) -> dict[str, Any]:
    d, usd = money.d, money.usd
    sec = "dry_lime"
    store_t = product_kg_d / 1000.0 * d("china", "lime_storage_days")
    sizes = (30, 60, 90, 120)
    n, size_ = 1, 120
    for s in sizes:
        if d(sec, f"silo_{s}_capacity") >= store_t:
            size_ = s
            break
    else:
        n = math.ceil(store_t / d(sec, "silo_120_capacity"))
    kind = "hydrated" if product == "hydrated_lime" else "quicklime"
    system = n * d(sec, f"silo_{size_}_cost_{kind}")
    foundation = (
        n * d(sec, f"silo_{size_}_concrete_volume") * d(sec, "foundation_concrete_unit_cost")
    )
    install = (system + foundation) * d(sec, "install_fraction")
    items = {
        f"lime silo system ({n} x {size_} short-ton, {kind})": usd(system),
        "silo foundation": usd(foundation),
        "silo system installation": usd(install),
    }
    fill_interval_d = (
        n * d(sec, f"silo_{size_}_capacity") * 1000.0 / product_kg_d
        if product_kg_d > 0
        else math.inf
    )
    kwh = (
        d(sec, "dust_blower_power")
        * 365.0
        / fill_interval_d
        * d(sec, "dust_blower_minutes_per_fill")
        / 60.0
        + n
        * d(sec, "bin_activator_power")
        * (d(sec, "bin_activator_seconds_per_5min") / 300.0)
        * 24
        * 365
        + d(sec, "screw_feeder_power") * d(sec, "screw_feeder_hours_per_day") * 365
        + (d(sec, "slurry_mixer_power") + d(sec, "slurry_pump_power"))
        * d(sec, "slurry_mixer_pump_hours_per_day")
        * 365
        + n * d(sec, "exhaust_fan_power") * d(sec, "exhaust_fan_hours_per_day") * 365
        + n
        * d(sec, "space_heater_power")
        * d(sec, "space_heater_hours_per_day")
        * d(sec, "space_heater_days_per_year")
    )
    if store_t < 0.1 * d(sec, "silo_30_capacity"):
        warnings.append(
            Text.of("minewater.active.silo_oversized", product=_option(product), store_t=store_t)
        )
    recap = [
        (f"silo {c}", usd(n * d(sec, f"{c}_unit_cost")), d(sec, f"recap_life_{c}"), 1.0)
        for c in ("silo", "bin_activator", "screw_feeder", "slurry_mixer", "slurry_pump")
    ]
    if kind == "quicklime":
        recap.append(
            ("slaker", usd(n * d(sec, "slaker_unit_cost")), d(sec, "recap_life_slaker"), 1.0)
        )
    return {
        "items": items,
        "kWh_yr": kwh,
        "storage_t": store_t,
        "silos": n,
        "silo_short_t": size_,
        "footprint_m2": n * d(sec, f"silo_{size_}_foundation_area"),
        "fill_interval_d": fill_interval_d,
        "annual_usd": {},
        "recap": recap,
    }


def _slurry_system(product_kg_d: float, money: Money) -> dict[str, Any]:
    d, usd = money.d, money.usd
    sec = "lime_slurry"
    w = d(sec, "slurry_fraction")
    rho = w * d(sec, "density_solid") + (1 - w) * d(sec, "density_liquid")
    slurry_m3_d = product_kg_d / w / rho
    tank_v = d(sec, "tank_volume")
    n = max(1, math.ceil(slurry_m3_d * d("china", "lime_storage_days") / (0.9 * tank_v)))
    n_pumps = d(sec, "metering_pump_quantity")
    equip = (
        d(sec, "panel_cost")
        + n * d(sec, "tank_cost")
        + d(sec, "tubing_length") * d(sec, "tubing_unit_cost")
        + n * d(sec, "agitator_cost")
        + n_pumps * d(sec, "metering_pump_cost")
        + d(sec, "heat_blanket_quantity") * d(sec, "heat_blanket_cost")
        + d(sec, "heat_tracing_length") * d(sec, "heat_tracing_unit_cost")
        + d(sec, "ph_controller_cost")
        + d(sec, "ph_probe_cost")
        + d(sec, "telemetry_cost")
    )
    height = d(sec, "tank_height")
    side = math.sqrt(tank_v / (math.pi * height)) * 2 + 2 * _FT
    f_area = n * side * side
    foundation = f_area * d(sec, "slab_thickness") * d(sec, "foundation_concrete_unit_cost") + d(
        sec, "pump_housing_cost"
    )
    sub = equip + foundation
    items = {
        "lime slurry tank(s), agitator, pumps, heating, pH control": usd(equip),
        "slurry tank foundation and pump housing": usd(foundation),
        "slurry system installation (40 %)": usd(sub * d(sec, "install_fraction")),
    }
    months_d = 365.0 / 12.0
    kwh = (
        n * d(sec, "agitator_power") * 24 * 365
        + n_pumps * d(sec, "metering_pump_power") * 24 * 365
        + d(sec, "heat_blanket_quantity")
        * d(sec, "heat_blanket_power")
        * d(sec, "heat_blanket_hours_per_day")
        * d(sec, "heat_blanket_months")
        * months_d
        + d(sec, "heat_tracing_length")
        * d(sec, "heat_tracing_power")
        * d(sec, "heat_tracing_hours_per_day")
        * d(sec, "heat_tracing_months")
        * months_d
    )
    recap = [
        ("slurry tank", usd(n * d(sec, "tank_cost")), d(sec, "recap_life_tank"), 1.0),
        ("slurry agitator", usd(n * d(sec, "agitator_cost")), d(sec, "recap_life_agitator"), 1.0),
        (
            "metering pumps",
            usd(n_pumps * d(sec, "metering_pump_cost")),
            d(sec, "recap_life_pump"),
            1.0,
        ),
        ("pH controller", usd(d(sec, "ph_controller_cost")), d(sec, "recap_life_controller"), 1.0),
        ("pH probe", usd(d(sec, "ph_probe_cost")), d(sec, "recap_life_probe"), 1.0),
        (
            "heat blankets",
            usd(d(sec, "heat_blanket_quantity") * d(sec, "heat_blanket_cost")),
            d(sec, "recap_life_heat_blanket"),
            1.0,
        ),
    ]
    return {
        "items": items,
        "kWh_yr": kwh,
        "tanks": n,
        "slurry_m3_d": slurry_m3_d,
        "slurry_density_kg_m3": rho,
        "footprint_m2": f_area,
        "annual_usd": {"cellular telemetry": 12 * d(sec, "cellular_monthly_cost")},
        "recap": recap,
    }


# --------------------------------------------------------------------------------------------
# the option
# --------------------------------------------------------------------------------------------


def active_treatment(
    reagent: str,
    flow_m3_d: float,
    *,
    net_acidity_mg_L: float | None = None,
    dose_mg_L: float | None = None,
    fe2_mg_L: float = 0.0,
    fe3_mg_L: float = 0.0,
    al_mg_L: float = 0.0,
    mn_mg_L: float = 0.0,
    sludge_dry_mg_L: float | None = None,
    clarifier: str = "conventional",
    sludge_solids_fraction: float | None = None,
    purity: float | None = None,
    efficiency: float | None = None,
    solution_pct: float = 32,
    reaction_retention_min: float | None = None,
    life_yr: float | None = None,
    site_development: bool = True,
    econ: Economics | None = None,
    defaults: AmdTreatDefaults | None = None,
) -> OptionResult:
    """Active neutralisation plant: reagent system + reaction tank + clarifier + sludge handling.

    Parameters
    ----------
    reagent : {'caustic', 'hydrated_lime', 'quicklime', 'lime_slurry'}
        Reagent system (AMDTreat caustic soda, dry lime hydrated/quicklime, lime slurry).
    flow_m3_d : float
        Flow treated, m3/d.
    net_acidity_mg_L : float, optional
        Net (hot) acidity, mg/L as CaCO3, for the stoichiometric dose; needed unless
        ``dose_mg_L`` is given.
    dose_mg_L : float, optional
        Reacting dose of the active compound (NaOH, Ca(OH)2 or CaO), mg/L, e.g. from a PHREEQC
        titration to the target pH; replaces the stoichiometric dose (which is still reported
        when a net acidity is given).
    fe2_mg_L, fe3_mg_L, al_mg_L, mn_mg_L : float
        Metals precipitated, mg/L, for AMDTreat's sludge factors (aerated iron as Fe(III)).
    sludge_dry_mg_L : float, optional
        Dry sludge per litre from the metals, mg/L (e.g. PHREEQC), replacing AMDTreat's factors.
        Reagent inerts and undissolved reagent, ``dose (1/(eff purity) - 1)`` for the lime
        products, are added to the sludge in both cases (counted with the calcite SG).
    clarifier : {'conventional', 'solids_contact'}
        Surface loading 0.55 gpm/ft2 = 32.3 m3/m2/d (conventional, low-density sludge) or
        1.5 gpm/ft2 = 88.0 m3/m2/d (solids contact / HDS-like, with sludge recirculation).
    sludge_solids_fraction : float, optional
        Underflow solids, mass fraction: 0.05 (LDS) for conventional, 0.20 (AMDTreat clarifier
        default) for solids contact.
    purity, efficiency : float, optional
        Product purity and dissolution/mixing efficiency; AMDTreat defaults: caustic 0.99/1.0,
        hydrated lime 0.96/0.80, quicklime 0.93/0.80, lime slurry 0.96/0.95.
    solution_pct : {20, 25, 32, 50}
        Caustic solution strength for tank sizing (32 % = Chinese 液碱 grade).
    reaction_retention_min : float, optional
        Reaction-tank retention, min (30, assumption U).
    life_yr : float, optional
        Evaluation horizon for recapitalisation, yr (economics.toml life).
    site_development : bool
        Add AMDTreat's mobilisation (4 %) and engineering (20 %) on the plant capital (AMDTreat
        applies surveying, inspection and contingency to passive modules only).
    econ, defaults : optional
        Economics and AMDTreat defaults.

    Returns
    -------
    OptionResult
        ``area_m2`` = clarifier surface; ``volume_m3`` = reaction tank + clarifier water;
        ``land_m2`` = foundations x 3 (assumption U); materials: reagent quantities (kg/yr),
        electricity (kWh/yr), sludge (dry t/yr, wet and dewatered m3/yr).

    Raises
    ------
    InputError
        Unknown reagent/clarifier, bad numbers, or neither a dose nor a positive net acidity.
    """
    check_choice("reagent", reagent, tuple(REAGENTS))
    check_choice("clarifier", clarifier, CLARIFIER_DESIGNS)
    q = check_number("flow_m3_d", flow_m3_d, lo=0.0, lo_open=True)
    d = defaults if defaults is not None else load_amdtreat()
    money = Money(econ, d)
    life = check_number(
        "life_yr", money.econ.life_yr if life_yr is None else life_yr, lo=1.0, hi=100.0
    )
    rt_min = check_number(
        "reaction_retention_min",
        d("china", "reaction_retention_min")
        if reaction_retention_min is None
        else reaction_retention_min,
        lo=0.0,
        lo_open=True,
        hi=1440,
    )
    warnings: list[str] = []
    r = REAGENTS[reagent]
    if reagent == "caustic":
        pur_d, eff_d = d("caustic", "purity"), d("caustic", "mixing_efficiency")
    else:
        pur_d, eff_d = _lime_defaults(reagent, d)
    pur = check_number("purity", pur_d if purity is None else purity, lo=0.0, lo_open=True, hi=1.0)
    eff = check_number(
        "efficiency", eff_d if efficiency is None else efficiency, lo=0.0, lo_open=True, hi=1.0
    )
    stoich = None
    if net_acidity_mg_L is not None:
        acid = check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5)
        if acid > 0:
            stoich = stoichiometric_dose_mg_L(acid, reagent)
        else:
            warnings.append(
                Text.of("minewater.active.net_alkaline", reagent=_option(reagent), acid=acid)
            )
    if dose_mg_L is not None:
        dose = check_number("dose_mg_L", dose_mg_L, lo=0.0)
        basis: str = Text.of("minewater.method.given")
    elif stoich is not None:
        dose = stoich
        basis = Text.of("minewater.method.stoichiometric")
    else:
        raise InputError(
            Text.of(
                "minewater.error.dose_or_acidity", reagent=_option(reagent), formula=r["formula"]
            ),
            column="net_acidity_mg_L",
            value=net_acidity_mg_L,
        )
    active_kg_d = dose * q / 1000.0
    feed_kg_d = active_kg_d / eff
    product_kg_d = feed_kg_d / pur
    materials: dict[str, float] = {
        "reagent_active_kg_yr": active_kg_d * 365.0,
        "reagent_feed_kg_yr": feed_kg_d * 365.0,
        "reagent_product_t_yr": product_kg_d * 365.0 / 1000.0,
    }
    details: dict[str, Any] = {
        "reagent": r["formula"],
        "dose_mg_L": dose,
        "dose_basis": basis,
        "stoichiometric_dose_mg_L": stoich,
        "purity": pur,
        "efficiency": eff,
        "molar_mass_g_mol": MOLAR_MASS_G_MOL[r["formula"]],
        "molar_mass_note": "AMDTreat's dry-lime code uses 56.1 g/mol for both hydrated lime and "
        "quicklime; here Ca(OH)2 74.09 and CaO 56.08 g/mol",
    }
    if stoich is not None and dose_mg_L is not None and stoich > 0:
        details["dose_to_stoichiometric_ratio"] = dose / stoich

    # sludge
    parts = sludge_dry_solids_mg_L(
        fe2_mg_L=fe2_mg_L, fe3_mg_L=fe3_mg_L, al_mg_L=al_mg_L, mn_mg_L=mn_mg_L, defaults=d
    )
    residue = 0.0 if reagent == "caustic" else dose * (1.0 / (eff * pur) - 1.0)
    metal_solids = (
        parts["total"]
        if sludge_dry_mg_L is None
        else check_number("sludge_dry_mg_L", sludge_dry_mg_L, lo=0.0)
    )
    sg_parts = dict(parts)
    if sludge_dry_mg_L is not None and parts["total"] <= 0:
        sg_parts = {"Fe(OH)3": metal_solids, "total": metal_solids}
    elif sludge_dry_mg_L is not None:
        scale = metal_solids / parts["total"]
        sg_parts = {k: v * scale for k, v in parts.items()}
    sg_parts["calcite"] = sg_parts.get("calcite", 0.0) + residue
    sg_parts["total"] = sum(v for k, v in sg_parts.items() if k != "total")
    dry_mg_L = metal_solids + residue
    sg = solids_sg(sg_parts, d)
    p_default = d(
        "sludge", "lds_solids_fraction" if clarifier == "conventional" else "hds_solids_fraction"
    )
    p = check_number(
        "sludge_solids_fraction",
        p_default if sludge_solids_fraction is None else sludge_solids_fraction,
        lo=0.001,
        hi=0.8,
    )
    rho = sludge_density_kg_m3(p, sg)
    dry_kg_d = dry_mg_L * q / 1000.0
    wet_m3_d = dry_kg_d / (p * rho)
    pdw = d("sludge", "dewatered_solids_fraction")
    materials.update(
        {
            "sludge_dry_t_yr": dry_kg_d * 365 / 1000.0,
            "sludge_wet_m3_yr": wet_m3_d * 365,
            "sludge_dewatered_m3_yr": dry_kg_d * 365 / (pdw * sludge_density_kg_m3(pdw, sg)),
        }
    )
    details.update(
        {
            "sludge_dry_mg_L": dry_mg_L,
            "sludge_parts_mg_L": sg_parts,
            "sludge_basis": "given" if sludge_dry_mg_L is not None else "AMDTreat factors",
            "sludge_solids_fraction": p,
            "sludge_density_kg_m3": rho,
            "solids_sg": sg,
        }
    )
    if dry_mg_L == 0:
        warnings.append(Text.of("minewater.active.no_metals", reagent=_option(reagent)))

    # components
    if reagent == "caustic":
        solution_m3_d = active_kg_d / _naoh_kg_m3(solution_pct, d) / eff / pur
        materials["caustic_solution_m3_yr"] = solution_m3_d * 365
        system = _caustic_system(solution_m3_d, money)
        details["caustic_tank_m3"] = system["tank_m3"]
        details["solution_pct"] = solution_pct
    elif reagent in ("hydrated_lime", "quicklime"):
        system = _silo_system(reagent, product_kg_d, money, warnings)
        details.update(
            {
                "silos": system["silos"],
                "silo_short_tons": system["silo_short_t"],
                "storage_needed_t": system["storage_t"],
                "silo_fill_interval_d": system["fill_interval_d"],
            }
        )
    else:
        system = _slurry_system(product_kg_d, money)
        materials["lime_slurry_m3_yr"] = system["slurry_m3_d"] * 365
        details.update(
            {
                "slurry_tanks": system["tanks"],
                "slurry_density_kg_m3": system["slurry_density_kg_m3"],
            }
        )
    tank = _reaction_tank(q, rt_min, money)
    clar = _clarifier(q, clarifier, wet_m3_d, rho, money)
    details.update(
        {
            "reaction_tank": {
                k: tank[k]
                for k in ("n", "kind", "nominal_gal", "volume_m3", "diameter_m", "retention_min")
            },
            "clarifier": {
                k: clar[k]
                for k in (
                    "area_m2",
                    "diameter_m",
                    "water_m3",
                    "loading_m3_m2_d",
                    "recirculation_kW",
                    "disposal_pump_kW",
                )
            },
            "clarifier_design": clarifier,
        }
    )
    if clar["diameter_m"] < 10.0:
        warnings.append(
            Text.of(
                "minewater.active.small_clarifier", reagent=_option(reagent), d=clar["diameter_m"]
            )
        )
    items = {**system["items"], **tank["items"], **clar["items"]}
    direct = sum(items.values())
    capex = dict(items)
    if site_development:
        capex["site: mobilisation/demobilisation"] = direct * d("site", "mobilisation_fraction")
        capex["site: engineering and permitting"] = direct * d("site", "engineering_fraction")
    kwh = system["kWh_yr"] + tank["kWh_yr"] + clar["kWh_yr"]
    materials["electricity_kWh_yr"] = kwh
    e = money.econ
    persons = d("china", f"labour_persons_{reagent}")
    opex = {
        Text.of(
            "minewater.item.reagent",
            chemical=named("minewater.chemical", r["chemical"]),
            formula=r["formula"],
        ): feed_kg_d * 365 * money.chemical_CNY_per_kg_active(r["chemical"]),
        "electricity": kwh * e.electricity_CNY_kWh,
        Text.of("minewater.item.om_plant", pct=d("common", "active_om_fraction") * 100): direct
        * d("common", "active_om_fraction"),
        Text.of("minewater.item.labour", persons=persons): persons * e.labour_CNY_person_yr,
        Text.of("minewater.item.sludge_disposal_chinese_price_per_dry_t"): dry_kg_d
        * 365
        / 1000.0
        * e.sludge_disposal_CNY_t_dry,
    }
    for name, v in system["annual_usd"].items():
        opex[name] = money.usd(v)
    footprint = system["footprint_m2"] + tank["footprint_m2"] + clar["footprint_m2"]
    land = footprint * d("china", "active_site_land_factor")
    sources = [
        Text.of("minewater.source.active_dose"),
        Text.of("minewater.source.active_tank"),
        Text.of("minewater.source.active_clarifier"),
        Text.of("minewater.source.active_sludge"),
        Text.of("minewater.source.active_annual"),
        AMDTREAT_REF,
        money.note(),
    ]
    return finish(
        option=reagent,
        kind="active",
        method=basis,
        flow_m3_d=q,
        area_m2=clar["area_m2"],
        footprint_m2=footprint,
        land_m2=land,
        volume_m3=tank["volume_m3"] + clar["water_m3"],
        volume_basis="water",
        limestone_t=0.0,
        materials=materials,
        capex_items=capex,
        opex_items=opex,
        recap_items=system["recap"] + tank["recap"] + clar["recap"],
        life_yr=life,
        money=money,
        warnings=warnings,
        sources=sources,
        details=details,
    )


def caustic_soda(flow_m3_d: float, **kw: Any) -> OptionResult:
    """Caustic-soda plant; see :func:`active_treatment` (``reagent='caustic'``)."""
    return active_treatment("caustic", flow_m3_d, **kw)


def hydrated_lime(flow_m3_d: float, **kw: Any) -> OptionResult:
    """Hydrated-lime silo plant; see :func:`active_treatment` (``reagent='hydrated_lime'``)."""
    return active_treatment("hydrated_lime", flow_m3_d, **kw)


def quicklime(flow_m3_d: float, **kw: Any) -> OptionResult:
    """Quicklime silo + slaker plant; see :func:`active_treatment` (``reagent='quicklime'``)."""
    return active_treatment("quicklime", flow_m3_d, **kw)


def lime_slurry(flow_m3_d: float, **kw: Any) -> OptionResult:
    """Lime-slurry plant; see :func:`active_treatment` (``reagent='lime_slurry'``)."""
    return active_treatment("lime_slurry", flow_m3_d, **kw)
