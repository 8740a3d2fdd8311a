"""The phases-and-reagents table, the validation layer and the bundle writer (issue 12 item 4)."""

import io
import zipfile

import pytest

from cbmwater.errors import InputError, LocatedDatabaseError
from cbmwater.geochem import phreeqc_input
from cbmwater.geochem.databases import database_info
from cbmwater.minewater import neutralise
from cbmwater.optimize import case as opt_case
from cbmwater.reinjection import review
from cbmwater.report.export import zip_bytes
from cbmwater.treatment import chemistry
from cbmwater.treatment.library import load_library
from cbmwater.validation import allowed_range, check_number
from cbmwater.water.phases import (
    MINERALS,
    REAGENTS,
    SUBSTANCES,
    formula_mass,
    molar_mass,
    substance,
)

# CRC Handbook of Chemistry and Physics (97th ed.), physical constants of inorganic compounds,
# g/mol, to two decimals: independent of the atomic-weight table the module computes from.
CRC = {
    "Calcite": 100.09,
    "Gypsum": 172.17,
    "Ca(OH)2": 74.09,
    "NaOH": 40.00,
    "Na2CO3": 105.99,
    "CaO": 56.08,
    "Barite": 233.39,
    "Celestite": 183.68,
    "Siderite": 115.85,
    "Anhydrite": 136.14,
    "Fe(OH)3(a)": 106.87,
    "Brucite": 58.32,
    "Fluorite": 78.07,
    "H2SO4": 98.08,
    "HCl": 36.46,
    "CO2(g)": 44.01,
}


@pytest.mark.parametrize("name", sorted(CRC))
def test_molar_masses_match_published_values(name):
    assert molar_mass(name) == pytest.approx(CRC[name], abs=0.011)


def test_formula_parser_handles_groups_and_hydrates():
    assert formula_mass("CaSO4.2H2O") == pytest.approx(
        formula_mass("CaSO4") + 2 * formula_mass("H2O")
    )
    assert formula_mass("CaSO4:2H2O") == pytest.approx(formula_mass("CaSO4.2H2O"))
    assert formula_mass("CaMg(CO3)2") == pytest.approx(40.078 + 24.305 + 2 * (12.011 + 3 * 15.999))
    with pytest.raises(InputError, match="Xx"):
        formula_mass("XxO")
    with pytest.raises(InputError, match="unknown mineral, gas or reagent 'Unobtainium'"):
        substance("Unobtainium")


def test_every_row_has_names_and_reagents_their_chemistry():
    for s in SUBSTANCES.values():
        assert s.name_en and s.name_zh and s.phreeqc, s
    for f in ("NaOH", "Ca(OH)2", "CaO", "CaCO3", "Na2CO3"):
        assert REAGENTS[f].eq_per_mol in (1.0, 2.0)
    # the engine's own tables are rows of this one
    assert neutralise.REAGENTS["Ca(OH)2"] is REAGENTS["Ca(OH)2"]
    assert chemistry.PHASE_MOLAR_MASS["Gibbsite"] == MINERALS["Gibbsite"].molar_mass
    assert review.MOLAR_MASS_G_MOL["Barite"] == MINERALS["Barite"].molar_mass


def _engine_phase_names() -> set[str]:
    names = set(phreeqc_input.SI_MINERALS) | set(opt_case.SI_MINERALS)
    names |= set(review.SCALE_MINERALS) | set(neutralise.PHASES) | set(neutralise.SI_REPORTED)
    names |= set(chemistry.TREATMENT_PHASES) | {"CO2(g)", "O2(g)"}
    for unit in load_library():
        names |= set(unit.params.get("precipitates", ())) | set(unit.params.get("dissolves", {}))
    return names


def test_every_phase_the_engine_names_is_in_the_table_and_the_bundled_phreeqc_dat():
    db = database_info("phreeqc")  # the bundled database, found by the engine's lookup
    names = _engine_phase_names()
    assert not names - set(SUBSTANCES), names - set(SUBSTANCES)
    missing = {n for n in names if n not in db.phases and not SUBSTANCES[n].definition}
    assert not missing, f"{db.name} lacks {missing}"
    for s in MINERALS.values():
        assert s.name in db.phases or s.definition, s.name


def test_validation_names_file_table_field_value_and_range():
    with pytest.raises(InputError) as exc:
        check_number(1.5, "porosity", lo=0.05, hi=0.95, file="case.toml", table="bed")
    msg = str(exc.value)
    assert msg == "file case.toml, value '1.5': [bed] field 'porosity': must be >= 0.05 and <= 0.95"
    with pytest.raises(InputError) as exc:
        check_number("abc", "qi_m3_d", lo=0, lo_open=True, file="wells.csv", row=3, text=True)
    assert str(exc.value) == (
        "file wells.csv, row 3, column 'qi_m3_d', value 'abc': must be a finite number > 0"
    )
    with pytest.raises(
        InputError,
        match=r"column 'flow_m3_d', value 'nan': flow_m3_d must be "
        r"a finite number > 0",
    ):
        check_number(float("nan"), "flow_m3_d", lo=0, lo_open=True)
    with pytest.raises(LocatedDatabaseError, match=r"must be a whole number >= 1"):
        check_number(2.5, "period", lo=1, integer=True, error=LocatedDatabaseError)
    assert check_number("7", "x", text=True) == 7.0
    with pytest.raises(InputError, match="must be a finite number"):
        check_number(True, "x")  # a TOML boolean is not a number
    assert allowed_range(0, 1, lo_open=True) == "a finite number > 0 and <= 1"


def test_zip_bytes_is_deterministic_and_utf8():
    files = {"plan.json": "{}\n", "说明.txt": "中文", "t.csv": b"\xef\xbb\xbfa\n"}
    data = zip_bytes(files)
    assert data == zip_bytes(list(files.items()))
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.namelist() == list(files)
    assert z.read("说明.txt").decode("utf-8") == "中文"
    assert {i.date_time for i in z.infolist()} == {(2024, 1, 1, 0, 0, 0)}
