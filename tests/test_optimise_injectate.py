"""Injectate compatibility inside the optimiser (issue 11, Deliver item 7).

Cases (constructed) in ``tests/data/optimise/injectate``:

* ``case.toml``: one station of four wells, two periods, an aerated clarification train and the
  same train ending with ``oxygen_scavenger``; the deep injection well (SY/T 5329 class
  0.05-0.5, DO <= 0.5 mg/L, status U) is the cheapest outlet, the outfall charges 20 CNY/m3.
* ``formation.toml``: a sulfate-rich and a low-sulfate station; the well's formation water is
  Ba-rich.
* ``blend.toml``: two streams that each pass the formation check but fail it together.

Oracles: a hand-written PHREEQC input (O2(g) equilibrium; MIX of two waters), hand
calculations written here (0.005 x DO, flow-weighted concentrations) and the regulator's review
(:func:`cbmwater.reinjection.review.review`) run separately on the same waters.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cbmwater.errors import InputError
from cbmwater.geochem.engine import get_engine
from cbmwater.optimize.case import load_case, parse_case
from cbmwater.optimize.plan import optimise
from cbmwater.reinjection.proposal import parse_proposal
from cbmwater.reinjection.review import SCALE_MINERALS, review
from cbmwater.report.optimise_tables import result_tables, summary_text

DATA = Path(__file__).parent / "data" / "optimise" / "injectate"
QUIET = {"progress": lambda msg, frac: None}
ALK_PER_HCO3 = 50.0437 / 61.0168  # mg/L CaCO3 per mg/L HCO3
ALK_PER_CO3 = 2 * 50.0437 / 60.0089  # mg/L CaCO3 per mg/L CO3


def _load(name: str, mutate=None):
    path = DATA / name
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if mutate:
        mutate(data)
    return parse_case(data, DATA, str(path))


@pytest.fixture(scope="module")
def oxic():
    case = load_case(DATA / "case.toml")
    return case, optimise(case, **QUIET)


@pytest.fixture(scope="module")
def formation():
    case = load_case(DATA / "formation.toml")
    return case, optimise(case, **QUIET)


@pytest.fixture(scope="module")
def blend():
    case = load_case(DATA / "blend.toml")
    return case, optimise(case, **QUIET)


def _solution(n: int, c: dict, temp: float, ph: float) -> str:
    """A PHREEQC SOLUTION typed from canonical mg/L values (Fe as Fe(2): the redox policy)."""
    alk = ALK_PER_HCO3 * (c.get("HCO3") or 0.0) + ALK_PER_CO3 * (c.get("CO3") or 0.0)
    lines = [
        f"SOLUTION {n}",
        "    units mg/l",
        f"    temp {temp}",
        f"    pH {ph}",
        f"    Alkalinity {alk} as CaCO3",
    ]
    names = {
        "Na": "Na",
        "K": "K",
        "Ca": "Ca",
        "Mg": "Mg",
        "Fe": "Fe(2)",
        "Sr": "Sr",
        "Ba": "Ba",
        "Cl": "Cl",
        "F": "F",
    }
    for k, el in names.items():
        if c.get(k):
            lines.append(f"    {el} {c[k]}")
    if c.get("SO4"):
        lines.append(f"    S(6) {c['SO4']} as SO4")
    return "\n".join(lines) + "\n"


# -- the oxic state -------------------------------------------------------------------------------
def test_reinjection_rejects_the_aerated_product_and_takes_the_deaerated_one(oxic):
    case, res = oxic
    assert res["status"] == "optimal"
    well = [f for f in res["flows"] if f["destination"] == "Deep well"]
    assert {f["period"] for f in well} == {1, 2}
    assert {(f["train"], f["stream"]) for f in well} == {("deaerated", "product")}
    assert [b["train"] for b in res["builds"]] == ["deaerated"]
    # everything the station produces is treated and reinjected (the outfall costs 20 CNY/m3)
    for t in (1, 2):
        feed = sum(f["feed_m3_d"] for f in well if f["period"] == t)
        produced = sum(s["produced_m3_d"] for s in res["sources"] if s["period"] == t)
        assert feed == pytest.approx(produced, rel=1e-6)

    # the plan states why: DO value, limit, its source and status, and what fixes it
    why = [
        e
        for e in res["exclusions"]
        if e["destination"] == "Deep well" and e["train"] == "aerated" and e["stream"] == "product"
    ]
    assert len(why) == 1
    e = why[0]
    assert e["constituent"] == "DO" and e["kind"] == "limit" and e["periods"] == [1, 2]
    assert e["limit"] == 0.5 and e["status"] == "U" and "SYT5329" in e["source"]
    assert "oxygen_scavenger" in e["fix"] and "deaerated" in e["fix"]
    assert "DO" in e["message"] and "0.5 mg/L" in e["message"] and "status U" in e["message"]

    # hand oracle: the aerator equilibrates the station water with air (O2(g) 10^-0.68 atm and
    # CO2(g) 10^-3.0 atm, units.toml aeration); DO = O(0) mol/kgw x kg water per L x 15999 mg/mol
    paths = {(p["train"], p["period"]): p for p in res["paths"]}
    feeds = {f["period"]: f for f in res["feeds"] if f["site"] == "Station"}
    for t in (1, 2):
        f = feeds[t]
        text = (
            "SELECTED_OUTPUT 1\n    -reset false\n    -simulation true\n"
            "USER_PUNCH 1\n    -headings DO_mg_L\n"
            '    10 PUNCH TOT("O(0)") * TOT("water") / SOLN_VOL * 15.999 * 1000\n'
            + _solution(1, f["conc"], f["temp_C"], f["pH"])
            + "EQUILIBRIUM_PHASES 1\n    O2(g) -0.68 10\n    CO2(g) -3.0 10\n"
            "    Fe(OH)3(a) 0 0\nEND\n"
        )
        out = get_engine("phreeqc").run(text)
        do_air = float(out[out["sim"] == 1]["DO_mg_L"].iloc[-1])
        assert 8.5 < do_air < 10.5
        aerated = e["values"][t - 1]
        assert aerated == pytest.approx(do_air, rel=2e-4), (aerated, do_air)
        # the filters carry DO unchanged; the scavenger leaves 0.5 % of it
        assert paths[("deaerated", t)]["product"]["DO"] == pytest.approx(0.005 * aerated, rel=1e-9)
        assert paths[("deaerated", t)]["product"]["DO"] <= 0.5

    # the summary an engineer reads names the rejected train, DO and the fix
    text = summary_text(res)
    assert "Deep well: not the product of aerated (Station): DO up to 9.63 mg/L > 0.5 mg/L" in text
    assert "oxygen_scavenger" in text
    assert not result_tables(res)["exclusions"].empty


def test_without_the_do_limit_the_cheaper_aerated_train_would_be_reinjected():
    """The rejection is the DO rule's doing: with a DO limit the aerated water meets (no standard,
    DO_max = 20 mg/L), the cheaper aerated train is reinjected and nothing is excluded."""

    def loose(d):
        dest = d["destinations"][0]
        dest.pop("standard")
        dest.pop("class")
        dest["DO_max"] = 20.0
        dest["formation"]["scale_max_mg_L"] = 5.0

    case = _load("case.toml", loose)
    assert case.destinations[0].limits_mg_L == {"DO": 20.0}
    assert case.destinations[0].limit_status == {"DO": "case"}
    res = optimise(case, **QUIET)
    well = [f for f in res["flows"] if f["destination"] == "Deep well"]
    assert well and {f["train"] for f in well} == {"aerated"}
    assert not [e for e in res["exclusions"] if e["destination"] == "Deep well"]


def test_reinjection_gets_a_flagged_do_limit_when_neither_standard_nor_case_sets_one(blend):
    case, res = blend
    well = case.destinations[0]
    assert well.limits_mg_L["DO"] == 0.05
    assert well.limit_status["DO"] == "U"
    assert "project target" in well.limit_sources["DO"] and "§10" in well.limit_sources["DO"]
    assert well.per_stream == ("DO",)
    listed = [u for u in res["unverified_limits"] if u["destination"] == "Deep well"]
    assert [(u["constituent"], u["status"]) for u in listed] == [("DO", "U")]


def test_unverified_limits_of_the_destinations_used_are_listed(oxic):
    _, res = oxic
    listed = {(u["destination"], u["constituent"]): u for u in res["unverified_limits"]}
    # SY/T 5329 class 0.05-0.5: TSS (Table 1, U), Fe (auxiliary, S), DO (auxiliary, U)
    assert {k: v["status"] for k, v in listed.items()} == {
        ("Deep well", "TSS"): "U",
        ("Deep well", "Fe"): "S",
        ("Deep well", "DO"): "U",
    }
    assert all(f"status {u['status']}" in u["source"] for u in listed.values())
    # the outfall (no limits) and the haulage (residuals) are used but have nothing unverified
    text = summary_text(res)
    assert "unverified limits (status not V)" in text
    assert (
        "Deep well: TSS 5 mg/L (status U), Fe 0.5 mg/L (status S), DO 0.5 mg/L (status U)" in text
    )
    rec = [d for d in res["destinations"] if d["name"] == "Deep well"][0]
    assert rec["limit_status"]["Fe"] == "S" and rec["per_stream_limits"] == ["DO"]


def test_case_errors_name_table_field_and_allowed_values():
    def do_on_reuse(d):
        d["destinations"][1]["DO_max"] = 1.0

    with pytest.raises(InputError, match=r"destinations\[2\] 'Outfall'\].*'DO_max'.*reinjection"):
        _load("case.toml", do_on_reuse)

    def bad_key(d):
        d["destinations"][0]["per_stream_limits"] = ["F"]

    with pytest.raises(InputError, match=r"'per_stream_limits'.*allowed: TSS, Fe, DO"):
        _load("case.toml", bad_key)

    def bad_water(d):
        d["destinations"][0]["formation"]["water"] = "NO-SUCH"

    with pytest.raises(InputError, match=r"formation\] field 'water'.*sample_id.*e\.g\. A-1"):
        _load("case.toml", bad_water)

    def bad_temp(d):
        d["destinations"][0]["formation"]["temperature_C"] = 40

    with pytest.raises(InputError, match=r"'temperature_C'.*differs from the destination's"):
        _load("case.toml", bad_temp)

    def no_threshold(d):
        d["destinations"][0].pop("scale_max_mg_L", None)
        d["destinations"][0]["formation"].pop("scale_max_mg_L")

    with pytest.raises(InputError, match=r"'scale_max_mg_L'.*no TSS limit"):
        _load("blend.toml", no_threshold)

    def formation_on_discharge(d):
        d["destinations"][1]["formation"] = {"name": "x", "water": "A-1", "pressure_bar": 10}

    with pytest.raises(InputError, match=r"'formation'.*reinjection destinations only"):
        _load("blend.toml", formation_on_discharge)

    def bad_inline(d):
        d["destinations"][0]["formation"]["water"]["DO"] = 0.1

    with pytest.raises(InputError, match=r"'water\.DO'.*unknown constituent"):
        _load("blend.toml", bad_inline)


# -- formation compatibility ----------------------------------------------------------------------
def _proposal(injectate: dict, case, dest_index: int = 0) -> dict:
    """A review proposal of the same injectate into the destination's formation (k = 0.3 um2:
    SY/T 5329 class 0.05-0.5, whose TSS limit of 5 mg/L is the review's scale threshold)."""
    f = case.destinations[dest_index].formation
    return {
        "standard": "SYT5329",
        "injectate": dict(injectate),
        "formation": {
            "name": "test",
            "lithology": "sandstone",
            "depth_m": 900,
            "temperature_C": f.temperature_C,
            "pressure_bar": f.pressure_bar,
            "permeability_um2": 0.3,
            "water": dict(f.water),
        },
        "operation": {"volume_m3_d": 100},
        "protected_aquifers": [{"name": "shallow", "bottom_depth_m": 100}],
    }


