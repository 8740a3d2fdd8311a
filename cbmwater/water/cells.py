"""One cell of a lab table: a number, a below-detection value or "not measured".

The lowest layer of the analysis import: :mod:`cbmwater.water.analysis` (records) and
:mod:`cbmwater.water.io` (files) both read their cells through :func:`parse_cell`.
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..errors import InputError
from ..i18n import Text

__all__ = ["parse_cell"]

_CENSORED = re.compile(r"^<\s*([0-9.eE+\-]+)$")
_CN_CENSORED = re.compile(r"^([0-9.eE+\-]+)\s*[Ll]$")
# commas only as thousands separators: 1,234 or 12,345.6 (never a decimal comma such as 0,05)
_THOUSANDS = re.compile(r"^[+\-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+\-]?\d+)?$")
_NA_TEXT = {"", "-", "--", "—", "/", "n/a"}  # typed by labs for "not measured"


def parse_cell(
    raw: object,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    allow_negative: bool = False,
) -> tuple[float | None, bool]:
    """Parse one numeric cell.

    Parameters
    ----------
    raw : object
        The cell as read (text or a number).
    allow_negative : bool
        Accept a negative number (only for a quantity that can be negative, such as ``ORP_mV``;
        its range is checked by the caller).  Default False: negatives are refused.

    Returns
    -------
    (value, censored) : tuple
        ``(None, False)`` for a blank (not measured) cell; ``(dl, True)`` for ``<dl`` or ``dlL``;
        ``(x, False)`` for a number.

    Raises
    ------
    InputError
        For text, NaN, infinity, negatives (unless ``allow_negative``) and ``>`` values.
    """
    if raw is None:
        return None, False
    if isinstance(raw, bool):
        raise InputError(
            Text.of("water.error.cell_bool"),
            file=file,
            row=row,
            column=column,
            value=raw,
        )
    if isinstance(raw, (int, float)):
        x = float(raw)
        text = str(raw)
        censored = False
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if text.casefold() in _NA_TEXT:
            return None, False
        censored = False
        m = _CENSORED.match(text) or _CN_CENSORED.match(text)
        if m:
            censored = True
            text = m.group(1)
        if text.startswith(">"):
            raise InputError(
                Text.of("water.error.cell_above_range"),
                file=file,
                row=row,
                column=column,
                value=raw,
            )
        if "," in text:
            if not _THOUSANDS.match(text):
                raise InputError(
                    Text.of("water.error.cell_comma"),
                    file=file,
                    row=row,
                    column=column,
                    value=raw,
                )
            text = text.replace(",", "")
        try:
            x = float(text)
        except ValueError:
            raise InputError(
                Text.of("water.error.cell_not_number"),
                file=file,
                row=row,
                column=column,
                value=raw,
            ) from None
    if math.isnan(x):
        raise InputError(
            Text.of("water.error.cell_nan"),
            file=file,
            row=row,
            column=column,
            value=raw,
        )
    if math.isinf(x):
        raise InputError(
            Text.of("water.error.cell_infinite"), file=file, row=row, column=column, value=raw
        )
    if x < 0 and not allow_negative:
        raise InputError(
            Text.of("water.error.cell_negative"),
            file=file,
            row=row,
            column=column,
            value=raw,
        )
    if censored and x == 0:
        raise InputError(
            Text.of("water.error.cell_zero_limit"),
            file=file,
            row=row,
            column=column,
            value=raw,
        )
    return x, censored
