"""Treatment trains: units in order, every stream carried through, residuals and mass balance.

A train is a list of unit ids.  Units act on the main line in order, except units whose
``params.applies_to`` is ``"brine"`` (brine concentrator, crystalliser, evaporation pond): they
act on the brine of the nearest desalting unit before them (a unit whose residual is a brine
taking at least half the sodium), their distillate joins the product, and their residual replaces
that brine: their step's ``feed`` is that brine, its ``product`` the distillate (or the evaporated
water of a pond), and ``details["acts_on"]`` names the residual treated.  Water and every
conservative constituent must close to 0.1 % at every unit and over the train; a failure raises
:class:`MassBalanceError` — it means the model, not the input, is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import CbmwaterError, InputError
from ..i18n import Message, Text, named
from .economics import Economics, load_economics
from .library import UnitLibrary, UnitSpec, load_library
from .models import Step, run_unit
from .precedence import check_order
from .streams import CONSERVATIVE, INDEX, StreamBatch

__all__ = [
    "MassBalanceError",
    "Residual",
    "TrainResult",
    "simulate_train",
    "parse_train",
    "BALANCE_TOLERANCE",
    "scale_result",
]

#: Largest relative imbalance allowed (water and each conservative constituent).
BALANCE_TOLERANCE = 1e-3


class MassBalanceError(CbmwaterError):
    """A unit or train does not conserve water or a conservative constituent (a model bug)."""


@dataclass
class Residual:
    """A residual stream of a train (for a batch of waters).

    Attributes
    ----------
    name, unit, kind : str
        ``"<unit> <kind>"``, the unit id, and brine | backwash | sludge | spent_media | gas.
    stream : StreamBatch
        The liquid part (flow may be 0): brine, sludge water, the mother liquor of a salt.
    solids_kg_d : ndarray, shape (n,)
        Dry solids, kg/d.  For a PHREEQC unit it is the mass of the precipitated phases (their
        counter-ions, e.g. OH and CO3 of Fe(OH)3 and calcite, included) plus what the zero-order
        split removes, so it can exceed the sum of ``solids_by_constituent_kg_d``.
    wet_sludge_m3_d : ndarray, shape (n,)
        dry / (solids fraction x 1000 kg/m3); 0 for liquids.
    treated_by : str or None
        The unit that takes this residual (a brine-treating unit), None when it leaves the works.
    solids_by_constituent_kg_d : ndarray, shape (n, K), optional
        Mass of each tracked constituent (streams.TRACKED order) in the solids, kg/d: the
        unit's ``Step.solids_g_d`` for sludge and spent media (zeros for liquid and gas
        residuals).  Canonical constituents only: the precipitated phases' other mass is in
        ``solids_kg_d`` and their amounts in the stage's ``precipitated_mmol_L``.
    floc_kg_d : ndarray, shape (n, K), optional
        Of the suspended solids this residual took, the canonical constituents that were
        precipitated upstream by a unit that does not separate (aeration's Fe(OH)3, the PAC's
        gibbsite), kg/d: part of its TSS (already in ``solids_kg_d`` and the TSS of
        ``solids_by_constituent_kg_d``), listed so that an Fe or Al balance closes outside the
        engine.
    """

    name: str
    unit: str
    kind: str  # brine | backwash | sludge | spent_media | gas
    stream: StreamBatch  # liquid part (flow may be 0)
    solids_kg_d: np.ndarray  # dry solids
    wet_sludge_m3_d: np.ndarray  # dry / (solids fraction x 1000 kg/m3); 0 for liquids
    treated_by: str | None = None
    solids_by_constituent_kg_d: np.ndarray | None = None
    floc_kg_d: np.ndarray | None = None


@dataclass
class TrainResult:
    """Everything a train did to a batch of waters (arrays: one entry per water)."""

    units: list[str]
    steps: list[Step]
    feed: StreamBatch
    product: StreamBatch
    residuals: list[Residual]
    vapour_m3_d: np.ndarray
    warnings: list[list[str]] = field(default_factory=list)
    #: (n, K) kg/d of precipitated constituents still suspended in the product (see
    #: :attr:`Residual.floc_kg_d`); None when nothing precipitated upstream of a separation.
    product_floc_kg_d: np.ndarray | None = None

    @property
    def recovery(self) -> np.ndarray:
        """Product flow / feed flow."""
        return self.product.flow_m3_d / self.feed.flow_m3_d

    @property
    def energy_kWh_d(self) -> np.ndarray:
        return np.sum([s.energy_kWh_d for s in self.steps], axis=0)

    @property
    def chemicals_kg_d(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for s in self.steps:
            for k, v in s.chemicals_kg_d.items():
                out[k] = out.get(k, 0) + np.asarray(v, dtype=float)
        return out


def parse_train(text: str | list[str]) -> list[str]:
    """Unit tokens from ``"a,b,c"`` (or a list), stripped; empty names refused.

    A token may carry a target pH for a unit that has one: ``ph_adjustment:6.5``.
    """
    items = text if isinstance(text, list) else str(text).split(",")
    units = [u.strip() for u in items]
    if any(not u for u in units):
        raise InputError(Text.of("treatment.train.empty_name", train=repr(text)))
    return units


def _resolve(token: str, lib: UnitLibrary) -> UnitSpec:
    """The unit of a train token, with ``:pH`` applied as its target pH."""
    from dataclasses import replace

    uid, _, value = token.partition(":")
    spec = lib[uid.strip()]
    if not value:
        return spec
    if "target_pH" not in spec.params:
        raise InputError(
            Text.of(
                "treatment.train.no_target_pH",
                unit=Message(f"unitid.{spec.id}") if spec.id == uid else uid,
                token=repr(token),
            )
        )
    try:
        ph = float(value)
    except ValueError:
        raise InputError(Text.of("treatment.train.pH_not_number", token=repr(token))) from None
    if not 2.0 <= ph <= 13.0:
        raise InputError(Text.of("treatment.train.pH_range", token=repr(token)))
    return replace(spec, params={**spec.params, "target_pH": ph})


def _is_desalting(spec: UnitSpec) -> bool:
    return (
        spec.residual == "brine"
        and spec.removal_of("Na") >= 0.5
        and spec.params.get("applies_to") != "brine"
    )


def _mix(a: StreamBatch, b: StreamBatch) -> StreamBatch:
    q = a.flow_m3_d + b.flow_m3_d
    ma, mb = a.mass_g_d(), b.mass_g_d()
    both_nan = np.isnan(ma) & np.isnan(mb)
    m = np.nan_to_num(ma) + np.nan_to_num(mb)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(q[:, None] > 0, m / np.where(q > 0, q, 1)[:, None], 0.0)
        temp = np.where(
            q > 0,
            (a.temp_C * a.flow_m3_d + b.temp_C * b.flow_m3_d) / np.where(q > 0, q, 1),
            a.temp_C,
        )
    c[both_nan] = np.nan
    # pH does not mix linearly; the main line's pH is kept and a warning says so
    return StreamBatch(q, c, temp, a.pH.copy())


def _z(x: np.ndarray) -> np.ndarray:
    """NaN (not measured) as 0, for sums (cheaper than numpy.nan_to_num on small arrays)."""
    return np.where(np.isnan(x), 0.0, x)


_COLS = np.array([INDEX[c] for c in CONSERVATIVE])


def _check_step(step: Step) -> None:
    spec = step.unit
    qin, qout = step.feed.flow_m3_d, step.product.flow_m3_d + step.residual.flow_m3_d
    bad = np.abs(qin - qout) > BALANCE_TOLERANCE * np.maximum(qin, 1e-12)
    if bad.any():
        i = int(np.argmax(bad))
        raise MassBalanceError(
            Text.of(
                "treatment.error.balance.water",
                unit=named("unitid", spec.id),
                i=i,
                q_in=float(qin[i]),
                q_out=float(qout[i]),
            )
        )
    cols = _COLS
    total_in = _z(step.feed.mass_g_d()[:, cols]) + step.added_g_d[:, cols]
    out = (
        _z(step.product.mass_g_d()[:, cols])
        + _z(step.residual.mass_g_d()[:, cols])
        + step.solids_g_d[:, cols]
        + step.gas_g_d[:, cols]
    )
    scale = np.maximum(total_in, 1e-9 * np.maximum(step.feed.flow_m3_d, 1e-12)[:, None])
    err = np.abs(total_in - out) / scale
    err[total_in < 1e-12] = 0.0
    if (err > BALANCE_TOLERANCE).any():
        i, j = map(int, np.unravel_index(int(np.argmax(err)), err.shape))
        raise MassBalanceError(
            Text.of(
                "treatment.error.balance.constituent",
                unit=named("unitid", spec.id),
                name=CONSERVATIVE[j],
                i=i,
                m_in=float(total_in[i, j]),
                m_out=float(out[i, j]),
                pct=float(100 * err[i, j]),
            )
        )
    if (step.product.conc_mg_L < -1e-9).any() or (step.residual.conc_mg_L < -1e-9).any():
        raise MassBalanceError(
            Text.of("treatment.error.balance.negative", unit=named("unitid", spec.id))
        )


def simulate_train(
    units: list[str] | str,
    feed: StreamBatch,
    *,
    library: UnitLibrary | None = None,
    economics: Economics | None = None,
    database: str | None = None,
    check: bool = True,
    redox: str | None = None,
) -> TrainResult:
    """Run the train ``units`` on every water of ``feed``.

    Parameters
    ----------
    units : list of str or "a,b,c"
        Unit ids in order; checked against the precedence rules.
    feed : StreamBatch
        Feed waters (flow m3/d, mg/L, deg C, pH).
    library, economics : optional
        Defaults: the shipped ``cbmwater/databases/treatment`` files.
    database : str, optional
        PHREEQC database for the PHREEQC-backed units (default phreeqc.dat).
    redox : str, optional
        Redox basis of the waters for those units: ``"fe2"`` (default) or ``"pe:VALUE"``
        (:func:`cbmwater.treatment.chemistry.treatment_redox`).

    Returns
    -------
    TrainResult
    """
    lib = library or load_library()
    econ = economics or load_economics()
    tokens = parse_train(units)
    specs = [_resolve(t, lib) for t in tokens]
    ids = [sp.id for sp in specs]
    check_order(ids, lib)
    n = len(feed)
    if n == 0:
        raise InputError(Text.of("treatment.error.no_feed"))
    if (feed.flow_m3_d <= 0).any() or not np.isfinite(feed.flow_m3_d).all():
        raise InputError(Text.of("treatment.error.feed_flow"))
    main = feed.copy()
    brine: Residual | None = None
    residuals: list[Residual] = []
    steps: list[Step] = []
    vapour = np.zeros(n)
    warnings: list[list[str]] = [[] for _ in range(n)]
    # precipitated constituents travelling as TSS in the main line (g/d), followed to the
    # residuals that capture that TSS in proportion to the TSS each captures
    floc = np.zeros((n, len(INDEX)))
    j_tss = INDEX["TSS"]
    for uid, spec in zip(ids, specs):
        if spec.params.get("applies_to") == "brine":
            if brine is None:
                raise InputError(
                    Text.of("treatment.error.brine_without_desalting", unit=named("unitid", uid))
                )
            step = run_unit(spec, brine.stream, econ, database, redox)
            brine.treated_by = uid
            step.details["acts_on"] = brine.name
            if step.product_is_vapour:
                vapour += step.product.flow_m3_d
            else:
                main = _mix(main, step.product)
        else:
            step = run_unit(spec, main, econ, database, redox)
            main = step.product
        captured = None
        if spec.params.get("applies_to") != "brine":
            tss_in = _z(step.feed.mass_g_d()[:, j_tss]) + step.added_g_d[:, j_tss]
            tss_out = _z(step.product.mass_g_d()[:, j_tss])
            with np.errstate(invalid="ignore", divide="ignore"):
                f = np.where(
                    tss_in > 0,
                    np.clip(1.0 - tss_out / np.where(tss_in > 0, tss_in, 1), 0.0, 1.0),
                    0.0,
                )
            captured = floc * f[:, None]
            floc = floc - captured
            if spec.residual not in ("sludge", "spent_media"):
                # a unit that precipitates without separating: its solids go on as TSS
                floc = floc + step.solids_g_d
        if check:
            _check_step(step)
        steps.append(step)
        for i, w in enumerate(step.warnings):
            warnings[i].extend(w)
        kind = spec.residual
        if kind != "none" and (
            step.residual.flow_m3_d.any() or step.solids_kg_d.any() or step.gas_g_d.any()
        ):
            solids_frac = spec.sludge_solids_frac
            wet = (
                (step.solids_kg_d / (solids_frac * 1000.0))
                if (kind == "sludge" and solids_frac > 0)
                else np.zeros(n)
            )
            composition = (
                step.solids_g_d / 1000.0
                if kind in ("sludge", "spent_media")
                else np.zeros_like(step.solids_g_d)
            )
            res = Residual(
                f"{uid} {kind}",
                uid,
                kind,
                step.residual,
                step.solids_kg_d,
                wet,
                solids_by_constituent_kg_d=composition,
                floc_kg_d=None if captured is None or not captured.any() else captured / 1000.0,
            )
            residuals.append(res)
            if spec.params.get("applies_to") == "brine" or _is_desalting(spec):
                brine = res
    result = TrainResult(
        tokens,
        steps,
        feed,
        main,
        residuals,
        vapour,
        warnings,
        product_floc_kg_d=floc / 1000.0 if floc.any() else None,
    )
    if check:
        _check_train(result)
    return result


def scale_result(
    result: TrainResult, rows: np.ndarray | list[int], feed_flow_m3_d: np.ndarray | list[float]
) -> TrainResult:
    """The train result of waters ``rows`` of ``result`` at other feed flows, without re-running.

    Every unit of the library is linear in flow at fixed composition (zero-order splits are
    fractions; PHREEQC-backed units work per litre), so flows, masses per day, chemicals, energy
    and solids scale with the feed while concentrations, pH and recoveries stay.  Used to cost
    discrete plant sizes from one simulated water (:mod:`cbmwater.optimize.precompute`).

    Parameters
    ----------
    result : TrainResult
    rows : sequence of int
        Waters of ``result`` to take (repeats allowed).
    feed_flow_m3_d : sequence of float
        New feed flow of each taken water, m3/d (> 0).
    """
    idx = np.asarray(rows, dtype=int)
    q = np.asarray(feed_flow_m3_d, dtype=float)
    if idx.shape != q.shape or (q <= 0).any():
        raise InputError(Text.of("treatment.error.scale_rows"))
    f = q / result.feed.flow_m3_d[idx]
    n0 = len(result.feed)

    def sb(b: StreamBatch) -> StreamBatch:
        return StreamBatch(
            b.flow_m3_d[idx] * f, b.conc_mg_L[idx].copy(), b.temp_C[idx].copy(), b.pH[idx].copy()
        )

    def per_water(v: float | np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(v, dtype=float), (n0,))[idx] * f

    def per_water_k(v: np.ndarray) -> np.ndarray:
        return np.asarray(v, dtype=float)[idx] * f[:, None]

    from dataclasses import replace

    steps = [
        replace(
            s,
            feed=sb(s.feed),
            product=sb(s.product),
            residual=sb(s.residual),
            solids_kg_d=per_water(s.solids_kg_d),
            solids_g_d=per_water_k(s.solids_g_d),
            gas_g_d=per_water_k(s.gas_g_d),
            added_g_d=per_water_k(s.added_g_d),
            chemicals_kg_d={k: per_water(v) for k, v in s.chemicals_kg_d.items()},
            energy_kWh_d=per_water(s.energy_kWh_d),
            recovery=np.broadcast_to(np.asarray(s.recovery, float), (n0,))[idx].copy(),
            warnings=[list(s.warnings[i]) for i in idx] if s.warnings else [],
        )
        for s in result.steps
    ]
    residuals = [
        replace(
            r,
            stream=sb(r.stream),
            solids_kg_d=per_water(r.solids_kg_d),
            wet_sludge_m3_d=per_water(r.wet_sludge_m3_d),
            solids_by_constituent_kg_d=None
            if r.solids_by_constituent_kg_d is None
            else per_water_k(r.solids_by_constituent_kg_d),
            floc_kg_d=None if r.floc_kg_d is None else per_water_k(r.floc_kg_d),
        )
        for r in result.residuals
    ]
    return TrainResult(
        list(result.units),
        steps,
        sb(result.feed),
        sb(result.product),
        residuals,
        per_water(result.vapour_m3_d),
        [list(result.warnings[i]) for i in idx],
        product_floc_kg_d=None
        if result.product_floc_kg_d is None
        else per_water_k(result.product_floc_kg_d),
    )


def _check_train(r: TrainResult) -> None:
    q_out = (
        r.product.flow_m3_d
        + r.vapour_m3_d
        + sum(res.stream.flow_m3_d for res in r.residuals if res.treated_by is None)
    )
    q_in = r.feed.flow_m3_d
    bad = np.abs(q_in - q_out) > BALANCE_TOLERANCE * q_in
    if bad.any():
        i = int(np.argmax(bad))
        raise MassBalanceError(
            Text.of(
                "treatment.error.balance.train",
                train=",".join(r.units),
                i=i,
                q_in=float(q_in[i]),
                q_out=float(q_out[i]),
            )
        )


def stage_table(result: TrainResult, i: int = 0) -> pd.DataFrame:
    """Per stage of water ``i``: unit, inlet and outlet flow (m3/d) and mg/L of every tracked
    constituent (inlet and outlet)."""
    from .streams import TRACKED

    rows = []
    for s in result.steps:
        row = {
            "unit": s.unit.id,
            "inlet_flow_m3_d": s.feed.flow_m3_d[i],
            "outlet_flow_m3_d": s.product.flow_m3_d[i],
            "pH_out": s.product.pH[i],
        }
        for j, nme in enumerate(TRACKED):
            row[f"in_{nme}"] = s.feed.conc_mg_L[i, j]
            row[f"out_{nme}"] = s.product.conc_mg_L[i, j]
        rows.append(row)
    return pd.DataFrame(rows)
