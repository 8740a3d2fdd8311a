"""Reports of results through the public API: the regulator's review report, the plan report
and the plan's Excel workbook, in English or Chinese (templates in
:mod:`cbmwater.report.documents`, figures in :mod:`cbmwater.report.figures`, the workbook in
:mod:`cbmwater.report.workbook`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .network import NetworkPlan
    from .reinjection import ReviewResult

__all__ = ["review_report", "plan_report", "plan_workbook", "REPORT_FORMATS"]

#: Document formats of :func:`review_report` and :func:`plan_report`.
REPORT_FORMATS: tuple[str, ...] = ("html", "pdf")


def review_report(
    result: ReviewResult, *, lang: str = "en", fmt: str = "html", pqi: str | None = None
) -> bytes:
    """The regulator's report of a reinjection review.

    Parameters
    ----------
    result : ReviewResult
        From :func:`cbmwater.review` (a result rebuilt from its dict has no PHREEQC input: the
        report then says so instead of attaching it).
    lang : {"en", "zh"}
        Language of the report (Chinese terms per the project glossary: 审查结论：通过 /
        有条件通过 / 不通过).
    fmt : {"html", "pdf"}
        A self-contained HTML page (figures as embedded SVG, the ``.pqi`` as a download link) or
        an A4 PDF (the ``.pqi`` as an embedded file).
    pqi : str, optional
        The PHREEQC input to attach, for a result rebuilt from its dict (a stored run keeps it
        beside the result); default ``result.pqi``.

    Returns
    -------
    bytes
        UTF-8 HTML or PDF: verdict, conditions, findings with their clauses, mixing curves
        (SI and scale in mg/L against the injectate share), evidence tables, proposal, assumptions,
        inputs' SHA-256 and versions, the PHREEQC input.

    Raises
    ------
    InputError
        ``lang`` or ``fmt`` not one of the allowed values.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> res = cbmwater.review(example_path("reinjection", "barite_scaling.toml"))
    >>> "审查结论：不通过" in review_report(res, lang="zh").decode("utf-8")
    True
    """
    from ..report.documents import review_document

    return review_document(result.to_dict(), result.pqi if pqi is None else pqi, lang=lang, fmt=fmt)


def plan_report(plan: NetworkPlan, *, lang: str = "en", fmt: str = "html") -> bytes:
    """The optimised plan as a report.

    Parameters
    ----------
    plan : NetworkPlan
        From :func:`cbmwater.optimise`.
    lang : {"en", "zh"}
    fmt : {"html", "pdf"}

    Returns
    -------
    bytes
        UTF-8 HTML or PDF: status, KPIs (NPV in million CNY, reuse share, unit cost in CNY/m³,
        capital, salt in t), plants built, flows by destination and period (m³/d; figure and
        table), the NPV by cost category, the limits that bind, the case's SHA-256 and the
        versions.

    Raises
    ------
    InputError
        ``lang`` or ``fmt`` not one of the allowed values.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> plan = cbmwater.optimise(example_path("qinshui_south", "case.toml"))  # doctest: +SKIP
    >>> plan_report(plan, lang="zh", fmt="pdf")[:5]  # doctest: +SKIP
    b'%PDF-'
    """
    from ..report.documents import plan_document

    return plan_document(plan.to_dict(), lang=lang, fmt=fmt)


def plan_workbook(plan: NetworkPlan, *, lang: str = "en") -> bytes:
    """The plan's tables as a formatted Excel workbook.

    Parameters
    ----------
    plan : NetworkPlan
        From :func:`cbmwater.optimise`.
    lang : {"en", "zh"}
        Language of the sheet names and column headers.

    Returns
    -------
    bytes
        An .xlsx: a KPI sheet, then one sheet per table of :meth:`NetworkPlan.tables` (the
        values of :meth:`NetworkPlan.to_frame`; lists joined with ", "), headers with units,
        the header row frozen, column widths and number formats set.

    Raises
    ------
    InputError
        ``lang`` not one of the allowed values.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> plan = cbmwater.optimise(example_path("qinshui_south", "case.toml"))  # doctest: +SKIP
    >>> open("plan.xlsx", "wb").write(plan_workbook(plan, lang="zh"))  # doctest: +SKIP
    """
    from ..report.documents import kpi_rows
    from ..report.workbook import tables_workbook

    tables = {name: plan.to_frame(name) for name in plan.tables()}
    return tables_workbook(tables, kpi_rows(plan.to_dict(), lang, raw=True), lang=lang)
