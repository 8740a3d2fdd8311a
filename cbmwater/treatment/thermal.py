"""Thermal units: brine concentrator (MVC) and crystalliser.

The policy, its equations and sources are in ``docs/chemistry_thermal.md``; in short:

* **Distillate.** Non-volatile solutes reach the distillate only in brine droplets that the
  demister lets through with the vapour.  ``entrainment`` (epsilon) is the volume of boiling
  liquid carried per volume of distillate, so the distillate holds epsilon times the
  concentration of the liquid it boils off: the brine of a concentrator, the mother liquor of a
  crystalliser.
* **Brine concentrator** (residual ``brine``): distillate r Q, brine (1 - r) Q.  Per constituent,
  Q C = r Q epsilon C_b + (1 - r) Q C_b, hence C_b = C / (r epsilon + 1 - r), C_d = epsilon C_b,
  and the fraction of the inlet mass kept by the brine is (1 - r) / (r epsilon + 1 - r)
  (:func:`entrainment_removal`).
* **Crystalliser** (residual ``sludge``, the salt cake): the mother liquor holds at most
  ``liquor_tds_mg_L`` of dissolved solids; what exceeds it crystallises.  The liquid that leaves
  with the salt is the larger of the purge (1 - r) Q and the liquor the cake holds,
  crystals x (1 - f) / f at 1000 kg/m3, f the cake's solids fraction.  Crystals take the
  dissolved constituents in the proportions of the feed (no fractional crystallisation);
  suspended solids join the crystals; COD stays dissolved in the liquor (organics are what a purge
  bleeds).  The distillate is epsilon times the liquor.
* **Carbonate.** Bicarbonate decomposes in boiling brine, 2 HCO3- -> CO3-- + CO2 + H2O, and the
  CO2 leaves with the non-condensable gases (:func:`decompose_bicarbonate`).  HCO3/CO3 are not
  conservative constituents; the mass that leaves is booked as gas (HCO3) and the carbonate
  formed as added (CO3), so a carbon balance closes too.
* Ammonia and boric acid are kept with the non-volatile solutes (their partition to the vapour
  is not modelled; the unit warns when ammonium is present).  pH is not computed: distillate and
  brine carry no pH (NaN).

Flows are m3 of solution per day (the volume of dissolved salt is not separated from that of
water); concentrations mg/L (= g/m3); masses g/d unless the name says kg/d.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..i18n import Message, Text, named
from ..water.phases import molar_mass
from ..water.vocabulary import molar_mass as species_molar_mass
from .step import Step, fixed_doses, unit_energy_kWh_d
from .streams import INDEX, TRACKED, StreamBatch

if TYPE_CHECKING:  # pragma: no cover
    from .economics import Economics
    from .library import UnitSpec

__all__ = [
    "ThermalSplit",
    "entrainment_removal",
    "decompose_bicarbonate",
    "concentrate_brine",
    "crystallise",
    "run_thermal",
    "M_CO2",
    "DISSOLVED",
]

#: g/mol of CO2 (phases table, IUPAC 2021 atomic weights).
M_CO2 = molar_mass("CO2(g)")
#: Tracked constituents that are dissolved solids (every tracked name but TSS and COD).
DISSOLVED = np.array([n not in ("TSS", "COD") for n in TRACKED])
_HCO3, _CO3, _TSS, _COD = INDEX["HCO3"], INDEX["CO3"], INDEX["TSS"], INDEX["COD"]


@dataclass
class ThermalSplit:
    """What a thermal unit makes of its feed (arrays: one entry, or row, per water).

    Attributes
    ----------
    distillate_m3_d, residual_m3_d : ndarray, shape (n,)
        Distillate and liquid residual (brine, or mother liquor leaving with the salt), m3/d.
    distillate_mg_L, residual_mg_L : ndarray, shape (n, K)
        Concentrations, mg/L (NaN where the feed was not measured).
    solids_g_d : ndarray, shape (n, K)
        Mass of each constituent that leaves as crystals or suspended solids, g/d.
    """

    distillate_m3_d: np.ndarray
    distillate_mg_L: np.ndarray
    residual_m3_d: np.ndarray
    residual_mg_L: np.ndarray
    solids_g_d: np.ndarray


def entrainment_removal(recovery: float | np.ndarray, entrainment: float) -> float | np.ndarray:
    """Fraction of the inlet mass of a non-volatile solute that stays in an evaporator's brine.

    Parameters
    ----------
    recovery : float or ndarray
        Distillate flow / inlet flow, 0 < r < 1.
    entrainment : float
        Volume of brine carried per volume of distillate (epsilon, m3/m3), >= 0.

    Returns
    -------
    float or ndarray
        (1 - r) / (r epsilon + 1 - r), from the mass balance Q C = r Q epsilon C_b + (1 - r) Q C_b.
    """
    r = np.asarray(recovery, dtype=float)
    out = (1.0 - r) / (r * entrainment + 1.0 - r)
    return float(out) if out.ndim == 0 else out


def decompose_bicarbonate(
    mass_g_d: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Turn all bicarbonate into carbonate: 2 HCO3- -> CO3-- + CO2(g) + H2O.

    Parameters
    ----------
    mass_g_d : ndarray, shape (n, K)
        Mass flow of every tracked constituent, g/d (NaN = not measured).

    Returns
    -------
    mass : ndarray, shape (n, K)
        The same with HCO3 set to 0 and the carbonate formed added to CO3 (NaN stays NaN; an
        unmeasured CO3 becomes the carbonate formed).
    hco3_g_d : ndarray, shape (n,)
        Bicarbonate decomposed, g/d.
    co3_g_d : ndarray, shape (n,)
        Carbonate formed, g/d: HCO3 x M(CO3) / (2 M(HCO3)).
    co2_g_d : ndarray, shape (n,)
        CO2 released to the vent, g/d: HCO3 x M(CO2) / (2 M(HCO3)).  The rest of the bicarbonate
        mass (H2O) joins the vapour.
    """
    m = mass_g_d.copy()
    h = np.nan_to_num(m[:, _HCO3])
    m_hco3, m_co3 = species_molar_mass("HCO3"), species_molar_mass("CO3")
    co3 = h * m_co3 / (2.0 * m_hco3)
    co2 = h * M_CO2 / (2.0 * m_hco3)
    m[:, _HCO3] = np.where(np.isnan(m[:, _HCO3]), np.nan, 0.0)
    c = m[:, _CO3]
    m[:, _CO3] = np.where(np.isnan(c), np.where(h > 0, co3, np.nan), c + co3)
    return m, h, co3, co2


