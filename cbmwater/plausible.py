"""Physically plausible ranges of the numbers a case, mine plan or proposal gives (issue 13).

One table, :data:`RANGES`, states per field what a number may be and why:

* the **hard** range: outside it a value is refused (an :class:`~cbmwater.errors.InputError`
  naming the file, the table or row, the field, the value, the range and its reason). It is
  wide: it catches unit slips and nonsense (a flow of 1e12 or 1e-300 m3/d, an Arps qi of 1e300,
  a pipeline cost of 1e308, a discount rate of 5), not unusual cases;
* the **soft** range: a value outside it but inside the hard range is accepted with a warning
  (in the case's ``warnings``, which reach the results), because a real case could need it;
* the unit and a one-line **reason**, with the project's confidence mark: [V] verified against a
  source, [S] from a source not re-checked, [U] our engineering judgement, [M] a model's or a
  method's rule. Most bounds are [U]: they are orders of magnitude, not data.

Loaders read every such number through :func:`check` (``casefile.check_range`` for TOML tables),
so the message has the format of :func:`cbmwater.validation.check_number`. The table is listed
in ``docs/input_limits.md`` ("Plausible ranges per field"; a test checks the two agree;
regenerate it with ``tools/gen_input_docs.py``). Which field uses which entry:
:data:`cbmwater.schema.SCHEMAS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import InputError
from .i18n import Message, Text, message_of
from .validation import allowed_range, located_error, range_bounds

__all__ = ["Plausible", "RANGES", "check", "markdown_table"]


@dataclass(frozen=True)
class Plausible:
    """The plausible range of one kind of field."""

    key: str
    unit: str
    lo: float | None
    hi: float | None
    soft_lo: float | None
    soft_hi: float | None
    reason: str
    #: the hard lower bound is exclusive (``> lo``)
    lo_open: bool = False
    #: exactly 0 is allowed below ``lo`` (a shut-in well, a closed destination)
    zero_ok: bool = False
    integer: bool = False

    def allowed(self) -> str:
        """The hard range in words: ``">= 0 and <= 1e+06"`` (``"0 or >= 0.001 ..."``)."""
        words = allowed_range(self.lo, self.hi, lo_open=self.lo_open, integer=self.integer)
        words = words.removeprefix("a finite number ").removeprefix("a whole number ")
        return ("0 or " if self.zero_ok else "") + words

    def allowed_message(self, kind: bool = False) -> Message:
        """:meth:`allowed` as a message (``kind``: with "a finite/whole number" first)."""
        bounds = range_bounds(self.lo, self.hi, self.lo_open)
        if self.zero_ok:
            bounds = Message("plausible.zero_or", {"bounds": bounds})
        if not kind:
            return Message("range.bare", {"bounds": bounds})
        return Message(f"range.{'whole' if self.integer else 'finite'}_bounded", {"bounds": bounds})

    def unit_message(self) -> Message:
        """The unit as a message (``plausible.unit.<key>``)."""
        return Message(f"plausible.unit.{self.key}")

    def reason_message(self) -> Message:
        """The reason as a message (``plausible.reason.<key>``)."""
        return Message(f"plausible.reason.{self.key}")

    def soft(self) -> str:
        """The soft range in words (``"<= 1e+05"``)."""
        return allowed_range(self.soft_lo, self.soft_hi).removeprefix("a finite number ")

    def inside(self, x: float) -> bool:
        if self.zero_ok and x == 0:
            return True
        if self.lo is not None and (x < self.lo or (self.lo_open and x == self.lo)):
            return False
        return self.hi is None or x <= self.hi

    def usual(self, x: float) -> bool:
        return (self.soft_lo is None or x >= self.soft_lo or (self.zero_ok and x == 0)) and (
            self.soft_hi is None or x <= self.soft_hi
        )


_R = Plausible
RANGES: dict[str, Plausible] = {
    r.key: r
    for r in (
        _R(
            "coordinate_km", "km", -5000, 5000, None, None,
            "a site's x/y on the case's local grid; China spans about 5,200 km, so a larger "
            "coordinate is a unit slip (m for km) [U]",
        ),
        _R(
            "periods", "periods", 1, 200, None, None,
            "planning periods; 200 periods of the longest period (10 yr) is beyond any plan, "
            "and the model grows with their number [U]",
            integer=True,
        ),
        _R(
            "period_years", "yr", 0, 10, None, None,
            "length of one planning period; more than 10 yr would average away the Arps decline "
            "[U]",
            lo_open=True,
        ),
        _R(
            "horizon_yr", "yr", 1, 100, None, 50,
            "plant life or evaluation horizon; water plants are written off over 10-30 yr "
            "(《建设项目经济评价方法与参数》 uses 20-30 yr); beyond 50 yr discounting makes the "
            "tail immaterial [U]",
        ),
        _R(
            "arps_qi_m3_d", "m3/d", 1e-3, 1e4, 0.1, 200,
            "initial water rate of one well; a Qinshui CBM well produces about 0.1-100 m3/d "
            "(the bundled wells 2-40); 1e4 m3/d is a large water-supply well, and below 1 L/d "
            "is no well [U]",
        ),
        _R(
            "arps_Di_per_yr", "1/yr", 0, 50, None, 5,
            "Arps nominal initial decline; CBM water rates fall by 0.1-2 /yr (the bundled wells "
            "0.1-0.8); a steeper decline is possible in the first months of dewatering [U]",
        ),
        _R(
            "arps_b", "-", 0, 2, None, 1,
            "Arps exponent; 0 <= b <= 1 for boundary-dominated flow (Fetkovich 1980), up to 2 "
            "fitted to transient flow in unconventional wells, where EUR is then overstated [S]",
        ),
        _R(
            "well_flow_m3_d", "m3/d", 1e-3, 1e4, None, 200,
            "one well's water rate in a period (production table); 0 is a shut-in well; the "
            "same bounds as arps_qi_m3_d [U]",
            zero_ok=True,
        ),
        _R(
            "flow_m3_d", "m3/d", 1e-3, 1e6, None, 1e5,
            "a discharge or plant flow (a mine point's outflow); the largest CBM water "
            "treatment plants in China treat ~10^4 m3/d and a large old-mine discharge "
            "~10^4-10^5 m3/d; 0 is a dry season [U]",
            zero_ok=True,
        ),
        _R(
            "capacity_m3_d", "m3/d", 1e-3, 1e6, None, 1e5,
            "what a destination takes; a city's reclaimed-water demand is ~10^5 m3/d, a "
            "reuse user's 10^2-10^4 m3/d; 0 is a destination closed in a period [U]",
            zero_ok=True,
        ),
        _R(
            "plant_size_m3_d", "m3/d", 1, 1e6, 10, 1e5,
            "a candidate treatment plant size; packaged CBM water plants start at ~10-50 m3/d, "
            "the largest in China treat ~10^4 m3/d [U]",
        ),
        _R(
            "river_flow_m3_d", "m3/d", 1e-3, 1e9, None, 1e7,
            "a river's background flow; the Qinhe carries ~10^6 m3/d (about 10-40 m3/s), the "
            "Yangtze ~10^9 m3/d; 0 is a dry bed [U]",
            zero_ok=True,
        ),
        _R(
            "price_CNY_m3", "CNY/m3", 0, 1000, None, 50,
            "a water price or disposal fee; Shanxi industrial tariffs are ~3-10 CNY/m3, "
            "reclaimed water 1-4, trucked hazardous-liquid disposal up to ~10^2 [U]",
        ),
        _R(
            "cost_CNY_m3_km", "CNY/(m3 km)", 0, 100, None, 10,
            "transport cost per m3 and km; pipeline ~0.01-0.5, tanker trucking ~0.3-2 "
            "CNY/(m3 km) [U]",
        ),
        _R(
            "capex_CNY", "CNY", 0, 1e12, None, 1e10,
            "a capital cost or budget; a county water programme is 10^6-10^9 CNY, 10^12 is "
            "about a province's annual budget [U]",
        ),
        _R(
            "opex_CNY_yr", "CNY/yr", 0, 1e10, None, 1e9,
            "a yearly operating cost; 10^9 CNY/yr would run a city's water supply [U]",
        ),
        _R(
            "chemical_price_CNY_t", "CNY/t", 0, 1e6, None, 1e5,
            "a chemical's price; lime ~500, NaOH ~3,000, PAC ~2,000, PAM and activated "
            "alumina ~10^4 CNY/t [U]",
        ),
        _R(
            "electricity_CNY_kWh", "CNY/kWh", 0, 20, None, 3,
            "electricity price; Shanxi industrial power is ~0.5-1.0 CNY/kWh, diesel "
            "generation ~2-3 [U]",
        ),
        _R(
            "discount_rate", "1/yr", 0, 0.5, None, 0.2,
            "real discount rate; China's social rate is 8 % (《建设项目经济评价方法与参数》 "
            "3rd ed. 2006) [S]; a rate of 5 means 500 %/yr and is a percent given as a whole "
            "number [U]",
        ),
        _R(
            "temperature_C", "deg C", 0, 150, None, 80,
            "water or formation temperature; Qinshui CBM reservoirs at 300-1500 m are ~20-45 "
            "deg C; the PHREEQC databases' fits are not meant above ~100-150 deg C [U]",
        ),
        _R(
            "pressure_bar", "bar", 0, 1000, None, 300,
            "formation pressure; hydrostatic ~0.1 bar/m, so 300 bar is ~3,000 m and 1,000 bar "
            "~10 km [U]",
            lo_open=True,
        ),
        _R(
            "depth_m", "m", 0, 10000, 50, 3000,
            "depth of an injection formation; Qinshui coal seams lie at ~300-1,500 m, "
            "the deepest wells ~10 km [U]",
            lo_open=True,
        ),
        _R(
            "aquifer_depth_m", "m", 0, 10000, None, None,
            "top or bottom depth of a protected aquifer (0: at the surface) [U]",
        ),
        _R(
            "permeability_um2", "um2", 0, 100, 1e-5, 10,
            "formation air permeability; coal and tight sandstone ~1e-4-1 um2 (0.1 mD-1 D), "
            "SY/T 5329's classes span <=0.01 to >1.5 um2; 100 um2 (100 D) is gravel [U]",
            lo_open=True,
        ),
        _R(
            "injection_m3_d", "m3/d", 0, 1e5, None, 5000,
            "injection volume; one injection well takes ~10-2,000 m3/d [U]",
            lo_open=True,
        ),
        _R(
            "concentration_mg_L", "mg/L", 0, 1e6, None, 3.6e5,
            "a limit or background concentration; 10^6 mg/L is the pure substance, "
            "saturated brine ~3.6e5 mg/L [M]",
        ),
        _R(
            "land_m2", "m2", 0, 1e8, None, 1e6,
            "land available at a point; 10^6 m2 (1 km2) is a large passive system, 10^8 m2 a "
            "county [U]",
        ),
        _R(
            "acid_load_kg_d", "kg/d CaCO3", 0, 1e6, None, 1e4,
            "acid load limit; large old-mine discharges carry ~10^2-10^4 kg/d CaCO3 [U]",
        ),
        # -- analyses (lab files, inline waters of a proposal) ---------------------------------
        _R(
            "analyte_mg_L", "mg/L", 0, 4e5, None, None,
            "a constituent of a lab analysis (Na, K, Ca, Mg, Cl, SO4, HCO3, CO3, Fe, Mn, F, TDS "
            "...) in canonical mg/L; saturated NaCl brine holds ~3.6e5 mg/L, so 4e5 is beyond "
            "any water [M]. Qinshui CBM water has TDS 615-4,376 mg/L (qinshui_standards.md "
            "§1.1) [V], but brines and acid mine drainage lie far above it, so no warning: the "
            "QA checks (charge balance, TDS vs ions) judge the chemistry",
        ),
        _R(
            "pH", "-", 0, 14, None, None,
            "pH of a sample, a limit range or a target; the scale of dilute water [M]; Qinshui "
            "CBM water is ~7.5-8.8 (qinshui_standards.md §1.3) [U], acid mine drainage ~2-4 "
            "[U], so no warning range",
        ),
        _R(
            "ORP_mV", "mV", -1000, 1500, None, None,
            "redox potential as Eh vs SHE; Eh-pH diagrams of water span about -0.8 to +1.3 V "
            "at any pH, so values beyond are not water's [M]",
        ),
        _R(
            "standard_parameter", "mg/L, cells/mL, uS/cm or um", 0, 1e9, None, None,
            "a parameter a standard limits but PHREEQC does not use (DO, oil, SRB, TGB, EC, "
            "particle size; units per cbmwater.standards.table.EXTRA_PARAMETERS); 1e9 is above "
            "any bacterial count per mL or any conductivity in uS/cm [U]",
        ),
        # -- destination limits and economics overrides (network case) -------------------------
        _R(
            "SI_max", "log(IAP/K)", -5, 5, -2, 3,
            "an upper limit on a mineral's saturation index at a destination; reinjection and "
            "antiscalant practice hold calcite/barite SI at ~0-2.5 [U]; beyond +-5 is 10^5-fold "
            "super- or undersaturation, no limit [M]",
        ),
        _R(
            "SAR", "(meq/L)^0.5", 0, 100, None, 30,
            "an upper limit on the sodium adsorption ratio; FAO-29 (Ayers & Westcot 1985) "
            "rates SAR 0-3 no restriction and >9 severe at low EC, its table goes to 40 [S]; "
            "SAR 100 is NaCl brine [U]",
            lo_open=True,
        ),
        _R(
            "utilization", "-", 0.05, 1, 0.5, None,
            "fraction of the year a plant runs at design flow; the project default 0.95 and "
            "WaterTAP's 0.9 (watertap.md §1) [S]; below 0.5 the plant is idle half the year "
            "[U]",
        ),
        _R(
            "labour_CNY_person_yr", "CNY/(person yr)", 0, 1e7, None, 5e5,
            "cost of one operator a year; Shanxi urban non-private wages are ~9e4 CNY/yr, "
            "with overheads ~1.5e5 [U]",
        ),
        _R(
            "sludge_disposal_CNY_t", "CNY/t dry", 0, 1e5, None, 1e4,
            "disposal of a tonne of dry sludge (or of crystallised salt); landfill ~10^2, "
            "hazardous-waste disposal ~2,000-5,000 CNY/t (the shipped salt price 3,600) [U]",
        ),
        _R(
            "route_factor", "-", 1, 5, None, 2,
            "pipeline length over the straight line between two sites; hilly Jincheng "
            "terrain ~1.2-1.5 (the bundled case 1.3) [U]",
        ),
        _R(
            "start_year", "yr", 1, 3000, None, None,
            "the calendar year (or 1) of period 1; a label of the results only [U]",
            integer=True,
        ),
        _R(
            "generate_max_units", "units", 1, 20, None, None,
            "most units in one generated train; the library's precedence rules allow no "
            "sensible train longer than ~10, and the search grows with it [U]",
            integer=True,
        ),
        _R(
            "generate_limit", "trains", 1, 10000, None, None,
            "most generated trains; each is simulated with PHREEQC for every station [U]",
            integer=True,
        ),
        # -- mine plan ------------------------------------------------------------------------
        _R(
            "season_days", "d", 0, 366, None, None,
            "length of a season; the seasons must sum to 365 d (+-1) [M]",
            lo_open=True,
        ),
        _R(
            "flow_factor", "-", 0, 1, None, None,
            "fraction of a point's flow left after a source-control measure (0: stopped, 1: no "
            "effect) [M]",
        ),
        _R(
            "target_pH_active", "-", 6, 11, None, 10,
            "alkali dosing target of an active plant; below 6 Fe(II) and Mn stay dissolved, "
            "above 11 the effluent breaches the discharge limits' pH 6-9 (qinshui_standards.md "
            "§2.3) however long it settles; Mn removal needs ~9.5-10 [U]",
        ),
        # -- reinjection proposal -------------------------------------------------------------
        _R(
            "separation_m", "m", 0, 10000, None, None,
            "least vertical distance between the injection formation and a protected aquifer "
            "the review accepts (default 100 m) [U]",
        ),
        _R(
            "mixing_fractions", "fractions", 3, 101, None, None,
            "number of injectate/formation-water mixing fractions from 0 to 100 % (11 is steps "
            "of 10 %); fewer than 3 has no mixture, more than 101 is finer than 1 % [U]",
            integer=True,
        ),
        _R(
            "uncertainty_factor", "-", 0, 100, 0.1, 10,
            "a factor on a case value drawn in a scenario ([uncertainty] qi_factor, Di_factor, "
            "multipliers, chemicals_factor, capacity_factor; docs/uncertainty.md): 0 closes a "
            "destination, and more than x100 is a unit slip, not uncertainty [U]",
        ),
        _R(
            "uncertainty_sigma", "log units", 0, 3, None, 1.5,
            "sigma of a lognormal (the sd of its logarithm); 3 spans a factor of 20,000 "
            "between its 5 % and 95 % points, beyond any spread of rates, qualities or prices; "
            "above 1.5 (a factor of 140) is unusual [U]",
            lo_open=True,
        ),
        _R(
            "correlation", "-", -1, 1, None, None,
            "a correlation coefficient (Gaussian copula of qi and Di draws; docs/uncertainty.md) "
            "lies in [-1, 1] by definition [M]",
        ),
    )
}  # fmt: skip


def _parse(value: object, text: bool) -> float:
    if text and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return math.nan
    if not isinstance(value, bool) and isinstance(value, (int, float)):
        return float(value)
    return math.nan


def _where(field: str, table: str | None, row: int | None, file: str | None) -> Message:
    if table is not None:
        where = Message("plausible.where.table", {"table": table, "field": repr(field)})
    elif row is not None:
        where = Message("plausible.where.row", {"row": row, "field": repr(field)})
    else:
        where = Message("plausible.where.field", {"field": field})
    return Message("plausible.where.file", {"file": file, "where": where}) if file else where


def check(
    key: str,
    value: object,
    field: str,
    *,
    file: str | None = None,
    table: str | None = None,
    row: int | None = None,
    text: bool = False,
    warnings: list[str] | None = None,
    error: type = InputError,
    shown: object = None,
    note: str = "",
) -> float:
    """``value`` as a float if it lies in the hard range of ``RANGES[key]``.

    Outside the hard range: an error in the format of
    :func:`cbmwater.validation.check_number` that also gives the unit and the reason.
    Outside the soft range (and ``warnings`` given): accepted, with a warning appended.

    ``shown``: the value quoted in the error (default ``value``; a lab file passes the cell as
    typed when ``value`` is the converted number); ``note``: a sentence appended to the error.
    """
    r = RANGES[key]
    x = _parse(value, text)
    bad_kind = not math.isfinite(x) or (r.integer and x != int(x))
    if bad_kind or not r.inside(x):
        kind = "a whole number " if r.integer else "a finite number "
        words = kind + r.allowed() if bad_kind else r.allowed()
        msg = Message(
            "plausible.refused",
            {
                "words": r.allowed_message(kind=bad_kind),
                "unit": r.unit_message(),
                "key": key,
                "reason": r.reason_message(),
            },
        )
        if note:
            msg = Message("plausible.with_note", {"what": msg, "note": message_of(note)})
        raise located_error(
            f"must be {words} ({r.unit}; plausible range of {key}: {r.reason})"
            + (f"; {note}" if note else ""),
            field,
            value if shown is None else shown,
            file=file,
            table=table,
            row=row,
            error=error,
            msg=msg,
        )
    if warnings is not None and not r.usual(x):
        side = "above" if r.soft_hi is not None and x > r.soft_hi else "below"
        warnings.append(
            Text.of(
                f"plausible.warn.{side}",
                where=_where(field, table, row, file),
                x=x,
                unit=r.unit_message(),
                soft=Message("range.bare", {"bounds": range_bounds(r.soft_lo, r.soft_hi)}),
                reason=r.reason_message(),
            )
        )
    return x


def markdown_table() -> str:
    """The table as Markdown, for ``docs/input_limits.md``."""
    lines = [
        "| Key | Unit | Refused unless | Warning unless | Reason |",
        "|---|---|---|---|---|",
    ]
    for r in RANGES.values():
        soft = r.soft() if (r.soft_lo, r.soft_hi) != (None, None) else "(no warning)"
        lines.append(f"| `{r.key}` | {r.unit} | {r.allowed()} | {soft} | {r.reason} |")
    return "\n".join(lines)
