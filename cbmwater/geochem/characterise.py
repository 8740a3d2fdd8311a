"""Characterisation of produced-water analyses: QA + PHREEQC speciation, one record per sample.

QA and speciation use the same Fe valence (DESIGN.md §5 "Redox"; :mod:`cbmwater.water.qa`): with
the default redox basis ``fe2`` both count total Fe as Fe(II); with ``pe:VALUE`` or ``measured``
the QA ion balance takes the Fe(II)/Fe(III) split PHREEQC computed for each sample.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..water.analysis import AnalysisSet
from ..water.chunks import LabPlan, Part, PartRead, read_part
from ..water.qa import BALANCE_WARN_PCT, meq_per_L, qa_table
from .irrigation import adjusted_sar, calcium_equilibrium_input
from .phreeqc_input import SI_MINERALS
from .redox import RedoxBasis, parse_redox
from .speciation import SpeciationResult, speciate

__all__ = [
    "Characterisation",
    "characterise",
    "characterise_part",
    "part_records",
    "RECORD_COLUMNS",
]

#: Columns of a characterisation record, in order (``warnings`` is a list of sentences).
RECORD_COLUMNS: tuple[str, ...] = (
    (
        "sample_id",
        "pH",
        "temp_C",
        "ionic_strength",
        "log_pCO2",
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
    )
    + tuple(f"si_{m}" for m in SI_MINERALS)
    + ("phreeqc_percent_error", "warnings")
)


_PQI_HEADER = (
    "# PHREEQC input written by cbmwater (FAO-29 adjusted SAR: calcite + CO2(g) equilibrium)\n"
    "# Run it with PHREEQC 3.x and the database {db} (sha256 {sha}).\n"
    "# Solutions are numbered in the order of the samples in the speciation .pqi.\n"
)


@dataclass
class Characterisation:
    """QA and speciation of a set of analyses.

    Attributes
    ----------
    records : DataFrame
        One row per sample, columns :data:`RECORD_COLUMNS`.  Units: ionic strength mol/kgw,
        log_pCO2 log10(atm), TDS mg/L, hardness and alkalinity mg/L as CaCO3, SAR (meq/L)^0.5,
        RSC meq/L, temperature deg C, SI log10(IAP/K); ``redox_basis`` one sentence per sample
        (how its redox state, and so its Fe valence, entered PHREEQC and the QA).
    speciation : SpeciationResult
        The PHREEQC run (input, database, warnings); ``speciation.pqi()`` exports it.
    provenance : dict
        Versions, database hash and analysis fingerprint for reproducibility.
    analyses : AnalysisSet
        The analyses that were characterised (for meq/L tables, Piper diagrams, re-runs).
    inputs : dict
        Further PHREEQC inputs that were run (``"adjusted_sar"``), exportable with :meth:`pqi`.
    meq : DataFrame, optional
        The ion concentrations (meq/L, index sample_id) the QA ion balance used, iron at the
        speciation's valence.
    """

    records: pd.DataFrame
    speciation: SpeciationResult
    provenance: dict[str, object] = field(default_factory=dict)
    analyses: AnalysisSet | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    meq: pd.DataFrame | None = None

    def pqi(self, name: str = "speciation") -> str:
        """A PHREEQC input that was run, as a .pqi file: ``"speciation"`` (always) or
        ``"adjusted_sar"`` (with ``irrigation=True``)."""
        if name == "speciation":
            return self.speciation.pqi()
        return (
            _PQI_HEADER.format(
                db=self.speciation.database.name, sha=self.speciation.database.sha256
            )
            + self.inputs[name]
        )

    def to_records(self) -> list[dict[str, object]]:
        """JSON-ready list of dicts (NaN as None)."""
        df = self.records.astype(object).where(self.records.notna(), None)
        return df.to_dict(orient="records")


def characterise(
    analyses: AnalysisSet,
    database: str | Path | None = None,
    *,
    charge_balance: str | None = None,
    censored_policy: str = "half",
    irrigation: bool = False,
    redox: str | RedoxBasis | None = None,
) -> Characterisation:
    """QA every analysis and speciate all of them in one PHREEQC run.

    Parameters
    ----------
    analyses : AnalysisSet
    database : str or Path, optional
        ``phreeqc`` (default), ``pitzer``, ``wateq4f`` or a .dat path.
    charge_balance : str, optional
        Ion (or ``pH``) PHREEQC adjusts to balance charge; default none.
    censored_policy : {"half", "zero", "limit"}
    irrigation : bool
        Also compute the FAO-29 adjusted SAR (a second PHREEQC run); otherwise ``sar_adjusted``
        is empty.
    redox : {"fe2", "pe:VALUE", "measured"} or RedoxBasis, optional
        The redox basis of the waters (:func:`cbmwater.geochem.speciation.speciate`); default
        ``fe2``: total Fe without a redox statement is Fe(II).  The QA ion balance counts Fe at
        the same valence.

    Returns
    -------
    Characterisation

    Raises
    ------
    InputError
        A bad ``redox``; ``measured`` for a sample with no Fe2/Fe3, ORP_mV or DO (named).
    """
    from ..version import __version__
    from .engine import iphreeqc_version

    basis = parse_redox(redox)
    values = analyses.resolved(censored_policy)
    fe_split = None
    if basis.kind == "fe2":
        # QA counts total Fe as Fe2+ exactly as the speciation enters it, so it need not wait:
        # PHREEQC runs without the GIL and the QA arithmetic is done while it works
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(
                speciate,
                analyses,
                database,
                charge_balance=charge_balance,
                censored_policy=censored_policy,
                redox=basis,
            )
            qa = qa_table(values)
            spec = pending.result()
    else:
        spec = speciate(
            analyses,
            database,
            charge_balance=charge_balance,
            censored_policy=censored_policy,
            redox=basis,
        )
        fe_split = _phreeqc_fe_split(values, spec.table)
        qa = qa_table(values, fe_split)
    t = spec.table
    rec = pd.DataFrame(index=t.index)
    rec["sample_id"] = t.index
    for col in ("pH", "temp_C", "ionic_strength", "log_pCO2"):
        rec[col] = t[col]
    rec["charge_balance_pct"] = qa["charge_balance_pct"]
    for col in ("tds_mg_L", "hardness_mg_L_CaCO3", "alkalinity_mg_L_CaCO3", "sar"):
        rec[col] = qa[col]
    inputs: dict[str, str] = {}
    if irrigation:
        rec["sar_adjusted"] = adjusted_sar(
            analyses, database, censored_policy=censored_policy, redox=basis
        )
        inputs["adjusted_sar"] = calcium_equilibrium_input(
            analyses, database, censored_policy=censored_policy, redox=basis
        )
    else:
        rec["sar_adjusted"] = float("nan")
    rec["rsc_meq_L"] = qa["rsc_meq_L"]
    rec["water_type"] = qa["water_type"]
    rec["qa_flag"] = qa["qa_flag"]
    rec["redox_basis"] = t["redox_basis"]
    if fe_split is not None:
        share = (fe_split["Fe2"] / (fe_split["Fe2"] + fe_split["Fe3"])).reindex(t.index)
        rec["redox_basis"] = [
            b if np.isnan(s) else f"{b}; PHREEQC: {100 * s:.3g} % of total Fe is Fe(II)"
            for b, s in zip(t["redox_basis"], share)
        ]
    for m in SI_MINERALS:
        rec[f"si_{m}"] = t[f"si_{m}"]
    rec["phreeqc_percent_error"] = t["phreeqc_percent_error"]
    rec["warnings"] = [
        list(q) + list(spec.warnings.get(sid, [])) for sid, q in zip(t.index, qa["qa_notes"])
    ]
    rec = rec.reset_index(drop=True)[list(RECORD_COLUMNS)]
    prov: dict[str, object] = {
        "cbmwater": __version__,
        "iphreeqc": iphreeqc_version(),
        "database": spec.database.name,
        "database_sha256": spec.database.sha256,
        "analyses_sha256": analyses.fingerprint(),
        "source": analyses.source,
        "censored_policy": censored_policy,
        "charge_balance": charge_balance,
        "redox": basis.label,
        "balance_warning_pct": BALANCE_WARN_PCT,
        "notes": spec.notes,
    }
    return Characterisation(rec, spec, prov, analyses, inputs, meq_per_L(values, fe_split))


def _phreeqc_fe_split(values: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Fe(II) and Fe(III) in mg/L where PHREEQC distributed a total Fe by a pe.

    Only samples with total Fe and no measured Fe2/Fe3 get numbers (measured ones are entered,
    and counted, as given); the total is split in the ratio of PHREEQC's ``Fe(2)`` and
    ``Fe(3)`` totals (mol/kgw), so the QA keeps the analysis's own mg/L.
    """
    fe = values["Fe"].reindex(table.index).astype(float)
    measured = (values["Fe2"].notna() | values["Fe3"].notna()).reindex(table.index)
    m2, m3 = table["fe2_mol_kgw"].astype(float), table["fe3_mol_kgw"].astype(float)
    total = m2 + m3
    ok = fe.notna() & ~measured & (total > 0)
    f2 = (m2 / total.where(total > 0)).where(ok)
    return pd.DataFrame({"Fe2": fe * f2, "Fe3": fe * (1 - f2)}, index=table.index)