def test_a_stream_that_scales_barite_with_the_formation_is_excluded_as_the_review_fails_it(
    formation,
):
    case, res = formation
    assert res["status"] == "optimal"
    to = {(f["source"], f["destination"]) for f in res["flows"]}
    assert to == {("H", "Outfall"), ("L", "Deep well")}
    exc = [e for e in res["exclusions"] if e["kind"] == "formation"]
    assert len(exc) == 1
    e = exc[0]
    assert (e["destination"], e["site"], e["train"], e["stream"]) == (
        "Deep well",
        "H",
        "direct",
        "product",
    )
    mx = e["mixing"]
    assert max(mx["minerals_excess_mg_L"], key=mx["minerals_excess_mg_L"].get) == "Barite"
    assert e["value"] > e["limit"] == 5.0 and e["status"] == "U"
    assert "antiscalant for barite" in e["message"] and "brackish_ro" in e["fix"]

    # the review on the same injectate and formation: the same verdict from the same numbers
    rv = review(parse_proposal(_proposal(mx["injectate"], case)))
    assert rv.verdict == "fail"
    assert "SCALE_EXCEEDS_TSS" in [f.code for f in rv.findings]
    mix = rv.mixing
    j = int(mix["excess_scale_mg_L"].idxmax())
    assert float(mix.loc[j, "excess_scale_mg_L"]) == pytest.approx(e["value"], abs=1e-6)
    assert float(mix.loc[j, "fraction_injectate"]) == pytest.approx(mx["fraction_injectate"])
    f = mx["fraction_injectate"]
    col = mix["scale_Barite_mg_L"]
    barite = float(col.loc[j]) - ((1 - f) * col.iloc[0] + f * col.iloc[-1])
    assert barite == pytest.approx(mx["minerals_excess_mg_L"]["Barite"], abs=1e-6)

    # L's water passes, in the review too, with the numbers of the optimiser's blend check
    chk = res["formation_checks"]
    assert len(chk) == 1 and chk[0]["violation"] is None
    rv_l = review(parse_proposal(_proposal(chk[0]["injectate"], case)))
    assert "SCALE_EXCEEDS_TSS" not in [f.code for f in rv_l.findings]
    assert float(rv_l.mixing["excess_scale_mg_L"].max()) == pytest.approx(
        chk[0]["excess_scale_mg_L"], abs=1e-6
    )
    assert chk[0]["excess_scale_mg_L"] <= 5.0


