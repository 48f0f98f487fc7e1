"""A token bucket per credential, so clients can rehearse 429 + Retry-After handling.

Neither API documents its limits; the simulator is off by default (`RateLimit` None) and a
test or user turns it on with a capacity and a refill rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """`capacity` requests at once, refilled at `per_second` requests a second."""

    capacity: int
    per_second: float

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.per_second <= 0:
            raise ValueError("rate limit needs capacity >= 1 and per_second > 0")


class RateLimiter:
    """Buckets keyed by credential secret; `take` returns None or the seconds to wait."""

    def __init__(self, limit: RateLimit | None, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    def take(self, key: str) -> int | None:
        if self.limit is None:
            return None
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.limit.capacity), now))
            tokens = min(self.limit.capacity, tokens + (now - last) * self.limit.per_second)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.limit.per_second))
