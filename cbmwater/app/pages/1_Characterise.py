"""Characterise produced water / 采出水水质表征.

QA table, saturation indices, Piper diagram, SI chart and downloads for the bundled southern
Qinshui set or an uploaded lab file.  All computing is in :mod:`logic` (engine calls only).

Testing hook: if ``st.session_state["cbm_test_upload"]`` holds ``(filename, bytes)``, the page
treats it as the uploaded file (Streamlit's AppTest cannot drive a file uploader).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cbmwater import CbmwaterError
from cbmwater.app import jobs_ui as JU
from cbmwater.app import logic
from cbmwater.app import logic_large_lab as LL
from cbmwater.app import logic_workspace as LW
from cbmwater.app.common import lab_file_source, page_setup
from cbmwater.app.i18n import mineral_name, t
from cbmwater.study import BUNDLED_ANALYSES
from cbmwater.study.outputs import piper_figure

if TYPE_CHECKING:  # pragma: no cover
    from streamlit.elements.lib.column_types import ColumnConfig  # st.column_config.*'s type

#: session_state keys of a large upload's job and of its result ({"result", "sig", "run_id"})
CHAR_JOB_KEY = "cbm_char_job"
CHAR_RESULT_KEY = "cbm_char_job_result"

_ROW_STYLE = {
    "warning": "background-color: #fff3cd; color: #664d03",
    "flag": "background-color: #f8d7da; color: #58151c",
}


@st.cache_data(show_spinner=False, max_entries=32)
def compute(
    data: bytes,
    filename: str,
    bundled: bool,
    sheet: str | None,
    database: str,
    charge_balance: str | None,
    censored_policy: str,
    irrigation: bool,
    redox: str = "fe2",
) -> logic.PageData:
    """Cached engine run, keyed by the file's bytes and every option."""
    opts = dict(
        database=database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        irrigation=irrigation,
        redox=redox,
    )
    if bundled:
        return logic.analyse_bundled(**opts)
    return logic.analyse_bytes(data, filename, sheet=sheet, **opts)


def column_config(columns: list[str], lang: str) -> dict[str, ColumnConfig]:
    """Labels with units (and help) for the engine's record columns."""
    cfg: dict[str, ColumnConfig] = {}
    for c in columns:
        if c.startswith("si_"):
            m = c.removeprefix("si_")
            label = m if lang == "en" else f"{mineral_name(m, lang)} {m}"
            cfg[c] = st.column_config.NumberColumn(
                f"{label} SI", help=f"{t('si_unit', lang)}: {m}", format="%.2f"
            )
        elif c in ("sample_id", "water_type", "qa_flag", "warnings", "redox_basis"):
            cfg[c] = st.column_config.TextColumn(t(f"col_{c}", lang))
        else:
            cfg[c] = st.column_config.NumberColumn(t(f"col_{c}", lang))
    return cfg


def style_qa(df: pd.DataFrame) -> pd.io.formats.style.Styler:
    def row(r: pd.Series) -> list[str]:
        return [_ROW_STYLE.get(r["qa_flag"], "")] * len(r)

    fmt = {
        "charge_balance_pct": "{:.1f}",
        "tds_mg_L": "{:.0f}",
        "hardness_mg_L_CaCO3": "{:.0f}",
        "alkalinity_mg_L_CaCO3": "{:.0f}",
        "sar": "{:.1f}",
        "sar_adjusted": "{:.1f}",
        "rsc_meq_L": "{:.2f}",
    }
    fmt = {k: v for k, v in fmt.items() if k in df.columns}
    return df.style.apply(row, axis=1).format(fmt, na_rep="")


def style_si(df: pd.DataFrame) -> pd.io.formats.style.Styler:
    si = [c for c in df.columns if c.startswith("si_")]
    fmt = {c: "{:.2f}" for c in si}
    fmt.update(
        {"pH": "{:.2f}", "temp_C": "{:.1f}", "ionic_strength": "{:.4f}", "log_pCO2": "{:.2f}"}
    )
    return df.style.map(
        lambda v: "color: #b02a37; font-weight: 600" if pd.notna(v) and v > 0 else "", subset=si
    ).format(fmt, na_rep="")


