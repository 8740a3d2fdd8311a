"""cbmwater: design and decision engine for coalbed-methane produced water and old-mine acid
water (Jincheng, southern Qinshui basin).

The public API (see README "Python API")::

    import cbmwater
    records = cbmwater.characterise("analyses.csv")              # DataFrame, one row a sample
    result = cbmwater.treat("analyses.csv", ["ultrafiltration", "brackish_ro"],
                            sample="SZ-3-04", flow_m3_d=1000)       # TreatmentResult
    plan = cbmwater.optimise("case.toml")                          # NetworkPlan
"""

from typing import TYPE_CHECKING, Any

from .errors import CbmwaterError, DatabaseError, GeochemError, InputError, ResourceLimitError
from .version import __version__

if TYPE_CHECKING:
    from .study import (
        AcidityResult,
        Comparison,
        ComplianceResult,
        MinePlan,
        NetworkPlan,
        NeutralisationResult,
        ParetoPoint,
        ReviewResult,
        RunRecord,
        RunSummary,
        SensitivityResult,
        SizingResult,
        StochasticPlan,
        TreatmentResult,
        UncertaintyResult,
        Workspace,
        WorkspaceError,
        acidity,
        admissible_options,
        characterisation,
        characterise,
        compare_plans,
        compare_trains,
        compliance,
        default_workspace_path,
        load_case,
        load_mine_case,
        load_proposal,
        localized,
        minewater_plan,
        neutralise,
        optimise,
        pareto_front,
        plan_report,
        plan_workbook,
        read_analyses,
        render,
        review,
        review_report,
        size_option,
        stochastic_plan,
        titration_curve,
        treat,
        unit_library,
    )
    from .study.sensitivity import sensitivity
    from .study.uncertainty import uncertainty

# The API is imported from cbmwater.study when it is first used, not with the package: a
# process that needs one low layer (a worker of the executor importing cbmwater.geochem, the
# CLI's start) does not pay for importing every study (Pyomo, the reports, the optimiser).
_FROM_STUDY = frozenset(
    {
        "AcidityResult",
        "Comparison",
        "ComplianceResult",
        "MinePlan",
        "NetworkPlan",
        "NeutralisationResult",
        "ParetoPoint",
        "ReviewResult",
        "RunRecord",
        "RunSummary",
        "SensitivityResult",
        "SizingResult",
        "StochasticPlan",
        "TreatmentResult",
        "UncertaintyResult",
        "Workspace",
        "WorkspaceError",
        "acidity",
        "admissible_options",
        "characterisation",
        "characterise",
        "compare_plans",
        "compare_trains",
        "compliance",
        "default_workspace_path",
        "load_case",
        "load_mine_case",
        "load_proposal",
        "localized",
        "minewater_plan",
        "neutralise",
        "optimise",
        "pareto_front",
        "plan_report",
        "plan_workbook",
        "read_analyses",
        "render",
        "review",
        "review_report",
        "sensitivity",
        "size_option",
        "stochastic_plan",
        "titration_curve",
        "treat",
        "uncertainty",
        "unit_library",
    }
)


def __getattr__(name: str) -> Any:
    if name in _FROM_STUDY:
        from . import study

        value = getattr(study, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cbmwater' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _FROM_STUDY)


__all__ = [
    "__version__",
    "read_analyses",
    "characterise",
    "characterisation",
    "compliance",
    "treat",
    "unit_library",
    "review",
    "render",
    "localized",
    "review_report",
    "load_proposal",
    "optimise",
    "plan_report",
    "plan_workbook",
    "pareto_front",
    "uncertainty",
    "UncertaintyResult",
    "sensitivity",
    "SensitivityResult",
    "stochastic_plan",
    "StochasticPlan",
    "load_case",
    "acidity",
    "neutralise",
    "titration_curve",
    "size_option",
    "admissible_options",
    "load_mine_case",
    "minewater_plan",
    "compare_plans",
    "compare_trains",
    "Comparison",
    "ComplianceResult",
    "TreatmentResult",
    "ReviewResult",
    "NetworkPlan",
    "ParetoPoint",
    "AcidityResult",
    "NeutralisationResult",
    "SizingResult",
    "MinePlan",
    "Workspace",
    "RunSummary",
    "RunRecord",
    "default_workspace_path",
    "WorkspaceError",
    "CbmwaterError",
    "InputError",
    "DatabaseError",
    "GeochemError",
    "ResourceLimitError",
]
