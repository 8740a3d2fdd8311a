"""Confinement (issue 13, item 2): a case folder is self-contained.

Every file a decision-engine case, a mine-water case or a reinjection proposal names must
resolve inside the folder of its TOML: an absolute path, a ``..`` part and a symlink (the file or
a folder on the way) are refused -- the message names the TOML file, the table and field and the
value -- unless the caller passes ``allow_outside=True`` (API) or ``--allow-outside`` (CLI).  The
app never allows it.  An error about a referenced file outside the case folder never quotes that
file's sample ids.

Oracles: the crafted cases below are copies of the hand case (tests/data/optimise/hand), the
bundled Daji mine case and the bundled barite proposal with one reference moved outside the
folder; the expected behaviour is the rule above, not the engine's output.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import cbmwater
from cbmwater.casefile import resolve_inside
from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.resources import example_path

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "optimise" / "hand"
DAJI = example_path("daji_old_mine")
REINJ = example_path("reinjection")

#: How each crafted case names its outside file (by ``kind``), given the tmp folder.
KINDS: dict[str, Callable[[Path], str]] = {
    "dotdot": lambda tmp: "../x.csv",
    "absolute": lambda tmp: str(tmp / "x.csv"),
    "file_symlink": lambda tmp: "link.csv",
    "folder_symlink": lambda tmp: "linked/x.csv",
}


def _symlinks(case: Path, tmp: Path) -> None:
    (case / "link.csv").symlink_to(tmp / "x.csv")
    (tmp / "elsewhere").mkdir(exist_ok=True)
    shutil.copy(tmp / "x.csv", tmp / "elsewhere" / "x.csv")
    (case / "linked").symlink_to(tmp / "elsewhere", target_is_directory=True)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\") + '"'


def network_case(tmp: Path, kind: str) -> Path:
    """The hand case with its analyses file outside the case folder (``tmp/case``)."""
    case = tmp / "case"
    shutil.copytree(HAND, case)
    shutil.move(case / "analyses.csv", tmp / "x.csv")
    _symlinks(case, tmp)
    _replace(
        case / "case.toml", 'analyses = "analyses.csv"', f"analyses = {_toml_str(KINDS[kind](tmp))}"
    )
    return case / "case.toml"


def mine_case(tmp: Path, kind: str) -> Path:
    """The bundled Daji case with its analyses file outside the case folder."""
    case = tmp / "case"
    case.mkdir()
    shutil.copy(DAJI / "case.toml", case / "case.toml")
    shutil.copy(DAJI / "analyses.csv", tmp / "x.csv")
    _symlinks(case, tmp)
    _replace(
        case / "case.toml", 'analyses = "analyses.csv"', f"analyses = {_toml_str(KINDS[kind](tmp))}"
    )
    return case / "case.toml"


def proposal(tmp: Path, kind: str) -> Path:
    """The bundled barite proposal with its injectate's lab file outside its folder."""
    case = tmp / "case"
    case.mkdir()
    shutil.copy(REINJ / "barite_scaling.toml", case / "p.toml")
    shutil.copy(REINJ / "waters.csv", case / "waters.csv")
    shutil.copy(REINJ / "waters.csv", tmp / "x.csv")
    _symlinks(case, tmp)
    _replace(case / "p.toml", 'file = "waters.csv"', f"file = {_toml_str(KINDS[kind](tmp))}")
    return case / "p.toml"


