"""specs/legacy/legacy-openapi.yml as JSON Schemas the legacy simulator's answers must meet.

The file is OpenAPI 3.0 (`nullable`, `allOf` of objects), so schemas are converted: `$ref`s
inlined, `allOf` object parts merged, `nullable` turned into `null` alternatives, and every
object that lists its properties closed (`additionalProperties: false`), so an answer that
carries a field the spec does not have (a legacy tag's `code`) fails as surely as one that
lacks a required field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from migrate.mapping.yaml_reader import load_plain

SPEC_FILE = Path(__file__).parents[2] / "specs" / "legacy" / "legacy-openapi.yml"
METHODS = ("get", "put", "post", "patch", "delete")
_DROP = ("description", "example", "examples", "x-documented-default", "x-enum-extra-inferred")


@dataclass(frozen=True)
class LegacyOperation:
    method: str
    path: str  # under /v1, e.g. /tag-groups/{tagGroupId}
    operation_id: str
    evidence: str  # documented | inferred
    responses: Mapping[str, Any]  # status -> JSON Schema, or None when no body is described
    query: Mapping[str, Any]  # query parameter -> JSON Schema


class _Converter:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def ref(self, ref: str) -> Any:
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node

    def schema(self, node: Any) -> Any:
        if not isinstance(node, Mapping):
            return node
        if "$ref" in node:
            merged = {**self.ref(node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}
            return self.schema(merged)
        node = {k: v for k, v in node.items() if not k.startswith("x-") and k not in _DROP}
        nullable = bool(node.pop("nullable", False))
        if "allOf" in node:
            node = self._merge([self.schema(p) for p in node.pop("allOf")], node)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "properties":
                out[key] = {name: self.schema(sub) for name, sub in value.items()}
            elif key == "items":
                out[key] = self.schema(value)
            else:
                out[key] = value
        if "properties" in out:
            out.setdefault("type", "object")
            out.setdefault("additionalProperties", False)
        if nullable:
            return {"anyOf": [out, {"type": "null"}]}
        return out

    @staticmethod
    def _merge(parts: list[Any], rest: Mapping[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = dict(rest)
        for part in parts:
            if "anyOf" in part and len(part) == 1:  # a nullable part: keep the object side
                part = part["anyOf"][0]
            for key, value in part.items():
                if key == "properties":
                    merged.setdefault("properties", {}).update(value)
                elif key == "required":
                    merged["required"] = sorted({*merged.get("required", []), *value})
                elif key != "additionalProperties":
                    merged[key] = value
        return merged


@cache
def legacy_operations() -> tuple[LegacyOperation, ...]:
    document = load_plain(SPEC_FILE)
    convert = _Converter(document)
    operations = []
    for path, item in document["paths"].items():
        for method in METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            responses: dict[str, Any] = {}
            for status, response in raw["responses"].items():
                if "$ref" in response:
                    response = convert.ref(response["$ref"])
                content = (response.get("content") or {}).get("application/json")
                responses[str(status)] = None if content is None else convert.schema(
                    content["schema"])
            query = {}
            for parameter in raw.get("parameters", []):
                if "$ref" in parameter:
                    parameter = convert.ref(parameter["$ref"])
                if parameter["in"] == "query":
                    query[parameter["name"]] = convert.schema(parameter.get("schema", {}))
            operations.append(LegacyOperation(
                method=method.upper(), path=path, operation_id=raw["operationId"],
                evidence=raw["x-evidence"], responses=responses, query=query,
            ))
    return tuple(operations)


def find(method: str, path: str) -> LegacyOperation | None:
    for operation in legacy_operations():
        if operation.method == method and operation.path == path:
            return operation
    return None
