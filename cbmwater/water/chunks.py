"""A large lab file split into parts that separate processes read and check on their own.

The parent process only *plans* (:func:`plan_parts`): it reads the header (and a units row) as
:func:`cbmwater.water.io.read_analyses` does, and cuts the rest of the file into parts of
``chunk_rows`` rows -- byte ranges of a CSV ending on a line break outside quotes, row ranges of
a Parquet file.  A worker reads one part (:func:`read_part`): it parses the text cells, checks
them with :func:`cbmwater.water.io.read_body` (QA of every cell, plausible ranges, units,
Chinese headers) and names errors with the part's rows in the whole file.

What a part cannot see -- a sample id repeated from an earlier part, a blank row at the end of
one part followed by samples in the next -- is checked by the parent from what
:class:`PartRead` reports (:class:`PartChecker`): 64-bit hashes of the ids (16 bytes per sample
with their rows; a hash match is confirmed on the ids themselves before it is called a
duplicate), the part's trailing blank rows and the number of rows it really held (a quoted cell
holding a line break makes rows and lines differ; a part whose first row was then assumed wrong
is read again with the right one).  Errors come in the order the whole-file reader gives them.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Text, joined
from .analysis import AnalysisSet
from .io import (
    STREAM_SUFFIXES,
    TableLayout,
    _parquet_cell,
    csv_cells,
    read_body,
    table_layout,
)

__all__ = ["LabPlan", "Part", "PartRead", "PartChecker", "plan_parts", "read_part", "part_ids"]

_BLOCK = 1 << 22  # bytes scanned at a time while planning (4 MB)
_NEWLINE, _QUOTE = 10, 34
_LINE_IN_ERROR = re.compile(r"(line )(\d+)")


@dataclass(frozen=True)
class Part:
    """One part of a lab file: rows ``first_row`` .. of the file (spreadsheet numbering, the
    header is row 1), bytes ``start``..``stop`` of a CSV or data rows ``start``..``stop`` of a
    Parquet file (0 = the first row after the header), and the fraction of the file read when
    it is done."""

    index: int
    first_row: int
    start: int
    stop: int
    fraction: float


@dataclass(frozen=True)
class LabPlan:
    """What the parent learned from a lab file's header: enough for a worker to read a part."""

    path: str
    name: str
    kind: str  # "csv" or "parquet"
    layout: TableLayout
    encoding: str = "utf-8"
    sep: str = ","
    parts: tuple[Part, ...] = ()


@dataclass
class PartRead:
    """What a worker read from a part: the analyses of its samples (None when the part holds
    only blank rows or raised), the rows it held (blank ones included), the first trailing
    blank row (None if none), the hashes of the sample ids of its samples in row order (up to
    the row of ``error``), and the error the part raised."""

    part: Part
    analyses: AnalysisSet | None
    rows: int
    trailing_blank: int | None
    id_hashes: np.ndarray
    error: InputError | None = None


def _hash_ids(ids: list[str]) -> np.ndarray:
    return pd.util.hash_array(np.asarray(ids, dtype=object)).astype(np.uint64)


def _scan_csv(path: Path, name: str, size: int) -> tuple[str, np.ndarray]:
    """The file's encoding (UTF-8 with or without BOM, else GB18030, as
    :func:`cbmwater.water.io.read_analyses` decides it on the whole text) and the byte offsets
    just after each line break that ends a record (an even number of quotes before it)."""
    ends: list[np.ndarray] = []
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    utf8, blank = True, True
    quotes = 0
    offset = 0
    try:
        with path.open("rb") as f:
            while block := f.read(_BLOCK):
                blank = blank and not block.strip()
                if utf8:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8 = False
                arr = np.frombuffer(block, dtype=np.uint8)
                lines = np.flatnonzero(arr == _NEWLINE)
                if b'"' in block:
                    before = np.cumsum(arr == _QUOTE)[lines] + quotes
                    quotes += int(block.count(b'"'))
                    lines = lines[before % 2 == 0]
                ends.append(lines.astype(np.int64) + offset + 1)
                offset += len(block)
            if utf8:
                decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    except OSError as exc:
        raise InputError(
            Text.of("water.error.cannot_read", why=str(exc.strerror or exc)), file=name
        ) from None
    if blank:
        raise InputError(Text.of("water.error.empty_file"), file=name)
    if not utf8:
        gb = codecs.getincrementaldecoder("gb18030")()
        try:
            with path.open("rb") as f:
                while block := f.read(_BLOCK):
                    gb.decode(block)
                gb.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError(Text.of("water.error.cannot_decode"), file=name) from None
    found = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    if not len(found) or found[-1] != size:
        found = np.append(found, size)  # the last line needs no line break
    return ("utf-8-sig" if utf8 else "gb18030"), found


