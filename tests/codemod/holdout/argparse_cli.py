#!/usr/bin/env python3
# ruff: noqa: UP031, RUF005
"""pleo-dump: dump Pleo data as JSON.

    PLEO_TOKEN=... ./pleo_dump.py employees --page-size 50
    PLEO_URL=https://openapi.staging.pleo.io ./pleo_dump.py tax-codes
"""
import argparse
import json
import os
import sys

import requests

BASE = os.getenv("PLEO_URL", "https://openapi.pleo.io")

ENDPOINTS = {
    "employees": ("/v1/employees", "employees"),
    "teams": ("/v1/teams", "teams"),
    "tax-codes": ("/v1/tax-codes", "taxCodes"),
    "accounts": ("/v1/accounts", "accounts"),
}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="pleo-dump")
    parser.add_argument("what", choices=sorted(ENDPOINTS) + ["balance", "health"])
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--token", default=os.getenv("PLEO_TOKEN"))
    return parser.parse_args(argv)


def dump(what, token, page_size=1000):
    headers = {"Authorization": "Bearer " + token}
    if what == "balance":
        resp = requests.get(BASE + "/v1/companies/balance", headers=headers)
        resp.raise_for_status()
        return resp.json()
    if what == "health":
        return requests.get(BASE + "/v1/health").json()
    path, key = ENDPOINTS[what]
    resp = requests.get(BASE + path, headers=headers, params={"pageSize": page_size})
    if not resp.ok:
        print("pleo-dump: %s answered %d" % (path, resp.status_code), file=sys.stderr)
        resp.raise_for_status()
    return resp.json()[key]


def main(argv=None):
    args = parse_args(argv)
    if not args.token:
        sys.exit("pleo-dump: set PLEO_TOKEN or pass --token")
    data = dump(args.what, args.token, args.page_size)
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return data


if __name__ == "__main__":
    main()
