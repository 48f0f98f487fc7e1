# ruff: noqa: UP031
"""Memoising reader: responses are kept as parsed JSON and fields read out later."""

import os
import time

import requests

_CACHE = {}
TTL_SECONDS = 300


class PleoCache:
    def __init__(self, api="https://openapi.pleo.io/v1", token_var="PLEO_CACHE_TOKEN"):
        self.api = api
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + os.environ[token_var]

    def _cached(self, url, params=None):
        key = (url, tuple(sorted((params or {}).items())))
        hit = _CACHE.get(key)
        if hit and time.monotonic() - hit[0] < TTL_SECONDS:
            return hit[1]
        resp = self.session.get(url, params=params, timeout=20)
        resp.raise_for_status()
        _CACHE[key] = (time.monotonic(), resp.json())
        return _CACHE[key][1]

    def warm(self):
        self._cached(self.api + "/expenses", {"pageSize": 50})
        self._cached(self.api + "/tax-codes")
        self._cached(self.api + "/tag-groups")
        return len(_CACHE)

    def expense_notes(self):
        data = self._cached(self.api + "/expenses", {"pageSize": 50})
        return {e["id"]: e.get("note") for e in data["expenses"]}

    def expense_currency(self, expense_id):
        data = self._cached("%s/expenses/%s" % (self.api, expense_id))
        return data["amountOriginal"]["currency"]

    def expense_receipt_ids(self, expense_id):
        data = self._cached(self.api + "/expenses/" + expense_id)
        return list(data.get("receiptIds") or [])

    def tax_code_names(self):
        data = self._cached(self.api + "/tax-codes")
        return sorted(t["name"] for t in data["taxCodes"])

    def tag_group_ids(self):
        data = self._cached(self.api + "/tag-groups")
        return sorted(g["id"] for g in data)
