"""`pleo-migrate scan` and `pleo-migrate rewrite`: parse flags, call the codemod, print, exit.

Exit codes: 0 clean; 1 findings (legacy calls found, changes needed with --check/--diff, any
file failed); 2 usage, configuration or safety refusal (a dirty git tree without
--allow-dirty); 123 internal error. Data goes to stdout, summaries and errors to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer

from migrate.codemod import Job, RunOutcome, dirty_refusal, inventory, run, select
from migrate.codemod.find.index import catalogue_index
from migrate.codemod.registry import RULES
from migrate.codemod.results import FileResult, Mode, RunResult, Strategy
from migrate.codemod.sarif import sarif
from migrate.codemod.scan import Inventory, as_json
from migrate.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, PleoMigrateError
from migrate.settings import load_settings


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


PATHS = typer.Argument(None, metavar="PATH...", help="Files or folders to look at.")
JOBS = typer.Option(0, "--jobs", "-j", help="Worker processes (0: one per CPU).", min=0)
MAPPINGS = typer.Option(None, "--mappings", help="A catalogue folder instead of the shipped one.")


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_command)
    app.command("rewrite")(rewrite_command)


# --- shared ----------------------------------------------------------------------------------


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def _exit(code: int) -> NoReturn:
    raise typer.Exit(code)


def _fail(error: PleoMigrateError) -> NoReturn:
    _err(f"pleo-migrate: error: {error}")
    _exit(error.exit_code)


def _jobs(value: int) -> int:
    return value or os.cpu_count() or 1


def _mappings(folder: Path | None) -> str | None:
    settings = load_settings({"mappings": folder} if folder else None)
    return str(settings.mappings) if settings.mappings else None


def _progress() -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty() or os.environ.get("NO_COLOR"):
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done}/{total} files")
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    return show


def _problems(files: tuple[FileResult, ...]) -> None:
    for item in files:
        if item.status == "failed":
            _err(f"{item.location}: {item.reason}")
        elif item.status == "skipped":
            _err(f"{item.path}: skipped: {item.reason}")


# --- scan ------------------------------------------------------------------------------------


def scan_command(
    paths: list[Path] | None = PATHS,
    output_format: ScanFormat = typer.Option(
        ScanFormat.text, "--output-format", "-o", help="text, json or sarif (SARIF 2.1.0)."
    ),
    jobs: int = JOBS,
    mappings: Path | None = MAPPINGS,
) -> None:
    """Inventory legacy Pleo API calls: operation, method, URL, automatic or manual, scopes."""
    if not paths:
        _err("pleo-migrate: error: scan needs at least one PATH")
        _exit(EXIT_USAGE)
    try:
        folder = _mappings(mappings)
        job = Job("scan", "native", select("native"), folder)
        outcome = run([str(p) for p in paths], job, _jobs(jobs), _progress())
    except PleoMigrateError as error:
        _fail(error)
    found = inventory(outcome.result, outcome.examined)
    if output_format is ScanFormat.json:
        _out(json.dumps(as_json(found), indent=2, ensure_ascii=False))
    elif output_format is ScanFormat.sarif:
        _out(json.dumps(sarif(found, catalogue_index(folder)), indent=2, ensure_ascii=False))
    else:
        _scan_text(found)
    _problems(found.problems)
    _err(
        f"scan: {len(found.sites)} legacy call site(s) in {found.examined} file(s): "
        f"{found.automatic} automatic, {found.manual} manual ({found.unresolved} unresolved); "
        f"{len(found.credentials)} hard-coded credential(s); {found.failed} file(s) failed"
    )
    clean = not (found.sites or found.credentials or found.failed)
    _exit(EXIT_CLEAN if clean else EXIT_FINDINGS)


def _scan_text(found: Inventory) -> None:
    for site in found.sites:
        mark = (
            "automatic"
            if site.automatic
            else "manual " + ",".join(dict.fromkeys(todo.rule for todo in site.reasons))
        )
        scopes = ",".join(site.scopes) or "-"
        _out(
            f"{site.path}:{site.line}:{site.col}: {site.label}  {site.method or '?'}  "
            f"[{site.url}]  {mark}  scopes={scopes}"
        )
        for todo in site.reasons:
            _out(f"    {todo.rule}: {todo.message}")
    if found.sites:
        extra = (
            f" (plus whatever the {found.unresolved} unresolved call site(s) need)"
            if found.unresolved
            else ""
        )
        _out(f"minimum API-key scopes: {', '.join(found.scopes) or '-'}{extra}")
    if found.credentials:
        _out("hard-coded credentials:")
        for item in found.credentials:
            _out(
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
        "", "--only", help="Only these rules (ids or names, comma-separated)."
    ),
    skip: str = typer.Option("", "--skip", help="Not these rules (ids or names, comma-separated)."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
    jobs: int = JOBS,
    allow_dirty: bool = typer.Option(
        False, "--allow-dirty", help="Write even with uncommitted changes in the git work tree."
    ),
    output_format: RewriteFormat = typer.Option(
        RewriteFormat.text, "--output-format", "-o", help="text or json."
    ),
    mappings: Path | None = MAPPINGS,
) -> None:
    """Rewrite legacy Pleo API calls: to the new API (native) or through migrate.compat."""
    if list_rules:
        for rule in RULES:
            _out(f"{rule.id}  {rule.name:<22} {rule.strategy:<6} {rule.kind:<7} {rule.summary}")
        _exit(EXIT_CLEAN)
    if sum((check, diff, write)) > 1:
        _err("pleo-migrate: error: choose one of --check, --diff and --write")
        _exit(EXIT_USAGE)
    if not paths:
        _err("pleo-migrate: error: rewrite needs at least one PATH (or --list-rules)")
        _exit(EXIT_USAGE)
    mode: Mode = "write" if write else "check" if check else "diff"
    chosen: Strategy = "compat" if strategy is StrategyChoice.compat else "native"
    try:
        enabled = select(chosen, _split(only), _split(skip))
        folder = _mappings(mappings)
        if mode == "write" and not allow_dirty:
            refusal = dirty_refusal([str(p) for p in paths])
            if refusal:
                _err(f"pleo-migrate: refused: {refusal}")
                _exit(EXIT_USAGE)
        job = Job(mode, chosen, enabled, folder, diff=mode == "diff" or output_format == "json")
        outcome = run([str(p) for p in paths], job, _jobs(jobs), _progress())
    except PleoMigrateError as error:
        _fail(error)
    result = outcome.result
    if output_format is RewriteFormat.json:
        _out(json.dumps(_rewrite_json(outcome), indent=2, ensure_ascii=False))
    else:
        _rewrite_text(result)
    _problems(result.files)
    todos = len(result.todos)
    verb = {"write": "rewritten", "check": "would change", "diff": "would change"}[mode]
    changed, skipped, failed_count = (result.count(s) for s in ("changed", "skipped", "failed"))
    unchanged = outcome.examined - changed - skipped - failed_count
    _err(
        f"rewrite ({chosen}, {mode}): {changed} {verb}, {unchanged} unchanged, "
        f"{skipped} skipped, {failed_count} failed; {todos} TODO(s) for manual review"
    )
    failed = result.count("failed") > 0
    pending = mode != "write" and result.count("changed") > 0
    _exit(EXIT_FINDINGS if failed or pending else EXIT_CLEAN)


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _rewrite_text(result: RunResult) -> None:
    if result.mode == "diff":
        for item in result.files:
            if item.diff:
                sys.stdout.write(item.diff)
        return
    for item in result.files:
        if item.status == "changed":
            verb = "rewrote" if item.path in result.written else "would rewrite"
            _out(f"{verb} {item.path} ({', '.join(item.rules)})")
    review = [(path, todo) for path, todo in result.todos]
    if review:
        _out("manual review:")
        for path, todo in review:
            _out(f"  {path}:{todo.line}: {todo.rule}: {todo.message} ({todo.docs})")


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
