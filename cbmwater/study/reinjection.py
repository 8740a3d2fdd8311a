"""Reinjection proposals through the public API: :func:`load_proposal` and :func:`review`."""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from ..i18n import Text, localized
from ..reinjection.review import SCALE_MINERALS
from .results import JsonResult, attached

if TYPE_CHECKING:  # pragma: no cover
    from ..reinjection.proposal import Proposal
    from ..reinjection.review import Review

__all__ = [
    "load_proposal",
    "review",
    "ReviewResult",
    "Finding",
    "SCALE_MINERALS",
    "proposal_files",
    "proposal_title",
    "review_upload",
]


class Finding(TypedDict):
    """One finding of a review: ``severity`` info, warning or fail, with its evidence."""

    code: str
    severity: str
    message: str
    evidence: dict[str, Any]
    basis: str
    condition: str | None
    # the three texts as message dicts (code, params, English text): render(..., lang)
    message_i18n: NotRequired[dict[str, Any]]
    basis_i18n: NotRequired[dict[str, Any]]
    condition_i18n: NotRequired[dict[str, Any] | None]


@dataclass(frozen=True)
class ReviewResult(JsonResult):
    """A regulator's review of a reinjection proposal (``cbmwater review --format json``).

    Attributes
    ----------
    verdict : str
        ``pass``, ``conditional`` or ``fail``.
    conditions : list of str
        What a conditional pass requires (antiscalant, iron pre-treatment ...).
    findings : list of Finding
        Standard, compatibility (PHREEQC mixing) and isolation findings with evidence.
    mixing : list of dict
        Per injectate fraction: pH, SI and scale (mg/L) of each mineral.
    inputs_hash : str
        SHA-256 of the proposal and the files it names (the evidence can be re-run).
    warnings : list of str
        Proposal values accepted outside their usual range (:mod:`cbmwater.plausible`).
    verdict_i18n, verdict_reason_i18n : dict
        The verdict's name and the reason for it as message dicts (``code``, ``params``,
        ``text``); render them with :func:`cbmwater.render` in "en" or "zh" (docs/i18n.md).
    conditions_i18n, assumptions_i18n, warnings_i18n : list of dict
        ``conditions``, ``assumptions`` and ``warnings`` as message dicts, item for item.
    """

    verdict: str
    conditions: list[str]
    findings: list[Finding]
    mixing: list[dict[str, Any]]
    inputs_hash: str
    versions: dict[str, str]
    proposal: dict[str, Any]
    assumptions: list[str]
    warnings: list[str] = field(default_factory=list)
    verdict_i18n: dict[str, Any] = field(default_factory=dict)
    verdict_reason_i18n: dict[str, Any] = field(default_factory=dict)
    conditions_i18n: list[dict[str, Any]] = field(default_factory=list)
    assumptions_i18n: list[dict[str, Any]] = field(default_factory=list)
    warnings_i18n: list[dict[str, Any]] = field(default_factory=list)
    review: Review | None = attached()

    TABLES = {
        "findings": (
            lambda r: list(r.findings),
            ("code", "severity", "message", "basis", "condition"),
        ),
        "mixing": (
            lambda r: list(r.mixing),
            ("fraction_injectate", "pH", "temp_C")
            + tuple(f"si_{m}" for m in SCALE_MINERALS)
            + tuple(f"scale_{m}_mg_L" for m in SCALE_MINERALS)
            + ("scale_mg_L", "excess_scale_mg_L"),
        ),
    }

    @property
    def pqi(self) -> str:
        """The PHREEQC mixing input that was run (re-run it with PHREEQC 3)."""
        return "" if self.review is None else self.review.pqi

    def to_html(self, lang: str = "en") -> str:
        """The review as one self-contained HTML page (verdict, findings, mixing curves,
        evidence, assumptions, the .pqi); see :func:`cbmwater.study.reports.review_report`."""
        from ..report.documents import review_document

        return review_document(self.to_dict(), self.pqi, lang=lang, fmt="html").decode("utf-8")


