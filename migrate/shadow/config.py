"""What one shadow run needs to know, as frozen data, checked before any I/O happens.

The safety rules live here because they must hold before the first byte is sent: writes only
with staging, a staging credential only on a staging host, credentials present unless a
cassette replays the run.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from migrate import pleo
from migrate.errors import ConfigurationError, SafetyRefusal, UsageError
from migrate.settings import Settings


@dataclass(frozen=True)
class Endpoints:
    """Where the two APIs live; `env` is the environment the credentials belong to."""

    env: str
    legacy_url: str
    new_url: str


@dataclass(frozen=True)
class Credentials:
    """Secrets stay out of repr() so a config object can be logged or shown in an error."""

    legacy_token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    company_id: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> Credentials:
        """The shadow run's credentials, as the settings resolver found them."""
        return cls(settings.legacy_token, settings.api_key, settings.company_id)

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.legacy_token, self.api_key) if s)


@dataclass(frozen=True)
class Limits:
    """How much to read and how fast; `sample` None reads every record."""

    sample: int | None = 100
    page_size: int = 100
    rate: float | None = 2.0  # requests per second per API; None: unlimited
    concurrency: int = 4
    recheck: int = 2
    recheck_backoff: float = 1.0  # seconds before the first re-check; doubles each round
    noise_sample: int = 2  # legacy requests per operation sent twice to learn volatile fields
    recheck_limit: int = 1000  # records per operation kept for re-checking
    timeout: float = 30.0
    retries: int = 2  # for 5xx, timeouts and broken connections
    max_429: int = 5  # consecutive 429 answers before giving up on a request
    max_wait: float = 60.0  # longest Retry-After we honour; a longer one gives up at once
    max_body: int = 64 * 1024 * 1024  # bytes of one decoded response body


@dataclass(frozen=True)
class Safety:
    allow_writes: bool = False
    plan_writes: bool = False


def endpoints_of(settings: Settings) -> Endpoints:
    """The run's endpoints from resolved settings (flags, PLEO_* variables, pyproject)."""
    return default_endpoints(settings.env, settings.legacy_base_url, settings.new_base_url)


def default_endpoints(
    env: str,
    legacy_url: str | None,
    new_url: str | None,
    allow_hosts: Collection[str] = (),
) -> Endpoints:
    """The published hosts of `env`, or explicit URLs (a simulator, a proxy)."""
    env = pleo.require_environment(env)
    endpoints = Endpoints(
        env=env,
        legacy_url=(legacy_url or pleo.LEGACY_BASE_URLS[env]).rstrip("/"),
        new_url=(new_url or pleo.NEW_BASE_URLS[env]).rstrip("/"),
    )
    for name, url in (("--legacy-url", endpoints.legacy_url), ("--new-url", endpoints.new_url)):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{name} must be an http(s) URL, got {url!r}")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise UsageError(f"{name} must not carry a query, fragment or credentials")
    check_environment(endpoints)
    check_hosts(endpoints, allow_hosts)
    return endpoints


def check_hosts(endpoints: Endpoints, allow_hosts: Collection[str] = ()) -> None:
    """Credentials travel only to Pleo's hosts or loopback, and over plain http only on
    loopback; another host only when `--allow-host` names it."""
    allowed = {host.strip().lower() for host in allow_hosts}
    for name, url in (("--legacy-url", endpoints.legacy_url), ("--new-url", endpoints.new_url)):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if pleo.is_loopback(host):
            continue
        if parts.scheme != "https":
            raise SafetyRefusal(
                f"{name} {url}: plain http would send the credential in clear; use https "
                "(plain http is allowed only on loopback)"
            )
        if not pleo.is_pleo_host(host) and host not in allowed:
            raise SafetyRefusal(
                f"{name}: {host} is neither a Pleo host nor loopback; the credential goes "
                f"only there unless you name it with --allow-host {host}"
            )


def check_environment(endpoints: Endpoints) -> None:
    """A staging credential never goes to a production host, nor the other way round."""
    for url in (endpoints.legacy_url, endpoints.new_url):
        host = urlsplit(url).hostname or ""
        env = pleo.environment_of_host(host)
        if env is not None and env != endpoints.env:
            raise SafetyRefusal(
                f"{host} is a {env} host but the run is for "
                f"{endpoints.env}; environments never mix (use --env {env})"
            )


def check_writes(endpoints: Endpoints, safety: Safety) -> None:
    if safety.allow_writes and endpoints.env != "staging":
        raise SafetyRefusal(
            "--allow-writes is only allowed with --env staging; a parity run never writes to "
            "production"
        )


def check_credentials(credentials: Credentials, *, needs_company: bool) -> None:
    missing = []
    if not credentials.legacy_token:
        missing.append(f"{pleo.LEGACY_TOKEN_VAR} (or --legacy-token-file)")
    if not credentials.api_key:
        missing.append(f"{pleo.API_KEY_VAR} (or --api-key-file)")
    if needs_company and not credentials.company_id:
        missing.append(f"{pleo.COMPANY_ID_VAR} (or --company-id)")
    if missing:
        raise ConfigurationError("missing credentials: " + ", ".join(missing))


def read_secret_file(path: Path) -> str:
    """A credential from a file (one line), so it never lands in shell history."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read {path}: {type(exc).__name__}") from None
    if not text or "\n" in text:
        raise ConfigurationError(f"{path} must hold exactly one line: the credential")
    return text
