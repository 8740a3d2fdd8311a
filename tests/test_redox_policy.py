"""The redox basis of a water (DESIGN.md §5 "Redox"; docs/chemistry_redox.md) above the root.

Oracles, all independent of cbmwater's input builder:
* hand-written PHREEQC inputs typed in this file, run in a fresh IPhreeqc (phreeqpy) with the
  project's phreeqc.dat, read through phreeqpy's own accessor;
* hand calculations written out here (pe = Eh / 59.16 mV at 25 deg C; meq/L = mg/L x z / M).

The water is constructed (not a lab analysis): a Na-HCO3 CBM produced water with only total Fe,
1.9 mg/L at pH 8.2, the case of issue 11 ("Chemistry you can defend").
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner
from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.geochem.characterise import RECORD_COLUMNS, characterise
from cbmwater.geochem.databases import resolve_database
from cbmwater.geochem.speciation import speciate
from cbmwater.water.analysis import AnalysisSet
from cbmwater.water.io import read_analyses

FE_G_MOL = 55.845
# RT ln(10) / F at 25 deg C in mV, by hand: 8.314462618 J/(mol K) x 298.15 K x 2.302585 /
# 96485.33212 C/mol = 59.1597 mV (59.16 mV as usually quoted)
NERNST_MV = 8.314462618 * 298.15 * math.log(10) / 96485.33212 * 1000
# constructed Na-HCO3 produced water, mg/L (25 deg C so that pe = Eh / 59.16 mV holds by hand)
WATER = dict(
    sample_id="NaHCO3-Fe1.9",
    temp_C=25.0,
    pH=8.2,
    Na=520.0,
    K=2.0,
    Ca=6.0,
    Mg=2.0,
    Fe=1.9,
    Cl=120.0,
    SO4=10.0,
    HCO3=1200.0,
)
# alkalinity as CaCO3 by hand: HCO3 x (g/eq of CaCO3) / (g/mol of HCO3), IUPAC atomic weights
ALK = 1200.0 * ((40.078 + 12.011 + 3 * 15.999) / 2) / (1.008 + 12.011 + 3 * 15.999)

COMMON = f"""SELECTED_OUTPUT 1
    -reset false
    -totals Fe(2) Fe(3)
    -si Siderite Fe(OH)3(a)
SOLUTION 1  typed by hand
    units mg/l
    temp 25
    pH 8.2
    Alkalinity {ALK} as CaCO3
    Na 520
    K 2
    Ca 6
    Mg 2
    Cl 120
    S(6) 10 as SO4
