"""Import water analyses from lab reports (CSV, Excel) into an :class:`AnalysisSet`.

What is understood
------------------
* Headers in Chinese or English, with aliases from :mod:`cbmwater.water.vocabulary`
  (``钠离子``, ``Na+``, ``氯化物``, ``HCO3-``, ``氨氮``, ``矿化度`` ...).
* Units in the header, in brackets (``Na (mg/L)``, ``Ca2+ (mmol/L)``, ``HCO3 [meq/L]``,
  ``钠离子（mg/L）``) or after a slash (``Na/(mg/L)``), or in a *units row* directly below the
  header.  A column with no unit is in the canonical unit (mg/L; deg C; pH units).
* Below-detection cells ``<0.05``, ``＜0.05`` or ``0.05L`` (Chinese lab convention): kept as
  censored (see :mod:`cbmwater.water.analysis` for the policy).  A blank cell = not measured.
* CSV in UTF-8 (with or without BOM) or GB18030/GBK, as Chinese Excel writes it.

What is refused (with file, row, column, value and what is allowed)
-------------------------------------------------------------------
Empty files, unknown columns (with the nearest known name), two columns for one constituent,
text, NaN, infinite or negative numbers (only ``ORP_mV``, a redox potential, may be negative, within
-1000..+1500 mV), decimal commas (``0,05``), values out of physical range,
``>`` values, missing or duplicate sample ids, sample ids with control characters (line breaks,
tabs), blank rows inside the table, missing pH.  Nothing is dropped, clipped or guessed.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO, TypeAlias, cast

import numpy as np
import pandas as pd

from ..archives import check_sheet_cells, open_zip, read_upload, verify_zip
from ..errors import InputError
from ..i18n import Message, Text, joined, named
from .analysis import VALID_RANGES, AnalysisSet, check_iron_split, check_range
from .cells import parse_cell
from .units import allowed_units, parse_unit, to_canonical, unit_not_for
from .vocabulary import ANALYTES, CONSTITUENTS, METADATA_COLUMNS, lookup

__all__ = [
    "read_analyses",
    "read_table",
    "read_analyses_chunks",
    "STREAM_SUFFIXES",
    "read_body",
    "table_layout",
    "TableLayout",
    "parse_cell",
    "parse_header",
    "write_analyses",
    "source_name",
    "Source",
]

_BRACKET_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[{](?P<unit>[^()\[\]{}]*)[)\]}]\s*$")
_SLASH_UNIT = re.compile(r"^(?P<name>.*?)\s*/\s*(?P<unit>[^/]*/?[^/]*)$")
_SAFE_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")
#: Readings that are never "below a detection limit" (a meter reading, not a concentration).
_NOT_CENSORABLE = ("pH", "temp_C", "ORP_mV")


def _known_names() -> list[str]:
    names = list(METADATA_COLUMNS) + list(ANALYTES)
    for c in CONSTITUENTS.values():
        names += list(c.aliases)
    return names


def parse_header(
    header: object,
    *,
    file: str | None = None,
    column_number: int | None = None,
    row: int | None = None,
) -> tuple[str, str | None, float]:
    """Split a header into (canonical name, unit id or None, species factor).

    The unit is taken from a trailing bracket or ``/unit`` only if it is a known unit, so
    ``COD(Cr)`` and ``氨氮(以N计)`` keep their brackets as part of the name.  ``row`` is the
    header's row in the file (1), named in errors.
    """
    text = unicodedata.normalize("NFKC", str(header)).strip()
    where = Text.of("water.column_number", n=column_number) if column_number is not None else None
    if not _SAFE_ID.match(text) and text:
        raise InputError(
            Text.of("water.error.header_unsafe"),
            file=file,
            row=row,
            column=where,
            value=header,
        )
    if not text:
        raise InputError(
            Text.of("water.error.header_empty"),
            file=file,
            row=row,
            column=where,
        )
    name, unit = text, None
    for pattern in (_BRACKET_UNIT, _SLASH_UNIT):
        m = pattern.match(text)
        if m:
            u = parse_unit(m.group("unit"))
            stem = m.group("name").strip().rstrip("/").rstrip()  # "Na/(mg/L)" -> "Na"
            if u is not None and stem:
                name, unit = stem, u
                break
    # ρ(Na+) style headers used in Chinese papers
    m = re.match(r"^[ρc]\((.*)\)$", name)
    if m and lookup(m.group(1)):
        name = m.group(1)
    found = lookup(name)
    if found is None:
        close = difflib.get_close_matches(name, _known_names(), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        known = f"{', '.join(METADATA_COLUMNS)}, {', '.join(ANALYTES)}"
        raise InputError(
            f"unknown column {name!r}{hint} Known columns: {known} (or their Chinese/English "
            "aliases)",
            file=file,
            row=row,
            column=str(header),
            msg=Message(
                "error.unknown_column",
                {
                    "name": repr(name),
                    "hint": Message(
                        "error.did_you_mean",
                        {
                            "names": Message(
                                f"list.or.{len(close)}",
                                {f"a{i}": repr(c) for i, c in enumerate(close)},
                            )
                        },
                    )
                    if close
                    else "",
                    "known": known,
                },
            ),
        )
    canonical, factor = found
    if unit is not None and canonical in METADATA_COLUMNS:
        raise InputError(
            Text.of("water.error.text_no_unit", name=named("water.meta", canonical)),
            file=file,
            row=row,
            column=str(header),
        )
    if unit is not None and unit not in allowed_units(canonical):
        raise InputError(
            unit_not_for(unit, canonical),
            file=file,
            row=row,
            column=str(header),
        )
    if factor != 1.0 and unit in ("mmol/L", "meq/L"):
        factor = 1.0  # one mole of NH4+ is one mole of N: molar units need no species factor
    return canonical, unit, factor


#: What :func:`read_analyses` and :func:`read_table` accept as a lab file.
Source: TypeAlias = str | os.PathLike | bytes | bytearray | BinaryIO | TextIO | pd.DataFrame

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: Excel 97-2003 .xls


def _xls_message() -> Text:
    """Why an Excel 97-2003 workbook is refused, and what to do."""
    return Text.of("water.error.xls")


def source_name(source: object) -> str:
    """The name a lab-file source is reported by in messages: its path, a file object's
    ``name``, ``<bytes>`` or ``<DataFrame>``."""
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    if isinstance(source, pd.DataFrame):
        return "<DataFrame>"
    if isinstance(source, (bytes, bytearray)):
        return "<bytes>"
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) and name else "<file object>"


def _frame_as_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame given in Python as the text cells a file would hold: header row first, blank
    for NaN/None, numbers written exactly (``repr`` of the float)."""

    def cell(v: object) -> str:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
            return ""
        if isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, (float, np.floating)):
            return repr(float(v))
        return str(v)

    header = [cell(c) for c in df.columns]
    body = [[cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    return pd.DataFrame([header] + body, dtype=str)


def _source_bytes(source: object, name: str) -> bytes:
    """The bytes of a bytes/file-like source (text file objects are encoded as UTF-8)."""
    if isinstance(source, (bytes, bytearray)):
        return read_upload(source, name)
    read = getattr(source, "read", None)
    if read is None:
        raise InputError(
            Text.of("water.error.source_type", kind=type(source).__name__),
            file=name,
        )
    return read_upload(cast(BinaryIO, source), name)


def read_table(source: Source, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV or Excel lab file as text cells (no type guessing), header in row 1.

    Parameters
    ----------
    source : str, os.PathLike, bytes, file object or pandas.DataFrame
        A path to a ``.csv``/``.txt``/``.tsv``/``.xlsx``/``.xlsm`` file; the file's bytes; an
        open file (binary or text); or a DataFrame whose columns are the header.  Bytes and
        file objects are taken as an Excel workbook when they start as a zip archive does, else
        as CSV text.
    sheet : str or int, optional
        Excel sheet (default: the first).

    Returns
    -------
    pandas.DataFrame
        Text cells; row 0 is the header.

    Raises
    ------
    InputError
        A missing, unreadable, empty or ``.xls`` file, naming it; an upload (bytes or file
        object) above :data:`cbmwater.archives.MAX_UPLOAD_BYTES`; an ``.xlsx`` refused by the
        archive checks of :mod:`cbmwater.archives` (a zip bomb, a forged or encrypted member,
        a sheet of more than :data:`cbmwater.archives.MAX_SHEET_CELLS` cells), before it is
        parsed.
    """
    name = source_name(source)
    if isinstance(source, pd.DataFrame):
        if source.columns.empty:
            raise InputError(Text.of("water.error.frame_no_columns"), file=name)
        return _frame_as_cells(source)
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if not p.exists():
            raise InputError(Text.of("error.file_not_found"), file=name)
        if p.is_dir():
            raise InputError(Text.of("water.error.is_folder"), file=name)
        suffix = p.suffix.lower()
        if suffix == ".xls":
            raise InputError(_xls_message(), file=name)
        if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv"):
            raise InputError(
                Text.of(
                    "water.error.file_type",
                    suffix=suffix,
                    allowed=joined([".csv", ".txt", ".tsv", ".xlsx", ".xlsm"]),
                ),
                file=name,
            )
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(
                Text.of("water.error.cannot_read", why=str(exc.strerror or exc)), file=name
            ) from None
        excel = suffix in (".xlsx", ".xlsm")
        tsv = suffix == ".tsv"
    else:
        data = _source_bytes(source, name)
        if data.startswith(_XLS_MAGIC):
            raise InputError(_xls_message(), file=name)
        excel = data.startswith(_XLSX_MAGIC)
        tsv = name.lower().endswith(".tsv")
    if excel:
        _check_workbook(data, name)
    try:
        if excel:
            df = pd.read_excel(
                io.BytesIO(data),
                sheet_name=sheet if sheet is not None else 0,
                dtype=str,
                header=None,
                keep_default_na=False,
            )
        else:
            df = _read_csv_text(data, name, tsv=tsv)
    except pd.errors.EmptyDataError:
        raise InputError(Text.of("water.error.empty_file"), file=name) from None
    except (ValueError, OSError, pd.errors.ParserError, csv.Error, zipfile.BadZipFile) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(Text.of("water.error.cannot_read", why=str(exc)), file=name) from None
    if df.empty or df.shape[0] < 1:
        raise InputError(Text.of("water.error.empty_file"), file=name)
    return df


def _check_workbook(data: bytes, name: str) -> None:
    """Refuse an ``.xlsx`` that is a zip bomb, forged, or declares too many cells, before pandas
    and openpyxl inflate it (see :mod:`cbmwater.archives`)."""
    with open_zip(data, name) as zf:
        verify_zip(zf, name, zf.infolist())
        check_sheet_cells(zf, name)


#: pandas.read_csv options that give every cell as its text (no header, no NaN guessing) and
#: keep blank lines, so row numbers stay those a spreadsheet shows: the whole-file reader, the
#: streamed chunks and the basin parts all read cells so
_CELLS = {
    "dtype": str,
    "header": None,
    "keep_default_na": False,
    "engine": "c",
    "skip_blank_lines": False,
}


def csv_cells(text: str, sep: str) -> pd.DataFrame:
    """The text cells of CSV ``text``, every one a string, no header.  Blank lines are kept
    (not skipped) so that row numbers stay those a spreadsheet shows."""
    return pd.read_csv(io.StringIO(text), sep=sep, **_CELLS)


def _read_csv_text(data: bytes, name: str, *, tsv: bool = False) -> pd.DataFrame:
    """Decode a CSV (UTF-8 with or without BOM, else GB18030) and parse it as text cells.

    The delimiter is sniffed on the whole start of the file, not on its first physical line, so
    a quoted header cell holding a line break cannot derail it (the cell is then refused by
    :func:`parse_header` with its column named); a file that gives the sniffer no choice is read
    as comma-separated (tab-separated for a ``.tsv``).
    """
    if not data.strip():
        raise InputError(Text.of("water.error.empty_file"), file=name)
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InputError(Text.of("water.error.cannot_decode"), file=name)
    try:
        sep = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        sep = "\t" if tsv else ","
    # read_analyses refuses a blank row inside the table, and trailing ones are dropped here.
    df = csv_cells(text, sep).fillna("")
    blank = df.apply(lambda c: c.astype(str).str.strip().eq("")).all(axis=1).to_numpy()
    last = len(blank)
    while last > 0 and blank[last - 1]:
        last -= 1
    return df.iloc[:last]


def _is_units_row(cells: list[str]) -> bool:
    texts = [str(c).strip() for c in cells]
    nonblank = [t for t in texts if t]
    if not nonblank:
        return False
    return all(
        parse_unit(t) is not None or t.casefold() in ("unit", "units", "单位") for t in nonblank
    ) and any(parse_unit(t) not in (None, "-") for t in nonblank)


def read_analyses(
    path: Source,
    sheet: str | int | None = None,
    *,
    require_pH: bool = True,
) -> AnalysisSet:
    """Read a lab report of water analyses into canonical units.

    Parameters
    ----------
    path : str, os.PathLike, bytes, file object or pandas.DataFrame
        A ``.csv`` (UTF-8 or GB18030) or Excel file, its bytes, an open file, or a DataFrame
        (see :func:`read_table`); header in the first row, optionally a row of units under it;
        one sample per row.
    sheet : str or int, optional
        Excel sheet (default: the first).
    require_pH : bool
        Refuse samples without pH (PHREEQC needs it).  Default True.

    Returns
    -------
    AnalysisSet
        Values in mg/L (canonical units), censored flags, metadata, source rows.

    Raises
    ------
    InputError
        Naming file, row, column, value and what is allowed; see the module docstring.
    """
    name = source_name(path)
    raw = read_table(path, sheet)
    layout, body = table_layout(raw, name, require_pH=require_pH)
    if len(body) == 0:
        raise InputError(Text.of("water.error.no_samples"), file=name)
    return read_body(body, layout, layout.first_data_row)


@dataclass(frozen=True)
class TableLayout:
    """What the header (and units row) of a lab file say: per column its canonical name, unit
    and species factor; the header texts; the row of the first sample (2, or 3 under a units
    row)."""

    name: str
    header: list[str]
    columns: dict[int, tuple[str, str | None, float]]
    seen: dict[str, str]
    first_data_row: int
    require_pH: bool


def table_layout(
    raw: pd.DataFrame, name: str, *, require_pH: bool = True
) -> tuple[TableLayout, pd.DataFrame]:
    """Parse the header row (and a units row under it) of the text cells ``raw``
    (:func:`read_table`); returns the layout and the body rows below them."""
    header = list(raw.iloc[0])
    body = raw.iloc[1:]
    first_data_row = 2
    units_from_row: dict[int, str] = {}
    if len(body) and _is_units_row(list(body.iloc[0])):
        for j, cell in enumerate(body.iloc[0]):
            u = parse_unit(str(cell))
            if u is not None and str(cell).strip():
                units_from_row[j] = u
        body = body.iloc[1:]
        first_data_row = 3

    columns: dict[int, tuple[str, str | None, float]] = {}
    seen: dict[str, str] = {}
    for j, h in enumerate(header):
        canonical, unit, factor = parse_header(h, file=name, column_number=j + 1, row=1)
        if canonical in seen:
            raise InputError(
                Text.of(
                    "water.error.duplicate_column",
                    first=seen[canonical],
                    second=str(h),
                    name=named("param", canonical),
                ),
                file=name,
                row=1,
                column=str(h),
            )
        seen[canonical] = str(h)
        if j in units_from_row:
            if unit is not None and unit != units_from_row[j]:
                raise InputError(
                    Text.of("water.error.unit_disagrees", unit=unit, row_unit=units_from_row[j]),
                    file=name,
                    row=2,
                    column=str(h),
                )
            unit = units_from_row[j]
            if canonical in METADATA_COLUMNS:
                unit = None
            elif unit not in allowed_units(canonical):
                raise InputError(
                    unit_not_for(str(unit), canonical),
                    file=name,
                    row=2,
                    column=str(h),
                )
        columns[j] = (canonical, unit, factor)

    if "sample_id" not in seen:
        raise InputError(
            Text.of("water.error.no_id_column"),
            file=name,
        )
    if require_pH and "pH" not in seen:
        raise InputError(Text.of("water.error.no_ph_column"), file=name)
    layout = TableLayout(name, [str(h) for h in header], columns, seen, first_data_row, require_pH)
    return layout, body


def read_body(
    body: pd.DataFrame,
    layout: TableLayout,
    first_row: int,
    earlier: Mapping[str, int] | None = None,
) -> AnalysisSet:
    """Read sample rows (text cells) whose first is spreadsheet row ``first_row``.

    ``earlier`` maps sample ids already read (by an earlier chunk of the same file) to their
    rows; an id repeated from it is refused like a duplicate within ``body``.
    """
    name, columns, seen, require_pH = layout.name, layout.columns, layout.seen, layout.require_pH
    header = layout.header
    prior: Mapping[str, int] = earlier if earlier is not None else {}
    fast = _read_body_fast(body, columns, first_row, name, require_pH)
    if fast is not None and not any(sid in prior for sid in fast.rows):
        return check_iron_split(fast, seen)
    # The cell-by-cell reader: it raises the first problem in row order with its place.
    ids: list[str] = []
    rows: dict[str, int] = {}
    vals: list[dict[str, float]] = []
    cens: list[dict[str, bool]] = []
    meta: list[dict[str, str]] = []
    for i, (_, r) in enumerate(body.iterrows()):
        rownum = first_row + i
        cells = [str(c) for c in r]
        if all(not c.strip() for c in cells):
            raise InputError(Text.of("water.error.empty_row"), file=name, row=rownum)
        row_v: dict[str, float] = {}
        row_c: dict[str, bool] = {}
        row_m: dict[str, str] = {}
        sid = None
        for j, cell in enumerate(cells):
            canonical, unit, factor = columns[j]
            hdr = str(header[j])
            if canonical in METADATA_COLUMNS:
                text = unicodedata.normalize("NFKC", cell).strip()
                if not _SAFE_ID.match(text) and text:
                    raise InputError(
                        Text.of("water.error.text_unsafe"),
                        file=name,
                        row=rownum,
                        column=hdr,
                        value=cell,
                    )
                if canonical == "sample_id":
                    sid = text
                elif text:
                    row_m[canonical] = text
                continue
            v, c = parse_cell(
                cell,
                file=name,
                row=rownum,
                column=hdr,
                allow_negative=VALID_RANGES[canonical][0] < 0,
            )
            if v is None:
                continue
            v = to_canonical(v * factor, canonical, unit or allowed_units(canonical)[0])
            check_range(canonical, v, file=name, row=rownum, column=hdr, cell=cell)
            if c and canonical in _NOT_CENSORABLE:
                raise InputError(
                    Text.of("water.error.not_censorable", name=named("param", canonical)),
                    file=name,
                    row=rownum,
                    column=hdr,
                    value=cell,
                )
            row_v[canonical], row_c[canonical] = v, c
        if not sid:
            raise InputError(
                Text.of("water.error.id_blank"), file=name, row=rownum, column=seen["sample_id"]
            )
        if sid in rows or sid in prior:
            raise InputError(
                Text.of("water.error.id_duplicate", sid=sid, first=rows.get(sid) or prior[sid]),
                file=name,
                row=rownum,
                column=seen["sample_id"],
                value=sid,
            )
        if require_pH and "pH" not in row_v:
            raise InputError(
                Text.of("water.error.ph_missing"),
                file=name,
                row=rownum,
                column=seen["pH"],
            )
        rows[sid] = rownum
        ids.append(sid)
        vals.append(row_v)
        cens.append(row_c)
        meta.append(row_m)
    index = pd.Index(ids, name="sample_id")
    meta_df = pd.DataFrame(meta, index=index)
    return check_iron_split(
        AnalysisSet(
            pd.DataFrame(vals, index=index),
            pd.DataFrame(cens, index=index),
            meta_df,
            source=name,
            rows=rows,
        ),
        seen,
    )


#: File types :func:`read_analyses_chunks` streams (CSV text).
STREAM_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv", ".parquet")


def _file_encoding(path: Path, name: str) -> str:
    """The encoding of a CSV file (UTF-8 with or without BOM, else GB18030), found by decoding
    it block by block, so the file is never held whole; refuses an empty or undecodable file."""
    for enc in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(enc)()
        blank = True
        try:
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    blank = blank and not block.strip()
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise InputError(
                Text.of("water.error.cannot_read", why=str(exc.strerror or exc)), file=name
            ) from None
        if blank:
            raise InputError(Text.of("water.error.empty_file"), file=name)
        return enc
    raise InputError(Text.of("water.error.cannot_decode"), file=name)


def read_analyses_chunks(
    path: str | os.PathLike[str], *, chunk_rows: int = 20000, require_pH: bool = True
) -> Iterator[tuple[AnalysisSet, float]]:
    """Read a CSV (or Parquet) lab file ``chunk_rows`` samples at a time, with the checks of
    :func:`read_analyses` (sample ids unique across chunks, errors naming spreadsheet rows).

    Yields each chunk's :class:`AnalysisSet` and the fraction of the file read so far (bytes of
    a CSV, rows of a Parquet file).  Only the current chunk is held in memory.  A Parquet file's
    column names are the header (the same names and aliases as a CSV's); its cells are read as
    text, so a row is checked exactly as the same row of a CSV would be, and row numbers count
    the header as row 1.
    """
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError(Text.of("error.file_not_found"), file=name)
    if p.suffix.lower() not in STREAM_SUFFIXES:
        raise InputError(
            Text.of("water.error.stream_types", suffixes=joined(STREAM_SUFFIXES)), file=name
        )
    if chunk_rows < 1:
        raise InputError(Text.of("water.error.chunk_rows"), file=name)
    if p.suffix.lower() == ".parquet":
        yield from _analyses_of_chunks(_parquet_chunks(p, name, chunk_rows), name, require_pH)
        return
    size = max(p.stat().st_size, 1)
    enc = _file_encoding(p, name)
    with p.open("rb") as binary, io.TextIOWrapper(binary, encoding=enc, newline="") as text:
        head = text.read(65536)
        text.seek(0)
        try:
            sep = csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
        except csv.Error:
            sep = "\t" if p.suffix.lower() == ".tsv" else ","
        chunks = (
            (chunk, min(binary.tell() / size, 1.0))
            for chunk in _csv_chunks(text, name, sep, chunk_rows)
        )
        yield from _analyses_of_chunks(chunks, name, require_pH)


def _analyses_of_chunks(
    chunks: Iterable[tuple[pd.DataFrame, float]], name: str, require_pH: bool
) -> Iterator[tuple[AnalysisSet, float]]:
    """The checks of :func:`read_analyses_chunks` over text cells, the first chunk with the
    header line: layout from the header, blank rows only at the end, ids unique across chunks."""
    layout: TableLayout | None = None
    earlier: dict[str, int] = {}
    next_row = 1  # spreadsheet row of the next chunk's first line
    held_blank: int | None = None  # row of a blank line that is trailing so far
    for chunk, read in chunks:
        first = next_row
        next_row += len(chunk)
        body = chunk
        if layout is None:
            layout, body = table_layout(chunk, name, require_pH=require_pH)
            first = layout.first_data_row
        blank = body.apply(lambda c: c.astype(str).str.strip().eq("")).all(axis=1).to_numpy()
        if held_blank is not None and not blank.all():
            raise InputError(Text.of("water.error.empty_row"), file=name, row=held_blank)
        last = len(blank)
        while last > 0 and blank[last - 1]:
            last -= 1
        if last < len(blank) and held_blank is None:
            held_blank = first + last
        if last == 0:
            continue
        analyses = read_body(body.iloc[:last], layout, first, earlier)
        earlier.update(analyses.rows)
        yield analyses, read
    if layout is None:
        raise InputError(Text.of("water.error.empty_file"), file=name)
    if not earlier:
        raise InputError(Text.of("water.error.no_samples"), file=name)


def _parquet_cell(values: pd.Series) -> pd.Series:
    """A Parquet column as the text a CSV cell would hold ("" for null; 313 not 313.0 for a
    whole float, so ids and numbers read back as they were written)."""
    if pd.api.types.is_float_dtype(values.dtype):
        text = values.map(
            lambda v: "" if v != v else (f"{v:.0f}" if float(v).is_integer() else repr(float(v)))
        )
        return text.astype(object)
    return values.astype(object).where(values.notna(), "").map(str)


def _parquet_chunks(path: Path, name: str, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, float]]:
    """The text cells of a Parquet file, ``chunk_rows`` rows at a time, the header (its column
    names) as the first line of the first chunk, with the fraction of rows read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(Text.of("water.error.parquet", why=str(exc)), file=name) from None
    total = max(f.metadata.num_rows, 1)
    header = pd.DataFrame([[str(c) for c in f.schema_arrow.names]], dtype=object)
    done = 0
    yield_header = True
    try:
        for batch in f.iter_batches(batch_size=chunk_rows):
            frame = batch.to_pandas()
            cells = pd.DataFrame({i: _parquet_cell(frame[c]) for i, c in enumerate(frame.columns)})
            if yield_header:
                cells = pd.concat([header, cells], ignore_index=True)
                yield_header = False
            done += len(frame)
            yield cells, min(done / total, 1.0)
    except pa.ArrowException as exc:
        raise InputError(Text.of("water.error.parquet", why=str(exc)), file=name) from None
    if yield_header:  # no rows: the header alone
        yield header, 1.0


def _csv_chunks(text: TextIO, name: str, sep: str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The text cells of a CSV, ``chunk_rows`` lines at a time (one more in the first chunk, for
    the header); blank lines kept so row numbers stay a spreadsheet's."""
    try:
        reader = pd.read_csv(text, sep=sep, chunksize=chunk_rows, **_CELLS)
    except pd.errors.EmptyDataError:
        raise InputError(Text.of("water.error.empty_file"), file=name) from None
    size = chunk_rows + 1
    with reader:
        while True:
            try:
                chunk = reader.get_chunk(size)
            except StopIteration:
                return
            except (ValueError, pd.errors.ParserError, csv.Error) as exc:
                raise InputError(
                    Text.of("water.error.cannot_read", why=str(exc)), file=name
                ) from None
            size = chunk_rows
            yield chunk.fillna("")


_FAST_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_FAST_CELL = re.compile(rf"^(?P<lt><)?\s*(?P<num>{_FAST_NUMBER})\s*(?P<L>[Ll])?$")
#: a whole column of blanks and plain numbers, its cells joined by newlines: one regex pass in
#: C instead of one match per cell (possessive, so a failing column is not backtracked)
_PLAIN_COLUMN = re.compile(rf"(?:(?:{_FAST_NUMBER})?\n)*+(?:{_FAST_NUMBER})?")


def _read_body_fast(
    body: pd.DataFrame,
    columns: dict[int, tuple[str, str | None, float]],
    first_data_row: int,
    name: str,
    require_pH: bool,
) -> AnalysisSet | None:
    """Column-at-a-time reading of a clean table; None as soon as anything needs a closer look.

    Only plain ASCII numbers, ``<dl`` and ``dlL`` and blanks are taken here; every other cell,
    and every row-level problem, sends the whole table to the cell-by-cell reader, which gives
    the same values for clean tables and the exact error for the others.
    """
    n = len(body)
    vals: dict[str, np.ndarray] = {}
    cens: dict[str, np.ndarray] = {}
    meta: dict[str, list[str]] = {}
    nonblank_any = np.zeros(n, dtype=bool)
    ids: list[str] | None = None
    for j, (canonical, unit, factor) in columns.items():
        col = body.iloc[:, j].astype(str)
        if not col.str.isascii().all():
            if canonical not in METADATA_COLUMNS:
                return None
            col = col.map(lambda c: unicodedata.normalize("NFKC", c))
        text = col.str.strip()
        blank = text.eq("").to_numpy()
        nonblank_any |= ~blank
        if canonical in METADATA_COLUMNS:
            if not text[~blank].map(lambda t: bool(_SAFE_ID.match(t))).all():
                return None
            if canonical == "sample_id":
                ids = text.tolist()
            else:
                meta[canonical] = text.tolist()
            continue
        cells = text.tolist()
        joined = "\n".join(cells)
        # (a quoted cell may hold a line break of its own: then the column is not plain)
        if joined.count("\n") == n - 1 and _PLAIN_COLUMN.fullmatch(joined):
            # blanks and plain numbers only: nothing censored, every non-blank cell a number
            matched = ~blank
            lt = trailing_l = np.zeros(n, dtype=bool)
            number = np.array([float(c) if c else np.nan for c in cells], dtype=float)
        else:
            parts = text.str.extract(_FAST_CELL)
            matched = parts["num"].notna().to_numpy()
            if (~blank & ~matched).any():
                return None
            lt = parts["lt"].notna().to_numpy()
            trailing_l = parts["L"].notna().to_numpy()
            if (lt & trailing_l).any():
                return None
            number = pd.to_numeric(parts["num"], errors="coerce").to_numpy(dtype=float)
        censored = lt | trailing_l
        if (censored & (number == 0)).any():
            return None
        if censored.any() and canonical in _NOT_CENSORABLE:
            return None
        converted = (
            number * factor * to_canonical(1.0, canonical, unit or allowed_units(canonical)[0])
        )
        lo, hi = VALID_RANGES[canonical]
        ok = np.isnan(converted) | ((converted >= lo) & (converted <= hi))
        if not ok.all():
            return None
        vals[canonical] = converted
        cens[canonical] = censored & matched
    if not nonblank_any.all() or ids is None:
        return None
    if any(not s for s in ids) or len(set(ids)) != len(ids):
        return None
    if require_pH and ("pH" not in vals or np.isnan(vals["pH"]).any()):
        return None
    index = pd.Index(ids, name="sample_id")
    values = pd.DataFrame(vals, index=index)
    meta_df = pd.DataFrame(
        {k: [t if t else np.nan for t in v] for k, v in meta.items()}, index=index
    ).dropna(axis=1, how="all")
    rows = {sid: first_data_row + i for i, sid in enumerate(ids)}
    return AnalysisSet(values, pd.DataFrame(cens, index=index), meta_df, source=name, rows=rows)


def write_analyses(analyses: AnalysisSet, path: str | Path) -> None:
    """Write the canonical table (mg/L; censored as ``<DL``) to CSV or Excel by extension."""
    df = analyses.to_frame()
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        df.to_excel(p, index=False)
    else:
        df.to_csv(p, index=False)
