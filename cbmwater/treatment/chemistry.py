"""PHREEQC-backed unit chemistry, batched: every water of a batch in one PHREEQC run.

* :func:`equilibrate` — lime / lime-soda softening, pH adjustment and oxidation: each water is
  equilibrated with a fixed pH reached by dosing a reagent (PHREEQC's ``Fix_H+`` pseudo-phase,
  Parkhurst & Appelo 2013, "Fix_pH" idiom), with optional fixed reagent additions, gas phases
  (O2, CO2) and the minerals allowed to precipitate.  Returns the new composition, the reagent
  dosed and the precipitated solids.
* :func:`concentrate_limit` — the highest recovery at which the concentrate of a membrane stays
  below the antiscalant SI allowance of every listed mineral, found by removing water from the
  feed in PHREEQC (full rejection assumed: the concentrate holds every ion of the feed).

Conversions: PHREEQC works per kg of water; results are scaled to one litre of feed with
``s = m_w / (1 - TDS)`` litres per PHREEQC system (density 1 kg/L), the same factor PHREEQC used
to read the mg/L input.  Element totals of the product are the feed's times PHREEQC's
final/initial mole ratio, so mass balances close to rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import GeochemError, InputError
from ..geochem.databases import DatabaseInfo, database_info
from ..geochem.engine import get_engine, run_blocks
from ..geochem.phreeqc_input import fmt, phreeqc_element, redox_definitions, solution_block
from ..geochem.redox import RedoxBasis, parse_redox
from ..i18n import Text, joined
from ..water.phases import MINERALS, REAGENTS
from ..water.vocabulary import CONSTITUENTS, molar_mass
from .library import MEMBRANE_CO2_POLICIES
from .streams import INDEX, NOT_DISSOLVED, TRACKED, StreamBatch

__all__ = [
    "TREATMENT_PHASES",
    "PHASE_MOLAR_MASS",
    "Equilibrium",
    "equilibrate",
    "ConcentrateLimit",
    "feed_log_pco2",
    "CO2_POLICIES",
    "fe2_oxidation_half_life_s",
    "concentrate_limit",
    "REAGENT_FORMULAS",
    "ClosedCarbonProduct",
    "closed_carbon_product",
]

#: Phases a treatment unit may precipitate or dissolve (PHREEQC names; rows of
#: :data:`cbmwater.water.phases.MINERALS`, which give the molar mass and the ions released).
TREATMENT_PHASES: tuple[str, ...] = (
    "Calcite",
    "Aragonite",
    "Brucite",
    "Fe(OH)3(a)",
    "Pyrolusite",
    "Gibbsite",
    "Gypsum",
    "Barite",
    "Siderite",
    "Rhodochrosite",
    "Fluorite",
)
#: g/mol of phases that may precipitate (dry sludge mass).
PHASE_MOLAR_MASS = {p: MINERALS[p].molar_mass for p in TREATMENT_PHASES}
#: PHREEQC formulas of reagents cbmwater can dose (economics.toml chemical id -> formula).
REAGENT_FORMULAS: dict[str, str] = {
    chem: REAGENTS[f].phreeqc
    for f in ("Ca(OH)2", "CaO", "NaOH", "Na2CO3", "HCl", "H2SO4")
    if (chem := REAGENTS[f].chemical) is not None
}
#: Reagents dosed as a mixture of PHREEQC formulas per mole of chemical (fixed doses only).
#: PAC is counted per mole of Al2O3 equivalent (economics.toml [chemicals.pac]): 2 Al and, at
#: basicity 0.70, 1.8 Cl and 4.2 OH -- written as 0.6 AlCl3 + 1.4 Al(OH)3, so PHREEQC receives
#: the Al, the Cl and the hydroxide (the alkalinity the coagulant does not consume).
REAGENT_RECIPES = {"pac": {"AlCl3": 0.6, "Al(OH)3": 1.4}}
_KNOBS_PATIENT = "KNOBS\n    -iterations 400\n    -step_size 10\n    -pe_step_size 5\n"
_KNOBS_DEFAULT = "KNOBS\n    -iterations 100\n    -step_size 100\n    -pe_step_size 10\nEND\n"
_FIX_PH_PHASE = "PHASES\nFix_H+\n    H+ = H+\n    log_k 0.0\nEND\n"
#: Phases some databases lack, with the definition of the phases table (wateq4f.dat constants).
_EXTRA_PHASES: dict[str, str] = {p: d for p in TREATMENT_PHASES if (d := MINERALS[p].definition)}
_DISSOLVED = [n for n in TRACKED if CONSTITUENTS.get(n) is not None and CONSTITUENTS[n].phreeqc]


def treatment_redox(redox: str | RedoxBasis | None) -> RedoxBasis:
    """The redox basis of waters in a treatment train: ``"fe2"`` (default: total Fe of a
    produced water is Fe(II)) or ``"pe:VALUE"`` (total Fe distributed by that pe; ``pe:4`` is
    PHREEQC's default, the behaviour before the redox policy).  ``"measured"`` is refused: a
    treatment stream carries total Fe only (and DO, set by the units), so there is nothing to
    derive a pe from; characterise a water with ``--redox measured`` instead.
    """
    basis = parse_redox(redox)
    if basis.kind == "measured":
        raise InputError(Text.of("treatment.redox_measured"))
    return basis


def _values_for(batch: StreamBatch, i: int) -> dict[str, float]:
    vals = {n: batch.conc_mg_L[i, INDEX[n]] for n in TRACKED if n not in NOT_DISSOLVED}
    vals["pH"] = batch.pH[i]
    vals["temp_C"] = batch.temp_C[i]
    return vals


def _litres_per_system(water_kg: np.ndarray, conc: np.ndarray) -> np.ndarray:
    solutes_kg_per_L = (
        np.nansum(conc[:, [INDEX[n] for n in TRACKED if n not in NOT_DISSOLVED]], axis=1) / 1e6
    )
    return water_kg / (1.0 - solutes_kg_per_L)


@dataclass
class Equilibrium:
    """Result of :func:`equilibrate` for a batch (arrays of length n; conc per litre of feed).

    Attributes
    ----------
    conc_mg_L : ndarray (n, len(TRACKED))
        Dissolved composition after the reaction (TSS/COD copied from the feed).
    pH : ndarray
    reagent_mmol_L : ndarray
        Reagent dosed to reach the target pH, mmol per litre of feed (0 where none).
    reagent : list of str
        Chemical id dosed for each water ("" where none was needed).
    precipitated_mmol_L : dict
        Phase -> mmol per litre of feed.
    added_mg_L : ndarray (n, len(TRACKED))
        Mass added by reagents and by dissolved phases, mg per litre of feed.
    input : str
        The PHREEQC input that was run.
    dissolved_mmol_L : dict
        Phase -> mmol per litre of feed dissolved (``dissolves``).
    log_a_OH : ndarray
        log10 activity of OH- after the reaction (for rate laws).
    """

    conc_mg_L: np.ndarray
    pH: np.ndarray
    reagent_mmol_L: np.ndarray
    reagent: list[str]
    precipitated_mmol_L: dict[str, np.ndarray]
    added_mg_L: np.ndarray
    input: str
    dissolved_mmol_L: dict[str, np.ndarray] = field(default_factory=dict)
    log_a_OH: np.ndarray | None = None


def equilibrate(
    batch: StreamBatch,
    *,
    target_pH: float | None = None,
    base: str | None = None,
    acid: str | None = None,
    fixed_reagents_mmol_L: dict[str, np.ndarray] | None = None,
    gases: Mapping[str, float | np.ndarray] | None = None,
    precipitates: tuple[str, ...] = (),
    adds_mol: dict[str, dict[str, float]] | None = None,
    database: str | None = None,
    dissolves: dict[str, float] | None = None,
    redox: str | None = None,
) -> Equilibrium:
    """Equilibrate every water of ``batch`` in one PHREEQC run (see module docstring).

    Parameters
    ----------
    target_pH : float, optional
        pH reached by dosing ``base`` (if the water is below it) or ``acid`` (if above).
    base, acid : str, optional
        Chemical ids in :data:`REAGENT_FORMULAS`.
    fixed_reagents_mmol_L : dict, optional
        Chemical id -> mmol per litre of feed added as a fixed reaction (e.g. soda ash).
    gases : dict, optional
        Gas phase -> log10 partial pressure (atm) kept constant (``{"O2(g)": -0.68}``); a
        value may be an array with one pressure per water.
    precipitates : tuple of str
        Phases allowed to precipitate (not to dissolve) — others stay supersaturated.
    adds_mol : dict
        Chemical id -> {canonical constituent: mol per mol of chemical}, for the mass balance.
    dissolves : dict, optional
        Phase -> target saturation index: the water dissolves the phase (e.g. a calcite
        contactor) up to that SI; what dissolves is counted in ``added_mg_L``.
    redox : str, optional
        Redox basis of the waters (:func:`treatment_redox`): ``"fe2"`` (default) or
        ``"pe:VALUE"``.
    """
    db = database_info(database)
    n = len(batch)
    if target_pH is not None and not (2.0 <= target_pH <= 13.0):
        raise InputError(Text.of("treatment.error.target_pH", value=target_pH))
    fixed = fixed_reagents_mmol_L or {}
    for chem in list(fixed) + [c for c in (base, acid) if c]:
        if chem not in REAGENT_FORMULAS and not (chem in fixed and chem in REAGENT_RECIPES):
            raise InputError(
                Text.of(
                    "treatment.error.cannot_dose",
                    reagent=repr(chem),
                    known=joined(list(REAGENT_FORMULAS)),
                )
            )
    for p in precipitates:
        if p not in PHASE_MOLAR_MASS:
            raise InputError(
                Text.of(
                    "treatment.error.unknown_precipitate",
                    phase=repr(p),
                    known=joined(list(PHASE_MOLAR_MASS)),
                )
            )
    dissolves = dict(dissolves or {})
    for p, si in dissolves.items():
        if p not in PHASE_MOLAR_MASS or p in precipitates:
            raise InputError(
                Text.of(
                    "treatment.error.cannot_dissolve",
                    phase=repr(p),
                    known=joined(list(PHASE_MOLAR_MASS)),
                )
            )
        if not -3.0 <= float(si) <= 1.0:
            raise InputError(Text.of("treatment.error.target_si", phase=p, value=si))
    gases = gases or {}
    totals = [e for e in (phreeqc_element(nm, db) for nm in _DISSOLVED) if e]
    phases_out = (
        (["Fix_H+"] if target_pH is not None else [])
        + list(precipitates)
        + list(dissolves)
        + list(gases)
    )
    extra = [_EXTRA_PHASES[p] for p in precipitates if p not in db.phases and p in _EXTRA_PHASES]
    absent = [p for p in precipitates if p not in db.phases and p not in _EXTRA_PHASES]
    if absent:
        raise InputError(
            Text.of("treatment.error.db_lacks_phases", database=db.name, phases=joined(absent))
        )
    phase_defs = _FIX_PH_PHASE.replace("END\n", "".join(extra) + "END\n")
    head = [
        redox_definitions(db),
        phase_defs,
        "SELECTED_OUTPUT 1\n    -reset false\n    -state true\n    -pH true\n"
        "    -water true\n    -alkalinity true\n    -molalities HCO3- CO3-2 OH- H+\n"
        "    -activities OH-\n"
        f"    -totals {' '.join(totals + (['O(0)'] if 'O2(g)' in gases else []))}\n",
    ]
    if phases_out:
        head.append(f"    -equilibrium_phases {' '.join(phases_out)}\n")
    head_text = "".join(head)
    blocks: list[str] = []
    reagents_used: list[str] = []
    # litres of feed per PHREEQC system (1 kg of water): fixed doses per litre are scaled by it
    s_pre = _litres_per_system(np.ones(n), batch.conc_mg_L)
    for i in range(n):
        num = i + 1
        block, _ = solution_block(num, _values_for(batch, i), db, redox=treatment_redox(redox))
        parts = [block]
        lines = [f"EQUILIBRIUM_PHASES {num}"]
        chosen = ""
        if target_pH is not None:
            ph0 = batch.pH[i]
            if ph0 < target_pH and base:
                chosen = base
            elif ph0 > target_pH and acid:
                chosen = acid
            if chosen:
                lines.append(f"    Fix_H+ {fmt(-target_pH)} {REAGENT_FORMULAS[chosen]} 10")
        reagents_used.append(chosen)
        for p in precipitates:
            lines.append(f"    {p} 0 0")
        for p, si in dissolves.items():
            lines.append(f"    {p} {fmt(si)} 10")
        for g, logp in gases.items():
            lines.append(f"    {g} {fmt(np.broadcast_to(np.asarray(logp, float), (n,))[i])} 10")
        parts.append("\n".join(lines) + "\n")
        fixed_here = {
            c: float(np.broadcast_to(np.asarray(v, float), (n,))[i]) for c, v in fixed.items()
        }
        fixed_here = {c: v for c, v in fixed_here.items() if v > 0}
        if fixed_here:
            terms = []
            for c, v in fixed_here.items():
                recipe = REAGENT_RECIPES.get(c) or {REAGENT_FORMULAS[c]: 1.0}
                terms += [f"    {f} {fmt(v * k * s_pre[i])}\n" for f, k in recipe.items()]
            # mmol -> mol: coefficients are mmol, total 0.001 mol
            parts.append(f"REACTION {num}\n" + "".join(terms) + "    0.001 moles\n")
        parts.append("END\n")  # one simulation: the solution, then its batch reaction
        blocks.append("".join(parts))
    text = head_text + "".join(blocks) + "END\n"
    try:
        out = run_blocks(head_text, blocks, db.path)
    except GeochemError:
        # PHREEQC's default 100 iterations are not always enough (e.g. Ca-free, Mg-rich brines
        # at pH 10.3); retry once with more iterations and smaller steps, then restore the
        # defaults (KNOBS persist in an IPhreeqc instance)
        text = _KNOBS_PATIENT + text + _KNOBS_DEFAULT
        out = get_engine(db.path).run(text)
    state = out["state"].astype(str).str.strip()
    init = out[state == "i_soln"].reset_index(drop=True)
    react = out[state == "react"].reset_index(drop=True)
    if len(init) != n or len(react) != n:
        raise GeochemError(
            Text.of("treatment.error.phreeqc_rows", init=len(init), react=len(react), n=n)
        )
    s = _litres_per_system(init["mass_H2O"].to_numpy(float), batch.conc_mg_L)
    conc = batch.conc_mg_L.copy()
    added = np.zeros_like(conc)
    w0, w1 = init["mass_H2O"].to_numpy(float), react["mass_H2O"].to_numpy(float)
    reagent_mmol = np.zeros(n)
    if "d_Fix_H+" in react:
        reagent_mmol = -react["d_Fix_H+"].to_numpy(float) * 1000.0 / s
    adds_mol = adds_mol or {}
    for i, chem in enumerate(reagents_used):
        if chem:
            for nm, k in adds_mol.get(chem, {}).items():
                if nm in INDEX:
                    added[i, INDEX[nm]] += reagent_mmol[i] * k * CONSTITUENTS[nm].molar_mass
    for chem, dose in fixed.items():
        for nm, k in adds_mol.get(chem, {}).items():
            if nm in INDEX:
                added[:, INDEX[nm]] += (
                    np.broadcast_to(np.asarray(dose, float), (n,)) * k * molar_mass(nm)
                )
    dissolved = {}
    for p in dissolves:
        col = f"d_{p}"
        dissolved[p] = -react[col].to_numpy(float) * 1000.0 / s if col in react else np.zeros(n)
        for nm, k in MINERALS[p].ions.items():
            added[:, INDEX[nm]] += dissolved[p] * k * molar_mass(nm)
    for nm in _DISSOLVED:
        el = phreeqc_element(nm, db)
        if el is None or el not in react:
            continue
        j = INDEX[nm]
        m0 = init[el].to_numpy(float) * w0
        m1 = react[el].to_numpy(float) * w1
        feed = conc[:, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(m0 > 0, m1 / m0, np.nan)
        from_moles = m1 * CONSTITUENTS[nm].molar_mass * 1000.0 / s
        conc[:, j] = np.where(
            np.isnan(feed), np.where(added[:, j] > 0, from_moles, np.nan), feed * ratio
        )
    if "O2(g)" in gases and "O(0)" in react:
        # dissolved oxygen of a water equilibrated with O2(g): O(0) mol x 15.999 g/mol (mg/L O2)
        conc[:, INDEX["DO"]] = react["O(0)"].to_numpy(float) * w1 / s * 15.999 * 1000.0
    ph = react["pH"].to_numpy(float)
    # carbonate: carbonate alkalinity split into HCO3/CO3 by PHREEQC's free-ion ratio
    alk_eq = react["Alk"].to_numpy(float) * w1 / s
    # the total alkalinity is carried on (as HCO3 + 2 CO3): with the pH it is what PHREEQC reads
    # back, and OH- alkalinity after lime softening would otherwise make the next unit's input
    # inconsistent ("non-carbonate alkalinity greater than total alkalinity")
    carb = np.maximum(alk_eq, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = react["m_CO3-2"].to_numpy(float) / react["m_HCO3-"].to_numpy(float)
    rho = np.nan_to_num(rho, nan=0.0, posinf=0.0)
    hco3_mol = carb / (1 + 2 * rho)
    had_carb = ~(
        np.isnan(batch.conc_mg_L[:, INDEX["HCO3"]]) & np.isnan(batch.conc_mg_L[:, INDEX["CO3"]])
    )
    conc[:, INDEX["HCO3"]] = np.where(
        had_carb, hco3_mol * CONSTITUENTS["HCO3"].molar_mass * 1000, np.nan
    )
    conc[:, INDEX["CO3"]] = np.where(
        had_carb, rho * hco3_mol * CONSTITUENTS["CO3"].molar_mass * 1000, np.nan
    )
    precip = {}
    for p in precipitates:
        col = f"d_{p}"
        precip[p] = react[col].to_numpy(float) * 1000.0 / s if col in react else np.zeros(n)
    la_oh = react["la_OH-"].to_numpy(float) if "la_OH-" in react else None
    return Equilibrium(conc, ph, reagent_mmol, reagents_used, precip, added, text, dissolved, la_oh)


def fe2_oxidation_half_life_s(log_a_OH: np.ndarray, p_O2_atm: float) -> np.ndarray:
    """Half-life of Fe(II) oxidation by dissolved O2, s.

    -dFe(II)/dt = (2.91e-9 + 1.33e12 a_OH^2 p_O2) Fe(II) (s^-1, p_O2 in atm), the Singer-Stumm
    form used in PHREEQC example 9; t_1/2 = ln 2 / k.  At 25 deg C in air-saturated water:
    pH 6.5 -> 41 min, 7.0 -> 4.1 min, 7.5 -> 25 s (reference/treatment_chemistry.md §4).
    Carbonate complexes of Fe(II) make real Na-HCO3 waters faster (King 1998), so this is an
    upper bound.

    References
    ----------
    Singer, P.C., Stumm, W. (1970) Science 167, 1121; Parkhurst, D.L., Appelo, C.A.J. (2013)
    USGS TM 6-A43, example 9.
    """
    k = 2.91e-9 + 1.33e12 * (10.0 ** np.asarray(log_a_OH, float)) ** 2 * p_O2_atm
    return np.log(2.0) / k


@dataclass
class ConcentrateLimit:
    """Highest recovery before a concentrate mineral exceeds its SI allowance (per water).

    Attributes
    ----------
    recovery_limit : ndarray
        Fraction (0..max_recovery).  Equal to ``max_recovery`` where no allowance is reached.
    limiting_mineral : list of str
        The mineral that sets the limit ("" where none does within ``max_recovery``).
    si_at_limit : dict
        Mineral -> SI of the concentrate at the limit (at ``max_recovery`` where no allowance
        is reached); NaN where an element of the mineral was not measured.
    input : str
        The PHREEQC inputs that were run: the coarse pass, then the refining pass (if any).
    feed_log_pco2 : ndarray
        log10 pCO2 (atm) the concentrate was held at (NaN with the ``closed`` policy).
    co2_policy : str
        ``"feed_pco2"`` or ``"closed"``.
    """

    recovery_limit: np.ndarray
    limiting_mineral: list[str]
    si_at_limit: dict[str, np.ndarray]
    input: str
    feed_log_pco2: np.ndarray | None = None
    co2_policy: str = "feed_pco2"


_WATER_MOL_PER_KG = 1000.0 / 18.0153


#: Carbonate policies of a membrane concentrate (see :func:`concentrate_limit`).
CO2_POLICIES = MEMBRANE_CO2_POLICIES


def feed_log_pco2(
    batch: StreamBatch, database: str | None = None, redox: str | None = None
) -> np.ndarray:
    """log10 pCO2 (atm) of every water, by PHREEQC speciation (NaN where no carbonate).

    The free CO2 of a water expressed as the partial pressure it would be in equilibrium with
    (SI of CO2(g)); used to hold a membrane concentrate's CO2 at the feed's.
    """
    db = database_info(database)
    n = len(batch)
    head = redox_definitions(db) + "SELECTED_OUTPUT 1\n    -reset false\n    -si CO2(g)\n"
    basis = treatment_redox(redox)
    blocks = [solution_block(i + 1, _values_for(batch, i), db, redox=basis)[0] for i in range(n)]
    out = run_blocks(head, blocks, db.path)
    v = out["si_CO2(g)"].to_numpy(float)
    return np.where(v <= -999, np.nan, v)


def _concentration_run(
    batch: StreamBatch,
    grids: list[np.ndarray],
    minerals: list[str],
    db: DatabaseInfo,
    log_pco2: np.ndarray | None = None,
    rejection: np.ndarray | None = None,
    redox: str | None = None,
) -> tuple[pd.DataFrame, str]:
    basis = treatment_redox(redox)
    head = (
        redox_definitions(db) + "SELECTED_OUTPUT 1\n    -reset false\n    -state true\n"
        f"    -solution true\n    -reaction true\n    -pH true\n    -si {' '.join(minerals)}\n"
    )
    blocks = []
    if rejection is not None:
        # per-ion concentration along the channel: c = c_f (1 - r)^-R (see
        # treatment.models.membrane_mass_removal); one solution per water and recovery, held
        # at the feed's pCO2; a zero reaction step gives every one a "react" row
        num = 0
        names = [n for n in TRACKED if n not in NOT_DISSOLVED]
        for i, grid in enumerate(grids):
            base = _values_for(batch, i)
            for r in grid:
                num += 1
                vals = dict(base)
                for nm in names:
                    vals[nm] = base[nm] * (1.0 - r) ** (-rejection[i, INDEX[nm]])
                block, _ = solution_block(num, vals, db, redox=basis)
                if log_pco2 is not None and np.isfinite(log_pco2[i]):
                    block += f"EQUILIBRIUM_PHASES {num}\n    CO2(g) {fmt(log_pco2[i])} 10\n"
                blocks.append(block + f"REACTION {num}\n    H2O 1\n    0 moles\nEND\n")
        return run_blocks(head, blocks, db.path), head + "".join(blocks) + "END\n"
    for i, grid in enumerate(grids):
        num = i + 1
        block, _ = solution_block(num, _values_for(batch, i), db, redox=basis)
        if log_pco2 is not None and np.isfinite(log_pco2[i]):
            # free CO2 passes the membrane: the concentrate keeps the feed's CO2 (FilmTec)
            block += f"EQUILIBRIUM_PHASES {num}\n    CO2(g) {fmt(log_pco2[i])} 10\n"
        moles = " ".join(fmt(r * _WATER_MOL_PER_KG) for r in grid)
        blocks.append(block + f"REACTION {num}\n    H2O -1\n    {moles} moles\nEND\n")
    text = head + "".join(blocks) + "END\n"
    return run_blocks(head, blocks, db.path), text


def concentrate_limit(
    batch: StreamBatch,
    allowance: dict[str, float],
    max_recovery: float,
    database: str | None = None,
    co2: str = "feed_pco2",
    rejection: np.ndarray | None = None,
    redox: str | None = None,
) -> ConcentrateLimit:
    """Recovery limit of a membrane by concentrate scaling, for every water (PHREEQC).

    The feed is concentrated by removing water (REACTION ``H2O -1``): at recovery r, 55.51 r mol
    of water per kg are removed, so every ion is concentrated by 1/(1 - r) (full rejection,
    the conservative case).  Carbonate policy ``co2``:

    * ``"feed_pco2"`` (default): dissolved CO2 is a gas that the membrane does not reject, so the
      concentrate's free CO2 stays at the feed's while bicarbonate is concentrated (FilmTec RO
      Technical Manual §2.4.2.1: "free CO2 in concentrate = feed"; reference/
      treatment_chemistry.md §1 [V]).  The concentrate is held in equilibrium with CO2(g) at the
      feed's log pCO2 (:func:`feed_log_pco2`) at every recovery; the CO2 it gives up is what
      the permeate carries.  Its pH rises about log10(1/(1 - r)) and calcite saturates sooner.
    * ``"closed"``: all CO2 stays in the concentrate (the behaviour before this policy; kept
      only for comparison: it understates the concentrate's pH and scaling).

    ``rejection`` (n, len(TRACKED)), optional: per-ion rejections R of a membrane that passes a
    large share of some ions (loose NF): the concentrate then holds c_f (1 - r)^-R of each
    (the channel balance of :func:`cbmwater.treatment.models.membrane_mass_removal`, ASTM D3739
    with salt passage) instead of c_f / (1 - r); each point is a PHREEQC solution of that
    composition (CO2 held as above).  None (default): full rejection, the FilmTec method.

    A coarse pass over r = 0.05 .. ``max_recovery`` brackets the first
    crossing of ``SI > allowance`` for any mineral; a second pass of 20 steps inside the bracket
    and linear interpolation place it to better than 0.3 % recovery.

    Parameters
    ----------
    batch : StreamBatch
        Membrane feeds.
    allowance : dict
        Mineral (PHREEQC phase name) -> highest concentrate SI allowed with the antiscalant.
    max_recovery : float
        Design upper bound (0 < r < 1).
    """
    db = database_info(database)
    n = len(batch)
    if not 0 < max_recovery < 1:
        raise InputError(Text.of("treatment.error.max_recovery", value=max_recovery))
    if co2 not in CO2_POLICIES:
        raise InputError(
            Text.of(
                "treatment.error.co2_policy", allowed=joined(list(CO2_POLICIES)), value=repr(co2)
            )
        )
    logp = feed_log_pco2(batch, database, redox) if co2 == "feed_pco2" else None
    minerals = [m for m in allowance if m in db.phases]
    missing = [m for m in allowance if m not in db.phases]
    if missing:
        raise InputError(
            Text.of("treatment.error.db_lacks_phases", database=db.name, phases=joined(missing))
        )
    coarse = np.unique(np.concatenate([np.arange(0.05, max_recovery, 0.05), [max_recovery]]))
    out, coarse_text = _concentration_run(batch, [coarse] * n, minerals, db, logp, rejection, redox)
    lo = np.zeros(n)
    hi = np.full(n, np.nan)
    react = out[out["state"].astype(str).str.strip() == "react"]
    si_cols = {m: f"si_{m}" for m in minerals}
    steps = len(coarse)
    if len(react) != n * steps:
        raise GeochemError(
            Text.of("treatment.error.phreeqc_steps", got=len(react), n=n, steps=steps)
        )
    # (water, step) arrays: PHREEQC writes each water's steps in order, waters in order
    si_c = {m: react[si_cols[m]].to_numpy(float).reshape(n, steps) for m in minerals}
    si_at = {m: np.where(si_c[m][:, -1] <= -999, np.nan, si_c[m][:, -1]) for m in minerals}
    exceed = np.zeros((n, steps), dtype=bool)
    for m in minerals:
        exceed |= (si_c[m] > allowance[m]) & (si_c[m] > -999)
    any_ex = exceed.any(axis=1)
    first = np.argmax(exceed, axis=1)
    hi[any_ex] = coarse[first[any_ex]]
    lo[any_ex] = np.where(first[any_ex] > 0, coarse[np.maximum(first[any_ex] - 1, 0)], 0.0)
    # refine inside the brackets
    need = ~np.isnan(hi)
    limit = np.full(n, max_recovery)
    mineral = [""] * n
    text = ""
    if need.any():
        idx = np.flatnonzero(need)
        grids = [np.linspace(max(lo[i], 1e-4), hi[i], 21) for i in idx]  # 21 = fine steps
        sub = StreamBatch(
            batch.flow_m3_d[idx], batch.conc_mg_L[idx], batch.temp_C[idx], batch.pH[idx]
        )
        out2, text = _concentration_run(
            sub,
            grids,
            minerals,
            db,
            None if logp is None else logp[idx],
            None if rejection is None else rejection[idx],
            redox,
        )
        react2 = out2[out2["state"].astype(str).str.strip() == "react"]
        fine = 21
        si_f = {m: react2[si_cols[m]].to_numpy(float).reshape(len(idx), fine) for m in minerals}
        for k, i in enumerate(idx):
            grid = grids[k]
            best_r, best_m = hi[i], ""
            for m in minerals:
                over = si_f[m][k] - allowance[m]
                crossing = np.flatnonzero((over > 0) & (si_f[m][k] > -999))
                if not len(crossing):
                    continue
                j = crossing[0]
                if j == 0:
                    r = grid[0]
                else:
                    r = grid[j - 1] + (grid[j] - grid[j - 1]) * (-over[j - 1]) / (
                        over[j] - over[j - 1]
                    )
                if r < best_r:
                    best_r, best_m = r, m
            limit[i] = best_r
            mineral[i] = best_m
            for m in minerals:
                si = si_f[m][k]
                si_at[m][i] = np.nan if si.min() <= -999 else float(np.interp(best_r, grid, si))
    return ConcentrateLimit(
        limit,
        mineral,
        si_at,
        coarse_text + ("\n" + text if text else ""),
        logp if logp is not None else np.full(n, np.nan),
        co2,
    )


def _feed_carbon(
    sub: StreamBatch, db: DatabaseInfo, basis: RedoxBasis
) -> tuple[np.ndarray, np.ndarray, str]:
    """Total inorganic carbon C(4) and free CO2 of every water, mol per litre, by PHREEQC
    speciation of its pH and alkalinity; and the input that was run."""
    head = (
        redox_definitions(db)
        + "SELECTED_OUTPUT 1\n    -reset false\n    -water true\n    -totals C(4)\n"
        "    -molalities CO2\n"
    )
    blocks = [
        solution_block(k + 1, _values_for(sub, k), db, redox=basis)[0] for k in range(len(sub))
    ]
    f = run_blocks(head, blocks, db.path)
    w = f["mass_H2O"].to_numpy(float)
    s = _litres_per_system(w, sub.conc_mg_L)
    ct = f["C(4)"].to_numpy(float) * w / s
    co2 = f["m_CO2"].to_numpy(float) * w / s
    return ct, co2, head + "".join(blocks) + "END\n"


def _balanced_on_pH(
    product: StreamBatch, idx: np.ndarray, ct_mmol: np.ndarray, db: DatabaseInfo, basis: RedoxBasis
) -> tuple[pd.DataFrame, str]:
    """Product waters ``idx`` of ``product``, each with total inorganic carbon ``ct_mmol``
    (mmol/L), charge-balanced on pH by PHREEQC; returns the selected output (pH, water, Alk,
    C(4), HCO3-/CO3-2 molalities) and the input.

    The product's own carbonate (HCO3 + CO3, its alkalinity) is not entered: C(4) is.  So that an
    analysis' own ion imbalance does not move the pH, the product's imbalance (cations - anions,
    HCO3/CO3 included, meq/L) is first offset in the PHREEQC input alone by Cl (excess cations)
    or Na (excess anions): the charge balance then returns the product's alkalinity.
    """
    from ..water.qa import ANIONS, CATIONS, meq_per_L

    frame = pd.DataFrame(product.conc_mg_L[idx], columns=list(TRACKED))
    meq = meq_per_L(frame)
    imbalance = (meq[list(CATIONS)].sum(axis=1) - meq[list(ANIONS)].sum(axis=1)).to_numpy()
    head = (
        redox_definitions(db) + "SELECTED_OUTPUT 1\n    -reset false\n    -pH true\n"
        "    -water true\n    -alkalinity true\n    -totals C(4)\n"
        "    -molalities HCO3- CO3-2\n"
    )
    blocks = []
    for k, i in enumerate(idx):
        vals = _values_for(product, int(i))
        vals["HCO3"] = vals["CO3"] = float("nan")
        d = imbalance[k]
        if d > 0:
            vals["Cl"] = np.nan_to_num(vals["Cl"]) + d * CONSTITUENTS["Cl"].equivalent_mass
        elif d < 0:
            vals["Na"] = np.nan_to_num(vals["Na"]) - d * CONSTITUENTS["Na"].equivalent_mass
        block, _ = solution_block(k + 1, vals, db, charge_balance="pH", redox=basis)
        blocks.append(block + f"    C(4) {fmt(ct_mmol[k])} mmol/l\n")
    return run_blocks(head, blocks, db.path), head + "".join(blocks) + "END\n"


def permeate_pH(
    feed: StreamBatch,
    permeate: StreamBatch,
    carbonate_passage: np.ndarray,
    database: str | None = None,
    redox: str | None = None,
) -> tuple[np.ndarray, str]:
    """pH of a membrane permeate, by PHREEQC.

    Dissolved CO2 passes a membrane at the feed concentration while bicarbonate and carbonate
    are rejected like other ions (the permeate's HCO3/CO3 of the zero-order split, i.e. its
    alkalinity).  So the permeate's total inorganic carbon is the feed's CO2 plus
    ``carbonate_passage`` (per litre of permeate) of the feed's other inorganic carbon.  The feed
    is speciated for its CO2 and total carbon; the permeate, given that total carbon, is then
    charge-balanced on pH.  So that an analysis' own ion imbalance does not move the pH, the
    permeate's imbalance (cations - anions, HCO3/CO3 included, meq/L) is first offset in the
    PHREEQC input alone by Cl (excess cations) or Na (excess anions): the charge balance then
    returns the permeate's alkalinity.

    Returns
    -------
    pH : ndarray
        For every water; NaN where the feed has no alkalinity measured.
    input : str
        The two PHREEQC inputs that were run.
    """
    db = database_info(database)
    n = len(feed)
    had = ~(np.isnan(feed.conc_mg_L[:, INDEX["HCO3"]]) & np.isnan(feed.conc_mg_L[:, INDEX["CO3"]]))
    out_ph = np.full(n, np.nan)
    idx = np.flatnonzero(had)
    if not len(idx):
        return out_ph, ""
    sub = StreamBatch(feed.flow_m3_d[idx], feed.conc_mg_L[idx], feed.temp_C[idx], feed.pH[idx])
    basis = treatment_redox(redox)
    ct, co2, text1 = _feed_carbon(sub, db, basis)
    ct_mmol = 1000.0 * (co2 + (ct - co2) * carbonate_passage[idx])
    p, text2 = _balanced_on_pH(permeate, idx, ct_mmol, db, basis)
    out_ph[idx] = p["pH"].to_numpy(float)
    return out_ph, text1 + "\n" + text2


@dataclass
class ClosedCarbonProduct:
    """Result of :func:`closed_carbon_product` (arrays of length n; NaN where not computed).

    Attributes
    ----------
    pH : ndarray
    hco3_mg_L, co3_mg_L : ndarray
        The product's alkalinity split by PHREEQC's free-ion ratio (as :func:`equilibrate`).
    dic_mmol_L : ndarray
        Total inorganic carbon C(4) of the product, mmol per litre of product.
    feed_dic_mmol_L : ndarray
        Total inorganic carbon C(4) of the feed, mmol per litre of feed.
    input : str
        The two PHREEQC inputs that were run (feed speciation, product charge balance).
    """

    pH: np.ndarray
    hco3_mg_L: np.ndarray
    co3_mg_L: np.ndarray
    dic_mmol_L: np.ndarray
    feed_dic_mmol_L: np.ndarray
    input: str


def closed_carbon_product(
    feed: StreamBatch,
    product: StreamBatch,
    rows: np.ndarray,
    database: str | None = None,
    redox: str | None = None,
) -> ClosedCarbonProduct:
    """pH and carbonate of a product that keeps all of its feed's inorganic carbon (closed to
    air) while its alkalinity changed, by PHREEQC: the H-form weak-acid cation exchanger.

    The feed (rows ``rows`` of ``feed``; the others are left NaN) is speciated for its total
    inorganic carbon C(4) at its pH and alkalinity.  Every mole of it stays in the product (the
    H+ released converts HCO3- to dissolved CO2, which a closed column keeps; the residual takes
    no carbon), so the product holds C(4)_feed x Q_feed / Q_product per litre.  The product's
    other ions and its alkalinity (``product``'s HCO3 + 2 CO3, already lowered by the exchanged
    equivalents) fix its charge; PHREEQC finds the pH at which the water is electroneutral with
    that C(4) (``pH charge``; the analysis' own imbalance is offset as in :func:`permeate_pH`).
    HCO3 and CO3 are PHREEQC's alkalinity of that solution, split by its free-ion ratio, as
    :func:`equilibrate` reports them.
    """
    db = database_info(database)
    n = len(feed)
    nan = np.full(n, np.nan)
    out = ClosedCarbonProduct(nan.copy(), nan.copy(), nan.copy(), nan.copy(), nan.copy(), "")
    idx = np.asarray(rows, dtype=int)
    if not len(idx):
        return out
    basis = treatment_redox(redox)
    sub = StreamBatch(feed.flow_m3_d[idx], feed.conc_mg_L[idx], feed.temp_C[idx], feed.pH[idx])
    ct, _, text1 = _feed_carbon(sub, db, basis)
    dic_feed = 1000.0 * ct  # mmol per litre of feed
    factor = feed.flow_m3_d[idx] / product.flow_m3_d[idx]
    p, text2 = _balanced_on_pH(product, idx, dic_feed * factor, db, basis)
    w = p["mass_H2O"].to_numpy(float)
    s = _litres_per_system(w, product.conc_mg_L[idx])
    alk = np.maximum(p["Alk"].to_numpy(float) * w / s, 0.0)  # eq per litre of product
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = p["m_CO3-2"].to_numpy(float) / p["m_HCO3-"].to_numpy(float)
    rho = np.nan_to_num(rho, nan=0.0, posinf=0.0)
    hco3_mol = alk / (1 + 2 * rho)
    out.pH[idx] = p["pH"].to_numpy(float)
    out.hco3_mg_L[idx] = hco3_mol * CONSTITUENTS["HCO3"].molar_mass * 1000
    out.co3_mg_L[idx] = rho * hco3_mol * CONSTITUENTS["CO3"].molar_mass * 1000
    out.dic_mmol_L[idx] = 1000.0 * p["C(4)"].to_numpy(float) * w / s
    out.feed_dic_mmol_L[idx] = dic_feed
    out.input = text1 + "\n" + text2
    return out
