"""Treatment trains: balances over random feeds and random valid trains, zero-order hand
calculations, and refusal of bad trains.

Property tests (hypothesis, derandomised so CI is reproducible): for random feeds and random
trains drawn from ``candidate_trains`` (every precedence rule allowed), the water, Na and Cl
(and every other conservative constituent) balances are recomputed here from the returned
numbers only -- feed + chemicals added = product + final liquid residuals + evaporated water +
solids + gas -- not from the engine's own check.

Hand calculations (WaterTAP zero-order split, reference/watertap.md §2; the library numbers are
typed in below AND read from units.toml, so a changed library is noticed):

* ultrafiltration, Q 1000 m3/d, TSS 100, Na 500 mg/L, recovery 0.95, TSS removal 0.97:
  product 950 m3/d; TSS removed 0.97 x 100 x 1000 = 97 000 g/d, kept 3 000 g/d shared by flow:
  product 2 850 g/d / 950 = 3 mg/L, backwash (150 + 97 000) g/d / 50 m3/d = 1 943 mg/L;
  Na 500 in both (backwash carries dissolved salts at the feed concentration).
* brackish_ro, recovery 0.8, removal 0.98, a soft NaCl water that does not scale:
  permeate Na = 0.02 C Q / (0.8 Q) = 0.025 C; brine = 0.98 C Q / (0.2 Q) = 4.9 C.
* sac_exchange: 1 eq of Na released per eq of Ca + Mg taken up (Ca 20.039, Mg 12.1525 g/eq);
  NaCl regenerant 9.711 mg/mg Ca and 16.01 mg/mg Mg goes to the brine.
* wac_exchange: H+ released per eq of Ca + Mg taken up turns HCO3 (61.016 g/eq) into CO2, so
  the alkalinity (HCO3 + 2 CO3) falls by the exchanged equivalents (the pH is PHREEQC's: see
  tests/test_wac_exchange.py); never below zero (a weak-acid resin stops at the alkalinity).
* sedimentation: sludge water = max((1 - r) Q, dry / sludge_solids_frac / 1000).
* coagulation: PAC 8.4 mg/L as Al2O3 (101.96 g/mol) adds 1.8 mol Cl (35.45 g/mol) per mol.
"""

from __future__ import annotations

import contextlib
import csv
import math
import tempfile
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from cbmwater.errors import GeochemError, InputError
from cbmwater.resources import example_path
from cbmwater.treatment.economics import load_economics
from cbmwater.treatment.library import LIBRARY_DIR, load_library
from cbmwater.treatment.models import run_unit
from cbmwater.treatment.precedence import candidate_trains, check_order
from cbmwater.treatment.streams import CONSERVATIVE, INDEX, StreamBatch
from cbmwater.treatment.train import simulate_train
from cbmwater.water.vocabulary import CONSTITUENTS

LIB = load_library()
ECON = load_economics()
#: models that call PHREEQC (slow); the others are zero-order arithmetic
PHREEQC_MODELS = ("lime_softening", "lime_soda_softening", "ph_adjustment", "oxidation", "membrane")
PHREEQC_UNITS = sorted(u.id for u in LIB if u.model in PHREEQC_MODELS)
NA, CL = INDEX["Na"], INDEX["Cl"]

# Typed reference values (g/mol or g/eq) used by the hand calculations.
M_NA, M_CL, M_NACL, M_HCL, M_AL2O3 = 22.99, 35.45, 58.44, 36.46, 101.96
EQ_CA, EQ_MG, EQ_HCO3, EQ_CO3 = 20.039, 12.1525, 61.016, 30.004


def test_reference_molar_masses_are_the_vocabulary_and_catalogue_values():
    assert CONSTITUENTS["Na"].molar_mass == M_NA
    assert CONSTITUENTS["Cl"].molar_mass == M_CL
    assert CONSTITUENTS["Ca"].equivalent_mass == pytest.approx(EQ_CA, abs=1e-9)
    assert CONSTITUENTS["Mg"].equivalent_mass == pytest.approx(EQ_MG, abs=1e-9)
    assert CONSTITUENTS["HCO3"].equivalent_mass == pytest.approx(EQ_HCO3, abs=1e-9)
    assert CONSTITUENTS["CO3"].equivalent_mass == pytest.approx(EQ_CO3, abs=1e-9)
    assert ECON.chemicals["sodium_chloride"].molar_mass_g_mol == M_NACL
    assert ECON.chemicals["hydrochloric_acid"].molar_mass_g_mol == M_HCL
    assert ECON.chemicals["pac"].molar_mass_g_mol == M_AL2O3
    assert ECON.chemicals["pac"].adds_mol == {"Al": 2.0, "Cl": 1.8}


def feed(flow=1000.0, pH=7.5, temp_C=20.0, **conc) -> StreamBatch:
    df = pd.DataFrame([{**conc, "pH": pH, "temp_C": temp_C}])
    return StreamBatch.from_frame(df, flow)


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

