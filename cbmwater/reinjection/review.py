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
from ..i18n import Message, Text, message_dicts, message_of
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
#: The condition the review attaches to a mineral that precipitates on mixing (English text of
#: the messages ``review.condition.scale.<mineral>``).
SCALE_CONDITIONS: dict[str, str] = {
    m: Text.of(f"review.condition.scale.{m}") for m in SCALE_MINERALS
}
_CONDITIONS = SCALE_CONDITIONS


def _t(code: str, **params: Any) -> Text:
    """English text of the review message ``review.<code>`` that keeps its message."""
    return Text.of(f"review.{code}", **params)


def _unit(unit: str) -> str | Message:
    """A unit symbol, as a message where it has words in it (``cells/mL``)."""
    from ..i18n import catalogue

    code = f"symbol.{unit}"
    return Message(code) if catalogue("en", "engine").get(code) else unit


def clause_message(clause: str) -> Message:
    """A standard's clause (``standards.csv`` column ``clause``) as a message.

    ``Table 1, item 3`` and ``Table 4`` are rendered by pattern (表1第3项); the other clause
    texts of the bundled table have their own code ``standard.clause.<text>``; an unknown text
    is shown as is.
    """
    import re

    m = re.fullmatch(r"Table (\d+), item (\d+)", clause)
    if m:
        return Message("standard.clause.table_item", {"table": m[1], "item": m[2]})
    m = re.fullmatch(r"Table (\d+)", clause)
    if m:
        return Message("standard.clause.table", {"table": m[1]})
    from ..i18n import catalogue

    code = f"standard.clause.{clause}"
    return Message(code) if catalogue("en", "engine").get(code) else message_of(clause)


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
        """The JSON form; the English ``message``, ``basis`` and ``condition`` are followed by
        ``message_i18n``, ``basis_i18n`` and ``condition_i18n``: the same texts as message
        dicts (``code``, ``params``, ``text``; docs/i18n.md)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "basis": self.basis,
            "condition": self.condition,
            "message_i18n": message_of(self.message).to_dict(),
            "basis_i18n": message_of(self.basis).to_dict(),
            "condition_i18n": None
            if self.condition is None
            else message_of(self.condition).to_dict(),
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
        n_fail = sum(f.severity == "fail" for f in self.findings)
        return {
            "verdict": self.verdict,
            "conditions": self.conditions,
            # the same as messages (code, params, English text) for faces in any language
            "verdict_i18n": Message(f"review.verdict.{self.verdict}").to_dict(),
            "verdict_reason_i18n": Message(
                f"review.verdict_reason.{self.verdict}",
                {"n_fail": n_fail, "n_conditions": len(self.conditions)},
            ).to_dict(),
            "conditions_i18n": message_dicts(self.conditions),
            "assumptions_i18n": message_dicts(self.assumptions),
            "warnings_i18n": message_dicts(p.notes),
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
                # the author's Chinese title and formation name ("" when not given)
                "title_zh": p.title_zh,
                "formation_zh": p.formation_name_zh,
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
        std = Message(f"standard.{p.standard}")
        par = Message(f"param.{r['parameter']}")
        cls = p.permeability_class
        basis = _t(
            "basis.standard", standard=std, perm_class=cls, clause=clause_message(r["clause"])
        )
        if r["result"] == "fail":
            out.append(
                Finding(
                    "STANDARD_EXCEEDED",
                    "fail",
                    _t(
                        "finding.standard_exceeded",
                        parameter=par,
                        value=r["value"],
                        unit=_unit(r["unit"]),
                        standard=std,
                        perm_class=cls,
                    ),
                    ev,
                    basis,
                )
            )
        elif r["result"] == "not_measured":
            out.append(
                Finding(
                    "STANDARD_NOT_MEASURED",
                    "warning",
                    _t(
                        "finding.standard_not_measured", parameter=par, standard=std, perm_class=cls
                    ),
                    ev,
                    basis,
                    _t("condition.measure", parameter=par),
                )
            )
        elif r["result"] == "inconclusive":
            out.append(
                Finding(
                    "STANDARD_INCONCLUSIVE",
                    "warning",
                    _t(
                        "finding.standard_inconclusive",
                        parameter=par,
                        comment=message_of(r["comment"]),
                    ),
                    ev,
                    basis,
                    _t("condition.remeasure", parameter=par),
                )
            )
    unver = [r for r in res.to_dict("records") if not r["verified"]]
    if unver:
        out.append(
            Finding(
                "STANDARD_UNVERIFIED_LIMITS",
                "info",
                _t(
                    "finding.standard_unverified",
                    n=len(unver),
                    total=len(res),
                    standard=Message(f"standard.{p.standard}"),
                    perm_class=p.permeability_class,
                ),
                {
                    "parameters": [r["parameter"] for r in unver],
                    "statuses": sorted({r["status"] for r in unver}),
                },
                _t("basis.standard_status"),
            )
        )
    return out, res


def _compat_findings(p: Proposal, mix: pd.DataFrame, tss_limit: float | None) -> list[Finding]:
    out: list[Finding] = []
    calc = _t(
        "basis.mixing", n=len(mix), temperature_C=p.temperature_C, pressure_bar=p.pressure_bar
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
        ends = tuple(
            name for name, v in (("formation", si.iloc[0]), ("injectate", si.iloc[-1])) if v > 0
        )
        note = {
            ("formation",): "formation",
            ("injectate",): "injectate",
            ("formation", "injectate"): "both",
        }.get(ends, "mixing_only")
        out.append(
            Finding(
                f"SCALE_{m.upper().replace('(', '').replace(')', '')}",
                "warning",
                _t(
                    "finding.scale",
                    mineral=Message(f"phase.{m}"),
                    max_si=ev["max_si"],
                    max_scale_mg_L=ev["max_scale_mg_L"],
                    percent=100 * ev["worst_ratio"],
                    note=Message(f"review.scale_note.{note}"),
                ),
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
                _t(
                    "finding.scale_exceeds_tss",
                    excess=excess,
                    percent=100 * ev["fraction_at_max_excess"],
                    limit=tss_limit,
                    perm_class=p.permeability_class,
                ),
                ev,
                _t("basis.mixing_tss", calc=calc.message),
            )
        )
    elif worst <= 0:
        out.append(
            Finding(
                "COMPATIBLE",
                "info",
                _t("finding.compatible"),
                ev,
                calc,
            )
        )
    return out


def _isolation_findings(p: Proposal) -> list[Finding]:
    out: list[Finding] = []
    basis = _t("basis.isolation", min_separation_m=p.min_separation_m)
    for a in p.aquifers:
        if a.top_depth_m is not None and a.top_depth_m >= p.depth_m:
            sep = a.top_depth_m - p.depth_m
            where = Message("review.isolation.above_top")
        else:
            sep = p.depth_m - a.bottom_depth_m
            where = Message("review.isolation.below_bottom")
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
                    _t(
                        "finding.isolation_insufficient",
                        depth_m=p.depth_m,
                        separation_m=sep,
                        where=where,
                        aquifer=repr(a.name),
                        min_separation_m=p.min_separation_m,
                    ),
                    ev,
                    basis,
                )
            )
        else:
            out.append(
                Finding(
                    "ISOLATION_OK",
                    "info",
                    _t(
                        "finding.isolation_ok",
                        separation_m=sep,
                        where=where,
                        aquifer=repr(a.name),
                        min_separation_m=p.min_separation_m,
                    ),
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
    assumptions: list[str] = [
        _t(
            "assumption.permeability_class",
            permeability_um2=p.permeability_um2,
            perm_class=p.permeability_class,
        ),
        _t("assumption.never_pass"),
        _t("assumption.below_detection"),
        _t("assumption.end_members"),
        _t(
            "assumption.redox",
            injectate=message_of(RedoxBasis().describe(inj)),
            formation=message_of(RedoxBasis().describe(fw)),
        ),
        _t(
            "assumption.pressure",
            pressure_bar=p.pressure_bar,
            pressure_atm=p.pressure_bar / BAR_PER_ATM,
        ),
        _t("assumption.equilibrium_scale"),
        _t("assumption.mixing_scale"),
        _t("assumption.separation", min_separation_m=p.min_separation_m),
    ]
    for w, d in (("injectate", inj), ("formation.water", fw)):
        if "temp_C" not in d:
            assumptions.append(
                _t("assumption.temperature_missing", water=Message(f"review.water.{w}"))
            )
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
