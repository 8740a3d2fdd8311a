"""cbmwater app: the home page.  Run with ``cbmwater app``.

The app is a thin face over the engine (DESIGN.md §2): widgets and plots over cbmwater's public
API.  All text goes through :mod:`i18n`.
"""

from __future__ import annotations

import streamlit as st

from cbmwater.app.common import language_selector
from cbmwater.app.i18n import t

st.set_page_config(page_title="cbmwater", page_icon="💧", layout="wide")
lang = language_selector()

st.title(t("home_title", lang))
st.markdown(t("home_intro", lang))
st.subheader(t("home_pages", lang))
st.page_link("pages/1_Characterise.py", label=t("page_characterise", lang), icon="🧪")
st.caption(t("page_characterise_help", lang))
st.page_link("pages/2_Treatment.py", label=t("page_treatment", lang), icon="⚙️")
st.caption(t("page_treatment_help", lang))
st.page_link("pages/3_Reinjection.py", label=t("page_reinjection", lang), icon="🛢️")
st.caption(t("page_reinjection_help", lang))
st.page_link("pages/4_Optimise.py", label=t("page_optimise", lang), icon="🧭")
st.caption(t("page_optimise_help", lang))
st.page_link("pages/5_Mine_water.py", label=t("page_minewater", lang), icon="⛏️")
st.caption(t("page_minewater_help", lang))
