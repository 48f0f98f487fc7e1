"""Legacy offset pages over new cursors: one new call per page when walking in order."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from migrate.compat import CompatTransport
from migrate.simulator.testing import SimulatorHandle


class Counting(httpx.BaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(f"{request.method} {request.url.path}?{request.url.query.decode()}")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def counted(simulator: SimulatorHandle) -> Iterator[tuple[httpx.Client, Counting]]:
    counting = Counting()
    transport = CompatTransport(
        inner=counting,
        api_key=simulator.api_key,
        company_id=simulator.company_id,
        env=simulator.environment,
        new_base_url=simulator.new_base_url,
        legacy_base_url=simulator.legacy_base_url,
    )
    with httpx.Client(transport=transport, base_url=simulator.legacy_base_url) as client:
        yield client, counting


def _walk(client: httpx.Client, path: str, key: str, size: int) -> tuple[list[str], int]:
    ids: list[str] = []
    offset, pages = 0, 0
    while True:
        body = client.get(f"{path}?pageSize={size}&pageOffset={offset}").json()
        pages += 1
        ids.extend(record["id"] for record in body[key])
        next_offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        if not next_offset:
            return ids, pages
        offset = next_offset


@pytest.mark.parametrize(
    ("path", "key", "size"),
    [
        ("/employees", "employees", 7),
        ("/expenses", "expenses", 100),
        ("/accounts", "accounts", 3),
    ],
)
def test_walking_in_order_costs_one_call_per_page(
    counted: tuple[httpx.Client, Counting],
    simulator: SimulatorHandle,
    path: str,
    key: str,
    size: int,
) -> None:
    client, counting = counted
    ids, pages = _walk(client, path, key, size)
    assert len(counting.paths) == pages
    with httpx.Client(base_url=simulator.legacy_base_url, headers=simulator.legacy_headers) as old:
        expected, _ = _walk(old, path, key, size)
    assert ids == expected and len(set(ids)) == len(ids)


def test_a_jump_uses_offset_where_the_new_api_has_it(
    counted: tuple[httpx.Client, Counting],
) -> None:
    client, counting = counted
    body = client.get("/employees?pageSize=5&pageOffset=20").json()
    assert len(body["employees"]) == 5
    assert len(counting.paths) == 1 and "offset=20" in counting.paths[0]


def test_a_jump_walks_where_the_new_api_has_no_offset(
    counted: tuple[httpx.Client, Counting],
    simulator: SimulatorHandle,
) -> None:
    client, counting = counted
    got = client.get("/expenses?pageSize=10&pageOffset=250").json()
    assert len(counting.paths) == 4  # 100 + 100 + 50 records walked, then the page itself
    with httpx.Client(base_url=simulator.legacy_base_url, headers=simulator.legacy_headers) as old:
        want = old.get("/expenses?pageSize=10&pageOffset=250").json()
    assert [e["id"] for e in got["expenses"]] == [e["id"] for e in want["expenses"]]
    assert got["metadata"] == want["metadata"]


def test_a_page_larger_than_the_new_limit_takes_several_calls(
    counted: tuple[httpx.Client, Counting],
) -> None:
    client, counting = counted
    body = client.get("/expenses?pageSize=250").json()
    assert len(body["expenses"]) == 250
    assert len(counting.paths) == 3
    assert body["metadata"]["pageInfo"]["nextPageOffset"] == 250


def test_missing_scope_against_the_simulator_names_it(simulator: SimulatorHandle) -> None:
    key = simulator.mint("api_key", scopes=["accounts:read"])
    transport = CompatTransport(
        api_key=key,
        company_id=simulator.company_id,
        env=simulator.environment,
        new_base_url=simulator.new_base_url,
        legacy_base_url=simulator.legacy_base_url,
    )
    with httpx.Client(transport=transport, base_url=simulator.legacy_base_url) as client:
        answer = client.get("/employees")
    assert answer.status_code == 403
    assert answer.json()["requiredScopes"] == ["users:read"]
