"""Background jobs for the finance worker (runs under our home-grown task runner).

Each @task is registered by name so the scheduler can enqueue it from the admin; retries are
handled here because Pleo answers 5xx now and then during their deploys.
"""
import functools
import logging
import os
import time

import requests

logger = logging.getLogger("worker.pleo")

PLEO_API = "https://openapi.pleo.io/v1"
REGISTRY = {}


def task(name=None, retries=2, backoff=0.01):
    def register(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            for attempt in range(retries + 1):
                try:
                    return fn(*args, **kwargs)
                except requests.HTTPError as exc:
                    status = exc.response.status_code if exc.response is not None else 0
                    if status < 500 or attempt == retries:
                        raise
                    logger.warning("%s failed (%s), retrying", run.task_name, status)
                    time.sleep(backoff * (attempt + 1))
        run.task_name = name or fn.__name__
        REGISTRY[run.task_name] = run
        return run
    return register


@functools.lru_cache(maxsize=1)
def pleo():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer %s" % os.environ["PLEO_WORKER_TOKEN"]  # noqa: UP031
    session.headers["User-Agent"] = "finance-worker/3.2"
    return session


@task(name="pleo.sync_tax_codes")
def sync_tax_codes():
    resp = pleo().get(PLEO_API + "/tax-codes")
    resp.raise_for_status()
    codes = {}
    for code in resp.json()["taxCodes"]:
        if code["enabled"]:
            codes[code["code"]] = {"name": code["name"], "rate": code["rate"]}
    return codes


@task(name="pleo.refresh_expense", retries=4)
def refresh_expense(expense_id):
    resp = pleo().get(PLEO_API + "/expenses/" + expense_id)
    resp.raise_for_status()
    expense = resp.json()
    return {
        "id": expense["id"],
        "status": expense["status"],
        "amount": expense["amountOriginal"]["value"],
        "currency": expense["amountOriginal"]["currency"],
        "booked_to": expense.get("accountId"),
        "lines": len(expense.get("lines") or []),
    }


@task(name="pleo.sync_accounts")
def sync_accounts(include_hidden=False):
    resp = pleo().get(PLEO_API + "/accounts", params={"pageSize": 200})
    resp.raise_for_status()
    accounts = resp.json()["accounts"]
    return sorted(
        (a["accountNumber"], a["name"]) for a in accounts if include_hidden or not a["hidden"]
    )


def enqueue(name, *args, **kwargs):
    """What the scheduler calls: run the task now (the real runner pickles it)."""
    return REGISTRY[name](*args, **kwargs)
