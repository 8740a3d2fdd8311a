"""``--lang zh`` on the CLI's text outputs: no English words outside the allowlist
(tests/english_words.py), and ``--lang en`` (the default) keeps the English text.

Oracles: the expected lines are written here by hand (the Chinese wording from the catalogues,
the numbers from the hand case of tests/test_optimise.py: 2 stations, 2 wells, 1 period, one
50 m3/d defluoridation plant at B); names from the input (stations A/B, trains, the case name)
are allowed as the input's own text.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from english_words import english_words

from cbmwater.cli import main

HAND = Path(__file__).parent / "data" / "optimise" / "hand" / "case.toml"
#: names from the hand case's input (shown as written)
HAND_NAMES = ["hand 2x2x2", "defluoridation", "direct", "Reuse", "River"]

LAB = (
    "sample_id,temp_C,pH,Na,K,Ca,Mg,Cl,SO4,HCO3,CO3,F\n"
    "W1,25,8.2,680,3,8,3,150,20,1500,30,2.5\n"
    "W2,18,7.6,300,2,20,6,100,30,700,0,1.5\n"
)


def _lab(tmp_path: Path) -> Path:
    p = tmp_path / "lab.csv"
    p.write_text(LAB, encoding="utf-8")
    return p


def test_characterise_summary_line_in_chinese(tmp_path):
    lab = _lab(tmp_path)
    out = tmp_path / "out.csv"
    zh = CliRunner().invoke(main, ["characterise", str(lab), "--out", str(out), "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    line = zh.stderr.strip().splitlines()[-1]
    assert line.startswith("已用 phreeqc.dat 数据库完成 2 个样品的水质表征 -> "), line
    assert english_words(line) == []
    en = CliRunner().invoke(main, ["characterise", str(lab), "--out", str(out)])
    assert (
        en.stderr.strip()
        .splitlines()[-1]
        .startswith("2 samples characterised with phreeqc.dat -> ")
    )


def test_optimise_text_in_chinese_and_english():
    zh = CliRunner().invoke(main, ["optimise", str(HAND), "--format", "text", "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    lines = zh.stdout.splitlines()
    assert lines[0] == "算例：hand 2x2x2（2 座集水站，2 口井，1 个时段）"
    assert lines[1] == "求解状态：最优   优化目标：费用最低（净现值）"
    assert "  B：defluoridation 50 m3/d，投资 0.38 百万元" in lines
    assert "校核：所得流量满足全部约束" in lines
    assert english_words(zh.stdout, HAND_NAMES) == []
    en = CliRunner().invoke(main, ["optimise", str(HAND), "--format", "text"])
    assert en.stdout.splitlines()[:2] == [
        "case: hand 2x2x2  (2 stations, 2 wells, 1 periods)",
        "status: optimal   objective: cost",
    ]
    assert "  B: defluoridation 50 m3/d, capex 0.38 million CNY" in en.stdout.splitlines()


def test_uncertainty_and_sensitivity_text_in_chinese(tmp_path):
    """The hand case with only the Reuse tariff uncertain (tests/test_uncertainty.py): 4
    scenarios; Monte Carlo and Sobol text in zh have no English outside the case's own names
    and the statistics' symbols; English keeps its wording."""
    from test_uncertainty import TARIFF, _hand

    case = _hand(tmp_path, TARIFF)
    base = ["uncertainty", str(case), "--samples", "4", "--seed", "3", "--format", "text"]
    zh = CliRunner().invoke(main, [*base, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert "个情景，随机种子 3" in zh.stdout and "回用比例" in zh.stdout
    assert english_words(zh.stdout, extra=HAND_NAMES + ["CVaR90", "defluoridation"]) == []
    en = CliRunner().invoke(main, base)
    assert "4 scenarios, seed 3" in en.stdout and "reuse share: mean" in en.stdout
    sens = ["uncertainty", str(case), "--sensitivity", "--samples", "4", "--seed", "3"]
    zh = CliRunner().invoke(main, [*sens, "--format", "text", "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert "Sobol 指数" in zh.stdout and "净现值费用" in zh.stdout
