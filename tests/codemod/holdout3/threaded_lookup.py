"""Look up many Pleo records at once: the legacy API has no batch read, so fan out.

Used by the reconciliation job to resolve ids found in the ledger export.
"""
import os
from concurrent.futures import ThreadPoolExecutor

import requests

OPENAPI = "https://openapi.pleo.io/v1"
WORKERS = 4


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_LOOKUP_TOKEN"]}


def _employee(employee_id):
    r = requests.get(OPENAPI + "/employees/" + employee_id, headers=_headers(), timeout=15)
    r.raise_for_status()
    e = r.json()
    return {"id": e["id"], "email": e["email"], "code": e.get("code")}


def _expense(expense_id):
    r = requests.get(f"{OPENAPI}/expenses/{expense_id}", headers=_headers(), timeout=15)
    r.raise_for_status()
    return r.json()


def employees_by_id(ids):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return {e["id"]: e for e in pool.map(_employee, ids)}


def expense_amounts(ids):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        expenses = list(pool.map(_expense, ids))
    return [
        (x["id"], x["amountSettled"]["value"], x["amountSettled"]["currency"], x["type"])
        for x in expenses
    ]


def all_employee_codes():
    r = requests.get(OPENAPI + "/employees", params={"pageSize": 100}, headers=_headers(),
                     timeout=15)
    r.raise_for_status()
    ids = [e["id"] for e in r.json()["employees"]]
    with ThreadPoolExecutor(WORKERS) as pool:
        found = pool.map(_employee, ids)
    return sorted((e["code"] or "", e["email"]) for e in found)
