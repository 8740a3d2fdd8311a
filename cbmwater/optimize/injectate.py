"""Injectate compatibility at reinjection destinations: the regulator's chemistry inside the loop.

A reinjection destination may name its formation (``[destinations.formation]``: formation water,
temperature, pressure; see ``docs/optimise_case_format.md``).  Its water is then judged as the
regulator's review judges an injectate (:mod:`cbmwater.reinjection.review`, whose functions are
called here -- nothing of its chemistry is re-implemented):

* **Before the solve** every product or residual stream that may go there, in every period, is
  mixed with the formation water from 0 to 100 % at the formation's temperature and pressure
  (:func:`~cbmwater.reinjection.review.mixing_curves`: one PHREEQC input per chunk of streams,
  chunks spread over the cores).  A stream whose mixing scale -- in excess of what the two end
  members deposit alone -- exceeds the threshold (by default the destination's suspended-solids
  limit, the review's fail rule :meth:`~cbmwater.reinjection.review.MixingScale.exceeds`) is not
  given a flow variable there (:func:`screen_streams`); the reason goes to the results.
* **After each solve** the blend the plan actually delivers in each period (flow-weighted
  concentrations, pH from PHREEQC ``MIX``) is mixed with the formation water the same way
  (:func:`check_formation_blends`).  Streams that pass one by one can still fail together (one
  brings the alkalinity, another the pH); a violation becomes a cut linear in the flows, the
  tangent of the excess scale towards each candidate stream from PHREEQC probes at step
  :data:`EPS` (as the SI cuts of :mod:`.geocheck`), and the model is re-solved.

The oxic state is a linear key: DO is tracked through every train (NaN for an anoxic produced
water, saturation after an aerator or degasser, 0.5 % left by the oxygen scavenger).  At a
reinjection destination DO is a *per-stream* limit (:attr:`~.case.Destination.per_stream`):
oxygen is not diluted by an anoxic, Fe(II)-bearing water -- it is spent oxidising that Fe(II) to
Fe(OH)3 in the line and at the perforations (0.143 mg O2 per mg Fe; reference/
treatment_chemistry.md §10) -- so an aerated stream is excluded by itself, whatever it would be
blended with.  :func:`explain` turns every exclusion into words: the constituent, its value, the
limit with its source and status, and the unit (and the case's own train) that would fix it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

import numpy as np

from ..errors import GeochemError
from ..geochem.mixing import blend_properties
from ..i18n import Message, Text, add_i18n, joined, named
from ..reinjection.review import SCALE_CONDITIONS, MixingScale, mixing_curves, mixing_scale
from ..treatment.library import UnitLibrary
from ..treatment.streams import NOT_DISSOLVED, TRACKED
from .case import Case, Destination, Formation
from .geocheck import stream_water
from .model import Cut, Exclusion, Network
from .precompute import KEYS, PathTable, period_span

__all__ = [
    "screen_streams",
    "check_formation_blends",
    "explain",
    "fixing_units",
    "Screen",
    "EPS",
    "TOL_MG_L",
    "MARGIN",
]

#: Step of the PHREEQC probes towards each candidate stream (mixing fraction).
EPS = 0.05
#: A delivered blend fails when its excess scale is above the threshold by more than this, mg/L.
TOL_MG_L = 0.02
#: Cuts aim this fraction below the threshold, so the next plan lands inside.
MARGIN = 0.02
#: Ions whose removal prevents each scale mineral (the mineral's formula).
MINERAL_IONS: dict[str, tuple[str, ...]] = {
    "Barite": ("Ba", "SO4"),
    "Celestite": ("Sr", "SO4"),
    "Calcite": ("Ca", "HCO3"),
    "Siderite": ("Fe", "HCO3"),
    "Gypsum": ("Ca", "SO4"),
    "Anhydrite": ("Ca", "SO4"),
    "Fe(OH)3(a)": ("Fe",),
}


@dataclass
class Screen:
    """Streams excluded by the formation screen, with what was computed."""

    excluded: dict[tuple[int, int, str, int], dict] = field(default_factory=dict)
    screened: int = 0  # streams judged (destination, pair, stream, period)
    unique: int = 0  # distinct waters sent to PHREEQC
    seconds: float = 0.0

    def update(self, other: Screen, pairs: set[int]) -> None:
        """Replace the results of ``pairs`` by those of ``other`` (a hub re-simulated)."""
        self.excluded = {k: v for k, v in self.excluded.items() if k[1] not in pairs}
        self.excluded.update(other.excluded)
        self.screened += other.screened
        self.unique += other.unique
        self.seconds += other.seconds


class _MixingArgs(TypedDict):
    """Keyword arguments of :func:`~cbmwater.reinjection.review.mixing_curves` for a formation."""

    temperature_C: float
    pressure_bar: float
    fractions: list[float]
    database: str


def _curves(waters: list[dict[str, float]], f: Formation, database: str) -> list[MixingScale | str]:
    """Mixing summaries of ``waters`` with formation ``f`` (the review's calculation), batched.

    Should PHREEQC fail on a batch, each water is run alone; a water whose mixing PHREEQC cannot
    compute gets the error text instead of a summary (never a pass)."""
    fr = [n / (f.fractions - 1) for n in range(f.fractions)]
    kw = _MixingArgs(
        temperature_C=f.temperature_C, pressure_bar=f.pressure_bar, fractions=fr, database=database
    )
    try:
        return [mixing_scale(m) for m in mixing_curves(waters, f.water, **kw)]
    except GeochemError:
        out: list[MixingScale | str] = []
        for w in waters:
            try:
                out.append(mixing_scale(mixing_curves([w], f.water, **kw)[0]))
            except GeochemError as exc:
                out.append(" ".join(str(exc).split())[:300])
        return out


def _failed(dest: Destination, error: str, water: dict[str, float]) -> dict[str, Any]:
    f = dest.formation
    assert f is not None  # only destinations with a formation are screened or checked
    return {
        "formation": f.name,
        "excess_scale_mg_L": float("nan"),
        "fraction_injectate": None,
        "limit_mg_L": f.scale_max_mg_L,
        "limit_source": f.scale_max_source,
        "minerals_excess_mg_L": {},
        "precipitating_mg_L": {},
        "max_si": {},
        "temperature_C": f.temperature_C,
        "pressure_bar": f.pressure_bar,
        "fractions": f.fractions,
        "injectate": dict(water),
        "error": error,
    }


def _key(w: dict[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((k, float(f"{v:.10g}")) for k, v in w.items()))


def _detail(dest: Destination, ms: MixingScale, water: dict[str, float]) -> dict[str, Any]:
    f = dest.formation
    assert f is not None  # only destinations with a formation are screened or checked
    return {
        "formation": f.name,
        "excess_scale_mg_L": ms.excess_mg_L,
        "fraction_injectate": ms.fraction_at_excess,
        "limit_mg_L": f.scale_max_mg_L,
        "limit_source": f.scale_max_source,
        "minerals_excess_mg_L": ms.minerals_excess_mg_L,
        "precipitating_mg_L": ms.precipitating,
        "max_si": ms.max_si,
        "temperature_C": f.temperature_C,
        "pressure_bar": f.pressure_bar,
        "fractions": f.fractions,
        "injectate": dict(water),
    }


def _passes_own_limits(dest: Destination, conc: np.ndarray) -> bool:
    for k in dest.stream_keys():
        if float(np.nan_to_num(conc[KEYS.index(k)])) > dest.limits_mg_L[k] + 1e-9:
            return False
    return True


def screen_streams(
    case: Case,
    table: PathTable,
    active: np.ndarray,
    *,
    database: str = "phreeqc",
    only_pairs: set[int] | None = None,
) -> Screen:
    """Mix every stream that may go to a reinjection destination with its formation water.

    Parameters
    ----------
    case, table
        The case and its path table.
    active : ndarray of bool, shape (pairs, periods)
        Where a pair has water (other periods carry no flow and are not screened).
    database : str
        PHREEQC database.
    only_pairs : set of int, optional
        Screen only these pairs (a hub re-simulated).

    Returns
    -------
    Screen
        ``excluded[(destination, pair, stream, period)]`` (0-based) -> the mixing summary of a
        stream whose scale formed by mixing exceeds the formation's threshold.
    """
    t0 = time.perf_counter()
    out = Screen()
    for j, dest in enumerate(case.destinations):
        f = dest.formation
        if f is None:
            continue
        items: list[tuple[tuple[int, int, str, int], dict]] = []
        for i in range(len(table.pairs)):
            if only_pairs is not None and i not in only_pairs:
                continue
            for t in range(table.periods):
                if not active[i, t]:
                    continue
                for stream, frac, conc in (
                    ("product", table.recovery, table.product),
                    ("residual", table.residual_frac, table.residual),
                ):
                    if not dest.takes(stream) or frac[i, t] <= 1e-12:
                        continue
                    if not _passes_own_limits(dest, conc[i, t]):
                        continue  # excluded by a limit already: no PHREEQC needed
                    items.append(((j, i, stream, t), stream_water(table, i, stream, t)[0]))
        uniq: dict[tuple[tuple[str, float], ...], int] = {}
        waters: list[dict[str, float]] = []
        for _, w in items:
            k = _key(w)
            if k not in uniq:
                uniq[k] = len(waters)
                waters.append(w)
        verdicts = _curves(waters, f, database)
        for key, w in items:
            ms = verdicts[uniq[_key(w)]]
            if isinstance(ms, str):
                out.excluded[key] = _failed(dest, ms, w)
            elif ms.exceeds(f.scale_max_mg_L):
                out.excluded[key] = _detail(dest, ms, w)
        out.screened += len(items)
        out.unique += len(waters)
    out.seconds = time.perf_counter() - t0
    return out


def _blend_water(
    waters: list[dict[str, float]], concs: list[np.ndarray], flows: list[float], ph: float
) -> dict[str, float]:
    """Flow-weighted water of several streams (concentrations by mass; ``ph`` from MIX)."""
    q = np.asarray(flows, float)
    c = np.stack(concs)
    total = q.sum()
    out: dict[str, float] = {}
    for n, name in enumerate(TRACKED):
        if name in NOT_DISSOLVED:
            continue
        col = c[:, n]
        if np.isnan(col).all():
            continue
        out[name] = float((np.nan_to_num(col) * q).sum() / total)
    out["pH"] = float(ph)
    out["temp_C"] = float(sum(w["temp_C"] * x for w, x in zip(waters, q)) / total)
    return out


def check_formation_blends(
    net: Network,
    vals: dict[str, np.ndarray],
    iteration: int,
    *,
    database: str = "phreeqc",
    tiny: float = 1e-6,
) -> tuple[list[dict[str, Any]], list[Cut]]:
    """Mix each delivered blend with its destination's formation water; cut the violations.

    A blend of one stream is that stream's water (as the screen judged it).  A blend of several
    is one water: flow-weighted concentrations (conservative totals and alkalinity) at the
    flow-weighted temperature, its pH from PHREEQC ``MIX`` of the streams at that temperature.

    Returns
    -------
    checks : list of dict
        One per (destination, period) with water: the mixing summary and ``violation`` (text or
        None).
    cuts : list of Cut
        ``prop = "formation_scale"``: ``sum_p f_p (G0 + D_p - L) <= 0`` with D_p the directional
        derivative of the excess scale (mg/L) towards pure stream p (PHREEQC probes at
        :data:`EPS`) and L the threshold less :data:`MARGIN`.
    """
    case = net.case
    from .geocheck import _streams

    jobs = []  # (d, t, streams, w0 flows)
    for d, dest in enumerate(case.destinations):
        if dest.formation is None:
            continue
        for t in range(case.periods):
            streams = _streams(net, vals, d, t, tiny)
            used = [(p, s, fl) for p, s, fl in streams if fl > tiny]
            if sum(fl for *_, fl in used) <= tiny:
                continue
            jobs.append((d, t, streams, used))
    if not jobs:
        return [], []
    injectates = _injectates(
        [[(p, s, fl) for p, s, fl in used] for _, t, _, used in jobs],
        [t for _, t, _, _ in jobs],
        net,
        database,
    )
    summaries = _run(net, [jobs[n][0] for n in range(len(jobs))], injectates, database)
    checks: list[dict[str, Any]] = []
    todo = []
    for n, (d, t, streams, used) in enumerate(jobs):
        dest = case.destinations[d]
        assert dest.formation is not None  # jobs hold destinations with a formation only
        ms = summaries[n]
        lim = dest.formation.scale_max_mg_L
        viol = None
        if isinstance(ms, str):
            det = _failed(dest, ms, injectates[n])
            det.update(
                {
                    "destination": dest.name,
                    "period": t + 1,
                    "violation": Text.of(
                        "optimise.injectate.failed", formation=repr(dest.formation.name), error=ms
                    ),
                    "delivered_m3_d": float(sum(fl for *_, fl in used)),
                }
            )
            checks.append(det)
            continue
        if ms.excess_mg_L > lim + TOL_MG_L:
            worst = max(ms.minerals_excess_mg_L.items(), key=lambda kv: kv[1], default=("", 0.0))
            viol = Text.of(
                "optimise.injectate.scale",
                formation=repr(dest.formation.name),
                excess=ms.excess_mg_L,
                mineral=named("phase", worst[0]) if worst[0] else "",
                mineral_mg_L=worst[1],
                pct=100 * ms.fraction_at_excess,
                lim=lim,
            )
            todo.append((n, d, t, streams, used, ms))
        det = _detail(dest, ms, injectates[n])
        det.update(
            {
                "destination": dest.name,
                "period": t + 1,
                "violation": viol,
                "delivered_m3_d": float(sum(fl for *_, fl in used)),
            }
        )
        checks.append(det)
    if not todo:
        return checks, []
    # probes: (1 - EPS) w0 + EPS e_p towards every candidate stream of a violating blend
    probe_blends, probe_t, probe_d, meta = [], [], [], []
    for n, d, t, streams, used, _ms in todo:
        total = sum(fl for *_, fl in used)
        w0 = {(p, s): fl / total for p, s, fl in used}
        for p, s, _ in streams:
            mix = {k: (1 - EPS) * v for k, v in w0.items()}
            mix[(p, s)] = mix.get((p, s), 0.0) + EPS
            probe_blends.append([(pp, ss, v) for (pp, ss), v in mix.items() if v > 0])
            probe_t.append(t)
            probe_d.append(d)
            meta.append((n, p, s))
    pinj = _injectates(probe_blends, probe_t, net, database)
    psum = _run(net, probe_d, pinj, database)
    cuts: list[Cut] = []
    for n, d, t, _cand, _flows, ms in todo:
        dest = case.destinations[d]
        assert dest.formation is not None  # todo holds destinations with a formation only
        limit = dest.formation.scale_max_mg_L * (1 - MARGIN)
        g0 = ms.excess_mg_L
        cut = Cut(dest.name, t + 1, "formation_scale", "max", limit, g0, iteration)
        for k, (nn, p, s) in enumerate(meta):
            if nn != n:
                continue
            probe = psum[k]
            g = probe.excess_mg_L if not isinstance(probe, str) else g0
            dp = (g - g0) / EPS
            cut.coef[(p, s)] = g0 + dp - limit
        cuts.append(cut)
    return checks, cuts


def _injectates(
    blends: list[list[tuple[int, str, float]]], periods: list[int], net: Network, database: str
) -> list[dict[str, float]]:
    """The water of each blend (list of (pair, stream, flow)); one MIX run for all blends of
    several streams."""
    tab = net.table
    waters: list[dict[str, float]] = []
    concs: list[np.ndarray] = []
    index: dict[tuple[int, str, int], int] = {}

    def wi(p: int, s: str, t: int) -> int:
        if (p, s, t) not in index:
            w, c = stream_water(tab, p, s, t)
            index[(p, s, t)] = len(waters)
            waters.append(w)
            concs.append(c)
        return index[(p, s, t)]

    out: list[dict[str, float] | None] = []
    mixes, temps, rows = [], [], []
    for n, (blend, t) in enumerate(zip(blends, periods)):
        ids = [wi(p, s, t) for p, s, _ in blend]
        flows = [fl for *_, fl in blend]
        if len(blend) == 1:
            out.append(dict(waters[ids[0]]))
            continue
        total = sum(flows)
        temp = sum(waters[i]["temp_C"] * fl for i, fl in zip(ids, flows)) / total
        mixes.append({i: fl / total for i, fl in zip(ids, flows)})
        temps.append(temp)
        rows.append(n)
        out.append(None)
    if mixes:
        ph = blend_properties(waters, mixes, temps, (), database)["pH"].to_numpy(float)
        for k, n in enumerate(rows):
            blend = blends[n]
            ids = [index[(p, s, periods[n])] for p, s, _ in blend]
            out[n] = _blend_water(
                [waters[i] for i in ids],
                [concs[i] for i in ids],
                [fl for *_, fl in blend],
                float(ph[k]),
            )
    return cast(list[dict[str, float]], out)  # every None was filled by the MIX run above


def _run(
    net: Network, dests: list[int], injectates: list[dict[str, float]], database: str
) -> list[MixingScale | str]:
    """Mixing summaries of injectates, each with the formation of its destination (batched per
    formation)."""
    case = net.case
    out: list[MixingScale | str | None] = [None] * len(injectates)
    for d in sorted(set(dests)):
        f = case.destinations[d].formation
        assert f is not None  # dests are destinations with a formation
        idx = [n for n, dd in enumerate(dests) if dd == d]
        for n, ms in zip(idx, _curves([injectates[n] for n in idx], f, database)):
            out[n] = ms
    return cast(list[MixingScale | str], out)  # every injectate belongs to one of the dests


# -- words ----------------------------------------------------------------------------------------
def fixing_units(
    key: str, library: UnitLibrary, min_removal: float = 0.5
) -> list[tuple[str, float]]:
    """Units of the library that remove at least ``min_removal`` of ``key`` (best first)."""
    out = [
        (uid, u.removal_of(key))
        for uid, u in library.units.items()
        if u.removal_of(key) >= min_removal and u.model != "evaporation_pond"
    ]
    return sorted(out, key=lambda x: (-x[1], x[0]))


def units_text(keys: tuple[str, ...], library: UnitLibrary, n: int = 4) -> str:
    """ "units that remove KEY: a (98.0 %), ..." (the ``n`` best of the library; "" if none)."""
    seen: dict[str, float] = {}
    for k in keys:
        for uid, r in fixing_units(k, library):
            seen[uid] = max(seen.get(uid, 0.0), r)
    best = sorted(seen.items(), key=lambda x: (-x[1], x[0]))[:n]
    if not best:
        return ""
    return Text.of(
        "optimise.fix.units",
        keys=joined([named("param", k) for k in keys], "or"),
        units=joined(
            [
                Message("optimise.fix.unit", {"unit": named("unitid", u), "pct": 100 * r})
                for u, r in best
            ]
        ),
    )


def _oxygenating(units: tuple[str, ...], library: UnitLibrary) -> list[str]:
    ids = [u.partition(":")[0] for u in units]
    return [u for u in ids if u in library.units and "log_pO2" in library.units[u].params]


def explain(net: Network, library: UnitLibrary) -> list[dict]:
    """The exclusions of ``net`` grouped by (destination, site, train, stream, reason), in words.

    Each item: ``destination``, ``site``, ``train``, ``stream``, ``periods``, ``kind`` (limit |
    formation), ``constituent`` (or ``scale``), ``value`` (the worst period's, mg/L), ``limit``
    (mg/L), ``source`` and ``status`` of the limit, ``rule``, ``fix`` (units and the case's own
    alternatives) and ``message``; formation items add ``mixing`` (the worst period's summary,
    with the ``injectate`` water that was mixed).
    """
    case, tab = net.case, net.table
    trains = {t.name: t for t in case.trains}
    groups: dict[tuple, list[Exclusion]] = {}
    for e in net.exclusions:
        site, train = tab.pairs[e.pair]
        groups.setdefault((e.destination, site, train, e.stream, e.kind, e.key), []).append(e)
    # which (pair, stream, dest, period) have a flow variable: the case's alternatives
    allowed = set(
        zip(
            net.x_pair.tolist(),
            ["product"] * len(net.x_pair),
            net.x_dest.tolist(),
            net.x_t.tolist(),
        )
    )
    allowed |= set(
        zip(
            net.w_pair.tolist(),
            ["residual"] * len(net.w_pair),
            net.w_dest.tolist(),
            net.w_t.tolist(),
        )
    )
    out = []
    for (j, site, train, stream, kind, key), es in groups.items():
        dest = case.destinations[j]
        periods = sorted(e.period + 1 for e in es)
        worst = max(
            es, key=lambda e: e.value / max(e.limit, 1e-12) if math.isfinite(e.value) else math.inf
        )
        alts: list[Message | str] = []
        for i, (s2, t2) in enumerate(tab.pairs):
            if s2 != site or t2 == train:
                continue
            ok = [e.period for e in es if (i, stream, j, e.period) in allowed]
            if len(ok) == len(es):
                if kind == "limit":
                    arr = tab.product if stream == "product" else tab.residual
                    v = max(float(np.nan_to_num(arr[i, p, KEYS.index(key)])) for p in ok)
                    alts.append(
                        Message(
                            "optimise.fix.alt",
                            {"train": t2, "name": named("param", key), "value": v},
                        )
                    )
                else:
                    alts.append(t2)
        item = {
            "destination": dest.name,
            "site": site,
            "train": train,
            "stream": stream,
            "periods": periods,
            "kind": kind,
            "constituent": key,
            "value": _fin(worst.value),
            "values": [_fin(e.value) for e in sorted(es, key=lambda e: e.period)],
            "limit": worst.limit,
            "rule": worst.rule,
        }
        units = trains[train].units if train in trains else ()
        if kind == "limit":
            src = dest.limit_sources.get(key, "")
            status = dest.limit_status.get(key, "?")
            over: dict[str, Any] = {
                "name": named("param", key),
                "value": worst.value,
                "limit": worst.limit,
                "source": src,
            }
            if key == "DO" and dest.kind == "reinjection":
                ox = _oxygenating(units, library)
                why: str | Message = Message(
                    "optimise.exclusion.oxic_opened" if ox else "optimise.exclusion.oxic",
                    {
                        **over,
                        "stream": Message(f"optimise.stream.{stream}"),
                        "units": joined([named("unitid", u) for u in ox]),
                    },
                )
            elif worst.rule == "no dilution":
                why = Message("optimise.exclusion.no_dilution", over)
            else:
                why = Message("optimise.exclusion.per_stream", over)
            fix_units = units_text((key,), library)
        else:
            mx = worst.detail
            src = mx.get("limit_source", "")
            status = _status_of(src)
            minerals = sorted(mx.get("minerals_excess_mg_L", {}).items(), key=lambda kv: -kv[1])
            mtxt = joined(
                [
                    Message(
                        "optimise.exclusion.mineral", {"mineral": named("phase", m), "value": v}
                    )
                    for m, v in minerals
                ]
            ) or Message("optimise.exclusion.no_single_mineral")
            if mx.get("error"):
                why = Message(
                    "optimise.exclusion.mixing_failed",
                    {"formation": repr(mx["formation"]), "error": mx["error"]},
                )
            else:
                why = Message(
                    "optimise.exclusion.mixing_scale",
                    {
                        "formation": repr(mx["formation"]),
                        "temp_C": mx["temperature_C"],
                        "pressure_bar": mx["pressure_bar"],
                        "value": worst.value,
                        "minerals": mtxt,
                        "pct": 100 * mx["fraction_injectate"],
                        "limit": worst.limit,
                        "source": src,
                    },
                )
            conds = [SCALE_CONDITIONS[m] for m, _ in minerals if m in SCALE_CONDITIONS]
            if conds:
                why = Message(
                    "optimise.exclusion.with_conditions",
                    {
                        "text": why,
                        "conditions": joined(
                            [c.message if isinstance(c, Text) else c for c in conds], "semicolon"
                        ),
                    },
                )
            ions = tuple(dict.fromkeys(i for m, _ in minerals for i in MINERAL_IONS.get(m, ())))
            fix_units = units_text(ions, library) if ions else ""
            item["mixing"] = {k: (_fin(v) if isinstance(v, float) else v) for k, v in mx.items()}
        alt = (
            Message("optimise.fix.alternatives", {"trains": joined(alts), "site": site})
            if alts
            else Message("optimise.fix.no_alternative", {"site": site})
        )
        fix = Text(
            Message("optimise.fix.units_and", {"units": fix_units.message, "alt": alt})
            if isinstance(fix_units, Text)
            else alt
        )
        item.update(
            {
                "source": src,
                "status": status,
                "fix": fix,
                "message": Text.of(
                    "optimise.exclusion.message",
                    destination=dest.name,
                    stream=Message(f"optimise.stream.{stream}"),
                    site=site,
                    train=train,
                    span=period_span(periods),
                    why=why,
                    fix=fix.message,
                ),
            }
        )
        add_i18n(item, "message", "fix")
        out.append(item)
    out.sort(key=lambda x: (x["destination"], x["site"], x["train"], x["stream"], x["constituent"]))
    return out


def _fin(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _status_of(source: str) -> str:
    """The status mark carried in a limit's source string ("...; status U)"), else "case"."""
    import re

    m = re.search(r"status (V|S|U|M|NF)\b", source)
    return m.group(1) if m else "case"