def concentrate_brine(
    mass_g_d: np.ndarray, flow_m3_d: np.ndarray, recovery: float, entrainment: float
) -> ThermalSplit:
    """Brine concentrator: distillate ``recovery`` x Q at ``entrainment`` x the brine.

    Parameters
    ----------
    mass_g_d : ndarray, shape (n, K)
        Inlet mass flow of every constituent, g/d (after :func:`decompose_bicarbonate`).
    flow_m3_d : ndarray, shape (n,)
        Inlet flow, m3/d.
    recovery : float
        Distillate / inlet flow, 0 < r < 1.
    entrainment : float
        Brine carried per volume of distillate, m3/m3.

    Returns
    -------
    ThermalSplit
        C_b = M / (Q ((1 - r) + r epsilon)), C_d = epsilon C_b, no solids.
    """
    q = np.asarray(flow_m3_d, dtype=float)
    qd, qb = recovery * q, (1.0 - recovery) * q
    den = qb + entrainment * qd
    with np.errstate(invalid="ignore", divide="ignore"):
        cb = np.where(den[:, None] > 0, mass_g_d / np.where(den > 0, den, 1.0)[:, None], 0.0)
    cb = np.where(np.isnan(mass_g_d), np.nan, cb)
    return ThermalSplit(qd, entrainment * cb, qb, cb, np.zeros_like(cb))


