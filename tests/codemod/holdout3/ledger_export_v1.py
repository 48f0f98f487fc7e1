"""Ledger export for the new Pleo API (already migrated: external.pleo.io, API key auth).

Kept here as the reference for the other jobs; it must not be touched by any migration.
"""
import base64
import os

import requests

EXTERNAL = "https://external.pleo.io"


class LedgerExport:
    def __init__(self):
        key = os.environ["PLEO_API_KEY"]
        basic = base64.b64encode(f"{key}:".encode()).decode()
        self.company_id = os.environ["PLEO_COMPANY_ID"]
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Basic {basic}",
                                  "Accept": "application/json"})

    def _get(self, path, **params):
        resp = self.http.get(EXTERNAL + path, params=params, timeout=30)
        resp.raise_for_status()
        return resp.json()

    def company_name(self):
        return self._get(f"/v1/companies/{self.company_id}")["data"]["name"]

    def staff_emails(self):
        body = self._get("/v2/employees", companyId=self.company_id, limit=100)
        return sorted(e["email"] for e in body["data"])

    def entry_ids(self):
        resp = self.http.post(
            f"{EXTERNAL}/v1/accounting-entries:search",
            params={"company_id": self.company_id, "limit": 50},
            json={"includeDeleted": False},
            timeout=30,
        )
        resp.raise_for_status()
        return sorted(e["id"] for e in resp.json()["data"])

    def tag_group_names(self):
        body = self._get("/v0/tag-groups", company_id=self.company_id)
        return sorted(g["name"] for g in body["data"])

    def tax_code_count(self):
        resp = self.http.post(EXTERNAL + "/v0/tax-codes:search",
                              params={"company_id": self.company_id}, json={}, timeout=30)
        resp.raise_for_status()
        return len(resp.json()["data"])
