"""An in-memory table of frozen records in insertion order, with an optional lagged view.

Rows are kept per company in dicts, whose insertion order is the `seq` order both APIs page
by; replacing a row keeps its place. When lag is on, every change remembers the row it
replaced, so `view(cutoff)` can show the table as it was at `cutoff`: what the `lag` drift
profile serves to the new API.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterator
from typing import Generic, Protocol, TypeVar


class Row(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def company_id(self) -> str: ...
    @property
    def seq(self) -> int: ...


R = TypeVar("R", bound=Row)


def _seq(row: Row) -> int:
    return row.seq


class Table(Generic[R]):
    """Rows by id and by company; every method takes the store's lock."""

    def __init__(self, lock: threading.RLock, clock: Callable[[], float]) -> None:
        self._lock = lock
        self._clock = clock
        self._rows: dict[str, R] = {}
        self._by_company: dict[str, dict[str, R]] = {}
        self._counter = itertools.count(1)
        self._changes: deque[tuple[float, str, R | None]] = deque()
        self.keep_history_seconds = 0.0  # > 0 while the lag profile is on

    def next_seq(self) -> int:
        return next(self._counter)

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, row_id: str) -> R | None:
        return self._rows.get(row_id)

    def put(self, row: R) -> None:
        """Insert a new row or replace the row with the same id (keeping its position)."""
        with self._lock:
            previous = self._rows.get(row.id)
            self._remember(row.id, previous)
            self._rows[row.id] = row
            self._by_company.setdefault(row.company_id, {})[row.id] = row

    def load(self, rows: Iterator[R] | list[R]) -> None:
        """Bulk insert for seeding: no history, no lock churn."""
        with self._lock:
            for row in rows:
                self._rows[row.id] = row
                self._by_company.setdefault(row.company_id, {})[row.id] = row

    def delete(self, row_id: str) -> R | None:
        with self._lock:
            row = self._rows.pop(row_id, None)
            if row is not None:
                self._remember(row_id, row)
                del self._by_company[row.company_id][row_id]
            return row

    def rows(self, company_ids: Collection[str] | None = None) -> list[R]:
        """Rows of the given companies (all when None) in seq order."""
        with self._lock:
            if company_ids is None:
                return list(self._rows.values())
            parts = [list(self._by_company.get(c, {}).values()) for c in company_ids]
        if len(parts) == 1:
            return parts[0]
        return list(heapq.merge(*parts, key=_seq))

    def view(self, cutoff: float | None) -> TableView[R]:
        """The table as it was at wall-clock `cutoff` (now when None or nothing changed since)."""
        overlay: dict[str, R | None] = {}
        if cutoff is not None:
            with self._lock:
                for when, row_id, previous in reversed(self._changes):
                    if when <= cutoff:
                        break
                    overlay[row_id] = previous
        return TableView(self, overlay)

    def _remember(self, row_id: str, previous: R | None) -> None:
        if self.keep_history_seconds <= 0:
            return
        now = self._clock()
        self._changes.append((now, row_id, previous))
        horizon = now - self.keep_history_seconds - 1.0
        while self._changes and self._changes[0][0] < horizon:
            self._changes.popleft()


class TableView(Generic[R]):
    """Read access to a table, with rows changed after a cutoff shown as they were before."""

    def __init__(self, table: Table[R], overlay: dict[str, R | None]) -> None:
        self._table = table
        self._overlay = overlay

    def get(self, row_id: str) -> R | None:
        if row_id in self._overlay:
            return self._overlay[row_id]
        return self._table.get(row_id)

    def rows(self, company_ids: Collection[str] | None = None) -> list[R]:
        current = self._table.rows(company_ids)
        if not self._overlay:
            return current
        kept = [r for r in current if r.id not in self._overlay]
        old = [
            r
            for r in self._overlay.values()
            if r is not None and (company_ids is None or r.company_id in company_ids)
        ]
        return sorted(kept + old, key=_seq)
