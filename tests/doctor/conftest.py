"""Simulators for doctor's tests: one per set of flipped assumptions, started once per session."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pytest

from migrate import pleo
from migrate.simulator import (
    Assumptions,
    SimulatorConfig,
    SimulatorHandle,
    build_simulator,
    handle_for,
    start_servers,
)
from tests.cli_runner import Result, invoke

REPO = Path(__file__).resolve().parents[2]
# What branch `cat` adds to mappings/assumptions.yaml; a test copy of the catalogue carries it
# so the checks of account ids and list defaults run on this branch's catalogue too.
CORRECTED_ASSUMPTIONS = """\
  account-ids:
    value: same
    choices: [same, different]
    says: A legacy account id is the chart-of-accounts id of the same account.
    evidence: test copy (the real entry comes with the catalogue corrections).
  legacy-list-defaults:
    value: active-only
    choices: [active-only, all]
    says: Without archived/hidden, legacy lists leave archived and hidden records out.
    evidence: test copy (the real entry comes with the catalogue corrections).
"""


class Simulators(Protocol):
    def __call__(self, *assume: str) -> SimulatorHandle: ...


@pytest.fixture(scope="session")
def simulators() -> Iterator[Simulators]:
    """`simulators("legacy-money-units=minor")`: a staging simulator under those assumptions."""
    running: dict[tuple[str, ...], SimulatorHandle] = {}
    with contextlib.ExitStack() as stack:

        def get(*assume: str) -> SimulatorHandle:
            if assume not in running:
                config = SimulatorConfig(environment="staging",
                                         assumptions=Assumptions.parse(assume))
                sim = build_simulator(config)
                served = stack.enter_context(start_servers(sim))
                running[assume] = handle_for(sim, served.legacy_base_url, served.new_base_url)
            return running[assume]

        yield get


@pytest.fixture(scope="session")
def corrected_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue plus the assumptions the catalogue corrections add."""
    folder = tmp_path_factory.mktemp("catalogue") / "mappings"
    shutil.copytree(REPO / "mappings", folder)
    text = (folder / "assumptions.yaml").read_text(encoding="utf-8")
    for ident in ("account-ids:", "legacy-list-defaults:"):
        if f"  {ident}" in text:
            return folder  # the real catalogue has them already
    (folder / "assumptions.yaml").write_text(text + CORRECTED_ASSUMPTIONS, encoding="utf-8")
    return folder


def environment(sim: SimulatorHandle, **overrides: str) -> dict[str, str]:
    """PLEO_* variables for a run against `sim` (and nothing from the outer environment)."""
    env = {name: "" for name in (pleo.LEGACY_TOKEN_VAR, pleo.API_KEY_VAR, pleo.OAUTH_TOKEN_VAR,
                                 pleo.COMPANY_ID_VAR, pleo.ENV_VAR, pleo.NEW_URL_VAR,
                                 pleo.LEGACY_URL_VAR)}
    env.update({
        pleo.API_KEY_VAR: sim.api_key,
        pleo.LEGACY_TOKEN_VAR: sim.legacy_token,
        pleo.COMPANY_ID_VAR: sim.company_id,
        pleo.NEW_URL_VAR: sim.new_base_url,
        pleo.LEGACY_URL_VAR: sim.legacy_base_url,
        "NO_COLOR": "",
    })
    env.update(overrides)
    return env


def doctor(sim: SimulatorHandle, *args: str, **env: str) -> Result:
    return invoke(["doctor", *args], environment(sim, **env))


def doctor_json(sim: SimulatorHandle, *args: str, **env: str) -> tuple[int, dict[str, Any]]:
    result = doctor(sim, "-o", "json", *args, **env)
    return result.exit_code, json.loads(result.stdout)


def by_check(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["check"]: check for check in document["checks"]}

AUTHORISATIONS_ASSUMPTION = """\
  legacy-authorisations:
    value: excluded
    choices: [excluded, included]
    says: Without transactionStates, legacy GET /expenses leaves card authorisations out.
    evidence: test copy (no catalogue declares it yet).
"""


@pytest.fixture(scope="session")
def authorisations_catalogue(corrected_catalogue: Path, tmp_path_factory: pytest.TempPathFactory
                             ) -> Path:
    """The corrected catalogue plus a `legacy-authorisations` assumption."""
    folder = tmp_path_factory.mktemp("catalogue-auth") / "mappings"
    shutil.copytree(corrected_catalogue, folder)
    text = (folder / "assumptions.yaml").read_text(encoding="utf-8")
    if "  legacy-authorisations:" not in text:
        (folder / "assumptions.yaml").write_text(text + AUTHORISATIONS_ASSUMPTION,
                                                 encoding="utf-8")
    return folder
