"""Typed access to Pleo's employee and team records (mypy --strict clean in our repo)."""
from __future__ import annotations

import os
from typing import Final, TypedDict, cast

import requests


class EmployeeRecord(TypedDict, total=False):
    id: str
    firstName: str
    lastName: str
    email: str
    jobTitle: str | None
    code: str | None


class TeamRecord(TypedDict, total=False):
    id: str
    name: str
    code: str | None


class EmployeePage(TypedDict):
    employees: list[EmployeeRecord]


PLEO_BASE: Final[str] = "https://openapi.pleo.io/v1"
REQUEST_TIMEOUT: Final[float] = 15.0


def _token() -> str:
    return os.environ["PLEO_TYPED_TOKEN"]


def _get(path: str, params: dict[str, str | int] | None = None) -> object:
    response: requests.Response = requests.get(
        f"{PLEO_BASE}{path}",
        params=params,
        headers={"Authorization": f"Bearer {_token()}"},
        timeout=REQUEST_TIMEOUT,
    )
    response.raise_for_status()
    return response.json()


def list_employees(page_size: int = 100) -> list[EmployeeRecord]:
    page = cast(EmployeePage, _get("/employees", {"pageSize": page_size}))
    return page["employees"]


def employee(employee_id: str) -> EmployeeRecord:
    return cast(EmployeeRecord, _get(f"/employees/{employee_id}"))


def job_titles() -> dict[str, str | None]:
    return {e["email"]: e.get("jobTitle") for e in list_employees() if "email" in e}


def team(team_id: str) -> TeamRecord:
    raw = cast(dict[str, object], _get(f"/teams/{team_id}"))
    return TeamRecord(id=str(raw["id"]), name=str(raw["name"]),
                      code=cast("str | None", raw.get("code")))


def update_job_title(employee_id: str, title: str) -> EmployeeRecord:
    current: EmployeeRecord = employee(employee_id)
    body: dict[str, str | None] = {"firstName": current.get("firstName"),
                                   "lastName": current.get("lastName"),
                                   "email": current.get("email"), "jobTitle": title}
    response = requests.put(f"{PLEO_BASE}/employees/{employee_id}", json=body,
                            headers={"Authorization": f"Bearer {_token()}"},
                            timeout=REQUEST_TIMEOUT)
    response.raise_for_status()
    return employee(employee_id)
