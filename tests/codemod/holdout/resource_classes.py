"""Tiny active-record layer over the Pleo REST API."""
from __future__ import annotations

import os
from typing import Any, ClassVar

import requests


class PleoError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


class PleoResource:
    api_base: ClassVar[str] = "https://openapi.pleo.io/v1"
    path: ClassVar[str] = ""
    list_key: ClassVar[str | None] = None

    @classmethod
    def _headers(cls) -> dict[str, str]:
        return {"Authorization": "Bearer " + os.environ.get("PLEO_OPENAPI_KEY", "")}

    @classmethod
    def _call(cls, method: str, url: str, **kwargs: Any) -> Any:
        response = requests.request(method, url, headers=cls._headers(), timeout=20, **kwargs)
        if response.status_code >= 400:
            raise PleoError(response.status_code, response.text[:200])
        return response.json()

    @classmethod
    def list(cls, **params: Any) -> list[dict[str, Any]]:
        body = cls._call("GET", cls.api_base + cls.path, params=params)
        return body[cls.list_key] if cls.list_key else body

    @classmethod
    def retrieve(cls, object_id: str) -> dict[str, Any]:
        return cls._call("GET", f"{cls.api_base}{cls.path}/{object_id}")


class Employee(PleoResource):
    path = "/employees"
    list_key = "employees"


class Team(PleoResource):
    path = "/teams"
    list_key = "teams"


class TaxCode(PleoResource):
    path = "/tax-codes"
    list_key = "taxCodes"


class Account(PleoResource):
    path = "/accounts"
    list_key = "accounts"


class TagGroup(PleoResource):
    path = "/tag-groups"


def directory() -> dict[str, str]:
    return {e["email"]: f"{e['firstName']} {e['lastName']}" for e in Employee.list()}


def employee_team(employee_id: str) -> str | None:
    return Employee.retrieve(employee_id).get("teamId")


def tax_code_name(tax_code_id: str) -> str:
    return TaxCode.retrieve(tax_code_id)["name"]


def hidden_accounts() -> list[str]:
    return [a["id"] for a in Account.list(pageSize=500) if a["hidden"]]


def tag_group(group_id: str) -> dict[str, Any]:
    return TagGroup.retrieve(group_id)


def team_codes() -> list[str]:
    return sorted(t["code"] or "" for t in Team.list())
