"""Two-stage stochastic plans through the public API: :func:`stochastic_plan` and
:class:`StochasticPlan` (``cbmwater optimise --stochastic``; docs/stochastic.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .network import NetworkPlan

if TYPE_CHECKING:  # pragma: no cover
    from ..optimize.case import Case

__all__ = ["stochastic_plan", "StochasticPlan", "STOCHASTIC_METHODS"]

Progress = Callable[[str, float], None]

#: Methods of :func:`stochastic_plan`: the extensive form, progressive hedging.
STOCHASTIC_METHODS: tuple[str, ...] = ("extensive", "ph")


@dataclass(frozen=True)
class StochasticPlan(NetworkPlan):
    """A two-stage stochastic plan (``cbmwater optimise --stochastic --format json``).

    The keys of :class:`NetworkPlan` describe the stochastic plan's builds on the case as
    written (builds fixed, flows optimised and checked), plus:

    Attributes
    ----------
    scenarios : list of dict
        Per scenario: ``scenario``, ``seed`` and ``inputs`` (when sampled), ``npv_CNY``,
        ``penalty_CNY`` and ``unallocated_m3`` of the stochastic plan,
        ``deterministic_npv_CNY`` (the deterministic plan's builds, flows re-optimised),
        ``wait_and_see_npv_CNY`` and ``wait_and_see_builds`` (the scenario's own plan), ``cuts``.
    vss_CNY : float or None
        Value of the stochastic solution: expected cost of the deterministic plan's builds
        under the scenarios minus that of the stochastic plan, CNY.
    evpi_CNY : float or None
        Expected value of perfect information: the stochastic plan's expected cost minus the
        mean of every scenario's own optimum, CNY.
    stochastic : dict
        The program: ``method``, ``samples``, ``seed``, ``staging``, ``expected_cost_CNY``,
        ``expected_npv_CNY``, ``builds``, ``deterministic`` and ``wait_and_see_cost_CNY``,
        ``iterations``, ``progressive_hedging``, ``penalty_CNY_m3``, ``timings``.
    """

    scenarios: list[dict[str, Any]] = field(default_factory=list)
    vss_CNY: float | None = None
    evpi_CNY: float | None = None
    stochastic: dict[str, Any] = field(default_factory=dict)

    def summary_text(self, lang: str = "en") -> str:
        """The program's figures, then the plan on the case as written, in ``lang``."""
        from ..i18n import translate

        st = self.stochastic

        def t(code: str, **params: Any) -> str:
            return translate(f"stochastic.text.{code}", lang, **params)

        def m(v: float | None) -> str:
            return t("na") if v is None else t("million", value=v / 1e6)

        lines = [
            t(
                "head",
                method=st.get("method"),
                samples=st.get("samples"),
                seed=st.get("seed"),
                cost=m(st.get("expected_cost_CNY")),
            ),
            t("builds", builds=", ".join(st.get("builds") or []) or t("none")),
            t("deterministic", cost=m((st.get("deterministic") or {}).get("expected_cost_CNY"))),
            t("wait_and_see", cost=m(st.get("wait_and_see_cost_CNY"))),
            t("vss_evpi", vss=m(self.vss_CNY), evpi=m(self.evpi_CNY)),
            t("as_written"),
        ]
        return "\n".join(lines) + "\n" + super().summary_text(lang)


def stochastic_plan(
    case: str | Path | Mapping[str, Any] | Case,
    *,
    samples: int | None = None,
    seed: int | None = None,
    scenarios: Sequence[str | Path | Mapping[str, Any] | Case] | None = None,
    method: str = "extensive",
    staging: bool = True,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    max_iterations: int = 8,
    rho_factor: float = 0.5,
    ph_iterations: int = 100,
    database: str | None = None,
    progress: Progress | None = None,
    allow_outside: bool = False,
) -> StochasticPlan:
    """Builds chosen once for every scenario, flows per scenario: the least expected NPV cost,
    with its value of the stochastic solution (VSS) and of perfect information (EVPI).

    Parameters
    ----------
    case : str, Path, mapping or Case
        A ``case.toml`` (with an ``[uncertainty]`` section when sampling).
    samples, seed : int
        Scenarios drawn from the case's ``[uncertainty]`` (1-1000; scenario i from
        ``task_seed(seed, i)``, as :func:`cbmwater.uncertainty` draws them) and the seed (>= 0).
    scenarios : sequence of case files, mappings or Case, optional
        Instead of sampling: these cases of the same network (other wells, destinations,
        prices), each of weight 1/N.
    method : {"extensive", "ph"}
        The extensive form (one model, every scenario), or progressive hedging over
        single-scenario models kept loaded in HiGHS (HiGHS only; for many scenarios;
        docs/stochastic.md).
    staging : bool
        Staged expansion (default; see :func:`cbmwater.optimise`).
    solver, time_limit_s, mip_gap, max_iterations, database, progress, allow_outside
        As for :func:`cbmwater.optimise`; ``max_iterations`` bounds the check-and-cut loop.
    rho_factor, ph_iterations : float, int
        Progressive hedging: ``rho`` of each build option as this multiple of its NPV charge;
        most iterations.

    Returns
    -------
    StochasticPlan

    Examples
    --------
    >>> import cbmwater
    >>> plan = cbmwater.stochastic_plan("case.toml", samples=8, seed=1)  # doctest: +SKIP
    >>> plan.vss_CNY >= 0 and plan.evpi_CNY >= 0  # doctest: +SKIP
    True
    """
    from ..errors import InputError
    from ..i18n import Text
    from ..optimize.stochastic import stochastic_optimise
    from .network import _as_case

    if method not in STOCHASTIC_METHODS:
        raise InputError(
            Text.of(
                "stochastic.error.method",
                method=repr(method),
                allowed=", ".join(STOCHASTIC_METHODS),
            )
        )
    if method == "ph" and solver not in ("highs", "appsi_highs"):
        raise InputError(Text.of("stochastic.error.ph_solver", solver=repr(solver)))
    c = _as_case(case, allow_outside)
    where = str(c.path) if c.path else None
    given = None
    if scenarios is not None:
        if samples is not None:
            raise InputError(Text.of("stochastic.error.samples_or_scenarios"))
        given = [_as_case(s, allow_outside) for s in scenarios]
        if not 1 <= len(given) <= 1000:
            raise InputError(Text.of("stochastic.error.scenario_count", count=len(given)))
    else:
        if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= 1000:
            raise InputError(Text.of("stochastic.error.samples", value=repr(samples)))
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError(Text.of("stochastic.error.seed", value=repr(seed)))
        if c.uncertainty is None:
            raise InputError(Text.of("stochastic.error.no_uncertainty"), file=where)
    if not rho_factor > 0:
        raise InputError(Text.of("stochastic.error.rho_factor", value=repr(rho_factor)))
    try:
        res = stochastic_optimise(
            c,
            samples=samples,
            seed=seed,
            scenarios=given,
            method=method,
            staging=staging,
            solver=solver,
            time_limit_s=time_limit_s,
            mip_gap=mip_gap,
            max_iterations=max_iterations,
            database=database,
            rho_factor=rho_factor,
            ph_iterations=ph_iterations,
            progress=progress,
        )
    except ValueError as exc:  # scenarios of another network (a Text: keeps its message)
        raise InputError(exc.args[0] if exc.args else str(exc), file=where) from exc
    return StochasticPlan.from_dict(res)
