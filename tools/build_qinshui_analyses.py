"""Construct a REPRESENTATIVE (not measured) produced-water data set, southern Qinshui basin.

Writes ``analyses.csv`` next to this script: 32 synthetic coalbed-methane produced-water analyses
from five blocks (SZ Shizhuang 柿庄, ZZ Zhengzhuang 郑庄, FZ Fanzhuang 樊庄, CZ Chengzhuang 成庄,
PZ Panzhuang 潘庄) and two coal seams (3# Shanxi Fm., 15# Taiyuan Fm.).  No row is a real
measurement and no well name is a real well.

What the generator reproduces (published, see README.md for the sources):

* Na-HCO3 water dominates; 4 of 32 analyses (12.5 %) are Na-Cl or Na-SO4 type.
* TDS as the sum of dissolved constituents (ions with HCO3 counted in full, plus SiO2 and B)
  spans about 615-4376 mg/L, with 29 of 32 (91 %) below 3000 mg/L.
* SAR is high (mean about 40; the published mean is 41.98).
* Na+K make up most of the cations; HCO3(+CO3) is the dominant anion of the Na-HCO3 waters.

Everything else (per-ion ranges, minor and trace ions, COD, TSS, temperature) follows the
UNVERIFIED engineering placeholders [U] of qinshui_standards.md section 1.3.

Construction, per analysis:

1. Draw pH, temperature, a target sum of dissolved constituents, the anion meq fractions for
   the water type, the (Ca+Mg) share of cation meq, and the minor ions in mg/L.
2. Solve one linear equation for the total cation meq/L so that the sum of dissolved
   constituents meets the target, with a small target ion imbalance (|e| < 3 %).
3. Split alkalinity into HCO3 and CO3 from pH (CO3/HCO3 molar ratio = 10^(pH - 10.33);
   CO3 reported as 0 below pH 8.3, as a phenolphthalein titration would).
4. Cap Ca (with Mg in proportion), Ba and F with a Davies-activity saturation estimate
   (calcite, barite, fluorite), then round every value to lab precision and censor values
   below the detection limit as ``<DL`` (e.g. ``<0.01``).
5. Report the ``TDS`` column as a laboratory (gravimetric-style) value: the evaporative sum of
   the rounded analysis (HCO3 x 0.4917) times (1 + a random lab difference within +-3 %).

Deterministic: fixed seed, numpy only.  Regenerate with (from the repository root)::

    .venv/bin/python tools/build_qinshui_analyses.py
"""

from __future__ import annotations

import csv
import math

import numpy as np

from cbmwater.resources import example_path
from cbmwater.water.vocabulary import CONSTITUENTS

SEED = 20140731  # first sampling day of the 145-sample SQB survey; any fixed value would do
OUT = example_path("qinshui", "analyses.csv")

HEADER = [
    "sample_id",
    "well",
    "block",
    "seam",
    "temp_C",
    "pH",
    "Na",
    "K",
    "Ca",
    "Mg",
    "Fe",
    "Fe2",
    "Fe3",
    "Mn",
    "Al",
    "Sr",
    "Ba",
    "Li",
    "NH4_N",
    "Cl",
    "SO4",
    "HCO3",
    "CO3",
    "alkalinity_CaCO3",
    "F",
    "Br",
    "NO3_N",
    "SiO2",
    "B",
    "TDS",
    "COD",
    "TSS",
]

BLOCKS = {
    "SZ": "Shizhuang",
    "ZZ": "Zhengzhuang",
    "FZ": "Fanzhuang",
    "CZ": "Chengzhuang",
    "PZ": "Panzhuang",
}
# (block code, seam, number of analyses); 24 from 3#, 8 from 15#.
LAYOUT = [
    ("SZ", "3", 5),
    ("SZ", "15", 3),
    ("ZZ", "3", 5),
    ("ZZ", "15", 2),
    ("FZ", "3", 5),
    ("FZ", "15", 1),
    ("CZ", "3", 4),
    ("CZ", "15", 1),
    ("PZ", "3", 5),
    ("PZ", "15", 1),
]
# Hand-placed analyses: water type and target sum of dissolved constituents (mg/L).  The two
# ends of the published TDS range and the three analyses >= 3000 mg/L are set here so that the
# range and the 91 % < 3000 split hold exactly; the rest are drawn at random.
SPECIAL = {
    "SZ-15-01": ("Na-HCO3", 4345.0),  # commingled 3#+15#, Shizhuang North; high end
    "SZ-3-04": ("Na-HCO3", 3560.0),
    "ZZ-15-01": ("Na-Cl", 3240.0),
    "ZZ-3-05": ("Na-Cl", 2780.0),
    "CZ-15-01": ("Na-Cl", 2360.0),
    "PZ-3-05": ("Na-SO4", 2450.0),
    "PZ-3-01": ("Na-HCO3", 645.0),  # low end of the range
    "CZ-3-01": ("Na-HCO3", 790.0),
    "FZ-3-05": ("Na-HCO3", 700.0),
}

