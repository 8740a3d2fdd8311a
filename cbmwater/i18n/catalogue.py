"""Loading and looking up the gettext catalogues (``cbmwater/locale/<lang>/LC_MESSAGES``)."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.pofile import read_po

#: the languages every catalogue must cover, with their names as shown to the user
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}

#: the catalogue domains; a code lives in exactly one of them
DOMAINS: tuple[str, ...] = ("engine", "app", "reports", "cli")


class MissingMessageError(KeyError):
    """A message code that no catalogue of the domain holds (a programming error, not a user's)."""


@dataclass(frozen=True)
class Catalogue:
    """One language's messages of one domain: code → text (``str.format`` template)."""

    lang: str
    domain: str
    messages: dict[str, str]

    def get(self, code: str) -> str | None:
        """The template for ``code``, or None if this catalogue lacks it (or it is empty)."""
        text = self.messages.get(code)
        return text or None


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")


@cache
def catalogue(lang: str, domain: str) -> Catalogue:
    """Read ``cbmwater/locale/<lang>/LC_MESSAGES/<domain>.po`` once per process.

    Parameters
    ----------
    lang : {"en", "zh"}
    domain : one of :data:`DOMAINS`

    Returns
    -------
    Catalogue
        Empty if the file does not exist yet (the completeness test catches a missing file).
    """
    _check_language(lang)
    if domain not in DOMAINS:
        raise ValueError(f"catalogue domain {domain!r} is not one of {', '.join(DOMAINS)}")
    po = resources.files("cbmwater").joinpath("locale", lang, "LC_MESSAGES", f"{domain}.po")
    if not po.is_file():
        return Catalogue(lang, domain, {})
    with po.open("rb") as handle:
        cat = read_po(handle, locale=None, domain=domain)
    messages: dict[str, str] = {}
    for entry in cat:
        if entry.id and isinstance(entry.id, str) and isinstance(entry.string, str):
            messages[entry.id] = entry.string
    return Catalogue(lang, domain, messages)


def translate(code: str, lang: str = "en", domain: str = "engine", **params: Any) -> str:
    """Render message ``code`` in ``lang``, filling its ``str.format`` fields from ``params``.

    A code missing from the Chinese catalogue falls back to English (and the completeness test
    fails); a code missing from both raises :class:`MissingMessageError`.  Parameters that are
    :class:`cbmwater.i18n.Message` objects are rendered in ``lang`` first.

    Examples
    --------
    >>> translate("language.name", "zh", domain="engine")
    '中文'
    """
    template = catalogue(lang, domain).get(code) or catalogue("en", domain).get(code)
    if template is None:
        raise MissingMessageError(f"no message {code!r} in the {domain!r} catalogues")
    if not params:
        return template
    # a Message parameter (anything with .code and .render: no import of message.py, which
    # imports this module) is rendered in the same language
    # and so is a Text (English text that carries its message: .message.render)
    filled = {k: _rendered(v, lang) for k, v in params.items()}
    return template.format(**filled)


def _rendered(v: Any, lang: str) -> Any:
    """A parameter in ``lang``: a message rendered, a Text's message rendered, else as is."""
    if hasattr(v, "code") and hasattr(v, "render"):
        return v.render(lang)
    inner: Any = getattr(v, "message", None) if isinstance(v, str) else None
    if inner is not None and hasattr(inner, "code") and hasattr(inner, "render"):
        return inner.render(lang)
    return v


class _CatalogueTranslations(gettext.NullTranslations):
    """A :class:`gettext.NullTranslations` over one catalogue, for Jinja2's ``i18n`` extension."""

    def __init__(self, lang: str, domain: str) -> None:
        super().__init__()
        self._lang = lang
        self._domain = domain

    def gettext(self, message: str) -> str:
        return (
            catalogue(self._lang, self._domain).get(message)
            or catalogue("en", self._domain).get(message)
            or message
        )

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


def translations(lang: str, domain: str) -> gettext.NullTranslations:
    """gettext translations of one domain, e.g. for ``jinja2.ext.i18n``'s
    ``install_gettext_translations``."""
    _check_language(lang)
    return _CatalogueTranslations(lang, domain)
