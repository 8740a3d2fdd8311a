"""Self-contained HTML report of a reinjection review (plotly.js inlined: works offline)."""

from __future__ import annotations

import html
import json

from ..errors import CbmwaterError
from ..reinjection.review import SCALE_MINERALS, Review

__all__ = ["review_html"]


def _e(x: object) -> str:
    return html.escape(str(x))


def review_html(r: Review) -> str:
    """The review as one HTML page: verdict, findings, SI and scale curves, assumptions, .pqi."""
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError:
        raise CbmwaterError(
            "the HTML review report draws its curves with plotly, which is not "
            "installed: pip install 'cbmwater[app]'"
        ) from None

    mix = r.mixing
    x = 100 * mix["fraction_injectate"]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Saturation index at formation T, P", "Scale, mg per L of mixture"),
    )
    for m in SCALE_MINERALS:
        fig.add_trace(
            go.Scatter(x=x, y=mix[f"si_{m}"], name=f"SI {m}", mode="lines+markers"), row=1, col=1
        )
        if mix[f"scale_{m}_mg_L"].max() > 0:
            fig.add_trace(
                go.Scatter(x=x, y=mix[f"scale_{m}_mg_L"], name=f"{m} mg/L", mode="lines+markers"),
                row=1,
                col=2,
            )
    fig.add_trace(
        go.Scatter(
            x=x, y=mix["scale_mg_L"], name="total scale mg/L", line={"width": 3, "color": "black"}
        ),
        row=1,
        col=2,
    )
    fig.add_hline(y=0, line_dash="dot", row=1, col=1)
    fig.update_xaxes(title_text="injectate, % of mixture")
    plot = fig.to_html(full_html=False, include_plotlyjs=True)
    d = r.as_dict()
    rows = "".join(
        f"<tr class='{_e(f['severity'])}'><td>{_e(f['code'])}</td><td>{_e(f['severity'])}</td>"
        f"<td>{_e(f['message'])}</td><td><code>{_e(json.dumps(f['evidence'], ensure_ascii=False, default=str))}"
        f"</code></td><td>{_e(f['basis'])}</td></tr>"
        for f in d["findings"]
    )
    conds = "".join(f"<li>{_e(c)}</li>" for c in d["conditions"]) or "<li>none</li>"
    assumptions = "".join(f"<li>{_e(a)}</li>" for a in d["assumptions"])
    table = mix.to_html(index=False, float_format=lambda v: f"{v:.4g}")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Reinjection review: {_e(d["proposal"]["title"])}</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:3px;
vertical-align:top}}table{{border-collapse:collapse}}.fail{{background:#fdd}}
.warning{{background:#ffd}}pre{{background:#f6f6f6;padding:1em;max-height:30em;overflow:auto}}</style>
</head><body><h1>Reinjection review</h1><p>{_e(d["proposal"]["title"])}</p>
<h2>Verdict: {_e(d["verdict"])}</h2><h3>Conditions</h3><ul>{conds}</ul>
<h3>Findings</h3><table><tr><th>code</th><th>severity</th><th>message</th><th>evidence</th>
<th>basis</th></tr>{rows}</table>
<h3>Mixing curves</h3>{plot}<h3>Mixing table</h3>{table}
<h3>Assumptions</h3><ul>{assumptions}</ul>
<h3>Inputs and versions</h3><p>inputs_hash <code>{_e(d["inputs_hash"])}</code></p>
<pre>{_e(json.dumps(d["proposal"], ensure_ascii=False, indent=1))}
{_e(json.dumps(d["versions"], indent=1))}</pre>
<h3>PHREEQC input (.pqi, runs in PHREEQC 3)</h3><pre>{_e(r.pqi)}</pre></body></html>
"""
