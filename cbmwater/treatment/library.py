"""The unit-process library: ``cbmwater/databases/treatment/units.toml`` loaded and validated.

Every unit carries its water recovery, removal fractions, energy, chemical doses, a capital-cost
curve ``A (Q / Q_ref)^B`` with currency, price year, valid flow range and the policy below that
range (``below_min``), O&M factors, the disposal class of a solid residual, and a source for
every number (``sources`` table; ``"assumption: <reason>"`` where no published value
was found).  The loader refuses a file that breaks any of these rules, naming the file, the unit
and the field.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DatabaseError, InputError, LocatedDatabaseError
from ..i18n import Message, Text, joined
from ..validation import check_number
from ..water.vocabulary import CONSTITUENTS
from .datafiles import TREATMENT_DATA_DIR
from .economics import DISPOSAL_CLASSES

__all__ = [
    "LIBRARY_DIR",
    "UnitSpec",
    "CapitalCurve",
    "ChemicalDose",
    "UnitLibrary",
    "load_library",
    "MODELS",
    "CATEGORIES",
    "MEMBRANE_CO2_POLICIES",
    "CONCENTRATE_MODELS",
    "RESIDUALS",
    "REMOVABLE",
    "BELOW_MIN",
    "SOLID_RESIDUALS",
]

LIBRARY_DIR = TREATMENT_DATA_DIR

#: How a unit is simulated (see cbmwater.treatment.models).
MODELS: tuple[str, ...] = (
    "zero_order",
    "lime_softening",
    "lime_soda_softening",
    "ph_adjustment",
    "oxidation",
    "membrane",
    "thermal",
    "evaporation_pond",
    "degassing",
    "remineralisation",
    "coagulation",
)
CATEGORIES: tuple[str, ...] = (
    "oxidation",
    "particle",
    "filtration",
    "membrane",
    "softening",
    "ion_exchange",
    "sorption",
    "chemical",
    "stripping",
    "thermal",
    "disposal",
    "disinfection",
)
#: Carbonate policies of a membrane concentrate (treatment.chemistry.concentrate_limit).
MEMBRANE_CO2_POLICIES = ("feed_pco2", "closed")
#: How a membrane concentrate is computed: every ion x 1/(1 - r) (FilmTec) or ion by ion.
CONCENTRATE_MODELS = ("full_rejection", "rejection")
#: What leaves a unit besides the product: a liquid reject (brine), backwash water carrying what
#: the unit held back, a sludge, spent media, a gas, none.
RESIDUALS: tuple[str, ...] = ("brine", "backwash", "sludge", "spent_media", "gas", "none")
#: Constituents a removal fraction may name (dissolved analytes, TSS and COD).
REMOVABLE = tuple(
    n
    for n, c in CONSTITUENTS.items()
    if c.kind in ("cation", "anion", "neutral") and n not in ("Fe2", "Fe3")
) + ("DO", "TSS", "COD")
_REQUIRED_SOURCES = ("recovery", "removal", "energy", "capital", "om")
#: What a capital curve does below ``Q_min_m3_d``: ``floor`` -- capital stays at its value at
#: Q_min (the smallest plant the curve describes); ``extrapolate`` -- the power law is followed
#: down.  Either way the costing says so in its warnings.
BELOW_MIN = ("floor", "extrapolate")
#: Residual kinds that leave as solids and so need a ``disposal_class``
#: (economics.DISPOSAL_CLASSES).
SOLID_RESIDUALS = ("sludge", "spent_media")


@dataclass(frozen=True)
class CapitalCurve:
    """Capital cost ``A (Q / Q_ref)^B`` in ``currency`` of ``year``, valid for Q_min..Q_max m3/d.

    ``installation_factor`` turns equipment cost into installed cost (1 when A is already an
    installed cost).  ``below_min`` (one of :data:`BELOW_MIN`) says what happens below Q_min:
    ``"floor"`` keeps the capital at Q_min, ``"extrapolate"`` follows the power law (the default
    for curves built in code; units.toml must state it).
    """

    A: float
    B: float
    Q_ref_m3_d: float
    currency: str
    year: int
    Q_min_m3_d: float
    Q_max_m3_d: float
    installation_factor: float = 1.0
    below_min: str = "extrapolate"


@dataclass(frozen=True)
class ChemicalDose:
    """A reagent dose: fixed mg/L of feed, and/or mg per mg of a constituent removed."""

    chemical: str
    dose_mg_L: float = 0.0
    per_mg_removed: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitSpec:
    """One unit process of the library (see the module docstring)."""

    id: str
    name_en: str
    name_zh: str
    category: str
    model: str
    residual: str
    recovery: float
    removal: dict[str, float]
    energy_kWh_m3: float
    energy_kWh_m3_per_g_L_TDS: float
    chemicals: tuple[ChemicalDose, ...]
    capital: CapitalCurve
    maintenance_frac_capex_yr: float
    replacement_CNY_m3: float
    labour_persons: float
    sludge_solids_frac: float
    params: dict[str, Any]  # the unit's [params] table as parsed TOML (mixed types)
    sources: dict[str, str]
    #: disposal class of a solid residual (economics.DISPOSAL_CLASSES); "" for other residuals
    disposal_class: str = ""

    def removal_of(self, name: str) -> float:
        """Fraction of the inlet mass of ``name`` that leaves with the residual (0..1).

        ``default`` applies to dissolved solids, TSS and COD, not to dissolved oxygen (a gas
        that no separation rejects): DO is removed only by a unit that names it.
        """
        if name == "DO":
            return self.removal.get("DO", 0.0)
        return self.removal.get(name, self.removal.get("default", 0.0))


@dataclass(frozen=True)
class UnitLibrary:
    """All units by id, with the file they came from."""

    units: dict[str, UnitSpec]
    path: Path

    def __getitem__(self, unit_id: str) -> UnitSpec:
        try:
            return self.units[unit_id]
        except KeyError:
            close = difflib.get_close_matches(unit_id, list(self.units), n=3, cutoff=0.5)
            hint = (
                Message("error.did_you_mean", {"names": joined([repr(c) for c in close], "or")})
                if close
                else ""
            )
            raise InputError(
                Text.of(
                    "treatment.unknown_unit",
                    unit=repr(unit_id),
                    hint=hint,
                    known=", ".join(sorted(self.units)),
                )
            ) from None

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def __iter__(self) -> Iterator[UnitSpec]:
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)


def _fail(path: Path, unit: str | None, fld: str, what: str, **params: Any) -> DatabaseError:
    """The error of a unit library that breaks a rule: ``"<file>, unit 'u', field 'f': <what>"``,
    ``what`` the message ``treatment.error.library.<what>`` with ``params``."""
    msg = Message(f"treatment.error.library.{what}", params)
    if unit:
        return DatabaseError(
            Text.of(
                "treatment.error.library.at_unit_field",
                file=str(path),
                unit=repr(unit),
                field=repr(fld),
                what=msg,
            )
        )
    return DatabaseError(
        Text.of("treatment.error.library.at_field", file=str(path), field=repr(fld), what=msg)
    )


def _num(
    path: Path,
    uid: str,
    name: str,
    value: object,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
) -> float:
    return check_number(
        value,
        name,
        lo=lo,
        hi=hi,
        lo_open=lo_open,
        file=str(path),
        table=f"unit {uid!r}",
        error=LocatedDatabaseError,
    )


def _parse_unit(
    path: Path,
    uid: str,
    d: dict[str, Any],
    known_currencies: set[str],
    known_years: set[int],
    known_chemicals: set[str],
) -> UnitSpec:
    allowed = {
        "name_en",
        "name_zh",
        "category",
        "model",
        "residual",
        "recovery",
        "removal",
        "energy_kWh_m3",
        "energy_kWh_m3_per_g_L_TDS",
        "chemicals",
        "capital",
        "om",
        "sludge_solids_frac",
        "disposal_class",
        "params",
        "sources",
    }
    extra = set(d) - allowed
    if extra:
        raise _fail(path, uid, sorted(extra)[0], "unknown_field", allowed=joined(sorted(allowed)))
    for key in (
        "name_en",
        "name_zh",
        "category",
        "model",
        "residual",
        "recovery",
        "capital",
        "om",
        "sources",
    ):
        if key not in d:
            raise _fail(path, uid, key, "missing")
    for key, choices in (("category", CATEGORIES), ("model", MODELS), ("residual", RESIDUALS)):
        if d[key] not in choices:
            raise _fail(
                path, uid, key, "not_one_of", value=repr(d[key]), allowed=joined(list(choices))
            )
    recovery = _num(path, uid, "recovery", d["recovery"], 0.0, 1.0, lo_open=True)
    removal: dict[str, float] = {}
    for k, v in d.get("removal", {}).items():
        if k != "default" and k not in REMOVABLE:
            close = difflib.get_close_matches(k, REMOVABLE, n=1)
            if close:
                raise _fail(path, uid, f"removal.{k}", "not_removable_hint", name=repr(close[0]))
            raise _fail(path, uid, f"removal.{k}", "not_removable")
        removal[k] = _num(path, uid, f"removal.{k}", v, 0.0, 1.0)
    if recovery == 1.0 and any(v > 0 for v in removal.values()) and d["residual"] == "brine":
        raise _fail(path, uid, "recovery", "brine_recovery")
    if recovery < 1.0 and d["residual"] == "none":
        raise _fail(path, uid, "residual", "none_residual")
    if d["model"] == "membrane":  # cbmwater.treatment.models._membrane_step
        mp = d.get("params", {})
        for key, choices in (
            ("co2_policy", MEMBRANE_CO2_POLICIES),
            ("concentrate_model", CONCENTRATE_MODELS),
        ):
            if key in mp and mp[key] not in choices:
                raise _fail(
                    path,
                    uid,
                    f"params.{key}",
                    "not_one_of",
                    value=repr(mp[key]),
                    allowed=joined(list(choices)),
                )
        if "borate_rejection" in mp:
            _num(path, uid, "params.borate_rejection", mp["borate_rejection"], 0.0, 1.0)
        if "ammonia_passes" in mp and not isinstance(mp["ammonia_passes"], bool):
            raise _fail(path, uid, "params.ammonia_passes", "not_bool")
    if d["model"] == "thermal":  # cbmwater.treatment.thermal: removal derived, not tabulated
        tp = d.get("params", {})
        if d["residual"] not in ("brine", "sludge") or recovery >= 1.0:
            raise _fail(path, uid, "residual", "thermal_residual")
        if removal:
            raise _fail(path, uid, "removal", "thermal_removal")
        _num(path, uid, "params.entrainment", tp.get("entrainment"), 0.0, 0.1)
        if d["residual"] == "sludge":
            _num(
                path,
                uid,
                "params.mother_liquor_tds_mg_L",
                tp.get("mother_liquor_tds_mg_L"),
                0.0,
                1e6,
                lo_open=True,
            )
    chems = []
    for name, c in d.get("chemicals", {}).items():
        if name not in known_chemicals:
            raise _fail(
                path,
                uid,
                f"chemicals.{name}",
                "unknown_chemical",
                known=joined(sorted(known_chemicals)),
            )
        per = {}
        for k, v in c.get("per_mg_removed", {}).items():
            if k not in REMOVABLE:
                raise _fail(
                    path, uid, f"chemicals.{name}.per_mg_removed.{k}", "unknown_constituent"
                )
            per[k] = _num(path, uid, f"chemicals.{name}.per_mg_removed.{k}", v, 0.0)
        chems.append(
            ChemicalDose(
                name,
                _num(path, uid, f"chemicals.{name}.dose_mg_L", c.get("dose_mg_L", 0.0), 0.0),
                per,
            )
        )
    cap = d["capital"]
    for key in ("A", "B", "Q_ref_m3_d", "currency", "year", "Q_min_m3_d", "Q_max_m3_d"):
        if key not in cap:
            raise _fail(path, uid, f"capital.{key}", "missing")
    cap_fields = [
        "A",
        "B",
        "Q_ref_m3_d",
        "currency",
        "year",
        "Q_min_m3_d",
        "Q_max_m3_d",
        "installation_factor",
        "below_min",
    ]
    cap_extra = set(cap) - set(cap_fields)
    if cap_extra:
        raise _fail(
            path,
            uid,
            f"capital.{sorted(cap_extra)[0]}",
            "unknown_field",
            allowed=joined(cap_fields),
        )
    if cap["currency"] not in known_currencies:
        raise _fail(path, uid, "capital.currency", "no_fx", currency=repr(cap["currency"]))
    if int(cap["year"]) not in known_years:
        raise _fail(path, uid, "capital.year", "no_cost_index", year=cap["year"])
    curve = CapitalCurve(
        A=_num(path, uid, "capital.A", cap["A"], 0.0, lo_open=True),
        B=_num(path, uid, "capital.B", cap["B"], 0.0, 1.5, lo_open=True),
        Q_ref_m3_d=_num(path, uid, "capital.Q_ref_m3_d", cap["Q_ref_m3_d"], 0.0, lo_open=True),
        currency=cap["currency"],
        year=int(cap["year"]),
        Q_min_m3_d=_num(path, uid, "capital.Q_min_m3_d", cap["Q_min_m3_d"], 0.0, lo_open=True),
        Q_max_m3_d=_num(path, uid, "capital.Q_max_m3_d", cap["Q_max_m3_d"], 0.0, lo_open=True),
        installation_factor=_num(
            path, uid, "capital.installation_factor", cap.get("installation_factor", 1.0), 1.0, 5.0
        ),
        below_min=str(cap.get("below_min", "")),
    )
    if curve.Q_min_m3_d >= curve.Q_max_m3_d:
        raise _fail(path, uid, "capital.Q_min_m3_d", "q_min")
    if "below_min" not in cap:
        raise _fail(
            path, uid, "capital.below_min", "below_min_missing", allowed=joined(list(BELOW_MIN))
        )
    if cap["below_min"] not in BELOW_MIN:
        raise _fail(
            path,
            uid,
            "capital.below_min",
            "not_one_of",
            value=repr(cap["below_min"]),
            allowed=joined(list(BELOW_MIN)),
        )
    om = d["om"]
    sources = d["sources"]
    if not isinstance(sources, dict):
        raise _fail(path, uid, "sources", "not_table")
    needed = list(_REQUIRED_SOURCES) + [f"chemicals.{c.chemical}" for c in chems]
    if d.get("params"):
        needed += [f"params.{k}" for k in d["params"]]
    if "sludge_solids_frac" in d:
        needed.append("sludge_solids_frac")
    disposal_class = d.get("disposal_class", "")
    if d["residual"] in SOLID_RESIDUALS:
        if "disposal_class" not in d:
            raise _fail(
                path,
                uid,
                "disposal_class",
                "disposal_missing",
                residual=d["residual"],
                allowed=joined(list(DISPOSAL_CLASSES)),
            )
        if disposal_class not in DISPOSAL_CLASSES:
            raise _fail(
                path,
                uid,
                "disposal_class",
                "not_one_of",
                value=repr(disposal_class),
                allowed=joined(list(DISPOSAL_CLASSES)),
            )
        if DISPOSAL_CLASSES[disposal_class][1] == "as_delivered" and not d.get(
            "sludge_solids_frac"
        ):
            raise _fail(
                path, uid, "disposal_class", "as_delivered", disposal_class=repr(disposal_class)
            )
        needed.append("disposal_class")
    elif "disposal_class" in d:
        raise _fail(
            path,
            uid,
            "disposal_class",
            "disposal_not_solid",
            solids=joined(list(SOLID_RESIDUALS)),
            residual=repr(d["residual"]),
        )
    for key in needed:
        text = sources.get(key)
        if not isinstance(text, str) or len(text.strip()) < 8:
            raise _fail(path, uid, f"sources.{key}", "source_needed")
        if (
            text.strip().lower().startswith("assumption")
            and len(text.split(":", 1)[-1].strip()) < 8
        ):
            raise _fail(path, uid, f"sources.{key}", "assumption_reason")
    residual = d["residual"]
    solids = d.get("sludge_solids_frac", 0.0)
    if residual == "sludge" and "sludge_solids_frac" not in d:
        raise _fail(path, uid, "sludge_solids_frac", "sludge_solids")
    return UnitSpec(
        id=uid,
        name_en=str(d["name_en"]),
        name_zh=str(d["name_zh"]),
        category=d["category"],
        model=d["model"],
        residual=residual,
        recovery=recovery,
        removal=removal,
        energy_kWh_m3=_num(path, uid, "energy_kWh_m3", d.get("energy_kWh_m3", 0.0), 0.0, 200.0),
        energy_kWh_m3_per_g_L_TDS=_num(
            path,
            uid,
            "energy_kWh_m3_per_g_L_TDS",
            d.get("energy_kWh_m3_per_g_L_TDS", 0.0),
            0.0,
            50.0,
        ),
        chemicals=tuple(chems),
        capital=curve,
        maintenance_frac_capex_yr=_num(
            path,
            uid,
            "om.maintenance_frac_capex_yr",
            om.get("maintenance_frac_capex_yr", 0.0),
            0.0,
            0.5,
        ),
        replacement_CNY_m3=_num(
            path, uid, "om.replacement_CNY_m3", om.get("replacement_CNY_m3", 0.0), 0.0, 100.0
        ),
        labour_persons=_num(
            path, uid, "om.labour_persons", om.get("labour_persons", 0.0), 0.0, 50.0
        ),
        sludge_solids_frac=_num(path, uid, "sludge_solids_frac", solids, 0.0, 1.0),
        params=dict(d.get("params", {})),
        sources={k: str(v) for k, v in sources.items()},
        disposal_class=str(disposal_class),
    )


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> UnitLibrary:
    from .economics import load_economics  # same folder; economics has no library import

    econ = load_economics(path.parent / "economics.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatabaseError(
            Text.of("treatment.error.library.cannot_read", file=str(path), reason=str(exc))
        ) from None
    units_tbl = data.get("units")
    if not isinstance(units_tbl, dict) or not units_tbl:
        raise _fail(path, None, "units", "no_units")
    units = {
        uid: _parse_unit(
            path, uid, d, set(econ.fx_to_CNY), set(econ.cost_index), set(econ.chemicals)
        )
        for uid, d in units_tbl.items()
    }
    return UnitLibrary(units, path)


def load_library(path: str | Path | None = None) -> UnitLibrary:
    """Load and validate the unit library (cached until the file changes).

    Raises
    ------
    DatabaseError
        Naming the file, unit and field of the first problem.
    """
    p = Path(path) if path is not None else LIBRARY_DIR / "units.toml"
    if not p.is_file():
        raise DatabaseError(Text.of("treatment.error.library.not_found", file=str(p)))
    return _load(p.resolve(), p.stat().st_mtime)
