"""Pytest fixtures: both simulated APIs on free loopback ports for the whole test session.

Use with `pytest_plugins = ["migrate.simulator.testing"]`. The `simulator` fixture yields a
frozen `SimulatorHandle` with the base URLs, the start-up credentials, the store, and helpers
to mint more credentials and build auth headers.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest

from migrate.simulator.auth import Kind
from migrate.simulator.core import Simulator, SimulatorConfig, build_simulator
from migrate.simulator.new_app import SCOPES
from migrate.simulator.server import start_servers
from migrate.simulator.store import Store


def basic(api_key: str) -> dict[str, str]:
    """The new API's header for an API key: Basic base64(key + ":")."""
    return {"Authorization": "Basic " + base64.b64encode(f"{api_key}:".encode()).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class SimulatorHandle:
    """A running simulator as tests see it."""

    legacy_base_url: str
    new_base_url: str
    environment: str
    legacy_token: str
    api_key: str
    oauth_token: str
    org_api_key: str
    company_id: str
    other_company_id: str
    organization_id: str
    scopes: tuple[str, ...]
    simulator: Simulator

    @property
    def store(self) -> Store:
        return self.simulator.store

    @property
    def legacy_headers(self) -> dict[str, str]:
        return bearer(self.legacy_token)

    @property
    def new_headers(self) -> dict[str, str]:
        return basic(self.api_key)

    def mint(
        self,
        kind: Kind,
        *,
        scopes: Iterable[str] | None = None,
        environment: str | None = None,
        company_id: str | None = None,
        organization_level: bool = False,
        expires_in: float | None = None,
        revoked: bool = False,
    ) -> str:
        """A new credential's secret (every scope and the first company unless told)."""
        return self.simulator.mint(
            kind, scopes=scopes, environment=environment, company_id=company_id,
            organization_level=organization_level, expires_in=expires_in, revoked=revoked,
        ).secret


def handle_for(simulator: Simulator, legacy_base_url: str, new_base_url: str) -> SimulatorHandle:
    startup = simulator.startup
    companies = simulator.store.company_ids()
    return SimulatorHandle(
        legacy_base_url=legacy_base_url, new_base_url=new_base_url,
        environment=simulator.config.environment, legacy_token=startup.legacy_token.secret,
        api_key=startup.api_key.secret, oauth_token=startup.oauth_token.secret,
        org_api_key=startup.org_api_key.secret, company_id=companies[0],
        other_company_id=companies[1], organization_id=simulator.organization_id,
        scopes=SCOPES, simulator=simulator,
    )


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorHandle]:
    """Both APIs served by real uvicorn servers on 127.0.0.1, default seed, no drift."""
    sim = build_simulator(SimulatorConfig())
    with start_servers(sim, host="127.0.0.1") as running:
        yield handle_for(sim, running.legacy_base_url, running.new_base_url)
