"""Capital-curve ranges, disposal classes and backwash, checked by hand (issue 11).

Reference values typed here (cbmwater/databases/treatment/units.toml and economics.toml; the tests also
check the loaded files still hold them):

  money      x_CNY,2024 = x * CEPCI[2024] / CEPCI[year] * FX[2024] * location factor
             CEPCI 2007 525.4, 2024 800.0; 7.1217 CNY/USD; location factor USD 0.4, CNY 1
  finance    utilization 0.95 -> 365 x 0.95 = 346.75 operating days; CRF(8 %, 20 yr) 0.101852
  disposal   general_solid 800 CNY per dry t; hazardous_salt 3600 CNY per t as delivered
             (dry / solids fraction); brine 60 CNY/m3; backwash 2 CNY/m3
  cartridge  3.8 m3/h per 10-inch element [S]; 1500 CNY installed per element position [U];
             USD 5 per element, 6 changes/yr [S]; floor at one element (91.2 m3/d)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbmwater.errors import DatabaseError
from cbmwater.treatment.costing import CATEGORIES, cost_train, unit_capital
from cbmwater.treatment.economics import DISPOSAL_CLASSES, load_economics
from cbmwater.treatment.library import (
    BELOW_MIN,
    LIBRARY_DIR,
    SOLID_RESIDUALS,
    CapitalCurve,
    load_library,
)
from cbmwater.treatment.streams import TRACKED, StreamBatch
from cbmwater.treatment.summary import summarise
from cbmwater.treatment.train import simulate_train

LIB = load_library()
ECON = load_economics()
DAYS = 365 * 0.95  # 346.75 operating days
CRF = 0.101852  # 0.08 x 1.08^20 / (1.08^20 - 1)
WATER = dict(
    Na=500.0,
    Cl=300.0,
    HCO3=800.0,
    SO4=20.0,
    Ca=4.0,
    Mg=1.0,
    SiO2=8.0,
    TSS=10.0,
    pH=7.8,
    temp_C=20.0,
)
DOC = Path(__file__).resolve().parents[1] / "docs" / "cost_curves.md"
REVIEWED = {
    "aeration",
    "coagulation",
    "sedimentation",
    "daf",
    "multimedia_filter",
    "greensand_filter",
    "cartridge_filter",
    "ultrafiltration",
    "lime_softening",
    "lime_soda_softening",
    "wac_exchange",
    "sac_exchange",
    "clinoptilolite",
    "activated_alumina",
    "breakpoint_chlorination",
    "ammonia_stripping",
    "ph_adjustment",
    "disinfection",
    "nanofiltration",
    "brackish_ro",
    "edr",
    "mvc_concentrator",
    "crystallizer",
    "evaporation_pond",
}


def feed(flow: float, **over) -> StreamBatch:
    return StreamBatch.from_frame(pd.DataFrame([{**WATER, **over}]), flow)


def run(train: str, flow: float, **over):
    r = simulate_train(train, feed(flow, **over), library=LIB, economics=ECON)
    return r, cost_train(r, ECON)


def by(cost, unit=None, category=None) -> float:
    bd = cost.breakdown[cost.breakdown["water"] == 0]
    if unit is not None:
        bd = bd[bd["unit"] == unit]
    if category is not None:
        bd = bd[bd["category"] == category]
    return float(bd["CNY_yr"].sum())


def test_typed_reference_values_are_the_loaded_ones():
    assert (ECON.cost_index[2007], ECON.cost_index[2024], ECON.fx_to_CNY["USD"][2024]) == (
        525.4,
        800.0,
        7.1217,
    )
    assert ECON.capital_factor("USD") == 0.4 and ECON.capital_factor("CNY") == 1.0
    assert ECON.utilization == 0.95 and ECON.crf() == pytest.approx(CRF, abs=1e-6)
    assert (
        ECON.sludge_disposal_CNY_t_dry,
        ECON.hazardous_salt_CNY_t,
        ECON.brine_disposal_CNY_m3,
        ECON.backwash_CNY_m3,
    ) == (800, 3600, 60, 2.0)
    assert ECON.disposal_price_CNY_t("general_solid") == (800, "dry")
    assert ECON.disposal_price_CNY_t("hazardous_salt") == (3600, "as_delivered")
    # the hazardous price is inside the sourced range it claims (CJEE 2024: 2700-4500 CNY/t)
    src = ECON.sources["disposal"]
    assert "2700-4500" in src and "10.12030/j.cjee.202402026" in src and "环办[2015]111号" in src
    assert 2700 <= ECON.hazardous_salt_CNY_t <= 4500


# --------------------------------------------------------------------------------------------
# Below-range policy
# --------------------------------------------------------------------------------------------


def test_floor_unit_below_q_min_costs_exactly_the_floor_and_warns():
    # coagulation: 59 167 USD2007 x (Q/1000)^0.5479 x TPEC 3.4, valid 50-50 000 m3/d, floor.
    # At 20 m3/d the capital is that of 50 m3/d:
    floor = 59167 * (50 / 1000) ** 0.5479 * 3.4 * 800 / 525.4 * 7.1217 * 0.4
    assert floor == pytest.approx(169_031.5, abs=0.1)
    c = LIB["coagulation"].capital
    assert (c.A, c.B, c.Q_ref_m3_d, c.Q_min_m3_d, c.installation_factor, c.below_min) == (
        59167,
        0.5479,
        1000,
        50,
        3.4,
        "floor",
    )
    r, cost = run("coagulation,sedimentation,multimedia_filter", 20.0)
    assert by(cost, "coagulation", "capital") == pytest.approx(CRF * floor, rel=1e-5)
    r2, cost2 = run("coagulation,sedimentation,multimedia_filter", 35.0)
    assert by(cost2, "coagulation", "capital") == by(cost, "coagulation", "capital")  # flat
    (w,) = [w for w in cost.warnings[0] if w.startswith("coagulation:")]
    assert "below Q_min" in w and "below_min policy 'floor'" in w and "169,032 CNY" in w
    # the warning reaches the summary the CLI and app show
    assert w in summarise(r, cost, 0)["warnings"]
    # sedimentation and the multimedia filter are below 50 m3/d too, and say so
    assert {x.split(":")[0] for x in cost.warnings[0] if "policy 'floor'" in x} == {
        "coagulation",
        "sedimentation",
        "multimedia_filter",
    }


def test_extrapolate_unit_below_q_min_warns_and_follows_the_power_law():
    # evaporation pond, valid 5-500 m3/d of brine, below_min "extrapolate": a 10 m3/d RO plant
    # sends it about 2 m3/d of brine
    pond = LIB["evaporation_pond"].capital
    assert (pond.A, pond.B, pond.Q_ref_m3_d, pond.Q_min_m3_d, pond.below_min) == (
        1680208,
        0.9014,
        50,
        5,
        "extrapolate",
    )
    r, cost = run("cartridge_filter,brackish_ro,evaporation_pond", 10.0)
    q_b = float([s for s in r.steps if s.unit.id == "evaporation_pond"][0].feed.flow_m3_d[0])
    assert 0 < q_b < 5
    hand = 1680208 * (q_b / 50) ** 0.9014 * 800 / 525.4 * 7.1217 * 0.4
    assert by(cost, "evaporation_pond", "capital") == pytest.approx(CRF * hand, rel=1e-5)
    (w,) = [w for w in cost.warnings[0] if w.startswith("evaporation_pond:")]
    assert "below Q_min" in w and "below_min policy 'extrapolate'" in w
    assert f"{hand:,.0f} CNY" in w


def test_no_curve_of_the_library_extrapolates_silently():
    for u in LIB:
        c = u.capital
        assert c.below_min in BELOW_MIN, u.id
        assert "below_min" in u.sources["capital"], f"{u.id}: policy reason not stated"
        k = (
            c.A
            * c.installation_factor
            * 800
            / ECON.cost_index[c.year]
            * ECON.fx_to_CNY[c.currency][2024]
            * {"USD": 0.4, "CNY": 1.0}[c.currency]
        )
        q = np.array(
            [
                c.Q_min_m3_d / 10,
                c.Q_min_m3_d / 2,
                c.Q_min_m3_d,
                c.Q_ref_m3_d,
                c.Q_max_m3_d,
                2 * c.Q_max_m3_d,
            ]
        )
        cap, ws = unit_capital(u.id, c, q, ECON)
        at_min = k * (c.Q_min_m3_d / c.Q_ref_m3_d) ** c.B
        for i in (0, 1):  # below Q_min
            (w,) = ws[i]
            assert "below Q_min" in w and f"policy '{c.below_min}'" in w, u.id
            expect = at_min if c.below_min == "floor" else k * (q[i] / c.Q_ref_m3_d) ** c.B
            assert cap[i] == pytest.approx(expect, rel=1e-12), u.id
        for i in (2, 3, 4):  # inside the range: the curve, silently
            assert ws[i] == [] or not c.Q_min_m3_d <= q[i] <= c.Q_max_m3_d, u.id
            if c.Q_min_m3_d <= q[i] <= c.Q_max_m3_d:
                assert cap[i] == pytest.approx(k * (q[i] / c.Q_ref_m3_d) ** c.B, rel=1e-12)
        (w,) = ws[5]  # above Q_max: extrapolated, warned
        assert "above Q_max" in w and "extrapolated" in w, u.id
        assert cap[5] == pytest.approx(k * 2**c.B * (c.Q_max_m3_d / c.Q_ref_m3_d) ** c.B, rel=1e-12)
    # a curve built in code without a policy extrapolates, and still warns
    bare = CapitalCurve(1e6, 0.6, 1000, "USD", 2014, 50, 5000)
    assert bare.below_min == "extrapolate"
    cap, ws = unit_capital("bare", bare, [10.0], ECON)
    assert "policy 'extrapolate'" in ws[0][0]


# --------------------------------------------------------------------------------------------
# Cartridge filter: per element
# --------------------------------------------------------------------------------------------


def test_cartridge_filter_capital_and_om_by_hand():
    u = LIB["cartridge_filter"]
    c = u.capital
    assert (c.A, c.B, c.Q_ref_m3_d, c.currency, c.year, c.Q_min_m3_d, c.below_min) == (
        1500,
        1.0,
        91.2,
        "CNY",
        2024,
        91.2,
        "floor",
    )
    assert (
        u.replacement_CNY_m3,
        u.maintenance_frac_capex_yr,
        u.labour_persons,
        u.energy_kWh_m3,
        u.removal_of("TSS"),
        u.disposal_class,
    ) == (0.00676, 0.03, 0.05, 0.0002, 0.9, "general_solid")
    for mark in ("[S", "[U]", "3.8 m3/h", "USD 5", "6 changes"):
        assert mark in u.sources["capital"] + u.sources["om"], mark
    # replacement per m3: USD 5 x 7.1217 CNY/USD per element change x 6 changes/yr, over what one
    # element passes in a year: 3.8 m3/h x 24 x 365 x utilization 0.95 = 31 623.6 m3
    per_m3 = 5 * 7.1217 * 6 / (3.8 * 24 * 365 * 0.95)
    assert per_m3 == pytest.approx(0.0067561, abs=1e-7)
    assert u.replacement_CNY_m3 == pytest.approx(per_m3, abs=5e-6)  # rounded in units.toml

    r, cost = run("cartridge_filter", 1000.0)  # TSS 10 mg/L
    # capital: 1000 m3/d / (3.8 m3/h x 24 h) = 10.965 element positions x 1500 CNY
    elements = 1000 / (3.8 * 24)
    capex = elements * 1500
    assert capex == pytest.approx(16_447.37, abs=0.01)
    assert cost.capex_CNY[0] == pytest.approx(capex, rel=1e-12)
    # before (WaterTAP ZO curve, no valid range): 725 570 USD2014 x (1000/3785.41)^0.5862
    before = 725570 * (1000 / 3785.41) ** 0.5862 * 800 / 576.1 * 7.1217 * 0.4
    assert before == pytest.approx(1_315_301, abs=1) and before / capex > 75
    # O&M, CNY/yr
    hand = {
        "capital": CRF * capex,  # 1675.20
        "electricity": 0.0002 * 1000 * DAYS * 0.60,  # 41.61
        "replacement": 0.00676 * 1000 * DAYS,  # 2344.03
        "labour": 0.05 * 100_000,  # 5000
        "maintenance": 0.03 * capex,  # 493.42
        # 0.9 x 10 mg/L x 1000 m3/d = 9 kg/d of particles on the cartridges, general solid
        "sludge_disposal": 9.0 / 1000 * 800 * DAYS,  # 2496.60
    }
    assert hand["replacement"] == pytest.approx(2344.03, abs=0.01)
    assert hand["sludge_disposal"] == pytest.approx(2496.60, abs=0.01)
    for cat, value in hand.items():
        assert by(cost, "cartridge_filter", cat) == pytest.approx(value, rel=1e-5), cat
    opex = sum(v for k, v in hand.items() if k != "capital")
    assert opex == pytest.approx(10_375.66, abs=0.01)
    assert cost.opex_CNY_yr[0] == pytest.approx(opex, rel=1e-9)
    # product 1000 x 0.9999 m3/d; LCOW about 0.035 CNY/m3 (was 0.84)
    lcow = (CRF * capex + opex) / (1000 * 0.9999 * DAYS)
    assert lcow == pytest.approx(0.03476, abs=1e-5)
    assert cost.lcow_CNY_m3[0] == pytest.approx(lcow, rel=1e-5)
    assert cost.warnings[0] == []

    # 50 m3/d is below one element (91.2 m3/d): the floor, one housing, 1500 CNY, with a warning
    r50, cost50 = run("cartridge_filter", 50.0)
    assert cost50.capex_CNY[0] == 1500.0
    assert any(
        "cartridge_filter:" in w and "policy 'floor'" in w and "1,500 CNY" in w
        for w in cost50.warnings[0]
    )


# --------------------------------------------------------------------------------------------
# Disposal classes
# --------------------------------------------------------------------------------------------


def test_every_solid_residual_has_a_sourced_disposal_class():
    classes = {u.id: u.disposal_class for u in LIB if u.residual in SOLID_RESIDUALS}
    assert classes["crystallizer"] == classes["evaporation_pond"] == "hazardous_salt"
    assert {k for k, v in classes.items() if v == "general_solid"} == {
        "sedimentation",
        "daf",
        "multimedia_filter",
        "greensand_filter",
        "cartridge_filter",
        "lime_softening",
        "lime_soda_softening",
        "activated_alumina",
    }
    for u in LIB:
        if u.residual in SOLID_RESIDUALS:
            assert u.disposal_class in DISPOSAL_CLASSES, u.id
            assert len(u.sources["disposal_class"]) > 40, u.id
        else:
            assert u.disposal_class == "", u.id
    assert "环办[2015]111号" in LIB["crystallizer"].sources["disposal_class"]


def test_crystallizer_salt_is_charged_as_hazardous_and_clarifier_sludge_as_general():
    train = (
        "coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro,"
        "mvc_concentrator,crystallizer"
    )
    r, cost = run(train, 1000.0, TSS=100.0)
    (salt,) = [x for x in r.residuals if x.unit == "crystallizer"]
    dry = float(salt.solids_kg_d[0])
    assert dry > 100  # ~2 g/L of salts x ~1000 m3/d, most of it crystallised
    # hazardous mixed salt: per tonne as delivered = dry / 0.85 solids, plus the mother liquor
    # purged beyond the 0.15/0.85 t of liquor per t of crystals that the cake holds (1 t/m3 plus
    # its dissolved salts); 3600 CNY/t; 346.75 d
    liq = salt.stream
    dissolved_t = (
        np.nansum([v for n, v in zip(TRACKED, liq.conc_mg_L[0]) if n not in ("DO", "TSS", "COD")])
        * liq.flow_m3_d[0]
        / 1e6
    )
    liquor_t = liq.flow_m3_d[0] + dissolved_t
    extra_t = max(liquor_t - dry / 1000 * 0.15 / 0.85, 0.0)
    assert extra_t > 0  # this crystalliser bleeds more than its cake holds
    cake = dry / 0.85 / 1000 * 3600 * DAYS
    hand = cake + extra_t * 3600 * DAYS
    assert by(cost, "crystallizer", "hazardous_salt_disposal") == pytest.approx(hand, rel=1e-9)
    assert by(cost, "crystallizer", "sludge_disposal") == 0.0
    # what the same crystals cost before (800 CNY per dry tonne): 5.3x less
    assert cake / (dry / 1000 * 800 * DAYS) == pytest.approx(3600 / 0.85 / 800, rel=1e-12)
    # clarifier sludge: 0.990826 x (100 mg/L + PAC gibbsite floc) x 1000 m3/d dry, general,
    # 800 CNY/t dry; the floc is 2 x 8.4/101.96 mmol/L x 78.003 mg/mmol when complete
    floc = r.steps[0].details["precipitated_mmol_L"]["Gibbsite"][0] * 78.003
    assert floc == pytest.approx(2 * 8.4 / 101.96 * 78.003, rel=2e-3)
    assert by(cost, "sedimentation", "sludge_disposal") == pytest.approx(
        0.990826 * (100 + floc) / 1000 * 800 * DAYS, rel=1e-9
    )
    assert by(cost, "sedimentation", "hazardous_salt_disposal") == 0.0
    assert by(cost, category="hazardous_salt_disposal") == pytest.approx(hand, rel=1e-12)
    assert set(cost.breakdown["category"]) <= set(CATEGORIES)


def test_evaporation_pond_salt_is_hazardous_per_tonne_as_delivered():
    r, cost = run("cartridge_filter,brackish_ro,evaporation_pond", 200.0)
    (salt,) = [x for x in r.residuals if x.unit == "evaporation_pond"]
    hand = float(salt.solids_kg_d[0]) / 0.7 / 1000 * 3600 * DAYS  # solids fraction 0.7
    assert hand > 0
    assert by(cost, "evaporation_pond", "hazardous_salt_disposal") == pytest.approx(hand, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Backwash
# --------------------------------------------------------------------------------------------


def test_uf_backwash_leaves_the_works_and_is_charged():
    r, cost = run("coagulation,sedimentation,multimedia_filter,ultrafiltration", 1000.0)
    uf = [s for s in r.steps if s.unit.id == "ultrafiltration"][0]
    q_in = float(uf.feed.flow_m3_d[0])
    # UF feed by hand: the clarifier's sludge takes 0.990826 x (10 mg/L + the PAC gibbsite
    # floc) x 1000 m3/d at 3 % solids; the multimedia filter keeps 0.9999
    floc = r.steps[0].details["precipitated_mmol_L"]["Gibbsite"][0] * 78.003
    assert floc == pytest.approx(2 * 8.4 / 101.96 * 78.003, rel=2e-3)
    assert q_in == pytest.approx((1000 - 0.990826 * (10 + floc) / 0.03 / 1000) * 0.9999, rel=1e-9)
    (bw,) = [x for x in r.residuals if x.unit == "ultrafiltration"]
    assert bw.kind == "backwash" and bw.treated_by is None
    # 5 % of the UF feed (recovery 0.95) leaves as backwash ...
    assert bw.stream.flow_m3_d[0] == pytest.approx(0.05 * q_in, rel=1e-9)
    # ... which the product does not contain: feed = product + every residual leaving
    out = r.product.flow_m3_d[0] + sum(x.stream.flow_m3_d[0] for x in r.residuals)
    assert out == pytest.approx(1000.0, rel=1e-9)
    # charged at 2 CNY/m3 over 346.75 operating days
    hand = 0.05 * q_in * 2.0 * DAYS  # = 34.675 CNY/yr per m3/d of UF feed
    assert hand == pytest.approx(34.675 * q_in, rel=1e-12)
    assert by(cost, "ultrafiltration", "backwash_disposal") == pytest.approx(hand, rel=1e-12)
    assert by(cost, category="backwash_disposal") == pytest.approx(hand, rel=1e-12)
    assert by(cost, category="brine_disposal") == 0.0
    # and it moves with its price
    c2 = cost_train(r, ECON.with_(backwash_CNY_m3=60.0))
    assert by(c2, "ultrafiltration", "backwash_disposal") == pytest.approx(30 * hand, rel=1e-12)


# --------------------------------------------------------------------------------------------
# The new categories reach the optimiser and the app
# --------------------------------------------------------------------------------------------


def test_new_categories_are_known_to_optimiser_and_app():
    from cbmwater.app.i18n import keys
    from cbmwater.optimize.precompute import VARIABLE
    from cbmwater.optimize.results import COST_CATEGORIES

    assert "hazardous_salt_disposal" in VARIABLE and "hazardous_salt_disposal" in COST_CATEGORIES
    # liquid residuals are routed and priced by the network, not per m3 of feed
    assert "backwash_disposal" not in VARIABLE and "brine_disposal" not in VARIABLE
    for cat in CATEGORIES:
        assert f"cat_{cat}" in keys("en") and f"cat_{cat}" in keys("zh"), cat
    for cat in COST_CATEGORIES:
        assert f"opt_cat_{cat}" in keys("en") and f"opt_cat_{cat}" in keys("zh"), cat


# --------------------------------------------------------------------------------------------
# The loaders refuse bad policy and class values, naming file, unit, field and allowed values
# --------------------------------------------------------------------------------------------

UNIT = """
[units.testunit]
name_en = "Test unit"
name_zh = "测试"
category = "particle"
model = "zero_order"
residual = "{residual}"
recovery = 0.999
removal = {{ TSS = 0.9 }}
energy_kWh_m3 = 0.0
{extra}
capital = {{ A = 1.0e5, B = 0.6, Q_ref_m3_d = 1000, currency = "USD", year = 2014, Q_min_m3_d = 50, Q_max_m3_d = 5000{below} }}
om = {{ maintenance_frac_capex_yr = 0.03 }}

