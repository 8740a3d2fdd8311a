"""How a plan is shown: the Optimise page's result renderers (status, KPIs, Sankey, flows,
costs, builds, destination blends, solver checks, warnings), shared with the Workspace page,
which shows a stored optimisation with them.  Computing is in :mod:`logic_optimise`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from cbmwater.app import logic_optimise as LO
from cbmwater.app import widgets
from cbmwater.app.i18n import has, t
from cbmwater.app.widgets import num_col, text_col
from cbmwater.study import render

if TYPE_CHECKING:  # pragma: no cover
    from streamlit.delta_generator import DeltaGenerator

STATUS_BOX = {"optimal": st.success, "feasible": st.warning, "iteration_limit": st.warning}


def report(exc: BaseException, key: str, lang: str) -> None:
    """An engine error as a message (never a traceback); other errors named as internal."""
    widgets.report(exc, key, lang, "opt_error_internal")


def progress_callback(bar: DeltaGenerator, lang: str) -> Callable[[str, float], None]:
    def progress(msg: str, frac: float) -> None:
        f = min(max(float(frac), 0.0), 1.0)
        # an engine progress Text in the page's language (a plain string as it is)
        bar.progress(f, text=t("opt_progress", lang, pct=100 * f, msg=str(render(msg, lang))))

    return progress


def million(v: float | None) -> str:
    return "—" if v is None else f"{v / 1e6:,.2f}"


# ------------------------------------------------------------------ results
def show_status(res: dict, lang: str) -> None:
    status = res["status"]
    label = t(f"opt_status_{status}", lang) if has(f"opt_status_{status}") else status
    box = STATUS_BOX.get(status, st.error)
    gap = res.get("solver", {}).get("gap")
    box(
        t(
            "opt_status_line",
            lang,
            status=label,
            objective=t(f"opt_obj_{res['objective']}", lang),
            gap="—" if gap is None else f"{100 * gap:.3f}",
            solver=res["solver"].get("name") or "—",
            seconds=res.get("timings", {}).get("total_s") or 0.0,
        ),
        icon=(
            ":material/check_circle:"
            if status == "optimal"
            else ":material/warning:"
            if box is st.warning
            else ":material/error:"
        ),
    )
    for msg in LO.presolve_messages(res, lang):
        st.warning(t("opt_presolve", lang, msg=msg), icon=":material/warning:")


def show_infeasibility(res: dict, lang: str) -> None:
    inf = res.get("infeasibility")
    if not inf:
        return
    st.subheader(t("opt_infeas_heading", lang))
    st.markdown(t("opt_infeas_intro", lang))
    st.markdown("\n".join(f"- {s}" for s in LO.infeasibility_summary(res, lang)))
    items = LO.infeasibility_table(res, lang)
    items["kind"] = items["kind"].map(lambda k: LO._t(f"opt_slack_{k}", lang, k))
    st.dataframe(
        items,
        hide_index=True,
        key="opt_infeas_table",
        column_config={
            "kind": text_col("opt_col_slack", lang),
            "destination": text_col("opt_col_destination", lang),
            "station": text_col("opt_col_station", lang),
            "constituent": text_col("opt_col_constituent", lang),
            "period": num_col("opt_col_period", lang, "%d"),
            "m3_d": num_col("opt_col_slack_m3_d", lang, "%.1f"),
            "blend_mg_L": num_col("opt_col_blend_mg_L", lang, "%.3g"),
            "limit_mg_L": num_col("opt_col_limit_mg_L", lang, "%.3g"),
            "message": text_col("opt_col_message", lang, width="large"),
        },
    )
    st.caption(t("opt_infeas_caption", lang))


def show_kpis(res: dict, lang: str) -> None:
    k, c, v = res["kpis"], res["costs"], res.get("verification", {})
    year = res["case"].get("price_year", "")
    gap = res.get("solver", {}).get("gap")
    m = st.columns(4)
    m[0].metric(t("opt_m_npv", lang, year=year), million(res["objective_CNY"]))
    m[1].metric(t("opt_m_capex", lang, year=year), million(c.get("capex_total_CNY")))
    m[2].metric(t("opt_m_reuse", lang), f"{100 * k['reuse_share']:.1f}")
    m[3].metric(t("opt_m_salt", lang), f"{k['salt_to_environment_t']:,.1f}")
    m = st.columns(4)
    m[0].metric(t("opt_m_unit_cost", lang), f"{k['unit_cost_CNY_m3']:.2f}")
    m[1].metric(t("opt_m_gap", lang), "—" if gap is None else f"{100 * gap:.3f}")
    m[2].metric(
        t("opt_m_verified", lang),
        t("opt_verified_yes", lang) if v.get("ok") else t("opt_verified_no", lang),
    )
    m[3].metric(t("opt_m_plants", lang), f"{len(res.get('builds', []))}")
    st.caption(
        t(
            "opt_kpi_caption",
            lang,
            rate=100 * res["case"].get("discount_rate", 0),
            periods=res["case"]["periods"],
            years=res["case"]["period_years"],
            produced=k.get("produced_m3", 0.0),
        )
    )
    if not v.get("ok", True):
        where = json.dumps(v.get("where", {}), ensure_ascii=False)
        st.warning(t("opt_verify_failed", lang, where=where), icon=":material/warning:")


def show_plan(res: dict, lang: str) -> None:
    periods = int(res["case"]["periods"])
    # ---- Sankey
    st.subheader(t("opt_sankey_heading", lang))
    choice = st.selectbox(
        t("opt_sankey_period", lang),
        [0, *range(1, periods + 1)],
        key="opt_sankey_period",
        format_func=lambda p: (
            t("opt_sankey_all", lang)
            if p == 0
            else t("opt_sankey_one", lang, period=p, year=LO.year_of(res, p))
        ),
    )
    st.plotly_chart(
        LO.sankey_figure(res, lang, None if choice == 0 else int(choice)), key="opt_sankey"
    )
    st.caption(t("opt_sankey_caption", lang))

    # ---- flows over time
    st.subheader(t("opt_flows_heading", lang))
    st.plotly_chart(LO.flows_figure(res, lang), key="opt_flows")
    st.caption(t("opt_flows_caption", lang))

    # ---- costs
    year = res["case"].get("price_year", "")
    st.subheader(t("opt_cost_heading", lang))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(LO.cost_figure(res, lang), key="opt_cost")
    with right:
        costs = LO.cost_table(res)
        costs["NPV_CNY"] = costs["NPV_CNY"].round(0)
        costs["category"] = costs["category"].map(lambda c: LO.category_label(c, lang))
        total = pd.DataFrame(
            {
                "category": [t("opt_cat_total", lang)],
                "NPV_CNY": [round(float(res["objective_CNY"]))],
                "NPV_million_CNY": [float(res["objective_CNY"]) / 1e6],
            }
        )
        st.dataframe(
            pd.concat([costs, total], ignore_index=True),
            hide_index=True,
            key="opt_cost_table",
            column_config={
                "category": text_col("opt_col_category", lang),
                "NPV_CNY": num_col("opt_col_npv_cny", lang, "localized"),
                "NPV_million_CNY": num_col("opt_col_npv_mcny", lang, "%.3f"),
            },
        )
    st.caption(t("opt_cost_caption", lang, year=year))

    # ---- builds
    st.subheader(t("opt_builds_heading", lang))
    builds = LO.builds_table(res)
    money = ["capex_CNY", "fixed_opex_CNY_yr", "capital_NPV_CNY"]
    builds[money] = builds[money].astype(float).round(0)
    if builds.empty:
        st.caption(t("opt_no_builds", lang))
    else:
        st.dataframe(
            builds,
            hide_index=True,
            key="opt_builds",
            column_config={
                "site": text_col("opt_col_site", lang),
                "train": text_col("opt_col_train", lang),
                "size_m3_d": num_col("opt_col_size", lang, "localized"),
                "capex_CNY": num_col("opt_col_capex", lang, "localized"),
                "fixed_opex_CNY_yr": num_col("opt_col_fixed_opex", lang, "localized"),
                "capital_NPV_CNY": num_col("opt_col_capital_npv", lang, "localized"),
                "peak_feed_m3_d": num_col("opt_col_peak_feed", lang, "%.1f"),
                "units": text_col("opt_col_units", lang, width="large"),
            },
        )
        st.caption(t("opt_builds_caption", lang, year=year))

    # ---- destinations
    st.subheader(t("opt_dest_heading", lang))
    dest = LO.destinations_table(res, lang)
    if st.checkbox(t("opt_dest_active", lang), value=True, key="opt_dest_active"):
        dest = dest[(dest["delivered_m3_d"] > 1e-6) | (dest["over"])]
    dest["kind"] = dest["kind"].map(lambda k: LO.kind_label(k, lang))
    dest["over"] = dest["over"].map(lambda b: "✗" if b else "✓")
    st.dataframe(
        dest,
        hide_index=True,
        key="opt_destinations",
        column_config={
            "name": text_col("opt_col_destination", lang),
            "kind": text_col("opt_col_kind", lang),
            "period": num_col("opt_col_period", lang, "%d"),
            "year": num_col("opt_year", lang, "%d"),
            "capacity_m3_d": num_col("opt_col_capacity", lang, "%.1f"),
            "delivered_m3_d": num_col("opt_col_delivered", lang, "%.1f"),
            "limits": text_col("opt_col_blend_limits", lang, width="large"),
            "pH": num_col("opt_col_pH", lang, "%.2f"),
            "pH_range": text_col("opt_col_pH_range", lang),
            "SAR": num_col("opt_col_SAR", lang, "%.2f"),
            "SAR_max": num_col("opt_col_SAR_max", lang),
            "SI": text_col("opt_col_SI", lang, width="medium"),
            "violations": text_col("opt_col_violations", lang, width="medium"),
            "not_measured": text_col("opt_col_not_measured", lang),
            "over": text_col("opt_col_ok", lang),
        },
    )
    st.caption(t("opt_dest_caption", lang))


def show_checks(res: dict, lang: str) -> None:
    st.subheader(t("opt_checks_heading", lang))
    v = res.get("verification")
    if v:
        st.markdown(
            t(
                "opt_verify_line",
                lang,
                ok=t("opt_verified_yes", lang) if v.get("ok") else t("opt_verified_no", lang),
            )
        )
    its = LO.iterations_table(res)
    its["status"] = its["status"].map(lambda x: LO.status_label(x, lang))
    st.dataframe(
        its,
        hide_index=True,
        key="opt_iterations",
        column_config={
            "iteration": num_col("opt_col_iteration", lang, "%d"),
            "status": text_col("opt_col_status", lang),
            "objective": num_col("opt_col_objective", lang, "localized"),
            "gap": num_col("opt_col_gap", lang, "%.2e"),
            "cuts_added": num_col("opt_col_cuts_added", lang, "%d"),
            "hubs_updated": text_col("opt_col_hubs_updated", lang),
            "reason": text_col("opt_col_reason", lang),
        },
    )
    cuts = LO.cuts_table(res)
    if cuts.empty:
        st.caption(t("opt_no_cuts", lang))
    else:
        st.markdown(t("opt_cuts_line", lang, n=len(cuts)))
        st.dataframe(
            cuts,
            hide_index=True,
            key="opt_cuts",
            column_config={
                "destination": text_col("opt_col_destination", lang),
                "period": num_col("opt_col_period", lang, "%d"),
                "property": text_col("opt_col_property", lang),
                "sense": text_col("opt_col_sense", lang),
                "limit": num_col("opt_col_cut_limit", lang, "%.4g"),
                "value": num_col("opt_col_cut_value", lang, "%.4g"),
                "iteration": num_col("opt_col_iteration", lang, "%d"),
                "terms": num_col("opt_col_terms", lang, "%d"),
            },
        )
    st.caption(t("opt_checks_caption", lang))
    with st.expander(t("opt_method", lang)):
        st.json(res.get("method", {}))
        if v:
            st.json(v)
        st.json(res.get("versions", {}))


def show_warnings(res: dict, lang: str) -> None:
    st.subheader(t("opt_warnings_heading", lang))
    if res.get("warnings"):
        st.markdown("\n".join(f"- {w}" for w in LO.warnings(res, lang)))
    else:
        st.caption(t("opt_no_warnings", lang))


def show_result(res: dict, lang: str) -> None:
    """A whole optimisation result: status, KPIs and plan (when there is one), the
    infeasibility explanation, the solver's checks and the warnings."""
    show_status(res, lang)
    if LO.has_plan(res):
        show_kpis(res, lang)
        show_plan(res, lang)
    show_infeasibility(res, lang)
    show_checks(res, lang)
    show_warnings(res, lang)
