"""A plan under uncertainty / 不确定性分析.

A case with an ``[uncertainty]`` section (a bundled one or an uploaded .zip): its least-cost
plan's builds are fixed and the flows re-optimised in N sampled scenarios
(:func:`cbmwater.uncertainty`), run as a job in a worker process with progress and saved to the
workspace when it ends.  The page shows the NPV cost's histogram and CDF with P10/P50/P90 and
CVaR 90 % marked, the reuse share's distribution, each destination's probability that its limits
hold without curtailment, the unallocated-water risk and a fan chart of the flows delivered to
each destination over the periods.  A sensitivity run (:func:`cbmwater.sensitivity`, Sobol
indices) gives the tornado charts.  VSS and EVPI are shown when a two-stage stochastic plan of
the case is in the workspace (an optimisation result with ``vss_CNY`` and ``evpi_CNY``); a
Monte Carlo run of fixed builds does not give them.  ``?run=<id>`` reopens a saved
uncertainty or sensitivity run (or a stochastic plan's VSS and EVPI).  Computing is in
:mod:`logic_uncertainty`.

Testing hooks: ``st.session_state["cbm_test_upload"] = (filename, bytes)`` is read as the
uploaded .zip.  The page leaves the last uncertainty result dict in
``st.session_state["cbm_unc_result"]`` and the last sensitivity result dict in
``st.session_state["cbm_unc_sens"]``.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from cbmwater import localized
from cbmwater.app import jobs_ui as JU
from cbmwater.app import logic_jobs as LJ
from cbmwater.app import logic_optimise as LO
from cbmwater.app import logic_uncertainty as LU
from cbmwater.app import logic_workspace as LW
from cbmwater.app.case_picker import pick_case
from cbmwater.app.common import current_run, page_setup
from cbmwater.app.i18n import t
from cbmwater.app.view_optimise import million, num_col, report, text_col
from cbmwater.study import render
from cbmwater.study.jobs import core_budget

RESULT_KEY = "cbm_unc_result"
RESULT_META_KEY = "cbm_unc_result_meta"
SENS_KEY = "cbm_unc_sens"
SENS_META_KEY = "cbm_unc_sens_meta"
STOCH_KEY = "cbm_unc_stochastic"
#: session_state keys of the page's running jobs (Monte Carlo, sensitivity)
JOB_KEY = "cbm_unc_job"
SENS_JOB_KEY = "cbm_unc_sens_job"


def _pct(v: Any) -> str:
    return "—" if v is None else f"{100 * float(v):.1f}"


def _km3(v: Any) -> str:
    return "—" if v is None else f"{float(v) / 1e3:,.1f}"


# ------------------------------------------------------------------ page
lang = page_setup("pages/8_Uncertainty.py")
st.title(t("unc_title", lang))
st.markdown(t("unc_intro", lang))

# ---- case: bundled (with [uncertainty]) or uploaded
st.header(t("unc_case_heading", lang))
try:
    src = pick_case(lang, "unc", LU.bundled_cases())
    if src is None:
        st.stop()
    case = LO.build_case(src)
except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
    report(exc, "unc_error_case", lang)
    st.stop()

if case.uncertainty is None:
    st.warning(t("unc_no_section", lang), icon=":material/warning:")
    st.stop()
described = case.uncertainty.describe()
st.caption(
    t(
        "unc_case_caption",
        lang,
        name=localized(case, "name", lang),
        periods=case.periods,
        wells=len(case.wells),
        dests=len(case.destinations),
        inputs=len(described),
    )
)
with st.expander(t("unc_inputs", lang)):
    st.dataframe(
        described,
        hide_index=True,
        key="unc_inputs_table",
        column_config={
            "input": text_col("unc_col_input", lang, width="large"),
            "distribution": text_col("unc_col_distribution", lang, width="large"),
        },
    )
    st.caption(t("unc_inputs_caption", lang))

# ---- run options
st.header(t("unc_run_heading", lang))
budget = core_budget()
c1, c2, c3 = st.columns(3)
samples = c1.number_input(
    t("unc_samples", lang),
    min_value=1,
    max_value=100000,
    value=20,
    step=10,
    key="unc_samples",
    help=t("unc_samples_help", lang),
)
seed = c2.number_input(
    t("unc_seed", lang), min_value=0, value=1, step=1, key="unc_seed", help=t("unc_seed_help", lang)
)
cores = c3.number_input(
    t("unc_workers", lang),
    min_value=1,
    max_value=budget,
    value=1,
    step=1,
    key="unc_workers",
    help=t("unc_workers_help", lang),
)
params: dict[str, Any] = {
    "case": src.file,
    "case_key": src.key,
    "case_sha256": case.sha256,
    "samples": int(samples),
    "seed": int(seed),
    "cores": int(cores),
}
sig = json.dumps({k: params[k] for k in ("case_key", "samples", "seed")}, sort_keys=True)

if st.button(t("unc_run", lang), type="primary", key="unc_run", icon=":material/casino:"):
    job = LU.submit_uncertainty(
        case,
        LW.case_inputs(src),
        samples=int(samples),
        seed=int(seed),
        cores=int(cores),
        options=params,
    )
    st.session_state[JOB_KEY] = {"id": job, "sig": sig, "case_key": src.key}
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
        st.error(t("unc_error_run", lang, msg=JU.error_text(status, lang)), icon=":material/error:")
elif RESULT_KEY not in st.session_state and JOB_KEY not in st.session_state:
    # ?run=<id>: reopen a saved run of this page (uncertainty, sensitivity) or a stochastic plan
    stored = LW.stored_run(current_run())
    if stored is not None and stored.kind == "uncertainty":
        st.session_state[RESULT_KEY] = stored.result
        st.session_state[RESULT_META_KEY] = {"sig": None, "case_key": src.key, "run_id": stored.id}
    elif stored is not None and stored.kind == "sensitivity" and SENS_KEY not in st.session_state:
        st.session_state[SENS_KEY] = stored.result
        st.session_state[SENS_META_KEY] = {"sig": None, "case_key": src.key, "run_id": stored.id}
    elif stored is not None and stored.kind == "optimise":
        values = LU.stochastic_values(stored.result)
        if values is not None:
            sha = (stored.result.get("case") or {}).get("sha256")
            st.session_state[STOCH_KEY] = {"run_id": stored.id, "values": values, "sha": sha}

# ---- results of the Monte Carlo run
meta = st.session_state.get(RESULT_META_KEY)
res: dict[str, Any] | None = st.session_state.get(RESULT_KEY)
if res is not None and meta is not None and meta["case_key"] == src.key:
    st.header(t("unc_results_heading", lang))
    if meta.get("run_id") is not None:
        st.caption(t("ws_run_caption", lang, id=meta["run_id"]))
    if meta["sig"] is not None and meta["sig"] != sig:
        st.info(t("unc_stale", lang), icon=":material/info:")
    if (res.get("case") or {}).get("sha256") not in (None, case.sha256):
        st.info(t("unc_other_case", lang, name=res["case"].get("name", "")), icon=":material/info:")
    npv, reuse = res.get("npv_CNY") or {}, res.get("reuse_share") or {}
    m = st.columns(5)
    m[0].metric(t("unc_m_scenarios", lang), f"{res.get('solved', 0)} / {res.get('samples', 0)}")
    m[1].metric(t("unc_m_npv_p50", lang), million(npv.get("p50")))
    m[2].metric(t("unc_m_npv_p90", lang), million(npv.get("p90")))
    m[3].metric(t("unc_m_npv_cvar", lang), million(npv.get("cvar90")))
    m[4].metric(t("unc_m_reuse_p50", lang), _pct(reuse.get("p50")))
    det = res.get("deterministic") or {}
    st.caption(
        t(
            "unc_deterministic",
            lang,
            npv=million(det.get("npv_CNY")),
            reuse=_pct(det.get("reuse_share")),
            builds=", ".join(det.get("builds") or []) or "—",
        )
    )
    for failed in res.get("failed") or []:
        st.warning(
            t("unc_failed", lang, scenario=failed.get("scenario"), status=failed.get("status")),
            icon=":material/warning:",
        )

    st.subheader(t("unc_npv_heading", lang))
    st.plotly_chart(LU.npv_figure(res, lang), key="unc_npv_chart")
    stats = [
        {
            "figure": t("unc_row_npv", lang),
            **{k: million(npv.get(k)) for k in ("mean", "p10", "p50", "p90", "cvar90")},
        },
        {
            "figure": t("unc_row_reuse", lang),
            **{k: _pct(reuse.get(k)) for k in ("mean", "p10", "p50", "p90", "cvar90")},
        },
    ]
    st.dataframe(
        stats,
        hide_index=True,
        key="unc_stats_table",
        column_config={
            "figure": text_col("unc_col_figure", lang),
            "mean": text_col("unc_col_mean", lang),
            "p10": text_col("unc_mark_p10", lang),
            "p50": text_col("unc_mark_p50", lang),
            "p90": text_col("unc_mark_p90", lang),
            "cvar90": text_col("unc_mark_cvar90", lang),
        },
    )
    st.caption(t("unc_npv_caption", lang))

    st.subheader(t("unc_reuse_heading", lang))
    st.plotly_chart(LU.reuse_figure(res, lang), key="unc_reuse_chart")
    st.caption(t("unc_reuse_caption", lang))

    st.subheader(t("unc_dest_heading", lang))
    st.dataframe(
        LU.destinations_table(res, lang),
        hide_index=True,
        key="unc_dest_table",
        column_config={
            "name": text_col("opt_col_destination", lang),
            "kind": text_col("opt_col_kind", lang),
            "p_limits_hold_pct": num_col("unc_col_p_hold", lang, "%.1f"),
            "delivered_p10_km3": num_col("unc_col_delivered_p10", lang, "%.1f"),
            "delivered_p50_km3": num_col("unc_col_delivered_p50", lang, "%.1f"),
            "delivered_p90_km3": num_col("unc_col_delivered_p90", lang, "%.1f"),
        },
    )
    st.caption(t("unc_dest_caption", lang))

    st.subheader(t("unc_unalloc_heading", lang))
    u = res.get("unallocated") or {}
    um = st.columns(4)
    um[0].metric(t("unc_m_unalloc_p", lang), _pct(u.get("probability")))
    um[1].metric(t("unc_m_unalloc_mean", lang), _km3(u.get("expected_m3")))
    um[2].metric(t("unc_m_unalloc_p90", lang), _km3(u.get("p90_m3")))
    um[3].metric(t("unc_m_unalloc_max", lang), _km3(u.get("max_m3")))
    st.caption(t("unc_unalloc_caption", lang))

    st.subheader(t("unc_fan_heading", lang))
    if LU.fan_table(res).empty:
        st.info(t("unc_fan_none", lang), icon=":material/info:")
    else:
        st.plotly_chart(LU.fan_figure(res, lang), key="unc_fan_chart")
        st.caption(t("unc_fan_caption", lang))

    st.download_button(
        t("unc_dl_json", lang),
        json.dumps(res, ensure_ascii=False, indent=1).encode("utf-8"),
        "uncertainty.json",
        mime="application/json",
        key="unc_dl_json",
        on_click="ignore",
    )
elif JOB_KEY not in st.session_state:
    st.info(t("unc_press_run", lang), icon=":material/info:")

# ---- sensitivity: Sobol indices, tornado charts
st.header(t("unc_sens_heading", lang))
st.markdown(t("unc_sens_intro", lang))
s1, s2 = st.columns([1, 3])
base = s1.selectbox(
    t("unc_sens_samples", lang),
    list(LU.SENSITIVITY_SAMPLES),
    index=1,
    key="unc_sens_samples",
    help=t("unc_sens_samples_help", lang),
)
ssig = json.dumps({"case_key": src.key, "base": int(base), "seed": int(seed)}, sort_keys=True)
if s1.button(t("unc_sens_run", lang), key="unc_sens_run", icon=":material/tornado:"):
    sjob = LU.submit_sensitivity(
        case,
        LW.case_inputs(src),
        base_samples=int(base),
        seed=int(seed),
        cores=int(cores),
        options={**params, "base_samples": int(base)},
    )
    st.session_state[SENS_JOB_KEY] = {"id": sjob, "sig": ssig, "case_key": src.key}
sended = JU.take_finished(SENS_JOB_KEY, lang)
if sended is not None:
    sstatus, sjob_meta = sended
    if sstatus.state == "done" and sstatus.result is not None:
        st.session_state[SENS_KEY] = sstatus.result
        st.session_state[SENS_META_KEY] = {**sjob_meta, "run_id": JU.show_saved(sstatus.id, lang)}
    else:
        st.error(
            t("unc_error_run", lang, msg=JU.error_text(sstatus, lang)), icon=":material/error:"
        )
smeta = st.session_state.get(SENS_META_KEY)
sres: dict[str, Any] | None = st.session_state.get(SENS_KEY)
if sres is not None and smeta is not None and smeta["case_key"] == src.key:
    if smeta.get("run_id") is not None:
        s2.caption(t("ws_run_caption", lang, id=smeta["run_id"]))
    if smeta["sig"] is not None and smeta["sig"] != ssig:
        s2.info(t("unc_stale", lang), icon=":material/info:")
    s2.caption(
        t(
            "unc_sens_caption",
            lang,
            n=sres.get("samples", 0),
            evals=sres.get("evaluations_count", 0),
            factors=len(sres.get("factors") or []),
        )
    )
    for output in sres.get("outputs") or []:
        st.plotly_chart(LU.tornado(sres, output, lang), key=f"unc_tornado_{output}")
        note = (sres.get("output_stats") or {}).get(output, {}).get("note_i18n")
        if note:
            st.caption(str(render(note, lang)))
    st.caption(t("unc_tornado_caption", lang))

# ---- VSS and EVPI: from a two-stage stochastic plan only
st.header(t("unc_vss_heading", lang))
found: dict[str, Any] | None = st.session_state.get(STOCH_KEY)
if found is None or found.get("sha") != case.sha256:
    # the newest stored stochastic plan of this case; searched again only when the workspace's
    # optimisation runs change
    ws = LJ.workspace()
    runs = ws.runs("optimise")
    look = (case.sha256, tuple(r.id for r in runs))
    cached: tuple[Any, dict[str, Any] | None] | None = st.session_state.get(f"{STOCH_KEY}_search")
    if cached is None or cached[0] != look:
        hit = LU.stochastic_run(ws, case.sha256, runs)
        cached = (look, None if hit is None else {"run_id": hit[0], "values": hit[1]})
        st.session_state[f"{STOCH_KEY}_search"] = cached
    found = cached[1]
if found is not None:
    v1, v2 = st.columns(2)
    v1.metric(t("unc_m_vss", lang), million(found["values"]["vss_CNY"]))
    v2.metric(t("unc_m_evpi", lang), million(found["values"]["evpi_CNY"]))
    st.caption(t("unc_vss_caption", lang, id=found["run_id"]))
else:
    st.info(t("unc_vss_none", lang), icon=":material/info:")
