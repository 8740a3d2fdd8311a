"""Where results are written: a target checked before any work, and files written whole.

Every output (the CLI's ``--out``, ``--pqi``, ``--write-lp``, ``--write-mps``, the optimise
results folder, LP/MPS files of :func:`cbmwater.optimize.solver.write_model`) goes through
:func:`check_output` before the work starts, so a long optimisation is not run only to fail at
the end, and through :func:`write_atomic`: the content goes to a temporary file in the target's
folder, which is renamed over the target (``os.replace``) only when complete.  A failed run
leaves neither a half-written file nor a temporary one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import InputError
from .i18n import Message, Text

__all__ = ["check_output", "write_atomic"]


def _refuse(option: str, path: Path, code: str, **params: object) -> InputError:
    """``OPTION 'PATH': <problem>; <fix>`` (``output.error.<code>``)."""
    problem = Message(f"output.error.{code}", dict(params))
    return InputError(
        Text.of("output.error.refused", option=option, path=repr(str(path)), problem=problem)
    )


def check_output(path: str | os.PathLike[str], option: str, *, folder: bool = False) -> Path:
    """Check that ``path`` can be written as a file (or, with ``folder``, as a folder of files).

    Missing folders on the way are allowed (they are made when writing), but the nearest one that
    exists must be a folder one may write in.  A file target must not be an existing folder, a
    folder target not an existing file; an existing target must be writable.

    Parameters
    ----------
    path : str or PathLike
        The target.
    option : str
        How the user named it (``"--out"``), for the message.
    folder : bool
        The target is a folder of results (default: a file).

    Returns
    -------
    Path
        ``path`` as a Path.

    Raises
    ------
    InputError
        Naming the option, the path, what is wrong and what to do.
    """
    p = Path(path)
    if (str(path) == "" or p.name in ("", ".", "..")) and not folder:
        raise _refuse(option, p, "not_a_file_name")
    if p.exists() or p.is_symlink():
        if folder and not p.is_dir():
            raise _refuse(option, p, "file_not_folder")
        if not folder and p.is_dir():
            raise _refuse(option, p, "existing_folder")
        if not os.access(p, os.W_OK | (os.X_OK if folder else 0)):
            raise _refuse(option, p, "not_writable")
        if not folder:
            parent = p.parent
            if not os.access(parent, os.W_OK | os.X_OK):
                raise _refuse(option, p, "folder_not_writable_tmp", folder=repr(str(parent)))
        return p
    parent = p.parent
    while not (parent.exists() or parent.is_symlink()) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise _refuse(option, p, "parent_is_file", folder=repr(str(parent)))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(option, p, "folder_not_writable", folder=repr(str(parent)))
    return p


def write_atomic(path: str | os.PathLike[str], write: Callable[[Path], object]) -> None:
    """Write ``path`` whole: ``write`` fills a temporary file in the same folder (keeping the
    target's extension, for writers that choose the format by it), which is then renamed over
    ``path``.  On any error the temporary file is removed and ``path`` is untouched."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix="." + target.stem + ".", suffix=".part" + target.suffix
    )
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes owner-only files; results are shared
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
