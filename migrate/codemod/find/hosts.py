"""The patterns that say "this string is a legacy base URL" or "this variable holds a token".

Pleo's fixed facts (hosts, variable names, paging keys) live in `migrate.pleo`; the patterns
here are built from its hosts. The names re-exported below keep the codemod modules that
still import them from here working; new code imports `migrate.pleo` directly.
"""

from __future__ import annotations

import re

from migrate import pleo
from migrate.pleo import COMPANY_ID_VAR as COMPANY_ENV
from migrate.pleo import LEGACY_DOCS as MIGRATION_DOCS
from migrate.pleo import LEGACY_PAGE_OFFSET, LEGACY_PAGE_SIZE
from migrate.pleo import NEW_BASE_URLS as NEW_HOSTS
from migrate.pleo import NEW_DEFAULT_PAGE_LIMIT as DEFAULT_PAGE_LIMIT

__all__ = [
    "BASE_URL_ENV_NAME",
    "COMPANY_ENV",
    "DEFAULT_PAGE_LIMIT",
    "LEGACY_BASE",
    "LEGACY_BASE_ONLY",
    "LEGACY_HOST_IN_TEXT",
    "LEGACY_HOST_ONLY",
    "LEGACY_PAGE_OFFSET",
    "LEGACY_PAGE_SIZE",
    "MIGRATION_DOCS",
    "NEW_API_ENV_NAME",
    "NEW_BASE_FUNCTION",
    "NEW_HOSTS",
    "TOKEN_ENV_NAME",
    "environment_of_host",
    "new_base_for",
]

# Any legacy host, as a regex alternative (longest first, so no host shadows another).
_LEGACY_HOST = "|".join(re.escape(host) for host in sorted(pleo.LEGACY_HOSTS, key=len)[::-1])

# A legacy base URL, optionally with the `/v1` base path and a trailing slash.
LEGACY_BASE = re.compile(
    rf"(?P<scheme>https?)://(?P<host>{_LEGACY_HOST})"
    rf"(?P<v1>{re.escape(pleo.LEGACY_BASE_PATH)})?(?P<slash>/?)"
)
LEGACY_BASE_ONLY = re.compile(LEGACY_BASE.pattern + r"\Z")
LEGACY_HOST_IN_TEXT = re.compile(rf"https?://(?:{_LEGACY_HOST})(?=[/?#]|\Z)")
# A string that is a bare legacy host (`host = "openapi.pleo.io"`), joined to a scheme elsewhere.
LEGACY_HOST_ONLY = re.compile(rf"(?:{_LEGACY_HOST})\Z")

# Environment variables that hold a legacy token, and ones that hold a legacy base URL.
TOKEN_ENV_NAME = re.compile(r"(?i)\A\w*PLEO\w*TOKEN\w*\Z")
BASE_URL_ENV_NAME = re.compile(r"(?i)\A\w*PLEO\w*(URL|HOST|BASE|ENDPOINT)\w*\Z")
NEW_API_ENV_NAME = re.compile(r"(?i)NEW|EXTERNAL")  # …unless the name says it is the new API

# The function a rewrite adds to translate a legacy base read at run time (`find/runtime_bases`);
# its own strings (the legacy hosts it maps) are prose, never a legacy call's.
NEW_BASE_FUNCTION = "_pleo_new_base"


def environment_of_host(host: str) -> str:
    """The environment of a legacy host the patterns above matched (production otherwise)."""
    return pleo.LEGACY_HOSTS.get(host, "production")


def new_base_for(legacy_base: str) -> str | None:
    """A legacy base URL → the new API's base URL of the same environment; keeps a trailing
    slash and drops the `/v1`, since every new path carries its own version."""
    found = LEGACY_BASE_ONLY.match(legacy_base)
    if not found:
        return None
    return pleo.NEW_BASE_URLS[environment_of_host(found["host"])] + found["slash"]
