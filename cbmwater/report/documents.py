"""The report documents: a reinjection review for the regulator and an optimised water plan,
in English or Chinese, as HTML or PDF, from Jinja2 templates.

One pipeline for every report: the result (its JSON dict) -> a context of display values (texts
from the ``reports`` gettext catalogue, numbers formatted, figures drawn by
:mod:`cbmwater.report.figures`) -> a template in ``cbmwater/report/templates/`` (autoescaped,
texts through ``jinja2.ext.i18n`` with :func:`cbmwater.i18n.translations`) -> HTML, which
WeasyPrint prints to PDF.  Figures are SVG images embedded as ``data:`` URIs, so the HTML is one
self-contained file and the PDF needs no network; the review's PHREEQC input is a download link
in the HTML and an embedded file (attachment) of the PDF.

Why WeasyPrint: it lays out HTML and CSS (paged media: page size, running footers, page
counters) in Python with Pango for text, so the PDF is made on a server without a browser; the
CSS font stack starts with 'Noto Sans CJK SC' (Debian's ``fonts-noto-cjk``) for Chinese.

This module works on the result dicts, not on the API's typed results, so it sits below the
orchestrator (:mod:`cbmwater.study.reports` wraps it).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..errors import InputError
from ..i18n import LANGUAGES, Message, MissingMessageError, Text, joined, translate, translations
from ..optimize.binding import BINDING_USE
from ..optimize.binding import binding_limits as engine_binding_limits
from ..version import __version__

__all__ = [
    "FORMATS",
    "message_text",
    "review_document",
    "plan_document",
    "binding_limits",
    "kpi_rows",
    "html_to_pdf",
    "BINDING_USE",
]

#: The document formats of :func:`review_document` and :func:`plan_document`.
FORMATS: tuple[str, ...] = ("html", "pdf")
#: Scale minerals in the order the review reports them (phreeqc.dat names).
_MINERAL_ORDER = (
    "Barite",
    "Celestite",
    "Calcite",
    "Siderite",
    "Gypsum",
    "Anhydrite",
    "Fe(OH)3(a)",
)


# -- texts -----------------------------------------------------------------------------------
def message_text(value: object, lang: str) -> str:
    """The text of an engine message in ``lang``.

    A message given as ``{"code", "params", "text"}`` (:meth:`cbmwater.i18n.Message.to_dict`)
    is rendered from the ``engine`` catalogue; if the catalogues lack its code (or its fields),
    its English ``text`` is used.  A plain string (an engine text without a code yet) is
    returned as it is; None gives "".

    Examples
    --------
    >>> message_text("no scale mineral precipitates", "zh")
    'no scale mineral precipitates'
    >>> message_text({"code": "language.name", "params": {}, "text": "English"}, "zh")
    '中文'
    >>> message_text({"code": "no.such.code", "params": {}, "text": "as written"}, "zh")
    'as written'
    """
    if value is None:
        return ""
    if isinstance(value, Mapping) and "code" in value:
        try:
            return Message.from_dict(value).render(lang)
        except (MissingMessageError, KeyError, IndexError, ValueError):
            return str(value.get("text", value["code"]))
    return str(value)


def _t(code: str, lang: str, **params: Any) -> str:
    return translate(code, lang, "reports", **params)


def _label(code: str, lang: str, fallback: str) -> str:
    """A catalogue text, or ``fallback`` for a key the catalogue does not name (a new evidence
    field, a new cost category)."""
    try:
        return _t(code, lang)
    except MissingMessageError:
        return fallback


def _fmt(v: object, lang: str, digits: int = 4) -> str:
    """A value for a table cell: numbers to ``digits`` significant figures, None as a dash."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, bool):
        return _t("report.yes" if v else "report.no", lang)
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)
    if isinstance(v, float):
        if v != 0 and (abs(v) >= 1e6 or abs(v) < 1e-3):
            return f"{v:.{digits}g}"
        return f"{v:,.{digits}g}" if abs(v) < 1e4 else f"{v:,.0f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt(x, lang, digits) for x in v) or "—"
    if isinstance(v, Mapping):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# -- templates and PDF -----------------------------------------------------------------------
