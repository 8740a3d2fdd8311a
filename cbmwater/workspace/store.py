"""The workspace file: open (and migrate) it, save inputs and runs, list, read, relabel, delete.

Every write is one SQLite transaction begun with ``BEGIN IMMEDIATE`` (it takes the write lock
at once, so two writers queue on the busy timeout instead of one failing when it upgrades a
read lock); a run, its inputs and its links are committed together or not at all.  See the
package docstring for the durability settings and why.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from os import PathLike
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from ..archives import MAX_NAME_CHARS
from ..errors import InputError
from ..i18n import Message, Text
from ..outpaths import check_output
from ..resources import data_path, resource_label
from ..version import __version__
from .figures import RUN_KINDS, key_figures
from .records import (
    INPUT_KINDS,
    MAX_INPUT_BYTES,
    MAX_LABEL_CHARS,
    MAX_RESULT_BYTES,
    InputFile,
    RunRecord,
    RunSummary,
    StoredInput,
    WorkspaceError,
)
from .schema import MIGRATIONS, SCHEMA_VERSION, Input, Run, RunInput

__all__ = ["Store", "BUSY_TIMEOUT_S", "APPLICATION_ID", "database_hashes"]

#: How long a writer waits for another's transaction to end before giving up, seconds.  A save
#: of the largest result takes a few seconds; 60 s leaves room for a queue of them.
BUSY_TIMEOUT_S = 60.0
#: ``PRAGMA application_id`` of a workspace file ("cbmw"), so another SQLite file is refused.
APPLICATION_ID = 0x63626D77

_SHA = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@lru_cache(maxsize=1)
def database_hashes() -> dict[str, str]:
    """SHA-256 of every file under ``cbmwater/databases`` (PHREEQC databases, standards, unit
    library, prices), by its label: the data a run used, so two runs can be told apart when
    the data changed between them.

    Examples
    --------
    >>> h = database_hashes()
    >>> len(h["cbmwater/databases/standards.csv"])
    64
    """
    root = data_path()
    return {
        resource_label(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _json(value: object, what: Message) -> str:
    """``value`` as compact JSON; ``what`` names it in the error (``workspace.what.*``)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InputError(Text.of("workspace.error.not_json", what=what, why=str(exc))) from None


def _choice(value: object, allowed: Sequence[str], what: Message) -> str:
    if value not in allowed:
        raise InputError(
            Text.of(
                "workspace.error.unknown_choice",
                what=what,
                value=repr(value),
                allowed=", ".join(allowed),
            )
        )
    return str(value)


#: what a run's kind and an input's kind are called in an error
_RUN_KIND = Message("workspace.what.run_kind")
_INPUT_KIND = Message("workspace.what.input_kind")


def check_label(label: object) -> str:
    """A run's label, stripped; refused if not text, too long or holding control characters."""
    if not isinstance(label, str):
        raise InputError(Text.of("workspace.error.label_type", got=type(label).__name__))
    label = label.strip()
    if len(label) > MAX_LABEL_CHARS:
        raise InputError(Text.of("workspace.error.label_long", n=len(label), max=MAX_LABEL_CHARS))
    if _CONTROL.search(label):
        raise InputError(Text.of("workspace.error.label_control"), value=label)
    return label


