"""Vocabulary (header aliases) and unit conversion, checked against hand calculations.

Standard atomic weights (IUPAC 2021, as printed in lab-report precision) used below:
  H 1.008, C 12.011, N 14.007, O 15.999, Na 22.990, S 32.06, Ca 40.078, Mg 24.305, Si 28.085
so that
  NH4   = 14.007 + 4 x 1.008          = 18.039 g/mol
  SO4   = 32.06 + 4 x 15.999          = 96.056 g/mol  -> 48.028 g/eq
  CaCO3 = 40.078 + 12.011 + 3 x 15.999 = 100.086 g/mol -> 50.043 g/eq (Hem 1985: 50.04)
"""

from __future__ import annotations

import pytest

from cbmwater.errors import CbmwaterError, InputError, UnitError
from cbmwater.water import units
from cbmwater.water.units import allowed_units, from_canonical, parse_unit, to_canonical
from cbmwater.water.vocabulary import (
    ANALYTES,
    CANONICAL_COLUMNS,
    CONSTITUENTS,
    lookup,
    molar_mass,
    normalise_name,
)

# --------------------------------------------------------------------------------------------
# aliases


@pytest.mark.parametrize(
    "header, canonical",
    [
        ("钠", "Na"),
        ("钠离子", "Na"),
        ("Na+", "Na"),
        ("Na⁺", "Na"),
        ("sodium", "Na"),
        ("氯化物", "Cl"),
        ("氯离子", "Cl"),
        ("Cl-", "Cl"),
        ("Cl⁻", "Cl"),
        ("重碳酸根", "HCO3"),
        ("HCO3-", "HCO3"),
        ("HCO₃⁻", "HCO3"),
        ("碳酸氢根", "HCO3"),
        ("氟化物", "F"),
        ("F-", "F"),
        ("氨氮", "NH4_N"),
        ("NH4-N", "NH4_N"),
        ("氨氮(以N计)", "NH4_N"),
        ("总铁", "Fe"),
        ("TFe", "Fe"),
        ("溶解性总固体", "TDS"),
        ("矿化度", "TDS"),
        ("Ca²⁺", "Ca"),
        ("Ca2+", "Ca"),
        ("ca 2+", "Ca"),
        ("Ｃａ２＋", "Ca"),  # full-width
        ("Mg²⁺", "Mg"),
        ("SO₄²⁻", "SO4"),
        ("SO42-", "SO4"),
        ("硫酸根", "SO4"),
        ("CO₃²⁻", "CO3"),
        ("pH值", "pH"),
        ("水温", "temp_C"),
        ("偏硅酸", "SiO2"),
        ("样品编号", "sample_id"),
    ],
)
def test_alias_maps_to_canonical(header, canonical):
    found = lookup(header)
    assert found is not None, header
    assert found[0] == canonical


def test_full_width_bracket_header_with_unit_is_split():
    from cbmwater.water.io import parse_header

    assert parse_header("钠离子（mg/L）") == ("Na", "mg/L", 1.0)
    assert parse_header("Ca²⁺ (mmol/L)") == ("Ca", "mmol/L", 1.0)
    assert parse_header("HCO3 [meq/L]") == ("HCO3", "meq/L", 1.0)
    assert parse_header("矿化度（g/L）") == ("TDS", "g/L", 1.0)
    # the slash form documented in cbmwater.water.io
    assert parse_header("Na/(mg/L)") == ("Na", "mg/L", 1.0)
    assert parse_header("ρ(Na+)/(mg/L)") == ("Na", "mg/L", 1.0)
    # brackets that are not a unit stay part of the name
    assert parse_header("COD(Cr)") == ("COD", None, 1.0)


def test_normalise_name_folds_superscripts_full_width_and_separators():
    assert normalise_name("Ca²⁺") == "ca2"
    assert normalise_name("Ｃａ２＋") == "ca2"
    assert normalise_name(" ca 2+ ") == "ca2"
    assert normalise_name("NH4_N") == normalise_name("NH4-N") == "nh4n"


def test_unknown_names_are_not_matched():
    for h in ("Sodum", "chlorine dioxide", "xyz", "Na2"):
        assert lookup(h) is None, h


