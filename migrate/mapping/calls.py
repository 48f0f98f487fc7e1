"""The one request planner: a legacy request becomes the new-API call(s) that serve it.

`plan_call` reads the catalogue for one legacy request (method, path, query, body, and the
company id) and answers with a `CallPlan`: the new call (method, path, query, body, company
placed where the new API wants it), the GET a merge-update reads first, the legacy page window
and the largest new page, and what of the request the new API will not see. The functions at
the bottom turn a new answer back into the legacy shape.

Compat executes a plan; shadow executes the very same plan (it builds no new-API request by
itself, so a parity run checks the request compat would send); the codemod uses the static
parts (`place_company`, `filter_body_value`). Every failure is a `ConversionError` whose
message says what to fix; each consumer decides what it becomes (a legacy 400, a report line).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from migrate.errors import ConversionError
from migrate.mapping.catalogue import Catalogue, LegacyMatch
from migrate.mapping.model import CompanyScope, Filter, Operation
from migrate.mapping.transform import Record
from migrate.pleo import (
    COMPANY_ID_VAR,
    LEGACY_DEFAULT_PAGE_SIZE,
    LEGACY_METADATA,
    LEGACY_PAGE_OFFSET,
    LEGACY_PAGE_SIZE,
    LEGACY_PAGING_PARAMS,
    NEW_LIMIT_MAX,
    cursor_params,
)

Query = tuple[tuple[str, str], ...]
DEFAULT_LIMIT_MAX = NEW_LIMIT_MAX


class _NoBody:
    """Marks a request or response without a body (distinct from a JSON `null`)."""

    def __repr__(self) -> str:
        return "NO_BODY"


NO_BODY: Any = _NoBody()


def json_bytes(body: Any) -> bytes:
    """A JSON body as it goes on the wire: one encoding for compat and shadow alike."""
    return json.dumps(body).encode()


@dataclass(frozen=True)
class NewCall:
    """One request to the new API, relative to its base URL."""

    method: str
    path: str  # /v2/employees
    params: Query = ()  # the query, in order
    body: Any = NO_BODY  # JSON to send

    def with_params(self, extra: Mapping[str, str]) -> NewCall:
        """The same call with `extra` query parameters (replacing any of the same name)."""
        kept = tuple((key, value) for key, value in self.params if key not in extra)
        return NewCall(self.method, self.path, kept + tuple(extra.items()), self.body)

    def with_body(self, body: Any) -> NewCall:
        return NewCall(self.method, self.path, self.params, body)

    def content(self) -> bytes | None:
        """The body's bytes as sent; None without a body."""
        return None if self.body is NO_BODY else json_bytes(self.body)

    @property
    def target(self) -> str:
        """`/v2/employees?limit=10`: the path and its query, as a URL carries them."""
        return self.path + (f"?{urlencode(self.params)}" if self.params else "")

    def __str__(self) -> str:
        return f"{self.method} {self.target}"


@dataclass(frozen=True)
class PageWindow:
    """The legacy page asked for: records [offset, offset + size)."""

    offset: int
    size: int


@dataclass(frozen=True)
class CallPlan:
    """What the new API is asked, for one legacy request."""

    match: LegacyMatch
    call: NewCall  # without paging parameters; a merge-update's PUT before the merge
    read: NewCall | None  # a merge-update reads the record first (GET)
    window: PageWindow | None  # an offset-to-cursor list: the legacy page asked for
    limit_max: int  # the largest `limit` one new page may ask for
    ignored: tuple[str, ...]  # legacy query parameters the catalogue does not carry
    unapplied: tuple[str, ...]  # declared losses of legacy filters the new API cannot apply

    @property
    def operation(self) -> Operation:
        return self.match.operation

    @property
    def paged(self) -> bool:
        """Whether the new answer comes in cursor pages."""
        return self.operation.paging in ("offset-to-cursor", "all-to-cursor")

    def page(self, limit: int, after: str | None = None) -> NewCall:
        """The call for one cursor page of at most `limit` records (never above the maximum)."""
        return self.call.with_params(cursor_params(min(limit, self.limit_max), after))

    def keep(self, records: list[Record]) -> list[Record]:
        """The legacy filters applied after the call (`records:`), to canonical records."""
        return keep_records(self.match, records)