# Molar masses and charges from the project vocabulary.
MM = {k: c.molar_mass for k, c in CONSTITUENTS.items() if c.molar_mass}
Z = {k: c.charge for k, c in CONSTITUENTS.items()}
EQ = {k: MM[k] / abs(Z[k]) for k in MM if Z.get(k)}  # mg per meq
HCO3_EVAP = 0.4917  # fraction of HCO3 mass left on evaporation (as CO3)
MM_NH4, MM_NO3 = 18.038, 62.004  # NH4_N and NO3_N enter mass sums as NH4+ and NO3-

CATIONS = ("Na", "K", "Ca", "Mg", "Fe", "Mn", "Sr", "Ba", "Li", "NH4_N")  # Fe counted as Fe2+
ANIONS = ("Cl", "SO4", "HCO3", "CO3", "F", "Br", "NO3_N")
DETECTION_LIMIT = {"Mn": 0.01, "Li": 0.01, "Br": 0.05, "NO3_N": 0.02}

# Saturation caps for the Davies estimate (log Ksp at 25 C).  The estimate ignores ion pairs
# (CaHCO3+, CaCO3, BaSO4, ...), so it runs above PHREEQC; with these caps the phreeqc.dat
# indices stay below calcite +1.2, barite +1.5 and fluorite +0.5.
LOGK = {"calcite": -8.48, "barite": -9.97, "fluorite": -10.60}
SI_CAP = {"calcite": 1.15, "barite": 1.2, "fluorite": 0.0}
LOG_K2 = -10.33  # HCO3- = H+ + CO3-2


def lognormal(rng: np.random.Generator, median: float, sigma: float, lo: float, hi: float) -> float:
    """Log-normal draw truncated to [lo, hi] by redrawing (no pile-up at the bounds)."""
    for _ in range(1000):
        x = median * math.exp(sigma * rng.standard_normal())
        if lo <= x <= hi:
            return float(x)
    return float(np.clip(median, lo, hi))


def truncnormal(rng: np.random.Generator, mean: float, sd: float, lo: float, hi: float) -> float:
    """Normal draw truncated to [lo, hi] by redrawing."""
    for _ in range(1000):
        x = rng.normal(mean, sd)
        if lo <= x <= hi:
            return float(x)
    return float(np.clip(mean, lo, hi))


def alk_split(alk_meq: float, ph: float) -> tuple[float, float]:
    """HCO3 and CO3 in mmol/L from alkalinity (meq/L) and pH."""
    r = 10.0 ** (ph + LOG_K2) if ph >= 8.3 else 0.0
    h = alk_meq / (1.0 + 2.0 * r)
    return h, r * h


def davies(ionic_strength: float, z: int) -> float:
    s = math.sqrt(ionic_strength)
    return 10.0 ** (-0.51 * z * z * (s / (1.0 + s) - 0.3 * ionic_strength))


def saturation(mg: dict[str, float], ph: float) -> dict[str, float]:
    """Rough saturation indices (Davies activities, free ions = totals)."""
    mmol = {k: v / MM[k] for k, v in mg.items() if k in MM and Z.get(k)}
    ionic = 0.5e-3 * sum(m * Z[k] ** 2 for k, m in mmol.items())
    g1, g2 = davies(ionic, 1), davies(ionic, 2)
    alk = mg["HCO3"] / MM["HCO3"] + 2 * mg["CO3"] / MM["CO3"]
    hco3 = alk / (1.0 + 2.0 * 10.0 ** (ph + LOG_K2))
    a_co3 = 1e-3 * hco3 * g1 * 10.0 ** (ph + LOG_K2)  # activity of CO3-2 from K2

    def a(k: str, g: float) -> float:  # activity, mol/kg
        return max(1e-3 * mmol.get(k, 0.0) * g, 1e-30)

    return {
        "calcite": math.log10(a("Ca", g2) * a_co3) - LOGK["calcite"],
        "barite": math.log10(a("Ba", g2) * a("SO4", g2)) - LOGK["barite"],
        "fluorite": math.log10(a("Ca", g2) * a("F", g1) ** 2) - LOGK["fluorite"],
    }


