"""Global sensitivity: Sobol indices of a plan's NPV and reuse share (issue 15, Deliver 5;
cbmwater/study/sensitivity.py, cbmwater/optimize/sensitivity.py).

Oracles, each written here by hand:

* the hand case (tests/data/optimise/hand; its optimum is derived in tests/test_optimise.py:
  Reuse takes 100 m3/d, B's water is treated y* = 110 / (3 - m) m3/d on the defluoridation
  train, discount 0, one 1-yr period).  With the builds fixed the flows do not move when only
  prices move, so the NPV cost is linear in them, with coefficients from the hand derivation:

  - d NPV / d (Reuse tariff)        = -100 m3/d x 365 d            (revenue of the reuse water)
  - d NPV / d (chemicals factor)    = 365 y* c_chem                 (c_chem: the train's
    chemicals cost per m3 of feed, from the path table)
  - d NPV / d (electricity tariff)  = 365 y* c_el / e0              (c_el at the case's e0)
  - d NPV / d (River capacity factor) = 0 (the River takes ~100 of its 1000 m3/d)

  For independent inputs a linear model's Sobol indices are its variance shares,
  S1_i = ST_i = a_i^2 Var(X_i) / sum_j a_j^2 Var(X_j) (Var of a uniform on [l, h]:
  (h - l)^2 / 12), so sum S1 = 1.
* the engine's NPV at every design point equals that linear function at the point's inputs,
  and its indices equal SALib's estimator applied to the hand function on the same design.
* the design's inputs are the inverse CDFs of its unit coordinates (uniform: l + u (h - l)).
"""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from toml_writer import dumps

import cbmwater
from cbmwater.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "optimise" / "hand"

