"""Write ``wells.csv`` for the constructed southern-Qinshui optimisation case.

Deterministic: a fixed numpy seed, fixed rounding, and rows in a fixed order, so the output is
byte-identical on every run.  Run from the repository root:

    .venv/bin/python tools/build_qinshui_south_wells.py

The script reads ``../qinshui/analyses.csv`` for the sample ids of each block.  It writes
``wells.csv`` next to itself and prints the number of wells per station and the field's water
rate in each period (the period average of the Arps curve, as in
``docs/optimise_case_format.md``).

Everything here is CONSTRUCTED.  No well, rate or start year is taken from a real field.  The
rate ranges are the [U] background values of [QS] §1.4 (``docs/references.md``); see README.md,
"Provenance", for every assumption and its mark.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from cbmwater.optimize.production import arps_period_rates
from cbmwater.resources import example_path, resource_label

ANALYSES = example_path("qinshui", "analyses.csv")
OUT = example_path("qinshui_south", "wells.csv")

SEED = 20270101  # any fixed integer; chosen as the case's first calendar day
PERIODS = 15  # annual periods, 2027-2041 (case.toml [case])
PERIOD_YEARS = 1.0

# Wells per gathering station; the station is named after the block whose analyses it receives.
# [U] constructed: 160 wells, a few tens per block (the issue asks for >= 100), so that the
# field's water is several hundred m3/d (see the printed table).
WELLS_PER_STATION = {
    "Shizhuang": 50,
    "Fanzhuang": 44,
    "Panzhuang": 38,
    "Chengzhuang": 28,
}
# Code letters used in the (constructed) well names.
CODE = {"Shizhuang": "SZ", "Fanzhuang": "FZ", "Panzhuang": "PZ", "Chengzhuang": "CZ"}

# Share of wells that are on line in period 1; the rest are infill wells spread evenly over
# periods 2-5 (a constructed drilling campaign 2028-2031) [U].
SHARE_PERIOD_1 = 0.5
INFILL_PERIODS = (2, 3, 4, 5)

# Fracturing water per infill well, m3, used only for the printed capacity of the case's
# "Infill well pads (frac make-up)" destination: an infill well coming on in period p is
# fractured in period p - 1 [U: 500-1000 m3 of active-water fracturing fluid per CBM vertical
# well is background knowledge, no source retrieved; 700 is inside it].
FRAC_M3_PER_WELL = 700.0

# Arps parameters by seam.  qi: initial water rate, m3/d; Di: initial decline, 1/yr; b: exponent.
# 3# (Shanxi Fm) vertical wells: "about 1-10 m3/d early in dewatering, declining to ~0.5-3 m3/d
#   at stable gas production" [U], qinshui_standards.md §1.4.  qi lognormal, median 7 m3/d,
#   clipped to 2-10; Di 0.4-0.8 /yr and b 0.8-1.0 (near-harmonic, i.e. a low plateau) give a
#   mid-range well (qi 7, Di 0.6, b 0.9) 2.4 m3/d after 3 years and 0.9 m3/d after 10 [U: our
#   fit of the shape "decline over 0.5-3 years, then a low plateau", same section].
# 15# (Taiyuan Fm, K2 limestone roof) wells: "often 5-30+ m3/d, with slower decline because of
#   limestone recharge" [U], same section.  qi lognormal, median 22 m3/d, clipped to 5-40
#   ("30+"); Di 0.1-0.3 /yr and b 0.4-0.9 [U]: a mid-range well gives 13 m3/d after 3 years and
#   6 m3/d after 10.  Wells that commingle 3# + 15# or sit near faults produce much more water
#   (Shizhuang North, same section, V qualitative).
# The Gujiao block average "mostly < 5 m3/d" [V] (NW Qinshui, Processes 2023, 11(7), 2000) is
# the only quantitative Qinshui figure; the 3# wells reach it after about 1-2 years.
# With these ranges 160 wells give 740-860 m3/d in 2027-2031, falling to about 280 m3/d by 2041.
ARPS = {
    "3#": dict(qi_median=7.0, qi_sigma=0.40, qi_lo=2.0, qi_hi=10.0, Di=(0.4, 0.8), b=(0.8, 1.0)),
    "15#": dict(qi_median=22.0, qi_sigma=0.35, qi_lo=5.0, qi_hi=40.0, Di=(0.1, 0.3), b=(0.4, 0.9)),
}


def read_blocks(path: Path) -> dict[str, list[tuple[str, str]]]:
    """block -> [(sample_id, seam), ...] in file order."""
    out: dict[str, list[tuple[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["block"], []).append((row["sample_id"], row["seam"]))
    return out


def period_rates(qi: float, Di: float, b: float, start: int) -> list[float]:
    """Average rate of each period, m3/d (0 before the well starts): the engine's own Arps
    period average (cbmwater.optimize.production), so the printed totals are what the case loads."""
    return list(arps_period_rates(qi, Di, b, PERIODS, PERIOD_YEARS, start))


def build() -> list[dict]:
    rng = np.random.default_rng(SEED)
    blocks = read_blocks(ANALYSES)
    rows = []
    for station, n in WELLS_PER_STATION.items():
        samples = blocks[station]  # KeyError if a block name is misspelt
        n1 = round(SHARE_PERIOD_1 * n)
        starts = [1] * n1 + [INFILL_PERIODS[i % len(INFILL_PERIODS)] for i in range(n - n1)]
        for k, start in enumerate(starts, start=1):
            # each well takes one of its own block's analyses, all equally likely
            sample_id, seam = samples[int(rng.integers(len(samples)))]
            a = ARPS[seam]
            qi = float(
                np.clip(
                    a["qi_median"] * math.exp(a["qi_sigma"] * rng.standard_normal()),
                    a["qi_lo"],
                    a["qi_hi"],
                )
            )
            Di = float(rng.uniform(*a["Di"]))
            b = float(rng.uniform(*a["b"]))
            rows.append(
                {
                    "well": f"{CODE[station]}-W{k:03d}",
                    "station": station,
                    "analysis": sample_id,
                    "qi_m3_d": f"{qi:.2f}",
                    "Di_per_yr": f"{Di:.3f}",
                    "b": f"{b:.3f}",
                    "start_period": str(start),
                }
            )
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(
            fh,
            fieldnames=["well", "station", "analysis", "qi_m3_d", "Di_per_yr", "b", "start_period"],
            lineterminator="\n",
        )
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {resource_label(OUT)}: {len(rows)} wells")
    stations = list(WELLS_PER_STATION)
    print(
        "wells per station: "
        + ", ".join(f"{s} {sum(r['station'] == s for r in rows)}" for s in stations)
    )
    seams = {}
    for r in rows:
        seam = "15#" if "-15-" in r["analysis"] else "3#"
        seams[seam] = seams.get(seam, 0) + 1
    print("wells per seam: " + ", ".join(f"{k} {v}" for k, v in sorted(seams.items())))
    total = np.zeros(PERIODS)
    by_station = {s: np.zeros(PERIODS) for s in stations}
    for r in rows:
        q = np.array(
            period_rates(
                float(r["qi_m3_d"]), float(r["Di_per_yr"]), float(r["b"]), int(r["start_period"])
            )
        )
        by_station[r["station"]] += q
        total += q
    frac = [
        sum(int(r["start_period"]) == p + 1 for r in rows) * FRAC_M3_PER_WELL / 365.0
        for p in range(1, PERIODS + 1)
    ]
    print(
        "frac make-up demand of the infill wells (m3/d, for case.toml): ["
        + ", ".join(f"{v:.0f}" for v in frac)
        + "]"
    )
    print("period  year  " + "  ".join(f"{s[:11]:>11s}" for s in stations) + "       total  (m3/d)")
    for p in range(PERIODS):
        print(
            f"{p + 1:6d}  {2027 + p}  "
            + "  ".join(f"{by_station[s][p]:11.0f}" for s in stations)
            + f"  {total[p]:10.0f}"
        )


if __name__ == "__main__":
    main()
