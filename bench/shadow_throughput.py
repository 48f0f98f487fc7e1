"""What the comparator costs over just fetching, and whether its memory grows with records.

1. Throughput: the shadow run of `expenses.list` (every record: legacy offset pages and new
   cursor pages, canonicalised, matched by id, compared, classified, streamed to results.jsonl)
   in records compared per second, ÷ a plain httpx loop that fetches the same pages and only
   parses them, reading both APIs at the same time as the shadow run does (one asyncio task
   per API). Shadow and loop run pair by pair, alternating which goes first; the figure is
   the median of the per-pair ratios. Target ≥ 0.8. The ratio against the old baseline (all
   legacy pages, then all new pages) is printed beside it.
2. Memory: peak RSS of a shadow run over 50,000 records (`--full`: 100,000) ÷ over 10,000
   records, each in a fresh process (the simulator runs in its own process, so its store is
   not counted). Target ≤ 1.2.

Both APIs are the simulator on 127.0.0.1 (drift none). About a minute; `--quick` for smaller
runs, `--full` for the 100,000-record memory figure (several minutes).
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

PAGE = 100


@dataclass(frozen=True)
class Sizes:
    throughput: int  # records per shadow run
    pairs: int
    small: int  # memory: records of the small and the large run
    large: int
    scale: int  # 2,000 expenses a scale across two companies; the first has > 55 %


QUICK = Sizes(throughput=5_000, pairs=1, small=5_000, large=20_000, scale=20)
DEFAULT = Sizes(throughput=10_000, pairs=2, small=10_000, large=50_000, scale=50)
FULL = Sizes(throughput=10_000, pairs=3, small=10_000, large=100_000, scale=90)
REPO = Path(__file__).resolve().parent.parent

SERVER = """
import json, sys, time
from pathlib import Path
from migrate.simulator import SimulatorConfig, build_simulator, start_servers
simulator = build_simulator(SimulatorConfig(scale=int(sys.argv[1])))
running = start_servers(simulator, host="127.0.0.1")
Path(sys.argv[2]).write_text(json.dumps(running.credentials_document()))
while True:
    time.sleep(60)
