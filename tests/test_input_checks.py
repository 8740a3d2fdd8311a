"""Issue 13, items 4 and 5: output paths checked before the work and written whole; semantic
checks (Fe2 + Fe3 vs total Fe, target pH vs sample pH, unique names, types in every section).

Every refusal is a :class:`cbmwater.CbmwaterError` whose message names the place (file, table,
field or option, path); no traceback; no file left behind.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toml_writer import dumps

import cbmwater
from cbmwater.cli import main
from cbmwater.outpaths import check_output, write_atomic

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "optimise" / "hand" / "case.toml"
MINE = ROOT / "cbmwater" / "case_studies" / "daji_old_mine" / "case.toml"
REINJ = ROOT / "cbmwater" / "case_studies" / "reinjection"
QINSHUI = ROOT / "cbmwater" / "case_studies" / "qinshui" / "analyses.csv"
DAJI = MINE.parent / "analyses.csv"


def _toml(data: dict) -> str:
    return dumps(data)


def _copy_case(src: Path, dst: Path, data: dict) -> Path:
    """The case folder's CSV files beside a rewritten case TOML."""
    for f in src.parent.iterdir():
        if f.is_file() and f.suffix == ".csv":
            shutil.copy(f, dst)
    out = dst / src.name
    out.write_text(_toml(data), encoding="utf-8")
    return out


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# -- item 4: output paths --------------------------------------------------------------------
def test_out_under_a_file_is_refused_before_the_work_and_leaves_nothing(tmp_path):
    (tmp_path / "afile").write_text("x")
    before = _listing(tmp_path)
    r = CliRunner().invoke(
        main, ["characterise", str(QINSHUI), "--out", str(tmp_path / "afile" / "x.csv")]
    )
    assert r.exit_code == 2
    assert r.exception is None or isinstance(r.exception, SystemExit)  # no traceback
    assert "--out" in r.output and "afile" in r.output and "not a folder" in r.output
    assert _listing(tmp_path) == before


@pytest.mark.parametrize("option", ["--write-lp", "--write-mps"])
def test_model_file_under_a_file_is_refused_before_optimising(tmp_path, option):
    (tmp_path / "afile").write_text("x")
    ext = option.rsplit("-", 1)[1]
    r = CliRunner().invoke(
        main, ["optimise", str(HAND), option, str(tmp_path / "afile" / f"m.{ext}")]
    )
    assert r.exit_code == 2
    assert option in r.output and "is a file, not a folder" in r.output
    assert "[" not in r.output.split("error:")[0]  # no progress line: refused before the work
    assert _listing(tmp_path) == ["afile"]


def test_optimise_out_folder_that_is_a_file_and_plan_out_that_is_a_folder(tmp_path):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    r = CliRunner().invoke(main, ["optimise", str(HAND), "--out", str(tmp_path / "afile")])
    assert r.exit_code == 2 and "--out" in r.output
    r = CliRunner().invoke(main, ["minewater", "plan", str(MINE), "--out", str(tmp_path / "adir")])
    assert r.exit_code == 2 and "--out" in r.output
    assert _listing(tmp_path) == ["adir", "afile"]


def test_check_output_messages_name_option_path_and_fix(tmp_path):
    (tmp_path / "f").write_text("x")
    (tmp_path / "d").mkdir()
    with pytest.raises(cbmwater.InputError, match=r"--out .*/d': is an existing folder.*file name"):
        check_output(tmp_path / "d", "--out")
    with pytest.raises(cbmwater.InputError, match=r"--out .*existing file, not a folder"):
        check_output(tmp_path / "f", "--out", folder=True)
    with pytest.raises(cbmwater.InputError, match=r"--pqi .*is a file, not a folder"):
        check_output(tmp_path / "f" / "sub" / "x.pqi", "--pqi")
    assert check_output(tmp_path / "new" / "x.json", "--out") == tmp_path / "new" / "x.json"
    assert check_output(tmp_path / "d", "--out", folder=True) == tmp_path / "d"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(cbmwater.InputError, match="not writable"):
            check_output(ro / "x.json", "--out")
    finally:
        ro.chmod(0o700)


