"""The compiled one-step converters equal the generic two-step path, record by record.

Equal means the same record with the same key order (so the same JSON bytes), or the same
`ConversionError` message. Checked over every catalogue example and over records generated
from the models themselves: present, missing, null, a value seen in an example, or junk.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.errors import ConversionError
from migrate.mapping import load_catalogue
from migrate.mapping.compiled import Route
from migrate.mapping.model import Field, Operation, Side
from migrate.mapping.transform import Transformer

CATALOGUE = load_catalogue()
GENERIC = Transformer(CATALOGUE.models)  # the reference: the generic two steps
COMPILED = Transformer(CATALOGUE.models)


def _outcome(convert: Callable[[], Any]) -> tuple[str, str]:
    try:
        return ("ok", json.dumps(convert()))  # key order counts: same dict, same bytes
    except ConversionError as exc:
        return ("error", str(exc))


def _routes(model: str, record: Any, side: Side, defaults: bool) -> Iterator[tuple[Any, Any]]:
    """(two-step outcome, compiled outcome) for every route leaving `side`."""
    other: Side = "legacy" if side == "new" else "new"
    read = GENERIC.new_to_canonical if side == "new" else GENERIC.legacy_to_canonical
    yield (
        _outcome(lambda: read(model, record)),
        _outcome(lambda: COMPILED.compiled(model, Route(side, "canonical"))(record)),
    )
    if other == "legacy":
        two = _outcome(
            lambda: GENERIC.canonical_to_legacy(model, read(model, record), fill_missing=True)
        )
        route = Route(side, "legacy", fill=True)
    else:
        two = _outcome(
            lambda: GENERIC.canonical_to_new(model, read(model, record), with_defaults=defaults)
        )
        route = Route(side, "new", with_defaults=defaults)
    yield two, _outcome(lambda: COMPILED.compiled(model, route)(record))


def _examples() -> Iterator[Any]:
    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction != "path":
                yield pytest.param(operation, example, id=f"{operation.id}:{example.name}")


def _records(operation: Operation, direction: str, side: Side, body: Any) -> list[Any]:
    pair = operation.response if direction == "response" else operation.request
    assert pair is not None
    envelope = pair.on(side)
    payload = body[envelope.key] if envelope.key else body
    return payload if envelope.many else [payload]


@pytest.mark.parametrize(("operation", "example"), list(_examples()))
def test_every_example_converts_the_same_in_one_step(operation: Operation, example: Any) -> None:
    model = operation.model if example.direction == "response" else operation.request_model
    assert model is not None
    defaults = example.direction == "request" and operation.kind != "merge-update"
    for side in ("legacy", "new"):
        body = example.legacy if side == "legacy" else example.new
        for record in _records(operation, example.direction, side, body):
            for two, one in _routes(model, record, side, defaults):
                assert two[0] == "ok", two
                assert one == two


def test_the_catalogue_body_functions_match_the_two_steps() -> None:
    checked = 0
    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction != "response":
                continue
            canonical = CATALOGUE.to_canonical(operation, "new", example.new)
            two = CATALOGUE.from_canonical(operation, "legacy", canonical, fill_missing=True)
            records = CATALOGUE.convert_records(operation, "new", "legacy", example.new)
            one = CATALOGUE.wrap(operation, "legacy", records, "response")
            assert json.dumps(one) == json.dumps(two), operation.id
            checked += 1
    assert checked > 10


# --- generated records -------------------------------------------------------------------


def _seen() -> dict[tuple[str, str, Side], list[Any]]:
    """Every value the examples give each field, per side: realistic input for the generator."""
    seen: dict[tuple[str, str, Side], list[Any]] = {}

    def walk(model: str, record: Any, side: Side) -> None:
        if not isinstance(record, dict):
            return
        for field in CATALOGUE.models[model].fields:
            path = field.legacy if side == "legacy" else field.new
            value: Any = record
            for part in (path or "").split(".") if path else ():
                value = value.get(part) if isinstance(value, dict) else None
            if path is None or value is None:
                continue
            seen.setdefault((model, field.name, side), []).append(value)
            if field.model is not None:
                for item in value if field.many and isinstance(value, list) else [value]:
                    walk(field.model, item, side)

    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction == "path":
                continue
            model = operation.model if example.direction == "response" else (
                operation.request_model
            )
            assert model is not None
            for side in ("legacy", "new"):
                body = example.legacy if side == "legacy" else example.new
                for record in _records(operation, example.direction, side, body):
                    walk(model, record, side)
    return seen


SEEN = _seen()
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["EUR", "2024-03-01", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00.000Z"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["value", "currency", "id"]), st.integers(), max_size=2),
)


def _value(model: str, field: Field, side: Side, depth: int) -> st.SearchStrategy[Any]:
    options = [JUNK]
    seen = SEEN.get((model, field.name, side))
    if seen:
        options.append(st.sampled_from(seen))
    if field.model is not None and depth < 3:
        nested = _record(field.model, side, depth + 1)
        options.append(st.lists(nested, max_size=3) if field.many else nested)
    return st.one_of(*options)


def _record(model: str, side: Side, depth: int = 0) -> st.SearchStrategy[Any]:
    """A record of `model` on `side`: each field missing or a generated value at its path."""
    fields = [
        field
        for field in CATALOGUE.models[model].fields
        if (field.legacy if side == "legacy" else field.new) is not None
    ]

    def build(values: list[Any]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for field, value in zip(fields, values, strict=True):
            if value is _ABSENT:
                continue
            path = str(field.legacy if side == "legacy" else field.new).split(".")
            here = record
            for part in path[:-1]:
                here = here.setdefault(part, {}) if isinstance(here.get(part, {}), dict) else {}
            here[path[-1]] = value
        return record

    parts = [st.one_of(st.just(_ABSENT), _value(model, field, side, depth)) for field in fields]
    return st.tuples(*parts).map(lambda values: build(list(values)))


_ABSENT = object()
_MODELS = sorted(
    {m for op in CATALOGUE for m in (op.model, op.request_model) if m is not None}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), model=st.sampled_from(_MODELS), side=st.sampled_from(["legacy", "new"]),
       defaults=st.booleans())
def test_generated_records_convert_the_same_in_one_step(
    data: st.DataObject, model: str, side: Side, defaults: bool
) -> None:
    record = data.draw(_record(model, side))
    for two, one in _routes(model, record, side, defaults):
        assert one == two


def test_a_non_record_is_refused_with_the_same_message() -> None:
    for model in _MODELS:
        for side in ("legacy", "new"):
            for two, one in _routes(model, ["not", "a", "record"], side, False):
                assert two[0] == "error"
                assert one == two


def test_catalogue_text_never_becomes_code() -> None:
    """A field name or path full of quotes and code stays a constant of the generated code."""
    from dataclasses import replace

    model = CATALOGUE.models[_MODELS[0]]
    evil = "x'] = 1; import os; out['"
    field = replace(model.fields[0], name=evil, legacy=evil, new=evil + ".b\"c", converter="same",
                    model=None, many=False)
    models = {model.name: replace(model, fields=(field,))}
    converter = Transformer(models).compiled(model.name, Route("new", "legacy", fill=True))
    assert converter({evil: {"b\"c": 7}}) == {evil: 7}
    assert converter({}) == {evil: None}


def _comparable_pair(operation: Operation, side: Side, record: Any) -> tuple[Any, Any]:
    """(generic read + the comparator's `comparable`, the compiled comparable reader)."""
    from migrate.shadow.canonical import Projection

    model = str(operation.model)
    read = GENERIC.new_to_canonical if side == "new" else GENERIC.legacy_to_canonical
    projection = Projection(CATALOGUE, operation)
    two = _outcome(lambda: projection.comparable(read(model, record), model))
    route = Route(side, "canonical", comparable=True)
    return two, _outcome(lambda: COMPILED.compiled(model, route)(record))


_READS = [op for op in CATALOGUE if op.model is not None and op.response is not None]


@pytest.mark.parametrize(("operation", "example"), list(_examples()))
def test_the_comparators_records_are_read_the_same_in_one_step(
    operation: Operation, example: Any
) -> None:
    if example.direction != "response" or operation.model is None:
        return
    for side in ("legacy", "new"):
        body = example.legacy if side == "legacy" else example.new
        for record in _records(operation, "response", side, body):
            two, one = _comparable_pair(operation, side, record)
            assert two[0] == "ok"
            assert one == two


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), operation=st.sampled_from(_READS), side=st.sampled_from(["legacy", "new"]))
def test_generated_records_compare_the_same_in_one_step(
    data: st.DataObject, operation: Operation, side: Side
) -> None:
    record = data.draw(_record(str(operation.model), side))
    two, one = _comparable_pair(operation, side, record)
    assert one == two
