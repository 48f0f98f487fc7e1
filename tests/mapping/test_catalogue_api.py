"""The Catalogue API that compat, codemod, shadow and report build on."""

from __future__ import annotations

import pytest

from migrate.errors import ConversionError, UsageError
from migrate.mapping import load_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("method", "url", "op_id", "params"),
    [
        pytest.param(
            "GET",
            "https://openapi.pleo.io/v1/expenses?pageSize=100&pageOffset=0",
            "expenses.list",
            {},
            id="full-url-with-query",
        ),
        pytest.param(
            "GET",
            "https://openapi.staging.pleo.io/v1/expenses/abc",
            "expenses.get",
            {"expenseId": "abc"},
            id="staging-host",
        ),
        pytest.param(
            "GET", "/v1/companies/balance", "companies.balance", {}, id="literal-beats-param"
        ),
        pytest.param(
            "get", "/employees/42", "employees.get", {"employeeId": "42"}, id="relative-path"
        ),
        pytest.param(
            "PATCH",
            "/v1/tag-groups/g1/tags/t9",
            "tags.update",
            {"tagGroupId": "g1", "tagId": "t9"},
            id="two-params",
        ),
        pytest.param(
            "PUT", "/v1/expenses/", "expenses.update-export-status", {}, id="trailing-slash"
        ),
    ],
)
def test_match_legacy(method: str, url: str, op_id: str, params: dict[str, str]) -> None:
    match = CATALOGUE.match_legacy(method, url)
    assert match is not None
    assert match.operation.id == op_id
    assert dict(match.path_params) == params


def test_match_legacy_keeps_the_query() -> None:
    match = CATALOGUE.match_legacy("GET", "/v1/expenses?status=QUEUED&pageSize=10")
    assert match is not None and ("status", "QUEUED") in match.query


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/v1/invoices"), ("POST", "/v1/expenses/abc"), ("GET", "/v1/employees/1/2")],
)
def test_unknown_legacy_requests_match_nothing(method: str, url: str) -> None:
    assert CATALOGUE.match_legacy(method, url) is None


def test_new_path_carries_path_parameters() -> None:
    match = CATALOGUE.match_legacy("GET", "/v1/expenses/e-1")
    assert match is not None
    assert CATALOGUE.new_path(match) == "/v1/accounting-entries/e-1"
    gap = CATALOGUE.match_legacy("GET", "/v1/teams")
    assert gap is not None
    with pytest.raises(UsageError, match="no new-API equivalent"):
        CATALOGUE.new_path(gap)


def test_get_by_id_and_a_helpful_miss() -> None:
    assert CATALOGUE.get("tags.get").new is not None
    with pytest.raises(UsageError, match=r"did you mean one of tags\.list"):
        CATALOGUE.get("tags.fetch")


def test_every_gap_has_a_reason_and_a_link() -> None:
    gaps = [op for op in CATALOGUE if not op.mapped]
    assert len(gaps) == 22  # 46 legacy operations, 24 mapped
    for op in gaps:
        assert op.gap and op.docs.startswith("https://")


def test_losses_are_collected_from_nested_models() -> None:
    losses = {loss.field: loss.reason for loss in CATALOGUE.losses(CATALOGUE.get("expenses.list"))}
    assert "employeeCode" in losses
    assert "performedAt" in losses
    assert "" in losses  # the operation-level loss (no offset on the new search)
    assert CATALOGUE.losses(CATALOGUE.get("tax-codes.get")) != ()


def test_summaries_add_up_to_the_46_legacy_operations() -> None:
    summaries = CATALOGUE.summaries()
    assert sum(s.mapped + s.gaps for s in summaries) == 46
    assert {s.resource for s in summaries} == {
        "expenses",
        "employees",
        "teams",
        "tag-groups",
        "tax-codes",
        "accounts",
        "account-categories",
        "companies",
    }


def test_to_canonical_rejects_the_wrong_envelope() -> None:
    with pytest.raises(ConversionError, match="'employees' key"):
        CATALOGUE.to_canonical(CATALOGUE.get("employees.list"), "legacy", {"data": []})
    with pytest.raises(ConversionError, match="expected a list"):
        CATALOGUE.to_canonical(CATALOGUE.get("tags.list"), "legacy", {"id": "x"})


def test_conversion_errors_name_the_field() -> None:
    body = {"expenses": [{"id": "x", "amountOriginal": {"value": 1.234, "currency": "DKK"}}]}
    with pytest.raises(
        ConversionError, match=r"Expense.amountOriginal: 1.234 DKK has more decimals"
    ):
        CATALOGUE.to_canonical(CATALOGUE.get("expenses.list"), "legacy", body)


def test_create_fills_required_new_fields_but_merge_update_does_not() -> None:
    create = CATALOGUE.get("tag-groups.create")
    body = CATALOGUE.from_canonical(
        create,
        "new",
        CATALOGUE.to_canonical(create, "legacy", {"name": "Regions"}, "request"),
        "request",
    )
    assert body == {"name": "Regions", "code": "Regions", "archived": False, "metadata": {}}
    update = CATALOGUE.get("tag-groups.update")
    body = CATALOGUE.from_canonical(
        update,
        "new",
        CATALOGUE.to_canonical(update, "legacy", {"name": "Regions"}, "request"),
        "request",
    )
    assert body == {"name": "Regions"}


def test_every_assumption_is_used_or_documented_once() -> None:
    assert set(CATALOGUE.assumptions) >= {"legacy-money-units", "legacy-tax-rate-unit"}
    for assumption in CATALOGUE.assumptions.values():
        assert assumption.value in assumption.choices
        assert assumption.statement
