"""PLM006 paging_loop: nextPageOffset loops become cursor loops (with the path rules)."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.codemod.helpers import check, rewrite

CASES = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            found = []
            offset = 0
            while offset is not None:
                body = requests.get(f"{BASE}/employees", params={"pageSize": 50, "pageOffset": offset}).json()
                found.extend(body["employees"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
            return found
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            found = []
            offset = ""
            while offset is not None:
                body = requests.get(f"{BASE}/v2/employees", params={"pageSize": 50, **({"after": offset} if offset else {})}).json()
                found.extend(body["employees"])
                offset = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
            return found
        """,
        id="while offset is not None: the cursor starts empty (not None), sent once there is one",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            found = []
            offset = 0
            while offset:
                body = requests.get(f"{BASE}/employees", params={"pageSize": 50, "pageOffset": offset}).json()
                found.extend(body["employees"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
            return found
        """,
        None,
        id="no change: a loop condition other than True or `is not None`",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            found = []
            offset = 0
            while True:
                body = requests.get(f"{BASE}/employees", params={"pageSize": 50, "pageOffset": offset}).json()
                found.extend(body["employees"])
                if len(body["employees"]) < 50:
                    break
                offset += 50
            return found
        """,
        None,
        id="no change: offset arithmetic instead of nextPageOffset",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses(session):
            found = []
            offset = 0
            while True:
                response = session.get(f"{BASE}/expenses?pageSize=100&pageOffset={offset}")
                found.extend(response.json()["expenses"])
                offset = response.json().get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
                if not offset:
                    break
            return found
        """,
        None,
        id="no change: the offset is written into the URL",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            found = []
            offset = 0
            while True:
                response = requests.get(
                    f"{BASE}/employees", params={"pageSize": 50, "pageOffset": offset}
                )
                response.raise_for_status()
                body = response.json()
                found.extend(body["employees"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    break
            return found
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            found = []
            offset = None
            while True:
                response = requests.get(
                    f"{BASE}/v2/employees", params={"pageSize": 50, "after": offset}
                )
                response.raise_for_status()
                body = response.json()
                found.extend(body["employees"])
                offset = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
                if offset is None:
                    break
            return found
        """,
        id="requests: pageOffset becomes after, the start value None, nextPageOffset the end cursor",
    ),
    pytest.param(
        """
        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        async def employees():
            found = []
            async with httpx.AsyncClient(base_url=PLEO) as client:
                offset = 0
                while True:
                    response = await client.get("/employees", params={"pageSize": 100, "pageOffset": offset})
                    page = response.json()
                    found.extend(page["employees"])
                    offset = page.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
                    if offset is None:
                        break
            return found
        """,
        """
        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        async def employees():
            found = []
            async with httpx.AsyncClient(base_url=PLEO) as client:
                offset = None
                while True:
                    response = await client.get("/v2/employees", params={"pageSize": 100, **({"after": offset} if offset is not None else {})})
                    page = response.json()
                    found.extend(page["employees"])
                    offset = page.get("pagination", {}).get("endCursor") if page.get("pagination", {}).get("hasNextPage") else None
                    if offset is None:
                        break
            return found
        """,
        id="httpx sends after= for None, so the cursor is only sent once there is one",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_paging_loop(before: str, after: str | None) -> None:
    check(before, after, ["PLM002", "PLM003", "PLM006"])


PAGED = """
BASE = "https://openapi.pleo.io/v1"


def emails(client):
    found = []
    offset = 0
    while offset is not None:
        page = client.get(f"{BASE}/employees", params={"pageOffset": offset, "pageSize": 100000}).json()
        found.extend(e["email"] for e in page["employees"])
        offset = page.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
    return found
"""


def test_a_rewritten_loop_walks_every_cursor_page() -> None:
    """Executed on a fake new API of three pages: the first request sends no `after`, each
    next one the end cursor, the page size is capped at the planner's limit, and the loop
    stops on the last page."""
    rewritten = rewrite(PAGED, ["PLM002", "PLM005", "PLM006", "PLM007"])
    pages = {"": (["a@x.example"], "c1"), "c1": (["b@x.example"], "c2"), "c2": (["c@x.example"], None)}
    seen: list[httpx.QueryParams] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params)
        records, cursor = pages[request.url.params.get("after", "")]
        pagination = {"hasNextPage": cursor is not None, "endCursor": cursor}
        data = [{"email": email} for email in records]
        return httpx.Response(200, json={"data": data, "pagination": pagination})

    namespace: dict[str, Any] = {}
    exec(compile(rewritten, "paged.py", "exec"), namespace)
    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        assert namespace["emails"](client) == ["a@x.example", "b@x.example", "c@x.example"]
    assert [dict(params) for params in seen] == [
        {"limit": "1000"},
        {"after": "c1", "limit": "1000"},
        {"after": "c2", "limit": "1000"},
    ]
