"""Shadow against a misbehaving server on loopback: every fault ends the request with a clear
error, in bounded time and memory (reliability review D2, D3, D7, D8)."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from migrate.shadow.config import Limits
from migrate.shadow.fetch import Api, FetchError, HttpCall
from migrate.shadow.pacing import RateLimiter, Throttle
from migrate.shadow.redact import Redactor
from tests.shadow.faults import FaultServer, fault_server

FAST = Limits(rate=None, timeout=1.0, retries=1)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with fault_server() as running:
        yield running


async def _no_sleep(_: float) -> None:
    return None


async def _send(server: FaultServer, path: str, limits: Limits = FAST) -> float:
    """Send GET `path`; the seconds it took to fail. A guard ends a request that never does."""
    limiter = RateLimiter(None)
    async with httpx.AsyncClient(base_url=server.url + "/",
                                 timeout=limits.timeout) as client:
        api = Api("new", client, limiter=limiter, throttle=Throttle([limiter]), limits=limits,
                  redactor=Redactor(), sleep=_no_sleep)
        started = time.monotonic()
        await asyncio.wait_for(api.send(HttpCall("GET", path)), timeout=30)
    return time.monotonic() - started


def test_timeout_bounds_the_whole_answer_of_a_trickling_server(server: FaultServer) -> None:
    # each read arrives within the timeout, so a per-read timeout never fires (D2)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 1 s \(after 2 attempts\)"):
        asyncio.run(_send(server, "trickle"))
    assert time.monotonic() - started < 10


def test_a_gzip_bomb_is_stopped_at_the_body_cap(server: FaultServer) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    limits = replace(FAST, max_body=4 * 1024 * 1024, timeout=20.0)
    with pytest.raises(FetchError, match=r"larger than 4,194,304 bytes \(decoded\)"):
        asyncio.run(_send(server, "bomb", limits))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 150  # the bomb inflates to 256 MB


def test_a_plain_body_over_the_cap_is_refused(server: FaultServer) -> None:
    limits = replace(FAST, max_body=1024 * 1024, timeout=20.0)
    with pytest.raises(FetchError, match="larger than 1,048,576 bytes"):
        asyncio.run(_send(server, "huge", limits))


def test_a_retry_after_beyond_the_cap_gives_up_at_once(server: FaultServer) -> None:
    before = server.hits["slow-429"]
    with pytest.raises(FetchError, match=r"rate limited: the server asks to wait 999999999 s"):
        asyncio.run(_send(server, "slow-429"))
    assert server.hits["slow-429"] - before == 1  # not re-sent against the server's word


def test_deeply_nested_json_is_a_fetch_error_not_a_recursion_error(
    server: FaultServer,
) -> None:
    with pytest.raises(FetchError, match="nested too deeply"):
        asyncio.run(_send(server, "deep", replace(FAST, timeout=20.0)))
