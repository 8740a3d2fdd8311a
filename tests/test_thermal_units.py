"""Thermal units (brine concentrator, crystalliser): distillate by droplet entrainment, salt cake
with its composition, and a ZLD train that closes at the JSON level.

Hand calculations (docs/chemistry_thermal.md):

* Brine concentrator, recovery r, entrainment eps (m3 of brine carried per m3 of distillate):
  Q C = r Q eps C_b + (1 - r) Q C_b, so C_b = C / ((1 - r) + r eps), C_d = eps C_b and the
  fraction of the inlet mass kept by the brine is (1 - r) / (r eps + 1 - r).  At r 0.9 and
  eps 1e-4: 0.1 / 0.10009 = 0.999100809...
* Bicarbonate in boiling brine: 2 HCO3- -> CO3-- + CO2 + H2O, i.e. per g of HCO3
  60.008 / (2 x 61.016) g CO3 and 44.009 / (2 x 61.016) g CO2 (molar masses typed below).
* Crystalliser, design recovery r_c (1 - r_c = purge), mother liquor a mg/L, cake solids
  fraction f: crystals S = M_D - (Q_r + eps Q_d) a with Q_r = the purge while the cake's liquor
  S (1 - f) / f / 1000 fits in it; distillate eps a.

The ZLD train runs on the bundled Qinshui sample SZ-3-04 through the public front door
(``cbmwater.treat``, the CLI's JSON) and is balanced here from the JSON only:
feed + what the stages add (``added_kg_d``; the chloride of PAC is checked by hand from its dose
and the catalogue) = product + residual liquids that leave the works + every residual's
``solids_kg_d``, for every conservative constituent measured in the feed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cbmwater
from cbmwater.errors import DatabaseError
from cbmwater.resources import example_path
from cbmwater.treatment.economics import load_economics
from cbmwater.treatment.library import LIBRARY_DIR, load_library
from cbmwater.treatment.models import run_unit
from cbmwater.treatment.streams import CONSERVATIVE, INDEX, StreamBatch
from cbmwater.treatment.train import scale_result, simulate_train
from cbmwater.water.vocabulary import CONSTITUENTS

LIB = load_library()
ECON = load_economics()
ROOT = Path(__file__).resolve().parents[1]
ANALYSES = example_path("qinshui", "analyses.csv")
ZLD = (
    "coagulation,sedimentation,multimedia_filter,ultrafiltration,cartridge_filter,brackish_ro,"
    "mvc_concentrator,crystallizer"
)
DISSOLVED_EXCLUDED = ("TSS", "COD")

# Typed values: the library is read too, so a changed number is noticed here.
EPS, R_MVC, R_CRYST, LIQUOR, F_CAKE = 1.0e-4, 0.90, 0.95, 300_000.0, 0.85
M_HCO3, M_CO3, M_CO2 = 61.016, 60.008, 44.009
DISTILLATE_MAX_MG_L = 50.0


def test_typed_values_are_the_library_and_vocabulary_values():
    mvc, cr = LIB["mvc_concentrator"], LIB["crystallizer"]
    assert (mvc.params["entrainment"], mvc.recovery) == (EPS, R_MVC)
    assert (
        cr.params["entrainment"],
        cr.recovery,
        cr.params["mother_liquor_tds_mg_L"],
        cr.sludge_solids_frac,
    ) == (EPS, R_CRYST, LIQUOR, F_CAKE)
    assert mvc.removal == {} and cr.removal == {}  # derived, not tabulated
    assert CONSTITUENTS["HCO3"].molar_mass == pytest.approx(M_HCO3, abs=1e-9)
    assert CONSTITUENTS["CO3"].molar_mass == pytest.approx(M_CO3, abs=1e-9)
    for key in ("params.entrainment", "params.mother_liquor_tds_mg_L"):
        assert "[U]" in cr.sources[key]
    assert "[U]" in mvc.sources["params.entrainment"]


def tds(conc: dict[str, float]) -> float:
    """Dissolved solids, mg/L: sum of every dissolved constituent reported."""
    return sum(v for k, v in conc.items() if k not in DISSOLVED_EXCLUDED)


@pytest.fixture(scope="module")
def zld(tmp_path_factory) -> dict:
    # in a scratch directory: PHREEQC writes error.inp into the working directory
    with contextlib.chdir(tmp_path_factory.mktemp("phreeqc")):
        return cbmwater.treat(ANALYSES, ZLD, flow_m3_d=1000.0, sample="SZ-3-04").to_dict()


def stage(result: dict, unit: str) -> dict:
    (s,) = [s for s in result["stages"] if s["unit"] == unit]
    return s


# --------------------------------------------------------------------------------------------
# The ZLD train, balanced from the JSON
# --------------------------------------------------------------------------------------------


def test_zld_train_closes_water_and_every_conservative_constituent(zld):
    q_feed = zld["feed"]["flow_m3_d"]
    leaving = [r for r in zld["residuals"] if r["treated_by"] is None]
    # water: feed = product + evaporated + liquid residuals that leave the works
    q_out = (
        zld["product"]["flow_m3_d"] + zld["evaporated_m3_d"] + sum(r["flow_m3_d"] for r in leaving)
    )
    assert q_out == pytest.approx(q_feed, rel=5e-3)
    assert q_out == pytest.approx(q_feed, rel=1e-9)  # in fact exact

    # what enters the water in the stages (chemicals' ions, coagulant floc carried on as TSS,
    # carbonate formed from bicarbonate), as the JSON gives it; the chloride of PAC checked by
    # hand from the dose and the catalogue (mol Cl per mol Al2O3 x 35.45 / 101.96)
    added = {c: sum(s["added_kg_d"].get(c, 0.0) for s in zld["stages"]) for c in CONSERVATIVE}
    coag = stage(zld, "coagulation")
    pac = {d.chemical: d for d in LIB["coagulation"].chemicals}["pac"]
    cat = ECON.chemicals["pac"]
    cl_hand = (
        pac.dose_mg_L
        * coag["inlet"]["flow_m3_d"]
        / 1000.0
        * cat.adds_mol["Cl"]
        * CONSTITUENTS["Cl"].molar_mass
        / cat.molar_mass_g_mol
    )
    assert cl_hand > 5.0  # about 5.3 kg/d
    assert added["Cl"] == pytest.approx(cl_hand, rel=5e-3)
    for s in zld["stages"]:
        assert not set(s["gas_kg_d"]) & set(CONSERVATIVE), s["unit"]

    checked = 0
    for c in CONSERVATIVE:
        feed_c = zld["feed"]["concentrations"].get(c)
        if feed_c is None:
            continue  # not measured (Al)
        m_in = q_feed * feed_c / 1000.0 + added[c]
        m_out = zld["product"]["flow_m3_d"] * zld["product"]["concentrations"][c] / 1000.0
        m_out += sum(r["flow_m3_d"] * r["concentrations"].get(c, 0.0) / 1000.0 for r in leaving)
        m_out += sum(r["solids_kg_d"].get(c, 0.0) for r in zld["residuals"])
        assert m_out == pytest.approx(m_in, rel=5e-3), c
        checked += 1
    assert checked == len(CONSERVATIVE) - 1
    # most of the salt leaves as the crystalliser's cake, e.g. sodium
    salt = next(r for r in zld["residuals"] if r["unit"] == "crystallizer")
    na_in = q_feed * zld["feed"]["concentrations"]["Na"] / 1000.0
    assert salt["solids_kg_d"]["Na"] > 0.6 * na_in


def test_every_residual_reports_its_solids_composition(zld):
    for r in zld["residuals"]:
        assert {"dry_kg_d", "solids_kg_d", "solids_other_kg_d"} <= set(r)
        assert r["dry_kg_d"] == pytest.approx(
            sum(r["solids_kg_d"].values()) + r["solids_other_kg_d"], rel=1e-12, abs=1e-12
        )
        if r["kind"] in ("brine", "backwash"):
            assert r["solids_kg_d"] == {} and r["dry_kg_d"] == 0.0
    # zero-order and thermal solids are all canonical constituents
    for unit in ("sedimentation", "multimedia_filter", "cartridge_filter", "crystallizer"):
        r = next(x for x in zld["residuals"] if x["unit"] == unit)
        assert r["solids_other_kg_d"] == 0.0 and r["dry_kg_d"] > 0, unit
    sed = next(x for x in zld["residuals"] if x["unit"] == "sedimentation")
    assert set(sed["solids_kg_d"]) == {"TSS"}


def test_salt_cake_liquor_plus_crystals_is_all_that_the_distillate_does_not_take(zld):
    cr = stage(zld, "crystallizer")
    salt = next(r for r in zld["residuals"] if r["unit"] == "crystallizer")
    assert cr["inlet"]["flow_m3_d"] == pytest.approx(
        next(r for r in zld["residuals"] if r["unit"] == "mvc_concentrator")["flow_m3_d"], rel=1e-12
    )
    for c in ("Na", "Cl", "SO4", "F", "SiO2", "B", "CO3"):
        m_in = cr["inlet"]["flow_m3_d"] * cr["inlet"]["concentrations"][c] / 1000.0
        m_out = (
            cr["outlet"]["flow_m3_d"] * cr["outlet"]["concentrations"][c]
            + salt["flow_m3_d"] * salt["concentrations"][c]
        ) / 1000.0 + salt["solids_kg_d"][c]
        assert m_out == pytest.approx(m_in, rel=1e-9), c
    # the liquor is saturated (the feed is far above it after the purge) and is the purge:
    # crystals' liquor S (1 - f) / f / 1000 m3/d fits in the purge (1 - r_c) Q
    assert tds(salt["concentrations"]) == pytest.approx(LIQUOR, rel=1e-9)
    assert salt["flow_m3_d"] == pytest.approx((1 - R_CRYST) * cr["inlet"]["flow_m3_d"], rel=1e-12)
    assert salt["dry_kg_d"] * (1 - F_CAKE) / F_CAKE / 1000.0 < salt["flow_m3_d"]
    assert salt["wet_m3_d"] == pytest.approx(salt["dry_kg_d"] / (F_CAKE * 1000.0), rel=1e-12)
    # bicarbonate is gone from the salt: it is soda (CO3)
    assert "HCO3" not in salt["solids_kg_d"] and salt["solids_kg_d"]["CO3"] > 0


def test_thermal_stages_show_the_brine_they_treat_and_their_distillate(zld):
    ro = stage(zld, "brackish_ro")
    ro_brine = next(r for r in zld["residuals"] if r["unit"] == "brackish_ro")
    assert ro["acts_on"] == "main line" and ro["outlet_kind"] == "product"
    for unit, treats, r in (
        ("mvc_concentrator", "brackish_ro brine", R_MVC),
        ("crystallizer", "mvc_concentrator brine", R_CRYST),
    ):
        s = stage(zld, unit)
        assert s["acts_on"] == treats and s["outlet_kind"] == "distillate"
        assert s["outlet"]["flow_m3_d"] == pytest.approx(r * s["inlet"]["flow_m3_d"], rel=1e-12)
        assert s["outlet"]["pH"] is None  # not computed
        assert s["entrainment"] == EPS
    assert stage(zld, "mvc_concentrator")["inlet"]["flow_m3_d"] == pytest.approx(
        ro_brine["flow_m3_d"], rel=1e-12
    )
    assert ro_brine["treated_by"] == "mvc_concentrator"


def test_every_distillate_is_below_50_mg_L_and_the_product_is_the_hand_mixture(zld):
    ro, mvc, cr = (stage(zld, u) for u in ("brackish_ro", "mvc_concentrator", "crystallizer"))
    for s in (mvc, cr):
        assert tds(s["outlet"]["concentrations"]) < DISTILLATE_MAX_MG_L, s["unit"]

    # hand: RO brine -> bicarbonate to carbonate -> brine concentrator -> crystalliser
    q_b = ro["inlet"]["flow_m3_d"] - ro["outlet"]["flow_m3_d"]
    brine = next(r for r in zld["residuals"] if r["unit"] == "brackish_ro")["concentrations"]
    hco3 = brine["HCO3"]
    tds_conv = tds(brine) - hco3 + hco3 * M_CO3 / (2 * M_HCO3)  # mg/L, after 2HCO3 -> CO3
    c_b = tds_conv / ((1 - R_MVC) + R_MVC * EPS)  # MVC brine
    q_d1, c_d1 = R_MVC * q_b, EPS * c_b
    q_c = (1 - R_MVC) * q_b
    crystals = q_c * c_b - ((1 - R_CRYST) * q_c + EPS * R_CRYST * q_c) * LIQUOR  # g/d
    assert crystals > 0 and crystals / 1000 * (1 - F_CAKE) / F_CAKE / 1000 < (1 - R_CRYST) * q_c
    q_d2, c_d2 = R_CRYST * q_c, EPS * LIQUOR
    q_p, c_p = ro["outlet"]["flow_m3_d"], tds(ro["outlet"]["concentrations"])
    expect = (q_p * c_p + q_d1 * c_d1 + q_d2 * c_d2) / (q_p + q_d1 + q_d2)

    assert tds(mvc["outlet"]["concentrations"]) == pytest.approx(c_d1, rel=1e-6)
    assert tds(cr["outlet"]["concentrations"]) == pytest.approx(c_d2, rel=1e-6)
    assert zld["product"]["flow_m3_d"] == pytest.approx(q_p + q_d1 + q_d2, rel=1e-9)
    assert tds(zld["product"]["concentrations"]) == pytest.approx(expect, rel=1e-6)
    # near the RO permeate (the distillates only dilute it), far from the 197 mg/L of the flat
    # 0.98 removal
    assert q_p / (q_p + q_d1 + q_d2) * c_p < tds(zld["product"]["concentrations"]) < c_p
    # the CO2 vented is the bicarbonate's: 44.009 / (2 x 61.016) g per g of HCO3
    assert mvc["co2_vented_kg_d"] == pytest.approx(
        q_b * hco3 / 1000 * M_CO2 / (2 * M_HCO3), rel=1e-9
    )


def test_derived_removal_is_the_entrainment_mass_balance(zld):
    mvc = stage(zld, "mvc_concentrator")
    hand = (1 - R_MVC) / (R_MVC * EPS + 1 - R_MVC)
    assert hand == pytest.approx(0.9991008092, rel=1e-9)
    assert mvc["removal"] == pytest.approx(hand, rel=1e-12)
    q_in, q_d = mvc["inlet"]["flow_m3_d"], mvc["outlet"]["flow_m3_d"]
    for c in ("Na", "Cl", "SO4", "SiO2", "B", "F"):
        c_in, c_d = mvc["inlet"]["concentrations"][c], mvc["outlet"]["concentrations"][c]
        kept = 1 - q_d * c_d / (q_in * c_in)
        assert kept == pytest.approx(hand, rel=1e-12), c


# --------------------------------------------------------------------------------------------
# Single units on synthetic brines (no PHREEQC)
# --------------------------------------------------------------------------------------------


def brine(flow=100.0, **conc) -> StreamBatch:
    df = pd.DataFrame([{**conc, "pH": 8.5, "temp_C": 25.0}])
    return StreamBatch.from_frame(df, flow)


def test_brine_concentrator_by_hand():
    feed = brine(100.0, Na=5000.0, Cl=6000.0, HCO3=3000.0, SO4=800.0, TSS=10.0, COD=200.0)
    s = run_unit(LIB["mvc_concentrator"], feed, ECON)
    den = (1 - R_MVC) + R_MVC * EPS
    for c, v in (("Na", 5000.0), ("Cl", 6000.0), ("SO4", 800.0), ("TSS", 10.0), ("COD", 200.0)):
        assert s.residual.conc_mg_L[0, INDEX[c]] == pytest.approx(v / den, rel=1e-12), c
        assert s.product.conc_mg_L[0, INDEX[c]] == pytest.approx(EPS * v / den, rel=1e-12), c
    co3 = 3000.0 * M_CO3 / (2 * M_HCO3)
    assert s.residual.conc_mg_L[0, INDEX["HCO3"]] == 0.0
    assert s.residual.conc_mg_L[0, INDEX["CO3"]] == pytest.approx(co3 / den, rel=1e-9)
    assert s.details["co2_vented_mg_L"][0] == pytest.approx(3000.0 * M_CO2 / (2 * M_HCO3), rel=1e-9)
    # bookkeeping: bicarbonate leaves as gas, carbonate appears as formed
    assert s.gas_g_d[0, INDEX["HCO3"]] == pytest.approx(3000.0 * 100.0, rel=1e-12)
    assert s.added_g_d[0, INDEX["CO3"]] == pytest.approx(co3 * 100.0, rel=1e-9)
    assert (s.product.flow_m3_d[0], s.residual.flow_m3_d[0]) == pytest.approx((90.0, 10.0))
    assert math.isnan(s.product.pH[0]) and math.isnan(s.residual.pH[0])
    assert s.solids_kg_d[0] == 0.0


def test_crystalliser_regimes_by_hand():
    cr = LIB["crystallizer"]
    # 1. purge governs: 20 m3/d at 100 g/L NaCl-type salt
    feed = brine(20.0, Na=39_000.0, Cl=61_000.0)
    s = run_unit(cr, feed, ECON)
    q_r, q_d = (1 - R_CRYST) * 20.0, R_CRYST * 20.0
    crystals = 20.0 * 100_000.0 - (q_r + EPS * q_d) * LIQUOR  # g/d
    assert s.residual.flow_m3_d[0] == pytest.approx(q_r, rel=1e-12)
    assert s.solids_kg_d[0] == pytest.approx(crystals / 1000.0, rel=1e-12)
    assert s.solids_g_d[0, INDEX["Na"]] == pytest.approx(0.39 * crystals, rel=1e-12)
    assert np.nansum(s.residual.conc_mg_L[0]) == pytest.approx(LIQUOR, rel=1e-12)
    assert np.nansum(s.product.conc_mg_L[0]) == pytest.approx(EPS * LIQUOR, rel=1e-12)

    # 2. the cake governs: purge 0.1 %, so the cake's liquor k S (k = (1 - f) / f / 1000 m3/kg)
    # is larger; Q_r = k S / 1000 and S = M - (Q_r + eps (Q - Q_r)) a, solved by hand
    cr2 = dataclasses.replace(cr, recovery=0.999)
    s2 = run_unit(cr2, feed, ECON)
    k = (1 - F_CAKE) / F_CAKE / 1000.0
    m = 20.0 * 100_000.0
    g = (1 - EPS) * LIQUOR * k / 1000.0
    s_hand = (m - EPS * 20.0 * LIQUOR) / (1 + g)
    assert s2.solids_kg_d[0] == pytest.approx(s_hand / 1000.0, rel=1e-12)
    assert s2.residual.flow_m3_d[0] == pytest.approx(k * s_hand / 1000.0, rel=1e-12)
    assert s2.residual.flow_m3_d[0] > (1 - 0.999) * 20.0
    assert np.nansum(s2.residual.conc_mg_L[0]) == pytest.approx(LIQUOR, rel=1e-12)

    # 3. too dilute to crystallise: everything stays in the purge liquor
    dilute = brine(20.0, Na=390.0, Cl=610.0)
    s3 = run_unit(cr, dilute, ECON)
    assert s3.solids_kg_d[0] == 0.0
    c_l = 1000.0 / ((1 - R_CRYST) + R_CRYST * EPS)
    assert np.nansum(s3.residual.conc_mg_L[0]) == pytest.approx(c_l, rel=1e-12)


def test_ammonium_in_a_thermal_feed_is_flagged():
    with_nh4 = run_unit(
        LIB["mvc_concentrator"], brine(50.0, Na=3000.0, Cl=4600.0, NH4_N=20.0), ECON
    )
    without = run_unit(LIB["mvc_concentrator"], brine(50.0, Na=3000.0, Cl=4600.0), ECON)
    assert any("ammonium" in w and "NH3" in w for w in with_nh4.warnings[0])
    assert not any("ammonium" in w for w in without.warnings[0])


def test_scale_result_scales_the_solids_composition(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # PHREEQC writes error.inp into the working directory
    df = pd.DataFrame(
        [
            {
                "Na": 800.0,
                "Ca": 10.0,
                "Mg": 3.0,
                "Cl": 600.0,
                "SO4": 50.0,
                "HCO3": 900.0,
                "TSS": 5.0,
                "pH": 7.8,
                "temp_C": 20.0,
            }
        ]
    )
    units = "cartridge_filter,brackish_ro,mvc_concentrator,crystallizer"
    base = simulate_train(units, StreamBatch.from_frame(df, 1000.0), library=LIB, economics=ECON)
    scaled = scale_result(base, [0], [3000.0])
    direct = simulate_train(units, StreamBatch.from_frame(df, 3000.0), library=LIB, economics=ECON)
    for a, b in zip(scaled.residuals, direct.residuals):
        np.testing.assert_allclose(
            a.solids_by_constituent_kg_d, b.solids_by_constituent_kg_d, rtol=1e-9, atol=1e-12
        )
    salt = next(r for r in scaled.residuals if r.unit == "crystallizer")
    assert salt.solids_by_constituent_kg_d[0, INDEX["Na"]] > 0


# --------------------------------------------------------------------------------------------
# The loader refuses a thermal unit without its parameters or with a removal table
# --------------------------------------------------------------------------------------------


def library_with(tmp_path, old: str, new: str) -> Path:
    text = (LIBRARY_DIR / "units.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    shutil.copy(LIBRARY_DIR / "economics.toml", tmp_path / "economics.toml")
    path = tmp_path / "units.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


MVC_PARAMS = '[units.mvc_concentrator.params]\napplies_to = "brine"\nentrainment = 1.0e-4\n'


@pytest.mark.parametrize(
    "new, field",
    [
        ('[units.mvc_concentrator.params]\napplies_to = "brine"\n', "params.entrainment"),
        (MVC_PARAMS.replace("1.0e-4", "0.5"), "params.entrainment"),
    ],
)
def test_thermal_parameters_are_required(tmp_path, new, field):
    with pytest.raises(DatabaseError, match="mvc_concentrator") as exc:
        load_library(library_with(tmp_path, MVC_PARAMS, new))
    assert field in str(exc.value)


def test_a_removal_table_on_a_thermal_unit_is_refused(tmp_path):
    old = "[units.mvc_concentrator.params]"
    text = (LIBRARY_DIR / "units.toml").read_text(encoding="utf-8")
    head = text.split(old)[0]
    # put a removal table into the mvc_concentrator unit (its first line after the header)
    i = head.rindex("[units.mvc_concentrator]")
    path = library_with(
        tmp_path,
        head[i : i + 60],
        head[i : i + 60].replace(
            "[units.mvc_concentrator]\n", "[units.mvc_concentrator]\nremoval = { default = 0.98 }\n"
        ),
    )
    with pytest.raises(DatabaseError, match="derives its removal"):
        load_library(path)