#: (name, low, high, may be unmeasured) in mg/L
RANGES = [
    ("Na", 50, 5000, True),
    ("Ca", 0, 200, True),
    ("Mg", 0, 100, True),
    ("Cl", 10, 5000, True),
    ("SO4", 0, 2000, True),
    ("HCO3", 50, 3000, False),
    ("F", 0, 10, True),
    ("Ba", 0, 5, True),
    ("SiO2", 0, 60, True),
    ("TSS", 0, 500, True),
    # beyond the required set: exercise the Fe/Mn, NH4 and K paths too
    ("Fe", 0, 10, True),
    ("Mn", 0, 1, True),
    ("NH4_N", 0, 10, True),
    ("K", 0, 20, True),
]


#: g per equivalent, to balance the charge of the waters sent to PHREEQC
EQ_MASS = {
    "Na": 22.99,
    "K": 39.098,
    "Ca": 20.039,
    "Mg": 12.1525,
    "Ba": 68.66,
    "Fe": 27.92,
    "Mn": 27.47,
    "NH4_N": 14.007,
    "Cl": -35.45,
    "SO4": -48.03,
    "HCO3": -61.016,
    "F": -18.998,
}


@st.composite
def waters(
    draw, allow_nan_na_cl: bool, balanced: bool = False, always_measured: tuple[str, ...] = ()
):
    """One feed water: values uniform over the ranges (log-uniform flow) from a seed that
    hypothesis draws, about one constituent in five unmeasured where allowed, and up to four
    constituents pinned at a bound of their range.  (Hypothesis' own number strategies pile up
    near zero, which left high-hardness and low-alkalinity waters almost untested.)

    ``balanced``: Cl (or, where the anions already exceed the cations, Na) is set so that the
    ions balance.  Independent random ranges give waters with ten times more anions than
    cations, on which PHREEQC itself does not converge; zero-order units take them as they are.
    """
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1), label="seed"))
    names = [r[0] for r in RANGES]
    pinned = draw(
        st.dictionaries(st.sampled_from(names), st.sampled_from(["low", "high"]), max_size=4),
        label="pinned",
    )
    row = {}
    for name, lo, hi, may_nan in RANGES:
        value = lo + (hi - lo) * rng.random()
        unmeasured = rng.random() < 0.2
        if name in pinned:
            value, unmeasured = (lo if pinned[name] == "low" else hi), False
        nan_ok = (
            may_nan
            and (allow_nan_na_cl or name not in ("Na", "Cl"))
            and name not in always_measured
        )
        row[name] = math.nan if (unmeasured and nan_ok) else float(value)
    if balanced:
        meq = {k: row[k] / m for k, m in EQ_MASS.items() if not math.isnan(row[k])}
        excess = sum(v for k, v in meq.items() if k != "Cl")  # cations - other anions, meq/L
        if excess * 35.45 >= 10.0:
            row["Cl"] = excess * 35.45
        else:
            row["Cl"] = 10.0
            row["Na"] += (10.0 / 35.45 - excess) * 22.99
    row["pH"] = 6.5 + 2.5 * rng.random()
    row["temp_C"] = 10.0 + 20.0 * rng.random()
    row["flow"] = float(
        math.exp(math.log(10.0) + (math.log(20000.0) - math.log(10.0)) * rng.random())
    )
    return row


def batch_of(rows: list[dict]) -> StreamBatch:
    df = pd.DataFrame([{k: v for k, v in r.items() if k != "flow"} for r in rows])
    return StreamBatch.from_frame(df, np.array([r["flow"] for r in rows]))


@cache
def zero_order_trains() -> tuple[tuple[str, ...], ...]:
    pool = [u.id for u in LIB if u.id not in PHREEQC_UNITS]
    return tuple(tuple(t) for t in candidate_trains(LIB, pool=pool, max_units=13, limit=10**6))


@cache
def all_candidate_trains() -> list[list[str]]:
    return candidate_trains(LIB, max_units=13, limit=10**6)  # ~786 000 trains, ~1 s


@cache
def phreeqc_trains_by_unit() -> dict[str, tuple[tuple[str, ...], ...]]:
    every = all_candidate_trains()
    # activated_alumina needs ph_adjustment before it, but stages.csv puts ion exchange (6)
    # before conditioning (8), so candidate_trains never proposes it: add trains by hand,
    # each checked against the precedence rules
    extra = [
        ["cartridge_filter", "ph_adjustment", "activated_alumina"],
        [
            "coagulation",
            "sedimentation",
            "multimedia_filter",
            "ph_adjustment:6.0",
            "activated_alumina",
            "edr",
            "evaporation_pond",
        ],
    ]
    for t in extra:
        check_order([u.partition(":")[0] for u in t], LIB)
    wanted = set(PHREEQC_UNITS + ["activated_alumina"])
    out: dict[str, list[tuple[str, ...]]] = {u: [] for u in sorted(wanted)}
    for t in every + extra:
        for u in wanted.intersection(x.partition(":")[0] for x in t):
            out[u].append(tuple(t))
    return {u: tuple(ts) for u, ts in out.items()}


