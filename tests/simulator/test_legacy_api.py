"""The legacy app: every endpoint answers, in the shapes of legacy-openapi.yml."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from migrate.simulator import LEGACY_OPERATIONS, Simulator

LEGACY_SPEC = Path(__file__).parents[2] / "specs" / "legacy" / "RECONSTRUCTED-legacy-endpoints.json"


def test_every_reconstructed_endpoint_is_served() -> None:
    """The 36 of the older reconstruction are still served (the rebuilt spec adds ten)."""
    endpoints = json.loads(LEGACY_SPEC.read_text())["endpoints"]
    known = {(e["method"], e["path"]) for e in endpoints}
    served = {(method, path) for _op, method, path, _ in LEGACY_OPERATIONS}
    assert len(known) == 36
    assert known <= served and len(served - known) == 10


def test_operation_ids_are_unique() -> None:
    ids = [op for op, *_ in LEGACY_OPERATIONS]
    assert len(ids) == len(set(ids))


def _first(client, path: str, key: str):  # type: ignore[no-untyped-def]
    body = client.get(path).json()
    return body[key][0] if key else body[0]


def test_reads(clients, fresh: Simulator) -> None:  # type: ignore[no-untyped-def]
    old, _ = clients
    listing = old.get("/v1/expenses", params={"pageSize": 3}).json()
    assert set(listing) == {"expenses", "metadata"}
    # Authorisations are left out by default (spec): 1224 expenses, some of them authorisations.
    total = listing["metadata"]["pageInfo"]["totalCount"]
    assert listing["metadata"]["pageInfo"] == {"pageSize": 3, "totalCount": total,
                                               "nextPageOffset": 3}
    authorisations = old.get("/v1/expenses", params={
        "transactionStates": ["AUTHORIZATION", "AUTHORIZATION_REVERSAL"]}).json()
    assert total + authorisations["metadata"]["pageInfo"]["totalCount"] == 1224
    assert total < 1224
    expense = listing["expenses"][0]
    assert set(expense) == {
        "id", "performedAt", "amountOriginal", "amountSettled", "type", "lines", "status",
        "createdAt", "updatedAt", "deletedAt", "employeeId", "employeeCode", "departmentId",
        "note", "cardTransaction", "accountId", "taxCodeId", "tagIds", "receiptIds",
        "settledExpenseIds", "supplier",
    }
    assert old.get(f"/v1/expenses/{expense['id']}").json() == expense
    with_receipt = next(
        e for e in old.get("/v1/expenses", params={"pageSize": 50}).json()["expenses"]
        if e["receiptIds"]
    )
    receipts = old.get(f"/v1/expenses/{with_receipt['id']}/receipts").json()
    assert isinstance(receipts, list)  # a bare array (spec)
    assert [r["id"] for r in receipts] == with_receipt["receiptIds"]
    one = old.get(f"/v1/expenses/{with_receipt['id']}/receipts/{receipts[0]['id']}").json()
    assert one == receipts[0]
    assert set(one) == {"id", "name", "url", "mimeType", "size"}
    stored = fresh.store.receipts.get(one["id"])
    assert stored is not None and one["size"] == round(stored.size / 1024, 1)  # kilobytes

    employee = _first(old, "/v1/employees", "employees")
    assert set(employee) == {"id", "firstName", "lastName", "email", "jobTitle", "role",
                             "phone", "avatar", "code", "teamId"}
    assert old.get(f"/v1/employees/{employee['id']}").json() == employee
    teams = old.get("/v1/teams").json()
    assert set(teams) == {"teams"}  # no paging metadata (spec)
    team = teams["teams"][0]
    assert set(team) == {"id", "name", "code", "employees", "reviewers"}
    assert old.get(f"/v1/teams/{team['id']}").json() == team

    groups = old.get("/v1/tag-groups").json()
    assert isinstance(groups, list) and groups
    group = groups[0]
    assert set(group) == {"id", "name", "archived", "tagAttributes"}
    assert old.get(f"/v1/tag-groups/{group['id']}").json() == group
    tags = old.get(f"/v1/tag-groups/{group['id']}/tags").json()
    assert isinstance(tags, list) and tags
    assert set(tags[0]) == {"id", "tagGroupId", "attributeValues", "displayOrder", "hidden"}
    assert [t["displayOrder"] for t in tags] == sorted(t["displayOrder"] for t in tags)
    assert [a["attributeId"] for a in tags[0]["attributeValues"]] == [
        a["id"] for a in group["tagAttributes"]]
    assert old.get(f"/v1/tag-groups/{group['id']}/tags/{tags[0]['id']}").json() == tags[0]

    tax_codes = old.get("/v1/tax-codes").json()
    assert set(tax_codes) == {"taxCodes"}
    tax = tax_codes["taxCodes"][0]
    assert old.get(f"/v1/tax-codes/{tax['id']}").json() == tax
    assert tax["rate"] == 25.0
    assert (tax["type"], tax["deletedAt"]) == ("NORMAL", None)

    account = _first(old, "/v1/accounts", "accounts")
    assert set(account) == {"id", "name", "accountCategoryId", "hidden", "accountNumber",
                            "taxCodeId"}
    assert old.get(f"/v1/accounts/{account['id']}").json() == account
    assert isinstance(account["accountCategoryId"], str)
    category = _first(old, "/v1/account-categories", "accountGroups")
    group_of = old.get(f"/v1/account-categories/{category['id']}").json()
    assert {k: v for k, v in group_of.items() if k != "accounts"} == category
    assert group_of == old.get(f"/v1/account-groups/{category['id']}").json()
    assert all(a["accountCategoryId"] == category["id"] for a in group_of["accounts"])
    assert old.get("/v1/health").json() == {"status": "UP"}

    balance = old.get("/v1/companies/balance").json()
    assert balance == {"currency": "DKK", "current": 1842500.75, "available": 1799000.0}


def test_writes(clients) -> None:  # type: ignore[no-untyped-def]
    old, _ = clients
    created = old.post("/v1/employees", json={"email": "new.person@nordlys.dk",
                                              "firstName": "New", "lastName": "Person"})
    assert created.status_code == 200 and set(created.json()) == {"id"}
    employee_id = created.json()["id"]
    updated = old.put(f"/v1/employees/{employee_id}", json={"jobTitle": "Analyst"})
    assert updated.status_code == 200 and updated.json()["jobTitle"] == "Analyst"
    assert old.post("/v1/employees", json={"email": "new.person@nordlys.dk"}).status_code == 409
    assert old.delete(f"/v1/employees/{employee_id}").json() == {}
    assert old.get(f"/v1/employees/{employee_id}").status_code == 404

    team = old.post("/v1/teams", json={"name": "Legal", "code": "LEG"})
    assert team.status_code == 200 and team.json()["name"] == "Legal"
    renamed = old.put(f"/v1/teams/{team.json()['id']}", json={"name": "Legal & Compliance"})
    assert renamed.json()["name"] == "Legal & Compliance"

    group = old.post("/v1/tag-groups", json={"name": "Sales regions",
                                             "tagAttributes": [{"name": "Manager"}]})
    assert group.status_code == 200
    group_id = group.json()["id"]
    attribute = group.json()["tagAttributes"][0]
    assert attribute["hidden"] is False
    patched = old.patch(f"/v1/tag-groups/{group_id}", json={"name": "Regions"})
    assert patched.json()["name"] == "Regions"
    tag = old.post(f"/v1/tag-groups/{group_id}/tags", json={
        "attributeValues": [{"attributeId": attribute["id"], "value": "Ida"}]})
    assert tag.status_code == 200
    assert tag.json()["attributeValues"] == [{"attributeId": attribute["id"], "value": "Ida"}]
    assert tag.json()["displayOrder"] == 1
    tag_id = tag.json()["id"]
    hidden = old.patch(f"/v1/tag-groups/{group_id}/tags/{tag_id}",
                       json={"hidden": True, "displayOrder": 4})
    assert (hidden.json()["hidden"], hidden.json()["displayOrder"]) == (True, 4)
    assert old.get(f"/v1/tag-groups/{group_id}/tags", params={"hidden": "false"}).json() == []
    assert old.get(f"/v1/tag-groups/{group_id}/tags").json() == []
    assert [t["id"] for t in old.get(f"/v1/tag-groups/{group_id}/tags",
                                     params={"hidden": "true"}).json()] == [tag_id]
    assert old.delete(f"/v1/tag-groups/{group_id}/tags/{tag_id}").json() == {}
    assert old.delete(f"/v1/tag-groups/{group_id}", params={"archive": "true"}).json() == {}
    assert old.get(f"/v1/tag-groups/{group_id}").json()["archived"] is True
    assert group_id not in [g["id"] for g in old.get("/v1/tag-groups").json()]
    assert old.delete(f"/v1/tag-groups/{group_id}").json() == {}
    assert old.get(f"/v1/tag-groups/{group_id}").status_code == 404

    category = old.post("/v1/account-categories", json={"name": "Travel 2", "typeKey": "travel"})
    assert category.status_code == 200
    category_id = category.json()["id"]
    tax_id = old.get("/v1/tax-codes").json()["taxCodes"][0]["id"]
    account = old.post("/v1/accounts", json={"name": "Trains", "accountNumber": "2755",
                                             "taxCodeId": tax_id,
                                             "accountCategoryId": category_id})
    assert account.status_code == 200
    assert account.json()["taxCodeId"] == tax_id
    account_id = account.json()["id"]
    # A partial PUT changes only what it names: the tax code and the number stay.
    hidden = old.put(f"/v1/accounts/{account_id}", json={"hidden": True}).json()
    assert (hidden["hidden"], hidden["taxCodeId"], hidden["accountNumber"]) == (
        True, tax_id, "2755")
    assert old.delete(f"/v1/account-categories/{category_id}").status_code == 409
    assert old.delete(f"/v1/accounts/{account_id}").json() == {}
    assert old.put(f"/v1/account-categories/{category_id}",
                   json={"hidden": True}).json()["hidden"] is True
    assert old.delete(f"/v1/account-categories/{category_id}").json() == {}

    expenses = old.get("/v1/expenses", params={"status": "NOT_EXPORTED", "pageSize": 2}).json()
    ids = [e["id"] for e in expenses["expenses"]]
    update = old.put("/v1/expenses", json={"expenseIds": ids, "status": "EXPORTED"})
    assert (update.status_code, update.json()) == (200, {})
    assert {old.get(f"/v1/expenses/{i}").json()["status"] for i in ids} == {"EXPORTED"}


def test_filters(clients) -> None:  # type: ignore[no-untyped-def]
    old, _ = clients
    queued = old.get("/v1/expenses", params={"status": "QUEUED", "pageSize": 1000}).json()
    assert queued["expenses"] and {e["status"] for e in queued["expenses"]} == {"QUEUED"}
    march = old.get("/v1/expenses", params={"dateFrom": "2025-03-01", "dateTo": "2025-03-31",
                                            "pageSize": 1000}).json()["expenses"]
    assert march and all("2025-03-01" <= e["performedAt"][:10] <= "2025-03-31" for e in march)
    archived = old.get("/v1/tag-groups", params={"archived": "true"}).json()
    assert archived and all(g["archived"] for g in archived)


def _legacy_error(response, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "statusCode"}
    assert body["statusCode"] == status


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        pytest.param("PUT", "/v1/expenses", {"content": b"{not json"}, 400, id="malformed-json"),
        pytest.param("PUT", "/v1/expenses", {"json": {"status": "EXPORTED"}}, 400,
                     id="missing-field"),
        pytest.param("PUT", "/v1/expenses", {"json": {"expenseIds": ["nope"],
                                                      "status": "EXPORTED"}}, 400,
                     id="invalid-uuid-in-body"),
        pytest.param("PUT", "/v1/expenses", {"json": {"expenseIds": [str(uuid.uuid4())],
                                                      "status": "DONE"}}, 400, id="bad-enum"),
        pytest.param("GET", "/v1/expenses/not-a-uuid", {}, 400, id="invalid-uuid-in-path"),
        pytest.param("GET", f"/v1/expenses/{uuid.uuid4()}", {}, 404, id="unknown-id"),
        pytest.param("GET", "/v1/expenses?pageSize=0", {}, 400, id="page-size-0"),
        pytest.param("GET", "/v1/expenses?pageSize=1.5", {}, 400, id="page-size-fraction"),
        pytest.param("GET", "/v1/expenses?pageOffset=-1", {}, 400, id="negative-offset"),
        pytest.param("GET", "/v1/expenses?pageSize=abc", {}, 400, id="page-size-text"),
        pytest.param("GET", "/v1/expenses?dateFrom=2025-13-40", {}, 400, id="bad-date"),
        pytest.param("POST", "/v1/employees", {"json": {"firstName": "No email"}}, 400,
                     id="employee-without-email"),
        pytest.param("POST", "/v1/employees", {"json": [1, 2]}, 400, id="array-body"),
        pytest.param("POST", "/v1/employees", {"content": b"email=x",
                                               "headers": {"content-type": "text/plain"}}, 415,
                     id="not-json"),
        pytest.param("GET", "/v1/nothing-here", {}, 404, id="unknown-path"),
        pytest.param("PATCH", "/v1/expenses", {}, 405, id="method-not-allowed"),
    ],
)
def test_bad_requests_get_legacy_errors(clients, method, path, kwargs, status) -> None:  # type: ignore[no-untyped-def]
    old, _ = clients
    _legacy_error(old.request(method, path, **kwargs), status)


def test_unknown_fields_are_ignored(clients) -> None:  # type: ignore[no-untyped-def]
    old, _ = clients
    created = old.post("/v1/teams", json={"name": "Ops 2", "colour": "blue"})
    assert created.status_code == 200


def test_other_company_records_are_invisible(clients, fresh: Simulator) -> None:  # type: ignore[no-untyped-def]
    old, _ = clients
    other = fresh.store.company_ids()[1]
    foreign = fresh.store.expenses.rows([other])[0]
    _legacy_error(old.get(f"/v1/expenses/{foreign.id}"), 404)
    _legacy_error(old.put("/v1/expenses", json={"expenseIds": [foreign.id],
                                                "status": "EXPORTED"}), 404)
