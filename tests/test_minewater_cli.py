"""`cbmwater minewater acidity|neutralise` on the command line (JSON keys of issue 6)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

AMD = (
    "sample_id,pH,Fe2,Fe3,Al,Mn,SO4,Ca,Mg,Na\nD1,3.1,46.8,0,1.14,14.2,580,60,25,10\n"
    "D2,4.9,1.0,0.35,2.70,34.4,2400,400,200,30\n"
)


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "cbmwater.cli", "minewater", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_acidity_json_matches_the_amdtreat_tutorial(tmp_path):
    f = tmp_path / "amd.csv"
    f.write_text(AMD, encoding="utf-8")
    r = _run("acidity", str(f), "--format", "json", "--missing-alkalinity", "zero")
    assert r.returncode == 0, r.stderr
    s = {x["sample_id"]: x for x in json.loads(r.stdout)["samples"]}
    # 50 (2 x 46.8/55.845 + 3 x 1.14/26.98 + 2 x 14.2/54.938 + 1000 x 10^-3.1) = 155.7
    assert s["D1"]["acidity_calc_mg_L_CaCO3"] == pytest.approx(155.7, abs=0.5)
    assert s["D2"]["acidity_calc_mg_L_CaCO3"] == pytest.approx(81.0, abs=0.5)
    assert s["D1"]["net_acidity_mg_L_CaCO3"] == pytest.approx(155.7, abs=0.5)
    # D2 (pH 4.9) without alkalinity is refused unless the user says how to treat it
    bad = _run("acidity", str(f))
    assert bad.returncode == 2 and "D2" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_neutralise_json_has_dose_curve_effluent_and_sludge(tmp_path):
    f = tmp_path / "amd.csv"
    f.write_text(AMD, encoding="utf-8")
    pqi = tmp_path / "t.pqi"
    r = _run(
        "neutralise",
        str(f),
        "--sample",
        "D1",
        "--reagent",
        "NaOH",
        "--target-pH",
        "8.5",
        "--format",
        "json",
        "--pqi",
        str(pqi),
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    for k in ("dose_mmol_L", "dose_mg_L", "curve", "effluent", "sludge_dry_mg_L"):
        assert k in d
    assert len(d["curve"]) >= 30
    assert d["dose_mg_L"] == pytest.approx(d["dose_mmol_L"] * 39.997, rel=1e-3)  # NaOH g/mol
    assert d["effluent"]["pH"] == pytest.approx(8.5, abs=0.02)
    assert "D1" not in pqi.read_text() and "REACTION" in pqi.read_text()
    bad = _run("neutralise", str(f), "--sample", "D9", "--reagent", "NaOH", "--target-pH", "8")
    assert bad.returncode == 2 and "D1" in bad.stderr


def test_size_json_reproduces_the_default_wetland_and_refuses_bad_flow():
    # AMDTreat's default wetland: 50 gpm (1 gpm = 5.450992 m3/d), Fe 15, Mn 10 mg/L:
    # Fe 15 x 272.55 = 4088 g/d / 10 g/m2/d = 409 m2; Mn 10 x 272.55 / 0.5 = 5451 m2
    r = _run(
        "size",
        "--option",
        "wetland",
        "--flow-m3-d",
        str(50 * 5.450992),
        "--fe-mg-L",
        "15",
        "--mn-mg-L",
        "10",
        "--net-acidity",
        "-15",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    for k in ("area_m2", "volume_m3", "limestone_t", "capex_CNY", "opex_CNY_yr"):
        assert k in d
    assert d["area_m2"] == pytest.approx(409 + 5450, rel=0.01)
    bad = _run("size", "--option", "ald", "--flow-m3-d", "-3")
    assert bad.returncode == 2 and "flow_m3_d" in bad.stderr and "Traceback" not in bad.stderr
