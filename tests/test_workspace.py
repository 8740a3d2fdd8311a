"""The workspace (issue 14): real runs kept and read back, key figures against the results'
own numbers and hand sums, schema migrations, and the durability promises tested with real
processes: a writer killed with SIGKILL mid-save leaves whole runs or none, and two processes
saving at the same time both succeed.
"""

from __future__ import annotations

import doctest
import hashlib
import importlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

import cbmwater
from cbmwater.resources import data_path, example_path
from cbmwater.study.workspace import InputFile, run_inputs
from cbmwater.workspace import MAX_INPUT_BYTES, WorkspaceError, key_figures
from cbmwater.workspace.schema import SCHEMA_VERSION, Base
from cbmwater.workspace.store import Store

ROOT = Path(__file__).resolve().parents[1]
LAB = example_path("qinshui", "analyses.csv")
TRAIN = "coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro"


def as_json(result):
    """The JSON the CLI writes for a result, parsed: what the workspace must give back."""
    return json.loads(result.to_json())


@pytest.fixture(scope="module")
def real():
    """Real runs on the bundled data (each well under a second)."""
    treat = cbmwater.treat(LAB, TRAIN, sample="SZ-3-04", flow_m3_d=1000)
    return {
        "treat": treat,
        "review": cbmwater.review(example_path("reinjection", "compatible.toml")),
        "review_barite": cbmwater.review(example_path("reinjection", "barite_scaling.toml")),
        "characterisation": cbmwater.characterisation(LAB),
        "compliance": cbmwater.compliance(LAB, "GB3838-2002", "III"),
    }


@pytest.fixture(scope="module")
def real_slow():
    """The bundled mine-water plan (a few s), run once.  (The bundled optimisation is the
    session's solve of it: tests/conftest.py, ``flagship``.)"""
    return {
        "minewater_plan": cbmwater.minewater_plan(example_path("daji_old_mine", "case.toml")),
    }


@pytest.fixture
def ws(tmp_path):
    return cbmwater.Workspace(tmp_path / "ws.sqlite")


@pytest.mark.parametrize(
    "module", ["cbmwater.study.workspace", "cbmwater.workspace.figures", "cbmwater.workspace.store"]
)
def test_doctests_of_the_workspace_modules_pass(module):
    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


# ---------------------------------------------------------------- a real run, round trip
def test_a_real_treat_run_and_its_lab_file_round_trip(ws, real):
    res = real["treat"]
    lab_bytes = LAB.read_bytes()
    rid = ws.save_run(
        "treat",
        res,
        inputs=run_inputs(LAB, "lab"),
        options={"train": TRAIN, "flow_m3_d": 1000, "sample": "SZ-3-04"},
        label="RO train on SZ-3-04",
    )
    # a second handle on the file (as another process would open it) reads the same
    rec = cbmwater.Workspace(ws.path).run(rid)
    assert rec.result == as_json(res)
    assert rec.kind == "treat" and rec.label == "RO train on SZ-3-04" and rec.status == "done"
    assert rec.options == {"train": TRAIN, "flow_m3_d": 1000, "sample": "SZ-3-04"}
    assert rec.engine_version == cbmwater.__version__
    assert rec.created.tzinfo is not None and abs(time.time() - rec.created.timestamp()) < 60
    sha = hashlib.sha256(lab_bytes).hexdigest()
    assert rec.input_hashes == (sha,)
    assert (rec.inputs[0].name, rec.inputs[0].kind, rec.inputs[0].size) == (
        "analyses.csv",
        "lab",
        len(lab_bytes),
    )
    assert ws.input_bytes(sha) == lab_bytes
    standards = data_path("standards.csv")
    assert rec.databases["cbmwater/databases/standards.csv"] == (
        hashlib.sha256(standards.read_bytes()).hexdigest()
    )
    # the key figures are the result's own numbers
    assert rec.key_figures == {
        "sample_id": "SZ-3-04",
        "recovery": res.recovery,
        "lcow_CNY_m3": res.lcow_CNY_m3,
        "energy_kWh_m3": res.energy_kWh_m3,
    }
    (summary,) = ws.runs()
    assert (summary.id, summary.kind, summary.key_figures) == (rid, "treat", rec.key_figures)


