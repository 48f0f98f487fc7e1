"""httpx transports that serve legacy Pleo URLs from the new API.

`CompatTransport(settings=..., inner=httpx.HTTPTransport())` is composed around any transport:
requests to a legacy Pleo URL are translated by the engine, new-API calls go through `inner` with
the new credential added here and nowhere else; every other request passes through untouched.
The async twin shares everything but the I/O. Both take one `CompatSettings` (or the keyword
arguments of `CompatSettings.resolve`, which build one).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Generator
from typing import Any, Unpack
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from migrate import jsonio
from migrate.compat.built import LegacyJsonResponse, NewRequests, NewUrls
from migrate.compat.engine import CompatEngine, Exchange
from migrate.compat.messages import NO_BODY, LegacyRequest, LegacyResponse, NewRequest, NewResponse
from migrate.compat.options import (
    CompatOptions,
    CompatSettings,
    DeferredSettings,
    chosen_settings,
)
from migrate.compat.redaction import redacted_error, secret_forms
from migrate.compat.rewrite import legacy_error
from migrate.compat.routing import Router, Target
from migrate.compat.upstream import (
    UNSENT_ERRORS,
    Deadline,
    UpstreamRefused,
    aread_capped,
    read_capped,
    settled,
)
from migrate.mapping import Catalogue
from migrate.pleo import LEGACY_PAGE_SIZE, RETRY_AFTER, Origin
from migrate.quiet_log import logger

log = logger("migrate.compat")
MAX_REDIRECTS = 3
USER_AGENT = "pleo-migrate-compat"


class _Core:
    """What the sync and async transports share: routing, request building, answers."""

    def __init__(self, catalogue: Catalogue | None, settings: CompatSettings) -> None:
        self.settings = settings
        self.credential = settings.credential
        self.router = Router(
            settings.env,
            new_base_url=settings.new_base_url,
            legacy_base_url=settings.legacy_base_url,
        )
        self.engine = CompatEngine(catalogue, company_id=settings.company_id)
        self.retry = settings.retry
        self.timeout = settings.timeout
        # What every new-API request carries, built once (httpx copies them per request).
        self.headers = httpx.Headers(
            {
                "Authorization": self.credential.authorization(),
                "Accept": "application/json",
                "Accept-Encoding": "identity",
                "User-Agent": USER_AGENT,
            }
        )
        self.json_headers = httpx.Headers(self.headers)
        self.json_headers["Content-Type"] = "application/json"
        self.timeout_extension = httpx.Timeout(self.timeout).as_dict()
        self.urls = NewUrls(self.router.new_base_url)
        self.requests = NewRequests(self.headers, self.json_headers)
        self.read_searches = frozenset(
            (operation.new.method, operation.new.path)
            for operation in self.engine.catalogue
            if operation.kind == "search" and operation.is_read and operation.new is not None
        )

    def is_read(self, new: NewRequest) -> bool:
        """GET and HEAD, and the `POST …:search` calls that serve legacy list reads."""
        return new.method in ("GET", "HEAD") or (new.method, new.path) in self.read_searches

    def describe(self, name: str) -> str:
        return (
            f"{name}(env={self.router.env!r}, new_base_url={self.router.new_base_url!r}, "
            f"credential={self.credential.kind}, company_id={self.engine.company_id!r})"
        )

    def legacy_request(self, request: httpx.Request, path: str) -> LegacyRequest | LegacyResponse:
        """The legacy request httpx sent, at `path` as the catalogue knows it (`/v1/...`)."""
        content = request.content
        body: Any = NO_BODY
        if content:
            try:
                body = json.loads(content)
            except (ValueError, UnicodeDecodeError):
                return legacy_error(400, "the request body is not valid JSON")
            except RecursionError:
                return legacy_error(400, "the request body is JSON nested too deeply")
        url = request.url
        query = url.query
        if _PAGE_SIZE in query:
            url = self.bounded_page(url)
            query = url.query
        if not query:
            return LegacyRequest(request.method, path, body)
        return LegacyRequest(request.method, f"{path}?{query.decode('ascii', 'replace')}", body)

    def bounded_page(self, url: httpx.URL) -> httpx.URL:
        """The URL with `pageSize` lowered to the limit: one legacy page never fans out further.

        The answer is a page of `max_page_size` records with `nextPageOffset`, so a client
        that follows it (as legacy clients sending pageSize=100000 do) still gets every record.
        """
        limit = self.settings.max_page_size
        raw = url.query
        sizes_given = _PAGE_SIZES.findall(raw)
        if (
            b"%" not in raw  # no escape that could spell another `pageSize`
            and len(sizes_given) == raw.count(_PAGE_SIZE)
            and all(int(size) <= limit for size in sizes_given)
        ):  # each `pageSize` is plain digits within the limit: nothing to lower
            return url
        query = parse_qsl(raw.decode("ascii", "replace"), keep_blank_values=True)
        sizes = [value for name, value in query if name == LEGACY_PAGE_SIZE]
        if not any(value.strip().isdigit() and int(value) > limit for value in sizes):
            return url
        log.debug("compat: %s %s lowered to %d", LEGACY_PAGE_SIZE, sizes, limit)
        return url.copy_set_param(LEGACY_PAGE_SIZE, str(limit))

    def secrets(self, request: httpx.Request) -> tuple[str, ...]:
        """The credential's spellings and the caller's own token, to mask in error answers."""
        caller = request.headers.get("authorization", "").split(" ", 1)[-1].strip()
        return secret_forms(self.credential, [caller] if caller else [])

    def new_http_request(
        self, target: Target, new: NewRequest, url: str | None = None, remaining: float = 0.0
    ) -> httpx.Request:
        timeout = self.timeout_extension
        if 0 < remaining < self.timeout:
            timeout = httpx.Timeout(remaining).as_dict()
        content = None if new.body is NO_BODY else new.content()
        address = self.urls.url(url or _new_url(target, new))
        return self.requests.build(new.method, address, content, {"timeout": timeout})

    def redirect_url(self, target: Target, response: NewResponse, sent: str) -> str | None:
        """A same-origin redirect we may follow with the credential; None otherwise."""
        location = response.headers.get("location")
        if not location:
            return None
        url = str(httpx.URL(sent).join(location))
        return url if Origin.of(url) == target.new_origin else None


def _new_url(target: Target, new: NewRequest) -> str:
    """The new call's URL as one string, so httpx parses it once (a URL plus `params` is
    parsed twice); the query is encoded as httpx's `QueryParams` encodes text (`urlencode`,
    a repeated name's values together after its first), so it is the same."""
    url = target.new_base_url + new.path
    params = new.params
    if not params:
        return url
    if len(params) == len({name for name, _ in params}) and all(
        _PLAIN_PARAM(name) and _PLAIN_PARAM(value) for name, value in params
    ):  # nothing to group and nothing `urlencode` would quote: the same text, joined
        query = "&".join([f"{name}={value}" for name, value in params])
        return f"{url}{'&' if '?' in new.path else '?'}{query}"
    grouped: dict[str, list[str]] = {}
    for name, value in new.params:
        grouped.setdefault(name, []).append(value)
    query = urlencode([(name, value) for name, values in grouped.items() for value in values])
    return f"{url}{'&' if '?' in new.path else '?'}{query}"


