"""Passive and active option sizing against AMDTreat 6's worked defaults, converted by hand.

Oracles: the AMDTreat 6 defaults worked in the amd.md notes (a) of docs/references.md, "Worked
numbers for regression tests", themselves computed from the AMDTreat C# formulas in US units.
The unit conversions are typed here, independent of the module's constants:

  1 US gal = 3.785411784 L           1 gpm = 3.785411784e-3 m3/min x 1440 = 5.450992969 m3/d
  1 short ton = 907.18474 kg         1 yd3 = 0.764554858 m3       1 ft2 = 0.09290304 m2
  1 lb = 0.45359237 kg

Money (reference values typed from cbmwater/databases/treatment/economics.toml, asserted below):
  CEPCI 2018 603.1, 2024 800.0; CNY per USD 2024 7.1217; location factor USD 0.4; discount 8 %,
  life 20 yr -> CRF = 0.101852 /yr.  AMDTreat prices are taken as USD of 2018.
"""

from __future__ import annotations

import json
import math

import pytest

from cbmwater.errors import DatabaseError, InputError
from cbmwater.minewater import active, passive
from cbmwater.minewater.options import load_amdtreat
from cbmwater.minewater.sizing import OPTIONS, size
from cbmwater.treatment.economics import load_economics

GAL_M3 = 3.785411784e-3
GPM = GAL_M3 * 1440.0  # m3/d per gpm = 5.450992969
SHORT_TON_T = 0.90718474
YD3_M3 = 0.764554857984
FT2_M2 = 0.09290304
LB_KG = 0.45359237

USD2018_TO_CNY = 800.0 / 603.1 * 7.1217 * 0.4


def rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


def test_money_reference_values_still_hold():
    e = load_economics()
    assert e.cost_index[2018] == 603.1 and e.cost_index[e.price_year] == 800.0
    assert e.fx_to_CNY["USD"][e.price_year] == 7.1217
    assert e.capital_factor("USD") == 0.4
    assert e.discount_rate == 0.08 and e.life_yr == 20
    assert load_amdtreat().price_year_usd == 2018


# ---------------------------------------------------------------------------------------------
# AMDTreat worked defaults
# ---------------------------------------------------------------------------------------------


def test_default_aerobic_wetland_fe_409_mn_5450_m2():
    # 50 gpm, Fe 15, Mn 10 mg/L, net acidity -15, Fe 10 and Mn 0.5 g/m2/d (compliance rates)
    q = 50 * GPM  # 272.55 m3/d
    r = passive.aerobic_wetland(q, fe_mg_L=15, mn_mg_L=10, net_acidity_mg_L=-15)
    assert rel(r.details["fe_load_g_d"], 4088) < 0.01
    assert rel(r.details["fe_area_m2"], 409) < 0.01
    assert rel(r.details["mn_area_m2"], 5450) < 0.01
    assert rel(r.area_m2, 63045 * FT2_M2) < 0.01  # AMDTreat total 63 045 ft2
    assert r.area_m2 == pytest.approx(r.details["fe_area_m2"] + r.details["mn_area_m2"])
    assert r.warnings == []  # net alkaline: no acidity warning
    # improvement rates (Fe 20, Mn 1) halve the area
    imp = passive.aerobic_wetland(q, fe_mg_L=15, mn_mg_L=10, rates="improvement")
    assert imp.area_m2 == pytest.approx(r.area_m2 / 2)
    # land includes freeboard, pools and berms
    assert r.land_m2 > r.footprint_m2 > r.area_m2


def test_wetland_on_net_acidic_water_warns_like_amdtreat():
    r = passive.aerobic_wetland(100, fe_mg_L=5, mn_mg_L=1, net_acidity_mg_L=20)
    assert any("not intended to remove acidity" in w for w in r.warnings)


def test_default_ald_retention_time_957_t():
    # 75 gpm, RT 16 h, porosity 43 %: 356.5 yd3 water -> 829.0 yd3 stone -> 1055 short tons
    q = 75 * GPM
    r = passive.anoxic_limestone_drain(q, net_acidity_mg_L=60)
    assert r.method == "retention_time"
    assert rel(r.details["alternatives"]["retention_time"]["water_m3"], 356.5 * YD3_M3) < 0.01
    assert rel(r.volume_m3, 829.0 * YD3_M3) < 0.01
    assert rel(r.limestone_t, 1055 * SHORT_TON_T) < 0.01  # 957 t
    assert rel(r.limestone_t, 957) < 0.01
    # by hand in SI: 408.8 m3/d x 16/24 / 0.43 x 0.57 x 165.43 lb/ft3 (2649.9 kg/m3)
    rho_s = 165.43 * LB_KG / 0.3048**3
    assert r.limestone_t == pytest.approx(q * 16 / 24 / 0.43 * 0.57 * rho_s / 1000, rel=1e-9)