def check_train_balances(r, rows) -> None:
    """Recompute the balances of a TrainResult from its numbers (see module docstring)."""
    n = len(rows)
    q_feed = np.array([row["flow"] for row in rows])
    np.testing.assert_allclose(r.feed.flow_m3_d, q_feed, rtol=1e-12)
    # residuals consumed by a brine-treating unit: the unit named in treated_by must have been
    # fed exactly that stream, and every brine-treating unit consumes exactly one residual
    by_unit = {s.unit.id: s for s in r.steps}
    consumed = [res for res in r.residuals if res.treated_by is not None]
    brine_units = [s for s in r.steps if s.unit.params.get("applies_to") == "brine"]
    assert len(consumed) == len(brine_units)
    for res in consumed:
        s = by_unit[res.treated_by]
        np.testing.assert_allclose(s.feed.flow_m3_d, res.stream.flow_m3_d, rtol=1e-12)
    final = [res for res in r.residuals if res.treated_by is None]
    vapour_steps = [s for s in r.steps if s.product_is_vapour]

    # water: every unit (inlet = product + residual liquid), and the train:
    # feed = product + final residual liquids + evaporated
    for s in r.steps:
        np.testing.assert_allclose(
            s.product.flow_m3_d + s.residual.flow_m3_d,
            s.feed.flow_m3_d,
            rtol=1e-3,
            err_msg=s.unit.id,
        )
    evaporated = sum((s.product.flow_m3_d for s in vapour_steps), np.zeros(n))
    np.testing.assert_allclose(evaporated, r.vapour_m3_d, rtol=1e-12, atol=1e-12)
    q_out = (
        r.product.flow_m3_d + evaporated + sum((res.stream.flow_m3_d for res in final), np.zeros(n))
    )
    np.testing.assert_allclose(q_out, q_feed, rtol=1e-3)

    # every conservative constituent (Na and Cl among them), chemicals included
    def mass(batch):
        return np.nan_to_num(batch.mass_g_d())

    m_in = mass(r.feed) + sum(s.added_g_d for s in r.steps)
    m_out = (
        mass(r.product)
        + sum(mass(res.stream) for res in final)
        + sum(mass(s.product) for s in vapour_steps)
        + sum(s.solids_g_d + s.gas_g_d for s in r.steps)
    )
    for name in ("Na", "Cl") + tuple(c for c in CONSERVATIVE if c not in ("Na", "Cl")):
        j = INDEX[name]
        np.testing.assert_allclose(
            m_out[:, j], m_in[:, j], rtol=1e-3, atol=1e-6, err_msg=f"{name} balance of {r.units}"
        )

    # no negative flow or concentration anywhere
    streams = [r.product] + [res.stream for res in r.residuals]
    for s in r.steps:
        streams += [s.feed, s.product, s.residual]
        assert (s.solids_kg_d >= -1e-9).all()
    for b in streams:
        assert (b.flow_m3_d >= 0).all()
        assert not (b.conc_mg_L < -1e-9).any(), r.units
    # recovery
    assert ((r.recovery > 0) & (r.recovery <= 1 + 1e-12)).all(), r.recovery


@cache
def zero_order_trains_by_unit() -> dict[str, tuple[tuple[str, ...], ...]]:
    trains = zero_order_trains()
    return {u: tuple(t for t in trains if u in t) for u in sorted({u for t in trains for u in t})}


def test_zero_order_pool_reaches_every_zero_order_unit_but_activated_alumina():
    # activated_alumina needs ph_adjustment (PHREEQC) before it: it is in the PHREEQC trains
    zo_units = {u.id for u in LIB if u.id not in PHREEQC_UNITS}
    assert set(zero_order_trains_by_unit()) == zo_units - {"activated_alumina"}


