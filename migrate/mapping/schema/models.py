"""The model half of a mapping file: assumptions, enum tables, models and their fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from migrate.errors import CatalogueError
from migrate.mapping.converters import REGISTRY, get_converter
from migrate.mapping.model import Assumption, EnumTable, Field, Model, Where
from migrate.mapping.schema.reader import Reader
from migrate.mapping.yaml_reader import LocatedDict, load_located

ASSUMPTIONS_FILE = "assumptions.yaml"

_FIELD_KEYS = {
    "legacy",
    "new",
    "convert",
    "table",
    "model",
    "many",
    "loss",
    "note",
    "default",
    "default_from",
}


def read_assumptions(path: Path, display: str) -> dict[str, Assumption]:
    reader = Reader(display)
    root = reader.mapping(load_located(path, display_name=display), 1, "the assumptions file")
    reader.no_unknown_keys(root, {"assumptions"}, "the assumptions file")
    entries = reader.mapping(root.get("assumptions"), root.line_of("assumptions"), "assumptions")
    result: dict[str, Assumption] = {}
    for key, raw in entries.items():
        node = reader.mapping(raw, entries.line_of(key), f"assumption {key!r}")
        reader.no_unknown_keys(
            node, {"value", "choices", "says", "evidence"}, f"assumption {key!r}"
        )
        choices = node.get("choices")
        if not isinstance(choices, list) or not choices:
            raise reader.fail(f"assumption {key!r} needs a list of `choices`", node.line)
        if node.get("value") not in choices:
            raise reader.fail(
                f"assumption {key!r} has value {node.get('value')!r}, "
                f"which is not one of its choices {list(choices)}",
                node.line_of("value"),
            )
        result[key] = Assumption(
            id=key,
            value=node["value"],
            choices=tuple(choices),
            statement=reader.text(node, "says", f"assumption {key!r}"),
            evidence=str(node.get("evidence", "")),
            where=Where(display, node.line),
        )
    return result


# --- enums -------------------------------------------------------------------------------


def read_enums(reader: Reader, raw: Any) -> Iterable[EnumTable]:
    if raw is None:
        return
    node = reader.mapping(raw, 1, "enums")
    for name, raw_table in node.items():
        table = reader.mapping(raw_table, node.line_of(name), f"enum table {name!r}")
        reader.no_unknown_keys(
            table, {"values", "assumed", "inverse_only", "forward_only"}, f"enum table {name!r}"
        )
        values = reader.mapping(table.get("values"), table.line, f"enum table {name!r} values")
        forward: dict[str, str] = {}
        inverse: dict[str, str] = {}
        for legacy, new in values.items():
            if not isinstance(new, str):
                raise reader.fail(
                    f"enum table {name!r}: {legacy!r} must map to a text value, got {new!r}",
                    values.line_of(legacy),
                )
            if new in inverse:
                raise reader.fail(
                    f"enum table {name!r} is not invertible: {inverse[new]!r} and {legacy!r} "
                    f"both map to {new!r}",
                    values.line_of(legacy),
                )
            forward[legacy] = new
            inverse[new] = legacy
        # Legacy values that share a new value already in `values:` (read one way only).
        merged = reader.mapping(
            table.get("forward_only") or LocatedDict(),
            table.line,
            f"enum table {name!r} forward_only",
        )
        for legacy_value, new_value in merged.items():
            if legacy_value in forward or new_value not in inverse:
                raise reader.fail(
                    f"enum table {name!r}: forward_only maps legacy values that `values:` lacks "
                    f"to new values it has; {legacy_value!r} → {new_value!r} does not fit",
                    merged.line_of(legacy_value),
                )
        forward.update({str(k): str(v) for k, v in merged.items()})
        assumed = table.get("assumed") or []
        for value in assumed:
            if value not in forward:
                raise reader.fail(
                    f"enum table {name!r}: assumed value {value!r} is not in its values",
                    table.line_of("assumed"),
                )
        extra = reader.mapping(
            table.get("inverse_only") or LocatedDict(),
            table.line,
            f"enum table {name!r} inverse_only",
        )
        for new_value, legacy_value in extra.items():
            if new_value in inverse or legacy_value not in forward:
                raise reader.fail(
                    f"enum table {name!r}: inverse_only maps new values that `values:` lacks "
                    f"to legacy values it has; {new_value!r} → {legacy_value!r} does not fit",
                    extra.line_of(new_value),
                )
        yield EnumTable(
            name,
            forward,
            {**inverse, **extra},
            tuple(assumed),
            Where(reader.display, table.line),
            lossy=bool(extra) or bool(merged),
        )


# --- models ------------------------------------------------------------------------------


def read_models(
    reader: Reader, raw: Any, enums: Mapping[str, EnumTable], assumptions: Mapping[str, Assumption]
) -> Iterable[Model]:
    if raw is None:
        return
    node = reader.mapping(raw, 1, "models")
    for name, raw_fields in node.items():
        fields_node = reader.mapping(raw_fields, node.line_of(name), f"model {name!r}")
        fields = tuple(
            _read_field(reader, name, field_name, fields_node, enums, assumptions)
            for field_name in fields_node
        )
        yield Model(name, fields, Where(reader.display, node.line_of(name)))


def _read_field(
    reader: Reader,
    model: str,
    name: str,
    parent: LocatedDict,
    enums: Mapping[str, EnumTable],
    assumptions: Mapping[str, Assumption],
) -> Field:
    path = f"{model}.{name}"
    line = parent.line_of(name)
    node = reader.mapping(parent[name], line, "a field", field=path)
    reader.no_unknown_keys(node, _FIELD_KEYS, "a field", field=path)
    for side in ("legacy", "new"):
        if side not in node:
            raise reader.fail(f"a field needs `{side}:` (a field path, or null)", line, field=path)
        if node[side] is not None and not isinstance(node[side], str):
            raise reader.fail(f"`{side}:` must be a field path or null", line, field=path)
    if node["legacy"] is None and node["new"] is None:
        raise reader.fail("a field must exist on at least one side", line, field=path)
    converter_name = node.get("convert", "same")
    options = bind_converter(reader, converter_name, node, enums, assumptions, line, field=path)
    converter = get_converter(converter_name)
    assert converter is not None
    loss = node.get("loss")
    if loss is not None and (not isinstance(loss, str) or not loss.strip()):
        raise reader.fail("`loss:` must be a text that says what is lost", line, field=path)
    if node["new"] is None and node["legacy"] is not None and loss is None:
        raise reader.fail(
            "the new API has no such field: declare what is lost with `loss:`", line, field=path
        )
    table = options.get("table")
    if table is not None and table.lossy and loss is None:
        raise reader.fail(
            f"enum table {table.name!r} folds several new values into one legacy value: "
            "declare it with `loss:`",
            line,
            field=path,
        )
    if converter.lossy and loss is None:
        raise reader.fail(
            f"converter {converter_name!r} loses information: declare it with `loss:`",
            line,
            field=path,
        )
    many = node.get("many", False)
    if not isinstance(many, bool):
        raise reader.fail("`many:` must be true or false", line, field=path)
    nested = node.get("model")
    if nested is not None and converter_name != "same":
        raise reader.fail("a nested `model:` field cannot also `convert:`", line, field=path)
    return Field(
        name=name,
        legacy=node["legacy"],
        new=node["new"],
        converter=converter_name,
        options=options,
        model=nested,
        many=many,
        loss=loss,
        note=node.get("note"),
        default=node.get("default"),
        has_default="default" in node,
        default_from=node.get("default_from"),
        where=Where(reader.display, line),
    )


def bind_converter(
    reader: Reader,
    name: Any,
    node: LocatedDict,
    enums: Mapping[str, EnumTable],
    assumptions: Mapping[str, Assumption],
    line: int,
    **ctx: Any,
) -> dict[str, Any]:
    converter = get_converter(name) if isinstance(name, str) else None
    if converter is None:
        raise reader.fail(
            f"unknown converter {name!r} (known: {', '.join(sorted(REGISTRY))})",
            node.line_of("convert") if "convert" in node else line,
            **ctx,
        )
    options: dict[str, Any] = {}
    if converter.needs_table:
        table = node.get("table")
        if not isinstance(table, str) or table not in enums:
            raise reader.fail(
                f"converter 'enum' needs `table:` naming an enum table; {table!r} is not defined",
                node.line_of("table") if "table" in node else line,
                **ctx,
            )
        options["table"] = enums[table]
    elif "table" in node:
        raise reader.fail(f"`table:` only goes with `convert: enum`, not {name!r}", line, **ctx)
    if converter.assumption is not None:
        assumption = assumptions.get(converter.assumption)
        if assumption is None:
            raise reader.fail(
                f"converter {name!r} reads assumption {converter.assumption!r}, "
                f"which {ASSUMPTIONS_FILE} does not define",
                line,
                **ctx,
            )
        options["assumption"] = assumption.value
    return options


def check_model_references(models: Mapping[str, Model]) -> None:
    for model in models.values():
        for field in model.fields:
            if field.default_from is not None and model.field(field.default_from) is None:
                raise CatalogueError(
                    f"`default_from:` names {field.default_from!r}, which is not a field of "
                    f"{model.name}",
                    file=field.where.file,
                    line=field.where.line,
                    field=f"{model.name}.{field.name}",
                )
            if field.model is not None and field.model not in models:
                raise CatalogueError(
                    f"unknown model {field.model!r}",
                    file=field.where.file,
                    line=field.where.line,
                    field=f"{model.name}.{field.name}",
                )
