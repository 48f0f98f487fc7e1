"""The compat twins of requests and httpx (`pleo_requests`, `pleo_httpx`), which the compat
codemod swaps in for the library: legacy URLs served from the new API, everything else the real
library, untouched; settings read at the first legacy request."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import requests
import requests.adapters

from migrate import pleo
from migrate.compat import pleo_httpx, pleo_requests
from migrate.errors import ConfigurationError
from migrate.simulator.testing import SimulatorHandle
from tests.compat.faults import FaultServer, fault_server

PLEO_VARIABLES = (
    pleo.API_KEY_VAR,
    pleo.OAUTH_TOKEN_VAR,
    pleo.COMPANY_ID_VAR,
    pleo.ENV_VAR,
    pleo.NEW_URL_VAR,
    pleo.LEGACY_URL_VAR,
    pleo.LEGACY_TOKEN_VAR,
)


@pytest.fixture
def bare(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No PLEO_* variable set: nothing to resolve settings from."""
    for name in PLEO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _configure(env: pytest.MonkeyPatch, sim: SimulatorHandle) -> None:
    env.setenv(pleo.API_KEY_VAR, sim.api_key)
    env.setenv(pleo.COMPANY_ID_VAR, sim.company_id)
    env.setenv(pleo.ENV_VAR, sim.environment)
    env.setenv(pleo.NEW_URL_VAR, sim.new_base_url)


@pytest.fixture
def served(bare: pytest.MonkeyPatch, simulator: SimulatorHandle) -> str:
    """Every variable set for the simulator; the legacy base URL to call."""
    bare.setenv(pleo.LEGACY_URL_VAR, simulator.legacy_base_url)
    _configure(bare, simulator)
    return simulator.legacy_base_url


@pytest.fixture
def other() -> Iterator[FaultServer]:
    """A loopback server that is not Pleo: records what reaches it, answers {"ok": true}."""
    with fault_server(lambda handler: handler.answer(200, b'{"ok": true}')) as server:
        yield server


def _employees(answer: requests.Response | httpx.Response) -> list[object]:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert isinstance(body, dict) and "employees" in body, body  # the legacy envelope
    employees = body["employees"]
    assert isinstance(employees, list) and employees
    return employees


def _saw_untouched(server: FaultServer) -> None:
    [seen] = server.seen
    assert seen.path == "/things?page=2"
    assert seen.headers["Authorization"] == "Bearer not-pleo"
    assert seen.headers["X-Trace"] == "t-1"


ASIS = {"Authorization": "Bearer not-pleo", "X-Trace": "t-1"}


# --- requests ----------------------------------------------------------------------------------


def test_the_requests_twin_is_the_real_library_but_for_its_clients() -> None:
    assert pleo_requests.exceptions.HTTPError is requests.exceptions.HTTPError
    assert pleo_requests.HTTPError is requests.HTTPError
    assert pleo_requests.adapters.HTTPAdapter is requests.adapters.HTTPAdapter
    assert pleo_requests.codes.ok == 200
    assert isinstance(pleo_requests.Session(), requests.Session)
    assert isinstance(pleo_requests.session(), requests.Session)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = pleo_requests.nothing_here


def test_a_requests_twin_session_is_made_without_settings_and_resolves_them_on_first_use(
    bare: pytest.MonkeyPatch, simulator: SimulatorHandle
) -> None:
    bare.setenv(pleo.LEGACY_URL_VAR, simulator.legacy_base_url)
    session = pleo_requests.Session()  # no credential yet: nothing is resolved here
    _configure(bare, simulator)
    with session:
        _employees(session.get(simulator.legacy_base_url + "/employees"))


def test_the_requests_twin_functions_serve_legacy_urls(served: str) -> None:
    _employees(pleo_requests.get(served + "/employees"))
    _employees(pleo_requests.request("GET", served + "/employees"))


