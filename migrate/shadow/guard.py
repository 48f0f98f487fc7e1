"""httpx transports that keep a parity run safe: credentials on one origin, no writes.

Composed, never monkeypatched: `WriteGuard(Credentials(inner))`. The credential is added here
and nowhere else, only for the API's own origin, so a redirect or a stray absolute URL to
another host carries none. The guard lets through GET and HEAD, and the `POST …:search` calls
that the catalogue names as the new API's way to read a legacy GET list; anything else is
refused before it leaves the process unless writes were explicitly allowed (staging only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import httpx

from migrate.errors import SafetyRefusal
from migrate.mapping import Catalogue, template_regex
from migrate.pleo import Origin

READ_METHODS = frozenset({"GET", "HEAD"})


class CredentialTransport(httpx.AsyncBaseTransport):
    """Adds `Authorization` to requests for one origin; strips it from any other."""

    def __init__(self, inner: httpx.AsyncBaseTransport, base_url: str, value: str) -> None:
        self._inner = inner
        self._origin = Origin.of(base_url)
        self._value = value

    def __repr__(self) -> str:
        return f"CredentialTransport(origin={self._origin!r}, value=<redacted>)"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if Origin.of(str(request.url)) == self._origin:
            request.headers["Authorization"] = self._value
        else:
            request.headers.pop("Authorization", None)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def search_reads(catalogue: Catalogue) -> tuple[re.Pattern[str], ...]:
    """Path patterns of new-API POSTs that are reads: the searches behind legacy GET lists."""
    patterns = []
    for operation in catalogue:
        if operation.kind == "search" and operation.is_read and operation.new is not None:
            if operation.new.method != "POST":
                continue
            patterns.append(template_regex(operation.new.path, named=False))
    return tuple(patterns)


class WriteGuard(httpx.AsyncBaseTransport):
    """Refuses any request that could change data, unless writes were allowed."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        base_path: str,
        reads: Iterable[re.Pattern[str]] = (),
        allow_writes: bool = False,
    ) -> None:
        self._inner = inner
        self._base_path = base_path.rstrip("/")
        self._reads = tuple(reads)
        self._allow_writes = allow_writes
        self.refused = 0

    def allows(self, method: str, path: str) -> bool:
        if method.upper() in READ_METHODS or self._allow_writes:
            return True
        if method.upper() != "POST":
            return False
        local = path[len(self._base_path):] if path.startswith(self._base_path) else path
        return any(pattern.fullmatch(local) for pattern in self._reads)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.allows(request.method, request.url.path):
            self.refused += 1
            raise SafetyRefusal(
                f"refused {request.method} {request.url.path}: a parity run sends only reads "
                "unless --allow-writes is given (staging only)"
            )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
