"""cbmwater app: the entry script ``cbmwater app`` serves (``streamlit run`` this file).

It draws the language selector, builds the navigation with ``st.navigation`` (page titles in the
user's language, Material icons) and runs the chosen page.  The language and the current run
live in the URL (``?lang=zh&run=<id>``, see :mod:`cbmwater.app.common`), so a reload, a bookmark
or a shared link reopens the same view.  Each page stays runnable on its own (the AppTest tests
run them so), drawing its own selector then.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cbmwater.app.common import PAGES, language_selector, run_page
from cbmwater.app.i18n import t

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="cbmwater", page_icon=":material/water_drop:", layout="wide")
lang = language_selector()
pages = [
    st.Page(
        str(HERE / spec.script),
        title=t(spec.title_key, lang),
        icon=spec.icon,
        url_path=spec.url_path,
        default=i == 0,
    )
    for i, spec in enumerate(PAGES)
]
run_page(st.navigation(pages))
