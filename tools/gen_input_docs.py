"""Regenerate the tables in docs/ that are made from code (run from the repository root).

* docs/input_limits.md, "Plausible ranges per field": ``cbmwater.plausible.markdown_table()``;
* docs/input_checks.md, "Schemas": ``cbmwater.schema.markdown_table(kind)`` for each kind;
* docs/uncertainty.md, "Parameters and defaults":
  ``cbmwater.optimize.uncertain.markdown_defaults()``.

Each table stands between ``<!-- generated: NAME -->`` and ``<!-- end generated -->``;
tests/test_plausible_ranges.py and tests/test_schema.py check that the documents match.
"""

from __future__ import annotations

import re
from pathlib import Path

from cbmwater import plausible, schema

ROOT = Path(__file__).resolve().parents[1]


def blocks() -> dict[str, str]:
    """Marker name -> generated table."""
    from cbmwater.optimize.uncertain import markdown_defaults

    out = {"plausible": plausible.markdown_table(), "uncertainty defaults": markdown_defaults()}
    for kind in schema.SCHEMAS:
        out[f"schema {kind}"] = schema.markdown_table(kind)
    return out


def fill(text: str) -> str:
    """``text`` with every generated block replaced by its current table."""
    for name, table in blocks().items():
        pat = re.compile(
            rf"(<!-- generated: {re.escape(name)} -->\n)(.*?)(<!-- end generated -->)", re.S
        )
        text = pat.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(3), text)
    return text


def main() -> None:
    for doc in ("docs/input_limits.md", "docs/input_checks.md", "docs/uncertainty.md"):
        p = ROOT / doc
        p.write_text(fill(p.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
