"""Hand-rolled retry decorator around requests.get (we do not want tenacity in this image)."""

import functools
import logging
import os
import time

import requests

logger = logging.getLogger(__name__)

BASE = os.environ.get("PLEO_BASE_URL", "https://openapi.pleo.io/v1").rstrip("/")
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
RETRY_ON = (500, 502, 503, 504)


def retry(times=3, backoff=0.25):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            last = None
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except requests.HTTPError as err:
                    if err.response is None or err.response.status_code not in RETRY_ON:
                        raise
                    last = err
                except (requests.ConnectionError, requests.Timeout) as err:
                    last = err
                logger.warning("attempt %d failed: %s", attempt, last)
                time.sleep(backoff * attempt)
            raise last
        return wrapper
    return decorator


@retry()
def get_json(url, params=None):
    response = requests.get(url, headers=HEADERS, params=params, timeout=10)
    response.raise_for_status()
    return response.json()


def tax_codes():
    return get_json(BASE + "/tax-codes")["taxCodes"]


def tax_code(code_id):
    return get_json(BASE + "/tax-codes/" + code_id)


@retry(times=5)
def balance():
    response = requests.get(f"{BASE}/companies/balance", headers=HEADERS, timeout=10)
    response.raise_for_status()
    body = response.json()
    return {"available": body.get("available"), "currency": body.get("currency")}


@retry()
def account_group_names():
    response = requests.get(f"{BASE}/account-groups", headers=HEADERS, timeout=10)
    response.raise_for_status()
    body = response.json()
    groups = body.get("accountGroups", body) if isinstance(body, dict) else body
    return sorted(g["name"] for g in groups)
