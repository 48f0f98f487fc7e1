"""Pure functions that turn a legacy request into new-API requests and answers back.

Everything here is driven by the catalogue: which new endpoint, how the company is named,
where each legacy filter goes, how bodies and envelopes convert, and what legacy paging
metadata says. No I/O, no per-endpoint code: the engine sequences these calls.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from migrate.compat.messages import NO_BODY, LegacyResponse, NewRequest, NewResponse
from migrate.errors import ConversionError
from migrate.mapping.catalogue import Catalogue, LegacyMatch
from migrate.mapping.converters import get_converter
from migrate.mapping.model import Operation
from migrate.mapping.transform import Record

PAGING_PARAMS = ("pageOffset", "pageSize")
LEGACY_DEFAULT_PAGE_SIZE = 100
JSON_HEADERS = {"content-type": "application/json"}

_LEGACY_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "unprocessable_entity",
    429: "too_many_requests",
    501: "not_implemented",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class LegacyFault(Exception):
    """Stops serving a request with a legacy-shaped error response."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.response = legacy_error(status, message, **extra)


def legacy_error(status: int, message: str, **extra: Any) -> LegacyResponse:
    """A legacy-shaped error: {"error": code, "message": text, "statusCode": status}."""
    body = {
        "error": _LEGACY_ERROR_CODES.get(status, "error"),
        "message": message,
        "statusCode": status,
        **extra,
    }
    return LegacyResponse(status, body, JSON_HEADERS)


@dataclass(frozen=True)
class PageWindow:
    """The legacy page asked for: records [offset, offset + size)."""

    offset: int
    size: int


def page_window(match: LegacyMatch) -> PageWindow:
    """pageOffset / pageSize of a legacy list request, validated like the legacy API does."""
    query = dict(match.query)
    offset = _whole(query.get("pageOffset", "0"), "pageOffset", minimum=0)
    size = _whole(query.get("pageSize", str(LEGACY_DEFAULT_PAGE_SIZE)), "pageSize", minimum=1)
    return PageWindow(offset, size)


