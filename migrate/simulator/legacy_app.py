"""The legacy API (`/v1/…` on openapi.pleo.io): all 36 known endpoints over the shared store.

A legacy token belongs to one company and sees only that company's records; records of other
companies answer 404. Errors are `{"error": <code>, "message": …, "statusCode": <int>}` (our
documented assumption: the legacy error body was never published).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.simulator import legacy_shapes as shape
from migrate.simulator.money import parse_instant
from migrate.simulator.paging import LEGACY_DEFAULT_PAGE_SIZE, LEGACY_MAX_PAGE_SIZE, legacy_page
from migrate.simulator.records import Expense, Tag, TagGroup
from migrate.simulator.store import EXPORT_STATUSES, code_from_name, not_found
from migrate.simulator.validation import (
    BadRequest,
    Field,
    check_object,
    is_uuid,
    q_bool,
    q_enum,
    q_int,
)
from migrate.simulator.web import Call, HttpError, SimContext, endpoint, json_response

MEDIA_TYPE = "application/json"
LEGACY_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "unprocessable_entity", 429: "too_many_requests",
    500: "internal_error",
}
TYPE_KEYS = ("entertainment", "equipment_and_hardware", "marketing_and_advertising",
             "meals_and_drinks", "office_expenses", "phone_and_internet",
             "services_and_consultancy", "software", "supplies", "travel", "other",
             "no_suitable_category")
RECEIPT_HOST = "https://receipts.simulator.invalid"
DAY_MS = 24 * 3600 * 1000

_TEXT = Field("string", nullable=True)
EMPLOYEE_CREATE = {
    "email": Field("string", required=True, min_length=3), "firstName": _TEXT,
    "lastName": _TEXT, "jobTitle": _TEXT, "phone": _TEXT, "code": _TEXT,
    "role": Field("string", enum=("owner", "admin", "member")),
    "teamId": Field("uuid", nullable=True),
}
EMPLOYEE_UPDATE = {
    "email": Field("string", min_length=3), "firstName": _TEXT, "lastName": _TEXT,
    "jobTitle": _TEXT, "phone": _TEXT, "code": _TEXT,
}
TEAM_BODY = {"name": Field("string", required=True, min_length=1), "code": _TEXT}
_ATTRIBUTE = Field("object", fields={
    "id": Field("uuid"), "name": Field("string", min_length=1),
    "displayOrder": Field("integer", nullable=True), "hidden": Field("boolean"),
})
TAG_GROUP_CREATE = {
    "name": Field("string", required=True, min_length=1), "code": Field("string", min_length=1),
    "archived": Field("boolean"), "tagAttributes": Field("array", items=_ATTRIBUTE),
}
TAG_GROUP_PATCH = {**TAG_GROUP_CREATE, "name": Field("string", min_length=1)}
TAG_BODY = {
    "code": Field("string", min_length=1), "name": _TEXT, "hidden": Field("boolean"),
    "attributeValues": Field("array", items=Field("object", fields={
        "attributeId": Field("uuid", required=True), "value": Field("string", required=True),
    })),
}
ACCOUNT_CREATE = {
    "name": Field("string", required=True, min_length=1), "accountNumber": _TEXT,
    "taxCodeId": Field("uuid", nullable=True), "accountCategoryId": Field("uuid", nullable=True),
    "hidden": Field("boolean"),
}
ACCOUNT_UPDATE = {**ACCOUNT_CREATE, "name": Field("string", min_length=1)}
CATEGORY_CREATE = {
    "name": Field("string", required=True, min_length=1),
    "typeKey": Field("string", required=True, enum=TYPE_KEYS), "hidden": Field("boolean"),
}
CATEGORY_UPDATE = {
    "name": Field("string", min_length=1), "typeKey": Field("string", enum=TYPE_KEYS),
    "hidden": Field("boolean"),
}
EXPORT_STATUS_BODY = {
    "expenseIds": Field("array", required=True, items=Field("uuid"), min_items=1,
                        max_items=1000),
    "status": Field("string", required=True, enum=EXPORT_STATUSES),
}


def render_error(error: HttpError) -> Response:
    body = {"error": LEGACY_CODES.get(error.status, "error"), "message": error.message,
            "statusCode": error.status}
    return json_response(body, error.status, media_type=MEDIA_TYPE, headers=error.headers)


def _ok(payload: Any, status: int = 200) -> Response:
    return json_response(payload, status, media_type=MEDIA_TYPE)


def _no_content() -> Response:
    return Response(status_code=204)


def _path_id(call: Call, name: str) -> str:
    value = call.path[name]
    if not is_uuid(value):
        raise BadRequest(f"{name}: expected a UUID")
    return value.lower()


def _renames(body: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {record: body[api] for api, record in names.items() if api in body}


class LegacyApi:
    """The endpoints; each method is one operation of the reconstructed legacy spec."""

    def __init__(self, ctx: SimContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # -- helpers ---------------------------------------------------------------------

    def company(self, call: Call) -> str:
        cred = call.credential
        if cred.company_id is not None:
            return cred.company_id
        for company in self.store.companies.rows():
            if company.organization_id == cred.organization_id:
                return company.id
        raise HttpError(403, "FORBIDDEN", "The token is not bound to a company")

    def _own(self, call: Call, row: Any, what: str, ident: str) -> Any:
        if row is None or row.company_id != self.company(call):
            raise not_found(what, ident)
        return row

    def _page(
        self, call: Call, rows: list[Any], key: str, render: Callable[[Any], Any]
    ) -> Response:
        offset = q_int(call.query, "pageOffset", minimum=0) or 0
        size = q_int(call.query, "pageSize", minimum=1, maximum=LEGACY_MAX_PAGE_SIZE)
        page = legacy_page(rows, offset, size or LEGACY_DEFAULT_PAGE_SIZE)
        metadata: dict[str, Any] = {"pageInfo": page.page_info()}
        if self.ctx.drift.noise:
            metadata["requestId"] = secrets.token_hex(16)
        return _ok({key: [render(r) for r in page.items], "metadata": metadata})

    def _receipt_url(self, receipt_id: str) -> str:
        url = f"{RECEIPT_HOST}/{receipt_id}"
        if self.ctx.drift.noise:
            expires = int(self.store.clock()) + 900
            url += f"?expires={expires}&signature={secrets.token_hex(12)}"
        return url

    def _expense_body(self, call: Call, row: Expense) -> dict[str, Any]:
        return self.ctx.defects.legacy_expense(row.id, shape.expense(call.snapshot, row))

    # -- expenses --------------------------------------------------------------------

    def list_expenses(self, call: Call) -> Response:
        status = q_enum(call.query, "status", EXPORT_STATUSES)
        date_from = self._date(call, "dateFrom")
        date_to = self._date(call, "dateTo")
        rows = call.snapshot.expenses.rows([self.company(call)])
        if status is not None or date_from is not None or date_to is not None:
            start = date_from if date_from is not None else -(2**62)
            end = date_to + DAY_MS if date_to is not None else 2**62  # dateTo is inclusive
            rows = [
                e for e in rows
                if (status is None or e.export_status == status)
                and start <= e.performed_at < end
            ]
        return self._page(call, rows, "expenses", lambda e: self._expense_body(call, e))

    @staticmethod
    def _date(call: Call, name: str) -> int | None:
        """A `YYYY-MM-DD` filter as the epoch milliseconds of that day's start (UTC)."""
        value = call.query.get(name)
        if value is None:
            return None
        start = parse_instant(value) if len(value) == 10 else None
        if start is None:
            raise BadRequest(f"{name}: expected a date as YYYY-MM-DD")
        return start

    def get_expense(self, call: Call) -> Response:
        expense_id = _path_id(call, "expenseId")
        row = self._own(call, call.snapshot.expenses.get(expense_id), "expense", expense_id)
        return _ok(self._expense_body(call, row))

    def update_export_status(self, call: Call) -> Response:
        body = check_object(call.body(required=True), EXPORT_STATUS_BODY)
        ids = [i.lower() for i in body["expenseIds"]]
        self.store.set_export_status(self.company(call), ids, body["status"])
        return _no_content()

    def list_receipts(self, call: Call) -> Response:
        expense_id = _path_id(call, "expenseId")
        row = self._own(call, call.snapshot.expenses.get(expense_id), "expense", expense_id)
        receipts = [call.snapshot.receipts.get(i) for i in row.receipt_ids]
        return _ok({"receipts": [shape.receipt(r, self._receipt_url(r.id))
                                 for r in receipts if r is not None]})

    def get_receipt(self, call: Call) -> Response:
        expense_id = _path_id(call, "expenseId")
        receipt_id = _path_id(call, "receiptId")
        self._own(call, call.snapshot.expenses.get(expense_id), "expense", expense_id)
        receipt = call.snapshot.receipts.get(receipt_id)
        if receipt is None or receipt.expense_id != expense_id:
            raise not_found("receipt", receipt_id)
        return _ok(shape.receipt(receipt, self._receipt_url(receipt.id)))

    # -- employees and teams ---------------------------------------------------------

    def list_employees(self, call: Call) -> Response:
        rows = call.snapshot.employees.rows([self.company(call)])
        return self._page(call, rows, "employees", shape.employee)

    def create_employee(self, call: Call) -> Response:
        body = check_object(call.body(required=True), EMPLOYEE_CREATE)
        if "@" not in body["email"]:
            raise BadRequest("email: expected an email address")
        company = self.company(call)
        team_id = body.get("teamId")
        if team_id is not None:
            self._own(call, self.store.teams.get(team_id.lower()), "team", team_id)
        fields = _renames(body, {"email": "email", "firstName": "first_name",
                                 "lastName": "last_name", "jobTitle": "job_title",
                                 "phone": "phone", "code": "code", "role": "role"})
        fields["team_id"] = team_id.lower() if team_id else None
        employee = self.store.create_employee(company, fields)
        return _ok({"id": employee.id}, 201)

    def get_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        row = self._own(call, call.snapshot.employees.get(employee_id), "employee", employee_id)
        return _ok(shape.employee(row))

    def update_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        body = check_object(call.body(required=True), EMPLOYEE_UPDATE)
        if "email" in body and "@" not in body["email"]:
            raise BadRequest("email: expected an email address")
        self._own(call, self.store.employees.get(employee_id), "employee", employee_id)
        changes = _renames(body, {"email": "email", "firstName": "first_name",
                                  "lastName": "last_name", "jobTitle": "job_title",
                                  "phone": "phone", "code": "code"})
        return _ok(shape.employee(self.store.update_employee(employee_id, changes)))

    def delete_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        self._own(call, self.store.employees.get(employee_id), "employee", employee_id)
        self.store.delete_employee(employee_id)
        return _no_content()

    def list_teams(self, call: Call) -> Response:
        rows = call.snapshot.teams.rows([self.company(call)])
        return self._page(call, rows, "teams", lambda t: shape.team(call.snapshot, t))

    def create_team(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TEAM_BODY)
        team = self.store.create_team(self.company(call), body["name"], body.get("code"))
        return _ok(shape.team(self.store.snapshot(), team), 201)

    def update_team(self, call: Call) -> Response:
        team_id = _path_id(call, "teamId")
        body = check_object(call.body(required=True), TEAM_BODY)
        self._own(call, self.store.teams.get(team_id), "team", team_id)
        team = self.store.update_team(team_id, {"name": body["name"], "code": body.get("code")})
        return _ok(shape.team(self.store.snapshot(), team))

    # -- tag groups and tags ---------------------------------------------------------

    def _group(self, call: Call) -> TagGroup:
        group_id = _path_id(call, "tagGroupId")
        group: TagGroup = self._own(call, self.store.tag_groups.get(group_id), "tag group",
                                    group_id)
        return group

    def list_tag_groups(self, call: Call) -> Response:
        archived = q_bool(call.query, "archived")
        rows = call.snapshot.tag_groups.rows([self.company(call)])
        return _ok([shape.tag_group(self.store, call.snapshot, g) for g in rows
                    if archived is None or g.archived == archived])

    def create_tag_group(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_GROUP_CREATE)
        attributes = []
        for attribute in body.get("tagAttributes", []):
            if "name" not in attribute:
                raise BadRequest("tagAttributes[].name: is required")
            attributes.append(self._attribute(attribute))
        group = self.store.create_tag_group(
            self.company(call), name=body["name"],
            code=body.get("code") or code_from_name(body["name"]),
            archived=body.get("archived", False), dimensions=attributes,
        )
        return _ok(shape.tag_group(self.store, self.store.snapshot(), group), 201)

    @staticmethod
    def _attribute(attribute: dict[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = {}
        if "name" in attribute:
            spec["name"] = attribute["name"]
        if attribute.get("displayOrder") is not None:
            spec["display_order"] = attribute["displayOrder"]
        if "hidden" in attribute:
            spec["visible"] = not attribute["hidden"]
        return spec

    def get_tag_group(self, call: Call) -> Response:
        group_id = _path_id(call, "tagGroupId")
        group = self._own(call, call.snapshot.tag_groups.get(group_id), "tag group", group_id)
        return _ok(shape.tag_group(self.store, call.snapshot, group))

    def patch_tag_group(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_GROUP_PATCH)
        group = self._group(call)
        own = {d.id for d in self.store.dimensions_of(group)}
        for attribute in body.get("tagAttributes", []):
            spec = self._attribute(attribute)
            if "id" in attribute:
                if attribute["id"].lower() not in own:
                    raise BadRequest(f"tagAttributes[].id: {attribute['id']} is not an "
                                     "attribute of this group")
                self.store.update_dimension(attribute["id"].lower(), spec)
            elif "name" in spec:
                self.store.add_dimension(group, spec)
            else:
                raise BadRequest("tagAttributes[]: a new attribute needs a name")
        changes = _renames(body, {"name": "name", "code": "code", "archived": "archived"})
        updated = self.store.update_tag_group(group.id, changes)
        return _ok(shape.tag_group(self.store, self.store.snapshot(), updated))

    def delete_tag_group(self, call: Call) -> Response:
        archive = q_bool(call.query, "archive")
        group = self._group(call)
        if archive:
            self.store.update_tag_group(group.id, {"archived": True})
        else:
            self.store.delete_tag_group(group.id)
        return _no_content()

    def list_tags(self, call: Call) -> Response:
        hidden = q_bool(call.query, "hidden")
        group = self._group(call)
        rows = [t for t in call.snapshot.tags.rows([group.company_id]) if t.group_id == group.id]
        return _ok([shape.tag(t) for t in rows if hidden is None or t.archived == hidden])

    def _values(self, group: TagGroup, body: dict[str, Any]) -> dict[str, str]:
        own = {d.id for d in self.store.dimensions_of(group)}
        values = {}
        for item in body.get("attributeValues", []):
            attribute_id = item["attributeId"].lower()
            if attribute_id not in own:
                raise BadRequest(f"attributeValues[].attributeId: {attribute_id} is not an "
                                 "attribute of this tag group")
            values[attribute_id] = item["value"]
        return values

    def create_tag(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_BODY)
        group = self._group(call)
        values = self._values(group, body)
        name = body.get("name")
        if "code" not in body and not name and not values:
            raise BadRequest("a tag needs a code, a name or attribute values")
        code = body.get("code") or code_from_name(name or next(iter(values.values()), "TAG"))
        tag = self.store.create_tag(group.id, code=code, name=name,
                                    archived=body.get("hidden", False), values=values)
        return _ok(shape.tag(tag), 201)

    def _tag(self, call: Call, group: TagGroup) -> Tag:
        tag_id = _path_id(call, "tagId")
        tag = self.store.tags.get(tag_id)
        if tag is None or tag.group_id != group.id:
            raise not_found("tag", tag_id)
        return tag

    def get_tag(self, call: Call) -> Response:
        group = self._group(call)
        tag_id = _path_id(call, "tagId")
        tag = call.snapshot.tags.get(tag_id)
        if tag is None or tag.group_id != group.id:
            raise not_found("tag", tag_id)
        return _ok(shape.tag(tag))

    def patch_tag(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_BODY)
        group = self._group(call)
        tag = self._tag(call, group)
        changes = _renames(body, {"code": "code", "name": "name", "hidden": "archived"})
        updated = self.store.update_tag(tag.id, changes, self._values(group, body))
        return _ok(shape.tag(updated))

    def delete_tag(self, call: Call) -> Response:
        group = self._group(call)
        self.store.delete_tag(self._tag(call, group).id)
        return _no_content()

    # -- tax codes, accounts, account categories, balance -----------------------------

    def list_tax_codes(self, call: Call) -> Response:
        hidden = q_bool(call.query, "hidden")
        q_bool(call.query, "force")
        rows = call.snapshot.tax_codes.rows([self.company(call)])
        return _ok({"taxCodes": [shape.tax_code(t) for t in rows
                                 if hidden is None or t.archived == hidden]})

    def get_tax_code(self, call: Call) -> Response:
        tax_code_id = _path_id(call, "taxCodeId")
        row = self._own(call, call.snapshot.tax_codes.get(tax_code_id), "tax code", tax_code_id)
        return _ok(shape.tax_code(row))

    def list_accounts(self, call: Call) -> Response:
        rows = call.snapshot.accounts.rows([self.company(call)])
        return self._page(call, rows, "accounts", lambda a: shape.account(self.store, a))

    def _account_fields(self, call: Call, body: dict[str, Any]) -> dict[str, Any]:
        fields = _renames(body, {"name": "name", "accountNumber": "code", "hidden": "archived"})
        if "taxCodeId" in body:
            tax_code_id = body["taxCodeId"]
            if tax_code_id is None:
                fields["tax_code_external_id"] = None
            else:
                tax = self.store.tax_codes.get(tax_code_id.lower())
                if tax is None or tax.company_id != self.company(call):
                    raise BadRequest(f"taxCodeId: tax code {tax_code_id} does not exist")
                fields["tax_code_external_id"] = tax.code or tax.id
        if "accountCategoryId" in body:
            category_id = body["accountCategoryId"]
            if category_id is not None:
                category = self.store.account_categories.get(category_id.lower())
                if category is None or category.company_id != self.company(call):
                    raise BadRequest(f"accountCategoryId: category {category_id} does not exist")
                category_id = category.id
            fields["category_id"] = category_id
        return fields

    def create_account(self, call: Call) -> Response:
        body = check_object(call.body(required=True), ACCOUNT_CREATE)
        fields = self._account_fields(call, body)
        fields["external_id"] = body.get("accountNumber") or f"PLEO-{secrets.token_hex(6)}"
        account, _ = self.store.create_account(self.company(call), fields)
        return _ok(shape.account(self.store, account), 201)

    def get_account(self, call: Call) -> Response:
        account_id = _path_id(call, "accountId")
        row = self._own(call, call.snapshot.accounts.get(account_id), "account", account_id)
        return _ok(shape.account(self.store, row))

    def update_account(self, call: Call) -> Response:
        account_id = _path_id(call, "accountId")
        body = check_object(call.body(required=True), ACCOUNT_UPDATE)
        self._own(call, self.store.accounts.get(account_id), "account", account_id)
        updated = self.store.update_account(account_id, self._account_fields(call, body))
        return _ok(shape.account(self.store, updated))

    def delete_account(self, call: Call) -> Response:
        account_id = _path_id(call, "accountId")
        self._own(call, self.store.accounts.get(account_id), "account", account_id)
        self.store.delete_account(account_id)
        return _no_content()

    def list_categories(self, call: Call) -> Response:
        rows = call.snapshot.account_categories.rows([self.company(call)])
        return self._page(call, rows, "accountCategories", shape.account_category)

    def create_category(self, call: Call) -> Response:
        body = check_object(call.body(required=True), CATEGORY_CREATE)
        category = self.store.create_account_category(
            self.company(call), body["name"], body["typeKey"], body.get("hidden", False)
        )
        return _ok(shape.account_category(category), 201)

    def get_category(self, call: Call) -> Response:
        category_id = _path_id(call, "accountCategoryId")
        row = self._own(call, call.snapshot.account_categories.get(category_id),
                        "account category", category_id)
        return _ok(shape.account_category(row))

    def update_category(self, call: Call) -> Response:
        category_id = _path_id(call, "accountCategoryId")
        body = check_object(call.body(required=True), CATEGORY_UPDATE)
        self._own(call, self.store.account_categories.get(category_id), "account category",
                  category_id)
        changes = _renames(body, {"name": "name", "typeKey": "type_key", "hidden": "hidden"})
        return _ok(shape.account_category(self.store.update_account_category(category_id,
                                                                             changes)))

    def delete_category(self, call: Call) -> Response:
        category_id = _path_id(call, "accountCategoryId")
        self._own(call, self.store.account_categories.get(category_id), "account category",
                  category_id)
        self.store.delete_account_category(category_id)
        return _no_content()

    def balance(self, call: Call) -> Response:
        company = self.store.companies.get(self.company(call))
        if company is None:
            raise not_found("company", self.company(call))
        return _ok(shape.balance(company))


# Every legacy endpoint: (operation id, method, path under /v1, handler name).
OPERATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("expenses.list", "GET", "/expenses", "list_expenses"),
    ("expenses.update-export-status", "PUT", "/expenses", "update_export_status"),
    ("expenses.get", "GET", "/expenses/{expenseId}", "get_expense"),
    ("expense-receipts.list", "GET", "/expenses/{expenseId}/receipts", "list_receipts"),
    ("expense-receipts.get", "GET", "/expenses/{expenseId}/receipts/{receiptId}", "get_receipt"),
    ("employees.list", "GET", "/employees", "list_employees"),
    ("employees.create", "POST", "/employees", "create_employee"),
    ("employees.get", "GET", "/employees/{employeeId}", "get_employee"),
    ("employees.update", "PUT", "/employees/{employeeId}", "update_employee"),
    ("employees.delete", "DELETE", "/employees/{employeeId}", "delete_employee"),
    ("teams.list", "GET", "/teams", "list_teams"),
    ("teams.create", "POST", "/teams", "create_team"),
    ("teams.update", "PUT", "/teams/{teamId}", "update_team"),
    ("tag-groups.list", "GET", "/tag-groups", "list_tag_groups"),
    ("tag-groups.create", "POST", "/tag-groups", "create_tag_group"),
    ("tag-groups.get", "GET", "/tag-groups/{tagGroupId}", "get_tag_group"),
    ("tag-groups.update", "PATCH", "/tag-groups/{tagGroupId}", "patch_tag_group"),
    ("tag-groups.delete", "DELETE", "/tag-groups/{tagGroupId}", "delete_tag_group"),
    ("tags.list", "GET", "/tag-groups/{tagGroupId}/tags", "list_tags"),
    ("tags.create", "POST", "/tag-groups/{tagGroupId}/tags", "create_tag"),
    ("tags.get", "GET", "/tag-groups/{tagGroupId}/tags/{tagId}", "get_tag"),
    ("tags.update", "PATCH", "/tag-groups/{tagGroupId}/tags/{tagId}", "patch_tag"),
    ("tags.delete", "DELETE", "/tag-groups/{tagGroupId}/tags/{tagId}", "delete_tag"),
    ("tax-codes.list", "GET", "/tax-codes", "list_tax_codes"),
    ("tax-codes.get", "GET", "/tax-codes/{taxCodeId}", "get_tax_code"),
    ("accounts.list", "GET", "/accounts", "list_accounts"),
    ("accounts.create", "POST", "/accounts", "create_account"),
    ("accounts.get", "GET", "/accounts/{accountId}", "get_account"),
    ("accounts.update", "PUT", "/accounts/{accountId}", "update_account"),
    ("accounts.delete", "DELETE", "/accounts/{accountId}", "delete_account"),
    ("account-categories.list", "GET", "/account-categories", "list_categories"),
    ("account-categories.create", "POST", "/account-categories", "create_category"),
    ("account-categories.get", "GET", "/account-categories/{accountCategoryId}",
     "get_category"),
    ("account-categories.update", "PUT", "/account-categories/{accountCategoryId}",
     "update_category"),
    ("account-categories.delete", "DELETE", "/account-categories/{accountCategoryId}",
     "delete_category"),
    ("companies.balance", "GET", "/companies/balance", "balance"),
)
BASE_PATH = "/v1"


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = {404: f"No endpoint {request.method} {request.url.path}",
               405: f"Method {request.method} is not allowed here"}.get(status, "Error")
    return render_error(HttpError(status, "NOT_FOUND", message))


async def _internal(request: Request, exc: Exception) -> Response:
    return render_error(HttpError(500, "INTERNAL", "Internal simulator error"))


def build_legacy_app(ctx: SimContext) -> Starlette:
    api = LegacyApi(ctx)
    grouped: dict[str, dict[str, Any]] = {}
    for _op, method, path, name in OPERATIONS:
        grouped.setdefault(path, {})[method] = endpoint(
            ctx, getattr(api, name), api="legacy", render=render_error
        )
    routes = [Route(BASE_PATH + path, _dispatch(methods), methods=list(methods))
              for path, methods in grouped.items()]
    return Starlette(routes=routes, exception_handlers={HTTPException: _not_found,
                                                       Exception: _internal})


def _dispatch(methods: dict[str, Any]) -> Callable[[Request], Any]:
    async def dispatch(request: Request) -> Response:
        handler = methods.get(request.method) or methods["GET"]  # HEAD is served as GET
        response: Response = await handler(request)
        return response

    return dispatch
