"""`pleo-migrate scan` and `pleo-migrate rewrite`: parse flags, call the codemod, print, exit.

Exit codes: 0 clean; 1 findings (legacy calls found, changes needed with --check/--diff, any
file failed); 2 usage, configuration or safety refusal (a dirty git tree without
--allow-dirty); 123 internal error. Data goes to stdout, summaries and errors to stderr.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from migrate.cli.output import counter, err_line, out_line, out_text, plural, print_json
from migrate.codemod import (
    FileResult,
    Interrupted,
    Inventory,
    Job,
    Mode,
    RunOutcome,
    RunResult,
    Strategy,
    as_json,
    dirty_refusal,
    inventory,
    outside_git,
    run,
)
from migrate.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, UsageError
from migrate.settings import load_settings

EXIT_INTERRUPTED = 130  # as a shell reports a Ctrl-C'd command


class ScanFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


class RewriteFormat(StrEnum):
    text = "text"
    json = "json"


class StrategyChoice(StrEnum):
    native = "native"
    compat = "compat"


PATHS = typer.Argument(None, metavar="PATH", help="Files or folders to look at.")
JOBS = typer.Option(0, "--jobs", "-j", help="Worker processes (0: one per CPU).", min=0)
MAPPINGS = typer.Option(None, "--mappings", help="A catalogue folder instead of the shipped one.")


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_command)
    app.command("rewrite")(rewrite_command)


# --- shared ----------------------------------------------------------------------------------


def _jobs(value: int) -> int:
    return value or os.cpu_count() or 1


def _mappings(folder: Path | None) -> str | None:
    settings = load_settings({"mappings": folder} if folder else None)
    return str(settings.mappings) if settings.mappings else None


def _must_exist(paths: list[Path]) -> None:
    """A path that is not there is a typo (exit 2), not a finding."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")


def _problems(files: tuple[FileResult, ...]) -> None:
    for item in files:
        if item.status == "failed":
            err_line(f"{item.location}: {item.reason}")
        elif item.status == "skipped":
            err_line(f"{item.location}: skipped: {item.reason}")


# --- scan ------------------------------------------------------------------------------------


def scan_command(
    paths: list[Path] | None = PATHS,
    output_format: ScanFormat = typer.Option(
        ScanFormat.text, "--output-format", "-o", help="text, json or sarif (SARIF 2.1.0)."
    ),
    jobs: int = JOBS,
    mappings: Path | None = MAPPINGS,
) -> int:
    """Inventory legacy Pleo API calls: operation, method, URL, automatic or manual, scopes."""
    if not paths:
        raise UsageError("scan needs at least one PATH")
    _must_exist(paths)
    folder = _mappings(mappings)
    job = Job("scan", "native", None, folder)  # None: every native rule, imported on first use
    outcome = run([str(p) for p in paths], job, _jobs(jobs), counter("files"))
    found = inventory(outcome.result, outcome.examined)
    if output_format is ScanFormat.json:
        print_json(as_json(found))
    elif output_format is ScanFormat.sarif:
        from migrate.codemod import catalogue_index, sarif

        print_json(sarif(found, catalogue_index(folder)))
    else:
        _scan_text(found)
    _problems(found.problems)
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


# --- rewrite ---------------------------------------------------------------------------------


