"""One shadow run: both APIs' clients built and guarded, every request compared, files written.

This module wires things together: the transport stack of each API (write guard, credential on
its own origin, cassette recorder or player, the network), pacing, the compat layer for flow
reads, the check that compares operation by operation, and the reports. It also turns a
cassette's metadata back into the run it recorded (its run id too), so a replay needs no flags
and writes the same summary.json.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from migrate.errors import ConfigurationError
from migrate.mapping import Catalogue
from migrate.pleo import api_key_authorization, legacy_authorization
from migrate.shadow.canonical import Side
from migrate.shadow.cassettes import (
    Cassette,
    CassettePlayer,
    CassetteRecorder,
    save_cassette,
)
from migrate.shadow.config import Credentials, Endpoints, Limits, Safety
from migrate.shadow.fetch import Api
from migrate.shadow.guard import CredentialTransport, WriteGuard, search_reads
from migrate.shadow.operation import OperationCheck
from migrate.shadow.pacing import RateLimiter, Throttle
from migrate.shadow.plan import ParityPlan, ParityRequest, plan_from_requests
from migrate.shadow.preflight import confirm_staging, preflight
from migrate.shadow.progress import NoProgress, Progress
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
from migrate.shadow.staged import StagedFiles
from migrate.shadow.writes import WritePlan, plan_writes, run_writes

REPLAY_PLACEHOLDER = "replay-without-credentials"


@dataclass(frozen=True)
class RunRequest:
    """Everything a run needs, already checked (see config.py)."""

    catalogue: Catalogue
    plan: ParityPlan
    endpoints: Endpoints
    credentials: Credentials
    limits: Limits = field(default_factory=Limits)
    safety: Safety = field(default_factory=Safety)
    out: Path = Path("reports/shadow")
    record: Path | None = None
    replay: Cassette | None = None
    run_id: str | None = None  # None: a new id; a replay keeps the id of the run it recorded
    preflight: bool = False  # one read per side first; a failure ends the run (exit 2)
    vouched_staging: tuple[str, ...] = ()  # URLs a credentials file marked staging gave


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


def new_run_id() -> str:
    """A fresh id for one run; summary.json and every results.jsonl line carry it."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class _Clients:
    """Both APIs' clients for one run, and the compat layer's when a flow is planned."""

    legacy: Api
    new: Api
    compat: Api | None

    async def close(self) -> None:
        await self.legacy.client.aclose()
        await self.new.client.aclose()
        if self.compat is not None:
            await self.compat.client.aclose()


async def _run(
    request: RunRequest,
    inner: httpx.AsyncBaseTransport | None,
    progress: Progress,
    sleep: Callable[[float], Awaitable[None]] | None,
    redactor: Redactor,
) -> RunReport:
    replaying = request.replay is not None
    pause = sleep or (_instant if replaying else asyncio.sleep)
    run_id = request.run_id or new_run_id()
    base, recorder = _network(request, inner, redactor)
    clients = _clients(request, base, redactor, pause)
    summary = Summary(run=_run_info(request), run_id=run_id)
    staged = StagedFiles(request.out, run_id)
    try:
        try:
            if request.preflight and not replaying:
                await _preflight(request, clients, inner)
            writes = await _compare(request, clients, summary, progress, pause, staged,
                                    redactor)
        finally:
            await clients.close()
        _write_reports(request, summary, writes, staged)
        if recorder is not None and request.record is not None:
            save_cassette(request.record, recorder, cassette_metadata(request, redactor, run_id))
        committed = staged.commit()
    except BaseException:
        staged.discard()  # an interrupted or failed run leaves the previous set whole
        raise
    shown_first = [request.out / name for name in (RESULTS_FILE, SUMMARY_FILE, JUNIT_FILE)]
    files = [*shown_first, *(path for path in committed if path not in shown_first)]
    if recorder is not None and request.record is not None:
        files.append(request.record)
    return RunReport(
        summary=summary.to_json(),
        files=tuple(files),
        requests={"legacy": clients.legacy.sent, "new": clients.new.sent},
        write_plans=writes,
    )


async def _preflight(
    request: RunRequest, clients: _Clients, inner: httpx.AsyncBaseTransport | None
) -> None:
    if request.safety.allow_writes:
        await confirm_staging(request.endpoints, request.vouched_staging, inner)
    await preflight(request.catalogue, request.plan, request.credentials.company_id,
                    request.limits, clients.legacy, clients.new, clients.compat)


def _network(
    request: RunRequest, inner: httpx.AsyncBaseTransport | None, redactor: Redactor
) -> tuple[httpx.AsyncBaseTransport, CassetteRecorder | None]:
    """The bottom of both transport stacks: a cassette's player, or the network (recorded)."""
    if request.replay is not None:
        return CassettePlayer(request.replay, redactor), None
    base = inner or httpx.AsyncHTTPTransport(retries=0)
    if request.record is None:
        return base, None
    recorder = CassetteRecorder(base, redactor, request.limits.max_body)
    return recorder, recorder


