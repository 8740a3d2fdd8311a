"""What every passive system shares: layer geometry, liners, pipes, structures, site development,
the AMDTreat option defaults and the finish of an :class:`~cbmwater.minewater.options.OptionResult`.

See :mod:`cbmwater.minewater.passive` for the geometry rules and references.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError
from ...i18n import Message, Text, named
from ...treatment.economics import Economics
from ..options import AmdTreatDefaults, Money, OptionResult, check_number, finish, load_amdtreat

#: Liner options (AMDTreat default: none).
LINERS = ("none", "clay", "synthetic")


# --------------------------------------------------------------------------------------------
# geometry
# --------------------------------------------------------------------------------------------


def top(dim: float, depth: float, z: float) -> float:
    return dim + 2.0 * z * depth


def layer_volume(lb: float, wb: float, d: float, z: float) -> float:
    """Average-end-area volume of a layer on bottom lb x wb, m3."""
    return (top(lb, d, z) * top(wb, d, z) + lb * wb) / 2.0 * d


def bottom_from_volume(v: float, d: float, z: float, r: float, what: str) -> tuple[float, float]:
    a = d / r
    b = z * d * d * (1.0 + 1.0 / r)
    c = 2.0 * z * z * d**3 - v
    disc = b * b - 4.0 * a * c
    lb = (-b + math.sqrt(disc)) / (2.0 * a) if disc >= 0 else -1.0
    if lb <= 0:
        raise system_error(what, "volume_too_small", column="flow_m3_d", v=v, d=d, z=z)
    return lb, lb / r


def bottom_from_top_area(
    area: float, d: float, z: float, r: float, what: str
) -> tuple[float, float]:
    zz = 2.0 * z * d
    a = 1.0 / r
    b = zz / r + zz
    c = zz * zz - area
    disc = b * b - 4.0 * a * c
    lb = (-b + math.sqrt(disc)) / (2.0 * a) if disc >= 0 else -1.0
    if lb <= 0:
        raise system_error(what, "area_too_small", column="flow_m3_d", area=area, d=d, z=z)
    return lb, lb / r


def what_name(what: str) -> Message | str:
    """A passive system's name as the warnings write it (``"aerobic wetland"``, ``"ALD"``) as
    its message ``minewater.what.<key>`` (English: the name itself)."""
    return named("minewater.what", what.lower().replace(" ", "_"))


def system_error(
    what: str, code: str, *, column: str, value: object | None = None, **params: Any
) -> InputError:
    """The :class:`InputError` "<system>: <problem>" of a passive system: its name
    (:func:`what_name`) and the message ``minewater.error.passive.<code>`` with ``params``,
    joined by ``error.prefixed`` (one wording of the system prefix for every passive system).
    """
    problem = Message(f"minewater.error.passive.{code}", params)
    return InputError(
        Text.of("error.prefixed", prefix=what_name(what), what=problem), column=column, value=value
    )


def check_bottom(wb: float, what: str, d: AmdTreatDefaults, warnings: list[str]) -> None:
    wmin = d("common", "min_bottom_width")
    if wb < wmin:
        warnings.append(
            Text.of("minewater.passive.bottom_narrow", what=what_name(what), wb=wb, wmin=wmin)
        )


def land_berms(lt: float, wt: float, freeboard: float, d: AmdTreatDefaults) -> float:
    """AMDTreat clear-and-grub area (VFP, wetland, bioreactor): top + berm + outslope, m2."""
    extra = 2.0 * d("common", "berm_top_width") + 2.0 * d("common", "berm_outslope_H_V") * freeboard
    return (lt + extra) * (wt + extra)


def liner_cost(
    kind: str,
    lb: float,
    wb: float,
    lt: float,
    wt: float,
    depth: float,
    z: float,
    sec: str,
    d: AmdTreatDefaults,
) -> tuple[float, float]:
    """Liner cost (USD) and clay volume (m3) of a basin from bottom (lb, wb) to top (lt, wt)."""
    if kind == "none":
        return 0.0, 0.0
    s = math.hypot(depth, z * depth)
    if kind == "clay":
        area = (lt + lb) * s + (wt + wb) * s + lb * wb
        vol = area * d(sec, "clay_liner_thickness")
        return vol * d(sec, "clay_liner_unit_cost"), vol
    ext = d("common", "synthetic_liner_extension")
    area = (lt + lb) * (s + ext) + (wt + wb) * (s + ext) + lb * wb
    return area * d(sec, "synthetic_liner_unit_cost"), 0.0


def structures(
    sec: str,
    d: AmdTreatDefaults,
    names: tuple[str, ...] = (
        "valve",
        "intake",
        "flow_distribution",
        "water_level_control",
        "outlet_protection",
    ),
) -> float:
    """AMDTreat 'other items' (appurtenances), USD."""
    total = 0.0
    for n in names:
        q = d.values[sec].get(f"{n}_quantity", 0.0)
        total += q * d(sec, f"{n}_unit_cost") if q else 0.0
    return total


def header_pipes(sec: str, bottom_width: float, d: AmdTreatDefaults) -> tuple[float, dict]:
    """AMDTreat header-pipe system (ALD, limestone bed, Mn bed), USD."""
    n = d(sec, "header_pipe_quantity")
    length = n * bottom_width
    seg = d(sec, "header_pipe_segment_length")
    segments = math.ceil(length / seg) if length > 0 else 0
    couplers = max(segments - 1, 0)
    inout = d(sec, "inout_pipe_length")
    cost = (
        inout * d(sec, "inout_pipe_unit_cost")
        + segments * d(sec, "header_pipe_unit_cost")
        + couplers * d(sec, "header_coupler_unit_cost")
        + n * d(sec, "tee_unit_cost")
        + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate")
        + length / d(sec, "header_pipe_install_rate") * d(sec, "labour_rate")
    )
    return cost, {"inout_pipe_m": inout, "header_pipe_m": length, "header_segments": segments}


def trunk_spur_pipes(sec: str, lb: float, wb: float, d: AmdTreatDefaults) -> tuple[float, dict]:
    """AMDTreat under-drain (trunk + spurs) of VFP and bioreactor, USD."""
    trunk = lb
    trunk_couplers = math.ceil(trunk / d(sec, "trunk_pipe_segment_length"))
    spurs = math.floor(lb / d(sec, "spur_pipe_spacing")) + 1
    spur_len = spurs * wb
    spur_couplers = spurs * math.floor(wb / d(sec, "spur_pipe_segment_length"))
    inout = d(sec, "inout_pipe_length")
    cost = (
        inout * d(sec, "inout_pipe_unit_cost")
        + trunk * d(sec, "trunk_pipe_unit_cost")
        + trunk_couplers * d(sec, "trunk_coupler_unit_cost")
        + spur_len * d(sec, "spur_pipe_unit_cost")
        + spur_couplers * d(sec, "spur_coupler_unit_cost")
        + spurs * d(sec, "tee_unit_cost")
        + inout / d(sec, "inout_pipe_install_rate") * d(sec, "labour_rate")
        + (trunk + spur_len) / d(sec, "trunk_spur_install_rate") * d(sec, "labour_rate")
    )
    return cost, {
        "inout_pipe_m": inout,
        "trunk_pipe_m": trunk,
        "spur_pipes": spurs,
        "spur_pipe_m": spur_len,
    }


def site_development_items(direct_CNY: float, land_m2: float, money: Money) -> dict[str, float]:
    """AMDTreat site-development items of a passive module, CNY."""
    d = money.d
    clear = money.usd(land_m2 * d("site", "clear_grub_unit_cost"))
    reveg = money.usd(
        land_m2 * d("site", "revegetation_fraction") * d("site", "revegetation_unit_cost")
    )
    base = direct_CNY + clear + reveg
    return {
        "site: clear and grub": clear,
        "site: revegetation": reveg,
        "site: mobilisation/demobilisation": base * d("site", "mobilisation_fraction"),
        "site: engineering and permitting": base * d("site", "engineering_fraction"),
        "site: surveying": base * d("site", "surveying_fraction"),
        "site: construction inspection": base * d("site", "inspection_fraction"),
        "site: contingency": base * d("site", "contingency_fraction"),
    }


def compost_porosity(fines_pct: float, d: AmdTreatDefaults) -> float:
    """Compost-mix porosity, fraction (AMDTreat ``CalcCompostMixPorosity``, f in %)."""
    p = (
        d("common", "compost_porosity_c3") * fines_pct**3
        + d("common", "compost_porosity_c2") * fines_pct**2
        + d("common", "compost_porosity_c1") * fines_pct
        + d("common", "compost_porosity_c0")
    )
    return p / 100.0


# --------------------------------------------------------------------------------------------
# options: each keyword argument, its AMDTreat default and its allowed range, stated once
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A sizing option: the AMDTreat defaults key and the allowed range.

    ``section`` None reads the system's own section of ``amdtreat.toml``; ``default`` replaces
    the file's value (a derived default).
    """

    key: str
    lo: float | None = 0.0
    hi: float | None = None
    lo_open: bool = False
    section: str | None = None
    default: float | None = None


