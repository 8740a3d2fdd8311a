"""The `cbmwater units` and `cbmwater treat` commands: JSON shape, values traced to the input
file, and refusal of bad input (one-line message, non-zero exit, no traceback, no --out file).

Oracle values: sample SZ-3-01 of cbmwater/case_studies/qinshui/analyses.csv (Na 313, Cl 59.7, HCO3 764,
TSS 144 mg/L, pH 8.24, 18.8 deg C) as typed from the file; the feed flow given on the command
line; the 24 unit ids of cbmwater/databases/treatment/units.toml.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cbmwater
from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.study import BUNDLED_ANALYSES
from cbmwater.treatment.streams import TRACKED
from cbmwater.water.vocabulary import CONSTITUENTS

TRAIN = "coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro"
SAMPLE = "SZ-3-01"
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


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def treated():
    res = cli(
        "treat",
        BUNDLED_ANALYSES,
        "--sample",
        SAMPLE,
        "--train",
        TRAIN,
        "--flow-m3-d",
        "800",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_units_json_lists_the_27_units_with_sources():
    res = cli("units", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 27
    assert {r["id"] for r in rows} == UNIT_IDS
    for r in rows:
        for key in ("recovery", "removal", "energy", "capital", "om"):
            assert len(r["sources"][key]) > 20, (r["id"], key)
        assert set(r["capital"]) >= {
            "A",
            "B",
            "Q_ref_m3_d",
            "currency",
            "year",
            "Q_min_m3_d",
            "Q_max_m3_d",
            "installation_factor",
        }
        assert 0 < r["recovery"] <= 1
    ro = next(r for r in rows if r["id"] == "brackish_ro")
    assert (ro["recovery"], ro["removal"]["default"], ro["name_zh"]) == (0.8, 0.98, "苦咸水反渗透")


def test_units_text_lists_every_id():
    res = cli("units")
    assert res.exit_code == 0
    for uid in UNIT_IDS:
        assert uid in res.stdout


def test_treat_json_has_the_documented_keys(treated):
    for key in (
        "stages",
        "product",
        "residuals",
        "recovery",
        "energy_kWh_m3",
        "chemicals_kg_d",
        "capex_CNY",
        "opex_CNY_yr",
        "lcow_CNY_m3",
        "breakdown",
        "warnings",
    ):
        assert key in treated, key
    assert treated["sample_id"] == SAMPLE and treated["price_year"] == 2024
    assert [s["unit"] for s in treated["stages"]] == TRAIN.split(",")
    for s in treated["stages"]:
        for side in ("inlet", "outlet"):
            assert s[side]["flow_m3_d"] > 0
            conc = s[side]["concentrations"]
            assert conc and set(conc) <= set(TRACKED) <= set(CONSTITUENTS) | {"TSS", "COD"}
    # stages chain: each inlet is the previous outlet
    for a, b in zip(treated["stages"], treated["stages"][1:]):
        assert b["inlet"]["flow_m3_d"] == pytest.approx(a["outlet"]["flow_m3_d"], rel=1e-12)
    first = treated["stages"][0]["inlet"]
    assert first["flow_m3_d"] == 800.0
    assert first["concentrations"]["Na"] == 313.0
    assert first["concentrations"]["Cl"] == 59.7
    assert first["concentrations"]["HCO3"] == 764.0
    assert first["concentrations"]["TSS"] == 144.0
    assert first["pH"] == 8.24 and first["temp_C"] == 18.8
    assert treated["product"]["flow_m3_d"] == pytest.approx(
        treated["stages"][-1]["outlet"]["flow_m3_d"], rel=1e-12
    )
    assert treated["recovery"] == pytest.approx(treated["product"]["flow_m3_d"] / 800.0, rel=1e-12)
    assert {r["unit"] for r in treated["residuals"]} == {
        "sedimentation",
        "multimedia_filter",
        "ultrafiltration",
        "brackish_ro",
    }
    for r in treated["residuals"]:
        assert set(r) >= {"name", "unit", "kind", "flow_m3_d", "concentrations", "dry_kg_d"}
    # water balance from the JSON alone
    out = treated["product"]["flow_m3_d"] + sum(
        r["flow_m3_d"] for r in treated["residuals"] if r["treated_by"] is None
    )
    assert out == pytest.approx(800.0, rel=1e-3)
    assert set(treated["chemicals_kg_d"]) == {"pac", "pam", "antiscalant"}
    assert treated["chemicals_kg_d"]["pac"] == pytest.approx(8.4 * 800 / 1000, rel=1e-12)
    assert treated["lcow_CNY_m3"] > 0 and treated["capex_CNY"] > 0 and treated["opex_CNY_yr"] > 0
    assert set(treated["breakdown"]) == {"by_unit", "by_category"}
    assert isinstance(treated["warnings"], list)


def test_treat_out_file_equals_stdout(tmp_path, treated):
    out = tmp_path / "res" / "t.json"
    res = cli(
        "treat",
        BUNDLED_ANALYSES,
        "--sample",
        SAMPLE,
        "--train",
        TRAIN,
        "--flow-m3-d",
        "800",
        "--format",
        "json",
        "--out",
        out,
    )
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8")) == treated


def test_treat_text_output_names_the_units():
    res = cli(
        "treat",
        BUNDLED_ANALYSES,
        "--sample",
        SAMPLE,
        "--train",
        "coagulation,sedimentation,multimedia_filter",
    )
    assert res.exit_code == 0, res.output
    assert "LCOW" in res.stdout and "multimedia_filter" in res.stdout


BAD = [
    (["--train", "cartridge_filter,brackish_r0"], "did you mean 'brackish_ro'"),
    (["--train", "brackish_ro"], "spiral-wound RO elements need 5-um cartridge"),
    (
        ["--train", "cartridge_filter,brackish_ro,crystallizer"],
        "a crystallizer takes brine concentrator reject",
    ),
    (["--train", "ph_adjustment:abc"], "must be a number"),
    (["--train", "ph_adjustment:20"], "between 2 and 13"),
    (["--train", "coagulation", "--flow-m3-d", "0"], "positive"),
    (["--train", "coagulation", "--flow-m3-d", "-5"], "positive"),
    (["--train", "coagulation", "--flow-m3-d", "nan"], "positive"),
    (["--train", "coagulation", "--sample", "NO-SUCH-WELL"], "known: SZ-3-01, SZ-3-02"),
]


@pytest.mark.parametrize("extra, message", BAD, ids=[m for _, m in BAD])
def test_bad_input_is_one_line_non_zero_and_writes_nothing(tmp_path, extra, message):
    out = tmp_path / "res.json"
    args = ["treat", BUNDLED_ANALYSES, "--format", "json", "--out", out]
    if "--sample" not in extra:
        args += ["--sample", SAMPLE]
    res = cli(*args, *extra)
    assert res.exit_code != 0
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    err = res.stderr.strip()
    assert "\n" not in err and err.startswith("error:"), err
    assert "Traceback" not in res.output
    assert message in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no partial file left behind either


def test_unknown_sample_id_lists_the_known_ids():
    with pytest.raises(InputError, match=r"NO-SUCH-WELL.*known: SZ-3-01, SZ-3-02") as exc:
        cbmwater.treat(BUNDLED_ANALYSES, "coagulation", sample="NO-SUCH-WELL", flow_m3_d=1000.0)
    assert "PZ-3-03" in str(exc.value)


@pytest.mark.parametrize("flow", [0.0, -1.0, float("nan"), float("inf")])
def test_treat_refuses_a_bad_flow(flow):
    with pytest.raises(InputError, match="positive"):
        cbmwater.treat(BUNDLED_ANALYSES, "coagulation", sample=SAMPLE, flow_m3_d=flow)


def test_missing_input_file_is_a_clean_error(tmp_path):
    res = cli("treat", tmp_path / "nope.csv", "--sample", SAMPLE, "--train", "coagulation")
    assert res.exit_code != 0
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output
