"""Errors of the lab-file reader, the water modules, the standards table, case/proposal uploads,
comparisons, reports, the Piper diagram, the optimiser's options and package resources carry a
message code (issue 14): the English text is exactly the old one (written out below, as the
engine printed it before the codes), and the Chinese rendering has no English words beyond the
values the user typed (file names, column headers, option values, mineral names)."""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from english_words import english_words

from cbmwater.errors import CbmwaterError
from cbmwater.i18n import Message
from cbmwater.optimize.solver import default_threads, write_model
from cbmwater.report.documents import _check
from cbmwater.report.piper import piper_percentages
from cbmwater.report.workbook import tables_workbook
from cbmwater.resources import data_path
from cbmwater.standards.table import load_standards, unit_factor
from cbmwater.study.casefiles import bundled_cases, read_case_file, read_case_zip
from cbmwater.study.compare import compare_plans
from cbmwater.water.analysis import AnalysisSet
from cbmwater.water.io import read_analyses
from cbmwater.water.phases import SUBSTANCES, formula_mass, substance
from cbmwater.water.units import to_canonical

ROOT = Path(__file__).resolve().parents[1]

#: the files whose errors this helper converted (cbmwater/...)
FILES = (
    "water/io.py",
    "water/cells.py",
    "water/analysis.py",
    "water/phases.py",
    "water/units.py",
    "water/vocabulary.py",
    "standards/table.py",
    "standards/compliance.py",
    "resources.py",
    "report/piper.py",
    "report/documents.py",
    "report/workbook.py",
    "study/casefiles.py",
    "study/reinjection.py",
    "study/compare.py",
    "study/results.py",
    "study/treatment.py",
    "optimize/solver.py",
    "optimize/prepared.py",
    "optimize/plan.py",
)
#: project error classes (cbmwater/errors.py and their subclasses in these files)
ERRORS = {
    "CbmwaterError",
    "InputError",
    "UnitError",
    "DatabaseError",
    "LocatedDatabaseError",
    "StandardsError",
    "GeochemError",
    "ResourceLimitError",
}


