"""A tiny fake of both APIs for the comparator's unit tests (no sockets: httpx.MockTransport).

Employees on both sides and accounting entries behind the new search, each side over its own
editable list, so a test can make the two APIs disagree exactly as it needs. `faults` lets a
test answer chosen requests with a 429, a 500, a timeout or a truncated body.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

LEGACY = "https://legacy.test/v1"
NEW = "https://new.test"
COMPANY = "c0ffee00-0000-4000-8000-000000000001"
Fault = Callable[[httpx.Request], httpx.Response | None]


class RawStream(httpx.AsyncByteStream):
    """A body as a server sends it (not read yet), e.g. still gzip-compressed."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield self._raw


def person(n: int, **extra: Any) -> dict[str, Any]:
    """A legacy employee; `to_new` gives the same person as the new API shows them."""
    record = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "firstName": f"First{n}",
        "lastName": f"Last{n}",
        "email": f"p{n}@example.com",
        "jobTitle": None,
        "role": "member",
        "phone": None,
        "avatar": None,
        "code": f"E-{n:03d}",
        "teamId": None,
    }
    record.update(extra)
    return record


def to_new(legacy: dict[str, Any]) -> dict[str, Any]:
    new = {k: v for k, v in legacy.items() if k not in ("role", "avatar", "teamId")}
    new["companyId"] = COMPANY
    return {k: v for k, v in new.items() if v is not None}


def people(count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    legacy = [person(n) for n in range(1, count + 1)]
    return legacy, [to_new(p) for p in legacy]


@dataclass
class FakePleo:
    legacy: list[dict[str, Any]]
    new: list[dict[str, Any]]
    legacy_token: str = "test-legacy-token-0001"
    api_key: str = "test-api-key-0001"
    faults: list[Fault] = field(default_factory=list)
    log: list[httpx.Request] = field(default_factory=list)
    extra_legacy_headers: dict[str, str] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)
    search_bodies: list[Any] = field(default_factory=list)
    render_legacy: Callable[[dict[str, Any]], dict[str, Any]] = lambda record: record
    render_new: Callable[[dict[str, Any]], dict[str, Any]] = lambda record: record

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        for fault in self.faults:
            answer = fault(request)
            if answer is not None:
                return answer
        url = request.url
        if url.host == "legacy.test":
            if request.headers.get("authorization") != f"Bearer {self.legacy_token}":
                return httpx.Response(401, json={"message": "no"})
            return self._legacy(request)
        if url.host == "new.test":
            expected = "Basic " + base64.b64encode(f"{self.api_key}:".encode()).decode()
            if request.headers.get("authorization") != expected:
                return httpx.Response(401, json={"type": "UNAUTHORIZED", "message": "no"})
            return self._new(request)
        return httpx.Response(599, json={"message": f"unexpected host {url.host}"})

    def _legacy(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/v1/employees":
            offset = int(request.url.params.get("pageOffset", "0"))
            size = int(request.url.params.get("pageSize", "100"))
            page = [self.render_legacy(dict(p)) for p in self.legacy[offset:offset + size]]
            following = offset + size if offset + size < len(self.legacy) else None
            body = {"employees": page, "metadata": {"pageInfo": {
                "pageSize": size, "totalCount": len(self.legacy), "nextPageOffset": following}}}
            return httpx.Response(200, json=body, headers=self.extra_legacy_headers)
        if path.startswith("/v1/employees/"):
            found = [p for p in self.legacy if p["id"] == path.rsplit("/", 1)[1]]
            if not found:
                return httpx.Response(404, json={"message": "not found"})
            return httpx.Response(200, json=self.render_legacy(dict(found[0])))
        return httpx.Response(404, json={"message": f"no route {path}"})

    def _new(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/v2/employees":
            return self._cursor(request, [self.render_new(dict(p)) for p in self.new])
        if path.startswith("/v2/employees/"):
            found = [p for p in self.new if p["id"] == path.rsplit("/", 1)[1]]
            if not found:
                return httpx.Response(404, json={"type": "NOT_FOUND", "message": "not found"})
            return httpx.Response(200, json={"data": self.render_new(dict(found[0]))})
        if path == "/v1/accounting-entries:search" and request.method == "POST":
            self.search_bodies.append(json.loads(request.content))
            return self._cursor(request, self.entries)
        return httpx.Response(404, json={"type": "NOT_FOUND", "message": f"no route {path}"})

    @staticmethod
    def _cursor(request: httpx.Request, rows: list[dict[str, Any]]) -> httpx.Response:
        limit = int(request.url.params.get("limit", "50"))
        after = request.url.params.get("after")
        start = int(after) + 1 if after else 0
        page = rows[start:start + limit]
        more = start + limit < len(rows)
        pagination: dict[str, Any] = {"hasNextPage": more, "hasPreviousPage": start > 0,
                                      "total": len(rows)}
        if page:
            pagination["endCursor"] = str(start + len(page) - 1)
        return httpx.Response(200, json={"data": page, "pagination": pagination})
