"""Async Pleo client for the tag and people sync service (httpx.AsyncClient)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import httpx

PLEO_API = "https://openapi.pleo.io/v1"


class AsyncPleo:
    def __init__(self, token: str | None = None) -> None:
        token = token or os.environ["PLEO_LEGACY_TOKEN"]
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=30,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _get(self, path: str, **params: Any) -> Any:
        response = await self._client.get(f"{PLEO_API}{path}", params=params)
        response.raise_for_status()
        return response.json()

    async def tag_groups(self) -> list[dict[str, Any]]:
        return await self._get("/tag-groups")

    async def tag_group(self, tag_group_id: str) -> dict[str, Any]:
        return await self._get(f"/tag-groups/{tag_group_id}")

    async def tags(self, tag_group_id: str) -> list[dict[str, Any]]:
        response = await self._client.get(f"{PLEO_API}/tag-groups/{tag_group_id}/tags")
        response.raise_for_status()
        return response.json()

    async def employees(self, page_size: int = 20) -> AsyncIterator[dict[str, Any]]:
        offset: int | None = 0
        while offset is not None:
            page = await self._get("/employees", pageOffset=offset, pageSize=page_size)
            for employee in page["employees"]:
                yield employee
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]

    async def employee(self, employee_id: str) -> dict[str, Any]:
        response = await self._client.get(f"{PLEO_API}/employees/{employee_id}")
        response.raise_for_status()
        return response.json()
