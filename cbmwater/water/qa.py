"""Quality assurance and derived quantities of water analyses.

All functions take a :class:`pandas.DataFrame` (or a one-row Series) of canonical values in mg/L,
as given by :meth:`cbmwater.water.analysis.AnalysisSet.resolved`, and return Series indexed like
the input.  NaN (not measured) counts as zero in sums; a quantity whose *required* inputs are all
missing is NaN, never 0.

Iron valence (the same as the speciation's, DESIGN.md §5 "Redox")
-----------------------------------------------------------------
The ion balance counts iron with the valence the PHREEQC speciation gives it
(:mod:`cbmwater.geochem.redox`), so QA and saturation indices never disagree on Fe:

* Fe2/Fe3 measured: ``Fe2 x 2/55.845 + Fe3 x 3/55.845`` meq/L (total Fe is then not counted);
* only total Fe, redox basis ``fe2`` (the default for produced water: no redox statement means
  Fe(II)): ``Fe x 2/55.845``;
* only total Fe, redox basis ``pe:VALUE`` or ``measured`` (ORP, DO): total Fe split into Fe(II)
  and Fe(III) as PHREEQC computed it for that sample, passed in as ``fe_split`` (mg/L) by
  :func:`cbmwater.geochem.characterise.characterise`.

Without ``fe_split`` these functions apply the first two rules (the ``fe2`` basis).

References
----------
Hem, J.D. (1985). Study and interpretation of the chemical characteristics of natural water.
    USGS Water-Supply Paper 2254.
Richards, L.A. (ed.) (1954). Diagnosis and improvement of saline and alkali soils. USDA Agriculture
    Handbook 60.
Eaton, F.M. (1950). Significance of carbonates in irrigation waters. Soil Science 69:123-133.
Ayers, R.S. & Westcot, D.W. (1985). Water quality for agriculture. FAO Irrigation and Drainage
    Paper 29 Rev. 1.
Alekin, O.A. (1970). Osnovy gidrokhimii [Shukarev classification]; used in Chinese hydrogeology
    as 舒卡列夫分类 (e.g. GB/T 14848 practice, 水文地质手册).
APHA (2017). Standard Methods 1030 E (cation-anion balance acceptance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import Text
from .vocabulary import CACO3_G_EQ, CONSTITUENTS

__all__ = [
    "CATIONS",
    "ANIONS",
    "BALANCE_WARN_PCT",
    "BALANCE_FLAG_PCT",
    "HCO3_TO_CO3_EVAPORATION",
    "meq_per_L",
    "ion_balance_pct",
    "tds_sum_mg_L",
    "tds_evaporative_mg_L",
    "hardness_mg_L_CaCO3",
    "alkalinity_mg_L_CaCO3",
    "sodium_adsorption_ratio",
    "residual_sodium_carbonate_meq_L",
    "water_type",
    "qa_table",
]

#: Ions counted in the balance.  Iron at the speciation's valence (module docstring: total Fe as
#: Fe2+ unless Fe2/Fe3 are given or a split is passed in); Al as Al3+ (acid mine water); NH4_N
#: as NH4+.
CATIONS: tuple[str, ...] = ("Na", "K", "Ca", "Mg", "Fe", "Mn", "Al", "Sr", "Ba", "Li", "NH4_N")
ANIONS: tuple[str, ...] = ("Cl", "SO4", "HCO3", "CO3", "F", "Br", "NO3_N")
#: Ion-balance thresholds, percent: a warning above 5, a flag (analysis suspect) above 10.
BALANCE_WARN_PCT = 5.0
BALANCE_FLAG_PCT = 10.0
#: Mass of CO3 left per mass of HCO3 when a sample is evaporated to dryness (Hem 1985, p. 157):
#: 2 HCO3- -> CO3-- + CO2 + H2O, 60.01 / (2 x 61.02) = 0.4917.
HCO3_TO_CO3_EVAPORATION = 0.4917
#: Constituents that are not dissolved ions or species (excluded from TDS sums).
_NOT_DISSOLVED = (
    "temp_C",
    "pH",
    "TDS",
    "COD",
    "TSS",
    "alkalinity_CaCO3",
    "Fe2",
    "Fe3",
    "ORP_mV",
    "DO",
)


def _frame(values: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(values, pd.Series):
        return values.to_frame().T
    return values


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name].astype(float)
    return pd.Series(np.nan, index=df.index)


def _iron_meq(df: pd.DataFrame, fe_split: pd.DataFrame | None = None) -> pd.Series:
    """Iron in meq/L: Fe2 x 2/55.845 + Fe3 x 3/55.845 where split (measured, or ``fe_split``
    where it has numbers), else total Fe as Fe2+."""
    fe2, fe3, fe = _col(df, "Fe2"), _col(df, "Fe3"), _col(df, "Fe")
    if fe_split is not None:
        s = fe_split.reindex(df.index)
        given = _col(s, "Fe2").notna() & _col(s, "Fe3").notna()
        fe2 = _col(s, "Fe2").where(given, fe2)
        fe3 = _col(s, "Fe3").where(given, fe3)
    m = CONSTITUENTS["Fe"].molar_mass
    split = fe2.notna() | fe3.notna()
    return (fe2.fillna(0) * 2 / m + fe3.fillna(0) * 3 / m).where(split, fe * 2 / m)


def meq_per_L(
    values: pd.DataFrame | pd.Series, fe_split: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Ion concentrations in meq/L (always positive), for :data:`CATIONS` and :data:`ANIONS`.

    Parameters
    ----------
    values : DataFrame or Series
        Canonical concentrations, mg/L.
    fe_split : DataFrame, optional
        Fe(II) and Fe(III) in mg/L (columns ``Fe2``, ``Fe3``, index sample_id) as the speciation
        entered or computed them; rows with numbers replace the analysis's own iron rule (module
        docstring).  Default None: total Fe as Fe2+, measured Fe2/Fe3 as given.

    Returns
    -------
    DataFrame
        One column per ion; NaN where not measured.  ``meq/L = mg/L / (M / |z|)``.
    """
    df = _frame(values)
    out = {}
    for name in CATIONS + ANIONS:
        c = CONSTITUENTS[name]
        out[name] = _col(df, name) / c.equivalent_mass
    out["Fe"] = _iron_meq(df, fe_split)
    return pd.DataFrame(out, index=df.index)


