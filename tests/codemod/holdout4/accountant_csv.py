"""Monthly CSV for the accountant: expenses with amounts, plus the staff list."""

import csv
import io
import os

import requests

URL = "https://openapi.pleo.io/v1"
EXPENSE_COLUMNS = ["date", "type", "amount", "currency", "status", "note", "merchant"]


def _get_all(session, resource, key, **params):
    params.setdefault("pageSize", 1000)
    params["pageOffset"] = 0
    while True:
        resp = session.get(URL + "/" + resource, params=params)
        resp.raise_for_status()
        payload = resp.json()
        yield from payload[key]
        nxt = payload["metadata"]["pageInfo"]["nextPageOffset"]
        if nxt is None or nxt == 0:
            break
        params["pageOffset"] = nxt


def _session():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + os.environ["ACCOUNTANT_PLEO_TOKEN"]
    return session


def export_expenses(date_from, date_to):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPENSE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    with _session() as session:
        for e in _get_all(session, "expenses", "expenses", dateFrom=date_from, dateTo=date_to):
            card = e.get("cardTransaction") or {}
            writer.writerow({
                "date": e["performedAt"][:10],
                "type": e["type"],
                "amount": f"{e['amountOriginal']['value']:.2f}",
                "currency": e["amountOriginal"]["currency"],
                "status": e["status"],
                "note": (e.get("note") or "").replace("\n", " "),
                "merchant": (card.get("merchant") or {}).get("name", ""),
            })
    return buffer.getvalue()


def export_employees():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "first name", "last name", "email"])
    with _session() as session:
        rows = sorted(_get_all(session, "employees", "employees"), key=lambda e: e["code"] or "")
        for e in rows:
            writer.writerow([e["code"], e["firstName"], e["lastName"], e["email"]])
    return buffer.getvalue()
