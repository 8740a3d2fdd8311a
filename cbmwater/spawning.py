"""Child processes for the executor and the job runner: started safely from any host, and
guarded (memory, time, cancel) when they run one long task.

:func:`program_main` -- a ``spawn`` child imports the parent's ``__main__`` again (as
``__mp_main__``) from its ``__file__``, so that functions defined there unpickle.  A host that
*executes* scripts as ``__main__`` inside its own process -- Streamlit runs each app page so, and
so does its AppTest -- would have every child re-run the last page (and a page that starts a job
on load would start another from the child).  :func:`program_main` gives a child a bare
``__main__`` for the moment of its start when ``__main__``'s file is not the program this
process was started with.

:func:`run_guarded` -- one call in a fresh ``spawn`` process, stopped above a memory or a time
limit or when cancelled (:mod:`cbmwater.study.guard` documents it for its users).  The process
is *not* daemonic, so the call may start a process pool of its own (a Monte Carlo run inside an
app job uses the job's cores); the guard measures the memory of the call's whole process tree
(the call and its pool); the call leads a process group of its own, which the guard ends as a
whole; and it ends itself (and its group) if the process that started it disappears.
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import multiprocessing.spawn
import multiprocessing.util  # noqa: F401 - its exit handler (joins children) must run after ours
import os
import queue
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from . import errors
from .errors import CbmwaterError, ResourceLimitError, RunCancelled
from .i18n import Text

__all__ = ["program_main", "Limits", "limits_from_env", "run_guarded", "tree_rss_mb"]

T = TypeVar("T")
Progress = Callable[[str, float], None]

_MAIN_LOCK = threading.Lock()


def _is_program(path: str) -> bool:
    """Whether ``path`` is the program this process was started with (``sys.argv[0]``)."""
    program = sys.argv[0] if sys.argv and sys.argv[0] else None
    try:
        return program is not None and Path(path).resolve() == Path(program).resolve()
    except OSError:
        return False


def _preparation_data(name: str) -> dict[str, Any]:
    """``multiprocessing.spawn.get_preparation_data`` without a foreign ``__main__``.

    :func:`program_main` swaps ``sys.modules["__main__"]`` for the moment of a start, but a
    host's own thread may set it again in between (Streamlit's script threads do, on every
    rerun of any session).  The data a child is started with are therefore checked too, when
    they are made: a ``__main__`` file that is not this process's program is not sent.
    """
    data: dict[str, Any] = _spawn_preparation(name)
    path = data.get("init_main_from_path")
    if path is not None and not _is_program(path):
        del data["init_main_from_path"]
    return data


_spawn_preparation = multiprocessing.spawn.get_preparation_data
multiprocessing.spawn.get_preparation_data = _preparation_data
_POLL_S = 0.1
#: how often a guarded child checks that the process that started it is still there, s
_ORPHAN_POLL_S = 1.0


@contextmanager
def program_main() -> Iterator[None]:
    """Start ``spawn`` children inside this context: they do not re-run a foreign ``__main__``.

    When ``__main__``'s file is not the program this process was started with
    (``sys.argv[0]``), ``sys.modules["__main__"]`` is a bare module while the context lasts; a
    plain ``python my_script.py`` keeps its script (its functions must unpickle in children).
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    program = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    foreign = (
        main is not None
        and spec is None
        and path is not None
        and (program is None or Path(path).resolve() != program)
    )
    if not foreign:
        yield
        return
    with _MAIN_LOCK:
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if isinstance(sys.modules.get("__main__"), types.ModuleType) and not hasattr(
                sys.modules["__main__"], "__file__"
            ):
                sys.modules["__main__"] = main  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    """What one guarded run may use.

    Attributes
    ----------
    memory_mb : float
        Resident memory of the run's processes (the run and any pool it starts), MB (default
        3000: the 1 000-well benchmark basin peaks near 1.5 GB; 3 GB leaves room while several
        users share a 24 GB server).
    time_s : float
        Wall-clock time, s (default 1800: the largest benchmark basin, 5 000 wells, runs in
        about 8 minutes on 2 cores).
    """

    memory_mb: float = 3000.0
    time_s: float = 1800.0


