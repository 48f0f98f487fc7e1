"""The one planner, as pure functions: a legacy request in, the new call(s) out.

One table of legacy request → `NewCall` over the shipped catalogue (the calls that compat and
shadow both send, see tests/test_request_identity.py), then the plan's other parts, its
errors, and the typed model and static parts the codemod builds on.
"""

from __future__ import annotations

from typing import Any

import pytest

from migrate.errors import ConversionError
from migrate.mapping import (
    NO_BODY,
    CompanyScope,
    NewCall,
    PageWindow,
    load_catalogue,
    plan_request,
)
from migrate.mapping.calls import (
    filter_body_value,
    json_bytes,
    merged_body,
    page_window,
    place_company,
    query_text,
)
from migrate.mapping.model import (
    fill_template,
    template_params,
    template_prefixes,
    template_regex,
    template_shape,
)

CATALOGUE = load_catalogue()
COMPANY = "c0ffee00-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    [
        pytest.param(
            "GET",
            "/v1/employees/e-1",
            NO_BODY,
            NewCall("GET", "/v2/employees/e-1"),
            id="direct read: path parameter carried, no company, no query",
        ),
        pytest.param(
            "GET",
            "/v1/expenses/x-9",
            NO_BODY,
            NewCall("GET", "/v1/accounting-entries/x-9", (("include_deleted", "true"),)),
            id="renamed path parameter and a constant query",
        ),
        pytest.param(
            "GET",
            "https://openapi.pleo.io/v1/employees?code=DK1&email=a%40b.dk&pageSize=10&x=1",
            NO_BODY,
            NewCall(
                "GET",
                "/v2/employees",
                (("email", "a@b.dk"), ("code", "DK1"), ("companyId", COMPANY)),
            ),
            id="query filters in catalogue order, company last, paging and unknowns dropped",
        ),
        pytest.param(
            "GET",
            "/v1/expenses?status=QUEUED&status=EXPORTED&dateFrom=2024-01-02&dateTo=2024-01-31",
            NO_BODY,
            NewCall(
                "POST",
                "/v1/accounting-entries:search",
                (("company_id", COMPANY),),
                {
                    "includeDeleted": True,
                    # the legacy default leaves card authorisations out (by payment status)
                    "status": ["DRAFT", "COMPLETED", "COMPLETED_EXTERNALLY", "REJECTED", "ERROR"],
                    "exportStatus": ["QUEUED", "EXPORTED"],
                    "performedAtStart": "2024-01-02T00:00:00Z",
                    "performedAtEnd": "2024-01-31T23:59:59Z",
                },
            ),
            id="search: constant body, converted body filters (as_list keeps every value)",
        ),
        pytest.param(
            "GET",
            "/v1/accounts",
            NO_BODY,
            NewCall(
                "POST",
                "/v1/chart-of-accounts:search",
                (),
                {
                    "excludeIfAssignedToCategory": False,
                    "excludeIfAssignedToContraAccount": False,
                    "companyId": COMPANY,
                },
            ),
            id="search with the company in the body",
        ),
        pytest.param(
            "POST",
            "/v1/accounts",
            {"name": "Travel", "accountNumber": "4010"},
            NewCall(
                "POST",
                "/v1/chart-of-accounts",
                (),
                {
                    "name": "Travel",
                    "code": "4010",
                    "archived": False,
                    "externalId": "4010",
                    "companyId": COMPANY,
                },
            ),
            id="create: body converted, defaults filled, company in the body",
        ),
        pytest.param(
            "POST",
            "/v1/tag-groups",
            {"name": "Projects", "tagAttributes": [{"name": "Project"}]},
            NewCall("POST", "/v0/tag-groups", (("company_id", COMPANY),)),
            id="a flow's plan: its main call with the company; the flow builds the body",
        ),
        pytest.param(
            "GET",
            "/v1/tax-codes",
            NO_BODY,
            NewCall(
                "POST", "/v0/tax-codes:search", (("company_id", COMPANY),), {"archived": False}
            ),
            id="legacy default: hidden tax codes left out",
        ),
        pytest.param(
            "GET",
            "/v1/tax-codes?hidden=true",
            NO_BODY,
            NewCall("POST", "/v0/tax-codes:search", (("company_id", COMPANY),), {}),
            id="hidden=true: hidden tax codes included (no archived filter)",
        ),
        pytest.param(
            "GET",
            "/v1/tag-groups/g/tags",
            NO_BODY,
            NewCall("GET", "/v0/tag-groups/g/tags", (("include_archived", "false"),)),
            id="legacy default: active tags only (no forced include_archived=true)",
        ),
        pytest.param(
            "PATCH",
            "/v1/tag-groups/g-1",
            {"name": "Renamed"},
            NewCall("PUT", "/v0/tag-groups/g-1"),
            id="merge-update: the PUT before the merge carries no body",
        ),
        pytest.param(
            "GET",
            "/v1/tag-groups/g%2F1/tags?hidden=true",
            NO_BODY,
            NewCall("GET", "/v0/tag-groups/g%2F1/tags", (("include_archived", "true"),)),
            id="a percent-encoded path value stays one segment; hidden=true asks for archived",
        ),
    ],
)
def test_a_legacy_request_becomes_this_new_call(
    method: str, url: str, body: Any, expected: NewCall
) -> None:
    assert plan_request(CATALOGUE, method, url, body, COMPANY).call == expected


