"""Pieces every page shares: the pages and their navigation, the language and the current run
(both kept in the URL), and the lab-file source."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

import streamlit as st

from cbmwater.app.i18n import LANGUAGES, t

#: session_state key holding the chosen language ("en" or "zh"); survives page switches.
LANG_KEY = "lang"
#: session_state key (and query parameter) of the current run's id, kept through navigation.
RUN_KEY = "run"
#: the query parameter holding the language: ``?lang=zh`` (reload, bookmarks, shared links).
LANG_PARAM = "lang"
#: the query parameter holding the current run: ``?run=<id>``.
RUN_PARAM = "run"
_RADIO_KEY = "_lang_radio"

#: True while the navigation entry runs a page: the entry has drawn the language selector.
_IN_NAVIGATION: ContextVar[bool] = ContextVar("cbmwater_in_navigation", default=False)


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: its script (relative to this package), the i18n key of its short
    title in the navigation, its URL path, its Material icon, and the i18n prefix of its link
    and description on the home page (``<page_key>`` and ``<page_key>_help``)."""

    script: str
    title_key: str
    url_path: str
    icon: str
    page_key: str | None = None


#: the app's pages, in navigation order (the first one is the home page)
PAGES: tuple[PageSpec, ...] = (
    PageSpec("Home.py", "nav_home", "home", ":material/home:"),
    PageSpec(
        "pages/1_Characterise.py",
        "nav_characterise",
        "characterise",
        ":material/science:",
        "page_characterise",
    ),
    PageSpec(
        "pages/2_Treatment.py",
        "nav_treatment",
        "treatment",
        ":material/water_pump:",
        "page_treatment",
    ),
    PageSpec(
        "pages/3_Reinjection.py",
        "nav_reinjection",
        "reinjection",
        ":material/fact_check:",
        "page_reinjection",
    ),
    PageSpec("pages/4_Optimise.py", "nav_optimise", "optimise", ":material/hub:", "page_optimise"),
    PageSpec(
        "pages/5_Mine_water.py",
        "nav_minewater",
        "mine_water",
        ":material/landslide:",
        "page_minewater",
    ),
    PageSpec(
        "pages/6_Workspace.py",
        "nav_workspace",
        "workspace",
        ":material/inventory_2:",
        "page_workspace",
    ),
    PageSpec("pages/7_Compare.py", "nav_compare", "compare", ":material/compare:", "page_compare"),
    PageSpec(
        "pages/8_Uncertainty.py",
        "nav_uncertainty",
        "uncertainty",
        ":material/stacked_line_chart:",
        "page_uncertainty",
    ),
)


def page_spec(script: str) -> PageSpec:
    """The :class:`PageSpec` of ``script`` (e.g. ``"pages/3_Reinjection.py"``)."""
    return next(p for p in PAGES if p.script == script)


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value or None


def current_language() -> str:
    """The user's language: the URL's ``?lang=`` first (a reload, a bookmark or a shared link
    opens a new session), then the session's choice, else English."""
    url = _param(LANG_PARAM)
    if url in LANGUAGES:
        lang = str(url)
    else:
        kept = st.session_state.get(LANG_KEY, "en")
        lang = kept if kept in LANGUAGES else "en"
    st.session_state[LANG_KEY] = lang
    return lang


def current_run() -> str | None:
    """The id of the current run (``?run=<id>`` in the URL, else the session's), or None."""
    run = _param(RUN_PARAM) or st.session_state.get(RUN_KEY)
    st.session_state[RUN_KEY] = run
    return str(run) if run else None


def set_current_run(run_id: str | None) -> None:
    """Make ``run_id`` the current run (in the session and the URL); None clears it."""
    st.session_state[RUN_KEY] = run_id
    if run_id:
        st.query_params[RUN_PARAM] = run_id
    elif RUN_PARAM in st.query_params:
        del st.query_params[RUN_PARAM]


def sync_url() -> None:
    """Write the language and the current run into the URL (Streamlit drops query parameters
    when the user switches pages; the session still knows them)."""
    lang = st.session_state.get(LANG_KEY, "en")
    if st.query_params.get(LANG_PARAM) != lang:
        st.query_params[LANG_PARAM] = lang
    run = st.session_state.get(RUN_KEY)
    if run and st.query_params.get(RUN_PARAM) != run:
        st.query_params[RUN_PARAM] = run


def _remember_language() -> None:
    lang = st.session_state[_RADIO_KEY]
    st.session_state[LANG_KEY] = lang
    st.query_params[LANG_PARAM] = lang


def language_selector() -> str:
    """Draw the English / 中文 selector in the sidebar and return the chosen code.

    The choice is kept in ``st.session_state["lang"]``, a plain key, and in the URL
    (``?lang=zh``); it is copied into the widget before it is drawn, because Streamlit forgets a
    widget's own state when the user switches pages.  Inside the navigation entry
    (:func:`run_page`) the entry has drawn the selector already and this only returns the code.
    """
    lang = current_language()
    current_run()
    sync_url()
    if _IN_NAVIGATION.get():
        return lang
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


def page_setup(script: str) -> str:
    """Set a page's tab title and icon (translated) and return the language (drawing the
    selector when the page runs on its own, as in the AppTest tests)."""
    lang = language_selector()
    spec = page_spec(script)
    st.set_page_config(
        page_title=f"{t(spec.title_key, lang)} · cbmwater", page_icon=spec.icon, layout="wide"
    )
    return lang


@contextmanager
def _navigation_scope() -> Iterator[None]:
    token = _IN_NAVIGATION.set(True)
    try:
        yield
    finally:
        _IN_NAVIGATION.reset(token)


def run_page(page: Any) -> None:
    """Run the page ``st.navigation`` chose, telling it the selector is drawn already."""
    with _navigation_scope():
        page.run()


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
        st.info(bundled_note, icon=":material/info:")
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
        st.error(t(empty_key, lang), icon=":material/error:")
        return None
    shown = titles or {}
    chosen = st.selectbox(
        t(select_key, lang),
        list(paths),
        key=key,
        format_func=lambda rel: f"{shown[rel]} — {rel}" if rel in shown else str(rel),
    )
    return paths[str(chosen)]
