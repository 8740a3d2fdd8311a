"""Mine-water results in Chinese: sizing steps and cost items, neutralisation notes and model,
plan steps, the PHREEQC SOLUTION note, and the ``cbmwater minewater ... --lang zh`` text.

Oracles: the English strings are written here as the engine wrote them before it had messages
(copied from the old code's output, byte for byte); Chinese renderings are checked with
tests/english_words.py (no English word outside formulas, units, identifiers and the names the
input or the method carries: AMDTreat, Hedin, Skousen, CEPCI, gpm).  Every run is real (AMDTreat
sizing, PHREEQC titrations, the HiGHS plan of the bundled Daji case).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from english_words import english_words

import cbmwater
from cbmwater.cli import main
from cbmwater.geochem.databases import database_info
from cbmwater.geochem.phreeqc_input import solution_block
from cbmwater.minewater.sizing import size
from cbmwater.resources import example_path
from cbmwater.workspace.figures import key_figures

#: names a Chinese text may carry as they are (software, cited authors, cost index, US unit)
ALLOWED = ["AMDTreat", "Hedin", "Skousen", "CEPCI", "gpm"]
DAJI = example_path("daji_old_mine")
#: the Daji case's own names (points, source controls, destinations), shown as written
DAJI_NAMES = [
    "Main adit 1# (主平硐)",
    "Lower adit 2# (下平硐)",
    "Seep spring S1 (渗水点)",
    "Waste-rock toe drain T1 (矸石坡脚)",
    "adit plug + grout curtain",
    "surface-water diversion (截排水沟)",
    "adit plug",
    "Receiving stream (丹河 tributary)",
    "Coal washing plant (选煤厂)",
]
ACID = {"sample_id": "A1", "pH": 3.0, "Fe": 50.0, "Al": 10.0, "Mn": 2.0, "SO4": 900.0}
ACID.update({"Ca": 100.0, "Na": 20.0})

#: (option, keyword arguments) covering every method of every option
RUNS: list[tuple[str, dict[str, Any]]] = [
    ("ald", {"net_acidity": 100}),
    ("ald", {"net_acidity": 100, "method": "bureau_of_mines", "liner": "clay"}),
    ("vfp", {"net_acidity": 100, "method": "alkalinity_generation", "liner": "synthetic"}),
    ("limestone_bed", {"net_acidity": 100}),
    ("wetland", {"fe_mg_L": 15, "mn_mg_L": 10}),
    ("wetland", {"fe_mg_L": 15, "mn_mg_L": 10, "method": "retention_time"}),
    ("mn_bed", {"mn_mg_L": 5}),
    ("mn_bed", {"mn_mg_L": 5, "method": "retention_time"}),
    ("bioreactor", {"net_acidity": 100}),
    ("bioreactor", {"net_acidity": 100, "method": "alkalinity_generation"}),
    ("bioreactor", {"net_acidity": 100, "method": "volumetric_loading"}),
    ("settling_pond", {"fe_mg_L": 20, "mn_mg_L": 2}),
    ("caustic", {"net_acidity": 200, "fe_mg_L": 20, "mn_mg_L": 3}),
    ("hydrated_lime", {"net_acidity": 200, "fe_mg_L": 20, "mn_mg_L": 3, "dose_mg_L": 300}),
    ("quicklime", {"net_acidity": 200, "fe_mg_L": 20}),
    ("lime_slurry", {"net_acidity": -5, "dose_mg_L": 250}),
]


def _messages(d: dict) -> list[tuple[str, Any]]:
    """Every (field, message dict) of a result's ``*_i18n`` fields, nested ones included."""
    out: list[tuple[str, Any]] = []

    def walk(x: Any, field: str) -> None:
        if isinstance(x, dict) and "code" in x and "params" in x:
            out.append((field, x))
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(v, k if k.endswith("_i18n") else field)
        elif isinstance(x, list):
            for v in x:
                walk(v, field)

    for k, v in d.items():
        if k.endswith("_i18n"):
            walk(v, k)
        elif isinstance(v, (dict, list)):
            walk(v, "")
    return [(f, m) for f, m in out if f]


