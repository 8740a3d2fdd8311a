"""Reinjection review: mixing end members vs independent PHREEQC, barite scaling, isolation,
missing measurements, bad proposals, CLI JSON keys."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.geochem.databases import database_info, resolve_database
from cbmwater.geochem.redox import redox_definitions
from cbmwater.reinjection.proposal import load_proposal, parse_proposal
from cbmwater.reinjection.review import SCALE_MINERALS, review, review_file
from cbmwater.resources import example_path

CASES = example_path("reinjection")
BARITE = CASES / "barite_scaling.toml"
COMPAT = CASES / "compatible.toml"


def _data(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _own_si(solution_lines: str, t_c: float, p_atm: float) -> dict[str, float]:
    """SI of one water at formation T and P, by a hand-written input in a fresh IPhreeqc."""
    ip = IPhreeqc()
    ip.load_database(str(resolve_database("phreeqc")))
    # the redox policy's definitions (no sulfide, nitrate or ammonium redox) come first, as in
    # every cbmwater input: without them PHREEQC lets sulfate poise the pe of this Fe(II) water
    text = (
        redox_definitions(database_info("phreeqc"))
        + solution_lines
        + "SELECTED_OUTPUT 1\n -reset false\n -si "
        + " ".join(SCALE_MINERALS)
        + "\nEND\n"
        f"USE solution 1\nREACTION_TEMPERATURE 1\n {t_c}\nREACTION_PRESSURE 1\n {p_atm}\nEND\n"
    )
    ip.run_string(text)
    arr = ip.get_selected_output_array()
    head, last = arr[0], arr[-1]
    return {h[3:]: float(v) for h, v in zip(head, last)}


# the two waters of barite_scaling.toml (cbmwater/case_studies/reinjection/waters.csv), typed by hand;
# Alkalinity as CaCO3 = 50.0437 x (HCO3/61.0168 + CO3/30.0045); total Fe without a redox
# statement is ferrous (DESIGN.md §5 redox policy), so it is typed as Fe(2)
FORMATION = f"""SOLUTION 1
 units mg/l
 temp 20.7
 pH 8.42
 Alkalinity {50.0437 * (2588 / 61.0168 + 31 / 30.0045)} as CaCO3
 Na 1228
 K 2.09
 Ca 9.58
 Mg 3.29
 Fe(2) 1.86
 Sr 0.57
 Ba 1.7
 Cl 439
 S(6) 6.8 as SO4
"""
INJECTATE = f"""SOLUTION 1
 units mg/l
 temp 20.0
 pH 7.6
 Alkalinity {50.0437 * 620 / 61.0168} as CaCO3
 Na 420
 K 2.0
 Ca 18
 Mg 6.0
 Fe(2) 0.1
 Sr 0.3
 Ba 0.02
 Cl 180
 S(6) 320 as SO4
