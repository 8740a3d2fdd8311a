"""The public API (``import cbmwater``): every function accepts each input kind it documents,
its typed result equals the JSON the CLI writes for the same input, and ``to_frame`` tables
have their documented columns.

Oracles: the CLI run here on the same files (its JSON is the contract: same keys, same
values), the lower-level reader called on a path (for the other source kinds), and a water
written out by hand for the mapping form.
"""

from __future__ import annotations

import io
import json
import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import cbmwater
from cbmwater.cli import main
from cbmwater.resources import example_path
from cbmwater.study.results import JsonResult

ANALYSES = example_path("qinshui", "analyses.csv")
MINE_CASE = example_path("daji_old_mine", "case.toml")
MINE_ANALYSES = example_path("daji_old_mine", "analyses.csv")
PROPOSAL = example_path("reinjection", "barite_scaling.toml")
HAND_CASE = Path(__file__).parent / "data" / "optimise" / "hand" / "case.toml"
TRAIN = ["coagulation", "sedimentation", "multimedia_filter", "ultrafiltration", "brackish_ro"]
SAMPLE = "SZ-3-04"
#: Keys whose values are wall-clock times (they differ between two runs of the same input).
TIMES = {
    "seconds",
    "solve_seconds",
    "timings",
    "precompute_s",
    "build_s",
    "solve_s",
    "geochem_s",
    "injectate_s",
    "total_s",
}


