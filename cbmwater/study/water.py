"""Lab files in, characterisation and standards compliance out.

The entry points of the public API for waters: :func:`read_analyses`, :func:`characterise`,
:func:`characterisation` and :func:`compliance`.  Every function takes a lab file as a path,
its bytes, an open file or a :class:`pandas.DataFrame` (header = columns), like the CLI.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

from ..errors import InputError
from ..geochem.characterise import Characterisation
from ..geochem.characterise import characterise as _characterise
from ..geochem.databases import DATABASES as _DATABASES
from ..geochem.phreeqc_input import CHARGE_BALANCE_CHOICES
from ..i18n import Text, joined, message_of
from ..resources import resource_label
from ..standards.compliance import OUTPUT_COLUMNS as COMPLIANCE_COLUMNS
from ..version import __version__
from ..water.analysis import CENSORED_POLICIES as _CENSORED
from ..water.analysis import AnalysisSet
from ..water.chunks import LabPlan, Part, PartRead
from ..water.io import STREAM_SUFFIXES, Source, source_name
from ..water.io import read_analyses as _read_analyses
from .results import JsonResult, key_field

__all__ = [
    "read_analyses",
    "characterise",
    "characterisation",
    "characterise_chunks",
    "STREAM_SUFFIXES",
    "compliance",
    "ComplianceResult",
    "Water",
    "one_water",
    "lab_upload",
    "tds_sum",
    "LAB_SUFFIXES",
    "DATABASES",
    "CENSORED_POLICIES",
    "CHARGE_BALANCE_CHOICES",
]

#: File types a lab report may have: what :func:`read_analyses` reads, and ``.xls``, which it
#: recognises and refuses with a message saying how to convert it.
LAB_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
#: Short names of the PHREEQC databases shipped with cbmwater (``database=`` of the API).
DATABASES: tuple[str, ...] = tuple(_DATABASES)
#: How a below-detection value is replaced: ``half`` the limit, ``zero`` or the ``limit``.
CENSORED_POLICIES: tuple[str, ...] = tuple(_CENSORED)

#: A water the API can treat: a lab file (any :data:`~cbmwater.water.io.Source`), an
#: :class:`~cbmwater.water.analysis.AnalysisSet`, or one analysis as a mapping.
Water: TypeAlias = Source | AnalysisSet | Mapping[str, Any]


def read_analyses(
    source: Source, *, sheet: str | int | None = None, require_pH: bool = True
) -> AnalysisSet:
    """Read a lab report of water analyses (Chinese or English headers) into canonical units.

    Parameters
    ----------
    source : str, os.PathLike, bytes, file object or pandas.DataFrame
        A ``.csv`` (UTF-8 or GB18030) or ``.xlsx`` lab file, its bytes, an open file, or a
        DataFrame whose columns are the header.  Header aliases (``钠离子``, ``Na+``, ``氨氮``)
        and units in the header (``Na (mg/L)``, ``Ca2+ (mmol/L)``) are understood.
    sheet : str or int, optional
        Excel sheet (default: the first).
    require_pH : bool, default True
        Refuse samples without pH (PHREEQC needs it).

    Returns
    -------
    AnalysisSet
        Concentrations in mg/L (``values``), censored flags, metadata, source rows.

    Raises
    ------
    InputError
        Naming the file, row, column, value and what is allowed.

    Examples
    --------
    >>> import pandas as pd, cbmwater
    >>> lab = pd.DataFrame({"样品编号": ["W1"], "pH": [8.1], "钠离子 (mg/L)": [820.0],
    ...                     "氯离子": [310.0], "HCO3-": [1650.0]})
    >>> a = cbmwater.read_analyses(lab)
    >>> float(a.values.loc["W1", "Na"])
    820.0
    """
    return _read_analyses(source, sheet, require_pH=require_pH)


def lab_upload(data: bytes, filename: str) -> io.BytesIO:
    """An uploaded lab file (its bytes) as an open file that carries the name it was uploaded
    under, for :func:`read_analyses`, :func:`characterisation` and the other readers.

    Errors and the results' ``source`` then name the user's file, not a temporary copy.

    Parameters
    ----------
    data : bytes
        The file's content (CSV text or an Excel workbook).
    filename : str
        Its name as uploaded; the suffix must be one of :data:`LAB_SUFFIXES`.

    Returns
    -------
    io.BytesIO
        Positioned at the start; its ``name`` is the file's base name.

    Raises
    ------
    InputError
        ``data`` is not bytes, or the suffix is not a lab file's.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.study.water import lab_upload
    >>> up = lab_upload(b"sample_id,pH,Na,Cl\\nW1,7.9,46,71\\n", "lab.csv")
    >>> a = cbmwater.read_analyses(up)
    >>> a.source, float(a.values.loc["W1", "Cl"])
    ('lab.csv', 71.0)
    """
    if not isinstance(data, (bytes, bytearray)):
        raise InputError(Text.of("upload.error.not_a_file"), file=str(filename))
    name = Path(str(filename).replace("\\", "/")).name or "upload.csv"
    suffix = Path(name).suffix.lower()
    if suffix not in LAB_SUFFIXES:
        raise InputError(
            Text.of(
                "water.error.file_type", suffix=suffix or "(none)", allowed=joined(LAB_SUFFIXES)
            ),
            file=name,
        )
    up = io.BytesIO(bytes(data))
    up.name = name
    return up


def tds_sum(concentrations: Mapping[str, float | None]) -> float:
    """TDS by summation of the dissolved constituents of one water, mg/L (Hem 1985, p. 156).

    Every canonical constituent counts except pH, temperature, TDS, COD, TSS, alkalinity and
    the Fe(II)/Fe(III) split (total Fe counts once); HCO3 counts in full.

    Parameters
    ----------
    concentrations : mapping
        Canonical name -> mg/L (None or NaN: not measured).

    Returns
    -------
    float
        mg/L; NaN when no dissolved constituent is given.

    Examples
    --------
    >>> tds_sum({"pH": 8.1, "Na": 820.0, "Cl": 310.0, "HCO3": 1650.0, "Fe2": 1.0})
    2780.0
    """
    from ..water.qa import tds_sum_mg_L

    row = pd.Series(
        {k: (math.nan if v is None else float(v)) for k, v in concentrations.items()}, dtype=float
    )
    value = tds_sum_mg_L(row).iloc[0]
    return float(value) if pd.notna(value) else math.nan


def one_water(
    water: Water,
    sample: str | None = None,
    *,
    sheet: str | int | None = None,
    require_pH: bool = True,
) -> tuple[AnalysisSet, str]:
    """The analysis set and the sample id of the water a call names.

    ``water`` is a lab file (any :data:`~cbmwater.water.io.Source`), an
    :class:`~cbmwater.water.analysis.AnalysisSet`, or one analysis as a mapping (keys are
    headers as in a lab file, e.g. ``{"sample_id": "W1", "pH": 8.1, "Na": 820}``; without
    ``sample_id`` it is called ``"water"``).  ``sample`` picks the row; it may be left out when
    there is one sample only.
    """
    if isinstance(water, AnalysisSet):
        analyses = water
    elif isinstance(water, Mapping):
        row = dict(water)
        if not any(str(k).strip().casefold() in ("sample_id", "样品编号") for k in row):
            row = {"sample_id": "water", **row}
        analyses = _read_analyses(pd.DataFrame([row]), sheet, require_pH=require_pH)
        analyses.source = "<mapping>"
    else:
        analyses = _read_analyses(water, sheet, require_pH=require_pH)
    ids = [str(i) for i in analyses.values.index]
    if sample is None:
        if len(ids) != 1:
            shown = ", ".join(ids[:12]) + (" ..." if len(ids) > 12 else "")
            raise InputError(
                Text.of("water.error.choose_sample", n=len(ids), shown=shown),
                file=source_name(water) if not isinstance(water, (AnalysisSet, Mapping)) else None,
            )
        sample = ids[0]
    return analyses, str(sample)


def characterisation(
    source: Source | AnalysisSet,
    *,
    sheet: str | int | None = None,
    database: str | Path | None = None,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    irrigation: bool = False,
    redox: str | None = None,
) -> Characterisation:
    """QA and PHREEQC speciation of every sample, with the PHREEQC input and provenance.

    Parameters
    ----------
    source : lab file source or AnalysisSet
        See :func:`read_analyses`.
    sheet : str or int, optional
        Excel sheet.
    database : str or Path, optional
        ``"phreeqc"`` (default), ``"pitzer"``, ``"wateq4f"`` or a path to a ``.dat``.
    charge_balance : str, optional
        Ion PHREEQC adjusts for electroneutrality (off by default).
    censored_policy : {"half", "zero", "limit"}
        Below-detection substitution (Helsel 2012).
    irrigation : bool
        Also compute the FAO-29 adjusted SAR (Ayers & Westcot 1985).
    redox : str, optional
        ``"fe2"`` (default: total Fe is Fe(II)), ``"pe:VALUE"`` or ``"measured"``.

    Returns
    -------
    Characterisation
        ``records`` (DataFrame, one row per sample), ``speciation`` (``.pqi()``),
        ``provenance``.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> ch = cbmwater.characterisation(example_path("qinshui", "analyses.csv"))
    >>> len(ch.records) > 10
    True
    """
    analyses = source if isinstance(source, AnalysisSet) else _read_analyses(source, sheet)
    return _characterise(
        analyses,
        database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        irrigation=irrigation,
        redox=redox,
    )


def characterise(source: Source | AnalysisSet, **options: Any) -> pd.DataFrame:
    """One record per sample: pH, ionic strength, pCO2, charge balance, TDS, hardness, SAR,
    water type, saturation indices and QA flags (:func:`characterisation`'s ``records``).

    Parameters
    ----------
    source : lab file source or AnalysisSet
        See :func:`read_analyses`.
    **options
        As for :func:`characterisation` (``sheet``, ``database``, ``charge_balance``,
        ``censored_policy``, ``irrigation``, ``redox``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`cbmwater.geochem.characterise.RECORD_COLUMNS`; units: ionic strength
        mol/kgw, log_pCO2 log10(atm), TDS mg/L, hardness/alkalinity mg/L as CaCO3, SAR
        (meq/L)^0.5, SI log10(IAP/K).  Reference: Parkhurst & Appelo (2013), PHREEQC 3.

    Examples
    --------
    >>> import pandas as pd, cbmwater
    >>> lab = pd.DataFrame({"sample_id": ["W1"], "pH": [8.1], "Na": [820.0], "Cl": [310.0],
    ...                     "HCO3": [1650.0], "Ca": [12.0], "Mg": [4.0]})
    >>> rec = cbmwater.characterise(lab)
    >>> rec.loc[0, "water_type"]
    'HCO3-Na'
    """
    return characterisation(source, **options).records


def characterise_chunks(
    source: str | PathLike[str],
    *,
    chunk_rows: int = 20000,
    progress: Callable[[str, float], object] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    **options: Any,
) -> Iterator[pd.DataFrame]:
    """:func:`characterise` for a large CSV or Parquet lab file, streamed: ``chunk_rows``
    samples at a time.

    The header (and units row) is read once, here; the rest of the file is cut into parts of
    ``chunk_rows`` rows (byte ranges of a CSV ending on a line break outside quotes, row ranges
    of a Parquet file; :mod:`cbmwater.water.chunks`).  Each part is read, checked as
    :func:`read_analyses` checks a whole file (errors naming the spreadsheet row) and
    characterised on its own; sample ids are kept unique across parts by 64-bit hashes (16
    bytes per sample), and errors come in the order the whole-file path gives them.  The
    records, concatenated, equal ``characterise(source, **options)``.

    Parameters
    ----------
    source : str or os.PathLike
        A ``.csv``, ``.txt`` or ``.tsv`` lab file (UTF-8 or GB18030), or a ``.parquet`` file
        with the same column names.
    chunk_rows : int, default 20000
        Rows per part (at most; with ``workers`` or ``scheduler`` a small file is cut into
        about four parts per worker, of at least 500 rows, so that every worker has work).
    workers, scheduler : optional
        Spread the parts over :func:`cbmwater.executor.get_executor` (``workers`` processes of
        this machine, or a Dask scheduler ``"tcp://host:port"`` / ``"local-dask"``): each worker
        reads its parts from the file itself and runs one PHREEQC instance; at most two parts
        per worker are in flight, so memory stays bounded, and records come back in the file's
        order.  The workers start while the header is read.  Default (both None): in this
        process, PHREEQC on every core.
    progress : callable, optional
        Called as ``progress(message, fraction)`` after each part: ``"74,000 samples"`` and
        the fraction of the file read (0..1, increasing, last 1.0).
    **options
        As for :func:`characterisation` (``database``, ``charge_balance``,
        ``censored_policy``, ``irrigation``, ``redox``).

    Yields
    ------
    pandas.DataFrame
        The records of one part (``attrs["provenance"]``: the run's provenance).

    Raises
    ------
    InputError
        As :func:`read_analyses`; records of earlier parts may have been yielded already.

    Examples
    --------
    >>> import pandas as pd, cbmwater
    >>> from cbmwater.resources import example_path
    >>> from cbmwater.study.water import characterise_chunks
    >>> path = example_path("qinshui", "analyses.csv")
    >>> records = pd.concat(characterise_chunks(path, chunk_rows=5), ignore_index=True)
    >>> records["sample_id"].tolist() == cbmwater.characterise(path)["sample_id"].tolist()
    True
    """
    from ..water.chunks import PartChecker, plan_parts

    if workers is None and scheduler is None:
        plan = plan_parts(source, chunk_rows=chunk_rows)
        results = _in_process(plan, options)
    else:
        plan, results = _spread(source, chunk_rows, options, workers, scheduler)
    checker = PartChecker(plan)
    done, fraction = 0, 0.0
    for got, records in results:
        if not checker.aligned(got):  # an earlier part held more rows than lines
            got, records = _part_records(plan, checker.realigned(got.part), options)
        checker.accept(got)
        fraction = max(fraction, got.part.fraction)
        if records is not None:
            done += len(records)
            yield records
        if progress is not None:
            progress(Text.of("water.progress.samples", n=done), fraction)
    if not checker.samples:
        raise InputError(Text.of("water.error.no_samples"), file=plan.name)
    if progress is not None and fraction < 1.0:
        progress(Text.of("water.progress.samples", n=done), 1.0)


_PartResult: TypeAlias = tuple[PartRead, pd.DataFrame | None]


def _part_records(plan: LabPlan, part: Part, options: dict[str, Any]) -> _PartResult:
    from ..geochem.characterise import part_records

    return part_records(plan, part, _engine_options(options))


def _engine_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options of :func:`characterisation` that the geochemistry takes (``sheet`` is a
    workbook's)."""
    return {k: v for k, v in options.items() if k != "sheet"}


def _in_process(plan: LabPlan, options: dict[str, Any]) -> Iterator[_PartResult]:
    for part in plan.parts:
        yield _part_records(plan, part, options)


def _spread(
    source: str | PathLike[str],
    chunk_rows: int,
    options: dict[str, Any],
    workers: int | None,
    scheduler: str | None,
) -> tuple[LabPlan, Iterator[_PartResult]]:
    """The plan, and its parts characterised on the executor in order; the executor's workers
    start (spawn, import) while this process reads the header and plans the parts."""
    from concurrent.futures import ThreadPoolExecutor

    from ..executor import available_cores as cores
    from ..executor import get_executor
    from ..geochem.characterise import characterise_part
    from ..water.chunks import plan_parts

    with ThreadPoolExecutor(max_workers=1) as starter:
        starting = starter.submit(get_executor, workers, scheduler)
        try:
            plan = plan_parts(source, chunk_rows=chunk_rows, spread=4 * (workers or cores()))
        except BaseException:
            with contextlib.suppress(Exception):  # the plan's error is the one to report
                starting.result().close()
            raise
        ex = starting.result()
    engine = _engine_options(options)

    def results() -> Iterator[_PartResult]:
        with ex:
            yield from ex.imap(characterise_part, ((plan, part, engine) for part in plan.parts))

    return plan, results()


@dataclass(frozen=True)
class ComplianceResult(JsonResult):
    """Samples against one class of one standard (``cbmwater compliance --format json``).

    Attributes
    ----------
    samples : list of dict
        Per sample: ``sample_id``, ``verdict`` (pass, fail, incomplete), ``counts`` and ``rows``
        (one per limit: parameter, value and limit in the limit's unit, ratio, result, status,
        ``basis`` and ``comment``).  Each row also has ``basis_i18n`` and ``comment_i18n``: the
        same texts as message dicts (``compliance.basis.*``, ``compliance.comment.*``; None
        when the text is empty), to render in another language with :func:`cbmwater.render`
        (docs/i18n.md).
    """

    standard_id: str
    standard_name: str
    klass: str = key_field("class")
    censored_policy: str = "half"
    input: str = ""
    standards_table: str = ""
    standards_sha256: str = ""
    cbmwater_version: str = ""
    samples: list[dict[str, Any]] = field(default_factory=list)

    TABLES = {
        "limits": (
            lambda r: [
                {"sample_id": s["sample_id"], **row} for s in r.samples for row in s["rows"]
            ],
            ("sample_id", *COMPLIANCE_COLUMNS),
        ),
        "samples": (
            lambda r: [
                {"sample_id": s["sample_id"], "verdict": s["verdict"], **s["counts"]}
                for s in r.samples
            ],
            (
                "sample_id",
                "verdict",
                "n_pass",
                "n_fail",
                "n_not_measured",
                "n_inconclusive",
                "n_unverified",
            ),
        ),
    }


def _limit_row(r: Mapping[str, Any], fields_: list[str]) -> dict[str, Any]:
    """One limit of :func:`compliance`: the table's fields, then ``basis_i18n`` and
    ``comment_i18n`` (message dicts of the two texts, None when empty)."""
    row = {f: r[f] for f in fields_}
    for key in ("basis", "comment"):
        row[f"{key}_i18n"] = message_of(r[key]).to_dict() if r[key] else None
    return row


def compliance(
    source: Source | AnalysisSet,
    standard: str,
    klass: str,
    *,
    sample: str | list[str] | None = None,
    censored_policy: str = "half",
    sheet: str | int | None = None,
    standards_file: str | Path | None = None,
) -> ComplianceResult:
    """Check every sample against one class of one Chinese (or FAO) water standard.

    Parameters
    ----------
    source : lab file source or AnalysisSet
        See :func:`read_analyses` (pH is not required here).
    standard : str
        Standard id, e.g. ``"GB3838-2002"``, ``"GB/T 14848-2017"``, ``"SYT5329"``.
    klass : str
        Class or use within it, e.g. ``"III"``, ``"first"``, ``"k<=0.01"``.
    sample : str or list of str, optional
        Only these samples (default: every sample).
    censored_policy : {"half", "zero", "limit"}
        Value used for below-detection cells; the verdict uses the interval 0-DL.
    sheet : str or int, optional
        Excel sheet.
    standards_file : str or Path, optional
        Another standards table (default: the bundled ``cbmwater/databases/standards.csv``).

    Returns
    -------
    ComplianceResult
        Per limit: value and limit in the limit's unit, ratio, result (pass, fail,
        not_measured, inconclusive) and status (V/S/U/M).  A parameter not measured is never
        a pass.

    Examples
    --------
    >>> import cbmwater
    >>> from cbmwater.resources import example_path
    >>> res = cbmwater.compliance(example_path("qinshui", "analyses.csv"), "GB3838-2002", "III",
    ...                           sample="SZ-3-04")
    >>> res.samples[0]["verdict"]
    'fail'
    """
    from ..standards.compliance import check_analyses, summarise
    from ..standards.table import load_standards

    table = load_standards(standards_file)
    sid, cls = table.resolve(standard, klass)
    analyses = (
        source
        if isinstance(source, AnalysisSet)
        else _read_analyses(source, sheet, require_pH=False)
    )
    if sample is not None:
        wanted = [sample] if isinstance(sample, str) else list(sample)
        analyses = analyses.subset(list(dict.fromkeys(wanted)))
    results = check_analyses(analyses, sid, cls, censored_policy=censored_policy, table=table)
    summary = summarise(results)
    fields_ = [c for c in results.columns if c != "sample_id"]
    samples = []
    for _, srow in summary.iterrows():
        rows = results[results["sample_id"] == srow["sample_id"]]
        samples.append(
            {
                "sample_id": srow["sample_id"],
                "verdict": srow["verdict"],
                "counts": {k: int(srow[k]) for k in summary.columns if k.startswith("n_")},
                "rows": [_limit_row(r, fields_) for r in rows.to_dict("records")],
            }
        )
    return ComplianceResult(
        standard_id=sid,
        standard_name=table.standard_name(sid),
        klass=cls,
        censored_policy=censored_policy,
        input=resource_label(analyses.source),
        standards_table=resource_label(table.path),
        standards_sha256=table.sha256,
        cbmwater_version=__version__,
        samples=samples,
    )
