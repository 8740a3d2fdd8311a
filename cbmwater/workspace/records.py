"""What the workspace holds, as plain objects: runs, inputs, limits and its error (no database
code here, so importing cbmwater does not load SQLAlchemy; :mod:`cbmwater.workspace.store`
does, when a workspace is opened)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..archives import MAX_UPLOAD_BYTES
from ..errors import CbmwaterError

__all__ = [
    "WorkspaceError",
    "InputFile",
    "StoredInput",
    "RunSummary",
    "RunRecord",
    "INPUT_KINDS",
    "MAX_INPUT_BYTES",
    "MAX_RESULT_BYTES",
    "MAX_LABEL_CHARS",
]

#: Kinds of input: a lab file, a decision-engine case, a reinjection proposal, a mine-water
#: case, or anything else a run read.
INPUT_KINDS: tuple[str, ...] = ("lab", "case", "proposal", "mineplan", "other")
#: One input: the upload cap of :mod:`cbmwater.archives` (50 MB), the largest file the app
#: accepts; a larger lab file is read from a path and not kept.
MAX_INPUT_BYTES = MAX_UPLOAD_BYTES
#: One run's result as JSON: 256 MB.  The characterisation of the largest upload (about
#: 100 000 samples at 1.5 kB of JSON each) is about 150 MB; SQLite's own cap on a value is
#: 1 GB (SQLITE_MAX_LENGTH), and a result is held in memory whole while it is saved.
MAX_RESULT_BYTES = 256 * 1024 * 1024
#: A run's label: 200 characters (a title, not a note).
MAX_LABEL_CHARS = 200


class WorkspaceError(CbmwaterError):
    """The workspace file cannot be used: not a workspace, newer than this code, busy, or a
    run or input it does not hold."""


@dataclass(frozen=True)
class InputFile:
    """An input to save with a run, in the run's transaction.

    ``name``: a relative path (``case.toml``, ``tables/wells.csv``); ``data``: its bytes;
    ``kind``: one of :data:`INPUT_KINDS`.
    """

    name: str
    data: bytes = field(repr=False)
    kind: str = "other"


@dataclass(frozen=True)
class StoredInput:
    """An input of a run: SHA-256, the name the run used, its kind and size (bytes)."""

    sha256: str
    name: str
    kind: str
    size: int


@dataclass(frozen=True)
class RunSummary:
    """A run as a list shows it: id, kind, label, when (UTC), key figures and status."""

    id: int
    kind: str
    label: str
    created: datetime
    key_figures: dict[str, Any]
    status: str


@dataclass(frozen=True)
class RunRecord:
    """Everything stored about a run.

    ``result`` is the API result's ``to_dict()``; ``databases`` maps each bundled database
    file to its SHA-256; ``inputs`` are in the order the run gave them.
    """

    id: int
    kind: str
    label: str
    created: datetime
    status: str
    engine_version: str
    databases: dict[str, str]
    options: dict[str, Any]
    result: dict[str, Any]
    key_figures: dict[str, Any]
    inputs: tuple[StoredInput, ...]

    @property
    def input_hashes(self) -> tuple[str, ...]:
        """The SHA-256 of every input, in order."""
        return tuple(i.sha256 for i in self.inputs)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data (``created`` as ISO 8601 text)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "created": self.created.isoformat(),
            "status": self.status,
            "engine_version": self.engine_version,
            "databases": self.databases,
            "options": self.options,
            "key_figures": self.key_figures,
            "inputs": [vars(i).copy() for i in self.inputs],
            "result": self.result,
        }
