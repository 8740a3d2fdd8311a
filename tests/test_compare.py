"""Scenario comparison (issue 14): two real plans of the hand case, compared against the hand
derivation in tests/test_optimise.py.

Base: Reuse takes 100 m3/d, River 100 m3/d; both F limits bind (1.5 and 1.0 mg/L) and Reuse's
capacity binds; B's defluoridation plant of 50 m3/d is built.
Variant (Reuse capacity 50 m3/d): all 200 m3/d still go somewhere, so River takes 150 m3/d.  The
F budget becomes 1.5 x 50 + 1.0 x 150 = 225 g/d against 360 g/d untreated: 135 g/d must be
removed instead of 110, so more of B is treated; Reuse revenue falls by 50 m3/d x 365 d x
1 CNY/m3 = 18,250 CNY.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import cbmwater
from cbmwater.errors import InputError
from cbmwater.optimize.case import parse_case

HAND = Path(__file__).parent / "data" / "optimise" / "hand"
QUIET = {"progress": lambda msg, frac: None}


def _plan(reuse_capacity: float) -> dict:
    data = tomllib.loads((HAND / "case.toml").read_text(encoding="utf-8"))
    data["destinations"][0]["capacity_m3_d"] = reuse_capacity
    case = parse_case(data, HAND, str(HAND / "case.toml"))
    from cbmwater.optimize.plan import optimise

    return optimise(case, **QUIET)


@pytest.fixture(scope="module")
def comparison():
    base, small = _plan(100.0), _plan(50.0)
    return base, small, cbmwater.compare_plans([base, small], ["base", "reuse 50"])


def test_flows_by_destination_follow_the_hand_balance(comparison):
    _, _, c = comparison
    flows = c.to_frame("flows").set_index("destination")
    assert flows.loc["Reuse", "base"] == pytest.approx(100.0)
    assert flows.loc["Reuse", "reuse 50"] == pytest.approx(50.0)
    assert flows.loc["River", "base"] == pytest.approx(100.0, rel=1e-6)
    assert flows.loc["River", "reuse 50"] == pytest.approx(150.0, rel=1e-6)
    assert flows.loc["River", "delta"] == pytest.approx(50.0, rel=1e-6)


def test_kpis_and_costs_side_by_side(comparison):
    base, small, c = comparison
    kpis = c.to_frame("kpis").set_index("kpi")
    assert kpis.loc["NPV of costs", "base"] == pytest.approx(base["objective_CNY"])
    assert kpis.loc["NPV of costs", "delta"] == pytest.approx(
        small["objective_CNY"] - base["objective_CNY"]
    )
    # reuse share: 100/200 and 50/200
    assert kpis.loc["Reuse share", "base"] == pytest.approx(0.5)
    assert kpis.loc["Reuse share", "reuse 50"] == pytest.approx(0.25)
    costs = c.to_frame("costs").set_index("category")
    # revenue is negative: 365 d x 100 m3/d x 1 CNY/m3, then x 50
    assert costs.loc["revenue", "base"] == pytest.approx(-36500.0)
    assert costs.loc["revenue", "delta"] == pytest.approx(18250.0)
    categories = costs.drop(index="total")
    for run in ("base", "reuse 50"):
        assert categories[run].sum() == pytest.approx(costs.loc["total", run], rel=1e-9)


def test_builds_show_the_change(comparison):
    base, small, c = comparison
    builds = c.to_frame("builds")
    sizes = {r["site"]: (r["base"], r["reuse 50"], r["change"]) for r in builds.to_dict("records")}
    assert sizes["B"][0] == 50.0
    # more F must be removed (135 vs 110 g/d), so more of B is treated
    treated = [
        sum(
            f["feed_m3_d"]
            for f in p["flows"]
            if f["train"] == "defluoridation" and f["stream"] == "product"
        )
        for p in (base, small)
    ]
    assert treated[1] > treated[0]
    expected = "same" if sizes["B"][0] == sizes["B"][1] else "resized"
    assert sizes["B"][2] == expected


def test_binding_limits_are_the_hand_ones(comparison):
    _, _, c = comparison
    binding = c.to_frame("binding")
    got = {
        (r["destination"], r["property"])
        for r in binding.to_dict("records")
        if r["base"] is not None and r["base"] == r["base"]
    }
    # both F limits bind (the F budget is exhausted) and the paying Reuse is filled
    assert {("Reuse", "F"), ("River", "F"), ("Reuse", "capacity")} <= got
    assert ("River", "capacity") not in got
    limits = binding.set_index(["destination", "property"])["limit"]
    assert limits[("Reuse", "F")] == 1.5 and limits[("River", "F")] == 1.0


def test_a_comparison_needs_two_named_runs():
    with pytest.raises(InputError, match="two or more"):
        cbmwater.compare_plans([{"kpis": {}}])
    with pytest.raises(InputError, match="unique"):
        cbmwater.compare_plans([{"kpis": {}}, {"kpis": {}}], ["a", "a"])


def test_trains_compared_on_real_runs():
    water = cbmwater.study.BUNDLED_ANALYSES
    ro = cbmwater.treat(
        water, "multimedia_filter,cartridge_filter,brackish_ro", flow_m3_d=500, sample="SZ-3-01"
    )
    soft = cbmwater.treat(
        water, "multimedia_filter,cartridge_filter", flow_m3_d=500, sample="SZ-3-01"
    )
    c = cbmwater.compare_trains([ro, soft], ["RO", "filters"])
    kpis = c.to_frame("kpis").set_index("kpi")
    assert kpis.loc["Recovery", "RO"] == pytest.approx(ro.recovery)
    assert kpis.loc["LCOW", "filters"] == pytest.approx(soft.lcow_CNY_m3)
    assert kpis.loc["LCOW", "delta"] == pytest.approx(soft.lcow_CNY_m3 - ro.lcow_CNY_m3)
    quality = c.to_frame("quality").set_index("constituent")
    # RO takes out most of the sodium; filters leave it (mass balance: no Na removal unit)
    assert quality.loc["Na", "RO"] < 0.2 * quality.loc["Na", "filters"]
    assert quality.loc["Na", "filters"] == pytest.approx(ro.feed["concentrations"]["Na"], rel=1e-3)
