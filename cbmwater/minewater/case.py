"""A "one mine, one policy" case: discharge points, seasons, source control, destinations.

Format (``case.toml`` + an analyses CSV next to it; errors name the file, table and field)::

    [case]
    name = "..."
    name_zh = "..."                 # optional: name and note in Chinese, shown on 中文 pages
    note_zh = "..."
    analyses = "analyses.csv"       # one sample per discharge (sample_id = the point's analysis)
    horizon_yr = 20                 # evaluation horizon, yr
    discount_rate = 0.08            # 1/yr
    budget_CNY = 4.0e7              # optional cap on capital (CNY of the price year)
    effluent_standard = "GB20426-2006"   # discharge standard every river discharge must meet
    effluent_class = "new_sources"
    active_target_pH = 8.5          # target of the active (PHREEQC titration) options
    acid_load_max_kg_d = 150        # passive options ruled out above this acid load

    [[seasons]]                     # the year in seasons; days sum to 365
    name = "wet"
    name_zh = "丰水期"              # optional: shown on 中文 pages (the name stays the key)
    days = 92

    [[points]]                      # discharge points (adits, seeps, springs)
    name = "Main adit"
    analysis = "DJ-1"
    x_km = 0.0
    y_km = 0.0
    flow_m3_d = { wet = 1200, normal = 700, dry = 350 }
    land_m2 = 15000                 # land available for passive systems (optional)
    destinations = ["Dan River"]    # optional (default: every destination)

    [[source_control]]              # ways to cut a point's flow (plugging, grouting, diversion)
    point = "Main adit"
    name = "adit plug and grout curtain"
    flow_factor = 0.45              # flow left after the measure (0-1)
    capex_CNY = 6.0e6
    opex_CNY_yr = 5.0e4
    note = "provenance"

    [[destinations]]
    name = "Dan River reach"
    kind = "river"                  # river | reuse
    background_flow_m3_d = { wet = 200000, normal = 80000, dry = 30000 }   # river only
    background_mg_L = { SO4 = 120, Fe = 0.1, Mn = 0.05 }                   # river only
    standard = "GB3838-2002"        # optional: a standard + class for the receiving water
    class = "III"
    limits = { SO4 = 250, Fe = 0.3, Mn = 0.1 }   # mg/L (tighter one wins)
    capacity_m3_d = 400             # reuse only
    price_CNY_m3 = 0.8              # reuse only: paid to the owner
    pH_range = [6, 9]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import plausible, validation
from ..casefile import (
    TableContext,
    check_keys,
    id_hint,
    read_case_toml,
    resolve_inside,
    withhold_outside_values,
)
from ..errors import InputError
from ..i18n import Text
from ..schema import MINE_PLAN
from ..standards.table import load_standards

__all__ = [
    "MineCase",
    "Point",
    "SourceControl",
    "MineDestination",
    "Season",
    "load_mine_case",
    "parse_mine_case",
    "LIMIT_KEYS",
]

#: Constituents a mine-water plan tracks, mg/L (plus pH).
LIMIT_KEYS = ("Fe", "Mn", "Al", "SO4", "TSS", "Ca", "Na")


@dataclass(frozen=True)
class Season:
    name: str
    days: float
    #: the name in Chinese (``name_zh``; display only, the name stays the key)
    name_zh: str = ""


@dataclass(frozen=True)
class Point:
    name: str
    analysis: str
    x_km: float
    y_km: float
    flow_m3_d: dict[str, float]
    land_m2: float | None
    destinations: tuple[str, ...] | None


@dataclass(frozen=True)
class SourceControl:
    point: str
    name: str
    flow_factor: float
    capex_CNY: float
    opex_CNY_yr: float
    note: str = ""


@dataclass(frozen=True)
class MineDestination:
    name: str
    kind: str  # river | reuse
    background_flow_m3_d: dict[str, float]
    background_mg_L: dict[str, float]
    limits_mg_L: dict[str, float]
    limit_sources: dict[str, str]
    pH_range: tuple[float, float] | None
    capacity_m3_d: float | None
    price_CNY_m3: float


@dataclass
class MineCase:
    path: Path | None
    name: str
    note: str
    analyses_path: Path
    horizon_yr: float
    discount_rate: float
    budget_CNY: float | None
    effluent_limits: dict[str, float]
    effluent_pH: tuple[float, float] | None
    effluent_source: str
    active_target_pH: float
    acid_load_max_kg_d: float
    seasons: list[Season]
    points: list[Point]
    source_control: list[SourceControl]
    destinations: list[MineDestination]
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    #: the case's name and note in Chinese (``[case] name_zh``, ``note_zh``; "" when not given)
    name_zh: str = ""
    note_zh: str = ""

    def controls_for(self, point: str) -> list[SourceControl]:
        """The point's source-control options, "none" (factor 1, no cost) first."""
        return [SourceControl(point, "none", 1.0, 0.0, 0.0)] + [
            s for s in self.source_control if s.point == point
        ]


