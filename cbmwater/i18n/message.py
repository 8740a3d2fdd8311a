"""A message as data: a stable code and its parameters, rendered in any language later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cbmwater.i18n.catalogue import translate


@dataclass(frozen=True)
class Message:
    """A user-facing message: ``code`` (a gettext msgid) plus ``params`` for its fields.

    The engine returns messages, not sentences; a face renders them with :meth:`render` in the
    user's language.  ``to_dict`` keeps the code and parameters (for re-rendering a stored run in
    the other language) and the English text (for readers of the JSON).

    Examples
    --------
    >>> Message("language.name").render("en")
    'English'
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    domain: str = "engine"

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "zh")."""
        return translate(self.code, lang, self.domain, **dict(self.params))

    def __str__(self) -> str:
        return self.render("en")

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "params", "text"}``; nested messages become their own dicts."""
        params = {k: v.to_dict() if isinstance(v, Message) else v for k, v in self.params.items()}
        return {"code": self.code, "params": params, "text": self.render("en")}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], domain: str = "engine") -> Message:
        """Inverse of :meth:`to_dict` (the English ``text`` is ignored and re-rendered)."""
        params = {
            k: cls.from_dict(v, domain) if isinstance(v, Mapping) and "code" in v else v
            for k, v in dict(data.get("params", {})).items()
        }
        return cls(str(data["code"]), params, domain)
