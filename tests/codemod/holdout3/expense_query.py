"""Expense queries for the month-end close: filters come from the close checklist UI.

Query strings are built by hand (urlencode) where the URL is logged and cached as a key,
and as a params dict elsewhere.
"""
import os
from urllib.parse import urlencode

import requests

ROOT = "https://openapi.pleo.io"
VERSION = "v1"


def _auth():
    return {"Authorization": f"Bearer {os.environ['PLEO_CLOSE_TOKEN']}"}


def expense_url(date_from=None, date_to=None, statuses=(), types=(), page_size=100):
    query = []
    if date_from:
        query.append(("dateFrom", date_from))
    if date_to:
        query.append(("dateTo", date_to))
    for status in statuses:
        query.append(("status", status))
    for kind in types:
        query.append(("types", kind))
    query.append(("pageSize", page_size))
    return f"{ROOT}/{VERSION}/expenses?" + urlencode(query)


def open_card_expenses(month="2025-03"):
    url = expense_url(date_from=f"{month}-01", date_to=f"{month}-28",
                      statuses=["NOT_EXPORTED", "QUEUED"], types=["CARD"])
    resp = requests.get(url, headers=_auth(), timeout=30)
    resp.raise_for_status()
    return [(e["id"], e["amountOriginal"]["value"], e["status"])
            for e in resp.json()["expenses"]]


def expenses_for_account(account_id, exported=None):
    params = {"accountId": account_id}
    if exported is True:
        params["status"] = "EXPORTED"
    elif exported is False:
        params["status"] = ["NOT_EXPORTED", "QUEUED", "EXPORTING"]
    params["pageSize"] = 50
    resp = requests.get(ROOT + "/" + VERSION + "/expenses", params=params, headers=_auth(),
                        timeout=30)
    resp.raise_for_status()
    return sorted(e["id"] for e in resp.json()["expenses"])


def accounts_page(offset=0, size=10):
    params = dict(pageOffset=offset)
    params.update(pageSize=size)
    url = "%s/%s/accounts" % (ROOT, VERSION)  # noqa: UP031
    resp = requests.get(url, params=params, headers=_auth())
    resp.raise_for_status()
    body = resp.json()
    return {"names": [a["name"] for a in body["accounts"]],
            "next": body["metadata"]["pageInfo"]["nextPageOffset"]}
