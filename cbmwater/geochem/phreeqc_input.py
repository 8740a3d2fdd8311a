"""A safe builder of PHREEQC input.

Only finite numbers (formatted here) and names from fixed tables reach PHREEQC: element names come
from :mod:`cbmwater.water.vocabulary`, phase names from :data:`SI_MINERALS` or the database's own
PHASES list, and solutions are numbered.  No text typed by a user (sample ids, headers, notes)
is ever written into the input that cbmwater runs.  See DESIGN.md §4 "PHREEQC safety".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import cast

from ..errors import GeochemError, InputError
from ..i18n import Text, joined, named
from ..water.vocabulary import CACO3_G_EQ, CONSTITUENTS
from .databases import DatabaseInfo
from .redox import AMM_ELEMENT, RedoxBasis, parse_redox, redox_definitions

__all__ = [
    "SI_MINERALS",
    "CHARGE_BALANCE_CHOICES",
    "fmt",
    "solution_block",
    "selected_output_block",
    "phreeqc_element",
    "redox_definitions",
]

#: Minerals whose saturation index is reported (PHREEQC names, phreeqc.dat spelling).
SI_MINERALS: tuple[str, ...] = (
    "Calcite",
    "Aragonite",
    "Dolomite",
    "Siderite",
    "Rhodochrosite",
    "Strontianite",
    "Witherite",
    "Barite",
    "Celestite",
    "Gypsum",
    "Anhydrite",
    "Fluorite",
    "Halite",
    "Chalcedony",
    "Fe(OH)3(a)",
    "Gibbsite",
)
#: What a solution may be charge-balanced on (PHREEQC's ``charge`` option).
CHARGE_BALANCE_CHOICES: tuple[str, ...] = ("pH", "Na", "K", "Ca", "Mg", "Cl", "SO4", "HCO3")

# g/eq of the two carbonate ions (charged, so never None).
_HCO3_EQ = cast(float, CONSTITUENTS["HCO3"].equivalent_mass)
_CO3_EQ = cast(float, CONSTITUENTS["CO3"].equivalent_mass)

_PHASE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9()_:,.\-]*$")
# Redox-state spellings differ between databases (Fe(2) vs Fe(+2)); the first that exists wins.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Fe(2)": ("Fe(2)", "Fe(+2)", "Fe"),
    "Fe(3)": ("Fe(3)", "Fe(+3)"),
    "N(-3)": ("N(-3)",),
    "N(5)": ("N(5)", "N(+5)"),
    "S(6)": ("S(6)", "S(+6)", "S"),
}


def fmt(x: float) -> str:
    """Format a validated finite number for PHREEQC (10 significant digits)."""
    xf = float(x)
    if not math.isfinite(xf):
        raise GeochemError(Text.of("geochem.error.non_finite", value=repr(x)))
    return f"{xf:.10g}"


def phreeqc_element(name: str, db: DatabaseInfo) -> str | None:
    """The database's spelling of the PHREEQC master name of canonical constituent ``name``.

    Returns None when the database does not define it (the caller reports that).  Ammonium
    (``NH4_N``) is the decoupled master species ``Amm`` wherever the database couples N(-3) to
    nitrate: every input must then start with :func:`redox_definitions` (see
    :mod:`cbmwater.geochem.redox`).
    """
    master = CONSTITUENTS[name].phreeqc
    if master == "N(-3)" and redox_definitions(db):
        return AMM_ELEMENT
    if master is None:
        return None
    for spelling in _SPELLINGS.get(master, (master,)):
        if spelling in db.elements:
            return spelling
    return None


_PLANS: dict[tuple[str, str], tuple[tuple[str, str | None, str], ...]] = {}


def _element_plan(db: DatabaseInfo) -> tuple[tuple[str, str | None, str], ...]:
    """(constituent, database spelling or None, ``as`` suffix) for every PHREEQC constituent."""
    key = (str(db.path), db.sha256)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = tuple(
            (name, phreeqc_element(name, db), f" as {c.phreeqc_as}" if c.phreeqc_as else "")
            for name, c in CONSTITUENTS.items()
            if c.phreeqc is not None and c.kind not in ("aggregate", "property")
        )
    return plan


def solution_block(
    number: int,
    values: Mapping[str, float],
    db: DatabaseInfo,
    *,
    charge_balance: str | None = None,
    pe: float | None = None,
    pressure_atm: float | None = None,
    density: float | str | None = None,
    redox: RedoxBasis | str | None = None,
) -> tuple[str, list[str]]:
    """One PHREEQC ``SOLUTION`` block from canonical mg/L values.

    Parameters
    ----------
    number : int
        Solution number (>= 1).
    values : mapping
        Canonical name -> value (mg/L; ``pH``; ``temp_C`` in deg C).  NaN means not measured.
        ``pH`` is required.  Carbonate enters as total alkalinity as CaCO3: from HCO3 + CO3 when
        either is given, else from ``alkalinity_CaCO3``.  Iron enters by the redox basis:
        ``Fe2``/``Fe3`` as measured where given, else total ``Fe`` as Fe(2) (default), or as
        ``Fe`` distributed by a pe.  Ammonium enters as ``Amm`` (decoupled from nitrate; the
        input must start with :func:`redox_definitions`).
    db : DatabaseInfo
        The database the input is for (element spellings, availability).
    charge_balance : str, optional
        One of :data:`CHARGE_BALANCE_CHOICES` to adjust with PHREEQC's ``charge`` option; None
        (default) for no adjustment.
    pe : float, optional
        Redox potential; same as ``redox="pe:VALUE"`` (kept for callers that set a pe).
    redox : RedoxBasis or str, optional
        ``"fe2"`` (default), ``"pe:VALUE"`` or ``"measured"`` (:class:`~cbmwater.geochem.redox.
        RedoxBasis`).
    pressure_atm : float, optional
        Pressure in atm; PHREEQC's default (1) when None.
    density : float or "calc", optional
        Solution density in kg/L used by PHREEQC to turn mg/L into molality; ``"calc"`` lets
        PHREEQC compute it from the composition; PHREEQC's default (1 kg/L) when None.

    Returns
    -------
    text, notes : str, list of str
        The block and sentences on constituents left out because the database lacks them.
    """
    if not isinstance(number, int) or number < 1:
        raise GeochemError(Text.of("geochem.error.solution_number"))
    if charge_balance is not None and charge_balance not in CHARGE_BALANCE_CHOICES:
        raise InputError(
            Text.of(
                "geochem.error.charge_balance_choice",
                value=repr(charge_balance),
                allowed=joined(list(CHARGE_BALANCE_CHOICES)),
            )
        )

    # the measured values once (NaN and None: not measured); get() is asked ~25 times a water
    given = {
        k: v
        for k, v in values.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    }

    def get(name: str) -> float | None:
        v = given.get(name)
        return None if v is None else float(v)

    ph = get("pH")
    if ph is None:
        raise InputError(Text.of("geochem.error.pH_required"))
    lines = [f"SOLUTION {number}", "    units mg/l"]
    temp = get("temp_C")
    if temp is not None:
        lines.append(f"    temp {fmt(temp)}")
    lines.append(f"    pH {fmt(ph)}" + (" charge" if charge_balance == "pH" else ""))
    if redox is None and pe is not None:
        redox = RedoxBasis("pe", float(pe))
    mode, redox_value = parse_redox(redox).entry(values)
    if mode in ("pe", "orp"):
        assert redox_value is not None  # resolve gives the pe for these modes
        lines.append(f"    pe {fmt(redox_value)}")
    elif mode == "fe_couple":
        lines.append("    redox Fe(2)/Fe(3)")
    elif mode == "do":
        lines.append("    redox O(0)/O(-2)")
        assert redox_value is not None  # resolve gives the DO (mg/L) for this mode
        lines.append(f"    O(0) {fmt(redox_value)}")
    if pressure_atm is not None:
        lines.append(f"    pressure {fmt(pressure_atm)}")
    if density is not None:
        if density == "calc":
            lines.append("    density 1 calc")
        elif isinstance(density, (int, float)) and 0.5 < float(density) < 2.0:
            lines.append(f"    density {fmt(density)}")
        else:
            raise InputError(Text.of("geochem.error.density", value=repr(density)))
    notes: list[str] = []
    hco3, co3 = get("HCO3"), get("CO3")
    if hco3 is not None or co3 is not None:
        alk: float | None = CACO3_G_EQ * ((hco3 or 0.0) / _HCO3_EQ + (co3 or 0.0) / _CO3_EQ)
    else:
        alk = get("alkalinity_CaCO3")
    if alk is not None:
        cb = " charge" if charge_balance == "HCO3" else ""
        lines.append(f"    Alkalinity {fmt(alk)} as CaCO3{cb}")
    split_fe = get("Fe2") is not None or get("Fe3") is not None
    fe_total_as = phreeqc_element("Fe2", db) if mode == "fe2" else None
    for name, element, suffix in _element_plan(db):
        if (name == "Fe" and split_fe) or (name in ("Fe2", "Fe3") and not split_fe):
            continue
        if name == "Fe" and fe_total_as is not None:
            element = fe_total_as
        v = get(name)
        if v is None:
            continue
        if element is None:
            notes.append(
                Text.of("geochem.note.not_defined", name=named("param", name), database=db.name)
            )
            continue
        lines.append(
            f"    {element} {fmt(v)}{suffix}" + (" charge" if charge_balance == name else "")
        )
    if charge_balance not in (None, "pH", "HCO3") and get(charge_balance) is None:
        raise InputError(
            Text.of("geochem.error.charge_balance_unmeasured", name=str(charge_balance))
        )
    return "\n".join(lines) + "\n", notes


def selected_output_block(
    phases: Iterable[str], number: int = 1, totals: Iterable[str] = ()
) -> str:
    """A ``SELECTED_OUTPUT`` block for speciation results (never to a file).

    Columns: solution number, pH, temperature, ionic strength, percent error, then the
    saturation indices of ``phases`` (and of CO2(g) for log pCO2) and element ``totals``.
    """
    names = list(phases)
    for p in names:
        if not _PHASE_NAME.match(p):
            raise GeochemError(Text.of("geochem.error.phase_name", name=repr(p)))
    lines = [
        f"SELECTED_OUTPUT {int(number)}",
        "    -reset false",
        "    -solution true",
        "    -pH true",
        "    -temperature true",
        "    -ionic_strength true",
        "    -percent_error true",
    ]
    if names:
        lines.append("    -si " + " ".join(names))
    tot = list(totals)
    if tot:
        lines.append("    -totals " + " ".join(tot))
    return "\n".join(lines) + "\n"
