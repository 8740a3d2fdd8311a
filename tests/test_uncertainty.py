"""A plan under sampled scenarios (issue 15, Deliver 1-2; cbmwater/study/uncertainty.py).

Oracles, each written here by hand:

* the hand case (tests/data/optimise/hand; its optimum is derived in tests/test_optimise.py:
  Reuse takes 100 m3/d, discount 0, one 1-yr period) with only the Reuse tariff uncertain:
  with the builds fixed the flows do not move while Reuse pays (p > 0), so the scenario NPV
  cost is NPV(p) = NPV0 - (p - p0) x 100 m3/d x 365 d;
* statistics: numpy's percentiles of the scenario table, and CVaR by hand on short lists;
* a one-station case (one well of 100 m3/d, F = 1.0 mg/L, no treatment) whose Reuse user has
  F <= 1.5 mg/L: with an F multiplier m the Reuse blend is m mg/L, so its limit holds exactly
  in the scenarios with m <= 1.5;
* the same case with the disposal capacity 150 x f: Reuse takes 60 m3/d, so 40 - 150 f m3/d
  (when positive) cannot be placed, 365 days a year;
* the same seed gives the same JSON with 1 and 2 workers and with a Dask LocalCluster.
"""

from __future__ import annotations

import math
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from toml_writer import dumps

import cbmwater
from cbmwater.errors import InputError
from cbmwater.optimize.scenarios import cvar

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "optimise" / "hand"

ONE_STATION = {
    "case": {"name": "one station", "analyses": "analyses.csv", "periods": 1},
    "economics": {"discount_rate": 0.0},
    "stations": [{"name": "S", "x_km": 0, "y_km": 0}],
    "sources": {"wells": "wells.csv"},
    "trains": [{"name": "direct", "units": ""}],
    "destinations": [
        {
            "name": "Reuse",
            "kind": "reuse",
            "x_km": 0,
            "y_km": 0,
            "capacity_m3_d": 60,
            "limits": {"F": 1.5},
            "price_CNY_m3": 2.0,
        },
        {
            "name": "Disposal",
            "kind": "discharge",
            "x_km": 0,
            "y_km": 0,
            "capacity_m3_d": 150,
            "fee_CNY_m3": 0.5,
        },
    ],
}


def _hand(tmp: Path, uncertainty: dict | None) -> Path:
    for f in HAND.glob("*.csv"):
        shutil.copy(f, tmp)
    data = tomllib.loads((HAND / "case.toml").read_text(encoding="utf-8"))
    if uncertainty is not None:
        data["uncertainty"] = uncertainty
    out = tmp / "case.toml"
    out.write_text(dumps(data), encoding="utf-8")
    return out


def _one_station(tmp: Path, uncertainty: dict) -> Path:
    (tmp / "wells.csv").write_text("well,station,analysis,qi_m3_d,Di_per_yr,b\nS1,S,S-1,100,0,0\n")
    (tmp / "analyses.csv").write_text(
        "sample_id,temp_C,pH,Na,K,Ca,Mg,Cl,SO4,HCO3,F\nS-1,20,7.8,230,2,8,3,60,20,490,1.0\n"
    )
    data = dict(ONE_STATION, uncertainty=uncertainty)
    out = tmp / "case.toml"
    out.write_text(dumps(data), encoding="utf-8")
    return out


TARIFF = {"destinations": [{"name": "Reuse", "price_CNY_m3": {"dist": "uniform", "low": 0.5, "high": 1.5}}]}  # fmt: skip
MIXED = {
    "wells": [{"qi_factor": {"dist": "lognormal", "median": 1.0, "sigma": 0.1}}],
    "prices": {"electricity_CNY_kWh": "default", "chemicals_factor": "default"},
    "destinations": [{"name": "Reuse", "price_CNY_m3": "default", "capacity_factor": "default"}],
}


