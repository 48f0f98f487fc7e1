"""A local HTTP server that answers legacy Pleo paths from the new API, for any language.

Point a PowerShell, Go or TypeScript integration's base URL at `http://127.0.0.1:8400/v1`:
each request is served by the same engine as the Python front doors. Callers prove they may
spend the key with the proxy's caller token, sent where the legacy token went (see
`migrate.compat.admission`); it is never forwarded, and the new credential lives only in this
process.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable
from urllib.parse import unquote

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.compat.admission import ProxyAccess
from migrate.compat.messages import NO_BODY, LegacyResponse
from migrate.compat.options import CompatSettings
from migrate.compat.rewrite import legacy_error
from migrate.compat.transport import AsyncCompatTransport
from migrate.mapping import Catalogue
from migrate.pleo import LEGACY_BASE_PATH, RETRY_AFTER

INTERNAL_BASE = "http://legacy.proxy.invalid" + LEGACY_BASE_PATH
FORWARDED_HEADERS = ("content-type", "accept")
PASSED_BACK_HEADERS = ("content-type", RETRY_AFTER.lower())

# Kept for callers of the earlier keyword form: ProxyConfig(env=..., api_key=...) resolves a
# CompatSettings (arguments first, then the PLEO_* variables).
ProxyConfig = CompatSettings.resolve


class _TooLarge(Exception):
    """The request body went past the proxy's cap while it was read."""


def build_proxy_app(
    settings: CompatSettings,
    *,
    access: ProxyAccess,
    catalogue: Catalogue | None = None,
    inner: httpx.AsyncBaseTransport | None = None,
) -> Starlette:
    """The proxy as an ASGI app; `settings.legacy_base_url` is replaced by the proxy's own.

    `access` says who may use it (`ProxyAccess(caller_token=new_caller_token())`); every
    request is checked against it before anything is read or sent.
    """
    config = dataclasses.replace(settings, legacy_base_url=INTERNAL_BASE)
    transport = AsyncCompatTransport(catalogue, settings=config, inner=inner)

    async def serve(request: Request) -> Response:
        server = request.scope.get("server")
        refused = access.refusal(request.headers, server[1] if server else None)
        if refused is not None:
            return _legacy(refused)
        url = internal_url(request)
        if isinstance(url, LegacyResponse) or not transport.serves(url):
            return _legacy(url if isinstance(url, LegacyResponse) else _not_ours())
        try:
            content = await _body(request, access.max_request_bytes)
        except _TooLarge:
            return _legacy(access.too_large())
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_HEADERS}
        forwarded = httpx.Request(request.method, url, headers=headers, content=content)
        answer = await _unless_gone(request, transport.handle_async_request(forwarded))
        if answer is None:
            return Response(status_code=499)  # the caller is gone; nobody reads this
        content = await answer.aread()
        passed = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_BACK_HEADERS}
        return Response(content, status_code=answer.status_code, headers=passed)

    async def health(_: Request) -> Response:
        return _json(200, {"status": "ok", "env": config.env})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await transport.aclose()

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(
        routes=[
            Route("/healthz", health, methods=["GET"]),
            Route("/{path:path}", serve, methods=methods),
        ],
        lifespan=lifespan,
    )


def internal_url(request: Request) -> str | LegacyResponse:
    """The legacy URL to serve, built from the path exactly as the caller sent it.

    Dot segments are refused (404) and so are encoded slashes and double encoding (400): an
    id must reach the new API as the caller wrote it, never as a path of its own.
    """
    raw = bytes(request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    if not (raw == LEGACY_BASE_PATH or raw.startswith(LEGACY_BASE_PATH + "/")):
        return _not_ours()
    decoded = unquote(raw)
    segments = decoded.split("/")
    if any(part in (".", "..") for part in segments) or "\\" in decoded:
        return _not_ours()
    if "%" in decoded or "/" in "".join(unquote(part) for part in raw.split("/")):
        return legacy_error(
            400, "encoded slashes and double-encoded characters are not allowed in legacy paths"
        )
    query = request.scope.get("query_string", b"").decode("latin-1")
    return INTERNAL_BASE + raw[len(LEGACY_BASE_PATH) :] + (f"?{query}" if query else "")


async def _body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _unless_gone(request: Request, work: Awaitable[httpx.Response]) -> httpx.Response | None:
    """`work`'s answer, or None once the caller disconnected (the work is then cancelled)."""
    task = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in (task, gone):
            if not pending.done():
                pending.cancel()
    if not task.done() or task.cancelled():
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return None
    return task.result()


async def _disconnected(request: Request) -> None:
    while True:
        message = await request.receive()
        if message.get("type") == "http.disconnect":
            return


def _not_ours() -> LegacyResponse:
    return legacy_error(404, "this proxy answers legacy Pleo paths under /v1/")


def _legacy(answer: LegacyResponse) -> Response:
    if answer.body is NO_BODY:
        return Response(status_code=answer.status)
    return _json(answer.status, answer.body)


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status_code=status, media_type="application/json")
