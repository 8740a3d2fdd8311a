"""What the Reinjection page computes, without Streamlit: engine calls, tables and export bytes.

Only the engine's public API is used (``cbmwater`` and ``cbmwater.study``).  Every function is plain so it can be tested
without a browser; the page caches :func:`run_review` with ``st.cache_data`` (keyed by the
proposal's bytes).

A proposal file names its lab CSVs relative to its own folder.  An uploaded proposal is reviewed
by :func:`cbmwater.study.reinjection.review_upload`, which writes an optional uploaded CSV
beside it under every (relative) file name the proposal references, so a proposal with inline waters needs no CSV and one that
points at ``waters.csv`` works with that CSV uploaded next to it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

import cbmwater
from cbmwater.app.logic import engine_text
from cbmwater.app.logic_jobs import submit as submit_job
from cbmwater.study import SCALE_MINERALS, ReviewResult, example_path
from cbmwater.study import outputs as export
from cbmwater.study.reinjection import proposal_files, proposal_title, review_upload
from cbmwater.study.workspace import InputFile, run_inputs

__all__ = [
    "EXAMPLES_DIR",
    "VERDICTS",
    "SCALE_MINERALS",
    "example_proposals",
    "proposal_title",
    "referenced_files",
    "review_path",
    "review_bytes",
    "run_review",
    "review_key",
    "review_inputs",
    "submit_review",
    "findings_table",
    "conditions",
    "assumptions",
    "verdict_reason",
    "mixing_table",
    "minerals",
    "pqi_name",
    "pqi_readme",
    "pqi_zip",
]

#: The bundled example proposals (cbmwater/case_studies/reinjection, package data).
EXAMPLES_DIR = example_path("reinjection")
#: Verdicts of the engine, best first.
VERDICTS: tuple[str, ...] = ("pass", "conditional", "fail")


# ------------------------------------------------------------------ proposals
def example_proposals() -> list[Path]:
    """The bundled proposal files, by name."""
    return sorted(EXAMPLES_DIR.glob("*.toml"))


#: The lab files a proposal's TOML bytes name (:func:`cbmwater.study.reinjection.proposal_files`).
referenced_files = proposal_files


# ------------------------------------------------------------------ engine run
def review_path(path: str | Path) -> ReviewResult:
    """:func:`cbmwater.review` of a proposal on disk."""
    return cbmwater.review(Path(path))


def review_bytes(
    toml_data: bytes, toml_name: str, csv_data: bytes | None = None, csv_name: str | None = None
) -> ReviewResult:
    """Review an uploaded proposal given as bytes, with the lab CSV it names if uploaded
    (:func:`cbmwater.study.reinjection.review_upload`).

    Raises
    ------
    cbmwater.CbmwaterError
        Invalid TOML or proposal (the message names the file and the field), unreadable CSV.
    """
    return review_upload(toml_data, toml_name, csv_data, csv_name)


def run_review(
    toml_data: bytes,
    toml_name: str,
    example: str | None = None,
    csv_data: bytes | None = None,
    csv_name: str | None = None,
) -> dict:
    """Everything the page shows, as plain data (picklable, so the page can cache it).

    ``example`` is the path of a bundled proposal (then ``toml_data`` only keys the cache).
    Returns ``{"review": ReviewResult.to_dict(), "pqi": ReviewResult.pqi, "html":
    ReviewResult.to_html()}``.
    """
    r = review_path(example) if example else review_bytes(toml_data, toml_name, csv_data, csv_name)
    return {"review": r.to_dict(), "pqi": r.pqi, "html": r.to_html()}


def review_key(
    toml_data: bytes,
    toml_name: str,
    example: str | None = None,
    csv_data: bytes | None = None,
    csv_name: str | None = None,
) -> str:
    """A key naming a review's inputs (SHA-256 of the proposal, its name, the example's path
    and the CSV): one job per distinct review and server process."""
    h = hashlib.sha256()
    for part in (toml_name, example or "", csv_name or ""):
        h.update(part.encode("utf-8") + b"\0")
    h.update(hashlib.sha256(toml_data).digest())
    h.update(hashlib.sha256(csv_data or b"").digest())
    return "review:" + h.hexdigest()


def review_inputs(
    toml_data: bytes,
    toml_name: str,
    example: str | None = None,
    csv_data: bytes | None = None,
    csv_name: str | None = None,
) -> list[InputFile]:
    """The files a review read, to keep with its run: a bundled example and the lab files it
    names, or the uploaded proposal and CSV."""
    if example:
        return run_inputs(example, "proposal")
    out = [InputFile(Path(toml_name).name, toml_data, "proposal")]
    if csv_data is not None:
        out.append(InputFile(Path(csv_name or "waters.csv").name, csv_data, "lab"))
    return out


def submit_review(
    toml_data: bytes,
    toml_name: str,
    example: str | None,
    csv_data: bytes | None,
    csv_name: str | None,
    inputs: list[InputFile],
) -> str:
    """Queue :func:`run_review` as a job; when it is done the review is saved to the workspace
    with ``inputs`` and its PHREEQC input (:data:`cbmwater.app.logic_jobs.REVIEW_PQI`).
    Returns the job's id."""
    params = {
        "toml_data": toml_data,
        "toml_name": toml_name,
        "example": example,
        "csv_data": csv_data,
        "csv_name": csv_name,
    }
    return submit_job(
        "review",
        run_review,
        params,
        inputs=inputs,
        options={"proposal": toml_name, "csv": csv_name},
        label=Path(toml_name).stem[:200],
        split="review",
    )


