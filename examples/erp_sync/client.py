"""The Pleo API client of the ERP sync job.

One requests.Session per client with the token in its headers; a generic `get` for paths
the sync chooses, and dedicated methods for the lists the job reads on every run.
"""

from __future__ import annotations

import os
from typing import Any

import requests

DEFAULT_BASE_URL = "https://openapi.pleo.io/v1"
TIMEOUT = 30
PAGE_SIZE = 50


class PleoError(RuntimeError):
    """Pleo answered with an error status."""


class PleoClient:
    def __init__(self, token: str | None = None, base_url: str | None = None) -> None:
        self.base_url = base_url or os.environ.get("PLEO_LEGACY_URL", DEFAULT_BASE_URL)
        token = token or os.environ["PLEO_LEGACY_TOKEN"]
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET any path under the API base and return the decoded body."""
        response = self.session.get(self.base_url + path, params=params, timeout=TIMEOUT)
        if response.status_code >= 400:
            raise PleoError(f"GET {path}: HTTP {response.status_code}")
        return response.json()

    def employees(self) -> list[dict[str, Any]]:
        """Every employee, page by page."""
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            response = self.session.get(
                f"{self.base_url}/employees",
                params={"pageSize": PAGE_SIZE, "pageOffset": offset},
                timeout=TIMEOUT,
            )
            response.raise_for_status()
            page = response.json()
            found.extend(page["employees"])
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                break
        return found

    def accounts(self) -> list[dict[str, Any]]:
        """The first hundred accounts of the chart of accounts (the job syncs no more)."""
        response = self.session.get(
            f"{self.base_url}/accounts", params={"pageSize": 100}, timeout=TIMEOUT
        )
        response.raise_for_status()
        return response.json()["accounts"]

    def expense(self, expense_id: str) -> dict[str, Any]:
        response = self.session.get(f"{self.base_url}/expenses/{expense_id}", timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
