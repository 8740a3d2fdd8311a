"""The ``[uncertainty]`` section of a decision-engine case: what is uncertain and how it is drawn.

Documented in ``docs/uncertainty.md``.  Every uncertain input is a :class:`Distribution`
(lognormal, normal, uniform or triangular) drawn by the inverse of its CDF from a standard
normal score, so that two inputs can be correlated through a Gaussian copula (qi and Di of a
well); the string ``"default"`` stands for the parameter's stated default distribution
(:data:`PARAMETERS`, each with its source or an [U] mark).

:meth:`Uncertainty.draw` turns a random generator into one scenario's values (a flat, ordered
mapping: the columns of the scenario table) and :meth:`Uncertainty.apply` turns those values
into the scenario's wells, destinations, price factors and quality multipliers.  The number of
random numbers a scenario uses depends only on the section, never on the values drawn, so a
scenario is reproducible from its seed alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import plausible
from ..casefile import TableContext
from ..casefile import check_keys as _keys
from ..casefile import check_range as _rng
from ..casefile import check_text as _str
from ..errors import InputError
from ..i18n import Text
from ..schema import NETWORK_CASE as _S
from ..treatment.streams import TRACKED
from .production import arps_period_rates

if TYPE_CHECKING:  # pragma: no cover
    from ..water.analysis import AnalysisSet

# the case's Well, Station and Destination (cbmwater.optimize.case, which imports this module:
# named here by role, not imported, so that the import graph has no circle)
Well = Any
Station = Any
Destination = Any

__all__ = [
    "Distribution",
    "Parameter",
    "PARAMETERS",
    "DISTRIBUTIONS",
    "Uncertainty",
    "WellGroup",
    "QualityGroup",
    "DestinationUncertainty",
    "ScenarioInputs",
    "parse_uncertainty",
    "markdown_defaults",
]

_N = NormalDist()

#: Distribution kinds and the keys of each (besides ``dist``).
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "lognormal": ("median", "sigma"),
    "normal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
}


@dataclass(frozen=True)
class Distribution:
    """One input's distribution; ``value(z)`` is its quantile at the standard normal score z.

    ``lognormal``: ``median * exp(sigma z)``.  ``normal``: truncated below at ``lower`` (the
    parameter's least value, 0 for prices and factors): the quantile of the normal restricted
    to ``x >= lower``, so no draw is ever clipped.  ``uniform`` and ``triangular``: their
    quantile functions at ``u = Phi(z)``.
    """

    dist: str
    params: tuple[tuple[str, float], ...]
    lower: float = 0.0
    default: bool = False

    def p(self, key: str) -> float:
        return dict(self.params)[key]

    def value(self, z: float) -> float:
        """The quantile at standard normal score ``z``."""
        if self.dist == "lognormal":
            return self.p("median") * math.exp(self.p("sigma") * z)
        u = min(max(_N.cdf(z), 1e-15), 1.0 - 1e-15)
        if self.dist == "normal":
            mu, sd = self.p("mean"), self.p("sd")
            a = _N.cdf((self.lower - mu) / sd)
            return mu + sd * _N.inv_cdf(min(a + u * (1.0 - a), 1.0 - 1e-15))
        if self.dist == "uniform":
            lo, hi = self.p("low"), self.p("high")
            return lo + u * (hi - lo)
        lo, mode, hi = self.p("low"), self.p("mode"), self.p("high")
        c = (mode - lo) / (hi - lo)
        if u < c:
            return lo + math.sqrt(u * (hi - lo) * (mode - lo))
        return hi - math.sqrt((1.0 - u) * (hi - lo) * (hi - mode))

    def describe(self) -> str:
        """``"triangular(low=0.5, mode=1, high=1.1)"`` (``default``: the parameter's default)."""
        body = ", ".join(f"{k}={v:g}" for k, v in self.params)
        return f"{self.dist}({body})" + (" [default]" if self.default else "")


@dataclass(frozen=True)
class Parameter:
    """An uncertain parameter: its unit, its plausible range, the kinds of distribution it may
    take and its default distribution (a function of the case's own value) with the reason."""

    name: str
    unit: str
    #: entry of :data:`cbmwater.plausible.RANGES` bounding its values (and distribution's keys)
    range: str
    dists: tuple[str, ...]
    default: Callable[[float], Distribution]
    default_text: str
    reason: str


def _d(dist: str, **kw: float) -> Distribution:
    return Distribution(dist, tuple(kw.items()), default=True)


_ALL = tuple(DISTRIBUTIONS)
_BOUNDED = ("uniform", "triangular")

#: Every parameter ``[uncertainty]`` may make uncertain, with its default distribution.
PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "qi_factor",
            "-",
            "uncertainty_factor",
            _ALL,
            lambda _: _d("lognormal", median=1.0, sigma=0.5),
            "lognormal(median=1, sigma=0.5)",
            "factor on a well's Arps qi. Southern Qinshui wells produce from under 5 to 30+ m3/d "
            "of water ([QS] §1.4: < 5 m3/d per well in Gujiao [V]; 5-30+ m3/d for 15# coal "
            "wells [U]): a factor of about 6 between wells; sigma 0.5 puts 90 % of wells "
            "within x0.44-x2.3 of the value given [U]",
        ),
        Parameter(
            "Di_factor",
            "-",
            "uncertainty_factor",
            _ALL,
            lambda _: _d("lognormal", median=1.0, sigma=0.5),
            "lognormal(median=1, sigma=0.5)",
            "factor on a well's Arps Di. The decline is 'to be fitted per block' ([QS] §1.4, "
            "[U]); no Qinshui spread is published, so the same spread as qi [U]",
        ),
        Parameter(
            "b",
            "-",
            "arps_b",
            _BOUNDED,
            lambda _: _d("uniform", low=0.0, high=1.0),
            "uniform(low=0, high=1)",
            "the Arps exponent itself (not a factor): [QS] §1.4 models Qinshui water decline "
            "with b of about 0-1 [U]; bounded distributions only (b must stay in [0, 2])",
        ),
        Parameter(
            "multiplier",
            "-",
            "uncertainty_factor",
            _ALL,
            lambda _: _d("lognormal", median=1.0, sigma=0.2),
            "lognormal(median=1, sigma=0.2)",
            "factor on a constituent of a station's well waters (water quality drifts as the "
            "coal seams dewater; [QS] §1.1 reports isotopes shifting with drainage time [V] "
            "but no spread of the ions); 90 % within x0.72-x1.39 [U]",
        ),
        Parameter(
            "electricity_CNY_kWh",
            "CNY/kWh",
            "electricity_CNY_kWh",
            _ALL,
            lambda v: _d("triangular", low=0.75 * v, mode=v, high=1.33 * v),
            "triangular(0.75 x, x, 1.33 x) of the case's tariff",
            "the tariff; the shipped 0.60 CNY/kWh is itself [U] (economics.toml), and Shanxi's "
            "agency-purchase price moves month to month: +-25-33 % [U]",
        ),
        Parameter(
            "chemicals_factor",
            "-",
            "uncertainty_factor",
            _ALL,
            lambda _: _d("triangular", low=0.8, mode=1.0, high=1.3),
            "triangular(low=0.8, mode=1, high=1.3)",
            "one factor on every chemical price (they move with the same energy and freight "
            "costs); skewed up [U]",
        ),
        Parameter(
            "price_CNY_m3",
            "CNY/m3",
            "price_CNY_m3",
            _ALL,
            lambda v: _d("triangular", low=0.5 * v, mode=v, high=1.2 * v),
            "triangular(0.5 x, x, 1.2 x) of the destination's price",
            "a destination's tariff for the water (reuse); a buyer with other water can pay "
            "less, rarely more [U]",
        ),
        Parameter(
            "fee_CNY_m3",
            "CNY/m3",
            "price_CNY_m3",
            _ALL,
            lambda v: _d("triangular", low=0.8 * v, mode=v, high=1.5 * v),
            "triangular(0.8 x, x, 1.5 x) of the destination's fee",
            "a disposal or discharge fee; fees and environmental taxes tend to rise [U]",
        ),
        Parameter(
            "capacity_factor",
            "-",
            "uncertainty_factor",
            _ALL,
            lambda _: _d("triangular", low=0.5, mode=1.0, high=1.1),
            "triangular(low=0.5, mode=1, high=1.1)",
            "factor on a destination's capacity in every period (for a reuse user: its "
            "demand; the coal-preparation plant may take less water); skewed down [U]",
        ),
    )
}