#: loader name -> (crafted case, API loader, where the value is, CLI command)
LOADERS = {
    "network": (network_case, cbmwater.load_case, "[case] field 'analyses'", ["optimise"]),
    "mine": (mine_case, cbmwater.load_mine_case, "[case] field 'analyses'", ["minewater", "plan"]),
    "proposal": (proposal, cbmwater.load_proposal, "[injectate] field 'file'", ["review"]),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("loader", list(LOADERS))
def test_outside_reference_is_refused_naming_the_place(tmp_path, loader, kind):
    make, load, where, _ = LOADERS[loader]
    toml = make(tmp_path, kind)
    with pytest.raises(InputError) as exc:
        load(toml)
    msg = str(exc.value)
    assert toml.name in msg, msg
    assert where in msg, msg
    assert repr(KINDS[kind](tmp_path)) in msg or KINDS[kind](tmp_path) in msg, msg
    assert "inside the case folder" in msg and "--allow-outside" in msg, msg


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("loader", list(LOADERS))
def test_allow_outside_loads(tmp_path, loader, kind):
    make, load, _, _ = LOADERS[loader]
    load(make(tmp_path, kind), allow_outside=True)


@pytest.mark.parametrize("loader", list(LOADERS))
def test_cli_refuses_then_runs_with_allow_outside(tmp_path, loader):
    make, _, where, cmd = LOADERS[loader]
    toml = str(make(tmp_path, "dotdot"))
    runner = CliRunner()
    refused = runner.invoke(main, [*cmd, toml])
    assert refused.exit_code != 0
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert where in refused.output and "../x.csv" in refused.output, refused.output
    assert "Traceback" not in refused.output
    ran = runner.invoke(main, [*cmd, toml, "--allow-outside"])
    assert ran.exit_code in (0, 1), ran.output  # 1: a plan that is infeasible/a review "fail"
    assert ran.exception is None or isinstance(ran.exception, SystemExit), ran.output
    assert "inside the case folder" not in ran.output


def test_cli_help_explains_allow_outside():
    for cmd in (["optimise"], ["minewater", "plan"], ["review"]):
        out = CliRunner().invoke(main, [*cmd, "--help"]).output
        assert "--allow-outside" in out and "self-contained" in out, out


def test_study_runners_take_allow_outside(tmp_path):
    toml = network_case(tmp_path, "dotdot")
    quiet = {"progress": lambda m, f: None}
    with pytest.raises(InputError, match=r"\[case\] field 'analyses'"):
        cbmwater.optimise(toml, **quiet)
    with pytest.raises(InputError, match=r"\[case\] field 'analyses'"):
        cbmwater.pareto_front(toml, points=2, **quiet)
    assert cbmwater.optimise(toml, allow_outside=True, **quiet).status == "optimal"
    (tmp_path / "p").mkdir()
    prop = proposal(tmp_path / "p", "dotdot")
    with pytest.raises(InputError, match=r"\[injectate\] field 'file'"):
        cbmwater.review(prop)
    assert cbmwater.review(prop, allow_outside=True).verdict in ("pass", "conditional", "fail")
    (tmp_path / "m").mkdir()
    mine = mine_case(tmp_path / "m", "dotdot")
    with pytest.raises(InputError, match=r"\[case\] field 'analyses'"):
        cbmwater.minewater_plan(mine)


def test_mapping_loaders_confine_to_base_dir(tmp_path):
    import tomllib

    toml = network_case(tmp_path, "dotdot")
    data = tomllib.loads(toml.read_text(encoding="utf-8"))
    with pytest.raises(InputError, match=r"\[case\] field 'analyses'"):
        cbmwater.load_case(data, base_dir=toml.parent)
    cbmwater.load_case(data, base_dir=toml.parent, allow_outside=True)


# ------------------------------------------------------------- no foreign contents in messages
def _ids(csv: Path) -> list[str]:
    return [line.split(",")[0] for line in csv.read_text(encoding="utf-8").splitlines()[1:]]


def test_network_error_does_not_quote_a_foreign_file(tmp_path):
    toml = network_case(tmp_path, "dotdot")
    _replace(toml.parent / "wells.csv", "A1,A,A-1,", "A1,A,SECRET-PROBE,")
    with pytest.raises(InputError) as exc:
        cbmwater.load_case(toml, allow_outside=True)
    msg = str(exc.value)
    assert "SECRET-PROBE" in msg and "outside the case folder" in msg
    for sid in _ids(tmp_path / "x.csv"):
        assert sid not in msg, msg


def test_network_error_lists_ids_of_a_file_inside(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(HAND, case)
    _replace(case / "wells.csv", "A1,A,A-1,", "A1,A,SECRET-PROBE,")
    with pytest.raises(InputError) as exc:
        cbmwater.load_case(case / "case.toml")
    assert "SECRET-PROBE" in str(exc.value) and "A-1" in str(exc.value)


def test_formation_water_error_does_not_quote_a_foreign_file(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(example_path("qinshui_south"), case)
    shutil.move(case / "analyses.csv", tmp_path / "x.csv")
    toml = case / "case.toml"
    _replace(toml, 'analyses = "analyses.csv"', 'analyses = "../x.csv"')
    text = toml.read_text(encoding="utf-8")
    m = re.search(r"(?m)^water = \{[^\n]*\}$", text)
    assert m is not None
    _replace(toml, m.group(0), 'water = "SECRET-PROBE"')
    with pytest.raises(InputError) as exc:
        cbmwater.load_case(toml, allow_outside=True)
    msg = str(exc.value)
    assert "SECRET-PROBE" in msg and "outside the case folder" in msg, msg
    for sid in _ids(tmp_path / "x.csv"):
        assert sid not in msg, msg


def test_mine_error_does_not_quote_a_foreign_file(tmp_path):
    toml = mine_case(tmp_path, "dotdot")
    _replace(toml, 'analysis = "DJ-1"', 'analysis = "SECRET-PROBE"')
    with pytest.raises(InputError) as exc:
        cbmwater.load_mine_case(toml, allow_outside=True)
    msg = str(exc.value)
    assert "SECRET-PROBE" in msg and "outside the case folder" in msg
    for sid in _ids(tmp_path / "x.csv"):
        assert sid not in msg, msg


def test_proposal_error_does_not_quote_a_foreign_file(tmp_path):
    toml = proposal(tmp_path, "absolute")
    _replace(toml, 'sample_id = "INJ-SO4"', 'sample_id = "SECRET-PROBE"')
    with pytest.raises(InputError) as exc:
        cbmwater.load_proposal(toml, allow_outside=True)
    msg = str(exc.value)
    assert "SECRET-PROBE" in msg and "outside the case folder" in msg
    for sid in _ids(tmp_path / "x.csv"):
        assert sid not in msg, msg


# ------------------------------------------------------------- the helper and the bundled cases
def test_resolve_inside_accepts_subfolders_and_refuses_escapes(tmp_path):
    (tmp_path / "sub").mkdir()
    kw = {"file": "c.toml", "table": "case", "field": "analyses"}
    assert resolve_inside(tmp_path, "sub/a.csv", **kw) == tmp_path / "sub" / "a.csv"
    assert resolve_inside(tmp_path, "./a.csv", **kw) == tmp_path / "a.csv"
    for bad in ("../a.csv", "sub/../../a.csv", "sub/../a.csv", "/etc/passwd", "..\\a.csv"):
        with pytest.raises(InputError, match="inside the case folder"):
            resolve_inside(tmp_path, bad, **kw)
    assert resolve_inside(tmp_path, "../a.csv", allow_outside=True, **kw) == tmp_path / "../a.csv"


def test_bundled_cases_are_self_contained():
    cbmwater.load_case(example_path("qinshui_south", "case.toml"))
    cbmwater.load_mine_case(example_path("daji_old_mine", "case.toml"))
    for p in sorted(REINJ.glob("*.toml")):
        cbmwater.load_proposal(p)
    # qinshui_south keeps its own copy of the Qinshui analyses: the two must stay equal
    a = example_path("qinshui_south", "analyses.csv").read_bytes()
    assert a == example_path("qinshui", "analyses.csv").read_bytes()


# ------------------------------------------------------------- the app refuses it
def test_app_refuses_an_uploaded_case_naming_dotdot(tmp_path):
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from cbmwater.app.common import TEST_UPLOAD_KEY

    text = (HAND / "case.toml").read_text(encoding="utf-8")
    text = text.replace('analyses = "analyses.csv"', 'analyses = "../x.csv"')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("case.toml", text)
        z.writestr("wells.csv", (HAND / "wells.csv").read_bytes())
        z.writestr("x.csv", (HAND / "analyses.csv").read_bytes())
    at = AppTest.from_file(str(ROOT / "cbmwater" / "app" / "pages" / "4_Optimise.py"))
    at.session_state[TEST_UPLOAD_KEY] = ("outside.zip", buf.getvalue())
    at.run(timeout=120)
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "[case] analyses" in msg and "../x.csv" in msg, msg
    assert "outside.zip" in msg
    assert str(tmp_path) not in msg and os.sep + "tmp" + os.sep not in msg


def test_uploaded_proposal_may_not_name_an_absolute_file(tmp_path):
    """The Reinjection page's upload path (review_upload) reads no file of the server."""
    from cbmwater.study.reinjection import review_upload

    secret = tmp_path / "x.csv"
    shutil.copy(REINJ / "waters.csv", secret)
    text = (REINJ / "barite_scaling.toml").read_text(encoding="utf-8")
    text = text.replace('file = "waters.csv"', f"file = {_toml_str(str(secret))}")
    with pytest.raises(InputError) as exc:
        review_upload(text.encode("utf-8"), "p.toml")
    msg = str(exc.value)
    assert "[injectate] field 'file'" in msg and "absolute" in msg, msg
    for sid in _ids(secret):
        assert sid not in msg, msg


def _wells_case(tmp: Path, outside: bool) -> Path:
    """The hand case with its wells.csv inside the case folder or beside it, and one well's
    analysis id replaced by a marker that must never appear in a message about an outside file."""
    hand = Path(__file__).parent / "data" / "optimise" / "hand"
    case = tmp / "case"
    shutil.copytree(hand, case)
    wells = case / "wells.csv"
    text = wells.read_text(encoding="utf-8").replace("A1,A,A-1", "A1,A,SECRET-CELL-7731")
    if outside:
        wells.unlink()
        (tmp / "elsewhere").mkdir()
        (tmp / "elsewhere" / "wells.csv").write_text(text, encoding="utf-8")
        _replace(case / "case.toml", 'wells = "wells.csv"', 'wells = "../elsewhere/wells.csv"')
    else:
        wells.write_text(text, encoding="utf-8")
    return case / "case.toml"


def test_messages_about_an_allowed_outside_file_do_not_quote_it(tmp_path):
    toml = _wells_case(tmp_path, outside=True)
    with pytest.raises(InputError) as err:
        cbmwater.load_case(toml, allow_outside=True)
    text = str(err.value)
    assert "SECRET-CELL-7731" not in text
    # the place is still named: file, row, column
    assert "elsewhere/wells.csv" in text and "row 2" in text and "'analysis'" in text
    assert "outside the case folder" in text


def test_messages_about_a_file_inside_the_case_quote_the_value(tmp_path):
    with pytest.raises(InputError, match="SECRET-CELL-7731"):
        cbmwater.load_case(_wells_case(tmp_path, outside=False))
