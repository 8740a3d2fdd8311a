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
from pathlib import Path
from typing import Any

import streamlit as st

from cbmwater import localized
from cbmwater.app import jobs_ui as JU
from cbmwater.app import logic_optimise as LO
from cbmwater.app import logic_workspace as LW
from cbmwater.app.common import (
    TEST_UPLOAD_KEY,
    bundled_case,
    case_source,
    current_run,
    page_setup,
)
from cbmwater.app.i18n import t
from cbmwater.app.view_optimise import num_col, report, show_result, text_col

RESULT_KEY = "cbm_opt_result"
RESULT_META_KEY = "cbm_opt_result_meta"
PARETO_KEY = "cbm_opt_pareto"
PARETO_META_KEY = "cbm_opt_pareto_meta"
DOWNLOADS_KEY = "cbm_opt_downloads"
EDITOR_KEY = "opt_editor"
EDITOR_CASE_KEY = "_opt_editor_case"
#: session_state keys of the page's running jobs (optimisation, Pareto front)
JOB_KEY = "cbm_opt_job"
PARETO_JOB_KEY = "cbm_opt_pareto_job"


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
            {rel: LO.case_title(p, lang) for rel, p in paths.items()},
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
        name=localized(base_case, "name", lang),
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
    st.caption(localized(base_case, "note", lang))
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

# ---- run: a job in a worker process, saved to the workspace when it ends
if st.button(t("opt_run", lang), type="primary", key="opt_run"):
    job = LO.submit_run(
        case,
        LW.case_inputs(src),
        objective=objective,
        time_limit_s=params["time_limit_s"],
        mip_gap=params["mip_gap"],
        budget_CNY=params["budget_CNY"],
        options=params,
    )
    st.session_state[JOB_KEY] = {"id": job, "sig": sig, "case_key": src.key, "params": params}
ended = JU.take_finished(JOB_KEY, lang)
if ended is not None:
    status, job_meta = ended
    if status.state == "done" and status.result is not None:
        st.session_state[RESULT_KEY] = status.result
        st.session_state[RESULT_META_KEY] = {
            **job_meta,
            "seconds": status.elapsed_s,
            "run_id": JU.show_saved(status.id, lang),
        }
    else:
        st.error(t("opt_error_run", lang, msg=JU.error_text(status, lang)), icon=":material/error:")
elif RESULT_KEY not in st.session_state and JOB_KEY not in st.session_state:
    stored = LW.stored_run(current_run(), "optimise")  # ?run=<id>: reopen a saved plan
    if stored is not None:
        st.session_state[RESULT_KEY] = stored.result
        st.session_state[RESULT_META_KEY] = {
            "sig": None,
            "case_key": src.key,
            "params": stored.options,
            "run_id": stored.id,
        }

# ---- results
meta = st.session_state.get(RESULT_META_KEY)
res: dict[str, Any] | None = st.session_state.get(RESULT_KEY)
if res is not None and meta is not None and meta["case_key"] == src.key:
    st.header(t("opt_results_heading", lang))
    if meta.get("run_id") is not None:
        st.caption(t("ws_run_caption", lang, id=meta["run_id"]))
    if meta["sig"] != sig:
        st.info(t("opt_stale", lang), icon=":material/info:")
    show_result(res, lang)
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
    pjob = LO.submit_pareto(
        case,
        LW.case_inputs(src),
        points=int(points),
        time_limit_s=params["time_limit_s"],
        mip_gap=params["mip_gap"],
        options={**params, "points": int(points)},
    )
    st.session_state[PARETO_JOB_KEY] = {"id": pjob, "sig": psig, "case_key": src.key}
pended = JU.take_finished(PARETO_JOB_KEY, lang)
if pended is not None:
    pstatus, pjob_meta = pended
    if pstatus.state == "done" and pstatus.result is not None:
        st.session_state[PARETO_KEY] = pstatus.result["points"]
        st.session_state[PARETO_META_KEY] = pjob_meta
        JU.show_saved(pstatus.id, lang)
    else:
        st.error(
            t("opt_error_run", lang, msg=JU.error_text(pstatus, lang)), icon=":material/error:"
        )
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
