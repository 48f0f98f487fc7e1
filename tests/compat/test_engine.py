"""The sans-I/O compat engine, driven by hand: `serve()` yields new requests, we `send()` answers.

No server and no transport: each test scripts the new API's answers and checks both what the
engine asked and the legacy response it returned.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pytest

from migrate.compat.cursors import CursorCache
from migrate.compat.engine import CompatEngine
from migrate.compat.messages import NewRequest, NewResponse
from migrate.mapping import load_catalogue
from migrate.mapping.specs import load_new_api_specs
from tests.compat.exchange import COMPANY, ok, page, scripted, serve

CATALOGUE = load_catalogue()


def engine(company_id: str | None = COMPANY) -> CompatEngine:
    return CompatEngine(CATALOGUE, company_id=company_id, specs=load_new_api_specs())


def employee(number: int) -> dict[str, Any]:
    return {"id": f"e-{number}", "companyId": COMPANY, "firstName": f"N{number}"}


def params(request: NewRequest) -> Mapping[str, str]:
    return dict(request.params)


# --- single calls --------------------------------------------------------------------------------


def test_a_direct_read_is_one_planned_call_and_its_answer_in_the_legacy_shape() -> None:
    result, sent = serve(engine(), "GET", "/v1/employees/e-1", scripted(ok({"data": employee(1)})))
    assert sent == [NewRequest("GET", "/v2/employees/e-1")]
    assert result.status == 200
    assert result.body["id"] == "e-1" and result.body["firstName"] == "N1"
    assert "companyId" not in result.body  # the legacy API has no such field


def test_a_new_api_error_comes_back_as_a_legacy_error() -> None:
    denied = NewResponse(403, {}, b'{"type": "FORBIDDEN", "message": "no users:read"}')
    result, _ = serve(engine(), "GET", "/v1/employees/e-1", scripted(denied))
    assert result.status == 403
    assert result.body["requiredScopes"] == ["users:read"]


def test_a_gap_and_an_unknown_path_send_nothing() -> None:
    gap = next(op for op in CATALOGUE if not op.mapped)
    url = gap.legacy.path.replace("{", "").replace("}", "")
    result, sent = serve(engine(), gap.legacy.method, url, scripted(), {})
    assert (result.status, sent) == (501, [])
    result, sent = serve(engine(), "GET", "/v1/nowhere", scripted())
    assert (result.status, sent) == (404, [])
    assert "not sent anywhere" in result.body["detail"]


def test_a_bad_filter_value_is_a_400_before_any_call() -> None:
    result, sent = serve(engine(), "GET", "/v1/expenses?status=NOPE", scripted())
    assert result.status == 400 and sent == []
    assert "query parameter status" in result.body["detail"]


# --- the company ---------------------------------------------------------------------------------


def test_the_company_comes_from_the_installation_once() -> None:
    """Pleo's design guide: a standalone key's company is the installation's resource urn."""
    serving = engine(company_id=None)
    installation = ok({"id": "i", "resource": f"urn:pleo:company:{COMPANY}", "status": "ACTIVATED"})
    result, sent = serve(
        serving, "GET", "/v1/employees?pageSize=1", scripted(installation, ok(page([employee(1)])))
    )
    assert [request.path for request in sent] == ["/v1/installations/me", "/v2/employees"]
    assert params(sent[1])["companyId"] == COMPANY
    assert result.status == 200 and serving.company_id == COMPANY
    again, sent = serve(serving, "GET", "/v1/employees?pageSize=1", scripted(ok(page([]))))
    assert [request.path for request in sent] == ["/v2/employees"] and again.status == 200