"""


def hand(lines: str) -> dict[str, float]:
    """Run COMMON + ``lines`` in a fresh IPhreeqc; Fe(2), Fe(3) totals (mol/kgw) and SIs."""
    ip = IPhreeqc()
    ip.load_database(str(resolve_database("phreeqc")))
    ip.run_string(COMMON + lines + "END\n")
    arr = ip.get_selected_output_array()
    return {str(h).strip().removeprefix("si_"): float(v) for h, v in zip(arr[0], arr[-1])}


def one(**changes) -> AnalysisSet:
    rec = dict(WATER)
    for k, v in changes.items():
        if v is None:
            rec.pop(k, None)
        else:
            rec[k] = v
    return AnalysisSet.from_records([rec])


def assert_si(ours: pd.Series, oracle: dict[str, float]) -> None:
    for m in ("Siderite", "Fe(OH)3(a)"):
        if oracle[m] <= -999:
            assert math.isnan(ours[f"si_{m}"]), m
        else:
            assert ours[f"si_{m}"] == pytest.approx(oracle[m], abs=1e-3), m


# ------------------------------------------------------------------ the Fe basis, against PHREEQC
def test_total_fe_alone_is_ferrous_like_hand_written_fe2():
    oracle = hand("    Fe(2) 1.9\n")
    ch = characterise(one())
    rec = ch.records.iloc[0]
    assert_si(rec, oracle)
    # all Fe(II): no Fe(III), so PHREEQC has no Fe(OH)3(a) SI to give
    assert oracle["Fe(3)(mol/kgw)"] == 0 and math.isnan(rec["si_Fe(OH)3(a)"])
    assert rec["si_Siderite"] > 1.0
    assert rec["redox_basis"].startswith("total Fe counted as Fe(II)")
    assert ch.provenance["redox"] == "fe2"


def test_pe4_reproduces_the_old_behaviour():
    oracle = hand("    pe 4\n    Fe 1.9\n")
    rec = characterise(one(), redox="pe:4").records.iloc[0]
    assert_si(rec, oracle)
    # the numbers: ferric hydroxide ~ +3.5 and siderite 1-2 log units below the fe2 SI
    fe2 = characterise(one()).records.iloc[0]
    assert rec["si_Fe(OH)3(a)"] > 3.0
    assert 1.0 < fe2["si_Siderite"] - rec["si_Siderite"] < 2.5
    assert rec["redox_basis"].startswith("pe 4 (user)")
    # the older pe= argument means the same; giving both in conflict is refused
    a = speciate(one(), pe=4).table
    b = speciate(one(), redox="pe:4").table
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(InputError, match="once"):
        speciate(one(), pe=4, redox="fe2")


def test_measured_fe2_fe3_couple_like_hand_written_redox_couple():
    oracle = hand("    redox Fe(2)/Fe(3)\n    Fe(2) 1.7\n    Fe(3) 0.2\n")
    rec = characterise(one(Fe=None, Fe2=1.7, Fe3=0.2), redox="measured").records.iloc[0]
    assert_si(rec, oracle)
    assert "Fe(2)/Fe(3) couple" in rec["redox_basis"]


def test_measured_orp_is_pe_from_eh_by_hand():
    pe = -150.0 / 59.16  # Eh / (RT ln10 / F) at 25 deg C, by hand
    oracle = hand(f"    pe {pe}\n    Fe 1.9\n")
    rec = characterise(one(ORP_mV=-150.0), redox="measured").records.iloc[0]
    assert_si(rec, oracle)
    assert "pe -2.54 from ORP -150 mV" in rec["redox_basis"]


def test_measured_do_like_hand_written_oxygen_couple():
    oracle = hand("    redox O(0)/O(-2)\n    O(0) 2\n    Fe 1.9\n")
    rec = characterise(one(DO=2.0), redox="measured").records.iloc[0]
    assert_si(rec, oracle)
    assert "dissolved oxygen 2 mg/L" in rec["redox_basis"]


def test_measured_fe2_fe3_is_kept_under_fe2_and_pe():
    """Measured Fe2/Fe3 enter as given under every basis (PHREEQC keeps explicit valences)."""
    oracle = hand("    Fe(2) 1.7\n    Fe(3) 0.2\n")
    rec = characterise(one(Fe=None, Fe2=1.7, Fe3=0.2)).records.iloc[0]
    assert_si(rec, oracle)
    assert rec["redox_basis"] == "Fe(II)/Fe(III) as measured (Fe2, Fe3)"


def test_measured_without_a_measurement_is_refused_naming_the_sample():
    with pytest.raises(InputError) as exc:
        characterise(one(), redox="measured")
    msg = str(exc.value)
    assert "NaHCO3-Fe1.9" in msg and "row 1" in msg
    for what in ("Fe2", "Fe3", "ORP_mV", "DO", "--redox fe2", "pe:VALUE"):
        assert what in msg
    with pytest.raises(InputError, match="fe2, pe:VALUE, measured"):
        characterise(one(), redox="bogus")
    with pytest.raises(InputError, match="between -15 and 20"):
        characterise(one(), redox="pe:99")


# ------------------------------------------------------------------ QA uses the same valence
@pytest.mark.parametrize(
    "basis, changes, lines",
    [
        ("fe2", {}, "    Fe(2) 1.9\n"),
        ("pe:4", {}, "    pe 4\n    Fe 1.9\n"),
        ("pe:1.5", {}, "    pe 1.5\n    Fe 1.9\n"),
        ("measured", {"ORP_mV": 250.0}, f"    pe {250.0 / NERNST_MV}\n    Fe 1.9\n"),
        ("measured", {"DO": 0.5}, "    redox O(0)/O(-2)\n    O(0) 0.5\n    Fe 1.9\n"),
        (
            "measured",
            {"Fe": None, "Fe2": 1.2, "Fe3": 0.7},
            "    redox Fe(2)/Fe(3)\n    Fe(2) 1.2\n    Fe(3) 0.7\n",
        ),
    ],
)
def test_qa_counts_fe_at_the_speciation_valence(basis, changes, lines):
    oracle = hand(lines)
    m2, m3 = oracle["Fe(2)(mol/kgw)"], oracle["Fe(3)(mol/kgw)"]
    ch = characterise(one(**changes), redox=basis)
    sid = WATER["sample_id"]
    fe_mg = 1.9  # total Fe in every case (1.2 + 0.7 for the measured couple)
    # Fe meq/L = total Fe mmol/L x (2 Fe(II) + 3 Fe(III)) / (Fe(II) + Fe(III)) of PHREEQC's totals
    expected = fe_mg / FE_G_MOL * (2 * m2 + 3 * m3) / (m2 + m3)
    assert ch.meq.loc[sid, "Fe"] == pytest.approx(expected, rel=5e-5)
    if basis == "fe2":
        assert ch.meq.loc[sid, "Fe"] == fe_mg * 2 / FE_G_MOL
    # the speciation's own totals are PHREEQC's (IPhreeqc's output string carries 5
    # significant digits: half a unit in the 5th digit)
    t = ch.speciation.table.loc[sid]
    assert t["fe2_mol_kgw"] == pytest.approx(m2, rel=5e-5, abs=1e-15)
    assert t["fe3_mol_kgw"] == pytest.approx(m3, rel=5e-5, abs=1e-15)
    # and the ion balance, by hand (meq/L = mg/L x z / M)
    cat = 520 / 22.990 + 2 / 39.098 + 6 * 2 / 40.078 + 2 * 2 / 24.305 + expected
    an = 120 / 35.45 + 10 * 2 / 96.056 + 1200 / 61.016
    assert ch.records.iloc[0]["charge_balance_pct"] == pytest.approx(
        100 * (cat - an) / (cat + an), abs=1e-4
    )


def test_qa_no_longer_disagrees_at_pe4():
    """At pe 4 most Fe is Fe(III): the balance now counts it so (it counted Fe2+ before)."""
    fe2 = characterise(one(Fe=30.0)).records.iloc[0]["charge_balance_pct"]
    pe4 = characterise(one(Fe=30.0), redox="pe:4").records.iloc[0]["charge_balance_pct"]
    # 30 mg/L Fe, ~99 % Fe(III): +1 meq per mmol, 0.53 meq/L more cations
    assert pe4 - fe2 > 0.5


# ------------------------------------------------------------------ records, .pqi, CLI
def test_redox_basis_column_and_pqi_comments():
    evil = "X\u3000SELECTED_OUTPUT -file hacked.txt"
    recs = [dict(WATER), dict(WATER, sample_id=evil, Fe=3.0)]
    ch = characterise(AnalysisSet.from_records(recs), redox="pe:4")
    assert "redox_basis" in RECORD_COLUMNS and list(ch.records.columns) == list(RECORD_COLUMNS)
    pqi = ch.pqi()
    redox_lines = [ln for ln in pqi.splitlines() if ln.startswith("#      redox: ")]
    assert len(redox_lines) == 2 and all("pe 4 (user)" in ln for ln in redox_lines)
    assert "# Redox basis (--redox pe:4)" in pqi
    for line in pqi.splitlines():
        if "hacked" in line:
            assert line.startswith("#")
    # the .pqi reproduces the SI in a fresh PHREEQC
    ip = IPhreeqc()
    ip.load_database(str(resolve_database("phreeqc")))
    ip.run_string(pqi)
    arr = ip.get_selected_output_array()
    col = [str(h).strip() for h in arr[0]].index("si_Siderite")
    assert [r[col] for r in arr[1:]] == pytest.approx(list(ch.records["si_Siderite"]), abs=1e-4)


@pytest.fixture()
def csv_file(tmp_path):
    p = tmp_path / "fe.csv"
    p.write_text(
        "sample_id,temp_C,pH,Na,K,Ca,Mg,Fe,Cl,SO4,HCO3\n"
        "NaHCO3-Fe1.9,25,8.2,520,2,6,2,1.9,120,10,1200\n",
        encoding="utf-8",
    )
    return p


def test_cli_redox_pe4_and_column_in_json(csv_file):
    r = CliRunner().invoke(
        main, ["characterise", str(csv_file), "--format", "json", "--redox", "pe:4"]
    )
    assert r.exit_code == 0, r.output
    rec = json.loads(r.output)[0]
    oracle = hand("    pe 4\n    Fe 1.9\n")
    assert rec["si_Siderite"] == pytest.approx(oracle["Siderite"], abs=1e-3)
    assert rec["si_Fe(OH)3(a)"] == pytest.approx(oracle["Fe(OH)3(a)"], abs=1e-3)
    assert rec["redox_basis"].startswith("pe 4 (user)")
    default = CliRunner().invoke(main, ["characterise", str(csv_file), "--format", "json"])
    assert default.exit_code == 0
    assert json.loads(default.output)[0]["redox_basis"].startswith("total Fe counted as Fe(II)")


def test_cli_bad_redox_is_a_usage_error(csv_file, tmp_path):
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(
        main, ["characterise", str(csv_file), "--redox", "bogus", "--out", str(out)]
    )
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output
    assert "fe2, pe:VALUE, measured" in r.output and "--redox" in r.output
    assert not out.exists()
    r = CliRunner().invoke(
        main, ["characterise", str(csv_file), "--redox", "measured", "--out", str(out)]
    )
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert "NaHCO3-Fe1.9" in r.output and "ORP_mV" in r.output and "Traceback" not in r.output
    assert not out.exists()
    helptext = CliRunner().invoke(main, ["characterise", "--help"]).output
    assert "fe2|pe:VALUE|measured" in helptext and "Fe(II)" in helptext


# ------------------------------------------------------------------ ORP in lab files
def test_orp_may_be_negative_and_is_range_checked(tmp_path):
    p = tmp_path / "orp.csv"
    p.write_text("sample_id,pH,Fe,ORP (mV)\nA,8.2,1.9,-150\nB,7.9,1.0,120\n", encoding="utf-8")
    a = read_analyses(p)
    assert a.values.loc["A", "ORP_mV"] == -150.0 and a.values.loc["B", "ORP_mV"] == 120.0
    zh = tmp_path / "orp_zh.csv"
    zh.write_text("样品编号,pH值,总铁,氧化还原电位（mV）\nA,8.2,1.9,-320\n", encoding="utf-8")
    assert read_analyses(zh).values.loc["A", "ORP_mV"] == -320.0
    for bad, why in (
        ("-1200", ">= -1000 and <= 1500"),
        ("2000", ">= -1000 and <= 1500"),
        ("<-100", "detection limit"),
    ):
        f = tmp_path / "bad.csv"
        f.write_text(
            f"sample_id,pH,Fe,ORP (mV)\nA,8.2,1.9,-150\nB,7.9,1.0,{bad}\n", encoding="utf-8"
        )
        with pytest.raises(InputError) as exc:
            read_analyses(f)
        msg = str(exc.value)
        assert str(f) in msg and "row 3" in msg and "ORP (mV)" in msg and why in msg, msg
    # nothing else may be negative
    f = tmp_path / "neg.csv"
    f.write_text("sample_id,pH,Na\nA,8.2,-5\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be negative"):
        read_analyses(f)
    with pytest.raises(InputError, match=">= -1000 and <= 1500"):
        AnalysisSet.from_records([dict(sample_id="A", pH=8, ORP_mV=-5000)])
    # ORP is a property, not a dissolved solid
    from cbmwater.water.qa import tds_sum_mg_L

    assert tds_sum_mg_L(pd.DataFrame({"Na": [100.0], "ORP_mV": [-150.0]})).iloc[0] == 100.0


def test_app_page_offers_the_redox_basis():
    pytest.importorskip("streamlit")
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from cbmwater.app import i18n, logic

    app = Path(__file__).resolve().parents[1] / "cbmwater" / "app"

    from cbmwater.study import BUNDLED_ANALYSES
    from cbmwater.study import characterisation as characterise_file

    assert logic.redox_option("pe", 4.0) == "pe:4" and logic.redox_option("fe2") == "fe2"
    at = AppTest.from_file(str(app / "pages" / "1_Characterise.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run(timeout=60)
    assert not at.exception
    box = at.selectbox(key="redox")
    assert box.label == i18n.t("redox", "zh") and box.value == "fe2"
    # the page shows the engine's sentences (samples with measured Fe2/Fe3 say so)
    for redox, kind in (("fe2", None), ("pe:4", "pe")):
        if kind is not None:
            box.set_value(kind).run(timeout=60)
            assert not at.exception
        engine = characterise_file(BUNDLED_ANALYSES, redox=redox).records
        qa = at.dataframe[0].value
        assert list(qa["redox_basis"]) == list(engine["redox_basis"])
        assert list(qa["charge_balance_pct"]) == pytest.approx(list(engine["charge_balance_pct"]))
    assert engine["redox_basis"].str.startswith("pe 4 (user)").all()
