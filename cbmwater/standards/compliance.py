"""Compliance of water analyses with the limits of :mod:`cbmwater.standards.table`.

Rules
-----
* **Result** of one limit is one of :data:`RESULTS`:

  ``pass``          the value is within the limit (bounds inclusive);
  ``fail``          the value is outside it;
  ``not_measured``  the parameter is not in the analysis and cannot be computed from it — it is
                    **never** a pass;
  ``inconclusive``  the value is known only as an interval that straddles the limit: a
                    below-detection value whose detection limit is above the limit, or a derived
                    quantity whose censored inputs leave it on both sides.  Never a pass.

* **Censored values** (``<DL``): the true value lies in ``[0, DL]``.  A limit is passed only if
  the whole interval passes and failed only if the whole interval fails.  For derived quantities
  the interval is found by setting every censored input to 0 or to its DL in the direction that
  lowers or raises the result (SAR rises with Na and falls with Ca and Mg; hardness, alkalinity
  and TDS rise with every input).  The ``value`` column shows the number used for calculation
  under ``censored_policy`` (half the DL by default; see :mod:`cbmwater.water.analysis`).
* **Ratio**: for an upper limit ``value / max``; for a lower limit ``min / value``; for a range
  (pH) the larger of the two.  ``ratio > 1`` means outside the limit; it is computed from the
  ``value`` column and is empty when the value is not measured (infinite for a lower limit and a
  value of 0).
* **Derived parameters** when not given directly: ``SAR`` (Na, Ca and Mg all required;
  :func:`cbmwater.water.qa.sodium_adsorption_ratio`), ``hardness_CaCO3`` (Ca and Mg required;
  :func:`~cbmwater.water.qa.hardness_mg_L_CaCO3`), ``alkalinity_CaCO3`` (reported, else from HCO3
  and CO3; :func:`~cbmwater.water.qa.alkalinity_mg_L_CaCO3`),
  ``Ca_hardness_plus_alkalinity_CaCO3`` (``50.04 Ca/20.04`` + alkalinity) and ``TDS`` (the
  reported TDS, else the evaporative sum of ions, :func:`~cbmwater.water.qa.tds_evaporative_mg_L`,
  only when Na, Ca, Mg, Cl, SO4 and HCO3 or CO3 are all measured).  The ``basis`` column says
  which.  **EC is never estimated from TDS**: without a measured ``EC_uS_cm`` it is
  ``not_measured``.
* **Units**: values are given in the unit of their parameter
  (:data:`cbmwater.standards.table.PARAMETERS`: mg/L, mg/L CaCO3, µS/cm for EC ...); each row
  reports the value converted to the unit of the limit.
* Every row carries the limit's ``status`` and ``verified`` flag: S, U and M limits are marked
  unverified in every output row.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Message, Text, joined, named
from ..water import qa
from ..water.analysis import CENSORED_POLICIES, AnalysisSet, check_range
from ..water.vocabulary import CACO3_G_EQ, CONSTITUENTS
from .table import PARAMETERS, Limit, StandardsError, StandardsTable, load_standards, unit_factor

__all__ = [
    "RESULTS",
    "OUTPUT_COLUMNS",
    "check_compliance",
    "check_analyses",
    "summarise",
    "fao29_infiltration",
]

#: Possible results of one limit.
RESULTS: tuple[str, ...] = ("pass", "fail", "not_measured", "inconclusive")
#: Columns of :func:`check_compliance` (``check_analyses`` adds ``sample_id`` in front).
OUTPUT_COLUMNS: tuple[str, ...] = (
    "standard_id",
    "class",
    "parameter",
    "value",
    "unit",
    "min",
    "max",
    "ratio",
    "result",
    "verified",
    "status",
    "clause",
    "basis",
    "censored",
    "detection_limit",
    "comment",
    "limit_note",
)
#: Relative tolerance of limit comparisons (floating-point noise of derived values).
_RTOL = 1e-9
#: Ions needed before TDS is computed from an analysis without a reported TDS.
TDS_REQUIRED_IONS: tuple[str, ...] = ("Na", "Ca", "Mg", "Cl", "SO4")


@dataclass
class _Quantity:
    value: float  # NaN = not measured; in the parameter's value unit
    lo: float
    hi: float
    basis: str = ""  # a Text (code ``compliance.basis.*``) or ""
    censored: bool = False
    detection_limit: float | None = None
    comment: str = ""  # a Text (code ``compliance.comment.*``) or ""


def _unknown_policy(policy: str) -> InputError:
    """The error of a censored-value policy that is not one of ``CENSORED_POLICIES``."""
    return InputError(
        Text.of(
            "compliance.unknown_censored_policy",
            policy=repr(policy),
            allowed=", ".join(CENSORED_POLICIES),
        )
    )


class _Sample:
    """One water: raw values (DL for censored cells) and which are censored."""

    def __init__(self, values: dict[str, float], censored: set[str], policy: str) -> None:
        if policy not in CENSORED_POLICIES:
            raise _unknown_policy(policy)
        self.raw = values
        self.censored = {k for k in censored if not math.isnan(values.get(k, math.nan))}
        self.factor = CENSORED_POLICIES[policy]
        self.policy = policy

    def has(self, name: str) -> bool:
        return not math.isnan(self.raw.get(name, math.nan))

    def used(self) -> dict[str, float]:
        """Values for calculation: censored cells substituted per the policy."""
        return {k: (v * self.factor if k in self.censored else v) for k, v in self.raw.items()}

    def corners(self, signs: Mapping[str, int]) -> tuple[dict[str, float], dict[str, float]]:
        """Input sets giving the lowest and highest result of a function monotone in ``signs``.

        Censored inputs with sign +1 are 0 in the low set and DL in the high set; sign -1 the
        reverse.  Inputs not in ``signs`` keep their substituted value.
        """
        lo, hi = self.used(), self.used()
        for k in self.censored:
            s = signs.get(k, 0)
            if s > 0:
                lo[k], hi[k] = 0.0, self.raw[k]
            elif s < 0:
                lo[k], hi[k] = self.raw[k], 0.0
        return lo, hi

    def censored_text(self, names: Iterable[str]) -> Message | str:
        """The censored inputs among ``names`` as "Na (<0.5), Mg (<200)" ("" when none)."""
        cens = [n for n in names if n in self.censored]
        return joined(
            Message("compliance.censored_input", {"name": _param(n), "dl": self.raw[n]})
            for n in cens
        )


def _param(name: str) -> Message | str:
    """A parameter's name (``param.<name>``; English: the key as the engine writes it)."""
    return named("param", name)


