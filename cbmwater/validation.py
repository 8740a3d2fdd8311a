"""The one check of numbers and names given by a user or read from a file.

Every loader (case files, proposals, the unit library, economics, mine-water options, CSV
tables) checks its numbers and choices here, so every refusal reads the same way: it names the
file, the table (or row), the field, the value and what is allowed::

    file case.toml, value '-3': [destinations[1]] field 'capacity_m3_d': must be >= 0
    file wells.csv, row 2, column 'qi_m3_d', value '0': must be > 0
    column 'porosity', value '1.5': porosity must be >= 0.05 and <= 0.95

The error is an :class:`~cbmwater.errors.InputError` unless the caller asks for another located
class (:class:`~cbmwater.errors.LocatedDatabaseError` for the shipped databases).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import InputError
from .i18n import Message, Text

__all__ = [
    "allowed_range",
    "at_field",
    "range_bounds",
    "check_number",
    "check_choice",
    "check_table",
    "check_list",
    "check_unique",
    "located_error",
]


def allowed_range(
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    integer: bool = False,
) -> str:
    """What a number may be, in words: ``"a finite number > 0 and <= 1"``."""
    parts = []
    if lo is not None:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}")
    if hi is not None:
        parts.append(f"<= {hi:g}")
    kind = "a whole number" if integer else "a finite number"
    return kind + (" " + " and ".join(parts) if parts else "")


def located_error(
    message: str,
    field: str,
    value: object = None,
    *,
    file: str | None = None,
    table: str | None = None,
    row: int | None = None,
    error: type[InputError] | type = InputError,
    msg: Message | None = None,
) -> Exception:
    """An error naming where ``field`` is: ``[table] field 'x'`` in a file's table, the column of
    a row, or the field alone (an argument).  ``msg``: ``message`` as a catalogue message (the
    error then renders in other languages, :meth:`cbmwater.errors.CbmwaterError.render`); a
    ``message`` that is a :class:`~cbmwater.i18n.Text` brings its own."""
    if msg is None and isinstance(message, Text):
        msg = message.message
    if table is not None:
        exc = error(f"[{table}] field {field!r}: {message}", file=file, value=value)
        full = (
            None
            if msg is None
            else Message(
                "error.table_field",
                {"table": table_name(table), "field": repr(field), "what": msg},
            )
        )
    elif row is not None:
        exc = error(message, file=file, row=row, column=field, value=value)
        full = msg
    else:
        exc = error(f"{field} {message}", file=file, column=field, value=value)
        full = None if msg is None else Message("error.field", {"field": field, "what": msg})
    if full is not None:
        exc.message = full
    return exc


def range_bounds(lo: float | None, hi: float | None, lo_open: bool = False) -> Message | str:
    """The bounds of :func:`allowed_range` as a message (``">= 0 and <= 1"``; ``""`` for none)."""
    parts = []
    if lo is not None:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}")
    if hi is not None:
        parts.append(f"<= {hi:g}")
    if len(parts) == 2:
        return Message("range.both", {"lo": parts[0], "hi": parts[1]})
    return "".join(parts)


def _range_message(
    lo: float | None, hi: float | None, lo_open: bool, integer: bool, bare: bool
) -> Message:
    """:func:`allowed_range` as a message (``bare``: without "a finite number")."""
    bounds = range_bounds(lo, hi, lo_open)
    parts = bounds != ""
    if bare:
        return Message("range.bare", {"bounds": bounds})
    kind = "whole" if integer else "finite"
    return Message(
        f"range.{kind}" + ("_bounded" if parts else ""), {"bounds": bounds} if parts else {}
    )


def check_number(
    value: object,
    field: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    integer: bool = False,
    file: str | None = None,
    table: str | None = None,
    row: int | None = None,
    text: bool = False,
    error: type = InputError,
) -> float:
    """``value`` as a float if it is a finite number within ``[lo, hi]``.

    Parameters
    ----------
    value : object
        The value as given; with ``text`` a cell's text that must parse as a number.
    field : str
        Its name (a field of a table, a column, an argument).
    lo, hi : float, optional
        Bounds (inclusive; ``lo_open``: strictly above ``lo``).
    integer : bool
        A whole number.
    file, table, row : optional
        Where the value is, for the message (see :func:`located_error`).
    error : type
        The located error class to raise (default :class:`~cbmwater.errors.InputError`).

    Raises
    ------
    InputError
        Naming file, table or row, field, value and the allowed range.
    """
    x = math.nan
    if text and isinstance(value, str):
        try:
            x = float(value)
        except ValueError:
            x = math.nan
    elif not isinstance(value, bool) and isinstance(value, (int, float)):
        x = float(value)
    problem = None
    if not math.isfinite(x) or (integer and x != int(x)):
        problem = "must be " + allowed_range(lo, hi, lo_open=lo_open, integer=integer)
        words = _range_message(lo, hi, lo_open, integer, bare=False)
    elif (lo is not None and (x < lo or (lo_open and x == lo))) or (hi is not None and x > hi):
        problem = "must be " + allowed_range(lo, hi, lo_open=lo_open).removeprefix(
            "a finite number "
        )
        words = _range_message(lo, hi, lo_open, False, bare=True)
    if problem is not None:
        raise located_error(
            problem,
            field,
            value,
            file=file,
            table=table,
            row=row,
            error=error,
            msg=Message("error.must_be", {"words": words}),
        )
    return x


def check_choice(
    value: object,
    field: str,
    allowed: Sequence[str],
    *,
    file: str | None = None,
    table: str | None = None,
    row: int | None = None,
    error: type = InputError,
) -> str:
    """``value`` if it is one of ``allowed``, else an error listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise located_error(
            Text.of("error.one_of", allowed=", ".join(allowed)),
            field,
            value,
            file=file,
            table=table,
            row=row,
            error=error,
        )
    return value