def limits_from_env() -> Limits:
    """:class:`Limits` from ``CBMWATER_RUN_MEMORY_MB`` and ``CBMWATER_RUN_TIME_S`` (the
    defaults where unset); a value that is not a positive number is an :class:`InputError`.

    Examples
    --------
    >>> limits_from_env().memory_mb > 0
    True
    """
    out = {}
    for field_, name in (
        ("memory_mb", "CBMWATER_RUN_MEMORY_MB"),
        ("time_s", "CBMWATER_RUN_TIME_S"),
    ):
        text = os.environ.get(name)
        if text is None:
            continue
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not value > 0:
            raise errors.InputError(Text.of("guard.error.limit_value", name=name, text=repr(text)))
        out[field_] = value
    return Limits(**out)


def _rss_mb(pid: int) -> float:
    """Resident memory of a process, MB (0 where /proc cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return float(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _group_of(pid: str) -> int | None:
    """The process group of process ``pid`` (from ``/proc/PID/stat``; None if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[2])  # fields after the name: state ppid pgrp
    except (OSError, ValueError, IndexError):
        return None


def _children(pid: int) -> list[int] | None:
    """The child processes of ``pid`` (``/proc/PID/task/*/children``; None where the kernel
    does not list them)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []  # gone
    for tid in tasks:
        try:
            out.extend(int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
        except FileNotFoundError:
            return None  # no CONFIG_PROC_CHILDREN (or the thread ended: looked at next time)
        except (OSError, ValueError):
            continue
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` and every process it started (their children...)
    together, MB.

    The process tree is walked (``/proc/PID/task/*/children``: a few reads, every 0.1 s for a
    guarded run); where the kernel does not list children, the processes of the group that
    ``pid`` leads are summed instead (a guarded run leads its group).

    Examples
    --------
    >>> tree_rss_mb(os.getpid()) >= 0.0
    True
    """
    members: list[int] = []
    todo = [pid]
    while todo:
        pid = todo.pop()
        kids = _children(pid)
        if kids is None:
            break
        members.append(pid)
        todo.extend(kids)
    else:
        return sum(_rss_mb(p) for p in members)
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:  # pragma: no cover - not Linux
        return _rss_mb(pid)
    return sum(_rss_mb(int(p)) for p in pids if _group_of(p) == pid)


def _signal_group(pgid: int, sig: int) -> None:
    """Send ``sig`` to process group ``pgid`` (nothing if it is gone or not ours)."""
    with suppress(OSError):  # gone (ProcessLookupError) or not ours (PermissionError)
        os.killpg(pgid, sig)


def _watch_parent(parent: int) -> None:
    """In a guarded child: end this process group when the process that started it is gone
    (the server was killed), so that no run or pool outlives it."""
    while True:
        time.sleep(_ORPHAN_POLL_S)
        if os.getppid() != parent:
            _signal_group(os.getpgid(0), signal.SIGKILL)
            os._exit(1)  # pragma: no cover - SIGKILL ended us already


def _child(
    out: Any,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    address_space: int,
    with_progress: bool,
    parent: int,
) -> None:
    """The child process: lead a process group, cap the address space, run ``fn``, send back
    one outcome."""
    with suppress(OSError):  # already a group leader, or not allowed
        os.setpgid(0, 0)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not Linux, or not allowed
        pass
    if with_progress:
        kwargs = {**kwargs, "progress": lambda msg, frac: out.put(("progress", msg, frac))}
    try:
        out.put(("ok", fn(*args, **kwargs)))
    except MemoryError:
        out.put(("memory", None))
    except CbmwaterError as exc:
        # the error's text and its message (code + parameters), so a face can render it in
        # the user's language after it has crossed the process boundary
        out.put(("error", (type(exc).__name__, str(exc), exc.full_message().to_dict())))
    except BaseException as exc:  # noqa: BLE001 - reported to the caller, who shows it
        out.put(("crash", f"{type(exc).__name__}: {exc}"))


def _rebuild(name: str, message: str, msg: dict[str, Any] | None = None) -> CbmwaterError:
    from .i18n import Message

    cls = getattr(errors, name, CbmwaterError)
    if not (isinstance(cls, type) and issubclass(cls, CbmwaterError)):
        cls = CbmwaterError
    try:
        exc = cls(message)
    except TypeError:  # pragma: no cover - a subclass with other required arguments
        exc = CbmwaterError(message)
    if msg is not None:
        exc.message = Message.from_dict(msg)
    return exc