def plan_request(
    catalogue: Catalogue,
    method: str,
    url: str,
    legacy_body: Any = NO_BODY,
    company_id: str | None = None,
) -> CallPlan:
    """The plan for a concrete legacy request (`GET /v1/employees?pageSize=10`)."""
    match = catalogue.match_legacy(method, url)
    if match is None:
        raise ConversionError(f"{method} {url} is not a legacy endpoint the catalogue knows")
    return plan_call(catalogue, match, legacy_body, company_id)


def plan_call(
    catalogue: Catalogue,
    match: LegacyMatch,
    legacy_body: Any = NO_BODY,
    company_id: str | None = None,
) -> CallPlan:
    """The plan for a legacy request already matched to its operation.

    A flow's plan names the flow's main endpoint only: its steps are the flow's own (compat).
    """
    operation = match.operation
    if operation.new is None:
        raise ConversionError(f"{operation.id} has no new-API equivalent: {operation.gap}")
    query: list[tuple[str, str]] = list(operation.new_query.items())
    body: Any = NO_BODY
    if operation.kind == "search":
        body = {**operation.search_body, **operation.list_default_body}
    elif operation.request is not None and operation.kind not in ("merge-update", "flow"):
        body = request_body(catalogue, operation, legacy_body)
    for filter_ in operation.filters:
        given = [value for name, value in match.query if name == filter_.legacy]
        values = [value for value in filter_.values(given) if filter_.sends(value)]
        if not values or not filter_.carried:
            continue
        if filter_.new_query is not None:
            query.extend(filter_query(filter_, values))
        elif filter_.new_body is not None:
            body = {} if body is NO_BODY else body
            if isinstance(body, dict):
                body[filter_.new_body] = filter_body_value(filter_, values)
    if operation.company is not None and not company_id:
        raise ConversionError(
            f"{operation.id} needs the company id on the new API; set {COMPANY_ID_VAR}"
        )
    placed_query, body = place_company(operation.company, company_id, tuple(query), body)
    call = NewCall(operation.new.method, catalogue.new_path(match), placed_query, body)
    return CallPlan(
        match=match,
        call=call,
        read=NewCall("GET", call.path) if operation.kind == "merge-update" else None,
        window=page_window(match.query) if operation.paging == "offset-to-cursor" else None,
        limit_max=operation.new_limit_max or DEFAULT_LIMIT_MAX,
        ignored=ignored_query(operation, match.query),
        unapplied=unapplied_filters(operation, match.query),
    )


# --- the static parts (the codemod decides with these what a rewritten call looks like) ------


def place_company(
    scope: CompanyScope | None, company_id: Any, query: Query, body: Any
) -> tuple[Query, Any]:
    """The query and body with the company named where the new API wants it."""
    if scope is None:
        return query, body
    if scope.where == "query":
        return (*query, (scope.name, str(company_id))), body
    body = {} if body is NO_BODY else body
    if isinstance(body, dict):
        body[scope.name] = company_id
    return query, body


def filter_query(filter_: Filter, values: Sequence[Any]) -> list[tuple[str, str]]:
    """A legacy filter's values as the new query parameters they become."""
    assert filter_.new_query is not None
    return [(filter_.new_query, query_text(_converted(filter_, value))) for value in values]


def filter_body_value(filter_: Filter, values: Sequence[Any]) -> Any:
    """A legacy filter's values as the one body value they become (a list with `as_list`)."""
    converted = [_converted(filter_, value) for value in values]
    return converted if filter_.as_list else converted[-1]


def _converted(filter_: Filter, value: Any) -> Any:
    try:
        return filter_.convert(value)
    except ConversionError as exc:
        raise ConversionError(f"query parameter {filter_.legacy}: {exc}") from None


