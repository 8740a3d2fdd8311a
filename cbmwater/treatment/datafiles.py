"""Where the treatment database lives: ``databases/treatment`` (units, prices, rules)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["TREATMENT_DATA_DIR"]

#: Folder of units.toml, economics.toml, precedence.csv and stages.csv.
TREATMENT_DATA_DIR = Path(__file__).resolve().parents[2] / "databases" / "treatment"
