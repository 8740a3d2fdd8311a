"""Package data: the bundled databases and example cases, found with importlib.resources.

(Interim version on main; the packaging branch provides the full one.)
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_path", "example_path", "resource_label"]

_ROOT = Path(str(files("cbmwater"))).parent


def data_path(*parts: str) -> Path:
    """A file or folder of the bundled databases."""
    return _ROOT.joinpath("databases", *parts)


def example_path(*parts: str) -> Path:
    """A file or folder of the bundled example cases."""
    return _ROOT.joinpath("case_studies", *parts)


def resource_label(path: str | Path) -> str:
    """A repository-relative label of a bundled file (never an absolute machine path)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(_ROOT).as_posix()
    except ValueError:
        return p.name
