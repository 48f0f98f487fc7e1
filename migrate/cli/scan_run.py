"""What `pleo-migrate scan` does once its flags are parsed: run the codemod, print, pick the
exit code. No typer here: the typer command (`codemod.py`) and the fast path (`fast_path.py`)
both call `scan`, so either way the output and exit codes are the same.
"""

from __future__ import annotations

import os
from pathlib import Path

from migrate.cli.fast_path import ScanFormatName
from migrate.cli.output import counter, err_line, out_line, plural, print_json
from migrate.codemod import FileResult, Inventory, Job, as_json, inventory, run
from migrate.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from migrate.settings import load_settings


def jobs_or_cpus(value: int) -> int:
    """`--jobs 0` is one worker per CPU."""
    return value or os.cpu_count() or 1


def mappings_folder(folder: Path | None) -> str | None:
    """The catalogue folder: `--mappings`, else the settings' one, else None (the shipped)."""
    settings = load_settings({"mappings": folder} if folder else None)
    return str(settings.mappings) if settings.mappings else None


def must_exist(paths: list[Path]) -> None:
    """A path that is not there is a typo (exit 2), not a finding."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")


def print_problems(files: tuple[FileResult, ...]) -> None:
    for item in files:
        if item.status == "failed":
            err_line(f"{item.location}: {item.reason}")
        elif item.status == "skipped":
            err_line(f"{item.location}: skipped: {item.reason}")


def scan(
    paths: list[Path] | None, output_format: ScanFormatName, jobs: int, mappings: Path | None
) -> int:
    """The whole `scan` command after parsing: 0 clean, 1 findings (UsageError: exit 2)."""
    if not paths:
        raise UsageError("scan needs at least one PATH")
    must_exist(paths)
    folder = mappings_folder(mappings)
    job = Job("scan", "native", None, folder)  # None: every native rule, imported on first use
    outcome = run([str(p) for p in paths], job, jobs_or_cpus(jobs), counter("files"))
    found = inventory(outcome.result, outcome.examined)
    if output_format == "json":
        print_json(as_json(found))
    elif output_format == "sarif":
        from migrate.codemod import catalogue_index, sarif

        print_json(sarif(found, catalogue_index(folder)))
    else:
        _scan_text(found)
    print_problems(found.problems)
    with_calls = len({site.path for site in found.sites})
    err_line(
        f"scan: {plural(len(found.sites), 'legacy call site')} in {plural(with_calls, 'file')} "
        f"({found.examined} examined): {found.automatic} automatic, {found.manual} manual "
        f"({found.unresolved} unresolved); "
        f"{plural(len(found.credentials), 'hard-coded credential')}; "
        f"{plural(found.failed, 'file')} failed"
        + _newer_summary(found.newer)
        + _non_python_summary(found)
    )
    unread = found.failed or found.newer  # code that may call the legacy API, not looked at
    clean = not (found.sites or found.credentials or unread or found.non_python)
    return EXIT_CLEAN if clean else EXIT_FINDINGS


def _newer_summary(count: int) -> str:
    if not count:
        return ""
    return f"; {plural(count, 'file')} {'needs' if count == 1 else 'need'} a newer Python"


def _non_python_summary(found: Inventory) -> str:
    if not found.non_python:
        return ""
    return (
        f"; {plural(len(found.non_python), 'reference')} to a legacy host in "
        f"{plural(found.non_python_files, 'non-Python file')}: serve them through "
        "`pleo-migrate proxy`"
    )


def _scan_text(found: Inventory) -> None:
    for site in found.sites:
        mark = (
            "automatic"
            if site.automatic
            else "manual " + ",".join(dict.fromkeys(todo.rule for todo in site.reasons))
        )
        scopes = ",".join(site.scopes) or "-"
        out_line(
            f"{site.path}:{site.line}:{site.col}: {site.label}  {site.method or '?'}  "
            f"[{site.url}]  {mark}  scopes={scopes}"
        )
        for todo in (*site.reasons, *site.notes):  # notes: what callers of an automatic site
            out_line(f"    {todo.rule}: {todo.message}")
    if found.sites:
        extra = (
            f" (plus whatever the {found.unresolved} unresolved call site(s) need)"
            if found.unresolved
            else ""
        )
        out_line(f"minimum API-key scopes: {', '.join(found.scopes) or '-'}{extra}")
    for ref in found.non_python:
        out_line(f"{ref.path}:{ref.line}:{ref.col}: {ref.detail}")
    if found.credentials:
        out_line("hard-coded credentials:")
        for item in found.credentials:
            out_line(
                f"  {item.path}:{item.line}:{item.col}: {item.name} ({item.kind}, "
                f"{item.length} characters, sha256 {item.fingerprint}…)"
            )
