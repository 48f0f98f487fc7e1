"""Company-wide Pleo settings report, production or staging.

PLEO_ENVIRONMENT picks the API host; the default is production.
"""
import os

import requests

ENVIRONMENT = os.environ.get("PLEO_ENVIRONMENT", "production")
PLEO_URL = {
    "production": "https://openapi.pleo.io/v1",
    "staging": "https://openapi.staging.pleo.io/v1",
}[ENVIRONMENT]

AUTH = {"Authorization": "Bearer " + os.environ.get("PLEO_SETTINGS_TOKEN", "")}


def _get(path, **query):
    resp = requests.get(PLEO_URL + path, headers=AUTH, params=query, timeout=30)
    resp.raise_for_status()
    return resp.json()


def account_groups():
    body = _get("/account-groups", pageSize=100)
    return [
        {"name": g["name"], "kind": g["typeKey"], "hidden": g["hidden"]}
        for g in body["accountGroups"]
    ]


def balance():
    data = _get("/companies/balance")
    return {"currency": data["currency"], "available": data["available"],
            "reserved": round(data["current"] - data["available"], 2)}


def tax_code(tax_code_id):
    tc = _get(f"/tax-codes/{tax_code_id}")
    return {"code": tc["code"], "name": tc["name"], "rate": tc["rate"], "type": tc["type"]}


def disabled_tax_codes():
    codes = _get("/tax-codes", hidden="true")["taxCodes"]
    return sorted(c["code"] for c in codes if not c["enabled"])


def summary():
    return {
        "environment": ENVIRONMENT,
        "groups": len(account_groups()),
        "wallet": balance()["currency"],
    }
