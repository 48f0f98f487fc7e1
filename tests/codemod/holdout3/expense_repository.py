"""Persistence for Pleo expenses in the bookkeeping service (repository pattern).

The service layer only sees `ExpenseRepository`; the HTTP session is injected so tests can
swap it. Pleo only lets us change the export status of an expense, so `save` does just that.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from decimal import Decimal

import requests


@dataclass(frozen=True)
class Expense:
    id: str
    performed_at: str
    amount: str
    currency: str
    status: str
    note: str | None
    merchant: str | None


def _to_expense(raw: dict) -> Expense:
    money = raw["amountSettled"] or raw["amountOriginal"]
    card = raw.get("cardTransaction") or {}
    return Expense(
        id=raw["id"],
        performed_at=raw["performedAt"][:10],
        amount=str(Decimal(str(money["value"])).quantize(Decimal("0.01"))),
        currency=money["currency"],
        status=raw["status"],
        note=raw.get("note"),
        merchant=(card.get("merchant") or {}).get("name"),
    )


class ExpenseRepository:
    def __init__(self, session: requests.Session, base_url: str):
        self._session = session
        self._base = base_url.rstrip("/")

    def get(self, expense_id: str) -> Expense:
        resp = self._session.get(f"{self._base}/expenses/{expense_id}")
        resp.raise_for_status()
        return _to_expense(resp.json())

    def list(self, status: str | None = None, page_size: int = 25) -> list[Expense]:
        query: dict = {"pageSize": page_size, "pageOffset": 0}
        if status:
            query["status"] = status
        found: list[Expense] = []
        while True:
            resp = self._session.get(f"{self._base}/expenses", params=query)
            resp.raise_for_status()
            body = resp.json()
            found += [_to_expense(e) for e in body["expenses"]]
            nxt = body["metadata"]["pageInfo"]["nextPageOffset"]
            if nxt is None or nxt == 0:
                return found
            query["pageOffset"] = nxt

    def save(self, expense: Expense) -> Expense:
        resp = self._session.put(f"{self._base}/expenses",
                                 json={"expenseIds": [expense.id], "status": expense.status})
        resp.raise_for_status()
        return expense

    def mark(self, expense_id: str, status: str) -> Expense:
        return self.save(replace(self.get(expense_id), status=status))


def make_repository() -> ExpenseRepository:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {os.environ['PLEO_BOOKS_TOKEN']}"
    session.headers["Content-Type"] = "application/json"
    return ExpenseRepository(session, "https://openapi.pleo.io/v1/")