def test_a_paged_list_plans_its_window_and_its_pages() -> None:
    plan = plan_request(CATALOGUE, "GET", "/v1/expenses?pageOffset=20&pageSize=5", NO_BODY, "c")
    assert plan.window == PageWindow(20, 5)
    assert plan.limit_max == 100  # the catalogue's new_limit_max
    assert plan.page(500, "abc").params == (("company_id", "c"), ("limit", "100"), ("after", "abc"))
    assert plan.page(5).params == (("company_id", "c"), ("limit", "5"))
    assert plan.paged and plan.read is None


def test_an_unpaged_list_has_no_window_and_the_default_maximum() -> None:
    plan = plan_request(CATALOGUE, "GET", "/v1/tag-groups/g/tags")
    assert plan.window is None and plan.paged
    assert plan.limit_max == 1000


def test_a_merge_update_reads_the_record_first_without_the_query() -> None:
    plan = plan_request(CATALOGUE, "PATCH", "/v1/tag-groups/g-1?x=1")
    assert plan.read == NewCall("GET", "/v0/tag-groups/g-1")
    assert plan.call.method == "PUT" and plan.call.path == "/v0/tag-groups/g-1"


def test_what_the_new_api_will_not_see_is_named() -> None:
    plan = plan_request(CATALOGUE, "DELETE", "/v1/tag-groups/g?archive=true&nope=1")
    assert plan.ignored == ("nope",)
    assert len(plan.unapplied) == 1 and "archive" in plan.unapplied[0]


def test_records_filters_apply_to_canonical_records_after_the_call() -> None:
    plan = plan_request(CATALOGUE, "GET", "/v1/tag-groups/g/tags?hidden=TRUE")
    records = [{"id": "a", "hidden": True}, {"id": "b", "hidden": False}, {"id": "c"}]
    assert plan.keep(records) == [{"id": "a", "hidden": True}]
    unfiltered = plan_request(CATALOGUE, "GET", "/v1/tag-groups/g/tags")
    assert unfiltered.keep(records) == [{"id": "b", "hidden": False}]  # the legacy default


@pytest.mark.parametrize(
    ("method", "url", "body", "company", "message"),
    [
        pytest.param("GET", "/v1/employees", NO_BODY, None, "set PLEO_COMPANY_ID", id="company"),
        pytest.param(
            "GET", "/v1/expenses?status=NOPE", NO_BODY, "c", "query parameter status:", id="enum"
        ),
        pytest.param(
            "GET", "/v1/expenses?pageSize=0", NO_BODY, "c", "pageSize must be at least 1",
            id="page size",
        ),
        pytest.param(
            "GET", "/v1/expenses?pageOffset=x", NO_BODY, "c", "pageOffset must be a whole number",
            id="page offset",
        ),
        pytest.param("POST", "/v1/accounts", NO_BODY, "c", "needs a JSON body", id="no body"),
        pytest.param("GET", "/v1/nowhere", NO_BODY, "c", "not a legacy endpoint", id="unknown"),
    ],
)
def test_what_cannot_be_planned_is_a_conversion_error_that_says_why(
    method: str, url: str, body: Any, company: str | None, message: str
) -> None:
    with pytest.raises(ConversionError, match=message):
        plan_request(CATALOGUE, method, url, body, company)


def test_a_gap_has_no_plan() -> None:
    gap = next(op for op in CATALOGUE if not op.mapped)
    url = fill_template(gap.legacy.path, {name: "x" for name in gap.legacy.params})
    with pytest.raises(ConversionError, match="no new-API equivalent"):
        plan_request(CATALOGUE, gap.legacy.method, url, {}, "c")


# --- the wire form ------------------------------------------------------------------------------


def test_a_call_has_one_wire_form() -> None:
    call = NewCall("POST", "/v0/x", (("a", "1"), ("b", "two words")), {"k": "ø", "n": [1]})
    assert call.target == "/v0/x?a=1&b=two+words"
    assert call.content() == json_bytes({"k": "ø", "n": [1]}) == b'{"k": "\\u00f8", "n": [1]}'
    assert NewCall("GET", "/v0/x").content() is None
    assert call.with_params({"a": "9"}).params == (("b", "two words"), ("a", "9"))


# --- the static parts -----------------------------------------------------------------------------


