"""Nightly account sync for the ERP, configured by a JSON credentials file.

The file is the one our secrets tool drops next to the job (`credentials.json`):
{"legacy": {"token": "..."}, ...}. PLEO_CREDENTIALS overrides its location.
"""
import json
import os
from pathlib import Path

import requests

PLEO_HOST = "openapi.pleo.io"


def _token():
    path = Path(os.environ.get("PLEO_CREDENTIALS", "credentials.json"))
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)["legacy"]["token"]


class AccountSync:
    def __init__(self):
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {_token()}"
        self.root = f"https://{PLEO_HOST}/v1"

    def accounts(self):
        out, offset = [], 0
        while offset is not None:
            r = self.http.get(self.root + "/accounts",
                              params={"pageOffset": offset, "pageSize": 10})
            r.raise_for_status()
            page = r.json()
            out += page["accounts"]
            offset = page["metadata"]["pageInfo"]["nextPageOffset"] or None
        return [{"number": a["accountNumber"], "name": a["name"], "hidden": a["hidden"]}
                for a in out]

    def account(self, account_id):
        r = self.http.get(f"{self.root}/accounts/{account_id}")
        r.raise_for_status()
        return r.json()["accountNumber"]

    def rename(self, account_id, name):
        r = self.http.put(f"{self.root}/accounts/{account_id}", json={"name": name})
        r.raise_for_status()
        return r.json()["name"]

    def tax_code_names(self):
        r = self.http.get(self.root + "/tax-codes")
        r.raise_for_status()
        return {t["id"]: t["name"] for t in r.json()["taxCodes"]}