# Reproducible (derandomize, no example database) and without the shrink phase: a failure is
# reported with the example that failed, at once, instead of after minutes of shrinking.
PROPERTY = dict(
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# check=False: the engine's own balance check is switched off, so these recomputed balances
# are the only oracle (the single-water reruns below keep the engine's check on)
@settings(max_examples=60, **PROPERTY)
@given(
    train=st.sampled_from(sorted(zero_order_trains_by_unit())).flatmap(
        lambda u: st.sampled_from(zero_order_trains_by_unit()[u])
    ),
    rows=st.lists(waters(allow_nan_na_cl=True), min_size=1, max_size=3),
)
@pytest.mark.slow
def test_zero_order_trains_close_every_balance(train, rows):
    r = simulate_train(list(train), batch_of(rows), library=LIB, economics=ECON, check=False)
    check_train_balances(r, rows)
    # a batch gives each water exactly what it gets alone (no coupling between waters)
    for i, row in enumerate(rows):
        alone = simulate_train(list(train), batch_of([row]), library=LIB, economics=ECON)
        np.testing.assert_allclose(
            alone.product.flow_m3_d, r.product.flow_m3_d[i : i + 1], rtol=1e-12
        )
        np.testing.assert_allclose(
            alone.product.conc_mg_L,
            r.product.conc_mg_L[i : i + 1],
            rtol=1e-12,
            atol=1e-12,
            equal_nan=True,
        )
        np.testing.assert_allclose(alone.energy_kWh_d, r.energy_kWh_d[i : i + 1], rtol=1e-12)


# PHREEQC units are slower: a few examples per PHREEQC unit, each in a random valid train
@pytest.mark.parametrize("unit", PHREEQC_UNITS + ["activated_alumina"])
@settings(max_examples=3, **PROPERTY)
@given(
    data=st.data(),
    rows=st.lists(
        waters(allow_nan_na_cl=False, balanced=True, always_measured=("Ca", "Mg")),
        min_size=1,
        max_size=2,
    ),
)
@pytest.mark.slow
def test_trains_with_phreeqc_units_close_every_balance(unit, data, rows):
    train = data.draw(st.sampled_from(phreeqc_trains_by_unit()[unit]), label="train")
    try:
        # in a scratch directory: PHREEQC writes error.inp into the working directory
        with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
            r = simulate_train(
                list(train), batch_of(rows), library=LIB, economics=ECON, check=False
            )
    except GeochemError as exc:
        # known defect, pinned by test_lime_softened_water_can_go_to_another_phreeqc_unit
        assume("non-carbonate alkalinity" not in str(exc))
        raise
    check_train_balances(r, rows)


@pytest.mark.slow
def test_every_unit_can_be_reached_by_some_candidate_train():
    every = {u for t in all_candidate_trains() for u in t}
    missing = sorted(set(LIB.units) - every)
    if missing == ["activated_alumina"]:
        pytest.xfail(
            "activated_alumina requires ph_adjustment before it (precedence.csv) but "
            "stages.csv orders ion_exchange (6) before conditioning (8)"
        )
    assert not missing


# --------------------------------------------------------------------------------------------
# Defects found by the property tests: fixed ones are plain tests now; the open one is a strict
# xfail that fails loudly once fixed
# --------------------------------------------------------------------------------------------


def test_lime_softened_water_can_go_to_another_phreeqc_unit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # PHREEQC writes error.inp into the working directory
    w = dict(Na=300.0, Ca=200.0, Mg=50.0, Cl=800.0, SO4=200.0, HCO3=300.0)
    r = simulate_train(
        "lime_softening,ph_adjustment", feed(1000.0, pH=7.5, **w), library=LIB, economics=ECON
    )
    assert r.product.pH[0] == pytest.approx(7.0, abs=1e-6)


# PHREEQC needed more iterations here (found by hypothesis); equilibrate retries with them
def test_lime_soda_softening_of_a_calcium_free_water(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # PHREEQC writes error.inp into the working directory
    w = {
        "Na": 2713.9135397861187,
        "Ca": 0.0,
        "Mg": 98.74449901864666,
        "Cl": 4376.356780484283,
        "HCO3": 202.60123435213688,
        "F": 0.08895805535434675,
        "Ba": 0.0,
        "SiO2": 0.0,
        "TSS": 424.9328155476059,
        "Mn": 0.18633631867782952,
        "NH4_N": 7.594665768223351,
        "K": 2.1376015713808494,
    }
    r = simulate_train(
        "lime_soda_softening",
        feed(865.4, pH=6.8491472739353725, temp_C=18.793155150245795, **w),
        library=LIB,
        economics=ECON,
    )
    assert r.product.pH[0] == pytest.approx(10.3, abs=1e-6)


def test_evaporation_pond_evaporates_most_of_its_inflow():
    r = simulate_train(
        "cartridge_filter,brackish_ro,evaporation_pond",
        feed(1000.0, pH=7.0, Na=500.0, Cl=770.0, HCO3=50.0),
        library=LIB,
        economics=ECON,
    )
    (pond,) = [s for s in r.steps if s.unit.id == "evaporation_pond"]
    (salt,) = [x for x in r.residuals if x.unit == "evaporation_pond"]
    q_in = pond.feed.flow_m3_d[0]
    assert r.vapour_m3_d[0] > 0.9 * q_in
    assert salt.stream.flow_m3_d[0] == pytest.approx(salt.wet_sludge_m3_d[0], rel=0.05)


# --------------------------------------------------------------------------------------------
# Zero-order hand calculations (single units)
# --------------------------------------------------------------------------------------------


def test_ultrafiltration_by_hand():
    uf = LIB["ultrafiltration"]
    assert (uf.recovery, uf.removal_of("TSS"), uf.removal_of("Na"), uf.residual) == (
        0.95,
        0.97,
        0.0,
        "backwash",
    )
    assert uf.energy_kWh_m3 == 0.231344952
    s = run_unit(uf, feed(1000.0, Na=500, TSS=100), ECON)
    # read from the library (must equal the typed values above)
    r, f = uf.recovery, uf.removal_of("TSS")
    q_p, q_r = r * 1000.0, (1 - r) * 1000.0
    kept = (1 - f) * 100 * 1000.0
    assert s.product.flow_m3_d[0] == pytest.approx(950.0, rel=1e-12)
    assert s.product.flow_m3_d[0] == pytest.approx(q_p, rel=1e-12)
    assert s.residual.flow_m3_d[0] == pytest.approx(50.0, rel=1e-12)
    assert s.product.conc_mg_L[0, INDEX["TSS"]] == pytest.approx(3.0, rel=1e-12)
    assert s.product.conc_mg_L[0, INDEX["TSS"]] == pytest.approx(kept * r / q_p, rel=1e-12)
    assert s.residual.conc_mg_L[0, INDEX["TSS"]] == pytest.approx(1943.0, rel=1e-12)
    assert s.residual.conc_mg_L[0, INDEX["TSS"]] == pytest.approx(
        (kept * (1 - r) + f * 100 * 1000.0) / q_r, rel=1e-12
    )
    assert s.product.conc_mg_L[0, NA] == pytest.approx(500.0, rel=1e-12)
    assert s.residual.conc_mg_L[0, NA] == pytest.approx(500.0, rel=1e-12)
    assert s.energy_kWh_d[0] == pytest.approx(231.344952, rel=1e-12)
    assert s.solids_kg_d[0] == 0.0 and not s.chemicals_kg_d


def test_brackish_ro_by_hand_on_a_water_that_does_not_scale():
    ro = LIB["brackish_ro"]
    assert (ro.recovery, ro.removal_of("Na"), ro.removal_of("Cl"), ro.removal_of("B")) == (
        0.8,
        0.98,
        0.98,
        0.5,
    )
    assert (ro.energy_kWh_m3, ro.energy_kWh_m3_per_g_L_TDS) == (0.2174, 0.0489)
    assert [(c.chemical, c.dose_mg_L) for c in ro.chemicals] == [("antiscalant", 3.0)]
    # charge-balanced feed: Cl = 35.453 (500/22.99 + 2/20.039 - 50/61.017) = 745.5 mg/L
    w = dict(Na=500.0, Cl=745.5, HCO3=50.0, Ca=2.0, SiO2=5.0)
    s = run_unit(ro, feed(1000.0, pH=7.0, **w), ECON)
    assert s.details["limiting_mineral"] == [""]  # not scaling-limited
    r, rej = ro.recovery, ro.removal_of("Na")
    assert s.recovery[0] == pytest.approx(0.8, rel=1e-12)
    assert s.product.flow_m3_d[0] == pytest.approx(800.0, rel=1e-12)
    # local rejection integrated along the channel: the concentrate keeps (1 - r)^(1 - R)
    # = 0.2^0.02 = 0.968324 of the inlet mass of every ion, the permeate 0.031676
    passed = 1 - 0.2**0.02
    for name, c in w.items():
        j = INDEX[name]
        if name == "HCO3":  # re-speciated in the concentrate (alkalinity, not HCO3, is kept)
            continue
        # (the electroneutrality step moves < 1e-4 of the permeate's ions: the feed balances)
        assert s.product.conc_mg_L[0, j] == pytest.approx(passed * c * 1000 / 800, rel=1e-3)
        assert s.residual.conc_mg_L[0, j] == pytest.approx((1 - passed) * c * 1000 / 200, rel=1e-4)
        # the channel ends at c_f (1 - r)^-R: the concentrate holds c_f 0.2^-0.98
        assert s.residual.conc_mg_L[0, j] == pytest.approx(c * (1 - r) ** -rej, rel=1e-4)
    assert s.product.conc_mg_L[0, NA] == pytest.approx(19.7975, rel=1e-3)  # 500 x 0.031676 / 0.8
    assert s.residual.conc_mg_L[0, NA] == pytest.approx(2420.81, rel=1e-4)  # 500 x 0.968324 / 0.2
    tds = (500 + 745.5 + 50 + 2 + 5) / 1000.0  # g/L; the antiscalant adds no canonical ion
    assert s.energy_kWh_d[0] == pytest.approx((0.2174 + 0.0489 * tds) * 1000, rel=1e-12)
    assert s.chemicals_kg_d["antiscalant"][0] == pytest.approx(3.0, rel=1e-12)  # 3 mg/L x 1000
    # the permeate pH is recomputed by PHREEQC (CO2 passes, bicarbonate is rejected): it falls
    # below the feed's 7.0 and no carried-over-pH warning is given
    assert 4.0 < s.product.pH[0] < 7.0
    assert not any("carried over" in m for m in s.warnings[0])


def test_sac_exchange_releases_one_na_per_equivalent_removed():
    sac = LIB["sac_exchange"]
    assert (sac.recovery, sac.removal_of("Ca"), sac.removal_of("Mg"), sac.residual) == (
        0.97,
        0.97,
        0.97,
        "brine",
    )
    assert sac.params["counter_ion"] == "Na"
    (nacl,) = sac.chemicals
    assert nacl.chemical == "sodium_chloride"
    assert (nacl.per_mg_removed["Ca"], nacl.per_mg_removed["Mg"]) == (9.711, 16.01)
    s = run_unit(sac, feed(1000.0, Na=300, Ca=40, Mg=12, Cl=200, HCO3=600), ECON)
    ca_rem, mg_rem = 0.97 * 40 * 1000, 0.97 * 12 * 1000  # g/d
    eq = ca_rem / EQ_CA + mg_rem / EQ_MG  # eq/d
    assert eq == pytest.approx(38800 / 20.039 + 11640 / 12.1525)
    q_p, q_b = 970.0, 30.0
    assert s.product.flow_m3_d[0] == pytest.approx(q_p, rel=1e-12)
    assert s.product.conc_mg_L[0, NA] == pytest.approx((300 * 1000 + eq * M_NA) / q_p, rel=1e-12)
    assert s.product.conc_mg_L[0, INDEX["Ca"]] == pytest.approx(0.03 * 40 * 1000 / q_p, rel=1e-12)
    assert s.product.conc_mg_L[0, INDEX["Mg"]] == pytest.approx(0.03 * 12 * 1000 / q_p, rel=1e-12)
    assert s.product.conc_mg_L[0, CL] == pytest.approx(200 * 1000 / q_p, rel=1e-12)
    assert s.product.conc_mg_L[0, INDEX["HCO3"]] == pytest.approx(600 * 1000 / q_p, rel=1e-12)
    # regenerant: NaCl (active) per mg removed, all of it in the brine
    nacl_g = 9.711 * ca_rem + 16.01 * mg_rem
    assert s.chemicals_kg_d["sodium_chloride"][0] == pytest.approx(nacl_g / 1000, rel=1e-12)
    assert s.residual.conc_mg_L[0, INDEX["Ca"]] == pytest.approx(ca_rem / q_b, rel=1e-12)
    assert s.residual.conc_mg_L[0, NA] == pytest.approx(nacl_g * M_NA / M_NACL / q_b, rel=1e-12)
    assert s.residual.conc_mg_L[0, CL] == pytest.approx(nacl_g * M_CL / M_NACL / q_b, rel=1e-12)
    assert s.added_g_d[0, NA] == pytest.approx(eq * M_NA + nacl_g * M_NA / M_NACL, rel=1e-12)


def test_wac_exchange_lowers_bicarbonate_by_the_equivalents_removed():
    wac = LIB["wac_exchange"]
    assert (wac.recovery, wac.removal_of("Ca"), wac.removal_of("Mg"), wac.removal_of("HCO3")) == (
        0.98,
        0.95,
        0.95,
        0.0,
    )
    assert wac.params["counter_ion"] == "H"
    (hcl,) = wac.chemicals
    assert (hcl.chemical, hcl.per_mg_removed["Ca"], hcl.per_mg_removed["Mg"]) == (
        "hydrochloric_acid",
        2.001,
        3.3,
    )
    s = run_unit(wac, feed(1000.0, Na=300, Ca=40, Mg=12, Cl=200, HCO3=600), ECON)
    ca_rem, mg_rem = 0.95 * 40 * 1000, 0.95 * 12 * 1000
    eq = ca_rem / EQ_CA + mg_rem / EQ_MG
    q_p, q_b = 980.0, 20.0
    # the alkalinity (HCO3 + 2 CO3, meq/L) falls by the exchanged equivalents; PHREEQC splits
    # it (its alkalinity also counts OH- and H+, about 1e-4 meq/L here)
    c = s.product.conc_mg_L[0]
    alk = c[INDEX["HCO3"]] / EQ_HCO3 + c[INDEX["CO3"]] / EQ_CO3
    assert alk == pytest.approx((600 * 1000 / EQ_HCO3 - eq) / q_p, rel=1e-3)
    assert s.product.pH[0] < 7.5  # the CO2 made stays in the water
    assert s.product.conc_mg_L[0, NA] == pytest.approx(300 * 1000 / q_p, rel=1e-12)  # no Na added
    hcl_g = 2.001 * ca_rem + 3.3 * mg_rem
    assert s.residual.conc_mg_L[0, CL] == pytest.approx(hcl_g * M_CL / M_HCL / q_b, rel=1e-12)
    assert s.product.conc_mg_L[0, CL] == pytest.approx(200 * 1000 / q_p, rel=1e-12)
    # more hardness than alkalinity: a weak-acid resin takes up hardness only up to the
    # alkalinity (60 / 61.016 = 0.9834 meq/L of the 0.95 x (200/20.039 + 50/12.1525) =
    # 13.39 meq/L the table would exchange), so the alkalinity goes to ~0 and the pH to ~4.7
    s2 = run_unit(wac, feed(1000.0, Na=300, Ca=200, Mg=50, Cl=200, HCO3=60), ECON)
    exch = 0.95 * (200 / EQ_CA + 50 / EQ_MG)
    f = (60 / EQ_HCO3) / exch
    assert s2.product.conc_mg_L[0, INDEX["Ca"]] == pytest.approx(
        200 * (1 - 0.95 * f) * 1000 / q_p, rel=1e-12
    )
    assert s2.product.conc_mg_L[0, INDEX["HCO3"]] < 0.1
    assert 4.4 < s2.product.pH[0] < 5.0


@pytest.mark.parametrize(
    "tss, sludge_water",
    [
        # dry = 0.990826 x TSS x 1000 g/d; wet water = dry kg/d / 0.03 / 1000 kg/m3
        (100.0, 0.990826 * 100 * 1000 / 1000 / 0.03 / 1000),  # 3.30275 m3/d > (1 - 0.9999) x 1000
        (1.0, (1 - 0.9999) * 1000),  # 0.0330 m3/d < 0.1 m3/d
    ],
)
def test_sedimentation_sludge_water_is_the_larger_of_the_two(tss, sludge_water):
    sed = LIB["sedimentation"]
    assert (sed.recovery, sed.removal_of("TSS"), sed.sludge_solids_frac) == (0.9999, 0.990826, 0.03)
    s = run_unit(sed, feed(1000.0, Na=500, TSS=tss), ECON)
    dry_kg = sed.removal_of("TSS") * tss * 1000 / 1000
    expect = max((1 - sed.recovery) * 1000, dry_kg / sed.sludge_solids_frac / 1000)
    assert expect == pytest.approx(sludge_water, rel=1e-12)
    assert s.residual.flow_m3_d[0] == pytest.approx(sludge_water, rel=1e-12)
    assert s.product.flow_m3_d[0] == pytest.approx(1000 - sludge_water, rel=1e-12)
    assert s.solids_kg_d[0] == pytest.approx(dry_kg, rel=1e-12)
    assert s.product.conc_mg_L[0, INDEX["TSS"]] == pytest.approx((1 - 0.990826) * tss, rel=1e-12)
    assert s.product.conc_mg_L[0, NA] == pytest.approx(500.0, rel=1e-12)
    assert s.residual.conc_mg_L[0, NA] == pytest.approx(500.0, rel=1e-12)


def test_coagulation_adds_the_chloride_of_pac():
    coag = LIB["coagulation"]
    doses = {c.chemical: c.dose_mg_L for c in coag.chemicals}
    assert doses == {"pac": 8.4, "pam": 0.5}
    s = run_unit(coag, feed(1000.0, Na=500, Cl=100, HCO3=300, TSS=50), ECON)
    assert s.product.flow_m3_d[0] == 1000.0
    # PHREEQC doses the PAC (its Cl stays dissolved; PHREEQC prints totals to 6 digits and
    # converts mg/L to mol/kgw with its own solution mass, hence 1e-4)
    assert s.product.conc_mg_L[0, CL] == pytest.approx(100 + 8.4 * 1.8 * M_CL / M_AL2O3, rel=1e-4)
    # its Al (2 per Al2O3) enters the water and precipitates as gibbsite floc, carried as TSS
    assert s.added_g_d[0, INDEX["Al"]] == pytest.approx(8.4 * 2 * 26.982 / M_AL2O3 * 1000, rel=1e-9)
    floc = 2 * 8.4 / M_AL2O3 * 78.003
    assert s.product.conc_mg_L[0, INDEX["TSS"]] == pytest.approx(50 + floc, rel=1e-3)
    assert s.product.conc_mg_L[0, INDEX["Al"]] < 0.05
    assert s.chemicals_kg_d["pac"][0] == pytest.approx(8.4, rel=1e-12)
    assert s.chemicals_kg_d["pam"][0] == pytest.approx(0.5, rel=1e-12)
    assert s.energy_kWh_d[0] == pytest.approx(0.00508 * 1000, rel=1e-12)


def test_ultrafiltration_backwash_is_a_final_liquid_residual_of_the_train():
    r = simulate_train(
        "coagulation,sedimentation,ultrafiltration",
        feed(1000.0, Na=500, Cl=100, HCO3=300, TSS=100),
        library=LIB,
        economics=ECON,
    )
    (bw,) = [x for x in r.residuals if x.unit == "ultrafiltration"]
    tss = 100 + r.steps[0].details["precipitated_mmol_L"]["Gibbsite"][0] * 78.003  # + PAC floc
    q_sed = 1000 - 0.990826 * tss / 0.03 / 1000  # m3/d into UF
    assert bw.kind == "backwash" and bw.treated_by is None
    assert bw.stream.flow_m3_d[0] == pytest.approx(0.05 * q_sed, rel=1e-12)
    assert r.product.flow_m3_d[0] == pytest.approx(0.95 * q_sed, rel=1e-12)
    (sl,) = [x for x in r.residuals if x.unit == "sedimentation"]
    assert sl.wet_sludge_m3_d[0] == pytest.approx(0.990826 * tss / 0.03 / 1000, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Bad trains and bad feeds
# --------------------------------------------------------------------------------------------


def precedence_reason(unit: str, rule: str) -> str:
    with (LIBRARY_DIR / "precedence.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = [r for r in csv.DictReader(fh) if r["unit"] == unit and r["rule"] == rule]
    return row["reason"]


GOOD = dict(Na=500, Cl=100, HCO3=800, TSS=50)


def test_unknown_unit_suggests_the_nearest_id():
    with pytest.raises(InputError, match=r"unknown unit 'brackish_r0'.*did you mean 'brackish_ro'"):
        simulate_train("cartridge_filter,brackish_r0", feed(**GOOD), library=LIB, economics=ECON)


@pytest.mark.parametrize(
    "train, unit, rule",
    [
        ("brackish_ro", "brackish_ro", "requires_before"),
        ("coagulation,sedimentation,brackish_ro", "brackish_ro", "requires_before"),
        ("cartridge_filter,brackish_ro,crystallizer", "crystallizer", "requires_before"),
        ("cartridge_filter,disinfection,brackish_ro", "brackish_ro", "not_after"),
        ("sedimentation", "sedimentation", "requires_before"),
    ],
)
def test_impossible_order_is_refused_with_the_reason_of_precedence_csv(train, unit, rule):
    reason = precedence_reason(unit, rule)
    with pytest.raises(InputError, match="impossible order") as exc:
        simulate_train(train, feed(**GOOD), library=LIB, economics=ECON)
    assert reason in str(exc.value)
    assert unit in str(exc.value)


def test_the_reasons_quoted_are_the_ones_in_the_shipped_table():
    # guards the test above against an empty or changed precedence.csv
    assert precedence_reason("brackish_ro", "requires_before").startswith(
        "spiral-wound RO elements need 5-um cartridge or UF protection"
    )
    assert precedence_reason("crystallizer", "requires_before").startswith(
        "a crystallizer takes brine concentrator reject"
    )


@pytest.mark.parametrize(
    "train, message",
    [
        ("ph_adjustment:abc", "must be a number"),
        ("ph_adjustment:20", "between 2 and 13"),
        ("ph_adjustment:1.5", "between 2 and 13"),
        ("coagulation:7", "no target pH"),
        ("coagulation,,sedimentation", "empty unit name"),
        ("coagulation,coagulation", "appears twice"),
        ("", "empty unit name"),
    ],
)
def test_bad_train_tokens_are_refused(train, message):
    with pytest.raises(InputError, match=message):
        simulate_train(train, feed(**GOOD), library=LIB, economics=ECON)


@pytest.mark.parametrize("flow", [0.0, -5.0, math.nan, math.inf])
def test_non_positive_or_nan_flow_is_refused(flow):
    with pytest.raises(InputError, match="flow"):
        simulate_train("coagulation,sedimentation", feed(flow, **GOOD), library=LIB, economics=ECON)


def test_target_ph_token_is_applied():
    r = simulate_train(
        "ph_adjustment:6.5",
        feed(1000.0, pH=8.2, Na=500, Cl=100, HCO3=800),
        library=LIB,
        economics=ECON,
    )
    assert r.product.pH[0] == pytest.approx(6.5, abs=1e-6)
    assert r.steps[0].details["reagent"] == ["hydrochloric_acid"]
    assert r.chemicals_kg_d["hydrochloric_acid"][0] > 0


def test_scale_result_costs_equal_a_new_simulation_at_that_flow():
    """Every unit is linear in flow at fixed composition: a result scaled to other feed flows must
    cost exactly what simulating those flows costs (zero-order, membrane + brine concentrator,
    and PHREEQC pH adjustment + adsorption trains)."""

    import numpy as np

    from cbmwater.treatment.costing import cost_train
    from cbmwater.treatment.economics import load_economics
    from cbmwater.treatment.streams import StreamBatch
    from cbmwater.treatment.train import scale_result, simulate_train
    from cbmwater.water.io import read_analyses

    v = read_analyses(example_path("qinshui", "analyses.csv")).resolved().iloc[:3]
    econ = load_economics()
    sizes = np.array([250.0, 2000.0, 8000.0])
    for units in (
        ["coagulation", "sedimentation", "multimedia_filter", "cartridge_filter"],
        [
            "coagulation",
            "sedimentation",
            "multimedia_filter",
            "cartridge_filter",
            "brackish_ro",
            "mvc_concentrator",
        ],
        [
            "aeration",
            "coagulation",
            "sedimentation",
            "multimedia_filter",
            "ph_adjustment:6.5",
            "activated_alumina",
        ],
    ):
        base = simulate_train(units, StreamBatch.from_frame(v, 1000.0))
        scaled = cost_train(scale_result(base, [1, 1, 1], sizes), econ)
        direct = cost_train(
            simulate_train(units, StreamBatch.from_frame(v.iloc[[1, 1, 1]], sizes)), econ
        )
        assert np.allclose(scaled.capex_CNY, direct.capex_CNY, rtol=1e-9)
        assert np.allclose(scaled.opex_CNY_yr, direct.opex_CNY_yr, rtol=1e-9)
        assert not np.allclose(scaled.capex_CNY[0], scaled.capex_CNY[2])  # sizes do matter
