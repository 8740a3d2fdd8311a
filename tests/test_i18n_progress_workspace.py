"""Messages of the optimiser's progress, the uncertainty / sensitivity input checks and the
workspace (issue 14): stable codes in both catalogues, English text as before, Chinese without
English words, progress that keeps its code across the job runner's process boundary, and
``cbmwater workspace list|show --lang zh``.

Oracles: the English texts the engine printed before it had codes, written here by hand; the
Chinese wording of the catalogues, written here by hand; the review's own findings (counted here)
for the key figures a listing shows; :func:`english_words` (tests/english_words.py) for words
left in English.  Names the user gave (a label, a file path, a TOML section or CLI option the
user types) are allowed as they are.
"""

from __future__ import annotations

import ast
import json
import multiprocessing as mp
import pickle
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from english_words import english_words
from test_i18n import _code_literals
from toml_writer import dumps

import cbmwater
from cbmwater.app import logic_jobs as LJ
from cbmwater.cli import main
from cbmwater.errors import CbmwaterError, InputError
from cbmwater.i18n import Text, catalogue
from cbmwater.resources import example_path
from cbmwater.study.workspace import Workspace
from cbmwater.workspace import INPUT_KINDS, RUN_KINDS, WorkspaceError
from cbmwater.workspace.figures import FIGURES, key_figures

ROOT = Path(__file__).resolve().parents[1]
HAND = Path(__file__).parent / "data" / "optimise" / "hand" / "case.toml"
PROPOSAL = example_path("reinjection", "barite_scaling.toml")

#: the engine codes this change added, each built as a literal Text.of / Message
NEW_ENGINE = {
    *(
        f"optimise.progress.{k}"
        for k in [
            "mix_stations",
            "simulate_paths",
            "screen_injectates",
            "build",
            "solve",
            "check_blends",
            "explain",
            "write",
            "done",
            "pareto_point",
        ]
    ),
    "uncertainty.progress.deterministic",
    "uncertainty.progress.scenario",
    "sensitivity.progress.scenario",
    "water.progress.samples",
    *(
        f"uncertainty.error.{k}"
        for k in ["samples", "seed", "no_section", "plan_not_solved", "tariff_zero"]
    ),
    *(f"sensitivity.error.{k}" for k in ("base_samples", "outputs", "unknown_output")),
    *(
        f"workspace.error.{k}"
        for k in [
            "not_json",
            "unknown_choice",
            "label_type",
            "label_long",
            "label_control",
            "input_name_missing",
            "input_name_path",
            "input_bytes_type",
            "input_too_large",
            "run_id",
            "missing",
            "no_wal",
            "sqlite",
            "other_program",
            "newer_schema",
            "result_type",
            "result_too_large",
            "input_ref",
            "no_input_save_first",
            "no_run",
            "sha256",
            "no_input",
            "result_kind",
            "read_input",
            "read_named",
        ]
    ),
    *(
        f"workspace.what.{k}"
        for k in ["run_kind", "input_kind", "result", "options", "key_figures", "databases"]
    ),
    "workspace.why.locked",
    "workspace.why.not_database",
}
#: codes the app builds from the job runner's plain words (the app is outside the literal scan)
RUNNER_WORDS = {"job.progress.started", "job.progress.done"}

#: the files whose progress texts and errors this covers
PROGRESS_FILES = [
    "cbmwater/optimize/prepared.py",
    "cbmwater/optimize/plan.py",
    "cbmwater/study/uncertainty.py",
    "cbmwater/study/sensitivity.py",
    "cbmwater/study/water.py",
]
ERROR_FILES = [
    "cbmwater/optimize/uncertain.py",
    "cbmwater/optimize/scenarios.py",
    "cbmwater/optimize/sensitivity.py",
    "cbmwater/study/uncertainty.py",
    "cbmwater/study/sensitivity.py",
    "cbmwater/workspace/store.py",
    "cbmwater/workspace/records.py",
    "cbmwater/workspace/schema.py",
    "cbmwater/study/workspace.py",
]


def _zh_clean(text: str, allowed=()) -> list[str]:
    return english_words(text, list(allowed))


