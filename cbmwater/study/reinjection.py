"""Reinjection proposals through the public API: :func:`load_proposal` and :func:`review`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from ..reinjection.review import SCALE_MINERALS
from .results import JsonResult, attached

if TYPE_CHECKING:  # pragma: no cover
    from ..reinjection.proposal import Proposal
    from ..reinjection.review import Review

__all__ = ["load_proposal", "review", "ReviewResult", "Finding", "SCALE_MINERALS"]



class Finding(TypedDict):
    """One finding of a review: ``severity`` info, warning or fail, with its evidence."""

    code: str
    severity: str
    message: str
    evidence: dict[str, Any]
    basis: str
    condition: str | None


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
    """

    verdict: str
    conditions: list[str]
    findings: list[Finding]
    mixing: list[dict[str, Any]]
    inputs_hash: str
    versions: dict[str, str]
    proposal: dict[str, Any]
    assumptions: list[str]
    review: Review | None = attached()

    TABLES = {
        "findings": (lambda r: list(r.findings),
                     ("code", "severity", "message", "basis", "condition")),
        "mixing": (lambda r: list(r.mixing),
                   ("fraction_injectate", "pH", "temp_C")
                   + tuple(f"si_{m}" for m in SCALE_MINERALS)
                   + tuple(f"scale_{m}_mg_L" for m in SCALE_MINERALS)
                   + ("scale_mg_L", "excess_scale_mg_L")),
    }

    @property
    def pqi(self) -> str:
        """The PHREEQC mixing input that was run (re-run it with PHREEQC 3)."""
        return "" if self.review is None else self.review.pqi

    def to_html(self) -> str:
        """The review as one self-contained HTML page (verdict, findings, SI and scale curves,
        assumptions, the .pqi); needs plotly (``pip install 'cbmwater[app]'``)."""
        from ..report.reinjection_html import review_html

        if self.review is None:
            raise ValueError("this ReviewResult was built from a dict; run review() for HTML")
        return review_html(self.review)


def load_proposal(proposal: str | Path | Mapping[str, Any], *,
                  base_dir: str | Path | None = None) -> Proposal:
    """Read and validate a reinjection proposal (TOML file, TOML text as bytes, or a mapping).

    Parameters
    ----------
    proposal : str, Path, bytes or mapping
        The proposal TOML file, its bytes, or its content parsed.
    base_dir : str or Path, optional
        For bytes or a mapping: the folder its file references are relative to (default: the
        current folder).

    Returns
    -------
    Proposal
    """
    from ..errors import InputError
    from ..reinjection.proposal import load_proposal as _load
    from ..reinjection.proposal import parse_proposal

    base = Path(base_dir or ".").resolve()
    if isinstance(proposal, (bytes, bytearray)):
        try:
            data = tomllib.loads(bytes(proposal).decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"the proposal is not valid UTF-8 TOML: {exc}") from None
        return parse_proposal(data, base, None, bytes(proposal))
    if isinstance(proposal, Mapping):
        return parse_proposal(dict(proposal), base, None)
    return _load(proposal)


def review(proposal: str | Path | Mapping[str, Any] | Proposal, *,
           base_dir: str | Path | None = None) -> ReviewResult:
    """Review a reinjection proposal: injection-water standard (SY/T 5329), formation
    compatibility (PHREEQC mixing of injectate and formation water) and aquifer isolation.

    Parameters
    ----------
    proposal : str, Path, bytes, mapping or Proposal
        See :func:`load_proposal`.
    base_dir : str or Path, optional
        For bytes or a mapping: the folder its file references are relative to.

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

    p = proposal if isinstance(proposal, Proposal) else load_proposal(proposal,
                                                                      base_dir=base_dir)
    r = _review(p)
    return ReviewResult.from_dict(r.as_dict(), review=r)
