"""The shipped unit library, prices and precedence rules, and the loaders' refusal of bad files.

Oracles typed in by hand:
  WaterTAP ZO YAML @ watertap-org/watertap 4a26103 (reference/watertap.md §2): UF recovery 0.95 and
  TSS 0.97; EDR recovery 0.9214, F 0.823529 (0.824), energy 0.2534 + 5.149e-4 kWh/m3 per mg/L;
  clinoptilolite NH4-N 0.999 and recovery 0.973; brine concentrator 9.73 + 1.1e-4 TDS + 10.4 R +
  3.83e-5 Q(m3/h); cation exchange capital exp(9.97141 + 0.681951 lnQ - 6.42222e-5 TDS +
  4.09643e-5 lnQ TDS) USD2017.  WaterTAP3 constituent_removal_factors.csv (NREL/WaterTAP3 62b45ef):
  RO removal 0.98, boron 0.90.
  CEPCI 2014 576.1, 2024 800.0; CNY per USD 2024 7.1217 (economics.toml, marks S/M):
  1e6 USD of 2014 = 1e6 * 800.0 / 576.1 * 7.1217 = 9 889 533.07 CNY of 2024.
  CRF(8 %, 20 yr) = 0.08 * 1.08**20 / (1.08**20 - 1) = 0.10185.
"""

from __future__ import annotations

import csv
import math
import re
import shutil

import pytest

from cbmwater.errors import DatabaseError
from cbmwater.treatment.economics import capital_recovery_factor, load_economics
from cbmwater.treatment.library import LIBRARY_DIR, REMOVABLE, load_library

UNIT_IDS = {
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
    "nanofiltration",
    "brackish_ro",
    "edr",
    "mvc_concentrator",
    "crystallizer",
    "evaporation_pond",
    "ph_adjustment",
    "disinfection",
    "degasser",
    "remineralisation",
    "oxygen_scavenger",
}
REQUIRED_SOURCES = ("recovery", "removal", "energy", "capital", "om")
CAPITAL_YEARS = (2001, 2007, 2011, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024)


@pytest.fixture(scope="module")
def lib():
    return load_library()


@pytest.fixture(scope="module")
def econ():
    return load_economics()


# --------------------------------------------------------------------------------------------
# The shipped files
# --------------------------------------------------------------------------------------------


def test_library_has_exactly_the_27_units(lib):
    assert set(lib.units) == UNIT_IDS
    assert len(lib) == 27


def test_every_unit_has_a_source_for_every_number(lib):
    for u in lib:
        needed = list(REQUIRED_SOURCES) + [f"chemicals.{c.chemical}" for c in u.chemicals]
        needed += [f"params.{k}" for k in u.params]
        if u.residual == "sludge":
            needed.append("sludge_solids_frac")
        for key in needed:
            text = u.sources.get(key, "")
            assert len(text) > 20, (u.id, key)
            if text.lower().startswith("assumption"):
                assert len(text.split(":", 1)[1].strip()) > 20, (u.id, key)
        assert re.search(r"[\u4e00-\u9fff]", u.name_zh), u.id  # a Chinese name


def test_reference_values_from_watertap(lib):
    uf = lib["ultrafiltration"]
    assert uf.recovery == 0.95
    assert uf.removal_of("TSS") == 0.97
    assert uf.capital.Q_ref_m3_d == pytest.approx(4731.764235 * 24, rel=1e-6)
    assert (uf.capital.A, uf.capital.B, uf.capital.currency, uf.capital.year) == (
        15.0e6,
        1.0,
        "USD",
        2014,
    )

    edr = lib["edr"]
    assert edr.recovery == 0.9214
    assert edr.removal_of("F") == pytest.approx(0.824, abs=1e-3)
    assert edr.energy_kWh_m3 == 0.2534
    assert edr.energy_kWh_m3_per_g_L_TDS == pytest.approx(5.149e-4 * 1000)  # per g/L
    assert edr.capital.Q_ref_m3_d == pytest.approx(946.352946 * 24, rel=1e-6)

    ro = lib["brackish_ro"]
    assert (
        ro.removal_of("Na") == 0.98 and ro.removal_of("F") == 0.98 and ro.removal_of("SiO2") == 0.98
    )
    # boric acid rejection (issue 11: WaterTAP3's 0.90 overstated boron removal below pH 9)
    assert ro.removal_of("B") == 0.5 and ro.params["borate_rejection"] == 0.98
    assert ro.recovery == 0.80  # qinshui_standards.md §3 T3 upper bound (65-80 %)

    clino = lib["clinoptilolite"]
    assert clino.removal_of("NH4_N") == 0.999
    assert clino.recovery == 0.973
    assert clino.residual == "brine"

    nf = lib["nanofiltration"]
    assert nf.recovery == 0.85 and nf.removal_of("Mg") == 0.99 and nf.removal_of("SO4") == 0.98
    # loose NF passes about half of the monovalent ions (issue 11: Na 0.97 was a tight NF)
    assert nf.removal_of("Na") == 0.5 and nf.removal_of("Cl") == 0.5


