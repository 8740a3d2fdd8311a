"""Costing of a simulated train reproduced by hand.

Reference values typed here (cbmwater/databases/treatment/units.toml and economics.toml; the test also
asserts the loaded files still hold them, so a changed number is noticed):

  capital curves   A (Q/Q_ref)^B x installation factor, in USD of the curve year
    coagulation        59 167 USD2007 x (Q/1000)^0.5479 x 3.4
    sedimentation      37 758 USD2007 x (Q/1000)^0.3182 x 3.4
    multimedia_filter  5.5e6  USD2014 x (Q/113 562.3)^0.5862 x 1
  CEPCI 2007 525.4, 2014 576.1, 2024 800.0; CNY per USD 2024 7.1217; location factor USD 0.4
  -> capex = A (Q/Q_ref)^B x f_inst x 800/CEPCI[year] x 7.1217 x 0.4   (CNY of 2024)
  electricity 0.60 CNY/kWh; labour 100 000 CNY/person-yr; sludge (general_solid) 800 CNY/t dry;
  hazardous salt 3600 CNY/t as delivered (dry / solids fraction); brine 60 CNY/m3; backwash 2 CNY/m3
  PAC 2000 CNY/t at purity 0.28; PAM 12 000 CNY/t at purity 0.90
  finance 8 %, 20 yr, utilization 0.95 -> operating days 365 x 0.95 = 346.75
  CRF = 0.08 x 1.08^20 / (1.08^20 - 1) = 0.08 x 4.660957 / 3.660957 = 0.101852 /yr
  LCOW = (CRF x capex + opex) / (product m3/d x 365 x utilization)     (WaterTAP definition)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cbmwater.treatment.costing import CATEGORIES, cost_train
from cbmwater.treatment.economics import capital_recovery_factor, load_economics
from cbmwater.treatment.library import load_library
from cbmwater.treatment.streams import TRACKED, StreamBatch
from cbmwater.treatment.summary import summarise
from cbmwater.treatment.train import simulate_train

LIB = load_library()
ECON = load_economics()
SMALL = "coagulation,sedimentation,multimedia_filter"
RO = "coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro"
# a soft Na-Cl-HCO3 water whose RO recovery is not limited by scaling
WATER = dict(
    Na=500.0,
    Cl=300.0,
    HCO3=800.0,
    SO4=20.0,
    Ca=4.0,
    Mg=1.0,
    SiO2=8.0,
    TSS=100.0,
    pH=7.8,
    temp_C=20.0,
)

TYPED_CURVES = {
    "coagulation": (59167, 0.5479, 1000, "USD", 2007, 3.4, 50, 50000),
    "sedimentation": (37758, 0.3182, 1000, "USD", 2007, 3.4, 50, 50000),
    "multimedia_filter": (5.5e6, 0.5862, 113562.3, "USD", 2014, 1.0, 50, 113562.3),
}
TYPED_OM = {  # maintenance fraction /yr, replacement CNY/m3, labour persons, energy kWh/m3
    "coagulation": (0.03, 0.0, 0.25, 0.00508),
    "sedimentation": (0.03, 0.0, 0.25, 0.0),
    "multimedia_filter": (0.03, 0.01, 0.1, 0.00015),
}


def feed(flow: float, **over) -> StreamBatch:
    w = {**WATER, **over}
    return StreamBatch.from_frame(pd.DataFrame([w]), flow)


def run(train: str, flow: float = 1000.0, econ=ECON):
    r = simulate_train(train, feed(flow), library=LIB, economics=econ)
    return r, cost_train(r, econ)


def by(cost, unit=None, category=None) -> float:
    bd = cost.breakdown[cost.breakdown["water"] == 0]
    if unit is not None:
        bd = bd[bd["unit"] == unit]
    if category is not None:
        bd = bd[bd["category"] == category]
    return float(bd["CNY_yr"].sum())


def test_crf_with_typed_reference_values():
    g = 1.08**20
    assert g == pytest.approx(4.660957, abs=1e-6)
    assert 0.08 * g / (g - 1) == pytest.approx(0.101852, abs=1e-6)
    assert capital_recovery_factor(0.08, 20) == pytest.approx(0.101852, abs=1e-6)
    assert (ECON.discount_rate, ECON.life_yr) == (0.08, 20)
    assert ECON.crf() == pytest.approx(0.101852, abs=1e-6)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(1 / 20, rel=1e-12)


def test_loaded_numbers_are_the_typed_reference_values():
    for uid, (A, B, qref, cur, year, inst, qmin, qmax) in TYPED_CURVES.items():
        c = LIB[uid].capital
        assert (
            c.A,
            c.B,
            c.Q_ref_m3_d,
            c.currency,
            c.year,
            c.installation_factor,
            c.Q_min_m3_d,
            c.Q_max_m3_d,
        ) == (A, B, qref, cur, year, inst, qmin, qmax), uid
        u = LIB[uid]
        assert (
            u.maintenance_frac_capex_yr,
            u.replacement_CNY_m3,
            u.labour_persons,
            u.energy_kWh_m3,
        ) == TYPED_OM[uid], uid
    assert (ECON.cost_index[2007], ECON.cost_index[2014], ECON.cost_index[2024]) == (
        525.4,
        576.1,
        800.0,
    )
    assert ECON.fx_to_CNY["USD"][2024] == 7.1217
    assert ECON.capital_factor("USD") == 0.4 and ECON.capital_factor("CNY") == 1.0
    assert (ECON.electricity_CNY_kWh, ECON.labour_CNY_person_yr, ECON.utilization) == (
        0.60,
        100000,
        0.95,
    )
    assert (ECON.sludge_disposal_CNY_t_dry, ECON.brine_disposal_CNY_m3) == (800, 60)
    assert (ECON.hazardous_salt_CNY_t, ECON.backwash_CNY_m3) == (3600, 2.0)
    pac, pam = ECON.chemicals["pac"], ECON.chemicals["pam"]
    assert (pac.price_CNY_t, pac.purity, pam.price_CNY_t, pam.purity) == (2000, 0.28, 12000, 0.90)
    # the worked example of cbmwater/databases/treatment/README.md: 1 M USD of 2014 = 9.89 M CNY of 2024
    assert ECON.to_CNY(1e6, "USD", 2014) == pytest.approx(1e6 * 800.0 / 576.1 * 7.1217, rel=1e-12)
    assert ECON.to_CNY(1e6, "USD", 2014) == pytest.approx(9_889_533.07, abs=0.01)


def test_small_train_cost_by_hand():
    r, cost = run(SMALL, 1000.0)
    e = ECON
    days = 365.0 * e.utilization
    # flows (units.toml): coagulation passes all water; its PAC (8.4 mg/L as Al2O3 = 0.08239
    # mmol/L, 2 Al each) precipitates as gibbsite floc, 2 x 0.08239 x 78.003 = 12.853 mg/L when
    # complete (PHREEQC leaves a few ug/L of Al dissolved); the clarifier's sludge holds
    # 0.990826 x (100 + floc) mg/L x 1000 m3/d dry at 3 % solids
    floc = r.steps[0].details["precipitated_mmol_L"]["Gibbsite"][0] * 78.003
    assert floc == pytest.approx(2 * 8.4 / 101.96 * 78.003, rel=2e-3)
    dry_sed = LIB["sedimentation"].removal_of("TSS") * (WATER["TSS"] + floc) * 1000.0 / 1000.0
    q_sed_out = 1000.0 - max(
        (1 - LIB["sedimentation"].recovery) * 1000.0,
        dry_sed / LIB["sedimentation"].sludge_solids_frac / 1000.0,
    )
    assert q_sed_out == pytest.approx(1000.0 - 0.990826 * (100 + floc) / 30.0, rel=1e-12)
    tss_mmf = (1 - LIB["sedimentation"].removal_of("TSS")) * (WATER["TSS"] + floc)
    dry_mmf = LIB["multimedia_filter"].removal_of("TSS") * tss_mmf * q_sed_out / 1000.0
    mmf = LIB["multimedia_filter"]
    q_prod = q_sed_out - max(
        (1 - mmf.recovery) * q_sed_out, dry_mmf / mmf.sludge_solids_frac / 1000.0
    )
    assert q_prod == pytest.approx(q_sed_out * 0.9999, rel=1e-12)  # (1 - r) Q branch
    assert r.product.flow_m3_d[0] == pytest.approx(q_prod, rel=1e-12)
    q_in = {"coagulation": 1000.0, "sedimentation": 1000.0, "multimedia_filter": q_sed_out}

    # capital, unit by unit
    capex = {}
    for uid, q in q_in.items():
        c = LIB[uid].capital
        capex[uid] = (
            c.A
            * (q / c.Q_ref_m3_d) ** c.B
            * c.installation_factor
            * e.cost_index[e.price_year]
            / e.cost_index[c.year]
            * e.fx_to_CNY[c.currency][e.price_year]
            * e.location_factor[c.currency]
        )
    # the same with the typed numbers, written out
    assert capex["coagulation"] == pytest.approx(
        59167 * 3.4 * 800 / 525.4 * 7.1217 * 0.4, rel=1e-12
    )
    assert capex["sedimentation"] == pytest.approx(
        37758 * 3.4 * 800 / 525.4 * 7.1217 * 0.4, rel=1e-12
    )
    assert capex["multimedia_filter"] == pytest.approx(
        5.5e6 * (q_sed_out / 113562.3) ** 0.5862 * 800 / 576.1 * 7.1217 * 0.4, rel=1e-12
    )
    crf = (
        e.discount_rate
        * (1 + e.discount_rate) ** e.life_yr
        / ((1 + e.discount_rate) ** e.life_yr - 1)
    )
    assert cost.crf == pytest.approx(crf, rel=1e-12)
    for uid in q_in:
        assert by(cost, uid, "capital") == pytest.approx(crf * capex[uid], rel=1e-9)
    total_capex = sum(capex.values())
    assert cost.capex_CNY[0] == pytest.approx(total_capex, rel=1e-9)

    # operating cost by category
    elec = sum(LIB[u].energy_kWh_m3 * q for u, q in q_in.items()) * days * e.electricity_CNY_kWh
    pac, pam = e.chemicals["pac"], e.chemicals["pam"]
    # active kg/d = mg/L x m3/d / 1000; commercial t/d = active / purity / 1000; x CNY/t x days
    chem = (
        8.4 * 1000.0 / 1000.0 / pac.purity / 1000.0 * pac.price_CNY_t
        + 0.5 * 1000.0 / 1000.0 / pam.purity / 1000.0 * pam.price_CNY_t
    ) * days
    assert chem == pytest.approx(
        (30.0 / 1000 * 2000 + 0.5 / 0.9 / 1000 * 12000) * 346.75, rel=1e-12
    )  # 8.4 mg/L Al2O3 = 30 mg/L commercial PAC
    repl = 0.01 * q_sed_out * days
    labour = (0.25 + 0.25 + 0.1) * e.labour_CNY_person_yr
    maint = 0.03 * total_capex
    sludge = (dry_sed + dry_mmf) / 1000.0 * e.sludge_disposal_CNY_t_dry * days
    expect = {
        "electricity": elec,
        "chemicals": chem,
        "replacement": repl,
        "labour": labour,
        "maintenance": maint,
        "sludge_disposal": sludge,
        "hazardous_salt_disposal": 0.0,
        "brine_disposal": 0.0,
        "backwash_disposal": 0.0,
    }
    for cat, value in expect.items():
        assert by(cost, category=cat) == pytest.approx(value, rel=1e-9, abs=1e-9), cat
    assert by(cost, "sedimentation", "sludge_disposal") == pytest.approx(
        0.990826 * (100 + floc) / 1000 * 800 * 346.75, rel=1e-9
    )
    opex = sum(expect.values())
    assert cost.opex_CNY_yr[0] == pytest.approx(opex, rel=1e-9)
    annual = crf * total_capex + opex
    assert cost.annualized_CNY_yr[0] == pytest.approx(annual, rel=1e-9)
    assert cost.lcow_CNY_m3[0] == pytest.approx(annual / (q_prod * 365 * 0.95), rel=1e-9)
    assert set(cost.breakdown["category"]) <= set(CATEGORIES)
    assert not any("capital curve" in w for w in cost.warnings[0])


@pytest.mark.parametrize("train", [SMALL, RO])
def test_lcow_moves_with_the_electricity_price_as_the_energy_share_predicts(train):
    r = simulate_train(train, feed(1000.0), library=LIB, economics=ECON)
    p1, p2 = 0.35, 1.10
    c1 = cost_train(r, ECON.with_(electricity_CNY_kWh=p1))
    c2 = cost_train(r, ECON.with_(electricity_CNY_kWh=p2))
    energy = float(r.energy_kWh_d[0])
    assert energy > 0
    expected = (p2 - p1) * energy / float(r.product.flow_m3_d[0])
    assert c2.lcow_CNY_m3[0] - c1.lcow_CNY_m3[0] == pytest.approx(expected, rel=1e-9)
    # energy of the RO train by hand: UF 0.231344952 kWh/m3 of its feed + RO 0.2174 + 0.0489 per
    # g/L of its feed TDS; coagulation 0.00508; multimedia filter 0.00015
    if train == RO:
        s = {st.unit.id: st for st in r.steps}
        q = {u: float(st.feed.flow_m3_d[0]) for u, st in s.items()}
        dissolved = [j for j, n in enumerate(TRACKED) if n not in ("TSS", "COD")]
        tds = float(np.nansum(s["brackish_ro"].feed.conc_mg_L[0, dissolved])) / 1000.0
        hand = (
            0.00508 * q["coagulation"]
            + 0.00015 * q["multimedia_filter"]
            + 0.231344952 * q["ultrafiltration"]
            + (0.2174 + 0.0489 * tds) * q["brackish_ro"]
        )
        assert energy == pytest.approx(hand, rel=1e-12)


def test_brine_disposal_is_charged_for_final_brine_only():
    days = 365 * 0.95
    # RO brine leaves the works: charged as brine; UF backwash also leaves the works (the water
    # balance counts it lost): charged at backwash_CNY_m3 2, not as brine
    r, cost = run(RO)
    (ro_brine,) = [x for x in r.residuals if x.unit == "brackish_ro"]
    assert ro_brine.kind == "brine" and ro_brine.treated_by is None
    assert by(cost, "brackish_ro", "brine_disposal") == pytest.approx(
        ro_brine.stream.flow_m3_d[0] * 60 * days, rel=1e-12
    )
    assert by(cost, category="brine_disposal") == pytest.approx(
        ro_brine.stream.flow_m3_d[0] * 60 * days, rel=1e-12
    )
    assert by(cost, "ultrafiltration", "brine_disposal") == 0.0
    (uf_bw,) = [x for x in r.residuals if x.unit == "ultrafiltration"]
    assert uf_bw.kind == "backwash" and uf_bw.stream.flow_m3_d[0] > 40  # 5 % of ~1000 m3/d
    assert by(cost, "ultrafiltration", "backwash_disposal") == pytest.approx(
        uf_bw.stream.flow_m3_d[0] * 2.0 * days, rel=1e-12
    )

    # the concentrator takes the RO brine: only its own (smaller) brine is charged
    r2, cost2 = run(RO + ",mvc_concentrator")
    (ro_brine2,) = [x for x in r2.residuals if x.unit == "brackish_ro"]
    (mvc_brine,) = [x for x in r2.residuals if x.unit == "mvc_concentrator"]
    assert ro_brine2.treated_by == "mvc_concentrator"
    assert mvc_brine.stream.flow_m3_d[0] == pytest.approx(
        (1 - 0.9) * ro_brine2.stream.flow_m3_d[0], rel=1e-12
    )
    assert by(cost2, "brackish_ro", "brine_disposal") == 0.0
    assert by(cost2, category="brine_disposal") == pytest.approx(
        mvc_brine.stream.flow_m3_d[0] * 60 * days, rel=1e-12
    )

    # with a crystallizer nothing liquid is hauled as brine; the salt is hazardous mixed salt,
    # charged per tonne as delivered: dry / 0.85 solids x 3600 CNY/t, plus any mother liquor
    # purged beyond what the cake holds (tests/test_cost_ranges.py writes that out)
    r3, cost3 = run(RO + ",mvc_concentrator,crystallizer")
    assert by(cost3, category="brine_disposal") == 0.0
    (salt,) = [x for x in r3.residuals if x.unit == "crystallizer"]
    assert by(cost3, "crystallizer", "sludge_disposal") == 0.0
    assert by(cost3, "crystallizer", "hazardous_salt_disposal") >= salt.solids_kg_d[
        0
    ] / 0.85 / 1000 * 3600 * days * (1 - 1e-12)


@pytest.mark.parametrize(
    "flow, units",
    [
        (5.0, ["coagulation", "sedimentation", "multimedia_filter"]),  # all below Q_min 50
        (60000.0, ["coagulation", "sedimentation"]),  # above Q_max 50 000
    ],
)
def test_flow_outside_the_capital_curve_range_is_a_warning(flow, units):
    r, cost = run(SMALL, flow)
    ws = [w for w in cost.warnings[0] if "outside the capital curve's valid range" in w]
    assert sorted(w.split(":")[0] for w in ws) == sorted(units)
    # still costed (extrapolated), and the warnings reach the summary
    assert np.isfinite(cost.lcow_CNY_m3[0]) and cost.capex_CNY[0] > 0
    summary = summarise(r, cost, 0)
    for w in ws:
        assert w in summary["warnings"]


def test_summary_totals_agree_with_the_breakdown():
    r, cost = run(SMALL)
    s = summarise(r, cost, 0)
    cats = s["breakdown"]["by_category"]
    assert sum(v for k, v in cats.items() if k != "capital") == pytest.approx(
        s["opex_CNY_yr"], rel=1e-12
    )
    assert cats["capital"] == pytest.approx(s["crf_per_yr"] * s["capex_CNY"], rel=1e-12)
    assert s["lcow_CNY_m3"] * s["product"]["flow_m3_d"] * 365 * 0.95 == pytest.approx(
        s["annualized_CNY_yr"], rel=1e-12
    )
    assert s["energy_kWh_m3"] == pytest.approx(s["energy_kWh_d"] / s["product"]["flow_m3_d"])
    assert math.isclose(
        sum(sum(u.values()) for u in s["breakdown"]["by_unit"].values()),
        s["annualized_CNY_yr"],
        rel_tol=1e-12,
    )
