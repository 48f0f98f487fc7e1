"""Mirror several Pleo resources into our reference-data store, driven by one table."""

import os

import requests

PLEO = {
    "url": "https://openapi.pleo.io/v1",
    "token_env": "PLEO_SYNC_TOKEN",
}

RESOURCES = {
    "employees": {"path": "/employees", "key": "employees", "id": "id", "paged": True},
    "teams": {"path": "/teams", "key": "teams", "id": "id", "paged": True},
    "accounts": {"path": "/accounts", "key": "accounts", "id": "id", "paged": False},
    "tax_codes": {"path": "/tax-codes", "key": "taxCodes", "id": "id", "paged": False},
    "tag_groups": {"path": "/tag-groups", "key": None, "id": "id", "paged": False},
}


def _session():
    session = requests.Session()
    session.headers.update({
        "Authorization": "Bearer " + os.environ[PLEO["token_env"]],
        "Content-Type": "application/json",
    })
    return session


def fetch(resource, session=None):
    spec = RESOURCES[resource]
    session = session or _session()
    params = {"pageSize": 100} if spec["paged"] else None
    resp = session.get(PLEO["url"] + spec["path"], params=params, timeout=30)
    resp.raise_for_status()
    body = resp.json()
    return body if spec["key"] is None else body[spec["key"]]


def sync(resource, store=None):
    store = {} if store is None else store
    spec = RESOURCES[resource]
    table = store.setdefault(resource, {})
    for row in fetch(resource):
        table[row[spec["id"]]] = row
    return sorted(table)


def sync_all():
    session = _session()
    counts = {}
    for name in RESOURCES:
        counts[name] = len(fetch(name, session))
    return counts


def describe(resource):
    """Field names seen on the first record (for the store's schema check)."""
    rows = fetch(resource)
    return sorted(rows[0]) if rows else []