def _bound(x: float) -> Message:
    """A bound of a value interval, 4 significant digits ("inf" / "∞" when unbounded)."""
    if math.isinf(x):
        return Message("compliance.bound_inf" if x > 0 else "compliance.bound_minus_inf")
    return Message("compliance.bound", {"x": x})


def _unit(unit: str) -> Message | str:
    """The unit of a limit in a comment (``-``: dimensionless; ``cells/mL``: its symbol)."""
    return Message("compliance.unit.dimensionless") if unit == "-" else named("symbol", unit)


def _missing(names: Iterable[str | Message]) -> Message | str:
    """Names of inputs not measured, as a list message ("Na, Mg" / "钠、镁")."""
    return joined(_param(n) if isinstance(n, str) else n for n in names)


def _one(func: Callable[[pd.DataFrame], pd.Series], d: dict[str, float]) -> float:
    return float(func(pd.DataFrame([d])).iloc[0])


def _derived(
    sample: _Sample, func: Callable[[pd.DataFrame], pd.Series], signs: Mapping[str, int], basis: str
) -> _Quantity:
    """Value and bounds of a derived quantity, with a note on censored inputs."""
    value = _one(func, sample.used())
    lo_d, hi_d = sample.corners(signs)
    lo, hi = _one(func, lo_d), _one(func, hi_d)
    lo = 0.0 if math.isnan(lo) else lo
    hi = math.inf if math.isnan(hi) else hi
    cens = sample.censored_text(signs)
    comment: str = ""
    if cens:
        comment = Text.of(
            "compliance.comment.censored_inputs",
            inputs=cens,
            policy=Message(f"water.censored_policy.{sample.policy}"),
            lo=_bound(lo),
            hi=_bound(hi),
        )
    return _Quantity(value, lo, hi, basis, bool(cens), None, comment)


