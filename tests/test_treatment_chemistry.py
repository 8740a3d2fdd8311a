"""PHREEQC-backed treatment chemistry against hand-written PHREEQC inputs run in a fresh IPhreeqc.

The oracles use a different method from the engine: the lime dose is found by titrating
Ca(OH)2 in small REACTION steps and interpolating the pH crossing (the engine uses PHREEQC's
Fix_H+ pseudo-phase); the membrane limit by concentrating the feed in 0.001-recovery steps (the
engine uses a coarse and a refined pass).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

from cbmwater.errors import InputError
from cbmwater.geochem.databases import resolve_database
from cbmwater.treatment.chemistry import concentrate_limit, equilibrate
from cbmwater.treatment.streams import INDEX, StreamBatch

HARD = dict(
    temp_C=20.0, pH=7.6, Na=300, K=3, Ca=60, Mg=20, Cl=150, SO4=200, HCO3=400, F=1.0, SiO2=20
)
CBM = dict(
    temp_C=18.0,
    pH=8.2,
    Na=680,
    K=3,
    Ca=8,
    Mg=3,
    Cl=150,
    SO4=20,
    HCO3=1500,
    CO3=30,
    F=2.5,
    Ba=0.5,
    Sr=0.5,
    SiO2=12,
)
ALLOW = {"Calcite": 1.8, "Barite": 1.8, "Celestite": 0.9, "Fluorite": 2.0, "SiO2(a)": 0.0}


def run(text: str) -> pd.DataFrame:
    ip = IPhreeqc()
    ip.load_database(str(resolve_database("phreeqc")))
    ip.run_string(text)
    arr = ip.get_selected_output_array()
    return pd.DataFrame(arr[1:], columns=[str(h).strip() for h in arr[0]])


def solution(w: dict) -> str:
    alk = 50.04 * (w.get("HCO3", 0) / 61.016 + 2 * w.get("CO3", 0) / 60.008)
    lines = [
        "SOLUTION 1",
        "    units mg/l",
        f"    temp {w['temp_C']}",
        f"    pH {w['pH']}",
        f"    Alkalinity {alk} as CaCO3",
    ]
    for k in ("Na", "K", "Ca", "Mg", "Cl", "F", "Ba", "Sr"):
        if k in w:
            lines.append(f"    {k} {w[k]}")
    lines.append(f"    S(6) {w['SO4']} as SO4")
    lines.append(f"    Si {w['SiO2']} as SiO2")
    return "\n".join(lines) + "\n"


def test_lime_dose_to_pH_10_3_matches_a_hand_written_titration():
    # oracle: Ca(OH)2 added in 0.05 mmol steps; calcite and brucite may precipitate
    steps = " ".join(f"{0.05 * k:.2f}" for k in range(1, 201))
    text = f"""PHASES
Brucite
    Mg(OH)2 + 2 H+ = Mg+2 + 2 H2O
    log_k 16.84
    delta_h -27.1 kcal
END
SELECTED_OUTPUT 1
    -reset false
    -pH true
    -reaction true
    -equilibrium_phases Calcite
{solution(HARD)}EQUILIBRIUM_PHASES 1
    Calcite 0 0
    Brucite 0 0
REACTION 1
    Ca(OH)2 1
    {steps} millimoles