def _err(
    file: str,
    table: str,
    fld: str | None,
    msg: str,
    value: object = None,
    message: Any = None,
) -> InputError:
    return TableContext(file).err(table, fld, msg, value, message=message)


def _keys(file: str, table: str, d: Any, section: str) -> None:
    # d: a value of the parsed TOML; check_keys refuses anything but a table
    check_keys(TableContext(file), table, d, MINE_PLAN[section])


def _table(file: str, table: str, fld: str, v: object) -> dict[str, Any]:
    """A sub-table (``limits = {...}``) or an error naming file, table, field and type."""
    return validation.check_table(v, validation.at_field(table, fld), file=file)


def _list(file: str, table: str, fld: str, v: object, of: str | None = None) -> list[Any]:
    """A list (``[[points]]``, ``destinations = [...]``) or an error naming file, table, field
    and type."""
    return validation.check_list(v, validation.at_field(table, fld), file=file, of=of)


def _std_limits(
    file: str,
    table: str,
    sid: object,
    cls: object,
) -> tuple[dict[str, float], dict[str, str], tuple[float, float] | None, str]:
    st = load_standards()
    try:
        sid2, cls2 = st.resolve(str(sid), str(cls))
    except InputError as exc:
        raise _err(
            file, table, "standard", getattr(exc, "detail", str(exc)), message=exc.message
        ) from None
    lim: dict[str, float] = {}
    src: dict[str, str] = {}
    ph: tuple[float, float] | None = None
    for x in st.limits(sid2, cls2):
        if x.parameter == "pH":
            ph = (x.min if x.min is not None else 0.0, x.max if x.max is not None else 14.0)
        elif x.parameter in LIMIT_KEYS and x.max is not None and x.unit == "mg/L":
            lim[x.parameter] = x.max
            src[x.parameter] = Text.of(
                "case.source.standard",
                sid=sid2,
                klass=cls2,
                clause=str(x.clause),
                status=str(x.status),
            )
    return lim, src, ph, f"{sid2} {cls2}"


