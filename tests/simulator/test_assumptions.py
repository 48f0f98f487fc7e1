"""The simulator's assumptions: one table, and each flippable belief changes what it should."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from migrate.simulator import (
    INVENTED,
    SWITCHES,
    AssumptionError,
    Assumptions,
    Simulator,
    SimulatorConfig,
    build_simulator,
)
from migrate.simulator.assumptions import (
    LEGACY_UNDOCUMENTED_STATUSES,
    LEGACY_WWW_AUTHENTICATE,
    NEW_WWW_AUTHENTICATE,
)
from migrate.simulator.testing import basic, bearer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def _sim(*flips: str) -> Simulator:
    return build_simulator(SimulatorConfig(assumptions=Assumptions.parse(flips)))


@pytest.fixture
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any, Simulator]]:
    sim = _sim(*request.param)
    with TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)) as old, \
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)) as new:
        yield old, new, sim


def _default_pair() -> tuple[Any, Any]:
    sim = _sim()
    return (TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)),
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)))


def test_defaults_are_the_switch_defaults() -> None:
    values = Assumptions().values
    assert dict(values) == {s.name: s.default for s in SWITCHES}
    assert Assumptions().describe() == "defaults"
    assert {s.name for s in SWITCHES} >= {"legacy-money-units", "legacy-tax-rate-unit",
                                          "account-ids", "legacy-list-defaults"}
    for switch in SWITCHES:
        assert switch.default in switch.choices and len(switch.choices) == 2
        assert switch.says and switch.evidence


@pytest.mark.parametrize(("item", "words"), [
    ("legacy-money-units=cents", ["legacy-money-units", "major, minor"]),
    ("money=minor", ["unknown assumption", "legacy-tax-rate-unit=percent|fraction"]),
    ("account-ids", ["unknown assumption", "account-ids=same|different"]),
])
def test_unknown_names_and_values_list_what_is_valid(item: str, words: list[str]) -> None:
    with pytest.raises(AssumptionError) as caught:
        Assumptions.parse([item])
    for word in words:
        assert word in str(caught.value)


def test_the_invented_table_gives_a_reason_for_every_item() -> None:
    assert len({i.item for i in INVENTED}) == len(INVENTED)
    for item in INVENTED:
        assert item.api in ("legacy", "new", "both")
        assert item.what and len(item.reason) > 20
    listed = " ".join(i.what for i in INVENTED)
    for status in LEGACY_UNDOCUMENTED_STATUSES:
        assert str(status) in listed
    assert LEGACY_WWW_AUTHENTICATE in listed and NEW_WWW_AUTHENTICATE in listed


def test_the_apps_send_the_tabled_header_values() -> None:
    old, new = _default_pair()
    assert old.get("/v1/employees", headers={"Authorization": ""}).headers[
        "WWW-Authenticate"] == LEGACY_WWW_AUTHENTICATE
    assert new.get("/v2/employees", headers={"Authorization": ""}).headers[
        "WWW-Authenticate"] == NEW_WWW_AUTHENTICATE


def _first_expense(old: Any, currency: str) -> dict[str, Any]:
    expenses = old.get("/v1/expenses", params={"pageSize": 500}).json()["expenses"]
    return next(e for e in expenses if e["amountOriginal"]["currency"] == currency)


@pytest.mark.parametrize("pair", [["legacy-money-units=minor"]], indirect=True)
def test_minor_money_units(pair: tuple[Any, Any, Simulator], legacy_validator: Any) -> None:
    old, new, _ = pair
    base_old, _ = _default_pair()
    flipped, usual = _first_expense(old, "DKK"), _first_expense(base_old, "DKK")
    assert flipped["id"] == usual["id"]
    entry = new.get(f"/v1/accounting-entries/{flipped['id']}").json()["data"]
    assert flipped["amountOriginal"]["value"] == entry["transactionValue"]["minors"]
    assert usual["amountOriginal"]["value"] == entry["transactionValue"]["minors"] / 100
    balance = old.get("/v1/companies/balance").json()
    assert balance["current"] == 184_250_075
    legacy_validator("GET", "/expenses/{expenseId}", 200, flipped)
    legacy_validator("GET", "/companies/balance", 200, balance)


@pytest.mark.parametrize("pair", [["legacy-tax-rate-unit=fraction"]], indirect=True)
def test_fraction_tax_rates(pair: tuple[Any, Any, Simulator]) -> None:
    old, new, sim = pair
    legacy = {t["code"]: t["rate"] for t in old.get("/v1/tax-codes").json()["taxCodes"]}
    assert legacy["VAT25"] == 0.25
    body = {"companyId": sim.company_id}
    assert {t["code"]: t["rate"] for t in new.post(
        "/v0/tax-codes:search", params=body, json={}).json()["data"]}["VAT25"] == 0.25
    base_old, _ = _default_pair()
    assert {t["code"]: t["rate"] for t in base_old.get(
        "/v1/tax-codes").json()["taxCodes"]}["VAT25"] == 25.0


@pytest.mark.parametrize("pair", [["account-ids=different"]], indirect=True)
def test_distinct_account_ids(pair: tuple[Any, Any, Simulator], legacy_validator: Any) -> None:
    old, new, sim = pair
    stored = sim.store.accounts.rows([sim.company_id])[0]
    accounts = old.get("/v1/accounts").json()["accounts"]
    legacy = next(a for a in accounts if a["name"] == stored.name)
    assert legacy["id"] != stored.id
    assert new.get(f"/v1/chart-of-accounts/{stored.id}").status_code == 200
    assert old.get(f"/v1/accounts/{legacy['id']}").json() == legacy
    assert old.get(f"/v1/accounts/{stored.id}").status_code == 404
    assert not {a["id"] for a in accounts} & {a.id for a in sim.store.accounts.rows()}
    booked = next(e for e in sim.store.expenses.rows([sim.company_id])
                  if e.account_id == stored.id and not e.lines and e.card is None)
    expense = old.get(f"/v1/expenses/{booked.id}").json()
    assert expense["accountId"] == legacy["id"]
    filtered = old.get("/v1/expenses", params={"accountId": legacy["id"], "pageSize": 5000})
    assert booked.id in {e["id"] for e in filtered.json()["expenses"]}
    updated = old.put(f"/v1/accounts/{legacy['id']}", json={"name": "Renamed"}).json()
    assert updated["id"] == legacy["id"] and updated["name"] == "Renamed"
    legacy_validator("GET", "/accounts/{accountId}", 200, updated)


@pytest.mark.parametrize("pair", [["legacy-list-defaults=all"]], indirect=True)
def test_lists_without_defaults(pair: tuple[Any, Any, Simulator]) -> None:
    old, _, sim = pair
    base_old, _ = _default_pair()
    groups = old.get("/v1/tag-groups").json()
    assert any(g["archived"] for g in groups)
    assert not any(g["archived"] for g in base_old.get("/v1/tag-groups").json())
    assert len(groups) == len(sim.store.tag_groups.rows([sim.company_id]))
    with_hidden = next(g for g in sim.store.tag_groups.rows([sim.company_id])
                       if any(t.archived for t in sim.store.tags.rows([sim.company_id])
                              if t.group_id == g.id and not g.archived))
    tags = old.get(f"/v1/tag-groups/{with_hidden.id}/tags").json()
    assert any(t["hidden"] for t in tags)
    assert not any(t["hidden"] for t in base_old.get(
        f"/v1/tag-groups/{with_hidden.id}/tags").json())
    taxes = old.get("/v1/tax-codes").json()["taxCodes"]
    assert any(not t["enabled"] for t in taxes)
    assert all(t["enabled"] for t in base_old.get("/v1/tax-codes").json()["taxCodes"])
    # An explicit flag still filters, whatever the default.
    assert all(g["archived"] for g in old.get("/v1/tag-groups",
                                              params={"archived": "true"}).json())


@pytest.mark.parametrize("pair", [["legacy-authorisations=included"]], indirect=True)
def test_authorisations_listed(pair: tuple[Any, Any, Simulator]) -> None:
    old, _, sim = pair
    base_old, _ = _default_pair()
    states = {e["cardTransaction"]["state"] for e in old.get(
        "/v1/expenses", params={"pageSize": 5000}).json()["expenses"] if e["cardTransaction"]}
    assert "AUTHORIZATION" in states
    usual = {e["cardTransaction"]["state"] for e in base_old.get(
        "/v1/expenses", params={"pageSize": 5000}).json()["expenses"] if e["cardTransaction"]}
    assert "AUTHORIZATION" not in usual and "PRESENTMENT" in usual
    total = old.get("/v1/expenses").json()["metadata"]["pageInfo"]["totalCount"]
    assert total == len(sim.store.expenses.rows([sim.company_id]))


def test_flips_leave_the_new_api_alone() -> None:
    flips = [f"{s.name}={next(c for c in s.choices if c != s.default)}" for s in SWITCHES]
    flipped = _sim(*flips)
    assert flipped.config.assumptions.flipped() == dict(f.split("=") for f in flips)
    with TestClient(flipped.new_app, headers=basic(flipped.startup.api_key.secret)) as new:
        _, usual = _default_pair()
        body = {"includeDeleted": True}
        assert new.post("/v1/accounting-entries:search", params={"limit": 50},
                        json=body).json()["data"] == usual.post(
            "/v1/accounting-entries:search", params={"limit": 50}, json=body).json()["data"]
