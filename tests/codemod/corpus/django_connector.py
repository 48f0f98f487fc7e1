"""Pleo connector of an expenses app (Django style: settings, a service, a view).

`settings` stands in for `django.conf.settings`; the view returns what JsonResponse would get.
"""

import os
from types import SimpleNamespace

import requests

settings = SimpleNamespace(
    PLEO_API_URL=os.environ.get("PLEO_API_URL", "https://openapi.pleo.io/v1"),
    PLEO_API_KEY=os.environ.get("PLEO_API_KEY_LEGACY"),
    PLEO_TIMEOUT=15,
)

# created at import time, shared by every request the app serves
SESSION = requests.Session()
SESSION.headers["Accept"] = "application/json"


def _auth_headers():
    return {"Authorization": "Bearer %s" % settings.PLEO_API_KEY}


class PleoConnector:
    def __init__(self, base_url=None):
        self.base_url = base_url or settings.PLEO_API_URL

    def _list(self, resource, key, page_size=100):
        rows, offset = [], 0
        while True:
            response = SESSION.get(
                self.base_url + "/" + resource,
                params={"pageSize": page_size, "pageOffset": offset},
                headers=_auth_headers(),
                timeout=settings.PLEO_TIMEOUT,
            )
            response.raise_for_status()
            payload = response.json()
            rows.extend(payload[key])
            offset = payload["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                return rows

    def sync_employees(self):
        """What would be saved as local Employee model rows."""
        return [
            {
                "pleo_id": e["id"],
                "email": e["email"],
                "name": " ".join(p for p in (e.get("firstName"), e.get("lastName")) if p),
                "code": e.get("code"),
            }
            for e in self._list("employees", "employees")
        ]

    def account_names(self):
        return {a["id"]: a["name"] for a in self._list("accounts", "accounts")}

    def expense_detail(self, expense_id):
        """The body of the expense detail view."""
        response = SESSION.get(
            f"{self.base_url}/expenses/{expense_id}",
            headers=_auth_headers(),
            timeout=settings.PLEO_TIMEOUT,
        )
        if response.status_code == 404:
            return {"error": "not found"}
        response.raise_for_status()
        expense = response.json()
        return {
            "id": expense["id"],
            "note": expense.get("note"),
            "amount": expense["amountOriginal"],
            "performedAt": expense["performedAt"],
        }

    def tax_code_rates(self):
        response = SESSION.get(
            self.base_url + "/tax-codes", headers=_auth_headers(), timeout=settings.PLEO_TIMEOUT
        )
        response.raise_for_status()
        return {t["id"]: t["rate"] for t in response.json()["taxCodes"]}