"""


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


def shadow(sim: dict[str, object], sample: int, out: Path) -> tuple[int, float]:
    """One shadow run of expenses.list in this process: (records, seconds)."""
    from migrate.mapping import load_catalogue
    from migrate.shadow import (
        Credentials,
        Endpoints,
        Limits,
        RunRequest,
        build_parity_plan,
        run_shadow,
    )

    legacy, new = sim["legacy"], sim["new"]
    assert isinstance(legacy, dict) and isinstance(new, dict)
    catalogue = load_catalogue()
    request = RunRequest(
        catalogue, build_parity_plan(catalogue, "expenses.list"),
        Endpoints(str(sim["environment"]), legacy["base_url"], new["base_url"]),
        Credentials(legacy["token"], new["api_key"], new["company_id"]),
        Limits(sample=sample, page_size=PAGE, rate=None, recheck=0), out=out,
    )
    started = time.perf_counter()
    report = run_shadow(request)
    elapsed = time.perf_counter() - started
    records = int(report.summary["totals"]["records"])
    assert report.summary["totals"]["outcomes"]["error"] == 0, report.summary
    return records, elapsed


def sequential_loop(sim: dict[str, object], records: int) -> float:
    """The same pages, fetched one after the other with httpx, parsed, and nothing else."""
    legacy, new = sim["legacy"], sim["new"]
    assert isinstance(legacy, dict) and isinstance(new, dict)
    basic = httpx.BasicAuth(str(new["api_key"]), "")
    started = time.perf_counter()
    with httpx.Client(timeout=60) as client:
        offset: int | None = 0
        while offset is not None and offset < records:
            page = client.get(f"{legacy['base_url']}/expenses",
                              params={"pageOffset": offset, "pageSize": PAGE},
                              headers={"Authorization": f"Bearer {legacy['token']}"}).json()
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
        cursor: str | None = None
        seen = 0
        while seen < records:
            params: dict[str, object] = {"company_id": new["company_id"], "limit": PAGE}
            if cursor:
                params["after"] = cursor
            page = client.post(f"{new['base_url']}/v1/accounting-entries:search", params=params,
                               json={"includeDeleted": True}, auth=basic).json()
            seen += len(page["data"])
            if not page["pagination"]["hasNextPage"]:
                break
            cursor = page["pagination"]["endCursor"]
    return time.perf_counter() - started


async def _legacy_walk(client: httpx.AsyncClient, legacy: dict[str, Any], records: int) -> None:
    offset: int | None = 0
    while offset is not None and offset < records:
        response = await client.get(
            f"{legacy['base_url']}/expenses",
            params={"pageOffset": offset, "pageSize": PAGE},
            headers={"Authorization": f"Bearer {legacy['token']}"},
        )
        offset = response.json()["metadata"]["pageInfo"]["nextPageOffset"]


async def _new_walk(client: httpx.AsyncClient, new: dict[str, Any], records: int) -> None:
    basic = httpx.BasicAuth(str(new["api_key"]), "")
    cursor: str | None = None
    seen = 0
    while seen < records:
        params: dict[str, Any] = {"company_id": new["company_id"], "limit": PAGE}
        if cursor:
            params["after"] = cursor
        response = await client.post(
            f"{new['base_url']}/v1/accounting-entries:search",
            params=params, json={"includeDeleted": True}, auth=basic,
        )
        page = response.json()
        seen += len(page["data"])
        if not page["pagination"]["hasNextPage"]:
            break
        cursor = page["pagination"]["endCursor"]


def concurrent_loop(sim: dict[str, object], records: int) -> float:
    """The same pages, both APIs read at the same time (as shadow does), parsed, nothing else."""
    legacy, new = sim["legacy"], sim["new"]
    assert isinstance(legacy, dict) and isinstance(new, dict)

    async def both() -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            await asyncio.gather(
                _legacy_walk(client, legacy, records), _new_walk(client, new, records)
            )

    started = time.perf_counter()
    asyncio.run(both())
    return time.perf_counter() - started


def child(sim_file: str, sample: int, out: str) -> None:
    """Run in a fresh process: one shadow run, then print its peak RSS (KiB) and records."""
    sim = json.loads(Path(sim_file).read_text())
    records, _ = shadow(sim, sample, Path(out))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"records": records, "peak_kib": peak}))


def peak_rss(sim_file: Path, sample: int, folder: Path) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(sim_file), str(sample),
         str(folder / f"rss-{sample}")],
        cwd=REPO, check=True, capture_output=True, text=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return int(data["records"]), int(data["peak_kib"])


def throughput(sim: dict[str, object], sizes: Sizes, folder: Path) -> None:
    """Shadow against the concurrent loop, pair by pair, alternating which runs first."""
    ratios, sequential_ratios, rates = [], [], []
    for number in range(sizes.pairs):
        out = folder / f"throughput-{number}"
        if number % 2 == 0:
            records, ours = shadow(sim, sizes.throughput, out)
            base = concurrent_loop(sim, records)
        else:
            base = concurrent_loop(sim, sizes.throughput)
            records, ours = shadow(sim, sizes.throughput, out)
        sequential = sequential_loop(sim, records)
        rates.append((records / ours, records / base, records / sequential))
        ratios.append(base / ours)
        sequential_ratios.append(sequential / ours)
    shadow_rate, base_rate, sequential_rate = (
        statistics.median(rate[side] for rate in rates) for side in range(3)
    )
    print(f"throughput over {records:,} records: {shadow_rate:,.0f} records compared/s "
          f"(shadow) vs {base_rate:,.0f} records fetched/s (plain httpx loop, both APIs at "
          f"once); ratio {statistics.median(ratios):.2f} (target >= 0.8; median of "
          f"{len(ratios)} pairs)")
    print(f"  against the old baseline (legacy pages, then new pages: {sequential_rate:,.0f} "
          f"records/s): ratio {statistics.median(sequential_ratios):.2f}")


def arguments() -> Sizes:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="smaller runs, one pair")
    group.add_argument("--full", action="store_true", help="memory at 100,000 records")
    options = parser.parse_args()
    return QUICK if options.quick else FULL if options.full else DEFAULT


def main(sizes: Sizes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"starting the simulator (scale {sizes.scale}) …", file=sys.stderr)
        process, sim = start_simulator(folder, sizes.scale)
        try:
            concurrent_loop(sim, 2 * PAGE)  # warm both servers up
            throughput(sim, sizes, folder)
            small = peak_rss(folder / "simulator.json", sizes.small, folder)
            large = peak_rss(folder / "simulator.json", sizes.large, folder)
            print(f"memory: peak RSS {small[1] / 1024:.1f} MiB at {small[0]:,} records, "
                  f"{large[1] / 1024:.1f} MiB at {large[0]:,} records; "
                  f"ratio {large[1] / small[1]:.2f} (target <= 1.2)")
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        main(arguments())
