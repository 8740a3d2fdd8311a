"""Errors of the treatment engine (cbmwater/treatment) and PHREEQC layer (cbmwater/geochem) carry
a message code and parameters: the English text is unchanged (written out here as it was before
the errors were coded) and the Chinese rendering has no English words beyond typed values,
names from the data and PHREEQC's own text (tests/english_words.py)."""

from __future__ import annotations

import ast
import dataclasses
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbmwater.errors import CbmwaterError, DatabaseError, GeochemError, InputError
from cbmwater.i18n import Message
from cbmwater.treatment.library import LIBRARY_DIR
from cbmwater.water.phases import REAGENTS

sys.path.insert(0, str(Path(__file__).parent))
from english_words import english_words  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    *sorted((ROOT / "cbmwater" / "treatment").glob("*.py")),
    *(
        ROOT / "cbmwater" / "geochem" / f"{n}.py"
        for n in (
            "phreeqc_input",
            "redox",
            "mixing",
            "speciation",
            "engine",
            "databases",
            "irrigation",
        )
    ),
    ROOT / "cbmwater" / "optimize" / "model.py",
]
#: every project error class (cbmwater/errors.py and the treatment's MassBalanceError)
PROJECT_ERRORS = {
    "CbmwaterError",
    "InputError",
    "UnitError",
    "DatabaseError",
    "LocatedDatabaseError",
    "GeochemError",
    "ResourceLimitError",
    "RunCancelled",
    "MassBalanceError",
}
#: calls that return a coded Text (the first argument of an error may be one of these)
CODED = {"of", "_fail", "unknown_override"}
#: error constructors whose message is attached after construction (file:function -> why)
ATTACHED = {
    # the plausible-range InputError of the shipped file, re-raised as a DatabaseError: the
    # English is str(exc), the message exc.full_message() is set on the next line
    ("economics.py", "_load"),
}


def _is_text_literal(node: ast.expr) -> bool:
    """A plain or f-string literal, or ``"..." + ...`` (an English sentence, not a message)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and _is_text_literal(node.left)


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _error_calls(path: Path) -> list[tuple[str, ast.Call]]:
    """(enclosing function, call) of every call of a project error class in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for fn in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Module))]:
        name = fn.name if isinstance(fn, ast.FunctionDef) else "<module>"
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and _callee(node) in PROJECT_ERRORS and node.args:
                out.append((name, node))
    # a call inside a function is also inside the module: keep the innermost function only
    seen: dict[int, tuple[str, ast.Call]] = {}
    for name, call in out:
        if id(call) not in seen or seen[id(call)][0] == "<module>":
            seen[id(call)] = (name, call)
    return list(seen.values())


def test_every_error_of_treatment_and_geochem_is_coded():
    """No project error of these files is raised with an English sentence: its first argument
    is a coded Text (``Text.of``, the library's ``_fail``, ``unknown_override``) or it passes
    ``msg=``."""
    found = 0
    bad = []
    for path in FILES:
        for fn, call in _error_calls(path):
            found += 1
            first = call.args[0]
            if any(k.arg == "msg" for k in call.keywords):
                continue
            if (path.name, fn) in ATTACHED:
                continue
            coded = isinstance(first, ast.Call) and _callee(first) in CODED
            if _is_text_literal(first) or not coded:
                bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found > 90  # the scan sees the calls (an empty scan proves nothing)
    assert not bad, bad


def test_the_scan_refuses_an_english_literal(tmp_path):
    """The scan above can fail: an f-string error is found."""
    p = tmp_path / "x.py"
    p.write_text('def f(u):\n    raise InputError(f"unit {u}: bad")\n', encoding="utf-8")
    [(fn, call)] = _error_calls(p)
    assert fn == "f" and _is_text_literal(call.args[0])


# -- the errors for real ---------------------------------------------------------------------
def check(err: CbmwaterError, english: str, *extra: str) -> str:
    """``err`` is ``english`` in English and a coded message without English words in Chinese
    (``extra``: typed values and names from the data that the message shows as they are)."""
    assert str(err) == english
    assert err.message is not None, "the error has no message code"
    zh = err.render("zh")
    assert zh != english
    assert not english_words(zh, extra), (zh, english_words(zh, extra))
    return zh