"""


@pytest.fixture(scope="module")
def barite():
    return review_file(BARITE)


def test_mixing_end_members_equal_own_si(barite):
    p = barite.proposal
    p_atm = p.pressure_bar / 1.01325
    own_f = _own_si(FORMATION, p.temperature_C, p_atm)
    own_i = _own_si(INJECTATE, p.temperature_C, p_atm)
    mix = barite.mixing
    assert mix["fraction_injectate"].iloc[0] == 0.0 and mix["fraction_injectate"].iloc[-1] == 1.0
    for m in SCALE_MINERALS:
        assert mix[f"si_{m}"].iloc[0] == pytest.approx(own_f[m], abs=2e-3), m
        assert mix[f"si_{m}"].iloc[-1] == pytest.approx(own_i[m], abs=2e-3), m
    # the curve is not flat: barite is undersaturated at both ends and supersaturated in between
    assert own_f["Barite"] < 0 and own_i["Barite"] < 0
    assert mix["si_Barite"].max() > 0.5


def test_barite_finding(barite):
    f = [x for x in barite.findings if x.code == "SCALE_BARITE"]
    assert len(f) == 1
    ev = f[0].evidence
    assert ev["max_scale_mg_L"] > 0.5
    assert 0.0 < ev["worst_ratio"] < 1.0
    assert "barite" in f[0].condition
    # hand bound: at most all the Ba of the formation water precipitates as BaSO4
    # (1.7 mg/L / 137.327 g/mol x 233.39 g/mol x (1 - f))
    assert ev["max_scale_mg_L"] <= 1.7 / 137.327 * 233.39 * (1 - ev["worst_ratio"]) + 1e-6
    assert barite.verdict in ("conditional", "fail")
    assert barite.mixing["scale_Barite_mg_L"].iloc[0] == 0.0


def test_compatible_passes():
    r = review_file(COMPAT)
    assert r.verdict == "pass", [f.message for f in r.findings]
    assert r.mixing["scale_mg_L"].max() == 0.0
    assert any(f.code == "STANDARD_UNVERIFIED_LIMITS" for f in r.findings)


def test_target_shallower_than_aquifer_fails():
    d = _data(COMPAT)
    d["protected_aquifers"].append({"name": "deep aquifer", "bottom_depth_m": 750})
    r = review(parse_proposal(d, CASES))
    assert r.verdict == "fail"
    bad = [f for f in r.findings if f.code == "ISOLATION_INSUFFICIENT"]
    assert len(bad) == 1 and bad[0].evidence["separation_m"] == -50
    # 50 m below the bottom: still short of the 100 m separation
    d = _data(COMPAT)
    d["protected_aquifers"] = [{"name": "a", "bottom_depth_m": 650}]
    assert review(parse_proposal(d, CASES)).verdict == "fail"


def test_missing_measurement_never_passes():
    d = _data(COMPAT)
    del d["injectate"]["oil"]
    r = review(parse_proposal(d, CASES))
    assert r.verdict != "pass"
    f = [x for x in r.findings if x.code == "STANDARD_NOT_MEASURED"]
    assert [x.evidence["parameter"] for x in f] == ["oil"]
    assert any("oil" in c for c in r.conditions)


def test_exceeded_limit_fails():
    d = _data(COMPAT)
    d["injectate"]["TSS"] = 50.0
    r = review(parse_proposal(d, CASES))
    assert r.verdict == "fail"
    assert any(
        f.code == "STANDARD_EXCEEDED" and f.evidence["parameter"] == "TSS" for f in r.findings
    )


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda d: d["formation"].pop("temperature_C"), "formation.temperature_C is missing"),
        (lambda d: d["injectate"].pop("pH"), "injectate has no pH"),
        (lambda d: d["formation"]["water"].pop("pH"), "formation.water has no pH"),
        (lambda d: d.__setitem__("standard", "SYT9999"), "unknown standard"),
        (lambda d: d.__setitem__("standard", "GB3838-2002"), "no permeability classes"),
        (
            lambda d: d["formation"].__setitem__("permeability_um2", -1),
            "formation.permeability_um2",
        ),
        (
            lambda d: d["formation"].__setitem__("permeability_um2", "high"),
            "formation.permeability_um2",
        ),
        (lambda d: d["injectate"].__setitem__("Unobtainium", 1), "injectate.Unobtainium"),
        (
            lambda d: d["protected_aquifers"][0].pop("bottom_depth_m"),
            "protected_aquifers[1].bottom_depth_m is missing",
        ),
        (lambda d: d["operation"].pop("volume_m3_d"), "operation.volume_m3_d is missing"),
    ],
)
def test_bad_proposals(edit, words):
    d = _data(COMPAT)
    edit(d)
    with pytest.raises(InputError, match=None) as exc:
        parse_proposal(d, CASES)
    assert words in str(exc.value)


def test_file_paths_relative_to_proposal(tmp_path):
    shutil.copy(BARITE, tmp_path / "p.toml")
    with pytest.raises(InputError, match="injectate.file 'waters.csv' not found"):
        load_proposal(tmp_path / "p.toml")
    shutil.copy(CASES / "waters.csv", tmp_path / "waters.csv")
    p = load_proposal(tmp_path / "p.toml")
    assert p.inputs_hash == load_proposal(BARITE).inputs_hash
    (tmp_path / "waters.csv").write_text(
        (CASES / "waters.csv").read_text().replace("1.7,439", "1.8,439")
    )
    assert load_proposal(tmp_path / "p.toml").inputs_hash != p.inputs_hash


def test_user_text_never_reaches_phreeqc(barite):
    for text in ("Taiyuan", "SZ-15-01", "INJ-SO4", "Quaternary"):
        assert text not in barite.pqi


def test_cli_json(tmp_path):
    out = tmp_path / "r.json"
    pqi = tmp_path / "r.pqi"
    res = CliRunner().invoke(main, ["review", str(BARITE), "--out", str(out), "--pqi", str(pqi)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"verdict", "findings", "mixing", "inputs_hash", "versions"} <= set(doc)
    assert doc["verdict"] in ("pass", "conditional", "fail")
    assert set(doc["findings"][0]) >= {"code", "severity", "message", "evidence"}
    row = doc["mixing"][0]
    assert {"fraction_injectate", "scale_mg_L"} | {f"si_{m}" for m in SCALE_MINERALS} <= set(row)
    assert len(doc["inputs_hash"]) == 64
    assert "MIX 1" in pqi.read_text()
    bad = tmp_path / "bad.toml"
    d = COMPAT.read_text().replace("temperature_C = 32\n", "")
    bad.write_text(d)
    res = CliRunner().invoke(main, ["review", str(bad)])
    assert res.exit_code == 2 and "formation.temperature_C is missing" in res.output


def test_cli_html_self_contained(tmp_path):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["review", str(BARITE), "--format", "html", "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    # nothing is fetched: no script, the figures are SVG images in data: URIs
    assert "<script" not in text and 'src="http' not in text
    assert text.count('<img src="data:image/svg+xml;base64,') == 1
    assert "Verdict: fail" in text and "SCALE_BARITE" in text
    assert "EQUILIBRIUM_PHASES 1" in text and "minimum separation" in text