def test_a_blend_that_fails_with_the_formation_is_cut_and_resolved(blend):
    """A (Ca, no carbonate) and B (bicarbonate at pH 6.6) each pass the screen; together, mixed
    with the alkaline formation water, they deposit calcite.  The first plan reinjects both; the
    check of the delivered blend adds a cut; the re-solved plan sends part of A to the outfall and
    its blend passes -- confirmed by the review on the blend's water."""
    case, res = blend
    assert res["status"] == "optimal"
    assert not [e for e in res["exclusions"] if e["kind"] == "formation"]  # both passed alone
    cut = [c for c in res["cuts"] if c["property"] == "formation_scale"]
    assert cut and cut[0]["destination"] == "Deep well" and cut[0]["value"] > 5.0
    assert res["iterations"][0]["formation_cuts"] == 1 and len(res["iterations"]) >= 2
    assert res["iterations"][-1]["cuts_added"] == 0
    # the first plan sent all of both (100 + 100 m3/d): the cut's value is that 50/50 blend's
    # scale; recomputed here with the review from the hand-mixed water
    waters = {
        s: {
            "Na": na,
            "K": 2,
            "Ca": ca,
            "Mg": mg,
            "Sr": 0.1,
            "Ba": 0.01,
            "Cl": cl,
            "SO4": 0.0,
            "HCO3": hco3,
            "CO3": 0.0,
            "F": 0.2,
        }
        for s, na, ca, mg, cl, hco3 in (("A", 100, 40, 10, 255, 1), ("B", 600, 2, 1, 50, 1500))
    }
    ph = {"A": 7.0, "B": 6.6}

    def mix_ph(fa: float) -> float:
        text = (
            "SELECTED_OUTPUT 1\n    -reset false\n    -simulation true\n    -pH true\n"
            + _solution(1, waters["A"], 20, ph["A"])
            + _solution(2, waters["B"], 20, ph["B"])
            + f"END\nMIX 1\n    1 {fa}\n    2 {1 - fa}\nREACTION_TEMPERATURE 1\n    20\nEND\n"
        )
        out = get_engine("phreeqc").run(text)
        return float(out[out["sim"] == 2]["pH"].iloc[-1])

    def water(fa: float) -> dict:
        w = {k: fa * waters["A"][k] + (1 - fa) * waters["B"][k] for k in waters["A"]}
        w.update(pH=mix_ph(fa), temp_C=20.0)
        return w

    first = review(parse_proposal(_proposal(water(0.5), case)))
    assert float(first.mixing["excess_scale_mg_L"].max()) == pytest.approx(
        cut[0]["value"], rel=1e-3
    )
    assert "SCALE_EXCEEDS_TSS" in [f.code for f in first.findings]
    # the final blend: flows by hand, its water by hand, the review's verdict
    flows = {(f["source"], f["destination"]): f["delivered_m3_d"] for f in res["flows"]}
    qa, qb = flows.get(("A", "Deep well"), 0.0), flows.get(("B", "Deep well"), 0.0)
    assert qa + flows.get(("A", "Outfall"), 0.0) == pytest.approx(100.0)
    assert 0 < qa < 100 and qb > 0
    fa = qa / (qa + qb)
    chk = [c for c in res["formation_checks"] if c["destination"] == "Deep well"][0]
    inj = chk["injectate"]
    assert inj["Na"] == pytest.approx(fa * 100 + (1 - fa) * 600, rel=1e-9)
    assert inj["Ca"] == pytest.approx(fa * 40 + (1 - fa) * 2, rel=1e-9)
    assert inj["pH"] == pytest.approx(mix_ph(fa), abs=2e-4)
    final = review(parse_proposal(_proposal(water(fa), case)))
    assert "SCALE_EXCEEDS_TSS" not in [f.code for f in final.findings]
    assert float(final.mixing["excess_scale_mg_L"].max()) == pytest.approx(
        chk["excess_scale_mg_L"], rel=1e-3
    )
    assert chk["excess_scale_mg_L"] <= 5.0 + 0.02 and chk["violation"] is None
    assert all(not d["violations"] for d in res["destinations"])
    assert res["verification"]["ok"]


