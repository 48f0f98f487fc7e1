"""Pleo streams for our warehouse loader, in the shape of a Singer SDK tap.

We started from the SDK's cookiecutter but dropped the dependency: the base class below keeps
the parts we used (url_base, path, records_jsonpath, next-page token, url params).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import requests


def _extract(document: Any, jsonpath: str) -> list[Any]:
    """The tiny subset of JSONPath our streams use: `$[*]` and `$.key[*]`."""
    if jsonpath == "$[*]":
        return list(document)
    key = jsonpath.removeprefix("$.").removesuffix("[*]")
    return list(document.get(key) or [])


class RESTStream:
    name = ""
    path = ""
    records_jsonpath = "$[*]"
    page_size = 250

    def __init__(self, config: dict[str, Any]):
        self.config = config
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {config['auth_token']}"
        self._session.headers["Accept"] = "application/json"

    @property
    def url_base(self) -> str:
        return self.config.get("api_url", "https://openapi.pleo.io/v1")

    def get_url_params(self, next_page_token: Any) -> dict[str, Any]:
        return {}

    def get_next_page_token(self, response: requests.Response, previous: Any) -> Any:
        return None

    def get_records(self) -> Iterable[dict[str, Any]]:
        token = None
        while True:
            response = self._session.get(self.url_base + self.path,
                                         params=self.get_url_params(token), timeout=60)
            response.raise_for_status()
            yield from (self.post_process(r) for r in _extract(response.json(),
                                                               self.records_jsonpath))
            token = self.get_next_page_token(response, token)
            if token is None:
                break

    def post_process(self, row: dict[str, Any]) -> dict[str, Any]:
        return row


class OffsetPagedStream(RESTStream):
    def get_url_params(self, next_page_token: Any) -> dict[str, Any]:
        return {"pageSize": self.page_size, "pageOffset": next_page_token or 0}

    def get_next_page_token(self, response: requests.Response, previous: Any) -> Any:
        info = response.json().get("metadata", {}).get("pageInfo", {})
        return info.get("nextPageOffset") or None


class ExpensesStream(OffsetPagedStream):
    name = "expenses"
    path = "/expenses"
    records_jsonpath = "$.expenses[*]"

    def post_process(self, row: dict[str, Any]) -> dict[str, Any]:
        settled = row.get("amountSettled") or {}
        return {"id": row["id"], "performed_at": row["performedAt"],
                "amount": settled.get("value"), "currency": settled.get("currency"),
                "status": row["status"]}


class EmployeesStream(OffsetPagedStream):
    name = "employees"
    path = "/employees"
    records_jsonpath = "$.employees[*]"


class TagGroupsStream(RESTStream):
    name = "tag_groups"
    path = "/tag-groups"

    def post_process(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"id": row["id"], "name": row["name"],
                "columns": [a["name"] for a in row.get("tagAttributes", [])]}


STREAMS = {s.name: s for s in (ExpensesStream, EmployeesStream, TagGroupsStream)}


def config_from_env() -> dict[str, Any]:
    return {"auth_token": os.environ["TAP_PLEO_AUTH_TOKEN"]}


def sync(stream_name: str) -> list[dict[str, Any]]:
    stream = STREAMS[stream_name](config_from_env())
    return list(stream.get_records())
