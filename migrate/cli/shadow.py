"""`pleo-migrate shadow` and `pleo-migrate cassettes scan`: parses, calls, prints, exits.

Exit codes: 0 clean; 1 findings (parity under --fail-under, secrets in a cassette); 2 usage,
configuration or safety refusal, always before any request is sent; 123 internal error. Data
on stdout, progress and summaries on stderr, a progress bar only on a terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from migrate.cli.output import OutputFormat, print_json, stderr, stdout
from migrate.errors import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    ConfigurationError,
    SafetyRefusal,
    UsageError,
)
from migrate.mapping import load_catalogue
from migrate.pleo import API_KEY_VAR, COMPANY_ID_VAR, SECRET_VARIABLES
from migrate.settings import load_settings
from migrate.shadow import (
    Credentials,
    Limits,
    NoProgress,
    OperationTally,
    RunReport,
    RunRequest,
    Safety,
    build_parity_plan,
    check_credentials,
    check_writes,
    default_endpoints,
    load_cassette,
    read_secret_file,
    replay_request,
    run_shadow,
    scan_path,
)

EXIT_INTERRUPTED = 130  # as a shell reports a Ctrl-C'd command
_COLUMNS = ("match", "expected", "noise", "lag", "mismatch", "missing-in-new", "extra-in-new",
            "error")


class Environment(StrEnum):
    staging = "staging"
    production = "production"


def register(app: typer.Typer) -> None:
    """Add `shadow` and the `cassettes scan` group to the pleo-migrate app."""
    app.command("shadow")(shadow)
    cassettes = typer.Typer(
        help="Recorded HTTP cassettes: check them for secrets.", no_args_is_help=True
    )
    cassettes.command("scan")(scan)
    app.add_typer(cassettes, name="cassettes")


@dataclass(frozen=True)
class ShadowArgs:
    env: str | None
    legacy_url: str | None
    new_url: str | None
    company_id: str | None
    legacy_token_file: Path | None
    api_key_file: Path | None
    credentials_file: Path | None
    ops: str
    from_scan: Path | None
    sample: int
    rate: float
    concurrency: int
    recheck: int
    recheck_backoff: float
    fail_under: float
    allow_writes: bool
    plan_writes: bool
    out: Path
    record: Path | None
    replay: Path | None
    page_size: int
    timeout: float
    mappings: Path | None
    output_format: OutputFormat
    allow_host: tuple[str, ...] = ()


def shadow(
    env: Environment | None = typer.Option(
        None, "--env", help="staging or production: Pleo's hosts and where the credentials belong."
    ),
    legacy_url: str | None = typer.Option(
        None, "--legacy-url", help="Legacy API base URL (default: the environment's, …/v1)."
    ),
    new_url: str | None = typer.Option(
        None, "--new-url", help="New API base URL (default: the environment's)."
    ),
    company_id: str | None = typer.Option(
        None, "--company-id", help=f"The company to compare (default: {COMPANY_ID_VAR})."
    ),
    legacy_token_file: Path | None = typer.Option(
        None, "--legacy-token-file", help="Read the legacy token from a file, not the env."
    ),
    api_key_file: Path | None = typer.Option(
        None, "--api-key-file", help=f"Read the API key from a file (not {API_KEY_VAR})."
    ),
    credentials_file: Path | None = typer.Option(
        None, "--credentials-file",
        help="A JSON file with both URLs, both credentials and the company (e.g. from "
        "`pleo-migrate simulate`); flags win over it, it wins over the environment.",
    ),
    ops: str = typer.Option(
        "all-reads", "--ops",
        help="all-reads, comma-separated operation ids, or a scenario YAML file.",
    ),
    from_scan: Path | None = typer.Option(
        None, "--from-scan", help="Compare the operations a codemod scan found (scan.json)."
    ),
    sample: int = typer.Option(100, "--sample", help="Records per operation; 0 reads them all."),
    rate: float = typer.Option(
        2.0, "--rate", help="Requests per second per API; 0 for no limit (simulator only)."
    ),
    concurrency: int = typer.Option(4, "--concurrency", help="Requests in flight per API."),
    recheck: int = typer.Option(2, "--recheck", help="Re-checks of disagreeing records (lag)."),
    recheck_backoff: float = typer.Option(
        1.0, "--recheck-backoff", help="Seconds before the first re-check; doubles each time."
    ),
    fail_under: float = typer.Option(
        100.0, "--fail-under", help="Exit 1 when an operation's parity is under this percent."
    ),
    allow_writes: bool = typer.Option(
        False, "--allow-writes", help="Send the writes of a scenario or scan (staging only)."
    ),
    plan_writes: bool = typer.Option(
        False, "--plan-writes", help="Show the new-API calls for each legacy write; send none."
    ),
    out: Path = typer.Option(Path("reports/shadow"), "--out", help="Where the reports go."),
    record: Path | None = typer.Option(
        None, "--record", help="Record both sides into this cassette (secrets redacted)."
    ),
    replay: Path | None = typer.Option(
        None, "--replay", help="Recompute a recorded run from its cassette, offline."
    ),
    page_size: int = typer.Option(100, "--page-size", help="Records per page on both APIs."),
    timeout: float = typer.Option(
        30.0, "--timeout", help="Seconds per request, whole answer included (then retried)."
    ),
    mappings: Path | None = typer.Option(
        None, "--mappings", help="A catalogue folder to use instead of the shipped one."
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--output-format", "-o", help="text or json (the summary)."
    ),
    allow_host: list[str] = typer.Option(
        [], "--allow-host", metavar="HOST",
        help="Also send credentials to this https host (not Pleo's, not loopback); repeatable.",
    ),
) -> None:
    """Call both APIs, diff in one canonical shape, classify every difference."""
    args = ShadowArgs(
        env.value if env else None, legacy_url, new_url, company_id, legacy_token_file,
        api_key_file, credentials_file, ops, from_scan, sample, rate, concurrency, recheck,
        recheck_backoff, fail_under, allow_writes, plan_writes, out, record, replay, page_size,
        timeout, mappings, output_format, tuple(allow_host),
    )
    raise typer.Exit(_shadow(args))


def scan(
    target: Path = typer.Argument(
        Path("cassettes"), metavar="PATH", help="A cassette file or a folder of them."
    ),
    secret_env: list[str] = typer.Option(
        [], "--secret-env", help="Also look for the value of this environment variable."
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--output-format", "-o", help="text or json."
    ),
) -> None:
    """Find secrets in recorded cassettes (exit 1 if there are any)."""
    raise typer.Exit(_scan(target, secret_env, output_format))


# --- shadow ------------------------------------------------------------------------------------


def _shadow(args: ShadowArgs) -> int:
    request = _request(args)  # every check happens here, before any I/O
    try:
        with _terminate_as_interrupt(), _ProgressBars() as progress:
            report = run_shadow(request, progress=progress)
    except KeyboardInterrupt:
        stderr().print(
            f"shadow: interrupted; nothing written to {args.out} (files of an earlier run "
            "there are left as they were, whole)",
            markup=False,
        )
        return EXIT_INTERRUPTED
    return _show(report, args)


def _as_sigint(_signal: int, _frame: object) -> None:
    # asyncio.run handles SIGINT by cancelling the run's task, then raises KeyboardInterrupt
    signal.raise_signal(signal.SIGINT)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (CI time-outs, `docker stop`) stops the run like Ctrl-C: cleanly."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _as_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _request(args: ShadowArgs) -> RunRequest:
    if args.record and args.replay:
        raise UsageError("--record and --replay exclude each other")
    if args.sample < 0 or args.page_size < 1 or args.concurrency < 1 or args.recheck < 0:
        raise UsageError("--sample and --recheck must be ≥ 0; --page-size and --concurrency ≥ 1")
    if args.rate < 0 or args.timeout <= 0 or args.recheck_backoff < 0:
        raise UsageError("--rate and --recheck-backoff must be ≥ 0 and --timeout > 0")
    if not 0 <= args.fail_under <= 100:
        raise UsageError("--fail-under is a percentage between 0 and 100")
    from_file = _from_credentials_file(args.credentials_file) if args.credentials_file else {}
    if args.env and from_file.get("env") and args.env != from_file["env"]:
        raise SafetyRefusal(
            f"--env {args.env} but {args.credentials_file} holds {from_file['env']} "
            "credentials; environments never mix"
        )
    flags: dict[str, Any] = {
        "env": args.env or from_file.get("env"),
        "company_id": args.company_id or from_file.get("company_id"),
        "mappings": args.mappings,
        "legacy_token": from_file.get("legacy_token"),
        "api_key": from_file.get("api_key"),
    }
    if args.legacy_token_file:
        flags["legacy_token"] = read_secret_file(args.legacy_token_file)
    if args.api_key_file:
        flags["api_key"] = read_secret_file(args.api_key_file)
    settings = load_settings(flags)
    catalogue = load_catalogue(settings.mappings)
    safety = Safety(allow_writes=args.allow_writes, plan_writes=args.plan_writes)
    if args.replay is not None:
        if args.allow_writes:
            raise UsageError("--allow-writes cannot be replayed; a replay sends nothing")
        return replay_request(catalogue, load_cassette(args.replay), out=args.out,
                              plan_writes=args.plan_writes)
    endpoints = default_endpoints(settings.env, args.legacy_url or from_file.get("legacy_url"),
                                  args.new_url or from_file.get("new_url"), args.allow_host)
    check_writes(endpoints, safety)
    vouched = tuple(
        from_file[key].rstrip("/") for key, flag in (("legacy_url", args.legacy_url),
                                                     ("new_url", args.new_url))
        if from_file.get("env") == "staging" and key in from_file and not flag
    )
    plan = build_parity_plan(catalogue, args.ops, args.from_scan)
    needs_company = any(catalogue.get(s.operation).company is not None
                        for s in (*plan.reads, *plan.writes))
    credentials = Credentials(settings.legacy_token, settings.api_key, settings.company_id)
    check_credentials(credentials, needs_company=needs_company)
    limits = Limits(
        sample=args.sample or None, page_size=args.page_size, rate=args.rate or None,
        concurrency=args.concurrency, recheck=args.recheck,
        recheck_backoff=args.recheck_backoff, timeout=args.timeout,
    )
    return RunRequest(catalogue, plan, endpoints, credentials, limits, safety, args.out,
                      record=args.record, preflight=True, vouched_staging=vouched)


def _from_credentials_file(path: Path) -> dict[str, str]:
    """URLs, credentials, company and environment from a JSON file, the shape `simulate` writes.

    Absent entries are left out, so flags and the environment fill them in.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"cannot read credentials from {path}: {type(exc).__name__}"
        ) from None
    if not isinstance(document, dict):
        raise ConfigurationError(f"{path}: expected a JSON object like `simulate` writes")
    legacy, new = document.get("legacy") or {}, document.get("new") or {}
    if not isinstance(legacy, dict) or not isinstance(new, dict):
        raise ConfigurationError(f"{path}: 'legacy' and 'new' must be JSON objects")
    found = {
        "env": document.get("environment"),
        "legacy_url": legacy.get("base_url"),
        "legacy_token": legacy.get("token"),
        "new_url": new.get("base_url"),
        "api_key": new.get("api_key"),
        "company_id": new.get("company_id"),
    }
    return {key: value for key, value in found.items() if isinstance(value, str) and value}