def _sar(sample: _Sample) -> _Quantity:
    missing = [n for n in ("Na", "Ca", "Mg") if not sample.has(n)]
    if missing:
        return _Quantity(
            math.nan,
            math.nan,
            math.nan,
            "",
            comment=Text.of("compliance.comment.sar_missing", missing=_missing(missing)),
        )
    basis = Text.of("compliance.basis.sar")
    used = sample.used()
    if (
        used["Ca"] == 0
        and used["Mg"] == 0
        and "Ca" not in sample.censored
        and "Mg" not in sample.censored
    ):
        inf = math.inf if used["Na"] > 0 else math.nan
        return _Quantity(inf, inf, inf, basis, comment=Text.of("compliance.comment.sar_unbounded"))
    return _derived(sample, qa.sodium_adsorption_ratio, {"Na": 1, "Ca": -1, "Mg": -1}, basis)


def _hardness(sample: _Sample) -> _Quantity:
    missing = [n for n in ("Ca", "Mg") if not sample.has(n)]
    if missing:
        return _Quantity(
            math.nan,
            math.nan,
            math.nan,
            "",
            comment=Text.of("compliance.comment.hardness_missing", missing=_missing(missing)),
        )
    return _derived(
        sample,
        qa.hardness_mg_L_CaCO3,
        {"Ca": 1, "Mg": 1},
        Text.of("compliance.basis.hardness"),
    )


def _alkalinity(sample: _Sample) -> _Quantity:
    if sample.has("alkalinity_CaCO3"):
        return _direct(sample, "alkalinity_CaCO3")
    if not (sample.has("HCO3") or sample.has("CO3")):
        return _Quantity(
            math.nan,
            math.nan,
            math.nan,
            "",
            comment=Text.of("compliance.comment.alkalinity_missing"),
        )
    return _derived(
        sample,
        qa.alkalinity_mg_L_CaCO3,
        {"HCO3": 1, "CO3": 1},
        Text.of("compliance.basis.alkalinity"),
    )


def _ca_hardness_plus_alk(sample: _Sample) -> _Quantity:
    alk = _alkalinity(sample)
    if not sample.has("Ca") or math.isnan(alk.value):
        miss = [
            n
            for n, ok in (
                ("Ca", sample.has("Ca")),
                (Message("compliance.name.alkalinity"), not math.isnan(alk.value)),
            )
            if not ok
        ]
        return _Quantity(
            math.nan,
            math.nan,
            math.nan,
            "",
            comment=Text.of("compliance.comment.ca_alkalinity_missing", missing=_missing(miss)),
        )
    ca_eq = CONSTITUENTS["Ca"].equivalent_mass

    def func(df: pd.DataFrame) -> pd.Series:
        return CACO3_G_EQ * df["Ca"].astype(float) / ca_eq + qa.alkalinity_mg_L_CaCO3(df)

    signs = {"Ca": 1, "HCO3": 1, "CO3": 1, "alkalinity_CaCO3": 1}
    return _derived(
        sample,
        func,
        signs,
        Text.of("compliance.basis.ca_hardness_plus_alkalinity"),
    )


def _tds(sample: _Sample) -> _Quantity:
    if sample.has("TDS"):
        q = _direct(sample, "TDS")
        q.basis = Text.of("compliance.basis.reported_tds")
        return q
    missing: list[str | Message] = [n for n in TDS_REQUIRED_IONS if not sample.has(n)]
    if not (sample.has("HCO3") or sample.has("CO3")):
        missing.append(Message("compliance.name.hco3_or_co3"))
    if missing:
        return _Quantity(
            math.nan,
            math.nan,
            math.nan,
            "",
            comment=Text.of("compliance.comment.tds_missing", missing=_missing(missing)),
        )
    signs = {k: 1 for k in sample.raw}
    return _derived(
        sample,
        qa.tds_evaporative_mg_L,
        signs,
        Text.of("compliance.basis.tds_evaporative"),
    )


#: ``basis`` of a value taken as the analysis gives it (compared as the string "reported")
_REPORTED = "compliance.basis.reported"


