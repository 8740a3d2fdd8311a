"""Case files as the faces receive them: a ``case.toml`` on disk or an uploaded ``.zip`` of a
case and its tables, read (not yet validated) into a :class:`CaseSource`.

A source is schema-agnostic: :func:`cbmwater.study.network.case_from_source` validates a
decision-engine case, :func:`cbmwater.study.minewater.mine_case_from_source` a mine-water case.
Uploaded zips are extracted with safety checks: no member or referenced table may leave the
extracted folder, and the size is bounded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..archives import extract_zip, open_zip, read_upload
from ..errors import InputError
from ..i18n import Message, Text, joined, localized
from ..resources import example_path, resource_label

__all__ = [
    "CaseSource",
    "read_case_file",
    "read_case_zip",
    "case_references",
    "bundled_cases",
    "case_title",
    "is_network_case",
    "is_mine_case",
]


@dataclass(frozen=True)
class CaseSource:
    """A case TOML read but not yet validated.

    ``data``: the parsed TOML; ``base``: the folder its CSV paths are relative to; ``file``:
    the name errors and results use; ``raw``: the TOML bytes; ``key``: identifies the source
    (bundled path or uploaded zip, with a content hash); ``display``: how to show the folder
    in messages (an upload's temporary folder is shown as the zip's name).
    """

    data: dict[str, Any]
    base: Path
    file: str
    raw: bytes
    key: str
    display: tuple[str, str] | None = None

    def friendly(self, msg: str) -> str:
        """``msg`` with the temporary folder of an upload replaced by the zip's name."""
        if self.display is None:
            return msg
        folder, shown = self.display
        return msg.replace(folder + os.sep, shown + "/").replace(folder, shown)


