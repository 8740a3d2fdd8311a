"""Basin-scale characterisation (issue 15): Parquet lab files in, Parquet records out, chunks
spread over the executor -- the same records as the in-process whole-file path.

Oracle: :func:`cbmwater.characterise` on the same rows as a CSV (itself tested against
hand-written PHREEQC inputs in tests/test_geochem.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cbmwater
from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.resources import example_path
from cbmwater.study.water import characterise_chunks
from tests.test_streaming import big_lab_file


def as_parquet(csv: Path, path: Path) -> Path:
    """The CSV's rows as a typed Parquet file, as pandas writes it (numbers as float64, ids and
    names as text, empty cells as nulls)."""
    pd.read_csv(csv, dtype={"sample_id": str, "well": str, "block": str, "seam": str}).to_parquet(
        path, index=False
    )
    return path


def streamed(path: Path, **kw: object) -> pd.DataFrame:
    return pd.concat(characterise_chunks(path, **kw), ignore_index=True)  # type: ignore[arg-type]


def test_parquet_lab_file_gives_the_csv_records(tmp_path: Path) -> None:
    csv = example_path("qinshui", "analyses.csv")
    got = streamed(as_parquet(csv, tmp_path / "lab.parquet"), chunk_rows=7)
    want = cbmwater.characterise(csv)
    # the records of each sample equal the CSV's (values entered from the same numbers)
    pd.testing.assert_frame_equal(got, want)


def test_a_bad_cell_in_a_parquet_file_names_its_row(tmp_path: Path) -> None:
    frame = pd.read_csv(example_path("qinshui", "analyses.csv"), dtype=str, keep_default_na=False)
    frame.loc[11, "pH"] = "19.5"  # 12th sample: spreadsheet row 13 (header is row 1)
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(InputError) as err:
        streamed(path, chunk_rows=5)
    text = str(err.value)
    assert "bad.parquet" in text and "row 13" in text and "'pH'" in text and "19.5" in text


def test_chunks_spread_over_two_workers_equal_the_in_process_records(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 400)
    calls: list[float] = []
    got = streamed(path, chunk_rows=60, workers=2, progress=lambda m, f: calls.append(f))
    pd.testing.assert_frame_equal(got, cbmwater.characterise(path))
    assert calls == sorted(calls) and calls[-1] == 1.0 and len(calls) >= 7


def test_cli_parquet_out_with_workers(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 300)
    out = tmp_path / "records.parquet"
    res = CliRunner().invoke(
        main,
        ["characterise", str(path), "--out", str(out), "--workers", "2"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    got = pd.read_parquet(out)
    want = cbmwater.characterise(path)
    assert list(got["sample_id"]) == list(want["sample_id"])
    for col in ("pH", "ionic_strength", "tds_mg_L", "si_Calcite", "sar"):
        pd.testing.assert_series_equal(got[col], want[col], check_names=False)
    assert "300 samples characterised" in res.stderr


def test_cli_parquet_needs_out(tmp_path: Path) -> None:
    lab = as_parquet(example_path("qinshui", "analyses.csv"), tmp_path / "lab.parquet")
    res = CliRunner().invoke(main, ["characterise", str(lab)])
    assert res.exit_code == 2 and "Parquet lab file is streamed" in res.output
    res = CliRunner().invoke(
        main, ["characterise", str(example_path("qinshui", "analyses.csv")), "--workers", "2"]
    )
    assert res.exit_code == 2 and "--workers and --scheduler need --out" in res.output


# -- the parent plans parts, each part is read and checked on its own (cbmwater.water.chunks) --
# Oracle for every error: the whole-file reader (cbmwater.characterise on the same file), which
# reads the rows in order and raises the first problem; the streamed path must raise the same
# error, with the same global row, column and value, whichever part the problem is in.


def edited(path: Path, edits: dict[int, tuple[str, str]]) -> Path:
    """The lab file with cell ``column`` of spreadsheet row ``row`` set to ``text`` (row 1 is
    the header)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for row, (column, text) in edits.items():
        frame.loc[row - 2, column] = text
    frame.to_csv(path, index=False)
    return path


def same_error(path: Path, **kw: object) -> str:
    with pytest.raises(InputError) as whole:
        cbmwater.characterise(path)
    with pytest.raises(InputError) as parts:
        streamed(path, **kw)
    assert str(parts.value) == str(whole.value)
    return str(parts.value)


