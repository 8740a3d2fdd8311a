"""Irrigation-water quantities that need carbonate equilibrium.

Adjusted SAR (FAO-29 Rev. 1)
----------------------------
Ayers & Westcot (1985, FAO Irrigation and Drainage Paper 29 Rev. 1, §2.4.1) replace Ca in the SAR
by Ca°, the calcium expected in the near-surface soil water after the irrigation water has
equilibrated with calcite at a soil-surface CO2 partial pressure of 0.0007 atm (Suarez, 1981,
Soil Sci. Soc. Am. J. 45:469-475): ``adj RNa = Na / sqrt((Ca° + Mg) / 2)`` in meq/L.  FAO tabulates
Ca° against HCO3/Ca and ECw (Table 11); cbmwater computes Ca° directly with PHREEQC (calcite and
CO2(g) at log pCO2 = log10(0.0007) = -3.155, Mg unchanged), which is the calculation the table
summarises.  Confidence: method [M] (commonly cited; the table values themselves were not checked).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Text
from ..water.analysis import AnalysisSet
from ..water.qa import meq_per_L
from .databases import database_info
from .engine import get_engine
from .redox import RedoxBasis
from .speciation import speciation_input

__all__ = ["SOIL_PCO2_ATM", "calcium_equilibrium_input", "calcium_equilibrium_mg_L", "adjusted_sar"]

#: CO2 partial pressure near the soil surface assumed by FAO-29 / Suarez (1981), atm.
SOIL_PCO2_ATM = 0.0007


def calcium_equilibrium_input(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    pco2_atm: float = SOIL_PCO2_ATM,
    censored_policy: str = "half",
    redox: str | RedoxBasis | None = None,
) -> str:
    """The PHREEQC input behind :func:`calcium_equilibrium_mg_L` (exportable as a .pqi).

    Every sample is a SOLUTION (entered with the redox basis ``redox``, default ``fe2``, as in
    :func:`cbmwater.geochem.speciation.speciate`), then each is equilibrated with calcite and
    CO2(g) at ``pco2_atm``; the selected output gives total Ca after the reaction.
    """
    if not (0 < pco2_atm < 1):
        raise InputError(Text.of("geochem.error.pco2", value=repr(pco2_atm)))
    base, _, _ = speciation_input(analyses, database, censored_policy=censored_policy, redox=redox)
    base = base.replace(
        "    -reset false\n", "    -reset false\n    -state true\n    -totals Ca\n", 1
    )
    log_p = math.log10(pco2_atm)
    parts = [base]
    for n in range(1, len(analyses) + 1):
        parts.append(
            f"USE solution {n}\nEQUILIBRIUM_PHASES {n}\n    Calcite 0 10\n"
            f"    CO2(g) {log_p:.6f} 10\nEND\n"
        )
    return "".join(parts)


def calcium_equilibrium_mg_L(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    pco2_atm: float = SOIL_PCO2_ATM,
    censored_policy: str = "half",
    redox: str | RedoxBasis | None = None,
) -> pd.Series:
    """Ca° (mg/L): dissolved Ca after equilibrium with calcite at ``pco2_atm``, by PHREEQC.

    All samples run in one PHREEQC input (one SOLUTION and one reaction per sample); mol/kgw is
    taken as mol/L (dilute water).  ``redox`` as in :func:`calcium_equilibrium_input`.
    """
    text = calcium_equilibrium_input(analyses, database, pco2_atm, censored_policy, redox)
    out = get_engine(database_info(database).path).run(text)
    react = out[out["state"].astype(str).str.strip() == "react"]
    ca_molal = react["Ca"].to_numpy(dtype=float)
    return pd.Series(
        ca_molal * 40.078 * 1000.0, index=pd.Index(analyses.sample_ids, name="sample_id")
    )


def adjusted_sar(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    pco2_atm: float = SOIL_PCO2_ATM,
    censored_policy: str = "half",
    redox: str | RedoxBasis | None = None,
) -> pd.Series:
    """Adjusted sodium adsorption ratio adj RNa, (meq/L)^0.5 (FAO-29 Rev. 1; see module doc).

    ``redox`` is the redox basis of the waters (default ``fe2``; see
    :func:`calcium_equilibrium_input`).

    Returns
    -------
    Series
        Index sample_id; NaN where Na was not measured.
    """
    ca0 = calcium_equilibrium_mg_L(analyses, database, pco2_atm, censored_policy, redox)
    meq = meq_per_L(analyses.resolved(censored_policy))
    ca0_meq = ca0 / 20.039
    denom = np.sqrt((ca0_meq + meq["Mg"].fillna(0)) / 2)
    return (meq["Na"] / denom).where(denom > 0)