def test_the_same_input_is_stored_once_and_named_per_run(ws):
    a = ws.save_run("treat", {"recovery": 0.5}, inputs=[InputFile("a.csv", b"pH\n7\n", "lab")])
    b = ws.save_run("treat", {"recovery": 0.6}, inputs=[InputFile("b.csv", b"pH\n7\n", "lab")])
    assert ws.run(a).input_hashes == ws.run(b).input_hashes
    assert [ws.run(a).inputs[0].name, ws.run(b).inputs[0].name] == ["a.csv", "b.csv"]
    with sqlite3.connect(ws.path) as con:
        assert con.execute("SELECT count(*) FROM inputs").fetchone() == (1,)


def test_export_holds_the_record_and_the_inputs_and_re_runs(ws, real, tmp_path):
    proposal = example_path("reinjection", "barite_scaling.toml")
    res = real["review_barite"]
    rid = ws.save_run("review", res, inputs=run_inputs(proposal, "proposal"), label="barite")
    z = zipfile.ZipFile(io.BytesIO(ws.export(rid)))
    assert z.namelist() == ["run.json", "inputs/barite_scaling.toml", "inputs/waters.csv"]
    record = json.loads(z.read("run.json"))
    assert record["result"] == as_json(res) and record["label"] == "barite"
    assert z.read("inputs/waters.csv") == example_path("reinjection", "waters.csv").read_bytes()
    # the exported proposal re-runs to the same verdict and findings
    z.extractall(tmp_path / "x")
    again = cbmwater.review(tmp_path / "x" / "inputs" / "barite_scaling.toml")
    assert again.verdict == res.verdict
    assert [f["code"] for f in again.findings] == [f["code"] for f in res.findings]
    assert ws.export(rid) == ws.export(rid)  # deterministic bytes


def test_relabel_delete_and_ids_are_never_reused(ws):
    shared = ws.save_input("shared.csv", b"pH\n8\n", "lab")
    a = ws.save_run("treat", {"recovery": 0.5}, inputs=[shared, InputFile("own.csv", b"x", "lab")])
    b = ws.save_run("treat", {"recovery": 0.6}, inputs=[shared])
    ws.relabel(a, "  first  ")
    assert ws.run(a).label == "first"
    ws.delete(a)
    assert [r.id for r in ws.runs()] == [b]
    assert ws.input_bytes(shared) == b"pH\n8\n"  # still used by b
    with pytest.raises(WorkspaceError, match="holds no input"):
        ws.input_bytes(hashlib.sha256(b"x").hexdigest())  # only a used it: gone with it
    c = ws.save_run("treat", {"recovery": 0.7})
    assert c > b > a
    for call in (lambda: ws.run(a), lambda: ws.delete(a), lambda: ws.relabel(a, "x")):
        with pytest.raises(WorkspaceError, match=f"holds no run {a}"):
            call()


# ---------------------------------------------------------------- key figures
def test_key_figures_of_a_review_are_its_verdict_and_finding_counts(ws, real):
    for name in ("review", "review_barite"):
        res = real[name]
        kf = ws.run(ws.save_run("review", res)).key_figures
        severities = [f["severity"] for f in res.findings]
        assert kf == {
            "verdict": res.verdict,
            "n_fail": severities.count("fail"),
            "n_warning": severities.count("warning"),
            "n_conditions": len(res.conditions),
        }
        assert kf["verdict"] in ("pass", "conditional", "fail")


def test_key_figures_of_a_characterisation_count_samples_and_qa_flags(ws, real):
    ch = real["characterisation"]
    rid = ws.save_run("characterise", ch)
    rec = ws.run(rid)
    flags = Counter(ch.records["qa_flag"])
    n_lines = len(LAB.read_text(encoding="utf-8-sig").strip().splitlines()) - 1  # one a sample
    assert rec.key_figures == {
        "samples": n_lines,
        "qa_ok": flags["ok"],
        "qa_warning": flags["warning"],
        "qa_flag": flags["flag"],
    }
    assert len(rec.result["records"]) == n_lines
    assert rec.result["provenance"]["database_sha256"] == ch.provenance["database_sha256"]
    # the records come back as the CLI's JSON writes them
    cli_json = json.loads(cbmwater.study.outputs.records_json(ch.records, ch.provenance))
    assert rec.result == cli_json


