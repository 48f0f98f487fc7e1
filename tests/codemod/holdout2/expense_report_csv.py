"""Monthly CSV: spend per employee, joining Pleo's expenses with its employee list."""

import csv
import io
import os
from collections import defaultdict

import requests

API = "https://openapi.pleo.io/v1/"
SESSION = requests.Session()


def _auth():
    return {"Authorization": f"Bearer {os.environ['PLEO_REPORT_TOKEN']}"}


def _all(resource, key, **params):
    rows, offset = [], 0
    while offset is not None:
        r = SESSION.get(API + resource, headers=_auth(),
                        params={**params, "pageOffset": offset, "pageSize": 500})
        r.raise_for_status()
        page = r.json()
        rows.extend(page[key])
        offset = page.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset") or None
    return rows


def employees_by_id():
    people = _all("employees", "employees")
    return {p["id"]: f"{p.get('firstName', '')} {p.get('lastName', '')}".strip() for p in people}


def spend_per_employee(date_from=None, date_to=None):
    params = {}
    if date_from:
        params["dateFrom"] = date_from
    if date_to:
        params["dateTo"] = date_to
    totals = defaultdict(float)
    counts = defaultdict(int)
    for e in _all("expenses", "expenses", **params):
        amount = e.get("amountSettled") or {}
        key = (e.get("employeeId"), amount.get("currency"))
        totals[key] += float(amount.get("value") or 0)
        counts[key] += 1
    return totals, counts


def report_csv(date_from=None, date_to=None):
    names = employees_by_id()
    totals, counts = spend_per_employee(date_from, date_to)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["employee", "currency", "expenses", "total"])
    for (employee_id, currency), total in sorted(totals.items(), key=lambda kv: str(kv[0])):
        name = names.get(employee_id, employee_id or "(none)")
        writer.writerow([name, currency, counts[(employee_id, currency)], f"{total:.2f}"])
    return out.getvalue()