#: The options several systems share (keyword argument -> :class:`Param`).
PARAMS: dict[str, Param] = {
    "retention_h": Param("retention_time_h", 0.0, 1000.0, True),
    "purity": Param("limestone_purity", 0.0, 1.0, True),
    "efficiency": Param("limestone_efficiency", 0.0, 1.0, True),
    "porosity": Param("limestone_porosity", 0.05, 0.95),
    "alkalinity_rate_g_m2_d": Param("alkalinity_generation_rate", 0.0, None, True),
    "limestone_depth_m": Param("limestone_depth", 0.0, 10.0, True),
    "soil_cover_m": Param("soil_cover_depth", 0.0, 10.0),
    "compost_depth_m": Param("compost_depth", 0.0, 10.0),
    "free_water_m": Param("free_water_depth", 0.0, 10.0),
    "freeboard_m": Param("freeboard_depth", 0.0, 10.0),
    "fines_fraction": Param("limestone_fines_fraction", 0.0, 1.0),
    "length_width_ratio": Param("bottom_length_width_ratio", 0.0, 100.0, True),
    "side_slope": Param("side_slope_H_V", 0.0, 10.0, section="common"),
}


@dataclass
class System:
    """One passive system being sized: its AMDTreat section, money, life and warnings.

    Built by :func:`start`, which checks the flow and the life; :meth:`options` reads the
    keyword options and :meth:`finish` costs the system.
    """

    sec: str
    what: str
    flow_m3_d: float
    d: AmdTreatDefaults
    money: Money
    life: float
    site_development: bool
    warnings: list[str] = field(default_factory=list)

    def options(self, given: dict[str, float | None], **special: Param) -> dict[str, float]:
        """Each option of ``given`` as the caller gave it or the AMDTreat default, checked
        against its range (:data:`PARAMS`, or ``special`` for this system)."""
        out = {}
        for name, value in given.items():
            p = special.get(name) or PARAMS[name]
            if value is None:
                value = p.default if p.default is not None else self.d(p.section or self.sec, p.key)
            out[name] = check_number(name, value, lo=p.lo, hi=p.hi, lo_open=p.lo_open)
        return out

    def usd(self, amount_usd: float) -> float:
        """An AMDTreat USD amount as CNY."""
        return self.money.usd(amount_usd)

    def finish(
        self,
        *,
        option: str,
        method: str,
        area_m2: float,
        footprint: float,
        land: float,
        volume: float,
        basis: str,
        limestone_t: float,
        materials: dict[str, float],
        items: dict[str, float],
        recap: list[tuple[str, float, str]],
        sources: list[str],
        details: dict[str, Any],
        om_fraction: float | None = None,
        extra_opex: dict[str, float] | None = None,
    ) -> OptionResult:
        """The :class:`OptionResult`: capital items (+ site development), O&M as a fraction of
        the module capital, AMDTreat recapitalisation of the ``recap`` items ``(name, cost,
        key)`` that have a life in the section."""
        d = self.d
        om = d("common", "passive_om_fraction") if om_fraction is None else om_fraction
        direct = sum(items.values())
        capex = dict(items)
        if self.site_development:
            capex.update(site_development_items(direct, land, self.money))
        opex: dict[str, float] = {Text.of("minewater.item.om_module", pct=om * 100): om * direct}
        if extra_opex:
            opex.update(extra_opex)
        recap_items = []
        for name, cost, key in recap:
            life_key, frac_key = f"recap_life_{key}", f"recap_fraction_{key}"
            if life_key in d.values[self.sec] and cost > 0:
                recap_items.append((name, cost, d(self.sec, life_key), d(self.sec, frac_key)))
        sources = list(sources) + [
            Text.of("minewater.source.passive_annual", pct=om * 100),
            self.money.note(),
        ]
        return finish(
            option=option,
            kind="passive",
            method=method,
            flow_m3_d=self.flow_m3_d,
            area_m2=area_m2,
            footprint_m2=footprint,
            land_m2=land,
            volume_m3=volume,
            volume_basis=basis,
            limestone_t=limestone_t,
            materials={k: float(v) for k, v in materials.items()},
            capex_items=capex,
            opex_items=opex,
            recap_items=recap_items,
            life_yr=self.life,
            money=self.money,
            warnings=self.warnings,
            sources=sources,
            details=details,
        )


