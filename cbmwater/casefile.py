"""Checks shared by the case-file loaders (decision engine, mine plan, reinjection proposal):
TOML tables and numbers, and the confinement of the files a case names to its folder
(:func:`resolve_inside`; docs/confinement.md).

Every error is an :class:`~cbmwater.errors.InputError` naming the file, the table and the field,
with the value and what is allowed.

Rule for messages about a file the case names (not the file the user named directly): they may
list the ids of that file (e.g. "unknown sample id X; e.g. a, b, c") only when the file lies
inside the case folder -- then it is the user's own case file, from the same folder or upload.
A file outside the case folder (readable only with ``allow_outside``) is named with the missing
id, never quoted (:func:`id_hint`).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import Any, TypeVar

from . import plausible, schema, validation
from .errors import InputError
from .i18n import Message, Text
from .schema import Section

__all__ = [
    "TableContext",
    "check_keys",
    "check_number",
    "check_range",
    "check_text",
    "read_case_toml",
    "resolve_inside",
    "is_inside",
    "id_hint",
    "withhold_outside_values",
]


class TableContext:
    """Where we are in the case file, for error messages."""

    def __init__(self, file: str) -> None:
        self.file = file
        #: how messages hint at the analyses file's ids (:func:`id_hint`; set by the loader)
        self.ids_hint: str = Text.of("case.hint.see_analyses")
        #: values accepted outside their usual (soft) plausible range (:func:`check_range`)
        self.warnings: list[str] = []

    def err(
        self,
        table: str,
        fld: str | None,
        msg: str,
        value: object = None,
        message: Message | None = None,
    ) -> InputError:
        where = f"[{table}]" + (f" field {fld!r}" if fld else "")
        full = None
        if message is None and isinstance(msg, Text):
            message = msg.message
        if message is not None:
            full = Message(
                "error.table_field" if fld else "error.table",
                {"table": validation.table_name(table), "field": repr(fld), "what": message}
                if fld
                else {"table": validation.table_name(table), "what": message},
            )
        return InputError(f"{where}: {msg}", file=self.file, value=value, msg=full)


def check_keys(ctx: TableContext, table: str, data: object, section: Section) -> None:
    """Refuse a non-table, an unknown key (a typo would be silently ignored) or a missing one;
    the keys are the section's in :data:`cbmwater.schema.SCHEMAS`."""
    schema.check_section(data, section, table, file=ctx.file)


def check_number(
    ctx: TableContext,
    table: str,
    fld: str,
    v: object,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
) -> float:
    """A finite number within [lo, hi] (``lo_open``: strictly above lo); see
    :func:`cbmwater.validation.check_number`."""
    return validation.check_number(
        v, fld, lo=lo, hi=hi, lo_open=lo_open, file=ctx.file, table=table
    )


def check_range(ctx: TableContext, table: str, fld: str, v: object, key: str) -> float:
    """A number within the plausible range ``key`` of :data:`cbmwater.plausible.RANGES`:
    refused outside the hard range, a warning in ``ctx.warnings`` outside the soft one."""
    return plausible.check(key, v, fld, file=ctx.file, table=table, warnings=ctx.warnings)


def check_text(
    ctx: TableContext, table: str, fld: str, v: object, choices: tuple[str, ...] | None = None
) -> str:
    """A non-empty text, one of ``choices`` when given."""
    if not isinstance(v, str) or not v.strip():
        raise ctx.err(table, fld, Text.of("case.non_empty_text"), v)
    s = v.strip()
    if choices is not None and s not in choices:
        raise ctx.err(table, fld, Text.of("case.allowed_values", allowed=", ".join(choices)), v)
    return s


def read_case_toml(path: str | Path) -> tuple[Path, bytes, dict]:
    """A case file's path, raw bytes (for its hash) and parsed TOML; a missing file or bad TOML
    is an :class:`~cbmwater.errors.InputError` naming the file."""
    p = Path(path)
    if not p.is_file():
        raise InputError("case file not found", file=str(p), msg=Message("error.case_not_found"))
    raw = p.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Text.of("case.bad_toml", exc=str(exc)), file=str(p)) from None
    return p, raw, data


