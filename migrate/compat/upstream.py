"""Limits on one exchange with the new API: a total deadline, a body cap, no surprise encodings.

The httpx timeout is per read, so an upstream that trickles one byte every few seconds would
hold a call forever; `Deadline` bounds the whole legacy call instead. Bodies are read raw and
counted, and a `Content-Encoding` we never asked for (we send `Accept-Encoding: identity`) is
refused before a byte of it is inflated, so a gzip bomb costs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx

from migrate.compat.messages import NewResponse

# Errors raised before the request could reach the server: sending again is always safe.
UNSENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class UpstreamRefused(Exception):
    """The exchange was stopped here (too big, unasked encoding, deadline); no retry."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Deadline:
    """The end of one legacy call's time budget, on the monotonic clock."""

    seconds: float
    end: float = field(default=0.0)

    @classmethod
    def start(cls, seconds: float) -> Deadline:
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def check(self) -> None:
        if self.remaining() <= 0:
            raise self.passed()

    def passed(self) -> UpstreamRefused:
        return UpstreamRefused(
            504,
            "DEADLINE_EXCEEDED",
            f"the new API did not finish within the {self.seconds:g} s deadline of this call",
        )


def check_encoding(response: httpx.Response) -> None:
    """Refuse a compressed body: we asked for identity, so inflating it is a blind risk."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise UpstreamRefused(
            502,
            "ENCODING_REFUSED",
            f"the new API sent a body with Content-Encoding {encoding!r} that was not asked "
            "for; it was not decoded",
        )


def _too_big(limit: int) -> UpstreamRefused:
    return UpstreamRefused(
        502, "BODY_TOO_LARGE", f"the new API's answer is larger than the {limit}-byte limit"
    )


def _declared_too_big(response: httpx.Response, limit: int) -> bool:
    declared = response.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > limit


def _already_read(response: httpx.Response, limit: int) -> bytes | None:
    """The body of a response built in memory (a mock, a cached answer); None if streamed."""
    if not response.is_stream_consumed:  # a network answer: nothing read yet
        return None
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    if len(content) > limit:
        raise _too_big(limit)
    return content


def _raw_chunks(response: httpx.Response) -> Iterable[bytes]:
    """The raw body's chunks straight from the transport's stream, as `iter_raw()` yields
    them without its re-chunking and bookkeeping (the response is closed and dropped after
    this read); `iter_raw()` itself for anything but an unread synchronous stream."""
    stream = response.stream
    if (
        response.is_stream_consumed
        or response.is_closed
        or not isinstance(stream, httpx.SyncByteStream)
    ):
        return response.iter_raw()
    response.is_stream_consumed = True
    return stream


def read_capped(response: httpx.Response, limit: int, deadline: Deadline) -> bytes:
    """The raw body, at most `limit` bytes, read before `deadline`; closes the response."""
    try:
        check_encoding(response)
        if _declared_too_big(response, limit):
            raise _too_big(limit)
        ready = _already_read(response, limit)
        if ready is not None:
            return ready
        chunks: list[bytes] = []
        size = 0
        for chunk in _raw_chunks(response):
            size += len(chunk)
            if size > limit:
                raise _too_big(limit)
            chunks.append(chunk)
            deadline.check()
        return b"".join(chunks)
    finally:
        response.close()


async def aread_capped(response: httpx.Response, limit: int) -> bytes:
    """The async twin of `read_capped`; the caller's `asyncio.timeout` is the deadline."""
    try:
        check_encoding(response)
        if _declared_too_big(response, limit):
            raise _too_big(limit)
        ready = _already_read(response, limit)
        if ready is not None:
            return ready
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > limit:
                raise _too_big(limit)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        await response.aclose()


def settled(response: httpx.Response, content: bytes) -> NewResponse:
    """The read answer, for the retry and redirect policy: its headers as httpx parsed them
    (case-insensitive, not copied) and the capped body."""
    return NewResponse(response.status_code, response.headers, content)
