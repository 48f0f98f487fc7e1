"""Legacy writes from a scan or scenario: what the new API would be asked, and (staging) asked.

`plan_writes` never sends anything: it shows, per legacy write, the new-API call(s) the
planner (`mapping/calls.py`) makes of it, as the compat layer would send them; a flow shows
the calls its registry entry names. `run_writes` sends direct writes to both APIs (only ever
reached with --allow-writes, which the configuration refuses outside staging) and compares
the answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from migrate.errors import ConversionError
from migrate.mapping import (
    FLOWS,
    NO_BODY,
    Catalogue,
    LegacyMatch,
    NewCall,
    Operation,
    fill_template,
    place_company,
    plan_call,
    request_body,
)
from migrate.pleo import LEGACY_BASE_PATH
from migrate.shadow.canonical import Projection
from migrate.shadow.classify import Classifier, Evaluation, Volatility
from migrate.shadow.fetch import Api, FetchError, HttpCall
from migrate.shadow.plan import ParityRequest
from migrate.shadow.results import RecordResult

_ID_FIELDS = ("id",)


@dataclass(frozen=True)
class PlannedCall:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: Any = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.query:
            data["query"] = [list(pair) for pair in self.query]
        if self.body is not None:
            data["body"] = self.body
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class WritePlan:
    """One legacy write and what the new API would be sent instead."""

    operation: str
    legacy: str
    kind: str
    calls: tuple[PlannedCall, ...]
    losses: tuple[str, ...] = ()
    problem: str | None = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "operation": self.operation,
            "legacy": self.legacy,
            "kind": self.kind,
            "new_calls": [call.to_json() for call in self.calls],
            "losses": list(self.losses),
            "source": self.source,
        }
        if self.problem:
            data["problem"] = self.problem
        return data


def plan_writes(
    catalogue: Catalogue, steps: Sequence[ParityRequest], company_id: str | None
) -> tuple[WritePlan, ...]:
    return tuple(plan_write(catalogue, step, company_id) for step in steps)


def plan_write(catalogue: Catalogue, step: ParityRequest, company_id: str | None) -> WritePlan:
    operation = catalogue.get(step.operation)
    params = dict(step.path_params)
    shown = fill_template(operation.legacy.path, params, keep_missing=True)
    legacy = f"{operation.legacy.method} {shown}"
    losses = tuple(
        f"{loss.field}: {loss.reason}" if loss.field else loss.reason
        for loss in catalogue.losses(operation)
    )

    def plan(calls: Sequence[PlannedCall], problem: str | None = None) -> WritePlan:
        return WritePlan(operation.id, legacy, operation.kind, tuple(calls), losses, problem,
                         step.source)

    if operation.new is None:
        reason = f"no new-API equivalent: {operation.gap}"
        if operation.alternative:
            reason += f" (alternative: {operation.alternative})"
        return plan((), reason)
    if operation.kind == "flow":
        from migrate.compat import FLOWS as IMPLEMENTED_FLOWS  # the compat layer: flows only

        flow = FLOWS.get(operation.flow or "")
        if flow is None or flow.name not in IMPLEMENTED_FLOWS:
            return plan((), f"unknown flow {operation.flow!r}")
        return plan([
            PlannedCall(endpoint.method, endpoint.path,
                        note=flow.summary if index == 0 else None)
            for index, endpoint in enumerate(flow.endpoints)
        ])
    try:
        call = new_write(catalogue, operation, step, company_id)
    except ConversionError as exc:
        return plan((), str(exc))
    if operation.kind == "merge-update":
        try:
            _, fields = place_company(operation.company, company_id, (),
                                      request_body(catalogue, operation, _legacy_body(step)))
        except ConversionError as exc:
            return plan((), str(exc))
        read = PlannedCall("GET", call.path, note="read the current record first")
        merged = PlannedCall(call.method, call.path, call.params, fields,
                             note="these fields merged over the record read first; the PUT "
                                  "replaces the whole record")
        return plan((read, merged))
    return plan((_planned(call),))


def new_write(
    catalogue: Catalogue, operation: Operation, step: ParityRequest, company_id: str | None
) -> NewCall:
    """The planner's new-API call for a write (a merge-update's PUT before the merge)."""
    match = LegacyMatch(operation, _path_values(step), step.query)
    return plan_call(catalogue, match, _legacy_body(step), company_id).call


def _path_values(step: ParityRequest) -> dict[str, str]:
    """The step's path values as one path segment each, as the legacy request carries them."""
    return {name: quote(str(value), safe="") for name, value in step.path_params}


def _legacy_body(step: ParityRequest) -> Any:
    return NO_BODY if step.body is None else step.body


def _planned(call: NewCall) -> PlannedCall:
    return PlannedCall(call.method, call.path, call.params,
                       None if call.body is NO_BODY else call.body)


async def run_writes(
    catalogue: Catalogue,
    steps: Sequence[ParityRequest],
    legacy: Api,
    new: Api,
    company_id: str | None,
) -> list[RecordResult]:
    """Send each direct write to both APIs and compare the answers, ids aside."""
    results = []
    for step in steps:
        operation = catalogue.get(step.operation)
        if operation.kind != "direct" or operation.new is None:
            results.append(RecordResult(
                operation.id, "error", step=step.label,
                error=f"{operation.kind} writes are not sent by the comparator; run them "
                      "through the compat layer (see --plan-writes)",
            ))
            continue
        try:
            planned = new_write(catalogue, operation, step, company_id)
            template = operation.legacy.path.removeprefix(LEGACY_BASE_PATH)
            legacy_call = HttpCall(operation.legacy.method,
                                   fill_template(template, _path_values(step)),
                                   step.query, _legacy_body(step))
            new_call = HttpCall(planned.method, planned.path, planned.params, planned.body)
            legacy_reply = await legacy.send(legacy_call)  # one after the other: they may
            new_reply = await new.send(new_call)  # touch the same records on one backend
        except (FetchError, ConversionError) as exc:
            results.append(RecordResult(operation.id, "error", error=str(exc), step=step.label))
            continue
        results.append(_compare_answers(catalogue, operation, step, legacy_reply.body,
                                        new_reply.body))
    return results


def _compare_answers(
    catalogue: Catalogue, operation: Operation, step: ParityRequest, legacy: Any, new: Any
) -> RecordResult:
    if operation.model is None or operation.response is None or operation.response.legacy.empty:
        return RecordResult(operation.id, "match", step=step.label,
                            reason="both APIs accepted the write (no body to compare)")
    projection = Projection(catalogue, operation)
    try:
        left = projection.records("legacy", legacy)[0]
        right = projection.records("new", new)[0]
    except (ConversionError, IndexError) as exc:
        return RecordResult(operation.id, "error", error=f"cannot read the answers: {exc}",
                            step=step.label)
    for name in _ID_FIELDS:  # two writes create two records: their ids always differ
        left.pop(name, None)
        right.pop(name, None)
    evaluation: Evaluation = Classifier(projection, Volatility()).evaluate(left, right)
    return RecordResult(operation.id, evaluation.outcome, findings=evaluation.findings,
                        step=step.label)
