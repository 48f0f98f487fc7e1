"""Single-record reads: one legacy request and its new counterpart per binding, compared.

Bindings are consumed `concurrency` at a time while they are still being read; the first
`noise_sample` records are read twice on the legacy side to learn volatile fields.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from migrate.errors import ConversionError
from migrate.shadow.canonical import Record, Side
from migrate.shadow.checking import CheckContext, OperationState, judge
from migrate.shadow.classify import SUSPECT, Evaluation
from migrate.shadow.fetch import FetchError, Reply, single
from migrate.shadow.noise import learn
from migrate.shadow.recheck import recheck_single


async def compare_singles(ctx: CheckContext, state: OperationState,
                          bindings: AsyncGenerator[dict[str, str], None]) -> None:
    """Compare one record per binding, `concurrency` at a time, ids read as they go."""
    workers = max(1, ctx.limits.concurrency)
    queue: asyncio.Queue[tuple[int, dict[str, str]] | None] = asyncio.Queue(workers * 2)
    params = list(state.operation.legacy.params)

    async def produce() -> None:
        try:
            index = 0
            async for binding in bindings:
                await queue.put((index, binding))
                index += 1
        except (FetchError, ConversionError) as exc:
            ctx.sink.error(state, exc, prefix="cannot find records to compare: ")
        finally:
            for _ in range(workers):
                await queue.put(None)

    async def work() -> None:
        while (item := await queue.get()) is not None:
            index, binding = item
            key = binding.get(params[-1]) if params else None
            await _single(ctx, state, binding, key, learn_noise=index < ctx.limits.noise_sample)

    await asyncio.gather(produce(), *(work() for _ in range(workers)))


async def _single(ctx: CheckContext, state: OperationState, binding: dict[str, str],
                  key: str | None, learn_noise: bool) -> None:
    try:
        first = await fetch_one(ctx, state, binding, learn_noise)
    except (FetchError, ConversionError) as exc:
        ctx.sink.error(state, exc, key)
        return
    if first is None:
        state.tally.notes.add("records absent on both APIs were skipped")
        return
    if key is None:
        key = state.projection.key(first.legacy or first.new or {})
    if first.outcome not in SUSPECT or ctx.limits.recheck <= 0:
        ctx.sink.final(state, key, first)
        return

    async def look_again() -> Evaluation | None:
        return await fetch_one(ctx, state, binding, False)

    final, used = await recheck_single(ctx, state, first, look_again)
    ctx.sink.final(state, key, final, used)


async def fetch_one(ctx: CheckContext, state: OperationState, binding: dict[str, str],
                    learn_noise: bool) -> Evaluation | None:
    """Both sides of one record, judged; None when neither API has it."""
    legacy_call = state.calls.legacy(binding)
    via_compat = ctx.via_compat(state)
    new_api = ctx.compat if via_compat and ctx.compat is not None else ctx.new
    new_call = legacy_call if via_compat else state.calls.new(binding)
    legacy_reply, new_reply = await asyncio.gather(
        single(ctx.legacy, legacy_call), single(new_api, new_call)
    )
    legacy = _one(state, "legacy", legacy_reply)
    new = _one(state, "legacy" if via_compat else "new", new_reply, side="new")
    if learn_noise and legacy is not None:
        again = await single(ctx.legacy, legacy_call)
        twin = _one(state, "legacy", again)
        learn(state, legacy_reply, [legacy], again, [twin] if twin else [])
    return judge(state, legacy, new)


def _one(state: OperationState, shape: Side, reply: Reply,
         side: str | None = None) -> Record | None:
    if reply.status == 404:
        return None
    try:
        records = state.projection.records(shape, reply.body)
    except ConversionError as exc:
        raise FetchError(side or shape, reply.request, f"cannot read the record: {exc}") from None
    return records[0] if records else None
