"""Assemble a simulator: seed the store, mint start-up credentials, build both apps.

`build_simulator` is the in-process Python API: it returns the two ASGI apps over one store,
for `httpx.ASGITransport`, `starlette.testclient` or any ASGI server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.applications import Starlette

from migrate.simulator.assumptions import Assumptions
from migrate.simulator.auth import Credential, CredentialRegistry, Kind
from migrate.simulator.drift import Defect, DefectPlan, DriftConfig
from migrate.simulator.legacy_app import build_legacy_app
from migrate.simulator.new_app import SCOPES, build_new_app
from migrate.simulator.ratelimit import RateLimit, RateLimiter
from migrate.simulator.seed import SeedSummary, seed_store
from migrate.simulator.store import Store
from migrate.simulator.web import SimContext


@dataclass(frozen=True)
class SimulatorConfig:
    environment: str = "production"
    seed: int = 1
    scale: int = 1
    drift: DriftConfig = field(default_factory=DriftConfig)
    rate_limit: RateLimit | None = None
    assumptions: Assumptions = field(default_factory=Assumptions)

    def __post_init__(self) -> None:
        if self.environment not in ("staging", "production"):
            raise ValueError("environment must be staging or production")
        if self.scale < 1:
            raise ValueError("scale must be at least 1")


@dataclass(frozen=True)
class StartupCredentials:
    """The credentials minted at start-up; all bound to the first company but `org_api_key`."""

    legacy_token: Credential
    api_key: Credential
    oauth_token: Credential
    org_api_key: Credential


@dataclass(frozen=True)
class Simulator:
    config: SimulatorConfig
    store: Store
    credentials: CredentialRegistry
    startup: StartupCredentials
    legacy_app: Starlette
    new_app: Starlette
    seeded: SeedSummary
    defects: tuple[Defect, ...]

    @property
    def company_id(self) -> str:
        return self.store.first_company().id

    @property
    def organization_id(self) -> str:
        return self.store.organization.id

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
    ) -> Credential:
        """A credential for tests: every scope, this environment, the first company unless
        told otherwise."""
        return self.credentials.mint(
            kind,
            environment=environment or self.config.environment,
            scopes=SCOPES if scopes is None else scopes,
            company_id=None if organization_level else (company_id or self.company_id),
            organization_id=self.organization_id,
            expires_in=expires_in,
            revoked=revoked,
        )


def build_simulator(config: SimulatorConfig | None = None) -> Simulator:
    config = config or SimulatorConfig()
    store = Store()
    seeded = seed_store(store, seed=config.seed, scale=config.scale)
    store.set_lag(config.drift.lag)
    registry = CredentialRegistry(store.clock)
    company = store.first_company().id
    org = store.organization.id

    def mint(kind: Kind, company_id: str | None) -> Credential:
        return registry.mint(kind, environment=config.environment, scopes=SCOPES,
                             company_id=company_id, organization_id=org)

    startup = StartupCredentials(
        legacy_token=mint("legacy", company), api_key=mint("api_key", company),
        oauth_token=mint("oauth", company), org_api_key=mint("api_key", None),
    )
    plan = DefectPlan(store, config.drift.defects)
    ctx = SimContext(
        store=store, credentials=registry, environment=config.environment, drift=config.drift,
        defects=plan, limiter=RateLimiter(config.rate_limit), assumptions=config.assumptions,
    )
    return Simulator(
        config=config, store=store, credentials=registry, startup=startup,
        legacy_app=build_legacy_app(ctx), new_app=build_new_app(ctx), seeded=seeded,
        defects=plan.defects,
    )
