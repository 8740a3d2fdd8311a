"""Basin-scale characterisation: a whole process from lab file in to records out, against the
raw PHREEQC engine in the same run.

Run from the repository root::

    .venv/bin/python benchmarks/basin.py                 # 30 000 and 1 000 000 analyses
    .venv/bin/python benchmarks/basin.py --big 200000    # a shorter large run

What is measured (wall time of whole processes, ``time.perf_counter``):

limit    raw IPhreeqc (phreeqpy) ``run_string`` on the SAME PHREEQC input text cbmwater builds
         for the small set (database loading not timed): the pure PHREEQC computation, in one
         process on one core.
ours     ``cbmwater characterise LAB.csv --out OUT.parquet --workers K`` as a subprocess (start,
         imports, reading and checking the CSV, QA, PHREEQC in K worker processes, writing
         Parquet), for K = 1 and 2 on the small set, and K = all cores on the large one.
rate     analyses per second of each; the 10k rate is ours on the first 10 000 rows.
memory   peak resident memory of the CLI process and all its children together, sampled from
         /proc every 50 ms.
cpu      CPU seconds (user + system) of the CLI process and all its children (``getrusage``), and
         the 1-minute load average when each run ended: on a shared machine the wall times
         stretch with the load while the CPU seconds say how much work the run itself did.

Targets (issue 15): ours with 2 workers on 30 000 analyses >= 1.6 x the limit's rate (both cores
really used; one process cannot beat the limit by more than about 1.3 x); 1 000 000 analyses at
close to the 10k rate with peak memory under 1.5 GB.
Data: Qinshui-like analyses generated as in benchmarks/characterise.py (constructed).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from characterise import generate, run_limit  # noqa: E402

from cbmwater.geochem.databases import resolve_database  # noqa: E402
from cbmwater.geochem.engine import available_cores  # noqa: E402
from cbmwater.geochem.speciation import speciation_input  # noqa: E402
from cbmwater.water.analysis import AnalysisSet  # noqa: E402

CLI = [sys.executable, "-m", "cbmwater"]


def _tree_rss_kb(root: int) -> int:
    """Resident memory (kB) of ``root`` and every descendant, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_cli(args: list[str]) -> tuple[float, float, float, float]:
    """Wall seconds, peak MB (process tree), CPU seconds (process tree) and the load average at
    the end of one CLI run."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(CLI + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"cbmwater failed: {err.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, peak / 1024, cpu, os.getloadavg()[0]


def write_csv(records: list[dict[str, object]], path: Path, n: int) -> Path:
    """The first ``n`` analyses; beyond the generated set, repeated with new sample ids."""
    frame = pd.DataFrame(records)
    reps = -(-n // len(frame))
    if reps > 1:
        frame = pd.concat([frame] * reps, ignore_index=True)
    frame = frame.iloc[:n].copy()
    frame["sample_id"] = [f"QS-{i:07d}" for i in range(n)]
    frame.to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--small", type=int, default=30_000)
    ap.add_argument("--big", type=int, default=1_000_000, help="0 skips the large run")
    ap.add_argument("--seed", type=int, default=20261206)
    args = ap.parse_args(argv)
    cores = available_cores()
    print(
        f"machine: {platform.machine()} {cores} cores, Python {platform.python_version()}, "
        f"load average before {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'measurement':<42}{'analyses':>10}{'s':>9}{'analyses/s':>12}{'peak MB':>9}"
        f"{'cpu s':>8}{'load':>6}",
        flush=True,
    )

    def show(name: str, n: int, t: float, m: float | None, cpu: float, load: float) -> None:
        peak = "" if m is None else f"{m:.0f}"
        print(f"{name:<42}{n:>10,}{t:>9.1f}{n / t:>12,.0f}{peak:>9}{cpu:>8.1f}{load:>6.1f}")
        sys.stdout.flush()

    records, _ = generate(args.small, args.seed)
    analyses = AnalysisSet.from_records(records)
    text, _, _ = speciation_input(analyses)
    cpu0 = time.process_time()
    t_limit, _ = run_limit(text, str(resolve_database("phreeqc")), 1)
    show(
        "limit: raw IPhreeqc run_string (1 core)",
        args.small,
        t_limit,
        None,
        time.process_time() - cpu0,
        os.getloadavg()[0],
    )
    rate_limit = args.small / t_limit
    with tempfile.TemporaryDirectory() as tmp:
        small = write_csv(records, Path(tmp) / "small.csv", args.small)
        n10 = min(10_000, args.small)
        ten = write_csv(records, Path(tmp) / "ten.csv", n10)
        out = str(Path(tmp) / "out.parquet")
        t10, *more = run_cli(["characterise", str(ten), "--out", out, "--workers", str(cores)])
        rate10 = n10 / t10
        show(f"ours: 10k, {cores} workers", n10, t10, *more)
        small_rates = {}
        for k in sorted({1, cores}):
            t, *more = run_cli(["characterise", str(small), "--out", out, "--workers", str(k)])
            small_rates[k] = args.small / t
            show(f"ours: {k} worker(s)", args.small, t, *more)
        best = small_rates[cores]
        print(
            f"ours ({cores} workers, whole process) / limit: {best / rate_limit:.2f}  "
            "(target >= 1.6)"
        )
        print(f"{cores} workers / 1 worker: {best / small_rates[1]:.2f}", flush=True)
        if args.big:
            big = write_csv(records, Path(tmp) / "big.csv", args.big)
            t, peak, cpu, load = run_cli(
                ["characterise", str(big), "--out", out, "--workers", str(cores)]
            )
            show(f"ours: {cores} workers", args.big, t, peak, cpu, load)
            print(
                f"{args.big:,} analyses rate / 10k rate: {args.big / t / rate10:.2f}  "
                "(target close to 1)"
            )
            print(f"{args.big:,} analyses peak memory: {peak:.0f} MB  (target < 1536 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
