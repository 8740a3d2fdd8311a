"""Two-stage stochastic plans: the extensive form against progressive hedging at growing N
(issue 15, Deliver 9, third item).

Run from the repository root::

    .venv/bin/python benchmarks/stochastic.py                    # N = 2, 4, 8, 16
    .venv/bin/python benchmarks/stochastic.py --n 2,4 --wells 100 # quick look

The case is the synthetic basin of ``benchmarks/optimise.py`` (``make_case``: ``--wells`` wells,
about 50 per station, ``--periods`` periods, ``--trains`` candidate trains, six destinations)
with an ``[uncertainty]`` section (:data:`UNCERTAINTY`): one qi factor for every well (so the
stations' mixtures keep their shares and no scenario needs PHREEQC again), the electricity price
and the demand of the two industrial users.  The precompute, the scenarios' precomputes and the
first-stage options are made once and not timed.  For each N the scenarios are 0..N-1 of seed
``--seed`` (``task_seed``), and the timed call is
:func:`cbmwater.optimize.stochastic.solve_program` -- the whole program with its hub and PHREEQC
check-and-cut loop -- once with ``method="extensive"`` (one HiGHS MILP over every scenario) and
once with ``method="ph"`` (progressive hedging over single-scenario MILPs, then the consensus
builds fixed and every scenario's LP, on the same loaded HiGHS instances).  Printed: wall time
of each, the ratio EF / PH, PH's iterations (of its last check-and-cut pass) and whether it
converged, how many build options it fixed and slammed (``fixed/slammed``), the check-and-cut
passes of each method, both expected costs and their relative difference (PH is a heuristic for
a mixed-integer program: its plan may cost more than the extensive form's; the extensive form
is itself solved to the MIP gap).  The load average is printed before each run (a shared
machine slows the runs).  A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import optimise as bench_optimise  # noqa: E402  (benchmarks/optimise.py: the synthetic basin)

from cbmwater.executor import task_seed  # noqa: E402
from cbmwater.optimize.case import parse_case  # noqa: E402
from cbmwater.optimize.prepared import Prepared  # noqa: E402
from cbmwater.optimize.scenarios import sampled_scenario  # noqa: E402
from cbmwater.optimize.stochastic import (  # noqa: E402
    first_stage_options,
    isolated,
    solve_program,
)

UNCERTAINTY = {
    "wells": [{"per": "group", "qi_factor": {"dist": "lognormal", "median": 1.0, "sigma": 0.3}}],
    "prices": {"electricity_CNY_kWh": "default"},
    "destinations": [
        {"name": "Industry A", "capacity_factor": "default"},
        {"name": "Industry B", "capacity_factor": "default"},
    ],
}


def _with_uncertainty(data: dict, *a: object, **k: object):  # noqa: ANN202
    """``parse_case`` with :data:`UNCERTAINTY` once the real destinations are in (make_case
    parses a first time with a placeholder destination to find the peak)."""
    if any(d["name"] == "Industry A" for d in data["destinations"]):
        data = {**data, "uncertainty": UNCERTAINTY}
    return parse_case(data, *a, **k)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="2,4,8,16", help="scenario counts, comma-separated")
    ap.add_argument("--wells", type=int, default=200)
    ap.add_argument("--periods", type=int, default=8)
    ap.add_argument("--trains", type=int, default=8)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--mip-gap", type=float, default=0.005)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--json", default=None, help="also write the rows as JSON here")
    args = ap.parse_args()
    ns = [int(x) for x in args.n.split(",")]
    bench_optimise.parse_case = _with_uncertainty  # make_case parses through this name
    with tempfile.TemporaryDirectory() as tmp:
        case, meta = bench_optimise.make_case(
            args.wells, args.seed, Path(tmp), periods=args.periods, n_trains=args.trains
        )
        t0 = time.perf_counter()
        base = Prepared(case, database=None, progress=lambda m, f: None)
        preps = [sampled_scenario(base, task_seed(args.seed, i))[0] for i in range(max(ns))]
        print(
            f"case: {meta['wells']} wells, {meta['stations']} stations, {meta['periods']} "
            f"periods, {len(meta['trains'])} trains, {meta['destinations']} destinations; "
            f"precompute of the case and {max(ns)} scenarios {time.perf_counter() - t0:.1f} s"
        )
        print(f"{'N':>3} {'EF s':>8} {'PH s':>8} {'EF/PH':>6} {'PH it':>5} {'conv':>5} "
              f"{'fix/slam':>8} {'pass':>5} {'EF cost':>14} {'PH cost':>14} {'PH-EF':>8}  "
              "load")  # fmt: skip
        rows = []
        for n in ns:
            sub = preps[:n]
            opts = first_stage_options(base, sub, True)
            out = {}
            for method in ("extensive", "ph"):
                load = os.getloadavg()[0]
                t = time.perf_counter()
                res = solve_program(
                    [isolated(p) for p in sub],
                    opts,
                    method=method,
                    mip_gap=args.mip_gap,
                    time_limit_s=args.time_limit,
                )
                out[method] = (time.perf_counter() - t, res, load)
            (te, re, le), (tp, rp, lp) = out["extensive"], out["ph"]
            ce, cp = re.expected_cost_CNY, rp.expected_cost_CNY
            row = {
                "N": n,
                "extensive_s": te,
                "ph_s": tp,
                "ratio_ef_over_ph": te / tp,
                "ph_iterations": rp.ph.get("iterations"),
                "ph_converged": rp.ph.get("converged"),
                "ph_fixed": rp.ph.get("fixed"),
                "ph_slammed": rp.ph.get("slammed"),
                "ph_build_options": len(opts.y_pair),
                "passes": [len(re.iterations), len(rp.iterations)],
                "ph_history": rp.ph.get("history"),  # per iteration: disputes, fixed, seconds
                "ph_build_seconds": rp.ph.get("build_seconds"),
                "extensive_cost_CNY": ce,
                "ph_cost_CNY": cp,
                "ph_minus_ef_rel": (cp - ce) / abs(ce),
                "extensive_gap": re.gap,
                "load_before": [le, lp],
            }
            rows.append(row)
            print(
                f"{n:>3} {te:8.1f} {tp:8.1f} {te / tp:6.2f} {row['ph_iterations']:>5} "
                f"{'yes' if row['ph_converged'] else 'no':>5} "
                f"{row['ph_fixed']:>4}/{row['ph_slammed']:<3} "
                f"{len(re.iterations)}/{len(rp.iterations):<3} {ce:14,.0f} {cp:14,.0f} "
                f"{100 * row['ph_minus_ef_rel']:7.2f}%  {le:.1f}/{lp:.1f}"
            )
        if args.json:
            Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