#: How a refusal tells the user the way out (the CLI option, the API keyword).
_OUTSIDE_HINT = Text.of("case.outside_hint")


def resolve_inside(
    base: Path,
    name: str,
    *,
    file: str | None,
    table: str,
    field: str,
    allow_outside: bool = False,
) -> Path:
    """The path of a file a case (or proposal) names, confined to the case folder.

    A case folder is self-contained: ``name`` must be a relative path below ``base`` (the folder
    of the TOML file).  Refused, unless ``allow_outside``: an absolute path (or one with a drive),
    any ``..`` part, and a symlink -- the named file or any folder on the way from ``base`` to
    it.  As a last check the resolved path must lie under the resolved ``base``.  With
    ``allow_outside`` the path is ``base / name`` as before (an absolute ``name`` stays as is).

    Whether the file exists is the caller's check (it knows what to say).

    Parameters
    ----------
    base : Path
        The case folder.
    name : str
        The value of the field, as written in the TOML.
    file, table, field : str
        Where the value is, for the message (``file`` None: the caller names the file).
    allow_outside : bool
        Skip the confinement (the CLI's ``--allow-outside``; the app never passes it).

    Raises
    ------
    InputError
        Naming the TOML file, ``[table] field``, the value and the rule.
    """
    p = PurePath(name)
    if allow_outside:
        return base / p

    def refuse(why: str) -> InputError:
        return InputError(
            Text.of(
                "case.outside",
                where=validation.at_field(table, field),
                why=Text.of(f"case.outside.{why}"),
                hint=_OUTSIDE_HINT,
            ),
            file=file,
            value=name,
        )

    if p.is_absolute() or p.anchor or p.drive:
        raise refuse("absolute")
    if ".." in p.parts or ".." in name.replace("\\", "/").split("/"):
        raise refuse("dotdot")
    cur = base
    for part in p.parts:
        cur = cur / part
        if cur.is_symlink():
            raise refuse("symlink")
    if not is_inside(base, cur):
        raise refuse("leaves")
    return cur


def is_inside(base: Path, path: Path) -> bool:
    """Whether ``path`` resolves to a place under ``base`` (both resolved; symlinks followed)."""
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return True


def id_hint(ids: Iterable[str], path: Path, base: Path, *, limit: int | None = 8) -> str:
    """A hint listing ``ids`` of the referenced file ``path`` -- only if it is inside ``base``.

    Returns ``"e.g. a, b, c"`` (or ``"known: a, b, c"`` with ``limit`` None) for a file inside
    the case folder, and a sentence saying the ids are not listed for a file outside it, so an
    error never quotes the contents of a file the user did not name directly.
    """
    if not is_inside(base, path):
        return Text.of("case.hint.outside")
    srt = sorted(ids)
    if limit is None:
        return Text.of("case.hint.known", ids=", ".join(srt))
    return Text.of("case.hint.eg", ids=", ".join(srt[:limit]))


F = TypeVar("F", bound=Callable[..., Any])


def withhold_outside_values(parse: F) -> F:
    """Decorate a case parser ``parse(data, base, ...)``: an :class:`InputError` about a file
    outside ``base`` (read only with ``allow_outside``) names the file, row and column but not
    the cell's value -- messages never quote a file the user did not name directly."""

    @functools.wraps(parse)
    def wrapper(data: Any, base: Path | None = None, *args: Any, **kwargs: Any) -> Any:
        try:
            return parse(data, base, *args, **kwargs)
        except InputError as exc:
            file = getattr(exc, "file", None)
            value = getattr(exc, "value", None)
            # only a real file the case names (not the case file itself, not "bad.zip:case.toml")
            own = args[0] if args else kwargs.get("file", kwargs.get("path"))
            if base is None or file is None or value is None or file == str(own):
                raise
            if not Path(file).is_file() or is_inside(Path(base), Path(file)):
                raise
            raise InputError(
                exc.detail + " (the value is not shown: the file is outside the case folder)",
                file=file,
                row=exc.row,
                column=exc.column,
                msg=None
                if exc.message is None
                else Message("case.value_withheld", {"detail": exc.message}),
            ) from None

    return wrapper  # type: ignore[return-value]
