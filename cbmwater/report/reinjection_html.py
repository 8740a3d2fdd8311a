"""The HTML review report of an engine :class:`~cbmwater.reinjection.review.Review` (English),
kept for callers of the engine object; the report itself is
:func:`cbmwater.report.documents.review_document`."""

from __future__ import annotations

from ..reinjection.review import Review
from .documents import review_document

__all__ = ["review_html"]


def review_html(r: Review, lang: str = "en") -> str:
    """The review as one self-contained HTML page (verdict, findings, mixing curves as SVG,
    evidence tables, assumptions, inputs and versions, the .pqi)."""
    return review_document(r.as_dict(), r.pqi, lang=lang, fmt="html").decode("utf-8")
