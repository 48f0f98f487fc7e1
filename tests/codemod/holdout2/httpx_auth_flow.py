"""Tag catalogue reader built on httpx, with the token applied by an `httpx.Auth` class.

Keeping the credential in an Auth object means it never lands in logged headers dicts.
"""
from __future__ import annotations

import os
from collections.abc import Generator

import httpx

PLEO_LEGACY = "https://openapi.pleo.io/v1"


class PleoTokenAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class TagCatalogue:
    def __init__(self) -> None:
        self.client = httpx.Client(auth=PleoTokenAuth(os.environ["PLEO_TAGS_TOKEN"]),
                                   timeout=httpx.Timeout(10.0))

    def groups(self) -> list[dict]:
        r = self.client.get(PLEO_LEGACY + "/tag-groups")
        r.raise_for_status()
        return [g for g in r.json() if not g.get("archived")]

    def group_names(self) -> list[str]:
        return sorted(g["name"] for g in self.groups())

    def group(self, group_id: str) -> dict:
        r = self.client.get(PLEO_LEGACY + f"/tag-groups/{group_id}")
        r.raise_for_status()
        return r.json()

    def tags(self, group_id: str) -> list[dict]:
        r = self.client.get(PLEO_LEGACY + f"/tag-groups/{group_id}/tags")
        r.raise_for_status()
        return r.json()

    def tag_labels(self, group_id: str) -> list[str]:
        labels = []
        for tag in self.tags(group_id):
            values = [v["value"] for v in tag.get("attributeValues", [])]
            labels.append(" / ".join(values))
        return sorted(labels)

    def tag(self, group_id: str, tag_id: str) -> dict:
        r = self.client.get(f"{PLEO_LEGACY}/tag-groups/{group_id}/tags/{tag_id}")
        r.raise_for_status()
        return r.json()

    def close(self) -> None:
        self.client.close()
