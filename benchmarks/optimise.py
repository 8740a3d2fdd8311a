"""How fast the decision engine (``cbmwater optimise``) builds and solves synthetic basins.

Run from the repository root::

    .venv/bin/python benchmarks/optimise.py                      # 100, 1 000 and 5 000 wells
    .venv/bin/python benchmarks/optimise.py --wells 100,1000     # some sizes only
    .venv/bin/python benchmarks/optimise.py --quick              # 100 wells (~1 min)

For each basin size the script writes a synthetic case (seeded numpy, into a temporary folder),
then times, wall clock (``time.perf_counter``):

precompute   ``prepared.Prepared(case)``: station feeds (PHREEQC mixing of the wells of every
             station, every period) and the treatment simulation of every (site, train, period)
             and every (site, size); the two parts are timed separately by wrapping
             ``precompute.station_feeds`` and ``precompute.simulate_paths``.
build        ``prep.network()`` (``model.prepare``: index arrays) + ``model.build_model`` (the
             Pyomo model).
transfer     Pyomo -> highspy: ``appsi Highs().set_instance(model)`` on a fresh solver (what
             ``solver.solve`` does before HiGHS runs), timed on its own.
solve        ``solver.solve(model)``: transfer + HiGHS + loading the solution, as the engine
             calls it.
limit        HiGHS alone: the model is written as MPS (``solver.write_model``, rows and columns
             named ``feed(site,train,tN)``...; the write is timed but not counted, and the names
             make the file about twice the size of x1.. labels) and read into a fresh
             ``highspy.Highs()`` (read timed apart); only
             ``h.run()`` with the same gap and time limit is the limit -- the solver's own time,
             which no modelling layer can beat.
end to end   ``plan.optimise(case)`` from the validated case: its own pre-computation, build,
             solve, PHREEQC checks of every destination blend (and their cuts, re-solves) and the
             results dict; ``timings`` says where its time went, and wrappers record every
             MILP solve, every ``check_blends`` and every PHREEQC blend run of the loop
             (``--verbose`` also prints the engine's progress messages with their times).

The overhead ratio is (build + transfer) / HiGHS alone.  Targets (from the issue): the flagship
case (``cbmwater/case_studies/qinshui_south``) solved to a MIP gap <= 0.5 % within 20 s; 1 000 wells x 20
trains x 6 destinations x 20 periods end to end within 60 s on 2 cores, with Pyomo build and
transfer no longer than the solver's own time (ratio <= 1).

Synthetic basin (``make_case``): N wells, about 50 per gathering station, stations spread over a
40 km square; each station draws its wells' analyses from one block of the bundled
``cbmwater/case_studies/qinshui/analyses.csv``; Arps qi 2-15 m3/d, Di 0.1-0.5 /yr, b 0-1, start periods
1-10 (staggered); 20 annual periods; 20 candidate trains (``direct`` + 19 valid trains from
``precedence.candidate_trains``, drawn from the seed alone, so every basin size gets the same
ones); sizes 250-8000 m3/d; 6 destinations (two industrial reuse users with F/TDS limits and
prices, reinjection with a fee and a calcite SI cap (``--no-si-cap`` drops it), a river under
F <= 1 and TDS <= 1000, an irrigation district with SAR <= 9, a brine disposal facility).
Destination capacities are fixed shares of the basin's peak production (product outlets 115 %,
brine 10 %), so the case is feasible but capacity binds in the peak years.
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
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cbmwater.optimize import geocheck
from cbmwater.optimize import plan as plan_mod
from cbmwater.optimize import precompute as pc
from cbmwater.optimize.case import Case, load_case, parse_case
from cbmwater.optimize.model import build_model
from cbmwater.optimize.plan import optimise
from cbmwater.optimize.prepared import Prepared
from cbmwater.optimize.solver import solve, write_model
from cbmwater.resources import example_path
from cbmwater.treatment.library import load_library
from cbmwater.treatment.precedence import candidate_trains

ROOT = Path(__file__).resolve().parent.parent
ANALYSES = example_path("qinshui", "analyses.csv")
FLAGSHIP = example_path("qinshui_south", "case.toml")
BLOCKS = ("Shizhuang", "Panzhuang", "Fanzhuang", "Chengzhuang", "Zhengzhuang")
WELLS_PER_STATION = 50
SIZES = [250, 500, 1000, 2000, 4000, 8000]
TARGET_FLAGSHIP_S = 20.0
TARGET_GAP = 0.005
TARGET_E2E_S = 60.0  # 1 000 wells end to end
TARGET_RATIO = 1.0  # (build + transfer) / HiGHS alone
# units the candidate trains are drawn from: zero-order particle steps, desalting (RO, NF, EDR),
# fluoride removal (activated alumina after pH adjustment and a filter), a brine concentrator
POOL = [
    "coagulation",
    "sedimentation",
    "daf",
    "multimedia_filter",
    "cartridge_filter",
    "ultrafiltration",
    "ph_adjustment",
    "activated_alumina",
    "sac_exchange",
    "edr",
    "brackish_ro",
    "nanofiltration",
    "mvc_concentrator",
    "disinfection",
]
# how many of the 19 treatment trains come from each class (first match wins, in this order)
TRAIN_CLASSES = (("RO", 3), ("NF", 2), ("EDR", 4), ("AA", 3), ("ZO", 7))


def _class(train: list[str]) -> str | None:
    if "coagulation" not in train:  # every candidate starts with a real pretreatment
        return None
    if "brackish_ro" in train:
        return "RO"
    if "nanofiltration" in train:
        return "NF"
    if "edr" in train:
        return "EDR"
    if "activated_alumina" in train:
        return "AA"
    return "ZO"


def pick_trains(n: int, rng: np.random.Generator) -> list[tuple[str, str]]:
    """``direct`` plus ``n - 1`` valid trains of the unit library (names, unit strings)."""
    cands = candidate_trains(load_library(), pool=POOL, max_units=7, limit=100_000)
    by: dict[str, list[list[str]]] = {}
    for t in cands:
        c = _class(t)
        if c:
            by.setdefault(c, []).append(t)
    quota = dict(TRAIN_CLASSES)
    scale = (n - 1) / sum(quota.values())
    out = [("direct", "")]
    for cls, q in TRAIN_CLASSES:
        k = max(1, round(q * scale)) if n > 1 else 0
        k = min(k, n - len(out), len(by[cls]))
        for j in rng.choice(len(by[cls]), size=k, replace=False):
            out.append(
                (
                    f"{cls}{len([o for o in out if o[0].startswith(cls)]) + 1}",
                    ",".join(by[cls][int(j)]),
                )
            )
    return out[:n]


def make_case(
    n_wells: int,
    seed: int,
    folder: Path,
    *,
    periods: int = 20,
    n_trains: int = 20,
    si_cap: bool = True,
) -> tuple[Case, dict]:
    """Write ``wells.csv`` of a synthetic basin into ``folder`` and return the parsed case."""
    rng = np.random.default_rng(seed)
    ana = pd.read_csv(ANALYSES)
    by_block = {b: ana.loc[ana["block"] == b, "sample_id"].tolist() for b in BLOCKS}
    n_st = max(1, round(n_wells / WELLS_PER_STATION))
    stations = [
        {"name": f"ST{k + 1:03d}", "x_km": round(float(x), 2), "y_km": round(float(y), 2)}
        for k, (x, y) in enumerate(rng.uniform(0.0, 40.0, (n_st, 2)))
    ]
    st_of = rng.permutation(np.arange(n_wells) % n_st)
    rows = []
    for i in range(n_wells):
        s = int(st_of[i])
        block = BLOCKS[s % len(BLOCKS)]
        rows.append(
            {
                "well": f"W{i + 1:05d}",
                "station": stations[s]["name"],
                "analysis": by_block[block][int(rng.integers(len(by_block[block])))],
                "qi_m3_d": round(float(rng.uniform(2.0, 15.0)), 2),
                "Di_per_yr": round(float(rng.uniform(0.1, 0.5)), 3),
                "b": round(float(rng.uniform(0.0, 1.0)), 3),
                "start_period": int(rng.integers(1, min(10, periods) + 1)),
            }
        )
    pd.DataFrame(rows).to_csv(folder / "wells.csv", index=False)
    # a case folder is self-contained (the loaders refuse files outside it): copy the analyses in
    shutil.copyfile(ANALYSES, folder / "analyses.csv")
    # the trains depend on the seed only: every basin size gets the same candidates
    trains = pick_trains(n_trains, np.random.default_rng(seed + 1))
    base = {
        "case": {
            "name": f"synthetic basin, {n_wells} wells",
            "analyses": "analyses.csv",
            "periods": periods,
            "period_years": 1.0,
            "start_year": 2027,
        },
        "economics": {"discount_rate": 0.08},
        "transport": {"pipeline_CNY_m3_km": 0.10, "trucking_CNY_m3_km": 0.60, "route_factor": 1.3},
        "stations": stations,
        "sources": {"wells": "wells.csv"},
        "build": {"sizes_m3_d": SIZES},
        "trains": [{"name": n, "units": u} for n, u in trains],
        "destinations": [
            {"name": "tmp", "kind": "reuse", "x_km": 0.0, "y_km": 0.0, "capacity_m3_d": 1.0}
        ],
    }
    # capacities as shares of the peak production (needs the rates: parse once without them)
    peak = float(
        parse_case(base, folder, str(folder / "case.toml")).station_production().sum(axis=0).max()
    )

    def cap(share: float) -> float:
        return float(round(share * peak))

    base["destinations"] = [
        {
            "name": "Industry A",
            "kind": "reuse",
            "x_km": 10.0,
            "y_km": 30.0,
            "capacity_m3_d": cap(0.20),
            "limits": {"F": 1.5, "TDS": 1000.0},
            "price_CNY_m3": 2.0,
        },
        {
            "name": "Industry B",
            "kind": "reuse",
            "x_km": 30.0,
            "y_km": 8.0,
            "capacity_m3_d": cap(0.15),
            "limits": {"F": 2.0, "TDS": 2000.0},
            "price_CNY_m3": 1.0,
        },
        {
            "name": "Reinjection",
            "kind": "reinjection",
            "x_km": 20.0,
            "y_km": 20.0,
            "capacity_m3_d": cap(0.25),
            "fee_CNY_m3": 2.0,
            "accepts": "any",
            "temperature_C": 35.0,
            **({"SI_max": {"Calcite": 1.0}} if si_cap else {}),
        },
        {
            "name": "River",
            "kind": "discharge",
            "x_km": 4.0,
            "y_km": 4.0,
            "capacity_m3_d": cap(0.35),
            "limits": {"F": 1.0, "TDS": 1000.0},
            "fee_CNY_m3": 0.10,
        },
        {
            "name": "Irrigation",
            "kind": "reuse",
            "x_km": 36.0,
            "y_km": 36.0,
            "capacity_m3_d": cap(0.20),
            "limits": {"TDS": 1000.0},
            "SAR_max": 9.0,
            "price_CNY_m3": 0.15,
            "temperature_C": 20.0,
        },
        {
            "name": "Brine disposal",
            "kind": "residual_disposal",
            "x_km": 45.0,
            "y_km": -5.0,
            "capacity_m3_d": cap(0.10),
            "fee_CNY_m3": 40.0,
            "transport": "trucking",
        },
    ]
    case = parse_case(base, folder, str(folder / "case.toml"))
    meta = {
        "wells": n_wells,
        "stations": n_st,
        "periods": periods,
        "trains": trains,
        "destinations": len(base["destinations"]),
        "peak_m3_d": peak,
    }
    return case, meta


# -- timing helpers --------------------------------------------------------------------------
class Wrap:
    """Times every call of a module-level function (replaced in its module, restored later)."""

    def __init__(self, module, name: str) -> None:
        self.module, self.name, self.orig = module, name, getattr(module, name)
        self.seconds, self.calls, self.times, self.labels = 0.0, 0, [], []
        w = self

        def run(*a, **k):
            t0 = time.perf_counter()
            try:
                return w.orig(*a, **k)
            finally:
                dt = time.perf_counter() - t0
                w.seconds += dt
                w.calls += 1
                w.times.append(dt)
                w.labels.append(a[0] if a and isinstance(a[0], (list, tuple, str)) else None)

        setattr(module, name, run)

    def restore(self) -> None:
        setattr(self.module, self.name, self.orig)


def highs_alone(path: Path, time_limit: float, gap: float, threads: int | None) -> dict:
    """HiGHS (highspy) on the MPS file: read, then run; sizes and result."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("time_limit", float(time_limit))
    if threads:
        h.setOptionValue("threads", int(threads))
    t0 = time.perf_counter()
    h.readModel(str(path))
    t_read = time.perf_counter() - t0
    lp = h.getLp()
    integ = [int(v) for v in lp.integrality_]
    t0 = time.perf_counter()
    h.run()
    t_run = time.perf_counter() - t0
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    return {
        "read_s": t_read,
        "run_s": t_run,
        "status": status,
        "objective": float(info.objective_function_value),
        "bound": float(info.mip_dual_bound),
        "gap": float(info.mip_gap),
        "rows": int(h.getNumRow()),
        "cols": int(h.getNumCol()),
        "nnz": int(h.getNumNz()),
        "integers": sum(1 for v in integ if v != 0),
    }


