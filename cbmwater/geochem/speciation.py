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
* Redox (``redox``, :mod:`cbmwater.geochem.redox`, DESIGN.md §5): total Fe without a redox
  statement enters as Fe(2) (``fe2``, the default: a produced water is anoxic); ``pe:VALUE``
  distributes it by that pe (``pe:4`` is PHREEQC's default and the behaviour before this policy);
  ``measured`` uses the analysis's Fe2/Fe3 couple, else ORP (Eh), else DO.  Measured Fe2/Fe3 are
  always entered as given.  Each sample's basis is a sentence in ``table["redox_basis"]`` and a
  comment line of the ``.pqi``; PHREEQC's Fe(II)/Fe(III) totals are returned so that the QA
  counts Fe at the same valence.
* Censored cells are substituted by the set's policy (default half the detection limit).
* phreeqc.dat and wateq4f.dat use ion-association activity models, reliable to ionic strength
  about 0.5 mol/kgw; above it a warning recommends pitzer.dat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import GeochemError, InputError
from ..i18n import Message, Text, joined
from ..version import __version__
from ..water.analysis import AnalysisSet
from .databases import DatabaseInfo, database_info
from .engine import (
    get_engine,
    get_engines,
    iphreeqc_version,
    phreeqc_workers,
    run_pipelined,
    si_or_nan,
)
from .phreeqc_input import (
    SI_MINERALS,
    phreeqc_element,
    redox_definitions,
    selected_output_block,
    solution_block,
)
from .redox import RedoxBasis, parse_redox

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
        atm), ``phreeqc_percent_error`` (PHREEQC's charge-balance error, %),
        ``si_<Mineral>`` for :data:`SI_MINERALS` (NaN where an element of the mineral is absent),
        ``fe2_mol_kgw`` and ``fe3_mol_kgw`` (PHREEQC's Fe(II) and Fe(III) totals, mol/kgw; Fe(III)
        0 for a database without it) and ``redox_basis`` (one sentence: how the sample's redox
        state was entered).
    warnings : dict
        sample_id -> list of sentences.
    input : str
        The PHREEQC input that was run (exportable as .pqi).
    database : DatabaseInfo
    notes : list of str
        Sentences about the whole run.
    redox : RedoxBasis
        The redox basis asked for (``redox.label``: ``fe2``, ``pe:4``, ``measured``).
    """

    table: pd.DataFrame
    warnings: dict[str, list[str]]
    input: str
    database: DatabaseInfo
    notes: list[str] = field(default_factory=list)
    redox: RedoxBasis = field(default_factory=RedoxBasis)

    def pqi(self, sample_ids: list[str] | None = None) -> str:
        """The input as a ``.pqi`` file PHREEQC runs, with a header saying how.

        Sample ids appear only in comment lines, JSON-escaped (they cannot hold line breaks).
        Each solution has a comment line with its redox basis (engine text, never user text).
        """
        ids = list(self.table.index)
        bases = (
            self.table["redox_basis"]
            if "redox_basis" in self.table
            else pd.Series("", index=self.table.index)
        )
        head = [
            "# PHREEQC input written by cbmwater " + __version__,
            f"# Run it with PHREEQC 3.x and the database {self.database.name} "
            f"(sha256 {self.database.sha256}),",
            f"#   e.g.  phreeqc this.pqi this.out {self.database.name}",
            f"# IPhreeqc used by cbmwater: {iphreeqc_version()}",
            f"# Redox basis (--redox {self.redox.label}): ammonium decoupled (Amm), nitrate not "
            "reduced; total Fe without a redox statement is Fe(II) (docs/chemistry_redox.md)",
            "# Solutions by number:",
        ]
        for i, s in enumerate(ids, start=1):
            if sample_ids is None or s in sample_ids:
                head.append(f"#   {i}: sample_id {json.dumps(s, ensure_ascii=True)}")
                head.append(f"#      redox: {_comment(bases.iloc[i - 1])}")
        return "\n".join(head) + "\n" + self.input


def _comment(text: object) -> str:
    """Engine text made safe for one comment line (ASCII, no line breaks)."""
    return json.dumps(str(text), ensure_ascii=True)[1:-1]


def _basis(redox: str | RedoxBasis | None, pe: float | None) -> RedoxBasis:
    """The redox basis from ``redox`` or the older ``pe`` argument (``pe:VALUE``)."""
    if pe is None:
        return parse_redox(redox)
    b = RedoxBasis("pe", float(pe))
    if redox is not None and parse_redox(redox) != b:
        raise InputError(Text.of("geochem.error.redox_twice", redox=repr(redox), pe=repr(pe)))
    return b


def _fe_totals(db: DatabaseInfo) -> tuple[str | None, str | None]:
    """The database's spellings of Fe(II) and Fe(III) for ``-totals`` (None where undefined)."""
    return phreeqc_element("Fe2", db), phreeqc_element("Fe3", db)


def _redox_per_sample(
    basis: RedoxBasis,
    analyses: AnalysisSet,
    values: pd.DataFrame,
    db: DatabaseInfo,
    warnings: dict[str, list[str]],
) -> dict[str, str]:
    """Resolve every sample's redox basis before PHREEQC runs; its sentence by sample_id.

    Raises
    ------
    InputError
        ``measured`` for samples with no Fe2/Fe3, ORP_mV or DO (naming them and what to
        measure), or a Fe(2)/Fe(3) couple in a database without Fe(III).
    """
    cols = [c for c in ("Fe2", "Fe3", "ORP_mV", "DO", "temp_C") if c in values.columns]
    out: dict[str, str] = {}
    missing: list[str] = []
    no_fe3 = _fe_totals(db)[1] is None
    for row in values[cols].itertuples(index=True, name=None):
        sid = row[0]
        try:
            mode, _, sentence = basis.resolve(dict(zip(cols, row[1:])))
        except InputError:
            missing.append(sid)
            continue
        if mode == "fe_couple" and no_fe3:
            raise InputError(
                Text.of("geochem.error.no_fe3", database=db.name, sample=repr(sid)),
                file=analyses.source,
                row=analyses.rows.get(sid),
            )
        if mode == "do" and bool(analyses.censored.at[sid, "DO"]):
            warnings[sid].append(Text.of("geochem.warn.do_censored"))
        out[sid] = sentence
    if missing:
        shown = joined([repr(s) for s in missing[:5]])
        more = (
            Message("geochem.error.and_more", {"n": len(missing) - 5}) if len(missing) > 5 else ""
        )
        raise InputError(
            Text.of("geochem.error.redox_missing", shown=shown, more=more),
            file=analyses.source,
            row=analyses.rows.get(missing[0]),
        )
    return out


def speciation_input(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    *,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    pe: float | None = None,
    density: float | str | None = None,
    redox: str | RedoxBasis | None = None,
) -> tuple[str, dict[str, list[str]], DatabaseInfo]:
    """Build one PHREEQC input with every sample of ``analyses`` as a SOLUTION.

    Parameters are those of :func:`speciate`.

    Returns
    -------
    text, warnings, database
        The input; per-sample warnings raised while building it; the database info.
    """
    head, blocks, warnings, db, _ = _speciation_parts(
        analyses,
        database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        redox=_basis(redox, pe),
        density=density,
    )
    return head + "".join(blocks) + "END\n", warnings, db


def _speciation_parts(
    analyses: AnalysisSet,
    database: str | Path | None,
    *,
    charge_balance: str | None,
    censored_policy: str,
    redox: RedoxBasis,
    density: float | str | None,
) -> tuple[str, list[str], dict[str, list[str]], DatabaseInfo, dict[str, str]]:
    head, blocks, warnings, db, bases = _speciation_stream(
        analyses,
        database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        redox=redox,
        density=density,
    )
    return head, list(blocks), warnings, db, bases


def _speciation_stream(
    analyses: AnalysisSet,
    database: str | Path | None,
    *,
    charge_balance: str | None,
    censored_policy: str,
    redox: RedoxBasis,
    density: float | str | None,
) -> tuple[str, Iterator[str], dict[str, list[str]], DatabaseInfo, dict[str, str]]:
    """Header, a lazy iterator of SOLUTION blocks, the warnings it fills in, the database and
    the redox sentence of every sample."""
    db = database_info(database)
    values = analyses.resolved(censored_policy)
    warnings: dict[str, list[str]] = {s: [] for s in analyses.sample_ids}
    for sid, notes in analyses.censored_notes(censored_policy).items():
        warnings[sid].extend(notes)
    bases = _redox_per_sample(redox, analyses, values, db, warnings)
    phases = [p for p in SI_MINERALS if p in db.phases]
    extra = ["CO2(g)"] if "CO2(g)" in db.phases else []
    totals = [e for e in _fe_totals(db) if e is not None]
    head = redox_definitions(db) + selected_output_block(phases + extra, totals=totals)
    # only the measured columns, and per sample only its measured values: NaN means not
    # measured to solution_block, so leaving it out is the same and much cheaper per sample
    measured = values.loc[:, values.notna().any().to_numpy()]
    cols = list(measured.columns)

    def blocks() -> Iterator[str]:
        for n, row in enumerate(measured.itertuples(index=True, name=None), start=1):
            sid = row[0]
            vals = {c: v for c, v in zip(cols, row[1:]) if v == v}  # NaN != NaN
            if "temp_C" not in vals:
                vals["temp_C"] = DEFAULT_TEMP_C
                warnings[sid].append(Text.of("geochem.warn.no_temperature", temp=DEFAULT_TEMP_C))
            block, notes = solution_block(
                n, vals, db, charge_balance=charge_balance, redox=redox, density=density
            )
            warnings[sid].extend(notes)
            yield block

    return head, blocks(), warnings, db, bases


def speciate(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    *,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    pe: float | None = None,
    density: float | str | None = None,
    workers: int | None = None,
    redox: str | RedoxBasis | None = None,
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
        A pe for every sample; the same as ``redox="pe:VALUE"`` (kept for older callers).
    density : float or "calc", optional
        Density in kg/L for the mg/L to molality conversion (PHREEQC default 1).
    workers : int, optional
        PHREEQC instances run in parallel threads, each on a contiguous share of the samples.
        Default: one per available core for :data:`PARALLEL_MIN_SAMPLES` samples or more, else 1.
        The results are the same as one run of :attr:`SpeciationResult.input`.
    redox : {"fe2", "pe:VALUE", "measured"} or RedoxBasis, optional
        How each water's redox state enters PHREEQC (:mod:`cbmwater.geochem.redox`).  ``fe2``
        (default): total Fe as Fe(II), an anoxic produced water; ``pe:VALUE``: total Fe
        distributed by that pe (``pe:4`` is PHREEQC's default, the behaviour before the
        policy); ``measured``: the sample's Fe2/Fe3 couple, else ORP_mV (Eh vs SHE, mV), else
        DO (mg/L).  Measured Fe2/Fe3 are always entered as given.

    Returns
    -------
    SpeciationResult

    Raises
    ------
    InputError
        A bad ``redox``; ``measured`` for a sample with no Fe2/Fe3, ORP_mV or DO (named).

    References
    ----------
    Parkhurst, D.L. & Appelo, C.A.J. (2013). Description of input and examples for PHREEQC
    version 3. USGS Techniques and Methods 6-A43.
    """
    basis = _basis(redox, pe)
    head, blocks, warnings, db, bases = _speciation_stream(
        analyses,
        database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        redox=basis,
        density=density,
    )
    n = len(analyses)
    if workers is None:
        workers = phreeqc_workers() if n >= PARALLEL_MIN_SAMPLES else 1
    workers = max(1, min(int(workers), n))
    try:
        if workers == 1:
            block_list = list(blocks)
            out = get_engine(db.path).run(head + "".join(block_list) + "END\n")
        else:
            block_list, out = run_pipelined(head, blocks, n, get_engines(db.path, workers))
    except GeochemError as exc:
        located = _locate_failure(
            analyses, database, charge_balance, censored_policy, basis, density
        )
        if located is None:
            raise
        raise located from exc
    text = head + "".join(block_list) + "END\n"
    ids = analyses.sample_ids
    if len(out) != len(ids):
        raise GeochemError(Text.of("geochem.error.rows_samples", got=len(out), n=len(ids)))
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
    fe2_name, fe3_name = _fe_totals(db)
    table["fe2_mol_kgw"] = out[fe2_name].to_numpy(dtype=float) if fe2_name in out else np.nan
    table["fe3_mol_kgw"] = out[fe3_name].to_numpy(dtype=float) if fe3_name in out else 0.0
    table["redox_basis"] = [bases[s] for s in ids]
    notes: list[str] = []
    if missing:
        notes.append(
            Text.of("geochem.note.phases_missing", database=db.name, phases=joined(missing))
        )
    if not db.pitzer:
        high = table.index[table["ionic_strength"] > IONIC_STRENGTH_LIMIT]
        for sid in high:
            warnings[sid].append(
                Text.of(
                    "geochem.warn.ionic_strength",
                    ionic_strength=table.at[sid, "ionic_strength"],
                    limit=IONIC_STRENGTH_LIMIT,
                    database=db.name,
                )
            )
    return SpeciationResult(table, warnings, text, db, notes, basis)


def _locate_failure(
    analyses: AnalysisSet,
    database: str | Path | None,
    charge_balance: str | None,
    censored_policy: str,
    redox: RedoxBasis,
    density: float | str | None,
) -> GeochemError | None:
    """After a failed batch, run the samples one by one to name the one PHREEQC rejects."""
    for sid in analyses.sample_ids:
        one = analyses.subset([sid])
        text, _, db = speciation_input(
            one,
            database,
            charge_balance=charge_balance,
            censored_policy=censored_policy,
            redox=redox,
            density=density,
        )
        try:
            get_engine(db.path).run(text)
        except GeochemError as exc:
            row = analyses.rows.get(sid)
            where = (
                Message("geochem.error.sample_where", {"file": analyses.source, "row": row})
                if row
                else ""
            )
            return GeochemError(
                Text.of(
                    "geochem.error.sample_failed",
                    sample=repr(sid),
                    where=where,
                    error=exc.full_message(),
                )
            )
    return None