def solve_majors(s: dict) -> dict[str, float]:
    """Na, Ca, Mg, Cl, SO4, HCO3, CO3 (mg/L) meeting the target sum of dissolved constituents."""
    minors = s["minors"]
    m_c = sum(minors[k] / EQ[k] for k in ("K", "Fe", "Mn", "Sr", "Ba", "Li", "NH4_N"))
    m_a = sum(minors[k] / EQ[k] for k in ("F", "Br", "NO3_N"))
    so4_fixed = s["so4_mg"] / EQ["SO4"] if s["so4_mg"] is not None else 0.0
    h1, c1 = alk_split(1.0, s["pH"])
    w_alk = h1 * MM["HCO3"] + c1 * MM["CO3"]  # mg per meq alkalinity
    x_ca = s["ca_share"]
    w_camg = x_ca * EQ["Ca"] + (1 - x_ca) * EQ["Mg"]
    k = (1 - s["e"]) / (1 + s["e"])  # anions = k * cations (meq/L)
    f_cl, f_so4 = s["f_cl"], s["f_so4"]
    fixed = (
        sum(minors[q] for q in ("K", "Fe", "Mn", "Sr", "Ba", "Li", "F", "Br", "SiO2", "B"))
        + minors["NH4_N"] * MM_NH4 / MM["NH4_N"]
        + minors["NO3_N"] * MM_NO3 / MM["NO3_N"]
        - EQ["Na"] * m_c
        + EQ["SO4"] * so4_fixed
        - w_alk * (so4_fixed + m_a)
    )
    per_c = (
        (1 - s["g"]) * EQ["Na"]
        + s["g"] * w_camg
        + k * (f_cl * EQ["Cl"] + f_so4 * EQ["SO4"] + (1 - f_cl - f_so4) * w_alk)
    )
    cat = (s["ion_sum"] - fixed) / per_c
    an = k * cat
    alk = an * (1 - f_cl - f_so4) - so4_fixed - m_a
    h, c = alk_split(alk, s["pH"])
    camg = s["g"] * cat
    return {
        "Na": (cat - m_c - camg) * EQ["Na"],
        "Ca": camg * x_ca * EQ["Ca"],
        "Mg": camg * (1 - x_ca) * EQ["Mg"],
        "Cl": f_cl * an * EQ["Cl"],
        "SO4": (f_so4 * an + so4_fixed) * EQ["SO4"],
        "HCO3": h * MM["HCO3"],
        "CO3": c * MM["CO3"],
    }


def fmt(x: float, sig: int, max_dec: int = 3) -> str:
    """Lab-style rounding: `sig` significant figures, at most `max_dec` decimals, and whole
    numbers (never tens) for large values, e.g. 1228, 245, 24.5, 2.45, 0.245, 0.025."""
    if x == 0:
        return "0"
    dec = sig - 1 - math.floor(math.log10(abs(x)))
    dec = min(max(dec, 0), max_dec)
    return f"{round(x, dec):.{dec}f}"


def censor(name: str, x: float, sig: int = 2) -> str:
    dl = DETECTION_LIMIT[name]
    return f"<{dl:g}" if x < dl else fmt(x, sig)


