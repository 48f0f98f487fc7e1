"""What the compat layer costs, measured against the simulator on loopback in one process.

1. Latency: a legacy request served through the compat layer against the equivalent direct
   new-API request: the very request compat sends for it (same record, page size and filters:
   a legacy expense list leaves card authorisations out, which costs the server more than an
   unfiltered search), sent by a plain httpx client; the caller decodes the JSON either way.
   The two are sent pair by pair, in random order within each pair, and the figure is the
   median of the per-pair ratios compat ÷ direct, so that a busy neighbour slows both sides
   of a pair alike. Target ≤ 1.10. Printed twice:
   - on bare loopback: the simulator answers in about a millisecond, so this is the
     strictest setting there is (a real API answers in tens of milliseconds);
   - with 30 ms of simulated network latency: a transport under both clients waits 30 ms
     before each new-API request it sends, so every call the compat layer makes pays it too.
2. Calls: new-API calls per legacy page while walking every page of a list of at least 10,000
   records with a `nextPageOffset` loop. Target 1.00.

3. `--floor`: the same cases through a relay that only sends the new request on and returns
   its bytes, the cheapest correct pass-through: what is left once compat does nothing.

About 30 s; `--quick` for fewer pairs; `--runs N` measures the loopback cases N times and
prints each ratio's spread; `--stdlib-json` measures the standard library's JSON
where orjson (the `fast` extra) is installed, so both figures come from one environment.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import time
from collections.abc import Callable

import httpx

from migrate import jsonio
from migrate.compat import CompatTransport
from migrate.simulator import SimulatorConfig, build_simulator, start_servers
from migrate.simulator.testing import SimulatorHandle, basic, handle_for

PAIRS = 300
LATENCY_PAIRS = 40
LATENCY = 0.030
RNG = random.Random(20261130)
Call = Callable[[], httpx.Response]


class Counting(httpx.BaseTransport):
    """Counts the requests that reach the network, keeps the last one, and delays each by
    `latency` seconds."""

    def __init__(self, latency: float = 0.0) -> None:
        self.inner = httpx.HTTPTransport()
        self.latency = latency
        self.calls = 0
        self.last: httpx.Request | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        self.last = request
        if self.latency:
            time.sleep(self.latency)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _timed(call: Call) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process: client and in-process simulator)."""
    start, cpu = time.perf_counter(), time.process_time()
    response = call()
    response.json()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    assert response.status_code == 200, response.text
    return elapsed, used


def paired(through: Call, plain: Call, pairs: int) -> tuple[float, float, float, float]:
    """(median compat ms, median direct ms, median of the per-pair ratios, the same for CPU
    time: less sensitive to a busy neighbour than the wall clock, which the target is about)."""
    for _ in range(min(pairs, 20)):  # warm up connections and caches
        through().json()
        plain().json()
    samples = []
    for _ in range(pairs):
        if RNG.random() < 0.5:
            ours = _timed(through)
            base = _timed(plain)
        else:
            base = _timed(plain)
            ours = _timed(through)
        samples.append((ours, base))
    return (
        statistics.median(ours[0] for ours, _ in samples) * 1000,
        statistics.median(base[0] for _, base in samples) * 1000,
        statistics.median(ours[0] / base[0] for ours, base in samples),
        statistics.median(ours[1] / base[1] for ours, base in samples if base[1] > 0),
    )


def clients(sim: SimulatorHandle, latency: float) -> tuple[httpx.Client, httpx.Client, Counting]:
    """(compat, direct, the compat side's counting transport), both with the same latency."""
    counting = Counting(latency)
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
    direct = httpx.Client(
        transport=Counting(latency), base_url=sim.new_base_url, headers=basic(sim.api_key)
    )
    return compat, direct, counting


def same_request(
    compat: Call, counting: Counting, direct: httpx.Client, parsed_url: bool = False
) -> Call:
    """The new-API request `compat` makes, sent directly (one call each: no paging walk): its
    URL as text relative to the direct client's base URL, or (`parsed_url`) the parsed URL."""
    calls = counting.calls
    compat().json()
    sent = counting.last
    assert sent is not None and counting.calls == calls + 1, "one new-API call per case"
    method, content = sent.method, sent.read()
    base = str(direct.base_url).rstrip("/")
    url: httpx.URL | str = sent.url if parsed_url else str(sent.url).removeprefix(base)
    assert direct.build_request(method, url).url == sent.url, "the same URL either way"
    headers = {"content-type": "application/json"} if content else {}
    return lambda: direct.request(method, url, content=content, headers=headers)


def cases(
    sim: SimulatorHandle,
    compat: httpx.Client,
    direct: httpx.Client,
    counting: Counting,
    parsed_url: bool = False,
) -> list[tuple[str, Call, Call]]:
    people = direct.get("/v2/employees", params={"companyId": sim.company_id}).json()
    employee_id = people["data"][0]["id"]
    entry = direct.post(
        "/v1/accounting-entries:search",
        params={"company_id": sim.company_id, "limit": 1},
        json={"includeDeleted": True},
    ).json()["data"][0]["id"]
    legacy: list[tuple[str, Call]] = [
        ("one employee", lambda: compat.get(f"/employees/{employee_id}")),
        ("one expense", lambda: compat.get(f"/expenses/{entry}")),
        ("page of 50 employees", lambda: compat.get("/employees?pageSize=50")),
        ("page of 100 expenses", lambda: compat.get("/expenses?pageSize=100")),
    ]
    return [
        (label, call, same_request(call, counting, direct, parsed_url)) for label, call in legacy
    ]


