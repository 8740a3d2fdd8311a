"""Maintain the engine's gettext catalogues (``cbmwater/locale/<en|zh>/LC_MESSAGES/<domain>.po``).

The ``.po`` files are the source of truth (reviewed in pull requests, edited with any gettext
tool); this script only writes them through Babel so that English and Chinese never drift:

``python tools/po_catalogue.py add ENTRIES.toml [--domain engine]``
    Add or update messages in both languages at once.  ``ENTRIES.toml`` holds one table per
    code: ``["review.verdict.pass"]`` with ``en = "..."`` and ``zh = "..."``.
``python tools/po_catalogue.py names``
    (Re)generate the name entries of the engine domain from the data that defines the names:
    minerals, gases and reagents (:mod:`cbmwater.water.phases`), constituents
    (:mod:`cbmwater.water.vocabulary`), unit processes (``databases/treatment/units.toml``) and
    the reasons of the train precedence rules (``databases/treatment/precedence.csv``).
    tests/test_i18n.py fails when the catalogue and the data disagree.
``python tools/po_catalogue.py check``
    Exit 1 if a code is in one language's catalogue and not the other's, or empty.

Both files are written sorted by code, so a diff shows only what changed.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "cbmwater" / "locale"
LANGS = ("en", "zh")
HEADER = (
    "# cbmwater {domain} messages ({lang}). msgid = stable code; msgstr = the text (str.format "
    "fields).\n# Chinese terms follow glossary [GZ] (docs/references.md) (docs/i18n.md). Written by "
    "tools/po_catalogue.py."
)


def po_path(lang: str, domain: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def load(lang: str, domain: str) -> dict[str, str]:
    """code -> text of one catalogue (empty if the file does not exist)."""
    path = po_path(lang, domain)
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        cat = read_po(f, domain=domain)
    return {str(m.id): str(m.string) for m in cat if m.id and isinstance(m.id, str)}


def save(lang: str, domain: str, messages: Mapping[str, str]) -> None:
    cat = Catalog(locale=None, domain=domain, charset="utf-8", fuzzy=False)
    for code in sorted(messages):
        cat.add(code, messages[code])
    path = po_path(lang, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write((HEADER.format(domain=domain, lang=lang) + "\n").encode())
        f.write(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
        f.write(f'"Language: {lang}\\n"\n\n'.encode())
        body = _body(cat)
        f.write(body)


def _body(cat: Catalog) -> bytes:
    import io

    buf = io.BytesIO()
    write_po(buf, cat, width=0, omit_header=True, sort_output=True)
    return buf.getvalue()


def merge(entries: Mapping[str, Mapping[str, str]], domain: str = "engine") -> int:
    """Add or replace ``code -> {"en": ..., "zh": ...}`` in both catalogues; returns the count."""
    for code, texts in entries.items():
        missing = [lang for lang in LANGS if not str(texts.get(lang, "")).strip()]
        if missing:
            raise SystemExit(f"{code}: no text for {', '.join(missing)}")
    for lang in LANGS:
        messages = load(lang, domain)
        messages.update({code: str(texts[lang]) for code, texts in entries.items()})
        save(lang, domain, messages)
    return len(entries)


def name_entries() -> dict[str, dict[str, str]]:
    """The name messages defined by the data: ``substance.<name>``, ``constituent.<name>``,
    ``unit.<id>`` (the unit's name) and ``unitid.<id>`` (English: the id, as English warnings
    name a unit; Chinese: its name)."""
    sys.path.insert(0, str(ROOT))
    from cbmwater.water.phases import SUBSTANCES
    from cbmwater.water.vocabulary import CONSTITUENTS

    out: dict[str, dict[str, str]] = {}
    for s in SUBSTANCES.values():
        out[f"substance.{s.name}"] = {"en": s.name_en, "zh": s.name_zh}
    for s in SUBSTANCES.values():
        if s.kind == "mineral":  # the PHREEQC phase name, as findings name it in English
            out[f"phase.{s.name}"] = {"en": s.name, "zh": f"{s.name_zh}（{s.formula}）"}
    out.update(standard_entries())
    for c in CONSTITUENTS.values():
        out[f"constituent.{c.name}"] = {"en": c.label_en, "zh": c.label_zh}
    units = tomllib.loads((ROOT / "cbmwater/databases/treatment/units.toml").read_text("utf-8"))
    for uid, spec in units.get("units", units).items():
        if isinstance(spec, dict) and "name_en" in spec:
            out[f"unit.{uid}"] = {"en": spec["name_en"], "zh": spec["name_zh"]}
            # a unit named by its id in English texts ("brackish_ro: ..."), by name in Chinese
            out[f"unitid.{uid}"] = {"en": uid, "zh": spec["name_zh"]}
    out.update(order_reason_entries())
    return out


def order_reason_entries() -> dict[str, dict[str, str]]:
    """``treatment.order_reason.<unit>.<rule>.<first other unit>``: the reasons of the train
    precedence rules (``databases/treatment/precedence.csv`` columns ``reason``, ``reason_zh``)."""
    import csv

    path = ROOT / "cbmwater/databases/treatment/precedence.csv"
    out: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            first = row["other_units"].split(";")[0].strip()
            code = f"treatment.order_reason.{row['unit'].strip()}.{row['rule'].strip()}.{first}"
            out[code] = {"en": row["reason"].strip(), "zh": row["reason_zh"].strip()}
    return out


#: Chinese names of standards whose table name is not "<code> <Chinese title> (English)"
_STANDARD_ZH = {
    "FAO29": "联合国粮农组织（FAO）第29号灌溉与排水文件（Ayers & Westcot 1985）",
    "MEE_coal_mine_water_salt_cap": "《关于进一步加强煤炭资源开发环境影响评价管理的通知》矿井水含盐量要求",
}


def standard_entries() -> dict[str, dict[str, str]]:
    """``standard.<id>``: English = the id (as the engine's English texts write it), Chinese =
    《title》（code—year）, from ``databases/standards.csv``."""
    import csv
    import re

    path = ROOT / "cbmwater/databases/standards.csv"
    out: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sid, name = row["standard_id"], row["standard_name"]
            if sid in out:
                continue
            m = re.match(r"^([A-Z/]+ [\d.]+)-(\d{4}) ([^(]+?) \(", name)
            zh = f"《{m[3].strip()}》（{m[1]}—{m[2]}）" if m else _STANDARD_ZH[sid]
            out[f"standard.{sid}"] = {"en": sid, "zh": zh}
    return out


def check(domain: str = "engine") -> list[str]:
    """Problems: codes missing or empty in a language."""
    cats = {lang: load(lang, domain) for lang in LANGS}
    codes = set().union(*cats.values())
    return [
        f"{domain}: {code!r} missing or empty in {lang}"
        for code in sorted(codes)
        for lang in LANGS
        if not cats[lang].get(code, "").strip()
    ]


def main(argv: list[str]) -> int:
    domain = "engine"
    if "--domain" in argv:
        i = argv.index("--domain")
        domain = argv[i + 1]
        del argv[i : i + 2]
    if argv[:1] == ["add"] and len(argv) == 2:
        n = merge(tomllib.loads(Path(argv[1]).read_text("utf-8")), domain)
        print(f"{n} messages written to the {domain} catalogues")
        return 0
    if argv == ["names"]:
        print(f"{merge(name_entries(), 'engine')} name messages written")
        return 0
    if argv == ["check"]:
        problems = check(domain)
        print("\n".join(problems) or "ok")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
