"""Treatment train / 处理工艺.

Simulate and cost a train of unit processes on one sample of the bundled southern Qinshui set or
of an uploaded lab file: metrics, the membrane recovery limit set by scaling, water quality stage
by stage, annual cost by unit and category, residuals, warnings and downloads.  All computing is
in :mod:`logic_treatment` (engine calls only).

Testing hooks: if ``st.session_state["cbm_test_upload"]`` holds ``(filename, bytes)``, the page
treats it as the uploaded file (Streamlit's AppTest cannot drive a file uploader); the engine's
result dict of the last run is left in ``st.session_state["cbm_treat_result"]``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cbmwater import CbmwaterError
from cbmwater.app import i18n, logic
from cbmwater.app import jobs_ui as JU
from cbmwater.app import logic_treatment as LT
from cbmwater.app import logic_workspace as LW
from cbmwater.app.common import lab_file_source, page_setup
from cbmwater.app.i18n import has, mineral_name, t
from cbmwater.study import BUNDLED_ANALYSES, vocabulary
from cbmwater.study.treatment import economics_defaults

RESULT_KEY = "cbm_treat_result"
TRAIN_KEY = "train_units"
STARTER_KEY = "starter"
#: Colours of the cost categories (stable across trains).
CAT_COLOURS = {
    "capital": "#4c78a8",
    "electricity": "#f58518",
    "chemicals": "#54a24b",
    "replacement": "#b279a2",
    "labour": "#9d755d",
    "maintenance": "#bab0ac",
    "sludge_disposal": "#72b7b2",
    "brine_disposal": "#e45756",
}


@st.cache_data(show_spinner=False, max_entries=16)
def samples(data: bytes, filename: str, bundled: bool, sheet: str | None) -> list[str]:
    """Sample ids of the file (cached by its bytes)."""
    return LT.sample_ids(data, filename, bundled, sheet)


@st.cache_data(show_spinner=False, max_entries=64)
def compute(
    data: bytes,
    filename: str,
    bundled: bool,
    sheet: str | None,
    sample: str,
    train: tuple[str, ...],
    flow_m3_d: float,
    electricity_CNY_kWh: float,
    discount_rate: float,
    life_yr: float,
) -> dict:
    """Cached engine run, keyed by the file's bytes, sample, train, flow and every override."""
    return LT.treat(
        data,
        filename,
        bundled,
        sheet,
        sample,
        list(train),
        flow_m3_d,
        electricity_CNY_kWh=electricity_CNY_kWh,
        discount_rate=discount_rate,
        life_yr=life_yr,
    )


def _use_starter() -> None:
    """Copy the chosen candidate train into the unit multiselect (runs before the script)."""
    chosen = st.session_state.get(STARTER_KEY)
    if chosen:
        st.session_state[TRAIN_KEY] = list(chosen)


def fmt_number(v: float) -> str:
    """Four significant digits; thousands with separators; a dash for NaN."""
    if v is None or not math.isfinite(v):
        return "—"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def constituent_label(c: str, lang: str) -> str:
    if c == LT.TDS_COLUMN:
        return t("tds_sum", lang)
    if lang == "zh" and c in vocabulary.CONSTITUENT_NAMES:
        return f"{vocabulary.constituent_label(c, 'zh')} {c}"
    return c


def stage_label(i: int, unit: str, lang: str) -> str:
    """x category of a stage: number and unit id (English) or Chinese name."""
    return f"{i} · {LT.unit_name(unit, lang) if lang == 'zh' else unit}"


def unit_short(unit: str, lang: str) -> str:
    return LT.unit_name(unit, lang) if lang == "zh" else unit


def kind_label(kind: str, lang: str) -> str:
    key = f"kind_{kind}"
    return t(key, lang) if has(key) else kind


def mineral_label(m: str, lang: str) -> str:
    return i18n.mineral_label(m, lang)