@dataclass(frozen=True)
class WellGroup:
    """Arps uncertainty of some wells (``per``: each well its own draw, or one for the group)."""

    label: str
    wells: tuple[str, ...]
    per: str
    qi: Distribution | None
    Di: Distribution | None
    b: Distribution | None
    rho: float


@dataclass(frozen=True)
class QualityGroup:
    """Quality uncertainty of some stations: constituent multipliers (one draw per station) and
    / or each well's analysis drawn from the analyses of its block."""

    label: str
    stations: tuple[str, ...]
    multipliers: tuple[tuple[str, Distribution], ...]
    resample: bool
    #: well -> the sample ids of its block (when ``resample``)
    pools: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class DestinationUncertainty:
    """Capacity factor, price and fee of one destination."""

    name: str
    capacity_factor: Distribution | None
    price: Distribution | None
    fee: Distribution | None


@dataclass
class ScenarioInputs:
    """What one scenario changes in the case (from :meth:`Uncertainty.apply`)."""

    wells: list[Well]
    destinations: list[Destination]
    #: factors on the path table's electricity and chemicals costs
    electricity_factor: float
    chemicals_factor: float
    #: station -> constituent -> factor on its wells' waters
    multipliers: dict[str, dict[str, float]]
    #: the wells' waters or rates differ from the case's (feeds must be mixed again)
    feeds_change: bool


