"""Geochemistry in the loop: PHREEQC checks each destination blend of a plan; violations become cuts.

For a destination d in period t the plan delivers flows ``f_p`` of streams p (a path's product or
residual water).  Concentrations blend linearly and are in the MILP; these do not:

* **pH** of the blend (PHREEQC ``MIX`` at the destination's temperature) against ``pH_range``;
* **SAR** = Na / sqrt((Ca + Mg) / 2), meq/L, of the blended concentrations, against ``SAR_max``
  (FAO-29, Ayers & Westcot 1985);
* **saturation indices** of ``SI_max`` minerals at the destination's temperature (reinjection:
  the formation temperature).

When a property violates its limit, a cut linear in the flows excludes the current blend w0
(mixing fractions).  With ``sum_p w_p = 1`` any linearisation ``g(w) ~ g0 + sum_p (w_p - w0_p)
D_p`` becomes ``sum_p f_p (g0 - sum_q w0_q D_q + D_p - limit) <= 0``:

* **SAR**: ``SAR <= L`` is ``h(w) = Na(w) - L sqrt((Ca(w) + Mg(w)) / 2) <= 0`` (meq/L), a
  linear minus a concave function, hence convex: its tangent at w0 never cuts off a blend that
  meets the limit (Kelley 1960, J. SIAM 8:703).  Derivatives are analytic.
* **SI**: linearised in the saturation ratio ``Omega = 10^SI`` (limit ``10^L``), whose mixing
  curves are close to products of linear dilutions (convex) where a saturated water is diluted
  by a cleaner one; ``D_p`` is the directional derivative towards pure stream p from PHREEQC at
  a step e = 0.05.  In SI itself (a logarithm, concave) a tangent would over-state what dilution
  can do and forbid blends that are fine.
* **pH**: the tangent in pH from the same PHREEQC probes.

Limits are tightened by a small margin so that the next plan lands inside.  For SI and pH the
cuts are local linearisations (not guaranteed valid for every blend), so the loop stops at an
iteration limit and reports any violation still standing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from ..geochem.mixing import blend_properties
from ..i18n import Text, message_dicts, named
from ..treatment.streams import INDEX, NOT_DISSOLVED, TRACKED
from ..water.vocabulary import CONSTITUENTS
from .model import Cut, Network
from .precompute import PathTable

__all__ = ["BlendCheck", "check_blends", "sar", "stream_water"]

EPS = 0.05
TOL = {"pH": 0.02, "SAR": 0.02, "SI": 0.02}
MARGIN = {"pH": 0.05, "SAR": 0.1, "SI": 0.05}
# g/eq; charged ions always have one (equivalent_mass is None only for uncharged species)
_EQ: dict[str, float] = {
    n: cast(float, CONSTITUENTS[n].equivalent_mass) for n in ("Na", "Ca", "Mg")
}


def sar(conc: np.ndarray) -> float:
    """Sodium adsorption ratio of a TRACKED concentration row (mg/L), (meq/L)^0.5."""
    na, ca, mg = (float(np.nan_to_num(conc[INDEX[n]])) / _EQ[n] for n in ("Na", "Ca", "Mg"))
    den = math.sqrt(max((ca + mg) / 2.0, 1e-12))
    return na / den


@dataclass
class BlendCheck:
    destination: str
    period: int
    delivered_m3_d: float
    pH: float | None
    SAR: float | None
    SI: dict[str, float]
    violations: list[str]

    def as_dict(self) -> dict:
        return {
            "destination": self.destination,
            "period": self.period,
            "pH": self.pH,
            "SAR": self.SAR,
            "SI": self.SI,
            "violations": self.violations,
            "violations_i18n": message_dicts(self.violations),
        }


def _streams(
    net: Network, vals: dict[str, np.ndarray], d: int, t: int, tiny: float
) -> list[tuple[int, str, float]]:
    """(pair, stream, flow-variable index) of every stream that may go to (d, t), and flows."""
    out = []
    for k in np.flatnonzero((net.x_dest == d) & (net.x_t == t)):
        out.append((int(net.x_pair[k]), "product", float(vals["x"][k])))
    for k in np.flatnonzero((net.w_dest == d) & (net.w_t == t)):
        out.append((int(net.w_pair[k]), "residual", float(vals["w"][k])))
    return out


def _water(net: Network, pair: int, stream: str, t: int) -> tuple[dict[str, float], np.ndarray]:
    return stream_water(net.table, pair, stream, t)


def stream_water(
    tab: PathTable, pair: int, stream: str, t: int
) -> tuple[dict[str, float], np.ndarray]:
    """A path's product or residual water in period ``t`` as PHREEQC input values.

    Returns the dict of dissolved constituents (mg/L; not-measured left out), ``pH`` and
    ``temp_C`` (deg C), and the row of TRACKED concentrations (mg/L).
    """
    conc = (tab.product if stream == "product" else tab.residual)[pair, t, : len(TRACKED)]
    ph = tab.product_pH[pair, t]
    if (
        stream == "residual"
        and tab.residual_pH is not None
        and math.isfinite(tab.residual_pH[pair, t])
    ):
        ph = tab.residual_pH[pair, t]  # a residual at its own pH (e.g. an RO concentrate)
    if not math.isfinite(ph):
        ph = 7.0
    d = {n: float(v) for n, v in zip(TRACKED, conc) if math.isfinite(v) and n not in NOT_DISSOLVED}
    d["pH"] = float(ph)
    d["temp_C"] = float(tab.product_temp_C[pair, t])
    return d, conc


def check_blends(
    net: Network,
    vals: dict[str, np.ndarray],
    iteration: int,
    *,
    database: str = "phreeqc",
    tiny: float = 1e-6,
) -> tuple[list[BlendCheck], list[Cut]]:
    """Check every destination blend of a plan; return the checks and the cuts for violations."""
    case = net.case
    waters: list[dict[str, float]] = []
    wat_ix: dict[tuple[int, str, int], int] = {}
    concs: list[np.ndarray] = []

    def water_index(pair: int, stream: str, t: int) -> int:
        key = (pair, stream, t)
        if key not in wat_ix:
            w, c = _water(net, pair, stream, t)
            wat_ix[key] = len(waters)
            waters.append(w)
            concs.append(c)
        return wat_ix[key]

    # first pass: the blends of the plan
    items = []
    for d, dest in enumerate(case.destinations):
        minerals = tuple(dest.SI_max) if dest.SI_max else ()
        for t in range(case.periods):
            streams = _streams(net, vals, d, t, tiny)
            used = [(p, s, f) for p, s, f in streams if f > tiny]
            total = sum(f for _, _, f in used)
            if total <= tiny:
                continue
            w0 = {water_index(p, s, t): f / total for p, s, f in used}
            items.append((d, t, minerals, streams, w0, total))
    blends = [it[4] for it in items]
    temps = [case.destinations[it[0]].temperature_C for it in items]
    all_minerals = sorted({m for it in items for m in it[2]})
    props = (
        blend_properties(waters, blends, temps, all_minerals, database) if items else pd.DataFrame()
    )
    checks: list[BlendCheck] = []
    todo = []
    for n, (d, t, minerals, streams, w0, total) in enumerate(items):
        dest = case.destinations[d]
        conc = sum((frac * concs[i] for i, frac in w0.items()), np.zeros(len(TRACKED)))
        row = props.iloc[n]
        ph = float(row["pH"])
        s_ar = sar(conc)
        si = {m: float(row[f"si_{m}"]) for m in minerals}
        viol = []
        bad = []
        if dest.pH_range is not None:
            lo, hi = dest.pH_range
            if ph < lo - TOL["pH"]:
                viol.append(f"pH {ph:.2f} < {lo:g}")
                bad.append(("pH", "min", lo + MARGIN["pH"], ph))
            elif ph > hi + TOL["pH"]:
                viol.append(f"pH {ph:.2f} > {hi:g}")
                bad.append(("pH", "max", hi - MARGIN["pH"], ph))
        if dest.SAR_max is not None and s_ar > dest.SAR_max + TOL["SAR"]:
            viol.append(f"SAR {s_ar:.2f} > {dest.SAR_max:g}")
            bad.append(("SAR", "max", dest.SAR_max - MARGIN["SAR"], s_ar))
        for mnl, lim in dest.SI_max.items():
            v = si.get(mnl, math.nan)
            if math.isfinite(v) and v > lim + TOL["SI"]:
                viol.append(
                    Text.of("optimise.geocheck.si", mineral=named("phase", mnl), v=v, lim=lim)
                )
                bad.append((f"SI_{mnl}", "max", lim - MARGIN["SI"], v))
        checks.append(BlendCheck(dest.name, t + 1, total, ph, s_ar, si, viol))
        if bad:
            todo.append((d, t, streams, w0, bad))
    if not todo:
        return checks, []
    # second pass: directional derivatives towards every candidate stream of a violating blend
    probes, probe_meta = [], []
    for n, (_d, t, streams, w0, bad) in enumerate(todo):
        if all(b[0] == "SAR" for b in bad):
            continue  # SAR cuts are analytic: no PHREEQC probes needed
        for p, s, _ in streams:
            j = water_index(p, s, t)
            mix = {i: (1 - EPS) * f for i, f in w0.items()}
            mix[j] = mix.get(j, 0.0) + EPS
            probes.append(mix)
            probe_meta.append((n, p, s, j))
    probe_minerals = sorted({b[0][3:] for it in todo for b in it[4] if b[0].startswith("SI_")})
    temps = [case.destinations[todo[n][0]].temperature_C for n, *_ in probe_meta]
    pprops = (
        blend_properties(waters, probes, temps, probe_minerals, database)
        if probes
        else pd.DataFrame()
    )
    cuts: list[Cut] = []
    for n, (d, t, streams, w0, bad) in enumerate(todo):
        dest = case.destinations[d]
        for prop, sense, limit, g0 in bad:
            cut = Cut(dest.name, t + 1, prop, sense, limit, g0, iteration)
            if prop == "SAR":
                conc0 = sum((f * concs[i] for i, f in w0.items()), np.zeros(len(TRACKED)))
                s0 = math.sqrt(max(_hardness_meq(conc0) / 2.0, 1e-12))
                for p, s, _ in streams:
                    c = concs[water_index(p, s, t)]
                    na = float(np.nan_to_num(c[INDEX["Na"]])) / _EQ["Na"]
                    cut.coef[(p, s)] = na - limit * _hardness_meq(c) / (4.0 * s0) - limit * s0 / 2.0
                cuts.append(cut)
                continue
            omega = prop.startswith("SI_")
            G0 = 10.0**g0 if omega else g0
            lim = 10.0**limit if omega else limit
            for k, (nn, p, s, _j) in enumerate(probe_meta):
                if nn != n:
                    continue
                if prop == "pH":
                    g = float(pprops.iloc[k]["pH"])
                else:
                    g = float(pprops.iloc[k][f"si_{prop[3:]}"])
                    if not math.isfinite(g):
                        g = -10.0  # the stream lacks the mineral's elements: dilution
                    g = 10.0**g
                dp = (g - G0) / EPS  # directional derivative towards pure stream p
                cut.coef[(p, s)] = G0 + dp - lim
            cuts.append(cut)
    return checks, cuts


def _hardness_meq(conc: np.ndarray) -> float:
    return sum(float(np.nan_to_num(conc[INDEX[n]])) / _EQ[n] for n in ("Ca", "Mg"))
