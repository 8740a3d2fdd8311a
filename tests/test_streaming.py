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
from cbmwater.cli import main
from cbmwater.errors import InputError
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


@pytest.mark.slow
def test_streamed_records_equal_whole_file_30000(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 30_000)
    pd.testing.assert_frame_equal(streamed(path, chunk_rows=5_000), cbmwater.characterise(path))


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
    from cbmwater.study.water import characterise_chunks
    n = sum(len(r) for r in characterise_chunks(sys.argv[1]))
    status = Path("/proc/self/status").read_text().splitlines()
    print(n, next(l.split()[1] for l in status if l.startswith("VmHWM")))
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_streamed_peak_memory_is_bounded(tmp_path: Path) -> None:
    path = big_lab_file(tmp_path / "big.csv", 100_000)
    run = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    n, hwm_kb = map(int, run.stdout.split())
    assert n == 100_000
    assert hwm_kb < 800 * 1024, f"peak resident memory {hwm_kb / 1024:.0f} MB"
