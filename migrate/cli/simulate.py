"""`pleo-migrate simulate`: serve both simulated Pleo APIs on loopback until interrupted.

Base URLs and the start-up credentials go to stdout (data); progress goes to stderr. SIGINT and
SIGTERM stop the servers cleanly (exit 0). A port in use or a bad flag is a configuration error
(exit 2).
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from migrate.cli.output import OutputFormat, print_json
from migrate.errors import EXIT_CLEAN, UsageError
from migrate.serving import StopSignals, is_loopback
from migrate.simulator import (
    AssumptionError,
    Assumptions,
    DriftConfig,
    RateLimit,
    RunningSimulator,
    SimulatorConfig,
    build_simulator,
    start_servers,
    write_credentials_file,
)


class Environment(StrEnum):
    staging = "staging"
    production = "production"


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)


def simulate(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback)."),
    legacy_port: int = typer.Option(
        8401, "--legacy-port", min=0, max=65535, help="Port of the legacy API."
    ),
    new_port: int = typer.Option(
        8402, "--new-port", min=0, max=65535, help="Port of the new API."
    ),
    env: Environment = typer.Option(
        Environment.production, "--env", help="The environment the credentials belong to."
    ),
    seed: int = typer.Option(1, "--seed", help="Seed of the generated data."),
    scale: int = typer.Option(1, "--scale", help="Multiply people and expenses (2,000 x N)."),
    drift: str = typer.Option(
        "none", "--drift", help="none, noise, lag, defects; combine with commas."
    ),
    lag: float = typer.Option(5.0, "--lag", help="Seconds the new API lags with --drift lag."),
    rate_limit: str | None = typer.Option(
        None, "--rate-limit", help="Per-credential token bucket CAPACITY/PER_SECOND, e.g. 20/5."
    ),
    assume: list[str] = typer.Option(
        [], "--assume", metavar="NAME=VALUE",
        help="Run under another belief about the legacy API (repeatable): "
             "legacy-money-units=major|minor, legacy-tax-rate-unit=percent|fraction, "
             "account-ids=same|different, legacy-list-defaults=active-only|all, "
             "legacy-authorisations=excluded|included.",
    ),
    credentials_file: Path | None = typer.Option(
        None, "--credentials-file", help="Also write the base URLs and credentials here (0600)."
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--output-format", "-o", help="text or json."
    ),
) -> int:
    """Serve the legacy and the new Pleo API, simulated over one seeded dataset."""
    config = _config(env.value, seed, scale, drift, lag, rate_limit, assume)
    _note(f"seeding (seed {seed}, scale {scale}) …")
    started = time.monotonic()
    simulator = build_simulator(config)
    with StopSignals() as signals:
        running = start_servers(simulator, host=host, legacy_port=legacy_port, new_port=new_port)
        try:
            seeded = simulator.seeded
            _note(
                f"seeded {seeded.companies} companies, {seeded.employees} employees, "
                f"{seeded.expenses} expenses; drift {config.drift.describe()}; "
                f"assumptions {config.assumptions.describe()}; "
                f"{env.value}; ready in {time.monotonic() - started:.2f} s"
            )
            if not is_loopback(host):
                _note(f"warning: listening on {host}, which is not a loopback address")
            if credentials_file is not None:
                write_credentials_file(credentials_file, running.credentials_document())
                _note(f"wrote credentials to {credentials_file} (mode 0600)")
            _print(running, output_format)
            _note("serving; press Ctrl-C to stop")
            signals.wait(lambda: running.alive)
        finally:
            running.stop()
    _note("stopped")
    return EXIT_CLEAN


def _config(
    env: str, seed: int, scale: int, drift: str, lag: float, rate_limit: str | None,
    assume: list[str],
) -> SimulatorConfig:
    if scale < 1:
        raise UsageError("--scale must be at least 1")
    try:
        drift_config = DriftConfig.parse(drift, lag_seconds=lag)
    except ValueError as error:
        raise UsageError(f"--drift: {error}") from error
    try:
        assumptions = Assumptions.parse(assume)
    except AssumptionError as error:
        raise UsageError(f"--assume: {error}") from error
    return SimulatorConfig(
        environment=env,
        seed=seed,
        scale=scale,
        drift=drift_config,
        rate_limit=_rate_limit(rate_limit),
        assumptions=assumptions,
    )


def _rate_limit(text: str | None) -> RateLimit | None:
    if text is None:
        return None
    capacity, _, per_second = text.partition("/")
    try:
        return RateLimit(int(capacity), float(per_second))
    except ValueError as error:
        raise UsageError(
            f"--rate-limit: expected CAPACITY/PER_SECOND such as 20/5 ({error})"
        ) from error


def _note(message: str) -> None:
    sys.stderr.write(f"pleo-migrate simulate: {message}\n")
    sys.stderr.flush()


def _print(running: RunningSimulator, output_format: OutputFormat) -> None:
    sim = running.simulator
    startup = sim.startup
    companies = sim.store.company_ids()
    document: dict[str, Any] = running.credentials_document()
    document["new"]["oauth_token"] = startup.oauth_token.secret
    document["new"]["organization_api_key"] = startup.org_api_key.secret
    document["new"]["other_company_id"] = companies[1]
    document["drift"] = sim.config.drift.describe()
    document["assumptions"] = dict(sim.config.assumptions.values)
    if output_format is OutputFormat.json:
        print_json(document)
    else:
        new = document["new"]
        lines = [
            f"environment        {document['environment']}",
            f"legacy base URL    {document['legacy']['base_url']}",
            f"legacy token       {document['legacy']['token']}",
            f"new base URL       {new['base_url']}",
            f"new API key        {new['api_key']}",
            f"new OAuth token    {new['oauth_token']}",
            f"org-level API key  {new['organization_api_key']}",
            f"company_id         {new['company_id']}",
            f"other company_id   {new['other_company_id']}",
            f"organization_id    {new['organization_id']}",
            f"scopes             {' '.join(new['scopes'])}",
        ]
        sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
