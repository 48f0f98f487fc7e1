"""Legacy and new views of the same records agree on what the research says they share.

The comparison here is written from pleo-apis.md §3 by hand (not from the catalogue). With
drift `defects` it must find exactly the documented defects and nothing else.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from migrate.simulator import DriftConfig, Simulator, SimulatorConfig, build_simulator
from migrate.simulator.money import exponent
from migrate.simulator.testing import basic, bearer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FAMILY = {"CARD": "CARD_PURCHASE", "PERSONAL_TRANSFER": "OUT_OF_POCKET",
          "BILL_INVOICE": "BILL_INVOICE", "LOAD": "WALLET", "PLEO_INVOICE": "PLEO_INVOICE",
          "MANUAL": "BALANCE_AMENDMENT", "MANUAL_TRANSFER": "REIMBURSEMENT",
          "BILL_INVOICE_PAYMENT": "BILL_INVOICE_PAYMENT", "CASHBACK": "CASHBACK",
          "OVERDRAFT_FEE": "OVERDRAFT", "OVERDRAFT_INTEREST": "OVERDRAFT",
          "EMPLOYEE_BANK_TRANSFER": "REIMBURSEMENT"}
TAX_TYPE = {"inclusive": "NORMAL", "exclusive": "NORMAL", "reverse": "REVERSE"}
AUTHORISATIONS = {"transactionStates": ["AUTHORIZATION", "AUTHORIZATION_REVERSAL"]}


def _seconds(legacy_time: str | None) -> str | None:
    return None if legacy_time is None else legacy_time[:19] + "Z"


def _minors(money: dict[str, Any]) -> tuple[int, str]:
    return round(money["value"] * 10 ** exponent(money["currency"])), money["currency"]


def _new_money(money: dict[str, Any] | None) -> tuple[int, str] | None:
    return None if money is None else (money["minors"], money["currency"])


def _tags(refs: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(r["id"], r["tagGroupId"]) for r in refs]


def _new_tags(refs: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(r.get("tagId", ""), r["tagGroupId"]) for r in refs]


def expense_differences(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Legacy field names whose values differ between an expense and its accounting entry."""
    card = old["cardTransaction"] or {}
    supplier = old["supplier"]
    pairs: dict[str, tuple[Any, Any]] = {
        "id": (old["id"], new["id"]),
        "performedAt": (_seconds(old["performedAt"]), new["performedAt"]),
        "amountOriginal": (_minors(old["amountOriginal"]), _new_money(new["transactionValue"])),
        "amountSettled": (_minors(old["amountSettled"]), _new_money(new.get("totalBillValue"))),
        "type": (FAMILY[old["type"]], new["family"]),
        "status": (old["status"], new["exportStatus"]),
        "createdAt": (_seconds(old["createdAt"]), new["createdAt"]),
        "updatedAt": (_seconds(old["updatedAt"]), new["updatedAt"]),
        "deletedAt": (_seconds(old["deletedAt"]), new.get("deletedAt")),
        "employeeId": (old["employeeId"], new.get("employeeId")),
        "departmentId": (old["departmentId"], new.get("teamId")),
        "note": (old["note"], new.get("note")),
        "accountId": (old["accountId"], new.get("accountId")),
        "taxCodeId": (old["taxCodeId"], new.get("taxCodeId")),
        "tagIds": (_tags(old["tagIds"]), _new_tags(new["tags"])),
        "receiptIds": (old["receiptIds"], new["receiptIds"]),
        "cardTransaction.settledAt": (_seconds(card.get("settledAt")), new.get("settledAt")),
        "supplier": (None if supplier is None else (supplier["CIF"], supplier["documentNumber"]),
                     None if "supplier" not in new else (new["supplier"]["cif"],
                                                         new["supplier"]["documentNumber"])),
        "lines": (
            [(_minors(x["amountSettled"]), x["accountId"], x["taxCodeId"], _tags(x["tagIds"]))
             for x in old["lines"]],
            [(_new_money(x["totalBillValue"]), x.get("accountId"), x.get("taxCodeId"),
              _new_tags(x["tags"])) for x in new["splitItems"]],
        ),
    }
    return {name for name, (a, b) in pairs.items() if a != b}


def employee_differences(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {name for name in ("id", "firstName", "lastName", "email", "code", "jobTitle", "phone")
            if old.get(name) != new.get(name)}


def _clients(sim: Simulator) -> tuple[Any, Any]:
    return (TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)),
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)))


