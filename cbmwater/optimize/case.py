"""A decision-engine case: ``case.toml`` plus CSV tables, validated into a :class:`Case`.

The format is documented in ``docs/optimise_case_format.md``.  Every error is an
:class:`~cbmwater.errors.InputError` that names the file, the table (TOML section or CSV), the row
and the field, and says what is allowed.  Nothing is clipped or guessed: an unknown key is an
error (a typo would otherwise be silently ignored).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import plausible, validation
from ..casefile import TableContext as _Ctx
from ..casefile import check_keys as _keys
from ..casefile import check_range as _rng
from ..casefile import check_text as _str
from ..casefile import id_hint, read_case_toml, resolve_inside, withhold_outside_values
from ..errors import InputError
from ..i18n import Text
from ..schema import NETWORK_CASE as _S
from ..schema import range_of as _range
from ..standards.table import load_standards, unit_factor
from ..treatment.streams import TRACKED
from ..validation import check_number
from ..water.vocabulary import CONSTITUENTS
from .production import arps_period_rates
from .uncertain import Uncertainty, parse_uncertainty

if TYPE_CHECKING:  # pragma: no cover
    from ..water.analysis import AnalysisSet

__all__ = [
    "Case",
    "Station",
    "Well",
    "Hub",
    "TrainOption",
    "Destination",
    "Transport",
    "Formation",
    "load_case",
    "parse_case",
    "KINDS",
    "ACCEPTS",
    "REINJECTION_DO_MAX_MG_L",
]

KINDS = ("reuse", "reinjection", "discharge", "residual_disposal")
ACCEPTS = ("product", "residual", "any")
TRANSPORT_MODES = ("pipeline", "trucking")
SI_MINERALS = (
    "Calcite",
    "Aragonite",
    "Dolomite",
    "Gypsum",
    "Barite",
    "Celestite",
    "Siderite",
    "Fluorite",
    "Strontianite",
    "Witherite",
    "Rhodochrosite",
)
#: Linear-limit keys besides the tracked constituents: TDS (sum of dissolved constituents).
LINEAR_KEYS = TRACKED + ("TDS",)
#: Dissolved-oxygen limit (mg/L) of a reinjection destination whose standard and case set none:
#: the project's injectate target "DO <= 0.05 mg/L" (reference/treatment_chemistry.md §10,
#: status U).  Override per destination with ``DO_max``.
REINJECTION_DO_MAX_MG_L = 0.05
_DO_DEFAULT_SOURCE = Text.of("case.source.do_default")


@dataclass(frozen=True)
class Station:
    """A gathering station: the water of its wells mixes there (x, y in km)."""

    name: str
    x_km: float
    y_km: float


@dataclass(frozen=True)
class Hub:
    """A shared central plant: stations may pipe water there, where it mixes before treatment."""

    name: str
    x_km: float
    y_km: float
    stations: tuple[str, ...]


@dataclass(frozen=True)
class Well:
    """A producing well; ``rates_m3_d`` is its average rate in each period."""

    name: str
    station: str
    analysis: str
    rates_m3_d: tuple[float, ...]
    row: int
    #: (qi m3/d, Di 1/yr, b, start period) when the rates come from Arps; None when the
    #: production table gives them
    arps: tuple[float, float, float, int] | None = None


@dataclass(frozen=True)
class TrainOption:
    """A candidate train: unit tokens in order (empty = no treatment) and where it may be built."""

    name: str
    units: tuple[str, ...]
    sites: tuple[str, ...] | None  # None: every site


@dataclass(frozen=True)
class Formation:
    """The formation a reinjection destination injects into: its water, temperature, pressure and
    the scale threshold of the compatibility check (:mod:`cbmwater.optimize.injectate`)."""

    name: str
    water: dict[str, float]  # canonical mg/L, pH and temp_C (measured values only)
    water_source: str  # "analyses sample_id ..." or "inline"
    temperature_C: float  # deg C
    pressure_bar: float  # bar
    scale_max_mg_L: float  # fail above this mixing scale (mg per L of mixture)
    scale_max_source: str
    fractions: int  # mixing fractions 0..1 (the review's default 11)
    note: str = ""


@dataclass(frozen=True)
class Destination:
    """Where water can go, with its capacity per period (m3/d) and quality rules."""

    name: str
    kind: str
    x_km: float
    y_km: float
    capacity_m3_d: tuple[float, ...]
    limits_mg_L: dict[str, float]  # linear maxima, canonical keys (and TDS)
    limit_sources: dict[str, str]  # key -> where the limit comes from
    unmodelled: tuple[str, ...]  # standard parameters the model does not track
    price_CNY_m3: float
    fee_CNY_m3: float
    transport: str
    accepts: str
    temperature_C: float
    pH_range: tuple[float, float] | None
    SAR_max: float | None
    SI_max: dict[str, float]
    salt_to_environment: bool
    standard: str | None
    cls: str | None
    dilution: bool = True  # False: every stream must meet the limits by itself
    #: limit keys every stream must meet by itself even where blending is allowed (reinjection:
    #: DO -- oxygen is not diluted by an anoxic water but consumed by its Fe(II))
    per_stream: tuple[str, ...] = ()
    limit_status: dict[str, str] = field(default_factory=dict)  # key -> V/S/U/M/NF or "case"
    formation: Formation | None = None

    def stream_keys(self) -> tuple[str, ...]:
        """Limit keys that each stream must meet on its own (all of them without dilution)."""
        return tuple(self.limits_mg_L) if not self.dilution else self.per_stream

    def unverified_limits(self) -> list[dict]:
        """Limits whose status is not V (verified) and not set by the case file itself."""
        return [
            {
                "constituent": k,
                "limit_mg_L": v,
                "status": self.limit_status.get(k, "?"),
                "source": self.limit_sources.get(k, ""),
            }
            for k, v in self.limits_mg_L.items()
            if self.limit_status.get(k, "?") not in ("V", "case")
        ]

    def takes(self, stream: str) -> bool:
        """Whether this destination accepts ``stream`` ("product" or "residual")."""
        return self.accepts == "any" or self.accepts == stream


@dataclass(frozen=True)
class Transport:
    pipeline_CNY_m3_km: float
    trucking_CNY_m3_km: float
    route_factor: float

    def cost_CNY_m3_km(self, mode: str) -> float:
        return self.pipeline_CNY_m3_km if mode == "pipeline" else self.trucking_CNY_m3_km


@dataclass
class Case:
    """A validated case (see ``docs/optimise_case_format.md``)."""

    path: Path | None
    name: str
    note: str
    periods: int
    period_years: float
    start_year: int
    analyses_path: Path
    stations: list[Station]
    wells: list[Well]
    hubs: list[Hub]
    trains: list[TrainOption]
    destinations: list[Destination]
    transport: Transport
    sizes_m3_d: tuple[float, ...]
    discount_rate: float
    economics_overrides: dict[str, object]
    chemical_prices: dict[str, float]
    budget_CNY: float | None
    generate: dict[str, object] | None
    sha256: str
    warnings: list[str] = field(default_factory=list)
    #: the ``[uncertainty]`` section (docs/uncertainty.md); None when the case has none
    uncertainty: Uncertainty | None = None
    #: the case's name and note in Chinese (``[case] name_zh``, ``note_zh``; "" when not given)
    name_zh: str = ""
    note_zh: str = ""

    @property
    def sites(self) -> list[str]:
        """Where trains can be built: every station, then every hub."""
        return [s.name for s in self.stations] + [h.name for h in self.hubs]

    def station_production(self) -> pd.DataFrame:
        """Produced water per station and period, m3/d (rows: stations, columns: 1..periods)."""
        data = {s.name: np.zeros(self.periods) for s in self.stations}
        for w in self.wells:
            data[w.station] += np.asarray(w.rates_m3_d)
        return pd.DataFrame(data, index=range(1, self.periods + 1)).T

    def location(self, name: str) -> tuple[float, float]:
        for s in self.stations:
            if s.name == name:
                return s.x_km, s.y_km
        for h in self.hubs:
            if h.name == name:
                return h.x_km, h.y_km
        for d in self.destinations:
            if d.name == name:
                return d.x_km, d.y_km
        raise KeyError(name)

    def route_km(self, a: str, b: str) -> float:
        """Route length between two named places: straight line x route factor, km."""
        (xa, ya), (xb, yb) = self.location(a), self.location(b)
        return math.hypot(xa - xb, ya - yb) * self.transport.route_factor


# -- helpers -----------------------------------------------------------------------------------
def _table(ctx: _Ctx, table: str, fld: str, v: object) -> dict[str, Any]:
    """A sub-table (``limits = {...}``) or an error naming file, table, field and type."""
    return validation.check_table(v, validation.at_field(table, fld), file=ctx.file)


def _list(ctx: _Ctx, table: str, fld: str, v: object, of: str | None = None) -> list[Any]:
    """A list (``[[hubs]]``, ``pool = [...]``) or an error naming file, table, field and type."""
    return validation.check_list(v, validation.at_field(table, fld), file=ctx.file, of=of)


def _names_unique(ctx: _Ctx, table: str, names: list[str]) -> None:
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ctx.err(table, "name", Text.of("case.names_unique"), n)
        seen.add(n)


def _read_csv(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(Text.of("error.file_not_found"), file=str(path))
    try:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        from io import StringIO

        df = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(Text.of("case.csv_unreadable", exc=str(exc)), file=str(path)) from None
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            Text.of(
                "case.csv_missing_columns" + ("_optional" if optional else ""),
                missing=", ".join(missing),
                required=", ".join(columns),
                optional=", ".join(optional),
            ),
            file=str(path),
        )
    extra = [c for c in df.columns if c not in columns and c not in optional]
    if extra:
        raise InputError(
            Text.of(
                "case.csv_unknown_columns",
                extra=", ".join(extra),
                allowed=", ".join(columns + list(optional)),
            ),
            file=str(path),
        )
    if df.empty:
        raise InputError(Text.of("case.csv_no_rows"), file=str(path))
    return df


def _cell_num(
    path: Path,
    row: int,
    col: str,
    text: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    integer: bool = False,
) -> float:
    return check_number(
        text,
        col,
        lo=lo,
        hi=hi,
        lo_open=lo_open,
        integer=integer,
        file=str(path),
        row=row,
        text=True,
    )


def _cell_rng(ctx: _Ctx, path: Path, row: int, col: str, text: str, key: str) -> float:
    """A CSV cell within the plausible range ``key`` (:mod:`cbmwater.plausible`); a value
    outside its usual range is kept with a warning in ``ctx.warnings``."""
    return plausible.check(
        key, text, col, file=str(path), row=row, text=True, warnings=ctx.warnings
    )


def _check_train(ctx: _Ctx, table: str, toks: tuple[str, ...]) -> None:
    """Unit ids known and in an order the precedence rules allow."""
    from ..treatment.library import load_library
    from ..treatment.precedence import check_order

    lib = load_library()
    ids = [t.partition(":")[0].strip() for t in toks]
    for uid in ids:
        if uid not in lib.units:
            raise ctx.err(
                table, "units", Text.of("case.unknown_unit", allowed=", ".join(lib.units)), uid
            )
    try:
        check_order(ids, lib)
    except InputError as exc:
        raise ctx.err(table, "units", str(exc), ",".join(toks), message=exc.message) from None


_CKM = "cost_CNY_m3_km"


# -- sections ----------------------------------------------------------------------------------
def _wells(
    ctx: _Ctx,
    base: Path,
    src: dict,
    periods: int,
    period_years: float,
    stations: set[str],
    analyses: set[str],
    allow_outside: bool = False,
) -> list[Well]:
    _keys(ctx, "sources", src, _S["sources"])
    wname = _str(ctx, "sources", "wells", src["wells"])
    wpath = resolve_inside(
        base, wname, file=ctx.file, table="sources", field="wells", allow_outside=allow_outside
    )
    cols = ["well", "station", "analysis", "qi_m3_d", "Di_per_yr", "b"]
    df = _read_csv(wpath, cols, ("start_period",))
    rows: dict[str, dict] = {}
    for i, r in enumerate(df.itertuples(index=False), start=2):
        rec = r._asdict()
        name = rec["well"].strip()
        if not name:
            raise InputError(Text.of("case.well_empty"), file=str(wpath), row=i, column="well")
        if name in rows:
            raise InputError(
                Text.of("case.well_duplicate", first=rows[name]["row"]),
                file=str(wpath),
                row=i,
                column="well",
                value=name,
            )
        st = rec["station"].strip()
        if st not in stations:
            raise InputError(
                Text.of("case.unknown_station", allowed=", ".join(sorted(stations))),
                file=str(wpath),
                row=i,
                column="station",
                value=st,
            )
        an = rec["analysis"].strip()
        if an not in analyses:
            raise InputError(
                Text.of("case.no_analysis", hint=ctx.ids_hint),
                file=str(wpath),
                row=i,
                column="analysis",
                value=an,
            )
        qi = _cell_rng(ctx, wpath, i, "qi_m3_d", rec["qi_m3_d"], "arps_qi_m3_d")
        di = _cell_rng(ctx, wpath, i, "Di_per_yr", rec["Di_per_yr"], "arps_Di_per_yr")
        b = _cell_rng(ctx, wpath, i, "b", rec["b"], "arps_b")
        sp_text = rec.get("start_period", "") or "1"
        sp = int(_cell_num(wpath, i, "start_period", sp_text, lo=1, hi=periods, integer=True))
        rows[name] = {
            "row": i,
            "station": st,
            "analysis": an,
            "rates": arps_period_rates(qi, di, b, periods, period_years, sp),
            "arps": (qi, di, b, sp),
        }
    if "production" in src:
        pname = _str(ctx, "sources", "production", src["production"])
        ppath = resolve_inside(
            base,
            pname,
            file=ctx.file,
            table="sources",
            field="production",
            allow_outside=allow_outside,
        )
        pdf = _read_csv(ppath, ["well", "period", "m3_d"])
        table: dict[str, dict[int, float]] = {}
        for i, r in enumerate(pdf.itertuples(index=False), start=2):
            w = r.well.strip()
            if w not in rows:
                raise InputError(
                    Text.of("case.well_not_in", file=wpath.name),
                    file=str(ppath),
                    row=i,
                    column="well",
                    value=w,
                )
            t = int(_cell_num(ppath, i, "period", r.period, lo=1, hi=periods, integer=True))
            q = _cell_rng(ctx, ppath, i, "m3_d", r.m3_d, "well_flow_m3_d")
            if t in table.setdefault(w, {}):
                raise InputError(
                    Text.of("case.duplicate_well_period"),
                    file=str(ppath),
                    row=i,
                    column="period",
                    value=r.period,
                )
            table[w][t] = q
        for w, per in table.items():
            missing = [t for t in range(1, periods + 1) if t not in per]
            if missing:
                raise InputError(
                    Text.of(
                        "case.well_lacks_periods",
                        well=repr(w),
                        missing=str(missing[:10]),
                        periods=periods,
                    ),
                    file=str(ppath),
                    column="period",
                )
            rows[w]["rates"] = tuple(per[t] for t in range(1, periods + 1))
            rows[w]["arps"] = None
    return [
        Well(
            n, d["station"], d["analysis"], tuple(float(x) for x in d["rates"]), d["row"], d["arps"]
        )
        for n, d in rows.items()
    ]


def _limits_from_standard(
    ctx: _Ctx,
    table: str,
    sid: str,
    cls: str,
) -> tuple[
    str,
    str,
    dict[str, float],
    dict[str, str],
    dict[str, str],
    tuple[str, ...],
    tuple[float, float] | None,
]:
    st = load_standards()
    try:
        sid2, cls2 = st.resolve(sid, cls)
    except InputError as exc:
        raise ctx.err(
            table,
            "standard",
            exc.detail if hasattr(exc, "detail") else str(exc),
            message=exc.message,
        ) from None
    limits: dict[str, float] = {}
    sources: dict[str, str] = {}
    status: dict[str, str] = {}
    unmodelled: list[str] = []
    ph = None
    for lim in st.limits(sid2, cls2):
        p = lim.parameter
        if p == "pH":
            ph = (lim.min if lim.min is not None else 0.0, lim.max if lim.max is not None else 14.0)
            continue
        if p in LINEAR_KEYS and lim.max is not None and lim.unit != "-":
            try:
                f = unit_factor(lim.unit, CONSTITUENTS[p].unit if p in CONSTITUENTS else "mg/L")
            except Exception:  # noqa: BLE001 - a unit we cannot convert: not modelled, reported
                unmodelled.append(p)
                continue
            limits[p] = lim.max * f
            sources[p] = Text.of(
                "case.source.standard",
                sid=sid2,
                klass=cls2,
                clause=lim.clause or Text.of("case.source.table"),
                status=str(lim.status),
            )
            status[p] = str(lim.status)
        else:
            unmodelled.append(p)
    return sid2, cls2, limits, sources, status, tuple(unmodelled), ph


def _formation_water(
    ctx: _Ctx, table: str, spec: object, analyses: AnalysisSet
) -> tuple[dict[str, float], str]:
    """A formation water: a ``sample_id`` of the case's analyses, or inline canonical values."""
    from ..water.analysis import AnalysisSet

    if isinstance(spec, str):
        sid = spec.strip()
        if sid not in analyses.sample_ids:
            raise ctx.err(
                table,
                "water",
                Text.of("case.formation_no_analysis", hint=ctx.ids_hint),
                sid,
            )
        row = analyses.resolved("half").loc[sid]
        src = Text.of("case.source.sample", sid=sid)
    elif isinstance(spec, dict):
        rec: dict[str, object] = {"sample_id": "formation water"}
        for k, v in spec.items():
            if k not in CONSTITUENTS or k == "DO":
                raise ctx.err(
                    table,
                    f"water.{k}",
                    Text.of("case.formation_unknown_constituent"),
                )
            if isinstance(v, bool) or not isinstance(v, (int, float, str)):
                raise ctx.err(table, f"water.{k}", Text.of("case.number_or_dl"), v)
            rec[k] = v
        try:
            aset = AnalysisSet.from_records([rec], source=f"{table} water")
        except InputError as exc:
            raise ctx.err(table, "water", str(exc), message=exc.message) from None
        row = aset.resolved("half").iloc[0]
        src = Text.of("case.source.inline")
    else:
        raise ctx.err(
            table,
            "water",
            Text.of("case.formation_water_kind"),
            spec,
        )
    water = {k: float(v) for k, v in row.items() if not math.isnan(float(v))}
    if "pH" not in water:
        raise ctx.err(table, "water", Text.of("case.formation_no_pH"))
    return water, src