def test_brine_concentrator_energy_reproduces_the_watertap_formula(lib):
    mvc = lib["mvc_concentrator"]
    q_h = mvc.capital.Q_ref_m3_d / 24
    for tds_mg_L in (5_000.0, 10_000.0, 40_000.0):
        formula = 9.73 + 1.1e-4 * tds_mg_L + 10.4 * mvc.recovery + 3.83e-5 * q_h
        ours = mvc.energy_kWh_m3 + mvc.energy_kWh_m3_per_g_L_TDS * tds_mg_L / 1000
        assert ours == pytest.approx(formula, abs=0.01)


def test_cation_exchange_curve_is_the_watertap_formula_at_2000_mg_L(lib):
    q_h, tds = 1000 / 24, 2000.0
    hand = math.exp(
        9.97141 + 0.681951 * math.log(q_h) - 6.42222e-5 * tds + 4.09643e-5 * math.log(q_h) * tds
    )
    for uid in ("wac_exchange", "sac_exchange"):
        cap = lib[uid].capital
        assert cap.Q_ref_m3_d == 1000
        assert pytest.approx(hand, rel=1e-5) == cap.A
        assert pytest.approx(0.681951 + 4.09643e-5 * tds, abs=1e-4) == cap.B
        # exact power law at fixed TDS: check another flow
        q2 = 200 / 24
        at_q2 = math.exp(
            9.97141 + 0.681951 * math.log(q2) - 6.42222e-5 * tds + 4.09643e-5 * math.log(q2) * tds
        )
        assert pytest.approx(at_q2, rel=1e-3) == cap.A * (200 / 1000) ** cap.B


def test_breakpoint_dose_is_7_6_mg_cl2_per_mg_n_as_naocl(lib):
    dose = {c.chemical: c for c in lib["breakpoint_chlorination"].chemicals}
    assert dose["sodium_hypochlorite"].per_mg_removed["NH4_N"] == pytest.approx(
        7.6 * 74.44 / 70.906, rel=1e-3
    )


def test_residual_and_recovery_are_consistent(lib):
    for u in lib:
        if u.recovery == 1.0:
            assert u.residual in ("none", "gas", "spent_media", "sludge"), u.id
        if u.residual == "none":
            # nothing leaves, except dissolved oxygen that a chemical scavenger consumes
            assert not any(v > 0 for k, v in u.removal.items() if k != "DO"), u.id
        if u.residual == "brine":
            assert u.recovery < 1.0, u.id
        if u.residual == "sludge":
            assert 0 < u.sludge_solids_frac < 1, u.id
        c = u.capital
        assert c.Q_min_m3_d < c.Q_ref_m3_d * 50 and c.Q_min_m3_d < c.Q_max_m3_d, u.id
        for k in u.removal:
            assert k == "default" or k in REMOVABLE


def test_model_parameters_name_known_chemicals_and_phases(lib, econ):
    for u in lib:
        for key in ("reagent", "soda", "acid", "base", "antiscalant"):
            if key in u.params:
                assert u.params[key] in econ.chemicals, (u.id, key)
        if u.model == "oxidation":
            assert u.params["oxidant"] == "air" or u.params["oxidant"] in econ.chemicals
            assert u.params["precipitates"]
        if u.model in ("lime_softening", "lime_soda_softening", "ph_adjustment"):
            assert 6.0 <= u.params["target_pH"] <= 12.0
        if u.model == "membrane":
            si = u.params["si_allowance"]
            assert set(si) >= {"Calcite", "Barite", "Celestite", "Fluorite", "SiO2(a)"}
            assert u.params["antiscalant"] in {c.chemical for c in u.chemicals}
        if u.model in ("thermal", "evaporation_pond"):
            assert u.params["applies_to"] == "brine"
    assert lib["evaporation_pond"].params["product"] == "vapour"
    # the pond's product is the evaporated water (WaterTAP's 0.9999 byproduct), which carries no salt
    assert lib["evaporation_pond"].recovery == 0.9999
    assert lib["evaporation_pond"].removal_of("Na") == 1.0