@dataclass(frozen=True)
class Uncertainty:
    """A validated ``[uncertainty]`` section."""

    wells: tuple[WellGroup, ...]
    quality: tuple[QualityGroup, ...]
    electricity: Distribution | None
    electricity_base: float
    chemicals: Distribution | None
    destinations: tuple[DestinationUncertainty, ...]
    note: str = ""

    @property
    def touches_quality(self) -> bool:
        """Whether any draw changes water quality (multipliers or resampled analyses)."""
        return bool(self.quality)

    def describe(self) -> list[dict[str, str]]:
        """Every uncertain input with its distribution, for the result."""
        out: list[dict[str, str]] = []

        def add(where: str, name: str, d: Distribution | None) -> None:
            if d is not None:
                out.append({"input": f"{where} {name}".strip(), "distribution": d.describe()})

        for g in self.wells:
            for name, d in (("qi_factor", g.qi), ("Di_factor", g.Di), ("b", g.b)):
                add(f"{g.label} ({g.per}, {len(g.wells)} wells)", name, d)
            if g.rho:
                out.append({"input": f"{g.label} rho_qi_Di", "distribution": f"{g.rho:g}"})
        for q in self.quality:
            for key, d in q.multipliers:
                add(f"{q.label} ({', '.join(q.stations)})", key, d)
            if q.resample:
                out.append(
                    {
                        "input": f"{q.label} ({', '.join(q.stations)}) analyses",
                        "distribution": "each well's analysis drawn from its block's",
                    }
                )
        add("prices", "electricity_CNY_kWh", self.electricity)
        add("prices", "chemicals_factor", self.chemicals)
        for du in self.destinations:
            add(f"destination {du.name!r}", "capacity_factor", du.capacity_factor)
            add(f"destination {du.name!r}", "price_CNY_m3", du.price)
            add(f"destination {du.name!r}", "fee_CNY_m3", du.fee)
        return out

    def draw(self, rng: np.random.Generator) -> dict[str, float | str]:
        """One scenario's values, column name -> value, in a fixed order.

        Every group draws the same count of numbers whatever is given or drawn: per well (or
        group) three standard normals (qi, Di with correlation ``rho`` through a Gaussian
        copula, b); per station and multiplier one; per resampled well one integer; per price
        one; per destination three.
        """
        out: dict[str, float | str] = {}
        for g in self.wells:
            units = list(g.wells) if g.per == "well" else [""]
            for unit in units:
                z = rng.standard_normal(3)
                zq = float(z[0])
                zd = g.rho * float(z[0]) + math.sqrt(1.0 - g.rho**2) * float(z[1])
                at = f"{g.label} {unit}".rstrip()
                for name, d, zz in (("qi_factor", g.qi, zq), ("Di_factor", g.Di, zd)):
                    if d is not None:
                        out[f"{at} {name}"] = d.value(zz)
                if g.b is not None:
                    out[f"{at} b"] = g.b.value(float(z[2]))
        for q in self.quality:
            for st in q.stations:
                for key, d in q.multipliers:
                    out[f"{q.label} {st} {key}"] = d.value(float(rng.standard_normal()))
            for well, pool in q.pools:
                out[f"{q.label} {well} analysis"] = pool[int(rng.integers(len(pool)))]
        for name, d in (
            ("electricity_CNY_kWh", self.electricity),
            ("chemicals_factor", self.chemicals),
        ):
            z0 = float(rng.standard_normal())
            if d is not None:
                out[name] = d.value(z0)
        for du in self.destinations:
            z = rng.standard_normal(3)
            for k, (name, d) in enumerate(
                (
                    ("capacity_factor", du.capacity_factor),
                    ("price_CNY_m3", du.price),
                    ("fee_CNY_m3", du.fee),
                )
            ):
                if d is not None:
                    out[f"destination {du.name!r} {name}"] = d.value(float(z[k]))
        return out

    def apply(
        self,
        values: Mapping[str, float | str],
        wells: list[Well],
        destinations: list[Destination],
        periods: int,
        period_years: float,
    ) -> ScenarioInputs:
        """The scenario's wells, destinations, price factors and multipliers for ``values``
        (from :meth:`draw`)."""
        by_name = {w.name: w for w in wells}
        new_wells = dict(by_name)
        feeds_change = False
        for g in self.wells:
            for name in g.wells:
                at = f"{g.label} {name}" if g.per == "well" else g.label
                w = new_wells[name]
                assert w.arps is not None  # checked when the section was read
                qi, di, b, sp = w.arps
                qi *= float(values.get(f"{at} qi_factor", 1.0))
                di *= float(values.get(f"{at} Di_factor", 1.0))
                b = float(values.get(f"{at} b", b))
                rates = arps_period_rates(qi, di, b, periods, period_years, sp)
                new_wells[name] = replace(w, rates_m3_d=rates, arps=(qi, di, b, sp))
                feeds_change = True
        mult: dict[str, dict[str, float]] = {}
        for q in self.quality:
            for st in q.stations:
                for key, _ in q.multipliers:
                    f = float(values[f"{q.label} {st} {key}"])
                    mult.setdefault(st, {})[key] = mult.get(st, {}).get(key, 1.0) * f
            for well, _ in q.pools:
                sid = str(values[f"{q.label} {well} analysis"])
                new_wells[well] = replace(new_wells[well], analysis=sid)
            feeds_change = True
        dests = []
        for d in destinations:
            du = next((x for x in self.destinations if x.name == d.name), None)
            if du is not None:
                at = f"destination {d.name!r}"
                f = float(values.get(f"{at} capacity_factor", 1.0))
                d = replace(
                    d,
                    capacity_m3_d=tuple(c * f for c in d.capacity_m3_d),
                    price_CNY_m3=float(values.get(f"{at} price_CNY_m3", d.price_CNY_m3)),
                    fee_CNY_m3=float(values.get(f"{at} fee_CNY_m3", d.fee_CNY_m3)),
                )
            dests.append(d)
        elec = float(values.get("electricity_CNY_kWh", self.electricity_base))
        return ScenarioInputs(
            [new_wells[w.name] for w in wells],
            dests,
            elec / self.electricity_base if self.electricity_base > 0 else 1.0,
            float(values.get("chemicals_factor", 1.0)),
            mult,
            feeds_change,
        )


