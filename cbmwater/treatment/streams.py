"""Water streams in a treatment train, as batches: many waters move through a train at once.

A :class:`StreamBatch` holds ``n`` streams: flow (m3/d), concentrations (mg/L, one column per
tracked constituent, NaN = not measured), temperature (deg C) and pH.  Zero-order units work on
whole arrays; PHREEQC-backed units send every water of the batch to PHREEQC in one run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..water.vocabulary import CONSTITUENTS

__all__ = ["TRACKED", "INDEX", "CONSERVATIVE", "NOT_DISSOLVED", "StreamBatch", "tds_g_L"]

#: Constituents carried through a train (dissolved analytes, then dissolved oxygen, TSS and
#: COD), mg/L.  DO is the oxic state of a stream: NaN (not measured) for a produced water,
#: which is anoxic; units open to air set it (aeration, degasser), oxygen removal clears it.
TRACKED: tuple[str, ...] = tuple(
    n
    for n, c in CONSTITUENTS.items()
    if c.kind in ("cation", "anion", "neutral") and n not in ("Fe2", "Fe3")
) + ("DO", "TSS", "COD")
#: Tracked names that are not dissolved solids (left out of TDS sums and PHREEQC solutions).
NOT_DISSOLVED: tuple[str, ...] = ("DO", "TSS", "COD")
INDEX: dict[str, int] = {n: i for i, n in enumerate(TRACKED)}
#: Constituents whose mass is conserved by every unit (in + added = out, to 0.1 %): carbonate,
#: COD and NH4/NO3 can change form, so they are left out of the check.
CONSERVATIVE: tuple[str, ...] = (
    "Na",
    "K",
    "Ca",
    "Mg",
    "Fe",
    "Mn",
    "Al",
    "Sr",
    "Ba",
    "Li",
    "Cl",
    "SO4",
    "F",
    "Br",
    "SiO2",
    "B",
    "TSS",
)
_DISSOLVED = np.array([n not in NOT_DISSOLVED for n in TRACKED])


@dataclass
class StreamBatch:
    """``n`` water streams.

    Attributes
    ----------
    flow_m3_d : ndarray, shape (n,)
    conc_mg_L : ndarray, shape (n, len(TRACKED))
        NaN = not measured (stays NaN through the train).
    temp_C : ndarray, shape (n,)
    pH : ndarray, shape (n,)
    """

    flow_m3_d: np.ndarray
    conc_mg_L: np.ndarray
    temp_C: np.ndarray
    pH: np.ndarray

    @classmethod
    def from_frame(
        cls, values: pd.DataFrame, flow_m3_d: float | np.ndarray, default_temp_C: float = 25.0
    ) -> StreamBatch:
        """Streams from canonical analyses (mg/L, columns as in the vocabulary).

        Total iron is ``Fe``; where only Fe2/Fe3 are given their sum is used.
        """
        n = len(values)
        conc = np.full((n, len(TRACKED)), np.nan)
        for name, j in INDEX.items():
            if name in values.columns:
                conc[:, j] = values[name].to_numpy(dtype=float)
        if "Fe" in values.columns and ("Fe2" in values.columns or "Fe3" in values.columns):
            split = values.reindex(columns=["Fe2", "Fe3"]).astype(float)
            total = split.sum(axis=1, min_count=1).to_numpy()
            fe = conc[:, INDEX["Fe"]]
            conc[:, INDEX["Fe"]] = np.where(np.isnan(fe), total, fe)
        temp = values["temp_C"].to_numpy(dtype=float) if "temp_C" in values else np.full(n, np.nan)
        temp = np.where(np.isnan(temp), default_temp_C, temp)
        ph = values["pH"].to_numpy(dtype=float) if "pH" in values else np.full(n, np.nan)
        flow = np.broadcast_to(np.asarray(flow_m3_d, dtype=float), (n,)).copy()
        return cls(flow, conc, temp, ph)

    def __len__(self) -> int:
        return len(self.flow_m3_d)

    def copy(self) -> StreamBatch:
        return StreamBatch(
            self.flow_m3_d.copy(), self.conc_mg_L.copy(), self.temp_C.copy(), self.pH.copy()
        )

    def mass_g_d(self) -> np.ndarray:
        """Mass flow of every constituent, g/d (mg/L x m3/d); NaN stays NaN."""
        return self.conc_mg_L * self.flow_m3_d[:, None]

    def take(self, i: int) -> StreamBatch:
        """Stream ``i`` alone, as a batch of one."""
        return StreamBatch(
            self.flow_m3_d[i : i + 1].copy(),
            self.conc_mg_L[i : i + 1].copy(),
            self.temp_C[i : i + 1].copy(),
            self.pH[i : i + 1].copy(),
        )

    def as_dicts(self) -> list[dict[str, float | None]]:
        """Per stream: canonical name -> mg/L (None where not measured)."""
        out = []
        for row in self.conc_mg_L:
            out.append({n: (None if np.isnan(v) else float(v)) for n, v in zip(TRACKED, row)})
        return out


def tds_g_L(conc_mg_L: np.ndarray) -> np.ndarray:
    """Sum of dissolved constituents, g/L (not measured counts as 0)."""
    return np.nansum(conc_mg_L[:, _DISSOLVED], axis=1) / 1000.0
