"""How fast both simulated APIs page through 100,000 expenses (scale 50), in-process.

Both sides walk the same records with the same page size (legacy `pageSize=100`, new
`limit=100`), so they send the same number of requests. The walks are interleaved page by
page (one legacy page, then one new page), and each side's time is the sum of its own
requests, so that a busy neighbour slows both alike. Prints seconds per full walk and the
new ÷ legacy ratio; useful before and after changes to paging or serialisation. No target.

About 30 s; `--quick` walks 20,000 expenses (scale 10).
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any

from migrate.simulator import Assumptions, SimulatorConfig, build_simulator
from migrate.simulator.testing import basic, bearer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PAGE = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale 10 instead of 50")
    scale = 10 if parser.parse_args().quick else 50
    started = time.perf_counter()
    # The legacy list leaves card authorisations out by default (Pleo's reference); the new search
    # has them, so both walks cover the same records only with authorisations included.
    same_records = Assumptions.parse(["legacy-authorisations=included"])
    sim = build_simulator(SimulatorConfig(scale=scale, assumptions=same_records))
    print(f"seeded {sim.seeded.expenses} expenses in {time.perf_counter() - started:.2f} s")
    with TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)) as old, \
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)) as new:

        def legacy_page(offset: int) -> Any:
            params = {"pageOffset": offset, "pageSize": PAGE}
            return old.get("/v1/expenses", params=params).json()

        def new_page(after: str | None) -> Any:
            params: dict[str, Any] = {"limit": PAGE, **({"after": after} if after else {})}
            return new.post(
                "/v1/accounting-entries:search", params=params, json={"includeDeleted": True}
            ).json()

        offset: int | None = 0
        after: str | None = None
        new_done = False
        legacy_count = new_count = legacy_pages = new_pages = 0
        legacy_seconds = new_seconds = 0.0
        while offset is not None or not new_done:
            if offset is not None:
                started = time.perf_counter()
                body = legacy_page(offset)
                legacy_seconds += time.perf_counter() - started
                legacy_pages += 1
                legacy_count += len(body["expenses"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
            if not new_done:
                started = time.perf_counter()
                page = new_page(after)
                new_seconds += time.perf_counter() - started
                new_pages += 1
                new_count += len(page["data"])
                new_done = not page["pagination"]["hasNextPage"]
                after = page["pagination"]["endCursor"]
    assert legacy_count == new_count, (legacy_count, new_count)
    print(f"legacy walk (pageSize {PAGE}): {legacy_count} expenses, {legacy_pages} pages "
          f"in {legacy_seconds:.3f} s")
    print(f"new walk (limit {PAGE}):       {new_count} entries, {new_pages} pages "
          f"in {new_seconds:.3f} s")
    print(f"ratio new/legacy: {new_seconds / legacy_seconds:.2f}")


if __name__ == "__main__":
    main()
