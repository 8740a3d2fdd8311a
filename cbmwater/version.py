"""The version of cbmwater, in one place (pyproject reads it; ``cbmwater --version`` shows it)."""

__version__ = "0.1.0"
