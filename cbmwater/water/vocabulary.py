"""The constituent vocabulary: every quantity of a water analysis named once.

Each :class:`Constituent` carries its canonical column name, unit, molar mass and charge of the
species it is reported *as*, its PHREEQC master species, and the aliases under which Chinese and
English lab reports print it.  Everything else in cbmwater (import, QA, PHREEQC input, standards)
looks names up here and nowhere else.

Molar masses are IUPAC 2021 standard atomic weights (abridged to the precision of lab reports);
the equivalent weight of CaCO3 is 50.04 g/eq (Hem, 1985, USGS Water-Supply Paper 2254, p. 58).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "Constituent",
    "CONSTITUENTS",
    "ANALYTES",
    "CANONICAL_COLUMNS",
    "METADATA_COLUMNS",
    "ALIASES",
    "normalise_name",
    "lookup",
    "molar_mass",
]

# Standard atomic weights (IUPAC 2021, abridged), g/mol.
_H, _C, _N, _O, _S, _Si = 1.008, 12.011, 14.007, 15.999, 32.06, 28.085
CACO3_G_MOL = 40.078 + _C + 3 * _O  # 100.087 g/mol
CACO3_G_EQ = CACO3_G_MOL / 2  # 50.04 g/eq


@dataclass(frozen=True)
class Constituent:
    """One column of a water analysis.

    Attributes
    ----------
    name : str
        Canonical column name (e.g. ``"NH4_N"``).
    unit : str
        Canonical unit (``"mg/L"``, ``"deg C"``, ``"-"``, ``"mg/L CaCO3"``, ``"mV"``).
    kind : str
        ``"cation"``, ``"anion"``, ``"neutral"`` (dissolved, uncharged, e.g. SiO2, B),
        ``"aggregate"`` (TDS, COD, TSS, alkalinity) or ``"property"`` (pH, temperature).
    molar_mass : float or None
        g/mol of the species the value is expressed *as* (N for NH4_N, SiO2 for SiO2).
    charge : int
        Charge of the ion in solution (0 for neutral species and aggregates).  Alkalinity as
        CaCO3 uses charge 2 so that mg/L / (M/|z|) gives meq/L.
    phreeqc : str or None
        PHREEQC master species or element the value enters as (``"S(6)"``, ``"N(-3)"``).
    phreeqc_as : str or None
        Formula given after ``as`` in a PHREEQC SOLUTION line (``"SO4"``, ``"N"``, ``"SiO2"``).
    label_en, label_zh : str
        Names for tables and the app.
    aliases : tuple of str
        Header spellings that mean this column with no conversion.
    scaled_aliases : dict
        Header spellings that mean this constituent expressed as another species, with the
        factor that converts a mass concentration of that species to this one
        (e.g. ``"NH4+"`` in mg/L as NH4 times 14.007/18.039 gives mg/L as N).
    """

    name: str
    unit: str
    kind: str
    molar_mass: float | None
    charge: int
    phreeqc: str | None
    phreeqc_as: str | None
    label_en: str
    label_zh: str
    aliases: tuple[str, ...] = ()
    scaled_aliases: dict[str, float] = field(default_factory=dict)

    @property
    def equivalent_mass(self) -> float | None:
        """Mass per equivalent, g/eq (``molar_mass / |charge|``); None for uncharged species."""
        if self.molar_mass is None or self.charge == 0:
            return None
        return self.molar_mass / abs(self.charge)


_NH4 = _N + 4 * _H
_NO3 = _N + 3 * _O
_H2SIO3 = 2 * _H + _Si + 3 * _O
_SIO2 = _Si + 2 * _O

_TABLE: tuple[Constituent, ...] = (
    Constituent(
        "temp_C",
        "deg C",
        "property",
        None,
        0,
        None,
        None,
        "Temperature",
        "水温",
        ("temp", "temperature", "water temperature", "T", "温度", "水温", "水温度"),
    ),
    Constituent(
        "pH", "-", "property", None, 0, None, None, "pH", "pH", ("pH", "pH值", "pH value", "酸碱度")
    ),
    Constituent(
        "Na",
        "mg/L",
        "cation",
        22.990,
        1,
        "Na",
        None,
        "Sodium",
        "钠",
        ("Na", "Na+", "sodium", "钠", "钠离子"),
    ),
    Constituent(
        "K",
        "mg/L",
        "cation",
        39.098,
        1,
        "K",
        None,
        "Potassium",
        "钾",
        ("K", "K+", "potassium", "钾", "钾离子"),
    ),
    Constituent(
        "Ca",
        "mg/L",
        "cation",
        40.078,
        2,
        "Ca",
        None,
        "Calcium",
        "钙",
        ("Ca", "Ca2+", "Ca++", "calcium", "钙", "钙离子"),
    ),
    Constituent(
        "Mg",
        "mg/L",
        "cation",
        24.305,
        2,
        "Mg",
        None,
        "Magnesium",
        "镁",
        ("Mg", "Mg2+", "Mg++", "magnesium", "镁", "镁离子"),
    ),
    Constituent(
        "Fe",
        "mg/L",
        "cation",
        55.845,
        2,
        "Fe",
        None,
        "Total iron",
        "总铁",
        (
            "Fe",
            "TFe",
            "Fe total",
            "Fe(total)",
            "total Fe",
            "total iron",
            "iron",
            "总铁",
            "全铁",
            "铁",
        ),
    ),
    Constituent(
        "Fe2",
        "mg/L",
        "cation",
        55.845,
        2,
        "Fe(2)",
        None,
        "Ferrous iron",
        "亚铁",
        ("Fe2", "Fe2+", "Fe(II)", "ferrous iron", "ferrous", "亚铁", "二价铁", "亚铁离子"),
    ),
    Constituent(
        "Fe3",
        "mg/L",
        "cation",
        55.845,
        3,
        "Fe(3)",
        None,
        "Ferric iron",
        "三价铁",
        ("Fe3", "Fe3+", "Fe(III)", "ferric iron", "ferric", "三价铁", "高铁", "三价铁离子"),
    ),
    Constituent(
        "Mn",
        "mg/L",
        "cation",
        54.938,
        2,
        "Mn",
        None,
        "Manganese",
        "锰",
        ("Mn", "Mn2+", "manganese", "total Mn", "锰", "总锰", "锰离子"),
    ),
    Constituent(
        "Al",
        "mg/L",
        "cation",
        26.982,
        3,
        "Al",
        None,
        "Aluminium",
        "铝",
        ("Al", "Al3+", "aluminium", "aluminum", "铝", "总铝", "铝离子"),
    ),
    Constituent(
        "Sr",
        "mg/L",
        "cation",
        87.62,
        2,
        "Sr",
        None,
        "Strontium",
        "锶",
        ("Sr", "Sr2+", "strontium", "锶", "锶离子"),
    ),
    Constituent(
        "Ba",
        "mg/L",
        "cation",
        137.327,
        2,
        "Ba",
        None,
        "Barium",
        "钡",
        ("Ba", "Ba2+", "barium", "钡", "钡离子"),
    ),
    Constituent(
        "Li",
        "mg/L",
        "cation",
        6.94,
        1,
        "Li",
        None,
        "Lithium",
        "锂",
        ("Li", "Li+", "lithium", "锂", "锂离子"),
    ),
    Constituent(
        "NH4_N",
        "mg/L",
        "cation",
        _N,
        1,
        "N(-3)",
        "N",
        "Ammonia nitrogen (as N)",
        "氨氮",
        (
            "NH4_N",
            "NH4-N",
            "NH3-N",
            "NH4+-N",
            "NH3_N",
            "ammonia nitrogen",
            "ammonia-N",
            "ammonium-N",
            "ammonium as N",
            "氨氮",
            "氨氮(以N计)",
            "氨态氮",
            "铵态氮",
        ),
        {
            "NH4": _N / _NH4,
            "NH4+": _N / _NH4,
            "ammonium": _N / _NH4,
            "铵": _N / _NH4,
            "铵离子": _N / _NH4,
            "铵根": _N / _NH4,
        },
    ),
    Constituent(
        "Cl",
        "mg/L",
        "anion",
        35.45,
        -1,
        "Cl",
        None,
        "Chloride",
        "氯化物",
        ("Cl", "Cl-", "chloride", "氯", "氯化物", "氯离子", "氯根"),
    ),
    Constituent(
        "SO4",
        "mg/L",
        "anion",
        _S + 4 * _O,
        -2,
        "S(6)",
        "SO4",
        "Sulfate",
        "硫酸盐",
        (
            "SO4",
            "SO42-",
            "SO4 2-",
            "SO4--",
            "SO4^2-",
            "sulfate",
            "sulphate",
            "硫酸盐",
            "硫酸根",
            "硫酸根离子",
        ),
    ),
    Constituent(
        "HCO3",
        "mg/L",
        "anion",
        _H + _C + 3 * _O,
        -1,
        None,
        None,
        "Bicarbonate",
        "重碳酸根",
        (
            "HCO3",
            "HCO3-",
            "bicarbonate",
            "重碳酸根",
            "碳酸氢根",
            "重碳酸盐",
            "碳酸氢盐",
            "碳酸氢根离子",
        ),
    ),
    Constituent(
        "CO3",
        "mg/L",
        "anion",
        _C + 3 * _O,
        -2,
        None,
        None,
        "Carbonate",
        "碳酸根",
        (
            "CO3",
            "CO32-",
            "CO3 2-",
            "CO3--",
            "CO3^2-",
            "carbonate",
            "碳酸根",
            "碳酸盐",
            "碳酸根离子",
        ),
    ),
    Constituent(
        "alkalinity_CaCO3",
        "mg/L CaCO3",
        "aggregate",
        CACO3_G_MOL,
        2,
        None,
        None,
        "Total alkalinity (as CaCO3)",
        "总碱度(以CaCO3计)",
        (
            "alkalinity_CaCO3",
            "alkalinity",
            "total alkalinity",
            "alk",
            "TA",
            "alkalinity as CaCO3",
            "总碱度",
            "碱度",
            "总碱度(以CaCO3计)",
        ),
    ),
    Constituent(
        "F",
        "mg/L",
        "anion",
        18.998,
        -1,
        "F",
        None,
        "Fluoride",
        "氟化物",
        ("F", "F-", "fluoride", "氟", "氟化物", "氟离子"),
    ),
    Constituent(
        "Br",
        "mg/L",
        "anion",
        79.904,
        -1,
        "Br",
        None,
        "Bromide",
        "溴化物",
        ("Br", "Br-", "bromide", "溴", "溴化物", "溴离子"),
    ),
    Constituent(
        "NO3_N",
        "mg/L",
        "anion",
        _N,
        -1,
        "N(5)",
        "N",
        "Nitrate nitrogen (as N)",
        "硝酸盐氮",
        (
            "NO3_N",
            "NO3-N",
            "nitrate nitrogen",
            "nitrate-N",
            "nitrate as N",
            "硝酸盐氮",
            "硝酸盐(以N计)",
            "硝态氮",
        ),
        {
            "NO3": _N / _NO3,
            "NO3-": _N / _NO3,
            "nitrate": _N / _NO3,
            "硝酸根": _N / _NO3,
            "硝酸盐": _N / _NO3,
        },
    ),
    Constituent(
        "SiO2",
        "mg/L",
        "neutral",
        _SIO2,
        0,
        "Si",
        "SiO2",
        "Silica (as SiO2)",
        "二氧化硅",
        ("SiO2", "silica", "二氧化硅", "可溶性二氧化硅"),
        {"H2SiO3": _SIO2 / _H2SIO3, "偏硅酸": _SIO2 / _H2SIO3, "metasilicic acid": _SIO2 / _H2SIO3},
    ),
    Constituent("B", "mg/L", "neutral", 10.81, 0, "B", None, "Boron", "硼", ("B", "boron", "硼")),
    Constituent(
        "TDS",
        "mg/L",
        "aggregate",
        None,
        0,
        None,
        None,
        "Total dissolved solids",
        "溶解性总固体",
        (
            "TDS",
            "total dissolved solids",
            "dissolved solids",
            "溶解性总固体",
            "总溶解固体",
            "溶解性固体",
            "矿化度",
            "总矿化度",
        ),
    ),
    Constituent(
        "COD",
        "mg/L",
        "aggregate",
        None,
        0,
        None,
        None,
        "Chemical oxygen demand (Cr)",
        "化学需氧量",
        (
            "COD",
            "CODCr",
            "COD(Cr)",
            "COD_Cr",
            "chemical oxygen demand",
            "化学需氧量",
            "化学需氧量(CODCr)",
        ),
    ),
    Constituent(
        "TSS",
        "mg/L",
        "aggregate",
        None,
        0,
        None,
        None,
        "Total suspended solids",
        "悬浮物",
        (
            "TSS",
            "SS",
            "suspended solids",
            "total suspended solids",
            "悬浮物",
            "悬浮固体",
            "总悬浮固体",
        ),
    ),
    Constituent(
        "DO",
        "mg/L",
        "property",
        None,
        0,
        None,
        None,
        "Dissolved oxygen",
        "溶解氧",
        ("DO", "dissolved oxygen", "溶解氧", "溶氧"),
    ),
    # Redox potential as Eh against the standard hydrogen electrode (a field ORP reading against
    # an Ag/AgCl or calomel reference must be corrected to SHE before entry); the only
    # constituent that may be negative (reducing water), see analysis.VALID_RANGES.
    Constituent(
        "ORP_mV",
        "mV",
        "property",
        None,
        0,
        None,
        None,
        "Redox potential (Eh vs SHE)",
        "氧化还原电位",
        (
            "ORP",
            "ORP(mV)",
            "Eh",
            "Eh(mV)",
            "Eh_mV",
            "redox potential",
            "oxidation-reduction potential",
            "oxidation reduction potential",
            "氧化还原电位",
            "氧化还原电位(mV)",
            "氧化还原电势",
        ),
    ),
)

#: Canonical constituents by name, in the order of the canonical CSV.
CONSTITUENTS: dict[str, Constituent] = {c.name: c for c in _TABLE}
#: Columns that hold numbers (everything but sample_id and metadata).
ANALYTES: tuple[str, ...] = tuple(CONSTITUENTS)
#: Text columns that an analysis file may carry beside the numbers.
METADATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "sample_id": (
        "sample_id",
        "sample",
        "sample id",
        "sample no",
        "sample name",
        "id",
        "样品编号",
        "样品号",
        "水样编号",
        "样品名称",
        "编号",
        "井号",
        "样号",
    ),
    "well": ("well", "well name", "井名", "井位"),
    "block": ("block", "区块"),
    "seam": ("seam", "coal seam", "煤层"),
    "sampled_on": ("sampled_on", "date", "sampling date", "采样日期", "取样日期", "日期"),
    "notes": ("notes", "note", "remark", "remarks", "备注"),
}
#: The canonical CSV header.
CANONICAL_COLUMNS: tuple[str, ...] = ("sample_id",) + ANALYTES


def normalise_name(text: str) -> str:
    """Fold a header spelling to the key aliases are matched on.

    Unicode NFKC (full-width and superscript characters to ASCII), case-folded, with white space,
    underscores, hyphens, plus and caret signs, dots and middle dots removed, so that ``"Ca2+"``,
    ``"Ca²⁺"`` and ``"ca 2+"`` all give ``"ca2"``.
    """
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\s_\-+^·・.．−–—]+", "", s)


def _build_aliases() -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}

    def add(alias: str, target: str, factor: float) -> None:
        key = normalise_name(alias)
        if key in out and out[key] != (target, factor):  # pragma: no cover - table self-check
            raise AssertionError(f"alias {alias!r} maps to both {out[key][0]} and {target}")
        out[key] = (target, factor)

    for c in _TABLE:
        add(c.name, c.name, 1.0)
        for a in c.aliases:
            add(a, c.name, 1.0)
        for a, f in c.scaled_aliases.items():
            add(a, c.name, f)
    for name, aliases in METADATA_COLUMNS.items():
        for a in (name,) + aliases:
            add(a, name, 1.0)
    return out


#: Normalised alias -> (canonical name, factor from the alias's species to the canonical one).
ALIASES: dict[str, tuple[str, float]] = _build_aliases()


def lookup(header_name: str) -> tuple[str, float] | None:
    """Canonical name and mass-conversion factor for a header name, or None if unknown.

    Parameters
    ----------
    header_name : str
        A column name as printed in a lab report, without its unit.

    Returns
    -------
    tuple of (str, float) or None
        The canonical column and the factor that converts a mass concentration of the named
        species to the canonical species (1.0 unless the header names e.g. NH4+ for NH4_N).
    """
    return ALIASES.get(normalise_name(header_name))


def molar_mass(name: str) -> float:
    """Molar mass in g/mol of the species a canonical constituent is expressed as."""
    m = CONSTITUENTS[name].molar_mass
    if m is None:
        raise KeyError(f"{name} has no molar mass (it is an aggregate or a property)")
    return m
