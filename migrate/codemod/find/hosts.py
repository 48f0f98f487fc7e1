"""What the codemod knows about the two APIs that is not about any one endpoint.

Endpoint facts live in the catalogue; these are the hosts, the environment variable names the
rewritten code reads, and the patterns that say "this string is a legacy base URL" or "this
environment variable holds a legacy token".
"""

from __future__ import annotations

import re

LEGACY_HOSTS = {"openapi.pleo.io": "production", "openapi.staging.pleo.io": "staging"}
NEW_HOSTS = {
    "production": "https://external.pleo.io",
    "staging": "https://external.staging.pleo.io",
}

API_KEY_ENV = "PLEO_API_KEY"
COMPANY_ENV = "PLEO_COMPANY_ID"
NEW_URL_ENV = "PLEO_NEW_API_URL"

# Where a TODO points when no single operation's documentation applies.
MIGRATION_DOCS = "https://developers.pleo.io/reference/pleo-deprecated"

# `https://openapi.pleo.io`, optionally with the `/v1` base path and a trailing slash.
LEGACY_BASE = re.compile(
    r"(?P<scheme>https?)://(?P<host>openapi(?:\.staging)?\.pleo\.io)(?P<v1>/v1)?(?P<slash>/?)"
)
LEGACY_BASE_ONLY = re.compile(LEGACY_BASE.pattern + r"\Z")
LEGACY_HOST_IN_TEXT = re.compile(r"https?://openapi(?:\.staging)?\.pleo\.io(?=[/?#]|\Z)")

# Environment variables that hold a legacy token, and ones that hold a legacy base URL.
TOKEN_ENV_NAME = re.compile(r"(?i)\A\w*PLEO\w*TOKEN\w*\Z")
BASE_URL_ENV_NAME = re.compile(r"(?i)\A\w*PLEO\w*(URL|HOST|BASE|ENDPOINT)\w*\Z")
NEW_API_ENV_NAME = re.compile(r"(?i)NEW|EXTERNAL")  # …unless the name says it is the new API


def environment_of_host(host: str) -> str:
    return LEGACY_HOSTS.get(host, "production")


def new_base_for(legacy_base: str) -> str | None:
    """`https://openapi.pleo.io/v1/` → `https://external.pleo.io/` (keeps a trailing slash)."""
    found = LEGACY_BASE_ONLY.match(legacy_base)
    if not found:
        return None
    return NEW_HOSTS[environment_of_host(found["host"])] + found["slash"]


# The new API's paginated envelope: follow `endCursor` while `hasNextPage` is true.
NEW_PAGINATION = "pagination"
NEW_END_CURSOR = "endCursor"
NEW_HAS_NEXT = "hasNextPage"
NEW_AFTER = "after"
NEW_LIMIT = "limit"
LEGACY_PAGE_SIZE = "pageSize"
LEGACY_PAGE_OFFSET = "pageOffset"

# The page size the codemod allows (or picks, in a paging loop) when the catalogue declares no
# maximum for an operation: Pleo's published specs give a maximum (100) only for accounting
# entries, and 100 is the legacy API's default page size.
DEFAULT_PAGE_LIMIT = 100
