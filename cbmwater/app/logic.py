"""What the pages compute, without Streamlit: engine calls, table views and export bytes.

Only the engine's public API is used (``cbmwater`` and ``cbmwater.study``).  Everything here is
a plain function so it can be tested without a browser and cached by the pages with
``st.cache_data``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from cbmwater import InputError, render
from cbmwater.study import BUNDLED_ANALYSES
from cbmwater.study import characterisation as characterise_file
from cbmwater.study import outputs as export
from cbmwater.study.water import (
    CENSORED_POLICIES,
    CHARGE_BALANCE_CHOICES,
    DATABASES,
    LAB_SUFFIXES,
    lab_upload,
)

if TYPE_CHECKING:  # pragma: no cover
    from cbmwater.study.water import Characterisation

__all__ = [
    "SUFFIXES",
    "DATABASES",
    "CHARGE_BALANCE_CHOICES",
    "with_upload",
    "CENSORED_POLICIES",
    "KEY_MINERALS",
    "PIPER_IONS",
    "REDOX_KINDS",
    "redox_option",
    "PageData",
    "characterise_bytes",
    "analyse_file",
    "analyse_bytes",
    "count_data_rows",
    "qa_view",
    "si_view",
    "si_long",
    "flag_counts",
    "records_for_export",
    "records_csv",
    "records_json",
    "records_xlsx",
    "engine_text",
    "engine_texts",
    "joined_texts",
]

#: File types a lab report may have (what ``read_analyses`` reads, and .xls, which it explains).
SUFFIXES: tuple[str, ...] = LAB_SUFFIXES
#: Minerals plotted in the SI chart (scales seen in CBM gathering lines and treatment).
KEY_MINERALS: tuple[str, ...] = ("Calcite", "Barite", "Fluorite", "Siderite", "Fe(OH)3(a)")
#: Redox bases the page offers (``pe`` takes a number): see cbmwater.geochem.redox.
REDOX_KINDS: tuple[str, ...] = ("fe2", "pe", "measured")
#: Ions the Piper diagram needs, meq/L.
PIPER_IONS: tuple[str, ...] = ("Ca", "Mg", "Na", "K", "Cl", "SO4", "HCO3", "CO3")

QA_COLUMNS: tuple[str, ...] = (
    "sample_id",
    "charge_balance_pct",
    "tds_mg_L",
    "hardness_mg_L_CaCO3",
    "alkalinity_mg_L_CaCO3",
    "sar",
    "sar_adjusted",
    "rsc_meq_L",
    "water_type",
    "qa_flag",
    "redox_basis",
    "warnings",
)
T = TypeVar("T")


@dataclass
class PageData:
    """What a page shows for one characterised file (all picklable, so it can be cached).

    Attributes
    ----------
    records : DataFrame
        ``Characterisation.records`` (``warnings`` a list of str per row).
    meq : DataFrame
        Major ions in meq/L (index sample_id), :data:`PIPER_IONS` at least.
    pqi : str
        The PHREEQC input of the run.
    provenance : dict
        ``Characterisation.provenance``, with ``source`` the name the user knows the file by.
    """

    records: pd.DataFrame
    meq: pd.DataFrame
    pqi: str
    provenance: dict[str, object] = field(default_factory=dict)


def engine_text(item: Mapping[str, Any], key: str, lang: str) -> Any:
    """The engine's text field ``key`` of a result item in ``lang``: its ``<key>_i18n``
    message (or list of messages) rendered from the engine catalogue, else the field as it is
    (an older result without messages, or a name from the user's data)."""
    msg = item.get(f"{key}_i18n")
    return render(msg, lang) if msg is not None else item.get(key)


def engine_texts(texts: Iterable[Any], lang: str) -> list[str]:
    """Engine texts (``Text``, message dicts or plain strings) rendered in ``lang``."""
    return [str(render(x, lang)) for x in texts]


def joined_texts(texts: Iterable[Any], lang: str) -> str:
    """Texts rendered in ``lang`` and joined as a list in one table cell ("a; b" / "a；b")."""
    return ("；" if lang == "zh" else "; ").join(engine_texts(texts, lang))


def redox_option(kind: str, pe: float | None = None) -> str:
    """The engine's ``redox`` text for a choice of :data:`REDOX_KINDS` (``pe`` needs a number).

    >>> redox_option("pe", 4.0)
    'pe:4'
    """
    if kind == "pe":
        return f"pe:{4.0 if pe is None else float(pe):g}"
    if kind not in REDOX_KINDS:
        raise InputError(f"redox must be one of {', '.join(REDOX_KINDS)}; got {kind!r}")
    return kind


def with_upload(data: bytes, filename: str, fn: Callable[..., T], **options: Any) -> T:
    """``fn(upload, ...)`` on an uploaded lab file given as bytes: the engine reads it as an
    open file carrying ``filename`` (:func:`cbmwater.study.water.lab_upload`), so its messages
    and the results' ``source`` name the user's file."""
    return fn(lab_upload(data, filename), **options)


def characterise_bytes(data: bytes, filename: str, **options: Any) -> Characterisation:
    """Characterise an uploaded lab file given as bytes.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        Its name as uploaded; the suffix (.csv, .xlsx, .xlsm, .xls) chooses the reader and the
        name appears in error messages.
    **options
        ``sheet``, ``database``, ``charge_balance``, ``censored_policy``, ``irrigation``,
        ``redox`` of :func:`cbmwater.study.characterise_file`.

    Returns
    -------
    cbmwater.geochem.characterise.Characterisation

    Raises
    ------
    cbmwater.errors.CbmwaterError
        For a bad file; the message names ``filename`` (not the temporary copy), row and column.
    """
    return with_upload(data, filename, characterise_file, **options)


def analyse_file(
    path: Any,
    *,
    sheet: str | int | None = None,
    database: str = "phreeqc",
    charge_balance: str | None = None,
    censored_policy: str = "half",
    irrigation: bool = False,
    source: str | None = None,
    redox: str = "fe2",
) -> PageData:
    """Characterise the lab file ``path`` (a path or an upload) and gather what the page shows.

    ``redox`` is ``fe2`` (default), ``pe:VALUE`` or ``measured`` (:func:`redox_option`).
    """
    ch = characterise_file(
        path,
        sheet=sheet,
        database=database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        irrigation=irrigation,
        redox=redox,
    )
    meq = ch.meq
    prov = dict(ch.provenance)
    if source is not None:
        prov["source"] = source
    return PageData(records=ch.records, meq=meq, pqi=ch.speciation.pqi(), provenance=prov)


def analyse_bytes(data: bytes, filename: str, **options: Any) -> PageData:
    """:func:`analyse_file` on an uploaded file given as bytes (see :func:`characterise_bytes`)."""
    return with_upload(data, filename, analyse_file, source=Path(filename).name, **options)


def analyse_bundled(**options: Any) -> PageData:
    """:func:`analyse_file` on the bundled southern Qinshui set (:data:`BUNDLED_ANALYSES`)."""
    return analyse_file(BUNDLED_ANALYSES, source=BUNDLED_ANALYSES.name, **options)


def count_data_rows(path: str | Path = BUNDLED_ANALYSES) -> int:
    """Number of data rows of a canonical CSV (header excluded), for captions."""
    import csv

    with open(path, newline="", encoding="utf-8-sig") as fh:
        return sum(1 for row in csv.reader(fh) if any(c.strip() for c in row)) - 1


def qa_view(records: pd.DataFrame, irrigation: bool = False, lang: str = "en") -> pd.DataFrame:
    """QA columns, one row per sample, warnings in ``lang`` joined into one string.

    ``sar_adjusted`` is kept only when ``irrigation`` (it is empty otherwise).
    """
    cols = [c for c in QA_COLUMNS if irrigation or c != "sar_adjusted"]
    out = records[cols].copy()
    out["warnings"] = out["warnings"].map(
        lambda w: joined_texts(w, lang) if isinstance(w, (list, tuple)) else export.join_warnings(w)
    )
    return out.reset_index(drop=True)


def si_view(records: pd.DataFrame) -> pd.DataFrame:
    """sample_id, pH, temperature, ionic strength, log pCO2 and every ``si_`` column."""
    si = [c for c in records.columns if c.startswith("si_")]
    return records[["sample_id", "pH", "temp_C", "ionic_strength", "log_pCO2", *si]].reset_index(
        drop=True
    )


def si_long(records: pd.DataFrame, minerals: tuple[str, ...] = KEY_MINERALS) -> pd.DataFrame:
    """Long table (sample_id, mineral, si) of ``minerals`` for plotting; NaN SIs dropped."""
    cols = [f"si_{m}" for m in minerals if f"si_{m}" in records.columns]
    long = records.melt(id_vars=["sample_id"], value_vars=cols, var_name="mineral", value_name="si")
    long["mineral"] = long["mineral"].str.removeprefix("si_")
    return long.dropna(subset=["si"]).reset_index(drop=True)


def flag_counts(records: pd.DataFrame) -> dict[str, int]:
    """Number of samples per QA flag: keys ``ok``, ``warning``, ``flag``."""
    vc = records["qa_flag"].value_counts()
    return {k: int(vc.get(k, 0)) for k in ("ok", "warning", "flag")}


def records_for_export(records: pd.DataFrame) -> pd.DataFrame:
    """Records with ``warnings`` joined into one string (for CSV / Excel)."""
    return export.records_table(records)


def records_csv(records: pd.DataFrame) -> bytes:
    """Records as UTF-8 CSV with a byte-order mark (so Excel shows Chinese text correctly)."""
    return export.records_csv(records, bom=True).encode("utf-8")


def records_json(records: pd.DataFrame, provenance: dict[str, object]) -> bytes:
    """``{"provenance": ..., "records": [...]}`` as UTF-8 JSON (NaN as null)."""
    return export.records_json(records, provenance).encode("utf-8")


def records_xlsx(records: pd.DataFrame, provenance: dict[str, object]) -> bytes:
    """An Excel workbook: sheet ``records`` and sheet ``provenance`` (key, value)."""
    return export.records_xlsx(records, provenance)