def _cells(text: str, sep: str, name: str, first_row: int) -> pd.DataFrame:
    """Text cells of CSV lines, as :func:`cbmwater.water.io.read_table` parses them."""
    try:
        df = csv_cells(text, sep)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (ValueError, pd.errors.ParserError, csv.Error) as exc:
        shifted = _LINE_IN_ERROR.sub(lambda m: f"{m[1]}{int(m[2]) + first_row - 1}", str(exc))
        raise InputError(Text.of("water.error.cannot_read", why=shifted), file=name) from None
    return df.fillna("")


def plan_parts(
    path: str | os.PathLike[str],
    *,
    chunk_rows: int = 20000,
    require_pH: bool = True,
    spread: int = 1,
) -> LabPlan:
    """Read the header of a CSV or Parquet lab file and cut its rows into parts.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.txt``, ``.tsv`` (UTF-8 or GB18030) or ``.parquet`` lab file.
    chunk_rows : int
        Rows per part (a part's rows are lines of the file, blank ones included).
    require_pH : bool
        Refuse a file without a pH column (and samples without pH, in :func:`read_part`).
    spread : int
        Cut a small file into at least this many parts (of at least 500 rows), so that every
        worker has work: a file of 30 000 rows is 8 parts of 3 750 for 2 workers, not parts of
        20 000 and 10 000.

    Returns
    -------
    LabPlan

    Raises
    ------
    InputError
        A missing, empty or undecodable file, or a bad header, as
        :func:`cbmwater.water.io.read_analyses` says it.
    """
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError(Text.of("error.file_not_found"), file=name)
    suffix = p.suffix.lower()
    if suffix not in STREAM_SUFFIXES:
        raise InputError(
            Text.of("water.error.stream_types", suffixes=joined(STREAM_SUFFIXES)), file=name
        )
    if chunk_rows < 1:
        raise InputError(Text.of("water.error.chunk_rows"), file=name)
    if suffix == ".parquet":
        return _plan_parquet(p, name, chunk_rows, require_pH, spread)
    size = p.stat().st_size
    enc, ends = _scan_csv(p, name, size)
    with p.open("rb") as f:
        head = f.read(min(size, 65536 * 4)).decode(enc, errors="ignore")[:65536]
        try:
            sep = csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
        except csv.Error:
            sep = "\t" if suffix == ".tsv" else ","
        f.seek(0)
        top = f.read(int(ends[min(1, len(ends) - 1)])).decode(enc)
    raw = _cells(top, sep, name, 1)
    if raw.empty:
        raise InputError(Text.of("water.error.empty_file"), file=name)
    layout, _ = table_layout(raw, name, require_pH=require_pH)
    h = layout.first_data_row - 1  # records before the data: the header and a units row
    begin = int(ends[h - 1]) if len(ends) >= h else size
    records = ends[h:]
    chunk_rows = _part_rows(len(records), chunk_rows, spread)
    cuts = list(records[chunk_rows - 1 :: chunk_rows])
    if len(records) and (not cuts or cuts[-1] != records[-1]):
        cuts.append(records[-1])
    parts = []
    lo, row = begin, h + 1
    for k, hi in enumerate(cuts):
        parts.append(Part(k, row, lo, int(hi), min(int(hi) / max(size, 1), 1.0)))
        row += chunk_rows
        lo = int(hi)
    return LabPlan(str(p), name, "csv", layout, enc.replace("-sig", ""), sep, tuple(parts))