class _RichProgress:
    """One line per operation with a live record count; only on a terminal."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def start(self, operation: str) -> None:
        if operation not in self._tasks:
            self._tasks[operation] = self._progress.add_task(operation, total=None)

    def advance(self, operation: str, records: int) -> None:
        task = self._tasks.get(operation)
        if task is not None:
            self._progress.advance(task, records)

    def done(self, operation: str, tally: OperationTally) -> None:
        task = self._tasks.get(operation)
        if task is not None:
            parity = tally.parity()
            shown = "n/a" if parity is None else f"{parity:.2f} %"
            self._progress.update(task, total=tally.records, completed=tally.records,
                                  description=f"{operation} [{shown}]")


class _ProgressBars:
    """A context manager: rich progress on a terminal, nothing otherwise."""

    def __init__(self) -> None:
        self._rich: Progress | None = None

    def __enter__(self) -> _RichProgress | NoProgress:
        if not sys.stderr.isatty():
            return NoProgress()
        self._rich = Progress(
            SpinnerColumn(), TextColumn("{task.description}"),
            TextColumn("{task.completed} records"), TimeElapsedColumn(),
            console=stderr(), transient=False,
        )
        self._rich.start()
        return _RichProgress(self._rich)

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.stop()


def _show(report: RunReport, args: ShadowArgs) -> int:
    summary = report.summary
    if args.output_format is OutputFormat.json:
        print_json(summary)
    else:
        _print_table(summary)
        if args.plan_writes and report.write_plans:
            _print_write_plans(report)
    totals = summary["totals"]
    lowest = min((op["parity"] for op in summary["operations"]
                  if op.get("parity") is not None), default=None)
    err = stderr()
    shown = "n/a" if totals["parity"] is None else f"{totals['parity']:.2f} %"
    err.print(
        f"parity {shown} over {totals['records']} records in "
        f"{sum(1 for op in summary['operations'] if op['status'] != 'skipped')} operations "
        f"({report.requests['legacy']} legacy and {report.requests['new']} new requests)",
        markup=False,
    )
    err.print("wrote " + ", ".join(str(path) for path in report.files), markup=False)
    failed = totals.get("failed_requests", 0)
    if failed:
        err.print(
            f"{failed} request{'' if failed == 1 else 's'} failed and compared nothing "
            "(not counted as records; the reasons are under `errors` in summary.json)",
            markup=False,
        )
        return EXIT_FINDINGS
    if lowest is not None and lowest < args.fail_under:
        err.print(f"parity under --fail-under {args.fail_under:g} %", markup=False)
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _print_table(summary: dict[str, Any]) -> None:
    table = Table(title="shadow run: legacy vs new", title_justify="left")
    table.add_column("operation")
    table.add_column("status")
    table.add_column("parity", justify="right")
    for column in _COLUMNS:
        table.add_column(column, justify="right")
    for op in summary["operations"]:
        if op["status"] == "skipped":
            table.add_row(op["operation"], "skipped", "", *([""] * len(_COLUMNS)))
            continue
        parity = "n/a" if op["parity"] is None else f"{op['parity']:.2f} %"
        table.add_row(op["operation"], op["status"], parity,
                      *(str(op["outcomes"][name]) for name in _COLUMNS))
    out = stdout()
    out.print(table)
    for op in summary["operations"]:
        for field in op.get("fields", []):
            if field["mismatch"]:
                examples = ", ".join(field.get("examples", []))
                out.print(escape(f"{op['operation']}: {field['field']}: {field['mismatch']} "
                                 f"mismatched (e.g. {examples})"))


def _print_write_plans(report: RunReport) -> None:
    out = stdout()
    out.print("write plan (nothing was sent):", markup=False)
    for plan in report.write_plans:
        out.print(f"  {plan.legacy}  [{plan.operation}, {plan.kind}]", markup=False)
        if plan.problem:
            out.print(f"    ! {plan.problem}", markup=False)
        for call in plan.calls:
            query = "&".join(f"{k}={v}" for k, v in call.query)
            out.print(f"    → {call.method} {call.path}{'?' + query if query else ''}",
                      markup=False)
            if call.body is not None:
                body = json.dumps(call.body, ensure_ascii=False, sort_keys=True)
                out.print(f"      body {body}", markup=False)
            if call.note:
                out.print(f"      ({call.note})", markup=False)


# --- cassettes scan ----------------------------------------------------------------------------


def _scan(target: Path, secret_env: list[str], output_format: OutputFormat) -> int:
    names = (*SECRET_VARIABLES, *secret_env)
    known = [os.environ[name] for name in names if os.environ.get(name)]
    files, findings = scan_path(target, known)
    if output_format is OutputFormat.json:
        print_json({
            "files": [str(f) for f in files],
            "findings": [
                {"file": f.file, "interaction": f.interaction, "where": f.finding.where,
                 "rule": f.finding.rule}
                for f in findings
            ],
        })
    else:
        out = stdout()
        for finding in findings:
            out.print(str(finding), markup=False)
    stderr().print(
        f"{len(findings)} secret(s) found in {len(files)} cassette(s)", markup=False
    )
    return EXIT_FINDINGS if findings else EXIT_CLEAN


__all__ = ["register"]
