"""Keep the credentials out of the error answers compat passes back from the new API.

A new API (or a gateway in front of it) may echo the Authorization header in an error
message; compat repeats that message to the caller, so each secret is replaced first: the
API key raw and as the Basic value it is sent as, an OAuth token, and the caller's legacy
token.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from migrate.compat.credentials import Credential
from migrate.compat.messages import LegacyResponse

MASK = "[redacted]"
_MIN_SECRET = 6  # shorter values would mask ordinary words


def secret_forms(credential: Credential, legacy_tokens: Iterable[str] = ()) -> tuple[str, ...]:
    """Every spelling of the secrets that could come back: raw and as sent."""
    sent = credential.authorization().split(" ", 1)[-1]
    forms = {credential.secret, sent, *legacy_tokens}
    return tuple(sorted((f for f in forms if len(f) >= _MIN_SECRET), key=len, reverse=True))


def redacted(value: Any, secrets: tuple[str, ...]) -> Any:
    """`value` (decoded JSON) with every secret in its strings masked."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {key: redacted(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [redacted(item, secrets) for item in value]
    return value


def redacted_error(response: LegacyResponse, secrets: tuple[str, ...]) -> LegacyResponse:
    """An error answer with its messages masked; a success is returned as it is."""
    if response.status < 400:
        return response
    return LegacyResponse(response.status, redacted(response.body, secrets), response.headers)
