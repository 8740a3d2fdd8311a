"""The names the engine gives constituents, with their units and their English and Chinese
labels (what a face shows next to a number)."""

from __future__ import annotations

from ..water.vocabulary import CONSTITUENTS as _CONSTITUENTS

__all__ = ["CONSTITUENT_NAMES", "constituent_unit", "constituent_label"]

#: Every canonical constituent name (``Na``, ``HCO3``, ``pH``, ``temp_C`` ...), in the
#: vocabulary's order (the order tables show them in).
CONSTITUENT_NAMES: tuple[str, ...] = tuple(_CONSTITUENTS)


def constituent_unit(name: str) -> str:
    """The unit a constituent's values are in (``mg/L`` for ions, ``-`` for pH ...).

    Parameters
    ----------
    name : str
        A canonical name (:data:`CONSTITUENT_NAMES`).

    Returns
    -------
    str
        The unit; ``""`` for a name the vocabulary does not know.

    Examples
    --------
    >>> constituent_unit("Na"), constituent_unit("temp_C"), constituent_unit("nonsense")
    ('mg/L', 'deg C', '')
    """
    c = _CONSTITUENTS.get(name)
    return "" if c is None else c.unit


def constituent_label(name: str, lang: str = "en") -> str:
    """A constituent's name in words, English (``lang="en"``) or Chinese (``"zh"``).

    Parameters
    ----------
    name : str
        A canonical name.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The label; the name itself for a name the vocabulary does not know.

    Examples
    --------
    >>> constituent_label("Na"), constituent_label("Na", "zh")
    ('Sodium', '钠')
    """
    c = _CONSTITUENTS.get(name)
    if c is None:
        return name
    return c.label_zh if lang == "zh" else c.label_en