def _no_english(d: dict, extra: list[str] = ALLOWED) -> list[tuple[str, str, list[str]]]:
    bad = []
    for field, m in _messages(d):
        zh = str(cbmwater.render(m, "zh"))
        words = english_words(zh, extra)
        if words:
            bad.append((field, zh, words))
    return bad


# ---------------------------------------------------------------- sizing
@pytest.mark.parametrize("option,kw", RUNS, ids=[f"{o}-{i}" for i, (o, _) in enumerate(RUNS)])
def test_sizing_in_chinese_has_no_english_and_english_is_unchanged(option, kw):
    d = size(option, 300.0, **kw).as_dict()
    fields = {f for f, _ in _messages(d)}
    assert {"sources_i18n", "method_i18n", "capex_items_i18n", "opex_items_i18n"} <= fields
    assert _no_english(d) == []
    # the English rendering of every message is the English field, byte for byte
    assert [m["text"] for m in d["sources_i18n"]] == d["sources"]
    assert d["method_i18n"]["text"] == d["method"]
    assert d["volume_basis_i18n"]["text"] == d["volume_basis"]
    for field, items in (
        ("capex_items", d["capex_items_CNY"]),
        ("opex_items", d["opex_items_CNY_yr"]),
        ("materials", d["materials"]),
    ):
        assert list(d[f"{field}_i18n"]) == list(items)
        assert [m["text"] for m in d[f"{field}_i18n"].values()] == list(items)
        assert all(m["code"] != "text.untranslated" for m in d[f"{field}_i18n"].values())
    assert all(m["code"] != "text.untranslated" for m in d["sources_i18n"])


def test_wetland_sizing_steps_and_items_as_before():
    """The AMDTreat worked wetland (50 gpm, Fe 15, Mn 10 mg/L): English exactly as the engine
    wrote it before it had messages; the Chinese steps name the same numbers."""
    d = size("wetland", 272.55, fe_mg_L=15.0, mn_mg_L=10.0).as_dict()
    assert d["method"] == "removal_rates"
    assert d["sources"] == [
        "metal loading (g/d) = C (mg/L) x Q (m3/d); area = Fe load / Fe rate + Mn load / Mn "
        "rate (AMDTreat CalcMetalLoadingMetalRemovalRates, CalcMetalSurfaceAreaMetalRemovalRates;"
        " Hedin et al. 1994 rates)",
        "planting on the compost top area (AMDTreat CalcWetlandPlantingCost); rock baffles every"
        " 30 ft (CalcRockBaffleQuantity)",
        "AMDTreat 6 (OSMRE/USGS) C# source jlant/amdtreat@5a292e0, AMDTreat/Models/*Calculations"
        ".cs and Data/default-data-*.xml; summarised in the amd.md notes of docs/references.md",
        "O&M = 5 % of module capital per year; recapitalisation: AMDTreat replacement lives and "
        "fractions, present value at the economics discount rate over life_yr, annualised with "
        "the CRF",
        "USD2018 -> CNY2024: x CEPCI 800/603.1 x 7.1217 CNY/USD x location factor 0.4 = 3.779 "
        "CNY per USD (applied to AMDTreat unit costs; reagents, electricity, labour and sludge "
        "disposal use Chinese prices of economics.toml)",
    ]
    assert list(d["opex_items_CNY_yr"]) == [
        "O&M (5 % of module capital, AMDTreat)",
        "recapitalisation (annualised)",
    ]
    assert d["details"]["money"] == d["sources"][-1]
    zh = cbmwater.render(d["sources_i18n"], "zh")
    assert zh[3].startswith("运行维护费 = 每年单元建设投资的 5 %")
    assert zh[4].startswith("2018 年美元 → 2024 年人民币：× CEPCI 800/603.1 × 每美元 7.1217 元")
    assert cbmwater.render(d["opex_items_i18n"]["O&M (5 % of module capital, AMDTreat)"], "zh") == (
        "运行维护费（单元建设投资的 5 %，AMDTreat）"
    )
    assert cbmwater.render(d["capex_items_i18n"]["site: clear and grub"], "zh") == "场地：清表"
    assert cbmwater.render(d["method_i18n"], "zh") == "去除速率法"