def _direct(sample: _Sample, name: str) -> _Quantity:
    v = sample.raw[name]
    if name in sample.censored:
        return _Quantity(
            v * sample.factor,
            0.0,
            v,
            Text.of(_REPORTED),
            True,
            v,
            Text.of("compliance.comment.reported_censored", dl=v),
        )
    return _Quantity(v, v, v, Text.of(_REPORTED))


_DERIVERS: dict[str, Callable[[_Sample], _Quantity]] = {
    "SAR": _sar,
    "hardness_CaCO3": _hardness,
    "alkalinity_CaCO3": _alkalinity,
    "Ca_hardness_plus_alkalinity_CaCO3": _ca_hardness_plus_alk,
    "TDS": _tds,
}


def _quantity(sample: _Sample, name: str) -> _Quantity:
    if name in _DERIVERS:
        return _DERIVERS[name](sample)
    if sample.has(name):
        return _direct(sample, name)
    kind = PARAMETERS[name].kind
    if name == "EC_uS_cm":
        why = Text.of("compliance.comment.ec_not_measured")
    elif kind == "external":
        why = Text.of("compliance.comment.external", name=_param(name))
    else:
        why = Text.of("compliance.comment.not_in_analysis", name=_param(name))
    return _Quantity(math.nan, math.nan, math.nan, "", comment=why)


def _le(a: float, b: float) -> bool:
    return a <= b or math.isclose(a, b, rel_tol=_RTOL)


def _ge(a: float, b: float) -> bool:
    return a >= b or math.isclose(a, b, rel_tol=_RTOL)


def _ratio(v: float, lim: Limit) -> float:
    parts = []
    if lim.max is not None:
        parts.append(v / lim.max if lim.max > 0 else (math.inf if v > 0 else 0.0))
    if lim.min is not None:
        parts.append(lim.min / v if v > 0 else (math.inf if lim.min > 0 else 0.0))
    return max(parts)


def _evaluate(sample: _Sample, lim: Limit) -> dict[str, object]:
    q = _quantity(sample, lim.parameter)
    f = unit_factor(PARAMETERS[lim.parameter].unit, lim.unit)
    v, lo, hi = q.value * f, q.lo * f, q.hi * f
    comment = q.comment
    if math.isnan(v):
        result, ratio = "not_measured", math.nan
    else:
        ok = (lim.min is None or _ge(lo, lim.min)) and (lim.max is None or _le(hi, lim.max))
        bad = (lim.min is not None and not _ge(hi, lim.min)) or (
            lim.max is not None and not _le(lo, lim.max)
        )
        result = "pass" if ok else "fail" if bad else "inconclusive"
        ratio = _ratio(v, lim)
        if result == "inconclusive":
            unit = _unit(lim.unit)
            why = (
                Text.of("compliance.comment.dl_above_limit", dl=hi, unit=unit)
                if q.basis == "reported"
                else Text.of(
                    "compliance.comment.bounds_straddle", lo=_bound(lo), hi=_bound(hi), unit=unit
                )
            )
            both = joined([comment, why], "semicolon")
            comment = Text(both) if comment and isinstance(both, Message) else why
    return {
        "standard_id": lim.standard_id,
        "class": lim.cls,
        "parameter": lim.parameter,
        "value": v,
        "unit": lim.unit,
        "min": lim.min,
        "max": lim.max,
        "ratio": ratio,
        "result": result,
        "verified": lim.verified,
        "status": lim.status,
        "clause": lim.clause,
        "basis": q.basis,
        "censored": q.censored,
        "detection_limit": None if q.detection_limit is None else q.detection_limit * f,
        "comment": comment,
        "limit_note": lim.note,
    }