def start(
    sec: str,
    what: str,
    flow_m3_d: float,
    *,
    life_yr: float | None,
    econ: Economics | None,
    defaults: AmdTreatDefaults | None,
    site_development: bool,
    life_default: float | None = None,
) -> System:
    """Check the flow and the life (default: the economics life, or ``life_default``) and load
    the AMDTreat defaults."""
    check_number("flow_m3_d", flow_m3_d, lo=0.0, lo_open=True)
    d = defaults if defaults is not None else load_amdtreat()
    money = Money(econ, d)
    default = life_default if life_default is not None else money.econ.life_yr
    life = check_number("life_yr", default if life_yr is None else life_yr, lo=1.0, hi=100.0)
    return System(sec, what, flow_m3_d, d, money, life, site_development)


def defaults_life(d_or_none: AmdTreatDefaults | None, sec: str) -> float:
    """AMDTreat neutralisation period of a limestone module, yr (the default life)."""
    d = d_or_none if d_or_none is not None else load_amdtreat()
    return d(sec, "neutralisation_period_yr")


def acidity_warning(net_acidity_mg_L: float | None, what: str, warnings: list[str]) -> None:
    """Warn that a net-alkaline water needs no alkalinity-producing system."""
    if net_acidity_mg_L is not None and net_acidity_mg_L <= 0:
        warnings.append(
            Text.of("minewater.passive.net_alkaline", what=what_name(what), acid=net_acidity_mg_L)
        )


