"""Calculated acidity (Kirby & Cravotta 2005) against the AMDTreat tutorial discharges, by hand."""

import json
import math

import pandas as pd
import pytest

from cbmwater.errors import InputError
from cbmwater.minewater.acidity import (
    acid_load_kg_d,
    acidity_report,
    acidity_table,
    calculated_acidity,
)
from cbmwater.water.analysis import AnalysisSet

# AMDTreat tutorial discharges (amdtreat.osmre.gov/tutorial.htm; amd.md notes, docs/references.md):
# reported calculated acidity 155.7 and 81.0 mg/L CaCO3 (hot acidity 157 and 80).
D1 = dict(sample_id="D1", pH=3.1, Fe2=46.8, Fe3=0.0, Al=1.14, Mn=14.2, SO4=580.0)
D2 = dict(sample_id="D2", pH=4.9, Fe2=1.0, Fe3=0.35, Al=2.70, Mn=34.4, SO4=2400.0)


def test_tutorial_discharges_by_hand():
    # D1: 50 * (2*46.8/55.845 + 3*0/55.845 + 3*1.14/26.98 + 2*14.2/54.938 + 1000*10**-3.1)
    #   = 50 * (1.676068 + 0 + 0.126761 + 0.516947 + 0.794328) = 50 * 3.114104 = 155.705
    d1_hand = 50 * (
        2 * 46.8 / 55.845 + 0.0 + 3 * 1.14 / 26.98 + 2 * 14.2 / 54.938 + 1000 * 10**-3.1
    )
    # D2: 50 * (2*1.0/55.845 + 3*0.35/55.845 + 3*2.70/26.98 + 2*34.4/54.938 + 1000*10**-4.9)
    #   = 50 * (0.035814 + 0.018802 + 0.300222 + 1.252321 + 0.012589) = 50 * 1.619748 = 80.987
    d2_hand = 50 * (
        2 * 1.0 / 55.845
        + 3 * 0.35 / 55.845
        + 3 * 2.70 / 26.98
        + 2 * 34.4 / 54.938
        + 1000 * 10**-4.9
    )
    assert d1_hand == pytest.approx(155.705, abs=0.001)
    assert d2_hand == pytest.approx(80.987, abs=0.001)
    # D2 (pH 4.9) has no alkalinity in the tutorial table: taken as 0, explicitly
    t = acidity_table(pd.DataFrame([D1, D2]), missing_alkalinity="zero")
    assert t.loc["D1", "acidity_calc_mg_L_CaCO3"] == pytest.approx(155.7, abs=0.5)
    assert t.loc["D2", "acidity_calc_mg_L_CaCO3"] == pytest.approx(81.0, abs=0.5)
    assert t.loc["D1", "acidity_calc_mg_L_CaCO3"] == pytest.approx(d1_hand, rel=1e-12)
    assert t.loc["D2", "acidity_calc_mg_L_CaCO3"] == pytest.approx(d2_hand, rel=1e-12)
    # scalar function agrees
    assert calculated_acidity(3.1, 46.8, 0.0, 1.14, 14.2) == pytest.approx(d1_hand)


def test_net_acidity_net_alkalinity_and_load():
    # D1 at pH 3.1 has no alkalinity by definition (below the 4.5 end point): net = calculated
    # D2 with a measured alkalinity of 20 mg/L CaCO3: net acidity = 80.987 - 20 = 60.987
    d2 = dict(D2, alkalinity_CaCO3=20.0)
    t = acidity_table(pd.DataFrame([D1, d2]), flows_m3_d={"D1": 500.0, "D2": 1200.0})
    assert t.loc["D1", "alkalinity_mg_L_CaCO3"] == 0.0
    assert "alkalinity end point" in t.loc["D1", "notes"]
    assert t.loc["D2", "net_acidity_mg_L_CaCO3"] == pytest.approx(80.987 - 20.0, abs=0.001)
    assert t.loc["D2", "net_alkalinity_mg_L_CaCO3"] == pytest.approx(-(80.987 - 20.0), abs=0.001)
    # load: 155.705 mg/L x 500 m3/d / 1000 = 77.85 kg CaCO3/d; 60.987 x 1200 / 1000 = 73.18
    assert t.loc["D1", "acid_load_kg_d"] == pytest.approx(155.705 * 500 / 1000, abs=0.001)
    assert t.loc["D2", "acid_load_kg_d"] == pytest.approx(60.987 * 1200 / 1000, abs=0.002)
    assert acid_load_kg_d(-30.0, 100.0) == pytest.approx(-3.0)  # net-alkaline: negative


def test_alkalinity_from_bicarbonate_and_net_alkaline_water():
    # pH 6.8, HCO3 244 mg/L -> 50.04 * 244/61.017 = 200.1 mg/L CaCO3; Fe(II) 5, Mn 1:
    # acidity = 50 (2*5/55.845 + 2*1/54.938 + 1000*10**-6.8) = 50 * (0.179067 + 0.036405 + 0.000158)
    w = dict(sample_id="N", pH=6.8, Fe2=5.0, Mn=1.0, Al=0.0, HCO3=244.0)
    t = acidity_table(pd.DataFrame([w]))
    alk = 50.04 * 244.0 / 61.017
    acid = 50 * (2 * 5 / 55.845 + 2 * 1 / 54.938 + 1000 * 10**-6.8)
    assert t.loc["N", "alkalinity_mg_L_CaCO3"] == pytest.approx(alk, rel=1e-3)
    assert t.loc["N", "net_acidity_mg_L_CaCO3"] == pytest.approx(acid - alk, rel=1e-3)
    assert t.loc["N", "net_alkalinity_mg_L_CaCO3"] > 0  # net-alkaline
    assert "HCO3 + CO3" in t.loc["N", "notes"]


