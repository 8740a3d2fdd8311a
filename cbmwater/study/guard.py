"""Runs that cannot take the server down: one engine call in a child process, with a memory and
a time limit.

The app runs its long work (an optimisation, a Pareto front, a mine-water plan) as jobs
(:mod:`cbmwater.study.jobs`), and every job goes through :func:`run_guarded` (by way of the
executor, :meth:`cbmwater.executor.Executor.run_isolated`).  The call runs in a fresh process
(``spawn``), so a run that needs too much memory or time is stopped on its own and the server,
and every other user's session, stays up; and each run has its own interpreter, so libraries
that are not thread-safe (Pyomo's output capture) never meet another session's run.  The child
reports progress back to the caller.

The child is not daemonic: it may start a process pool of its own (a Monte Carlo run inside a
job of two cores runs its scenarios on two workers).  The guard watches the call and every
process it started, and the call leads a process group that the guard ends as a whole.

Limits: the resident memory of the child and every process it started is read from ``/proc``
every 0.1 s and the group is stopped above :attr:`Limits.memory_mb`; each process's address space is also
capped (``RLIMIT_AS``, four times the memory limit plus 2 GB, room for the libraries'
reservations) as a backstop; the wall-clock time is capped at :attr:`Limits.time_s`.  A child
whose parent disappears (the server was killed) ends its group within a second.

The implementation lives in :mod:`cbmwater.spawning` (below the executor, which uses it); this
module is its place in the public API.
"""

from __future__ import annotations

from ..spawning import Limits, limits_from_env, run_guarded

__all__ = ["Limits", "run_guarded", "limits_from_env"]