def _raises(exc_type, fn, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        fn(*args, **kwargs)
    return info.value


# -- unit library (units.toml) ---------------------------------------------------------------
def _library_copy(tmp_path: Path, old: str, new: str) -> Path:
    """units.toml (with its economics.toml) copied to ``tmp_path`` with one text replaced."""
    for name in ("units.toml", "economics.toml"):
        shutil.copy(LIBRARY_DIR / name, tmp_path / name)
    p = tmp_path / "units.toml"
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


AERATION = 'name_zh = "曝气"\ncategory = "oxidation"\n'


@pytest.mark.parametrize(
    ("old", "new", "tail", "typed"),
    [
        (
            AERATION,
            AERATION.replace("oxidation", "magic"),
            "unit 'aeration', field 'category': 'magic' is not one of oxidation, particle, "
            "filtration, membrane, softening, ion_exchange, sorption, chemical, stripping, "
            "thermal, disposal, disinfection",
            ("category", "magic", "oxidation", "particle", "filtration", "membrane", "softening")
            + ("ion_exchange", "sorption", "chemical", "stripping", "thermal", "disposal")
            + ("disinfection",),
        ),
        (
            'name_zh = "曝气"\n',
            'name_zh = "曝气"\ncolour = "blue"\n',
            "unit 'aeration', field 'colour': unknown field; allowed: capital, category, "
            "chemicals, disposal_class, energy_kWh_m3, energy_kWh_m3_per_g_L_TDS, model, "
            "name_en, name_zh, om, params, recovery, removal, residual, sludge_solids_frac, "
            "sources",
            ("colour", "capital", "category", "chemicals", "disposal_class", "energy_kWh_m3")
            + ("energy_kWh_m3_per_g_L_TDS", "model", "name_en", "name_zh", "om", "params")
            + ("recovery", "removal", "residual", "sludge_solids_frac", "sources"),
        ),
        (
            'currency = "USD", year = 2017, Q_min_m3_d = 50, Q_max_m3_d = 27880, '
            'installation_factor = 1.0, below_min = "floor" }',
            'currency = "USD", year = 2017, Q_min_m3_d = 50, Q_max_m3_d = 27880, '
            "installation_factor = 1.0 }",
            "unit 'aeration', field 'capital.below_min': missing: every capital curve states "
            "its policy below Q_min_m3_d, one of floor, extrapolate (and its reason in "
            "sources.capital)",
            ("capital.below_min", "floor", "extrapolate", "sources.capital"),
        ),
        (
            'currency = "USD", year = 2017, Q_min_m3_d = 50',
            'currency = "GBP", year = 2017, Q_min_m3_d = 50',
            "unit 'aeration', field 'capital.currency': 'GBP' has no exchange rate in "
            "economics.toml",
            ("capital.currency", "economics.toml"),
        ),
        (
            "removal = {}\nenergy_kWh_m3 = 0.0391",
            "removal = { Feo = 0.5 }\nenergy_kWh_m3 = 0.0391",
            "unit 'aeration', field 'removal.Feo': not a removable constituent; did you mean 'Fe'?",
            ("removal.Feo",),
        ),
        (
            '"params.oxidant" = "assumption: [U] atmospheric',
            '"params.oxidant" = "assumption: short"\nx = "[U] atmospheric',
            "unit 'aeration', field 'sources.params.oxidant': an assumption must state its reason",
            ("sources.params.oxidant",),
        ),
    ],
)
def test_unit_library_errors_name_file_unit_field(tmp_path, old, new, tail, typed):
    from cbmwater.treatment.library import load_library

    path = _library_copy(tmp_path, old, new)
    err = _raises(DatabaseError, load_library, path)
    where = str(path.resolve())
    zh = check(err, f"{where}, {tail}", where, "aeration", *typed)
    assert where in zh and "单元'aeration'" in zh and "字段" in zh


def test_unit_library_not_found_and_unreadable(tmp_path):
    from cbmwater.treatment.library import load_library

    missing = tmp_path / "none.toml"
    check(
        _raises(DatabaseError, load_library, missing),
        f"unit library not found: {missing}",
        str(missing),
    )
    path = _library_copy(tmp_path, "[units.aeration]\n", "[units.aeration\n")
    err = _raises(DatabaseError, load_library, path)
    assert str(err).startswith(f"{path.resolve()}: cannot read the unit library: ")
    reason = str(err).split("cannot read the unit library: ", 1)[1]
    zh = check(err, str(err), str(path.resolve()), reason)
    assert zh == f"{path.resolve()}：无法读取单元库：{reason}"


# -- economics.toml --------------------------------------------------------------------------
def _economics_copy(tmp_path: Path, old: str, new: str) -> Path:
    p = tmp_path / "economics.toml"
    text = (LIBRARY_DIR / "economics.toml").read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("old", "new", "tail", "typed"),
    [
        (
            "purity = 0.90\nprice_CNY_t = 600",
            "purity = 1.5\nprice_CNY_t = 600",
            "[chemicals.lime] purity must be in (0, 1]",
            ("chemicals.lime", "purity"),
        ),
        (
            "values = { USD = 0.4, CNY = 1.0 }",
            "values = { USD = 9.0, CNY = 1.0 }",
            "[location_factor] USD must be between 0.05 and 5",
            ("location_factor",),
        ),
        (
            'formula = "Ca(OH)2"\nmolar_mass_g_mol = 74.09',
            'formula = "Ca(OH)2"\nmolar_mass_g_mol = 80.0',
            "[chemicals.lime] molar_mass_g_mol 80 disagrees with "
            f"{REAGENTS['Ca(OH)2'].molar_mass:.3f} g/mol of Ca(OH)2 in "
            "the phases table (cbmwater.water.phases)",
            ("chemicals.lime", "molar_mass_g_mol", "cbmwater.water.phases"),
        ),
        (
            "molar_mass_g_mol = 74.09\npurity = 0.90\n",
            "molar_mass_g_mol = 74.09\n",
            "[chemicals.lime] lacks 'purity'",
            ("chemicals.lime", "purity"),
        ),
    ],
)
def test_economics_file_errors_name_file_table_key(tmp_path, old, new, tail, typed):
    from cbmwater.treatment.economics import load_economics

    path = _economics_copy(tmp_path, old, new)
    err = _raises(DatabaseError, load_economics, path)
    where = str(path.resolve())
    zh = check(err, f"{where}: {tail}", where, *typed)
    assert where in zh and "表" in zh


