"""The new API (external.pleo.io): the operations a migration needs, plus companies,
installations and accounting-entry receipts.

Paths, query names, bodies and responses follow specs/new/*.yml. Company scoping follows the
docs: a company-level credential is confined to its company (another `company_id` → 403); an
organisation-level one must name the company where the spec requires it (else 400).
Errors are ExceptionInfo: `{"type": <CODE>, "message": …}`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.simulator import new_shapes as shape
from migrate.simulator.money import parse_instant
from migrate.simulator.paging import (
    NEW_DEFAULT_LIMIT,
    NEW_MAX_LIMIT,
    PAGE_ORDERS,
    CursorRequest,
    Rank,
    cursor_page,
    seq_rank,
    sorted_rank,
)
from migrate.simulator.records import Dimension, Expense, ExportJob, Tag, TagGroup
from migrate.simulator.store import SimError, not_found
from migrate.simulator.validation import (
    BadRequest,
    Field,
    check_object,
    check_value,
    is_uuid,
    q_bool,
    q_enum,
    q_enums,
    q_str,
    q_uuid,
    q_uuids,
)
from migrate.simulator.web import Call, HttpError, SimContext, endpoint, json_response

MEDIA_TYPE = "application/json;charset=UTF-8"
CURSOR_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=~")
FILE_HOST = "https://files.simulator.invalid"
INSTALLED_AT_MS = int(datetime(2026, 1, 15, 9, 0, tzinfo=UTC).timestamp() * 1000)

NEW_EXPORT_STATUSES = ("CREATED", "EXPORTED", "EXPORTING", "NOT_CREATED", "NOT_EXPORTED",
                       "QUEUED")
FAMILIES = ("BALANCE_AMENDMENT", "BILL_INVOICE", "CARD_PURCHASE", "CASHBACK", "CREDIT_NOTE",
            "MILEAGE", "OUT_OF_POCKET", "OVERDRAFT", "PER_DIEM", "PLEO_INVOICE",
            "REIMBURSEMENT", "WALLET", "BILL_INVOICE_PAYMENT")
SUB_FAMILIES = ("ATM", "IN_STORE", "ONLINE", "PLEO_INVOICE", "PLEO_INVOICE_REFUND",
                "REIMBURSEMENT_TO_COMPANY", "REIMBURSEMENT_TO_EMPLOYEE",
                "REIMBURSEMENT_TO_EMPLOYEE_REFUND", "LOAD", "UNLOAD", "WITHDRAWAL", "FEE",
                "INTEREST", "BILL_INVOICE_PAYMENT_RETURNED", "BILL_INVOICE_PAYMENT_RECEIVED")
PAYMENT_STATUSES = ("DRAFT", "PENDING", "COMPLETED", "COMPLETED_EXTERNALLY", "CANCELLED",
                    "REJECTED", "ERROR")
REVIEW_STATUSES = ("NOT_OK", "NOT_REQUIRED", "NOT_SET", "OK", "WAITING_FOR_EXPENSE_OWNER",
                   "WAITING_FOR_REVIEWER", "WAITING_FOR_COMPANY_REVIEWER",
                   "WAITING_FOR_TEAM_REVIEWER", "WAITING_FOR_TAG_REVIEWER")
TAX_TYPES = ("inclusive", "exclusive", "reverse")
RECEIPT_FILE_TYPES = ("EMBED", "ORIGINAL", "THUMBNAIL", "PREVIEW")
RECEIPT_SOURCES = ("APP_SHARE", "BOLT", "CAMERA", "CASHBACK", "EMAIL_FETCHING",
                   "EMAIL_FETCHING_BATCHED", "EMAIL_FORWARDING", "GENERATED_RECEIPT",
                   "LOST_RECEIPT", "ROGER", "STOREBOX", "STRIPE", "TRAVELPERK", "USER")
RECEIPT_MIME_TYPES = ("unknown", "application/pdf", "application/postscript", "application/xml",
                      "image/jpeg", "image/png", "image/heic", "image/heif", "image/gif",
                      "text/xml")
RECEIPT_SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "createdAt": lambda r: r.created_at, "id": lambda r: r.id, "size": lambda r: r.size,
}
JOB_STATUSES = ("pending", "in_progress", "failed", "completed", "completed_with_errors")
ITEM_STATUSES = ("pending", "in_progress", "failed", "successful", "abandoned")
JOB_EVENTS = ("started", "failed", "completed", "completed_with_errors")
JOB_FAILURE_TYPES = ("invalid_configuration", "missing_configuration", "authentication_failure",
                     "accounting_system_authentication_failure", "pleo_rate_limit",
                     "accounting_system_rate_limit", "service_unreachable",
                     "accounting_system_unreachable", "validation_failure",
                     "authorization_failure", "integration_unusable", "job_expired",
                     "service_timeout", "accounting_system_timeout", "canceled_by_user")
ITEM_FAILURE_TYPES = ("receipt_upload_failure", "receipt_download_failure",
                      "receipt_file_size_limit_exceeded", "receipt_conversion_failure",
                      "unexpected_failure", "invalid_configuration", "missing_configuration",
                      "accounting_system_authentication_failure", "accounting_system_rate_limit",
                      "accounting_system_unreachable", "validation_failure",
                      "accounting_system_validation_failure", "authorization_failure",
                      "accounting_system_timeout", "vendor_unknown", "account_unknown",
                      "tax_code_unknown", "tag_unknown")
ENTRY_SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "settledAt": lambda e: e.settled_at, "performedAt": lambda e: e.performed_at,
    "id": lambda e: e.id, "bookkeepingDate": lambda e: e.bookkeeping_date,
}
GENERIC_SORT_KEYS: dict[str, Callable[[Any], Any]] = {"id": lambda r: r.id}

_UUIDS = Field("array", items=Field("uuid"), max_items=100)
ENTRY_SEARCH = {
    "includeDeleted": Field("boolean", required=True),
    "accountIds": _UUIDS, "employeeIds": _UUIDS, "teamIds": _UUIDS, "tagRowIds": _UUIDS,
    "tagGroupIdsUnset": _UUIDS,
    "taxCodeIds": Field("array", items=Field("uuid"), max_items=100, unique=True),
    "foreignExtensionIds": Field("array", items=Field("string"), max_items=100),
    "transactionValueCurrencies": Field("array", items=Field("string"), max_items=100),
    "exportStatus": Field("array", items=Field("string", enum=NEW_EXPORT_STATUSES)),
    "families": Field("array", items=Field("string", enum=FAMILIES)),
    "subFamilies": Field("array", items=Field("string", enum=SUB_FAMILIES)),
    "status": Field("array", items=Field("string", enum=PAYMENT_STATUSES)),
    "reviewStatus": Field("array", items=Field("string", enum=REVIEW_STATUSES)),
    "hasAccount": Field("boolean"), "hasBookkeepingDate": Field("boolean"),
    "hasNote": Field("boolean"), "settled": Field("boolean"),
    **{f"{name}{edge}": Field("datetime") for name in ("performedAt", "settledAt",
                                                      "bookkeepingDate")
       for edge in ("Start", "End")},
}
TAG_GROUP_CREATE = {
    "archived": Field("boolean", required=True), "code": Field("string", required=True),
    "name": Field("string", required=True),
    "metadata": Field("object", values=Field("string")),
}
TAG_GROUP_UPDATE = {**TAG_GROUP_CREATE, "metadata": Field("object", required=True,
                                                          values=Field("string"))}
DIMENSION_CREATE = {
    "code": Field("string", required=True), "name": Field("string", required=True),
    "visible": Field("boolean", required=True),
    "displayOrder": Field("int32", nullable=True),  # deprecated: accepted, not used
}
DIMENSION_UPDATE = {**DIMENSION_CREATE, "displayOrder": Field("int32", required=True)}
TAG_VALUE_BODY = {"value": Field("string", required=True)}
TAG_BODY = {
    "archived": Field("boolean", required=True), "code": Field("string", required=True),
    "name": Field("string"), "otherDimensionValues": Field("array", items=Field("string")),
}
TAG_SEARCH = {
    "archived": Field("boolean"), "includeArchived": Field("boolean"),
    "tagGroupIds": Field("array", items=Field("uuid"), unique=True),
    "tagIds": Field("array", items=Field("uuid"), unique=True), "textSearch": Field("string"),
}
TAX_SEARCH = {
    "archived": Field("boolean"), "code": Field("string"),
    "taxCodeIds": Field("array", items=Field("uuid"), unique=True),
    "type": Field("string", enum=TAX_TYPES),
}
_NULLABLE_TEXT = Field("string", nullable=True)
TAX_BODY = {
    "archived": Field("boolean", required=True), "companyId": Field("uuid", required=True),
    "name": Field("string", required=True), "rate": Field("number", required=True),
    "type": Field("string", required=True, enum=TAX_TYPES), "code": _NULLABLE_TEXT,
    "ingoingTaxAccount": _NULLABLE_TEXT, "outgoingTaxAccount": _NULLABLE_TEXT,
}
_METADATA = Field("object", nullable=True, values=Field("object", nullable=True))
ACCOUNT_CREATE = {
    "archived": Field("boolean", required=True), "companyId": Field("uuid", required=True),
    "externalId": Field("string", required=True, min_length=1, max_length=255),
    "name": Field("string", required=True, max_length=255),
    "code": Field("string", nullable=True, max_length=255),
    "taxCodeExternalId": _NULLABLE_TEXT, "metadata": _METADATA,
}
ACCOUNT_UPDATE = {
    "archived": Field("boolean", required=True),
    "name": Field("string", required=True, max_length=255),
    "code": Field("string", nullable=True, max_length=255),
    "taxCodeExternalId": _NULLABLE_TEXT, "metadata": _METADATA,
}
_NULLABLE_UUIDS = Field("array", nullable=True, unique=True, items=Field("uuid", nullable=True))
ACCOUNT_SEARCH = {
    "companyId": Field("uuid", required=True),
    "excludeIfAssignedToCategory": Field("boolean", required=True),
    "excludeIfAssignedToContraAccount": Field("boolean", required=True),
    "archived": Field("boolean", nullable=True), "code": _NULLABLE_TEXT,
    "codes": Field("array", nullable=True, unique=True, items=_NULLABLE_TEXT),
    "externalId": _NULLABLE_TEXT, "ids": _NULLABLE_UUIDS, "name": _NULLABLE_TEXT,
}
JOB_CREATE = {
    "accountingEntryIds": Field("array", required=True, items=Field("uuid")),
    "companyId": Field("uuid", required=True), "employeeId": Field("uuid", nullable=True),
    "isInteractive": Field("boolean", nullable=True),
    "options": Field("object", nullable=True, fields={
        "vendorBasedBookkeeping": Field("boolean", nullable=True)}),
}
JOB_EVENT = {
    "event": Field("string", required=True, enum=JOB_EVENTS),
    "jobId": Field("uuid", required=True), "failureReason": Field("string"),
    "failureReasonType": Field("string", enum=JOB_FAILURE_TYPES),
}
RECEIPT_SEARCH = {
    "includeDeleted": Field("boolean", required=True),
    "accountingEntryIds": Field("array", items=Field("uuid")),
    "employeeIds": Field("array", items=Field("uuid")),
    "fileType": Field("string", enum=RECEIPT_FILE_TYPES),
    "mimeType": Field("array", items=Field("string", enum=RECEIPT_MIME_TYPES)),
    "source": Field("array", items=Field("string", enum=RECEIPT_SOURCES)),
}
ITEM_UPDATE = Field("object", fields={
    "accountingEntryId": Field("uuid", required=True),
    "status": Field("string", required=True, enum=ITEM_STATUSES),
    "exportedAt": Field("datetime"), "externalId": Field("string"),
    "externalUrl": Field("string"), "failureReason": Field("string"),
    "failureReasonType": Field("string", enum=ITEM_FAILURE_TYPES),
})


def render_error(error: HttpError) -> Response:
    return json_response({"type": error.code, "message": error.message}, error.status,
                         media_type=MEDIA_TYPE, headers=error.headers)


def _ok(payload: Any, status: int = 200) -> Response:
    return json_response(payload, status, media_type=MEDIA_TYPE)


def _path_id(call: Call, name: str) -> str:
    value = call.path[name]
    if not is_uuid(value):
        raise BadRequest(f"{name}: expected a UUID")
    return value.lower()


def _forbidden(message: str) -> HttpError:
    return HttpError(403, "FORBIDDEN", message)


class NewApi:
    """The endpoints; each method is one operation of the published specs."""

    def __init__(self, ctx: SimContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # -- scoping ---------------------------------------------------------------------

    def _org_of(self, call: Call) -> str:
        cred = call.credential
        if cred.organization_id is not None:
            return cred.organization_id
        company = self.store.companies.get(cred.company_id or "")
        return company.organization_id if company is not None else ""

    def can_access(self, call: Call, company_id: str) -> bool:
        cred = call.credential
        if cred.company_id is not None:
            return cred.company_id == company_id
        company = self.store.companies.get(company_id)
        return company is not None and company.organization_id == self._org_of(call)

    def companies(
        self, call: Call, company_id: str | None, organization_id: str | None = None, *,
        org_allowed: bool = False, required: bool = True,
    ) -> list[str]:
        """The companies a request covers, after Pleo's scoping rules."""
        cred = call.credential
        if company_id is not None:
            if not self.can_access(call, company_id):
                raise _forbidden(f"The credential has no access to company {company_id}")
            return [company_id]
        if organization_id is not None and org_allowed and (
            organization_id != self._org_of(call)
        ):
            raise _forbidden(f"The credential has no access to organization {organization_id}")
        if cred.company_id is not None:
            return [cred.company_id]
        if (organization_id is not None and org_allowed) or not required:
            org = self._org_of(call)
            return [c.id for c in self.store.companies.rows() if c.organization_id == org]
        raise BadRequest("company_id is required when the credential is organisation-level")

    def _visible(self, call: Call, row: Any, what: str, ident: str) -> Any:
        if row is None:
            raise not_found(what, ident)
        if not self.can_access(call, row.company_id):
            raise _forbidden(f"The credential has no access to this {what}")
        return row

    # -- paging ----------------------------------------------------------------------

    def cursor_request(self, call: Call, *, max_limit: int = NEW_MAX_LIMIT,
                       default_limit: int = NEW_DEFAULT_LIMIT,
                       offset_allowed: bool = True) -> CursorRequest:
        query = call.query
        for name in ("before", "after"):
            value = query.get(name)
            if value is not None and (not value or not set(value) <= CURSOR_ALPHABET):
                raise BadRequest(f"{name}: must match ^[A-Z2-7=~]+$")
        offset = None
        if offset_allowed and query.get("offset") is not None:
            offset = _int(query.get("offset"), "offset", 0, None)
        limit = default_limit
        if query.get("limit") is not None:
            limit = _int(query.get("limit"), "limit", 1, max_limit)
        orders = tuple(q_enums(query, "sorting_order", PAGE_ORDERS))
        return CursorRequest(
            before=query.get("before"), after=query.get("after"), offset=offset, limit=limit,
            sorting_keys=tuple(query.getlist("sorting_keys")), sorting_order=orders,
        )

    def paged(
        self, call: Call, rows: list[Any], render: Callable[[Any], dict[str, Any]], *,
        request: CursorRequest | None = None,
        sort_keys: dict[str, Callable[[Any], Any]] | None = None,
    ) -> Response:
        request = request or self.cursor_request(call)
        rank: Callable[[Any], Rank] = seq_rank
        if request.sorting_keys:
            rank = sorted_rank(request.sorting_keys, request.sorting_order,
                               sort_keys or GENERIC_SORT_KEYS)
            rows = sorted(rows, key=rank)
        page = cursor_page(rows, rank, request)
        current: dict[str, Any] = {
            "parameters": {k: call.query.getlist(k) for k in dict.fromkeys(call.query.keys())
                           if k not in ("before", "after", "offset", "limit", "sorting_keys",
                                        "sorting_order")},
            "limit": request.limit,
        }
        for key, value in (("after", request.after), ("before", request.before),
                           ("offset", request.offset)):
            if value is not None:
                current[key] = value
        if request.sorting_keys:
            current["sortingKeys"] = list(request.sorting_keys)
        if request.sorting_order:
            current["sortingOrder"] = list(request.sorting_order)
        pagination: dict[str, Any] = {
            "currentRequestPagination": current, "hasNextPage": page.has_next,
            "hasPreviousPage": page.has_previous, "total": page.total,
        }
        if page.start_cursor is not None:
            pagination["startCursor"] = page.start_cursor
        if page.end_cursor is not None:
            pagination["endCursor"] = page.end_cursor
        return _ok({"data": [render(r) for r in page.items], "pagination": pagination})

    # -- accounting entries ----------------------------------------------------------

    def _entry(self, call: Call, row: Expense) -> dict[str, Any]:
        return self.ctx.defects.new_entry(row.id, shape.accounting_entry(call.snapshot, row))

    def search_entries(self, call: Call) -> Response:
        request = self.cursor_request(call, max_limit=100, default_limit=20,
                                      offset_allowed=False)
        companies = self.companies(call, q_uuid(call.query, "company_id"),
                                   q_uuid(call.query, "organization_id"), org_allowed=True)
        body = call.body(required=False)
        body = check_object({"includeDeleted": False} if body is None else body, ENTRY_SEARCH)
        keep = _entry_filter(body)
        rows = call.snapshot.expenses.rows(companies)
        if keep is not None:
            rows = [e for e in rows if keep(e)]
        return self.paged(call, rows, lambda e: self._entry(call, e), request=request,
                          sort_keys=ENTRY_SORT_KEYS)

    def get_entry(self, call: Call) -> Response:
        entry_id = _path_id(call, "accountingEntryId")
        include_deleted = q_bool(call.query, "include_deleted") or False
        row = call.snapshot.expenses.get(entry_id)
        if row is not None and row.deleted_at is not None and not include_deleted:
            row = None
        row = self._visible(call, row, "accounting entry", entry_id)
        return _ok({"data": self._entry(call, row)})

    # -- accounting-entry receipts ---------------------------------------------------

    def _receipt_url(self, receipt_id: str, file_type: str) -> str:
        url = f"{FILE_HOST}/receipts/{receipt_id}/{file_type.lower()}"
        if self.ctx.drift.noise:
            url += f"?expires={int(self.store.clock()) + 86400}&signature={secrets.token_hex(12)}"
        return url

    def _receipt_body(self, row: Any, file_type: str) -> dict[str, Any]:
        return shape.receipt(row, self._receipt_url(row.id, file_type), file_type)

    def _entry_receipts(self, call: Call) -> tuple[Expense, str]:
        entry_id = _path_id(call, "accountingEntryId")
        row = self._visible(call, call.snapshot.expenses.get(entry_id), "accounting entry",
                            entry_id)
        return row, q_enum(call.query, "file_type", RECEIPT_FILE_TYPES) or "ORIGINAL"

    def entry_receipts(self, call: Call) -> Response:
        request = self.cursor_request(call, max_limit=100, default_limit=10,
                                      offset_allowed=False)
        row, file_type = self._entry_receipts(call)
        sources = set(q_enums(call.query, "source", RECEIPT_SOURCES))
        receipts = [r for r in (call.snapshot.receipts.get(i) for i in row.receipt_ids)
                    if r is not None and (not sources or "USER" in sources)]
        return self.paged(call, receipts, lambda r: self._receipt_body(r, file_type),
                          request=request, sort_keys=RECEIPT_SORT_KEYS)

    def entry_receipt(self, call: Call) -> Response:
        row, file_type = self._entry_receipts(call)
        receipt_id = _path_id(call, "receiptId")
        receipt = call.snapshot.receipts.get(receipt_id)
        if receipt is None or receipt.expense_id != row.id:
            raise not_found("receipt", receipt_id)
        return _ok({"data": self._receipt_body(receipt, file_type)})

    def search_receipts(self, call: Call) -> Response:
        request = self.cursor_request(call, max_limit=100, default_limit=10,
                                      offset_allowed=False)
        companies = self.companies(call, q_uuid(call.query, "company_id"),
                                   q_uuid(call.query, "organization_id"), org_allowed=True)
        body = call.body(required=False)
        body = check_object({"includeDeleted": False} if body is None else body, RECEIPT_SEARCH)
        entries = {i.lower() for i in body.get("accountingEntryIds", [])}
        employees = {i.lower() for i in body.get("employeeIds", [])}
        mimes = set(body.get("mimeType", []))
        sources = set(body.get("source", []))
        snap = call.snapshot

        def keep(receipt: Any) -> bool:
            expense = snap.expenses.get(receipt.expense_id)
            return (expense is not None
                    and (body["includeDeleted"] or expense.deleted_at is None)
                    and (not entries or receipt.expense_id in entries)
                    and (not employees or expense.employee_id in employees)
                    and (not mimes or receipt.mime_type in mimes)
                    and (not sources or "USER" in sources))

        rows = [r for r in snap.receipts.rows(companies) if keep(r)]
        file_type = body.get("fileType", "ORIGINAL")
        return self.paged(call, rows, lambda r: self._receipt_body(r, file_type),
                          request=request, sort_keys=RECEIPT_SORT_KEYS)

    # -- installations -----------------------------------------------------------------

    def my_installation(self, call: Call) -> Response:
        """The documented way for a standalone key to learn its company (resource urn)."""
        company_id = q_uuid(call.query, "company_id")
        cred = call.credential
        if company_id is not None:
            if not self.can_access(call, company_id):
                raise _forbidden(f"The credential has no access to company {company_id}")
            resource = f"urn:pleo:company:{company_id}"
        elif cred.company_id is not None:
            resource = f"urn:pleo:company:{cred.company_id}"
        else:
            resource = f"urn:pleo:organization:{self._org_of(call)}"
        return _ok(shape.installation(resource, INSTALLED_AT_MS))

    # -- employees and companies -----------------------------------------------------

    def list_employees(self, call: Call) -> Response:
        companies = self.companies(call, q_uuid(call.query, "companyId"), required=False)
        email = q_str(call.query, "email")
        code = q_str(call.query, "code")
        hidden = self.ctx.defects.hides_employee
        rows = [
            e for e in call.snapshot.employees.rows(companies)
            if not hidden(e.id)
            and (email is None or e.email.lower() == email.lower())
            and (code is None or e.code == code)
        ]
        return self.paged(call, rows, self._employee)

    def _employee(self, row: Any) -> dict[str, Any]:
        return self.ctx.defects.new_employee(row.id, shape.employee(row))

    def get_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        row = call.snapshot.employees.get(employee_id)
        if row is not None and self.ctx.defects.hides_employee(row.id):
            row = None
        row = self._visible(call, row, "employee", employee_id)
        return _ok({"data": self._employee(row)})

    def list_companies(self, call: Call) -> Response:
        organization_id = q_uuid(call.query, "organization_id")
        companies = self.companies(call, None, organization_id, org_allowed=True,
                                   required=False)
        rows = call.snapshot.companies.rows(companies)
        return self.paged(call, rows, shape.company)

    def get_company(self, call: Call) -> Response:
        company_id = _path_id(call, "companyId")
        row = self._visible(call, call.snapshot.companies.get(company_id), "company", company_id)
        return _ok({"data": shape.company(row)})

    # -- tag groups and tags ---------------------------------------------------------

    def _group(self, call: Call) -> TagGroup:
        group_id = _path_id(call, "groupId")
        group: TagGroup = self._visible(call, call.snapshot.tag_groups.get(group_id),
                                        "tag group", group_id)
        return group

    def list_tag_groups(self, call: Call) -> Response:
        companies = self.companies(call, q_uuid(call.query, "company_id"),
                                   q_uuid(call.query, "organization_id"), org_allowed=True)
        include_archived = q_bool(call.query, "include_archived") or False
        with_count = q_bool(call.query, "include_tags_count") or False
        counts: dict[str, int] = {}
        if with_count:
            for tag in call.snapshot.tags.rows(companies):
                counts[tag.group_id] = counts.get(tag.group_id, 0) + 1
        rows = [g for g in call.snapshot.tag_groups.rows(companies)
                if include_archived or not g.archived]
        return _ok({"data": [shape.tag_group(g, counts.get(g.id, 0) if with_count else None)
                             for g in rows]})

    def aggregated_tag_groups(self, call: Call) -> Response:
        companies = self.companies(call, q_uuid(call.query, "company_id"),
                                   q_uuid(call.query, "organization_id"), org_allowed=True)
        wanted = set(q_uuids(call.query, "tag_group_ids"))
        rows = [g for g in call.snapshot.tag_groups.rows(companies)
                if ((g.id in wanted) if wanted else not g.archived)]
        return _ok({"data": [shape.aggregated_tag_group(self.store, call.snapshot, g)
                             for g in rows]})

    def create_tag_group(self, call: Call) -> Response:
        companies = self.companies(call, q_uuid(call.query, "company_id"))
        body = check_object(call.body(required=True), TAG_GROUP_CREATE)
        group = self.store.create_tag_group(
            companies[0], name=body["name"], code=body["code"], archived=body["archived"],
            metadata=sorted(body.get("metadata", {}).items()),
        )
        return _ok({"data": shape.tag_group(group)}, 201)

    def get_tag_group(self, call: Call) -> Response:
        return _ok({"data": shape.tag_group(self._group(call))})

    def update_tag_group(self, call: Call) -> Response:
        group = self._group(call)
        body = check_object(call.body(required=True), TAG_GROUP_UPDATE)
        updated = self.store.update_tag_group(group.id, {
            "name": body["name"], "code": body["code"], "archived": body["archived"],
            "metadata": tuple(sorted(body["metadata"].items())),
        })
        return _ok({"data": shape.tag_group(updated)})

    def delete_tag_group(self, call: Call) -> Response:
        self.store.delete_tag_group(self._group(call).id)
        return Response(status_code=204)

    def group_dimensions(self, call: Call) -> Response:
        group = self._group(call)
        return _ok({"data": [shape.dimension(d)
                             for d in self.store.dimensions_of(group, call.snapshot.dimensions)]})

    def create_dimension(self, call: Call) -> Response:
        """The spec: a new dimension's order is the group's highest order plus one."""
        group = self._group(call)
        body = check_object(call.body(required=True), DIMENSION_CREATE)
        dimension = self.store.add_dimension(group, {
            "code": body["code"], "name": body["name"], "visible": body["visible"]})
        return _ok({"data": shape.dimension(dimension)}, 201)

    def _dimension(self, call: Call) -> Dimension:
        group = self._group(call)
        dimension_id = _path_id(call, "dimensionId")
        dimension = call.snapshot.dimensions.get(dimension_id)
        if dimension is None or dimension.group_id != group.id:
            raise not_found("dimension", dimension_id)
        return dimension

    def get_dimension(self, call: Call) -> Response:
        return _ok({"data": shape.dimension(self._dimension(call))})

    def update_dimension(self, call: Call) -> Response:
        dimension = self._dimension(call)
        body = check_object(call.body(required=True), DIMENSION_UPDATE)
        updated = self.store.update_dimension(dimension.id, {
            "code": body["code"], "name": body["name"], "visible": body["visible"],
            "display_order": body["displayOrder"]})
        return _ok({"data": shape.dimension(updated)})

    def delete_dimension(self, call: Call) -> Response:
        self.store.delete_dimension(self._dimension(call).id)
        return Response(status_code=204)

    def group_tags(self, call: Call) -> Response:
        group = self._group(call)
        include_archived = q_bool(call.query, "include_archived") or False
        rows = [t for t in call.snapshot.tags.rows([group.company_id])
                if t.group_id == group.id and (include_archived or not t.archived)]
        return self.paged(call, rows, shape.tag)

    def _other_values(self, group: TagGroup, values: list[str] | None) -> dict[str, str]:
        if not values:
            return {}
        dimensions = self.store.dimensions_of(group)
        return {d.id: v for d, v in zip(dimensions, values, strict=False)}

    def create_tag(self, call: Call) -> Response:
        group = self._group(call)
        body = check_object(call.body(required=True), TAG_BODY)
        tag = self.store.create_tag(
            group.id, code=body["code"], name=body.get("name"), archived=body["archived"],
            values=self._other_values(group, body.get("otherDimensionValues")),
        )
        return _ok({"data": shape.tag(tag)}, 201)

    def _tag(self, call: Call) -> Tag:
        tag_id = _path_id(call, "tagId")
        tag: Tag = self._visible(call, call.snapshot.tags.get(tag_id), "tag", tag_id)
        return tag

    def get_tag(self, call: Call) -> Response:
        return _ok({"data": shape.tag(self._tag(call))})

    def update_tag(self, call: Call) -> Response:
        tag = self._tag(call)
        body = check_object(call.body(required=True), TAG_BODY)
        group = self.store.tag_groups.get(tag.group_id)
        if group is None:
            raise not_found("tag group", tag.group_id)
        changes: dict[str, Any] = {"code": body["code"], "archived": body["archived"]}
        if "name" in body:
            changes["name"] = body["name"]
        values = self._other_values(group, body.get("otherDimensionValues"))
        return _ok({"data": shape.tag(self.store.update_tag(tag.id, changes, values))})

    def delete_tag(self, call: Call) -> Response:
        self.store.delete_tag(self._tag(call).id)
        return Response(status_code=204)

    def tag_dimension_values(self, call: Call) -> Response:
        return _ok({"data": shape.tag_dimension_values(self._tag(call))})

    def _tag_value(self, call: Call) -> tuple[Tag, str, str | None]:
        """The tag, a dimension of its group (else 404), and the tag's value for it."""
        tag = self._tag(call)
        dimension_id = _path_id(call, "dimensionId")
        dimension = call.snapshot.dimensions.get(dimension_id)
        if dimension is None or dimension.group_id != tag.group_id:
            raise not_found("dimension", dimension_id)
        return tag, dimension_id, dict(tag.values).get(dimension_id)

    def _value_body(self, tag: Tag, dimension_id: str) -> dict[str, Any]:
        return next(v for v in shape.tag_dimension_values(tag) if v["dimensionId"] == dimension_id)

    def get_tag_value(self, call: Call) -> Response:
        tag, dimension_id, value = self._tag_value(call)
        if value is None:
            raise not_found("dimension value", dimension_id)
        return _ok({"data": self._value_body(tag, dimension_id)})

    def create_tag_value(self, call: Call) -> Response:
        tag, dimension_id, value = self._tag_value(call)
        body = check_object(call.body(required=True), TAG_VALUE_BODY)
        if value is not None:
            raise SimError(409, "CONFLICT", f"tag {tag.id} already has a value for dimension "
                           f"{dimension_id}; change it with PUT")
        updated = self.store.update_tag(tag.id, {}, {dimension_id: body["value"]})
        return _ok({"data": self._value_body(updated, dimension_id)}, 201)

    def update_tag_value(self, call: Call) -> Response:
        tag, dimension_id, value = self._tag_value(call)
        body = check_object(call.body(required=True), TAG_VALUE_BODY)
        if value is None:
            raise not_found("dimension value", dimension_id)
        updated = self.store.update_tag(tag.id, {}, {dimension_id: body["value"]})
        return _ok({"data": self._value_body(updated, dimension_id)})

    def delete_tag_value(self, call: Call) -> Response:
        tag, dimension_id, value = self._tag_value(call)
        if value is None:
            raise not_found("dimension value", dimension_id)
        gone = self._value_body(tag, dimension_id)
        self.store.delete_tag_value(tag.id, dimension_id)
        return _ok({"data": gone})

    def search_tags(self, call: Call) -> Response:
        request = self.cursor_request(call)
        companies = self.companies(call, q_uuid(call.query, "company_id"),
                                   q_uuid(call.query, "organization_id"), org_allowed=True)
        body = check_object(call.body(required=False) or {}, TAG_SEARCH)
        groups = {g.lower() for g in body.get("tagGroupIds", [])}
        ids = {t.lower() for t in body.get("tagIds", [])}
        text = (body.get("textSearch") or "").lower()
        archived = body.get("archived")
        include_archived = body.get("includeArchived", False)
        rows = [
            t for t in call.snapshot.tags.rows(companies)
            if (not groups or t.group_id in groups) and (not ids or t.id in ids)
            and (not text or text in (t.name or "").lower() or text in t.code.lower())
            and (t.archived == archived if archived is not None
                 else include_archived or not t.archived)
        ]
        return self.paged(call, rows, shape.tag, request=request)

    # -- tax codes -------------------------------------------------------------------

    def search_tax_codes(self, call: Call) -> Response:
        request = self.cursor_request(call)
        companies = self.companies(call, q_uuid(call.query, "company_id"))
        body = check_object(call.body(required=False) or {}, TAX_SEARCH)
        ids = {t.lower() for t in body.get("taxCodeIds", [])}
        rows = [
            t for t in call.snapshot.tax_codes.rows(companies)
            if ("archived" not in body or t.archived == body["archived"])
            and ("code" not in body or t.code == body["code"])
            and ("type" not in body or t.type == body["type"])
            and (not ids or t.id in ids)
        ]
        return self.paged(call, rows, shape.tax_code, request=request)

    def get_tax_code(self, call: Call) -> Response:
        tax_code_id = _path_id(call, "taxCodeId")
        row = self._visible(call, call.snapshot.tax_codes.get(tax_code_id), "tax code",
                            tax_code_id)
        return _ok({"data": shape.tax_code(row)})

    def _tax_fields(self, body: dict[str, Any]) -> dict[str, Any]:
        rate = float(body["rate"])
        if not 0 <= rate <= 1:
            raise BadRequest("rate: a fraction between 0 and 1 (20 % is 0.20)")
        return {
            "name": body["name"], "code": body.get("code"), "rate_bp": round(rate * 10000),
            "type": body["type"], "archived": body["archived"],
            "ingoing_account": body.get("ingoingTaxAccount"),
            "outgoing_account": body.get("outgoingTaxAccount"),
        }

    def create_tax_code(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAX_BODY)
        company = self.companies(call, body["companyId"].lower())[0]
        row = self.store.create_tax_code(company, self._tax_fields(body))
        return _ok({"data": shape.tax_code(row)}, 201)

    def update_tax_code(self, call: Call) -> Response:
        tax_code_id = _path_id(call, "taxCodeId")
        row = self._visible(call, self.store.tax_codes.get(tax_code_id), "tax code",
                            tax_code_id)
        body = check_object(call.body(required=True), TAX_BODY)
        if body["companyId"].lower() != row.company_id:
            raise BadRequest("companyId: a tax code cannot move to another company")
        updated = self.store.update_tax_code(tax_code_id, self._tax_fields(body))
        return _ok({"data": shape.tax_code(updated)})

    def delete_tax_code(self, call: Call) -> Response:
        tax_code_id = _path_id(call, "taxCodeId")
        self._visible(call, self.store.tax_codes.get(tax_code_id), "tax code", tax_code_id)
        self.store.delete_tax_code(tax_code_id)
        return Response(status_code=204)

    # -- chart of accounts -----------------------------------------------------------

    def search_accounts(self, call: Call) -> Response:
        request = self.cursor_request(call)
        body = check_object(call.body(required=True), ACCOUNT_SEARCH)
        companies = self.companies(call, body["companyId"].lower())
        codes = set(body.get("codes") or ())
        ids = {i.lower() for i in body.get("ids") or () if i}
        name = (body.get("name") or "").lower()
        rows = [
            a for a in call.snapshot.accounts.rows(companies)
            if (body.get("archived") is None or a.archived == body["archived"])
            and (body.get("code") is None or a.code == body["code"])
            and (not codes or a.code in codes)
            and (body.get("externalId") is None or a.external_id == body["externalId"])
            and (not ids or a.id in ids)
            and (not name or name in a.name.lower())
        ]
        return self.paged(call, rows, shape.account, request=request)

    def _account_fields(self, body: dict[str, Any]) -> dict[str, Any]:
        fields = {"name": body["name"], "archived": body["archived"]}
        for api, record in (("code", "code"), ("taxCodeExternalId", "tax_code_external_id"),
                            ("metadata", "metadata")):
            if api in body:
                fields[record] = body[api]
        return fields

    def create_account(self, call: Call) -> Response:
        body = check_object(call.body(required=True), ACCOUNT_CREATE)
        company = self.companies(call, body["companyId"].lower())[0]
        fields = self._account_fields(body)
        fields["external_id"] = body["externalId"]
        account, created = self.store.create_account(company, fields)
        return _ok({"data": shape.account(account)}, 201 if created else 200)

    def get_account(self, call: Call) -> Response:
        account_id = _path_id(call, "accountId")
        row = self._visible(call, call.snapshot.accounts.get(account_id), "account", account_id)
        return _ok({"data": shape.account(row)})

    def update_account(self, call: Call) -> Response:
        account_id = _path_id(call, "accountId")
        self._visible(call, self.store.accounts.get(account_id), "account", account_id)
        body = check_object(call.body(required=True), ACCOUNT_UPDATE)
        updated = self.store.update_account(account_id, self._account_fields(body))
        return _ok({"data": shape.account(updated)})

    def delete_account(self, call: Call) -> Response:
        account_id = _path_id(call, "accountId")
        self._visible(call, self.store.accounts.get(account_id), "account", account_id)
        self.store.delete_account(account_id)
        return Response(status_code=204)

    # -- export v3 -------------------------------------------------------------------

    def _job(self, call: Call, job_id: str) -> ExportJob:
        job = self.store.export_jobs.get(job_id)
        if job is None:
            raise SimError(404, "EXPORT_NOT_FOUND", "Export job not found.")
        if not self.can_access(call, job.company_id):
            raise _forbidden("The credential has no access to this export job")
        return job

    def _job_body(self, job: ExportJob) -> dict[str, Any]:
        return shape.export_job(job, self.store.now_ms())

    def create_job(self, call: Call) -> Response:
        body = check_object(call.body(required=True), JOB_CREATE)
        company = self.companies(call, body["companyId"].lower())[0]
        options = body.get("options") or {}
        job = self.store.create_export_job(
            company, [i.lower() for i in body["accountingEntryIds"]],
            created_by=(body.get("employeeId") or None),
            interactive=body.get("isInteractive") is not False,
            vendor_based=bool(options.get("vendorBasedBookkeeping")),
        )
        return _ok({"data": self._job_body(job)}, 201)

    def list_jobs(self, call: Call) -> Response:
        request = self.cursor_request(call)
        companies = self.companies(call, q_uuid(call.query, "company_id"))
        statuses = set(q_enums(call.query, "statuses", JOB_STATUSES))
        rows = [j for j in self.store.export_jobs.rows(companies)
                if not statuses or j.status in statuses]
        return self.paged(call, rows, self._job_body, request=request)

    def get_job(self, call: Call) -> Response:
        return _ok({"data": self._job_body(self._job(call, _path_id(call, "jobId")))})

    def job_items(self, call: Call) -> Response:
        request = self.cursor_request(call)
        job = self._job(call, _path_id(call, "jobId"))
        status = q_enum(call.query, "status", ITEM_STATUSES)
        rows = [i for i in self.store.job_items(job) if status is None or i.status == status]
        return self.paged(call, rows, shape.export_job_item, request=request)

    def update_job_items(self, call: Call) -> Response:
        job = self._job(call, _path_id(call, "jobId"))
        body = call.body(required=True)
        check_value(body, Field("array", items=ITEM_UPDATE), "body")
        updates = []
        for item in body:
            update = dict(item)
            update["accountingEntryId"] = item["accountingEntryId"].lower()
            if "exportedAt" in item:
                update["exportedAt"] = parse_instant(item["exportedAt"])
            updates.append(update)
        done, errors = self.store.update_export_items(job.id, updates)
        return _ok({
            "data": [shape.export_job_item(i) for i in done],
            "errors": [{"accountingEntryId": e, "type": t, "message": m} for e, t, m in errors],
        })

    def job_event(self, call: Call) -> Response:
        body = check_object(call.body(required=True), JOB_EVENT)
        job = self._job(call, body["jobId"].lower())
        self.store.export_job_event(job.id, body["event"], body.get("failureReason"),
                                    body.get("failureReasonType"))
        return Response(status_code=202)

    def export_items(self, call: Call) -> Response:
        request = self.cursor_request(call)
        job_id = q_uuid(call.query, "job_id")
        if job_id is None:
            raise BadRequest("job_id: is required")
        job = self._job(call, job_id)
        if job.status not in ("pending", "in_progress"):
            raise SimError(422, "EXPORT_JOB_STATUS_UNPROCESSABLE",
                           "Export Job is finished and can no longer be processed.")
        snap = call.snapshot
        rows = [e for e in (snap.expenses.get(i) for i in job.entry_ids) if e is not None]
        base = str(call.request.base_url).rstrip("/")
        return self.paged(
            call, rows,
            lambda e: shape.export_item(self.store, snap, e, self._file_url, base),
            request=request,
        )

    def _file_url(self, receipt_id: str) -> str:
        url = f"{FILE_HOST}/receipts/{receipt_id}"
        if self.ctx.drift.noise:
            url += f"?expires={int(self.store.clock()) + 86400}&signature={secrets.token_hex(12)}"
        return url


