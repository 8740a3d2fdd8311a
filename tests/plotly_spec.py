"""Reading plotly charts out of Streamlit AppTest runs (shared by the app tests)."""

from __future__ import annotations

import base64
import json

import numpy as np


def chart_spec(at, key: str) -> dict:
    """The plotly figure JSON of the chart with widget ``key`` in an AppTest run."""
    for el in at.get("plotly_chart"):
        if el.proto.id.endswith("-" + key):
            return json.loads(el.proto.spec)
    raise AssertionError(f"no plotly chart with key {key!r}")


def values(arr) -> list:
    """A plotly array as a list: plotly >= 6 may encode numeric arrays as base64 typed arrays
    (``{"dtype": "f8", "bdata": ...}``)."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return list(arr)
