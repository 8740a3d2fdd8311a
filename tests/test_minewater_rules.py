"""The Hedin/Skousen selection rules (issue 6): properties that must hold for every water."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cbmwater.minewater.rules import OPTIONS, admissible_options

conc = st.one_of(st.none(), st.floats(min_value=0, max_value=500, allow_nan=False))


def _ald(verdicts):
    return next(v for v in verdicts if v.option == "ald")


@settings(max_examples=300, deadline=None)
@given(
    do=conc,
    fe3=conc,
    al=conc,
    mn=conc,
    ph=st.floats(2, 9),
    net=st.floats(-500, 0),
    flow=st.floats(1, 5000),
)
def test_net_alkaline_water_never_gets_an_ald(do, fe3, al, mn, ph, net, flow):
    v = _ald(
        admissible_options(
            {"DO": do, "Fe3": fe3, "Al": al, "Mn": mn, "pH": ph}, net, flow_m3_d=flow
        )
    )
    assert not v.admissible
    assert any("net alkaline" in r for r in v.reasons)


@settings(max_examples=300, deadline=None)
@given(
    which=st.sampled_from(["DO", "Fe3", "Al"]),
    high=st.floats(1.0, 1000),
    low=st.floats(0, 0.99),
    net=st.floats(0.1, 2000),
    flow=st.floats(1, 100),
)
def test_do_fe3_or_al_at_or_above_1_mg_L_never_gets_an_ald(which, high, low, net, flow):
    water = {"DO": low, "Fe3": low, "Al": low, "pH": 4.0, which: high}
    v = _ald(admissible_options(water, net, flow_m3_d=flow))
    assert not v.admissible
    assert any(r.startswith({"DO": "DO", "Fe3": "Fe(III)", "Al": "Al"}[which]) for r in v.reasons)


def test_ald_admissible_for_net_acidic_anoxic_low_al_water_and_not_when_unmeasured():
    good = {"DO": 0.3, "Fe3": 0.2, "Al": 0.5, "pH": 5.8, "Fe": 30, "Mn": 3}
    assert _ald(admissible_options(good, 120.0, flow_m3_d=100)).admissible
    missing = dict(good)
    del missing["DO"]
    v = _ald(admissible_options(missing, 120.0, flow_m3_d=100))
    assert not v.admissible and any("DO not measured" in r for r in v.reasons)


def test_high_load_or_small_site_rules_out_passive_but_never_active():
    water = {"DO": 0.3, "Fe3": 0.2, "Al": 0.5, "pH": 5.8, "Fe": 30, "Mn": 3}
    # 500 mg/L x 1000 m3/d = 500 kg CaCO3/d > 150 kg/d
    vs = {v.option: v for v in admissible_options(water, 500.0, flow_m3_d=1000)}
    assert not vs["ald"].admissible and not vs["vfp"].admissible
    assert all(vs[o].admissible for o in ("caustic", "hydrated_lime", "quicklime", "lime_slurry"))
    vs = {
        v.option: v
        for v in admissible_options(
            water, 50.0, flow_m3_d=100, land_m2=500, passive_area_m2={"vfp": 2000, "ald": 300}
        )
    }
    assert not vs["vfp"].admissible and vs["ald"].admissible
    assert any("2,000 m2" in r for r in vs["vfp"].reasons)
    assert len(vs) == len(OPTIONS)