# -- catalogues -----------------------------------------------------------------------------------
def test_new_codes_are_seen_by_the_completeness_scan_and_in_both_catalogues():
    scanned = {code for _, code in _code_literals()}
    assert scanned >= NEW_ENGINE, sorted(NEW_ENGINE - scanned)  # test_i18n's scan covers them
    for lang in ("en", "zh"):
        cat = catalogue(lang, "engine")
        missing = sorted(c for c in NEW_ENGINE | RUNNER_WORDS if not cat.get(c))
        assert not missing, (lang, missing)


def test_cli_workspace_words_built_from_ids_are_in_both_catalogues():
    """Run kinds, key-figure names, input kinds, statuses and verdicts (codes built from the
    stored ids): in both languages, English = the id (so the English listing is unchanged)."""
    figures = {k for kind in FIGURES for k in key_figures(kind, {})}
    assert {"npv_CNY", "verdict", "samples", "npv_top_ST"} <= figures
    codes = {f"workspace.kind.{k}": k for k in RUN_KINDS}
    codes |= {f"workspace.figure.{k}": k for k in figures}
    codes |= {f"workspace.input_kind.{k}": k for k in INPUT_KINDS}
    codes |= {f"workspace.verdict.{k}": k for k in ("pass", "conditional", "fail")}
    statuses = "done optimal feasible infeasible iteration_limit time_limit no_solution error"
    codes |= {f"workspace.status.{k}": k for k in statuses.split()}
    en, zh = catalogue("en", "cli"), catalogue("zh", "cli")
    for code, key in codes.items():
        assert en.get(code) == key, code
        assert zh.get(code) and not english_words(zh.get(code)), (code, zh.get(code))


def _calls(path: str, names: set[str]) -> list[ast.Call]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in names:
                out.append(node)
    return out


def _is_text_literal(node: ast.expr) -> bool:
    """A plain or f-string literal, or ``"..." + ...`` (an English sentence, not a message)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and _is_text_literal(node.left)


def test_no_progress_message_or_error_is_an_english_literal():
    """Every progress(...) message of the optimiser, uncertainty and sensitivity, and every
    error they and the workspace raise, is a coded Text (a literal sentence would be English
    in every language)."""
    found = 0
    bad = []
    for path in PROGRESS_FILES:
        for call in _calls(path, {"progress", "prog"}):
            found += 1
            if call.args and _is_text_literal(call.args[0]):
                bad.append(f"{path}:{call.lineno}")
    errors = {"InputError", "WorkspaceError", "LocatedDatabaseError", "CbmwaterError"}
    for path in ERROR_FILES:
        for call in _calls(path, errors):
            found += 1
            if call.args and _is_text_literal(call.args[0]):
                bad.append(f"{path}:{call.lineno}")
    assert found > 40  # the scan sees the calls (an empty scan proves nothing)
    assert not bad, bad


# -- progress across the process boundary ---------------------------------------------------------
def test_a_progress_text_pickles_with_its_code_and_str_keeps_it():
    t = Text.of("optimise.progress.build", it=2)
    assert t == "iteration 2: building the model"
    back = pickle.loads(pickle.dumps(t))
    assert isinstance(back, Text) and back == t
    assert (back.message.code, dict(back.message.params)) == ("optimise.progress.build", {"it": 2})
    # the job runner passes a message on through str(): it stays the Text
    assert str(back).message == back.message  # type: ignore[attr-defined]
    assert back.message.render("zh") == "第 2 轮迭代：建立模型"
    # through a real multiprocessing queue (spawn, as cbmwater.study.guard uses)
    q = mp.get_context("spawn").Queue()
    q.put(("progress", Text.of("uncertainty.progress.scenario", done=3, total=10), 0.5))
    kind, msg, frac = q.get(timeout=10)
    q.close()
    assert msg.message.code == "uncertainty.progress.scenario" and msg == "scenario 3 of 10"
    assert LJ.progress_text(msg, "zh") == "情景 3/10"


def test_the_app_renders_job_progress_in_the_page_language():
    assert (
        LJ.progress_text(Text.of("optimise.progress.mix_stations"), "zh")
        == "在集水站混合井水（PHREEQC）"
    )
    assert LJ.progress_text(Text.of("optimise.progress.mix_stations"), "en") == (
        "mixing well waters at stations (PHREEQC)"
    )
    # the runner's own plain words, and any other text as it is
    assert LJ.progress_text("started", "zh") == "已开始"
    assert LJ.progress_text("done", "zh") == "完成"
    assert LJ.progress_text("done", "en") == "done"
    assert LJ.progress_text("74 rows", "zh") == "74 rows"
    assert LJ.progress_text("", "zh") == "…"


@pytest.mark.slow
def test_an_optimisation_job_reports_coded_progress_through_the_runner():
    """A real optimisation in a job (a spawned worker process): every engine report reaches
    the runner's hook and status with its code; the app renders them in Chinese."""
    from cbmwater.study.jobs import JobRunner

    seen: list[tuple[str, float]] = []
    r = JobRunner(on_progress=lambda _id, m, f: seen.append((m, f)))
    try:
        job = r.submit("optimise", "optimise", {"case": str(HAND)})
        st = r.wait(job, timeout=300)
    finally:
        r.close()
    assert st.state == "done", st.error
    codes = [m.message.code for m, _ in seen if hasattr(m, "message")]
    # the runner's own first report is coded too
    assert codes[0] == "job.progress.started"
    codes = [c for c in codes if not c.startswith("job.progress.")]
    assert codes[:5] == [
        "optimise.progress.mix_stations",
        "optimise.progress.simulate_paths",
        "optimise.progress.build",
        "optimise.progress.solve",
        "optimise.progress.check_blends",
    ], codes
    assert codes[-2:] == ["optimise.progress.write", "optimise.progress.done"]
    # every report is a coded text, the runner's own included
    assert [m for m, _ in seen if not hasattr(m, "message")] == []
    zh = [LJ.progress_text(m, "zh") for m, _ in seen]
    assert zh[:4] == [
        "已开始",
        "在集水站混合井水（PHREEQC）",
        "用处理工艺模型模拟每个（站点、工艺、时段）组合",
        "第 1 轮迭代：建立模型",
    ]
    assert zh[4] == "第 1 轮迭代：求解（highs）"  # the solver's name as the user gave it
    assert not [w for z in zh for w in english_words(z) if w != "highs"]