def test_a_failed_write_leaves_no_partial_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")

    def fail(p: Path) -> None:
        p.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, fail)
    assert target.read_text() == "old"
    assert _listing(tmp_path) == ["out.json"]


def test_lp_and_mps_written_whole(tmp_path):
    import pyomo.environ as pyo

    from cbmwater.optimize.solver import write_model

    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 1))
    m.o = pyo.Objective(expr=m.x)
    write_model(m, str(tmp_path / "m.lp"))
    write_model(m, str(tmp_path / "m.mps"))
    assert _listing(tmp_path) == ["m.lp", "m.mps"]
    assert "x" in (tmp_path / "m.lp").read_text()
    with pytest.raises(cbmwater.InputError, match="model file"):
        write_model(m, str(tmp_path / "m.lp" / "n.lp"))


# -- item 5: Fe2 + Fe3 vs total Fe -----------------------------------------------------------
def test_fe_parts_above_total_fe_are_refused_with_place_and_values(tmp_path):
    f = tmp_path / "lab.csv"
    f.write_text("sample_id,pH,Fe,Fe2,Fe3\nA,6,1.0,0.6,0.5\nB,6,1.0,1.2,0.3\n", encoding="utf-8")
    with pytest.raises(cbmwater.InputError) as e:
        cbmwater.read_analyses(f)
    msg = str(e.value)
    assert "lab.csv" in msg and "row 3" in msg and "'B'" in msg
    assert "Fe2 + Fe3 + Fe" in msg and "1.5" in msg and "10 % + 0.05 mg/L" in msg


def test_fe_parts_within_tolerance_or_censored_pass(tmp_path):
    f = tmp_path / "lab.csv"
    # 1.1 + 0.05 = 1.15 allowed; a censored Fe3 counts as 0
    f.write_text("sample_id,pH,Fe,Fe2,Fe3\nA,6,1.0,0.7,0.44\nB,6,1.0,1.0,<0.5\n", encoding="utf-8")
    assert len(cbmwater.read_analyses(f)) == 2


# -- item 5: target pH vs the sample's pH ----------------------------------------------------
@pytest.mark.slow
def test_target_below_sample_ph_needs_an_acid():
    with pytest.raises(cbmwater.InputError, match=r"pH 6\.7.*lowering pH needs an acid") as e:
        cbmwater.neutralise(DAJI, "NaOH", 6.0, sample="DJ-4")
    assert e.value.column == "target_pH"


@pytest.mark.slow
def test_target_already_met_needs_no_reagent():
    # degassing CO2 raises DJ-4 from 6.7 above 6.9 before any reagent
    with pytest.raises(cbmwater.InputError, match="target is met, no reagent is needed"):
        cbmwater.neutralise(DAJI, "NaOH", 6.9, sample="DJ-4", co2="degassed")


def test_cli_neutralise_below_sample_ph_is_a_message(tmp_path):
    r = CliRunner().invoke(
        main,
        ["minewater", "neutralise", str(DAJI), "--sample", "DJ-4", "--reagent", "CaO",
         "--target-pH", "5", "--pqi", str(tmp_path / "t.pqi")],
    )  # fmt: skip
    assert r.exit_code == 2 and "needs an acid" in r.output
    assert _listing(tmp_path) == []


# -- item 5: unique names --------------------------------------------------------------------
def test_duplicate_mine_destination_names_are_refused(tmp_path):
    data = tomllib.loads(MINE.read_text(encoding="utf-8"))
    data["destinations"][1]["name"] = data["destinations"][0]["name"]
    with pytest.raises(cbmwater.InputError, match=r"case\.toml.*\[destinations\].*unique"):
        cbmwater.load_mine_case(_copy_case(MINE, tmp_path, data))


def test_duplicate_source_controls_are_refused(tmp_path):
    data = tomllib.loads(MINE.read_text(encoding="utf-8"))
    data["source_control"][1]["name"] = data["source_control"][0]["name"]
    with pytest.raises(cbmwater.InputError, match=r"\[source_control\].*unique"):
        cbmwater.load_mine_case(_copy_case(MINE, tmp_path, data))


