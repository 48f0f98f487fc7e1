"""When to try a new-API call again, and how long to wait first. Pure: no clock, no sleep.

Only idempotent methods are retried (GET, HEAD, PUT, DELETE), only on 429/502/503/504 and on
connection errors; POST never is. `Retry-After` (seconds or an HTTP date) is honoured, each
wait is capped, the whole call has a time budget, and waits get jitter so clients spread out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from migrate.pleo import backoff, parse_retry_after

RETRY_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    base_delay: float = 0.5
    max_wait: float = 30.0  # cap for one wait, Retry-After included
    max_total: float = 60.0  # cap for all waits of one call
    jitter: float = 0.2  # up to +20 % of each wait
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def delay(
        self,
        method: str,
        attempt: int,
        status: int | None,
        retry_after: str | None,
        waited: float,
        now: datetime | None = None,
    ) -> float | None:
        """Seconds to wait before try `attempt + 1`, or None to give up now.

        `status` None means the connection failed; `waited` is what this call already waited.
        """
        if method.upper() not in RETRY_METHODS or attempt >= self.attempts:
            return None
        if status is not None and status not in RETRY_STATUSES:
            return None
        wait = parse_retry_after(retry_after, now)
        if wait is None:
            wait = backoff(attempt, self.base_delay, self.max_wait)
        wait = min(wait, self.max_wait)
        wait += wait * self.jitter * self.rng.random()
        if waited + wait > self.max_total:
            return None
        return wait
