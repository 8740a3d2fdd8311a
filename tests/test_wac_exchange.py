"""H-form weak-acid cation exchange (``wac_exchange``): a closed column that dealkalises.

The resin takes up Ca, Mg, Sr and Ba and releases H+, which turns bicarbonate into dissolved
CO2 (H+ + HCO3- -> CO2 + H2O).  The column is closed: every mole of the feed's inorganic carbon
stays in the water until a degasser strips it.  So the product has the feed's total C(4) (per
litre: x Q_feed / Q_product, the brine takes no carbon), an alkalinity lower by the exchanged
equivalents, and the pH at which that water is electroneutral (docs/chemistry_ion_exchange.md).

Oracles, independent of the engine's input builder:

* (a) a hand-written PHREEQC input (tests/phreeqc_oracle.py, fresh IPhreeqc, phreeqc.dat) for a
  Na-HCO3 CBM water: the feed speciated for its C(4), then the product (cations after exchange,
  everything / 0.98, C(4) conserved) charge-balanced on pH;
* (b) the alkalinity drop written out by hand;
* (c) the product's C(4) against the feed's, the product re-speciated from the pH and
  alkalinity the engine carries on (what the next unit will read);
* (e) a degasser after it strips the CO2: pH up, C(4) down, alkalinity unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from phreeqc_oracle import run_phreeqc as run

from cbmwater.treatment.economics import load_economics
from cbmwater.treatment.library import load_library
from cbmwater.treatment.models import run_unit
from cbmwater.treatment.policies import unit_policies
from cbmwater.treatment.streams import INDEX, StreamBatch
from cbmwater.treatment.train import simulate_train

LIB = load_library()
ECON = load_economics()
WAC = LIB["wac_exchange"]

# typed g/eq (Hem 1985 / the vocabulary's molar masses)
EQ = {"Na": 22.99, "Ca": 20.039, "Mg": 12.1525, "Cl": 35.45, "SO4": 48.03, "HCO3": 61.016}
EQ_CO3 = 30.004
# A Na-HCO3 CBM water (reference/qinshui_standards.md §1.3 ranges), Cl set so that the ions
# balance exactly by the typed equivalent masses (an analysis' imbalance is a separate matter,
# handled by the engine's offset; the oracle is then a plain charge balance).
W = {"Na": 900.0, "Ca": 40.0, "Mg": 10.0, "SO4": 20.0, "HCO3": 1900.0}
W["Cl"] = EQ["Cl"] * (
    W["Na"] / EQ["Na"]
    + W["Ca"] / EQ["Ca"]
    + W["Mg"] / EQ["Mg"]
    - W["SO4"] / EQ["SO4"]
    - W["HCO3"] / EQ["HCO3"]
)  # 369.06 mg/L
PH, TEMP, Q = 8.2, 20.0, 1000.0
R, X = 0.98, 0.95  # recovery and removal of Ca/Mg (units.toml, typed)


def feed_batch(rows: list[dict[str, float]], flows: list[float]) -> StreamBatch:
    return StreamBatch.from_frame(pd.DataFrame(rows), np.array(flows))


def kgw_per_L(mg_L: dict[str, float]) -> float:
    """kg of water per litre at density 1 kg/L (PHREEQC's reading of mg/l input)."""
    return 1.0 - sum(mg_L.values()) / 1e6


def oracle_feed_dic_mmol_L() -> float:
    """Total C(4) of W at pH 8.2, mmol per litre of feed (hand-written PHREEQC input)."""
    out = run(
        f"""SOLUTION 1
    units mg/l
    temp {TEMP}
    pH {PH}
    Na {W["Na"]}
    Ca {W["Ca"]}
    Mg {W["Mg"]}
    Cl {W["Cl"]}
    S(6) {W["SO4"]} as SO4
    Alkalinity {W["HCO3"]} as HCO3
SELECTED_OUTPUT 1
    -reset false
    -totals C(4)
END
"""
    )
    return float(out["C(4)"].iloc[0]) * 1000.0 * kgw_per_L(W)


def oracle_product() -> dict[str, float]:
    """The WAC product by hand: Ca and Mg x 0.05, every ion / 0.98 (the brine takes the removed
    hardness and 2 % of the water), C(4) of the feed / 0.98; PHREEQC finds the pH."""
    c = {k: W[k] * (1 - X if k in ("Ca", "Mg") else 1.0) / R for k in ("Na", "Ca", "Mg", "Cl")}
    so4 = W["SO4"] / R
    dic = oracle_feed_dic_mmol_L() / R
    out = run(
        f"""SOLUTION 1
    units mg/l
    temp {TEMP}
    pH 7 charge
    Na {c["Na"]}
    Ca {c["Ca"]}
    Mg {c["Mg"]}
    Cl {c["Cl"]}
    S(6) {so4} as SO4
    C(4) {dic} mmol/l
SELECTED_OUTPUT 1
    -reset false
    -pH true
    -alkalinity true
    -totals C(4)
    -molalities HCO3- CO3-2
END
"""
    )
    row = out.iloc[0]
    # per litre: PHREEQC read the product's mg/l (with C(4) as HCO3, its gfw) on 1 - TDS kg water
    kgw = kgw_per_L({**c, "SO4": so4, "C": dic * 61.0173})
    rho = float(row["m_CO3-2"]) / float(row["m_HCO3-"])
    alk = float(row["Alk(eq/kgw)"]) * kgw  # eq/L
    hco3_mol = alk / (1 + 2 * rho)
    return {
        "pH": float(row["pH"]),
        "HCO3": hco3_mol * 61.016 * 1000,
        "CO3": rho * hco3_mol * 60.008 * 1000,
        "dic": dic,
    }


def engine_wac():
    return run_unit(WAC, feed_batch([{**W, "pH": PH, "temp_C": TEMP}], [Q]), ECON)


def test_library_values_typed_here():
    assert (WAC.recovery, WAC.removal_of("Ca"), WAC.removal_of("Mg")) == (R, X, X)
    assert WAC.removal_of("HCO3") == 0.0 and WAC.params["counter_ion"] == "H"
    assert W["Cl"] == pytest.approx(369.06, abs=0.01)


def test_a_product_pH_and_carbonate_equal_a_hand_written_phreeqc_input():
    s = engine_wac()
    o = oracle_product()
    # feed pH 8.2 -> 7.34: about 9 % of the alkalinity became CO2, which the column keeps
    assert o["pH"] == pytest.approx(7.34, abs=0.02)
    assert s.product.pH[0] == pytest.approx(o["pH"], abs=0.01)
    assert s.product.conc_mg_L[0, INDEX["HCO3"]] == pytest.approx(o["HCO3"], rel=0.01)
    assert s.product.conc_mg_L[0, INDEX["CO3"]] == pytest.approx(o["CO3"], rel=0.01)
    assert s.product.pH[0] < PH - 0.5
    assert f"pH {PH} charge" in s.details["phreeqc_input"]  # the pH is found, not set


def test_b_alkalinity_falls_by_the_exchanged_equivalents():
    s = engine_wac()
    # feed alkalinity 1900 / 61.016 = 31.139 meq/L; exchanged 0.95 x (40 / 20.039 + 10 / 12.1525)
    # = 0.95 x (1.9961 + 0.8229) = 2.6781 meq/L of feed; per litre of product
    # (31.139 - 2.678) / 0.98 = 29.042 meq/L
    alk_feed = W["HCO3"] / EQ["HCO3"]
    exch = X * (W["Ca"] / EQ["Ca"] + W["Mg"] / EQ["Mg"])
    assert (alk_feed, exch) == pytest.approx((31.139, 2.6781), abs=1e-3)
    expect = (alk_feed - exch) / R
    assert expect == pytest.approx(29.042, abs=1e-3)
    c = s.product.conc_mg_L[0]
    alk = c[INDEX["HCO3"]] / EQ["HCO3"] + c[INDEX["CO3"]] / EQ_CO3
    # PHREEQC's alkalinity also counts OH- and -H+ (about 1e-4 meq/L at pH 7.3)
    assert alk == pytest.approx(expect, rel=1e-3)
    # the hardness went to the brine with the acid regenerant (110 % of stoichiometric HCl)
    assert s.residual.conc_mg_L[0, INDEX["Ca"]] == pytest.approx(X * 40 * Q / (Q * (1 - R)))
    assert s.product.conc_mg_L[0, INDEX["Na"]] == pytest.approx(W["Na"] / R, rel=1e-12)


def test_c_inorganic_carbon_is_conserved_through_the_closed_column():
    s = engine_wac()
    dic_feed = oracle_feed_dic_mmol_L()
    assert s.details["feed_dic_mmol_L"][0] == pytest.approx(dic_feed, rel=1e-3)
    # the product's C(4) per litre x product flow = the feed's x feed flow
    assert s.details["dic_mmol_L"][0] * s.product.flow_m3_d[0] == pytest.approx(dic_feed * Q, 1e-3)
    # what the next unit reads: the pH and alkalinity carried on give back the same C(4)
    c = s.product.conc_mg_L[0]
    prod = {k: c[INDEX[k]] for k in ("Na", "Ca", "Mg", "Cl", "SO4")}
    out = run(
        f"""SOLUTION 1
    units mg/l
    temp {TEMP}
    pH {s.product.pH[0]}
    Na {prod["Na"]}
    Ca {prod["Ca"]}
    Mg {prod["Mg"]}
    Cl {prod["Cl"]}
    S(6) {prod["SO4"]} as SO4
    Alkalinity {c[INDEX["HCO3"]] + c[INDEX["CO3"]] * 61.016 / EQ_CO3} as HCO3
SELECTED_OUTPUT 1
    -reset false
    -totals C(4)
END
"""
    )
    alk_mg = c[INDEX["HCO3"]] + c[INDEX["CO3"]] * 61.016 / EQ_CO3
    dic_read = float(out["C(4)"].iloc[0]) * 1000 * kgw_per_L({**prod, "HCO3": alk_mg})
    assert dic_read * s.product.flow_m3_d[0] == pytest.approx(dic_feed * Q, rel=5e-3)


def test_e_a_degasser_after_it_strips_the_co2():
    r = simulate_train(
        "multimedia_filter,wac_exchange,degasser",
        feed_batch([{**W, "pH": PH, "temp_C": TEMP}], [Q]),
    )
    wac, deg = r.steps[1], r.steps[2]
    assert deg.unit.model == "degassing" and deg.unit.params["log_pCO2"] == -3.0
    c0, c1 = wac.product.conc_mg_L[0], deg.product.conc_mg_L[0]

    def alk(c):
        return c[INDEX["HCO3"]] / EQ["HCO3"] + c[INDEX["CO3"]] / EQ_CO3

    def dic(b: StreamBatch) -> float:
        c = b.conc_mg_L[0]
        a = alk(c) * 61.016
        out = run(
            f"""SOLUTION 1
    units mg/l
    temp {TEMP}
    pH {b.pH[0]}
    Na {c[INDEX["Na"]]}
    Ca {c[INDEX["Ca"]]}
    Mg {c[INDEX["Mg"]]}
    Cl {c[INDEX["Cl"]]}
    S(6) {c[INDEX["SO4"]]} as SO4
    Alkalinity {a} as HCO3
SELECTED_OUTPUT 1
    -reset false
    -totals C(4)
    -si CO2(g)
END
"""
        )
        return float(out["C(4)"].iloc[0]), float(out["si_CO2(g)"].iloc[0])

    (dic0, si0), (dic1, si1) = dic(wac.product), dic(deg.product)
    # stripping CO2 does not change the alkalinity; it raises the pH and lowers the C(4)
    assert alk(c1) == pytest.approx(alk(c0), rel=1e-3)
    assert deg.product.pH[0] > wac.product.pH[0] + 1.5  # 7.34 -> about 9.1
    assert dic1 < 0.9 * dic0
    assert si0 > -1.5 and si1 == pytest.approx(-3.0, abs=0.02)


def test_more_hardness_than_alkalinity_stops_at_the_alkalinity():
    s = run_unit(
        WAC,
        feed_batch(
            [{"Na": 300, "Ca": 200, "Mg": 50, "Cl": 200 + 626.6, "HCO3": 60, "pH": 7.5}], [Q]
        ),
        ECON,
    )
    # 0.95 x (200/20.039 + 50/12.1525) = 13.39 meq/L would exchange; 60/61.016 = 0.983 can
    ca_left = 200 * (1 - X * (60 / 61.016) / (X * (200 / 20.039 + 50 / 12.1525)))
    assert s.product.conc_mg_L[0, INDEX["Ca"]] == pytest.approx(ca_left / R, rel=1e-9)
    # all alkalinity gone: the pH of its C(4) (about 1.0 mmol/L) as CO2, ~4.7
    assert s.product.conc_mg_L[0, INDEX["HCO3"]] < 0.1
    assert 4.5 < s.product.pH[0] < 4.9


def test_a_batch_with_unmeasured_values_is_speciated_water_by_water():
    rows = [
        {**W, "pH": PH, "temp_C": TEMP},
        {**W, "pH": float("nan"), "temp_C": TEMP},  # no pH: carried over, with a warning
        {**W, "HCO3": float("nan"), "pH": 7.9, "temp_C": TEMP},  # no alkalinity
        {**W, "Mg": float("nan"), "SO4": float("nan"), "pH": 7.9, "temp_C": 15.0},
    ]
    s = run_unit(WAC, feed_batch(rows, [Q, 200.0, 50.0, 3000.0]), ECON)
    alone = engine_wac()
    assert s.product.pH[0] == alone.product.pH[0]
    np.testing.assert_array_equal(s.product.conc_mg_L[0], alone.product.conc_mg_L[0])
    assert np.isnan(s.product.pH[1]) and s.product.pH[2] == 7.9
    assert any("pH not computed" in w for w in s.warnings[1])
    assert any("pH not computed" in w for w in s.warnings[2])
    assert np.isnan(s.product.conc_mg_L[2, INDEX["HCO3"]])
    assert 6.8 < s.product.pH[3] < 7.9 and not s.warnings[3]
    assert np.isnan(s.product.conc_mg_L[3, INDEX["Mg"]])


def test_the_policy_says_closed_column_and_degasser():
    p = unit_policies(WAC)
    assert "closed column" in p["co2"] and "degasser" in p["co2"]
    assert "conserved" in p["co2"]
    assert p["redox"].startswith("no oxidation or reduction")
    assert "brine" in p["solids"]
    # Na-form exchangers keep the zero-order sentences
    assert unit_policies(LIB["sac_exchange"])["co2"].startswith("closed: no exchange with air")