def si_chart(records: pd.DataFrame, lang: str) -> go.Figure:
    long = logic.si_long(records)
    fig = go.Figure()
    for m in logic.KEY_MINERALS:
        d = long[long["mineral"] == m]
        if d.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=d["sample_id"],
                y=d["si"],
                mode="markers",
                name=mineral_name(m, lang),
                marker={"size": 9, "line": {"width": 0.5, "color": "white"}},
                hovertemplate="%{x}<br>" + mineral_name(m, lang) + ": SI = %{y:.2f}<extra></extra>",
            )
        )
    fig.add_hline(
        y=0,
        line_dash="dash",
        line_color="grey",
        annotation_text=t("si_chart_zero", lang),
        annotation_position="top left",
    )
    fig.update_layout(
        height=460,
        margin={"l": 60, "r": 20, "t": 40, "b": 80},
        legend={"orientation": "h", "y": 1.08, "x": 0, "title": {"text": t("mineral", lang)}},
        xaxis={
            "title": {"text": t("si_chart_x", lang)},
            "categoryorder": "array",
            "categoryarray": list(records["sample_id"]),
            "tickangle": -60,
        },
        yaxis={"title": {"text": t("si_chart_y", lang)}, "zeroline": False},
    )
    return fig


# ------------------------------------------------------------------ page
lang = page_setup("pages/1_Characterise.py")
st.title(t("char_title", lang))

# ---- data source
data, filename, sheet, bundled = lab_file_source(
    lang,
    BUNDLED_ANALYSES,
    logic.SUFFIXES,
    t("bundled_note", lang, n=logic.count_data_rows(BUNDLED_ANALYSES)),
)

# ---- options
with st.sidebar:
    st.header(t("options", lang))
    database = st.selectbox(
        t("database", lang),
        logic.DATABASES,
        key="database",
        format_func=lambda d: f"{d}.dat",
        help=t("database_help", lang),
    )
    policy = st.selectbox(
        t("censored", lang),
        logic.CENSORED_POLICIES,
        key="censored",
        format_func=lambda p: t(f"censored_{p}", lang),
        help=t("censored_help", lang),
    )
    balance = st.selectbox(
        t("charge_balance", lang),
        ["none", *logic.CHARGE_BALANCE_CHOICES],
        key="charge_balance",
        help=t("charge_balance_help", lang),
        format_func=lambda c: t("none", lang) if c == "none" else c,
    )
    irrigation = st.checkbox(
        t("irrigation", lang), key="irrigation", help=t("irrigation_help", lang)
    )
    redox_kind = st.selectbox(
        t("redox", lang),
        logic.REDOX_KINDS,
        key="redox",
        format_func=lambda k: t(f"redox_{k}", lang),
        help=t("redox_help", lang),
    )
    redox_pe = (
        st.number_input(
            t("redox_pe_value", lang),
            min_value=-15.0,
            max_value=20.0,
            value=4.0,
            step=0.5,
            key="redox_pe",
        )
        if redox_kind == "pe"
        else None
    )

# ---- a large upload: a job in a worker process (a CSV streamed in chunks), saved to the
# workspace when it ends; the page shows its QA counts and records
if not bundled and LL.is_large(data, filename):
    char_opts = {
        "sheet": sheet,
        "database": database,
        "charge_balance": None if balance == "none" else balance,
        "censored_policy": policy,
        "irrigation": irrigation,
        "redox": logic.redox_option(redox_kind, redox_pe),
    }
    char_sig = (hashlib.sha256(data).hexdigest(), filename, repr(sorted(char_opts.items())))
    rows = LL.data_rows(data, filename)
    st.info(
        t(
            "char_large",
            lang,
            mb=len(data) / 1e6,
            rows="—" if rows is None else f"{rows:,}",
            limit=f"{LL.LARGE_ROWS:,}",
            limit_mb=LL.LARGE_MB,
        ),
        icon=":material/info:",
    )
    if st.button(t("char_job_run", lang), type="primary", key="char_job_run"):
        job = LL.submit_characterise(data, filename, char_opts)
        st.session_state[CHAR_JOB_KEY] = {"id": job, "sig": char_sig}
    ended = JU.take_finished(CHAR_JOB_KEY, lang)
    if ended is not None:
        status, job_meta = ended
        if status.state == "done" and status.result is not None:
            st.session_state[CHAR_RESULT_KEY] = {
                "result": status.result,
                "sig": job_meta["sig"],
                "run_id": JU.show_saved(status.id, lang),
            }
        else:
            st.error(
                t("error_input", lang, msg=JU.error_text(status, lang)), icon=":material/error:"
            )
    kept = st.session_state.get(CHAR_RESULT_KEY)
    if kept is not None and kept["sig"] == char_sig:
        big = kept["result"]
        if kept.get("run_id") is not None:
            st.caption(t("ws_run_caption", lang, id=kept["run_id"]))
        st.header(t("qa_heading", lang))
        q = big.get("qa_counts") or {}
        c1, c2, c3 = st.columns(3)
        c1.metric(t("n_ok", lang), q.get("ok", 0))
        c2.metric(t("n_warning", lang), q.get("warning", 0))
        c3.metric(t("n_flag", lang), q.get("flag", 0))
        big_rec = LL.records(big)
        st.dataframe(
            big_rec,
            hide_index=True,
            key="char_job_table",
            column_config=column_config(list(big_rec.columns), lang),
        )
        st.download_button(
            t("dl_csv", lang),
            logic.records_csv(big_rec),
            f"{Path(filename).stem}_characterised.csv",
            mime="text/csv",
            key="char_job_dl_csv",
            on_click="ignore",
        )
    elif CHAR_JOB_KEY not in st.session_state:
        st.info(t("char_job_press", lang), icon=":material/info:")
    st.stop()

