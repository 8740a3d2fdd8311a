"""Exports of characterisation records (CSV, JSON, Excel) and result bundles (zip), shared by
the CLI and the app.

Records are the rows of :attr:`cbmwater.geochem.characterise.Characterisation.records`; their
``warnings`` column holds lists of sentences, joined with ``"; "`` in CSV and Excel.  NaN (not
measured / not defined) becomes an empty cell in CSV and Excel and ``null`` in JSON.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

__all__ = [
    "join_warnings",
    "records_table",
    "records_csv",
    "records_json",
    "records_xlsx",
    "jsonable",
    "json_bytes",
    "csv_bytes",
    "zip_bytes",
    "ZIP_DATE",
]

#: Time stamp of every member of a bundle, so its bytes depend on its content only.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def join_warnings(w: object) -> str:
    """A list of warning sentences as one string (``"; "``-separated)."""
    if isinstance(w, (list, tuple)):
        return "; ".join(str(x) for x in w)
    if w is None or (isinstance(w, float) and math.isnan(w)):
        return ""
    return str(w)


def records_table(records: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``records`` with ``warnings`` joined into strings (for CSV and Excel)."""
    out = records.copy()
    if "warnings" in out.columns:
        out["warnings"] = out["warnings"].map(join_warnings)
    return out


def records_parquet(chunks: Iterable[pd.DataFrame], path: Path) -> int:
    """Write record chunks, in order, to one Parquet file (one row group per chunk).

    The first chunk sets the schema; a later chunk is aligned to its columns.  A column with no
    value at all in the first chunk is typed as text (its later values written as text).

    Parameters
    ----------
    chunks : iterable of pandas.DataFrame
        Records as :func:`cbmwater.characterise` gives them (``warnings`` joined to text here).
    path : Path
        The file to write (the caller makes it atomic).

    Returns
    -------
    int
        Rows written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    schema = None
    text: list[str] = []
    rows = 0
    try:
        for records in chunks:
            frame = records_table(records)
            if schema is None:
                first = pa.Table.from_pandas(frame, preserve_index=False).schema
                text = [f.name for f in first if pa.types.is_null(f.type)]
                schema = pa.schema(
                    [pa.field(f.name, pa.string()) if f.name in text else f for f in first]
                ).remove_metadata()
                writer = pq.ParquetWriter(path, schema)
            frame = frame.reindex(columns=schema.names)
            for name in text:
                col = frame[name]
                frame[name] = col.astype(object).where(col.isna(), col.map(str))
            assert writer is not None
            writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return rows


def records_csv(records: pd.DataFrame, *, bom: bool = False) -> str:
    """Records as CSV text.  With ``bom`` a UTF-8 byte-order mark is prepended, so Excel opens
    Chinese text correctly when the text is saved as UTF-8."""
    text = records_table(records).to_csv(index=False)
    return ("\ufeff" + text) if bom else text


def jsonable(obj: object) -> object:
    """Recursively turn NaN/inf into None and numpy scalars into Python numbers."""
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        return jsonable(obj.item())
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


def records_json(records: pd.DataFrame, provenance: dict[str, object] | None = None) -> str:
    """Records as JSON: an array of objects, or, with ``provenance``,
    ``{"provenance": {...}, "records": [...]}``."""
    rows = records.astype(object).where(records.notna(), None).to_dict(orient="records")
    payload: object = rows if provenance is None else {"provenance": provenance, "records": rows}
    return json.dumps(jsonable(payload), ensure_ascii=False, indent=1)


def records_xlsx(records: pd.DataFrame, provenance: dict[str, object] | None = None) -> bytes:
    """An Excel workbook: sheet ``characterisation`` and, if given, sheet ``provenance`` (key, value)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        records_table(records).to_excel(xw, sheet_name="characterisation", index=False)
        if provenance is not None:
            pd.DataFrame(
                {
                    "key": list(provenance),
                    "value": [
                        v if isinstance(v, str) else json.dumps(jsonable(v), ensure_ascii=False)
                        for v in provenance.values()
                    ],
                }
            ).to_excel(xw, sheet_name="provenance", index=False)
    return buf.getvalue()


def json_bytes(obj: object) -> bytes:
    """``obj`` as indented UTF-8 JSON with a final newline (NaN -> null, see :func:`jsonable`)."""
    return (json.dumps(jsonable(obj), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as CSV in UTF-8 with a byte-order mark (Excel opens Chinese text correctly)."""
    return table.to_csv(index=False).encode("utf-8-sig")


def zip_bytes(files: Mapping[str, bytes | str] | Iterable[tuple[str, bytes | str]]) -> bytes:
    """A deflated .zip of ``name -> content`` (text is written as UTF-8), in the order given.

    Deterministic: every member carries :data:`ZIP_DATE`, so the same files give the same bytes
    (a bundle can be hashed and compared).
    """
    items = files.items() if isinstance(files, Mapping) else files
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()
