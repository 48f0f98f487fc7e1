"""Noise learning: the first legacy requests are sent twice, and what differs between the two
answers (record fields, envelope keys, headers) is volatile, so it is noise, not a defect."""

from __future__ import annotations

from migrate.errors import ConversionError
from migrate.shadow.canonical import Record
from migrate.shadow.checking import CheckContext, OperationState
from migrate.shadow.fetch import FetchError, Page, Reply, envelope_rest

# Response headers that differ between any two calls for reasons of transport, not data.
TRANSPORT_HEADERS = frozenset({"date", "content-length", "connection", "keep-alive",
                               "transfer-encoding", "server"})


async def learn_from_page(ctx: CheckContext, state: OperationState, page: Page) -> None:
    """Read a legacy page again, while the operation's noise sample lasts, and learn from it."""
    if state.noise_left <= 0:
        return
    state.noise_left -= 1
    try:
        again = await ctx.legacy.send(page.call)
        second = state.projection.records("legacy", again.body)
    except (FetchError, ConversionError):
        return  # noise learning is best effort; the comparison goes on
    learn(state, page.reply, page.records, again, second)


def learn(state: OperationState, first: Reply, first_records: list[Record], second: Reply,
          second_records: list[Record]) -> None:
    """What differs between two answers to the same legacy request is volatile."""
    projection = state.projection
    by_id = {projection.key(r): r for r in second_records}
    for record in first_records:
        twin = by_id.get(projection.key(record))
        if twin is not None:
            state.volatility.learn_records(projection, record, twin)
    key = projection.legacy_envelope.key
    state.volatility.learn_envelope(envelope_rest(first.body, key),
                                    envelope_rest(second.body, key))
    state.volatility.learn_headers(
        {k: v for k, v in first.headers.items() if k not in TRANSPORT_HEADERS},
        {k: v for k, v in second.headers.items() if k not in TRANSPORT_HEADERS},
    )
