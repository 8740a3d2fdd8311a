"""A reinjection proposal read from TOML and validated (see ``cbmwater/case_studies/reinjection/README.md``).

Layout::

    title = "..."                   # optional; title_zh (and description_zh): in Chinese
    standard = "SYT5329"            # optional; injection-water standard with permeability classes
    [injectate]                     # file + sample_id, or canonical keys inline (pH = 8.1, Na = 650)
    [formation]                     # name, lithology, depth_m, temperature_C, pressure_bar,
                                    # permeability_um2; optional name_zh (in Chinese)
    [formation.water]               # same two forms as [injectate]
    [operation]                     # volume_m3_d
    [[protected_aquifers]]          # name, bottom_depth_m (optional top_depth_m)
    [review]                        # optional: min_separation_m, fractions, database

Every error is an :class:`~cbmwater.errors.InputError` naming the field (``formation.temperature_C
is missing``).  File paths are relative to the proposal's folder.  Names and other text are kept
for the report only; they never reach PHREEQC.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import plausible
from ..casefile import withhold_outside_values
from ..errors import InputError
from ..i18n import Message, Text
from ..schema import PROPOSAL, check_section
from ..standards.table import PARAMETERS, load_standards
from ..validation import check_unique
from ..water.analysis import AnalysisSet
from ..water.vocabulary import CONSTITUENTS

__all__ = [
    "Water",
    "Aquifer",
    "Proposal",
    "load_proposal",
    "parse_proposal",
    "permeability_class",
    "DEFAULT_MIN_SEPARATION_M",
    "DEFAULT_FRACTIONS",
]

#: Minimum vertical separation (m) between a protected aquifer and the injected formation.
#: Engineering assumption: SY/T 7640-2021 §5.2 covers the choice of injection horizon but its
#: numbers were not found; 100 m of intervening strata is a conservative order of magnitude for
#: the confining sequence of the southern Qinshui coal measures (several mudstone beds).
DEFAULT_MIN_SEPARATION_M = 100.0
#: Number of mixing fractions from 0 to 100 % injectate (step 10 %).
DEFAULT_FRACTIONS = 11
_SOURCE_STANDARD = "SYT5329"


@dataclass
class Water:
    """One water of a proposal: canonical constituent values (mg/L; NaN = not measured)."""

    label: str  # "injectate" or "formation.water"
    analyses: AnalysisSet  # one sample
    extra: dict[str, float]  # standard parameters that are not constituents (oil, SRB ...)
    source: str  # "inline" or the file path as given
    canonical: str  # canonical content for hashing

    @property
    def values(self) -> dict[str, float]:
        """Resolved values (censored at half the detection limit), measured ones only."""
        row = self.analyses.resolved("half").iloc[0]
        return {k: float(v) for k, v in row.items() if not math.isnan(v)}

    def standard_values(self) -> dict[str, object]:
        """Values for :func:`cbmwater.standards.check_compliance` (censored as ``"<DL"``)."""
        out: dict[str, object] = {}
        vals = self.analyses.values.iloc[0]
        cens = self.analyses.censored.iloc[0]
        for k, v in vals.items():
            if math.isnan(v):
                continue
            out[k] = f"<{v:g}" if cens[k] else float(v)
        out.update(self.extra)
        return out


@dataclass
class Aquifer:
    name: str
    bottom_depth_m: float
    top_depth_m: float | None = None


@dataclass
class Proposal:
    path: Path | None
    title: str
    standard: str
    injectate: Water
    formation_name: str
    lithology: str
    depth_m: float
    temperature_C: float
    pressure_bar: float
    permeability_um2: float
    permeability_class: str
    formation_water: Water
    volume_m3_d: float
    aquifers: list[Aquifer]
    min_separation_m: float = DEFAULT_MIN_SEPARATION_M
    fractions: int = DEFAULT_FRACTIONS
    database: str = "phreeqc"
    inputs_hash: str = ""
    notes: list[str] = field(default_factory=list)
    #: title and formation name in Chinese (``title_zh``, ``[formation] name_zh``; "" if not given)
    title_zh: str = ""
    formation_name_zh: str = ""


def permeability_class(k_um2: float) -> str:
    """SY/T 5329 class of an average air permeability ``k_um2`` (µm²).

    Boundaries are read as upper-inclusive: k <= 0.01; 0.01 < k <= 0.05; 0.05 < k <= 0.5;
    0.5 < k <= 1.5; k > 1.5 (the standard's table prints ranges such as "0.01-0.05").
    """
    if k_um2 <= 0.01:
        return "k<=0.01"
    if k_um2 <= 0.05:
        return "0.01-0.05"
    if k_um2 <= 0.5:
        return "0.05-0.5"
    if k_um2 <= 1.5:
        return "0.5-1.5"
    return ">1.5"


def _section(data: object, name: str, where: str | None = None) -> None:
    """Refuse a key the proposal's section ``name`` does not know (:data:`PROPOSAL`); the
    section's missing keys are named by the readers of each value."""
    check_section(data, PROPOSAL[name], where or name, required=())


def _ranged(table: dict[str, Any], key: str, where: str, rkey: str, warns: list[str]) -> float:
    """``table[key]`` within the plausible range ``rkey`` (:mod:`cbmwater.plausible`): refused
    outside the hard range, a note in ``warns`` outside the soft one."""
    if key not in table:
        raise InputError(Text.of("proposal.missing", where=f"{where}.{key}"))
    return plausible.check(rkey, table[key], f"{where}.{key}", warnings=warns)


_ADM = "aquifer_depth_m"


def _text(table: dict, key: str, where: str, default: str | None = None) -> str:
    if key not in table:
        if default is not None:
            return default
        raise InputError(Text.of("proposal.missing", where=f"{where}.{key}"))
    v = table[key]
    if not isinstance(v, str) or not v.strip():
        raise InputError(Text.of("proposal.non_empty_text", where=f"{where}.{key}"))
    return v.strip()


def _water(spec: object, where: str, base: Path | None, allow_outside: bool = False) -> Water:
    from ..casefile import id_hint, resolve_inside
    from ..water.io import read_analyses

    if not isinstance(spec, dict):
        raise InputError(Text.of("proposal.water_missing", where=where))
    extra: dict[str, float] = {}
    if "file" in spec:
        file = _text(spec, "file", where)
        sid = _text(spec, "sample_id", where)
        folder = base or Path.cwd()
        p = resolve_inside(
            folder, file, file=None, table=where, field="file", allow_outside=allow_outside
        )
        if not p.is_file():
            raise InputError(
                Text.of(
                    "proposal.file_not_found",
                    where=where,
                    file=repr(file),
                    folder=str(base or Path.cwd()),
                )
            )
        whole = read_analyses(p, require_pH=False)
        if sid not in whole.sample_ids:
            raise InputError(
                Text.of(
                    "proposal.sample_not_in",
                    where=where,
                    sid=repr(sid),
                    file=file,
                    hint=id_hint(whole.sample_ids, p, folder, limit=None),
                )
            )
        analyses = whole.subset([sid])
        for k in spec:
            if k in ("file", "sample_id"):
                continue
            if k in CONSTITUENTS and k not in _STANDARD_ONLY:
                raise InputError(
                    Text.of("proposal.inline_with_file", where=f"{where}.{k}", file=file)
                )
            extra[k] = _extra(spec, k, where)
        canonical = json.dumps(
            {"file_fingerprint": whole.fingerprint(), "sample_id": sid, "extra": extra},
            sort_keys=True,
        )
        source = file
    else:
        rec: dict[str, object] = {"sample_id": where}
        for k, v in spec.items():
            if k in CONSTITUENTS and k not in _STANDARD_ONLY:
                if isinstance(v, bool) or not isinstance(v, (int, float, str)):
                    raise InputError(
                        Text.of("proposal.number_or_dl", where=f"{where}.{k}", got=repr(v))
                    )
                rec[k] = v
            else:
                extra[k] = _extra(spec, k, where)
        try:
            analyses = AnalysisSet.from_records([rec], source=where)
        except InputError as exc:
            raise InputError(
                f"{where}: {exc}",
                msg=Message("error.prefixed", {"prefix": where, "what": exc.full_message()}),
            ) from None
        canonical = json.dumps(
            {"fingerprint": analyses.fingerprint(), "extra": extra}, sort_keys=True
        )
        source = Text.of("case.source.inline")
    if math.isnan(float(analyses.values.iloc[0]["pH"])):
        raise InputError(Text.of("proposal.no_pH", where=where))
    return Water(where, analyses, extra, source, canonical)


#: Vocabulary entries that a proposal gives as standard parameters, not as analysis values
#: (dissolved oxygen is a field measurement that SY/T 5329 limits; PHREEQC does not use it).
_STANDARD_ONLY = frozenset({"DO"})


def _extra(spec: dict, k: str, where: str) -> float:
    if k not in PARAMETERS:
        raise InputError(
            Text.of(
                "proposal.unknown_parameter",
                where=f"{where}.{k}",
                constituents=", ".join(CONSTITUENTS),
            )
        )
    return plausible.check("standard_parameter", spec[k], f"{where}.{k}")


@withhold_outside_values
def parse_proposal(
    data: dict,
    base: Path | None = None,
    path: Path | None = None,
    raw: bytes = b"",
    *,
    allow_outside: bool = False,
) -> Proposal:
    """Validate a proposal already parsed from TOML (``base``: folder for relative paths).

    A water's ``file`` must be inside ``base`` (no absolute path, ``..`` or symlink; see
    :func:`cbmwater.casefile.resolve_inside`) unless ``allow_outside``.  An unknown
    ``sample_id`` lists the file's ids only when the file is inside ``base`` (the rule of
    :mod:`cbmwater.casefile`)."""
    _section(data, "top level")
    table = load_standards()
    std = data.get("standard", _SOURCE_STANDARD)
    if not isinstance(std, str):
        raise InputError(Text.of("proposal.standard_text"))
    try:
        std = table.resolve_standard(std)
    except InputError as exc:
        raise InputError(
            f"standard: {exc}",
            msg=Message("error.prefixed", {"prefix": "standard", "what": exc.full_message()}),
        ) from None
    if std != _SOURCE_STANDARD:
        raise InputError(
            Text.of("proposal.standard_classes", std=repr(std), allowed=_SOURCE_STANDARD)
        )
    inj = _water(data.get("injectate"), "injectate", base, allow_outside)
    form = data.get("formation")
    if not isinstance(form, dict):
        raise InputError(Text.of("proposal.missing", where="formation"))
    _section(form, "formation")
    name = _text(form, "name", "formation")
    litho = _text(form, "lithology", "formation")
    warns: list[str] = []  # values outside their usual range (cbmwater.plausible)
    depth = _ranged(form, "depth_m", "formation", "depth_m", warns)
    temp = _ranged(form, "temperature_C", "formation", "temperature_C", warns)
    pres = _ranged(form, "pressure_bar", "formation", "pressure_bar", warns)
    perm = _ranged(form, "permeability_um2", "formation", "permeability_um2", warns)
    cls = permeability_class(perm)
    table.limits(std, cls)  # the class must exist in the table
    fw = _water(form.get("water"), "formation.water", base, allow_outside)
    op = data.get("operation")
    if not isinstance(op, dict):
        raise InputError(Text.of("proposal.missing", where="operation"))
    _section(op, "operation")
    vol = _ranged(op, "volume_m3_d", "operation", "injection_m3_d", warns)
    aqs = data.get("protected_aquifers")
    if not isinstance(aqs, list) or not aqs:
        raise InputError(Text.of("proposal.aquifers_missing"))
    aquifers = []
    for i, a in enumerate(aqs, start=1):
        w = f"protected_aquifers[{i}]"
        if not isinstance(a, dict):
            raise InputError(Text.of("proposal.must_be_table", where=w))
        _section(a, "protected_aquifers", w)
        top = None if "top_depth_m" not in a else _ranged(a, "top_depth_m", w, _ADM, warns)
        bottom = _ranged(a, "bottom_depth_m", w, _ADM, warns)
        if top is not None and top > bottom:
            raise InputError(Text.of("proposal.top_below_bottom", where=w, top=top, bottom=bottom))
        aquifers.append(Aquifer(_text(a, "name", w), bottom, top))
    # the review's findings name each aquifer: two of one name could not be told apart
    check_unique([a.name for a in aquifers], "protected_aquifers name")
    rv = data.get("review", {})
    if not isinstance(rv, dict):
        raise InputError(Text.of("proposal.must_be_table", where="review"))
    _section(rv, "review")
    sep = (
        None
        if "min_separation_m" not in rv
        else _ranged(rv, "min_separation_m", "review", "separation_m", warns)
    )
    nfr = rv.get("fractions", DEFAULT_FRACTIONS)
    if isinstance(nfr, bool) or not isinstance(nfr, int):
        raise InputError(Text.of("proposal.fractions_whole", got=repr(nfr)))
    plausible.check("mixing_fractions", nfr, "review.fractions")
    dbname = rv.get("database", "phreeqc")
    if dbname not in ("phreeqc", "wateq4f"):
        raise InputError(Text.of("proposal.database", got=repr(dbname)))
    h = hashlib.sha256()
    h.update(json.dumps(data, sort_keys=True, default=str).encode())
    h.update(inj.canonical.encode())
    h.update(fw.canonical.encode())
    h.update(table.sha256.encode())
    return Proposal(
        path,
        str(data.get("title", path.stem if path else "proposal")),
        std,
        inj,
        name,
        litho,
        depth,
        temp,
        pres,
        perm,
        cls,
        fw,
        vol,
        aquifers,
        DEFAULT_MIN_SEPARATION_M if sep is None else sep,
        nfr,
        dbname,
        h.hexdigest(),
        warns,
        title_zh=str(data.get("title_zh", "")),
        formation_name_zh=str(form.get("name_zh", "")),
    )


def load_proposal(path: str | Path, *, allow_outside: bool = False) -> Proposal:
    """Read and validate a proposal TOML file; with ``allow_outside`` its water files may lie
    outside its folder (docs/confinement.md)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"proposal file {p} not found",
            msg=Message("error.proposal_not_found", {"path": str(p)}),
        )
    raw = p.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Text.of("proposal.bad_toml", path=str(p), exc=str(exc))) from None
    try:
        return parse_proposal(data, p.resolve().parent, p, raw, allow_outside=allow_outside)
    except InputError as exc:
        raise InputError(
            f"{p.name}: {exc}",
            msg=Message("error.prefixed", {"prefix": p.name, "what": exc.full_message()}),
        ) from None
