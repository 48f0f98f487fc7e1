"""Moves records between the legacy shape, the canonical shape and the new shape.

The canonical shape is what the shadow comparator diffs and the compat layer passes through:
a dict keyed by the model's field names (mostly the legacy names), with every value in the new
API's representation (money in minor units, whole-second timestamps, new enum values). So
`legacy → canonical` applies each converter forward, `canonical → legacy` applies it in
reverse, and the new side only renames.

Each model is compiled once per direction into a flat list of steps. These generic steps are
the reference; the hot paths (compat answers and requests, the comparator's canonical records)
run the one-step functions `compiled.py` generates from the same models, proven equal to these
by the tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from migrate.errors import ConversionError
from migrate.mapping.compiled import (
    MISSING,
    Compiler,
    Convert,
    Route,
    get_path,
    set_path,
    shown_as_sent,
)
from migrate.mapping.converters import get_converter
from migrate.mapping.model import Field, Model, Side

Record = dict[str, Any]
_Apply = Callable[[Any], Any]


def _apply(apply: _Apply, value: Any, lenient: bool, model: str, name: str) -> Any:
    """Convert one value; shown to a legacy client, one unconvertible value (an enum value the
    legacy API never had) is passed on as the new API sent it instead of failing the record."""
    if not lenient:
        return apply(value)
    try:
        return apply(value)
    except ConversionError as exc:
        shown_as_sent(model, name, exc)
        return value


def _each(apply: _Apply, field: Field) -> _Apply:
    def run(values: Any) -> Any:
        if not isinstance(values, list):
            raise ConversionError(f"expected a list, got {type(values).__name__}")
        return [apply(value) for value in values]

    run.__name__ = f"each_{field.name}"
    return run


class Transformer:
    """Record transforms for every model of one catalogue, compiled on first use."""

    def __init__(self, models: Mapping[str, Model]) -> None:
        self._models = models
        self._readers: dict[tuple[str, Side], Callable[[Any], Record]] = {}
        self._writers: dict[
            tuple[str, Side, bool, bool], Callable[[Mapping[str, Any]], Record]
        ] = {}
        self._compilers: dict[Route, Compiler] = {}

    def compiled(self, model: str, route: Route) -> Convert:
        """The one-step converter of `model` along `route` (generated once, then reused)."""
        compiler = self._compilers.get(route)
        if compiler is None:
            compiler = self._compilers[route] = Compiler(self._models, route)
        return compiler.converter(model)

    def legacy_to_canonical(self, model: str, record: Any) -> Record:
        return self._reader(model, "legacy")(record)

    def new_to_canonical(self, model: str, record: Any) -> Record:
        return self._reader(model, "new")(record)

    def canonical_to_legacy(
        self, model: str, canonical: Mapping[str, Any], *, fill_missing: bool = False
    ) -> Record:
        """`fill_missing`: shown as the legacy API shows records, every legacy field present
        (null where the canonical has nothing), and a value the legacy vocabulary cannot express
        passed on unchanged rather than failing the whole record."""
        return self._writer(model, "legacy", False, fill_missing)(canonical)

    def canonical_to_new(
        self, model: str, canonical: Mapping[str, Any], *, with_defaults: bool = False
    ) -> Record:
        return self._writer(model, "new", with_defaults, False)(canonical)

    # --- compiling -------------------------------------------------------------------------

    def _value_step(
        self, field: Field, side: Side, reading: bool, fill: bool = False
    ) -> _Apply | None:
        """What to do with one non-null value of a field, or None for 'keep it as it is'."""
        if field.model is not None:
            nested: _Apply = (
                self._lazy_reader(field.model, side)
                if reading
                else self._lazy_writer(field.model, side, fill)
            )
        elif side == "new" or field.converter == "same":
            return None
        else:
            converter = get_converter(field.converter)
            assert converter is not None
            transform = converter.forward if reading else converter.inverse
            options = field.options

            def nested(value: Any) -> Any:
                return transform(value, options)

        return _each(nested, field) if field.many else nested

    def _lazy_reader(self, model: str, side: Side) -> _Apply:
        """The nested model's reader, compiled on first call (models may nest each other)."""
        compiled: list[_Apply] = []

        def read(value: Any) -> Any:
            if not compiled:
                compiled.append(self._reader(model, side))
            return compiled[0](value)

        return read

    def _lazy_writer(self, model: str, side: Side, fill: bool) -> _Apply:
        compiled: list[_Apply] = []

        def write(value: Any) -> Any:
            if not compiled:
                compiled.append(self._writer(model, side, False, fill))
            return compiled[0](value)

        return write

    def _reader(self, model_name: str, side: Side) -> Callable[[Any], Record]:
        key = (model_name, side)
        if key in self._readers:
            return self._readers[key]
        model = self._models[model_name]
        steps = []
        for field in model.fields:
            path = field.legacy if side == "legacy" else field.new
            if path is not None:
                parts = tuple(path.split("."))
                single = parts[0] if len(parts) == 1 else None
                steps.append((field.name, single, parts, self._value_step(field, side, True)))

        def read(record: Any) -> Record:
            if not isinstance(record, Mapping):
                raise ConversionError(
                    f"expected a {model_name} object, got {type(record).__name__}"
                )
            canonical: Record = {}
            name = ""
            try:
                for name, single, parts, apply in steps:
                    value = (
                        record.get(single, MISSING)
                        if single is not None
                        else get_path(record, parts)
                    )
                    if value is MISSING:
                        continue
                    canonical[name] = value if value is None or apply is None else apply(value)
            except ConversionError as exc:
                raise ConversionError(f"{model_name}.{name}: {exc}") from None
            return canonical

        self._readers[key] = read
        return read

    def _writer(
        self, model_name: str, side: Side, with_defaults: bool, fill: bool
    ) -> Callable[[Mapping[str, Any]], Record]:
        key = (model_name, side, with_defaults, fill)
        if key in self._writers:
            return self._writers[key]
        model = self._models[model_name]
        steps = []
        for field in model.fields:
            path = field.legacy if side == "legacy" else field.new
            if path is None:
                continue
            defaults: tuple[bool, Any, str | None] = (False, None, None)
            if with_defaults and (field.has_default or field.default_from):
                defaults = (field.has_default, field.default, field.default_from)
            steps.append(
                (
                    field.name,
                    tuple(path.split(".")),
                    self._value_step(field, side, False, fill),
                    defaults,
                )
            )

        def write(canonical: Mapping[str, Any]) -> Record:
            if not isinstance(canonical, Mapping):
                raise ConversionError(f"expected a {model_name} record")
            record: Record = {}
            name = ""
            try:
                for name, parts, apply, (has_default, default, default_from) in steps:
                    if name in canonical:
                        value = canonical[name]
                        if value is not None and apply is not None:
                            value = _apply(apply, value, fill, model_name, name)
                    elif has_default:
                        value = copy.deepcopy(default)  # never share a mutable default
                    elif default_from is not None and default_from in canonical:
                        value = canonical[default_from]
                    else:
                        if fill and parts[0] not in record:
                            record[parts[0]] = None
                        continue
                    if len(parts) == 1:
                        record[parts[0]] = value
                    else:
                        set_path(record, parts, value)
            except ConversionError as exc:
                raise ConversionError(f"{model_name}.{name}: {exc}") from None
            return record

        self._writers[key] = write
        return write
