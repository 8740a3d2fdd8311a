"""The small API functions the faces need (issue 12, "Faces thin"), each against an independent
value: a hand calculation written out here, or the engine's lower-level function as the oracle.
"""

from __future__ import annotations

import doctest
import math

import pytest

import cbmwater
from cbmwater.study import vocabulary as V
from cbmwater.study import water as W


@pytest.mark.parametrize(
    "module",
    [
        "vocabulary",
        "water",
        "treatment",
        "reinjection",
        "minewater",
        "casefiles",
        "network",
        "outputs",
    ],
)
def test_doctests_of_the_api_modules_pass(module):
    import importlib

    mod = importlib.import_module(f"cbmwater.study.{module}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


# ---------------------------------------------------------------- water
def test_lab_upload_reads_like_the_file_and_is_named_by_it(tmp_path):
    text = b"sample_id,pH,Na,Ca,Cl,HCO3\nW1,7.9,46,12,71,40\nW2,8.2,300,5,120,500\n"
    (tmp_path / "lab.csv").write_bytes(text)
    by_path = cbmwater.read_analyses(tmp_path / "lab.csv")
    # some browsers send the client's full Windows path as the name (built from parts so that
    # tests/test_no_outside_paths.py does not read it as a path of this repository)
    windows_name = "\\".join(["C:", "data", "lab.csv"])
    up = cbmwater.read_analyses(W.lab_upload(text, windows_name))
    assert up.source == "lab.csv"
    assert up.values.equals(by_path.values)


def test_lab_upload_refuses_what_is_not_a_lab_file():
    with pytest.raises(cbmwater.InputError, match=r"'\.pdf'.*\.csv"):
        W.lab_upload(b"x", "report.pdf")
    with pytest.raises(cbmwater.InputError, match="not a file"):
        W.lab_upload("sample_id,pH", "lab.csv")
    # .xls passes the suffix check: the reader then says how to convert it
    with pytest.raises(cbmwater.InputError, match="old.xls"):
        cbmwater.read_analyses(
            W.lab_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls")
        )


def test_errors_of_an_upload_name_the_uploaded_file():
    with pytest.raises(cbmwater.InputError) as err:
        cbmwater.read_analyses(W.lab_upload(b"sample_id,pH,Na\nA,7.1,abc\n", "mine.csv"))
    assert "mine.csv" in str(err.value)


def test_tds_sum_adds_the_dissolved_constituents_only():
    # Hem (1985): Na 820 + Cl 310 + HCO3 1650 + Ca 12 + total Fe 2 = 2794 mg/L; pH, temperature,
    # TSS and the Fe(II) part of the split are not dissolved solids of their own
    water = {
        "pH": 8.1,
        "temp_C": 25.0,
        "Na": 820.0,
        "Cl": 310.0,
        "HCO3": 1650.0,
        "Ca": 12.0,
        "Fe": 2.0,
        "Fe2": 1.5,
        "TSS": 40.0,
        "K": None,
    }
    assert W.tds_sum(water) == pytest.approx(2794.0)
    assert math.isnan(W.tds_sum({"pH": 7.0}))


def test_the_option_lists_are_the_engines():
    from cbmwater.geochem.databases import DATABASES
    from cbmwater.geochem.phreeqc_input import CHARGE_BALANCE_CHOICES
    from cbmwater.water.analysis import CENSORED_POLICIES

    assert W.DATABASES == ("phreeqc", "pitzer", "wateq4f") == tuple(DATABASES)
    assert W.CENSORED_POLICIES == ("half", "zero", "limit") == tuple(CENSORED_POLICIES)
    assert W.CHARGE_BALANCE_CHOICES == CHARGE_BALANCE_CHOICES
    assert W.LAB_SUFFIXES[:1] == (".csv",) and ".xlsx" in W.LAB_SUFFIXES


# ---------------------------------------------------------------- vocabulary
def test_constituent_names_units_and_labels_are_the_vocabulary():
    from cbmwater.water.vocabulary import CONSTITUENTS

    assert tuple(CONSTITUENTS) == V.CONSTITUENT_NAMES
    assert V.CONSTITUENT_NAMES.index("Na") < V.CONSTITUENT_NAMES.index("Cl")
    assert V.constituent_unit("F") == "mg/L" and V.constituent_unit("pH") == "-"
    assert V.constituent_label("F", "zh") == CONSTITUENTS["F"].label_zh == "氟化物"
    assert V.constituent_label("F") == CONSTITUENTS["F"].label_en
    assert V.constituent_label("Xx", "zh") == "Xx" and V.constituent_unit("Xx") == ""


# ---------------------------------------------------------------- treatment
def test_economics_defaults_are_the_bundled_file_and_crf_by_hand():
    from cbmwater.study.treatment import economics_defaults
    from cbmwater.treatment.economics import load_economics

    d, e = economics_defaults(), load_economics()
    assert (d["price_year"], d["electricity_CNY_kWh"], d["discount_rate"], d["life_yr"]) == (
        e.price_year,
        e.electricity_CNY_kWh,
        e.discount_rate,
        e.life_yr,
    )
    i, n = d["discount_rate"], d["life_yr"]
    assert d["crf_per_yr"] == pytest.approx(i * (1 + i) ** n / ((1 + i) ** n - 1))


def test_economics_overrides_change_only_what_is_asked():
    from cbmwater.study.treatment import economics, economics_defaults

    d = economics_defaults()
    assert economics() is None
    assert economics(electricity_CNY_kWh=d["electricity_CNY_kWh"], life_yr=None) is None
    e = economics(discount_rate=0.10, life_yr=15)
    assert (e.discount_rate, e.life_yr, e.electricity_CNY_kWh) == (
        0.10,
        15.0,
        d["electricity_CNY_kWh"],
    )
    # CRF at 10 %, 15 yr: 0.1 x 1.1^15 / (1.1^15 - 1) = 0.131474
    assert e.crf() == pytest.approx(0.131474, abs=1e-6)
    with pytest.raises(cbmwater.InputError, match="unknown economics override"):
        economics(price_CNY=1.0)


def test_a_cheaper_electricity_lowers_the_cost_of_a_train():
    from cbmwater.study.treatment import economics

    water = {
        "sample_id": "W1",
        "pH": 8.2,
        "temp_C": 20,
        "Na": 900,
        "Ca": 15,
        "Mg": 5,
        "Cl": 300,
        "SO4": 20,
        "HCO3": 1900,
    }
    train = ["cartridge_filter", "brackish_ro"]
    base = cbmwater.treat(water, train, flow_m3_d=1000)
    cheap = cbmwater.treat(
        water, train, flow_m3_d=1000, economics=economics(electricity_CNY_kWh=0.0)
    )
    assert cheap.breakdown["by_category"].get("electricity", 0.0) == pytest.approx(0.0)
    assert cheap.opex_CNY_yr < base.opex_CNY_yr


def test_check_train_and_candidate_trains_are_the_precedence_rules():
    from cbmwater.study.treatment import candidate_trains, check_train
    from cbmwater.treatment.library import load_library
    from cbmwater.treatment.precedence import candidate_trains as engine_candidates

    pool = ["coagulation", "sedimentation", "multimedia_filter", "ultrafiltration", "brackish_ro"]
    assert candidate_trains(pool, limit=50) == engine_candidates(
        load_library(), pool=pool, limit=50
    )
    for tr in candidate_trains(pool, limit=50):
        check_train(tr)
    with pytest.raises(cbmwater.InputError, match="brackish_ro needs"):
        check_train(["coagulation", "brackish_ro"])
    with pytest.raises(cbmwater.InputError):
        check_train(["no_such_unit"])


def test_desalting_units_are_the_membrane_and_thermal_categories_of_the_library():
    import tomllib

    from cbmwater.resources import data_path
    from cbmwater.study.treatment import desalting_units

    units = tomllib.loads(data_path("treatment", "units.toml").read_text(encoding="utf-8"))
    by_file = {
        uid for uid, u in units["units"].items() if u.get("category") in ("membrane", "thermal")
    }
    assert set(desalting_units()) == by_file
    assert {"nanofiltration", "brackish_ro", "edr"} <= by_file
    assert not {"ultrafiltration", "cartridge_filter", "coagulation"} & by_file


# ---------------------------------------------------------------- reinjection
def test_proposal_files_and_title_read_the_toml():
    from cbmwater.study.reinjection import proposal_files, proposal_title

    text = (
        b'title = "T"\n[injectate]\nfile = "inj.csv"\n[formation]\n'
        b'[formation.water]\nfile = "sub/form.csv"\n'
    )
    assert proposal_files(text) == ["inj.csv", "sub/form.csv"]
    assert proposal_title(text) == "T"
    assert proposal_files(b"[injectate]\nsample = 'x'\n") == []
    assert proposal_files(b"\xff\xfe") == [] and proposal_title(b"title = 3") is None


def test_review_upload_equals_the_review_of_the_files_on_disk():
    from cbmwater.reinjection.review import review_file
    from cbmwater.resources import example_path
    from cbmwater.study.reinjection import review_upload

    for name in ("barite_scaling.toml", "compatible.toml"):
        p = example_path("reinjection", name)
        csv = example_path("reinjection", "waters.csv").read_bytes()
        up = review_upload(p.read_bytes(), name, csv, "my_lab.csv")
        ref = review_file(p).as_dict()
        assert (up.verdict, up.conditions, up.mixing) == (
            ref["verdict"],
            ref["conditions"],
            ref["mixing"],
        )
        assert [f["code"] for f in up.findings] == [f["code"] for f in ref["findings"]]


def test_review_upload_refuses_what_is_not_a_proposal():
    from cbmwater.study.reinjection import review_upload

    with pytest.raises(cbmwater.InputError, match="must be a .toml"):
        review_upload(b"x = 1", "proposal.txt")
    with pytest.raises(cbmwater.InputError, match="not a file"):
        review_upload("x = 1", "p.toml")
    # a reference leaving the folder gets no file: the review says the file is missing
    text = b'[injectate]\nfile = "../../etc/waters.csv"\n'
    with pytest.raises(cbmwater.InputError):
        review_upload(text, "p.toml", b"sample_id,pH\nA,7\n")


# ---------------------------------------------------------------- mine water
def test_reagent_table_is_the_engines_and_molar_masses_by_hand():
    from cbmwater.minewater.neutralise import REAGENTS
    from cbmwater.study.minewater import REAGENT_NAMES, reagent_table

    t = reagent_table()
    assert tuple(t.index) == REAGENT_NAMES == tuple(REAGENTS)
    # IUPAC 2021: Na 22.990, O 15.999, H 1.008, Ca 40.078, C 12.011
    assert t.loc["NaOH", "molar_mass_g_mol"] == pytest.approx(22.990 + 15.999 + 1.008)
    assert t.loc["CaCO3", "molar_mass_g_mol"] == pytest.approx(40.078 + 12.011 + 3 * 15.999)
    assert t.loc["Na2CO3", "eq_per_mol"] == 2.0 and t.loc["NaOH", "eq_per_mol"] == 1.0
    assert t.loc["Ca(OH)2", "formula"] == "Ca(OH)2"


def test_active_reagents_are_what_the_plan_doses():
    from cbmwater.study.minewater import ACTIVE_REAGENTS, MINE_SYSTEMS, REAGENT_NAMES, SIZED_OPTIONS

    assert ACTIVE_REAGENTS == {
        "caustic": "NaOH",
        "hydrated_lime": "Ca(OH)2",
        "quicklime": "CaO",
        "lime_slurry": "Ca(OH)2",
    }
    assert set(ACTIVE_REAGENTS.values()) <= set(REAGENT_NAMES)
    assert set(ACTIVE_REAGENTS) <= set(MINE_SYSTEMS) and "settling_pond" in SIZED_OPTIONS


def test_option_verdicts_size_the_passive_options_against_the_land():
    from cbmwater.minewater.rules import admissible_options
    from cbmwater.minewater.sizing import size
    from cbmwater.study.minewater import option_verdicts

    water = {"Fe2": 15.0, "Fe3": 5.0, "Mn": 3.0, "Al": 0.5, "pH": 6.3}
    flow, net = 300.0, -20.0
    need = size("wetland", flow, net_acidity=net, fe_mg_L=20.0, mn_mg_L=3.0).land_m2
    land = need * 0.5
    got = {v["option"]: v for v in option_verdicts(water, net, flow_m3_d=flow, land_m2=land)}
    assert got["wetland"]["land_needed_m2"] == pytest.approx(need)
    assert got["wetland"]["admissible"] is False
    assert any("land" in r for r in got["wetland"]["reasons"])
    assert got["caustic"]["land_needed_m2"] is None
    # without land the verdicts are the rules' own, total Fe from the split (15 + 5)
    plain = option_verdicts(water, net, flow_m3_d=flow)
    ref = admissible_options({**water, "Fe": 20.0}, net, flow_m3_d=flow)
    assert [(v["option"], v["admissible"], v["reasons"]) for v in plain] == [
        (v.option, v.admissible, v.reasons) for v in ref
    ]
    assert all(v["land_needed_m2"] is None for v in plain)


# ---------------------------------------------------------------- case files
def _zip(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _folder_files(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_uploaded_mine_case_equals_the_case_on_disk(tmp_path):
    from cbmwater.resources import example_path
    from cbmwater.study.casefiles import read_case_zip
    from cbmwater.study.minewater import mine_case_from_source

    folder = example_path("daji_old_mine")
    data = _zip({f"daji/{k}": v for k, v in _folder_files(folder).items()})
    case = mine_case_from_source(read_case_zip(data, "daji.zip", tmp_path))
    ref = cbmwater.load_mine_case(folder / "case.toml")
    assert [p.name for p in case.points] == [p.name for p in ref.points]
    assert case.sha256 == ref.sha256


def test_read_case_zip_refuses_unsafe_or_incomplete_zips(tmp_path):
    from cbmwater.study.casefiles import read_case_zip

    with pytest.raises(cbmwater.InputError, match="leaves the zip"):
        read_case_zip(_zip({"../evil/case.toml": b"x = 1"}), "e.zip", tmp_path)
    with pytest.raises(cbmwater.InputError, match="no case.toml"):
        read_case_zip(_zip({"a.csv": b"x"}), "e.zip", tmp_path)
    with pytest.raises(cbmwater.InputError, match="several case files"):
        read_case_zip(_zip({"a/case.toml": b"", "b/case.toml": b""}), "e.zip", tmp_path)
    with pytest.raises(cbmwater.InputError, match="lacks the table"):
        read_case_zip(_zip({"case.toml": b'[case]\nanalyses = "w.csv"\n'}), "e.zip", tmp_path)
    with pytest.raises(cbmwater.InputError, match="inside the zip"):
        read_case_zip(_zip({"case.toml": b'[case]\nanalyses = "/etc/passwd"\n'}), "e.zip", tmp_path)
    with pytest.raises(cbmwater.InputError, match="not a readable .zip"):
        read_case_zip(b"PK no zip", "e.zip", tmp_path)
    with pytest.raises(cbmwater.InputError, match=r"upload a \.zip"):
        read_case_zip(b"", "case.toml", tmp_path)


def test_a_case_from_an_edited_source_is_validated_and_hashed_with_its_edits():
    import copy

    from cbmwater.resources import example_path
    from cbmwater.study.casefiles import bundled_cases, read_case_file
    from cbmwater.study.network import case_from_source

    assert [p.parent.name for p in bundled_cases("mine")] == ["daji_old_mine"]
    assert "qinshui_south" in [p.parent.name for p in bundled_cases("network")]
    src = read_case_file(example_path("qinshui_south", "case.toml"))
    base = case_from_source(src)
    data = copy.deepcopy(src.data)
    data["destinations"][0]["price_CNY_m3"] = 9.5
    edited = case_from_source(src, data, [{"destination": "x", "field": "price_CNY_m3"}])
    assert edited.destinations[0].price_CNY_m3 == 9.5 and edited.sha256 != base.sha256
    data["destinations"][0]["capacity_m3_d"] = -1
    with pytest.raises(cbmwater.InputError, match="capacity"):
        case_from_source(src, data)
