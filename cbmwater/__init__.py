"""cbmwater: design and decision engine for coalbed-methane produced water and old-mine acid
water (Jincheng, southern Qinshui basin).

The public API (see README "Python API")::

    import cbmwater
    records = cbmwater.characterise("analyses.csv")              # DataFrame, one row a sample
    result = cbmwater.treat("analyses.csv", ["ultrafiltration", "brackish_ro"],
                            sample="SZ-3-04", flow_m3_d=1000)       # TreatmentResult
    plan = cbmwater.optimise("case.toml")                          # NetworkPlan
"""

from .errors import CbmwaterError, DatabaseError, GeochemError, InputError, ResourceLimitError
from .study import (
    AcidityResult,
    ComplianceResult,
    MinePlan,
    NetworkPlan,
    NeutralisationResult,
    ParetoPoint,
    ReviewResult,
    RunRecord,
    RunSummary,
    SizingResult,
    TreatmentResult,
    Workspace,
    WorkspaceError,
    acidity,
    admissible_options,
    characterisation,
    characterise,
    compliance,
    default_workspace_path,
    load_case,
    load_mine_case,
    load_proposal,
    minewater_plan,
    neutralise,
    optimise,
    pareto_front,
    read_analyses,
    review,
    size_option,
    titration_curve,
    treat,
    unit_library,
)
from .version import __version__

__all__ = [
    "__version__",
    "read_analyses",
    "characterise",
    "characterisation",
    "compliance",
    "treat",
    "unit_library",
    "review",
    "load_proposal",
    "optimise",
    "pareto_front",
    "load_case",
    "acidity",
    "neutralise",
    "titration_curve",
    "size_option",
    "admissible_options",
    "load_mine_case",
    "minewater_plan",
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
