"""The one exception hierarchy of cbmwater.

Every error that a user can cause by their input is a :class:`CbmwaterError`; the faces (CLI,
app) print its message and never a traceback.  Messages name the file, row, column, the value and
what is allowed, so the user knows what to fix.
"""

from __future__ import annotations


class CbmwaterError(Exception):
    """Base class of every error cbmwater raises on purpose."""


class InputError(CbmwaterError):
    """Bad user input: a file, a table cell, an option value.

    Parameters
    ----------
    message : str
        What is wrong and what is allowed.
    file, row, column, value : optional
        Where the problem is.  ``row`` is the 1-based line number in the file as a spreadsheet
        shows it (the header is row 1).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.detail = message
        where = []
        if file is not None:
            where.append(f"file {file}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {str(value)!r}")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)


class UnitError(InputError):
    """A unit that is unknown or does not apply to a constituent."""


class DatabaseError(CbmwaterError):
    """A database file (PHREEQC .dat, standards table, unit library) is missing or invalid."""


class GeochemError(CbmwaterError):
    """PHREEQC failed on an input cbmwater built."""