def _is_text_literal(node: ast.expr) -> bool:
    """A plain or f-string literal, or ``"..." + ...`` (an English sentence, not a message)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and _is_text_literal(node.left)


def test_no_error_of_these_files_is_an_english_literal():
    found, bad = 0, []
    for rel in FILES:
        tree = ast.parse((ROOT / "cbmwater" / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            f = node.exc.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name not in ERRORS:
                continue
            found += 1
            call = node.exc
            coded = any(k.arg == "msg" for k in call.keywords)
            if call.args and _is_text_literal(call.args[0]) and not coded:
                bad.append(f"{rel}:{node.lineno}")
    assert found > 120  # the scan sees the raises (an empty scan proves nothing)
    assert not bad, bad


def _lab(text: str, name: str = "lab.csv") -> object:
    Path(name).write_text(text, encoding="utf-8")
    return read_analyses(name)


_STD_HEADER = (
    "standard_id,standard_name,class,parameter,min,max,unit,clause,verified,status,"
    "applies_to,source,note\n"
)
_STD_ROW = "T1,Test standard,A,F,,1.0,mg/L,Table 1,false,S,test,ref x,\n"


def _std(body: str) -> object:
    Path("std.csv").write_text(_STD_HEADER + _STD_ROW + body, encoding="utf-8")
    return load_standards("std.csv")


def _folder() -> object:
    Path("化验").mkdir()
    return read_analyses("化验")


def _file(name: str, data: bytes) -> object:
    Path(name).write_bytes(data)
    return read_analyses(name)


def _threads() -> object:
    os.environ["CBMWATER_SOLVER_THREADS"] = "两"
    try:
        return default_threads()
    finally:
        del os.environ["CBMWATER_SOLVER_THREADS"]


ZH = "样品编号,pH值,钠(mg/L),钙(mg/L)\n"
NA = "file lab.csv, row 2, column '钠(mg/L)', value"
STD = "file {std}, row 3, column"

#: (id, what raises, the English text as before the codes, typed values allowed in the Chinese)
CASES: list[tuple[str, Callable[[], object], str, tuple[str, ...]]] = [
    ("missing_file", lambda: read_analyses("水质.csv"), "file 水质.csv: file not found", ()),
    (
        "folder",
        _folder,
        "file 化验: this is a folder; give a lab file (.csv or .xlsx)",
        (),
    ),
    (
        "xls",
        lambda: _file("lab.xls", b"x"),
        "file lab.xls: Excel 97-2003 (.xls) workbooks are not read; open the file in Excel or "
        "WPS and save it as .xlsx (Excel workbook) or .csv (UTF-8), then load that file",
        ("Excel", ".xlsx", "（.xls）"),
    ),
    (
        "suffix",
        lambda: _file("lab.json", b"{}"),
        "file lab.json: unsupported file type '.json'; allowed: .csv, .txt, .tsv, .xlsx, .xlsm",
        ("txt", "tsv", "xlsm"),
    ),
    ("empty", lambda: _lab(""), "file lab.csv: the file is empty", ()),
    ("no_samples", lambda: _lab(ZH), "file lab.csv: the file has a header but no samples", ()),
    (
        "duplicate_column",
        lambda: _lab("样品编号,pH值,钠(mg/L),钠/(mg/L)\nW1,7,1,1\n"),
        "file lab.csv, row 1, column '钠/(mg/L)': columns '钠(mg/L)' and '钠/(mg/L)' both mean "
        "Na; keep one",
        (),
    ),
    (
        "no_id_column",
        lambda: _lab("pH值,钠(mg/L)\n7,1\n"),
        "file lab.csv: no sample id column; name one 'sample_id' (or 样品编号, 水样编号, 井号, "
        "Sample ID)",
        ("Sample ID",),
    ),
    (
        "no_ph_column",
        lambda: _lab("样品编号,钠(mg/L)\nW1,1\n"),
        "file lab.csv: no pH column; pH is needed for every sample (header 'pH' or 'pH值')",
        (),
    ),
    (
        "unit_not_for",
        lambda: _lab("样品编号,pH值,钠(mV)\nW1,7,1\n"),
        "file lab.csv, row 1, column '钠(mV)': unit 'mV' does not apply to Na; allowed: mg/L, "
        "ug/L, g/L, mmol/L, meq/L",
        (),
    ),
    (
        "text_no_unit",
        lambda: _lab("样品编号(mg/L),pH值\nW1,7\n"),
        "file lab.csv, row 1, column '样品编号(mg/L)': sample_id is text and takes no unit",
        (),
    ),
    (
        "units_row",
        lambda: _lab("样品编号,pH值,钠(mg/L)\n,,mmol/L\nW1,7,1\n"),
        "file lab.csv, row 2, column '钠(mg/L)': header unit 'mg/L' disagrees with the units "
        "row ('mmol/L')",
        (),
    ),
    (
        "cell_text",
        lambda: _lab(ZH + "W1,7,未检出,1\n"),
        f"{NA} '未检出': expected a number, a below-detection value like '<0.05' or '0.05L', "
        "or a blank cell (not measured)",
        (),
    ),
    (
        "cell_negative",
        lambda: _lab(ZH + "W1,7,-3,1\n"),
        f"{NA} '-3': concentrations and measurements cannot be negative",
        (),
    ),
    (
        "cell_above",
        lambda: _lab(ZH + "W1,7,>500,1\n"),
        f"{NA} '>500': values above the reporting range ('>x') cannot be used; give the "
        "measured value (dilute and re-run) or leave the cell blank",
        ("'>x'",),
    ),
    (
        "cell_comma",
        lambda: _lab(ZH + 'W1,7,"1,5",1\n'),
        f"{NA} '1,5': a comma in a number is ambiguous (decimal comma or thousands separator); "
        "write it with a decimal point and no commas, e.g. 0.05 or 1234.5",
        (),
    ),
    (
        "cell_zero_dl",
        lambda: _lab(ZH + "W1,7,<0,1\n"),
        f"{NA} '<0': a detection limit must be greater than 0",
        (),
    ),
    (
        "cell_nan",
        lambda: _lab(ZH + "W1,7,NaN,1\n"),
        f"{NA} 'NaN': NaN is not a measurement; leave the cell blank if not measured",
        (),
    ),
    ("cell_inf", lambda: _lab(ZH + "W1,7,inf,1\n"), f"{NA} 'inf': infinite value", ("inf",)),
    (
        "ph_censored",
        lambda: _lab(ZH + "W1,<7,1,1\n"),
        "file lab.csv, row 2, column 'pH值', value '<7': pH cannot be below a detection limit",
        (),
    ),
    (
        "id_blank",
        lambda: _lab(ZH + ",7,1,1\n"),
        "file lab.csv, row 2, column '样品编号': sample id is blank",
        (),
    ),
    (
        "id_duplicate",
        lambda: _lab(ZH + "W1,7,1,1\nW1,7,2,1\n"),
        "file lab.csv, row 3, column '样品编号', value 'W1': duplicate sample id 'W1' (first at "
        "row 2)",
        (),
    ),
    (
        "ph_missing",
        lambda: _lab(ZH + "W1,,1,1\n"),
        "file lab.csv, row 2, column 'pH值': pH is missing; every sample needs a measured pH",
        (),
    ),
    (
        "empty_row",
        lambda: _lab(ZH + "W1,7,1,1\n,,,\nW2,7,1,1\n"),
        "file lab.csv, row 3: empty row inside the table; delete it",
        (),
    ),
    (
        "fe_split",
        lambda: _lab("样品编号,pH值,总铁(mg/L),亚铁(mg/L)\nW1,6,1,5\n"),
        "file lab.csv, row 2, column '亚铁(mg/L) + 总铁(mg/L)': sample 'W1': Fe2 + Fe3 = 5 mg/L "
        "exceeds total Fe 1 mg/L (Fe2 5, Fe 1 mg/L) beyond the analytical tolerance (10 % + "
        "0.05 mg/L); Fe(II) and Fe(III) are parts of total Fe: check the columns' units and "
        "values",
        (),
    ),
    (
        "record_no_id",
        lambda: AnalysisSet.from_records([{"pH": 7}]),
        "file <memory>, row 1: every record needs a sample_id",
        ("<memory>",),
    ),
    (
        "duplicate_ids",
        lambda: AnalysisSet.from_records([{"sample_id": "W1"}, {"sample_id": "W1"}]),
        "file <memory>: duplicate sample_id(s): W1",
        ("<memory>",),
    ),
    (
        "censored_policy",
        lambda: AnalysisSet.from_records([{"sample_id": "W1", "Na": 1}]).resolved("一半"),
        "unknown censored-value policy '一半'; allowed: half, zero, limit",
        ("half", "zero", "limit"),
    ),
    (
        "ids_not_found",
        lambda: AnalysisSet.from_records([{"sample_id": "W1", "Na": 1}]).subset(["W9"]),
        "file <memory>: sample id(s) not found: W9; known: W1",
        ("<memory>",),
    ),
    (
        "formula_element",
        lambda: formula_mass("CaXx2"),
        "element 'Xx' of formula 'CaXx2' has no atomic weight; known: H, C, N, O, F, Na, Mg, Al, "
        "Si, P, S, Cl, K, Ca, Mn, Fe, Sr, Ba",
        ("Xx",),
    ),
    (
        "formula_unbalanced",
        lambda: formula_mass("Ca)2"),
        "unbalanced ')' in formula 'Ca)2'",
        (),
    ),
    (
        "unknown_substance",
        lambda: substance("石灰石"),
        "value '石灰石': unknown mineral, gas or reagent '石灰石'; known: " + ", ".join(SUBSTANCES),
        tuple(SUBSTANCES),
    ),
    (
        "unknown_constituent",
        lambda: AnalysisSet.from_records([{"sample_id": "W1", "钠盐": 1}]),
        "file <memory>, row 1, column '钠盐': unknown constituent '钠盐'; allowed: temp_C, pH, "
        "Na, K, Ca, Mg, Fe, Fe2, Fe3, Mn, Al, Sr, Ba, Li, NH4_N, Cl, SO4, HCO3, CO3, "
        "alkalinity_CaCO3, F, Br, NO3_N, SiO2, B, TDS, COD, TSS, DO, ORP_mV",
        ("<memory>",),
    ),
    (
        "std_unknown_standard",
        lambda: load_standards().resolve_standard("GB3838-2001"),
        "unknown standard 'GB3838-2001'; did you mean 'GB3838-2002' or 'GBT14848-2017' or "
        "'GB5084-2021'? Allowed: GB3838-2002, GBT14848-2017, GB8978-1996, GB20426-2006, "
        "GB5084-2021, GB5749-2022, GBT19923-2005, GBT50050-2017, SYT5329, "
        "MEE_coal_mine_water_salt_cap, FAO29",
        (),
    ),
    (
        "unit_error",
        lambda: to_canonical(1.0, "Na", "mV"),
        "unit 'mV' does not apply to Na; allowed: mg/L, ug/L, g/L, mmol/L, meq/L",
        (),
    ),
    (
        "std_not_found",
        lambda: load_standards("无此表.csv"),
        "file 无此表.csv: standards table not found",
        (),
    ),
    (
        "std_number",
        lambda: _std("T1,Test standard,A,Na,,两百,mg/L,Table 1,false,S,test,ref x,\n"),
        f"{STD} 'max', value '两百': expected a number (decimal point, no thousands separator) "
        "or a blank cell",
        ("max",),
    ),
    (
        "std_unit_kind",
        lambda: _std("T1,Test standard,A,Na,,200,NTU,Table 1,false,S,test,ref x,\n"),
        f"{STD} 'unit', value 'NTU': unit NTU (turbidity) does not apply to Na (concentration); "
        "allowed: mg/L, µg/L, ng/L, g/L",
        ("unit",),
    ),
    (
        "std_min_max",
        lambda: _std("T1,Test standard,A,Na,5,2,mg/L,Table 1,false,S,test,ref x,\n"),
        f"{STD} 'min', value '5': min (5) must be less than max (2)",
        ("max",),
    ),
    (
        "std_verified",
        lambda: _std("T1,Test standard,A,Na,,2,mg/L,Table 1,true,S,test,ref x,\n"),
        f"{STD} 'verified', value 'true': verified must be false for status S (only V is verified)",
        ("verified", "true", "false"),
    ),
    (
        "std_duplicate",
        lambda: _std(_STD_ROW),
        f"{STD} 'parameter', value 'F': duplicate limit: T1 class A F is already on row 2",
        ("parameter",),
    ),
    (
        "std_unknown_class",
        lambda: load_standards().resolve("GB3838-2002", "VI"),
        "unknown class 'VI' for standard GB3838-2002; did you mean 'I' or 'V'? Allowed: I, II, "
        "III, IV, V, source_supplementary, source_specific",
        (),
    ),
    (
        "std_unit_factor",
        lambda: unit_factor("mg/L", "NTU"),
        "cannot convert mg/L (concentration) to NTU (turbidity)",
        (),
    ),
    (
        "case_not_found",
        lambda: read_case_file("无此案例/case.toml"),
        "file 无此案例/case.toml: case file not found",
        (),
    ),
    (
        "case_zip_name",
        lambda: read_case_zip(b"PK", "案例.toml"),
        "案例.toml: upload a .zip holding case.toml and its CSV tables",
        ("zip",),
    ),
    (
        "case_kind",
        lambda: bundled_cases("矿井"),
        "kind must be 'network' or 'mine'; got '矿井'",
        ("kind", "network", "mine"),
    ),
    (
        "compare_few",
        lambda: compare_plans([{"kind": "plan"}]),
        "a comparison needs two or more runs; 1 given",
        (),
    ),
    (
        "piper_columns",
        lambda: piper_percentages(pd.DataFrame({"Ca": [1.0]})),
        "column 'Mg': Piper input (meq/L) lacks column(s) Mg, Na, K, Cl, SO4, HCO3, CO3; "
        "needed: Ca, Mg, Na, K, Cl, SO4, HCO3, CO3",
        ("Piper",),
    ),
    (
        "workbook_language",
        lambda: tables_workbook({}, lang="fr"),
        "workbook language 'fr': allowed are en, zh",
        ("fr", "en", "zh"),
    ),
    (
        "report_format",
        lambda: _check("zh", "docx"),
        "report format 'docx': allowed are html, pdf",
        ("docx", "html", "pdf"),
    ),
    (
        "solver_threads",
        _threads,
        "CBMWATER_SOLVER_THREADS must be a positive whole number; got '两'",
        (),
    ),
    (
        "model_file",
        lambda: write_model(None, "模型.txt"),  # type: ignore[arg-type]
        "model file must end in .lp or .mps; got '模型.txt'",
        ("lp", "mps", "txt"),
    ),
    (
        "resource_part",
        lambda: data_path("..", "x"),
        "bad resource path part '..': give names inside databases/",
        ("databases/",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_error_is_the_old_english_and_chinese_without_english_words(tmp_path, monkeypatch, case):
    _, action, english, typed = case
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CbmwaterError) as ei:
        action()
    err = ei.value
    assert str(err) == english.replace("{std}", str((tmp_path / "std.csv").resolve()))
    assert err.message is not None  # coded: a face renders it in the user's language
    zh = err.render("zh")
    assert zh != str(err)
    # as a job stores it: JSON data that renders the same text again
    data = json.loads(json.dumps(err.full_message().to_dict()))
    assert Message.from_dict(data).render("zh") == zh
    assert not english_words(zh, extra=typed), (zh, english_words(zh, extra=typed))


def test_lab_file_error_names_file_row_column_in_chinese(tmp_path, monkeypatch):
    """A Chinese user's lab report: the place (file, row, Chinese column header, value) and
    the reason are both Chinese."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CbmwaterError) as ei:
        _lab(ZH + "W1,7,未检出,1\n")
    assert ei.value.render("zh") == (
        "文件lab.csv，第2行，列'钠(mg/L)'，值'未检出'：此处应为数值、低于检出限的值"
        "（如 '<0.05' 或 '0.05L'），或空单元格（未检测）"
    )
    with pytest.raises(CbmwaterError) as ei:
        _lab("样品编号,pH值,钠(mg/L),钠/(mg/L)\nW1,7,1,1\n")
    assert ei.value.render("zh") == (
        "文件lab.csv，第1行，列'钠/(mg/L)'：列 '钠(mg/L)' 与列 '钠/(mg/L)' 都表示钠；请只保留一列"
    )


