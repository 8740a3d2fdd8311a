"""The optimisation model reads as what it is (issue 12, item 5).

LP and MPS files written by ``solver.write_model`` name their columns by site, train,
destination and period and their rows by what they hold (balance, capacity, quality with the
constituent...), never ``x123`` / ``c_e_x123_``.  The files are read back by HiGHS directly
(``highspy``), which must find the same optimum as the engine's own solve (Pyomo -> APPSI ->
HiGHS in memory): the file is an independent route to the same model.
"""

from __future__ import annotations

import re

import highspy
import pyomo.environ as pyo
import pytest
from test_optimise import QUIET, _case, _hub_case

from cbmwater.optimize.model import Cut, build_model
from cbmwater.optimize.names import COLUMN_KINDS, ROW_KINDS, tokens
from cbmwater.optimize.prepared import Prepared
from cbmwater.optimize.solver import solve, write_model

GAP = 1e-9
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.(),]*$")  # what every LP reader takes
NUMERIC = re.compile(r"^(c_[elu]_|r_[lu]_)?x\d+_?$")  # Pyomo's anonymous labels


def _two_periods(d):
    d["case"]["periods"] = 2
    # a name with a space, brackets and Chinese: reduced to what LP files allow
    d["destinations"][1]["name"] = "River (Fenhe) 汾河"


def _network(case):
    return Prepared(case, database=None, progress=QUIET["progress"]).network()


def _read(path):
    """The file as HiGHS reads it, solved on its own: (objective, column names, row names)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", GAP)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
    lp = h.getLp()
    return h.getInfo().objective_function_value, list(lp.col_names_), list(lp.row_names_)


def _check_names(cols, rows):
    assert len(set(cols)) == len(cols) and len(set(rows)) == len(rows)
    for n in cols + rows:
        assert NAME.match(n) and len(n) <= 255, n
        assert not NUMERIC.match(n), n


@pytest.fixture(scope="module")
def hand_net():
    return _network(_case(_two_periods))


@pytest.mark.parametrize("ext", ["lp", "mps"])
def test_hand_case_file_names_what_it_holds_and_solves_the_same(hand_net, tmp_path, ext):
    mi = build_model(hand_net)
    path = write_model(mi.model, str(tmp_path / f"model.{ext}"))
    obj, cols, rows = _read(path)
    info = solve(mi.model, mip_gap=GAP)
    assert info.status == "optimal"
    assert obj == pytest.approx(info.objective, rel=1e-7, abs=1e-6)
    _check_names(cols, rows)
    # columns: site, train, destination, period
    for name in (
        "feed(B,defluoridation,t2)",
        "product(A,direct,Reuse,t1)",
        "product(B,defluoridation,River_Fenhe,t2)",
        "residual(B,defluoridation,River_Fenhe,t1)",
        "build(B,defluoridation,50_m3_d)",
        "build(A,defluoridation,200_m3_d)",
    ):
        assert name in cols
    # rows: balance, splits, builds, capacity, quality with its constituent (Pyomo's sense tags)
    for name in (
        "c_e_balance(A,t2)_",
        "c_e_product_split(B,defluoridation,t1)_",
        "c_e_residual_split(B,defluoridation,t2)_",
        "c_u_one_size(B,defluoridation)_",
        "c_u_build_capacity(B,defluoridation,t2)_",
        "c_u_capacity(Reuse,t1)_",
        "c_u_capacity(River_Fenhe,t2)_",
        "c_u_quality(Reuse,F,t1)_",
        "c_u_quality(River_Fenhe,F,t2)_",
    ):
        assert name in rows
    kinds = {re.sub(r"^(c_[elu]_|r_[lu]_)", "", r).split("(")[0] for r in rows}
    assert kinds <= set(ROW_KINDS) | {"ONE_VAR_CONSTANT"}
    assert {c.split("(")[0] for c in cols} <= set(COLUMN_KINDS) | {"ONE_VAR_CONSTANT"}


def test_hub_transfers_cuts_and_epsilon_rows_are_named(tmp_path):
    net = _network(_hub_case(tmp_path))
    # direct water over the calcite limit, the hub's RO product under it
    cut = Cut(
        "River",
        1,
        "SI_Calcite",
        "max",
        1.0,
        1.4,
        1,
        {(i, "product"): -1.0 if t == "RO" else 0.5 for i, (_, t) in enumerate(net.table.pairs)},
    )
    mi = build_model(net, cuts=[cut], max_cost_CNY=1e9)
    path = write_model(mi.model, str(tmp_path / "hub.lp"))
    obj, cols, rows = _read(path)
    info = solve(mi.model, mip_gap=GAP)
    assert obj == pytest.approx(info.objective, rel=1e-7, abs=1e-9)
    _check_names(cols, rows)
    assert {
        "transfer(A,Hub,t1)",
        "transfer(C,Hub,t1)",
        "feed(Hub,RO,t1)",
        "residual(Hub,RO,Brine,t1)",
    } <= set(cols)
    assert {
        "c_e_hub_balance(Hub,t1)_",
        "c_u_capacity(Brine,t1)_",
        "c_u_cut(River,SI_Calcite,t1,1)_",
        "c_u_max_cost_",
    } <= set(rows)
    assert "min \nnpv_cost_CNY:" in (tmp_path / "hub.lp").read_text()


def test_elastic_model_names_its_slacks(hand_net, tmp_path):
    mi = build_model(hand_net, elastic=True)
    _, cols, rows = _read(write_model(mi.model, str(tmp_path / "elastic.mps")))
    _check_names(cols, rows)
    assert {"spill(A,t1)", "over_capacity(Reuse,t2)", "quality_slack(River_Fenhe,F,t1)"} <= set(
        cols
    )


def test_every_component_says_what_it_is(hand_net):
    m = build_model(hand_net, elastic=True).model
    comps = list(
        m.component_objects(
            (pyo.Var, pyo.Constraint, pyo.Objective, pyo.Expression, pyo.Param, pyo.Set),
            descend_into=True,
        )
    )
    assert len(comps) >= 10
    for c in comps:
        assert c.doc, c.name


def test_tokens_are_lp_safe_and_distinct():
    assert tokens(["Industry A", "Industry-A", "汾河", "e1", "S3"], "destination") == [
        "Industry_A_1",
        "Industry_A_2",
        "destination3",
        "e1",
        "S3",
    ]
    assert len(tokens(["x" * 300], "site")[0]) <= 48
