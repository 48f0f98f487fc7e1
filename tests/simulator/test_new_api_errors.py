"""Bad requests to the new API get ExceptionInfo bodies with the right status, never a 500."""

from __future__ import annotations

import uuid
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "kind"),
    [
        pytest.param("POST", "/v1/accounting-entries:search", {"content": b"{oops"}, 400,
                     "VALIDATION_FAILED", id="malformed-json"),
        pytest.param("POST", "/v1/accounting-entries:search", {"json": {}}, 400,
                     "VALIDATION_FAILED", id="missing-required-field"),
        pytest.param("POST", "/v1/accounting-entries:search",
                     {"json": {"includeDeleted": False, "employeeIds": ["x"]}}, 400,
                     "VALIDATION_FAILED", id="invalid-uuid-in-body"),
        pytest.param("GET", "/v2/employees/12345", {}, 400, "VALIDATION_FAILED",
                     id="invalid-uuid-in-path"),
        pytest.param("GET", "/v2/employees?companyId=nope", {}, 400, "VALIDATION_FAILED",
                     id="invalid-uuid-in-query"),
        pytest.param("GET", "/v2/employees?limit=0", {}, 400, "VALIDATION_FAILED", id="limit-0"),
        pytest.param("GET", "/v2/employees?limit=100000", {}, 400, "VALIDATION_FAILED",
                     id="limit-100000"),
        pytest.param("GET", "/v2/employees?offset=-3", {}, 400, "VALIDATION_FAILED",
                     id="negative-offset"),
        pytest.param("GET", "/v0/tag-groups?include_archived=maybe", {}, 400,
                     "VALIDATION_FAILED", id="bad-boolean"),
        pytest.param("GET", f"/v2/employees/{uuid.uuid4()}", {}, 404, "NOT_FOUND",
                     id="unknown-id"),
        pytest.param("GET", "/v9/nothing", {}, 404, "NOT_FOUND", id="unknown-path"),
        pytest.param("DELETE", "/v2/employees", {}, 405, "METHOD_NOT_ALLOWED",
                     id="read-only-employees"),
        pytest.param("POST", "/v0/tag-groups", {"json": {"code": "X", "name": "Y"}}, 400,
                     "VALIDATION_FAILED", id="missing-archived"),
        pytest.param("PUT", f"/v3/export-jobs/{uuid.uuid4()}/items", {"json": {"a": 1}}, 404,
                     "EXPORT_NOT_FOUND", id="unknown-job"),
        pytest.param("POST", "/v3/export-job-events", {"json": {"jobId": str(uuid.uuid4()),
                                                               "event": "paused"}}, 400,
                     "VALIDATION_FAILED", id="bad-event"),
        pytest.param("POST", "/v0/tax-codes", {"json": {
            "archived": False, "companyId": "00000000-0000-0000-0000-000000000000",
            "name": "x", "rate": 0.1, "type": "inclusive"}}, 403, "FORBIDDEN",
            id="body-company-of-nobody"),
        pytest.param("POST", "/v2/employees", {"content": b"a=b",
                                               "headers": {"content-type": "text/plain"}}, 405,
                     "METHOD_NOT_ALLOWED", id="post-to-read-only"),
    ],
)
def test_bad_requests(clients: Any, method: str, path: str, kwargs: dict[str, Any],
                      status: int, kind: str) -> None:
    _, new = clients
    response = new.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["type"] == kind
    assert set(response.json()) == {"type", "message"}


def test_unknown_fields_are_allowed_as_the_specs_do_not_forbid_them(clients: Any) -> None:
    _, new = clients
    response = new.post("/v1/accounting-entries:search", params={"limit": 1},
                        json={"includeDeleted": False, "somethingNew": [1, 2]})
    assert response.status_code == 200


def test_deleted_entries_need_include_deleted(clients: Any, fresh: Any) -> None:
    _, new = clients
    deleted = next(e for e in fresh.store.expenses.rows([fresh.company_id]) if e.deleted_at)
    assert new.get(f"/v1/accounting-entries/{deleted.id}").status_code == 404
    found = new.get(f"/v1/accounting-entries/{deleted.id}", params={"include_deleted": "true"})
    assert found.status_code == 200 and "deletedAt" in found.json()["data"]
