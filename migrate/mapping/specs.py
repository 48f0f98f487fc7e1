"""Pleo's published OpenAPI files for the new API, indexed by method and path.

The catalogue is checked against these (every `new:` operation and field must exist), and
the simulator's tests validate responses with the resolved schemas. The files are OpenAPI 3.2
renders, so schemas are JSON Schema 2020-12 (`type: [string, 'null']`); `$ref`s are inlined
here so callers can walk or validate a schema without a resolver.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from migrate.mapping.model import template_regex
from migrate.resources import new_specs_dir

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
Schema = Mapping[str, Any]


@dataclass(frozen=True)
class SpecParameter:
    name: str
    location: str  # query | path | header | cookie
    required: bool
    schema: Schema


@dataclass(frozen=True)
class SpecOperation:
    method: str  # upper case
    path: str  # template, e.g. /v2/employees/{employeeId}
    spec_file: str
    operation_id: str | None
    parameters: tuple[SpecParameter, ...]
    request_schema: Schema | None
    responses: Mapping[str, Schema | None] = field(default_factory=dict)
    deprecated: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def parameter(self, name: str, location: str = "query") -> SpecParameter | None:
        for parameter in self.parameters:
            if parameter.name == name and parameter.location == location:
                return parameter
        return None

    def success_schema(self) -> Schema | None:
        """The schema of the first 2xx response with a JSON body, else the `default` one."""
        for status in sorted(self.responses):
            if status.startswith("2") and self.responses[status] is not None:
                return self.responses[status]
        return self.responses.get("default")


class NewApiSpecs:
    """All operations of the new API's spec files, with exact and template lookups."""

    def __init__(self, operations: tuple[SpecOperation, ...]) -> None:
        self.operations = operations
        self._by_key = {op.key: op for op in operations}
        self._patterns = [(template_regex(op.path, named=False), op) for op in operations]

    def find(self, method: str, path: str) -> SpecOperation | None:
        """The operation whose path *template* is exactly `path`."""
        return self._by_key.get(f"{method.upper()} {path}")

    def match(self, method: str, concrete_path: str) -> SpecOperation | None:
        """The operation serving a concrete path such as /v2/employees/3f…"""
        exact = self.find(method, concrete_path)
        if exact is not None:
            return exact
        for pattern, op in self._patterns:
            if op.method == method.upper() and pattern.fullmatch(concrete_path):
                return op
        return None

    def __iter__(self) -> Iterator[SpecOperation]:
        return iter(self.operations)


def _json_schema(content: Mapping[str, Any] | None) -> Any:
    if not content:
        return None
    for media_type, body in content.items():
        if "json" in media_type and isinstance(body, Mapping):
            return body.get("schema")
    return None


class _Resolver:
    """Inlines local `$ref`s; a reference cycle is cut to an empty (any) schema."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._done: dict[str, Any] = {}

    def resolve(self, node: Any, active: frozenset[str] = frozenset()) -> Any:
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                if ref in active:
                    return {}
                if ref not in self._done:
                    self._done[ref] = self.resolve(self._pointer(ref), active | {ref})
                return self._done[ref]
            return {key: self.resolve(value, active) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item, active) for item in node]
        return node

    def _pointer(self, ref: str) -> Any:
        node: Any = self._document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def _operations_of(path: Path) -> Iterator[SpecOperation]:
    from migrate.mapping.yaml_reader import load_plain  # YAML only when a spec is read

    document = load_plain(path)
    if not isinstance(document, Mapping):
        return
    resolver = _Resolver(document)
    for template, item in (document.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, Mapping):
                continue
            parameters = tuple(
                SpecParameter(
                    name=p["name"],
                    location=p.get("in", "query"),
                    required=bool(p.get("required", False)),
                    schema=p.get("schema") or {},
                )
                for p in resolver.resolve([*shared, *(raw.get("parameters") or [])])
            )
            body = resolver.resolve(raw.get("requestBody") or {})
            responses = {
                str(status): resolver.resolve(_json_schema(response.get("content")))
                for status, response in (raw.get("responses") or {}).items()
            }
            yield SpecOperation(
                method=method.upper(),
                path=template,
                spec_file=path.name,
                operation_id=raw.get("operationId"),
                parameters=parameters,
                request_schema=_json_schema(body.get("content")),
                responses=responses,
                deprecated=bool(raw.get("deprecated", False)),
            )


@cache
def _load(directory: Path) -> NewApiSpecs:
    operations: list[SpecOperation] = []
    for path in sorted(directory.glob("*.yml")):
        operations.extend(_operations_of(path))
    return NewApiSpecs(tuple(operations))


def load_new_api_specs(directory: Path | None = None) -> NewApiSpecs:
    """Every operation of the new API's spec files (cached per folder)."""
    return _load((directory or new_specs_dir()).resolve())


def schema_at(schema: Schema | None, dotted_path: str) -> Schema | None:
    """The sub-schema at a field path such as `data[].splitItems[].tags[].tagId`.

    Returns None when the path does not exist. Composition keywords (allOf/anyOf/oneOf) are
    searched, and `[]` steps into array items.
    """
    current: Schema | None = schema
    for step in _steps(dotted_path):
        if current is None:
            return None
        current = _child(current, step)
    return current


def _steps(dotted_path: str) -> Iterator[str]:
    for part in dotted_path.split("."):
        if not part:
            continue
        name, brackets = part, 0
        while name.endswith("[]"):
            name, brackets = name[:-2], brackets + 1
        if name:
            yield name
        for _ in range(brackets):
            yield "[]"


def _child(schema: Schema, step: str) -> Schema | None:
    for candidate in _alternatives(schema):
        if step == "[]":
            items = candidate.get("items")
            if isinstance(items, Mapping):
                return items
        else:
            properties = candidate.get("properties")
            if isinstance(properties, Mapping) and step in properties:
                found: Schema = properties[step]
                return found
    return None


def _alternatives(schema: Schema) -> Iterator[Schema]:
    yield schema
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword) or []:
            if isinstance(sub, Mapping):
                yield from _alternatives(sub)
