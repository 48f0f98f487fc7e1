"""What the compat twins (`pleo_requests`, `pleo_httpx`) share: which URLs they hand to the
compat layer, and a compat door made once, at the first legacy request.

A module swapped by the codemod imports a twin at start-up; nothing here reads credentials
then. The legacy prefixes are the legacy hosts plus the configured legacy base (PLEO_LEGACY_URL,
a simulator or a proxy), read when a client is made or a request is sent.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from migrate.pleo import LEGACY_HOSTS, LEGACY_URL_VAR

T = TypeVar("T")


def legacy_prefixes() -> tuple[str, ...]:
    """URL prefixes served from the new API: each legacy host, and the configured base."""
    prefixes = [f"https://{host}/" for host in LEGACY_HOSTS]
    configured = os.environ.get(LEGACY_URL_VAR, "").strip()
    if configured:
        prefixes.append(configured.rstrip("/") + "/")
    return tuple(prefixes)


def legacy_origins() -> tuple[str, ...]:
    """`scheme://host[:port]` of each legacy prefix: what an httpx mount key can name."""
    origins: list[str] = []
    for prefix in legacy_prefixes():
        parts = urlsplit(prefix)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def is_legacy_url(url: str) -> bool:
    """Whether `url` is one the compat layer serves (scheme and host compared case-blind)."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    here = f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"
    return any(here.startswith(prefix.lower()) for prefix in legacy_prefixes())


class Lazy(Generic[T]):
    """One value made on first use (thread-safe), dropped again by `reset`."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._value = self._make()
        return value

    def reset(self) -> T | None:
        """Forget the value (made again on next use); the old one, for the caller to close."""
        with self._lock:
            value, self._value = self._value, None
        return value
