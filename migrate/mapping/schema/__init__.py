"""Turns loaded mapping files into validated, frozen catalogue objects.

Every check raises a `CatalogueError` located at `file:line`, with the operation id and the
field path when there is one, so a broken catalogue is fixed from one line of output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from migrate.errors import CatalogueError
from migrate.mapping.converters import get_converter
from migrate.mapping.flow_names import FLOWS
from migrate.mapping.yaml_reader import LocatedDict, LocatedList, load_located
from migrate.mapping.model import (
    KINDS,
    PAGINGS,
    Assumption,
    Endpoint,
    EnumTable,
    Envelope,
    Example,
    Field,
    Filter,
    Kind,
    Model,
    Operation,
    Paging,
    Where,
)

ASSUMPTIONS_FILE = "assumptions.yaml"
_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$")
_SCOPE = re.compile(r"^[a-z][a-z-]*:(read|write)$")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
_COMPANY = ("none", "query:company_id", "query:companyId", "body:companyId")
_ENVELOPE = re.compile(r"^(-|\.|\[\]|[A-Za-z][A-Za-z0-9]*(\[\])?)$")

_FILE_KEYS = {"resource", "docs", "summary", "models", "enums", "operations"}
_OP_KEYS = {
    "id",
    "summary",
    "kind",
    "legacy",
    "new",
    "scopes",
    "company",
    "paging",
    "new_limit_max",
    "path_params",
    "response",
    "request",
    "model",
    "request_model",
    "filters",
    "search_body",
    "new_query",
    "flow",
    "gap",
    "alternative",
    "losses",
    "docs",
    "examples",
    "notes",
}
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
_FILTER_KEYS = {"query", "body", "records", "convert", "table", "as_list", "loss"}
_EXAMPLE_KEYS = {"name", "direction", "legacy", "new"}


@dataclass(frozen=True)
class RawCatalogue:
    """Everything read from one folder, before cross-file checks."""

    assumptions: dict[str, Assumption]
    enums: dict[str, EnumTable]
    models: dict[str, Model]
    operations: tuple[Operation, ...]
    files: tuple[str, ...]


class _Reader:
    """Reads one file; knows its name for error messages."""

    def __init__(self, display: str) -> None:
        self.display = display

    def fail(
        self, problem: str, line: int | None, *, op: str | None = None, field: str | None = None
    ) -> CatalogueError:
        return CatalogueError(problem, file=self.display, line=line, operation=op, field=field)

    def mapping(self, value: Any, line: int, what: str, **ctx: Any) -> LocatedDict:
        if not isinstance(value, LocatedDict):
            raise self.fail(f"{what} must be a mapping, got {_kind(value)}", line, **ctx)
        return value

    def no_unknown_keys(self, node: LocatedDict, allowed: set[str], what: str, **ctx: Any) -> None:
        for key in node:
            if key not in allowed:
                raise self.fail(
                    f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})",
                    node.line_of(key),
                    **ctx,
                )

    def text(self, node: LocatedDict, key: str, what: str, **ctx: Any) -> str:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what} needs a non-empty text {key!r}", node.line_of(key), **ctx)
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a text"
    return type(value).__name__


def read_folder(folder: Path) -> RawCatalogue:
    """Read and validate every `*.yaml` file of a catalogue folder."""
    if not folder.is_dir():
        raise CatalogueError(f"not a folder: {folder}")
    paths = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    if not paths:
        raise CatalogueError(f"no *.yaml mapping files in {folder}")
    assumptions: dict[str, Assumption] = {}
    assumption_path = folder / ASSUMPTIONS_FILE
    if assumption_path.exists():
        assumptions = _read_assumptions(assumption_path, _display(assumption_path))
    documents = [
        (path, _display(path), load_located(path, display_name=_display(path)))
        for path in paths
        if path.name != ASSUMPTIONS_FILE
    ]
    enums: dict[str, EnumTable] = {}
    for _, display, document in documents:
        reader = _Reader(display)
        root = reader.mapping(document, 1, "a mapping file")
        reader.no_unknown_keys(root, _FILE_KEYS, "a mapping file")
        for table in _read_enums(reader, root.get("enums")):
            if table.name in enums:
                first = enums[table.name].where
                raise reader.fail(
                    f"enum table {table.name!r} is defined twice (also at {first})",
                    table.where.line,
                )
            enums[table.name] = table
    models: dict[str, Model] = {}
    for _, display, document in documents:
        reader = _Reader(display)
        for model in _read_models(reader, document.get("models"), enums, assumptions):
            if model.name in models:
                raise reader.fail(
                    f"model {model.name!r} is defined twice (also at {models[model.name].where})",
                    model.where.line,
                )
            models[model.name] = model
    _check_model_references(models)
    operations: list[Operation] = []
    seen: dict[str, Operation] = {}
    for _, display, document in documents:
        reader = _Reader(display)
        resource = reader.text(document, "resource", "a mapping file")
        for operation in _read_operations(reader, document, resource, models, enums, assumptions):
            if operation.id in seen:
                raise reader.fail(
                    f"duplicate operation id (first defined at {seen[operation.id].where})",
                    operation.where.line,
                    op=operation.id,
                )
            seen[operation.id] = operation
            operations.append(operation)
    _check_unique_legacy_endpoints(operations)
    return RawCatalogue(
        assumptions=assumptions,
        enums=enums,
        models=models,
        operations=tuple(operations),
        files=tuple(display for _, display, _ in documents),
    )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- assumptions -------------------------------------------------------------------------


def _read_assumptions(path: Path, display: str) -> dict[str, Assumption]:
    reader = _Reader(display)
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


def _read_enums(reader: _Reader, raw: Any) -> Iterable[EnumTable]:
    if raw is None:
        return
    node = reader.mapping(raw, 1, "enums")
    for name, raw_table in node.items():
        table = reader.mapping(raw_table, node.line_of(name), f"enum table {name!r}")
        reader.no_unknown_keys(table, {"values", "assumed", "inverse_only"}, f"enum table {name!r}")
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
            lossy=bool(extra),
        )


# --- models ------------------------------------------------------------------------------


def _read_models(
    reader: _Reader, raw: Any, enums: Mapping[str, EnumTable], assumptions: Mapping[str, Assumption]
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
    reader: _Reader,
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
    options = _bind_converter(reader, converter_name, node, enums, assumptions, line, field=path)
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


def _bind_converter(
    reader: _Reader,
    name: Any,
    node: LocatedDict,
    enums: Mapping[str, EnumTable],
    assumptions: Mapping[str, Assumption],
    line: int,
    **ctx: Any,
) -> dict[str, Any]:
    converter = get_converter(name) if isinstance(name, str) else None
    if converter is None:
        from migrate.mapping.converters import REGISTRY

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


def _check_model_references(models: Mapping[str, Model]) -> None:
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


# --- operations --------------------------------------------------------------------------


def _read_operations(
    reader: _Reader,
    document: LocatedDict,
    resource: str,
    models: Mapping[str, Model],
    enums: Mapping[str, EnumTable],
    assumptions: Mapping[str, Assumption],
) -> Iterable[Operation]:
    raw = document.get("operations")
    if not isinstance(raw, LocatedList) or not raw:
        raise reader.fail("a mapping file needs a non-empty `operations:` list", document.line)
    file_docs = document.get("docs")
    for index, item in enumerate(raw):
        yield _read_operation(
            reader, item, raw.item_lines[index], resource, file_docs, models, enums, assumptions
        )


def _read_operation(
    reader: _Reader,
    raw: Any,
    line: int,
    resource: str,
    file_docs: Any,
    models: Mapping[str, Model],
    enums: Mapping[str, EnumTable],
    assumptions: Mapping[str, Assumption],
) -> Operation:
    node = reader.mapping(raw, line, "an operation")
    op_id = node.get("id")
    if not isinstance(op_id, str) or not _ID.match(op_id):
        raise reader.fail(
            f"an operation needs an `id:` like 'employees.list', got {op_id!r}", node.line
        )
    ctx: dict[str, Any] = {"op": op_id}
    reader.no_unknown_keys(node, _OP_KEYS, "an operation", **ctx)
    kind = node.get("kind")
    if kind not in KINDS:
        raise reader.fail(
            f"`kind:` must be one of {', '.join(KINDS)}, got {kind!r}", node.line_of("kind"), **ctx
        )
    legacy = _endpoint(reader, node, "legacy", ctx)
    if legacy is None:
        raise reader.fail("an operation needs `legacy: METHOD /v1/path`", node.line, **ctx)
    new = _endpoint(reader, node, "new", ctx)
    docs = node.get("docs", file_docs)
    if not isinstance(docs, str) or not docs.startswith("https://"):
        raise reader.fail("an operation needs a `docs:` https link", node.line, **ctx)
    if kind == "gap":
        return _gap(reader, node, op_id, resource, cast(Kind, kind), legacy, docs, ctx)
    if new is None:
        raise reader.fail(f"a {kind!r} operation needs `new: METHOD /path`", node.line, **ctx)
    scopes = node.get("scopes")
    if not isinstance(scopes, list) or not scopes:
        raise reader.fail("a mapped operation needs its API-key `scopes:`", node.line, **ctx)
    for scope in scopes:
        if not isinstance(scope, str) or not _SCOPE.match(scope):
            raise reader.fail(
                f"scope {scope!r} is not like 'users:read'", node.line_of("scopes"), **ctx
            )
    company = node.get("company", "none")
    if company not in _COMPANY:
        raise reader.fail(
            f"`company:` must be one of {', '.join(_COMPANY)}, got {company!r}",
            node.line_of("company"),
            **ctx,
        )
    paging = node.get("paging", "none")
    if paging not in PAGINGS:
        raise reader.fail(
            f"`paging:` must be one of {', '.join(PAGINGS)}, got {paging!r}",
            node.line_of("paging"),
            **ctx,
        )
    limit = node.get("new_limit_max")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise reader.fail("`new_limit_max:` must be a positive whole number", node.line, **ctx)
    flow = node.get("flow")
    if kind == "flow" and flow not in FLOWS:
        raise reader.fail(
            f"`flow:` must name a known flow ({', '.join(FLOWS)}), got {flow!r}", node.line, **ctx
        )
    model = _model_ref(reader, node, "model", models, ctx)
    request_model = _model_ref(reader, node, "request_model", models, ctx) or (
        model if "request" in node else None
    )
    operation = Operation(
        id=op_id,
        resource=resource,
        summary=reader.text(node, "summary", "an operation", **ctx),
        kind=cast(Kind, kind),
        legacy=legacy,
        new=new,
        scopes=tuple(scopes),
        company=company,
        paging=cast(Paging, paging),
        new_limit_max=limit,
        path_params=_path_params(reader, node, legacy, new, ctx),
        response=_envelopes(reader, node, "response", ctx),
        request=_envelopes(reader, node, "request", ctx),
        model=model,
        request_model=request_model,
        filters=_filters(reader, node, enums, assumptions, ctx),
        search_body=dict(node.get("search_body") or {}),
        new_query={str(k): str(v) for k, v in (node.get("new_query") or {}).items()},
        flow=flow,
        gap=None,
        alternative=node.get("alternative"),
        losses=tuple(node.get("losses") or ()),
        docs=docs,
        examples=_examples(reader, node, ctx),
        where=Where(reader.display, node.line),
    )
    if kind == "search" and new.method != "POST":
        raise reader.fail("a 'search' operation calls `new: POST …:search`", node.line, **ctx)
    if kind == "merge-update" and (legacy.method != "PATCH" or new.method != "PUT"):
        raise reader.fail(
            "a 'merge-update' operation maps legacy PATCH to new PUT", node.line, **ctx
        )
    if operation.response is not None and not operation.response[0].empty and model is None:
        raise reader.fail("an operation with a response body needs `model:`", node.line, **ctx)
    if not operation.examples:
        raise reader.fail("a mapped operation needs at least one example", node.line, **ctx)
    return operation


def _gap(
    reader: _Reader,
    node: LocatedDict,
    op_id: str,
    resource: str,
    kind: Kind,
    legacy: Endpoint,
    docs: str,
    ctx: dict[str, Any],
) -> Operation:
    reason = reader.text(node, "gap", "a gap", **ctx)
    if node.get("new") is not None:
        raise reader.fail(
            "a gap has `new: null`; put candidates in `alternative:`", node.line, **ctx
        )
    return Operation(
        id=op_id,
        resource=resource,
        summary=reader.text(node, "summary", "an operation", **ctx),
        kind=kind,
        legacy=legacy,
        new=None,
        scopes=(),
        company="none",
        paging="none",
        new_limit_max=None,
        path_params={},
        response=None,
        request=None,
        model=None,
        request_model=None,
        filters=(),
        search_body={},
        new_query={},
        flow=None,
        gap=reason,
        alternative=node.get("alternative"),
        losses=(),
        docs=docs,
        examples=(),
        where=Where(reader.display, node.line),
    )


def _endpoint(reader: _Reader, node: LocatedDict, key: str, ctx: dict[str, Any]) -> Endpoint | None:
    raw = node.get(key)
    if raw is None:
        return None
    parts = raw.split() if isinstance(raw, str) else []
    if len(parts) != 2 or parts[0] not in _METHODS or not parts[1].startswith("/"):
        raise reader.fail(
            f"`{key}:` must read 'METHOD /path', got {raw!r}", node.line_of(key), **ctx
        )
    if key == "legacy" and not parts[1].startswith("/v1/"):
        raise reader.fail(
            f"legacy paths start with /v1/ (the legacy base path), got {parts[1]!r}",
            node.line_of(key),
            **ctx,
        )
    return Endpoint(parts[0], parts[1])


def _model_ref(
    reader: _Reader, node: LocatedDict, key: str, models: Mapping[str, Model], ctx: dict[str, Any]
) -> str | None:
    name = node.get(key)
    if name is None:
        return None
    if name not in models:
        raise reader.fail(f"unknown model {name!r}", node.line_of(key), **ctx)
    return str(name)


def _path_params(
    reader: _Reader, node: LocatedDict, legacy: Endpoint, new: Endpoint, ctx: dict[str, Any]
) -> dict[str, str]:
    raw = node.get("path_params") or {}
    line = node.line_of("path_params")
    if not isinstance(raw, dict):
        raise reader.fail("`path_params:` maps legacy names to new names", line, **ctx)
    result: dict[str, str] = {}
    for legacy_name, new_name in raw.items():
        if legacy_name not in legacy.params:
            raise reader.fail(
                f"path parameter {legacy_name!r} is not in the legacy template {legacy.path}",
                line,
                **ctx,
                field=f"path_params.{legacy_name}",
            )
        if new_name is not None and new_name not in new.params:
            raise reader.fail(
                f"path parameter {new_name!r} is not in the new template {new.path}",
                line,
                **ctx,
                field=f"path_params.{legacy_name}",
            )
        if new_name is not None:
            result[legacy_name] = new_name
    for name in legacy.params:
        if name not in raw and name in new.params:
            result[name] = name
        elif name not in raw:
            raise reader.fail(
                f"legacy path parameter {name!r} has no counterpart in {new.path}: map it in "
                "`path_params:` (or map it to null to drop it)",
                node.line_of("new"),
                **ctx,
            )
    missing = [name for name in new.params if name not in result.values()]
    if missing and node.get("kind") != "flow":
        raise reader.fail(
            f"new path parameter {missing[0]!r} of {new.path} gets no value from {legacy.path}",
            node.line_of("new"),
            **ctx,
        )
    return result


def _envelopes(
    reader: _Reader, node: LocatedDict, key: str, ctx: dict[str, Any]
) -> tuple[Envelope, Envelope] | None:
    raw = node.get(key)
    if raw is None:
        return None
    pair = reader.mapping(raw, node.line_of(key), f"`{key}:`", **ctx)
    reader.no_unknown_keys(pair, {"legacy", "new"}, f"`{key}:`", **ctx)
    envelopes = []
    for side in ("legacy", "new"):
        spec = pair.get(side)
        if not isinstance(spec, str) or not _ENVELOPE.match(spec):
            raise reader.fail(
                f"`{key}.{side}:` must be an envelope like 'employees[]', 'data', '[]', '.' or '-'",
                pair.line_of(side),
                **ctx,
            )
        envelopes.append(Envelope(spec))
    return envelopes[0], envelopes[1]


def _filters(
    reader: _Reader,
    node: LocatedDict,
    enums: Mapping[str, EnumTable],
    assumptions: Mapping[str, Assumption],
    ctx: dict[str, Any],
) -> tuple[Filter, ...]:
    raw = node.get("filters")
    if raw is None:
        return ()
    filters_node = reader.mapping(raw, node.line_of("filters"), "`filters:`", **ctx)
    result = []
    for name, raw_filter in filters_node.items():
        path = f"filters.{name}"
        item = reader.mapping(raw_filter, filters_node.line_of(name), "a filter", **ctx, field=path)
        reader.no_unknown_keys(item, _FILTER_KEYS, "a filter", **ctx, field=path)
        query, body, loss = item.get("query"), item.get("body"), item.get("loss")
        records = item.get("records")
        targets = sum(target is not None for target in (query, body, records))
        if targets > 1 or (targets == 0 and loss is None):
            raise reader.fail(
                "a filter goes to exactly one of `query:`, `body:` or `records:` "
                "(or declares `loss:`)",
                item.line,
                **ctx,
                field=path,
            )
        if records is not None and node.get("paging", "none") == "offset-to-cursor":
            raise reader.fail(
                "a `records:` filter would break legacy page sizes; it only goes with "
                "unpaged lists",
                item.line,
                **ctx,
                field=path,
            )
        converter = item.get("convert", "same")
        options = _bind_converter(reader, converter, item, enums, assumptions, item.line, **ctx)
        result.append(
            Filter(
                legacy=name,
                new_query=query,
                new_body=body,
                records=records,
                converter=converter,
                options=options,
                as_list=bool(item.get("as_list", False)),
                loss=loss,
                where=Where(reader.display, item.line),
            )
        )
    return tuple(result)


def _examples(reader: _Reader, node: LocatedDict, ctx: dict[str, Any]) -> tuple[Example, ...]:
    raw = node.get("examples")
    if raw is None:
        return ()
    if not isinstance(raw, LocatedList):
        raise reader.fail("`examples:` must be a list", node.line_of("examples"), **ctx)
    result = []
    for index, item in enumerate(raw):
        example = reader.mapping(item, raw.item_lines[index], "an example", **ctx)
        reader.no_unknown_keys(example, _EXAMPLE_KEYS, "an example", **ctx)
        direction = example.get("direction", "response")
        if direction not in ("response", "request", "path"):
            raise reader.fail(
                "an example's `direction:` is response, request or path", example.line, **ctx
            )
        if "legacy" not in example or "new" not in example:
            raise reader.fail("an example needs both `legacy:` and `new:`", example.line, **ctx)
        result.append(
            Example(
                name=str(example.get("name", f"example {index + 1}")),
                direction=direction,
                legacy=_plain(example["legacy"]),
                new=_plain(example["new"]),
                where=Where(reader.display, example.line),
            )
        )
    return tuple(result)


def _plain(value: Any) -> Any:
    """Strip line bookkeeping so examples compare equal to decoded JSON."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _check_unique_legacy_endpoints(operations: Iterable[Operation]) -> None:
    seen: dict[str, Operation] = {}
    for operation in operations:
        key = operation.legacy.shape
        if key in seen:
            raise CatalogueError(
                f"legacy endpoint {operation.legacy} is mapped twice (also by {seen[key].id})",
                file=operation.where.file,
                line=operation.where.line,
                operation=operation.id,
            )
        seen[key] = operation
