"""`httpx`, with legacy Pleo URLs served from the new API: what the compat codemod swaps in.

`import httpx` becomes `from migrate.compat import pleo_httpx as httpx`. Every name not defined
here is the real library's (`httpx.HTTPStatusError`, `httpx.Timeout`, `httpx.Response`, ...).
`Client` and `AsyncClient` are httpx's own, with the compat transport mounted for the legacy
origins next to the user's `mounts` (a `base_url` on a legacy host works); `get`, `post`, ...,
`request`, `stream` send legacy URLs through the compat transport and any other URL through
httpx itself, untouched. Settings (the PLEO_* variables) are read at the first legacy request,
never at import or when a client is made.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import httpx as _httpx

from migrate.compat.legacy_origins import Lazy, is_legacy_url, legacy_origins
from migrate.compat.options import CompatSettings
from migrate.compat.transport import AsyncCompatTransport, CompatTransport

# What httpx's own top-level functions give the client rather than the request.
_CLIENT_ARGUMENTS = frozenset({"cookies", "proxy", "verify", "cert", "timeout", "trust_env"})
Mounted = TypeVar("Mounted")


class PleoTransport(_httpx.BaseTransport):
    """The compat transport, made (settings resolved) at the first request it is given."""

    def __init__(self, *, shared: bool = False) -> None:
        self._made = Lazy(lambda: CompatTransport(settings=CompatSettings.resolve()))
        self._shared = shared  # the module functions' transport outlives each call's client

    def handle_request(self, request: _httpx.Request) -> _httpx.Response:
        return self._made.get().handle_request(request)

    def close(self) -> None:
        if not self._shared:
            made = self._made.reset()
            if made is not None:
                made.close()


class AsyncPleoTransport(_httpx.AsyncBaseTransport):
    """The async twin of `PleoTransport`."""

    def __init__(self) -> None:
        self._made = Lazy(lambda: AsyncCompatTransport(settings=CompatSettings.resolve()))

    async def handle_async_request(self, request: _httpx.Request) -> _httpx.Response:
        return await self._made.get().handle_async_request(request)

    async def aclose(self) -> None:
        made = self._made.reset()
        if made is not None:
            await made.aclose()


def _mounts(
    transport: Mounted, given: Mapping[str, Mounted | None] | None
) -> dict[str, Mounted | None]:
    """The compat transport for each legacy origin; the user's own mounts on top."""
    mounts: dict[str, Mounted | None] = {origin: transport for origin in legacy_origins()}
    mounts.update(given or {})
    return mounts


class Client(_httpx.Client):
    """An httpx.Client whose legacy Pleo requests are served from the new API."""

    def __init__(
        self, *, mounts: Mapping[str, _httpx.BaseTransport | None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(mounts=_mounts(PleoTransport(), mounts), **kwargs)


class AsyncClient(_httpx.AsyncClient):
    """An httpx.AsyncClient whose legacy Pleo requests are served from the new API."""

    def __init__(
        self, *, mounts: Mapping[str, _httpx.AsyncBaseTransport | None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(mounts=_mounts(AsyncPleoTransport(), mounts), **kwargs)


_SHARED = PleoTransport(shared=True)


def _split(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Take the client's arguments out of `kwargs` (what is left goes to the request)."""
    return {name: kwargs.pop(name) for name in list(kwargs) if name in _CLIENT_ARGUMENTS}


def request(method: str, url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    """`httpx.request`; a legacy URL goes through the compat transport."""
    if not is_legacy_url(str(url)):
        return _httpx.request(method, url, **kwargs)
    with _httpx.Client(transport=_SHARED, **_split(kwargs)) as client:
        return client.request(method, url, **kwargs)


@contextlib.contextmanager
def stream(method: str, url: _httpx.URL | str, **kwargs: Any) -> Iterator[_httpx.Response]:
    """`httpx.stream`; a legacy URL goes through the compat transport."""
    if not is_legacy_url(str(url)):
        with _httpx.stream(method, url, **kwargs) as response:
            yield response
        return
    with (
        _httpx.Client(transport=_SHARED, **_split(kwargs)) as client,
        client.stream(method, url, **kwargs) as response,
    ):
        yield response


def get(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("GET", url, **kwargs)


def options(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("OPTIONS", url, **kwargs)


def head(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("HEAD", url, **kwargs)


def post(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("POST", url, **kwargs)


def put(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("PUT", url, **kwargs)


def patch(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("PATCH", url, **kwargs)


def delete(url: _httpx.URL | str, **kwargs: Any) -> _httpx.Response:
    return request("DELETE", url, **kwargs)


def __getattr__(name: str) -> Any:
    """Anything else is the real library's."""
    try:
        return getattr(_httpx, name)
    except AttributeError:
        raise AttributeError(f"module 'httpx' has no attribute {name!r}") from None


