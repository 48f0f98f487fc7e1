"""Pleo's fixed facts: what holds for every endpoint of both APIs, in one place.

Hosts and base paths per environment, the environment-variable names, the auth headers, both
paging envelopes, `Retry-After` and back-off. Endpoint facts live in the catalogue; these are
the facts around it. Compat, codemod, shadow, settings and the CLI import them from here. The
simulator keeps its own copy on purpose: it is the independent check of what we believe.

Sources: https://developers.pleo.io/docs/environments (hosts, keys bound to one environment),
https://developers.pleo.io/docs/api-keys (API key as Basic with an empty password),
https://developers.pleo.io/reference/pleo-deprecated (legacy tokens, `pageOffset` paging).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from datetime import datetime

from migrate.errors import ConfigurationError

# --- environments and hosts --------------------------------------------------------------------

Environment = Literal["staging", "production"]
ENVIRONMENTS: Final = ("staging", "production")

LEGACY_HOSTS: Final[Mapping[str, str]] = {
    "openapi.pleo.io": "production",
    "openapi.staging.pleo.io": "staging",
}
NEW_HOSTS: Final[Mapping[str, str]] = {
    "external.pleo.io": "production",
    "external.staging.pleo.io": "staging",
}
LEGACY_BASE_PATH: Final = "/v1"
LEGACY_BASE_URLS: Final[Mapping[str, str]] = {
    env: f"https://{host}{LEGACY_BASE_PATH}" for host, env in LEGACY_HOSTS.items()
}
NEW_BASE_URLS: Final[Mapping[str, str]] = {
    env: f"https://{host}" for host, env in NEW_HOSTS.items()
}

# Where a TODO or an error points when no single operation's documentation applies.
LEGACY_DOCS: Final = "https://developers.pleo.io/reference/pleo-deprecated"
NEW_DOCS: Final = "https://developers.pleo.io"


def is_environment(value: str) -> bool:
    return value in ENVIRONMENTS


def require_environment(value: str) -> Environment:
    """`value` as an environment name; anything but staging or production is a setup error."""
    if value == "staging":
        return "staging"
    if value == "production":
        return "production"
    raise ConfigurationError(f"environment must be staging or production, got {value!r}")


def environment_of_host(host: str) -> str | None:
    """The environment a Pleo host (legacy or new) belongs to; None for any other host."""
    host = host.lower()
    return LEGACY_HOSTS.get(host) or NEW_HOSTS.get(host)


def legacy_host(env: str = "production") -> str:
    """The legacy API's host name in `env`."""
    return next(host for host, where in LEGACY_HOSTS.items() if where == env)


def is_pleo_host(host: str) -> bool:
    return environment_of_host(host) is not None


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and `localhost`: where credentials may travel over plain http."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    import ipaddress  # imported where used: every command imports this module at start-up

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Origin:
    """scheme, host and port of a URL: what decides where a credential may go."""

    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urlsplit(str(url))
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
        return cls(scheme, (parts.hostname or "").lower(), port)


# --- environment variables ---------------------------------------------------------------------

LEGACY_TOKEN_VAR: Final = "PLEO_LEGACY_TOKEN"
API_KEY_VAR: Final = "PLEO_API_KEY"
OAUTH_TOKEN_VAR: Final = "PLEO_OAUTH_TOKEN"
COMPANY_ID_VAR: Final = "PLEO_COMPANY_ID"
ENV_VAR: Final = "PLEO_ENV"
NEW_URL_VAR: Final = "PLEO_NEW_API_URL"
NEW_HOST_VAR: Final = "PLEO_NEW_API_HOST"  # a bare host (`external.pleo.io`), no scheme
LEGACY_URL_VAR: Final = "PLEO_LEGACY_URL"

# Variables whose values are secrets: never printed, always redacted, looked for in cassettes.
SECRET_VARIABLES: Final = (LEGACY_TOKEN_VAR, API_KEY_VAR, OAUTH_TOKEN_VAR)


# --- authentication ----------------------------------------------------------------------------


def legacy_authorization(token: str) -> str:
    """The legacy API takes its API token as a Bearer token."""
    return f"Bearer {token}"


