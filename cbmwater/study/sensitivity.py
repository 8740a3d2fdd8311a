"""Global sensitivity of a plan through the public API: :func:`sensitivity` and
:class:`SensitivityResult` (``cbmwater uncertainty --sensitivity``; docs/uncertainty.md)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import Message, Text
from .results import JsonResult, attached
from .uncertainty import plan_job

if TYPE_CHECKING:  # pragma: no cover
    from ..optimize.case import Case

__all__ = ["sensitivity", "SensitivityResult", "INDEX_COLUMNS", "SENSITIVITY_OUTPUTS"]

Progress = Callable[[str, float], None]

#: Outputs :func:`sensitivity` can analyse (figures of each evaluated scenario).
SENSITIVITY_OUTPUTS: tuple[str, ...] = ("npv_CNY", "reuse_share", "reuse_m3", "unallocated_m3")
#: Columns of the ``indices`` table: one row per output and factor.
INDEX_COLUMNS: tuple[str, ...] = (
    "output",
    "factor",
    "parameter",
    "S1",
    "S1_conf",
    "ST",
    "ST_conf",
)
_MAX_BASE = 65536


def _index_rows(res: SensitivityResult) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = []
    for out in res.outputs:
        for f in res.factors:
            rows.append({"output": out, "factor": f["name"], "parameter": f["parameter"], **f[out]})
    return rows


def _evaluation_rows(res: SensitivityResult) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = []
    for r in res.evaluations:
        rows.append({k: v for k, v in r.items() if k != "inputs"} | dict(r.get("inputs", {})))
    return rows


@dataclass(frozen=True)
class SensitivityResult(JsonResult):
    """Sobol indices of a plan's outputs to its uncertain inputs (``cbmwater uncertainty
    --sensitivity --format json``).

    Attributes
    ----------
    samples : int
        Base samples N of the Saltelli design (a power of 2).
    evaluations_count : int
        Scenarios evaluated: ``N (G + 2)`` for G factors.
    seed : int
        Seed of the scrambled Sobol sequence and of SALib's bootstrap.
    outputs : list of str
        The outputs analysed (``npv_CNY``: NPV cost, CNY; ``reuse_share``: -).
    factors : list of dict
        One per factor, in the section's order: ``name``, ``parameter``, ``distribution``,
        ``variables`` (independent variables the factor holds: one per well or station of a
        per-well row) and, for each output, ``{S1, S1_conf, ST, ST_conf}``: the first-order and
        total Sobol indices with the half-widths of their 95 % bootstrap confidence intervals
        (None where the output is constant or a scenario failed, see ``output_stats``).
    output_stats : dict
        Per output: ``mean``, ``variance`` (over the design), ``sum_S1``, ``top_factor`` (the
        factor of largest ST), ``note`` (why there are no indices, else empty) and
        ``note_i18n`` (the note as a message: code and parameters; engine catalogue).
    deterministic : dict
        The plan whose builds are fixed: ``status``, ``npv_CNY``, ``reuse_share``, ``builds``.
    evaluations : list of dict
        One row per design point: ``point``, ``status``, the outputs and the ``inputs`` used.
    """

    samples: int
    evaluations_count: int
    seed: int
    outputs: list[str]
    factors: list[dict[str, Any]]
    output_stats: dict[str, dict[str, Any]]
    deterministic: dict[str, Any]
    solved: int
    failed: list[dict[str, Any]]
    case: dict[str, Any]
    method: dict[str, str]
    evaluations: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    #: wall times (s); not part of the JSON (runs on other executors give the same JSON)
    timings: dict[str, float] | None = attached()

    TABLES = {
        "indices": (_index_rows, INDEX_COLUMNS),
        "evaluations": (
            _evaluation_rows,
            ("point", "status", *SENSITIVITY_OUTPUTS),
        ),
    }

    def to_frame(self, table: str | None = None) -> Any:
        """``indices`` (default: one row per output and factor) or ``evaluations`` (the
        documented columns, then one per input value)."""
        import pandas as pd

        if table == "evaluations":
            return pd.DataFrame(_evaluation_rows(self))
        return super().to_frame(table)

    def ranked(self, output: str) -> list[dict[str, Any]]:
        """The factors with indices for ``output``, largest ST first (the tornado's order)."""
        rows = [
            {"name": f["name"], **f[output]} for f in self.factors if f[output]["ST"] is not None
        ]
        return sorted(rows, key=lambda r: (-r["ST"], r["name"]))

    def summary_text(self, lang: str = "en") -> str:
        """The result in a few lines in ``lang`` (``cbmwater uncertainty --sensitivity
        --format text``).  Factor names are the case's own (table and parameter keys)."""
        from ..i18n import named, render, translate

        def t(code: str, **params: Any) -> str:
            return translate(f"sensitivity.text.{code}", lang, **params)

        out = [
            t(
                "head",
                name=self.case.get("name", ""),
                samples=self.samples,
                factors=len(self.factors),
                evaluations=self.evaluations_count,
                seed=self.seed,
                solved=self.solved,
            )
        ]
        for o in self.outputs:
            st = self.output_stats[o]
            label = render(named("sensitivity.text.output", o), lang)
            if st.get("note"):
                note = render(st.get("note_i18n") or st["note"], lang)
                out.append(t("note", output=label, note=note))
                continue
            out.append(t("output", output=label, variance=st["variance"], sum_S1=st["sum_S1"]))
            for r in self.ranked(o):
                out.append(
                    t(
                        "factor",
                        name=r["name"],
                        ST=r["ST"],
                        ST_conf=r["ST_conf"],
                        S1=r["S1"],
                        S1_conf=r["S1_conf"],
                    )
                )
        return "\n".join(out)


def _check(base_samples: object, outputs: object) -> tuple[int, list[str]]:
    from ..errors import InputError

    ok = (
        isinstance(base_samples, int)
        and not isinstance(base_samples, bool)
        and 4 <= base_samples <= _MAX_BASE
        and base_samples & (base_samples - 1) == 0
    )
    if not ok:
        raise InputError(
            Text.of("sensitivity.error.base_samples", max=_MAX_BASE, got=repr(base_samples))
        )
    assert isinstance(base_samples, int)
    if isinstance(outputs, str) or not isinstance(outputs, Sequence) or not outputs:
        raise InputError(
            Text.of(
                "sensitivity.error.outputs",
                allowed=", ".join(SENSITIVITY_OUTPUTS),
                got=repr(outputs),
            )
        )
    for o in outputs:
        if o not in SENSITIVITY_OUTPUTS:
            raise InputError(
                Text.of(
                    "sensitivity.error.unknown_output",
                    output=repr(o),
                    allowed=", ".join(SENSITIVITY_OUTPUTS),
                ),
                value=o,
            )
    return base_samples, list(dict.fromkeys(outputs))


def _note(msg: Message) -> dict[str, Any]:
    return {"top_factor": None, "note": msg.render("en"), "note_i18n": msg.to_dict()}


def _analyse(
    cols: Sequence[Any], rows: Sequence[Mapping[str, Any]], output: str, seed: int
) -> tuple[dict[str, Any], dict[str, list[float]] | None]:
    """The output's statistics and its indices (None when it fails or does not vary)."""
    import numpy as np

    from ..optimize.sensitivity import indices, output_values

    y = output_values(rows, output)
    if y is None:
        bad = sum(1 for r in rows if r.get(output) is None)
        msg = Message(
            "sensitivity.note.unsolved", {"failed": bad, "total": len(rows), "output": output}
        )
        return {"mean": None, "variance": None, "sum_S1": None, **_note(msg)}, None
    arr = np.asarray(y, float)
    mean, var = float(arr.mean()), float(arr.var())
    if np.ptp(arr) <= 1e-9 * max(1.0, abs(mean)):
        msg = Message("sensitivity.note.constant", {"output": output, "value": f"{mean:.6g}"})
        return {"mean": mean, "variance": var, "sum_S1": None, **_note(msg)}, None
    si = indices(cols, y, seed)
    stats = {"mean": mean, "variance": var, "sum_S1": float(sum(si["S1"])), "top_factor": None}
    return stats | {"note": "", "note_i18n": None}, si


def sensitivity(
    case: str | Path | Mapping[str, Any] | Case,
    *,
    base_samples: int,
    seed: int,
    outputs: Sequence[str] = ("npv_CNY", "reuse_share"),
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    database: str | None = None,
    allow_outside: bool = False,
) -> SensitivityResult:
    """Sobol indices of a plan's NPV and reuse share to the uncertain inputs of its case.

    The case's least-cost plan fixes the builds (as in :func:`cbmwater.uncertainty`); each
    point of SALib's Saltelli design re-optimises the flows with the PHREEQC checks.  One
    factor per uncertain parameter as ``[uncertainty]`` declares it (a per-well row is one
    factor of one variable per well; qi and Di of a correlated row are one factor, keeping
    the copula); see :mod:`cbmwater.optimize.sensitivity` and docs/uncertainty.md.

    Parameters
    ----------
    case : str, Path, mapping or Case
        A ``case.toml`` with an ``[uncertainty]`` section.
    base_samples : int
        N, a power of 2 from 4 to 65536; ``N (G + 2)`` scenarios are solved for G factors.
    seed : int
        Seed of the scrambled Sobol sequence and of the bootstrap (>= 0).
    outputs : sequence of str
        Of ``npv_CNY`` (NPV cost, CNY), ``reuse_share`` (-), ``reuse_m3`` and
        ``unallocated_m3`` (m3 over the horizon).
    workers, scheduler, progress, solver, time_limit_s, mip_gap, database, allow_outside
        As for :func:`cbmwater.uncertainty`.

    Returns
    -------
    SensitivityResult
        ``factors[]`` with S1, S1_conf, ST, ST_conf per output.

    Examples
    --------
    >>> import cbmwater
    >>> res = cbmwater.sensitivity("case.toml", base_samples=64, seed=1)  # doctest: +SKIP
    >>> res.ranked("npv_CNY")[0]["name"]  # doctest: +SKIP
    "destination 'Coal preparation plant' price_CNY_m3"
    """
    from ..executor import map_tasks
    from ..optimize.sensitivity import PointJob, design_columns, factors_of, run_point, sample

    n, outs = _check(base_samples, outputs)
    prog = progress or (lambda _m, _f: None)
    t0 = time.perf_counter()
    c, det, job = plan_job(
        case,
        seed=seed,
        progress=prog,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        database=database,
        allow_outside=allow_outside,
    )
    t_det = time.perf_counter() - t0
    assert c.uncertainty is not None  # plan_job checked
    cols = design_columns(c.uncertainty)
    factors = factors_of(c.uncertainty)
    design = sample(cols, n, seed)
    items = [(i, tuple(float(x) for x in row)) for i, row in enumerate(design)]
    total = len(items)
    pjob = PointJob(job, tuple(cols))

    def step(done: int, _total: int | None) -> None:
        prog(
            Text.of("sensitivity.progress.scenario", done=done, total=total),
            0.3 + 0.7 * done / total,
        )

    t1 = time.perf_counter()
    rows = map_tasks(
        partial(run_point, pjob), items, workers=workers, scheduler=scheduler, progress=step
    )
    t_sc = time.perf_counter() - t1
    stats: dict[str, dict[str, Any]] = {}
    per: dict[str, dict[str, list[float]] | None] = {}
    for o in outs:
        stats[o], per[o] = _analyse(cols, rows, o, seed)
    fout = []
    for k, f in enumerate(factors):
        entry: dict[str, Any] = {
            "name": f.name,
            "parameter": f.parameter,
            "distribution": f.distribution,
            "variables": f.variables,
        }
        for o in outs:
            si = per[o]
            entry[o] = {key: (None if si is None else si[key][k]) for key in INDEX_COLUMNS[3:]}
        fout.append(entry)
    for o in outs:
        si = per[o]
        stats[o]["top_factor"] = (
            None
            if si is None
            else factors[max(range(len(factors)), key=lambda k: si["ST"][k])].name
        )
    evals = [
        {
            "point": r["scenario"],
            "status": r["status"],
            **{o: r.get(o) for o in SENSITIVITY_OUTPUTS},
            "inputs": r["inputs"],
        }
        for r in rows
    ]
    res = {
        "samples": n,
        "evaluations_count": total,
        "seed": seed,
        "outputs": outs,
        "factors": fout,
        "output_stats": stats,
        "deterministic": {
            "status": det["status"],
            "npv_CNY": det["objective_CNY"],
            "reuse_share": det["kpis"]["reuse_share"],
            "builds": [f"{b['site']}/{b['train']} {b['size_m3_d']:g}" for b in det["builds"]],
        },
        "solved": sum(1 for r in rows if r["status"] in ("optimal", "feasible")),
        "failed": [
            {"point": r["scenario"], "status": r["status"]}
            for r in rows
            if r["status"] not in ("optimal", "feasible")
        ],
        "case": {"name": c.name, "sha256": c.sha256, "periods": c.periods},
        "method": {
            "builds": "fixed from the case's least-cost plan (cbmwater optimise); flows "
            "re-optimised per scenario with the PHREEQC blend checks",
            "factors": "one per uncertain parameter as [uncertainty] declares it; a per-well "
            "(per-station) row is one factor holding one independent variable per well "
            "(station); its indices are those of the group",
            "correlation": "Sobol indices assume independent factors: qi and Di of a row with "
            "rho_qi_Di != 0 are one factor, its two variables per well joined by the same "
            "Gaussian copula as the Monte Carlo draws",
            "design": "SALib sobol.sample (Saltelli's scheme on a scrambled Sobol sequence, "
            "seeded), no second-order terms: N (G + 2) scenarios; each unit variable mapped "
            "to its distribution by the inverse CDF",
            "indices": "SALib sobol.analyze: S1 and ST (Saltelli et al. 2010 estimators) with "
            "95 % bootstrap confidence half-widths (100 resamples, seed + 1)",
        },
        "evaluations": evals,
        "warnings": list(c.warnings),
    }
    return SensitivityResult.from_dict(
        res,
        timings={
            "deterministic_s": t_det,
            "scenarios_s": t_sc,
            "total_s": time.perf_counter() - t0,
        },
    )