def test_economics_file_not_found_and_source_missing(tmp_path):
    from cbmwater.treatment.economics import load_economics

    missing = tmp_path / "none.toml"
    check(
        _raises(DatabaseError, load_economics, missing),
        f"economics file not found: {missing}",
        str(missing),
    )
    text = (LIBRARY_DIR / "economics.toml").read_text(encoding="utf-8")
    start = text.index("[location_factor]")
    src = text.index("source", start)
    end = text.index("\n", src)
    path = tmp_path / "economics.toml"
    path.write_text(text[:src] + 'source = "x"' + text[end:], encoding="utf-8")
    where = str(path.resolve())
    zh = check(
        _raises(DatabaseError, load_economics, path),
        f"{where}: [location_factor] needs a 'source' (or 'assumption: <reason>')",
        where,
        "location_factor",
        "source",
        "assumption",
    )
    assert zh == f"{where}：[location_factor]表须给出'source'（数据来源），或'assumption: <理由>'"


def test_economics_lookups_and_overrides():
    from cbmwater.study.treatment import economics
    from cbmwater.treatment.economics import capital_recovery_factor, load_economics

    econ = load_economics()
    zh = check(
        _raises(InputError, econ.to_CNY, 1.0, "GBP", 2020),
        "no exchange rate for 'GBP'; known: USD, CNY",
        "USD",
        "CNY",
        "GBP",
    )
    assert zh == "没有'GBP'的汇率；已有汇率的币种：USD、CNY"
    check(
        _raises(InputError, econ.disposal_price_CNY_t, "landfill"),
        "unknown disposal class 'landfill'; known: general_solid, hazardous_salt",
        "landfill",
        "general_solid",
        "hazardous_salt",
    )
    assert check(
        _raises(InputError, capital_recovery_factor, 0.05, 0),
        "life must be positive; got 0",
    ) == ("使用年限必须为正数；输入为0")
    # the override of the study face (allowed names listed in both languages)
    zh = check(
        _raises(InputError, economics, fuel_price=1.0),
        "unknown economics override fuel_price; allowed: electricity_CNY_kWh, "
        "discount_rate, life_yr",
        "fuel_price",
        "electricity_CNY_kWh",
        "discount_rate",
        "life_yr",
    )
    assert zh == (
        "未知的经济参数覆盖项fuel_price；可用参数：electricity_CNY_kWh、discount_rate、life_yr"
    )
    # Economics.with_ refuses a name that is not a field (it raised TypeError before)
    err = _raises(InputError, econ.with_, fuel_price=1.0)
    assert str(err).startswith(
        "unknown economics override fuel_price; allowed: price_year, electricity_CNY_kWh, "
    )
    assert err.message is not None and err.message.code.endswith("unknown_override")


