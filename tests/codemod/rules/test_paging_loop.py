"""PLM006 paging_loop: nextPageOffset loops become cursor loops (with the path rules)."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

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
        None,
        id="no change: the loop condition tests the offset",
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
