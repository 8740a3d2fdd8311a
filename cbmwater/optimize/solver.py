"""Running a Pyomo model on HiGHS (default, via ``highspy``) or any other Pyomo solver.

HiGHS is called through Pyomo's APPSI interface (``appsi_highs``), which hands the model to
``highspy`` in memory (no files).  Another solver is named with ``solver=`` as Pyomo knows it
(``cbc``, ``glpk``, ``gurobi``, ``cplex``, ``scip``...); the time limit and gap are passed with
that solver's own option names where known.

HiGHS threads: ``threads=`` of :func:`solve`, else the ``CBMWATER_SOLVER_THREADS`` environment
variable, else HiGHS's own choice (unchanged for the CLI).  The job runner
(:mod:`cbmwater.study.jobs`) sets the variable in each job's process to the cores the job was
given, so concurrent jobs never start more solver threads than there are cores (docs/jobs.md).
"""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass

import pyomo.environ as pyo

from ..errors import InputError
from ..i18n import Text
from ..outpaths import check_output, write_atomic

__all__ = ["SolveInfo", "solve", "write_model", "solver_version", "default_threads"]

#: Environment variable with the HiGHS thread count of :func:`solve` when ``threads`` is not given.
THREADS_ENV = "CBMWATER_SOLVER_THREADS"

log = logging.getLogger(__name__)

_TIME_GAP_OPTIONS = {
    "cbc": ("sec", "ratio"),
    "glpk": ("tmlim", "mipgap"),
    "gurobi": ("TimeLimit", "MIPGap"),
    "gurobi_direct": ("TimeLimit", "MIPGap"),
    "cplex": ("timelimit", "mipgap"),
    "scip": ("limits/time", "limits/gap"),
    "highs": ("time_limit", "mip_rel_gap"),
}


@dataclass
class SolveInfo:
    """What the solver said: status is optimal | feasible (time limit, gap open) | infeasible |
    unbounded | error; objective and bound in the model's objective units."""

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str
    message: str = ""
    primary: float | None = None  # a two-stage solve: the first stage's reuse share or salt

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")


def solver_version(name: str = "highs") -> str:
    if name in ("highs", "appsi_highs"):
        import highspy

        h = highspy.Highs()
        return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    try:
        v = pyo.SolverFactory(name).version()
        return f"{name} " + ".".join(map(str, v)) if v else name
    except Exception:  # noqa: BLE001 - a version is informational
        return name


def default_threads() -> int | None:
    """HiGHS threads from ``CBMWATER_SOLVER_THREADS`` (None where unset: HiGHS chooses).

    Raises
    ------
    InputError
        The variable is set but is not a positive whole number.

    Examples
    --------
    >>> default_threads() is None or default_threads() >= 1
    True
    """
    text = os.environ.get(THREADS_ENV)
    if text is None or not text.strip():
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(Text.of("optimise.error.solver_threads", env=THREADS_ENV, text=text))
    return value


def _gap(obj: float | None, bound: float | None) -> float | None:
    if obj is None or bound is None or not (math.isfinite(obj) and math.isfinite(bound)):
        return None
    return abs(obj - bound) / max(abs(obj), 1e-9)


def check_solver(solver: str) -> None:
    """Raise :class:`InputError` when ``solver`` cannot run here, before any work is done for it.

    ``highs`` (and ``appsi_highs``) need highspy; any other name must be a Pyomo solver whose
    program is available.  :func:`solve` checks the same when it gets there; checking first
    spares a user the precompute (seconds to minutes) before the message.
    """
    if solver in ("highs", "appsi_highs"):
        from pyomo.contrib.appsi.solvers.highs import Highs

        if Highs().available():
            return
    else:
        # Pyomo logs a traceback on 'pyomo.opt' for a name it cannot find: the message below
        # says it, so that log is held back while asking
        pyomo_log = logging.getLogger("pyomo.opt")
        level = pyomo_log.level
        pyomo_log.setLevel(logging.CRITICAL)
        try:
            opt = pyo.SolverFactory(solver)
            if opt is not None and opt.available(exception_flag=False):
                return
        finally:
            pyomo_log.setLevel(level)
    raise InputError(Text.of("optimise.error.solver_unavailable", solver=solver))