def _css_content(text: str) -> Markup:
    """A footer text with ``{page}`` and ``{pages}`` as a CSS ``content`` value."""
    parts: list[str] = []
    rest = text
    while rest:
        i, j = rest.find("{page}"), rest.find("{pages}")
        cut = min(k for k in (i, j, len(rest)) if k >= 0)
        if cut:
            parts.append(json.dumps(rest[:cut], ensure_ascii=False))
        if cut == len(rest):
            break
        counter = "pages" if cut == j else "page"
        parts.append(f"counter({counter})")
        rest = rest[cut + len(counter) + 2 :]
    return Markup(" ".join(parts))


def _format(template: str, /, **params: Any) -> str:
    """The ``fmt`` filter: fill a catalogue text's ``str.format`` fields."""
    return str(template).format(**params)


@cache
def _environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("cbmwater.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang, "reports"), newstyle=False)  # type: ignore[attr-defined]
    env.filters["fmt"] = _format
    env.filters["num"] = lambda v, digits=4: _fmt(v, lang, digits)
    env.filters["css_content"] = _css_content
    return env


def _render(template: str, lang: str, context: Mapping[str, Any]) -> str:
    common = {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "generated": _t(
            "report.generated", lang, version=__version__, date=_dt.date.today().isoformat()
        ),
    }
    return _environment(lang).get_template(template).render(**common, **context)


def html_to_pdf(document: str, attachments: Sequence[tuple[str, bytes, str]] = ()) -> bytes:
    """Print an HTML document to PDF with WeasyPrint.

    Parameters
    ----------
    document : str
        Self-contained HTML (images as ``data:`` URIs; nothing is fetched).
    attachments : sequence of (name, content, description)
        Files embedded in the PDF (the PDF's attachments panel).

    Returns
    -------
    bytes
        The PDF.
    """
    import weasyprint

    files = [
        weasyprint.Attachment(string=data, name=name, description=desc)
        for name, data, desc in attachments
    ]
    # a report embeds its images as data: URIs; it never fetches a file or a web address
    fetcher = getattr(weasyprint.urls, "URLFetcher", None)
    options = {} if fetcher is None else {"url_fetcher": fetcher(allowed_protocols=("data",))}
    pdf = weasyprint.HTML(string=document, **options).write_pdf(attachments=files)
    return bytes(pdf)


def _check(lang: str, fmt: str) -> None:
    if lang not in LANGUAGES:
        raise InputError(
            Text.of("report.error.language", language=lang, allowed=joined(list(LANGUAGES)))
        )
    if fmt not in FORMATS:
        raise InputError(Text.of("report.error.format", fmt=fmt, allowed=joined(list(FORMATS))))


# -- review ----------------------------------------------------------------------------------
def _evidence_rows(evidence: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    return [(_label(f"evidence.{k}", lang, k), _fmt(v, lang)) for k, v in evidence.items()]


def _mixing_tables(
    mixing: Sequence[Mapping[str, Any]], minerals: Sequence[str], lang: str
) -> dict[str, Any]:
    """The mixing rows as two tables (SI; scale), fractions in percent."""
    frac = _t("review.mix.fraction_injectate", lang)
    names = {m: _t(f"mineral.{m}", lang) for m in minerals}
    si_head = [frac, _t("review.mix.pH", lang)] + [
        _t("review.mix.si", lang, mineral=names[m]) for m in minerals
    ]
    sc_head = (
        [frac]
        + [_t("review.mix.scale", lang, mineral=names[m]) for m in minerals]
        + [_t("review.mix.scale_mg_L", lang), _t("review.mix.excess_scale_mg_L", lang)]
    )
    si_rows, sc_rows = [], []
    for r in mixing:
        pct = _fmt(100 * float(r["fraction_injectate"]), lang, 3)
        si_rows.append(
            [pct, _fmt(r.get("pH"), lang)] + [_fmt(r.get(f"si_{m}"), lang, 3) for m in minerals]
        )
        sc_rows.append(
            [pct]
            + [_fmt(r.get(f"scale_{m}_mg_L"), lang, 3) for m in minerals]
            + [_fmt(r.get("scale_mg_L"), lang, 3), _fmt(r.get("excess_scale_mg_L"), lang, 3)]
        )
    return {"si": (si_head, si_rows), "scale": (sc_head, sc_rows)}


def _minerals(mixing: Sequence[Mapping[str, Any]]) -> list[str]:
    keys = {k[3:] for r in mixing for k in r if k.startswith("si_")}
    return [m for m in _MINERAL_ORDER if m in keys] + sorted(keys - set(_MINERAL_ORDER))


def review_document(
    review: Mapping[str, Any], pqi: str, *, lang: str = "en", fmt: str = "html"
) -> bytes:
    """The regulator's review report.

    Parameters
    ----------
    review : mapping
        The review's JSON dict (``ReviewResult.to_dict()``): verdict, conditions, findings
        (with evidence and basis), mixing rows, inputs_hash, versions, proposal, assumptions,
        warnings.
    pqi : str
        The PHREEQC input that was run ("" if not available).
    lang : {"en", "zh"}
    fmt : {"html", "pdf"}

    Returns
    -------
    bytes
        UTF-8 HTML, or a PDF with the ``.pqi`` as an embedded file.
    """
    from .figures import mixing_figure

    _check(lang, fmt)
    mixing = list(review.get("mixing") or [])
    minerals = _minerals(mixing)
    findings = []
    for f in review.get("findings") or []:
        findings.append(
            {
                "code": f.get("code", ""),
                "severity": f.get("severity", "info"),
                "severity_text": _label(
                    f"review.severity.{f.get('severity')}", lang, str(f.get("severity"))
                ),
                "text": message_text(f.get("message"), lang),
                "basis": message_text(f.get("basis"), lang),
                "condition": message_text(f.get("condition"), lang),
                "evidence": _evidence_rows(f.get("evidence") or {}, lang),
            }
        )
    prop = review.get("proposal") or {}
    pqi_name = "review_mixing.pqi"
    verdict = str(review.get("verdict", ""))
    context = {
        "pdf": fmt == "pdf",
        "verdict": verdict,
        "verdict_text": _label(f"review.verdict.{verdict}", lang, verdict),
        "findings": findings,
        "conditions": [message_text(c, lang) for c in review.get("conditions") or []],
        "assumptions": [message_text(a, lang) for a in review.get("assumptions") or []],
        "warnings": [message_text(w, lang) for w in review.get("warnings") or []],
        "title": prop.get("title", ""),
        "proposal_rows": [
            (_label(f"review.proposal.{k}", lang, k), _fmt(v, lang)) for k, v in prop.items()
        ],
        "version_rows": [
            (_label(f"review.version.{k}", lang, k), str(v))
            for k, v in (review.get("versions") or {}).items()
        ],
        "inputs_hash": review.get("inputs_hash", ""),
        "mixing_figure": _data_uri(mixing_figure(mixing, minerals, lang), "image/svg+xml")
        if mixing
        else None,
        "mixing_tables": _mixing_tables(mixing, minerals, lang),
        # html.escape, like the earlier report: the text is the same in any HTML escaper
        "pqi": Markup(html.escape(pqi)) if pqi else "",
        "pqi_name": pqi_name,
        "pqi_uri": _data_uri(pqi.encode("utf-8"), "chemical/x-phreeqc-input") if pqi else "",
    }
    page = _render("review.html.j2", lang, context)
    if fmt == "html":
        return page.encode("utf-8")
    files = [(pqi_name, pqi.encode("utf-8"), _t("review.pqi.description", lang))] if pqi else []
    return html_to_pdf(page, files)


# -- plan ------------------------------------------------------------------------------------
def _use_row(
    dest: Mapping[str, Any], label: str, value: float, bound: float, use: float
) -> dict[str, Any]:
    return {
        "destination": dest.get("name"),
        "period": dest.get("period"),
        "year": dest.get("year"),
        "limit": label,
        "value": value,
        "bound": bound,
        "use": use,
    }


def binding_limits(plan: Mapping[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """The destination limits the plan's blends sit at (the engine's rule,
    :func:`cbmwater.optimize.binding.binding_limits`), labelled in ``lang``.

    Parameters
    ----------
    plan : mapping
        The plan's JSON dict (``NetworkPlan.to_dict()``).
    lang : {"en", "zh"}
        Language of the ``limit`` labels.

    Returns
    -------
    list of dict
        ``destination, period, year, limit`` (label), ``value``, ``bound``, ``use`` (0-1).
    """
    out: list[dict[str, Any]] = []
    for row in engine_binding_limits(plan):
        prop = str(row["property"])
        if prop in ("capacity", "SAR", "pH_min", "pH_max"):
            label = _t(f"plan.limit.{prop}", lang)
        elif prop.startswith("SI_"):
            name = _label(f"mineral.{prop[3:]}", lang, prop[3:])
            label = _t("plan.limit.SI", lang, mineral=name)
        else:
            label = _t("plan.limit.constituent", lang, key=prop)
        dest = {"name": row["destination"], "period": row["period"], "year": row["year"]}
        out.append(_use_row(dest, label, row["value"], row["limit"], row["use"]))
    return out


def _period_labels(plan: Mapping[str, Any]) -> dict[int, str]:
    years: dict[int, Any] = {}
    for row in list(plan.get("sources") or []) + list(plan.get("destinations") or []):
        years.setdefault(int(row["period"]), row.get("year"))
    return {p: f"{p} ({y})" if y is not None else str(p) for p, y in sorted(years.items())}


def _flow_table(
    plan: Mapping[str, Any], lang: str
) -> tuple[list[str], dict[str, dict[str, float]]]:
    """Delivered m3/d per destination (rows, labelled with their kind) and period (columns)."""
    periods = _period_labels(plan)
    kinds = {d["name"]: d.get("kind", "") for d in plan.get("destinations") or []}
    table: dict[str, dict[str, float]] = {}
    for f in plan.get("flows") or []:
        dest = f["destination"]
        kind = kinds.get(dest, "")
        label = _t(
            "plan.destination", lang, name=dest, kind=_label(f"plan.kind.{kind}", lang, kind)
        )
        p = periods.get(int(f["period"]), str(f["period"]))
        row = table.setdefault(label, {})
        row[p] = row.get(p, 0.0) + float(f.get("delivered_m3_d") or 0.0)
    used = [p for p in periods.values() if any(p in r for r in table.values())]
    return used, table


def kpi_rows(plan: Mapping[str, Any], lang: str, *, raw: bool = False) -> list[tuple[str, Any]]:
    """The plan's key figures as (label with unit, value) rows.

    Parameters
    ----------
    plan : mapping
        The plan's JSON dict.
    lang : {"en", "zh"}
    raw : bool
        Give the values as numbers (None when absent) instead of formatted text.

    Returns
    -------
    list of (str, object)
        NPV of costs (million CNY), discounted unit cost (CNY/m³), reuse share (%), water
        reused and produced (m³), capital (million CNY), salt to the environment (t).
    """
    k = plan.get("kpis") or {}

    def scaled(v: object, factor: float) -> float | None:
        return None if not isinstance(v, (int, float)) else float(v) * factor

    rows = [
        ("plan.kpi.npv", scaled(plan.get("objective_CNY"), 1e-6)),
        ("plan.kpi.unit_cost", k.get("unit_cost_CNY_m3")),
        ("plan.kpi.reuse_share", scaled(k.get("reuse_share"), 100.0)),
        ("plan.kpi.reuse_m3", k.get("reuse_m3")),
        ("plan.kpi.produced_m3", k.get("produced_m3")),
        ("plan.kpi.capex", scaled(k.get("capex_total_CNY"), 1e-6)),
        ("plan.kpi.salt", k.get("salt_to_environment_t")),
    ]
    return [(_t(code, lang), v if raw else _fmt(v, lang)) for code, v in rows]


def _verification_rows(v: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    if not v:
        return []
    text = (
        _t("plan.verification.ok", lang)
        if v.get("ok")
        else _t("plan.verification.bad", lang, where=_fmt(v.get("where"), lang))
    )
    return [(_t("plan.verification", lang), text)]


def plan_document(plan: Mapping[str, Any], *, lang: str = "en", fmt: str = "html") -> bytes:
    """The optimised plan as a report: KPIs, plants built, flows by destination and period
    (figure and table), cost breakdown, binding limits, inputs and versions.

    Parameters
    ----------
    plan : mapping
        The plan's JSON dict (``NetworkPlan.to_dict()``).
    lang : {"en", "zh"}
    fmt : {"html", "pdf"}

    Returns
    -------
    bytes
        UTF-8 HTML or a PDF.
    """
    from .figures import costs_figure, flows_figure

    _check(lang, fmt)
    periods, flows = _flow_table(plan, lang)
    npv = dict((plan.get("costs") or {}).get("npv_CNY") or {})
    cost_labels = {_label(f"plan.cost.{c}", lang, c): v for c, v in npv.items()}
    builds = [
        [
            b.get("site"),
            b.get("train"),
            _fmt(b.get("size_m3_d"), lang),
            _fmt(b.get("peak_feed_m3_d"), lang),
            _fmt(b.get("capex_CNY"), lang),
            _fmt(b.get("fixed_opex_CNY_yr"), lang),
            ", ".join(b.get("units") or []),
        ]
        for b in plan.get("builds") or []
    ]
    solver = plan.get("solver") or {}
    verification = plan.get("verification") or {}
    case = plan.get("case") or {}
    status = str(plan.get("status", ""))
    context = {
        "pdf": fmt == "pdf",
        "case_name": case.get("name", ""),
        "status": status,
        "status_text": _label(f"plan.status.{status}", lang, status),
        "kpis": kpi_rows(plan, lang) if plan.get("objective_CNY") is not None else [],
        "builds": builds,
        "periods": periods,
        "flows": {
            d: ([_fmt(row.get(p), lang) for p in periods], _fmt(sum(row.values()), lang))
            for d, row in flows.items()
        },
        "flows_figure": _data_uri(flows_figure(flows, periods, lang), "image/svg+xml")
        if flows
        else None,
        "costs": [(label, _fmt(v, lang)) for label, v in cost_labels.items()],
        "cost_total": _fmt((plan.get("costs") or {}).get("total_CNY"), lang),
        "costs_figure": _data_uri(costs_figure(cost_labels, lang), "image/svg+xml")
        if cost_labels
        else None,
        "binding": [
            {
                **b,
                "value": _fmt(b["value"], lang),
                "bound": _fmt(b["bound"], lang),
                "use": _fmt(100 * b["use"], lang, 4),
            }
            for b in binding_limits(plan, lang)
        ],
        "binding_pct": f"{100 * BINDING_USE:g}",
        "infeasibility": [
            message_text(s, lang) for s in (plan.get("infeasibility") or {}).get("summary", [])
        ],
        "input_rows": [
            (_t("plan.case_sha256", lang), str(case.get("sha256", ""))),
            (_t("plan.solver", lang), f"{solver.get('name', '')} ({solver.get('status', '')})"),
            (_t("plan.gap", lang), _fmt(solver.get("gap"), lang)),
        ]
        + _verification_rows(verification, lang)
        + [(str(k), str(v)) for k, v in (plan.get("versions") or {}).items()],
        "case_file": case.get("file", ""),
        "warnings": [message_text(w, lang) for w in plan.get("warnings") or []],
    }
    page = _render("plan.html.j2", lang, context)
    return page.encode("utf-8") if fmt == "html" else html_to_pdf(page)
