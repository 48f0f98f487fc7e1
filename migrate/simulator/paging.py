"""Both APIs' paging, over rows already in their stable order.

Legacy: `pageOffset` (0-based record offset) and `pageSize`, answered with
`metadata.pageInfo {pageSize, totalCount, nextPageOffset}`; nextPageOffset is null on the last
page (the default size is in `assumptions`; no maximum is documented). New: keyset cursors.
A cursor is the base32 of the row's position key (its sort values and its `seq`), so it
matches the specs' `^[A-Z2-7=~]+$`, and a page that starts after a cursor stays right while
rows are added elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Rank = tuple[Any, ...]

NEW_DEFAULT_LIMIT = 50
NEW_MAX_LIMIT = 1000
PAGE_ORDERS = ("ASC", "ASC_NULLS_FIRST", "ASC_NULLS_LAST", "DESC", "DESC_NULLS_FIRST",
               "DESC_NULLS_LAST")


class PagingError(ValueError):
    """A paging parameter that cannot be honoured (answered with 400)."""


@dataclass(frozen=True)
class LegacyPage(Generic[T]):
    items: list[T]
    page_size: int
    total: int
    next_offset: int | None

    def page_info(self) -> dict[str, Any]:
        return {"pageSize": self.page_size, "totalCount": self.total,
                "nextPageOffset": self.next_offset}


def legacy_page(rows: Sequence[T], offset: int, size: int) -> LegacyPage[T]:
    items = list(rows[offset:offset + size])
    following = offset + size
    return LegacyPage(items, size, len(rows), following if following < len(rows) else None)


@dataclass(frozen=True)
class CursorRequest:
    before: str | None = None
    after: str | None = None
    offset: int | None = None
    limit: int = NEW_DEFAULT_LIMIT
    sorting_keys: tuple[str, ...] = ()
    sorting_order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        given = [p for p in (self.before, self.after, self.offset) if p is not None]
        if len(given) > 1:
            raise PagingError("before, after and offset cannot be used together")
        if self.sorting_order and len(self.sorting_order) != len(self.sorting_keys):
            raise PagingError("sorting_order must have one order per sorting key")


@dataclass(frozen=True)
class CursorPage(Generic[T]):
    items: list[T]
    has_next: bool
    has_previous: bool
    start_cursor: str | None
    end_cursor: str | None
    total: int


def encode_cursor(rank: Rank) -> str:
    return base64.b32encode(json.dumps(rank, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> Rank:
    try:
        raw = json.loads(base64.b32decode(cursor.encode(), casefold=False))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise PagingError("invalid cursor") from error
    if not isinstance(raw, list):
        raise PagingError("invalid cursor")
    return tuple(_tuples(v) for v in raw)


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def cursor_page(
    rows: Sequence[T], rank: Callable[[T], Rank], request: CursorRequest
) -> CursorPage[T]:
    """One page of rows sorted ascending by `rank`."""
    n, limit = len(rows), request.limit
    try:
        if request.after is not None:
            start = bisect_right(rows, decode_cursor(request.after), key=rank)
            stop = min(n, start + limit)
        elif request.before is not None:
            stop = bisect_left(rows, decode_cursor(request.before), key=rank)
            start = max(0, stop - limit)
        else:
            start = min(n, request.offset or 0)
            stop = min(n, start + limit)
    except TypeError as error:  # a cursor from another sort order
        raise PagingError("the cursor does not belong to this sort order") from error
    items = list(rows[start:stop])
    return CursorPage(
        items=items, has_next=stop < n, has_previous=start > 0,
        start_cursor=encode_cursor(rank(items[0])) if items else None,
        end_cursor=encode_cursor(rank(items[-1])) if items else None, total=n,
    )


def seq_rank(row: Any) -> Rank:
    return (row.seq,)


def sorted_rank(
    keys: Sequence[str], orders: Sequence[str], getters: dict[str, Callable[[Any], Any]]
) -> Callable[[Any], Rank]:
    """A rank for `sorting_keys`/`sorting_order`, ascending in the requested order, `seq` last.

    Values must be ints (epoch ms) or equal-length strings (ids) so DESC can be expressed by
    negation; nulls go last for ASC and first for DESC unless the order says otherwise.
    """
    parts: list[tuple[Callable[[Any], Any], bool, bool]] = []
    for index, key in enumerate(keys):
        if key not in getters:
            raise PagingError(f"unknown sorting key {key!r}; use one of {sorted(getters)}")
        order = orders[index] if index < len(orders) else "ASC"
        if order not in PAGE_ORDERS:
            raise PagingError(f"unknown sorting order {order!r}")
        descending = order.startswith("DESC")
        nulls_first = order.endswith("NULLS_FIRST") or (descending and "NULLS" not in order)
        parts.append((getters[key], descending, nulls_first))

    def rank(row: Any) -> Rank:
        out: list[Any] = []
        for getter, descending, nulls_first in parts:
            value = getter(row)
            if value is None:
                out.append((0 if nulls_first else 2, 0))
                continue
            if descending:
                value = -value if isinstance(value, int) else [-ord(c) for c in value]
            out.append((1, value))
        out.append(row.seq)
        return tuple(_tuples(v) for v in out)

    return rank
