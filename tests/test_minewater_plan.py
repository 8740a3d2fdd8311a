"""The "one mine, one policy" plan (issue 6): the MILP's choice equals a brute-force search.

The Daji case (representative) has four discharge points.  Every combination of source control,
treatment system and destination is evaluated by the engine; the test then enumerates every
choice of one feasible combination per point, keeps those that meet the river limits in every
season (mass balance with the background flow, written out here), the reuse capacities and the
budget, and checks that the plan's NPV is the least of them.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tomllib

import pytest

from cbmwater.minewater.case import load_mine_case, parse_mine_case
from cbmwater.minewater.plan import evaluate, plan
from cbmwater.resources import example_path
from cbmwater.standards.table import load_standards

pytestmark = pytest.mark.slow  # each test plans the Daji case (~5-15 s each)

CASE = example_path("daji_old_mine", "case.toml")


def _case(mutate=None):
    data = tomllib.loads(CASE.read_text(encoding="utf-8"))
    if mutate:
        mutate(data)
    return parse_mine_case(data, CASE.parent, str(CASE))


def _brute_force(case, combos):
    by_point = {
        p.name: [c for c in combos if c.point == p.name and c.feasible] for p in case.points
    }
    best = None
    for pick in itertools.product(*by_point.values()):
        ok = True
        for d in case.destinations:
            mine = [c for c in pick if c.destination == d.name]
            for s in case.seasons:
                q = sum(c.flows_m3_d[s.name] for c in mine)
                if d.kind == "river":
                    qb = d.background_flow_m3_d[s.name]
                    for k, lim in d.limits_mg_L.items():
                        mass = qb * d.background_mg_L[k] + sum(
                            c.flows_m3_d[s.name] * c.treatment.effluent.get(k, 0.0) for c in mine
                        )
                        ok &= mass <= lim * (qb + q) + 1e-6
                else:
                    ok &= q <= d.capacity_m3_d + 1e-9
        if case.budget_CNY is not None:
            ok &= sum(c.capex_CNY for c in pick) <= case.budget_CNY + 1e-6
        if ok:
            npv = sum(c.npv_CNY for c in pick)
            if best is None or npv < best[0]:
                best = (npv, pick)
    return best


@pytest.fixture(scope="module")
def daji():
    case = load_mine_case(CASE)
    return case, plan(case)


def test_plan_equals_brute_force_and_meets_every_limit(daji):
    case, res = daji
    assert res["status"] == "optimal"
    combos, _ = evaluate(case)
    best = _brute_force(case, combos)
    assert best is not None
    assert res["npv_CNY"] == pytest.approx(best[0], rel=1e-9)
    assert len(res["choices"]) == len(case.points)
    assert res["npv_CNY"] == pytest.approx(sum(c["npv_CNY"] for c in res["choices"]))
    assert res["capex_CNY"] <= case.budget_CNY
    # every river discharge meets GB 20426-2006 (limits read from the standards table here)
    st = load_standards()
    lim = {
        x.parameter: x.max for x in st.limits("GB20426-2006", "new_sources") if x.max is not None
    }
    for c in res["choices"]:
        if c["destination"].startswith("Receiving"):
            for k in ("Fe", "Mn", "TSS"):
                assert c["effluent"].get(k, 0.0) <= lim[k] + 1e-9
            assert 6.0 <= c["effluent"]["pH"] <= 9.0
    for r in res["river"]:
        assert r["mixed_mg_L"] <= r["limit_mg_L"] + 1e-9


def test_rules_and_reasons_reach_the_options(daji):
    _, res = daji
    by = {(o["point"], o["system"]): o for o in res["options"] if o["source_control"] == "none"}
    # the net-alkaline toe drain never gets an ALD; the oxic main adit never gets one either
    toe = [o for (p, s), o in by.items() if p.startswith("Waste-rock") and s == "ald"][0]
    assert not toe["feasible"] and "net alkaline" in toe["reasons"][0]
    adit = [o for (p, s), o in by.items() if p.startswith("Main adit") and s == "ald"][0]
    assert not adit["feasible"] and "DO 1.8" in adit["reasons"][0]
    assert any(s["score"] > 0 for s in res["scores"])


def test_a_low_dry_season_river_makes_plugging_worth_it():
    """Less river water in the dry season leaves less room for sulfate, which no neutralisation
    removes in quantity: the main adit must be plugged."""

    def mutate(d):
        d["destinations"][0]["background_flow_m3_d"]["dry"] = 6000

    case = _case(mutate)
    res = plan(case)
    assert res["status"] == "optimal"
    main = [c for c in res["choices"] if c["point"].startswith("Main adit")][0]
    assert main["source_control"] == "adit plug + grout curtain"
    combos, _ = evaluate(case)
    assert res["npv_CNY"] == pytest.approx(_brute_force(case, combos)[0], rel=1e-9)


def test_a_river_already_above_its_limit_is_named():
    def mutate(d):
        d["destinations"][0]["background_mg_L"]["SO4"] = 260

    res = plan(_case(mutate))
    assert res["status"] == "infeasible"
    items = res["infeasibility"]["items"]
    assert any(i["kind"] == "river" and i["constituent"] == "SO4" for i in items)
    assert any("SO4" in s and "Receiving stream" in s for s in res["infeasibility"]["summary"])


def test_cli_plan_json(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "cbmwater.cli", "minewater", "plan", str(CASE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["status"] == "optimal" and len(d["choices"]) == 4