# -- precedence.csv and stages.csv -----------------------------------------------------------
def test_precedence_and_stage_table_errors(tmp_path):
    from cbmwater.treatment.library import load_library
    from cbmwater.treatment.precedence import load_rules, load_stages

    lib = load_library()
    bad = tmp_path / "precedence.csv"
    bad.write_text(
        "unit,rule,other_units,reason\naeration,before_all,coagulation,because it is so [U]\n",
        encoding="utf-8",
    )
    zh = check(
        _raises(DatabaseError, load_rules, lib, bad),
        f"{bad.resolve()}, row 2: rule 'before_all' is not one of ('requires_before', 'not_after')",
        str(bad.resolve()),
        "before_all",
        "requires_before",
        "not_after",
    )
    assert "第2行" in zh
    bad.write_text("unit,rule,other_units,reason\nwizard,not_after,aeration,x\n", encoding="utf-8")
    check(
        _raises(DatabaseError, load_rules, lib, bad),
        f"{bad.resolve()}, row 2: unknown unit 'wizard'",
        str(bad.resolve()),
        "wizard",
    )
    bad.write_text("unit,rule\naeration,not_after\n", encoding="utf-8")
    check(
        _raises(DatabaseError, load_rules, lib, bad),
        f"{bad.resolve()}: header must be unit,rule,other_units,reason",
        str(bad.resolve()),
        "unit,rule,other_units,reason",
    )
    missing = tmp_path / "stages.csv"
    check(
        _raises(DatabaseError, load_stages, lib, missing),
        f"stage table not found: {missing}",
        str(missing),
    )


# -- simulating and costing a train ----------------------------------------------------------
def _feed(flow: float = 1000.0):
    from cbmwater.treatment.streams import StreamBatch

    df = pd.DataFrame([{"Na": 800.0, "Cl": 300.0, "HCO3": 1500.0, "pH": 8.0, "temp_C": 20.0}])
    return StreamBatch.from_frame(df, flow)


def test_train_feed_errors():
    from cbmwater.treatment.train import simulate_train

    zh = check(
        _raises(InputError, simulate_train, ["multimedia_filter"], _feed(0.0)),
        "feed flow must be a positive number of m3/d",
    )
    assert zh == "进水流量必须为正数（m3/d）"
    empty = _feed().take(0)
    empty = dataclasses.replace(
        empty,
        flow_m3_d=empty.flow_m3_d[:0],
        conc_mg_L=empty.conc_mg_L[:0],
        temp_C=empty.temp_C[:0],
        pH=empty.pH[:0],
    )
    check(_raises(InputError, simulate_train, ["multimedia_filter"], empty), "no feed water")


