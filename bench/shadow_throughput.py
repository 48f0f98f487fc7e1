"""What the comparator costs over just fetching, and whether its memory grows with records.

1. Throughput: the shadow run of `expenses.list` (every record: legacy offset pages and new
   cursor pages, canonicalised, matched by id, compared, classified, streamed to results.jsonl)
   in records compared per second, ÷ a plain httpx loop that fetches the same pages and only
   parses them, reading both APIs at the same time as the shadow run does (one asyncio task
   per API). Target ≥ 0.8.
   - In-process: shadow (`run_shadow`, catalogue already loaded) and the loop run in this
     process, pair by pair, alternating which goes first, each over the same records; the
     figure is the median of the per-pair ratios, with their spread beside it.
   - Whole-process, what a user waits for: `pleo-migrate shadow … --rate 0` as a process ÷ the
     same loop as a process (interpreter start-up and imports on both sides), paired the same
     way.
   The shadow run always has the machine to itself: the loop of a pair runs before or after
   it, never beside it, and the simulator serves both.
2. Memory: peak RSS of a shadow run over 50,000 records (`--full`: 100,000) ÷ over 10,000
   records, each in a fresh process (the simulator runs in its own process, so its store is
   not counted). Target ≤ 1.2.

Both APIs are the simulator on 127.0.0.1 (drift none), in its own process. On a shared machine
single pairs still move by ±0.2: quote the median of the pairs (9 of 5,000 records by default,
short so that a burst of other work lands on both sides of a pair) and the client CPU, which
moves far less.
About two minutes; `--quick` for smaller runs, `--full` for more pairs and the 100,000-record
memory figure (several minutes); `--no-memory` for the throughput figures alone.
Run: .venv/bin/python bench/shadow_throughput.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

PAGE = 100
SEARCH_BODY = "new_search_body"  # in the simulator document the loops read
LOOP_FILE = "loop.json"  # that document, for the loop as a process


@dataclass(frozen=True)
class Sizes:
    records: int  # records per in-process pair (each side)
    pairs: int  # in-process pairs
    process_records: int  # records per whole-process pair
    process_pairs: int
    small: int  # memory: records of the small and the large run
    large: int
    scale: int  # 2,000 expenses a scale across two companies; the first has > 55 %


# Many short pairs rather than a few long ones: a burst of other work on a shared machine then
# lands on both sides of a pair instead of on one side of the figure.
QUICK = Sizes(records=3_000, pairs=5, process_records=5_000, process_pairs=1, small=5_000,
              large=20_000, scale=20)
DEFAULT = Sizes(records=5_000, pairs=9, process_records=10_000, process_pairs=3, small=10_000,
                large=50_000, scale=50)
FULL = Sizes(records=5_000, pairs=15, process_records=20_000, process_pairs=5, small=10_000,
             large=100_000, scale=90)
REPO = Path(__file__).resolve().parent.parent

SERVER = """
import sys, time
from pathlib import Path
from migrate.simulator import SimulatorConfig, build_simulator, start_servers
from migrate.simulator import write_credentials_file
simulator = build_simulator(SimulatorConfig(scale=int(sys.argv[1])))
running = start_servers(simulator, host="127.0.0.1")
write_credentials_file(Path(sys.argv[2]), running.credentials_document())
while True:
    time.sleep(60)
