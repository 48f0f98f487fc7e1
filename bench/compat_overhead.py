"""What the compat layer costs, measured against the loopback simulator in one process run.

1. Latency: the median of a legacy request served through the compat layer ÷ the median of the
   equivalent direct new-API request (same record, same page size). Target ≤ 1.10.
2. Calls: new-API calls per legacy page while walking every page of a list of at least 10,000
   records with a `nextPageOffset` loop. Target 1.00.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import httpx

from migrate.compat import CompatTransport
from migrate.simulator import SimulatorConfig, build_simulator, start_servers
from migrate.simulator.testing import basic, handle_for

ROUNDS = 300


class Counting(httpx.BaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def median_ms(call: Callable[[], httpx.Response], rounds: int = ROUNDS) -> float:
    """Median time of a request and reading its JSON, as calling code does either way."""
    for _ in range(20):  # warm up connections and caches
        call().json()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = call()
        response.json()
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
    return statistics.median(samples) * 1000


def main() -> None:
    simulator = build_simulator(SimulatorConfig(scale=10))
    with start_servers(simulator, host="127.0.0.1") as running:
        sim = handle_for(simulator, running.legacy_base_url, running.new_base_url)
        counting = Counting()
        compat = httpx.Client(
            transport=CompatTransport(
                inner=counting,
                api_key=sim.api_key,
                company_id=sim.company_id,
                env=sim.environment,
                new_base_url=sim.new_base_url,
                legacy_base_url=sim.legacy_base_url,
            ),
            base_url=sim.legacy_base_url,
        )
        direct = httpx.Client(base_url=sim.new_base_url, headers=basic(sim.api_key))
        employee = direct.get("/v2/employees", params={"companyId": sim.company_id}).json()
        employee_id = employee["data"][0]["id"]
        entry = direct.post(
            "/v1/accounting-entries:search",
            params={"company_id": sim.company_id, "limit": 1},
            json={"includeDeleted": True},
        ).json()["data"][0]["id"]

        print(
            "compat overhead against the loopback simulator (median of "
            f"{ROUNDS} requests each; ratio = compat ÷ direct, target ≤ 1.10)"
        )
        cases = [
            (
                "one employee",
                lambda: compat.get(f"/employees/{employee_id}"),
                lambda: direct.get(f"/v2/employees/{employee_id}"),
            ),
            (
                "one expense",
                lambda: compat.get(f"/expenses/{entry}"),
                lambda: direct.get(f"/v1/accounting-entries/{entry}"),
            ),
            (
                "page of 50 employees",
                lambda: compat.get("/employees?pageSize=50"),
                lambda: direct.get(
                    "/v2/employees", params={"companyId": sim.company_id, "limit": 50}
                ),
            ),
            (
                "page of 100 expenses",
                lambda: compat.get("/expenses?pageSize=100"),
                lambda: direct.post(
                    "/v1/accounting-entries:search",
                    params={"company_id": sim.company_id, "limit": 100},
                    json={"includeDeleted": True},
                ),
            ),
        ]
        for label, through, plain in cases:
            ours, base = median_ms(through), median_ms(plain)
            print(
                f"  {label:<22} direct {base:7.2f} ms  compat {ours:7.2f} ms  "
                f"ratio {ours / base:5.2f}"
            )

        counting.calls = 0
        offset, pages, records = 0, 0, 0
        while True:
            body = compat.get(f"/expenses?pageSize=100&pageOffset={offset}").json()
            pages += 1
            records += len(body["expenses"])
            next_offset = body["metadata"]["pageInfo"]["nextPageOffset"]
            if not next_offset:
                break
            offset = next_offset
        print(
            f"walking every page of {records} expenses (pageSize 100): {pages} legacy pages, "
            f"{counting.calls} new-API calls, {counting.calls / pages:.2f} calls per page "
            "(target 1.00)"
        )
        compat.close()
        direct.close()


if __name__ == "__main__":
    main()
