"""Every legacy operation of legacy-openapi.yml answers, and every answer meets the spec.

The walk drives all 46 operations to success and each of them to 401, 403 and (where a
record is named) 404, plus the documented 400s; each answer's status must be documented for
its operation (or listed as the simulator's own in `assumptions`) and its body must validate
against the operation's schema, closed against fields the spec does not have.
"""

from __future__ import annotations

import re
import sys
import uuid
from typing import Any

import pytest
from legacy_spec import legacy_operations

from migrate.simulator import LEGACY_OPERATIONS, Simulator

PATH_PARAM = re.compile(r"\{(\w+)\}")


class LegacyWalker:
    """Calls legacy operations by template, validates every answer, keeps a tally."""

    def __init__(self, client: Any, validate: Any) -> None:
        self.client = client
        self.validate = validate
        self.answers: list[tuple[str, str, int]] = []

    def __call__(self, method: str, template: str, expect: int, *, path: dict[str, str] | None
                 = None, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        url = "/v1" + template.format(**(path or {}))
        response = self.client.request(method, url, headers=headers, **kwargs)
        assert response.status_code == expect, (method, template, response.text)
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        self.validate(method, template, response.status_code, body)
        self.answers.append((method, template, response.status_code))
        return body

    def statuses(self, status: int) -> set[tuple[str, str]]:
        return {(m, p) for m, p, s in self.answers if s == status}


# A valid body per write, so error walks reach the check they aim at (not a 400).
BODIES: dict[tuple[str, str], Any] = {
    ("PUT", "/expenses"): {"expenseIds": [str(uuid.uuid4())], "status": "EXPORTED"},
    ("POST", "/employees"): {"email": "someone@nordlys.dk"},
    ("PUT", "/employees/{employeeId}"): {"jobTitle": "Analyst"},
    ("POST", "/teams"): {"name": "Team"},
    ("PUT", "/teams/{teamId}"): {"name": "Team"},
    ("POST", "/tag-groups"): {"name": "Group", "tagAttributes": []},
    ("PATCH", "/tag-groups/{tagGroupId}"): {"name": "Group"},
    ("POST", "/tag-groups/{tagGroupId}/tags"): {"attributeValues": []},
    ("PATCH", "/tag-groups/{tagGroupId}/tags/{tagId}"): {"hidden": False},
    ("POST", "/accounts"): {"name": "Account"},
    ("PUT", "/accounts/{accountId}"): {"hidden": False},
    ("POST", "/account-groups"): {"name": "Group"},
    ("PUT", "/account-groups/{accountCategoryId}"): {"hidden": False},
    ("POST", "/account-categories"): {"name": "Group"},
    ("PUT", "/account-categories/{accountCategoryId}"): {"hidden": False},
}


def test_the_simulator_serves_exactly_the_operations_of_the_spec() -> None:
    spec = {(op.method, op.path) for op in legacy_operations()}
    served = {(method, path) for _op, method, path, _ in LEGACY_OPERATIONS}
    assert len(spec) == 46
    assert served == spec


def _succeed(call: LegacyWalker, fresh: Simulator) -> None:
    call("GET", "/health", 200)
    page = call("GET", "/expenses", 200, params={"pageSize": 50})
    call("GET", "/expenses", 200, params={
        "status": ["QUEUED", "EXPORTED"], "types": ["CARD", "BILL_INVOICE"],
        "transactionStates": ["PRESENTMENT", "AUTHORIZATION"], "pageSize": 100000,
        "dateFrom": "2025-03-01T00:00:00.000Z", "dateTo": "2025-06-30"})
    expense = next(e for e in page["expenses"] if e["receiptIds"])
    ids = {"expenseId": expense["id"]}
    call("GET", "/expenses/{expenseId}", 200, path=ids)
    receipts = call("GET", "/expenses/{expenseId}/receipts", 200, path=ids)
    call("GET", "/expenses/{expenseId}/receipts/{receiptId}", 200,
         path={**ids, "receiptId": receipts[0]["id"]})
    assert call("PUT", "/expenses", 200, json={"expenseIds": [expense["id"]],
                                               "status": expense["status"]}) == {}

    people = call("GET", "/employees", 200, params={"pageSize": 3})
    call("GET", "/employees/{employeeId}", 200,
         path={"employeeId": people["employees"][0]["id"]})
    person = call("POST", "/employees", 200, json={"email": "walk@nordlys.dk"})["id"]
    call("PUT", "/employees/{employeeId}", 200, path={"employeeId": person},
         json={"firstName": "Walk", "lastName": "Er", "jobTitle": None})

    call("GET", "/teams", 200)
    team = call("POST", "/teams", 200, json={"name": "Walkers", "code": "WLK"})["id"]
    member = {"teamId": team, "employeeId": person}
    assert call("PUT", "/teams/{teamId}/employees/{employeeId}", 200, path=member) == {}
    assert [e["id"] for e in call("GET", "/teams/{teamId}", 200,
                                  path={"teamId": team})["employees"]] == [person]
    call("PUT", "/teams/{teamId}", 200, path={"teamId": team}, json={"name": "Walkers 2"})
    call("DELETE", "/teams/{teamId}/employees/{employeeId}", 200, path=member)
    call("DELETE", "/teams/{teamId}", 200, path={"teamId": team})
    call("DELETE", "/employees/{employeeId}", 200, path={"employeeId": person})

    call("GET", "/tag-groups", 200)
    call("GET", "/tag-groups", 200, params={"archived": "true"})
    group = call("POST", "/tag-groups", 200, json={
        "name": "Walk regions", "tagAttributes": [{"name": "Region", "displayOrder": 1},
                                                  {"name": "Lead"}]})
    g = {"tagGroupId": group["id"]}
    call("GET", "/tag-groups/{tagGroupId}", 200, path=g)
    call("PATCH", "/tag-groups/{tagGroupId}", 200, path=g, json={
        "name": "Walk regions 2", "tagAttributes": [{"id": group["tagAttributes"][1]["id"],
                                                     "hidden": True}]})
    tag = call("POST", "/tag-groups/{tagGroupId}/tags", 200, path=g, json={"attributeValues": [
        {"attributeId": group["tagAttributes"][0]["id"], "value": "Nordics"}]})
    t = {**g, "tagId": tag["id"]}
    call("GET", "/tag-groups/{tagGroupId}/tags", 200, path=g)
    call("GET", "/tag-groups/{tagGroupId}/tags/{tagId}", 200, path=t)
    call("PATCH", "/tag-groups/{tagGroupId}/tags/{tagId}", 200, path=t,
         json={"displayOrder": 7, "hidden": True})
    call("GET", "/tag-groups/{tagGroupId}/tags", 200, path=g, params={"hidden": "true"})
    call("DELETE", "/tag-groups/{tagGroupId}/tags/{tagId}", 200, path=t)
    call("DELETE", "/tag-groups/{tagGroupId}", 200, path=g, params={"archive": "true"})
    call("DELETE", "/tag-groups/{tagGroupId}", 200, path=g)

    taxes = call("GET", "/tax-codes", 200, params={"hidden": "true", "force": "true"})
    call("GET", "/tax-codes/{taxCodeId}", 200, path={"taxCodeId": taxes["taxCodes"][0]["id"]})

    accounts = call("GET", "/accounts", 200)
    call("GET", "/accounts/{accountId}", 200, path={"accountId": accounts["accounts"][0]["id"]})
    for base in ("/account-groups", "/account-categories"):
        groups = call("GET", base, 200, params={"pageSize": 5})
        call("GET", base + "/{accountCategoryId}", 200,
             path={"accountCategoryId": groups["accountGroups"][0]["id"]})
        made = call("POST", base, 200, json={"name": "Walk group", "typeKey": "travel"})
        a = {"accountCategoryId": made["id"]}
        call("PUT", base + "/{accountCategoryId}", 200, path=a, json={"hidden": True})
        if base == "/account-groups":
            account = call("POST", "/accounts", 200, json={
                "name": "Walk account", "accountNumber": "7777", "accountCategoryId": made["id"],
                "taxCodeId": taxes["taxCodes"][0]["id"]})
            call("PUT", "/accounts/{accountId}", 200, path={"accountId": account["id"]},
                 json={"hidden": True})
            inside = call("GET", base + "/{accountCategoryId}", 200, path=a)
            assert [x["id"] for x in inside["accounts"]] == [account["id"]]
            call("DELETE", "/accounts/{accountId}", 200, path={"accountId": account["id"]})
        call("DELETE", base + "/{accountCategoryId}", 200, path=a)
    call("GET", "/companies/balance", 200)


def _fail(call: LegacyWalker, fresh: Simulator) -> None:
    unbound = fresh.credentials.mint(
        "legacy", environment=fresh.config.environment, company_id=None,
        organization_id=str(uuid.uuid4()))
    for op in legacy_operations():
        path = {name: str(uuid.uuid4()) for name in PATH_PARAM.findall(op.path)}
        body = BODIES.get((op.method, op.path))
        kwargs: dict[str, Any] = {"path": path} if body is None else {"path": path,
                                                                       "json": body}
        call(op.method, op.path, 401, headers={"Authorization": "Bearer not-a-token"},
             **kwargs)
        call(op.method, op.path, 403, headers={"Authorization": f"Bearer {unbound.secret}"},
             **kwargs)
        if path or (op.method, op.path) == ("PUT", "/expenses"):
            call(op.method, op.path, 404, **kwargs)
    # The documented 400s (account and account-group operations) and some of our own.
    call("POST", "/accounts", 400, json={"accountNumber": "1"})
    call("GET", "/accounts/{accountId}", 400, path={"accountId": "not-a-uuid"})
    call("PUT", "/accounts/{accountId}", 400, path={"accountId": str(uuid.uuid4())},
         json={"accountCategoryId": None})
    call("POST", "/account-groups", 400, json={"typeKey": "nonsense"})
    call("PUT", "/account-categories/{accountCategoryId}", 400,
         path={"accountCategoryId": "x"}, json={})
    call("PUT", "/expenses", 400, json={"status": "EXPORTED"})
    call("POST", "/tag-groups", 400, json={"name": "No attributes"})
    call("GET", "/expenses", 400, params={"pageSize": "0"})


def test_every_legacy_answer_meets_the_spec(clients: Any, fresh: Simulator,
                                            legacy_validator: Any) -> None:
    old, _ = clients
    call = LegacyWalker(old, legacy_validator)
    _succeed(call, fresh)
    _fail(call, fresh)
    spec = {(op.method, op.path) for op in legacy_operations()}
    assert call.statuses(200) == spec
    assert call.statuses(401) == spec
    assert call.statuses(403) == spec
    named = {(op.method, op.path) for op in legacy_operations() if "{" in op.path}
    assert call.statuses(404) == named | {("PUT", "/expenses")}
    covered = len({(m, p) for m, p, _ in call.answers})
    sys.stderr.write(
        f"legacy schema: {covered}/{len(spec)} operations, {len(call.answers)} answers, "
        f"{100 * covered // len(spec)} % of operations and 100 % of answers spec-valid\n")


@pytest.mark.parametrize(("body", "field"), [
    ({"id": "t", "tagGroupId": "g", "attributeValues": [], "displayOrder": 1, "hidden": False,
      "code": "X"}, "code"),
    ({"id": "t", "tagGroupId": "g", "attributeValues": [], "hidden": False}, "displayOrder"),
])
def test_the_legacy_validator_rejects_a_wrong_tag(legacy_validator: Any, body: Any,
                                                  field: str) -> None:
    with pytest.raises(AssertionError, match=field):
        legacy_validator("GET", "/tag-groups/{tagGroupId}/tags/{tagId}", 200, body)


def test_the_legacy_validator_rejects_an_undocumented_status(legacy_validator: Any) -> None:
    with pytest.raises(AssertionError, match="undocumented"):
        legacy_validator("GET", "/health", 418, {})
