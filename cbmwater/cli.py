"""Command-line face of cbmwater (thin: parse, call the engine, write files).

User mistakes end with a one-line message on stderr and exit status 2 — never a traceback — and
no output file is written (files are written whole, through a temporary name, after all the work
succeeded).
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

if TYPE_CHECKING:  # pragma: no cover
    from .study import ComplianceResult

from . import CbmwaterError, InputError, __version__
from .study import LANGUAGES, Message, localized, render
from .study import outputs as export

FORMATS = ("csv", "json", "xlsx", "parquet")


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` whole (a temporary file in its folder, renamed when complete)."""
    export.write_atomic(path, write)


def _out_file(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Check an output file option before any work (its folders, not a folder, writable)."""
    if value is not None:
        export.check_output(value, param.opts[0])
    return value


def _out_folder(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Check an output folder option before any work (not a file, writable)."""
    if value is not None:
        export.check_output(value, param.opts[0], folder=True)
    return value


def _write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    _write_atomic(path, lambda p: p.write_text(text, encoding=encoding))


class _Group(click.Group):
    """Turns CbmwaterError into a short message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: D401
        try:
            return super().invoke(ctx)
        except CbmwaterError as exc:
            lang = ctx.meta.get(_LANG_KEY, "en")
            lines = [ln.strip() for ln in exc.render(lang).splitlines() if ln.strip()]
            click.echo(render(Message("cli.error", {"text": " | ".join(lines)}), lang), err=True)
            ctx.exit(2)


_LANG_KEY = "cbmwater.lang"
#: ``--lang en|zh`` of the commands that print messages: text output and errors in that language
#: (JSON keeps the codes and the English text).  Read it with ``_lang()``.
_lang_option = click.option(
    "--lang",
    type=click.Choice(sorted(LANGUAGES)),
    default="en",
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, param, value: ctx.meta.__setitem__(_LANG_KEY, value),
    help="Language of text output and error messages (en or zh); JSON stays English + codes.",
)


def _lang() -> str:
    return str(click.get_current_context().meta.get(_LANG_KEY, "en"))


def _review_text(d: dict[str, Any], lang: str) -> str:
    """A review as text in ``lang``: verdict and its reason, conditions, findings with basis."""
    out = [
        render(
            Message("review.verdict_line", {"verdict": Message.from_dict(d["verdict_i18n"])}), lang
        ),
        render(d["verdict_reason_i18n"], lang),
    ]
    for c in render(d["conditions_i18n"], lang):
        out.append(f"  - {c}")
    for f in d["findings"]:
        sev = render(Message(f"review.severity.{f['severity']}"), lang)
        out.append(f"[{sev}] {f['code']}: {render(f['message_i18n'], lang)}")
        out.append(f"      {render(f['basis_i18n'], lang)}")
    return "\n".join(out)


def _check_train_redox(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refuse a bad treatment --redox (fe2 or pe:VALUE) before any file is read."""
    try:
        return export.treatment_redox_label(value)
    except CbmwaterError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _check_redox(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refuse a bad --redox before any file is read (a usage error, exit status 2)."""
    try:
        return export.redox_label(value)
    except CbmwaterError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _report_file(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A --report target: .html or .pdf, checked before any work."""
    if value is not None and Path(value).suffix.lower() not in (".html", ".htm", ".pdf"):
        raise click.BadParameter(f"{value}: the report is .html or .pdf", ctx=ctx, param=param)
    return _out_file(ctx, param, value)


def _write_bytes(path: Path, data: bytes) -> None:
    _write_atomic(path, lambda p: p.write_bytes(data))


#: Parameters of a run command that are not options of the run (outputs, what to print).
_NOT_RUN_OPTIONS = {"out", "fmt", "pqi", "write_lp", "write_mps"}
_workspace_option = click.option(
    "--workspace",
    "workspace",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Workspace file (default: $CBMWATER_WORKSPACE, else ~/.cbmwater/workspace.sqlite).",
)


def _saveable(kind: str, input_kind: str, input_arg: str) -> Callable[[Any], Any]:
    """Add --save, --workspace and --label to a run command; the command calls :func:`_keep`
    with its result when the run has finished."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def command(*args: Any, save: bool, workspace: Path | None, label: str, **kw: Any) -> Any:
            if not save and (workspace is not None or label):
                raise click.UsageError("--workspace and --label go with --save")
            options = {
                k: (str(v) if isinstance(v, Path) else v)
                for k, v in kw.items()
                if k not in _NOT_RUN_OPTIONS and k != input_arg
            }
            click.get_current_context().meta["cbmwater.save"] = (
                (kind, input_kind, kw[input_arg], options, workspace, label) if save else None
            )
            return fn(*args, **kw)

        command = click.option("--label", default="", help="Label of the saved run.")(command)
        command = _workspace_option(command)
        return click.option(
            "--save", is_flag=True, help="Keep the run and its input files in the workspace."
        )(command)

    return deco


def _saving() -> bool:
    return bool(click.get_current_context().meta.get("cbmwater.save"))


def _keep(result: Any, kind: str | None = None) -> None:
    """Save a finished run (with --save) and say where on stderr."""
    spec = click.get_current_context().meta.get("cbmwater.save")
    if not spec:
        return
    from .study.workspace import Workspace, run_inputs

    run_kind, input_kind, path, options, workspace, label = spec
    ws = Workspace(workspace)
    run_id = ws.save_run(
        kind or run_kind,
        result,
        inputs=run_inputs(path, input_kind),
        options=options,
        label=label,
    )
    click.echo(_t("workspace.saved", _lang(), id=run_id, path=ws.path), err=True)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="cbmwater")
def main() -> None:
    """cbmwater: CBM produced water and old-mine acid water engine (Jincheng, Qinshui basin)."""


def _characterise_streamed(
    input_file: Path,
    out: Path,
    fmt: str,
    options: dict[str, Any],
    workers: int | None = None,
    scheduler: str | None = None,
) -> None:
    """``characterise`` of a CSV or Parquet lab file chunk by chunk (see
    :func:`cbmwater.study.water.characterise_chunks`, spread over ``workers`` processes or a
    Dask ``scheduler`` when given): records are appended to a temporary file renamed to ``out``
    at the end, progress goes to stderr as ``[ 37%] 74,000 samples``."""
    from .study.water import characterise_chunks

    lang = _lang()

    def progress(message: str, fraction: float) -> None:
        click.echo(f"[{round(100 * fraction):3d}%] {render(message, lang)}", err=True)

    summary: dict[str, Any] = {"n": 0, "flagged": [], "database": ""}

    # The first chunk is characterised before the output (and its folder) is made, so a bad
    # header or option leaves nothing behind even where the folder did not exist.
    chunks = characterise_chunks(
        input_file, progress=progress, workers=workers, scheduler=scheduler, **options
    )
    head = next(chunks)

    def counted(all_chunks: Iterable[Any]) -> Iterator[Any]:
        for records in all_chunks:
            summary["n"] += len(records)
            summary["database"] = records.attrs["provenance"]["database"]
            summary["flagged"] += [
                r for r, q in zip(records["sample_id"], records["qa_flag"]) if q != "ok"
            ]
            yield records

    def write(path: Path) -> None:
        if fmt == "parquet":
            export.records_parquet(counted(itertools.chain([head], chunks)), path)
            return
        with path.open("w", encoding="utf-8", newline="") as f:
            first = True
            for records in counted(itertools.chain([head], chunks)):
                if fmt == "csv":
                    text = export.records_table(records).to_csv(index=False, header=first)
                    f.write(("\ufeff" + text) if first else text)
                else:
                    body = export.records_json(records)[1:-1].strip("\n")
                    f.write(("[\n" if first else ",\n") + body)
                first = False
            if fmt == "json":
                f.write("\n]")

    _write_atomic(out, write)
    click.echo(_characterised(summary["n"], summary["database"], out, summary["flagged"]), err=True)


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (format from --format or the file extension). Default: stdout.",
    callback=_out_file,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="csv (default), json (array of records), xlsx or parquet (both need --out).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Spread the chunks of a large CSV/Parquet file over this many worker processes "
    "(one PHREEQC each; default: in this process, PHREEQC on every core).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT|local-dask",
    help="Spread the chunks over a Dask cluster (docs/executor.md).",
)
@click.option(
    "--database",
    default="phreeqc",
    show_default=True,
    help="PHREEQC database: phreeqc, pitzer, wateq4f or a path to a .dat file.",
)
@click.option("--sheet", default=None, help="Excel sheet name (default: the first sheet).")
@click.option(
    "--charge-balance",
    default=None,
    help="Ion PHREEQC adjusts to balance charge (pH, Na, K, Ca, Mg, Cl, SO4, HCO3). "
    "Default: no adjustment.",
)
@click.option(
    "--censored",
    "censored_policy",
    type=click.Choice(["half", "zero", "limit"]),
    default="half",
    show_default=True,
    help="Value used for below-detection cells: half, zero or all of the limit.",
)
@click.option("--irrigation", is_flag=True, help="Also compute the FAO-29 adjusted SAR.")
@click.option(
    "--redox",
    default="fe2",
    show_default=True,
    metavar="fe2|pe:VALUE|measured",
    callback=_check_redox,
    help="Redox state of the waters. fe2: total Fe without a redox statement is "
    "Fe(II) (anoxic produced water); pe:VALUE (e.g. pe:4, PHREEQC's default and "
    "the old behaviour): total Fe distributed by that pe; measured: each sample's "
    "Fe2/Fe3 couple, else ORP_mV (Eh vs SHE), else DO. Measured Fe2/Fe3 are "
    "always entered as given; the QA ion balance uses the same Fe valence.",
)
@click.option(
    "--pqi",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the PHREEQC input that was run, as a .pqi file PHREEQC runs "
    "(with --irrigation, also FILE_adjusted_sar.pqi).",
    callback=_out_file,
)
@_lang_option
@_saveable("characterise", "lab", "input_file")
def characterise(
    input_file: Path,
    out: Path | None,
    fmt: str | None,
    database: str,
    sheet: str | None,
    charge_balance: str | None,
    censored_policy: str,
    irrigation: bool,
    redox: str,
    pqi: Path | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """QA and PHREEQC speciation of every sample in INPUT (CSV, Excel or Parquet lab report).

    One record per sample: pH, temp_C, ionic_strength (mol/kgw), log_pCO2, charge_balance_pct,
    tds_mg_L, hardness and alkalinity (mg/L as CaCO3), sar, water_type, redox_basis,
    si_<Mineral>, warnings.
    """
    from .study import characterisation
    from .study.water import STREAM_SUFFIXES

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in FORMATS else "csv"
    if fmt in ("xlsx", "parquet") and out is None:
        raise click.UsageError(f"--format {fmt} needs --out FILE.{fmt}")
    streamable = input_file.suffix.lower() in STREAM_SUFFIXES
    if input_file.suffix.lower() == ".parquet" and (out is None or pqi is not None or _saving()):
        raise click.UsageError(
            "a Parquet lab file is streamed: give --out FILE (.csv, .json or .parquet), "
            "without --pqi or --save"
        )
    if (workers is not None or scheduler is not None) and not (out is not None and streamable):
        raise click.UsageError("--workers and --scheduler need --out and a CSV or Parquet INPUT")
    options: dict[str, Any] = {
        "database": database,
        "charge_balance": charge_balance,
        "censored_policy": censored_policy,
        "irrigation": irrigation,
        "redox": redox,
    }
    if (
        out is not None
        and fmt in ("csv", "json", "parquet")
        and pqi is None
        and streamable
        and not _saving()
    ):
        _characterise_streamed(input_file, out, fmt, options, workers, scheduler)
        return
    result = characterisation(
        input_file,
        sheet=sheet,
        database=database,
        charge_balance=charge_balance,
        censored_policy=censored_policy,
        irrigation=irrigation,
        redox=redox,
    )
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
    elif fmt == "parquet":
        _write_atomic(out, lambda p: export.records_parquet([records], p))
    else:
        _write_text(out, text)
    if pqi is not None:
        _write_text(pqi, result.pqi())
        for name in result.inputs:
            extra = pqi.with_name(f"{pqi.stem}_{name}{pqi.suffix or '.pqi'}")
            _write_text(extra, result.pqi(name))
    _keep(result)
    flagged = [r for r, f in zip(records["sample_id"], records["qa_flag"]) if f != "ok"]
    if out is not None:
        click.echo(
            _characterised(len(records), str(result.provenance["database"]), out, flagged), err=True
        )


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def units(fmt: str) -> None:
    """List the unit-process library (cbmwater/databases/treatment/units.toml)."""
    from .study import unit_library

    rows = unit_library()
    if fmt == "json":
        click.echo(json.dumps(export.jsonable(rows), ensure_ascii=False, indent=1))
        return
    click.echo(f"{'id':<26}{'model':<20}{'recovery':>9}  {'kWh/m3':>7}  name")
    for u in rows:
        click.echo(
            f"{u['id']:<26}{u['model']:<20}{u['recovery']:>9.4g}  "
            f"{u['energy_kWh_m3']:>7.3g}  {u['name_en']} / {u['name_zh']}"
        )


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", "sample_id", required=True, help="sample_id of the water to treat.")
@click.option(
    "--train",
    "train",
    required=True,
    help='Unit ids in order, comma-separated, e.g. "coagulation,sedimentation,'
    'multimedia_filter,ultrafiltration,brackish_ro" (see: cbmwater units).',
)
@click.option(
    "--flow-m3-d", "flow", type=float, default=1000.0, show_default=True, help="Feed flow, m3/d."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result here instead of stdout.",
    callback=_out_file,
)
@click.option(
    "--database",
    default="phreeqc",
    show_default=True,
    help="PHREEQC database for the PHREEQC-backed units.",
)
@click.option("--sheet", default=None, help="Excel sheet name (default: the first sheet).")
@click.option(
    "--redox",
    default="fe2",
    show_default=True,
    metavar="fe2|pe:VALUE",
    callback=_check_train_redox,
    help="Redox state of the water in the PHREEQC-backed units. fe2: total Fe is "
    "Fe(II) (anoxic produced water); pe:VALUE (e.g. pe:4, the old behaviour): "
    "total Fe distributed by that pe. Units that oxidise (aeration) still do.",
)
@_lang_option
@_saveable("treat", "lab", "input_file")
def treat(
    input_file: Path,
    sample_id: str,
    train: str,
    flow: float,
    fmt: str,
    out: Path | None,
    database: str,
    sheet: str | None,
    redox: str,
) -> None:
    """Simulate and cost a treatment train on one sample of INPUT.

    Output: stages (inlet/outlet flow m3/d and mg/L), product, residuals, recovery,
    energy_kWh_m3, chemicals_kg_d, capex_CNY, opex_CNY_yr, lcow_CNY_m3 (CNY of the price year),
    breakdown and warnings.
    """
    from .study import treat as treat_water

    result = treat_water(
        input_file,
        train,
        flow_m3_d=flow,
        sample=sample_id,
        sheet=sheet,
        database=database,
        redox=redox,
    )
    res = result.to_dict()
    text = result.to_json() if fmt == "json" else _treat_text(res, _lang())
    if out is None:
        click.echo(text)
    else:
        _write_text(out, text + "\n")
    _keep(result)


def _characterised(n: int, database: str, out: Path, flagged: list[str]) -> str:
    """The characterise summary line (stderr) in ``--lang``."""
    lang = _lang()
    sep = ", " if lang == "en" else "、"
    line = _t("characterise.done", lang, n=n, database=database, out=out)
    return line + (_t("characterise.flagged", lang, ids=sep.join(flagged)) if flagged else "")


def _t(code: str, lang: str, **params: Any) -> str:
    """A CLI label or line of the ``cli`` catalogue in ``lang``."""
    return str(render(Message(code, params, "cli"), lang))


def _name(prefix: str, key: str, lang: str) -> str:
    """An engine name (``unitid.<id>``, ``phase.<name>``, ``param.<key>``) in ``lang``; the key
    itself in English or when the catalogue has no such name (a name from the user's data)."""
    if lang == "en" or not key:
        return key
    try:
        return str(render(Message(f"{prefix}.{key}"), lang))
    except KeyError:
        return key


#: residual kinds with a name in the ``cli`` catalogue (cbmwater.treatment.library.RESIDUALS)
_RESIDUAL_KINDS = ("brine", "backwash", "sludge", "spent_media", "gas")


def _residual_name(name: str, lang: str) -> str:
    """A residual's name ("brackish_ro brine") in ``lang``: its unit's name and its kind."""
    uid, _, kind = name.rpartition(" ")
    if lang == "en" or kind not in _RESIDUAL_KINDS:
        return name
    kind_name = _t(f"treat.residual_kind.{kind}", lang)
    return _t("treat.residual_name", lang, unit=_name("unitid", uid, lang), kind=kind_name)


def _treat_text(res: dict, lang: str = "en") -> str:
    arrow = " -> "
    lines = [
        _t(
            "treat.header",
            lang,
            units=arrow.join(_name("unitid", u, lang) for u in res["units"]),
            sample=res["sample_id"],
            flow=res["feed"]["flow_m3_d"],
        ),
        "",
    ]
    cols = [_t(f"treat.col.{c}", lang) for c in ("unit", "in", "out", "tds")]
    lines.append(f"{cols[0]:<22}{cols[1]:>10}{cols[2]:>10}{cols[3]:>19}")
    for s in res["stages"]:
        tds = sum(
            v for k, v in s["outlet"]["concentrations"].items() if k not in ("DO", "TSS", "COD")
        )
        extra = ""
        if s.get("limiting_mineral"):
            extra = _t(
                "treat.recovery_limit",
                lang,
                limit=s["recovery_limit"],
                mineral=_name("phase", s["limiting_mineral"], lang),
            )
        lines.append(
            f"{_name('unitid', s['unit'], lang):<22}{s['inlet']['flow_m3_d']:>10.1f}"
            f"{s['outlet']['flow_m3_d']:>10.1f}{tds:>19.0f}{extra}"
        )
    lines += [
        "",
        _t(
            "treat.product",
            lang,
            flow=res["product"]["flow_m3_d"],
            recovery=res["recovery"],
            energy=res["energy_kWh_m3"],
        ),
    ]
    for r in res["residuals"]:
        t = f" -> {_name('unitid', r['treated_by'], lang)}" if r["treated_by"] else ""
        lines.append(
            _t(
                "treat.residual",
                lang,
                name=_residual_name(r["name"], lang),
                flow=r["flow_m3_d"],
                dry=r["dry_kg_d"],
                then=t,
            )
        )
    lines += [
        "",
        _t(
            "treat.cost",
            lang,
            capex=res["capex_CNY"],
            year=res["price_year"],
            opex=res["opex_CNY_yr"],
            lcow=res["lcow_CNY_m3"],
        ),
    ]
    # the warnings in the chosen language (the table above is numbers, ids and units)
    for w in res.get("warnings_i18n") or res["warnings"]:
        lines.append(render(Message("cli.warning", {"text": render(w, lang)}), lang))
    return "\n".join(lines)


COMPLIANCE_FORMATS = ("text", "json", "csv")


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--standard",
    "standard_id",
    required=True,
    help="Standard id, e.g. GB3838-2002, GBT14848-2017, GB8978-1996, GB20426-2006, "
    "GB5084-2021, GB5749-2022, GBT19923-2005, GBT50050-2017, SYT5329, "
    "MEE_coal_mine_water_salt_cap, FAO29 (cbmwater/databases/standards.csv).",
)
@click.option(
    "--class",
    "cls",
    required=True,
    help="Class or use within the standard, e.g. III, dryland, first, "
    "open_cooling_makeup, 'k<=0.01', SAR_20-40_no_reduction.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(COMPLIANCE_FORMATS),
    default=None,
    help="text (default), json (per sample a list of rows) or csv (long table).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result here instead of stdout (format from the extension if "
    "--format is not given).",
    callback=_out_file,
)
@click.option(
    "--sample",
    "sample_ids",
    multiple=True,
    help="Only this sample_id (repeat for several). Default: every sample.",
)
@click.option(
    "--censored",
    "censored_policy",
    type=click.Choice(["half", "zero", "limit"]),
    default="half",
    show_default=True,
    help="Value shown and used in calculations for below-detection cells; the "
    "pass/fail decision always uses the interval 0-DL.",
)
@click.option("--sheet", default=None, help="Excel sheet name (default: the first sheet).")
@click.option(
    "--standards-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Standards table (default: cbmwater/databases/standards.csv).",
)
@_lang_option
@_saveable("compliance", "lab", "input_file")
def compliance(
    input_file: Path,
    standard_id: str,
    cls: str,
    fmt: str | None,
    out: Path | None,
    sample_ids: tuple[str, ...],
    censored_policy: str,
    sheet: str | None,
    standards_file: Path | None,
) -> None:
    """Check every sample of INPUT against one class of one standard.

    Per limit: value (in the limit's unit), min, max, ratio (value/max; min/value for lower
    limits), result (pass, fail, not_measured, inconclusive), verified, status (V/S/U/M) and
    clause. A parameter not measured is never a pass; S/U/M limits are marked unverified.
    """
    from .study import compliance as check

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in COMPLIANCE_FORMATS else "text"
    res = check(
        input_file,
        standard_id,
        cls,
        sample=list(sample_ids) or None,
        censored_policy=censored_policy,
        sheet=sheet,
        standards_file=standards_file,
    )
    if fmt == "json":
        text = res.to_json() + "\n"
    elif fmt == "csv":
        text = res.to_frame("limits").to_csv(index=False)
        if out is not None:
            text = "\ufeff" + text
    else:
        text = _compliance_text(res, _lang())
    _keep(res)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        _write_text(out, text)
        fails = [s["sample_id"] for s in res.samples if s["verdict"] == "fail"]
        lang = _lang()
        line = _t(
            "compliance.written",
            lang,
            n=len(res.samples),
            std=res.standard_id,
            klass=res.klass,
            out=out,
        )
        if fails:
            ids = ("、" if lang == "zh" else ", ").join(fails)
            line += _t("compliance.written_failing", lang, ids=ids)
        click.echo(line, err=True)


def _fmt_num(x: object) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "-"
    return f"{x:.4g}"


_RESULTS = ("pass", "fail", "not_measured", "inconclusive")


def _result(r: str, lang: str) -> str:
    return _t(f"compliance.result.{r}", lang) if r in _RESULTS else r


def _compliance_text(res: ComplianceResult, lang: str = "en") -> str:
    lines = []
    sep = "、" if lang == "zh" else ", "
    for smp in res.samples:
        rows, n = smp["rows"], smp["counts"]
        counts = sep.join(_t(f"compliance.count.{r}", lang, n=n["n_" + r]) for r in _RESULTS)
        failed = sep.join(
            _name("param", r["parameter"], lang) for r in rows if r["result"] == "fail"
        )
        failed = _t("compliance.failed", lang, names=failed) if failed else ""
        head = [_t(f"compliance.col.{c}", lang) for c in ("parameter", "value", "limit")]
        head += [_t(f"compliance.col.{c}", lang) for c in ("ratio", "result", "status", "why")]
        lines += [
            _t(
                "compliance.sample",
                lang,
                sample=smp["sample_id"],
                std=res.standard_id,
                klass=res.klass,
                name=res.standard_name
                if lang == "en"
                else _name("standard", res.standard_id, lang),
            ),
            _t(
                "compliance.verdict",
                lang,
                verdict=_result(smp["verdict"], lang),
                failed=failed,
                counts=counts,
                unverified=n["n_unverified"],
                n=len(rows),
            ),
            f"  {head[0]:<36}{head[1]:>12} {head[2]:<22}{head[3]:>8}  "
            f"{head[4]:<14}{head[5]:<7}{head[6]}",
        ]
        for r in rows:
            if r["min"] == r["min"] and r["max"] == r["max"]:
                lim = f"{r['min']:g}-{r['max']:g}"
            elif r["max"] == r["max"]:
                lim = f"<= {r['max']:g}"
            else:
                lim = f">= {r['min']:g}"
            unit = "" if r["unit"] == "-" else f" {r['unit']}"
            value = (
                ("<" + _fmt_num(r["detection_limit"]))
                if r["censored"] and r["basis"] == "reported"
                else _fmt_num(r["value"])
            )
            texts = (r.get(f"{k}_i18n") or r[k] for k in ("basis", "comment"))
            why = ("；" if lang == "zh" else "; ").join(
                str(x) for x in (render(t, lang) for t in texts) if x
            )
            lines.append(
                f"  {_name('param', r['parameter'], lang):<36}{value:>12} {lim + unit:<22}"
                f"{_fmt_num(r['ratio']):>8}  {_result(r['result'], lang):<14}{r['status']:<7}{why}"
            )
        lines.append("")
    lines.append(_t("compliance.legend", lang))
    return "\n".join(lines) + "\n"


#: ``--allow-outside`` of the commands that read a case or proposal and the files it names.
_allow_outside = click.option(
    "--allow-outside",
    "allow_outside",
    is_flag=True,
    default=False,
    help="Let the case/proposal name files outside its own folder (an absolute path, a '..' "
    "part or a symlink). Off by default so a case folder is self-contained and a case cannot "
    "read (and quote in its messages) other files of the machine; use it only for a case "
    "you trust. The app never allows it.",
)


def _solver_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--solver`` and ``--time-limit`` of the commands that solve the network model."""
    command = click.option(
        "--time-limit",
        "time_limit",
        type=click.FloatRange(min=0.1),
        default=60.0,
        show_default=True,
        help="Seconds per solve (each MILP, and each scenario's LP).",
    )(command)
    return click.option(
        "--solver",
        default="highs",
        show_default=True,
        help="HiGHS (bundled) or any Pyomo solver name (cbc, glpk, gurobi...).",
    )(command)


@main.command()
@click.argument("proposal", metavar="PROPOSAL", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "html", "pdf", "text"]),
    default=None,
    help="json (verdict, findings, mixing, inputs_hash, versions; default), the report as "
    "html or pdf in --lang (pdf needs --out; default from its suffix .html/.pdf), or text "
    "(verdict, conditions and findings in --lang).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the review here instead of stdout.",
    callback=_out_file,
)
@click.option(
    "--pqi",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the PHREEQC mixing input that was run, as a .pqi file.",
    callback=_out_file,
)
@_allow_outside
@_lang_option
@_saveable("review", "proposal", "proposal")
def review(
    proposal: Path, fmt: str, out: Path | None, pqi: Path | None, allow_outside: bool
) -> None:
    """Review a reinjection PROPOSAL (TOML): standard, compatibility, isolation, verdict."""
    from .study import review as review_proposal
    from .study import review_report

    suffix = "" if out is None else out.suffix.lower()
    if fmt is None:
        fmt = {".html": "html", ".htm": "html", ".pdf": "pdf"}.get(suffix, "json")
    if fmt == "pdf" and out is None:
        raise click.UsageError("--format pdf needs --out FILE.pdf")
    res = review_proposal(proposal, allow_outside=allow_outside)
    lang = _lang()
    if fmt in ("json", "text"):
        text = res.to_json() if fmt == "json" else _review_text(res.to_dict(), lang)
        if out is None:
            click.echo(text)
        else:
            _write_text(out, text + "\n")
    elif out is None:
        click.echo(review_report(res, lang=lang, fmt=fmt).decode("utf-8"))
    else:
        _write_bytes(out, review_report(res, lang=lang, fmt=fmt))
    if pqi is not None:
        _write_text(pqi, res.pqi)
    _keep(res)


@main.command()
@click.argument("case_file", metavar="CASE.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for results.json and CSV tables (flows, destinations, builds, costs...).",
    callback=_out_folder,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@click.option(
    "--objective",
    type=click.Choice(["cost", "reuse", "salt"]),
    default="cost",
    show_default=True,
    help="cost: least NPV; reuse: most reuse under the budget; "
    "salt: least salt to the environment.",
)
@click.option(
    "--pareto",
    "pareto",
    default=None,
    metavar="cost,reuse",
    help="Epsilon-constraint front of two objectives (only cost,reuse).",
)
@click.option(
    "--points",
    default=5,
    show_default=True,
    type=click.IntRange(2, 50),
    help="Points of the Pareto front.",
)
@click.option(
    "--budget",
    "budget",
    type=float,
    default=None,
    help="NPV budget, CNY (for --objective reuse/salt; default: the case's).",
)
@_solver_options
@click.option(
    "--mip-gap",
    "mip_gap",
    type=click.FloatRange(0, 1),
    default=0.005,
    show_default=True,
    help="Relative MIP gap (0.005 = 0.5 %).",
)
@click.option(
    "--max-iterations",
    "max_iterations",
    type=click.IntRange(1, 100),
    default=8,
    show_default=True,
    help="Most solves of the PHREEQC cut / hub mixing loop.",
)
@click.option(
    "--write-lp",
    "write_lp",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the model as an LP file.",
    callback=_out_file,
)
@click.option(
    "--write-mps",
    "write_mps",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the model as an MPS file.",
    callback=_out_file,
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the plan report (KPIs, builds, flows, costs, binding limits) as .html or .pdf.",
    callback=_report_file,
)
@click.option(
    "--workbook",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the plan's tables as a formatted Excel workbook (.xlsx).",
    callback=_out_file,
)
@click.option(
    "--no-staging",
    "no_staging",
    is_flag=True,
    default=False,
    help="Build every plant in period 1 (no staged expansion in later periods).",
)
@click.option(
    "--stochastic",
    is_flag=True,
    default=False,
    help="Two-stage stochastic plan over --samples scenarios of the case's [uncertainty]: "
    "builds once for all, flows per scenario; adds scenarios, vss_CNY and evpi_CNY.",
)
@click.option(
    "--samples",
    type=click.IntRange(1, 1000),
    default=None,
    help="Scenarios of the stochastic plan (with --stochastic).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed of the scenarios (with --stochastic).",
)
@click.option(
    "--method",
    type=click.Choice(["extensive", "ph"]),
    default="extensive",
    show_default=True,
    help="Stochastic plan: extensive form, or progressive hedging for many scenarios.",
)
@_allow_outside
@_lang_option
@_saveable("optimise", "case", "case_file")
def optimise(
    case_file: Path,
    out: Path | None,
    fmt: str,
    objective: str,
    pareto: str | None,
    points: int,
    budget: float | None,
    solver: str,
    time_limit: float,
    mip_gap: float,
    max_iterations: int,
    write_lp: str | None,
    write_mps: str | None,
    report: Path | None,
    workbook: Path | None,
    no_staging: bool,
    stochastic: bool,
    samples: int | None,
    seed: int | None,
    method: str,
    allow_outside: bool,
) -> None:
    """Choose trains and split the water of CASE.toml among its destinations over its life."""
    from .study import NetworkPlan, pareto_front, plan_report, plan_workbook, stochastic_plan
    from .study import optimise as optimise_case

    lang = _lang()

    def progress(msg: str, frac: float) -> None:
        if fmt == "text":
            click.echo(f"[{100 * frac:3.0f}%] {render(msg, lang)}", err=True)

    if pareto is not None:
        if [p.strip() for p in pareto.split(",")] != ["cost", "reuse"]:
            raise InputError(f"--pareto {pareto!r}: only 'cost,reuse' is available")
        front = [
            p.to_dict()
            for p in pareto_front(
                case_file,
                points=points,
                solver=solver,
                time_limit_s=time_limit,
                mip_gap=mip_gap,
                progress=progress,
                allow_outside=allow_outside,
            )
        ]
        text = json.dumps(export.jsonable(front), ensure_ascii=False, indent=1)
        _keep({"points": front}, kind="pareto")
        if out is not None:
            _write_text(out / "pareto.json", text + "\n")
        if fmt == "json":
            click.echo(text)
        else:
            for pt in front:
                share = pt["reuse_share"]
                cost = pt["objective_CNY"]
                click.echo(
                    f"reuse {'n/a' if share is None else f'{100 * share:5.1f} %'}  NPV "
                    f"{'n/a' if cost is None else f'{cost / 1e6:10.2f}'} million CNY  "
                    f"{pt['status']}"
                )
        return
    plan: NetworkPlan
    if stochastic:
        if samples is None or seed is None:
            raise InputError("--stochastic needs --samples N and --seed S")
        if objective != "cost" or write_lp or write_mps:
            raise InputError(
                "--stochastic minimises the expected NPV cost; --objective reuse/salt, "
                "--write-lp and --write-mps are for a deterministic plan"
            )
        plan = stochastic_plan(
            case_file,
            samples=samples,
            seed=seed,
            method=method,
            staging=not no_staging,
            solver=solver,
            time_limit_s=time_limit,
            mip_gap=mip_gap,
            max_iterations=max_iterations,
            progress=progress,
            allow_outside=allow_outside,
        )
    else:
        if samples is not None or seed is not None:
            raise InputError("--samples and --seed go with --stochastic")
        plan = optimise_case(
            case_file,
            objective=objective,
            solver=solver,
            time_limit_s=time_limit,
            mip_gap=mip_gap,
            max_iterations=max_iterations,
            budget_CNY=budget,
            write_lp=write_lp,
            write_mps=write_mps,
            progress=progress,
            allow_outside=allow_outside,
            staging=not no_staging,
        )
    text = plan.to_json()
    if out is not None:
        _write_text(out / "results.json", text + "\n")
        for name, df in plan.all_tables().items():
            _write_text(out / f"{name}.csv", df.to_csv(index=False), encoding="utf-8-sig")
    if report is not None:
        kind = "pdf" if report.suffix.lower() == ".pdf" else "html"
        _write_bytes(report, plan_report(plan, lang=_lang(), fmt=kind))
    if workbook is not None:
        _write_bytes(workbook, plan_workbook(plan, lang=_lang()))
    click.echo(text if fmt == "json" else plan.summary_text(_lang()))
    _keep(plan)
    if plan.status in ("infeasible", "no_solution", "error", "unbounded"):
        sys.exit(1)


#: codes of the "scenario N of M" progress of uncertainty and sensitivity (drawn as a bar)
_SCENARIO_PROGRESS = ("uncertainty.progress.scenario", "sensitivity.progress.scenario")


@main.command()
@click.argument("case_file", metavar="CASE.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--samples", type=click.IntRange(1, 100000), required=True, help="Scenarios to draw.")
@click.option("--seed", type=click.IntRange(min=0), required=True, help="Seed of the run.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: every core).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS|local-dask",
    help="Run the scenarios on Dask: tcp://host:port, or local-dask for a LocalCluster "
    "(default: a local process pool; docs/executor.md).",
)
@click.option(
    "--sensitivity",
    is_flag=True,
    help="Sobol indices of NPV and reuse share to the uncertain inputs instead of Monte Carlo "
    "statistics: --samples is then the base sample count N (a power of 2), and "
    "N x (factors + 2) scenarios are solved (docs/uncertainty.md, Sensitivity).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for uncertainty.json, scenarios.csv and summary.csv (with --sensitivity: "
    "sensitivity.json, indices.csv, evaluations.csv, tornado.html and tornado_OUTPUT.svg).",
    callback=_out_folder,
)
@_solver_options
@_allow_outside
@_lang_option
@_saveable("uncertainty", "case", "case_file")
def uncertainty(
    case_file: Path,
    samples: int,
    seed: int,
    workers: int | None,
    scheduler: str | None,
    sensitivity: bool,
    fmt: str,
    out: Path | None,
    solver: str,
    time_limit: float,
    allow_outside: bool,
) -> None:
    """Evaluate the least-cost plan of CASE.toml under sampled scenarios of its [uncertainty]
    (builds fixed, flows re-optimised per scenario; docs/uncertainty.md); with --sensitivity,
    the Sobol indices of its NPV and reuse share to the uncertain inputs."""
    from .study.sensitivity import sensitivity as run_sensitivity
    from .study.uncertainty import uncertainty as run_uncertainty

    err = sys.stderr
    bar: Any = None
    last = [0]

    lang = _lang()

    def progress(msg: str, frac: float) -> None:
        nonlocal bar
        m = getattr(msg, "message", None)  # the engine's progress is a Text with its code
        if m is not None and m.code in _SCENARIO_PROGRESS:
            if bar is None:
                bar = click.progressbar(
                    length=int(m.params["total"]),
                    label=_t("uncertainty.bar", lang),
                    file=err,
                    show_pos=True,
                    show_eta=True,
                )
                bar.__enter__()
            done = int(m.params["done"])
            bar.update(done - last[0])
            last[0] = done
        else:
            click.echo(f"[{100 * frac:3.0f}%] {render(msg, lang)}", err=True)

    run: Callable[..., Any] = run_uncertainty
    if sensitivity:
        run = functools.partial(run_sensitivity, base_samples=samples)
    else:
        run = functools.partial(run_uncertainty, samples=samples)
    try:
        res = run(
            case_file,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
            solver=solver,
            time_limit_s=time_limit,
            allow_outside=allow_outside,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    text = res.to_json()
    if out is not None:
        kind = "sensitivity" if sensitivity else "uncertainty"
        _write_text(out / f"{kind}.json", text + "\n")
        for name in res.tables():
            _write_text(
                out / f"{name}.csv", res.to_frame(name).to_csv(index=False), encoding="utf-8-sig"
            )
        if sensitivity:
            _sensitivity_figures(res, out)
    if res.timings:
        click.echo(_t("uncertainty.took", lang, seconds=res.timings["scenarios_s"]), err=True)
    click.echo(text if fmt == "json" else res.summary_text(_lang()))
    _keep(res, "sensitivity" if sensitivity else None)


def _sensitivity_figures(res: Any, out: Path) -> None:
    """tornado.html (needs plotly, cbmwater[app]) and one tornado_OUTPUT.svg per output."""
    import importlib.util

    for output in res.outputs:
        _write_bytes(out / f"tornado_{output}.svg", export.tornado_svg(res, output, _lang()))
    if importlib.util.find_spec("plotly") is None:
        click.echo("tornado.html needs plotly: pip install 'cbmwater[app]'", err=True)
        return
    _write_text(out / "tornado.html", export.tornado_html(res, _lang()))


@main.group()
def minewater() -> None:
    """Old-mine acid water (老窑水): acidity, neutralisation, passive sizing, plans."""


@minewater.command("acidity")
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--fe-policy",
    type=click.Choice(["ferrous", "ferric"]),
    default="ferrous",
    show_default=True,
    help="How total Fe splits when Fe2/Fe3 are not given.",
)
@click.option(
    "--missing-alkalinity",
    type=click.Choice(["error", "zero"]),
    default="error",
    show_default=True,
    help="A sample at pH >= 4.5 without alkalinity: refuse, or "
    "count alkalinity as 0 (with a note).",
)
@click.option(
    "--flow-m3-d",
    "flow",
    type=click.FloatRange(min=0),
    default=None,
    help="Flow of every sample, m3/d, for the acid load (kg CaCO3/d).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_out_file,
)
@_lang_option
def minewater_acidity(
    input_file: Path,
    fmt: str,
    fe_policy: str,
    missing_alkalinity: str,
    flow: float | None,
    out: Path | None,
) -> None:
    """Calculated acidity (Kirby & Cravotta 2005), net acidity and acid load of every sample."""
    from .study import acidity

    rep = acidity(
        input_file, flows_m3_d=flow, fe_policy=fe_policy, missing_alkalinity=missing_alkalinity
    )
    d = cast(dict[str, Any], export.jsonable(rep.to_dict()))
    if fmt == "json":
        text = json.dumps(d, ensure_ascii=False, indent=1)
    else:
        cols = [
            c
            for c in (
                "acidity_calc_mg_L_CaCO3",
                "alkalinity_mg_L_CaCO3",
                "net_acidity_mg_L_CaCO3",
                "acid_load_kg_d",
            )
            if c in rep.table
        ]
        lang = _lang()
        table = rep.table[cols].round(2)
        if lang != "en":
            table = table.rename(columns={c: _t(f"minewater.acidity.col.{c}", lang) for c in cols})
            table.index.name = _t("minewater.acidity.col.sample_id", lang)
        text = (
            _t("minewater.acidity.header", lang)
            + "\n"
            + table.to_string()
            + "".join(
                "\n" + _t("minewater.warning", lang, text=w)
                for w in render(d.get("warnings_i18n") or d.get("warnings", []), lang)
            )
        )
    if out is None:
        click.echo(text)
    else:
        _write_text(out, text + "\n")


@minewater.command("neutralise")
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", "sample", required=True, help="sample_id of the water to treat.")
@click.option(
    "--reagent", required=True, type=click.Choice(["NaOH", "Ca(OH)2", "CaO", "CaCO3", "Na2CO3"])
)
@click.option("--target-pH", "target_ph", required=True, type=click.FloatRange(2, 13))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--co2",
    type=click.Choice(["closed", "degassed", "open"]),
    default="closed",
    show_default=True,
    help="CO2 exchange: none, stripped to air before dosing, or "
    "in equilibrium with air throughout.",
)
@click.option(
    "--fe-oxidised-fraction",
    type=click.FloatRange(0, 1),
    default=1.0,
    show_default=True,
    help="Fraction of Fe(II) oxidised by aeration before dosing.",
)
@click.option(
    "--fe-policy", type=click.Choice(["ferrous", "ferric"]), default="ferrous", show_default=True
)
@click.option(
    "--flow-m3-d",
    "flow",
    type=click.FloatRange(min=0),
    default=None,
    help="Flow, m3/d, for daily reagent and sludge quantities.",
)
@click.option(
    "--pqi",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the PHREEQC input of the titration.",
    callback=_out_file,
)
@_lang_option
def minewater_neutralise(
    input_file: Path,
    sample: str,
    reagent: str,
    target_ph: float,
    fmt: str,
    co2: str,
    fe_oxidised_fraction: float,
    fe_policy: str,
    flow: float | None,
    pqi: Path | None,
) -> None:
    """Dose of a reagent to a target pH by PHREEQC titration, with curve, effluent and sludge."""
    from .study import neutralise

    res = neutralise(
        input_file,
        reagent,
        target_ph,
        sample=sample,
        co2=co2,
        fe_oxidised_fraction=fe_oxidised_fraction,
        fe_policy=fe_policy,
        flow_m3_d=flow,
    )
    d = cast(dict[str, Any], export.jsonable(res.to_dict()))
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=1))
    else:
        lang = _lang()
        eff = d["effluent"]
        click.echo(
            _t(
                "minewater.neut.line",
                lang,
                sample=sample,
                reagent=reagent,
                target=target_ph,
                mmol=d["dose_mmol_L"],
                mg=d["dose_mg_L"],
                sludge=d["sludge_dry_mg_L"],
            )
        )
        click.echo(
            _t(
                "minewater.neut.effluent",
                lang,
                items=", ".join(
                    f"{k} {eff[k]:.3g}"
                    for k in ("pH", "Fe", "Al", "Mn", "SO4", "Ca")
                    if eff.get(k) is not None
                ),
            )
        )
        for name, v in d["sludge_volumes"].items():
            click.echo(
                _t(
                    "minewater.neut.sludge",
                    lang,
                    name=name,
                    pct=100 * v["solids_fraction"],
                    volume=v["volume_L_per_m3"],
                )
            )
    if pqi is not None:
        _write_text(pqi, d["phreeqc_input"])


@minewater.command("size")
@click.option(
    "--option",
    "option",
    required=True,
    type=click.Choice(
        [
            "ald",
            "vfp",
            "limestone_bed",
            "wetland",
            "mn_bed",
            "bioreactor",
            "settling_pond",
            "caustic",
            "hydrated_lime",
            "quicklime",
            "lime_slurry",
        ]
    ),
)
@click.option("--flow-m3-d", "flow", required=True, type=float, help="Design flow, m3/d.")
@click.option("--net-acidity", type=float, default=None, help="Net acidity, mg/L as CaCO3.")
@click.option("--fe-mg-L", "fe", type=float, default=None, help="Dissolved Fe, mg/L.")
@click.option("--mn-mg-L", "mn", type=float, default=None, help="Dissolved Mn, mg/L.")
@click.option("--retention-h", type=float, default=None, help="Retention time, h.")
@click.option("--life-yr", type=float, default=None, help="Design life, yr.")
@click.option(
    "--method",
    default=None,
    help="Sizing method of the option (e.g. retention_time, "
    "bureau_of_mines, alkalinity_generation, removal_rates, kinetics).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_lang_option
def minewater_size(
    option: str,
    flow: float,
    net_acidity: float | None,
    fe: float | None,
    mn: float | None,
    retention_h: float | None,
    life_yr: float | None,
    method: str | None,
    fmt: str,
) -> None:
    """Size and cost a passive or active option by AMDTreat 6's rules, in SI units and CNY."""
    from .study import size_option

    kw = {} if method is None else {"method": method}
    res = size_option(
        option,
        flow,
        net_acidity=net_acidity,
        fe_mg_L=fe,
        mn_mg_L=mn,
        retention_h=retention_h,
        life_yr=life_yr,
        **kw,
    )
    d = cast(dict[str, Any], export.jsonable(res.to_dict()))
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=1))
        return
    lang = _lang()
    method = render(d.get("method_i18n"), lang) if d.get("method_i18n") else d.get("method")
    click.echo(
        _t(
            "minewater.size.head",
            lang,
            option=_name("minewater.option", option, lang),
            method=method,
            flow=flow,
        )
    )
    for k in ("area_m2", "land_m2", "volume_m3", "limestone_t"):
        if d.get(k) is not None:
            click.echo("  " + _t(f"minewater.size.{k.split('_')[0]}", lang, v=d[k]))
    click.echo(
        "  "
        + _t(
            "minewater.size.cost",
            lang,
            capex=d["capex_CNY"],
            year=d["price_year"],
            opex=d["opex_CNY_yr"],
        )
    )
    for w in render(d.get("warnings_i18n") or d.get("warnings", []), lang):
        click.echo("  " + _t("minewater.warning", lang, text=w))


