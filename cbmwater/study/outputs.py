"""What the faces write: record tables as CSV/JSON/Excel, JSON-ready values, the Piper diagram,
and checks of option values the faces validate before any file is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..outpaths import check_output, write_atomic
from ..report.export import (
    ZIP_DATE,
    csv_bytes,
    join_warnings,
    json_bytes,
    jsonable,
    records_csv,
    records_json,
    records_parquet,
    records_table,
    records_xlsx,
    zip_bytes,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "join_warnings",
    "jsonable",
    "records_csv",
    "records_json",
    "records_parquet",
    "records_table",
    "records_xlsx",
    "zip_bytes",
    "json_bytes",
    "csv_bytes",
    "ZIP_DATE",
    "piper_figure",
    "tornado_figure",
    "tornado_svg",
    "tornado_html",
    "redox_label",
    "treatment_redox_label",
    "check_output",
    "write_atomic",
]


def piper_figure(meq: pd.DataFrame, **options: Any) -> Any:
    """A Piper diagram (plotly Figure) of waters given in meq/L (needs ``cbmwater[app]``).

    Parameters
    ----------
    meq : pandas.DataFrame
        Ion concentrations in meq/L, one row per water (``Characterisation.meq``).
    **options
        As for :func:`cbmwater.report.piper.piper_figure` (labels, colours, title).

    Returns
    -------
    plotly.graph_objects.Figure
        Piper (1944) trilinear diagram.
    """
    from ..report.piper import piper_figure as _piper

    return _piper(meq, **options)


def tornado_figure(result: Any, output: str = "npv_CNY", lang: str = "en") -> Any:
    """The tornado chart of a sensitivity run (plotly Figure; needs ``cbmwater[app]``).

    Parameters
    ----------
    result : SensitivityResult or mapping
        :func:`cbmwater.sensitivity`'s result or its ``to_dict()``.
    output : str
        ``npv_CNY`` (NPV cost, CNY), ``reuse_share``... (one of the result's outputs).
    lang : {"en", "zh"}

    Returns
    -------
    plotly.graph_objects.Figure
        Factors ranked by total Sobol index ST (largest at the top), S1 inside each bar, 95 %
        confidence half-widths as error bars (:func:`cbmwater.report.tornado.tornado_figure`).
    """
    from ..report.tornado import tornado_figure as _tornado

    return _tornado(result, output, lang)


def tornado_svg(result: Any, output: str = "npv_CNY", lang: str = "en") -> bytes:
    """The same tornado chart as an SVG image (matplotlib), for reports and files."""
    from ..report.tornado import tornado_svg as _svg

    return _svg(result, output, lang)


def tornado_html(result: Any, lang: str = "en") -> str:
    """A self-contained HTML page with the tornado chart of every output of a sensitivity run
    (plotly.js embedded; needs ``cbmwater[app]``)."""
    from ..report.tornado import tornado_html as _html

    return _html(result, lang)


def redox_label(value: str) -> str:
    """The canonical form of a ``--redox`` value for characterisation (``fe2``,
    ``pe:VALUE`` or ``measured``); raises :class:`~cbmwater.errors.InputError` otherwise.

    Examples
    --------
    >>> redox_label(" PE:4 ")
    'pe:4'
    """
    from ..geochem.redox import parse_redox

    return parse_redox(value).label


def treatment_redox_label(value: str | None) -> str:
    """The canonical form of a treatment ``--redox`` value (``fe2`` or ``pe:VALUE``; not
    ``measured``, which a train cannot carry); raises :class:`~cbmwater.errors.InputError`.

    Examples
    --------
    >>> treatment_redox_label("fe2")
    'fe2'
    """
    from ..treatment.chemistry import treatment_redox

    return treatment_redox(value).label