# the four price-side factors of the oracle: (values key, low, high)
TARIFF = ("destination 'Reuse' price_CNY_m3", 0.5, 1.5)
CHEM = ("chemicals_factor", 0.8, 1.2)
ELEC = ("electricity_CNY_kWh", 0.4, 0.8)
RIVER = ("destination 'River' capacity_factor", 0.5, 1.0)
LINEAR = {
    "prices": {
        "electricity_CNY_kWh": {"dist": "uniform", "low": ELEC[1], "high": ELEC[2]},
        "chemicals_factor": {"dist": "uniform", "low": CHEM[1], "high": CHEM[2]},
    },
    "destinations": [
        {"name": "Reuse", "price_CNY_m3": {"dist": "uniform", "low": TARIFF[1], "high": TARIFF[2]}},
        {"name": "River", "capacity_factor": {"dist": "uniform", "low": RIVER[1], "high": RIVER[2]}},
    ],
}  # fmt: skip
MIXED = {
    "wells": [{"qi_factor": {"dist": "lognormal", "median": 1.0, "sigma": 0.1}}],
    "prices": {"electricity_CNY_kWh": "default", "chemicals_factor": "default"},
    "destinations": [{"name": "Reuse", "price_CNY_m3": "default", "capacity_factor": "default"}],
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


def _coefficients(case_path: Path) -> dict[str, float]:
    """d NPV / d input of the hand derivation (module docstring), from the path table."""
    from cbmwater.optimize.precompute import KEYS
    from cbmwater.optimize.prepared import Prepared

    case = cbmwater.load_case(case_path)
    tab = Prepared(case, database=None, progress=lambda m, f: None).table
    j = tab.pairs.index(("B", "defluoridation"))
    f = KEYS.index("F")
    m = tab.recovery[j, 0] * tab.product[j, 0, f] + tab.residual_frac[j, 0] * tab.residual[j, 0, f]
    y_star = 110.0 / (3.0 - m)
    e0 = case.uncertainty.electricity_base
    return {
        TARIFF[0]: -100.0 * 365.0,
        CHEM[0]: 365.0 * y_star * float(tab.var_breakdown["chemicals"][j, 0]),
        ELEC[0]: 365.0 * y_star * float(tab.var_breakdown["electricity"][j, 0]) / e0,
        RIVER[0]: 0.0,
    }


@pytest.fixture(scope="module")
def linear(tmp_path_factory):
    case = _hand(tmp_path_factory.mktemp("linear"), LINEAR)
    res = cbmwater.sensitivity(case, base_samples=32, seed=7, workers=2)
    return case, res, _coefficients(case)


@pytest.mark.slow
def test_npv_is_the_hand_linear_function_at_every_design_point(linear):
    _, res, a = linear
    ev = res.to_frame("evaluations")
    assert len(ev) == 32 * (4 + 2) == res.evaluations_count
    assert (ev["status"] == "optimal").all()
    base = {TARIFF[0]: 1.0, CHEM[0]: 1.0, RIVER[0]: 1.0, ELEC[0]: None}
    npv0 = res.deterministic["npv_CNY"]
    e0 = cbmwater.load_case(linear[0]).uncertainty.electricity_base
    base[ELEC[0]] = e0
    hand = npv0 + sum(a[k] * (ev[k].to_numpy() - base[k]) for k in a)
    assert ev["npv_CNY"].to_numpy() == pytest.approx(hand, rel=1e-9, abs=1e-4)
    # the reuse share is 100 / 200 in every scenario: nothing to apportion, said so
    assert res.output_stats["reuse_share"]["note"]
    assert all(f["reuse_share"]["ST"] is None for f in res.factors)
    from cbmwater.i18n import Message

    note = Message.from_dict(res.output_stats["reuse_share"]["note_i18n"])
    assert note.render("en") == res.output_stats["reuse_share"]["note"]
    assert "(0.5)" in note.render("en") and "（0.5）" in note.render("zh")


@pytest.mark.slow
def test_sobol_indices_are_the_variance_shares_of_the_linear_npv(linear):
    _, res, a = linear
    var = {k: (hi - lo) ** 2 / 12.0 for k, lo, hi in (TARIFF, CHEM, ELEC, RIVER)}
    total = sum(a[k] ** 2 * var[k] for k in a)
    share = {k: a[k] ** 2 * var[k] / total for k in a}
    assert 0.1 < share[TARIFF[0]] < 0.9  # both main factors matter (the test is not trivial)
    by = {f["name"]: f["npv_CNY"] for f in res.factors}
    assert set(by) == set(a)
    for k, s in share.items():
        got = by[k]
        # SALib's 95 % bootstrap interval holds the true share ...
        assert abs(got["S1"] - s) <= got["S1_conf"] + 1e-9, (k, got, s)
        assert abs(got["ST"] - s) <= got["ST_conf"] + 1e-9, (k, got, s)
        # ... and is wide (0.1-0.4 at N = 32: it assumes Monte Carlo convergence, 1/sqrt(N));
        # on this smooth additive function the scrambled Sobol design converges about as 1/N,
        # so the estimates are also within 0.05 (1.6/N) of the truth
        assert got["S1"] == pytest.approx(s, abs=0.05), (k, got, s)
        assert got["ST"] == pytest.approx(s, abs=0.05), (k, got, s)
    # no interactions in a linear model: the total index of a factor that does nothing is 0
    # exactly (f(A) = f(AB_i) at every point), and the electricity's is below 1e-6
    assert by[RIVER[0]]["ST"] == pytest.approx(0.0, abs=1e-12)
    assert by[ELEC[0]]["ST"] < 1e-6
    assert res.output_stats["npv_CNY"]["sum_S1"] == pytest.approx(1.0, abs=0.1)
    assert res.output_stats["npv_CNY"]["top_factor"] == max(share, key=share.get)
    # the tornado's order: largest ST first
    assert [r["name"] for r in res.ranked("npv_CNY")][:2] == sorted(share, key=lambda k: -share[k])[
        :2
    ]


@pytest.mark.slow
def test_indices_equal_salib_on_the_hand_function_over_the_same_design(linear):
    from SALib.analyze import sobol

    case, res, a = linear
    ev = res.to_frame("evaluations")
    e0 = cbmwater.load_case(case).uncertainty.electricity_base
    base = {TARIFF[0]: 1.0, CHEM[0]: 1.0, RIVER[0]: 1.0, ELEC[0]: e0}
    y = sum(a[k] * (ev[k].to_numpy() - base[k]) for k in a)
    names = [f["name"] for f in res.factors]
    problem = {"num_vars": 4, "names": names, "bounds": [[0.0, 1.0]] * 4}
    si = sobol.analyze(problem, np.asarray(y), calc_second_order=False, seed=7 + 1)
    for k, f in enumerate(res.factors):
        for key in ("S1", "ST", "S1_conf", "ST_conf"):
            assert f["npv_CNY"][key] == pytest.approx(float(si[key][k]), abs=1e-6), (f, key)


# -- the design ------------------------------------------------------------------------------
def test_design_inputs_are_inverse_cdfs_and_rows_follow_saltelli(tmp_path):
    from cbmwater.optimize.sensitivity import design_columns, factors_of, sample, values_at

    unc = cbmwater.load_case(_hand(tmp_path, LINEAR)).uncertainty
    cols = design_columns(unc)
    assert [c.factor for c in cols] == [ELEC[0], CHEM[0], TARIFF[0], RIVER[0]]
    design = sample(cols, 8, seed=1)
    assert design.shape == (8 * (4 + 2), 4)
    assert ((design > 0) & (design < 1)).all()
    for row in design:
        v = values_at(cols, row)
        for (key, lo, hi), u in zip((ELEC, CHEM, TARIFF, RIVER), row):
            assert v[key] == pytest.approx(lo + u * (hi - lo), rel=1e-12)
    # Saltelli's scheme: row 1 + i of a block is A with column i taken from B (last row)
    a_row, b_row = design[0], design[5]
    for i in range(4):
        expect = a_row.copy()
        expect[i] = b_row[i]
        assert design[1 + i] == pytest.approx(expect)
    assert [f.variables for f in factors_of(unc)] == [1, 1, 1, 1]


def test_per_well_rows_are_one_factor_and_a_correlated_row_keeps_its_copula(tmp_path):
    from statistics import NormalDist

    from cbmwater.optimize.sensitivity import design_columns, factors_of, sample, values_at

    unc = {
        "wells": [
            {
                "qi_factor": {"dist": "lognormal", "median": 1.0, "sigma": 0.5},
                "Di_factor": {"dist": "uniform", "low": 0.5, "high": 1.5},
                "rho_qi_Di": 0.8,
            },
            {"per": "group", "b": {"dist": "uniform", "low": 0.2, "high": 0.8}},
        ],
        "prices": {"chemicals_factor": "default"},
    }
    u = cbmwater.load_case(_hand(tmp_path, unc)).uncertainty
    facs = factors_of(u)
    assert [(f.name, f.parameter, f.variables) for f in facs] == [
        ("wells[1] qi_factor+Di_factor", "qi_factor+Di_factor", 4),  # 2 wells x (qi, Di)
        ("wells[2] b", "b", 1),  # one draw for the group
        ("chemicals_factor", "chemicals_factor", 1),
    ]
    cols = design_columns(u)
    design = sample(cols, 1024, seed=2)
    rows = [values_at(cols, r) for r in design]
    qi = np.array([r["wells[1] A1 qi_factor"] for r in rows])
    di = np.array([r["wells[1] A1 Di_factor"] for r in rows])
    zq = np.log(qi) / 0.5
    zd = np.array([NormalDist().inv_cdf(x - 0.5) for x in di])
    assert np.corrcoef(zq, zd)[0, 1] == pytest.approx(0.8, abs=0.03)
    # the other well's draws are its own
    qi2 = np.array([r["wells[1] B1 qi_factor"] for r in rows])
    assert abs(np.corrcoef(np.log(qi), np.log(qi2))[0, 1]) < 0.1
    assert {k for k in rows[0] if k.startswith("wells[2]")} == {"wells[2] b"}


# -- reproducibility and a small mixed case --------------------------------------------------
def test_same_seed_gives_the_same_json_with_one_and_two_workers(tmp_path):
    case = _hand(tmp_path, MIXED)
    one = cbmwater.sensitivity(case, base_samples=4, seed=5, workers=1)
    two = cbmwater.sensitivity(case, base_samples=4, seed=5, workers=2)
    assert one.to_json() == two.to_json()
    other = cbmwater.sensitivity(case, base_samples=4, seed=6, workers=1)
    assert other.to_json() != one.to_json()
    d = json.loads(one.to_json())
    assert d["samples"] == 4 and d["seed"] == 5
    assert d["evaluations_count"] == 4 * (5 + 2)
    names = [f["name"] for f in d["factors"]]
    assert names == [
        "wells[1] qi_factor",
        "electricity_CNY_kWh",
        "chemicals_factor",
        "destination 'Reuse' capacity_factor",
        "destination 'Reuse' price_CNY_m3",
    ]
    for f in d["factors"]:
        for out in ("npv_CNY", "reuse_share"):
            assert set(f[out]) == {"S1", "S1_conf", "ST", "ST_conf"}
            assert all(math.isfinite(f[out][k]) for k in f[out])
    # the Reuse capacity factor moves the reuse share (qi too: the produced water moves)
    top = d["output_stats"]["reuse_share"]["top_factor"]
    assert top in ("destination 'Reuse' capacity_factor", "wells[1] qi_factor")
    shares = {f["name"]: f["reuse_share"]["ST"] for f in d["factors"]}
    assert shares["electricity_CNY_kWh"] < 0.05 and shares["chemicals_factor"] < 0.05


# -- figures ---------------------------------------------------------------------------------
def test_tornado_figure_ranks_factors_by_total_index(tmp_path):
    pytest.importorskip("plotly")
    from cbmwater.study.outputs import tornado_figure, tornado_svg

    res = {
        "outputs": ["npv_CNY", "reuse_share"],
        "factors": [
            {"name": "a", "npv_CNY": {"S1": 0.1, "S1_conf": 0.01, "ST": 0.2, "ST_conf": 0.02},
             "reuse_share": {"S1": None, "S1_conf": None, "ST": None, "ST_conf": None}},
            {"name": "b", "npv_CNY": {"S1": 0.7, "S1_conf": 0.05, "ST": 0.8, "ST_conf": 0.04},
             "reuse_share": {"S1": None, "S1_conf": None, "ST": None, "ST_conf": None}},
        ],
        "output_stats": {"npv_CNY": {"note": ""}, "reuse_share": {"note": "constant"}},
    }  # fmt: skip
    fig = tornado_figure(res, "npv_CNY", lang="en")
    st, s1 = fig.data[0], fig.data[1]
    # plotly draws the first category at the bottom: the largest ST is the last (top) bar
    assert list(st.y) == ["a", "b"] and list(st.x) == [0.2, 0.8]
    assert list(s1.x) == [0.1, 0.7] and list(st.error_x.array) == [0.02, 0.04]
    zh = tornado_figure(res, "npv_CNY", lang="zh")
    assert zh.layout.title.text != fig.layout.title.text
    empty = tornado_figure(res, "reuse_share", lang="en")
    assert len(empty.data) == 0 and "constant" in empty.layout.annotations[0].text
    svg = tornado_svg(res, "npv_CNY", lang="en")
    assert svg.startswith(b"<?xml") and svg == tornado_svg(res, "npv_CNY", lang="en")


# -- bad input -------------------------------------------------------------------------------
def test_bad_inputs_give_messages(tmp_path):
    case = _hand(tmp_path, LINEAR)
    with pytest.raises(InputError, match="must be a power of 2 from 4 to 65536.*got 10"):
        cbmwater.sensitivity(case, base_samples=10, seed=1, workers=1)
    with pytest.raises(InputError, match="power of 2.*got 2"):
        cbmwater.sensitivity(case, base_samples=2, seed=1, workers=1)
    with pytest.raises(InputError, match="unknown output 'npv'; allowed: npv_CNY, reuse_share"):
        cbmwater.sensitivity(case, base_samples=4, seed=1, outputs=["npv"], workers=1)
    with pytest.raises(InputError, match="seed must be a whole number >= 0"):
        cbmwater.sensitivity(case, base_samples=4, seed=-1, workers=1)
    with pytest.raises(InputError, match=r"no \[uncertainty\] section"):
        cbmwater.sensitivity(_hand(tmp_path, None), base_samples=4, seed=1, workers=1)


# -- the CLI, the workspace and the job runner --------------------------------------------------
@pytest.mark.slow
def test_cli_sensitivity_writes_json_tables_and_tornado_and_saves_the_run(tmp_path):
    from click.testing import CliRunner

    from cbmwater.cli import main
    from cbmwater.study.workspace import Workspace

    case = _hand(tmp_path, LINEAR)
    out, ws = tmp_path / "out", tmp_path / "ws.sqlite"
    args = ["uncertainty", str(case), "--sensitivity", "--samples", "4", "--seed", "3"]
    res = CliRunner().invoke(
        main,
        [*args, "--workers", "1", "--format", "json", "--out", str(out), "--save", "--workspace", str(ws)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    api = cbmwater.sensitivity(case, base_samples=4, seed=3, workers=1)
    assert json.loads(res.stdout) == json.loads(api.to_json())
    assert json.loads((out / "sensitivity.json").read_text(encoding="utf-8")) == json.loads(
        api.to_json()
    )
    assert {p.name for p in out.iterdir()} == {
        "sensitivity.json",
        "indices.csv",
        "evaluations.csv",
        "tornado.html",
        "tornado_npv_CNY.svg",
        "tornado_reuse_share.svg",
    }
    assert "Sobol" in (out / "tornado.html").read_text(encoding="utf-8")
    (run,) = Workspace(ws).runs("sensitivity")
    top = api.output_stats["npv_CNY"]["top_factor"]
    st = next(f["npv_CNY"]["ST"] for f in api.factors if f["name"] == top)
    assert run.key_figures == {
        "samples": 4,
        "evaluations": 4 * 6,
        "npv_top_factor": top,
        "npv_top_ST": pytest.approx(st),
    }
    # a bad base-sample count is refused before any work, as a message
    bad = CliRunner().invoke(main, [*args[:-4], "--samples", "12", "--seed", "3"])
    assert bad.exit_code == 2 and "power of 2" in bad.output and "Traceback" not in bad.output


@pytest.mark.slow
def test_a_sensitivity_job_runs_in_its_own_process_with_the_same_result(tmp_path):
    from cbmwater.study.jobs import JobRunner

    case = _hand(tmp_path, LINEAR)
    direct = cbmwater.sensitivity(case, base_samples=4, seed=4, workers=1).to_dict()
    runner = JobRunner()
    try:
        jid = runner.submit(
            "sensitivity", "sensitivity", {"case": str(case), "base_samples": 4, "seed": 4}
        )
        st = runner.wait(jid, timeout=300)
    finally:
        runner.close()
    assert st.state == "done", st.error
    assert st.result == direct
