"""How fast cbmwater simulates and costs treatment trains, against per-water baselines.

Run from the repository root::

    .venv/bin/python benchmarks/treat.py --n-waters 1000

What is measured (wall time, ``time.perf_counter``):

ours      For each of 10 trains (6 zero-order only, 4 with PHREEQC-backed units), all N waters
          as ONE ``StreamBatch``: ``simulate_train(train, batch, library=lib, economics=econ)``
          then ``cost_train(result, econ)``; both are timed in the same call (simulate, cost and
          the total are read from three clock readings).  Mass-balance checks are on (the
          default).  Every IPhreeqc run the engine makes is recorded by wrapping
          ``cbmwater.geochem.engine.Phreeqc.run`` (one clock reading and a list append per run).
dict loop Zero-order trains only: a plain-Python loop over the waters, each a dict of mg/L,
          doing the same zero-order arithmetic and costing unit by unit (doses, removal split,
          sludge water, per-mg-removed reagents, counter ion, brine routing, capital curve,
          operating cost, LCOW) -- what a spreadsheet-style script does.  Its results are
          checked against ours.  Unit constants (removal table, CNY factor of each capital curve)
          are looked up once per train, inside the timed region.
batch of 1  Every train: the engine itself called once per water (``batch.take(i)``, a batch of
          one) on the first ``--single-n`` waters; gives the single-water latency of one call.
limit     PHREEQC trains only: raw IPhreeqc (phreeqpy) running the SAME PHREEQC input texts the
          engine ran for the batch, each in a fresh ``IPhreeqc()`` with phreeqc.dat loaded
          (untimed); only ``run_string`` is timed.  No wrapper running those inputs one after
          another in one process can be faster.

Timed runs are repeated ``--repeat`` times (default 3) and the best is kept.  The PHREEQC
engine is loaded (and its load time printed) before anything is timed.
Targets: one zero-order train on one water takes microseconds to a millisecond; PHREEQC units
batch their work (PHREEQC runs per train = a few per PHREEQC-backed unit, not per water).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from characterise import best_of, generate  # noqa: E402  (same folder: the water generator)

from cbmwater.geochem import engine as engine_mod  # noqa: E402
from cbmwater.treatment.costing import cost_train  # noqa: E402
from cbmwater.treatment.economics import Economics, load_economics  # noqa: E402
from cbmwater.treatment.library import UnitLibrary, UnitSpec, load_library  # noqa: E402
from cbmwater.treatment.precedence import check_order  # noqa: E402
from cbmwater.treatment.streams import TRACKED, StreamBatch  # noqa: E402
from cbmwater.treatment.train import simulate_train  # noqa: E402
from cbmwater.water.vocabulary import CONSTITUENTS  # noqa: E402

#: (label, train) -- Z: zero-order units only; P: at least one PHREEQC-backed or thermal unit.
#: Coagulation is a PHREEQC unit since issue 11 (the PAC's Al hydrolyses), so the zero-order
#: trains start at the media filter; the ZLD train (thermal units) is P5.
TRAINS: tuple[tuple[str, str], ...] = (
    ("Z1", "multimedia_filter,cartridge_filter"),
    ("Z2", "multimedia_filter,ultrafiltration"),
    ("Z3", "multimedia_filter,sac_exchange,cartridge_filter,disinfection"),
    ("Z4", "multimedia_filter,cartridge_filter,edr,disinfection"),
    ("Z5", "multimedia_filter,ultrafiltration,clinoptilolite,edr"),
    ("Z6", "multimedia_filter,cartridge_filter,edr,evaporation_pond"),
    ("P1", "aeration,coagulation,sedimentation,multimedia_filter"),
    ("P2", "coagulation,sedimentation,lime_softening,multimedia_filter,cartridge_filter"),
    (
        "P3",
        "coagulation,sedimentation,multimedia_filter,cartridge_filter,ph_adjustment:6.5,"
        "brackish_ro",
    ),
    ("P4", "aeration,coagulation,sedimentation,greensand_filter,ultrafiltration,nanofiltration"),
    (
        "P5",
        "coagulation,sedimentation,multimedia_filter,ultrafiltration,edr,mvc_concentrator,"
        "crystallizer",
    ),
)
ZERO_ORDER_MODELS = ("zero_order", "evaporation_pond")
TARGET_ZO_US = 1000.0  # one zero-order train on one water: at most a millisecond
# added to the characterise.py waters (mg/L): coal fines, organics, manganese
EXTRA_RANGES = {"TSS": (10.0, 500.0), "COD": (5.0, 80.0), "Mn": (0.02, 0.5)}
EXTRA_LOG_UNIFORM = ("TSS", "Mn")
FLOW_RANGE = (50.0, 5000.0)  # m3/d, log-uniform


# -- data ------------------------------------------------------------------------------------
def waters(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, float]:
    """``n`` Qinshui-like waters (characterise.py's generator plus TSS, COD, Mn) and flows."""
    records, balanced = generate(n, seed)
    df = pd.DataFrame(records)
    rng = np.random.default_rng(seed + 1)
    for name, (lo, hi) in EXTRA_RANGES.items():
        x = (
            np.exp(rng.uniform(math.log(lo), math.log(hi), n))
            if name in EXTRA_LOG_UNIFORM
            else rng.uniform(lo, hi, n)
        )
        df[name] = [float(f"{v:.3g}") for v in x]
    lo, hi = FLOW_RANGE
    flow = np.round(np.exp(rng.uniform(math.log(lo), math.log(hi), n)))
    return df, flow, balanced


# -- PHREEQC run recorder --------------------------------------------------------------------
class Recorder:
    """Wraps ``Phreeqc.run`` (class attribute) to keep every input text and the time spent."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.runs: list[tuple[int, float]] = []  # (selected-output rows, seconds) per run
        self.seconds = 0.0
        self._orig = engine_mod.Phreeqc.run
        rec = self

        def run(self_, text: str):
            t0 = time.perf_counter()
            out = rec._orig(self_, text)
            dt = time.perf_counter() - t0
            rec.seconds += dt
            rec.texts.append(text)
            rec.runs.append((len(out), dt))
            return out

        engine_mod.Phreeqc.run = run

    def reset(self) -> None:
        self.texts, self.runs, self.seconds = [], [], 0.0


def run_limit(texts: list[str], db_path: str, repeat: int) -> float:
    """Best total ``run_string`` time of ``texts``, each in a fresh IPhreeqc (load untimed)."""
    from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

    best = math.inf
    for _ in range(repeat):
        total = 0.0
        for text in texts:
            ip = IPhreeqc()
            ip.load_database(db_path)
            t0 = time.perf_counter()
            ip.run_string(text)
            total += time.perf_counter() - t0
            ip.destroy_iphreeqc()
        best = min(best, total)
    return best


# -- the spreadsheet-style baseline: one water at a time, dicts ------------------------------
class UnitConsts:
    """What a spreadsheet holds per unit: removal column, doses, adds, capital in CNY."""

    def __init__(self, spec: UnitSpec, econ: Economics) -> None:
        self.spec = spec
        self.id = spec.id
        self.residual = spec.residual
        self.recovery = spec.recovery
        self.removal = {n: spec.removal_of(n) for n in TRACKED}
        self.fixed = [(d.chemical, d.dose_mg_L) for d in spec.chemicals if d.dose_mg_L > 0]
        self.per_removed = [
            (d.chemical, d.per_mg_removed) for d in spec.chemicals if d.per_mg_removed
        ]
        self.adds: dict[str, dict[str, float]] = {}
        for d in spec.chemicals:
            c = econ.chemicals[d.chemical]
            self.adds[d.chemical] = {
                nm: mol * CONSTITUENTS[nm].molar_mass / c.molar_mass_g_mol
                for nm, mol in c.adds_mol.items()
                if nm in self.removal
            }
        self.to_brine = spec.params.get("applies_to") == "brine"
        self.vapour = spec.params.get("product") == "vapour"
        self.desalting = (
            spec.residual == "brine" and spec.removal_of("Na") >= 0.5 and not self.to_brine
        )
        self.counter_ion = spec.params.get("counter_ion")
        cap = spec.capital
        self.cap = cap
        self.cap_k = (
            econ.to_CNY(cap.A, cap.currency, cap.year)
            * cap.installation_factor
            * econ.capital_factor(cap.currency)
        )
        self.chem_price = {
            d.chemical: econ.chemicals[d.chemical].price_CNY_t
            / econ.chemicals[d.chemical].purity
            / 1000.0
            for d in spec.chemicals
        }


_EXCHANGED = ("Ca", "Mg", "Sr", "Ba", "Fe", "Mn", "NH4_N", "K", "Li", "Al")
_EQ_MASS = {n: CONSTITUENTS[n].equivalent_mass for n in _EXCHANGED + ("Na", "HCO3")}
_NOT_DISSOLVED = ("DO", "TSS", "COD")


def _zo_one(k: UnitConsts, q: float, c: dict[str, float]):
    """One zero-order unit on one water: product, residual, solids, energy, chemicals."""
    rec = k.recovery
    chems: dict[str, float] = {}
    added: dict[str, float] = {}
    for chem, dose in k.fixed:
        g = dose * q
        chems[chem] = chems.get(chem, 0.0) + g / 1000.0
        for nm, gpg in k.adds[chem].items():
            added[nm] = added.get(nm, 0.0) + g * gpg
    dosed = dict(c)
    for nm, a in added.items():
        ac = a / q
        if nm in dosed:
            dosed[nm] += ac
        elif ac > 0:
            dosed[nm] = ac
    if k.residual == "sludge" and k.spec.sludge_solids_frac > 0:
        dry = sum(v * q * k.removal[nm] for nm, v in dosed.items()) / 1000.0
        water = dry / (k.spec.sludge_solids_frac * 1000.0)
        rec = min(rec, 1.0 - min(water, q) / q)
    qp = q * rec
    qr = q - qp
    prod: dict[str, float] = {}
    res: dict[str, float] = {}
    removed: dict[str, float] = {}
    for nm, v in dosed.items():
        m = v * q
        rm = m * k.removal[nm]
        removed[nm] = rm
        if k.residual == "brine":
            pm, resm = m - rm, rm
        elif k.residual == "backwash":
            pm, resm = (m - rm) * qp / q, (m - rm) * qr / q + rm
        else:
            pm, resm = (m - rm) * qp / q, (m - rm) * qr / q
        prod[nm] = pm / qp if qp > 0 else 0.0
        res[nm] = resm / qr if qr > 0 else 0.0
    added2: dict[str, float] = {}
    for chem, per in k.per_removed:
        g = sum(ratio * removed.get(nm, 0.0) for nm, ratio in per.items())
        chems[chem] = chems.get(chem, 0.0) + g / 1000.0
        for nm, gpg in k.adds[chem].items():
            added2[nm] = added2.get(nm, 0.0) + g * gpg
    if any(added2.values()):
        target, tq = (res, qr) if k.residual == "brine" and qr > 0 else (prod, qp)
        tq = tq if tq > 0 else 1.0
        for nm, a in added2.items():
            ac = a / tq
            if nm in target:
                target[nm] += ac
            elif ac > 0:
                target[nm] = ac
    if k.counter_ion:
        eq = sum(removed.get(nm, 0.0) / _EQ_MASS[nm] for nm in _EXCHANGED)
        qq = qp if qp > 0 else 1.0
        if k.counter_ion == "Na":
            prod["Na"] = prod.get("Na", 0.0) + eq * _EQ_MASS["Na"] / qq
        elif "HCO3" in prod:
            left = max(prod["HCO3"] * qq / _EQ_MASS["HCO3"] - eq, 0.0)
            prod["HCO3"] = left * _EQ_MASS["HCO3"] / qq
    solids_kg = sum(removed.values()) / 1000.0 if k.residual in ("sludge", "spent_media") else 0.0
    tds = sum(v for nm, v in c.items() if nm not in _NOT_DISSOLVED) / 1000.0
    energy = (k.spec.energy_kWh_m3 + k.spec.energy_kWh_m3_per_g_L_TDS * tds) * q
    return qp, prod, qr, res, solids_kg, energy, chems


def dict_train(
    specs: list[UnitSpec],
    feeds: list[tuple[float, dict[str, float]]],
    econ: Economics,
    costing: bool = True,
) -> list[dict[str, object]]:
    """The spreadsheet-style script: every water, unit by unit, then its cost and LCOW
    (``costing=False``: the simulation alone)."""
    consts = [UnitConsts(s, econ) for s in specs]
    days = 365.0 * econ.utilization
    crf = econ.crf()
    tariff, labour = econ.electricity_CNY_kWh, econ.labour_CNY_person_yr
    sludge_price, brine_price = econ.sludge_disposal_CNY_t_dry, econ.brine_disposal_CNY_m3
    backwash_price, salt_price = econ.backwash_CNY_m3, econ.hazardous_salt_CNY_t
    out = []
    for q0, c0 in feeds:
        mq, mc = q0, c0
        brine: list | None = None  # [flow, conc, treated, kind]
        residuals: list[list] = []
        capex = opex = vapour = 0.0
        cells: dict[tuple[str, str], float] = {}
        warnings: list[str] = []
        for k in consts:
            if k.to_brine:
                fq, fc = brine[0], brine[1]
                brine[2] = True
            else:
                fq, fc = mq, mc
            pq, pc, rq, rc, solids, energy, chems = _zo_one(k, fq, fc)
            if k.to_brine:
                if k.vapour:
                    vapour += pq
                else:  # the distillate joins the main line
                    q = mq + pq
                    mix = {
                        nm: (mc.get(nm, 0.0) * mq + pc.get(nm, 0.0) * pq) / q
                        for nm in mc.keys() | pc.keys()
                    }
                    mq, mc = q, mix
            else:
                mq, mc = pq, pc
            if k.residual != "none" and (rq > 0 or solids > 0):
                res = [rq, rc, False, k.residual]
                residuals.append(res)
                if k.to_brine or k.desalting:
                    brine = res
            if not costing:
                continue
            # costing of the unit
            cap = k.cap
            qc = max(fq, cap.Q_min_m3_d) if cap.below_min == "floor" else fq  # cost floor
            ucap = k.cap_k * (qc / cap.Q_ref_m3_d) ** cap.B if fq > 0 else 0.0
            if fq > 0 and not cap.Q_min_m3_d <= fq <= cap.Q_max_m3_d:
                warnings.append(f"{k.id}: inlet flow {fq:.4g} m3/d is outside the capital curve")
            solid = k.residual in ("sludge", "spent_media")
            hazardous = solid and k.spec.disposal_class == "hazardous_salt"
            row = {
                "capital": crf * ucap,
                "electricity": energy * days * tariff,
                "chemicals": sum(kg * k.chem_price[ch] * days for ch, kg in chems.items()),
                "replacement": k.spec.replacement_CNY_m3 * fq * days,
                "labour": k.spec.labour_persons * labour,
                "maintenance": k.spec.maintenance_frac_capex_yr * ucap,
                "sludge_disposal": (
                    solids / 1000.0 * sludge_price * days if solid and not hazardous else 0.0
                ),
                # hazardous mixed salt is charged per tonne as delivered (dry / solids fraction)
                "hazardous_salt_disposal": (
                    solids / k.spec.sludge_solids_frac / 1000.0 * salt_price * days
                    if hazardous
                    else 0.0
                ),
            }
            capex += ucap
            for cat, v in row.items():
                cells[(k.id, cat)] = v
                if cat != "capital":
                    opex += v
        for res in residuals:
            if res[3] == "brine" and not res[2]:
                v = res[0] * brine_price * days
                cells[("brine", "brine_disposal")] = cells.get(("brine", "brine_disposal"), 0) + v
                opex += v
            elif res[3] == "backwash":  # leaves the works: charged per m3
                v = res[0] * backwash_price * days
                cells[("backwash", "backwash_disposal")] = (
                    cells.get(("backwash", "backwash_disposal"), 0) + v
                )
                opex += v
        if not costing:
            out.append({"flow": mq, "conc": mc, "vapour": vapour})
            continue
        annual = crf * capex + opex
        out.append(
            {
                "flow": mq,
                "conc": mc,
                "vapour": vapour,
                "capex": capex,
                "opex": opex,
                "lcow": annual / (mq * days) if mq > 0 else math.inf,
                "cells": cells,
                "warnings": warnings,
            }
        )
    return out


def as_feeds(batch: StreamBatch) -> list[tuple[float, dict[str, float]]]:
    """The batch as (flow, {name: mg/L of measured constituents}) per water."""
    return [
        (float(q), {nm: float(v) for nm, v in zip(TRACKED, row) if not math.isnan(v)})
        for q, row in zip(batch.flow_m3_d, batch.conc_mg_L)
    ]


def compare(base: list[dict[str, object]], result, cost) -> float:
    """Largest relative difference dict loop vs ours (product flow, mg/L, capex, opex, LCOW)."""
    worst = 0.0

    def rel(a: float, b: float) -> float:
        return abs(a - b) / max(abs(a), abs(b), 1e-12)

    for i, b in enumerate(base):
        worst = max(
            worst,
            rel(b["flow"], result.product.flow_m3_d[i]),
            rel(b["capex"], cost.capex_CNY[i]),
            rel(b["opex"], cost.opex_CNY_yr[i]),
            rel(b["lcow"], cost.lcow_CNY_m3[i]),
        )
        row = result.product.conc_mg_L[i]
        for j, nm in enumerate(TRACKED):
            ours = row[j]
            theirs = b["conc"].get(nm, math.nan)
            if math.isnan(ours) != math.isnan(theirs):
                return math.inf
            if not math.isnan(ours) and max(abs(ours), abs(theirs)) > 1e-9:
                worst = max(worst, rel(ours, theirs))
    return worst


# -- helpers ---------------------------------------------------------------------------------
def phreeqc_units(train: str, lib: UnitLibrary) -> list[str]:
    return [
        t.split(":")[0]
        for t in train.split(",")
        if lib[t.split(":")[0]].model not in ZERO_ORDER_MODELS
    ]


def profile_train(train: str, batch: StreamBatch, lib, econ, top: int, calls: int = 1) -> str:
    """cProfile of ``calls`` simulate+cost of ``train``: the ``top`` functions by own time."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        cost_train(simulate_train(train, batch, library=lib, economics=econ), econ)
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# -- main ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-waters", type=int, default=1000, help="waters per batch (default 1000)")
    ap.add_argument("--seed", type=int, default=20261125, help="random seed")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of timed runs (best kept)")
    ap.add_argument(
        "--single-n",
        type=int,
        default=None,
        help="waters for the batch-of-1 engine loop (default min(N, 100))",
    )
    ap.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="also cProfile the slowest train and print its TOP functions",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    n, repeat = args.n_waters, max(1, args.repeat)
    single_n = min(n, args.single_n if args.single_n is not None else 100)

    from importlib.metadata import version

    from cbmwater import __version__
    from cbmwater.geochem.databases import resolve_database
    from cbmwater.geochem.engine import get_engine, iphreeqc_version

    print(
        f"cbmwater {__version__} | IPhreeqc {iphreeqc_version()} (phreeqpy "
        f"{version('phreeqpy')}) | Python {platform.python_version()} | "
        f"numpy {np.__version__} | pandas {pd.__version__}"
    )
    print(
        f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPU(s); "
        f"N = {n} waters, {len(TRAINS)} trains, seed = {args.seed}, repeat = {repeat}, "
        f"batch-of-1 subset = {single_n}\n"
    )

    lib, econ = load_library(), load_economics()
    for _, train in TRAINS:
        check_order([t.split(":")[0] for t in train.split(",")], lib)
    db_path = str(resolve_database("phreeqc"))
    t0 = time.perf_counter()
    get_engine(None)  # what the treatment units use (phreeqc.dat)
    t_engine = time.perf_counter() - t0

    t0 = time.perf_counter()
    df, flow, balanced = waters(n, args.seed)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch = StreamBatch.from_frame(df, flow)
    t_batch = time.perf_counter() - t0
    feeds = as_feeds(batch)
    print(
        f"generated {n} waters in {t_gen:.2f} s ({balanced:.0%} charge-balanced by Na), "
        f"flow {flow.min():.0f}-{flow.max():.0f} m3/d; StreamBatch.from_frame "
        f"{1000 * t_batch:.1f} ms; PHREEQC engine load {1000 * t_engine:.0f} ms "
        f"(none of these are timed below)"
    )

    rec = Recorder()
    rows = []
    for label, train in TRAINS:
        p_units = phreeqc_units(train, lib)
        r: dict[str, object] = {"label": label, "train": train, "phreeqc_units": p_units}
        # ours: the batch, simulate and cost in one call, read separately
        best = (math.inf, math.inf, math.inf)
        result = cost = None
        for _ in range(repeat):
            rec.reset()
            t0 = time.perf_counter()
            result = simulate_train(train, batch, library=lib, economics=econ)
            t1 = time.perf_counter()
            cost = cost_train(result, econ)
            t2 = time.perf_counter()
            if t2 - t0 < best[2]:
                best = (t1 - t0, t2 - t1, t2 - t0)
                engine_s, engine_runs = rec.seconds, list(rec.runs)
            texts = list(rec.texts)
        assert np.isfinite(cost.lcow_CNY_m3).all(), f"{label}: non-finite LCOW"
        r.update(
            sim_s=best[0],
            cost_s=best[1],
            total_s=best[2],
            runs=len(texts),
            engine_s=engine_s,
            engine_runs=engine_runs,
            lcow_median=float(np.median(cost.lcow_CNY_m3)),
            recovery_median=float(np.median(result.recovery)),
        )
        detail_texts = [
            s.details["phreeqc_input"] for s in result.steps if "phreeqc_input" in s.details
        ]
        r["details_texts"] = len(detail_texts)
        # the engine may split a batch into chunks run in parallel; the details hold the
        # equivalent single-run inputs, which are what the limit runs

        # batch of 1: the engine called per water
        lat = []
        rec.reset()
        for i in range(single_n):
            one = batch.take(i)
            t0 = time.perf_counter()
            cost_train(simulate_train(train, one, library=lib, economics=econ), econ)
            lat.append(time.perf_counter() - t0)
        r.update(
            single_total_s=sum(lat),
            single_median_s=statistics.median(lat),
            single_min_s=min(lat),
            single_runs_per_water=len(rec.texts) / single_n,
        )

        if p_units:  # limit: raw IPhreeqc on the same texts
            r["limit_s"] = run_limit(detail_texts, db_path, repeat)
        else:  # the dict loop
            specs = [lib[t] for t in train.split(",")]
            t_dict, _, base = best_of(repeat, lambda _, specs=specs: dict_train(specs, feeds, econ))
            r["dict_s"] = t_dict
            r["dict_sim_s"], _, _ = best_of(
                repeat, lambda _, specs=specs: dict_train(specs, feeds, econ, costing=False)
            )
            r["dict_max_rel_diff"] = compare(base, result, cost)
        rows.append(r)
        print(f"  {label} done: {r['total_s']:.3f} s", file=sys.stderr)

    # -- report -----------------------------------------------------------------------------
    print(
        f"\n{'train':<6}{'PHREEQC units (runs)':<24}{'waters':>7}{'simulate s':>11}"
        f"{'cost s':>8}{'total s':>9}{'trains/s':>10}{'us/water-train':>16}"
    )
    print("-" * 91)
    for r in rows:
        pu = f"{len(r['phreeqc_units'])} ({r['runs']} runs)" if r["phreeqc_units"] else "no"
        print(
            f"{r['label']:<6}{pu:<24}{n:>7}{r['sim_s']:>11.4f}{r['cost_s']:>8.4f}"
            f"{r['total_s']:>9.4f}{n / r['total_s']:>10.0f}{1e6 * r['total_s'] / n:>16.1f}"
        )
    tot = sum(r["total_s"] for r in rows)
    zo = [r for r in rows if not r["phreeqc_units"]]
    ph = [r for r in rows if r["phreeqc_units"]]
    tot_zo, tot_ph = sum(r["total_s"] for r in zo), sum(r["total_s"] for r in ph)
    print(
        f"all {len(rows)} trains: {len(rows) * n} water-trains in {tot:.2f} s = "
        f"{len(rows) * n / tot:.0f} trains/s; zero-order {len(zo) * n / tot_zo:.0f} trains/s "
        f"({1e6 * tot_zo / (len(zo) * n):.1f} us each), PHREEQC {len(ph) * n / tot_ph:.0f} "
        f"trains/s ({1e3 * tot_ph / (len(ph) * n):.2f} ms each)"
    )
    print("\ntrains:")
    for r in rows:
        print(
            f"  {r['label']}  {r['train']}   (median LCOW {r['lcow_median']:.2f} CNY/m3, "
            f"recovery {r['recovery_median']:.3f})"
        )

    print(f"\nzero-order trains: ours (batch of {n}) vs the dict loop and vs the engine per water")
    print(
        f"{'train':<6}{'ours s':>8}{'dict s':>8}{'ours/dict':>10}{'simulate only':>14}"
        f"{'max rel diff':>14}{'1-water call us (median/min)':>30}{'ours/batch-of-1':>17}"
        f"{'target':>8}"
    )
    print("-" * 115)
    for r in zo:
        us = 1e6 * r["single_median_s"]
        ok = us <= TARGET_ZO_US and 1e6 * r["total_s"] / n <= TARGET_ZO_US
        print(
            f"{r['label']:<6}{r['total_s']:>8.4f}{r['dict_s']:>8.4f}"
            f"{r['dict_s'] / r['total_s']:>10.2f}{r['dict_sim_s'] / r['sim_s']:>14.2f}"
            f"{r['dict_max_rel_diff']:>14.1e}"
            f"{us:>20.0f} / {1e6 * r['single_min_s']:<7.0f}"
            f"{r['single_total_s'] / single_n * n / r['total_s']:>17.1f}"
            f"{'PASS' if ok else 'MISS':>8}"
        )
    print(
        f"(target: <= {TARGET_ZO_US:.0f} us per water-train in the batch and for one call on "
        "one water; ratios are rates, > 1 = ours faster; 'simulate only' = dict loop without "
        "its costing / simulate_train alone; max rel diff = dict loop vs ours, product flow and "
        "mg/L, capex, opex, LCOW of every water)"
    )

    print(
        f"\nPHREEQC trains: ours (batch of {n}) vs raw IPhreeqc on the same inputs (limit) and "
        "vs the engine per water"
    )
    print(
        f"{'train':<6}{'units':<38}{'runs':>5}{'in run() s':>11}{'ours s':>8}{'limit s':>9}"
        f"{'ours/limit':>11}{'runs/water, batch of 1':>23}{'1-water ms':>11}"
        f"{'ours/batch-of-1':>16}"
    )
    print("-" * 138)
    for r in ph:
        print(
            f"{r['label']:<6}{','.join(r['phreeqc_units']):<38}{r['runs']:>5}"
            f"{r['engine_s']:>11.3f}{r['total_s']:>8.3f}{r['limit_s']:>9.3f}"
            f"{r['limit_s'] / r['total_s']:>11.2f}{r['single_runs_per_water']:>23.1f}"
            f"{1e3 * r['single_median_s']:>11.2f}"
            f"{r['single_total_s'] / single_n * n / r['total_s']:>16.1f}"
        )
    for r in ph:
        units = [u for u in r["train"].split(",") if u.split(":")[0] in r["phreeqc_units"]]
        print(
            f"  {r['label']} runs in order ({', '.join(units)}): "
            + "; ".join(f"{rows} rows {sec:.3f} s" for rows, sec in r["engine_runs"])
        )
    print(
        "(runs: IPhreeqc runs for the whole batch, counting each parallel chunk; in run(): "
        "time inside Phreeqc.run summed over chunks, i.e. RunString + reading and parsing the "
        "selected output; the limit runs the equivalent single-run inputs kept in "
        f"Step.details['phreeqc_input'] ({sum(r['details_texts'] for r in ph)} texts) on one "
        "instance)"
    )

    slow = max(rows, key=lambda r: r["total_s"])
    if args.profile:
        print(
            f"\ncProfile of the slowest train, {slow['label']} ({slow['train']}), "
            f"N = {n}, one simulate + cost:"
        )
        print(profile_train(slow["train"], batch, lib, econ, args.profile))
        slow_zo = max(zo, key=lambda r: r["single_median_s"])
        print(
            f"cProfile of one zero-order call on one water, {slow_zo['label']} "
            f"({slow_zo['train']}), 200 calls:"
        )
        print(profile_train(slow_zo["train"], batch.take(0), lib, econ, args.profile, calls=200))

    if args.json:
        keep = (
            "label",
            "train",
            "phreeqc_units",
            "sim_s",
            "cost_s",
            "total_s",
            "runs",
            "engine_s",
            "engine_runs",
            "single_median_s",
            "single_total_s",
            "single_runs_per_water",
            "limit_s",
            "dict_s",
            "dict_max_rel_diff",
            "lcow_median",
        )
        args.json.write_text(
            json.dumps(
                {
                    "n": n,
                    "seed": args.seed,
                    "repeat": repeat,
                    "single_n": single_n,
                    "trains": [{k: r[k] for k in keep if k in r} for r in rows],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