# -- reproducibility ------------------------------------------------------------------------------
def test_same_seed_gives_the_same_json_with_one_and_two_workers(tmp_path):
    case = _hand(tmp_path, MIXED)
    one = cbmwater.uncertainty(case, samples=4, seed=11, workers=1)
    two = cbmwater.uncertainty(case, samples=4, seed=11, workers=2)
    assert one.to_json() == two.to_json()
    other = cbmwater.uncertainty(case, samples=4, seed=12, workers=2)
    assert other.to_json() != one.to_json()  # the seed matters
    # the inputs really vary between scenarios
    frame = one.to_frame()
    assert frame["wells[1] A1 qi_factor"].nunique() == 4
    assert set(one.to_dict()) >= {"samples", "seed", "npv_CNY", "reuse_share", "destinations"}
    assert set(one.npv_CNY) == {"mean", "p10", "p50", "p90", "cvar90"}


@pytest.mark.slow
def test_same_seed_gives_the_same_json_on_a_dask_local_cluster(tmp_path):
    pytest.importorskip("distributed")
    case = _hand(tmp_path, MIXED)
    pool = cbmwater.uncertainty(case, samples=4, seed=11, workers=2)
    dask = cbmwater.uncertainty(case, samples=4, seed=11, workers=2, scheduler="local-dask")
    assert dask.to_json() == pool.to_json()


# -- a price: the NPV is linear in it ---------------------------------------------------------
@pytest.fixture(scope="module")
def tariff(tmp_path_factory):
    case = _hand(tmp_path_factory.mktemp("tariff"), TARIFF)
    return cbmwater.uncertainty(case, samples=8, seed=5, workers=1)


def test_npv_is_linear_in_the_reuse_tariff(tariff):
    npv0 = tariff.deterministic["npv_CNY"]
    reuse_m3 = 100.0 * 365.0  # Reuse's capacity, filled (hand derivation, test_optimise.py)
    frame = tariff.to_frame()
    p = frame["destination 'Reuse' price_CNY_m3"].to_numpy()
    assert ((p >= 0.5) & (p <= 1.5)).all() and np.ptp(p) > 0.3
    expected = npv0 - (p - 1.0) * reuse_m3
    assert frame["npv_CNY"].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert frame["reuse_m3"].to_numpy() == pytest.approx(np.full(8, reuse_m3))
    flows = tariff.to_frame("flows")
    reuse = flows[flows["destination"] == "Reuse"]
    assert list(reuse["period"]) == [1] * 8
    assert reuse["delivered_m3_d"].to_numpy() == pytest.approx(np.full(8, 100.0))
    assert (frame["unallocated_m3"] == 0).all()


def test_statistics_are_numpy_percentiles_and_cvar_of_the_table(tariff):
    npv = tariff.to_frame()["npv_CNY"].to_numpy()
    p10, p50, p90 = np.percentile(npv, [10, 50, 90])
    s = tariff.npv_CNY
    assert (s["p10"], s["p50"], s["p90"]) == pytest.approx((p10, p50, p90))
    assert s["mean"] == pytest.approx(npv.mean())
    assert s["cvar90"] == pytest.approx(npv.max())  # ceil(0.1 x 8) = 1 worst scenario


def test_cvar_by_hand():
    # the worst 10 % of 12 costs: ceil(1.2) = 2 highest, (11 + 12) / 2
    assert cvar([float(x) for x in range(1, 13)]) == 11.5
    # of 20: the 2 highest
    assert cvar([float(x) for x in range(20)]) == pytest.approx(18.5)
    # a benefit: the lowest
    assert cvar([0.5, 0.2, 0.9, 0.4], worst="low") == 0.2
    assert math.isnan(cvar([]))


def test_limits_always_hold_when_nothing_uncertain_touches_quality(tariff):
    assert [d["p_limits_hold"] for d in tariff.destinations] == [1.0, 1.0]
    assert [d["name"] for d in tariff.destinations] == ["Reuse", "River"]


