# ruff: noqa: UP031
"""Expense audit script (legacy Pleo API)."""
import os
import sys
from urllib.parse import urljoin

import requests

PLEO_HOST = "https://openapi.pleo.io"
API_V1 = urljoin(PLEO_HOST, "/v1/")          # https://openapi.pleo.io/v1/
EXPENSE_URL = API_V1 + "expenses/{id}"
token = os.environ.get("PLEO_AUDIT_TOKEN")
auth = {"Authorization": "Bearer %s" % token}


def expense_summary(expense_id):
    r = requests.get(EXPENSE_URL.format(id=expense_id), headers=auth)
    r.raise_for_status()
    e = r.json()
    return {"status": e["status"], "amount": e["amountSettled"]["value"], "note": e["note"]}


def expense_receipt_count(expense_id):
    url = urljoin(API_V1, "expenses/%s/receipts" % expense_id)
    r = requests.get(url, headers=auth)
    r.raise_for_status()
    return len(r.json())


def employee_of(employee_id):
    # without the trailing slash urljoin would drop "v1", so it is spelt out here
    url = urljoin(PLEO_HOST, "/v1/employees/" + employee_id)
    r = requests.get(url, headers=auth)
    r.raise_for_status()
    return r.json()["email"]


def expense_comments(expense_id):
    # Pleo's UI shows comments; not sure the API has them - check the response
    r = requests.get(EXPENSE_URL.format(id=expense_id) + "/comments", headers=auth)
    r.raise_for_status()
    return r.json()


def audit(ids):
    rows = []
    for expense_id in ids:
        summary = expense_summary(expense_id)
        if summary["status"] != "EXPORTED":
            rows.append((expense_id, summary["amount"]))
    return rows


if __name__ == "__main__":
    for row in audit(sys.argv[1:]):
        print(*row, sep="\t")