def test_default_ald_bureau_of_mines_1191_t():
    q = 75 * GPM
    r = passive.anoxic_limestone_drain(q, net_acidity_mg_L=60, method="bureau_of_mines")
    assert rel(r.limestone_t, 1313 * SHORT_TON_T) < 0.01  # 1191 t
    dis = r.details["alternatives"]["bureau_of_mines"]["dissolution_t"]
    assert rel(dis, 257.5 * SHORT_TON_T) < 0.01
    # kg CaCO3/yr = Q (m3/d) x 60 g/m3 x 365 / 1000; x 20 yr / (0.90 x 0.85)
    assert dis == pytest.approx(q * 60 * 365 / 1000 * 20 / (0.9 * 0.85) / 1000, rel=1e-9)


def test_default_ald_alkalinity_generation_981_m2():
    q = 75 * GPM
    r = passive.anoxic_limestone_drain(q, net_acidity_mg_L=60, method="alkalinity_generation")
    # 24 530 g/d / 25 g/m2/d
    assert rel(q * 60, 24530) < 0.01
    assert rel(r.area_m2, 981) < 0.01


def test_default_mn_bed_631_m2():
    # 75 gpm = 283.9 L/min, Mn 10 -> 1.5 mg/L, k 0.000439, #57 stone, 2 ft deep
    r = passive.manganese_removal_bed(75 * GPM, mn_mg_L=10)
    s = 0.000825 / 1.23e-6 * (1 - 0.43)
    assert rel(r.details["specific_surface_m2_m3"], 382) < 0.01
    a = -0.276 * (75 * GAL_M3 * 1000) * math.log10(1.5 / 10) / (0.000439 * s * 2 * 0.3048)
    assert rel(a, 631) < 0.01
    assert rel(r.area_m2, 631) < 0.01


def test_default_caustic_demand():
    # 35 gpm, 98 mg/L: 68 236 mol/yr -> 12 035 lb NaOH/yr -> 1918 gal/yr of 50 % solution
    c = active.caustic_demand(35 * GPM, 98, solution_pct=50)
    assert rel(c["acidity_mol_yr"], 68236) < 0.01
    assert rel(c["NaOH_kg_yr"], 12035 * LB_KG) < 0.01  # 5459 kg
    assert rel(c["solution_m3_yr"], 1918 * GAL_M3) < 0.01  # 7.26 m3
    assert rel(c["NaOH_kg_m3"], 6.338 * LB_KG / GAL_M3) < 1e-6  # 759.5 kg/m3


def test_lime_uses_its_own_molar_mass():
    h = active.lime_demand(1000, 100, product="hydrated_lime", purity=1, efficiency=1)
    c = active.lime_demand(1000, 100, product="quicklime", purity=1, efficiency=1)
    # 1000 m3/d x 100 g/m3 / 100.09 g/mol x 74.09 (Ca(OH)2) or 56.08 (CaO) g/mol
    assert h["active_kg_d"] == pytest.approx(100 / 100.086 * 74.092, rel=1e-3)
    assert c["active_kg_d"] == pytest.approx(100 / 100.086 * 56.077, rel=1e-3)
    d = active.lime_demand(1000, 100)  # AMDTreat 96 % purity, 80 % efficiency
    assert d["product_kg_d"] == pytest.approx(h["active_kg_d"] / 0.96 / 0.80)


# ---------------------------------------------------------------------------------------------
# costs
# ---------------------------------------------------------------------------------------------


def test_ald_cost_items_by_hand():
    q = 75 * GPM
    r = passive.anoxic_limestone_drain(q, net_acidity_mg_L=60)
    # limestone 25 USD/short ton; placement 10 USD/yd3 (AMDTreat XML), USD2018 -> CNY2024 x 0.4
    assert r.capex_items_CNY["limestone"] == pytest.approx(
        r.limestone_t / SHORT_TON_T * 25 * USD2018_TO_CNY, rel=1e-6
    )
    assert r.capex_items_CNY["limestone placement"] == pytest.approx(
        r.volume_m3 / YD3_M3 * 10 * USD2018_TO_CNY, rel=1e-6
    )
    assert r.capex_CNY == pytest.approx(sum(r.capex_items_CNY.values()))
    assert r.opex_CNY_yr == pytest.approx(sum(r.opex_items_CNY_yr.values()))
    site = [k for k in r.capex_items_CNY if k.startswith("site:")]
    direct = sum(v for k, v in r.capex_items_CNY.items() if not k.startswith("site:"))
    assert r.opex_items_CNY_yr["O&M (5 % of module capital, AMDTreat)"] == pytest.approx(
        0.05 * direct
    )
    assert site, "site-development items expected"
    # recapitalisation over 20 yr at 8 %: limestone (material + placement) and soil cover 50 % at
    # year 10; pipes and structures (25 yr) none
    c10 = (
        r.capex_items_CNY["limestone"]
        + r.capex_items_CNY["limestone placement"]
        + r.capex_items_CNY["soil cover"]
    )
    pv = 0.5 * c10 * 1.08**-10
    assert r.recap_PV_CNY == pytest.approx(pv, rel=1e-9)
    crf = 0.08 * 1.08**20 / (1.08**20 - 1)
    assert r.opex_items_CNY_yr["recapitalisation (annualised)"] == pytest.approx(pv * crf, rel=1e-9)


