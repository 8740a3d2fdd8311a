"""Writes analyses.csv: four REPRESENTATIVE (constructed) discharges of the closed Daji pyrite mine.

No measured analysis of the Daji (大箕镇, Zezhou county) discharges was found
(amd.md notes §(d), docs/references.md: "nothing found").  The values are constructed within the
indicative ranges amd.md gives for Yangquan/Jincheng 老窑水 (pH 2.5-3.5, total Fe 100s-1000 mg/L,
Al 10s-100s, Mn 5-30, SO4 2000-8000 mg/L; status M) for the two adits, and as a net-acidic anoxic
seep (an ALD candidate) and a net-alkaline toe drain for the two others.  SO4 closes each charge
balance (pyrite oxidation makes these sulfate waters).  Replace with measured analyses before use.
Run from the repository root: .venv/bin/python tools/build_daji_analyses.py
"""

import pandas as pd

from cbmwater.resources import example_path
from cbmwater.water.io import read_analyses
from cbmwater.water.qa import ion_balance_pct

OUT = example_path("daji_old_mine", "analyses.csv")

ROWS = [
    dict(
        sample_id="DJ-1",
        temp_C=14.0,
        pH=2.8,
        DO=1.8,
        Na=55,
        K=8,
        Ca=380,
        Mg=165,
        Fe2=180,
        Fe3=60,
        Mn=12,
        Al=45,
        Cl=25,
        SO4=None,
        alkalinity_CaCO3=0,
        TSS=60,
    ),
    dict(
        sample_id="DJ-2",
        temp_C=13.5,
        pH=3.4,
        DO=2.5,
        Na=40,
        K=6,
        Ca=260,
        Mg=95,
        Fe2=60,
        Fe3=15,
        Mn=6,
        Al=18,
        Cl=20,
        SO4=None,
        alkalinity_CaCO3=0,
        TSS=40,
    ),
    dict(
        sample_id="DJ-3",
        temp_C=13.0,
        pH=5.9,
        DO=0.4,
        Na=35,
        K=5,
        Ca=210,
        Mg=70,
        Fe2=28,
        Fe3=0.4,
        Mn=4.2,
        Al=0.5,
        Cl=18,
        SO4=None,
        HCO3=49,
        TSS=15,
    ),
    dict(
        sample_id="DJ-4",
        temp_C=13.0,
        pH=6.7,
        DO=3.0,
        Na=45,
        K=5,
        Ca=180,
        Mg=60,
        Fe2=11,
        Fe3=0.8,
        Mn=2.6,
        Al=0.2,
        Cl=22,
        SO4=None,
        HCO3=220,
        TSS=20,
    ),
]
# SO4 closes the charge balance (the acid waters are sulfate waters: pyrite oxidation)
EQ = {
    "Na": 22.99,
    "K": 39.10,
    "Ca": 20.04,
    "Mg": 12.15,
    "Fe2": 27.92,
    "Fe3": 18.62,
    "Mn": 27.47,
    "Al": 8.99,
    "Cl": 35.45,
    "HCO3": 61.02,
}
COLS = [
    "sample_id",
    "temp_C",
    "pH",
    "DO",
    "Na",
    "K",
    "Ca",
    "Mg",
    "Fe2",
    "Fe3",
    "Mn",
    "Al",
    "Cl",
    "SO4",
    "HCO3",
    "alkalinity_CaCO3",
    "TSS",
]


def main() -> None:
    for r in ROWS:
        cat = sum(
            r[k] / EQ[k] for k in ("Na", "K", "Ca", "Mg", "Fe2", "Fe3", "Mn", "Al")
        ) + 1000 * 10 ** (-r["pH"])
        an = r["Cl"] / EQ["Cl"] + r.get("HCO3", 0) / EQ["HCO3"]
        r["SO4"] = round((cat - an) * 48.03, -1)
    df = pd.DataFrame(ROWS)[COLS]
    df.to_csv(OUT, index=False)
    print(ion_balance_pct(read_analyses(OUT).resolved()))


if __name__ == "__main__":
    main()
