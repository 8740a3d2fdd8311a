"""The one exception hierarchy of cbmwater.

Every error that a user can cause by their input is a :class:`CbmwaterError`; the faces (CLI,
app) print its message and never a traceback.  Messages name the file, row, column, the value and
what is allowed, so the user knows what to fix.
"""

from __future__ import annotations


class CbmwaterError(Exception):
    """Base class of every error cbmwater raises on purpose."""


class _Located:
    """Mixin: a message prefixed with where the problem is (file, row, column, value)."""

    def _locate(
        self,
        message: str,
        file: str | None,
        row: int | None,
        column: str | None,
        value: object | None,
    ) -> str:
        self.file, self.row, self.column, self.value = file, row, column, value
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
        return (", ".join(where) + ": " if where else "") + message


class InputError(_Located, CbmwaterError):
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
        super().__init__(self._locate(message, file, row, column, value))


class UnitError(InputError):
    """A unit that is unknown or does not apply to a constituent."""


class DatabaseError(CbmwaterError):
    """A database file (PHREEQC .dat, standards table, unit library) is missing or invalid."""


class LocatedDatabaseError(_Located, DatabaseError):
    """A database table that breaks a rule, naming the file, row, column and value."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object | None = None,
    ) -> None:
        super().__init__(self._locate(message, file, row, column, value))


class GeochemError(CbmwaterError):
    """PHREEQC failed on an input cbmwater built."""


class ResourceLimitError(CbmwaterError):
    """A guarded run needed more memory or time than it was allowed, and was stopped."""


class RunCancelled(CbmwaterError):
    """A guarded run (a job) was cancelled by its user before it finished."""
