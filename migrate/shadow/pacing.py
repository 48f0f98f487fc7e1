"""Polite request pacing: a rate per API, and a shared brake when either API says 429.

Neither API documents its limits, so a parity run starts slow (2 requests a second per API by
default) and, on a 429, both sides slow down and wait: the two APIs often share a backend, and
hammering one while the other cools off would skew the comparison in time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
SLOWEST = 0.1  # requests per second: we never slow down further than this
FIRST_BRAKE = 10.0  # requests per second an unlimited limiter drops to on its first 429


class RateLimiter:
    """Spaces requests `1 / rate` seconds apart; `rate` None means no pacing until a 429."""

    def __init__(
        self, rate: float | None, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._clock()
            wait = self._next - now
            if wait > 0:
                await self._sleep(wait)
                now = self._clock()
            spacing = 0.0 if self.rate is None else 1.0 / self.rate
            self._next = max(now, self._next) + spacing

    def slow_down(self, factor: float = 0.5) -> None:
        current = FIRST_BRAKE if self.rate is None else self.rate
        self.rate = max(SLOWEST, current * factor)

    def pause(self, seconds: float) -> None:
        """Nothing is sent before `seconds` from now."""
        self._next = max(self._next, self._clock() + seconds)


class Throttle:
    """The limiters of both APIs: a 429 from either one slows and pauses both."""

    def __init__(self, limiters: Iterable[RateLimiter]) -> None:
        self.limiters = tuple(limiters)
        self.events = 0

    def too_many_requests(self, wait: float) -> None:
        self.events += 1
        for limiter in self.limiters:
            limiter.slow_down()
            limiter.pause(wait)
