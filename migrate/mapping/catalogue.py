"""The `Catalogue`: the one API every consumer uses to ask how legacy maps to new.

Lookups (by id, by legacy request), the one walk over a model's fields (`fields`), declared
losses, and the body transforms between each side and the canonical shape. Which new call a
legacy request becomes is `calls.py`'s job, built on these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from migrate.errors import ConversionError, UsageError
from migrate.mapping.catalogue_cache import cached
from migrate.mapping.compiled import Route
from migrate.mapping.model import (
    Assumption,
    Direction,
    EnumTable,
    Envelope,
    FieldPath,
    Model,
    Operation,
    Side,
    fill_template,
    template_regex,
)
from migrate.mapping.transform import Record, Transformer
from migrate.pleo import LEGACY_BASE_PATH
from migrate.resources import mappings_dir

if TYPE_CHECKING:  # the schema (and YAML) load only when a catalogue is read from its files
    from migrate.mapping.schema import RawCatalogue

__all__ = ["LEGACY_BASE_PATH", "Catalogue", "LegacyMatch", "Loss", "load_catalogue"]


@dataclass(frozen=True)
class LegacyMatch:
    """A concrete legacy request resolved to its operation."""

    operation: Operation
    path_params: Mapping[str, str]
    query: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Loss:
    """A declared loss: what the new API cannot carry, for one field of one operation."""

    field: str  # canonical path, e.g. "role" or "lines[].tagIds[].id"
    legacy: str | None
    reason: str


@dataclass(frozen=True)
class ResourceSummary:
    resource: str
    operations: tuple[str, ...]
    mapped: int
    lossy: int
    gaps: int
    scopes: tuple[str, ...]


class Catalogue:
    """Validated mappings with lookups (by id, by legacy request) and body transforms."""

    def __init__(self, raw: RawCatalogue, source: Path) -> None:
        self.source = source
        self.files = raw.files
        self.operations: tuple[Operation, ...] = raw.operations
        self.models: Mapping[str, Model] = raw.models
        self.enums: Mapping[str, EnumTable] = raw.enums
        self.assumptions: Mapping[str, Assumption] = raw.assumptions
        self._by_id = {op.id: op for op in raw.operations}
        self._transformer = Transformer(raw.models)
        routes = sorted(
            ((op, template_regex(op.legacy.path)) for op in raw.operations),
            key=lambda item: (len(item[0].legacy.params), item[0].legacy.path),
        )
        self._routes: dict[str, list[tuple[Operation, re.Pattern[str]]]] = {}
        for operation, pattern in routes:  # per method, in matching order
            self._routes.setdefault(operation.legacy.method, []).append((operation, pattern))
        self._index = _RouteIndex(self._routes)
        # convert_records' envelope and compiled converter per (operation id, source, target,
        # direction), made on first use; the operation is kept to tell another one apart
        self._records_routes: dict[tuple[str, str, str, str], tuple[Operation, _Unwrap, Any]] = {}

    # --- lookups ---------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def get(self, op_id: str) -> Operation:
        try:
            return self._by_id[op_id]
        except KeyError:
            close = [known for known in self._by_id if known.split(".")[0] == op_id.split(".")[0]]
            hint = f"; did you mean one of {', '.join(close)}?" if close else ""
            raise UsageError(f"no operation {op_id!r} in the catalogue{hint}") from None

    def resources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(op.resource for op in self.operations))

    def by_resource(self, resource: str) -> tuple[Operation, ...]:
        return tuple(op for op in self.operations if op.resource == resource)

    def match_legacy(self, method: str, url: str) -> LegacyMatch | None:
        """The operation that serves a concrete legacy request, with its path parameters.

        `url` may be a full URL (`https://openapi.pleo.io/v1/expenses/42?x=1`), a path with
        the `/v1` base, or a path relative to it (`/expenses/42`).
        """
        parts = urlsplit(url)
        path = parts.path.rstrip("/") or "/"
        if not path.startswith(LEGACY_BASE_PATH + "/"):
            path = LEGACY_BASE_PATH + (path if path.startswith("/") else "/" + path)
        method = method.upper()
        exact = self._index.exact.get((method, path))
        if exact is not None:
            return LegacyMatch(exact, {}, tuple(parse_qsl(parts.query, keep_blank_values=True)))
        for operation, pattern in self._index.candidates(method, path):
            found = pattern.fullmatch(path)
            if found:
                return LegacyMatch(
                    operation,
                    found.groupdict(),
                    tuple(parse_qsl(parts.query, keep_blank_values=True)),
                )
        return None

    def new_path(self, match: LegacyMatch) -> str:
        """The new API path for a matched legacy request (path parameters carried over)."""
        operation = match.operation
        if operation.new is None:
            raise UsageError(f"{operation.id} has no new-API equivalent: {operation.gap}")
        missing = [old for old in operation.path_params if old not in match.path_params]
        if missing:
            raise ConversionError(f"no value for the path parameter {{{missing[0]}}}")
        values = {new: match.path_params[old] for old, new in operation.path_params.items()}
        # A flow's new path may hold parameters no legacy value feeds; the flow fills them.
        return fill_template(operation.new.path, values, keep_missing=True)

    # --- the one walk over a model's fields ------------------------------------------------

    def fields(self, model: str, *, new_prefix: str = "") -> Iterator[FieldPath]:
        """Every field of `model` and of its nested models, depth first, in declared order.

        Each comes with its canonical path (`lines[].tagIds[].id`), its path in the new record
        (under `new_prefix`, e.g. `data[].`), and the loss it inherits from enclosing fields.
        A model met again inside itself is not entered twice.
        """
        yield from self._walk(model, "", new_prefix, None, (model,))

    def _walk(
        self,
        model: str,
        prefix: str,
        new_prefix: str | None,
        parent: FieldPath | None,
        seen: tuple[str, ...],
    ) -> Iterator[FieldPath]:
        for field in self.models[model].fields:
            path = f"{prefix}{field.name}"
            new_path = None if new_prefix is None or field.new is None else new_prefix + field.new
            here = FieldPath(
                path=path,
                top=parent.top if parent else field.name,
                model=model,
                field=field,
                new_path=new_path,
                loss=field.loss or (parent.loss if parent else None),
                parent=parent.path if parent else None,
            )
            yield here
            if field.model is not None and field.model not in seen:
                marker = "[]." if field.many else "."
                yield from self._walk(
                    field.model,
                    path + marker,
                    None if new_path is None else new_path + marker,
                    here,
                    (*seen, field.model),
                )

    # --- declared losses -------------------------------------------------------------------

    def losses(self, operation: Operation) -> tuple[Loss, ...]:
        """Every loss declared for an operation: its own and those of its model, recursively."""
        found = [Loss("", None, text) for text in operation.losses]
        for name in dict.fromkeys(m for m in (operation.model, operation.request_model) if m):
            found.extend(
                Loss(item.path, item.field.legacy, item.field.loss)
                for item in self.fields(name)
                if item.field.loss is not None
            )
        return tuple(found)

    def is_lossy(self, operation: Operation) -> bool:
        return bool(self.losses(operation))

    # --- transforms ------------------------------------------------------------------------

    def to_canonical(
        self, operation: Operation, side: Side, body: Any, direction: Direction = "response"
    ) -> Record | list[Record]:
        """A legacy or new body (envelope included) as canonical record(s)."""
        envelope, model = self._shape(operation, side, direction)
        payload = _unwrap(envelope, body)
        convert = self._transformer.compiled(model, Route(side, "canonical"))
        if envelope.many:
            return [convert(item) for item in payload]
        return convert(payload)

    def convert_records(
        self,
        operation: Operation,
        source: Side,
        target: Side,
        body: Any,
        direction: Direction = "response",
    ) -> list[Record]:
        """The records of a `source` body as `target` records, one compiled step each (no
        canonical dict): legacy records shown as the legacy API shows them (`fill_missing`),
        new create bodies with their defaults. Equal to `to_canonical` + `from_canonical`."""
        key = (operation.id, source, target, direction)
        known = self._records_routes.get(key)
        if known is None or known[0] is not operation:
            envelope, model = self._shape(operation, source, direction)
            with_defaults = (
                target == "new" and direction == "request" and operation.kind != "merge-update"
            )
            route = Route(source, target, fill=target == "legacy", with_defaults=with_defaults)
            known = (operation, _Unwrap(envelope), self._transformer.compiled(model, route))
            self._records_routes[key] = known
        _, unwrap, convert = known
        payload = unwrap.payload(body)
        if unwrap.many:
            return list(map(convert, payload))
        return [convert(payload)]

    def comparable_records(self, operation: Operation, side: Side, body: Any) -> list[Record]:
        """The canonical records of a response body as the shadow comparator diffs them: only
        the fields the legacy API has, nulls dropped, in one compiled step each."""
        envelope, model = self._shape(operation, side, "response")
        payload = _unwrap(envelope, body)
        convert = self._transformer.compiled(model, Route(side, "canonical", comparable=True))
        if envelope.many:
            return [convert(item) for item in payload]
        return [convert(payload)]

    def wrap(
        self, operation: Operation, side: Side, records: list[Record], direction: Direction
    ) -> Any:
        """Records of one side inside that side's envelope (the first one for a single body)."""
        envelope, _ = self._shape(operation, side, direction)
        if envelope.many:
            payload: Any = records
        elif records:
            payload = records[0]
        else:
            raise ConversionError(f"{operation.id}: expected one record, got none")
        return {envelope.key: payload} if envelope.key else payload

    def from_canonical(
        self,
        operation: Operation,
        side: Side,
        canonical: Record | list[Record],
        direction: Direction = "response",
        *,
        fill_missing: bool = False,
    ) -> Any:
        """Canonical record(s) as a body of one side, inside that side's envelope.

        Paging metadata is not part of the canonical shape; the compat layer adds it.
        `fill_missing` (legacy side) shows every legacy field, null where nothing is known.
        """
        envelope, model = self._shape(operation, side, direction)
        # Defaults fill required new fields on create; a merge-update fills them from a GET.
        with_defaults = (
            side == "new" and direction == "request" and operation.kind != "merge-update"
        )

        def convert(record: Record) -> Record:
            if side == "legacy":
                return self._transformer.canonical_to_legacy(
                    model, record, fill_missing=fill_missing
                )
            return self._transformer.canonical_to_new(model, record, with_defaults=with_defaults)

        if envelope.many:
            if not isinstance(canonical, list):
                raise ConversionError(f"{operation.id}: expected a list of records")
            payload: Any = [convert(record) for record in canonical]
        else:
            if not isinstance(canonical, dict):
                raise ConversionError(f"{operation.id}: expected one record")
            payload = convert(canonical)
        return {envelope.key: payload} if envelope.key else payload

    def _shape(
        self, operation: Operation, side: Side, direction: Direction
    ) -> tuple[Envelope, str]:
        pair = operation.response if direction == "response" else operation.request
        model = operation.model if direction == "response" else operation.request_model
        if pair is None or model is None:
            raise ConversionError(f"{operation.id} has no {direction} body to transform")
        return pair.on(side), model

    # --- summaries -------------------------------------------------------------------------

    def summaries(self) -> tuple[ResourceSummary, ...]:
        result = []
        for resource in self.resources():
            ops = self.by_resource(resource)
            mapped = [op for op in ops if op.mapped]
            result.append(
                ResourceSummary(
                    resource=resource,
                    operations=tuple(op.id for op in ops),
                    mapped=len(mapped),
                    lossy=sum(1 for op in mapped if self.is_lossy(op)),
                    gaps=len(ops) - len(mapped),
                    scopes=tuple(sorted({scope for op in ops for scope in op.scopes})),
                )
            )
        return tuple(result)


