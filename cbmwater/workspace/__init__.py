"""The workspace: one SQLite file that keeps every input a user brought and every run.

What is stored (schema in :mod:`cbmwater.workspace.schema`): ``inputs`` (the bytes of lab
files, cases and proposals, keyed by SHA-256, so a file used by many runs is stored once),
``runs`` (kind, label, UTC time, engine version, SHA-256 of the bundled databases, options,
the API result's ``to_dict()`` as JSON, key figures, status) and ``run_inputs`` (which inputs a
run read, under which names).  The public face is :class:`cbmwater.Workspace`.

Why SQLAlchemy and ``PRAGMA user_version``, not Alembic
    The workspace is one embedded file created on the user's machine by a pip-installed
    package, often by a version of cbmwater older or newer than the one that opens it next.
    Alembic keeps its scripts and ``alembic.ini`` beside a project and is run as a separate
    step by whoever deploys a server; here there is no deployment step and no configuration:
    the file must be brought up to date when it is opened.  So the migrations are a tuple of
    small functions (frozen SQL) in :mod:`~cbmwater.workspace.schema`, the version is SQLite's
    own header field ``PRAGMA user_version`` (no extra table to keep consistent), and opening
    applies the missing steps in one ``BEGIN IMMEDIATE`` transaction: all of them or none, and
    two processes opening an old file at once migrate it once.  A file of a newer version than
    the code knows is refused with a message rather than read wrongly.  SQLAlchemy's ORM gives
    the typed tables and queries; ``tests/test_workspace.py`` checks that the migrations build
    exactly the ORM's tables.

Durability
    * ``journal_mode = WAL``: readers (a page listing runs) never block the writer and the
      writer never blocks them; a transaction is committed when its commit frame is in the
      log, and a process killed at any moment (SIGKILL) leaves the file either with the whole
      transaction or without it: SQLite rolls back an incomplete log tail when it next opens.
    * ``synchronous = FULL``: the log is synced to disk at every commit, so a committed run
      survives a power cut or an operating-system crash too, not only a killed process
      (``NORMAL`` would keep the file consistent but may lose the last commits at a power
      cut).  The cost is one ``fsync`` per saved run, which finishes a run that took seconds
      to minutes; saves are rare, so the safer setting costs nothing noticeable.
    * ``busy_timeout`` (:data:`~cbmwater.workspace.store.BUSY_TIMEOUT_S`) and
      ``BEGIN IMMEDIATE``: two processes (two browser sessions, job workers) saving at once
      queue for the write lock instead of failing.
    * A run, the inputs it brings and its links are written in one transaction when the run
      has finished; there is no half run.
    ``tests/test_workspace.py`` kills a writer with SIGKILL mid-save and checks the file, and
    runs two writers at once.
"""

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

# The store (cbmwater.workspace.store) and the tables (cbmwater.workspace.schema) import
# SQLAlchemy; they are loaded when a workspace is opened, not when cbmwater is imported.
__all__ = [
    "WorkspaceError",
    "InputFile",
    "StoredInput",
    "RunSummary",
    "RunRecord",
    "INPUT_KINDS",
    "RUN_KINDS",
    "MAX_INPUT_BYTES",
    "MAX_RESULT_BYTES",
    "MAX_LABEL_CHARS",
    "key_figures",
]
