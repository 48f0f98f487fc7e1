"""AWS Lambda behind our Slack bot: look up an employee, an expense or the balance.

Configuration comes from the function's environment (set by the Terraform module).
"""

import json
import os

import requests

API_ROOT = os.environ.get("PLEO_API_ROOT", "https://openapi.pleo.io/v1")
TIMEOUT = float(os.environ.get("PLEO_TIMEOUT_SECONDS", "10"))


def _headers():
    return {"Authorization": "Bearer " + os.environ["SLACKBOT_PLEO_TOKEN"],
            "Accept": "application/json"}


def _respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(payload, sort_keys=True)}


def _employee(params):
    r = requests.get(API_ROOT + "/employees/" + params["employeeId"], headers=_headers(),
                     timeout=TIMEOUT)
    r.raise_for_status()
    e = r.json()
    return {"name": f"{e['firstName']} {e['lastName']}", "email": e["email"],
            "title": e.get("jobTitle") or "-"}


def _expense(params):
    r = requests.get(API_ROOT + "/expenses/" + params["expenseId"], headers=_headers(),
                     timeout=TIMEOUT)
    r.raise_for_status()
    e = r.json()
    merchant = ((e.get("cardTransaction") or {}).get("merchant") or {}).get("name")
    return {"amount": e["amountOriginal"]["value"], "currency": e["amountOriginal"]["currency"],
            "merchant": merchant, "note": e.get("note"), "date": e["performedAt"][:10]}


def _balance(params):
    r = requests.get(API_ROOT + "/companies/balance", headers=_headers(), timeout=TIMEOUT)
    r.raise_for_status()
    b = r.json()
    return {"available": b["available"], "currency": b["currency"]}


ACTIONS = {"employee": _employee, "expense": _expense, "balance": _balance}


def handler(event, context):
    body = event.get("body")
    params = json.loads(body) if isinstance(body, str) else (event.get("queryStringParameters")
                                                             or {})
    action = ACTIONS.get(params.get("action", ""))
    if action is None:
        return _respond(400, {"error": "unknown action"})
    try:
        return _respond(200, action(params))
    except requests.HTTPError as exc:
        return _respond(exc.response.status_code, {"error": "pleo said no"})