def test_active_caustic_with_titration_dose():
    q = 500.0
    r = size("caustic", q, net_acidity=200, dose_mg_L=180, fe3_mg_L=50, al_mg_L=10)
    assert r.kind == "active"
    assert r.materials["reagent_active_kg_yr"] == pytest.approx(180 * q * 365 / 1000)
    # stoichiometric NaOH for 200 mg/L CaCO3: 200 / 100.09 x 2 x 40.00 mg/L
    assert r.details["stoichiometric_dose_mg_L"] == pytest.approx(
        200 / 100.086 * 2 * 39.997, rel=1e-4
    )
    # Chinese price: 900 CNY per t of 32 % liquid = 2.8125 CNY per kg NaOH; efficiency 1.0
    reagent = [v for k, v in r.opex_items_CNY_yr.items() if k.startswith("reagent")][0]
    assert reagent == pytest.approx(180 * q * 365 / 1000 / 1.0 * 900 / 0.32 / 1000, rel=1e-6)
    # sludge (AMDTreat factors): 1.9 x 50 + 2.88 x 10 = 123.8 mg/L -> t/yr
    assert r.materials["sludge_dry_t_yr"] == pytest.approx(123.8 * q * 365 / 1e6, rel=1e-6)
    # clarifier: conventional 0.55 gpm/ft2
    assert r.area_m2 == pytest.approx(q / (0.55 * GPM / FT2_M2), rel=1e-6)


@pytest.mark.parametrize("option", ["caustic", "hydrated_lime", "quicklime", "lime_slurry"])
def test_active_options_are_complete(option):
    r = size(
        option,
        2000,
        net_acidity=300,
        fe_mg_L=80,
        mn_mg_L=10,
        al_mg_L=20,
        clarifier="solids_contact",
    )
    assert r.capex_CNY > 0 and r.opex_CNY_yr > 0 and r.land_m2 > 0
    assert r.capex_CNY == pytest.approx(sum(r.capex_items_CNY.values()))
    assert any(k.startswith("reagent") for k in r.opex_items_CNY_yr)
    assert r.materials["sludge_dry_t_yr"] > 0 and r.materials["electricity_kWh_yr"] > 0
    # solids contact: 1.5 gpm/ft2 and 20 % solids underflow
    assert r.area_m2 == pytest.approx(2000 / (1.5 * GPM / FT2_M2), rel=1e-6)
    assert r.details["sludge_solids_fraction"] == 0.20


@pytest.mark.parametrize(
    "option", ["ald", "vfp", "limestone_bed", "wetland", "mn_bed", "bioreactor", "settling_pond"]
)
def test_passive_options_json(option):
    r = size(option, 300, net_acidity=80, fe_mg_L=10, mn_mg_L=4, retention_h=15, life_yr=25)
    out = json.loads(json.dumps(r.as_dict()))
    for key in ("area_m2", "volume_m3", "limestone_t", "capex_CNY", "opex_CNY_yr", "land_m2"):
        assert isinstance(out[key], float), key
    assert out["option"] == option and out["currency"] == "CNY" and out["life_yr"] == 25
    assert out["land_m2"] >= out["footprint_m2"] > 0
    assert out["capex_CNY"] > 0 and out["opex_CNY_yr"] > 0


def test_settling_pond_sludge_by_hand():
    q = 75 * GPM
    r = passive.settling_pond(q, fe2_mg_L=40, fe3_mg_L=50, al_mg_L=200, mn_mg_L=50)
    dry = 2.88 * 200 + 1.6 * 40 + 1.9 * 50 + 1.6 * 50  # 815 mg/L (AMDTreat ponds default)
    assert r.materials["sludge_dry_t_yr"] == pytest.approx(q * dry * 365 / 1e6)
    # settling layer holds 16 h
    assert r.details["retention_h"] > 16
    disposal = r.opex_items_CNY_yr["sludge disposal (Chinese price per dry t)"]
    assert disposal == pytest.approx(q * dry * 365 / 1e6 * 800)