def check_input_name(name: object) -> str:
    """An input's name as a relative POSIX path that stays inside a folder (for export)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError(Text.of("workspace.error.input_name_missing"), value=name)
    text = name.strip().replace("\\", "/")
    rel = PurePosixPath(text)
    if (
        rel.is_absolute()
        or ".." in rel.parts
        or (rel.parts and ":" in rel.parts[0])
        or _CONTROL.search(text)
        or len(text) > MAX_NAME_CHARS
    ):
        raise InputError(Text.of("workspace.error.input_name_path", max=MAX_NAME_CHARS), value=name)
    return rel.as_posix()


def _check_bytes(data: object, name: str) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(
            Text.of("workspace.error.input_bytes_type", got=type(data).__name__), file=name
        )
    out = bytes(data)
    if len(out) > MAX_INPUT_BYTES:
        raise InputError(
            Text.of(
                "workspace.error.input_too_large",
                mb=len(out) / 2**20,
                limit=MAX_INPUT_BYTES / 2**20,
            ),
            file=name,
        )
    return out


def _check_id(run_id: object) -> int:
    if isinstance(run_id, bool) or not isinstance(run_id, int):
        raise InputError(Text.of("workspace.error.run_id", got=repr(run_id)))
    return run_id


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Store:
    """A workspace file opened: WAL, busy timeout, foreign keys, schema migrated.

    Parameters
    ----------
    path : str or PathLike
        The SQLite file; made (with its folders) when missing, unless ``create`` is False.
    create : bool
        Make the file when it does not exist (otherwise: :class:`WorkspaceError`).

    Raises
    ------
    WorkspaceError
        Not a SQLite file, another application's SQLite file, a schema newer than this code,
        a file system without WAL, or (``create=False``) no file.
    InputError
        The path cannot be written (a folder, no permission).
    """

    def __init__(self, path: str | PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path).expanduser()
        if not create and not self.path.exists():
            raise WorkspaceError(Text.of("workspace.error.missing", path=repr(str(self.path))))
        check_output(self.path, "workspace")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._engine = self._make_engine()
        #: Transactions of this engine take the write lock when they begin.
        self._writer = self._engine.execution_options(cbmwater_write=True)
        with self._errors():
            self._migrate()

    # ------------------------------------------------------------------ connection
    def _make_engine(self) -> Engine:
        path = str(self.path)

        def connect() -> sqlite3.Connection:
            # the driver's own transaction handling is off (isolation_level=None); the
            # "begin" hook below issues BEGIN or BEGIN IMMEDIATE
            return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)

        # NullPool: a connection per operation, so a Workspace may be shared by threads
        # (Streamlit sessions) and survives a fork (job workers) without sharing a handle.
        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi: sqlite3.Connection, _record: object) -> None:
            cur = dbapi.cursor()
            try:
                cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise WorkspaceError(
                        Text.of("workspace.error.no_wal", path=repr(path), mode=repr(mode))
                    )
                cur.execute("PRAGMA synchronous = FULL")
                cur.execute("PRAGMA foreign_keys = ON")
            finally:
                cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("cbmwater_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as :class:`WorkspaceError` naming the file."""
        try:
            yield
        except DBAPIError as exc:
            orig = exc.orig if exc.orig is not None else exc
            text = str(orig)
            why: Message | str
            if "locked" in text or "busy" in text:
                why = Message("workspace.why.locked", {"seconds": BUSY_TIMEOUT_S})
            elif "not a database" in text or "malformed" in text:
                why = Message("workspace.why.not_database")
            else:
                why = text  # SQLite's own message, shown as it is
            raise WorkspaceError(
                Text.of("workspace.error.sqlite", path=repr(str(self.path)), why=why)
            ) from None

    def close(self) -> None:
        """Release the engine (every operation already closes its connection)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema
    def _header(self, conn: Connection) -> tuple[int, int, int]:
        version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
        app = int(conn.exec_driver_sql("PRAGMA application_id").scalar_one())
        tables = int(
            conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            ).scalar_one()
        )
        return version, app, tables

    def _check_header(self, version: int, app: int, tables: int) -> None:
        path = repr(str(self.path))
        if (version == 0 and tables) or (version and app != APPLICATION_ID):
            raise WorkspaceError(Text.of("workspace.error.other_program", path=path))
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                Text.of(
                    "workspace.error.newer_schema",
                    path=path,
                    version=version,
                    engine=__version__,
                    known=SCHEMA_VERSION,
                )
            )

    def _migrate(self) -> None:
        with self._engine.connect() as conn, conn.begin():
            header = self._header(conn)
        self._check_header(*header)
        if header[0] == SCHEMA_VERSION:
            return
        with self._writer.connect() as conn, conn.begin():  # BEGIN IMMEDIATE
            version, app, tables = self._header(conn)  # another process may have migrated
            self._check_header(version, app, tables)
            for step in MIGRATIONS[version:]:
                step(conn)
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        """``PRAGMA user_version`` of the file."""
        with self._errors(), self._engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    # ------------------------------------------------------------------ writes
    def save_input(self, name: str, data: bytes, kind: str) -> str:
        """Store a file's bytes (once per content) and return its SHA-256."""
        item = InputFile(check_input_name(name), data, kind)
        with self._errors(), Session(self._writer) as s, s.begin():
            return self._put_input(s, item)

    def _put_input(self, s: Session, item: InputFile) -> str:
        name = check_input_name(item.name)
        data = _check_bytes(item.data, name)
        kind = _choice(item.kind, INPUT_KINDS, _INPUT_KIND)
        sha = hashlib.sha256(data).hexdigest()
        s.execute(
            sqlite_insert(Input)
            .values(sha256=sha, name=name, kind=kind, data=data, size=len(data), added=_now())
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
        return sha

    def save_run(
        self,
        kind: str,
        result: Mapping[str, Any],
        *,
        inputs: Iterable[str | InputFile] = (),
        options: Mapping[str, Any] | None = None,
        label: str = "",
    ) -> int:
        """Store a finished run in one transaction and return its id.

        ``result`` is JSON-ready (a result's ``to_dict()`` through ``jsonable``); ``inputs``
        are SHA-256 of saved inputs or :class:`InputFile` saved in the same transaction.
        """
        kind = _choice(kind, RUN_KINDS, _RUN_KIND)
        if not isinstance(result, Mapping):
            raise InputError(Text.of("workspace.error.result_type", got=type(result).__name__))
        result_json = _json(dict(result), Message("workspace.what.result"))
        if len(result_json.encode("utf-8")) > MAX_RESULT_BYTES:
            raise InputError(
                Text.of(
                    "workspace.error.result_too_large",
                    mb=len(result_json.encode("utf-8")) / 2**20,
                    limit=MAX_RESULT_BYTES / 2**20,
                )
            )
        options_json = _json(dict(options or {}), Message("workspace.what.options"))
        figures_json = _json(key_figures(kind, result), Message("workspace.what.key_figures"))
        status = result.get("status")
        items = list(inputs)
        for it in items:  # checked before the transaction, which then holds the lock briefly
            if isinstance(it, InputFile):
                _check_bytes(it.data, check_input_name(it.name))
                _choice(it.kind, INPUT_KINDS, _INPUT_KIND)
            elif not (isinstance(it, str) and _SHA.match(it)):
                raise InputError(Text.of("workspace.error.input_ref", got=f"{it!r:.80}"))
        run = Run(
            kind=kind,
            label=check_label(label),
            created=_now(),
            engine_version=__version__,
            databases=_json(database_hashes(), Message("workspace.what.databases")),
            options=options_json,
            result=result_json,
            status=status if isinstance(status, str) and status else "done",
            key_figures=figures_json,
        )
        with self._errors(), Session(self._writer) as s, s.begin():
            links = []
            for position, it in enumerate(items):
                if isinstance(it, InputFile):
                    links.append((position, self._put_input(s, it), check_input_name(it.name)))
                    continue
                name = s.scalar(select(Input.name).where(Input.sha256 == it))
                if name is None:
                    raise WorkspaceError(
                        Text.of(
                            "workspace.error.no_input_save_first",
                            path=repr(str(self.path)),
                            sha256=it,
                        )
                    )
                links.append((position, it, name))
            s.add(run)
            s.flush()
            s.add_all(
                RunInput(run_id=run.id, position=p, sha256=sha, name=name) for p, sha, name in links
            )
            return int(run.id)

    def relabel(self, run_id: int, label: str) -> None:
        """Give a run a new label."""
        new = check_label(label)
        with self._errors(), Session(self._writer) as s, s.begin():
            done = s.execute(update(Run).where(Run.id == _check_id(run_id)).values(label=new))
            if getattr(done, "rowcount", 0) != 1:
                raise self._no_run(run_id)

    def delete(self, run_id: int) -> None:
        """Delete a run, and those of its inputs no other run uses."""
        run_id = _check_id(run_id)
        with self._errors(), Session(self._writer) as s, s.begin():
            if s.scalar(select(Run.id).where(Run.id == run_id)) is None:
                raise self._no_run(run_id)
            shas = set(s.scalars(select(RunInput.sha256).where(RunInput.run_id == run_id)))
            s.execute(delete(RunInput).where(RunInput.run_id == run_id))
            s.execute(delete(Run).where(Run.id == run_id))
            used = set(s.scalars(select(RunInput.sha256).where(RunInput.sha256.in_(shas))))
            if shas - used:
                s.execute(delete(Input).where(Input.sha256.in_(shas - used)))

    # ------------------------------------------------------------------ reads
    def _no_run(self, run_id: object) -> WorkspaceError:
        return WorkspaceError(
            Text.of("workspace.error.no_run", path=repr(str(self.path)), id=str(run_id))
        )

    def runs(self, kind: str | None = None) -> list[RunSummary]:
        """Every run (of one kind), newest first."""
        q = select(Run.id, Run.kind, Run.label, Run.created, Run.key_figures, Run.status)
        if kind is not None:
            q = q.where(Run.kind == _choice(kind, RUN_KINDS, _RUN_KIND))
        q = q.order_by(Run.created.desc(), Run.id.desc())
        with self._errors(), Session(self._engine) as s, s.begin():
            rows = s.execute(q).all()
        return [
            RunSummary(r.id, r.kind, r.label, _time(r.created), json.loads(r.key_figures), r.status)
            for r in rows
        ]

    def run(self, run_id: int) -> RunRecord:
        """Everything stored about one run."""
        run_id = _check_id(run_id)
        with self._errors(), Session(self._engine) as s, s.begin():
            r = s.get(Run, run_id)
            if r is None:
                raise self._no_run(run_id)
            links = s.execute(
                select(RunInput.sha256, RunInput.name, Input.kind, Input.size)
                .join(Input, Input.sha256 == RunInput.sha256)
                .where(RunInput.run_id == run_id)
                .order_by(RunInput.position)
            ).all()
            return RunRecord(
                id=r.id,
                kind=r.kind,
                label=r.label,
                created=_time(r.created),
                status=r.status,
                engine_version=r.engine_version,
                databases=json.loads(r.databases),
                options=json.loads(r.options),
                result=json.loads(r.result),
                key_figures=json.loads(r.key_figures),
                inputs=tuple(StoredInput(sha, name, k, size) for sha, name, k, size in links),
            )

    def input_bytes(self, sha256: str) -> bytes:
        """The bytes of a saved input."""
        if not (isinstance(sha256, str) and _SHA.match(sha256)):
            raise InputError(Text.of("workspace.error.sha256", got=repr(sha256)))
        with self._errors(), Session(self._engine) as s, s.begin():
            data = s.scalar(select(Input.data).where(Input.sha256 == sha256))
        if data is None:
            raise WorkspaceError(
                Text.of("workspace.error.no_input", path=repr(str(self.path)), sha256=sha256)
            )
        return bytes(data)

    def count(self) -> int:
        """How many runs the workspace holds."""
        with self._errors(), Session(self._engine) as s, s.begin():
            return int(s.scalar(select(func.count()).select_from(Run)) or 0)
