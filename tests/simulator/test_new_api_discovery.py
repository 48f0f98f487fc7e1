"""Company discovery through Installations, and accounting-entry receipts, with their scopes."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from migrate.simulator.testing import SimulatorHandle, basic, bearer


def _get(sim: SimulatorHandle, key: str, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(f"{sim.new_base_url}{path}", headers=basic(key), timeout=10, **kwargs)


def test_installation_names_the_company_of_the_key(
    simulator: SimulatorHandle, response_validator: Any
) -> None:
    # No scope is documented for it: a key with none at all still learns its company.
    bare = simulator.mint("api_key", scopes=[])
    answer = _get(simulator, bare, "/v1/installations/me")
    assert answer.status_code == 200
    body = answer.json()
    response_validator("GET", "/v1/installations/me", 200, body)
    assert body["resource"] == f"urn:pleo:company:{simulator.company_id}"
    assert body["status"] == "ACTIVATED"
    assert _get(simulator, bare, "/v1/installations/me").json() == body  # stable

    other = _get(simulator, simulator.mint("api_key", company_id=simulator.other_company_id),
                 "/v1/installations/me").json()
    assert other["resource"] == f"urn:pleo:company:{simulator.other_company_id}"
    assert other["id"] != body["id"]
    refused = _get(simulator, bare, "/v1/installations/me",
                   params={"company_id": simulator.other_company_id})
    assert refused.status_code == 403


def test_installation_of_an_organisation_key(simulator: SimulatorHandle) -> None:
    org = simulator.org_api_key
    whole = _get(simulator, org, "/v1/installations/me").json()
    assert whole["resource"] == f"urn:pleo:organization:{simulator.organization_id}"
    one = _get(simulator, org, "/v1/installations/me",
               params={"company_id": simulator.other_company_id}).json()
    assert one["resource"] == f"urn:pleo:company:{simulator.other_company_id}"
    stranger = _get(simulator, org, "/v1/installations/me",
                    params={"company_id": str(uuid.uuid4())})
    assert stranger.status_code == 403


def test_installation_refuses_legacy_tokens(simulator: SimulatorHandle) -> None:
    answer = httpx.get(f"{simulator.new_base_url}/v1/installations/me",
                       headers=bearer(simulator.legacy_token), timeout=10)
    assert answer.status_code == 401


def test_receipts_need_accounting_entries_read(simulator: SimulatorHandle) -> None:
    entry = next(e for e in simulator.store.expenses.rows([simulator.company_id])
                 if e.receipt_ids)
    path = f"/v1/accounting-entries/{entry.id}/receipts"
    without = simulator.mint("api_key", scopes=["users:read"])
    assert _get(simulator, without, path).status_code == 403
    assert _get(simulator, without, f"{path}/{entry.receipt_ids[0]}").status_code == 403
    searched = httpx.post(f"{simulator.new_base_url}/v1/accounting-entries/receipts:search",
                          headers=basic(without), json={"includeDeleted": False}, timeout=10)
    assert searched.status_code == 403
    reader = simulator.mint("api_key", scopes=["accounting-entries:read"])
    listed = _get(simulator, reader, path).json()["data"]
    assert [r["id"] for r in listed] == list(entry.receipt_ids)
    stored = simulator.store.receipts.get(entry.receipt_ids[0])
    assert stored is not None and listed[0]["sizeInBytes"] == stored.size  # bytes, not KB
    foreign = next(r for r in simulator.store.receipts.rows([simulator.company_id])
                   if r.expense_id != entry.id)
    assert _get(simulator, reader, f"{path}/{foreign.id}").status_code == 404
    other = next(e for e in simulator.store.expenses.rows([simulator.other_company_id])
                 if e.receipt_ids)
    assert _get(simulator, reader,
                f"/v1/accounting-entries/{other.id}/receipts").status_code == 403
