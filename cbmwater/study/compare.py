"""Scenario comparison: two or more optimisation plans, or two or more treatment trains, side by
side (:func:`compare_plans`, :func:`compare_trains`).

A comparison is a set of *wide* tables, one column per run, built only from the runs' own result
dicts (the API's ``to_dict()``, as kept in the workspace), so a comparison can be made from
stored runs without re-running anything.

Which limits bind: the engine's rule, :mod:`cbmwater.optimize.binding`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import InputError
from ..i18n import Text
from ..optimize.binding import binding_limits as engine_binding_limits
from .results import JsonResult

__all__ = ["Comparison", "compare_plans", "compare_trains", "binding_limits", "PLAN_KPIS"]

#: KPIs of a plan: key in the result, label, unit
PLAN_KPIS: tuple[tuple[str, str, str], ...] = (
    ("objective_CNY", "NPV of costs", "CNY"),
    ("reuse_share", "Reuse share", "-"),
    ("produced_m3", "Water produced", "m3"),
    ("reuse_m3", "Water reused", "m3"),
    ("salt_to_environment_t", "Salt to the environment", "t"),
    ("capex_total_CNY", "Capital cost", "CNY"),
    ("unit_cost_CNY_m3", "Unit cost", "CNY/m3"),
)

#: KPIs of a treatment train: key in the result, label, unit
TRAIN_KPIS: tuple[tuple[str, str, str], ...] = (
    ("recovery", "Recovery", "-"),
    ("lcow_CNY_m3", "LCOW", "CNY/m3"),
    ("energy_kWh_m3", "Specific energy", "kWh/m3"),
    ("capex_CNY", "Capital cost", "CNY"),
    ("opex_CNY_yr", "Operating cost", "CNY/yr"),
)


@dataclass(frozen=True)
class Comparison:
    """Runs compared side by side.

    Attributes
    ----------
    kind : {"optimise", "treat"}
    runs : tuple of str
        The runs' names, in order; each wide table has one column per run with these names.
    tables : dict of str to pandas.DataFrame
        Plans: ``kpis``, ``builds``, ``flows`` (delivered m3/d by destination and period),
        ``costs`` (NPV by category, CNY), ``binding`` (value/limit of each binding limit).
        Trains: ``kpis``, ``units`` (the trains' unit lists), ``quality`` (product mg/L).
        A ``delta`` column (last run minus first) follows the run columns where numbers are
        compared.
    """

    kind: str
    runs: tuple[str, ...]
    tables: dict[str, pd.DataFrame]

    def to_frame(self, table: str) -> pd.DataFrame:
        """One table (a copy); ``KeyError`` names the tables there are."""
        if table not in self.tables:
            raise KeyError(f"no table {table!r}; tables: {', '.join(self.tables)}")
        return self.tables[table].copy()

    def to_dict(self) -> dict[str, Any]:
        """``{"kind", "runs", "tables": {name: records}}`` (JSON-ready, NaN as None)."""
        out: dict[str, Any] = {}
        for name, frame in self.tables.items():
            clean = frame.astype(object).where(frame.notna(), None)
            out[name] = clean.to_dict("records")
        return {"kind": self.kind, "runs": list(self.runs), "tables": out}


def _as_dict(result: JsonResult | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(result, JsonResult):
        return result.to_dict()
    if isinstance(result, Mapping):
        return dict(result)
    raise InputError(Text.of("study.error.compare_type", kind=type(result).__name__))


def _names(results: Sequence[Any], names: Sequence[str] | None) -> tuple[str, ...]:
    if len(results) < 2:
        raise InputError(Text.of("study.error.compare_few", n=len(results)))
    if names is None:
        return tuple(f"run {i + 1}" for i in range(len(results)))
    labels = tuple(str(n) for n in names)
    if len(labels) != len(results):
        raise InputError(Text.of("study.error.compare_names", names=len(labels), runs=len(results)))
    if len(set(labels)) != len(labels):
        raise InputError(Text.of("study.error.compare_unique", names=str(list(labels))))
    return labels


def _with_delta(frame: pd.DataFrame, runs: tuple[str, ...]) -> pd.DataFrame:
    values = frame[list(runs)].apply(pd.to_numeric, errors="coerce")
    frame["delta"] = values[runs[-1]].fillna(0.0) - values[runs[0]].fillna(0.0)
    return frame


def binding_limits(plan: JsonResult | Mapping[str, Any]) -> pd.DataFrame:
    """The limits a plan's blends sit at, per destination and period, as a table.

    The rule is the engine's (:func:`cbmwater.optimize.binding.binding_limits`): an upper limit
    binds when the blend uses at least 99.5 % of it, a pH or SI bound when the value is within
    0.01 units of it.

    Parameters
    ----------
    plan : NetworkPlan or its dict

    Returns
    -------
    pandas.DataFrame
        Columns ``destination``, ``period``, ``property``, ``value``, ``limit``, ``use``;
        ``property`` is a constituent key (mg/L), ``pH_min``/``pH_max``, ``SAR``,
        ``SI_<mineral>`` or ``capacity`` (m3/d).
    """
    columns = ["destination", "period", "property", "value", "limit", "use"]
    rows = engine_binding_limits(_as_dict(plan))
    return pd.DataFrame([{c: r[c] for c in columns} for r in rows], columns=columns)


def _plan_kpis(plans: list[dict[str, Any]], runs: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for key, label, unit in PLAN_KPIS:
        row: dict[str, Any] = {"kpi": label, "unit": unit}
        for name, plan in zip(runs, plans):
            value = plan.get(key) if key == "objective_CNY" else plan.get("kpis", {}).get(key)
            row[name] = value
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["kpi", "unit", *runs])
    status = {
        "kpi": "Solver status",
        "unit": "",
        **{n: p.get("status") for n, p in zip(runs, plans)},
    }
    frame = _with_delta(frame, runs).astype(object)
    frame.loc[len(frame)] = {**status, "delta": None}
    return frame


def _plan_builds(plans: list[dict[str, Any]], runs: tuple[str, ...]) -> pd.DataFrame:
    sizes: dict[tuple[str, str], dict[str, float]] = {}
    for name, plan in zip(runs, plans):
        for b in plan.get("builds", []):
            key = (str(b["site"]), str(b["train"]))
            sizes.setdefault(key, {})[name] = float(b["size_m3_d"])
    rows = []
    for (site, train), by_run in sorted(sizes.items()):
        row: dict[str, Any] = {"site": site, "train": train}
        row.update({n: by_run.get(n) for n in runs})
        present = [n for n in runs if n in by_run]
        if len(present) < len(runs):
            change = "only in " + ", ".join(present)
        elif len({by_run[n] for n in runs}) > 1:
            change = "resized"
        else:
            change = "same"
        row["change"] = change
        rows.append(row)
    return pd.DataFrame(rows, columns=["site", "train", *runs, "change"])


def _plan_flows(plans: list[dict[str, Any]], runs: tuple[str, ...]) -> pd.DataFrame:
    totals: dict[tuple[str, int], dict[str, float]] = {}
    for name, plan in zip(runs, plans):
        for d in plan.get("destinations", []):
            key = (str(d["name"]), int(d["period"]))
            totals.setdefault(key, {})[name] = float(d.get("delivered_m3_d") or 0.0)
    rows = [
        {"destination": dest, "period": period, **{n: by.get(n, 0.0) for n in runs}}
        for (dest, period), by in sorted(totals.items())
    ]
    frame = pd.DataFrame(rows, columns=["destination", "period", *runs])
    return _with_delta(frame, runs)


def _plan_costs(plans: list[dict[str, Any]], runs: tuple[str, ...]) -> pd.DataFrame:
    categories: list[str] = []
    for plan in plans:
        for cat in plan.get("costs", {}).get("npv_CNY", {}):
            if cat not in categories:
                categories.append(cat)
    rows = [
        {
            "category": cat,
            **{n: p.get("costs", {}).get("npv_CNY", {}).get(cat) for n, p in zip(runs, plans)},
        }
        for cat in categories
    ]
    rows.append(
        {
            "category": "total",
            **{n: p.get("costs", {}).get("total_CNY") for n, p in zip(runs, plans)},
        }
    )
    return _with_delta(pd.DataFrame(rows, columns=["category", *runs]), runs)


def _plan_binding(plans: list[dict[str, Any]], runs: tuple[str, ...]) -> pd.DataFrame:
    merged: dict[tuple[str, int, str], dict[str, Any]] = {}
    for name, plan in zip(runs, plans):
        for row in binding_limits(plan).to_dict("records"):
            key = (str(row["destination"]), int(row["period"]), str(row["property"]))
            entry = merged.setdefault(key, {"limit": row["limit"]})
            entry[name] = row["value"]
    rows = [
        {
            "destination": d,
            "period": p,
            "property": prop,
            "limit": e["limit"],
            **{n: e.get(n) for n in runs},
        }
        for (d, p, prop), e in sorted(merged.items())
    ]
    return pd.DataFrame(rows, columns=["destination", "period", "property", "limit", *runs])


def compare_plans(
    plans: Sequence[JsonResult | Mapping[str, Any]],
    names: Sequence[str] | None = None,
) -> Comparison:
    """Compare two or more optimisation plans side by side.

    Parameters
    ----------
    plans : sequence of NetworkPlan or their dicts
        Results of :func:`cbmwater.optimise` (or runs kept in the workspace).
    names : sequence of str, optional
        Column names of the runs (default ``run 1``, ``run 2``, ...).

    Returns
    -------
    Comparison
        Tables ``kpis`` (NPV CNY, reuse share, m3, t, CNY/m3), ``builds`` (m3/d per site and
        train, with ``change``), ``flows`` (delivered m3/d per destination and period),
        ``costs`` (NPV CNY per category) and ``binding`` (the blend value at each binding limit).

    Examples
    --------
    >>> a = {"status": "optimal", "objective_CNY": 100.0, "kpis": {"reuse_share": 0.5}}
    >>> b = {"status": "optimal", "objective_CNY": 80.0, "kpis": {"reuse_share": 0.4}}
    >>> c = compare_plans([a, b], ["base", "cheap"])
    >>> float(c.to_frame("kpis").set_index("kpi").loc["NPV of costs", "delta"])
    -20.0
    """
    dicts = [_as_dict(p) for p in plans]
    runs = _names(dicts, names)
    tables = {
        "kpis": _plan_kpis(dicts, runs),
        "builds": _plan_builds(dicts, runs),
        "flows": _plan_flows(dicts, runs),
        "costs": _plan_costs(dicts, runs),
        "binding": _plan_binding(dicts, runs),
    }
    return Comparison("optimise", runs, tables)


def compare_trains(
    results: Sequence[JsonResult | Mapping[str, Any]], names: Sequence[str] | None = None
) -> Comparison:
    """Compare two or more treatment trains side by side.

    Parameters
    ----------
    results : sequence of TreatmentResult or their dicts
        Results of :func:`cbmwater.treat`.
    names : sequence of str, optional
        Column names of the runs.

    Returns
    -------
    Comparison
        Tables ``kpis`` (recovery -, LCOW CNY/m3, kWh/m3, capital CNY, operating CNY/yr),
        ``units`` (each train's units in order) and ``quality`` (product mg/L per constituent,
        and pH, one column per run).

    Examples
    --------
    >>> a = {"recovery": 0.75, "lcow_CNY_m3": 6.0, "units": ["ro"], "product": {}}
    >>> b = {"recovery": 0.85, "lcow_CNY_m3": 7.5, "units": ["ro", "ro"], "product": {}}
    >>> round(float(compare_trains([a, b]).to_frame("kpis").loc[0, "delta"]), 2)
    0.1
    """
    dicts = [_as_dict(r) for r in results]
    runs = _names(dicts, names)
    kpis = pd.DataFrame(
        [
            {"kpi": label, "unit": unit, **{n: r.get(key) for n, r in zip(runs, dicts)}}
            for key, label, unit in TRAIN_KPIS
        ],
        columns=["kpi", "unit", *runs],
    )
    units = pd.DataFrame(
        [
            {"run": n, "units": " → ".join(map(str, r.get("units", [])))}
            for n, r in zip(runs, dicts)
        ],
        columns=["run", "units"],
    )

    def product(r: Mapping[str, Any]) -> dict[str, Any]:
        prod = r.get("product") or {}
        return {"pH": prod.get("pH"), **(prod.get("concentrations") or {})}

    constituents: list[str] = []
    for r in dicts:
        constituents += [c for c in product(r) if c not in constituents]
    quality = pd.DataFrame(
        [
            {"constituent": c, **{n: product(r).get(c) for n, r in zip(runs, dicts)}}
            for c in constituents
        ],
        columns=["constituent", *runs],
    )
    return Comparison(
        "treat",
        runs,
        {"kpis": _with_delta(kpis, runs), "units": units, "quality": _with_delta(quality, runs)},
    )
