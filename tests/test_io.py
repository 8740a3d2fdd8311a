"""Import of lab reports (CSV UTF-8 / GB18030, XLSX), censored values and refusal of bad input.

Hand values (IUPAC 2021 atomic weights, see test_vocabulary_units.py):
  Ca 40.078 g/mol; Mg 24.305 g/mol -> 12.1525 g/eq; HCO3 61.016 g/eq; SO4 96.056 g/mol;
  NH4 18.039 g/mol, N 14.007 g/mol.
Row numbers are those a spreadsheet shows: header = row 1, first sample = row 2 (row 3 when a
units row sits under the header).
"""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cbmwater.errors import CbmwaterError, InputError
from cbmwater.water.analysis import AnalysisSet
from cbmwater.water.io import parse_cell, read_analyses, write_analyses


def write(tmp_path, text: str, name: str = "lab.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def write_xlsx(tmp_path, rows: list[list[object]], name: str = "lab.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


# --------------------------------------------------------------------------------------------
# units in headers, units rows, encodings, formats


def test_csv_header_units_are_converted(tmp_path):
    p = write(
        tmp_path,
        "sample_id,pH,Na (mg/L),Ca2+ (mmol/L),HCO3 (meq/L),Mg²⁺ (meq/L),SO4 (mmol/L),"
        "F (ug/L),TDS (g/L),NH4+ (mg/L)\n"
        "S1,7.8,120,1.5,10,0.5,0.25,800,1.2,1.8039\n",
    )
    a = read_analyses(p)
    v = a.values.loc["S1"]
    assert v["Na"] == pytest.approx(120.0)
    assert v["Ca"] == pytest.approx(1.5 * 40.078)  # 60.117
    assert v["HCO3"] == pytest.approx(10 * 61.016)  # 610.16
    assert v["Mg"] == pytest.approx(0.5 * 24.305 / 2)  # 6.07625
    assert v["SO4"] == pytest.approx(0.25 * 96.056)  # 24.014
    assert v["F"] == pytest.approx(0.8)
    assert v["TDS"] == pytest.approx(1200.0)
    assert v["NH4_N"] == pytest.approx(1.8039 * 14.007 / 18.039)  # 1.4007 mg/L as N
    assert v["pH"] == 7.8
    # not measured -> NaN, never 0
    assert math.isnan(v["K"]) and math.isnan(v["Cl"])
    assert not a.censored.loc["S1"].any()
    assert a.rows == {"S1": 2}
    assert a.source == str(p)


@pytest.mark.parametrize(
    "header, cell, expected",
    [
        ("NH4+ (mg/L)", "18.039", 14.007),  # mg/L as NH4 x 14.007/18.039 = mg/L as N
        ("铵离子", "18.039", 14.007),
        ("NH4+ (mmol/L)", "1", 14.007),  # 1 mmol NH4+ = 1 mmol N = 14.007 mg N
        ("NH4+ (meq/L)", "2", 28.014),
        ("氨氮", "14.007", 14.007),  # already as N
        ("NO3- (mg/L)", "62.004", 14.007),  # NO3 = 14.007 + 3 x 15.999
        ("NO3- (mmol/L)", "1", 14.007),
    ],
)
def test_species_factor_only_for_mass_units(tmp_path, header, cell, expected):
    p = write(tmp_path, f"sample_id,pH,{header}\nS1,7.0,{cell}\n")
    col = "NO3_N" if header.startswith("NO3") else "NH4_N"
    assert read_analyses(p).values.loc["S1", col] == pytest.approx(expected, rel=1e-9)


def test_csv_utf8_with_bom_and_semicolons(tmp_path):
    p = write(tmp_path, "\ufeffsample_id;pH;Na;Cl\nS1;7.1;10;20\nS2;7.2;11;21\n")
    a = read_analyses(p)
    assert a.sample_ids == ["S1", "S2"]
    assert a.values.loc["S2", "Cl"] == 21.0


def test_csv_gb18030_with_chinese_headers(tmp_path):
    text = (
        "样品编号,井名,水温,pH值,钠离子（mg/L）,钾离子,钙离子（mmol/L）,氯化物,硫酸根,"
        "重碳酸根（meq/L）,氟化物,氨氮,总铁,溶解性总固体,备注\n"
        "寺河-01,SH-12,18.5,8.1,680,3,0.2,150,20,24.5,2.5,0.5L,1.2,1630,产水\n"
    )
    p = write(tmp_path, text, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        p.read_bytes().decode("utf-8")  # the file really is GB18030, not UTF-8
    a = read_analyses(p)
    assert a.sample_ids == ["寺河-01"]
    v = a.values.loc["寺河-01"]
    assert v["temp_C"] == 18.5 and v["pH"] == 8.1
    assert v["Na"] == 680 and v["K"] == 3
    assert v["Ca"] == pytest.approx(0.2 * 40.078)
    assert v["Cl"] == 150 and v["SO4"] == 20
    assert v["HCO3"] == pytest.approx(24.5 * 61.016)
    assert v["F"] == 2.5 and v["Fe"] == 1.2 and v["TDS"] == 1630
    assert v["NH4_N"] == 0.5 and a.censored.loc["寺河-01", "NH4_N"]
    assert a.meta.loc["寺河-01", "well"] == "SH-12"
    assert a.meta.loc["寺河-01", "notes"] == "产水"


def test_xlsx_numbers_text_and_censored(tmp_path):
    p = write_xlsx(
        tmp_path,
        [
            ["样品编号", "pH", "Na (mg/L)", "Ca (mmol/L)", "HCO3-", "F", "Mn"],
            ["X1", 7.9, 250.5, 0.5, 610.2, "<0.05", None],
            ["X2", "8.0", "300", "1", "700", "0.1L", "0.02"],
        ],
    )
    a = read_analyses(p)
    assert a.sample_ids == ["X1", "X2"]
    assert a.values.loc["X1", "Na"] == 250.5
    assert a.values.loc["X1", "Ca"] == pytest.approx(0.5 * 40.078)
    assert a.values.loc["X2", "Ca"] == pytest.approx(40.078)
    assert a.values.loc["X1", "F"] == 0.05 and a.censored.loc["X1", "F"]
    assert a.values.loc["X2", "F"] == 0.1 and a.censored.loc["X2", "F"]
    assert math.isnan(a.values.loc["X1", "Mn"])
    assert a.values.loc["X2", "Mn"] == 0.02
    assert a.rows == {"X1": 2, "X2": 3}


@pytest.mark.parametrize("label", ["", "单位", "unit"])
def test_units_row_under_header(tmp_path, label):
    p = write(
        tmp_path,
        "sample_id,pH,Na,Ca,HCO3,Fe\n"
        f"{label},,mg/L,mmol/L,meq/L,μg/L\n"
        "S1,7.0,10,1,2,250\n"
        "S2,7.2,20,0.5,4,<10\n",
    )
    a = read_analyses(p)
    assert a.values.loc["S1", "Na"] == 10
    assert a.values.loc["S1", "Ca"] == pytest.approx(40.078)
    assert a.values.loc["S1", "HCO3"] == pytest.approx(2 * 61.016)
    assert a.values.loc["S1", "Fe"] == pytest.approx(0.25)
    # the detection limit is converted with the column's unit: <10 ug/L = <0.01 mg/L
    assert a.values.loc["S2", "Fe"] == pytest.approx(0.01) and a.censored.loc["S2", "Fe"]
    assert a.rows == {"S1": 3, "S2": 4}


def test_units_row_shifts_error_row_numbers(tmp_path):
    p = write(tmp_path, "sample_id,pH,Na\n,,mg/L\nS1,7.0,10\nS2,7.0,-1\n")
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    assert exc.value.row == 4
    assert "row 4" in str(exc.value)


def test_header_unit_disagreeing_with_units_row_is_refused(tmp_path):
    p = write(tmp_path, "sample_id,pH,Na (mg/L)\n,,mmol/L\nS1,7.0,10\n")
    with pytest.raises(InputError, match="disagrees"):
        read_analyses(p)


# --------------------------------------------------------------------------------------------
# censored values and blanks


CENSORED_CSV = "sample_id,pH,Na,F,Mn,Ba\nS1,7.5,100,<0.05,0.05L,\nS2,7.6,110,＜0.05,0.3,0.2\n"


def test_censored_cells_keep_the_detection_limit(tmp_path):
    a = read_analyses(write(tmp_path, CENSORED_CSV))
    assert a.values.loc["S1", "F"] == 0.05 and a.censored.loc["S1", "F"]
    assert a.values.loc["S1", "Mn"] == 0.05 and a.censored.loc["S1", "Mn"]
    assert a.values.loc["S2", "F"] == 0.05 and a.censored.loc["S2", "F"]  # full-width <
    assert not a.censored.loc["S2", "Mn"] and a.values.loc["S2", "Mn"] == 0.3
    assert not a.censored.loc["S1", "Na"]
    # blank = not measured: NaN, not censored
    assert math.isnan(a.values.loc["S1", "Ba"]) and not a.censored.loc["S1", "Ba"]


@pytest.mark.parametrize("policy, expected", [("half", 0.025), ("zero", 0.0), ("limit", 0.05)])
def test_resolved_policies(tmp_path, policy, expected):
    a = read_analyses(write(tmp_path, CENSORED_CSV))
    r = a.resolved(policy)
    assert r.loc["S1", "F"] == pytest.approx(expected, abs=1e-15)
    assert r.loc["S1", "Mn"] == pytest.approx(expected, abs=1e-15)
    # measured values are untouched, blanks stay NaN under every policy
    assert r.loc["S2", "Mn"] == 0.3 and r.loc["S1", "Na"] == 100
    assert math.isnan(r.loc["S1", "Ba"])
    # the stored values are not modified by resolving
    assert a.values.loc["S1", "F"] == 0.05


def test_unknown_policy_is_refused(tmp_path):
    a = read_analyses(write(tmp_path, CENSORED_CSV))
    with pytest.raises(InputError, match="policy"):
        a.resolved("mean")


def test_censored_notes_name_value_and_policy(tmp_path):
    a = read_analyses(write(tmp_path, CENSORED_CSV))
    notes = a.censored_notes("half")
    assert set(notes) == {"S1", "S2"}
    assert len(notes["S1"]) == 2 and len(notes["S2"]) == 1
    f_note = [n for n in notes["S1"] if n.startswith("F ")][0]
    assert "<0.05" in f_note and "0.025" in f_note and "half" in f_note
    zero = a.censored_notes("zero")["S2"][0]
    assert "zero" in zero and " 0 used" in zero
    assert "limit" in a.censored_notes("limit")["S2"][0]


def test_to_frame_writes_censored_as_text(tmp_path):
    a = read_analyses(write(tmp_path, CENSORED_CSV))
    f = a.to_frame()
    assert list(f["sample_id"]) == ["S1", "S2"]
    assert f.loc[0, "F"] == "<0.05" and f.loc[0, "Mn"] == "<0.05"
    assert f.loc[1, "Mn"] == 0.3
    assert "Ba" in f.columns and pd.isna(f.loc[0, "Ba"])
    assert "K" not in f.columns  # columns never measured are left out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_through_write_and_read(tmp_path, suffix):
    src = write(
        tmp_path,
        "sample_id,well,pH,temp_C,Na,Ca (mmol/L),HCO3,F,Mn,Ba,Fe (ug/L)\n"
        "S1,W-1,7.5,18.2,100.25,0.5,610.16,<0.05,0.05L,,120\n"
        "S2,W-2,8.25,21,2480,1.25,1500,2.5,0.3,0.2,<5\n",
    )
    a = read_analyses(src)
    out = tmp_path / ("canonical" + suffix)
    write_analyses(a, out)
    b = read_analyses(out)
    assert b.sample_ids == a.sample_ids
    pd.testing.assert_frame_equal(b.values, a.values, rtol=1e-12, atol=0)
    pd.testing.assert_frame_equal(b.censored, a.censored)
    assert b.censored.loc["S2", "Fe"] and b.values.loc["S2", "Fe"] == pytest.approx(0.005)
    assert b.meta.loc["S1", "well"] == "W-1"
    assert b.fingerprint() == a.fingerprint()


def test_csv_blank_line_keeps_spreadsheet_row_numbers(tmp_path):
    # a blank line is a row in a spreadsheet: it is refused, and rows after it keep their number
    p = write(tmp_path, "sample_id,pH,Na\nS1,7,1\n\nS2,7,-3\n")
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    assert exc.value.row == 3
    assert "empty row" in str(exc.value)
    # trailing blank lines are only the end of the file
    a = read_analyses(write(tmp_path, "sample_id,pH,Na\nS1,7,1\nS2,7,3\n\n\n", name="t.csv"))
    assert a.sample_ids == ["S1", "S2"] and a.rows == {"S1": 2, "S2": 3}


# --------------------------------------------------------------------------------------------
# parse_cell


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12.5", (12.5, False)),
        (" 7 ", (7.0, False)),
        ("1,234", (1234.0, False)),
        ("12,345.6", (12345.6, False)),
        ("1e-3", (0.001, False)),
        ("<0.05", (0.05, True)),
        ("< 0.05", (0.05, True)),
        ("0.05L", (0.05, True)),
        ("0.05l", (0.05, True)),
        ("＜0.05", (0.05, True)),
        ("", (None, False)),
        ("-", (None, False)),
        ("/", (None, False)),
        (None, (None, False)),
        (3, (3.0, False)),
        (0.0, (0.0, False)),
    ],
)
def test_parse_cell(raw, expected):
    assert parse_cell(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "-1",
        "-0.5",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "abc",
        "1.2.3",
        ">100",
        "<0",
        "0L",
        "<-1",
        True,
        float("nan"),
        float("inf"),
        "7 mg",
        "0,05",
        "1,23",
        "0,05L",
    ],
)
def test_parse_cell_refuses(raw):
    with pytest.raises(InputError) as exc:
        parse_cell(raw, file="f.csv", row=5, column="Na")
    msg = str(exc.value)
    assert "f.csv" in msg and "row 5" in msg and "'Na'" in msg