def test_the_company_goes_where_the_scope_says() -> None:
    query: tuple[tuple[str, str], ...] = (("x", "1"),)
    assert place_company(None, "c", query, NO_BODY) == (query, NO_BODY)
    assert place_company(CompanyScope("query", "company_id"), "c", query, NO_BODY) == (
        (("x", "1"), ("company_id", "c")),
        NO_BODY,
    )
    assert place_company(CompanyScope("body", "companyId"), "c", (), NO_BODY) == (
        (),
        {"companyId": "c"},
    )


def test_company_scopes_read_the_catalogue_spelling() -> None:
    assert CompanyScope.parse("none") is None
    assert CompanyScope.parse("query:companyId") == CompanyScope("query", "companyId")
    assert str(CompanyScope("body", "companyId")) == "body:companyId"
    with pytest.raises(ValueError, match="not a company placement"):
        CompanyScope.parse("header:companyId")


def test_filter_values_convert_in_one_place() -> None:
    status = next(f for f in CATALOGUE.get("expenses.list").filters if f.legacy == "status")
    assert status.convert("QUEUED") == "QUEUED"
    assert filter_body_value(status, ["QUEUED"]) == ["QUEUED"]
    date_from = next(f for f in CATALOGUE.get("expenses.list").filters if f.legacy == "dateFrom")
    assert filter_body_value(date_from, ["2024-01-01", "2024-02-01"]) == "2024-02-01T00:00:00Z"
    with pytest.raises(ConversionError, match=r"^query parameter dateFrom: "):
        filter_body_value(date_from, ["soon"])
    assert query_text(True) == "true" and query_text(False) == "false" and query_text(3) == "3"


def test_page_window_defaults_to_the_legacy_page_size() -> None:
    assert page_window(()) == PageWindow(0, 100)
    assert page_window((("pageOffset", "7"), ("pageSize", "3"))) == PageWindow(7, 3)


def test_path_templates_are_parsed_one_way() -> None:
    template = "/v1/tag-groups/{tagGroupId}/tags/{tagId}"
    assert template_params(template) == ("tagGroupId", "tagId")
    assert template_shape(template) == "/v1/tag-groups/{}/tags/{}"
    found = template_regex(template).fullmatch("/v1/tag-groups/g/tags/t")
    assert found is not None and found.groupdict() == {"tagGroupId": "g", "tagId": "t"}
    assert template_regex(template, named=False).fullmatch("/v1/tag-groups/g/tags/t/x") is None
    assert template_prefixes(template) == (
        ("tagGroupId", "/v1/tag-groups"),
        ("tagId", "/v1/tag-groups/{tagGroupId}/tags"),
    )
    assert fill_template(template, {"tagGroupId": "a/b", "tagId": "t"}, quote=True) == (
        "/v1/tag-groups/a%2Fb/tags/t"
    )
    assert fill_template(template, {"tagId": "t"}, keep_missing=True) == (
        "/v1/tag-groups/{tagGroupId}/tags/t"
    )
    with pytest.raises(ConversionError, match=r"no value for the path parameter \{tagGroupId\}"):
        fill_template(template, {"tagId": "t"})


# --- the one walk over a model's fields --------------------------------------------------------


def test_fields_walks_nested_models_with_canonical_and_new_paths() -> None:
    by_path = {item.path: item for item in CATALOGUE.fields("Expense", new_prefix="data[].")}
    tag = by_path["lines[].tagIds[].id"]
    assert tag.new_path == "data[].splitItems[].tags[].tagId"
    assert tag.top == "lines" and tag.parent == "lines[].tagIds"
    assert by_path["employeeCode"].new_missing and by_path["employeeCode"].loss
    assert by_path["supplier.CIF"].new_path == "data[].supplier.cif"


def test_a_nested_field_inherits_the_loss_of_its_enclosing_field() -> None:
    for model in CATALOGUE.models:
        for item in CATALOGUE.fields(model):
            if item.parent is None:
                assert item.loss == item.field.loss
            elif item.field.loss is None:
                parent = next(p for p in CATALOGUE.fields(model) if p.path == item.parent)
                assert item.loss == parent.loss


def test_a_partial_legacy_account_put_never_unarchives_or_unlinks() -> None:
    """accounts.update is a merge-update: the legacy PUT's fields are all optional."""
    operation = CATALOGUE.get("accounts.update")
    assert operation.kind == "merge-update"
    current = {
        "data": {
            "id": "a1",
            "externalId": "ERP-1",
            "name": "Travel",
            "code": "4010",
            "archived": True,
            "taxCodeExternalId": "VAT25",
            "metadata": {"k": "v"},
        }
    }
    body = merged_body(CATALOGUE, operation, current, {"name": "Trips"})
    assert body == {
        "name": "Trips",
        "code": "4010",
        "archived": True,
        "taxCodeExternalId": "VAT25",
        "metadata": {"k": "v"},
    }
    plan = plan_request(CATALOGUE, "PUT", "/v1/accounts/a1", {"name": "Trips"}, COMPANY)
    assert plan.read == NewCall("GET", "/v1/chart-of-accounts/a1")
