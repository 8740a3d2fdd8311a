"""Which words of a text shown in 中文 mode are English, outside an allowlist.

A small checker for the browser tests (to be unified with ``tests/english_words.py``).  A token
is a run of Latin letters and digits; it is *not* counted as English when it is

* one letter (``T``, ``x``, units such as ``m`` and ``L``), or holds a digit (sample and well
  ids ``SZ-3-01``, formulas ``HCO3``, ``FAO-29``, versions);
* a chemical formula made of element symbols (``Ca``, ``HCO``, ``CaCO``, ``OH``);
* part of a file path (``docs/optimise_case_format.md``);
* in :data:`ALLOWED`: units, symbols, abbreviations used as such in Chinese technical text, file
  formats, software and database names, standard-code prefixes (``GB/T 14848``, ``SY/T 5329``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: element symbols (a token made only of these, e.g. ``HCO`` or ``CaCO``, is a formula)
ELEMENTS = frozenset(
    [
        "H",
        "He",
        "Li",
        "Be",
        "B",
        "C",
        "N",
        "O",
        "F",
        "Ne",
        "Na",
        "Mg",
        "Al",
        "Si",
        "P",
        "S",
        "Cl",
        "Ar",
        "K",
        "Ca",
        "Sc",
        "Ti",
        "V",
        "Cr",
        "Mn",
        "Fe",
        "Co",
        "Ni",
        "Cu",
        "Zn",
        "Ga",
        "Ge",
        "As",
        "Se",
        "Br",
        "Kr",
        "Rb",
        "Sr",
        "Y",
        "Zr",
        "Nb",
        "Mo",
        "Tc",
        "Ru",
        "Rh",
        "Pd",
        "Ag",
        "Cd",
        "In",
        "Sn",
        "Sb",
        "Te",
        "I",
        "Xe",
        "Cs",
        "Ba",
        "La",
        "Ce",
        "Nd",
        "Hg",
        "Pb",
        "Bi",
        "U",
    ]
)
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?)+$")
_ELEMENT = re.compile(r"[A-Z][a-z]?")

#: words kept in Latin script in Chinese text (compared case-sensitively first, then lowercased)
ALLOWED = frozenset(
    {
        # units and symbols
        "mg",
        "meq",
        "mmol",
        "mol",
        "kgw",
        "kg",
        "km",
        "kWh",
        "MB",
        "yr",
        "ha",
        "atm",
        "bar",
        "mV",
        "pH",
        "pe",
        "pCO",
        "log",
        "lg",  # glossary: 二氧化碳分压（lg pCO₂）
        "ln",
        "SI",
        "IAP",
        "Eh",
        "ORP",
        "DO",
        "TDS",
        "TSS",
        "COD",
        "SAR",
        "RSC",
        "NPV",
        "MIP",
        "CRF",
        "LCOW",
        "SHA",
        "NaN",
        # treatment and mine-water abbreviations (glossary: kept in brackets after the Chinese)
        "RO",
        "NF",
        "UF",
        "EDR",
        "MVR",
        "ZLD",
        "PAC",
        "PAM",
        "ALD",
        "VFP",
        "SAPS",
        "SRB",
        "HDS",
        "LDS",
        "WAC",
        "SAC",
        # file formats
        "CSV",
        "XLSX",
        "Excel",
        "JSON",
        "TOML",
        "toml",
        "csv",
        "xlsx",
        "json",
        "zip",
        "pqi",
        "html",
        "HTML",
        "PDF",
        "pdf",
        # software, databases and models
        "cbmwater",
        "PHREEQC",
        "IPhreeqc",
        "phreeqc",
        "HiGHS",
        "Pyomo",
        "AMDTreat",
        "wateq4f",
        "llnl",
        "minteq",
        "Pitzer",
        "pitzer",
        "sit",
        "Piper",
        "Stiff",
        "Sankey",
        "Hem",
        # standard-code prefixes and bodies, cost indices, US units AMDTreat states
        "GB",
        "SY",
        "HJ",
        "NB",
        "DB",
        "FAO",
        "CNY",
        "CEPCI",
        "gpm",
        # decision under uncertainty (glossary: 随机解价值（VSS）, 完全信息期望值（EVPI）; the
        # conditional value at risk CVaR; Sobol's total index ST), its authors and software
        "VSS",
        "EVPI",
        "CVaR",
        "ST",
        "Sobol",
        "Saltelli",
        "SALib",
        "Dask",
        # cited authors
        "Kirby",
        "Cravotta",
        "Hedin",
        "Skousen",
        # the language selector is bilingual on purpose ("Language / 语言": English | 中文)
        "Language",
        "English",
    }
)
#: a file path such as ``docs/optimise_case_format.md`` (not words of a sentence)
_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)*\.[A-Za-z]{1,5}\b")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_.'][A-Za-z0-9]+)*")


def _is_allowed(token: str) -> bool:
    if len(token) == 1 or any(ch.isdigit() for ch in token):
        return True
    if token in ALLOWED:
        return True
    return bool(_FORMULA.match(token) and all(e in ELEMENTS for e in _ELEMENT.findall(token)))


def english_words(text: str, extra: Iterable[str] = ()) -> list[str]:
    """The English words of ``text``, in order (a word may repeat).

    ``extra``: phrases allowed as they are (names and descriptions taken verbatim from the
    user's input, e.g. a case's title); each is removed from the text first, longest first.
    """
    for phrase in sorted({p for p in extra if p}, key=len, reverse=True):
        text = text.replace(phrase, " ")
    out: list[str] = []
    for chunk in _TOKEN.findall(_PATH.sub(" ", text)):
        if any(ch.isdigit() for ch in chunk) or "_" in chunk or "." in chunk:
            continue  # an id (SZ-3-01), a code (SCALE_BARITE), a file name, a number
        out += [w for w in re.split(r"[-']", chunk) if w and not _is_allowed(w)]
    return out


def summary(words: list[str], top: int = 12) -> str:
    """``"N English words: most common (count), ..."``."""
    common = ", ".join(f"{w} ({n})" for w, n in Counter(words).most_common(top))
    return f"{len(words)} English words: {common}" if words else "no English words"
