"""Reading both APIs: one operation's requests built from the catalogue, paged to the end.

`Api` is one side's client with pacing, retries and 429 handling; every failure becomes a
`FetchError` with a message fit for a report (no secret, no traceback). `Calls` builds the
legacy request of a step and asks the planner (`mapping/calls.py`) which new call serves that
very request, so the new side is asked exactly what the compat layer would send. The page
iterators follow legacy offsets and new cursors through `pleo`'s envelope readers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from migrate import jsonio
from migrate.errors import ConversionError, SafetyRefusal
from migrate.mapping import (
    NO_BODY,
    CallPlan,
    Catalogue,
    LegacyMatch,
    Operation,
    Side,
    fill_template,
    ignored_query,
    json_bytes,
    plan_call,
    template_prefixes,
    unapplied_filters,
)
from migrate.pleo import (
    LEGACY_BASE_PATH,
    LEGACY_PAGE_OFFSET,
    LEGACY_PAGE_SIZE,
    LEGACY_PAGING_PARAMS,
    RETRY_AFTER,
    CursorPage,
    EnvelopeError,
    backoff,
    legacy_next_offset,
    parse_retry_after,
)
from migrate.shadow.canonical import Projection, Record
from migrate.shadow.cassettes import BodyTooLarge, CassetteMiss
from migrate.shadow.config import Limits
from migrate.shadow.pacing import RateLimiter, Throttle
from migrate.shadow.plan import ParityRequest
from migrate.shadow.redact import Redactor

Pairs = tuple[tuple[str, str], ...]
_MESSAGE_LIMIT = 200
_PLANS_KEPT = 256  # plans remembered per operation: every page, and a record's re-checks


class FetchError(Exception):
    """A request that failed for good; the message names the API and the request."""

    def __init__(self, side: str, request: str, message: str) -> None:
        super().__init__(f"{side} API: {request}: {message}")
        self.side = side
        self.request = request
        self.message = message


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str]
    request: str


@dataclass(frozen=True)
class HttpCall:
    method: str
    path: str
    params: Pairs = ()
    body: Any = field(default=NO_BODY, compare=False)


class Api:
    """One API: paced, retried, and every failure turned into a FetchError."""

    def __init__(
        self,
        side: Side,
        client: httpx.AsyncClient,
        *,
        limiter: RateLimiter,
        throttle: Throttle,
        limits: Limits,
        redactor: Redactor,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.side = side
        self.client = client
        self.limiter = limiter
        self.throttle = throttle
        self.limits = limits
        self.redactor = redactor
        self.sleep = sleep
        self.sent = 0
        self._gate = asyncio.Semaphore(max(1, limits.concurrency))

    def describe(self, call: HttpCall) -> str:
        """`GET /v1/expenses?pageOffset=0`: the request as a report shows it, redacted."""
        path = self.client.base_url.path.rstrip("/") + "/" + call.path.lstrip("/")
        query = urlencode(list(call.params))
        return f"{call.method} {self.redactor.describe(path + ('?' + query if query else ''))}"

    async def send(self, call: HttpCall, *, allow_404: bool = False) -> Reply:
        shown = self.describe(call)
        content = None if call.body is NO_BODY else json_bytes(call.body)
        headers = None if content is None else {"Content-Type": "application/json"}
        failures = 0
        throttled = 0
        while True:
            await self.limiter.acquire()
            try:
                async with self._gate:
                    self.sent += 1
                    # --timeout bounds the whole exchange (headers and body), not each read:
                    # an upstream that trickles one byte at a time must not hold the run.
                    async with asyncio.timeout(self.limits.timeout):
                        response, body = await self._exchange(call, content, headers, shown)
            except SafetyRefusal:
                raise
            except (CassetteMiss, BodyTooLarge) as exc:
                raise FetchError(self.side, shown, str(exc)) from None
            except (httpx.TimeoutException, TimeoutError):
                problem = f"timed out after {self.limits.timeout:g} s"
            except httpx.DecodingError:
                raise FetchError(
                    self.side, shown, "the response body could not be decoded"
                ) from None
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__})"
            else:
                status = response.status_code
                if status == 429:
                    throttled += 1
                    if throttled >= self.limits.max_429:
                        raise FetchError(
                            self.side, shown,
                            f"gave up after {throttled} consecutive 429 Too Many Requests; "
                            "both APIs were slowed down; rerun with a lower --rate",
                        )
                    asked = parse_retry_after(response.headers.get(RETRY_AFTER))
                    if asked is not None and asked > self.limits.max_wait:
                        raise FetchError(
                            self.side, shown,
                            f"rate limited: the server asks to wait {asked:.0f} s, more than "
                            f"the {self.limits.max_wait:g} s a run waits; rerun later",
                        )
                    wait = min(self.limits.max_wait, asked or backoff(throttled, 1.0))
                    self.throttle.too_many_requests(wait)
                    continue
                if status >= 500:
                    problem = f"HTTP {status}{self._detail(body)}"
                else:
                    return self._reply(response, body, shown, allow_404)
            failures += 1
            if failures > self.limits.retries:
                raise FetchError(self.side, shown, f"{problem} (after {failures} attempts)")
            await self.sleep(backoff(failures, 0.5))

    async def _exchange(
        self, call: HttpCall, content: bytes | None, headers: dict[str, str] | None, shown: str
    ) -> tuple[httpx.Response, bytes]:
        """One request, its body read up to `limits.max_body` bytes as decoded (so a small
        compressed body that inflates to gigabytes is stopped at the cap)."""
        request = self.client.build_request(
            call.method, call.path.lstrip("/"), params=list(call.params), content=content,
            headers=headers,
        )
        response = await self.client.send(request, stream=True)
        try:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.limits.max_body:
                    raise FetchError(
                        self.side, shown,
                        f"the response body is larger than {self.limits.max_body:,} bytes "
                        "(decoded); refused",
                    )
                chunks.append(chunk)
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    def _reply(self, response: httpx.Response, content: bytes, shown: str,
               allow_404: bool) -> Reply:
        status = response.status_code
        if status >= 400 and not (status == 404 and allow_404):
            raise FetchError(self.side, shown, f"HTTP {status}{self._detail(content)}")
        body: Any = None
        if content.strip() and status != 404:
            try:
                body = jsonio.loads(content)
            except (ValueError, UnicodeDecodeError):
                raise FetchError(
                    self.side, shown,
                    f"the response is not valid JSON (truncated? {len(content)} bytes)",
                ) from None
            except RecursionError:
                raise FetchError(
                    self.side, shown,
                    f"the response is JSON nested too deeply to read ({len(content)} bytes)",
                ) from None
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Reply(status, body, headers, shown)

    def _detail(self, content: bytes) -> str:
        """The server's own `message`, redacted and shortened: why it refused."""
        try:
            body = jsonio.loads(content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return ""
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str) or not message:
            return ""
        return ": " + self.redactor.text(message)[:_MESSAGE_LIMIT]


