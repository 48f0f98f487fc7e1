"""Full exports of Pleo reference data (legacy API, offset paging)."""
import os
from urllib.parse import urljoin

import requests

BASE_URL = "https://openapi.pleo.io/v1/"
PAGE_SIZE = 25

session = requests.Session()
session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def paginate(path, key, **params):
    """Yield every record of a legacy list endpoint, following metadata.pageInfo."""
    offset = 0
    while True:
        query = dict(params, pageOffset=offset, pageSize=PAGE_SIZE)
        resp = session.get(urljoin(BASE_URL, path), params=query, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        yield from body[key]
        offset = (body.get("metadata") or {}).get("pageInfo", {}).get("nextPageOffset")
        if offset is None:
            return


def all_employees():
    return [(e["id"], e["email"]) for e in paginate("employees", "employees")]


def all_accounts():
    return sorted(a["accountNumber"] for a in paginate("accounts", "accounts"))


def all_tax_codes():
    return {t["code"]: t["rate"] for t in paginate("tax-codes", "taxCodes")}


def exported_expenses():
    return [e["id"] for e in paginate("expenses", "expenses", status="EXPORTED")]


def team_names():
    return [t["name"] for t in paginate("teams", "teams")]
