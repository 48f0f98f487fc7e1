"""`pleo-migrate mappings list | show | check`: read and validate the mapping catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from migrate.cli.output import OutputFormat, print_json, stderr, stdout
from migrate.errors import EXIT_CLEAN, EXIT_USAGE, CatalogueError
from migrate.mapping import (
    Catalogue,
    catalogue_summary,
    check_against_specs,
    check_legacy_coverage,
    load_catalogue,
    load_new_api_specs,
    operation_detail,
)
from migrate.settings import load_settings

group = typer.Typer(
    help="Read and validate the legacy → new mapping catalogue.", no_args_is_help=True
)

FORMAT = typer.Option(OutputFormat.text, "--output-format", "-o", help="text or json.")
CATALOGUE = typer.Option(
    None,
    "--mappings",
    help="A catalogue folder to use instead of the one shipped with pleo-migrate.",
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="mappings")


def _catalogue(folder: Path | None) -> Catalogue:
    settings = load_settings({"mappings": folder} if folder else None)
    return load_catalogue(settings.mappings)


@group.command("list")
def list_command(output_format: OutputFormat = FORMAT, mappings: Path | None = CATALOGUE) -> int:
    """Per resource: mapped, lossy and gap counts, operations and API-key scopes."""
    catalogue = _catalogue(mappings)
    data = catalogue_summary(catalogue)
    if output_format is OutputFormat.json:
        print_json(data)
        return EXIT_CLEAN
    table = Table(title="pleo-migrate mapping catalogue", title_justify="left")
    for column in ("resource", "mapped", "lossy", "gaps", "operations", "scopes"):
        table.add_column(
            column, justify="right" if column in ("mapped", "lossy", "gaps") else "left"
        )
    for row in data["resources"]:
        table.add_row(
            row["resource"],
            str(row["mapped"]),
            str(row["lossy"]),
            str(row["gaps"]),
            "\n".join(escape(_op_label(op)) for op in row["operations"]),
            "\n".join(row["scopes"]) or "-",
            end_section=True,
        )
    stdout().print(table)
    totals = data["totals"]
    stderr().print(
        f"{totals['operations']} legacy endpoints: {totals['mapped']} mapped "
        f"({totals['lossy']} with declared losses), {totals['gaps']} gaps; "
        f"{totals['documented']} documented and {totals['inferred']} inferred in Pleo's legacy "
        "reference. Details: pleo-migrate mappings show ID"
    )
    return EXIT_CLEAN


def _op_label(op: dict[str, Any]) -> str:
    mark = "gap" if op["gap"] else ("lossy" if op["lossy"] else "ok")
    return f"{op['id']} [{mark}, {op['evidence'] or 'evidence ?'}]"


@group.command("show")
def show_command(
    operation_id: str = typer.Argument(
        ..., metavar="ID", help="An operation id, e.g. employees.list."
    ),
    output_format: OutputFormat = FORMAT,
    mappings: Path | None = CATALOGUE,
) -> int:
    """Everything the catalogue says about one operation."""
    catalogue = _catalogue(mappings)
    detail = operation_detail(catalogue, catalogue.get(operation_id))
    if output_format is OutputFormat.json:
        print_json(detail)
        return EXIT_CLEAN
    out = stdout()
    out.print(f"[bold]{detail['id']}[/bold]: {detail['summary']}")
    rows = [
        ("kind", detail["kind"]),
        ("legacy", detail["legacy"]),
        ("evidence", detail["evidence"] and f"{detail['evidence']} (legacy-openapi.yml)"),
        ("new", detail["new"] or "- (no equivalent)"),
        ("scopes", ", ".join(detail["scopes"]) or "-"),
        ("company", detail["company"]),
        (
            "paging",
            detail["paging"]
            + (f" (new limit ≤ {detail['new_limit_max']})" if detail["new_limit_max"] else ""),
        ),
        ("response", _pair(detail["response"])),
        ("request", _pair(detail["request"])),
        ("gap", detail["gap"]),
        ("alternative", detail["alternative"]),
        ("flow", detail["flow"] and " → ".join(detail["flow"]["calls"])),
        ("docs", detail["docs"]),
        ("defined at", detail["where"]),
    ]
    for label, value in rows:
        if value:
            out.print(f"  {label:<11} {value}", markup=False)
    for title, fields in (
        ("fields", detail["fields"]),
        ("request fields", detail["request_fields"]),
    ):
        if fields:
            table = Table(title=title, title_justify="left")
            for column in ("field", "legacy", "new", "convert", "loss"):
                table.add_column(column)
            for row in fields:
                table.add_row(
                    row["field"],
                    row["legacy"] or "-",
                    row["new"] or "-",
                    row["convert"],
                    row["loss"] or "",
                )
            out.print(table)
    if detail["filters"]:
        out.print("  filters:")
        for item in detail["filters"]:
            target = (
                f"query {item['query']}"
                if item["query"]
                else f"body {item['body']}"
                if item["body"]
                else "-"
            )
            out.print(
                f"    {item['legacy']} → {target}" + (f" ({item['loss']})" if item["loss"] else ""),
                markup=False,
            )
    if detail["losses"]:
        out.print("  declared losses:")
        for loss in detail["losses"]:
            out.print(f"    {loss['field'] or '(operation)'}: {loss['reason']}", markup=False)
    return EXIT_CLEAN


def _pair(pair: dict[str, str] | None) -> str | None:
    return None if pair is None else f"legacy {pair['legacy']!r} ⇄ new {pair['new']!r}"


@group.command("check")
def check_command(
    folder: Path | None = typer.Argument(
        None, metavar="DIR", help="The catalogue folder to check (default: the one in use)."
    ),
    output_format: OutputFormat = FORMAT,
) -> int:
    """Validate a catalogue folder: structure, Pleo's specs, and every legacy endpoint covered."""
    try:
        catalogue = _catalogue(folder)
    except CatalogueError as exc:
        if output_format is OutputFormat.json:
            print_json({"ok": False, "problems": [exc.one_line()]})
            return EXIT_USAGE
        raise
    problems = [
        *check_against_specs(catalogue, load_new_api_specs()),
        *check_legacy_coverage(catalogue),
    ]
    lines = [problem.one_line() for problem in problems]
    if output_format is OutputFormat.json:
        print_json(
            {
                "ok": not problems,
                "operations": len(catalogue),
                "files": list(catalogue.files),
                "problems": lines,
            }
        )
        return EXIT_USAGE if problems else EXIT_CLEAN
    err = stderr()
    for line in lines:
        err.print(f"pleo-migrate: error: {line}", markup=False)
    if problems:
        err.print(f"{len(problems)} problem(s) in {catalogue.source}", markup=False)
        return EXIT_USAGE
    mapped = sum(1 for op in catalogue if op.mapped)
    stdout().print(
        f"ok: {len(catalogue)} operations in {len(catalogue.files)} files ({catalogue.source}); "
        f"{mapped} mapped operations match Pleo's published specs; "
        "every known legacy endpoint is covered",
        markup=False,
    )
    return EXIT_CLEAN
