"""Which orders of units make a train: ``cbmwater/databases/treatment/precedence.csv`` and
``cbmwater/databases/treatment/stages.csv``, both readable tables.

precedence.csv — one rule per row: ``unit, rule, other_units, reason, reason_zh`` with rule
``requires_before`` (one of other_units must come earlier) or ``not_after`` (none of them may
come earlier); other_units separated by ``;``.  ``reason_zh`` (optional column) is the reason
in Chinese: the engine catalogue's ``treatment.order_reason.<unit>.<rule>.<first other unit>``
is generated from the two (``tools/po_catalogue.py names``), and the error of a broken rule
(``treatment.order.*``) quotes it in the user's language.

stages.csv — the stages of a produced-water train in their order, with the units that may fill
each (``stage, order, units, optional``); :func:`candidate_trains` takes one unit (or none, if
optional) per stage and keeps the trains every precedence rule allows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DatabaseError, InputError
from ..i18n import Message, Text, catalogue, joined
from .library import LIBRARY_DIR, UnitLibrary

__all__ = ["Rule", "load_rules", "check_order", "load_stages", "candidate_trains"]

RULE_KINDS = ("requires_before", "not_after")


@dataclass(frozen=True)
class Rule:
    unit: str
    rule: str
    other_units: tuple[str, ...]
    reason: str
    #: the reason in Chinese (column ``reason_zh``; "" when the table has none)
    reason_zh: str = ""

    @property
    def reason_code(self) -> str:
        """The catalogue code of the reason: ``treatment.order_reason.<unit>.<rule>.<first
        other unit>`` (a unit may have two rules of one kind, never with the same first unit)."""
        return f"treatment.order_reason.{self.unit}.{self.rule}.{self.other_units[0]}"

    def reason_message(self) -> Message | str:
        """The reason as a message when the catalogue holds it with this English text (the
        bundled table), else the reason itself (a table of the user's own, shown as is)."""
        en = catalogue("en", "engine").get(self.reason_code)
        return Message(self.reason_code) if en == self.reason else self.reason


@lru_cache(maxsize=8)
def _rules(path: Path, mtime: float, known: frozenset[str]) -> tuple[Rule, ...]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or set(reader.fieldnames) < {
            "unit",
            "rule",
            "other_units",
            "reason",
        }:
            raise DatabaseError(Text.of("treatment.error.precedence.header", file=str(path)))
        for i, row in enumerate(reader, start=2):
            unit, kind = row["unit"].strip(), row["rule"].strip()
            others = tuple(u.strip() for u in row["other_units"].split(";") if u.strip())
            for u in (unit, *others):
                if u not in known:
                    raise DatabaseError(
                        Text.of(
                            "treatment.error.table.unknown_unit",
                            file=str(path),
                            row=i,
                            unit=repr(u),
                        )
                    )
            if kind not in RULE_KINDS:
                raise DatabaseError(
                    Text.of(
                        "treatment.error.precedence.rule_kind",
                        file=str(path),
                        row=i,
                        kind=repr(kind),
                        allowed=str(RULE_KINDS),
                    )
                )
            if not others or not row["reason"].strip():
                raise DatabaseError(
                    Text.of("treatment.error.precedence.needs_reason", file=str(path), row=i)
                )
            zh = (row.get("reason_zh") or "").strip()
            out.append(Rule(unit, kind, others, row["reason"].strip(), zh))
    return tuple(out)


def load_rules(library: UnitLibrary, path: str | Path | None = None) -> tuple[Rule, ...]:
    """The precedence rules, validated against the unit library."""
    p = Path(path) if path else LIBRARY_DIR / "precedence.csv"
    if not p.is_file():
        raise DatabaseError(Text.of("treatment.error.precedence.not_found", file=str(p)))
    return _rules(p.resolve(), p.stat().st_mtime, frozenset(library.units))


def check_order(
    units: list[str], library: UnitLibrary, rules: tuple[Rule, ...] | None = None
) -> None:
    """Raise :class:`InputError` if ``units`` (ids, in order) break a precedence rule or name an
    unknown unit (with the nearest id suggested) or repeat a unit."""
    if not units:
        raise InputError(Text.of("treatment.order.empty"))
    for u in units:
        library[u]  # unknown ids raise with a suggestion
    seen = set()
    for u in units:
        if u in seen:
            raise InputError(Text.of("treatment.order.twice", unit=_unit(u)))
        seen.add(u)
    rules = rules if rules is not None else load_rules(library)
    for pos, u in enumerate(units):
        before = set(units[:pos])
        for r in rules:
            if r.unit != u:
                continue
            if r.rule == "requires_before" and not before & set(r.other_units):
                raise InputError(
                    Text.of(
                        "treatment.order.requires_before",
                        unit=_unit(u),
                        others=_units(r.other_units),
                        reason=r.reason_message(),
                    )
                )
            if r.rule == "not_after" and before & set(r.other_units):
                bad = sorted(before & set(r.other_units))
                raise InputError(
                    Text.of(
                        "treatment.order.not_after",
                        unit=_unit(u),
                        others=_units(bad),
                        reason=r.reason_message(),
                    )
                )


def _unit(uid: str) -> Message:
    """A unit of the library named in a message (English: its id; Chinese: its name)."""
    return Message(f"unitid.{uid}")


def _units(uids: tuple[str, ...] | list[str]) -> Message | str:
    """Unit ids as a list message ("a, b" / "甲、乙")."""
    return joined([_unit(u) for u in uids])


def load_stages(
    library: UnitLibrary, path: str | Path | None = None
) -> list[tuple[str, list[str], bool]]:
    """Stages in order: (stage name, unit ids, optional)."""
    p = Path(path) if path else LIBRARY_DIR / "stages.csv"
    if not p.is_file():
        raise DatabaseError(Text.of("treatment.error.stages.not_found", file=str(p)))
    rows = []
    with p.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            units = [u.strip() for u in row["units"].split(";") if u.strip()]
            for u in units:
                if u not in library:
                    raise DatabaseError(
                        Text.of(
                            "treatment.error.table.unknown_unit", file=str(p), row=i, unit=repr(u)
                        )
                    )
            opt = row.get("optional", "").strip().lower() in ("yes", "true", "1")
            rows.append((int(row["order"]), row["stage"].strip(), units, opt))
    rows.sort()
    return [(name, units, opt) for _, name, units, opt in rows]


def candidate_trains(
    library: UnitLibrary, *, pool: list[str] | None = None, max_units: int = 8, limit: int = 500
) -> list[list[str]]:
    """Trains built stage by stage from ``stages.csv`` that every precedence rule allows.

    Parameters
    ----------
    pool : list of str, optional
        Only these unit ids may be used (default: all).
    max_units : int
        Longest train.
    limit : int
        At most this many trains (in stage-table order).
    """
    rules = load_rules(library)
    stages = load_stages(library)
    choices: list[list[str | None]] = []
    for _, units, optional in stages:
        opts: list[str | None] = [u for u in units if pool is None or u in pool]
        if optional or not opts:
            opts = [None, *opts]
        choices.append(opts)
    by_unit: dict[str, list[Rule]] = {}
    for r in rules:
        by_unit.setdefault(r.unit, []).append(r)

    def allowed(u: str, before: set[str]) -> bool:
        # the checks of check_order for a unit appended to a valid prefix: every rule looks
        # only at the units before its own, so a prefix that breaks one is never completed
        if u in before:
            return False
        for r in by_unit.get(u, ()):
            hit = not before.isdisjoint(r.other_units)
            if (r.rule == "requires_before") != hit:
                return False
        return True

    # depth first over the stages, in the order of itertools.product(*choices) (the last stage
    # varies fastest), pruning a branch as soon as its prefix breaks a rule: the work grows with
    # the trains kept, not with the product of the stage choices
    out: list[list[str]] = []
    train: list[str] = []
    seen: set[str] = set()

    def visit(stage: int) -> None:
        if stage == len(choices):
            if train:
                out.append(list(train))
            return
        for u in choices[stage]:
            if len(out) >= limit:
                return
            if u is None:
                visit(stage + 1)
            elif len(train) < max_units and allowed(u, seen):
                train.append(u)
                seen.add(u)
                visit(stage + 1)
                seen.discard(u)
                train.pop()

    visit(0)
    return out
