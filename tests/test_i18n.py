"""Engine messages: every code in both catalogues, the same format fields in en and zh, the
glossary's terms (no known mistranslation), a real review rendered in Chinese without English
words, names in the catalogue agree with the data, errors render in Chinese, CLI --lang zh."""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from english_words import english_words

import cbmwater
from cbmwater.cli import main
from cbmwater.errors import InputError
from cbmwater.i18n import Text, catalogue, message_of, render
from cbmwater.resources import example_path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cbmwater"
BARITE = example_path("reinjection", "barite_scaling.toml")
sys.path.insert(0, str(ROOT / "tools"))


def _fields(template: str) -> set[str]:
    """The str.format field names of a template (``{si:.2f}`` -> ``si``)."""
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}


def _code_literals() -> set[tuple[str, str]]:
    """(file, code) for every literal code the engine builds a message from: the first argument
    of ``Message(...)``, ``Text.of(...)`` and the review's ``_t(...)`` (prefixed ``review.``);
    f-strings contribute their constant prefix only when they are whole codes (none are)."""
    out = set()
    for path in PACKAGE.rglob("*.py"):
        if "app" in path.relative_to(PACKAGE).parts[:1]:
            continue  # the app's own strings live in the app domain
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            arg = node.args[0]
            if name == "_t" and "reinjection" not in path.parts:
                continue  # the reports' own _t is the reports domain (tests/test_reports.py)
            if name in ("Message", "of", "_t") and isinstance(arg, ast.Constant):
                code = ("review." if name == "_t" else "") + str(arg.value)
                out.add((str(path.relative_to(ROOT)), code))
    return out


def test_every_code_in_the_code_base_is_in_both_catalogues():
    codes = _code_literals()
    assert len(codes) > 50  # the scan finds the engine's messages (an empty scan proves nothing)
    for lang in ("en", "zh"):
        cat = catalogue(lang, "engine")
        missing = sorted(f"{f}: {c}" for f, c in codes if not cat.get(c))
        assert not missing, f"{lang}: {missing}"


def test_catalogues_hold_the_same_codes_with_the_same_fields():
    en, zh = catalogue("en", "engine").messages, catalogue("zh", "engine").messages
    assert set(en) == set(zh)
    assert len(en) > 250
    for code in en:
        assert en[code].strip() and zh[code].strip(), code
        assert _fields(en[code]) == _fields(zh[code]), code


def test_po_files_are_written_by_the_tool(tmp_path):
    import po_catalogue

    assert po_catalogue.check() == []


def test_names_in_the_catalogue_agree_with_the_data():
    """Substance, phase, constituent, unit and standard names are generated from the data
    (tools/po_catalogue.py names): a changed name in the data must be regenerated."""
    import po_catalogue

    entries = po_catalogue.name_entries()
    assert {
        "substance.Barite",
        "phase.Barite",
        "unit.cartridge_filter",
        "standard.GBT14848-2017",
    } <= set(entries)
    for lang in ("en", "zh"):
        cat = catalogue(lang, "engine")
        wrong = {c: (cat.get(c), t[lang]) for c, t in entries.items() if cat.get(c) != t[lang]}
        assert not wrong, wrong


def test_glossary_terms_and_no_known_mistranslation():
    zh = catalogue("zh", "engine").messages
    text = "\n".join(zh.values())
    # the glossary's "NOT" column (glossary [GZ] (docs/references.md))
    for bad in (
        "恢复",
        "缩放",
        "判决",
        "绿砂",
        "脱气器",
        "澄清器",
        "物种形成",
        "食盐",
        "捆绑",
        "目的地",
        "拒绝",
        "碳酸氢钠",
        "集气站",
    ):
        assert bad not in text, bad
    # and the terms it prescribes, where the catalogue has the concept
    assert zh["review.verdict.pass"] == "通过"
    assert zh["review.verdict.conditional"] == "有条件通过"
    assert zh["review.verdict.fail"] == "不通过"
    assert zh["review.verdict_line"].startswith("审查结论：")
    assert zh["unit.cartridge_filter"].startswith("保安过滤器")
    assert zh["unit.greensand_filter"] == "锰砂过滤器"
    assert zh["unit.degasser"].startswith("脱碳器")
    assert zh["substance.Halite"] == "石盐"
    assert zh["substance.Strontianite"] == "菱锶矿"
    assert zh["standard.GBT14848-2017"] == "《地下水质量标准》（GB/T 14848—2017）"


def test_text_keeps_english_and_message():
    t = Text.of("review.verdict.conditional")
    assert t == "conditional" and isinstance(t, str)
    assert render(t, "zh") == "有条件通过"
    assert render(message_of("plain"), "zh") == "plain"  # untranslated text shown as is
    import copy
    import pickle

    assert pickle.loads(pickle.dumps(t)).message == t.message
    assert copy.deepcopy(t).message == t.message


@pytest.fixture(scope="module")
def barite_review():
    return cbmwater.review(BARITE)


