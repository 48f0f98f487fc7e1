"""The compat transports against a hostile or broken new API (issue 13, points 2, 3, 4, 7, 8).

Each test drives a real fault server on loopback (`faults.py`) or a scripted fake, and checks
what the caller gets and what the upstream saw: bounded time, bounded memory, writes sent once
unless they certainly never arrived, and no secret in an error answer.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import time
from typing import Any

import httpx
import pytest

from migrate.compat import AsyncCompatTransport, CompatSettings, CompatTransport, RetryPolicy
from migrate.errors import ConfigurationError, SafetyRefusal
from migrate.simulator.testing import SimulatorHandle
from tests.compat.faults import (
    deep_json,
    fault_server,
    gzip_bomb,
    huge,
    lost_answer,
    slow,
    trickle,
)

CANARY_KEY = "canary" + "-api-key-" + "90b1e4"  # built at run time; not a real credential
CANARY_TOKEN = "canary" + "-legacy-token-" + "4c2d7a"
COMPANY = "a0e1d3f5-13c2-4a01-8c91-cfbd0ade4010"
LEGACY = "https://openapi.pleo.io/v1"
EMPLOYEE = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"


def _transport(new_url: str, **options: Any) -> CompatTransport:
    return CompatTransport(
        api_key=CANARY_KEY,
        company_id=COMPANY,
        new_base_url=new_url,
        retry=options.pop("retry", RetryPolicy(base_delay=0.01)),
        sleep=options.pop("sleep", lambda _: None),
        **options,
    )


def _limited(transport: CompatTransport, **limits: Any) -> CompatTransport:
    """The same door with other limits (they are settings, so replace and rebuild)."""
    import dataclasses

    settings = dataclasses.replace(transport.settings, **limits)
    return CompatTransport(settings=settings, sleep=lambda _: None)


# --- 2. deadlines ----------------------------------------------------------------------------


def test_a_trickling_upstream_gets_a_504_at_the_deadline() -> None:
    with fault_server(trickle) as upstream:
        door = _limited(_transport(upstream.url), deadline=1.0)
        started = time.monotonic()
        with httpx.Client(transport=door) as client:
            answer = client.get(f"{LEGACY}/employees/{EMPLOYEE}")
        took = time.monotonic() - started
        assert answer.status_code == 504
        assert "deadline" in answer.json()["detail"]
        assert took < 3.0  # not the 30 s per-read timeout, nor 4 tries of it
        assert len(upstream.seen) == 1


def test_the_async_deadline_cancels_the_upstream_call() -> None:
    with fault_server(trickle) as upstream:
        base = _transport(upstream.url).settings

        async def call() -> httpx.Response:
            import dataclasses

            settings = dataclasses.replace(base, deadline=1.0)
            door = AsyncCompatTransport(settings=settings)
            async with httpx.AsyncClient(transport=door) as client:
                return await client.get(f"{LEGACY}/employees/{EMPLOYEE}")

        started = time.monotonic()
        answer = asyncio.run(call())
        assert answer.status_code == 504
        assert time.monotonic() - started < 3.0
        assert upstream.wait_idle(3.0), "the upstream exchange was left open"


def test_concurrent_upstream_calls_are_bounded() -> None:
    body = {"data": {"id": EMPLOYEE, "companyId": COMPANY, "firstName": "A", "lastName": "B"}}
    with fault_server(slow(0.3, body)) as upstream:
        import dataclasses

        settings = dataclasses.replace(_transport(upstream.url).settings, max_connections=2)

        async def burst() -> list[int]:
            door = AsyncCompatTransport(settings=settings)
            async with httpx.AsyncClient(transport=door) as client:
                answers = await asyncio.gather(
                    *(client.get(f"{LEGACY}/employees/{EMPLOYEE}") for _ in range(6))
                )
            return [answer.status_code for answer in answers]

        assert asyncio.run(burst()) == [200] * 6
        assert upstream.state.most_open <= 2


# --- 3. body limits --------------------------------------------------------------------------


def test_a_gzip_bomb_is_refused_unread() -> None:
    with (
        fault_server(gzip_bomb) as upstream,
        httpx.Client(transport=_transport(upstream.url)) as client,
    ):
        answer = client.get(f"{LEGACY}/employees/{EMPLOYEE}")
        assert answer.status_code == 502
        assert "Content-Encoding 'gzip'" in answer.json()["detail"]
        assert upstream.seen[0].headers.get("Accept-Encoding") == "identity"
        assert len(upstream.seen) == 1


def test_an_answer_above_the_cap_is_a_clear_502() -> None:
    with fault_server(huge(3 << 20)) as upstream:
        door = _limited(_transport(upstream.url), max_body_bytes=1 << 20)
        with httpx.Client(transport=door) as client:
            answer = client.get(f"{LEGACY}/employees/{EMPLOYEE}")
    assert answer.status_code == 502
    assert "larger than the 1048576-byte limit" in answer.json()["detail"]


# --- 4. retries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("DELETE", "/accounts/8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c4", None),
        ("POST", "/accounts", {"name": "Meals", "accountNumber": "4020"}),
    ],
)
def test_a_write_whose_answer_was_lost_is_sent_once_and_may_have_been_applied(
    method: str, path: str, body: Any
) -> None:
    with (
        fault_server(lost_answer) as upstream,
        httpx.Client(transport=_transport(upstream.url)) as client,
    ):
        answer = client.request(method, LEGACY + path, json=body)
        assert len(upstream.seen) == 1
    assert answer.status_code in (502, 504)
    assert "may have been applied" in answer.json()["detail"]


def test_a_put_that_never_connected_is_retried() -> None:
    calls: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    door = CompatTransport(
        inner=httpx.MockTransport(refuse),
        api_key=CANARY_KEY,
        company_id=COMPANY,
        retry=RetryPolicy(attempts=3, base_delay=0.0),
        sleep=lambda _: None,
    )
    with httpx.Client(transport=door) as client:
        answer = client.delete(f"{LEGACY}/accounts/8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c4")
    assert len(calls) == 3  # nothing arrived, so sending again is safe
    assert "could not be reached" in answer.json()["detail"]


class _Flaky(httpx.BaseTransport):
    """The simulator behind an upstream that answers 503 to the first `failures` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= self.failures:
            return httpx.Response(503, json={"type": "UNAVAILABLE"})
        return self.real.handle_request(request)

    def close(self) -> None:
        self.real.close()


