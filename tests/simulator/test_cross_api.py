"""Writes are real: what one API changes, the other API reads (real servers, real HTTP)."""

from __future__ import annotations

import uuid

import httpx

from migrate.simulator.testing import SimulatorHandle


def test_employee_created_on_legacy_is_read_on_new(
    legacy_http: httpx.Client, new_http: httpx.Client
) -> None:
    email = f"cross.{uuid.uuid4().hex[:8]}@nordlys.dk"
    # The legacy create body is exactly {email} (spec); names come with the update.
    created = legacy_http.post("/employees", json={"email": email, "firstName": "Ignored"})
    assert created.status_code == 200
    employee_id = created.json()["id"]
    assert "firstName" not in legacy_http.get(f"/employees/{employee_id}").json()
    legacy_http.put(f"/employees/{employee_id}",
                    json={"firstName": "Åse", "lastName": "Berg", "code": "X1"})
    read = new_http.get(f"/v2/employees/{employee_id}").json()["data"]
    assert (read["email"], read["firstName"], read["lastName"], read["code"]) == (
        email, "Åse", "Berg", "X1")
    found = new_http.get("/v2/employees", params={"email": email.upper()}).json()["data"]
    assert [e["id"] for e in found] == [employee_id]
    legacy_http.put(f"/employees/{employee_id}", json={"lastName": "Bergström"})
    assert new_http.get(f"/v2/employees/{employee_id}").json()["data"]["lastName"] == "Bergström"
    legacy_http.delete(f"/employees/{employee_id}")
    assert new_http.get(f"/v2/employees/{employee_id}").status_code == 404


def test_tag_created_on_new_is_read_on_legacy(
    simulator: SimulatorHandle, legacy_http: httpx.Client, new_http: httpx.Client
) -> None:
    group = legacy_http.post("/tag-groups", json={"name": f"Cross {uuid.uuid4().hex[:6]}",
                                                  "tagAttributes": [{"name": "Lead"}]}).json()
    new_group = new_http.get(f"/v0/tag-groups/{group['id']}").json()["data"]
    assert new_group["code"].startswith("CROSS_")
    tag = new_http.post(f"/v0/tag-groups/{group['id']}/tags",
                        json={"code": "C-1", "name": "Cross tag", "archived": False,
                              "otherDimensionValues": ["Mette"]}).json()["data"]
    legacy_tags = legacy_http.get(f"/tag-groups/{group['id']}/tags").json()
    # A legacy tag has no code and no name: its content is its attribute values (spec).
    assert legacy_tags == [{
        "id": tag["id"], "tagGroupId": group["id"], "displayOrder": None, "hidden": False,
        "attributeValues": [{"attributeId": group["tagAttributes"][0]["id"], "value": "Mette"}],
    }]
    duplicate = new_http.post(f"/v0/tag-groups/{group['id']}/tags",
                              json={"code": "C-1", "archived": False})
    assert duplicate.status_code == 409
    legacy_http.patch(f"/tag-groups/{group['id']}/tags/{tag['id']}", json={"hidden": True})
    assert new_http.get(f"/v0/tags/{tag['id']}").json()["data"]["archived"] is True
    legacy_http.patch(f"/tag-groups/{group['id']}", json={"tagAttributes": [
        {"id": group["tagAttributes"][0]["id"], "hidden": True}]})
    dimensions = new_http.get(f"/v0/tag-groups/{group['id']}/dimensions").json()["data"]
    assert [d["visible"] for d in dimensions] == [False]
    assert legacy_http.delete(f"/tag-groups/{group['id']}").json() == {}
    assert new_http.get(f"/v0/tags/{tag['id']}").status_code == 404


