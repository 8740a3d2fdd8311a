"""The orchestrator: runs a whole piece of work from files to results.

The CLI, the app and end-to-end tests go through these functions; each wires the layers together
(water -> geochem -> ...) and nothing below imports this module.
"""

from __future__ import annotations

from pathlib import Path

from .geochem.characterise import Characterisation, characterise
from .water.io import read_analyses

__all__ = ["characterise_file", "BUNDLED_ANALYSES"]

#: The representative Qinshui data set shipped with the project (constructed; see its README).
BUNDLED_ANALYSES = Path(__file__).resolve().parents[1] / "case_studies" / "qinshui" / "analyses.csv"


def characterise_file(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    database: str | Path | None = None,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    irrigation: bool = False,
) -> Characterisation:
    """Read a lab file (CSV/Excel) and characterise every sample.

    See :func:`cbmwater.water.io.read_analyses` and
    :func:`cbmwater.geochem.characterise.characterise` for the parameters.
    """
    analyses = read_analyses(path, sheet)
    return characterise(analyses, database, charge_balance=charge_balance,
                        censored_policy=censored_policy, irrigation=irrigation)
