"""A thin, fast wrapper of IPhreeqc (the library phreeqpy 0.6.0 bundles, version 3.7.3).

One :class:`Phreeqc` object holds one IPhreeqc instance with a database loaded.  Every file output
of IPhreeqc is switched off: results come back as strings, so no input can write files.  Selected
output is read as one tab-separated string (``GetSelectedOutputString``) and parsed by pandas,
which is much faster than phreeqpy's cell-by-cell accessor for thousands of solutions.  The string
carries PHREEQC's print precision: saturation indices to 1e-4, other values to 6 significant
digits.  Only ``SELECTED_OUTPUT 1`` is read.
"""

from __future__ import annotations

import ctypes
import io
import queue
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from phreeqpy.iphreeqc import phreeqc_dll

from ..errors import GeochemError
from ..i18n import Text
from .databases import DatabaseInfo, database_info
from .redox import REDOX_MARK

_USES_AMM = re.compile(r"^\s*(Amm\s|-totals.*\bAmm\b)", re.MULTILINE)

__all__ = [
    "Phreeqc",
    "get_engine",
    "get_engines",
    "available_cores",
    "phreeqc_workers",
    "PHREEQC_WORKERS_ENV",
    "iphreeqc_version",
    "run_pipelined",
    "run_blocks",
    "MISSING_SI",
]

#: PHREEQC writes -999.999 for the SI of a phase whose elements are absent.
MISSING_SI = -999.0


class Phreeqc:
    """One IPhreeqc instance with a database loaded.

    Parameters
    ----------
    database : str or Path, optional
        Short name (``phreeqc``, ``pitzer``, ``wateq4f``) or path; default ``phreeqc.dat``.
    """

    def __init__(self, database: str | Path | None = None) -> None:
        self.db: DatabaseInfo = database_info(database)
        self._ip = phreeqc_dll.IPhreeqc()
        lib = ctypes.cdll.LoadLibrary(_library_path())
        self._lib = lib
        iid = self._ip.id_
        lib.GetErrorString.argtypes = [ctypes.c_int]
        lib.GetErrorString.restype = ctypes.c_char_p
        # loading a database resets the output switches, so load first
        lib.LoadDatabase.argtypes = [ctypes.c_int, ctypes.c_char_p]
        lib.LoadDatabase.restype = ctypes.c_int
        errors = lib.LoadDatabase(iid, str(self.db.path).encode("utf-8"))
        if errors:
            msg = (lib.GetErrorString(iid) or b"").decode("utf-8", "replace")
            raise GeochemError(
                Text.of(
                    "geochem.error.load_database",
                    path=str(self.db.path),
                    n=errors,
                    text=msg.strip()[:2000],
                )
            )
        for fn in (
            "SetOutputFileOn",
            "SetSelectedOutputFileOn",
            "SetErrorFileOn",
            "SetLogFileOn",
            "SetDumpFileOn",
        ):
            f = getattr(lib, fn)
            f.argtypes = [ctypes.c_int, ctypes.c_int]
            f(iid, 0)
        lib.SetCurrentSelectedOutputUserNumber.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.SetCurrentSelectedOutputUserNumber(iid, 1)  # string output applies to SO number 1
        for fn in ("SetSelectedOutputStringOn", "SetErrorStringOn"):
            f = getattr(lib, fn)
            f.argtypes = [ctypes.c_int, ctypes.c_int]
            f(iid, 1)
        for fn in ("GetSelectedOutputString", "GetWarningString", "GetErrorString"):
            f = getattr(lib, fn)
            f.argtypes = [ctypes.c_int]
            f.restype = ctypes.c_char_p
        lib.RunString.argtypes = [ctypes.c_int, ctypes.c_char_p]
        lib.RunString.restype = ctypes.c_int
        self.lock = threading.Lock()

    def run(self, text: str) -> pd.DataFrame:
        """Run PHREEQC input and return the selected output as a DataFrame.

        Raises
        ------
        GeochemError
            With PHREEQC's own error text when the run fails.
        """
        if REDOX_MARK not in text and _USES_AMM.search(text):
            # an input builder forgot the redox definitions: IPhreeqc may still hold them from
            # an earlier run, so the result would depend on the order of runs; refuse instead
            raise GeochemError(Text.of("geochem.error.amm_without_redox"))
        iid = self._ip.id_
        with self.lock:
            n = self._lib.RunString(iid, text.encode("utf-8"))
            if n:
                msg = (self._lib.GetErrorString(iid) or b"").decode("utf-8", "replace")
                raise GeochemError(Text.of("geochem.error.phreeqc", n=n, text=msg.strip()[:4000]))
            raw = (self._lib.GetSelectedOutputString(iid) or b"").decode("utf-8", "replace")
            self.last_warnings = (self._lib.GetWarningString(iid) or b"").decode("utf-8", "replace")
        return parse_selected_output(raw)


def parse_selected_output(raw: str) -> pd.DataFrame:
    """Parse IPhreeqc's tab-separated selected-output string; empty cells become NaN."""
    if not raw.strip():
        return pd.DataFrame()
    df = pd.read_csv(io.StringIO(raw), sep="\t", skipinitialspace=True)
    df.columns = [str(c).strip() for c in df.columns]
    df = df.loc[:, [c for c in df.columns if c and not c.startswith("Unnamed")]]
    for col in df.columns:
        if df[col].dtype == object:
            stripped = df[col].astype(str).str.strip()
            num = pd.to_numeric(stripped, errors="coerce")
            df[col] = num if num.notna().sum() == stripped.ne("").sum() else stripped
    return df