def transfer_seconds(model) -> float:
    """Pyomo -> highspy as the engine's solver does it (APPSI ``set_instance``), no run."""
    from pyomo.contrib.appsi.solvers.highs import Highs

    opt = Highs()
    opt.config.stream_solver = False
    t0 = time.perf_counter()
    opt.set_instance(model)
    return time.perf_counter() - t0


def quiet(msg: str, frac: float) -> None:
    pass


class Progress:
    """The engine's progress callback: every message with its time (printed with --verbose)."""

    def __init__(self, label: str, verbose: bool) -> None:
        self.label, self.verbose, self.t0 = label, verbose, time.perf_counter()
        self.events: list[tuple[float, str]] = []

    def __call__(self, msg: str, frac: float) -> None:
        t = time.perf_counter() - self.t0
        self.events.append((t, msg))
        if self.verbose:
            print(f"    [{self.label}] {t:8.2f} s  {msg}", file=sys.stderr, flush=True)


def run_case(label: str, case: Case, meta: dict, args, workdir: Path) -> dict:
    """All the measurements of one case."""
    r: dict[str, object] = {"label": label, **{k: v for k, v in meta.items() if k != "trains"}}
    say = lambda m: print(f"  [{label}] {m}", file=sys.stderr, flush=True)  # noqa: E731
    # precompute: station feeds, hubs, every train (simulate_train per train batch)
    wraps = {
        k: Wrap(pc, k)
        for k in ("station_feeds", "simulate_paths", "hub_feed", "simulate_train", "cost_train")
    }
    try:
        t0 = time.perf_counter()
        prep = Prepared(case, database=None, progress=quiet)
        r["precompute_s"] = time.perf_counter() - t0
    finally:
        for w in wraps.values():
            w.restore()
    r["station_feeds_s"], r["simulate_paths_s"], r["hub_feed_s"] = (
        wraps[k].seconds for k in ("station_feeds", "simulate_paths", "hub_feed")
    )
    r["simulate_train_s"], r["cost_train_s"] = (
        wraps["simulate_train"].seconds,
        wraps["cost_train"].seconds,
    )
    r["per_train_s"] = sorted(
        (
            (",".join(u) if not isinstance(u, str) else u, t)
            for u, t in zip(wraps["simulate_train"].labels, wraps["simulate_train"].times)
        ),
        key=lambda x: -x[1],
    )
    r["waters_per_train"] = (len(prep.feeds)) * (case.periods + len(case.sizes_m3_d))
    r["pairs"] = len(prep.table.pairs)
    say(
        f"precompute {r['precompute_s']:.2f} s ({r['pairs']} site-train pairs; station_feeds "
        f"{r['station_feeds_s']:.2f} s, simulate_paths {r['simulate_paths_s']:.2f} s)"
    )
    # build
    t0 = time.perf_counter()
    net = prep.network()
    t1 = time.perf_counter()
    mi = build_model(net, objective="cost")
    t2 = time.perf_counter()
    r["prepare_s"], r["build_model_s"], r["build_s"] = t1 - t0, t2 - t1, t2 - t0
    say(
        f"build {r['build_s']:.2f} s (prepare {r['prepare_s']:.2f}, build_model "
        f"{r['build_model_s']:.2f})"
    )
    # MPS and HiGHS alone
    mps = workdir / f"{label.replace(' ', '_')}.mps"
    t0 = time.perf_counter()
    write_model(mi.model, str(mps))
    r["write_mps_s"] = time.perf_counter() - t0
    r["mps_MB"] = mps.stat().st_size / 1e6
    say(f"MPS written in {r['write_mps_s']:.2f} s ({r['mps_MB']:.1f} MB)")
    hi = highs_alone(mps, args.time_limit, args.gap, args.threads)
    r.update({f"highs_{k}": v for k, v in hi.items()})
    say(
        f"HiGHS alone {hi['run_s']:.2f} s ({hi['status']}, gap {hi['gap']:.2e}; "
        f"{hi['rows']} rows, {hi['cols']} cols, {hi['integers']} binaries)"
    )
    if not args.keep:
        mps.unlink()
    # transfer, then the engine's solve
    r["transfer_s"] = transfer_seconds(mi.model)
    info = solve(
        mi.model,
        solver="highs",
        time_limit_s=args.time_limit,
        mip_gap=args.gap,
        threads=args.threads,
    )
    r.update(
        solve_s=info.seconds,
        solve_status=info.status,
        solve_objective=info.objective,
        solve_gap=info.gap,
    )
    r["ratio"] = (r["build_s"] + r["transfer_s"]) / max(hi["run_s"], 1e-9)
    say(
        f"transfer {r['transfer_s']:.2f} s; solve() {info.seconds:.2f} s ({info.status}, "
        f"gap {_f(info.gap, '.2e')})"
    )
    del mi, net, prep
    # end to end
    if not args.no_e2e:
        prog = Progress(label, args.verbose)
        wraps = {
            "feeds": Wrap(pc, "station_feeds"),
            "solve": Wrap(plan_mod, "solve"),
            "check": Wrap(plan_mod, "check_blends"),
            "build": Wrap(plan_mod, "build_model"),
            "probe": Wrap(geocheck, "blend_properties"),
        }
        try:
            t0 = time.perf_counter()
            res = optimise(
                case,
                objective="cost",
                solver="highs",
                time_limit_s=args.time_limit,
                mip_gap=args.gap,
                progress=prog,
            )
            r["e2e_s"] = time.perf_counter() - t0
        finally:
            for w in wraps.values():
                w.restore()
        tm = res["timings"]
        sol = res.get("solver") or {}
        r.update(
            e2e_status=res["status"],
            e2e_objective=res.get("objective_CNY"),
            e2e_gap=sol.get("gap"),
            e2e_iterations=len(res.get("iterations", [])),
            e2e_cuts=len(res.get("cuts", [])),
            e2e_feeds_s=wraps["feeds"].seconds,
            e2e_solves_s=wraps["solve"].times,
            e2e_builds_s=wraps["build"].times,
            e2e_checks_s=wraps["check"].times,
            e2e_probe_runs_s=wraps["probe"].times,
            e2e_cuts_by=sorted({(c["destination"], c["property"]) for c in res.get("cuts", [])}),
            e2e_progress=prog.events,
            **{f"e2e_{k}": v for k, v in tm.items()},
        )
        r["e2e_other_s"] = (
            r["e2e_s"]
            - tm["precompute_s"]
            - wraps["feeds"].seconds
            - tm["build_s"]
            - tm["solve_s"]
            - tm["geochem_s"]
        )
        r["e2e_verified"] = (res.get("verification") or {}).get("ok")
        say(
            f"end to end {r['e2e_s']:.2f} s ({res['status']}, {r['e2e_iterations']} iteration(s), "
            f"{r['e2e_cuts']} cut(s); solves "
            + ", ".join(f"{t:.1f}" for t in r["e2e_solves_s"])
            + " s; checks "
            + ", ".join(f"{t:.1f}" for t in r["e2e_checks_s"])
            + " s)"
        )
    return r