# Text `urlencode` (quote_plus) leaves as it is: letters, digits and "_.-~".
_PLAIN_PARAM = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch
Outcome = NewResponse | httpx.TransportError | UpstreamRefused | None
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PAGE_SIZE = LEGACY_PAGE_SIZE.encode()
_PAGE_SIZES = re.compile(rb"(?:^|&)" + re.escape(_PAGE_SIZE) + rb"=(\d{1,9})(?=&|$)")
Attempts = Generator["httpx.Request | float", Outcome, NewResponse]


def attempts(
    core: _Core,
    target: Target,
    new: NewRequest,
    deadline: Deadline,
    first: tuple[httpx.Request, Outcome] | None = None,
) -> Attempts:
    """The retry and redirect policy for one new-API call, sans I/O.

    Yields an httpx.Request to send (and is sent the read response, the TransportError, or
    the UpstreamRefused that stopped it), or a float: seconds to sleep. Returns the answer.
    Nothing is retried past `deadline`, and a write only when it certainly took no effect.
    `first`: the first try, already sent (the request and its outcome).
    """
    waited = 0.0
    attempt = 0
    url: str | None = None
    redirects = 0
    read = core.is_read(new)
    while True:
        attempt += 1
        if first is not None:
            sent, outcome = first
            first = None
        else:
            sent = core.new_http_request(target, new, url, deadline.remaining())
            outcome = yield sent
        if isinstance(outcome, UpstreamRefused):
            return _failure(outcome.status, outcome.kind, _outcome_note(outcome.message, read))
        if isinstance(outcome, httpx.TransportError):
            unsent = isinstance(outcome, UNSENT_ERRORS)
            delay = core.retry.delay(
                new.method, attempt, None, None, waited, read=read, unsent=unsent
            )
            if delay is None or delay >= deadline.remaining():
                return _unreachable(outcome, read or unsent)
        else:
            assert outcome is not None
            status = outcome.status
            if status < 300:
                return outcome  # the usual answer: nothing to follow, nothing to retry
            if status in REDIRECTS and "location" in outcome.headers:
                url = core.redirect_url(target, outcome, str(sent.url))
                redirects += 1
                if url is None or redirects > MAX_REDIRECTS:
                    return _redirect_refused(outcome)
                attempt -= 1
                continue
            if status < 400:
                return outcome
            delay = core.retry.delay(
                new.method, attempt, status, outcome.headers.get(RETRY_AFTER), waited, read=read
            )
            if delay is None or delay >= deadline.remaining():
                return outcome
            log.debug(
                "compat: %s %s answered %d; retrying in %.2fs", new.method, new.path, status, delay
            )
        yield delay
        waited += delay


