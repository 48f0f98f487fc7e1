"""The ready-made compat clients: an httpx client (sync or async) or a requests session.

Each is built from one `CompatSettings`. The keyword arguments (`api_key`, `oauth_token`,
`company_id`, `env`, `new_base_url`, `legacy_base_url`, `retry`) are a convenience that
resolves one through `CompatSettings.resolve`, so `legacy_client()` alone reads the PLEO_*
variables. Any other keyword argument goes to the httpx client itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from migrate.compat.options import CompatOptions, CompatSettings, chosen_settings
from migrate.compat.retry import RetryPolicy
from migrate.compat.transport import AsyncCompatTransport, CompatTransport
from migrate.pleo import LEGACY_HOSTS

if TYPE_CHECKING:
    import requests


def legacy_client(
    api_key: str | None = None,
    *,
    settings: CompatSettings | None = None,
    oauth_token: str | None = None,
    company_id: str | None = None,
    env: str | None = None,
    new_base_url: str | None = None,
    legacy_base_url: str | None = None,
    retry: RetryPolicy | None = None,
    allowed_hosts: tuple[str, ...] | None = None,
    deadline: float | None = None,
    **client_options: Any,
) -> httpx.Client:
    """An httpx.Client that accepts legacy Pleo URLs and serves them from the new API."""
    options = CompatOptions(
        api_key=api_key,
        oauth_token=oauth_token,
        company_id=company_id,
        env=env,
        new_base_url=new_base_url,
        legacy_base_url=legacy_base_url,
        retry=retry,
        allowed_hosts=allowed_hosts,
        deadline=deadline,
    )
    transport = CompatTransport(settings=chosen_settings(settings, options))
    return httpx.Client(transport=transport, **client_options)


def legacy_async_client(
    api_key: str | None = None,
    *,
    settings: CompatSettings | None = None,
    oauth_token: str | None = None,
    company_id: str | None = None,
    env: str | None = None,
    new_base_url: str | None = None,
    legacy_base_url: str | None = None,
    retry: RetryPolicy | None = None,
    allowed_hosts: tuple[str, ...] | None = None,
    deadline: float | None = None,
    **client_options: Any,
) -> httpx.AsyncClient:
    """The async twin of `legacy_client`."""
    options = CompatOptions(
        api_key=api_key,
        oauth_token=oauth_token,
        company_id=company_id,
        env=env,
        new_base_url=new_base_url,
        legacy_base_url=legacy_base_url,
        retry=retry,
        allowed_hosts=allowed_hosts,
        deadline=deadline,
    )
    transport = AsyncCompatTransport(settings=chosen_settings(settings, options))
    return httpx.AsyncClient(transport=transport, **client_options)


def legacy_session(
    api_key: str | None = None,
    *,
    settings: CompatSettings | None = None,
    oauth_token: str | None = None,
    company_id: str | None = None,
    env: str | None = None,
    new_base_url: str | None = None,
    legacy_base_url: str | None = None,
    retry: RetryPolicy | None = None,
    allowed_hosts: tuple[str, ...] | None = None,
    deadline: float | None = None,
) -> requests.Session:
    """A requests.Session with the compat adapter mounted for the legacy hosts."""
    import requests

    from migrate.compat.requests_adapter import CompatAdapter

    options = CompatOptions(
        api_key=api_key,
        oauth_token=oauth_token,
        company_id=company_id,
        env=env,
        new_base_url=new_base_url,
        legacy_base_url=legacy_base_url,
        retry=retry,
        allowed_hosts=allowed_hosts,
        deadline=deadline,
    )
    chosen = chosen_settings(settings, options)
    adapter = CompatAdapter(chosen)
    session = requests.Session()
    prefixes = [f"https://{host}/" for host in LEGACY_HOSTS]
    if chosen.legacy_base_url:
        prefixes.append(chosen.legacy_base_url.rstrip("/") + "/")
    for prefix in prefixes:
        session.mount(prefix, adapter)
    return session