# -- parsing -----------------------------------------------------------------------------------
def _distribution(
    ctx: TableContext, table: str, fld: str, v: object, param: str, case_value: float
) -> Distribution:
    """A distribution table (or ``"default"``) for ``param``, its numbers checked against the
    parameter's plausible range."""
    par = PARAMETERS[param]
    if v == "default":
        return par.default(case_value)
    if not isinstance(v, dict):
        raise ctx.err(
            table,
            fld,
            Text.of("unc.case.dist_spec"),
            v,
        )
    _keys(ctx, f"{table} {fld}", v, _S["uncertainty distribution"])
    if "dist" not in v:
        raise ctx.err(
            table, f"{fld}.dist", Text.of("unc.case.dist_required", allowed=", ".join(par.dists))
        )
    dist = _str(ctx, table, f"{fld}.dist", v["dist"], par.dists)
    need = DISTRIBUTIONS[dist]
    extra = [k for k in v if k != "dist" and k not in need]
    missing = [k for k in need if k not in v]
    if missing or extra:
        raise ctx.err(
            table,
            f"{fld}.{(missing or extra)[0]}",
            Text.of(
                "unc.case.dist_params." + ("missing" if missing else "extra"),
                dist=dist,
                need=", ".join(need),
                names=", ".join(missing or extra),
            ),
        )
    vals: dict[str, float] = {}
    for k in need:  # sigma is in log units; every other key in the parameter's own
        key = "uncertainty_sigma" if k == "sigma" else par.range
        vals[k] = _rng(ctx, table, f"{fld}.{k}", v[k], key)
    if dist == "lognormal" and vals["median"] <= 0:
        raise ctx.err(table, f"{fld}.median", Text.of("unc.case.median_positive"), v["median"])
    if dist == "normal" and vals["sd"] <= 0:
        raise ctx.err(table, f"{fld}.sd", Text.of("unc.case.positive"), v["sd"])
    if dist == "uniform" and not vals["low"] < vals["high"]:
        raise ctx.err(table, f"{fld}.high", Text.of("unc.case.high_above_low"), v["high"])
    if dist == "triangular" and not (
        vals["low"] <= vals["mode"] <= vals["high"] and vals["low"] < vals["high"]
    ):
        raise ctx.err(table, f"{fld}.mode", Text.of("unc.case.mode_order"), v["mode"])
    lower = plausible.RANGES[par.range].lo or 0.0
    return Distribution(dist, tuple((k, vals[k]) for k in need), lower=max(lower, 0.0))