def test_active_plant_items_and_method_as_before():
    d = size("caustic", 300.0, net_acidity=200.0, fe_mg_L=20.0, mn_mg_L=3.0).as_dict()
    assert d["method"] == "stoichiometric from net acidity (AMDTreat rule)"
    assert list(d["opex_items_CNY_yr"]) == [
        "reagent (caustic_soda, Chinese price per kg NaOH)",
        "electricity",
        "O&M (3.5 % of plant capital, AMDTreat)",
        "labour (0.5 person-yr)",
        "sludge disposal (Chinese price per dry t)",
        "pH probe replacement",
        "recapitalisation (annualised)",
    ]
    zh = [cbmwater.render(m, "zh") for m in d["opex_items_i18n"].values()]
    assert zh[0] == "药剂（烧碱，按国内每 kg NaOH 价格）"
    assert zh[3] == "人工（0.5 人·年）"
    assert cbmwater.render(d["method_i18n"], "zh") == "按净酸度化学计量计算（AMDTreat 规则）"
    given = size("caustic", 300.0, dose_mg_L=150.0).as_dict()
    assert given["method"] == "given (e.g. PHREEQC titration)"
    assert given["details"]["dose_basis"] == given["method"]


def test_the_study_result_keeps_the_messages():
    r = cbmwater.size_option("vfp", 200.0, net_acidity=80.0)
    d = r.to_dict()
    assert d["sources_i18n"] and d["capex_items_i18n"] and d["money_i18n"]
    assert _no_english(d) == []


# ---------------------------------------------------------------- neutralisation
@pytest.mark.parametrize("reagent,co2,target", [("NaOH", "closed", 8.5), ("CaO", "open", 7.5)])
def test_neutralisation_notes_and_model_in_chinese(reagent, co2, target):
    d = cbmwater.neutralise(ACID, reagent, target, co2=co2, flow_m3_d=500.0).to_dict()
    assert {"notes_i18n", "model_i18n"} <= {f for f, _ in _messages(d)}
    assert _no_english(d) == []
    model = d["model"]
    for key, m in d["model_i18n"].items():
        assert m["text"] == model[key]
    assert set(d["model_i18n"]) == {
        "equilibrium",
        "aeration",
        "manganese",
        "co2_description",
        "sludge",
    }
    for v in d["sludge_phases"].values():
        assert v["label_i18n"]["text"] == v["label"]


def test_neutralisation_model_text_as_before():
    d = cbmwater.neutralise(ACID, "NaOH", 8.5).to_dict()
    m = d["model"]
    assert m["equilibrium"] == (
        "one batch equilibrium per dose (PHREEQC REACTION steps from the raw water); solids stay "
        "in contact; doses per litre of raw water of the pure compound"
    )
    assert m["aeration"] == (
        "before dosing 100% of the Fe(II) is oxidised by O2 added stoichiometrically (1/4 mol O2 "
        "per mol Fe(II), less 0.01 %), PHREEQC redox equilibrium; O2 is never in excess"
    )
    assert m["manganese"] == (
        "Mn stays Mn(II) (no oxidant dosed): removed only as pyrochroite Mn(OH)2; Mn(OH)2 needs "
        "pH ~9.5-10"
    )
    assert m["co2_description"] == (
        "closed system: no CO2 exchange during aeration or dosing (the analysis' inorganic carbon"
        " and a carbonate reagent's CO2 stay in the water)"
    )
    assert m["sludge"] == (
        "dry mass = PHREEQC equilibrium-phase deltas x molar mass; wet density SG/(SG - p(SG - 1))"
        " x 0.9994 kg/L (AMDTreat), SG of the mixture by volume additivity"
    )
    assert cbmwater.render(d["model_i18n"]["manganese"], "zh") == (
        "锰保持 Mn(II)（未投加氧化剂）：只能以羟锰矿（Mn(OH)2）形式去除；Mn(OH)2 需要 pH 约 9.5–10"
    )
    assert (
        d["notes"][0] == "only total Fe measured: all 50 mg/L taken as Fe(II) (fe_policy 'ferrous')"
    )


