"""Every string the app shows, in English and Chinese: the gettext domain ``app``.

The texts live in ``cbmwater/locale/<en|zh>/LC_MESSAGES/app.po`` (msgid = a short code such as
``char_title``; msgstr = the text, with ``str.format`` fields) and are read by
:mod:`cbmwater.i18n`.  This module keeps the pages' short spelling, ``t(key, lang, **fields)``.
A code missing from the Chinese catalogue falls back to English; a code missing from both raises
``KeyError`` (:class:`cbmwater.i18n.MissingMessageError`), so a typo fails the tests instead of
showing nothing.
"""

from __future__ import annotations

from cbmwater.i18n import LANGUAGES, catalogue, translate

__all__ = ["DOMAIN", "LANGUAGES", "has", "keys", "mineral_label", "mineral_name", "t"]

#: the gettext domain of the app's strings
DOMAIN = "app"


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The string ``key`` in ``lang`` ("en" or "zh"), with ``fields`` filled in.

    Falls back to English when ``lang`` has no entry; raises ``KeyError`` for an unknown key.
    """
    return translate(key, lang, DOMAIN, **fields)


def has(key: str) -> bool:
    """Whether the app's English catalogue holds ``key`` (for codes built from engine values)."""
    return catalogue("en", DOMAIN).get(key) is not None


def keys(lang: str = "en") -> frozenset[str]:
    """Every code of the app's catalogue in ``lang``."""
    return frozenset(catalogue(lang, DOMAIN).messages)


def mineral_name(mineral: str, lang: str = "en") -> str:
    """Display name of a PHREEQC phase: the engine catalogue's ``phase.<name>`` (English: the
    PHREEQC name; Chinese: 名称（化学式）), else the app's ``min_<name>``, else the name itself."""
    if catalogue("en", "engine").get(f"phase.{mineral}"):
        return translate(f"phase.{mineral}", lang, "engine")
    key = f"min_{mineral}"
    return t(key, lang) if has(key) else mineral


def mineral_label(mineral: str, lang: str = "en") -> str:
    """A phase in a legend or message: its name in Chinese (with its formula), the PHREEQC name
    in English (``"name PHREEQC-name"`` when the English name differs)."""
    name = mineral_name(mineral, lang)
    return name if lang == "zh" or name == mineral else f"{name} {mineral}"
