"""`requests`, with legacy Pleo URLs served from the new API: what the compat codemod swaps in.

`import requests` becomes `from migrate.compat import pleo_requests as requests`. Every name
not defined here is the real library's (`requests.exceptions.HTTPError`, `requests.adapters`,
...), so `except` clauses and `isinstance` checks keep working. `Session` is a
`requests.Session` that mounts the compat adapter for the legacy prefixes only (requests picks
the longest prefix, so a user's `mount("https://", ...)` keeps every other host); `get`, `post`,
..., `request` send legacy URLs through one shared compat session and any other URL through
`requests` itself, untouched. Settings (the PLEO_* variables) are read at the first legacy
request, never at import or when a session is made.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import requests as _requests
from requests.adapters import BaseAdapter

from migrate.compat.legacy_origins import Lazy, is_legacy_url, legacy_prefixes
from migrate.compat.options import CompatSettings


def _compat_adapter() -> BaseAdapter:
    from migrate.compat.requests_adapter import CompatAdapter

    return CompatAdapter(CompatSettings.resolve())


class PleoAdapter(BaseAdapter):
    """The compat adapter, made (settings resolved) at the first request it is given."""

    def __init__(self) -> None:
        super().__init__()
        self._adapter = Lazy(_compat_adapter)

    def send(
        self,
        request: _requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> _requests.Response:
        adapter = self._adapter.get()
        return adapter.send(request, stream, timeout, verify, cert, proxies)

    def close(self) -> None:
        made = self._adapter.reset()
        if made is not None:
            made.close()


class Session(_requests.Session):
    """A requests.Session whose legacy Pleo requests are served from the new API."""

    def __init__(self) -> None:
        super().__init__()
        adapter = PleoAdapter()
        for prefix in legacy_prefixes():
            self.mount(prefix, adapter)


def session() -> Session:
    return Session()


_SHARED: Lazy[Session] = Lazy(Session)


def request(method: str, url: str | bytes, **kwargs: Any) -> _requests.Response:
    """`requests.request`; a legacy URL goes through one shared compat session."""
    text = url.decode() if isinstance(url, bytes) else str(url)
    if is_legacy_url(text):
        return _SHARED.get().request(method, url, **kwargs)
    return _requests.request(method, url, **kwargs)


def get(url: str | bytes, params: Any = None, **kwargs: Any) -> _requests.Response:
    return request("get", url, params=params, **kwargs)


def options(url: str | bytes, **kwargs: Any) -> _requests.Response:
    return request("options", url, **kwargs)


def head(url: str | bytes, **kwargs: Any) -> _requests.Response:
    kwargs.setdefault("allow_redirects", False)
    return request("head", url, **kwargs)


def post(url: str | bytes, data: Any = None, json: Any = None, **kwargs: Any) -> _requests.Response:
    return request("post", url, data=data, json=json, **kwargs)


def put(url: str | bytes, data: Any = None, **kwargs: Any) -> _requests.Response:
    return request("put", url, data=data, **kwargs)


def patch(url: str | bytes, data: Any = None, **kwargs: Any) -> _requests.Response:
    return request("patch", url, data=data, **kwargs)


def delete(url: str | bytes, **kwargs: Any) -> _requests.Response:
    return request("delete", url, **kwargs)


def __getattr__(name: str) -> Any:
    """Anything else is the real library's (a submodule included: `requests.adapters`)."""
    try:
        return getattr(_requests, name)
    except AttributeError:
        pass
    try:
        return importlib.import_module(f"requests.{name}")
    except ImportError:
        raise AttributeError(f"module 'requests' has no attribute {name!r}") from None
