"""Pleo triggers and searches for our private Zapier integration (Python port of the CLI app).

Zapier hands every `perform` a bundle: `authData` from the connection, `inputData` from the
Zap's fields. `run_local` builds one from the environment for `python -m` smoke tests.
"""

import os

import requests

PLEO_BASE = "https://openapi.pleo.io/v1"


def _request(bundle, method, path, **kwargs):
    headers = {"Authorization": "Bearer " + bundle["authData"]["access_token"],
               "Accept": "application/json"}
    response = requests.request(method, PLEO_BASE + path, headers=headers, timeout=25, **kwargs)
    response.raise_for_status()
    return response.json()


def perform_new_expenses(bundle):
    """Trigger: the newest expenses, newest first, as Zapier wants them (each with an id)."""
    data = _request(bundle, "GET", "/expenses", params={"pageSize": 25})
    rows = sorted(data["expenses"], key=lambda e: e["performedAt"], reverse=True)
    return [{"id": e["id"], "amount": e["amountOriginal"]["value"],
             "currency": e["amountOriginal"]["currency"], "employee": e.get("employeeId")}
            for e in rows]


def perform_find_employee(bundle):
    """Search: employees whose e-mail matches inputData.email (case-insensitive)."""
    wanted = bundle["inputData"]["email"].strip().lower()
    data = _request(bundle, "GET", "/employees", params={"pageSize": 100})
    return [{"id": e["id"], "name": e["firstName"] + " " + e["lastName"]}
            for e in data["employees"] if (e.get("email") or "").lower() == wanted]


def perform_list_cards(bundle):
    """Dropdown of cards for the 'card spent' trigger."""
    data = _request(bundle, "GET", "/cards")
    return [{"id": c["id"], "label": c.get("name")} for c in data.get("cards", [])]


def perform_tag_group(bundle):
    group_id = bundle["inputData"]["tag_group_id"]
    group = _request(bundle, "GET", f"/tag-groups/{group_id}")
    return {"id": group["id"], "name": group["name"], "archived": group["archived"]}


PERFORMS = {
    "new_expenses": perform_new_expenses,
    "find_employee": perform_find_employee,
    "list_cards": perform_list_cards,
    "tag_group": perform_tag_group,
}


def run_local(key, **input_data):
    bundle = {"authData": {"access_token": os.environ["ZAPIER_PLEO_TOKEN"]},
              "inputData": input_data}
    return PERFORMS[key](bundle)