def solve(
    model: pyo.ConcreteModel,
    *,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    threads: int | None = None,
) -> SolveInfo:
    """Solve ``model`` and load the solution into it when there is one.

    Parameters
    ----------
    solver : str
        ``highs`` (default: HiGHS through highspy) or a Pyomo solver name.
    time_limit_s : float
        Wall-clock limit, s.
    mip_gap : float
        Relative MIP gap at which to stop (0.005 = 0.5 %).
    threads : int, optional
        HiGHS threads (default :func:`default_threads`); other solvers ignore it.
    """
    t0 = time.perf_counter()
    if threads is None:
        threads = default_threads()
    if solver in ("highs", "appsi_highs"):
        from pyomo.contrib.appsi.base import TerminationCondition as TC
        from pyomo.contrib.appsi.solvers.highs import Highs

        opt = Highs()
        opt.config.time_limit = float(time_limit_s)
        opt.config.mip_gap = float(mip_gap)
        opt.config.load_solution = False
        opt.config.stream_solver = False
        if threads:
            opt.highs_options = {"threads": int(threads)}
        res = opt.solve(model)
        tc = res.termination_condition
        obj = res.best_feasible_objective
        bound = res.best_objective_bound
        obj = None if obj is None or not math.isfinite(obj) else float(obj)
        bound = None if bound is None or not math.isfinite(bound) else float(bound)
        if obj is not None:
            res.solution_loader.load_vars()
        if tc == TC.optimal:
            status = "optimal"
        elif tc in (TC.infeasible, TC.infeasibleOrUnbounded):
            status = "infeasible"
        elif tc == TC.unbounded:
            status = "unbounded"
        elif obj is not None:
            status = "feasible"
        else:
            status = "error" if tc == TC.error else "no_solution"
        return SolveInfo(
            status,
            obj,
            bound,
            _gap(obj, bound) if status != "optimal" else (_gap(obj, bound) or 0.0),
            time.perf_counter() - t0,
            solver_version("highs"),
            str(tc),
        )
    from pyomo.opt import SolverStatus, TerminationCondition

    opt = pyo.SolverFactory(solver)
    if opt is None or not opt.available(exception_flag=False):
        raise InputError(Text.of("optimise.error.solver_unavailable", solver=solver))
    names = _TIME_GAP_OPTIONS.get(solver)
    if names:
        opt.options[names[0]] = float(time_limit_s)
        opt.options[names[1]] = float(mip_gap)
    res = opt.solve(model, load_solutions=False)
    tc = res.solver.termination_condition
    status = {
        TerminationCondition.optimal: "optimal",
        TerminationCondition.infeasible: "infeasible",
        TerminationCondition.infeasibleOrUnbounded: "infeasible",
        TerminationCondition.unbounded: "unbounded",
    }.get(tc, "feasible")
    obj = bound = None
    if status in ("optimal", "feasible") and len(res.solution) > 0:
        model.solutions.load_from(res)
        obj = float(pyo.value(next(model.component_objects(pyo.Objective, active=True))))
        try:
            bound = float(
                res.problem.lower_bound
                if model.obj.sense == pyo.minimize
                else res.problem.upper_bound
            )
        except (TypeError, ValueError, AttributeError):
            bound = None
    elif status == "feasible":
        status = "error" if res.solver.status == SolverStatus.error else "no_solution"
    return SolveInfo(
        status,
        obj,
        bound,
        _gap(obj, bound),
        time.perf_counter() - t0,
        solver_version(solver),
        str(tc),
    )


def write_model(model: pyo.ConcreteModel, path: str) -> str:
    """Write the model as LP or MPS (by the file's extension, ``.lp`` or ``.mps``).

    Rows and columns carry readable names: a network model (:func:`.model.build_model`) brings
    its own labeler (``model.labeler``, :class:`.names.ModelNames`: ``feed(S3,ro_basic,t2)``,
    ``quality(River,F,t2)``); any other model is written with Pyomo's component names.
    """
    low = str(path).lower()
    if not (low.endswith(".lp") or low.endswith(".mps")):
        raise InputError(Text.of("optimise.error.model_file_suffix", path=repr(path)))
    labeler = getattr(model, "labeler", None)
    check_output(path, "model file")
    # written whole: a temporary .lp/.mps beside it (the extension picks the format), renamed
    write_atomic(
        path,
        lambda tmp: model.write(
            str(tmp),
            io_options={"labeler": labeler}
            if labeler is not None
            else {"symbolic_solver_labels": True},
        ),
    )
    return str(path)