def _whole(text: str, name: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise LegacyFault(400, f"{name} must be a whole number, got {text!r}") from None
    if value < minimum:
        raise LegacyFault(400, f"{name} must be at least {minimum}, got {value}")
    return value


def ignored_query(match: LegacyMatch) -> tuple[str, ...]:
    """Legacy query parameters that the catalogue does not carry over (for logs)."""
    known = {f.legacy for f in match.operation.filters} | set(PAGING_PARAMS)
    return tuple(name for name, _ in match.query if name not in known)


def new_request(
    catalogue: Catalogue,
    match: LegacyMatch,
    legacy_body: Any,
    company_id: str | None,
) -> NewRequest:
    """The main new-API request for a legacy request, without paging parameters."""
    operation = match.operation
    assert operation.new is not None
    params: list[tuple[str, str]] = list(operation.new_query.items())
    body: Any = NO_BODY
    if operation.kind == "search":
        body = dict(operation.search_body)
    elif operation.request is not None and operation.kind != "merge-update":
        body = request_body(catalogue, operation, legacy_body)
    for filter_ in operation.filters:
        values = [value for name, value in match.query if name == filter_.legacy]
        if not values or not (filter_.new_query or filter_.new_body):
            continue
        converted = [
            _convert_filter(filter_.converter, filter_.options, v, filter_.legacy) for v in values
        ]
        if filter_.new_query:
            params.extend((filter_.new_query, str(_query_text(v))) for v in converted)
        elif filter_.new_body and isinstance(body, dict):
            body[filter_.new_body] = converted if filter_.as_list else converted[-1]
    kind, _, name = operation.company.partition(":")
    if kind in ("query", "body") and not company_id:
        raise LegacyFault(
            400, f"{operation.id} needs the company id on the new API; set PLEO_COMPANY_ID"
        )
    if kind == "query":
        params.append((name, str(company_id)))
    elif kind == "body":
        body = {} if body is NO_BODY else body
        if isinstance(body, dict):
            body[name] = company_id
    return NewRequest(operation.new.method, catalogue.new_path(match), tuple(params), body)


def _convert_filter(converter_name: str, options: Mapping[str, Any], value: str, name: str) -> Any:
    converter = get_converter(converter_name)
    assert converter is not None
    try:
        return converter.forward(value, options)
    except ConversionError as exc:
        raise LegacyFault(400, f"query parameter {name}: {exc}") from None


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def request_body(catalogue: Catalogue, operation: Operation, legacy_body: Any) -> Any:
    """A legacy write body as the new API's body (defaults filled for required fields)."""
    if legacy_body is NO_BODY or legacy_body is None:
        raise LegacyFault(400, f"{operation.id} needs a JSON body")
    try:
        canonical = catalogue.to_canonical(operation, "legacy", legacy_body, "request")
        return catalogue.from_canonical(operation, "new", canonical, "request")
    except ConversionError as exc:
        raise LegacyFault(400, f"{operation.id}: {exc}") from None


def merged_update_body(
    catalogue: Catalogue, operation: Operation, current_new_body: Any, legacy_patch: Any
) -> Any:
    """GET + merge for a partial PATCH: the new API's full PUT body."""
    if not isinstance(legacy_patch, dict):
        raise LegacyFault(400, f"{operation.id} needs a JSON object body")
    try:
        current = catalogue.to_canonical(operation, "new", current_new_body, "response")
        patch = catalogue.to_canonical(operation, "legacy", legacy_patch, "request")
    except ConversionError as exc:
        raise LegacyFault(400, f"{operation.id}: {exc}") from None
    assert isinstance(current, dict) and isinstance(patch, dict)
    merged = {**current, **patch}
    return catalogue.from_canonical(operation, "new", merged, "request")


def decode_json(response: NewResponse, operation: Operation) -> Any:
    """The new API's JSON body; a truncated or malformed one becomes a legacy 502."""
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise LegacyFault(
            502,
            f"{operation.id}: the new API sent a body that is not valid JSON "
            f"({len(response.content)} bytes, status {response.status})",
            operation=operation.id,
        ) from None


def canonical_records(catalogue: Catalogue, operation: Operation, new_body: Any) -> list[Record]:
    """The records of a new-API list response, in canonical shape."""
    try:
        result = catalogue.to_canonical(operation, "new", new_body)
    except ConversionError as exc:
        raise LegacyFault(
            502, f"{operation.id}: unexpected answer from the new API: {exc}"
        ) from None
    return result if isinstance(result, list) else [result]


def legacy_body(
    catalogue: Catalogue,
    operation: Operation,
    canonical: Record | list[Record],
    page_info: Mapping[str, Any] | None = None,
) -> Any:
    """Canonical record(s) in the legacy envelope, with `metadata.pageInfo` for paged lists."""
    try:
        body = catalogue.from_canonical(operation, "legacy", canonical, fill_missing=True)
    except ConversionError as exc:
        raise LegacyFault(
            502, f"{operation.id}: cannot show the new API's answer in the legacy shape: {exc}"
        ) from None
    if page_info is not None and isinstance(body, dict):
        body["metadata"] = {"pageInfo": dict(page_info)}
    return body


def error_from_new(operation: Operation, response: NewResponse) -> LegacyResponse:
    """A new-API error answer, in the legacy error shape, naming what the user can fix."""
    detail = _new_error_message(response)
    status = response.status
    extra: dict[str, Any] = {"operation": operation.id}
    if status == 403:
        missing = [scope for scope in operation.scopes if scope in detail] or list(operation.scopes)
        extra["requiredScopes"] = missing
        message = (
            f"the API key may not call {operation.new} ({operation.id}): it needs the scope "
            f"{', '.join(missing)}" + (f" (new API said: {detail})" if detail else "")
        )
        return legacy_error(403, message, **extra)
    if status == 401:
        message = "the new API refused the credential" + (f": {detail}" if detail else "")
        return legacy_error(401, message, **extra)
    headers = dict(JSON_HEADERS)
    if status == 429 and "retry-after" in response.headers:
        headers["retry-after"] = response.headers["retry-after"]
    message = f"the new API answered {status} for {operation.new}" + (
        f": {detail}" if detail else ""
    )
    error = legacy_error(status if status < 600 else 502, message, **extra)
    return LegacyResponse(error.status, error.body, headers)


def _new_error_message(response: NewResponse) -> str:
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict):
        parts = [str(body[key]) for key in ("type", "message") if body.get(key)]
        return ": ".join(parts)
    return ""


def gap_response(operation: Operation) -> LegacyResponse:
    """501 for a legacy endpoint with no new equivalent: which one, why, and where to read more."""
    message = (
        f"{operation.id} ({operation.legacy}) has no equivalent on the new API: {operation.gap}"
    )
    extra: dict[str, Any] = {"operation": operation.id, "docs": operation.docs}
    if operation.alternative:
        extra["alternative"] = operation.alternative
    return legacy_error(501, message, **extra)


def filter_records(match: LegacyMatch, records: list[Record]) -> list[Record]:
    """The legacy filters the new API cannot apply (`records:`), applied to canonical records."""
    for filter_ in match.operation.filters:
        if filter_.records is None:
            continue
        values = [value for name, value in match.query if name == filter_.legacy]
        if not values:
            continue
        wanted: Any = values[-1]
        if wanted.lower() in ("true", "false"):
            wanted = wanted.lower() == "true"
        records = [record for record in records if record.get(filter_.records) == wanted]
    return records
