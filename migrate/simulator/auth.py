"""Credentials and Pleo's authentication rules: which credential works where (documented).

The statuses follow Pleo's pages (401 for a missing, wrong or expired credential); the messages
and the short codes are ours (see `migrate.simulator.assumptions.INVENTED`).

Legacy API: only legacy tokens, as `Authorization: Bearer <token>`. New API: only API keys, as
`Basic base64(key + ":")`, or OAuth access tokens, as `Bearer <token>`. Every credential
belongs to one environment, carries scopes (new API) and is bound to a company or to an
organisation. Secrets are generated at start-up with obviously fake prefixes
(`sim_legacy_…`, `sim_key_…`, `sim_oauth_…`) and are never part of a repr.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["legacy", "api_key", "oauth"]
ENVIRONMENTS = ("staging", "production")
PREFIXES: dict[Kind, str] = {"legacy": "sim_legacy", "api_key": "sim_key", "oauth": "sim_oauth"}
KIND_NAMES: dict[Kind, str] = {
    "legacy": "A legacy API token", "api_key": "An API key", "oauth": "An OAuth access token",
}


@dataclass(frozen=True)
class Credential:
    """One credential; `company_id` None with an `organization_id` means organisation level."""

    secret: str = field(repr=False)
    kind: Kind
    environment: str
    scopes: frozenset[str]
    company_id: str | None
    organization_id: str | None
    expires_at: float | None = None
    revoked: bool = False

    @property
    def organization_level(self) -> bool:
        return self.company_id is None

    @property
    def masked(self) -> str:
        """Safe to print: the prefix and the last four characters."""
        return f"{PREFIXES[self.kind]}_{self.environment}_…{self.secret[-4:]}"


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was refused (always 401); each app renders it in its own error body.

    `code` is a short snake_case reason (the legacy body's `message`); `message` is for people.
    """

    message: str
    code: str = "token_invalid"


class CredentialRegistry:
    """Every credential the simulator accepts, minted at start-up or by tests."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._by_secret: dict[str, Credential] = {}

    def mint(
        self,
        kind: Kind,
        *,
        environment: str,
        scopes: Iterable[str] = (),
        company_id: str | None = None,
        organization_id: str | None = None,
        expires_in: float | None = None,
        revoked: bool = False,
    ) -> Credential:
        if environment not in ENVIRONMENTS:
            raise ValueError(f"environment must be one of {ENVIRONMENTS}")
        if company_id is None and organization_id is None:
            raise ValueError("a credential is bound to a company or an organisation")
        secret = f"{PREFIXES[kind]}_{environment}_{secrets.token_urlsafe(24)}"
        credential = Credential(
            secret=secret, kind=kind, environment=environment, scopes=frozenset(scopes),
            company_id=company_id, organization_id=organization_id,
            expires_at=None if expires_in is None else self._clock() + expires_in,
            revoked=revoked,
        )
        with self._lock:
            self._by_secret[secret] = credential
        return credential

    def revoke(self, secret: str) -> None:
        with self._lock:
            credential = self._by_secret.get(secret)
            if credential is not None:
                self._by_secret[secret] = Credential(
                    secret=secret, kind=credential.kind, environment=credential.environment,
                    scopes=credential.scopes, company_id=credential.company_id,
                    organization_id=credential.organization_id,
                    expires_at=credential.expires_at, revoked=True,
                )

    def lookup(self, secret: str) -> Credential | None:
        with self._lock:
            return self._by_secret.get(secret)

    def now(self) -> float:
        return self._clock()


def _claimed(secret: str) -> tuple[Kind, str] | None:
    """The kind and environment a secret's prefix claims, if it has a simulator prefix."""
    for kind, prefix in PREFIXES.items():
        for environment in ENVIRONMENTS:
            if secret.startswith(f"{prefix}_{environment}_"):
                return kind, environment
    return None


def _parse_header(header: str | None) -> tuple[str, str] | AuthFailure:
    """`(scheme, secret)` from an Authorization header; Basic yields the username (the key)."""
    if not header:
        return AuthFailure("Missing Authorization header", "token_missing")
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if not value:
        return AuthFailure("Malformed Authorization header", "token_malformed")
    scheme = scheme.lower()
    if scheme == "bearer":
        return "bearer", value
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return AuthFailure("Malformed Basic credentials", "token_malformed")
        username, colon, password = decoded.partition(":")
        if not colon or password:
            return AuthFailure(
                "Basic credentials must be the API key as the username and an empty password",
                "token_malformed",
            )
        return "basic", username
    return AuthFailure(f"Unsupported authorization scheme {scheme!r}", "scheme_unsupported")


def authenticate(
    header: str | None, registry: CredentialRegistry, *, api: Literal["legacy", "new"],
    environment: str,
) -> Credential | AuthFailure:
    """Apply Pleo's rules for one API; never says whether an unknown secret exists."""
    parsed = _parse_header(header)
    if isinstance(parsed, AuthFailure):
        return parsed
    scheme, secret = parsed
    credential = registry.lookup(secret)
    claimed = (credential.kind, credential.environment) if credential else _claimed(secret)
    if claimed is None:
        return AuthFailure("Invalid credentials")
    kind, home = claimed
    if api == "legacy" and kind != "legacy":
        return AuthFailure(
            f"{KIND_NAMES[kind]} cannot call the legacy API; it accepts only legacy API "
            "tokens (Authorization: Bearer <token>)", "credential_type_not_accepted",
        )
    if api == "new" and kind == "legacy":
        return AuthFailure(
            "Legacy API tokens cannot call this API; use an API key (Basic auth) or an OAuth "
            "access token (Bearer)", "credential_type_not_accepted",
        )
    expected = {"legacy": "bearer", "api_key": "basic", "oauth": "bearer"}[kind]
    if scheme != expected:
        return AuthFailure(
            f"{KIND_NAMES[kind]} must be sent with {expected.capitalize()} authentication"
            + (": base64(key + ':')" if kind == "api_key" else ""), "scheme_unsupported",
        )
    if home != environment:
        return AuthFailure(
            f"This credential belongs to another environment ({home}); this is the "
            f"{environment} API", "wrong_environment",
        )
    if credential is None:
        return AuthFailure("Invalid credentials")
    if credential.revoked:
        return AuthFailure("The credential has been revoked", "token_revoked")
    if credential.expires_at is not None and credential.expires_at <= registry.now():
        return AuthFailure("The credential has expired", "token_expired")
    return credential
