"""The workspace on the command line: ``--save`` on the run commands, and ``cbmwater workspace
list|show|export|relabel|delete``, with the file named by ``CBMWATER_WORKSPACE`` or
``--workspace``.  What is saved is compared with what the same command printed.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner

from cbmwater.cli import main
from cbmwater.resources import example_path

LAB = example_path("qinshui", "analyses.csv")
TRAIN = "coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro"
PROPOSAL = example_path("reinjection", "barite_scaling.toml")


def cli(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def listing(*where, env=None):
    r = cli("workspace", "list", "--format", "json", *where, env=env)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_treat_save_with_the_environment_variable_then_list_show_relabel_delete(tmp_path):
    ws = tmp_path / "env" / "ws.sqlite"
    env = {"CBMWATER_WORKSPACE": str(ws)}
    r = cli(
        "treat", LAB, "--sample", "SZ-3-04", "--train", TRAIN, "--format", "json",
        "--save", "--label", "RO on SZ-3-04", env=env,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    printed = json.loads(r.stdout)
    assert f"saved as run 1 in {ws}" in r.stderr
    (row,) = listing(env=env)
    assert (row["id"], row["kind"], row["label"]) == (1, "treat", "RO on SZ-3-04")
    assert row["key_figures"]["recovery"] == printed["recovery"]
    assert row["key_figures"]["lcow_CNY_m3"] == printed["lcow_CNY_m3"]
    shown = json.loads(cli("workspace", "show", "1", "--format", "json", env=env).stdout)
    assert shown["result"] == printed
    assert shown["options"] == {
        "sample_id": "SZ-3-04",
        "train": TRAIN,
        "flow": 1000.0,
        "database": "phreeqc",
        "sheet": None,
        "redox": "fe2",
    }
    assert [(i["name"], i["kind"], i["size"]) for i in shown["inputs"]] == [
        ("analyses.csv", "lab", LAB.stat().st_size)
    ]
    text = cli("workspace", "show", "1", env=env).stdout
    assert "recovery 0.6058" in text and "input analyses.csv (lab" in text
    assert cli("workspace", "relabel", "1", "kept", env=env).exit_code == 0
    assert listing(env=env)[0]["label"] == "kept"
    assert cli("workspace", "delete", "1", env=env).exit_code == 0
    assert listing(env=env) == []
    with sqlite3.connect(ws) as con:  # the lab file went with its only run
        assert con.execute("SELECT count(*) FROM inputs").fetchone() == (0,)


def test_review_save_with_workspace_option_then_export_re_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("CBMWATER_WORKSPACE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the default must stay untouched
    ws = tmp_path / "w.sqlite"
    r = cli("review", PROPOSAL, "--save", "--workspace", ws, "--label", "barite")
    assert r.exit_code == 0, r.output
    printed = json.loads(r.stdout)
    (row,) = listing("--workspace", ws)
    assert row["key_figures"]["verdict"] == printed["verdict"]
    assert row["key_figures"]["n_fail"] == [f["severity"] for f in printed["findings"]].count(
        "fail"
    )
    out = tmp_path / "out" / "run.zip"
    r = cli("workspace", "export", str(row["id"]), "--out", out, "--workspace", ws)
    assert r.exit_code == 0, r.output
    z = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    assert z.namelist() == ["run.json", "inputs/barite_scaling.toml", "inputs/waters.csv"]
    assert json.loads(z.read("run.json"))["result"] == printed
    z.extractall(tmp_path / "x")
    again = cli("review", tmp_path / "x" / "inputs" / "barite_scaling.toml")
    assert json.loads(again.stdout)["verdict"] == printed["verdict"]
    assert not (tmp_path / "home").exists()


def test_characterise_and_compliance_save_the_records_they_write(tmp_path):
    ws = tmp_path / "w.sqlite"
    out = tmp_path / "c.json"
    r = cli("characterise", LAB, "--out", out, "--save", "--workspace", ws)
    assert r.exit_code == 0, r.output
    written = json.loads(out.read_text(encoding="utf-8"))
    r = cli("compliance", LAB, "--standard", "GB3838-2002", "--class", "III", "--format",
            "json", "--save", "--workspace", ws)  # fmt: skip
    assert r.exit_code == 0, r.output
    checked = json.loads(r.stdout)
    rows = {row["kind"]: row for row in listing("--workspace", ws)}
    assert rows["characterise"]["key_figures"]["samples"] == len(written)
    assert rows["characterise"]["key_figures"]["qa_ok"] == sum(
        1 for w in written if w["qa_flag"] == "ok"
    )
    shown = json.loads(
        cli(
            "workspace", "show", rows["characterise"]["id"], "--format", "json", "--workspace", ws
        ).stdout
    )
    assert shown["result"]["records"] == written
    assert rows["compliance"]["key_figures"]["fail"] == sum(
        1 for s in checked["samples"] if s["verdict"] == "fail"
    )


def test_without_save_nothing_is_written_and_options_need_save(tmp_path):
    ws = tmp_path / "w.sqlite"
    env = {"CBMWATER_WORKSPACE": str(ws)}
    r = cli("treat", LAB, "--sample", "SZ-3-04", "--train", TRAIN, env=env)
    assert r.exit_code == 0 and not ws.exists()
    r = cli("treat", LAB, "--sample", "SZ-3-04", "--train", TRAIN, "--label", "x", env=env)
    assert r.exit_code == 2 and "--workspace and --label go with --save" in r.output
    assert not ws.exists()


def test_errors_are_messages_not_tracebacks(tmp_path):
    ws = tmp_path / "w.sqlite"
    r = cli("workspace", "list", "--workspace", ws)
    assert r.exit_code == 2 and "there is no workspace" in r.stderr and not ws.exists()
    cli("review", PROPOSAL, "--save", "--workspace", ws)
    for args, message in [
        (("workspace", "show", "7"), "holds no run 7"),
        (("workspace", "delete", "7"), "holds no run 7"),
        (("workspace", "relabel", "1", "x" * 300), "at most 200"),
        (("workspace", "list", "--kind", "bake"), "unknown run kind 'bake'"),
        (("workspace", "export", "1", "--out", tmp_path), "is a directory"),
    ]:
        r = cli(*args, "--workspace", ws)
        assert r.exit_code == 2, (args, r.output)
        assert message in r.stderr and "Traceback" not in r.output
    with sqlite3.connect(ws) as con:
        con.execute("PRAGMA user_version = 99")
    con.close()
    r = cli("workspace", "list", "--workspace", ws)
    assert r.exit_code == 2 and "schema version 99, newer" in r.stderr


@pytest.mark.slow
def test_minewater_plan_save_keeps_the_case_and_its_table(tmp_path):
    ws = tmp_path / "w.sqlite"
    case = example_path("daji_old_mine", "case.toml")
    r = cli("minewater", "plan", case, "--format", "json", "--save", "--workspace", ws)
    assert r.exit_code == 0, r.output
    printed = json.loads(r.stdout)
    (row,) = listing("--workspace", ws)
    assert row["key_figures"]["npv_CNY"] == printed["npv_CNY"]
    shown = json.loads(cli("workspace", "show", "1", "--format", "json", "--workspace", ws).stdout)
    assert [i["name"] for i in shown["inputs"]] == ["case.toml", "analyses.csv"]
    assert shown["inputs"][1]["kind"] == "lab"
