"""The compat engine: serves one legacy request with as many new-API calls as it takes.

It is written "sans I/O": `serve()` is a generator that yields each new-API request and is sent
the response, and finally returns the legacy response. The httpx transports (sync and async),
the requests adapter and the proxy drive the same engine with their own I/O. Which new calls
serve a request is the planner's answer (`mapping/calls.py`); the engine executes the plan,
walks cursor pages through `pleo`'s envelope readers, and runs named flows from the registry.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Hashable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from migrate.compat.cursors import CursorCache
from migrate.compat.flows import FLOWS
from migrate.compat.messages import (
    Exchange,
    LegacyRequest,
    LegacyResponse,
    NewRequest,
    NewResponse,
)
from migrate.compat.rewrite import (
    JSON_HEADERS,
    LegacyFault,
    canonical_records,
    decode_json,
    error_from_new,
    gap_response,
    legacy_body,
    legacy_page,
    legacy_records,
    legacy_success,
    merged_update_body,
    plan,
)
from migrate.mapping import (
    CallPlan,
    Catalogue,
    LegacyMatch,
    NewApiSpecs,
    Operation,
    Query,
    dropped_query,
    load_catalogue,
    load_new_api_specs,
)
from migrate.pleo import (
    COMPANY_ID_VAR,
    LEGACY_PAGING_PARAMS,
    NEW_OFFSET,
    CursorPage,
    EnvelopeError,
    cursor_params,
    legacy_page_info,
)
from migrate.quiet_log import logger

__all__ = ["CompatEngine", "Exchange"]
log = logger("migrate.compat")

MAX_PAGES_PER_CALL = 100_000
INSTALLATION_PATH = "/v1/installations/me"
COMPANY_URN = "urn:pleo:company:"  # InstallationResponse.resource of a company's key


class CompatEngine:
    """Translates legacy requests; holds what outlives one request (cursors, the company)."""

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        company_id: str | None = None,
        specs: NewApiSpecs | None = None,
        cursors: CursorCache | None = None,
    ) -> None:
        self.catalogue = catalogue or load_catalogue()
        self.company_id = company_id
        self._specs = specs
        self.cursors = cursors or CursorCache()
        self._dropped_seen: set[tuple[str, tuple[str, ...]]] = set()

    def __repr__(self) -> str:
        return f"CompatEngine(catalogue={self.catalogue.source}, company_id={self.company_id!r})"

    def _warn_dropped(self, operation: Operation, query: Query) -> None:
        """A legacy filter the new API has not (`types`, `accountId` on the expense list) is
        not sent, so the answer may hold records it would have left out: said once per
        operation and set of names, as a warning (nothing fails, so nothing else would say)."""
        names = tuple(sorted({name for name, _ in query}))
        key = (operation.id, names)
        if key in self._dropped_seen:
            return
        self._dropped_seen.add(key)
        dropped = dropped_query(operation, query)
        if dropped:
            log.warning(
                "%s: legacy query parameters not sent on the new API (it has no such filter): "
                "%s; the answer may hold records they would have left out",
                operation.id, ", ".join(dropped),
            )

    # --- the entry point -------------------------------------------------------------------

    def serve(self, request: LegacyRequest) -> Exchange:
        try:
            return (yield from self._serve(request))
        except LegacyFault as fault:
            return fault.response

    def _serve(self, request: LegacyRequest) -> Exchange:
        match = self.catalogue.match_legacy(request.method, request.url)
        if match is None:
            raise LegacyFault(
                404,
                f"{request.method} {_path(request.url)} is not a legacy Pleo endpoint that "
                "pleo-migrate knows; it was not sent anywhere",
            )
        operation = match.operation
        if not operation.mapped:
            return gap_response(operation)
        if match.query:
            self._warn_dropped(operation, match.query)
        company = self.company_id
        if operation.company is not None and not company:
            company = yield from self.company_for(operation)
        if operation.kind == "flow":
            return (yield from FLOWS[str(operation.flow)](self, match, request.body, company))
        planned = plan(self.catalogue, match, request.body, company)
        if operation.kind == "merge-update":
            return (yield from self._merge_update(planned, request.body))
        if operation.paging == "offset-to-cursor":
            return (yield from self._page(planned, company))
        if operation.paging == "all-to-cursor":
            return (yield from self._drain(planned))
        response = yield planned.call
        return self.answer(operation, response)

    # --- company ---------------------------------------------------------------------------

    def company_for(self, operation: Operation) -> Generator[NewRequest, NewResponse, str | None]:
        """The company to name: configured, or discovered for the key.

        Pleo's design guide for standalone API keys says to call the Installation endpoint
        (`GET /v1/installations/me`, no scope listed in its spec) and take the company from
        its `resource` (`urn:pleo:company:<uuid>`). An organisation key's installation names
        the organisation, so `GET /v1/companies` (scope companies:read) is the fallback: it
        must list exactly one company.
        """
        if operation.company is None or self.company_id:
            return self.company_id
        installation = yield NewRequest("GET", INSTALLATION_PATH)
        found = _company_of_installation(installation)
        if found is not None:
            self.company_id = found
            return found
        response = yield NewRequest("GET", "/v1/companies")
        if response.status >= 400:
            raise LegacyFault(
                400,
                f"{operation.id} needs a company id on the new API and it could not be "
                f"discovered (GET {INSTALLATION_PATH} answered {installation.status} without a "
                f"company; GET /v1/companies answered {response.status}: it needs the "
                f"companies:read scope): set {COMPANY_ID_VAR}",
            )
        body = decode_json(response, operation)
        companies = body.get("data") if isinstance(body, dict) else None
        if not isinstance(companies, list) or len(companies) != 1:
            count = len(companies) if isinstance(companies, list) else 0
            raise LegacyFault(
                400,
                f"{operation.id} needs a company id on the new API; the key sees {count} "
                f"companies, so choose one with {COMPANY_ID_VAR}",
            )
        self.company_id = str(companies[0].get("id"))
        return self.company_id

    # --- answers ---------------------------------------------------------------------------

    def checked_json(self, operation: Operation, response: NewResponse) -> Any:
        """The JSON of a successful new-API answer; any failure becomes a legacy error."""
        if response.status >= 300:
            raise _Answered(error_from_new(operation, response))
        return decode_json(response, operation)

    def answer(self, operation: Operation, response: NewResponse) -> LegacyResponse:
        """A single new-API answer as the legacy response."""
        if response.status >= 300:
            return error_from_new(operation, response)
        pair = operation.response
        if pair is None or pair.legacy.empty:
            return legacy_success()
        records = legacy_records(self.catalogue, operation, decode_json(response, operation))
        return legacy_success(legacy_page(self.catalogue, operation, records))

    # --- paging ----------------------------------------------------------------------------

    def _offers_offset(self, operation: Operation) -> bool:
        assert operation.new is not None
        return _offers_offset(
            self._specs or load_new_api_specs(), operation.new.method, operation.new.path
        )

    def _page(self, planned: CallPlan, company: str | None) -> Exchange:
        """One legacy page (pageOffset, pageSize) from cursor pages of the new API."""
        operation = planned.operation
        window = planned.window
        assert window is not None
        limit_max = planned.limit_max
        key = _query_key(planned.match, company)
        position = window.offset
        cursor = self.cursors.exact(key, position) if position else None
        use_offset = bool(position) and cursor is None and self._offers_offset(operation)
        has_next = True
        total: int | None = None
        if position and cursor is None and not use_offset:
            start, cursor = self.cursors.nearest_below(key, position)
            log.debug("%s: walking from record %d to offset %d", operation.id, start, position)
            while start < position and has_next:
                params = cursor_params(min(limit_max, position - start), cursor)
                page = self._page_body(operation, (yield planned.call.with_params(params)))
                start += len(page.data)
                cursor, has_next, total = page.end_cursor, page.has_next, page.total
                if cursor and has_next:
                    self.cursors.remember(key, start, cursor)
                if not page.data:
                    break
        records: list[dict[str, Any]] = []
        remaining = window.size if has_next else 0
        pages = 0
        while remaining > 0 and pages < MAX_PAGES_PER_CALL:
            params = cursor_params(min(limit_max, remaining), cursor)
            if not cursor and use_offset:
                params[NEW_OFFSET] = str(position)
            page = self._page_body(operation, (yield planned.call.with_params(params)))
            pages += 1
            records.extend(legacy_records(self.catalogue, operation, page.body))
            position += len(page.data)
            remaining -= len(page.data)
            cursor, has_next, total = page.end_cursor, page.has_next, page.total
            use_offset = False
            if cursor and has_next:
                self.cursors.remember(key, position, cursor)
            if not has_next or not page.data:
                break
        if total is None and not has_next:
            total = window.offset + len(records)
        next_offset = window.offset + len(records) if has_next and records else None
        metadata = legacy_page_info(window.size, total, next_offset)
        body = legacy_page(self.catalogue, operation, records, metadata)
        return LegacyResponse(200, body, JSON_HEADERS)

    def _drain(self, planned: CallPlan) -> Exchange:
        """Every page of a new cursor list, for a legacy endpoint that returns all at once."""
        operation = planned.operation
        records: list[dict[str, Any]] = []
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES_PER_CALL):
            params = cursor_params(planned.limit_max, cursor)
            page = self._page_body(operation, (yield planned.call.with_params(params)))
            records.extend(canonical_records(self.catalogue, operation, page.body))
            cursor = page.end_cursor
            if not page.has_next or not page.data or not cursor or cursor in seen:
                break
            seen.add(cursor)
        records = planned.keep(records)
        return LegacyResponse(200, legacy_body(self.catalogue, operation, records), JSON_HEADERS)

    def _page_body(self, operation: Operation, response: NewResponse) -> CursorPage:
        return read_page(operation, self.checked_json(operation, response))

    # --- merge-update ----------------------------------------------------------------------

    def _merge_update(self, planned: CallPlan, patch: Any) -> Exchange:
        """Legacy PATCH → GET, merge, re-check that nothing changed underneath, full PUT."""
        operation = planned.operation
        read = planned.read
        assert read is not None
        before = self.checked_json(operation, (yield read))
        body = merged_update_body(self.catalogue, operation, before, patch)
        again = self.checked_json(operation, (yield read))
        if again != before:
            raise LegacyFault(
                409,
                f"{operation.id}: the record changed while it was being updated; "
                "read it again and retry",
                operation=operation.id,
            )
        response = yield planned.call.with_body(body)
        return self.answer(operation, response)


class _Answered(LegacyFault):
    """Carries a ready legacy response (an error from the new API) out of a helper."""

    def __init__(self, response: LegacyResponse) -> None:
        Exception.__init__(self, "answered")
        self.response = response


def read_page(operation: Operation, body: Any) -> CursorPage:
    """One page of a new-API list; an envelope that cannot be read is a legacy 502."""
    try:
        return CursorPage.read(body)
    except EnvelopeError as exc:
        raise LegacyFault(502, f"{operation.id}: {exc}", operation=operation.id) from None


def _query_key(match: LegacyMatch, company: str | None) -> Hashable:
    filters = tuple(sorted((k, v) for k, v in match.query if k not in LEGACY_PAGING_PARAMS))
    return (match.operation.id, tuple(sorted(match.path_params.items())), filters, company)


@cache
def _offers_offset(specs: NewApiSpecs, method: str, path: str) -> bool:
    operation = specs.find(method, path)
    return operation is not None and operation.parameter("offset") is not None


def _company_of_installation(response: NewResponse) -> str | None:
    """The company id in an installation's `resource` urn; None when it names none."""
    if response.status >= 300 or not response.content:
        return None
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    resource = body.get("resource") if isinstance(body, dict) else None
    if isinstance(resource, str) and resource.startswith(COMPANY_URN):
        return resource.removeprefix(COMPANY_URN) or None
    return None


def _path(url: str) -> str:
    return urlsplit(url).path or url
