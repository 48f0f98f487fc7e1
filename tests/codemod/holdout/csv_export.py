"""Nightly CSV export of Pleo expenses for the data warehouse.

Pages by arithmetic on pageOffset and honours Retry-After when Pleo throttles.
"""
import csv
import io
import os
import time

import requests

URL = "https://openapi.pleo.io/v1/expenses"
PAGE = 400
COLUMNS = ("id", "performedAt", "amount", "currency", "status", "accountId")


def _get(url, params=None, attempts=4):
    headers = {"Authorization": "Bearer " + os.environ["DWH_PLEO_TOKEN"]}
    for attempt in range(attempts):
        resp = requests.get(url, params=params, headers=headers, timeout=60)
        if resp.status_code == 429 and attempt < attempts - 1:
            time.sleep(float(resp.headers.get("Retry-After", 2 ** attempt)))
            continue
        resp.raise_for_status()
        return resp.json()
    raise RuntimeError("unreachable")


def expense_rows(date_from=None):
    offset, rows = 0, []
    while True:
        params = {"pageOffset": offset, "pageSize": PAGE}
        if date_from:
            params["dateFrom"] = date_from
        batch = _get(URL, params)["expenses"]
        for e in batch:
            rows.append((e["id"], e["performedAt"], e["amountSettled"]["value"],
                         e["amountSettled"]["currency"], e["status"], e["accountId"]))
        if len(batch) < PAGE:
            return rows
        offset += PAGE


def export_csv(date_from=None):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = expense_rows(date_from)
    writer.writerows(rows)
    lines = out.getvalue().splitlines()
    return {"rows": len(rows), "head": lines[:3]}


def one_expense_csv(expense_id):
    e = _get(f"{URL}/{expense_id}")
    return ",".join(str(x) for x in (e["id"], e["status"], e["amountSettled"]["value"]))


def receipt_names(expense_id):
    return [r["name"] for r in _get(URL + "/" + expense_id + "/receipts")]
