"""pytest plugin: test code written for Pleo's legacy API against both simulated APIs.

pytest loads it through the `pytest11` entry point wherever pleo-migrate is installed, so it
must cost nothing until used: importing it loads pytest only, and nothing starts (no server, no
thread, no import of httpx or the simulator) until a test asks for one of its fixtures.

Fixtures:
  pleo_simulator       both simulated APIs on free loopback ports for the whole session: a
                       `migrate.simulator.testing.SimulatorHandle` (base URLs, generated
                       credentials, company ids, the store).
  pleo_legacy_client   an httpx.Client straight to the simulated legacy API.
  pleo_compat_client   an httpx.Client through the compat layer to the simulated new API.
  pleo_client          only in a test marked `pleo_parity`: the first client, then the second.

Both clients take legacy URLs as the code under test writes them: relative to the legacy base
(`client.get("/employees")`) or absolute (`https://openapi.pleo.io/v1/employees`), and both
send them to the simulator only, with the simulator's credentials (any Authorization header of
the caller's is replaced), so a test never reaches Pleo.

Marker:
  @pytest.mark.pleo_parity(ignore=("field", ...)) runs the test twice, once with
  `pleo_client` = the legacy client and once with the compat client, and fails unless both runs
  return the same value (an httpx.Response compares as its status and decoded body; keys named
  in `ignore` are left out at any depth, e.g. a loss the catalogue declares).
"""

from __future__ import annotations

import difflib
import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx

    from migrate.simulator import SimulatorHandle

__all__ = ["MARKER", "ParityClients"]

MARKER = "pleo_parity"
CLIENT_TIMEOUT = 30.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(ignore=()): run the test with pleo_client = the legacy API, then the compat "
        "layer, and fail unless both runs return the same value (pleo-migrate).",
    )


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pleo_simulator() -> Iterator[SimulatorHandle]:
    """Both simulated APIs on 127.0.0.1, free ports, default seed, no drift; for the session."""
    from migrate.simulator import SimulatorConfig, build_simulator, handle_for, start_servers

    simulator = build_simulator(SimulatorConfig())
    with start_servers(simulator, host="127.0.0.1") as running:
        yield handle_for(simulator, running.legacy_base_url, running.new_base_url)


@pytest.fixture
def pleo_legacy_client(pleo_simulator: SimulatorHandle) -> Iterator[httpx.Client]:
    """An httpx.Client that sends legacy URLs straight to the simulated legacy API."""
    client = _direct_legacy_client(pleo_simulator)
    with client:
        yield client


@pytest.fixture
def pleo_compat_client(pleo_simulator: SimulatorHandle) -> Iterator[httpx.Client]:
    """An httpx.Client that serves legacy URLs from the simulated new API (migrate.compat)."""
    from migrate.compat import legacy_client

    client = legacy_client(
        api_key=pleo_simulator.api_key,
        company_id=pleo_simulator.company_id,
        env=pleo_simulator.environment,
        new_base_url=pleo_simulator.new_base_url,
        legacy_base_url=pleo_simulator.legacy_base_url,
        base_url=pleo_simulator.legacy_base_url,
        timeout=CLIENT_TIMEOUT,
    )
    with client:
        yield client


@dataclass(frozen=True)
class ParityClients:
    """What `pleo_client` holds until the marker's hook hands the test one client at a time."""

    legacy: httpx.Client
    compat: httpx.Client


@pytest.fixture
def pleo_client(
    request: pytest.FixtureRequest,
    pleo_legacy_client: httpx.Client,
    pleo_compat_client: httpx.Client,
) -> ParityClients:
    """In a `pleo_parity` test: the legacy client in the first run, the compat one in the second."""
    if request.node.get_closest_marker(MARKER) is None:
        pytest.fail(
            f"pleo_client is for tests marked @pytest.mark.{MARKER}; use pleo_legacy_client or "
            "pleo_compat_client in other tests",
            pytrace=False,
        )
    return ParityClients(legacy=pleo_legacy_client, compat=pleo_compat_client)


