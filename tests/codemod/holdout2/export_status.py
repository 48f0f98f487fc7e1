# ruff: noqa: UP031
"""Export-status updater for the accounting connector.

Picks staging or production from PLEO_ENVIRONMENT, lists the expenses Pleo has queued for
export, marks them EXPORTING, "exports" them, then marks them EXPORTED.
"""

import os

import requests

if os.getenv("PLEO_ENVIRONMENT", "staging") == "production":
    PLEO_URL = "https://openapi.pleo.io"
else:
    PLEO_URL = "https://openapi.staging.pleo.io"
PLEO_URL += "/v1"


def _headers():
    return {
        "Authorization": "Bearer " + os.environ["PLEO_EXPORT_TOKEN"],
        "Content-Type": "application/json",
    }


def queued_expense_ids():
    resp = requests.get(PLEO_URL + "/expenses", params={"status": "QUEUED", "pageSize": 100},
                        headers=_headers(), timeout=30)
    resp.raise_for_status()
    return sorted(e["id"] for e in resp.json()["expenses"])


def set_status(expense_ids, status):
    resp = requests.put(PLEO_URL + "/expenses",
                        json={"expenseIds": list(expense_ids), "status": status},
                        headers=_headers(), timeout=30)
    resp.raise_for_status()
    return resp.status_code


def export_one(expense_id):
    resp = requests.get("%s/expenses/%s" % (PLEO_URL, expense_id), headers=_headers(),
                        timeout=30)
    resp.raise_for_status()
    expense = resp.json()
    return {"id": expense["id"], "note": expense.get("note")}


def run_export(expense_ids):
    set_status(expense_ids, "EXPORTING")
    exported = [export_one(i) for i in expense_ids]
    set_status(expense_ids, "EXPORTED")
    return exported


def exported_count():
    resp = requests.get(PLEO_URL + "/expenses", params={"status": "EXPORTED"},
                        headers=_headers(), timeout=30)
    resp.raise_for_status()
    return len(resp.json()["expenses"])
