"""The requests and responses the compat engine trades, as plain frozen data.

Keeping them free of httpx/requests types lets one engine serve the httpx transports, the
requests adapter and the proxy, and lets the rewriting be tested without any transport. A new
request is the planner's own `NewCall` (`mapping/calls.py`): compat sends what was planned.
`FlowContext` is all a named flow may ask of the engine that runs it.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from migrate.mapping import NO_BODY, Catalogue, NewCall, Operation, Query

__all__ = [
    "NO_BODY",
    "Exchange",
    "FlowContext",
    "LegacyRequest",
    "LegacyResponse",
    "NewRequest",
    "NewResponse",
    "Query",
]

NewRequest = NewCall


@dataclass(frozen=True)
class LegacyRequest:
    method: str
    url: str  # as the client sent it: https://openapi.pleo.io/v1/expenses?pageSize=10
    body: Any = NO_BODY  # decoded JSON


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


# Serving one legacy request: yields each new-API request, is sent its response, returns the
# legacy response.
Exchange = Generator[NewRequest, NewResponse, LegacyResponse]


class FlowContext(Protocol):
    """What a named flow needs from the engine that runs it (and nothing else)."""

    @property
    def catalogue(self) -> Catalogue: ...

    def checked_json(self, operation: Operation, response: NewResponse) -> Any:
        """The JSON of a successful answer; any failure stops the flow with a legacy error."""
        ...
