"""Physically plausible ranges (issue 13, Deliver 1; cbmwater/plausible.py).

Nonsense numbers (a flow of 1e12 or 1e-300 m3/d, an Arps qi of 1e300, a pipeline cost of
1e308, a discount rate of 5, a depth of -10 m) are refused with a message naming the file, the
table or row, the field, the value, the allowed range and its reason; a value outside the usual
(soft) range is accepted with a warning; every bundled case loads without one.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from toml_writer import dumps

from cbmwater.errors import InputError
from cbmwater.minewater.case import load_mine_case
from cbmwater.optimize.case import load_case
from cbmwater.plausible import RANGES, markdown_table
from cbmwater.reinjection.proposal import load_proposal

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "optimise" / "hand" / "case.toml"
INJECTATE = ROOT / "tests" / "data" / "optimise" / "injectate" / "case.toml"
MINE = ROOT / "cbmwater" / "case_studies" / "daji_old_mine" / "case.toml"
REINJ = ROOT / "cbmwater" / "case_studies" / "reinjection"
DOC = ROOT / "docs" / "input_limits.md"


def _crafted(src: Path, dst: Path, edit: Callable[[dict], None]) -> Path:
    """The case's folder (its CSV files) copied to ``dst`` with its TOML edited by ``edit``."""
    for f in src.parent.iterdir():
        if f.is_file() and f.suffix == ".csv":
            shutil.copy(f, dst)
    data = tomllib.loads(src.read_text(encoding="utf-8"))
    edit(data)
    out = dst / src.name
    out.write_text(dumps(data), encoding="utf-8")
    return out


def _refused(load: Callable[[], object], *parts: str) -> str:
    with pytest.raises(InputError) as exc:
        load()
    msg = str(exc.value)
    for p in parts:
        assert p in msg, (p, msg)
    return msg


# -- the table ----------------------------------------------------------------------------------
def test_every_entry_has_a_marked_reason_and_hard_contains_soft():
    for key, r in RANGES.items():
        assert r.key == key
        assert r.unit and len(r.reason) > 20
        assert re.search(r"\[[VSUM]\]", r.reason), key
        for s in (r.soft_lo, r.soft_hi):
            if s is not None:
                assert r.inside(s), (key, s)
        if r.lo is not None and r.soft_lo is not None:
            assert r.soft_lo >= r.lo
        if r.hi is not None and r.soft_hi is not None:
            assert r.soft_hi <= r.hi
        if r.soft_lo is not None and r.soft_hi is not None:
            assert r.soft_lo < r.soft_hi


def test_the_doc_lists_the_table():
    doc = DOC.read_text(encoding="utf-8")
    assert "## Plausible ranges per field" in doc
    assert markdown_table() in doc, "regenerate the table with cbmwater.plausible.markdown_table()"
    for key in RANGES:
        assert f"`{key}`" in doc


# -- network case -------------------------------------------------------------------------------
def _dest(i: int, **kw: Any) -> Callable[[dict], None]:
    return lambda d: d["destinations"][i].update(kw)


@pytest.mark.parametrize(
    "edit, parts",
    [
        (
            _dest(0, capacity_m3_d=1e12),
            ["case.toml", "[destinations[1] 'Reuse'] field 'capacity_m3_d'", "1000000000000",
             "must be 0 or >= 0.001 and <= 1e+06", "m3/d; plausible range of capacity_m3_d"],
        ),
        (
            _dest(1, capacity_m3_d=1e-300),
            ["case.toml", "[destinations[2] 'River'] field 'capacity_m3_d'", "1e-300",
             "must be 0 or >= 0.001 and <= 1e+06"],
        ),
        (
            lambda d: d["transport"].update(pipeline_CNY_m3_km=1e308),
            ["case.toml", "[transport] field 'pipeline_CNY_m3_km'", "1e+308", "<= 100",
             "plausible range of cost_CNY_m3_km"],
        ),
        (
            lambda d: d["economics"].update(discount_rate=5),
            ["case.toml", "[economics] field 'discount_rate'", "'5'", ">= 0 and <= 0.5",
             "500 %/yr"],
        ),
        (
            _dest(0, price_CNY_m3=1e9),
            ["[destinations[1] 'Reuse'] field 'price_CNY_m3'", "<= 1000"],
        ),
    ],
)  # fmt: skip
def test_network_case_nonsense_is_refused(tmp_path, edit, parts):
    case = _crafted(HAND, tmp_path, edit)
    _refused(lambda: load_case(case), *parts)


