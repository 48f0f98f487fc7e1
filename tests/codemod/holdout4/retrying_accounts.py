"""Account maintenance script: list, read and rename Pleo accounts, retrying flaky calls."""

import functools
import os
import time

import requests

API = os.environ.get("PLEO_URL", "https://openapi.pleo.io") + "/v1"
RETRYABLE = {429, 500, 502, 503, 504}


def retry(times=3, delay=0.2):
    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return fn(*args, **kwargs)
                except requests.HTTPError as exc:
                    code = exc.response.status_code if exc.response is not None else 0
                    if code not in RETRYABLE or attempt == times:
                        raise
                    time.sleep(delay * attempt)
        return run
    return wrap


def _headers():
    return {"Authorization": "Bearer " + os.environ["MAINT_PLEO_TOKEN"]}


@retry()
def accounts():
    r = requests.get(API + "/accounts", headers=_headers(), params={"pageSize": 100})
    r.raise_for_status()
    return [(a["accountNumber"], a["name"]) for a in r.json()["accounts"]]


@retry(times=5)
def account(account_id):
    r = requests.get(API + "/accounts/" + account_id, headers=_headers())
    r.raise_for_status()
    data = r.json()
    return {"number": data["accountNumber"], "name": data["name"], "hidden": data["hidden"]}


@retry()
def rename_account(account_id, new_name):
    r = requests.put(API + "/accounts/" + account_id, headers=_headers(),
                     json={"name": new_name})
    r.raise_for_status()
    return account(account_id)["name"]


@retry()
def hide_account(account_id):
    r = requests.put(API + "/accounts/" + account_id, headers=_headers(),
                     json={"hidden": True})
    r.raise_for_status()
    return r.status_code
