"""Messages in English and Chinese, from gettext catalogues.

Every text the engine or a face shows a user has a stable *code* (the gettext ``msgid``, e.g.
``review.verdict.pass``) and is rendered from the catalogue of the user's language::

    cbmwater/locale/<lang>/LC_MESSAGES/<domain>.po

Domains keep catalogues small and owned by one layer: ``engine`` (findings, warnings, errors,
verdict reasons, conditions, names of units, minerals and constituents), ``app`` (the Streamlit
pages), ``reports`` (review and plan reports), ``cli``.  English is a catalogue like Chinese: the
``msgid`` is a code, never the English sentence, so a change of wording never breaks a key.

Why gettext ``.po`` files read with Babel, not compiled ``.mo`` files: the ``.po`` is the
translators' file and the one reviewed in a pull request; reading it directly (once per process,
cached) means there is no build step that could leave a stale ``.mo`` in a wheel.  Babel's
``read_po`` is the reference parser of the format, and the same catalogues work with any gettext
tool (Poedit, ``pybabel update``, Jinja2's ``i18n`` extension via :func:`translations`).

A message is filled with :meth:`str.format` fields (``{si:.2f}``).  A parameter that is itself a
:class:`Message` is rendered in the same language first, so a finding can name a mineral by code.
"""

from __future__ import annotations

from cbmwater.i18n.catalogue import (
    DOMAINS,
    LANGUAGES,
    Catalogue,
    MissingMessageError,
    catalogue,
    translate,
    translations,
)
from cbmwater.i18n.message import (
    UNTRANSLATED,
    Message,
    Text,
    add_i18n,
    joined,
    localized,
    message_dicts,
    message_of,
    named,
    render,
)

__all__ = [
    "DOMAINS",
    "LANGUAGES",
    "Catalogue",
    "Message",
    "Text",
    "UNTRANSLATED",
    "message_dicts",
    "message_of",
    "add_i18n",
    "joined",
    "localized",
    "named",
    "render",
    "MissingMessageError",
    "catalogue",
    "translate",
    "translations",
]
