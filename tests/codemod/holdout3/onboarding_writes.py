"""Onboarding hooks: when HR hires someone, invite them to Pleo and set up their team.

Every request is logged with its timing; every request has a timeout.
"""
import logging
import os
import time

import requests

log = logging.getLogger("onboarding.pleo")

PLEO_BASE_URL = "https://openapi.pleo.io/v1"
CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 20


def token():
    return os.environ["PLEO_ONBOARDING_TOKEN"]


def _send(method, path, payload=None):
    started = time.monotonic()
    log.info("pleo %s %s", method, path)
    resp = requests.request(
        method,
        PLEO_BASE_URL + path,
        json=payload,
        headers={"Authorization": "Bearer " + token()},
        timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
    )
    log.debug("pleo %s %s -> %s in %.0f ms", method, path, resp.status_code,
              (time.monotonic() - started) * 1000)
    try:
        resp.raise_for_status()
    except requests.HTTPError:
        log.error("pleo %s %s failed: %s", method, path, resp.text[:200])
        raise
    return resp.json() if resp.content else {}


def invite(email):
    created = _send("POST", "/employees", {"email": email})
    log.info("invited %s as %s", email, created["id"])
    return bool(created["id"])


def update_profile(employee_id, job_title, phone=None):
    body = {"jobTitle": job_title}
    if phone:
        body["phone"] = phone
    updated = _send("PUT", f"/employees/{employee_id}", body)
    return {"jobTitle": updated["jobTitle"], "phone": updated.get("phone")}


def create_team(name, code):
    team = _send("POST", "/teams", {"name": name, "code": code})
    return {"name": team["name"], "code": team["code"]}


def new_account(number, name):
    acc = _send("POST", "/accounts", {"accountNumber": number, "name": name, "hidden": False})
    log.info("account %s created", acc["accountNumber"])
    return [acc["accountNumber"], acc["name"], acc["hidden"]]
