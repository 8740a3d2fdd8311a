"""Compare / 方案比较.

Two or more saved runs of one kind side by side, read from the workspace (nothing is re-run):
optimisation plans -- KPIs, plants built and how they changed, flows by destination and period,
the NPV cost breakdown and the limits that bind -- or treatment trains -- recovery, LCOW,
energy, costs, units and product quality.  Tables from :func:`cbmwater.compare_plans` /
:func:`cbmwater.compare_trains`, figures from :mod:`logic_workspace`.
"""

from __future__ import annotations

import streamlit as st

from cbmwater.app import logic_jobs as LJ
from cbmwater.app import logic_optimise as LO
from cbmwater.app import logic_workspace as LW
from cbmwater.app.common import page_setup
from cbmwater.app.i18n import has, t
from cbmwater.study import Comparison
from cbmwater.study.compare import PLAN_KPIS, TRAIN_KPIS

#: English KPI label of the comparison -> its i18n key
KPI_KEYS = {label: f"cmp_kpi_{key}" for key, label, _ in (*PLAN_KPIS, *TRAIN_KPIS)}
KPI_KEYS["Solver status"] = "cmp_kpi_status"


def kpi_label(label: str, lang: str) -> str:
    key = KPI_KEYS.get(label)
    return t(key, lang) if key and has(key) else label


def change_label(change: str, lang: str) -> str:
    if change.startswith("only in "):
        return t("cmp_only_in", lang, runs=change[len("only in ") :])
    key = f"cmp_change_{change}"
    return t(key, lang) if has(key) else change