# -- uncertainty and sensitivity input errors -----------------------------------------------------
def _hand(tmp: Path, uncertainty: dict | None, **economics) -> Path:
    for f in HAND.parent.glob("*.csv"):
        shutil.copy(f, tmp)
    data = tomllib.loads(HAND.read_text(encoding="utf-8"))
    data["economics"].update(economics)
    if uncertainty is not None:
        data["uncertainty"] = uncertainty
    out = tmp / "case.toml"
    out.write_text(dumps(data), encoding="utf-8")
    return out


def _zh(exc: CbmwaterError) -> str:
    zh = exc.render("zh")
    assert zh != str(exc)
    return zh


def test_a_scenario_tariff_on_a_free_tariff_is_refused_in_both_languages(tmp_path):
    unc = {"prices": {"electricity_CNY_kWh": {"dist": "uniform", "low": 0.5, "high": 1.5}}}
    case = _hand(tmp_path, unc, electricity_CNY_kWh=0.0)
    with pytest.raises(InputError) as exc:
        cbmwater.load_case(case)
    assert str(exc.value) == (
        f"file {case}: [uncertainty.prices] field 'electricity_CNY_kWh': the case's tariff is 0; "
        "a scenario tariff cannot be a factor of it"
    )
    zh = _zh(exc.value)
    assert zh == (
        f"文件{case}：[uncertainty.prices] 字段 'electricity_CNY_kWh'：算例的电价为 0，"
        "情景电价不能表示为它的倍数"
    )
    assert not english_words(zh)


