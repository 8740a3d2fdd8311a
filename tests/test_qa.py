"""QA and derived quantities against hand calculations.

Equivalent masses written out (g/eq = M/|z|, IUPAC 2021 atomic weights):
  Na 22.990   K 39.098   Ca 40.078/2 = 20.039   Mg 24.305/2 = 12.1525
  Cl 35.45    SO4 96.056/2 = 48.028   HCO3 61.016   CO3 60.008/2 = 30.004   F 18.998
  CaCO3 50.04 g/eq (Hem 1985, p. 58)

Synthetic CBM water W (mg/L): Na 680, K 3, Ca 8, Mg 3, Cl 150, SO4 20, HCO3 1500, CO3 30, F 2.5

  cations  Na   680 / 22.990  = 29.5781 meq/L
           K      3 / 39.098  =  0.0767
           Ca     8 / 20.039  =  0.3992
           Mg     3 / 12.1525 =  0.2469
                          sum = 30.3009 meq/L
  anions   Cl   150 / 35.45   =  4.2313
           SO4   20 / 48.028  =  0.4164
           HCO3 1500 / 61.016 = 24.5837
           CO3   30 / 30.004  =  0.9999
           F    2.5 / 18.998  =  0.1316
                          sum = 30.3629 meq/L
  imbalance = 100 (30.3009 - 30.3629) / (30.3009 + 30.3629) = -0.102 %
  TDS (evaporative) = 680+3+8+3+150+20+30+2.5 + 1500 x 0.4917 = 896.5 + 737.55 = 1634.05 mg/L
  TDS (sum)         = 896.5 + 1500 = 2396.5 mg/L
  SAR = 29.5781 / sqrt((0.3992 + 0.2469) / 2) = 29.5781 / 0.56837 = 52.04
  hardness = 2.497 x 8 + 4.118 x 3 = 19.976 + 12.354 = 32.33 mg/L as CaCO3
  alkalinity = 50.04 x (24.5837 + 0.9999) = 1280.2 mg/L as CaCO3
  RSC = (24.5837 + 0.9999) - (0.3992 + 0.2469) = 24.9375 meq/L
  type: anions HCO3+CO3 25.584 / 30.231 = 84.6 %, Cl 14.0 %, SO4 1.4 %   -> HCO3
        cations Na+K 29.655 / 30.301 = 97.9 %, Ca 1.3 %, Mg 0.8 %        -> Na     => "HCO3-Na"
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cbmwater.water import qa

EQ = {
    "Na": 22.990,
    "K": 39.098,
    "Ca": 20.039,
    "Mg": 12.1525,
    "Cl": 35.45,
    "SO4": 48.028,
    "HCO3": 61.016,
    "CO3": 30.004,
    "F": 18.998,
}

W = {
    "Na": 680.0,
    "K": 3.0,
    "Ca": 8.0,
    "Mg": 3.0,
    "Cl": 150.0,
    "SO4": 20.0,
    "HCO3": 1500.0,
    "CO3": 30.0,
    "F": 2.5,
}


def frame(*rows: dict[str, float], ids: list[str] | None = None) -> pd.DataFrame:
    ids = ids or [f"S{i}" for i in range(1, len(rows) + 1)]
    return pd.DataFrame(list(rows), index=pd.Index(ids, name="sample_id"))


def from_meq(**meq: float) -> dict[str, float]:
    """mg/L of a water given in meq/L, with the hand equivalent masses above."""
    return {k: v * EQ[k] for k, v in meq.items()}


# --------------------------------------------------------------------------------------------
# the synthetic water W


def test_meq_of_W():
    m = qa.meq_per_L(frame(W)).iloc[0]
    assert m["Na"] == pytest.approx(29.5781, abs=1e-4)
    assert m["K"] == pytest.approx(0.0767, abs=1e-4)
    assert m["Ca"] == pytest.approx(0.3992, abs=1e-4)
    assert m["Mg"] == pytest.approx(0.2469, abs=1e-4)
    assert m["Cl"] == pytest.approx(4.2313, abs=1e-4)
    assert m["SO4"] == pytest.approx(0.4164, abs=1e-4)
    assert m["HCO3"] == pytest.approx(24.5837, abs=1e-4)
    assert m["CO3"] == pytest.approx(0.9999, abs=1e-4)
    assert m["F"] == pytest.approx(0.1316, abs=1e-4)
    assert m[list(qa.CATIONS)].sum() == pytest.approx(30.3009, abs=1e-3)
    assert m[list(qa.ANIONS)].sum() == pytest.approx(30.3629, abs=1e-3)
    assert math.isnan(m["Sr"])  # not measured stays NaN


def test_ion_balance_of_W():
    b = qa.ion_balance_pct(frame(W)).iloc[0]
    assert b == pytest.approx(-0.102, abs=0.002)
    # a one-row Series is accepted too
    assert qa.ion_balance_pct(pd.Series(W)).iloc[0] == pytest.approx(b)


def test_tds_of_W():
    assert qa.tds_evaporative_mg_L(frame(W)).iloc[0] == pytest.approx(1634.05, abs=0.01)
    assert qa.tds_sum_mg_L(frame(W)).iloc[0] == pytest.approx(2396.5, abs=1e-9)
    assert pytest.approx(60.008 / (2 * 61.016), abs=1e-4) == qa.HCO3_TO_CO3_EVAPORATION


def test_tds_sum_excludes_aggregates_and_iron_split():
    row = dict(
        W,
        pH=8.2,
        temp_C=20,
        TDS=9999,
        COD=50,
        TSS=100,
        alkalinity_CaCO3=1280,
        Fe=2.0,
        Fe2=1.5,
        Fe3=0.5,
    )
    # only the 9 ions of W plus total Fe: 2396.5 + 2
    assert qa.tds_sum_mg_L(frame(row)).iloc[0] == pytest.approx(2398.5)


def test_sar_hardness_alkalinity_rsc_of_W():
    f = frame(W)
    assert qa.sodium_adsorption_ratio(f).iloc[0] == pytest.approx(52.04, abs=0.01)
    assert qa.hardness_mg_L_CaCO3(f).iloc[0] == pytest.approx(2.497 * 8 + 4.118 * 3, abs=0.01)
    assert qa.alkalinity_mg_L_CaCO3(f).iloc[0] == pytest.approx(1280.2, abs=0.1)
    assert qa.residual_sodium_carbonate_meq_L(f).iloc[0] == pytest.approx(24.9375, abs=1e-3)


def test_water_type_of_W():
    assert qa.water_type(frame(W)).iloc[0] == "HCO3-Na"


def test_qa_table_of_W():
    t = qa.qa_table(frame(W, ids=["W"]))
    r = t.loc["W"]
    assert r["charge_balance_pct"] == pytest.approx(-0.102, abs=0.002)
    assert r["tds_mg_L"] == pytest.approx(1634.05, abs=0.01)  # no reported TDS: evaporative
    assert r["sar"] == pytest.approx(52.04, abs=0.01)
    assert r["water_type"] == "HCO3-Na"
    assert r["qa_flag"] == "ok" and r["qa_notes"] == []


# --------------------------------------------------------------------------------------------
# other hand cases


def test_hardness_factors_and_missing_inputs():
    # 100 mg/L Ca alone = 2.497 x 100 = 249.7 mg/L as CaCO3; 10 mg/L Mg alone = 41.18
    h = qa.hardness_mg_L_CaCO3(frame({"Ca": 100.0}, {"Mg": 10.0}, {"Na": 10.0}))
    assert h.iloc[0] == pytest.approx(249.7, abs=0.05)
    assert h.iloc[1] == pytest.approx(41.18, abs=0.01)
    assert math.isnan(h.iloc[2])  # neither Ca nor Mg measured: NaN, not 0


def test_alkalinity_reported_wins_and_ion_fallback():
    a = qa.alkalinity_mg_L_CaCO3(
        frame(
            {"alkalinity_CaCO3": 500.0, "HCO3": 61.016},
            {"HCO3": 61.016},
            {"CO3": 30.004},
            {"Na": 1.0},
        )
    )
    assert a.iloc[0] == 500.0  # the lab's own alkalinity is reported as is
    assert a.iloc[1] == pytest.approx(50.04, abs=0.005)  # 1 meq/L HCO3
    assert a.iloc[2] == pytest.approx(50.04, abs=0.005)  # 1 meq/L CO3
    assert math.isnan(a.iloc[3])


def test_balance_uses_alkalinity_when_no_carbonate_ions():
    # Na 10 meq; alkalinity 400.32 mg/L as CaCO3 = 400.32 / 50.04 = 8.0 meq; Cl 2 meq -> 0 %
    row = {"Na": 10 * 22.990, "Cl": 2 * 35.45, "alkalinity_CaCO3": 8 * 50.04}
    assert qa.ion_balance_pct(frame(row)).iloc[0] == pytest.approx(0.0, abs=0.01)
    assert qa.water_type(frame(row)).iloc[0] == "HCO3-Na"  # 80 % alkalinity, 20 % Cl
    # RSC = 8.0 - 0 = 8.0 meq/L
    assert qa.residual_sodium_carbonate_meq_L(frame(row)).iloc[0] == pytest.approx(8.0, abs=0.01)


def test_iron_and_nitrogen_equivalents():
    # Fe total 5.5845 mg/L as Fe2+ = 0.2 meq; split Fe2 5.5845 (0.2) + Fe3 5.5845 (0.3) = 0.5
    m = qa.meq_per_L(frame({"Fe": 5.5845}, {"Fe": 11.169, "Fe2": 5.5845, "Fe3": 5.5845}))
    assert m["Fe"].iloc[0] == pytest.approx(0.2, rel=1e-9)
    assert m["Fe"].iloc[1] == pytest.approx(0.5, rel=1e-9)
    # 14.007 mg/L NH4-N = 1 meq/L NH4+; 14.007 mg/L NO3-N = 1 meq/L NO3-
    m = qa.meq_per_L(frame({"NH4_N": 14.007, "NO3_N": 14.007}))
    assert m["NH4_N"].iloc[0] == pytest.approx(1.0) and m["NO3_N"].iloc[0] == pytest.approx(1.0)
    assert qa.ion_balance_pct(frame({"NH4_N": 14.007, "NO3_N": 14.007})).iloc[0] == pytest.approx(
        0.0, abs=1e-9
    )


def test_sar_without_ca_mg_is_nan():
    s = qa.sodium_adsorption_ratio(frame({"Na": 100.0}, {"Na": 100.0, "Ca": 0.0, "Mg": 0.0}))
    assert s.isna().all()
    # Na 10 meq, Ca 2 meq, Mg 2 meq: 10 / sqrt(2) = 7.071
    s = qa.sodium_adsorption_ratio(frame(from_meq(Na=10, Ca=2, Mg=2)))
    assert s.iloc[0] == pytest.approx(10 / math.sqrt(2), rel=1e-9)


# --------------------------------------------------------------------------------------------
# Shukarev water types


@pytest.mark.parametrize(
    "meq, expected",
    [
        # anions HCO3 60 %, Cl 40 %; Na 100 %
        (dict(Na=30, HCO3=18, Cl=12), "HCO3·Cl-Na"),
        # the same with Cl dominant: ordering follows meq-%
        (dict(Na=30, HCO3=12, Cl=18), "Cl·HCO3-Na"),
        # Cl 90 %, HCO3 10 % (below 25 %: not named)
        (dict(Na=20, Cl=18, HCO3=2), "Cl-Na"),
        # anions SO4 54.5 %, HCO3 40.9 %, Cl 4.5 %; cations Ca 54.5 %, Mg 36.4 %, Na 9.1 %
        (dict(Ca=6, Mg=4, Na=1, SO4=6, HCO3=4.5, Cl=0.5), "SO4·HCO3-Ca·Mg"),
        # swap the leaders on both sides
        (dict(Ca=4, Mg=6, Na=1, SO4=4.5, HCO3=6, Cl=0.5), "HCO3·SO4-Mg·Ca"),
        # three anions: HCO3 40, Cl 33, SO4 27 %; cations Na 50, Ca 26, Mg 24 % (24 < 25)
        (dict(Na=50, Ca=26, Mg=24, HCO3=40, Cl=33, SO4=27), "HCO3·Cl·SO4-Na·Ca"),
        # K counts with Na: Ca 70 %, Na 10 % + K 20 % = 30 %
        (dict(Ca=70, Na=10, K=20, HCO3=100), "HCO3-Ca·Na"),
        # CO3 counts with HCO3: CO3 30 % + HCO3 10 % = 40 % vs Cl 60 %
        (dict(Na=100, Cl=60, HCO3=10, CO3=30), "Cl·HCO3-Na"),
    ],
)
def test_water_types(meq, expected):
    assert qa.water_type(frame(from_meq(**meq))).iloc[0] == expected


def test_water_type_threshold_is_adjustable_and_empty_without_ions():
    row = from_meq(Na=60, Ca=40, HCO3=100)  # Ca 40 %
    assert qa.water_type(frame(row)).iloc[0] == "HCO3-Na·Ca"
    assert qa.water_type(frame(row), threshold_pct=50).iloc[0] == "HCO3-Na"
    assert qa.water_type(frame({"pH": 7.0}, {"Na": 10.0})).tolist() == ["", ""]


# --------------------------------------------------------------------------------------------
# QA flags by ion balance


@pytest.mark.parametrize(
    "na, cl, balance, flag",
    [
        (10.4, 9.6, 4.0, "ok"),  # 100 x 0.8 / 20
        (10.7, 9.3, 7.0, "warning"),  # 100 x 1.4 / 20
        (9.3, 10.7, -7.0, "warning"),
        (11.2, 8.8, 12.0, "flag"),  # 100 x 2.4 / 20
        (8.8, 11.2, -12.0, "flag"),
        (10.0, 10.0, 0.0, "ok"),
    ],
)
def test_qa_flag_from_known_imbalance(na, cl, balance, flag):
    t = qa.qa_table(frame(from_meq(Na=na, Cl=cl), ids=["X"]))
    assert t.at["X", "charge_balance_pct"] == pytest.approx(balance, abs=1e-6)
    assert t.at["X", "qa_flag"] == flag
    notes = t.at["X", "qa_notes"]
    if flag == "ok":
        assert notes == []
    else:
        assert len(notes) == 1
        assert f"{balance:+.1f} %" in notes[0]
        assert ("suspect" in notes[0]) == (flag == "flag")


def test_qa_flag_thresholds():
    assert qa.BALANCE_WARN_PCT == 5.0 and qa.BALANCE_FLAG_PCT == 10.0


def test_qa_table_no_ions_is_flagged_and_nan_not_zero():
    t = qa.qa_table(frame({"pH": 7.0}, ids=["P"]))
    assert t.at["P", "qa_flag"] == "flag"
    assert "cannot be checked" in t.at["P", "qa_notes"][0]
    for col in ("charge_balance_pct", "hardness_mg_L_CaCO3", "alkalinity_mg_L_CaCO3", "sar"):
        assert np.isnan(t.at["P", col]), col


def test_qa_table_reported_tds_and_disagreement_note():
    # reported 1650 vs 1634.05 evaporative: within 20 %, no note, reported value used
    t = qa.qa_table(frame(dict(W, TDS=1650.0), dict(W, TDS=3000.0), ids=["A", "B"]))
    assert t.at["A", "tds_mg_L"] == 1650.0
    assert t.at["A", "tds_evaporative_mg_L"] == pytest.approx(1634.05, abs=0.01)
    assert t.at["A", "qa_notes"] == []
    # 3000 vs 1634: |1634 - 3000| / 3000 = 46 % > 20 %
    assert t.at["B", "tds_mg_L"] == 3000.0
    assert any("differs" in n and "3000" in n for n in t.at["B", "qa_notes"])
    assert t.at["B", "qa_flag"] == "ok"  # the balance itself is fine