def draw_sample(rng: np.random.Generator, sid: str, block: str, seam: str) -> dict:
    wtype, ion_sum = SPECIAL.get(sid, ("Na-HCO3", None))
    deep = seam == "15"
    if ion_sum is None:
        ion_sum = lognormal(rng, 2100.0, 0.33, 900.0, 2950.0)
    eps = float(rng.uniform(-0.03, 0.03))  # lab TDS minus evaporative sum, relative
    ph = round(truncnormal(rng, 8.2, 0.33, 7.5, 8.8), 2)  # as reported, so CO3 follows it
    temp = float(rng.uniform(14.0, 22.0))
    scale = ion_sum / 2100.0

    # Anion meq fractions by water type; SO4 of low-sulfate waters is set in mg/L instead.
    so4_mg = None
    if wtype == "Na-HCO3":
        f_cl = float(np.clip(0.05 + 0.07 * scale + rng.normal(0, 0.03), 0.03, 0.22))
        f_so4 = 0.0
        if deep:
            so4_mg = lognormal(rng, 4.0, 0.4, 1.0, 9.0)
        else:
            so4_mg = lognormal(rng, 14.0, 0.8, 2.0, 90.0)
        g = float(rng.uniform(0.017, 0.048))
    elif wtype == "Na-Cl":
        f_cl = float(rng.uniform(0.50, 0.58))
        f_so4 = 0.0
        if deep:
            so4_mg = lognormal(rng, 5.0, 0.3, 2.0, 9.0)
        else:
            so4_mg = lognormal(rng, 25.0, 0.3, 10.0, 60.0)
        g = float(rng.uniform(0.035, 0.060))
    else:  # Na-SO4
        f_cl, f_so4 = 0.10, float(rng.uniform(0.46, 0.50))
        g = float(rng.uniform(0.040, 0.060))

    minors = {
        "K": lognormal(rng, 3.0 * scale**0.5 * (1.4 if deep else 1.0), 0.4, 1.0, 15.0),
        "Fe": lognormal(rng, 1.3, 0.9, 0.1, 10.0),
        "Mn": lognormal(rng, 0.06, 1.0, 0.004, 0.5),
        "Sr": lognormal(rng, 1.1 if deep else 0.4, 0.5, 0.1, 3.0),
        "Ba": float(rng.uniform(1.0, 3.0)) if deep else lognormal(rng, 0.2, 0.5, 0.05, 0.6),
        "Li": lognormal(rng, 0.04 * scale, 0.8, 0.003, 0.5),
        "NH4_N": lognormal(rng, 1.0, 0.7, 0.2, 5.0),
        "F": lognormal(rng, 2.3 * scale**0.5, 0.45, 0.5, 6.0),
        "NO3_N": lognormal(rng, 0.08, 1.0, 0.005, 1.5),
        "SiO2": float(rng.uniform(8.0, 25.0)),
        "B": lognormal(rng, 0.4 * scale**0.5, 0.5, 0.1, 1.5),
        "Br": 0.0,  # set from Cl below
    }
    if wtype == "Na-SO4":
        minors["Ba"] = 0.03  # sulfate-rich water cannot carry much barium
    cl_br = float(rng.uniform(200.0, 500.0))  # Cl/Br mass ratio

    s = {
        "sid": sid,
        "block": block,
        "seam": seam,
        "type": wtype,
        "pH": ph,
        "temp": temp,
        "ion_sum": ion_sum,
        "eps": eps,
        "e": truncnormal(rng, 0.0, 0.012, -0.027, 0.027),
        "f_cl": f_cl,
        "f_so4": f_so4,
        "so4_mg": so4_mg,
        "g": g,
        "ca_share": float(rng.uniform(0.55, 0.72)),
        "minors": minors,
    }
    # Iterate: Br follows Cl; Ca/Mg, Ba and F are lowered until the saturation caps hold.
    for _ in range(30):
        majors = solve_majors(s)
        minors["Br"] = majors["Cl"] / cl_br
        si = saturation({**minors, **majors}, ph)
        if si["calcite"] > SI_CAP["calcite"]:
            s["g"] *= 10.0 ** (-(si["calcite"] - SI_CAP["calcite"]) - 0.02)
        elif si["barite"] > SI_CAP["barite"]:
            minors["Ba"] *= 10.0 ** (-(si["barite"] - SI_CAP["barite"]) - 0.02)
        elif si["fluorite"] > SI_CAP["fluorite"]:
            minors["F"] *= 10.0 ** (-(si["fluorite"] - SI_CAP["fluorite"]) / 2 - 0.01)
        else:
            break
    s["majors"] = majors
    s["cod"] = lognormal(rng, 40.0, 0.6, 10.0, 150.0)
    s["tss"] = lognormal(rng, 100.0, 0.75, 20.0, 500.0)
    s["fe_speciated"] = bool(rng.random() < 0.25)
    s["fe2_share"] = float(rng.uniform(0.55, 0.9))
    s["al"] = float(rng.uniform(0.01, 0.12)) if rng.random() < 0.2 else None
    s["well_no"] = int(rng.integers(100, 400))
    return s


