"""Redox policy of every PHREEQC input cbmwater writes (DESIGN.md §5, "Redox").

Two things are fixed here, once, for every layer (speciation, treatment units, mixing, reinjection
review, the optimiser's blend checks, mine-water titrations):

1. **Which couples may react.**  phreeqc.dat and wateq4f.dat couple ammonium to nitrate and N2
   through the electron (``NO3- + 10 H+ + 8 e- = NH4+ + 3 H2O``), so any reaction step (a MIX, a
   pH adjustment, O2 equilibrium) lets PHREEQC turn NH4 into N2 or NO3 and reduce sulfate or
   nitrate with the electrons it frees.  No treatment unit does that in seconds: nitrification
   is bacterial, and sulfate or nitrate reduction needs biology too (reference/
   treatment_chemistry.md §5).  :func:`redox_definitions` therefore

   * defines ammonium as its own master species ``Amm`` (``AmmH+``; acid-base and sulfate
     complex only), exactly as PHREEQC's ``Amm.dat`` and the commented ``Amm`` lines of
     phreeqc.dat do (log_k -9.252, delta_h 12.48 kcal, the same analytic expression as NH4+);
   * removes the reduced forms of nitrate (NO2-, N2, NH4+ of the element N) by giving their
     formation reactions ``log_k -300``, so nitrate stays nitrate.

   * removes sulfide (S(-2)) the same way: sulfate is never reduced by a physical or chemical
     unit.  (Thermodynamically Fe(II) can barely reduce sulfate, but in a closed step of a
     water with no redox buffer, e.g. softened RO permeate, PHREEQC's pe is undetermined and
     the sulfate/sulfide balance fails to converge; without S(-2) it cannot.)  The database's
     own sulfide equation is used (HS- in phreeqc.dat, H2S in wateq4f.dat).

   Iron stays a redox element: units that oxidise (aeration, oxidants, greensand) add O2 or an
   oxidant and PHREEQC converts Fe(II) to Fe(III); other units leave it as entered.

2. **The redox state of a water** (:class:`RedoxBasis`): total Fe without a redox statement is
   Fe(II) (an anoxic formation water, reference §6); ``pe:VALUE`` distributes total Fe by that
   pe (PHREEQC's default is pe 4, the behaviour before this policy); ``measured`` derives it from
   the analysis (Fe2/Fe3 split, else ORP as Eh, else dissolved oxygen).

References
----------
Parkhurst, D.L., Appelo, C.A.J. (2013) Description of input and examples for PHREEQC version 3.
USGS Techniques and Methods 6-A43 (SOLUTION ``redox``, ``pe``; SOLUTION_MASTER_SPECIES).
PHREEQC 3 database ``Amm.dat`` (usgs-coupled/phreeqc3, database/Amm.dat).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..i18n import Message, Text, joined
from .databases import DatabaseInfo

__all__ = [
    "RedoxBasis",
    "parse_redox",
    "redox_definitions",
    "REDOX_MARK",
    "AMM_ELEMENT",
    "ELECTRONS_PER_VOLT",
    "eh_to_pe",
    "REDOX_CHOICES",
]

#: Comment line that opens the definitions (the engine checks inputs that use ``Amm`` for it).
REDOX_MARK = "# cbmwater redox policy: ammonium decoupled (Amm), nitrate and sulfate not reduced"
#: PHREEQC master species of decoupled ammonium.
AMM_ELEMENT = "Amm"
#: What ``--redox`` accepts.
REDOX_CHOICES = ("fe2", "pe:VALUE", "measured")
#: F / (R T ln 10) at 25 deg C, 1/V: pe = Eh / 0.05916 V.
ELECTRONS_PER_VOLT = 1.0 / 0.059159

_AMM_DEFINITIONS = f"""{REDOX_MARK}
# (PHREEQC's Amm.dat: ammonium as master species Amm, acid-base only; reduced N from nitrate off)
SOLUTION_MASTER_SPECIES
    Amm  AmmH+  0  AmmH  17.031
SOLUTION_SPECIES
AmmH+ = AmmH+
    -gamma 2.5 0
    -dw 1.98e-9
AmmH+ = Amm + H+
    -log_k -9.252
    -delta_h 12.48 kcal
    -analytic 0.6322 -0.001225 -2835.76
    -dw 2.28e-9
AmmH+ + SO4-2 = AmmHSO4-
    -log_k 1.11
NO3- + 2 H+ + 2 e- = NO2- + H2O
    -log_k -300
2 NO3- + 12 H+ + 10 e- = N2 + 6 H2O
    -log_k -300
NO3- + 10 H+ + 8 e- = NH4+ + 3 H2O
    -log_k -300
    -gamma 2.5 0
"""


_SULFIDE = re.compile(r"^\s*(SO4-2 \+ \d+ H\+ \+ 8 e- = (?:HS-|H2S) \+ 4 H2O)\s*$", re.MULTILINE)


def redox_definitions(db: DatabaseInfo) -> str:
    """The PHREEQC definitions that put the redox policy into an input for database ``db``.

    Empty for a database without nitrogen redox states (pitzer.dat has no N(-3)).  Every input
    that enters ammonium must start with this text (the engine refuses one that does not).
    """
    if "N(-3)" not in db.elements:
        return ""
    return _AMM_DEFINITIONS + _sulfide_line(str(db.path), db.sha256)


@lru_cache(maxsize=8)
def _sulfide_line(path: str, sha256: str) -> str:
    """The database's sulfate -> sulfide reaction with its log_k set to -300 ("" if none)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    m = _SULFIDE.search(text)
    if not m:
        return ""
    return f"{m.group(1).strip()}\n    -log_k -300\n"


