"""The proxy under load, with one upstream route that trickles (issue 13's acceptance).

Three processes: this one (the clients), a `pleo-migrate proxy`, and an upstream that is the
simulator with one poisoned route: `GET /v2/employees/<the trickle id>` sends its headers, then
one byte every 0.5 s. 50 concurrent clients send 5,000 legacy requests through the proxy (a mix
of employee reads, employee pages, expense pages and tax codes, plus 2 % to the trickling
route, half of whose callers give up after 1 s). The same healthy mix is sent straight to the
new API, as the calls the proxy would make, before and after the proxy phase.

Printed, with the targets:
- errors on the healthy routes (0);
- p99 through the proxy vs p99 direct in the same run (at most twice);
- proxy RSS growth from warm idle to idle after the load (≤ 20 MB);
- proxy file descriptors back to their warm idle count after the load.

Exit 0 when every target holds, 1 otherwise. About a minute; `--requests N` to change the size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from migrate.compat import CompatEngine
from migrate.compat.messages import LegacyRequest, NewRequest
from migrate.pleo import api_key_authorization
from migrate.serving import ServedApps, StopSignals
from migrate.simulator import SimulatorConfig, build_simulator, write_credentials_file

TRICKLE_ID = "7ac1e000-0000-4000-8000-00000000dead"
CLIENTS = 50
DEADLINE = 10.0  # the proxy's --deadline for this run: well above a healthy call
RNG = random.Random(20261130)

# --- the upstream process --------------------------------------------------------------------


def _trickling(app: Any) -> Any:
    """The simulator's new API with one route that never finishes in time."""
    poisoned = f"/v2/employees/{TRICKLE_ID}"

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != poisoned:
            await app(scope, receive, send)
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"1000")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for _ in range(240):
            await send({"type": "http.response.body", "body": b" ", "more_body": True})
            await asyncio.sleep(0.5)
        await send({"type": "http.response.body", "body": b" ", "more_body": False})

    return wrapped


def serve_upstream(credentials: Path) -> int:
    simulator = build_simulator(SimulatorConfig())
    served = ServedApps(
        [(simulator.legacy_app, "127.0.0.1", 0), (_trickling(simulator.new_app), "127.0.0.1", 0)],
        lifespan="off",
    )
    document = {
        "environment": simulator.config.environment,
        "new": {
            "base_url": served.url(1),
            "api_key": simulator.startup.api_key.secret,
            "company_id": simulator.company_id,
        },
    }
    with StopSignals() as signals, served:
        write_credentials_file(credentials, document)
        signals.wait(lambda: served.alive)
    return 0


# --- measuring -------------------------------------------------------------------------------


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@dataclass
class Sampler:
    pid: int
    peak_rss: float = 0.0
    peak_fds: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_rss = max(self.peak_rss, _rss_mb(self.pid))
            self.peak_fds = max(self.peak_fds, _fds(self.pid))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    trickle: dict[str, int] = field(default_factory=dict)

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