# --------------------------------------------------------------------------------------------
# bad input: InputError naming file, row (1-based, header = 1) and column

H = "sample_id,pH,Na,Cl\n"
INJECTION = "SELECTED_OUTPUT -file /tmp/x"

#: id -> (file content, expected row or None, expected text in the message)
BAD = {
    "negative": (H + "S1,7.5,10,20\nS2,7.5,-3,10\n", 3, ["'Na'", "-3", "negative"]),
    "nan_text": (H + "S1,7.5,nan,10\n", 2, ["'Na'", "nan"]),
    "NaN_text": (H + "S1,7.5,10,NaN\n", 2, ["'Cl'", "NaN"]),
    "text": (H + "S1,7.5,abc,10\n", 2, ["'Na'", "abc"]),
    "unknown_column": ("sample_id,pH,Sodum,Cl\nS1,7.5,3,10\n", 1, ["Sodum", "sodium"]),
    "duplicate_ids": (
        H + "S1,7.5,3,10\nS2,7.5,3,10\nS1,7.6,4,11\n",
        4,
        ["duplicate", "S1", "row 2", "row 4"],
    ),
    "empty_file": ("", None, ["empty"]),
    "header_only": (H, None, ["no samples"]),
    "missing_pH_column": ("sample_id,Na,Cl\nS1,3,10\n", None, ["pH"]),
    "blank_pH": (H + "S1,7.5,3,10\nS2,,3,10\n", 3, ["'pH'", "missing"]),
    "id_injection": (H + f'"S1\n{INJECTION}",7.5,3,10\n', 2, ["'sample_id'", "line break"]),
    "header_injection": (
        f'sample_id,pH,"Na\n{INJECTION}",Cl\nS1,7.5,3,10\n',
        1,
        ["column 3", "line break"],
    ),
    "pH_15": (H + "S1,15,3,10\n", 2, ["'pH'", "15", "never clipped"]),
    "greater_than": (H + "S1,7.5,>100,10\n", 2, ["'Na'", ">100"]),
    "two_columns_one_constituent": (
        "sample_id,pH,Na,钠,Cl\nS1,7.5,3,3,10\n",
        1,
        ["'Na'", "'钠'", "both mean Na"],
    ),
    "missing_id_column": ("pH,Na\n7,3\n", None, ["sample id"]),
    "blank_id": (H + "S1,7.5,3,10\n,7.5,3,10\n", 3, ["sample id is blank"]),
    "ragged_row": (H + "S1,7.5,3,10,99\n", None, ["cannot read"]),
    "inapplicable_unit": ("sample_id,pH,SiO2 (meq/L)\nS1,7.5,3\n", 1, ["SiO2", "meq/L"]),
    "over_range": (H + "S1,7.5,500000,10\n", 2, ["'Na'", "400000"]),
    "pH_censored": (H + "S1,<2,3,10\n", 2, ["'pH'", "detection"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_raises_input_error_naming_where(tmp_path, case):
    text, row, fragments = BAD[case]
    p = write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    err = exc.value
    assert isinstance(err, CbmwaterError)
    msg = str(err)
    assert str(p) in msg and err.file == str(p)
    if row is not None:
        assert err.row == row
        assert f"row {row}" in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)
    assert "Traceback" not in msg


def test_sample_id_with_line_break_is_refused_in_xlsx(tmp_path):
    p = write_xlsx(
        tmp_path, [["sample_id", "pH", "Na"], ["ok", 7.0, 1.0], [f"S1\n{INJECTION}", 7.0, 1.0]]
    )
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    assert exc.value.row == 3 and exc.value.column == "sample_id"


def test_xlsx_error_row_numbers(tmp_path):
    p = write_xlsx(
        tmp_path, [["sample_id", "pH", "Na"], ["A", 7.0, 1.0], ["B", 7.0, 2.0], ["C", 7.0, "abc"]]
    )
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    assert exc.value.row == 4 and exc.value.column == "Na"
    assert str(p) in str(exc.value)


def test_gb18030_error_names_chinese_column(tmp_path):
    p = write(tmp_path, "样品编号,pH值,钠离子\n甲,7.5,3\n乙,,4\n", encoding="gb18030")
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    assert exc.value.row == 3 and exc.value.column == "pH值"
    assert "pH值" in str(exc.value)


def test_missing_file_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_analyses(tmp_path / "nope.csv")
    p = write(tmp_path, "x", name="lab.json")
    with pytest.raises(InputError, match="unsupported"):
        read_analyses(p)


def test_zero_byte_xlsx_is_an_input_error(tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    assert str(p) in str(exc.value)


def test_require_pH_false_allows_missing_pH(tmp_path):
    a = read_analyses(write(tmp_path, "sample_id,Na\nS1,3\n"), require_pH=False)
    assert a.values.loc["S1", "Na"] == 3 and np.isnan(a.values.loc["S1", "pH"])


# --------------------------------------------------------------------------------------------
# AnalysisSet.from_records


def test_from_records_censoring_and_refusals():
    a = AnalysisSet.from_records([{"sample_id": "A", "pH": 7.0, "Na": 10, "F": "<0.1"}])
    assert a.values.loc["A", "F"] == 0.1 and a.censored.loc["A", "F"]
    assert a.resolved()["A":"A"]["F"].iloc[0] == pytest.approx(0.05)
    with pytest.raises(InputError, match="unknown constituent"):
        AnalysisSet.from_records([{"sample_id": "A", "Sodium": 1}])
    with pytest.raises(InputError, match="duplicate"):
        AnalysisSet.from_records([{"sample_id": "A", "Na": 1}, {"sample_id": "A", "Na": 2}])
    with pytest.raises(InputError, match="must be >= 0 and <= 14"):
        AnalysisSet.from_records([{"sample_id": "A", "pH": 14.5}])


def test_fast_and_cell_by_cell_readers_agree(tmp_path, monkeypatch):
    """The column-at-a-time reader must give exactly what the cell-by-cell reader gives."""
    import cbmwater.water.io as io_mod
    from cbmwater.study import BUNDLED_ANALYSES

    extra = tmp_path / "units.csv"
    extra.write_text(
        "样品编号,pH值,水温,钠离子（mg/L）,Ca2+ (mmol/L),HCO3 (meq/L),氨氮,Mn,备注\n"
        "A-1,8.2,18,680,0.2,24.58,1.1,<0.01,first\n"
        "A-2,8.0,,500,0.3,20,0.8L,,\n",
        encoding="utf-8",
    )
    # plain-number columns (one regex over each whole column) with exponents, leading and
    # trailing points and blanks, beside a censored column
    plain = tmp_path / "plain.csv"
    plain.write_text(
        "sample_id,pH,Na,Cl,HCO3,F\nP1,7.5,1.2e3,.5,5.,<0.1\nP2,8,1200,,1E+3,0.4\nP3,7,12.5,3,4,\n",
        encoding="utf-8",
    )
    real_fast = io_mod._read_body_fast
    for path in (BUNDLED_ANALYSES, extra, plain):
        used = []
        monkeypatch.setattr(
            io_mod,
            "_read_body_fast",
            lambda *a, used=used, **k: used.append(real_fast(*a, **k)) or used[-1],
        )
        fast = io_mod.read_analyses(path)
        monkeypatch.undo()
        assert used and used[0] is not None, "the clean file must take the fast path"
        monkeypatch.setattr(io_mod, "_read_body_fast", lambda *a, **k: None)
        slow = io_mod.read_analyses(path)
        monkeypatch.undo()
        pd.testing.assert_frame_equal(fast.values, slow.values)
        pd.testing.assert_frame_equal(fast.censored, slow.censored)
        pd.testing.assert_frame_equal(
            fast.meta.sort_index(axis=1), slow.meta.sort_index(axis=1), check_dtype=False
        )
        assert fast.rows == slow.rows
        assert fast.fingerprint() == slow.fingerprint()
    # hand check of the second file: 0.2 mmol/L Ca = 0.2 x 40.078 mg/L; 0.8L NH4-N is censored
    a = io_mod.read_analyses(extra)
    assert a.values.loc["A-1", "Ca"] == pytest.approx(0.2 * 40.078)
    assert a.censored.loc["A-2", "NH4_N"] and a.values.loc["A-2", "NH4_N"] == 0.8


def test_a_line_break_inside_a_quoted_number_cell_is_the_cell_readers_error(tmp_path):
    """The plain-number check joins a column's cells by newlines: a cell holding a line break
    of its own must not pass it (it gave a ValueError traceback before this test)."""
    p = write(tmp_path, 'sample_id,pH,Na\nA,7.5,"5\n6"\nB,7,3\n')
    with pytest.raises(InputError) as exc:
        read_analyses(p)
    msg = str(exc.value)
    assert "row 2" in msg and "column 'Na'" in msg and "expected a number" in msg
