"""Pieces every page shares: the language selector in the sidebar."""

from __future__ import annotations

import streamlit as st

from i18n import LANGUAGES, t

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
    st.sidebar.radio(t("language", lang), list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                     key=_RADIO_KEY, horizontal=True, on_change=_remember_language)
    return lang
