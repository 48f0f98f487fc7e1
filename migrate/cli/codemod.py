"""`pleo-migrate scan` and `pleo-migrate rewrite`: parse flags, call the codemod, print, exit.

Exit codes: 0 clean; 1 findings (legacy calls found, changes needed with --check/--diff, any
file failed); 2 usage, configuration or safety refusal (a dirty git tree without
--allow-dirty); 123 internal error. Data goes to stdout, summaries and errors to stderr.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from migrate.cli.output import counter, err_line, out_line, out_text, plural, print_json
from migrate.cli.scan_run import (
    jobs_or_cpus,
    mappings_folder,
    must_exist,
    print_problems,
    scan,
)
from migrate.codemod import (
    Interrupted,
    Job,
    Mode,
    RunOutcome,
    RunResult,
    Strategy,
    dirty_refusal,
    outside_git,
    run,
)
from migrate.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, UsageError

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
    return scan(paths, output_format.value, jobs, mappings)


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
    must_exist(paths)
    mode: Mode = "write" if write else "check" if check else "diff"
    chosen: Strategy = "compat" if strategy is StrategyChoice.compat else "native"
    enabled = select(chosen, _split(only), _split(skip))
    folder = mappings_folder(mappings)
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
        outcome = run([str(p) for p in paths], job, jobs_or_cpus(jobs), counter("files"))
    except Interrupted as stopped:
        return _interrupted(stopped.written, stopped.planned)
    except KeyboardInterrupt:
        return _interrupted((), None)
    result = outcome.result
    if output_format is RewriteFormat.json:
        print_json(_rewrite_json(outcome))
    else:
        _rewrite_text(result)
    print_problems(result.files)
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