def test_ammonium_as_NH4_is_converted_to_N():
    # mg/L as NH4 x 14.007 / 18.039 = mg/L as N
    name, factor = lookup("NH4+")
    assert name == "NH4_N"
    assert factor == pytest.approx(14.007 / 18.039, rel=1e-12)
    assert factor == pytest.approx(0.77648, abs=1e-5)
    assert lookup("铵离子") == ("NH4_N", factor)
    # nitrate as NO3 (62.004 g/mol) to N
    name, factor = lookup("NO3-")
    assert name == "NO3_N"
    assert factor == pytest.approx(14.007 / (14.007 + 3 * 15.999), rel=1e-12)
    # metasilicic acid H2SiO3 (78.098) to SiO2 (60.083)
    name, factor = lookup("偏硅酸")
    assert name == "SiO2"
    assert factor == pytest.approx(60.083 / 78.098, rel=1e-4)


def test_canonical_column_list():
    required = [
        "sample_id",
        "temp_C",
        "pH",
        "Na",
        "K",
        "Ca",
        "Mg",
        "Fe",
        "Fe2",
        "Fe3",
        "Mn",
        "Al",
        "Sr",
        "Ba",
        "Li",
        "NH4_N",
        "Cl",
        "SO4",
        "HCO3",
        "CO3",
        "alkalinity_CaCO3",
        "F",
        "Br",
        "NO3_N",
        "SiO2",
        "B",
        "TDS",
        "COD",
        "TSS",
    ]
    missing = [c for c in required if c not in CANONICAL_COLUMNS]
    assert missing == []
    assert CANONICAL_COLUMNS[0] == "sample_id"
    assert len(set(CANONICAL_COLUMNS)) == len(CANONICAL_COLUMNS)


def test_constituent_table_masses_and_charges():
    # hand values: equivalent masses M/|z|
    assert CONSTITUENTS["Ca"].equivalent_mass == pytest.approx(40.078 / 2)
    assert CONSTITUENTS["Mg"].equivalent_mass == pytest.approx(24.305 / 2)
    assert CONSTITUENTS["SO4"].equivalent_mass == pytest.approx(96.056 / 2, abs=1e-9)
    assert CONSTITUENTS["HCO3"].equivalent_mass == pytest.approx(1.008 + 12.011 + 3 * 15.999)
    assert CONSTITUENTS["CO3"].equivalent_mass == pytest.approx((12.011 + 3 * 15.999) / 2)
    assert CONSTITUENTS["SiO2"].equivalent_mass is None
    assert molar_mass("NH4_N") == 14.007
    assert molar_mass("SiO2") == pytest.approx(28.085 + 2 * 15.999)
    with pytest.raises(KeyError):
        molar_mass("TDS")
    # cation charges positive, anion charges negative
    for c in CONSTITUENTS.values():
        if c.kind == "cation":
            assert c.charge > 0, c.name
        elif c.kind == "anion":
            assert c.charge < 0, c.name


# --------------------------------------------------------------------------------------------
# units


@pytest.mark.parametrize(
    "spelling, unit",
    [
        ("mg/L", "mg/L"),
        ("mg/l", "mg/L"),
        ("毫克/升", "mg/L"),
        ("mg·L⁻¹", "mg/L"),
        ("ppm", "mg/L"),
        ("µg/L", "ug/L"),
        ("μg/L", "ug/L"),
        ("ug/L", "ug/L"),
        ("微克/升", "ug/L"),
        ("g/L", "g/L"),
        ("mmol/L", "mmol/L"),
        ("mmol·L-1", "mmol/L"),
        ("meq/L", "meq/L"),
        ("毫克当量/升", "meq/L"),
        ("℃", "deg C"),
        ("°C", "deg C"),
        ("无量纲", "-"),
    ],
)
def test_parse_unit_spellings(spelling, unit):
    assert parse_unit(spelling) == unit


def test_parse_unit_unknown_is_none():
    # "mm" is not in this list: the spelling "mM" (millimolar) in UNITS case-folds to it.
    for s in ("m", "kg", "mol/kg", "mg", "mg/kg", "%"):
        assert parse_unit(s) is None, s


