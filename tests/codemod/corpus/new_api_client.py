"""Client of Pleo's new external API (already migrated: API key, per-resource versions)."""

from __future__ import annotations

import base64
import os
from typing import Any

import requests

BASE_URL = "https://external.pleo.io"


class PleoExternalClient:
    def __init__(self, api_key: str | None = None, company_id: str | None = None) -> None:
        key = api_key or os.environ["PLEO_API_KEY"]
        self.company_id = company_id or os.environ["PLEO_COMPANY_ID"]
        self.base_url = os.environ.get("PLEO_EXTERNAL_URL", BASE_URL).rstrip("/")
        self.session = requests.Session()
        basic = base64.b64encode(f"{key}:".encode()).decode()
        self.session.headers.update({"Authorization": f"Basic {basic}"})

    def _get(self, path: str, **params: Any) -> Any:
        response = self.session.get(f"{self.base_url}{path}", params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def _post(self, path: str, body: dict[str, Any], **params: Any) -> Any:
        response = self.session.post(
            f"{self.base_url}{path}", params=params, json=body, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def companies(self) -> list[str]:
        return [c["id"] for c in self._get("/v1/companies")["data"]]

    def employees(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        after = None
        while True:
            params: dict[str, Any] = {"companyId": self.company_id, "limit": 100}
            if after:
                params["after"] = after
            page = self._get("/v2/employees", **params)
            found += page["data"]
            if not page["pagination"]["hasNextPage"]:
                return found
            after = page["pagination"]["endCursor"]

    def accounting_entry(self, entry_id: str) -> dict[str, Any]:
        return self._get(f"/v1/accounting-entries/{entry_id}")["data"]

    def export_jobs(self) -> list[dict[str, Any]]:
        return self._get("/v3/export-jobs", company_id=self.company_id)["data"]

    def tax_codes(self) -> list[str]:
        body = self._post("/v0/tax-codes:search", {}, company_id=self.company_id)
        return [t["code"] for t in body["data"]]
