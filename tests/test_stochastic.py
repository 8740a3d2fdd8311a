"""Two-stage stochastic plans (issue 15, Deliver 3): builds once, flows per scenario, VSS, EVPI.

The hand case ``tests/data/optimise/stochastic`` (constructed): one station A whose water carries
F 3.0 mg/L, one build decision -- a 50 m3/d ``defluoridation`` plant or none (``direct`` needs
no plant) -- one period of one year, discount rate 0, no transport cost.  ``Reuse`` pays
p = 6.9 CNY/m3 for water meeting F <= 1.5 mg/L by itself (treated water only); ``Disposal``
takes anything (raw water, the plant's backwash) for f = 8 CNY/m3.  The case as written
produces 60 m3/d; the two scenarios, weight 1/2 each, produce q_H = 100 (``wells_high.csv``)
and q_L = 20 m3/d (``wells_low.csv``).

Hand derivation (the train's recovery R, backwash fraction E, variable cost v per m3 of feed,
capex and fixed O&M are the treatment engine's numbers, read from the path table):

* Without the plant all water is disposed: cost ``C0(q) = 365 f q``.
* With it, every m3/d the plant takes saves ``mu = f - v - E f + R p`` (~4.56 CNY/m3 > 0), so
  it treats ``min(q, 50)``: ``C1(q) = K + 365 (f q - mu min(q, 50))`` with
  ``K = capex / life + fixed`` (CRF = 1/life at r = 0; one year).
* Treating 50 m3/d repays K (``365 mu 50 > K``), 20 m3/d does not (``365 mu 20 < K``), and
  the mean over the scenarios of what the plant treats, (50 + 20)/2 = 35 m3/d, does not
  (``365 mu 35 < K``): K / (365 mu) ~ 42.5 m3/d lies between 35 and 50.
* Deterministic (mean-value) plan: at q = 60 the plant treats 50 -> build.
  Its expected cost under the scenarios EEV = K + 365 (f 60 - mu 35).
* Stochastic plan: E[C1] = K + 365 (f 60 - mu 35) > E[C0] = 365 f 60 -> no plant;
  SP = 365 f 60.
* Wait and see: scenario H builds (C1(100) < C0(100)), L does not:
  WS = (C1(100) + C0(20)) / 2.
* VSS = EEV - SP = K - 365 mu 35 (> 0); EVPI = SP - WS = (365 mu 50 - K) / 2 (> 0).

For sampled scenarios (``[uncertainty]``: the well's qi times a uniform factor) the same
formulas with each scenario's drawn q give the oracle: SP = min(E[C0], E[C1]), EEV = E[C1],
WS = E[min(C0, C1)].
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import cbmwater
from cbmwater.errors import InputError
from cbmwater.optimize.case import parse_case
from cbmwater.optimize.prepared import Prepared

STOCH = Path(__file__).parent / "data" / "optimise" / "stochastic"
QUIET = {"progress": lambda msg, frac: None}


def _case(wells: str = "wells.csv"):
    data = tomllib.loads((STOCH / "case.toml").read_text(encoding="utf-8"))
    data["sources"]["wells"] = wells
    return parse_case(data, STOCH, str(STOCH / "case.toml"))


@pytest.fixture(scope="module")
def hand():
    """K, mu and the cost functions C0, C1 of the derivation, from the path table."""
    case = _case()
    prep = Prepared(case, database=None, progress=QUIET["progress"])
    tab = prep.table
    j = tab.pairs.index(("A", "defluoridation"))
    R, E, v = tab.recovery[j, 0], tab.residual_frac[j, 0], tab.var_CNY_m3[j, 0]
    p = next(d for d in case.destinations if d.name == "Reuse").price_CNY_m3
    f = next(d for d in case.destinations if d.name == "Disposal").fee_CNY_m3
    K = tab.capex_CNY[j, 0] / prep.econ.life_yr + tab.fixed_CNY_yr[j, 0]
    mu = f - v - E * f + R * p
    assert 365 * mu * 35 < K < 365 * mu * 50  # the derivation's premise
    assert 365 * mu * 20 < K

    def c0(q: float) -> float:
        return 365 * f * q

    def c1(q: float) -> float:
        return K + 365 * (f * q - mu * min(q, 50.0))

    return {"K": K, "mu": mu, "c0": c0, "c1": c1}


@pytest.fixture(scope="module")
def two(hand):
    scen = [_case("wells_high.csv"), _case("wells_low.csv")]
    ef = cbmwater.stochastic_plan(_case(), scenarios=scen, method="extensive", **QUIET)
    ph = cbmwater.stochastic_plan(_case(), scenarios=scen, method="ph", **QUIET)
    return ef, ph


def test_hand_case_stochastic_plan_vss_and_evpi_equal_the_hand_values(hand, two):
    ef, _ = two
    c0, c1, K, mu = hand["c0"], hand["c1"], hand["K"], hand["mu"]
    sp = (c0(100) + c0(20)) / 2
    eev = (c1(100) + c1(20)) / 2
    ws = (c1(100) + c0(20)) / 2
    st = ef.stochastic
    assert st["builds"] == []  # the stochastic plan builds nothing
    assert st["deterministic"]["builds"] == ["A/defluoridation 50"]  # the mean-value plan builds
    assert st["expected_cost_CNY"] == pytest.approx(sp, rel=1e-9)
    assert st["deterministic"]["expected_cost_CNY"] == pytest.approx(eev, rel=1e-9)
    assert st["wait_and_see_cost_CNY"] == pytest.approx(ws, rel=1e-9)
    assert ef.vss_CNY == pytest.approx(K - 365 * mu * 35, rel=1e-6)
    assert ef.evpi_CNY == pytest.approx((365 * mu * 50 - K) / 2, rel=1e-6)
    assert ef.vss_CNY > 0 and ef.evpi_CNY > 0
    rows = ef.scenarios
    assert [r["npv_CNY"] for r in rows] == pytest.approx([c0(100), c0(20)], rel=1e-9)
    assert [r["wait_and_see_npv_CNY"] for r in rows] == pytest.approx([c1(100), c0(20)])
    assert [r["wait_and_see_builds"] for r in rows] == [["A/defluoridation 50"], []]
    assert all(r["unallocated_m3"] == 0 for r in rows)
    # the plan on the case as written: no plant, all 60 m3/d disposed
    assert ef.builds == [] and ef.objective_CNY == pytest.approx(c0(60), rel=1e-9)


def test_progressive_hedging_agrees_with_the_extensive_form_on_the_hand_case(two):
    ef, ph = two
    assert ph.stochastic["method"] == "ph"
    assert ph.stochastic["progressive_hedging"]["converged"]
    assert ph.stochastic["builds"] == ef.stochastic["builds"]
    assert ph.stochastic["expected_cost_CNY"] == pytest.approx(
        ef.stochastic["expected_cost_CNY"], rel=1e-9
    )
    assert ph.vss_CNY == pytest.approx(ef.vss_CNY) and ph.evpi_CNY == pytest.approx(ef.evpi_CNY)
    # iteration 0 (every scenario alone) bounds the program from below: here it is WS
    assert ph.stochastic["progressive_hedging"]["lower_bound_CNY"] == pytest.approx(
        ef.stochastic["wait_and_see_cost_CNY"], rel=1e-6
    )


def test_sampled_scenarios_match_the_formulas_and_ph_agrees(hand):
    c0, c1 = hand["c0"], hand["c1"]
    ef = cbmwater.stochastic_plan(STOCH / "case.toml", samples=6, seed=21, **QUIET)
    ph = cbmwater.stochastic_plan(STOCH / "case.toml", samples=6, seed=21, method="ph", **QUIET)
    q = np.array([60.0 * r["inputs"]["wells[1] A1 qi_factor"] for r in ef.scenarios])
    assert len(q) == 6 and len(set(q.round(6))) == 6
    e0 = float(np.mean([c0(x) for x in q]))
    e1 = float(np.mean([c1(x) for x in q]))
    st = ef.stochastic
    assert st["expected_cost_CNY"] == pytest.approx(min(e0, e1), rel=1e-6)
    assert st["deterministic"]["expected_cost_CNY"] == pytest.approx(e1, rel=1e-6)
    ws = float(np.mean([min(c0(x), c1(x)) for x in q]))
    assert st["wait_and_see_cost_CNY"] == pytest.approx(ws, rel=1e-6)
    assert ef.vss_CNY == pytest.approx(e1 - min(e0, e1), abs=1e-3)
    assert ef.evpi_CNY == pytest.approx(min(e0, e1) - ws, rel=1e-6)
    assert ph.stochastic["expected_cost_CNY"] == pytest.approx(st["expected_cost_CNY"], rel=1e-9)
    assert ph.stochastic["builds"] == st["builds"]
    assert [r["seed"] for r in ph.scenarios] == [r["seed"] for r in ef.scenarios]


def test_cli_stochastic_json_has_the_optimise_keys_plus_scenarios_vss_evpi():
    run = [sys.executable, "-m", "cbmwater.cli", "optimise", str(STOCH / "case.toml")]
    det = subprocess.run([*run, "--format", "json"], capture_output=True, text=True, timeout=300)
    sto = subprocess.run(
        [*run, "--stochastic", "--samples", "3", "--seed", "4", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert det.returncode == 0 and sto.returncode == 0, sto.stderr
    d, s = json.loads(det.stdout), json.loads(sto.stdout)
    assert set(s) - set(d) == {"scenarios", "vss_CNY", "evpi_CNY", "stochastic"}
    assert set(d) <= set(s)
    assert len(s["scenarios"]) == 3 and s["stochastic"]["seed"] == 4
    assert s["vss_CNY"] >= -1e-6 and s["evpi_CNY"] >= -1e-6
    bad = subprocess.run([*run, "--stochastic"], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "--samples" in bad.stderr and "Traceback" not in bad.stderr


def test_bad_requests_are_named():
    """English text as before, and a code that renders in Chinese."""
    with pytest.raises(InputError, match="method 'bogus'"):
        cbmwater.stochastic_plan(STOCH / "case.toml", samples=2, seed=1, method="bogus")
    with pytest.raises(InputError, match="samples must be"):
        cbmwater.stochastic_plan(STOCH / "case.toml", samples=0, seed=1)
    with pytest.raises(InputError, match="either samples") as err:
        cbmwater.stochastic_plan(STOCH / "case.toml", samples=2, scenarios=[_case()])
    assert err.value.message is not None
    assert err.value.message.code == "stochastic.error.samples_or_scenarios"
    assert "不能同时" in err.value.render("zh")
    with pytest.raises(InputError, match="rho_factor must be > 0") as err:
        cbmwater.stochastic_plan(STOCH / "case.toml", samples=2, seed=1, rho_factor=0)
    assert err.value.render("zh").startswith("rho_factor 须大于 0")


# -- progressive hedging on persistent instances ------------------------------------------------
def _hand_program(rho_factor: float, **kw):
    """The hand case's two scenarios through ``solve_program`` with progressive hedging, and
    the progress messages it sent."""
    from cbmwater.optimize.stochastic import first_stage_options, solve_program

    base = Prepared(_case(), database=None, progress=QUIET["progress"])
    preps = [base.scenario(_case(w)) for w in ("wells_high.csv", "wells_low.csv")]
    opts = first_stage_options(base, preps, True)
    sent: list = []
    res = solve_program(
        preps,
        opts,
        method="ph",
        rho_factor=rho_factor,
        progress=lambda m, f: sent.append((m, f)),
        **kw,
    )
    return res, opts, sent


def _hand_ph_oracle(hand, rho: float, slam_after: int) -> tuple[int, list[int], int]:
    """Progressive hedging on the hand case by hand: the two scenarios' costs with and without
    the plant (C1, C0 of the derivation), iterated with the module's update rule.  Returns
    (iterations, options disputed at each iteration, options slammed)."""
    c0, c1 = hand["c0"], hand["c1"]
    q = np.array([100.0, 20.0])
    W = np.zeros(2)
    ys = np.array([float(c1(x) < c0(x)) for x in q])  # iteration 0: each scenario alone
    disputed, slammed, it, fixed = [int(ys[0] != ys[1])], 0, 0, None
    while ys[0] != ys[1]:
        ybar = ys.mean()
        W += rho * (ys - ybar)
        if it + 1 >= slam_after:  # the one disputed option to its majority (a tie: 0)
            fixed, slammed = float(ybar > 0.5), 1
        it += 1
        extra = W + rho / 2 * (1 - 2 * ybar)
        ys = np.array(
            [fixed if fixed is not None else float(c1(x) + e < c0(x)) for x, e in zip(q, extra)]
        )
        disputed.append(int(ys[0] != ys[1]))
    return it, disputed, slammed


@pytest.mark.parametrize("rho_factor", [0.5, 0.05, 0.001])
def test_ph_iterations_and_progress_follow_the_hand_iteration(hand, rho_factor):
    """rho = rho_factor x the plant's charge K: 0.5 agrees after one iteration, 0.05 after
    several (W must grow past C0(100) - C1(100)), 0.001 never by itself: slamming (from
    iteration 20) fixes the disputed plant at its majority value (a tie: not built)."""
    res, opts, sent = _hand_program(rho_factor)
    assert opts.y_charge_CNY.tolist() == pytest.approx([hand["K"]], rel=1e-9)
    rec = res.ph
    it, disputed, slammed = _hand_ph_oracle(hand, rho_factor * hand["K"], rec["slam_after"])
    assert rec["converged"] and rec["iterations"] == it
    assert [h["disagreeing"] for h in rec["history"]] == disputed
    assert rec["slammed"] == slammed
    if rho_factor == 0.05:
        assert 3 <= it < rec["slam_after"]  # PH's own iterations, no slamming
    if rho_factor == 0.001:
        assert it == rec["slam_after"] == 20 and rec["iteration_bound"] == 21
    assert res.y.tolist() == [0.0]  # the stochastic plan builds nothing (the derivation)
    # one progress message per PH iteration, numbered 0..it, fractions rising within [0, 1]
    ph_msgs = [(m, f) for m, f in sent if m.message.code == "stochastic.progress.ph_iteration"]
    assert [m.message.params["iteration"] for m, _ in ph_msgs] == list(range(it + 1))
    assert [m.message.params["disagreeing"] for m, _ in ph_msgs] == disputed
    fracs = [f for _, f in sent]
    assert fracs == sorted(fracs) and fracs[0] >= 0 and fracs[-1] <= 1
    assert "渐进对冲" in ph_msgs[-1][0].message.render("zh")


def test_ph_on_sampled_scenarios_with_several_sizes_equals_the_extensive_form():
    """Eight sampled scenarios of the hand case with five plant sizes (one per 40-120 m3/d):
    PH's builds and expected cost equal the extensive form's (within the MIP gap), the
    iteration-0 bound is below both, fixing removed agreed options, and the record is
    consistent (iterations numbered, disputes ending at 0)."""
    from cbmwater.executor import task_seed
    from cbmwater.optimize.scenarios import sampled_scenario
    from cbmwater.optimize.stochastic import (
        builds_of,
        first_stage_options,
        isolated,
        solve_program,
    )

    data = tomllib.loads((STOCH / "case.toml").read_text(encoding="utf-8"))
    data["build"]["sizes_m3_d"] = [40, 60, 80, 100, 120]
    case = parse_case(data, STOCH, str(STOCH / "case.toml"))
    base = Prepared(case, database=None, progress=QUIET["progress"])
    preps = [sampled_scenario(base, task_seed(7, i))[0] for i in range(8)]
    opts = first_stage_options(base, preps, True)
    assert len(opts.y_pair) == 5
    gap = 0.005
    ef = solve_program([isolated(p) for p in preps], opts, method="extensive", mip_gap=gap)
    ph = solve_program([isolated(p) for p in preps], opts, method="ph", mip_gap=gap)
    assert builds_of(ph.nets[0], ph.y) == builds_of(ef.nets[0], ef.y)
    assert ph.expected_cost_CNY == pytest.approx(ef.expected_cost_CNY, rel=gap)
    rec = ph.ph
    assert rec["converged"] and 1 <= rec["iterations"] < rec["iteration_bound"]
    hist = rec["history"]
    assert [h["iteration"] for h in hist] == list(range(rec["iterations"] + 1))
    assert hist[0]["disagreeing"] >= 1 and hist[-1]["disagreeing"] == 0
    assert [h["fixed"] for h in hist] == sorted(h["fixed"] for h in hist)
    assert rec["lower_bound_CNY"] <= ef.expected_cost_CNY * (1 + gap)
    assert rec["lower_bound_CNY"] <= ph.expected_cost_CNY * (1 + gap)


def test_ph_needs_highs():
    with pytest.raises(InputError, match="HiGHS only") as err:
        cbmwater.stochastic_plan(STOCH / "case.toml", samples=2, seed=1, method="ph", solver="cbc")
    assert "渐进对冲" in err.value.render("zh")
