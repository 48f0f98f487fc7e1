"""Re-checks: records that disagree are read again after a back-off, to tell lag from defects.

Agreement on any re-check makes the first difference lag; otherwise the last look stands
(`classify.settle`). A re-check that fails stops the re-checks, not the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable

from migrate.errors import ConversionError
from migrate.pleo import backoff
from migrate.shadow.canonical import Record
from migrate.shadow.checking import CheckContext, OperationState, judge
from migrate.shadow.classify import AGREEING, Evaluation, settle
from migrate.shadow.fetch import FetchError, Page

AGREED_ABSENT = Evaluation("match")  # gone on both sides: they agree


async def recheck_list(ctx: CheckContext, state: OperationState, binding: dict[str, str],
                       suspects: dict[str, Evaluation]) -> None:
    """Re-read both lists for the suspect ids, round by round, then record every verdict."""
    history: dict[str, list[Evaluation]] = {key: [] for key in suspects}
    rounds = 0
    for round_number in range(1, ctx.limits.recheck + 1):
        open_keys = [k for k in suspects if not _agreed(history[k])]
        if not open_keys:
            break
        await ctx.sleep(backoff(round_number, ctx.limits.recheck_backoff))
        try:
            legacy_seen, new_seen = await asyncio.gather(
                _collect(ctx.legacy_pages(state, binding), set(open_keys), state),
                _collect(ctx.new_pages(state, binding), set(open_keys), state),
            )
        except FetchError as exc:
            state.tally.notes.add(f"a re-check stopped early: {exc}")
            break
        rounds = round_number
        for key in open_keys:
            look = judge(state, legacy_seen.get(key), new_seen.get(key))
            history[key].append(look or AGREED_ABSENT)
    for key, first in suspects.items():
        final, used = settle(first, history[key])
        ctx.sink.final(state, key, final, used or rounds if final.outcome == "lag" else used)


async def recheck_single(
    ctx: CheckContext, state: OperationState, first: Evaluation,
    look_again: Callable[[], Awaitable[Evaluation | None]],
) -> tuple[Evaluation, int]:
    """Look at one record again until it agrees or the re-checks run out; the final word."""
    history: list[Evaluation] = []
    for round_number in range(1, ctx.limits.recheck + 1):
        await ctx.sleep(backoff(round_number, ctx.limits.recheck_backoff))
        try:
            again = await look_again()
        except (FetchError, ConversionError) as exc:
            state.tally.notes.add(f"a re-check stopped early: {exc}")
            break
        history.append(again or AGREED_ABSENT)
        if history[-1].outcome in AGREEING:
            break
    return settle(first, history)


async def _collect(pages: AsyncGenerator[Page, None], wanted: set[str],
                   state: OperationState) -> dict[str, Record]:
    found: dict[str, Record] = {}
    try:
        async for page in pages:
            for record in page.records:
                key = state.projection.key(record)
                if key in wanted:
                    found[key] = record
            if len(found) == len(wanted):
                break
    finally:
        await pages.aclose()
    return found


def _agreed(history: list[Evaluation]) -> bool:
    return bool(history) and history[-1].outcome in AGREEING
