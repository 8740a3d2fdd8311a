"""The `cbmwater characterise` command: outputs, databases, refusal of bad input, .pqi export.

The synthetic water W1 of test_qa.py is used at 25 deg C, so that besides the QA hand values
(balance -0.102 %, evaporative TDS 1634.05 mg/L, hardness 32.33 and alkalinity 1280.2 mg/L as
CaCO3, SAR 52.04, type HCO3-Na) the speciation can be checked by hand:

* ionic strength, free-ion estimate  I = 1/2 sum(m z^2):
    Na 0.029578 + K 0.0000767 + Ca 4 x 0.0001996 + Mg 4 x 0.0001234 + Cl 0.0042313
    + SO4 4 x 0.0002082 + HCO3 0.0245837 + CO3 4 x 0.0004999 + F 0.0001316 = 0.062727
    I = 0.03136 mol/kgw (PHREEQC is a little lower: ion pairs such as NaHCO3 form).
* log pCO2 = -pH + log a(HCO3-) + pK1 + log(1/KH), pK1 = 6.35, log KH = -1.47 (25 deg C);
    gamma(HCO3-) by Davies at I = 0.031: log g = -0.51 (0.1761/1.1761 - 0.3 x 0.031) = -0.0716;
    log a = log(0.024584) - 0.0716 = -1.6809 ->  log pCO2 = -8.2 - 1.6809 + 6.35 + 1.47 = -2.061
* SI(Calcite) - SI(Aragonite) = log K(Aragonite) - log K(Calcite).  phreeqc.dat analytic
    expressions (Plummer & Busenberg 1982) differ by A = -171.9773 + 171.9065 = -0.0708 and
    C = 2903.293 - 2839.319 = 63.974 (per K): at 298.15 K  -0.0708 + 63.974/298.15 = 0.1438.
* SI(Gypsum) - SI(Anhydrite) = log K(Anh) - log K(Gyp) + 2 log a(H2O); phreeqc.dat analytic:
    Gyp 68.2401 - 3221.51/T - 25.0627 log T = -4.5809 ; Anh 84.90 - 3135.12/T - 31.79 log T
    = -4.2775 at 298.15 K; a(H2O) ~ 1 - 0.018 x 0.061 = 0.9989 -> 0.3034 - 0.0010 = 0.3024.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cbmwater.cli import main

MINERALS = [
    "Calcite",
    "Aragonite",
    "Dolomite",
    "Siderite",
    "Rhodochrosite",
    "Strontianite",
    "Witherite",
    "Barite",
    "Celestite",
    "Gypsum",
    "Anhydrite",
    "Fluorite",
    "Halite",
    "Chalcedony",
    "Fe(OH)3(a)",
    "Gibbsite",
]
KEYS = (
    [
        "sample_id",
        "pH",
        "temp_C",
        "ionic_strength",
        "log_pCO2",
        "charge_balance_pct",
        "tds_mg_L",
        "hardness_mg_L_CaCO3",
        "alkalinity_mg_L_CaCO3",
        "sar",
        "water_type",
    ]
    + [f"si_{m}" for m in MINERALS]
    + ["warnings"]
)

IDS = ["Q17-alpha", "寺河-02"]
GOOD = (
    "sample_id,temp_C,pH,Na,K,Ca,Mg,Cl,SO4,HCO3,CO3,F\n"
    f"{IDS[0]},25,8.2,680,3,8,3,150,20,1500,30,2.5\n"
    f"{IDS[1]},18,7.6,300,2,20,6,100,30,700,0,1.5\n"
)


@pytest.fixture
def good(tmp_path) -> Path:
    p = tmp_path / "in" / "lab.csv"
    p.parent.mkdir()
    p.write_text(GOOD, encoding="utf-8")
    return p


def run(*args: str):
    return CliRunner().invoke(main, ["characterise", *map(str, args)])


def check_w1(rec: dict) -> None:
    """Hand values of W1 (see the module docstring)."""
    assert rec["sample_id"] == IDS[0]
    assert rec["pH"] == pytest.approx(8.2, abs=1e-6) and rec["temp_C"] == pytest.approx(25.0)
    assert rec["charge_balance_pct"] == pytest.approx(-0.102, abs=0.002)
    assert rec["tds_mg_L"] == pytest.approx(1634.05, abs=0.01)
    assert rec["hardness_mg_L_CaCO3"] == pytest.approx(32.33, abs=0.01)
    assert rec["alkalinity_mg_L_CaCO3"] == pytest.approx(1280.2, abs=0.1)
    assert rec["sar"] == pytest.approx(52.04, abs=0.01)
    assert rec["water_type"] == "HCO3-Na"
    assert rec["ionic_strength"] == pytest.approx(0.03136, rel=0.05)


# --------------------------------------------------------------------------------------------
# outputs


def test_json_to_stdout_has_one_record_per_sample_with_hand_values(good):
    r = run(good, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert [d["sample_id"] for d in data] == IDS
    for d in data:
        missing = [k for k in KEYS if k not in d]
        assert missing == []
        assert isinstance(d["warnings"], list)
    w1 = data[0]
    check_w1(w1)
    assert w1["log_pCO2"] == pytest.approx(-2.061, abs=0.05)
    assert w1["si_Calcite"] - w1["si_Aragonite"] == pytest.approx(0.1438, abs=0.002)
    assert w1["si_Gypsum"] - w1["si_Anhydrite"] == pytest.approx(0.3024, abs=0.003)
    # Halite: log(0.029578 x 0.87) + log(0.0042313 x 0.87) - 1.570 = -5.59 (free-ion estimate)
    assert w1["si_Halite"] == pytest.approx(-5.59, abs=0.05)
    # no Fe, Mn, Sr, Ba, Si, Al measured: those minerals have no SI (null, not 0)
    for m in (
        "Siderite",
        "Rhodochrosite",
        "Strontianite",
        "Witherite",
        "Barite",
        "Celestite",
        "Chalcedony",
        "Fe(OH)3(a)",
        "Gibbsite",
    ):
        assert w1[f"si_{m}"] is None, m
    assert w1["warnings"] == []
    # the second sample is a different water: values are per sample, not copied
    w2 = data[1]
    assert w2["temp_C"] == pytest.approx(18.0) and w2["pH"] == pytest.approx(7.6, abs=1e-6)
    # hardness 2.497 x 20 + 4.118 x 6 = 74.65
    assert w2["hardness_mg_L_CaCO3"] == pytest.approx(74.65, abs=0.01)


def test_csv_to_stdout_is_the_default(good):
    r = run(good)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("sample_id,pH,temp_C,ionic_strength")
    assert len(lines) == 3


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_out_file_readable_with_same_sample_ids(good, tmp_path, suffix):
    out = tmp_path / "out" / ("result" + suffix)
    r = run(good, "--out", out)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""  # results go to the file; the summary to stderr
    assert str(out) in r.stderr and "2 samples" in r.stderr
    if suffix == ".csv":
        df = pd.read_csv(out)
    elif suffix == ".xlsx":
        df = pd.read_excel(out, sheet_name="characterisation")
        prov = pd.read_excel(out, sheet_name="provenance")
        assert "database" in set(prov["key"])
    else:
        df = pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    assert list(df["sample_id"]) == IDS
    for k in KEYS:
        assert k in df.columns, k
    check_w1(df.iloc[0].to_dict() | {"warnings": None})
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary left


def test_format_xlsx_needs_out(good):
    r = run(good, "--format", "xlsx")
    assert r.exit_code != 0
    assert "--out" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("db", ["pitzer", "wateq4f"])
def test_other_shipped_databases(good, db):
    r = run(good, "--format", "json", "--database", db)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["sample_id"] for d in data] == IDS
    w1 = data[0]
    check_w1(w1)  # QA does not depend on the database; I within 5 % of the hand value
    assert w1["log_pCO2"] == pytest.approx(-2.061, abs=0.07)
    assert w1["si_Calcite"] == pytest.approx(0.58, abs=0.15)  # phreeqc.dat gives 0.58
    if db == "pitzer":  # pitzer.dat has no fluorine: said, not hidden
        assert any("F" in w and "pitzer" in w for w in w1["warnings"])
        assert w1["si_Fluorite"] is None


def test_bogus_database_fails_short_without_traceback(good, tmp_path):
    out = tmp_path / "out" / "r.csv"
    r = run(good, "--database", "nope", "--out", out)
    assert r.exit_code != 0
    assert isinstance(r.exception, SystemExit)
    assert "nope" in r.stderr and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) <= 2
    assert not out.exists() and not out.parent.exists()


# --------------------------------------------------------------------------------------------
# bad input: non-zero exit, message naming row/column, no traceback, no output written

H = "sample_id,pH,Na,Cl\n"
INJECTION = "SELECTED_OUTPUT -file /tmp/x"

#: id -> (file content, fragments the message must hold)
BAD = {
    "negative": (H + "S1,7.5,10,20\nS2,7.5,-3,10\n", ["row 3", "'Na'", "-3"]),
    "nan_text": (H + "S1,7.5,nan,10\n", ["row 2", "'Na'", "nan"]),
    "NaN_text": (H + "S1,7.5,10,NaN\n", ["row 2", "'Cl'", "NaN"]),
    "text": (H + "S1,7.5,abc,10\n", ["row 2", "'Na'", "abc"]),
    "unknown_column": ("sample_id,pH,Sodum,Cl\nS1,7.5,3,10\n", ["row 1", "Sodum", "sodium"]),
    "duplicate_ids": (
        H + "S1,7.5,3,10\nS2,7.5,3,10\nS1,7.6,4,11\n",
        ["row 4", "row 2", "'sample_id'", "S1"],
    ),
    "empty_file": ("", ["empty"]),
    "header_only": (H, ["no samples"]),
    "missing_pH_column": ("sample_id,Na,Cl\nS1,3,10\n", ["pH"]),
    "blank_pH": (H + "S1,7.5,3,10\nS2,,3,10\n", ["row 3", "'pH'"]),
    "id_injection": (H + f'"S1\n{INJECTION}",7.5,3,10\n', ["row 2", "'sample_id'"]),
    "header_injection": (
        f'sample_id,pH,"Na\n{INJECTION}",Cl\nS1,7.5,3,10\n',
        ["row 1", "column 3"],
    ),
    "pH_15": (H + "S1,15,3,10\n", ["row 2", "'pH'", "15"]),
    "greater_than": (H + "S1,7.5,>100,10\n", ["row 2", "'Na'", ">100"]),
    "two_columns_one_constituent": (
        "sample_id,pH,Na,钠,Cl\nS1,7.5,3,3,10\n",
        ["row 1", "'Na'", "'钠'"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_nonzero_and_writes_nothing(tmp_path, case):
    text, fragments = BAD[case]
    src = tmp_path / "in" / "lab.csv"
    src.parent.mkdir()
    src.write_text(text, encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "result.csv"
    r = run(src, "--out", out, "--pqi", out_dir / "run.pqi")
    assert r.exit_code == 2, r.output
    assert isinstance(r.exception, SystemExit)  # handled, not a crash
    msg = r.stderr
    assert msg.startswith("error: ")
    assert str(src) in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)
    assert "Traceback" not in r.output
    assert r.stdout == ""
    assert not out.exists()
    assert list(out_dir.iterdir()) == []  # no output, no .pqi, no temporary
    assert sorted(p.name for p in src.parent.iterdir()) == ["lab.csv"]


def test_bad_xlsx_input_exits_nonzero(tmp_path):
    src = tmp_path / "lab.xlsx"
    pd.DataFrame({"sample_id": ["A", "B"], "pH": [7.0, 7.1], "Na": ["1", "abc"]}).to_excel(
        src, index=False
    )
    out = tmp_path / "out" / "r.xlsx"
    r = run(src, "--out", out)
    assert r.exit_code == 2
    assert "row 3" in r.stderr and "'Na'" in r.stderr and "Traceback" not in r.output
    assert not out.exists() and not out.parent.exists()


# --------------------------------------------------------------------------------------------
# .pqi export


def test_pqi_has_solutions_and_no_sample_ids_outside_comments(good, tmp_path):
    pqi = tmp_path / "run.pqi"
    r = run(good, "--format", "json", "--pqi", pqi)
    assert r.exit_code == 0, r.output
    text = pqi.read_text(encoding="utf-8")
    assert "SOLUTION 1" in text and "SOLUTION 2" in text and "SOLUTION 3" not in text
    code = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    assert code, text
    for sid in IDS:
        for ln in code:
            assert sid not in ln, (sid, ln)
    assert not any("-file" in ln for ln in code)  # SELECTED_OUTPUT never goes to a file
    # the comment header maps solution numbers to ids (JSON-escaped)
    comments = "\n".join(ln for ln in text.splitlines() if ln.lstrip().startswith("#"))
    assert "1: sample_id " + json.dumps(IDS[0]) in comments
    assert "2: sample_id " + json.dumps(IDS[1]) in comments
    # solution 1 carries W1: alkalinity = 50.04 x (1500/61.016 + 30/30.004) = 1280.2 as CaCO3
    sol1 = text.split("SOLUTION 1", 1)[1].split("SOLUTION 2", 1)[0]
    alk = [ln.split() for ln in sol1.splitlines() if ln.strip().startswith("Alkalinity")]
    assert len(alk) == 1 and float(alk[0][1]) == pytest.approx(1280.2, abs=0.1)
    assert alk[0][2:] == ["as", "CaCO3"]
    na = [ln.split() for ln in sol1.splitlines() if ln.split()[:1] == ["Na"]]
    assert na == [["Na", "680"]]
    assert any(ln.split() == ["pH", "8.2"] for ln in sol1.splitlines())
    assert any(ln.split() == ["temp", "25"] for ln in sol1.splitlines())


# --------------------------------------------------------------------------------------------
# the installed console script


@pytest.mark.slow
def test_console_script(good, tmp_path):
    exe = Path(sys.executable).parent / "cbmwater"
    assert exe.exists(), exe
    ok = subprocess.run(
        [str(exe), "characterise", str(good), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert [d["sample_id"] for d in data] == IDS
    check_w1(data[0])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    out = tmp_path / "o" / "r.csv"
    r = subprocess.run(
        [str(exe), "characterise", str(bad), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "empty" in r.stderr and str(bad) in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert not out.exists()
