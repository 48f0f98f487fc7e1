"""A `requests` transport adapter that serves legacy Pleo URLs from the new API.

Mount it on a `requests.Session` for the legacy hosts (`legacy_session()` does that): code
written against `requests` keeps its legacy URLs and response shapes. The new-API calls
themselves go through the same engine and httpx transport as the httpx front door.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

try:
    import requests
    from requests.adapters import BaseAdapter
    from requests.structures import CaseInsensitiveDict
except ImportError as exc:  # pragma: no cover - depends on the optional extra
    raise ImportError(
        "the requests adapter needs the optional extra: pip install 'pleo-migrate[requests]'"
    ) from exc

from migrate.compat.options import CompatSettings, DeferredSettings
from migrate.compat.transport import CompatTransport


class CompatAdapter(BaseAdapter):
    """requests → CompatTransport → legacy-shaped requests.Response.

    Takes the compat settings (deferred ones too: see `DeferredSettings`), or a CompatTransport
    already built from them (to choose its catalogue or inner transport).
    """

    def __init__(self, settings: CompatSettings | DeferredSettings | CompatTransport) -> None:
        super().__init__()
        if not isinstance(settings, CompatTransport):
            settings = CompatTransport(settings=settings)
        self._transport = settings

    def __repr__(self) -> str:
        return f"CompatAdapter({self._transport!r})"

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        body = request.body
        content = body.encode() if isinstance(body, str) else (body or b"")
        http_request = httpx.Request(
            str(request.method), str(request.url), headers=dict(request.headers), content=content
        )
        try:
            answer = self._transport.handle_request(http_request)
        except httpx.TransportError as exc:
            raise requests.ConnectionError(str(exc), request=request) from None
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response._content = answer.read()
        response.encoding = "utf-8"
        response.url = str(request.url)
        response.request = request
        response.reason = httpx.codes.get_reason_phrase(answer.status_code)
        return response

    def close(self) -> None:
        self._transport.close()
