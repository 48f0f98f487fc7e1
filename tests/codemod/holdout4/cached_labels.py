"""Expense labelling for the controller's review sheet: account and VAT code in words.

Accounts and tax codes hardly ever change, so they are fetched once per process.
"""

import os
from functools import cache, lru_cache

import requests

ROOT = "https://openapi.pleo.io/v1"


@lru_cache(maxsize=1)
def _session():
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {os.environ['REVIEW_PLEO_TOKEN']}"
    return s


@cache
def tax_codes_by_id():
    data = _session().get(f"{ROOT}/tax-codes").json()
    return {t["id"]: t for t in data["taxCodes"]}


@cache
def accounts_by_id():
    out, offset = {}, 0
    while True:
        data = _session().get(f"{ROOT}/accounts",
                              params={"pageOffset": offset, "pageSize": 100}).json()
        out.update({a["id"]: a for a in data["accounts"]})
        offset = data["metadata"]["pageInfo"]["nextPageOffset"]
        if not offset:
            return out


def tax_code_name(tax_code_id):
    code = tax_codes_by_id().get(tax_code_id)
    return code["name"] if code else "(unknown tax code)"


def account_number(account_id):
    account = accounts_by_id().get(account_id)
    return account["accountNumber"] if account else None


def label_expense(expense_id):
    expense = _session().get(f"{ROOT}/expenses/{expense_id}").json()
    account = accounts_by_id().get(expense.get("accountId") or "")
    tax = tax_codes_by_id().get(expense.get("taxCodeId") or "")
    return " / ".join([
        f"{expense['amountSettled']['value']:.2f} {expense['amountSettled']['currency']}",
        account["name"] if account else "no account",
        tax["code"] if tax else "no VAT code",
    ])