def latency_table(
    sim: SimulatorHandle, latency: float, pairs: int, parsed_url: bool
) -> dict[str, float]:
    """Prints each case's figures; returns each case's ratio."""
    compat, direct, counting = clients(sim, latency)
    ratios: dict[str, float] = {}
    with compat, direct:
        for label, through, plain in cases(sim, compat, direct, counting, parsed_url):
            ours, base, ratio, cpu = paired(through, plain, pairs)
            ratios[label] = ratio
            print(
                f"  {label:<22} direct {base:7.2f} ms  compat {ours:7.2f} ms  ratio {ratio:5.2f}"
                f"  (CPU ratio {cpu:4.2f})"
            )
    return ratios


def spread(runs: list[dict[str, float]]) -> None:
    """Each case's ratio over the runs: lowest / median / highest."""
    print(f"spread over {len(runs)} runs (lowest / median / highest ratio)")
    for label in runs[0]:
        values = sorted(run[label] for run in runs)
        print(
            f"  {label:<22} {values[0]:5.2f} / {statistics.median(values):5.2f} / {values[-1]:5.2f}"
        )


class Relay(httpx.BaseTransport):
    """The floor: the cheapest correct pass-through there is. Each legacy URL it knows is sent
    on as its new-API request (built anew, as any transport must: another URL and header
    set), through the same inner transport, and the answer's bytes come back as they are, for
    the caller to decode: no routing, conversion, retries or limits."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.routes: dict[str, tuple[str, httpx.URL, httpx.Headers, bytes]] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        method, url, headers, content = self.routes[str(request.url)]
        sent = httpx.Request(method, url, headers=headers, content=content)
        response = self.inner.handle_request(sent)
        body = response.read()
        response.close()
        return httpx.Response(response.status_code, headers=response.headers, content=body)


def floor_table(sim: SimulatorHandle, pairs: int) -> None:
    """The relay ÷ direct on the same cases: what any transport between a client and the new
    API costs on this machine before it does any work of its own."""
    compat, direct, counting = clients(sim, 0.0)
    relay = Relay(Counting())
    relaying = httpx.Client(transport=relay, base_url=sim.legacy_base_url)
    with compat, direct, relaying:
        for label, through, plain in cases(sim, compat, direct, counting):
            request = through().request
            through().json()
            sent = counting.last
            assert sent is not None
            relay.routes[str(request.url)] = (sent.method, sent.url, sent.headers, sent.read())
            path = str(request.url).removeprefix(str(relaying.base_url).rstrip("/"))
            ours, base, ratio, cpu = paired(functools.partial(relaying.get, path), plain, pairs)
            print(
                f"  {label:<22} direct {base:7.2f} ms  relay  {ours:7.2f} ms  ratio {ratio:5.2f}"
                f"  (CPU ratio {cpu:4.2f})"
            )


def calls_per_page(sim: SimulatorHandle) -> None:
    compat, direct, counting = clients(sim, 0.0)
    with compat, direct:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pairs")
    parser.add_argument(
        "--stdlib-json", action="store_true", help="use the standard library's JSON, not orjson"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure a relay that only sends the new request on (the floor)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="measure the loopback cases this many times and print the spread of each ratio",
    )
    parser.add_argument(
        "--parsed-url",
        action="store_true",
        help="the direct side passes the parsed httpx.URL (httpx skips parsing it)",
    )
    arguments = parser.parse_args()
    quick = arguments.quick
    if arguments.stdlib_json:
        jsonio.dumps, jsonio.loads = jsonio.std_dumps, jsonio.std_loads
    pairs, latency_pairs = (60, 15) if quick else (PAIRS, LATENCY_PAIRS)
    simulator = build_simulator(SimulatorConfig(scale=10))
    with start_servers(simulator, host="127.0.0.1") as running:
        sim = handle_for(simulator, running.legacy_base_url, running.new_base_url)
        print(
            f"compat overhead on bare loopback ({pairs} interleaved pairs per case; ratio = "
            "median of compat ÷ direct per pair, target ≤ 1.10; JSON: "
            f"{'orjson' if jsonio.loads is jsonio.fast_loads else 'standard library'}; direct URL: "
            f"{'parsed httpx.URL' if arguments.parsed_url else 'relative text, as compat'})"
        )
        runs = [latency_table(sim, 0.0, pairs, arguments.parsed_url)]
        for run in range(2, arguments.runs + 1):
            print(f"run {run} of {arguments.runs}")
            runs.append(latency_table(sim, 0.0, pairs, arguments.parsed_url))
        if len(runs) > 1:
            spread(runs)
        print(
            f"with {LATENCY * 1000:.0f} ms of simulated network latency per new-API request "
            f"({latency_pairs} pairs per case)"
        )
        latency_table(sim, LATENCY, latency_pairs, arguments.parsed_url)
        if arguments.floor:
            print(
                "the floor: a relay that sends the very new-API request on and returns its "
                "bytes (no routing, conversion, retries or limits)"
            )
            floor_table(sim, pairs)
        calls_per_page(sim)


if __name__ == "__main__":
    main()
