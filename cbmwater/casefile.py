"""Checks shared by the case-file loaders (decision engine, mine plan): TOML tables and numbers.

Every error is an :class:`~cbmwater.errors.InputError` naming the file, the table and the field,
with the value and what is allowed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path

from . import validation
from .errors import InputError

__all__ = ["TableContext", "check_keys", "check_number", "check_text", "read_case_toml"]


class TableContext:
    """Where we are in the case file, for error messages."""

    def __init__(self, file: str) -> None:
        self.file = file

    def err(self, table: str, fld: str | None, msg: str, value: object = None) -> InputError:
        where = f"[{table}]" + (f" field {fld!r}" if fld else "")
        return InputError(f"{where}: {msg}", file=self.file, value=value)


def check_keys(
    ctx: TableContext,
    table: str,
    data: dict,
    allowed: set[str],
    required: Collection[str] = frozenset(),
) -> None:
    """Refuse a non-table, an unknown key (a typo would be silently ignored) or a missing one."""
    if not isinstance(data, dict):
        raise ctx.err(table, None, "must be a table of key = value pairs")
    for k in data:
        if k not in allowed:
            raise ctx.err(table, k, f"unknown field; allowed: {', '.join(sorted(allowed))}")
    for k in required:
        if k not in data:
            raise ctx.err(table, k, "is required")


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


def check_text(
    ctx: TableContext, table: str, fld: str, v: object, choices: tuple[str, ...] | None = None
) -> str:
    """A non-empty text, one of ``choices`` when given."""
    if not isinstance(v, str) or not v.strip():
        raise ctx.err(table, fld, "must be a non-empty text", v)
    s = v.strip()
    if choices is not None and s not in choices:
        raise ctx.err(table, fld, f"allowed values: {', '.join(choices)}", v)
    return s


def read_case_toml(path: str | Path) -> tuple[Path, bytes, dict]:
    """A case file's path, raw bytes (for its hash) and parsed TOML; a missing file or bad TOML
    is an :class:`~cbmwater.errors.InputError` naming the file."""
    p = Path(path)
    if not p.is_file():
        raise InputError("case file not found", file=str(p))
    raw = p.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid UTF-8 TOML: {exc}", file=str(p)) from None
    return p, raw, data