def test_uncertainty_and_sensitivity_arguments_are_refused_in_both_languages(tmp_path):
    case = _hand(tmp_path, None)
    with pytest.raises(InputError) as exc:
        cbmwater.uncertainty(case, samples=2, seed=0, workers=1)
    assert str(exc.value) == (
        f"file {case}: the case has no [uncertainty] section: nothing to sample "
        "(docs/uncertainty.md)"
    )
    # the section's name is the one the user writes in the TOML
    assert not english_words(_zh(exc.value).replace("[uncertainty]", ""))
    with pytest.raises(InputError) as exc:
        cbmwater.uncertainty(case, samples=0, seed=0, workers=1)
    assert str(exc.value) == "samples must be a whole number from 1 to 100000; got 0"
    assert _zh(exc.value) == "情景数（samples）须为 1 至 100000 的整数；实际为 0"
    with pytest.raises(InputError) as exc:
        cbmwater.uncertainty(case, samples=2, seed=-1, workers=1)
    assert str(exc.value) == "seed must be a whole number >= 0; got -1"
    assert not english_words(_zh(exc.value), ["seed"])
    with pytest.raises(InputError) as exc:
        cbmwater.sensitivity(case, base_samples=6, seed=0, workers=1)
    assert str(exc.value) == (
        "base samples (--samples with --sensitivity) must be a power of 2 from 4 to 65536 (the "
        "Sobol sequence is balanced at powers of 2): 4, 8, 16, 32, 64, ...; got 6"
    )
    # CLI options and the sequence's name are as the user types and reads them
    assert not english_words(_zh(exc.value), ["samples", "sensitivity", "Sobol"])
    with pytest.raises(InputError) as exc:
        cbmwater.sensitivity(case, base_samples=8, seed=0, outputs=["npv_CNY", "cost"])
    assert str(exc.value) == (
        "value 'cost': unknown output 'cost'; allowed: npv_CNY, reuse_share, reuse_m3, "
        "unallocated_m3"
    )
    assert _zh(exc.value) == (
        "值'cost'：未知的输出量 'cost'；允许：npv_CNY, reuse_share, reuse_m3, unallocated_m3"
    )


# -- workspace errors ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def review_dict():
    return cbmwater.review(PROPOSAL).to_dict()


def test_workspace_misuse_is_refused_in_both_languages(tmp_path, review_dict):
    missing = tmp_path / "none.sqlite"
    with pytest.raises(WorkspaceError) as exc:
        Workspace(missing, create=False)
    assert str(exc.value) == (
        f"there is no workspace at '{missing}'; save a run into it first (--save), or name "
        "another with --workspace / CBMWATER_WORKSPACE"
    )
    assert not english_words(_zh(exc.value), ["save", "workspace"])  # CLI options
    path = tmp_path / "w.sqlite"
    ws = Workspace(path)
    run = ws.save_run("review", review_dict, label="barite")
    cases = [
        (lambda: ws.relabel(run, "x" * 300),
         "the label has 300 characters; at most 200 are allowed",
         "名称有 300 个字符；最多允许 200 个"),
        (lambda: ws.run(run + 6),
         f"workspace '{path}' holds no run {run + 6}",
         f"工作区 '{path}' 中没有编号为 {run + 6} 的计算"),
        (lambda: ws.delete(run + 6),
         f"workspace '{path}' holds no run {run + 6}",
         f"工作区 '{path}' 中没有编号为 {run + 6} 的计算"),
        (lambda: ws.input_bytes("0" * 64),
         f"workspace '{path}' holds no input {'0' * 64}",
         f"工作区 '{path}' 中没有输入文件 {'0' * 64}"),
        (lambda: ws.run("1"), "a run id is a whole number; got '1'", "计算编号须为整数；实际为 '1'"),
    ]  # fmt: skip
    for call, en, zh in cases:
        with pytest.raises(CbmwaterError) as exc:
            call()
        assert str(exc.value) == en
        assert _zh(exc.value) == zh and not english_words(zh), zh
    with pytest.raises(InputError) as exc:
        ws.runs("bake")
    assert str(exc.value) == f"unknown run kind 'bake'; allowed: {', '.join(RUN_KINDS)}"
    assert _zh(exc.value).startswith("未知的计算类型 'bake'；允许：characterise, ")
    # another program's SQLite file
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(WorkspaceError) as exc:
        Workspace(other)
    assert str(exc.value) == (
        f"workspace '{other}' is a SQLite file of another program, not a cbmwater workspace; "
        "name a new file"
    )
    zh = _zh(exc.value)
    assert zh == f"工作区 '{other}' 是其他程序的数据库文件，不是 cbmwater 工作区；请指定一个新文件"
    assert not english_words(zh)


