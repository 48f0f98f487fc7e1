"""One operation compared: drain both APIs, join on id, compare, classify, re-check.

The legacy API's records are the reference (at most `sample` of them); the new API is read
until every sampled record has been seen or its list ends. Both sides are read page by page at
the same time, one page ahead, and joined on the canonical `id`, so only records still waiting
for their counterpart are held in memory. The first legacy requests are sent twice to learn
volatile fields; records that disagree are re-read after a back-off to tell lag from defects.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from migrate.errors import ConversionError
from migrate.mapping.catalogue import Catalogue
from migrate.mapping.model import Operation
from migrate.pleo import backoff
from migrate.shadow.canonical import Projection, Record, Side
from migrate.shadow.classify import (
    AGREEING,
    SUSPECT,
    Classifier,
    Evaluation,
    Volatility,
    settle,
)
from migrate.shadow.config import Limits
from migrate.shadow.fetch import (
    Api,
    Calls,
    FetchError,
    Page,
    Reply,
    ahead,
    envelope_rest,
    legacy_pages,
    new_pages,
    parents,
    single,
)
from migrate.shadow.plan import Step
from migrate.shadow.results import OperationTally, RecordResult, ResultWriter, Summary

# Response headers that differ between any two calls for reasons of transport, not data.
TRANSPORT_HEADERS = frozenset({"date", "content-length", "connection", "keep-alive",
                               "transfer-encoding", "server"})
OPERATION_LOSS = "(operation)"


class Progress(Protocol):
    def start(self, operation: str) -> None: ...
    def advance(self, operation: str, records: int) -> None: ...
    def done(self, operation: str, tally: OperationTally) -> None: ...


class NoProgress:
    def start(self, operation: str) -> None:
        pass

    def advance(self, operation: str, records: int) -> None:
        pass

    def done(self, operation: str, tally: OperationTally) -> None:
        pass


@dataclass
class _Op:
    """One step in progress: its operation, projection, classifier and tally."""

    step: Step
    operation: Operation
    projection: Projection
    classifier: Classifier
    volatility: Volatility
    calls: Calls
    tally: OperationTally
    noise_left: int
    budget: int | None  # records still to sample; None: all
    extra_reason: str | None


class Engine:
    """Compares the planned operations one after the other, streaming every result."""

    def __init__(
        self,
        catalogue: Catalogue,
        limits: Limits,
        company_id: str | None,
        legacy: Api,
        new: Api,
        writer: ResultWriter,
        summary: Summary,
        progress: Progress,
        sleep: Callable[[float], Awaitable[None]],
        compat: Api | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.limits = limits
        self.company_id = company_id
        self.legacy = legacy
        self.new = new
        self.compat = compat
        self.writer = writer
        self.summary = summary
        self.progress = progress
        self.sleep = sleep

    # --- results ----------------------------------------------------------------------------

    def emit(self, result: RecordResult) -> None:
        self.writer.write(result)
        self.summary.tally(result.operation).add(result)
        self.progress.advance(result.operation, 1)

    def _final(self, op: _Op, record_id: str | None, evaluation: Evaluation,
               rechecks: int = 0) -> None:
        self.emit(
            RecordResult(
                operation=op.operation.id,
                outcome=evaluation.outcome,
                record_id=record_id,
                findings=evaluation.findings,
                reason=evaluation.reason,
                rechecks=rechecks,
                step=op.step.label,
            )
        )

    def _error(self, op: _Op, error: FetchError | ConversionError, record_id: str | None = None,
               prefix: str = "") -> None:
        self._failed(op.operation.id, op.step.label, error, record_id, prefix)

    def _failed(self, operation: str, label: str, error: FetchError | ConversionError,
                record_id: str | None = None, prefix: str = "") -> None:
        side = error.side if isinstance(error, FetchError) else None
        self.emit(RecordResult(operation=operation, outcome="error", record_id=record_id,
                               error=prefix + str(error), side=side, step=label))

    # --- one step ---------------------------------------------------------------------------

    async def step(self, step: Step) -> None:
        operation = self.catalogue.get(step.operation)
        projection = Projection(self.catalogue, operation)
        tally = self.summary.tallies.get(operation.id)
        if tally is None:
            losses = [(loss.field or OPERATION_LOSS, loss.reason) for loss in projection.losses()]
            tally = OperationTally(operation.id, projection.comparable_fields(), losses)
            self.summary.tallies[operation.id] = tally
        volatility = Volatility()
        self.progress.start(operation.id)
        try:
            calls = Calls(self.catalogue, operation, step, self.company_id,
                          self.limits)
        except ConversionError as exc:
            self._failed(operation.id, step.label, exc)
            self.progress.done(operation.id, tally)
            return
        op = _Op(
            step=step, operation=operation, projection=projection,
            classifier=Classifier(projection, volatility), volatility=volatility, calls=calls,
            tally=tally, noise_left=self.limits.noise_sample, budget=self.limits.sample,
            extra_reason="; ".join(calls.unapplied) or None,
        )
        tally.notes.update(calls.notes)
        if operation.kind == "flow":
            tally.notes.add(f"new side read through the compat layer's flow {operation.flow!r}")
        if calls.unapplied:
            tally.notes.update(f"not applied on the new API: {text}" for text in calls.unapplied)
        bindings = self._bindings(op)
        try:
            if operation.response is not None and operation.response.legacy.many:
                async for binding in bindings:
                    if op.budget is not None and op.budget <= 0:
                        break
                    await self._list(op, binding)
            else:
                await self._singles(op, bindings)
        except (FetchError, ConversionError) as exc:
            self._error(op, exc, prefix="cannot find records to compare: ")
        finally:
            await bindings.aclose()
        tally.noise_fields.update(volatility.fields)
        tally.noise_envelope.update(volatility.envelope)
        tally.noise_headers.update(volatility.headers)
        self.progress.done(operation.id, tally)

    async def _bindings(self, op: _Op) -> AsyncGenerator[dict[str, str], None]:
        """Values for every legacy path parameter: the step's own, or ids read from lists.

        Streamed (ids are read page by page as they are needed), and at most `sample` of
        them for a single-record operation.
        """
        chain = parents(self.catalogue, op.operation)
        is_list = op.operation.response is not None and op.operation.response.legacy.many
        limit = None if is_list else self.limits.sample
        count = 0
        expanded = self._expand(dict(op.step.path_params), chain, 0)
        try:
            async for binding in expanded:
                yield binding
                count += 1
                if limit is not None and count >= limit:
                    return
        finally:
            await expanded.aclose()

    async def _expand(
        self, binding: dict[str, str], chain: Sequence[tuple[str, Operation]], index: int
    ) -> AsyncGenerator[dict[str, str], None]:
        if index == len(chain):
            yield binding
            return
        param, source = chain[index]
        values = (
            _given(binding[param]) if param in binding else self._legacy_ids(source, binding)
        )
        try:
            async for value in values:
                inner = self._expand({**binding, param: value}, chain, index + 1)
                try:
                    async for found in inner:
                        yield found
                finally:
                    await inner.aclose()
        finally:
            await values.aclose()

    async def _legacy_ids(
        self, source: Operation, binding: Mapping[str, str]
    ) -> AsyncGenerator[str, None]:
        """The ids of a legacy list, page by page (the legacy API is the reference)."""
        projection = Projection(self.catalogue, source)
        calls = Calls(self.catalogue, source, Step(source.id, source="discovery"),
                      self.company_id, self.limits)
        pages = legacy_pages(self.legacy, calls, projection, binding)
        try:
            async for page in pages:
                for record in page.records:
                    key = projection.key(record)
                    if key is not None:
                        yield key
        finally:
            await pages.aclose()

    # --- lists ------------------------------------------------------------------------------

    def _new_pages(self, op: _Op, binding: dict[str, str]) -> AsyncGenerator[Page, None]:
        if op.operation.kind == "flow" and self.compat is not None:
            return ahead(legacy_pages(self.compat, op.calls, op.projection, binding))
        return ahead(new_pages(self.new, op.calls, op.projection, binding))

    async def _list(self, op: _Op, binding: dict[str, str]) -> None:
        legacy_iter = ahead(legacy_pages(self.legacy, op.calls, op.projection, binding))
        new_iter = self._new_pages(op, binding)
        pending_legacy: dict[str, Record] = {}
        pending_new: dict[str, Record] = {}
        suspects: dict[str, Evaluation] = {}
        legacy_done = new_done = False
        legacy_complete = True
        legacy_failed: FetchError | None = None
        new_failed: FetchError | None = None
        try:
            while not (legacy_done and new_done):
                want_legacy = not legacy_done
                want_new = not new_done and (
                    not legacy_done or bool(pending_legacy) or legacy_complete
                )
                if not want_legacy and not want_new:
                    break
                legacy_page, new_page = await asyncio.gather(
                    _next(legacy_iter) if want_legacy else _none(),
                    _next(new_iter) if want_new else _none(),
                )
                if want_legacy:
                    if isinstance(legacy_page, FetchError):
                        legacy_failed, legacy_done, legacy_complete = legacy_page, True, False
                        self._error(op, legacy_page)
                    elif legacy_page is None:
                        legacy_done = True
                    else:
                        await self._learn_noise(op, legacy_page)
                        for record in legacy_page.records:
                            if op.budget is not None and op.budget <= 0:
                                legacy_done, legacy_complete = True, False
                                break
                            if op.budget is not None:
                                op.budget -= 1
                            key = op.projection.key(record)
                            if key is None:
                                self._no_id(op, "legacy")
                            elif key in pending_new:
                                self._pair(op, key, record, pending_new.pop(key), suspects)
                            else:
                                pending_legacy[key] = record
                if want_new:
                    if isinstance(new_page, FetchError):
                        new_failed, new_done = new_page, True
                        self._error(op, new_page)
                    elif new_page is None:
                        new_done = True
                    else:
                        for record in new_page.records:
                            key = op.projection.key(record)
                            if key is None:
                                self._no_id(op, "new")
                            elif key in pending_legacy:
                                self._pair(op, key, pending_legacy.pop(key), record, suspects)
                            elif not legacy_done or legacy_complete:
                                pending_new[key] = record
                if legacy_done and not legacy_complete and not pending_legacy:
                    new_done = True
        finally:
            await legacy_iter.aclose()
            await new_iter.aclose()
        for key, record in pending_legacy.items():
            if new_failed is not None:
                self._error(op, new_failed, key, prefix="not compared: ")
            else:
                self._suspect(op, key, Evaluation("missing-in-new", legacy=record), suspects)
        if legacy_complete and legacy_failed is None:
            for key, record in pending_new.items():
                if op.extra_reason is not None:
                    self._final(op, key, Evaluation("expected", new=record,
                                                    reason=op.extra_reason))
                else:
                    self._suspect(op, key, Evaluation("extra-in-new", new=record), suspects)
        elif pending_new:
            op.tally.notes.add(
                f"{len(pending_new)} new-API records outside the legacy sample were not judged"
            )
        if suspects:
            await self._recheck_list(op, binding, suspects)

    def _no_id(self, op: _Op, side: str) -> None:
        self.emit(RecordResult(operation=op.operation.id, outcome="error",
                               error=f"a {side} record has no id to match on",
                               side=side, step=op.step.label))

    def _pair(self, op: _Op, key: str, legacy: Record, new: Record,
              suspects: dict[str, Evaluation]) -> None:
        evaluation = op.classifier.evaluate(legacy, new)
        if evaluation.outcome in AGREEING:
            self._final(op, key, evaluation)
        else:
            self._suspect(op, key, evaluation, suspects)

    def _suspect(self, op: _Op, key: str, evaluation: Evaluation,
                 suspects: dict[str, Evaluation]) -> None:
        if self.limits.recheck > 0 and len(suspects) < self.limits.recheck_limit:
            suspects[key] = evaluation
        else:
            self._final(op, key, evaluation)

    async def _learn_noise(self, op: _Op, page: Page) -> None:
        if op.noise_left <= 0:
            return
        op.noise_left -= 1
        try:
            again = await self.legacy.send(page.call)
            second = op.projection.records("legacy", again.body)
        except (FetchError, ConversionError):
            return  # noise learning is best effort; the comparison goes on
        self._learn(op, page.reply, page.records, again, second)

    def _learn(self, op: _Op, first: Reply, first_records: list[Record], second: Reply,
               second_records: list[Record]) -> None:
        by_id = {op.projection.key(r): r for r in second_records}
        for record in first_records:
            twin = by_id.get(op.projection.key(record))
            if twin is not None:
                op.volatility.learn_records(op.projection, record, twin)
        key = op.projection.legacy_envelope.key
        op.volatility.learn_envelope(envelope_rest(first.body, key),
                                     envelope_rest(second.body, key))
        op.volatility.learn_headers(
            {k: v for k, v in first.headers.items() if k not in TRANSPORT_HEADERS},
            {k: v for k, v in second.headers.items() if k not in TRANSPORT_HEADERS},
        )

    async def _recheck_list(self, op: _Op, binding: dict[str, str],
                            suspects: dict[str, Evaluation]) -> None:
        history: dict[str, list[Evaluation]] = {key: [] for key in suspects}
        rounds = 0
        for round_number in range(1, self.limits.recheck + 1):
            open_keys = [k for k in suspects if not _agreed(history[k])]
            if not open_keys:
                break
            await self.sleep(backoff(round_number, self.limits.recheck_backoff))
            try:
                legacy_seen, new_seen = await asyncio.gather(
                    self._collect(ahead(legacy_pages(self.legacy, op.calls, op.projection,
                                                     binding)), set(open_keys), op),
                    self._collect(self._new_pages(op, binding), set(open_keys), op),
                )
            except FetchError as exc:
                op.tally.notes.add(f"a re-check stopped early: {exc}")
                break
            rounds = round_number
            for key in open_keys:
                history[key].append(self._look(op, legacy_seen.get(key), new_seen.get(key)))
        for key, first in suspects.items():
            final, used = settle(first, history[key])
            self._final(op, key, final, used or rounds if final.outcome == "lag" else used)

    async def _collect(self, pages: AsyncGenerator[Page, None], wanted: set[str],
                       op: _Op) -> dict[str, Record]:
        found: dict[str, Record] = {}
        try:
            async for page in pages:
                for record in page.records:
                    key = op.projection.key(record)
                    if key in wanted:
                        found[key] = record
                if len(found) == len(wanted):
                    break
        finally:
            await pages.aclose()
        return found

    def _look(self, op: _Op, legacy: Record | None, new: Record | None) -> Evaluation:
        if legacy is not None and new is not None:
            return op.classifier.evaluate(legacy, new)
        if legacy is not None:
            return Evaluation("missing-in-new", legacy=legacy)
        if new is not None:
            return Evaluation("extra-in-new", new=new)
        return Evaluation("match")  # gone on both sides: they agree

    # --- single records ---------------------------------------------------------------------

    async def _singles(self, op: _Op, bindings: AsyncGenerator[dict[str, str], None]) -> None:
        """Compare one record per binding, `concurrency` at a time, ids read as they go."""
        workers = max(1, self.limits.concurrency)
        queue: asyncio.Queue[tuple[int, dict[str, str]] | None] = asyncio.Queue(workers * 2)
        params = list(op.operation.legacy.params)

        async def produce() -> None:
            try:
                index = 0
                async for binding in bindings:
                    await queue.put((index, binding))
                    index += 1
            except (FetchError, ConversionError) as exc:
                self._error(op, exc, prefix="cannot find records to compare: ")
            finally:
                for _ in range(workers):
                    await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                index, binding = item
                key = binding.get(params[-1]) if params else None
                await self._single(op, binding, key, learn=index < self.limits.noise_sample)

        await asyncio.gather(produce(), *(work() for _ in range(workers)))

    async def _single(self, op: _Op, binding: dict[str, str], key: str | None,
                      learn: bool) -> None:
        try:
            first = await self._fetch_one(op, binding, learn)
        except (FetchError, ConversionError) as exc:
            self._error(op, exc, key)
            return
        if first is None:
            op.tally.notes.add("records absent on both APIs were skipped")
            return
        if key is None:
            key = op.projection.key(first.legacy or first.new or {})
        if first.outcome not in SUSPECT or self.limits.recheck <= 0:
            self._final(op, key, first)
            return
        history: list[Evaluation] = []
        for round_number in range(1, self.limits.recheck + 1):
            await self.sleep(backoff(round_number, self.limits.recheck_backoff))
            try:
                again = await self._fetch_one(op, binding, False)
            except (FetchError, ConversionError) as exc:
                op.tally.notes.add(f"a re-check stopped early: {exc}")
                break
            history.append(again or Evaluation("match"))
            if history[-1].outcome in AGREEING:
                break
        final, used = settle(first, history)
        self._final(op, key, final, used)

    async def _fetch_one(self, op: _Op, binding: dict[str, str],
                         learn: bool) -> Evaluation | None:
        legacy_call = op.calls.legacy(binding)
        via_compat = op.operation.kind == "flow" and self.compat is not None
        new_api = self.compat if via_compat and self.compat is not None else self.new
        new_call = legacy_call if via_compat else op.calls.new(binding)
        legacy_reply, new_reply = await asyncio.gather(
            single(self.legacy, legacy_call), single(new_api, new_call)
        )
        legacy = _one(op, "legacy", legacy_reply)
        new = _one(op, "legacy" if via_compat else "new", new_reply, side="new")
        if learn and legacy is not None:
            again = await single(self.legacy, legacy_call)
            twin = _one(op, "legacy", again)
            self._learn(op, legacy_reply, [legacy], again, [twin] if twin else [])
        if legacy is not None and new is not None:
            return op.classifier.evaluate(legacy, new)
        if legacy is not None:
            return Evaluation("missing-in-new", legacy=legacy)
        if new is not None:
            return Evaluation("extra-in-new", new=new)
        return None


def _one(op: _Op, shape: Side, reply: Reply, side: str | None = None) -> Record | None:
    if reply.status == 404:
        return None
    try:
        records = op.projection.records(shape, reply.body)
    except ConversionError as exc:
        raise FetchError(side or shape, reply.request, f"cannot read the record: {exc}") from None
    return records[0] if records else None


def _agreed(history: list[Evaluation]) -> bool:
    return bool(history) and history[-1].outcome in AGREEING


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



async def _given(value: str) -> AsyncGenerator[str, None]:
    yield value

