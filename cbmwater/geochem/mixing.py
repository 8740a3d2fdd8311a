"""Blends of several waters, by PHREEQC: pH and saturation indices of a mixture at a temperature.

Concentrations of a blend are flow-weighted (mass balance); pH and saturation indices are not
linear in the mixing fractions, so PHREEQC mixes the solutions (``MIX``) and re-speciates them at
the blend's temperature (``REACTION_TEMPERATURE``).  Reference: Parkhurst & Appelo (2013),
PHREEQC version 3 (USGS TM 6-A43), keywords MIX and REACTION_TEMPERATURE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import GeochemError
from ..i18n import Text, joined
from .databases import database_info
from .engine import get_engine, si_or_nan
from .phreeqc_input import SI_MINERALS, fmt, redox_definitions, solution_block

__all__ = ["mix_block", "reaction_conditions", "blend_input", "blend_properties"]


def reaction_conditions(
    number: int, temperature_C: float, pressure_atm: float | None = None
) -> list[str]:
    """``REACTION_TEMPERATURE`` (and ``REACTION_PRESSURE``, atm) lines of reaction step
    ``number``."""
    lines = [f"REACTION_TEMPERATURE {number}", f"    {fmt(temperature_C)}"]
    if pressure_atm is not None:
        lines += [f"REACTION_PRESSURE {number}", f"    {fmt(pressure_atm)}"]
    return lines


def mix_block(
    number: int,
    parts: Sequence[tuple[int, float]],
    temperature_C: float,
    pressure_atm: float | None = None,
) -> list[str]:
    """The PHREEQC lines that mix solutions: ``MIX number`` with one ``solution fraction`` line
    per part (solution numbers as PHREEQC knows them), at a temperature (and pressure, atm).

    The one MIX builder of cbmwater: blends of waters (:func:`blend_input`) and the reinjection
    review's injectate/formation-water mixtures use it.
    """
    if not parts:
        raise GeochemError(Text.of("geochem.error.mix_empty", number=number))
    return (
        [f"MIX {number}"]
        + [f"    {int(s)} {fmt(f)}" for s, f in parts]
        + reaction_conditions(number, temperature_C, pressure_atm)
    )


def blend_input(
    waters: Sequence[Mapping[str, float]],
    blends: Sequence[Mapping[int, float]],
    temps_C: Sequence[float],
    minerals: Sequence[str] = (),
    database: str = "phreeqc",
) -> tuple[str, list[str]]:
    """PHREEQC input: the waters as SOLUTION 1..n, then one MIX per blend at its temperature.

    Parameters
    ----------
    waters : sequence of mappings
        Canonical name -> mg/L, plus ``pH`` and ``temp_C``.
    blends : sequence of mappings
        Water index (0-based) -> mixing fraction (volume fraction; need not sum to 1).
    temps_C : sequence of float
        Temperature of each blend, deg C.
    minerals : sequence of str
        Phases whose SI is reported (names from :data:`SI_MINERALS`).

    Returns
    -------
    head, blocks : str, list of str
        The solution definitions and one self-contained simulation per blend.
    """
    bad = [m for m in minerals if m not in SI_MINERALS]
    if bad:
        raise GeochemError(
            Text.of(
                "geochem.error.unknown_minerals", bad=str(bad), allowed=joined(list(SI_MINERALS))
            )
        )
    db = database_info(database)
    sols = []
    for i, w in enumerate(waters):
        block, _ = solution_block(i + 1, w, db)
        sols.append(block)
    so = [
        "SELECTED_OUTPUT 1",
        "    -reset false",
        "    -simulation true",
        "    -pH true",
        "    -temperature true",
    ]
    if minerals:
        so.append("    -si " + " ".join(minerals))
    # SELECTED_OUTPUT first: an engine that ran before still holds its old definition, which
    # would print the solutions' rows before the new header
    head = redox_definitions(db) + "\n".join(so) + "\n" + "".join(sols) + "END\n"
    blocks = []
    n0 = len(waters)
    for j, (mix, t) in enumerate(zip(blends, temps_C)):
        k = n0 + j + 1
        parts = [(int(i) + 1, f) for i, f in sorted(mix.items()) if f > 0]
        if not parts:
            raise GeochemError(Text.of("geochem.error.blend_empty", j=j))
        blocks.append("\n".join(mix_block(k, parts, t) + ["END"]) + "\n")
    return head, blocks


def blend_properties(
    waters: Sequence[Mapping[str, float]],
    blends: Sequence[Mapping[int, float]],
    temps_C: Sequence[float],
    minerals: Sequence[str] = (),
    database: str = "phreeqc",
) -> pd.DataFrame:
    """pH and saturation indices of each blend (one row per blend, in order).

    Columns: ``pH``, ``temp_C`` and ``si_<Mineral>`` (NaN where the mineral's elements are
    absent).  See :func:`blend_input` for the parameters.
    """
    if not blends:
        return pd.DataFrame(columns=["pH", "temp_C"] + [f"si_{m}" for m in minerals])
    head, blocks = blend_input(waters, blends, temps_C, minerals, database)
    # one run (simulation numbers are then unique: the solutions are simulation 1, blend j is
    # simulation j + 2); the last row of each simulation is the mixture at its temperature
    out = get_engine(database).run(head + "".join(blocks) + "END\n")
    out = out[out["sim"] >= 2].groupby("sim", sort=True).tail(1)
    if len(out) != len(blocks):
        raise GeochemError(Text.of("geochem.error.rows_blends", got=len(out), n=len(blocks)))
    res = pd.DataFrame({"pH": out["pH"].to_numpy(float), "temp_C": out["temp"].to_numpy(float)})
    for m in minerals:
        res[f"si_{m}"] = si_or_nan(
            out.get(f"si_{m}", pd.Series(np.nan, index=out.index)).to_numpy()
        )
    return res.reset_index(drop=True)
