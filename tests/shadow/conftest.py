"""Fixtures for the comparator's tests: the catalogue, and a run against the fake APIs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from migrate.mapping import load_catalogue
from migrate.mapping.catalogue import Catalogue
from migrate.shadow.config import Credentials, Endpoints, Limits, Safety
from migrate.shadow.parity_run import RunReport, RunRequest, run_shadow
from migrate.shadow.plan import build_parity_plan
from tests.shadow.fakes import COMPANY, LEGACY, NEW, FakePleo

Run = Callable[..., tuple[RunReport, list[dict[str, Any]]]]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


async def no_sleep(_: float) -> None:
    return None


@pytest.fixture
def run_fake(catalogue: Catalogue, tmp_path: Path) -> Run:
    """Run the comparator over `fake`; returns the report and every results.jsonl line."""

    def run(fake: FakePleo, ops: str = "employees.list", **limits: Any) -> tuple[
        RunReport, list[dict[str, Any]]
    ]:
        settings = {"sample": None, "rate": None, "recheck": 1, "recheck_backoff": 0.0,
                    "concurrency": 2, "page_size": 3, **limits}
        safety = settings.pop("safety", Safety())
        record = settings.pop("record", None)
        request = RunRequest(
            catalogue=catalogue,
            plan=build_parity_plan(catalogue, ops),
            endpoints=Endpoints("staging", LEGACY, NEW),
            credentials=Credentials(fake.legacy_token, fake.api_key, COMPANY),
            limits=Limits(**settings),
            safety=safety,
            out=tmp_path / "out",
            record=record,
        )
        report = run_shadow(request, inner=fake.transport(), sleep=no_sleep)
        lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
        return report, [json.loads(line) for line in lines]

    return run


def operation(report: RunReport, op_id: str) -> dict[str, Any]:
    return next(op for op in report.summary["operations"] if op["operation"] == op_id)


# --- the real simulator -------------------------------------------------------------------------

from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from migrate.simulator import (  # noqa: E402
    DriftConfig,
    RunningSimulator,
    Simulator,
    SimulatorConfig,
    build_simulator,
    start_servers,
)

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Sim:
    simulator: Simulator
    running: RunningSimulator

    @property
    def endpoints(self) -> Endpoints:
        return Endpoints(self.simulator.config.environment, self.running.legacy_base_url,
                         self.running.new_base_url)

    @property
    def credentials(self) -> Credentials:
        startup = self.simulator.startup
        return Credentials(startup.legacy_token.secret, startup.api_key.secret,
                           self.simulator.company_id)


def start(drift: str, lag: float = 1.0) -> tuple[Simulator, RunningSimulator]:
    sim = build_simulator(SimulatorConfig(drift=DriftConfig.parse(drift, lag_seconds=lag)))
    return sim, start_servers(sim, host="127.0.0.1")


@pytest.fixture(scope="session")
def sim_none() -> Iterator[Sim]:
    sim, running = start("none")
    with running:
        yield Sim(sim, running)


@pytest.fixture(scope="session")
def sim_defects() -> Iterator[Sim]:
    sim, running = start("defects")
    with running:
        yield Sim(sim, running)


@pytest.fixture(scope="session")
def acceptance_catalogue() -> Catalogue:
    """The shipped catalogue, as the acceptance runs use it."""
    return load_catalogue()
