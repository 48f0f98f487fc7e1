"""Driving the sans-I/O compat engine by hand: scripted new-API answers, recorded requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from migrate.compat.engine import CompatEngine
from migrate.compat.messages import (
    NO_BODY,
    LegacyRequest,
    LegacyResponse,
    NewRequest,
    NewResponse,
)

COMPANY = "a0e1d3f5-13c2-4a01-8c91-cfbd0ade4010"
Answer = Callable[[NewRequest], NewResponse]


def ok(body: Any, status: int = 200) -> NewResponse:
    return NewResponse(status, {"content-type": "application/json"}, json.dumps(body).encode())


def page(records: list[Any], *, cursor: str | None = None, total: int | None = None) -> Any:
    pagination: dict[str, Any] = {"hasNextPage": cursor is not None}
    if cursor is not None:
        pagination["endCursor"] = cursor
    if total is not None:
        pagination["total"] = total
    return {"data": records, "pagination": pagination}


def serve(
    engine: CompatEngine, method: str, url: str, answer: Answer, body: Any = NO_BODY
) -> tuple[LegacyResponse, list[NewRequest]]:
    """Run one legacy request to the end; every new request the engine made, in order."""
    sent: list[NewRequest] = []
    exchange = engine.serve(LegacyRequest(method, url, body))
    try:
        request = next(exchange)
        while True:
            sent.append(request)
            request = exchange.send(answer(request))
    except StopIteration as stop:
        result: LegacyResponse = stop.value
        return result, sent


def scripted(*answers: NewResponse) -> Answer:
    queue = list(answers)
    return lambda _request: queue.pop(0)