def load_proposal(
    proposal: str | Path | Mapping[str, Any],
    *,
    base_dir: str | Path | None = None,
    allow_outside: bool = False,
) -> Proposal:
    """Read and validate a reinjection proposal (TOML file, TOML text as bytes, or a mapping).

    Parameters
    ----------
    proposal : str, Path, bytes or mapping
        The proposal TOML file, its bytes, or its content parsed.
    base_dir : str or Path, optional
        For bytes or a mapping: the folder its file references are relative to (default: the
        current folder).
    allow_outside : bool
        Let the proposal name water files outside its folder (an absolute path, ``..``, a symlink).  Off
        by default: a proposal's folder is self-contained, so a proposal cannot read other files of the
        machine (docs/confinement.md).  The app never sets it.

    Returns
    -------
    Proposal
        The validated proposal (injectate, formation and its water, aquifers, volume).

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> p = cbmwater.load_proposal(example_path("reinjection", "compatible.toml"))
    >>> p.standard, p.permeability_class, p.volume_m3_d   # 0.3 um2 is in SY/T 5329's 0.05-0.5 class
    ('SYT5329', '0.05-0.5', 150.0)
    """
    from ..errors import InputError
    from ..reinjection.proposal import load_proposal as _load
    from ..reinjection.proposal import parse_proposal

    base = Path(base_dir or ".").resolve()
    if isinstance(proposal, (bytes, bytearray)):
        try:
            data = tomllib.loads(bytes(proposal).decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(Text.of("study.error.proposal_toml", exc=str(exc))) from None
        return parse_proposal(data, base, None, bytes(proposal), allow_outside=allow_outside)
    if isinstance(proposal, Mapping):
        return parse_proposal(dict(proposal), base, None, allow_outside=allow_outside)
    return _load(proposal, allow_outside=allow_outside)


def review(
    proposal: str | Path | Mapping[str, Any] | Proposal,
    *,
    base_dir: str | Path | None = None,
    allow_outside: bool = False,
) -> ReviewResult:
    """Review a reinjection proposal: injection-water standard (SY/T 5329), formation
    compatibility (PHREEQC mixing of injectate and formation water) and aquifer isolation.

    Parameters
    ----------
    proposal : str, Path, bytes, mapping or Proposal
        See :func:`load_proposal`.
    base_dir : str or Path, optional
        For bytes or a mapping: the folder its file references are relative to.
    allow_outside : bool
        See :func:`load_proposal` (off by default).

    Returns
    -------
    ReviewResult
        Verdict, conditions, findings with evidence, mixing curves and the inputs' hash;
        ``.pqi`` is the PHREEQC input, ``.to_html()`` the report.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> res = cbmwater.review(example_path("reinjection", "barite_scaling.toml"))
    >>> res.verdict in ("conditional", "fail")
    True
    """
    from ..reinjection.proposal import Proposal
    from ..reinjection.review import review as _review

    p = (
        proposal
        if isinstance(proposal, Proposal)
        else load_proposal(proposal, base_dir=base_dir, allow_outside=allow_outside)
    )
    r = _review(p)
    return ReviewResult.from_dict(r.as_dict(), review=r)


def _toml_or_none(data: bytes) -> dict[str, Any] | None:
    try:
        return tomllib.loads(bytes(data).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, TypeError):
        return None


def proposal_title(data: bytes, lang: str = "en") -> str | None:
    """The ``title`` of a proposal given as TOML bytes (None if unreadable or untitled); in
    Chinese its ``title_zh`` when the proposal gives one.

    Examples
    --------
    >>> proposal_title(b'title = "Well SZ-7 injectate"')
    'Well SZ-7 injectate'
    >>> proposal_title('title = "SZ-7"\\ntitle_zh = "SZ-7 回注水"'.encode(), "zh")
    'SZ-7 回注水'
    >>> proposal_title(b"not = [toml") is None
    True
    """
    doc = _toml_or_none(data)
    if not doc or not isinstance(doc.get("title"), str):
        return None
    title = localized(doc, "title", lang)
    return title if isinstance(title, str) and title else None


def proposal_files(data: bytes) -> list[str]:
    """The lab files a proposal (TOML bytes) names: the ``file`` of ``[injectate]`` and of
    ``[formation.water]``, in that order, each once.  Unreadable TOML gives ``[]`` (the review
    then reports the syntax error itself).

    Examples
    --------
    >>> proposal_files(b'[injectate]\\nfile = "waters.csv"\\n[formation.water]\\n'
    ...                b'file = "waters.csv"\\n')
    ['waters.csv']
    """
    doc = _toml_or_none(data) or {}
    specs = [doc.get("injectate")]
    form = doc.get("formation")
    if isinstance(form, dict):
        specs.append(form.get("water"))
    out: list[str] = []
    for s in specs:
        if isinstance(s, dict) and isinstance(s.get("file"), str) and s["file"] not in out:
            out.append(s["file"])
    return out


def _inside(ref: str) -> PurePosixPath | None:
    """A file reference as a relative path that stays in its folder (None if it would leave)."""
    rel = PurePosixPath(ref.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or ":" in rel.parts[0]:
        return None
    return rel


def review_upload(
    toml_data: bytes, toml_name: str, csv_data: bytes | None = None, csv_name: str | None = None
) -> ReviewResult:
    """Review an uploaded proposal (its TOML bytes) with, optionally, the lab CSV it names.

    The proposal is written to a temporary folder under (a safe form of) ``toml_name``; the CSV
    beside it under every relative file name the proposal references (:func:`proposal_files`;
    ``csv_name`` or ``waters.csv`` if it names none).  A reference that would leave the folder
    (absolute, ``..``) gets no file: the review then says what is missing.

    Parameters
    ----------
    toml_data : bytes
        The proposal TOML.
    toml_name : str
        Its name as uploaded (must end in ``.toml``).
    csv_data : bytes, optional
        The lab CSV of the injectate and/or formation water.
    csv_name : str, optional
        Its name as uploaded.

    Returns
    -------
    ReviewResult
        As :func:`review`; messages name ``toml_name``.

    Raises
    ------
    InputError
        Not bytes, not a ``.toml`` name, invalid TOML or proposal (naming the field).

    Examples
    --------
    >>> from cbmwater.resources import example_path
    >>> p = example_path("reinjection", "barite_scaling.toml")
    >>> csv = example_path("reinjection", "waters.csv").read_bytes()
    >>> review_upload(p.read_bytes(), p.name, csv, "lab.csv").verdict == review(p).verdict
    True
    """
    import re

    from ..errors import InputError

    if not isinstance(toml_data, (bytes, bytearray)):
        raise InputError(Text.of("study.error.upload_not_file", name=toml_name))
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(str(toml_name)).name) or "proposal.toml"
    if not name.lower().endswith(".toml"):
        raise InputError(Text.of("study.error.proposal_suffix", name=str(toml_name)))
    with tempfile.TemporaryDirectory(prefix="cbmwater_proposal_") as tmp:
        folder = Path(tmp)
        (folder / name).write_bytes(bytes(toml_data))
        if csv_data is not None:
            for ref in proposal_files(toml_data) or [csv_name or "waters.csv"]:
                rel = _inside(ref)
                if rel is None:
                    continue
                dest = folder.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(bytes(csv_data))
        return review(folder / name)
