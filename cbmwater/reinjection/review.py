"""The regulator's review of a reinjection proposal: standard, compatibility, isolation, verdict.

Checks
------
1. **Injection-water standard**: the injectate against the SY/T 5329 class of the formation's
   permeability (:func:`cbmwater.standards.check_compliance`).  ``fail`` -> failing finding;
   ``not_measured``/``inconclusive`` -> warning with the condition "measure ..." (never a pass);
   limits with status S/U/M are flagged unverified (info finding).
2. **Compatibility**: one PHREEQC run.  The two waters are SOLUTIONs at their own temperature
   (25 deg C when not reported) and 1 atm; for each fraction f of injectate one simulation
   ``MIX (f, 1-f)`` with ``REACTION_TEMPERATURE``/``REACTION_PRESSURE`` at formation T and P
   (bar / 1.01325 = atm) gives the saturation indices, and a second simulation equilibrates the
   saved mixture with ``EQUILIBRIUM_PHASES <phase> 0 0`` for :data:`SCALE_MINERALS` (only
   supersaturated phases precipitate; nothing dissolves).  Scale (mg per L of mixture) =
   sum(moles precipitated x molar mass) / mixture volume (PHREEQC ``SOLN_VOL``).
   A mineral that precipitates at any fraction -> a warning with a condition (antiscalant,
   iron pre-treatment); a total scale above the TSS limit of the permeability class at the worst
   ratio -> failing finding (assumption: precipitated scale plugs pores as suspended solids do).
3. **Isolation**: the target depth must lie at least ``min_separation_m`` below every protected
   aquifer's bottom (or, for an aquifer given with ``top_depth_m`` lying beneath the target, at
   least that far above its top).

Verdict: ``fail`` if any finding fails; ``conditional`` (with conditions) if any warns; else
``pass``.
"""

from __future__ import annotations

import math
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..geochem.databases import database_info
from ..geochem.engine import get_engine, iphreeqc_version, si_or_nan
from ..geochem.mixing import mix_block, reaction_conditions
from ..geochem.phreeqc_input import redox_definitions, solution_block
from ..geochem.redox import RedoxBasis
from ..standards import StandardsTable, check_compliance, load_standards
from ..version import __version__
from ..water.phases import MINERALS
from .proposal import Proposal, load_proposal

__all__ = [
    "SCALE_MINERALS",
    "MOLAR_MASS_G_MOL",
    "SCALE_CONDITIONS",
    "Finding",
    "Review",
    "review",
    "review_file",
    "mixing_input",
    "mixing_input_many",
    "run_mixing",
    "run_mixing_many",
    "mixing_curves",
    "MixingScale",
    "mixing_scale",
    "BAR_PER_ATM",
]

#: Minerals whose SI and scale are reported (phreeqc.dat names).
SCALE_MINERALS: tuple[str, ...] = (
    "Barite",
    "Celestite",
    "Calcite",
    "Siderite",
    "Gypsum",
    "Anhydrite",
    "Fe(OH)3(a)",
)
#: g/mol of the scale minerals, from the phases table (:mod:`cbmwater.water.phases`).
MOLAR_MASS_G_MOL: dict[str, float] = {m: MINERALS[m].molar_mass for m in SCALE_MINERALS}
BAR_PER_ATM = 1.01325
#: The condition the review attaches to a mineral that precipitates on mixing.
SCALE_CONDITIONS: dict[str, str] = {
    "Barite": "antiscalant for barite (sulfate-scale inhibitor) or sulfate removal from the injectate",
    "Celestite": "antiscalant for celestite (sulfate-scale inhibitor)",
    "Gypsum": "antiscalant for calcium sulfate",
    "Anhydrite": "antiscalant for calcium sulfate",
    "Calcite": "carbonate-scale control (antiscalant or pH adjustment) for calcite",
    "Siderite": "iron pre-treatment (oxidation and filtration) against siderite",
    "Fe(OH)3(a)": "iron pre-treatment (oxidation and filtration) and oxygen exclusion against "
    "ferric hydroxide",
}
_CONDITIONS = SCALE_CONDITIONS


