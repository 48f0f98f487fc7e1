# ruff: noqa: UP031
"""Pleo session with retries. Usage:

    with PleoApiSession() as pleo:
        for person in pleo.people():
            ...
"""
import os

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

PLEO_API = "https://openapi.pleo.io/v1/"


class PleoApiSession(requests.Session):
    """A requests.Session that knows the Pleo base URL and retries flaky calls."""

    def __init__(self, token=None, base_url=PLEO_API):
        super().__init__()
        self.base_url = base_url
        retries = Retry(total=5, backoff_factor=0.5,
                        status_forcelist=(429, 500, 502, 503, 504),
                        allowed_methods=frozenset(["GET", "PUT", "POST"]))
        self.mount("https://", HTTPAdapter(max_retries=retries))
        self.headers.update({
            "Authorization": "Bearer " + (token or os.environ["PLEO_SECRET"]),
            "Accept": "application/json",
        })

    def request(self, method, url, *args, **kwargs):
        if not url.startswith("http"):
            url = self.base_url + url.lstrip("/")
        kwargs.setdefault("timeout", 20)
        return super().request(method, url, *args, **kwargs)

    # -- convenience ---------------------------------------------------------------

    def people(self):
        resp = self.get("employees", params={"pageSize": 500})
        resp.raise_for_status()
        return resp.json()["employees"]

    def person(self, employee_id):
        resp = self.get(f"employees/{employee_id}")
        resp.raise_for_status()
        return resp.json()

    def account(self, account_id):
        resp = self.get("/accounts/" + account_id)
        resp.raise_for_status()
        return resp.json()

    def vat_rates(self):
        resp = self.get("tax-codes")
        resp.raise_for_status()
        return {tc["code"]: tc["rate"] for tc in resp.json()["taxCodes"]}

    def team(self, team_id):
        resp = self.get("teams/%s" % team_id)
        resp.raise_for_status()
        body = resp.json()
        return {"name": body["name"], "members": sorted(e["email"] for e in body["employees"])}