# -- the CLI ---------------------------------------------------------------------------------------
def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_workspace_list_and_show_in_chinese(tmp_path):
    ws = tmp_path / "w.sqlite"
    r = cli(
        "review", PROPOSAL, "--save", "--workspace", ws, "--label", "barite case", "--lang", "zh"
    )
    assert r.exit_code == 0, r.output
    assert r.stderr.strip().splitlines()[-1] == f"已保存为工作区 {ws} 中的计算 #1"
    printed = json.loads(r.stdout)
    sev = [f["severity"] for f in printed["findings"]]
    n_fail, n_warn, n_cond = sev.count("fail"), sev.count("warning"), len(printed["conditions"])
    assert printed["verdict"] == "fail" and n_fail >= 1
    (row,) = json.loads(cli("workspace", "list", "--format", "json", "--workspace", ws).stdout)
    created = row["created"][:16].replace("T", " ")

    zh = cli("workspace", "list", "--workspace", ws, "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines() == [
        f"    1  {created} UTC  回注审查       barite case  "
        f"[审查结论 不通过，不合格项 {n_fail}，警告项 {n_warn}，条件项 {n_cond}]"
    ]
    assert english_words(zh.stdout, ["barite case"]) == []  # the label is the user's
    en = cli("workspace", "list", "--workspace", ws)
    assert en.stdout.splitlines() == [
        f"    1  {created} UTC  review         barite case  "
        f"[verdict fail, n_fail {n_fail}, n_warning {n_warn}, n_conditions {n_cond}]"
    ]

    zh = cli("workspace", "show", "1", "--workspace", ws, "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    lines = zh.stdout.splitlines()
    assert lines[0].startswith("计算 #1：回注审查 'barite case'，保存于 ") and lines[0].endswith(
        " UTC"
    )
    assert lines[1].startswith("状态：完成；cbmwater ")
    assert (
        lines[2]
        == f"关键指标：审查结论 不通过，不合格项 {n_fail}，警告项 {n_warn}，条件项 {n_cond}"
    )
    assert lines[3] == '选项：{"allow_outside": false}'
    size = PROPOSAL.stat().st_size
    assert lines[4].startswith(f"输入文件 barite_scaling.toml（回注方案，{size:,} 字节，SHA-256 ")
    assert lines[-1] == "结果：14 个键（用 --format json 查看）".replace("14", str(len(printed)))
    # the options are the run's stored JSON (a JSON literal); --format json as the user types it
    assert english_words(zh.stdout, ["barite case", "false", "format"]) == []
    en = cli("workspace", "show", "1", "--workspace", ws).stdout.splitlines()
    assert en[2] == (
        f"key figures: verdict fail, n_fail {n_fail}, n_warning {n_warn}, n_conditions {n_cond}"
    )
    assert en[4].startswith(f"input barite_scaling.toml (proposal, {size:,} bytes, sha256 ")

    bad = cli("workspace", "show", "7", "--workspace", ws, "--lang", "zh")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == f"错误：工作区 '{ws}' 中没有编号为 7 的计算"
    done = cli("workspace", "relabel", "1", "kept", "--workspace", ws, "--lang", "zh")
    assert done.exit_code == 0 and done.stderr.strip() == "计算 #1 已重命名"


@pytest.mark.slow
def test_cli_uncertainty_progress_in_chinese(tmp_path):
    """`cbmwater uncertainty --lang zh`: every progress line on stderr in Chinese (the solver's
    name as the user gave it), the scenario counts drawn as a bar (read from the progress
    message's parameters, not from its English)."""
    unc = {
        "destinations": [
            {"name": "Reuse", "price_CNY_m3": {"dist": "uniform", "low": 0.5, "high": 1.5}}
        ]
    }
    case = _hand(tmp_path, unc)
    zh = CliRunner().invoke(
        main,
        [
            "uncertainty",
            str(case),
            "--samples",
            "3",
            "--seed",
            "1",
            "--workers",
            "1",
            "--lang",
            "zh",
        ],
    )
    assert zh.exit_code == 0, zh.output
    lines = zh.stderr.strip().splitlines()
    assert lines[:2] == [
        "[  1%] 在集水站混合井水（PHREEQC）",
        "[  3%] 用处理工艺模型模拟每个（站点、工艺、时段）组合",
    ]
    assert "[ 20%] 确定性方案（确定须固定的建设内容）" in lines
    assert not any("scenario" in ln for ln in lines)  # no "scenario N of M" line: a bar
    assert lines[-1].startswith("情景计算用时 ") and lines[-1].endswith(" s")
    assert [w for ln in lines for w in english_words(ln) if w != "highs"] == []
