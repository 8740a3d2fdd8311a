"""Acidity of mine water: calculated acidity, net acidity / net alkalinity and acid load.

Calculated acidity (Kirby & Cravotta, 2005)
-------------------------------------------
The acidity of a mine water is the base needed to bring it to a neutral pH *after* its ferrous
iron has been oxidised and Fe, Al and Mn have precipitated as hydroxides.  Kirby & Cravotta
(2005, "Net alkalinity and net acidity 1: Theoretical considerations", *Applied Geochemistry*
20:1920-1940, doi:10.1016/j.apgeochem.2005.07.002) compute it from the analysis::

    acidity_calc = 50 [2 Fe(II)/55.845 + 3 Fe(III)/55.845 + 3 Al/26.98 + 2 Mn/54.938
                       + 1000 x 10^-pH]                              (mg/L as CaCO3)

with the metals in mg/L: each mole of Fe(II) releases 2 mol H+ when it is oxidised and
precipitated as Fe(OH)3, Fe(III) and Al release 3, Mn(II) 2 (as Mn(OH)2 or MnCO3), and
``1000 x 10^-pH`` is the free H+ in mmol/L; 50 (g CaCO3 per equivalent, as published) turns
meq/L into mg/L as CaCO3.  The AMDTreat tutorial discharges give 155.7 and 81.0 mg/L
(see the project's AMDTreat reference notes, amd.md).

Net acidity and net alkalinity
------------------------------
``net acidity = calculated acidity - alkalinity`` and ``net alkalinity = - net acidity``
(Kirby & Cravotta 2005, their recommended form; *not* measured alkalinity minus measured hot
acidity, which counts the alkalinity twice).  Positive net acidity = net-acidic water that needs
alkalinity added; negative = net-alkaline water (aeration and settling suffice for Fe).

Alkalinity is taken from ``alkalinity_CaCO3`` when measured, else from HCO3 + CO3 converted to
CaCO3 (50.04 g/eq; Hem 1985).  When neither is measured:

* at pH < 4.5 the alkalinity is 0 **by definition** (it is titrated to the pH 4.5 end point:
  water below it has none) — used, with a note;
* at pH >= 4.5 it is an **error** by default (``missing_alkalinity="error"``): a circumneutral
  water's alkalinity can be hundreds of mg/L and guessing it would decide net-acidic vs
  net-alkaline.  ``missing_alkalinity="zero"`` takes 0 instead, with a warning naming the
  samples (the net acidity is then an upper bound).

Fe(II) / Fe(III)
----------------
``Fe2`` / ``Fe3`` are used when measured (one of them with total ``Fe`` gives the other as the
difference).  When only total ``Fe`` is measured, ``fe_policy`` decides:

* ``"ferrous"`` (default): all Fe as Fe(II) — the usual state of iron in a fresh, anoxic adit
  discharge and the conservative choice for treatment (Fe(II) must still be oxidised, which the
  2 H+ per Fe in the formula already count);
* ``"ferric"``: all Fe as Fe(III) (aerated or long-exposed water; gives the higher acidity,
  3 instead of 2 eq/mol).

Every sample where the policy was applied is named in a note and in a warning.  Other metals
the formula allows (Zn, Cu, Ni...) are not in the cbmwater vocabulary and so are not counted.
Al or Mn not measured counts 0 with a note (the acidity is then a lower bound).

Acid load
---------
``acid_load_kg_d = net_acidity (mg/L as CaCO3) x flow (m3/d) / 1000`` in kg CaCO3 per day —
negative for a net-alkaline water (its spare alkalinity).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast, overload

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Message, Text, joined, message_dicts, message_of, named
from ..resources import resource_label
from ..water.analysis import AnalysisSet
from ..water.vocabulary import CACO3_G_EQ, CONSTITUENTS

__all__ = [
    "FE_POLICIES",
    "MISSING_ALKALINITY_POLICIES",
    "ALKALINITY_ENDPOINT_PH",
    "calculated_acidity",
    "iron_split",
    "alkalinity_mg_L_CaCO3",
    "acid_load_kg_d",
    "acidity_table",
    "AcidityReport",
    "acidity_report",
]

#: How total Fe is split when Fe(II)/Fe(III) were not measured.
FE_POLICIES: tuple[str, ...] = ("ferrous", "ferric")
#: What to do when no alkalinity (alkalinity_CaCO3, HCO3, CO3) is measured at pH >= 4.5.
MISSING_ALKALINITY_POLICIES: tuple[str, ...] = ("error", "zero")
#: End point of the total-alkalinity titration: water below this pH has no alkalinity.
ALKALINITY_ENDPOINT_PH = 4.5

# Constants exactly as in Kirby & Cravotta (2005) / the issue brief (g/mol, g/eq).
_KC_CACO3_G_EQ = 50.0
_FE = 55.845
_AL = 26.98
_MN = 54.938


@overload
def calculated_acidity(
    pH: float,
    fe2_mg_L: float = ...,
    fe3_mg_L: float = ...,
    al_mg_L: float = ...,
    mn_mg_L: float = ...,
) -> float: ...
@overload
def calculated_acidity(
    pH: float | np.ndarray,
    fe2_mg_L: float | np.ndarray = ...,
    fe3_mg_L: float | np.ndarray = ...,
    al_mg_L: float | np.ndarray = ...,
    mn_mg_L: float | np.ndarray = ...,
) -> float | np.ndarray: ...
def calculated_acidity(
    pH: float | np.ndarray,
    fe2_mg_L: float | np.ndarray = 0.0,
    fe3_mg_L: float | np.ndarray = 0.0,
    al_mg_L: float | np.ndarray = 0.0,
    mn_mg_L: float | np.ndarray = 0.0,
) -> float | np.ndarray:
    """Calculated acidity of Kirby & Cravotta (2005), mg/L as CaCO3.

    ``50 [2 Fe(II)/55.845 + 3 Fe(III)/55.845 + 3 Al/26.98 + 2 Mn/54.938 + 1000 x 10^-pH]``.

    Parameters
    ----------
    pH : float or array
        Field (or laboratory) pH.
    fe2_mg_L, fe3_mg_L, al_mg_L, mn_mg_L : float or array
        Dissolved Fe(II), Fe(III), Al and Mn, mg/L.  NaN is refused (decide first what a
        missing value means; :func:`acidity_table` does this with notes).

    Returns
    -------
    float or ndarray
        mg/L as CaCO3.

    References
    ----------
    Kirby, C.S. & Cravotta, C.A. III (2005). Net alkalinity and net acidity 1: Theoretical
    considerations. *Applied Geochemistry* 20:1920-1940.
    """
    arrays = [np.asarray(x, dtype=float) for x in (pH, fe2_mg_L, fe3_mg_L, al_mg_L, mn_mg_L)]
    if any(np.isnan(a).any() for a in arrays):
        raise InputError(Text.of("minewater.error.acidity_nan"))
    ph, fe2, fe3, al, mn = arrays
    meq = 2 * fe2 / _FE + 3 * fe3 / _FE + 3 * al / _AL + 2 * mn / _MN + 1000.0 * 10.0 ** (-ph)
    out = _KC_CACO3_G_EQ * meq
    return float(out) if out.ndim == 0 else out


def _num(row: Mapping[str, object], name: str) -> float | None:
    v = row.get(name)
    if v is None:
        return None
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _check_fe_policy(fe_policy: str) -> None:
    """Refuse an Fe(II)/Fe(III) policy that is not one of :data:`FE_POLICIES`."""
    if fe_policy not in FE_POLICIES:
        raise InputError(
            Text.of(
                "minewater.error.unknown_fe_policy",
                name=repr(fe_policy),
                allowed=joined(FE_POLICIES),
            )
        )


def iron_split(
    row: Mapping[str, object], fe_policy: str = "ferrous"
) -> tuple[float, float, list[str], bool]:
    """Fe(II) and Fe(III) (mg/L) of one analysis, with the notes on how they were obtained.

    Parameters
    ----------
    row : mapping
        Canonical names -> mg/L (``Fe``, ``Fe2``, ``Fe3``; NaN or absent = not measured).
    fe_policy : {"ferrous", "ferric"}
        Used only when total Fe is the only iron measured (see the module docstring).

    Returns
    -------
    fe2, fe3, notes, policy_applied : float, float, list of str, bool
    """
    _check_fe_policy(fe_policy)
    fe, fe2, fe3 = _num(row, "Fe"), _num(row, "Fe2"), _num(row, "Fe3")
    notes: list[str] = []
    if fe2 is not None and fe3 is not None:
        if fe is not None and fe > 0 and abs(fe2 + fe3 - fe) > 0.1 * fe:
            notes.append(Text.of("minewater.acidity.fe_sum_differs", sum=fe2 + fe3, fe=fe))
        return fe2, fe3, notes, False
    if fe2 is not None or fe3 is not None:
        given, name = (fe2, "Fe(II)") if fe2 is not None else (fe3, "Fe(III)")
        assert given is not None  # one of fe2, fe3 is measured in this branch
        other = "Fe(III)" if fe2 is not None else "Fe(II)"
        if fe is None:
            notes.append(Text.of("minewater.acidity.fe_other_no_total", other=other))
            rest = 0.0
        elif fe - given < 0:
            notes.append(
                Text.of(
                    "minewater.acidity.fe_exceeds_total", name=name, given=given, fe=fe, other=other
                )
            )
            rest = 0.0
        else:
            rest = fe - given
            notes.append(
                Text.of("minewater.acidity.fe_by_difference", other=other, name=name, rest=rest)
            )
        return (given, rest, notes, False) if fe2 is not None else (rest, given, notes, False)
    if fe is None:
        notes.append(Text.of("minewater.acidity.not_measured", name=named("param", "Fe")))
        return 0.0, 0.0, notes, False
    if fe_policy == "ferrous":
        notes.append(
            Text.of(
                "minewater.acidity.total_fe_only",
                fe=fe,
                label="Fe(II)",
                policy=_fe_policy("ferrous"),
            )
        )
        return fe, 0.0, notes, True
    notes.append(
        Text.of(
            "minewater.acidity.total_fe_only", fe=fe, label="Fe(III)", policy=_fe_policy("ferric")
        )
    )
    return 0.0, fe, notes, True


def alkalinity_mg_L_CaCO3(row: Mapping[str, object]) -> tuple[float | None, str]:
    """Alkalinity (mg/L as CaCO3) of one analysis and where it came from.

    ``alkalinity_CaCO3`` when measured, else ``50.04 (HCO3/61.017 + 2 CO3/60.009)``; None when
    neither is measured.  The second value is ``"alkalinity_CaCO3"``, ``"HCO3+CO3"`` or ``""``.
    """
    alk = _num(row, "alkalinity_CaCO3")
    if alk is not None:
        return alk, "alkalinity_CaCO3"
    hco3, co3 = _num(row, "HCO3"), _num(row, "CO3")
    if hco3 is None and co3 is None:
        return None, ""
    # HCO3 and CO3 are charged ions with a molar mass: their equivalent mass is never None
    meq = (hco3 or 0.0) / cast(float, CONSTITUENTS["HCO3"].equivalent_mass) + (co3 or 0.0) / cast(
        float, CONSTITUENTS["CO3"].equivalent_mass
    )
    return CACO3_G_EQ * meq, "HCO3+CO3"


def _frame(values: pd.DataFrame) -> pd.DataFrame:
    df = values
    if "sample_id" in df.columns:
        df = df.set_index("sample_id")
    df = df.copy()
    df.index = pd.Index([str(s) for s in df.index], name="sample_id")
    if df.index.has_duplicates:
        dup = sorted(set(df.index[df.index.duplicated()]))
        raise InputError(Text.of("minewater.error.duplicate_samples", ids=joined(dup)))
    return df


def acidity_table(
    values: pd.DataFrame,
    *,
    flows_m3_d: Mapping[str, float] | pd.Series | None = None,
    fe_policy: str = "ferrous",
    missing_alkalinity: str = "error",
    source: str | None = None,
) -> pd.DataFrame:
    """Calculated acidity, alkalinity, net acidity / alkalinity and acid load per sample.

    Parameters
    ----------
    values : DataFrame
        Canonical analyses (mg/L; see :mod:`cbmwater.water.vocabulary`), one row per sample,
        indexed by ``sample_id`` or with a ``sample_id`` column.  ``pH`` is required.
    flows_m3_d : mapping or Series, optional
        sample_id -> flow (m3/d).  When given, ``acid_load_kg_d`` is added (NaN for samples
        without a flow).
    fe_policy : {"ferrous", "ferric"}
        Fe(II)/Fe(III) split when only total Fe is measured (module docstring).
    missing_alkalinity : {"error", "zero"}
        What to do when no alkalinity is measured at pH >= 4.5 (module docstring).
    source : str, optional
        File name for error messages.

    Returns
    -------
    DataFrame
        Index ``sample_id``; columns ``pH``, ``Fe2_mg_L``, ``Fe3_mg_L`` (as used),
        ``acidity_calc_mg_L_CaCO3``, ``alkalinity_mg_L_CaCO3``, ``net_acidity_mg_L_CaCO3``,
        ``net_alkalinity_mg_L_CaCO3``, ``acid_load_kg_d`` (kg CaCO3/d; only with flows) and
        ``notes`` (how each number was obtained; "" when nothing needed saying).  The warnings
        that concern several samples are in ``table.attrs["warnings"]`` (list of str).

    Raises
    ------
    InputError
        pH missing or out of 0-14, a negative concentration, an unknown policy, no alkalinity at
        pH >= 4.5 with ``missing_alkalinity="error"``, or a flow that is negative or not a number.
    """
    if missing_alkalinity not in MISSING_ALKALINITY_POLICIES:
        raise InputError(
            Text.of(
                "minewater.error.unknown_alk_policy",
                name=repr(missing_alkalinity),
                allowed=joined(MISSING_ALKALINITY_POLICIES),
            )
        )
    _check_fe_policy(fe_policy)
    df = _frame(values)
    flows: dict[str, float] | None = None
    if flows_m3_d is not None:
        flows = {}
        for sid, q in dict(flows_m3_d).items():
            try:
                qf = float(q)
            except (TypeError, ValueError):
                raise InputError(
                    Text.of("minewater.error.flow_not_number"),
                    file=source,
                    column="flow_m3_d",
                    value=q,
                ) from None
            if not math.isfinite(qf) or qf < 0:
                raise InputError(
                    Text.of("minewater.error.flow_non_negative"),
                    file=source,
                    column="flow_m3_d",
                    value=q,
                )
            flows[str(sid)] = qf
        unknown = sorted(set(flows) - set(df.index))
        if unknown:
            raise InputError(
                Text.of(
                    "minewater.error.flow_unknown_samples",
                    unknown=joined(unknown),
                    known=joined(df.index),
                ),
                file=source,
            )
    rows = []
    note_texts: dict[str, str] = {}
    policy_samples: list[str] = []
    missing_alk: list[str] = []
    zero_alk: list[str] = []
    for sid, rec in df.iterrows():
        row = rec.to_dict()
        ph = _num(row, "pH")
        if ph is None:
            raise InputError(
                Text.of("minewater.error.sample_ph_required", sample=str(sid)),
                file=source,
                column="pH",
            )
        if not 0 <= ph <= 14:
            raise InputError(
                Text.of("minewater.error.sample_ph_range", sample=str(sid)),
                file=source,
                column="pH",
                value=ph,
            )
        for name in ("Fe", "Fe2", "Fe3", "Al", "Mn", "alkalinity_CaCO3", "HCO3", "CO3"):
            v = _num(row, name)
            if v is not None and v < 0:
                raise InputError(
                    Text.of(
                        "minewater.error.sample_negative",
                        sample=str(sid),
                        name=named("param", name),
                    ),
                    file=source,
                    column=name,
                    value=v,
                )
        fe2, fe3, notes, applied = iron_split(row, fe_policy)
        if applied:
            policy_samples.append(str(sid))
        al, mn = _num(row, "Al"), _num(row, "Mn")
        for name, v in (("Al", al), ("Mn", mn)):
            if v is None:
                notes.append(Text.of("minewater.acidity.not_measured", name=named("param", name)))
        acid = calculated_acidity(ph, fe2, fe3, al or 0.0, mn or 0.0)
        alk, alk_src = alkalinity_mg_L_CaCO3(row)
        if alk is None:
            if ph < ALKALINITY_ENDPOINT_PH:
                alk = 0.0
                notes.append(
                    Text.of(
                        "minewater.acidity.alk_below_endpoint",
                        pH=ph,
                        endpoint=ALKALINITY_ENDPOINT_PH,
                    )
                )
            elif missing_alkalinity == "zero":
                alk = 0.0
                zero_alk.append(str(sid))
                notes.append(Text.of("minewater.acidity.alk_zero_policy"))
            else:
                missing_alk.append(str(sid))
                continue
        elif alk_src == "HCO3+CO3":
            notes.append(Text.of("minewater.acidity.alk_from_carbonate"))
        net = acid - alk
        out = {
            "sample_id": str(sid),
            "pH": ph,
            "Fe2_mg_L": fe2,
            "Fe3_mg_L": fe3,
            "acidity_calc_mg_L_CaCO3": acid,
            "alkalinity_mg_L_CaCO3": alk,
            "net_acidity_mg_L_CaCO3": net,
            "net_alkalinity_mg_L_CaCO3": -net,
        }
        if flows is not None:
            q = flows.get(str(sid))
            out["acid_load_kg_d"] = acid_load_kg_d(net, q) if q is not None else float("nan")
            if q is None:
                notes.append(Text.of("minewater.acidity.no_flow"))
        out["notes"] = note_texts[str(sid)] = _joined_notes(notes)
        rows.append(out)
    if missing_alk:
        raise InputError(
            Text.of(
                "minewater.error.no_alkalinity",
                samples=joined(missing_alk),
                endpoint=ALKALINITY_ENDPOINT_PH,
            ),
            file=source,
            column="alkalinity_CaCO3",
        )
    cols = (
        [
            "pH",
            "Fe2_mg_L",
            "Fe3_mg_L",
            "acidity_calc_mg_L_CaCO3",
            "alkalinity_mg_L_CaCO3",
            "net_acidity_mg_L_CaCO3",
            "net_alkalinity_mg_L_CaCO3",
        ]
        + (["acid_load_kg_d"] if flows is not None else [])
        + ["notes"]
    )
    table = pd.DataFrame(rows, columns=["sample_id"] + cols).set_index("sample_id")
    warnings: list[str] = []
    if policy_samples:
        label = "Fe(II)" if fe_policy == "ferrous" else "Fe(III)"
        warnings.append(
            Text.of(
                "minewater.acidity.warn_total_fe_only",
                samples=joined(policy_samples),
                label=label,
                policy=_fe_policy(fe_policy),
            )
        )
    if zero_alk:
        warnings.append(Text.of("minewater.acidity.warn_alk_zero", samples=joined(zero_alk)))
    table.attrs["warnings"] = warnings
    # the notes as texts with their messages (a DataFrame keeps plain strings only)
    table.attrs["notes"] = note_texts
    return table


def _fe_policy(policy: str) -> Message:
    """The name of an ``fe_policy`` value ("ferrous" / "ferric") as a message."""
    return Message(f"minewater.fe_policy.{policy}")


def _joined_notes(notes: list[str]) -> str:
    """The notes of one sample as one text, ``"a; b"`` (a :class:`Text` with its message)."""
    msg = joined([message_of(n) for n in notes], "semicolon")
    return Text(msg) if isinstance(msg, Message) else "; ".join(notes)


#: how the report computes acidity (``AcidityReport.as_dict()["method"]``)
ACIDITY_METHOD = Text.of("minewater.acidity.method")


def acid_load_kg_d(net_acidity_mg_L_CaCO3: float, flow_m3_d: float) -> float:
    """Acid load, kg CaCO3 per day: ``net acidity (mg/L) x flow (m3/d) / 1000``.

    Negative for a net-alkaline water (its spare alkalinity).
    """
    return float(net_acidity_mg_L_CaCO3) * float(flow_m3_d) / 1000.0


@dataclass
class AcidityReport:
    """Acidity of a set of analyses (from a file or an :class:`AnalysisSet`).

    Attributes
    ----------
    table : DataFrame
        As returned by :func:`acidity_table`.
    warnings : list of str
        Policy applications and censored-value substitutions.
    source : str
    fe_policy, missing_alkalinity, censored_policy : str
        The choices the numbers depend on.
    """

    table: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    source: str = "<memory>"
    fe_policy: str = "ferrous"
    missing_alkalinity: str = "error"
    censored_policy: str = "half"

    def as_dict(self) -> dict:
        """JSON-ready: ``{"samples": [{sample_id, acidity_calc_mg_L_CaCO3, ...}], "method",
        "warnings", "source", "policies"}`` (NaN written as None)."""
        samples = []
        for sid, rec in self.table.iterrows():
            d: dict[str, object] = {"sample_id": str(sid)}
            for k, v in rec.items():
                if isinstance(v, (float, np.floating)):
                    d[str(k)] = None if math.isnan(float(v)) else float(v)
                else:
                    d[str(k)] = v
            if isinstance(d.get("notes"), str):
                note = self.table.attrs.get("notes", {}).get(str(sid), d["notes"])
                d["notes_i18n"] = message_of(note).to_dict()
            samples.append(d)
        return {
            "samples": samples,
            "method": str(ACIDITY_METHOD),
            "method_i18n": ACIDITY_METHOD.message.to_dict(),
            "policies": {
                "fe_policy": self.fe_policy,
                "missing_alkalinity": self.missing_alkalinity,
                "censored_policy": self.censored_policy,
            },
            "warnings": list(self.warnings),
            "warnings_i18n": message_dicts(self.warnings),
            "source": resource_label(self.source) if self.source else self.source,
        }


def acidity_report(
    analyses: AnalysisSet | str | Path,
    *,
    flows_m3_d: Mapping[str, float] | pd.Series | None = None,
    fe_policy: str = "ferrous",
    missing_alkalinity: str = "error",
    censored_policy: str = "half",
) -> AcidityReport:
    """Acidity of every sample of an analysis file or :class:`AnalysisSet`.

    Parameters
    ----------
    analyses : AnalysisSet or path
        A lab file (read with :func:`cbmwater.water.io.read_analyses`) or an analysis set.
    flows_m3_d, fe_policy, missing_alkalinity
        As in :func:`acidity_table`.
    censored_policy : {"half", "zero", "limit"}
        Substitution for below-detection cells (:meth:`AnalysisSet.resolved`); every
        substitution is a warning.

    Returns
    -------
    AcidityReport
    """
    if not isinstance(analyses, AnalysisSet):
        from ..water.io import read_analyses

        analyses = read_analyses(analyses)
    values = analyses.resolved(censored_policy)
    table = acidity_table(
        values,
        flows_m3_d=flows_m3_d,
        fe_policy=fe_policy,
        missing_alkalinity=missing_alkalinity,
        source=analyses.source,
    )
    warnings = list(table.attrs.get("warnings", []))
    relevant = {"Fe", "Fe2", "Fe3", "Al", "Mn", "alkalinity_CaCO3", "HCO3", "CO3", "pH"}
    for sid, notes in analyses.censored_notes(censored_policy).items():
        for n in notes:
            if n.split(" ", 1)[0] in relevant:
                warnings.append(
                    Text.of("minewater.sample_note", sample=str(sid), note=message_of(n))
                )
    return AcidityReport(
        table, warnings, analyses.source, fe_policy, missing_alkalinity, censored_policy
    )
