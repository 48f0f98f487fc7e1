"""Pleo reporting helpers, already on the new external API.

Moved off the legacy openapi.pleo.io endpoints (legacy tokens) in 2025; API keys since.
"""
import os

import httpx

PLEO_HOSTS = {"production": "external.pleo.io", "staging": "external.staging.pleo.io"}


def _client() -> httpx.Client:
    host = PLEO_HOSTS[os.environ.get("PLEO_ENV", "production")]
    return httpx.Client(
        base_url=f"https://{host}",
        auth=(os.environ["PLEO_API_KEY"], ""),
        timeout=20,
    )


def company_id() -> str:
    return os.environ["PLEO_COMPANY_ID"]


def employee_emails() -> list[str]:
    with _client() as client:
        response = client.get("/v2/employees", params={"companyId": company_id(), "limit": 100})
        response.raise_for_status()
        return sorted(e["email"] for e in response.json()["data"])


def tag_group_name(group_id: str) -> str:
    with _client() as client:
        response = client.get(f"/v0/tag-groups/{group_id}")
        response.raise_for_status()
        return response.json()["data"]["name"]


def tax_code_codes() -> list[str]:
    with _client() as client:
        response = client.post("/v0/tax-codes:search", params={"company_id": company_id()},
                               json={"companyId": company_id()})
        response.raise_for_status()
        return sorted(t["code"] for t in response.json()["data"])


def employee(employee_id: str) -> dict:
    with _client() as client:
        response = client.get(f"/v2/employees/{employee_id}")
        response.raise_for_status()
        return response.json()["data"]
