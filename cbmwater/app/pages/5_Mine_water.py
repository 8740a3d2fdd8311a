"""Old-mine acid water / 老窑水.

Four sections over the engine's ``cbmwater.minewater`` package:

1. **Waters** -- the bundled Daji analyses (constructed) or an uploaded lab file; the calculated
   acidity, alkalinity and net acidity of every sample (Kirby & Cravotta 2005), with the choice
   of what a missing alkalinity means and how total Fe is split.
2. **Neutralisation** -- one sample titrated in PHREEQC with every reagent to a target pH: the
   titration curves on one chart with each reagent's dose marked, a dose table (kg/d at a flow,
   dry sludge, LDS / HDS volumes), the chosen reagent's effluent and sludge, dissolved Fe, Al, Mn
   along its curve, and its PHREEQC input.
3. **Options** -- the Hedin/Skousen verdict of every option for the sample with its reasons,
   and the AMDTreat sizing and costing of one option (itemised).
4. **Plan** -- the "one mine, one policy" plan of a case (bundled Daji or an uploaded .zip):
   the choice per discharge point as a table and on a site sketch, the river's mixed
   concentrations per season against the limits, the option scores, NPV and capital, the
   explanation when no plan exists, and downloads.

All computing is in :mod:`logic_minewater` (engine calls only).

Testing hooks: ``st.session_state["cbm_test_upload"] = (filename, bytes)`` is read as the
uploaded lab file and ``st.session_state["cbm_test_mine_case"] = (filename, bytes)`` as the
uploaded case .zip (Streamlit's AppTest cannot drive a file uploader).  The page leaves the
neutralisation runs in ``st.session_state["cbm_mw_neutralise"]``, the sizing result in
``["cbm_mw_size"]``, the plan in ``["cbm_mw_plan"]`` and the plan downloads in
``["cbm_mw_downloads"]`` (``{"json", "zip"}``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from cbmwater import localized
from cbmwater.app import jobs_ui as JU
from cbmwater.app import logic, widgets
from cbmwater.app import logic_minewater as LM
from cbmwater.app import logic_workspace as LW
from cbmwater.app.common import bundled_case, case_source, lab_file_source, page_setup
from cbmwater.app.i18n import t
from cbmwater.app.widgets import num_col, text_col
from cbmwater.study.workspace import InputFile, run_inputs

if TYPE_CHECKING:  # pragma: no cover
    #: A lab-file source: (data, filename, sheet, bundled), see common.lab_file_source.
    LabSource = tuple[bytes, str, str | None, bool]

TEST_CASE_KEY = "cbm_test_mine_case"
NEUTRALISE_KEY = "cbm_mw_neutralise"
SIZE_KEY = "cbm_mw_size"
PLAN_KEY = "cbm_mw_plan"
PLAN_META_KEY = "cbm_mw_plan_meta"
#: session_state key of the page's running plan job
PLAN_JOB_KEY = "cbm_mw_plan_job"
DOWNLOADS_KEY = "cbm_mw_downloads"
_DEFAULTS_FOR = "_mw_defaults_for"
STATUS_BOX = {"optimal": st.success, "feasible": st.warning}


# ------------------------------------------------------------------ cached engine calls
@st.cache_data(show_spinner=False, max_entries=16)
def waters(data: bytes, filename: str, bundled: bool, sheet: str | None) -> dict:
    return LM.sample_values(data, filename, bundled, sheet)


@st.cache_data(show_spinner=False, max_entries=32)
def acidity(
    data: bytes,
    filename: str,
    bundled: bool,
    sheet: str | None,
    missing: str,
    fe_policy: str,
    flows: tuple | None,
) -> tuple[pd.DataFrame, list[str]]:
    return LM.acidity(
        data, filename, bundled, sheet, missing, fe_policy, dict(flows) if flows else None
    )


@st.cache_data(show_spinner=False, max_entries=64)
def titrate(
    values: tuple, target_pH: float, co2: str, fe_ox: float, flow: float | None, fe_policy: str
) -> dict:
    return LM.neutralise_all(dict(values), target_pH, co2, fe_ox, flow, fe_policy)


@st.cache_data(show_spinner=False, max_entries=64)
def sized(
    option: str,
    flow: float,
    net: float | None,
    fe: float | None,
    mn: float | None,
    rt: float | None,
    life: float | None,
    dose: float | None,
    sludge: float | None,
) -> dict:
    return LM.size_option(option, flow, net, fe, mn, rt, life, dose, sludge)


@st.cache_data(show_spinner=False, max_entries=32)
def verdict_table(
    values: tuple,
    net: float,
    flow: float,
    mn_limit: float | None,
    land: float | None,
    load_max: float,
) -> pd.DataFrame:
    return LM.verdicts(dict(values), net, flow, mn_limit, land, load_max)


# ------------------------------------------------------------------ helpers
def report(exc: BaseException, key: str, lang: str) -> None:
    """An engine error as a message (never a traceback); other errors named as internal."""
    widgets.report(exc, key, lang, "mw_error_internal")


def yes_no(b: bool, lang: str) -> str:
    return t("mw_yes", lang) if b else t("mw_no", lang)


def water_source(lang: str) -> tuple[bytes, str, str | None, bool] | None:
    """The bundled Daji analyses or an uploaded lab file (this page's labels); None while waiting
    for an upload (the plan section stays usable)."""
    return lab_file_source(
        lang,
        LM.DAJI_ANALYSES,
        logic.SUFFIXES,
        t("mw_bundled_note", lang),
        labels="mw_src_",
        upload_help="mw_upload_help",
        key_prefix="mw_",
        stop_while_waiting=False,
    )


def set_defaults(signature: str, defaults: dict[str, object]) -> None:
    """Put ``defaults`` into the widgets' state when the water changes (or a widget lost its
    state): the inputs follow the chosen sample until the user edits them."""
    if st.session_state.get(_DEFAULTS_FOR) != signature or any(
        k not in st.session_state for k in defaults
    ):
        for k, v in defaults.items():
            st.session_state[k] = v
        st.session_state[_DEFAULTS_FOR] = signature


def _load_example() -> None:
    ex = LM.AMDTREAT_EXAMPLE
    st.session_state["mw_size_option"] = ex["option"]
    st.session_state["mw_size_flow"] = ex["flow_m3_d"]
    st.session_state["mw_size_fe"] = ex["fe_mg_L"]
    st.session_state["mw_size_mn"] = ex["mn_mg_L"]


def million(v: float | None) -> str:
    return "—" if v is None else f"{v / 1e6:,.2f}"


# ------------------------------------------------------------------ sections
def section_waters(
    lang: str,
) -> (
    tuple[
        LabSource,
        dict[str, dict[str, float]],
        pd.DataFrame | None,
        dict[str, float],
        dict[str, dict[str, Any]],
    ]
    | None
):
    """Section 1.  Returns (source, values, acidity table or None, design flows, points)."""
    st.header(t("mw_waters_heading", lang))
    src = water_source(lang)
    if src is None:
        return None
    data, filename, sheet, bundled = src
    try:
        values = waters(data, filename, bundled, sheet)
    except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
        report(exc, "error_input", lang)
        return None
    points = LM.bundled_points() if bundled else {}
    flows = {
        sid: p["design_flow_m3_d"]
        for sid, p in points.items()
        if sid in values and p.get("design_flow_m3_d") is not None
    }
    c1, c2 = st.columns(2)
    missing = c1.radio(
        t("mw_missing_alk", lang),
        ["error", "zero"],
        horizontal=True,
        format_func=lambda s: t(f"mw_missing_{s}", lang),
        key="mw_missing_alk",
        help=t("mw_missing_alk_help", lang),
    )
    fe_policy = c2.radio(
        t("mw_fe_policy", lang),
        ["ferrous", "ferric"],
        horizontal=True,
        format_func=lambda s: t(f"mw_fe_{s}", lang),
        key="mw_fe_policy",
        help=t("mw_fe_policy_help", lang),
    )
    table = None
    try:
        with st.spinner(t("mw_running_acidity", lang)):
            table, warnings = acidity(
                data,
                filename,
                bundled,
                sheet,
                missing,
                fe_policy,
                tuple(sorted(flows.items())) or None,
            )
    except Exception as exc:  # noqa: BLE001
        report(exc, "mw_error_acidity", lang)
        if missing == "error":
            st.info(t("mw_missing_hint", lang), icon=":material/lightbulb:")
    if table is not None:
        shown = table.reset_index()
        shown["notes"] = LM.acidity_notes(shown, lang)
        shown["net_acidic"] = shown["net_acidic"].map(
            lambda b: t("mw_net_acidic", lang) if b else t("mw_net_alkaline", lang)
        )
        if points:
            shown.insert(
                1, "point", [points.get(s, {}).get("point", "") for s in shown["sample_id"]]
            )
            shown.insert(2, "flow_m3_d", [flows.get(s) for s in shown["sample_id"]])
        cols = [
            c
            for c in (
                "sample_id",
                "point",
                "flow_m3_d",
                "pH",
                "Fe2_mg_L",
                "Fe3_mg_L",
                "acidity_calc_mg_L_CaCO3",
                "alkalinity_mg_L_CaCO3",
                "net_acidity_mg_L_CaCO3",
                "net_acidic",
                "acid_load_kg_d",
                "notes",
            )
            if c in shown.columns
        ]
        st.dataframe(
            shown[cols],
            hide_index=True,
            key="mw_acidity",
            column_config={
                "sample_id": text_col("mw_col_sample", lang),
                "point": text_col("mw_col_point", lang),
                "flow_m3_d": num_col("mw_col_design_flow", lang, "%.0f"),
                "pH": num_col("mw_col_pH", lang, "%.2f"),
                "Fe2_mg_L": num_col("mw_col_fe2", lang, "%.3g"),
                "Fe3_mg_L": num_col("mw_col_fe3", lang, "%.3g"),
                "acidity_calc_mg_L_CaCO3": num_col("mw_col_acidity", lang, "%.1f"),
                "alkalinity_mg_L_CaCO3": num_col("mw_col_alkalinity", lang, "%.1f"),
                "net_acidity_mg_L_CaCO3": num_col("mw_col_net_acidity", lang, "%.1f"),
                "net_acidic": text_col("mw_col_flag", lang),
                "acid_load_kg_d": num_col("mw_col_acid_load", lang, "%.1f"),
                "notes": text_col("mw_col_notes", lang, width="large"),
            },
        )
        st.caption(t("mw_acidity_caption", lang))
        for w in LM.texts(warnings, lang):
            st.warning(w, icon=":material/warning:")
        st.download_button(
            t("mw_dl_acidity", lang),
            table.to_csv().encode("utf-8-sig"),
            f"{Path(filename).stem}_acidity.csv",
            mime="text/csv",
            key="mw_dl_acidity",
            on_click="ignore",
        )
    return src, values, table, flows, points


def section_neutralise(
    lang: str,
    src: LabSource,
    values: dict[str, dict[str, float]],
    table: pd.DataFrame | None,
    flows: dict[str, float],
    points: dict[str, dict[str, Any]],
) -> tuple[str, float, dict[str, dict[str, Any]] | None, str | None]:
    """Section 2.  Returns (sample, flow, runs, reagent)."""
    st.header(t("mw_neut_heading", lang))
    st.markdown(t("mw_neut_intro", lang))
    data, filename, sheet, bundled = src
    ids = list(values)
    c1, c2, c3 = st.columns(3)
    sample = c1.selectbox(
        t("mw_sample", lang),
        ids,
        key="mw_sample",
        format_func=lambda s: f"{s} — {points[s]['point']}" if s in points else s,
    )
    net = None
    if table is not None and sample in table.index:
        net = float(table.loc[sample, "net_acidity_mg_L_CaCO3"])
    v = values[sample]
    fe_total = v.get("Fe", v.get("Fe2", 0.0) + v.get("Fe3", 0.0))
    land = points.get(sample, {}).get("land_m2")
    set_defaults(
        json.dumps([filename, bundled, sample, round(net, 6) if net is not None else None]),
        {
            "mw_flow": float(flows.get(sample) or LM.AMDTREAT_EXAMPLE["flow_m3_d"]),
            "mw_land": float(land) if land is not None else None,
            "mw_size_flow": float(flows.get(sample) or LM.AMDTREAT_EXAMPLE["flow_m3_d"]),
            "mw_size_net": round(net, 3) if net is not None else 0.0,
            "mw_size_fe": round(float(fe_total), 4),
            "mw_size_mn": round(float(v.get("Mn", 0.0)), 4),
        },
    )
    flow = c2.number_input(
        t("mw_flow", lang),
        min_value=0.0,
        max_value=1.0e6,
        step=10.0,
        format="%.2f",
        key="mw_flow",
        help=t("mw_flow_help", lang),
    )
    target = c3.number_input(
        t("mw_target", lang),
        min_value=3.0,
        max_value=12.5,
        value=8.5,
        step=0.1,
        format="%.2f",
        key="mw_target",
        help=t("mw_target_help", lang),
    )
    c4, c5, c6 = st.columns(3)
    co2 = c4.radio(
        t("mw_co2", lang),
        ["closed", "degassed", "open"],
        key="mw_co2",
        format_func=lambda s: t(f"mw_co2_{s}", lang),
        help=t("mw_co2_help", lang),
    )
    fe_ox = c5.slider(
        t("mw_fe_ox", lang),
        min_value=0.0,
        max_value=1.0,
        value=1.0,
        step=0.05,
        key="mw_fe_ox",
        help=t("mw_fe_ox_help", lang),
    )
    unit = c6.radio(
        t("mw_dose_unit", lang),
        ["mg_L", "mmol_L"],
        key="mw_dose_unit",
        horizontal=True,
        format_func=lambda u: t(f"mw_unit_{u}", lang),
    )
    fe_policy = st.session_state.get("mw_fe_policy", "ferrous")
    items = tuple(sorted(v.items()))
    try:
        with st.spinner(t("mw_running_neut", lang)):
            runs = titrate(
                items, float(target), co2, float(fe_ox), float(flow) if flow else None, fe_policy
            )
    except Exception as exc:  # noqa: BLE001
        report(exc, "mw_error_neut", lang)
        return sample, flow, None, None
    st.session_state[NEUTRALISE_KEY] = {
        "sample": sample,
        "target_pH": float(target),
        "co2": co2,
        "fe_oxidised_fraction": float(fe_ox),
        "flow_m3_d": float(flow) if flow else None,
        "fe_policy": fe_policy,
        "runs": runs,
    }
    if any(not _empty_curve(run) for run in runs.values()):
        st.plotly_chart(LM.titration_figure(runs, float(target), unit, lang), key="mw_titration")
    for r, run in runs.items():
        if run["ok"]:
            continue
        if run.get("unreachable"):  # a chemical limit of the reagent, not a failure
            st.info(
                t(
                    "mw_unreachable",
                    lang,
                    reagent=LM.reagent_label(r, lang),
                    msg=LM.run_message(run, lang),
                ),
                icon=":material/info:",
            )
        else:
            st.warning(
                t(
                    "mw_reagent_failed",
                    lang,
                    reagent=LM.reagent_label(r, lang),
                    msg=LM.run_message(run, lang),
                ),
                icon=":material/warning:",
            )
    doses = LM.dose_table(runs)
    doses["reagent"] = doses["reagent"].map(lambda r: LM.reagent_label(r, lang))
    doses["reached"] = doses["reached"].map(lambda b: "✓" if b else "✗")
    st.dataframe(
        doses.drop(columns="message"),
        hide_index=True,
        key="mw_doses",
        column_config={
            "reagent": text_col("mw_col_reagent", lang),
            "reached": text_col("mw_col_reached", lang),
            "dose_mmol_L": num_col("mw_col_dose_mmol", lang, "%.3f"),
            "dose_meq_L": num_col("mw_col_dose_meq", lang, "%.3f"),
            "dose_mg_L": num_col("mw_col_dose_mg", lang, "%.1f"),
            "reagent_kg_d": num_col("mw_col_dose_kg_d", lang, "%.1f"),
            "achieved_pH": num_col("mw_col_achieved_pH", lang, "%.2f"),
            "sludge_dry_mg_L": num_col("mw_col_sludge_mg", lang, "%.1f"),
            "sludge_dry_kg_d": num_col("mw_col_sludge_kg_d", lang, "%.1f"),
            "LDS_L_m3": num_col("mw_col_lds_L_m3", lang, "%.2f"),
            "LDS_m3_d": num_col("mw_col_lds_m3_d", lang, "%.2f"),
            "HDS_L_m3": num_col("mw_col_hds_L_m3", lang, "%.2f"),
            "HDS_m3_d": num_col("mw_col_hds_m3_d", lang, "%.3f"),
        },
    )
    st.caption(t("mw_doses_caption", lang, flow=flow or 0.0))

    # ---- the chosen reagent
    st.subheader(t("mw_effluent_heading", lang))
    ok = [r for r in LM.REAGENT_NAMES if runs[r]["ok"]]
    reagent = st.selectbox(
        t("mw_reagent", lang),
        list(LM.REAGENT_NAMES),
        index=list(LM.REAGENT_NAMES).index("Ca(OH)2"),
        key="mw_reagent",
        format_func=lambda r: LM.reagent_label(r, lang),
    )
    run = runs[reagent]
    if not run["ok"]:
        if run.get("unreachable"):
            st.warning(
                t(
                    "mw_reagent_unreachable",
                    lang,
                    reagent=LM.reagent_label(reagent, lang),
                    others=", ".join(LM.reagent_label(r, lang) for r in ok) or "—",
                ),
                icon=":material/warning:",
            )
    else:
        d = run["result"]
        m = st.columns(4)
        m[0].metric(t("mw_m_dose", lang), f"{d['dose_mg_L']:,.1f}")
        m[1].metric(
            t("mw_m_dose_kg_d", lang),
            "—" if d.get("reagent_kg_d") is None else f"{d['reagent_kg_d']:,.1f}",
        )
        m[2].metric(t("mw_m_sludge", lang), f"{d['sludge_dry_mg_L']:,.1f}")
        m[3].metric(t("mw_m_aerated_pH", lang), f"{d['aerated_pH']:.2f}")
        left, right = st.columns(2)
        with left:
            st.markdown(t("mw_effluent_table", lang))
            st.dataframe(
                LM.effluent_table(LM.water_for_rules(v), run),
                hide_index=True,
                key="mw_effluent",
                column_config={
                    "constituent": text_col("mw_col_constituent", lang),
                    "raw": num_col("mw_col_raw", lang, "%.4g"),
                    "effluent": num_col("mw_col_effluent", lang, "%.4g"),
                },
            )
        with right:
            st.markdown(t("mw_sludge_table", lang))
            sl = LM.sludge_table(run, lang)
            if sl.empty:
                st.caption(t("mw_no_sludge", lang))
            else:
                st.dataframe(
                    sl,
                    hide_index=True,
                    key="mw_sludge",
                    column_config={
                        "phase": text_col("mw_col_phase", lang),
                        "label": text_col("mw_col_label", lang),
                        "mmol_L": num_col("mw_col_mmol_L", lang, "%.4g"),
                        "mg_L": num_col("mw_col_mg_L", lang, "%.4g"),
                        "specific_gravity": num_col("mw_col_sg", lang, "%.2f"),
                    },
                )
        st.caption(t("mw_effluent_caption", lang))
        if d.get("notes"):
            with st.expander(t("mw_notes", lang)):
                st.markdown("\n".join(f"- {n}" for n in LM.notes(d, lang)))
        with st.expander(t("mw_model", lang)):
            texts = LM.model_texts(d, lang)
            if texts:
                st.markdown("\n".join(f"- {text}" for _, text in texts))
            st.json(LM.shown_details(d.get("model"), lang))
    if not _empty_curve(run):
        st.plotly_chart(LM.metals_figure(run, reagent, float(target), lang), key="mw_metals")
        st.caption(t("mw_metals_caption", lang))
    if run["ok"]:
        stem = f"{sample}_{reagent}".replace("(", "").replace(")", "")
        d1, d2 = st.columns(2)
        d1.download_button(
            t("mw_dl_pqi", lang),
            run["result"]["phreeqc_input"].encode("utf-8"),
            f"{stem}_titration.pqi",
            mime="text/plain",
            key="mw_dl_pqi",
            on_click="ignore",
        )
        d2.download_button(
            t("mw_dl_neut_json", lang),
            (json.dumps(run["result"], ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
            f"{stem}_neutralisation.json",
            mime="application/json",
            key="mw_dl_neut_json",
            on_click="ignore",
        )
        JU.save_button(
            "minewater_neutralise",
            run["result"],
            lambda: LW.lab_inputs(data, filename),
            lang,
            key="mw_neut_save",
            options={
                "sample": sample,
                "reagent": reagent,
                "target_pH": float(target),
                "co2": co2,
                "fe_oxidised_fraction": float(fe_ox),
                "flow_m3_d": float(flow) if flow else None,
                "fe_policy": fe_policy,
            },
            label=f"{sample}: {reagent} → pH {float(target):g}",
        )
    return sample, flow, runs, reagent


def _empty_curve(run: dict) -> bool:
    return not (run["ok"] and run["result"].get("curve")) and not run.get("curve")


def section_options(
    lang: str,
    values: dict[str, dict[str, float]],
    table: pd.DataFrame | None,
    sample: str,
    flow: float,
    runs: dict[str, dict[str, Any]] | None,
) -> None:
    """Section 3: verdicts and sizing."""
    st.header(t("mw_options_heading", lang))
    v = values[sample]
    st.subheader(t("mw_verdicts_heading", lang, sample=sample))
    c1, c2, c3 = st.columns(3)
    mn_limit = c1.number_input(
        t("mw_mn_limit", lang),
        min_value=0.0,
        value=4.0,
        step=0.5,
        format="%.2f",
        key="mw_mn_limit",
        help=t("mw_mn_limit_help", lang),
    )
    land = c2.number_input(
        t("mw_land", lang),
        min_value=0.0,
        value=None,
        step=500.0,
        format="%.0f",
        key="mw_land",
        help=t("mw_land_help", lang),
    )
    load_max = c3.number_input(
        t("mw_load_max", lang),
        min_value=0.0,
        value=float(LM.PASSIVE_ACID_LOAD_MAX_KG_D),
        step=10.0,
        format="%.0f",
        key="mw_load_max",
        help=t("mw_load_max_help", lang),
    )
    if table is None or sample not in table.index:
        st.info(t("mw_need_acidity", lang), icon=":material/info:")
    else:
        net = float(table.loc[sample, "net_acidity_mg_L_CaCO3"])
        try:
            ver = verdict_table(
                tuple(sorted(v.items())), net, float(flow or 0.0), mn_limit, land, float(load_max)
            ).copy()
        except Exception as exc:  # noqa: BLE001
            report(exc, "mw_error_rules", lang)
        else:
            st.markdown(
                t(
                    "mw_verdict_line",
                    lang,
                    sample=sample,
                    net=net,
                    kind=t("mw_net_acidic", lang) if net > 0 else t("mw_net_alkaline", lang),
                    load=max(net, 0.0) * float(flow or 0.0) / 1000.0,
                    flow=flow or 0.0,
                )
            )
            ver["option"] = ver["option"].map(lambda o: LM.option_label(o, lang))
            ver["role"] = ver["role"].map(lambda r: t(f"mw_role_{r}", lang))
            ver["reasons"] = LM.verdict_reasons(ver, lang)
            ver["admissible"] = ver["admissible"].map(
                lambda b: ("✓ " if b else "✗ ") + yes_no(b, lang)
            )
            st.dataframe(
                ver,
                hide_index=True,
                key="mw_verdicts",
                column_config={
                    "option": text_col("mw_col_option", lang),
                    "role": text_col("mw_col_role", lang),
                    "admissible": text_col("mw_col_admissible", lang),
                    "reasons": text_col("mw_col_reasons", lang, width="large"),
                },
            )
            st.caption(t("mw_verdicts_caption", lang))

    # ---- sizing
    st.subheader(t("mw_size_heading", lang))
    c1, c2 = st.columns([3, 1])
    option = c1.selectbox(
        t("mw_size_option", lang),
        list(LM.OPTION_NAMES),
        index=list(LM.OPTION_NAMES).index("wetland"),
        key="mw_size_option",
        format_func=lambda o: LM.option_label(o, lang),
    )
    c2.button(
        t("mw_size_example", lang),
        key="mw_size_example",
        on_click=_load_example,
        help=t("mw_size_example_help", lang),
    )
    c = st.columns(6)
    s_flow = c[0].number_input(
        t("mw_flow", lang),
        min_value=0.001,
        max_value=1.0e6,
        step=10.0,
        format="%.2f",
        key="mw_size_flow",
    )
    s_net = c[1].number_input(
        t("mw_size_net", lang),
        step=10.0,
        format="%.1f",
        key="mw_size_net",
        help=t("mw_size_net_help", lang),
    )
    s_fe = c[2].number_input(
        t("mw_size_fe", lang), min_value=0.0, step=1.0, format="%.3g", key="mw_size_fe"
    )
    s_mn = c[3].number_input(
        t("mw_size_mn", lang), min_value=0.0, step=1.0, format="%.3g", key="mw_size_mn"
    )
    s_rt = c[4].number_input(
        t("mw_size_rt", lang),
        min_value=0.0,
        value=None,
        step=1.0,
        format="%.1f",
        key="mw_size_rt",
        help=t("mw_size_default_help", lang),
    )
    s_life = c[5].number_input(
        t("mw_size_life", lang),
        min_value=1.0,
        max_value=100.0,
        value=None,
        step=1.0,
        format="%.0f",
        key="mw_size_life",
        help=t("mw_size_default_help", lang),
    )
    dose = sludge = None
    if option in LM.ACTIVE_REAGENT:
        reagent = LM.ACTIVE_REAGENT[option]
        run = (runs or {}).get(reagent)
        if run is not None and run["ok"]:
            d = run["result"]
            if st.checkbox(
                t(
                    "mw_size_use_dose",
                    lang,
                    reagent=reagent,
                    dose=d["dose_mg_L"],
                    pH=d["target_pH"],
                ),
                value=True,
                key="mw_size_use_dose",
            ):
                dose, sludge = float(d["dose_mg_L"]), float(d["sludge_dry_mg_L"])
        else:
            st.caption(t("mw_size_no_dose", lang, reagent=reagent))
    try:
        res = sized(
            option,
            float(s_flow),
            float(s_net),
            float(s_fe),
            float(s_mn),
            None if s_rt in (None, 0) else float(s_rt),
            None if s_life is None else float(s_life),
            dose,
            sludge,
        )
    except Exception as exc:  # noqa: BLE001
        report(exc, "mw_error_size", lang)
        st.session_state.pop(SIZE_KEY, None)
        return
    st.session_state[SIZE_KEY] = res
    year = res.get("price_year", "")
    m = st.columns(5)
    m[0].metric(t("mw_m_area", lang), f"{res['area_m2']:,.0f}")
    m[1].metric(t("mw_m_land", lang), f"{res['land_m2']:,.0f}")
    m[2].metric(t("mw_m_limestone", lang), f"{res['limestone_t']:,.1f}")
    m[3].metric(t("mw_m_capex", lang, year=year), f"{res['capex_CNY']:,.0f}")
    m[4].metric(t("mw_m_opex", lang, year=year), f"{res['opex_CNY_yr']:,.0f}")
    st.caption(
        t(
            "mw_size_caption",
            lang,
            option=LM.option_label(option, lang),
            method=LM.method_label(res, lang),
            flow=res["flow_m3_d"],
            life=res["life_yr"],
        )
    )
    left, mid, right = st.columns(3)
    with left:
        st.markdown(t("mw_quantities", lang))
        quantities = LM.quantities_table(res, lang)
        quantities["value"] = quantities["value"].map(
            lambda x: float(round(x)) if abs(x) >= 100 else float(f"{x:.4g}")
        )
        st.dataframe(
            quantities,
            hide_index=True,
            key="mw_quantities",
            column_config={
                "key": None,
                "quantity": text_col("mw_col_quantity", lang),
                "value": num_col("mw_col_value", lang, "localized"),
                "unit": text_col("mw_col_unit", lang),
            },
        )
    with mid:
        st.markdown(t("mw_capex_items", lang, year=year))
        st.dataframe(
            LM.items_table(res.get("capex_items_CNY"), res, "capex_items", lang).round(0),
            hide_index=True,
            key="mw_capex_items",
            column_config={
                "item": text_col("mw_col_item", lang),
                "CNY": num_col("mw_col_cny", lang, "localized"),
            },
        )
    with right:
        st.markdown(t("mw_opex_items", lang, year=year))
        st.dataframe(
            LM.items_table(res.get("opex_items_CNY_yr"), res, "opex_items", lang).round(0),
            hide_index=True,
            key="mw_opex_items",
            column_config={
                "item": text_col("mw_col_item", lang),
                "CNY": num_col("mw_col_cny_yr", lang, "localized"),
            },
        )
    shown, ignored = LM.sizing_warnings(res, lang)  # ignored: inputs the option does not use
    for w in shown:
        st.warning(w, icon=":material/warning:")
    if ignored:
        st.caption(t("mw_size_ignored", lang, which="; ".join(ignored)))
    with st.expander(t("mw_size_details", lang)):
        st.markdown(t("mw_size_steps", lang))
        st.markdown("\n".join(f"- {step}" for step in LM.sizing_steps(res, lang)))
        st.json({"details": LM.shown_details(res.get("details"), lang)})
    JU.save_button(
        "minewater_size",
        res,
        lambda: [],
        lang,
        key="mw_size_save",
        options={
            "option": option,
            "flow_m3_d": float(s_flow),
            "net_acidity_mg_L": float(s_net),
            "fe_mg_L": float(s_fe),
            "mn_mg_L": float(s_mn),
            "retention_h": None if s_rt in (None, 0) else float(s_rt),
            "life_yr": None if s_life is None else float(s_life),
            "dose_mg_L": dose,
            "sludge_dry_mg_L": sludge,
        },
        label=f"{option}: {float(s_flow):g} m3/d",
    )


def section_plan(lang: str) -> None:
    """Section 4: the "one mine, one policy" plan."""
    st.header(t("mw_plan_heading", lang))
    st.markdown(t("mw_plan_intro", lang))
    test_case = st.session_state.get(TEST_CASE_KEY)
    source = case_source(lang, "mw_case", "mw_case_source", test_case is not None)
    try:
        if source == "bundled":
            paths = {LM.case_label(p): p for p in LM.bundled_cases()}
            chosen = bundled_case(lang, paths, "mw_no_bundled", "mw_case_select", "mw_case")
            if chosen is None:
                return
            case, key = LM.load_case_bundled(chosen)
            inputs = run_inputs(chosen, "mineplan")
            st.warning(t("mw_case_representative", lang), icon=":material/warning:")
        else:
            up = st.file_uploader(
                t("mw_case_upload", lang),
                type=["zip"],
                help=t("mw_case_upload_help", lang),
                key="mw_case_upload",
            )
            if up is not None:
                zip_data, zip_name = up.getvalue(), up.name
            elif test_case is not None:
                zip_name, zip_data = test_case
            else:
                st.info(t("mw_case_upload_wait", lang))
                return
            case, key = LM.load_case_zip(zip_data, zip_name)
            inputs = [InputFile(Path(zip_name).name, zip_data, "other")]
    except Exception as exc:  # noqa: BLE001
        report(exc, "mw_error_case", lang)
        return
    seasons = ", ".join(f"{localized(s, 'name', lang)} {s.days:g} d" for s in case.seasons)
    st.caption(
        t(
            "mw_case_caption",
            lang,
            name=localized(case, "name", lang),
            points=len(case.points),
            seasons=seasons,
            controls=len(case.source_control),
            dests=len(case.destinations),
            horizon=case.horizon_yr,
            rate=100 * case.discount_rate,
            standard=case.effluent_source,
        )
    )
    if case.note:
        st.caption(localized(case, "note", lang))
    for w in LM.texts(case.warnings, lang):
        st.warning(w, icon=":material/warning:")
    with st.expander(t("mw_case_glance", lang)):
        pts = pd.DataFrame(
            [
                {
                    "name": p["name"],
                    "analysis": p["analysis"],
                    "x_km": p["x_km"],
                    "y_km": p["y_km"],
                    "flows": ", ".join(f"{s} {q:g}" for s, q in p["flow_m3_d"].items()),
                    "land_m2": p["land_m2"],
                }
                for p in LM.case_points(case)
            ]
        )
        st.dataframe(
            pts,
            hide_index=True,
            key="mw_case_points",
            column_config={
                "name": text_col("mw_col_point", lang),
                "analysis": text_col("mw_col_sample", lang),
                "x_km": num_col("mw_col_x_km", lang, "%.2f"),
                "y_km": num_col("mw_col_y_km", lang, "%.2f"),
                "flows": text_col("mw_col_flows", lang),
                "land_m2": num_col("mw_col_land", lang, "localized"),
            },
        )
        sc = pd.DataFrame(
            [
                {
                    "point": s.point,
                    "name": s.name,
                    "flow_factor": s.flow_factor,
                    "capex_CNY": s.capex_CNY,
                    "opex_CNY_yr": s.opex_CNY_yr,
                }
                for s in case.source_control
            ],
            columns=["point", "name", "flow_factor", "capex_CNY", "opex_CNY_yr"],
        )
        st.dataframe(
            sc,
            hide_index=True,
            key="mw_case_controls",
            column_config={
                "point": text_col("mw_col_point", lang),
                "name": text_col("mw_col_control", lang),
                "flow_factor": num_col("mw_col_flow_factor", lang, "%.2f"),
                "capex_CNY": num_col("mw_col_capex", lang, "localized"),
                "opex_CNY_yr": num_col("mw_col_annual", lang, "localized"),
            },
        )
        ds = pd.DataFrame(
            [
                {
                    "name": d.name,
                    "kind": t(f"mw_kind_{d.kind}", lang),
                    "limits": "; ".join(f"{k} ≤ {v:g}" for k, v in d.limits_mg_L.items()),
                    "capacity_m3_d": d.capacity_m3_d,
                    "price_CNY_m3": d.price_CNY_m3,
                }
                for d in case.destinations
            ]
        )
        st.dataframe(
            ds,
            hide_index=True,
            key="mw_case_dests",
            column_config={
                "name": text_col("mw_col_destination", lang),
                "kind": text_col("mw_col_kind", lang),
                "limits": text_col("mw_col_limits", lang, width="large"),
                "capacity_m3_d": num_col("mw_col_capacity", lang, "%.0f"),
                "price_CNY_m3": num_col("mw_col_price", lang, "%.2f"),
            },
        )
    budget_m = st.number_input(
        t("mw_budget", lang),
        min_value=0.0,
        value=None,
        step=1.0,
        format="%.2f",
        key="mw_budget",
        help=t("mw_budget_help", lang, case=million(case.budget_CNY)),
    )
    params: dict[str, Any]
    params = {
        "case": case.name,
        "case_key": key,
        "case_sha256": case.sha256,
        "budget_CNY": None if budget_m is None else float(budget_m) * 1e6,
    }
    sig = json.dumps(params, sort_keys=True, default=str)
    res: dict[str, Any] | None
    if st.button(t("mw_run", lang), type="primary", key="mw_run"):
        job = LM.submit_plan(case, params["budget_CNY"], inputs, options=params)
        st.session_state[PLAN_JOB_KEY] = {
            "id": job,
            "sig": sig,
            "case_key": key,
            "params": params,
            "points": LM.case_points(case),
            "destinations": LM.case_destinations(case),
        }
    ended = JU.take_finished(PLAN_JOB_KEY, lang)
    if ended is not None:
        status, job_meta = ended
        if status.state == "done" and status.result is not None:
            st.session_state[PLAN_KEY] = status.result
            st.session_state[PLAN_META_KEY] = {**job_meta, "seconds": status.elapsed_s or 0.0}
            JU.show_saved(status.id, lang)
        else:
            st.error(
                t("mw_error_plan", lang, msg=JU.error_text(status, lang)), icon=":material/error:"
            )
    meta = st.session_state.get(PLAN_META_KEY)
    res = st.session_state.get(PLAN_KEY)
    if res is None or meta is None or meta["case_key"] != key:
        st.info(t("mw_press_run", lang), icon=":material/info:")
        return
    if meta["sig"] != sig:
        st.info(t("mw_stale", lang), icon=":material/info:")
    show_plan(res, meta, lang)


def show_plan(res: dict, meta: dict, lang: str) -> None:
    st.subheader(t("mw_results_heading", lang))
    status = res["status"]
    box = STATUS_BOX.get(status, st.error)
    box(
        t(
            "mw_status_line",
            lang,
            status=t(f"mw_status_{status}", lang)
            if status in ("optimal", "feasible", "infeasible")
            else status,
            seconds=meta.get("seconds", 0.0),
        ),
        icon=(
            ":material/check_circle:"
            if status == "optimal"
            else ":material/warning:"
            if box is st.warning
            else ":material/error:"
        ),
    )
    if res.get("choices"):
        m = st.columns(4)
        m[0].metric(t("mw_m_npv", lang), million(res.get("npv_CNY")))
        m[1].metric(t("mw_m_plan_capex", lang), million(res.get("capex_CNY")))
        m[2].metric(t("mw_m_budget", lang), million(res.get("budget_CNY")))
        load = sum((res.get("acid_load_kg_d") or {}).values())
        m[3].metric(t("mw_m_acid_load", lang), f"{load:,.0f}")
        st.caption(
            t(
                "mw_plan_caption",
                lang,
                horizon=res.get("horizon_yr"),
                rate=100 * float(res.get("discount_rate") or 0.0),
                standard=res.get("effluent_standard", ""),
            )
        )
    inf = res.get("infeasibility")
    if inf:
        st.subheader(t("mw_infeas_heading", lang))
        st.markdown(t("mw_infeas_intro", lang))
        st.markdown("\n".join(f"- {s}" for s in LM.infeasibility_summary(res, lang)))
        items = LM.infeasibility_table(res, lang)
        if not items.empty:
            st.dataframe(items, hide_index=True, key="mw_infeas")
    if res.get("choices"):
        st.subheader(t("mw_choices_heading", lang))
        ch = LM.choices_table(res, lang)
        cfg = {
            "point": text_col("mw_col_point", lang),
            "source_control": text_col("mw_col_control", lang),
            "flow_factor": num_col("mw_col_flow_factor", lang, "%.2f"),
            "system": text_col("mw_col_system", lang),
            "steps": text_col("mw_col_steps", lang, width="medium"),
            "destination": text_col("mw_col_destination", lang),
            "capex_CNY": num_col("mw_col_capex", lang, "localized"),
            "annual_cost_CNY_yr": num_col("mw_col_annual", lang, "localized"),
            "npv_CNY": num_col("mw_col_npv", lang, "localized"),
            "land_m2": num_col("mw_col_land", lang, "localized"),
            "sludge_t_yr": num_col("mw_col_sludge_t_yr", lang, "%.1f"),
            "effluent": text_col("mw_col_effluent_text", lang, width="medium"),
        }
        for c in ch.columns:
            if c.startswith("flow_") and c != "flow_factor":
                cfg[c] = st.column_config.NumberColumn(
                    t("mw_col_flow_season", lang, season=c[len("flow_") :]), format="%.0f"
                )
        money = ["capex_CNY", "annual_cost_CNY_yr", "npv_CNY", "land_m2"]
        ch[money] = ch[money].astype(float).round(0)
        st.dataframe(ch, hide_index=True, key="mw_choices", column_config=cfg)
        st.caption(t("mw_choices_caption", lang))
    st.subheader(t("mw_sketch_heading", lang))
    st.plotly_chart(
        LM.sketch_figure(res, meta["points"], lang, meta.get("destinations")), key="mw_sketch"
    )
    st.caption(t("mw_sketch_caption", lang))
    if res.get("river"):
        st.subheader(t("mw_river_heading", lang))
        st.plotly_chart(LM.river_figure(res, lang), key="mw_river")
        rv = LM.river_table(res)
        rv["ok"] = rv["ok"].map(lambda b: "✓" if b else "✗")
        with st.expander(t("mw_river_table", lang)):
            st.dataframe(
                rv,
                hide_index=True,
                key="mw_river_table",
                column_config={
                    "destination": text_col("mw_col_destination", lang),
                    "season": text_col("mw_col_season", lang),
                    "constituent": text_col("mw_col_constituent", lang),
                    "mixed_mg_L": num_col("mw_col_mixed", lang, "%.4g"),
                    "background_mg_L": num_col("mw_col_background", lang, "%.4g"),
                    "limit_mg_L": num_col("mw_col_limit", lang, "%.4g"),
                    "discharge_m3_d": num_col("mw_col_discharge", lang, "%.0f"),
                    "river_m3_d": num_col("mw_col_river_flow", lang, "%.0f"),
                    "ok": text_col("mw_col_ok", lang),
                },
            )
        st.caption(t("mw_river_caption", lang))
    if res.get("reuse"):
        st.markdown(t("mw_reuse_heading", lang))
        st.dataframe(
            pd.DataFrame(res["reuse"]),
            hide_index=True,
            key="mw_reuse",
            column_config={
                "destination": text_col("mw_col_destination", lang),
                "season": text_col("mw_col_season", lang),
                "m3_d": num_col("mw_col_delivered", lang, "%.0f"),
                "capacity_m3_d": num_col("mw_col_capacity", lang, "%.0f"),
            },
        )
    if res.get("scores"):
        st.subheader(t("mw_scores_heading", lang))
        st.plotly_chart(LM.scores_figure(res, lang), key="mw_scores")
        sc = LM.scores_table(res, lang)
        sc["compliant"] = sc["compliant"].map(lambda b: "✓" if b else "✗")
        sc[["npv_CNY", "capex_CNY", "land_m2"]] = sc[["npv_CNY", "capex_CNY", "land_m2"]].round(0)
        st.dataframe(
            sc,
            hide_index=True,
            key="mw_scores_table",
            column_config={
                "point": text_col("mw_col_point", lang),
                "system": text_col("mw_col_system", lang),
                "compliant": text_col("mw_col_compliant", lang),
                "score": num_col("mw_score", lang, "%.3f"),
                "npv_CNY": num_col("mw_col_npv", lang, "localized"),
                "capex_CNY": num_col("mw_col_capex", lang, "localized"),
                "sludge_t_yr": num_col("mw_col_sludge_t_yr", lang, "%.1f"),
                "land_m2": num_col("mw_col_land", lang, "localized"),
                "robustness": num_col("mw_col_robustness", lang, "%.2f"),
                "reasons": text_col("mw_col_reasons", lang, width="large"),
            },
        )
        st.caption(t("mw_scores_caption", lang))
    with st.expander(t("mw_all_options", lang, n=len(res.get("options") or []))):
        op = LM.options_table(res, lang)
        op["feasible"] = op["feasible"].map(lambda b: "✓" if b else "✗")
        st.dataframe(
            op,
            hide_index=True,
            key="mw_options_all",
            column_config={
                "point": text_col("mw_col_point", lang),
                "source_control": text_col("mw_col_control", lang),
                "system": text_col("mw_col_system", lang),
                "destination": text_col("mw_col_destination", lang),
                "feasible": text_col("mw_col_feasible", lang),
                "npv_CNY": num_col("mw_col_npv", lang, "localized"),
                "capex_CNY": num_col("mw_col_capex", lang, "localized"),
                "annual_cost_CNY_yr": num_col("mw_col_annual", lang, "localized"),
                "land_m2": num_col("mw_col_land", lang, "localized"),
                "reasons": text_col("mw_col_reasons", lang, width="large"),
            },
        )
    # ---- downloads
    st.subheader(t("mw_downloads", lang))
    json_bytes = LM.plan_json(res)
    zip_bytes = LM.plan_zip(res, meta.get("params"))
    st.session_state[DOWNLOADS_KEY] = {"json": json_bytes, "zip": zip_bytes}
    d1, d2 = st.columns(2)
    d1.download_button(
        t("mw_dl_plan_json", lang),
        json_bytes,
        "minewater_plan.json",
        mime="application/json",
        key="mw_dl_plan_json",
        on_click="ignore",
    )
    d2.download_button(
        t("mw_dl_plan_zip", lang),
        zip_bytes,
        "minewater_plan.zip",
        mime="application/zip",
        key="mw_dl_plan_zip",
        on_click="ignore",
    )
    st.caption(t("mw_dl_caption", lang))


# ------------------------------------------------------------------ page
lang = page_setup("pages/5_Mine_water.py")
st.title(t("mw_title", lang))
st.markdown(t("mw_intro", lang))

waters_out = section_waters(lang)
if waters_out is not None:
    src_, values_, table_, flows_, points_ = waters_out
    sample_, flow_, runs_, _reagent = section_neutralise(
        lang, src_, values_, table_, flows_, points_
    )
    section_options(lang, values_, table_, sample_, flow_, runs_)
else:
    st.info(t("mw_no_waters", lang), icon=":material/info:")
section_plan(lang)