def test_key_figures_of_compliance_count_verdicts(ws, real):
    res = real["compliance"]
    kf = ws.run(ws.save_run("compliance", res)).key_figures
    verdicts = [s["verdict"] for s in res.samples]
    assert kf == {
        "standard": "GB3838-2002",
        "class": "III",
        "samples": len(verdicts),
        "pass": verdicts.count("pass"),
        "fail": verdicts.count("fail"),
        "incomplete": verdicts.count("incomplete"),
    }


@pytest.mark.slow
@pytest.mark.xdist_group("flagship")
def test_key_figures_of_an_optimisation_are_its_npv_and_reuse_share(ws, flagship):
    # the bundled case as cbmwater.optimise returns it (the same options)
    plan = cbmwater.NetworkPlan.from_dict(flagship[1])
    rid = ws.save_run("optimise", plan, inputs=run_inputs(plan_case(), "case"))
    rec = ws.run(rid)
    kf = rec.key_figures
    # NPV: the sum of the cost categories; reuse share: reuse over produced volume
    assert kf["npv_CNY"] == pytest.approx(sum(plan.costs["npv_CNY"].values()), rel=1e-12)
    assert kf["npv_CNY"] == pytest.approx(plan.objective_CNY, rel=1e-12)
    assert kf["reuse_share"] == pytest.approx(
        plan.kpis["reuse_m3"] / plan.kpis["produced_m3"], rel=1e-12
    )
    assert kf["status"] == plan.status == rec.status == "optimal"
    assert rec.result == as_json(plan)
    assert [i.name for i in rec.inputs] == ["case.toml", "analyses.csv", "wells.csv"]


def plan_case():
    return example_path("qinshui_south", "case.toml")


@pytest.mark.slow
def test_key_figures_of_a_mine_plan_are_its_npv_and_capital(ws, real_slow):
    res = real_slow["minewater_plan"]
    kf = ws.run(ws.save_run("minewater_plan", res)).key_figures
    # the plan's NPV and capital are the sums over its discharge points' choices
    assert kf["npv_CNY"] == pytest.approx(sum(c["npv_CNY"] for c in res.choices), rel=1e-9)
    assert kf["capex_CNY"] == pytest.approx(sum(c["capex_CNY"] for c in res.choices), rel=1e-9)
    assert kf["status"] == res.status


# ---------------------------------------------------------------- bounds and bad input
def test_an_input_over_the_upload_cap_is_refused(ws):
    with pytest.raises(cbmwater.InputError, match="limit of 50 MB"):
        ws.save_input("big.csv", b"0" * (MAX_INPUT_BYTES + 1), "lab")
    with pytest.raises(cbmwater.InputError, match="limit of 50 MB"):
        ws.save_run("treat", {}, inputs=[InputFile("big.csv", b"0" * (MAX_INPUT_BYTES + 1))])
    assert ws.runs() == []


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda w: w.save_input("../x.csv", b"1", "lab"), "relative path"),
        (lambda w: w.save_input("/etc/x.csv", b"1", "lab"), "relative path"),
        (lambda w: w.save_input("x.csv", b"1", "pdf"), "allowed: lab, case, proposal"),
        (lambda w: w.save_input("x.csv", "text", "lab"), "must be bytes"),
        (lambda w: w.save_run("bake", {}), "unknown run kind 'bake'"),
        (lambda w: w.save_run("treat", {}, label="x" * 201), "at most 200"),
        (lambda w: w.save_run("treat", {}, label="a\nb"), "control character"),
        (lambda w: w.save_run("treat", {}, inputs=["abc"]), "SHA-256"),
        (lambda w: w.save_run("treat", object()), "got object"),
        # the engine layer takes JSON data only (the API passes results through jsonable)
        (lambda w: Store(w.path).save_run("treat", {"x": float("nan")}), "not JSON data"),
        (lambda w: w.save_run("treat", {}, inputs=["0" * 64]), "holds no input"),
        (lambda w: w.run("1"), "whole number"),
    ],
)
def test_bad_values_are_refused_with_a_message(ws, call, message):
    with pytest.raises(cbmwater.CbmwaterError, match=message):
        call(ws)
    assert ws.runs() == []


