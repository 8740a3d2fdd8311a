"""Workspace / 工作区.

Every run kept in the workspace file (``CBMWATER_WORKSPACE``, else
``~/.cbmwater/workspace.sqlite``): optimisations, plans, reviews and characterisations that
finished as jobs, and whatever a page saved with "save to workspace".  The list shows each run's
key figures; a chosen run can be opened (its stored result, for a plan with the Optimise page's
own renderers), relabelled, deleted (after a confirmation), exported as a zip (``run.json`` and
its inputs) and, for reviews and plans, reported as PDF / HTML (and Excel for plans) in the UI
language.  Opening a run puts it in the URL (``?run=<id>``), so a reload or a shared link
reopens it.  All computing is in :mod:`logic_workspace`.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import streamlit as st

from cbmwater.app import logic_jobs as LJ
from cbmwater.app import logic_reinjection as LR
from cbmwater.app import logic_workspace as LW
from cbmwater.app.common import current_run, page_setup, set_current_run
from cbmwater.app.i18n import has, t
from cbmwater.app.view_optimise import show_result
from cbmwater.study.workspace import RunRecord, Workspace

CONFIRM_KEY = "cbm_ws_confirm_delete"


def show_jobs(lang: str) -> None:
    """The jobs of this server that have not ended (they save themselves when done)."""
    jobs = [s for s in LJ.runner().jobs() if not s.final]
    if not jobs:
        return
    st.subheader(t("ws_jobs_heading", lang))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "kind": LW.kind_label(s.kind, lang),
                    "label": s.label,
                    "state": t(f"job_state_{s.state}", lang),
                    "progress": 100 * s.progress,
                }
                for s in jobs
            ]
        ),
        hide_index=True,
        key="ws_jobs",
        column_config={
            "kind": st.column_config.TextColumn(t("ws_col_kind", lang)),
            "label": st.column_config.TextColumn(t("ws_col_label", lang)),
            "state": st.column_config.TextColumn(t("ws_col_state", lang)),
            "progress": st.column_config.ProgressColumn(
                t("ws_col_progress", lang), format="%.0f %%", min_value=0, max_value=100
            ),
        },
    )


def manage(ws: Workspace, rec: RunRecord, lang: str) -> None:
    """Relabel, export, delete (with a confirmation) and the reports of one run."""
    c1, c2 = st.columns([3, 2])
    with c1.form(key=f"ws_relabel_form_{rec.id}", border=False):
        new = st.text_input(t("ws_label", lang), value=rec.label, max_chars=200)
        if st.form_submit_button(t("ws_relabel", lang), icon=":material/edit:"):
            ws.relabel(rec.id, new.strip())
            st.rerun()
    c2.download_button(
        t("ws_export", lang),
        lambda: ws.export(rec.id),
        f"run{rec.id}_{rec.kind}.zip",
        mime="application/zip",
        key=f"ws_export_{rec.id}",
        on_click="ignore",
        icon=":material/folder_zip:",
    )
    if st.session_state.get(CONFIRM_KEY) == rec.id:
        st.warning(t("ws_delete_confirm", lang, id=rec.id), icon=":material/warning:")
        d1, d2 = st.columns(2)
        if d1.button(t("ws_delete_yes", lang), key="ws_delete_yes", type="primary"):
            ws.delete(rec.id)
            st.session_state.pop(CONFIRM_KEY, None)
            set_current_run(None)
            st.rerun()
        if d2.button(t("ws_delete_no", lang), key="ws_delete_no"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()
    elif c2.button(t("ws_delete", lang), key=f"ws_delete_{rec.id}", icon=":material/delete:"):
        st.session_state[CONFIRM_KEY] = rec.id
        st.rerun()
    reports = LW.REPORTS.get(rec.kind, ())
    if reports:
        st.subheader(t("ws_reports", lang))
        cols = st.columns(len(reports))
        for col, (fmt, suffix, mime) in zip(cols, reports):
            col.download_button(
                t(f"ws_report_{fmt}", lang),
                functools.partial(LW.report_bytes, ws, rec, fmt, lang),
                LW.report_name(rec, suffix, lang),
                mime=mime,
                key=f"ws_report_{fmt}_{rec.id}",
                on_click="ignore",
                icon=":material/description:",
            )
        st.caption(t("ws_reports_caption", lang))


def show_review(res: dict[str, Any], lang: str) -> None:
    verdict = str(res.get("verdict"))
    label = t(f"rj_verdict_{verdict}", lang) if has(f"rj_verdict_{verdict}") else verdict
    st.markdown(f"### {t('rj_verdict_line', lang, verdict=label)}")
    if res.get("conditions"):
        st.markdown("\n".join(f"- {c}" for c in LR.conditions(res, lang)))
    st.dataframe(LR.findings_table(res), hide_index=True, key="ws_findings")


def show_treat(res: dict[str, Any], lang: str) -> None:
    m = st.columns(3)
    m[0].metric(t("ws_m_recovery", lang), LW.percent(res.get("recovery")))
    lcow = res.get("lcow_CNY_m3")
    m[1].metric(t("ws_m_lcow", lang), "—" if lcow is None else f"{float(lcow):.2f}")
    energy = res.get("energy_kWh_m3")
    m[2].metric(t("ws_m_energy", lang), "—" if energy is None else f"{float(energy):.2f}")
    product = (res.get("product") or {}).get("concentrations") or {}
    st.dataframe(
        pd.DataFrame({"constituent": list(product), "mg_L": list(product.values())}),
        hide_index=True,
        key="ws_product",
        column_config={
            "constituent": st.column_config.TextColumn(t("ws_col_constituent", lang)),
            "mg_L": st.column_config.NumberColumn(t("ws_col_product_mg_L", lang), format="%.4g"),
        },
    )


def show_characterise(res: dict[str, Any], figures: dict[str, Any], lang: str) -> None:
    m = st.columns(4)
    m[0].metric(t("ws_m_samples", lang), figures.get("samples", 0))
    for col, flag in zip(m[1:], ("ok", "warning", "flag")):
        col.metric(t(f"n_{flag}", lang), figures.get(f"qa_{flag}", 0))
    st.dataframe(pd.DataFrame(res.get("records") or []), key="ws_records")


def show_record(ws: Workspace, rec: RunRecord, lang: str) -> None:
    st.header(t("ws_run_heading", lang, id=rec.id, kind=LW.kind_label(rec.kind, lang)))
    st.caption(
        t(
            "ws_run_meta",
            lang,
            label=rec.label or "—",
            created=rec.created.strftime("%Y-%m-%d %H:%M:%S"),
            version=rec.engine_version,
        )
    )
    manage(ws, rec, lang)
    st.subheader(t("ws_result", lang))
    res = rec.result
    if rec.kind == "optimise":
        show_result(res, lang)
    elif rec.kind == "review":
        show_review(res, lang)
    elif rec.kind == "treat":
        show_treat(res, lang)
    elif rec.kind == "characterise":
        show_characterise(res, dict(rec.key_figures), lang)
    else:
        st.caption(LW.key_figures_label(rec.kind, rec.key_figures, lang))
    st.subheader(t("ws_inputs", lang))
    st.dataframe(
        LW.inputs_table(rec),
        hide_index=True,
        key="ws_inputs",
        column_config={
            "name": st.column_config.TextColumn(t("ws_col_file", lang)),
            "kind": st.column_config.TextColumn(t("ws_col_kind", lang)),
            "size": st.column_config.NumberColumn(t("ws_col_size", lang), format="%d"),
            "sha256": st.column_config.TextColumn("SHA-256"),
        },
    )
    with st.expander(t("ws_raw", lang)):
        st.json(res, expanded=False)


# ------------------------------------------------------------------ page
lang = page_setup("pages/6_Workspace.py")
st.title(t("ws_title", lang))
ws = LJ.workspace()
st.markdown(t("ws_intro", lang, path=ws.path))
show_jobs(lang)

runs = ws.runs()
if not runs:
    st.info(t("ws_empty", lang), icon=":material/info:")
    st.stop()
st.subheader(t("ws_runs_heading", lang, n=len(runs)))
st.dataframe(
    LW.runs_table(runs, lang),
    hide_index=True,
    key="ws_runs",
    column_config={
        "id": st.column_config.NumberColumn(t("ws_col_id", lang), format="%d"),
        "kind": st.column_config.TextColumn(t("ws_col_kind", lang)),
        "label": st.column_config.TextColumn(t("ws_col_label", lang)),
        "created": st.column_config.TextColumn(t("ws_col_created", lang)),
        "key_figures": st.column_config.TextColumn(t("ws_col_key_figures", lang), width="large"),
    },
)
by_id = {r.id: r for r in runs}
wanted = LW.run_id(current_run())
ids = list(by_id)
chosen = st.selectbox(
    t("ws_open", lang),
    ids,
    index=ids.index(wanted) if wanted in by_id else 0,
    format_func=lambda i: f"#{i} · {LW.kind_label(by_id[i].kind, lang)} · {by_id[i].label}",
)
if str(chosen) != current_run():
    set_current_run(str(chosen))
show_record(ws, ws.run(int(chosen)), lang)