def test_solution_block_note_for_an_element_the_database_lacks():
    """pitzer.dat has no Al: the SOLUTION note says so in both languages (the .pqi itself never
    carries the note)."""
    block, notes = solution_block(1, {"pH": 3.0, "Al": 10.0, "Ca": 100.0}, database_info("pitzer"))
    assert notes == ["Al is not defined in pitzer.dat: left out of the speciation"]
    assert cbmwater.render(notes, "zh") == ["pitzer.dat 未定义铝：形态计算中未计入"]
    assert block.isascii() and "Al" not in block.split()


# ---------------------------------------------------------------- plan steps
@pytest.mark.slow
def test_plan_steps_in_chinese_and_as_before():
    d = cbmwater.minewater_plan(DAJI / "case.toml").to_dict()
    steps = {c["point"]: c["steps"] for c in d["choices"]}
    assert steps["Main adit 1# (主平硐)"] == [
        "lime_slurry: Ca(OH)2 657 mg/L to pH 8.5 (PHREEQC)",
        "mn_bed",
    ]
    assert steps["Seep spring S1 (渗水点)"] == ["ald", "settling_pond", "wetland"]
    first = next(c for c in d["choices"] if c["point"] == "Main adit 1# (主平硐)")
    assert cbmwater.render(first["steps_i18n"], "zh") == [
        "石灰乳（Ca(OH)2）投加系统：Ca(OH)2 投加量 657 mg/L，调至 pH 8.5（PHREEQC）",
        "除锰石灰石床",
    ]
    for row in d["choices"] + d["scores"] + d["options"]:
        assert [m["text"] for m in row["steps_i18n"]] == row["steps"]
        for m in row["steps_i18n"]:
            assert english_words(str(cbmwater.render(m, "zh")), ALLOWED) == []


# ---------------------------------------------------------------- workspace key figures
def test_key_figures_of_a_dose_and_a_sizing():
    n = cbmwater.neutralise(ACID, "NaOH", 8.5, flow_m3_d=500.0).to_dict()
    assert key_figures("minewater_neutralise", n) == {
        "reagent": "NaOH",
        "target_pH": 8.5,
        "dose_mg_L": n["dose_mg_L"],
        "reagent_kg_d": n["dose_mg_L"] * 500.0 / 1000.0,
        "sludge_dry_mg_L": n["sludge_dry_mg_L"],
    }
    s = size("wetland", 272.55, fe_mg_L=15.0, mn_mg_L=10.0).as_dict()
    f = key_figures("minewater_size", s)
    assert f["option"] == "wetland"
    assert f["area_m2"] == pytest.approx(409 + 5450, rel=0.01)  # AMDTreat's worked example
    assert f["capex_CNY"] == s["capex_CNY"] and f["opex_CNY_yr"] == s["opex_CNY_yr"]


# ---------------------------------------------------------------- CLI
def _cli(*args: str) -> Any:
    res = CliRunner().invoke(main, ["minewater", *args])
    assert res.exit_code == 0, res.output
    return res


ANALYSES = str(DAJI / "analyses.csv")


def test_cli_acidity_in_chinese():
    zh = _cli("acidity", ANALYSES, "--missing-alkalinity", "zero", "--lang", "zh")
    lines = zh.stdout.splitlines()
    assert lines[0] == "单位：mg/L（以CaCO3计）；酸负荷 kg/d（以CaCO3计）"
    assert "计算酸度" in lines[1] and "净酸度" in lines[1]
    assert english_words(zh.stdout, ALLOWED) == []
    en = _cli("acidity", ANALYSES, "--missing-alkalinity", "zero")
    assert en.stdout.splitlines()[0] == "mg/L as CaCO3 (acid load kg CaCO3/d)"
    assert "net_acidity_mg_L_CaCO3" in en.stdout.splitlines()[1]