def _alk_meq(df: pd.DataFrame, meq: pd.DataFrame) -> pd.Series:
    """Carbonate alkalinity, meq/L: HCO3 + CO3 ions if reported, else alkalinity as CaCO3."""
    ions = meq["HCO3"].fillna(0) + meq["CO3"].fillna(0)
    have_ions = meq["HCO3"].notna() | meq["CO3"].notna()
    return ions.where(have_ions, _col(df, "alkalinity_CaCO3") / CACO3_G_EQ)


def ion_balance_pct(
    values: pd.DataFrame | pd.Series, fe_split: pd.DataFrame | None = None
) -> pd.Series:
    """Charge-balance error, percent.

    ``100 (sum cations - sum anions) / (sum cations + sum anions)``, all in meq/L of the input
    (APHA Standard Methods 1030 E).  Where HCO3/CO3 are not reported, alkalinity as CaCO3 stands
    for them.  Iron counts at the speciation's valence (``fe_split``, see :func:`meq_per_L`).

    Returns
    -------
    Series
        Percent; NaN if no ions are measured.
    """
    df = _frame(values)
    meq = meq_per_L(df, fe_split)
    cat = meq[list(CATIONS)].sum(axis=1, min_count=1)
    an_other = meq[[a for a in ANIONS if a not in ("HCO3", "CO3")]].sum(axis=1, min_count=1)
    an = an_other.fillna(0) + _alk_meq(df, meq).fillna(0)
    total = cat + an
    return (100 * (cat - an) / total).where(total > 0)


