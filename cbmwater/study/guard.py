"""Runs that cannot take the server down: one engine call in a child process, with a memory and
a time limit.

The app runs its long work (an optimisation, a Pareto front, a mine-water plan) through
:func:`run_guarded`.  The call runs in a fresh process (``spawn``), so a run that needs too much
memory or time is stopped on its own and the server, and every other user's session, stays up;
and each run has its own interpreter, so libraries that are not thread-safe (Pyomo's output
capture) never meet another session's run.  The child reports progress back to the caller.

Limits: the resident memory of the child is read from ``/proc`` every 0.1 s and the child is
stopped above :attr:`Limits.memory_mb`; its address space is also capped (``RLIMIT_AS``, four
times the memory limit plus 2 GB, room for the libraries' reservations) as a backstop; the
wall-clock time is capped at :attr:`Limits.time_s`.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .. import errors
from ..errors import CbmwaterError, ResourceLimitError, RunCancelled
from ..spawning import program_main

__all__ = ["Limits", "run_guarded", "limits_from_env"]

T = TypeVar("T")
Progress = Callable[[str, float], None]

_POLL_S = 0.1


@dataclass(frozen=True)
class Limits:
    """What one guarded run may use.

    Attributes
    ----------
    memory_mb : float
        Resident memory of the run's process, MB (default 3000: the 1 000-well benchmark basin
        peaks near 1.5 GB; 3 GB leaves room while several users share a 24 GB server).
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
            raise errors.InputError(f"{name} must be a positive number; got {text!r}")
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


def _child(
    out: Any,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    address_space: int,
    with_progress: bool,
) -> None:
    """The child process: cap the address space, run ``fn``, send back one outcome."""
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
    from ..i18n import Message

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
        Memory (MB) and time (s); default :func:`limits_from_env`.
    progress : callable(message, fraction), optional
        Passed to ``fn`` as ``progress=``; the child's calls arrive here, in the caller's
        thread.
    cancel : threading.Event, optional
        When set (by another thread), the child is stopped and :class:`RunCancelled` raised
        (looked at every 0.1 s); the job runner (:mod:`cbmwater.study.jobs`) cancels this way.

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
        args=(out, fn, args, kwargs, address_space, progress is not None),
        daemon=True,
    )
    start = time.monotonic()
    with program_main():
        proc.start()
    stopped: str | None = None
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise RunCancelled("the run was cancelled before it finished")
            try:
                kind, *payload = out.get(timeout=_POLL_S)
            except queue.Empty:
                if time.monotonic() - start > lim.time_s:
                    stopped = (
                        f"the run took longer than its time limit of {lim.time_s:g} s and was "
                        "stopped; run it from the command line (cbmwater) for long work, or "
                        "raise CBMWATER_RUN_TIME_S"
                    )
                elif _rss_mb(proc.pid or 0) > lim.memory_mb:
                    stopped = (
                        f"the run needed more than its memory limit of {lim.memory_mb:g} MB and "
                        "was stopped; reduce the case (fewer wells, periods or trains) or raise "
                        "CBMWATER_RUN_MEMORY_MB"
                    )
                elif not proc.is_alive():
                    stopped = (
                        f"the run's process ended without a result (exit code {proc.exitcode}); "
                        "it may have run out of memory"
                    )
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
                raise ResourceLimitError(
                    f"the run ran out of memory (limit {lim.memory_mb:g} MB) and was stopped"
                )
            else:
                raise ResourceLimitError(f"the run failed: {payload[0]}")
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=5)
        if proc.is_alive():  # pragma: no cover - terminate was ignored
            proc.kill()
            proc.join(timeout=5)
        out.close()
