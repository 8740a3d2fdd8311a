"""Large CSV lab files are streamed (issue 13): ``characterise_chunks`` and the CLI
``characterise --out`` read, check and characterise a file chunk by chunk, with progress, in
bounded memory, and give the records of the whole-file path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import cbmwater
from benchmarks.characterise import generate
from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.report.export import records_table
from cbmwater.resources import example_path
from cbmwater.study.water import characterise_chunks

ROOT = Path(__file__).resolve().parents[1]


def big_lab_file(path: Path, n: int) -> Path:
    """``n`` rows of the Qinshui analyses repeated, with new sample ids S0000000, S0000001 ..."""
    src = pd.read_csv(example_path("qinshui", "analyses.csv"), dtype=str, keep_default_na=False)
    big = pd.concat([src] * -(-n // len(src)), ignore_index=True).iloc[:n]
    big["sample_id"] = [f"S{i:07d}" for i in range(n)]
    big.to_csv(path, index=False)
    return path


def streamed(path: Path, **kw: object) -> pd.DataFrame:
    return pd.concat(characterise_chunks(path, **kw), ignore_index=True)  # type: ignore[arg-type]


def test_streamed_records_equal_whole_file(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 700)
    pd.testing.assert_frame_equal(streamed(path, chunk_rows=150), cbmwater.characterise(path))


def test_progress_increases_to_one(tmp_path: Path) -> None:
    # the fraction is of the bytes the CSV parser has read, which reads ahead up to ~256 kB
    path = big_lab_file(tmp_path / "big.csv", 6000)
    calls: list[tuple[str, float]] = []
    streamed(path, chunk_rows=1000, progress=lambda m, f: calls.append((m, f)))
    fractions = [f for _, f in calls]
    assert len(calls) >= 6
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0 < fractions[0] < 0.5
    assert calls[0][0] == "1,000 samples" and calls[-1][0] == "6,000 samples"


def test_units_row_and_gb18030_are_streamed_like_read_analyses(tmp_path: Path) -> None:
    text = "样品编号,pH,钠离子,氯离子\n,,mmol/L,mg/L\n" + "".join(
        f"W{i},7.{i % 10},{i % 7 + 1},{10 + i}\n" for i in range(50)
    )
    path = tmp_path / "lab.csv"
    path.write_bytes(text.encode("gb18030"))
    pd.testing.assert_frame_equal(streamed(path, chunk_rows=7), cbmwater.characterise(path))


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_duplicate_id_in_a_later_chunk_names_both_rows(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 300)
    rows = lines(path)
    rows[250] = rows[250].replace("S0000249", "S0000009", 1)  # spreadsheet row 251; first: 11
    path.write_text("".join(rows), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"duplicate sample id 'S0000009' \(first at row 11\)"
    ) as e:
        streamed(path, chunk_rows=100)
    assert "row 251" in str(e.value)
    with pytest.raises(InputError) as whole:
        cbmwater.characterise(path)
    assert str(whole.value) == str(e.value)


def test_cli_refuses_a_bad_cell_in_a_later_chunk_and_leaves_no_file(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 300)
    rows = lines(path)
    cells = rows[270].split(",")
    cells[5] = "abc"  # pH of spreadsheet row 271
    rows[270] = ",".join(cells)
    path.write_text("".join(rows), encoding="utf-8")
    out = tmp_path / "out" / "records.csv"
    out.parent.mkdir()
    res = CliRunner().invoke(main, ["characterise", str(path), "--out", str(out)])
    assert res.exit_code == 2
    assert "row 271" in res.output and "pH" in res.output
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_streamed_output_equals_stdout_output(tmp_path: Path, fmt: str) -> None:
    path = big_lab_file(tmp_path / "big.csv", 64)
    out = tmp_path / f"records.{fmt}"
    res = CliRunner().invoke(main, ["characterise", str(path), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "[100%] 64 samples" in res.output
    whole = CliRunner().invoke(main, ["characterise", str(path), "--format", fmt])
    written = out.read_text(encoding="utf-8").removeprefix("\ufeff")
    assert written.rstrip("\n") == whole.stdout.rstrip("\n")


MEMORY_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cbmwater.report.export import records_parquet
    from cbmwater.study.water import characterise_chunks
    n = records_parquet(characterise_chunks(sys.argv[1]), Path(sys.argv[2]))
    status = Path("/proc/self/status").read_text().splitlines()
    print(n, next(l.split()[1] for l in status if l.startswith("VmHWM")))
    """
)


@pytest.mark.slow
@pytest.mark.heavy
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_streamed_200000_rows_equal_the_in_memory_records_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Issue 15: a generated 200,000-row file (constructed analyses) streamed chunk by chunk (default chunks, in a
    process of its own whose peak resident memory is read from /proc) gives the records of the
    in-memory whole-file path, row for row.  The streamed records go to Parquet as the CLI's
    ``--out`` writes them (warnings joined to text), so the in-memory records are compared
    after the same join."""
    n_rows = 200_000
    # constructed Qinshui-like Na-HCO3 analyses (benchmarks/characterise.py, seeded): 200,000
    # distinct waters, lighter for PHREEQC than the bundled analyses repeated
    records, _ = generate(n_rows, 20261206)
    path = tmp_path / "big.csv"
    pd.DataFrame(records).to_csv(path, index=False)
    out = tmp_path / "streamed.parquet"
    run = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    n, hwm_kb = map(int, run.stdout.split())
    assert n == n_rows
    # the whole-file path holds every row at once (about 2 GB at 300,000 rows before issue 13)
    assert hwm_kb < 800 * 1024, f"peak resident memory {hwm_kb / 1024:.0f} MB"
    whole = records_table(cbmwater.characterise(path))
    assert len(whole) == n_rows
    # Parquet keeps text columns as pandas strings where the in-memory records hold objects
    pd.testing.assert_frame_equal(pd.read_parquet(out), whole, check_dtype=False)