def test_mixing_batch_equals_the_review_input_run_alone():
    """The optimiser's batched mixing (many injectates in one PHREEQC input, chunks on threads)
    gives, for each injectate, the numbers of the review's single-injectate calculation."""
    from cbmwater.reinjection.review import (
        mixing_curves,
        mixing_input,
        mixing_input_many,
        run_mixing,
    )

    fw = {
        "temp_C": 20.7,
        "pH": 8.42,
        "Na": 1228,
        "K": 2.09,
        "Ca": 9.58,
        "Mg": 3.29,
        "Fe": 1.86,
        "Sr": 0.57,
        "Ba": 1.7,
        "Cl": 439,
        "SO4": 6.8,
        "HCO3": 2588,
        "CO3": 31,
    }
    base = {
        "temp_C": 20.0,
        "pH": 7.6,
        "Na": 420,
        "K": 2.0,
        "Ca": 18,
        "Mg": 6.0,
        "Fe": 0.1,
        "Sr": 0.3,
        "Ba": 0.02,
        "Cl": 180,
        "SO4": 320,
        "HCO3": 620,
    }
    injs = [dict(base, SO4=s, Na=420 + s / 3) for s in (5.0, 80.0, 160.0, 320.0, 640.0)]
    fr = [i / 10 for i in range(11)]
    kw = dict(temperature_C=35.0, pressure_bar=80.0, fractions=fr)
    many = mixing_curves(injs, fw, chunk=2, **kw)
    assert mixing_input(injs[0], fw, **kw) == mixing_input_many([injs[0]], fw, **kw)
    for w, m in zip(injs, many):
        alone = run_mixing(mixing_input(w, fw, **kw), fr)
        cols = ["pH"] + [f"si_{x}" for x in SCALE_MINERALS] + ["scale_mg_L", "excess_scale_mg_L"]
        assert (m[cols] - alone[cols]).abs().max().max() < 1e-9


