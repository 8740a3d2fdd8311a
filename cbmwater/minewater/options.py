"""Common pieces of the mine-water treatment options: result type, AMDTreat defaults, money.

The registry of options and :func:`~cbmwater.minewater.sizing.size` are in :mod:`.sizing`.

Passive (:mod:`cbmwater.minewater.passive`) and active (:mod:`cbmwater.minewater.active`) options
are sized by the rules of AMDTreat 6 (OSMRE/USGS; C# source ``jlant/amdtreat@5a292e0``, see
the amd.md notes in ``docs/references.md``), converted to SI units.  Every default comes
from ``cbmwater/databases/minewater/amdtreat.toml`` (SI value, AMDTreat's US value and unit, the
conversion, the
XML item or C# function it was read in, and a status mark).

Money
-----
AMDTreat's unit costs are US dollars of an unstated year, taken as **USD of 2018** (assumption,
status U: the repository snapshot is dated 2019-02-15).  Each USD amount is moved to CNY of the
price year of ``cbmwater/databases/treatment/economics.toml`` (2024) the way
:mod:`cbmwater.treatment.costing` moves US capital curves::

    CNY = USD x CEPCI[2024] / CEPCI[2018] x FX[USD][2024] x location_factor[USD]
        = USD x 800.0 / 603.1 x 7.1217 x 0.4 = USD x 3.779

(:meth:`Economics.to_CNY` then :meth:`Economics.capital_factor`).  The location factor is applied to
**every amount that comes from an AMDTreat USD unit cost**: earthworks, limestone and other media,
placement, pipes, liners, structures, planting, tanks, silos, clarifier, pumps, and the few annual
USD items (pH probes, telemetry).  It is **not** applied to the quantities priced in China from
``economics.toml``: reagents (caustic soda, hydrated lime, quicklime), electricity, labour and
sludge disposal.

Recapitalisation
----------------
AMDTreat replaces a fraction of an item every L years and reports the present value over 75 yr at
5 % inflation and 8 % return.  Here the replacements at years L, 2L, ... strictly before the end of
the horizon ``life_yr`` are discounted at the real discount rate of ``economics.toml`` (no inflation)
to a present value ``recap_PV_CNY``, which is annualised with the capital recovery factor of the same
rate and horizon and reported as the operating item ``recapitalisation`` (CNY/yr).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import validation
from ..errors import DatabaseError
from ..i18n import Message, Text, joined, message_dicts, message_of, named
from ..resources import data_path
from ..treatment.economics import Economics, capital_recovery_factor, load_economics
from ..water.phases import molar_mass

__all__ = [
    "AMDTREAT_PATH",
    "AMDTREAT_REF",
    "MOLAR_MASS_G_MOL",
    "OptionResult",
    "AmdTreatDefaults",
    "load_amdtreat",
    "Money",
    "sludge_dry_solids_mg_L",
    "sludge_density_kg_m3",
    "recapitalisation",
    "name_message",
]

#: The defaults file.
AMDTREAT_PATH = data_path("minewater", "amdtreat.toml")

#: Reference string for AMDTreat's formulas.
AMDTREAT_REF = (
    "AMDTreat 6 (OSMRE/USGS) C# source jlant/amdtreat@5a292e0, "
    "AMDTreat/Models/*Calculations.cs and Data/default-data-*.xml; "
    "summarised in the amd.md notes of docs/references.md"
)

#: Molar masses of the active-treatment compounds, g/mol, from the phases table
#: (:mod:`cbmwater.water.phases`, IUPAC 2021 atomic weights).  AMDTreat uses 100 or 100.1 for
#: CaCO3 and 56.1 for both lime products.
MOLAR_MASS_G_MOL = {f: molar_mass(f) for f in ("CaCO3", "NaOH", "Ca(OH)2", "CaO")}

_STATUSES = ("V-code", "S", "M", "U", "NF", "derived")


# --------------------------------------------------------------------------------------------
# defaults
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmdTreatDefaults:
    """The validated contents of ``amdtreat.toml``: ``values[section][key]`` in SI units (money in
    USD of :attr:`price_year_usd` per SI unit), with the full entries in :attr:`entries`."""

    path: Path
    price_year_usd: int
    values: dict[str, dict[str, float]]
    entries: dict[str, dict[str, dict[str, Any]]]

    def __call__(self, section: str, key: str) -> float:
        """The SI value of ``[section.key]``."""
        try:
            return self.values[section][key]
        except KeyError:
            raise DatabaseError(
                Text.of(
                    "minewater.error.amdtreat.no_default",
                    path=str(self.path),
                    section=section,
                    key=key,
                )
            ) from None

    def source(self, section: str, key: str) -> str:
        """Source string (with status) of ``[section.key]``."""
        e = self.entries[section][key]
        return f"{e['source']} [{e['status']}]"


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> AmdTreatDefaults:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatabaseError(
            Text.of("minewater.error.amdtreat.unreadable", path=str(path), reason=str(exc))
        ) from None
    meta = data.pop("meta", None)
    if not isinstance(meta, dict) or "price_year_usd" not in meta or "source" not in meta:
        raise DatabaseError(Text.of("minewater.error.amdtreat.meta", path=str(path)))
    values: dict[str, dict[str, float]] = {}
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise DatabaseError(
                Text.of("minewater.error.amdtreat.top_not_table", path=str(path), key=repr(section))
            )
        for key, e in table.items():
            where = Message(
                "minewater.error.amdtreat.entry",
                {"path": str(path), "section": section, "key": key},
            )
            if not isinstance(e, dict):
                raise DatabaseError(Text.of("minewater.error.amdtreat.not_table", where=where))
            for req in ("value", "unit", "source", "status"):
                if req not in e:
                    raise DatabaseError(
                        Text.of("minewater.error.amdtreat.lacks", where=where, field=repr(req))
                    )
            v = e["value"]
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                raise DatabaseError(
                    Text.of("minewater.error.amdtreat.value", where=where, value=repr(v))
                )
            if e["status"] not in _STATUSES:
                raise DatabaseError(
                    Text.of(
                        "minewater.error.amdtreat.status",
                        where=where,
                        allowed=joined(_STATUSES),
                        status=repr(e["status"]),
                    )
                )
            if not isinstance(e["source"], str) or len(e["source"]) < 12:
                raise DatabaseError(Text.of("minewater.error.amdtreat.source", where=where))
            if "us_value" in e:
                for req in ("us_unit", "factor", "conversion"):
                    if req not in e:
                        raise DatabaseError(
                            Text.of(
                                "minewater.error.amdtreat.us_lacks", where=where, field=repr(req)
                            )
                        )
                expect = float(e["us_value"]) * float(e["factor"])
                if not math.isclose(float(v), expect, rel_tol=1e-8, abs_tol=1e-12):
                    raise DatabaseError(
                        Text.of(
                            "minewater.error.amdtreat.us_mismatch",
                            where=where,
                            value=str(v),
                            expect=str(expect),
                        )
                    )
            values.setdefault(section, {})[key] = float(v)
            entries.setdefault(section, {})[key] = dict(e)
    return AmdTreatDefaults(path, int(meta["price_year_usd"]), values, entries)


def load_amdtreat(path: str | Path | None = None) -> AmdTreatDefaults:
    """Load and validate ``cbmwater/databases/minewater/amdtreat.toml`` (cached until the file changes).

    Every entry must carry ``value``, ``unit``, ``source`` and a ``status`` mark; where the US
    value is given, ``value = us_value x factor`` is checked.
    """
    p = Path(path) if path is not None else AMDTREAT_PATH
    if not p.is_file():
        raise DatabaseError(Text.of("minewater.error.amdtreat.not_found", path=str(p)))
    return _load(p.resolve(), p.stat().st_mtime)


# --------------------------------------------------------------------------------------------
# money
# --------------------------------------------------------------------------------------------


class Money:
    """CNY conversions for the options (see the module docstring).

    Parameters
    ----------
    econ : Economics, optional
        Prices and finance (default :func:`load_economics`).
    defaults : AmdTreatDefaults, optional
        AMDTreat defaults (default :func:`load_amdtreat`).
    """

    def __init__(
        self, econ: Economics | None = None, defaults: AmdTreatDefaults | None = None
    ) -> None:
        self.econ = econ if econ is not None else load_economics()
        self.d = defaults if defaults is not None else load_amdtreat()
        self.usd_year = self.d.price_year_usd
        self.location_factor = self.econ.capital_factor("USD")
        #: CNY (price year) per USD of the AMDTreat price year, location factor included.
        self.cny_per_usd = self.econ.to_CNY(1.0, "USD", self.usd_year) * self.location_factor

    def usd(self, amount_usd: float) -> float:
        """An AMDTreat USD amount as CNY of the economics price year, location factor applied."""
        return amount_usd * self.cny_per_usd

    def chemical_CNY_per_kg_active(self, name: str) -> float:
        """Price of ``economics.toml`` chemical ``name`` per kg of its active compound, CNY/kg
        (price per tonne of commercial product / purity / 1000)."""
        chems = self.econ.chemicals
        if name not in chems:
            raise DatabaseError(
                Text.of(
                    "minewater.error.no_chemical",
                    name=repr(name),
                    known=joined(map(str, sorted(chems))),
                )
            )
        c = chems[name]
        return c.price_CNY_t / c.purity / 1000.0

    def note(self) -> str:
        """One line stating the conversion (a :class:`~cbmwater.i18n.Text`,
        ``minewater.money.note``)."""
        e = self.econ
        return Text.of(
            "minewater.money.note",
            usd_year=self.usd_year,
            year=e.price_year,
            cepci_now=e.cost_index[e.price_year],
            cepci_then=e.cost_index[self.usd_year],
            fx=e.fx_to_CNY["USD"][e.price_year],
            location=self.location_factor,
            cny_per_usd=self.cny_per_usd,
        )


def recapitalisation(
    items: list[tuple[str, float, float, float]], rate: float, horizon_yr: float
) -> tuple[float, float, dict[str, float]]:
    """Present value and annualised cost of periodic replacements.

    Parameters
    ----------
    items : list of (name, cost_CNY, life_yr, fraction)
        Item replaced at ``fraction`` of ``cost_CNY`` every ``life_yr`` years.
    rate : float
        Real discount rate, 1/yr.
    horizon_yr : float
        Evaluation horizon, yr; replacements at ``k * life_yr < horizon_yr`` count.

    Returns
    -------
    pv_CNY, annual_CNY_yr, pv_by_item
        ``annual = pv x CRF(rate, horizon)``.

    Notes
    -----
    AMDTreat (``CalcRecapitalizationCost``) sums ``C (1+infl)^(kL) f (1+r)^(-kL)`` for
    k = 1 ... floor(N/L) with N = 75 yr, inflation 5 % and return 8 %; here inflation is 0 (real
    prices) and a replacement falling on the last year of the horizon is not counted.
    """
    pv_by: dict[str, float] = {}
    for name, cost, life, frac in items:
        if cost <= 0 or frac <= 0 or life <= 0:
            continue
        pv = 0.0
        k = 1
        while k * life < horizon_yr - 1e-9:
            pv += cost * frac * (1.0 + rate) ** (-k * life)
            k += 1
        if pv > 0:
            pv_by[name] = pv
    pv_total = sum(pv_by.values())
    return pv_total, pv_total * capital_recovery_factor(rate, horizon_yr), pv_by


# --------------------------------------------------------------------------------------------
# sludge (AMDTreat ponds/clarifier rules)
# --------------------------------------------------------------------------------------------


def sludge_dry_solids_mg_L(
    *,
    fe2_mg_L: float = 0.0,
    fe3_mg_L: float = 0.0,
    al_mg_L: float = 0.0,
    mn_mg_L: float = 0.0,
    calcite_mg_L: float = 0.0,
    misc_mg_L: float = 0.0,
    defaults: AmdTreatDefaults | None = None,
) -> dict[str, float]:
    """Dry sludge solids per litre of water treated, by AMDTreat's stoichiometric factors.

    ``solids = 2.88 Al + 1.6 Fe(II) + 1.9 Fe(III) + 1.6 Mn + calcite + misc`` (mg/L), i.e.
    Al(OH)3, Fe(OH)2, Fe(OH)3 and MnOOH from the metal removed.

    Returns
    -------
    dict
        mg/L of each solid and ``total``.

    References
    ----------
    AMDTreat 6 ``PondsCalculations.Calc*HydroxideConcentration`` and
    ``ClarifierCalculations.Calc*ConcentrationAsSolid`` (jlant/amdtreat@5a292e0).
    """
    d = defaults if defaults is not None else load_amdtreat()
    for name, v in (
        ("fe2_mg_L", fe2_mg_L),
        ("fe3_mg_L", fe3_mg_L),
        ("al_mg_L", al_mg_L),
        ("mn_mg_L", mn_mg_L),
        ("calcite_mg_L", calcite_mg_L),
        ("misc_mg_L", misc_mg_L),
    ):
        check_number(name, v, lo=0.0)
    parts = {
        "Al(OH)3": d("sludge", "factor_al") * al_mg_L,
        "Fe(OH)2": d("sludge", "factor_fe2") * fe2_mg_L,
        "Fe(OH)3": d("sludge", "factor_fe3") * fe3_mg_L,
        "Mn solid": d("sludge", "factor_mn") * mn_mg_L,
        "calcite": calcite_mg_L,
        "misc": misc_mg_L,
    }
    parts["total"] = sum(parts.values())
    return parts


def sludge_density_kg_m3(solids_fraction: float, solids_sg: float) -> float:
    """Bulk density of a sludge of ``solids_fraction`` (mass) dry solids of specific gravity
    ``solids_sg``: ``rho = 1000 SG / (SG - p (SG - 1))`` kg/m3 (AMDTreat
    ``PondsCalculations.CalcSludgeDensity``, with 8.34 lb/gal -> 1000 kg/m3)."""
    check_number("solids_fraction", solids_fraction, lo=1e-6, hi=1.0)
    check_number("solids_sg", solids_sg, lo=1.0, hi=10.0)
    return 1000.0 * solids_sg / (solids_sg - solids_fraction * (solids_sg - 1.0))


def solids_sg(parts: dict[str, float], defaults: AmdTreatDefaults | None = None) -> float:
    """Specific gravity of a mixture of sludge solids (mass-weighted harmonic mean, i.e. additive
    volumes), from the AMDTreat clarifier SG defaults.  AMDTreat itself takes the mass-weighted
    arithmetic mean (``CalcTotalDensity``); the harmonic mean is the volume-consistent one."""
    d = defaults if defaults is not None else load_amdtreat()
    sg = {
        "Al(OH)3": d("sludge", "sg_al_hydroxide"),
        "Fe(OH)2": d("sludge", "sg_fe2_hydroxide"),
        "Fe(OH)3": d("sludge", "sg_fe3_hydroxide"),
        "Mn solid": d("sludge", "sg_mn_solid"),
        "calcite": d("sludge", "sg_calcite"),
        "misc": d("sludge", "sg_fe3_hydroxide"),
    }
    total = sum(v for k, v in parts.items() if k != "total")
    if total <= 0:
        return d("sludge", "sg_fe3_hydroxide")
    return total / sum(v / sg[k] for k, v in parts.items() if k != "total" and v > 0)


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------


def check_number(
    name: str,
    value: object,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
) -> float:
    """``value`` as float, or :class:`InputError` naming ``name``, the value and the allowed
    range (:func:`cbmwater.validation.check_number`)."""
    return validation.check_number(value, name, lo=lo, hi=hi, lo_open=lo_open)


def check_choice(name: str, value: object, allowed: tuple[str, ...] | list[str]) -> str:
    """``value`` if it is one of ``allowed``, else :class:`InputError` listing them."""
    return validation.check_choice(value, name, allowed)


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------


@dataclass
class OptionResult:
    """Size, land and cost of one treatment option for one discharge.

    Attributes
    ----------
    option : str
        Registry name (``ald``, ``vfp``, ``limestone_bed``, ``mn_bed``, ``wetland``,
        ``bioreactor``, ``settling_pond``, ``caustic``, ``hydrated_lime``, ``quicklime``,
        ``lime_slurry``).
    kind : str
        ``passive`` or ``active``.
    method : str
        Sizing method used (e.g. ``retention_time``, ``bureau_of_mines``).
    flow_m3_d : float
        Design flow, m3/d.
    area_m2 : float
        Process (design) area, m2: the area the sizing rule is written for — the top of the
        limestone (ALD, VFP, limestone bed, Mn bed), of the bio-mix (bioreactor), the water surface
        (wetland, settling pond) or the clarifier surface (active).
    footprint_m2 : float
        Plan area of the structure at the top of its freeboard (or soil cover), m2.
    land_m2 : float
        Land taken, m2: footprint plus berms/margins (AMDTreat's clear-and-grub geometry) for
        passive options; for active plants the foundations times a site factor.
    volume_m3 : float
        The volume named by :attr:`volume_basis`, m3.
    volume_basis : str
        ``media`` (bulk volume of limestone/compost/bio-mix) or ``water``.
    limestone_t : float
        Limestone, metric tonnes (0 where none).
    materials : dict
        Other quantities with units in the keys (``compost_m3``, ``reagent_active_kg_yr``, ...).
    capex_CNY : float
        Capital, CNY of the economics price year, = sum of :attr:`capex_items_CNY`.
    capex_items_CNY : dict
        Itemised capital.
    opex_CNY_yr : float
        Annual cost, CNY/yr, = sum of :attr:`opex_items_CNY_yr` (O&M percentage, reagents,
        electricity, labour, sludge disposal, annualised recapitalisation).
    opex_items_CNY_yr : dict
        Itemised annual cost.
    recap_PV_CNY : float
        Present value of the recapitalisation over :attr:`life_yr`.
    life_yr : float
        Design life and evaluation horizon, yr.
    warnings : list of str
        AMDTreat's checks and other cautions, in SI units.
    sources : list of str
        Formulas and where they come from.
    details : dict
        Geometry, retention times, alternative sizings.
    """

    option: str
    kind: str
    method: str
    flow_m3_d: float
    area_m2: float
    footprint_m2: float
    land_m2: float
    volume_m3: float
    volume_basis: str
    limestone_t: float
    materials: dict[str, float]
    capex_CNY: float
    capex_items_CNY: dict[str, float]
    opex_CNY_yr: float
    opex_items_CNY_yr: dict[str, float]
    recap_PV_CNY: float
    life_yr: float
    price_year: int
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of every field (floats, strings, lists, dicts)."""

        def clean(x: Any) -> Any:
            if isinstance(x, dict):
                return {str(k): clean(v) for k, v in x.items()}
            if isinstance(x, (list, tuple)):
                return [clean(v) for v in x]
            if isinstance(x, bool) or x is None or isinstance(x, str):
                return x
            if isinstance(x, int):
                return x
            if isinstance(x, float):
                return x if math.isfinite(x) else None
            try:
                return float(x)
            except (TypeError, ValueError):
                return str(x)

        out = {
            "option": self.option,
            "kind": self.kind,
            "method": self.method,
            "flow_m3_d": self.flow_m3_d,
            "area_m2": self.area_m2,
            "footprint_m2": self.footprint_m2,
            "land_m2": self.land_m2,
            "volume_m3": self.volume_m3,
            "volume_basis": self.volume_basis,
            "limestone_t": self.limestone_t,
            "materials": self.materials,
            "capex_CNY": self.capex_CNY,
            "capex_items_CNY": self.capex_items_CNY,
            "opex_CNY_yr": self.opex_CNY_yr,
            "opex_items_CNY_yr": self.opex_items_CNY_yr,
            "recap_PV_CNY": self.recap_PV_CNY,
            "life_yr": self.life_yr,
            "currency": "CNY",
            "price_year": self.price_year,
            "warnings": self.warnings,
            "warnings_i18n": message_dicts(self.warnings),
            "sources": self.sources,
            "details": self.details,
        }
        # the same texts as messages (docs/i18n.md): names of the method, volume basis,
        # materials and cost items, the sizing steps (sources) and the currency note
        out["method_i18n"] = name_message(self.method, "minewater.method").to_dict()
        out["volume_basis_i18n"] = name_message(
            self.volume_basis, "minewater.volume_basis"
        ).to_dict()
        out["materials_i18n"] = {
            str(k): name_message(k, "minewater.material").to_dict() for k in self.materials
        }
        out["capex_items_i18n"] = {
            str(k): name_message(k, "minewater.item").to_dict() for k in self.capex_items_CNY
        }
        out["opex_items_i18n"] = {
            str(k): name_message(k, "minewater.item").to_dict() for k in self.opex_items_CNY_yr
        }
        out["sources_i18n"] = message_dicts(self.sources)
        if isinstance(self.details.get("money"), str):
            out["money_i18n"] = message_of(self.details["money"]).to_dict()
        return clean(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def name_message(text: str, prefix: str) -> Message:
    """The message of a name the sizing writes in English (a cost item, a material, a method):
    its own when it is a :class:`~cbmwater.i18n.Text`, else ``<prefix>.<name>`` (an identifier
    such as ``electricity_kWh_yr`` as it is, other names as a lower-case slug) when the engine
    catalogue has it (English: the name itself), else the name untranslated.

    Examples
    --------
    >>> name_message("site: clear and grub", "minewater.item").code
    'minewater.item.site_clear_and_grub'
    >>> name_message("my item", "minewater.item").code
    'text.untranslated'
    """
    if isinstance(text, Text):
        return text.message
    key = str(text) if re.fullmatch(r"\w+", str(text), re.ASCII) else _slug(str(text))
    m = named(prefix, key)
    return m if isinstance(m, Message) else message_of(str(text))


def finish(
    *,
    option: str,
    kind: str,
    method: str,
    flow_m3_d: float,
    area_m2: float,
    footprint_m2: float,
    land_m2: float,
    volume_m3: float,
    volume_basis: str,
    limestone_t: float,
    materials: dict[str, float],
    capex_items: dict[str, float],
    opex_items: dict[str, float],
    recap_items: list[tuple[str, float, float, float]],
    life_yr: float,
    money: Money,
    warnings: list[str],
    sources: list[str],
    details: dict[str, Any],
) -> OptionResult:
    """Assemble an :class:`OptionResult`: drop zero items, add annualised recapitalisation."""
    capex_items = {k: float(v) for k, v in capex_items.items() if abs(v) > 0}
    pv, annual, pv_by = recapitalisation(recap_items, money.econ.discount_rate, life_yr)
    opex_items = {k: float(v) for k, v in opex_items.items() if abs(v) > 0}
    if annual > 0:
        opex_items["recapitalisation (annualised)"] = annual
    details = dict(details)
    sources = [
        Text.of("minewater.source.amdtreat_ref") if x == AMDTREAT_REF else x for x in sources
    ]
    details["recapitalisation_PV_by_item_CNY"] = pv_by
    details["money"] = money.note()
    details["discount_rate"] = money.econ.discount_rate
    return OptionResult(
        option=option,
        kind=kind,
        method=method,
        flow_m3_d=flow_m3_d,
        area_m2=area_m2,
        footprint_m2=footprint_m2,
        land_m2=land_m2,
        volume_m3=volume_m3,
        volume_basis=volume_basis,
        limestone_t=limestone_t,
        materials=materials,
        capex_CNY=sum(capex_items.values()),
        capex_items_CNY=capex_items,
        opex_CNY_yr=sum(opex_items.values()),
        opex_items_CNY_yr=opex_items,
        recap_PV_CNY=pv,
        life_yr=life_yr,
        price_year=money.econ.price_year,
        warnings=warnings,
        sources=sources,
        details=details,
    )
