"""Every operation the new-API simulator serves answers real requests with spec-valid bodies."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from migrate.simulator import NEW_OPERATIONS
from migrate.simulator.testing import SimulatorHandle

SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class Walker:
    """Calls operations by path template, validates each answer, remembers what it called."""

    def __init__(self, client: httpx.Client, validate: Any) -> None:
        self.client = client
        self.validate = validate
        self.called: set[tuple[str, str]] = set()

    def __call__(self, method: str, template: str, expect: int, **kwargs: Any) -> Any:
        values = kwargs.pop("path", {})
        response = self.client.request(method, template.format(**values), **kwargs)
        assert response.status_code == expect, (method, template, response.text)
        body = response.json() if response.content else None
        if response.content:
            assert response.headers["content-type"] == "application/json;charset=UTF-8"
        self.validate(method, template, response.status_code, body)
        self.called.add((method, template))
        return body


def _timestamps(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in
                ([v] if k.endswith(("At", "Date")) and isinstance(v, str) else _timestamps(v))]
    if isinstance(value, list):
        return [t for v in value for t in _timestamps(v)]
    return []


def test_every_served_operation_returns_spec_valid_bodies(
    simulator: SimulatorHandle, new_http: httpx.Client, response_validator: Any
) -> None:
    call = Walker(new_http, response_validator)
    company = simulator.company_id
    tag = uuid.uuid4().hex[:8].upper()

    page = call("POST", "/v1/accounting-entries:search", 200, params={"limit": 5},
                json={"includeDeleted": False})
    assert len(page["data"]) == 5
    sorted_page = call("POST", "/v1/accounting-entries:search", 200,
                       params={"limit": 100, "sorting_keys": ["settledAt"],
                               "sorting_order": ["DESC"]},
                       json={"includeDeleted": True, "hasNote": True})
    assert all(e.get("note") for e in sorted_page["data"])
    split = call("POST", "/v1/accounting-entries:search", 200, params={"limit": 100},
                 json={"includeDeleted": False, "families": ["CARD_PURCHASE"]})
    entry_id = next(e["id"] for e in split["data"] if e["splitItems"])
    entry = call("GET", "/v1/accounting-entries/{accountingEntryId}", 200,
                 path={"accountingEntryId": entry_id})
    assert entry["data"]["family"] == "CARD_PURCHASE"
    assert all(SECONDS.match(t) for t in _timestamps(page) + _timestamps(entry))

    with_receipts = next(e for e in split["data"] if e["receiptIds"])
    receipts = call("GET", "/v1/accounting-entries/{accountingEntryId}/receipts", 200,
                    path={"accountingEntryId": with_receipts["id"]},
                    params={"file_type": "THUMBNAIL", "limit": 10})
    assert [r["id"] for r in receipts["data"]] == with_receipts["receiptIds"]
    assert {r["fileType"] for r in receipts["data"]} == {"THUMBNAIL"}
    one = call("GET", "/v1/accounting-entries/{accountingEntryId}/receipts/{receiptId}", 200,
               path={"accountingEntryId": with_receipts["id"],
                     "receiptId": with_receipts["receiptIds"][0]})
    assert one["data"]["accountingEntryId"] == with_receipts["id"]
    found = call("POST", "/v1/accounting-entries/receipts:search", 200,
                 params={"company_id": company, "limit": 100},
                 json={"includeDeleted": False, "accountingEntryIds": [with_receipts["id"]]})
    assert [r["id"] for r in found["data"]] == with_receipts["receiptIds"]
    installation = call("GET", "/v1/installations/me", 200)
    assert installation["resource"] == f"urn:pleo:company:{company}"

    employees = call("GET", "/v2/employees", 200, params={"limit": 5})
    call("GET", "/v2/employees/{employeeId}", 200,
         path={"employeeId": employees["data"][0]["id"]})
    call("GET", "/v1/companies", 200)
    call("GET", "/v1/companies/{companyId}", 200, path={"companyId": company})

    call("GET", "/v0/aggregations/tag-groups", 200)
    groups = call("GET", "/v0/tag-groups", 200,
                  params={"include_tags_count": "true", "include_archived": "true"})
    seeded_group = next(g for g in groups["data"] if g["code"] == "PROJECTS")
    assert seeded_group["totalTagsCount"] == 12
    dimensions = call("GET", "/v0/tag-groups/{groupId}/dimensions", 200,
                      path={"groupId": seeded_group["id"]})
    assert [d["code"] for d in dimensions["data"]] == ["PROJECT_MANAGER", "BUDGET_CODE"]
    seeded_tags = call("GET", "/v0/tag-groups/{groupId}/tags", 200,
                       path={"groupId": seeded_group["id"]}, params={"limit": 3})
    values = call("GET", "/v0/tags/{tagId}/dimensions", 200,
                  path={"tagId": seeded_tags["data"][0]["id"]})
    assert len(values["data"]) == 2
    call("POST", "/v0/tags:search", 200, params={"limit": 2}, json={"textSearch": "p-00"})

    group = call("POST", "/v0/tag-groups", 201, params={"company_id": company},
                 json={"archived": False, "code": f"G{tag}", "name": "Walk group",
                       "metadata": {"owner": "tests"}})["data"]
    call("GET", "/v0/tag-groups/{groupId}", 200, path={"groupId": group["id"]})
    call("PUT", "/v0/tag-groups/{groupId}", 200, path={"groupId": group["id"]},
         json={"archived": False, "code": f"G{tag}", "name": "Walk group 2", "metadata": {}})
    dimension = call("POST", "/v0/tag-groups/{groupId}/dimensions", 201,
                     path={"groupId": group["id"]},
                     json={"code": "OWNER", "name": "Owner", "visible": True})["data"]
    where = {"groupId": group["id"], "dimensionId": dimension["id"]}
    call("GET", "/v0/tag-groups/{groupId}/dimensions/{dimensionId}", 200, path=where)
    call("PUT", "/v0/tag-groups/{groupId}/dimensions/{dimensionId}", 200, path=where,
         json={"code": "OWNER", "name": "Owner 2", "visible": False, "displayOrder": 3})
    new_tag = call("POST", "/v0/tag-groups/{groupId}/tags", 201, path={"groupId": group["id"]},
                   json={"archived": False, "code": "T1", "name": "Walk tag"})["data"]
    value_at = {"tagId": new_tag["id"], "dimensionId": dimension["id"]}
    call("POST", "/v0/tags/{tagId}/dimensions/{dimensionId}", 201, path=value_at,
         json={"value": "Ann"})
    call("PUT", "/v0/tags/{tagId}/dimensions/{dimensionId}", 200, path=value_at,
         json={"value": "Bob"})
    got = call("GET", "/v0/tags/{tagId}/dimensions/{dimensionId}", 200, path=value_at)
    assert got["data"]["value"] == "Bob"
    call("DELETE", "/v0/tags/{tagId}/dimensions/{dimensionId}", 200, path=value_at)
    call("DELETE", "/v0/tag-groups/{groupId}/dimensions/{dimensionId}", 204, path=where)
    call("GET", "/v0/tags/{tagId}", 200, path={"tagId": new_tag["id"]})
    call("PUT", "/v0/tags/{tagId}", 200, path={"tagId": new_tag["id"]},
         json={"archived": True, "code": "T1"})
    call("DELETE", "/v0/tags/{tagId}", 204, path={"tagId": new_tag["id"]})
    call("DELETE", "/v0/tag-groups/{groupId}", 204, path={"groupId": group["id"]})

    taxes = call("POST", "/v0/tax-codes:search", 200, params={"company_id": company}, json={})
    assert {t["rate"] for t in taxes["data"]} >= {0.25, 0.0}
    tax = call("POST", "/v0/tax-codes", 201,
               json={"archived": False, "companyId": company, "name": "Walk 12 %",
                     "rate": 0.12, "type": "inclusive", "code": f"W{tag}"})["data"]
    call("GET", "/v0/tax-codes/{taxCodeId}", 200, path={"taxCodeId": tax["id"]})
    call("PUT", "/v0/tax-codes/{taxCodeId}", 200, path={"taxCodeId": tax["id"]},
         json={"archived": True, "companyId": company, "name": "Walk 12 %", "rate": 0.12,
               "type": "inclusive"})
    call("DELETE", "/v0/tax-codes/{taxCodeId}", 204, path={"taxCodeId": tax["id"]})

    call("POST", "/v1/chart-of-accounts:search", 200,
         json={"companyId": company, "excludeIfAssignedToCategory": False,
               "excludeIfAssignedToContraAccount": False})
    account_body = {"archived": False, "companyId": company, "externalId": f"X{tag}",
                    "name": "Walk account", "code": "9990", "taxCodeExternalId": "VAT25"}
    account = call("POST", "/v1/chart-of-accounts", 201, json=account_body)["data"]
    call("POST", "/v1/chart-of-accounts", 200, json=account_body)
    call("GET", "/v1/chart-of-accounts/{accountId}", 200, path={"accountId": account["id"]})
    call("PUT", "/v1/chart-of-accounts/{accountId}", 200, path={"accountId": account["id"]},
         json={"archived": True, "name": "Walk account"})
    call("DELETE", "/v1/chart-of-accounts/{accountId}", 204, path={"accountId": account["id"]})

    ready = call("POST", "/v1/accounting-entries:search", 200, params={"limit": 3},
                 json={"includeDeleted": False, "exportStatus": ["NOT_EXPORTED"],
                       "families": ["CARD_PURCHASE"]})
    entry_ids = [e["id"] for e in ready["data"]]
    job = call("POST", "/v3/export-jobs", 201,
               json={"companyId": company, "accountingEntryIds": entry_ids})["data"]
    try:
        call("GET", "/v3/export-jobs", 200, params={"company_id": company})
        call("GET", "/v3/export-jobs/{jobId}", 200, path={"jobId": job["id"]})
        call("POST", "/v3/export-job-events", 202, json={"jobId": job["id"], "event": "started"})
        items = call("GET", "/v3/export-items", 200, params={"job_id": job["id"]})
        assert [i["accountingEntryId"] for i in items["data"]] == entry_ids
        call("GET", "/v3/export-jobs/{jobId}/items", 200, path={"jobId": job["id"]})
        call("PUT", "/v3/export-jobs/{jobId}/items", 200, path={"jobId": job["id"]},
             json=[{"accountingEntryId": i, "status": "successful",
                    "exportedAt": "2026-01-10T10:00:00Z", "externalId": f"ERP-{n}"}
                   for n, i in enumerate(entry_ids)])
    finally:
        new_http.post("/v3/export-job-events", json={"jobId": job["id"], "event": "completed"})
        # The session's servers are shared: put the entries back as the seed had them.
        simulator.store.set_export_status(company, entry_ids, "NOT_EXPORTED")

    served = {(method, path) for method, path, *_ in NEW_OPERATIONS}
    assert call.called == served


def test_every_served_operation_exists_in_the_specs(specs: Any) -> None:
    for method, path, *_ in NEW_OPERATIONS:
        assert specs.find(method, path) is not None, f"{method} {path}"


def test_documented_errors_match_the_specs(
    simulator: SimulatorHandle, new_http: httpx.Client, response_validator: Any
) -> None:
    missing = str(uuid.uuid4())
    for method, template, kwargs in (
        ("GET", "/v3/export-jobs/{jobId}", {}),
        ("GET", "/v3/export-jobs/{jobId}/items", {}),
        ("PUT", "/v3/export-jobs/{jobId}/items", {"json": []}),
    ):
        response = new_http.request(method, template.format(jobId=missing), **kwargs)
        assert response.status_code == 404
        assert response.json()["type"] == "EXPORT_NOT_FOUND"
        response_validator(method, template, 404, response.json())


def test_the_validator_rejects_a_wrong_body(response_validator: Any) -> None:
    import pytest

    with pytest.raises(AssertionError, match="companyId"):
        response_validator("GET", "/v2/employees/{employeeId}", 200,
                           {"data": {"id": str(uuid.uuid4()), "email": "a@b.c",
                                     "firstName": "A", "lastName": "B"}})