END
"""
    out = run(text)
    out = out[out["reaction"].astype(float) > 0]
    ph = out["pH"].astype(float).to_numpy()
    mmol = out["reaction"].astype(float).to_numpy() * 1000
    k = int(np.argmax(ph >= 10.3))
    dose_oracle = np.interp(10.3, ph[k - 1 : k + 1], mmol[k - 1 : k + 1])
    batch = StreamBatch.from_frame(pd.DataFrame([HARD]), 1000.0)
    eq = equilibrate(
        batch,
        target_pH=10.3,
        base="lime",
        precipitates=("Calcite", "Brucite"),
        adds_mol={"lime": {"Ca": 1}},
    )
    assert eq.pH[0] == pytest.approx(10.3, abs=1e-3)
    # mmol per litre of feed (engine) vs mmol per kg of water (oracle): within 2 %
    assert eq.reagent_mmol_L[0] == pytest.approx(dose_oracle, rel=0.02)
    # calcite precipitated: engine vs oracle at the same dose, within 2 %
    calc_oracle = np.interp(dose_oracle, mmol, out["Calcite"].astype(float).to_numpy() * 1000)
    assert eq.precipitated_mmol_L["Calcite"][0] == pytest.approx(calc_oracle, rel=0.02)
    # and the calcium balance closes: feed + lime = dissolved + calcite
    ca_feed = HARD["Ca"] / 40.078
    ca_out = eq.conc_mg_L[0, INDEX["Ca"]] / 40.078
    assert ca_feed + eq.reagent_mmol_L[0] == pytest.approx(
        ca_out + eq.precipitated_mmol_L["Calcite"][0], rel=1e-3
    )


def feed_log_pco2(w: dict) -> float:
    """log pCO2 of the feed, by its own hand-written speciation."""
    out = run("SELECTED_OUTPUT 1\n    -reset false\n    -si CO2(g)\n" + solution(w) + "END\n")
    return float(out["si_CO2(g)"].astype(float).iloc[-1])


def concentrate_si(
    w: dict, minerals: list[str], recoveries: list[float], log_pco2: float | None
) -> pd.DataFrame:
    """SI of the concentrate at each recovery: feed, water removed (55.508 r mol per kg) and,
    unless ``log_pco2`` is None (closed), CO2(g) held at the feed's log pCO2."""
    moles = " ".join(f"{55.508 * r:.8f}" for r in recoveries)
    co2 = "" if log_pco2 is None else f"EQUILIBRIUM_PHASES 1\n    CO2(g) {log_pco2:.6f} 10\n"
    text = f"""SELECTED_OUTPUT 1
    -reset false
    -reaction true
    -pH true
    -si {" ".join(minerals)}
{solution(w)}{co2}REACTION 1
    H2O -1
    {moles} moles
END
"""
    out = run(text)
    return out[out["reaction"].astype(float) > 0].astype(float).reset_index(drop=True)


def oracle_bisection(w: dict, allowance: dict[str, float], rmax: float = 0.95) -> tuple[float, str]:
    """The recovery limit by bisection on the hand-written concentrate input (CO2 held)."""
    logp = feed_log_pco2(w)

    def worst(r: float) -> tuple[float, str]:
        row = concentrate_si(w, list(allowance), [r], logp).iloc[0]
        over = {m: row[f"si_{m}"] - a for m, a in allowance.items() if row[f"si_{m}"] > -999}
        m = max(over, key=over.get)
        return over[m], m

    if worst(rmax)[0] <= 0:
        return rmax, ""
    lo, hi = 0.001, rmax
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        if worst(mid)[0] > 0:
            hi = mid
        else:
            lo = mid
    return hi, worst(hi)[1]


def oracle_limit(w: dict, allowance: dict[str, float], rmax: float = 0.95) -> tuple[float, str]:
    """Closed-CO2 oracle (the policy before CO2 was held at the feed's): 0.001-recovery scan."""
    rs = np.round(np.arange(0.001, rmax + 1e-9, 0.001), 3)
    moles = " ".join(f"{55.508 * r:.6f}" for r in rs)
    text = f"""SELECTED_OUTPUT 1
    -reset false
    -reaction true
    -si {" ".join(allowance)}
{solution(w)}REACTION 1
    H2O -1
    {moles} moles
END
"""
    out = run(text)
    out = out[out["reaction"].astype(float) > 0].reset_index(drop=True)
    first = {}
    for m, a in allowance.items():
        si = out[f"si_{m}"].astype(float).to_numpy()
        hit = np.flatnonzero(si > a)
        if len(hit):
            first[m] = rs[hit[0]]
    if not first:
        return rmax, ""
    m = min(first, key=first.get)
    return float(first[m]), m


@pytest.mark.parametrize("water", [CBM, HARD], ids=["CBM", "hard"])
def test_membrane_recovery_limit_equals_bisection_on_hand_written_concentrate(water):
    """Issue 11: the limit agrees with a bisection on the hand-written input (feed, water
    removed, CO2(g) held at the feed's log pCO2) within 0.01."""
    r_oracle, m_oracle = oracle_bisection(water, ALLOW)
    lim = concentrate_limit(StreamBatch.from_frame(pd.DataFrame([water]), 1000.0), ALLOW, 0.95)
    assert lim.co2_policy == "feed_pco2"
    assert lim.feed_log_pco2[0] == pytest.approx(feed_log_pco2(water), abs=1e-4)
    assert lim.recovery_limit[0] == pytest.approx(r_oracle, abs=0.01)
    assert lim.limiting_mineral[0] == m_oracle


