"""Where the treatment database lives: ``cbmwater/databases/treatment`` (units, prices, rules)."""

from __future__ import annotations

from ..resources import data_path

__all__ = ["TREATMENT_DATA_DIR"]

#: Folder of units.toml, economics.toml, precedence.csv and stages.csv.
TREATMENT_DATA_DIR = data_path("treatment")
