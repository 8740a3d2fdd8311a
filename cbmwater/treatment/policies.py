"""What every unit assumes about CO2, redox and solids (DESIGN.md §5), stated with its result.

Each unit model has one policy for each phenomenon; :func:`unit_policies` gives the three
sentences for a unit (its ``params`` may name a ``co2_policy``).  The treatment JSON shows them
on every stage, so a reader sees which couples could react and where CO2 and solids went.

Each sentence is a :class:`~cbmwater.i18n.Text` (English, with its message): codes
``treatment.policy.co2.*``, ``treatment.policy.redox.*`` and ``treatment.policy.solids.*`` of the
engine catalogue (docs/i18n.md).

The policies are implemented in :mod:`cbmwater.treatment.models`, :mod:`.chemistry` and
:mod:`.thermal` and tested against hand-written PHREEQC inputs (tests/test_membrane_chemistry.py,
tests/test_unit_chemistry_policies.py, tests/test_thermal_units.py, tests/test_wac_exchange.py);
the sources are in docs/chemistry_*.md.
"""

from __future__ import annotations

from ..i18n import Message, Text, joined
from .library import UnitSpec

__all__ = ["unit_policies", "REDOX_EVERY_UNIT"]

_CODE = "treatment.policy"

#: Common to every unit (cbmwater.geochem.redox): what no physical or chemical unit changes.
REDOX_EVERY_UNIT = Text.of(f"{_CODE}.redox.every_unit")

#: CO2 policy of a model (code suffix); a membrane's depends on its ``co2_policy``.
_CO2: dict[str, str | dict[str, str]] = {
    "membrane": {"feed_pco2": "membrane.feed_pco2", "closed": "membrane.closed"},
    "oxidation": "oxidation",
    "degassing": "degassing",
    "thermal": "thermal",
    "evaporation_pond": "evaporation_pond",
}
#: Any other model: no exchange with air.
_CO2_CLOSED = "closed"
#: An H-form (weak-acid) exchanger: its H+ turns bicarbonate into CO2 in a closed column.
_CO2_H_FORM = "h_form"
_SOLIDS_H_FORM = "h_form"

#: The unit's own redox action (before :data:`REDOX_EVERY_UNIT`); others: ``none``.
_REDOX = {"oxidation": "oxidation", "degassing": "degassing", "thermal": "thermal"}

#: Solids policy of a model (code suffix).
_SOLIDS = {
    "lime_softening": "softening",
    "lime_soda_softening": "softening",
    "oxidation": "oxidation",
    "coagulation": "coagulation",
    "ph_adjustment": "ph_adjustment",
    "degassing": "none",
    "remineralisation": "remineralisation",
    "membrane": "membrane",
    "thermal": "thermal",
    "evaporation_pond": "evaporation_pond",
}
#: Solids policy of a zero-order unit, by its residual (code suffix ``residual.<residual>``).
_SOLIDS_ZERO_ORDER = ("sludge", "spent_media", "brine", "backwash", "gas")


def unit_policies(spec: UnitSpec) -> dict[str, str]:
    """The CO2, redox and solids policies of ``spec``, one sentence each.

    Returns
    -------
    dict
        ``{"co2": ..., "redox": ..., "solids": ...}``, each a :class:`~cbmwater.i18n.Text`
        (codes ``treatment.policy.<co2|redox|solids>.*``); the redox sentence starts with the
        unit's own redox action and ends with :data:`REDOX_EVERY_UNIT`.
    """
    model = spec.model
    h_form = model == "zero_order" and spec.params.get("counter_ion") == "H"
    co2 = _CO2_H_FORM if h_form else _CO2.get(model, _CO2_CLOSED)
    if isinstance(co2, dict):
        co2 = co2[str(spec.params.get("co2_policy", "feed_pco2"))]
    if model == "zero_order" and spec.removal_of("DO") > 0:
        redox = "removes_do"
    else:
        redox = _REDOX.get(model, "none")
    both = joined([Message(f"{_CODE}.redox.{redox}"), REDOX_EVERY_UNIT.message], "semicolon")
    if h_form:
        solids = _SOLIDS_H_FORM
    elif model in _SOLIDS:
        solids = _SOLIDS[model]
    elif spec.residual in _SOLIDS_ZERO_ORDER:
        solids = f"residual.{spec.residual}"
    else:
        solids = "none"
    return {
        "co2": Text.of(f"{_CODE}.co2.{co2}"),
        "redox": Text(both) if isinstance(both, Message) else str(both),
        "solids": Text.of(f"{_CODE}.solids.{solids}"),
    }