def _outcome_note(message: str, read: bool) -> str:
    if read:
        return message
    return message + "; the request may have been applied: check before sending it again"


def _unreachable(error: httpx.TransportError, certain: bool) -> NewResponse:
    """The last connection failure; for a write that may have arrived, say so."""
    status = 504 if isinstance(error, httpx.TimeoutException) else 502
    name = type(error).__name__
    if certain:
        return _failure(
            status, "UPSTREAM_UNREACHABLE", f"the new API could not be reached ({name})"
        )
    return _failure(
        status,
        "OUTCOME_UNKNOWN",
        f"the new API did not answer ({name}); the request may have been applied: check "
        "before sending it again",
    )


def _failure(status: int, kind: str, message: str) -> NewResponse:
    body = json.dumps({"type": kind, "message": message}).encode()
    return NewResponse(status, {"content-type": "application/json"}, body)


def _redirect_refused(response: NewResponse) -> NewResponse:
    host = urlsplit(response.headers.get("location", "")).hostname or "elsewhere"
    return _failure(
        502,
        "REDIRECT_REFUSED",
        f"the new API redirected to {host}; not followed, credentials stay with Pleo's host",
    )


def to_httpx(result: LegacyResponse, request: httpx.Request) -> httpx.Response:
    if result.body is NO_BODY:
        return httpx.Response(result.status, headers=dict(result.headers), request=request)
    content = jsonio.dumps(result.body)
    return LegacyJsonResponse(result.status, result.headers, content, result.body, request)


def drive(exchange: Exchange, send: Callable[[NewRequest], NewResponse]) -> LegacyResponse:
    """Run the engine's exchange with a synchronous sender."""
    try:
        request = next(exchange)
        while True:
            request = exchange.send(send(request))
    except StopIteration as stop:
        result: LegacyResponse = stop.value
        return result


async def drive_async(exchange: Exchange, send: Callable[[NewRequest], Any]) -> LegacyResponse:
    """Run the engine's exchange with an asynchronous sender."""
    try:
        request = next(exchange)
        while True:
            request = exchange.send(await send(request))
    except StopIteration as stop:
        result: LegacyResponse = stop.value
        return result


