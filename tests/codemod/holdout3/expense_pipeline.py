"""Generator pipeline feeding the data warehouse: pages -> expenses -> rows.

Nothing is held in memory: each stage pulls from the previous one.
"""
import itertools
import os

import httpx

BASE = "https://openapi.pleo.io/v1/"
PAGE = 20


def _client():
    return httpx.Client(
        headers={"Authorization": f"Bearer {os.environ['PLEO_DWH_TOKEN']}"}, timeout=30.0
    )


def pages(resource, client=None, **filters):
    client = client or _client()
    for offset in itertools.count(0, PAGE):
        resp = client.get(BASE + resource, params={**filters, "pageOffset": offset,
                                                   "pageSize": PAGE})
        resp.raise_for_status()
        body = resp.json()
        yield body
        if len(body[resource]) < PAGE:
            return


def expenses(**filters):
    for page in pages("expenses", **filters):
        yield from page["expenses"]


def expense_rows(date_from="2020-01-01", date_to="2030-12-31"):
    for e in expenses(dateFrom=date_from, dateTo=date_to):
        settled = e.get("amountSettled") or {}
        yield {
            "expense_id": e["id"],
            "day": e["performedAt"][:10],
            "amount": settled.get("value"),
            "currency": settled.get("currency"),
            "employee": e.get("employeeId"),
            "tags": [t["id"] for t in e.get("tagIds") or []],
        }


def totals_by_currency():
    totals = {}
    for row in expense_rows():
        totals[row["currency"]] = round(totals.get(row["currency"], 0) + (row["amount"] or 0), 2)
    return totals


def employee_emails():
    for page in pages("employees"):
        yield from (e["email"] for e in page["employees"])
