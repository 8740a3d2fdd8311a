"""Passive treatment options sized by AMDTreat 6's rules in SI units, costed in CNY.

Options: anoxic limestone drain (:func:`anoxic_limestone_drain`), vertical flow pond / SAPS
(:func:`vertical_flow_pond`), oxic limestone bed (:func:`limestone_bed`), manganese removal bed
(:func:`manganese_removal_bed`), aerobic wetland (:func:`aerobic_wetland`), sulfate-reducing
bioreactor (:func:`sulfate_reducing_bioreactor`) and oxidation/settling pond
(:func:`settling_pond`).  Each returns an :class:`~cbmwater.minewater.options.OptionResult`.

One module per system: :mod:`.ald`, :mod:`.limestone_bed`, :mod:`.vfp` (these three size their
limestone in :mod:`.limestone`), :mod:`.mn_bed`, :mod:`.wetland`, :mod:`.bioreactor` and
:mod:`.settling_pond`; what they share (geometry, liners, pipes, site development, the options
with their AMDTreat defaults and ranges, the finish of the result) is in :mod:`.common`.

Units: flow m3/d, acidity mg/L as CaCO3, metals mg/L, lengths m, areas m2, volumes m3, limestone
in metric tonnes, money CNY of the economics price year (see :mod:`cbmwater.minewater.options`
for the USD -> CNY conversion and the location factor).  Defaults are AMDTreat 6's, read from
``databases/minewater/amdtreat.toml``.

Geometry (AMDTreat, all modules)
--------------------------------
A layer of depth ``d`` on a rectangular bottom ``L x W`` with inside side slope ``z`` (H:V) has
top ``(L + 2zd) x (W + 2zd)`` and volume ``d ((L_top W_top + L W) / 2)`` (AMDTreat's
average-end-area rule).  With ``W = L / r`` the bottom length follows from a quadratic:

* from a layer volume V:  ``(d/r) L^2 + z d^2 (1 + 1/r) L + 2 z^2 d^3 - V = 0``
  (``CalcLimestoneBottomLength``);
* from a top area A:      ``L^2/r + Z (1 + 1/r) L + Z^2 - A = 0`` with ``Z = 2 z d``
  (``CalcLimestoneBottomLengthAlkalinityGeneration``).

A bottom width under 10 ft (3.048 m) is AMDTreat's "pond cannot be constructed" error (reported
as a warning here); a non-positive bottom raises :class:`~cbmwater.errors.InputError`.
Land = AMDTreat's clear-and-grub area: top of freeboard plus an 8 ft (2.44 m) berm and a 3:1
outslope over the freeboard depth on each side (ALD: soil-cover top plus 2 ft on each side).

References
----------
AMDTreat 6 C# source, jlant/amdtreat@5a292e0 (``AMDTreat/Models/*Calculations.cs``,
``ViewModels/*ViewModel.cs``, ``Data/default-data-*.xml``); the project's AMDTreat reference
notes (amd.md).
Hedin, R.S., Nairn, R.W., Kleinmann, R.L.P. (1994) Passive treatment of coal mine drainage.
US Bureau of Mines IC 9389 [M].  Means, B., Rose, A.W. (2005) Rate of manganese removal in
limestone bioreactors, ASMR [M].
"""

from .ald import anoxic_limestone_drain
from .bioreactor import sulfate_reducing_bioreactor
from .common import LINERS, defaults_life
from .limestone import LIMESTONE_METHODS
from .limestone_bed import limestone_bed
from .mn_bed import manganese_removal_bed
from .settling_pond import settling_pond
from .vfp import vertical_flow_pond
from .wetland import aerobic_wetland

__all__ = [
    "anoxic_limestone_drain",
    "vertical_flow_pond",
    "limestone_bed",
    "manganese_removal_bed",
    "aerobic_wetland",
    "sulfate_reducing_bioreactor",
    "settling_pond",
    "LIMESTONE_METHODS",
    "LINERS",
    "defaults_life",
]
