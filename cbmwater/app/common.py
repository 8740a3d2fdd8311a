"""Pieces every page shares: the language selector in the sidebar and the lab-file source."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, overload

import streamlit as st

from cbmwater.app.i18n import LANGUAGES, t

#: session_state key holding the chosen language ("en" or "zh"); survives page switches.
LANG_KEY = "lang"
_RADIO_KEY = "_lang_radio"


def _remember_language() -> None:
    st.session_state[LANG_KEY] = st.session_state[_RADIO_KEY]


def language_selector() -> str:
    """Draw the English / 中文 selector in the sidebar and return the chosen code.

    The choice is kept in ``st.session_state["lang"]``, a plain key, and copied into the widget
    before it is drawn: Streamlit forgets a widget's own state when the user switches pages.
    """
    lang = st.session_state.get(LANG_KEY, "en")
    if lang not in LANGUAGES:
        lang = "en"
    st.session_state[LANG_KEY] = lang
    st.session_state[_RADIO_KEY] = lang
    st.sidebar.radio(
        t("language", lang),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_RADIO_KEY,
        horizontal=True,
        on_change=_remember_language,
    )
    return lang


#: session_state key tests use to hand a page an "uploaded" file: (filename, bytes)
TEST_UPLOAD_KEY = "cbm_test_upload"


@overload
def lab_file_source(
    lang: str,
    bundled_path: Path,
    suffixes: tuple[str, ...],
    bundled_note: str,
    *,
    labels: str = ...,
    upload_help: str = ...,
    key_prefix: str = ...,
    stop_while_waiting: Literal[True] = ...,
) -> tuple[bytes, str, str | None, bool]: ...
@overload
def lab_file_source(
    lang: str,
    bundled_path: Path,
    suffixes: tuple[str, ...],
    bundled_note: str,
    *,
    labels: str = ...,
    upload_help: str = ...,
    key_prefix: str = ...,
    stop_while_waiting: bool,
) -> tuple[bytes, str, str | None, bool] | None: ...
def lab_file_source(
    lang: str,
    bundled_path: Path,
    suffixes: tuple[str, ...],
    bundled_note: str,
    *,
    labels: str = "src_",
    upload_help: str = "upload_help",
    key_prefix: str = "",
    stop_while_waiting: bool = True,
) -> tuple[bytes, str, str | None, bool] | None:
    """The bundled data set or an uploaded lab file (CSV / Excel, with its sheet name).

    Returns ``(data, filename, sheet, bundled)``; while waiting for an upload it stops the page
    (or returns None with ``stop_while_waiting=False``, for pages whose other sections stay
    usable).  ``labels`` is the i18n prefix of the two choices, ``upload_help`` the i18n key of the
    uploader's help and ``key_prefix`` prefixes the widget keys.  Tests put ``(filename, bytes)``
    in ``st.session_state[TEST_UPLOAD_KEY]`` instead of uploading.
    """
    test_upload = st.session_state.get(TEST_UPLOAD_KEY)
    source = st.radio(
        t("data_source", lang),
        ["bundled", "upload"],
        index=1 if test_upload is not None else 0,
        horizontal=True,
        format_func=lambda s: t(f"{labels}{s}", lang),
        key=f"{key_prefix}source",
    )
    sheet: str | None = None
    if source == "bundled":
        st.info(bundled_note, icon="ℹ️")
        return bundled_path.read_bytes(), bundled_path.name, None, True
    up = st.file_uploader(
        t("upload_label", lang),
        type=[s.lstrip(".") for s in suffixes],
        help=t(upload_help, lang),
        key=f"{key_prefix}upload",
    )
    if up is not None:
        data, filename = up.getvalue(), up.name
    elif test_upload is not None:
        filename, data = test_upload
    else:
        st.info(t("upload_wait", lang))
        if not stop_while_waiting:
            return None
        st.stop()
    if Path(filename).suffix.lower() != ".csv":
        sheet = st.text_input(t("sheet", lang), key=f"{key_prefix}sheet").strip() or None
    return data, filename, sheet, False


def case_source(lang: str, prefix: str, key: str, has_test_upload: bool) -> str:
    """Radio "bundled example / uploaded .zip" for a case; returns ``"bundled"`` or
    ``"upload"``.  ``prefix`` names the page's strings: ``{prefix}_source`` (label) and
    ``{prefix}_src_bundled`` / ``{prefix}_src_upload`` (options)."""
    return str(
        st.radio(
            t(f"{prefix}_source", lang),
            ["bundled", "upload"],
            index=1 if has_test_upload else 0,
            horizontal=True,
            format_func=lambda s: t(f"{prefix}_src_{s}", lang),
            key=key,
        )
    )


def bundled_case(
    lang: str,
    paths: dict[str, Path],
    empty_key: str,
    select_key: str,
    key: str,
    titles: dict[str, str] | None = None,
) -> Path | None:
    """Select box over the bundled cases (label -> path); ``None`` (after an error naming
    ``empty_key``) when there is none.  With ``titles`` each option shows "title — label"."""
    if not paths:
        st.error(t(empty_key, lang), icon="🚫")
        return None
    shown = titles or {}
    chosen = st.selectbox(
        t(select_key, lang),
        list(paths),
        key=key,
        format_func=lambda rel: f"{shown[rel]} — {rel}" if rel in shown else str(rel),
    )
    return paths[str(chosen)]
