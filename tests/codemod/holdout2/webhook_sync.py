"""Small webhook-to-ledger bridge.

Our ERP pushes us a JSON event whenever something changes in Pleo's export queue (we
poll-wrap it in a cron job). For each event we fetch the expense from Pleo, pull its
receipts and write a ledger line. No web framework: the cron job pipes events in.
"""

import json
import logging
import os
import sys

import requests

log = logging.getLogger("pleo-webhook-sync")

PLEO_API = os.getenv("PLEO_API", "https://openapi.pleo.io/v1")
TOKEN = os.environ["PLEO_WEBHOOK_TOKEN"]
TIMEOUT = 20


def _headers():
    return {"Authorization": "Bearer " + TOKEN, "Accept": "application/json"}


def fetch_expense(expense_id):
    r = requests.get(f"{PLEO_API}/expenses/{expense_id}", headers=_headers(), timeout=TIMEOUT)
    r.raise_for_status()
    return r.json()


def fetch_receipts(expense_id):
    r = requests.get(PLEO_API + "/expenses/" + expense_id + "/receipts",
                     headers=_headers(), timeout=TIMEOUT)
    r.raise_for_status()
    body = r.json()
    return body.get("receipts", body) if isinstance(body, dict) else body


def to_ledger_line(expense, receipts):
    settled = expense.get("amountSettled") or {}
    return {
        "ref": expense["id"],
        "amount": settled.get("value"),
        "currency": settled.get("currency"),
        "note": (expense.get("note") or "").strip(),
        "attachments": len(receipts),
    }


def handle_event(event):
    """One event in, one ledger line out (None for events we do not care about)."""
    if event.get("type") not in ("expense.created", "expense.updated"):
        log.info("ignoring %s", event.get("type"))
        return None
    expense_id = event["expenseId"]
    expense = fetch_expense(expense_id)
    receipts = fetch_receipts(expense_id)
    return to_ledger_line(expense, receipts)


def main():
    lines = []
    for raw in sys.stdin:
        raw = raw.strip()
        if raw:
            line = handle_event(json.loads(raw))
            if line:
                lines.append(line)
    json.dump(lines, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
