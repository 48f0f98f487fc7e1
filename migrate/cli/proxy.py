"""`pleo-migrate proxy`: a local legacy-API server backed by the new API."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import typer

from migrate import pleo
from migrate.cli.output import stderr
from migrate.compat import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_REQUEST_BYTES,
    CompatSettings,
    ProxyAccess,
    build_proxy_app,
    new_caller_token,
)
from migrate.errors import EXIT_CLEAN, ConfigurationError, SafetyRefusal
from migrate.serving import ServedApps, StopSignals, parse_listen, url_host
from migrate.settings import load_settings


def register(app: typer.Typer) -> None:
    app.command("proxy")(proxy_command)


def _from_file(path: Path) -> dict[str, Any]:
    """Credentials from a file: the simulator's credentials JSON, or {"api_key": …}.

    Its values count as flags; a flag given on the command line beats them. An API key in the
    file wins over an OAuth token in it.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read credentials from {path}: {exc}") from None
    new = document.get("new", document) if isinstance(document, dict) else None
    if not isinstance(new, dict):
        raise ConfigurationError(f"{path}: expected a JSON object with the new-API credentials")
    api_key = new.get("api_key")
    return {
        "api_key": api_key,
        "oauth_token": None if api_key else new.get("oauth_token"),
        "company_id": new.get("company_id"),
        "new_base_url": new.get("base_url"),
        "env": document.get("environment") if isinstance(document, dict) else None,
    }


def _environment(flag: str | None, from_file: str | None, file: Path | None) -> str | None:
    """One rule: the environment is the credential source's; a differing flag refuses to start."""
    source = from_file if file else os.environ.get(pleo.ENV_VAR) or None
    where = f"the credentials file {file}" if file else pleo.ENV_VAR
    if flag and source and flag != source:
        raise SafetyRefusal(
            f"--env {flag} contradicts {where}, which says {source}: a key only works in the "
            "environment it was made in; drop --env or use the matching credentials"
        )
    return flag or source


def write_token(path: Path | None, token: str) -> Path:
    """Write the caller token with mode 0600: to `path`, or a fresh private directory."""
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="pleo-migrate-proxy-")) / "caller-token"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token + "\n")
    except OSError as error:
        raise ConfigurationError(f"cannot write the caller token to {path}: {error}") from None
    return path


def proxy_command(
    listen: str = typer.Option("127.0.0.1:8400", help="HOST:PORT to listen on (loopback)."),
    env: str | None = typer.Option(
        None, help=f"staging or production (default: the credentials' own, or {pleo.ENV_VAR})."
    ),
    new_url: str | None = typer.Option(
        None,
        "--new-url",
        help=f"The new API's base URL (default: {pleo.NEW_URL_VAR}, else Pleo's host for --env).",
    ),
    company_id: str | None = typer.Option(
        None, help=f"Company id (default: {pleo.COMPANY_ID_VAR})."
    ),
    credentials_file: Path | None = typer.Option(
        None, help="A JSON file with the new-API key (e.g. from `pleo-migrate simulate`)."
    ),
    allow_remote: bool = typer.Option(
        False, help="Listen on a non-loopback address (the proxy spends your API key)."
    ),
    token_file: Path | None = typer.Option(
        None, help="Write the caller token here (mode 0600); default: a new private temp dir."
    ),
    no_caller_token: bool = typer.Option(
        False,
        "--no-caller-token",
        help="Serve any caller that reaches the loopback address (demos on a one-user machine).",
    ),
    allow_origin: list[str] = typer.Option(
        [], "--allow-origin", help="A web origin allowed to call the proxy (repeatable)."
    ),
    allow_host: list[str] = typer.Option(
        [], "--allow-host", help="A non-Pleo new-API host to trust with the key (repeatable)."
    ),
    deadline: float = typer.Option(
        DEFAULT_DEADLINE, min=0.1, help="Seconds one legacy call may take in all (then 504)."
    ),
    max_request_bytes: int = typer.Option(
        DEFAULT_MAX_REQUEST_BYTES, min=1, help="Largest request body accepted (else 413)."
    ),
    max_response_bytes: int = typer.Option(
        DEFAULT_MAX_BODY, min=1, help="Largest new-API answer read (else 502)."
    ),
) -> int:
    """Answer legacy Pleo paths (`/v1/...`) from the new API, for clients in any language.

    The API key comes from PLEO_API_KEY / PLEO_OAUTH_TOKEN or --credentials-file, never from
    the command line. Callers send the proxy's caller token as their legacy bearer token; it is
    never forwarded.
    """
    host, port = parse_listen(listen)
    if not pleo.is_loopback(host) and not allow_remote:
        raise SafetyRefusal(
            f"refusing to listen on {host}: anyone who reaches it could spend your API key; "
            "use a loopback address or pass --allow-remote"
        )
    if no_caller_token and not pleo.is_loopback(host):
        raise SafetyRefusal("--no-caller-token is for loopback only: drop it or --allow-remote")
    flags = _from_file(credentials_file) if credentials_file else {}
    chosen_env = _environment(env, flags.pop("env", None), credentials_file)
    given = {"env": chosen_env, "company_id": company_id, "new_base_url": new_url}
    flags.update({name: value for name, value in given.items() if value})
    config = dataclasses.replace(
        CompatSettings.of(load_settings(flags), allowed_hosts=tuple(h.lower() for h in allow_host)),
        deadline=deadline,
        max_body_bytes=max_response_bytes,
    )
    token = None if no_caller_token else new_caller_token()
    access = ProxyAccess(
        caller_token=token,
        listen_host=host,
        allowed_origins=tuple(origin.rstrip("/") for origin in allow_origin),
        max_request_bytes=max_request_bytes,
    )
    app = build_proxy_app(config, access=access)
    served = ServedApps([(app, host, port)], name="pleo-migrate-proxy")
    actual_port = served.addresses[0][1]
    target = config.new_base_url or pleo.NEW_BASE_URLS[config.env]
    legacy_base = f"http://{url_host(host)}:{actual_port}/v1"
    typer.echo(f"legacy base URL: {legacy_base}")
    if token is not None:
        typer.echo(f"caller token file: {write_token(token_file, token)}")
    stderr().print(
        f"pleo-migrate proxy ({config.env}): legacy paths on {legacy_base} are served by "
        f"{target}. "
        + (
            "Callers send the caller token as their legacy bearer token. "
            if token
            else "No caller token: anyone who reaches this address can use the key. "
        )
        + "Ctrl-C stops it.",
        markup=False,
    )
    with StopSignals() as signals, served.start():
        signals.wait(lambda: served.alive)
    return EXIT_CLEAN
