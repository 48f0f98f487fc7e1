"""Who may spend the proxy's key, and what its paths may do (issue 13, points 1, 2 and 7).

A real proxy on loopback in front of a fault server that records every request: a refused
caller must get the legacy error shape and the upstream must see nothing.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from migrate.compat import CompatSettings, Credential, ProxyAccess, build_proxy_app
from migrate.compat import new_caller_token as fresh_token
from migrate.serving import ServedApps
from tests.compat.faults import FaultServer, fault_server, slow, trickle

EMPLOYEE = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
COMPANY = "a0e1d3f5-13c2-4a01-8c91-cfbd0ade4010"
RECORD = {"data": {"id": EMPLOYEE, "companyId": COMPANY, "firstName": "A", "lastName": "B"}}
TOKEN = fresh_token()


@contextmanager
def _proxy(upstream: FaultServer, **access: Any) -> Iterator[str]:
    settings = CompatSettings(
        credential=Credential("api-key", "canary" + "-proxy-key-" + "3e9a"),
        company_id=COMPANY,
        new_base_url=upstream.url,
        deadline=float(access.pop("deadline", 10.0)),
    )
    rules = ProxyAccess(caller_token=access.pop("caller_token", TOKEN), **access)
    with ServedApps([(build_proxy_app(settings, access=rules), "127.0.0.1", 0)]) as served:
        yield served.url()


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def upstream() -> Iterator[FaultServer]:
    with fault_server(slow(0.0, RECORD)) as server:
        yield server


def test_a_caller_with_the_token_is_served(upstream: FaultServer) -> None:
    with _proxy(upstream) as base:
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=_auth(), timeout=10)
    assert answer.status_code == 200
    assert TOKEN not in json.dumps(upstream.seen[0].headers)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer the-old-legacy-token"}])
def test_a_caller_without_the_token_gets_the_legacy_401(
    upstream: FaultServer, headers: dict[str, str]
) -> None:
    with _proxy(upstream) as base:
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=headers, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"] == "Unauthorized" and answer.json()["statusCode"] == 401
    assert upstream.seen == []


def test_no_caller_token_serves_loopback_callers(upstream: FaultServer) -> None:
    with _proxy(upstream, caller_token=None) as base:
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", timeout=10)
    assert answer.status_code == 200


def test_a_foreign_host_header_is_refused(upstream: FaultServer) -> None:
    """DNS rebinding: a page on attacker.example that resolves to 127.0.0.1."""
    with _proxy(upstream) as base:
        headers = {**_auth(), "Host": "attacker.example"}
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=headers, timeout=10)
    assert answer.status_code == 421
    assert upstream.seen == []


def test_a_cross_site_simple_post_is_refused(upstream: FaultServer) -> None:
    """The CSRF of the review: text/plain from a foreign Origin created an account."""
    body = '{"name":"CSRF-created","accountNumber":"6666","hidden":false}'
    headers = {"Origin": "http://attacker.example", "Content-Type": "text/plain;charset=UTF-8"}
    with _proxy(upstream, caller_token=None) as base:
        answer = httpx.post(f"{base}/v1/accounts", content=body, headers=headers, timeout=10)
        assert answer.status_code == 403
        plain = httpx.post(
            f"{base}/v1/accounts", content=body, headers={"Content-Type": "text/plain"}
        )
        assert plain.status_code == 415
    assert upstream.seen == []


def test_an_allowed_origin_is_served(upstream: FaultServer) -> None:
    with _proxy(upstream, allowed_origins=("http://tool.internal",)) as base:
        headers = {**_auth(), "Origin": "http://tool.internal"}
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=headers, timeout=10)
    assert answer.status_code == 200


def test_a_request_body_above_the_cap_is_a_413(upstream: FaultServer) -> None:
    with _proxy(upstream, max_request_bytes=1000) as base:
        answer = httpx.post(
            f"{base}/v1/accounts",
            content=json.dumps({"name": "x" * 5000}),
            headers={**_auth(), "Content-Type": "application/json"},
            timeout=10,
        )
    assert answer.status_code == 413
    assert upstream.seen == []


def _raw_get(base: str, path: str) -> tuple[int, bytes]:
    """A GET with the path exactly as written (httpx would normalise dot segments)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=_auth())
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/../healthz", 404),
        ("/v1/../../steal", 404),
        ("/v1/%2e%2e/%2e%2e/steal", 404),
        ("/v1/%2e%2e", 404),
        ("/v1/..%2F..%2Fsteal", 404),
        ("/v1/employees/%252e%252e%252fv1", 400),
        ("/v1/employees/a%2Fb", 400),
    ],
)
def test_dot_segments_and_double_encoding_never_reach_the_new_api(
    upstream: FaultServer, path: str, status: int
) -> None:
    with _proxy(upstream) as base:
        code, body = _raw_get(base, path)
    assert code == status
    assert json.loads(body)["statusCode"] == status
    assert upstream.seen == []


def test_a_caller_that_goes_away_cancels_the_upstream_call() -> None:
    with fault_server(trickle) as upstream, _proxy(upstream, deadline=60) as base:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=_auth(), timeout=1.0)
        assert upstream.wait_idle(5.0), "the proxy kept the upstream call after the caller left"


def test_the_proxy_answers_504_at_the_deadline() -> None:
    with fault_server(trickle) as upstream, _proxy(upstream, deadline=1.0) as base:
        started = time.monotonic()
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=_auth(), timeout=20)
        assert answer.status_code == 504
        assert time.monotonic() - started < 4.0
        assert upstream.wait_idle(3.0)


def test_deep_json_through_the_proxy_is_a_legacy_502() -> None:
    from tests.compat.faults import deep_json

    with fault_server(deep_json) as upstream, _proxy(upstream) as base:
        answer = httpx.get(f"{base}/v1/employees/{EMPLOYEE}", headers=_auth(), timeout=20)
    assert answer.status_code == 502
    assert answer.json()["error"] == "Bad Gateway"


def test_the_listen_port_must_match(upstream: FaultServer) -> None:
    with _proxy(upstream) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(
                f"GET /v1/employees/{EMPLOYEE} HTTP/1.1\r\nHost: 127.0.0.1:1\r\n"
                f"Authorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n".encode()
            )
            reply = sock.recv(100)
    assert reply.startswith(b"HTTP/1.1 421")