# --- one operation's requests -----------------------------------------------------------------


class Calls:
    """The legacy request of one step, and the new call the planner makes of that request."""

    def __init__(
        self,
        catalogue: Catalogue,
        operation: Operation,
        step: ParityRequest,
        company_id: str | None,
        limits: Limits,
    ) -> None:
        if operation.new is None:
            raise ConversionError(f"{operation.id} has no new-API equivalent")
        self.catalogue = catalogue
        self.operation = operation
        self.step = step
        self.company_id = company_id
        self.limits = limits
        self.query: Pairs = tuple((k, v) for k, v in step.query if k not in LEGACY_PAGING_PARAMS)
        self.legacy_paged = operation.paging == "offset-to-cursor"
        self.new_paged = operation.paging in ("offset-to-cursor", "all-to-cursor")
        # A small sample needs no big pages; both sides keep the same size so they stay aligned.
        self.page_size = max(1, min(limits.page_size, limits.sample or limits.page_size))
        self.notes: list[str] = [
            f"legacy parameter {name!r} is not carried to the new API"
            for name in ignored_query(operation, self.query)
        ]
        # declared losses of legacy filters the new API lacks
        self.unapplied: list[str] = list(unapplied_filters(operation, self.query))
        self._plans: dict[tuple[tuple[str, str], ...], CallPlan] = {}

    # --- legacy -----------------------------------------------------------------------------

    def legacy(self, params: Mapping[str, str], offset: int | None = None) -> HttpCall:
        template = self.operation.legacy.path.removeprefix(LEGACY_BASE_PATH)
        return HttpCall(
            self.operation.legacy.method,
            fill_template(template, params, quote=True),
            self._legacy_query(offset or 0),
        )

    def _legacy_query(self, offset: int) -> Pairs:
        if not self.legacy_paged:
            return self.query
        paging = ((LEGACY_PAGE_OFFSET, str(offset)), (LEGACY_PAGE_SIZE, str(self.page_size)))
        return self.query + paging

    # --- new --------------------------------------------------------------------------------

    def plan(self, params: Mapping[str, str]) -> CallPlan:
        """The planner's plan for the legacy request this step sends (its first page)."""
        key = tuple(sorted(params.items()))
        found = self._plans.get(key)
        if found is None:
            values = {name: quote(str(value), safe="") for name, value in params.items()}
            match = LegacyMatch(self.operation, values, self._legacy_query(0))
            found = plan_call(self.catalogue, match, NO_BODY, self.company_id)
            if len(self._plans) >= _PLANS_KEPT:  # one binding per record for a GET: bounded
                del self._plans[next(iter(self._plans))]
            self._plans[key] = found
        return found

    def new(self, params: Mapping[str, str], cursor: str | None = None) -> HttpCall:
        """The planned call; a cursor page holds as many records as a legacy page here (for an
        offset-to-cursor list, the very page compat asks for the same legacy request)."""
        plan = self.plan(params)
        call = plan.page(self.page_size, cursor) if self.new_paged else plan.call
        body = call.body if call.body is NO_BODY else jsonio.loads(json_bytes(call.body))
        return HttpCall(call.method, call.path, call.params, body)

    def keep(self, params: Mapping[str, str], records: list[Record]) -> list[Record]:
        """Apply the legacy filters the catalogue says to apply after the call (`records:`)."""
        return self.plan(params).keep(records)


