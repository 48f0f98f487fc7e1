"""Which URLs are legacy Pleo URLs, and which new-API host serves each.

A legacy production URL maps only to the new production host and a staging URL only to the
staging host; the credential's environment must match, or the request is refused before
anything is sent. A configured legacy base URL (the simulator's, say) maps to the configured
new base URL. Every other URL is not ours: it passes through untouched and gets no credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from migrate.errors import ConfigurationError, SafetyRefusal
from migrate.pleo import (
    LEGACY_BASE_PATH,
    LEGACY_HOSTS,
    NEW_BASE_URLS,
    Origin,
    environment_of_host,
    is_loopback,
    require_environment,
)


def check_new_url(env: str, url: str, allowed_hosts: tuple[str, ...] = ()) -> None:
    """Refuse a new-API URL the credential must not travel to, before anything is sent.

    Plain http only on loopback; a Pleo host only in the credential's own environment; any
    other host only when named in `allowed_hosts` (`--allow-host`).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigurationError(f"the new-API URL is not an http(s) URL: {url!r}")
    if parts.scheme == "http" and not is_loopback(host):
        raise SafetyRefusal(
            f"refusing to send the credential over plain http to {host}: use https "
            "(plain http is allowed on loopback only)"
        )
    where = environment_of_host(host)
    if where is not None and where != env:
        raise SafetyRefusal(
            f"{host} is Pleo's {where} host but the credential is for {env}: a key only works "
            "in the environment it was made in; fix the environment or the URL"
        )
    if where is None and not is_loopback(host) and host not in allowed_hosts:
        raise SafetyRefusal(
            f"{host} is not a Pleo host: refusing to send the credential there; "
            f"pass --allow-host {host} if it really is your new-API gateway"
        )


@dataclass(frozen=True)
class Target:
    """Where a legacy request is served from."""

    env: str
    new_base_url: str

    @property
    def new_origin(self) -> Origin:
        return Origin.of(self.new_base_url)


_ORIGINS_KEPT = 64  # origins whose answer is remembered; a client talks to a handful


class Router:
    """Which URLs are ours; the answer depends only on the origin (and a legacy base's path),
    so it is worked out once per origin and remembered."""

    def __init__(
        self,
        env: str = "production",
        *,
        new_base_url: str | None = None,
        legacy_base_url: str | None = None,
    ) -> None:
        self.env = require_environment(env)
        self.new_base_url = (new_base_url or NEW_BASE_URLS[env]).rstrip("/")
        self._legacy: tuple[Origin, str] | None = None
        if legacy_base_url:
            parts = urlsplit(legacy_base_url)
            if not parts.scheme or not parts.hostname:
                raise ConfigurationError(f"not a URL: {legacy_base_url!r}")
            self._legacy = (Origin.of(legacy_base_url), parts.path.rstrip("/"))
        if Origin.of(self.new_base_url).host in LEGACY_HOSTS:
            raise ConfigurationError("the new-API URL points at a legacy host")
        self._target = Target(self.env, self.new_base_url)
        self._origins: dict[tuple[str, str], tuple[bool, str | None]] = {}

    def __repr__(self) -> str:
        return f"Router(env={self.env!r}, new_base_url={self.new_base_url!r})"

    def route(self, url: str) -> Target | None:
        """The target for a legacy URL; None when the URL is not a legacy Pleo URL."""
        found = self.resolve(url)
        return None if found is None else found[0]

    def legacy_path(self, url: str) -> str:
        """The path as the catalogue knows it (`/v1/...`), whatever base the client used."""
        found = self.resolve(url)
        return urlsplit(url).path if found is None else found[1]

    def resolve(self, url: str) -> tuple[Target, str] | None:
        """The target and the catalogue's path (`/v1/...`) for a legacy URL; None when the
        URL is not a legacy Pleo URL. A legacy host of the other environment is refused."""
        parts = urlsplit(url)
        base, host = self._kind(parts.scheme, parts.netloc)
        path = parts.path
        if base:
            assert self._legacy is not None
            base_path = self._legacy[1]
            if (path + "/").startswith(base_path + "/"):
                path = path[len(base_path) :] or "/"
                if not path.startswith(LEGACY_BASE_PATH + "/"):
                    path = LEGACY_BASE_PATH + path
                return self._target, path
        if host is None:
            return None
        if host != self.env:
            name = Origin.of(url).host
            raise SafetyRefusal(
                f"refusing to serve a {host} legacy URL ({name}) with a "
                f"{self.env} credential: a key only works in the environment it was made in"
            )
        return self._target, path

    def _kind(self, scheme: str, netloc: str) -> tuple[bool, str | None]:
        """(whether the origin is the configured legacy base's, the environment of the legacy
        Pleo host it is over https, if it is one), remembered per origin."""
        key = (scheme, netloc)
        kind = self._origins.get(key)
        if kind is None:
            origin = Origin.of(f"{scheme}://{netloc}/")
            base = self._legacy is not None and origin == self._legacy[0]
            host = LEGACY_HOSTS.get(origin.host) if origin.scheme == "https" else None
            kind = (base, host)
            if len(self._origins) < _ORIGINS_KEPT:
                self._origins[key] = kind
        return kind
