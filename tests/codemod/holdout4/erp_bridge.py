"""Bridge between Pleo and our ERP (Odoo-like JSON API on erp.example.com).

Pleo is read; the ERP is written. When the ERP cannot be reached the postings are kept in
an outbox and retried by the next run.
"""

import os

import requests

PLEO_API = "https://openapi.pleo.io/v1"
ERP_API = "https://erp.example.com/api/v2"
OUTBOX = []


def _pleo_headers():
    return {"Authorization": "Bearer " + os.environ["BRIDGE_PLEO_TOKEN"]}


def _erp_headers():
    return {"X-Api-Key": os.environ["ERP_API_KEY"]}


def _erp_configured():
    return bool(os.environ.get("ERP_API_KEY"))


def bill_invoices():
    resp = requests.get(PLEO_API + "/expenses", headers=_pleo_headers(),
                        params={"types": "BILL_INVOICE", "pageSize": 200})
    resp.raise_for_status()
    return sorted((e["id"], e["amountSettled"]["value"]) for e in resp.json()["expenses"])


def erp_vendor_code(name):
    try:
        resp = requests.get(ERP_API + "/partners", params={"name": name},
                            headers=_erp_headers(), timeout=5)
        resp.raise_for_status()
        return resp.json()[0]["code"]
    except requests.ConnectionError:
        return None


def post_to_erp(expense_id):
    resp = requests.get(f"{PLEO_API}/expenses/{expense_id}", headers=_pleo_headers())
    resp.raise_for_status()
    expense = resp.json()
    posting = {
        "external_ref": expense["id"],
        "date": expense["performedAt"][:10],
        "amount": expense["amountSettled"]["value"],
        "currency": expense["amountSettled"]["currency"],
        "memo": expense.get("note") or "",
    }
    if not _erp_configured():  # dry run: keep it for the next configured run
        OUTBOX.append(posting)
        return {"posted": False, "ref": posting["external_ref"], "amount": posting["amount"]}
    try:
        done = requests.post(ERP_API + "/postings", json=posting, headers=_erp_headers(),
                             timeout=5)
        done.raise_for_status()
        return {"posted": True, "ref": posting["external_ref"]}
    except requests.ConnectionError:
        OUTBOX.append(posting)
        return {"posted": False, "ref": posting["external_ref"], "outbox": len(OUTBOX)}