def test_thermal_unit_and_model_errors():
    from cbmwater.treatment.economics import load_economics
    from cbmwater.treatment.library import load_library
    from cbmwater.treatment.models import run_unit
    from cbmwater.treatment.thermal import run_thermal

    lib, econ = load_library(), load_economics()
    mvc = lib["mvc_concentrator"]
    zh = check(
        _raises(
            InputError, run_thermal, dataclasses.replace(mvc, removal={"Na": 0.9}), _feed(), econ
        ),
        "unit mvc_concentrator: a thermal unit derives its removal from recovery and "
        "params.entrainment; remove its 'removal' table",
        "params.entrainment",
        "removal",
    )
    assert zh.startswith("单元" + Message("unitid.mvc_concentrator").render("zh") + "：")
    check(
        _raises(
            InputError,
            run_thermal,
            dataclasses.replace(mvc, params={**mvc.params, "entrainment": 0.5}),
            _feed(),
            econ,
        ),
        f"unit mvc_concentrator: params.entrainment must be in [0, 0.1] and recovery in "
        f"(0, 1); got 0.5 and {mvc.recovery:g}",
        "params.entrainment",
    )
    sac = lib["sac_exchange"]
    check(
        _raises(
            InputError,
            run_unit,
            dataclasses.replace(sac, params={**sac.params, "counter_ion": "K"}),
            _feed(),
            econ,
            None,
        ),
        "unit sac_exchange: counter_ion must be 'Na' or 'H', got 'K'",
        "counter_ion",
        "'Na'",
        "'H'",
        "'K'",
    )


def test_capital_curve_policy_error():
    from cbmwater.treatment.costing import unit_capital
    from cbmwater.treatment.economics import load_economics
    from cbmwater.treatment.library import load_library

    spec = load_library()["aeration"]
    curve = dataclasses.replace(spec.capital, below_min="guess")
    zh = check(
        _raises(InputError, unit_capital, "aeration", curve, np.array([10.0]), load_economics()),
        "aeration: capital below_min 'guess' is not one of floor, extrapolate",
        "below_min",
        "guess",
        "floor",
        "extrapolate",
    )
    assert zh.startswith("曝气：")


def test_chemistry_argument_errors():
    from cbmwater.treatment.chemistry import concentrate_limit, equilibrate

    feed = _feed()
    assert check(
        _raises(InputError, equilibrate, feed, target_pH=14.5),
        "target pH must be between 2 and 13; got 14.5",
    ) == ("目标pH必须在2至13之间；输入为14.5")
    check(
        _raises(InputError, equilibrate, feed, precipitates=("Gold",)),
        "unknown precipitate 'Gold'; known: "
        + ", ".join(
            __import__("cbmwater.treatment.chemistry").treatment.chemistry.PHASE_MOLAR_MASS
        ),
        "Gold",
        *__import__("cbmwater.treatment.chemistry").treatment.chemistry.PHASE_MOLAR_MASS,
    )
    check(
        _raises(InputError, concentrate_limit, feed, {"Calcite": 1.8}, 1.5),
        "maximum recovery must be between 0 and 1; got 1.5",
    )


# -- geochem ---------------------------------------------------------------------------------
def test_redox_errors():
    from cbmwater.geochem.redox import RedoxBasis, parse_redox

    zh = check(
        _raises(InputError, parse_redox, "oxic"),
        "redox must be one of fe2, pe:VALUE, measured; got 'oxic'",
        "oxic",
        "fe2",
        "pe:VALUE",
        "measured",
    )
    assert zh == "氧化还原基准必须为以下之一：fe2、pe:VALUE、measured；输入为'oxic'"
    check(
        _raises(InputError, parse_redox, "pe:high"),
        "redox 'pe:high': the pe after 'pe:' must be a number, e.g. pe:4",
        "pe:high",
        "pe",
    )
    check(
        _raises(InputError, RedoxBasis, "pe", 40.0),
        "pe must be a number between -15 and 20 (e.g. pe:4); got 40.0",
        "pe",
    )
    check(
        _raises(InputError, RedoxBasis("measured").resolve, {"pH": 7.0}),
        "redox 'measured' needs Fe2 and Fe3, ORP_mV or DO in the analysis; none was "
        "measured (use --redox fe2 or pe:VALUE)",
        "measured",
        "--redox fe2",
        "pe",
    )


