"""The orchestrator: runs a whole piece of work from files to results.

The CLI, the app and end-to-end tests go through these functions; each wires the layers together
(water -> geochem -> ...) and nothing below imports this module.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from .geochem.characterise import Characterisation, characterise
from .resources import example_path, resource_label
from .water.io import read_analyses

if TYPE_CHECKING:  # pragma: no cover
    from .treatment.economics import Economics
    from .water.analysis import AnalysisSet

__all__ = ["characterise_file", "treat_file", "treat_analyses", "BUNDLED_ANALYSES"]

#: The representative Qinshui data set shipped with the project (constructed; see its README).
BUNDLED_ANALYSES = example_path("qinshui", "analyses.csv")


def characterise_file(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    database: str | Path | None = None,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    irrigation: bool = False,
    redox: str | None = None,
) -> Characterisation:
    """Read a lab file (CSV/Excel) and characterise every sample.

    ``redox`` is ``"fe2"`` (default: total Fe without a redox statement is Fe(II)),
    ``"pe:VALUE"`` or ``"measured"`` (Fe2/Fe3, ORP_mV or DO of each sample); see
    :func:`cbmwater.water.io.read_analyses` and
    :func:`cbmwater.geochem.characterise.characterise` for the other parameters.
    """
    analyses = read_analyses(path, sheet)
    return characterise(analyses, database, charge_balance=charge_balance,
                        censored_policy=censored_policy, irrigation=irrigation, redox=redox)


def treat_analyses(
    analyses: "AnalysisSet",
    sample_id: str,
    train: str | list[str],
    flow_m3_d: float = 1000.0,
    *,
    database: str | Path | None = None,
    censored_policy: str = "half",
    economics: "Economics | None" = None,
    redox: str | None = None,
) -> dict[str, object]:
    """Simulate and cost ``train`` on one sample of ``analyses`` at ``flow_m3_d``.

    ``redox``: ``"fe2"`` (default: total Fe is Fe(II)) or ``"pe:VALUE"`` for the PHREEQC-backed
    units.  Returns the dict of :func:`cbmwater.treatment.summary.summarise` plus ``sample_id``,
    ``price_year``, ``currency``, ``redox_basis`` and ``provenance``.
    """
    import math

    from . import __version__
    from .errors import InputError
    from .treatment.chemistry import treatment_redox
    from .treatment.costing import cost_train
    from .treatment.economics import load_economics
    from .treatment.library import load_library
    from .treatment.streams import StreamBatch
    from .treatment.summary import summarise
    from .treatment.train import simulate_train

    if not isinstance(flow_m3_d, (int, float)) or not math.isfinite(flow_m3_d) or flow_m3_d <= 0:
        raise InputError(f"--flow-m3-d must be a positive number of m3/d; got {flow_m3_d!r}")
    one = analyses.subset([sample_id])
    lib = load_library()
    econ = economics or load_economics()
    feed = StreamBatch.from_frame(one.resolved(censored_policy), float(flow_m3_d))
    basis = treatment_redox(redox)
    result = simulate_train(train, feed, library=lib, economics=econ,
                            database=None if database is None else str(database),
                            redox=basis.label)
    cost = cost_train(result, econ)
    out = {"sample_id": sample_id, "price_year": econ.price_year, "currency": "CNY",
           "redox_basis": basis.label}
    out.update(summarise(result, cost, 0))
    notes = one.censored_notes(censored_policy).get(sample_id, [])
    out["warnings"] = notes + out["warnings"]
    out["provenance"] = {"cbmwater": __version__, "unit_library": str(lib.path.name),
                         "analyses_sha256": one.fingerprint(), "source": resource_label(analyses.source)}
    return out


def treat_file(path: str | Path, sample_id: str, train: str | list[str], flow_m3_d: float = 1000.0,
               *, sheet: str | int | None = None, **options) -> dict[str, object]:
    """:func:`treat_analyses` on a sample of a lab file."""
    return treat_analyses(read_analyses(path, sheet), sample_id, train, flow_m3_d, **options)


def optimise_file(path: str | Path, **options) -> dict[str, object]:
    """Load a decision-engine case (``case.toml``) and optimise it.

    ``options`` go to :func:`cbmwater.optimize.plan.optimise` (objective, solver, time_limit_s,
    mip_gap, max_iterations, budget_CNY, write_lp, write_mps, progress).
    """
    from .optimize.case import load_case
    from .optimize.plan import optimise

    return optimise(load_case(path), **options)


def pareto_file(path: str | Path, **options) -> list[dict[str, object]]:
    """Epsilon-constraint front (NPV cost against reuse share) of a case file."""
    from .optimize.case import load_case
    from .optimize.plan import pareto_front

    return pareto_front(load_case(path), **options)


def minewater_plan_file(path: str | Path, **options) -> dict[str, object]:
    """Load a mine-water case (``case.toml``) and choose its plan (see
    :func:`cbmwater.minewater.plan.plan`)."""
    from .minewater.case import load_mine_case
    from .minewater.plan import plan

    return plan(load_mine_case(path), **options)
