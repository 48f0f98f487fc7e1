"""The new API's credential: an API key (sent as Basic) or an OAuth 2.0 access token (Bearer).

Which one applies is decided once, by the settings resolver (`migrate.settings`); this module
carries the choice. The secret never appears in a repr, a str, a log line or an exception
message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from migrate import pleo
from migrate.errors import ConfigurationError
from migrate.settings import Settings


class MissingCredential(ConfigurationError):
    """No API key and no OAuth token: the one setting a door made at import time may still get
    (the program sets its environment after importing the module that holds the door)."""


@dataclass(frozen=True)
class Credential:
    kind: Literal["api-key", "oauth"]
    secret: str = field(repr=False)

    @classmethod
    def of(cls, settings: Settings) -> Credential:
        """The credential the settings hold; none at all is a configuration error."""
        if settings.api_key:
            return cls("api-key", settings.api_key)
        if settings.oauth_token:
            return cls("oauth", settings.oauth_token)
        raise MissingCredential(
            f"no new-API credential: set {pleo.API_KEY_VAR} (an API key) or "
            f"{pleo.OAUTH_TOKEN_VAR} (an OAuth 2.0 access token)"
        )

    def authorization(self) -> str:
        if self.kind == "api-key":
            return pleo.api_key_authorization(self.secret)
        return pleo.oauth_authorization(self.secret)

    def __str__(self) -> str:
        return f"<{self.kind} credential>"