def row_for(s: dict) -> dict[str, str]:
    mj, mi = s["majors"], s["minors"]
    code = s["sid"].split("-")[0]
    row = {
        "sample_id": s["sid"],
        "well": f"{code}-C{s['well_no']:03d}",  # 'C' = constructed; not a real well
        "block": BLOCKS[code],
        "seam": f"{s['seam']}#",
        "temp_C": f"{s['temp']:.1f}",
        "pH": f"{s['pH']:.2f}",
        "Na": fmt(mj["Na"], 3),
        "K": fmt(mi["K"], 3, 2),
        "Ca": fmt(mj["Ca"], 3, 2),
        "Mg": fmt(mj["Mg"], 3, 2),
        "Fe": fmt(mi["Fe"], 3),
        "Fe2": "",
        "Fe3": "",
        "Mn": censor("Mn", mi["Mn"]),
        "Al": fmt(s["al"], 2) if s["al"] is not None else "",
        "Sr": fmt(mi["Sr"], 2),
        "Ba": fmt(mi["Ba"], 2),
        "Li": censor("Li", mi["Li"]),
        "NH4_N": fmt(mi["NH4_N"], 2),
        "Cl": fmt(mj["Cl"], 3),
        "SO4": fmt(mj["SO4"], 3, 1),
        "HCO3": fmt(mj["HCO3"], 3),
        "CO3": fmt(mj["CO3"], 2, 1) if mj["CO3"] > 0 else "0",
        "alkalinity_CaCO3": "",
        "F": fmt(mi["F"], 2),
        "Br": censor("Br", mi["Br"]),
        "NO3_N": censor("NO3_N", mi["NO3_N"]),
        "SiO2": fmt(mi["SiO2"], 3, 1),
        "B": fmt(mi["B"], 2),
        "COD": fmt(s["cod"], 2, 0),
        "TSS": fmt(s["tss"], 2, 0),
    }
    if s["fe_speciated"]:
        fe = float(row["Fe"])
        fe2 = float(fmt(fe * s["fe2_share"], 2))
        row["Fe2"] = fmt(fe2, 2)
        row["Fe3"] = fmt(max(fe - fe2, 0.01), 2)
    # Lab TDS: evaporative sum of the rounded values plus the lab difference.
    evap = dissolved_sum(row) - (1 - HCO3_EVAP) * float(row["HCO3"])
    row["TDS"] = f"{evap * (1 + s['eps']):.0f}"
    return row


def ion_balance(row: dict[str, str]) -> float:
    """Percent imbalance from a written row (censored and blank cells count as zero)."""

    def meq(names):
        out = 0.0
        for k in names:
            v = row[k]
            if v and not v.startswith("<"):
                out += float(v) / EQ[k]
        return out

    c, a = meq(CATIONS), meq(ANIONS)
    return 100.0 * (c - a) / (c + a)


def dissolved_sum(row: dict[str, str]) -> float:
    """Sum of dissolved constituents (mg/L, HCO3 counted in full, NH4/NO3 as ions, + SiO2, B)."""
    num = {k: float(v) for k, v in row.items() if k in MM and v and not v.startswith("<")}
    skip = ("NH4_N", "NO3_N", "Fe2", "Fe3", "alkalinity_CaCO3")
    out = sum(v for k, v in num.items() if k not in skip)
    out += num.get("NH4_N", 0.0) * MM_NH4 / MM["NH4_N"]
    out += num.get("NO3_N", 0.0) * MM_NO3 / MM["NO3_N"]
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = []
    for code, seam, n in LAYOUT:
        for i in range(1, n + 1):
            s = draw_sample(rng, f"{code}-{seam}-{i:02d}", code, seam)
            rows.append(row_for(s))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    tds = [float(r["TDS"]) for r in rows]
    sums = [dissolved_sum(r) for r in rows]
    bal = [ion_balance(r) for r in rows]
    print(f"wrote {OUT} ({len(rows)} analyses)")
    print(
        f"sum of dissolved constituents {min(sums):.0f}-{max(sums):.0f} mg/L, "
        f"{sum(t < 3000 for t in sums)} below 3000"
    )
    print(f"TDS column (lab, evaporative) {min(tds):.0f}-{max(tds):.0f} mg/L")
    print(f"ion balance {min(bal):+.2f} .. {max(bal):+.2f} %")


if __name__ == "__main__":
    main()
