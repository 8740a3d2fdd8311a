"""What every unit assumes about CO2, redox and solids (DESIGN.md §5), stated with its result.

Each unit model has one policy for each phenomenon; :func:`unit_policies` gives the three
sentences for a unit (its ``params`` may name a ``co2_policy``).  The treatment JSON shows them
on every stage, so a reader sees which couples could react and where CO2 and solids went.

The policies are implemented in :mod:`cbmwater.treatment.models`, :mod:`.chemistry` and
:mod:`.thermal` and tested against hand-written PHREEQC inputs (tests/test_membrane_chemistry.py,
tests/test_unit_chemistry_policies.py, tests/test_thermal_units.py, tests/test_wac_exchange.py);
the sources are in docs/chemistry_*.md.
"""

from __future__ import annotations

from .library import UnitSpec

__all__ = ["unit_policies", "REDOX_EVERY_UNIT"]

#: Common to every unit (cbmwater.geochem.redox): what no physical or chemical unit changes.
REDOX_EVERY_UNIT = (
    "ammonium stays NH4 (decoupled from nitrate), nitrate and sulfate are not "
    "reduced; total Fe of a produced water is Fe(II)"
)

_CO2: dict[str, str | dict[str, str]] = {
    "membrane": {
        "feed_pco2": "membrane passes free CO2: concentrate held at the feed's pCO2 (FilmTec), "
        "permeate carries the feed's CO2 and the bicarbonate that passes",
        "closed": "closed: the concentrate keeps all CO2 (comparison only; understates scaling)",
    },
    "oxidation": "open to air: equilibrium with CO2(g) at params.log_pCO2 and O2(g) at "
    "params.log_pO2 (a stated approach to the atmosphere)",
    "degassing": "open to air: equilibrium with CO2(g) at params.log_pCO2 (and O2 with air)",
    "thermal": "bicarbonate decomposes in the boiling brine; its CO2 is vented with the "
    "non-condensable gases",
    "evaporation_pond": "open pond: the water evaporates; carbonate stays in the salt",
}
_CO2_CLOSED = "closed: no exchange with air (tank or pipe contact, CO2 kept)"
#: An H-form (weak-acid) exchanger: its H+ turns bicarbonate into CO2 in a closed column.
_CO2_H_FORM = (
    "closed column: the H+ released turns HCO3- into dissolved CO2, which stays in the water "
    "(total inorganic carbon conserved, PHREEQC gives the lower pH); it leaves only at a degasser"
)
_SOLIDS_H_FORM = (
    "none: the Ca, Mg, Sr and Ba taken up (hardness up to the alkalinity) leave dissolved in "
    "the acid regenerant brine"
)

_REDOX = {
    "oxidation": "oxidising: O2 (or the stated oxidant) converts Fe(II) to Fe(III); Mn stays "
    "Mn(II) unless pyrolusite is an allowed precipitate",
    "degassing": "air contact: the water leaves saturated with O2 (oxic product)",
    "thermal": "none; dissolved O2 leaves with the vented gases",
}

_SOLIDS = {
    "lime_softening": "calcite, brucite, siderite and rhodochrosite precipitate (PHREEQC) and "
    "leave with the sludge, with the TSS captured",
    "lime_soda_softening": "calcite, brucite, siderite and rhodochrosite precipitate (PHREEQC) "
    "and leave with the sludge, with the TSS captured",
    "oxidation": "the precipitate stays suspended (carried on as TSS to the next clarifier or "
    "filter) unless the unit has a sludge residual",
    "coagulation": "the coagulant's Al enters the water and precipitates as gibbsite floc, "
    "carried on as TSS to the clarifier; its chloride stays dissolved",
    "ph_adjustment": "none precipitate (only the listed phases may)",
    "degassing": "none",
    "remineralisation": "calcite dissolves (bought as contactor media)",
    "membrane": "none: ions are rejected to the concentrate (antiscalant keeps minerals "
    "below their SI allowance)",
    "thermal": "salt crystallises above the mother-liquor concentration; the salt cake carries "
    "its composition",
    "evaporation_pond": "everything dissolved stays in the pond's salt",
}
_SOLIDS_ZERO_ORDER = {
    "sludge": "what the unit removes (TSS, floc) leaves as sludge with its water",
    "spent_media": "what the unit removes leaves with the spent media",
    "brine": "what the unit removes leaves dissolved in its brine",
    "backwash": "what the unit holds back leaves in its backwash water",
    "gas": "what the unit removes leaves to air",
    "none": "none",
}


def unit_policies(spec: UnitSpec) -> dict[str, str]:
    """The CO2, redox and solids policies of ``spec``, one sentence each.

    Returns
    -------
    dict
        ``{"co2": ..., "redox": ..., "solids": ...}``; the redox sentence starts with the
        unit's own redox action and ends with :data:`REDOX_EVERY_UNIT`.
    """
    model = spec.model
    h_form = model == "zero_order" and spec.params.get("counter_ion") == "H"
    co2 = _CO2_H_FORM if h_form else _CO2.get(model, _CO2_CLOSED)
    if isinstance(co2, dict):
        co2 = co2[str(spec.params.get("co2_policy", "feed_pco2"))]
    if model == "zero_order" and spec.removal_of("DO") > 0:
        redox = "removes dissolved oxygen (reductant dose); "
    else:
        redox = (_REDOX[model] + "; ") if model in _REDOX else "no oxidation or reduction; "
    solids = (
        _SOLIDS_H_FORM
        if h_form
        else (_SOLIDS.get(model) or _SOLIDS_ZERO_ORDER.get(spec.residual, "none"))
    )
    return {"co2": co2, "redox": redox + REDOX_EVERY_UNIT, "solids": solids}
