"""The new API's credential: an API key (sent as Basic) or an OAuth 2.0 access token (Bearer).

The secret never appears in a repr, a str, a log line or an exception message.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from migrate.errors import ConfigurationError

API_KEY_VARIABLE = "PLEO_API_KEY"
OAUTH_VARIABLE = "PLEO_OAUTH_TOKEN"


@dataclass(frozen=True)
class Credential:
    kind: Literal["api-key", "oauth"]
    secret: str = field(repr=False)

    def authorization(self) -> str:
        if self.kind == "api-key":
            return "Basic " + base64.b64encode(f"{self.secret}:".encode()).decode("ascii")
        return f"Bearer {self.secret}"

    def __str__(self) -> str:
        return f"<{self.kind} credential>"


def resolve_credential(
    api_key: str | None = None,
    oauth_token: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credential:
    """The credential given, else from PLEO_API_KEY / PLEO_OAUTH_TOKEN; exactly one."""
    environ = os.environ if environ is None else environ
    if api_key and oauth_token:
        raise ConfigurationError("give an API key or an OAuth token, not both")
    if api_key:
        return Credential("api-key", api_key)
    if oauth_token:
        return Credential("oauth", oauth_token)
    if environ.get(API_KEY_VARIABLE):
        return Credential("api-key", environ[API_KEY_VARIABLE])
    if environ.get(OAUTH_VARIABLE):
        return Credential("oauth", environ[OAUTH_VARIABLE])
    raise ConfigurationError(
        f"no new-API credential: set {API_KEY_VARIABLE} (an API key) or {OAUTH_VARIABLE} "
        "(an OAuth 2.0 access token)"
    )
