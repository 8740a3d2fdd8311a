"""Basin-scale characterisation (issue 15): Parquet lab files in, Parquet records out, chunks
spread over the executor -- the same records as the in-process whole-file path.

Oracle: :func:`cbmwater.characterise` on the same rows as a CSV (itself tested against
hand-written PHREEQC inputs in tests/test_geochem.py)."""

from __future__ import annotations

from pathlib import Path

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