# -- quality: the limit holds in the scenarios whose multiplier is below the threshold -----------
def test_p_limits_hold_is_the_share_of_multipliers_below_the_hand_threshold(tmp_path):
    unc = {"quality": [{"multipliers": {"F": {"dist": "uniform", "low": 1.0, "high": 2.0}}}]}
    res = cbmwater.uncertainty(_one_station(tmp_path, unc), samples=10, seed=3, workers=1)
    frame = res.to_frame()
    m = frame["quality[1] S F"].to_numpy()
    threshold = 1.5 / 1.0  # Reuse's F limit / the well's F
    share = float((m <= threshold).mean())
    assert 0.0 < share < 1.0  # the seed gives scenarios on both sides
    reuse = next(d for d in res.destinations if d["name"] == "Reuse")
    assert reuse["p_limits_hold"] == pytest.approx(share)
    disposal = next(d for d in res.destinations if d["name"] == "Disposal")
    assert disposal["p_limits_hold"] == 1.0  # no limits
    # above the threshold the Reuse user gets nothing: 60 m3/d move to disposal
    over = m > threshold
    assert frame["reuse_m3"].to_numpy()[over] == pytest.approx(0.0, abs=1e-6)
    assert frame["reuse_m3"].to_numpy()[~over] == pytest.approx(60 * 365.0)
    assert (frame["limits_hold Reuse"].to_numpy() == ~over).all()
    # the per-period flows table: one period; Reuse takes 60 m3/d or nothing, Disposal the rest
    # of the well's 100 m3/d (the hand figures above)
    flows = res.to_frame("flows")
    assert list(flows.columns) == ["scenario", "destination", "period", "delivered_m3_d"]
    assert len(flows) == 10 * 2 and set(flows["period"]) == {1}
    by = flows.pivot(index="scenario", columns="destination", values="delivered_m3_d")
    assert by["Reuse"].to_numpy() == pytest.approx(np.where(over, 0.0, 60.0), abs=1e-6)
    assert by["Disposal"].to_numpy() == pytest.approx(np.where(over, 100.0, 40.0), abs=1e-6)


# -- unplaceable water is a measured risk, not an error ----------------------------------------
def test_water_that_cannot_be_placed_is_unallocated_risk(tmp_path):
    unc = {
        "destinations": [
            {"name": "Disposal", "capacity_factor": {"dist": "uniform", "low": 0.05, "high": 0.5}}
        ]
    }
    res = cbmwater.uncertainty(_one_station(tmp_path, unc), samples=10, seed=8, workers=1)
    frame = res.to_frame()
    f = frame["destination 'Disposal' capacity_factor"].to_numpy()
    expected = 365.0 * np.maximum(0.0, 100.0 - 60.0 - 150.0 * f)
    assert (frame["status"] == "optimal").all()
    assert frame["unallocated_m3"].to_numpy() == pytest.approx(expected, abs=1e-6)
    assert 0.0 < (expected > 0).mean() < 1.0
    u = res.unallocated
    assert u["probability"] == pytest.approx(float((expected > 1e-3).mean()))
    assert u["expected_m3"] == pytest.approx(expected.mean(), abs=1e-6)
    assert u["p90_m3"] == pytest.approx(np.percentile(expected, 90), abs=1e-6)


# -- bad input -------------------------------------------------------------------------------------
BAD: list[tuple[dict, list[str]]] = [
    ({}, ["[uncertainty]", "names nothing uncertain"]),
    ({"prices": {"electricity_CNY_kWh": {"dist": "beta", "low": 0.1}}},
     ["uncertainty.prices", "electricity_CNY_kWh.dist", "allowed values: lognormal, normal"]),
    ({"prices": {"chemicals_factor": {"dist": "lognormal", "median": 1.0}}},
     ["chemicals_factor.sigma", "takes exactly: median, sigma"]),
    ({"prices": {"chemicals_factor": {"dist": "triangular", "low": 1, "mode": 3, "high": 2}}},
     ["chemicals_factor.mode", "low <= mode <= high"]),
    ({"prices": {"chemicals_factor": {"dist": "uniform", "low": 0.5, "high": 500}}},
     ["chemicals_factor.high", "'500'", "plausible range of uncertainty_factor"]),
    ({"prices": {"chemicals_factor": 1.2}}, ["chemicals_factor", 'must be "default" or a table']),
    ({"wells": [{"b": {"dist": "lognormal", "median": 0.5, "sigma": 0.2}}]},
     ["uncertainty.wells[1]", "b.dist", "allowed values: uniform, triangular"]),
    ({"wells": [{"qi_factor": "default", "rho_qi_Di": 0.5}]},
     ["rho_qi_Di", "needs both qi_factor and Di_factor"]),
    ({"wells": [{"stations": ["Z"], "qi_factor": "default"}]},
     ["uncertainty.wells[1]", "'stations'", "unknown name; allowed: A, B", "'Z'"]),
    ({"quality": [{"multipliers": {"Fluoride": "default"}}]},
     ["uncertainty.quality[1]", "multipliers.Fluoride", "unknown constituent"]),
    ({"quality": [{"resample": True}]}, ["uncertainty.quality[1]", "resample", "'block' column"]),
    ({"destinations": [{"name": "Lake", "fee_CNY_m3": "default"}]},
     ["uncertainty.destinations[1]", "'name'", "allowed values: Reuse, River"]),
    ({"wells": [{"qi_factor": "default", "spread": 2}]},
     ["uncertainty.wells[1]", "'spread': unknown field; allowed: Di_factor, b, note, per"]),
]  # fmt: skip