def eh_to_pe(eh_mV: float, temp_C: float = 25.0) -> float:
    """pe from a redox potential Eh (mV against the standard hydrogen electrode).

    pe = F Eh / (R T ln 10); at 25 deg C pe = Eh / 59.16 mV.

    References
    ----------
    Stumm, W., Morgan, J.J. (1996) Aquatic Chemistry, 3rd ed., Wiley, eq. 8.26.
    """
    t_k = temp_C + 273.15
    return eh_mV / 1000.0 * 96485.33212 / (8.314462618 * t_k * math.log(10.0))


@dataclass(frozen=True)
class RedoxBasis:
    """How the redox state of a water is entered into PHREEQC.

    Attributes
    ----------
    kind : {"fe2", "pe", "measured"}
        ``fe2``: total Fe enters as Fe(2) (measured Fe2/Fe3 splits are entered as given);
        ``pe``: total Fe is distributed by ``pe``; ``measured``: Fe2/Fe3 split with PHREEQC's
        ``redox Fe(2)/Fe(3)``, else ``ORP_mV`` (Eh), else ``DO`` (``redox O(0)/O(-2)``).
    pe : float, optional
        The pe of ``kind == "pe"``.
    """

    kind: str = "fe2"
    pe: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("fe2", "pe", "measured"):
            raise InputError(
                Text.of(
                    "geochem.error.redox_basis",
                    allowed=joined(list(REDOX_CHOICES)),
                    value=repr(self.kind),
                )
            )
        if self.kind == "pe" and (
            self.pe is None or not math.isfinite(self.pe) or not -15.0 <= self.pe <= 20.0
        ):
            raise InputError(Text.of("geochem.error.pe_range", value=repr(self.pe)))

    @property
    def label(self) -> str:
        """Short text for results and reports (``fe2``, ``pe:4``, ``measured``)."""
        return f"pe:{self.pe:g}" if self.kind == "pe" else self.kind

    def describe(self, values: Mapping[str, float]) -> str:
        """One sentence saying how this water's redox state was entered."""
        return self.resolve(values)[2]

    def resolve(self, values: Mapping[str, float]) -> tuple[str, float | None, str]:
        """How to enter a water: (mode, number, sentence).

        mode is ``"fe2"`` (total Fe as Fe(2)), ``"split"`` (Fe2 and Fe3 as measured, pe 4 for
        other redox elements), ``"pe"`` (``pe number``), ``"fe_couple"`` (``redox Fe(2)/Fe(3)``),
        ``"orp"`` (``pe number`` from Eh) or ``"do"`` (``redox O(0)/O(-2)``, O(0) = DO mg/L).
        """
        mode, number, code, params = self._entry(values)
        return mode, number, Text(Message(code, dict(params)))

    def entry(self, values: Mapping[str, float]) -> tuple[str, float | None]:
        """(mode, number) of :meth:`resolve` without its sentence (what an input builder
        needs, once per water)."""
        mode, number, _, _ = self._entry(values)
        return mode, number

    def _entry(
        self, values: Mapping[str, float]
    ) -> tuple[str, float | None, str, dict[str, float]]:
        """(mode, number, sentence code, sentence parameters); see :meth:`resolve`."""

        def got(name: str) -> float | None:
            v = values.get(name)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return None
            return float(v)

        fe2, fe3 = got("Fe2"), got("Fe3")
        split = fe2 is not None or fe3 is not None
        if self.kind == "pe":
            assert self.pe is not None  # __post_init__ refuses kind "pe" without a pe
            code = "redox.basis.pe_split" if split else "redox.basis.pe"
            return ("pe", float(self.pe), code, {"pe": self.pe})
        if self.kind == "fe2":
            if split:
                return ("split", None, "redox.basis.split", {})
            return ("fe2", None, "redox.basis.fe2", {})
        # measured
        if fe2 is not None and fe3 is not None and fe2 > 0 and fe3 > 0:
            return ("fe_couple", None, "redox.basis.fe_couple", {})
        orp = got("ORP_mV")
        if orp is not None:
            t = got("temp_C")
            pe = eh_to_pe(orp, 25.0 if t is None else t)
            return ("orp", pe, "redox.basis.orp", {"pe": pe, "orp_mV": orp})
        do = got("DO")
        if do is not None and do > 0:
            return ("do", do, "redox.basis.do", {"do_mg_L": do})
        if split:
            return ("split", None, "redox.basis.split", {})
        raise InputError(Text.of("geochem.error.redox_measured_none"))


def parse_redox(value: str | RedoxBasis | None) -> RedoxBasis:
    """A :class:`RedoxBasis` from ``"fe2"``, ``"pe:4"``, ``"measured"`` (or None: ``fe2``)."""
    if value is None:
        return RedoxBasis()
    if isinstance(value, RedoxBasis):
        return value
    text = str(value).strip().lower()
    if text in ("fe2", "measured"):
        return RedoxBasis(text)
    if text.startswith("pe:"):
        try:
            pe = float(text[3:])
        except ValueError:
            raise InputError(Text.of("geochem.error.pe_not_number", value=repr(value))) from None
        return RedoxBasis("pe", pe)
    raise InputError(
        Text.of(
            "geochem.error.redox_choice", allowed=joined(list(REDOX_CHOICES)), value=repr(value)
        )
    )
