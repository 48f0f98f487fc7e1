# ruff: noqa: UP031
"""Nightly people sync, written in the task/flow style of our orchestrator.

The orchestrator's decorators are not importable in unit tests, so we keep a tiny local
stand-in: `task` only adds retries and a name. Each task is a plain function.
"""
from __future__ import annotations

import functools
import os
import time

import requests

LEGACY_URL = "https://openapi.pleo.io/v1"


def task(retries: int = 0, delay: float = 0.0):
    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            for attempt in range(retries + 1):
                try:
                    return fn(*args, **kwargs)
                except requests.ConnectionError:
                    if attempt == retries:
                        raise
                    time.sleep(delay)
        run.task_name = fn.__name__
        return run
    return wrap


def pleo_session() -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = "Bearer %s" % os.environ["PLEO_FLOW_TOKEN"]
    s.headers["Accept"] = "application/json"
    return s


@task(retries=2, delay=0.1)
def extract_employees() -> list:
    with pleo_session() as s:
        resp = s.get(LEGACY_URL + "/employees", params={"pageSize": 100})
        resp.raise_for_status()
        return resp.json()["employees"]


@task(retries=2, delay=0.1)
def extract_teams() -> list:
    with pleo_session() as s:
        resp = s.get(LEGACY_URL + "/teams")
        resp.raise_for_status()
        return resp.json()["teams"]


@task()
def extract_team(team_id: str) -> dict:
    with pleo_session() as s:
        resp = s.get(f"{LEGACY_URL}/teams/{team_id}")
        resp.raise_for_status()
        return resp.json()


@task()
def build_directory(employees: list, teams: list) -> list:
    team_names = {t["id"]: t["name"] for t in teams}
    return sorted(
        (e["email"], team_names.get(e.get("teamId"), "")) for e in employees if e.get("email")
    )


def nightly_flow() -> list:
    employees = extract_employees()
    teams = extract_teams()
    return build_directory(employees, teams)


if __name__ == "__main__":
    for email, team in nightly_flow():
        print(f"{email}\t{team}")
