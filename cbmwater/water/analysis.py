"""Validated sets of water analyses.

An :class:`AnalysisSet` holds numbers in canonical units (mg/L; see
:mod:`cbmwater.water.vocabulary`), which cells were reported below a detection limit, the text
metadata, and where every sample came from (file and row), so later errors and reports can point
back to the lab report.

Censored values (policy)
------------------------
A cell such as ``<0.05`` (or the Chinese lab notation ``0.05L``) is kept as *censored*: the stored
number is the detection limit and :attr:`AnalysisSet.censored` is True.  Calculations use
:meth:`AnalysisSet.resolved`, which substitutes the value chosen by a :data:`CENSORED_POLICIES`
entry — by default half the detection limit (``"half"``), the common substitution for
screening-level work (US EPA, 2000, *Guidance for Data Quality Assessment*, EPA/600/R-96/084,
§4.7); ``"zero"`` and ``"limit"`` bound the result from below and above.  Every substitution is
reported as a warning with the results.  A blank cell means *not measured* and is never filled.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Message, Text, joined, named
from ..plausible import RANGES
from ..plausible import check as check_plausible
from .cells import parse_cell
from .vocabulary import ANALYTES, CONSTITUENTS

__all__ = [
    "AnalysisSet",
    "CENSORED_POLICIES",
    "VALID_RANGES",
    "RANGE_KEYS",
    "FE_SPLIT_REL_TOL",
    "FE_SPLIT_ABS_TOL_MG_L",
    "check_iron_split",
]

#: How a censored cell is turned into a number for calculations.
CENSORED_POLICIES: dict[str, float] = {"half": 0.5, "zero": 0.0, "limit": 1.0}

#: The entry of :data:`cbmwater.plausible.RANGES` that bounds each canonical constituent:
#: concentrations ``analyte_mg_L`` (0 to 400 000 mg/L, beyond saturated brine), ``pH`` 0-14,
#: ``temperature_C`` 0-150 deg C, ``ORP_mV`` -1000 to +1500 mV (Eh vs SHE).  Values outside are
#: rejected, never clipped.  Only a constituent whose lower bound is below zero may be negative
#: (ORP_mV).
RANGE_KEYS: dict[str, str] = {name: "analyte_mg_L" for name in ANALYTES} | {
    "pH": "pH",
    "temp_C": "temperature_C",
    "ORP_mV": "ORP_mV",
}

#: The hard range (inclusive) of each canonical constituent, read from the one table of ranges.
VALID_RANGES: dict[str, tuple[float, float]] = {
    name: (float(RANGES[key].lo or 0.0), float(RANGES[key].hi or 0.0))
    for name, key in RANGE_KEYS.items()
}


@dataclass
class AnalysisSet:
    """Water analyses in canonical units.

    Attributes
    ----------
    values : pandas.DataFrame
        Index ``sample_id``; one column per canonical constituent (all of
        :data:`~cbmwater.water.vocabulary.ANALYTES`), float, NaN = not measured.  Censored cells
        hold the detection limit.
    censored : pandas.DataFrame
        Same shape, bool: True where the lab reported "below detection limit".
    meta : pandas.DataFrame
        Same index; text columns (well, block, seam, sampled_on, notes) where present.
    source : str
        The file the analyses came from (or a description).
    rows : dict
        sample_id -> row number in the source file (1-based, as a spreadsheet shows it).
    """

    values: pd.DataFrame
    censored: pd.DataFrame
    meta: pd.DataFrame = field(default_factory=pd.DataFrame)
    source: str = "<memory>"
    rows: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = self.values.reindex(columns=list(ANALYTES)).astype(float)
        self.censored = (
            self.censored.reindex(index=self.values.index, columns=list(ANALYTES), fill_value=False)
            .fillna(False)
            .astype(bool)
        )
        if self.meta.empty:
            self.meta = pd.DataFrame(index=self.values.index)
        self.values.index.name = "sample_id"

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_records(
        cls, records: list[dict[str, object]], source: str = "<memory>"
    ) -> AnalysisSet:
        """Build a set from dicts of canonical names and mg/L numbers (``sample_id`` required).

        A value given as a string ``"<0.05"`` is taken as censored at 0.05.  Raises
        :class:`~cbmwater.errors.InputError` on unknown keys or values out of range.
        """

        vals, cens, ids = [], [], []
        for i, rec in enumerate(records, start=1):
            sid = rec.get("sample_id")
            if sid is None or str(sid).strip() == "":
                raise InputError(Text.of("water.error.record_no_id"), file=source, row=i)
            row_v: dict[str, float] = {}
            row_c: dict[str, bool] = {}
            for key, raw in rec.items():
                if key == "sample_id":
                    continue
                if key not in CONSTITUENTS:
                    raise InputError(
                        Text.of(
                            "water.error.unknown_constituent",
                            key=key,
                            allowed=joined(ANALYTES),
                        ),
                        file=source,
                        row=i,
                        column=key,
                    )
                if raw is None:
                    continue
                v, c = parse_cell(
                    raw, file=source, row=i, column=key, allow_negative=VALID_RANGES[key][0] < 0
                )
                if v is None:
                    continue
                check_range(key, v, file=source, row=i, column=key)
                row_v[key], row_c[key] = v, c
            vals.append(row_v)
            cens.append(row_c)
            ids.append(str(sid))
        if len(set(ids)) != len(ids):
            dup = sorted({s for s in ids if ids.count(s) > 1})
            raise InputError(Text.of("water.error.duplicate_ids", ids=joined(dup)), file=source)
        index = pd.Index(ids, name="sample_id")
        return check_iron_split(
            cls(
                pd.DataFrame(vals, index=index),
                pd.DataFrame(cens, index=index),
                source=source,
                rows={s: i for i, s in enumerate(ids, start=1)},
            )
        )

    # -- access -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.values)

    @property
    def sample_ids(self) -> list[str]:
        """Sample ids in file order."""
        return list(self.values.index)

    def resolved(self, policy: str = "half") -> pd.DataFrame:
        """Values for calculation with censored cells substituted per ``policy``.

        Parameters
        ----------
        policy : {"half", "zero", "limit"}
            Fraction of the detection limit used for censored cells (0.5, 0, 1).

        Returns
        -------
        pandas.DataFrame
            mg/L (canonical units); NaN where not measured.
        """
        if policy not in CENSORED_POLICIES:
            raise InputError(
                Text.of(
                    "water.error.unknown_censored_policy",
                    policy=policy,
                    allowed=joined(CENSORED_POLICIES),
                )
            )
        factor = CENSORED_POLICIES[policy]
        return self.values.where(~self.censored, self.values * factor)

    def censored_notes(self, policy: str = "half") -> dict[str, list[str]]:
        """Per sample, a sentence for every censored value substituted under ``policy``."""
        out: dict[str, list[str]] = {}
        factor = CENSORED_POLICIES[policy]
        rows, cols = np.nonzero(self.censored.to_numpy())
        vals = self.values.to_numpy()
        for i, j in zip(rows, cols):
            dl = vals[i, j]
            out.setdefault(str(self.values.index[i]), []).append(
                Text.of(
                    "water.censored_note",
                    name=named("param", str(self.values.columns[j])),
                    dl=dl,
                    used=factor * dl,
                    policy=Message(f"water.censored_policy.{policy}"),
                )
            )
        return out

    def subset(self, sample_ids: list[str]) -> AnalysisSet:
        """A new set with only the given samples, in the given order."""
        missing = [s for s in sample_ids if s not in self.values.index]
        if missing:
            raise InputError(
                Text.of(
                    "water.error.ids_not_found",
                    missing=joined(missing),
                    known=joined(self.sample_ids),
                ),
                file=self.source,
            )
        return AnalysisSet(
            self.values.loc[sample_ids],
            self.censored.loc[sample_ids],
            self.meta.loc[sample_ids] if not self.meta.empty else pd.DataFrame(index=sample_ids),
            self.source,
            {s: self.rows.get(s, 0) for s in sample_ids},
        )

    def to_frame(self, censored_as_text: bool = True) -> pd.DataFrame:
        """The canonical table: ``sample_id`` + metadata + constituents (mg/L).

        With ``censored_as_text`` a censored cell is written ``"<DL"``, so the table re-imports
        to the same set.
        """
        vals = self.values.dropna(axis=1, how="all")
        if censored_as_text:
            vals = vals.astype(object)
            for col in vals.columns:
                mask = self.censored[col]
                vals.loc[mask, col] = ["<" + format(v, "g") for v in self.values.loc[mask, col]]
        out = pd.concat([self.meta, vals], axis=1)
        out.index.name = "sample_id"
        return out.reset_index()

    def fingerprint(self) -> str:
        """SHA-256 of the canonical content (values, censoring), for reproducibility records."""
        h = hashlib.sha256()
        h.update("\x1f".join(map(str, self.values.index)).encode())
        h.update("\x1f".join(map(str, self.values.columns)).encode())
        # mantissas rounded to 40 bits (about 12 significant digits), so a value that went through
        # a file and back (last-bit noise) keeps its fingerprint; NaN (not measured) stays NaN
        mant, expo = np.frexp(self.values.to_numpy(dtype="<f8"))
        rounded = np.ldexp(np.round(mant * 2.0**40) / 2.0**40, expo)
        h.update(np.ascontiguousarray(rounded, dtype="<f8").tobytes())
        h.update(np.ascontiguousarray(self.censored.to_numpy(dtype=bool)).tobytes())
        return h.hexdigest()


#: Analytical tolerance of Fe2 + Fe3 against total Fe: relative part.  Ferrous iron
#: (1,10-phenanthroline, HJ/T 345) and total Fe (ICP-OES or AAS, GB/T 5750.6) are measured by
#: different methods, each good to about +/-5 % at mg/L levels, and Fe3 is often reported as
#: the difference of the two; 10 % covers the sum of both methods' errors.
FE_SPLIT_REL_TOL = 0.10
#: Absolute part, mg/L: the order of the reporting limit of both methods for Fe (0.03-0.05
#: mg/L), so that noise near the detection limit is not refused.
FE_SPLIT_ABS_TOL_MG_L = 0.05


def check_iron_split(analyses: AnalysisSet, columns: dict[str, str] | None = None) -> AnalysisSet:
    """Refuse a sample whose Fe2 + Fe3 exceeds its total Fe beyond the analytical tolerance.

    Fe(II) and Fe(III) are parts of total Fe, so ``Fe2 + Fe3 <= Fe x (1 + 10 %) + 0.05 mg/L``
    (:data:`FE_SPLIT_REL_TOL`, :data:`FE_SPLIT_ABS_TOL_MG_L`).  A censored Fe2/Fe3 counts as 0
    (its lower bound), a censored Fe as its detection limit (its upper bound), so only a sum
    that must exceed Fe is refused.  Samples without Fe, or without both parts, are not
    checked.  ``columns``: canonical name -> the file's header, for the message.

    Returns
    -------
    AnalysisSet
        ``analyses`` itself when every sample passes.

    Raises
    ------
    InputError
        Naming the file, the sample's row, the columns and the values.
    """
    v, c = analyses.values, analyses.censored
    fe = v["Fe"]
    fe2 = v["Fe2"].where(~c["Fe2"], 0.0)
    fe3 = v["Fe3"].where(~c["Fe3"], 0.0)
    parts = fe2.fillna(0.0) + fe3.fillna(0.0)
    bad = fe.notna() & (v["Fe2"].notna() | v["Fe3"].notna())
    bad &= parts > fe * (1 + FE_SPLIT_REL_TOL) + FE_SPLIT_ABS_TOL_MG_L
    if bad.any():
        sid = str(bad[bad].index[0])
        names = columns or {}
        cols = [names.get(k, k) for k in ("Fe2", "Fe3", "Fe") if not np.isnan(v.at[sid, k])]
        shown = joined(
            f"{k} {v.at[sid, k]:g}" for k in ("Fe2", "Fe3", "Fe") if not np.isnan(v.at[sid, k])
        )
        raise InputError(
            Text.of(
                "water.error.fe_split",
                sid=sid,
                parts=f"{parts[sid]:g}",
                total=f"{fe[sid]:g}",
                shown=shown,
                rel=f"{100 * FE_SPLIT_REL_TOL:g}",
                abs=f"{FE_SPLIT_ABS_TOL_MG_L:g}",
            ),
            file=analyses.source,
            row=analyses.rows.get(sid),
            column=" + ".join(cols),
        )
    return analyses


def check_range(
    name: str,
    value: float,
    *,
    file: str | None,
    row: int | None,
    column: str,
    cell: object | None = None,
) -> None:
    """Raise :class:`InputError` if ``value`` (canonical units) is outside its hard range in
    :data:`cbmwater.plausible.RANGES` (:data:`RANGE_KEYS`).

    The message names ``file``, ``row`` and ``column`` (the header as written), the cell as
    the user typed it (``cell``; default ``value``), the range, its unit and reason, and the
    canonical value.
    """
    unit = CONSTITUENTS[name].unit
    try:
        typed = float(str(cell))
    except ValueError:
        typed = math.nan
    converted = cell is not None and typed != value  # a unit or a "<" changed the number
    canon = f"{value:g}" + ("" if unit == "-" else f" {unit}")
    check_plausible(
        RANGE_KEYS[name],
        value,
        column,
        file=file,
        row=row,
        shown=value if cell is None else cell,
        note=Text.of("plausible.note.converted", name=name, canon=canon)
        if converted
        else Text.of("plausible.note.never_clipped"),
    )
