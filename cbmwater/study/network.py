"""Field-life network plans through the public API: :func:`load_case`, :func:`optimise`,
:func:`pareto_front`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from ..optimize.case import KINDS, LINEAR_KEYS
from .casefiles import CaseSource, case_references
from .results import ABSENT, JsonResult

if TYPE_CHECKING:  # pragma: no cover
    from ..optimize.case import Case

__all__ = [
    "load_case",
    "optimise",
    "pareto_front",
    "NetworkPlan",
    "ParetoPoint",
    "Flow",
    "Build",
    "OBJECTIVES",
    "KINDS",
    "LINEAR_KEYS",
    "case_from_source",
]

#: The objectives :func:`optimise` knows (least NPV, most reuse under a budget, least salt).
OBJECTIVES: tuple[str, ...] = ("cost", "reuse", "salt")

Progress = Callable[[str, float], None]


class Flow(TypedDict):
    """Water of one (site, train) stream to one destination in one period (m3/d)."""

    source: str
    train: str
    destination: str
    period: int
    stream: str
    feed_m3_d: float
    delivered_m3_d: float


class Build(TypedDict):
    """A plant the plan builds: site, train, size (m3/d of feed), build period (1-based; a
    staged plan may expand a plant in a later period: another entry of the same site and
    train) and its costs (CNY)."""

    site: str
    train: str
    size_m3_d: float
    period: int
    capex_CNY: float
    fixed_opex_CNY_yr: float
    capital_NPV_CNY: float
    peak_feed_m3_d: float
    units: list[str]


def _tables(name: str) -> Callable[[NetworkPlan], list[Mapping[str, Any]]]:
    def rows(plan: NetworkPlan) -> list[Mapping[str, Any]]:
        from ..report.optimise_tables import result_tables

        frame = result_tables(plan.to_dict())[name]
        return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]

    return rows


@dataclass(frozen=True)
class NetworkPlan(JsonResult):
    """The optimised plan of a field's water (``cbmwater optimise --format json``).

    Attributes
    ----------
    status : str
        ``optimal``, ``feasible``, ``infeasible``, ``no_solution``, ``error`` or ``unbounded``.
    objective_CNY : float or None
        NPV of the plan's costs, CNY of the case's price year.
    flows : list of Flow
        Every stream to every destination per period (m3/d).
    builds : list of Build
        The plants built: site, train, size (m3/d) and costs.
    destinations : list of dict
        Per destination and period: delivered m3/d, blend (mg/L), limits, pH, SAR, SI.
    kpis : dict
        ``produced_m3``, ``reuse_m3``, ``reuse_share``, ``salt_to_environment_t``,
        ``capex_total_CNY``, ``unit_cost_CNY_m3``.
    infeasibility : dict or None
        When infeasible: the items that block a plan and a summary.
    warnings_i18n : list of dict
        ``warnings`` as message dicts (docs/i18n.md); likewise ``message_i18n``/``fix_i18n``
        in ``exclusions``, ``presolve`` and the infeasibility items, ``summary_i18n`` there.
    """

    status: str
    objective: str
    objective_CNY: float | None
    case: dict[str, Any]
    sources: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    flows: list[Flow]
    paths: list[dict[str, Any]]
    destinations: list[dict[str, Any]]
    builds: list[Build]
    costs: dict[str, Any]
    kpis: dict[str, Any]
    cuts: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]
    unverified_limits: list[dict[str, Any]]
    iterations: list[dict[str, Any]]
    presolve: list[dict[str, Any]]
    infeasibility: dict[str, Any] | None
    solver: dict[str, Any]
    solve_seconds: float | None
    timings: dict[str, float]
    warnings: list[str]
    method: dict[str, str]
    versions: dict[str, str]
    injectate_screen: dict[str, Any] = field(default_factory=lambda: ABSENT)
    formation_checks: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    feeds: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    verification: dict[str, Any] = field(default_factory=lambda: ABSENT)
    checks: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    warnings_i18n: list[dict[str, Any]] = field(default_factory=lambda: ABSENT)
    method_i18n: dict[str, Any] = field(default_factory=lambda: ABSENT)

    TABLES = {
        name: (_tables(name), cols)
        for name, cols in {
            "flows": (
                "source",
                "train",
                "destination",
                "period",
                "stream",
                "feed_m3_d",
                "delivered_m3_d",
            ),
            "builds": (
                "site",
                "train",
                "size_m3_d",
                "period",
                "capex_CNY",
                "fixed_opex_CNY_yr",
                "capital_NPV_CNY",
                "peak_feed_m3_d",
                "units",
            ),
            "sources": (
                "name",
                "period",
                "year",
                "wells",
                "produced_m3_d",
                "treated_on_site_m3_d",
                "sent_to_hubs_m3_d",
                "allocated_m3_d",
            ),
            "transfers": ("station", "hub", "period", "m3_d"),
            "destinations": (
                "name",
                "kind",
                "period",
                "year",
                "capacity_m3_d",
                "delivered_m3_d",
                "pH",
                "SAR",
                "violations",
                "not_measured",
            ),
            "costs": ("category", "NPV_CNY"),
            "cuts": (
                "destination",
                "period",
                "property",
                "sense",
                "limit",
                "value",
                "iteration",
                "terms",
            ),
            "iterations": (
                "iteration",
                "status",
                "objective",
                "gap",
                "hubs_updated",
                "cuts_added",
                "formation_cuts",
            ),
            "exclusions": (
                "destination",
                "site",
                "train",
                "stream",
                "periods",
                "kind",
                "constituent",
                "value",
                "limit",
                "rule",
                "source",
                "status",
                "fix",
                "message",
            ),
        }.items()
    }

    def summary_text(self, lang: str = "en") -> str:
        """The plan in a few lines of text in ``lang`` (what ``cbmwater optimise`` prints)."""
        from ..report.optimise_tables import summary_text

        return summary_text(self.to_dict(), lang)

    def all_tables(self) -> dict[str, Any]:
        """Every table of the plan as DataFrames (the CSV files ``--out`` writes), including
        the per-destination limit columns ``<key>_mg_L`` and ``<key>_limit_mg_L``."""
        from ..report.optimise_tables import result_tables

        return result_tables(self.to_dict())


@dataclass(frozen=True)
class ParetoPoint(JsonResult):
    """One point of the cost-reuse front (``cbmwater optimise --pareto cost,reuse``)."""

    min_reuse_share: float | None
    status: str
    objective_CNY: float | None
    reuse_share: float | None
    salt_to_environment_t: float | None
    builds: list[str]


def load_case(
    case: str | Path | Mapping[str, Any],
    *,
    base_dir: str | Path | None = None,
    allow_outside: bool = False,
) -> Case:
    """Read and validate a decision-engine case (``case.toml``; docs/optimise_case_format.md).

    Parameters
    ----------
    case : str, Path or mapping
        The TOML file, or its content already parsed (a mapping of tables).
    base_dir : str or Path, optional
        For a mapping: the folder its CSV paths are relative to (default: the current folder).
    allow_outside : bool
        Let the case name files outside its folder (an absolute path, ``..``, a symlink).  Off
        by default: a case folder is self-contained, so a case cannot read other files of the
        machine (docs/confinement.md).  The app never sets it.

    Returns
    -------
    Case

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> case = cbmwater.load_case(example_path("qinshui_south", "case.toml"))
    >>> len(case.destinations) > 2
    True
    """
    from ..optimize.case import load_case as _load_case
    from ..optimize.case import parse_case

    if isinstance(case, Mapping):
        return parse_case(
            dict(case), Path(base_dir or "."), file="<mapping>", allow_outside=allow_outside
        )
    return _load_case(case, allow_outside=allow_outside)


def _as_case(case: str | Path | Mapping[str, Any] | Case, allow_outside: bool = False) -> Case:
    from ..optimize.case import Case

    return case if isinstance(case, Case) else load_case(case, allow_outside=allow_outside)


def optimise(
    case: str | Path | Mapping[str, Any] | Case,
    *,
    objective: str = "cost",
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    max_iterations: int = 8,
    budget_CNY: float | None = None,
    min_reuse_share: float | None = None,
    database: str | None = None,
    write_lp: str | None = None,
    write_mps: str | None = None,
    progress: Progress | None = None,
    allow_outside: bool = False,
    staging: bool = True,
) -> NetworkPlan:
    """Choose treatment trains and split a field's water among reuse, reinjection and discharge
    over its life (a MILP in Pyomo solved by HiGHS, blends checked by PHREEQC).

    Parameters
    ----------
    case : str, Path, mapping or Case
        A ``case.toml``, its parsed content, or a :class:`~cbmwater.optimize.case.Case`.
    objective : {"cost", "reuse", "salt"}
        Least NPV (CNY); most reuse under the budget; least salt (t TDS) to the environment.
    solver : str
        ``highs`` (bundled) or any Pyomo solver name.
    time_limit_s : float
        Seconds per MILP solve.
    mip_gap : float
        Relative MIP gap (0.005 = 0.5 %).
    max_iterations : int
        Most solves of the PHREEQC cut / hub mixing loop.
    budget_CNY : float, optional
        NPV budget for ``reuse``/``salt`` (default: the case's).
    min_reuse_share : float, optional
        Least reuse share (0-1) the plan must reach.
    database : str, optional
        PHREEQC database.
    write_lp, write_mps : str, optional
        Write the model with named rows and columns.
    progress : callable(message, fraction), optional
        Called as the work advances.
    allow_outside : bool
        See :func:`load_case` (off by default).
    staging : bool
        Staged expansion (default): a plant may be built or expanded in a later period in
        which production or demand grows, its capital charged from then on; False builds
        every plant in period 1 (build once).  ``builds[].period`` says when.

    Returns
    -------
    NetworkPlan
        Flows, builds, destinations (blends against limits), costs, KPIs and the checks.
        Method: Pyomo (Hart et al. 2011) with HiGHS (Huangfu & Hall 2018); see
        ``docs/optimise_method.md``.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> plan = cbmwater.optimise(example_path("qinshui_south", "case.toml"))  # doctest: +SKIP
    >>> plan.status, round(plan.kpis["reuse_share"], 2)  # doctest: +SKIP
    ('optimal', 0.6)
    """
    from ..optimize.plan import optimise as _optimise
    from ..outpaths import check_output

    # before the work: a long optimisation must not run only to fail writing its model
    for option, target in (("write_lp", write_lp), ("write_mps", write_mps)):
        if target:
            check_output(target, option)
    res = _optimise(
        _as_case(case, allow_outside),
        objective=objective,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        max_iterations=max_iterations,
        budget_CNY=budget_CNY,
        min_reuse_share=min_reuse_share,
        database=database,
        write_lp=write_lp,
        write_mps=write_mps,
        progress=progress,
        staging=staging,
    )
    return NetworkPlan.from_dict(res)


def pareto_front(
    case: str | Path | Mapping[str, Any] | Case,
    *,
    points: int = 5,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    database: str | None = None,
    progress: Progress | None = None,
    allow_outside: bool = False,
) -> list[ParetoPoint]:
    """Epsilon-constraint front of NPV cost against reuse share (Haimes et al. 1971).

    Parameters
    ----------
    case : str, Path, mapping or Case
        As for :func:`optimise`.
    points : int
        Points of the front (2-50).
    solver, time_limit_s, mip_gap, database, progress, allow_outside
        As for :func:`optimise`.

    Returns
    -------
    list of ParetoPoint
        From least cost to most reuse: ``min_reuse_share``, ``status``, ``objective_CNY``,
        ``reuse_share``, ``salt_to_environment_t``, ``builds``.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> front = cbmwater.pareto_front(example_path("qinshui_south", "case.toml"),
    ...                               points=3)  # doctest: +SKIP
    >>> front[0].reuse_share <= front[-1].reuse_share  # doctest: +SKIP
    True
    """
    from ..optimize.plan import pareto_front as _pareto

    pts = _pareto(
        _as_case(case, allow_outside),
        points=points,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        database=database,
        progress=progress,
    )
    return [ParetoPoint.from_dict(p) for p in pts]


def case_from_source(
    src: CaseSource,
    data: Mapping[str, Any] | None = None,
    changes: list[dict[str, Any]] | None = None,
) -> Case:
    """Validate a decision-engine case read by :mod:`cbmwater.study.casefiles`, possibly edited.

    Parameters
    ----------
    src : CaseSource
        From :func:`~cbmwater.study.casefiles.read_case_file` or
        :func:`~cbmwater.study.casefiles.read_case_zip`.
    data : mapping, optional
        The TOML content to validate instead of the source's own (an edited copy); held to the
        same rules as the file.
    changes : list of dict, optional
        The edits that made ``data``; they enter the case's hash.

    Returns
    -------
    Case
        ``sha256`` covers the TOML bytes, the edits and the CSV tables the case names.

    Raises
    ------
    InputError
        Naming the table and field; an upload's temporary folder is shown as the zip's name.

    Examples
    --------
    >>> from cbmwater.resources import example_path
    >>> from cbmwater.study.casefiles import read_case_file
    >>> src = read_case_file(example_path("qinshui_south", "case.toml"))
    >>> case = case_from_source(src)
    >>> case.sha256 == load_case(example_path("qinshui_south", "case.toml")).sha256
    True
    """
    import hashlib
    import json

    from ..errors import InputError
    from ..optimize.case import parse_case
    from .outputs import jsonable

    doc = dict(src.data if data is None else data)
    try:
        case = parse_case(doc, src.base, src.file, src.raw)
    except InputError as exc:
        raise InputError(src.friendly(str(exc))) from None
    h = hashlib.sha256(src.raw)
    if changes:
        edits = json.dumps(jsonable(changes), sort_keys=True).encode("utf-8")
        h.update(b"\n# edits " + edits)
    refs = {case.analyses_path} | {
        src.base / str(p) for f, p in case_references(doc) if f.startswith("[sources]")
    }
    for f in sorted(refs):
        if Path(f).is_file():
            h.update(Path(f).read_bytes())
    case.sha256 = h.hexdigest()
    return case
