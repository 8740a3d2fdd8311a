"""The workspace through the public API: :class:`Workspace` keeps every input and every run.

A workspace is one SQLite file (default ``~/.cbmwater/workspace.sqlite``, or the file named by
the environment variable ``CBMWATER_WORKSPACE``).  A run is saved in one transaction when it
has finished, with its inputs, options, engine and database versions and the result's
``to_dict()``; see :mod:`cbmwater.workspace` for the schema, its migrations and the durability
guarantees.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import InputError
from ..geochem.characterise import Characterisation
from ..i18n import Message, Text
from ..workspace import (
    INPUT_KINDS,
    RUN_KINDS,
    InputFile,
    RunRecord,
    RunSummary,
    StoredInput,
    WorkspaceError,
)
from .casefiles import case_references
from .outputs import jsonable, zip_bytes
from .reinjection import proposal_files
from .results import JsonResult

if TYPE_CHECKING:  # pragma: no cover
    from ..workspace.store import Store

__all__ = [
    "Workspace",
    "WorkspaceError",
    "RunSummary",
    "RunRecord",
    "StoredInput",
    "InputFile",
    "INPUT_KINDS",
    "RUN_KINDS",
    "WORKSPACE_ENV",
    "default_workspace_path",
    "result_dict",
    "run_inputs",
]

#: The environment variable that names the workspace file.
WORKSPACE_ENV = "CBMWATER_WORKSPACE"


def default_workspace_path() -> Path:
    """The workspace file used when none is named: ``$CBMWATER_WORKSPACE`` if set, else
    ``~/.cbmwater/workspace.sqlite``.

    Examples
    --------
    >>> import os
    >>> os.environ["CBMWATER_WORKSPACE"] = "/tmp/ws-example.sqlite"
    >>> str(default_workspace_path())
    '/tmp/ws-example.sqlite'
    >>> del os.environ["CBMWATER_WORKSPACE"]
    >>> default_workspace_path().parts[-2:]
    ('.cbmwater', 'workspace.sqlite')
    """
    env = os.environ.get(WORKSPACE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cbmwater" / "workspace.sqlite"


def result_dict(result: Any) -> dict[str, Any]:
    """A run's result as the JSON-ready dict the workspace stores.

    Parameters
    ----------
    result : JsonResult, mapping, Characterisation, DataFrame or list of JsonResult
        A result of the API (its ``to_dict()`` is taken), that dict itself, a
        :class:`~cbmwater.geochem.characterise.Characterisation` (``{"records": [...],
        "provenance": {...}}``, as ``characterise --format json`` with provenance), the
        records of :func:`cbmwater.characterise` (``{"records": [...]}``) or the points of
        :func:`cbmwater.pareto_front` (``{"points": [...]}``).

    Returns
    -------
    dict
        NaN and infinities as None, numpy numbers as Python numbers.

    Examples
    --------
    >>> result_dict({"recovery": float("nan"), "lcow_CNY_m3": 6.5})
    {'recovery': None, 'lcow_CNY_m3': 6.5}
    """
    if isinstance(result, JsonResult):
        data: Any = result.to_dict()
    elif isinstance(result, Mapping):
        data = dict(result)
    elif isinstance(result, pd.DataFrame):
        data = {"records": result.astype(object).where(result.notna(), None).to_dict("records")}
    elif isinstance(result, Characterisation):
        records = result.records
        rows = records.astype(object).where(records.notna(), None).to_dict("records")
        data = {"records": rows, "provenance": result.provenance}
    elif isinstance(result, (list, tuple)) and all(isinstance(p, JsonResult) for p in result):
        data = {"points": [p.to_dict() for p in result]}
    else:
        raise InputError(Text.of("workspace.error.result_kind", got=type(result).__name__))
    out = jsonable(data)
    assert isinstance(out, dict)
    return out


def _inside(ref: str) -> str | None:
    rel = PurePosixPath(ref.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or ":" in rel.parts[0]:
        return None
    return rel.as_posix()


def run_inputs(path: str | os.PathLike[str], kind: str) -> list[InputFile]:
    """A run's input file and the files it names, ready for :meth:`Workspace.save_run`.

    Parameters
    ----------
    path : str or PathLike
        The file the run read: a lab file, a case TOML or a proposal TOML.
    kind : {"lab", "case", "proposal", "mineplan", "other"}
        Its kind.  A case (``case`` or ``mineplan``) brings the tables it names (``[case]
        analyses`` as ``lab``, ``[sources] wells`` and ``production`` as ``other``); a
        proposal brings the lab files of its injectate and formation water.

    Returns
    -------
    list of InputFile
        The file under its own name, then each named file under its path relative to the
        file's folder (its file name when it lies outside), so an export re-runs.

    Raises
    ------
    InputError
        A file is missing or unreadable.

    Examples
    --------
    >>> from cbmwater.resources import example_path
    >>> [(f.name, f.kind) for f in run_inputs(example_path("qinshui_south", "case.toml"), "case")]
    [('case.toml', 'case'), ('analyses.csv', 'lab'), ('wells.csv', 'other')]
    """
    if kind not in INPUT_KINDS:
        raise InputError(
            Text.of(
                "workspace.error.unknown_choice",
                what=Message("workspace.what.input_kind"),
                value=repr(kind),
                allowed=", ".join(INPUT_KINDS),
            )
        )
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(
            Text.of("workspace.error.read_input", why=str(exc.strerror)), file=str(p)
        ) from None
    refs: list[tuple[str, str]] = []
    if kind in ("case", "mineplan"):
        try:
            doc = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            doc = {}
        refs = [
            (ref, "lab" if field == "[case] analyses" else "other")
            for field, ref in case_references(doc)
        ]
    elif kind == "proposal":
        refs = [(ref, "lab") for ref in proposal_files(raw)]
    out = [InputFile(p.name, raw, kind)]
    for ref, ref_kind in refs:
        target = p.parent / ref
        name = _inside(ref) or Path(ref).name
        try:
            out.append(InputFile(name, target.read_bytes(), ref_kind))
        except OSError as exc:
            raise InputError(
                Text.of("workspace.error.read_named", ref=repr(ref), why=str(exc.strerror)),
                file=str(p),
            ) from None
    return out


class Workspace:
    """The file that keeps every input and every run (SQLite, WAL, schema migrated at open).

    Parameters
    ----------
    path : str or PathLike, optional
        The workspace file (default: :func:`default_workspace_path`); made with its folders
        when missing.
    create : bool
        Make the file when it does not exist (False: :class:`WorkspaceError` instead).

    Raises
    ------
    WorkspaceError
        The file is not a workspace, has a newer schema than this cbmwater, or is missing
        with ``create=False``.
    InputError
        The path cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, cbmwater
    >>> ws = cbmwater.Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
    >>> sha = ws.save_input("lab.csv", b"sample_id,pH,Na,Cl\\nW1,7.9,46,71\\n", "lab")
    >>> run_id = ws.save_run("treat", {"sample_id": "W1", "recovery": 0.75,
    ...                               "lcow_CNY_m3": 6.2}, inputs=[sha], label="first try")
    >>> [(r.id, r.kind, r.label, r.key_figures["recovery"]) for r in ws.runs()]
    [(1, 'treat', 'first try', 0.75)]
    >>> ws.run(run_id).input_hashes == (sha,)
    True
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True):
        from ..workspace.store import Store  # SQLAlchemy is loaded here, not on import

        self._store: Store = Store(
            default_workspace_path() if path is None else path, create=create
        )

    @property
    def path(self) -> Path:
        """The workspace file."""
        return self._store.path

    @property
    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``; this code writes
        :data:`cbmwater.workspace.schema.SCHEMA_VERSION`)."""
        return self._store.schema_version

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    def save_input(self, name: str, data: bytes, kind: str) -> str:
        """Keep a file the user brought; stored once per content.

        Parameters
        ----------
        name : str
            Its name, a relative path (``lab.csv``, ``tables/wells.csv``).
        data : bytes
            Its content, at most :data:`cbmwater.workspace.MAX_INPUT_BYTES` (the upload cap
            of :mod:`cbmwater.archives`, 50 MB).
        kind : {"lab", "case", "proposal", "mineplan", "other"}

        Returns
        -------
        str
            Its SHA-256 (64 hex digits), which names it in :meth:`save_run` and
            :meth:`input_bytes`.

        Raises
        ------
        InputError
            Larger than the cap, a name that leaves its folder, an unknown kind.

        Examples
        --------
        >>> import tempfile, pathlib, hashlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> ws.save_input("a.csv", b"x", "lab") == hashlib.sha256(b"x").hexdigest()
        True
        """
        return self._store.save_input(name, data, kind)

    def save_run(
        self,
        kind: str,
        result: Any,
        *,
        inputs: Iterable[str | InputFile] = (),
        options: Mapping[str, Any] | None = None,
        label: str = "",
    ) -> int:
        """Keep a finished run, in one transaction (all of it or nothing).

        Parameters
        ----------
        kind : str
            One of :data:`RUN_KINDS` (``characterise``, ``compliance``, ``treat``, ``review``,
            ``optimise``, ``pareto``, ``minewater_plan`` ...).
        result : JsonResult or dict
            The API's result or its ``to_dict()`` (see :func:`result_dict` for the other
            forms).
        inputs : iterable of str or InputFile
            SHA-256 of inputs saved with :meth:`save_input`, or :class:`InputFile` (e.g. from
            :func:`run_inputs`) saved in the same transaction.
        options : mapping, optional
            The options of the run (JSON data).
        label : str
            The user's name for it (at most 200 characters).

        Returns
        -------
        int
            The run's id (ids are never reused, even after a delete).

        Raises
        ------
        InputError
            An unknown kind, a result that is not JSON data or larger than
            :data:`cbmwater.workspace.MAX_RESULT_BYTES`, a bad label or input.
        WorkspaceError
            An input hash the workspace does not hold; the file stayed locked by another
            writer longer than the busy timeout.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> rid = ws.save_run("review", {"verdict": "pass", "conditions": [], "findings": []},
        ...                   inputs=[InputFile("p.toml", b"[injectate]", "proposal")])
        >>> ws.run(rid).key_figures["verdict"], ws.run(rid).inputs[0].name
        ('pass', 'p.toml')
        """
        return self._store.save_run(
            kind, result_dict(result), inputs=inputs, options=options, label=label
        )

    def runs(self, kind: str | None = None) -> list[RunSummary]:
        """The saved runs (of one kind), newest first, with their key figures.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> _ = ws.save_run("treat", {"recovery": 0.6})
        >>> _ = ws.save_run("review", {"verdict": "fail"})
        >>> [r.kind for r in ws.runs()], [r.kind for r in ws.runs("treat")]
        (['review', 'treat'], ['treat'])
        """
        return self._store.runs(kind)

    def run(self, run_id: int) -> RunRecord:
        """Everything stored about one run: result dict, options, versions, inputs.

        Raises
        ------
        WorkspaceError
            No run of that id.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> rid = ws.save_run("treat", {"recovery": 0.6}, options={"flow_m3_d": 1000})
        >>> rec = ws.run(rid)
        >>> rec.result, rec.options, rec.engine_version == __import__("cbmwater").__version__
        ({'recovery': 0.6}, {'flow_m3_d': 1000}, True)
        """
        return self._store.run(run_id)

    def input_bytes(self, sha256: str) -> bytes:
        """The bytes of a saved input, by its SHA-256.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> ws.input_bytes(ws.save_input("a.csv", b"pH\\n7\\n", "lab"))
        b'pH\\n7\\n'
        """
        return self._store.input_bytes(sha256)

    def relabel(self, run_id: int, label: str) -> None:
        """Give a run a new label.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> rid = ws.save_run("treat", {"recovery": 0.6})
        >>> ws.relabel(rid, "RO at 1000 m3/d")
        >>> ws.run(rid).label
        'RO at 1000 m3/d'
        """
        self._store.relabel(run_id, label)

    def delete(self, run_id: int) -> None:
        """Delete a run, and those of its inputs that no other run uses.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> rid = ws.save_run("treat", {"recovery": 0.6})
        >>> ws.delete(rid)
        >>> ws.runs()
        []
        """
        self._store.delete(run_id)

    def export(self, run_id: int) -> bytes:
        """A run as a zip: ``run.json`` (the whole record) and ``inputs/<name>`` for each input.

        An exported case or proposal re-runs from the zip: its tables keep the names the case
        gives them.  The zip is deterministic (fixed member dates).

        Returns
        -------
        bytes
            The zip.

        Examples
        --------
        >>> import io, json, zipfile, tempfile, pathlib
        >>> ws = Workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")
        >>> rid = ws.save_run("treat", {"recovery": 0.6},
        ...                   inputs=[InputFile("lab.csv", b"pH\\n7\\n", "lab")])
        >>> z = zipfile.ZipFile(io.BytesIO(ws.export(rid)))
        >>> z.namelist(), json.loads(z.read("run.json"))["result"]
        (['run.json', 'inputs/lab.csv'], {'recovery': 0.6})
        """
        record = self.run(run_id)
        files: list[tuple[str, bytes | str]] = [
            ("run.json", json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n")
        ]
        seen: dict[str, str] = {}
        for position, item in enumerate(record.inputs):
            name = item.name
            if seen.get(name, item.sha256) != item.sha256:
                name = f"{position}_{name}"  # two inputs of one name: keep both
            if name in seen:
                continue
            seen[name] = item.sha256
            files.append((f"inputs/{name}", self.input_bytes(item.sha256)))
        return zip_bytes(files)

    def close(self) -> None:
        """Release the file (each operation already closes its connection)."""
        self._store.close()