@withhold_outside_values
def parse_mine_case(
    data: dict,
    base: Path,
    file: str = "<case>",
    raw: bytes = b"",
    *,
    allow_outside: bool = False,
) -> MineCase:
    """Validate a parsed mine-water ``case.toml``.

    ``[case] analyses`` must be inside ``base`` (no absolute path, ``..`` or symlink; see
    :func:`cbmwater.casefile.resolve_inside`) unless ``allow_outside``.  An unknown point
    analysis lists the file's sample ids only when the file is inside ``base`` (the rule of
    :mod:`cbmwater.casefile`)."""
    from ..water.io import read_analyses

    _keys(file, "top level", data, "top level")
    c = data["case"]
    warns: list[str] = []  # values outside their usual range (cbmwater.plausible)

    def rng(table: str, fld: str, v: object, key: str) -> float:
        return plausible.check(key, v, fld, file=file, table=table, warnings=warns)

    _keys(file, "case", c, "case")
    if not isinstance(c["analyses"], str) or not c["analyses"].strip():
        raise _err(file, "case", "analyses", Text.of("case.non_empty_text"), c["analyses"])
    apath = resolve_inside(
        base, c["analyses"], file=file, table="case", field="analyses", allow_outside=allow_outside
    )
    if not apath.is_file():
        raise _err(
            file, "case", "analyses", Text.of("case.file_not_found", path=str(apath)), c["analyses"]
        )
    ids = set(read_analyses(apath, require_pH=True).values.index.astype(str))
    ids_hint = id_hint(ids, apath, base, limit=None)
    seasons = []
    for i, s in enumerate(_list(file, "top level", "seasons", data["seasons"]), 1):
        _keys(file, f"seasons[{i}]", s, "seasons")
        seasons.append(
            Season(
                str(s["name"]),
                rng(f"seasons[{i}]", "days", s["days"], "season_days"),
                str(s.get("name_zh", "")),
            )
        )
    if abs(sum(s.days for s in seasons) - 365) > 1.0:
        raise _err(
            file,
            "seasons",
            "days",
            Text.of("mine.case.seasons_sum", got=sum(s.days for s in seasons)),
        )
    names = [s.name for s in seasons]
    if len(set(names)) != len(names):
        raise _err(file, "seasons", "name", Text.of("mine.case.season_names_unique"))

    def per_season(table: str, fld: str, v: object, key: str) -> dict[str, float]:
        if not isinstance(v, dict) or set(v) != set(names):
            raise _err(
                file, table, fld, Text.of("mine.case.per_season", seasons=", ".join(names)), v
            )
        return {k: rng(table, f"{fld}.{k}", x, key) for k, x in v.items()}

    dests = []
    for i, d in enumerate(_list(file, "top level", "destinations", data["destinations"]), 1):
        t = f"destinations[{i}]"
        _keys(file, t, d, "destinations")
        kind = str(d["kind"])
        if kind not in ("river", "reuse"):
            raise _err(
                file, t, "kind", Text.of("case.allowed_values", allowed="river, reuse"), kind
            )
        lim: dict[str, float] = {}
        src: dict[str, str] = {}
        ph: tuple[float, float] | None = None
        if "standard" in d:
            lim, src, ph, _ = _std_limits(file, t, d["standard"], d.get("class", ""))
        for k, v in _table(file, t, "limits", d.get("limits") or {}).items():
            if k not in LIMIT_KEYS:
                raise _err(
                    file,
                    t,
                    f"limits.{k}",
                    Text.of("mine.case.allowed", allowed=", ".join(LIMIT_KEYS)),
                )
            x = rng(t, f"limits.{k}", v, "concentration_mg_L")
            if k not in lim or x < lim[k]:
                lim[k], src[k] = x, Text.of("case.source.explicit")
        if "pH_range" in d:
            r = d["pH_range"]
            if not (isinstance(r, list) and len(r) == 2):
                raise _err(file, t, "pH_range", Text.of("case.pH_range_pair"), r)
            ph = (rng(t, "pH_range", r[0], "pH"), rng(t, "pH_range", r[1], "pH"))
        if kind == "river":
            for k in ("background_flow_m3_d",):
                if k not in d:
                    raise _err(file, t, k, Text.of("mine.case.required_river"))
            bq = per_season(t, "background_flow_m3_d", d["background_flow_m3_d"], "river_flow_m3_d")
            bc = {
                k: rng(t, f"background_mg_L.{k}", v, "concentration_mg_L")
                for k, v in _table(
                    file, t, "background_mg_L", d.get("background_mg_L") or {}
                ).items()
            }
            for k in bc:
                if k not in LIMIT_KEYS:
                    raise _err(
                        file,
                        t,
                        f"background_mg_L.{k}",
                        Text.of("mine.case.allowed", allowed=", ".join(LIMIT_KEYS)),
                    )
            missing = [k for k in lim if k not in bc]
            if missing:
                raise _err(
                    file,
                    t,
                    "background_mg_L",
                    Text.of("mine.case.background_missing", missing=", ".join(missing)),
                )
            cap, price = None, 0.0
        else:
            bq, bc = {}, {}
            if "capacity_m3_d" not in d:
                raise _err(file, t, "capacity_m3_d", Text.of("mine.case.required_reuse"))
            cap = rng(t, "capacity_m3_d", d["capacity_m3_d"], "capacity_m3_d")
            price = rng(t, "price_CNY_m3", d.get("price_CNY_m3", 0.0), "price_CNY_m3")
        dests.append(MineDestination(str(d["name"]), kind, bq, bc, lim, src, ph, cap, price))
    dnames = [d.name for d in dests]
    validation.check_unique(dnames, validation.at_field("destinations", "name"), file=file)
    points = []
    for i, p in enumerate(_list(file, "top level", "points", data["points"]), 1):
        t = f"points[{i}]"
        _keys(file, t, p, "points")
        if str(p["analysis"]) not in ids:
            raise _err(
                file,
                t,
                "analysis",
                Text.of("mine.case.no_sample", file=apath.name, hint=ids_hint),
                p["analysis"],
            )
        pd_ = p.get("destinations")
        if pd_ is not None:
            for x in _list(file, t, "destinations", pd_, of="string"):
                if x not in dnames:
                    raise _err(
                        file,
                        t,
                        "destinations",
                        Text.of("mine.case.unknown_destination", allowed=", ".join(dnames)),
                        x,
                    )
        points.append(
            Point(
                str(p["name"]),
                str(p["analysis"]),
                rng(t, "x_km", p.get("x_km", 0.0), "coordinate_km"),
                rng(t, "y_km", p.get("y_km", 0.0), "coordinate_km"),
                per_season(t, "flow_m3_d", p["flow_m3_d"], "flow_m3_d"),
                None if "land_m2" not in p else rng(t, "land_m2", p["land_m2"], "land_m2"),
                None if pd_ is None else tuple(pd_),
            )
        )
    pnames = [p.name for p in points]
    if len(set(pnames)) != len(pnames):
        raise _err(file, "points", "name", Text.of("mine.case.point_names_unique"))
    sc = []
    for i, s in enumerate(
        _list(file, "top level", "source_control", data.get("source_control", [])), 1
    ):
        t = f"source_control[{i}]"
        _keys(file, t, s, "source_control")
        if s["point"] not in pnames:
            raise _err(
                file,
                t,
                "point",
                Text.of("mine.case.unknown_point", allowed=", ".join(pnames)),
                s["point"],
            )
        if str(s["name"]) == "none":
            raise _err(file, t, "name", Text.of("mine.case.none_reserved"))
        sc.append(
            SourceControl(
                str(s["point"]),
                str(s["name"]),
                rng(t, "flow_factor", s["flow_factor"], "flow_factor"),
                rng(t, "capex_CNY", s["capex_CNY"], "capex_CNY"),
                rng(t, "opex_CNY_yr", s.get("opex_CNY_yr", 0.0), "opex_CNY_yr"),
                str(s.get("note", "")),
            )
        )
    validation.check_unique(
        [f"{s.point}/{s.name}" for s in sc],
        Text.of("mine.case.point_name_fields"),
        file=file,
    )
    eff_lim: dict[str, float] = {}
    _src: dict[str, str] = {}
    eff_ph: tuple[float, float] | None = None
    eff_source = "none"
    if "effluent_standard" in c:
        eff_lim, _src, eff_ph, eff_source = _std_limits(
            file, "case", c["effluent_standard"], c.get("effluent_class", "")
        )
    return MineCase(
        Path(file) if file != "<case>" else None,
        str(c["name"]),
        str(c.get("note", "")),
        apath,
        rng("case", "horizon_yr", c.get("horizon_yr", 20), "horizon_yr"),
        rng("case", "discount_rate", c.get("discount_rate", 0.08), "discount_rate"),
        None if "budget_CNY" not in c else rng("case", "budget_CNY", c["budget_CNY"], "capex_CNY"),
        eff_lim,
        eff_ph,
        eff_source,
        rng("case", "active_target_pH", c.get("active_target_pH", 8.5), "target_pH_active"),
        rng("case", "acid_load_max_kg_d", c.get("acid_load_max_kg_d", 150.0), "acid_load_kg_d"),
        seasons,
        points,
        sc,
        dests,
        hashlib.sha256(raw).hexdigest(),
        warns,
        name_zh=str(c.get("name_zh", "")),
        note_zh=str(c.get("note_zh", "")),
    )


def load_mine_case(path: str | Path, *, allow_outside: bool = False) -> MineCase:
    """Read and validate a mine-water ``case.toml`` (see the module docstring); with
    ``allow_outside`` its analyses file may lie outside its folder (docs/confinement.md)."""
    p, raw, data = read_case_toml(path)
    case = parse_mine_case(data, p.resolve().parent, str(p), raw, allow_outside=allow_outside)
    h = hashlib.sha256(raw)
    h.update(case.analyses_path.read_bytes())
    case.sha256 = h.hexdigest()
    return case
