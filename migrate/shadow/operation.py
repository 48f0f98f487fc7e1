"""One planned request checked: both APIs read, records joined on id, compared, re-checked.

`OperationCheck` sets up each operation (projection, classifier, tally, the calls to make)
and hands the work to the module for its shape: `listing` for lists, `singles` for one record
at a time, with `bindings` finding what to compare. Results stream out as they are decided.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from migrate.errors import ConversionError
from migrate.mapping import Catalogue, Operation
from migrate.shadow.bindings import bindings
from migrate.shadow.canonical import Projection
from migrate.shadow.checking import CheckContext, OperationState, ResultSink
from migrate.shadow.classify import Classifier, Volatility
from migrate.shadow.config import Limits
from migrate.shadow.fetch import Api, Calls, FetchError
from migrate.shadow.listing import compare_list
from migrate.shadow.plan import ParityRequest
from migrate.shadow.progress import Progress
from migrate.shadow.results import OperationTally, RecordResult, ResultWriter, Summary
from migrate.shadow.singles import compare_singles

OPERATION_LOSS = "(operation)"


class OperationCheck:
    """Compares the planned requests one after the other, streaming every result."""

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
        self.summary = summary
        self.progress = progress
        self.context = CheckContext(
            catalogue=catalogue, limits=limits, company_id=company_id, legacy=legacy, new=new,
            compat=compat, sleep=sleep, sink=ResultSink(writer, summary, progress),
        )

    def emit(self, result: RecordResult) -> None:
        """Record a result decided elsewhere (a write's) like the check's own."""
        self.context.sink.emit(result)

    async def check(self, request: ParityRequest) -> None:
        ctx = self.context
        operation = ctx.catalogue.get(request.operation)
        projection = Projection(ctx.catalogue, operation)
        tally = self._tally(operation, projection)
        self.progress.start(operation.id)
        try:
            calls = Calls(ctx.catalogue, operation, request, ctx.company_id, ctx.limits)
        except ConversionError as exc:
            ctx.sink.failed(operation.id, request.label, exc)
            self.progress.done(operation.id, tally)
            return
        volatility = Volatility()
        state = OperationState(
            request=request, operation=operation, projection=projection,
            classifier=Classifier(projection, volatility), volatility=volatility, calls=calls,
            tally=tally, noise_left=ctx.limits.noise_sample, budget=ctx.limits.sample,
            extra_reason="; ".join(calls.unapplied) or None,
        )
        _note_how(state)
        await self._compare(state)
        tally.noise_fields.update(volatility.fields)
        tally.noise_envelope.update(volatility.envelope)
        tally.noise_headers.update(volatility.headers)
        self.progress.done(operation.id, tally)

    def _tally(self, operation: Operation, projection: Projection) -> OperationTally:
        """The operation's tally, made with its comparable fields and declared losses."""
        tally = self.summary.tallies.get(operation.id)
        if tally is None:
            losses = [(loss.field or OPERATION_LOSS, loss.reason) for loss in projection.losses()]
            tally = OperationTally(operation.id, projection.comparable_fields(), losses)
            self.summary.tallies[operation.id] = tally
        return tally

    async def _compare(self, state: OperationState) -> None:
        ctx = self.context
        found = bindings(ctx, state)
        try:
            response = state.operation.response
            if response is not None and response.legacy.many:
                async for binding in found:
                    if state.budget is not None and state.budget <= 0:
                        break
                    await compare_list(ctx, state, binding)
            else:
                await compare_singles(ctx, state, found)
        except (FetchError, ConversionError) as exc:
            ctx.sink.error(state, exc, prefix="cannot find records to compare: ")
        finally:
            await found.aclose()


def _note_how(state: OperationState) -> None:
    """What the summary should say about how this operation was read."""
    notes, calls = state.tally.notes, state.calls
    notes.update(calls.notes)
    if state.operation.kind == "flow":
        notes.add(f"new side read through the compat layer's flow {state.operation.flow!r}")
    if calls.unapplied:
        notes.update(f"not applied on the new API: {text}" for text in calls.unapplied)