@pytest.mark.parametrize(
    "cell, parts",
    [
        ("1e300", ["wells.csv", "row 2, column 'qi_m3_d'", "1e300", ">= 0.001 and <= 10000",
                   "plausible range of arps_qi_m3_d"]),
        ("1e-300", ["wells.csv", "row 2, column 'qi_m3_d'", "1e-300", ">= 0.001"]),
    ],
)  # fmt: skip
def test_arps_qi_nonsense_is_refused(tmp_path, cell, parts):
    case = _crafted(HAND, tmp_path, lambda d: None)
    w = tmp_path / "wells.csv"
    w.write_text(w.read_text().replace("A1,A,A-1,100,", f"A1,A,A-1,{cell},"))
    _refused(lambda: load_case(case), *parts)


@pytest.mark.parametrize("flow", ["1e12", "1e-300"])
def test_production_table_flow_nonsense_is_refused(tmp_path, flow):
    case = _crafted(HAND, tmp_path, lambda d: d["sources"].update(production="prod.csv"))
    (tmp_path / "prod.csv").write_text(f"well,period,m3_d\nA1,1,{flow}\nB1,1,0\n")
    _refused(
        lambda: load_case(case),
        "prod.csv",
        "row 2, column 'm3_d'",
        flow,
        "must be 0 or >= 0.001 and <= 10000",
        "plausible range of well_flow_m3_d",
    )


def test_soft_range_capacity_is_accepted_with_a_warning_that_reaches_the_plan(tmp_path):
    case = _crafted(HAND, tmp_path, _dest(1, capacity_m3_d=5e5))
    c = load_case(case)
    assert c.destinations[1].capacity_m3_d[0] == 5e5
    (w,) = [x for x in c.warnings if "capacity_m3_d" in x]
    assert "[destinations[2] 'River'] field 'capacity_m3_d'" in w
    assert "value 500000 m3/d is above the usual range (<= 100000); accepted" in w
    from cbmwater.optimize.plan import optimise

    assert w in optimise(c)["warnings"]  # the case's warnings are the plan's


def test_arps_b_above_one_is_accepted_with_a_warning(tmp_path):
    case = _crafted(HAND, tmp_path, lambda d: None)
    w = tmp_path / "wells.csv"
    w.write_text(w.read_text().replace("A1,A,A-1,100,0,0", "A1,A,A-1,100,0.5,1.5"))
    c = load_case(case)
    assert any("column 'b'" in x and "above the usual range (<= 1)" in x for x in c.warnings)


# -- mine case ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "edit, parts",
    [
        (lambda d: d["case"].update(discount_rate=5),
         ["case.toml", "[case] field 'discount_rate'", "'5'", ">= 0 and <= 0.5"]),
        (lambda d: d["points"][0]["flow_m3_d"].update(wet=1e12),
         ["case.toml", "[points[1]] field 'flow_m3_d.wet'", "<= 1e+06",
          "plausible range of flow_m3_d"]),
        (lambda d: d["points"][0]["flow_m3_d"].update(dry=1e-300),
         ["[points[1]] field 'flow_m3_d.dry'", "1e-300", "0 or >= 0.001"]),
        (lambda d: d["source_control"][0].update(capex_CNY=1e300),
         ["[source_control[1]] field 'capex_CNY'", "<= 1e+12"]),
    ],
)  # fmt: skip
def test_mine_case_nonsense_is_refused(tmp_path, edit, parts):
    case = _crafted(MINE, tmp_path, edit)
    _refused(lambda: load_mine_case(case), *parts)


def test_mine_case_soft_flow_is_accepted_with_a_warning(tmp_path):
    case = _crafted(MINE, tmp_path, lambda d: d["points"][0]["flow_m3_d"].update(wet=2e5))
    c = load_mine_case(case)
    assert c.points[0].flow_m3_d["wet"] == 2e5
    assert any("flow_m3_d.wet" in w and "above the usual range" in w for w in c.warnings)
    src = (ROOT / "cbmwater" / "minewater" / "plan.py").read_text()
    assert '"warnings": list(case.warnings)' in src  # and they reach the plan


# -- reinjection proposal -----------------------------------------------------------------------
def _proposal(tmp_path: Path, edit: Callable[[dict], None]) -> Path:
    src = REINJ / "compatible.toml"
    for f in REINJ.glob("*.csv"):
        shutil.copy(f, tmp_path)
    return _crafted(src, tmp_path, edit)


