"""Who may spend the proxy's API key: the checks a request passes before anything is sent.

The proxy holds a company's key, so reaching loopback must not be enough. A request is served
only when its `Host` is the address the proxy listens on (no DNS rebinding), it carries no
`Origin` a browser would add (no cross-site requests) unless that origin was allowed, its body
is declared JSON, the body is not larger than the cap, and it presents the caller token as
its legacy bearer token. Each refusal is a legacy-shaped error that says what to change.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from migrate.compat.messages import LegacyResponse
from migrate.compat.rewrite import legacy_error
from migrate.pleo import is_loopback

TOKEN_PREFIX = "pleo-migrate-proxy-caller-"  # obvious in a config file, and worthless elsewhere
DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024
_WILDCARDS = ("0.0.0.0", "::")


def new_caller_token() -> str:
    """A fresh caller token for one proxy start."""
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


@dataclass(frozen=True)
class ProxyAccess:
    """What a caller must show; `caller_token` None serves anyone on loopback (demos only)."""

    caller_token: str | None
    listen_host: str = "127.0.0.1"
    allowed_origins: tuple[str, ...] = ()
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES

    def refusal(self, headers: Mapping[str, str], port: int | None) -> LegacyResponse | None:
        """The legacy error for a request that may not use the key; None to serve it."""
        return (
            self._host_refusal(headers.get("host", ""), port)
            or self._origin_refusal(headers.get("origin"))
            or self._token_refusal(headers.get("authorization", ""))
            or self._body_refusal(headers)
        )

    def _host_refusal(self, host_header: str, port: int | None) -> LegacyResponse | None:
        host, given_port = _split_host(host_header)
        port_ok = port is None or given_port == str(port)
        if port_ok and self._host_ok(host):
            return None
        return legacy_error(
            421,
            f"this proxy answers only requests addressed to it (Host {self.listen_host}:{port}), "
            f"not Host {host_header!r}",
        )

    def _host_ok(self, host: str) -> bool:
        if host == self.listen_host.strip("[]").lower():
            return True
        if self.listen_host in _WILDCARDS:
            return is_loopback(host) or _is_ip(host)
        return is_loopback(host) and is_loopback(self.listen_host)

    def _origin_refusal(self, origin: str | None) -> LegacyResponse | None:
        if origin is None or origin.rstrip("/") in self.allowed_origins:
            return None
        return legacy_error(
            403,
            f"requests from a web page (Origin {origin}) may not use this proxy; "
            "start it with --allow-origin to allow that origin",
        )

    def _token_refusal(self, authorization: str) -> LegacyResponse | None:
        if self.caller_token is None:
            return None
        scheme, _, token = authorization.partition(" ")
        given = token.strip().encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(given, self.caller_token.encode()):
            return None
        return legacy_error(
            401,
            "this proxy needs its caller token as the legacy bearer token "
            "(Authorization: Bearer <token>); the proxy wrote it at start-up",
        )

    def _body_refusal(self, headers: Mapping[str, str]) -> LegacyResponse | None:
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_request_bytes:
            return self.too_large()
        has_body = (length.isdigit() and int(length) > 0) or "transfer-encoding" in headers
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if has_body and media != "application/json":
            return legacy_error(
                415, f"request bodies must be sent as application/json, not {media or 'untyped'}"
            )
        return None

    def too_large(self) -> LegacyResponse:
        return legacy_error(
            413, f"the request body is larger than the proxy's {self.max_request_bytes}-byte limit"
        )


def _split_host(value: str) -> tuple[str, str]:
    """`127.0.0.1:8400` or `[::1]:8400` → (host, port); the port is "" when absent."""
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host.lower(), rest[1:] if rest.startswith(":") else ""
    host, _, port = value.partition(":")
    return host.lower(), port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