def test_duplicate_protected_aquifer_names_are_refused(tmp_path):
    src = REINJ / "compatible.toml"
    data = tomllib.loads(src.read_text(encoding="utf-8"))
    data["protected_aquifers"] = data["protected_aquifers"] * 2
    with pytest.raises(cbmwater.InputError, match="protected_aquifers name.*unique"):
        cbmwater.load_proposal(_copy_case(src, tmp_path, data))


# -- item 5: types in every section ----------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "value", "expect"),
    [
        (("hubs",), 3, r"\[top level\] field 'hubs': must be a list, got a number"),
        (("destinations", 0, "limits"), 3, r"field 'limits': must be a table.*got a number"),
        (("destinations", 0, "SI_max"), "x", r"field 'SI_max': must be a table.*got a string"),
        (("economics", "chemicals_CNY_t"), [1], r"\[economics\] field 'chemicals_CNY_t'"),
        (("generate",), 3, r"\[generate\]: must be a table"),
        (("generate",), {"pool": "ro"}, r"\[generate\] field 'pool': must be a list"),
        (("generate",), {"max_units": "x"}, r"\[generate\] field 'max_units'"),
    ],
)
def test_wrong_type_in_case_names_file_table_field(tmp_path, where, value, expect):
    data = tomllib.loads(HAND.read_text(encoding="utf-8"))
    obj = data
    for k in where[:-1]:
        obj = obj.setdefault(k, {}) if isinstance(k, str) else obj[k]
    obj[where[-1]] = value
    with pytest.raises(cbmwater.InputError, match=expect) as e:
        cbmwater.load_case(_copy_case(HAND, tmp_path, data))
    assert "case.toml" in str(e.value)


@pytest.mark.parametrize(
    ("where", "value", "expect"),
    [
        (("seasons",), 3, r"field 'seasons': must be a list"),
        (("points",), "x", r"field 'points': must be a list"),
        (("source_control",), 3, r"field 'source_control': must be a list"),
        (("destinations",), 3, r"field 'destinations': must be a list"),
        (("points", 0, "destinations"), 3, r"\[points\[1\]\] field 'destinations': must be a list"),
        (("destinations", 0, "limits"), 3, r"field 'limits': must be a table"),
        (("destinations", 0, "background_mg_L"), "x", r"field 'background_mg_L': must be a"),
    ],
)
def test_wrong_type_in_mine_plan_names_file_table_field(tmp_path, where, value, expect):
    data = tomllib.loads(MINE.read_text(encoding="utf-8"))
    obj = data
    for k in where[:-1]:
        obj = obj[k]
    obj[where[-1]] = value
    with pytest.raises(cbmwater.InputError, match=expect) as e:
        cbmwater.load_mine_case(_copy_case(MINE, tmp_path, data))
    assert "case.toml" in str(e.value)


# -- the fuzz: random values of random types in the bundled cases ----------------------------
def _paths(obj: Any, pre: tuple = ()) -> list[tuple]:
    out = []
    items = (
        obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    )
    for k, v in items:
        out.append((*pre, k))
        out += _paths(v, (*pre, k))
    return out


_LOADERS = [
    (HAND, cbmwater.load_case),
    (MINE, cbmwater.load_mine_case),
    (REINJ / "compatible.toml", cbmwater.load_proposal),
    (REINJ / "barite_scaling.toml", cbmwater.load_proposal),
]
_SCALARS = (
    st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.text(max_size=8)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=st.sampled_from(range(len(_LOADERS))), pick=st.integers(0, 10**6), value=_VALUES)
def test_fuzz_bundled_cases_load_or_raise_cbmwater_error(tmp_path_factory, case, pick, value):
    src, loader = _LOADERS[case]
    data = tomllib.loads(src.read_text(encoding="utf-8"))
    paths = _paths(data)
    where = paths[pick % len(paths)]
    obj = data
    for k in where[:-1]:
        obj = obj[k]
    obj[where[-1]] = value
    folder = tmp_path_factory.mktemp("fuzz")
    try:
        loader(_copy_case(src, folder, data))
    except cbmwater.CbmwaterError as exc:
        assert str(exc)  # a message, never an empty one
    assert all(p.suffix in (".toml", ".csv") for p in folder.iterdir())  # nothing written
