"""Independent PHREEQC runs for test oracles: hand-written inputs in a fresh IPhreeqc.

A fresh ``phreeqpy`` IPhreeqc instance per call, the shipped database loaded by path, nothing of
cbmwater's engine or input builder involved.  :data:`AMM_DEFS` is ammonium as PHREEQC's
``Amm.dat`` defines it (typed here from that file), for oracles of steps that react.
"""

from __future__ import annotations

import pandas as pd
from phreeqpy.iphreeqc.phreeqc_dll import IPhreeqc

from cbmwater.geochem.databases import resolve_database

AMM_DEFS = """SOLUTION_MASTER_SPECIES
    Amm AmmH+ 0 AmmH 17.031
SOLUTION_SPECIES
AmmH+ = AmmH+
    -gamma 2.5 0
AmmH+ = Amm + H+
    -log_k -9.252
    -delta_h 12.48 kcal
AmmH+ + SO4-2 = AmmHSO4-
    -log_k 1.11
"""


def run_phreeqc(text: str, database: str = "phreeqc") -> pd.DataFrame:
    """Selected output of ``text`` as a DataFrame (headers without their ``(mol/kgw)``)."""
    ip = IPhreeqc()
    ip.load_database(str(resolve_database(database)))
    ip.run_string(text)
    arr = ip.get_selected_output_array()
    return pd.DataFrame(arr[1:], columns=[str(h).strip().replace("(mol/kgw)", "") for h in arr[0]])
