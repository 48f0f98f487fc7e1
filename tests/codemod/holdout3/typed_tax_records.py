"""Read-only Pleo lookups returning typed records for the VAT report.

We parse bodies ourselves (json.loads) because the HTTP library is swapped in tests.
"""
import json
import os
from typing import NamedTuple, Optional

import requests

PLEO = "https://openapi.pleo.io/v1"


class TaxCode(NamedTuple):
    id: str
    code: str
    name: str
    rate: float
    enabled: bool


class Receipt(NamedTuple):
    id: str
    name: str
    mime_type: str
    size: int


class Person(NamedTuple):
    id: str
    full_name: str
    email: str
    phone: Optional[str]  # noqa: UP045


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_VAT_TOKEN"],
            "Accept": "application/json"}


def tax_codes():
    resp = requests.get(PLEO + "/tax-codes", headers=_headers())
    data = json.loads(resp.text)
    return [TaxCode(t["id"], t["code"], t["name"], float(t["rate"]), t["enabled"])
            for t in data["taxCodes"]]


def rate_of(tax_code_id):
    resp = requests.get(PLEO + "/tax-codes/" + tax_code_id, headers=_headers())
    if resp.status_code == 404:
        return None
    return json.loads(resp.content.decode("utf-8"))["rate"]


def receipts(expense_id):
    resp = requests.get(f"{PLEO}/expenses/{expense_id}/receipts", headers=_headers())
    resp.raise_for_status()
    return [Receipt(r["id"], r["name"], r["mimeType"], int(r["size"]))
            for r in json.loads(resp.content)]


def person(employee_id):
    resp = requests.get(f"{PLEO}/employees/{employee_id}", headers=_headers())
    resp.raise_for_status()
    e = json.loads(resp.text)
    return Person(e["id"], f"{e['firstName']} {e['lastName']}", e["email"], e.get("phone"))
