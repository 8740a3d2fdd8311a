"""The base of the typed results the public API returns.

A result is a frozen dataclass whose fields are the top-level keys of the JSON the CLI writes,
in that order.  :meth:`JsonResult.to_dict` gives that JSON back (the same keys, deep-copied),
:meth:`JsonResult.to_json` writes it, and :meth:`JsonResult.to_frame` turns one of the result's
tables into a :class:`pandas.DataFrame` with documented columns.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, TypeVar

import pandas as pd

from ..report.export import jsonable

__all__ = ["JsonResult", "ABSENT", "key_field", "attached"]

R = TypeVar("R", bound="JsonResult")


class _Absent:
    """Marks a key the engine did not write for this result (left out of ``to_dict``)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __deepcopy__(self, memo: dict[int, Any]) -> _Absent:
        return self


#: The value of a field whose key is not in this result's JSON.
ABSENT: Any = _Absent()


def key_field(key: str) -> Any:
    """A dataclass field stored under another JSON key (e.g. ``class``, a Python keyword)."""
    from dataclasses import field

    return field(metadata={"key": key})


def attached() -> Any:
    """A dataclass field that is not part of the JSON: the engine object a result wraps (for
    methods such as a review's PHREEQC input); not compared, not shown."""
    from dataclasses import field

    return field(default=None, repr=False, compare=False, metadata={"json": False})


def _json_fields(cls: Any) -> dict[str, Any]:
    return {f.metadata.get("key", f.name): f for f in fields(cls) if f.metadata.get("json", True)}


@dataclass(frozen=True)
class JsonResult:
    """Base of the API's results: typed fields that are the keys of the CLI's JSON.

    Subclasses declare :attr:`TABLES`: for each table name, a function of the result that
    returns its rows (a list of flat mappings) and the documented columns, in order.
    """

    #: name -> (rows of the table, its columns in order); see :meth:`to_frame`.
    TABLES: ClassVar[
        dict[str, tuple[Callable[[Any], Sequence[Mapping[str, Any]]], tuple[str, ...]]]
    ] = {}

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any], **attached: Any) -> R:
        """Build the result from the engine's JSON dict (and the objects it wraps).

        Every key must be a field (an engine key the type does not declare is a programming
        error, raised as :class:`TypeError`); a field whose key is missing must have a default.
        ``attached`` sets the fields that are not part of the JSON.
        """
        by_key = _json_fields(cls)
        unknown = [k for k in data if k not in by_key]
        if unknown:
            raise TypeError(
                f"{cls.__name__}: the engine wrote keys this type does not declare: {unknown}"
            )
        kwargs: dict[str, Any] = {}
        for key, f in by_key.items():
            if key in data:
                kwargs[f.name] = data[key]
            elif f.default is MISSING and f.default_factory is MISSING:
                raise TypeError(f"{cls.__name__}: the engine's result lacks the key {key!r}")
        return cls(**kwargs, **attached)

    def to_dict(self) -> dict[str, Any]:
        """The result as the JSON-ready dict the CLI writes (same keys; a deep copy)."""
        out: dict[str, Any] = {}
        for key, f in _json_fields(self).items():
            value = getattr(self, f.name)
            if value is ABSENT:
                continue
            out[key] = copy.deepcopy(value)
        return out

    def to_json(self, *, indent: int = 1) -> str:
        """The result as JSON text (NaN and infinities as ``null``, non-ASCII kept)."""
        return json.dumps(jsonable(self.to_dict()), ensure_ascii=False, indent=indent)

    @classmethod
    def tables(cls) -> dict[str, tuple[str, ...]]:
        """The tables :meth:`to_frame` can give, with their columns."""
        return {name: cols for name, (_, cols) in cls.TABLES.items()}

    def to_frame(self, table: str | None = None) -> pd.DataFrame:
        """One of the result's tables as a DataFrame with its documented columns.

        Parameters
        ----------
        table : str, optional
            A name from :meth:`tables`; default: the first one.

        Returns
        -------
        pandas.DataFrame
            The documented columns, in order (missing values as NaN/None), one row per item.
        """
        if not self.TABLES:
            raise ValueError(f"{type(self).__name__} has no tables")
        name = next(iter(self.TABLES)) if table is None else table
        if name not in self.TABLES:
            raise ValueError(
                f"unknown table {name!r} of {type(self).__name__}; choose one of: "
                f"{', '.join(self.TABLES)}"
            )
        rows_of, columns = self.TABLES[name]
        rows = rows_of(self)
        return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns))