def is_network_case(path: Path) -> bool:
    """Whether a case file is a decision-engine case (it has ``[sources]``; a mine-water case has
    ``[[points]]`` instead and belongs to the Mine water page)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True  # unreadable: listed, and the page shows the loader's error
    return "sources" in data and "points" not in data


def case_title(path: Path, lang: str = "en") -> str:
    """``[case] name`` of a case file (its folder name if unreadable); in Chinese its
    ``name_zh`` when the case gives one."""
    try:
        case = tomllib.loads(path.read_text(encoding="utf-8")).get("case", {})
        name: str | None = localized(case, "name", lang) if isinstance(case, dict) else None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError):
        name = None
    return name if isinstance(name, str) and name.strip() else path.parent.name


def _read_toml(raw: bytes, file: str) -> dict:
    try:
        return tomllib.loads(bytes(raw).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Text.of("case.bad_toml", exc=str(exc)), file=file) from None


def read_case_file(path: str | Path) -> CaseSource:
    """Read a case TOML on disk, not yet validated (a bundled case or the user's own file).

    Parameters
    ----------
    path : str or Path
        The ``case.toml``; its CSV paths are relative to its folder.

    Returns
    -------
    CaseSource
        ``file`` is the path's repository-relative label (never an absolute machine path).

    Raises
    ------
    InputError
        The file is missing or not UTF-8 TOML.

    Examples
    --------
    >>> from cbmwater.resources import example_path
    >>> src = read_case_file(example_path("qinshui_south", "case.toml"))
    >>> src.file, "sources" in src.data
    ('cbmwater/case_studies/qinshui_south/case.toml', True)
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(Text.of("error.case_not_found"), file=str(p))
    raw = p.read_bytes()
    rel = resource_label(p)
    return CaseSource(
        _read_toml(raw, rel),
        p.resolve().parent,
        rel,
        raw,
        f"bundled:{rel}:{hashlib.sha256(raw).hexdigest()[:16]}",
    )


def _safe_member(name: str) -> PurePosixPath | None:
    """The member's relative path, or None for a name that would leave the folder."""
    n = name.replace("\\", "/")
    p = PurePosixPath(n)
    if not n or p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
        return None
    return p


def case_references(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, path) of the files a case TOML names (``[case] analyses``, ``[sources] wells``
    and ``production``)."""
    out = []
    c = data.get("case")
    if isinstance(c, dict) and isinstance(c.get("analyses"), str):
        out.append(("[case] analyses", c["analyses"]))
    s = data.get("sources")
    if isinstance(s, dict):
        for k in ("wells", "production"):
            if isinstance(s.get(k), str):
                out.append((f"[sources] {k}", s[k]))
    return out


def read_case_zip(data: bytes, name: str, workdir: str | Path | None = None) -> CaseSource:
    """Extract an uploaded case (``.zip`` of ``case.toml`` and its CSV tables) and read it.

    The zip may hold the files at its top or inside one folder.  Its case file is the one
    ``case.toml`` (or, failing that, the one ``.toml``).  Every member and every file the case
    names must stay inside the extracted folder.

    The zip is extracted once into a folder of the system's temporary directory named by its
    SHA-256 (reruns reuse it).  Before that the zip is inspected and then extracted by
    streaming with a byte budget (:mod:`cbmwater.archives`): at most 50 MB uploaded, 2000
    members and 200 MB uncompressed, a compression ratio of 100; no encrypted, absolute,
    ``..``, symbolic-link, clashing, over-long or forged member.  A refused zip leaves nothing
    behind.

    Parameters
    ----------
    data : bytes
        The zip.
    name : str
        Its name as uploaded (must end in ``.zip``); messages name it, never the folder.
    workdir : str or Path, optional
        Where to extract (default: ``<tmp>/cbmwater_app_cases``).

    Returns
    -------
    CaseSource

    Raises
    ------
    InputError
        Not a zip, a member escaping the folder, no (or several) case files, a referenced table
        missing from the zip, invalid TOML; a zip refused by :mod:`cbmwater.archives`, naming
        the member and the limit.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise InputError(Text.of("study.error.upload_not_file", name=name))
    if not name.lower().endswith(".zip"):
        raise InputError(Text.of("study.error.upload_zip", name=name))
    data = read_upload(data, name)
    sha = hashlib.sha256(data).hexdigest()
    with open_zip(data, name) as zf:  # inspected: caps, names, links, encryption
        infos = [i for i in zf.infolist() if not i.is_dir()]
        infos = [
            i
            for i in infos
            if not i.filename.startswith("__MACOSX/")
            and PurePosixPath(i.filename.replace("\\", "/")).name != ".DS_Store"
        ]
        members: dict[PurePosixPath, zipfile.ZipInfo] = {}
        for i in infos:
            p = _safe_member(i.filename)
            if p is None:
                raise InputError(
                    Text.of("study.error.zip_member_outside"),
                    file=name,
                    value=i.filename,
                )
            members[p] = i
        tomls = [p for p in members if p.suffix.lower() == ".toml"]
        cases = [p for p in tomls if p.name.lower() == "case.toml"] or tomls
        listing: str | Message = ", ".join(sorted(str(p) for p in members)[:12]) or Message(
            "study.zip_holds_nothing"
        )
        if not cases:
            raise InputError(Text.of("study.error.zip_no_case", listing=listing), file=name)
        if len(cases) > 1:
            raise InputError(
                Text.of(
                    "study.error.zip_several_cases",
                    cases=joined(sorted(str(p) for p in cases)),
                ),
                file=name,
            )
        toml_rel = cases[0]
        root = (
            Path(workdir)
            if workdir is not None
            else Path(tempfile.gettempdir()) / "cbmwater_app_cases"
        )
        folder = root / sha[:32]
        if not (folder / ".complete").is_file():
            if folder.exists():  # left half-written by a crash: start again
                shutil.rmtree(folder, ignore_errors=True)
            root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".part_", dir=root))
            try:  # streamed with a byte budget: a forged header cannot exceed it
                extract_zip(zf, name, members, tmp)
                (tmp / ".complete").write_text(name, encoding="utf-8")
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            try:
                tmp.rename(folder)
            except OSError:  # another run extracted it meanwhile
                shutil.rmtree(tmp, ignore_errors=True)
    toml_path = folder.joinpath(*toml_rel.parts)
    base = toml_path.parent
    raw = toml_path.read_bytes()
    shown = f"{name}:{toml_rel}"
    doc = _read_toml(raw, shown)
    inner = toml_rel.parent
    missing = []
    for fld, ref in case_references(doc):
        rp = _safe_member(ref)
        if rp is None:
            raise InputError(
                Text.of("study.error.zip_table_outside", field=fld, ref=ref),
                file=shown,
            )
        if inner.joinpath(rp) not in members:
            missing.append(f"{fld} = {ref!r}")
    if missing:
        raise InputError(
            Text.of("study.error.zip_missing_tables", missing="; ".join(missing), listing=listing),
            file=shown,
        )
    return CaseSource(doc, base, shown, raw, f"upload:{sha[:16]}", (str(folder), name))


def is_mine_case(path: Path) -> bool:
    """Whether a case file is a mine-water case (it has ``[[points]]``); unreadable: False."""
    try:
        return "points" in tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def bundled_cases(kind: str = "network") -> list[Path]:
    """The bundled example cases (``case_studies/*/case.toml``) of one kind, by folder name.

    Parameters
    ----------
    kind : {"network", "mine"}
        Decision-engine cases (``[sources]``; an unreadable one is listed so its error shows)
        or mine-water cases (``[[points]]``).

    Examples
    --------
    >>> [p.parent.name for p in bundled_cases("mine")]
    ['daji_old_mine']
    """
    if kind not in ("network", "mine"):
        raise InputError(Text.of("study.error.case_kind", kind=kind))
    keep = is_network_case if kind == "network" else is_mine_case
    return [p for p in sorted(example_path().glob("*/case.toml")) if keep(p)]