def check_net_acidity(net_acidity_mg_L: float | None) -> float | None:
    """A given net acidity, mg/L CaCO3, checked (-1e5 to 1e5)."""
    if net_acidity_mg_L is None:
        return None
    return check_number("net_acidity_mg_L", net_acidity_mg_L, lo=-1e5, hi=1e5)


def stacked_layer(lt: float, wt: float, depth: float, z: float) -> tuple[float, float, float]:
    """A layer of ``depth`` on a bottom ``lt x wt``: its top length, top width and volume, m3."""
    t_l, t_w = top(lt, depth, z), top(wt, depth, z)
    return t_l, t_w, (t_l * t_w + lt * wt) / 2.0 * depth


def layer_below(
    plant: System,
    lb: float,
    wb: float,
    depth: float,
    z: float,
    *,
    layer: Message,
    above: Message,
    fix: Message,
    column: str,
) -> tuple[float, float, float]:
    """A layer of ``depth`` under a bottom ``lb x wb`` (sides sloping in at ``z``): its bottom
    length, width and volume, m3.  A layer that leaves no bottom is refused (``layer``, ``above``
    and ``fix``, messages ``minewater.error.passive.layer|above|fix.*``, word the error); a
    narrow bottom is warned of (:func:`check_bottom`)."""
    bl, bw = lb - 2 * z * depth, wb - 2 * z * depth
    if bl <= 0 or bw <= 0:
        raise system_error(
            plant.what,
            "no_bottom",
            column=column,
            layer=layer,
            above=above,
            fix=fix,
            lb=lb,
            wb=wb,
        )
    check_bottom(bw, plant.what, plant.d, plant.warnings)
    return bl, bw, (lb * wb + bl * bw) / 2.0 * depth


def stone_items(plant: System, mass_t: float, volume_m3: float) -> dict[str, float]:
    """Limestone purchase and placement, CNY."""
    d, sec = plant.d, plant.sec
    return {
        "limestone": plant.usd(mass_t * d(sec, "limestone_unit_cost")),
        "limestone placement": plant.usd(volume_m3 * d(sec, "limestone_placement_unit_cost")),
    }


def recap_common(
    items: dict[str, float], pipes: str, structures: str
) -> list[tuple[str, float, str]]:
    """Recapitalisation entries of the liner, the pipes and the structures items."""
    return [
        ("liner", items["liner"], "liner"),
        ("pipes", items[pipes], "pipe"),
        ("structures", items[structures], "other"),
    ]


__all__ = [
    "LINERS",
    "Param",
    "PARAMS",
    "System",
    "start",
    "defaults_life",
    "acidity_warning",
    "check_net_acidity",
    "stacked_layer",
    "layer_below",
    "stone_items",
    "recap_common",
    "system_error",
    "top",
    "layer_volume",
    "bottom_from_volume",
    "bottom_from_top_area",
    "check_bottom",
    "land_berms",
    "liner_cost",
    "structures",
    "header_pipes",
    "trunk_spur_pipes",
    "site_development_items",
    "compost_porosity",
]
