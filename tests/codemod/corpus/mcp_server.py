"""An MCP-style tool server exposing Pleo to an assistant: every tool is a plain function.

`TOOLS` is what the server framework would register; each tool calls the legacy Open API.
"""

import os

import httpx

API = "https://openapi.pleo.io/v1"
TOOLS = {}


def tool(fn):
    TOOLS[fn.__name__] = fn
    return fn


def _auth():
    token = os.getenv("PLEO_API_TOKEN")
    if not token:
        raise RuntimeError("PLEO_API_TOKEN is not set")
    return {"Authorization": "Bearer {}".format(token)}


@tool
def list_employees(limit: int = 25) -> dict:
    """List employees of the company (first page)."""
    r = httpx.get("{}/employees".format(API), params={"pageSize": limit}, headers=_auth())
    r.raise_for_status()
    data = r.json()
    return {"employees": data["employees"], "total": data["metadata"]["pageInfo"]["totalCount"]}


@tool
def get_expense(expense_id: str) -> dict:
    """Fetch one expense by id."""
    r = httpx.get("{}/expenses/{}".format(API, expense_id), headers=_auth())
    r.raise_for_status()
    return r.json()


@tool
def list_tag_groups() -> list:
    """All active tag groups with their attributes."""
    r = httpx.get(API + "/tag-groups", headers=_auth())
    r.raise_for_status()
    return r.json()


@tool
def list_tags(tag_group_id: str) -> list:
    """Tags of one tag group."""
    r = httpx.get(f"{API}/tag-groups/{tag_group_id}/tags", headers=_auth())
    r.raise_for_status()
    return r.json()


@tool
def company_balance() -> dict:
    """The wallet balance of the company."""
    r = httpx.get(f"{API}/companies/balance", headers=_auth())
    r.raise_for_status()
    return r.json()
