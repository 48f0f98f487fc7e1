"""Legacy writes from a scan or scenario: what the new API would be asked, and (staging) asked.

`plan_writes` never sends anything: it shows, per legacy write, the new-API call(s) the
catalogue would make, with bodies converted through the canonical shape and the company named
as the new API wants it. `run_writes` sends direct writes to both APIs (only ever reached with
--allow-writes, which the configuration refuses outside staging) and compares the answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrate.errors import ConversionError
from migrate.mapping.catalogue import LEGACY_BASE_PATH, Catalogue, LegacyMatch
from migrate.mapping.flow_names import FLOWS
from migrate.mapping.model import Operation
from migrate.shadow.canonical import Projection
from migrate.shadow.classify import Classifier, Evaluation, Volatility
from migrate.shadow.plan import Step
from migrate.shadow.results import RecordResult

if TYPE_CHECKING:
    from migrate.shadow.fetch import Api

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
    catalogue: Catalogue, steps: Sequence[Step], company_id: str | None
) -> tuple[WritePlan, ...]:
    return tuple(plan_write(catalogue, step, company_id) for step in steps)


def plan_write(catalogue: Catalogue, step: Step, company_id: str | None) -> WritePlan:
    operation = catalogue.get(step.operation)
    params = dict(step.path_params)
    legacy = f"{operation.legacy.method} {_fill(operation.legacy.path, params)}"
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
        flow = FLOWS.get(operation.flow or "")
        if flow is None:
            return plan((), f"unknown flow {operation.flow!r}")
        calls = []
        for index, text in enumerate(flow.calls):
            verb, _, target = text.partition(" ")
            calls.append(PlannedCall(verb, target, note=flow.summary if index == 0 else None))
        return plan(calls)
    try:
        call = new_write(catalogue, operation, step, company_id)
    except ConversionError as exc:
        return plan((), str(exc))
    if operation.kind == "merge-update":
        read = PlannedCall("GET", call.path, note="read the current record first")
        merged = PlannedCall(call.method, call.path, call.query, call.body,
                             note="these fields merged over the record read first; the PUT "
                                  "replaces the whole record")
        return plan((read, merged))
    return plan((call,))


def new_write(
    catalogue: Catalogue, operation: Operation, step: Step, company_id: str | None
) -> PlannedCall:
    """The single new-API call of a direct (or merge-update) write."""
    assert operation.new is not None
    params = dict(step.path_params)
    match = LegacyMatch(operation, params, step.query)
    path = catalogue.new_path(match)
    query: list[tuple[str, str]] = list(operation.new_query.items())
    body: Any = None
    if operation.request is not None and not operation.request[1].empty:
        if step.body is None:
            raise ConversionError(f"{operation.id}: the scenario gives no request body")
        canonical = catalogue.to_canonical(operation, "legacy", step.body, "request")
        body = catalogue.from_canonical(operation, "new", canonical, "request")
    kind, _, name = operation.company.partition(":")
    if kind == "query":
        query.append((name, str(company_id)))
    elif kind == "body":
        body = {} if body is None else body
        if isinstance(body, dict):
            body[name] = company_id
    return PlannedCall(operation.new.method, path, tuple(query), body)


def _fill(template: str, params: Mapping[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: params.get(m.group(1), m.group(0)), template)


async def run_writes(
    catalogue: Catalogue,
    steps: Sequence[Step],
    legacy: Api,
    new: Api,
    company_id: str | None,
) -> list[RecordResult]:
    """Send each direct write to both APIs and compare the answers, ids aside."""
    from migrate.shadow.fetch import NO_BODY, FetchError, HttpCall

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
                                   _strict_fill(template, dict(step.path_params)),
                                   step.query, NO_BODY if step.body is None else step.body)
            new_call = HttpCall(planned.method, planned.path, planned.query,
                                NO_BODY if planned.body is None else planned.body)
            legacy_reply = await legacy.send(legacy_call)  # one after the other: they may
            new_reply = await new.send(new_call)  # touch the same records on one backend
        except (FetchError, ConversionError) as exc:
            results.append(RecordResult(operation.id, "error", error=str(exc), step=step.label))
            continue
        results.append(_compare_answers(catalogue, operation, step, legacy_reply.body,
                                        new_reply.body))
    return results


def _strict_fill(template: str, params: Mapping[str, str]) -> str:
    missing = [name for name in re.findall(r"\{([^}]+)\}", template) if name not in params]
    if missing:
        raise ConversionError(f"the scenario gives no value for {{{missing[0]}}}")
    return _fill(template, params)


def _compare_answers(
    catalogue: Catalogue, operation: Operation, step: Step, legacy: Any, new: Any
) -> RecordResult:
    if operation.model is None or operation.response is None or operation.response[0].empty:
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
