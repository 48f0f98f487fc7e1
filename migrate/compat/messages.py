"""The requests and responses the compat engine trades, as plain frozen data.

Keeping them free of httpx/requests types lets one engine serve the httpx transports, the
requests adapter and the proxy, and lets the rewriting be tested without any transport.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Query = tuple[tuple[str, str], ...]


class _NoBody:
    """Marks a request or response without a body (distinct from a JSON `null`)."""

    def __repr__(self) -> str:
        return "NO_BODY"


NO_BODY: Any = _NoBody()


@dataclass(frozen=True)
class LegacyRequest:
    method: str
    url: str  # as the client sent it: https://openapi.pleo.io/v1/expenses?pageSize=10
    body: Any = NO_BODY  # decoded JSON


@dataclass(frozen=True)
class NewRequest:
    method: str
    path: str  # /v2/employees
    params: Query = ()
    body: Any = NO_BODY  # JSON to send

    def with_params(self, extra: Mapping[str, str]) -> NewRequest:
        kept = tuple((k, v) for k, v in self.params if k not in extra)
        return NewRequest(self.method, self.path, kept + tuple(extra.items()), self.body)


@dataclass(frozen=True)
class NewResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes


@dataclass(frozen=True)
class LegacyResponse:
    status: int
    body: Any = NO_BODY
    headers: Mapping[str, str] = field(default_factory=dict)