def test_nan_in_a_result_is_kept_as_null(ws):
    rid = ws.save_run("treat", {"recovery": float("nan"), "lcow_CNY_m3": 5.0})
    assert ws.run(rid).result == {"recovery": None, "lcow_CNY_m3": 5.0}
    assert ws.run(rid).key_figures["recovery"] is None


def test_files_that_are_not_a_workspace_are_refused(tmp_path):
    text = tmp_path / "lab.csv"
    text.write_bytes(b"sample_id,pH\n" * 1000)
    with pytest.raises(WorkspaceError, match="not a SQLite database"):
        cbmwater.Workspace(text)
    assert text.read_bytes() == b"sample_id,pH\n" * 1000  # untouched
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(WorkspaceError, match="another program"):
        cbmwater.Workspace(other)
    with pytest.raises(WorkspaceError, match="there is no workspace"):
        cbmwater.Workspace(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()
    with pytest.raises(cbmwater.InputError, match="is an existing folder"):
        cbmwater.Workspace(tmp_path)


def test_the_file_is_in_wal_mode_with_full_sync(ws):
    with sqlite3.connect(ws.path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    with ws._store._engine.connect() as conn:  # synchronous is a setting of the connection
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_default_path_and_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("CBMWATER_WORKSPACE", str(tmp_path / "env" / "w.sqlite"))
    ws = cbmwater.Workspace()
    assert ws.path == tmp_path / "env" / "w.sqlite" and ws.path.is_file()
    monkeypatch.delenv("CBMWATER_WORKSPACE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cbmwater.default_workspace_path() == tmp_path / "home" / ".cbmwater" / "workspace.sqlite"


# ---------------------------------------------------------------- schema and migrations
#: Version 1 of the schema as released, written out here independently of the code
#: (application_id 1667394935 is "cbmw" read as a big-endian 32-bit number).
V1_SQL = """
CREATE TABLE inputs (sha256 VARCHAR(64) NOT NULL PRIMARY KEY, name TEXT NOT NULL,
  kind TEXT NOT NULL, data BLOB NOT NULL, size INTEGER NOT NULL, added TEXT NOT NULL,
  CONSTRAINT ck_inputs_sha256 CHECK (length(sha256) = 64));
CREATE TABLE runs (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
  label TEXT DEFAULT '' NOT NULL, created TEXT NOT NULL, engine_version TEXT NOT NULL,
  databases TEXT NOT NULL, options TEXT NOT NULL, result TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE run_inputs (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL, sha256 VARCHAR(64) NOT NULL REFERENCES inputs (sha256),
  name TEXT NOT NULL, PRIMARY KEY (run_id, position));
PRAGMA application_id = 1667394935;
PRAGMA user_version = 1;
"""


def test_a_version_1_file_is_migrated_and_its_key_figures_filled_in(tmp_path, real):
    path = tmp_path / "v1.sqlite"
    res = real["treat"]
    lab = LAB.read_bytes()
    sha = hashlib.sha256(lab).hexdigest()
    with sqlite3.connect(path) as con:
        con.executescript(V1_SQL)
        con.execute(
            "INSERT INTO inputs VALUES (?, 'analyses.csv', 'lab', ?, ?, '2025-01-02T03:04:05+00:00')",
            (sha, lab, len(lab)),
        )
        con.execute(
            "INSERT INTO runs (kind, label, created, engine_version, databases, options, result,"
            " status) VALUES ('treat', 'old run', '2025-01-02T03:04:05+00:00', '0.0.9', '{}',"
            " '{}', ?, 'done')",
            (res.to_json(),),
        )
        con.execute("INSERT INTO run_inputs VALUES (1, 0, ?, 'analyses.csv')", (sha,))
    con.close()
    ws = cbmwater.Workspace(path)
    assert ws.schema_version == SCHEMA_VERSION == 2
    (summary,) = ws.runs()
    assert summary.label == "old run" and summary.created.year == 2025
    assert summary.key_figures["recovery"] == res.recovery
    assert summary.key_figures["lcow_CNY_m3"] == res.lcow_CNY_m3
    assert ws.run(1).input_hashes == (sha,) and ws.run(1).result == as_json(res)
    with sqlite3.connect(path) as con:
        indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"ix_runs_kind_created", "ix_run_inputs_sha256"} <= indexes
    assert ws.save_run("treat", res) == 2  # and it takes new runs


def test_the_migrations_build_exactly_the_orm_tables(tmp_path):
    ws = cbmwater.Workspace(tmp_path / "new.sqlite")
    made = inspect(create_engine(f"sqlite:///{ws.path}"))
    orm_file = tmp_path / "orm.sqlite"
    engine = create_engine(f"sqlite:///{orm_file}")
    Base.metadata.create_all(engine)
    orm = inspect(engine)

    def shape(insp):
        out = {}
        for t in sorted(insp.get_table_names()):
            cols = [(c["name"], c["nullable"], str(c["type"])) for c in insp.get_columns(t)]
            idx = sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(t))
            fks = sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in insp.get_foreign_keys(t)
            )
            out[t] = (cols, idx, fks, insp.get_pk_constraint(t)["constrained_columns"])
        return out

    assert shape(made) == shape(orm)
    assert set(shape(made)) == {"inputs", "runs", "run_inputs"}