@pytest.mark.parametrize("water", [CBM, HARD], ids=["CBM", "hard"])
def test_concentrate_si_equals_hand_written_input_at_three_recoveries(water):
    """The engine's concentrate (CO2 held at the feed's pCO2) equals the hand-written input to
    0.01 SI at recoveries 0.3, 0.5 and 0.7 (the engine's own grid is read at these points)."""
    from cbmwater.geochem.databases import database_info
    from cbmwater.treatment.chemistry import _concentration_run
    from cbmwater.treatment.chemistry import feed_log_pco2 as engine_logp

    rs = [0.3, 0.5, 0.7]
    minerals = ["Calcite", "Barite", "Fluorite", "SiO2(a)"]
    batch = StreamBatch.from_frame(pd.DataFrame([water]), 1000.0)
    logp = engine_logp(batch)
    out, _ = _concentration_run(batch, [np.array(rs)], minerals, database_info(None), logp)
    react = out[out["state"].astype(str).str.strip() == "react"].reset_index(drop=True)
    oracle = concentrate_si(water, minerals, rs, feed_log_pco2(water))
    assert len(react) == len(oracle) == 3
    for m in minerals:
        np.testing.assert_allclose(react[f"si_{m}"].to_numpy(float), oracle[f"si_{m}"], atol=0.01)
    # held CO2 raises the concentrate pH by about log10(1/(1-r)) (FilmTec; reference §1)
    feed_ph = water["pH"]
    rise = oracle["pH"].to_numpy() - feed_ph
    np.testing.assert_allclose(rise, np.log10(1 / (1 - np.array(rs))), atol=0.12)


@pytest.mark.parametrize("water", [CBM, HARD], ids=["CBM", "hard"])
def test_closed_co2_policy_reproduces_the_old_concentrate(water):
    r_oracle, m_oracle = oracle_limit(water, ALLOW)
    lim = concentrate_limit(
        StreamBatch.from_frame(pd.DataFrame([water]), 1000.0), ALLOW, 0.95, co2="closed"
    )
    assert lim.recovery_limit[0] == pytest.approx(r_oracle, abs=0.01)
    assert lim.limiting_mineral[0] == m_oracle
    # holding CO2 at the feed's never allows more recovery than the closed concentrate
    held = concentrate_limit(StreamBatch.from_frame(pd.DataFrame([water]), 1000.0), ALLOW, 0.95)
    assert held.recovery_limit[0] <= lim.recovery_limit[0] + 1e-3


def test_recovery_limit_falls_as_barium_or_sulfate_rises():
    # barite alone: the limit falls strictly as either of its ions rises
    bas = [2.0, 4.0, 8.0, 16.0]
    lim = concentrate_limit(
        StreamBatch.from_frame(pd.DataFrame([dict(CBM, Ba=b) for b in bas]), 1000.0),
        {"Barite": 1.8},
        0.95,
    )
    r = lim.recovery_limit
    assert all(a > b for a, b in zip(r, r[1:])), r
    assert set(lim.limiting_mineral) == {"Barite"}
    so4 = [5, 20, 60, 150]
    r2 = concentrate_limit(
        StreamBatch.from_frame(pd.DataFrame([dict(CBM, Ba=2.0, SO4=s) for s in so4]), 1000.0),
        {"Barite": 1.8},
        0.95,
    ).recovery_limit
    assert all(a > b for a, b in zip(r2, r2[1:])), r2
    # with calcite also checked, Ba only ever lowers the limit (ionic-strength noise < 0.001)
    allow = {"Barite": 1.8, "Calcite": 1.8}
    mixed = concentrate_limit(
        StreamBatch.from_frame(
            pd.DataFrame([dict(CBM, Ba=b) for b in [0.2, 0.5, 2.0, 8.0, 16.0]]), 1000.0
        ),
        allow,
        0.95,
    )
    rm = mixed.recovery_limit
    assert all(b <= a + 1e-3 for a, b in zip(rm, rm[1:])), rm
    assert rm[0] > rm[-1] + 0.05 and mixed.limiting_mineral[-1] == "Barite"


def test_bad_chemistry_inputs_are_clear_errors():
    b = StreamBatch.from_frame(pd.DataFrame([HARD]), 1000.0)
    with pytest.raises(InputError, match="target pH"):
        equilibrate(b, target_pH=15, base="lime")
    with pytest.raises(InputError, match="cannot dose"):
        equilibrate(b, target_pH=10, base="unobtainium")
    with pytest.raises(InputError, match="maximum recovery"):
        concentrate_limit(b, ALLOW, 1.2)