def test_hand_checked_conversions():
    # 1 mmol/L Ca = 40.078 mg/L
    assert to_canonical(1.0, "Ca", "mmol/L") == pytest.approx(40.078, rel=1e-12)
    # 1 meq/L Ca = 40.078 / 2 = 20.039 mg/L
    assert to_canonical(1.0, "Ca", "meq/L") == pytest.approx(20.039, rel=1e-12)
    # 1 meq/L SO4 = 96.056 / 2 = 48.03 mg/L
    assert to_canonical(1.0, "SO4", "meq/L") == pytest.approx(48.03, abs=0.005)
    # 1 meq/L HCO3 = 61.016 mg/L
    assert to_canonical(1.0, "HCO3", "meq/L") == pytest.approx(61.016, abs=1e-9)
    # 1 meq/L alkalinity = 50.04 mg/L as CaCO3 (Hem 1985); 1 mmol/L CaCO3 = 100.09 mg/L
    assert to_canonical(1.0, "alkalinity_CaCO3", "meq/L") == pytest.approx(50.04, abs=0.005)
    assert to_canonical(1.0, "alkalinity_CaCO3", "mmol/L") == pytest.approx(100.09, abs=0.01)
    # 1000 ug/L = 1 mg/L ; 1.5 g/L = 1500 mg/L
    assert to_canonical(1000.0, "Fe", "ug/L") == pytest.approx(1.0, rel=1e-12)
    assert to_canonical(1.5, "TDS", "g/L") == pytest.approx(1500.0, rel=1e-12)
    # 1 mmol/L NH4_N is 1 mmol/L N = 14.007 mg/L as N
    assert to_canonical(1.0, "NH4_N", "mmol/L") == pytest.approx(14.007, rel=1e-12)
    # 2 mmol/L SiO2 = 2 x 60.083 mg/L
    assert to_canonical(2.0, "SiO2", "mmol/L") == pytest.approx(120.166, abs=1e-9)
    # mg/L, deg C and pH pass unchanged
    assert to_canonical(12.5, "Na", "mg/L") == 12.5
    assert to_canonical(18.0, "temp_C", "deg C") == 18.0
    assert to_canonical(8.1, "pH", "-") == 8.1
    # and the way back
    assert from_canonical(40.078, "Ca", "mmol/L") == pytest.approx(1.0, rel=1e-12)
    assert from_canonical(50.04, "alkalinity_CaCO3", "meq/L") == pytest.approx(1.0, abs=1e-4)


def test_round_trip_every_constituent_every_allowed_unit():
    checked = 0
    for name in ANALYTES:
        allowed = allowed_units(name)
        assert allowed, name
        for unit in allowed:
            for x in (0.0, 1e-4, 0.37, 12.5, 2480.0):
                back = from_canonical(to_canonical(x, name, unit), name, unit)
                assert back == pytest.approx(x, rel=1e-12, abs=0), (name, unit, x)
            # a non-trivial conversion actually changes the number
            if unit in ("ug/L", "g/L", "mmol/L", "meq/L"):
                assert to_canonical(1.0, name, unit) != 1.0, (name, unit)
            checked += 1
    # every concentration has at least mg/L, ug/L, g/L; charged ones also mmol/L and meq/L
    assert checked >= 3 * (len(ANALYTES) - 2) + 2


def test_allowed_units_by_kind():
    assert allowed_units("pH") == ("-",)
    assert allowed_units("temp_C") == ("deg C",)
    assert set(allowed_units("Na")) == {"mg/L", "ug/L", "g/L", "mmol/L", "meq/L"}
    assert set(allowed_units("SiO2")) == {"mg/L", "ug/L", "g/L", "mmol/L"}
    assert set(allowed_units("TDS")) == {"mg/L", "ug/L", "g/L"}


@pytest.mark.parametrize(
    "name, unit",
    [
        ("SiO2", "meq/L"),
        ("B", "meq/L"),
        ("TDS", "mmol/L"),
        ("COD", "meq/L"),
        ("pH", "mg/L"),
        ("temp_C", "mg/L"),
        ("Na", "deg C"),
    ],
)
def test_inapplicable_unit_is_refused(name, unit):
    with pytest.raises(UnitError) as exc:
        to_canonical(1.0, name, unit)
    assert isinstance(exc.value, InputError)
    assert isinstance(exc.value, CbmwaterError)
    assert name in str(exc.value) and unit in str(exc.value)
    with pytest.raises(UnitError):
        from_canonical(1.0, name, unit)


def test_units_table_has_no_ambiguous_spelling():
    seen: dict[str, str] = {}
    for uid, spellings in units.UNITS.items():
        for s in spellings:
            key = units.normalise_unit(s)
            assert seen.setdefault(key, uid) == uid, s