def query_text(value: Any) -> str:
    """A converted value as query text (`true`, not Python's `True`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def keep_records(match: LegacyMatch, records: list[Record]) -> list[Record]:
    """The legacy filters the new API cannot apply (`records:`), applied to canonical records."""
    for filter_ in match.operation.filters:
        if filter_.records is None:
            continue
        values = filter_.values([value for name, value in match.query if name == filter_.legacy])
        if not values:
            continue
        wanted: Any = values[-1]
        if wanted.lower() in ("true", "false"):
            wanted = wanted.lower() == "true"
        records = [record for record in records if record.get(filter_.records) == wanted]
    return records


def page_window(query: Query) -> PageWindow:
    """pageOffset / pageSize of a legacy list request, validated like the legacy API does."""
    given = dict(query)
    offset = _whole(given.get(LEGACY_PAGE_OFFSET, "0"), LEGACY_PAGE_OFFSET, minimum=0)
    size = _whole(
        given.get(LEGACY_PAGE_SIZE, str(LEGACY_DEFAULT_PAGE_SIZE)), LEGACY_PAGE_SIZE, minimum=1
    )
    return PageWindow(offset, size)


def _whole(text: str, name: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConversionError(f"{name} must be a whole number, got {text!r}") from None
    if value < minimum:
        raise ConversionError(f"{name} must be at least {minimum}, got {value}")
    return value


def ignored_query(operation: Operation, query: Query) -> tuple[str, ...]:
    """Legacy query parameters that the catalogue does not carry over (for logs and notes)."""
    known = {f.legacy for f in operation.filters} | LEGACY_PAGING_PARAMS
    return tuple(name for name, _ in query if name not in known)


def dropped_query(operation: Operation, query: Query) -> tuple[str, ...]:
    """The legacy query parameters no new call sends, each once: those the catalogue does not
    carry over (`ignored_query`), then filters it declares lost (no side can apply them)."""
    filters = {f.legacy: f for f in operation.filters}
    lost = [name for name, _ in query
            if (f := filters.get(name)) is not None and not f.carried and f.records is None]
    return tuple(dict.fromkeys([*ignored_query(operation, query), *lost]))


def unapplied_filters(operation: Operation, query: Query) -> tuple[str, ...]:
    """Per legacy filter given that no side can apply: its declared loss."""
    filters = {f.legacy: f for f in operation.filters}
    found = []
    for name, _ in query:
        filter_ = filters.get(name)
        if filter_ is not None and not filter_.carried and filter_.records is None:
            found.append(filter_.loss or f"the new API cannot filter on {name!r}")
    return tuple(found)


# --- bodies both ways --------------------------------------------------------------------------


def request_body(catalogue: Catalogue, operation: Operation, legacy_body: Any) -> Any:
    """A legacy write body as the new API's body (defaults filled for required fields)."""
    if legacy_body is NO_BODY or legacy_body is None:
        raise ConversionError(f"{operation.id} needs a JSON body")
    try:
        canonical = catalogue.to_canonical(operation, "legacy", legacy_body, "request")
        return catalogue.from_canonical(operation, "new", canonical, "request")
    except ConversionError as exc:
        raise ConversionError(f"{operation.id}: {exc}") from None


def merged_body(
    catalogue: Catalogue, operation: Operation, current_new_body: Any, legacy_patch: Any
) -> Any:
    """GET + merge for a partial PATCH: the new API's full PUT body."""
    if not isinstance(legacy_patch, dict):
        raise ConversionError(f"{operation.id} needs a JSON object body")
    try:
        current = catalogue.to_canonical(operation, "new", current_new_body, "response")
        patch = catalogue.to_canonical(operation, "legacy", legacy_patch, "request")
    except ConversionError as exc:
        raise ConversionError(f"{operation.id}: {exc}") from None
    if not isinstance(current, dict) or not isinstance(patch, dict):
        raise ConversionError(f"{operation.id}: a merge-update reads and writes one record")
    return catalogue.from_canonical(operation, "new", {**current, **patch}, "request")


def new_records(catalogue: Catalogue, operation: Operation, new_body: Any) -> list[Record]:
    """The records of a new-API answer, in canonical shape."""
    result = catalogue.to_canonical(operation, "new", new_body)
    return result if isinstance(result, list) else [result]


def legacy_answer(
    catalogue: Catalogue,
    operation: Operation,
    canonical: Record | list[Record],
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """Canonical record(s) in the legacy envelope, with the legacy paging `metadata` if given."""
    body = catalogue.from_canonical(operation, "legacy", canonical, fill_missing=True)
    if metadata is not None and isinstance(body, dict):
        body[LEGACY_METADATA] = dict(metadata)
    return body
