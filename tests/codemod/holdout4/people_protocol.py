"""Team directory over a typed source: the HTTP source reads Pleo, the tests use a fake."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, Protocol

import httpx


class EmployeeSource(Protocol):
    def all(self) -> Iterator[dict[str, Any]]: ...

    def one(self, employee_id: str) -> dict[str, Any]: ...


class PleoEmployeeSource:
    def __init__(self, token: str, root: str = "https://openapi.pleo.io") -> None:
        self._client = httpx.Client(headers={"Authorization": "Bearer " + token})
        self._root = root

    def all(self) -> Iterator[dict[str, Any]]:
        offset: int | None = 0
        while offset is not None:
            resp = self._client.get(self._root + "/v1/employees",
                                    params={"pageOffset": offset, "pageSize": 20})
            resp.raise_for_status()
            body = resp.json()
            yield from body["employees"]
            offset = body["metadata"]["pageInfo"]["nextPageOffset"]

    def one(self, employee_id: str) -> dict[str, Any]:
        resp = self._client.get(self._root + "/v1/employees/" + employee_id)
        resp.raise_for_status()
        return resp.json()


class TeamDirectory:
    def __init__(self, source: EmployeeSource) -> None:
        self.source = source

    def names(self) -> list[str]:
        return sorted(f"{e['lastName']}, {e['firstName']}" for e in self.source.all())

    def by_job_title(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.source.all():
            title = e.get("jobTitle") or "(none)"
            counts[title] = counts.get(title, 0) + 1
        return dict(sorted(counts.items()))

    def contact(self, employee_id: str) -> tuple[str, str | None]:
        e = self.source.one(employee_id)
        return e["email"], e.get("phone")


def build_directory() -> TeamDirectory:
    return TeamDirectory(PleoEmployeeSource(os.environ["DIRECTORY_PLEO_TOKEN"]))
