"""Seeded data: deterministic, realistic, multi-entity, and fast at every scale."""

from __future__ import annotations

import warnings

import pytest

from migrate.simulator import SimulatorConfig, Store, build_simulator
from migrate.simulator.testing import basic, bearer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
from migrate.simulator.money import iso_millis, iso_seconds, major, minors_from_major
from migrate.simulator.seed import add_expenses, seed_store


def _fingerprint(store: Store) -> list[tuple[str, int, str]]:
    return [(e.id, e.original, e.original_currency) for e in store.expenses.rows()]


def test_same_seed_same_data_other_seed_other_data() -> None:
    first, second, other = Store(), Store(), Store()
    seed_store(first, seed=7)
    seed_store(second, seed=7)
    seed_store(other, seed=8)
    assert _fingerprint(first) == _fingerprint(second)
    assert [e.email for e in first.employees.rows()] == [e.email for e in second.employees.rows()]
    assert _fingerprint(first) != _fingerprint(other)


def test_default_volume_and_shape() -> None:
    store = Store()
    summary = seed_store(store)
    assert (summary.companies, summary.employees, summary.expenses) == (2, 50, 2000)
    companies = store.companies.rows()
    assert {c.organization_id for c in companies} == {store.organization.id}
    assert {c.currency for c in companies} == {"DKK", "GBP"}
    expenses = store.expenses.rows()
    assert {"DKK", "EUR", "GBP", "SEK", "JPY", "ISK"} <= {e.original_currency for e in expenses}
    # All twelve legacy types of the spec; the five newer ones once per company.
    assert {e.type for e in expenses} == {"CARD", "PERSONAL_TRANSFER", "BILL_INVOICE", "LOAD",
                                         "PLEO_INVOICE", "MANUAL", "MANUAL_TRANSFER",
                                         "BILL_INVOICE_PAYMENT", "EMPLOYEE_BANK_TRANSFER",
                                         "CASHBACK", "OVERDRAFT_FEE", "OVERDRAFT_INTEREST"}
    for newer in ("CASHBACK", "OVERDRAFT_FEE", "EMPLOYEE_BANK_TRANSFER"):
        assert sorted(e.company_id for e in expenses if e.type == newer) == sorted(
            c.id for c in companies)
    assert sum(1 for e in expenses if e.lines) > 200
    assert sum(1 for e in expenses if e.receipt_ids) > 1000
    assert sum(1 for e in expenses if e.tags) > 1000
    for expense in expenses:
        if expense.lines:
            assert sum(x.settled for x in expense.lines) == expense.settled
            assert sum(x.original for x in expense.lines) == expense.original
    assert [e.performed_at for e in expenses] == sorted(e.performed_at for e in expenses)
    for company in companies:
        assert store.tag_groups.rows([company.id]) and store.tax_codes.rows([company.id])
        assert store.accounts.rows([company.id]) and store.account_categories.rows([company.id])
        assert store.teams.rows([company.id])
    assert all(g.code for g in store.tag_groups.rows())
    assert any(not (e.first_name or "").isascii() for e in store.employees.rows())


def test_scale_multiplies_volume() -> None:
    store = Store()
    summary = seed_store(store, scale=5)
    assert (summary.employees, summary.expenses) == (250, 10000)
    assert len({e.email for e in store.employees.rows()}) == 250
    with pytest.raises(ValueError):
        seed_store(Store(), scale=0)


@pytest.mark.slow
def test_one_hundred_thousand_expenses() -> None:
    # How fast this seeds and pages is measured in bench/, not asserted here.
    sim = build_simulator(SimulatorConfig(scale=50))
    assert sim.seeded.expenses == 100_000
    with TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)) as old, \
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)) as new:
        deep = old.get("/v1/expenses", params={"pageOffset": 50_000, "pageSize": 1000}).json()
        assert len(deep["expenses"]) == 1000
        page = new.post("/v1/accounting-entries:search", params={"limit": 100},
                        json={"includeDeleted": False}).json()
        following = new.post("/v1/accounting-entries:search",
                             params={"limit": 100, "after": page["pagination"]["endCursor"]},
                             json={"includeDeleted": False}).json()
        assert len(following["data"]) == 100


def test_added_expenses_are_counted_and_appended() -> None:
    store = Store()
    seed_store(store)
    company = store.first_company().id
    ids = add_expenses(store, 5, seed=3, company_id=company)
    assert [e.id for e in store.expenses.rows([company])][-5:] == ids
    used = next(t for i in ids for t in store.expenses.get(i).tags) if any(
        store.expenses.get(i).tags for i in ids) else None
    if used is not None:
        assert store.tag_usage[used.tag_id] >= 1


@pytest.mark.parametrize(("minors", "currency", "value"), [
    (1234, "DKK", 12.34), (1500, "JPY", 1500), (1500, "ISK", 1500), (12345, "KWD", 12.345),
    (100, "EUR", 1.0), (0, "SEK", 0.0),
])
def test_money_in_major_units(minors: int, currency: str, value: float) -> None:
    assert major(minors, currency) == value
    assert minors_from_major(value, currency) == minors


def test_timestamps() -> None:
    ms = 1709288130123
    assert iso_millis(ms) == "2024-03-01T10:15:30.123Z"
    assert iso_seconds(ms) == "2024-03-01T10:15:30Z"
