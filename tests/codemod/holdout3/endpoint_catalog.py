"""Pleo endpoints as an Enum, so a typo in a path is an AttributeError, not a 404."""
import os
from enum import Enum

import requests


class Endpoint(str, Enum):  # noqa: UP042  (still on 3.10 in prod)
    EMPLOYEES = "/employees"
    TEAMS = "/teams"
    TAG_GROUPS = "/tag-groups"
    ACCOUNTS = "/accounts"

    def url(self, *parts):
        return "/".join([API_BASE + self.value, *parts])


API_BASE = "https://openapi.pleo.io/v1"
session = requests.Session()


def _fetch(endpoint, *parts, **query):
    token = os.environ["PLEO_ENUM_TOKEN"]
    resp = session.get(endpoint.url(*parts), params=query,
                       headers={"Authorization": f"Bearer {token}"})
    resp.raise_for_status()
    return resp.json()


def employees():
    return [(e["firstName"], e["lastName"]) for e in _fetch(Endpoint.EMPLOYEES)["employees"]]


def team(team_id):
    t = _fetch(Endpoint.TEAMS, team_id)
    return {"name": t["name"], "members": len(t["employees"])}


def tag_group_names():
    return sorted(g["name"] for g in _fetch(Endpoint.TAG_GROUPS))


def account(account_id):
    a = _fetch(Endpoint.ACCOUNTS, account_id)
    return {"number": a["accountNumber"], "name": a["name"], "tax": a.get("taxCodeId")}


def counts():
    return {
        Endpoint.EMPLOYEES.name.lower(): len(_fetch(Endpoint.EMPLOYEES, pageSize=100)["employees"]),
        Endpoint.TEAMS.name.lower(): len(_fetch(Endpoint.TEAMS)["teams"]),
    }