def tds_sum_mg_L(values: pd.DataFrame | pd.Series) -> pd.Series:
    """TDS by summation of all measured dissolved constituents, mg/L (HCO3 counted in full).

    Sums every canonical constituent except pH, temperature, TDS, COD, TSS, alkalinity and the
    Fe2/Fe3 split (total Fe is counted once).  Hem (1985), p. 156.
    """
    df = _frame(values)
    cols = [c for c in df.columns if c in CONSTITUENTS and c not in _NOT_DISSOLVED]
    return df[cols].astype(float).sum(axis=1, min_count=1)


def tds_evaporative_mg_L(values: pd.DataFrame | pd.Series) -> pd.Series:
    """TDS as residue on evaporation estimated from the analysis, mg/L.

    Like :func:`tds_sum_mg_L` but HCO3 is counted as ``HCO3 x 0.4917`` (the carbonate left when
    bicarbonate decomposes on drying; Hem 1985, p. 157).
    """
    df = _frame(values)
    hco3 = _col(df, "HCO3").fillna(0)
    return tds_sum_mg_L(df) - hco3 * (1 - HCO3_TO_CO3_EVAPORATION)


def hardness_mg_L_CaCO3(values: pd.DataFrame | pd.Series) -> pd.Series:
    """Total hardness as CaCO3, mg/L: ``50.04 (Ca/20.04 + Mg/12.15)`` (Hem 1985, p. 159).

    NaN if neither Ca nor Mg was measured.
    """
    df = _frame(values)
    ca, mg = _col(df, "Ca"), _col(df, "Mg")
    h = CACO3_G_EQ * (
        ca.fillna(0) / CONSTITUENTS["Ca"].equivalent_mass
        + mg.fillna(0) / CONSTITUENTS["Mg"].equivalent_mass
    )
    return h.where(ca.notna() | mg.notna())


def alkalinity_mg_L_CaCO3(values: pd.DataFrame | pd.Series) -> pd.Series:
    """Total (carbonate) alkalinity as CaCO3, mg/L.

    The reported ``alkalinity_CaCO3`` when given; else ``50.04 (HCO3/61.02 + 2 CO3/60.01)``.
    """
    df = _frame(values)
    meq = meq_per_L(df)
    ions = CACO3_G_EQ * (meq["HCO3"].fillna(0) + meq["CO3"].fillna(0))
    ions = ions.where(meq["HCO3"].notna() | meq["CO3"].notna())
    return _col(df, "alkalinity_CaCO3").fillna(ions)


def sodium_adsorption_ratio(values: pd.DataFrame | pd.Series) -> pd.Series:
    """Sodium adsorption ratio, (meq/L)^0.5: ``Na / sqrt((Ca + Mg) / 2)`` in meq/L.

    Richards (1954), USDA Handbook 60, eq. 1.  NaN if Na was not measured; infinite where
    Ca + Mg is zero is returned as NaN with the caller's QA noting it.
    """
    df = _frame(values)
    meq = meq_per_L(df)
    camg = meq["Ca"].fillna(0) + meq["Mg"].fillna(0)
    sar = meq["Na"] / np.sqrt(camg / 2)
    return sar.where(camg > 0)


def residual_sodium_carbonate_meq_L(values: pd.DataFrame | pd.Series) -> pd.Series:
    """Residual sodium carbonate, meq/L: ``(HCO3 + CO3) - (Ca + Mg)`` (Eaton 1950)."""
    df = _frame(values)
    meq = meq_per_L(df)
    return _alk_meq(df, meq) - (meq["Ca"].fillna(0) + meq["Mg"].fillna(0))


