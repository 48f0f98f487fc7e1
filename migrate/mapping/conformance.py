"""Checks a catalogue against the outside world: Pleo's specs and the legacy endpoint list.

Structural validity is `build.py`'s job and stops at the first error. These checks collect
every problem, so `mappings check` can show them all at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from migrate.mapping.catalogue import Catalogue
from migrate.mapping.model import Endpoint, Envelope, Model, Operation
from migrate.mapping.specs import NewApiSpecs, Schema, SpecParameter, schema_at
from migrate.resources import legacy_endpoints_file


@dataclass(frozen=True)
class Problem:
    where: str  # file:line
    operation: str
    field: str | None
    message: str

    def one_line(self) -> str:
        parts = [self.where, self.operation, *([self.field] if self.field else []), self.message]
        return ": ".join(parts)


def check_against_specs(catalogue: Catalogue, specs: NewApiSpecs) -> list[Problem]:
    """Every `new:` endpoint exists in the specs; every new-side field exists in its schema."""
    problems: list[Problem] = []
    for operation in catalogue:
        if operation.new is None:
            continue
        spec = specs.find(operation.new.method, operation.new.path)
        where = str(operation.where)
        if spec is None:
            problems.append(
                Problem(where, operation.id, None, f"{operation.new} is not in the new API's specs")
            )
            continue
        if operation.response and operation.model and not operation.response[1].empty:
            problems.extend(
                _fields_problems(
                    catalogue,
                    operation,
                    operation.model,
                    operation.response[1],
                    spec.success_schema(),
                    "response",
                )
            )
        if operation.request and operation.request_model and not operation.request[1].empty:
            problems.extend(
                _fields_problems(
                    catalogue,
                    operation,
                    operation.request_model,
                    operation.request[1],
                    spec.request_schema,
                    "request",
                )
            )
        for item in operation.filters:
            if item.new_query and spec.parameter(item.new_query) is None:
                problems.append(
                    Problem(
                        where,
                        operation.id,
                        f"filters.{item.legacy}",
                        f"query parameter {item.new_query!r} is not a parameter of {operation.new}",
                    )
                )
            if item.new_body and schema_at(spec.request_schema, item.new_body) is None:
                problems.append(
                    Problem(
                        where,
                        operation.id,
                        f"filters.{item.legacy}",
                        f"body field {item.new_body!r} is not in the request of {operation.new}",
                    )
                )
            if item.records and (
                operation.model is None
                or catalogue.models[operation.model].field(item.records) is None
            ):
                problems.append(
                    Problem(
                        where,
                        operation.id,
                        f"filters.{item.legacy}",
                        f"records filter field {item.records!r} is not a field of "
                        f"{operation.model}",
                    )
                )
        for name in operation.new_query:
            if spec.parameter(name) is None:
                problems.append(
                    Problem(
                        where,
                        operation.id,
                        f"new_query.{name}",
                        f"{name!r} is not a query parameter of {operation.new}",
                    )
                )
        problems.extend(_company_problems(operation, spec.parameters, spec.request_schema))
    return problems


def _company_problems(
    operation: Operation, parameters: tuple[SpecParameter, ...], request: Schema | None
) -> list[Problem]:
    kind, _, name = operation.company.partition(":")
    where = str(operation.where)
    if kind == "query" and not any(p.name == name and p.location == "query" for p in parameters):
        return [
            Problem(
                where, operation.id, "company", f"{operation.new} has no query parameter {name!r}"
            )
        ]
    if kind == "body" and schema_at(request, name) is None:
        return [
            Problem(
                where, operation.id, "company", f"the request of {operation.new} has no {name!r}"
            )
        ]
    return []


def _fields_problems(
    catalogue: Catalogue,
    operation: Operation,
    model_name: str,
    envelope: Envelope,
    schema: Schema | None,
    direction: str,
) -> Iterator[Problem]:
    if schema is None:
        yield Problem(
            str(operation.where),
            operation.id,
            None,
            f"the spec documents no JSON {direction} body for {operation.new}",
        )
        return
    prefix = (envelope.key + "." if envelope.key else "") + ("[]." if envelope.many else "")
    prefix = prefix.replace(".[]", "[]")
    yield from _walk_model(
        catalogue, operation, catalogue.models[model_name], schema, prefix, direction
    )


def _walk_model(
    catalogue: Catalogue,
    operation: Operation,
    model: Model,
    schema: Schema,
    prefix: str,
    direction: str,
) -> Iterator[Problem]:
    for field in model.fields:
        if field.new is None:
            continue
        path = prefix + field.new
        found = schema_at(schema, path)
        if found is None:
            yield Problem(
                str(field.where),
                operation.id,
                f"{model.name}.{field.name}",
                f"new field {path!r} is not in the {direction} schema of {operation.new}",
            )
            continue
        if field.model is not None:
            nested = catalogue.models[field.model]
            yield from _walk_model(
                catalogue,
                operation,
                nested,
                schema,
                path + ("[]." if field.many else "."),
                direction,
            )


def legacy_endpoints(path: Path | None = None) -> list[tuple[str, str]]:
    """(method, path) of every known legacy endpoint, with the /v1 base added."""
    document = json.loads((path or legacy_endpoints_file()).read_text(encoding="utf-8"))
    return [(item["method"].upper(), "/v1" + item["path"]) for item in document["endpoints"]]


def check_legacy_coverage(catalogue: Catalogue, path: Path | None = None) -> list[Problem]:
    """Every known legacy endpoint has an operation (a mapping or a declared gap)."""
    covered = {op.legacy.shape for op in catalogue}
    return [
        Problem("catalogue", f"{method} {endpoint}", None, "legacy endpoint has no operation")
        for method, endpoint in legacy_endpoints(path)
        if Endpoint(method, endpoint).shape not in covered
    ]
