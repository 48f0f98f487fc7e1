"""tap-pleo: a Singer tap for the Pleo legacy Open API (streams and their sync)."""

import json
import os
import sys

import requests

BASE_URL = "https://openapi.pleo.io/v1/"
PAGE_SIZE = 100000

STREAMS = {
    "employees": {"key": "employees", "paginated": True},
    "expenses": {"key": "expenses", "paginated": True},
    "accounts": {"key": "accounts", "paginated": True},
    "tax-codes": {"key": "taxCodes", "paginated": False},
}


def _config():
    return {"api_token": os.environ.get("TAP_PLEO_API_TOKEN", "")}


def _headers(config):
    return {"Authorization": "Bearer " + config["api_token"], "Accept": "application/json"}


def get_records(stream, config=None):
    """Yield every record of a stream, following nextPageOffset."""
    config = config or _config()
    key = STREAMS[stream]["key"]
    url = f"{BASE_URL}{stream}"
    params = {"pageSize": PAGE_SIZE, "pageOffset": 0}
    while True:
        resp = requests.get(url, headers=_headers(config), params=params, timeout=60)
        resp.raise_for_status()
        body = resp.json()
        yield from body[key]
        if not STREAMS[stream]["paginated"]:
            break
        next_offset = body.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
        if not next_offset:
            break
        params["pageOffset"] = next_offset


def tax_codes(config=None):
    config = config or _config()
    resp = requests.get(BASE_URL + "tax-codes", headers=_headers(config), timeout=60)
    resp.raise_for_status()
    return resp.json()["taxCodes"]


def write_record(stream, record):
    sys.stdout.write(json.dumps({"type": "RECORD", "stream": stream, "record": record}) + "\n")


def sync(config=None):
    for stream in STREAMS:
        for record in get_records(stream, config):
            write_record(stream, record)


if __name__ == "__main__":
    sync()