def api_key_authorization(api_key: str) -> str:
    """The new API takes an API key as HTTP Basic: the key as user name, an empty password."""
    import base64

    return "Basic " + base64.b64encode(f"{api_key}:".encode()).decode("ascii")


def oauth_authorization(access_token: str) -> str:
    """The new API takes an OAuth 2.0 access token as a Bearer token."""
    return f"Bearer {access_token}"


# What a new-API credential is bound to: `GET /v1/installations/me` answers the installation
# of the key (or OAuth client), whose `resource` is `urn:pleo:company:<uuid>` for a company-level
# key and `urn:pleo:organization:<uuid>` for an organisation-level one; `company_id` in its
# query asks about one company of the organisation. Pleo's design guide prescribes it for
# standalone keys (https://developers.pleo.io/docs/api-keys).
INSTALLATION_PATH: Final = "/v1/installations/me"
INSTALLATION_COMPANY_PARAM: Final = "company_id"
INSTALLATION_RESOURCE: Final = "resource"
_URN_PREFIX: Final = "urn:pleo:"

# The fallback when a key has no installation to read: the companies it can see (needs the
# `companies:read` scope), as a `data` list of `{id, name, …}`.
COMPANIES_PATH: Final = "/v1/companies"

# The new API's read-only custom method: `POST …:search` reads, it changes nothing.
SEARCH_SUFFIX: Final = ":search"


@dataclass(frozen=True)
class BoundResource:
    """What a credential is bound to: a company or an organisation, by id."""

    kind: Literal["company", "organization"]
    id: str


def bound_resource(installation: Any) -> BoundResource | None:
    """The company or organisation an installation's `resource` URN names; None if unreadable."""
    if not isinstance(installation, dict):
        return None
    resource = installation.get(INSTALLATION_RESOURCE)
    if not isinstance(resource, str) or not resource.startswith(_URN_PREFIX):
        return None
    kind, _, ident = resource.removeprefix(_URN_PREFIX).partition(":")
    if not ident:
        return None
    if kind == "company":
        return BoundResource("company", ident)
    if kind == "organization":
        return BoundResource("organization", ident)
    return None


def is_read_request(method: str, path: str) -> bool:
    """GET and HEAD read; so does the new API's `POST …:search`. Nothing else is a read."""
    method = method.upper()
    return method in ("GET", "HEAD") or (method == "POST" and path.endswith(SEARCH_SUFFIX))


# --- paging envelopes --------------------------------------------------------------------------
# Legacy: `?pageOffset=&pageSize=`, answered with `metadata.pageInfo{pageSize, totalCount,
# nextPageOffset}`; the last page has no (or a null) `nextPageOffset`.
# New: `?after=&limit=` (or `before`/`offset`), answered with `data[]` and
# `pagination{hasNextPage, endCursor, total}`.

LEGACY_PAGE_OFFSET: Final = "pageOffset"
LEGACY_PAGE_SIZE: Final = "pageSize"
LEGACY_PAGING_PARAMS: Final = frozenset({LEGACY_PAGE_OFFSET, LEGACY_PAGE_SIZE})
LEGACY_METADATA: Final = "metadata"
LEGACY_PAGE_INFO: Final = "pageInfo"
LEGACY_NEXT_OFFSET: Final = "nextPageOffset"
LEGACY_TOTAL: Final = "totalCount"
LEGACY_ENVELOPE_KEYS: Final = frozenset(
    {LEGACY_METADATA, LEGACY_PAGE_INFO, LEGACY_NEXT_OFFSET, LEGACY_TOTAL, LEGACY_PAGE_SIZE}
)
# Dotted paths for messages that tell a user which envelope field is meant.
LEGACY_NEXT_OFFSET_PATH: Final = f"{LEGACY_METADATA}.{LEGACY_PAGE_INFO}.{LEGACY_NEXT_OFFSET}"
# The legacy API's page size when a client sends none.
LEGACY_DEFAULT_PAGE_SIZE: Final = 100