def _formation(
    ctx: _Ctx,
    table: str,
    f: Any,
    dest_temp: float | None,  # f: parsed TOML
    limits: dict[str, float],
    sources: dict[str, str],
    analyses: AnalysisSet,
) -> Formation:
    from ..reinjection.proposal import DEFAULT_FRACTIONS

    t = f"{table} formation"
    _keys(ctx, t, f, _S["destinations formation"])
    water, src = _formation_water(ctx, t, f["water"], analyses)
    temp = (
        None
        if "temperature_C" not in f
        else _rng(ctx, t, "temperature_C", f["temperature_C"], "temperature_C")
    )
    if temp is not None and dest_temp is not None and temp != dest_temp:
        raise ctx.err(
            t,
            "temperature_C",
            Text.of("case.formation_temp_differs", dest=dest_temp),
            temp,
        )
    temp = temp if temp is not None else dest_temp
    if temp is None:
        raise ctx.err(
            t,
            "temperature_C",
            Text.of("case.formation_temp_required"),
        )
    pres = _rng(ctx, t, "pressure_bar", f["pressure_bar"], "pressure_bar")
    if "scale_max_mg_L" in f:
        smax = _rng(ctx, t, "scale_max_mg_L", f["scale_max_mg_L"], "concentration_mg_L")
        ssrc = Text.of("case.source.scale_max")
    elif "TSS" in limits:
        smax = limits["TSS"]
        ssrc = Text.of("case.source.tss_limit", source=sources.get("TSS", ""))
    else:
        raise ctx.err(
            t,
            "scale_max_mg_L",
            Text.of("case.formation_scale_required"),
        )
    nfr = f.get("fractions", DEFAULT_FRACTIONS)
    if isinstance(nfr, bool) or not isinstance(nfr, int):
        raise ctx.err(t, "fractions", Text.of("case.whole_number"), nfr)
    _rng(ctx, t, "fractions", nfr, _range(_S["destinations formation"], "fractions"))
    return Formation(
        _str(ctx, t, "name", f["name"]),
        water,
        src,
        float(temp),
        pres,
        smax,
        ssrc,
        nfr,
        str(f.get("note", "")),
    )


