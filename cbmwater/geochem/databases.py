"""PHREEQC thermodynamic databases shipped in ``cbmwater/databases/phreeqc/``.

The files are the USGS public-domain databases in the versions that load in IPhreeqc 3.7.3 (the
library phreeqpy 0.6.0 bundles); ``cbmwater/databases/phreeqc/README.md`` gives their origin and SHA-256.
A user may also name any ``.dat`` file by path.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DatabaseError, InputError
from ..i18n import Text, joined
from ..resources import data_path

__all__ = ["DATABASE_DIR", "DATABASES", "DatabaseInfo", "resolve_database", "database_info"]

#: Folder of the shipped databases (the repository's ``cbmwater/databases/phreeqc``).
DATABASE_DIR = data_path("phreeqc")
#: Short names of the shipped databases.
DATABASES: dict[str, str] = {
    "phreeqc": "phreeqc.dat",
    "pitzer": "pitzer.dat",
    "wateq4f": "wateq4f.dat",
}


@dataclass(frozen=True)
class DatabaseInfo:
    """What cbmwater needs to know about a PHREEQC database.

    Attributes
    ----------
    path : Path
    name : str
        File name (``phreeqc.dat``).
    sha256 : str
        Hash of the file, recorded with every result.
    elements : frozenset of str
        Element and redox-state names of SOLUTION_MASTER_SPECIES (``Na``, ``S(6)``, ``N(-3)``).
    phases : frozenset of str
        Phase names of PHASES.
    pitzer : bool
        True when the database uses the Pitzer activity model (valid at high ionic strength).
    """

    path: Path
    name: str
    sha256: str
    elements: frozenset[str]
    phases: frozenset[str]
    pitzer: bool


def resolve_database(name_or_path: str | Path | None = None) -> Path:
    """The path of a database given by short name (``phreeqc``, ``pitzer``, ``wateq4f``, or the
    same with ``.dat``) or by file path.  Default: ``phreeqc.dat``.

    Raises
    ------
    InputError
        For an unknown name or a path that does not exist.
    """
    if name_or_path is None:
        name_or_path = "phreeqc"
    text = str(name_or_path)
    key = text[:-4] if text.lower().endswith(".dat") else text
    if key.lower() in DATABASES and "/" not in text and "\\" not in text:
        path = DATABASE_DIR / DATABASES[key.lower()]
        if not path.exists():  # pragma: no cover - packaging error
            raise DatabaseError(Text.of("geochem.error.shipped_missing", path=str(path)))
        return path
    path = Path(text)
    if not path.is_file():
        raise InputError(
            Text.of(
                "geochem.error.unknown_database", name=repr(text), allowed=joined(list(DATABASES))
            )
        )
    return path.resolve()


_BLOCK = re.compile(r"^([A-Z_]+)\b")


@lru_cache(maxsize=16)
def _info(path: Path, mtime: float) -> DatabaseInfo:
    data = path.read_bytes()
    text = data.decode("latin-1")
    elements: set[str] = set()
    phases: set[str] = set()
    block = None
    expect_phase = False
    pitzer = False
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        m = _BLOCK.match(stripped)
        if m and not line[0].isspace():
            word = m.group(1)
            if (
                word
                in (
                    "SOLUTION_MASTER_SPECIES",
                    "PHASES",
                    "SOLUTION_SPECIES",
                    "SURFACE_MASTER_SPECIES",
                    "EXCHANGE_MASTER_SPECIES",
                    "SURFACE_SPECIES",
                    "EXCHANGE_SPECIES",
                    "RATES",
                    "END",
                    "LLNL_AQUEOUS_MODEL_PARAMETERS",
                    "NAMED_EXPRESSIONS",
                    "SIT",
                    "GAS_BINARY_PARAMETERS",
                )
                or word == "PITZER"
            ):
                block = word
                pitzer = pitzer or word == "PITZER"
                expect_phase = block == "PHASES"
                continue
        if block == "SOLUTION_MASTER_SPECIES":
            elements.add(stripped.split()[0])
        elif block == "PHASES":
            token = stripped.split()[0]
            if (
                not line[0].isspace()
                and not token.startswith("-")
                and "=" not in stripped
                or expect_phase
                and "=" not in stripped
                and not token.startswith("-")
            ):
                phases.add(token)
            expect_phase = False
    if not elements:
        raise DatabaseError(Text.of("geochem.error.not_database", path=str(path)))
    return DatabaseInfo(
        path,
        path.name,
        hashlib.sha256(data).hexdigest(),
        frozenset(elements),
        frozenset(phases),
        pitzer,
    )


def database_info(name_or_path: str | Path | None = None) -> DatabaseInfo:
    """Parse (once, cached) the element and phase names and the hash of a database."""
    path = resolve_database(name_or_path)
    return _info(path, path.stat().st_mtime)