def water_type(values: pd.DataFrame | pd.Series, threshold_pct: float = 25.0) -> pd.Series:
    """Shukarev (舒卡列夫) water type from the dominant ions, e.g. ``"HCO3-Na"``, ``"HCO3·Cl-Na"``.

    The six major ions are taken in meq-% of their own sum (cations Na+K, Ca, Mg; anions
    HCO3+CO3, SO4, Cl).  Those at or above ``threshold_pct`` (25 %) are named, each side in
    descending order, anions first, joined by ``·`` within a side and ``-`` between sides.

    Returns
    -------
    Series of str
        The type; ``""`` where the cation or anion sum is zero.
    """
    df = _frame(values)
    meq = meq_per_L(df)
    alk = _alk_meq(df, meq).fillna(0).to_numpy()
    m = meq.fillna(0)
    sides = (
        (("HCO3", "SO4", "Cl"), np.column_stack([alk, m["SO4"], m["Cl"]])),
        (("Na", "Ca", "Mg"), np.column_stack([m["Na"] + m["K"], m["Ca"], m["Mg"]])),
    )
    names_per_side = []
    valid = np.ones(len(df), dtype=bool)
    for labels, parts in sides:
        total = parts.sum(axis=1)
        valid &= total > 0
        pct = 100 * parts / np.where(total > 0, total, 1)[:, None]
        order = np.argsort(-pct, axis=1, kind="stable")  # descending, ties in table order
        ranked = np.take_along_axis(pct, order, axis=1)
        keep = ranked >= threshold_pct
        names_per_side.append(
            ["·".join(labels[k] for k, ok in zip(o, kk) if ok) for o, kk in zip(order, keep)]
        )
    out = [f"{a}-{c}" if ok else "" for a, c, ok in zip(*names_per_side, valid)]
    return pd.Series(out, index=df.index, dtype=object)


def qa_table(values: pd.DataFrame, fe_split: pd.DataFrame | None = None) -> pd.DataFrame:
    """QA summary of analyses: balance, TDS, hardness, alkalinity, SAR, RSC, type and flags.

    Parameters
    ----------
    values : DataFrame
        Canonical concentrations, mg/L, index sample_id.
    fe_split : DataFrame, optional
        Fe(II)/Fe(III) in mg/L the speciation used where it split total Fe by a pe (see
        :func:`meq_per_L`); default None (total Fe as Fe2+, the ``fe2`` redox basis).

    Returns
    -------
    DataFrame
        Columns ``charge_balance_pct, tds_mg_L`` (reported TDS when measured, else the
        evaporative estimate), ``tds_sum_mg_L, tds_evaporative_mg_L, hardness_mg_L_CaCO3,
        alkalinity_mg_L_CaCO3, sar, rsc_meq_L, water_type, qa_flag`` (``ok``, ``warning`` above
        5 % imbalance, ``flag`` above 10 %) and ``qa_notes`` (list of sentences).
    """
    bal = ion_balance_pct(values, fe_split)
    tds_evap = tds_evaporative_mg_L(values)
    reported = _col(values, "TDS")
    out = pd.DataFrame(
        {
            "charge_balance_pct": bal,
            "tds_mg_L": reported.fillna(tds_evap),
            "tds_sum_mg_L": tds_sum_mg_L(values),
            "tds_evaporative_mg_L": tds_evap,
            "hardness_mg_L_CaCO3": hardness_mg_L_CaCO3(values),
            "alkalinity_mg_L_CaCO3": alkalinity_mg_L_CaCO3(values),
            "sar": sodium_adsorption_ratio(values),
            "rsc_meq_L": residual_sodium_carbonate_meq_L(values),
            "water_type": water_type(values),
        }
    )
    flags, notes = [], []
    for sid, b in bal.items():
        n: list[str] = []
        if np.isnan(b):
            flags.append("flag")
            n.append(Text.of("water.qa.no_ions"))
        elif abs(b) > BALANCE_FLAG_PCT:
            flags.append("flag")
            n.append(Text.of("water.qa.balance_flag", balance=b, limit=BALANCE_FLAG_PCT))
        elif abs(b) > BALANCE_WARN_PCT:
            flags.append("warning")
            n.append(Text.of("water.qa.balance_warn", balance=b, limit=BALANCE_WARN_PCT))
        else:
            flags.append("ok")
        rep = reported.get(sid, np.nan)
        if not np.isnan(rep) and rep > 0 and abs(tds_evap[sid] - rep) / rep > 0.2:
            n.append(Text.of("water.qa.tds_differs", reported=rep, ion_sum=tds_evap[sid]))
        notes.append(n)
    out["qa_flag"] = flags
    out["qa_notes"] = notes
    return out
