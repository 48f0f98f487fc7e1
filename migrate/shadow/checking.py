"""What the parts of one operation's check share: the run's clients, the operation's state,
and the one way a result leaves (written to results.jsonl, tallied, shown as progress).

The check itself is split by job: `bindings` finds records to compare, `listing` pairs list
pages, `singles` reads one record at a time, `noise` learns volatile fields and `recheck`
tells lag from defects. `operation.OperationCheck` runs them for each planned request.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass

from migrate.errors import ConversionError
from migrate.mapping import Catalogue, Operation
from migrate.shadow.canonical import Projection, Record
from migrate.shadow.classify import Classifier, Evaluation, Volatility
from migrate.shadow.config import Limits
from migrate.shadow.fetch import Api, Calls, FetchError, Page, ahead, legacy_pages, new_pages
from migrate.shadow.plan import ParityRequest
from migrate.shadow.progress import Progress
from migrate.shadow.results import OperationTally, RecordResult, ResultWriter, Summary


@dataclass
class OperationState:
    """One planned request in progress: its operation, projection, classifier and tally."""

    request: ParityRequest
    operation: Operation
    projection: Projection
    classifier: Classifier
    volatility: Volatility
    calls: Calls
    tally: OperationTally
    noise_left: int  # legacy pages still to read twice for noise
    budget: int | None  # records still to sample; None: all
    extra_reason: str | None  # why records only on the new side are expected, if they are


class ResultSink:
    """Where every result goes: results.jsonl, the operation's tally and the progress display."""

    def __init__(self, writer: ResultWriter, summary: Summary, progress: Progress) -> None:
        self.writer = writer
        self.summary = summary
        self.progress = progress

    def emit(self, result: RecordResult) -> None:
        self.writer.write(result)
        self.summary.tally(result.operation).add(result)
        self.progress.advance(result.operation, 1)

    def final(self, state: OperationState, record_id: str | None, evaluation: Evaluation,
              rechecks: int = 0) -> None:
        self.emit(
            RecordResult(
                operation=state.operation.id,
                outcome=evaluation.outcome,
                record_id=record_id,
                findings=evaluation.findings,
                reason=evaluation.reason,
                rechecks=rechecks,
                step=state.request.label,
            )
        )

    def error(self, state: OperationState, error: FetchError | ConversionError,
              record_id: str | None = None, prefix: str = "") -> None:
        self.failed(state.operation.id, state.request.label, error, record_id, prefix)

    def failed(self, operation: str, label: str, error: FetchError | ConversionError,
               record_id: str | None = None, prefix: str = "") -> None:
        side = error.side if isinstance(error, FetchError) else None
        self.emit(RecordResult(operation=operation, outcome="error", record_id=record_id,
                               error=prefix + str(error), side=side, step=label,
                               request_failed=isinstance(error, FetchError)))

    def no_id(self, state: OperationState, side: str) -> None:
        self.emit(RecordResult(operation=state.operation.id, outcome="error",
                               error=f"a {side} record has no id to match on",
                               side=side, step=state.request.label))


@dataclass(frozen=True)
class CheckContext:
    """The run-wide parts every step of a check uses."""

    catalogue: Catalogue
    limits: Limits
    company_id: str | None
    legacy: Api
    new: Api
    compat: Api | None  # the compat layer over the new API, for flow operations
    sleep: Callable[[float], Awaitable[None]]
    sink: ResultSink

    def via_compat(self, state: OperationState) -> bool:
        """A flow's new side is read through the compat layer, with the legacy request."""
        return state.operation.kind == "flow" and self.compat is not None

    def legacy_pages(self, state: OperationState,
                     binding: dict[str, str]) -> AsyncGenerator[Page, None]:
        return ahead(legacy_pages(self.legacy, state.calls, state.projection, binding))

    def new_pages(self, state: OperationState,
                  binding: dict[str, str]) -> AsyncGenerator[Page, None]:
        if self.via_compat(state) and self.compat is not None:
            return ahead(legacy_pages(self.compat, state.calls, state.projection, binding))
        return ahead(new_pages(self.new, state.calls, state.projection, binding))


def judge(state: OperationState, legacy: Record | None, new: Record | None) -> Evaluation | None:
    """One look at a record on both sides; None when neither side has it."""
    if legacy is not None and new is not None:
        return state.classifier.evaluate(legacy, new)
    if legacy is not None:
        return Evaluation("missing-in-new", legacy=legacy)
    if new is not None:
        return Evaluation("extra-in-new", new=new)
    return None