def test_a_legacy_list_served_by_a_search_is_retried_like_a_read(
    simulator: SimulatorHandle,
) -> None:
    flaky = _Flaky(failures=2)
    door = CompatTransport(
        inner=flaky,
        api_key=simulator.api_key,
        company_id=simulator.company_id,
        env=simulator.environment,
        new_base_url=simulator.new_base_url,
        legacy_base_url=simulator.legacy_base_url,
        retry=RetryPolicy(base_delay=0.0),
        sleep=lambda _: None,
    )
    with httpx.Client(transport=door) as client:
        answer = client.get(simulator.legacy_base_url + "/tax-codes")
    assert answer.status_code == 200, answer.text
    assert flaky.calls == 3


def test_a_retry_after_beyond_the_cap_passes_the_429_on_at_once() -> None:
    waits: list[float] = []
    calls: list[httpx.Request] = []

    def limited(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(429, json={"type": "TOO_MANY"}, headers={"retry-after": "999999"})

    door = CompatTransport(
        inner=httpx.MockTransport(limited),
        api_key=CANARY_KEY,
        company_id=COMPANY,
        sleep=waits.append,
    )
    with httpx.Client(transport=door) as client:
        answer = client.get(f"{LEGACY}/employees/{EMPLOYEE}")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "999999"
    assert (len(calls), waits) == (1, [])


# --- 7. hostile input ------------------------------------------------------------------------


def test_deeply_nested_json_is_a_legacy_502_not_a_recursion_error() -> None:
    with (
        fault_server(deep_json) as upstream,
        httpx.Client(transport=_transport(upstream.url)) as client,
    ):
        answer = client.get(f"{LEGACY}/employees/{EMPLOYEE}")
    assert answer.status_code == 502
    assert answer.json()["error"] == "Bad Gateway"


def test_a_deeply_nested_request_body_is_a_400() -> None:
    door = _transport("http://127.0.0.1:9")
    with httpx.Client(transport=door) as client:
        answer = client.post(
            f"{LEGACY}/accounts",
            content=b'{"name":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            headers={"content-type": "application/json"},
        )
    assert answer.status_code == 400


def test_a_huge_page_size_is_a_bounded_page_that_still_leads_to_every_record(
    simulator: SimulatorHandle,
) -> None:
    """The review's pageSize=1000000 drained the company in 120 calls; now one page, capped."""
    counted = _Flaky(failures=0)
    settings = CompatSettings.resolve(
        api_key=simulator.api_key,
        company_id=simulator.company_id,
        env=simulator.environment,
        new_base_url=simulator.new_base_url,
        legacy_base_url=simulator.legacy_base_url,
    )
    door = CompatTransport(settings=dataclasses.replace(settings, max_page_size=40), inner=counted)
    url = simulator.legacy_base_url + "/expenses"
    with httpx.Client(transport=door) as client:
        first = client.get(url, params={"pageSize": 1_000_000}).json()
        assert counted.calls == 1
        assert len(first["expenses"]) == 40
        offset = first["metadata"]["pageInfo"]["nextPageOffset"]
        assert offset == 40
        rest = client.get(url, params={"pageSize": 1_000_000, "pageOffset": offset}).json()
    assert len(rest["expenses"]) == 40
    assert {e["id"] for e in rest["expenses"]}.isdisjoint({e["id"] for e in first["expenses"]})


# --- 8. secrets ------------------------------------------------------------------------------


def test_an_upstream_that_echoes_the_credential_is_redacted() -> None:
    def reflect(request: httpx.Request) -> httpx.Response:
        echoed = f"bad header {request.headers['authorization']} for key {CANARY_KEY}"
        return httpx.Response(401, json={"type": "UNAUTHORIZED", "message": echoed})

    door = CompatTransport(
        inner=httpx.MockTransport(reflect), api_key=CANARY_KEY, company_id=COMPANY
    )
    with httpx.Client(transport=door) as client:
        answer = client.get(
            f"{LEGACY}/employees/{EMPLOYEE}", headers={"Authorization": f"Bearer {CANARY_TOKEN}"}
        )
    text = answer.text
    basic = base64.b64encode(f"{CANARY_KEY}:".encode()).decode()
    assert answer.status_code == 401 and "[redacted]" in text
    assert CANARY_KEY not in text and basic not in text


def test_an_error_echoing_the_legacy_token_is_redacted() -> None:
    def reflect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"type": "OOPS", "message": f"saw {CANARY_TOKEN}"})

    door = CompatTransport(
        inner=httpx.MockTransport(reflect), api_key=CANARY_KEY, company_id=COMPANY
    )
    with httpx.Client(transport=door) as client:
        answer = client.get(
            f"{LEGACY}/employees/{EMPLOYEE}", headers={"Authorization": f"Bearer {CANARY_TOKEN}"}
        )
    assert CANARY_TOKEN not in answer.text


# --- 5 and 6. environments and foreign hosts -------------------------------------------------


@pytest.mark.parametrize(
    ("env", "url", "message"),
    [
        ("staging", "https://external.pleo.io", "Pleo's production host"),
        ("production", "https://external.staging.pleo.io", "Pleo's staging host"),
        ("production", "http://example.com", "plain http"),
        ("production", "https://example.com", "not a Pleo host"),
    ],
)
def test_the_credential_never_goes_to_the_wrong_host(env: str, url: str, message: str) -> None:
    with pytest.raises(SafetyRefusal, match=message):
        CompatTransport(api_key=CANARY_KEY, env=env, new_base_url=url)


def test_a_named_gateway_host_is_allowed() -> None:
    door = CompatTransport(
        api_key=CANARY_KEY,
        new_base_url="https://gateway.example",
        allowed_hosts=("gateway.example",),
    )
    assert door.settings.allowed_hosts == ("gateway.example",)


def test_a_new_url_that_is_not_http_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="not an http"):
        CompatTransport(api_key=CANARY_KEY, new_base_url="ftp://external.pleo.io")
