"""List reads: both APIs paged side by side and records joined on their canonical id.

The legacy API's records are the reference (at most `sample` of them); the new API is read
until every sampled record has been seen or its list ends. Both sides are read one page ahead
at the same time, so only records still waiting for their counterpart are held in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from migrate.errors import ConversionError
from migrate.shadow.canonical import Record
from migrate.shadow.checking import CheckContext, OperationState
from migrate.shadow.classify import AGREEING, Evaluation
from migrate.shadow.fetch import FetchError, Page
from migrate.shadow.noise import learn_from_page
from migrate.shadow.recheck import recheck_list


async def compare_list(ctx: CheckContext, state: OperationState,
                       binding: dict[str, str]) -> None:
    """Pair one list's records across both APIs, then re-check the ones that disagree."""
    pairing = _ListPairing(ctx, state)
    await pairing.read(binding)
    pairing.settle_unpaired()
    if pairing.suspects:
        await recheck_list(ctx, state, binding, pairing.suspects)


class _ListPairing:
    """The records of one list still waiting for their counterpart, and how each side ended."""

    def __init__(self, ctx: CheckContext, state: OperationState) -> None:
        self.ctx = ctx
        self.state = state
        self.pending_legacy: dict[str, Record] = {}
        self.pending_new: dict[str, Record] = {}
        self.suspects: dict[str, Evaluation] = {}
        self.legacy_done = False
        self.new_done = False
        self.legacy_complete = True  # False: the legacy list was cut (sample, failure)
        self.legacy_failed: FetchError | None = None
        self.new_failed: FetchError | None = None

    async def read(self, binding: dict[str, str]) -> None:
        legacy_pages = self.ctx.legacy_pages(self.state, binding)
        new_pages = self.ctx.new_pages(self.state, binding)
        try:
            while not (self.legacy_done and self.new_done):
                want_legacy = not self.legacy_done
                want_new = not self.new_done and (
                    not self.legacy_done or bool(self.pending_legacy) or self.legacy_complete
                )
                if not want_legacy and not want_new:
                    break
                legacy_page, new_page = await asyncio.gather(
                    _next(legacy_pages) if want_legacy else _none(),
                    _next(new_pages) if want_new else _none(),
                )
                if want_legacy:
                    await self._take_legacy(legacy_page)
                if want_new:
                    self._take_new(new_page)
                if self.legacy_done and not self.legacy_complete and not self.pending_legacy:
                    self.new_done = True
        finally:
            await legacy_pages.aclose()
            await new_pages.aclose()

    async def _take_legacy(self, page: Page | FetchError | None) -> None:
        state = self.state
        if isinstance(page, FetchError):
            self.legacy_failed, self.legacy_done, self.legacy_complete = page, True, False
            self.ctx.sink.error(state, page)
            return
        if page is None:
            self.legacy_done = True
            return
        await learn_from_page(self.ctx, state, page)
        for record in page.records:
            if state.budget is not None and state.budget <= 0:
                self.legacy_done, self.legacy_complete = True, False
                break
            if state.budget is not None:
                state.budget -= 1
            key = state.projection.key(record)
            if key is None:
                self.ctx.sink.no_id(state, "legacy")
            elif key in self.pending_new:
                self._pair(key, record, self.pending_new.pop(key))
            else:
                self.pending_legacy[key] = record

    def _take_new(self, page: Page | FetchError | None) -> None:
        if isinstance(page, FetchError):
            self.new_failed, self.new_done = page, True
            self.ctx.sink.error(self.state, page)
            return
        if page is None:
            self.new_done = True
            return
        for record in page.records:
            key = self.state.projection.key(record)
            if key is None:
                self.ctx.sink.no_id(self.state, "new")
            elif key in self.pending_legacy:
                self._pair(key, self.pending_legacy.pop(key), record)
            elif not self.legacy_done or self.legacy_complete:
                self.pending_new[key] = record

    def settle_unpaired(self) -> None:
        """Records seen on one side only: missing, extra (or expected), or not judged."""
        state, sink = self.state, self.ctx.sink
        for key, record in self.pending_legacy.items():
            if self.new_failed is not None:
                sink.error(state, self.new_failed, key, prefix="not compared: ")
            else:
                self._suspect(key, Evaluation("missing-in-new", legacy=record))
        if self.legacy_complete and self.legacy_failed is None:
            for key, record in self.pending_new.items():
                if state.extra_reason is not None:
                    sink.final(state, key, Evaluation("expected", new=record,
                                                      reason=state.extra_reason))
                else:
                    self._suspect(key, Evaluation("extra-in-new", new=record))
        elif self.pending_new:
            state.tally.notes.add(
                f"{len(self.pending_new)} new-API records outside the legacy sample were not "
                "judged"
            )

    def _pair(self, key: str, legacy: Record, new: Record) -> None:
        evaluation = self.state.classifier.evaluate(legacy, new)
        if evaluation.outcome in AGREEING:
            self.ctx.sink.final(self.state, key, evaluation)
        else:
            self._suspect(key, evaluation)

    def _suspect(self, key: str, evaluation: Evaluation) -> None:
        limits = self.ctx.limits
        if limits.recheck > 0 and len(self.suspects) < limits.recheck_limit:
            self.suspects[key] = evaluation
        else:
            self.ctx.sink.final(self.state, key, evaluation)


async def _next(pages: AsyncGenerator[Page, None]) -> Page | FetchError | None:
    try:
        return await anext(pages)
    except StopAsyncIteration:
        return None
    except FetchError as exc:
        return exc
    except ConversionError as exc:
        return FetchError("new", "", str(exc))


async def _none() -> None:
    return None