@pytest.mark.parametrize(
    "edit, parts",
    [
        (lambda d: d["formation"].update(depth_m=-10),
         ["compatible.toml", "formation.depth_m", "'-10'", "must be > 0 and <= 10000",
          "plausible range of depth_m"]),
        (lambda d: d["formation"].update(permeability_um2=1e300),
         ["formation.permeability_um2", "must be > 0 and <= 100"]),
        (lambda d: d["operation"].update(volume_m3_d=1e12),
         ["operation.volume_m3_d", "<= 100000"]),
        (lambda d: d["formation"].update(temperature_C=500),
         ["formation.temperature_C", ">= 0 and <= 150"]),
    ],
)  # fmt: skip
def test_proposal_nonsense_is_refused(tmp_path, edit, parts):
    p = _proposal(tmp_path, edit)
    _refused(lambda: load_proposal(p), *parts)


def test_proposal_soft_permeability_is_accepted_with_a_note(tmp_path):
    p = load_proposal(_proposal(tmp_path, lambda d: d["formation"].update(permeability_um2=50)))
    assert p.permeability_um2 == 50
    assert any("formation.permeability_um2" in n and "above the usual" in n for n in p.notes)


# -- fields newly read through the table (issue 13, Deliver 1) ---------------------------------
@pytest.mark.parametrize(
    "edit, parts",
    [
        (_dest(0, pH_range=[5.5, 15]),
         ["case.toml", "[destinations[1] 'Deep well'] field 'pH_range'", "'15'",
          "must be >= 0 and <= 14", "plausible range of pH"]),
        (_dest(0, SI_max={"Calcite": 8}),
         ["[destinations[1] 'Deep well'] field 'SI_max.Calcite'", "'8'",
          "must be >= -5 and <= 5", "plausible range of SI_max"]),
        (_dest(1, SAR_max=0),
         ["[destinations[2] 'Outfall'] field 'SAR_max'", "'0'", "must be > 0 and <= 100",
          "plausible range of SAR"]),
        (lambda d: d["economics"].update(utilization=95),
         ["[economics] field 'utilization'", "'95'", "must be >= 0.05 and <= 1",
          "plausible range of utilization"]),
        (lambda d: d["economics"].update(sludge_disposal_CNY_t_dry=1e6),
         ["[economics] field 'sludge_disposal_CNY_t_dry'", "must be >= 0 and <= 100000",
          "plausible range of sludge_disposal_CNY_t"]),
        (lambda d: d["transport"].update(route_factor=0.5),
         ["[transport] field 'route_factor'", "'0.5'", "must be >= 1 and <= 5"]),
        (lambda d: d.update(generate={"max_units": 0}),
         ["[generate] field 'max_units'", "'0'", "must be >= 1 and <= 20"]),
        (lambda d: d["case"].update(start_year=2027.5),
         ["[case] field 'start_year'", "'2027.5'", "a whole number >= 1 and <= 3000"]),
    ],
)  # fmt: skip
def test_network_case_new_range_fields_name_the_place(tmp_path, edit, parts):
    case = _crafted(INJECTATE, tmp_path, edit)
    _refused(lambda: load_case(case), *parts)


@pytest.mark.parametrize(
    "edit, parts",
    [
        (lambda d: d["seasons"][0].update(days=400),
         ["case.toml", "[seasons[1]] field 'days'", "'400'", "must be > 0 and <= 366",
          "plausible range of season_days"]),
        (lambda d: d["source_control"][0].update(flow_factor=1.5),
         ["[source_control[1]] field 'flow_factor'", "'1.5'", "must be >= 0 and <= 1",
          "plausible range of flow_factor"]),
        (lambda d: d["case"].update(active_target_pH=12),
         ["[case] field 'active_target_pH'", "'12'", "must be >= 6 and <= 11",
          "plausible range of target_pH_active"]),
        (lambda d: d["destinations"][1].update(pH_range=[-1, 9]),
         ["[destinations[2]] field 'pH_range'", "'-1'", "must be >= 0 and <= 14"]),
    ],
)  # fmt: skip
def test_mine_case_new_range_fields_name_the_place(tmp_path, edit, parts):
    case = _crafted(MINE, tmp_path, edit)
    _refused(lambda: load_mine_case(case), *parts)


