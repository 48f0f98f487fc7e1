"""Pleo's auth rules, each with its status and each API's own error body, over real HTTP."""

from __future__ import annotations

import base64
import re

import httpx
import pytest

from migrate.simulator.testing import SimulatorHandle, basic, bearer


def legacy(sim: SimulatorHandle, headers: dict[str, str], path: str = "/employees",
           **kwargs: object) -> httpx.Response:
    return httpx.get(f"{sim.legacy_base_url}{path}", headers=headers, timeout=10, **kwargs)  # type: ignore[arg-type]


def new(sim: SimulatorHandle, headers: dict[str, str], path: str = "/v2/employees",
        **kwargs: object) -> httpx.Response:
    return httpx.get(f"{sim.new_base_url}{path}", headers=headers, timeout=10, **kwargs)  # type: ignore[arg-type]


def assert_legacy_error(response: httpx.Response, status: int, *words: str) -> None:
    """The legacy body: the reason phrase in `error`, a snake_case code in `message` (the
    spec's one example); the sentence for people is the simulator's own detail header."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "statusCode"}
    assert body["statusCode"] == status
    assert body["error"] == {401: "Unauthorized", 403: "Forbidden", 400: "Bad Request"}[status]
    assert re.fullmatch(r"[a-z_]+", body["message"]), body["message"]
    for word in words:
        assert word in response.headers["X-Simulator-Detail"]


def assert_new_error(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"type", "message"}
    assert body["type"] == {401: "UNAUTHORIZED", 403: "FORBIDDEN", 400: "VALIDATION_FAILED"}[
        status]
    for word in words:
        assert word in body["message"]
    assert response.headers["content-type"] == "application/json;charset=UTF-8"


def test_the_startup_credentials_work(simulator: SimulatorHandle) -> None:
    assert legacy(simulator, simulator.legacy_headers).status_code == 200
    assert new(simulator, simulator.new_headers).status_code == 200
    assert new(simulator, bearer(simulator.oauth_token)).status_code == 200


@pytest.mark.parametrize("kind", ["api_key", "oauth"])
def test_legacy_refuses_new_api_credentials(simulator: SimulatorHandle, kind: str) -> None:
    secret = simulator.api_key if kind == "api_key" else simulator.oauth_token
    for headers in (basic(secret), bearer(secret)):
        response = legacy(simulator, headers)
        assert_legacy_error(response, 401, "cannot call the legacy API")
        assert "WWW-Authenticate" in response.headers


def test_new_api_refuses_legacy_tokens(simulator: SimulatorHandle) -> None:
    for headers in (bearer(simulator.legacy_token), basic(simulator.legacy_token)):
        response = new(simulator, headers)
        assert_new_error(response, 401, "Legacy API tokens cannot call this API")
        assert "WWW-Authenticate" in response.headers


def test_new_api_keys_must_use_basic_and_oauth_bearer(simulator: SimulatorHandle) -> None:
    assert_new_error(new(simulator, bearer(simulator.api_key)), 401, "Basic")
    assert_new_error(new(simulator, basic(simulator.oauth_token)), 401, "Bearer")


@pytest.mark.parametrize("headers", [
    pytest.param({}, id="missing"),
    pytest.param({"Authorization": "Token abc"}, id="unknown-scheme"),
    pytest.param({"Authorization": "Basic !!!"}, id="bad-base64"),
    pytest.param({"Authorization": "Bearer sim_key_production_doesnotexist"}, id="unknown"),
    pytest.param({"Authorization": "Bearer something-random"}, id="garbage"),
])
def test_missing_or_malformed_credentials(simulator: SimulatorHandle,
                                          headers: dict[str, str]) -> None:
    assert_legacy_error(legacy(simulator, headers), 401)
    assert_new_error(new(simulator, headers), 401)


def test_basic_with_a_password_is_refused(simulator: SimulatorHandle) -> None:
    raw = base64.b64encode(f"{simulator.api_key}:secret".encode()).decode()
    assert_new_error(new(simulator, {"Authorization": f"Basic {raw}"}), 401, "empty password")


def test_credentials_of_another_environment(simulator: SimulatorHandle) -> None:
    assert simulator.environment == "production"
    staging_key = simulator.mint("api_key", environment="staging")
    staging_oauth = simulator.mint("oauth", environment="staging")
    staging_token = simulator.mint("legacy", environment="staging")
    assert staging_key.startswith("sim_key_staging_")
    assert_new_error(new(simulator, basic(staging_key)), 401, "another environment", "staging")
    assert_new_error(new(simulator, bearer(staging_oauth)), 401, "another environment")
    assert_legacy_error(legacy(simulator, bearer(staging_token)), 401, "another environment")


def test_missing_scope_is_403_naming_it(simulator: SimulatorHandle) -> None:
    key = simulator.mint("api_key", scopes=["accounts:read"])
    assert_new_error(new(simulator, basic(key)), 403, "users:read")
    token = simulator.mint("oauth", scopes=["users:read"])
    assert new(simulator, bearer(token)).status_code == 200
    response = httpx.post(f"{simulator.new_base_url}/v0/tax-codes:search", headers=bearer(token),
                          json={}, timeout=10)
    assert_new_error(response, 403, "tax-codes:read")


def test_company_of_another_company_is_403(simulator: SimulatorHandle) -> None:
    other = simulator.other_company_id
    assert_new_error(new(simulator, simulator.new_headers, params={"companyId": other}), 403,
                     other)
    response = httpx.post(f"{simulator.new_base_url}/v0/tax-codes:search",
                          params={"company_id": other}, headers=simulator.new_headers, json={},
                          timeout=10)
    assert_new_error(response, 403)
    response = httpx.post(f"{simulator.new_base_url}/v1/chart-of-accounts:search",
                          headers=simulator.new_headers, timeout=10,
                          json={"companyId": other, "excludeIfAssignedToCategory": False,
                                "excludeIfAssignedToContraAccount": False})
    assert_new_error(response, 403)
    foreign_entry = simulator.store.expenses.rows([other])[0].id
    assert_new_error(new(simulator, simulator.new_headers,
                         f"/v1/accounting-entries/{foreign_entry}"), 403)


def test_organisation_key_must_name_the_company(simulator: SimulatorHandle) -> None:
    headers = basic(simulator.org_api_key)
    url = f"{simulator.new_base_url}/v0/tax-codes:search"
    missing = httpx.post(url, headers=headers, json={}, timeout=10)
    assert_new_error(missing, 400, "company_id")
    for company in (simulator.company_id, simulator.other_company_id):
        named = httpx.post(url, headers=headers, params={"company_id": company}, json={},
                           timeout=10)
        assert named.status_code == 200
        assert {t["companyId"] for t in named.json()["data"]} == {company}
    groups = new(simulator, headers, "/v0/tag-groups")
    assert_new_error(groups, 400, "company_id")
    whole_org = new(simulator, headers, "/v0/tag-groups",
                    params={"organization_id": simulator.organization_id})
    assert {g["companyId"] for g in whole_org.json()["data"]} == {
        simulator.company_id, simulator.other_company_id}


def test_expired_and_revoked_credentials(simulator: SimulatorHandle) -> None:
    expired_key = simulator.mint("api_key", expires_in=-1)
    revoked_key = simulator.mint("api_key", revoked=True)
    expired_token = simulator.mint("legacy", expires_in=-1)
    revoked_token = simulator.mint("legacy", revoked=True)
    assert_new_error(new(simulator, basic(expired_key)), 401, "expired")
    assert_new_error(new(simulator, basic(revoked_key)), 401, "revoked")
    assert_legacy_error(legacy(simulator, bearer(expired_token)), 401, "expired")
    assert_legacy_error(legacy(simulator, bearer(revoked_token)), 401, "revoked")
    live = simulator.mint("api_key", expires_in=3600)
    assert new(simulator, basic(live)).status_code == 200
    simulator.simulator.credentials.revoke(live)
    assert_new_error(new(simulator, basic(live)), 401, "revoked")


def test_secrets_are_fake_looking_and_never_in_reprs(simulator: SimulatorHandle) -> None:
    assert simulator.legacy_token.startswith("sim_legacy_production_")
    assert simulator.api_key.startswith("sim_key_production_")
    assert simulator.oauth_token.startswith("sim_oauth_production_")
    credential = simulator.simulator.startup.api_key
    assert credential.secret not in repr(credential)
    assert credential.secret not in credential.masked
