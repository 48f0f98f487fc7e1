"""Ledger checks against Pleo's current API (external.pleo.io, API key as Basic username)."""

import os

import requests

EXTERNAL = "https://external.pleo.io"


class LedgerKeyClient:
    def __init__(self):
        self.company = os.environ["PLEO_COMPANY_ID"]
        self.http = requests.Session()
        self.http.auth = (os.environ["PLEO_API_KEY"], "")
        self.http.headers["Accept"] = "application/json"

    def _data(self, resp):
        resp.raise_for_status()
        return resp.json()["data"]

    def company_name(self):
        return self._data(self.http.get(f"{EXTERNAL}/v1/companies/{self.company}"))["name"]

    def staff_codes(self):
        out, after = [], None
        while True:
            params = {"companyId": self.company, "limit": 25}
            if after:
                params["after"] = after
            resp = self.http.get(EXTERNAL + "/v2/employees", params=params)
            resp.raise_for_status()
            body = resp.json()
            out += [e.get("code") for e in body["data"]]
            if not body["pagination"]["hasNextPage"]:
                return sorted(c for c in out if c)
            after = body["pagination"]["endCursor"]

    def tag_group_codes(self):
        groups = self._data(self.http.get(EXTERNAL + "/v0/tag-groups",
                                          params={"company_id": self.company}))
        return sorted(g["name"] for g in groups)

    def active_tax_codes(self):
        found = self._data(self.http.post(EXTERNAL + "/v0/tax-codes:search",
                                          params={"company_id": self.company},
                                          json={"archived": False}))
        return len(found)

    def recent_entries(self):
        resp = self.http.post(EXTERNAL + "/v1/accounting-entries:search",
                              params={"company_id": self.company, "limit": 10},
                              json={"includeDeleted": False})
        return [e["id"] for e in self._data(resp)]