def _where(file: str | None, where: str) -> str:
    return (f"file {file}: " if file else "") + where


def _type_name(value: object) -> Text:
    """The TOML word for a parsed value's type (what the user wrote, not Python's name)."""
    if isinstance(value, bool):
        return Text.of("error.type.boolean")
    if isinstance(value, (int, float)):
        return Text.of("error.type.number")
    if isinstance(value, str):
        return Text.of("error.type.string")
    if isinstance(value, list):
        return Text.of("error.type.list")
    if isinstance(value, dict):
        return Text.of("error.type.table")
    return Text.of("error.type.other", name=type(value).__name__)


def table_name(table: str) -> str:
    """A TOML table's name as messages show it: the name, or "top level" in the language."""
    return Text.of("error.top_level") if table == "top level" else table


def at_field(table: str, field: str) -> Text:
    """``[table] field 'x'`` (a place in a TOML file) as a :class:`~cbmwater.i18n.Text`."""
    return Text.of("error.at_field", table=table_name(table), field=repr(field))


def check_table(value: object, where: str | Text, *, file: str | None = None) -> dict[str, Any]:
    """``value`` if it is a TOML table (``{k = v}`` or ``[section]``), else an InputError
    naming the file, where (``[destinations[1]] field 'limits'``), the expected type and what
    was given."""
    if not isinstance(value, dict):
        raise InputError(
            Text.of("error.must_be_table", where=where, got=_type_name(value)),
            file=file,
            value=value,
        )
    return value


def check_list(
    value: object,
    where: str | Text,
    *,
    file: str | None = None,
    of: str | None = None,
    nonempty: bool = False,
) -> list[Any]:
    """``value`` if it is a TOML list (``[a, b]`` or ``[[tables]]``), else an InputError.

    ``of``: ``"table"`` or ``"string"``: every item must be of that type too (the message
    names the item's index, 1-based).
    """
    if not isinstance(value, list):
        kind = Text.of("error.type.list_of_tables" if of == "table" else "error.type.list")
        raise InputError(
            Text.of("error.must_be_kind", where=where, kind=kind, got=_type_name(value)),
            file=file,
            value=value,
        )
    if nonempty and not value:
        raise InputError(Text.of("error.must_not_be_empty", where=where), file=file)
    if of is not None:
        ok = dict if of == "table" else str
        for i, x in enumerate(value, start=1):
            if not isinstance(x, ok):
                raise InputError(
                    Text.of(f"error.item_must_be.{of}", where=where, i=i, got=_type_name(x)),
                    file=file,
                    value=x,
                )
    return value


def check_unique(names: Iterable[object], where: str, *, file: str | None = None) -> None:
    """Refuse a repeated name where names are keys (destinations, points, trains...): the
    second one would silently replace or shadow the first."""
    seen: set[object] = set()
    for n in names:
        if n in seen:
            raise InputError(Text.of("error.names_unique", where=where), file=file, value=n)
        seen.add(n)