def minimum_scopes(needs: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """The least set of API-key scopes for operations in use, each with the operations needing it.

    `needs` maps operation ids to their scopes (`{op.id: op.scopes}`); the result maps each
    scope to the sorted ids that need it, scopes in order. `scan` and the report both ask here.
    """
    users: dict[str, set[str]] = {}
    for operation, scopes in needs.items():
        for scope in scopes:
            users.setdefault(scope, set()).add(operation)
    return {scope: tuple(sorted(users[scope])) for scope in sorted(users)}


_Routes = list[tuple[Operation, re.Pattern[str]]]
_BASE = LEGACY_BASE_PATH + "/"


class _RouteIndex:
    """The legacy routes of one catalogue, indexed so that a request tries only the routes
    that can match it, in the same order as the scan over all of them.

    A template without parameters matches its own text only (its regex is the escaped text),
    and these come first in matching order: a dict finds it. A template whose first segment
    after `/v1/` is plain text matches only paths with that first segment (a parameter never
    spans a `/`); the others (a parameter in the first segment, another base) may match any.
    """

    def __init__(self, routes: Mapping[str, _Routes]) -> None:
        self.exact: dict[tuple[str, str], Operation] = {}
        self._by_segment: dict[tuple[str, str], _Routes] = {}
        self._anywhere: dict[str, _Routes] = {}
        for method, listed in routes.items():
            templated: list[tuple[str | None, Operation, re.Pattern[str]]] = []
            for operation, pattern in listed:
                path = operation.legacy.path
                if not operation.legacy.params and "{" not in path:
                    self.exact.setdefault((method, path), operation)
                else:
                    templated.append((_first_segment(path), operation, pattern))
            segments = {segment for segment, _, _ in templated if segment is not None}
            self._anywhere[method] = [(op, pattern) for seg, op, pattern in templated if not seg]
            for segment in segments:
                self._by_segment[method, segment] = [
                    (op, pattern) for seg, op, pattern in templated if seg in (segment, None)
                ]

    def candidates(self, method: str, path: str) -> _Routes:
        """The templated routes that may match `path` (under `/v1/`), in matching order."""
        segment = path[len(_BASE) :].split("/", 1)[0]
        found = self._by_segment.get((method, segment))
        return found if found is not None else self._anywhere.get(method, [])


def _first_segment(template: str) -> str | None:
    """The template's first segment under `/v1/` when it is plain text; None otherwise."""
    if not template.startswith(_BASE):
        return None
    segment = template[len(_BASE) :].split("/", 1)[0]
    return None if "{" in segment or "}" in segment or not segment else segment


class _Unwrap:
    """`_unwrap` for one envelope, with the envelope's key and shape read once."""

    def __init__(self, envelope: Envelope) -> None:
        self.envelope = envelope
        self.key = envelope.key
        self.many = envelope.many

    def payload(self, body: Any) -> Any:
        key = self.key
        if key is not None:
            if type(body) is not dict or key not in body:
                return _unwrap(self.envelope, body)  # the exact error, or another Mapping
            body = body[key]
        if self.many and type(body) is not list:
            return _unwrap(self.envelope, {key: body} if key is not None else body)
        return body


def _unwrap(envelope: Envelope, body: Any) -> Any:
    if envelope.key is not None:
        if not isinstance(body, Mapping) or envelope.key not in body:
            raise ConversionError(f"expected a body with a {envelope.key!r} key")
        body = body[envelope.key]
    if envelope.many and not isinstance(body, list):
        raise ConversionError(f"expected a list, got {type(body).__name__}")
    return body


@cache
def _load(folder: Path) -> Catalogue:
    from migrate.mapping.schema import read_folder

    return Catalogue(cached(folder, read_folder), folder)


def load_catalogue(folder: Path | str | None = None) -> Catalogue:
    """The catalogue in `folder`, or the one shipped with pleo-migrate (cached)."""
    path = Path(folder) if folder is not None else mappings_dir()
    return _load(path.resolve())
