"""Pleo connector for the ERP bridge: token auth as a requests AuthBase."""
import os

import requests
from requests.auth import AuthBase


class PleoTokenAuth(AuthBase):
    """Attach the Pleo Open API token to every request."""

    def __init__(self, token):
        self.token = token

    def __call__(self, r):
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


class PleoConnector:
    base = "https://openapi.pleo.io/v1"

    def __init__(self, token=None):
        self.http = requests.Session()
        self.http.auth = PleoTokenAuth(token or os.getenv("ERP_PLEO_TOKEN"))
        self.http.headers["Accept"] = "application/json"

    def call(self, method, resource, **kwargs):
        send = getattr(self.http, method.lower())
        response = send("/".join((self.base, resource)), **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def chart_of_accounts(self):
        rows = self.call("GET", "accounts")["accounts"]
        return [(a["accountNumber"], a["name"]) for a in rows if not a["hidden"]]

    def account_group_ids(self):
        return sorted({a["accountCategoryId"] for a in self.call("GET", "accounts")["accounts"]})

    def rename_account(self, account_id, name):
        updated = self.call("PUT", f"accounts/{account_id}", json={"name": name})
        return updated["name"]

    def new_account(self, number, name):
        created = self.call("POST", "accounts", json={"accountNumber": number, "name": name})
        return created["accountNumber"], created["name"]

    def tag_group_archived(self, group_id):
        return self.call("GET", f"tag-groups/{group_id}")["archived"]
