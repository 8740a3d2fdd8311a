"""The case a decision page works on: a bundled case or an uploaded .zip (Streamlit).

:func:`pick_case` draws the "bundled / upload" choice, the select box or the uploader, and
returns the case's :class:`~cbmwater.study.casefiles.CaseSource` (read, not yet validated).
The strings it shows are the page's own, named by a prefix: ``{prefix}_source``,
``{prefix}_src_bundled`` / ``{prefix}_src_upload``, ``{prefix}_no_bundled``,
``{prefix}_case_select``, ``{prefix}_upload``, ``{prefix}_upload_help`` and
``{prefix}_upload_wait``.  Tests hand it an upload as ``st.session_state["cbm_test_upload"] =
(filename, bytes)``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cbmwater.app import logic_optimise as LO
from cbmwater.app.common import TEST_UPLOAD_KEY, bundled_case, case_source
from cbmwater.app.i18n import t
from cbmwater.study.casefiles import CaseSource

__all__ = ["pick_case"]


def pick_case(lang: str, prefix: str, cases: list[Path]) -> CaseSource | None:
    """The chosen bundled case among ``cases`` (shown as "title — path") or the uploaded .zip;
    None while there is none (no bundled case: an error is shown; no upload yet: a hint).

    Raises whatever reading the case raises (the caller shows it as a message)."""
    test_upload = st.session_state.get(TEST_UPLOAD_KEY)
    if case_source(lang, prefix, f"{prefix}_source", test_upload is not None) == "bundled":
        labelled = {LO.case_label(p): p for p in cases}
        titles = {rel: LO.case_title(p, lang) for rel, p in labelled.items()}
        keys = (f"{prefix}_no_bundled", f"{prefix}_case_select", f"{prefix}_case")
        chosen = bundled_case(lang, labelled, *keys, titles)
        return None if chosen is None else LO.load_bundled(chosen)
    up = st.file_uploader(
        t(f"{prefix}_upload", lang),
        type=["zip"],
        help=t(f"{prefix}_upload_help", lang),
        key=f"{prefix}_upload",
    )
    if up is not None:
        return LO.load_zip(up.getvalue(), up.name)
    if test_upload is not None:
        return LO.load_zip(test_upload[1], test_upload[0])
    st.info(t(f"{prefix}_upload_wait", lang))
    return None
