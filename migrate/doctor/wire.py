"""The only way `doctor` talks to Pleo: reads, one credential per API, secrets kept out.

`Wire.send` refuses anything but a read (GET, HEAD, the new API's `POST …:search`) before a
byte leaves, so no check can write by mistake. What a server says is redacted of every
credential before a check sees it, so no verdict can echo a secret back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from migrate import pleo
from migrate.errors import SafetyRefusal
from migrate.mapping import NO_BODY, NewCall

Api = Literal["legacy", "new"]
_SHOWN = 200  # characters of a server's own explanation kept for a verdict


@dataclass(frozen=True)
class Answer:
    """One response, or why there was none (`status` None: the host was not reached)."""

    status: int | None
    body: Any = None  # parsed JSON; None when there was none or it was not JSON
    said: str = ""  # the server's own explanation of an error, redacted and shortened
    unreachable: str = ""  # why no response came (DNS, refused, timeout)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Credential:
    """One secret and the Authorization header it travels in; never in a repr."""

    secret: str = field(repr=False)
    header: str = field(repr=False)

    @classmethod
    def legacy_token(cls, token: str) -> Credential:
        return cls(token, pleo.legacy_authorization(token))

    @classmethod
    def api_key(cls, key: str) -> Credential:
        return cls(key, pleo.api_key_authorization(key))

    @classmethod
    def oauth_token(cls, token: str) -> Credential:
        return cls(token, pleo.oauth_authorization(token))


class Wire:
    """A read-only HTTP client for both APIs; `requests` counts what was sent, per API."""

    def __init__(self, legacy_url: str | None, new_url: str, secrets: Iterable[str],
                 timeout: float = 15.0, transport: httpx.BaseTransport | None = None) -> None:
        self.base = {"legacy": (legacy_url or "").rstrip("/"), "new": new_url.rstrip("/")}
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        self._client = httpx.Client(timeout=timeout, follow_redirects=False,
                                    transport=transport)
        self.requests: dict[str, int] = {"legacy": 0, "new": 0}
        self.sent: list[tuple[str, str]] = []  # (method, path) of every request, for tests

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Wire:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def new(self, call: NewCall, credential: Credential) -> Answer:
        """A planned new-API call."""
        body = None if call.body is NO_BODY else call.body
        return self.send("new", call.method, call.path, credential, list(call.params), body)

    def send(self, api: Api, method: str, path: str, credential: Credential,
             params: list[tuple[str, str]] | None = None, body: Any = None) -> Answer:
        if not pleo.is_read_request(method, path):
            raise SafetyRefusal(f"doctor only reads; refusing {method} {path}")
        url = self.base[api] + path
        headers = {"Authorization": credential.header, "Accept": "application/json"}
        content = None
        if body is not None:
            content = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.requests[api] += 1
        self.sent.append((method, urlsplit(url).path))
        try:
            response = self._client.request(method, url, params=tuple(params or ()) or None,
                                            headers=headers, content=content)
        except httpx.TimeoutException:
            return Answer(None, unreachable=f"no answer from {_host(url)} in time")
        except httpx.HTTPError as exc:
            return Answer(None, unreachable=f"cannot reach {_host(url)} ({type(exc).__name__})")
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = None
        said = "" if response.is_success else self._explanation(parsed)
        return Answer(response.status_code, parsed, said=said)

    def _explanation(self, body: Any) -> str:
        """An error body's message (either API's shape), redacted: for the verdict's detail."""
        if not isinstance(body, dict):
            return ""
        parts = [str(body[key]) for key in ("message", "error", "type") if body.get(key)]
        text = parts[0] if parts else ""
        return self.redact(text)[:_SHOWN]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url