def test_companies_is_the_fallback_when_the_installation_names_no_company() -> None:
    serving = engine(company_id=None)
    organisation = ok({"id": "i", "resource": "urn:pleo:organization:o-1"})
    companies = ok({"data": [{"id": COMPANY}]})
    result, sent = serve(
        serving,
        "GET",
        "/v1/employees?pageSize=1",
        scripted(organisation, companies, ok(page([employee(1)]))),
    )
    assert [r.path for r in sent] == ["/v1/installations/me", "/v1/companies", "/v2/employees"]
    assert result.status == 200 and serving.company_id == COMPANY


def test_a_key_that_sees_several_companies_needs_one_chosen() -> None:
    refused = ok({"type": "FORBIDDEN"}, 403)
    many = ok({"data": [{"id": "a"}, {"id": "b"}]})
    result, sent = serve(engine(company_id=None), "GET", "/v1/employees", scripted(refused, many))
    assert result.status == 400 and len(sent) == 2
    assert "PLEO_COMPANY_ID" in result.body["detail"]


# --- legacy pages from cursor pages --------------------------------------------------------------


def test_a_legacy_page_is_one_cursor_page_and_the_next_page_reuses_its_cursor() -> None:
    serving = engine()
    first, sent = serve(
        serving,
        "GET",
        "/v1/employees?pageSize=2",
        scripted(ok(page([employee(1), employee(2)], cursor="c2", total=5))),
    )
    assert [params(r) for r in sent] == [{"companyId": COMPANY, "limit": "2"}]
    assert [e["id"] for e in first.body["employees"]] == ["e-1", "e-2"]
    assert first.body["metadata"] == {
        "pageInfo": {"pageSize": 2, "totalCount": 5, "nextPageOffset": 2}
    }
    second, sent = serve(
        serving,
        "GET",
        "/v1/employees?pageOffset=2&pageSize=2",
        scripted(ok(page([employee(3)]))),
    )
    assert [params(r) for r in sent] == [{"companyId": COMPANY, "limit": "2", "after": "c2"}]
    assert second.body["metadata"]["pageInfo"] == {
        "pageSize": 2,
        "totalCount": 3,
        "nextPageOffset": None,
    }


def test_an_offset_without_a_known_cursor_walks_from_the_top() -> None:
    serving = CompatEngine(CATALOGUE, company_id=COMPANY, cursors=CursorCache())
    result, sent = serve(
        serving,
        "GET",
        "/v1/expenses?pageOffset=3&pageSize=2",
        scripted(
            ok(page([{"id": f"x{n}"} for n in range(3)], cursor="c3")),
            ok(page([{"id": "x3"}, {"id": "x4"}], cursor="c5", total=9)),
        ),
    )
    assert [(r.method, params(r)) for r in sent] == [
        ("POST", {"company_id": COMPANY, "limit": "3"}),
        ("POST", {"company_id": COMPANY, "limit": "2", "after": "c3"}),
    ]
    assert sent[0].body == {  # the legacy default leaves card authorisations out
        "includeDeleted": True,
        "status": ["DRAFT", "COMPLETED", "COMPLETED_EXTERNALLY", "REJECTED", "ERROR"],
    }
    assert result.body["metadata"]["pageInfo"]["nextPageOffset"] == 5


def test_an_answer_without_a_data_list_is_a_502() -> None:
    result, _ = serve(engine(), "GET", "/v1/employees", scripted(ok({"items": []})))
    assert result.status == 502
    assert "no `data` list" in result.body["detail"]