def rewrite_command(
    paths: list[Path] | None = PATHS,
    check: bool = typer.Option(False, "--check", help="Only say which files would change."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff (the default)."),
    write: bool = typer.Option(False, "--write", help="Write the changes."),
    strategy: StrategyChoice = typer.Option(
        StrategyChoice.native, "--strategy", help="native: the new API; compat: migrate.compat."
    ),
    only: str = typer.Option(
        "", "--only", metavar="RULES", help="Only these rules (ids or names, comma-separated)."
    ),
    skip: str = typer.Option(
        "", "--skip", metavar="RULES", help="Not these rules (ids or names, comma-separated)."
    ),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
    jobs: int = JOBS,
    allow_dirty: bool = typer.Option(
        False, "--allow-dirty", help="Write even with uncommitted changes in the git work tree."
    ),
    output_format: RewriteFormat = typer.Option(
        RewriteFormat.text, "--output-format", "-o", help="text or json."
    ),
    mappings: Path | None = MAPPINGS,
) -> int:
    """Rewrite legacy Pleo API calls: to the new API (native) or through migrate.compat."""
    from migrate.codemod import RULES, select

    if list_rules:
        for rule in RULES:
            out_line(f"{rule.id}  {rule.name:<22} {rule.strategy:<6} {rule.kind:<7} {rule.summary}")
        return EXIT_CLEAN
    if sum((check, diff, write)) > 1:
        raise UsageError("choose one of --check, --diff and --write")
    if not paths:
        raise UsageError("rewrite needs at least one PATH (or --list-rules)")
    _must_exist(paths)
    mode: Mode = "write" if write else "check" if check else "diff"
    chosen: Strategy = "compat" if strategy is StrategyChoice.compat else "native"
    enabled = select(chosen, _split(only), _split(skip))
    folder = _mappings(mappings)
    if mode == "write" and not allow_dirty:
        refusal = dirty_refusal([str(p) for p in paths])
        if refusal:
            err_line(f"pleo-migrate: refused: {refusal}")
            return EXIT_USAGE
    if mode == "write":
        for path in outside_git(paths):
            err_line(f"pleo-migrate: warning: {path} is not in a git work tree: --write cannot "
                     "be undone there; keep a copy")
    job = Job(mode, chosen, enabled, folder, diff=mode == "diff" or output_format == "json")
    try:
        outcome = run([str(p) for p in paths], job, _jobs(jobs), counter("files"))
    except Interrupted as stopped:
        return _interrupted(stopped.written, stopped.planned)
    except KeyboardInterrupt:
        return _interrupted((), None)
    result = outcome.result
    if output_format is RewriteFormat.json:
        print_json(_rewrite_json(outcome))
    else:
        _rewrite_text(result)
    _problems(result.files)
    todos = len(result.todos)
    verb = {"write": "rewritten", "check": "would change", "diff": "would change"}[mode]
    changed, skipped, failed_count = (result.count(s) for s in ("changed", "skipped", "failed"))
    unchanged = outcome.examined - changed - skipped - failed_count
    routed = sum(item.routed for item in result.files)
    through = ""
    if chosen == "compat":
        through = f"{plural(routed, 'call')} routed through migrate.compat, "
    err_line(
        f"rewrite ({chosen}, {mode}): {changed} {verb}, {unchanged} unchanged, "
        f"{skipped} skipped, {failed_count} failed; {through}"
        f"{plural(todos, 'TODO')} for manual review"
    )
    failed = any(item.unread for item in result.files)  # failed, or needs a newer Python
    pending = mode != "write" and result.count("changed") > 0
    return EXIT_FINDINGS if failed or pending else EXIT_CLEAN


def _interrupted(written: tuple[str, ...], planned: int | None) -> int:
    """What an interrupted rewrite did: the files written (each whole), and how to finish."""
    for path in written:
        out_line(f"rewrote {path}")
    if not written:
        err_line("rewrite: interrupted before any file was written; nothing changed")
        return EXIT_INTERRUPTED
    err_line(
        f"rewrite: interrupted; rewrote {len(written)} of {planned} files (listed above, each "
        "whole); the others are unchanged. To finish, run the same command again with "
        "--allow-dirty: rewritten files are left as they are"
    )
    return EXIT_INTERRUPTED


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _rewrite_text(result: RunResult) -> None:
    if result.mode == "diff":
        for item in result.files:
            if item.diff:
                out_text(item.diff)
        return
    for item in result.files:
        if item.status == "changed":
            verb = "rewrote" if item.path in result.written else "would rewrite"
            out_line(f"{verb} {item.path} ({', '.join(item.rules)})")
    # Line numbers of the file on disk: after --write that is the rewritten file.
    on_disk = [
        (path, todo.line if path in result.written else todo.on_disk, todo)
        for path, todo in result.todos
    ]
    if on_disk:
        out_line("manual review:")
        for path, line, todo in sorted(on_disk, key=lambda row: (row[0], row[1])):
            out_line(f"  {path}:{line}: {todo.rule}: {todo.message} ({todo.docs})")


def _rewrite_json(outcome: RunOutcome) -> dict[str, Any]:
    result = outcome.result
    return {
        "mode": result.mode,
        "strategy": result.strategy,
        "summary": {
            "files": outcome.examined,
            "changed": result.count("changed"),
            "skipped": result.count("skipped"),
            "failed": result.count("failed"),
            "todos": len(result.todos),
            "routed": sum(item.routed for item in result.files),
        },
        "files": [
            {
                "path": item.path,
                "status": item.status,
                "reason": item.reason,
                "line": item.line,
                "rules": list(item.rules),
                "written": item.path in result.written,
                "todos": [
                    {
                        "rule": t.rule,
                        "line": t.line,
                        "source_line": t.on_disk,
                        "message": t.message,
                        "docs": t.docs,
                        "inserted": t.inserted,
                    }
                    for t in item.todos
                ],
                "diff": item.diff,
            }
            for item in result.files
        ],
    }
