"""Unit models: one step of a treatment train applied to a batch of waters.

Every model returns a :class:`Step`: product and liquid residual streams, solids (dry kg/d) and
gas losses, chemicals dosed, energy, and the mass added — enough to check the mass balance of
every conservative constituent (in + added = product + residual + solids + gas) to 0.1 %.

Zero-order split (WaterTAP's zero-order convention, reference/watertap.md §2): the product takes
``recovery`` of the water; the fraction ``removal[j]`` of the inlet mass of constituent j leaves
with the residual.  How the rest is shared depends on the residual:

* ``brine`` (membranes, EDR, ion-exchange regenerant): the removed mass is in the
  residual water; the product carries the rest (it is concentrated or diluted accordingly);
* ``backwash``: the removed mass is in the residual water, which also carries the dissolved
  constituents at the feed concentration (a filter does not concentrate salts);
* ``sludge``, ``spent_media``, ``gas``: the removed mass leaves as solids or gas; the water of the
  residual carries the remaining dissolved mass at the product concentration.  A sludge takes the
  larger of ``(1 - recovery) Q`` and ``dry solids / sludge_solids_frac`` of water;
* ``none``: nothing is removed and no water is lost.

Chemical doses in mg/L are added to the feed before the split (so removal applies to them);
doses per mg removed (regenerant, oxidant) add their ions to the brine where the residual is a
brine, else to the product.  Ion exchangers with ``params.counter_ion`` release it: ``"Na"`` adds
one Na+ per equivalent of cations taken up; ``"H"`` (weak-acid resin) takes up hardness only up
to the feed's alkalinity and its H+ lowers the alkalinity by the exchanged equivalents, turning
bicarbonate into dissolved CO2 that the closed column keeps: PHREEQC gives the product's pH and
HCO3/CO3 from the feed's total inorganic carbon (:func:`_closed_exchange_chemistry`).  pH and
temperature pass unchanged through the other zero-order units; PHREEQC units compute the new pH.  Thermal units (``model = "thermal"``) are not zero-order
splits: see :mod:`cbmwater.treatment.thermal`.
"""

from __future__ import annotations

import numpy as np

from ..errors import GeochemError, InputError
from ..i18n import Message, Text, named
from ..water.vocabulary import CONSTITUENTS, molar_mass
from . import chemistry
from .economics import Economics
from .library import UnitSpec
from .step import Step
from .step import adds_g_per_g as _adds_g_per_g
from .step import fixed_doses as _fixed_doses
from .step import unit_energy_kWh_d as _energy
from .streams import INDEX, TRACKED, StreamBatch
from .thermal import run_thermal

__all__ = ["Step", "run_unit", "removal_vector"]

_K = len(TRACKED)


_REMOVAL_CACHE: dict[tuple[str, tuple[tuple[str, float], ...]], np.ndarray] = {}


def removal_vector(spec: UnitSpec) -> np.ndarray:
    """Removal fraction of every tracked constituent for ``spec`` (0..1); cached per removal
    table (read-only array)."""
    key = (spec.id, tuple(sorted(spec.removal.items())))
    vec = _REMOVAL_CACHE.get(key)
    if vec is None:
        vec = np.array([spec.removal_of(n) for n in TRACKED])
        vec.flags.writeable = False
        _REMOVAL_CACHE[key] = vec
    return vec


def _split(
    feed: StreamBatch,
    recovery: np.ndarray,
    removal: np.ndarray,
    residual: str,
    extra_to_residual_g_d: np.ndarray | None = None,
) -> tuple[StreamBatch, StreamBatch, np.ndarray]:
    """Zero-order split; returns product, residual, removed (n, K) mass g/d."""
    q = feed.flow_m3_d
    qp = q * recovery
    qr = q - qp
    m = feed.mass_g_d()
    removed = m * removal[None, :] if removal.ndim == 1 else m * removal
    with np.errstate(invalid="ignore", divide="ignore"):
        if residual == "brine":
            prod_m = m - removed
            res_m = removed.copy()
        elif residual == "backwash":
            remain = m - removed
            prod_m = remain * np.where(q > 0, qp / q, 0)[:, None]
            res_m = remain * np.where(q > 0, qr / q, 0)[:, None] + removed
        else:
            remain = m - removed
            prod_m = remain * np.where(q > 0, qp / q, 0)[:, None]
            res_m = remain * np.where(q > 0, qr / q, 0)[:, None]
        if extra_to_residual_g_d is not None:
            res_m = np.where(np.isnan(res_m), extra_to_residual_g_d, res_m + extra_to_residual_g_d)
        prod_c = np.where(qp[:, None] > 0, prod_m / qp[:, None], 0.0)
        res_c = np.where(qr[:, None] > 0, res_m / np.where(qr > 0, qr, 1)[:, None], 0.0)
    prod_c = np.where(np.isnan(prod_m), np.nan, prod_c)
    res_c = np.where(np.isnan(res_m), np.nan, res_c)
    # dissolved oxygen is a gas: what a unit does not remove stays at one concentration in both
    # outlets (a membrane or filter does not concentrate it)
    j = INDEX["DO"]
    with np.errstate(invalid="ignore", divide="ignore"):
        left = np.where(q > 0, (m[:, j] - removed[:, j]) / np.where(q > 0, q, 1.0), np.nan)
    prod_c[:, j] = np.where(qp > 0, left, 0.0)
    res_c[:, j] = np.where(qr > 0, left, 0.0)
    prod_c[np.isnan(m[:, j]), j] = np.nan
    res_c[np.isnan(m[:, j]), j] = np.nan
    product = StreamBatch(qp, prod_c, feed.temp_C.copy(), feed.pH.copy())
    resid = StreamBatch(qr, res_c, feed.temp_C.copy(), feed.pH.copy())
    return product, resid, removed


