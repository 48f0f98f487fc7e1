"""What the comparator costs over just fetching, and whether its memory grows with records.

1. Throughput: the shadow run of `expenses.list` (every record: legacy offset pages and new
   cursor pages, canonicalised, matched by id, compared, classified, streamed to results.jsonl)
   in records compared per second, ÷ a plain httpx loop that fetches the same pages one after
   the other and only parses them. Target ≥ 0.7.
2. Memory: peak RSS of a shadow run over 100,000 records ÷ over 10,000 records, each in a fresh
   process (the simulator runs in its own process, so its store is not counted). Target ≤ 1.2.

Both APIs are the simulator on 127.0.0.1 (drift none).
Run: .venv/bin/python bench/shadow_throughput.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

RECORDS_SMALL = 10_000
RECORDS_LARGE = 100_000
SCALE = 90  # 2,000 expenses a scale across two companies; the first has > 100,000
PAGE = 100
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


def start_simulator(folder: Path) -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    document = folder / "simulator.json"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(SCALE), str(document)], cwd=REPO,
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


def plain_loop(sim: dict[str, object], records: int) -> float:
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"starting the simulator (scale {SCALE}) …", file=sys.stderr)
        process, sim = start_simulator(folder)
        try:
            plain_loop(sim, 2 * PAGE)  # warm both servers up
            records, ours = shadow(sim, RECORDS_SMALL, folder / "throughput")
            baseline = plain_loop(sim, records)
            ours_rate, plain_rate = records / ours, records / baseline
            print(f"throughput: {ours_rate:,.0f} records compared/s (shadow) vs "
                  f"{plain_rate:,.0f} records fetched/s (plain httpx loop) over {records:,} "
                  f"records; ratio {ours_rate / plain_rate:.2f} (target >= 0.7)")
            small = peak_rss(folder / "simulator.json", RECORDS_SMALL, folder)
            large = peak_rss(folder / "simulator.json", RECORDS_LARGE, folder)
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
        main()
