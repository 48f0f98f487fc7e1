"""Consistency checks between Pleo resources before the month-end export.

Each check reads two endpoints and reports the ids that do not line up.
"""
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.getenv("PLEO_RECON_TOKEN", "")}


def _list(resource, key=None, page_size=100):
    items, offset = [], 0
    while True:
        r = requests.get(f"{BASE}/{resource}", headers=HEADERS,
                         params={"pageOffset": offset, "pageSize": page_size})
        r.raise_for_status()
        body = r.json()
        items.extend(body[key or resource])
        offset = (body.get("metadata") or {}).get("pageInfo", {}).get("nextPageOffset")
        if not offset:
            return items


def employees_without_team():
    in_team = {m["id"] for t in _list("teams") for m in t.get("employees", [])}
    return sorted(e["email"] for e in _list("employees") if e["id"] not in in_team)


def expenses_on_unknown_accounts():
    known = {a["id"] for a in _list("accounts")}
    odd = []
    for e in _list("expenses"):
        booked = {e.get("accountId")} | {line.get("accountId") for line in e.get("lines", [])}
        booked.discard(None)
        if booked - known:
            odd.append(e["id"])
    return sorted(odd)


def accounts_with_unknown_tax_codes():
    r = requests.get(BASE + "/tax-codes", headers=HEADERS, params={"hidden": "true"})
    r.raise_for_status()
    codes = {t["id"] for t in r.json()["taxCodes"]}
    return sorted(a["name"] for a in _list("accounts")
                  if a.get("taxCodeId") and a["taxCodeId"] not in codes)


def report():
    return {
        "employees_without_team": len(employees_without_team()),
        "expenses_on_unknown_accounts": len(expenses_on_unknown_accounts()),
        "accounts_with_unknown_tax_codes": len(accounts_with_unknown_tax_codes()),
    }
