"""What a compat front door is configured with: one frozen, typed `CompatSettings`.

Every door takes one: `legacy_client`, `legacy_async_client`, `legacy_session`, the httpx
transports, the requests adapter and the proxy. `CompatSettings.resolve(...)` builds it from
keyword arguments and the environment through the one settings resolver (`migrate.settings`);
`CompatSettings.of(settings)` from settings a command already resolved. The doors' keyword
arguments (`api_key=`, `env=`, …) are a convenience that ends in `resolve`; when the only thing
missing is the credential, a door is still made (`DeferredSettings`) and resolves again at its
first request, so a client created at import time never fails before the program has set
PLEO_API_KEY.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, TypedDict

from migrate.compat.credentials import Credential, MissingCredential
from migrate.compat.retry import RetryPolicy
from migrate.compat.routing import check_new_url
from migrate.pleo import NEW_BASE_URLS, Environment, require_environment
from migrate.settings import Settings, load_settings

DEFAULT_TIMEOUT: Final = 30.0  # seconds for one new-API request
DEFAULT_DEADLINE: Final = 60.0  # seconds for one legacy call: all pages and retries
DEFAULT_MAX_BODY: Final = 64 * 1024 * 1024  # bytes of one new-API answer
DEFAULT_MAX_CONNECTIONS: Final = 64  # new-API requests in flight at once, per door
# Records in one legacy page: a larger pageSize (clients send 100000) gets a page this big with
# nextPageOffset, so one legacy call never fans out into a drain of the whole company.
DEFAULT_MAX_PAGE_SIZE: Final = 100_000  # mappings/assumptions.yaml: legacy-page-size


@dataclass(frozen=True)
class CompatSettings:
    """Who we are on the new API, where it lives, and how patiently we call it."""

    credential: Credential
    env: Environment = "production"
    company_id: str | None = None
    new_base_url: str | None = None  # None: Pleo's new-API host for `env`
    legacy_base_url: str | None = None  # a further legacy base to serve (a simulator, a proxy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_page_size: int = DEFAULT_MAX_PAGE_SIZE
    allowed_hosts: tuple[str, ...] = ()  # non-Pleo, non-loopback new-API hosts to trust

    def __post_init__(self) -> None:
        require_environment(self.env)
        check_new_url(self.env, self.new_base_url or NEW_BASE_URLS[self.env], self.allowed_hosts)

    @classmethod
    def of(
        cls,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        allowed_hosts: tuple[str, ...] = (),
        deadline: float | None = None,
    ) -> CompatSettings:
        """The compat slice of resolved settings; no credential is a configuration error."""
        return cls(
            credential=Credential.of(settings),
            env=settings.env,
            company_id=settings.company_id,
            new_base_url=settings.new_base_url,
            legacy_base_url=settings.legacy_base_url,
            retry=retry or RetryPolicy(),
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            allowed_hosts=allowed_hosts,
            deadline=DEFAULT_DEADLINE if deadline is None else deadline,
        )

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None = None,
        oauth_token: str | None = None,
        company_id: str | None = None,
        env: str | None = None,
        new_base_url: str | None = None,
        legacy_base_url: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        allowed_hosts: tuple[str, ...] | None = None,
        deadline: float | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> CompatSettings:
        """Arguments first, then PLEO_* variables; pyproject.toml is not read (see
        `migrate.settings.load_settings`). An empty string counts as not given."""
        given = {
            "api_key": api_key,
            "oauth_token": oauth_token,
            "company_id": company_id,
            "env": env,
            "new_base_url": new_base_url,
            "legacy_base_url": legacy_base_url,
        }
        settings = _loaded(given, environ)
        return cls.of(
            settings,
            retry=retry,
            timeout=timeout,
            allowed_hosts=allowed_hosts or (),
            deadline=deadline,
        )


class CompatOptions(TypedDict, total=False):
    """The keyword arguments of `CompatSettings.resolve`, for doors that accept them."""

    api_key: str | None
    oauth_token: str | None
    company_id: str | None
    env: str | None
    new_base_url: str | None
    legacy_base_url: str | None
    retry: RetryPolicy | None
    timeout: float | None
    allowed_hosts: tuple[str, ...] | None
    deadline: float | None


def _loaded(given: Mapping[str, str | None], environ: Mapping[str, str] | None) -> Settings:
    """Arguments (an empty string counts as not given) over the PLEO_* variables."""
    flags = {name: value for name, value in given.items() if value}
    return load_settings(flags, environ=environ, read_project=False)


@dataclass(frozen=True)
class DeferredSettings:
    """Keyword arguments still waiting for the credential, resolved at the door's first request.

    The compat codemod writes `_session = legacy_session()` at module level, and programs set
    PLEO_API_KEY in `main()` or load a `.env` after their imports: the door is made anyway and
    calls `resolve()` when it first serves a legacy URL, which raises the same clear
    `ConfigurationError` if the credential is still missing. Everything else (a wrong env, a
    refused new-API URL) is refused at construction as before.
    """

    options: CompatOptions
    legacy_base_url: str | None = None  # as known at construction: where to mount a session
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    def resolve(self) -> CompatSettings:
        return CompatSettings.resolve(**self.options)


def _deferred(options: CompatOptions) -> DeferredSettings:
    """Settings for later, after the checks that need no credential (env, new-API URL)."""
    given = {
        "company_id": options.get("company_id"),
        "env": options.get("env"),
        "new_base_url": options.get("new_base_url"),
        "legacy_base_url": options.get("legacy_base_url"),
    }
    known = _loaded(given, None)
    new_url = known.new_base_url or NEW_BASE_URLS[known.env]
    check_new_url(known.env, new_url, options.get("allowed_hosts") or ())
    return DeferredSettings(CompatOptions(**options), known.legacy_base_url)


def chosen_settings(
    settings: CompatSettings | DeferredSettings | None, options: CompatOptions
) -> CompatSettings | DeferredSettings:
    """`settings` as given, or resolved from keyword arguments (later, when only the credential
    is missing: see `DeferredSettings`); both at once is a mistake."""
    if settings is None:
        try:
            return CompatSettings.resolve(**options)
        except MissingCredential:
            return _deferred(options)
    if any(value is not None for value in options.values()):
        raise TypeError(
            "give settings=CompatSettings(...) or keyword arguments, not both: "
            + ", ".join(sorted(name for name, value in options.items() if value is not None))
        )
    return settings
