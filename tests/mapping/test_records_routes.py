"""`Catalogue.convert_records` keeps each operation's envelope and converter after first use:
the answers and the errors are the ones the uncached path gives, for any body."""

from __future__ import annotations

from collections import UserDict, UserList
from dataclasses import replace
from typing import Any

import pytest

from migrate.errors import ConversionError
from migrate.mapping import load_catalogue
from migrate.mapping.catalogue import Catalogue, _unwrap
from migrate.mapping.compiled import Route
from migrate.mapping.model import Operation

CATALOGUE = load_catalogue()


def _uncached(catalogue: Catalogue, operation: Operation, body: Any) -> list[Any]:
    """What `convert_records(operation, "new", "legacy", body)` computed before the cache."""
    envelope, model = catalogue._shape(operation, "new", "response")
    payload = _unwrap(envelope, body)
    convert = catalogue._transformer.compiled(model, Route("new", "legacy", fill=True))
    if envelope.many:
        return [convert(item) for item in payload]
    return [convert(payload)]


def _outcome(convert: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", convert(*args)
    except ConversionError as exc:
        return "error", str(exc)


def _bodies(operation: Operation) -> list[Any]:
    examples = [e.new for e in operation.examples if e.direction == "response"]
    envelope = operation.response.new if operation.response else None
    key = envelope.key if envelope else None
    odd: list[Any] = [None, [], {}, "text", 5, UserList(), UserDict(), {"other": 1}]
    for example in examples:
        odd.append(UserDict(example) if isinstance(example, dict) else UserList(example))
        if key is not None and isinstance(example, dict):
            inner = example.get(key)
            odd += [{key: None}, {key: "text"}, {key: {}}, {key: []}]
            if isinstance(inner, list):
                odd.append({key: UserList(inner)})
    return examples + odd


_READS = [op for op in CATALOGUE if op.model is not None and op.response is not None]


@pytest.mark.parametrize("operation", _READS, ids=lambda op: op.id)
def test_cached_records_are_the_uncached_ones_for_any_body(operation: Operation) -> None:
    for body in _bodies(operation):
        for _ in range(2):  # the first call fills the cache, the second reads it
            cached = _outcome(CATALOGUE.convert_records, operation, "new", "legacy", body)
            assert cached == _outcome(_uncached, CATALOGUE, operation, body), body


def test_another_operation_with_the_same_id_gets_its_own_converter() -> None:
    employee = CATALOGUE.get("employees.get")
    expense = CATALOGUE.get("expenses.get")
    body = next(e.new for e in expense.examples if e.direction == "response")
    CATALOGUE.convert_records(employee, "new", "legacy", body)
    impostor = replace(expense, id=employee.id)  # expense's model under the employee's id
    records = CATALOGUE.convert_records(impostor, "new", "legacy", body)
    assert records == CATALOGUE.convert_records(expense, "new", "legacy", body)
    assert records != CATALOGUE.convert_records(employee, "new", "legacy", body)