[units.testunit.sources]
recovery = "assumption: a test value for the loader tests"
removal = "assumption: a test value for the loader tests"
energy = "assumption: a test value for the loader tests"
capital = "assumption: a test value for the loader tests"
om = "assumption: a test value for the loader tests"
sludge_solids_frac = "assumption: a test value for the loader tests"
disposal_class = "assumption: a test value for the loader tests"
"""


def library_file(
    tmp_path,
    *,
    residual="sludge",
    below=', below_min = "floor"',
    extra='sludge_solids_frac = 0.2\ndisposal_class = "general_solid"',
):
    shutil.copy(LIBRARY_DIR / "economics.toml", tmp_path / "economics.toml")
    path = tmp_path / "units.toml"
    path.write_text(UNIT.format(residual=residual, below=below, extra=extra), encoding="utf-8")
    return path


def refused(path, *fragments):
    with pytest.raises(DatabaseError) as exc:
        load_library(path)
    msg = str(exc.value)
    assert str(path.resolve()) in msg or str(path) in msg, msg
    for f in fragments:
        assert f in msg, (f, msg)
    return msg


def test_the_test_unit_loads(tmp_path):
    u = load_library(library_file(tmp_path))["testunit"]
    assert (u.capital.below_min, u.disposal_class) == ("floor", "general_solid")


@pytest.mark.parametrize(
    "below, what",
    [
        (', below_min = "cap"', "'cap' is not one of floor, extrapolate"),
        (", below_min = 50", "50 is not one of floor, extrapolate"),
        (
            "",
            "missing: every capital curve states its policy below Q_min_m3_d, one of floor, "
            "extrapolate",
        ),
    ],
)
def test_bad_below_min_is_refused(tmp_path, below, what):
    refused(library_file(tmp_path, below=below), "'testunit'", "capital.below_min", what)


@pytest.mark.parametrize(
    "extra, what",
    [
        (
            'sludge_solids_frac = 0.2\ndisposal_class = "landfill"',
            "'landfill' is not one of general_solid, hazardous_salt",
        ),
        (
            "sludge_solids_frac = 0.2",
            "a sludge residual needs its disposal class, one of general_solid, hazardous_salt",
        ),
    ],
)
def test_bad_disposal_class_is_refused(tmp_path, extra, what):
    refused(library_file(tmp_path, extra=extra), "'testunit'", "'disposal_class'", what)


def test_disposal_class_on_a_liquid_residual_is_refused(tmp_path):
    path = library_file(tmp_path, residual="brine", extra='disposal_class = "general_solid"')
    refused(
        path,
        "'testunit'",
        "'disposal_class'",
        "only solid residuals (sludge, spent_media)",
        "'brine'",
    )


def test_hazardous_salt_without_a_solids_fraction_is_refused(tmp_path):
    path = library_file(tmp_path, residual="spent_media", extra='disposal_class = "hazardous_salt"')
    refused(path, "'testunit'", "'disposal_class'", "as delivered", "sludge_solids_frac")


@pytest.mark.parametrize("key", ["hazardous_salt_CNY_t", "backwash_CNY_m3"])
def test_economics_without_a_disposal_price_is_refused(tmp_path, key):
    text = (LIBRARY_DIR / "economics.toml").read_text(encoding="utf-8")
    new = re.sub(rf"^{key} = .*\n", "", text, count=1, flags=re.M)
    assert new != text
    (tmp_path / "economics.toml").write_text(new, encoding="utf-8")
    with pytest.raises(DatabaseError, match=rf"\[disposal\] lacks '{key}'"):
        load_economics(tmp_path / "economics.toml")


# --------------------------------------------------------------------------------------------
# docs/cost_curves.md shows what the code computes
# --------------------------------------------------------------------------------------------


def test_cost_curve_table_in_docs_matches_the_library():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = cells
    # the 24 curves reviewed for issue 11 are all there; a unit added later must be added too
    # (every row must name a unit of the library)
    assert set(rows) >= REVIEWED and set(rows) <= {u.id for u in LIB}
    for uid, cells in rows.items():
        u = LIB[uid]
        c = u.capital
        assert cells[1] == f"{c.Q_min_m3_d:g}–{c.Q_max_m3_d:g}", u.id
        assert cells[2] == c.below_min, u.id
        cap, _ = unit_capital(u.id, c, np.array([50.0, 500.0, 1000.0, 5000.0]), ECON)
        for j, value in enumerate(cap):
            shown = float(re.sub(r"[^0-9.]", "", cells[3 + j]))
            assert shown == pytest.approx(value / 1000, rel=0.006, abs=0.006), (u.id, j)
        per = [float(re.sub(r"[^0-9.]", "", x)) for x in cells[7].split("/")]
        assert per == pytest.approx(
            list(cap / np.array([50, 500, 1000, 5000])), rel=0.006, abs=0.06
        ), u.id
