"""Small Streamlit helpers the pages share: translated table columns and engine errors shown as
messages (never a traceback)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from cbmwater import CbmwaterError
from cbmwater.app.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from streamlit.elements.lib.column_types import ColumnConfig

__all__ = ["text_col", "num_col", "report"]


def text_col(key: str, lang: str, **kw: Any) -> ColumnConfig:
    """A text column titled by app string ``key``."""
    return st.column_config.TextColumn(t(key, lang), **kw)


def num_col(key: str, lang: str, fmt: str = "%.2f", **kw: Any) -> ColumnConfig:
    """A number column titled by app string ``key``, printf format ``fmt``."""
    return st.column_config.NumberColumn(t(key, lang), format=fmt, **kw)


def report(exc: BaseException, key: str, lang: str, internal_key: str) -> None:
    """An engine error in ``lang`` under app string ``key``; any other error named as internal
    (``internal_key``: fields ``kind`` and ``msg``)."""
    if isinstance(exc, CbmwaterError):
        st.error(t(key, lang, msg=exc.render(lang)), icon=":material/error:")
    else:
        st.error(
            t(internal_key, lang, kind=type(exc).__name__, msg=str(exc)),
            icon=":material/bug_report:",
        )
