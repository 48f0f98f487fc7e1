"""The compat engine: serves one legacy request with as many new-API calls as it takes.

It is written "sans I/O": `serve()` is a generator that yields each new-API request and is sent
the response, and finally returns the legacy response. The httpx transports (sync and async),
the requests adapter and the proxy drive the same engine with their own I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Hashable
from functools import cache
from typing import Any

from migrate.compat.cursors import CursorCache
from migrate.compat.messages import NO_BODY, LegacyRequest, LegacyResponse, NewRequest, NewResponse
from migrate.compat.rewrite import (
    JSON_HEADERS,
    LegacyFault,
    canonical_records,
    decode_json,
    error_from_new,
    filter_records,
    gap_response,
    ignored_query,
    legacy_body,
    merged_update_body,
    new_request,
    page_window,
)
from migrate.mapping.catalogue import Catalogue, LegacyMatch, load_catalogue
from migrate.mapping.model import Operation
from migrate.mapping.specs import NewApiSpecs, load_new_api_specs

Exchange = Generator[NewRequest, NewResponse, LegacyResponse]
log = logging.getLogger("migrate.compat")

DEFAULT_LIMIT_MAX = 1000  # where the spec states no maximum for `limit`
MAX_PAGES_PER_CALL = 100_000


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

    def __repr__(self) -> str:
        return f"CompatEngine(catalogue={self.catalogue.source}, company_id={self.company_id!r})"

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
        ignored = ignored_query(match)
        if ignored:
            log.debug(
                "%s: legacy query parameters with no new equivalent: %s", operation.id, ignored
            )
        company = yield from self.company_for(operation)
        if operation.kind == "flow":
            from migrate.compat.flows import FLOWS

            return (yield from FLOWS[str(operation.flow)](self, match, request.body, company))
        if operation.kind == "merge-update":
            return (yield from self._merge_update(match, request.body, company))
        base = new_request(self.catalogue, match, request.body, company)
        if operation.paging == "offset-to-cursor":
            return (yield from self._page(match, base, company))
        if operation.paging == "all-to-cursor":
            return (yield from self._drain(match, base))
        response = yield base
        return self.answer(operation, response)

    # --- company ---------------------------------------------------------------------------

    def company_for(self, operation: Operation) -> Generator[NewRequest, NewResponse, str | None]:
        """The company to name: configured, or discovered when the key sees exactly one."""
        if operation.company == "none" or self.company_id:
            return self.company_id
        response = yield NewRequest("GET", "/v1/companies")
        if response.status >= 400:
            raise LegacyFault(
                400,
                f"{operation.id} needs a company id on the new API and it could not be "
                f"discovered (GET /v1/companies answered {response.status}; it needs the "
                "companies:read scope): set PLEO_COMPANY_ID",
            )
        body = decode_json(response, operation)
        companies = body.get("data") if isinstance(body, dict) else None
        if not isinstance(companies, list) or len(companies) != 1:
            count = len(companies) if isinstance(companies, list) else 0
            raise LegacyFault(
                400,
                f"{operation.id} needs a company id on the new API; the key sees {count} "
                "companies, so choose one with PLEO_COMPANY_ID",
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
        if pair is None or pair[0].empty:
            return LegacyResponse(response.status, NO_BODY)
        body = decode_json(response, operation)
        records = canonical_records(self.catalogue, operation, body)
        canonical = records if pair[0].many else records[0]
        return LegacyResponse(
            response.status, legacy_body(self.catalogue, operation, canonical), JSON_HEADERS
        )

    # --- paging ----------------------------------------------------------------------------

    def _limit_max(self, operation: Operation) -> int:
        return operation.new_limit_max or DEFAULT_LIMIT_MAX

    def _offers_offset(self, operation: Operation) -> bool:
        assert operation.new is not None
        return _offers_offset(
            self._specs or load_new_api_specs(), operation.new.method, operation.new.path
        )

    def _page(self, match: LegacyMatch, base: NewRequest, company: str | None) -> Exchange:
        """One legacy page (pageOffset, pageSize) from cursor pages of the new API."""
        operation = match.operation
        window = page_window(match)
        limit_max = self._limit_max(operation)
        key = _query_key(match, company)
        position = window.offset
        cursor = self.cursors.exact(key, position) if position else None
        use_offset = bool(position) and cursor is None and self._offers_offset(operation)
        has_next = True
        total: int | None = None
        if position and cursor is None and not use_offset:
            start, cursor = self.cursors.nearest_below(key, position)
            log.debug("%s: walking from record %d to offset %d", operation.id, start, position)
            while start < position and has_next:
                params = {"limit": str(min(limit_max, position - start))}
                if cursor:
                    params["after"] = cursor
                page = self._page_body(operation, (yield base.with_params(params)))
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
            params = {"limit": str(min(limit_max, remaining))}
            if cursor:
                params["after"] = cursor
            elif use_offset:
                params["offset"] = str(position)
            page = self._page_body(operation, (yield base.with_params(params)))
            pages += 1
            records.extend(canonical_records(self.catalogue, operation, page.body))
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
        page_info = {
            "pageSize": window.size,
            "totalCount": total,
            "nextPageOffset": window.offset + len(records) if has_next and records else None,
        }
        body = legacy_body(self.catalogue, operation, records, page_info)
        return LegacyResponse(200, body, JSON_HEADERS)

    def _drain(self, match: LegacyMatch, base: NewRequest) -> Exchange:
        """Every page of a new cursor list, for a legacy endpoint that returns all at once."""
        operation = match.operation
        limit = str(self._limit_max(operation))
        records: list[dict[str, Any]] = []
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES_PER_CALL):
            params = {"limit": limit, **({"after": cursor} if cursor else {})}
            page = self._page_body(operation, (yield base.with_params(params)))
            records.extend(canonical_records(self.catalogue, operation, page.body))
            cursor = page.end_cursor
            if not page.has_next or not page.data or not cursor or cursor in seen:
                break
            seen.add(cursor)
        records = filter_records(match, records)
        return LegacyResponse(200, legacy_body(self.catalogue, operation, records), JSON_HEADERS)

    def _page_body(self, operation: Operation, response: NewResponse) -> _Page:
        body = self.checked_json(operation, response)
        return _Page.of(operation, body)

    # --- merge-update ----------------------------------------------------------------------

    def _merge_update(self, match: LegacyMatch, patch: Any, company: str | None) -> Exchange:
        """Legacy PATCH → GET, merge, re-check that nothing changed underneath, full PUT."""
        operation = match.operation
        put = new_request(self.catalogue, match, NO_BODY, company)
        read = NewRequest("GET", put.path)
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
        response = yield NewRequest(put.method, put.path, put.params, body)
        return self.answer(operation, response)


class _Answered(LegacyFault):
    """Carries a ready legacy response (an error from the new API) out of a helper."""

    def __init__(self, response: LegacyResponse) -> None:
        Exception.__init__(self, "answered")
        self.response = response


class _Page:
    def __init__(
        self, body: Any, data: list[Any], has_next: bool, end: str | None, total: int | None
    ) -> None:
        self.body, self.data, self.has_next, self.end_cursor, self.total = (
            body,
            data,
            has_next,
            end,
            total,
        )

    @classmethod
    def of(cls, operation: Operation, body: Any) -> _Page:
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise LegacyFault(
                502, f"{operation.id}: the new API sent no `data` list", operation=operation.id
            )
        raw = body.get("pagination")
        pagination: dict[str, Any] = raw if isinstance(raw, dict) else {}
        total = pagination.get("total")
        return cls(
            body,
            body["data"],
            bool(pagination.get("hasNextPage", False)),
            pagination.get("endCursor"),
            total if isinstance(total, int) else None,
        )


def _query_key(match: LegacyMatch, company: str | None) -> Hashable:
    filters = tuple(sorted((k, v) for k, v in match.query if k not in ("pageOffset", "pageSize")))
    return (match.operation.id, tuple(sorted(match.path_params.items())), filters, company)


@cache
def _offers_offset(specs: NewApiSpecs, method: str, path: str) -> bool:
    operation = specs.find(method, path)
    return operation is not None and operation.parameter("offset") is not None


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or url
