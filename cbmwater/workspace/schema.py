"""The workspace's tables (SQLAlchemy 2 ORM) and the migrations that build them, version by
version.

The ORM classes describe the newest schema, the one the code reads and writes.  The migrations
are frozen SQL: step *k* turns a file of schema version *k* into version *k + 1* and is never
edited once released (an ORM class changes with the code; a file written by an old release
still has the old tables).  ``tests/test_workspace.py`` checks that a file built by all the
steps has exactly the tables, columns and indexes of the ORM classes.

Version history

1. ``inputs`` (content-addressed bytes), ``runs`` and the link ``run_inputs``.
2. ``runs.key_figures`` (the figures a list of runs shows, JSON), filled in for the runs a
   version-1 file holds; indexes on ``runs(kind, created)`` and ``run_inputs(sha256)``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .figures import key_figures

__all__ = ["Base", "Input", "Run", "RunInput", "MIGRATIONS", "SCHEMA_VERSION"]


class Base(DeclarativeBase):
    """Base of the workspace's ORM classes."""


class Input(Base):
    """A file the user brought (lab file, case, proposal), stored once per content."""

    __tablename__ = "inputs"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="ck_inputs_sha256"),)

    #: SHA-256 of ``data``, 64 lowercase hex digits.
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The name it was first saved under (a run's own name for it is in ``run_inputs``).
    name: Mapped[str] = mapped_column(Text)
    #: ``lab``, ``case``, ``proposal``, ``mineplan`` or ``other``.
    kind: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    #: ``len(data)``, bytes.
    size: Mapped[int] = mapped_column(Integer)
    #: When it was first saved, ISO 8601 UTC.
    added: Mapped[str] = mapped_column(Text)


class Run(Base):
    """One finished run: what was asked, with which engine and data, and what came out."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_kind_created", "kind", "created"),
        {"sqlite_autoincrement": True},  # a deleted run's id is never given to another run
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text, server_default="")
    #: When the run was saved, ISO 8601 UTC.
    created: Mapped[str] = mapped_column(Text)
    engine_version: Mapped[str] = mapped_column(Text)
    #: JSON: label -> SHA-256 of every bundled database file.
    databases: Mapped[str] = mapped_column(Text)
    #: JSON: the options of the run.
    options: Mapped[str] = mapped_column(Text)
    #: JSON: the API result's ``to_dict()``.
    result: Mapped[str] = mapped_column(Text)
    #: The result's own status (``optimal``, ``infeasible``) or ``done``.
    status: Mapped[str] = mapped_column(Text)
    #: JSON: the headline figures of the run (:func:`cbmwater.workspace.figures.key_figures`).
    key_figures: Mapped[str] = mapped_column(Text, server_default="{}")


class RunInput(Base):
    """An input of a run, under the name the run used (``case.toml``, ``wells.csv``)."""

    __tablename__ = "run_inputs"
    __table_args__ = (Index("ix_run_inputs_sha256", "sha256"),)

    run_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("inputs.sha256"))
    name: Mapped[str] = mapped_column(Text)


def _v0_to_v1(conn: Connection) -> None:
    for sql in (
        """CREATE TABLE inputs (
            sha256 VARCHAR(64) NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            data BLOB NOT NULL,
            size INTEGER NOT NULL,
            added TEXT NOT NULL,
            CONSTRAINT ck_inputs_sha256 CHECK (length(sha256) = 64)
        )""",
        """CREATE TABLE runs (
            id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            label TEXT DEFAULT '' NOT NULL,
            created TEXT NOT NULL,
            engine_version TEXT NOT NULL,
            databases TEXT NOT NULL,
            options TEXT NOT NULL,
            result TEXT NOT NULL,
            status TEXT NOT NULL
        )""",
        """CREATE TABLE run_inputs (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sha256 VARCHAR(64) NOT NULL REFERENCES inputs (sha256),
            name TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        )""",
    ):
        conn.exec_driver_sql(sql)


def _v1_to_v2(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE runs ADD COLUMN key_figures TEXT DEFAULT '{}' NOT NULL")
    rows = conn.exec_driver_sql("SELECT id, kind, result FROM runs").fetchall()
    for run_id, kind, result in rows:
        figures = key_figures(kind, json.loads(result))
        conn.exec_driver_sql(
            "UPDATE runs SET key_figures = ? WHERE id = ?",
            (json.dumps(figures, ensure_ascii=False, allow_nan=False), run_id),
        )
    conn.exec_driver_sql("CREATE INDEX ix_runs_kind_created ON runs (kind, created)")
    conn.exec_driver_sql("CREATE INDEX ix_run_inputs_sha256 ON run_inputs (sha256)")


#: Step *k* (0-based) turns schema version *k* into *k + 1*; applied in order, in one
#: transaction, when a workspace is opened.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v0_to_v1, _v1_to_v2)
#: The schema version this code reads and writes (``PRAGMA user_version`` of the file).
SCHEMA_VERSION = len(MIGRATIONS)