def stage_chart(result: dict, lang: str, log_y: bool) -> go.Figure:
    long = LT.chart_table(result)
    cats = [stage_label(i, s["unit"], lang) for i, s in enumerate(result["stages"], start=1)]
    fig = go.Figure()
    for c in (*LT.KEY_CONSTITUENTS, LT.TDS_COLUMN):
        d = long[long["constituent"] == c]
        if d.empty or d["mg_L"].isna().all():
            continue
        label = constituent_label(c, lang)
        fig.add_trace(
            go.Bar(
                x=[cats[i - 1] for i in d["stage"]],
                y=d["mg_L"],
                name=label,
                hovertemplate="%{x}<br>" + label + ": %{y:.4g} mg/L<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=440,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        legend={"orientation": "h", "y": 1.12, "x": 0, "title": {"text": t("constituent", lang)}},
        xaxis={
            "title": {"text": t("stage_chart_x", lang)},
            "categoryorder": "array",
            "categoryarray": cats,
        },
        yaxis={
            "title": {"text": t("stage_chart_y", lang)},
            "type": "log" if log_y else "linear",
            **({"dtick": 1, "exponentformat": "power"} if log_y else {}),
        },
    )
    return fig


def cost_chart(costs: pd.DataFrame, lang: str, year: int) -> go.Figure:
    body = costs.drop(index="total", columns="total")
    x = [unit_short(u, lang) for u in body.index]
    fig = go.Figure()
    for cat in body.columns:
        label = t(f"cat_{cat}", lang) if has(f"cat_{cat}") else cat
        fig.add_trace(
            go.Bar(
                x=x,
                y=body[cat],
                name=label,
                marker_color=CAT_COLOURS.get(cat),
                hovertemplate="%{x}<br>" + label + ": %{y:,.0f} CNY/yr<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=420,
        margin={"l": 70, "r": 20, "t": 50, "b": 60},
        legend={"orientation": "h", "y": 1.14, "x": 0, "title": {"text": t("cost_category", lang)}},
        xaxis={"title": {"text": t("cost_chart_x", lang)}},
        yaxis={"title": {"text": t("cost_chart_y", lang, year=year)}, "tickformat": ",.0f"},
    )
    return fig


def si_limit_chart(stage: dict, lang: str) -> go.Figure:
    allow = stage["si_allowance"]
    si = {m: v for m, v in stage["si_at_limit"].items() if v is not None and math.isfinite(v)}
    minerals = [m for m in allow if m in si] + [m for m in si if m not in allow]
    x = [mineral_name(m, lang) for m in minerals]
    limiting = stage.get("limiting_mineral")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=x,
            y=[si[m] for m in minerals],
            name=t("si_at_limit", lang),
            marker_color=["#d62728" if m == limiting else "#4c78a8" for m in minerals],
            hovertemplate="%{x}: SI = %{y:.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[allow.get(m) for m in minerals],
            name=t("si_allowance", lang),
            mode="markers",
            marker={"symbol": "line-ew", "size": 28, "line": {"width": 3, "color": "black"}},
            hovertemplate="%{x}: " + t("si_allowance", lang) + " %{y:.2f}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    fig.update_layout(
        title={
            "text": t("si_limit_title", lang, unit=unit_short(stage["unit"], lang)),
            "font": {"size": 14},
        },
        height=340,
        margin={"l": 60, "r": 10, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"},
        yaxis={"title": {"text": t("si_limit_y", lang)}},
    )
    return fig


# ------------------------------------------------------------------ page
lang = page_setup("pages/2_Treatment.py")
st.title(t("treat_title", lang))

# ---- water: data source, sample, flow
st.header(t("water_heading", lang))
data, filename, sheet, bundled = lab_file_source(
    lang,
    BUNDLED_ANALYSES,
    logic.SUFFIXES,
    t("bundled_note", lang, n=logic.count_data_rows(BUNDLED_ANALYSES)),
)
try:
    ids = samples(data, filename, bundled, sheet)
except CbmwaterError as exc:
    st.error(t("error_input", lang, msg=exc.render(lang)), icon=":material/error:")
    st.stop()
c1, c2 = st.columns(2)
sample = c1.selectbox(t("sample", lang), ids, key="sample", help=t("sample_help", lang))
flow = c2.number_input(
    t("flow", lang),
    min_value=1.0,
    max_value=1.0e6,
    value=1000.0,
    step=100.0,
    format="%.1f",
    key="flow",
    help=t("flow_help", lang),
)

# ---- train builder
st.header(t("train_heading", lang))
if TRAIN_KEY not in st.session_state:
    st.session_state[TRAIN_KEY] = list(LT.DEFAULT_TRAIN)
st.selectbox(
    t("starter", lang),
    LT.starter_trains(),
    index=None,
    key=STARTER_KEY,
    placeholder=t("starter_placeholder", lang),
    on_change=_use_starter,
    format_func=lambda tr: LT.train_text(tr, lang),
    help=t("starter_help", lang),
)
units = st.multiselect(
    t("train_units", lang),
    LT.unit_ids(),
    key=TRAIN_KEY,
    format_func=lambda u: LT.unit_label(u, lang),
    help=t("train_units_help", lang),
)
target_pH = None
if "ph_adjustment" in units:
    target_pH = st.number_input(
        t("target_pH", lang),
        min_value=2.0,
        max_value=12.0,
        value=LT.default_target_pH(),
        step=0.1,
        format="%.2f",
        key="target_pH",
        help=t("target_pH_help", lang),
    )
if not units:
    st.error(t("error_empty_train", lang), icon=":material/error:")
    st.stop()
tokens = LT.train_tokens(units, target_pH)
st.caption(t("train_order", lang, train=LT.train_text(units, lang, target_pH)))
why = LT.order_error(units, lang)
if why is not None:
    st.error(t("error_order", lang, msg=why), icon=":material/error:")
    st.stop()

# ---- economics (sidebar)
base = economics_defaults()
with st.sidebar:
    st.header(t("econ_heading", lang))
    elec = st.number_input(
        t("elec_price", lang),
        min_value=0.0,
        max_value=10.0,
        value=float(base["electricity_CNY_kWh"]),
        step=0.05,
        format="%.3f",
        key="elec_price",
    )
    rate_pct = st.number_input(
        t("discount_pct", lang),
        min_value=0.0,
        max_value=50.0,
        value=round(base["discount_rate"] * 100, 6),
        step=0.5,
        format="%.2f",
        key="discount_pct",
    )
    life = st.number_input(
        t("life_yr", lang),
        min_value=1.0,
        max_value=100.0,
        value=float(base["life_yr"]),
        step=1.0,
        format="%.0f",
        key="life_yr",
    )
    st.caption(
        t(
            "econ_caption",
            lang,
            elec=base["electricity_CNY_kWh"],
            rate=round(base["discount_rate"] * 100, 6),
            life=base["life_yr"],
            year=base["price_year"],
        )
    )
rate = round(rate_pct / 100.0, 12)

# ---- run
try:
    with st.spinner(t("running_treat", lang)):
        result = compute(
            data,
            filename,
            bundled,
            sheet,
            sample,
            tuple(tokens),
            float(flow),
            float(elec),
            rate,
            float(life),
        )
except CbmwaterError as exc:
    st.error(t("error_run", lang, msg=exc.render(lang)), icon=":material/error:")
    st.stop()
st.session_state[RESULT_KEY] = result
year = result["price_year"]

# ---- metrics
st.header(t("results_heading", lang))
st.caption(
    t(
        "treat_summary",
        lang,
        sample=result["sample_id"],
        flow=result["feed"]["flow_m3_d"],
        ver=result["provenance"].get("cbmwater", "?"),
        year=year,
    )
)
m1, m2, m3 = st.columns(3)
m1.metric(t("m_recovery", lang), f"{100 * result['recovery']:.1f}")
m2.metric(t("m_product", lang), f"{result['product']['flow_m3_d']:,.1f}")
m3.metric(t("m_energy", lang), f"{result['energy_kWh_m3']:.3f}")
m4, m5, m6 = st.columns(3)
m4.metric(t("m_capex", lang, year=year), f"{result['capex_CNY']:,.0f}")
m5.metric(t("m_opex", lang), f"{result['opex_CNY_yr']:,.0f}")
m6.metric(t("m_lcow", lang, year=year), f"{result['lcow_CNY_m3']:.2f}")
st.caption(
    t(
        "metrics_caption",
        lang,
        crf=result["crf_per_yr"],
        ann=result["annualized_CNY_yr"],
        kwh=result["energy_kWh_d"],
    )
)

# ---- membrane recovery limit (prominent)
membranes = LT.membrane_stages(result)
if membranes:
    st.subheader(t("limit_heading", lang))
    for s in membranes:
        name = f"{LT.unit_name(s['unit'], lang)} ({s['unit']})"
        m = s.get("limiting_mineral")
        left, right = st.columns([3, 2])
        with left:
            if m:
                st.warning(
                    t(
                        "rec_limited",
                        lang,
                        unit=name,
                        rec=s["recovery"],
                        mineral=mineral_label(m, lang),
                        allow=s["si_allowance"].get(m, float("nan")),
                        design=s["design_recovery"],
                    ),
                    icon=":material/warning:",
                )
            else:
                st.success(
                    t("rec_not_limited", lang, unit=name, rec=s["recovery"]),
                    icon=":material/check_circle:",
                )
            st.caption(t("si_limit_caption", lang))
        if m and any(v is not None for v in s["si_at_limit"].values()):
            with right:
                st.plotly_chart(si_limit_chart(s, lang), key=f"si_limit_{s['unit']}")

# ---- stage by stage
st.subheader(t("stage_heading", lang))
log_y = st.checkbox(t("log_y", lang), value=True, key="log_y")
st.plotly_chart(stage_chart(result, lang, log_y), key="stage_chart")
table = LT.stage_table(result)
rows = {
    "flow_m3_d": t("col_flow_m3_d", lang),
    "recovery": t("col_recovery", lang),
    "energy_kWh_d": t("col_energy_kWh_d", lang),
    "pH": t("col_pH", lang),
    "temp_C": t("col_temp_C", lang),
}
rows.update(
    {
        c: t("col_mg_L", lang, name=constituent_label(c, lang))
        for c in (*LT.KEY_CONSTITUENTS, LT.TDS_COLUMN)
        if c in table.columns
    }
)
streams = table.set_index("stage")[list(rows)].T  # a stream table: one column per stream
streams.columns = [
    t("feed", lang) if i == 0 else stage_label(i, u, lang)
    for i, u in zip(table["stage"], table["unit"])
]
streams.index = list(rows.values())
streams.index.name = t("col_quantity", lang)
st.dataframe(
    streams.style.format(fmt_number, na_rep="—"),
    key="stage_table",
    height=35 * (len(streams) + 1) + 3,
)  # every row visible, no inner scroll
st.caption(t("stage_caption", lang))
with st.expander(t("policy_heading", lang)):
    pol = LT.policy_table(result, lang)
    st.dataframe(
        pol.rename(
            columns={
                "stage": t("col_stage", lang),
                "unit": t("col_unit", lang),
                "co2": t("col_policy_co2", lang),
                "redox": t("col_policy_redox", lang),
                "solids": t("col_policy_solids", lang),
            }
        ),
        hide_index=True,
        key="policy_table",
    )
    st.caption(t("policy_caption", lang))

# ---- cost
st.subheader(t("cost_heading", lang))
costs = LT.cost_table(result)
st.plotly_chart(cost_chart(costs, lang, year), key="cost_chart")
cost_view = costs.copy()
cost_view.index = [
    t("cat_total", lang) if u == "total" else unit_short(u, lang) for u in cost_view.index
]
cost_view.columns = [t(f"cat_{c}", lang) if has(f"cat_{c}") else c for c in cost_view.columns]
cost_view.index.name = t("col_unit", lang)
st.dataframe(cost_view.style.format("{:,.0f}"), key="cost_table")
st.caption(t("cost_caption", lang, year=year))

# ---- residuals
st.subheader(t("resid_heading", lang))
res = LT.residual_table(result)
res["kind"] = res["kind"].map(lambda k: kind_label(k, lang))
res["treated_by"] = res["treated_by"].map(
    lambda u: (
        t("leaves_plant", lang)
        if u is None or (isinstance(u, float) and math.isnan(u))
        else unit_short(u, lang)
    )
)
res["unit"] = res["unit"].map(lambda u: unit_short(u, lang))
st.dataframe(
    res,
    hide_index=True,
    key="residual_table",
    column_config={
        "name": st.column_config.TextColumn(t("col_res_name", lang)),
        "unit": st.column_config.TextColumn(t("col_res_unit", lang)),
        "kind": st.column_config.TextColumn(t("col_kind", lang)),
        "flow_m3_d": st.column_config.NumberColumn(t("col_res_flow", lang), format="%.2f"),
        "dry_kg_d": st.column_config.NumberColumn(t("col_dry_kg_d", lang), format="%.2f"),
        "wet_m3_d": st.column_config.NumberColumn(t("col_wet_m3_d", lang), format="%.3f"),
        "treated_by": st.column_config.TextColumn(t("col_treated_by", lang)),
    },
)
st.caption(t("resid_caption", lang, evap=result["evaporated_m3_d"]))

# ---- chemicals and warnings
chem_col, warn_col = st.columns([1, 2])
with chem_col:
    st.subheader(t("chem_heading", lang))
    chems = result["chemicals_kg_d"]
    if chems:
        st.dataframe(
            pd.DataFrame({"chemical": list(chems), "kg_d": list(chems.values())}),
            hide_index=True,
            key="chem_table",
            column_config={
                "chemical": st.column_config.TextColumn(t("col_chemical", lang)),
                "kg_d": st.column_config.NumberColumn(t("col_kg_d", lang), format="%.2f"),
            },
        )
    else:
        st.caption(t("no_chemicals", lang))
with warn_col:
    st.subheader(t("warnings_heading", lang))
    if result["warnings"]:
        st.markdown("\n".join(f"- {w}" for w in LT.warnings(result, lang)))
    else:
        st.caption(t("no_warnings", lang))

# ---- downloads
st.subheader(t("downloads_heading", lang))
stem = f"{Path(filename).stem}_{result['sample_id']}_treatment"
d1, d2 = st.columns(2)
d1.download_button(
    t("dl_treat_json", lang),
    LT.result_json(result),
    f"{stem}.json",
    mime="application/json",
    key="dl_treat_json",
    on_click="ignore",
)
d2.download_button(
    t("dl_stage_csv", lang),
    LT.stage_csv(result),
    f"{stem}_stages.csv",
    mime="text/csv",
    key="dl_stage_csv",
    on_click="ignore",
)
st.caption(t("dl_treat_caption", lang))
JU.save_button(
    "treat",
    result,
    lambda: LW.lab_inputs(data, filename),
    lang,
    key="treat_save",
    options={
        "sample": sample,
        "train": list(tokens),
        "flow_m3_d": float(flow),
        "electricity_CNY_kWh": float(elec),
        "discount_rate": rate,
        "life_yr": float(life),
    },
    label=f"{result['sample_id']}: {' → '.join(tokens)}",
)
with st.expander(t("provenance", lang)):
    st.json(result["provenance"])
