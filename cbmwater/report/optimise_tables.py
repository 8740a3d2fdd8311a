"""Tables and a text summary of an optimisation result (for CSV/Excel export and the terminal)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..i18n import catalogue, render, translate

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


def _t(code: str, lang: str, **params: Any) -> str:
    """A line of the optimisation text summary (engine catalogue, ``optimise.text.*``) in ``lang``."""
    return translate(f"optimise.text.{code}", lang, **params)


def _r(d: dict, key: str, lang: str) -> Any:
    """Engine text ``key`` of a result item in ``lang`` (its ``<key>_i18n`` when present)."""
    if lang == "en" or f"{key}_i18n" not in d:
        return d[key]
    return render(d[f"{key}_i18n"], lang)


def _named(prefix: str, key: str, lang: str) -> str:
    """A status or objective id in ``lang`` (the id itself in English or when unnamed)."""
    if lang == "en":
        return key
    code = f"optimise.text.{prefix}.{key}"
    return translate(code, lang) if catalogue("en", "engine").get(code) else key


def _exclusion_lines(items: list[dict], lang: str = "en") -> list[str]:
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
        if lang != "en":
            sites = "、".join(sorted({e["site"] for e in es}))
            worst = f"{max(vals):.3g}" if vals else "—"
        what = (
            _t("exclusion.formation", lang, worst=worst, limit=es[0]["limit"])
            if es[0]["kind"] == "formation"
            else _t(
                "exclusion.limit",
                lang,
                key=key,
                worst=worst,
                limit=es[0]["limit"],
                rule=es[0]["rule"],
            )
        )
        if lang == "en":
            fix = es[0].get("fix", "").split("; in this case")[0].split("; no other")[0]
        else:
            fix = str(_r(es[0], "fix", lang)) if es[0].get("fix") else ""
        stream_name = stream if lang == "en" else _named("stream", stream, lang)
        line = _t(
            "exclusion.line",
            lang,
            dest=dest,
            stream=stream_name,
            train=train,
            sites=sites,
            what=what,
            status=status,
        )
        out.append(line + (_t("exclusion.fix", lang, fix=fix) if fix else ""))
    return out


def summary_text(res: dict, lang: str = "en") -> str:
    """A few lines an engineer reads first: status, NPV, builds, shares, checks; in ``lang``."""
    c = res["case"]
    lines = [
        _t(
            "case",
            lang,
            name=c["name"],
            stations=c["stations"],
            wells=c["wells"],
            periods=c["periods"],
        ),
        _t(
            "status",
            lang,
            status=_named("status", res["status"], lang),
            objective=_named("objective", res["objective"], lang),
        ),
    ]
    for p in res.get("presolve", []):
        lines.append(_t("presolve", lang, text=_r(p, "message", lang)))
    exc = _exclusion_lines(res.get("exclusions") or [], lang)
    if exc:
        lines.append(_t("exclusions", lang))
        lines += ["  - " + e for e in exc[:15]]
        if len(exc) > 15:
            lines.append(_t("more", lang, n=len(exc) - 15))
    if res.get("infeasibility"):
        lines.append(_t("infeasible", lang))
        lines += ["  - " + s for s in _r(res["infeasibility"], "summary", lang)]
        return "\n".join(lines)
    if res.get("objective_CNY") is None:
        return "\n".join(lines)
    k = res["kpis"]
    lines.append(_t("npv", lang, npv=res["objective_CNY"] / 1e6, unit=k["unit_cost_CNY_m3"]))
    lines.append(
        _t("capital", lang, capex=res["costs"]["capex_total_CNY"] / 1e6, n=len(res["builds"]))
    )
    for b in res["builds"]:
        lines.append(
            _t(
                "build" if b.get("period", 1) == 1 else "build_from",
                lang,
                site=b["site"],
                train=b["train"],
                size=b["size_m3_d"],
                period=b.get("period", 1),
                capex=b["capex_CNY"] / 1e6,
            )
        )
    lines.append(_t("shares", lang, reuse=100 * k["reuse_share"], salt=k["salt_to_environment_t"]))
    gap = res["solver"].get("gap")
    lines.append(
        _t(
            "solver",
            lang,
            name=res["solver"]["name"],
            status=_named("status", res["solver"]["status"], lang),
            gap=("n/a" if lang == "en" else "—") if gap is None else f"{100 * gap:.3f} %",
            seconds=res["solve_seconds"],
            cuts=len(res["cuts"]),
            iterations=len(res["iterations"]),
        )
    )
    v = res.get("verification", {})
    lines.append(
        _t("verified", lang)
        if v.get("ok")
        else _t(
            "violations",
            lang,
            max=v.get("max_violation"),
            where=_r(v, "where", lang) if "where" in v else None,
        )
    )
    unv: dict[str, list[str]] = {}
    for u in res.get("unverified_limits") or []:
        unv.setdefault(u["destination"], []).append(
            _t(
                "unverified_item",
                lang,
                key=u["constituent"],
                limit=u["limit_mg_L"],
                status=u["status"],
            )
        )
    sep = ", " if lang == "en" else "、"
    if unv:
        lines.append(_t("unverified", lang))
        colon = ": " if lang == "en" else "："
        lines += [f"  - {d}{colon}{sep.join(v)}" for d, v in unv.items()]
    standing = [
        _t(
            "standing_item",
            lang,
            name=d["name"],
            period=d["period"],
            violations=sep.join(map(str, _r(d, "violations", lang))),
        )
        for d in res.get("destinations", [])
        if d.get("violations")
    ]
    if standing:
        lines.append(_t("standing", lang))
        lines += ["  - " + s for s in standing[:10]]
    return "\n".join(lines)