@pytest.mark.parametrize(
    "edit, parts",
    [
        (lambda d: d.update(review={"min_separation_m": 1e5}),
         ["compatible.toml", "review.min_separation_m", "'100000.0'",
          "must be >= 0 and <= 10000", "plausible range of separation_m"]),
        (lambda d: d.update(review={"fractions": 2}),
         ["review.fractions", "'2'", "must be >= 3 and <= 101"]),
        (lambda d: d["injectate"].update(pH=15),
         ["compatible.toml", "injectate", "column 'pH'", "'15.0'", "must be >= 0 and <= 14",
          "plausible range of pH"]),
        (lambda d: d["injectate"].update(oil=-1),
         ["injectate.oil", "'-1'", "must be >= 0 and <= 1e+09",
          "plausible range of standard_parameter"]),
        (lambda d: d["formation"].update(porosity=0.1),
         ["compatible.toml", "[formation] field 'porosity': unknown field; allowed: depth_m, "
          "lithology, name, name_zh, permeability_um2, pressure_bar, temperature_C, water"]),
    ],
)  # fmt: skip
def test_proposal_new_range_fields_name_the_place(tmp_path, edit, parts):
    p = _proposal(tmp_path, edit)
    _refused(lambda: load_proposal(p), *parts)


LAB_COLUMNS = ["sample_id", "Na (mg/L)", "Cl (g/L)", "pH", "ORP_mV", "temp_C"]


@pytest.mark.parametrize(
    "col, cell, parts",
    [
        (1, "5e5", ["lab.csv", "row 3", "column 'Na (mg/L)'", "'5e5'",
                    "must be >= 0 and <= 400000", "plausible range of analyte_mg_L",
                    "never clipped"]),
        # 450 g/L: the message shows the cell as typed and the canonical value
        (2, "450", ["row 3", "column 'Cl (g/L)'", "'450'", "that is Cl = 450000 mg/L",
                    "plausible range of analyte_mg_L"]),
        (3, "14.5", ["row 3", "column 'pH'", "'14.5'", "must be >= 0 and <= 14",
                   "plausible range of pH"]),
        (4, "2000", ["column 'ORP_mV'", "'2000'", "must be >= -1000 and <= 1500",
                     "plausible range of ORP_mV"]),
        (5, "200", ["column 'temp_C'", "'200'", "must be >= 0 and <= 150",
                    "plausible range of temperature_C"]),
    ],
    ids=["Na", "Cl-g/L", "pH", "ORP", "temperature"],
)  # fmt: skip
def test_lab_file_cells_out_of_range_name_the_place(tmp_path, col, cell, parts):
    from cbmwater.water.io import read_analyses

    good = ["S1", "500", "0.3", "7.5", "100", "25"]
    bad = ["S2", *good[1:]]
    bad[col] = cell
    f = tmp_path / "lab.csv"
    rows = (LAB_COLUMNS, good, bad)
    f.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    _refused(lambda: read_analyses(f), *parts)


def test_soft_bounds_of_new_fields_warn_and_keep_the_value(tmp_path):
    def edit(d: dict) -> None:
        d["transport"]["route_factor"] = 3
        d["destinations"][1]["SAR_max"] = 40
        d["economics"]["utilization"] = 0.3

    c = load_case(_crafted(INJECTATE, tmp_path, edit))
    assert c.transport.route_factor == 3 and c.destinations[1].SAR_max == 40
    ws = [w for w in c.warnings if "usual range" in w]
    assert len(ws) == 3, ws
    (rf,) = [w for w in ws if "route_factor" in w]
    assert rf.startswith(f"file {tmp_path / 'case.toml'}, [transport] field 'route_factor': ")
    assert "value 3 - is above the usual range (<= 2); accepted, check it" in rf
    assert any("'SAR_max': value 40 (meq/L)^0.5 is above the usual range (<= 30)" in w for w in ws)
    assert any("'utilization': value 0.3 - is below the usual range (>= 0.5)" in w for w in ws)


# -- bundled cases ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        HAND,
        ROOT / "tests" / "data" / "optimise" / "injectate" / "case.toml",
        ROOT / "cbmwater" / "case_studies" / "qinshui_south" / "case.toml",
    ],
    ids=lambda p: p.parent.name,
)
def test_bundled_network_cases_load_without_a_range_warning(path):
    assert not [w for w in load_case(path).warnings if "usual range" in w]


def test_bundled_mine_case_and_proposals_load_without_a_range_warning():
    assert load_mine_case(MINE).warnings == []
    for p in sorted(REINJ.glob("*.toml")):
        assert load_proposal(p).notes == [], p
