"""Concentration units and their conversion to the canonical mg/L.

Supported units (header spellings are folded with :func:`normalise_unit`):

=============  ===================================================================
unit           conversion to the canonical unit of a constituent
=============  ===================================================================
mg/L           x 1
ug/L           x 0.001
g/L            x 1000
mmol/L         x molar mass (g/mol) of the species the constituent is expressed as
meq/L          x molar mass / abs(charge)   (charged species and alkalinity only)
deg C          temperature only
mV             redox potential (ORP_mV, Eh against the standard hydrogen electrode) only
-              pH only (dimensionless)
=============  ===================================================================

Alkalinity as CaCO3 takes mg/L (as CaCO3), mmol/L (of CaCO3, x 100.09) or meq/L (x 50.04).
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import UnitError
from ..i18n import Text, joined, named
from .vocabulary import CONSTITUENTS

__all__ = [
    "UNITS",
    "normalise_unit",
    "parse_unit",
    "to_canonical",
    "from_canonical",
    "allowed_units",
]

#: canonical unit ids and their accepted spellings
UNITS: dict[str, tuple[str, ...]] = {
    "mg/L": ("mg/L", "mg/l", "mgL-1", "mg L-1", "mg·L-1", "mg·L⁻¹", "ppm", "毫克/升", "mg/dm3"),
    "ug/L": ("ug/L", "µg/L", "μg/L", "ugL-1", "µg·L-1", "μg·L⁻¹", "ppb", "微克/升"),
    "g/L": ("g/L", "g/l", "gL-1", "g·L-1", "克/升"),
    "mmol/L": ("mmol/L", "mmol/l", "mmolL-1", "mmol·L-1", "mmol·L⁻¹", "毫摩尔/升"),
    "meq/L": ("meq/L", "meq/l", "meqL-1", "meq·L-1", "mmol(eq)/L", "mval/L", "毫克当量/升"),
    "deg C": ("deg C", "degC", "°C", "℃", "C", "摄氏度"),
    "mV": ("mV", "millivolt", "毫伏"),
    "-": ("-", "", "无量纲", "dimensionless", "pH unit", "pH units", "无"),
}


def normalise_unit(text: str) -> str:
    """Fold a unit spelling: NFKC, case-folded, no white space or middle dots."""
    s = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    s = s.replace("μ", "u").replace("µ", "u").replace("⁻¹", "-1")
    return re.sub(r"[\s·•*]+", "", s)


_LOOKUP: dict[str, str] = {}
for _uid, _spellings in UNITS.items():
    for _s in _spellings + (_uid,):
        _LOOKUP[normalise_unit(_s)] = _uid
# "mM" is left out on purpose: folded to lower case it reads as "mm" (millimetres).


def parse_unit(text: str) -> str | None:
    """Return the unit id for a spelling, or None if it is not a unit we know."""
    return _LOOKUP.get(normalise_unit(text))


def allowed_units(name: str) -> tuple[str, ...]:
    """Units that may be given for the canonical constituent ``name``."""
    c = CONSTITUENTS[name]
    if name == "temp_C":
        return ("deg C",)
    if name == "pH":
        return ("-",)
    if c.unit == "mV":
        return ("mV",)
    units = ["mg/L", "ug/L", "g/L"]
    if c.molar_mass is not None:
        units.append("mmol/L")
        if c.charge != 0:
            units.append("meq/L")
    return tuple(units)


def unit_not_for(unit: str, name: str) -> Text:
    """The error text "unit 'U' does not apply to NAME; allowed: ..." as a coded text."""
    return Text.of(
        "water.error.unit_not_for",
        unit=unit,
        name=named("param", name),
        allowed=joined(allowed_units(name)),
    )


def _factor(name: str, unit: str) -> float:
    if unit not in allowed_units(name):
        raise UnitError(unit_not_for(unit, name))
    c = CONSTITUENTS[name]
    if unit in ("mg/L", "deg C", "-", "mV"):
        return 1.0
    if unit == "ug/L":
        return 1e-3
    if unit == "g/L":
        return 1e3
    assert c.molar_mass is not None
    if unit == "mmol/L":
        return c.molar_mass
    return c.molar_mass / abs(c.charge)  # meq/L


def to_canonical(value: float, name: str, unit: str) -> float:
    """Convert ``value`` in ``unit`` to the canonical unit of constituent ``name``.

    Parameters
    ----------
    value : float
        The number as reported.
    name : str
        Canonical constituent name (see :mod:`cbmwater.water.vocabulary`).
    unit : str
        A unit id from :data:`UNITS`.

    Returns
    -------
    float
        The value in mg/L (mg/L as CaCO3 for alkalinity; deg C; pH units; mV for ORP_mV).

    Raises
    ------
    UnitError
        If the unit does not apply to the constituent (meq/L of SiO2, mmol/L of TDS, ...).
    """
    return value * _factor(name, unit)


def from_canonical(value: float, name: str, unit: str) -> float:
    """Inverse of :func:`to_canonical`: mg/L (or the canonical unit) to ``unit``."""
    return value / _factor(name, unit)
