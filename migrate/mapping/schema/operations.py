"""The operation half of a mapping file: endpoints, envelopes, filters, examples.

Each operation is checked against the models already read, so a reference to an unknown model
or enum table fails at its own line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, cast

from migrate.errors import CatalogueError
from migrate.mapping.flow_names import FLOWS
from migrate.mapping.model import (
    KINDS,
    PAGINGS,
    Assumption,
    Bodies,
    CompanyScope,
    Endpoint,
    EnumTable,
    Envelope,
    Example,
    Filter,
    Kind,
    Model,
    Operation,
    Paging,
    Where,
)
from migrate.mapping.schema.models import bind_converter
from migrate.mapping.schema.reader import Reader
from migrate.mapping.yaml_reader import LocatedDict, LocatedList

_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$")
_SCOPE = re.compile(r"^[a-z][a-z-]*:(read|write)$")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
_COMPANY = ("none", "query:company_id", "query:companyId", "body:companyId")
_ENVELOPE = re.compile(r"^(-|\.|\[\]|[A-Za-z][A-Za-z0-9]*(\[\])?)$")

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
    "list_default_body",
    "new_query",
    "flow",
    "gap",
    "alternative",
    "losses",
    "docs",
    "examples",
    "notes",
    "evidence",
}
EVIDENCE = ("documented", "inferred")
_FILTER_KEYS = {
    "query", "body", "records", "convert", "table", "as_list", "loss", "default", "omit_when"
}
_EXAMPLE_KEYS = {"name", "direction", "legacy", "new"}


def read_operations(
    reader: Reader,
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
    reader: Reader,
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
    evidence = node.get("evidence")
    if evidence is not None and evidence not in EVIDENCE:
        raise reader.fail(
            f"`evidence:` is the legacy spec's x-evidence ({' or '.join(EVIDENCE)}), "
            f"got {evidence!r}",
            node.line_of("evidence"),
            **ctx,
        )
    if kind == "gap":
        gap = _gap(reader, node, op_id, resource, cast(Kind, kind), legacy, docs, ctx)
        return replace(gap, evidence=evidence)
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
        company=CompanyScope.parse(company),
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
        list_default_body=_plain(node.get("list_default_body") or {}),
        evidence=evidence,
        gap=None,
        alternative=node.get("alternative"),
        losses=tuple(node.get("losses") or ()),
        docs=docs,
        examples=_examples(reader, node, ctx),
        where=Where(reader.display, node.line),
    )
    if kind == "search" and new.method != "POST":
        raise reader.fail("a 'search' operation calls `new: POST …:search`", node.line, **ctx)
    if kind == "merge-update" and (legacy.method not in ("PATCH", "PUT") or new.method != "PUT"):
        raise reader.fail(
            "a 'merge-update' operation maps a legacy PATCH (or partial PUT) to a new PUT",
            node.line,
            **ctx,
        )
    if operation.response is not None and not operation.response.legacy.empty and model is None:
        raise reader.fail("an operation with a response body needs `model:`", node.line, **ctx)
    if not operation.examples:
        raise reader.fail("a mapped operation needs at least one example", node.line, **ctx)
    return operation


def _gap(
    reader: Reader,
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
        company=None,
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


def _endpoint(reader: Reader, node: LocatedDict, key: str, ctx: dict[str, Any]) -> Endpoint | None:
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
    reader: Reader, node: LocatedDict, key: str, models: Mapping[str, Model], ctx: dict[str, Any]
) -> str | None:
    name = node.get(key)
    if name is None:
        return None
    if name not in models:
        raise reader.fail(f"unknown model {name!r}", node.line_of(key), **ctx)
    return str(name)


def _path_params(
    reader: Reader, node: LocatedDict, legacy: Endpoint, new: Endpoint, ctx: dict[str, Any]
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


def _envelopes(reader: Reader, node: LocatedDict, key: str, ctx: dict[str, Any]) -> Bodies | None:
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
    legacy, new = envelopes
    return Bodies(legacy, new)


def _filters(
    reader: Reader,
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
        targets = sum(target is not None for target in (query, body))
        if targets > 1 or (targets == 0 and records is None and loss is None):
            raise reader.fail(
                "a filter goes to one of `query:` or `body:`, and/or `records:` "
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
        options = bind_converter(reader, converter, item, enums, assumptions, item.line, **ctx)
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
                default=_text_or_none(reader, item, "default", ctx, path),
                omit_when=_text_or_none(reader, item, "omit_when", ctx, path),
            )
        )
    return tuple(result)


def _text_or_none(
    reader: Reader, item: LocatedDict, key: str, ctx: dict[str, Any], path: str
) -> str | None:
    """A filter's legacy value setting, as the query text a client would send."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str | int):
        raise reader.fail(f"`{key}:` is a legacy query value", item.line, **ctx, field=path)
    return str(value)


def _examples(reader: Reader, node: LocatedDict, ctx: dict[str, Any]) -> tuple[Example, ...]:
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


def check_unique_legacy_endpoints(operations: Iterable[Operation]) -> None:
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
