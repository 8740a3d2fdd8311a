"""cbmwater app: the home page (the navigation's default page; ``cbmwater app`` serves
:mod:`cbmwater.app.streamlit_app`).

The app is a thin face over the engine (DESIGN.md §2): widgets and plots over cbmwater's public
API.  All text goes through :mod:`i18n`.
"""

from __future__ import annotations

import streamlit as st

from cbmwater.app.common import PAGES, page_setup
from cbmwater.app.i18n import t

lang = page_setup("Home.py")

st.title(t("home_title", lang))
st.markdown(t("home_intro", lang))
st.subheader(t("home_pages", lang))
for spec in PAGES:
    if spec.page_key is not None:
        st.page_link(spec.script, label=t(spec.page_key, lang), icon=spec.icon)
        st.caption(t(f"{spec.page_key}_help", lang))
