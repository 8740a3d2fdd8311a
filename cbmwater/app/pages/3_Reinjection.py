"""Reinjection review / 回注审查.

Review a proposal to reinject produced water (a bundled example or an uploaded TOML, with an
optional lab CSV it references): the verdict, its conditions, the findings, the mixing curves
(SI of each scale mineral and scale mg/L vs the fraction of injectate), the assumptions, the
inputs hash and versions, and downloads (HTML report, PHREEQC input).  All computing is in
:mod:`logic_reinjection` (engine calls only).

Testing hooks: if ``st.session_state["cbm_test_upload"]`` holds ``(filename, bytes)``, the page
reviews it as the uploaded proposal, and ``st.session_state["cbm_test_upload_csv"]`` (same form)
as the uploaded CSV (Streamlit's AppTest cannot drive a file uploader).  The page leaves the
review (``Review.as_dict()``) in ``st.session_state["cbm_reinj_result"]`` and the bytes handed
to the download buttons in ``st.session_state["cbm_reinj_downloads"]`` (``{"html", "pqi_zip"}``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cbmwater import localized
from cbmwater.app import i18n
from cbmwater.app import jobs_ui as JU
from cbmwater.app import logic_jobs as LJ
from cbmwater.app import logic_reinjection as LR
from cbmwater.app.common import TEST_UPLOAD_KEY, page_setup
from cbmwater.app.i18n import has, t

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

TEST_CSV_KEY = "cbm_test_upload_csv"
RESULT_KEY = "cbm_reinj_result"
DOWNLOADS_KEY = "cbm_reinj_downloads"
#: session_state key of the page's review job
JOB_KEY = "cbm_reinj_job"
#: Verdict -> Streamlit markdown colour.
VERDICT_COLOURS = {"pass": "green", "conditional": "orange", "fail": "red"}
#: Verdict -> Material icon shown before it.
VERDICT_ICONS = {
    "pass": ":material/check_circle:",
    "conditional": ":material/rule:",
    "fail": ":material/cancel:",
}
#: Severity -> text colour of its cell in the findings table.
SEVERITY_COLOURS = {"fail": "#b00020", "warning": "#b45f06", "info": "#1f5fa8"}


def mineral_label(m: str, lang: str) -> str:
    return i18n.mineral_label(m, lang)


def severity_label(sev: str, lang: str) -> str:
    key = f"rj_sev_{sev}"
    return t(key, lang) if has(key) else sev


def style_findings(df: pd.DataFrame, severities: list[str]) -> Styler:
    """Colour each finding's severity cell by its severity (fail red, warning orange, info
    blue)."""
    colours = [SEVERITY_COLOURS.get(s, "") for s in severities]
    return df.style.apply(
        lambda col: [f"color: {c}; font-weight: 600" if c else "" for c in colours],
        subset=["severity"],
    )


def si_chart(review: dict, lang: str) -> go.Figure:
    mix = LR.mixing_table(review)
    x = list(mix["fraction_injectate"])
    fig = go.Figure()
    for m in LR.minerals(review):
        label = mineral_label(m, lang)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=list(mix[f"si_{m}"]),
                name=label,
                mode="lines+markers",
                hovertemplate=label + "<br>%{x:.0%}: SI = %{y:.3f}<extra></extra>",
            )
        )
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    fig.update_layout(
        title={"text": t("rj_si_chart_title", lang), "font": {"size": 14}},
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        xaxis={"title": {"text": t("rj_mix_x", lang)}, "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": {"text": t("rj_si_chart_y", lang)}},
    )
    return fig


def scale_chart(review: dict, lang: str) -> go.Figure:
    mix = LR.mixing_table(review)
    x = list(mix["fraction_injectate"])
    fig = go.Figure()
    for m in LR.minerals(review):
        col = f"scale_{m}_mg_L"
        if col in mix and mix[col].max() > 0:
            label = mineral_label(m, lang)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=list(mix[col]),
                    name=label,
                    mode="lines+markers",
                    hovertemplate=label + "<br>%{x:.0%}: %{y:.3g} mg/L<extra></extra>",
                )
            )
    total = t("rj_scale_total", lang)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(mix["scale_mg_L"]),
            name=total,
            mode="lines+markers",
            line={"width": 3, "color": "black"},
            hovertemplate=total + "<br>%{x:.0%}: %{y:.3g} mg/L<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": t("rj_scale_chart_title", lang), "font": {"size": 14}},
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        xaxis={"title": {"text": t("rj_mix_x", lang)}, "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": {"text": t("rj_scale_chart_y", lang)}, "rangemode": "tozero"},
    )
    return fig


# ------------------------------------------------------------------ page
lang = page_setup("pages/3_Reinjection.py")
st.title(t("rj_title", lang))
st.markdown(t("rj_intro", lang))

# ---- proposal: bundled example or upload
test_upload = st.session_state.get(TEST_UPLOAD_KEY)
source = st.radio(
    t("rj_source", lang),
    ["example", "upload"],
    index=1 if test_upload is not None else 0,
    horizontal=True,
    format_func=lambda s: t(f"rj_src_{s}", lang),
    key="rj_source",
)
example: str | None = None
csv_data: bytes | None = None
csv_name: str | None = None
if source == "example":
    paths = {p.name: p for p in LR.example_proposals()}
    titles = {n: LR.proposal_title(p.read_bytes(), lang) for n, p in paths.items()}
    chosen = st.selectbox(
        t("rj_example", lang),
        list(paths),
        key="rj_example",
        format_func=lambda n: f"{n} — {titles[n]}" if titles.get(n) else n,
    )
    toml_name = chosen
    toml_data = paths[chosen].read_bytes()
    example = str(paths[chosen])
else:
    c1, c2 = st.columns(2)
    up = c1.file_uploader(
        t("rj_upload_toml", lang),
        type=["toml"],
        help=t("rj_upload_toml_help", lang),
        key="rj_upload",
    )
    up_csv = c2.file_uploader(
        t("rj_upload_csv", lang),
        type=["csv"],
        help=t("rj_upload_csv_help", lang),
        key="rj_upload_csv",
    )
    if up is not None:
        toml_data, toml_name = up.getvalue(), up.name
    elif test_upload is not None:
        toml_name, toml_data = test_upload
    else:
        st.info(t("rj_upload_wait", lang))
        st.stop()
    if up_csv is not None:
        csv_data, csv_name = up_csv.getvalue(), up_csv.name
    elif st.session_state.get(TEST_CSV_KEY) is not None:
        csv_name, csv_data = st.session_state[TEST_CSV_KEY]

# ---- run: a job in a worker process, shared by every session reviewing the same files, and
# saved to the workspace (with its .pqi) when it is done
inputs = LR.review_inputs(bytes(toml_data), toml_name, example, csv_data, csv_name)
job_id = LJ.shared_job(
    LR.review_key(bytes(toml_data), toml_name, example, csv_data, csv_name),
    lambda: LR.submit_review(bytes(toml_data), toml_name, example, csv_data, csv_name, inputs),
)
st.session_state[JOB_KEY] = {"id": job_id}
status = JU.follow(JOB_KEY, lang)
if status is None or not status.final:
    st.stop()
if status.state != "done" or status.result is None:
    st.error(t("rj_error", lang, msg=JU.error_text(status, lang)), icon=":material/error:")
    st.stop()
out = status.result
review = out["review"]
st.session_state[RESULT_KEY] = review

# ---- verdict (prominent)
verdict = review["verdict"]
colour = VERDICT_COLOURS.get(verdict, "gray")
label = t(f"rj_verdict_{verdict}", lang) if has(f"rj_verdict_{verdict}") else verdict
st.header(t("rj_verdict_heading", lang))
icon = VERDICT_ICONS.get(verdict, ":material/help:")
st.markdown(f"## {icon} :{colour}-background[{t('rj_verdict_line', lang, verdict=label)}]")
if has(f"rj_verdict_help_{verdict}"):
    st.caption(t(f"rj_verdict_help_{verdict}", lang))
if LR.verdict_reason(review, lang):
    st.markdown(LR.verdict_reason(review, lang))
p = review["proposal"]
st.caption(
    t(
        "rj_proposal_caption",
        lang,
        title=localized(p, "title", lang),
        formation=localized(p, "formation", lang),
        depth=p["depth_m"],
        temp=p["temperature_C"],
        pres=p["pressure_bar"],
        perm=p["permeability_um2"],
        cls=p["permeability_class"],
        vol=p["volume_m3_d"],
    )
)

st.subheader(t("rj_conditions", lang))
if review["conditions"]:
    st.markdown("\n".join(f"- {c}" for c in LR.conditions(review, lang)))
else:
    st.caption(t("rj_no_conditions", lang))

# ---- findings
st.subheader(t("rj_findings", lang))
findings = LR.findings_table(review, lang)
severities = list(findings["severity"])
findings["severity"] = findings["severity"].map(lambda s: severity_label(s, lang))
st.dataframe(
    style_findings(findings, severities),
    hide_index=True,
    key="rj_findings",
    column_config={
        "code": st.column_config.TextColumn(t("rj_col_code", lang)),
        "severity": st.column_config.TextColumn(t("rj_col_severity", lang)),
        "message": st.column_config.TextColumn(t("rj_col_message", lang), width="large"),
        "clause": st.column_config.TextColumn(t("rj_col_clause", lang)),
        "condition": st.column_config.TextColumn(t("rj_col_condition", lang)),
    },
)
st.caption(t("rj_findings_caption", lang))
st.subheader(t("rj_evidence", lang))
st.dataframe(
    LR.evidence_table(review),
    hide_index=True,
    key="rj_evidence",
    column_config={
        "finding": st.column_config.NumberColumn(t("rj_col_finding", lang), format="%d"),
        "code": st.column_config.TextColumn(t("rj_col_code", lang)),
        "quantity": st.column_config.TextColumn(t("rj_col_quantity", lang)),
        "value": st.column_config.TextColumn(t("rj_col_value", lang)),
    },
)
st.caption(t("rj_evidence_caption", lang))

# ---- mixing curves
st.subheader(t("rj_mixing", lang))
left, right = st.columns(2)
with left:
    st.plotly_chart(si_chart(review, lang), key="si_chart")
with right:
    st.plotly_chart(scale_chart(review, lang), key="scale_chart")
st.caption(t("rj_mix_caption", lang))

# ---- assumptions and provenance
st.subheader(t("rj_assumptions", lang))
st.markdown("\n".join(f"- {a}" for a in LR.assumptions(review, lang)))
st.subheader(t("rj_provenance", lang))
st.markdown(t("rj_inputs_hash", lang, h=review["inputs_hash"]))
st.json(review["versions"])

# ---- downloads
st.subheader(t("rj_downloads", lang))
html_bytes = out["html"].encode("utf-8")
zip_bytes = LR.pqi_zip(review, out["pqi"])
st.session_state[DOWNLOADS_KEY] = {"html": html_bytes, "pqi_zip": zip_bytes}
stem = Path(toml_name).stem
d1, d2 = st.columns(2)
d1.download_button(
    t("rj_dl_html", lang),
    html_bytes,
    f"{stem}_review.html",
    mime="text/html",
    key="rj_dl_html",
    on_click="ignore",
)
d2.download_button(
    t("rj_dl_pqi", lang),
    zip_bytes,
    f"{stem}_phreeqc.zip",
    mime="application/zip",
    key="rj_dl_pqi",
    on_click="ignore",
)
st.caption(t("rj_dl_caption", lang))
saved = LJ.saved_run(job_id)
if isinstance(saved, int):
    st.caption(t("ws_run_caption", lang, id=saved))