def test_export_status_is_one_stored_value(
    simulator: SimulatorHandle, legacy_http: httpx.Client, new_http: httpx.Client
) -> None:
    candidates = new_http.post(
        "/v1/accounting-entries:search", params={"limit": 4},
        json={"includeDeleted": False, "exportStatus": ["NOT_EXPORTED"]},
    ).json()["data"]
    ids = [e["id"] for e in candidates]
    assert legacy_http.put("/expenses", json={"expenseIds": ids[:1],
                                              "status": "EXPORTING"}).json() == {}
    assert new_http.get(f"/v1/accounting-entries/{ids[0]}").json()["data"][
        "exportStatus"] == "EXPORTING"
    legacy_http.put("/expenses", json={"expenseIds": ids[:1], "status": "NOT_EXPORTED"})

    job = new_http.post("/v3/export-jobs", json={"companyId": simulator.company_id,
                                                 "accountingEntryIds": ids}).json()["data"]
    try:
        assert job["status"] == "pending" and job["numberOfItems"] == 4
        assert {legacy_http.get(f"/expenses/{i}").json()["status"] for i in ids} == {"QUEUED"}
        again = new_http.post("/v3/export-jobs", json={"companyId": simulator.company_id,
                                                       "accountingEntryIds": ids})
        assert again.status_code == 409 and again.json()["type"] == "EXPORT_ALREADY_IN_PROGRESS"
        assert new_http.post("/v3/export-job-events",
                             json={"jobId": job["id"], "event": "started"}).status_code == 202
        new_http.put(f"/v3/export-jobs/{job['id']}/items",
                     json=[{"accountingEntryId": ids[0], "status": "in_progress"}])
        assert legacy_http.get(f"/expenses/{ids[0]}").json()["status"] == "EXPORTING"
        update = new_http.put(f"/v3/export-jobs/{job['id']}/items", json=[
            {"accountingEntryId": ids[0], "status": "successful", "externalId": "V-1"},
            {"accountingEntryId": ids[1], "status": "failed",
             "failureReasonType": "account_unknown"},
            {"accountingEntryId": str(uuid.uuid4()), "status": "successful"},
        ]).json()
        assert [e["type"] for e in update["errors"]] == ["ACCOUNTING_ENTRY_DOES_NOT_EXIST"]
        assert legacy_http.get(f"/expenses/{ids[0]}").json()["status"] == "EXPORTED"
        assert legacy_http.get(f"/expenses/{ids[1]}").json()["status"] == "NOT_EXPORTED"
        too_many = new_http.put(f"/v3/export-jobs/{job['id']}/items", json=[
            {"accountingEntryId": ids[0], "status": "successful"}] * 101)
        assert too_many.status_code == 413
        assert too_many.json()["type"] == "EXPORT_JOB_ITEMS_UPDATE_LIMIT"
    finally:
        done = new_http.post("/v3/export-job-events",
                             json={"jobId": job["id"], "event": "completed_with_errors"})
    assert done.status_code == 202
    assert new_http.get(f"/v3/export-jobs/{job['id']}").json()["data"]["status"] == (
        "completed_with_errors")
    # Items still pending when the job finished are abandoned: their entries are not exported.
    assert {legacy_http.get(f"/expenses/{i}").json()["status"] for i in ids[2:]} == {
        "NOT_EXPORTED"}
    legacy_http.put("/expenses", json={"expenseIds": ids, "status": "NOT_EXPORTED"})
    late = new_http.post("/v3/export-job-events", json={"jobId": job["id"], "event": "started"})
    assert late.status_code == 422 and late.json()["type"] == "INVALID_EXPORT_JOB_STATUS_CHANGE"
    finished = new_http.get("/v3/export-items", params={"job_id": job["id"]})
    assert finished.status_code == 422


def test_account_created_on_legacy_is_read_on_new(
    simulator: SimulatorHandle, legacy_http: httpx.Client, new_http: httpx.Client
) -> None:
    taxes = legacy_http.get("/tax-codes").json()["taxCodes"]
    vat = next(t for t in taxes if t["code"] == "VAT25")
    number = str(7000 + uuid.uuid4().int % 999)
    account = legacy_http.post("/accounts", json={"name": "Cross account",
                                                  "accountNumber": number,
                                                  "taxCodeId": vat["id"]}).json()
    read = new_http.get(f"/v1/chart-of-accounts/{account['id']}").json()["data"]
    assert (read["code"], read["taxCodeExternalId"], read["archived"]) == (number, "VAT25", False)
    new_http.put(f"/v1/chart-of-accounts/{account['id']}",
                 json={"archived": True, "name": "Cross account", "taxCodeExternalId": "VAT0"})
    legacy = legacy_http.get(f"/accounts/{account['id']}").json()
    vat0 = next(t for t in taxes if t["code"] == "VAT0")
    assert (legacy["hidden"], legacy["taxCodeId"]) == (True, vat0["id"])
    assert new_http.delete(f"/v1/chart-of-accounts/{account['id']}").status_code == 204


def test_tax_code_created_on_new_is_read_on_legacy(
    simulator: SimulatorHandle, legacy_http: httpx.Client, new_http: httpx.Client
) -> None:
    created = new_http.post("/v0/tax-codes", json={
        "archived": False, "companyId": simulator.company_id, "name": "Cross 8 %",
        "rate": 0.08, "type": "reverse", "code": f"C{uuid.uuid4().hex[:5]}"}).json()["data"]
    legacy = legacy_http.get(f"/tax-codes/{created['id']}").json()
    assert (legacy["rate"], legacy["enabled"], legacy["type"]) == (8.0, True, "REVERSE")
    assert new_http.delete(f"/v0/tax-codes/{created['id']}").status_code == 204
    assert legacy_http.get(f"/tax-codes/{created['id']}").status_code == 404
