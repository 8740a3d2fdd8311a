"""Optimise the network / 优化决策.

The decision engine on a case (a bundled one or an uploaded .zip of case.toml and its CSV
tables): edit the destinations' capacities, prices, fees and explicit limits, choose the
objective and solver limits, run with progress shown, and read the plan -- KPIs, a Sankey of
station -> train -> destination, flows over time, the NPV cost breakdown, plants to build,
destination blends against their limits with the PHREEQC checks, the solver's iterations and
cuts, and, when no plan exists, the engine's explanation.  A Pareto front of cost against reuse
share runs on demand.  All computing is in :mod:`logic_optimise` (engine calls only).

Testing hooks: if ``st.session_state["cbm_test_upload"]`` holds ``(filename, bytes)`` the page
reads it as the uploaded .zip (Streamlit's AppTest cannot drive a file uploader).  Edits are
seeded through the editor's own state, ``st.session_state["opt_editor"] = {"edited_rows":
{row: {column: value}}, "added_rows": [], "deleted_rows": []}``.  The page leaves the results
dict of the last run in ``st.session_state["cbm_opt_result"]``, the Pareto front in
``st.session_state["cbm_opt_pareto"]`` and the download bytes in
``st.session_state["cbm_opt_downloads"]`` (``{"json", "zip"}``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from cbmwater import CbmwaterError
from cbmwater.app import logic_optimise as LO
from cbmwater.app.common import TEST_UPLOAD_KEY, bundled_case, case_source, page_setup
from cbmwater.app.i18n import has, t

if TYPE_CHECKING:  # pragma: no cover
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.elements.lib.column_types import ColumnConfig  # st.column_config.*'s type

RESULT_KEY = "cbm_opt_result"
RESULT_META_KEY = "cbm_opt_result_meta"
PARETO_KEY = "cbm_opt_pareto"
PARETO_META_KEY = "cbm_opt_pareto_meta"
DOWNLOADS_KEY = "cbm_opt_downloads"
EDITOR_KEY = "opt_editor"
EDITOR_CASE_KEY = "_opt_editor_case"
STATUS_BOX = {"optimal": st.success, "feasible": st.warning, "iteration_limit": st.warning}


def text_col(key: str, lang: str, **kw: Any) -> ColumnConfig:
    return st.column_config.TextColumn(t(key, lang), **kw)


def num_col(key: str, lang: str, fmt: str = "%.2f", **kw: Any) -> ColumnConfig:
    return st.column_config.NumberColumn(t(key, lang), format=fmt, **kw)


def report(exc: BaseException, key: str, lang: str) -> None:
    """An engine error as a message (never a traceback); other errors named as internal."""
    if isinstance(exc, CbmwaterError):
        st.error(t(key, lang, msg=exc.render(lang)), icon=":material/error:")
    else:
        st.error(
            t("opt_error_internal", lang, kind=type(exc).__name__, msg=str(exc)),
            icon=":material/bug_report:",
        )


def progress_callback(bar: DeltaGenerator, lang: str) -> Callable[[str, float], None]:
    def progress(msg: str, frac: float) -> None:
        f = min(max(float(frac), 0.0), 1.0)
        bar.progress(f, text=t("opt_progress", lang, pct=100 * f, msg=msg))

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
    dest = LO.destinations_table(res)
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


# ------------------------------------------------------------------ page
lang = page_setup("pages/4_Optimise.py")
st.title(t("opt_title", lang))
st.markdown(t("opt_intro", lang))

# ---- case: bundled or uploaded
st.header(t("opt_case_heading", lang))
test_upload = st.session_state.get(TEST_UPLOAD_KEY)
source = case_source(lang, "opt", "opt_source", test_upload is not None)
try:
    if source == "bundled":
        paths = {LO.case_label(p): p for p in LO.bundled_cases()}
        chosen = bundled_case(
            lang,
            paths,
            "opt_no_bundled",
            "opt_case_select",
            "opt_case",
            {rel: LO.case_title(p) for rel, p in paths.items()},
        )
        if chosen is None:
            st.stop()
        src = LO.load_bundled(chosen)
    else:
        up = st.file_uploader(
            t("opt_upload", lang), type=["zip"], help=t("opt_upload_help", lang), key="opt_upload"
        )
        if up is not None:
            zip_data, zip_name = up.getvalue(), up.name
        elif test_upload is not None:
            zip_name, zip_data = test_upload
        else:
            st.info(t("opt_upload_wait", lang))
            st.stop()
        src = LO.load_zip(zip_data, zip_name)
    base_case = LO.build_case(src)
except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
    report(exc, "opt_error_case", lang)
    st.stop()

if st.session_state.get(EDITOR_CASE_KEY) != src.key:  # another case: forget the edits
    st.session_state.pop(EDITOR_KEY, None)
    st.session_state[EDITOR_CASE_KEY] = src.key
st.caption(
    t(
        "opt_case_caption",
        lang,
        name=base_case.name,
        periods=base_case.periods,
        years=base_case.period_years,
        start=base_case.start_year,
        stations=len(base_case.stations),
        hubs=len(base_case.hubs),
        wells=len(base_case.wells),
        trains=len(base_case.trains),
        dests=len(base_case.destinations),
    )
)
if base_case.note:
    st.caption(base_case.note)
for w in LO.case_warnings(base_case, lang):
    st.warning(w, icon=":material/warning:")
with st.expander(t("opt_glance", lang)):
    glance = LO.glance_tables(base_case)
    st.markdown(t("opt_glance_production", lang))
    st.dataframe(glance["production"].style.format("{:,.1f}"), key="opt_glance_production")
    st.markdown(t("opt_glance_trains", lang))
    st.dataframe(
        glance["trains"],
        hide_index=True,
        key="opt_glance_trains",
        column_config={
            "name": text_col("opt_col_train", lang),
            "units": text_col("opt_col_units", lang),
            "sites": text_col("opt_col_sites", lang),
        },
    )
    st.markdown(t("opt_glance_destinations", lang))
    g = glance["destinations"]
    g["kind"] = g["kind"].map(lambda k: LO.kind_label(k, lang))
    st.dataframe(
        g,
        hide_index=True,
        key="opt_glance_destinations",
        column_config={
            "name": text_col("opt_col_destination", lang),
            "kind": text_col("opt_col_kind", lang),
            "capacity_m3_d": text_col("opt_col_capacity", lang),
            "limits": text_col("opt_col_effective_limits", lang, width="large"),
            "pH_range": text_col("opt_col_pH_range", lang),
            "SAR_max": num_col("opt_col_SAR_max", lang),
            "SI_max": text_col("opt_col_SI_max", lang),
            "price_CNY_m3": num_col("opt_col_price", lang),
            "fee_CNY_m3": num_col("opt_col_fee", lang),
            "transport": text_col("opt_col_transport", lang),
            "accepts": text_col("opt_col_accepts", lang),
        },
    )

# ---- key parameters: destinations and run options
st.header(t("opt_params_heading", lang))
table = LO.destination_table(src.data)
table["kind"] = table["kind"].map(lambda k: LO.kind_label(k, lang))
limit_cols = [c for c in table.columns if c.startswith("limit_")]
config = {
    "name": text_col("opt_col_destination", lang),
    "kind": text_col("opt_col_kind", lang),
    "capacity_case": text_col("opt_col_capacity_case", lang),
    "capacity_m3_d": num_col(
        "opt_col_capacity_edit", lang, "%.1f", min_value=0.0, help=t("opt_capacity_help", lang)
    ),
    "price_CNY_m3": num_col(
        "opt_col_price", lang, "%.2f", min_value=0.0, help=t("opt_price_help", lang)
    ),
    "fee_CNY_m3": num_col("opt_col_fee", lang, "%.2f", min_value=0.0, help=t("opt_fee_help", lang)),
}
for c in limit_cols:
    config[c] = st.column_config.NumberColumn(
        t("opt_col_limit", lang, name=c[len("limit_") :]),
        format="%.4g",
        min_value=0.0,
        help=t("opt_limit_help", lang, name=c[len("limit_") :]),
    )
edited = st.data_editor(
    table,
    key=EDITOR_KEY,
    hide_index=True,
    num_rows="fixed",
    disabled=["name", "kind", "capacity_case"],
    column_config=config,
)
st.caption(t("opt_editor_caption", lang))
data2, changes = LO.apply_edits(src.data, edited)
if changes:

    def _v(x: object) -> str:
        return "—" if x is None else str(x)

    st.markdown(
        t("opt_changes", lang, n=len(changes))
        + "\n"
        + "\n".join(
            f"- {c['destination']} · `{c['field']}`: {_v(c['old'])} → {_v(c['new'])}"
            for c in changes
        )
    )
    try:
        case = LO.build_case(src, data2, changes)
    except Exception as exc:  # noqa: BLE001
        report(exc, "opt_error_edit", lang)
        st.stop()
else:
    case = base_case

c1, c2, c3, c4 = st.columns(4)
objective = c1.selectbox(
    t("opt_objective", lang),
    list(LO.OBJECTIVES),
    key="opt_objective",
    format_func=lambda o: t(f"opt_obj_{o}", lang),
    help=t("opt_objective_help", lang),
)
time_limit = c2.number_input(
    t("opt_time_limit", lang),
    min_value=1.0,
    max_value=3600.0,
    value=60.0,
    step=10.0,
    format="%.0f",
    key="opt_time_limit",
)
gap_pct = c3.number_input(
    t("opt_gap", lang),
    min_value=0.0,
    max_value=20.0,
    value=0.5,
    step=0.1,
    format="%.2f",
    key="opt_gap",
)
budget_m = None
if objective != "cost":
    budget_m = c4.number_input(
        t("opt_budget", lang),
        min_value=0.0,
        value=None,
        step=1.0,
        format="%.2f",
        key="opt_budget",
        help=t(
            "opt_budget_help",
            lang,
            case="—" if case.budget_CNY is None else f"{case.budget_CNY / 1e6:,.2f}",
        ),
    )
params: dict[str, Any]
params = {
    "case": src.file,
    "case_key": src.key,
    "case_sha256": case.sha256,
    "edits": changes,
    "objective": objective,
    "time_limit_s": float(time_limit),
    "mip_gap": round(float(gap_pct) / 100.0, 12),
    "budget_CNY": None if budget_m is None else float(budget_m) * 1e6,
}
sig = json.dumps(params, sort_keys=True, default=str)

# ---- run
res: dict[str, Any] | None
if st.button(t("opt_run", lang), type="primary", key="opt_run"):
    bar = st.progress(0.0, text=t("opt_progress_start", lang))
    t0 = time.perf_counter()
    try:
        res = LO.run(
            case,
            objective=objective,
            time_limit_s=params["time_limit_s"],
            mip_gap=params["mip_gap"],
            budget_CNY=params["budget_CNY"],
            progress=progress_callback(bar, lang),
        )
    except Exception as exc:  # noqa: BLE001
        bar.empty()
        report(exc, "opt_error_run", lang)
    else:
        bar.empty()
        st.session_state[RESULT_KEY] = res
        st.session_state[RESULT_META_KEY] = {
            "sig": sig,
            "case_key": src.key,
            "params": params,
            "seconds": time.perf_counter() - t0,
        }

# ---- results
meta = st.session_state.get(RESULT_META_KEY)
res = st.session_state.get(RESULT_KEY)
if res is not None and meta is not None and meta["case_key"] == src.key:
    st.header(t("opt_results_heading", lang))
    if meta["sig"] != sig:
        st.info(t("opt_stale", lang), icon=":material/info:")
    show_status(res, lang)
    if LO.has_plan(res):
        show_kpis(res, lang)
        show_plan(res, lang)
    show_infeasibility(res, lang)
    show_checks(res, lang)
    show_warnings(res, lang)
    # ---- downloads
    st.subheader(t("opt_downloads", lang))
    front_meta = st.session_state.get(PARETO_META_KEY)
    front = (
        st.session_state.get(PARETO_KEY)
        if front_meta and front_meta["case_key"] == src.key
        else None
    )
    json_bytes = LO.results_json(res)
    zip_bytes = LO.tables_zip(res, meta["params"], front)
    st.session_state[DOWNLOADS_KEY] = {"json": json_bytes, "zip": zip_bytes}
    stem = Path(src.file).parent.name or "case"
    d1, d2 = st.columns(2)
    d1.download_button(
        t("opt_dl_json", lang),
        json_bytes,
        f"{stem}_results.json",
        mime="application/json",
        key="opt_dl_json",
        on_click="ignore",
    )
    d2.download_button(
        t("opt_dl_zip", lang),
        zip_bytes,
        f"{stem}_optimise.zip",
        mime="application/zip",
        key="opt_dl_zip",
        on_click="ignore",
    )
    st.caption(t("opt_dl_caption", lang))
    with st.expander(t("opt_summary_text", lang)):
        st.code(LO.summary_text(res), language="text")
else:
    st.info(t("opt_press_run", lang), icon=":material/info:")

# ---- Pareto front
st.header(t("opt_pareto_heading", lang))
st.markdown(t("opt_pareto_intro", lang))
p1, p2 = st.columns([1, 3])
points = p1.number_input(
    t("opt_pareto_points", lang), min_value=2, max_value=9, value=4, step=1, key="opt_pareto_points"
)
psig = json.dumps(
    {**params, "objective": None, "budget_CNY": None, "points": int(points)},
    sort_keys=True,
    default=str,
)
if p1.button(t("opt_pareto_run", lang), key="opt_pareto_run"):
    pbar = st.progress(0.0, text=t("opt_progress_start", lang))
    try:
        front = LO.run_pareto(
            case,
            points=int(points),
            time_limit_s=params["time_limit_s"],
            mip_gap=params["mip_gap"],
            progress=progress_callback(pbar, lang),
        )
    except Exception as exc:  # noqa: BLE001
        pbar.empty()
        report(exc, "opt_error_run", lang)
    else:
        pbar.empty()
        st.session_state[PARETO_KEY] = front
        st.session_state[PARETO_META_KEY] = {"sig": psig, "case_key": src.key}
pmeta = st.session_state.get(PARETO_META_KEY)
front = st.session_state.get(PARETO_KEY)
if front is not None and pmeta is not None and pmeta["case_key"] == src.key:
    if pmeta["sig"] != psig:
        p2.info(t("opt_stale", lang), icon=":material/info:")
    ptab = LO.pareto_table(front)
    shown = ptab.assign(status=ptab["status"].map(lambda x: LO.status_label(x, lang)))
    planned = ptab["status"].isin(["optimal", "feasible"])
    if not planned.any():
        st.warning(
            t("opt_pareto_no_plan", lang, status=", ".join(ptab["status"].astype(str)) or "—"),
            icon=":material/warning:",
        )
    elif len(ptab) == 1:
        st.info(t("opt_pareto_single", lang), icon=":material/info:")
    st.plotly_chart(LO.pareto_figure(front, lang), key="opt_pareto")
    st.dataframe(
        shown,
        hide_index=True,
        key="opt_pareto_table",
        column_config={
            "point": num_col("opt_col_point", lang, "%d"),
            "status": text_col("opt_col_status", lang),
            "reuse_pct": num_col("opt_col_reuse_pct", lang, "%.1f"),
            "npv_million_CNY": num_col("opt_col_npv_mcny", lang, "%.3f"),
            "salt_t": num_col("opt_col_salt_t", lang, "%.1f"),
            "min_reuse_pct": num_col("opt_col_min_reuse_pct", lang, "%.1f"),
            "builds": text_col("opt_col_builds", lang, width="large"),
        },
    )
    st.caption(t("opt_pareto_caption", lang))
