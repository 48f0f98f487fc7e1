"""`pleo-migrate doctor`: the first command to run against Pleo's hosts; it only reads.

Exit codes: 0 every check held; 1 a check failed; 2 usage or configuration (nothing sent).
One line per check on stdout (✓ ✗ ? -, or plain words without a UTF-8 terminal or with
NO_COLOR); `-o json` prints the verdicts as one JSON document. No secret is ever printed.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from migrate import pleo
from migrate.cli.output import OutputFormat, err_line, out_line, print_json
from migrate.cli.shadow import _from_credentials_file  # the one reader of simulate's JSON
from migrate.contracts import SCAN, read_document
from migrate.doctor import Checkup, Credential, DoctorRequest, Status, run_checkup
from migrate.errors import ConfigurationError, SafetyRefusal, UsageError
from migrate.mapping import Catalogue, load_catalogue
from migrate.settings import Settings, load_settings
from migrate.shadow import default_endpoints, read_secret_file

_MARKS = {Status.passed: "✓", Status.failed: "✗", Status.untestable: "?",
          Status.not_probed: "-"}
_PLAIN = {Status.passed: "[ok]", Status.failed: "[FAIL]", Status.untestable: "[untestable]",
          Status.not_probed: "[not probed]"}


class Environment(StrEnum):
    staging = "staging"
    production = "production"


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    env: Environment | None = typer.Option(
        None, "--env", help=f"staging or production (default: {pleo.ENV_VAR}, else staging)."
    ),
    new_url: str | None = typer.Option(
        None, "--new-url", help="The new API's base URL (default: the environment's)."
    ),
    legacy_url: str | None = typer.Option(
        None, "--legacy-url", help="The legacy API's base URL, …/v1 (default: the environment's)."
    ),
    company_id: str | None = typer.Option(
        None, "--company-id", help=f"The company to check (default: {pleo.COMPANY_ID_VAR})."
    ),
    api_key_file: Path | None = typer.Option(
        None, "--api-key-file", help=f"Read the API key from a file (not {pleo.API_KEY_VAR})."
    ),
    legacy_token_file: Path | None = typer.Option(
        None, "--legacy-token-file",
        help=f"Read the legacy token from a file (not {pleo.LEGACY_TOKEN_VAR}).",
    ),
    credentials_file: Path | None = typer.Option(
        None, "--credentials-file",
        help="A JSON file with URLs, credentials and company (e.g. from `pleo-migrate "
        "simulate`); flags win over it, it wins over the environment.",
    ),
    from_scan: Path | None = typer.Option(
        None, "--from-scan", help="Check the scopes of the operations a scan found (scan.json)."
    ),
    mappings: Path | None = typer.Option(
        None, "--mappings", help="A catalogue folder to use instead of the shipped one."
    ),
    timeout: float = typer.Option(15.0, "--timeout", help="Seconds per request."),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--output-format", "-o", help="text or json."
    ),
) -> None:
    """Check, read-only, that your credentials, scopes and the catalogue's assumptions hold."""
    if timeout <= 0:
        raise UsageError("--timeout must be > 0")
    from_file = _from_credentials_file(credentials_file) if credentials_file else {}
    chosen_env = env.value if env else None
    if chosen_env and from_file.get("env") and chosen_env != from_file["env"]:
        raise SafetyRefusal(
            f"--env {chosen_env} but {credentials_file} holds {from_file['env']} credentials; "
            "environments never mix"
        )
    flags: dict[str, Any] = {
        "env": chosen_env or from_file.get("env"),
        "company_id": company_id or from_file.get("company_id"),
        "mappings": mappings,
        "legacy_token": from_file.get("legacy_token"),
        "api_key": from_file.get("api_key"),
        "new_base_url": new_url or from_file.get("new_url"),
        "legacy_base_url": legacy_url or from_file.get("legacy_url"),
    }
    if legacy_token_file:
        flags["legacy_token"] = read_secret_file(legacy_token_file)
    if api_key_file:
        flags["api_key"] = read_secret_file(api_key_file)
    environ = dict(os.environ)
    if not environ.get(pleo.ENV_VAR):
        environ[pleo.ENV_VAR] = "staging"  # doctor is run on staging first
    settings = load_settings(flags, environ=environ)
    catalogue = load_catalogue(settings.mappings)
    request = _request(settings, catalogue, from_scan, timeout)
    checkup = run_checkup(request, catalogue)
    _show(checkup, output_format)
    raise typer.Exit(checkup.exit_code)


def _request(settings: Settings, catalogue: Catalogue, from_scan: Path | None,
             timeout: float) -> DoctorRequest:
    """Everything checked before a byte is sent: credentials present, URLs sane, no mixing."""
    if not settings.api_key and not settings.oauth_token:
        raise ConfigurationError(
            f"no API key: set {pleo.API_KEY_VAR} (or {pleo.OAUTH_TOKEN_VAR}), or give "
            "--api-key-file or --credentials-file"
        )
    endpoints = default_endpoints(settings.env, settings.legacy_base_url, settings.new_base_url)
    key = (Credential.api_key(settings.api_key) if settings.api_key
           else Credential.oauth_token(settings.oauth_token or ""))
    operations = None
    if from_scan is not None:
        document = read_document(from_scan, SCAN)
        found = [site["operation"] for site in document["call_sites"] if site["operation"]]
        for op_id in found:
            try:
                catalogue.get(op_id)
            except UsageError as exc:
                raise ConfigurationError(f"{from_scan}: {exc}") from None
        operations = tuple(dict.fromkeys(found))
    return DoctorRequest(
        env=endpoints.env, new_url=endpoints.new_url, legacy_url=endpoints.legacy_url,
        key=key, key_is_oauth=not settings.api_key,
        legacy_token=Credential.legacy_token(settings.legacy_token)
        if settings.legacy_token else None,
        company_id=settings.company_id, scan_operations=operations, timeout=timeout,
    )


def _can_show_marks() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    encoding = getattr(sys.stdout, "encoding", None)
    if encoding is None:
        return True  # a text buffer, not a byte stream: any character goes
    try:
        "✓✗".encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def _show(checkup: Checkup, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        print_json(checkup.as_json())
    else:
        marks = _MARKS if _can_show_marks() else _PLAIN
        for verdict in checkup.verdicts:
            line = f"{marks[verdict.status]} {verdict.title}: {verdict.detail}"
            if verdict.fix:
                line += f" → fix: {verdict.fix}"
            out_line(line)
    counts = checkup.counts()
    err_line(
        f"doctor ({checkup.env}): {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['untestable']} untestable, {counts['not-probed']} not probed"
    )


__all__ = ["register"]
