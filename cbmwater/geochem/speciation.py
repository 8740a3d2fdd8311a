"""Speciation and saturation indices of many analyses in one PHREEQC run.

:func:`speciation_input` writes one PHREEQC input holding every sample as a numbered SOLUTION
and one SELECTED_OUTPUT; :func:`speciate` runs it once and returns a table.  Sample ids never
enter the input: solution *n* is the *n*-th sample of the set.

Model choices (stated, not hidden)
----------------------------------
* Carbonate enters as total alkalinity (mg/L as CaCO3) from HCO3 + CO3, else from
  ``alkalinity_CaCO3``.
* No charge balancing unless ``charge_balance`` names what to adjust.
* Temperature is the sample's; where it was not measured, 25 deg C is used and a warning says so.
* Density is PHREEQC's default (1 kg/L) unless given (a number, or "calc");
* pe is PHREEQC's default (4) unless given; total Fe is distributed between Fe(2) and Fe(3) by it,
  unless the analysis gives Fe2/Fe3.
* Censored cells are substituted by the set's policy (default half the detection limit).
* phreeqc.dat and wateq4f.dat use ion-association activity models, reliable to ionic strength
  about 0.5 mol/kgw; above it a warning recommends pitzer.dat.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import GeochemError
from ..water.analysis import AnalysisSet
from .databases import DatabaseInfo, database_info
from .engine import (available_cores, get_engine, get_engines, iphreeqc_version, run_pipelined,
                     si_or_nan)
from .phreeqc_input import SI_MINERALS, redox_definitions, selected_output_block, solution_block

__all__ = ["SpeciationResult", "speciation_input", "speciate", "IONIC_STRENGTH_LIMIT"]

#: Ionic strength (mol/kgw) above which ion-association databases lose accuracy.
IONIC_STRENGTH_LIMIT = 0.5
DEFAULT_TEMP_C = 25.0
#: Below this many samples one PHREEQC instance is used (threads would cost more than they save).
PARALLEL_MIN_SAMPLES = 200


@dataclass
class SpeciationResult:
    """Output of :func:`speciate`.

    Attributes
    ----------
    table : DataFrame
        Index sample_id; columns ``pH, temp_C, ionic_strength`` (mol/kgw), ``log_pCO2`` (log10
        atm), ``phreeqc_percent_error`` (PHREEQC's charge-balance error, %), and
        ``si_<Mineral>`` for :data:`SI_MINERALS` (NaN where an element of the mineral is absent).
    warnings : dict
        sample_id -> list of sentences.
    input : str
        The PHREEQC input that was run (exportable as .pqi).
    database : DatabaseInfo
    """

    table: pd.DataFrame
    warnings: dict[str, list[str]]
    input: str
    database: DatabaseInfo
    notes: list[str] = field(default_factory=list)

    def pqi(self, sample_ids: list[str] | None = None) -> str:
        """The input as a ``.pqi`` file PHREEQC runs, with a header saying how.

        Sample ids appear only in comment lines, JSON-escaped (they cannot hold line breaks).
        """
        ids = list(self.table.index)
        head = [
            "# PHREEQC input written by cbmwater " + __version__,
            f"# Run it with PHREEQC 3.x and the database {self.database.name} "
            f"(sha256 {self.database.sha256}),",
            f"#   e.g.  phreeqc this.pqi this.out {self.database.name}",
            f"# IPhreeqc used by cbmwater: {iphreeqc_version()}",
            "# Solutions by number:",
        ]
        head += [f"#   {i}: sample_id {json.dumps(s, ensure_ascii=True)}" for i, s in
                 enumerate(ids, start=1) if sample_ids is None or s in sample_ids]
        return "\n".join(head) + "\n" + self.input


def speciation_input(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    *,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    pe: float | None = None,
    density: float | str | None = None,
) -> tuple[str, dict[str, list[str]], DatabaseInfo]:
    """Build one PHREEQC input with every sample of ``analyses`` as a SOLUTION.

    Returns
    -------
    text, warnings, database
        The input; per-sample warnings raised while building it; the database info.
    """
    head, blocks, warnings, db = _speciation_parts(
        analyses, database, charge_balance=charge_balance, censored_policy=censored_policy, pe=pe,
        density=density)
    return head + "".join(blocks) + "END\n", warnings, db


def _speciation_parts(analyses, database, *, charge_balance, censored_policy, pe, density):
    head, blocks, warnings, db = _speciation_stream(
        analyses, database, charge_balance=charge_balance, censored_policy=censored_policy, pe=pe,
        density=density)
    return head, list(blocks), warnings, db


def _speciation_stream(analyses, database, *, charge_balance, censored_policy, pe, density):
    """Header, a lazy iterator of SOLUTION blocks, the warnings it fills in, and the database."""
    db = database_info(database)
    values = analyses.resolved(censored_policy)
    warnings: dict[str, list[str]] = {s: [] for s in analyses.sample_ids}
    for sid, notes in analyses.censored_notes(censored_policy).items():
        warnings[sid].extend(notes)
    phases = [p for p in SI_MINERALS if p in db.phases]
    extra = ["CO2(g)"] if "CO2(g)" in db.phases else []
    head = redox_definitions(db) + selected_output_block(phases + extra)
    cols = list(values.columns)

    def blocks():
        for n, row in enumerate(values.itertuples(index=True, name=None), start=1):
            sid = row[0]
            vals = dict(zip(cols, row[1:]))
            t = vals.get("temp_C")
            if t is None or math.isnan(t):
                vals["temp_C"] = DEFAULT_TEMP_C
                warnings[sid].append("temperature not measured: 25 deg C used")
            block, notes = solution_block(n, vals, db, charge_balance=charge_balance, pe=pe,
                                          density=density)
            warnings[sid].extend(notes)
            yield block

    return head, blocks(), warnings, db


def speciate(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    *,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    pe: float | None = None,
    density: float | str | None = None,
    workers: int | None = None,
) -> SpeciationResult:
    """Speciate all analyses in one PHREEQC run.

    Parameters
    ----------
    analyses : AnalysisSet
        Validated analyses (mg/L); each needs pH.
    database : str or Path, optional
        ``phreeqc`` (default), ``pitzer``, ``wateq4f`` or a path to a .dat file.
    charge_balance : str, optional
        Adjust this ion (or ``pH``) to balance charge; default: no adjustment.
    censored_policy : {"half", "zero", "limit"}
        Substitution for below-detection values (see :mod:`cbmwater.water.analysis`).
    pe : float, optional
        Redox potential (PHREEQC default 4).
    density : float or "calc", optional
        Density in kg/L for the mg/L to molality conversion (PHREEQC default 1).
    workers : int, optional
        PHREEQC instances run in parallel threads, each on a contiguous share of the samples.
        Default: one per available core for :data:`PARALLEL_MIN_SAMPLES` samples or more, else 1.
        The results are the same as one run of :attr:`SpeciationResult.input`.

    Returns
    -------
    SpeciationResult

    References
    ----------
    Parkhurst, D.L. & Appelo, C.A.J. (2013). Description of input and examples for PHREEQC
    version 3. USGS Techniques and Methods 6-A43.
    """
    head, blocks, warnings, db = _speciation_stream(
        analyses, database, charge_balance=charge_balance, censored_policy=censored_policy, pe=pe,
        density=density)
    n = len(analyses)
    if workers is None:
        workers = available_cores() if n >= PARALLEL_MIN_SAMPLES else 1
    workers = max(1, min(int(workers), n))
    try:
        if workers == 1:
            block_list = list(blocks)
            out = get_engine(db.path).run(head + "".join(block_list) + "END\n")
        else:
            block_list, out = run_pipelined(head, blocks, n, get_engines(db.path, workers))
    except GeochemError as exc:
        raise _locate_failure(analyses, database, charge_balance, censored_policy, pe,
                              density) or exc
    text = head + "".join(block_list) + "END\n"
    ids = analyses.sample_ids
    if len(out) != len(ids):
        raise GeochemError(f"PHREEQC returned {len(out)} rows for {len(ids)} samples")
    table = pd.DataFrame(index=pd.Index(ids, name="sample_id"))
    table["pH"] = out["pH"].to_numpy()
    table["temp_C"] = out.iloc[:, 2].to_numpy()
    table["ionic_strength"] = out["mu"].to_numpy()
    table["log_pCO2"] = si_or_nan(out["si_CO2(g)"]) if "si_CO2(g)" in out else np.nan
    table["phreeqc_percent_error"] = out["pct_err"].to_numpy()
    missing = []
    for p in SI_MINERALS:
        col = f"si_{p}"
        if col in out:
            table[col] = si_or_nan(out[col].to_numpy())
        else:
            table[col] = np.nan
            missing.append(p)
    notes = []
    if missing:
        notes.append(f"{db.name} does not define {', '.join(missing)}: their SI are empty")
    if not db.pitzer:
        high = table.index[table["ionic_strength"] > IONIC_STRENGTH_LIMIT]
        for sid in high:
            warnings[sid].append(
                f"ionic strength {table.at[sid, 'ionic_strength']:.2f} mol/kgw exceeds "
                f"{IONIC_STRENGTH_LIMIT} for {db.name}: results are uncertain; use pitzer.dat")
    return SpeciationResult(table, warnings, text, db, notes)


def _locate_failure(analyses, database, charge_balance, censored_policy, pe,
                    density) -> GeochemError | None:
    """After a failed batch, run the samples one by one to name the one PHREEQC rejects."""
    for sid in analyses.sample_ids:
        one = analyses.subset([sid])
        text, _, db = speciation_input(one, database, charge_balance=charge_balance,
                                       censored_policy=censored_policy, pe=pe,
                                       density=density)
        try:
            get_engine(db.path).run(text)
        except GeochemError as exc:
            row = analyses.rows.get(sid)
            where = f" (file {analyses.source}, row {row})" if row else ""
            return GeochemError(f"PHREEQC failed on sample {sid!r}{where}: {exc}")
    return None
