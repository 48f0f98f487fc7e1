"""Moves records between the legacy shape, the canonical shape and the new shape.

The canonical shape is what the shadow comparator diffs and the compat layer passes through:
a dict keyed by the model's field names (mostly the legacy names), with every value in the new
API's representation (money in minor units, whole-second timestamps, new enum values). So
`legacy → canonical` applies each converter forward, `canonical → legacy` applies it in
reverse, and the new side only renames.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrate.errors import ConversionError
from migrate.mapping.converters import get_converter
from migrate.mapping.model import Field, Model

_MISSING = object()
Record = dict[str, Any]


def get_path(record: Any, dotted: str) -> Any:
    """Value at `a.b.c`, or the _MISSING marker when any step is absent."""
    current = record
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return _MISSING
        current = current[part]
    return current


def set_path(record: Record, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    current = record
    for part in parts[:-1]:
        child = current.get(part)
        if not isinstance(child, dict):
            child = {}
            current[part] = child
        current = child
    current[parts[-1]] = value


class Transformer:
    """Record transforms for every model of one catalogue."""

    def __init__(self, models: Mapping[str, Model]) -> None:
        self._models = models

    def legacy_to_canonical(self, model: str, record: Any) -> Record:
        return self._to_canonical(self._models[model], record, "legacy")

    def new_to_canonical(self, model: str, record: Any) -> Record:
        return self._to_canonical(self._models[model], record, "new")

    def canonical_to_legacy(self, model: str, canonical: Mapping[str, Any]) -> Record:
        return self._from_canonical(self._models[model], canonical, "legacy")

    def canonical_to_new(
        self, model: str, canonical: Mapping[str, Any], *, with_defaults: bool = False
    ) -> Record:
        return self._from_canonical(self._models[model], canonical, "new", with_defaults)

    def _to_canonical(self, model: Model, record: Any, side: str) -> Record:
        if not isinstance(record, Mapping):
            raise ConversionError(f"expected a {model.name} object, got {type(record).__name__}")
        canonical: Record = {}
        for field in model.fields:
            path = field.legacy if side == "legacy" else field.new
            if path is None:
                continue
            value = get_path(record, path)
            if value is _MISSING:
                continue
            try:
                canonical[field.name] = self._value_to_canonical(field, value, side)
            except ConversionError as exc:
                raise ConversionError(f"{model.name}.{field.name}: {exc}") from None
        return canonical

    def _value_to_canonical(self, field: Field, value: Any, side: str) -> Any:
        if value is None:
            return None
        if field.model is not None:
            nested = self._models[field.model]
            if field.many:
                return [self._to_canonical(nested, item, side) for item in _as_list(value, field)]
            return self._to_canonical(nested, value, side)
        if side == "new":
            return value
        converter = get_converter(field.converter)
        assert converter is not None
        if field.many:
            return [converter.forward(item, field.options) for item in _as_list(value, field)]
        return converter.forward(value, field.options)

    def _from_canonical(
        self, model: Model, canonical: Mapping[str, Any], side: str, with_defaults: bool = False
    ) -> Record:
        record: Record = {}
        for field in model.fields:
            path = field.legacy if side == "legacy" else field.new
            if path is None:
                continue
            if field.name not in canonical:
                if with_defaults and field.has_default:
                    set_path(record, path, field.default)
                elif with_defaults and field.default_from in canonical:
                    set_path(record, path, canonical[field.default_from])
                continue
            try:
                value = self._value_from_canonical(field, canonical[field.name], side, with_defaults)
            except ConversionError as exc:
                raise ConversionError(f"{model.name}.{field.name}: {exc}") from None
            set_path(record, path, value)
        return record

    def _value_from_canonical(self, field: Field, value: Any, side: str, defaults: bool) -> Any:
        if value is None:
            return None
        if field.model is not None:
            nested = self._models[field.model]
            if field.many:
                return [
                    self._from_canonical(nested, item, side, defaults)
                    for item in _as_list(value, field)
                ]
            return self._from_canonical(nested, value, side, defaults)
        if side == "new":
            return value
        converter = get_converter(field.converter)
        assert converter is not None
        if field.many:
            return [converter.inverse(item, field.options) for item in _as_list(value, field)]
        return converter.inverse(value, field.options)


def _as_list(value: Any, field: Field) -> list[Any]:
    if not isinstance(value, list):
        raise ConversionError(f"expected a list for {field.name}, got {type(value).__name__}")
    return value