def test_a_bad_cell_in_the_middle_of_a_late_part_names_its_row_and_column(tmp_path: Path) -> None:
    path = edited(big_lab_file(tmp_path / "big.csv", 600), {455: ("Ca", "12,5")})
    # parts of 100 rows: rows 2-101, 102-201, ... row 455 is inside the fifth part, read by a
    # worker that knows only its own bytes
    text = same_error(path, chunk_rows=100, workers=2)
    assert "row 455" in text and "column 'Ca'" in text and "12,5" in text


def test_duplicate_ids_across_two_parts_are_refused_in_the_whole_file_order(
    tmp_path: Path,
) -> None:
    path = edited(big_lab_file(tmp_path / "big.csv", 300), {251: ("sample_id", "S0000009")})
    text = same_error(path, chunk_rows=100, workers=2)
    assert "duplicate sample id 'S0000009' (first at row 11)" in text and "row 251" in text
    # a bad cell after the duplicate in the same part: the duplicate comes first ...
    edited(path, {271: ("pH", "abc")})
    assert "duplicate sample id" in same_error(path, chunk_rows=100)
    # ... and a bad cell before it is reported instead
    edited(path, {231: ("pH", "abc")})
    assert "row 231" in same_error(path, chunk_rows=100)


def test_a_hash_match_is_confirmed_on_the_ids(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cbmwater.water import chunks

    real = chunks._hash_ids
    monkeypatch.setattr(chunks, "_hash_ids", lambda ids: real(ids) % np.uint64(7))
    path = big_lab_file(tmp_path / "big.csv", 120)
    # every hash of a later part matches an earlier one, none is a duplicate id
    pd.testing.assert_frame_equal(streamed(path, chunk_rows=25), cbmwater.characterise(path))
    edited(path, {100: ("sample_id", "S0000003")})
    assert "duplicate sample id 'S0000003' (first at row 5)" in same_error(path, chunk_rows=25)


def test_quoted_cells_with_commas_and_line_breaks(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 300)
    # a well name with a comma in a late part: read as the whole-file reader reads it
    edited(path, {260: ("well", "SZ-C191, north pad")})
    assert '"SZ-C191, north pad"' in path.read_text(encoding="utf-8")
    got = streamed(path, chunk_rows=50, workers=2)
    pd.testing.assert_frame_equal(got, cbmwater.characterise(path))
    # a blank cell holding a line break: one row on two lines (accepted as blank, like the
    # whole-file reader); the parts after it start one line later than planned and are read
    # again, so a bad cell further down is still named at its row
    edited(path, {120: ("Mn", "\n")})
    pd.testing.assert_frame_equal(streamed(path, chunk_rows=50), cbmwater.characterise(path))
    edited(path, {280: ("Ca", "-1")})
    assert "row 280" in same_error(path, chunk_rows=50)
    # a sample id holding a line break is refused, at its row
    edited(path, {280: ("Ca", "5"), 200: ("sample_id", "S-1\nS-2")})
    assert "row 200" in same_error(path, chunk_rows=50, workers=2)


def test_a_blank_row_at_the_end_of_a_part_before_more_samples_is_refused(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 200)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(101, "\n")  # spreadsheet row 102: the last row of the first part of 101 lines
    path.write_text("".join(lines) + "\n,,\n", encoding="utf-8")
    assert "row 102" in same_error(path, chunk_rows=101)
    del lines[101]  # blank rows only at the end are dropped, as the whole-file reader does
    path.write_text("".join(lines) + "\n\n", encoding="utf-8")
    pd.testing.assert_frame_equal(streamed(path, chunk_rows=50), cbmwater.characterise(path))


def test_parquet_row_groups_are_read_by_the_parts(tmp_path: Path) -> None:
    csv = big_lab_file(tmp_path / "big.csv", 230)
    frame = pd.read_csv(csv, dtype={"sample_id": str, "well": str, "block": str, "seam": str})
    path = tmp_path / "lab.parquet"
    frame.to_parquet(path, index=False, row_group_size=40)
    got = streamed(path, chunk_rows=30)  # parts that straddle row groups
    pd.testing.assert_frame_equal(got, cbmwater.characterise(csv))
