"""Dump Pleo master data for the nightly warehouse load (a script grown over the years)."""

import argparse
import json
import os

import requests

BASE = "https://openapi.pleo.io/v1"
TOKEN = os.environ.get("PLEO_TOKEN", "")


def headers():
    return {"Authorization": "Bearer {}".format(TOKEN), "Accept": "application/json"}


def fetch(kind):
    if kind == "employees":
        url = BASE + "/employees"
        key = "employees"
    elif kind == "accounts":
        url = BASE + "/accounts"
        key = "accounts"
    elif kind == "tax-codes":
        url = BASE + "/tax-codes"
        key = "taxCodes"
    else:
        raise ValueError(f"unknown kind {kind}")
    r = requests.get(url, headers=headers(), params={"pageSize": 1000})
    r.raise_for_status()
    return r.json()[key]


def fetch_one(kind, ident):
    if kind == "employee":
        url = f"{BASE}/employees/{ident}"
    elif kind == "tax-code":
        url = f"{BASE}/tax-codes/{ident}"
    else:
        url = f"{BASE}/accounts/{ident}"
    r = requests.get(url, headers=headers())
    r.raise_for_status()
    return r.json()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["employees", "accounts", "tax-codes"])
    args = parser.parse_args()
    print(json.dumps(fetch(args.kind), indent=2))


if __name__ == "__main__":
    main()
