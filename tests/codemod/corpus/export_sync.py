"""Export queued Pleo expenses to the ERP (the legacy export-status flow)."""

import os

import requests

API_BASE = os.environ.get("PLEO_URL", "https://openapi.pleo.io") + "/v1"


class ExportJob:
    def __init__(self):
        self.headers = {
            "Authorization": "Bearer " + os.environ["PLEO_LEGACY_TOKEN"],
            "Content-Type": "application/json",
        }

    def queued(self):
        ids, offset = [], 0
        while True:
            r = requests.get(
                API_BASE + "/expenses",
                headers=self.headers,
                params={"status": "QUEUED", "pageOffset": offset, "pageSize": 100},
            )
            r.raise_for_status()
            page = r.json()
            ids += [e["id"] for e in page["expenses"]]
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                return ids

    def receipts(self, expense_id):
        r = requests.get(f"{API_BASE}/expenses/{expense_id}/receipts", headers=self.headers)
        r.raise_for_status()
        return len(r.json())  # a bare array, as the legacy reference shows

    def _set_status(self, expense_ids, status):
        r = requests.put(
            API_BASE + "/expenses",
            headers=self.headers,
            json={"expenseIds": list(expense_ids), "status": status},
        )
        r.raise_for_status()
        return r.status_code

    def start(self, expense_ids):
        return self._set_status(expense_ids, "EXPORTING") < 300

    def finish(self, expense_ids):
        return self._set_status(expense_ids, "EXPORTED") < 300
