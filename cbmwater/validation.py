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
from collections.abc import Sequence

from .errors import InputError

__all__ = ["allowed_range", "check_number", "check_choice", "located_error"]


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
) -> Exception:
    """An error naming where ``field`` is: ``[table] field 'x'`` in a file's table, the column of
    a row, or the field alone (an argument)."""
    if table is not None:
        return error(f"[{table}] field {field!r}: {message}", file=file, value=value)
    if row is not None:
        return error(message, file=file, row=row, column=field, value=value)
    return error(f"{field} {message}", file=file, column=field, value=value)


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
    elif (lo is not None and (x < lo or (lo_open and x == lo))) or (hi is not None and x > hi):
        problem = "must be " + allowed_range(lo, hi, lo_open=lo_open).removeprefix(
            "a finite number "
        )
    if problem is not None:
        raise located_error(problem, field, value, file=file, table=table, row=row, error=error)
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
            f"must be one of {', '.join(allowed)}",
            field,
            value,
            file=file,
            table=table,
            row=row,
            error=error,
        )
    return value