def profile_build(case: Case, top: int) -> str:
    """cProfile of prepare + build_model + transfer of ``case`` (pre-computation not profiled)."""
    prep = Prepared(case, database=None, progress=quiet)
    prof = cProfile.Profile()
    prof.enable()
    net = prep.network()
    mi = build_model(net, objective="cost")
    transfer_seconds(mi.model)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    buf2 = io.StringIO()
    pstats.Stats(prof, stream=buf2).sort_stats("cumulative").print_stats(top)
    return buf.getvalue() + buf2.getvalue()


# -- main ------------------------------------------------------------------------------------
def _f(x, fmt: str = ".2f", none: str = "-") -> str:
    return none if x is None or (isinstance(x, float) and not math.isfinite(x)) else format(x, fmt)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--wells",
        default="100,1000,5000",
        help="comma-separated basin sizes (default 100,1000,5000)",
    )
    ap.add_argument("--quick", action="store_true", help="100 wells only (and the flagship)")
    ap.add_argument("--periods", type=int, default=20, help="periods (default 20)")
    ap.add_argument("--trains", type=int, default=20, help="candidate trains incl. direct (20)")
    ap.add_argument("--seed", type=int, default=20261125, help="random seed")
    ap.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        help="time limit of each MILP solve, s (default 120)",
    )
    ap.add_argument("--gap", type=float, default=TARGET_GAP, help="relative MIP gap (0.005)")
    ap.add_argument("--threads", type=int, default=None, help="HiGHS threads (default: HiGHS)")
    ap.add_argument(
        "--no-flagship", action="store_true", help="skip cbmwater/case_studies/qinshui_south"
    )
    ap.add_argument("--no-e2e", action="store_true", help="skip the end-to-end optimise() runs")
    ap.add_argument(
        "--no-si-cap", action="store_true", help="no calcite SI cap at the reinjection well"
    )
    ap.add_argument(
        "--verbose",
        action="store_true",
        help="print the engine's progress messages with their times (stderr)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the generated cases and MPS files")
    ap.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="also cProfile build + transfer of the largest basin, TOP functions",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    sizes = [100] if args.quick else [int(s) for s in args.wells.split(",") if s.strip()]

    from importlib.metadata import version

    from cbmwater import __version__
    from cbmwater.geochem.engine import iphreeqc_version
    from cbmwater.optimize.solver import solver_version

    print(
        f"cbmwater {__version__} | Pyomo {version('pyomo')} | highspy {version('highspy')} "
        f"({solver_version('highs')}) | IPhreeqc {iphreeqc_version()} | Python "
        f"{platform.python_version()} | numpy {np.__version__}"
    )
    print(
        f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPU(s); basins "
        f"{', '.join(map(str, sizes))} wells x {args.trains} trains x 6 destinations x "
        f"{args.periods} periods; seed {args.seed}; gap {args.gap:g}, time limit "
        f"{args.time_limit:g} s per solve\n"
    )

    from cbmwater.geochem.engine import get_engine

    t0 = time.perf_counter()
    get_engine(None)  # the PHREEQC engine is loaded once, before anything is timed
    print(f"PHREEQC engine loaded in {time.perf_counter() - t0:.2f} s (not timed below)\n")
    tmp = Path(tempfile.mkdtemp(prefix="cbmwater_bench_opt_"))
    rows = []
    cases = {}
    if not args.no_flagship and FLAGSHIP.is_file():
        t0 = time.perf_counter()
        case = load_case(FLAGSHIP)
        meta = {
            "wells": len(case.wells),
            "stations": len(case.stations),
            "periods": case.periods,
            "trains": [(t.name, ",".join(t.units)) for t in case.trains],
            "destinations": len(case.destinations),
            "load_s": time.perf_counter() - t0,
        }
        rows.append(run_case("flagship", case, meta, args, tmp))
        cases["flagship"] = case
    elif not args.no_flagship:
        print(f"(flagship case {FLAGSHIP} not found: skipped)\n")
    for n in sizes:
        folder = tmp / f"basin_{n}"
        folder.mkdir()
        t0 = time.perf_counter()
        case, meta = make_case(
            n,
            args.seed,
            folder,
            periods=args.periods,
            n_trains=args.trains,
            si_cap=not args.no_si_cap,
        )
        meta["generate_s"] = time.perf_counter() - t0
        if n == sizes[0]:
            print("candidate trains of the synthetic basins:")
            for name, units in meta["trains"]:
                print(f"  {name:<10}{units or '(no units)'}")
            print()
        rows.append(run_case(f"{n} wells", case, meta, args, tmp))
        cases[n] = case

    # -- report ---------------------------------------------------------------------------------
    print(
        f"\n{'case':<11}{'wells':>6}{'sta':>5}{'pairs':>6}{'rows':>8}{'cols':>8}{'bin':>7}"
        f"{'nnz':>9}{'precomp s':>10}{'build s':>9}{'transfer s':>11}{'solve() s':>10}"
        f"{'HiGHS s':>9}{'ratio':>7}{'gap':>9}{'e2e s':>8}{'e2e gap':>9}"
    )
    print("-" * 137)
    for r in rows:
        print(
            f"{r['label']:<11}{r['wells']:>6}{r['stations']:>5}{r['pairs']:>6}"
            f"{r['highs_rows']:>8}{r['highs_cols']:>8}{r['highs_integers']:>7}{r['highs_nnz']:>9}"
            f"{r['precompute_s']:>10.2f}{r['build_s']:>9.2f}{r['transfer_s']:>11.2f}"
            f"{r['solve_s']:>10.2f}{r['highs_run_s']:>9.2f}{r['ratio']:>7.2f}"
            f"{_f(r['solve_gap'], '.2e'):>9}{_f(r.get('e2e_s')):>8}"
            f"{_f(r.get('e2e_gap'), '.2e'):>9}"
        )
    print(
        "(ratio = (build + transfer) / HiGHS alone; build = prepare + build_model; transfer = "
        "Pyomo -> highspy (APPSI set_instance); solve() = the engine's solve, transfer included; "
        "HiGHS = highspy run() on the exported MPS; gap = solve()'s relative MIP gap)"
    )

    print(
        f"\n{'case':<11}{'feeds s':>8}{'paths s':>8}{'waters/train':>13}{'prepare s':>10}"
        f"{'build_model s':>14}{'MPS write s':>12}{'MPS MB':>8}{'HiGHS read s':>13}"
        f"{'HiGHS status':>14}"
    )
    print("-" * 111)
    for r in rows:
        print(
            f"{r['label']:<11}{r['station_feeds_s']:>8.2f}{r['simulate_paths_s']:>8.2f}"
            f"{r['waters_per_train']:>13}{r['prepare_s']:>10.2f}{r['build_model_s']:>14.2f}"
            f"{r['write_mps_s']:>12.2f}{r['mps_MB']:>8.1f}{r['highs_read_s']:>13.2f}"
            f"{r['highs_status']:>14}"
        )
    print(
        "(feeds: precompute.station_feeds, PHREEQC mixing of the wells of each station; paths: "
        "precompute.simulate_paths, the treatment engine on every (site, period) and (site, "
        "size) of every train; waters/train: rows of each train's batch)"
    )
    for r in rows:
        top = r["per_train_s"][:4]
        print(
            f"  {r['label']}: simulate_train {r['simulate_train_s']:.2f} s over "
            f"{len(r['per_train_s'])} trains, cost_train {r['cost_train_s']:.2f} s; slowest: "
            + "; ".join(f"{t:.2f} s {u}" for u, t in top)
        )
    if not args.no_e2e:
        print("\nend to end, optimise(case): where the time goes (s)")
        print(
            f"{'case':<11}{'total':>8}{'feeds':>8}{'paths':>8}{'build':>8}{'solve':>8}"
            f"{'PHREEQC checks':>15}{'other':>8}{'iter':>6}{'cuts':>6}{'status':>10}"
            f"{'verified':>10}"
        )
        print("-" * 106)
        for r in rows:
            print(
                f"{r['label']:<11}{r['e2e_s']:>8.2f}{r['e2e_feeds_s']:>8.2f}"
                f"{r['e2e_precompute_s']:>8.2f}{r['e2e_build_s']:>8.2f}{r['e2e_solve_s']:>8.2f}"
                f"{r['e2e_geochem_s']:>15.2f}{r['e2e_other_s']:>8.2f}{r['e2e_iterations']:>6}"
                f"{r['e2e_cuts']:>6}{r['e2e_status']:>10}{str(r['e2e_verified']):>10}"
            )
        print(
            "(feeds: station_feeds; paths: simulate_paths; build (prepare + build_model), solve "
            "(transfer + HiGHS) and PHREEQC checks (check_blends) summed over the iterations; "
            "other: results, presolve check, verification)"
        )
        for r in rows:
            print(
                f"  {r['label']}: solves "
                + ", ".join(f"{t:.2f}" for t in r["e2e_solves_s"])
                + " s; builds "
                + ", ".join(f"{t:.2f}" for t in r["e2e_builds_s"])
                + " s; checks "
                + ", ".join(f"{t:.2f}" for t in r["e2e_checks_s"])
                + " s, of which PHREEQC blend runs "
                + ", ".join(f"{t:.2f}" for t in r["e2e_probe_runs_s"])
                + " s; cuts on "
                + (", ".join(f"{d} {p}" for d, p in r["e2e_cuts_by"]) or "nothing")
            )

    print("\ntargets:")
    for r in rows:
        if r["label"] == "flagship":
            t = r.get("e2e_s", r["solve_s"])
            ok = (
                t <= TARGET_FLAGSHIP_S
                and (r.get("e2e_gap") or r["solve_gap"] or 0) <= TARGET_GAP + 1e-12
            )
            print(
                f"  flagship to gap <= {TARGET_GAP:.1%} within {TARGET_FLAGSHIP_S:g} s: end to "
                f"end {_f(r.get('e2e_s'))} s, solve() {r['solve_s']:.2f} s, HiGHS alone "
                f"{r['highs_run_s']:.2f} s, gap {_f(r['solve_gap'], '.2e')}: "
                f"{'PASS' if ok else 'MISS'}"
            )
        if r["wells"] == 1000 and r["label"] != "flagship" and "e2e_s" in r:
            ok = r["e2e_s"] <= TARGET_E2E_S
            print(
                f"  1 000 wells end to end within {TARGET_E2E_S:g} s: {r['e2e_s']:.2f} s: "
                f"{'PASS' if ok else 'MISS'}"
            )
    for r in rows:
        ok = r["ratio"] <= TARGET_RATIO
        print(
            f"  {r['label']}: (build + transfer) / HiGHS alone = {r['build_s']:.2f} + "
            f"{r['transfer_s']:.2f} / {r['highs_run_s']:.2f} = {r['ratio']:.2f} (target <= "
            f"{TARGET_RATIO:g}): {'PASS' if ok else 'MISS'}"
        )

    if args.profile:
        big = max((k for k in cases if k != "flagship"), default=None)
        if big is not None:
            print(f"\ncProfile of prepare + build_model + transfer, {big} wells:")
            print(profile_build(cases[big], args.profile))

    if args.keep:
        print(f"\ncases and MPS files kept in {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"seed": args.seed, "gap": args.gap, "time_limit_s": args.time_limit, "rows": rows},
                indent=2,
                default=str,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
