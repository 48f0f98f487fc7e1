"""Pleo reader on httpx, with logging and error hooks."""
from __future__ import annotations

import logging
import os
from typing import Any

import httpx

log = logging.getLogger("pleo")


def _log_request(request: httpx.Request) -> None:
    log.debug("pleo -> %s %s", request.method, request.url.path)


def _raise_on_error(response: httpx.Response) -> None:
    if response.is_error:
        response.read()
        response.raise_for_status()


class PleoReader:
    def __init__(self, token: str | None = None, *, staging: bool = False) -> None:
        host = "openapi.staging.pleo.io" if staging else "openapi.pleo.io"
        self._client = httpx.Client(
            base_url=f"https://{host}/v1",
            headers={"Authorization": f"Bearer {token or os.environ['PLEO_READ_TOKEN']}"},
            timeout=httpx.Timeout(10.0, connect=5.0),
            event_hooks={"request": [_log_request], "response": [_raise_on_error]},
        )

    def close(self) -> None:
        self._client.close()

    def expenses(self, date_from: str, date_to: str) -> list[str]:
        params = {"dateFrom": date_from, "dateTo": date_to, "pageSize": 250}
        data = self._client.get("/expenses", params=params).json()
        return sorted(e["id"] for e in data["expenses"])

    def expense_note(self, expense_id: str) -> str | None:
        return self._client.get(f"/expenses/{expense_id}").json().get("note")

    def tag(self, group_id: str, tag_id: str) -> dict[str, Any]:
        tag = self._client.get(f"/tag-groups/{group_id}/tags/{tag_id}").json()
        return {v["attributeId"]: v["value"] for v in tag["attributeValues"]}

    def tag_group(self, group_id: str) -> str:
        return self._client.get(f"/tag-groups/{group_id}").json()["name"]

    def account_groups(self) -> list[str]:
        data = self._client.get("/account-groups").json()
        return [g["typeKey"] for g in data["accountGroups"]]
