"""Find English words in text that should be Chinese (reused by the browser tests for pages).

:func:`english_words` returns the Latin-letter words of a text that are not allowed in a
Chinese rendering.  Allowed: chemical formulas and element symbols (``BaSO4``, ``Fe(OH)3``,
``Na``), units (``mg/L``, ``m3/d``, ``µm²``, ``atm``), standard codes (``GB/T 14848``,
``SY/T 5329``), abbreviations in capitals (``TDS``, ``SAR``, ``PHREEQC``, ``MIX``), software names
(PHREEQC, HiGHS, cbmwater), identifiers and paths (anything with ``_``, ``/``, ``.`` or a
digit: ``formation.depth_m``, ``docs/chemistry_redox.md``, ``fe2``), and the ``extra`` words
the caller allows (sample ids and names taken from the input).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Lower/mixed-case words allowed in Chinese text: units, symbols, software and format names.
ALLOWED = frozenset(
    {
        # units and unit parts
        "mg",
        "L",
        "m",
        "km",
        "kg",
        "d",
        "g",
        "mL",
        "µm",
        "um",
        "bar",
        "atm",
        "yr",
        "a",
        "h",
        "kWh",
        "mV",
        "meq",
        "mol",
        "mmol",
        "mm",
        "t",
        "s",
        "min",
        "pe",
        "pH",
        "lg",
        # element symbols and formula fragments written in mixed case
        "Na",
        "Ca",
        "Mg",
        "Fe",
        "Mn",
        "Ba",
        "Sr",
        "Cl",
        "Al",
        "Si",
        "Li",
        "Br",
        "Cr",
        "Cu",
        "Zn",
        "Pb",
        "Cd",
        "Hg",
        "As",
        "Se",
        "Sb",
        "Ni",
        "Co",
        "Mo",
        "Tl",
        "Ti",
        "Be",
        "Ag",
        "B",
        "F",
        "K",
        "N",
        "P",
        "S",
        "O",
        "C",
        "H",
        "V",
        "SiO",
        "Eh",
        "deg",
        # software and formats
        "HiGHS",
        "cbmwater",
        "Pyomo",
        "WaterTAP",
        "toml",
        "csv",
        "xlsx",
        "json",
        "pqi",
        "md",
        # a cited product manual (the membrane CO2 policy: FilmTec's technical manual)
        "FilmTec",
        # Roman class numerals of standards
        "I",
        "II",
        "III",
        "IV",
    }
)

_WORD = re.compile(r"[A-Za-zµ][A-Za-zµ0-9_./\-()²³]*")


def english_words(text: str, extra: Iterable[str] = ()) -> list[str]:
    """The words of ``text`` that are English and not allowed in a Chinese rendering.

    Parameters
    ----------
    text : str
        Rendered Chinese text (a message, a page's visible text).
    extra : iterable of str
        More allowed words or phrases, e.g. names and sample ids from the input; a phrase is
        removed from the text before the words are looked at.

    Returns
    -------
    list of str
        The offending words in order (empty: the text passes).
    """
    text = re.sub(r"\d[eE][+-]?\d+", " ", text)  # numbers in e-notation (1e+06)
    extras = sorted(set(extra), key=len, reverse=True)
    for phrase in extras:
        text = text.replace(phrase, " ")
    bad = []
    for w in _WORD.findall(text):
        core = w.strip("./-()")
        if not core or core in ALLOWED:
            continue
        if core.isupper() or any(ch.isdigit() for ch in core):
            continue  # abbreviations (TDS, PHREEQC, EQUILIBRIUM_PHASES) and formulas (BaSO4)
        if any(ch in core for ch in "_/."):
            continue  # identifiers and paths (formation.depth_m, docs/chemistry_redox.md)
        if re.fullmatch(r"[A-Z][a-z]?\((?:I|II|III|IV|V|VI)\)", w):
            continue  # oxidation states: Fe(II), Mn(IV)
        if re.fullmatch(r"(?:[A-Z][a-z]?\d*)+(?:\(.*\))?\d*", core):
            continue  # formulas such as NaCl, CaCO, Fe(OH)
        bad.append(w)
    return bad
