"""How fast cbmwater characterises produced-water analyses, against two baselines.

Run from the repository root::

    .venv/bin/python benchmarks/characterise.py --n 10000      # or: make bench

What is measured (wall time, ``time.perf_counter``, whole process included):

ours     ``characterise(analyses)``: from an AnalysisSet to the finished records DataFrame (QA,
         PHREEQC input building, one IPhreeqc run, parsing, assembling the records).  Also
         ``speciate(analyses)`` alone, ``speciation_input`` alone (input building only) and
         ``characterise_file`` on the same analyses written to a temporary CSV.
limit    raw IPhreeqc (phreeqpy) running the SAME PHREEQC input text that cbmwater builds:
         only ``run_string`` is timed (database loading is not) -- the pure PHREEQC computation,
         which no wrapper can beat within one process.
peer     phreeqpython, a per-sample loop as a user would write it: ``add_solution`` with the same
         composition, read pH, I, 16 SI and SI(CO2(g)), ``forget()``.  It is slow, so it runs on a
         subset (``--peer-n``, default min(N, 2000)) and is compared per analysis.

Fast measurements are repeated ``--repeat`` times (default 3) and the best is kept; the first
(cold) characterise call, which also loads the PHREEQC database, is printed separately.
The database loads of the limit and the peer are not timed, so ours is also compared warm.

Targets: ours >= 0.8 x the limit's rate, ours >= 2 x the peer's rate.
Correctness: ours vs peer saturation index of calcite on the peer subset (max |diff| < 0.01).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cbmwater.geochem.characterise import characterise
from cbmwater.geochem.speciation import speciate, speciation_input
from cbmwater.study import characterisation as characterise_file
from cbmwater.water.analysis import AnalysisSet
from cbmwater.water.vocabulary import CACO3_G_EQ, CONSTITUENTS

MINERALS = (
    "Calcite",
    "Aragonite",
    "Dolomite",
    "Siderite",
    "Rhodochrosite",
    "Strontianite",
    "Witherite",
    "Barite",
    "Celestite",
    "Gypsum",
    "Anhydrite",
    "Fluorite",
    "Halite",
    "Chalcedony",
    "Fe(OH)3(a)",
    "Gibbsite",
)
TARGET_LIMIT = 0.8  # ours / limit (rate)
TARGET_PEER = 2.0  # ours / peer (rate)
SI_TOLERANCE = 0.01

# uniform ranges (mg/L; pH; deg C) of Qinshui-like Na-HCO3 produced waters
RANGES = {
    "pH": (7.5, 8.8),
    "temp_C": (15.0, 25.0),
    "Na": (200.0, 1500.0),
    "K": (1.0, 15.0),
    "Ca": (2.0, 40.0),
    "Mg": (0.5, 15.0),
    "Cl": (20.0, 1000.0),
    "SO4": (1.0, 300.0),
    "HCO3": (500.0, 2500.0),
    "CO3": (0.0, 100.0),
    "F": (0.5, 6.0),
    "Fe": (0.1, 5.0),
    "Ba": (0.05, 2.0),
    "Sr": (0.1, 2.0),
    "SiO2": (5.0, 30.0),
}
# skewed constituents are drawn log-uniformly (most samples low, a few high, as in lab data)
LOG_UNIFORM = ("Cl", "SO4", "F", "Fe", "Ba", "Sr")
CATIONS_NOT_NA = ("K", "Ca", "Mg", "Fe", "Ba", "Sr")
ANIONS = ("Cl", "SO4", "HCO3", "CO3", "F")


# -- data ------------------------------------------------------------------------------------
def _sig(x: np.ndarray, digits: int = 3) -> np.ndarray:
    """Round to ``digits`` significant figures, as a lab reports."""
    return np.array([float(f"{v:.{digits}g}") for v in x])


def generate(n: int, seed: int) -> tuple[list[dict[str, object]], float]:
    """``n`` Qinshui-like analyses as records; and the fraction whose Na closes the balance.

    Na is computed from the anion excess (meq/L) with +-2 % analytical noise; where that falls
    outside 200-1500 mg/L, Na is drawn from the range instead (an imbalanced analysis, as real
    data sets hold a few).
    """
    rng = np.random.default_rng(seed)
    v: dict[str, np.ndarray] = {}
    for name, (lo, hi) in RANGES.items():
        if name == "Na":
            continue
        if name in LOG_UNIFORM:
            v[name] = np.exp(rng.uniform(math.log(lo), math.log(hi), n))
        else:
            v[name] = rng.uniform(lo, hi, n)
    # carbonate ion only where the pH allows it (phenolphthalein alkalinity above pH 8.3)
    v["CO3"] = np.where(v["pH"] > 8.3, v["CO3"], 0.0)
    for name in v:
        v[name] = (
            np.round(v[name], 2 if name == "pH" else 1)
            if name in ("pH", "temp_C")
            else _sig(v[name])
        )

    def meq(name: str) -> np.ndarray:
        c = CONSTITUENTS[name]
        return v[name] / c.equivalent_mass

    excess = sum(meq(a) for a in ANIONS) - sum(meq(c) for c in CATIONS_NOT_NA)
    na = excess * CONSTITUENTS["Na"].equivalent_mass * rng.normal(1.0, 0.02, n)
    lo, hi = RANGES["Na"]
    ok = (na >= lo) & (na <= hi)
    v["Na"] = _sig(np.where(ok, na, rng.uniform(lo, hi, n)))

    cols = [
        "temp_C",
        "pH",
        "Na",
        "K",
        "Ca",
        "Mg",
        "Fe",
        "Sr",
        "Ba",
        "Cl",
        "SO4",
        "HCO3",
        "CO3",
        "F",
        "SiO2",
    ]
    width = len(str(n))
    records = []
    for i in range(n):
        rec: dict[str, object] = {"sample_id": f"QS-{i + 1:0{width}d}"}
        for c in cols:
            rec[c] = float(v[c][i])
        records.append(rec)
    return records, float(ok.mean())


# -- timing ----------------------------------------------------------------------------------
def best_of(repeat: int, fn, setup=None) -> tuple[float, list[float], object]:
    """Best wall time of ``repeat`` calls of ``fn(state)``; ``setup()`` (untimed) makes state."""
    times, result = [], None
    for _ in range(repeat):
        state = setup() if setup else None
        t0 = time.perf_counter()
        result = fn(state)
        times.append(time.perf_counter() - t0)
    return min(times), times, result


def run_limit(text: str, db_path: str, repeat: int) -> tuple[float, list[float]]:
    """Raw IPhreeqc on the given input: a fresh instance per repetition, only run_string timed."""
    from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

    instances = []

    def setup():
        ip = IPhreeqc()
        ip.load_database(db_path)
        instances.append(ip)
        return ip

    def run(ip):
        ip.run_string(text)
        return ip.row_count

    best, times, rows = best_of(repeat, run, setup)
    for ip in instances:
        ip.destroy_iphreeqc()
    return best, times


def peer_composition(rec: dict[str, object]) -> dict[str, object]:
    """phreeqpython SOLUTION keys for one record: what a user would write.  Total Fe is entered
    as Fe(2), as cbmwater's redox policy does for a produced water (DESIGN.md §5), so the two
    speciate the same system."""
    alk = CACO3_G_EQ * (
        rec["HCO3"] / CONSTITUENTS["HCO3"].equivalent_mass
        + rec["CO3"] / CONSTITUENTS["CO3"].equivalent_mass
    )
    return {
        "units": "mg/l",
        "pH": rec["pH"],
        "temp": rec["temp_C"],
        "Na": rec["Na"],
        "K": rec["K"],
        "Ca": rec["Ca"],
        "Mg": rec["Mg"],
        "Fe(2)": rec["Fe"],
        "Sr": rec["Sr"],
        "Ba": rec["Ba"],
        "Cl": rec["Cl"],
        "F": rec["F"],
        "Alkalinity": f"{alk} as CaCO3",
        "S(6)": f"{rec['SO4']} as SO4",
        "Si": f"{rec['SiO2']} as SiO2",
    }


def run_peer(records: list[dict[str, object]]) -> tuple[float, float, pd.DataFrame]:
    """phreeqpython per-sample loop; returns (time, PhreeqPython() load time, results)."""
    from phreeqpython import PhreeqPython

    t0 = time.perf_counter()
    pp = PhreeqPython(database="phreeqc.dat")  # default would be vitens.dat
    load = time.perf_counter() - t0
    rows = []
    t0 = time.perf_counter()
    for rec in records:
        sol = pp.add_solution(peer_composition(rec))
        row = {"sample_id": rec["sample_id"], "pH": sol.pH, "ionic_strength": sol.I}
        for m in MINERALS:
            row[f"si_{m}"] = sol.si(m)
        row["si_CO2(g)"] = sol.si("CO2(g)")
        sol.forget()
        rows.append(row)
    elapsed = time.perf_counter() - t0
    out = pd.DataFrame(rows).set_index("sample_id")
    out = out.where(out > -999.0)  # -999.999: phase elements absent
    return elapsed, load, out


# -- main ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of analyses (default 10000)")
    ap.add_argument("--seed", type=int, default=20261125, help="random seed")
    ap.add_argument(
        "--peer-n",
        type=int,
        default=None,
        help="analyses for the phreeqpython loop (default min(N, 2000))",
    )
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of fast runs (best kept)")
    ap.add_argument("--no-file", action="store_true", help="skip characterise_file on a CSV")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    n, repeat = args.n, max(1, args.repeat)
    peer_n = min(n, args.peer_n if args.peer_n is not None else 2000)

    from importlib.metadata import version

    from cbmwater import __version__
    from cbmwater.geochem.engine import iphreeqc_version

    print(
        f"cbmwater {__version__} | IPhreeqc {iphreeqc_version()} (phreeqpy "
        f"{version('phreeqpy')}) | phreeqpython {version('phreeqpython')} | "
        f"Python {platform.python_version()} | "
        f"numpy {np.__version__} | pandas {pd.__version__}"
    )
    print(
        f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPU(s); "
        f"N = {n}, seed = {args.seed}, repeat = {repeat}, peer subset = {peer_n}\n"
    )

    t0 = time.perf_counter()
    records, balanced = generate(n, args.seed)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyses = AnalysisSet.from_records(records, source="benchmark")
    t_build = time.perf_counter() - t0
    print(
        f"generated {n} analyses in {t_gen:.2f} s ({balanced:.0%} charge-balanced by Na); "
        f"AnalysisSet.from_records {t_build:.2f} s (not part of 'ours')"
    )

    # ours -- the first call is cold (loads the database into the cached engine)
    t0 = time.perf_counter()
    char = characterise(analyses)
    t_cold = time.perf_counter() - t0
    t_char, char_times, char = best_of(repeat, lambda _: characterise(analyses))
    records_df = char.records
    assert len(records_df) == n, "characterise returned the wrong number of records"
    t_spec, _, _ = best_of(repeat, lambda _: speciate(analyses))
    t_input, _, built = best_of(repeat, lambda _: speciation_input(analyses))
    text, _, db = built

    t_file = None
    if not args.no_file:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "analyses.csv"
            pd.DataFrame(records).to_csv(csv, index=False)
            t_file, _, res = best_of(repeat, lambda _: characterise_file(csv))
            assert len(res.records) == n

    # limit -- the same text, raw IPhreeqc
    t_limit, limit_times = run_limit(text, str(db.path), repeat)

    # peer -- phreeqpython on the subset
    t_peer, t_peer_load, peer = run_peer(records[:peer_n])

    # -- report -----------------------------------------------------------------------------
    rate = {
        "ours: characterise": n / t_char,
        "ours: speciate": n / t_spec,
        "limit: IPhreeqc run_string": n / t_limit,
        "peer: phreeqpython loop": peer_n / t_peer,
    }
    rows = [
        ("ours: characterise (AnalysisSet -> records)", n, t_char),
        ("ours: speciate", n, t_spec),
        ("  of which speciation_input (text building)", n, t_input),
    ]
    if t_file is not None:
        rows.append(("ours: characterise_file (CSV -> records)", n, t_file))
    rows += [
        ("limit: raw IPhreeqc run_string, same text", n, t_limit),
        ("peer: phreeqpython per-sample loop", peer_n, t_peer),
    ]
    print(f"\n{'measurement':<46}{'analyses':>9}{'best s':>9}{'ms/analysis':>13}{'analyses/s':>12}")
    print("-" * 89)
    for label, k, t in rows:
        print(f"{label:<46}{k:>9}{t:>9.3f}{1000 * t / k:>13.4f}{k / t:>12.0f}")
    print(
        f"\ncold first characterise (incl. database load): {t_cold:.3f} s; "
        f"characterise runs: {', '.join(f'{t:.3f}' for t in char_times)} s; "
        f"limit runs: {', '.join(f'{t:.3f}' for t in limit_times)} s; "
        f"PhreeqPython() load (untimed): {t_peer_load:.3f} s"
    )

    r_limit = rate["ours: characterise"] / rate["limit: IPhreeqc run_string"]
    r_peer = rate["ours: characterise"] / rate["peer: phreeqpython loop"]
    r_limit_spec = rate["ours: speciate"] / rate["limit: IPhreeqc run_string"]
    ok_limit, ok_peer = r_limit >= TARGET_LIMIT, r_peer >= TARGET_PEER
    print(f"\n{'ratio (rates, characterise)':<34}{'value':>8}{'target':>9}{'':>3}result")
    print("-" * 60)
    print(
        f"{'ours / limit':<34}{r_limit:>8.2f}{'>= ' + str(TARGET_LIMIT):>9}   "
        f"{'PASS' if ok_limit else 'MISS'}"
    )
    print(
        f"{'ours / peer':<34}{r_peer:>8.2f}{'>= ' + str(TARGET_PEER):>9}   "
        f"{'PASS' if ok_peer else 'MISS'}"
    )
    print(
        f"(speciate alone / limit: {r_limit_spec:.2f}; speciate alone / peer: "
        f"{rate['ours: speciate'] / rate['peer: phreeqpython loop']:.2f})"
    )

    # -- correctness: ours vs peer on the subset ------------------------------------------
    ours = records_df.set_index("sample_id").loc[peer.index]
    d_cal = (ours["si_Calcite"] - peer["si_Calcite"]).abs().max()
    ok_si = bool(d_cal < SI_TOLERANCE)
    diffs = {}
    for col in [f"si_{m}" for m in MINERALS] + ["pH", "ionic_strength"]:
        both = ours[col].notna() & peer[col].notna()
        diffs[col] = (
            float((ours.loc[both, col] - peer.loc[both, col]).abs().max())
            if both.any()
            else float("nan")
        )
    d_co2 = float((ours["log_pCO2"] - peer["si_CO2(g)"]).abs().max())
    empty = [m for m in MINERALS if ours[f"si_{m}"].isna().all() and peer[f"si_{m}"].isna().all()]
    worst = max(
        (c for c in diffs if c.startswith("si_") and not math.isnan(diffs[c])),
        key=lambda c: diffs[c],
    )
    print(
        f"\ncorrectness on the {peer_n}-analysis subset (ours vs phreeqpython, same phreeqc.dat):"
    )
    print(
        f"  max |SI calcite diff|      {d_cal:.2e}  (tolerance {SI_TOLERANCE})  "
        f"{'PASS' if ok_si else 'MISS'}"
    )
    print(
        f"  max |SI diff| any mineral  {diffs[worst]:.2e}  ({worst[3:]}); "
        f"log pCO2 {d_co2:.2e}; pH {diffs['pH']:.2e}; I {diffs['ionic_strength']:.2e} mol/kgw"
    )
    if empty:
        print(f"  empty in both (element not in the analyses): {', '.join(empty)}")
    print("  (ours is read from PHREEQC's printed selected output: SI to 1e-4)")

    if args.json:
        result = {
            "n": n,
            "seed": args.seed,
            "peer_n": peer_n,
            "repeat": repeat,
            "seconds": {
                "characterise": t_char,
                "characterise_cold": t_cold,
                "speciate": t_spec,
                "speciation_input": t_input,
                "characterise_file": t_file,
                "limit": t_limit,
                "peer": t_peer,
            },
            "rates_per_s": rate,
            "ours_over_limit": r_limit,
            "ours_over_peer": r_peer,
            "pass": {"limit": ok_limit, "peer": ok_peer, "si_calcite": ok_si},
            "si_calcite_max_abs_diff": float(d_cal),
            "max_abs_diff": diffs,
        }
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