#: process groups of the guarded runs of this process that are still running
_LIVE: set[int] = set()
_LIVE_LOCK = threading.Lock()


@atexit.register
def _end_live_groups() -> None:
    """At exit, end the guarded runs still going: they are not daemonic, so multiprocessing
    would otherwise wait for them (this handler runs before multiprocessing's, which was
    registered earlier, when ``multiprocessing.util`` was imported above)."""
    with _LIVE_LOCK:
        groups = list(_LIVE)
    for pgid in groups:
        _signal_group(pgid, signal.SIGKILL)


def _end(proc: Any) -> None:
    """End a guarded child and every process of its group (politely, then not)."""
    pid = proc.pid or 0
    if proc.is_alive():
        _signal_group(pid, signal.SIGTERM)
        proc.terminate()
    proc.join(timeout=5)
    if proc.is_alive():  # pragma: no cover - terminate was ignored
        proc.kill()
        proc.join(timeout=5)
    _signal_group(pid, signal.SIGKILL)  # a pool worker left behind
    with _LIVE_LOCK:
        _LIVE.discard(pid)


def run_guarded(
    fn: Callable[..., T],
    /,
    *args: Any,
    limits: Limits | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    **kwargs: Any,
) -> T:
    """``fn(*args, **kwargs)`` in a child process that is stopped if it needs more memory or
    time than ``limits`` allow.

    Parameters
    ----------
    fn : callable
        A module-level function (it is sent to the child by reference), e.g.
        :func:`cbmwater.optimise`; its arguments and result must be picklable.
    *args, **kwargs
        Its arguments.
    limits : Limits, optional
        Memory (MB, of the child and any process it starts) and time (s); default
        :func:`limits_from_env`.
    progress : callable(message, fraction), optional
        Passed to ``fn`` as ``progress=``; the child's calls arrive here, in the caller's
        thread.
    cancel : threading.Event, optional
        When set (by another thread), the child and its processes are stopped and
        :class:`RunCancelled` raised (looked at every 0.1 s).

    Returns
    -------
    The result of ``fn``.

    Raises
    ------
    ResourceLimitError
        The run needed more memory or time than allowed, or its process ended without a result;
        the message says which and the limit.
    RunCancelled
        ``cancel`` was set before the run finished.
    CbmwaterError
        What ``fn`` raised (the same class for the engine's errors, with the same message).

    Examples
    --------
    >>> import cbmwater
    >>> r = run_guarded(cbmwater.size_option, "vfp", 200.0, net_acidity=150.0, fe_mg_L=20.0)
    >>> r == cbmwater.size_option("vfp", 200.0, net_acidity=150.0, fe_mg_L=20.0)
    True
    """
    lim = limits or limits_from_env()
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    address_space = int((4 * lim.memory_mb + 2048) * 1024 * 1024)
    proc = ctx.Process(
        target=_child,
        args=(out, fn, args, kwargs, address_space, progress is not None, os.getpid()),
        daemon=False,  # it may start a pool of its own; _end and _end_live_groups end it
    )
    start = time.monotonic()
    with program_main():
        proc.start()
    with _LIVE_LOCK:
        _LIVE.add(proc.pid or 0)
    stopped: str | None = None
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise RunCancelled(Text.of("guard.error.cancelled"))
            try:
                kind, *payload = out.get(timeout=_POLL_S)
            except queue.Empty:
                if time.monotonic() - start > lim.time_s:
                    stopped = Text.of("guard.error.time", limit=lim.time_s)
                elif tree_rss_mb(proc.pid or 0) > lim.memory_mb:
                    stopped = Text.of("guard.error.memory", limit=lim.memory_mb)
                elif not proc.is_alive():
                    stopped = Text.of("guard.error.died", exit_code=proc.exitcode)
                if stopped:
                    raise ResourceLimitError(stopped) from None
                continue
            if kind == "progress":
                assert progress is not None
                progress(str(payload[0]), float(payload[1]))
            elif kind == "ok":
                return payload[0]  # fn's result, unpickled
            elif kind == "error":
                name, message, msg = payload[0]
                raise _rebuild(name, message, msg)
            elif kind == "memory":
                raise ResourceLimitError(Text.of("guard.error.out_of_memory", limit=lim.memory_mb))
            else:
                raise ResourceLimitError(Text.of("guard.error.failed", reason=str(payload[0])))
    finally:
        _end(proc)
        out.close()
