"""Characterisation of produced-water analyses: QA + PHREEQC speciation, one record per sample."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..water.analysis import AnalysisSet
from ..water.qa import BALANCE_WARN_PCT, qa_table
from .irrigation import adjusted_sar, calcium_equilibrium_input
from .phreeqc_input import SI_MINERALS
from .speciation import SpeciationResult, speciate

__all__ = ["Characterisation", "characterise", "RECORD_COLUMNS"]

#: Columns of a characterisation record, in order (``warnings`` is a list of sentences).
RECORD_COLUMNS: tuple[str, ...] = (
    "sample_id", "pH", "temp_C", "ionic_strength", "log_pCO2", "charge_balance_pct",
    "tds_mg_L", "hardness_mg_L_CaCO3", "alkalinity_mg_L_CaCO3", "sar", "sar_adjusted",
    "rsc_meq_L", "water_type", "qa_flag",
) + tuple(f"si_{m}" for m in SI_MINERALS) + ("phreeqc_percent_error", "warnings")


_PQI_HEADER = ("# PHREEQC input written by cbmwater (FAO-29 adjusted SAR: calcite + CO2(g) equilibrium)\n"
               "# Run it with PHREEQC 3.x and the database {db} (sha256 {sha}).\n"
               "# Solutions are numbered in the order of the samples in the speciation .pqi.\n")


@dataclass
class Characterisation:
    """QA and speciation of a set of analyses.

    Attributes
    ----------
    records : DataFrame
        One row per sample, columns :data:`RECORD_COLUMNS`.  Units: ionic strength mol/kgw,
        log_pCO2 log10(atm), TDS mg/L, hardness and alkalinity mg/L as CaCO3, SAR (meq/L)^0.5,
        RSC meq/L, temperature deg C, SI log10(IAP/K).
    speciation : SpeciationResult
        The PHREEQC run (input, database, warnings); ``speciation.pqi()`` exports it.
    provenance : dict
        Versions, database hash and analysis fingerprint for reproducibility.
    analyses : AnalysisSet
        The analyses that were characterised (for meq/L tables, Piper diagrams, re-runs).
    inputs : dict
        Further PHREEQC inputs that were run (``"adjusted_sar"``), exportable with :meth:`pqi`.
    """

    records: pd.DataFrame
    speciation: SpeciationResult
    provenance: dict[str, object] = field(default_factory=dict)
    analyses: AnalysisSet | None = None
    inputs: dict[str, str] = field(default_factory=dict)

    def pqi(self, name: str = "speciation") -> str:
        """A PHREEQC input that was run, as a .pqi file: ``"speciation"`` (always) or
        ``"adjusted_sar"`` (with ``irrigation=True``)."""
        if name == "speciation":
            return self.speciation.pqi()
        return _PQI_HEADER.format(db=self.speciation.database.name,
                                  sha=self.speciation.database.sha256) + self.inputs[name]

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

    Returns
    -------
    Characterisation
    """
    from .. import __version__
    from .engine import iphreeqc_version

    # PHREEQC runs without the GIL, so the QA arithmetic is done while it works
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(speciate, analyses, database, charge_balance=charge_balance,
                              censored_policy=censored_policy)
        qa = qa_table(analyses.resolved(censored_policy))
        spec = pending.result()
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
        rec["sar_adjusted"] = adjusted_sar(analyses, database, censored_policy=censored_policy)
        inputs["adjusted_sar"] = calcium_equilibrium_input(analyses, database,
                                                           censored_policy=censored_policy)
    else:
        rec["sar_adjusted"] = float("nan")
    rec["rsc_meq_L"] = qa["rsc_meq_L"]
    rec["water_type"] = qa["water_type"]
    rec["qa_flag"] = qa["qa_flag"]
    for m in SI_MINERALS:
        rec[f"si_{m}"] = t[f"si_{m}"]
    rec["phreeqc_percent_error"] = t["phreeqc_percent_error"]
    rec["warnings"] = [list(q) + list(spec.warnings.get(sid, []))
                       for sid, q in zip(t.index, qa["qa_notes"])]
    rec = rec.reset_index(drop=True)[list(RECORD_COLUMNS)]
    prov = {
        "cbmwater": __version__,
        "iphreeqc": iphreeqc_version(),
        "database": spec.database.name,
        "database_sha256": spec.database.sha256,
        "analyses_sha256": analyses.fingerprint(),
        "source": analyses.source,
        "censored_policy": censored_policy,
        "charge_balance": charge_balance,
        "balance_warning_pct": BALANCE_WARN_PCT,
        "notes": spec.notes,
    }
    return Characterisation(rec, spec, prov, analyses, inputs)
