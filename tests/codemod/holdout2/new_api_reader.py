"""Reader for Pleo's current API (external.pleo.io) with an API key: already migrated."""
from __future__ import annotations

import base64
import os
from typing import Any

import requests

EXTERNAL = "https://external.pleo.io"


class PleoExternalReader:
    def __init__(self) -> None:
        key = os.environ["PLEO_API_KEY"]
        self.company_id = os.environ["PLEO_COMPANY_ID"]
        encoded = base64.b64encode(f"{key}:".encode()).decode()
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Basic {encoded}"})

    def _get(self, path: str, **params: Any) -> Any:
        resp = self.session.get(f"{EXTERNAL}{path}", params=params, timeout=30)
        resp.raise_for_status()
        return resp.json()

    def employees(self) -> list[str]:
        body = self._get("/v2/employees", companyId=self.company_id, limit=50)
        return sorted(e["id"] for e in body["data"])

    def tag_groups(self) -> list[str]:
        body = self._get("/v0/tag-groups", company_id=self.company_id)
        return sorted(g["name"] for g in body["data"])

    def tax_codes(self) -> list[str]:
        resp = self.session.post(f"{EXTERNAL}/v0/tax-codes:search",
                                 params={"company_id": self.company_id}, json={}, timeout=30)
        resp.raise_for_status()
        return sorted(t["code"] or t["id"] for t in resp.json()["data"])

    def company_name(self) -> str:
        return self._get(f"/v1/companies/{self.company_id}")["data"]["name"]