def test_review_dict_keeps_english_and_adds_messages(barite_review):
    d = barite_review.to_dict()
    assert d["verdict"] == "fail" and d["verdict_i18n"]["code"] == "review.verdict.fail"
    for f in d["findings"]:
        # the English text is the message rendered in English, code and params kept
        assert f["message"] == f["message_i18n"]["text"] == render(f["message_i18n"], "en")
        assert f["basis"] == render(f["basis_i18n"], "en")
    assert d["conditions"] == render(d["conditions_i18n"], "en")
    assert d["assumptions"] == render(d["assumptions_i18n"], "en")
    # hand check of one finding: the barite scale warning, in both languages
    f = next(f for f in d["findings"] if f["code"] == "SCALE_BARITE")
    ev = f["evidence"]
    assert f["message"].startswith(f"Barite is supersaturated (SI up to {ev['max_si']:.2f})")
    zh = render(f["message_i18n"], "zh")
    assert zh.startswith(f"重晶石（BaSO4）过饱和（饱和指数SI最高{ev['max_si']:.2f}）")
    assert f"{ev['max_scale_mg_L']:.3g} mg/L" in zh
    # stored JSON renders again in the other language (cbmwater.render on a dict)
    assert cbmwater.ReviewResult.from_dict(d).verdict_reason_i18n == d["verdict_reason_i18n"]


def test_review_in_chinese_has_no_english_words(barite_review):
    d = barite_review.to_dict()
    p = barite_review.review.proposal
    allowed = [a.name for a in p.aquifers] + [p.title, p.formation_name, p.lithology]
    texts = [render(d["verdict_i18n"], "zh"), render(d["verdict_reason_i18n"], "zh")]
    texts += render(d["conditions_i18n"], "zh") + render(d["assumptions_i18n"], "zh")
    texts += render(d["warnings_i18n"], "zh")
    for f in d["findings"]:
        texts += [render(f["message_i18n"], "zh"), render(f["basis_i18n"], "zh")]
        if f["condition_i18n"]:
            texts.append(render(f["condition_i18n"], "zh"))
    assert len(texts) > 15
    bad = {t: english_words(t, allowed) for t in texts if english_words(t, allowed)}
    assert not bad, bad
    # the checker itself finds English
    assert english_words("重晶石 is supersaturated") == ["is", "supersaturated"]
    assert (
        english_words("《地下水质量标准》（GB/T 14848—2017）Ⅲ类 TDS 1000 mg/L BaSO4 PHREEQC") == []
    )


def test_errors_render_in_chinese(tmp_path):
    with pytest.raises(InputError) as e:
        cbmwater.characterise(tmp_path / "missing.csv")
    assert str(e.value).endswith("missing.csv: file not found")  # English unchanged
    assert e.value.render("zh").endswith("missing.csv：文件不存在")
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_id,Sodiun\nA,10\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        cbmwater.characterise(bad)
    zh = e.value.render("zh")
    assert "未知列名'Sodiun'" in zh and "是否指" in zh
    assert not english_words(
        zh.split("可用列名")[0], ["Sodiun", "bad", "csv", "sample_id", "'sodium'"]
    )
    from cbmwater.validation import check_number

    with pytest.raises(InputError) as e:
        check_number(5, "flow", lo=0, hi=1, table="site", file="c.toml")
    assert str(e.value) == "file c.toml, value '5': [site] field 'flow': must be >= 0 and <= 1"
    assert e.value.render("zh") == "文件c.toml，值'5'：[site]字段'flow'：须为>= 0且<= 1"


