"""The registry of mine-water treatment options and :func:`size`, the one entry that sizes any
of them (``cbmwater minewater size``, the mine plan, the app).

Above :mod:`.passive` and :mod:`.active`, which build on :mod:`.options` (result type, AMDTreat
defaults, money).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..i18n import Message, Text
from . import active, passive
from .options import OptionResult, check_choice

__all__ = ["OPTIONS", "PASSIVE_OPTIONS", "ACTIVE_OPTIONS", "size"]

PASSIVE_OPTIONS = (
    "ald",
    "vfp",
    "limestone_bed",
    "wetland",
    "mn_bed",
    "bioreactor",
    "settling_pond",
)
ACTIVE_OPTIONS = ("caustic", "hydrated_lime", "quicklime", "lime_slurry")
#: Every option :func:`size` knows, with a one-line description.
OPTIONS = {
    "ald": "anoxic limestone drain (AMDTreat ALD module)",
    "vfp": "vertical flow pond / SAPS: limestone under compost (AMDTreat VFP module)",
    "limestone_bed": "oxic limestone bed (AMDTreat limestone bed module)",
    "wetland": "aerobic wetland (AMDTreat wetland module; Hedin et al. 1994 removal rates)",
    "mn_bed": "manganese removal bed, first-order kinetics (AMDTreat Mn removal bed module)",
    "bioreactor": "sulfate-reducing bioreactor (AMDTreat bioreactor module)",
    "settling_pond": "oxidation/settling pond with sludge storage (AMDTreat ponds module)",
    "caustic": "caustic soda dosing + reaction tank + clarifier + sludge (AMDTreat caustic soda, "
    "reaction tank, clarifier modules)",
    "hydrated_lime": "hydrated lime silo + reaction tank + clarifier + sludge (AMDTreat dry lime)",
    "quicklime": "pebble quicklime silo with slaker + reaction tank + clarifier + sludge "
    "(AMDTreat dry lime)",
    "lime_slurry": "lime slurry tank + reaction tank + clarifier + sludge (AMDTreat lime slurry)",
}

# which common keyword each option uses, and under which parameter name
_COMMON = {
    "ald": {"net_acidity": "net_acidity_mg_L", "retention_h": "retention_h", "life_yr": "life_yr"},
    "vfp": {"net_acidity": "net_acidity_mg_L", "retention_h": "retention_h", "life_yr": "life_yr"},
    "limestone_bed": {
        "net_acidity": "net_acidity_mg_L",
        "retention_h": "retention_h",
        "life_yr": "life_yr",
    },
    "wetland": {
        "net_acidity": "net_acidity_mg_L",
        "fe_mg_L": "fe_mg_L",
        "mn_mg_L": "mn_mg_L",
        "retention_h": "retention_h",
        "life_yr": "life_yr",
    },
    "mn_bed": {"mn_mg_L": "mn_mg_L", "retention_h": "retention_h", "life_yr": "life_yr"},
    "bioreactor": {"net_acidity": "net_acidity_mg_L", "life_yr": "life_yr"},
    "settling_pond": {
        "fe_mg_L": "fe3_mg_L",
        "mn_mg_L": "mn_mg_L",
        "retention_h": "retention_h",
        "life_yr": "life_yr",
    },
    "caustic": {
        "net_acidity": "net_acidity_mg_L",
        "fe_mg_L": "fe3_mg_L",
        "mn_mg_L": "mn_mg_L",
        "life_yr": "life_yr",
    },
    "hydrated_lime": {
        "net_acidity": "net_acidity_mg_L",
        "fe_mg_L": "fe3_mg_L",
        "mn_mg_L": "mn_mg_L",
        "life_yr": "life_yr",
    },
    "quicklime": {
        "net_acidity": "net_acidity_mg_L",
        "fe_mg_L": "fe3_mg_L",
        "mn_mg_L": "mn_mg_L",
        "life_yr": "life_yr",
    },
    "lime_slurry": {
        "net_acidity": "net_acidity_mg_L",
        "fe_mg_L": "fe3_mg_L",
        "mn_mg_L": "mn_mg_L",
        "life_yr": "life_yr",
    },
}


def _function(option: str) -> Callable[..., OptionResult]:
    table: dict[str, Callable[..., OptionResult]] = {
        "ald": passive.anoxic_limestone_drain,
        "vfp": passive.vertical_flow_pond,
        "limestone_bed": passive.limestone_bed,
        "wetland": passive.aerobic_wetland,
        "mn_bed": passive.manganese_removal_bed,
        "bioreactor": passive.sulfate_reducing_bioreactor,
        "settling_pond": passive.settling_pond,
        "caustic": active.caustic_soda,
        "hydrated_lime": active.hydrated_lime,
        "quicklime": active.quicklime,
        "lime_slurry": active.lime_slurry,
    }
    return table[option]


def size(
    option: str,
    flow_m3_d: float,
    *,
    net_acidity: float | None = None,
    fe_mg_L: float | None = None,
    mn_mg_L: float | None = None,
    retention_h: float | None = None,
    life_yr: float | None = None,
    **kw: Any,
) -> OptionResult:
    """Size and cost one option (the function behind ``cbmwater minewater size``).

    Parameters
    ----------
    option : str
        One of :data:`OPTIONS`.
    flow_m3_d : float
        Design flow, m3/d (> 0).
    net_acidity : float, optional
        Net acidity, mg/L as CaCO3 (negative = net alkaline).  Needed by the Bureau-of-Mines and
        alkalinity-generation methods, the bioreactor's alkalinity method and the active options
        (unless ``dose_mg_L`` is given).
    fe_mg_L, mn_mg_L : float, optional
        Dissolved Fe and Mn, mg/L.  Wetland: Fe and Mn loads; Mn bed: influent Mn; settling pond
        and active options: Fe counted as Fe(III) after aeration (pass ``fe2_mg_L`` for Fe(II)).
    retention_h : float, optional
        Retention time, h (limestone layer, wetland water, settling pond).
    life_yr : float, optional
        Design life and evaluation horizon, yr (default: economics.toml life, 20 yr).
    **kw
        Further keyword arguments of the option's function (see :mod:`.passive`, :mod:`.active`),
        e.g. ``method``, ``dose_mg_L``, ``al_mg_L``, ``econ``.

    Returns
    -------
    OptionResult

    Raises
    ------
    InputError
        Unknown option, bad numbers, or a quantity the chosen method needs is missing.

    Notes
    -----
    A common keyword the option does not use is reported in the result's warnings, not silently
    dropped.
    """
    check_choice("option", option, tuple(OPTIONS))
    common = {
        "net_acidity": net_acidity,
        "fe_mg_L": fe_mg_L,
        "mn_mg_L": mn_mg_L,
        "retention_h": retention_h,
        "life_yr": life_yr,
    }
    mapping = _COMMON[option]
    args: dict[str, Any] = dict(kw)
    ignored = []
    for name, value in common.items():
        if value is None:
            continue
        if name in mapping:
            args[mapping[name]] = value
        else:
            ignored.append(name)
    result = _function(option)(flow_m3_d, **args)
    for name in ignored:
        result.warnings.append(
            Text.of(
                "minewater.sizing.ignored",
                name=name,
                option=Message(f"minewater.option.{option}"),
            )
        )
    return result
