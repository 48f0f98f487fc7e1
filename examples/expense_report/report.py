"""Monthly expense report for the finance team, written against Pleo's legacy Open API.

A deliberately ordinary integration: URL constants, f-strings, hand-built query strings,
`requests` for most calls and httpx for one, and a `nextPageOffset` loop. It reads its base URL
and token from the environment so it can run against Pleo or a simulator:

    PLEO_LEGACY_URL=https://openapi.pleo.io/v1 PLEO_LEGACY_TOKEN=... python report.py
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from decimal import Decimal

import httpx
import requests

PLEO_API = os.environ.get("PLEO_LEGACY_URL", "https://openapi.pleo.io/v1")
PLEO_TOKEN = os.environ.get("PLEO_LEGACY_TOKEN", "")
PAGE_SIZE = 50


def headers():
    return {"Authorization": f"Bearer {PLEO_TOKEN}", "Accept": "application/json"}


def fetch_all_expenses():
    expenses = []
    offset = 0
    while True:
        url = PLEO_API + "/expenses?pageSize=" + str(PAGE_SIZE) + "&pageOffset=" + str(offset)
        resp = requests.get(url, headers=headers(), timeout=30)
        resp.raise_for_status()
        body = resp.json()
        expenses.extend(body["expenses"])
        next_offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        if not next_offset:
            break
        offset = next_offset
    return expenses


def fetch_employees():
    resp = requests.get(f"{PLEO_API}/employees?pageSize=1000", headers=headers(), timeout=30)
    resp.raise_for_status()
    return {e["id"]: f"{e['firstName']} {e['lastName']}" for e in resp.json()["employees"]}


def fetch_tax_codes():
    with httpx.Client(headers=headers(), timeout=30) as client:
        resp = client.get(f"{PLEO_API}/tax-codes")
        resp.raise_for_status()
        return {t["id"]: t for t in resp.json()["taxCodes"]}


def fetch_tag_groups():
    resp = requests.get(PLEO_API + "/tag-groups", headers=headers(), timeout=30)
    resp.raise_for_status()
    return resp.json()


def main():
    expenses = fetch_all_expenses()
    employees = fetch_employees()
    tax_codes = fetch_tax_codes()
    groups = fetch_tag_groups()

    live = [e for e in expenses if not e.get("deletedAt")]
    print(f"Expenses: {len(live)} ({len(expenses) - len(live)} deleted)")

    by_status = Counter(e["status"] for e in live)
    for status in sorted(by_status):
        print(f"  {status:<13} {by_status[status]:>6}")

    totals = defaultdict(Decimal)
    for e in live:
        amount = e["amountOriginal"]
        totals[amount["currency"]] += Decimal(str(amount["value"]))
    print("Spend by original currency:")
    for currency in sorted(totals):
        print(f"  {currency} {totals[currency]:>14,.2f}")

    by_month = Counter(e["performedAt"][:7] for e in live)
    print("Expenses per month:")
    for month in sorted(by_month)[-6:]:
        print(f"  {month} {by_month[month]:>6}")

    spenders = Counter(e["employeeId"] for e in live if e.get("employeeId"))
    print("Top spenders (by count):")
    for employee_id, count in sorted(spenders.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        print(f"  {employees.get(employee_id, employee_id):<28} {count:>5}")

    rates = Counter()
    for e in live:
        code = tax_codes.get(e.get("taxCodeId") or "")
        if code:
            rates[f"{code['name']} ({code['rate']}%)"] += 1
    print("Tax codes used:")
    for label in sorted(rates):
        print(f"  {label:<34} {rates[label]:>5}")

    print("Tag groups:")
    for group in sorted(groups, key=lambda g: g["name"]):
        state = "archived" if group["archived"] else "active"
        attributes = ", ".join(a["name"] for a in group.get("tagAttributes", []) if not a["hidden"])
        print(f"  {group['name']:<20} {state:<8} {attributes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