@dataclass
class Finding:
    """One finding: ``severity`` is info, warning or fail."""

    code: str
    severity: str
    message: str
    evidence: dict
    basis: str
    condition: str | None = None

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "basis": self.basis,
            "condition": self.condition,
        }


@dataclass
class Review:
    proposal: Proposal
    verdict: str
    conditions: list[str]
    findings: list[Finding]
    mixing: pd.DataFrame
    compliance: pd.DataFrame
    pqi: str
    assumptions: list[str]
    versions: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The JSON form: verdict, conditions, findings, mixing, inputs_hash, versions ..."""
        mix = []
        for r in self.mixing.to_dict("records"):
            mix.append(
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            )
        p = self.proposal
        return {
            "verdict": self.verdict,
            "conditions": self.conditions,
            "findings": [f.as_dict() for f in self.findings],
            "mixing": mix,
            "inputs_hash": p.inputs_hash,
            "versions": self.versions,
            # values accepted outside their usual range (cbmwater.plausible)
            "warnings": list(p.notes),
            "proposal": {
                "title": p.title,
                "standard": p.standard,
                "formation": p.formation_name,
                "lithology": p.lithology,
                "depth_m": p.depth_m,
                "temperature_C": p.temperature_C,
                "pressure_bar": p.pressure_bar,
                "permeability_um2": p.permeability_um2,
                "permeability_class": p.permeability_class,
                "volume_m3_d": p.volume_m3_d,
                "min_separation_m": p.min_separation_m,
            },
            "assumptions": self.assumptions,
        }


# -- compatibility -----------------------------------------------------------------------------
def mixing_input(
    injectate: dict[str, float],
    formation_water: dict[str, float],
    *,
    temperature_C: float,
    pressure_bar: float,
    fractions: list[float],
    database: str = "phreeqc",
) -> str:
    """The PHREEQC input of the mixing calculation (validated numbers and fixed names only).

    Solution 1 is the injectate, solution 2 the formation water.  Simulation ``2 + 2i`` mixes
    fraction ``fractions[i]`` of injectate at formation T and P (saturation indices); simulation
    ``3 + 2i`` equilibrates that mixture with the scale minerals (precipitation only).
    """
    return mixing_input_many(
        [injectate],
        formation_water,
        temperature_C=temperature_C,
        pressure_bar=pressure_bar,
        fractions=fractions,
        database=database,
    )


def mixing_input_many(
    injectates: list[dict[str, float]],
    formation_water: dict[str, float],
    *,
    temperature_C: float,
    pressure_bar: float,
    fractions: list[float],
    database: str = "phreeqc",
) -> str:
    """One PHREEQC input that mixes each of several injectates with one formation water.

    Parameters
    ----------
    injectates : list of dict
        Canonical name -> mg/L, plus ``pH`` and ``temp_C`` (deg C), one per injectate.
    formation_water : dict
        The formation water, same form.
    temperature_C, pressure_bar : float
        Formation temperature (deg C) and pressure (bar) of every mixture.
    fractions : list of float
        Volume fractions of injectate, 0..1.

    Returns
    -------
    str
        Solution 2 is the formation water; injectate k is solution 1 (k = 0) or ``k + 2``.  For
        injectate k and fraction i (``n = k len(fractions) + i``), simulation ``2 + 2n`` mixes at
        formation T and P (saturation indices) and simulation ``3 + 2n`` equilibrates that mixture
        with :data:`SCALE_MINERALS` (precipitation only).  With one injectate this is exactly
        :func:`mixing_input`.
    """
    db = database_info(database)
    t_atm = pressure_bar / BAR_PER_ATM
    nums = [1] + [k + 2 for k in range(1, len(injectates))]
    blocks = [
        solution_block(nums[0], injectates[0], db)[0],
        solution_block(2, formation_water, db)[0],
    ]
    blocks += [solution_block(nums[k], w, db)[0] for k, w in enumerate(injectates) if k > 0]
    sols = "".join(blocks)
    lines = [
        "TITLE cbmwater reinjection compatibility (1 = injectate, 2 = formation water)"
        if len(injectates) == 1
        else "TITLE cbmwater reinjection compatibility (2 = formation water, 1 and 3... = injectates)",
        redox_definitions(db) + sols.rstrip(),
        "SELECTED_OUTPUT 1",
        "    -reset false",
        "    -simulation true",
        "    -state true",
        "    -pH true",
        "    -temperature true",
        "    -si " + " ".join(SCALE_MINERALS),
        "    -equilibrium_phases " + " ".join(SCALE_MINERALS),
        "USER_PUNCH 1",
        "    -headings soln_vol_L",
        "    10 PUNCH SOLN_VOL",
        "END",
    ]
    save = 100 * ((len(injectates) * len(fractions) + 2) // 100 + 1)
    for k in range(len(injectates)):
        for i, f in enumerate(fractions):
            n = k * len(fractions) + i + 1
            lines += mix_block(n, [(nums[k], f), (2, 1.0 - f)], temperature_C, t_atm)
            lines += [
                f"SAVE solution {save + n}",
                "END",
                f"USE solution {save + n}",
                f"EQUILIBRIUM_PHASES {n}",
            ]
            lines += [f"    {m} 0 0" for m in SCALE_MINERALS]
            lines += reaction_conditions(n, temperature_C, t_atm) + ["END"]
    return "\n".join(lines) + "\n"


def run_mixing(text: str, fractions: list[float], database: str = "phreeqc") -> pd.DataFrame:
    """Run :func:`mixing_input` text; one row per fraction: fraction_injectate, pH, temp_C,
    si_<Mineral>, scale_<Mineral>_mg_L, scale_mg_L, excess_scale_mg_L."""
    return run_mixing_many(text, fractions, 1, database)[0]


def run_mixing_many(
    text: str, fractions: list[float], n: int, database: str = "phreeqc"
) -> list[pd.DataFrame]:
    """Run :func:`mixing_input_many` text of ``n`` injectates; one frame per injectate, as
    :func:`run_mixing` returns."""
    return _mixing_frames(get_engine(database).run(text), fractions, n)


def _mixing_frames(df: pd.DataFrame, fractions: list[float], n: int) -> list[pd.DataFrame]:
    last = df.groupby("sim", sort=True).tail(1).set_index("sim")
    F = len(fractions)
    s = np.arange(n * F)
    a = last.reindex(2 + 2 * s)
    b = last.reindex(3 + 2 * s)
    cols: dict[str, np.ndarray] = {
        "fraction_injectate": np.tile(np.round(np.asarray(fractions, float), 10), n),
        "pH": a["pH"].to_numpy(float),
        "temp_C": a["temp"].to_numpy(float),
    }
    for m in SCALE_MINERALS:
        v = a[f"si_{m}"].to_numpy(float) if f"si_{m}" in a else np.full(len(s), np.nan)
        cols[f"si_{m}"] = si_or_nan(v)
    vol = b["soln_vol_L"].to_numpy(float)
    total = np.zeros(len(s))
    for m in SCALE_MINERALS:
        d = np.nan_to_num(b[f"d_{m}"].to_numpy(float)) if f"d_{m}" in b else np.zeros(len(s))
        mg = np.maximum(d, 0.0) * MOLAR_MASS_G_MOL[m] * 1000.0 / vol
        cols[f"scale_{m}_mg_L"] = mg
        total = total + mg
    cols["scale_mg_L"] = total
    whole = pd.DataFrame(cols)
    out = []
    for k in range(n):
        frame = whole.iloc[k * F : (k + 1) * F].reset_index(drop=True)
        fr = frame["fraction_injectate"]
        frame["excess_scale_mg_L"] = (
            frame["scale_mg_L"]
            - ((1 - fr) * frame["scale_mg_L"].iloc[0] + fr * frame["scale_mg_L"].iloc[-1])
        ).clip(lower=0)
        out.append(frame)
    return out


def mixing_curves(
    injectates: list[dict[str, float]],
    formation_water: dict[str, float],
    *,
    temperature_C: float,
    pressure_bar: float,
    fractions: list[float],
    database: str = "phreeqc",
    workers: int | None = None,
    chunk: int = 40,
) -> list[pd.DataFrame]:
    """The review's mixing calculation for many injectates against one formation water.

    The injectates are split into chunks of at most ``chunk``; each chunk is one
    :func:`mixing_input_many` input, run on one IPhreeqc instance per available core (threads:
    IPhreeqc releases the GIL).  Every chunk defines its own solutions, so the numbers are those
    of :func:`mixing_input` + :func:`run_mixing` for each injectate alone.

    Returns
    -------
    list of DataFrame
        One frame per injectate, in order (columns as :func:`run_mixing`).
    """
    from concurrent.futures import ThreadPoolExecutor

    from ..geochem.engine import available_cores, get_engines

    if not injectates:
        return []
    parts = [injectates[a : a + chunk] for a in range(0, len(injectates), chunk)]
    n_workers = max(1, min(workers or available_cores(), len(parts)))
    engines = get_engines(database, n_workers)

    def run(j: int) -> list[pd.DataFrame]:
        text = mixing_input_many(
            parts[j],
            formation_water,
            temperature_C=temperature_C,
            pressure_bar=pressure_bar,
            fractions=fractions,
            database=database,
        )
        return _mixing_frames(engines[j % n_workers].run(text), fractions, len(parts[j]))

    if n_workers == 1:
        done = [run(j) for j in range(len(parts))]
    else:
        with ThreadPoolExecutor(n_workers) as pool:
            done = list(pool.map(run, range(len(parts))))
    return [f for frames in done for f in frames]


@dataclass(frozen=True)
class MixingScale:
    """What mixing with the formation water deposits (from a :func:`run_mixing` frame).

    Attributes
    ----------
    excess_mg_L : float
        Largest scale formed by mixing in excess of the linear blend of what the end members
        deposit alone, mg per L of mixture (the review's fail quantity).
    fraction_at_excess : float
        Injectate fraction where it occurs.
    total_mg_L, fraction_at_total : float
        Largest total scale and its fraction.
    minerals_excess_mg_L : dict
        Each mineral's scale in excess of its end members' at ``fraction_at_excess`` (mg/L,
        only minerals with some).
    precipitating : dict
        Mineral -> largest scale at any fraction (mg/L), for minerals that precipitate or are
        supersaturated at some fraction (each a warning of the review).
    max_si : dict
        Mineral -> largest SI over the fractions (finite values only).
    """

    excess_mg_L: float
    fraction_at_excess: float
    total_mg_L: float
    fraction_at_total: float
    minerals_excess_mg_L: dict[str, float]
    precipitating: dict[str, float]
    max_si: dict[str, float]

    def exceeds(self, limit_mg_L: float | None) -> bool:
        """The review's fail rule: excess scale above the limit (no limit: never)."""
        return limit_mg_L is not None and self.excess_mg_L > limit_mg_L


def mixing_scale(mix: pd.DataFrame) -> MixingScale:
    """Summarise a mixing frame (:func:`run_mixing`) as the review judges it.

    The review fails a proposal when :attr:`MixingScale.excess_mg_L` exceeds the suspended-solids
    limit of the permeability class (assumption: scale plugs pores like suspended solids), and
    warns for every mineral in :attr:`MixingScale.precipitating`.
    """
    j = int(mix["excess_scale_mg_L"].idxmax())
    i = int(mix["scale_mg_L"].idxmax())
    f = float(mix.loc[j, "fraction_injectate"])
    per = {}
    prec = {}
    si_max = {}
    for m in SCALE_MINERALS:
        col = mix[f"scale_{m}_mg_L"]
        lin = (1 - f) * float(col.iloc[0]) + f * float(col.iloc[-1])
        ex = float(col.loc[j]) - lin
        if ex > 0:
            per[m] = ex
        si = mix[f"si_{m}"]
        if col.max() > 0 or (si > 0).any():
            prec[m] = float(col.max())
        if si.notna().any():
            si_max[m] = float(si.max())
    return MixingScale(
        float(mix.loc[j, "excess_scale_mg_L"]),
        f,
        float(mix.loc[i, "scale_mg_L"]),
        float(mix.loc[i, "fraction_injectate"]),
        per,
        prec,
        si_max,
    )


# -- the review --------------------------------------------------------------------------------
def _standard_findings(p: Proposal, table: StandardsTable) -> tuple[list[Finding], pd.DataFrame]:
    res = check_compliance(p.injectate.standard_values(), p.standard, p.permeability_class, table)
    out: list[Finding] = []
    for r in res.to_dict("records"):
        ev = {
            "parameter": r["parameter"],
            "value": None if r["value"] != r["value"] else r["value"],
            "unit": r["unit"],
            "min": None if r["min"] != r["min"] else r["min"],
            "max": None if r["max"] != r["max"] else r["max"],
            "ratio": None if r["ratio"] != r["ratio"] else r["ratio"],
            "result": r["result"],
            "status": r["status"],
            "verified": bool(r["verified"]),
            "permeability_class": p.permeability_class,
        }
        basis = f"{p.standard} class {p.permeability_class}, {r['clause']}"
        if r["result"] == "fail":
            out.append(
                Finding(
                    "STANDARD_EXCEEDED",
                    "fail",
                    f"injectate {r['parameter']} {r['value']:.4g} {r['unit']} is outside "
                    f"the limit of {p.standard} class {p.permeability_class}",
                    ev,
                    basis,
                )
            )
        elif r["result"] == "not_measured":
            out.append(
                Finding(
                    "STANDARD_NOT_MEASURED",
                    "warning",
                    f"injectate {r['parameter']} was not measured: it cannot be shown "
                    f"to meet {p.standard} class {p.permeability_class}",
                    ev,
                    basis,
                    f"measure {r['parameter']} in the injectate before approval",
                )
            )
        elif r["result"] == "inconclusive":
            out.append(
                Finding(
                    "STANDARD_INCONCLUSIVE",
                    "warning",
                    f"injectate {r['parameter']} is below a detection limit above the "
                    f"limit ({r['comment']})",
                    ev,
                    basis,
                    f"re-measure {r['parameter']} with a lower detection limit",
                )
            )
    unver = [r for r in res.to_dict("records") if not r["verified"]]
    if unver:
        out.append(
            Finding(
                "STANDARD_UNVERIFIED_LIMITS",
                "info",
                f"{len(unver)} of {len(res)} limits of {p.standard} class "
                f"{p.permeability_class} are not verified against the official text "
                "(status S/U/M); confirm before regulatory use",
                {
                    "parameters": [r["parameter"] for r in unver],
                    "statuses": sorted({r["status"] for r in unver}),
                },
                "cbmwater/databases/standards.csv status column; qinshui_standards.md §2.7",
            )
        )
    return out, res


def _compat_findings(p: Proposal, mix: pd.DataFrame, tss_limit: float | None) -> list[Finding]:
    out: list[Finding] = []
    calc = (
        f"PHREEQC MIX of injectate and formation water, {len(mix)} fractions 0-1, at "
        f"{p.temperature_C:g} deg C and {p.pressure_bar:g} bar; EQUILIBRIUM_PHASES 0 0"
    )
    ev: dict[str, Any]  # a finding's evidence: numbers, and None for a missing TSS limit
    for m in SCALE_MINERALS:
        col = f"scale_{m}_mg_L"
        if mix[col].max() <= 0 and not (mix[f"si_{m}"] > 0).any():
            continue
        i = int(mix[col].idxmax())
        si = mix[f"si_{m}"]
        ev = {
            "max_si": float(si.max()),
            "fraction_at_max_si": float(mix.loc[si.idxmax(), "fraction_injectate"]),
            "si_formation_water": float(si.iloc[0]),
            "si_injectate": float(si.iloc[-1]),
            "worst_ratio": float(mix.loc[i, "fraction_injectate"]),
            "max_scale_mg_L": float(mix.loc[i, col]),
        }
        ends = [
            name
            for name, v in (("formation water", si.iloc[0]), ("injectate", si.iloc[-1]))
            if v > 0
        ]
        self_note = (
            f"; already supersaturated in the {' and the '.join(ends)} alone"
            if ends
            else "; supersaturated only on mixing (incompatible waters)"
        )
        out.append(
            Finding(
                f"SCALE_{m.upper().replace('(', '').replace(')', '')}",
                "warning",
                f"{m} is supersaturated (SI up to {ev['max_si']:.2f}) and would "
                f"precipitate up to {ev['max_scale_mg_L']:.3g} mg/L at "
                f"{100 * ev['worst_ratio']:.0f} % injectate{self_note}",
                ev,
                calc,
                _CONDITIONS[m],
            )
        )
    i = int(mix["scale_mg_L"].idxmax())
    worst = float(mix.loc[i, "scale_mg_L"])
    j = int(mix["excess_scale_mg_L"].idxmax())
    excess = float(mix.loc[j, "excess_scale_mg_L"])
    ev = {
        "worst_ratio": float(mix.loc[i, "fraction_injectate"]),
        "scale_mg_L": worst,
        "max_excess_scale_mg_L": excess,
        "fraction_at_max_excess": float(mix.loc[j, "fraction_injectate"]),
        "tss_limit_mg_L": tss_limit,
    }
    if mixing_scale(mix).exceeds(tss_limit):
        out.append(
            Finding(
                "SCALE_EXCEEDS_TSS",
                "fail",
                f"mixing scale {excess:.3g} mg/L (in excess of what the end members "
                f"deposit alone) at {100 * ev['fraction_at_max_excess']:.0f} % injectate "
                f"exceeds the suspended-solids limit {tss_limit:g} mg/L of class "
                f"{p.permeability_class}",
                ev,
                calc + "; assumption: precipitated scale plugs pores like suspended "
                "solids, so the class's TSS limit bounds the scale formed by mixing",
            )
        )
    elif worst <= 0:
        out.append(
            Finding(
                "COMPATIBLE",
                "info",
                "no scale mineral precipitates at any mixing fraction",
                ev,
                calc,
            )
        )
    return out


def _isolation_findings(p: Proposal) -> list[Finding]:
    out: list[Finding] = []
    basis = (
        f"target depth vs protected aquifer; minimum separation {p.min_separation_m:g} m "
        "(assumption; SY/T 7640-2021 §5.2 covers the injection horizon but its numbers were "
        "not found)"
    )
    for a in p.aquifers:
        if a.top_depth_m is not None and a.top_depth_m >= p.depth_m:
            sep = a.top_depth_m - p.depth_m
            where = "above the top of"
        else:
            sep = p.depth_m - a.bottom_depth_m
            where = "below the bottom of"
        ev = {
            "aquifer": a.name,
            "target_depth_m": p.depth_m,
            "aquifer_bottom_depth_m": a.bottom_depth_m,
            "aquifer_top_depth_m": a.top_depth_m,
            "separation_m": sep,
            "min_separation_m": p.min_separation_m,
        }
        if sep < p.min_separation_m:
            out.append(
                Finding(
                    "ISOLATION_INSUFFICIENT",
                    "fail",
                    f"target formation at {p.depth_m:g} m is {sep:g} m {where} "
                    f"protected aquifer {a.name!r}; at least {p.min_separation_m:g} m "
                    "required",
                    ev,
                    basis,
                )
            )
        else:
            out.append(
                Finding(
                    "ISOLATION_OK",
                    "info",
                    f"target formation is {sep:g} m {where} protected aquifer "
                    f"{a.name!r} (>= {p.min_separation_m:g} m)",
                    ev,
                    basis,
                )
            )
    return out


def review(p: Proposal) -> Review:
    """Review a validated proposal."""
    table = load_standards()
    findings, comp = _standard_findings(p, table)
    fr = [i / (p.fractions - 1) for i in range(p.fractions)]
    inj = dict(p.injectate.values)
    fw = dict(p.formation_water.values)
    assumptions = [
        f"SY/T 5329 permeability class from formation.permeability_um2 = {p.permeability_um2:g} "
        f"µm² -> {p.permeability_class} (ranges read as upper-inclusive)",
        "not-measured and inconclusive limits are never a pass: they become conditions",
        "below-detection values enter PHREEQC at half the detection limit",
        "end-member solutions are defined at their own temperature (25 deg C when not reported), "
        "1 atm and 1 kg/L density, then mixed at formation T and P",
        f"redox basis (fe2, docs/chemistry_redox.md): injectate: {RedoxBasis().describe(inj)}; "
        f"formation water: {RedoxBasis().describe(fw)}; ammonium decoupled, nitrate and sulfate "
        "not reduced",
        f"formation pressure {p.pressure_bar:g} bar = {p.pressure_bar / BAR_PER_ATM:.6g} atm",
        "scale = equilibrium precipitation of supersaturated phases (no kinetics, no "
        "inhibition): an upper bound of what can deposit",
        "mixing scale (total minus the linear blend of the end members' own scale, which often "
        "reflects CO2 loss of the sample rather than the formation) above the class's TSS limit "
        "fails: scale plugs pores like suspended solids",
        f"minimum separation from protected aquifers {p.min_separation_m:g} m (engineering "
        "assumption; SY/T 7640-2021 §5.2 numbers not found); formation.depth_m is the top of "
        "the injected interval",
    ]
    for w, d in (("injectate", inj), ("formation.water", fw)):
        if "temp_C" not in d:
            assumptions.append(f"{w} temperature not reported: 25 deg C used")
    text = mixing_input(
        inj,
        fw,
        temperature_C=p.temperature_C,
        pressure_bar=p.pressure_bar,
        fractions=fr,
        database=p.database,
    )
    mix = run_mixing(text, fr, p.database)
    try:
        tss = table.limit(p.standard, p.permeability_class, "TSS").max
    except Exception:  # noqa: BLE001 - a class without a TSS limit: no fail threshold
        tss = None
    findings += _compat_findings(p, mix, tss)
    findings += _isolation_findings(p)
    if any(f.severity == "fail" for f in findings):
        verdict = "fail"
    elif any(f.severity == "warning" for f in findings):
        verdict = "conditional"
    else:
        verdict = "pass"
    conditions = list(
        dict.fromkeys(f.condition for f in findings if f.condition and f.severity == "warning")
    )
    db = database_info(p.database)
    versions = {
        "cbmwater": __version__,
        "iphreeqc": iphreeqc_version(),
        "database": db.name,
        "database_sha256": db.sha256,
        "standards_sha256": table.sha256,
        "python": platform.python_version(),
    }
    return Review(p, verdict, conditions, findings, mix, comp, text, assumptions, versions)


def review_file(path: str | Path) -> Review:
    """Load, validate and review a proposal TOML file."""
    return review(load_proposal(path))
