"""Pacing, the 429 brake, credentials on one origin only, and no writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from migrate.errors import ConfigurationError, SafetyRefusal
from migrate.mapping.catalogue import Catalogue
from migrate.pleo import api_key_authorization as new_authorization
from migrate.pleo import backoff
from migrate.settings import load_settings
from migrate.shadow.config import (
    Credentials,
    Endpoints,
    Safety,
    check_credentials,
    check_writes,
    default_endpoints,
    endpoints_of,
)
from migrate.shadow.guard import CredentialTransport, WriteGuard, search_reads
from migrate.shadow.pacing import RateLimiter, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_requests_are_spaced_by_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)

    async def three() -> None:
        for _ in range(3):
            await limiter.acquire()

    asyncio.run(three())
    assert clock.slept == [0.5, 0.5]


def test_a_429_slows_and_pauses_both_sides() -> None:
    clock = Clock()
    legacy = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    new = RateLimiter(None, clock=clock, sleep=clock.sleep)
    Throttle([legacy, new]).too_many_requests(3.0)
    assert (legacy.rate, new.rate) == (1.0, 5.0)
    asyncio.run(new.acquire())
    assert clock.slept == [3.0]
    for _ in range(20):
        legacy.slow_down()
    assert legacy.rate == 0.1
    assert [backoff(n, 1.0) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]


def test_environments_never_mix_and_writes_need_staging() -> None:
    assert default_endpoints("staging", None, None).new_url == "https://external.staging.pleo.io"
    with pytest.raises(SafetyRefusal, match=r"external\.pleo\.io is a production host"):
        default_endpoints("staging", None, "https://external.pleo.io")
    with pytest.raises(SafetyRefusal, match="only allowed with --env staging"):
        check_writes(Endpoints("production", "http://127.0.0.1:1/v1", "http://127.0.0.1:2"),
                     Safety(allow_writes=True))
    check_writes(default_endpoints("staging", None, None), Safety(allow_writes=True))
    with pytest.raises(ConfigurationError, match=r"PLEO_LEGACY_TOKEN .* PLEO_COMPANY_ID"):
        check_credentials(Credentials(None, "k" * 10, None), needs_company=True)


def test_credentials_are_hidden_from_repr() -> None:
    secret = "a-secret-" + "x" * 8
    assert secret not in repr(Credentials(secret, secret, "c"))
    inner = httpx.MockTransport(lambda r: httpx.Response(200))
    assert secret not in repr(CredentialTransport(inner, "https://a.test", secret))


def test_the_credential_goes_to_its_own_origin_only() -> None:
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("authorization")))
        return httpx.Response(200)

    transport = CredentialTransport(httpx.MockTransport(handler), "https://new.test",
                                    new_authorization("key"))

    async def go() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get("https://new.test/v2/employees")
            await client.get("https://elsewhere.test/x", headers={"Authorization": "Bearer x"})

    asyncio.run(go())
    assert seen == [("new.test", "Basic a2V5Og=="), ("elsewhere.test", None)]


def test_the_guard_lets_through_reads_and_catalogue_searches_only(catalogue: Catalogue) -> None:
    guard = WriteGuard(httpx.MockTransport(lambda r: httpx.Response(200)), base_path="/api",
                       reads=search_reads(catalogue))
    assert guard.allows("GET", "/api/v2/employees")
    assert guard.allows("HEAD", "/anything")
    assert guard.allows("POST", "/api/v1/accounting-entries:search")
    assert guard.allows("POST", "/api/v0/tax-codes:search")
    assert not guard.allows("POST", "/api/v0/tag-groups")
    assert not guard.allows("PUT", "/api/v0/tags/1")
    assert not guard.allows("DELETE", "/api/v1/chart-of-accounts/1")

    async def write() -> None:
        async with httpx.AsyncClient(transport=guard) as client:
            await client.post("https://new.test/api/v0/tag-groups", json={})

    with pytest.raises(SafetyRefusal, match="refused POST /api/v0/tag-groups"):
        asyncio.run(write())
    allowed = WriteGuard(httpx.MockTransport(lambda r: httpx.Response(200)), base_path="",
                         allow_writes=True)
    assert allowed.allows("DELETE", "/v0/tags/1")


def test_endpoints_and_credentials_come_from_the_one_resolver(tmp_path: Path) -> None:
    settings = load_settings(
        environ={"PLEO_ENV": "staging", "PLEO_LEGACY_URL": "http://127.0.0.1:9/v1/",
                 "PLEO_API_KEY": "k", "PLEO_LEGACY_TOKEN": "t", "PLEO_COMPANY_ID": "c"},
        cwd=tmp_path,
    )
    endpoints = endpoints_of(settings)
    assert endpoints == Endpoints("staging", "http://127.0.0.1:9/v1",
                                  "https://external.staging.pleo.io")
    assert Credentials.of(settings) == Credentials("t", "k", "c")
    production = load_settings({"new_base_url": "https://external.pleo.io"},
                               environ={"PLEO_ENV": "staging"}, cwd=tmp_path)
    with pytest.raises(SafetyRefusal, match=r"external\.pleo\.io is a production host"):
        endpoints_of(production)
