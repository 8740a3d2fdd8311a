"""Large lab files on the Characterise page, as jobs (no Streamlit here).

A small upload is characterised in the page (cached, with the Piper diagram and the PHREEQC
input).  A large one -- more than :data:`LARGE_ROWS` data rows, or more than :data:`LARGE_MB`
MB -- is handed to the server's job runner instead
(:func:`cbmwater.study.jobs.characterise_file`: a CSV is streamed in chunks with progress, in a
worker process, never in Streamlit's script thread), and the records are saved to the workspace
as a ``characterise`` run when it ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cbmwater.app.logic_jobs import submit
from cbmwater.app.logic_workspace import lab_inputs

__all__ = ["LARGE_ROWS", "LARGE_MB", "data_rows", "is_large", "submit_characterise", "records"]

#: Uploads with more data rows than this run as a job (a CSV's rows are counted from its lines).
LARGE_ROWS = 20000
#: Uploads larger than this (MB) run as a job whatever their rows (an Excel file's rows are not
#: counted before it is read).
LARGE_MB = 5.0


def data_rows(data: bytes, filename: str) -> int | None:
    """Lines of a CSV-like upload after the header (an upper bound on its samples: a units row
    or blank lines count too); None for an Excel workbook."""
    if Path(filename).suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    n = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return max(n - 1, 0)


def is_large(data: bytes, filename: str) -> bool:
    """Whether an upload runs as a job: over :data:`LARGE_ROWS` rows or :data:`LARGE_MB` MB."""
    rows = data_rows(data, filename)
    return len(data) > LARGE_MB * 1e6 or (rows is not None and rows > LARGE_ROWS)


def submit_characterise(
    data: bytes, filename: str, options: Mapping[str, Any], *, label: str = ""
) -> str:
    """Queue the characterisation of an uploaded lab file as a job; when it is done the records
    and provenance are saved to the workspace (kind ``characterise``) with the file as input.
    ``options``: ``database``, ``charge_balance``, ``censored_policy``, ``irrigation``,
    ``redox`` and, for a workbook, ``sheet``.  Returns the job's id."""
    params = {"source": bytes(data), "filename": filename, **dict(options)}
    if params.get("sheet") is None:
        params.pop("sheet", None)
    return submit(
        "characterise",
        "characterise_file",
        params,
        inputs=lab_inputs(data, filename),
        options={k: v for k, v in options.items()},
        label=label or Path(filename).stem,
    )


def records(result: Mapping[str, Any]) -> pd.DataFrame:
    """The job's records as a DataFrame (one row per sample, the engine's columns)."""
    return pd.DataFrame(list(result.get("records") or []))
