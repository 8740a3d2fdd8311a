"""Fuzzing the lab-file reader (issue 13, item 6): whatever bytes, text or table a user or an
uploader hands to ``cbmwater.read_analyses``, it either reads them or raises the project's own
error with a message; no other exception escapes, and nothing is written anywhere.

Bounded (derandomised, a fixed number of examples) so that CI runs it every time.
"""

from __future__ import annotations

import io
import os

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cbmwater

SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: headers a lab file may carry, good and bad (aliases, units, Chinese, nonsense)
HEADERS = st.sampled_from(
    ["sample_id", "样品编号", "pH", "pH值", "Na", "钠离子 (mg/L)", "Ca2+ (mmol/L)", "Cl",
     "HCO3 [meq/L]", "SO4", "Fe", "Fe2", "Fe3", "ORP_mV", "TDS", "temp_C", "氨氮", "unknown",
     "", "Na (kg/L)", "pH (mg/L)", "Na\nK", "Cl/(mg/L)"]
)  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(["", "7.9", "<0.05", "＜0.05", "0.05L", "0,05", "-3", "1e400", "nan", "inf",
                     ">5", "abc", "12.5", "0", "1e-300", "W1", "W1", "\t", "样品"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    pd.DataFrame(rows, columns=range(len(header))).to_csv(out, header=header, index=False)
    return out.getvalue()


def _read(source: object) -> None:
    """Read ``source``; an error must be the project's own, with a message."""
    try:
        cbmwater.read_analyses(source)  # type: ignore[arg-type]
    except cbmwater.CbmwaterError as exc:
        assert str(exc).strip()


@SETTINGS
@given(
    header=st.lists(HEADERS, min_size=1, max_size=6),
    body=st.lists(st.lists(CELLS, min_size=6, max_size=6), max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_any_table_is_read_or_refused_with_a_message(tmp_path_factory, header, body, encoding):
    rows = [r[: len(header)] for r in body]
    text = _csv(header, rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "lab.csv"
    path.write_bytes(data)
    before = sorted(os.listdir(folder))
    for source in (path, data, io.BytesIO(data), pd.DataFrame(rows, columns=header or None)):
        _read(source)
    assert sorted(os.listdir(folder)) == before  # nothing written


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_a_message(data):
    _read(data)
    _read(io.BytesIO(data))


@SETTINGS
@given(prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]),
       rest=st.binary(max_size=500))  # fmt: skip
def test_files_that_look_like_excel_or_utf8_but_are_not(prefix, rest):
    _read(prefix + rest)
