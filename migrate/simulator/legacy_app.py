"""The legacy API (`/v1/…` on openapi.pleo.io): the 46 operations of legacy-openapi.yml.

A legacy token belongs to one company and sees only that company's records; records of other
companies answer 404. Paths, parameters, defaults, bodies and statuses follow
specs/legacy/legacy-openapi.yml: creates answer 200, deletes and `PUT /expenses` answer 200
with `{}`, lists of tag groups, tags and tax codes leave archived or hidden records out unless
asked. Errors are `{"statusCode", "error": <reason phrase>, "message": <short code>}`; what
the spec leaves open (statuses it does not list, codes, page-size defaults) is listed in
`migrate.simulator.assumptions`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.simulator.assumptions import (
    DETAIL_HEADER,
    LEGACY_DEFAULT_PAGE_SIZE,
    LEGACY_RECEIPT_URL_SECONDS,
    TEAMS_DEFAULT_PAGE_SIZE,
)
from migrate.simulator.legacy_shapes import LegacyShapes
from migrate.simulator.money import parse_instant
from migrate.simulator.paging import legacy_page
from migrate.simulator.records import Account, AccountCategory, Expense, Tag, TagGroup
from migrate.simulator.store import EXPORT_STATUSES, code_from_name, not_found
from migrate.simulator.validation import (
    BadRequest,
    Field,
    check_object,
    is_uuid,
    q_bool,
    q_enums,
)
from migrate.simulator.web import Call, HttpError, SimContext, endpoint, json_response

MEDIA_TYPE = "application/json"
TYPE_KEYS = ("entertainment", "equipment_and_hardware", "marketing_and_advertising",
             "meals_and_drinks", "office_expenses", "phone_and_internet",
             "services_and_consultancy", "software", "supplies", "travel", "other",
             "no_suitable_category")
EXPENSE_TYPES = ("CARD", "PERSONAL_TRANSFER", "BILL_INVOICE", "BILL_INVOICE_PAYMENT", "LOAD",
                 "MANUAL", "MANUAL_TRANSFER", "PLEO_INVOICE", "EMPLOYEE_BANK_TRANSFER",
                 "CASHBACK", "OVERDRAFT_FEE", "OVERDRAFT_INTEREST")
CARD_STATES = ("AUTHORIZATION", "AUTHORIZATION_REVERSAL", "CHARGE_BACK", "CHARGE_BACK_REVERSAL",
               "PRESENTMENT", "SECOND_PRESENTMENT", "REFUND", "LOAD", "UNLOAD", "FAILED",
               "MANUAL")
HIDDEN_BY_DEFAULT_STATES = frozenset({"AUTHORIZATION", "AUTHORIZATION_REVERSAL"})
RECEIPT_HOST = "https://receipts.simulator.invalid"
DAY_MS = 24 * 3600 * 1000
_WHOLE = re.compile(r"\+?\d{1,18}(\.0*)?")

_TEXT = Field("string", nullable=True)
EMPLOYEE_CREATE = {"email": Field("string", required=True, min_length=3)}
EMPLOYEE_UPDATE = {
    "email": Field("string", min_length=3), "firstName": Field("string"),
    "lastName": Field("string"), "jobTitle": _TEXT, "phone": _TEXT, "code": _TEXT,
}
TEAM_BODY = {"name": Field("string", required=True, min_length=1), "code": _TEXT}
TAG_GROUP_CREATE = {
    "name": Field("string", required=True, min_length=1),
    "tagAttributes": Field("array", required=True, items=Field("object", fields={
        "name": Field("string", required=True, min_length=1), "displayOrder": Field("number"),
    })),
}
TAG_GROUP_PATCH = {
    "name": Field("string", min_length=1), "archived": Field("boolean"),
    "tagAttributes": Field("array", items=Field("object", fields={
        "id": Field("uuid", required=True), "name": Field("string", min_length=1),
        "displayOrder": Field("number"), "hidden": Field("boolean"),
    })),
}
TAG_CREATE = {
    "attributeValues": Field("array", required=True, items=Field("object", fields={
        "attributeId": Field("uuid", required=True), "value": Field("string", required=True),
    })),
}
TAG_PATCH = {"displayOrder": Field("number", nullable=True), "hidden": Field("boolean")}
ACCOUNT_BODY = {
    "name": Field("string", min_length=1), "accountNumber": Field("string"),
    "taxCodeId": Field("uuid", nullable=True), "accountCategoryId": Field("uuid"),
    "hidden": Field("boolean"),
}
GROUP_BODY = {
    "name": Field("string", min_length=1), "typeKey": Field("string", enum=TYPE_KEYS),
    "hidden": Field("boolean"),
}
EXPORT_STATUS_BODY = {
    "expenseIds": Field("array", required=True, items=Field("uuid"), min_items=1),
    "status": Field("string", required=True, enum=EXPORT_STATUSES),
}


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii").replace("\r", " ").replace("\n", " ")


def render_error(error: HttpError) -> Response:
    try:
        phrase = HTTPStatus(error.status).phrase
    except ValueError:
        phrase = "Error"
    body = {"statusCode": error.status, "error": phrase, "message": error.reason}
    headers = {**error.headers, DETAIL_HEADER: _ascii(error.message)}
    return json_response(body, error.status, media_type=MEDIA_TYPE, headers=headers)


def _ok(payload: Any) -> Response:
    return json_response(payload, 200, media_type=MEDIA_TYPE)


def _done() -> Response:
    """The answer to deletes and bulk updates: 200 with an empty object."""
    return _ok({})


def _path_id(call: Call, name: str) -> str:
    value = call.path[name]
    if not is_uuid(value):
        raise BadRequest(f"{name}: expected a UUID")
    return value.lower()


def _whole(call: Call, name: str, minimum: int) -> int | None:
    """A query number the spec types `number` but means as a whole count."""
    value = call.query.get(name)
    if value is None:
        return None
    if not _WHOLE.fullmatch(value):
        raise BadRequest(f"{name}: expected a whole number")
    number = int(float(value))
    if number < minimum:
        raise BadRequest(f"{name}: must be at least {minimum}")
    return number


def _renames(body: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {record: body[api] for api, record in names.items() if api in body}


def _order(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if float(value) != int(value):
        raise BadRequest(f"{where}: expected a whole number")
    return int(value)


class LegacyApi:
    """The endpoints; each method is one operation of legacy-openapi.yml."""

    def __init__(self, ctx: SimContext) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.assume = ctx.assumptions
        self.shape = LegacyShapes(ctx.store, ctx.assumptions)

    # -- helpers ---------------------------------------------------------------------

    def company(self, call: Call) -> str:
        cred = call.credential
        if cred.company_id is not None:
            return cred.company_id
        for company in self.store.companies.rows():
            if company.organization_id == cred.organization_id:
                return company.id
        raise HttpError(403, "FORBIDDEN", "The token is not bound to a company",
                        reason="token_not_bound_to_company")

    def _own(self, call: Call, row: Any, what: str, ident: str) -> Any:
        company = self.company(call)  # a token without a company is refused first (403)
        if row is None or row.company_id != company:
            raise not_found(what, ident)
        return row

    def _page(
        self, call: Call, rows: list[Any], key: str, render: Callable[[Any], Any], *,
        default_size: int = LEGACY_DEFAULT_PAGE_SIZE, metadata: bool = True,
    ) -> Response:
        offset = _whole(call, "pageOffset", 0) or 0
        size = _whole(call, "pageSize", 1) or default_size
        page = legacy_page(rows, offset, size)
        body: dict[str, Any] = {key: [render(r) for r in page.items]}
        if metadata:
            meta: dict[str, Any] = {"pageInfo": page.page_info()}
            if self.ctx.drift.noise:
                meta["requestId"] = secrets.token_hex(16)
            body["metadata"] = meta
        return _ok(body)

    def _receipt_url(self, receipt_id: str) -> str:
        url = f"{RECEIPT_HOST}/{receipt_id}"
        if self.ctx.drift.noise:
            expires = int(self.store.clock()) + LEGACY_RECEIPT_URL_SECONDS
            url += f"?expires={expires}&signature={secrets.token_hex(12)}"
        return url

    def _expense_body(self, call: Call, row: Expense) -> dict[str, Any]:
        return self.ctx.defects.legacy_expense(row.id, self.shape.expense(call.snapshot, row))

    def health(self, call: Call) -> Response:
        self.company(call)
        return _ok({"status": "UP"})

    # -- expenses --------------------------------------------------------------------

    def list_expenses(self, call: Call) -> Response:
        company = self.company(call)
        keep = self._expense_filter(call, company)
        rows = call.snapshot.expenses.rows([company])
        if keep is not None:
            rows = [e for e in rows if keep(e)]
        return self._page(call, rows, "expenses", lambda e: self._expense_body(call, e))

    def _expense_filter(self, call: Call, company: str) -> Callable[[Expense], bool] | None:
        query = call.query
        tests: list[Callable[[Expense], bool]] = []
        statuses = set(q_enums(query, "status", EXPORT_STATUSES))
        if statuses:
            tests.append(lambda e: e.export_status in statuses)
        types = set(q_enums(query, "types", EXPENSE_TYPES))
        if types:
            tests.append(lambda e: e.type in types)
        states = set(q_enums(query, "transactionStates", CARD_STATES))
        if states:
            tests.append(lambda e: e.card is not None and e.card.state in states)
        elif not self.assume.legacy_lists_authorisations:
            tests.append(lambda e: e.card is None or e.card.state not in HIDDEN_BY_DEFAULT_STATES)
        start = self._instant(call, "dateFrom", end=False)
        end = self._instant(call, "dateTo", end=True)
        if start is not None or end is not None:
            low = start if start is not None else -(2**62)
            high = end if end is not None else 2**62
            tests.append(lambda e: low <= e.performed_at <= high)
        account = query.get("accountId")
        if account is not None:
            stored = self.shape.stored_account_id(company, account) if is_uuid(account) else None
            tests.append(lambda e: stored is not None and stored in
                         [e.account_id, *(x.account_id for x in e.lines)])
        tag = query.get("tagId")
        if tag is not None:
            wanted = tag.lower()
            tests.append(lambda e: wanted in [r.tag_id for r in e.tags]
                         + [r.tag_id for x in e.lines for r in x.tags])
        if not tests:
            return None
        return lambda e: all(test(e) for test in tests)

    @staticmethod
    def _instant(call: Call, name: str, *, end: bool) -> int | None:
        """A date-time filter as epoch ms; a plain date covers its whole day (UTC)."""
        value = call.query.get(name)
        if value is None:
            return None
        moment = parse_instant(value)
        if moment is None:
            raise BadRequest(f"{name}: expected YYYY-MM-DDTHH:mm:ss.SSSZ or YYYY-MM-DD")
        return moment + DAY_MS - 1 if end and len(value) == 10 else moment

    def get_expense(self, call: Call) -> Response:
        expense_id = _path_id(call, "expenseId")
        row = self._own(call, call.snapshot.expenses.get(expense_id), "expense", expense_id)
        return _ok(self._expense_body(call, row))

    def update_export_status(self, call: Call) -> Response:
        body = check_object(call.body(required=True), EXPORT_STATUS_BODY)
        ids = [i.lower() for i in body["expenseIds"]]
        self.store.set_export_status(self.company(call), ids, body["status"])
        return _done()

    def list_receipts(self, call: Call) -> Response:
        expense_id = _path_id(call, "expenseId")
        row = self._own(call, call.snapshot.expenses.get(expense_id), "expense", expense_id)
        receipts = [call.snapshot.receipts.get(i) for i in row.receipt_ids]
        return _ok([self.shape.receipt(r, self._receipt_url(r.id))
                    for r in receipts if r is not None])

    def get_receipt(self, call: Call) -> Response:
        expense_id = _path_id(call, "expenseId")
        receipt_id = _path_id(call, "receiptId")
        self._own(call, call.snapshot.expenses.get(expense_id), "expense", expense_id)
        receipt = call.snapshot.receipts.get(receipt_id)
        if receipt is None or receipt.expense_id != expense_id:
            raise not_found("receipt", receipt_id)
        return _ok(self.shape.receipt(receipt, self._receipt_url(receipt.id)))

    # -- employees -------------------------------------------------------------------

    def list_employees(self, call: Call) -> Response:
        rows = call.snapshot.employees.rows([self.company(call)])
        return self._page(call, rows, "employees", self.shape.employee)

    def create_employee(self, call: Call) -> Response:
        body = check_object(call.body(required=True), EMPLOYEE_CREATE)
        if "@" not in body["email"]:
            raise BadRequest("email: expected an email address")
        employee = self.store.create_employee(self.company(call), {"email": body["email"]})
        return _ok({"id": employee.id})

    def get_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        row = self._own(call, call.snapshot.employees.get(employee_id), "employee", employee_id)
        return _ok(self.shape.employee(row))

    def update_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        body = check_object(call.body(required=True), EMPLOYEE_UPDATE)
        if "email" in body and "@" not in body["email"]:
            raise BadRequest("email: expected an email address")
        self._own(call, self.store.employees.get(employee_id), "employee", employee_id)
        changes = _renames(body, {"email": "email", "firstName": "first_name",
                                  "lastName": "last_name", "jobTitle": "job_title",
                                  "phone": "phone", "code": "code"})
        return _ok(self.shape.employee(self.store.update_employee(employee_id, changes)))

    def delete_employee(self, call: Call) -> Response:
        employee_id = _path_id(call, "employeeId")
        self._own(call, self.store.employees.get(employee_id), "employee", employee_id)
        self.store.delete_employee(employee_id)
        return _done()

    # -- teams -----------------------------------------------------------------------

    def _team_id(self, call: Call) -> str:
        team_id = _path_id(call, "teamId")
        self._own(call, self.store.teams.get(team_id), "team", team_id)
        return team_id

    def list_teams(self, call: Call) -> Response:
        rows = call.snapshot.teams.rows([self.company(call)])
        return self._page(call, rows, "teams", lambda t: self.shape.team(call.snapshot, t),
                          default_size=TEAMS_DEFAULT_PAGE_SIZE, metadata=False)

    def create_team(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TEAM_BODY)
        team = self.store.create_team(self.company(call), body["name"], body.get("code"))
        return _ok(self.shape.team(self.store.snapshot(), team))

    def get_team(self, call: Call) -> Response:
        team_id = _path_id(call, "teamId")
        row = self._own(call, call.snapshot.teams.get(team_id), "team", team_id)
        return _ok(self.shape.team(call.snapshot, row))

    def update_team(self, call: Call) -> Response:
        team_id = _path_id(call, "teamId")
        body = check_object(call.body(required=True), TEAM_BODY)
        self._own(call, self.store.teams.get(team_id), "team", team_id)
        changes = {"name": body["name"]}
        if "code" in body:
            changes["code"] = body["code"]
        team = self.store.update_team(team_id, changes)
        return _ok(self.shape.team(self.store.snapshot(), team))

    def delete_team(self, call: Call) -> Response:
        self.store.delete_team(self._team_id(call))
        return _done()

    def _member(self, call: Call) -> tuple[str, str, str | None]:
        team_id = self._team_id(call)
        employee_id = _path_id(call, "employeeId")
        employee = self._own(call, self.store.employees.get(employee_id), "employee",
                             employee_id)
        return team_id, employee_id, employee.team_id

    def add_team_member(self, call: Call) -> Response:
        team_id, employee_id, _ = self._member(call)
        self.store.set_team(employee_id, team_id)
        return _done()

    def remove_team_member(self, call: Call) -> Response:
        team_id, employee_id, current = self._member(call)
        if current != team_id:
            raise not_found("team member", employee_id)
        self.store.set_team(employee_id, None)
        return _done()

    # -- tag groups and tags ---------------------------------------------------------

    def _group(self, call: Call) -> TagGroup:
        group_id = _path_id(call, "tagGroupId")
        group: TagGroup = self._own(call, self.store.tag_groups.get(group_id), "tag group",
                                    group_id)
        return group

    def _flag_filter(self, call: Call, name: str) -> Callable[[bool], bool]:
        """Legacy `archived`/`hidden`: true lists only flagged records; absent or false only
        the others (or everything when absent, under legacy-list-defaults=all)."""
        flag = q_bool(call.query, name)
        if flag is None and self.assume.legacy_lists_everything:
            return lambda _flagged: True
        wanted = bool(flag)
        return lambda flagged: flagged == wanted

    def list_tag_groups(self, call: Call) -> Response:
        keep = self._flag_filter(call, "archived")
        rows = call.snapshot.tag_groups.rows([self.company(call)])
        return _ok([self.shape.tag_group(call.snapshot, g) for g in rows if keep(g.archived)])

    def create_tag_group(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_GROUP_CREATE)
        attributes = []
        for index, attribute in enumerate(body["tagAttributes"]):
            spec: dict[str, Any] = {"name": attribute["name"]}
            order = _order(attribute.get("displayOrder"), f"tagAttributes[{index}].displayOrder")
            if order is not None:
                spec["display_order"] = order
            attributes.append(spec)
        company = self.company(call)
        code = code_from_name(body["name"])
        taken = {g.code for g in self.store.tag_groups.rows([company])}
        base, n = code, 2
        while code in taken:
            code, n = f"{base}_{n}", n + 1
        group = self.store.create_tag_group(company, name=body["name"], code=code,
                                            dimensions=attributes)
        return _ok(self.shape.tag_group(self.store.snapshot(), group))

    def get_tag_group(self, call: Call) -> Response:
        group_id = _path_id(call, "tagGroupId")
        group = self._own(call, call.snapshot.tag_groups.get(group_id), "tag group", group_id)
        return _ok(self.shape.tag_group(call.snapshot, group))

    def patch_tag_group(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_GROUP_PATCH)
        group = self._group(call)
        own = {d.id for d in self.store.dimensions_of(group)}
        for index, attribute in enumerate(body.get("tagAttributes", [])):
            attribute_id = attribute["id"].lower()
            if attribute_id not in own:
                raise BadRequest(f"tagAttributes[{index}].id: {attribute_id} is not an "
                                 "attribute of this group")
            spec: dict[str, Any] = {}
            if "name" in attribute:
                spec["name"] = attribute["name"]
            if "displayOrder" in attribute:
                spec["display_order"] = _order(attribute["displayOrder"],
                                               f"tagAttributes[{index}].displayOrder")
            if "hidden" in attribute:
                spec["visible"] = not attribute["hidden"]
            self.store.update_dimension(attribute_id, spec)
        changes = _renames(body, {"name": "name", "archived": "archived"})
        updated = self.store.update_tag_group(group.id, changes)
        return _ok(self.shape.tag_group(self.store.snapshot(), updated))

    def delete_tag_group(self, call: Call) -> Response:
        archive = q_bool(call.query, "archive")
        group = self._group(call)
        if archive:
            self.store.update_tag_group(group.id, {"archived": True})
        else:
            self.store.delete_tag_group(group.id)
        return _done()

    def list_tags(self, call: Call) -> Response:
        keep = self._flag_filter(call, "hidden")
        group = self._group(call)
        rows = [t for t in call.snapshot.tags.rows([group.company_id]) if t.group_id == group.id]
        return _ok([self.shape.tag(t) for t in rows if keep(t.archived)])

    def create_tag(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_CREATE)
        group = self._group(call)
        own = {d.id for d in self.store.dimensions_of(group)}
        values: dict[str, str] = {}
        for index, item in enumerate(body["attributeValues"]):
            attribute_id = item["attributeId"].lower()
            if attribute_id not in own:
                raise BadRequest(f"attributeValues[{index}].attributeId: {attribute_id} is "
                                 "not an attribute of this tag group")
            values[attribute_id] = item["value"]
        first = next(iter(values.values()), None)
        siblings = [t for t in self.store.tags.rows([group.company_id])
                    if t.group_id == group.id]
        order = max((t.display_order or 0 for t in siblings), default=0) + 1
        tag = self.store.create_tag(
            group.id, code=self.store.unique_tag_code(group, code_from_name(first or "TAG")),
            name=first, archived=False, values=values, display_order=order,
        )
        return _ok(self.shape.tag(tag))

    def _tag(self, call: Call, group: TagGroup, view: Any) -> Tag:
        tag_id = _path_id(call, "tagId")
        tag: Tag | None = view.get(tag_id)
        if tag is None or tag.group_id != group.id:
            raise not_found("tag", tag_id)
        return tag

    def get_tag(self, call: Call) -> Response:
        group = self._group(call)
        return _ok(self.shape.tag(self._tag(call, group, call.snapshot.tags)))

    def patch_tag(self, call: Call) -> Response:
        body = check_object(call.body(required=True), TAG_PATCH)
        group = self._group(call)
        tag = self._tag(call, group, self.store.tags)
        changes: dict[str, Any] = {}
        if "displayOrder" in body:
            changes["display_order"] = _order(body["displayOrder"], "displayOrder")
        if "hidden" in body:
            changes["archived"] = body["hidden"]
        return _ok(self.shape.tag(self.store.update_tag(tag.id, changes, {})))

    def delete_tag(self, call: Call) -> Response:
        group = self._group(call)
        self.store.delete_tag(self._tag(call, group, self.store.tags).id)
        return _done()

    # -- tax codes -------------------------------------------------------------------

    def list_tax_codes(self, call: Call) -> Response:
        hidden = q_bool(call.query, "hidden")
        q_bool(call.query, "force")  # reloads Pleo's cache; nothing to reload here
        everything = hidden is True or (hidden is None and self.assume.legacy_lists_everything)
        rows = call.snapshot.tax_codes.rows([self.company(call)])
        return _ok({"taxCodes": [self.shape.tax_code(t) for t in rows
                                 if everything or not t.archived]})

    def get_tax_code(self, call: Call) -> Response:
        tax_code_id = _path_id(call, "taxCodeId")
        row = self._own(call, call.snapshot.tax_codes.get(tax_code_id), "tax code", tax_code_id)
        return _ok(self.shape.tax_code(row))

    # -- accounts --------------------------------------------------------------------

    def _account(self, call: Call, view: Any) -> Account:
        legacy_id = _path_id(call, "accountId")
        stored = self.shape.stored_account_id(self.company(call), legacy_id)
        row: Account = self._own(call, view.get(stored) if stored else None, "account",
                                 legacy_id)
        return row

    def list_accounts(self, call: Call) -> Response:
        rows = call.snapshot.accounts.rows([self.company(call)])
        return self._page(call, rows, "accounts", self.shape.account)

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
            category = self.store.account_categories.get(body["accountCategoryId"].lower())
            if category is None or category.company_id != self.company(call):
                raise BadRequest(
                    f"accountCategoryId: account group {body['accountCategoryId']} does not exist"
                )
            fields["category_id"] = category.id
        return fields

    def create_account(self, call: Call) -> Response:
        body = check_object(call.body(required=True), ACCOUNT_BODY)
        if "name" not in body:
            raise BadRequest("name: is required")
        fields = self._account_fields(call, body)
        fields["external_id"] = body.get("accountNumber") or f"PLEO-{secrets.token_hex(6)}"
        account, _ = self.store.create_account(self.company(call), fields)
        return _ok(self.shape.account(account))

    def get_account(self, call: Call) -> Response:
        return _ok(self.shape.account(self._account(call, call.snapshot.accounts)))

    def update_account(self, call: Call) -> Response:
        body = check_object(call.body(required=True), ACCOUNT_BODY)
        account = self._account(call, self.store.accounts)
        updated = self.store.update_account(account.id, self._account_fields(call, body))
        return _ok(self.shape.account(updated))

    def delete_account(self, call: Call) -> Response:
        self.store.delete_account(self._account(call, self.store.accounts).id)
        return _done()

    # -- account groups (also served under /account-categories) ----------------------

    def _category(self, call: Call, view: Any) -> AccountCategory:
        group_id = _path_id(call, "accountCategoryId")
        row: AccountCategory = self._own(call, view.get(group_id), "account group", group_id)
        return row

    def list_groups(self, call: Call) -> Response:
        rows = call.snapshot.account_categories.rows([self.company(call)])
        return self._page(call, rows, "accountGroups", self.shape.account_group)

    def create_group(self, call: Call) -> Response:
        body = check_object(call.body(required=True), GROUP_BODY)
        if "name" not in body:
            raise BadRequest("name: is required")
        category = self.store.create_account_category(
            self.company(call), body["name"], body.get("typeKey", "no_suitable_category"),
            body.get("hidden", False),
        )
        return _ok(self.shape.account_group(category))

    def get_group(self, call: Call) -> Response:
        row = self._category(call, call.snapshot.account_categories)
        return _ok(self.shape.account_group_with_accounts(call.snapshot, row))

    def update_group(self, call: Call) -> Response:
        body = check_object(call.body(required=True), GROUP_BODY)
        category = self._category(call, self.store.account_categories)
        changes = _renames(body, {"name": "name", "typeKey": "type_key", "hidden": "hidden"})
        return _ok(self.shape.account_group(
            self.store.update_account_category(category.id, changes)))

    def delete_group(self, call: Call) -> Response:
        category = self._category(call, self.store.account_categories)
        self.store.delete_account_category(category.id)
        return _done()

    # -- company -----------------------------------------------------------------------

    def balance(self, call: Call) -> Response:
        company = self.store.companies.get(self.company(call))
        if company is None:
            raise not_found("company", self.company(call))
        return _ok(self.shape.balance(company))


# Every legacy operation: (operation id, method, path under /v1, handler name). The ids are
# the simulator's own names; the spec's operationId is in legacy-openapi.yml.
OPERATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("health.get", "GET", "/health", "health"),
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
    ("teams.get", "GET", "/teams/{teamId}", "get_team"),
    ("teams.update", "PUT", "/teams/{teamId}", "update_team"),
    ("teams.delete", "DELETE", "/teams/{teamId}", "delete_team"),
    ("team-members.add", "PUT", "/teams/{teamId}/employees/{employeeId}", "add_team_member"),
    ("team-members.remove", "DELETE", "/teams/{teamId}/employees/{employeeId}",
     "remove_team_member"),
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
    ("account-groups.list", "GET", "/account-groups", "list_groups"),
    ("account-groups.create", "POST", "/account-groups", "create_group"),
    ("account-groups.get", "GET", "/account-groups/{accountCategoryId}", "get_group"),
    ("account-groups.update", "PUT", "/account-groups/{accountCategoryId}", "update_group"),
    ("account-groups.delete", "DELETE", "/account-groups/{accountCategoryId}", "delete_group"),
    ("account-categories.list", "GET", "/account-categories", "list_groups"),
    ("account-categories.create", "POST", "/account-categories", "create_group"),
    ("account-categories.get", "GET", "/account-categories/{accountCategoryId}", "get_group"),
    ("account-categories.update", "PUT", "/account-categories/{accountCategoryId}",
     "update_group"),
    ("account-categories.delete", "DELETE", "/account-categories/{accountCategoryId}",
     "delete_group"),
    ("companies.balance", "GET", "/companies/balance", "balance"),
)
BASE_PATH = "/v1"


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    reason, message = {
        404: ("route_not_found", f"No endpoint {request.method} {request.url.path}"),
        405: ("method_not_allowed", f"Method {request.method} is not allowed here"),
    }.get(status, ("error", "Error"))
    return render_error(HttpError(status, "NOT_FOUND", message, reason=reason))


async def _internal(request: Request, exc: Exception) -> Response:
    return render_error(HttpError(500, "INTERNAL", "Internal simulator error",
                                  reason="internal_error"))


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