def test_an_unpaged_legacy_list_drains_every_page_then_applies_records_filters() -> None:
    def tag(number: int, archived: bool) -> dict[str, Any]:
        return {"id": f"t{number}", "groupId": "g", "code": "C", "name": "T", "archived": archived}

    pages = iter([ok(page([tag(1, True), tag(2, False)], cursor="n1")), ok(page([tag(3, True)]))])

    def answer(request: NewRequest) -> NewResponse:
        if request.path == "/v0/tag-groups/g/tags":
            return next(pages)
        if request.path == "/v0/tag-groups/g/dimensions":
            return ok({"data": [{"id": "d2", "displayOrder": 2}, {"id": "d1", "displayOrder": 1}]})
        tag_id = request.path.split("/")[3]
        values = [{"dimensionId": d, "value": f"{tag_id}-{d}"} for d in ("d2", "d1")]
        return ok({"data": [*values, {"dimensionId": "d3", "value": ""}]})

    result, sent = serve(engine(), "GET", "/v1/tag-groups/g/tags?hidden=true", answer)
    assert [params(r) for r in sent[:2]] == [
        {"include_archived": "true", "limit": "1000"},
        {"include_archived": "true", "limit": "1000", "after": "n1"},
    ]
    assert [t["id"] for t in result.body] == ["t1", "t3"]
    assert all(t["hidden"] is True for t in result.body)
    # values rebuilt from the tag's dimensions, in the group's dimension order, empty ones out
    assert result.body[0]["attributeValues"] == [
        {"attributeId": "d1", "value": "t1-d1"},
        {"attributeId": "d2", "value": "t1-d2"},
    ]
    assert result.body[0]["displayOrder"] is None and "code" not in result.body[0]


# --- merge-update --------------------------------------------------------------------------------

GROUP = {"data": {"id": "g", "name": "Old", "code": "P", "archived": False}}


def test_a_partial_patch_reads_merges_and_puts_the_whole_record() -> None:
    result, sent = serve(
        engine(),
        "PATCH",
        "/v1/tag-groups/g",
        scripted(ok(GROUP), ok(GROUP), ok({"data": {**GROUP["data"], "name": "New"}})),
        {"name": "New"},
    )
    assert [(r.method, r.path) for r in sent] == [
        ("GET", "/v0/tag-groups/g"),
        ("GET", "/v0/tag-groups/g"),
        ("PUT", "/v0/tag-groups/g"),
    ]
    assert sent[2].body["name"] == "New" and sent[2].body["code"] == "P"
    assert result.status == 200 and result.body["name"] == "New"


def test_a_record_that_changes_during_the_merge_is_a_409_and_nothing_is_put() -> None:
    changed = {"data": {**GROUP["data"], "code": "Q"}}
    result, sent = serve(
        engine(), "PATCH", "/v1/tag-groups/g", scripted(ok(GROUP), ok(changed)), {"name": "New"}
    )
    assert result.status == 409 and [r.method for r in sent] == ["GET", "GET"]


# --- flows ---------------------------------------------------------------------------------------


def test_a_flow_runs_from_the_registry_through_the_engine() -> None:
    group = {"id": "g1", "name": "Projects", "archived": True, "dimensions": []}
    result, sent = serve(
        engine(),
        "GET",
        "/v1/tag-groups?archived=true",
        scripted(ok(page([{"id": "g1"}])), ok({"data": [group]})),
    )
    assert [(r.path, r.params) for r in sent] == [
        ("/v0/tag-groups", (("company_id", COMPANY), ("include_archived", "true"))),
        ("/v0/aggregations/tag-groups", (("company_id", COMPANY), ("tag_group_ids", "g1"))),
    ]
    assert result.status == 200 and result.body[0]["id"] == "g1"


def test_a_legacy_filter_the_new_api_has_not_is_a_warning_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`types` on the expense list is not sent (no such filter on the new API): the answer
    may hold more records, and a warning says so, once per operation and set of names."""
    compat = engine()
    answer = scripted(*(ok(page([])) for _ in range(3)))
    with caplog.at_level(logging.WARNING, logger="migrate.compat"):
        serve(compat, "GET", "/v1/expenses?types=CARD&status=QUEUED", answer)
        serve(compat, "GET", "/v1/expenses?types=CARD&status=EXPORTED", answer)
        serve(compat, "GET", "/v1/expenses?status=QUEUED", answer)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1, warned
    assert "expenses.list" in warned[0] and "types" in warned[0] and "status" not in warned[0]