def part_records(
    plan: LabPlan, part: Part, options: dict[str, Any]
) -> tuple[PartRead, pd.DataFrame | None]:
    """Read, check and characterise one part of a large lab file (:mod:`cbmwater.water.chunks`).

    Parameters
    ----------
    plan : LabPlan
        From :func:`cbmwater.water.chunks.plan_parts`.
    part : Part
        The part to read.
    options : dict
        Keyword arguments of :func:`characterise` (``database``, ``charge_balance``,
        ``censored_policy``, ``irrigation``, ``redox``).

    Returns
    -------
    (PartRead, DataFrame or None)
        What the part held (its analyses dropped: the records carry them) and its records,
        ``attrs["provenance"]`` the run's provenance; None when the part has no samples or an
        error (in the :class:`PartRead`).
    """
    got = read_part(plan, part)
    analyses, got.analyses = got.analyses, None
    if analyses is None:
        return got, None
    result = characterise(analyses, **options)
    records = result.records
    records.attrs["provenance"] = result.provenance
    return got, records


def characterise_part(
    task: tuple[LabPlan, Part, dict[str, Any]],
) -> tuple[PartRead, pd.DataFrame | None]:
    """Executor task: :func:`part_records` in a worker process, with one IPhreeqc instance (the
    worker is one of the executor's processes, one per core)."""
    import os

    from .engine import PHREEQC_WORKERS_ENV

    os.environ[PHREEQC_WORKERS_ENV] = "1"
    return part_records(*task)