NEW_DATA: Final = "data"
NEW_PAGINATION: Final = "pagination"
NEW_HAS_NEXT: Final = "hasNextPage"
NEW_END_CURSOR: Final = "endCursor"
NEW_TOTAL: Final = "total"
NEW_AFTER: Final = "after"
NEW_BEFORE: Final = "before"
NEW_LIMIT: Final = "limit"
NEW_OFFSET: Final = "offset"
NEW_PAGING_PARAMS: Final = (NEW_LIMIT, NEW_AFTER, NEW_BEFORE, NEW_OFFSET)
NEW_HAS_NEXT_PATH: Final = f"{NEW_PAGINATION}.{NEW_HAS_NEXT}"
NEW_END_CURSOR_PATH: Final = f"{NEW_PAGINATION}.{NEW_END_CURSOR}"
# The page size used when the catalogue names no maximum for an operation: the published specs
# give one (100) only for accounting entries, and 100 is the legacy API's default page size.
NEW_DEFAULT_PAGE_LIMIT: Final = 100
# The largest `limit` asked for where neither the catalogue nor the spec states a maximum.
NEW_LIMIT_MAX: Final = 1000


class EnvelopeError(ValueError):
    """An answer whose paging envelope cannot be read; the message says what is wrong."""


def legacy_page_info(page_size: int, total: int | None, next_offset: int | None) -> dict[str, Any]:
    """The legacy `metadata` object of one page."""
    return {
        LEGACY_PAGE_INFO: {
            LEGACY_PAGE_SIZE: page_size,
            LEGACY_TOTAL: total,
            LEGACY_NEXT_OFFSET: next_offset,
        }
    }


def legacy_next_offset(body: Any) -> int | None:
    """The offset of the next legacy page, or None on the last one (null, 0 or absent)."""
    meta = body.get(LEGACY_METADATA) if isinstance(body, dict) else None
    info = meta.get(LEGACY_PAGE_INFO) if isinstance(meta, dict) else None
    value = info.get(LEGACY_NEXT_OFFSET) if isinstance(info, dict) else None
    if value in (None, 0, "0", ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise EnvelopeError(f"{LEGACY_NEXT_OFFSET} is {value!r}") from None


@dataclass(frozen=True)
class CursorPage:
    """One page of a new-API list, read from its envelope."""

    body: Mapping[str, Any]
    data: list[Any]
    has_next: bool
    end_cursor: str | None
    total: int | None

    @classmethod
    def read(cls, body: Any) -> CursorPage:
        if not isinstance(body, dict) or not isinstance(body.get(NEW_DATA), list):
            raise EnvelopeError(f"the new API sent no `{NEW_DATA}` list")
        raw = body.get(NEW_PAGINATION)
        pagination: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
        total = pagination.get(NEW_TOTAL)
        cursor = pagination.get(NEW_END_CURSOR)
        return cls(
            body,
            body[NEW_DATA],
            bool(pagination.get(NEW_HAS_NEXT, False)),
            cursor if isinstance(cursor, str) and cursor else None,
            total if isinstance(total, int) and not isinstance(total, bool) else None,
        )

    def next_cursor(self) -> str | None:
        """The cursor of the next page; None on the last. A next page without one is an error."""
        if not self.has_next:
            return None
        if self.end_cursor is None:
            raise EnvelopeError(f"{NEW_HAS_NEXT} is true but there is no {NEW_END_CURSOR}")
        return self.end_cursor


def cursor_params(limit: int, after: str | None = None) -> dict[str, str]:
    """The query of one new-API page request."""
    params = {NEW_LIMIT: str(limit)}
    if after:
        params[NEW_AFTER] = after
    return params


# --- rate limits and back-off ------------------------------------------------------------------

RETRY_AFTER: Final = "Retry-After"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After: 7` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` in seconds from now.

    None when the header is absent or unreadable; a date in the past is 0.
    """
    from datetime import UTC, datetime  # imported where used: a 429 or 503 only

    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unreadable
    try:
        from email.utils import parsedate_to_datetime  # the date form only: a rare answer

        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, base: float, ceiling: float = 60.0) -> float:
    """Exponential back-off before try `attempt + 1`: base, 2·base, 4·base, … capped."""
    return float(min(ceiling, base * (2 ** max(0, attempt - 1))))
