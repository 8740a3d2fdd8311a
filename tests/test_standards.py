"""Standards table (cbmwater/databases/standards.csv) and compliance checks.

Oracles:

* limits typed in here from the reference tables (qinshui_standards.md §2.1 and §2.2, i.e. the
  GB 3838-2002 and GB/T 14848-2017 class III columns), not read from the CSV;
* hand arithmetic for derived quantities.  Water H (used below):
  Na 460, Ca 20, Mg 12.15, Cl 100, SO4 50, HCO3 1000 mg/L.

    Na   460   / 22.990          = 20.0087 meq/L
    Ca    20   / (40.078 / 2)    =  0.99805 meq/L
    Mg    12.15 / (24.305 / 2)   =  0.99979 meq/L
    SAR = 20.0087 / sqrt((0.99805 + 0.99979) / 2) = 20.0087 / 0.99946 = 20.020
    hardness = 50.04 x (0.99805 + 0.99979)        = 99.97 mg/L CaCO3
    evaporative TDS = 460 + 20 + 12.15 + 100 + 50 + 1000 x 0.4917 = 1133.85 mg/L

  SAR 20.02 falls in the FAO-29 band 20-40, whose ECw thresholds (Ayers & Westcot 1985 Table 1)
  are 5.0 dS/m (no reduction) and 2.9 dS/m (severe below).  At EC 3000 uS/cm = 3.0 dS/m the
  infiltration restriction is slight to moderate: the no-reduction check fails (ratio 5.0/3.0),
  the not-severe check passes.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from cbmwater.cli import main
from cbmwater.errors import CbmwaterError, DatabaseError, InputError
from cbmwater.standards import (
    RESULTS,
    StandardsError,
    check_analyses,
    check_compliance,
    fao29_infiltration,
    load_standards,
    summarise,
)
from cbmwater.water.analysis import AnalysisSet

#: GB 3838 / GB/T 14848 limit tables as JSON, an independent transcription (see its README).
REF_JSON = Path(__file__).parent / "data" / "standards"
WATER_H = {"pH": 8.2, "Na": 460, "Ca": 20, "Mg": 12.15, "Cl": 100, "SO4": 50, "HCO3": 1000}


@pytest.fixture(scope="module")
def table():
    return load_standards()


def _lim(table, sid, cls, param):
    lim = table.limit(sid, cls, param)
    return lim.min, lim.max


def _row(df, param):
    rows = df[df["parameter"] == param]
    assert len(rows) == 1, param
    return rows.iloc[0]


# --------------------------------------------------------------------------------------------
# the shipped table equals the published tables

GB3838_III = {  # qinshui_standards.md §2.1, class III column
    "pH": (6, 9),
    "DO": (5, None),
    "CODMn": (None, 6),
    "COD": (None, 20),
    "BOD5": (None, 4),
    "NH4_N": (None, 1.0),
    "TP": (None, 0.2),
    "TP_lake": (None, 0.05),
    "TN": (None, 1.0),
    "Cu": (None, 1.0),
    "Zn": (None, 1.0),
    "F": (None, 1.0),
    "Se": (None, 0.01),
    "As": (None, 0.05),
    "Hg": (None, 0.0001),
    "Cd": (None, 0.005),
    "Cr6": (None, 0.05),
    "Pb": (None, 0.05),
    "cyanide": (None, 0.2),
    "volatile_phenol": (None, 0.005),
    "petroleum": (None, 0.05),
    "anionic_surfactant": (None, 0.2),
    "sulfide": (None, 0.2),
    "fecal_coliform": (None, 10000),
}
GB3838_SUPPLEMENTARY = {"SO4": 250, "Cl": 250, "NO3_N": 10, "Fe": 0.3, "Mn": 0.1}
GB3838_SPECIFIC = {
    "B": 0.5,
    "Ba": 0.7,
    "Ni": 0.02,
    "Mo": 0.07,
    "Sb": 0.005,
    "Be": 0.002,
    "Tl": 0.0001,
    "V": 0.05,
    "Ti": 0.1,
}
GBT14848_III = {  # qinshui_standards.md §2.2, class III column
    "pH": (6.5, 8.5),
    "turbidity": (None, 3),
    "hardness_CaCO3": (None, 450),
    "TDS": (None, 1000),
    "SO4": (None, 250),
    "Cl": (None, 250),
    "Fe": (None, 0.3),
    "Mn": (None, 0.10),
    "Cu": (None, 1.00),
    "Zn": (None, 1.00),
    "Al": (None, 0.20),
    "volatile_phenol": (None, 0.002),
    "anionic_surfactant": (None, 0.3),
    "CODMn": (None, 3.0),
    "NH4_N": (None, 0.50),
    "sulfide": (None, 0.02),
    "Na": (None, 200),
    "NO2_N": (None, 1.00),
    "NO3_N": (None, 20.0),
    "cyanide": (None, 0.05),
    "F": (None, 1.0),
    "iodide": (None, 0.08),
    "Hg": (None, 0.001),
    "As": (None, 0.01),
    "Se": (None, 0.01),
    "Cd": (None, 0.005),
    "Cr6": (None, 0.05),
    "Pb": (None, 0.01),
    "Be": (None, 0.002),
    "B": (None, 0.50),
    "Sb": (None, 0.005),
    "Ba": (None, 0.70),
    "Ni": (None, 0.02),
    "Co": (None, 0.05),
    "Mo": (None, 0.07),
    "Ag": (None, 0.05),
    "Tl": (None, 0.0001),
    "gross_alpha": (None, 0.5),
    "gross_beta": (None, 1.0),
    "benzene": (None, 10.0),
    "toluene": (None, 700),
    "total_coliform": (None, 3.0),
}


@pytest.mark.parametrize("param", list(GB3838_III))
def test_gb3838_class_iii_equals_published_table(table, param):
    assert _lim(table, "GB3838-2002", "III", param) == pytest.approx(GB3838_III[param])


def test_gb3838_supplementary_and_specific_items(table):
    for p, v in GB3838_SUPPLEMENTARY.items():
        assert _lim(table, "GB3838-2002", "source_supplementary", p) == (None, pytest.approx(v))
    for p, v in GB3838_SPECIFIC.items():
        assert _lim(table, "GB3838-2002", "source_specific", p) == (None, pytest.approx(v))
    # GB 3838 sets no TDS limit in any class
    assert "TDS" not in table.frame.query("standard_id == 'GB3838-2002'")["parameter"].values


@pytest.mark.parametrize("param", list(GBT14848_III))
def test_gbt14848_class_iii_equals_published_table(table, param):
    lo, hi = _lim(table, "GBT14848-2017", "III", param)
    unit = table.limit("GBT14848-2017", "III", param).unit
    if unit == "µg/L":  # the standard writes organics in µg/L; the reference table too
        assert param in ("benzene", "toluene")
    assert (lo, hi) == pytest.approx(GBT14848_III[param])


def test_gbt14848_class_iv_spot_values(table):
    # qinshui_standards.md §2.2 class IV column
    for p, v in {
        "TDS": 2000,
        "F": 2.0,
        "Na": 400,
        "NH4_N": 1.50,
        "Fe": 2.0,
        "Mn": 1.50,
        "hardness_CaCO3": 650,
        "B": 2.00,
        "Ba": 4.00,
    }.items():
        assert _lim(table, "GBT14848-2017", "IV", p) == (None, pytest.approx(v))
    assert _lim(table, "GBT14848-2017", "IV", "pH") == pytest.approx((5.5, 9.0))


@pytest.mark.parametrize(
    "fname,sid,key,param",
    [
        ("GB_3838_2002.json", "GB3838-2002", "氟化物", "F"),
        ("GB_3838_2002.json", "GB3838-2002", "氨氮", "NH4_N"),
        ("GB_3838_2002.json", "GB3838-2002", "化学需氧量", "COD"),
        ("GBT_14848_2017.json", "GBT14848-2017", "溶解性总固体", "TDS"),
        ("GBT_14848_2017.json", "GBT14848-2017", "钠", "Na"),
        ("GBT_14848_2017.json", "GBT14848-2017", "氟化物", "F"),
    ],
)
def test_every_class_matches_the_reference_json(table, fname, sid, key, param):
    data = json.loads((REF_JSON / fname).read_text(encoding="utf-8-sig"))
    roman = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V"}
    lims = data[key]["Limits"]
    assert lims
    for lim in lims:
        assert table.limit(sid, roman[lim["WaterQualityClass"]], param).max == pytest.approx(
            float(lim["LimitValue"])
        )


def test_other_standards_key_values(table):
    assert _lim(table, "GB8978-1996", "first", "F") == (None, 10)
    assert _lim(table, "GB8978-1996", "first", "COD") == (None, 100)
    assert _lim(table, "GB8978-1996", "first", "TSS") == (None, 70)
    assert _lim(table, "GB8978-1996", "first", "NH4_N") == (None, 15)
    assert _lim(table, "GB5084-2021", "dryland", "TDS") == (None, 1000)
    assert _lim(table, "GB5084-2021", "dryland_saline_alkali_soil", "TDS") == (None, 2000)
    assert _lim(table, "GB5084-2021", "paddy", "Cl") == (None, 350)
    assert _lim(table, "GB5084-2021", "vegetables_b", "COD") == (None, 60)
    assert _lim(table, "MEE_coal_mine_water_salt_cap", "discharge", "TDS") == (None, 1000)
    # FAO-29 Table 1 infiltration thresholds, SAR 20-40: none above 5.0, severe below 2.9 dS/m
    assert _lim(table, "FAO29", "SAR_20-40_no_reduction", "EC_uS_cm") == (5.0, None)
    assert _lim(table, "FAO29", "SAR_20-40_not_severe", "EC_uS_cm") == (2.9, None)
    assert _lim(table, "FAO29", "SAR_0-3_not_severe", "EC_uS_cm") == (0.2, None)
    assert table.limit("FAO29", "SAR_0-3_not_severe", "EC_uS_cm").unit == "dS/m"
    assert {c for c in table.classes("SYT5329")} == {
        "k<=0.01",
        "0.01-0.05",
        "0.05-0.5",
        "0.5-1.5",
        ">1.5",
    }
    assert _lim(table, "SYT5329", "k<=0.01", "TSS") == (None, 1.0)
    assert _lim(table, "SYT5329", ">1.5", "Fe") == (None, 0.5)


# --------------------------------------------------------------------------------------------
# status and verified


def test_verified_flag_follows_status_and_only_v_is_verified(table):
    df = table.frame
    assert set(df["status"]) <= {"V", "S", "U", "M", "NF"}
    assert (df["verified"] == (df["status"] == "V")).all()
    v = df[df["verified"]]
    assert list(v["standard_id"]) == ["MEE_coal_mine_water_salt_cap"]
    assert "analogy" in v.iloc[0]["note"]
    assert (df.loc[df["standard_id"] == "GB3838-2002", "status"] == "S").all()
    assert (
        df.loc[df["standard_id"].isin(["GBT19923-2005", "GBT50050-2017"]), "status"] == "U"
    ).all()


def test_gb20426_respects_the_addendum(table):
    lims = {x.parameter: x for x in table.limits("GB20426-2006", "new_sources")}
    assert lims["COD"].max == 50 and lims["COD"].status == "S"
    assert all(x.status == "U" and not x.verified for p, x in lims.items() if p != "COD")
    # the rejected GitHub dict said petroleum 3, Fe 2, Mn 2: not used
    assert lims["petroleum"].max == 5 and lims["Fe"].max == 6 and lims["Mn"].max == 4


def test_every_row_has_a_source_and_clause(table):
    df = table.frame
    assert (df["source"].str.len() > 10).all() and (df["clause"].str.len() > 0).all()


# --------------------------------------------------------------------------------------------
# the loader fails loudly

HEADER = (
    "standard_id,standard_name,class,parameter,min,max,unit,clause,verified,status,"
    "applies_to,source,note\n"
)
GOOD_ROWS = (
    "T1,Test standard,A,F,,1.0,mg/L,Table 1,false,S,test,ref x,\n"
    "T1,Test standard,A,pH,6,9,-,Table 1,false,S,test,ref x,\n"
)


def _write(tmp_path, body: str, header: str = HEADER) -> Path:
    p = tmp_path / "std.csv"
    p.write_text(header + body, encoding="utf-8")
    return p


def test_small_good_table_loads(tmp_path):
    t = load_standards(_write(tmp_path, GOOD_ROWS))
    assert len(t) == 2 and t.limit("T1", "A", "pH").min == 6 and len(t.sha256) == 64


BAD_TABLES = {
    "unknown_unit": (
        "T1,Test standard,A,Cl,,250,mg/m3,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'unit'", "mg/m3"],
    ),
    "unit_of_wrong_kind": (
        "T1,Test standard,A,Cl,,250,NTU,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'unit'", "does not apply to Cl"],
    ),
    "min_equals_max": (
        "T1,Test standard,A,Cl,250,250,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'min'", "less than max"],
    ),
    "min_above_max": (
        "T1,Test standard,A,Cl,300,250,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'min'"],
    ),
    "duplicate": (
        "T1,Test standard,A,F,,2.0,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'parameter'", "duplicate", "row 2"],
    ),
    "bad_status": (
        "T1,Test standard,A,Cl,,250,mg/L,Table 1,false,X,test,ref,\n",
        ["row 4", "column 'status'", "'X'", "V, S, U, M, NF"],
    ),
    "verified_but_unverified": (
        "T1,Test standard,A,Cl,,250,mg/L,Table 1,true,U,test,ref,\n",
        ["row 4", "column 'verified'"],
    ),
    "v_not_marked_verified": (
        "T1,Test standard,A,Cl,,250,mg/L,Table 1,false,V,test,ref,\n",
        ["row 4", "column 'verified'"],
    ),
    "unknown_parameter": (
        "T1,Test standard,A,Flouride,,1,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'parameter'", "Flouride"],
    ),
    "no_bound": (
        "T1,Test standard,A,Cl,,,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'min'", "min, max or both"],
    ),
    "nf_row": (
        "T1,Test standard,A,Cl,,,mg/L,Table 1,false,NF,test,ref,\n",
        ["row 4", "column 'status'", "NF"],
    ),
    "text_number": (
        "T1,Test standard,A,Cl,,abc,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'max'", "abc"],
    ),
    "blank_source": (
        "T1,Test standard,A,Cl,,250,mg/L,Table 1,false,S,test,,\n",
        ["row 4", "column 'source'"],
    ),
    "other_name": (
        "T1,Other name,A,Cl,,250,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "column 'standard_name'"],
    ),
    "blank_row": (
        "\nT1,Test standard,A,Cl,,250,mg/L,Table 1,false,S,test,ref,\n",
        ["row 4", "blank row"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_TABLES))
def test_bad_table_row_is_refused_naming_row_and_column(tmp_path, case):
    body, fragments = BAD_TABLES[case]
    p = _write(tmp_path, GOOD_ROWS + body)
    with pytest.raises(StandardsError) as ei:
        load_standards(p)
    msg = str(ei.value)
    assert str(p.resolve()) in msg
    for f in fragments:
        assert f in msg, (f, msg)
    assert isinstance(ei.value, DatabaseError) and isinstance(ei.value, CbmwaterError)


def test_missing_and_unknown_columns_are_refused(tmp_path):
    with pytest.raises(StandardsError, match="row 1.*missing column.*note"):
        load_standards(
            _write(tmp_path, "T1,x,A,F,,1,mg/L,c,false,S,t,r\n", HEADER.replace(",note", ""))
        )
    with pytest.raises(StandardsError, match="row 1.*unknown column.*'extra'"):
        load_standards(
            _write(tmp_path, GOOD_ROWS.replace(",\n", ",,\n"), HEADER.replace("note", "note,extra"))
        )


def test_missing_file_is_a_database_error(tmp_path):
    with pytest.raises(DatabaseError, match="not found"):
        load_standards(tmp_path / "nope.csv")


# --------------------------------------------------------------------------------------------
# look-ups


def test_lookups_normalise_and_suggest(table):
    assert table.resolve("GB/T 14848-2017", "Ⅲ") == ("GBT14848-2017", "III")
    assert table.resolve("sy/t 5329", "k≤0.01") == ("SYT5329", "k<=0.01")
    with pytest.raises(InputError) as ei:
        table.limits("GB3838", "III")
    assert "did you mean 'GB3838-2002'" in str(ei.value)
    assert "GBT14848-2017" in str(ei.value)  # the allowed standards are listed
    with pytest.raises(InputError) as ei:
        table.limits("GB3838-2002", "3")
    assert "did you mean 'III'" in str(ei.value) and "source_supplementary" in str(ei.value)
    assert table.resolve("GB5084-2021", "Dry Land") == ("GB5084-2021", "dryland")
    with pytest.raises(InputError, match="did you mean 'dryland'"):
        table.limits("GB5084-2021", "dry")


# --------------------------------------------------------------------------------------------
# compliance of one water


def test_fluoride_2_5_fails_gb3838_iii_with_ratio_2_5(table):
    res = check_compliance(
        {"pH": 7.5, "F": 2.5, "NH4_N": 0.5, "COD": 15}, "GB3838-2002", "III", table
    )
    f = _row(res, "F")
    assert f["result"] == "fail" and f["ratio"] == pytest.approx(2.5)
    assert f["value"] == 2.5 and f["max"] == 1.0 and f["unit"] == "mg/L"
    assert not f["verified"] and f["status"] == "S" and f["clause"] == "Table 1, item 12"
    assert _row(res, "NH4_N")["result"] == "pass"
    assert _row(res, "NH4_N")["ratio"] == pytest.approx(0.5)
    assert _row(res, "COD")["ratio"] == pytest.approx(0.75)
    assert set(res["result"]) <= set(RESULTS)
    assert len(res) == len(table.limits("GB3838-2002", "III"))


def test_missing_parameter_is_not_measured_never_pass(table):
    res = check_compliance({"pH": 7.5, "F": 0.5}, "GB3838-2002", "III", table)
    hg = _row(res, "Hg")
    assert hg["result"] == "not_measured" and math.isnan(hg["value"]) and math.isnan(hg["ratio"])
    nh4 = _row(res, "NH4_N")  # a canonical constituent simply absent from the analysis
    assert nh4["result"] == "not_measured"
    # only the two measured parameters can pass
    assert set(res.loc[res["result"] == "pass", "parameter"]) == {"pH", "F"}
    assert summarise(res).iloc[0]["verdict"] == "incomplete"
    # an explicit None / NaN is also "not measured"
    res2 = check_compliance(
        {"pH": 7.5, "F": None, "Cl": float("nan")}, "GB3838-2002", "source_supplementary", table
    )
    assert _row(res2, "Cl")["result"] == "not_measured"


@pytest.mark.parametrize(
    "ph,result,ratio",
    [
        (9.3, "fail", 9.3 / 9),
        (5.5, "fail", 6 / 5.5),
        (7.0, "pass", 6 / 7),
        (9.0, "pass", 1.0),
        (6.0, "pass", 1.0),
    ],
)
def test_ph_range_checked_at_both_ends(table, ph, result, ratio):
    # ratio of a range = max(value / max, min / value): 9.3/9 above, 6/5.5 below
    r = _row(check_compliance({"pH": ph}, "GB3838-2002", "III", table), "pH")
    assert r["result"] == result and r["ratio"] == pytest.approx(ratio)
    assert (r["min"], r["max"]) == (6, 9)


def test_lower_limit_do(table):
    assert (
        _row(check_compliance({"DO": 4.0}, "GB3838-2002", "III", table), "DO")["result"] == "fail"
    )
    r = _row(check_compliance({"DO": 6.0}, "GB3838-2002", "III", table), "DO")
    assert r["result"] == "pass" and r["ratio"] == pytest.approx(5 / 6)


def test_sar_by_hand_in_fao29(table):
    res = check_compliance(WATER_H, "FAO29", "SAR_20-40_no_reduction", table)
    sar = _row(res, "SAR")
    assert sar["value"] == pytest.approx(20.020, abs=0.001)
    assert sar["result"] == "pass" and "sodium_adsorption_ratio" in sar["basis"]
    # no EC in the water: never estimated from TDS (1133.85 mg/L could be)
    ec = _row(res, "EC_uS_cm")
    assert ec["result"] == "not_measured" and "never estimates EC" in ec["comment"]
    # the band 12-20 does not fit SAR 20.02
    assert (
        _row(check_compliance(WATER_H, "FAO29", "SAR_12-20_no_reduction", table), "SAR")["result"]
        == "fail"
    )
    # with EC 3000 uS/cm = 3.0 dS/m: below 5.0 (fail, ratio 5/3), above 2.9 (not severe)
    w = dict(WATER_H, EC_uS_cm=3000)
    ec = _row(check_compliance(w, "FAO29", "SAR_20-40_no_reduction", table), "EC_uS_cm")
    assert ec["value"] == pytest.approx(3.0) and ec["unit"] == "dS/m"
    assert ec["result"] == "fail" and ec["ratio"] == pytest.approx(5.0 / 3.0)
    ec = _row(check_compliance(w, "FAO29", "SAR_20-40_not_severe", table), "EC_uS_cm")
    assert ec["result"] == "pass"
    assert fao29_infiltration(20.02, 3000, table) == "slight_to_moderate"
    assert fao29_infiltration(20.02, 6000, table) == "none"
    assert fao29_infiltration(20.02, 2000, table) == "severe"
    assert fao29_infiltration(42.0, 3000, table) == "outside_table"  # SQB mean SAR ~42
    assert fao29_infiltration(2.0, float("nan"), table) == "not_measured"


def test_gb5084_has_no_sar_limit_but_checks_salt_and_chloride(table):
    res = check_compliance(WATER_H, "GB5084-2021", "dryland", table)
    assert "SAR" not in set(res["parameter"])
    tds = _row(res, "TDS")
    assert tds["value"] == pytest.approx(1133.85, abs=0.01)
    assert tds["result"] == "fail" and tds["ratio"] == pytest.approx(1.13385, abs=1e-5)
    assert "evaporative" in tds["basis"]
    assert _row(res, "Cl")["result"] == "pass"
    # on saline-alkali soils the total-salt limit is 2000
    res2 = check_compliance(WATER_H, "GB5084-2021", "dryland_saline_alkali_soil", table)
    assert _row(res2, "TDS")["result"] == "pass"


def test_reported_tds_is_preferred_and_incomplete_ions_are_not_measured(table):
    r = _row(check_compliance(dict(WATER_H, TDS=900), "GBT14848-2017", "III", table), "TDS")
    assert r["value"] == 900 and r["basis"] == "reported TDS" and r["result"] == "pass"
    w = {k: v for k, v in WATER_H.items() if k != "Cl"}
    r = _row(check_compliance(w, "GBT14848-2017", "III", table), "TDS")
    assert r["result"] == "not_measured" and "Cl" in r["comment"]


def test_hardness_by_hand_and_needs_both_ca_and_mg(table):
    r = _row(check_compliance(WATER_H, "GBT14848-2017", "III", table), "hardness_CaCO3")
    assert r["value"] == pytest.approx(99.97, abs=0.01) and r["unit"] == "mg/L CaCO3"
    assert r["result"] == "pass" and r["ratio"] == pytest.approx(99.97 / 450, abs=1e-4)
    r = _row(check_compliance({"Ca": 200}, "GBT14848-2017", "III", table), "hardness_CaCO3")
    assert r["result"] == "not_measured"


def test_censored_value_above_the_limit_is_inconclusive_never_pass(table):
    r = _row(check_compliance({"Fe": "<0.5"}, "GBT14848-2017", "III", table), "Fe")
    assert r["result"] == "inconclusive" and r["censored"]
    assert r["detection_limit"] == 0.5 and r["value"] == pytest.approx(0.25)  # half policy
    r = _row(check_compliance({"Fe": "<0.1"}, "GBT14848-2017", "III", table), "Fe")
    assert r["result"] == "pass"
    r = _row(
        check_compliance({"Fe": "0.5L"}, "GBT14848-2017", "III", table, censored_policy="limit"),
        "Fe",
    )
    assert r["result"] == "inconclusive" and r["value"] == 0.5


def test_censored_inputs_of_derived_values_bound_the_result(table):
    # hardness with Mg < 200: between 50.04 x 0.99805 = 49.94 and 49.94 + 50.04 x 200/12.1525
    # = 873.5 -> straddles 450
    r = _row(
        check_compliance({"Ca": 20, "Mg": "<200"}, "GBT14848-2017", "III", table), "hardness_CaCO3"
    )
    assert r["result"] == "inconclusive" and "Mg (<200)" in r["comment"]
    r = _row(
        check_compliance({"Ca": 20, "Mg": "<1"}, "GBT14848-2017", "III", table), "hardness_CaCO3"
    )
    assert r["result"] == "pass"


def test_unit_conversion_ug_per_litre_limits(table):
    # GB/T 14848 III benzene 10 ug/L; 0.02 mg/L = 20 ug/L
    r = _row(check_compliance({"benzene": 0.02}, "GBT14848-2017", "III", table), "benzene")
    assert r["unit"] == "µg/L" and r["value"] == pytest.approx(20)
    assert r["result"] == "fail" and r["ratio"] == pytest.approx(2.0)


def test_unverified_limits_marked_in_every_row(table):
    res = check_compliance(
        {"pH": 7, "COD": 40, "F": 5, "Fe": 1}, "GB20426-2006", "new_sources", table
    )
    assert not res["verified"].any()
    assert set(res["status"]) == {"S", "U"}
    assert _row(res, "COD")["status"] == "S" and _row(res, "F")["status"] == "U"
    cap = check_compliance({"TDS": 1200}, "MEE_coal_mine_water_salt_cap", "discharge", table)
    assert cap["verified"].all() and _row(cap, "TDS")["result"] == "fail"


def test_unknown_value_names_and_bad_values_are_refused(table):
    with pytest.raises(InputError, match="Flouride"):
        check_compliance({"Flouride": 1}, "GB3838-2002", "III", table)
    with pytest.raises(InputError, match="negative"):
        check_compliance({"F": -1}, "GB3838-2002", "III", table)
    with pytest.raises(InputError, match="did you mean 'GB3838-2002'"):
        check_compliance({"F": 1}, "GB 3838", "III", table)


def test_check_analyses_long_table(table):
    aset = AnalysisSet.from_records(
        [
            {"sample_id": "W1", **WATER_H, "F": 2.5, "Fe": "<0.5"},
            {
                "sample_id": "W2",
                "pH": 7.2,
                "F": 0.4,
                "Fe": 0.1,
                "Na": 50,
                "Ca": 40,
                "Mg": 10,
                "Cl": 30,
                "SO4": 40,
                "HCO3": 200,
                "NH4_N": 0.1,
            },
        ]
    )
    res = check_analyses(aset, "GBT14848-2017", "III", table=table)
    n = len(table.limits("GBT14848-2017", "III"))
    assert len(res) == 2 * n and list(res.columns[:4]) == [
        "sample_id",
        "standard_id",
        "class",
        "parameter",
    ]
    w1 = res[res["sample_id"] == "W1"]
    assert _row(w1, "F")["result"] == "fail"
    assert _row(w1, "Fe")["result"] == "inconclusive"
    assert _row(w1, "TDS")["result"] == "fail"
    w2 = res[res["sample_id"] == "W2"]
    assert _row(w2, "F")["result"] == "pass" and _row(w2, "Fe")["result"] == "pass"
    assert _row(w2, "Hg")["result"] == "not_measured"
    s = summarise(res).set_index("sample_id")
    assert s.loc["W1", "verdict"] == "fail" and "F" in s.loc["W1", "failed"]
    assert s.loc["W2", "verdict"] == "incomplete"  # never "pass" while Hg etc. are unmeasured


# --------------------------------------------------------------------------------------------
# CLI

LAB = (
    "sample_id,pH,Na,Ca,Mg,Cl,SO4,HCO3,F,NH4_N,COD\n"
    "S1,8.2,460,20,12.15,100,50,1000,2.5,0.5,15\n"
    "S2,9.3,100,20,5,20,10,300,0.5,0.2,10\n"
)


@pytest.fixture
def lab(tmp_path) -> Path:
    p = tmp_path / "lab.csv"
    p.write_text(LAB, encoding="utf-8")
    return p


def test_cli_json_per_sample_rows(lab):
    r = CliRunner().invoke(
        main,
        ["compliance", str(lab), "--standard", "GB3838-2002", "--class", "III", "--format", "json"],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["standard_id"] == "GB3838-2002" and doc["class"] == "III"
    assert [s["sample_id"] for s in doc["samples"]] == ["S1", "S2"]
    s1 = {row["parameter"]: row for row in doc["samples"][0]["rows"]}
    assert s1["F"]["result"] == "fail" and s1["F"]["ratio"] == pytest.approx(2.5)
    assert s1["F"]["verified"] is False and s1["F"]["status"] == "S"
    assert s1["Hg"]["result"] == "not_measured" and s1["Hg"]["value"] is None
    for key in (
        "parameter",
        "value",
        "unit",
        "min",
        "max",
        "ratio",
        "result",
        "verified",
        "status",
        "clause",
    ):
        assert key in s1["F"]
    s2 = {row["parameter"]: row for row in doc["samples"][1]["rows"]}
    assert s2["pH"]["result"] == "fail"
    assert doc["samples"][0]["verdict"] == "fail"


def test_cli_sample_filter_csv_out_and_text(lab, tmp_path):
    out = tmp_path / "o" / "r.csv"
    r = CliRunner().invoke(
        main,
        [
            "compliance",
            str(lab),
            "--standard",
            "FAO29",
            "--class",
            "SAR_20-40_no_reduction",
            "--sample",
            "S1",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {x["sample_id"] for x in rows} == {"S1"}
    sar = [x for x in rows if x["parameter"] == "SAR"][0]
    assert float(sar["value"]) == pytest.approx(20.020, abs=0.001) and sar["result"] == "pass"
    assert [x for x in rows if x["parameter"] == "EC_uS_cm"][0]["result"] == "not_measured"
    r = CliRunner().invoke(
        main, ["compliance", str(lab), "--standard", "GB/T 14848-2017", "--class", "III"]
    )
    assert r.exit_code == 0 and "verdict: fail" in r.stdout and "not_measured" in r.stdout


@pytest.mark.parametrize(
    "args,fragments",
    [
        (["--standard", "GB3838", "--class", "III"], ["did you mean 'GB3838-2002'", "Allowed:"]),
        (["--standard", "GB3838-2002", "--class", "3"], ["did you mean 'III'", "source_specific"]),
        (["--standard", "GB3838-2002", "--class", "III", "--sample", "S9"], ["S9", "S1"]),
    ],
)
def test_cli_bad_standard_class_or_sample_exits_2_with_suggestion(lab, tmp_path, args, fragments):
    out = tmp_path / "x.json"
    r = CliRunner().invoke(main, ["compliance", str(lab), *args, "--out", str(out)])
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    for f in fragments:
        assert f in r.stderr, (f, r.stderr)
    assert not out.exists()
