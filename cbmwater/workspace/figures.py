"""The key figures of a run: the few numbers a list of runs shows, taken from its result.

Each kind of run has its own figures, read from the keys of the API result's ``to_dict()``
(the JSON the CLI writes); a figure the result does not hold is ``None`` (an infeasible plan
has no NPV), never a guess.  The workspace stores them with the run, so a list of hundreds of
runs does not parse every result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["key_figures", "RUN_KINDS", "FIGURES"]


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, Mapping):
            return None
        d = d.get(k)
    return d


def _optimise(r: Mapping[str, Any]) -> dict[str, Any]:
    # costs.total_CNY is the NPV of every cost category (= objective_CNY for a cost objective;
    # for a reuse or salt objective objective_CNY is still the plan's cost NPV).
    npv = _num(_get(r, "costs", "total_CNY"))
    return {
        "status": r.get("status"),
        "npv_CNY": npv if npv is not None else _num(r.get("objective_CNY")),
        "reuse_share": _num(_get(r, "kpis", "reuse_share")),
    }


def _review(r: Mapping[str, Any]) -> dict[str, Any]:
    severities = Counter(
        f.get("severity") for f in r.get("findings") or [] if isinstance(f, Mapping)
    )
    return {
        "verdict": r.get("verdict"),
        "n_fail": severities.get("fail", 0),
        "n_warning": severities.get("warning", 0),
        "n_conditions": len(r.get("conditions") or []),
    }


def _treat(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "sample_id": r.get("sample_id"),
        "recovery": _num(r.get("recovery")),
        "lcow_CNY_m3": _num(r.get("lcow_CNY_m3")),
        "energy_kWh_m3": _num(r.get("energy_kWh_m3")),
    }


def _characterise(r: Mapping[str, Any]) -> dict[str, Any]:
    records = [x for x in r.get("records") or [] if isinstance(x, Mapping)]
    flags = Counter(x.get("qa_flag") for x in records)
    return {
        "samples": len(records),
        "qa_ok": flags.get("ok", 0),
        "qa_warning": flags.get("warning", 0),
        "qa_flag": flags.get("flag", 0),
    }


def _compliance(r: Mapping[str, Any]) -> dict[str, Any]:
    samples = [s for s in r.get("samples") or [] if isinstance(s, Mapping)]
    verdicts = Counter(s.get("verdict") for s in samples)
    return {
        "standard": r.get("standard_id"),
        "class": r.get("class"),
        "samples": len(samples),
        "pass": verdicts.get("pass", 0),
        "fail": verdicts.get("fail", 0),
        "incomplete": verdicts.get("incomplete", 0),
    }


def _minewater_plan(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "status": r.get("status"),
        "npv_CNY": _num(r.get("npv_CNY")),
        "capex_CNY": _num(r.get("capex_CNY")),
    }


def _minewater_neutralise(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reagent": r.get("reagent"),
        "target_pH": _num(r.get("target_pH")),
        "dose_mg_L": _num(r.get("dose_mg_L")),
        "reagent_kg_d": _num(r.get("reagent_kg_d")),
        "sludge_dry_mg_L": _num(r.get("sludge_dry_mg_L")),
    }


def _minewater_size(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "option": r.get("option"),
        "area_m2": _num(r.get("area_m2")),
        "land_m2": _num(r.get("land_m2")),
        "volume_m3": _num(r.get("volume_m3")),
        "capex_CNY": _num(r.get("capex_CNY")),
        "opex_CNY_yr": _num(r.get("opex_CNY_yr")),
    }


def _pareto(r: Mapping[str, Any]) -> dict[str, Any]:
    points = [p for p in r.get("points") or [] if isinstance(p, Mapping)]
    return {
        "points": len(points),
        "solved": sum(1 for p in points if p.get("objective_CNY") is not None),
    }


def _uncertainty(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "samples": r.get("samples"),
        "npv_p50_CNY": _num(_get(r, "npv_CNY", "p50")),
        "npv_p90_CNY": _num(_get(r, "npv_CNY", "p90")),
        "reuse_share_p50": _num(_get(r, "reuse_share", "p50")),
    }


def _sensitivity(r: Mapping[str, Any]) -> dict[str, Any]:
    top = _get(r, "output_stats", "npv_CNY", "top_factor")
    st = next(
        (_get(f, "npv_CNY", "ST") for f in r.get("factors") or [] if f.get("name") == top), None
    )
    return {
        "samples": r.get("samples"),
        "evaluations": r.get("evaluations_count"),
        "npv_top_factor": top,
        "npv_top_ST": _num(st),
    }


#: kind -> the function that reads its key figures from the result dict.
FIGURES: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "characterise": _characterise,
    "compliance": _compliance,
    "treat": _treat,
    "review": _review,
    "optimise": _optimise,
    "pareto": _pareto,
    "minewater_plan": _minewater_plan,
    "minewater_neutralise": _minewater_neutralise,
    "minewater_size": _minewater_size,
    "uncertainty": _uncertainty,
    "sensitivity": _sensitivity,
}

#: The kinds of run a workspace keeps.  A new kind is a new entry here (the column is text,
#: so it needs no migration); kinds without an entry in :data:`FIGURES` have no key figures.
RUN_KINDS: tuple[str, ...] = (
    *FIGURES,
    "minewater_acidity",
)


def key_figures(kind: str, result: Mapping[str, Any]) -> dict[str, Any]:
    """The key figures of a run of ``kind`` from its result dict.

    Parameters
    ----------
    kind : str
        One of :data:`RUN_KINDS`.
    result : mapping
        The API result's ``to_dict()`` (for ``characterise``: ``{"records": [...],
        "provenance": {...}}``; for ``pareto``: ``{"points": [...]}``).

    Returns
    -------
    dict
        optimise: ``status``, ``npv_CNY`` (CNY), ``reuse_share`` (-); review: ``verdict``,
        ``n_fail``, ``n_warning``, ``n_conditions``; treat: ``sample_id``, ``recovery`` (-),
        ``lcow_CNY_m3`` (CNY/m3), ``energy_kWh_m3``; characterise: ``samples`` and the QA
        counts ``qa_ok``, ``qa_warning``, ``qa_flag``; compliance: ``standard``, ``class``,
        ``samples``, ``pass``, ``fail``, ``incomplete``; minewater_plan: ``status``,
        ``npv_CNY``, ``capex_CNY`` (CNY); minewater_neutralise: ``reagent``, ``target_pH``,
        ``dose_mg_L`` (mg/L of pure reagent), ``reagent_kg_d`` (kg/d, None without a flow),
        ``sludge_dry_mg_L`` (mg/L); minewater_size: ``option``, ``area_m2``, ``land_m2`` (m2),
        ``volume_m3`` (m3), ``capex_CNY`` (CNY), ``opex_CNY_yr`` (CNY/yr); uncertainty: ``samples``, ``npv_p50_CNY``,
        ``npv_p90_CNY`` (CNY) and ``reuse_share_p50`` (-); sensitivity: ``samples`` (base
        samples), ``evaluations``, ``npv_top_factor`` (the factor of largest total Sobol index
        of the NPV) and ``npv_top_ST`` (-); other kinds: ``{}``.

    Examples
    --------
    >>> key_figures("treat", {"sample_id": "W1", "recovery": 0.75, "lcow_CNY_m3": 6.2,
    ...                       "energy_kWh_m3": 1.1})
    {'sample_id': 'W1', 'recovery': 0.75, 'lcow_CNY_m3': 6.2, 'energy_kWh_m3': 1.1}
    >>> key_figures("review", {"verdict": "conditional", "conditions": ["antiscalant"],
    ...                        "findings": [{"severity": "warning"}]})
    {'verdict': 'conditional', 'n_fail': 0, 'n_warning': 1, 'n_conditions': 1}
    """
    fn = FIGURES.get(kind)
    return {} if fn is None else fn(result)