def test_cli_neutralise_in_chinese():
    args = ["neutralise", ANALYSES, "--sample", "DJ-1", "--reagent", "Ca(OH)2"]
    args += ["--target-pH", "8.5", "--flow-m3-d", "500"]
    zh = _cli(*args, "--lang", "zh")
    assert english_words(zh.stdout, ALLOWED) == []
    assert zh.stdout.splitlines()[0] == (
        "DJ-1：Ca(OH)2 中和至 pH 8.5：投加量 8.863 mmol/L = 656.6 mg/L；干污泥 1471.7 mg/L"
    )
    en = _cli(*args)
    assert en.stdout.splitlines() == [
        "DJ-1: Ca(OH)2 to pH 8.5: 8.863 mmol/L = 656.6 mg/L; dry sludge 1471.7 mg/L",
        "effluent: pH 8.5, Fe 0.0213, Al 5.07, Mn 12, SO4 1.96e+03, Ca 526",
        "sludge LDS (3 % solids): 48.16 L per m3 treated",
        "sludge HDS (25 % solids): 4.96 L per m3 treated",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--option", "wetland", "--flow-m3-d", "272.55", "--fe-mg-L", "15", "--mn-mg-L", "10"],
        ["--option", "lime_slurry", "--flow-m3-d", "500", "--net-acidity", "300"],
        ["--option", "ald", "--flow-m3-d", "100", "--net-acidity", "150"],
    ],
    ids=["wetland", "lime_slurry", "ald"],
)
def test_cli_size_in_chinese(args):
    zh = _cli("size", *args, "--lang", "zh")
    assert english_words(zh.stdout, ALLOWED) == []
    assert "建设投资：" in zh.stdout


def test_cli_size_english_as_before():
    en = _cli("size", "--option", "ald", "--flow-m3-d", "100", "--net-acidity", "150")
    lines = en.stdout.splitlines()
    assert lines[:5] == [
        "ald (retention_time) at 100 m3/d:",
        "  area: 188.5 m2",
        "  land: 311.7 m2 of land",
        "  volume: 155.0 m3",
        "  limestone: 234.2 t of limestone",
    ]
    assert lines[5].startswith("  capital: ") and lines[5].endswith(" CNY/yr")
    assert lines[6].startswith("  warning: ALD: ")


@pytest.mark.slow
def test_cli_plan_in_chinese_and_english():
    case = str(DAJI / "case.toml")
    zh = _cli("plan", case, "--lang", "zh")
    assert zh.stdout.splitlines()[0] == "大箕已关闭硫铁矿（代表性案例）：最优"
    assert english_words(zh.stdout, ALLOWED + DAJI_NAMES) == []
    assert english_words(zh.stderr, ALLOWED + DAJI_NAMES) == []
    assert "  Receiving stream (丹河 tributary) 枯水期：锰 " in zh.stdout
    en = _cli("plan", case)
    lines = en.stdout.splitlines()
    assert lines[0] == "Daji closed pyrite mine (representative): optimal"
    assert lines[2] == (
        "  Main adit 1# (主平硐): surface-water diversion (截排水沟) -> lime_slurry: Ca(OH)2 657 "
        "mg/L to pH 8.5 (PHREEQC) + mn_bed -> Receiving stream (丹河 tributary) (NPV 9.14 million"
        " CNY)"
    )
    assert en.stderr.splitlines()[-1] == "[100%] done"


def test_english_words_catches_english():
    """The detector the tests above rely on does flag an English sentence."""
    assert english_words("锰 stays dissolved", ALLOWED) == ["stays", "dissolved"]
    assert Path(ANALYSES).is_file()