def _names(
    ctx: TableContext, table: str, fld: str, v: object, allowed: list[str]
) -> tuple[str, ...]:
    if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
        raise ctx.err(table, fld, Text.of("unc.case.name_list"), v)
    for x in v:
        if x not in allowed:
            shown = ", ".join(allowed[:12]) + (" ..." if len(allowed) > 12 else "")
            raise ctx.err(table, fld, Text.of("unc.case.unknown_name", allowed=shown), x)
    return tuple(dict.fromkeys(v))


def _list_of_tables(ctx: TableContext, fld: str, v: object) -> list[dict[str, Any]]:
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise ctx.err("uncertainty", fld, Text.of("unc.case.list_of_tables", fld=fld), v)
    return v


def parse_uncertainty(
    ctx: TableContext,
    data: object,
    *,
    wells: list[Well],
    stations: list[Station],
    destinations: list[Destination],
    analyses: AnalysisSet,
    electricity_base: float,
) -> Uncertainty:
    """Validate ``[uncertainty]`` against the case it belongs to (see ``docs/uncertainty.md``)."""
    _keys(ctx, "uncertainty", data, _S["uncertainty"])
    assert isinstance(data, dict)
    wnames = [w.name for w in wells]
    snames = [s.name for s in stations]
    groups: list[WellGroup] = []
    for i, g in enumerate(_list_of_tables(ctx, "wells", data.get("wells", [])), start=1):
        t = f"uncertainty.wells[{i}]"
        _keys(ctx, t, g, _S["uncertainty wells"])
        chosen = wnames
        if "stations" in g:
            st = _names(ctx, t, "stations", g["stations"], snames)
            chosen = [w.name for w in wells if w.station in st]
        if "wells" in g:
            picked = _names(ctx, t, "wells", g["wells"], wnames)
            chosen = [w for w in chosen if w in picked] if "stations" in g else list(picked)
        if not chosen:
            raise ctx.err(t, "wells", Text.of("unc.case.no_well"))
        for w in wells:
            if w.name in chosen and w.arps is None:
                raise ctx.err(
                    t,
                    "wells",
                    Text.of("unc.case.production_well"),
                    w.name,
                )
        per = _str(ctx, t, "per", g.get("per", "well"), ("well", "group"))
        dists = {
            name: None if name not in g else _distribution(ctx, t, name, g[name], name, 1.0)
            for name in ("qi_factor", "Di_factor", "b")
        }
        if not any(dists.values()):
            raise ctx.err(t, "qi_factor", Text.of("unc.case.give_well_factor"))
        rho = _rng(ctx, t, "rho_qi_Di", g.get("rho_qi_Di", 0.0), "correlation")
        if rho and (dists["qi_factor"] is None or dists["Di_factor"] is None):
            raise ctx.err(t, "rho_qi_Di", Text.of("unc.case.rho_needs_both"), rho)
        order = [w for w in wnames if w in chosen]
        groups.append(
            WellGroup(
                f"wells[{i}]",
                tuple(order),
                per,
                dists["qi_factor"],
                dists["Di_factor"],
                dists["b"],
                rho,
            )
        )
    quality: list[QualityGroup] = []
    meta = analyses.meta
    for i, q in enumerate(_list_of_tables(ctx, "quality", data.get("quality", [])), start=1):
        t = f"uncertainty.quality[{i}]"
        _keys(ctx, t, q, _S["uncertainty quality"])
        sts = (
            _names(ctx, t, "stations", q["stations"], snames) if "stations" in q else tuple(snames)
        )
        mults: list[tuple[str, Distribution]] = []
        raw = q.get("multipliers", {})
        if not isinstance(raw, dict):
            raise ctx.err(t, "multipliers", Text.of("unc.case.multipliers_table"), raw)
        for key, spec in raw.items():
            if key not in TRACKED:
                raise ctx.err(
                    t,
                    f"multipliers.{key}",
                    Text.of("case.unknown_limit", allowed=", ".join(TRACKED)),
                )
            mults.append(
                (key, _distribution(ctx, t, f"multipliers.{key}", spec, "multiplier", 1.0))
            )
        resample = q.get("resample", False)
        if not isinstance(resample, bool):
            raise ctx.err(t, "resample", Text.of("case.boolean"), resample)
        if not mults and not resample:
            raise ctx.err(t, "multipliers", Text.of("unc.case.give_quality"))
        pools: list[tuple[str, tuple[str, ...]]] = []
        if resample:
            if "block" not in meta.columns:
                raise ctx.err(
                    t,
                    "resample",
                    Text.of("unc.case.needs_block"),
                    resample,
                )
            blocks = meta["block"].astype(str)
            for w in wells:
                if w.station in sts:
                    blk = str(blocks.loc[w.analysis])
                    pool = tuple(sorted(str(x) for x in blocks.index[blocks == blk]))
                    pools.append((w.name, pool))
        quality.append(QualityGroup(f"quality[{i}]", sts, tuple(mults), resample, tuple(pools)))
    prices = data.get("prices", {})
    _keys(ctx, "uncertainty.prices", prices, _S["uncertainty prices"])
    elec = (
        None
        if "electricity_CNY_kWh" not in prices
        else _distribution(
            ctx,
            "uncertainty.prices",
            "electricity_CNY_kWh",
            prices["electricity_CNY_kWh"],
            "electricity_CNY_kWh",
            electricity_base,
        )
    )
    chem = (
        None
        if "chemicals_factor" not in prices
        else _distribution(
            ctx,
            "uncertainty.prices",
            "chemicals_factor",
            prices["chemicals_factor"],
            "chemicals_factor",
            1.0,
        )
    )
    dnames = [d.name for d in destinations]
    dus: list[DestinationUncertainty] = []
    for i, du in enumerate(
        _list_of_tables(ctx, "destinations", data.get("destinations", [])), start=1
    ):
        t = f"uncertainty.destinations[{i}]"
        _keys(ctx, t, du, _S["uncertainty destinations"])
        name = _str(ctx, t, "name", du["name"], tuple(dnames))
        if any(x.name == name for x in dus):
            raise ctx.err(t, "name", Text.of("case.names_unique"), name)
        dest = destinations[dnames.index(name)]
        got = {
            k: None if k not in du else _distribution(ctx, t, k, du[k], k, base)
            for k, base in (
                ("capacity_factor", 1.0),
                ("price_CNY_m3", dest.price_CNY_m3),
                ("fee_CNY_m3", dest.fee_CNY_m3),
            )
        }
        if not any(got.values()):
            raise ctx.err(
                t,
                "capacity_factor",
                Text.of("unc.case.give_destination_factor"),
            )
        dus.append(
            DestinationUncertainty(
                name, got["capacity_factor"], got["price_CNY_m3"], got["fee_CNY_m3"]
            )
        )
    if not (groups or quality or elec or chem or dus):
        raise ctx.err(
            "uncertainty",
            None,
            Text.of("unc.case.nothing_uncertain"),
        )
    if electricity_base <= 0 and elec is not None:
        raise InputError(
            Text.of("uncertainty.error.tariff_zero"),
            file=ctx.file,
        )
    return Uncertainty(
        tuple(groups),
        tuple(quality),
        elec,
        electricity_base,
        chem,
        tuple(dus),
        str(data.get("note", "")),
    )


def markdown_defaults() -> str:
    """The parameters and their default distributions as Markdown, for docs/uncertainty.md."""
    lines = [
        "| Parameter | Unit | Distributions | Default | Range entry | Why (source or [U]) |",
        "|---|---|---|---|---|---|",
    ]
    for p in PARAMETERS.values():
        lines.append(
            f"| `{p.name}` | {p.unit} | {', '.join(p.dists)} | {p.default_text} | "
            f"`{p.range}` | {p.reason} |"
        )
    return "\n".join(lines)