def test_economics_values_and_money_conversion(econ):
    assert econ.price_year == 2024
    for y in CAPITAL_YEARS:
        assert (
            y in econ.cost_index and y in econ.fx_to_CNY["USD"] and econ.fx_to_CNY["CNY"][y] == 1.0
        )
    assert econ.cost_index[2007] == 525.4
    hand = 1e6 * 800.0 / 576.1 * 7.1217
    assert econ.to_CNY(1e6, "USD", 2014) == pytest.approx(hand, rel=1e-12)
    assert hand == pytest.approx(9_889_533.07, abs=0.01)
    assert econ.to_CNY(1000.0, "CNY", 2024) == 1000.0
    assert capital_recovery_factor(0.08, 20) == pytest.approx(0.10185, abs=5e-6)
    assert econ.crf() == pytest.approx(0.10185, abs=5e-6)
    for name, c in econ.chemicals.items():
        assert c.price_CNY_t > 0 and c.molar_mass_g_mol > 0, name
        assert set(c.adds_mol) <= set(REMOVABLE), name
        assert len(c.source) > 40, name
    assert econ.chemicals["caustic_soda"].adds_mol == {"Na": 1.0}
    assert econ.chemicals["soda_ash"].adds_mol == {"Na": 2.0}
    assert econ.chemicals["sodium_hypochlorite"].adds_mol == {"Na": 1.0, "Cl": 1.0}
    assert econ.chemicals["sulfuric_acid"].adds_mol == {"SO4": 1.0}


def test_every_unit_chemical_is_priced(lib, econ):
    for u in lib:
        for c in u.chemicals:
            assert c.chemical in econ.chemicals


def test_precedence_table_is_well_formed(lib):
    path = LIBRARY_DIR / "precedence.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0]) == ["unit", "rule", "other_units", "reason", "reason_zh"]
    seen = set()
    for r in rows:
        assert r["unit"] in lib, r
        assert r["rule"] in ("requires_before", "not_after"), r
        others = r["other_units"].split(";")
        assert others and all(o in lib for o in others), r
        assert r["unit"] not in others, r
        assert len(r["reason"]) > 20, r
        assert re.search(r"[\u4e00-\u9fff]", r["reason_zh"]), r  # the reason in Chinese
        seen.add((r["unit"], r["rule"]))
    for must in (
        ("brackish_ro", "requires_before"),
        ("nanofiltration", "requires_before"),
        ("ultrafiltration", "requires_before"),
        ("edr", "requires_before"),
        ("crystallizer", "requires_before"),
        ("mvc_concentrator", "requires_before"),
        ("evaporation_pond", "requires_before"),
        ("cartridge_filter", "not_after"),
    ):
        assert must in seen, must
    ro = next(r for r in rows if r["unit"] == "brackish_ro" and r["rule"] == "requires_before")
    assert set(ro["other_units"].split(";")) == {"cartridge_filter", "ultrafiltration"}


def test_readme_lists_every_unit():
    text = (LIBRARY_DIR / "README.md").read_text(encoding="utf-8")
    for uid in UNIT_IDS:
        assert f"| {uid} |" in text, uid


# --------------------------------------------------------------------------------------------
# The loaders refuse bad files, naming file, unit and field
# --------------------------------------------------------------------------------------------

GOOD_UNIT = """
[units.{uid}]
name_en = "Test unit"
name_zh = "测试"
category = "filtration"
model = "zero_order"
residual = "{residual}"
recovery = {recovery}
removal = {{ {removal} }}
energy_kWh_m3 = 0.1
capital = {{ A = 1.0e6, B = 0.6, Q_ref_m3_d = 1000, currency = "{currency}", year = 2014, Q_min_m3_d = {qmin}, Q_max_m3_d = 5000, below_min = "floor" }}
om = {{ maintenance_frac_capex_yr = 0.03 }}
{chem}
[units.{uid}.sources]
recovery = "assumption: a test value for the loader tests"
removal = "assumption: a test value for the loader tests"
energy = "assumption: a test value for the loader tests"
capital = "assumption: a test value for the loader tests"
{om_source}
"""


def make_library(
    tmp_path,
    *,
    uid="testunit",
    residual="brine",
    recovery="0.9",
    removal="TSS = 0.5",
    currency="USD",
    qmin="50",
    chem="",
    om_source='om = "assumption: a test value for the loader tests"',
):
    shutil.copy(LIBRARY_DIR / "economics.toml", tmp_path / "economics.toml")
    path = tmp_path / "units.toml"
    path.write_text(
        GOOD_UNIT.format(
            uid=uid,
            residual=residual,
            recovery=recovery,
            removal=removal,
            currency=currency,
            qmin=qmin,
            chem=chem,
            om_source=om_source,
        ),
        encoding="utf-8",
    )
    return path


def refused(path, *fragments):
    with pytest.raises(DatabaseError) as exc:
        load_library(path)
    msg = str(exc.value)
    assert str(path.resolve()) in msg or str(path) in msg, msg
    for f in fragments:
        assert f in msg, (f, msg)
    return msg


