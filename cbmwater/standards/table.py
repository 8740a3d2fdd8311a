"""The standards table: ``cbmwater/databases/standards.csv`` loaded, validated and looked up.

One row of the table is one limit: a (standard, class or use, parameter) with a lower bound
``min``, an upper bound ``max`` or both, its unit, the clause of the standard it comes from, and
the confidence mark of the project references (``status``):

====== ====================================================================================
status meaning
====== ====================================================================================
V      verified: the value appears in a source that was read (``verified`` is true)
S      secondary: a third-party transcription of the standard, not checked against the
       official text
U      unverified: background knowledge, no source found — confirm before regulatory use
M      commonly cited, primary source not checked
NF     not found: no value — such items are not rows of the table (a limit needs a number);
       they are listed in ``cbmwater/databases/standards_README.md``
====== ====================================================================================

``verified`` is true exactly when ``status`` is V, so an S, U or M number can never be presented
as verified.

Parameters are the canonical constituent names of :mod:`cbmwater.water.vocabulary` (``F``,
``NH4_N``, ``TDS`` ...), the derived quantities cbmwater computes from an analysis
(:data:`DERIVED_PARAMETERS`: ``SAR``, ``hardness_CaCO3`` ...), and a documented list of other
parameters that standards limit but a cbmwater analysis file does not carry
(:data:`EXTRA_PARAMETERS`: ``Hg``, ``BOD5``, ``fecal_coliform``, ``EC_uS_cm`` ...).  Each
parameter has the unit its *values* are given in; a limit may be written in another unit of the
same kind (µg/L for a mg/L parameter, dS/m for EC in µS/cm) and is compared after conversion.

The loader refuses a bad file and names the file, the row (as a spreadsheet shows it: the header
is row 1) and the column.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import InputError, LocatedDatabaseError
from ..i18n import Message, Text, joined
from ..resources import data_path
from ..water.vocabulary import CONSTITUENTS

__all__ = [
    "STANDARDS_CSV",
    "COLUMNS",
    "STATUSES",
    "UNITS",
    "DERIVED_PARAMETERS",
    "EXTRA_PARAMETERS",
    "PARAMETERS",
    "Parameter",
    "Limit",
    "StandardsTable",
    "StandardsError",
    "load_standards",
    "unit_factor",
]

#: The shipped table.
STANDARDS_CSV = data_path("standards.csv")

#: Columns of the table, in file order.  ``note`` and ``applies_to`` may be blank; every other
#: column except one of ``min``/``max`` must be filled.
COLUMNS: tuple[str, ...] = (
    "standard_id",
    "standard_name",
    "class",
    "parameter",
    "min",
    "max",
    "unit",
    "clause",
    "verified",
    "status",
    "applies_to",
    "source",
    "note",
)
_REQUIRED_TEXT = (
    "standard_id",
    "standard_name",
    "class",
    "parameter",
    "unit",
    "clause",
    "verified",
    "status",
    "source",
)

#: Confidence marks of the project references (docs/references.md).
STATUSES: tuple[str, ...] = ("V", "S", "U", "M", "NF")

#: Known units: unit -> (kind, factor to the base unit of the kind).  Values are compared only
#: within one kind.  Organism counts are compared per litre whether the method reports MPN,
#: CFU, cells or a direct count.
UNITS: dict[str, tuple[str, float]] = {
    "mg/L": ("concentration", 1.0),
    "µg/L": ("concentration", 1e-3),
    "ng/L": ("concentration", 1e-6),
    "g/L": ("concentration", 1e3),
    "mg/L CaCO3": ("as CaCO3", 1.0),
    "-": ("dimensionless", 1.0),
    "µS/cm": ("conductivity", 1.0),
    "mS/cm": ("conductivity", 1e3),
    "dS/m": ("conductivity", 1e3),
    "deg C": ("temperature", 1.0),
    "mV": ("redox potential", 1.0),
    "NTU": ("turbidity", 1.0),
    "PCU": ("colour", 1.0),
    "dilution": ("dilution factor", 1.0),
    "Bq/L": ("radioactivity", 1.0),
    "count/L": ("organisms", 1.0),
    "MPN/L": ("organisms", 1.0),
    "MPN/100mL": ("organisms", 10.0),
    "CFU/100mL": ("organisms", 10.0),
    "CFU/mL": ("organisms", 1e3),
    "cells/mL": ("organisms", 1e3),
    "eggs/10L": ("organisms", 0.1),
    "mm/a": ("rate", 1.0),
    "µm": ("length", 1.0),
}


def _fold_unit(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_UNIT_LOOKUP = {_fold_unit(u): u for u in UNITS}


@dataclass(frozen=True)
class Parameter:
    """A quantity a limit can be set on.

    Attributes
    ----------
    name : str
        Name used in the table and in value dicts.
    unit : str
        Unit the *values* of this parameter are given in (a key of :data:`UNITS`).
    kind : str
        ``"measured"`` (a column of a cbmwater analysis), ``"derived"`` (computed from the
        analysis by :mod:`cbmwater.water.qa`) or ``"external"`` (not in an analysis file: only
        a values dict can supply it; otherwise it is reported as not measured).
    label : str
        English and Chinese label.
    """

    name: str
    unit: str
    kind: str
    label: str


#: Quantities computed from an analysis (see :mod:`cbmwater.standards.compliance`).
DERIVED_PARAMETERS: dict[str, tuple[str, str]] = {
    "SAR": ("-", "sodium adsorption ratio, (meq/L)^0.5 (钠吸附比)"),
    "hardness_CaCO3": ("mg/L CaCO3", "total hardness as CaCO3 (总硬度)"),
    "Ca_hardness_plus_alkalinity_CaCO3": (
        "mg/L CaCO3",
        "calcium hardness + total alkalinity, as CaCO3 (钙硬度+全碱度)",
    ),
}

#: Parameters that standards limit but a cbmwater analysis does not carry: name -> (unit of
#: values, label).  They can be given in a values dict; from an analysis file they are
#: reported as not measured.  Concentrations in mg/L unless the unit says otherwise.
EXTRA_PARAMETERS: dict[str, tuple[str, str]] = {
    "EC_uS_cm": ("µS/cm", "electrical conductivity at 25 °C (电导率); never estimated from TDS"),
    "DO": ("mg/L", "dissolved oxygen (溶解氧)"),
    "CODMn": ("mg/L", "permanganate index / oxygen consumption (高锰酸盐指数/耗氧量)"),
    "BOD5": ("mg/L", "five-day biochemical oxygen demand (五日生化需氧量)"),
    "TP": ("mg/L", "total phosphorus as P (总磷)"),
    "TP_lake": ("mg/L", "total phosphorus as P, lakes and reservoirs (总磷, 湖库)"),
    "TN": ("mg/L", "total nitrogen as N (总氮)"),
    "NO2_N": ("mg/L", "nitrite as N (亚硝酸盐氮)"),
    "phosphate_P": ("mg/L", "phosphate as P (磷酸盐)"),
    "Cu": ("mg/L", "copper (铜)"),
    "Zn": ("mg/L", "zinc (锌)"),
    "Se": ("mg/L", "selenium (硒)"),
    "As": ("mg/L", "arsenic (砷)"),
    "Hg": ("mg/L", "mercury (汞)"),
    "Cd": ("mg/L", "cadmium (镉)"),
    "Cr": ("mg/L", "total chromium (总铬)"),
    "Cr6": ("mg/L", "hexavalent chromium (六价铬)"),
    "Pb": ("mg/L", "lead (铅)"),
    "Ni": ("mg/L", "nickel (镍)"),
    "Be": ("mg/L", "beryllium (铍)"),
    "Ag": ("mg/L", "silver (银)"),
    "Sb": ("mg/L", "antimony (锑)"),
    "Mo": ("mg/L", "molybdenum (钼)"),
    "Co": ("mg/L", "cobalt (钴)"),
    "V": ("mg/L", "vanadium (钒)"),
    "Ti": ("mg/L", "titanium (钛)"),
    "Tl": ("mg/L", "thallium (铊)"),
    "iodide": ("mg/L", "iodide (碘化物)"),
    "cyanide": ("mg/L", "cyanide (氰化物)"),
    "sulfide": ("mg/L", "sulfide (硫化物)"),
    "free_CO2": ("mg/L", "free carbon dioxide (游离CO2)"),
    "volatile_phenol": ("mg/L", "volatile phenols as phenol (挥发酚)"),
    "petroleum": ("mg/L", "petroleum hydrocarbons (石油类)"),
    "oil": ("mg/L", "oil content of injection water (含油量)"),
    "animal_veg_oil": ("mg/L", "animal and vegetable oil (动植物油)"),
    "anionic_surfactant": ("mg/L", "anionic surfactant, LAS (阴离子表面活性剂)"),
    "formaldehyde": ("mg/L", "formaldehyde (甲醛)"),
    "anilines": ("mg/L", "anilines (苯胺类)"),
    "aniline": ("mg/L", "aniline (苯胺)"),
    "nitrobenzenes": ("mg/L", "nitrobenzenes (硝基苯类)"),
    "nitrobenzene": ("mg/L", "nitrobenzene (硝基苯)"),
    "benzene": ("mg/L", "benzene (苯)"),
    "toluene": ("mg/L", "toluene (甲苯)"),
    "ethylbenzene": ("mg/L", "ethylbenzene (乙苯)"),
    "xylene": ("mg/L", "xylenes, total (二甲苯)"),
    "isopropylbenzene": ("mg/L", "isopropylbenzene (异丙苯)"),
    "chlorobenzene": ("mg/L", "chlorobenzene (氯苯)"),
    "dichlorobenzene_1_2": ("mg/L", "1,2-dichlorobenzene (1,2-二氯苯)"),
    "dichlorobenzene_1_4": ("mg/L", "1,4-dichlorobenzene (1,4-二氯苯)"),
    "chloroform": ("mg/L", "chloroform (三氯甲烷)"),
    "carbon_tetrachloride": ("mg/L", "carbon tetrachloride (四氯化碳)"),
    "trichloroacetaldehyde": ("mg/L", "trichloroacetaldehyde (三氯乙醛)"),
    "acrolein": ("mg/L", "acrolein (丙烯醛)"),
    "naphthalene": ("mg/L", "naphthalene (萘)"),
    "anthracene": ("mg/L", "anthracene (蒽)"),
    "fluoranthene": ("mg/L", "fluoranthene (荧蒽)"),
    "benzo_b_fluoranthene": ("mg/L", "benzo(b)fluoranthene (苯并(b)荧蒽)"),
    "benzo_a_pyrene": ("mg/L", "benzo(a)pyrene (苯并(a)芘)"),
    "turbidity": ("NTU", "turbidity (浑浊度)"),
    "colour": ("PCU", "colour, platinum-cobalt units (色度)"),
    "colour_dilution": ("dilution", "colour as dilution factor (色度, 稀释倍数)"),
    "gross_alpha": ("Bq/L", "gross alpha activity (总α放射性)"),
    "gross_beta": ("Bq/L", "gross beta activity (总β放射性)"),
    "fecal_coliform": ("MPN/L", "fecal coliforms (粪大肠菌群)"),
    "total_coliform": ("MPN/100mL", "total coliforms (总大肠菌群)"),
    "total_bacteria": ("CFU/mL", "total bacterial count (菌落总数)"),
    "ascaris_eggs": ("eggs/10L", "ascaris eggs (蛔虫卵数)"),
    "SRB": ("cells/mL", "sulfate-reducing bacteria (硫酸盐还原菌)"),
    "iron_bacteria": ("cells/mL", "iron bacteria (铁细菌)"),
    "saprophytic_bacteria": ("cells/mL", "saprophytic bacteria, TGB (腐生菌)"),
    "particle_median_diameter": ("µm", "median diameter of suspended particles (颗粒直径中值)"),
    "corrosion_rate": ("mm/a", "average corrosion rate (平均腐蚀率)"),
    "scaling_rate": ("mm/a", "scaling rate (结垢率)"),
}


def _build_parameters() -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for c in CONSTITUENTS.values():
        out[c.name] = Parameter(c.name, c.unit, "measured", f"{c.label_en} ({c.label_zh})")
    for name, (unit, label) in DERIVED_PARAMETERS.items():
        if name not in out:
            out[name] = Parameter(name, unit, "derived", label)
    for name, (unit, label) in EXTRA_PARAMETERS.items():
        if name not in out:  # a constituent added to the vocabulary later takes precedence
            out[name] = Parameter(name, unit, "external", label)
    for p in out.values():  # pragma: no cover - self-check of the registry
        assert p.unit in UNITS, (p.name, p.unit)
    return out


#: Every parameter a limit may be set on, by name.
PARAMETERS: dict[str, Parameter] = _build_parameters()


def unit_factor(from_unit: str, to_unit: str) -> float:
    """Factor that converts a value in ``from_unit`` to ``to_unit`` (same kind of quantity).

    >>> unit_factor("µS/cm", "dS/m")
    0.001
    """
    k1, f1 = UNITS[from_unit]
    k2, f2 = UNITS[to_unit]
    if k1 != k2:
        raise InputError(
            Text.of(
                "standards.error.cannot_convert",
                from_unit=from_unit,
                from_kind=_kind(k1),
                to_unit=to_unit,
                to_kind=_kind(k2),
            )
        )
    return f1 / f2


def _kind(kind: str) -> Message:
    """The name of a kind of quantity (``UNITS``' first item) as a message."""
    return Message("standards.kind." + kind.replace(" ", "_"))


def _did_you_mean(near: list[str]) -> Message | str:
    """ "; did you mean 'a' or 'b'?" (or "") as a message."""
    if not near:
        return ""
    return Message("error.did_you_mean", {"names": joined([repr(n) for n in near], "or")})


class StandardsError(LocatedDatabaseError):
    """A standards table that breaks a rule: names the file, row, column and value."""


@dataclass(frozen=True)
class Limit:
    """One row of the standards table.

    ``min``/``max`` are inclusive bounds in ``unit`` (None: no bound on that side); ``row`` is
    the row of the file it came from (header = row 1).
    """

    standard_id: str
    standard_name: str
    cls: str
    parameter: str
    min: float | None
    max: float | None
    unit: str
    clause: str
    verified: bool
    status: str
    applies_to: str
    source: str
    note: str
    row: int

    def describe(self) -> str:
        """The limit as text, e.g. ``"<= 1 mg/L"``, ``"6-9 -"``, ``">= 5 mg/L"``."""
        u = "" if self.unit == "-" else f" {self.unit}"
        if self.min is not None and self.max is not None:
            return f"{self.min:g}-{self.max:g}{u}"
        if self.max is not None:
            return f"<= {self.max:g}{u}"
        return f">= {self.min:g}{u}"


# -- name matching ---------------------------------------------------------------------------
def _norm_standard(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\s/_\-.]+", "", s)


def _norm_class(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    s = s.replace("≤", "<=").replace("≥", ">=")
    return re.sub(r"\s+", "", s)


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def _suggest(given: str, choices: list[str], norm: Callable[[str], str]) -> list[str]:
    """Up to three choices nearest to ``given`` (after normalisation)."""
    g = norm(given)
    normed = {norm(c): c for c in choices}
    if g in _ROMAN and norm(_ROMAN[g]) in normed:
        return [normed[norm(_ROMAN[g])]]
    out = [c for n, c in normed.items() if g and (g in n or n in g)]
    if out:  # a choice that contains what was typed (or is contained in it) is the best hint
        return out[:3]
    for n in difflib.get_close_matches(g, list(normed), n=3, cutoff=0.5):
        if normed[n] not in out:
            out.append(normed[n])
    return out[:3]


class StandardsTable:
    """The validated limits, with look-ups by standard and class.

    Attributes
    ----------
    path : str
        The file the table was read from.
    sha256 : str
        SHA-256 of the file's bytes (for reproducibility records).
    """

    def __init__(self, limits: list[Limit], path: str = "<memory>", sha256: str = "") -> None:
        self._limits = list(limits)
        self.path = path
        self.sha256 = sha256
        self._by_std: dict[str, dict[str, list[Limit]]] = {}
        for lim in self._limits:
            self._by_std.setdefault(lim.standard_id, {}).setdefault(lim.cls, []).append(lim)

    def __len__(self) -> int:
        return len(self._limits)

    def __iter__(self) -> Iterator[Limit]:
        return iter(self._limits)

    @property
    def frame(self) -> pd.DataFrame:
        """All limits as a DataFrame (column ``class`` for :attr:`Limit.cls`)."""
        df = pd.DataFrame([asdict(x) for x in self._limits])
        return df.rename(columns={"cls": "class"})

    def standards(self) -> list[str]:
        """Standard ids, in file order."""
        return list(self._by_std)

    def resolve_standard(self, standard_id: str) -> str:
        """The table's spelling of ``standard_id``.

        Case, spaces, ``/``, ``_``, ``-`` and ``.`` are ignored, so ``"GB/T 14848-2017"`` finds
        ``"GBT14848-2017"``.  Raises :class:`~cbmwater.errors.InputError` naming the allowed
        standards and the nearest ones.
        """
        if standard_id in self._by_std:
            return standard_id
        g = _norm_standard(standard_id)
        for sid in self._by_std:
            if _norm_standard(sid) == g:
                return sid
        near = _suggest(standard_id, self.standards(), _norm_standard)
        raise InputError(
            Text.of(
                "standards.error.unknown_standard",
                standard=standard_id,
                hint=_did_you_mean(near),
                allowed=joined(self.standards()),
            )
        )

    def classes(self, standard_id: str) -> list[str]:
        """Classes (or uses) of a standard, in file order."""
        return list(self._by_std[self.resolve_standard(standard_id)])

    def standard_name(self, standard_id: str) -> str:
        """Full name of a standard."""
        sid = self.resolve_standard(standard_id)
        return next(iter(self._by_std[sid].values()))[0].standard_name

    def resolve(self, standard_id: str, cls: str) -> tuple[str, str]:
        """``(standard_id, class)`` as the table spells them; see :meth:`resolve_standard`.

        Class names match ignoring case, spaces and full-width forms (``≤`` = ``<=``,
        ``Ⅲ`` = ``III``).  An unknown class raises :class:`~cbmwater.errors.InputError` naming
        the allowed classes of the standard and the nearest ones.
        """
        sid = self.resolve_standard(standard_id)
        classes = self._by_std[sid]
        if cls in classes:
            return sid, cls
        g = _norm_class(cls)
        for c in classes:
            if _norm_class(c) == g:
                return sid, c
        near = _suggest(cls, list(classes), _norm_class)
        raise InputError(
            Text.of(
                "standards.error.unknown_class",
                klass=cls,
                standard=sid,
                hint=_did_you_mean(near),
                allowed=joined(classes),
            )
        )

    def limits(self, standard_id: str, cls: str) -> list[Limit]:
        """The limits of one class of one standard, in file order."""
        sid, c = self.resolve(standard_id, cls)
        return list(self._by_std[sid][c])

    def limit(self, standard_id: str, cls: str, parameter: str) -> Limit:
        """The limit on one parameter; :class:`InputError` naming the parameters if absent."""
        lims = self.limits(standard_id, cls)
        for lim in lims:
            if lim.parameter == parameter:
                return lim
        sid, c = self.resolve(standard_id, cls)
        raise InputError(
            Text.of(
                "standards.error.no_limit",
                standard=sid,
                klass=c,
                parameter=parameter,
                limited=joined(x.parameter for x in lims),
            )
        )


# -- loading ---------------------------------------------------------------------------------
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _number(text: str, *, file: str, row: int, column: str) -> float | None:
    t = text.strip()
    if t == "":
        return None
    try:
        x = float(t)
    except ValueError:
        raise StandardsError(
            Text.of("standards.error.not_a_number"),
            file=file,
            row=row,
            column=column,
            value=text,
        ) from None
    if not math.isfinite(x):
        raise StandardsError(
            Text.of("standards.error.not_finite"),
            file=file,
            row=row,
            column=column,
            value=text,
        )
    return x


def _parse_rows(path: Path) -> tuple[list[Limit], str]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StandardsError(
            Text.of("standards.error.cannot_read", why=str(exc.strerror or exc)), file=name
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StandardsError(
            Text.of("standards.error.not_utf8", byte=exc.start), file=name
        ) from None
    records = list(csv.reader(text.splitlines(keepends=True) if text else []))
    if not records:
        raise StandardsError(
            Text.of("standards.error.empty_file", columns=",".join(COLUMNS)), file=name
        )
    header = [h.strip() for h in records[0]]
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise StandardsError(
            Text.of("standards.error.duplicate_columns", columns=joined(dup)), file=name, row=1
        )
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise StandardsError(
            Text.of(
                "standards.error.missing_columns",
                missing=joined(missing),
                required=joined(COLUMNS),
            ),
            file=name,
            row=1,
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise StandardsError(
            Text.of(
                "standards.error.unknown_columns",
                unknown=joined(repr(u) for u in unknown),
                allowed=joined(COLUMNS),
            ),
            file=name,
            row=1,
        )
    idx = {h: i for i, h in enumerate(header)}
    limits: list[Limit] = []
    seen: dict[tuple[str, str, str], int] = {}
    names: dict[str, tuple[str, int]] = {}
    if len(records) == 1:
        raise StandardsError(Text.of("standards.error.no_limits"), file=name)
    for n, rec in enumerate(records[1:], start=2):
        if len(rec) != len(header):
            if not any(cell.strip() for cell in rec):
                raise StandardsError(Text.of("standards.error.blank_row"), file=name, row=n)
            raise StandardsError(
                Text.of("standards.error.cell_count", expected=len(header), found=len(rec)),
                file=name,
                row=n,
            )
        cell = {c: rec[idx[c]] for c in COLUMNS}
        for c in COLUMNS:
            if _CONTROL.search(cell[c]):
                raise StandardsError(
                    Text.of("standards.error.control_character"),
                    file=name,
                    row=n,
                    column=c,
                    value=cell[c],
                )
        for c in _REQUIRED_TEXT:
            if cell[c].strip() == "":
                raise StandardsError(
                    Text.of("standards.error.blank_cell"), file=name, row=n, column=c
                )
        sid = cell["standard_id"].strip()
        if not _SLUG.match(sid):
            raise StandardsError(
                Text.of("standards.error.bad_id"),
                file=name,
                row=n,
                column="standard_id",
                value=sid,
            )
        sname = cell["standard_name"].strip()
        if sid in names and names[sid][0] != sname:
            raise StandardsError(
                Text.of("standards.error.name_differs", row=names[sid][1], standard=sid),
                file=name,
                row=n,
                column="standard_name",
                value=sname,
            )
        names.setdefault(sid, (sname, n))
        cls = cell["class"]
        if cls != cls.strip():
            raise StandardsError(
                Text.of("standards.error.class_spaces"),
                file=name,
                row=n,
                column="class",
                value=cls,
            )
        param = cell["parameter"].strip()
        if param not in PARAMETERS:
            near = difflib.get_close_matches(param, list(PARAMETERS), n=3, cutoff=0.6)
            hint = (
                Message("standards.error.parameter_hint", {"names": ", ".join(near)})
                if near
                else ""
            )
            raise StandardsError(
                Text.of(
                    "standards.error.unknown_parameter",
                    hint=hint,
                    constituents=joined(CONSTITUENTS),
                    derived=joined(DERIVED_PARAMETERS),
                ),
                file=name,
                row=n,
                column="parameter",
                value=param,
            )
        unit_text = cell["unit"]
        unit = _UNIT_LOOKUP.get(_fold_unit(unit_text))
        if unit is None:
            raise StandardsError(
                Text.of("standards.error.unknown_unit", allowed=joined(UNITS)),
                file=name,
                row=n,
                column="unit",
                value=unit_text,
            )
        p_unit = PARAMETERS[param].unit
        if UNITS[unit][0] != UNITS[p_unit][0]:
            allowed = [u for u, (k, _) in UNITS.items() if k == UNITS[p_unit][0]]
            raise StandardsError(
                Text.of(
                    "standards.error.unit_kind",
                    unit=unit,
                    unit_kind=_kind(UNITS[unit][0]),
                    parameter=param,
                    parameter_kind=_kind(UNITS[p_unit][0]),
                    allowed=joined(allowed),
                ),
                file=name,
                row=n,
                column="unit",
                value=unit_text,
            )
        lo = _number(cell["min"], file=name, row=n, column="min")
        hi = _number(cell["max"], file=name, row=n, column="max")
        status = cell["status"].strip()
        if status not in STATUSES:
            raise StandardsError(
                Text.of("standards.error.unknown_status", allowed=joined(STATUSES)),
                file=name,
                row=n,
                column="status",
                value=cell["status"],
            )
        if lo is None and hi is None:
            if status == "NF":
                raise StandardsError(
                    Text.of("standards.error.nf_blank"),
                    file=name,
                    row=n,
                    column="status",
                    value=status,
                )
            raise StandardsError(
                Text.of("standards.error.no_bound"), file=name, row=n, column="min"
            )
        if status == "NF":
            raise StandardsError(
                Text.of("standards.error.nf_number"),
                file=name,
                row=n,
                column="status",
                value=status,
            )
        if lo is not None and hi is not None and not lo < hi:
            raise StandardsError(
                Text.of("standards.error.min_max", lo=f"{lo:g}", hi=f"{hi:g}"),
                file=name,
                row=n,
                column="min",
                value=cell["min"],
            )
        vtext = cell["verified"].strip().casefold()
        if vtext not in ("true", "false"):
            raise StandardsError(
                Text.of("standards.error.verified_bool"),
                file=name,
                row=n,
                column="verified",
                value=cell["verified"],
            )
        verified = vtext == "true"
        if verified != (status == "V"):
            raise StandardsError(
                Text.of(
                    "standards.error.verified_status",
                    expected="true" if status == "V" else "false",
                    status=status,
                ),
                file=name,
                row=n,
                column="verified",
                value=cell["verified"],
            )
        key = (sid, cls, param)
        if key in seen:
            raise StandardsError(
                Text.of(
                    "standards.error.duplicate_limit",
                    standard=sid,
                    klass=cls,
                    parameter=param,
                    row=seen[key],
                ),
                file=name,
                row=n,
                column="parameter",
                value=param,
            )
        seen[key] = n
        limits.append(
            Limit(
                sid,
                sname,
                cls,
                param,
                lo,
                hi,
                unit,
                cell["clause"].strip(),
                verified,
                status,
                cell["applies_to"].strip(),
                cell["source"].strip(),
                cell["note"].strip(),
                n,
            )
        )
    return limits, hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> StandardsTable:
    limits, digest = _parse_rows(Path(path))
    return StandardsTable(limits, path, digest)


def load_standards(path: str | Path | None = None) -> StandardsTable:
    """Load and validate a standards table.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns :data:`COLUMNS` (UTF-8, with or without BOM).  Default: the
        shipped ``cbmwater/databases/standards.csv``.

    Returns
    -------
    StandardsTable

    Raises
    ------
    StandardsError
        (a :class:`~cbmwater.errors.DatabaseError`) naming the file, row, column and value, for:
        a missing or unknown column, a blank required cell, an unknown parameter or unit, a unit
        of the wrong kind, a non-numeric or non-finite bound, no bound at all, ``min >= max``,
        an unknown status, ``verified`` that disagrees with ``status`` (true only for V), an NF
        row, or a duplicate (standard_id, class, parameter).
    """
    p = Path(path) if path is not None else STANDARDS_CSV
    try:
        st = p.stat()
    except OSError:
        raise StandardsError(Text.of("standards.error.not_found"), file=str(p)) from None
    return _load_cached(str(p.resolve()), st.st_mtime_ns, st.st_size)