# ---- run
try:
    with st.spinner(t("running", lang)):
        result = compute(
            data,
            filename,
            bundled,
            sheet,
            database,
            None if balance == "none" else balance,
            policy,
            irrigation,
            logic.redox_option(redox_kind, redox_pe),
        )
except CbmwaterError as exc:
    st.error(t("error_input", lang, msg=exc.render(lang)), icon=":material/error:")
    st.stop()

rec = result.records
prov = result.provenance
st.caption(
    t(
        "summary",
        lang,
        n=len(rec),
        db=prov.get("database", database),
        ver=prov.get("cbmwater", "?"),
        iph=prov.get("iphreeqc", "?"),
    )
)
st.caption(t("redox_caption", lang, basis=prov.get("redox", "fe2")))

# ---- (a) QA
st.header(t("qa_heading", lang))
counts = logic.flag_counts(rec)
c1, c2, c3 = st.columns(3)
c1.metric(t("n_ok", lang), counts["ok"])
c2.metric(t("n_warning", lang), counts["warning"])
c3.metric(t("n_flag", lang), counts["flag"])
qa = logic.qa_view(rec, irrigation=irrigation, lang=lang)
st.dataframe(
    style_qa(qa),
    hide_index=True,
    key="qa_table",
    column_config=column_config(list(qa.columns), lang),
)
st.caption(t("qa_caption", lang))

# ---- (b) SI
st.header(t("si_heading", lang))
si = logic.si_view(rec)
st.dataframe(
    style_si(si),
    hide_index=True,
    key="si_table",
    column_config=column_config(list(si.columns), lang),
)
st.caption(t("si_caption", lang))

# ---- (c) Piper, (d) SI chart (full width: the Piper needs room)
st.subheader(t("piper_heading", lang))
meq = result.meq
water_type = rec.set_index("sample_id")["water_type"].reindex(meq.index)
fig = piper_figure(
    meq[list(logic.PIPER_IONS)], labels=list(meq.index), color=list(water_type), lang=lang
)
st.plotly_chart(fig, key="piper")
st.caption(t("piper_caption", lang))
st.subheader(t("si_chart_heading", lang))
st.plotly_chart(si_chart(rec, lang), key="si_chart")
st.caption(t("si_chart_caption", lang))

# ---- (e) downloads
st.header(t("downloads_heading", lang))
stem = Path(str(prov.get("source", filename))).stem or "analyses"
d1, d2, d3, d4 = st.columns(4)
d1.download_button(
    t("dl_csv", lang),
    logic.records_csv(rec),
    f"{stem}_characterised.csv",
    mime="text/csv",
    key="dl_csv",
    on_click="ignore",
)
d2.download_button(
    t("dl_json", lang),
    logic.records_json(rec, prov),
    f"{stem}_characterised.json",
    mime="application/json",
    key="dl_json",
    on_click="ignore",
)
d3.download_button(
    t("dl_xlsx", lang),
    logic.records_xlsx(rec, prov),
    f"{stem}_characterised.xlsx",
    key="dl_xlsx",
    on_click="ignore",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
d4.download_button(
    t("dl_pqi", lang),
    result.pqi.encode("utf-8"),
    f"{stem}.pqi",
    mime="text/plain",
    key="dl_pqi",
    on_click="ignore",
)
st.caption(t("dl_caption", lang))
JU.save_button(
    "characterise",
    lambda: LW.characterisation_result(rec, prov),
    lambda: LW.lab_inputs(data, filename),
    lang,
    key="char_save",
    options={"database": database, "charge_balance": balance, "censored_policy": policy},
    label=stem,
)
with st.expander(t("provenance", lang)):
    st.json(prov)