def _all_legacy(client: Any, path: str, key: str,
                params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    out, offset = [], 0
    while offset is not None:
        body = client.get(path, params={**(params or {}), "pageOffset": offset,
                                        "pageSize": 1000}).json()
        out.extend(body[key])
        offset = body["metadata"]["pageInfo"]["nextPageOffset"]
    return out


def _all_new(client: Any, method: str, path: str, limit: int, body: Any = None,
             params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    out, after = [], None
    while True:
        query = {"limit": limit, **(params or {}), **({"after": after} if after else {})}
        page = client.request(method, path, params=query, json=body).json()
        out.extend(page["data"])
        if not page["pagination"]["hasNextPage"]:
            return out
        after = page["pagination"]["endCursor"]


def _expense_pairs(old: Any, new: Any) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    # Legacy lists leave authorisations out unless asked for: two calls give every expense.
    legacy = {e["id"]: e for e in _all_legacy(old, "/v1/expenses", "expenses")}
    authorisations = _all_legacy(old, "/v1/expenses", "expenses", AUTHORISATIONS)
    assert authorisations and not legacy.keys() & {e["id"] for e in authorisations}
    legacy.update((e["id"], e) for e in authorisations)
    entries = {e["id"]: e for e in _all_new(new, "POST", "/v1/accounting-entries:search", 100,
                                           body={"includeDeleted": True})}
    assert legacy.keys() == entries.keys()
    return {i: (legacy[i], entries[i]) for i in legacy}


def test_expenses_agree_without_drift(fresh: Simulator) -> None:
    old, new = _clients(fresh)
    pairs = _expense_pairs(old, new)
    assert len(pairs) == 1224
    assert {o["type"] for o, _ in pairs.values()} == set(FAMILY)
    currencies = {o["amountOriginal"]["currency"] for o, _ in pairs.values()}
    assert {"DKK", "EUR", "GBP", "SEK", "JPY", "ISK"} <= currencies
    differences = {i: expense_differences(o, n) for i, (o, n) in pairs.items()}
    assert {i: d for i, d in differences.items() if d} == {}
    some_id = next(iter(pairs))
    single_old = old.get(f"/v1/expenses/{some_id}").json()
    single_new = new.get(f"/v1/accounting-entries/{some_id}").json()["data"]
    assert expense_differences(single_old, single_new) == set()


def test_zero_decimal_and_three_decimal_amounts(fresh: Simulator) -> None:
    old, new = _clients(fresh)
    pairs = _expense_pairs(old, new)
    yen = next(o for o, _ in pairs.values() if o["amountOriginal"]["currency"] == "JPY")
    assert isinstance(yen["amountOriginal"]["value"], int)
    entry = pairs[yen["id"]][1]
    assert entry["transactionValue"]["minors"] == yen["amountOriginal"]["value"]
    dkk = next(o for o, _ in pairs.values() if o["amountOriginal"]["currency"] == "DKK")
    assert pairs[dkk["id"]][1]["transactionValue"]["minors"] == round(
        dkk["amountOriginal"]["value"] * 100)


def test_master_data_agrees_without_drift(fresh: Simulator) -> None:
    old, new = _clients(fresh)
    company = fresh.company_id
    people = {e["id"]: e for e in _all_legacy(old, "/v1/employees", "employees")}
    for employee in _all_new(new, "GET", "/v2/employees", 1000):
        assert employee_differences(people.pop(employee["id"]), employee) == set()
    assert people == {}

    legacy_taxes = {t["id"]: t for t in old.get("/v1/tax-codes",
                                                  params={"hidden": "true"}).json()["taxCodes"]}
    active = {t["id"] for t in old.get("/v1/tax-codes").json()["taxCodes"]}
    assert active == {i for i, t in legacy_taxes.items() if t["enabled"]} != set(legacy_taxes)
    new_taxes = _all_new(new, "POST", "/v0/tax-codes:search", 100, body={},
                         params={"company_id": company})
    assert legacy_taxes.keys() == {t["id"] for t in new_taxes}
    for tax in new_taxes:
        legacy = legacy_taxes[tax["id"]]
        assert legacy["rate"] / 100 == pytest.approx(tax["rate"])
        assert legacy["enabled"] is (not tax["archived"])
        for name in ("name", "code", "ingoingTaxAccount", "outgoingTaxAccount"):
            assert legacy[name] == tax[name]
        assert legacy["type"] == TAX_TYPE[tax["type"]]
        assert _seconds(legacy["createdAt"]) == tax["createdAt"]

    codes = {t["id"]: t["code"] for t in legacy_taxes.values()}
    accounts = {a["id"]: a for a in _all_legacy(old, "/v1/accounts", "accounts")}
    new_accounts = _all_new(new, "POST", "/v1/chart-of-accounts:search", 100,
                            body={"companyId": company, "excludeIfAssignedToCategory": False,
                                  "excludeIfAssignedToContraAccount": False})
    assert accounts.keys() == {a["id"] for a in new_accounts}
    for account in new_accounts:
        legacy = accounts[account["id"]]
        assert (legacy["name"], legacy.get("accountNumber"), legacy["hidden"]) == (
            account["name"], account["code"], account["archived"])
        assert codes.get(legacy.get("taxCodeId")) == account["taxCodeExternalId"]

    legacy_groups = {g["id"]: g for g in old.get("/v1/tag-groups").json()}
    archived = old.get("/v1/tag-groups", params={"archived": "true"}).json()
    assert archived and all(g["archived"] for g in archived)
    assert not any(g["archived"] for g in legacy_groups.values())
    legacy_groups.update((g["id"], g) for g in archived)
    new_groups = new.get("/v0/aggregations/tag-groups",
                         params={"tag_group_ids": list(legacy_groups)}).json()["data"]
    assert legacy_groups.keys() == {g["id"] for g in new_groups}
    for group in new_groups:
        legacy = legacy_groups[group["id"]]
        assert (legacy["name"], legacy["archived"]) == (group["name"], group["archived"])
        assert [(a["id"], a["name"], a["displayOrder"], not a["hidden"])
                for a in legacy["tagAttributes"]] == [
            (d["id"], d["name"], d["displayOrder"], d["visible"]) for d in group["dimensions"]]
        shown = old.get(f"/v1/tag-groups/{group['id']}/tags").json()
        hidden = old.get(f"/v1/tag-groups/{group['id']}/tags", params={"hidden": "true"}).json()
        assert not any(t["hidden"] for t in shown) and all(t["hidden"] for t in hidden)
        legacy_tags = shown + hidden
        new_tags = {t["id"]: t for t in _all_new(
            new, "GET", f"/v0/tag-groups/{group['id']}/tags", 100,
            params={"include_archived": "true"})}
        assert {t["id"] for t in legacy_tags} == new_tags.keys()
        for tag in legacy_tags:
            assert tag["hidden"] is new_tags[tag["id"]]["archived"]
            values = new.get(f"/v0/tags/{tag['id']}/dimensions").json()["data"]
            assert tag["attributeValues"] == [
                {"attributeId": v["dimensionId"], "value": v["value"]} for v in values]


def test_defects_are_exactly_the_documented_ones() -> None:
    sim = build_simulator(SimulatorConfig(drift=DriftConfig.parse("defects")))
    old, new = _clients(sim)
    rules = {d.operation.split(".")[0] for d in sim.defects}
    assert rules == {"expenses", "employees"}
    assert len(sim.defects) == 12

    found: set[tuple[str, str | None]] = set()
    defect_ids = {d.record_id for d in sim.defects}
    for expense_id, (legacy, entry) in _expense_pairs(old, new).items():
        for field in expense_differences(legacy, entry):
            found.add((expense_id, field))
        if expense_id in defect_ids:  # the single-record endpoints show the same defects
            single_old = old.get(f"/v1/expenses/{expense_id}").json()
            single = new.get(f"/v1/accounting-entries/{expense_id}").json()["data"]
            assert expense_differences(single_old, single) == expense_differences(legacy, entry)
    people = {e["id"]: e for e in _all_legacy(old, "/v1/employees", "employees")}
    listed = {e["id"]: e for e in _all_new(new, "GET", "/v2/employees", 1000)}
    for employee_id, legacy in people.items():
        if employee_id not in listed:
            found.add((employee_id, None))
            assert new.get(f"/v2/employees/{employee_id}").status_code == 404
            continue
        for field in employee_differences(legacy, listed[employee_id]):
            found.add((employee_id, field))
    expected = {(d.record_id, d.field) for d in sim.defects}
    assert found == expected