@minewater.command("plan")
@click.argument("case_file", metavar="CASE.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--budget", type=float, default=None, help="Capital budget, CNY (default: the case's)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the plan as JSON to this file.",
    callback=_out_file,
)
@_allow_outside
@_lang_option
@_saveable("minewater_plan", "mineplan", "case_file")
def minewater_plan(
    case_file: Path, fmt: str, budget: float | None, out: Path | None, allow_outside: bool
) -> None:
    """Source control + treatment + destination for every discharge point, least NPV."""
    from .study import load_mine_case
    from .study import minewater_plan as plan_mine

    lang = _lang()

    def progress(msg: str, frac: float) -> None:
        if fmt == "text":
            click.echo(f"[{100 * frac:3.0f}%] {render(msg, lang)}", err=True)

    case = load_mine_case(case_file, allow_outside=allow_outside)
    res = plan_mine(case, budget_CNY=budget, progress=progress).to_dict()
    text = json.dumps(export.jsonable(res), ensure_ascii=False, indent=1)
    if out is not None:
        _write_text(out, text + "\n")
    _keep(res)
    if fmt == "json":
        click.echo(text)
    else:
        click.echo(_mine_plan_text(res, case, lang))
    if res["status"] == "infeasible":
        sys.exit(1)


def _mine_plan_text(res: dict[str, Any], case: Any, lang: str) -> str:
    """A mine-water plan as text in ``lang`` (names from the case as written, or their
    ``name_zh`` in Chinese)."""
    seasons = {s.name: localized(s, "name", lang) for s in case.seasons}
    status = str(res["status"])
    out = [
        _t(
            "minewater.plan.status_line",
            lang,
            case=localized(case, "name", lang),
            status=_t(f"minewater.plan.status.{status}", lang)
            if status in _PLAN_STATUSES
            else status,
        )
    ]
    if res.get("infeasibility"):
        inf = res["infeasibility"]
        for line in render(inf.get("summary_i18n") or inf["summary"], lang):
            out.append("  - " + line)
        return "\n".join(out)
    out.append(
        _t(
            "minewater.plan.npv_line",
            lang,
            npv=res["npv_CNY"] / 1e6,
            horizon=res["horizon_yr"],
            capex=res["capex_CNY"] / 1e6,
        )
    )
    for c in res["choices"]:
        steps = " + ".join(render(c.get("steps_i18n") or c["steps"], lang))
        control = c["source_control"]
        out.append(
            "  "
            + _t(
                "minewater.plan.choice",
                lang,
                point=c["point"],
                control=_t("minewater.plan.no_control", lang) if control == "none" else control,
                steps=steps or _name("minewater.option", c["system"], lang),
                destination=c["destination"],
                npv=c["npv_CNY"] / 1e6,
            )
        )
    for r in res["river"]:
        out.append(
            "  "
            + _t(
                "minewater.plan.river",
                lang,
                destination=r["destination"],
                season=seasons.get(r["season"], r["season"]),
                constituent=_name("param", r["constituent"], lang),
                mixed=r["mixed_mg_L"],
                limit=r["limit_mg_L"],
            )
        )
    return "\n".join(out)


