"""SAR limits as linear cuts: the square root is the lower envelope of its tangents.

``SAR = Na / sqrt((Ca + Mg)/2)`` (meq/L; FAO-29, Ayers & Westcot 1985).  A blend meets
``SAR <= L`` when ``Na(w) <= L sqrt(M(w)/2)`` with ``M = Ca + Mg``; both ``Na(w)`` and ``M(w)`` are
linear in the flows, and ``sqrt(x) = min_{s>0} (x/(2s) + s/2)`` -- so each hardness point ``s0``
gives a linear constraint implied by the limit, exact where ``s0 = sqrt(M(w)/2)``.  A geometric grid
of ``s0`` with ratio r over-states sqrt by at most ``(r^0.5 + r^-0.5)/2 - 1`` (0.11 % at the
default r = 1.1; SAR 9 is then met to 0.01).
"""

from __future__ import annotations

import numpy as np

from ..treatment.streams import INDEX
from ..water.vocabulary import CONSTITUENTS

__all__ = ["sar_cut_coefficients", "hardness_points"]

_EQ = {n: CONSTITUENTS[n].equivalent_mass for n in ("Na", "Ca", "Mg")}


def sar_cut_coefficients(concs: np.ndarray, limit: float, s0: float) -> np.ndarray:
    """Coefficients ``h_p`` of the SAR tangent cut ``sum_p f_p h_p <= 0`` at hardness point s0.

    ``SAR <= L`` is ``Na(w) <= L sqrt(M(w)/2)`` (meq/L; M = Ca + Mg), and
    ``sqrt(M/2) = min_{s>0} (M/(4 s) + s/2)``, so for every s0 > 0
    ``Na(w) - L (M(w)/(4 s0) + s0/2) <= 0`` is implied by the limit (a valid cut, exact where
    ``s0 = sqrt(M(w)/2)``).  ``concs``: (n, len(TRACKED)) mg/L of the streams.
    """
    concs = np.atleast_2d(concs)
    na = np.nan_to_num(concs[:, INDEX["Na"]]) / _EQ["Na"]
    m = (
        np.nan_to_num(concs[:, INDEX["Ca"]]) / _EQ["Ca"]
        + np.nan_to_num(concs[:, INDEX["Mg"]]) / _EQ["Mg"]
    )
    return na - limit * m / (4.0 * s0) - limit * s0 / 2.0


def hardness_points(concs: np.ndarray, ratio: float = 1.1, most: int = 32) -> np.ndarray:
    """A geometric grid of ``s = sqrt(M/2)`` spanning the streams' hardness (meq/L)^0.5."""
    concs = np.atleast_2d(concs)
    m = (
        np.nan_to_num(concs[:, INDEX["Ca"]]) / _EQ["Ca"]
        + np.nan_to_num(concs[:, INDEX["Mg"]]) / _EQ["Mg"]
    )
    s = np.sqrt(np.maximum(m, 1e-6) / 2.0)
    lo, hi = float(s.min()), float(s.max())
    if hi / lo <= ratio:
        return np.array([np.sqrt(lo * hi)])
    n = int(np.ceil(np.log(hi / lo) / np.log(ratio))) + 1
    return np.geomspace(lo, hi, min(n, most))
