"""Tables and a text summary of an optimisation result (for CSV/Excel export and the terminal)."""

from __future__ import annotations

import pandas as pd

__all__ = ["result_tables", "summary_text"]


def result_tables(res: dict) -> dict[str, pd.DataFrame]:
    """One DataFrame per part of the results dict: sources, transfers, flows, destinations,
    builds, costs, cuts, iterations, infeasibility (units in the column names)."""
    out: dict[str, pd.DataFrame] = {}
    out["sources"] = pd.DataFrame(res.get("sources", []))
    out["transfers"] = pd.DataFrame(res.get("transfers", []))
    out["flows"] = pd.DataFrame(res.get("flows", []))
    rows = []
    for d in res.get("destinations", []):
        row = {
            k: d[k]
            for k in (
                "name",
                "kind",
                "period",
                "year",
                "capacity_m3_d",
                "delivered_m3_d",
                "pH",
                "SAR",
            )
        }
        for k, lim in d.get("limits", {}).items():
            row[f"{k}_mg_L"] = (d.get("blend") or {}).get(k)
            row[f"{k}_limit_mg_L"] = lim
        for m, v in (d.get("SI") or {}).items():
            row[f"SI_{m}"] = v
        row["violations"] = "; ".join(d.get("violations", []))
        row["not_measured"] = ", ".join(d.get("not_measured", []))
        rows.append(row)
    out["destinations"] = pd.DataFrame(rows)
    out["builds"] = pd.DataFrame(res.get("builds", []))
    costs = (res.get("costs") or {}).get("npv_CNY", {})
    out["costs"] = pd.DataFrame({"category": list(costs), "NPV_CNY": list(costs.values())})
    out["cuts"] = pd.DataFrame(res.get("cuts", []))
    out["iterations"] = pd.DataFrame(res.get("iterations", []))
    inf = res.get("infeasibility") or {}
    out["infeasibility"] = pd.DataFrame(inf.get("items", []))
    out["exclusions"] = pd.DataFrame(
        [
            {
                k: (", ".join(map(str, v)) if k == "periods" else v)
                for k, v in e.items()
                if k not in ("mixing", "values")
            }
            for e in res.get("exclusions", [])
        ]
    )
    out["unverified_limits"] = pd.DataFrame(res.get("unverified_limits", []))
    return out


def _exclusion_lines(items: list[dict]) -> list[str]:
    """One line per (destination, train, stream, constituent) over the sites it applies to."""
    groups: dict[tuple, list[dict]] = {}
    for e in items:
        groups.setdefault((e["destination"], e["train"], e["stream"], e["constituent"]), []).append(
            e
        )
    out = []
    for (dest, train, stream, key), es in groups.items():
        sites = ", ".join(sorted({e["site"] for e in es}))
        vals = [e["value"] for e in es if e["value"] is not None]
        worst = f"{max(vals):.3g}" if vals else "n/a"
        status = es[0].get("status", "?")
        what = (
            f"mixing scale up to {worst} mg/L with the formation water > {es[0]['limit']:g} mg/L"
            if es[0]["kind"] == "formation"
            else f"{key} up to {worst} mg/L > {es[0]['limit']:g} mg/L ({es[0]['rule']})"
        )
        fix = es[0].get("fix", "").split("; in this case")[0].split("; no other")[0]
        out.append(
            f"{dest}: not the {stream} of {train} ({sites}): {what}, status {status}"
            + (f"; {fix}" if fix else "")
        )
    return out


def summary_text(res: dict) -> str:
    """A few lines an engineer reads first: status, NPV, builds, shares, checks."""
    lines = [
        f"case: {res['case']['name']}  ({res['case']['stations']} stations, "
        f"{res['case']['wells']} wells, {res['case']['periods']} periods)",
        f"status: {res['status']}   objective: {res['objective']}",
    ]
    for p in res.get("presolve", []):
        lines.append("pre-solve: " + p["message"])
    exc = _exclusion_lines(res.get("exclusions") or [])
    if exc:
        lines.append(
            "streams a destination may not take (the reasons in full: results 'exclusions'):"
        )
        lines += ["  - " + e for e in exc[:15]]
        if len(exc) > 15:
            lines.append(f"  ... and {len(exc) - 15} more")
    if res.get("infeasibility"):
        lines.append("no plan meets every constraint; what conflicts:")
        lines += ["  - " + s for s in res["infeasibility"]["summary"]]
        return "\n".join(lines)
    if res.get("objective_CNY") is None:
        return "\n".join(lines)
    k = res["kpis"]
    lines.append(
        f"NPV cost: {res['objective_CNY'] / 1e6:,.2f} million CNY "
        f"({k['unit_cost_CNY_m3']:.2f} CNY per m3 produced, discounted)"
    )
    lines.append(
        f"capital: {res['costs']['capex_total_CNY'] / 1e6:,.2f} million CNY in "
        f"{len(res['builds'])} plants"
    )
    for b in res["builds"]:
        when = "" if b.get("period", 1) == 1 else f" from period {b['period']}"
        lines.append(
            f"  {b['site']}: {b['train']} {b['size_m3_d']:g} m3/d{when}, capex "
            f"{b['capex_CNY'] / 1e6:,.2f} million CNY"
        )
    lines.append(
        f"reuse share: {100 * k['reuse_share']:.1f} %   salt to environment: "
        f"{k['salt_to_environment_t']:,.0f} t"
    )
    gap = res["solver"].get("gap")
    lines.append(
        f"solver: {res['solver']['name']} {res['solver']['status']}, gap "
        f"{'n/a' if gap is None else f'{100 * gap:.3f} %'}, "
        f"{res['solve_seconds']:.2f} s solving; cuts {len(res['cuts'])}; "
        f"iterations {len(res['iterations'])}"
    )
    v = res.get("verification", {})
    lines.append(
        "verification: "
        + (
            "every constraint holds on the returned flows"
            if v.get("ok")
            else f"VIOLATIONS {v.get('max_violation')} at {v.get('where')}"
        )
    )
    unv: dict[str, list[str]] = {}
    for u in res.get("unverified_limits") or []:
        unv.setdefault(u["destination"], []).append(
            f"{u['constituent']} {u['limit_mg_L']:g} mg/L (status {u['status']})"
        )
    if unv:
        lines.append("unverified limits (status not V) at the destinations used:")
        lines += [f"  - {d}: {', '.join(v)}" for d, v in unv.items()]
    standing = [
        f"{d['name']} period {d['period']}: {', '.join(d['violations'])}"
        for d in res.get("destinations", [])
        if d.get("violations")
    ]
    if standing:
        lines.append("geochemical violations still standing (iteration limit):")
        lines += ["  - " + s for s in standing[:10]]
    return "\n".join(lines)
