"""compat/rewrite.py without any transport: the planner's failures as legacy errors.

What the client sent wrong is a legacy 400; what the new API answered wrong is a legacy 502;
gaps and new-API errors take the legacy error shape and name what the user can fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from migrate.compat.messages import NO_BODY, NewResponse
from migrate.compat.rewrite import (
    LegacyFault,
    canonical_records,
    decode_json,
    error_from_new,
    gap_response,
    legacy_body,
    legacy_error,
    merged_update_body,
    plan,
    request_body,
)
from migrate.mapping import LegacyMatch, load_catalogue

CATALOGUE = load_catalogue()
EMPLOYEES = CATALOGUE.get("employees.list")
TAG_GROUP_UPDATE = CATALOGUE.get("tag-groups.update")


def _match(method: str, url: str) -> LegacyMatch:
    found = CATALOGUE.match_legacy(method, url)
    assert found is not None
    return found


def _fault(call: Callable[[], object]) -> LegacyFault:
    with pytest.raises(LegacyFault) as caught:
        call()
    return caught.value


def test_legacy_errors_have_the_legacy_spec_shape() -> None:
    """legacy-openapi.yml ErrorBody: `error` the reason phrase, `message` a short code."""
    answer = legacy_error(404, "nothing here", operation="x.y")
    assert answer.status == 404
    assert answer.body == {
        "error": "Not Found",
        "message": "not_found",
        "statusCode": 404,
        "detail": "nothing here",
        "operation": "x.y",
    }
    assert legacy_error(409, "busy", code="export_already_in_progress").body["message"] == (
        "export_already_in_progress"
    )
    assert legacy_error(418, "teapot").body["error"] == "I'm a Teapot"
    assert legacy_error(418, "teapot").body["message"] == "error"


def test_plan_passes_the_planners_call_through() -> None:
    planned = plan(CATALOGUE, _match("GET", "/v1/employees?email=a@b.dk"), NO_BODY, "c-1")
    assert planned.call.params == (("email", "a@b.dk"), ("companyId", "c-1"))


@pytest.mark.parametrize(
    ("url", "company", "message"),
    [
        pytest.param("/v1/employees", None, "employees.list needs the company id", id="company"),
        pytest.param("/v1/expenses?status=NOPE", "c", "query parameter status", id="filter"),
        pytest.param("/v1/employees?pageSize=-1", "c", "pageSize must be at least 1", id="page"),
    ],
)
def test_what_the_client_sent_wrong_is_a_legacy_400(
    url: str, company: str | None, message: str
) -> None:
    fault = _fault(lambda: plan(CATALOGUE, _match("GET", url), NO_BODY, company))
    assert fault.response.status == 400
    assert message in fault.response.body["detail"]


def test_a_write_without_a_body_is_a_400() -> None:
    operation = CATALOGUE.get("tag-groups.create")
    fault = _fault(lambda: request_body(CATALOGUE, operation, NO_BODY))
    assert fault.response.status == 400
    assert fault.response.body["detail"] == "tag-groups.create needs a JSON body"


def test_a_merge_update_merges_the_patch_over_the_record_read() -> None:
    current = {"data": {"id": "g", "name": "Old", "code": "P", "archived": False}}
    merged = merged_update_body(CATALOGUE, TAG_GROUP_UPDATE, current, {"name": "New"})
    assert merged["name"] == "New" and merged["code"] == "P"
    fault = _fault(lambda: merged_update_body(CATALOGUE, TAG_GROUP_UPDATE, current, ["x"]))
    assert fault.response.status == 400
    assert "needs a JSON object body" in fault.response.body["detail"]


def test_an_answer_that_does_not_convert_is_a_legacy_502() -> None:
    fault = _fault(lambda: canonical_records(CATALOGUE, EMPLOYEES, {"nothing": []}))
    assert fault.response.status == 502
    assert "unexpected answer from the new API" in fault.response.body["detail"]
    fault = _fault(lambda: legacy_body(CATALOGUE, EMPLOYEES, {"id": "one"}))
    assert fault.response.status == 502


def test_a_page_of_records_goes_back_in_the_legacy_envelope_with_its_metadata() -> None:
    records = canonical_records(
        CATALOGUE, EMPLOYEES, {"data": [{"id": "e", "firstName": "A"}], "pagination": {}}
    )
    metadata = {"pageInfo": {"pageSize": 1, "totalCount": 3, "nextPageOffset": 1}}
    body = legacy_body(CATALOGUE, EMPLOYEES, records, metadata)
    assert body["employees"][0]["id"] == "e" and body["employees"][0]["firstName"] == "A"
    assert body["metadata"] == metadata


def test_a_body_that_is_not_json_is_a_502_naming_the_operation() -> None:
    assert decode_json(NewResponse(204, {}, b""), EMPLOYEES) is None
    fault = _fault(lambda: decode_json(NewResponse(200, {}, b'{"data": ['), EMPLOYEES))
    assert fault.response.status == 502
    assert fault.response.body["operation"] == "employees.list"


def test_a_403_names_the_scope_the_key_lacks() -> None:
    body = json.dumps({"type": "FORBIDDEN", "message": "missing users:read"}).encode()
    answer = error_from_new(EMPLOYEES, NewResponse(403, {}, body))
    assert answer.status == 403
    assert answer.body["requiredScopes"] == ["users:read"]
    assert "users:read" in answer.body["detail"]


def test_a_429_keeps_its_retry_after() -> None:
    answer = error_from_new(EMPLOYEES, NewResponse(429, {"retry-after": "7"}, b""))
    assert answer.status == 429 and answer.headers["retry-after"] == "7"


def test_a_gap_is_a_501_with_the_reason_and_the_docs() -> None:
    gap = next(op for op in CATALOGUE if not op.mapped)
    answer = gap_response(gap)
    assert answer.status == 501
    assert gap.gap is not None and gap.gap in answer.body["detail"]
    assert answer.body["docs"] == gap.docs