def _clients(
    request: RunRequest,
    base: httpx.AsyncBaseTransport,
    redactor: Redactor,
    pause: Callable[[float], Awaitable[None]],
) -> _Clients:
    """Each API's client: write guard, its credential on its own origin, paced and throttled."""
    rate = None if request.replay is not None else request.limits.rate
    limiters = (RateLimiter(rate, sleep=pause), RateLimiter(rate, sleep=pause))
    throttle = Throttle(limiters)
    reads = search_reads(request.catalogue)
    endpoints, credentials = request.endpoints, request.credentials

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
    return _Clients(legacy_api, new_api, compat_api)


async def _compare(
    request: RunRequest,
    clients: _Clients,
    summary: Summary,
    progress: Progress,
    pause: Callable[[float], Awaitable[None]],
    staged: StagedFiles,
    redactor: Redactor,
) -> tuple[WritePlan, ...]:
    """Every planned read compared, results streamed; the writes planned, and sent if allowed."""
    plan = request.plan
    with ResultWriter(staged.path(RESULTS_FILE), run_id=summary.run_id,
                      redact=redactor.document) as writer:
        check = OperationCheck(request.catalogue, request.limits, request.credentials.company_id,
                               clients.legacy, clients.new, writer, summary, progress, pause,
                               clients.compat)
        for step in plan.reads:
            await check.check(step)
        for skipped in plan.skipped:
            summary.tally(skipped.operation).skipped = skipped.reason
        if not plan.writes:
            return ()
        return await _writes(request, clients, summary, check)


async def _writes(
    request: RunRequest, clients: _Clients, summary: Summary, check: OperationCheck
) -> tuple[WritePlan, ...]:
    company_id = request.credentials.company_id
    writes = plan_writes(request.catalogue, request.plan.writes, company_id)
    if request.safety.allow_writes:
        for result in await run_writes(request.catalogue, request.plan.writes,
                                       clients.legacy, clients.new, company_id):
            check.emit(result)
        return writes
    for step in request.plan.writes:
        tally = summary.tally(step.operation)
        if tally.skipped is None and not tally.records:
            tally.skipped = (
                "a write: not sent (parity runs only read); "
                "see --plan-writes, or --allow-writes on staging"
            )
    return writes


def _write_reports(
    request: RunRequest, summary: Summary, writes: tuple[WritePlan, ...], staged: StagedFiles
) -> None:
    """junit.xml and the write plan (when asked for) staged beside results.jsonl, then
    summary.json last: it is renamed into place last, after the files it describes."""
    write_junit(staged.path(JUNIT_FILE), summary)
    if writes and request.safety.plan_writes:
        staged.write_text(
            "write-plan.json",
            json.dumps([w.to_json() for w in writes], indent=2, ensure_ascii=False) + "\n",
        )
    write_summary(staged.path(SUMMARY_FILE), summary)


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
    from migrate.compat import AsyncCompatTransport, RetryPolicy  # only a run with a flow

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


def cassette_metadata(request: RunRequest, redactor: Redactor, run_id: str) -> dict[str, Any]:
    """What a replay needs to rebuild the same run without the user repeating any flag.

    Request queries and bodies are redacted like the requests, so a replay rebuilds requests
    that match their (redacted) recordings.
    """
    limits = request.limits
    return {
        "schema": 1,
        "run_id": run_id,
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
                      *(ParityRequest(k.operation) for k in request.plan.skipped))
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
            ParityRequest(str(item["op"]), tuple((str(k), str(v)) for k, v in item["path"].items()),
                 tuple((str(k), str(v)) for k, v in item["query"]), item.get("body"),
                 str(item.get("source") or "all-reads"), item.get("name"))
            for item in meta["steps"]
        ]
        endpoints = Endpoints(str(meta["env"]), str(meta["legacy_url"]), str(meta["new_url"]))
        company = meta.get("company_id")
        run_id = meta.get("run_id")  # absent from cassettes recorded before runs had ids
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ConfigurationError(
            "the cassette was not recorded by `pleo-migrate shadow --record` "
            "(its pleo-migrate metadata is missing or incomplete)"
        ) from None
    return RunRequest(
        catalogue=catalogue,
        plan=plan_from_requests(catalogue, steps),
        endpoints=endpoints,
        credentials=Credentials(company_id=None if company is None else str(company)),
        limits=limits,
        safety=Safety(plan_writes=plan_writes),
        out=out,
        replay=cassette,
        run_id=run_id if isinstance(run_id, str) and run_id else None,
    )

