"""When to try a new-API call again, and how long to wait first. Pure: no clock, no sleep.

A read (GET, HEAD, or a `POST …:search` behind a legacy list) is retried on 429/502/503/504
and on connection errors. A write is retried only when it certainly did not take effect: the
connection never opened, or the server answered 429 (rate limited before doing anything).
After any other failure a write "may have been applied" and is never sent again.
`Retry-After` (seconds or an HTTP date, read by `migrate.pleo`) is honoured; one beyond the
cap means "not before then", so the call gives up at once and the 429 is passed on. Waits
get jitter so clients spread out, and the whole call has a time budget.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from migrate.pleo import backoff, parse_retry_after

READ_METHODS = frozenset({"GET", "HEAD"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# The answer that proves the server did nothing (rate limited): a write may be sent again.
REFUSED_STATUSES = frozenset({429})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    base_delay: float = 0.5
    max_wait: float = 30.0  # cap for one wait; a longer Retry-After means give up now
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
        *,
        read: bool | None = None,
        unsent: bool = False,
    ) -> float | None:
        """Seconds to wait before try `attempt + 1`, or None to give up now.

        `status` None means the connection failed, and `unsent` that it failed before the
        request could reach the server. `read` says the call changes nothing (default: GET or
        HEAD). `waited` is what this call already waited.
        """
        if attempt >= self.attempts or not self.may_retry(method, status, read, unsent):
            return None
        wait = parse_retry_after(retry_after, now)
        if wait is not None and wait > self.max_wait:
            return None
        if wait is None:
            wait = backoff(attempt, self.base_delay, self.max_wait)
        wait += wait * self.jitter * self.rng.random()
        if waited + wait > self.max_total:
            return None
        return wait

    @staticmethod
    def may_retry(method: str, status: int | None, read: bool | None, unsent: bool) -> bool:
        """Whether sending again is safe: reads always, writes only when nothing happened."""
        if status is not None and status not in RETRY_STATUSES:
            return False
        if read if read is not None else method.upper() in READ_METHODS:
            return True
        return unsent if status is None else status in REFUSED_STATUSES