@pytest.mark.slow
def test_large_batches_run_in_parallel_chunks_with_the_same_answer():
    """60 waters (parallel PHREEQC chunks) give what batches of 10 (one instance) give."""
    rng = np.random.default_rng(3)
    waters = [
        dict(
            CBM,
            Ba=float(rng.uniform(0.1, 4)),
            SO4=float(rng.uniform(5, 80)),
            pH=float(rng.uniform(7.6, 8.6)),
        )
        for _ in range(60)
    ]
    big = concentrate_limit(StreamBatch.from_frame(pd.DataFrame(waters), 1000.0), ALLOW, 0.95)
    for a in range(0, 60, 10):
        small = concentrate_limit(
            StreamBatch.from_frame(pd.DataFrame(waters[a : a + 10]), 1000.0), ALLOW, 0.95
        )
        np.testing.assert_allclose(big.recovery_limit[a : a + 10], small.recovery_limit, rtol=1e-12)
        assert big.limiting_mineral[a : a + 10] == small.limiting_mineral
    eq_big = equilibrate(
        StreamBatch.from_frame(pd.DataFrame(waters), 1000.0),
        target_pH=6.5,
        acid="hydrochloric_acid",
        adds_mol={"hydrochloric_acid": {"Cl": 1}},
    )
    eq_small = equilibrate(
        StreamBatch.from_frame(pd.DataFrame(waters[:10]), 1000.0),
        target_pH=6.5,
        acid="hydrochloric_acid",
        adds_mol={"hydrochloric_acid": {"Cl": 1}},
    )
    np.testing.assert_allclose(eq_big.reagent_mmol_L[:10], eq_small.reagent_mmol_L, rtol=1e-12)


NACL_IMBALANCED = dict(
    temp_C=20.0, pH=7.0, Na=500.0, K=0.0, Ca=2.0, Mg=0.0, Cl=770.0, SO4=0.0, HCO3=50.0, SiO2=5.0
)  # ion balance -1.8 %: the permeate pH must not care


@pytest.mark.parametrize("feed_w", [CBM, NACL_IMBALANCED], ids=["CBM", "NaCl-imbalanced"])
def test_permeate_pH_matches_a_hand_written_phreeqc_calculation(feed_w):
    """RO permeate: CO2 passes at the feed concentration; the ions, HCO3 and CO3 at 2.5 % of the
    feed mass per litre of permeate.  At the engine's pH, a hand-written PHREEQC solution with the
    permeate's ions and total carbon must have the permeate's alkalinity."""
    from cbmwater.treatment.chemistry import permeate_pH

    passage = 0.025
    feed_w = dict(feed_w)
    feed_out = run(f"""SELECTED_OUTPUT 1
    -reset false
    -totals C(4)
    -molalities CO2
{solution(feed_w)}END
""").iloc[0]
    ct, co2 = float(feed_out.iloc[0]), float(feed_out.iloc[1])  # mol/kgw (dilute: ~mol/L)
    ct_perm_mmol = 1000 * (co2 + (ct - co2) * passage)
    perm_w = {k: (v * passage if k not in ("temp_C", "pH") else v) for k, v in feed_w.items()}
    target_meq = perm_w["HCO3"] / 61.016 + 2 * perm_w.get("CO3", 0.0) / 60.008
    feed = StreamBatch.from_frame(pd.DataFrame([feed_w]), 1000.0)
    perm = StreamBatch.from_frame(pd.DataFrame([perm_w]), 800.0)
    ph, _ = permeate_pH(feed, perm, np.array([passage]))
    assert 4.5 < ph[0] < feed_w["pH"] - 0.5  # CO2 passes, bicarbonate does not: pH drops
    lines = ["SOLUTION 1", "    units mg/l", f"    temp {perm_w['temp_C']}", f"    pH {ph[0]}"]
    for k in ("Na", "K", "Ca", "Mg", "Cl", "F", "Ba", "Sr"):
        if k in perm_w:
            lines.append(f"    {k} {perm_w[k]}")
    lines += [
        f"    S(6) {perm_w['SO4']} as SO4",
        f"    Si {perm_w['SiO2']} as SiO2",
        f"    C(4) {ct_perm_mmol} mmol/l",
    ]
    alk = float(
        run(
            "SELECTED_OUTPUT 1\n    -reset false\n    -alkalinity true\n"
            + "\n".join(lines)
            + "\nEND\n"
        )
        .iloc[0]
        .iloc[0]
    )  # Alk(eq/kgw)
    assert alk * 1000 == pytest.approx(target_meq, rel=0.01)