def _int(text: str | None, name: str, minimum: int | None, maximum: int | None) -> int:
    if text is None or not text.lstrip("+-").isdigit() or len(text) > 19:
        raise BadRequest(f"{name}: expected an integer")
    value = int(text)
    if minimum is not None and value < minimum:
        raise BadRequest(f"{name}: must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise BadRequest(f"{name}: must be at most {maximum}")
    return value


def _entry_filter(body: dict[str, Any]) -> Callable[[Expense], bool] | None:
    """The accounting-entry search body as one predicate (only one date range per request)."""
    ranges = [name for name in ("performedAt", "settledAt", "bookkeepingDate")
              if f"{name}Start" in body or f"{name}End" in body]
    if len(ranges) > 1:
        raise BadRequest("only one date range (performedAt, settledAt or bookkeepingDate) "
                         "may be given per request")
    tests: list[Callable[[Expense], bool]] = []
    if not body.get("includeDeleted"):
        tests.append(lambda e: e.deleted_at is None)
    if ranges:
        getter = ENTRY_SORT_KEYS[ranges[0]]
        start = _instant(body, f"{ranges[0]}Start")
        end = _instant(body, f"{ranges[0]}End")
        tests.append(lambda e: (v := getter(e)) is not None and (start is None or v >= start)
                     and (end is None or v < end))

    def member(key: str, value: Callable[[Expense], Any], lower: bool = False) -> None:
        if body.get(key):
            wanted = {str(v).lower() if lower else v for v in body[key]}
            tests.append(lambda e: value(e) in wanted)

    member("exportStatus", lambda e: e.export_status)
    member("families", lambda e: shape.FAMILIES[e.type])
    member("subFamilies", lambda e: e.sub_family)
    member("status", lambda e: e.payment_status)
    member("reviewStatus", lambda e: e.review_status)
    member("employeeIds", lambda e: e.employee_id, lower=True)
    member("teamIds", lambda e: e.team_id, lower=True)
    member("transactionValueCurrencies", lambda e: e.original_currency)
    if body.get("foreignExtensionIds"):
        tests.append(lambda e: False)  # the simulator creates no foreign extensions
    _any_member(body, tests, "accountIds", lambda e: [e.account_id] +
                [x.account_id for x in e.lines])
    _any_member(body, tests, "taxCodeIds", lambda e: [e.tax_code_id] +
                [x.tax_code_id for x in e.lines])
    _any_member(body, tests, "tagRowIds", lambda e: _tag_ids(e))
    if body.get("tagGroupIdsUnset"):
        unset = {g.lower() for g in body["tagGroupIdsUnset"]}
        tests.append(lambda e: not unset & {r.group_id for r in e.tags})
    flags: dict[str, Callable[[Expense], bool]] = {
        "hasAccount": lambda e: e.account_id is not None,
        "hasNote": lambda e: bool(e.note),
        "hasBookkeepingDate": lambda e: e.bookkeeping_date is not None,
        "settled": lambda e: e.settled_at is not None,
    }
    for key, value in flags.items():
        if key in body:
            tests.append(_equals(value, bool(body[key])))
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda e: all(test(e) for test in tests)


def _equals(value: Callable[[Expense], bool], expected: bool) -> Callable[[Expense], bool]:
    return lambda e: value(e) == expected


def _tag_ids(expense: Expense) -> list[str]:
    return [r.tag_id for r in expense.tags] + [r.tag_id for x in expense.lines for r in x.tags]


def _any_member(body: dict[str, Any], tests: list[Callable[[Expense], bool]], key: str,
                values: Callable[[Expense], Iterable[str | None]]) -> None:
    if body.get(key):
        wanted = {v.lower() for v in body[key]}
        tests.append(lambda e: any(v in wanted for v in values(e)))


def _instant(body: dict[str, Any], key: str) -> int | None:
    return parse_instant(body[key]) if key in body else None


# Every served operation: (method, path, handler name, scope). Scopes from pleo-apis.md §2.1;
# None where no scope is documented (any valid credential may call it).
OPERATIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("GET", "/v1/installations/me", "my_installation", None),
    ("GET", "/v1/accounting-entries/{accountingEntryId}/receipts", "entry_receipts",
     "accounting-entries:read"),
    ("GET", "/v1/accounting-entries/{accountingEntryId}/receipts/{receiptId}", "entry_receipt",
     "accounting-entries:read"),
    ("POST", "/v1/accounting-entries/receipts:search", "search_receipts",
     "accounting-entries:read"),
    ("POST", "/v1/accounting-entries:search", "search_entries", "accounting-entries:read"),
    ("GET", "/v1/accounting-entries/{accountingEntryId}", "get_entry",
     "accounting-entries:read"),
    ("GET", "/v2/employees", "list_employees", "users:read"),
    ("GET", "/v2/employees/{employeeId}", "get_employee", "users:read"),
    ("GET", "/v1/companies", "list_companies", "companies:read"),
    ("GET", "/v1/companies/{companyId}", "get_company", "companies:read"),
    ("GET", "/v0/aggregations/tag-groups", "aggregated_tag_groups", "tag-groups:read"),
    ("GET", "/v0/tag-groups", "list_tag_groups", "tag-groups:read"),
    ("POST", "/v0/tag-groups", "create_tag_group", "tag-groups:write"),
    ("GET", "/v0/tag-groups/{groupId}", "get_tag_group", "tag-groups:read"),
    ("PUT", "/v0/tag-groups/{groupId}", "update_tag_group", "tag-groups:write"),
    ("DELETE", "/v0/tag-groups/{groupId}", "delete_tag_group", "tag-groups:write"),
    ("GET", "/v0/tag-groups/{groupId}/dimensions", "group_dimensions", "tag-groups:read"),
    ("POST", "/v0/tag-groups/{groupId}/dimensions", "create_dimension", "tag-groups:write"),
    ("GET", "/v0/tag-groups/{groupId}/dimensions/{dimensionId}", "get_dimension",
     "tag-groups:read"),
    ("PUT", "/v0/tag-groups/{groupId}/dimensions/{dimensionId}", "update_dimension",
     "tag-groups:write"),
    ("DELETE", "/v0/tag-groups/{groupId}/dimensions/{dimensionId}", "delete_dimension",
     "tag-groups:write"),
    ("GET", "/v0/tag-groups/{groupId}/tags", "group_tags", "tag-groups:read"),
    ("POST", "/v0/tag-groups/{groupId}/tags", "create_tag", "tag-groups:write"),
    ("GET", "/v0/tags/{tagId}", "get_tag", "tag-groups:read"),
    ("PUT", "/v0/tags/{tagId}", "update_tag", "tag-groups:write"),
    ("DELETE", "/v0/tags/{tagId}", "delete_tag", "tag-groups:write"),
    ("GET", "/v0/tags/{tagId}/dimensions", "tag_dimension_values", "tag-groups:read"),
    ("GET", "/v0/tags/{tagId}/dimensions/{dimensionId}", "get_tag_value", "tag-groups:read"),
    ("POST", "/v0/tags/{tagId}/dimensions/{dimensionId}", "create_tag_value",
     "tag-groups:write"),
    ("PUT", "/v0/tags/{tagId}/dimensions/{dimensionId}", "update_tag_value",
     "tag-groups:write"),
    ("DELETE", "/v0/tags/{tagId}/dimensions/{dimensionId}", "delete_tag_value",
     "tag-groups:write"),
    ("POST", "/v0/tags:search", "search_tags", "tag-groups:read"),
    ("POST", "/v0/tax-codes:search", "search_tax_codes", "tax-codes:read"),
    ("POST", "/v0/tax-codes", "create_tax_code", "tax-codes:write"),
    ("GET", "/v0/tax-codes/{taxCodeId}", "get_tax_code", "tax-codes:read"),
    ("PUT", "/v0/tax-codes/{taxCodeId}", "update_tax_code", "tax-codes:write"),
    ("DELETE", "/v0/tax-codes/{taxCodeId}", "delete_tax_code", "tax-codes:write"),
    ("POST", "/v1/chart-of-accounts:search", "search_accounts", "accounts:read"),
    ("POST", "/v1/chart-of-accounts", "create_account", "accounts:write"),
    ("GET", "/v1/chart-of-accounts/{accountId}", "get_account", "accounts:read"),
    ("PUT", "/v1/chart-of-accounts/{accountId}", "update_account", "accounts:write"),
    ("DELETE", "/v1/chart-of-accounts/{accountId}", "delete_account", "accounts:write"),
    ("POST", "/v3/export-jobs", "create_job", "export-jobs:write"),
    ("GET", "/v3/export-jobs", "list_jobs", "export-jobs:read"),
    ("GET", "/v3/export-jobs/{jobId}", "get_job", "export-jobs:read"),
    ("GET", "/v3/export-jobs/{jobId}/items", "job_items", "export-jobs:read"),
    ("PUT", "/v3/export-jobs/{jobId}/items", "update_job_items", "export-jobs:write"),
    ("POST", "/v3/export-job-events", "job_event", "export-jobs:write"),
    ("GET", "/v3/export-items", "export_items", "export-items:read"),
)
SCOPES: tuple[str, ...] = tuple(sorted({scope for *_, scope in OPERATIONS if scope}))


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    code, message = {
        404: ("NOT_FOUND", f"No endpoint {request.method} {request.url.path}"),
        405: ("METHOD_NOT_ALLOWED", f"Method {request.method} is not allowed here"),
    }.get(status, ("ERROR", "Error"))
    return render_error(HttpError(status, code, message))


async def _internal(request: Request, exc: Exception) -> Response:
    return render_error(HttpError(500, "INTERNAL_ERROR", "Internal simulator error"))


def build_new_app(ctx: SimContext) -> Starlette:
    api = NewApi(ctx)
    grouped: dict[str, dict[str, Any]] = {}
    for method, path, name, scope in OPERATIONS:
        grouped.setdefault(path, {})[method] = endpoint(
            ctx, getattr(api, name), api="new", render=render_error, scope=scope
        )
    routes = [Route(path, _dispatch(methods), methods=list(methods))
              for path, methods in grouped.items()]
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error,
                                                       Exception: _internal})


def _dispatch(methods: dict[str, Any]) -> Callable[[Request], Any]:
    async def dispatch(request: Request) -> Response:
        handler = methods.get(request.method) or methods["GET"]  # HEAD is served as GET
        response: Response = await handler(request)
        return response

    return dispatch
