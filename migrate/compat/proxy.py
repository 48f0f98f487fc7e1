"""A local HTTP server that answers legacy Pleo paths from the new API, for any language.

Point a PowerShell, Go or TypeScript integration's base URL at `http://127.0.0.1:8400/v1`:
each request is served by the same engine as the Python front doors. The incoming legacy
token is ignored and never forwarded; the new credential lives only in this process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.compat.options import CompatSettings
from migrate.compat.transport import AsyncCompatTransport
from migrate.mapping import Catalogue
from migrate.pleo import LEGACY_BASE_PATH, RETRY_AFTER

INTERNAL_BASE = "http://legacy.proxy.invalid" + LEGACY_BASE_PATH
FORWARDED_HEADERS = ("content-type", "accept")
PASSED_BACK_HEADERS = ("content-type", RETRY_AFTER.lower())

# Kept for callers of the earlier keyword form: ProxyConfig(env=..., api_key=...) resolves a
# CompatSettings (arguments first, then the PLEO_* variables).
ProxyConfig = CompatSettings.resolve


def build_proxy_app(
    settings: CompatSettings,
    *,
    catalogue: Catalogue | None = None,
    inner: httpx.AsyncBaseTransport | None = None,
) -> Starlette:
    """The proxy as an ASGI app; `settings.legacy_base_url` is replaced by the proxy's own."""
    config = dataclasses.replace(settings, legacy_base_url=INTERNAL_BASE)
    transport = AsyncCompatTransport(catalogue, settings=config, inner=inner)

    async def serve(request: Request) -> Response:
        path = request.url.path
        if not (path == LEGACY_BASE_PATH or path.startswith(LEGACY_BASE_PATH + "/")):
            return _json(
                404,
                {
                    "error": "not_found",
                    "statusCode": 404,
                    "message": "this proxy answers legacy Pleo paths under /v1/",
                },
            )
        query = request.url.query
        url = INTERNAL_BASE + path[len(LEGACY_BASE_PATH) :] + (f"?{query}" if query else "")
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_HEADERS}
        forwarded = httpx.Request(
            request.method, url, headers=headers, content=await request.body()
        )
        answer = await transport.handle_async_request(forwarded)
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


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status_code=status, media_type="application/json")
