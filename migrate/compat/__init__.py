"""Run legacy Pleo API calls on the new API, today.

    client = legacy_client()                  # httpx.Client; legacy URLs in, legacy shapes out
    client.get("https://openapi.pleo.io/v1/employees").json()["employees"]

Credentials and settings come from arguments or the environment: PLEO_API_KEY (or
PLEO_OAUTH_TOKEN), PLEO_COMPANY_ID, PLEO_ENV (staging | production), and, to point at the
simulator or a proxy, PLEO_NEW_API_URL and PLEO_LEGACY_URL.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import httpx

from migrate.compat.engine import CompatEngine
from migrate.compat.retry import RetryPolicy
from migrate.compat.transport import AsyncCompatTransport, CompatTransport

if TYPE_CHECKING:
    import requests

__all__ = [
    "AsyncCompatTransport",
    "CompatEngine",
    "CompatTransport",
    "RetryPolicy",
    "legacy_async_client",
    "legacy_client",
    "legacy_session",
]


def _settings(
    env: str | None, company_id: str | None, new_base_url: str | None, legacy_base_url: str | None
) -> dict[str, Any]:
    return {
        "env": env or os.environ.get("PLEO_ENV") or "production",
        "company_id": company_id or os.environ.get("PLEO_COMPANY_ID") or None,
        "new_base_url": new_base_url or os.environ.get("PLEO_NEW_API_URL") or None,
        "legacy_base_url": legacy_base_url or os.environ.get("PLEO_LEGACY_URL") or None,
    }


def legacy_client(
    api_key: str | None = None,
    *,
    oauth_token: str | None = None,
    company_id: str | None = None,
    env: str | None = None,
    new_base_url: str | None = None,
    legacy_base_url: str | None = None,
    retry: RetryPolicy | None = None,
    **client_options: Any,
) -> httpx.Client:
    """An httpx.Client that accepts legacy Pleo URLs and serves them from the new API."""
    transport = CompatTransport(
        api_key=api_key,
        oauth_token=oauth_token,
        retry=retry,
        **_settings(env, company_id, new_base_url, legacy_base_url),
    )
    return httpx.Client(transport=transport, **client_options)


def legacy_async_client(
    api_key: str | None = None,
    *,
    oauth_token: str | None = None,
    company_id: str | None = None,
    env: str | None = None,
    new_base_url: str | None = None,
    legacy_base_url: str | None = None,
    retry: RetryPolicy | None = None,
    **client_options: Any,
) -> httpx.AsyncClient:
    """The async twin of `legacy_client`."""
    transport = AsyncCompatTransport(
        api_key=api_key,
        oauth_token=oauth_token,
        retry=retry,
        **_settings(env, company_id, new_base_url, legacy_base_url),
    )
    return httpx.AsyncClient(transport=transport, **client_options)


def legacy_session(
    api_key: str | None = None,
    *,
    oauth_token: str | None = None,
    company_id: str | None = None,
    env: str | None = None,
    new_base_url: str | None = None,
    legacy_base_url: str | None = None,
    retry: RetryPolicy | None = None,
) -> requests.Session:
    """A requests.Session with the compat adapter mounted for the legacy hosts."""
    import requests

    from migrate.compat.requests_adapter import CompatAdapter

    settings = _settings(env, company_id, new_base_url, legacy_base_url)
    transport = CompatTransport(api_key=api_key, oauth_token=oauth_token, retry=retry, **settings)
    adapter = CompatAdapter(transport)
    session = requests.Session()
    prefixes = ["https://openapi.pleo.io/", "https://openapi.staging.pleo.io/"]
    if settings["legacy_base_url"]:
        prefixes.append(settings["legacy_base_url"].rstrip("/") + "/")
    for prefix in prefixes:
        session.mount(prefix, adapter)
    return session
