"""Receipt checker for the audit: which expenses have which receipt files."""

import functools
import os

import requests

BASE = "https://openapi.pleo.io/v1/"


def _auth():
    return {"Authorization": "Bearer {}".format(os.environ["AUDIT_PLEO_TOKEN"])}


def _pleo_get():
    return functools.partial(requests.get, headers=_auth(), timeout=30)


def expense_summary(expense_id):
    get = _pleo_get()
    expense = get(BASE + "expenses/" + expense_id).json()
    return {
        "id": expense["id"],
        "type": expense["type"],
        "settled": expense["amountSettled"]["value"],
        "receipts": len(expense.get("receiptIds") or []),
        "booked": expense.get("accountId") is not None,
    }


def receipt_urls(expense_id):
    get = _pleo_get()
    resp = get(BASE + "expenses/{}/receipts".format(expense_id))  # noqa: UP032
    resp.raise_for_status()
    return [r["url"] for r in resp.json()]


def largest_receipt(expense_id):
    get = _pleo_get()
    listing = get(BASE + "expenses/{}/receipts".format(expense_id)).json()  # noqa: UP032
    if not listing:
        return None
    biggest = max(listing, key=lambda r: r.get("size") or 0)
    detail = get(BASE + "expenses/{}/receipts/{}".format(expense_id, biggest["id"])).json()
    return {"id": detail["id"], "mime": detail.get("mimeType"), "size": detail.get("size")}
