"""Remembers new-API cursors by legacy offset, so walking legacy pages costs one call each.

Keyed by operation, path parameters, filters and company: two different queries never share
cursors. Bounded (least recently used keys go first) and safe to share between threads.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Hashable


class CursorCache:
    def __init__(self, max_queries: int = 256, max_positions: int = 10_000) -> None:
        self._max_queries = max_queries
        self._max_positions = max_positions
        self._lock = threading.Lock()
        self._queries: OrderedDict[Hashable, tuple[list[int], dict[int, str]]] = OrderedDict()

    def remember(self, query: Hashable, position: int, cursor: str) -> None:
        """`cursor` (an endCursor) continues right at record `position`."""
        with self._lock:
            entry = self._queries.get(query)
            if entry is None:
                entry = ([], {})
                self._queries[query] = entry
                while len(self._queries) > self._max_queries:
                    self._queries.popitem(last=False)
            self._queries.move_to_end(query)
            positions, cursors = entry
            if position not in cursors:
                if len(positions) >= self._max_positions:
                    cursors.pop(positions.pop(0), None)
                bisect.insort(positions, position)
            cursors[position] = cursor

    def exact(self, query: Hashable, position: int) -> str | None:
        with self._lock:
            entry = self._queries.get(query)
            return None if entry is None else entry[1].get(position)

    def nearest_below(self, query: Hashable, position: int) -> tuple[int, str | None]:
        """The known cursor closest below `position`, or (0, None) to start from the top."""
        with self._lock:
            entry = self._queries.get(query)
            if entry is None:
                return 0, None
            positions, cursors = entry
            index = bisect.bisect_right(positions, position) - 1
            if index < 0:
                return 0, None
            found = positions[index]
            return found, cursors[found]
