"""Chart of accounts and tag sync for the ERP connector (requests.Session based)."""

from __future__ import annotations

import os
from typing import Any

import requests

PLEO_BASE_URL = os.getenv("PLEO_BASE_URL", "https://openapi.pleo.io/v1")


class PleoSession:
    """One session per connector run; the token lives in the session headers."""

    def __init__(self, token: str | None = None, base_url: str = PLEO_BASE_URL) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": "Bearer " + (token or os.environ["PLEO_TOKEN"]),
                "Accept": "application/json",
            }
        )

    def _get(self, path: str, **params: Any) -> Any:
        response = self.session.get(self.base_url + path, params=params or None, timeout=20)
        response.raise_for_status()
        return response.json()

    def _patch(self, path: str, body: dict[str, Any]) -> Any:
        response = self.session.patch(self.base_url + path, json=body, timeout=20)
        response.raise_for_status()
        return response.json()

    def accounts(self) -> list[dict[str, Any]]:
        return self._get("/accounts", pageSize=500)["accounts"]

    def account(self, account_id: str) -> dict[str, Any]:
        return self._get(f"/accounts/{account_id}")

    def tag_groups(self) -> list[dict[str, Any]]:
        # bare JSON array, no paging
        return self._get("/tag-groups")

    def tags(self, tag_group_id: str) -> list[dict[str, Any]]:
        return self._get(f"/tag-groups/{tag_group_id}/tags")

    def tag(self, tag_group_id: str, tag_id: str) -> dict[str, Any]:
        return self._get(f"/tag-groups/{tag_group_id}/tags/{tag_id}")

    def rename_tag_group(self, tag_group_id: str, name: str) -> str:
        group = self._patch(f"/tag-groups/{tag_group_id}", {"name": name})
        return group["name"]
