"""``cbmwater app``: serves the packaged Streamlit app, or says how to install it."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from cbmwater.cli import app_command, main

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_runs_the_packaged_entry_headless_without_deploy_button():
    cmd = app_command(8765)
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"]
    entry = Path(cmd[4])
    assert entry == ROOT / "cbmwater" / "app" / "streamlit_app.py" and entry.is_file()
    opts = dict(zip(cmd[5::2], cmd[6::2]))
    assert opts == {
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",  # no Deploy button
        "--server.port": "8765",
    }
    # the options are the shipped config file's
    shipped = (ROOT / "cbmwater" / "app" / ".streamlit" / "config.toml").read_text()
    assert 'toolbarMode = "minimal"' in shipped


def test_app_passes_the_port_and_the_exit_status(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd: calls.append(cmd) or 3)
    res = CliRunner().invoke(main, ["app", "--port", "9123"])
    assert res.exit_code == 3
    assert calls == [app_command(9123)]
    assert "http://localhost:9123" in res.output


def test_without_streamlit_it_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "streamlit" else real(name, *a),
    )
    monkeypatch.setattr(subprocess, "call", lambda cmd: pytest.fail("must not start"))
    res = CliRunner().invoke(main, ["app"])
    assert res.exit_code == 2
    assert "pip install 'cbmwater[app]'" in res.output
    assert "Traceback" not in res.output


def test_a_bad_port_is_a_usage_error():
    res = CliRunner().invoke(main, ["app", "--port", "0"])
    assert res.exit_code == 2 and "--port" in res.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_server_answers_its_health_check():
    pytest.importorskip("streamlit")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cbmwater.cli", "app", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    assert r.read().decode().strip() == "ok"
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "the app did not start in 90 s"
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