def test_good_minimal_file_loads(tmp_path):
    lib = load_library(make_library(tmp_path))
    assert lib["testunit"].removal_of("TSS") == 0.5 and lib["testunit"].removal_of("Na") == 0.0


def test_missing_source_is_refused(tmp_path):
    path = make_library(tmp_path, om_source="")
    refused(path, "'testunit'", "sources.om", "every number needs a source")


def test_empty_assumption_is_refused(tmp_path):
    path = make_library(tmp_path, om_source='om = "assumption: x"')
    refused(path, "'testunit'", "sources.om", "reason")


def test_unknown_constituent_in_removal_suggests_the_nearest(tmp_path):
    path = make_library(tmp_path, removal="NH4 = 0.9")
    refused(path, "'testunit'", "removal.NH4", "did you mean 'NH4_N'")


@pytest.mark.parametrize("recovery", ["0", "0.0", "1.2"])
def test_recovery_out_of_range_is_refused(tmp_path, recovery):
    path = make_library(tmp_path, recovery=recovery)
    refused(path, "'testunit'", "'recovery'")


def test_unknown_chemical_is_refused(tmp_path):
    path = make_library(tmp_path, chem="chemicals = { unobtainium = { dose_mg_L = 5 } }")
    refused(path, "'testunit'", "chemicals.unobtainium", "unknown chemical")


def test_currency_without_exchange_rate_is_refused(tmp_path):
    path = make_library(tmp_path, currency="EUR")
    refused(path, "'testunit'", "capital.currency", "EUR")


def test_q_min_not_below_q_max_is_refused(tmp_path):
    path = make_library(tmp_path, qmin="5000")
    refused(path, "'testunit'", "capital.Q_min_m3_d", "below Q_max")


def test_brine_unit_with_full_recovery_is_refused(tmp_path):
    path = make_library(tmp_path, residual="brine", recovery="1.0")
    refused(path, "'testunit'", "'recovery'", "brine")


def test_economics_without_a_source_is_refused(tmp_path):
    text = (LIBRARY_DIR / "economics.toml").read_text(encoding="utf-8")
    bad = re.sub(r'(\[electricity\][^\[]*?)source = "[^"]*"\n', r"\1", text, count=1)
    assert bad != text
    path = tmp_path / "economics.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DatabaseError, match=r"economics\.toml.*\[electricity\].*source"):
        load_economics(path)


@pytest.mark.parametrize(
    "old, new, field, allowed",
    [
        (
            'concentrate_model = "rejection"',
            'concentrate_model = "bogus"',
            "params.concentrate_model",
            "full_rejection, rejection",
        ),
        (
            'co2_policy = "feed_pco2"\nborate_rejection = 0.6',
            'co2_policy = "open"\nborate_rejection = 0.6',
            "params.co2_policy",
            "feed_pco2, closed",
        ),
    ],
)
def test_bad_membrane_params_are_refused_at_load(tmp_path, old, new, field, allowed):
    shutil.copy(LIBRARY_DIR / "economics.toml", tmp_path / "economics.toml")
    text = (LIBRARY_DIR / "units.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "units.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    refused(path, "nanofiltration", field, allowed)


@pytest.mark.parametrize(
    ("pool", "max_units", "limit"),
    [
        (None, 4, 10**6),  # every unit, short trains
        (None, 13, 3000),  # every unit, the first 3000 in order
        (
            [
                "aeration",
                "coagulation",
                "sedimentation",
                "multimedia_filter",
                "greensand_filter",
                "cartridge_filter",
                "ultrafiltration",
                "ph_adjustment",
                "brackish_ro",
                "nanofiltration",
                "edr",
                "mvc_concentrator",
                "crystallizer",
                "evaporation_pond",
                "disinfection",
            ],
            13,
            10**6,
        ),
    ],
)
def test_candidate_trains_are_the_brute_force_product_filtered_by_check_order(
    lib, pool, max_units, limit
):
    """Oracle: every combination of the stage choices (itertools.product, in its order) kept
    when check_order accepts it -- what candidate_trains computed before it pruned its search."""
    import itertools

    from cbmwater.errors import InputError
    from cbmwater.treatment.precedence import candidate_trains, check_order, load_stages

    choices = []
    for _, units, optional in load_stages(lib):
        opts = [u for u in units if pool is None or u in pool]
        choices.append([None, *opts] if optional or not opts else opts)
    expected = []
    for combo in itertools.product(*choices):
        train = [u for u in combo if u is not None]
        if not train or len(train) > max_units:
            continue
        try:
            check_order(train, lib)
        except InputError:
            continue
        expected.append(train)
        if len(expected) >= limit:
            break
    got = candidate_trains(lib, pool=pool, max_units=max_units, limit=limit)
    assert len(expected) > 100
    assert got == expected