#: plan statuses with a name in the ``cli`` catalogue
_PLAN_STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@main.group("workspace")
def workspace_group() -> None:
    """Saved runs (--save): list, show, export, relabel, delete."""


_ws_format = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
_run_id = click.argument("run_id", metavar="ID", type=int)


def _workspace(path: Path | None) -> Any:
    from .study.workspace import Workspace

    return Workspace(path, create=False)


def _ws_label(group: str, key: str, lang: str) -> str:
    """A workspace word of the ``cli`` catalogue (``workspace.<group>.<key>``: a run kind, a
    key figure's name, a status, an input kind) in ``lang``; the key itself in English (the
    words the workspace stores) or when the catalogue has no such word."""
    if lang == "en" or not key:
        return key
    try:
        return _t(f"workspace.{group}.{key}", lang)
    except KeyError:
        return key


#: key figures whose value is a word of the workspace's own (a status, a verdict)
_FIGURE_WORDS = {"status": "status", "verdict": "verdict"}


def _figures_text(figures: dict[str, Any], kind: str = "", lang: str = "en") -> str:
    """A run's key figures as ``name value, ...`` (names and status words in ``lang``)."""

    def num(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:.4g}"
        return str(v)

    def name(k: str) -> str:
        own = _ws_label("figure", f"{kind}.{k}", lang)  # a name of this kind's own
        return own if own != f"{kind}.{k}" else _ws_label("figure", k, lang)

    def value(k: str, v: Any) -> str:
        if k in _FIGURE_WORDS and isinstance(v, str):
            return _ws_label(_FIGURE_WORDS[k], v, lang)
        return num(v)

    pairs = [
        _t("workspace.figure_pair", lang, name=name(k), value=value(k, v))
        for k, v in figures.items()
        if v is not None
    ]
    return _t("workspace.figure_sep", lang).join(pairs)


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns (a Chinese character takes two)."""
    import unicodedata

    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - cols, 0)


@workspace_group.command("list")
@_workspace_option
@_ws_format
@click.option("--kind", default=None, help="Only runs of this kind (treat, optimise ...).")
@_lang_option
def workspace_list(workspace: Path | None, fmt: str, kind: str | None) -> None:
    """The saved runs, newest first, with their key figures."""
    lang = _lang()
    ws = _workspace(workspace)
    runs = ws.runs(kind)
    if fmt == "json":
        rows = [dict(vars(r), created=r.created.isoformat()) for r in runs]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not runs:
        click.echo(_t("workspace.list.empty", lang, path=ws.path), err=True)
    for r in runs:
        click.echo(
            _t(
                "workspace.list.row",
                lang,
                id=f"{r.id:>5}",
                created=f"{r.created:%Y-%m-%d %H:%M}",
                kind=_pad(_ws_label("kind", r.kind, lang), 15),
                label=r.label or "-",
                figures=_figures_text(r.key_figures, r.kind, lang),
            )
        )


@workspace_group.command("show")
@_run_id
@_workspace_option
@_ws_format
@_lang_option
def workspace_show(run_id: int, workspace: Path | None, fmt: str) -> None:
    """Everything saved about run ID (text: without the result; json: all of it)."""
    lang = _lang()
    rec = _workspace(workspace).run(run_id)
    if fmt == "json":
        click.echo(json.dumps(rec.to_dict(), ensure_ascii=False, indent=1))
        return
    kind = _ws_label("kind", rec.kind, lang)
    created = f"{rec.created:%Y-%m-%d %H:%M:%S}"
    click.echo(
        _t("workspace.show.run", lang, id=rec.id, kind=kind, label=repr(rec.label), created=created)
    )
    status = _ws_label("status", rec.status, lang)
    click.echo(_t("workspace.show.status", lang, status=status, version=rec.engine_version))
    figures = _figures_text(rec.key_figures, rec.kind, lang)
    click.echo(_t("workspace.show.figures", lang, figures=figures))
    options = json.dumps(rec.options, ensure_ascii=False)
    click.echo(_t("workspace.show.options", lang, options=options))
    for i in rec.inputs:
        click.echo(
            _t(
                "workspace.show.input",
                lang,
                name=i.name,
                kind=_ws_label("input_kind", i.kind, lang),
                size=i.size,
                sha256=i.sha256,
            )
        )
    click.echo(_t("workspace.show.result", lang, n=len(rec.result)))


@workspace_group.command("export")
@_run_id
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_out_file,
    help="The zip to write (run.json and inputs/).",
)
@_workspace_option
@_lang_option
def workspace_export(run_id: int, out: Path, workspace: Path | None) -> None:
    """Write run ID as a zip: run.json and its input files (a case re-runs from it)."""
    data = _workspace(workspace).export(run_id)
    _write_atomic(out, lambda p: p.write_bytes(data))
    click.echo(_t("workspace.exported", _lang(), id=run_id, out=out), err=True)


@workspace_group.command("relabel")
@_run_id
@click.argument("label")
@_workspace_option
@_lang_option
def workspace_relabel(run_id: int, label: str, workspace: Path | None) -> None:
    """Give run ID the label LABEL."""
    _workspace(workspace).relabel(run_id, label)
    click.echo(_t("workspace.relabelled", _lang(), id=run_id), err=True)


@workspace_group.command("delete")
@_run_id
@_workspace_option
@_lang_option
def workspace_delete(run_id: int, workspace: Path | None) -> None:
    """Delete run ID (and those of its inputs no other run uses)."""
    _workspace(workspace).delete(run_id)
    click.echo(_t("workspace.deleted", _lang(), id=run_id), err=True)


def app_command(port: int) -> list[str]:
    """The command that serves the Streamlit app: the package's navigation entry
    (``cbmwater/app/streamlit_app.py``) with the options of its ``.streamlit/config.toml``."""
    from cbmwater.app.serve import ENTRY, config_flags

    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRY),
        *config_flags(),
        "--server.port",
        str(port),
    ]


@main.command("app")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8501,
    show_default=True,
    help="Port the app listens on (open http://localhost:PORT).",
)
def app(port: int) -> None:
    """Serve the Streamlit app (English / 中文) on this machine."""
    import importlib.util
    import subprocess

    if importlib.util.find_spec("streamlit") is None or importlib.util.find_spec("plotly") is None:
        click.echo(
            "error: the app needs streamlit and plotly: pip install 'cbmwater[app]'", err=True
        )
        sys.exit(2)
    click.echo(f"cbmwater app on http://localhost:{port} (Ctrl+C stops it)", err=True)
    try:
        code = subprocess.call(app_command(port))
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
