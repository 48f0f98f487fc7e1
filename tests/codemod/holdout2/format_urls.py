# ruff: noqa: UP031, UP032
"""Receipt archiver helpers (legacy style: URLs built with str.format and %)."""

import os

import requests

HOST = "openapi.pleo.io"
API_VERSION = "v1"
ROOT = "https://%s/%s" % (HOST, API_VERSION)

EXPENSE_URL = "{}/{}/{}"
RECEIPTS_URL = "%s/expenses/%s/receipts"


def auth():
    return {"Authorization": "Bearer %s" % os.environ.get("PLEO_ARCHIVE_TOKEN", "")}


def get_expense(expense_id):
    url = EXPENSE_URL.format(ROOT, "expenses", expense_id)
    resp = requests.get(url, headers=auth(), timeout=30)
    resp.raise_for_status()
    return resp.json()


def list_receipts(expense_id):
    resp = requests.get(RECEIPTS_URL % (ROOT, expense_id), headers=auth(), timeout=30)
    resp.raise_for_status()
    data = resp.json()
    return data["receipts"] if isinstance(data, dict) else data


def receipt_names(expense_id):
    return sorted(r.get("name") or r["id"] for r in list_receipts(expense_id))


def receipt(expense_id, receipt_id):
    url = "{root}/expenses/{eid}/receipts/{rid}".format(root=ROOT, eid=expense_id,
                                                          rid=receipt_id)
    resp = requests.get(url, headers=auth(), timeout=30)
    resp.raise_for_status()
    return resp.json()


def first_receipt(expense_id):
    receipts = list_receipts(expense_id)
    if not receipts:
        return None
    return receipt(expense_id, receipts[0]["id"])


def submitter(expense_id):
    expense = get_expense(expense_id)
    url = "{}/{}/{}".format(ROOT, "employees", expense["employeeId"])
    resp = requests.get(url, headers=auth(), timeout=30)
    resp.raise_for_status()
    person = resp.json()
    return "%s %s <%s>" % (person.get("firstName"), person.get("lastName"), person.get("email"))


def archive_manifest(expense_id):
    """The archive keeps a manifest per expense; the manifest endpoint is our PSP's extension."""
    resp = requests.get("%s/expenses/%s/archive-manifest" % (ROOT, expense_id),
                        headers=auth(), timeout=30)
    resp.raise_for_status()
    return resp.json()
