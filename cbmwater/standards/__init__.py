"""Water-quality standards: the limit table (``cbmwater/databases/standards.csv``) and compliance checks.

:func:`load_standards` reads and validates the table; :func:`check_compliance` checks one water
and :func:`check_analyses` every sample of an :class:`~cbmwater.water.analysis.AnalysisSet`
against one class of one standard.  See ``cbmwater/databases/standards_README.md`` for what the table
holds and which numbers still need confirming against the official texts.
"""

from .compliance import (
    OUTPUT_COLUMNS,
    RESULTS,
    check_analyses,
    check_compliance,
    fao29_infiltration,
    summarise,
)
from .table import (
    PARAMETERS,
    STANDARDS_CSV,
    STATUSES,
    UNITS,
    Limit,
    StandardsError,
    StandardsTable,
    load_standards,
)

__all__ = [
    "load_standards",
    "StandardsTable",
    "Limit",
    "StandardsError",
    "PARAMETERS",
    "UNITS",
    "STATUSES",
    "STANDARDS_CSV",
    "check_compliance",
    "check_analyses",
    "summarise",
    "fao29_infiltration",
    "RESULTS",
    "OUTPUT_COLUMNS",
]
