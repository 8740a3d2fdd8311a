"""A message as data: a stable code and its parameters, rendered in any language later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cbmwater.i18n.catalogue import catalogue, translate


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
        params = {
            k: v.to_dict()
            if isinstance(v, Message)
            else v.message.to_dict()
            if isinstance(v, Text)
            else v
            for k, v in self.params.items()
        }
        return {"code": self.code, "params": params, "text": self.render("en")}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], domain: str = "engine") -> Message:
        """Inverse of :meth:`to_dict` (the English ``text`` is ignored and re-rendered)."""
        params = {
            k: cls.from_dict(v, domain) if isinstance(v, Mapping) and "code" in v else v
            for k, v in dict(data.get("params", {})).items()
        }
        return cls(str(data["code"]), params, domain)


class Text(str):
    """English text that remembers its :class:`Message` (a ``str`` everywhere it is used).

    Engine results keep their English text fields (JSON readers and old code see a plain
    string); a face that knows about messages re-renders the text in the user's language with
    :func:`cbmwater.i18n.render`.

    Examples
    --------
    >>> t = Text.of("language.name")
    >>> t, t.message.render("zh")
    ('English', '中文')
    """

    message: Message

    def __new__(cls, message: Message) -> Text:
        self = super().__new__(cls, message.render("en"))
        self.message = message
        return self

    @classmethod
    def of(cls, code: str, domain: str = "engine", **params: Any) -> Text:
        """``Text(Message(code, params, domain))``."""
        return cls(Message(code, params, domain))

    def __str__(self) -> str:
        # ``str(text)`` is the text itself, message and all: code that passes a text on
        # through ``str()`` (the job runner's progress, after the text crossed a process
        # boundary) keeps its code, and the English is the same string as before
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its message (re-rendered in English when unpickled): a progress text
        # keeps its code through a multiprocessing queue
        return (Text, (self.message,))


#: the code of a text that has no message of its own yet (rendered as the text in every language)
UNTRANSLATED = "text.untranslated"


def message_of(text: str | Message) -> Message:
    """The message behind ``text``: its own (a :class:`Text` or a :class:`Message`), else the
    untranslated text wrapped as :data:`UNTRANSLATED` (shown as is in every language)."""
    if isinstance(text, Message):
        return text
    if isinstance(text, Text):
        return text.message
    return Message(UNTRANSLATED, {"text": str(text)})


def named(prefix: str, key: str) -> Message | str:
    """The name message ``<prefix>.<key>`` (e.g. ``unitid.brackish_ro``, ``param.Fe``) if the
    engine catalogue holds it, else ``key`` itself (a name from a user's own data, shown as is).

    Examples
    --------
    >>> named("param", "Fe").render("zh"), named("param", "my_own")
    ('铁', 'my_own')
    """
    code = f"{prefix}.{key}"
    return Message(code) if catalogue("en", "engine").get(code) else key


#: longest list :func:`joined` builds from the ``list.<sep>.<n>`` messages
JOINED_MAX = 12


def joined(items: Any, sep: str = "comma") -> Message | str:
    """A list of names or messages as one message: ``list.comma.<n>`` ("a, b, c" / "a、b、c"),
    ``list.semicolon.<n>`` ("a; b" / "a；b") or ``list.or.<n>`` ("a or b" / "a或b"); items
    may be messages.  ``""`` for no items.  A comma or semicolon list longer than the
    catalogue's lists nests: its last place holds the rest, joined the same way, so the text is
    the same as one long list in every language.  An "or" list of more than 3 is joined in
    English (a name list that long is data).
    """
    items = list(items)
    if not items:
        return ""
    if sep != "or" and len(items) > JOINED_MAX:
        head, rest = items[: JOINED_MAX - 1], items[JOINED_MAX - 1 :]
        return Message(
            f"list.{sep}.{JOINED_MAX}",
            {**{f"a{i}": v for i, v in enumerate(head)}, f"a{JOINED_MAX - 1}": joined(rest, sep)},
        )
    if len(items) > 3 and sep == "or":
        return " or ".join(map(str, items))
    return Message(f"list.{sep}.{len(items)}", {f"a{i}": v for i, v in enumerate(items)})


def add_i18n(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Add ``<key>_i18n`` next to each text field ``key`` of a result item (a message dict, or a
    list of them for a list of texts); returns ``item``.  Absent keys and ``None`` are skipped."""
    for key in keys:
        v = item.get(key)
        if isinstance(v, str):
            item[f"{key}_i18n"] = message_of(v).to_dict()
        elif isinstance(v, (list, tuple)):
            item[f"{key}_i18n"] = message_dicts(v)
    return item


def message_dicts(texts: Any) -> list[dict[str, Any]]:
    """``[message_of(t).to_dict() for t in texts]``: the ``<field>_i18n`` list of a result."""
    return [message_of(t).to_dict() for t in texts]


def localized(obj: Any, field: str, lang: str = "en") -> str:
    """An input's own text in ``lang``: ``<field>_zh`` of ``obj`` in Chinese when the author gave
    one, else ``<field>``.  ``obj`` is a case object (attributes) or a dict (keys).

    A case, a mine plan or a proposal may carry its title, name, note or description in Chinese
    beside the English (``name_zh``, ``note_zh``, ``title_zh``, ``description_zh``); the faces
    show the one of the user's language.

    Examples
    --------
    >>> d = {"name": "wet", "name_zh": "丰水期"}
    >>> localized(d, "name", "zh"), localized(d, "name", "en"), localized({"name": "x"}, "name", "zh")
    ('丰水期', 'wet', 'x')
    """
    get = obj.get if isinstance(obj, Mapping) else lambda k, d=None: getattr(obj, k, d)
    if lang == "zh":
        zh = get(f"{field}_zh", None)
        if zh:
            return str(zh)
    value = get(field, "")
    return "" if value is None else str(value)


def render(obj: Any, lang: str = "en") -> Any:
    """Render a message, or a message as data, in ``lang``; anything else is returned as is.

    Parameters
    ----------
    obj : Message, Text, dict, list, str or None
        A :class:`Message`; a :class:`Text`; a message dict (``{"code", "params", ...}`` as
        ``to_dict`` writes it, domain ``engine`` unless the dict says ``"domain"``); a list or
        tuple of these (rendered item by item); a plain ``str`` or ``None`` (returned unchanged).
    lang : {"en", "zh"}

    Examples
    --------
    >>> render({"code": "language.name", "params": {}}, "zh")
    '中文'
    >>> render(["plain", Text.of("language.name")], "zh")
    ['plain', '中文']
    """
    if isinstance(obj, Message):
        return obj.render(lang)
    if isinstance(obj, Text):
        return obj.message.render(lang)
    if isinstance(obj, Mapping) and "code" in obj:
        return Message.from_dict(obj, str(obj.get("domain", "engine"))).render(lang)
    if isinstance(obj, (list, tuple)):
        return [render(o, lang) for o in obj]
    return obj
