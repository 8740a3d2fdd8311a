"""The key sets of the TOML sections (cbmwater/schema.py; issue 13, Deliver 1).

The oracle is the schema table and the document, held against the loaders' behaviour:

* the tables in docs/input_checks.md are the ones the schema generates;
* for every section of every kind of file, a bundled case with one unknown key added there is
  refused, and the message lists exactly the schema's keys of that section (so the loader
  accepts what the document says, no more, no fewer);
* for every key the schema gives a range entry, a value ten times above that entry's hard
  maximum (+1) is refused, and the message names the file, the section, the key, the value, the
  allowed range and the entry.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from toml_writer import dumps

from cbmwater.errors import InputError
from cbmwater.minewater.case import LIMIT_KEYS, load_mine_case
from cbmwater.optimize.case import LINEAR_KEYS, load_case
from cbmwater.plausible import RANGES
from cbmwater.reinjection.proposal import load_proposal
from cbmwater.schema import SCHEMAS, Key, Section, markdown_table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "input_checks.md"
#: a network case with a reinjection destination and its formation (the fullest small one)
NETWORK = ROOT / "tests" / "data" / "optimise" / "injectate" / "case.toml"
MINE = ROOT / "cbmwater" / "case_studies" / "daji_old_mine" / "case.toml"
PROPOSAL = ROOT / "cbmwater" / "case_studies" / "reinjection" / "compatible.toml"

LOADERS: dict[str, tuple[Path, Callable[[Path], object]]] = {
    "network case": (NETWORK, load_case),
    "mine plan": (MINE, load_mine_case),
    "proposal": (PROPOSAL, load_proposal),
}


def _first_with(items: list[dict], key: str) -> dict:
    """The first item of a ``[[list]]`` that already gives ``key`` (so the key applies to it),
    else the first item."""
    return next((x for x in items if key in x), items[0])


def _instance(kind: str, section: str, d: dict, key: str = "") -> dict:
    """The table of the parsed case ``d`` that is ``section`` (made if the case lacks it)."""
    if section == "top level":
        return d
    if kind == "network case":
        if section == "hubs":
            return d.setdefault("hubs", [{"name": "Hub", "x_km": 1, "y_km": 1}])[0]
        if section == "destinations formation":
            return _first_with(d["destinations"], "formation")["formation"]
        if section in ("stations", "trains", "destinations"):
            return _first_with(d[section], key)
        if section.startswith("uncertainty"):
            return _uncertainty_instance(section, d)
        return d.setdefault(section, {})
    if kind == "mine plan":
        if section == "case":
            return d["case"]
        return _first_with(d[section], key)
    if section == "protected_aquifers":
        return _first_with(d[section], key)
    return d.setdefault(section, {})


def _uncertainty_instance(section: str, d: dict) -> dict:
    """A valid ``[uncertainty]`` whose table ``section`` is returned (docs/uncertainty.md)."""
    lognormal = {"dist": "lognormal", "median": 1.0, "sigma": 0.2}
    unc = d.setdefault(
        "uncertainty",
        {
            "wells": [{"qi_factor": "default"}],
            "quality": [{"multipliers": {"F": "default"}}],
            "prices": {"chemicals_factor": lognormal},
            "destinations": [{"name": d["destinations"][0]["name"], "capacity_factor": "default"}],
        },
    )
    part = section.removeprefix("uncertainty").strip()
    if not part:
        return unc
    if part == "prices":
        return unc["prices"]
    if part == "distribution":
        return unc["prices"]["chemicals_factor"]
    return unc[part][0]


def _crafted(kind: str, dst: Path, edit: Callable[[dict], None]) -> Path:
    src, _ = LOADERS[kind]
    for f in src.parent.iterdir():
        if f.is_file() and f.suffix == ".csv":
            shutil.copy(f, dst)
    data = tomllib.loads(src.read_text(encoding="utf-8"))
    edit(data)
    out = dst / src.name
    out.write_text(dumps(data), encoding="utf-8")
    return out


def _refusal(kind: str, tmp: Path, edit: Callable[[dict], None]) -> str:
    case = _crafted(kind, tmp, edit)
    with pytest.raises(InputError) as exc:
        LOADERS[kind][1](case)
    return str(exc.value)


def _sections(closed: bool = True) -> list[tuple[str, Section]]:
    return [
        (kind, sec)
        for kind, secs in SCHEMAS.items()
        for sec in secs.values()
        if not (closed and sec.open_to)
    ]


# -- the document -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_the_doc_holds_the_generated_schema_table(kind):
    doc = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- generated: schema {kind} -->\n(.*?)\n<!-- end generated -->", doc, re.S)
    assert m, f"no generated block for {kind} in {DOC.name}"
    assert m.group(1) == markdown_table(kind), "regenerate with: python tools/gen_input_docs.py"


def test_every_range_entry_of_the_schema_exists_and_every_entry_is_used():
    used = {k.range for _, sec in _sections(closed=False) for k in sec.keys if k.range}
    assert used <= set(RANGES)
    # entries not read from a TOML key: CSV cells, lab cells, inline waters
    # (uncertainty_factor: the numbers of a distribution of a factor, docs/uncertainty.md)
    others = {"arps_qi_m3_d", "arps_Di_per_yr", "arps_b", "well_flow_m3_d", "analyte_mg_L",
              "ORP_mV", "standard_parameter", "uncertainty_factor"}  # fmt: skip
    assert set(RANGES) - used == others


# -- the loaders accept exactly the documented keys ---------------------------------------------
@pytest.mark.parametrize(
    "kind, section", [(k, s.name) for k, s in _sections()], ids=lambda x: str(x)
)
def test_unknown_key_is_refused_naming_exactly_the_schema_keys(tmp_path, kind, section):
    sec = SCHEMAS[kind][section]
    msg = _refusal(kind, tmp_path, lambda d: _instance(kind, section, d).update(zz_typo=1))
    assert LOADERS[kind][0].name in msg
    assert "'zz_typo': unknown field; allowed: " in msg, msg
    listed = msg.split("unknown field; allowed: ", 1)[1].split(", ")
    assert set(listed) == sec.allowed(), (section, listed)


# -- every ranged key is checked against its entry ----------------------------------------------
def _bad(key: Key, inst: dict, kind: str) -> tuple[object, float]:
    """A value of ``key``'s TOML shape whose number(s) lie above the entry's hard range."""
    r = RANGES[key.range or ""]
    assert r.hi is not None
    x = int(r.hi * 10 + 1)
    if key.kind.startswith("table: season"):
        return {s: x for s in inst[key.name]}, x
    if key.kind == "table of numbers":
        given = inst.get(key.name) or {}
        sub = (
            next(iter(given), None)
            or {
                "chemicals_CNY_t": "lime",
                "SI_max": "Calcite",
                "limits": LINEAR_KEYS[0] if kind == "network case" else LIMIT_KEYS[0],
            }[key.name]
        )
        return {sub: x}, x
    if key.kind == "[low, high]":
        return [x, x + 1], x
    if key.kind == "list of numbers":
        return [x], x
    return x, x


RANGED = [(kind, sec.name, k) for kind, sec in _sections() for k in sec.keys if k.range is not None]


@pytest.mark.parametrize(
    "kind, section, key", RANGED, ids=[f"{k}-{s}-{key.name}" for k, s, key in RANGED]
)
def test_each_ranged_key_is_refused_above_its_hard_range(tmp_path, kind, section, key):
    shown: list[float] = []

    def edit(d: dict) -> None:
        inst = _instance(kind, section, d, key.name)
        value, x = _bad(key, inst, kind)
        inst[key.name] = value
        shown.append(x)

    msg = _refusal(kind, tmp_path, edit)
    r = RANGES[key.range or ""]
    where = section.split()[0]  # destinations formation -> destinations[1] ... formation
    for part in (
        LOADERS[kind][0].name,
        where,
        key.name,
        f"'{shown[0]}'",
        r.allowed(),
        f"plausible range of {key.range}:",
    ):
        assert part in msg, (part, msg)
