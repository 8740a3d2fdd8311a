"""Compliance basis/comment and treatment unit policies as coded messages (issue 14).

English: byte-identical to the strings the code wrote before the messages (written out below as
the old code produced them).  Chinese: rendered from the catalogue, no English words outside the
allowlist of tests/english_words.py (formulas, units, identifiers such as
``qa.hardness_mg_L_CaCO3``, software names).
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from english_words import english_words

import cbmwater
from cbmwater.cli import main
from cbmwater.i18n import Text, message_of, render
from cbmwater.standards import check_compliance
from cbmwater.study import BUNDLED_ANALYSES

# -- compliance -------------------------------------------------------------------------------
#: (values, standard, class, parameter) -> (basis, comment) as the code wrote them before the
#: messages (one case per branch of cbmwater/standards/compliance.py)
OLD_COMPLIANCE = [
    (
        {"Na": 100, "Ca": 10, "Mg": 5, "EC_uS_cm": 800},
        "FAO29",
        "SAR_0-3_no_reduction",
        "SAR",
        "derived: SAR = Na / sqrt((Ca + Mg) / 2), meq/L (qa.sodium_adsorption_ratio)",
        "",
    ),
    (
        {"Na": 100},
        "FAO29",
        "SAR_0-3_no_reduction",
        "EC_uS_cm",
        "",
        "EC not measured (EC_uS_cm); cbmwater never estimates EC from TDS",
    ),
    (
        {"Na": 100, "Ca": 0, "Mg": 0},
        "FAO29",
        "SAR_0-3_no_reduction",
        "SAR",
        "derived: SAR = Na / sqrt((Ca + Mg) / 2), meq/L (qa.sodium_adsorption_ratio)",
        "Ca + Mg = 0: SAR is unbounded",
    ),
    (
        {"Na": 100, "Ca": 10},
        "FAO29",
        "SAR_0-3_no_reduction",
        "SAR",
        "",
        "SAR needs Na, Ca and Mg; not measured: Mg",
    ),
    (
        {"Na": 100, "Ca": "<1", "Mg": "<200"},
        "FAO29",
        "SAR_0-3_no_reduction",
        "SAR",
        "derived: SAR = Na / sqrt((Ca + Mg) / 2), meq/L (qa.sodium_adsorption_ratio)",
        "inputs below detection: Ca (<1), Mg (<200); value uses the half policy, the result uses "
        "the bounds 1.514-inf; bounds 1.514-inf - straddle the limit",
    ),
    (
        {"Ca": 10},
        "GBT14848-2017",
        "III",
        "hardness_CaCO3",
        "",
        "hardness needs Ca and Mg; not measured: Mg",
    ),
    (
        {"Ca": 10},
        "GBT14848-2017",
        "III",
        "TDS",
        "",
        "TDS not reported and the major ions needed to compute it are incomplete (not "
        "measured: Na, Mg, Cl, SO4, HCO3 or CO3)",
    ),
    ({"Ca": 10}, "GBT14848-2017", "III", "Fe", "", "Fe not in the analysis"),
    (
        {"Ca": 10},
        "GBT14848-2017",
        "III",
        "cyanide",
        "",
        "cyanide is not part of a cbmwater analysis file; give it in the values to check it",
    ),
    (
        {"Ca": "<0.5", "Mg": 3, "TDS": "<2000", "Fe": "<0.5"},
        "GBT14848-2017",
        "III",
        "hardness_CaCO3",
        "derived: 50.04 (Ca/20.04 + Mg/12.15) (qa.hardness_mg_L_CaCO3)",
        "inputs below detection: Ca (<0.5); value uses the half policy, the result uses the "
        "bounds 12.35-13.6",
    ),
    (
        {"Ca": "<0.5", "Mg": 3, "TDS": "<2000", "Fe": "<0.5"},
        "GBT14848-2017",
        "III",
        "TDS",
        "reported TDS",
        "reported below detection (<2000); the limit is checked on the interval 0-2000; bounds "
        "0-2000 mg/L straddle the limit",
    ),
    (
        {"Ca": "<0.5", "Mg": 3, "TDS": "<2000", "Fe": "<0.5"},
        "GBT14848-2017",
        "III",
        "Fe",
        "reported",
        "reported below detection (<0.5); the limit is checked on the interval 0-0.5; detection "
        "limit 0.5 mg/L is above the limit",
    ),
    (
        {"Na": 100, "Ca": 10, "Mg": 5, "Cl": 30, "SO4": "<2000", "CO3": 20},
        "GBT14848-2017",
        "III",
        "TDS",
        "derived: evaporative sum of ions, HCO3 x 0.4917 (qa.tds_evaporative_mg_L); TDS not "
        "reported; ions not measured count as zero",
        "inputs below detection: SO4 (<2000); value uses the half policy, the result uses the "
        "bounds 165-2165; bounds 165-2165 mg/L straddle the limit",
    ),
    (
        {"Mg": 10},
        "GBT50050-2017",
        "recirculating_carbon_steel",
        "Ca_hardness_plus_alkalinity_CaCO3",
        "",
        "needs Ca and alkalinity; not measured: Ca, alkalinity",
    ),
    (
        {"Ca": "<500", "HCO3": "<300"},
        "GBT50050-2017",
        "recirculating_carbon_steel",
        "Ca_hardness_plus_alkalinity_CaCO3",
        "derived: 50.04 Ca/20.04 + total alkalinity (reported, else qa.alkalinity_mg_L_CaCO3)",
        "inputs below detection: Ca (<500), HCO3 (<300); value uses the half policy, the "
        "result uses the bounds 0-1495; bounds 0-1495 mg/L CaCO3 straddle the limit",
    ),
]


def _row(values, standard, klass, parameter):
    df = check_compliance(values, standard, klass)
    rows = df[df["parameter"] == parameter]
    assert len(rows) == 1, (standard, klass, parameter)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("values", "standard", "klass", "parameter", "basis", "comment"), OLD_COMPLIANCE
)
def test_compliance_basis_and_comment_keep_english_and_render_in_chinese(
    values, standard, klass, parameter, basis, comment
):
    r = _row(values, standard, klass, parameter)
    assert r["basis"] == basis  # English byte-identical to the old code's
    assert r["comment"] == comment
    for text in (r["basis"], r["comment"]):
        if not text:
            continue
        # the frame keeps the Text (a pandas 3 string column would drop the message)
        assert isinstance(text, Text), repr(text)
        msg = text.message
        assert msg.code.startswith(("compliance.", "list.")), msg.code
        assert msg.render("en") == text
        zh = msg.render("zh")
        assert zh != text and not english_words(zh), (zh, english_words(zh))


def test_compliance_chinese_hand_checked():
    """Three Chinese renderings checked by hand: names from the catalogue, the censored input
    list, the unbounded upper bound."""
    r = _row({"Ca": 10}, "GBT14848-2017", "III", "TDS")
    assert render(r["comment"], "zh") == (
        "未报告溶解性总固体（TDS），计算所需的主要离子不全（未检测：钠、镁、氯化物、硫酸盐、HCO3或CO3）"
    )
    r = _row({"Na": 100, "Ca": "<1", "Mg": "<200"}, "FAO29", "SAR_0-3_no_reduction", "SAR")
    assert render(r["comment"], "zh") == (
        "计算所用数据有未检出值：钙<1、镁<200；计算值按检出限的一半取值，判定按上下界1.514～∞；"
        "上下界1.514～∞ （无量纲）跨越标准限值"
    )
    r = _row({"Na": 100, "Ca": 10, "Mg": 5}, "FAO29", "SAR_0-3_no_reduction", "SAR")
    assert render(r["basis"], "zh").startswith("计算值：SAR = Na / √((Ca + Mg) / 2)")


def test_compliance_of_the_bundled_set_in_chinese():
    """Every sample of the bundled Qinshui set against GB/T 14848 III: each row's basis_i18n
    and comment_i18n render the English field exactly and Chinese without English words; the
    JSON round-trips; hand-checked rows of SZ-3-01."""
    res = cbmwater.compliance(BUNDLED_ANALYSES, "GBT14848-2017", "III")
    d = res.to_dict()
    assert cbmwater.ComplianceResult.from_dict(d).to_dict() == d
    codes = set()
    n = 0
    for smp in d["samples"]:
        for r in smp["rows"]:
            for key in ("basis", "comment"):
                msg = r[f"{key}_i18n"]
                if not r[key]:
                    assert msg is None
                    continue
                n += 1
                codes.add(msg["code"])
                assert render(msg, "en") == r[key]
                zh = render(msg, "zh")
                assert not english_words(zh, ["苯并(b)荧蒽"]), (zh, english_words(zh))
    assert n > 1000
    assert {
        "compliance.basis.reported",
        "compliance.basis.reported_tds",
        "compliance.basis.hardness",
        "compliance.comment.external",
        "compliance.comment.not_in_analysis",
        "compliance.comment.reported_censored",
    } <= codes, codes
    rows = {r["parameter"]: r for r in d["samples"][0]["rows"]}
    assert d["samples"][0]["sample_id"] == "SZ-3-01"
    assert rows["TDS"]["basis"] == "reported TDS"
    assert render(rows["TDS"]["basis_i18n"], "zh") == "实测溶解性总固体（TDS）"
    assert rows["hardness_CaCO3"]["basis"] == (
        "derived: 50.04 (Ca/20.04 + Mg/12.15) (qa.hardness_mg_L_CaCO3)"
    )
    assert render(rows["Cu"]["comment_i18n"], "zh") == (
        "铜不在cbmwater水质分析文件的检测项目内；如需判定，请在输入值中给出"
    )
    # the CSV table is as before: no message columns
    assert "basis_i18n" not in res.to_frame("limits").columns


def test_cli_compliance_text_fully_in_chinese(tmp_path):
    """`compliance --lang zh`: the whole table, basis/comment column included, and the --out
    summary line are Chinese; --lang en as before."""
    args = ["compliance", str(BUNDLED_ANALYSES), "--standard", "GBT14848-2017", "--class", "III"]
    zh = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    words = set(english_words(zh.output, ["PCU", "NTU", "CODMn", "MPN", "CFU", "苯并(b)荧蒽"]))
    assert not words, words
    assert "依据 / 说明" in zh.output and "实测溶解性总固体（TDS）" in zh.output
    en = CliRunner().invoke(main, [*args, "--sample", "SZ-3-01"])
    assert "  pH" in en.output and "reported TDS" in en.output
    out = tmp_path / "c.csv"
    zh = CliRunner().invoke(main, [*args, "--sample", "SZ-3-01", "--out", str(out), "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert "已按GBT14848-2017 III类判定1个水样" in zh.output and "超标水样：SZ-3-01" in zh.output
    en = CliRunner().invoke(main, [*args, "--sample", "SZ-3-01", "--out", str(out)])
    assert (
        f"1 samples checked against GBT14848-2017 class III -> {out}; failing: SZ-3-01" in en.output
    )


# -- treatment unit policies ------------------------------------------------------------------
#: the policy sentences of cbmwater/treatment/policies.py before the messages
OLD_EVERY = (
    "ammonium stays NH4 (decoupled from nitrate), nitrate and sulfate are not reduced; total "
    "Fe of a produced water is Fe(II)"
)
OLD_CO2 = {
    "membrane passes free CO2: concentrate held at the feed's pCO2 (FilmTec), permeate carries "
    "the feed's CO2 and the bicarbonate that passes",
    "closed: the concentrate keeps all CO2 (comparison only; understates scaling)",
    "open to air: equilibrium with CO2(g) at params.log_pCO2 and O2(g) at params.log_pO2 (a "
    "stated approach to the atmosphere)",
    "open to air: equilibrium with CO2(g) at params.log_pCO2 (and O2 with air)",
    "bicarbonate decomposes in the boiling brine; its CO2 is vented with the non-condensable gases",
    "open pond: the water evaporates; carbonate stays in the salt",
    "closed: no exchange with air (tank or pipe contact, CO2 kept)",
    "closed column: the H+ released turns HCO3- into dissolved CO2, which stays in the water "
    "(total inorganic carbon conserved, PHREEQC gives the lower pH); it leaves only at a "
    "degasser",
}
OLD_REDOX = {
    "oxidising: O2 (or the stated oxidant) converts Fe(II) to Fe(III); Mn stays Mn(II) unless "
    "pyrolusite is an allowed precipitate",
    "air contact: the water leaves saturated with O2 (oxic product)",
    "none; dissolved O2 leaves with the vented gases",
    "removes dissolved oxygen (reductant dose)",
    "no oxidation or reduction",
}
OLD_SOLIDS = {
    "calcite, brucite, siderite and rhodochrosite precipitate (PHREEQC) and leave with the "
    "sludge, with the TSS captured",
    "the precipitate stays suspended (carried on as TSS to the next clarifier or filter) unless "
    "the unit has a sludge residual",
    "the coagulant's Al enters the water and precipitates as gibbsite floc, carried on as TSS "
    "to the clarifier; its chloride stays dissolved",
    "none precipitate (only the listed phases may)",
    "none",
    "calcite dissolves (bought as contactor media)",
    "none: ions are rejected to the concentrate (antiscalant keeps minerals below their SI "
    "allowance)",
    "salt crystallises above the mother-liquor concentration; the salt cake carries its "
    "composition",
    "everything dissolved stays in the pond's salt",
    "none: the Ca, Mg, Sr and Ba taken up (hardness up to the alkalinity) leave dissolved in "
    "the acid regenerant brine",
    "what the unit removes (TSS, floc) leaves as sludge with its water",
    "what the unit removes leaves with the spent media",
    "what the unit removes leaves dissolved in its brine",
    "what the unit holds back leaves in its backwash water",
    "what the unit removes leaves to air",
}
#: unit -> (co2, redox action, solids) of the old code, by hand for five kinds of unit
OLD_BY_UNIT = {
    "cartridge_filter": (
        "closed: no exchange with air (tank or pipe contact, CO2 kept)",
        "no oxidation or reduction",
        "what the unit removes leaves with the spent media",
    ),
    "brackish_ro": (
        "membrane passes free CO2: concentrate held at the feed's pCO2 (FilmTec), permeate "
        "carries the feed's CO2 and the bicarbonate that passes",
        "no oxidation or reduction",
        "none: ions are rejected to the concentrate (antiscalant keeps minerals below their SI "
        "allowance)",
    ),
    "mvc_concentrator": (
        "bicarbonate decomposes in the boiling brine; its CO2 is vented with the "
        "non-condensable gases",
        "none; dissolved O2 leaves with the vented gases",
        "salt crystallises above the mother-liquor concentration; the salt cake carries its "
        "composition",
    ),
    "aeration": (
        "open to air: equilibrium with CO2(g) at params.log_pCO2 and O2(g) at params.log_pO2 "
        "(a stated approach to the atmosphere)",
        "oxidising: O2 (or the stated oxidant) converts Fe(II) to Fe(III); Mn stays Mn(II) "
        "unless pyrolusite is an allowed precipitate",
        "the precipitate stays suspended (carried on as TSS to the next clarifier or filter) "
        "unless the unit has a sludge residual",
    ),
    "wac_exchange": (
        "closed column: the H+ released turns HCO3- into dissolved CO2, which stays in the "
        "water (total inorganic carbon conserved, PHREEQC gives the lower pH); it leaves only "
        "at a degasser",
        "no oxidation or reduction",
        "none: the Ca, Mg, Sr and Ba taken up (hardness up to the alkalinity) leave dissolved "
        "in the acid regenerant brine",
    ),
}


def _policy_zh_offenders(policies):
    out = {}
    for key, text in policies.items():
        zh = render(text, "zh")
        assert zh != str(text), (key, text)
        if english_words(zh):
            out[zh] = english_words(zh)
    return out


def test_every_unit_policy_keeps_english_and_renders_in_chinese():
    """Every unit of the bundled library (and a membrane with the closed CO2 policy): the
    English sentences are the old ones, each a coded message, Chinese without English words."""
    import dataclasses

    from cbmwater.treatment.library import load_library
    from cbmwater.treatment.policies import REDOX_EVERY_UNIT, unit_policies

    assert REDOX_EVERY_UNIT == OLD_EVERY
    specs = list(load_library())
    ro = next(u for u in specs if u.id == "brackish_ro")
    specs.append(dataclasses.replace(ro, params={**ro.params, "co2_policy": "closed"}))
    seen = {"co2": set(), "redox": set(), "solids": set()}
    for spec in specs:
        p = unit_policies(spec)
        assert p["co2"] in OLD_CO2, (spec.id, p["co2"])
        assert p["solids"] in OLD_SOLIDS, (spec.id, p["solids"])
        action, _, every = p["redox"].partition("; ammonium")
        assert action in OLD_REDOX and "ammonium" + every == OLD_EVERY, (spec.id, p["redox"])
        if spec.id in OLD_BY_UNIT and spec is not specs[-1]:
            co2, redox, solids = OLD_BY_UNIT[spec.id]
            assert p == {"co2": co2, "redox": f"{redox}; {OLD_EVERY}", "solids": solids}
        for key, text in p.items():
            assert isinstance(text, Text) and text.message.render("en") == text
            assert message_of(text).code != "text.untranslated"
            seen[key].add(str(text))
        assert not _policy_zh_offenders(p), (spec.id, _policy_zh_offenders(p))
    assert (
        "closed: the concentrate keeps all CO2 (comparison only; understates scaling)"
        in seen["co2"]
    )
    # the library reaches most of the sentences (the rest are models it has no unit of)
    assert len(seen["co2"]) >= 7 and len(seen["solids"]) >= 12, seen


def test_treat_stages_carry_policies_in_chinese():
    """A real train (PHREEQC) on a bundled sample: every stage's ``policies_i18n`` renders its
    English ``policies`` exactly and Chinese without English words; the app's policy table
    shows them in the page language."""
    from cbmwater.app import logic_treatment as LT

    res = cbmwater.treat(
        BUNDLED_ANALYSES,
        ["cartridge_filter", "brackish_ro", "mvc_concentrator"],
        flow_m3_d=500,
        sample="SZ-3-01",
    )
    d = res.to_dict()
    assert cbmwater.TreatmentResult.from_dict(d).to_dict() == d
    for s in d["stages"]:
        co2, redox, solids = OLD_BY_UNIT[s["unit"]]
        assert s["policies"] == {"co2": co2, "redox": f"{redox}; {OLD_EVERY}", "solids": solids}
        assert set(s["policies_i18n"]) == {"co2", "redox", "solids"}
        for key, msg in s["policies_i18n"].items():
            assert msg["code"].startswith(("treatment.policy.", "list.")), msg
            assert render(msg, "en") == s["policies"][key]
            zh = render(msg, "zh")
            assert not english_words(zh), (zh, english_words(zh))
    ro = d["stages"][1]["policies_i18n"]
    assert render(ro["solids"], "zh") == (
        "无：离子被截留至浓水（阻垢剂使各矿物的饱和指数（SI）不超过允许值）"
    )
    assert render(ro["redox"], "zh") == (
        "无氧化或还原反应；铵保持为NH4（与硝酸盐解耦），硝酸盐和硫酸盐不被还原；采出水的总铁按Fe(II)计"
    )
    en = LT.policy_table(d, "en")
    assert list(en["co2"]) == [s["policies"]["co2"] for s in d["stages"]]
    zh = LT.policy_table(d, "zh")
    cells = [str(v) for c in ("unit", "co2", "redox", "solids") for v in zh[c]]
    assert not [c for c in cells if english_words(c)], [english_words(c) for c in cells]
    assert zh["co2"].iloc[2] == "碳酸氢根在沸腾的浓盐水中分解，生成的CO2随不凝气排出"


# -- train errors: order rules (with the reason of each rule) and train input --------------------
def test_every_order_rule_error_keeps_english_and_renders_in_chinese():
    """For every rule of precedence.csv, a train that breaks it: the English error is the old
    sentence (built here from the rule as the old code did), the Chinese one quotes the rule's
    reason_zh and names the units in Chinese."""
    from cbmwater.errors import InputError
    from cbmwater.i18n import catalogue
    from cbmwater.treatment.library import load_library
    from cbmwater.treatment.precedence import check_order, load_rules

    lib = load_library()
    rules = load_rules(lib)
    assert len(rules) >= 25
    for r in rules:
        if r.rule == "requires_before":
            train = [r.unit]
            old = (
                f"impossible order: {r.unit} needs one of {', '.join(r.other_units)} before it "
                f"({r.reason})"
            )
        else:
            train = [r.other_units[0], r.unit]
            old = f"impossible order: {r.unit} may not come after {r.other_units[0]} ({r.reason})"
        with pytest.raises(InputError) as e:
            check_order(train, lib, (r,))
        assert str(e.value) == old
        zh = e.value.render("zh")
        assert r.reason_zh and r.reason_zh in zh, (zh, r.reason_zh)
        assert catalogue("zh", "engine").get(f"unit.{r.unit}") in zh
        assert not english_words(zh), (zh, english_words(zh))
    with pytest.raises(InputError) as e:
        check_order(["cartridge_filter", "brackish_ro", "brackish_ro"], lib)
    assert str(e.value) == "unit 'brackish_ro' appears twice in the train"
    assert e.value.render("zh") == "单元“苦咸水反渗透”在处理流程中出现了两次"
    with pytest.raises(InputError) as e:
        check_order(["brackish_ro"], lib)
    assert e.value.render("zh").startswith(
        "单元顺序不可行：苦咸水反渗透之前须先有以下单元之一：保安过滤器（精密过滤器）、超滤（"
        "卷式反渗透膜元件需要5 µm保安过滤器或超滤保护"
    )


WATER = {
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
#: (train, treat options, the old English error)
OLD_TRAIN_ERRORS = [
    (["a", " "], {}, "empty unit name in train ['a', ' ']; separate unit ids with commas"),
    (
        ["cartridge_filter:7", "brackish_ro"],
        {},
        "cartridge_filter has no target pH to set (only units such as ph_adjustment, "
        "lime_softening take 'unit:pH'); got 'cartridge_filter:7'",
    ),
    (
        ["cartridge_filter", "ph_adjustment:abc"],
        {},
        "target pH in 'ph_adjustment:abc' must be a number, e.g. ph_adjustment:6.5",
    ),
    (
        ["cartridge_filter", "ph_adjustment:14"],
        {},
        "target pH in 'ph_adjustment:14' must be between 2 and 13",
    ),
    (
        ["cartridge_filter"],
        {"flow_m3_d": -1},
        "--flow-m3-d must be a positive number of m3/d; got -1",
    ),
    (
        ["cartridge_filter"],
        {"redox": "measured"},
        "treatment streams carry total Fe only, so redox 'measured' cannot be used in a train; "
        "use fe2 (default) or pe:VALUE (e.g. pe:4)",
    ),
    (
        5,
        {},
        "train must be a list of unit ids or a comma-separated string, e.g. "
        "'coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro'",
    ),
    ([], {}, "a train needs at least one unit"),
]


@pytest.mark.parametrize(("train", "options", "old"), OLD_TRAIN_ERRORS)
def test_train_input_errors_keep_english_and_render_in_chinese(train, options, old):
    from cbmwater.errors import InputError

    with pytest.raises(InputError) as e:
        cbmwater.treat(WATER, train, **{"flow_m3_d": 10, **options})
    assert str(e.value) == old
    assert e.value.message is not None and e.value.message.code.startswith("treatment.")
    zh = e.value.render("zh")
    # what the user typed or types (quoted tokens and examples, the redox option) stays as is
    words = [
        w for w in english_words(re.sub(r"'[^']*'", " ", zh)) if w not in ("measured", "redox")
    ]
    assert zh != old and not words, (zh, words)


def test_unknown_unit_error_in_chinese():
    from cbmwater.errors import InputError

    with pytest.raises(InputError) as e:
        cbmwater.treat(WATER, ["cartridge_filte", "brackish_ro"], flow_m3_d=10)
    assert str(e.value).startswith(
        "unknown unit 'cartridge_filte'; did you mean 'cartridge_filter' or 'multimedia_filter' "
        "or 'greensand_filter'? Known units: activated_alumina, aeration,"
    )
    assert e.value.render("zh").startswith(
        "未知单元'cartridge_filte'；是否指'cartridge_filter'、'multimedia_filter'或"
        "'greensand_filter'？可用的单元编号：activated_alumina, aeration,"
    )


def test_app_order_error_in_the_page_language():
    from cbmwater.app import logic_treatment as LT

    assert (
        LT.order_error(["coagulation", "sedimentation", "cartridge_filter", "brackish_ro"]) is None
    )
    en = LT.order_error(["coagulation", "sedimentation", "brackish_ro"])
    assert en.startswith("impossible order: brackish_ro needs one of cartridge_filter, ")
    zh = LT.order_error(["coagulation", "sedimentation", "brackish_ro"], "zh")
    assert zh.startswith("单元顺序不可行：苦咸水反渗透之前须先有以下单元之一")
    assert not english_words(zh), english_words(zh)


def test_review_inconclusive_finding_quotes_the_compliance_comment_in_chinese(tmp_path):
    """A real review (PHREEQC mixing) of the bundled barite proposal with the injectate's Fe
    reported as <5 mg/L (SY/T 5329 limit 0.5): the inconclusive finding quotes the compliance
    comment, coded, in both languages (the review reads it from the compliance frame)."""
    import shutil

    from cbmwater.resources import example_path

    src = example_path("reinjection", "barite_scaling.toml")
    shutil.copy(src, tmp_path / src.name)
    waters = (src.parent / "waters.csv").read_text(encoding="utf-8")
    old_row = "INJ-SO4,20.0,7.6,420,2.0,18,6.0,0.1,"
    assert old_row in waters
    waters = waters.replace(old_row, "INJ-SO4,20.0,7.6,420,2.0,18,6.0,<5,")
    (tmp_path / "waters.csv").write_text(waters, encoding="utf-8")
    d = cbmwater.review(tmp_path / src.name).to_dict()
    (f,) = [f for f in d["findings"] if f["code"] == "STANDARD_INCONCLUSIVE"]
    assert f["message"] == (
        "injectate Fe is below a detection limit above the limit (reported below detection "
        "(<5); the limit is checked on the interval 0-5; detection limit 5 mg/L is above the "
        "limit)"
    )
    assert render(f["message_i18n"], "zh") == (
        "回注水铁未检出，但检出限高于标准限值，无法判定是否达标（未检出（<5）；按区间0～5判定是否达标；"
        "检出限5 mg/L高于标准限值）"
    )


def test_compliance_input_errors_keep_english_and_render_in_chinese():
    from cbmwater.errors import InputError

    with pytest.raises(InputError) as e:
        check_compliance({"Naa": 1}, "GBT14848-2017", "III")
    assert str(e.value).startswith(
        "column 'Naa': unknown parameter 'Naa'; did you mean Na? Allowed: canonical "
        "constituents (temp_C, pH, Na, K,"
    )
    assert str(e.value).endswith("or the parameters of cbmwater.standards.table.PARAMETERS")
    assert e.value.render("zh").startswith("列'Naa'：未知指标'Naa'；是否指Na？可用：标准组分名（")
    with pytest.raises(InputError) as e:
        check_compliance({"Na": 1}, "GBT14848-2017", "III", censored_policy="third")
    assert str(e.value) == "unknown censored-value policy 'third'; allowed: half, zero, limit"
    assert e.value.render("zh") == "未知的未检出值取值方法'third'；可选：half, zero, limit"


def test_cli_treat_order_error_in_chinese():
    """`treat --lang zh` with an impossible order: the error (with the rule's reason) is
    Chinese; without --lang it is the old English sentence."""
    args = ["treat", str(BUNDLED_ANALYSES), "--sample", "SZ-3-01", "--flow-m3-d", "500"]
    args += ["--train", "coagulation,sedimentation,brackish_ro"]
    zh = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert zh.exit_code == 2
    assert "单元顺序不可行：苦咸水反渗透之前须先有以下单元之一" in zh.output
    assert not english_words(zh.output), english_words(zh.output)
    en = CliRunner().invoke(main, args)
    assert (
        "impossible order: brackish_ro needs one of cartridge_filter, ultrafiltration before it "
        "(spiral-wound RO elements need 5-um cartridge" in en.output
    )
