"""FAO-29 adjusted SAR: Ca° from a hand-written PHREEQC calcite/CO2 equilibrium, SAR by hand."""

import math

import pytest
from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

from cbmwater.geochem.databases import resolve_database
from cbmwater.geochem.irrigation import adjusted_sar, calcium_equilibrium_mg_L
from cbmwater.water.analysis import AnalysisSet

WATER = dict(
    sample_id="W",
    temp_C=25.0,
    pH=8.2,
    Na=680,
    K=3,
    Ca=8,
    Mg=3,
    Cl=150,
    SO4=20,
    HCO3=1500,
    CO3=30,
    F=2.5,
)


def test_adjusted_sar_matches_hand_written_equilibrium():
    alk = 50.04 * (1500 / 61.016 + 2 * 30 / 60.008)
    text = f"""SELECTED_OUTPUT 1
    -reset false
    -totals Ca
SOLUTION 1
    units mg/l
    temp 25
    pH 8.2
    Na 680
    K 3
    Ca 8
    Mg 3
    Cl 150
    S(6) 20 as SO4
    F 2.5
    Alkalinity {alk} as CaCO3
EQUILIBRIUM_PHASES 1
    Calcite 0 10
    CO2(g) {math.log10(0.0007)} 10
END
"""
    ip = IPhreeqc()
    ip.load_database(str(resolve_database("phreeqc")))
    ip.run_string(text)
    rows = ip.get_selected_output_array()
    ca_molal = rows[-1][0]  # the row after the reaction
    ca0_meq = ca_molal * 2000.0  # mol/kgw -> meq/L (dilute water: 1 kg water ~ 1 L)
    na_meq = 680 / 22.990
    mg_meq = 3 / (24.305 / 2)
    expected = na_meq / math.sqrt((ca0_meq + mg_meq) / 2)

    a = AnalysisSet.from_records([WATER])
    ca0 = calcium_equilibrium_mg_L(a).iloc[0]
    assert ca0 == pytest.approx(ca_molal * 40.078e3, rel=1e-4)
    assert adjusted_sar(a).iloc[0] == pytest.approx(expected, rel=0.01)
    # this water precipitates calcite in the soil (Ca° < Ca): adj RNa exceeds the plain SAR
    plain = na_meq / math.sqrt((8 / 20.039 + mg_meq) / 2)
    assert ca0 < 8 and adjusted_sar(a).iloc[0] > plain


def test_adjusted_sar_input_is_exported_and_reruns(tmp_path):
    from click.testing import CliRunner

    from cbmwater.cli import main

    csv = tmp_path / "w.csv"
    csv.write_text(
        "sample_id,temp_C,pH,Na,K,Ca,Mg,Cl,SO4,HCO3,CO3,F\nW,25,8.2,680,3,8,3,150,20,1500,30,2.5\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(
        main,
        [
            "characterise",
            str(csv),
            "--format",
            "json",
            "--irrigation",
            "--pqi",
            str(tmp_path / "run.pqi"),
        ],
    )
    assert res.exit_code == 0, res.output
    extra = tmp_path / "run_adjusted_sar.pqi"
    assert (tmp_path / "run.pqi").exists() and extra.exists()
    ip = IPhreeqc()
    ip.load_database(str(resolve_database("phreeqc")))
    ip.run_string(extra.read_text(encoding="utf-8"))
    rows = ip.get_selected_output_array()
    head = [str(h).strip() for h in rows[0]]
    react = [r for r in rows[1:] if str(r[head.index("state")]).strip() == "react"]
    ca_col = next(i for i, h in enumerate(head) if h.startswith("Ca"))
    ca0 = react[0][ca_col] * 40.078e3
    # cbmwater reads PHREEQC's printed output (6 significant digits); the oracle the full double
    assert ca0 == pytest.approx(
        calcium_equilibrium_mg_L(AnalysisSet.from_records([WATER])).iloc[0], rel=1e-4
    )