class _CompatFrontDoor:
    """What both transports share: settings, routing, and turning an httpx request into a
    legacy one (or an immediate legacy error).

    Settings still waiting for their credential (`DeferredSettings`: a door made at import
    time) are resolved at the first request, once, under a lock; until then nothing is loaded.
    """

    def __init__(
        self, catalogue: Catalogue | None, settings: CompatSettings | DeferredSettings
    ) -> None:
        self._catalogue = catalogue
        self._ready: _Core | None = None
        self._deferred: DeferredSettings | None = None
        self._resolving = threading.Lock()
        if isinstance(settings, DeferredSettings):
            self._deferred = settings
        else:
            self._ready = _Core(catalogue, settings)
        self._max_connections = settings.max_connections

    def __repr__(self) -> str:
        if self._ready is None:
            return f"{type(self).__name__}(settings resolved at the first request)"
        return self._ready.describe(type(self).__name__)

    @property
    def _core(self) -> _Core:
        core = self._ready
        return core if core is not None else self._resolve()

    def _resolve(self) -> _Core:
        """The deferred settings, resolved now: the clear ConfigurationError if still unset."""
        with self._resolving:
            if self._ready is None:
                assert self._deferred is not None
                self._ready = _Core(self._catalogue, self._deferred.resolve())
                self._deferred = None
            return self._ready

    @property
    def settings(self) -> CompatSettings:
        return self._core.settings

    @property
    def engine(self) -> CompatEngine:
        return self._core.engine

    def serves(self, url: str) -> bool:
        """Whether `url` is a legacy URL this door answers (else it would pass through)."""
        return self._core.router.route(url) is not None

    @staticmethod
    def _legacy(core: _Core, request: httpx.Request, path: str) -> LegacyRequest | LegacyResponse:
        legacy = core.legacy_request(request, path)
        if isinstance(legacy, LegacyRequest) and log.isEnabledFor(logging.DEBUG):
            log.debug("compat: %s %s", legacy.method, urlsplit(legacy.url).path)
        return legacy

    @staticmethod
    def _finish(core: _Core, result: LegacyResponse, request: httpx.Request) -> httpx.Response:
        """The answer as httpx; an error's messages first lose any secret they echo."""
        if result.status >= 400:
            result = redacted_error(result, core.secrets(request))
        return to_httpx(result, request)


def _too_deep(request: httpx.Request) -> LegacyResponse:
    return legacy_error(
        502, f"the new API's answer to {request.method} {request.url.path} is nested too deeply"
    )


def _deadline_passed(deadline: Deadline) -> LegacyResponse:
    return legacy_error(504, deadline.passed().message)