def test_the_requests_twin_keeps_a_users_mounts_for_every_other_host(served: str) -> None:
    class Mine(requests.adapters.HTTPAdapter):
        pass

    session = pleo_requests.Session()
    mine = Mine(max_retries=3)
    session.mount("https://", mine)
    session.mount("http://", mine)
    assert session.get_adapter("https://example.com/x") is mine
    assert isinstance(session.get_adapter(served + "/employees"), pleo_requests.PleoAdapter)
    legacy = "https://" + pleo.legacy_host() + "/v1/employees"
    assert isinstance(session.get_adapter(legacy), pleo_requests.PleoAdapter)
    with session:
        _employees(session.get(served + "/employees"))


def test_the_requests_twin_sends_other_urls_untouched(served: str, other: FaultServer) -> None:
    pleo_requests.get(other.url + "/things", params={"page": 2}, headers=ASIS).raise_for_status()
    _saw_untouched(other)
    with pleo_requests.Session() as session:
        answer = session.get(other.url + "/things?page=2", headers=ASIS)
    assert answer.json() == {"ok": True}
    assert len(other.seen) == 2 and other.seen[1].headers["Authorization"] == "Bearer not-pleo"


def test_the_requests_twin_without_settings_fails_only_on_a_legacy_call(
    bare: pytest.MonkeyPatch, other: FaultServer
) -> None:
    with pleo_requests.Session() as session:
        assert session.get(other.url + "/things").json() == {"ok": True}
        with pytest.raises(ConfigurationError, match=pleo.API_KEY_VAR):
            session.get("https://" + pleo.legacy_host() + "/v1/employees")


# --- httpx -------------------------------------------------------------------------------------


def test_the_httpx_twin_is_the_real_library_but_for_its_clients() -> None:
    assert pleo_httpx.HTTPStatusError is httpx.HTTPStatusError
    assert pleo_httpx.Timeout is httpx.Timeout
    assert isinstance(pleo_httpx.Client(), httpx.Client)
    assert isinstance(pleo_httpx.AsyncClient(), httpx.AsyncClient)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = pleo_httpx.nothing_here


def test_an_httpx_twin_client_resolves_settings_on_first_use_and_takes_a_legacy_base_url(
    bare: pytest.MonkeyPatch, simulator: SimulatorHandle
) -> None:
    bare.setenv(pleo.LEGACY_URL_VAR, simulator.legacy_base_url)
    client = pleo_httpx.Client(base_url=simulator.legacy_base_url)
    _configure(bare, simulator)
    with client:
        _employees(client.get("/employees"))


def test_an_httpx_twin_client_keeps_a_users_mounts(served: str, other: FaultServer) -> None:
    mine = httpx.MockTransport(lambda request: httpx.Response(200, json={"mine": True}))
    with pleo_httpx.Client(mounts={"all://": mine}) as client:
        assert client.get("https://example.com/x").json() == {"mine": True}
        _employees(client.get(served + "/employees"))


def test_the_httpx_twin_sends_other_urls_untouched(served: str, other: FaultServer) -> None:
    pleo_httpx.get(other.url + "/things", params={"page": 2}, headers=ASIS).raise_for_status()
    _saw_untouched(other)
    with pleo_httpx.Client() as client:
        assert client.get(other.url + "/things?page=2", headers=ASIS).json() == {"ok": True}
    assert other.seen[1].headers["X-Trace"] == "t-1"


def test_the_httpx_twin_functions_serve_legacy_urls(served: str) -> None:
    _employees(pleo_httpx.get(served + "/employees", timeout=30))
    with pleo_httpx.stream("GET", served + "/employees") as response:
        response.read()
        _employees(response)
    _employees(pleo_httpx.get(served + "/employees"))  # the shared transport outlives a call


def test_the_async_httpx_twin_serves_legacy_urls(bare: pytest.MonkeyPatch, served: str) -> None:
    async def run() -> list[object]:
        async with pleo_httpx.AsyncClient(base_url=served) as client:
            return _employees(await client.get("/employees"))

    assert asyncio.run(run())