# ------------------------------------------------------------------ tables
def _evidence_value(v: object) -> str:
    """One evidence value as table text: numbers to 6 significant digits, lists joined, None as a
    dash."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_evidence_value(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k} = {_evidence_value(x)}" for k, x in v.items())
    return str(v)


def findings_table(review: dict, lang: str = "en") -> pd.DataFrame:
    """Findings: code, severity, message, clause (the engine's basis), condition, their texts
    in ``lang``.  Their evidence is :func:`evidence_table`."""
    cols = ["code", "severity", "message", "clause", "condition"]
    rows = [
        {
            "code": f["code"],
            "severity": f["severity"],
            "message": engine_text(f, "message", lang),
            "clause": engine_text(f, "basis", lang),
            "condition": engine_text(f, "condition", lang),
        }
        for f in review["findings"]
    ]
    return pd.DataFrame(rows, columns=cols)


def conditions(review: dict, lang: str = "en") -> list[str]:
    """The conditions of approval in ``lang``."""
    return list(engine_text(review, "conditions", lang) or [])


def assumptions(review: dict, lang: str = "en") -> list[str]:
    """The review's assumptions in ``lang``."""
    return list(engine_text(review, "assumptions", lang) or [])


def verdict_reason(review: dict, lang: str = "en") -> str | None:
    """Why the verdict is what it is, in ``lang`` (None for a review without the reason)."""
    msg = review.get("verdict_reason_i18n")
    return str(cbmwater.render(msg, lang)) if msg else None


def evidence_table(review: dict) -> pd.DataFrame:
    """The findings' evidence as a long table: one row per (finding, quantity), with columns
    ``finding`` (its position, 1-based), ``code``, ``quantity`` (the engine's field name) and
    ``value`` (text: the same finding code may appear twice, e.g. one per aquifer)."""
    cols = ["finding", "code", "quantity", "value"]
    rows = [
        {"finding": i, "code": f["code"], "quantity": str(k), "value": _evidence_value(v)}
        for i, f in enumerate(review["findings"], start=1)
        for k, v in (f.get("evidence") or {}).items()
    ]
    return pd.DataFrame(rows, columns=cols)


def minerals(review: dict) -> list[str]:
    """Minerals with an SI column in the mixing results (engine order)."""
    mix = review["mixing"]
    keys = list(mix[0]) if mix else []
    found = [k[3:] for k in keys if k.startswith("si_")]
    order = [m for m in SCALE_MINERALS if m in found]
    return order + [m for m in found if m not in order]


def mixing_table(review: dict) -> pd.DataFrame:
    """The mixing results, one row per fraction of injectate (None -> NaN)."""
    df = pd.DataFrame(review["mixing"])
    return df.apply(pd.to_numeric, errors="coerce") if not df.empty else df


# ------------------------------------------------------------------ exports
def pqi_name(review: dict) -> str:
    return "reinjection_mixing.pqi"


def pqi_readme(review: dict) -> str:
    """How to re-run the bundled .pqi in PHREEQC."""
    v = review.get("versions", {})
    db = v.get("database", "phreeqc.dat")
    db_file = db if str(db).endswith(".dat") else f"{db}.dat"
    lines = [
        "cbmwater reinjection review: PHREEQC input of the mixing calculation",
        "",
        f"Run with PHREEQC 3: phreeqc {pqi_name(review)} {Path(pqi_name(review)).stem}.out "
        f"{db_file}",
        f"(database {db}, sha256 {v.get('database_sha256', '?')}; cbmwater "
        f"{v.get('cbmwater', '?')}, IPhreeqc {v.get('iphreeqc', '?')}).",
        "Solution 1 is the injectate, solution 2 the formation water; each MIX simulation gives "
        "the saturation indices at formation T and P, the next one equilibrates that mixture "
        "with the scale minerals (precipitation only).",
        f"inputs_hash {review.get('inputs_hash', '')}",
    ]
    return "\n".join(lines) + "\n"


def pqi_zip(review: dict, pqi: str) -> bytes:
    """A .zip holding the .pqi and a README.txt on how to run it (deterministic bytes)."""
    return export.zip_bytes([(pqi_name(review), pqi), ("README.txt", pqi_readme(review))])
