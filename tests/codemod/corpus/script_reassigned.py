"""Ad-hoc reporting helpers (copied from a notebook)."""

import os
from urllib.parse import urljoin

import requests

API_ROOT = "https://openapi.pleo.io/v1/"
if os.environ.get("PLEO_ENVIRONMENT") == "staging":
    API_ROOT = "https://openapi.staging.pleo.io/v1/"

URL = "https://openapi.pleo.io/v1/employees"
EXPENSE_URL = API_ROOT + "expenses/{}"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_OPENAPI_TOKEN", "")}


def employee_emails(url=URL):
    r = requests.get(url, headers=HEADERS, params={"pageSize": 200})
    r.raise_for_status()
    return sorted(e["email"] for e in r.json()["employees"])


def expense_note(expense_id):
    r = requests.get(EXPENSE_URL.format(expense_id), headers=HEADERS)
    r.raise_for_status()
    return r.json().get("note")


URL = urljoin(API_ROOT, "tag-groups")


def tag_group_names(url=URL):
    r = requests.get(url, headers=HEADERS)
    r.raise_for_status()
    return sorted(g["name"] for g in r.json())


def tax_code(tax_code_id):
    r = requests.get(urljoin(API_ROOT, "tax-codes/" + tax_code_id), headers=HEADERS)
    r.raise_for_status()
    return r.json()


def account(account_id):
    url = "{root}accounts/{id}".format(root=API_ROOT, id=account_id)
    r = requests.get(url, headers=HEADERS)
    r.raise_for_status()
    return r.json()
