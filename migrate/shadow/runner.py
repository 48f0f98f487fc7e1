"""One shadow run: both APIs' clients built and guarded, every step compared, files written.

This module wires things together: the transport stack of each API (write guard, credential on
its own origin, cassette recorder or player, the network), pacing, the compat layer for flow
reads, the engine that compares operation by operation, and the reports. It also turns a
cassette's metadata back into the run it recorded, so a replay needs no flags.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from migrate.compat import AsyncCompatTransport, RetryPolicy
from migrate.errors import ConfigurationError
from migrate.mapping.catalogue import Catalogue
from migrate.pleo import api_key_authorization, legacy_authorization
from migrate.shadow.canonical import Side
from migrate.shadow.cassettes import (
    Cassette,
    CassettePlayer,
    CassetteRecorder,
    save_cassette,
)
from migrate.shadow.config import Credentials, Endpoints, Limits, Safety
from migrate.shadow.engine import Engine, NoProgress, Progress
from migrate.shadow.fetch import (
    Api,
)
from migrate.shadow.guard import CredentialTransport, WriteGuard, search_reads
from migrate.shadow.pacing import RateLimiter, Throttle
from migrate.shadow.plan import Plan, Step, plan_from_steps
from migrate.shadow.redact import Redactor
from migrate.shadow.results import (
    JUNIT_FILE,
    RESULTS_FILE,
    SUMMARY_FILE,
    ResultWriter,
    Summary,
    write_junit,
    write_summary,
)
from migrate.shadow.writes import WritePlan, plan_writes, run_writes

REPLAY_PLACEHOLDER = "replay-without-credentials"


@dataclass(frozen=True)
class RunRequest:
    """Everything a run needs, already checked (see config.py)."""

    catalogue: Catalogue
    plan: Plan
    endpoints: Endpoints
    credentials: Credentials
    limits: Limits = field(default_factory=Limits)
    safety: Safety = field(default_factory=Safety)
    out: Path = Path("reports/shadow")
    record: Path | None = None
    replay: Cassette | None = None


@dataclass(frozen=True)
class RunReport:
    summary: dict[str, Any]
    files: tuple[Path, ...]
    requests: Mapping[str, int]
    write_plans: tuple[WritePlan, ...] = ()


def run_shadow(
    request: RunRequest,
    *,
    inner: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    redactor: Redactor | None = None,
) -> RunReport:
    """Run the comparison; `inner` replaces the network (tests, benchmarks), `redactor` the
    default redaction (the credentials of the run, every step)."""
    redactor = redactor or Redactor(request.credentials.secrets())
    return asyncio.run(_run(request, inner, progress or NoProgress(), sleep, redactor))


async def _run(
    request: RunRequest,
    inner: httpx.AsyncBaseTransport | None,
    progress: Progress,
    sleep: Callable[[float], Awaitable[None]] | None,
    redactor: Redactor,
) -> RunReport:
    replaying = request.replay is not None
    pause = sleep or (_instant if replaying else asyncio.sleep)
    recorder: CassetteRecorder | None = None
    base: httpx.AsyncBaseTransport
    if request.replay is not None:
        base = CassettePlayer(request.replay, redactor)
    else:
        base = inner or httpx.AsyncHTTPTransport(retries=0)
        if request.record is not None:
            recorder = CassetteRecorder(base, redactor)
            base = recorder
    rate = None if replaying else request.limits.rate
    limiters = (RateLimiter(rate, sleep=pause), RateLimiter(rate, sleep=pause))
    throttle = Throttle(limiters)
    reads = search_reads(request.catalogue)
    endpoints = request.endpoints
    credentials = request.credentials

    def api(side: Side, url: str, authorization: str, limiter: RateLimiter) -> Api:
        stack = WriteGuard(
            CredentialTransport(base, url, authorization),
            base_path=httpx.URL(url).path,
            reads=reads if side == "new" else (),
            allow_writes=request.safety.allow_writes,
        )
        client = httpx.AsyncClient(
            base_url=url.rstrip("/") + "/",
            transport=stack,
            timeout=request.limits.timeout,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "pleo-migrate-shadow"},
        )
        return Api(side, client, limiter=limiter, throttle=throttle, limits=request.limits,
                   redactor=redactor, sleep=pause)

    legacy_api = api("legacy", endpoints.legacy_url,
                     legacy_authorization(credentials.legacy_token or ""), limiters[0])
    new_api = api("new", endpoints.new_url, api_key_authorization(credentials.api_key or ""),
                  limiters[1])
    flows = any(request.catalogue.get(s.operation).kind == "flow" for s in request.plan.reads)
    compat_api = _compat_api(request, base, reads, limiters[1], throttle, redactor,
                             pause) if flows else None
    out = request.out
    summary = Summary(run=_run_info(request))
    writes: tuple[WritePlan, ...] = ()
    try:
        with ResultWriter(out / RESULTS_FILE) as writer:
            engine = Engine(request.catalogue, request.limits, request.credentials.company_id,
                            legacy_api, new_api, writer, summary, progress, pause, compat_api)
            for step in request.plan.reads:
                await engine.step(step)
            for skipped in request.plan.skipped:
                summary.tally(skipped.operation).skipped = skipped.reason
            if request.plan.writes:
                writes = plan_writes(request.catalogue, request.plan.writes,
                                     request.credentials.company_id)
                if request.safety.allow_writes:
                    for result in await run_writes(request.catalogue, request.plan.writes,
                                                   legacy_api, new_api,
                                                   request.credentials.company_id):
                        engine.emit(result)
                else:
                    for step in request.plan.writes:
                        tally = summary.tally(step.operation)
                        if tally.skipped is None and not tally.records:
                            tally.skipped = (
                                "a write: not sent (parity runs only read); "
                                "see --plan-writes, or --allow-writes on staging"
                            )
    finally:
        await legacy_api.client.aclose()
        await new_api.client.aclose()
        if compat_api is not None:
            await compat_api.client.aclose()
    files = [out / RESULTS_FILE, out / SUMMARY_FILE, out / JUNIT_FILE]
    write_summary(out / SUMMARY_FILE, summary)
    write_junit(out / JUNIT_FILE, summary)
    if writes and request.safety.plan_writes:
        plan_file = out / "write-plan.json"
        plan_file.write_text(
            json.dumps([w.to_json() for w in writes], indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        files.append(plan_file)
    if recorder is not None and request.record is not None:
        save_cassette(request.record, recorder, cassette_metadata(request, redactor))
        files.append(request.record)
    return RunReport(
        summary=summary.to_json(),
        files=tuple(files),
        requests={"legacy": legacy_api.sent, "new": new_api.sent},
        write_plans=writes,
    )


def _compat_api(
    request: RunRequest,
    base: httpx.AsyncBaseTransport,
    reads: tuple[re.Pattern[str], ...],
    limiter: RateLimiter,
    throttle: Throttle,
    redactor: Redactor,
    pause: Callable[[float], Awaitable[None]],
) -> Api:
    """The new side of a flow operation: the legacy request, served by the compat layer.

    A flow (several new calls in a named Python flow) is not ours to re-implement; the compat
    layer runs it against the new API through the same guarded, recorded transport.
    """
    endpoints = request.endpoints
    inner = WriteGuard(base, base_path=httpx.URL(endpoints.new_url).path, reads=reads,
                       allow_writes=request.safety.allow_writes)
    transport = AsyncCompatTransport(
        request.catalogue,
        inner=inner,
        api_key=request.credentials.api_key or REPLAY_PLACEHOLDER,
        company_id=request.credentials.company_id,
        env=endpoints.env,
        new_base_url=endpoints.new_url,
        legacy_base_url=endpoints.legacy_url,
        retry=RetryPolicy(attempts=request.limits.retries + 1),
        timeout=request.limits.timeout,
        sleep=pause,
    )
    client = httpx.AsyncClient(
        base_url=endpoints.legacy_url.rstrip("/") + "/", transport=transport,
        timeout=request.limits.timeout, follow_redirects=False,
    )
    return Api("new", client, limiter=limiter, throttle=throttle, limits=request.limits,
               redactor=redactor, sleep=pause)



async def _instant(_: float) -> None:
    await asyncio.sleep(0)


def _run_info(request: RunRequest) -> dict[str, Any]:
    limits = request.limits
    return {
        "tool": "pleo-migrate shadow",
        "env": request.endpoints.env,
        "legacy_url": request.endpoints.legacy_url,
        "new_url": request.endpoints.new_url,
        "operations": list(request.plan.operations()),
        "sample": limits.sample,
        "page_size": limits.page_size,
        "recheck": limits.recheck,
        "noise_sample": limits.noise_sample,
    }


def cassette_metadata(request: RunRequest, redactor: Redactor) -> dict[str, Any]:
    """What a replay needs to rebuild the same run without the user repeating any flag.

    Step queries and bodies are redacted like the requests, so a replay rebuilds requests
    that match their (redacted) recordings.
    """
    limits = request.limits
    return {
        "schema": 1,
        "env": request.endpoints.env,
        "legacy_url": request.endpoints.legacy_url,
        "new_url": request.endpoints.new_url,
        "company_id": request.credentials.company_id,
        "limits": {
            "sample": limits.sample, "page_size": limits.page_size, "recheck": limits.recheck,
            "recheck_backoff": limits.recheck_backoff, "noise_sample": limits.noise_sample,
            "recheck_limit": limits.recheck_limit, "retries": limits.retries,
            "max_429": limits.max_429,
        },
        "steps": [
            {"op": s.operation, "path": dict(s.path_params),
             "query": [list(p) for p in redactor.pairs(s.query)],
             "body": redactor.document(s.body), "source": s.source, "name": s.name}
            for s in (*request.plan.reads, *request.plan.writes,
                      *(Step(k.operation) for k in request.plan.skipped))
        ],
    }


def replay_request(
    catalogue: Catalogue, cassette: Cassette, *, out: Path, plan_writes: bool = False
) -> RunRequest:
    """The run a cassette recorded, rebuilt from its metadata, to be replayed offline."""
    meta = cassette.metadata
    try:
        limits = Limits(
            sample=meta["limits"]["sample"], page_size=int(meta["limits"]["page_size"]),
            rate=None, recheck=int(meta["limits"]["recheck"]),
            recheck_backoff=float(meta["limits"]["recheck_backoff"]),
            noise_sample=int(meta["limits"]["noise_sample"]),
            recheck_limit=int(meta["limits"]["recheck_limit"]),
            retries=int(meta["limits"]["retries"]), max_429=int(meta["limits"]["max_429"]),
            concurrency=1,
        )
        steps = [
            Step(str(item["op"]), tuple((str(k), str(v)) for k, v in item["path"].items()),
                 tuple((str(k), str(v)) for k, v in item["query"]), item.get("body"),
                 str(item.get("source") or "all-reads"), item.get("name"))
            for item in meta["steps"]
        ]
        endpoints = Endpoints(str(meta["env"]), str(meta["legacy_url"]), str(meta["new_url"]))
        company = meta.get("company_id")
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ConfigurationError(
            "the cassette was not recorded by `pleo-migrate shadow --record` "
            "(its pleo-migrate metadata is missing or incomplete)"
        ) from None
    return RunRequest(
        catalogue=catalogue,
        plan=plan_from_steps(catalogue, steps),
        endpoints=endpoints,
        credentials=Credentials(company_id=None if company is None else str(company)),
        limits=limits,
        safety=Safety(plan_writes=plan_writes),
        out=out,
        replay=cassette,
    )

