"""Prices, indices and finance defaults: ``cbmwater/databases/treatment/economics.toml``.

Money moves between years and currencies in one stated way (:meth:`Economics.to_CNY`): a cost of
``x`` in currency ``C`` of year ``y`` is escalated in its own currency with the plant cost index
(CEPCI) to the price year ``P``, then converted at the annual-average exchange rate of ``P``::

    x_CNY,P = x * I[P] / I[y] * FX[C][P]

Capital curves from another market (WaterTAP's are US costs) are then multiplied by a location
factor (:meth:`Economics.capital_factor`) to stand for installed cost in China.

Every number in the file carries a source or ``"assumption: <reason>"``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import plausible
from ..errors import DatabaseError, InputError
from ..i18n import Text, joined
from ..water.phases import REAGENTS
from .datafiles import TREATMENT_DATA_DIR

__all__ = ["Chemical", "Economics", "load_economics", "capital_recovery_factor", "DISPOSAL_CLASSES"]

#: Disposal classes of solid residuals (``disposal_class`` of a unit in units.toml): the
#: :class:`Economics` attribute that holds the price, in CNY per tonne, and the mass it is
#: charged on -- ``"dry"`` (dry solids) or ``"as_delivered"`` (the cake as hauled: dry solids /
#: the unit's ``sludge_solids_frac``).
#:
#: * ``general_solid``: general industrial solid waste (一般工业固体废物), economics.toml
#:   ``[disposal] sludge_CNY_t_dry``, per dry tonne;
#: * ``hazardous_salt``: mixed ZLD / evaporation salt, temporarily managed as hazardous waste
#:   under 环办[2015]111号, ``[disposal] hazardous_salt_CNY_t``, per tonne of salt as delivered.
DISPOSAL_CLASSES: dict[str, tuple[str, str]] = {
    "general_solid": ("sludge_disposal_CNY_t_dry", "dry"),
    "hazardous_salt": ("hazardous_salt_CNY_t", "as_delivered"),
}


@dataclass(frozen=True)
class Chemical:
    """A reagent: formula, molar mass (g/mol), commercial purity (mass fraction of the active
    compound), price in CNY per tonne of commercial product, and what one mole adds to the
    water (mol of canonical constituents, e.g. NaOH -> {"Na": 1})."""

    name: str
    formula: str
    molar_mass_g_mol: float
    purity: float
    price_CNY_t: float
    adds_mol: dict[str, float]
    source: str


@dataclass(frozen=True)
class Economics:
    """Finance defaults and price tables of a price year (see module docstring).

    Disposal prices (economics.toml ``[disposal]``): ``sludge_disposal_CNY_t_dry`` is the
    general industrial solid waste class (CNY per dry tonne; the name is kept for the code that
    reads it), ``hazardous_salt_CNY_t`` the hazardous mixed-salt class (CNY per tonne of salt as
    delivered), ``brine_disposal_CNY_m3`` liquid concentrate sent off site (CNY/m3) and
    ``backwash_CNY_m3`` filter/membrane backwash water leaving the works (CNY/m3).
    """

    price_year: int
    electricity_CNY_kWh: float
    discount_rate: float
    life_yr: float
    utilization: float
    labour_CNY_person_yr: float
    sludge_disposal_CNY_t_dry: float
    brine_disposal_CNY_m3: float
    hazardous_salt_CNY_t: float
    backwash_CNY_m3: float
    cost_index: dict[int, float]
    fx_to_CNY: dict[str, dict[int, float]]
    chemicals: dict[str, Chemical]
    sources: dict[str, str] = field(default_factory=dict)
    location_factor: dict[str, float] = field(default_factory=dict)

    def capital_factor(self, currency: str) -> float:
        """Factor from a capital curve's home market to installed cost in China (1 for CNY
        curves; :attr:`location_factor` for others, 1 where none is given)."""
        return self.location_factor.get(currency, 1.0)

    def to_CNY(self, amount: float, currency: str, year: int) -> float:
        """``amount`` in ``currency`` of ``year`` as CNY of :attr:`price_year`."""
        if currency not in self.fx_to_CNY:
            raise InputError(
                Text.of(
                    "treatment.error.economics.no_fx",
                    currency=repr(currency),
                    known=joined(list(self.fx_to_CNY)),
                )
            )
        if year not in self.cost_index or self.price_year not in self.cost_index:
            raise InputError(
                Text.of(
                    "treatment.error.economics.no_cost_index",
                    year=year,
                    known=joined([str(y) for y in sorted(self.cost_index)]),
                )
            )
        rates = self.fx_to_CNY[currency]
        if self.price_year not in rates:
            raise InputError(
                Text.of(
                    "treatment.error.economics.no_fx_year", currency=currency, year=self.price_year
                )
            )
        return (
            amount
            * self.cost_index[self.price_year]
            / self.cost_index[year]
            * rates[self.price_year]
        )

    def disposal_price_CNY_t(self, disposal_class: str) -> tuple[float, str]:
        """Price of a solid disposal class, CNY per tonne, and its mass basis.

        Parameters
        ----------
        disposal_class : str
            A key of :data:`DISPOSAL_CLASSES`.

        Returns
        -------
        (float, str)
            CNY per tonne, and ``"dry"`` (per dry tonne) or ``"as_delivered"`` (per tonne of
            cake: dry solids / solids fraction).
        """
        if disposal_class not in DISPOSAL_CLASSES:
            raise InputError(
                Text.of(
                    "treatment.error.economics.unknown_disposal",
                    disposal_class=repr(disposal_class),
                    known=joined(list(DISPOSAL_CLASSES)),
                )
            )
        attr, basis = DISPOSAL_CLASSES[disposal_class]
        return float(getattr(self, attr)), basis

    def crf(self) -> float:
        """Capital recovery factor of :attr:`discount_rate` and :attr:`life_yr`, 1/yr."""
        return capital_recovery_factor(self.discount_rate, self.life_yr)

    def with_(self, **changes: Any) -> Economics:  # field name -> value (mixed types)
        """A copy with some defaults changed (e.g. ``electricity_CNY_kWh=0.8``), validated.

        Raises
        ------
        InputError
            A name that is not a field of :class:`Economics` (listing the fields), or a value
            out of its plausible range.
        """
        from dataclasses import fields, replace

        names = [f.name for f in fields(self)]
        unknown = sorted(set(changes) - set(names))
        if unknown:
            raise InputError(unknown_override(unknown, names))
        new = replace(self, **changes)
        _check_finance(new, "<override>")
        return new


def unknown_override(unknown: list[str], allowed: list[str] | tuple[str, ...]) -> Text:
    """The error text of economics overrides that are not prices (names as given)."""
    return Text.of(
        "treatment.error.economics.unknown_override",
        names=joined(unknown),
        allowed=joined(list(allowed)),
    )


def capital_recovery_factor(rate: float, life_yr: float) -> float:
    """CRF = i (1+i)^n / ((1+i)^n - 1), 1/yr; 1/n when i = 0.

    Reference: WaterTAP costing (watertap/costing/watertap_costing_package.py), equivalently
    any engineering-economics text.
    """
    if life_yr <= 0:
        raise InputError(Text.of("treatment.error.life_positive", life=life_yr))
    if rate == 0:
        return 1.0 / life_yr
    g = (1.0 + rate) ** life_yr
    return rate * g / (g - 1.0)


#: The entry of :data:`cbmwater.plausible.RANGES` that bounds each finance field (the shipped
#: defaults and a case's overrides are held to the one table of ranges).
FINANCE_RANGES: dict[str, str] = {
    "electricity_CNY_kWh": "electricity_CNY_kWh",
    "discount_rate": "discount_rate",
    "life_yr": "horizon_yr",
    "utilization": "utilization",
    "labour_CNY_person_yr": "labour_CNY_person_yr",
    "sludge_disposal_CNY_t_dry": "sludge_disposal_CNY_t",
    "brine_disposal_CNY_m3": "price_CNY_m3",
    "hazardous_salt_CNY_t": "sludge_disposal_CNY_t",
    "backwash_CNY_m3": "price_CNY_m3",
}


def _check_finance(e: Economics, where: str) -> None:
    for name, key in FINANCE_RANGES.items():
        plausible.check(key, getattr(e, name), name, file=where)


def _req(d: dict[str, Any], key: str, path: Path, section: str) -> Any:  # a parsed TOML value
    if key not in d:
        raise DatabaseError(
            Text.of(
                "treatment.error.economics.lacks", file=str(path), section=section, key=repr(key)
            )
        )
    return d[key]


def _molar_mass(c: dict, path: Path, section: str) -> float:
    """A chemical's molar mass as the file gives it (the catalogue's rounding, which its prices
    and doses use); where the phases table (:mod:`cbmwater.water.phases`) knows the formula the
    two must agree within 0.01 g/mol."""
    given = float(_req(c, "molar_mass_g_mol", path, section))
    row = REAGENTS.get(str(c.get("formula")))
    if row is not None and abs(row.molar_mass - given) > 0.01:
        raise DatabaseError(
            Text.of(
                "treatment.error.economics.molar_mass",
                file=str(path),
                section=section,
                given=given,
                table=row.molar_mass,
                formula=row.formula,
            )
        )
    return given


def _need_source(d: dict, path: Path, section: str) -> str:
    s = d.get("source")
    if not isinstance(s, str) or len(s.strip()) < 8:
        raise DatabaseError(
            Text.of("treatment.error.economics.need_source", file=str(path), section=section)
        )
    return s


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> Economics:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatabaseError(
            Text.of("treatment.error.economics.cannot_read", file=str(path), reason=str(exc))
        ) from None
    sources: dict[str, str] = {}
    meta = _req(data, "meta", path, "meta")
    price_year = int(_req(meta, "price_year", path, "meta"))
    values: dict[str, float] = {}
    for section, key in (
        ("electricity", "CNY_per_kWh"),
        ("finance", "discount_rate"),
        ("finance", "life_yr"),
        ("finance", "utilization"),
        ("labour", "CNY_per_person_yr"),
        ("disposal", "sludge_CNY_t_dry"),
        ("disposal", "brine_CNY_m3"),
        ("disposal", "hazardous_salt_CNY_t"),
        ("disposal", "backwash_CNY_m3"),
    ):
        sec = _req(data, section, path, section)
        values[f"{section}.{key}"] = float(_req(sec, key, path, section))
        sources[section] = _need_source(sec, path, section)
    idx_tbl = _req(data, "cost_index", path, "cost_index")
    sources["cost_index"] = _need_source(idx_tbl, path, "cost_index")
    cost_index = {int(k): float(v) for k, v in idx_tbl.get("values", {}).items()}
    if price_year not in cost_index:
        raise DatabaseError(
            Text.of(
                "treatment.error.economics.no_price_year_index", file=str(path), year=price_year
            )
        )
    fx: dict[str, dict[int, float]] = {}
    for cur, tbl in _req(data, "fx_to_CNY", path, "fx_to_CNY").items():
        sources[f"fx_to_CNY.{cur}"] = _need_source(tbl, path, f"fx_to_CNY.{cur}")
        fx[cur] = {int(k): float(v) for k, v in tbl.get("values", {}).items()}
        if price_year not in fx[cur]:
            raise DatabaseError(
                Text.of(
                    "treatment.error.economics.fx_no_rate",
                    file=str(path),
                    currency=cur,
                    year=price_year,
                )
            )
    chems: dict[str, Chemical] = {}
    for name, c in _req(data, "chemicals", path, "chemicals").items():
        sec = f"chemicals.{name}"
        src = _need_source(c, path, sec)
        purity = float(_req(c, "purity", path, sec))
        if not 0 < purity <= 1:
            raise DatabaseError(
                Text.of("treatment.error.economics.purity", file=str(path), section=sec)
            )
        chems[name] = Chemical(
            name,
            str(_req(c, "formula", path, sec)),
            _molar_mass(c, path, sec),
            purity,
            float(_req(c, "price_CNY_t", path, sec)),
            {k: float(v) for k, v in c.get("adds_mol", {}).items()},
            src,
        )
    loc: dict[str, float] = {}
    if "location_factor" in data:
        tbl = data["location_factor"]
        sources["location_factor"] = _need_source(tbl, path, "location_factor")
        for cur, v in tbl.get("values", {}).items():
            if not isinstance(v, (int, float)) or not 0.05 <= float(v) <= 5:
                raise DatabaseError(
                    Text.of(
                        "treatment.error.economics.location_factor", file=str(path), currency=cur
                    )
                )
            loc[str(cur)] = float(v)
    econ = Economics(
        price_year=price_year,
        electricity_CNY_kWh=values["electricity.CNY_per_kWh"],
        discount_rate=values["finance.discount_rate"],
        life_yr=values["finance.life_yr"],
        utilization=values["finance.utilization"],
        labour_CNY_person_yr=values["labour.CNY_per_person_yr"],
        sludge_disposal_CNY_t_dry=values["disposal.sludge_CNY_t_dry"],
        brine_disposal_CNY_m3=values["disposal.brine_CNY_m3"],
        hazardous_salt_CNY_t=values["disposal.hazardous_salt_CNY_t"],
        backwash_CNY_m3=values["disposal.backwash_CNY_m3"],
        cost_index=cost_index,
        fx_to_CNY=fx,
        chemicals=chems,
        sources=sources,
        location_factor=loc,
    )
    try:
        _check_finance(econ, str(path))
    except InputError as exc:
        err = DatabaseError(str(exc))
        err.message = exc.full_message()  # the plausible-range message, in any language
        raise err from None
    return econ


def load_economics(path: str | Path | None = None) -> Economics:
    """Load and validate ``economics.toml`` (cached until the file changes)."""
    p = Path(path) if path is not None else TREATMENT_DATA_DIR / "economics.toml"
    if not p.is_file():
        raise DatabaseError(Text.of("treatment.error.economics.not_found", file=str(p)))
    return _load(p.resolve(), p.stat().st_mtime)