def test_a_newer_schema_is_refused_with_a_message(tmp_path):
    path = tmp_path / "future.sqlite"
    cbmwater.Workspace(path).save_run("treat", {"recovery": 0.5})
    with sqlite3.connect(path) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(WorkspaceError, match=r"schema version 3, newer .* upgrade cbmwater"):
        cbmwater.Workspace(path)
    with sqlite3.connect(path) as con:  # left as it was
        assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION + 1,)
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)


# ---------------------------------------------------------------- real processes
WRITER = """
import json, os, sys, time
from cbmwater import Workspace
from cbmwater.workspace import InputFile
path, tag, count, keep, input_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
result = json.load(open(sys.argv[6]))
ws = Workspace(path)
if keep:  # say when a write transaction holds the lock (printed after BEGIN IMMEDIATE ran)
    from sqlalchemy import event
    def tx(conn):
        if conn.get_execution_options().get("cbmwater_write"):
            print("tx", flush=True)
    event.listen(ws._store._engine, "begin", tx)
print("ready", flush=True)
mine = []
i = 0
while count < 0 or i < count:
    data = os.urandom(input_bytes)
    print("begin", i, time.time(), flush=True)
    rid = ws.save_run("treat", result, inputs=[InputFile(f"{tag}-{i}.csv", data, "lab")],
                      options={"i": i, "tag": tag}, label=f"{tag}-{i}")
    print("saved", rid, time.time(), flush=True)
    mine.append(rid)
    if keep and len(mine) > keep:
        old = mine.pop(0)
        print("delete", old, flush=True)
        ws.delete(old)
        print("deleted", old, flush=True)
    i += 1
"""


def _writer(tmp_path, path, tag, count, keep, input_bytes, result_file, log):
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [str(path), tag, str(count), str(keep), str(input_bytes), str(result_file)]
    return subprocess.Popen(
        [sys.executable, str(script), *args], stdout=log, stderr=subprocess.PIPE, env=env
    )


def _check_complete(ws, run_id, expected_result):
    """A run as the writer saved it: whole result, key figures, its one input intact."""
    rec = ws.run(run_id)
    assert rec.result == expected_result
    assert rec.key_figures == key_figures("treat", expected_result) and rec.key_figures
    assert rec.label == f"{rec.options['tag']}-{rec.options['i']}"
    (inp,) = rec.inputs
    data = ws.input_bytes(inp.sha256)
    assert hashlib.sha256(data).hexdigest() == inp.sha256 and len(data) == inp.size