def crystallise(
    mass_g_d: np.ndarray,
    flow_m3_d: np.ndarray,
    recovery: float,
    entrainment: float,
    liquor_tds_mg_L: float,
    solids_frac: float,
) -> ThermalSplit:
    """Crystalliser: salt cake (crystals + mother liquor) and a distillate at epsilon x liquor.

    Parameters
    ----------
    mass_g_d : ndarray, shape (n, K)
        Inlet mass flow of every constituent, g/d (after :func:`decompose_bicarbonate`).
    flow_m3_d : ndarray, shape (n,)
        Inlet flow, m3/d.
    recovery : float
        Design distillate / inlet flow; 1 - recovery is the purge of mother liquor.
    entrainment : float
        Liquor carried per volume of distillate, m3/m3.
    liquor_tds_mg_L : float
        Dissolved solids of the saturated mother liquor, mg/L (g/m3).
    solids_frac : float
        Crystals / wet cake mass; the cake holds crystals x (1 - f) / f of liquor (taken at
        1000 kg/m3).

    Returns
    -------
    ThermalSplit
        With M_D the dissolved mass (g/d), T the suspended solids (g/d), Q_r the liquor leaving
        with the salt, Q_d = Q - Q_r and a the liquor TDS: crystals
        S = max(0, M_D - (Q_r + epsilon Q_d) a), Q_r = max((1 - r) Q, k (S + T) / 1000) with
        k = (1 - f) / (1000 f) m3 per kg; each dissolved constituent j is in the liquor at
        M_j min(a / M_D, 1 / (Q_r + epsilon Q_d)); COD at M_COD / (Q_r + epsilon Q_d); suspended
        solids all to the cake.
    """
    q = np.asarray(flow_m3_d, dtype=float)
    m = mass_g_d
    mz = np.nan_to_num(m)
    eps, a = float(entrainment), float(liquor_tds_mg_L)
    k = (1.0 - solids_frac) / (1000.0 * solids_frac)  # m3 of liquor per kg of crystals
    md = mz[:, DISSOLVED].sum(axis=1)
    t = mz[:, _TSS]
    # the purge carries the liquor ...
    qp = (1.0 - recovery) * q
    s_p = np.maximum(md - (qp + eps * recovery * q) * a, 0.0)
    purge_ok = k * (s_p + t) / 1000.0 <= qp
    # ... unless the cake holds more: Q_r = k (S + T) / 1000 with S = M_D - (Q_r + eps (Q - Q_r)) a
    g = (1.0 - eps) * a * k / 1000.0
    s_c = np.maximum((md - eps * q * a - g * t) / (1.0 + g), 0.0)
    qr = np.where(purge_ok, qp, np.minimum(k * (s_c + t) / 1000.0, q))
    qd = q - qr
    den = qr + eps * qd
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(den > 0, 1.0 / np.where(den > 0, den, 1.0), 0.0)
        phi = np.where(md > 0, np.minimum(a / np.where(md > 0, md, 1.0), inv), inv)
    liquor = np.zeros_like(m)
    liquor[:, DISSOLVED] = m[:, DISSOLVED] * phi[:, None]
    liquor[:, _COD] = m[:, _COD] * inv
    liquor[:, _TSS] = np.where(np.isnan(m[:, _TSS]), np.nan, 0.0)
    solids = np.zeros_like(mz)
    solids[:, DISSOLVED] = np.maximum(
        mz[:, DISSOLVED] - den[:, None] * np.nan_to_num(liquor[:, DISSOLVED]), 0.0
    )
    solids[:, _TSS] = t
    return ThermalSplit(qd, eps * liquor, qr, liquor, solids)


