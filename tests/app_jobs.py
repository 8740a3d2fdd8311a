"""AppTest helpers for pages whose long runs are jobs (cbmwater.app.logic_jobs).

A page submits its run to the server's job runner and polls it in a fragment
(``st.fragment(run_every=...)``); AppTest does not run that timer, so :func:`settle` waits for
the runner's jobs here and runs the page again, as the fragment would.  Jobs save their runs to
the workspace, so every module using these helpers gets a temporary one
(:func:`temp_workspace`, autouse when imported into a test module).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cbmwater.study.jobs import default_runner
from cbmwater.study.workspace import WORKSPACE_ENV


@pytest.fixture(autouse=True, scope="module")
def temp_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``CBMWATER_WORKSPACE`` -> a fresh file for the module (never the user's workspace)."""
    path = tmp_path_factory.mktemp("workspace") / "workspace.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setenv(WORKSPACE_ENV, str(path))
    yield path
    mp.undo()


def settle(at: Any, timeout: float = 300.0) -> Any:
    """Wait until no job of this process's runner is queued or running, then run the page
    again (it takes the finished job's result)."""
    runner = default_runner()
    for status in runner.jobs():
        if not status.final:
            runner.wait(status.id, timeout)
    at.run(timeout=timeout)
    return at
