"""Legacy Pleo client from a hackathon: some calls guess endpoints that Pleo never had."""

import os

import requests

PLEO = "https://openapi.pleo.io/v1"


class LegacyPleo:
    def __init__(self):
        self.s = requests.Session()
        self.s.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def cards(self):
        r = self.s.get(PLEO + "/cards")
        r.raise_for_status()
        return r.json()

    def monthly_report(self, month):
        r = self.s.get(PLEO + "/reports", params={"month": month})
        r.raise_for_status()
        return r.json()

    def set_note(self, expense_id, note):
        r = self.s.patch(f"{PLEO}/expenses/{expense_id}", json={"note": note})
        r.raise_for_status()
        return r.json()

    def employee_count(self):
        r = self.s.get(PLEO + "/employees", params={"pageSize": 1})
        r.raise_for_status()
        return r.json()["metadata"]["pageInfo"]["totalCount"]
