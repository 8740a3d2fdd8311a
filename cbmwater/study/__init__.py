"""The orchestrator and the public API: one front door from inputs to typed results.

The CLI, the app and notebooks call these functions (re-exported by :mod:`cbmwater`); each
wires the layers below (water -> geochem -> treatment/standards/reinjection -> optimize,
minewater) and nothing below imports this package.
"""

from __future__ import annotations

from ..i18n import LANGUAGES, Message, localized, render
from ..resources import example_path, resource_label
from .compare import Comparison, binding_limits, compare_plans, compare_trains
from .minewater import (
    MINE_OPTIONS,
    MINE_SYSTEMS,
    PASSIVE_ACID_LOAD_MAX_KG_D,
    REAGENT_NAMES,
    AcidityResult,
    MinePlan,
    NeutralisationResult,
    SizingResult,
    acidity,
    admissible_options,
    load_mine_case,
    minewater_plan,
    neutralise,
    size_option,
    titration_curve,
)
from .network import OBJECTIVES, NetworkPlan, ParetoPoint, load_case, optimise, pareto_front
from .reinjection import SCALE_MINERALS, ReviewResult, load_proposal, review
from .reports import REPORT_FORMATS, plan_report, plan_workbook, review_report
from .results import JsonResult
from .sensitivity import SensitivityResult, sensitivity
from .stochastic import STOCHASTIC_METHODS, StochasticPlan, stochastic_plan
from .treatment import TreatmentResult, treat, unit_library
from .uncertainty import UncertaintyResult, uncertainty
from .water import ComplianceResult, characterisation, characterise, compliance, read_analyses
from .workspace import (
    RunRecord,
    RunSummary,
    Workspace,
    WorkspaceError,
    default_workspace_path,
)

__all__ = [
    "read_analyses",
    "characterise",
    "characterisation",
    "compliance",
    "ComplianceResult",
    "treat",
    "TreatmentResult",
    "unit_library",
    "review",
    "load_proposal",
    "ReviewResult",
    "SCALE_MINERALS",
    "review_report",
    "plan_report",
    "plan_workbook",
    "REPORT_FORMATS",
    "optimise",
    "pareto_front",
    "load_case",
    "NetworkPlan",
    "ParetoPoint",
    "OBJECTIVES",
    "uncertainty",
    "UncertaintyResult",
    "sensitivity",
    "SensitivityResult",
    "stochastic_plan",
    "StochasticPlan",
    "STOCHASTIC_METHODS",
    "acidity",
    "AcidityResult",
    "neutralise",
    "NeutralisationResult",
    "titration_curve",
    "size_option",
    "SizingResult",
    "admissible_options",
    "load_mine_case",
    "minewater_plan",
    "MinePlan",
    "REAGENT_NAMES",
    "MINE_OPTIONS",
    "MINE_SYSTEMS",
    "PASSIVE_ACID_LOAD_MAX_KG_D",
    "JsonResult",
    "compare_plans",
    "compare_trains",
    "binding_limits",
    "Comparison",
    "Message",
    "LANGUAGES",
    "render",
    "localized",
    "Workspace",
    "WorkspaceError",
    "RunSummary",
    "RunRecord",
    "default_workspace_path",
    "BUNDLED_ANALYSES",
    "example_path",
    "resource_label",
]

#: The representative Qinshui data set shipped with the package (constructed; see its README).
BUNDLED_ANALYSES = example_path("qinshui", "analyses.csv")
