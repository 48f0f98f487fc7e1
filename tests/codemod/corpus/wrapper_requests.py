"""Thin wrapper around the Pleo Open API, used by the finance data sync.

Everything goes through `_request`, which retries rate limits and server errors.
"""

import logging
import os
import time

import requests

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://openapi.pleo.io/v1"
MAX_RETRIES = 3


class PleoAPIError(Exception):
    def __init__(self, status_code, message):
        super().__init__(f"Pleo API error {status_code}: {message}")
        self.status_code = status_code


class PleoClient:
    def __init__(self, token=None, base=None, timeout=30):
        self.base_url = (base or DEFAULT_BASE).rstrip("/")
        self.token = token or os.environ["PLEO_API_TOKEN"]
        self.timeout = timeout
        self.headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }

    def _request(self, method, path, **kw):
        url = f"{self.base_url}{path}"
        for attempt in range(MAX_RETRIES):
            resp = requests.request(
                method, url, headers=self.headers, timeout=self.timeout, **kw
            )
            if resp.status_code == 429 or resp.status_code >= 500:
                wait = float(resp.headers.get("Retry-After", 0.1 * 2**attempt))
                log.warning("pleo %s %s -> %s, retrying in %ss", method, path, resp.status_code, wait)
                time.sleep(min(wait, 2))
                continue
            if resp.status_code >= 400:
                raise PleoAPIError(resp.status_code, resp.text[:200])
            if not resp.content:
                return None
            return resp.json()
        raise PleoAPIError(resp.status_code, "gave up after retries")

    # employees

    def list_employees(self, page_size=50):
        out = []
        offset = 0
        while True:
            data = self._request(
                "GET", "/employees", params={"pageOffset": offset, "pageSize": page_size}
            )
            out.extend(data["employees"])
            offset = data["metadata"]["pageInfo"].get("nextPageOffset")
            if not offset:
                return out

    def get_employee(self, employee_id):
        return self._request("GET", f"/employees/{employee_id}")

    # expenses

    def get_expense(self, expense_id):
        return self._request("GET", f"/expenses/{expense_id}")

    # tax codes

    def list_tax_codes(self):
        return self._request("GET", "/tax-codes")["taxCodes"]

    def get_tax_code(self, tax_code_id):
        return self._request("GET", "/tax-codes/" + tax_code_id)

    # company

    def company_balance(self):
        return self._request("GET", "/companies/balance")
