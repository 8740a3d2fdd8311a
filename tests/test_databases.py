"""Every shipped database loads in the bundled IPhreeqc 3.7.3 and matches its recorded hash."""

import hashlib

import pytest
from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

from cbmwater.errors import InputError
from cbmwater.geochem.databases import DATABASE_DIR, DATABASES, database_info, resolve_database

RECORDED = {
    "phreeqc.dat": "6bb5ebc1d0ecca0e921c13a2241d05d3a3333b142d1d740b2ed03a786442bdf5",
    "pitzer.dat": "eb5051704fad461c4e5325721afc7b9025fad7c2906f72ed48ae182aa2c1a5c9",
    "wateq4f.dat": "7816c92eadd28f7e4703efa467a038a197748cd38f410d81aa7909fde1c8912f",
}


@pytest.mark.parametrize("name", sorted(DATABASES))
def test_database_loads_and_hash_is_recorded(name):
    path = resolve_database(name)
    ip = IPhreeqc()
    ip.load_database(str(path))
    assert ip.phc_database_error_count == 0, ip.get_error_string()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == RECORDED[path.name]
    assert database_info(name).sha256 == digest
    assert path.name in (DATABASE_DIR / "README.md").read_text()


def test_phreeqc_dat_defines_what_characterisation_needs():
    info = database_info("phreeqc")
    for el in (
        "Na",
        "K",
        "Ca",
        "Mg",
        "Fe",
        "Mn",
        "Al",
        "Sr",
        "Ba",
        "Li",
        "Cl",
        "S(6)",
        "F",
        "Br",
        "N(-3)",
        "N(+5)",
        "Si",
        "B",
    ):
        assert el in info.elements, el
    for phase in ("Calcite", "Barite", "Fe(OH)3(a)", "Gibbsite", "CO2(g)"):
        assert phase in info.phases


def test_unknown_database_name_is_a_clear_error():
    with pytest.raises(InputError, match="phreeqc, pitzer, wateq4f"):
        resolve_database("nope")
