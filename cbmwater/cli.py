"""Command-line face of cbmwater (thin: parse, call the engine, write files).

User mistakes end with a one-line message on stderr and exit status 2 — never a traceback — and
no output file is written (files are written whole, through a temporary name, after all the work
succeeded).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .errors import CbmwaterError
from .report import export

FORMATS = ("csv", "json", "xlsx")


def _write_atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".part")
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes owner-only files; results are shared
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _Group(click.Group):
    """Turns CbmwaterError into a short message and exit status 2."""

    def invoke(self, ctx: click.Context):  # noqa: D401
        try:
            return super().invoke(ctx)
        except CbmwaterError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="cbmwater")
def main() -> None:
    """cbmwater: CBM produced water and old-mine acid water engine (Jincheng, Qinshui basin)."""


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (format from --format or the file extension). Default: stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="csv (default), json (array of records) or xlsx (needs --out).")
@click.option("--database", default="phreeqc", show_default=True,
              help="PHREEQC database: phreeqc, pitzer, wateq4f or a path to a .dat file.")
@click.option("--sheet", default=None, help="Excel sheet name (default: the first sheet).")
@click.option("--charge-balance", default=None,
              help="Ion PHREEQC adjusts to balance charge (pH, Na, K, Ca, Mg, Cl, SO4, HCO3). "
                   "Default: no adjustment.")
@click.option("--censored", "censored_policy", type=click.Choice(["half", "zero", "limit"]),
              default="half", show_default=True,
              help="Value used for below-detection cells: half, zero or all of the limit.")
@click.option("--irrigation", is_flag=True, help="Also compute the FAO-29 adjusted SAR.")
@click.option("--pqi", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the PHREEQC input that was run, as a .pqi file PHREEQC runs "
                   "(with --irrigation, also FILE_adjusted_sar.pqi).")
def characterise(input_file: Path, out: Path | None, fmt: str | None, database: str,
                 sheet: str | None, charge_balance: str | None, censored_policy: str,
                 irrigation: bool, pqi: Path | None) -> None:
    """QA and PHREEQC speciation of every sample in INPUT (CSV or Excel lab report).

    One record per sample: pH, temp_C, ionic_strength (mol/kgw), log_pCO2, charge_balance_pct,
    tds_mg_L, hardness and alkalinity (mg/L as CaCO3), sar, water_type, si_<Mineral>, warnings.
    """
    from .study import characterise_file

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in FORMATS else "csv"
    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx needs --out FILE.xlsx")
    result = characterise_file(input_file, sheet=sheet, database=database,
                               charge_balance=charge_balance, censored_policy=censored_policy,
                               irrigation=irrigation)
    records = result.records
    if fmt == "json":
        text = export.records_json(records)
    elif fmt == "csv":
        text = export.records_csv(records, bom=out is not None)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    elif fmt == "xlsx":
        data = export.records_xlsx(records, result.provenance)
        _write_atomic(out, lambda p: p.write_bytes(data))
    else:
        _write_atomic(out, lambda p: p.write_text(text, encoding="utf-8"))
    if pqi is not None:
        _write_atomic(pqi, lambda p: p.write_text(result.pqi(), encoding="utf-8"))
        for name in result.inputs:
            extra = pqi.with_name(f"{pqi.stem}_{name}{pqi.suffix or '.pqi'}")
            _write_atomic(extra, lambda p, n=name: p.write_text(result.pqi(n), encoding="utf-8"))
    flagged = [r for r, f in zip(records["sample_id"], records["qa_flag"]) if f != "ok"]
    if out is not None:
        click.echo(f"{len(records)} samples characterised with {result.provenance['database']}"
                   f" -> {out}" + (f"; QA warnings/flags: {', '.join(flagged)}" if flagged else ""),
                   err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def units(fmt: str) -> None:
    """List the unit-process library (databases/treatment/units.toml)."""
    from .treatment.library import load_library

    lib = load_library()
    if fmt == "json":
        rows = []
        for u in lib:
            rows.append({"id": u.id, "name_en": u.name_en, "name_zh": u.name_zh,
                         "category": u.category, "model": u.model, "residual": u.residual,
                         "recovery": u.recovery, "removal": u.removal,
                         "energy_kWh_m3": u.energy_kWh_m3,
                         "energy_kWh_m3_per_g_L_TDS": u.energy_kWh_m3_per_g_L_TDS,
                         "chemicals": [{"chemical": c.chemical, "dose_mg_L": c.dose_mg_L,
                                        "per_mg_removed": c.per_mg_removed} for c in u.chemicals],
                         "capital": vars(u.capital), "params": u.params, "sources": u.sources})
        click.echo(json.dumps(export.jsonable(rows), ensure_ascii=False, indent=1))
        return
    click.echo(f"{'id':<26}{'model':<20}{'recovery':>9}  {'kWh/m3':>7}  name")
    for u in lib:
        click.echo(f"{u.id:<26}{u.model:<20}{u.recovery:>9.4g}  {u.energy_kWh_m3:>7.3g}  "
                   f"{u.name_en} / {u.name_zh}")


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", "sample_id", required=True, help="sample_id of the water to treat.")
@click.option("--train", "train", required=True,
              help='Unit ids in order, comma-separated, e.g. "coagulation,sedimentation,'
                   'multimedia_filter,ultrafiltration,brackish_ro" (see: cbmwater units).')
@click.option("--flow-m3-d", "flow", type=float, default=1000.0, show_default=True,
              help="Feed flow, m3/d.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the result here instead of stdout.")
@click.option("--database", default="phreeqc", show_default=True,
              help="PHREEQC database for the PHREEQC-backed units.")
@click.option("--sheet", default=None, help="Excel sheet name (default: the first sheet).")
def treat(input_file: Path, sample_id: str, train: str, flow: float, fmt: str, out: Path | None,
          database: str, sheet: str | None) -> None:
    """Simulate and cost a treatment train on one sample of INPUT.

    Output: stages (inlet/outlet flow m3/d and mg/L), product, residuals, recovery,
    energy_kWh_m3, chemicals_kg_d, capex_CNY, opex_CNY_yr, lcow_CNY_m3 (CNY of the price year),
    breakdown and warnings.
    """
    from .study import treat_file

    res = treat_file(input_file, sample_id, train, flow, sheet=sheet, database=database)
    if fmt == "json":
        text = json.dumps(export.jsonable(res), ensure_ascii=False, indent=1)
    else:
        text = _treat_text(res)
    if out is None:
        click.echo(text)
    else:
        _write_atomic(out, lambda p: p.write_text(text + "\n", encoding="utf-8"))


def _treat_text(res: dict) -> str:
    lines = [f"Train {' -> '.join(res['units'])} on {res['sample_id']} "
             f"({res['feed']['flow_m3_d']:g} m3/d)", ""]
    lines.append(f"{'unit':<22}{'in m3/d':>10}{'out m3/d':>10}{'TDS-ions out mg/L':>19}")
    for s in res["stages"]:
        tds = sum(v for k, v in s["outlet"]["concentrations"].items() if k not in ("TSS", "COD"))
        extra = ""
        if s.get("limiting_mineral"):
            extra = f"   recovery limit {s['recovery_limit']:.3f} set by {s['limiting_mineral']}"
        lines.append(f"{s['unit']:<22}{s['inlet']['flow_m3_d']:>10.1f}{s['outlet']['flow_m3_d']:>10.1f}"
                     f"{tds:>19.0f}{extra}")
    lines += ["", f"product {res['product']['flow_m3_d']:.1f} m3/d, recovery {res['recovery']:.3f}, "
              f"energy {res['energy_kWh_m3']:.3f} kWh/m3"]
    for r in res["residuals"]:
        t = f" -> {r['treated_by']}" if r["treated_by"] else ""
        lines.append(f"residual {r['name']}: {r['flow_m3_d']:.2f} m3/d, dry solids "
                     f"{r['dry_kg_d']:.1f} kg/d{t}")
    lines += ["", f"capital {res['capex_CNY']:,.0f} CNY ({res['price_year']}), operating "
              f"{res['opex_CNY_yr']:,.0f} CNY/yr, LCOW {res['lcow_CNY_m3']:.2f} CNY/m3"]
    for w in res["warnings"]:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def run() -> None:  # pragma: no cover - console entry
    main(prog_name="cbmwater")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