def _destination(
    ctx: _Ctx, i: int, d: dict[str, Any], periods: int, analyses: AnalysisSet
) -> Destination:
    table = f"destinations[{i}]"
    _keys(ctx, table, d, _S["destinations"])
    name = _str(ctx, table, "name", d["name"])
    table = f"destinations[{i}] {name!r}"
    kind = _str(ctx, table, "kind", d["kind"], KINDS)
    x = _rng(ctx, table, "x_km", d["x_km"], "coordinate_km")
    y = _rng(ctx, table, "y_km", d["y_km"], "coordinate_km")
    cap = d["capacity_m3_d"]
    if isinstance(cap, list):
        if len(cap) != periods:
            raise ctx.err(
                table,
                "capacity_m3_d",
                Text.of("case.capacity_per_period", periods=periods, got=len(cap)),
            )
        caps = tuple(
            _rng(ctx, table, f"capacity_m3_d[{j + 1}]", v, "capacity_m3_d")
            for j, v in enumerate(cap)
        )
    else:
        caps = (_rng(ctx, table, "capacity_m3_d", cap, "capacity_m3_d"),) * periods
    limits: dict[str, float] = {}
    sources: dict[str, str] = {}
    status: dict[str, str] = {}
    unmodelled: tuple[str, ...] = ()
    ph = None
    sid = cls = None
    if "standard" in d:
        if "class" not in d:
            raise ctx.err(table, "class", Text.of("case.class_required"))
        sid, cls, limits, sources, status, unmodelled, ph = _limits_from_standard(
            ctx,
            table,
            _str(ctx, table, "standard", d["standard"]),
            _str(ctx, table, "class", str(d["class"])),
        )
    elif "class" in d:
        raise ctx.err(table, "standard", Text.of("case.standard_required"))
    for k, v in _table(ctx, table, "limits", d.get("limits") or {}).items():
        if k not in LINEAR_KEYS:
            raise ctx.err(
                table,
                f"limits.{k}",
                Text.of("case.unknown_limit", allowed=", ".join(LINEAR_KEYS)),
            )
        val = _rng(ctx, table, f"limits.{k}", v, "concentration_mg_L")
        if k not in limits or val < limits[k]:
            limits[k] = val
            sources[k] = Text.of("case.source.explicit")
            status[k] = "case"
    if "DO_max" in d:
        if kind != "reinjection":
            raise ctx.err(
                table,
                "DO_max",
                Text.of("case.do_max_reinjection_only"),
            )
        val = _rng(ctx, table, "DO_max", d["DO_max"], "concentration_mg_L")
        if "DO" not in limits or val < limits["DO"]:
            limits["DO"] = val
            sources["DO"] = Text.of("case.source.do_max")
            status["DO"] = "case"
    if kind == "reinjection" and "DO" not in limits:
        # never silently without an oxic-state limit: the project target, flagged U
        limits["DO"] = REINJECTION_DO_MAX_MG_L
        sources["DO"] = _DO_DEFAULT_SOURCE
        status["DO"] = "U"
    if "pH_range" in d:
        r = d["pH_range"]
        if not (isinstance(r, list) and len(r) == 2):
            raise ctx.err(table, "pH_range", Text.of("case.pH_range_pair"), r)
        lo_, hi_ = (_rng(ctx, table, "pH_range", v, "pH") for v in r)
        if lo_ >= hi_:
            raise ctx.err(table, "pH_range", Text.of("case.pH_range_order"), r)
        ph = (lo_, hi_)
    si = {}
    for k, v in _table(ctx, table, "SI_max", d.get("SI_max") or {}).items():
        if k not in SI_MINERALS:
            raise ctx.err(
                table,
                f"SI_max.{k}",
                Text.of("case.unknown_mineral", allowed=", ".join(SI_MINERALS)),
            )
        si[k] = _rng(ctx, table, f"SI_max.{k}", v, "SI_max")
    accepts_default = "residual" if kind == "residual_disposal" else "product"
    accepts = _str(ctx, table, "accepts", d.get("accepts", accepts_default), ACCEPTS)
    salt_default = kind == "discharge" or (sid is not None and sid.startswith("GB5084"))
    salt = d.get("salt_to_environment", salt_default)
    if not isinstance(salt, bool):
        raise ctx.err(table, "salt_to_environment", Text.of("case.boolean"), salt)
    dil = d.get("dilution", kind != "discharge")
    if not isinstance(dil, bool):
        raise ctx.err(table, "dilution", Text.of("case.boolean"), dil)
    ps = d.get("per_stream_limits", ["DO"] if kind == "reinjection" else [])
    if not isinstance(ps, list) or not all(isinstance(k, str) for k in ps):
        raise ctx.err(table, "per_stream_limits", Text.of("case.per_stream_list"), ps)
    for k in ps:
        if k not in limits:
            raise ctx.err(
                table,
                "per_stream_limits",
                Text.of(
                    "case.per_stream_unknown",
                    allowed=", ".join(limits) or Text.of("case.no_limits"),
                ),
                k,
            )
    temp_given = "temperature_C" in d
    formation = None
    if "formation" in d:
        if kind != "reinjection":
            raise ctx.err(table, "formation", Text.of("case.formation_reinjection_only"))
        formation = _formation(
            ctx,
            table,
            d["formation"],
            _rng(ctx, table, "temperature_C", d["temperature_C"], "temperature_C")
            if temp_given
            else None,
            limits,
            sources,
            analyses,
        )
    temp_default = formation.temperature_C if formation is not None else 25.0
    return Destination(
        name,
        kind,
        x,
        y,
        caps,
        limits,
        sources,
        unmodelled,
        _rng(ctx, table, "price_CNY_m3", d.get("price_CNY_m3", 0.0), "price_CNY_m3"),
        _rng(ctx, table, "fee_CNY_m3", d.get("fee_CNY_m3", 0.0), "price_CNY_m3"),
        _str(ctx, table, "transport", d.get("transport", "pipeline"), TRANSPORT_MODES),
        accepts,
        _rng(ctx, table, "temperature_C", d.get("temperature_C", temp_default), "temperature_C"),
        ph,
        None if "SAR_max" not in d else _rng(ctx, table, "SAR_max", d["SAR_max"], "SAR"),
        si,
        salt,
        sid,
        cls,
        dil,
        tuple(dict.fromkeys(ps)),
        status,
        formation,
    )