@pytest.mark.slow
def test_a_writer_killed_mid_save_leaves_whole_runs_or_none(tmp_path, real):
    base = as_json(real["treat"])
    # a large result (the real stages repeated, about 2 MB of JSON) so a save takes a while
    big = dict(base, stages=base["stages"] * 200)
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(big), encoding="utf-8")
    path = tmp_path / "killed.sqlite"
    rng = random.Random(14)
    kept: set[int] = set()  # runs that must be there, from earlier writers
    mid_tx = total_saved = 0
    for cycle in range(6):
        log_path = tmp_path / f"log{cycle}.txt"
        with log_path.open("w") as log:
            proc = _writer(tmp_path, path, f"w{cycle}", -1, 3, 256 * 1024, result_file, log)
            deadline = time.time() + 60
            while "ready" not in log_path.read_text() and time.time() < deadline:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.05)
            if cycle % 2 == 0:  # any moment
                time.sleep(rng.uniform(0.2, 1.5))
            else:  # a moment just after the n-th write transaction began
                n = rng.randint(1, 6)
                while log_path.read_text().count("tx") < n and time.time() < deadline:
                    time.sleep(0.001)
                time.sleep(rng.uniform(0.0, 0.05))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            assert proc.returncode == -signal.SIGKILL
        lines = [ln.split() for ln in log_path.read_text().splitlines()]
        saved = [int(ln[1]) for ln in lines if ln[0] == "saved"]
        deleted = {int(ln[1]) for ln in lines if ln[0] == "deleted"}
        total_saved += len(saved)
        last = lines[-1]
        if last[0] == "tx":  # killed inside the write transaction of a save or delete
            mid_tx += 1
            last = lines[-2]
        # the file is sound and every run in it is whole
        with sqlite3.connect(path) as con:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
            orphans = con.execute(
                "SELECT count(*) FROM runs WHERE id NOT IN (SELECT run_id FROM run_inputs)"
            ).fetchone()
            assert orphans == (0,)
        con.close()
        ws = cbmwater.Workspace(path)
        present = {r.id for r in ws.runs()}
        for rid in present:
            _check_complete(ws, rid, big)
        # nothing committed is lost: every run saved and not deleted is there ...
        must = kept | (set(saved) - deleted)
        maybe_gone = {int(last[1])} if last[0] == "delete" else set()
        assert must - maybe_gone <= present
        # ... and the only run not reported saved is one committed just before the kill
        extra = present - must
        assert len(extra) <= 1 and all(e > max(kept | set(saved), default=0) for e in extra)
        kept = present
    # kills did land inside write transactions
    assert mid_tx >= 2 and total_saved >= 5


@pytest.mark.slow
def test_two_processes_saving_at_the_same_time_both_succeed(tmp_path, real):
    result = as_json(real["treat"])
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(result), encoding="utf-8")
    path = tmp_path / "shared.sqlite"
    cbmwater.Workspace(path)  # made once; both writers open the existing file
    logs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    procs = []
    for tag, log_path in zip("ab", logs):
        with log_path.open("w") as log:
            procs.append(_writer(tmp_path, path, tag, 50, 0, 4096, result_file, log))
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    spans = []
    for log_path in logs:
        lines = [ln.split() for ln in log_path.read_text().splitlines()]
        saves = [float(ln[2]) for ln in lines if ln[0] == "saved"]
        assert len(saves) == 50
        spans.append((float(next(ln[2] for ln in lines if ln[0] == "begin")), saves[-1]))
    assert max(s for s, _ in spans) < min(e for _, e in spans)  # they did overlap
    ws = cbmwater.Workspace(path)
    runs = ws.runs()
    assert sorted(r.label for r in runs) == sorted(f"{t}-{i}" for t in "ab" for i in range(50))
    assert len({r.id for r in runs}) == 100
    for r in runs[::7]:
        _check_complete(ws, r.id, result)