@pytest.mark.parametrize("unc, parts", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_uncertainty_input_names_the_field(tmp_path, unc, parts):
    case = _hand(tmp_path, unc)
    with pytest.raises(InputError) as exc:
        cbmwater.load_case(case)
    msg = str(exc.value)
    assert "case.toml" in msg
    for part in parts:
        assert part in msg, (part, msg)


def test_a_case_without_uncertainty_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"no \[uncertainty\] section"):
        cbmwater.uncertainty(_hand(tmp_path, None), samples=2, seed=0, workers=1)
    with pytest.raises(InputError, match="samples must be a whole number from 1 to 100000"):
        cbmwater.uncertainty(_hand(tmp_path, TARIFF), samples=0, seed=0, workers=1)


def test_defaults_are_stated_with_a_source_or_u_mark():
    from cbmwater.optimize.uncertain import PARAMETERS

    for p in PARAMETERS.values():
        assert "[U]" in p.reason or "[V]" in p.reason or "[QS]" in p.reason, p.name
        d = p.default(1.0)
        assert d.default and d.dist in p.dists


def test_copula_correlation_and_marginals(tmp_path):
    unc = {
        "wells": [
            {
                "wells": ["A1"],
                "qi_factor": {"dist": "lognormal", "median": 2.0, "sigma": 0.5},
                "Di_factor": {"dist": "uniform", "low": 0.5, "high": 1.5},
                "rho_qi_Di": 0.8,
            }
        ]
    }
    u = cbmwater.load_case(_hand(tmp_path, unc)).uncertainty
    assert u is not None
    rows = [u.draw(np.random.default_rng(i)) for i in range(3000)]
    qi = np.array([r["wells[1] A1 qi_factor"] for r in rows], float)
    di = np.array([r["wells[1] A1 Di_factor"] for r in rows], float)
    # marginals: lognormal median 2 (log-sd 0.5); uniform on [0.5, 1.5]
    assert np.median(qi) == pytest.approx(2.0, rel=0.05)
    assert np.std(np.log(qi)) == pytest.approx(0.5, rel=0.05)
    assert di.min() >= 0.5 and di.max() <= 1.5 and di.mean() == pytest.approx(1.0, abs=0.02)
    # the Gaussian copula: the normal scores are correlated with rho = 0.8
    zq = np.log(qi / 2.0) / 0.5
    from statistics import NormalDist

    zd = np.array([NormalDist().inv_cdf(x - 0.5) for x in di])
    assert np.corrcoef(zq, zd)[0, 1] == pytest.approx(0.8, abs=0.03)


def test_the_doc_holds_the_generated_defaults_table():
    import re

    from cbmwater.optimize.uncertain import markdown_defaults

    doc = (ROOT / "docs" / "uncertainty.md").read_text(encoding="utf-8")
    m = re.search(
        r"<!-- generated: uncertainty defaults -->\n(.*?)\n<!-- end generated -->", doc, re.S
    )
    assert m and m.group(1) == markdown_defaults(), "regenerate: python tools/gen_input_docs.py"


@pytest.mark.slow
def test_a_job_runs_the_scenarios_in_its_own_process_with_the_same_result(tmp_path):
    from cbmwater.study.jobs import JobRunner

    case = _hand(tmp_path, TARIFF)
    direct = cbmwater.uncertainty(case, samples=3, seed=4, workers=1).to_dict()
    runner = JobRunner()
    try:
        jid = runner.submit(
            "uncertainty", "uncertainty", {"case": str(case), "samples": 3, "seed": 4}
        )
        st = runner.wait(jid, timeout=300)
    finally:
        runner.close()
    assert st.state == "done", st.error
    assert st.result == direct
