"""What one doctor run works with: the settings it was given and what it learnt on the way.

`DoctorRequest` is checked before any request is sent; `Findings` carries what an earlier
check learnt (the company the key is bound to, whether the legacy token works) to later ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate import pleo
from migrate.doctor.wire import Answer, Credential, Wire
from migrate.mapping import Catalogue, Envelope, Side, plan_request


@dataclass(frozen=True)
class DoctorRequest:
    """One run: where the APIs are, the credentials, and what to check."""

    env: str
    new_url: str
    legacy_url: str | None
    key: Credential = field(repr=False)
    key_is_oauth: bool
    legacy_token: Credential | None = field(default=None, repr=False)
    company_id: str | None = None
    scan_operations: tuple[str, ...] | None = None  # None: no --from-scan
    timeout: float = 15.0

    def secrets(self) -> tuple[str, ...]:
        return tuple(c.secret for c in (self.key, self.legacy_token) if c is not None)

    @property
    def other_env(self) -> str:
        return next(env for env in pleo.ENVIRONMENTS if env != self.env)


@dataclass
class Findings:
    """What earlier checks learnt; later checks read it (mutable, local to one run)."""

    key_works: bool = False
    legacy_works: bool = False
    company_id: str | None = None  # the company the checks read from


@dataclass(frozen=True)
class Run:
    """A run in progress: the request, the catalogue, the wire and the findings so far."""

    request: DoctorRequest
    catalogue: Catalogue
    wire: Wire
    found: Findings

    def legacy_get(self, operation: str, path_values: dict[str, str] | None = None,
                   query: dict[str, str] | None = None) -> Answer:
        """A catalogue operation's legacy read, sent with the legacy token."""
        assert self.request.legacy_token is not None
        path = self.legacy_path(operation, path_values)
        return self.wire.send("legacy", "GET", path, self.request.legacy_token,
                              list((query or {}).items()))

    def listed(self, operation: str, side: Side, body: Any) -> list[Any]:
        """The raw records of an operation's answer on one side, by the catalogue's envelope."""
        bodies = self.catalogue.get(operation).response
        return records(bodies.on(side) if bodies else None, body)

    def legacy_path(self, operation: str, path_values: dict[str, str] | None = None) -> str:
        """The concrete legacy path of an operation, relative to the legacy base URL."""
        template = self.catalogue.get(operation).legacy.path.removeprefix(pleo.LEGACY_BASE_PATH)
        for name, value in (path_values or {}).items():
            template = template.replace("{" + name + "}", value)
        return template

    def new_for(self, operation: str, path_values: dict[str, str] | None = None,
                query: dict[str, str] | None = None, limit: int | None = None) -> Answer:
        """The new API's answer to the legacy read, as the planner turns it into a new call."""
        target = self.legacy_path(operation, path_values)
        if query:
            target += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        plan = plan_request(self.catalogue, "GET", target, company_id=self.found.company_id)
        call = plan.page(limit or plan.limit_max) if plan.paged else plan.call
        return self.wire.new(call, self.request.key)


def records(envelope: Envelope | None, body: Any) -> list[Any]:
    """The records of a body under an envelope (`employees[]`, `data[]`, `[]`, `.`)."""
    if envelope is None or body is None:
        return []
    if envelope.key is not None:
        body = body.get(envelope.key) if isinstance(body, dict) else None
    if envelope.many:
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []
    return [body] if isinstance(body, dict) else []
