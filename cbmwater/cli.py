"""Command-line face of cbmwater (thin: parse, call the engine, write files).

User mistakes end with a one-line message on stderr and exit status 2 — never a traceback — and
no output file is written (files are written whole, through a temporary name, after all the work
succeeded).
"""

from __future__ import annotations

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


def run() -> None:  # pragma: no cover - console entry
    main(prog_name="cbmwater")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