def cli_json(*args: object) -> object:
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def same(a: object, b: object, path: str = "") -> None:
    """Deep equality of two JSON values (floats to 1e-9 relative), ignoring wall-clock keys."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), f"{path}: keys differ {list(a)} != {list(b)}"
        for k in a:
            if k not in TIMES:
                same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def api_json(result: JsonResult) -> object:
    return json.loads(result.to_json())


def check_frames(result: JsonResult) -> None:
    """Every table of a result has exactly its documented columns."""
    for name, columns in type(result).tables().items():
        frame = result.to_frame(name)
        assert list(frame.columns) == list(columns), name
    with pytest.raises(ValueError, match="unknown table"):
        result.to_frame("no_such_table")


# -- read_analyses and characterise: every source kind ----------------------------------------
def _sources(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    return {
        "path": path,
        "str": str(path),
        "bytes": data,
        "binary file": io.BytesIO(data),
        "text file": io.StringIO(data.decode("utf-8-sig")),
        "DataFrame": pd.read_csv(path, dtype=str, keep_default_na=False),
    }


@pytest.mark.parametrize("kind", ["path", "str", "bytes", "binary file", "text file", "DataFrame"])
def test_read_analyses_takes_every_documented_source(kind):
    ref = cbmwater.read_analyses(ANALYSES)
    got = cbmwater.read_analyses(_sources(ANALYSES)[kind])
    pd.testing.assert_frame_equal(got.values, ref.values)
    pd.testing.assert_frame_equal(got.censored, ref.censored)


def test_read_analyses_takes_an_excel_workbook_as_bytes_and_a_numeric_dataframe():
    ref = cbmwater.read_analyses(ANALYSES)
    numeric = pd.DataFrame(
        {
            "sample_id": ["W1", "W2"],
            "pH": [8.1, 7.9],
            "Na": [820.0, 640.5],
            "Cl (mmol/L)": [10.0, None],
        }
    )
    got = cbmwater.read_analyses(numeric)
    # mmol/L x 35.45 g/mol (IUPAC 2021 abridged atomic weight of Cl)
    assert got.values.loc["W1", "Cl"] == pytest.approx(10.0 * 35.45)
    assert math.isnan(got.values.loc["W2", "Cl"])  # blank = not measured
    buf = io.BytesIO()
    pd.read_csv(ANALYSES, dtype=str, keep_default_na=False).to_excel(buf, index=False)
    xlsx = cbmwater.read_analyses(buf.getvalue())
    pd.testing.assert_frame_equal(xlsx.values, ref.values)


def test_an_xls_workbook_gets_a_message_not_an_import_error(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    p = tmp_path / "lab.xls"
    p.write_bytes(ole)
    for source in (p, ole):
        with pytest.raises(cbmwater.InputError, match=r"save it as \.xlsx"):
            cbmwater.read_analyses(source)


def test_characterise_equals_the_cli_for_a_path_and_a_dataframe():
    cli = cli_json("characterise", ANALYSES, "--format", "json")
    for source in (ANALYSES, pd.read_csv(ANALYSES, dtype=str, keep_default_na=False)):
        rec = cbmwater.characterise(source)
        assert isinstance(rec, pd.DataFrame)
        rows = json.loads(cbmwater.study.outputs.records_json(rec))
        same(rows, cli)


# -- compliance ----------------------------------------------------------------------------
def test_compliance_equals_the_cli_and_its_tables_have_their_columns():
    res = cbmwater.compliance(ANALYSES, "GB3838-2002", "III", sample=[SAMPLE, "SZ-3-01"])
    cli = cli_json(
        "compliance",
        ANALYSES,
        "--standard",
        "GB3838-2002",
        "--class",
        "III",
        "--sample",
        SAMPLE,
        "--sample",
        "SZ-3-01",
        "--format",
        "json",
    )
    same(api_json(res), cli)
    assert [s["sample_id"] for s in res.samples] == [SAMPLE, "SZ-3-01"]
    check_frames(res)
    limits = res.to_frame("limits")
    assert set(limits["sample_id"]) == {SAMPLE, "SZ-3-01"}
    assert set(limits["result"]) <= {"pass", "fail", "not_measured", "inconclusive"}


# -- treat ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def treated_cli():
    return cli_json(
        "treat",
        ANALYSES,
        "--sample",
        SAMPLE,
        "--train",
        ",".join(TRAIN),
        "--flow-m3-d",
        1000,
        "--format",
        "json",
    )


def _without_source(d: dict) -> dict:
    d = dict(d)
    d["provenance"] = {k: v for k, v in d["provenance"].items() if k != "source"}
    return d


def test_treat_equals_the_cli_json(treated_cli):
    res = cbmwater.treat(ANALYSES, ",".join(TRAIN), flow_m3_d=1000, sample=SAMPLE)
    assert isinstance(res, cbmwater.TreatmentResult)
    same(api_json(res), treated_cli)
    assert res.stages[0]["unit"] == "coagulation" and res.units == TRAIN
    assert res.product["flow_m3_d"] == pytest.approx(res.recovery * 1000)
    check_frames(res)
    stages = res.to_frame("stages")
    assert list(stages["unit"]) == TRAIN
    assert stages["outlet_m3_d"].iloc[-1] == pytest.approx(res.product["flow_m3_d"])


def test_treat_takes_every_water_kind_and_a_list_or_string_train(treated_cli):
    analyses = cbmwater.read_analyses(ANALYSES)
    one = pd.read_csv(ANALYSES, dtype=str, keep_default_na=False)
    row = one[one["sample_id"] == SAMPLE].iloc[0]
    mapping = {k: v for k, v in row.items() if v != ""}
    expected = _without_source(treated_cli)
    for train in (TRAIN, ",".join(TRAIN)):
        waters = [(s, SAMPLE) for s in _sources(ANALYSES).values()]  # fresh file objects
        waters += [(analyses, SAMPLE), (mapping, None), (one[one["sample_id"] == SAMPLE], None)]
        for water, sample in waters:
            res = cbmwater.treat(water, train, flow_m3_d=1000, sample=sample)
            same(_without_source(api_json(res)), expected)


def test_treat_asks_which_sample_and_refuses_a_bad_train():
    with pytest.raises(cbmwater.InputError, match="choose one with sample="):
        cbmwater.treat(ANALYSES, TRAIN, flow_m3_d=1000)
    with pytest.raises(cbmwater.InputError, match="list of unit ids"):
        cbmwater.treat(ANALYSES, 42, flow_m3_d=1000, sample=SAMPLE)  # type: ignore[arg-type]
    with pytest.raises(cbmwater.InputError, match="positive number"):
        cbmwater.treat(ANALYSES, TRAIN, flow_m3_d=-5, sample=SAMPLE)


def test_a_hand_written_mapping_is_one_water():
    water = {
        "sample_id": "W1",
        "pH": 8.2,
        "temp_C": 20,
        "Na": 900,
        "Ca": 15,
        "Mg": 5,
        "Cl": 300,
        "SO4": 20,
        "HCO3": 1900,
    }
    res = cbmwater.treat(water, ["cartridge_filter", "brackish_ro"], flow_m3_d=500)
    assert res.sample_id == "W1"
    assert res.feed["concentrations"]["Na"] == 900
    assert res.feed["flow_m3_d"] == 500


# -- review --------------------------------------------------------------------------------
def test_review_takes_a_path_a_mapping_and_bytes_and_equals_the_cli():
    cli = cli_json("review", PROPOSAL)
    by_path = cbmwater.review(PROPOSAL)
    assert isinstance(by_path, cbmwater.ReviewResult)
    same(api_json(by_path), cli)
    raw = PROPOSAL.read_bytes()
    by_bytes = cbmwater.review(raw, base_dir=PROPOSAL.parent)
    by_map = cbmwater.review(tomllib.loads(raw.decode("utf-8")), base_dir=PROPOSAL.parent)
    for other in (by_bytes, by_map):
        d = api_json(other)
        d["inputs_hash"] = cli["inputs_hash"]  # the hash covers the file's bytes
        same(d, cli)
    assert by_path.pqi.startswith("#") or "MIX" in by_path.pqi
    check_frames(by_path)
    assert len(by_path.to_frame("mixing")) == len(by_path.mixing) > 3


# -- optimise ------------------------------------------------------------------------------
def test_optimise_takes_a_path_a_mapping_and_a_case_and_equals_the_cli():
    cli = cli_json("optimise", HAND_CASE, "--format", "json")
    plan = cbmwater.optimise(HAND_CASE)
    assert isinstance(plan, cbmwater.NetworkPlan)
    same(api_json(plan), cli)
    data = tomllib.loads(HAND_CASE.read_text(encoding="utf-8"))
    for case in (cbmwater.load_case(HAND_CASE), data):
        other = (
            cbmwater.optimise(case)
            if not isinstance(case, dict)
            else cbmwater.optimise(cbmwater.load_case(case, base_dir=HAND_CASE.parent))
        )
        assert other.objective_CNY == pytest.approx(plan.objective_CNY, rel=1e-9)
        assert other.builds == plan.builds
    check_frames(plan)
    flows = plan.to_frame("flows")
    assert flows["delivered_m3_d"].sum() == pytest.approx(
        sum(f["delivered_m3_d"] for f in plan.flows)
    )
    assert plan.summary_text().strip()


# -- mine water ----------------------------------------------------------------------------
def test_minewater_plan_takes_a_path_a_mapping_and_a_case_and_equals_the_cli():
    cli = cli_json("minewater", "plan", MINE_CASE, "--format", "json")
    plan = cbmwater.minewater_plan(MINE_CASE)
    assert isinstance(plan, cbmwater.MinePlan)
    same(api_json(plan), cli)
    data = tomllib.loads(MINE_CASE.read_text(encoding="utf-8"))
    for case in (
        cbmwater.load_mine_case(MINE_CASE),
        cbmwater.load_mine_case(data, base_dir=MINE_CASE.parent),
    ):
        other = cbmwater.minewater_plan(case)
        assert other.npv_CNY == pytest.approx(plan.npv_CNY, rel=1e-9)
        assert [c["system"] for c in other.choices] == [c["system"] for c in plan.choices]
    check_frames(plan)


def test_mine_water_functions_equal_the_cli():
    acid = cbmwater.acidity(MINE_ANALYSES, missing_alkalinity="zero", flows_m3_d=100.0)
    same(
        api_json(acid),
        cli_json(
            "minewater",
            "acidity",
            MINE_ANALYSES,
            "--format",
            "json",
            "--missing-alkalinity",
            "zero",
            "--flow-m3-d",
            100,
        ),
    )
    check_frames(acid)
    first = acid.samples[0]  # acid load = net acidity (mg/L) x 100 m3/d / 1000
    assert first["acid_load_kg_d"] == pytest.approx(first["net_acidity_mg_L_CaCO3"] * 0.1)
    sid = acid.samples[0]["sample_id"]
    neut = cbmwater.neutralise(MINE_ANALYSES, "Ca(OH)2", 8.5, sample=sid, flow_m3_d=100.0)
    same(
        api_json(neut),
        cli_json(
            "minewater",
            "neutralise",
            MINE_ANALYSES,
            "--sample",
            sid,
            "--reagent",
            "Ca(OH)2",
            "--target-pH",
            8.5,
            "--flow-m3-d",
            100,
            "--format",
            "json",
        ),
    )
    check_frames(neut)
    # the curve crosses the target between its points (an independent look at the dose)
    curve = cbmwater.titration_curve(MINE_ANALYSES, "Ca(OH)2", 2 * neut.dose_mmol_L, sample=sid)
    below = curve[curve["dose_mmol_L"] <= neut.dose_mmol_L]["pH"].max()
    above = curve[curve["dose_mmol_L"] >= neut.dose_mmol_L]["pH"].min()
    assert below <= 8.5 + 0.05 and above >= 8.5 - 0.05
    size = cbmwater.size_option("vfp", 200.0, net_acidity=150.0, fe_mg_L=20.0)
    same(
        api_json(size),
        cli_json(
            "minewater",
            "size",
            "--option",
            "vfp",
            "--flow-m3-d",
            200,
            "--net-acidity",
            150,
            "--fe-mg-L",
            20,
            "--format",
            "json",
        ),
    )
    check_frames(size)
    assert size.to_frame("capex")["CNY"].sum() == pytest.approx(size.capex_CNY, rel=1e-6)


def test_results_round_trip_through_from_dict():
    res = cbmwater.size_option("ald", 100.0, net_acidity=100.0, fe_mg_L=5.0)
    again = type(res).from_dict(res.to_dict())
    assert again == res
    with pytest.raises(TypeError, match="does not declare"):
        type(res).from_dict({**res.to_dict(), "surprise": 1})


def test_the_api_is_what_the_package_exports():
    for name in cbmwater.__all__:
        assert hasattr(cbmwater, name), name
    for fn in (
        cbmwater.read_analyses,
        cbmwater.characterise,
        cbmwater.compliance,
        cbmwater.treat,
        cbmwater.review,
        cbmwater.optimise,
        cbmwater.minewater_plan,
        cbmwater.acidity,
        cbmwater.neutralise,
        cbmwater.size_option,
    ):
        doc = fn.__doc__ or ""
        assert "Parameters" in doc and "Returns" in doc and "Examples" in doc, fn.__name__
    for name in cbmwater.__all__:  # every public function: numpydoc with an example
        fn = getattr(cbmwater, name)
        if callable(fn) and not isinstance(fn, type):
            assert "Examples\n    --------" in (fn.__doc__ or ""), name
    from cbmwater.optimize.plan import OBJECTIVES

    assert cbmwater.study.OBJECTIVES == OBJECTIVES
