"""`pleo-migrate proxy`: a local legacy-API server backed by the new API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from migrate import pleo
from migrate.cli.output import stderr
from migrate.compat import CompatSettings, build_proxy_app
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


def proxy_command(
    listen: str = typer.Option("127.0.0.1:8400", help="HOST:PORT to listen on (loopback)."),
    env: str | None = typer.Option(
        None, help=f"staging or production (default: {pleo.ENV_VAR})."
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
) -> int:
    """Answer legacy Pleo paths (`/v1/...`) from the new API, for clients in any language.

    The API key comes from PLEO_API_KEY / PLEO_OAUTH_TOKEN or --credentials-file, never from
    the command line. Incoming legacy tokens are ignored and never forwarded.
    """
    host, port = parse_listen(listen)
    if not pleo.is_loopback(host) and not allow_remote:
        raise SafetyRefusal(
            f"refusing to listen on {host}: anyone who reaches it could spend your API key; "
            "use a loopback address or pass --allow-remote"
        )
    flags = _from_file(credentials_file) if credentials_file else {}
    given = {"env": env, "company_id": company_id, "new_base_url": new_url}
    flags.update({name: value for name, value in given.items() if value})
    config = CompatSettings.of(load_settings(flags))
    app = build_proxy_app(config)
    served = ServedApps([(app, host, port)], name="pleo-migrate-proxy")
    actual_port = served.addresses[0][1]
    target = config.new_base_url or pleo.NEW_BASE_URLS[config.env]
    legacy_base = f"http://{url_host(host)}:{actual_port}/v1"
    typer.echo(f"legacy base URL: {legacy_base}")
    stderr().print(
        f"pleo-migrate proxy ({config.env}): legacy paths on {legacy_base} are served by "
        f"{target}. Ctrl-C stops it.",
        markup=False,
    )
    with StopSignals() as signals, served.start():
        signals.wait(lambda: served.alive)
    return EXIT_CLEAN
