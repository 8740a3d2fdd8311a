"""Staged expansion (issue 15, Deliver 4): a plant may be built or expanded in a later period.

The hand case ``tests/data/optimise/staging`` (constructed): one station A whose water carries
F 3.0 mg/L; well A1 gives 10 m3/d from period 1 and well A2 80 m3/d from period 2, so the
station produces q = (10, 90) m3/d in two periods of one year, discount rate r = 8 %.  Trains:
``direct`` (no plant) and ``defluoridation`` (plants of 50 or 100 m3/d).  Destinations:
``Reuse`` pays p = 8 CNY/m3 for water meeting F <= 1.5 mg/L by itself (only treated water),
``Disposal`` takes anything for a fee f = 12 CNY/m3.  No transport cost.

Hand derivation.  With ``B_t = (1 + r)^-(t - 1/2)`` discounted years and ``A_t = 365 B_t``
discounted m3 per m3/d of period t, the treatment engine's numbers of the train (recovery R,
residual fraction E, variable cost v per m3 of feed, capex and fixed O&M of each size) give:

* one m3/d treated instead of disposed saves ``mu_t = f - v_t - E_t f + R_t p`` CNY per m3
  (``mu`` ~ 9.7 > 0: every m3 a plant can take is treated), so with capacity ``cap_t`` in
  place the period costs ``A_t (f q_t - mu_t min(q_t, cap_t))``;
* a plant of size z built in period P costs ``K_z sum_{t >= P} B_t`` with
  ``K_z = capex_z CRF + fixed_z`` (CRF at 8 % over the equipment life): its equivalent annual
  cost from the build period on;
* build once: the best of {no plant, 50 in period 1, 100 in period 1};
  staged: the best of every choice of {none, 50, 100} in period 1 and in period 2 (plants add
  up).  Enumerated below: the staged optimum builds 100 m3/d in period 2 (period 1's 10 m3/d do
  not pay a plant's charge), build once builds 100 m3/d in period 1, and the staged NPV is
  lower by about ``K_100 B_1 - A_1 mu 10`` ~ 81 000 CNY.

Without growth (both wells from period 1, q = (90, 90)) staging gives the build-once plan.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cbmwater.optimize.case import load_case
from cbmwater.optimize.plan import optimise
from cbmwater.optimize.prepared import Prepared

STAGING = Path(__file__).parent / "data" / "optimise" / "staging"
QUIET = {"progress": lambda msg, frac: None}


def _hand_npv(prep: Prepared, q: list[float], plants: dict[int, float]) -> float:
    """NPV (CNY) of building ``plants`` (period 0-based -> size) by the formula of the doc."""
    case, tab, econ = prep.case, prep.table, prep.econ
    r = case.discount_rate
    B = np.array([(1 + r) ** -(t + 0.5) for t in range(case.periods)])
    A = 365.0 * B
    crf = r / (1 - (1 + r) ** -econ.life_yr)
    j = tab.pairs.index(("A", "defluoridation"))
    sizes = list(tab.sizes_m3_d)
    reuse = next(d for d in case.destinations if d.name == "Reuse")
    disposal = next(d for d in case.destinations if d.name == "Disposal")
    p, f = reuse.price_CNY_m3, disposal.fee_CNY_m3
    npv = 0.0
    for P, z in plants.items():
        k = sizes.index(z)
        npv += (tab.capex_CNY[j, k] * crf + tab.fixed_CNY_yr[j, k]) * B[P:].sum()
    for t in range(case.periods):
        R, E, v = tab.recovery[j, t], tab.residual_frac[j, t], tab.var_CNY_m3[j, t]
        mu = f - v - E * f + R * p
        assert mu > 0
        cap = sum(z for P, z in plants.items() if t >= P)
        npv += A[t] * (f * q[t] - mu * min(q[t], cap))
    return npv


def _best(prep: Prepared, q: list[float], staged: bool) -> tuple[float, dict[int, float]]:
    sizes = [0.0, *prep.table.sizes_m3_d]
    per_period = [sizes, sizes if staged else [0.0]]
    plans = [
        {P: z for P, z in enumerate(choice) if z > 0} for choice in itertools.product(*per_period)
    ]
    return min(((_hand_npv(prep, q, pl), pl) for pl in plans), key=lambda x: x[0])


@pytest.fixture(scope="module")
def growing():
    case = load_case(STAGING / "case.toml")
    prep = Prepared(case, database=None, progress=QUIET["progress"])
    return case, prep


def test_growing_production_builds_later_and_costs_less_than_build_once(growing):
    case, prep = growing
    assert list(prep.produced["A"]) == pytest.approx([10.0, 90.0])
    staged = optimise(case, staging=True, **QUIET)
    once = optimise(case, staging=False, **QUIET)
    q = [10.0, 90.0]
    npv_staged, plan_staged = _best(prep, q, staged=True)
    npv_once, plan_once = _best(prep, q, staged=False)
    assert plan_staged == {1: 100.0} and plan_once == {0: 100.0}  # the derivation's claim
    assert staged["status"] == once["status"] == "optimal"
    assert staged["objective_CNY"] == pytest.approx(npv_staged, rel=1e-6)
    assert once["objective_CNY"] == pytest.approx(npv_once, rel=1e-6)
    assert [(b["size_m3_d"], b["period"]) for b in staged["builds"]] == [(100.0, 2)]
    assert [(b["size_m3_d"], b["period"]) for b in once["builds"]] == [(100.0, 1)]
    assert staged["objective_CNY"] < once["objective_CNY"] - 50_000
    assert staged["verification"]["ok"] and once["verification"]["ok"]
    # the cost breakdown charges the later plant's capital from period 2 only
    assert sum(staged["costs"]["npv_CNY"].values()) == pytest.approx(staged["objective_CNY"])
    assert staged["builds"][0]["capital_NPV_CNY"] == pytest.approx(
        once["builds"][0]["capital_NPV_CNY"] * (1.08**-1.5) / (1.08**-0.5 + 1.08**-1.5)
    )


def test_without_growth_staging_gives_the_build_once_plan(tmp_path):
    for f in STAGING.iterdir():
        shutil.copy(f, tmp_path)
    (tmp_path / "wells.csv").write_text(
        "well,station,analysis,qi_m3_d,Di_per_yr,b,start_period\n"
        "A1,A,A-1,10,0,0,1\nA2,A,A-1,80,0,0,1\n"
    )
    case = load_case(tmp_path / "case.toml")
    prep = Prepared(case, database=None, progress=QUIET["progress"])
    staged = optimise(case, staging=True, prepared=prep, **QUIET)
    once = optimise(case, staging=False, prepared=prep, **QUIET)
    npv, plan = _best(prep, [90.0, 90.0], staged=True)
    assert plan == {0: 100.0}  # by hand: nothing grows, so nothing is worth building later
    assert staged["builds"] == once["builds"]
    assert staged["objective_CNY"] == pytest.approx(once["objective_CNY"], rel=1e-9)
    assert staged["objective_CNY"] == pytest.approx(npv, rel=1e-6)
    # and the staged model offered no later build period (no growth, no demand change)
    net = prep.network(staging=True)
    assert set(net.y_period.tolist()) == {0}


def test_staged_options_open_where_production_or_demand_changes(growing):
    case, prep = growing
    net = prep.network(staging=True)
    assert sorted(set(net.y_period.tolist())) == [0, 1]  # production grows in period 2
    assert set(prep.network(staging=False).y_period.tolist()) == {0}


def test_cli_no_staging_gives_the_build_once_plan():
    run = [sys.executable, "-m", "cbmwater.cli", "optimise", str(STAGING / "case.toml")]
    out = {}
    for flag in ([], ["--no-staging"]):
        p = subprocess.run([*run, *flag, "--format", "json"], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        out[bool(flag)] = json.loads(p.stdout)
    assert [b["period"] for b in out[False]["builds"]] == [2]
    assert [b["period"] for b in out[True]["builds"]] == [1]
    assert out[False]["objective_CNY"] < out[True]["objective_CNY"]
