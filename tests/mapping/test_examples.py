"""Every example of every operation goes forward (legacy → new) and back (new → legacy).

Round trips must give back exactly what went in, except for the fields whose loss the catalogue
declares (and, going new → legacy → new, the fields the legacy API never had).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from migrate.mapping import load_catalogue
from migrate.mapping.catalogue import Catalogue
from migrate.mapping.model import Envelope, Example, Field, Operation
from tests.helpers import lossy, lossy_or_new_only, payload, strip

CATALOGUE = load_catalogue()


def _cases() -> Iterator[Any]:
    for operation in CATALOGUE:
        for example in operation.examples:
            yield pytest.param(operation, example, id=f"{operation.id}:{example.name}")


CASES = list(_cases())


def test_every_mapped_operation_has_an_example() -> None:
    for operation in CATALOGUE:
        if operation.mapped:
            assert operation.examples, operation.id


def _payload(body: Any, envelope: Envelope) -> list[Any]:
    return payload(body, envelope)


def _strip(record: Any, model: str, side: str, drop: Callable[[Field], bool]) -> Any:
    return strip(CATALOGUE, record, model, side, drop)


_lossy = lossy
_lossy_or_new_only = lossy_or_new_only


def _shape(operation: Operation, example: Example) -> tuple[Envelope, Envelope, str]:
    pair = operation.response if example.direction == "response" else operation.request
    model = operation.model if example.direction == "response" else operation.request_model
    assert pair is not None and model is not None
    return pair.legacy, pair.new, model


@pytest.mark.parametrize(("operation", "example"), CASES)
def test_example_round_trips(operation: Operation, example: Example) -> None:
    if example.direction == "path":
        _check_path_example(CATALOGUE, operation, example)
        return
    direction = example.direction
    legacy_envelope, new_envelope, model = _shape(operation, example)
    from_legacy = CATALOGUE.to_canonical(operation, "legacy", example.legacy, direction)
    from_new = CATALOGUE.to_canonical(operation, "new", example.new, direction)

    # legacy → new → legacy gives back the legacy example, but for declared losses.
    there = CATALOGUE.from_canonical(operation, "new", from_legacy, direction)
    back = CATALOGUE.from_canonical(
        operation, "legacy", CATALOGUE.to_canonical(operation, "new", there, direction), direction
    )
    expected = [
        _strip(r, model, "legacy", _lossy) for r in _payload(example.legacy, legacy_envelope)
    ]
    got = [_strip(r, model, "legacy", _lossy) for r in _payload(back, legacy_envelope)]
    if direction == "request":  # a create fills required new fields with declared defaults
        got = [_without_added_defaults(g, e, model) for g, e in zip(got, expected, strict=True)]
    assert got == expected

    # new → legacy → new gives back the new example, but for losses and new-only fields.
    there = CATALOGUE.from_canonical(operation, "legacy", from_new, direction)
    back = CATALOGUE.from_canonical(
        operation, "new", CATALOGUE.to_canonical(operation, "legacy", there, direction), direction
    )
    expected = [
        _strip(r, model, "new", _lossy_or_new_only) for r in _payload(example.new, new_envelope)
    ]
    got = [_strip(r, model, "new", _lossy_or_new_only) for r in _payload(back, new_envelope)]
    assert got == expected


@pytest.mark.parametrize(("operation", "example"), CASES)
def test_example_sides_say_the_same(operation: Operation, example: Example) -> None:
    """Forward conversion of the legacy example equals the new example, field by field."""
    if example.direction == "path":
        return
    direction = example.direction
    _, new_envelope, model = _shape(operation, example)
    converted = CATALOGUE.from_canonical(
        operation,
        "new",
        CATALOGUE.to_canonical(operation, "legacy", example.legacy, direction),
        direction,
    )
    got = [_strip(r, model, "new", _lossy) for r in _payload(converted, new_envelope)]
    want = [_strip(r, model, "new", _lossy) for r in _payload(example.new, new_envelope)]
    for converted_record, new_record in zip(got, want, strict=True):
        _assert_subset(converted_record, new_record, path=operation.id)


def _assert_subset(part: Any, whole: Any, path: str) -> None:
    """Everything the conversion produced is in the other side's example, with equal values."""
    if isinstance(part, dict):
        assert isinstance(whole, dict), path
        for key, value in part.items():
            assert key in whole, f"{path}.{key} is produced but not in the example"
            _assert_subset(value, whole[key], f"{path}.{key}")
    elif isinstance(part, list):
        assert isinstance(whole, list) and len(part) == len(whole), path
        for index, (a, b) in enumerate(zip(part, whole, strict=True)):
            _assert_subset(a, b, f"{path}[{index}]")
    else:
        assert (part == whole and type(part) is type(whole)) or (
            isinstance(part, int | float) and isinstance(whole, int | float) and part == whole
        ), f"{path}: {part!r} != {whole!r}"


def _without_added_defaults(got: Any, original: Any, model: str) -> Any:
    result = dict(got)
    for field in CATALOGUE.models[model].fields:
        defaulted = field.has_default or field.default_from is not None
        if defaulted and field.legacy and field.legacy not in original:
            result.pop(field.legacy, None)
    return result


def _check_path_example(catalogue: Catalogue, operation: Operation, example: Example) -> None:
    method, path = example.legacy.split()
    match = catalogue.match_legacy(method, path)
    assert match is not None and match.operation is operation
    assert operation.new is not None
    new_method, new_path = example.new.split()
    assert new_method == operation.new.method
    assert catalogue.new_path(match) == new_path
