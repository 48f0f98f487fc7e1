"""Run legacy Pleo API calls on the new API, today.

    client = legacy_client()                  # httpx.Client; legacy URLs in, legacy shapes out
    client.get("https://openapi.pleo.io/v1/employees").json()["employees"]

Credentials and settings come from arguments or the environment: PLEO_API_KEY (or
PLEO_OAUTH_TOKEN), PLEO_COMPANY_ID, PLEO_ENV (staging | production), and, to point at the
simulator or a proxy, PLEO_NEW_API_URL and PLEO_LEGACY_URL. `CompatSettings` holds them as
one typed object that every door accepts (`settings=`).

Imported from their own modules: the requests adapter (`migrate.compat.requests_adapter`,
needs the extra `[requests]`) and the local proxy server (`migrate.compat.proxy`); and the
library twins the compat codemod swaps in, `from migrate.compat import pleo_requests as
requests` and `from migrate.compat import pleo_httpx as httpx` (the real libraries, with legacy
URLs served from the new API).
"""

from __future__ import annotations

from migrate.compat.admission import DEFAULT_MAX_REQUEST_BYTES, ProxyAccess, new_caller_token
from migrate.compat.clients import legacy_async_client, legacy_client, legacy_session
from migrate.compat.credentials import Credential
from migrate.compat.engine import CompatEngine
from migrate.compat.flows import FLOWS
from migrate.compat.options import DEFAULT_DEADLINE, DEFAULT_MAX_BODY, CompatSettings
from migrate.compat.proxy import ProxyConfig, build_proxy_app
from migrate.compat.retry import RetryPolicy
from migrate.compat.transport import AsyncCompatTransport, CompatTransport

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_REQUEST_BYTES",
    "FLOWS",
    "AsyncCompatTransport",
    "CompatEngine",
    "CompatSettings",
    "CompatTransport",
    "Credential",
    "ProxyAccess",
    "ProxyConfig",
    "RetryPolicy",
    "build_proxy_app",
    "legacy_async_client",
    "legacy_client",
    "legacy_session",
    "new_caller_token",
]
