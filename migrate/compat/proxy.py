"""A local HTTP server that answers legacy Pleo paths from the new API, for any language.

Point a PowerShell, Go or TypeScript integration's base URL at `http://127.0.0.1:8400/v1`:
each request is served by the same engine as the Python front doors. The incoming legacy
token is ignored and never forwarded; the new credential lives only in this process.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.compat.retry import RetryPolicy
from migrate.compat.transport import AsyncCompatTransport

INTERNAL_BASE = "http://legacy.proxy.invalid/v1"
FORWARDED_HEADERS = ("content-type", "accept")


@dataclass(frozen=True)
class ProxyConfig:
    env: str
    company_id: str | None = None
    new_base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    oauth_token: str | None = field(default=None, repr=False)
    retry: RetryPolicy | None = None


def build_proxy_app(
    config: ProxyConfig, *, inner: httpx.AsyncBaseTransport | None = None
) -> Starlette:
    transport = AsyncCompatTransport(
        inner=inner,
        api_key=config.api_key,
        oauth_token=config.oauth_token,
        company_id=config.company_id,
        env=config.env,
        new_base_url=config.new_base_url,
        legacy_base_url=INTERNAL_BASE,
        retry=config.retry,
    )

    async def serve(request: Request) -> Response:
        path = request.url.path
        if not (path == "/v1" or path.startswith("/v1/")):
            return _json(
                404,
                {
                    "error": "not_found",
                    "statusCode": 404,
                    "message": "this proxy answers legacy Pleo paths under /v1/",
                },
            )
        query = request.url.query
        url = INTERNAL_BASE + path[len("/v1") :] + (f"?{query}" if query else "")
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_HEADERS}
        forwarded = httpx.Request(
            request.method, url, headers=headers, content=await request.body()
        )
        answer = await transport.handle_async_request(forwarded)
        content = await answer.aread()
        passed = {
            k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "retry-after")
        }
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