def _library_path() -> str:
    # the same shared library phreeqpy loads (already in the process: LoadLibrary returns it)
    import os
    import sys

    base = Path(phreeqc_dll.__file__).parent / "phreeqc3"
    if sys.platform.startswith("linux"):
        name = (
            "linux_arm_libiphreeqc-3.7.3.so"
            if os.uname()[-1] in ("arm64", "aarch64")
            else "libiphreeqc-3.7.3.so"
        )
    elif sys.platform == "darwin":
        name = (
            "libiphreeqc-3.7.3-m1.dylib" if os.uname()[-1] == "arm64" else "libiphreeqc-3.7.3.dylib"
        )
    else:
        name = "IPhreeqc-3.7.3.dll"
    return str(base / name)


_POOLS: dict[str, list[Phreeqc]] = {}
_POOL_LOCK = threading.Lock()


def get_engines(database: str | Path | None = None, n: int = 1) -> list[Phreeqc]:
    """``n`` cached :class:`Phreeqc` instances for ``database`` (loading one costs ~50 ms).

    Instances are shared by all threads; each serialises its own runs with a lock, so separate
    instances run in parallel (ctypes releases the GIL while IPhreeqc works).
    """
    path = str(database_info(database).path)
    with _POOL_LOCK:
        pool = _POOLS.setdefault(path, [])
        while len(pool) < n:
            pool.append(Phreeqc(path))
        return pool[:n]


def get_engine(database: str | Path | None = None) -> Phreeqc:
    """The first cached :class:`Phreeqc` instance for ``database``."""
    return get_engines(database, 1)[0]


def available_cores() -> int:
    """Cores this process may run on (respects CPU affinity and container limits)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


#: environment variable that caps the IPhreeqc instances one process runs at once (a worker of
#: the executor or of the job runner sets it to its share of the cores)
PHREEQC_WORKERS_ENV = "CBMWATER_PHREEQC_WORKERS"


def phreeqc_workers() -> int:
    """IPhreeqc instances this process may run in parallel: ``$CBMWATER_PHREEQC_WORKERS`` if
    set (a whole number >= 1), else :func:`available_cores`."""
    import os

    value = os.environ.get(PHREEQC_WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) >= 1:
        return min(int(value), available_cores())
    return available_cores()


def run_pipelined(
    head: str, blocks: Iterable[str], n: int, engines: list[Phreeqc]
) -> tuple[list[str], pd.DataFrame]:
    """Run ``n`` blocks in chunks on ``engines`` in threads while later chunks are still being
    written (writing holds the GIL; IPhreeqc does not).  Chunk k goes to engine k mod len."""
    nchunks = min(n, 4 * len(engines))
    bounds = np.linspace(0, n, nchunks + 1).astype(int)
    queues: list[queue.Queue[tuple[int, str] | None]] = [queue.Queue() for _ in engines]
    results: dict[int, pd.DataFrame] = {}
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        while True:
            item = queues[k].get()
            if item is None:
                return
            idx, text = item
            try:
                results[idx] = engines[k].run(text)
            except BaseException as exc:  # re-raised in the caller's thread
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(len(engines))]
    for t in threads:
        t.start()
    all_blocks: list[str] = []
    it = iter(blocks)
    try:
        for idx, (a, b) in enumerate(zip(bounds, bounds[1:])):
            chunk = [next(it) for _ in range(b - a)]
            all_blocks.extend(chunk)
            queues[idx % len(engines)].put((idx, head + "".join(chunk) + "END\n"))
    finally:
        for q in queues:
            q.put(None)
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    return all_blocks, pd.concat([results[i] for i in range(nchunks)], ignore_index=True)


def run_blocks(
    head: str,
    blocks: list[str],
    database: str | Path | None = None,
    *,
    workers: int | None = None,
    min_parallel: int = 50,
) -> pd.DataFrame:
    """Run ``head`` + ``blocks`` (self-contained PHREEQC simulations or SOLUTION blocks) and
    return the selected output, in block order.

    With ``min_parallel`` blocks or more, the blocks are split into contiguous chunks run on one
    IPhreeqc instance per available core (the result equals one run of the whole input).
    """
    n = len(blocks)
    if workers is None:
        workers = phreeqc_workers() if n >= min_parallel else 1
    workers = max(1, min(int(workers), n)) if n else 1
    if workers == 1:
        return get_engine(database).run(head + "".join(blocks) + "END\n")
    _, out = run_pipelined(head, blocks, n, get_engines(database, workers))
    return out


def iphreeqc_version() -> str:
    """Version string of the IPhreeqc library in use."""
    lib = ctypes.cdll.LoadLibrary(_library_path())
    lib.GetVersionString.restype = ctypes.c_char_p
    return (lib.GetVersionString() or b"").decode()


def si_or_nan(values: np.ndarray) -> np.ndarray:
    """Replace PHREEQC's -999.999 (phase elements absent) by NaN."""
    v = np.asarray(values, dtype=float)
    return np.where(v <= MISSING_SI, np.nan, v)
