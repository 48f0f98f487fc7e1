"""HTTP endpoints of the finance dashboard that proxy Pleo's chart of accounts.

Written Flask-style; the tiny `route` registry below stands in for `app.route` so the views
can be called directly in tests.
"""

import os

import requests

PLEO = "https://openapi.pleo.io"
ROUTES = {}

pleo_http = requests.Session()
pleo_http.headers["Authorization"] = "Bearer " + os.getenv("DASHBOARD_PLEO_TOKEN", "")


def route(rule):
    def register(view):
        ROUTES[rule] = view
        return view
    return register


def jsonify(**fields):
    return dict(fields)


@route("/api/accounts")
def list_accounts():
    resp = pleo_http.get(f"{PLEO}/v1/accounts", params={"pageSize": 500})
    if resp.status_code != 200:
        return jsonify(error=resp.status_code), resp.status_code
    rows = [
        {"number": a["accountNumber"], "name": a["name"], "hidden": a["hidden"]}
        for a in resp.json()["accounts"]
    ]
    rows.sort(key=lambda row: row["number"] or "")
    return jsonify(accounts=rows, count=len(rows))


@route("/api/accounts/<account_id>")
def account_detail(account_id):
    resp = pleo_http.get(f"{PLEO}/v1/accounts/{account_id}")
    if resp.status_code == 404:
        return jsonify(error="no such account"), 404
    resp.raise_for_status()
    account = resp.json()
    return jsonify(id=account["id"], number=account["accountNumber"], name=account["name"],
                   tax_code=account.get("taxCodeId"))


@route("/api/tax-codes/<tax_code_id>")
def tax_code_detail(tax_code_id):
    resp = pleo_http.get(f"{PLEO}/v1/tax-codes/{tax_code_id}")
    resp.raise_for_status()
    code = resp.json()
    return jsonify(code=code["code"], name=code["name"], rate=code["rate"])


@route("/api/tag-groups")
def tag_groups():
    resp = pleo_http.get(f"{PLEO}/v1/tag-groups")
    resp.raise_for_status()
    return jsonify(groups=sorted(g["name"] for g in resp.json()))
