"""Where the package's data lives: ``cbmwater/databases`` and ``cbmwater/case_studies``.

Both folders are package data: a checkout, an editable install and an installed wheel all find
them through :func:`importlib.resources.files`, never through the repository layout.  Results name
a file by :func:`resource_label` (``cbmwater/databases/standards.csv``), never by the absolute path
of one machine.
"""

from __future__ import annotations

import os
import pathlib
from importlib.resources import files

from .errors import CbmwaterError
from .i18n import Text

__all__ = ["data_path", "example_path", "resource_label"]

_PACKAGE = "cbmwater"


def _package_dir() -> pathlib.Path:
    """The installed package folder as a real filesystem path.

    Raises
    ------
    CbmwaterError
        If the package is not on a filesystem (e.g. imported from a zip archive), where PHREEQC
        and the table readers could not open its data files by path.
    """
    root = files(_PACKAGE)
    path = pathlib.Path(str(root))
    if not isinstance(root, pathlib.Path) or not path.is_dir():
        raise CbmwaterError(Text.of("resources.error.not_filesystem", root=repr(root)))
    return path


def _under(folder: str, parts: tuple[str, ...]) -> pathlib.Path:
    for part in parts:
        if not isinstance(part, str) or not part or os.path.isabs(part) or ".." in part.split("/"):
            raise CbmwaterError(Text.of("resources.error.bad_part", part=part, folder=folder))
    return _package_dir().joinpath(folder, *parts)


def data_path(*parts: str) -> pathlib.Path:
    """A file or folder under ``cbmwater/databases``, as a real filesystem path.

    Parameters
    ----------
    *parts : str
        Path components below ``databases``, e.g. ``("treatment", "units.toml")``; none gives
        the folder itself.

    Returns
    -------
    pathlib.Path
        The path (it is not checked to exist).

    Examples
    --------
    >>> data_path("standards.csv").name
    'standards.csv'
    """
    return _under("databases", parts)


def example_path(*parts: str) -> pathlib.Path:
    """A file or folder under ``cbmwater/case_studies`` (the bundled example cases).

    Examples
    --------
    >>> example_path("qinshui_south", "case.toml").is_file()
    True
    """
    return _under("case_studies", parts)


def resource_label(path: str | os.PathLike[str]) -> str:
    """A label for ``path`` that is safe to record as provenance.

    A file inside the package is named relative to the package's parent
    (``cbmwater/databases/standards.csv``), wherever the package is installed.  A relative path
    is kept as given; an absolute path under the working directory becomes relative to it; any
    other absolute path is reduced to its file name, so no label carries a machine path.

    Examples
    --------
    >>> resource_label(data_path("treatment", "units.toml"))
    'cbmwater/databases/treatment/units.toml'
    >>> resource_label("/somewhere/else/wells.csv")
    'wells.csv'
    """
    p = pathlib.Path(path)
    if not p.is_absolute():
        return p.as_posix()
    resolved = p.resolve()
    try:
        pkg = _package_dir().resolve()
    except CbmwaterError:
        pkg = None
    if pkg is not None and resolved.is_relative_to(pkg):
        return (pathlib.PurePosixPath(_PACKAGE) / resolved.relative_to(pkg).as_posix()).as_posix()
    cwd = pathlib.Path.cwd().resolve()
    if resolved.is_relative_to(cwd):
        return resolved.relative_to(cwd).as_posix()
    return p.name
