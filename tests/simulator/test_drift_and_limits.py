"""Drift profiles (noise, lag, defects data) and the per-credential rate limit."""

from __future__ import annotations

import time
import warnings
from typing import Any

import pytest

from migrate.simulator import (
    DEFECT_RULES,
    NOISE_FIELDS,
    DriftConfig,
    RateLimit,
    SimulatorConfig,
    build_simulator,
)
from migrate.simulator.testing import basic, bearer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def _clients(config: SimulatorConfig) -> tuple[Any, Any, Any]:
    sim = build_simulator(config)
    return (sim, TestClient(sim.legacy_app, headers=bearer(sim.startup.legacy_token.secret)),
            TestClient(sim.new_app, headers=basic(sim.startup.api_key.secret)))


def test_parse_profiles() -> None:
    assert DriftConfig.parse("none").describe() == "none"
    both = DriftConfig.parse("lag, noise", lag_seconds=2)
    assert both.noise and both.lag == 2 and not both.defects
    assert DriftConfig.parse("noise").lag == 0
    with pytest.raises(ValueError, match="unknown drift profile"):
        DriftConfig.parse("chaos")


def test_without_noise_answers_repeat_exactly() -> None:
    _, old, new = _clients(SimulatorConfig())
    assert old.get("/v1/expenses").content == old.get("/v1/expenses").content
    assert "X-Request-Id" not in new.get("/v2/employees").headers


def test_noise_varies_the_documented_fields_only() -> None:
    _, old, new = _clients(SimulatorConfig(drift=DriftConfig.parse("noise")))
    first, second = old.get("/v1/expenses").json(), old.get("/v1/expenses").json()
    assert first["metadata"]["requestId"] != second["metadata"]["requestId"]
    assert first["expenses"] == second["expenses"]
    with_receipt = next(e for e in first["expenses"] if e["receiptIds"])
    path = f"/v1/expenses/{with_receipt['id']}/receipts"
    urls = [old.get(path).json()[0]["url"] for _ in range(2)]
    assert urls[0] != urls[1] and urls[0].split("?")[0] == urls[1].split("?")[0]
    headers = [new.get("/v2/employees").headers["X-Request-Id"] for _ in range(2)]
    assert headers[0] != headers[1]
    assert {side for side, _ in NOISE_FIELDS} == {"legacy", "new", "both"}


def test_lag_delays_changes_on_the_new_api_only() -> None:
    _, old, new = _clients(SimulatorConfig(drift=DriftConfig.parse("lag", lag_seconds=0.6)))
    created = old.post("/v1/employees", json={"email": "late@nordlys.dk"}).json()["id"]
    assert old.get(f"/v1/employees/{created}").status_code == 200
    assert new.get(f"/v2/employees/{created}").status_code == 404
    entry = new.post("/v1/accounting-entries:search", params={"limit": 1},
                     json={"includeDeleted": False, "exportStatus": ["NOT_EXPORTED"]}
                     ).json()["data"][0]
    old.put("/v1/expenses", json={"expenseIds": [entry["id"]], "status": "EXPORTED"})
    lagging = new.get(f"/v1/accounting-entries/{entry['id']}").json()["data"]
    assert lagging["exportStatus"] == "NOT_EXPORTED"
    time.sleep(0.7)
    assert new.get(f"/v2/employees/{created}").status_code == 200
    assert new.get(f"/v1/accounting-entries/{entry['id']}").json()["data"][
        "exportStatus"] == "EXPORTED"


def test_lag_shows_deleted_records_until_the_lag_passes() -> None:
    sim, old, new = _clients(SimulatorConfig(drift=DriftConfig.parse("lag", lag_seconds=0.5)))
    employee = sim.store.employees.rows([sim.company_id])[3]
    before = [e["id"] for e in new.get("/v2/employees", params={"limit": 1000}).json()["data"]]
    old.delete(f"/v1/employees/{employee.id}")
    during = [e["id"] for e in new.get("/v2/employees", params={"limit": 1000}).json()["data"]]
    assert during == before
    time.sleep(0.6)
    after = [e["id"] for e in new.get("/v2/employees", params={"limit": 1000}).json()["data"]]
    assert after == [i for i in before if i != employee.id]


def test_defect_rules_are_documented_data() -> None:
    assert [r.field for r in DEFECT_RULES] == [
        "amountOriginal", None, "firstName", "type", "tagIds", "note"]
    sim = build_simulator(SimulatorConfig(drift=DriftConfig.parse("defects")))
    again = build_simulator(SimulatorConfig(drift=DriftConfig.parse("defects")))
    assert sim.defects == again.defects
    assert len({d.record_id for d in sim.defects}) == len(DEFECT_RULES)
    assert {d.operation for d in sim.defects} == {
        "expenses.list", "expenses.get", "employees.list", "employees.get"}
    assert build_simulator(SimulatorConfig()).defects == ()


@pytest.mark.parametrize("api", ["legacy", "new"])
def test_rate_limit_answers_429_with_retry_after(api: str) -> None:
    _, old, new = _clients(SimulatorConfig(rate_limit=RateLimit(capacity=3, per_second=0.5)))
    client, path = (old, "/v1/employees") if api == "legacy" else (new, "/v2/employees")
    statuses = [client.get(path).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(path)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    body = limited.json()
    if api == "legacy":
        assert body["error"] == "Too Many Requests" and body["statusCode"] == 429
        assert body["message"] == "rate_limit_exceeded"
    else:
        assert body["type"] == "TOO_MANY_REQUESTS"


def test_rate_limit_is_per_credential() -> None:
    sim, _, new = _clients(SimulatorConfig(rate_limit=RateLimit(capacity=1, per_second=0.1)))
    assert new.get("/v2/employees").status_code == 200
    assert new.get("/v2/employees").status_code == 429
    other = sim.mint("api_key").secret
    assert new.get("/v2/employees", headers=basic(other)).status_code == 200
