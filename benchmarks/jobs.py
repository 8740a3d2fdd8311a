"""Two users at once: one optimisation of the flagship case alone, then two at once, through the
job runner (``cbmwater.study.jobs``).

Run from the repository root::

    .venv/bin/python benchmarks/jobs.py                  # the flagship case, qinshui_south
    .venv/bin/python benchmarks/jobs.py --case tests/data/optimise/hand/case.toml   # quick look
    .venv/bin/python benchmarks/jobs.py --json out.json  # also write the numbers

What is timed (wall clock, ``time.perf_counter``, from ``submit`` until the runner reports the
job ended, so process start, imports and the result's trip back are included):

alone    one optimisation (``cbmwater.optimise``, default options) as the only job of a runner
         with the machine's core budget; the job declares 1 core (HiGHS threads = 1, PHREEQC
         workers = 1).
two      two optimisations of the same case submitted together to one runner: each declares
         1 core, so on 2 cores they run side by side (on more cores too; on 1 core the second
         waits for the first).

Target (issue 14, deliver 6): both succeed and ``two / alone <= 2.2``.  The script also checks
that the three plans are equal (timings aside) and prints each job's own run time and the load
average before each measurement, since other processes on the machine slow the runs down.  It is
a script, not a test: a MISS is printed, never raised.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

from cbmwater.resources import example_path
from cbmwater.study.jobs import JobRunner, JobStatus, core_budget

TARGET = 2.2


def children_cpu_s() -> float:
    """CPU time (user + system) of this process's ended children so far, s."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(case: str, n: int) -> tuple[float, float, list[JobStatus]]:
    """Submit ``n`` optimisations of ``case`` at once: wall time until all ended (s), the CPU
    time of their processes (s) and their status."""
    runner = JobRunner()
    cpu0 = children_cpu_s()
    t0 = time.perf_counter()
    ids = [
        runner.submit("optimise", "optimise", {"case": case}, label=f"bench {i + 1}", cores=1)
        for i in range(n)
    ]
    sts = [runner.wait(j) for j in ids]
    wall = time.perf_counter() - t0
    runner.close()  # joins the runner's threads (each worker was reaped before its status)
    return wall, children_cpu_s() - cpu0, sts


def plain(st: JobStatus) -> dict:
    """The plan without its wall-clock times."""
    assert st.result is not None
    out = {k: v for k, v in st.result.items() if k not in ("timings", "solve_seconds")}
    screen = out.get("injectate_screen")
    if isinstance(screen, dict):
        out["injectate_screen"] = {k: v for k, v in screen.items() if k != "seconds"}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", default=str(example_path("qinshui_south", "case.toml")))
    ap.add_argument("--json", default=None, help="also write the numbers to this file")
    args = ap.parse_args()
    case = str(Path(args.case))
    print(f"case: {case}")
    print(f"cores (budget): {core_budget()}; {platform.machine()} {platform.python_version()}")

    load1 = os.getloadavg()[0]
    alone_s, alone_cpu, (one,) = run(case, 1)
    print(
        f"alone: {alone_s:7.1f} s wall, {alone_cpu:6.1f} s CPU  ({one.state}; job ran "
        f"{one.elapsed_s:.1f} s; load average before {load1:.2f})"
    )
    load2 = os.getloadavg()[0]
    two_s, two_cpu, pair = run(case, 2)
    runs = ", ".join(f"{s.state} {s.elapsed_s:.1f} s" for s in pair)
    print(
        f"two:   {two_s:7.1f} s wall, {two_cpu:6.1f} s CPU  ({runs}; load average before "
        f"{load2:.2f})"
    )

    ok = all(s.state == "done" for s in (one, *pair))
    if not ok:
        for s in (one, *pair):
            if s.error:
                print(f"  {s.label}: {s.error}")
    same = ok and plain(one) == plain(pair[0]) == plain(pair[1])
    if ok and not same:
        keys = sorted(
            k for k in plain(one) if not plain(one)[k] == plain(pair[0])[k] == plain(pair[1])[k]
        )
        print(f"  the plans differ in: {', '.join(keys)}")
        for st in (one, *pair):
            r = plain(st)
            print(f"  {st.label}: status {r['status']}, NPV {r['objective_CNY']}, {r['kpis']}")
    ratio = two_s / alone_s
    hit = ok and ratio <= TARGET
    print(f"ratio two / alone: {ratio:.2f} (target <= {TARGET}) -> {'HIT' if hit else 'MISS'}")
    print(f"all succeeded: {ok}; the three plans equal (timings aside): {same}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "case": case,
                    "cores": core_budget(),
                    "alone_s": alone_s,
                    "two_s": two_s,
                    "alone_cpu_s": alone_cpu,
                    "two_cpu_s": two_cpu,
                    "job_s": [s.elapsed_s for s in (one, *pair)],
                    "ratio": ratio,
                    "target": TARGET,
                    "succeeded": ok,
                    "plans_equal": same,
                    "load_before": [load1, load2],
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
