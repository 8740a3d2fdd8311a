"""The one exception hierarchy of cbmwater.

Every error that a user can cause by their input is a :class:`CbmwaterError`; the faces (CLI,
app) print its message and never a traceback.  Messages name the file, row, column, the value and
what is allowed, so the user knows what to fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .i18n import Message


class CbmwaterError(Exception):
    """Base class of every error cbmwater raises on purpose.

    ``str(error)`` is the English message.  An error may also carry ``message``, a
    :class:`cbmwater.i18n.Message` (code + parameters) of the same text, so a face can show it
    in the user's language with :meth:`render` (docs/i18n.md).
    """

    message: Message | None = None

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        # an error raised with a Text (English text + its message) renders in any language
        if args and hasattr(args[0], "message") and isinstance(args[0], str):
            self.message = args[0].message  # type: ignore[attr-defined]

    def render(self, lang: str = "en") -> str:
        """The error in ``lang``: from its message where it has one, else ``str(self)``."""
        if self.message is None or lang == "en":
            return str(self)
        return self.message.render(lang)

    def full_message(self) -> Message:
        """The whole error as one message (its text untranslated if it has no message), e.g.
        to wrap it in another error's message."""
        from .i18n import message_of

        return message_of(str(self)) if self.message is None else self.message


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
        self._where = where_message(file, row, column, value)
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

    def full_message(self) -> Message:
        """Where and what as one message (see :meth:`CbmwaterError.full_message`)."""
        from .i18n import Message, message_of

        msg: Message | None = getattr(self, "message", None)
        if msg is None:
            return message_of(str(self))
        if self._where is None:
            return msg
        return Message("error.located", {"where": self._where, "what": msg})

    def render(self, lang: str = "en") -> str:
        """The error in ``lang``: where (file, row, column, value) and what, both translated."""
        msg: Message | None = getattr(self, "message", None)
        if msg is None or lang == "en":
            return str(self)
        where = self._where.render(lang) if self._where is not None else ""
        return where + msg.render(lang)


def where_message(
    file: str | None, row: int | None, column: str | None, value: object | None
) -> Message | None:
    """The "file F, row R, column 'C', value 'V': " prefix of a located error as a message."""
    from .i18n import Message

    parts = []
    if file is not None:
        parts.append(Message("error.where.file", {"file": file}))
    if row is not None:
        parts.append(Message("error.where.row", {"row": row}))
    if column is not None:
        # a column named by the engine (a Text: "column 3") renders in the language; a header the
        # user wrote is quoted as written
        named = getattr(column, "message", None)
        if isinstance(named, Message):
            parts.append(Message("error.where.column_named", {"column": named}))
        else:
            parts.append(Message("error.where.column", {"column": repr(column)}))
    if value is not None:
        parts.append(Message("error.where.value", {"value": repr(str(value))}))
    if not parts:
        return None
    return Message(f"error.where.{len(parts)}", {f"p{i}": m for i, m in enumerate(parts)})


class InputError(_Located, CbmwaterError):
    """Bad user input: a file, a table cell, an option value.

    Parameters
    ----------
    message : str
        What is wrong and what is allowed.
    file, row, column, value : optional
        Where the problem is.  ``row`` is the 1-based line number in the file as a spreadsheet
        shows it (the header is row 1).
    msg : Message, optional
        ``message`` as a catalogue message (code + parameters), for faces in other languages.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object | None = None,
        msg: Message | None = None,
    ) -> None:
        super().__init__(self._locate(message, file, row, column, value))
        self.message = msg if msg is not None else getattr(message, "message", None)


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
        msg: Message | None = None,
    ) -> None:
        super().__init__(self._locate(message, file, row, column, value))
        self.message = msg if msg is not None else getattr(message, "message", None)


class GeochemError(CbmwaterError):
    """PHREEQC failed on an input cbmwater built."""


class ResourceLimitError(CbmwaterError):
    """A guarded run needed more memory or time than it was allowed, and was stopped."""


class RunCancelled(CbmwaterError):
    """A guarded run (a job) was cancelled by its user before it finished."""