@withhold_outside_values
def parse_case(
    data: dict,
    base: Path,
    file: str = "<case>",
    raw: bytes = b"",
    *,
    allow_outside: bool = False,
) -> Case:
    """Validate a parsed ``case.toml`` (``base``: folder the CSV paths are relative to).

    The files it names must be inside ``base`` (no absolute path, ``..`` or symlink; see
    :func:`cbmwater.casefile.resolve_inside`) unless ``allow_outside``.  Messages list the
    analyses file's sample ids only when that file is inside ``base`` (the rule of
    :mod:`cbmwater.casefile`)."""
    from ..water.io import read_analyses

    ctx = _Ctx(file)
    _keys(ctx, "top level", data, _S["top level"])
    c = data["case"]
    _keys(ctx, "case", c, _S["case"])
    periods = int(_rng(ctx, "case", "periods", c["periods"], "periods"))
    if periods != c["periods"]:
        raise ctx.err("case", "periods", Text.of("case.whole_number"), c["periods"])
    period_years = _rng(ctx, "case", "period_years", c.get("period_years", 1.0), "period_years")
    aname = _str(ctx, "case", "analyses", c["analyses"])
    apath = resolve_inside(
        base, aname, file=file, table="case", field="analyses", allow_outside=allow_outside
    )
    if not apath.is_file():
        raise ctx.err(
            "case", "analyses", Text.of("case.file_not_found", path=str(apath)), c["analyses"]
        )
    analyses = read_analyses(apath)
    ids = set(analyses.values.index.astype(str))
    ctx.ids_hint = id_hint(ids, apath, base)

    econ = data.get("economics", {})
    _keys(ctx, "economics", econ, _S["economics"])
    overrides: dict[str, object] = {}
    for k in (
        "electricity_CNY_kWh",
        "life_yr",
        "utilization",
        "labour_CNY_person_yr",
        "sludge_disposal_CNY_t_dry",
    ):
        if k in econ:
            overrides[k] = _rng(ctx, "economics", k, econ[k], _range(_S["economics"], k))
    rate = _rng(ctx, "economics", "discount_rate", econ.get("discount_rate", 0.08), "discount_rate")
    overrides["discount_rate"] = rate
    chem = {}
    for k, v in _table(
        ctx, "economics", "chemicals_CNY_t", econ.get("chemicals_CNY_t") or {}
    ).items():
        chem[str(k)] = _rng(ctx, "economics", f"chemicals_CNY_t.{k}", v, "chemical_price_CNY_t")
    budget = (
        None
        if "budget_CNY" not in econ
        else _rng(ctx, "economics", "budget_CNY", econ["budget_CNY"], "capex_CNY")
    )

    tr = data.get("transport", {})
    _keys(ctx, "transport", tr, _S["transport"])
    transport = Transport(
        _rng(ctx, "transport", "pipeline_CNY_m3_km", tr.get("pipeline_CNY_m3_km", 0.0), _CKM),
        _rng(ctx, "transport", "trucking_CNY_m3_km", tr.get("trucking_CNY_m3_km", 0.0), _CKM),
        _rng(ctx, "transport", "route_factor", tr.get("route_factor", 1.0), "route_factor"),
    )

    if not isinstance(data["stations"], list) or not data["stations"]:
        raise ctx.err("stations", None, Text.of("case.give_one", table="stations"))
    stations = []
    for i, s in enumerate(data["stations"], start=1):
        _keys(ctx, f"stations[{i}]", s, _S["stations"])
        stations.append(
            Station(
                _str(ctx, f"stations[{i}]", "name", s["name"]),
                _rng(ctx, f"stations[{i}]", "x_km", s["x_km"], "coordinate_km"),
                _rng(ctx, f"stations[{i}]", "y_km", s["y_km"], "coordinate_km"),
            )
        )
    hubs = []
    st_names = [s.name for s in stations]
    for i, h in enumerate(_list(ctx, "top level", "hubs", data.get("hubs", [])), start=1):
        t = f"hubs[{i}]"
        _keys(ctx, t, h, _S["hubs"])
        members = h.get("stations", st_names)
        if not isinstance(members, list) or not members:
            raise ctx.err(t, "stations", Text.of("case.station_list"), members)
        for m in members:
            if m not in st_names:
                raise ctx.err(
                    t, "stations", Text.of("case.unknown_station", allowed=", ".join(st_names)), m
                )
        hubs.append(
            Hub(
                _str(ctx, t, "name", h["name"]),
                _rng(ctx, t, "x_km", h["x_km"], "coordinate_km"),
                _rng(ctx, t, "y_km", h["y_km"], "coordinate_km"),
                tuple(members),
            )
        )
    sites = st_names + [h.name for h in hubs]

    wells = _wells(
        ctx, base, data["sources"], periods, period_years, set(st_names), ids, allow_outside
    )
    used = {w.station for w in wells}
    warnings: list[str] = [
        Text.of("case.warn.station_no_wells", station=s) for s in st_names if s not in used
    ]

    b = data.get("build", {})
    _keys(ctx, "build", b, _S["build"])
    sizes_raw = b.get("sizes_m3_d", [250, 500, 1000, 2000, 4000, 8000, 16000])
    if not isinstance(sizes_raw, list) or not sizes_raw:
        raise ctx.err("build", "sizes_m3_d", Text.of("case.sizes_list"), sizes_raw)
    sizes = tuple(
        sorted({_rng(ctx, "build", "sizes_m3_d", v, "plant_size_m3_d") for v in sizes_raw})
    )

    if not isinstance(data["trains"], list) or not data["trains"]:
        raise ctx.err("trains", None, Text.of("case.give_one", table="trains"))
    trains = []
    for i, t in enumerate(data["trains"], start=1):
        tb = f"trains[{i}]"
        _keys(ctx, tb, t, _S["trains"])
        units = t["units"]
        if isinstance(units, str):
            toks = tuple(u.strip() for u in units.split(",")) if units.strip() else ()
        elif isinstance(units, list):
            toks = tuple(str(u).strip() for u in units)
        else:
            raise ctx.err(tb, "units", Text.of("case.units_format"), units)
        if any(not u for u in toks):
            raise ctx.err(tb, "units", Text.of("case.units_empty"), units)
        tsites = t.get("sites")
        if tsites is not None:
            if not isinstance(tsites, list) or not tsites:
                raise ctx.err(tb, "sites", Text.of("case.sites_list"), tsites)
            for s in tsites:
                if s not in sites:
                    raise ctx.err(
                        tb, "sites", Text.of("case.unknown_site", allowed=", ".join(sites)), s
                    )
            tsites = tuple(tsites)
        if toks:
            _check_train(ctx, tb, toks)
        trains.append(TrainOption(_str(ctx, tb, "name", t["name"]), toks, tsites))
    gen = data.get("generate")
    if gen is not None:
        _keys(ctx, "generate", gen, _S["generate"])
        if "pool" in gen:
            _list(ctx, "generate", "pool", gen["pool"], of="string")
        for k in ("max_units", "limit"):
            if k in gen:
                _rng(ctx, "generate", k, gen[k], _range(_S["generate"], k))
                if isinstance(gen[k], float):
                    raise ctx.err("generate", k, Text.of("case.whole_number"), gen[k])
    if not isinstance(data["destinations"], list) or not data["destinations"]:
        raise ctx.err("destinations", None, Text.of("case.give_one", table="destinations"))
    dests = [
        _destination(ctx, i, d, periods, analyses)
        for i, d in enumerate(data["destinations"], start=1)
    ]
    _names_unique(ctx, "stations/hubs", sites)
    _names_unique(ctx, "trains", [t.name for t in trains])
    _names_unique(ctx, "destinations", [d.name for d in dests])
    clash = set(sites) & {d.name for d in dests}
    if clash:
        raise ctx.err(
            "destinations",
            "name",
            Text.of("case.destination_clash"),
            sorted(clash)[0],
        )
    unc = None
    if "uncertainty" in data:
        from ..treatment.economics import load_economics

        unc = parse_uncertainty(
            ctx,
            data["uncertainty"],
            wells=wells,
            stations=stations,
            destinations=dests,
            analyses=analyses,
            electricity_base=float(
                overrides.get("electricity_CNY_kWh", load_economics().electricity_CNY_kWh)  # type: ignore[arg-type]
            ),
        )
    return Case(
        Path(file) if file != "<case>" else None,
        _str(ctx, "case", "name", c["name"]),
        str(c.get("note", "")),
        periods,
        period_years,
        int(_rng(ctx, "case", "start_year", c.get("start_year", 1), "start_year")),
        apath,
        stations,
        wells,
        hubs,
        trains,
        dests,
        transport,
        sizes,
        rate,
        overrides,
        chem,
        budget,
        gen,
        hashlib.sha256(raw).hexdigest(),
        warnings + ctx.warnings,  # + values outside their usual range (plausible.py)
        unc,
        name_zh=str(c.get("name_zh", "")),
        note_zh=str(c.get("note_zh", "")),
    )


def load_case(path: str | Path, *, allow_outside: bool = False) -> Case:
    """Read and validate ``case.toml`` and its tables.

    Parameters
    ----------
    path : str or Path
        The case TOML file; CSV paths inside are relative to its folder.
    allow_outside : bool
        Let the case name files outside its folder (absolute, ``..``, symlinks); off by
        default so a case folder is self-contained (docs/confinement.md).

    Returns
    -------
    Case

    Raises
    ------
    InputError
        Naming the file, table/row and field of the first problem.
    """
    p, raw, data = read_case_toml(path)
    h = hashlib.sha256(raw)
    case = parse_case(data, p.resolve().parent, str(p), raw, allow_outside=allow_outside)
    # the case hash covers the CSV tables too
    for f in sorted(
        {case.analyses_path}
        | {
            p.resolve().parent / str(data["sources"].get(k))
            for k in ("wells", "production")
            if k in data["sources"]
        }
    ):
        h.update(Path(f).read_bytes())
    case.sha256 = h.hexdigest()
    return case
