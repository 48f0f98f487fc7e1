"""How fast both simulated APIs page through 100,000 expenses (scale 50), in-process.

Prints seconds per full walk and the new/legacy ratio; useful before and after changes to
paging or serialisation.
"""

from __future__ import annotations

import time
import warnings

from migrate.simulator import SimulatorConfig, build_simulator
from migrate.simulator.testing import basic, bearer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def main() -> None:
    started = time.perf_counter()
    sim = build_simulator(SimulatorConfig(scale=50))
    print(f"seeded {sim.seeded.expenses} expenses in {time.perf_counter() - started:.2f} s")
    with TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)) as old, \
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)) as new:
        started = time.perf_counter()
        offset, legacy_count = 0, 0
        while offset is not None:
            body = old.get("/v1/expenses", params={"pageOffset": offset,
                                                   "pageSize": 1000}).json()
            legacy_count += len(body["expenses"])
            offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        legacy_seconds = time.perf_counter() - started

        started = time.perf_counter()
        after, new_count = None, 0
        while True:
            params = {"limit": 100, **({"after": after} if after else {})}
            page = new.post("/v1/accounting-entries:search", params=params,
                            json={"includeDeleted": True}).json()
            new_count += len(page["data"])
            if not page["pagination"]["hasNextPage"]:
                break
            after = page["pagination"]["endCursor"]
        new_seconds = time.perf_counter() - started
    assert legacy_count == new_count
    print(f"legacy walk (pageSize 1000): {legacy_count} expenses in {legacy_seconds:.2f} s")
    print(f"new walk (limit 100):        {new_count} entries in {new_seconds:.2f} s")
    print(f"ratio new/legacy: {new_seconds / legacy_seconds:.2f}")


if __name__ == "__main__":
    main()
