"""Fixtures shared by several test modules.

``flagship``: the bundled optimisation case ``cbmwater/case_studies/qinshui_south`` solved once
per test process (about 30 s) with the options of :func:`cbmwater.optimise` (MIP gap 0.005,
staged expansion) but a time limit of 600 s instead of 60 s: HiGHS's limit is wall-clock time,
and on a loaded machine a 60 s limit stops the solve short of the gap (status ``feasible``),
which the tests that need ``optimal`` would report as a failure.  The modules that use it carry
``pytest.mark.xdist_group("flagship")`` and the suite runs with ``--dist loadgroup``
(``pyproject.toml``), so under ``pytest -n 2`` they share one worker and the case is solved once
in the whole run instead of once per module.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cbmwater.optimize.case import Case, load_case
from cbmwater.optimize.plan import optimise
from cbmwater.resources import example_path

FLAGSHIP_CASE = example_path("qinshui_south", "case.toml")
#: the options of the shared solve (those of :func:`cbmwater.optimise`, a longer time limit)
FLAGSHIP_OPTIONS: dict[str, Any] = {"time_limit_s": 600.0, "mip_gap": 0.005}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``heavy`` first (a stable sort: the order is otherwise unchanged).

    Under ``-n 2 --dist loadgroup`` xdist hands out the groups (largest first) and then the
    single tests in collection order; a two-minute test collected late (``test_streaming.py``)
    would start near the end and leave the other worker idle while it runs.
    """
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


@pytest.fixture(scope="session")
def flagship_options() -> dict[str, Any]:
    """The options of the shared flagship solve (for other solves that must match them)."""
    return dict(FLAGSHIP_OPTIONS)


@pytest.fixture(scope="session")
def _flagship_solved() -> tuple[Case, dict[str, Any]]:
    case = load_case(FLAGSHIP_CASE)
    return case, optimise(case, progress=lambda m, f: None, **FLAGSHIP_OPTIONS)


@pytest.fixture
def flagship(_flagship_solved: tuple[Case, dict[str, Any]]) -> tuple[Case, dict[str, Any]]:
    """``(case, results dict)`` of the flagship's staged plan; each test gets its own copy of
    the results, so no test sees another's changes."""
    case, res = _flagship_solved
    return case, copy.deepcopy(res)