def _part_rows(rows: int, chunk_rows: int, spread: int) -> int:
    """Rows per part: at most ``chunk_rows``, fewer when that gives ``spread`` parts of at
    least 500 rows."""
    if spread <= 1:
        return chunk_rows
    return max(1, min(chunk_rows, max(500, -(-rows // spread))))


def _plan_parquet(p: Path, name: str, chunk_rows: int, require_pH: bool, spread: int) -> LabPlan:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(p)
        total = f.metadata.num_rows
        header = pd.DataFrame([[str(c) for c in f.schema_arrow.names]], dtype=object)
        if total:
            top = next(f.iter_batches(batch_size=1)).to_pandas()
            header = pd.concat(
                [header, pd.DataFrame({i: _parquet_cell(top[c]) for i, c in enumerate(top)})],
                ignore_index=True,
            )
    except (pa.ArrowException, OSError) as exc:
        raise InputError(Text.of("water.error.parquet", why=str(exc)), file=name) from None
    layout, _ = table_layout(header, name, require_pH=require_pH)
    skip = layout.first_data_row - 2  # a units row is the first Parquet row
    chunk_rows = _part_rows(total - skip, chunk_rows, spread)
    parts = []
    for k, lo in enumerate(range(skip, total, chunk_rows)):
        hi = min(lo + chunk_rows, total)
        parts.append(Part(k, lo + 2, lo, hi, hi / max(total, 1)))
    return LabPlan(str(p), name, "parquet", layout, parts=tuple(parts))


def _part_cells(plan: LabPlan, part: Part) -> pd.DataFrame:
    """The text cells of a part, one column per header column."""
    ncols = len(plan.layout.header)
    if plan.kind == "parquet":
        cells = _parquet_rows(plan, part.start, part.stop)
    else:
        with open(plan.path, "rb") as f:
            f.seek(part.start)
            data = f.read(part.stop - part.start)
        cells = _cells(data.decode(plan.encoding), plan.sep, plan.name, part.first_row)
        if cells.shape[1] > ncols:
            raise InputError(
                Text.of(
                    "water.error.tokenize", ncols=ncols, line=part.first_row, saw=cells.shape[1]
                ),
                file=plan.name,
            )
    for j in range(cells.shape[1], ncols):
        cells[j] = ""
    return cells


def _parquet_rows(plan: LabPlan, start: int, stop: int) -> pd.DataFrame:
    """Rows ``start``..``stop`` of a Parquet file as text cells; only the row groups that hold
    them are decoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(plan.path)
        groups: list[int] = []
        skip, at = 0, 0
        for g in range(f.metadata.num_row_groups):
            n = f.metadata.row_group(g).num_rows
            if at + n > start and at < stop:
                if not groups:
                    skip = start - at
                groups.append(g)
            at += n
        table = f.read_row_groups(groups).slice(skip, stop - start)
        frame = table.to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise InputError(Text.of("water.error.parquet", why=str(exc)), file=plan.name) from None
    return pd.DataFrame({i: _parquet_cell(frame[c]) for i, c in enumerate(frame.columns)})


def _ids(plan: LabPlan, cells: pd.DataFrame) -> list[str]:
    """The sample ids of text cells, as :func:`read_body` reads them."""
    column = next(j for j, c in plan.layout.columns.items() if c[0] == "sample_id")
    return [unicodedata.normalize("NFKC", str(c)).strip() for c in cells.iloc[:, column]]


def read_part(plan: LabPlan, part: Part) -> PartRead:
    """Read and check one part of a lab file (in a worker).

    Every cell is checked as :func:`cbmwater.water.io.read_analyses` checks it; an error is
    returned (not raised) with the hashes of the ids of the rows before it, so the parent can
    report an earlier duplicate id first, as the whole-file reader would.

    Parameters
    ----------
    plan : LabPlan
        From :func:`plan_parts`.
    part : Part
        One of ``plan.parts`` (or a copy with another ``first_row``).

    Returns
    -------
    PartRead

    Raises
    ------
    InputError
        The part cannot be parsed at all (a row with more cells than the header).
    """
    cells = _part_cells(plan, part)
    n = len(cells)
    blank = cells.apply(lambda c: c.astype(str).str.strip().eq("")).all(axis=1).to_numpy()
    last = n
    while last > 0 and blank[last - 1]:
        last -= 1
    trailing = part.first_row + last if last < n else None
    if last == 0:
        return PartRead(part, None, n, trailing, np.zeros(0, dtype=np.uint64))
    body = cells.iloc[:last]
    try:
        analyses = read_body(body, plan.layout, part.first_row)
    except InputError as exc:
        before = (exc.row - part.first_row) if isinstance(exc.row, int) else 0
        before = max(0, min(before, last))
        hashes = _hash_ids(_ids(plan, body.iloc[:before]))
        return PartRead(part, None, n, trailing, hashes, exc)
    return PartRead(part, analyses, n, trailing, _hash_ids(list(analyses.values.index)))


def part_ids(plan: LabPlan, part: Part) -> list[str]:
    """The sample ids of a part's rows, in order (to confirm a hash match)."""
    return _ids(plan, _part_cells(plan, part))


@dataclass
class PartChecker:
    """The parent's checks across parts, fed their :class:`PartRead` in file order.

    Keeps the hashes of every id read so far with their rows (sorted; 16 bytes per sample);
    :meth:`accept` raises the first error the whole-file reader would raise.
    """

    plan: LabPlan
    next_row: int = 0
    held_blank: int | None = None
    samples: int = 0
    _hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    _rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _done: list[tuple[int, Part]] = field(default_factory=list)  # (true first row, part)

    def __post_init__(self) -> None:
        self.next_row = self.next_row or self.plan.layout.first_data_row

    def aligned(self, got: PartRead) -> bool:
        """Whether the part was read with its true first row (else read it again with
        :meth:`realigned`)."""
        return got.part.first_row == self.next_row

    def realigned(self, part: Part) -> Part:
        """The part with the first row the parts before it really ended on."""
        return Part(part.index, self.next_row, part.start, part.stop, part.fraction)

    def accept(self, got: PartRead) -> None:
        """Check a part against the parts before it; raise the first error in row order."""
        first = got.part.first_row
        nonblank = len(got.id_hashes) > 0 or got.error is not None
        if self.held_blank is not None and nonblank:
            raise InputError(
                Text.of("water.error.empty_row"), file=self.plan.name, row=self.held_blank
            )
        self._check_duplicates(got)
        if got.error is not None:
            raise got.error
        if got.trailing_blank is not None and self.held_blank is None:
            self.held_blank = got.trailing_blank
        self._done.append((first, got.part))
        self.next_row = first + got.rows
        self.samples += len(got.id_hashes)
        order = np.argsort(got.id_hashes, kind="stable")
        rows = first + np.arange(len(got.id_hashes), dtype=np.int64)
        merged = np.concatenate([self._hashes, got.id_hashes[order]])
        keep = np.argsort(merged, kind="stable")
        self._rows = np.concatenate([self._rows, rows[order]])[keep]
        self._hashes = merged[keep]

    def _check_duplicates(self, got: PartRead) -> None:
        h = got.id_hashes
        if not len(h) or not len(self._hashes):
            return
        pos = np.minimum(np.searchsorted(self._hashes, h), len(self._hashes) - 1)
        hits = np.flatnonzero(self._hashes[pos] == h)
        if not len(hits):
            return
        ids = part_ids(self.plan, got.part)
        for i in hits:  # in row order: the first true duplicate is the one to name
            at = int(pos[i])
            while at < len(self._hashes) and self._hashes[at] == h[i]:
                earlier = int(self._rows[at])
                if self._id_at(earlier) == ids[i]:
                    raise InputError(
                        Text.of("water.error.id_duplicate", sid=ids[i], first=earlier),
                        file=self.plan.name,
                        row=got.part.first_row + int(i),
                        column=self.plan.layout.seen["sample_id"],
                        value=ids[i],
                    )
                at += 1

    def _id_at(self, row: int) -> str:
        """The sample id of a row read earlier (its part is read again: only on a hash match)."""
        k = bisect.bisect_right([first for first, _ in self._done], row) - 1
        first, part = self._done[k]
        return part_ids(self.plan, part)[row - first]