def _per_removed(
    spec: UnitSpec, removed: np.ndarray, econ: Economics
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    chems: dict[str, np.ndarray] = {}
    added = np.zeros_like(removed)
    for d in spec.chemicals:
        if not d.per_mg_removed:
            continue
        g_d = np.zeros(removed.shape[0])
        for name, ratio in d.per_mg_removed.items():
            g_d = g_d + ratio * np.nan_to_num(removed[:, INDEX[name]])
        chems[d.chemical] = chems.get(d.chemical, 0) + g_d / 1000.0
        added += g_d[:, None] * _adds_g_per_g(econ, d.chemical)[None, :]
    return chems, added


def _merge(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _equivalent_mass(name: str) -> float:
    """g/eq of the charged constituent ``name`` (the vocabulary has None only for neutral ones)."""
    m = CONSTITUENTS[name].equivalent_mass
    if m is None:  # pragma: no cover - every name passed here is an ion
        raise ValueError(f"{name} has no equivalent mass")
    return m


_EXCHANGED = ("Ca", "Mg", "Sr", "Ba", "Fe", "Mn", "NH4_N", "K", "Li", "Al")


def _counter_ion(spec: UnitSpec, removed: np.ndarray, product: StreamBatch) -> np.ndarray:
    """Apply ``params.counter_ion``; returns the mass added to the product (g/d)."""
    ion = spec.params.get("counter_ion")
    added = np.zeros_like(removed)
    if not ion:
        return added
    eq = np.zeros(removed.shape[0])
    for name in _EXCHANGED:
        eq = eq + np.nan_to_num(removed[:, INDEX[name]]) / _equivalent_mass(name)  # eq/d
    q = np.where(product.flow_m3_d > 0, product.flow_m3_d, 1)
    if ion == "Na":
        added[:, INDEX["Na"]] = eq * _equivalent_mass("Na")
        j = INDEX["Na"]
        product.conc_mg_L[:, j] = np.nan_to_num(product.conc_mg_L[:, j]) + added[:, j] / q
    elif ion == "H":
        # H+ + HCO3- -> CO2 + H2O: the alkalinity (HCO3 + 2 CO3, eq) falls by the exchanged
        # equivalents; it is carried as HCO3 until _closed_exchange_chemistry speciates it
        jh, jc = INDEX["HCO3"], INDEX["CO3"]
        c = product.conc_mg_L
        alk_eq = (
            np.nan_to_num(c[:, jh]) / _equivalent_mass("HCO3")
            + np.nan_to_num(c[:, jc]) / _equivalent_mass("CO3")
        ) * q
        left = np.maximum(alk_eq - eq, 0.0)
        unmeasured = np.isnan(c[:, jh]) & np.isnan(c[:, jc])
        c[:, jh] = np.where(unmeasured, np.nan, left * _equivalent_mass("HCO3") / q)
        c[:, jc] = np.where(np.isnan(c[:, jc]), np.nan, 0.0)
    else:
        raise InputError(
            Text.of("treatment.error.counter_ion", unit=named("unitid", spec.id), value=repr(ion))
        )
    return added


def _h_form_removal(spec: UnitSpec, feed: StreamBatch) -> np.ndarray:
    """Removal (n, K) of an H-form exchanger: its table, with the exchanged cations scaled down
    where their equivalents would exceed the feed's alkalinity.

    A weak-acid (carboxylic) resin splits only salts of a weak acid: the H+ it releases must be
    taken up by bicarbonate, so it removes hardness up to the alkalinity (temporary hardness)
    and no further.  Where the listed removals would exchange more equivalents than the feed's
    HCO3 + 2 CO3, every exchanged cation's removal is multiplied by alkalinity / exchanged.
    Waters without a measured alkalinity keep the table.
    """
    base = removal_vector(spec)
    out = np.repeat(base[None, :], len(feed), axis=0)
    c = feed.conc_mg_L
    exch = np.zeros(len(feed))
    for name in _EXCHANGED:
        exch = exch + base[INDEX[name]] * np.nan_to_num(c[:, INDEX[name]]) / _equivalent_mass(name)
    alk = np.nan_to_num(c[:, INDEX["HCO3"]]) / _equivalent_mass("HCO3") + np.nan_to_num(
        c[:, INDEX["CO3"]]
    ) / _equivalent_mass("CO3")
    measured = ~(np.isnan(c[:, INDEX["HCO3"]]) & np.isnan(c[:, INDEX["CO3"]]))
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(measured & (exch > alk), alk / np.where(exch > 0, exch, 1.0), 1.0)
    cols = [INDEX[name] for name in _EXCHANGED]
    out[:, cols] = out[:, cols] * f[:, None]
    return out


def _uid(step: Step) -> Message | str:
    """The unit of a step as a name message (its id in English, its name in Chinese)."""
    return named("unitid", step.unit.id)


def _first_line(exc: Exception) -> str:
    """The first line of an error's text (PHREEQC's own message, shown as it is)."""
    return str(exc).splitlines()[0]


def _closed_exchange_chemistry(step: Step, database: str | None, redox: str | None) -> None:
    """pH, HCO3 and CO3 of an H-form exchanger's product by PHREEQC (closed column: the feed's
    inorganic carbon stays in the water, the alkalinity fell by the exchanged equivalents; see
    :func:`cbmwater.treatment.chemistry.closed_carbon_product`).  Where that is not possible
    (no pH or alkalinity measured, or PHREEQC fails) the zero-order product is kept, its pH
    carried over, and a warning says so."""
    feed, prod = step.feed, step.product
    c = feed.conc_mg_L
    measured = ~(np.isnan(c[:, INDEX["HCO3"]]) & np.isnan(c[:, INDEX["CO3"]]))
    ok = measured & np.isfinite(feed.pH) & (prod.flow_m3_d > 0)
    rows = np.flatnonzero(ok)
    why: Message = Message("treatment.why.no_ph_alkalinity")
    if len(rows):
        try:
            r = chemistry.closed_carbon_product(feed, prod, rows, database, redox)
        except GeochemError as exc:
            rows, why = rows[:0], Message("treatment.why.phreeqc", {"error": _first_line(exc)})
        else:
            prod.pH[rows] = r.pH[rows]
            for name, v in (("HCO3", r.hco3_mg_L), ("CO3", r.co3_mg_L)):
                j = INDEX[name]
                prod.conc_mg_L[rows, j] = v[rows]
            step.details = {
                "pH_out": r.pH,
                "dic_mmol_L": r.dic_mmol_L,
                "feed_dic_mmol_L": r.feed_dic_mmol_L,
                "phreeqc_input": r.input,
            }
    done = np.zeros(len(feed), dtype=bool)
    done[rows] = True
    for i in np.flatnonzero(~done & (prod.flow_m3_d > 0)):
        step.warnings[i].append(
            Text.of("treatment.warn.exchange_pH_carried", unit=_uid(step), why=why)
        )


def _zero_order(
    spec: UnitSpec,
    feed: StreamBatch,
    econ: Economics,
    recovery: np.ndarray | None = None,
    extra_solids_kg_d: np.ndarray | None = None,
    removal: np.ndarray | None = None,
) -> Step:
    n = len(feed)
    rec = np.full(n, spec.recovery) if recovery is None else np.asarray(recovery, float)
    chems, added, dosed = _fixed_doses(spec, feed, econ)
    if removal is None:
        removal = removal_vector(spec)
    residual = spec.residual
    if residual == "sludge" and spec.sludge_solids_frac > 0:
        dry = (
            np.nansum(
                dosed.mass_g_d() * (removal[None, :] if removal.ndim == 1 else removal), axis=1
            )
            / 1000.0
        )
        if extra_solids_kg_d is not None:
            dry = dry + extra_solids_kg_d
        water = dry / (spec.sludge_solids_frac * 1000.0)
        q = feed.flow_m3_d
        rec = np.minimum(
            rec, np.where(q > 0, 1.0 - np.minimum(water, q) / np.where(q > 0, q, 1), rec)
        )
    product, resid, removed = _split(dosed, rec, removal, residual)
    chems2, added2 = _per_removed(spec, removed, econ)
    if added2.any():
        target = resid if residual == "brine" and np.all(resid.flow_m3_d > 0) else product
        with np.errstate(invalid="ignore", divide="ignore"):
            c = added2 / np.where(target.flow_m3_d > 0, target.flow_m3_d, 1)[:, None]
        target.conc_mg_L = np.where(np.isnan(target.conc_mg_L) & (c > 0), c, target.conc_mg_L + c)
    added3 = _counter_ion(spec, removed, product)
    solids = np.zeros_like(removed)
    gas = np.zeros_like(removed)
    if residual in ("sludge", "spent_media"):
        solids = np.nan_to_num(removed)
    elif residual == "gas":
        gas = np.nan_to_num(removed)
    return Step(
        spec,
        feed,
        product,
        resid,
        solids.sum(axis=1) / 1000.0,
        solids,
        gas,
        added + added2 + added3,
        _merge(chems, chems2),
        _energy(spec, feed),
        rec,
        warnings=[[] for _ in range(n)],
    )


def _chemistry_step(
    spec: UnitSpec,
    feed: StreamBatch,
    econ: Economics,
    database: str | None,
    redox: str | None = None,
) -> Step:
    """A PHREEQC reaction (softening, pH adjustment, oxidation) then a zero-order split."""
    p = spec.params
    precipitates = tuple(p.get("precipitates", ()))
    target = p.get("target_pH")
    base = acid = None
    gases: dict[str, float] = {}
    fixed: dict[str, np.ndarray] = {}
    if spec.model in ("lime_softening", "lime_soda_softening"):
        base = str(p.get("reagent", "lime"))
    elif spec.model == "ph_adjustment":
        base, acid = p.get("base"), p.get("acid")
    elif spec.model == "oxidation":
        gases["O2(g)"] = float(p.get("log_pO2", -0.68))
        if "log_pCO2" in p:
            gases["CO2(g)"] = float(p["log_pCO2"])
    elif spec.model == "degassing":
        gases["CO2(g)"] = float(p["log_pCO2"])
        if "log_pO2" in p:
            gases["O2(g)"] = float(p["log_pO2"])
    dissolves = {str(k): float(v) for k, v in dict(p.get("dissolves", {})).items()}
    if spec.model == "coagulation":
        # the coagulant reacts in PHREEQC (its Al hydrolyses and precipitates, consuming
        # alkalinity); its fixed dose is taken out of the zero-order pass below
        from dataclasses import replace

        for d in spec.chemicals:
            if d.chemical in chemistry.REAGENT_RECIPES and d.dose_mg_L > 0:
                mm = econ.chemicals[d.chemical].molar_mass_g_mol
                fixed[d.chemical] = np.full(len(feed), d.dose_mg_L / mm)  # mmol/L
        spec = replace(spec, chemicals=tuple(d for d in spec.chemicals if d.chemical not in fixed))
    if spec.model == "lime_soda_softening":
        soda = str(p.get("soda", "soda_ash"))
        c = feed.conc_mg_L
        hard = np.nan_to_num(c[:, INDEX["Ca"]]) / 20.039 + np.nan_to_num(c[:, INDEX["Mg"]]) / 12.152
        alk = (
            np.nan_to_num(c[:, INDEX["HCO3"]]) / 61.017 + np.nan_to_num(c[:, INDEX["CO3"]]) / 30.004
        )
        fixed[soda] = np.maximum(hard - alk, 0.0) / 2.0  # mmol/L Na2CO3 for non-carbonate hardness
    adds = {
        k: econ.chemicals[k].adds_mol for k in {base, acid, *fixed} if k and k in econ.chemicals
    }
    missing = [v for v in (np.isnan(feed.pH).any(),) if v]
    if missing:
        raise InputError(
            Text.of("treatment.error.needs_pH_reaction", unit=named("unitid", spec.id))
        )
    eq = chemistry.equilibrate(
        feed,
        target_pH=None if target is None else float(target),
        base=base,
        acid=acid,
        fixed_reagents_mmol_L=fixed,
        gases=gases,
        precipitates=precipitates,
        adds_mol=adds,
        database=database,
        dissolves=dissolves,
        redox=redox,
    )
    n = len(feed)
    q = feed.flow_m3_d
    reacted = StreamBatch(q.copy(), eq.conc_mg_L.copy(), feed.temp_C.copy(), eq.pH.copy())
    reacted.conc_mg_L[:, INDEX["TSS"]] = feed.conc_mg_L[:, INDEX["TSS"]]
    reacted.conc_mg_L[:, INDEX["COD"]] = feed.conc_mg_L[:, INDEX["COD"]]
    chems: dict[str, np.ndarray] = {}
    for i, chem in enumerate(eq.reagent):
        if chem:
            arr = chems.setdefault(chem, np.zeros(n))
            arr[i] += eq.reagent_mmol_L[i] * econ.chemicals[chem].molar_mass_g_mol * q[i] / 1000.0
    for chem, mmol in fixed.items():
        chems[chem] = chems.get(chem, 0) + mmol * econ.chemicals[chem].molar_mass_g_mol * q / 1000.0
    media = p.get("dissolved_media")  # chemical id of the mineral a contactor consumes
    for ph, mmol in eq.dissolved_mmol_L.items():
        if media:
            chems[media] = (
                chems.get(media, 0)
                + np.maximum(mmol, 0.0) * chemistry.PHASE_MOLAR_MASS[ph] * q / 1000.0
            )
    # solids of the reaction: everything in feed + added that is not dissolved any more
    feed_m = feed.mass_g_d()
    added_g = eq.added_mg_L * q[:, None]
    precip_g = np.nan_to_num(feed_m) + added_g - np.nan_to_num(reacted.mass_g_d())
    precip_g[
        :, [INDEX["HCO3"], INDEX["CO3"], INDEX["TSS"], INDEX["COD"], INDEX["NH4_N"], INDEX["NO3_N"]]
    ] = 0.0
    precip_g = np.where(
        np.abs(precip_g) < 1e-9 * (np.nan_to_num(feed_m) + added_g + 1), 0.0, precip_g
    )
    phase_dry_kg = np.zeros(n)
    for ph, mmol in eq.precipitated_mmol_L.items():
        phase_dry_kg += mmol * chemistry.PHASE_MOLAR_MASS[ph] * q / 1000.0
    # oxidants dosed per mg precipitated (e.g. KMnO4 per mg Fe and Mn): their ions join the water
    chems_p, added_p = _per_removed(spec, precip_g, econ)
    if added_p.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            c = added_p / np.where(q > 0, q, 1)[:, None]
        reacted.conc_mg_L = np.where(
            np.isnan(reacted.conc_mg_L) & (c > 0), c, reacted.conc_mg_L + c
        )
    if spec.residual == "sludge":
        # the unit separates what it precipitates: it leaves with the sludge
        step = _zero_order(spec, reacted, econ, extra_solids_kg_d=phase_dry_kg)
        step.solids_kg_d = step.solids_kg_d + phase_dry_kg
        tss_added = np.zeros(n)
    else:
        # no separation here (aeration, dosing): the precipitate is carried on as suspended
        # solids for a later clarifier or filter
        tss_added = phase_dry_kg * 1000.0  # g/d
        j = INDEX["TSS"]
        reacted.conc_mg_L[:, j] = np.nan_to_num(reacted.conc_mg_L[:, j]) + tss_added / np.where(
            q > 0, q, 1
        )
        step = _zero_order(spec, reacted, econ)
    step.feed = feed
    step.added_g_d = step.added_g_d + added_g + added_p
    step.added_g_d[:, INDEX["TSS"]] += tss_added
    step.solids_g_d = step.solids_g_d + precip_g
    step.chemicals_kg_d = _merge(_merge(step.chemicals_kg_d, chems), chems_p)
    step.energy_kWh_d = _energy(spec, feed)
    step.details = {
        "pH_out": eq.pH,
        "reagent": eq.reagent,
        "reagent_mmol_L": eq.reagent_mmol_L,
        "precipitated_mmol_L": eq.precipitated_mmol_L,
        "phreeqc_input": eq.input,
    }
    if spec.model == "oxidation" and "O2(g)" in gases and eq.log_a_OH is not None:
        # the aerator's oxidation is taken as complete (equilibrium with air); the rate law says
        # whether its contact time allows that
        half = chemistry.fe2_oxidation_half_life_s(eq.log_a_OH, 10.0 ** gases["O2(g)"])
        step.details["fe_oxidation_half_life_s"] = half
        contact_s = float(p.get("contact_time_min", 15.0)) * 60.0
        fe = np.nan_to_num(feed.conc_mg_L[:, INDEX["Fe"]])
        for i in map(int, np.flatnonzero((half > contact_s / 5.0) & (fe > 0))):
            step.warnings[i].append(
                Text.of(
                    "treatment.warn.fe_oxidation_slow",
                    unit=named("unitid", spec.id),
                    half_life_min=half[i] / 60,
                    pH=eq.pH[i],
                    contact_min=contact_s / 60,
                )
            )
    return step


#: pKa of boric acid (phreeqc.dat, H3BO3 = H2BO3- + H+, 25 deg C) and of ammonium (NH4+ = NH3 + H+).
PKA_BORIC_ACID = 9.24
PKA_AMMONIUM = 9.252
#: Monovalent ions that pair up to keep a permeate electroneutral (see :func:`_electroneutral`).
_MONO_CATIONS = ("Na", "K", "Li", "NH4_N")
_MONO_ANIONS = ("Cl", "HCO3", "F", "Br", "NO3_N")
_CHARGED = tuple(
    n
    for n in TRACKED
    if CONSTITUENTS.get(n) is not None
    and CONSTITUENTS[n].charge != 0
    and CONSTITUENTS[n].molar_mass
)
_EQ_MASS = np.array([molar_mass(n) / abs(CONSTITUENTS[n].charge) for n in _CHARGED])
_SIGN = np.array([np.sign(CONSTITUENTS[n].charge) for n in _CHARGED])
_CHARGED_IDX = np.array([INDEX[n] for n in _CHARGED])
#: RO feed guidelines (FilmTec: total Fe < 0.05 mg/L, reference/treatment_chemistry.md §4 [V];
#: Mn and suspended solids [U]) and the units that fix an excess.
FEED_GUIDELINES_MG_L = {"Fe": 0.05, "Mn": 0.05, "TSS": 1.0}
#: (The units that fix each are the messages ``treatment.fixed_by.<name>``.)
#: Permeate pH below which a degasser/re-mineralisation step is advised (GB 5749 lower pH 6.5).
PERMEATE_MIN_PH = 6.5


def membrane_removal(spec: UnitSpec, feed: StreamBatch) -> np.ndarray:
    """Rejection of every tracked constituent for every water, (n, K), with the pH-dependent terms.

    A membrane's ``removal`` table holds local rejections R: wherever permeate is made, its
    concentration is (1 - R) times the channel's (:func:`membrane_mass_removal` integrates that
    along the channel into the fraction of the inlet mass that leaves with the concentrate).

    * Boron: boric acid (neutral) passes a membrane much more than borate, so
      R_B = R_H3BO3 (1 - f) + R_borate f with the borate fraction f = 1 / (1 + 10^(pKa - pH)),
      pKa 9.24 (phreeqc.dat; reference/treatment_chemistry.md §2: BWRO 40-60 % at pH <= 8,
      > 70 % above pH 11).  ``removal.B`` is R_H3BO3; ``params.borate_rejection`` is R_borate.
    * Ammonia: NH3 is a dissolved gas that passes like CO2, NH4+ is rejected as an ion:
      R_N = R_NH4 (1 - f_NH3), f_NH3 = 1 / (1 + 10^(9.252 - pH)) (reference §2 [V-calc]).

    The feed pH is used (25 deg C constants; the temperature dependence of the pKa is ignored).
    """
    base = removal_vector(spec)
    n = len(feed)
    out = np.repeat(base[None, :], n, axis=0)
    ph = np.where(np.isnan(feed.pH), 7.0, feed.pH)
    rb = spec.params.get("borate_rejection")
    if rb is not None:
        f = 1.0 / (1.0 + 10.0 ** (PKA_BORIC_ACID - ph))
        out[:, INDEX["B"]] = base[INDEX["B"]] * (1.0 - f) + float(rb) * f
    if spec.params.get("ammonia_passes", False):
        f = 1.0 / (1.0 + 10.0 ** (PKA_AMMONIUM - ph))
        out[:, INDEX["NH4_N"]] = base[INDEX["NH4_N"]] * (1.0 - f)
    return out


def membrane_mass_removal(rejection: np.ndarray, recovery: np.ndarray) -> np.ndarray:
    """Fraction of the inlet mass of each constituent that stays in the concentrate, (n, K).

    Along the channel, permeate dQ_p leaves at (1 - R) C, so d(QC) = -(1 - R) C dQ_p with
    dQ = -dQ_p, i.e. dC/C = -R dQ/Q: the channel concentration is C = c_f (1 - r)^(-R) at
    recovery r and the concentrate keeps Q_c C_c = Q_f c_f (1 - r)^(1 - R) of the inlet mass.
    Limits: R = 1 keeps all, R = 0 keeps 1 - r (permeate at the feed concentration, as for a
    gas); at r -> 0 the permeate concentration tends to (1 - R) c_f.  A fixed mass fraction
    (WaterTAP's zero-order convention) would instead make the permeate of a poorly rejected ion
    more concentrated than the feed when the scaling limit forces a low recovery.

    References
    ----------
    Constant-rejection integration of the solute balance along a membrane channel, e.g.
    Mulder, M. (1996) Basic Principles of Membrane Technology, 2nd ed., Kluwer, ch. VII.
    """
    r = np.clip(np.asarray(recovery, float), 0.0, 0.999999)[:, None]
    return (1.0 - r) ** (1.0 - np.clip(rejection, 0.0, 1.0))


def _electroneutral(step: Step) -> np.ndarray:
    """Make every permeate electroneutral; returns the charge moved, meq/L of permeate.

    Ions cross a membrane in electroneutral pairs, but independent rejections per ion do not
    give a neutral permeate.  The excess charge (cations - anions, meq/L, HCO3 and CO3 counted)
    is returned to the concentrate as the monovalent ions of that sign (Na, K, Li, NH4 or Cl,
    HCO3, F, Br, NO3), in proportion to their meq in the permeate: they are the ions whose
    passage the counter-ions limit [U: simplest rule that conserves mass and charge].  An
    analysis' own ion imbalance thus stays in the concentrate.
    """
    prod, res = step.product, step.residual
    qp, qr = prod.flow_m3_d, res.flow_m3_d
    c = np.nan_to_num(prod.conc_mg_L[:, _CHARGED_IDX])
    meq = c / _EQ_MASS[None, :]
    excess = (meq * _SIGN[None, :]).sum(axis=1)  # + : too many cations
    moved = np.zeros(len(qp))
    for sign, names in ((1, _MONO_CATIONS), (-1, _MONO_ANIONS)):
        rows = np.flatnonzero((sign * excess > 1e-12) & (qp > 0) & (qr > 0))
        if not len(rows):
            continue
        cols = np.array([INDEX[nm] for nm in names])
        eqm = np.array([molar_mass(nm) / abs(CONSTITUENTS[nm].charge) for nm in names])
        cm = np.nan_to_num(prod.conc_mg_L[np.ix_(rows, cols)])
        mono = (cm / eqm[None, :]).sum(axis=1)
        take = np.minimum(sign * excess[rows], mono)
        frac = np.where(mono > 0, take / np.where(mono > 0, mono, 1.0), 0.0)
        d_mg_L = cm * frac[:, None]  # mg/L of permeate moved
        d_g_d = d_mg_L * qp[rows, None]
        prod.conc_mg_L[np.ix_(rows, cols)] = np.where(
            np.isnan(prod.conc_mg_L[np.ix_(rows, cols)]), np.nan, cm - d_mg_L
        )
        rc = res.conc_mg_L[np.ix_(rows, cols)]
        res.conc_mg_L[np.ix_(rows, cols)] = np.where(
            np.isnan(rc), np.nan, rc + d_g_d / qr[rows, None]
        )
        moved[rows] = sign * take
    return moved


def _membrane_step(
    spec: UnitSpec,
    feed: StreamBatch,
    econ: Economics,
    database: str | None,
    redox: str | None = None,
) -> Step:
    allowance = {str(k): float(v) for k, v in dict(spec.params.get("si_allowance", {})).items()}
    if np.isnan(feed.pH).any():
        raise InputError(Text.of("treatment.error.needs_pH_scaling", unit=named("unitid", spec.id)))
    co2 = str(spec.params.get("co2_policy", "feed_pco2"))
    rejection = membrane_removal(spec, feed)
    model = str(spec.params.get("concentrate_model", "full_rejection"))  # checked at load
    lim = chemistry.concentrate_limit(
        feed,
        allowance,
        max_recovery=spec.recovery,
        database=database,
        co2=co2,
        redox=redox,
        rejection=rejection if model == "rejection" else None,
    )
    rec = np.minimum(lim.recovery_limit, spec.recovery)
    removal = membrane_mass_removal(rejection, rec)
    removal[:, INDEX["DO"]] = 0.0  # a gas: both outlets at the feed's DO (see _split)
    step = _zero_order(spec, feed, econ, recovery=rec, removal=removal)
    moved = _electroneutral(step)
    for i in range(len(feed)):
        if lim.limiting_mineral[i]:
            mineral = lim.limiting_mineral[i]
            step.warnings[i].append(
                Text.of(
                    "treatment.warn.recovery_limited",
                    unit=named("unitid", spec.id),
                    recovery=rec[i],
                    mineral=named("phase", mineral),
                    allowance=allowance[mineral],
                    design=spec.recovery,
                )
            )
    step.details = {
        "recovery_limit": lim.recovery_limit,
        "limiting_mineral": lim.limiting_mineral,
        "si_at_limit": lim.si_at_limit,
        "design_recovery": spec.recovery,
        "si_allowance": allowance,
        "phreeqc_input": lim.input,
        "co2_policy": lim.co2_policy,
        "feed_log_pCO2": lim.feed_log_pco2,
        "permeate_charge_moved_meq_L": moved,
        "rejection_B": rejection[:, INDEX["B"]],
        "rejection_NH4_N": rejection[:, INDEX["NH4_N"]],
    }
    _feed_guidelines(step)
    _permeate_chemistry(step, database, redox)
    _concentrate_chemistry(step, lim.feed_log_pco2 if co2 == "feed_pco2" else None, database, redox)
    _permeate_advice(step)
    return step


def _feed_guidelines(step: Step) -> None:
    """Warn where a membrane feed exceeds a fouling guideline (:data:`FEED_GUIDELINES_MG_L`)."""
    c = step.feed.conc_mg_L
    for name, limit in FEED_GUIDELINES_MG_L.items():
        v = c[:, INDEX[name]]
        for i in np.flatnonzero(v > limit):
            step.warnings[i].append(
                Text.of(
                    "treatment.warn.membrane_feed_guideline",
                    unit=_uid(step),
                    name=named("param", name),
                    value=v[i],
                    limit=limit,
                    fix=Message(f"treatment.fixed_by.{name}"),
                )
            )


def _permeate_advice(step: Step) -> None:
    """Warn where a permeate is corrosive: pH below 6.5 or much free CO2 (degasser advice)."""
    ph = step.product.pH
    for i in np.flatnonzero(ph < PERMEATE_MIN_PH):
        step.warnings[i].append(
            Text.of(
                "treatment.warn.permeate_low_pH", unit=_uid(step), pH=ph[i], min_pH=PERMEATE_MIN_PH
            )
        )


def _concentrate_chemistry(
    step: Step, log_pco2: np.ndarray | None, database: str | None, redox: str | None = None
) -> None:
    """pH and HCO3/CO3 of the concentrate held at the feed's pCO2, by PHREEQC (membranes pass
    CO2); with no pCO2 (``closed`` policy) the feed pH is carried over with a warning."""
    res = step.residual
    if log_pco2 is None:
        for w in step.warnings:
            w.append(Text.of("treatment.warn.concentrate_pH_closed", unit=_uid(step)))
        return
    ok = (res.flow_m3_d > 0) & np.isfinite(log_pco2)
    idx = np.flatnonzero(ok)
    if not len(idx):
        return
    sub = StreamBatch(res.flow_m3_d[idx], res.conc_mg_L[idx], res.temp_C[idx], step.feed.pH[idx])
    try:
        eq = chemistry.equilibrate(
            sub, gases={"CO2(g)": log_pco2[idx]}, database=database, redox=redox
        )
    except GeochemError as exc:
        for i in idx:
            step.warnings[i].append(
                Text.of(
                    "treatment.warn.concentrate_pH_failed", unit=_uid(step), error=_first_line(exc)
                )
            )
        return
    res.pH[idx] = eq.pH
    for nm in ("HCO3", "CO3"):
        res.conc_mg_L[idx, INDEX[nm]] = eq.conc_mg_L[:, INDEX[nm]]
    step.details["concentrate_input"] = eq.input


def _permeate_chemistry(step: Step, database: str | None, redox: str | None = None) -> None:
    """Recompute the product pH of a membrane with PHREEQC (CO2 passes, carbonate is rejected);
    where that is not possible the pH is carried over and a warning says so."""
    feed, prod = step.feed, step.product
    with np.errstate(invalid="ignore", divide="ignore"):
        passage = np.where(
            feed.flow_m3_d > 0,
            (1.0 - step.unit.removal_of("HCO3"))
            * feed.flow_m3_d
            / np.where(prod.flow_m3_d > 0, prod.flow_m3_d, 1.0),
            0.0,
        )
    try:
        ph, text = chemistry.permeate_pH(feed, prod, passage, database, redox)
    except GeochemError as exc:
        for w in step.warnings:
            w.append(
                Text.of(
                    "treatment.warn.permeate_pH_failed", unit=_uid(step), error=_first_line(exc)
                )
            )
        return
    done = ~np.isnan(ph)
    prod.pH = np.where(done, ph, prod.pH)
    step.details["permeate_pH_input"] = text
    for i in np.flatnonzero(~done):
        step.warnings[i].append(Text.of("treatment.warn.permeate_pH_skipped", unit=_uid(step)))


def _note_pH(step: Step) -> None:
    for w in step.warnings:
        w.append(Text.of("treatment.warn.zero_order_pH", unit=_uid(step)))


def run_unit(
    spec: UnitSpec,
    feed: StreamBatch,
    econ: Economics,
    database: str | None = None,
    redox: str | None = None,
) -> Step:
    """Apply ``spec`` to every water of ``feed`` (see the module docstring).

    ``redox`` is the waters' redox basis for the PHREEQC-backed units (``"fe2"``, the default,
    or ``"pe:VALUE"``; :func:`cbmwater.treatment.chemistry.treatment_redox`).
    """
    if spec.model == "thermal":
        return run_thermal(spec, feed, econ)
    if spec.model == "zero_order" and spec.params.get("counter_ion") == "H":
        step = _zero_order(spec, feed, econ, removal=_h_form_removal(spec, feed))
        _closed_exchange_chemistry(step, database, redox)
        return step
    if spec.model in ("zero_order", "evaporation_pond"):
        step = _zero_order(spec, feed, econ)
        if spec.params.get("product") == "vapour":
            step.product_is_vapour = True
        elif spec.residual == "brine" and spec.removal_of("HCO3") >= 0.5:
            _note_pH(step)
        return step
    if spec.model == "membrane":
        return _membrane_step(spec, feed, econ, database, redox)
    if spec.model in (
        "lime_softening",
        "lime_soda_softening",
        "ph_adjustment",
        "oxidation",
        "degassing",
        "remineralisation",
        "coagulation",
    ):
        return _chemistry_step(spec, feed, econ, database, redox)
    raise InputError(  # pragma: no cover
        Text.of(
            "treatment.error.unknown_model", unit=named("unitid", spec.id), model=repr(spec.model)
        )
    )