def test_cli_review_text_in_chinese():
    res = CliRunner().invoke(main, ["review", str(BARITE), "--format", "text", "--lang", "zh"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("审查结论：不通过\n")
    assert "重晶石（BaSO4）过饱和" in res.output
    lines = [ln.split(":", 1)[-1] for ln in res.output.splitlines()]  # drop the finding codes
    assert not english_words(
        "\n".join(lines), ["Quaternary pore aquifer", "Shihezi Formation sandstone fissure aquifer"]
    )
    en = CliRunner().invoke(main, ["review", str(BARITE), "--format", "text"])
    assert en.output.startswith("Verdict: fail\n")


def test_cli_errors_in_chinese(tmp_path):
    res = CliRunner().invoke(main, ["characterise", str(tmp_path / "x.csv"), "--lang", "zh"])
    assert res.exit_code == 2
    assert re.fullmatch(r"错误：文件.*x\.csv：文件不存在\n", res.output)
    res = CliRunner().invoke(main, ["characterise", str(tmp_path / "x.csv")])
    assert res.output.startswith("error: file ") and res.output.endswith("file not found\n")


def _zh_without_english(dicts, allowed=()):
    """Render message dicts in Chinese; return {zh text: English words} of the offenders."""
    out = {}
    for d in dicts:
        zh = render(d, "zh")
        assert zh != d["text"] or d["code"] == "text.untranslated", d
        if english_words(zh, allowed):
            out[zh] = english_words(zh, allowed)
    return out


def test_treatment_warnings_keep_english_and_render_in_chinese():
    """A real train (PHREEQC): censored value, RO recovery limit, Mn above the RO feed
    guideline, low permeate pH, MVC pH and ammonium notes and capital curves below Q_min."""
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
        "Mn": 0.3,
        "Ba": "<0.05",
        "NH4_N": 2.0,
    }
    res = cbmwater.treat(
        water, ["cartridge_filter", "brackish_ro", "mvc_concentrator"], flow_m3_d=20
    )
    d = res.to_dict()
    assert d["warnings"] == render(d["warnings_i18n"], "en")  # English unchanged
    assert all(m["code"] != "text.untranslated" for m in d["warnings_i18n"])
    codes = {m["code"] for m in d["warnings_i18n"]}
    assert {
        "water.censored_note",
        "treatment.warn.recovery_limited",
        "treatment.warn.membrane_feed_guideline",
        "treatment.warn.thermal_pH",
        "treatment.warn.thermal_ammonium",
        "treatment.warn.capital_below_min.floor",
    } <= codes
    # hand check: the censored barium note (half of 0.05 mg/L) in both languages
    assert d["warnings"][0] == "Ba below detection (<0.05 mg/L); 0.025 used (half policy)"
    assert (
        render(d["warnings_i18n"][0], "zh") == "钡未检出（<0.05 mg/L），按检出限的一半取0.025 mg/L"
    )
    zh = render(d["warnings_i18n"], "zh")
    assert any(z.startswith("苦咸水反渗透：进水锰 0.3 mg/L高于膜进水指导值0.05 mg/L") for z in zh)
    assert not _zh_without_english(d["warnings_i18n"])
    assert cbmwater.TreatmentResult.from_dict(d).warnings_i18n == d["warnings_i18n"]


def _hand_case_variant(tmp_path):
    """The hand case of tests/test_optimise.py made infeasible on purpose: station A mixes two
    wells of which one has no F, River takes no blending and only 60 m3/d, and a third train
    (RO) leaves a brine."""
    src = ROOT / "tests" / "data" / "optimise" / "hand"
    case = (src / "case.toml").read_text(encoding="utf-8")
    case = case.replace("dilution = true", "dilution = false")
    case = case.replace("capacity_m3_d = 1000", "capacity_m3_d = 60")
    case += '\n[[trains]]\nname = "ro_train"\nunits = "cartridge_filter,brackish_ro"\n'
    (tmp_path / "case.toml").write_text(case, encoding="utf-8")
    (tmp_path / "analyses.csv").write_text(
        "sample_id,temp_C,pH,Na,K,Ca,Mg,Cl,SO4,HCO3,F\n"
        "A-1,20,7.8,230,2,8,3,60,20,490,0.6\n"
        "A-2,20,7.8,230,2,8,3,60,20,490,\n"
        "B-1,20,8.0,240,2,6,2,60,20,500,3.0\n",
        encoding="utf-8",
    )
    (tmp_path / "wells.csv").write_text(
        "well,station,analysis,qi_m3_d,Di_per_yr,b\nA1,A,A-1,50,0,0\nA2,A,A-2,50,0,0\n"
        "B1,B,B-1,100,0,0\n",
        encoding="utf-8",
    )
    return tmp_path / "case.toml"


@pytest.fixture(scope="module")
def hand_variant_plan(tmp_path_factory):
    """The infeasible optimisation of :func:`_hand_case_variant` (HiGHS, ~1 s), run once for
    the two tests that read its messages."""
    return cbmwater.optimise(_hand_case_variant(tmp_path_factory.mktemp("hand"))).to_dict()


@pytest.fixture(scope="module")
def daji_plan():
    """The bundled Daji mine-water plan (PHREEQC and HiGHS, ~4 s), run once for the two tests
    that read its reasons."""
    return cbmwater.minewater_plan(example_path("daji_old_mine", "case.toml")).to_dict()


@pytest.mark.xdist_group("i18n_real_results")  # one worker: the fixtures run once
def test_optimisation_messages_render_in_chinese(hand_variant_plan):
    """A real optimisation (HiGHS, ~1 s): warnings, presolve, exclusions (message and fix),
    infeasibility items and summary keep their English and render in Chinese."""
    d = hand_variant_plan
    assert d["status"] == "infeasible"
    # English unchanged: each text field is its message rendered in English
    assert d["warnings"] == render(d["warnings_i18n"], "en")
    assert d["warnings"] == [
        "station A: F measured in only some of its wells' analyses; the station value "
        "averages the wells that measured it (flow-weighted)"
    ]
    items = d["presolve"] + d["exclusions"] + d["infeasibility"]["items"]
    for it in items:
        assert it["message"] == render(it["message_i18n"], "en")
        if it.get("fix"):
            assert it["fix"] == render(it["fix_i18n"], "en")
    assert d["infeasibility"]["summary"] == render(d["infeasibility"]["summary_i18n"], "en")
    # hand check: 200 m3/d produced, destinations take 100 + 60 m3/d
    assert render(d["presolve"][0]["message_i18n"], "zh") == (
        "第1期：采出水量为200 m3/d，而所有去向合计最多只能接收160 m3/d"
    )
    ex = next(e for e in d["exclusions"] if (e["site"], e["train"]) == ("B", "direct"))
    assert ex["message"].startswith("River rejects the product of B/direct in period 1: F 3 mg/L")
    assert render(ex["message_i18n"], "zh").startswith(
        "River在第1期不接收B/direct的产水：氟化物 3 mg/L > 1 mg/L"
    )
    dicts = d["warnings_i18n"] + [it["message_i18n"] for it in items]
    dicts += d["infeasibility"]["summary_i18n"]
    assert len(dicts) >= 8
    assert all(m["code"] != "text.untranslated" for m in dicts)
    # names from the case and the limit source written by the case loader (not converted yet)
    allowed = ["River", "Reuse", "defluoridation", "direct"]
    assert not _zh_without_english(dicts, allowed)
    assert cbmwater.NetworkPlan.from_dict(d).warnings_i18n == d["warnings_i18n"]


def test_mine_rules_reasons_render_in_chinese():
    """The passive/active selection rules on a hand-made net-acidic, oxic water."""
    from cbmwater.minewater.rules import admissible_options

    water = {"pH": 3.0, "DO": 1.8, "Fe3": 60.0, "Fe": 240.0, "Al": 45.0, "Mn": 8.0}
    verdicts = [v.as_dict() for v in admissible_options(water, 500.0, flow_m3_d=2000)]
    ald = next(v for v in verdicts if v["option"] == "ald")
    # hand check: net acidity 500 mg/L x 2000 m3/d = 1000 kg/d > 150 kg/d
    assert ald["reasons"][0] == "water is net acidic (500.0 mg/L CaCO3)"
    assert "Fe(III) 60 mg/L >= 1: armouring/clogging of the limestone (rule 2)" in ald["reasons"]
    assert render(ald["reasons_i18n"][0], "zh") == "水为净酸性（净酸度500.0 mg/L，以CaCO3计）"
    assert render(ald["reasons_i18n"][-1], "zh").startswith("酸负荷1000 kg/d（以CaCO3计）超过")
    dicts = [m for v in verdicts for m in v["reasons_i18n"]]
    for v in verdicts:
        assert v["reasons"] == render(v["reasons_i18n"], "en")
    assert len(dicts) > 10 and all(m["code"] != "text.untranslated" for m in dicts)
    assert not _zh_without_english(dicts, ["AMDTreat"])


@pytest.mark.slow
@pytest.mark.xdist_group("i18n_real_results")  # one worker: the fixtures run once
def test_mine_plan_reasons_render_in_chinese(daji_plan):
    """A real mine-water plan (the bundled Daji case, PHREEQC and HiGHS, ~4 s): every reason of
    every option and score keeps its English and renders in Chinese."""
    d = daji_plan
    dicts = []
    for o in d["options"] + d["scores"]:
        assert o["reasons"] == render(o["reasons_i18n"], "en")
        dicts += o["reasons_i18n"]
    assert len(dicts) > 20 and all(m["code"] != "text.untranslated" for m in dicts)
    assert not _zh_without_english(dicts, ["Coal washing plant", "AMDTreat"])


def test_cli_treat_warnings_in_chinese(tmp_path):
    lab = tmp_path / "w.csv"
    lab.write_text(
        "sample_id,pH,temp_C,Na,Ca,Mg,Cl,SO4,HCO3,Ba\nW1,8.2,20,900,15,5,300,20,1900,<0.05\n",
        encoding="utf-8",
    )
    args = [
        "treat",
        str(lab),
        "--sample",
        "W1",
        "--train",
        "cartridge_filter",
        "--flow-m3-d",
        "200",
    ]
    en = CliRunner().invoke(main, args)
    zh = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert en.exit_code == 0 and zh.exit_code == 0, en.output + zh.output
    assert "warning: Ba below detection (<0.05 mg/L); 0.025 used (half policy)" in en.output
    assert "警告：钡未检出（<0.05 mg/L），按检出限的一半取0.025 mg/L" in zh.output


def _i18n_dicts(obj):
    """Every message dict under a ``*_i18n`` key of a result dict (recursively)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.endswith("_i18n"):
                # a message dict, a list of them, or a mapping of names to them (method_i18n)
                if isinstance(v, dict) and "code" not in v:
                    v = list(v.values())
                yield from (m for m in (v if isinstance(v, list) else [v]) if isinstance(m, dict))
            else:
                yield from _i18n_dicts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _i18n_dicts(v)


#: names written by hand in Chinese texts as the literature writes them
_CITED = ["Kirby", "Cravotta", "Hedin", "Skousen", "AMDTreat"]


def test_name_codes_built_from_ids_are_in_both_catalogues():
    """Codes the engine builds from an id (f-strings the scan above cannot see): every sized
    mine-water option, passive system, fe_policy, CO2 option and pool side."""
    from cbmwater.minewater.passive.common import what_name
    from cbmwater.minewater.sizing import OPTIONS

    codes = [f"minewater.option.{o}" for o in OPTIONS]
    codes += [f"minewater.fe_policy.{p}" for p in ("ferrous", "ferric")]
    codes += [f"minewater.neut.co2.{c}" for c in ("closed", "degassed", "open")]
    codes += [f"minewater.passive.side.{s}" for s in ("inlet", "outlet")]
    for lang in ("en", "zh"):
        missing = [c for c in codes if not catalogue(lang, "engine").get(c)]
        assert not missing, (lang, missing)
    for what in ("ALD", "VFP", "limestone bed", "bioreactor", "Mn removal bed", "settling pond"):
        name = what_name(what)
        assert not isinstance(name, str) and str(name) == what  # English: the name itself
    assert what_name("aerobic wetland").render("zh") == "好氧人工湿地"


def test_mine_water_notes_and_warnings_render_in_chinese(tmp_path):
    """Acidity notes and warnings, neutralisation notes and the unreachable-target error, and
    the sizing warnings of every option: English as before, Chinese without English."""
    lab = tmp_path / "mine.csv"
    lab.write_text(
        "sample_id,pH,Fe,Fe2,Fe3,Al,Mn,alkalinity_CaCO3,HCO3,CO3\n"
        "A,3.1,100,,,20,5,,,\n"
        "B,6.8,50,30,,,2,,120,\n"
        "E,7.2,,,,0.5,0.2,,,\n"
        "F,3.0,100,60,20,10,5,,,\n",
        encoding="utf-8",
    )
    d = cbmwater.acidity(lab, missing_alkalinity="zero", flows_m3_d={"A": 100.0}).to_dict()
    notes = {s["sample_id"]: s for s in d["samples"]}
    # hand check: F has Fe(II) + Fe(III) = 80 mg/L against 100 mg/L total (20 % apart)
    assert notes["F"]["notes"].startswith(
        "Fe(II) + Fe(III) = 80 mg/L differs from total Fe 100 mg/L by more than 10 %"
    )
    assert render(notes["F"]["notes_i18n"], "zh").startswith(
        "Fe(II) + Fe(III) = 80 mg/L与总铁100 mg/L相差10 %以上"
    )
    assert notes["B"]["notes"] == render(notes["B"]["notes_i18n"], "en")
    assert d["warnings"] == render(d["warnings_i18n"], "en")
    assert render(d["warnings_i18n"], "zh")[-1].startswith("样品E在pH >= 4.5时未测定碱度")
    dicts = list(_i18n_dicts(d))
    water = {"pH": 3.0, "Fe": 120, "Al": 20, "Mn": 5, "SO4": 1500, "Ca": 200, "Mg": 80}
    dicts += list(_i18n_dicts(cbmwater.neutralise(water, "Ca(OH)2", 8.5).to_dict()))
    with pytest.raises(InputError) as e:
        cbmwater.neutralise(water, "CaCO3", 8.5)
    assert "CaCO3 (limestone CaCO3) cannot bring this water to pH 8.5" in str(e.value)
    assert "石灰石（CaCO3）无法使该水达到pH 8.5" in e.value.render("zh")
    assert e.value.message is not None
    dicts.append(e.value.message.to_dict())
    from cbmwater.study.minewater import SIZED_OPTIONS

    for option in SIZED_OPTIONS:
        for acid in (-50.0, 150.0):
            flow = (
                5.0 if option in ("caustic", "hydrated_lime", "quicklime", "lime_slurry") else 300.0
            )
            try:
                r = cbmwater.size_option(option, flow, net_acidity=acid, fe_mg_L=2.0, mn_mg_L=3.0)
            except InputError:
                continue  # an option that does not apply to this water (its own error)
            rd = r.to_dict()
            assert rd["warnings"] == render(rd["warnings_i18n"], "en")
            dicts += rd["warnings_i18n"]
    codes = {m["code"] for m in dicts}
    assert {
        "minewater.sizing.ignored",
        "minewater.passive.net_alkaline",
        "minewater.active.small_clarifier",
        "minewater.neut.supersaturated",
    } <= codes
    assert all(m["code"] != "text.untranslated" for m in dicts)
    assert not _zh_without_english(dicts, _CITED)


def test_qa_notes_render_in_chinese():
    """The ion-balance QA notes (hand-made water: 10 meq/L Na against 5 meq/L Cl)."""
    import pandas as pd

    from cbmwater.water.qa import qa_table

    values = pd.DataFrame({"Na": [229.9], "Cl": [177.3]}, index=pd.Index(["W"], name="sample_id"))
    qa = qa_table(values)
    note = qa["qa_notes"].iloc[0][0]
    # (10 - 5) / (10 + 5) = +33.3 %
    assert note == "ion balance +33.3 % exceeds ±10 %: analysis suspect"
    assert render(note, "zh") == "阴阳离子平衡相对误差+33.3 %超过±10 %：分析结果可疑"


@pytest.mark.slow
@pytest.mark.xdist_group("i18n_real_results")  # one worker: the fixtures run once
def test_every_i18n_field_of_real_results_renders_in_chinese(
    barite_review, hand_variant_plan, daji_plan
):
    """Every ``*_i18n`` message of real results of every kind (characterisation warnings of
    the bundled set, a treatment train with its unit policies, a compliance check, a review, an infeasible optimisation, the Daji mine
    plan) renders in Chinese from a catalogue code (no ``text.untranslated``)."""
    from cbmwater.study import BUNDLED_ANALYSES

    dicts = []
    ch = cbmwater.characterise(BUNDLED_ANALYSES)
    records = ch.records if hasattr(ch, "records") else ch
    dicts += [message_of(w).to_dict() for ws in records["warnings"] for w in ws]
    tr = cbmwater.treat(
        BUNDLED_ANALYSES, ["cartridge_filter", "brackish_ro"], flow_m3_d=500, sample="SZ-3-01"
    )
    dicts += list(_i18n_dicts(tr.to_dict()))
    comp = cbmwater.compliance(BUNDLED_ANALYSES, "GBT14848-2017", "III", sample="SZ-3-01")
    dicts += list(_i18n_dicts(comp.to_dict()))
    dicts += list(_i18n_dicts(barite_review.to_dict()))
    dicts += list(_i18n_dicts(hand_variant_plan))
    dicts += list(_i18n_dicts(daji_plan))
    kinds = {m["code"].split(".")[0] for m in dicts}
    assert {"review", "treatment", "optimise", "minewater", "water", "compliance"} <= kinds, kinds
    assert any(m["code"].startswith("treatment.policy.") for m in dicts)
    untranslated = [m["params"].get("text") for m in dicts if m["code"] == "text.untranslated"]
    assert not untranslated, untranslated
    for m in dicts:
        render(m, "zh")  # every code and its parameters render


# -- case loaders: errors and warnings (plausible ranges, optimise/mine/proposal/uncertainty) ---
def _edited_case(tmp_path, src, old, new, name="case.toml"):
    """A copy of the case folder of ``src`` with ``old`` replaced by ``new`` in its TOML."""
    import shutil

    folder = tmp_path / f"c{len(list(tmp_path.iterdir()))}"
    shutil.copytree(src.parent, folder)
    text = src.read_text(encoding="utf-8")
    assert old in text, old
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / name


HAND = ROOT / "tests" / "data" / "optimise" / "hand" / "case.toml"
DAJI = example_path("daji_old_mine", "case.toml")
#: names a user types in a case file (tables, fields, ids, kinds), allowed in a Chinese error
_CASE_WORDS = [
    "capacity_m3_d",
    "destinations",
    "stations",
    "trains",
    "units",
    "seasons",
    "points",
    "formation",
    "operation",
    "review",
    "injectate",
    "water",
    "uncertainty",
    "prices",
    "quality",
    "wells",
    "dist",
    "lognormal",
    "normal",
    "uniform",
    "triangular",
    "default",
    "median",
    "sigma",
    "low",
    "high",
    "mode",
    "sd",
    "multipliers",
    "resample",
    "block",
    "case",
    "kind",
    "river",
    "reuse",
    "name",
    "none",
    "standard",
    "class",
    "true",
    "false",
    "Reuse",
    "River",
    "direct",
    "defluoridation",
    "phreeqc",
    "wateq4f",
    "Arps",
    "Fetkovich",
    "Ayers",
    "Westcot",
    "WaterTAP",
    "allow-outside",
    "Python",
    "True",
    "mean",
    "description",
    "title",
]


def _typed_removed(text):
    """``text`` without what the user typed: quoted values and fields, [tables], file paths."""
    text = re.sub(r"'[^']*'", " ", text)
    text = re.sub(r"\[\[?[^\]]*\]\]?", " ", text)
    return re.sub(r"\S*/\S*", " ", text)


def _case_error(load, path):
    with pytest.raises(InputError) as e:
        load(path)
    return e.value


def test_case_errors_and_warnings_render_in_chinese(tmp_path):
    """Real errors of the optimise case, mine-plan case, reinjection proposal and [uncertainty]
    loaders and plausible-range warnings: English as before, Chinese without English words
    (outside the names a user types in the file)."""
    from cbmwater.minewater.case import load_mine_case
    from cbmwater.optimize.case import KINDS, load_case
    from cbmwater.reinjection.proposal import load_proposal
    from cbmwater.treatment.library import load_library

    hand = [
        ("capacity_m3_d = 100", "capacity_m3_d = -5"),  # a plausible range, refused
        ("capacity_m3_d = 100", "capacity_m3_d = [100, 200]"),  # one value per period
        ('kind = "reuse"', 'kind = "lake"'),  # check_text choices
        ('units = ""', 'units = "cartridge_filter,,brackish_ro"'),  # empty unit id
        ('units = ""', 'units = "no_such_unit"'),  # unknown unit id
        ('name = "B"', 'name = "A"'),  # names must be unique
        ('name = "River"', 'name = "A"'),  # destination shares a station name
        ('analyses = "analyses.csv"', 'analyses = "../analyses.csv"'),  # confinement
        ('analyses = "analyses.csv"', 'analyses = "missing.csv"'),  # file not found
        ("limits = { F = 1.5 }", "limits = { Unobtainium = 1.5 }"),  # unknown constituent
        ("limits = { F = 1.5 }", 'limits = "F"'),  # not a table
        ("dilution = true", "dilution = 3"),  # boolean
        ("dilution = true", "dilution = true\npH_range = [9, 6]"),  # low below high
        ("[economics]", '[uncertainty]\nwells = "x"\n\n[economics]'),  # list of tables
        (
            "[economics]",
            '[[uncertainty.wells]]\nqi_factor = { dist = "normal", sd = 0.1 }\n\n[economics]',
        ),  # a distribution's parameters
    ]
    errors = [_case_error(load_case, _edited_case(tmp_path, HAND, o, n)) for o, n in hand]
    for old, new in (
        ('kind = "river"', 'kind = "sea"'),  # check_text choices
        ("days = 92", "days = 90"),  # the seasons' sum
        ("active_target_pH = 8.5", "active_target_pH = 12"),  # a plausible range with a reason
    ):
        errors.append(_case_error(load_mine_case, _edited_case(tmp_path, DAJI, old, new)))
    prop = BARITE.read_text(encoding="utf-8")
    for old, new in (
        ("[operation]", "[operation]\n[review]\ndatabase = 'llnl'\n[operation_]"),
        ("permeability_um2 = ", "permeability_um2 = -1 # "),
        ("[formation]", "[formation_]"),
    ):
        assert old in prop, old
        errors.append(
            _case_error(load_proposal, _edited_case(tmp_path, BARITE, old, new, BARITE.name))
        )
    assert len(errors) == 21
    allowed = set(_CASE_WORDS) | set(load_library().units) | set(KINDS)
    bad = {}
    for e in errors:
        assert e.message is not None, str(e)
        assert e.full_message().code != "text.untranslated", str(e)
        zh = e.render("zh")
        assert zh != str(e)
        assert str(e).startswith("file ") or str(e).startswith(BARITE.name)
        words = [w for w in english_words(_typed_removed(zh)) if w not in allowed]
        if words:
            bad[zh] = words
    assert not bad, "\n".join(f"{k} {v}" for k, v in bad.items())
    # hand check: the refused capacity, its range and reason, in Chinese
    zh = errors[0].render("zh")
    assert (
        "值'-5'：[destinations[1] 'Reuse']字段'capacity_m3_d'：须为0或>= 0.001且<= 1e+06（m3/d；"
        in zh
    )
    assert "城市再生水需求约10^5 m3/d" in zh
    # a plausible-range warning (a well rate above the usual 200 m3/d) reaches the plan
    case = _edited_case(tmp_path, HAND, 'wells = "wells.csv"', 'wells = "wells.csv"')
    wells = case.parent / "wells.csv"
    wells.write_text(
        wells.read_text(encoding="utf-8").replace(",100,", ",500,", 1), encoding="utf-8"
    )
    warnings = load_case(case).warnings
    w = next(w for w in warnings if "usual range" in w)
    assert w.startswith("file ") and "qi_m3_d': value 500 m3/d is above the usual range" in w
    assert render(w, "zh").startswith("文件")
    assert "值500 m3/d高于常见范围（>= 0.1且<= 200）；已接受，请核查（单井初始产水量" in render(
        w, "zh"
    )
    assert not english_words(_typed_removed(render(w, "zh")))


def test_codes_built_from_ids_are_in_both_catalogues():
    """Codes the loaders build with f-strings (the scan above sees only literals)."""
    from cbmwater.plausible import RANGES

    codes = [f"plausible.{k}.{key}" for key in RANGES for k in ("reason", "unit")]
    codes += [f"plausible.warn.{s}" for s in ("above", "below")]
    codes += [f"case.outside.{w}" for w in ("absolute", "dotdot", "symlink", "leaves")]
    codes += [f"error.item_must_be.{o}" for o in ("table", "string")]
    codes += [f"unc.case.dist_params.{o}" for o in ("missing", "extra")]
    codes += ["case.csv_missing_columns", "case.csv_missing_columns_optional"]
    for lang in ("en", "zh"):
        missing = [c for c in codes if not catalogue(lang, "engine").get(c)]
        assert not missing, (lang, missing)
    # the English reason and unit are the table's, byte for byte
    for key, r in RANGES.items():
        assert catalogue("en", "engine").get(f"plausible.reason.{key}") == r.reason
        assert catalogue("en", "engine").get(f"plausible.unit.{key}") == r.unit


def test_cli_catalogue_is_complete():
    """The ``cli`` domain: both languages hold every code with the same format fields, written
    by tools/po_catalogue.py, and every code cli.py builds is in it."""
    import po_catalogue

    assert po_catalogue.check("cli") == []
    en, zh = catalogue("en", "cli").messages, catalogue("zh", "cli").messages
    assert set(en) == set(zh) and len(en) >= 28
    for code in en:
        assert _fields(en[code]) == _fields(zh[code]), code
    src = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    used = set(re.findall(r'_t\(\s*"([a-z_.]+)"', src))
    used |= {f"treat.col.{c}" for c in ("unit", "in", "out", "tds")}
    used |= {f"compliance.{k}.{r}" for k in ("result", "count") for r in _RESULTS_CLI}
    assert used <= set(en), used - set(en)


_RESULTS_CLI = ("pass", "fail", "not_measured", "inconclusive")


def test_cli_treat_and_compliance_text_in_chinese():
    """`treat` and `compliance --format text` with --lang zh: labels, units, results and
    parameter names in Chinese; --lang en as before (hand check of the first lines)."""
    from cbmwater.study import BUNDLED_ANALYSES

    args = ["treat", str(BUNDLED_ANALYSES), "--sample", "SZ-3-01"]
    args += ["--train", "cartridge_filter,brackish_ro", "--flow-m3-d", "500"]
    en = CliRunner().invoke(main, args)
    assert en.exit_code == 0, en.output
    assert en.output.startswith("Train cartridge_filter -> brackish_ro on SZ-3-01 (500 m3/d)\n")
    assert "unit                     in m3/d  out m3/d  TDS-ions out mg/L" in en.output
    zh = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert zh.output.startswith("处理流程保安过滤器")
    assert "回收率" in zh.output and "吨水成本（LCOW）" in zh.output
    assert not english_words(zh.output, ["SZ-3-01"]), english_words(zh.output)
    args = ["compliance", str(BUNDLED_ANALYSES), "--standard", "GBT14848-2017", "--class", "III"]
    args += ["--sample", "SZ-3-01"]
    en = CliRunner().invoke(main, args)
    assert en.output.startswith(
        "Sample SZ-3-01: GBT14848-2017 class III - GB/T 14848-2017 地下水质量标准"
    )
    assert "\nverdict: fail (Fe, Mn, NH4_N, Na, F); 8 pass, 5 fail," in en.output
    zh = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    lines = zh.output.splitlines()
    assert lines[0] == "水样SZ-3-01：GBT14848-2017 III类 - 《地下水质量标准》（GB/T 14848—2017）"
    assert lines[1].startswith(
        "结论：超标（铁、锰、氨氮（NH3-N，以N计）、钠、氟化物）；达标8项、超标5项"
    )
    # the whole table is Chinese: labels, parameter names, results and the basis/comment
    # column (compliance.basis.*, compliance.comment.*)
    assert not english_words(zh.output, ["SZ-3-01", "PCU", "NTU", "CODMn", "苯并(b)荧蒽"]), (
        english_words(zh.output)
    )
    assert "实测溶解性总固体（TDS）" in zh.output


def test_a_list_longer_than_the_catalogue_nests_and_reads_the_same_in_both_languages():
    """30 names: the English is ", ".join of them (as before), the Chinese uses 、 throughout
    (before, a list over 12 items fell back to English commas in Chinese text)."""
    from cbmwater.i18n import joined

    names = [f"x{i}" for i in range(30)]
    m = joined(names)
    assert render(m, "en") == ", ".join(names)
    assert render(m, "zh") == "、".join(names)
    assert render(joined(names, "semicolon"), "zh") == "；".join(names)
    assert joined(["a", "b", "c", "d"], "or") == "a or b or c or d"


def _project_error_names() -> set[str]:
    """Names of every error class a user may see: CbmwaterError and all its subclasses."""
    import importlib
    import pkgutil

    from cbmwater.errors import CbmwaterError

    for mod in pkgutil.walk_packages(cbmwater.__path__, "cbmwater."):
        if ".app" in mod.name or mod.name.endswith("__main__"):
            continue
        importlib.import_module(mod.name)
    names, todo = set(), [CbmwaterError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def test_every_engine_error_is_built_with_a_message_code():
    """Issue 14: every engine error carries a code and renders in the user's language.  An
    error class of the project called with a literal sentence (a plain or f-string, or
    "..." + x) and no ``msg=`` would be English on a Chinese page; the scan covers the whole
    engine (the faces have their own catalogues: app, cli)."""
    import ast

    errors = _project_error_names()
    assert {"InputError", "UnitError", "ResourceLimitError", "RunCancelled"} <= errors

    def literal(node: ast.expr) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return True
        if isinstance(node, ast.JoinedStr):
            return True
        return isinstance(node, ast.BinOp) and literal(node.left)

    seen, bad = 0, []
    pkg = Path(cbmwater.__file__).parent
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg).as_posix()
        if rel.startswith("app/") or rel == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name not in errors:
                continue
            seen += 1
            if (
                node.args
                and literal(node.args[0])
                and not any(k.arg == "msg" for k in node.keywords)
            ):
                bad.append(f"{rel}:{node.lineno} {name}")
    assert seen > 400  # the scan sees the engine's errors (an empty scan proves nothing)
    assert not bad, bad
