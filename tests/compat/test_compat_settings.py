"""CompatSettings: the one typed object every compat door accepts, and where it comes from."""

from __future__ import annotations

import asyncio
import inspect
import os
from typing import get_type_hints

import httpx
import pytest
import requests

from migrate.compat import (
    AsyncCompatTransport,
    CompatSettings,
    CompatTransport,
    Credential,
    ProxyAccess,
    RetryPolicy,
    legacy_async_client,
    legacy_client,
    legacy_session,
    new_caller_token,
)
from migrate.compat.options import CompatOptions
from migrate.compat.proxy import build_proxy_app
from migrate.compat.requests_adapter import CompatAdapter
from migrate.errors import ConfigurationError
from migrate.serving import ServedApps
from migrate.simulator.testing import SimulatorHandle

CANARY = "canary" + "-compat-key-" + "0d4e1f"  # built at run time; not a real credential


@pytest.fixture
def no_pleo_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing from the environment: whatever works below works because of the settings."""
    for name in list(os.environ):
        if name.startswith("PLEO_"):
            monkeypatch.delenv(name)


@pytest.fixture
def settings(simulator: SimulatorHandle, no_pleo_variables: None) -> CompatSettings:
    return CompatSettings(
        credential=Credential("api-key", simulator.api_key),
        env=simulator.environment,  # type: ignore[arg-type]
        company_id=simulator.company_id,
        new_base_url=simulator.new_base_url,
        legacy_base_url=simulator.legacy_base_url,
    )


def _employees(answer: httpx.Response | requests.Response) -> int:
    assert answer.status_code == 200, answer.text
    return len(answer.json()["employees"])


def test_the_httpx_clients_and_transports_accept_compat_settings(
    settings: CompatSettings, simulator: SimulatorHandle
) -> None:
    url = simulator.legacy_base_url + "/employees?pageSize=2"
    with legacy_client(settings=settings) as client:
        assert _employees(client.get(url)) == 2
    with httpx.Client(transport=CompatTransport(settings=settings)) as client:
        assert _employees(client.get(url)) == 2

    async def both_async() -> list[int]:
        counts = []
        async with legacy_async_client(settings=settings) as client:
            counts.append(_employees(await client.get(url)))
        transport = AsyncCompatTransport(settings=settings)
        async with httpx.AsyncClient(transport=transport) as client:
            counts.append(_employees(await client.get(url)))
        return counts

    assert asyncio.run(both_async()) == [2, 2]


def test_the_requests_doors_accept_compat_settings(
    settings: CompatSettings, simulator: SimulatorHandle
) -> None:
    url = simulator.legacy_base_url + "/employees?pageSize=2"
    with legacy_session(settings=settings) as session:
        assert _employees(session.get(url, timeout=30)) == 2
    with requests.Session() as session:
        session.mount(simulator.legacy_base_url + "/", CompatAdapter(settings))
        assert _employees(session.get(url, timeout=30)) == 2


def test_the_proxy_accepts_compat_settings(settings: CompatSettings) -> None:
    access = ProxyAccess(caller_token=new_caller_token())
    with ServedApps([(build_proxy_app(settings, access=access), "127.0.0.1", 0)]) as proxy:
        answer = httpx.get(
            proxy.url() + "/v1/employees?pageSize=2",
            headers={"Authorization": f"Bearer {access.caller_token}"},
            timeout=30,
        )
    assert _employees(answer) == 2




def test_keyword_arguments_build_the_same_settings_as_resolve(
    monkeypatch: pytest.MonkeyPatch, no_pleo_variables: None
) -> None:
    monkeypatch.setenv("PLEO_COMPANY_ID", "company-from-env")
    retry = RetryPolicy(attempts=2)
    transport = CompatTransport(api_key=CANARY, env="staging", retry=retry, timeout=5.0)
    assert transport.settings == CompatSettings(
        credential=Credential("api-key", CANARY),
        env="staging",
        company_id="company-from-env",
        retry=retry,
        timeout=5.0,
    )
    assert transport.settings == CompatSettings.resolve(
        api_key=CANARY, env="staging", retry=retry, timeout=5.0
    )


def test_settings_and_keyword_arguments_do_not_mix(settings: CompatSettings) -> None:
    with pytest.raises(TypeError, match="not both: company_id"):
        legacy_client(settings=settings, company_id="another")
    with pytest.raises(TypeError, match="not both: env"):
        CompatTransport(settings=settings, env="production")


def test_the_convenience_keywords_are_exactly_those_of_resolve() -> None:
    """The doors' convenience keywords cannot drift from CompatSettings.resolve."""
    resolve = set(inspect.signature(CompatSettings.resolve).parameters) - {"environ"}
    assert set(get_type_hints(CompatOptions)) == resolve
    for client in (legacy_client, legacy_async_client, legacy_session):
        keywords = set(inspect.signature(client).parameters) - {"settings", "client_options"}
        assert keywords == resolve - {"timeout"}  # a client's timeout is httpx's own option


def test_compat_settings_are_frozen_checked_and_keep_the_secret_out_of_repr() -> None:
    settings = CompatSettings.resolve(oauth_token=CANARY, environ={})
    assert settings.credential.kind == "oauth"
    assert settings.credential.authorization() == f"Bearer {CANARY}"
    assert CANARY not in repr(settings) and CANARY not in repr(CompatTransport(settings=settings))
    with pytest.raises(AttributeError):
        settings.env = "staging"  # type: ignore[misc]
    with pytest.raises(ConfigurationError, match="staging or production"):
        CompatSettings(credential=Credential("api-key", CANARY), env="prod")  # type: ignore[arg-type]
