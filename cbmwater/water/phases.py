"""The chemistry vocabulary of solids and reagents: every mineral phase and reagent named once.

Each :class:`Substance` carries its chemical formula, its molar mass (computed here from the
formula with IUPAC 2021 standard atomic weights), the name PHREEQC knows it by (a phase of the
``PHASES`` block for minerals and gases, a formula PHREEQC's ``REACTION`` parses for reagents),
its Chinese and English names, and what the engine needs besides: the ions a mineral releases when
it dissolves, the acid a reagent neutralises, a solid's specific gravity.  Geochemistry,
treatment and mine water look substances up here and keep no molar-mass tables of their own.

Atomic weights: IUPAC CIAAW, *Standard atomic weights of the elements 2021* (Prohaska et al.,
Pure Appl. Chem. 94 (2022) 573-600), abridged to the precision of water analyses (the same values
as :mod:`cbmwater.water.vocabulary`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from ..errors import InputError
from ..i18n import Text, joined

__all__ = [
    "ATOMIC_WEIGHTS",
    "Substance",
    "SUBSTANCES",
    "MINERALS",
    "REAGENTS",
    "formula_mass",
    "substance",
    "molar_mass",
]

#: Standard atomic weights, g/mol (IUPAC 2021, abridged; interval elements at their
#: conventional values: H 1.008, C 12.011, N 14.007, O 15.999, Mg 24.305, S 32.06, Cl 35.45).
ATOMIC_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "H": 1.008,
        "C": 12.011,
        "N": 14.007,
        "O": 15.999,
        "F": 18.998,
        "Na": 22.990,
        "Mg": 24.305,
        "Al": 26.982,
        "Si": 28.085,
        "P": 30.974,
        "S": 32.06,
        "Cl": 35.45,
        "K": 39.098,
        "Ca": 40.078,
        "Mn": 54.938,
        "Fe": 55.845,
        "Sr": 87.62,
        "Ba": 137.33,
    }
)

_TOKEN = re.compile(r"([A-Z][a-z]?|\(|\)|\d+(?:\.\d+)?)")


def formula_mass(formula: str) -> float:
    """Molar mass of a chemical formula, g/mol.

    Parentheses nest (``Ca(OH)2``); a hydrate is written with ``:``, ``.`` or ``·`` and a leading
    count (``CaSO4:2H2O``).

    Raises
    ------
    InputError
        An element not in :data:`ATOMIC_WEIGHTS` or an unbalanced parenthesis.
    """
    total = 0.0
    for part in re.split(r"[:·]|\.(?=\d*[A-Z])", formula):
        m = re.match(r"^(\d+(?:\.\d+)?)(.*)$", part)
        count, body = (float(m.group(1)), m.group(2)) if m else (1.0, part)
        total += count * _group_mass(body, formula)
    return total


def _group_mass(body: str, formula: str) -> float:
    stack: list[float] = [0.0]
    last = 0.0
    pos = 0
    for tok in _TOKEN.finditer(body):
        if tok.start() != pos:
            raise InputError(
                Text.of("water.error.formula_unreadable_at", formula=formula, rest=body[pos:])
            )
        pos = tok.end()
        t = tok.group(1)
        if t == "(":
            stack.append(0.0)
            last = 0.0
        elif t == ")":
            if len(stack) == 1:
                raise InputError(Text.of("water.error.formula_unbalanced", formula=formula))
            last = stack.pop()
            stack[-1] += last
        elif t[0].isdigit():
            stack[-1] += last * (float(t) - 1.0)
            last = 0.0
        else:
            if t not in ATOMIC_WEIGHTS:
                raise InputError(
                    Text.of(
                        "water.error.formula_element",
                        element=t,
                        formula=formula,
                        known=joined(ATOMIC_WEIGHTS),
                    )
                )
            last = ATOMIC_WEIGHTS[t]
            stack[-1] += last
    if pos != len(body) or len(stack) != 1:
        raise InputError(Text.of("water.error.formula_unreadable", formula=formula))
    return stack[0]


_AMDTREAT_SG = "AMDTreat 6 Ponds module (the project's AMDTreat reference notes, amd.md)"
_MN_SG = _AMDTREAT_SG + ": Mn solids 3.258-3.528"
_HANDBOOK = "mineral density, Anthony et al., Handbook of Mineralogy [M]"
# wateq4f.dat (Ball & Nordstrom 1991), shipped with cbmwater: phreeqc.dat has no brucite.
_BRUCITE = "Brucite\n    Mg(OH)2 + 2 H+ = Mg+2 + 2 H2O\n    log_k 16.84\n    delta_h -27.1 kcal\n"


@dataclass(frozen=True)
class Substance:
    """A mineral phase, gas or reagent the engine puts into PHREEQC or counts by mass.

    Attributes
    ----------
    name : str
        The lookup key: the PHREEQC phase name of a mineral or gas (``"Fe(OH)3(a)"``), the
        formula of a reagent (``"Ca(OH)2"``).
    formula : str
        Chemical formula; hydrates with ``.`` or ``:`` (``"CaSO4.2H2O"``).
    kind : {'mineral', 'gas', 'reagent'}
    phreeqc : str
        What PHREEQC knows: the phase name (minerals, gases) or the formula a ``REACTION`` adds.
    name_en, name_zh : str
        Names for tables and the app.
    ions : mapping of str to float
        Canonical constituents (:mod:`cbmwater.water.vocabulary`) per mole that a mineral
        releases when it dissolves, carbonate and hydroxide left to PHREEQC.
    eq_per_mol : float or None
        Acid neutralised per mole of a base titrated to CO2 (H+ consumed).
    chemical : str or None
        The reagent's id in ``economics.toml`` ``[chemicals]``.
    specific_gravity : float or None
        Of the dry solid (water = 1), for sludge volumes; ``sg_source`` says where it is from.
    definition : str or None
        A ``PHASES`` entry for databases that lack the phase (PHREEQC syntax).
    molar_mass : float
        g/mol, computed from ``formula``.
    """

    name: str
    formula: str
    kind: Literal["mineral", "gas", "reagent"]
    phreeqc: str
    name_en: str
    name_zh: str
    ions: Mapping[str, float] = field(default_factory=dict)
    eq_per_mol: float | None = None
    chemical: str | None = None
    specific_gravity: float | None = None
    sg_source: str = ""
    definition: str | None = None
    molar_mass: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "molar_mass", formula_mass(self.formula))
        object.__setattr__(self, "ions", MappingProxyType(dict(self.ions)))

    @property
    def label(self) -> str:
        """English name with the formula (``"gypsum CaSO4.2H2O"``)."""
        return f"{self.name_en} {self.formula}"


def _m(
    name: str,
    formula: str,
    en: str,
    zh: str,
    ions: dict[str, float] | None = None,
    *,
    sg: float | None = None,
    sg_source: str = "",
    definition: str | None = None,
) -> Substance:
    return Substance(
        name,
        formula,
        "mineral",
        name,
        en,
        zh,
        ions or {},
        specific_gravity=sg,
        sg_source=sg_source,
        definition=definition,
    )


def _r(
    formula: str, en: str, zh: str, chemical: str | None, eq_per_mol: float | None = None
) -> Substance:
    return Substance(
        formula, formula, "reagent", formula, en, zh, eq_per_mol=eq_per_mol, chemical=chemical
    )


_ROWS: tuple[Substance, ...] = (
    # minerals (PHREEQC phase names, phreeqc.dat spelling)
    _m("Calcite", "CaCO3", "calcite", "方解石", {"Ca": 1}, sg=2.71, sg_source=_HANDBOOK),
    _m("Aragonite", "CaCO3", "aragonite", "文石", {"Ca": 1}),
    _m("Dolomite", "CaMg(CO3)2", "dolomite", "白云石", {"Ca": 1, "Mg": 1}),
    _m("Siderite", "FeCO3", "siderite", "菱铁矿", {"Fe": 1}, sg=3.96, sg_source=_HANDBOOK),
    _m("Rhodochrosite", "MnCO3", "rhodochrosite", "菱锰矿", {"Mn": 1}, sg=3.3, sg_source=_MN_SG),
    _m("Strontianite", "SrCO3", "strontianite", "菱锶矿", {"Sr": 1}),
    _m("Witherite", "BaCO3", "witherite", "毒重石", {"Ba": 1}),
    _m("Barite", "BaSO4", "barite", "重晶石", {"Ba": 1, "SO4": 1}),
    _m("Celestite", "SrSO4", "celestite", "天青石", {"Sr": 1, "SO4": 1}),
    _m("Gypsum", "CaSO4.2H2O", "gypsum", "石膏", {"Ca": 1, "SO4": 1}, sg=2.32, sg_source=_HANDBOOK),
    _m("Anhydrite", "CaSO4", "anhydrite", "硬石膏", {"Ca": 1, "SO4": 1}),
    _m("Fluorite", "CaF2", "fluorite", "萤石", {"Ca": 1, "F": 2}),
    _m("Halite", "NaCl", "halite", "石盐", {"Na": 1, "Cl": 1}),
    _m("Chalcedony", "SiO2", "chalcedony", "玉髓", {"SiO2": 1}),
    _m(
        "Fe(OH)3(a)",
        "Fe(OH)3",
        "ferrihydrite",
        "无定形氢氧化铁",
        {"Fe": 1},
        sg=4.25,
        sg_source=_AMDTREAT_SG,
    ),
    _m(
        "Al(OH)3(a)",
        "Al(OH)3",
        "amorphous aluminium hydroxide",
        "无定形氢氧化铝",
        {"Al": 1},
        sg=2.42,
        sg_source=_AMDTREAT_SG,
    ),
    _m("Gibbsite", "Al(OH)3", "gibbsite", "三水铝石", {"Al": 1}, sg=2.42, sg_source=_AMDTREAT_SG),
    _m(
        "Brucite",
        "Mg(OH)2",
        "brucite",
        "水镁石",
        {"Mg": 1},
        sg=2.39,
        sg_source=_HANDBOOK,
        definition=_BRUCITE,
    ),
    _m("Pyrolusite", "MnO2", "pyrolusite", "软锰矿", {"Mn": 1}),
    _m("Pyrochroite", "Mn(OH)2", "pyrochroite", "羟锰矿", {"Mn": 1}, sg=3.3, sg_source=_MN_SG),
    _m("Manganite", "MnOOH", "manganite", "水锰矿", {"Mn": 1}, sg=3.3, sg_source=_MN_SG),
    # gases
    Substance("CO2(g)", "CO2", "gas", "CO2(g)", "carbon dioxide", "二氧化碳"),
    Substance("O2(g)", "O2", "gas", "O2(g)", "oxygen", "氧气"),
    # reagents (economics.toml chemical ids where the engine prices them)
    _r("NaOH", "caustic soda", "烧碱", "caustic_soda", 1.0),
    _r("Ca(OH)2", "hydrated lime", "熟石灰", "lime", 2.0),
    _r("CaO", "quicklime", "生石灰", "quicklime", 2.0),
    _r("CaCO3", "limestone", "石灰石", "calcite_media", 2.0),
    _r("Na2CO3", "soda ash", "纯碱", "soda_ash", 2.0),
    _r("HCl", "hydrochloric acid", "盐酸", "hydrochloric_acid"),
    _r("H2SO4", "sulfuric acid", "硫酸", "sulfuric_acid"),
    _r("NaOCl", "sodium hypochlorite", "次氯酸钠", "sodium_hypochlorite"),
    _r("KMnO4", "potassium permanganate", "高锰酸钾", "potassium_permanganate"),
    _r("NaCl", "sodium chloride", "氯化钠", "sodium_chloride"),
    _r("NaHSO3", "sodium bisulfite", "亚硫酸氢钠", "sodium_bisulfite"),
    _r("Al2O3", "aluminium oxide (PAC as Al2O3)", "氧化铝（聚合氯化铝以Al2O3计）", None),
    _r("AlCl3", "aluminium chloride", "氯化铝", None),
    _r("Al(OH)3", "aluminium hydroxide", "氢氧化铝", None),
)

#: Every substance by name.
SUBSTANCES: Mapping[str, Substance] = MappingProxyType({s.name: s for s in _ROWS})
#: Mineral phases by PHREEQC name.
MINERALS: Mapping[str, Substance] = MappingProxyType(
    {s.name: s for s in _ROWS if s.kind == "mineral"}
)
#: Reagents by formula.
REAGENTS: Mapping[str, Substance] = MappingProxyType(
    {s.name: s for s in _ROWS if s.kind == "reagent"}
)


def substance(name: str) -> Substance:
    """The :class:`Substance` called ``name`` (PHREEQC phase name or reagent formula).

    Raises
    ------
    InputError
        An unknown name, listing the known ones.
    """
    try:
        return SUBSTANCES[name]
    except KeyError:
        raise InputError(
            Text.of("water.error.unknown_substance", name=name, known=joined(SUBSTANCES)),
            value=name,
        ) from None


def molar_mass(name: str) -> float:
    """g/mol of the substance called ``name`` (see :func:`substance`)."""
    return substance(name).molar_mass