class CompatTransport(_CompatFrontDoor, httpx.BaseTransport):
    """Legacy Pleo URLs in, new-API calls out (through `inner`), legacy-shaped answers back.

    `settings` says who we are and where the new API lives; without it, the keyword
    arguments of `CompatSettings.resolve` (api_key or oauth_token, company_id, env,
    new_base_url, legacy_base_url, retry, timeout) build one. `sleep` waits between retries.
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        settings: CompatSettings | DeferredSettings | None = None,
        inner: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **options: Unpack[CompatOptions],
    ) -> None:
        super().__init__(catalogue, chosen_settings(settings, options))
        limits = httpx.Limits(max_connections=self._max_connections)
        self._inner = inner or httpx.HTTPTransport(limits=limits)
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(self._max_connections)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = self._core
        found = core.router.resolve(str(request.url))
        if found is None:
            return self._inner.handle_request(request)
        target, path = found
        request.read()
        legacy = self._legacy(core, request, path)
        if isinstance(legacy, LegacyResponse):
            return to_httpx(legacy, request)
        deadline = Deadline.start(core.settings.deadline)
        try:
            result = drive(
                core.engine.serve(legacy), lambda new: self._send(core, target, new, deadline)
            )
        except RecursionError:
            result = _too_deep(request)
        return self._finish(core, result, request)

    def _send(
        self, core: _Core, target: Target, new: NewRequest, deadline: Deadline
    ) -> NewResponse:
        """The first try, and the retry and redirect policy only when it did not succeed."""
        request = core.new_http_request(target, new, None, deadline.remaining())
        outcome = self._exchange(core, request, deadline)
        if type(outcome) is NewResponse and outcome.status < 300:
            return outcome  # the usual answer: nothing to follow, nothing to retry
        steps = attempts(core, target, new, deadline, (request, outcome))
        try:
            step = next(steps)
            while True:
                if isinstance(step, float):
                    self._sleep(step)
                    step = steps.send(None)
                    continue
                step = steps.send(self._exchange(core, step, deadline))
        except StopIteration as stop:
            answer: NewResponse = stop.value
            return answer

    def _exchange(self, core: _Core, request: httpx.Request, deadline: Deadline) -> Outcome:
        """One request and its capped body, within the deadline and a free slot."""
        if not self._slots.acquire(timeout=deadline.remaining()):
            return deadline.passed()
        try:
            response = self._inner.handle_request(request)
            content = read_capped(response, core.settings.max_body_bytes, deadline)
            return settled(response, content)
        except (httpx.TransportError, UpstreamRefused) as exc:
            return exc
        finally:
            self._slots.release()

    def close(self) -> None:
        self._inner.close()


class AsyncCompatTransport(_CompatFrontDoor, httpx.AsyncBaseTransport):
    """The async twin of CompatTransport, for httpx.AsyncClient; the same arguments.

    The deadline cancels the whole call, so upstream work stops when it passes, and a caller
    that cancels the task (a client that went away) cancels the upstream request with it.
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        settings: CompatSettings | DeferredSettings | None = None,
        inner: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        **options: Unpack[CompatOptions],
    ) -> None:
        super().__init__(catalogue, chosen_settings(settings, options))
        limits = httpx.Limits(max_connections=self._max_connections)
        self._inner = inner or httpx.AsyncHTTPTransport(limits=limits)
        self._sleep = sleep
        self._slots: asyncio.Semaphore | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core = self._core
        found = core.router.resolve(str(request.url))
        if found is None:
            return await self._inner.handle_async_request(request)
        target, path = found
        await request.aread()
        legacy = self._legacy(core, request, path)
        if isinstance(legacy, LegacyResponse):
            return to_httpx(legacy, request)
        deadline = Deadline.start(core.settings.deadline)
        try:
            async with asyncio.timeout(core.settings.deadline):
                result = await drive_async(
                    core.engine.serve(legacy), lambda new: self._send(core, target, new, deadline)
                )
        except TimeoutError:
            result = _deadline_passed(deadline)
        except RecursionError:
            result = _too_deep(request)
        return self._finish(core, result, request)

    async def _send(
        self, core: _Core, target: Target, new: NewRequest, deadline: Deadline
    ) -> NewResponse:
        """The first try, and the retry and redirect policy only when it did not succeed."""
        request = core.new_http_request(target, new, None, deadline.remaining())
        outcome = await self._exchange(core, request)
        if type(outcome) is NewResponse and outcome.status < 300:
            return outcome  # the usual answer: nothing to follow, nothing to retry
        steps = attempts(core, target, new, deadline, (request, outcome))
        try:
            step = next(steps)
            while True:
                if isinstance(step, float):
                    await self._sleep(step)
                    step = steps.send(None)
                    continue
                step = steps.send(await self._exchange(core, step))
        except StopIteration as stop:
            answer: NewResponse = stop.value
            return answer

    async def _exchange(self, core: _Core, request: httpx.Request) -> Outcome:
        """One request and its capped body, in a free slot (the deadline is around us)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_connections)
        async with self._slots:
            try:
                response = await self._inner.handle_async_request(request)
                content = await aread_capped(response, core.settings.max_body_bytes)
                return settled(response, content)
            except (httpx.TransportError, UpstreamRefused) as exc:
                return exc

    async def aclose(self) -> None:
        await self._inner.aclose()