def run_thermal(spec: UnitSpec, feed: StreamBatch, econ: Economics) -> Step:
    """Apply a ``model = "thermal"`` unit to every water of ``feed`` (a brine).

    Parameters
    ----------
    spec : UnitSpec
        ``residual`` ``"brine"`` (brine concentrator: ``params.entrainment``) or ``"sludge"``
        (crystalliser: also ``params.mother_liquor_tds_mg_L`` and ``sludge_solids_frac``).
    feed : StreamBatch
        The brine treated (flow m3/d, mg/L).
    econ : Economics
        For fixed chemical doses (mg/L of inlet), if the unit has any.

    Returns
    -------
    Step
        ``product`` is the distillate, ``residual`` the brine or the mother liquor leaving with
        the salt cake, ``solids_g_d`` the crystals (g/d per constituent), ``gas_g_d`` the
        bicarbonate decomposed, ``added_g_d`` the carbonate formed (plus dosed ions).  pH of
        distillate and residual: NaN (not computed).  ``details``: ``entrainment``,
        ``removal`` (per water, fraction of the non-volatile dissolved mass kept out of the
        distillate), ``co2_vented_mg_L`` (CO2 to the vent per litre of inlet),
        ``concentrate_tds_mg_L`` (dissolved solids of the brine or mother liquor).
    """
    from ..errors import InputError

    uid = named("unitid", spec.id)
    p = spec.params
    if spec.removal:
        raise InputError(Text.of("treatment.error.thermal.removal", unit=uid))
    if any(d.per_mg_removed for d in spec.chemicals):
        raise InputError(Text.of("treatment.error.thermal.doses", unit=uid))
    try:
        eps = float(p["entrainment"])
    except (KeyError, TypeError, ValueError):
        raise InputError(Text.of("treatment.error.thermal.entrainment_missing", unit=uid)) from None
    if not 0.0 <= eps <= 0.1 or not 0.0 < spec.recovery < 1.0:
        raise InputError(
            Text.of("treatment.error.thermal.range", unit=uid, eps=eps, recovery=spec.recovery)
        )
    n = len(feed)
    q = feed.flow_m3_d
    chems, added, dosed = fixed_doses(spec, feed, econ)
    m, hco3, co3, co2 = decompose_bicarbonate(dosed.mass_g_d())
    # dissolved oxygen leaves with the non-condensable gases: distillate and brine carry none
    do_in = m[:, INDEX["DO"]].copy()
    m[:, INDEX["DO"]] = np.where(np.isnan(do_in), np.nan, 0.0)
    if spec.residual == "brine":
        split = concentrate_brine(m, q, spec.recovery, eps)
    elif spec.residual == "sludge":
        try:
            liquor = float(p["mother_liquor_tds_mg_L"])
        except (KeyError, TypeError, ValueError):
            raise InputError(Text.of("treatment.error.thermal.liquor_missing", unit=uid)) from None
        if not 0.0 < spec.sludge_solids_frac < 1.0 or liquor <= 0:
            raise InputError(Text.of("treatment.error.thermal.liquor_range", unit=uid))
        split = crystallise(m, q, spec.recovery, eps, liquor, spec.sludge_solids_frac)
    else:
        raise InputError(
            Text.of("treatment.error.thermal.residual", unit=uid, value=repr(spec.residual))
        )
    no_ph = np.full(n, np.nan)
    product = StreamBatch(
        split.distillate_m3_d, split.distillate_mg_L, feed.temp_C.copy(), no_ph.copy()
    )
    resid = StreamBatch(split.residual_m3_d, split.residual_mg_L, feed.temp_C.copy(), no_ph.copy())
    gas = np.zeros_like(m)
    gas[:, _HCO3] = hco3
    gas[:, INDEX["DO"]] = np.nan_to_num(do_in)
    added = added.copy()
    added[:, _CO3] += co3
    md = np.nan_to_num(m[:, DISSOLVED]).sum(axis=1)
    to_distillate = (
        np.nan_to_num(split.distillate_mg_L[:, DISSOLVED]).sum(axis=1) * split.distillate_m3_d
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        removal = np.where(md > 0, 1.0 - to_distillate / np.where(md > 0, md, 1.0), 1.0)
        rec = np.where(q > 0, split.distillate_m3_d / np.where(q > 0, q, 1.0), spec.recovery)
    warnings: list[list[str]] = [[] for _ in range(n)]
    nh4 = feed.conc_mg_L[:, INDEX["NH4_N"]]
    unit = named("unitid", spec.id)
    residual_name = Message(
        "treatment.residual.brine" if spec.residual == "brine" else "treatment.residual.liquor"
    )
    for i in range(n):
        warnings[i].append(Text.of("treatment.warn.thermal_pH", unit=unit, residual=residual_name))
        if nh4[i] > 0:
            warnings[i].append(Text.of("treatment.warn.thermal_ammonium", unit=unit, nh4=nh4[i]))
    step = Step(
        spec,
        feed,
        product,
        resid,
        split.solids_g_d.sum(axis=1) / 1000.0,
        split.solids_g_d,
        gas,
        added,
        chems,
        unit_energy_kWh_d(spec, feed),
        rec,
        warnings=warnings,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        co2_mg_L = np.where(q > 0, co2 / np.where(q > 0, q, 1.0), 0.0)
    step.details = {
        "entrainment": eps,
        "removal": removal,
        "co2_vented_mg_L": co2_mg_L,
        "concentrate_tds_mg_L": np.nansum(split.residual_mg_L[:, DISSOLVED], axis=1),
    }
    return step
