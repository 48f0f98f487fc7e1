"""What stays compat-only around the planner: legacy-shaped errors and faults.

The planner (`mapping/calls.py`) decides which new call(s) serve a legacy request and how an
answer converts back; these wrappers turn its `ConversionError`s into the legacy error the
client sees (a 400 for what the client sent, a 502 for what the new API answered), and shape
gaps and new-API errors as the legacy API would. No I/O: the engine sequences these calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from migrate import jsonio
from migrate.compat.messages import NO_BODY, LegacyResponse, NewResponse
from migrate.errors import ConversionError
from migrate.mapping import CallPlan, Catalogue, LegacyMatch, Operation, Record, plan_call
from migrate.mapping import legacy_answer as legacy_answer_of
from migrate.mapping import merged_body as merged_body_of
from migrate.mapping import new_records as new_records_of
from migrate.mapping import request_body as request_body_of
from migrate.pleo import LEGACY_METADATA, RETRY_AFTER

JSON_HEADERS = {"content-type": "application/json"}

# The short code in `message` (the legacy spec's example: "user_scope_insufficient"); the
# readable explanation goes in `detail`, which legacy clients that only read the three spec
# keys simply ignore.
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
LEGACY_SUCCESS = 200  # the legacy API answers every success, creates and deletes too, with 200


class LegacyFault(Exception):
    """Stops serving a request with a legacy-shaped error response."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.response = legacy_error(status, message, **extra)


def legacy_error(status: int, message: str, **extra: Any) -> LegacyResponse:
    """A legacy-shaped error, as legacy-openapi.yml's ErrorBody reads.

    `{"statusCode": 404, "error": "Not Found", "message": "not_found", "detail": <text>}`:
    `error` is the HTTP reason phrase and `message` a short code (the spec's example is
    `{statusCode: 401, error: "Forbidden", message: "user_scope_insufficient"}`); what the
    user can do about it is in `detail`. An `extra` `code` replaces the generic short code.
    """
    code = extra.pop("code", None) or _LEGACY_ERROR_CODES.get(status, "error")
    body = {
        "statusCode": status,
        "error": reason_phrase(status),
        "message": code,
        "detail": message,
        **extra,
    }
    return LegacyResponse(status, body, JSON_HEADERS)


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase (`Bad Request`), or `Error` for a status without one."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def legacy_success(body: Any = NO_BODY) -> LegacyResponse:
    """A legacy success: always 200; a write without a record to show answers `{}`."""
    return LegacyResponse(LEGACY_SUCCESS, {} if body is NO_BODY else body, JSON_HEADERS)


def plan(
    catalogue: Catalogue, match: LegacyMatch, legacy_body: Any, company_id: str | None
) -> CallPlan:
    """The planner's plan for a legacy request; what it cannot plan is the client's 400."""
    try:
        return plan_call(catalogue, match, legacy_body, company_id)
    except ConversionError as exc:
        raise LegacyFault(400, str(exc)) from None


def request_body(catalogue: Catalogue, operation: Operation, legacy_body: Any) -> Any:
    """A legacy write body as the new API's body; a body that does not convert is a 400."""
    try:
        return request_body_of(catalogue, operation, legacy_body)
    except ConversionError as exc:
        raise LegacyFault(400, str(exc)) from None


def merged_update_body(
    catalogue: Catalogue, operation: Operation, current_new_body: Any, legacy_patch: Any
) -> Any:
    """GET + merge for a partial PATCH: the new API's full PUT body (a 400 when it cannot be)."""
    try:
        return merged_body_of(catalogue, operation, current_new_body, legacy_patch)
    except ConversionError as exc:
        raise LegacyFault(400, str(exc)) from None


def decode_json(response: NewResponse, operation: Operation) -> Any:
    """The new API's JSON body; a truncated or malformed one becomes a legacy 502."""
    if not response.content:
        return None
    try:
        return jsonio.loads(response.content)
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
        return new_records_of(catalogue, operation, new_body)
    except ConversionError as exc:
        raise LegacyFault(
            502, f"{operation.id}: unexpected answer from the new API: {exc}"
        ) from None


def legacy_records(catalogue: Catalogue, operation: Operation, new_body: Any) -> list[Record]:
    """The records of a new-API answer as legacy records, in one compiled step each."""
    try:
        return catalogue.convert_records(operation, "new", "legacy", new_body)
    except ConversionError as exc:
        raise LegacyFault(
            502, f"{operation.id}: unexpected answer from the new API: {exc}"
        ) from None


def legacy_page(
    catalogue: Catalogue,
    operation: Operation,
    records: list[Record],
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """Legacy records in the legacy envelope, with the paging `metadata` of a page."""
    try:
        body = catalogue.wrap(operation, "legacy", records, "response")
    except ConversionError as exc:
        raise LegacyFault(
            502, f"{operation.id}: cannot show the new API's answer in the legacy shape: {exc}"
        ) from None
    if metadata is not None and isinstance(body, dict):
        body[LEGACY_METADATA] = dict(metadata)
    return body


def legacy_body(
    catalogue: Catalogue,
    operation: Operation,
    canonical: Record | list[Record],
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """Canonical record(s) in the legacy envelope, with the paging `metadata` of a page."""
    try:
        return legacy_answer_of(catalogue, operation, canonical, metadata)
    except ConversionError as exc:
        raise LegacyFault(
            502, f"{operation.id}: cannot show the new API's answer in the legacy shape: {exc}"
        ) from None


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
    retry_after = response.headers.get(RETRY_AFTER.lower()) if status == 429 else None
    if retry_after is not None:
        headers[RETRY_AFTER.lower()] = retry_after
    message = f"the new API answered {status} for {operation.new}" + (
        f": {detail}" if detail else ""
    )
    error = legacy_error(status if status < 600 else 502, message, **extra)
    return LegacyResponse(error.status, error.body, headers)


def _new_error_message(response: NewResponse) -> str:
    try:
        body = jsonio.loads(response.content) if response.content else None
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