Job = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def _run(jobs: list[tuple[str, Job, bool]], client: httpx.AsyncClient) -> Tally:
    """Send the jobs with CLIENTS workers; `healthy` jobs count towards latency and errors."""
    tally = Tally()
    queue: asyncio.Queue[tuple[str, Job, bool]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            name, job, healthy = queue.get_nowait()
            start = time.perf_counter()
            try:
                answer = await job(client)
                outcome = str(answer.status_code)
                answer.json()
            except (httpx.HTTPError, ValueError) as error:
                outcome = type(error).__name__
            took = time.perf_counter() - start
            if healthy:
                tally.latencies.append(took)
                if outcome != "200":
                    tally.errors.append(f"{name}: {outcome}")
            else:
                tally.trickle[outcome] = tally.trickle.get(outcome, 0) + 1

    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return tally


# --- the request mix -------------------------------------------------------------------------

LEGACY_MIX = (
    ("employees.get", "/employees/{employee}"),
    ("employees.list", "/employees?pageSize=20"),
    ("expenses.list", "/expenses?pageSize=50"),
    ("tax-codes.list", "/tax-codes"),
)


def _proxy_jobs(count: int, base: str, employee: str) -> list[tuple[str, Job, bool]]:
    jobs: list[tuple[str, Job, bool]] = []
    for index in range(count):
        if index % 50 == 25:  # 2 %: the trickling route; every other caller gives up at 1 s
            patience = 1.0 if index % 100 == 25 else DEADLINE + 5

            async def poisoned(client: httpx.AsyncClient, t: float = patience) -> httpx.Response:
                return await client.get(f"{base}/employees/{TRICKLE_ID}", timeout=t)

            jobs.append(("trickle", poisoned, False))
            continue
        name, path = LEGACY_MIX[index % len(LEGACY_MIX)]
        url = base + path.format(employee=employee)

        async def healthy(client: httpx.AsyncClient, u: str = url) -> httpx.Response:
            return await client.get(u)

        jobs.append((name, healthy, True))
    RNG.shuffle(jobs)
    return jobs


def _direct_calls(company: str, employee: str) -> list[tuple[str, NewRequest]]:
    """The new-API call the proxy makes for each legacy request of the mix."""
    engine = CompatEngine(company_id=company)
    calls = []
    for name, path in LEGACY_MIX:
        url = "https://openapi.pleo.io/v1" + path.format(employee=employee)
        calls.append((name, next(engine.serve(LegacyRequest("GET", url)))))
    return calls


def _direct_jobs(count: int, new_base: str, calls: list[tuple[str, NewRequest]]) -> list[Any]:
    jobs = []
    for index in range(count):
        name, call = calls[index % len(calls)]
        body = call.content()

        async def direct(client: httpx.AsyncClient, c: NewRequest = call, b: Any = body) -> Any:
            headers = {"Content-Type": "application/json"} if b is not None else {}
            return await client.request(
                c.method, new_base + c.path, params=list(c.params), content=b, headers=headers
            )

        jobs.append((name, direct, True))
    return jobs


# --- the run ---------------------------------------------------------------------------------


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _wait_file(path: Path, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 30
    while not (path.exists() and path.stat().st_size):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(
                f"{what} did not start: {process.stderr.read() if process.stderr else ''}"
            )
        time.sleep(0.05)


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


async def _load(args: argparse.Namespace, work: Path, proxy_pid: int, port: int) -> dict[str, Any]:
    document = json.loads((work / "upstream.json").read_text())
    new = document["new"]
    token = (work / "caller-token").read_text().strip()
    base = f"http://127.0.0.1:{port}/v1"
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    proxy_client = httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30
    )
    direct_client = httpx.AsyncClient(
        headers={"Authorization": api_key_authorization(new["api_key"])}, limits=limits, timeout=30
    )
    async with proxy_client, direct_client:
        listing = await proxy_client.get(f"{base}/employees?pageSize=1")
        employee = listing.json()["employees"][0]["id"]
        calls = _direct_calls(new["company_id"], employee)
        await _run(_proxy_jobs(200, base, employee), proxy_client)  # warm up
        await _run(_direct_jobs(200, new["base_url"], calls), direct_client)
        await asyncio.sleep(DEADLINE + 6)  # the warm-up's trickles end; keep-alives expire
        idle_rss, idle_fds = _rss_mb(proxy_pid), _fds(proxy_pid)
        direct = await _run(_direct_jobs(args.requests // 2, new["base_url"], calls), direct_client)
        started = time.perf_counter()
        with Sampler(proxy_pid) as sampler:
            through = await _run(_proxy_jobs(args.requests, base, employee), proxy_client)
        wall = time.perf_counter() - started
        again = await _run(_direct_jobs(args.requests // 2, new["base_url"], calls), direct_client)
    await asyncio.sleep(DEADLINE + 6)
    direct.latencies += again.latencies
    direct.errors += again.errors
    return {
        "requests": args.requests,
        "wall_s": round(wall, 1),
        "healthy_errors": through.errors,
        "direct_errors": direct.errors,
        "trickle_outcomes": through.trickle,
        "proxy_p50_ms": round(through.p(0.50), 1),
        "proxy_p99_ms": round(through.p(0.99), 1),
        "direct_p50_ms": round(direct.p(0.50), 1),
        "direct_p99_ms": round(direct.p(0.99), 1),
        "rss_idle_mb": round(idle_rss, 1),
        "rss_peak_mb": round(sampler.peak_rss, 1),
        "rss_after_mb": round(_rss_mb(proxy_pid), 1),
        "fds_idle": idle_fds,
        "fds_peak": sampler.peak_fds,
        "fds_after": _fds(proxy_pid),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--serve-upstream", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        return serve_upstream(args.serve_upstream)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEO_")}
    with tempfile.TemporaryDirectory(prefix="proxy-load-") as folder:
        work = Path(folder)
        upstream = _start([__file__, "--serve-upstream", str(work / "upstream.json")], env)
        proxy = None
        try:
            _wait_file(work / "upstream.json", upstream, "the upstream")
            port = _free_port()
            proxy = _start(
                [
                    "-m",
                    "migrate",
                    "proxy",
                    "--credentials-file",
                    str(work / "upstream.json"),
                    "--listen",
                    f"127.0.0.1:{port}",
                    "--token-file",
                    str(work / "caller-token"),
                    "--deadline",
                    str(DEADLINE),
                ],
                env,
            )
            _wait_file(work / "caller-token", proxy, "the proxy")
            _wait_healthy(port, proxy)
            figures = asyncio.run(_load(args, work, proxy.pid, port))
        finally:
            if proxy is not None:
                _stop(proxy)
            _stop(upstream)
    return _report(figures)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(port: int, process: subprocess.Popen[str]) -> None:
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the proxy did not answer /healthz")


def _report(f: dict[str, Any]) -> int:
    ratio = f["proxy_p99_ms"] / f["direct_p99_ms"] if f["direct_p99_ms"] else float("inf")
    growth = f["rss_after_mb"] - f["rss_idle_mb"]
    checks = {
        "errors on healthy routes": (len(f["healthy_errors"]) == 0, f"{len(f['healthy_errors'])}"),
        "p99 proxy / direct ≤ 2": (
            ratio <= 2.0,
            f"{f['proxy_p99_ms']} / {f['direct_p99_ms']} ms = {ratio:.2f}",
        ),
        "RSS growth ≤ 20 MB": (
            growth <= 20,
            f"{f['rss_idle_mb']} → {f['rss_after_mb']} MB (peak {f['rss_peak_mb']})",
        ),
        "fds back to idle": (
            f["fds_after"] <= f["fds_idle"],
            f"{f['fds_idle']} → peak {f['fds_peak']} → {f['fds_after']}",
        ),
    }
    print(f"{f['requests']} requests through the proxy in {f['wall_s']} s, {CLIENTS} clients")
    print(f"p50 proxy {f['proxy_p50_ms']} ms, direct {f['direct_p50_ms']} ms")
    print(f"trickling route outcomes: {f['trickle_outcomes']}")
    if f["healthy_errors"]:
        print("healthy errors (first 10):", f["healthy_errors"][:10])
    for name, (ok, figure) in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}")
    return 0 if all(ok for ok, _ in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