def test_vfp_layers_and_compost():
    r = passive.vertical_flow_pond(75 * GPM, net_acidity_mg_L=60)
    assert rel(r.limestone_t, 957) < 0.01  # same limestone rule as the ALD
    # compost porosity at 20 % fines: -0.0002*8000 + 0.0176*400 - 0.4826*20 + 90 = 85.788 %
    assert r.details["compost_porosity"] == pytest.approx(0.85788)
    assert r.materials["compost_m3"] > 0 and r.materials["limestone_fines_t"] > 0


def test_bioreactor_sulfate_reduction_volume():
    q = 75 * GPM
    r = passive.sulfate_reducing_bioreactor(q)
    # 200 mg/L SO4 reduced at 0.3 mol/m3/d, 1 % shrinkage
    assert r.volume_m3 == pytest.approx(q * 200 / 96.06 / 0.3 * 1.01, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def test_negative_flow_names_the_parameter():
    with pytest.raises(InputError, match="flow_m3_d"):
        size("ald", -5)
    with pytest.raises(InputError, match="flow_m3_d"):
        active.caustic_soda(0, net_acidity_mg_L=10)


def test_unknown_option_lists_allowed_values():
    with pytest.raises(InputError) as exc:
        size("alkaline_drain", 100)
    msg = str(exc.value)
    assert "option" in msg
    for name in OPTIONS:
        assert name in msg


def test_bad_method_and_missing_inputs_are_named():
    with pytest.raises(InputError, match="retention_time, bureau_of_mines, alkalinity_generation"):
        passive.anoxic_limestone_drain(100, method="guess")
    with pytest.raises(InputError, match="net_acidity_mg_L"):
        passive.anoxic_limestone_drain(100, method="bureau_of_mines")
    with pytest.raises(InputError, match="net_acidity_mg_L"):
        passive.anoxic_limestone_drain(100, net_acidity_mg_L=-20, method="bureau_of_mines")
    with pytest.raises(InputError, match="fe_mg_L"):
        passive.aerobic_wetland(100, mn_mg_L=2)
    with pytest.raises(InputError, match="mn_mg_L"):
        passive.manganese_removal_bed(100)
    with pytest.raises(InputError, match="dose_mg_L"):
        active.hydrated_lime(100)
    with pytest.raises(InputError, match="porosity"):
        passive.anoxic_limestone_drain(100, porosity=1.5)


def test_unused_common_keyword_is_reported_not_dropped():
    r = size("ald", 200, fe_mg_L=3.0)
    assert any("fe_mg_L" in w for w in r.warnings)


def test_ald_warns_on_oxygen_and_ferric_iron():
    r = passive.anoxic_limestone_drain(200, net_acidity_mg_L=50, do_mg_L=4, fe3_mg_L=0.2)
    assert any("do_mg_L" in w for w in r.warnings)
    assert not any("fe3_mg_L" in w for w in r.warnings)


def test_small_flow_bottom_width_warning_in_metres():
    r = passive.anoxic_limestone_drain(20, net_acidity_mg_L=50)
    assert any("3.048 m (10 ft)" in w for w in r.warnings)


# ---------------------------------------------------------------------------------------------
# the data file
# ---------------------------------------------------------------------------------------------


def test_every_default_has_source_status_and_conversion():
    d = load_amdtreat()
    n = 0
    for section, table in d.entries.items():
        for key, e in table.items():
            n += 1
            assert e["status"] in ("V-code", "S", "M", "U", "NF", "derived"), (section, key)
            assert len(e["source"]) > 20, (section, key)
            if "us_value" in e:
                assert e["value"] == pytest.approx(e["us_value"] * e["factor"]), (section, key)
    assert n > 300
    # spot checks of conversions typed here
    assert d("ald", "retention_time_h") == 16
    assert d("ald", "limestone_depth") == pytest.approx(4 * 0.3048)
    assert d("ald", "limestone_unit_cost") == pytest.approx(25 / SHORT_TON_T)
    assert d("clarifier", "loading_conventional") == pytest.approx(0.55 * GPM / FT2_M2)
    assert d("common", "limestone_solid_density") == pytest.approx(165.43 * LB_KG / 0.3048**3)


def test_loader_rejects_a_wrong_conversion(tmp_path):
    bad = tmp_path / "amdtreat.toml"
    bad.write_text(
        '[meta]\nprice_year_usd = 2018\nsource = "test file for the loader"\n'
        '[ald.limestone_depth]\nvalue = 1.0\nunit = "m"\nus_value = 4.0\n'
        'us_unit = "ft"\nfactor = 0.3048\nconversion = "x 0.3048"\nstatus = "V-code"\n'
        'source = "AMDTreat ALD XML Limestone Depth"\n',
        encoding="utf-8",
    )
    with pytest.raises(DatabaseError, match="us_value x factor"):
        load_amdtreat(bad)