def test_the_coded_message_survives_a_round_trip_as_data(tmp_path, monkeypatch):
    """The error's message as a dict (as a job stores it) renders the same Chinese."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CbmwaterError) as ei:
        _lab(ZH + "W1,7,1,1\nW1,7,2,1\n")
    full = ei.value.full_message()
    back = Message.from_dict(full.to_dict())
    assert back.render("zh") == ei.value.render("zh")
    assert back.render("en") == str(ei.value)


def test_an_empty_header_cell_is_named_by_its_position_in_the_language(tmp_path):
    """The engine names a header cell it cannot quote by its position: "column 'column 3'" in
    English as before, 第 3 列 in Chinese (before: 列'column 3')."""
    import cbmwater

    lab = tmp_path / "lab.csv"
    lab.write_text("sample_id,pH,,Na (mg/L)\nA,7.5,1,300\n", encoding="utf-8")
    with pytest.raises(CbmwaterError) as info:
        cbmwater.characterise(lab)
    assert str(info.value) == (
        f"file {lab}, row 1, column 'column 3': a column has an empty header; name it or "
        "delete the column"
    )
    zh = info.value.render("zh")
    assert "第 3 列：该列表头为空" in zh and not english_words(
        zh.replace(str(lab), "").replace(lab.name, "")
    )
