"""A result's tables as a formatted Excel workbook (openpyxl): one sheet per table, headers
with units, the header row frozen, column widths and number formats.

Headers come from the ``reports`` catalogue: ``col.<name>`` labels the column and the unit is
read from the column name's suffix (``feed_m3_d`` -> "Feed (m³/d)", ``capex_CNY`` -> "建设投资
（元）"), so a column's unit is the one its name promises.  A column without a label keeps its
name.  Cell values are the table's values; a list is joined with ", " and a mapping written as
JSON (a cell holds one value); NaN and None are empty cells.
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import InputError
from ..i18n import LANGUAGES, Text, catalogue, joined, translate

__all__ = ["UNIT_SUFFIXES", "column_header", "cell_value", "tables_workbook"]

#: Column-name suffixes that carry a unit -> the unit's catalogue code (longest suffix first).
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_CNY_yr", "unit.CNY_yr"),
    ("_m3_d", "unit.m3_d"),
    ("_mg_L", "unit.mg_L"),
    ("_CNY", "unit.CNY"),
    ("_m3", "unit.m3"),
)
#: Number format of a column by its unit code (others: general numbers).
_FORMATS: dict[str | None, str] = {
    "unit.m3_d": "#,##0.0",
    "unit.m3": "#,##0",
    "unit.CNY": "#,##0",
    "unit.CNY_yr": "#,##0",
    "unit.mg_L": "0.000",
    None: "0.####",
}


def _split_unit(column: str) -> tuple[str, str | None]:
    """(label key, unit code); a column named by its unit alone (``m3_d``) is a ``flow``."""
    for suffix, code in UNIT_SUFFIXES:
        if ("_" + column).endswith(suffix):
            return column[: -len(suffix)] or "flow", code
    return column, None


def column_header(column: str, lang: str) -> str:
    """The header of a table column: its label and, from its name's suffix, its unit.

    Examples
    --------
    >>> column_header("feed_m3_d", "en"), column_header("capex_CNY", "zh")
    ('Feed (m³/d)', '建设投资（元）')
    >>> column_header("no_such_column", "en")
    'no_such_column'
    """
    base, unit = _split_unit(column)
    label = catalogue(lang, "reports").get(f"col.{base}") or catalogue("en", "reports").get(
        f"col.{base}"
    )
    if label is None:
        return column
    if unit is None:
        return label
    u = translate(unit, lang, "reports")
    return f"{label}（{u}）" if lang == "zh" else f"{label} ({u})"


def cell_value(v: object) -> object:
    """A table value as an Excel cell value (see the module's notes).

    Examples
    --------
    >>> cell_value(["a", "b"]), cell_value(float("nan")), cell_value({"x": 1})
    ('a, b', None, '{"x": 1}')
    """
    if hasattr(v, "item") and not isinstance(v, (str, bytes, list, tuple, dict)):
        v = v.item()
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, Mapping):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, (int, float, str, bool)):
        return v
    return str(v)


def _width(text: object) -> int:
    """Display width of a cell's text (East Asian wide characters count twice)."""
    s = "" if text is None else str(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _sheet_title(name: str, lang: str) -> str:
    title = catalogue(lang, "reports").get(f"sheet.{name}") or name
    for c in "[]:*?/\\":
        title = title.replace(c, "_")
    return title[:31]


def _write_sheet(
    ws: Any, headers: Sequence[str], rows: Sequence[Sequence[object]], formats: Sequence[str | None]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE5EE")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for j, header in enumerate(headers, start=1):
        letter = get_column_letter(j)
        widths = [_width(header)] + [_width(r[j - 1]) for r in rows[:500]]
        ws.column_dimensions[letter].width = max(8, min(60, max(widths) + 2))
        fmt = formats[j - 1]
        if fmt:
            for cell in ws[letter][1:]:
                if isinstance(cell.value, float):
                    cell.number_format = fmt


def tables_workbook(
    tables: Mapping[str, pd.DataFrame],
    summary: Sequence[tuple[str, object]] = (),
    *,
    lang: str = "en",
) -> bytes:
    """Tables as an .xlsx workbook.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Table name -> its frame; one sheet each, in this order, named from ``sheet.<name>``
        of the ``reports`` catalogue.
    summary : sequence of (label, value), optional
        Key figures for a first sheet (``sheet.kpis``); labels carry their units.
    lang : {"en", "zh"}
        Language of the sheet names and headers.

    Returns
    -------
    bytes
        The workbook.
    """
    from openpyxl import Workbook

    if lang not in LANGUAGES:
        raise InputError(
            Text.of(
                "report.error.workbook_language", language=lang, allowed=joined(list(LANGUAGES))
            )
        )
    wb = Workbook()
    first: Any = wb.active
    if summary:
        first.title = _sheet_title("kpis", lang)
        _write_sheet(
            first,
            [
                translate("col.item", lang, "reports"),
                translate("report.col.value", lang, "reports"),
            ],
            [(label, cell_value(v)) for label, v in summary],
            [None, "#,##0.00"],
        )
    else:
        wb.remove(first)
    for name, frame in tables.items():
        ws = wb.create_sheet(_sheet_title(name, lang))
        cols = [str(c) for c in frame.columns]
        rows = [[cell_value(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]
        _write_sheet(
            ws,
            [column_header(c, lang) for c in cols],
            rows,
            [_FORMATS.get(_split_unit(c)[1]) for c in cols],
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