# --- pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The comparable records of one response, and the response itself (for noise)."""

    records: list[Record]
    reply: Reply
    call: HttpCall


async def legacy_pages(
    api: Api, calls: Calls, projection: Projection, params: Mapping[str, str]
) -> AsyncGenerator[Page, None]:
    """Every page of a legacy list: offsets until `nextPageOffset` is null (or zero).

    Also reads a flow operation's new side: the same legacy request, served by the compat
    layer (which runs the named flow) from the new API, in the legacy shape.
    """
    offset: int | None = 0
    seen: set[int] = set()
    while offset is not None:
        call = calls.legacy(params, offset)
        reply = await api.send(call)
        yield Page(_records(projection, "legacy", reply, api.side), reply, call)
        if not calls.legacy_paged:
            return
        offset = _next_offset(reply)
        if offset is not None:
            if offset in seen:
                raise FetchError("legacy", reply.request, f"paging loops at offset {offset}")
            seen.add(offset)


async def new_pages(
    api: Api, calls: Calls, projection: Projection, params: Mapping[str, str]
) -> AsyncGenerator[Page, None]:
    """Every page of a new list: cursors while `hasNextPage`."""
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        call = calls.new(params, cursor)
        reply = await api.send(call)
        yield Page(calls.keep(params, _records(projection, "new", reply, "new")), reply, call)
        if not calls.new_paged:
            return
        cursor = _next_cursor(reply)
        if cursor is None:
            return
        if cursor in seen:
            raise FetchError("new", reply.request, "paging loops: the same cursor came back")
        seen.add(cursor)


async def ahead(pages: AsyncGenerator[Page, None]) -> AsyncGenerator[Page, None]:
    """`pages`, one page requested ahead, so the API works while we compare the last one.

    A page asked for ahead is always awaited, even when the reader stops early: a request
    must not be half-sent (a recording would then depend on timing).
    """
    pending: asyncio.Future[Page] | None = asyncio.ensure_future(anext(pages))
    try:
        while pending is not None:
            try:
                page = await pending
            except StopAsyncIteration:
                pending = None
                return
            pending = asyncio.ensure_future(anext(pages))
            yield page
    finally:
        if pending is not None:
            with contextlib.suppress(StopAsyncIteration, FetchError, ConversionError):
                await pending
        await pages.aclose()


def _records(projection: Projection, shape: Side, reply: Reply, side: str) -> list[Record]:
    try:
        return projection.records(shape, reply.body)
    except ConversionError as exc:
        raise FetchError(side, reply.request, f"cannot read the records: {exc}") from None


def _next_offset(reply: Reply) -> int | None:
    try:
        return legacy_next_offset(reply.body)
    except EnvelopeError as exc:
        raise FetchError("legacy", reply.request, str(exc)) from None


def _next_cursor(reply: Reply) -> str | None:
    try:
        return CursorPage.read(reply.body).next_cursor()
    except EnvelopeError as exc:
        raise FetchError("new", reply.request, str(exc)) from None


def envelope_rest(body: Any, key: str | None) -> Any:
    """A body without its records: what two identical calls should agree on."""
    if isinstance(body, dict) and key is not None:
        return {name: value for name, value in body.items() if name != key}
    return None


async def single(api: Api, call: HttpCall) -> Reply:
    """One GET that may answer 404 (the record is absent on that side)."""
    return await api.send(call, allow_404=True)


def parents(catalogue: Catalogue, operation: Operation) -> Sequence[tuple[str, Operation]]:
    """Where each path parameter's values come from: (parameter, list operation), outer first.

    `/v1/tag-groups/{tagGroupId}/tags/{tagId}` gets tagGroupId from `GET /v1/tag-groups` and
    tagId from `GET /v1/tag-groups/{tagGroupId}/tags`: the list at the path before it.
    """
    chain: list[tuple[str, Operation]] = []
    for param, prefix in template_prefixes(operation.legacy.path):
        source = next(
            (
                op for op in catalogue
                if op.legacy.method == "GET" and op.legacy.path == prefix
                and op.response is not None and op.response.legacy.many and op.model is not None
            ),
            None,
        )
        if source is None:
            raise ConversionError(
                f"{operation.id}: no legacy list at GET {prefix} to take {{{param}}} from"
            )
        chain.append((param, source))
    return chain
