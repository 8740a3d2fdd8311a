"""Mine-water errors carry message codes (issue 14): neutralisation, acidity, the AMDTreat
defaults file, active and passive sizing.

Oracles: the English of each error is written out here as the engine wrote it before it had
codes (the output of the uncoded code, byte for byte: old tests and users depend on it); the
Chinese rendering (``err.render("zh")``, what the faces show) is checked with
tests/english_words.py.  Every run is real (AMDTreat sizing, PHREEQC titrations, real TOML
files on disk).  An AST scan checks that no raise in ``cbmwater/minewater`` is left with an
English literal.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from english_words import english_words

from cbmwater.errors import CbmwaterError, DatabaseError, GeochemError, InputError, UnitError
from cbmwater.i18n import Text
from cbmwater.minewater.acidity import acidity_table, calculated_acidity, iron_split
from cbmwater.minewater.active import caustic_demand
from cbmwater.minewater.neutralise import neutralise, sludge_density_kg_L, titration_curve
from cbmwater.minewater.options import Money, load_amdtreat
from cbmwater.minewater.sizing import size

ROOT = Path(__file__).resolve().parents[1]
MINEWATER = ROOT / "cbmwater" / "minewater"
#: project error classes (cbmwater/errors.py) and the minewater helpers that build them
ERRORS = {
    "InputError",
    "UnitError",
    "CbmwaterError",
    "DatabaseError",
    "LocatedDatabaseError",
    "GeochemError",
    "ResourceLimitError",
    "system_error",
}
#: names a Chinese error may carry as they are: the method's software, the user's own values
ALLOWED = ["AMDTreat", "NaN"]

ACID = {"pH": 3.0, "Fe": 50.0, "Al": 10.0, "Mn": 2.0, "SO4": 900.0, "Ca": 100.0, "Na": 20.0}
ALKALINE = {"pH": 8.2, "Ca": 60.0, "Na": 20.0, "SO4": 100.0, "alkalinity_CaCO3": 150.0}
#: degassing raises its pH from 8.2 to 8.64: a target between is already met
SODIC = {"pH": 8.2, "Na": 80.0, "SO4": 50.0, "alkalinity_CaCO3": 150.0}


def _is_text_literal(node: ast.expr) -> bool:
    """A plain or f-string literal, or ``"..." + ...`` (an English sentence, not a message)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and _is_text_literal(node.left)


