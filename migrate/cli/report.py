"""`pleo-migrate report`: the migration report (HTML and JSON) from a scan and/or a parity run."""

from __future__ import annotations

from pathlib import Path

import typer

from migrate import report as reports
from migrate.cli.output import plural, stderr
from migrate.errors import EXIT_CLEAN
from migrate.mapping import load_catalogue
from migrate.settings import load_settings


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)


def report_command(
    scan: Path | None = typer.Option(
        None, "--scan", help="A scan JSON (pleo-migrate scan -o json)."
    ),
    shadow: Path | None = typer.Option(
        None, "--shadow", help="A shadow-run folder (pleo-migrate shadow --out DIR)."
    ),
    out: Path = typer.Option(
        Path("reports"), "--out", help="Where to write index.html and report.json."
    ),
    mappings: Path | None = typer.Option(
        None, "--mappings", help="A catalogue folder of your own."
    ),
) -> int:
    """The migration report: a cut-over plan on one page (next steps first), with readiness,
    scopes, code, parity, coverage and timeline.

    Works with either input alone: a scan for planning, a parity run without a scan.
    """
    settings = load_settings({"mappings": mappings} if mappings else None)
    catalogue = load_catalogue(settings.mappings)
    data = reports.build(catalogue, scan=scan, shadow=shadow, timeline=dict(settings.timeline))
    files = reports.write(data, out)
    readiness = data["readiness"]
    typer.echo(str(files.html))
    stderr().print(
        f"report: {readiness['status']}; {readiness['operations_ready']}/"
        f"{readiness['operations_total']} operations ready, "
        f"{plural(readiness['call_sites'], 'call site')} ({readiness['manual']} manual)"
        f"{'' if readiness.get('code_known', True) else ' (code unknown: no --scan)'}, parity "
        f"{'n/a' if readiness['parity'] is None else str(readiness['parity']) + ' %'}; "
        f"data in {files.json}",
        markup=False,
    )
    return EXIT_CLEAN
