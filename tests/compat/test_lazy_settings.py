"""A door made before the credential exists (at import time) fails at its first request, not
at construction, with the same clear error; once the credential is set it simply works."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from migrate import pleo
from migrate.compat import (
    AsyncCompatTransport,
    CompatTransport,
    legacy_async_client,
    legacy_client,
    legacy_session,
)
from migrate.errors import ConfigurationError, SafetyRefusal
from migrate.simulator.testing import SimulatorHandle

NO_CREDENTIAL = "no new-API credential"
URL = f"https://{pleo.legacy_host('production')}/v1/employees?pageSize=2"

# What the compat codemod leaves in a module: doors made at import, the legacy token read
# as the new key without a KeyError.
MODULE = '''
import os

from migrate.compat import legacy_async_client, legacy_client, legacy_session

TOKEN = os.environ.get("PLEO_API_KEY", "")
BASE = "https://{host}/v1"
SESSION = legacy_session()
CLIENT = legacy_client(base_url=BASE)
ASYNC_CLIENT = legacy_async_client(base_url=BASE)


def session_employees():
    return SESSION.get(f"{{BASE}}/employees?pageSize=2", timeout=30)


def client_employees():
    return CLIENT.get("/employees?pageSize=2")


async def async_employees():
    return await ASYNC_CLIENT.get("/employees?pageSize=2")
'''


@pytest.fixture
def no_pleo_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("PLEO_"):
            monkeypatch.delenv(name)


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def legacy_module(
    tmp_path: Path, simulator: SimulatorHandle, no_pleo_variables: None
) -> Iterator[ModuleType]:
    """The module, imported with no PLEO_* variable set at all."""
    host = pleo.legacy_host(simulator.environment)
    path = tmp_path / "legacy_integration.py"
    path.write_text(textwrap.dedent(MODULE.format(host=host)))
    module = _import(path, "legacy_integration")
    yield module
    module.SESSION.close()
    module.CLIENT.close()
    sys.modules.pop("legacy_integration", None)


def _set_credential(monkeypatch: pytest.MonkeyPatch, simulator: SimulatorHandle) -> None:
    """What the program does in main(): after the import, the environment is complete."""
    monkeypatch.setenv(pleo.API_KEY_VAR, simulator.api_key)
    monkeypatch.setenv(pleo.ENV_VAR, simulator.environment)
    monkeypatch.setenv(pleo.COMPANY_ID_VAR, simulator.company_id)
    monkeypatch.setenv(pleo.NEW_URL_VAR, simulator.new_base_url)


def test_a_module_with_doors_at_import_imports_without_a_credential(
    legacy_module: ModuleType,
) -> None:
    assert legacy_module.TOKEN == ""
    for call in (legacy_module.session_employees, legacy_module.client_employees):
        with pytest.raises(ConfigurationError, match=NO_CREDENTIAL):
            call()
    with pytest.raises(ConfigurationError, match=NO_CREDENTIAL):
        asyncio.run(legacy_module.async_employees())


def test_the_same_doors_work_once_the_credential_is_set(
    legacy_module: ModuleType, simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigurationError, match=NO_CREDENTIAL):
        legacy_module.client_employees()  # a failed first request resolves again next time
    _set_credential(monkeypatch, simulator)
    for call in (legacy_module.session_employees, legacy_module.client_employees):
        answer = call()
        assert answer.status_code == 200, answer.text
        assert len(answer.json()["employees"]) == 2

    async def once() -> httpx.Response:
        try:
            return await legacy_module.async_employees()  # type: ignore[no-any-return]
        finally:
            await legacy_module.ASYNC_CLIENT.aclose()

    answer = asyncio.run(once())
    assert answer.status_code == 200 and len(answer.json()["employees"]) == 2


@pytest.mark.parametrize(
    "door",
    [legacy_client, legacy_async_client, legacy_session, CompatTransport, AsyncCompatTransport],
)
def test_every_door_defers_only_the_missing_credential(
    door: Callable[..., object], no_pleo_variables: None
) -> None:
    door()  # no credential: made anyway
    with pytest.raises(ConfigurationError, match="staging or production"):
        door(env="prod")
    with pytest.raises(SafetyRefusal, match="not a Pleo host"):
        door(new_base_url="https://example.com")


def test_a_transport_with_deferred_settings_names_the_fix_at_the_first_request(
    no_pleo_variables: None,
) -> None:
    transport = CompatTransport()
    assert repr(transport) == "CompatTransport(settings resolved at the first request)"
    with pytest.raises(ConfigurationError, match=pleo.API_KEY_VAR):
        transport.handle_request(httpx.Request("GET", URL))
    with pytest.raises(ConfigurationError, match=NO_CREDENTIAL):
        _ = transport.settings

    async def first_async_request() -> None:
        await AsyncCompatTransport().handle_async_request(httpx.Request("GET", URL))

    with pytest.raises(ConfigurationError, match=NO_CREDENTIAL):
        asyncio.run(first_async_request())


def test_deferred_settings_are_resolved_once(
    simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch, no_pleo_variables: None
) -> None:
    transport = CompatTransport()
    _set_credential(monkeypatch, simulator)
    with httpx.Client(transport=transport) as client:
        assert client.get(URL).status_code == 200
        resolved = transport.settings
        monkeypatch.setenv(pleo.COMPANY_ID_VAR, "another-company")
        assert client.get(URL).status_code == 200
    assert transport.settings is resolved
    assert transport.settings.company_id == simulator.company_id