def _frame(rows: list[dict[str, object]], columns: Iterable[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    # object columns keep the Text (English + message) of every cell; a pandas 3 string
    # column would turn them into plain str (docs/i18n.md)
    for c in ("basis", "comment"):
        df[c] = pd.Series([r[c] for r in rows], index=df.index, dtype=object)
    for c in ("value", "min", "max", "ratio", "detection_limit"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    df["verified"] = df["verified"].astype(bool)
    df["censored"] = df["censored"].astype(bool)
    return df


def _parse_values(values: Mapping[str, object] | pd.Series) -> tuple[dict[str, float], set[str]]:
    from ..water.cells import parse_cell

    items = values.items()
    raw: dict[str, float] = {}
    cens: set[str] = set()
    for key, cell in items:
        key = str(key)
        if key not in PARAMETERS:
            near = difflib.get_close_matches(key, list(PARAMETERS), n=3, cutoff=0.6)
            hint = Message("error.did_you_mean", {"names": joined(near)}) if near else ""
            raise InputError(
                Text.of(
                    "compliance.unknown_parameter",
                    name=repr(key),
                    hint=hint,
                    constituents=", ".join(CONSTITUENTS),
                ),
                column=key,
            )
        if cell is None or (isinstance(cell, float) and math.isnan(cell)):
            continue
        if isinstance(cell, (np.floating, np.integer)):
            cell = cell.item()
        v, c = parse_cell(cell, column=key)
        if v is None:
            continue
        if key in CONSTITUENTS:
            check_range(key, v, file=None, row=None, column=key)
        elif not (math.isfinite(v) and v >= 0):
            raise InputError(Text.of("compliance.not_non_negative"), column=key, value=cell)
        raw[key] = float(v)
        if c:
            cens.add(key)
    return raw, cens


def check_compliance(
    values: Mapping[str, object] | pd.Series,
    standard_id: str,
    cls: str,
    table: StandardsTable | None = None,
    *,
    censored_policy: str = "half",
) -> pd.DataFrame:
    """Check one water against one class of one standard.

    Parameters
    ----------
    values : dict or pandas.Series
        Parameter name -> value in the parameter's unit (canonical constituents in mg/L, pH
        dimensionless, alkalinity in mg/L CaCO3, ``EC_uS_cm`` in µS/cm; see
        :data:`cbmwater.standards.table.PARAMETERS`).  None/NaN/blank = not measured.  A text
        value ``"<0.05"`` (or ``"0.05L"``) is below detection.  Unknown names are refused.
    standard_id, cls : str
        Standard and class, e.g. ``"GB3838-2002"``, ``"III"`` (see
        :meth:`~cbmwater.standards.table.StandardsTable.resolve` for the matching rules).
    table : StandardsTable, optional
        Default: the shipped table (:func:`~cbmwater.standards.table.load_standards`).
    censored_policy : {"half", "zero", "limit"}
        Number shown and used for calculations for a below-detection value; the pass/fail
        decision always uses the whole interval 0-DL.

    Returns
    -------
    pandas.DataFrame
        One row per limit of the class, in table order, with :data:`OUTPUT_COLUMNS`: value in
        the limit's unit, ``ratio`` (see the module docstring), ``result`` in :data:`RESULTS`,
        ``verified`` and ``status`` of the limit, ``basis`` (reported / how derived),
        ``comment`` (why not measured or inconclusive, censored inputs) and ``limit_note``.

    Raises
    ------
    InputError
        Unknown standard or class (naming the allowed ones and the nearest), unknown parameter
        names, bad numbers.
    """
    table = table if table is not None else load_standards()
    limits = table.limits(standard_id, cls)
    raw, cens = _parse_values(values)
    sample = _Sample(raw, cens, censored_policy)
    out = _frame([_evaluate(sample, lim) for lim in limits], OUTPUT_COLUMNS)
    out.attrs.update(
        standard_id=limits[0].standard_id,
        cls=limits[0].cls,
        standard_name=limits[0].standard_name,
        table=table.path,
        table_sha256=table.sha256,
        censored_policy=censored_policy,
    )
    return out


def check_analyses(
    analyses: AnalysisSet,
    standard_id: str,
    cls: str,
    censored_policy: str = "half",
    table: StandardsTable | None = None,
) -> pd.DataFrame:
    """Check every sample of an analysis set; long table (``sample_id`` + :data:`OUTPUT_COLUMNS`).

    Censored cells of the set are handled as in :func:`check_compliance`: a below-detection value
    whose detection limit is above the limit is ``inconclusive``, never a pass.
    """
    table = table if table is not None else load_standards()
    limits = table.limits(standard_id, cls)
    if censored_policy not in CENSORED_POLICIES:
        raise _unknown_policy(censored_policy)
    vals = analyses.values
    cens = analyses.censored
    rows: list[dict[str, object]] = []
    for sid in vals.index:
        raw = {k: float(v) for k, v in vals.loc[sid].items() if not pd.isna(v)}
        c = {k for k, flag in cens.loc[sid].items() if flag}
        sample = _Sample(raw, c, censored_policy)
        for lim in limits:
            rows.append({"sample_id": str(sid), **_evaluate(sample, lim)})
    out = _frame(rows, ("sample_id",) + OUTPUT_COLUMNS)
    out.attrs.update(
        standard_id=limits[0].standard_id,
        cls=limits[0].cls,
        standard_name=limits[0].standard_name,
        table=table.path,
        table_sha256=table.sha256,
        censored_policy=censored_policy,
    )
    return out


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Per sample: counts of each result, unverified limits, and a verdict.

    ``verdict`` is ``"fail"`` if any limit fails, else ``"incomplete"`` if any is not measured
    or inconclusive, else ``"pass"``.  ``n_unverified`` counts limits whose status is not V.
    """
    df = results if "sample_id" in results.columns else results.assign(sample_id="")
    rows = []
    for sid, g in df.groupby("sample_id", sort=False):
        counts = {f"n_{r}": int((g["result"] == r).sum()) for r in RESULTS}
        if counts["n_fail"]:
            verdict = "fail"
        elif counts["n_not_measured"] or counts["n_inconclusive"]:
            verdict = "incomplete"
        else:
            verdict = "pass"
        rows.append(
            {
                "sample_id": sid,
                "verdict": verdict,
                **counts,
                "n_unverified": int((~g["verified"]).sum()),
                "failed": ", ".join(g.loc[g["result"] == "fail", "parameter"]),
            }
        )
    return pd.DataFrame(rows)


def fao29_infiltration(
    sar: float | None, ec_uS_cm: float | None, table: StandardsTable | None = None
) -> str:
    """Degree of infiltration restriction from SAR and ECw (Ayers & Westcot 1985, Table 1).

    Uses the ``FAO29`` rows of the table (band ``a <= SAR < b``; SAR 40 itself is in the last
    band).  As in FAO-29: none when ECw is above the band's no-reduction value, severe when
    below its severe value, slight to moderate between (inclusive).

    Returns
    -------
    str
        ``"none"``, ``"slight_to_moderate"``, ``"severe"``, ``"outside_table"`` (SAR above the
        last band) or ``"not_measured"`` (SAR or EC missing).
    """
    if sar is None or ec_uS_cm is None or math.isnan(sar) or math.isnan(ec_uS_cm):
        return "not_measured"
    table = table if table is not None else load_standards()
    bands: list[tuple[float, float, Limit, float, Limit, float]] = []
    for c in table.classes("FAO29"):
        if c.endswith("_no_reduction"):
            band = table.limit("FAO29", c, "SAR")
            none_ec = table.limit("FAO29", c, "EC_uS_cm")
            severe = table.limit("FAO29", c.replace("_no_reduction", "_not_severe"), "EC_uS_cm")
            if band.min is None or band.max is None:
                raise StandardsError(
                    Text.of("standards.error.fao29_band"), file=table.path, row=band.row
                )
            if none_ec.min is None or severe.min is None:
                raise StandardsError(
                    Text.of("standards.error.fao29_ec"),
                    file=table.path,
                    row=(none_ec if none_ec.min is None else severe).row,
                )
            bands.append((band.min, band.max, none_ec, none_ec.min, severe, severe.min))
    bands.sort(key=lambda b: b[0])
    for i, (a, b, none_ec, none_min, severe, severe_min) in enumerate(bands):
        last = i == len(bands) - 1
        if a <= sar < b or (last and sar == b):
            ec = ec_uS_cm * unit_factor("µS/cm", none_ec.unit)
            if ec > none_min:
                return "none"
            if ec_uS_cm * unit_factor("µS/cm", severe.unit) >= severe_min:
                return "slight_to_moderate"
            return "severe"
    return "outside_table"
