"""A large lab upload on the Characterise page runs as a job (issue 14, Deliver 6: "large
characterisations"): streamed in a worker process, saved to the workspace, its QA counts shown.

The oracle is :func:`cbmwater.characterise` called here on the same file: the job's QA counts,
its saved run's key figures and its records' sample ids equal the in-process result.  The page's
threshold (:data:`cbmwater.app.logic_large_lab.LARGE_ROWS`) is lowered so that the bundled
set (a few dozen rows) counts as large; the same code path runs for a 20,000-row file.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from app_jobs import settle, temp_workspace  # noqa: E402, F401
from streamlit.testing.v1 import AppTest  # noqa: E402

import cbmwater  # noqa: E402
from cbmwater.app import logic_large_lab as LL  # noqa: E402
from cbmwater.app.i18n import t  # noqa: E402
from cbmwater.study import BUNDLED_ANALYSES  # noqa: E402
from cbmwater.study.jobs import characterise_file  # noqa: E402
from cbmwater.study.workspace import Workspace, default_workspace_path  # noqa: E402

PAGE = BUNDLED_ANALYSES.parents[3] / "cbmwater" / "app" / "pages" / "1_Characterise.py"
TIMEOUT = 300


def test_the_threshold_counts_rows_and_megabytes():
    csv = b"sample_id,pH\n" + b"".join(b"W%d,7.5\n" % i for i in range(30))
    assert LL.data_rows(csv, "a.csv") == 30
    assert LL.data_rows(csv.rstrip(b"\n"), "a.csv") == 30
    assert LL.data_rows(csv, "a.xlsx") is None
    assert not LL.is_large(csv, "a.csv")
    assert LL.is_large(b"x" * int(LL.LARGE_MB * 1e6 + 1), "a.xlsx")


def test_bytes_with_their_name_stream_like_the_file():
    data = BUNDLED_ANALYSES.read_bytes()
    by_path = characterise_file(BUNDLED_ANALYSES, chunk_rows=16)
    by_bytes = characterise_file(data, filename="lab.csv", chunk_rows=16)
    assert by_bytes["records"] == by_path["records"]
    assert by_bytes["provenance"]["source"] == "lab.csv"


@pytest.mark.slow
def test_a_large_upload_runs_as_a_job_saved_to_the_workspace(monkeypatch):
    monkeypatch.setattr(LL, "LARGE_ROWS", 5)
    data = BUNDLED_ANALYSES.read_bytes()
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["cbm_test_upload"] = ("big_lab.csv", data)
    at.run(timeout=TIMEOUT)
    assert not at.exception
    assert not at.metric  # nothing characterised in the page's thread
    at.button(key="char_job_run").click()
    at.run(timeout=TIMEOUT)
    settle(at, TIMEOUT)
    assert not at.exception
    oracle = cbmwater.characterise(BUNDLED_ANALYSES)
    counts = oracle["qa_flag"].value_counts()
    shown = {m.label: int(m.value) for m in at.metric}
    assert shown == {t(f"n_{k}", "en"): int(counts.get(k, 0)) for k in ("ok", "warning", "flag")}
    (run,) = Workspace(default_workspace_path()).runs("characterise")
    assert run.key_figures["samples"] == len(oracle)
    stored = Workspace(default_workspace_path()).run(run.id)
    assert [r["sample_id"] for r in stored.result["records"]] == list(oracle["sample_id"])
    assert [i.name for i in stored.inputs] == ["big_lab.csv"]
