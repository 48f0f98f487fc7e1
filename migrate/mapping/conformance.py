"""Checks a catalogue against the outside world: Pleo's specs and the legacy endpoint list.

Structural validity is `schema/`'s job and stops at the first error. These checks collect
every problem, so `mappings check` can show them all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from migrate.mapping.catalogue import Catalogue
from migrate.mapping.flow_names import FLOWS
from migrate.mapping.model import Endpoint, Envelope, Operation
from migrate.mapping.specs import NewApiSpecs, Schema, SpecParameter, schema_at
from migrate.mapping.yaml_reader import load_plain
from migrate.pleo import LEGACY_BASE_PATH
from migrate.resources import legacy_spec_file


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
        if operation.response and operation.model and not operation.response.new.empty:
            problems.extend(
                _fields_problems(
                    catalogue,
                    operation,
                    operation.model,
                    operation.response.new,
                    spec.success_schema(),
                    "response",
                )
            )
        if operation.request and operation.request_model and not operation.request.new.empty:
            problems.extend(
                _fields_problems(
                    catalogue,
                    operation,
                    operation.request_model,
                    operation.request.new,
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
    scope = operation.company
    if scope is None:
        return []
    kind, name = scope.where, scope.name
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
    flow = FLOWS.get(operation.flow or "")
    from_list = envelope.many or (direction == "response" and flow is not None and flow.picks_one)
    prefix = (envelope.key + "." if envelope.key else "") + ("[]." if from_list else "")
    prefix = prefix.replace(".[]", "[]")
    assembled = set(flow.assembles) if flow is not None else set()
    absent: list[str] = []  # canonical paths already reported: their fields are not looked for
    for item in catalogue.fields(model_name, new_prefix=prefix):
        if item.new_path is None or any(
            item.path.startswith((gone + ".", gone + "[].")) for gone in absent
        ):
            continue
        if _assembled(item.new_path, prefix, assembled):
            continue
        if schema_at(schema, item.new_path) is None:
            absent.append(item.path)
            yield Problem(
                str(item.field.where),
                operation.id,
                f"{item.model}.{item.field.name}",
                f"new field {item.new_path!r} is not in the {direction} schema of {operation.new}",
            )


def _assembled(new_path: str, prefix: str, assembled: set[str]) -> bool:
    """Whether a new-side path lies under a key its flow adds from another call."""
    top = new_path.removeprefix(prefix).split(".")[0].removesuffix("[]")
    return top in assembled


@dataclass(frozen=True)
class LegacyOperation:
    """One operation of the rebuilt legacy spec: method, /v1 path and its evidence level."""

    method: str
    path: str  # with the /v1 base: /v1/expenses/{expenseId}
    evidence: str  # documented | inferred (x-evidence)
    operation_id: str


_METHODS = ("get", "post", "put", "patch", "delete")


def legacy_operations(path: Path | None = None) -> list[LegacyOperation]:
    """Every operation of `specs/legacy/legacy-openapi.yml`, in the spec's order."""
    document = load_plain(path or legacy_spec_file())
    paths = document.get("paths") if isinstance(document, dict) else None
    if not isinstance(paths, dict):
        raise ValueError(f"{path or legacy_spec_file()} has no `paths:`")
    found = []
    for template, item in paths.items():
        for method, operation in (item or {}).items():
            if method in _METHODS and isinstance(operation, dict):
                found.append(
                    LegacyOperation(
                        method.upper(),
                        LEGACY_BASE_PATH + str(template),
                        str(operation.get("x-evidence", "inferred")),
                        str(operation.get("operationId", "")),
                    )
                )
    return found


def legacy_endpoints(path: Path | None = None) -> list[tuple[str, str]]:
    """(method, path) of every legacy operation in the legacy spec, with the /v1 base."""
    return [(op.method, op.path) for op in legacy_operations(path)]


def check_legacy_coverage(catalogue: Catalogue, path: Path | None = None) -> list[Problem]:
    """Every legacy spec operation has a catalogue operation (a mapping or a declared gap)
    carrying the spec's evidence level; no catalogue operation is missing from the spec."""
    by_shape = {op.legacy.shape: op for op in catalogue}
    problems = []
    spec_shapes = set()
    for legacy in legacy_operations(path):
        shape = Endpoint(legacy.method, legacy.path).shape
        spec_shapes.add(shape)
        operation = by_shape.get(shape)
        name = f"{legacy.method} {legacy.path}"
        if operation is None:
            problems.append(Problem("catalogue", name, None, "legacy operation has no operation"))
        elif operation.evidence != legacy.evidence:
            problems.append(
                Problem(
                    str(operation.where),
                    operation.id,
                    "evidence",
                    f"the legacy spec marks {name} {legacy.evidence!r}; the catalogue says "
                    f"{operation.evidence!r}",
                )
            )
    for operation in catalogue:
        if operation.legacy.shape not in spec_shapes:
            problems.append(
                Problem(
                    str(operation.where),
                    operation.id,
                    None,
                    f"{operation.legacy} is not an operation of the legacy spec",
                )
            )
    return problems
