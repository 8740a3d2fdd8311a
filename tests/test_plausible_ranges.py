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
MINE = ROOT / "cbmwater" / "case_studies" / "daji_old_mine" / "case.toml"
REINJ = ROOT / "cbmwater" / "case_studies" / "reinjection"
DOC = ROOT / "docs" / "input_checks.md"


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
    assert "## Plausible ranges" in doc
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
