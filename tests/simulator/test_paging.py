"""Walking every page yields every record exactly once, in a stable order, on both APIs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from migrate.simulator import Simulator
from migrate.simulator.paging import CursorRequest, PagingError, cursor_page, decode_cursor
from migrate.simulator.seed import add_expenses

CURSOR = re.compile(r"^[A-Z2-7=~]+$")


def listed_by_default(expense: Any) -> bool:
    """Legacy GET /expenses leaves out authorisations unless transactionStates is sent."""
    return expense.card is None or expense.card.state not in (
        "AUTHORIZATION", "AUTHORIZATION_REVERSAL")


def walk_legacy(client: Any, path: str, key: str, size: int, on_page: Any = None) -> list[str]:
    ids: list[str] = []
    offset: int | None = 0
    while offset is not None:
        body = client.get(path, params={"pageOffset": offset, "pageSize": size}).json()
        info = body["metadata"]["pageInfo"]
        assert info["pageSize"] == size
        assert len(body[key]) <= size
        ids.extend(r["id"] for r in body[key])
        offset = info["nextPageOffset"]
        if offset is not None:
            assert offset == len(ids)
        if on_page:
            on_page()
    return ids


def walk_new(client: Any, method: str, path: str, limit: int, body: Any = None,
             on_page: Any = None, extra: dict[str, Any] | None = None) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        params = {"limit": limit, **(extra or {})}
        if after:
            params["after"] = after
        page = client.request(method, path, params=params, json=body).json()
        pagination = page["pagination"]
        ids.extend(r["id"] for r in page["data"])
        assert pagination["hasPreviousPage"] == (after is not None)
        if page["data"]:
            assert CURSOR.match(pagination["endCursor"]) and CURSOR.match(
                pagination["startCursor"])
        if on_page:
            on_page()
        if not pagination["hasNextPage"]:
            return ids
        after = pagination["endCursor"]


@pytest.mark.parametrize("size", [7, 100, 999, 1000, 100000])
def test_legacy_expense_pages(clients: Any, fresh: Simulator, size: int) -> None:
    old, _ = clients
    expected = [e.id for e in fresh.store.expenses.rows([fresh.company_id])
                if listed_by_default(e)]
    assert walk_legacy(old, "/v1/expenses", "expenses", size) == expected


def test_page_size_one_over_a_month(clients: Any, fresh: Simulator) -> None:
    old, new = clients
    march = {"dateFrom": "2025-03-01", "dateTo": "2025-03-31"}
    everything = old.get("/v1/expenses", params={**march, "pageSize": 1000}).json()["expenses"]
    assert 50 < len(everything) < 200
    ids, offset = [], 0
    while offset is not None:
        body = old.get("/v1/expenses", params={**march, "pageOffset": offset,
                                               "pageSize": 1}).json()
        ids.extend(e["id"] for e in body["expenses"])
        offset = body["metadata"]["pageInfo"]["nextPageOffset"]
    assert ids == [e["id"] for e in everything]
    window = {"includeDeleted": True, "performedAtStart": "2025-03-01T00:00:00Z",
              "performedAtEnd": "2025-04-01T00:00:00Z"}
    listed = [i for i in walk_new(new, "POST", "/v1/accounting-entries:search", 1, body=window)
              if listed_by_default(fresh.store.expenses.get(i))]
    assert listed == ids


@pytest.mark.parametrize(("path", "key"), [("/v1/employees", "employees"),
                                           ("/v1/accounts", "accounts"),
                                           ("/v1/account-categories", "accountGroups"),
                                           ("/v1/account-groups", "accountGroups")])
@pytest.mark.parametrize("size", [1, 4, 1000])
def test_legacy_other_pages(clients: Any, path: str, key: str, size: int) -> None:
    old, _ = clients
    everything = old.get(path, params={"pageSize": 1000}).json()[key]
    assert walk_legacy(old, path, key, size) == [r["id"] for r in everything]


@pytest.mark.parametrize("size", [1, 2, 25, 1000])
def test_legacy_teams_pages_without_metadata(clients: Any, fresh: Simulator, size: int) -> None:
    """GET /teams pages by pageOffset/pageSize (default 25) but answers no metadata: a client
    pages until a short page comes back."""
    old, _ = clients
    expected = [t.id for t in fresh.store.teams.rows([fresh.company_id])]
    ids: list[str] = []
    offset = 0
    while True:
        body = old.get("/v1/teams", params={"pageOffset": offset, "pageSize": size}).json()
        assert set(body) == {"teams"}
        ids.extend(t["id"] for t in body["teams"])
        if len(body["teams"]) < size:
            break
        offset += size
    assert ids == expected
    assert [t["id"] for t in old.get("/v1/teams").json()["teams"]] == expected[:25]


@pytest.mark.parametrize("limit", [13, 100])
def test_accounting_entry_pages(clients: Any, fresh: Simulator, limit: int) -> None:
    _, new = clients
    expected = [e.id for e in fresh.store.expenses.rows([fresh.company_id])
                if e.deleted_at is None]
    ids = walk_new(new, "POST", "/v1/accounting-entries:search", limit,
                   body={"includeDeleted": False})
    assert ids == expected


@pytest.mark.parametrize("order", ["ASC", "DESC", "DESC_NULLS_LAST", "ASC_NULLS_FIRST"])
def test_sorted_accounting_entry_pages(clients: Any, fresh: Simulator, order: str) -> None:
    _, new = clients
    ids = walk_new(new, "POST", "/v1/accounting-entries:search", 100,
                   body={"includeDeleted": True},
                   extra={"sorting_keys": "settledAt", "sorting_order": order})
    rows = {e.id: e for e in fresh.store.expenses.rows([fresh.company_id])}
    assert sorted(ids) == sorted(rows)
    values = [rows[i].settled_at for i in ids]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=order.startswith("DESC"))
    nulls_first = order.endswith("NULLS_FIRST") or order == "DESC"
    first_null = values.index(None)
    assert (first_null == 0) == nulls_first


@pytest.mark.parametrize("limit", [1, 9, 1000])
def test_employee_and_tag_pages(clients: Any, fresh: Simulator, limit: int) -> None:
    _, new = clients
    employees = walk_new(new, "GET", "/v2/employees", limit)
    assert employees == [e.id for e in fresh.store.employees.rows([fresh.company_id])]
    tags = walk_new(new, "POST", "/v0/tags:search", limit, body={"includeArchived": True})
    assert tags == [t.id for t in fresh.store.tags.rows([fresh.company_id])]


def test_backwards_with_before(clients: Any, fresh: Simulator) -> None:
    _, new = clients
    first = new.get("/v2/employees", params={"limit": 1000}).json()
    last_cursor = first["pagination"]["endCursor"]
    ids: list[str] = []
    before = last_cursor
    while True:
        page = new.get("/v2/employees", params={"limit": 4, "before": before}).json()
        ids[:0] = [r["id"] for r in page["data"]]
        if not page["pagination"]["hasPreviousPage"]:
            break
        before = page["pagination"]["startCursor"]
    assert ids == [r["id"] for r in first["data"]][:-1]


def test_offset_paging(clients: Any) -> None:
    _, new = clients
    everything = [r["id"] for r in new.get("/v2/employees", params={"limit": 1000}).json()["data"]]
    page = new.get("/v2/employees", params={"limit": 5, "offset": 10}).json()
    assert [r["id"] for r in page["data"]] == everything[10:15]
    assert page["pagination"]["currentRequestPagination"]["offset"] == 10


def test_walks_stay_exact_while_records_are_added(clients: Any, fresh: Simulator) -> None:
    old, new = clients
    store = fresh.store
    company = store.first_company()
    before = [e.id for e in store.expenses.rows([company.id]) if listed_by_default(e)]

    def add() -> None:
        add_expenses(store, 3, seed=len(store.expenses), company_id=company.id)

    legacy_ids = walk_legacy(old, "/v1/expenses", "expenses", 97, on_page=add)
    assert legacy_ids[:len(before)] == before
    assert len(set(legacy_ids)) == len(legacy_ids)

    before_new = [e.id for e in store.expenses.rows([company.id]) if e.deleted_at is None]
    new_ids = walk_new(new, "POST", "/v1/accounting-entries:search", 50,
                       body={"includeDeleted": False}, on_page=add)
    assert new_ids[:len(before_new)] == before_new
    assert len(set(new_ids)) == len(new_ids)

    employees_before = [r["id"] for r in new.get("/v2/employees",
                                                   params={"limit": 1000}).json()["data"]]
    counter = iter(range(1000))

    def add_employee() -> None:
        n = next(counter)
        assert old.post("/v1/employees", json={"email": f"added{n}@nordlys.dk"}).status_code == 200

    walked = walk_new(new, "GET", "/v2/employees", 3, on_page=add_employee)
    assert walked[:len(employees_before)] == employees_before
    assert len(set(walked)) == len(walked)


@pytest.mark.parametrize(("params", "body"), [
    ({"limit": 0}, {"includeDeleted": False}),
    ({"limit": 101}, {"includeDeleted": False}),
    ({"limit": "x"}, {"includeDeleted": False}),
    ({"after": "not-base32"}, {"includeDeleted": False}),
    ({"after": "MFRGG==="}, {"includeDeleted": False}),
    ({"sorting_keys": "amount"}, {"includeDeleted": False}),
    ({"sorting_keys": "id", "sorting_order": ["ASC", "DESC"]}, {"includeDeleted": False}),
    ({}, {"includeDeleted": "yes"}),
    ({}, {"performedAtStart": "2025-01-01T00:00:00Z", "settledAtEnd": "2025-02-01T00:00:00Z",
          "includeDeleted": False}),
])
def test_bad_paging_is_400(clients: Any, params: dict[str, Any], body: Any) -> None:
    _, new = clients
    response = new.post("/v1/accounting-entries:search", params=params, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == "VALIDATION_FAILED"


def test_before_and_offset_together_is_400(clients: Any) -> None:
    _, new = clients
    response = new.get("/v2/employees", params={"offset": 1, "before": "GE======"})
    assert response.status_code == 400


def test_cursor_round_trip_and_errors() -> None:
    rows = [type("Row", (), {"seq": n})() for n in range(1, 11)]
    page = cursor_page(rows, lambda r: (r.seq,), CursorRequest(limit=3))
    assert [r.seq for r in page.items] == [1, 2, 3] and page.has_next and not page.has_previous
    assert decode_cursor(page.end_cursor or "") == (3,)
    following = cursor_page(rows, lambda r: (r.seq,),
                            CursorRequest(after=page.end_cursor, limit=3))
    assert [r.seq for r in following.items] == [4, 5, 6] and following.has_previous
    with pytest.raises(PagingError):
        CursorRequest(after="A", before="B")
    with pytest.raises(PagingError):
        decode_cursor("@@@")