def test_no_plan_names_the_oxic_state_and_the_unit_that_fixes_it():
    """Only the aerated train and no outfall: the station's water has nowhere to go.  The
    explanation names the reinjection well, DO, the aerated value against 0.5 mg/L and the
    oxygen scavenger."""

    def only_aerated(d):
        d["trains"] = [t for t in d["trains"] if t["name"] == "aerated"]
        d["destinations"] = [x for x in d["destinations"] if x["name"] != "Outfall"]

    res = optimise(_load("case.toml", only_aerated), **QUIET)
    assert res["status"] == "infeasible"
    items = [i for i in res["infeasibility"]["items"] if i["kind"] == "unallocated"]
    assert {i["period"] for i in items} == {1, 2}
    why = items[0]["blocked_by"][0]
    assert why["destination"] == "Deep well" and why["constituent"] == "DO"
    assert why["limit_mg_L"] == 0.5 and 8.5 < why["best_mg_L"] < 10.5
    assert "oxygen_scavenger" in why["fix"] and "oxygen_scavenger" in why["message"]
    assert any("DO" in s and "oxygen_scavenger" in s for s in res["infeasibility"]["summary"])
    # the exclusion itself is in the results too, with no alternative in this case
    e = [x for x in res["exclusions"] if x["destination"] == "Deep well"][0]
    assert "no other candidate train at Station" in e["fix"]


def test_a_stream_whose_mixing_phreeqc_cannot_compute_is_never_a_pass(monkeypatch):
    """Should PHREEQC fail on a stream's mixing, that stream alone is excluded (not shown
    compatible) and the others are still judged: the batch is retried one water at a time."""
    import cbmwater.optimize.injectate as inj
    from cbmwater.errors import GeochemError

    real = inj.mixing_curves

    def failing(waters, *a, **k):
        if any(w.get("SO4", 0) > 100 for w in waters):
            raise GeochemError("PHREEQC reported 1 error(s): C has not converged (test)")
        return real(waters, *a, **k)

    monkeypatch.setattr(inj, "mixing_curves", failing)
    res = optimise(load_case(DATA / "formation.toml"), **QUIET)
    assert {(f["source"], f["destination"]) for f in res["flows"]} == {
        ("H", "Outfall"),
        ("L", "Deep well"),
    }
    e = [x for x in res["exclusions"] if x["kind"] == "formation"][0]
    assert e["site"] == "H" and e["value"] is None
    assert "could not compute" in e["message"] and "not converged" in e["message"]