def test_phreeqc_input_and_database_errors(tmp_path):
    from cbmwater.geochem.databases import database_info
    from cbmwater.geochem.phreeqc_input import fmt, solution_block

    db = database_info("phreeqc")
    zh = check(
        _raises(InputError, database_info, "nosuch"),
        "unknown PHREEQC database 'nosuch'; use one of phreeqc, pitzer, wateq4f or the path of "
        "a .dat file",
        "nosuch",
        "phreeqc",
        "pitzer",
        "wateq4f",
        ".dat",
    )
    assert "之一" in zh
    junk = tmp_path / "junk.dat"
    junk.write_text("SOLUTION_SPECIES\nH+ = H+\n", encoding="utf-8")
    check(
        _raises(DatabaseError, database_info, junk),
        f"{junk} has no SOLUTION_MASTER_SPECIES: not a PHREEQC database",
        str(junk),
    )
    check(
        _raises(GeochemError, fmt, math.nan),
        "non-finite number nan cannot go into PHREEQC input",
        "nan",
    )
    check(
        _raises(InputError, solution_block, 1, {"Na": 10.0}, db),
        "pH is required for PHREEQC speciation",
    )
    check(
        _raises(InputError, solution_block, 1, {"pH": 7.0}, db, charge_balance="Zz"),
        "cannot charge-balance on 'Zz'; allowed: " + ", ".join(_charge_choices()),
        "Zz",
        *_charge_choices(),
    )
    check(
        _raises(InputError, solution_block, 1, {"pH": 7.0}, db, density=5.0),
        "density must be a number of kg/L between 0.5 and 2, or 'calc'; got 5.0",
        "calc",
    )


def _charge_choices() -> tuple[str, ...]:
    from cbmwater.geochem.phreeqc_input import CHARGE_BALANCE_CHOICES

    return tuple(CHARGE_BALANCE_CHOICES)


def test_phreeqc_own_error_is_a_parameter():
    """PHREEQC's own error text is shown as is inside the coded message."""
    from cbmwater.geochem.engine import get_engine

    err = _raises(GeochemError, get_engine("phreeqc").run, "SOLUTION 1\n    pH abc\nEND\n")
    text = str(err).split(":\n", 1)[1]
    n = str(err).split(" ", 3)[2]
    assert str(err) == f"PHREEQC reported {n} error(s):\n{text}"
    zh = check(err, str(err), text)
    assert zh == f"PHREEQC报告{n}个错误：\n{text}"


def test_mixing_errors():
    from cbmwater.geochem.mixing import blend_input, mix_block

    check(_raises(GeochemError, mix_block, 3, [], 25.0), "MIX 3 has no solution", "MIX")
    from cbmwater.geochem.phreeqc_input import SI_MINERALS

    check(
        _raises(GeochemError, blend_input, [{"pH": 7.0}], [{0: 1.0}], [25.0], ["Gold"]),
        f"unknown minerals ['Gold']; allowed: {', '.join(SI_MINERALS)}",
        "['Gold']",
        *SI_MINERALS,
    )


def test_irrigation_pco2_error():
    from cbmwater.geochem.irrigation import calcium_equilibrium_input

    zh = check(
        _raises(InputError, calcium_equilibrium_input, None, pco2_atm=2.0),
        "pCO2 must be between 0 and 1 atm; got 2.0",
    )
    assert zh == "pCO2必须在0至1 atm之间；输入为2.0"


def test_speciation_redox_errors_name_the_samples():
    from cbmwater.geochem.speciation import speciate
    from cbmwater.water.analysis import AnalysisSet

    recs = [dict(sample_id=f"S{i}", pH=7.5, Na=100.0, Cl=100.0, HCO3=150.0) for i in range(1, 8)]
    a = AnalysisSet.from_records(recs)
    zh = check(
        _raises(InputError, speciate, a, redox="measured"),
        "file <memory>, row 1: redox 'measured' needs a redox measurement, and sample(s) "
        "'S1', 'S2', 'S3', 'S4', 'S5' and 2 more have none: measure ferrous and ferric iron "
        "(columns Fe2 and Fe3), ORP as Eh in mV (column ORP_mV) or dissolved oxygen (column "
        "DO), or choose --redox fe2 (total Fe as Fe(II), for an anoxic produced water) or "
        "--redox pe:VALUE",
        "<memory>",
        "measured",
        "--redox fe2",
        "--redox pe",
    )
    assert "水样'S1'、'S2'、'S3'、'S4'、'S5'及另外2个水样没有" in zh
    assert zh.startswith("文件<memory>，第1行：")
    check(
        _raises(InputError, speciate, a, redox="fe2", pe=4.0),
        "give the redox state once: redox='fe2' and pe=4.0 disagree",
        "redox='fe2'",
        "pe=4.0",
    )