# --- the parity marker ---------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a `pleo_parity` test once per API and compare; leave every other test to pytest."""
    marker = pyfuncitem.get_closest_marker(MARKER)
    if marker is None:
        return None
    if marker.args:
        pytest.fail(f"{MARKER} takes keyword arguments only: ignore=(...)", pytrace=False)
    ignore = _ignored(marker.kwargs.get("ignore", ()))
    clients = pyfuncitem.funcargs.get("pleo_client")
    if not isinstance(clients, ParityClients):
        pytest.fail(f"a test marked {MARKER} takes the pleo_client fixture", pytrace=False)
    function = pyfuncitem.obj
    if inspect.iscoroutinefunction(function):
        pytest.fail(f"{MARKER} runs plain (not async) test functions", pytrace=False)
    names = inspect.signature(function).parameters
    arguments = {name: pyfuncitem.funcargs[name] for name in names if name in pyfuncitem.funcargs}
    answers = []
    for client in (clients.legacy, clients.compat):
        arguments["pleo_client"] = client
        answers.append(_comparable(function(**arguments), ignore))
    legacy, compat = answers
    if legacy is None and compat is None:
        pytest.fail(
            f"a test marked {MARKER} returns what it read, so the two APIs can be compared",
            pytrace=False,
        )
    if legacy != compat:
        pytest.fail(_difference(legacy, compat), pytrace=False)
    return True


def _ignored(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list | tuple | set | frozenset) and all(
        isinstance(item, str) for item in value
    ):
        return frozenset(value)
    pytest.fail(f"{MARKER}(ignore=...) takes a field name or a sequence of them", pytrace=False)


def _comparable(value: object, ignore: frozenset[str]) -> Any:
    """The value with ignored keys dropped; an httpx.Response as its status and decoded body."""
    import httpx

    if isinstance(value, httpx.Response):
        try:
            body: Any = value.json()
        except (ValueError, UnicodeDecodeError):
            body = value.text
        value = {"status": value.status_code, "body": body}
    return _without(value, ignore)


def _without(value: Any, ignore: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {key: _without(item, ignore) for key, item in value.items() if key not in ignore}
    if isinstance(value, list | tuple):
        return [_without(item, ignore) for item in value]
    return value


def _difference(legacy: Any, compat: Any) -> str:
    def lines(value: Any) -> list[str]:
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=repr)
        return text.splitlines(keepends=True)

    diff = "".join(
        difflib.unified_diff(lines(legacy), lines(compat), "legacy API", "compat layer (new API)")
    )
    return f"{MARKER}: the legacy API and the compat layer returned different values\n{diff}"


# --- the direct legacy client --------------------------------------------------------------


def _direct_legacy_client(sim: SimulatorHandle) -> httpx.Client:
    """A client whose transport points legacy Pleo URLs at the simulator and refuses the rest."""
    import httpx

    from migrate.errors import SafetyRefusal
    from migrate.pleo import LEGACY_BASE_PATH, LEGACY_HOSTS

    base = httpx.URL(sim.legacy_base_url)
    authorization = f"Bearer {sim.legacy_token}"

    class ToSimulator(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            url = request.url
            if LEGACY_HOSTS.get(url.host) == sim.environment:
                if not url.path.startswith(LEGACY_BASE_PATH + "/"):
                    raise SafetyRefusal(f"not a legacy API path: {url.path}")
                rest = url.raw_path.decode("ascii")[len(LEGACY_BASE_PATH) :]  # path and query
                url = httpx.URL(str(base).rstrip("/") + rest)
            elif (url.scheme, url.host, url.port) != (base.scheme, base.host, base.port):
                raise SafetyRefusal(
                    f"pleo_legacy_client sends only to the simulated {sim.environment} legacy "
                    f"API, not to {url.host}"
                )
            headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "host"]
            headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
            forwarded = httpx.Request(
                request.method,
                url,
                headers=[*headers, ("Authorization", authorization)],
                content=request.read(),
                extensions=request.extensions,
            )
            return self.inner.handle_request(forwarded)

        def close(self) -> None:
            self.inner.close()

    return httpx.Client(transport=ToSimulator(), base_url=base, timeout=CLIENT_TIMEOUT)