"""


@dataclass(frozen=True)
class Timing:
    """One side of a pair: records handled, wall seconds, CPU seconds of the client."""

    records: int
    wall: float
    cpu: float


def start_simulator(
    folder: Path, scale: int
) -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    document = folder / "simulator.json"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(scale), str(document)], cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not document.exists() or not document.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the simulator did not start")
        time.sleep(0.2)
    time.sleep(0.2)
    return process, json.loads(document.read_text())


# --- the shadow side ---------------------------------------------------------------------------


def shadow_request(sim: dict[str, object], sample: int, out: Path) -> Any:
    """The run `pleo-migrate shadow --ops expenses.list --rate 0 --recheck 0` makes."""
    from migrate.mapping import load_catalogue
    from migrate.shadow import (
        Credentials,
        Endpoints,
        Limits,
        RunRequest,
        build_parity_plan,
    )

    legacy, new = sim["legacy"], sim["new"]
    assert isinstance(legacy, dict) and isinstance(new, dict)
    catalogue = load_catalogue()
    return RunRequest(
        catalogue, build_parity_plan(catalogue, "expenses.list"),
        Endpoints(str(sim["environment"]), legacy["base_url"], new["base_url"]),
        Credentials(legacy["token"], new["api_key"], new["company_id"]),
        Limits(sample=sample, page_size=PAGE, rate=None, recheck=0), out=out,
    )


def shadow(sim: dict[str, object], sample: int, out: Path) -> Timing:
    """One shadow run of expenses.list in this process (the catalogue loaded beforehand)."""
    from migrate.shadow import run_shadow

    request = shadow_request(sim, sample, out)
    started, cpu = time.perf_counter(), time.process_time()
    report = run_shadow(request)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    totals = report.summary["totals"]
    assert totals["outcomes"]["error"] == 0 and not totals.get("failed_requests"), totals
    return Timing(int(totals["records"]), elapsed, cpu)


def shadow_process(sim_file: Path, sample: int, out: Path) -> Timing:
    """`pleo-migrate shadow` as a user runs it, start-up included."""
    script = Path(sys.executable).with_name("pleo-migrate")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "migrate"]
    command += [
        "shadow", "--credentials-file", str(sim_file), "--ops", "expenses.list",
        "--rate", "0", "--recheck", "0", "--sample", str(sample), "--page-size", str(PAGE),
        "--out", str(out), "-o", "json",
    ]
    wall, cpu, result = _timed_process(command)
    if result.returncode != 0:
        raise SystemExit(f"pleo-migrate shadow exited {result.returncode}: {result.stderr}")
    summary = json.loads((out / "summary.json").read_text())
    return Timing(int(summary["totals"]["records"]), wall, cpu)


# --- the baseline ------------------------------------------------------------------------------


async def _legacy_walk(client: httpx.AsyncClient, legacy: dict[str, Any], records: int) -> None:
    offset: int | None = 0
    while offset is not None and offset < records:
        response = await client.get(
            f"{legacy['base_url']}/expenses",
            params={"pageOffset": offset, "pageSize": PAGE},
            headers={"Authorization": f"Bearer {legacy['token']}"},
        )
        offset = response.json()["metadata"]["pageInfo"]["nextPageOffset"]


async def _new_walk(
    client: httpx.AsyncClient, new: dict[str, Any], body: Any, records: int
) -> None:
    basic = httpx.BasicAuth(str(new["api_key"]), "")
    cursor: str | None = None
    seen = 0
    while seen < records:
        params: dict[str, Any] = {"company_id": new["company_id"], "limit": PAGE}
        if cursor:
            params["after"] = cursor
        response = await client.post(
            f"{new['base_url']}/v1/accounting-entries:search",
            params=params, json=body, auth=basic,
        )
        page = response.json()
        seen += len(page["data"])
        if not page["pagination"]["hasNextPage"]:
            break
        cursor = page["pagination"]["endCursor"]


def with_search_body(sim: dict[str, object]) -> dict[str, object]:
    """`sim` with the body of the new API's search as the planner (and so shadow) sends it:
    the loop asks for the very pages shadow asks for."""
    from migrate.mapping import NO_BODY, load_catalogue, plan_request

    new = sim["new"]
    assert isinstance(new, dict)
    plan = plan_request(load_catalogue(), "GET", f"/v1/expenses?pageOffset=0&pageSize={PAGE}",
                        NO_BODY, str(new["company_id"]))
    return {**sim, SEARCH_BODY: plan.page(PAGE, None).body}


def concurrent_loop(sim: dict[str, object], records: int) -> Timing:
    """The same pages, both APIs read at the same time (as shadow does), parsed, nothing else."""
    legacy, new = sim["legacy"], sim["new"]
    assert isinstance(legacy, dict) and isinstance(new, dict)

    async def both() -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            await asyncio.gather(
                _legacy_walk(client, legacy, records),
                _new_walk(client, new, sim[SEARCH_BODY], records),
            )

    started, cpu = time.perf_counter(), time.process_time()
    asyncio.run(both())
    return Timing(records, time.perf_counter() - started, time.process_time() - cpu)


def loop_process(sim_file: Path, records: int) -> Timing:
    """The loop as a process of its own: interpreter, httpx, the pages."""
    wall, cpu, result = _timed_process(
        [sys.executable, __file__, "--loop-child", str(sim_file.with_name(LOOP_FILE)),
         str(records)]
    )
    if result.returncode != 0:
        raise SystemExit(f"the loop process exited {result.returncode}: {result.stderr}")
    return Timing(records, wall, cpu)


def _timed_process(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


# --- pairs -------------------------------------------------------------------------------------


def paired(
    pairs: int, ours: Callable[[int], Timing], base: Callable[[], Timing]
) -> list[tuple[Timing, Timing]]:
    """Shadow and baseline pair by pair over the same records, alternating which goes first."""
    out = []
    for number in range(pairs):
        if number % 2 == 0:
            first = ours(number)
            out.append((first, base()))
        else:
            second = base()
            out.append((ours(number), second))
    return out


def describe(title: str, pairs: list[tuple[Timing, Timing]]) -> None:
    ratios = sorted((ours.records / ours.wall) / (base.records / base.wall)
                    for ours, base in pairs)
    overall = (sum(o.records for o, _ in pairs) / sum(o.wall for o, _ in pairs)) / (
        sum(b.records for _, b in pairs) / sum(b.wall for _, b in pairs))
    records = pairs[0][0].records
    shadow_wall = statistics.median(ours.wall for ours, _ in pairs)
    base_wall = statistics.median(base.wall for _, base in pairs)
    shadow_cpu = statistics.median(ours.cpu for ours, _ in pairs) / records * 1e6
    base_cpu = statistics.median(base.cpu for _, base in pairs) / records * 1e6
    spread = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    count = f"{len(pairs)} pair" + ("s" if len(pairs) != 1 else "")
    print(f"{title}, {records:,} records x {count}: shadow {shadow_wall:.2f} s "
          f"({records / shadow_wall:,.0f} records/s), concurrent loop {base_wall:.2f} s "
          f"({records / base_wall:,.0f} records/s); ratio {statistics.median(ratios):.2f} "
          f"(target >= 0.8; median of the pairs: {spread}; all pairs together {overall:.2f})")
    print(f"  client CPU per 1,000 records: shadow {shadow_cpu:.0f} ms, loop {base_cpu:.0f} ms")


def throughput(sim: dict[str, object], sim_file: Path, sizes: Sizes, folder: Path) -> None:
    records = sizes.records

    def ours(number: int) -> Timing:
        return shadow(sim, records, folder / f"throughput-{number}")

    def base() -> Timing:
        return concurrent_loop(sim, records)

    shadow(sim, PAGE, folder / "warm")  # the catalogue's compiled converters, made once
    describe("throughput in process", paired(sizes.pairs, ours, base))
    if sizes.process_pairs:

        def ours_process(number: int) -> Timing:
            return shadow_process(sim_file, sizes.process_records, folder / f"process-{number}")

        def base_process() -> Timing:
            return loop_process(sim_file, sizes.process_records)

        describe("throughput whole process (pleo-migrate shadow; the loop as a process)",
                 paired(sizes.process_pairs, ours_process, base_process))


# --- memory ------------------------------------------------------------------------------------


def child(sim_file: str, sample: int, out: str) -> None:
    """Run in a fresh process: one shadow run, then print its peak RSS (KiB) and records."""
    sim = json.loads(Path(sim_file).read_text())
    timing = shadow(sim, sample, Path(out))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"records": timing.records, "peak_kib": peak}))


def peak_rss(sim_file: Path, sample: int, folder: Path) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(sim_file), str(sample),
         str(folder / f"rss-{sample}")],
        cwd=REPO, check=True, capture_output=True, text=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return int(data["records"]), int(data["peak_kib"])


def memory(sim_file: Path, sizes: Sizes, folder: Path) -> None:
    small = peak_rss(sim_file, sizes.small, folder)
    large = peak_rss(sim_file, sizes.large, folder)
    print(f"memory: peak RSS {small[1] / 1024:.1f} MiB at {small[0]:,} records, "
          f"{large[1] / 1024:.1f} MiB at {large[0]:,} records; "
          f"ratio {large[1] / small[1]:.2f} (target <= 1.2)")


# --- command line ------------------------------------------------------------------------------


def arguments() -> tuple[Sizes, bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="smaller runs, fewer pairs")
    group.add_argument("--full", action="store_true",
                       help="more pairs, more records, memory at 100,000 records")
    parser.add_argument("--no-memory", action="store_true", help="throughput figures only")
    options = parser.parse_args()
    sizes = QUICK if options.quick else FULL if options.full else DEFAULT
    return sizes, not options.no_memory


def main(sizes: Sizes, with_memory: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"starting the simulator (scale {sizes.scale}) …", file=sys.stderr)
        process, sim = start_simulator(folder, sizes.scale)
        sim = with_search_body(sim)
        sim_file = folder / "simulator.json"  # the credentials file shadow reads
        (folder / LOOP_FILE).write_text(json.dumps(sim))
        try:
            concurrent_loop(sim, 2 * PAGE)  # warm both servers up
            throughput(sim, sim_file, sizes, folder)
            if with_memory:
                memory(sim_file, sizes, folder)
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "--loop-child":
        concurrent_loop(json.loads(Path(sys.argv[2]).read_text()), int(sys.argv[3]))
    else:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        main(*arguments())
