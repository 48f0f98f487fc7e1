"""The request pipeline both apps share: authenticate, rate-limit, check scope, read, answer.

Each app supplies its own error renderer, so the pipeline never decides what an error body
looks like. Header values and error codes Pleo does not document come from `assumptions`.
Handlers are plain functions from a `Call` to a `Response`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from migrate.simulator.assumptions import (
    LEGACY_WWW_AUTHENTICATE,
    NEW_WWW_AUTHENTICATE,
    RETRY_AFTER_HEADER,
    Assumptions,
)
from migrate.simulator.auth import AuthFailure, Credential, CredentialRegistry, authenticate
from migrate.simulator.drift import DefectPlan, DriftConfig
from migrate.simulator.paging import PagingError
from migrate.simulator.ratelimit import RateLimiter
from migrate.simulator.store import SimError, Snapshot, Store
from migrate.simulator.validation import BadRequest, parse_json


@dataclass(frozen=True)
class SimContext:
    """Everything an app needs: the shared store and credentials, and this run's settings."""

    store: Store
    credentials: CredentialRegistry
    environment: str
    drift: DriftConfig
    defects: DefectPlan
    limiter: RateLimiter
    assumptions: Assumptions


class HttpError(Exception):
    """An error answer: `code` is the new API's type, `reason` the legacy body's short code
    (derived from `code` unless given), `message` the sentence for people."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None,
        *, reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.reason = reason or code.lower()


ErrorRenderer = Callable[[HttpError], Response]


@dataclass(frozen=True)
class Call:
    """One authenticated request, ready for a handler."""

    request: Request
    credential: Credential
    query: QueryParams
    path: Mapping[str, str]
    raw_body: bytes
    snapshot: Snapshot

    def body(self, *, required: bool) -> Any:
        return parse_json(self.raw_body, required=required)


Handler = Callable[[Call], Response]


def json_response(
    payload: Any, status: int = 200, *, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    content = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(content, status_code=status, media_type=media_type, headers=headers)


def endpoint(
    ctx: SimContext,
    handler: Handler,
    *,
    api: Literal["legacy", "new"],
    render: ErrorRenderer,
    scope: str | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler with Pleo's order of checks: 401, 429, 403, then the handler's 4xx."""

    lag = ctx.drift.lag if api == "new" else 0.0

    async def run(request: Request) -> Response:
        try:
            response = await _serve(request)
        except HttpError as error:
            response = render(error)
        if ctx.drift.noise:
            response.headers["X-Request-Id"] = str(uuid.uuid4())
        return response

    async def _serve(request: Request) -> Response:
        outcome = authenticate(
            request.headers.get("authorization"), ctx.credentials, api=api,
            environment=ctx.environment,
        )
        if isinstance(outcome, AuthFailure):
            raise HttpError(401, "UNAUTHORIZED", outcome.message,
                            {"WWW-Authenticate": LEGACY_WWW_AUTHENTICATE if api == "legacy"
                             else NEW_WWW_AUTHENTICATE}, reason=outcome.code)
        wait = ctx.limiter.take(outcome.secret)
        if wait is not None:
            raise HttpError(429, "TOO_MANY_REQUESTS", "Rate limit exceeded; retry later",
                            {RETRY_AFTER_HEADER: str(wait)}, reason="rate_limit_exceeded")
        if scope is not None and scope not in outcome.scopes:
            raise HttpError(403, "FORBIDDEN", f"The credential lacks the scope {scope}",
                            reason="user_scope_insufficient")
        raw = await request.body()
        content_type = request.headers.get("content-type", "")
        if raw.strip() and content_type and "json" not in content_type.lower():
            raise HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json",
                            reason="unsupported_media_type")
        call = Call(
            request=request, credential=outcome, query=request.query_params,
            path=request.path_params, raw_body=raw, snapshot=ctx.store.snapshot(lag),
        )
        try:
            return handler(call)
        except (BadRequest, PagingError) as error:
            raise HttpError(400, "VALIDATION_FAILED", str(error),
                            reason="validation_failed") from error
        except SimError as error:
            raise HttpError(error.status, error.code, error.message) from error

    return run