def cell(value: object, lang: str) -> str:
    """A KPI cell as text: numbers to 6 significant digits, a solver status in words."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, str):
        return LO.status_label(value, lang)
    if isinstance(value, (int, float)):
        return f"{value:,.6g}"
    return str(value)


def run_columns(runs: tuple[str, ...], fmt: str, lang: str) -> dict:
    config = {r: st.column_config.NumberColumn(r, format=fmt) for r in runs}
    config["delta"] = st.column_config.NumberColumn(t("cmp_col_delta", lang), format=fmt)
    return config


def show_plans(cmp: Comparison, lang: str) -> None:
    runs = cmp.runs
    kpis = cmp.to_frame("kpis")
    kpis["kpi"] = kpis["kpi"].map(lambda k: kpi_label(str(k), lang))
    for r in (*runs, "delta"):
        kpis[r] = [cell(v, lang) for v in kpis[r].tolist()]
    st.subheader(t("cmp_kpis", lang))
    st.dataframe(
        kpis,
        hide_index=True,
        key="cmp_kpis",
        column_config={
            "kpi": st.column_config.TextColumn(t("cmp_col_kpi", lang)),
            "unit": st.column_config.TextColumn(t("cmp_col_unit", lang)),
            "delta": st.column_config.TextColumn(t("cmp_col_delta", lang)),
        },
    )
    st.subheader(t("cmp_builds", lang))
    builds = cmp.to_frame("builds")
    if builds.empty:
        st.caption(t("opt_no_builds", lang))
    else:
        builds["change"] = builds["change"].map(lambda c: change_label(str(c), lang))
        st.dataframe(
            builds,
            hide_index=True,
            key="cmp_builds",
            column_config={
                "site": st.column_config.TextColumn(t("opt_col_site", lang)),
                "train": st.column_config.TextColumn(t("opt_col_train", lang)),
                "change": st.column_config.TextColumn(t("cmp_col_change", lang)),
                **{r: st.column_config.NumberColumn(r, format="%.0f") for r in runs},
            },
        )
        st.caption(t("cmp_builds_caption", lang))
    st.subheader(t("cmp_flows", lang))
    st.plotly_chart(
        LW.flows_compare_figure(cmp, t("cmp_flows_title", lang), t("opt_flows_y", lang)),
        key="cmp_flows_chart",
    )
    st.dataframe(
        cmp.to_frame("flows"),
        hide_index=True,
        key="cmp_flows",
        column_config={
            "destination": st.column_config.TextColumn(t("opt_col_destination", lang)),
            "period": st.column_config.NumberColumn(t("opt_col_period", lang), format="%d"),
            **run_columns(runs, "%.1f", lang),
        },
    )
    st.subheader(t("cmp_costs", lang))
    st.plotly_chart(
        LW.costs_compare_figure(
            cmp,
            t("cmp_costs_title", lang),
            t("cmp_costs_y", lang),
            lambda c: LO.category_label(c, lang),
        ),
        key="cmp_costs_chart",
    )
    costs = cmp.to_frame("costs")
    costs["category"] = costs["category"].map(lambda c: LO.category_label(str(c), lang))
    st.dataframe(
        costs,
        hide_index=True,
        key="cmp_costs",
        column_config={
            "category": st.column_config.TextColumn(t("opt_col_category", lang)),
            **run_columns(runs, "localized", lang),
        },
    )
    st.subheader(t("cmp_binding", lang))
    binding = cmp.to_frame("binding")
    if binding.empty:
        st.caption(t("cmp_no_binding", lang))
    else:
        st.dataframe(
            binding,
            hide_index=True,
            key="cmp_binding",
            column_config={
                "destination": st.column_config.TextColumn(t("opt_col_destination", lang)),
                "period": st.column_config.NumberColumn(t("opt_col_period", lang), format="%d"),
                "property": st.column_config.TextColumn(t("opt_col_property", lang)),
                "limit": st.column_config.NumberColumn(t("cmp_col_limit", lang), format="%.4g"),
                **{r: st.column_config.NumberColumn(r, format="%.4g") for r in runs},
            },
        )
    st.caption(t("cmp_binding_caption", lang))


def show_trains(cmp: Comparison, lang: str) -> None:
    runs = cmp.runs
    kpis = cmp.to_frame("kpis")
    kpis["kpi"] = kpis["kpi"].map(lambda k: kpi_label(str(k), lang))
    st.subheader(t("cmp_kpis", lang))
    st.dataframe(
        kpis,
        hide_index=True,
        key="cmp_kpis",
        column_config={
            "kpi": st.column_config.TextColumn(t("cmp_col_kpi", lang)),
            "unit": st.column_config.TextColumn(t("cmp_col_unit", lang)),
            **run_columns(runs, "%.4g", lang),
        },
    )
    st.subheader(t("cmp_units", lang))
    st.dataframe(
        cmp.to_frame("units"),
        hide_index=True,
        key="cmp_units",
        column_config={
            "run": st.column_config.TextColumn(t("cmp_col_run", lang)),
            "units": st.column_config.TextColumn(t("opt_col_units", lang), width="large"),
        },
    )
    st.subheader(t("cmp_quality", lang))
    st.plotly_chart(
        LW.quality_compare_figure(cmp, t("cmp_quality_title", lang), t("cmp_quality_y", lang)),
        key="cmp_quality_chart",
    )
    st.dataframe(
        cmp.to_frame("quality"),
        hide_index=True,
        key="cmp_quality",
        column_config={
            "constituent": st.column_config.TextColumn(t("ws_col_constituent", lang)),
            **run_columns(runs, "%.4g", lang),
        },
    )


# ------------------------------------------------------------------ page
lang = page_setup("pages/7_Compare.py")
st.title(t("cmp_title", lang))
st.markdown(t("cmp_intro", lang))
ws = LJ.workspace()
kind = st.radio(
    t("cmp_kind", lang),
    list(LW.COMPARABLE),
    horizontal=True,
    format_func=lambda k: LW.kind_label(k, lang),
    key="cmp_kind",
)
runs = ws.runs(kind)
if len(runs) < 2:
    st.info(t("cmp_need_two", lang, kind=LW.kind_label(kind, lang)), icon=":material/info:")
    st.stop()
by_id = {r.id: r for r in runs}
chosen = st.multiselect(
    t("cmp_runs", lang),
    list(by_id),
    default=list(by_id)[:2],
    format_func=lambda i: (
        f"#{i} · {by_id[i].label} · "
        + LW.key_figures_label(by_id[i].kind, by_id[i].key_figures, lang)
    ),
    key=f"cmp_runs_{kind}",
)
if len(chosen) < 2:
    st.info(t("cmp_choose_two", lang), icon=":material/info:")
    st.stop()
comparison = LW.compare([ws.run(int(i)) for i in sorted(chosen)])  # Δ: newer − older
if kind == "optimise":
    show_plans(comparison, lang)
else:
    show_trains(comparison, lang)
with st.expander(t("cmp_tables_json", lang)):
    st.json(comparison.to_dict(), expanded=False)