def _raised_errors(path: Path) -> list[tuple[str, ast.Call]]:
    """(name, call) of every ``raise Name(...)`` of a project error or an error helper."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            f = node.exc.func
            name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
            if name in ERRORS:
                calls.append((name, node.exc))
    return calls


def _coded(name: str, call: ast.Call) -> bool:
    """A raise with a message: a non-literal first argument or ``msg=``; ``system_error``
    (passive/common.py) always builds its message from a code."""
    if name == "system_error" or any(k.arg == "msg" for k in call.keywords):
        return True
    return not (call.args and _is_text_literal(call.args[0]))


def test_no_minewater_error_is_an_english_literal():
    """Every raise of a project error in cbmwater/minewater has a coded first argument (a
    Text) or ``msg=``: a literal sentence would be English in every language."""
    found, bad = 0, []
    for path in sorted(MINEWATER.rglob("*.py")):
        for name, call in _raised_errors(path):
            found += 1
            if not _coded(name, call):
                bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found > 60  # the scan sees the raises (an empty scan proves nothing)
    assert not bad, bad


def test_the_scan_sees_a_literal(tmp_path):
    p = tmp_path / "x.py"
    p.write_text(
        'def f(x):\n    raise InputError(f"bad {x}", column="c")\n'
        '    raise DatabaseError("bad" + x)\n'
        '    raise InputError(Text.of("a.b"), column="c")\n'
        "    raise InputError(str(m), msg=m)\n"
        '    raise system_error("ALD", "code", column="c")\n',
        encoding="utf-8",
    )
    calls = _raised_errors(p)
    assert [_coded(n, c) for n, c in calls] == [False, False, True, True, True]


# ------------------------------------------------------------------ errors triggered for real


def _amdtreat_file(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "amdtreat.toml"
    p.write_text(body, encoding="utf-8")
    return p


META = '[meta]\nprice_year_usd = 2018\nsource = "test file for the loader"\n'
ENTRY = '[ald.limestone_depth]\nvalue = 1.0\nunit = "m"\nstatus = "V-code"\nsource = "{src}"\n'


def _biomix_over_100() -> Any:
    d = load_amdtreat()
    values = {k: dict(v) for k, v in d.values.items()}
    values["bioreactor"]["fines_fraction"] = 0.9
    return dataclasses.replace(d, values=values)


#: (id, error class, the call, the English text of the uncoded code)
CASES: list[tuple[str, type, Callable[[Path], object], str]] = [
    # ---- neutralise.py
    (
        "solids_fraction_range",
        InputError,
        lambda _: sludge_density_kg_L(2.5, 1.5),
        "solids fraction must be between 0 and 1 (exclusive); got 1.5",
    ),
    (
        "sg_positive",
        InputError,
        lambda _: sludge_density_kg_L(0.0, 0.3),
        "specific gravity must be > 0; got 0.0",
    ),
    (
        "unknown_reagent_hint",
        InputError,
        lambda _: neutralise(ACID, "naoh", 8.0),
        (
            "column 'reagent', value 'naoh': unknown reagent 'naoh'; allowed: NaOH, "
            "Ca(OH)2, CaO, CaCO3, Na2CO3 (did you mean NaOH?)"
        ),
    ),
    (
        "unknown_reagent",
        InputError,
        lambda _: neutralise(ACID, "lime", 8.0),
        (
            "column 'reagent', value 'lime': unknown reagent 'lime'; allowed: NaOH, "
            "Ca(OH)2, CaO, CaCO3, Na2CO3"
        ),
    ),
    (
        "not_mapping",
        InputError,
        lambda _: neutralise([1, 2], "NaOH", 8.0),
        "the sample must be a mapping of canonical names to numbers",
    ),
    (
        "unknown_constituent",
        InputError,
        lambda _: neutralise({"pH": 3, "Zz": 1}, "NaOH", 8),
        (
            "column 'Zz': unknown constituent 'Zz'; allowed: temp_C, pH, Na, K, Ca, Mg, Fe, "
            "Fe2, Fe3, Mn, Al, Sr, Ba, Li, NH4_N, Cl, SO4, HCO3, CO3, alkalinity_CaCO3, F, "
            "Br, NO3_N, SiO2, B, TDS, COD, TSS, DO, ORP_mV"
        ),
    ),
    (
        "not_a_number",
        InputError,
        lambda _: neutralise({"pH": 3, "Fe": "lots"}, "NaOH", 8),
        "column 'Fe', value 'lots': expected a number",
    ),
    (
        "negative",
        InputError,
        lambda _: neutralise({"pH": 3, "Fe": -1}, "NaOH", 8),
        "column 'Fe', value '-1': must be a finite number >= 0",
    ),
    (
        "ph_required",
        InputError,
        lambda _: neutralise({"Fe2": 10.0}, "NaOH", 8.0),
        "column 'pH': pH is required for the titration",
    ),
    (
        "ph_range",
        InputError,
        lambda _: neutralise({"pH": 15}, "NaOH", 8.0),
        "column 'pH', value '15.0': pH must be between 0 and 14",
    ),
    (
        "unknown_precipitates",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, precipitates=["Fe(OH)3(a)", "Jarosite"]),
        (
            "column 'precipitates': unknown precipitate(s) 'Jarosite'; allowed: Fe(OH)3(a), "
            "Al(OH)3(a), Gibbsite, Pyrochroite, Rhodochrosite, Manganite, Gypsum, Calcite, "
            "Siderite, Brucite"
        ),
    ),
    (
        "unknown_co2",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, co2="half"),
        ("column 'co2', value 'half': unknown CO2 option 'half'; allowed: closed, degassed, open"),
    ),
    (
        "fe_oxidised_range",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, fe_oxidised_fraction=1.5),
        (
            "column 'fe_oxidised_fraction', value '1.5': fe_oxidised_fraction must be "
            "between 0 and 1; got 1.5"
        ),
    ),
    (
        "log_pco2_range",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, log_pco2=-9),
        ("column 'log_pco2', value '-9': log pCO2 must be between -8 and 0 (atm); got -9.0"),
    ),
    (
        "target_not_number",
        InputError,
        lambda _: neutralise(ACID, "NaOH", "eight"),
        "column 'target_pH', value 'eight': target pH must be a number",
    ),
    (
        "target_range",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 14.0),
        "column 'target_pH', value '14.0': target pH must be between 3 and 12.5",
    ),
    (
        "flow",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, flow_m3_d=-1.0),
        "column 'flow_m3_d', value '-1.0': flow must be a finite number >= 0 m3/d",
    ),
    (
        "solids_fraction_of",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, solids_fraction={"HDS": 1.2}),
        (
            "column 'solids_fraction', value '1.2': solids fraction of HDS must be between "
            "0 and 1 (exclusive)"
        ),
    ),
    (
        "max_dose",
        InputError,
        lambda _: titration_curve(ACID, "NaOH", 0.0),
        ("column 'max_dose_mmol_L', value '0.0': maximum dose must be > 0 and <= 2000 mmol/L"),
    ),
    (
        "points",
        InputError,
        lambda _: titration_curve(ACID, "NaOH", 5.0, points=1),
        "column 'points', value '1': points must be between 2 and 500",
    ),
    (
        "already_met_choice",
        InputError,
        lambda _: neutralise(ACID, "NaOH", 8.0, already_met="maybe"),
        "column 'already_met', value 'maybe': already_met must be 'error' or 'zero'",
    ),
    (
        "cannot_speciate",
        InputError,
        lambda _: neutralise(
            {"pH": 7.0, "Al": 200.0, "SO4": 1000.0, "alkalinity_CaCO3": 20.0}, "NaOH", 8
        ),
        (
            "column 'alkalinity_CaCO3': PHREEQC cannot speciate this analysis at pH 7: the "
            "hydroxide complexes of its dissolved metals (Al, Fe, Mn) alone carry more "
            "alkalinity than the measured total alkalinity.  Check pH, alkalinity, Al and "
            "Fe (e.g. tens of mg/L of Al or Fe(III) cannot stay dissolved at circumneutral "
            "pH)"
        ),
    ),
    (
        "target_below_sample",
        InputError,
        lambda _: neutralise(ALKALINE, "NaOH", 7.5),
        (
            "column 'target_pH', value '7.5': the sample is at pH 8.2 (7.53 after "
            "aeration/degassing), above the target pH 7.5: lowering pH needs an acid, not "
            "an alkali such as NaOH"
        ),
    ),
    (
        "target_met",
        InputError,
        lambda _: neutralise(SODIC, "NaOH", 8.3, co2="degassed"),
        (
            "column 'target_pH', value '8.3': the water is already at pH 8.64 (measured "
            "8.2), at or above the target pH 8.3: the target is met, no reagent is needed"
        ),
    ),
    # ---- acidity.py
    (
        "acidity_nan",
        InputError,
        lambda _: calculated_acidity(math.nan, 0, 0, 0, 0),
        ("calculated acidity needs numbers for pH, Fe(II), Fe(III), Al and Mn (NaN given)"),
    ),
    (
        "fe_policy",
        InputError,
        lambda _: iron_split({"Fe": 5.0}, "mixed"),
        "unknown Fe(II)/Fe(III) policy 'mixed'; allowed: ferrous, ferric",
    ),
    (
        "alk_policy",
        InputError,
        lambda _: acidity_table(
            pd.DataFrame([{"sample_id": "A", "pH": 3}]), missing_alkalinity="x"
        ),
        "unknown missing-alkalinity policy 'x'; allowed: error, zero",
    ),
    (
        "duplicates",
        InputError,
        lambda _: acidity_table(pd.DataFrame({"sample_id": ["A", "B", "A"], "pH": [3, 3, 3]})),
        "duplicate sample_id(s): A",
    ),
    (
        "flow_not_number",
        InputError,
        lambda _: acidity_table(
            pd.DataFrame([{"sample_id": "A", "pH": 3}]), flows_m3_d={"A": "much"}, source="a.csv"
        ),
        "file a.csv, column 'flow_m3_d', value 'much': flow must be a number of m3/d",
    ),
    (
        "flow_negative",
        InputError,
        lambda _: acidity_table(pd.DataFrame([{"sample_id": "A", "pH": 3}]), flows_m3_d={"A": -2}),
        "column 'flow_m3_d', value '-2': flow must be a finite number >= 0 m3/d",
    ),
    (
        "flow_unknown_samples",
        InputError,
        lambda _: acidity_table(
            pd.DataFrame({"sample_id": ["A", "B"], "pH": [3, 3]}), flows_m3_d={"C": 1, "D": 2}
        ),
        "flow given for unknown sample(s) C, D; known: A, B",
    ),
    (
        "sample_ph_required",
        InputError,
        lambda _: acidity_table(pd.DataFrame({"sample_id": ["A"], "pH": [None]}), source="a.csv"),
        "file a.csv, column 'pH': sample A: pH is required for the calculated acidity",
    ),
    (
        "sample_ph_range",
        InputError,
        lambda _: acidity_table(pd.DataFrame({"sample_id": ["A"], "pH": [-1.0]})),
        "column 'pH', value '-1.0': sample A: pH must be between 0 and 14",
    ),
    (
        "sample_negative",
        InputError,
        lambda _: acidity_table(pd.DataFrame({"sample_id": ["A"], "pH": [3.0], "Fe2": [-4.0]})),
        "column 'Fe2', value '-4.0': sample A: Fe2 must be >= 0 mg/L",
    ),
    (
        "no_alkalinity",
        InputError,
        lambda _: acidity_table(pd.DataFrame({"sample_id": ["A", "C"], "pH": [6.5, 7.0]})),
        (
            "column 'alkalinity_CaCO3': no alkalinity (alkalinity_CaCO3, HCO3 or CO3) "
            "measured for sample(s) A, C at pH >= 4.5: net acidity needs it. Add the "
            "measurement, or choose missing_alkalinity='zero' to take 0 (net acidity is "
            "then an upper bound)"
        ),
    ),
    # ---- options.py: the AMDTreat defaults file and economics.toml
    (
        "amdtreat_not_found",
        DatabaseError,
        lambda p: load_amdtreat(p / "none.toml"),
        "AMDTreat defaults file not found: <tmp>/none.toml",
    ),
    (
        "amdtreat_unreadable",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, "[meta\n")),
        (
            "<tmp>/amdtreat.toml: cannot read: Expected ']' at the end of a table "
            "declaration (at line 1, column 6)"
        ),
    ),
    (
        "amdtreat_meta",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, "x = 1\n")),
        "<tmp>/amdtreat.toml: [meta] needs price_year_usd and source",
    ),
    (
        "amdtreat_top_not_table",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, "x = 1\n" + META)),
        "<tmp>/amdtreat.toml: top-level key 'x' must be a table",
    ),
    (
        "amdtreat_not_table",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, META + "[ald]\nlimestone_depth = 1.0\n")),
        (
            "<tmp>/amdtreat.toml: [ald.limestone_depth] must be a table with value, unit, "
            "source, status"
        ),
    ),
    (
        "amdtreat_lacks",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, META + "[ald.limestone_depth]\nvalue = 1.0\n")),
        "<tmp>/amdtreat.toml: [ald.limestone_depth] lacks 'unit'",
    ),
    (
        "amdtreat_value",
        DatabaseError,
        lambda p: load_amdtreat(
            _amdtreat_file(p, META + ENTRY.format(src="AMDTreat ALD XML").replace("1.0", '"one"'))
        ),
        ("<tmp>/amdtreat.toml: [ald.limestone_depth]: value must be a finite number; got 'one'"),
    ),
    (
        "amdtreat_status",
        DatabaseError,
        lambda p: load_amdtreat(
            _amdtreat_file(p, META + ENTRY.format(src="AMDTreat ALD XML").replace("V-code", "?"))
        ),
        (
            "<tmp>/amdtreat.toml: [ald.limestone_depth]: status must be one of V-code, S, "
            "M, U, NF, derived; got '?'"
        ),
    ),
    (
        "amdtreat_source",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, META + ENTRY.format(src="AMDTreat"))),
        (
            "<tmp>/amdtreat.toml: [ald.limestone_depth]: source must name where the number "
            "comes from"
        ),
    ),
    (
        "amdtreat_us_lacks",
        DatabaseError,
        lambda p: load_amdtreat(
            _amdtreat_file(p, META + ENTRY.format(src="AMDTreat ALD XML") + "us_value = 3.28\n")
        ),
        "<tmp>/amdtreat.toml: [ald.limestone_depth] has us_value but lacks 'us_unit'",
    ),
    (
        "amdtreat_us_mismatch",
        DatabaseError,
        lambda p: load_amdtreat(
            _amdtreat_file(
                p,
                META
                + ENTRY.format(src="AMDTreat ALD XML")
                + 'us_value = 4.0\nus_unit = "ft"\nfactor = 0.3048\nconversion = "x 0.3048"\n',
            )
        ),
        ("<tmp>/amdtreat.toml: [ald.limestone_depth]: value 1.0 != us_value x factor = 1.2192"),
    ),
    (
        "amdtreat_no_default",
        DatabaseError,
        lambda p: load_amdtreat(_amdtreat_file(p, META + ENTRY.format(src="AMDTreat ALD XML")))(
            "vfp", "limestone_depth"
        ),
        "<tmp>/amdtreat.toml: no default [vfp.limestone_depth]",
    ),
    (
        "no_chemical",
        DatabaseError,
        lambda _: Money().chemical_CNY_per_kg_active("unobtainium"),
        (
            "economics.toml has no chemical 'unobtainium'; known: activated_alumina_media, "
            "antiscalant, calcite_media, caustic_soda, hydrochloric_acid, lime, pac, pam, "
            "potassium_permanganate, quicklime, soda_ash, sodium_bisulfite, "
            "sodium_chloride, sodium_hypochlorite, sulfuric_acid"
        ),
    ),
    # ---- active.py
    (
        "solution_pct",
        InputError,
        lambda _: caustic_demand(100.0, 50.0, solution_pct=30),
        ("column 'solution_pct', value '30': solution_pct must be one of 20, 25, 32, 50; got 30"),
    ),
    (
        "dose_or_acidity",
        InputError,
        lambda _: size("hydrated_lime", 100.0, net_acidity=-5.0),
        (
            "column 'net_acidity_mg_L', value '-5.0': hydrated_lime: give dose_mg_L (mg/L "
            "of Ca(OH)2) or a positive net_acidity_mg_L (mg/L as CaCO3)"
        ),
    ),
    # ---- passive/*.py
    (
        "volume_too_small",
        InputError,
        lambda _: size("limestone_bed", 0.05, net_acidity=100.0, limestone_depth_m=5.0),
        (
            "column 'flow_m3_d': limestone bed: a volume of 0.07752 m3 is too small for a "
            "layer 5 m deep with side slope 2:1 (AMDTreat 'major error': bottom <= 0); "
            "reduce the depth or the side slope, or raise the flow or retention time"
        ),
    ),
    (
        "area_too_small",
        InputError,
        lambda _: size("wetland", 0.05, fe_mg_L=1.0, mn_mg_L=1.0),
        (
            "column 'flow_m3_d': aerobic wetland: a top area of 0.105 m2 is too small for a "
            "layer 0.61 m deep with side slope 2:1 (AMDTreat 'major error': bottom <= 0); "
            "reduce the depth"
        ),
    ),
    (
        "no_bottom_aggregate",
        InputError,
        lambda _: size("bioreactor", 5.0, net_acidity=100.0, aggregate_depth_m=9.0),
        (
            "column 'aggregate_depth_m': bioreactor: the drainage aggregate (9 m) leaves no "
            "pond bottom under a bio-mix bottom of 8.77 x 4.39 m; reduce aggregate_depth_m"
        ),
    ),
    (
        "no_bottom_sludge",
        InputError,
        lambda _: size("settling_pond", 5.0, retention_h=16.0),
        (
            "column 'retention_h': settling pond: the 0.91 m sludge layer leaves no pond "
            "bottom under a settling layer of 1.06 x 0.53 m; raise retention_h or the flow"
        ),
    ),
    (
        "alkgen_needs_acidity",
        InputError,
        lambda _: size("bioreactor", 100.0, method="alkalinity_generation"),
        (
            "column 'net_acidity_mg_L': bioreactor: method 'alkalinity_generation' needs "
            "net_acidity_mg_L > 0 (mg/L as CaCO3); got None"
        ),
    ),
    (
        "biomix_fractions",
        InputError,
        lambda _: size("bioreactor", 100.0, net_acidity=100.0, defaults=_biomix_over_100()),
        (
            "column 'biomix': bioreactor: bio-mix fractions exceed 100 % (AMDTreat: wood "
            "chips must be >= 0 %)"
        ),
    ),
    (
        "method_needs_acidity",
        InputError,
        lambda _: size("vfp", 100.0, method="alkalinity_generation"),
        (
            "column 'net_acidity_mg_L': VFP: method 'alkalinity_generation' needs "
            "net_acidity_mg_L (mg/L as CaCO3)"
        ),
    ),
    (
        "method_needs_net_acidic",
        InputError,
        lambda _: size("ald", 100.0, net_acidity=-20.0, method="bureau_of_mines"),
        (
            "column 'net_acidity_mg_L', value '-20.0': ALD: method 'bureau_of_mines' needs "
            "a net-acidic water (net_acidity_mg_L > 0); got -20.0. Net-alkaline water needs "
            "no alkalinity-producing system"
        ),
    ),
    (
        "mn_not_above_target",
        InputError,
        lambda _: size("mn_bed", 100.0, mn_mg_L=1.0, effluent_mn_mg_L=2.0),
        (
            "column 'mn_mg_L', value '1.0': Mn removal bed: mn_mg_L (1) must exceed "
            "effluent_mn_mg_L (2) for the kinetic sizing; no Mn removal is needed"
        ),
    ),
    (
        "kinetics_needs_mn",
        InputError,
        lambda _: size("mn_bed", 100.0),
        ("column 'mn_mg_L': Mn removal bed: method 'kinetics' needs mn_mg_L (influent Mn, mg/L)"),
    ),
    (
        "removal_rates_needs_one",
        InputError,
        lambda _: size("wetland", 100.0, fe_mg_L=5.0),
        (
            "column 'mn_mg_L': aerobic wetland: method 'removal_rates' needs mn_mg_L (mg/L; "
            "give 0 for a metal that is absent)"
        ),
    ),
    (
        "removal_rates_needs_both",
        InputError,
        lambda _: size("wetland", 100.0),
        (
            "column 'fe_mg_L': aerobic wetland: method 'removal_rates' needs fe_mg_L and "
            "mn_mg_L (mg/L; give 0 for a metal that is absent)"
        ),
    ),
    (
        "nothing_to_remove",
        InputError,
        lambda _: size("wetland", 100.0, fe_mg_L=0.0, mn_mg_L=0.0),
        ("column 'fe_mg_L': aerobic wetland: fe_mg_L and mn_mg_L are both 0; nothing to remove"),
    ),
]


#: per case: allowed values, fields of the AMDTreat file, library texts (shown as they are)
TOML_FIELDS = ["meta", "value", "unit", "source", "status", "factor", "derived", "V-code"]
EXTRA: dict[str, list[str]] = {
    **{c[0]: TOML_FIELDS for c in CASES if c[0].startswith("amdtreat_")},
    "unknown_co2": ["closed", "degassed", "open"],
    "fe_policy": ["ferrous", "ferric"],
    "alk_policy": ["error", "zero"],
    "amdtreat_unreadable": ["Expected ']' at the end of a table declaration (at line 1, column 6)"],
    "no_chemical": ["antiscalant", "lime", "pac", "pam", "quicklime"],
}


def _raise(call: Callable[[Path], object], tmp_path: Path) -> CbmwaterError:
    try:
        call(tmp_path)
    except CbmwaterError as exc:
        return exc
    raise AssertionError("no error")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_error_keeps_its_english_and_renders_in_chinese(case, tmp_path):
    name, cls, call, english = case
    err = _raise(call, tmp_path)
    assert type(err) is cls
    assert str(err).replace(str(tmp_path), "<tmp>") == english
    assert err.message is not None, name
    # the message is the error's own text (a located error adds where it is)
    assert err.message.render("en") == getattr(err, "detail", str(err))
    zh = err.render("zh")
    # typed values and names of fields as the error quotes them ('naoh', column 'reagent'), and
    # the allowed values, file fields and library texts of this case are shown as they are
    bare = zh
    for phrase in sorted(EXTRA.get(name, []), key=len, reverse=True):
        bare = bare.replace(phrase, " ")
    bare = re.sub(r"'[^']*'", " ", bare)
    assert english_words(bare, ALLOWED) == [], zh
    assert zh != str(err)


def test_a_sizing_error_in_a_plan_reason_keeps_its_english_and_code():
    """The plan turns a sizing error into a reason ("could not be sized: ...") with the error's
    message, so a 中文 plan names the problem in Chinese."""
    err = _raise(lambda _: size("wetland", 100.0, fe_mg_L=0.0, mn_mg_L=0.0), Path("."))
    reason = Text.of("minewater.plan.not_sized", error=err.full_message())
    assert reason == "could not be sized: " + str(err)
    assert reason == (
        "could not be sized: column 'fe_mg_L': aerobic wetland: fe_mg_L and mn_mg_L are both 0; "
        "nothing to remove"
    )
    zh = reason.message.render("zh")
    assert english_words(zh, ALLOWED) == [] and "好氧人工湿地" in zh


def test_error_classes_are_the_project_ones():
    # the sweep changed messages, not classes: a face still catches these as CbmwaterError
    assert issubclass(UnitError, InputError) and issubclass(GeochemError, CbmwaterError)
