"""A stateful simulator of Pleo's legacy and new APIs over one seeded dataset.

Each API is rendered by its own serializers written from Pleo's docs and specs, never from the
mapping catalogue, so parity checks test the catalogue against something it did not produce.
What Pleo leaves undocumented is in `assumptions` (one table, a reason per item); the legacy
beliefs nobody can confirm are switches a run may flip.

    sim = build_simulator(SimulatorConfig(drift=DriftConfig.parse("defects"),
                                          assumptions=Assumptions.parse(["account-ids=different"])))
    sim.legacy_app, sim.new_app        # ASGI apps over one store
    with start_servers(sim) as running:
        running.legacy_base_url, running.new_base_url
"""

from migrate.simulator.assumptions import (
    INVENTED,
    SWITCHES,
    AssumptionError,
    Assumptions,
    Invented,
    Switch,
)
from migrate.simulator.auth import Credential, CredentialRegistry
from migrate.simulator.core import Simulator, SimulatorConfig, StartupCredentials, build_simulator
from migrate.simulator.drift import (
    DEFECT_RULES,
    NOISE_FIELDS,
    PROFILES,
    Defect,
    DriftConfig,
    resolve_defects,
)
from migrate.simulator.legacy_app import OPERATIONS as LEGACY_OPERATIONS
from migrate.simulator.new_app import OPERATIONS as NEW_OPERATIONS
from migrate.simulator.new_app import SCOPES
from migrate.simulator.ratelimit import RateLimit
from migrate.simulator.seed import SeedSummary
from migrate.simulator.server import RunningSimulator, start_servers, write_credentials_file
from migrate.simulator.store import Store
from migrate.simulator.testing import SimulatorHandle, handle_for

__all__ = [
    "DEFECT_RULES",
    "INVENTED",
    "LEGACY_OPERATIONS",
    "NEW_OPERATIONS",
    "NOISE_FIELDS",
    "PROFILES",
    "SCOPES",
    "SWITCHES",
    "AssumptionError",
    "Assumptions",
    "Credential",
    "CredentialRegistry",
    "Defect",
    "DriftConfig",
    "Invented",
    "RateLimit",
    "RunningSimulator",
    "SeedSummary",
    "Simulator",
    "SimulatorConfig",
    "SimulatorHandle",
    "StartupCredentials",
    "Store",
    "Switch",
    "build_simulator",
    "handle_for",
    "resolve_defects",
    "start_servers",
    "write_credentials_file",
]
