"""Scenarios of a plan under uncertainty on 1 and 2 workers: the process pool and a Dask
LocalCluster (issue 15, Deliver 9, first item).

Run from the repository root::

    .venv/bin/python benchmarks/uncertainty.py                 # flagship, 8 scenarios
    .venv/bin/python benchmarks/uncertainty.py --samples 16
    .venv/bin/python benchmarks/uncertainty.py --case tests/data/optimise/hand/case.toml \\
        --uncertainty hand                                       # quick look

The flagship case (``cbmwater/case_studies/qinshui_south``) has its own ``[uncertainty]``
section (every well drawn alone); the script writes a copy with that section replaced by the
one below (:data:`FLAGSHIP`) into a temporary folder: Arps qi
and Di of the Shizhuang wells as one draw (correlated 0.5), qi of the other stations' wells,
electricity and chemical prices, and the irrigation district's demand and tariff (every
distribution the parameter's stated default; docs/uncertainty.md).  Because a changed Di moves
the shares of the Shizhuang wells, that station's water is mixed again and its trains simulated
again in every scenario: each scenario is a real precompute of one site plus the LP and PHREEQC
loop.

What is timed (wall clock, ``time.perf_counter``; for the pool also its workers' CPU time,
``RUSAGE_CHILDREN``, which shows whether the work itself grew): the deterministic plan and the precompute
are made once (not timed); then for each executor -- pool with 1 worker, pool with 2, Dask
LocalCluster with 1 and with 2 single-threaded workers -- from creating the executor to the last
scenario's result (worker start-up and imports included, as a user sees them).  The script
checks that every run's scenario rows are equal, prints the ratios 1 worker / 2 workers (target
>= 1.7 on 2 cores) and Dask / pool, and the load average before each run (other processes on a
shared machine slow the runs down).  A script, not a test: a MISS is printed, never raised.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from functools import partial
from pathlib import Path

from cbmwater.executor import available_cores, get_executor
from cbmwater.optimize.case import load_case
from cbmwater.optimize.plan import optimise
from cbmwater.optimize.prepared import Prepared
from cbmwater.optimize.scenarios import (
    ScenarioJob,
    deterministic_blends,
    fixed_builds_of,
    run_scenario,
)
from cbmwater.resources import example_path

TARGET = 1.7

FLAGSHIP = """
[[uncertainty.wells]]
per = "group"
stations = ["Shizhuang"]
qi_factor = "default"
Di_factor = "default"
rho_qi_Di = 0.5

[[uncertainty.wells]]
per = "group"
stations = ["Fanzhuang", "Panzhuang", "Chengzhuang"]
qi_factor = "default"

[uncertainty.prices]
electricity_CNY_kWh = "default"
chemicals_factor = "default"

[[uncertainty.destinations]]
name = "Irrigation district (dryland)"
capacity_factor = "default"
price_CNY_m3 = "default"
"""

HAND = """
[[uncertainty.wells]]
qi_factor = "default"

[[uncertainty.destinations]]
name = "Reuse"
price_CNY_m3 = "default"
"""


def _case_copy(case: Path, section: str, folder: Path) -> Path:
    for f in case.parent.iterdir():
        if f.is_file() and f.suffix == ".csv":
            shutil.copy(f, folder)
    out = folder / "case.toml"
    # the case's own [uncertainty] section (the last of the file), if any, gives way to ``section``
    text = case.read_text(encoding="utf-8").partition("\n[uncertainty]\n")[0]
    out.write_text(text + "\n" + section, encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", type=Path, default=example_path("qinshui_south", "case.toml"))
    ap.add_argument("--uncertainty", choices=["flagship", "hand"], default="flagship")
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="Also write the numbers here.")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = _case_copy(
            Path(args.case), FLAGSHIP if args.uncertainty == "flagship" else HAND, Path(tmp)
        )
        case = load_case(path)
        t0 = time.perf_counter()
        prep = Prepared(case, database=None, progress=lambda m, f: None)
        det = optimise(case, prepared=prep, progress=lambda m, f: None)
        t_det = time.perf_counter() - t0
        job = ScenarioJob(prep, fixed_builds_of(det), deterministic_blends(prep, det))
        print(
            f"{case.name}: deterministic plan {det['status']} in {t_det:.1f} s; "
            f"{args.samples} scenarios, seed {args.seed}; {available_cores()} cores; "
            f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
        )
        runs = [("pool", None, 1), ("pool", None, 2)]
        if not args.no_dask:
            runs += [("dask", "local-dask", 1), ("dask", "local-dask", 2)]
        times: dict[str, float] = {}
        rows_of: dict[str, list] = {}
        for kind, scheduler, workers in runs:
            load = os.getloadavg()[0]
            cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            with get_executor(workers, scheduler) as ex:
                rows = ex.map_seeded(partial(run_scenario, job), args.samples, args.seed)
            dt = time.perf_counter() - t
            cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
            key = f"{kind} x{workers}"
            times[key], rows_of[key] = dt, rows
            # CPU of the pool's workers (joined at shutdown); Dask's workers are the nanny's
            # children, not counted here
            shown = f"{cpu:6.1f}" if kind == "pool" else "     -"
            print(f"{key:8s} {dt:7.1f} s wall  {shown} s CPU   load average before {load:.1f}")
        first = next(iter(rows_of.values()))
        same = all(r == first for r in rows_of.values())
        print(f"scenario rows equal across executors: {same}")
        out: dict[str, object] = {"times_s": times, "rows_equal": same, "det_s": t_det}
        for kind in ("pool", "dask"):
            if f"{kind} x1" in times:
                r = times[f"{kind} x1"] / times[f"{kind} x2"]
                out[f"{kind}_speedup"] = r
                verdict = "HIT" if r >= TARGET else "MISS"
                print(f"{kind}: 1 worker / 2 workers = {r:.2f} (target >= {TARGET}): {verdict}")
        if "dask x2" in times:
            r = times["dask x2"] / times["pool x2"]
            out["dask_over_pool_2"] = r
            print(f"Dask / pool at 2 workers = {r:.2f} (Dask overhead)")
        if args.json:
            args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
