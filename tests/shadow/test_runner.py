"""The comparator end to end against fake APIs: matching, outcomes, errors, safety."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from migrate.shadow.config import Safety
from tests.shadow.conftest import Run, operation
from tests.shadow.fakes import FakePleo, people


def by_id(results: list[dict[str, Any]]) -> dict[str | None, dict[str, Any]]:
    return {line["id"]: line for line in results}


def test_identical_data_is_full_parity_and_declared_losses_are_expected(run_fake: Run) -> None:
    legacy, new = people(7)
    report, results = run_fake(FakePleo(legacy, new))
    op = operation(report, "employees.list")
    assert op["parity"] == 100.0
    assert op["outcomes"]["expected"] == 7  # role is declared lost; every record has one
    assert {loss["field"] for loss in op["expected"]} == {"role", "avatar", "teamId"}
    assert next(loss for loss in op["expected"] if loss["field"] == "role")["records"] == 7
    assert all(line["outcome"] == "expected" for line in results)
    assert results[0]["expected"] == ["role"] and "differences" not in results[0]


def test_a_changed_value_is_a_mismatch_with_its_path_and_both_values(run_fake: Run) -> None:
    legacy, new = people(5)
    new[3]["lastName"] = "Changed"
    _, results = run_fake(FakePleo(legacy, new))
    line = by_id(results)[legacy[3]["id"]]
    assert line["outcome"] == "mismatch"
    assert line["expected"] == ["role"]
    assert line["differences"] == [{"path": "lastName", "field": "lastName", "change": "changed",
                         "verdict": "mismatch", "legacy": "Last4", "new": "Changed"}]


def test_records_are_matched_by_id_across_different_page_sizes_and_orders(run_fake: Run) -> None:
    legacy, new = people(9)
    new = [new[1], new[0], *new[2:]]  # slightly different order on the new API
    report, results = run_fake(FakePleo(legacy, new), page_size=2)
    assert operation(report, "employees.list")["outcomes"]["expected"] == 9
    assert len(results) == 9


def test_missing_and_extra_records(run_fake: Run) -> None:
    legacy, new = people(6)
    extra = people(8)[1][7]
    del new[2]
    new.append(extra)
    report, results = run_fake(FakePleo(legacy, new))
    outcomes = {line["id"]: line["outcome"] for line in results}
    assert outcomes[legacy[2]["id"]] == "missing-in-new"
    assert outcomes[extra["id"]] == "extra-in-new"
    op = operation(report, "employees.list")
    assert op["status"] == "fail"
    assert op["parity"] == round(100 * 5 / 7, 2)


def test_a_field_that_changes_between_two_legacy_calls_is_noise(run_fake: Run) -> None:
    legacy, new = people(4)
    counter = itertools.count()
    fake = FakePleo(legacy, new,
                    render_legacy=lambda r: {**r, "jobTitle": f"volatile-{next(counter)}"})
    report, results = run_fake(fake)
    op = operation(report, "employees.list")
    assert op["noise"]["fields"] == ["jobTitle"]
    assert op["outcomes"]["mismatch"] == 0
    assert {line["outcome"] for line in results} == {"noise"}


def test_envelope_and_header_noise_is_reported(run_fake: Run) -> None:
    legacy, new = people(3)
    counter = itertools.count()
    fake = FakePleo(legacy, new)
    original = fake._legacy

    def legacy_with_request_ids(request: httpx.Request) -> httpx.Response:
        response = original(request)
        body = response.json()
        body.setdefault("metadata", {})["requestId"] = f"r{next(counter)}"
        return httpx.Response(200, json=body, headers={"X-Request-Id": f"h{next(counter)}"})

    fake._legacy = legacy_with_request_ids  # type: ignore[method-assign]
    report, _ = run_fake(fake)
    noise = operation(report, "employees.list")["noise"]
    assert noise == {"fields": [], "envelope": ["metadata.requestId"], "headers": ["x-request-id"]}


def test_a_difference_gone_on_recheck_is_lag(run_fake: Run) -> None:
    legacy, new = people(4)
    stale = {"calls": 0}

    def lagging(record: dict[str, Any]) -> dict[str, Any]:
        if record["id"] == legacy[1]["id"]:
            stale["calls"] += 1
            if stale["calls"] == 1:
                return {**record, "lastName": "Stale"}
        return record

    _, results = run_fake(FakePleo(legacy, new, render_new=lagging), recheck=2)
    line = by_id(results)[legacy[1]["id"]]
    assert line["outcome"] == "lag"
    assert line["rechecks"] == 1
    assert line["differences"][0]["new"] == "Stale"


def test_a_record_created_late_on_the_new_api_is_lag(run_fake: Run) -> None:
    legacy, new = people(4)
    late = new.pop()
    fake = FakePleo(legacy, new)
    original = fake._new

    def new_catches_up(request: httpx.Request) -> httpx.Response:
        if len([r for r in fake.log if r.url.host == "new.test"]) >= 2 and late not in fake.new:
            fake.new.append(late)
        return original(request)

    fake._new = new_catches_up  # type: ignore[method-assign]
    _, results = run_fake(fake, page_size=10)
    assert by_id(results)[late["id"]]["outcome"] == "lag"


def test_without_rechecks_a_difference_stays_a_mismatch(run_fake: Run) -> None:
    legacy, new = people(3)
    new[0]["email"] = "x@example.com"
    _, results = run_fake(FakePleo(legacy, new), recheck=0)
    assert by_id(results)[legacy[0]["id"]]["outcome"] == "mismatch"


def test_sample_limits_legacy_records_and_skips_extras(run_fake: Run) -> None:
    legacy, new = people(10)
    new.append(people(12)[1][11])
    report, results = run_fake(FakePleo(legacy, new), sample=4)
    assert len(results) == 4
    assert operation(report, "employees.list")["outcomes"]["extra-in-new"] == 0


def test_get_operations_take_ids_from_the_legacy_list(run_fake: Run) -> None:
    legacy, new = people(5)
    del new[4]
    report, results = run_fake(FakePleo(legacy, new), ops="employees.get")
    outcomes = {line["id"]: line["outcome"] for line in results}
    assert outcomes == {p["id"]: "expected" for p in legacy[:4]} | {
        legacy[4]["id"]: "missing-in-new"
    }
    assert operation(report, "employees.get")["records"] == 5


def test_server_errors_become_error_results_and_the_run_goes_on(run_fake: Run) -> None:
    legacy, new = people(6)

    def broken_second_page(request: httpx.Request) -> httpx.Response | None:
        if request.url.host == "new.test" and request.url.params.get("after") == "2":
            return httpx.Response(503, json={"type": "UNAVAILABLE", "message": "try later"})
        return None

    report, results = run_fake(FakePleo(legacy, new, faults=[broken_second_page]),
                               ops="employees.list,employees.get")
    errors = [line for line in results if line["outcome"] == "error"]
    assert errors[0]["side"] == "new"
    assert "HTTP 503: try later (after 3 attempts)" in errors[0]["error"]
    assert "GET /v2/employees?" in errors[0]["error"]
    listed = operation(report, "employees.list")
    assert listed["failed_requests"] == 4  # the page + its 3 records: requests, not records
    assert listed["outcomes"]["error"] == 0
    assert operation(report, "employees.get")["parity"] == 100.0


def test_timeouts_and_truncated_json_are_errors(run_fake: Run) -> None:
    legacy, new = people(2)

    def faults(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith(new[0]["id"]):
            raise httpx.ReadTimeout("slow", request=request)
        if request.url.path.endswith(new[1]["id"]) and request.url.host == "new.test":
            return httpx.Response(200, content=b'{"data": {"id": "trunc',
                                  headers={"content-type": "application/json"})
        return None

    _, results = run_fake(FakePleo(legacy, new, faults=[faults]), ops="employees.get")
    messages = sorted(line["error"] for line in results)
    assert "timed out after 30 s (after 3 attempts)" in messages[0] + messages[1]
    assert any("not valid JSON (truncated?" in m for m in messages)


def test_429_waits_slows_both_sides_and_gives_up_with_a_clear_message(run_fake: Run) -> None:
    legacy, new = people(3)
    answered = itertools.count()

    def throttled(request: httpx.Request) -> httpx.Response | None:
        if request.url.host == "legacy.test" and next(answered) < 2:
            return httpx.Response(429, headers={"Retry-After": "1"}, json={"message": "slow"})
        return None

    report, results = run_fake(FakePleo(legacy, new, faults=[throttled]))
    assert operation(report, "employees.list")["outcomes"]["expected"] == 3

    def always(request: httpx.Request) -> httpx.Response | None:
        if request.url.host == "new.test":
            return httpx.Response(429, json={"type": "TOO_MANY_REQUESTS", "message": "slow"})
        return None

    report, results = run_fake(FakePleo(legacy, new, faults=[always]))
    error = next(line for line in results if line["outcome"] == "error")
    assert "gave up after 5 consecutive 429 Too Many Requests" in error["error"]
    assert "lower --rate" in error["error"]


def test_only_reads_are_sent(run_fake: Run) -> None:
    legacy, new = people(3)
    fake = FakePleo(legacy, new)
    run_fake(fake, ops="employees.list,employees.get,expenses.list")
    methods = {(r.method, r.url.path) for r in fake.log if r.method != "GET"}
    assert methods == {("POST", "/v1/accounting-entries:search")}


def test_a_search_carries_company_body_and_filters_from_the_catalogue(run_fake: Run,
                                                                     tmp_path: Any) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "requests:\n"
        "  - op: expenses.list\n"
        "    query: {status: EXPORTED, dateFrom: '2025-01-01'}\n",
        encoding="utf-8",
    )
    fake = FakePleo(*people(1))
    run_fake(fake, ops=str(scenario))
    search = next(r for r in fake.log if r.method == "POST")
    assert search.url.params["company_id"] == "c0ffee00-0000-4000-8000-000000000001"
    assert search.url.params["limit"] == "3"
    assert fake.search_bodies[0] == {
        "includeDeleted": True, "exportStatus": ["EXPORTED"],
        "performedAtStart": "2025-01-01T00:00:00Z",
        # the legacy list's default: card authorisations left out (by payment status)
        "status": ["DRAFT", "COMPLETED", "COMPLETED_EXTERNALLY", "REJECTED", "ERROR"],
    }
    legacy = next(r for r in fake.log if r.url.path == "/v1/expenses")
    assert legacy.url.params["status"] == "EXPORTED"


def test_writes_are_not_sent_without_allow_writes(run_fake: Run, tmp_path: Any) -> None:
    scenario = tmp_path / "writes.yaml"
    scenario.write_text(
        "requests:\n"
        "  - request: POST /v1/accounts\n"
        "    body: {name: Regions, accountNumber: '4100'}\n"
        "  - op: employees.list\n",
        encoding="utf-8",
    )
    fake = FakePleo(*people(2))
    report, _ = run_fake(fake, ops=str(scenario), safety=Safety(plan_writes=True))
    assert {r.method for r in fake.log} == {"GET"}
    assert operation(report, "accounts.create")["status"] == "skipped"
    plan = report.write_plans[0].to_json()
    assert plan["new_calls"] == [{
        "method": "POST", "path": "/v1/chart-of-accounts",
        "body": {"name": "Regions", "code": "4100", "archived": False, "externalId": "4100",
                 "companyId": "c0ffee00-0000-4000-8000-000000000001"},
    }]


@pytest.mark.parametrize("extra", [0, 1])
def test_results_are_streamed_one_line_per_record(run_fake: Run, extra: int) -> None:
    legacy, new = people(5 + extra)
    report, results = run_fake(FakePleo(legacy, new))
    assert len(results) == 5 + extra
    assert report.summary["schema_version"] == 1


def test_a_failed_discovery_is_an_error_and_what_was_found_is_compared(run_fake: Run) -> None:
    legacy, new = people(7)

    def second_legacy_page_fails(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/v1/employees" and request.url.params.get("pageOffset") == "3":
            return httpx.Response(500, json={"message": "down"})
        return None

    report, _ = run_fake(FakePleo(legacy, new, faults=[second_legacy_page_fails]),
                         ops="employees.get,tax-codes.get")
    op = operation(report, "employees.get")
    assert op["outcomes"]["expected"] == 3  # the first page's ids
    assert op["failed_requests"] == 1 and op["outcomes"]["error"] == 0
    assert op["records"] == 3  # the failed request is not a record
    assert op["errors"][0].startswith("cannot find records to compare: legacy API: GET "
                                      "/v1/employees?pageOffset=3&pageSize=3: HTTP 500: down")
    assert operation(report, "tax-codes.get")["status"] == "error"  # the fake has no tax codes


def test_a_failed_request_is_not_a_record(run_fake: Run) -> None:
    """Issue 13, point 7: a request that fails compares nothing, so it neither counts as a
    record nor drags parity down; it is reported as a failed request and the status says error."""
    legacy, new = people(4)

    def new_side_down(request: httpx.Request) -> httpx.Response | None:
        if request.url.host == "new.test":
            return httpx.Response(503, json={"type": "UNAVAILABLE", "message": "down"})
        return None

    report, results = run_fake(FakePleo(legacy, new, faults=[new_side_down]),
                               ops="employees.list")
    op = operation(report, "employees.list")
    assert op["records"] == 0 and op["parity"] is None
    assert op["failed_requests"] >= 1 and op["status"] == "error"
    assert report.summary["totals"]["failed_requests"] == op["failed_requests"]
    assert all(line.get("request_failed") for line in results if line["outcome"] == "error")
