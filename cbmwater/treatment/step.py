"""One unit's effect on a batch of waters (:class:`Step`) and the bookkeeping every unit model
shares: fixed chemical doses and their ions, and the electricity a unit uses.

Lower than the unit models (:mod:`.models`, :mod:`.thermal`), which both build a :class:`Step`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..water.vocabulary import molar_mass
from .economics import Economics
from .library import UnitSpec
from .streams import INDEX, TRACKED, StreamBatch, tds_g_L

__all__ = ["Step", "adds_g_per_g", "fixed_doses", "unit_energy_kWh_d"]

_K = len(TRACKED)


@dataclass
class Step:
    """One unit applied to a batch (arrays have one entry per water).

    Mass flows are g/d per tracked constituent ((n, K) arrays), solids kg/d dry, chemicals
    kg/d of active compound, energy kWh/d.
    """

    unit: UnitSpec
    feed: StreamBatch
    product: StreamBatch
    residual: StreamBatch
    solids_kg_d: np.ndarray
    solids_g_d: np.ndarray  # (n, K) mass of each constituent to solids
    gas_g_d: np.ndarray  # (n, K) mass of each constituent to air
    added_g_d: np.ndarray  # (n, K) mass added by chemicals
    chemicals_kg_d: dict[str, np.ndarray]  # active compound, kg/d
    energy_kWh_d: np.ndarray
    recovery: np.ndarray
    details: dict[str, Any] = field(default_factory=dict)  # per-model diagnostics (mixed types)
    warnings: list[list[str]] = field(default_factory=list)
    product_is_vapour: bool = False


def adds_g_per_g(econ: Economics, chem: str) -> np.ndarray:
    """g of each tracked constituent added per g of active chemical ``chem`` (its adds_mol)."""
    c = econ.chemicals[chem]
    out = np.zeros(_K)
    for name, mol in c.adds_mol.items():
        if name in INDEX:
            out[INDEX[name]] = mol * molar_mass(name) / c.molar_mass_g_mol
    return out


def fixed_doses(
    spec: UnitSpec, feed: StreamBatch, econ: Economics
) -> tuple[dict[str, np.ndarray], np.ndarray, StreamBatch]:
    """Fixed mg/L doses of ``spec``: (kg/d of each chemical, g/d of each constituent added,
    the feed with those ions added)."""
    chems: dict[str, np.ndarray] = {}
    added = np.zeros_like(feed.conc_mg_L)
    for d in spec.chemicals:
        if d.dose_mg_L > 0:
            g_d = d.dose_mg_L * feed.flow_m3_d
            chems[d.chemical] = chems.get(d.chemical, 0) + g_d / 1000.0
            added += g_d[:, None] * adds_g_per_g(econ, d.chemical)[None, :]
    dosed = feed.copy()
    if added.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            add_c = added / np.where(feed.flow_m3_d > 0, feed.flow_m3_d, 1)[:, None]
        dosed.conc_mg_L = np.where(
            np.isnan(feed.conc_mg_L) & (add_c > 0), add_c, feed.conc_mg_L + add_c
        )
    return chems, added, dosed


def unit_energy_kWh_d(spec: UnitSpec, feed: StreamBatch) -> np.ndarray:
    """Electricity of ``spec`` on ``feed``, kWh/d: (kWh/m3 + kWh/m3 per g/L x TDS) x inlet m3/d."""
    per_m3 = spec.energy_kWh_m3 + spec.energy_kWh_m3_per_g_L_TDS * tds_g_L(feed.conc_mg_L)
    return per_m3 * feed.flow_m3_d