def test_missing_alkalinity_is_an_error_or_an_explicit_zero():
    w = dict(sample_id="C", pH=6.5, Fe2=10.0, Al=0.1, Mn=2.0)
    with pytest.raises(InputError, match="no alkalinity.*C.*missing_alkalinity='zero'"):
        acidity_table(pd.DataFrame([w]))
    t = acidity_table(pd.DataFrame([w]), missing_alkalinity="zero")
    assert t.loc["C", "alkalinity_mg_L_CaCO3"] == 0.0
    assert any("C" in s and "upper bound" in s for s in t.attrs["warnings"])
    with pytest.raises(InputError, match="allowed: error, zero"):
        acidity_table(pd.DataFrame([w]), missing_alkalinity="guess")


def test_total_iron_policy_is_stated_and_applied():
    w = dict(sample_id="T", pH=3.0, Fe=111.69, Al=0.0, Mn=0.0)
    # 111.69 mg/L Fe = 2 mmol/L; ferrous: 2 eq/mol -> 4 meq; ferric: 3 -> 6 meq; H+ 1 mmol/L
    ferrous = acidity_table(pd.DataFrame([w]))
    ferric = acidity_table(pd.DataFrame([w]), fe_policy="ferric")
    assert ferrous.loc["T", "acidity_calc_mg_L_CaCO3"] == pytest.approx(50 * (4 + 1), rel=1e-4)
    assert ferric.loc["T", "acidity_calc_mg_L_CaCO3"] == pytest.approx(50 * (6 + 1), rel=1e-4)
    assert "fe_policy 'ferrous'" in ferrous.loc["T", "notes"]
    assert ferrous.attrs["warnings"] == [
        "only total Fe measured for T: taken as all Fe(II) (fe_policy 'ferrous')"
    ]
    assert "Fe(III)" in ferric.attrs["warnings"][0]
    # Fe(II) and total Fe measured: Fe(III) is the difference
    both = acidity_table(pd.DataFrame([dict(w, Fe2=55.845)]))
    assert both.loc["T", "Fe3_mg_L"] == pytest.approx(111.69 - 55.845)
    assert both.attrs["warnings"] == []
    with pytest.raises(InputError, match="allowed: ferrous, ferric"):
        acidity_table(pd.DataFrame([w]), fe_policy="from_pH_Eh")


def test_missing_ph_and_bad_values_are_refused():
    with pytest.raises(InputError, match="pH is required"):
        acidity_table(pd.DataFrame([dict(sample_id="X", Fe2=1.0)]))
    with pytest.raises(InputError, match="flow"):
        acidity_table(pd.DataFrame([D1]), flows_m3_d={"D1": -5})
    with pytest.raises(InputError, match="unknown sample"):
        acidity_table(pd.DataFrame([D1]), flows_m3_d={"D9": 5})
    with pytest.raises(InputError):
        calculated_acidity(float("nan"), 1.0)


def test_report_from_a_lab_file_is_json_ready(tmp_path):
    path = tmp_path / "adits.csv"
    path.write_text(
        "样品编号,pH,Fe2+ (mg/L),Fe3+ (mg/L),铝,锰,硫酸盐\n"
        "D1,3.1,46.8,0,1.14,14.2,580\n"
        "D2,4.9,1.0,0.35,2.70,<0.5,2400\n",
        encoding="utf-8",
    )
    rep = acidity_report(path, missing_alkalinity="zero")
    d = json.loads(json.dumps(rep.as_dict()))
    by_id = {s["sample_id"]: s for s in d["samples"]}
    assert by_id["D1"]["acidity_calc_mg_L_CaCO3"] == pytest.approx(155.7, abs=0.5)
    assert by_id["D1"]["net_acidity_mg_L_CaCO3"] == pytest.approx(155.7, abs=0.5)
    # D2's Mn "<0.5" is censored: half the detection limit (0.25) is used, with a warning
    d2 = 50 * (
        2 * 1.0 / 55.845
        + 3 * 0.35 / 55.845
        + 3 * 2.70 / 26.98
        + 2 * 0.25 / 54.938
        + 1000 * 10**-4.9
    )
    assert by_id["D2"]["acidity_calc_mg_L_CaCO3"] == pytest.approx(d2, rel=1e-9)
    assert any("D2" in w and "Mn below detection" in w for w in d["warnings"])
    assert "Kirby & Cravotta" in d["method"]
    # an AnalysisSet works the same way
    a = AnalysisSet.from_records([D1])
    assert math.isclose(
        acidity_report(a).table.loc["D1", "acidity_calc_mg_L_CaCO3"],
        by_id["D1"]["acidity_calc_mg_L_CaCO3"],
        rel_tol=1e-12,
    )
