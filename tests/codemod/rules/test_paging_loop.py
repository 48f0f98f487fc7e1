"""PLM006 paging_loop: nextPageOffset loops become cursor loops (with the path rules)."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.codemod.helpers import check, rewrite, scan

CASES = [
    pytest.param(
        """
        from typing import Optional

        import httpx

        BASE = "https://openapi.pleo.io/v1"


        def employees(client: httpx.Client) -> list:
            found = []
            offset: Optional[int] = 0
            while offset is not None:
                body = client.get(f"{BASE}/employees", params={"pageSize": 50, "pageOffset": offset}).json()
                found.extend(body["employees"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
            return found
        """,
        """
        from typing import Optional

        import httpx

        BASE = "https://openapi.pleo.io/v1"


        def employees(client: httpx.Client) -> list:
            found = []
            offset: str | None = ""
            while offset is not None:
                body = client.get(f"{BASE}/v2/employees", params={"pageSize": 50, **({"after": offset} if offset else {})}).json()
                found.extend(body["employees"])
                offset = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
            return found
        """,
        id="an annotated start (`offset: Optional[int] = 0`) holds a cursor: `str | None`",
    ),
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


STORED = """
BASE = "https://openapi.pleo.io/v1/"


def every_employee(client):
    params = {"pageSize": 100000, "pageOffset": 0}
    while True:
        body = client.get(BASE + "employees", params=params).json()
        yield from body["employees"]
        next_offset = body.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
        if not next_offset:
            break
        params["pageOffset"] = next_offset
"""


def test_a_loop_that_stores_the_offset_in_its_params_walks_every_cursor_page() -> None:
    """The Singer-tap shape: `params["pageOffset"] = next_offset` in a generator. The zero
    offset goes, the store sets `after`, the page size is capped (100000 → 1000)."""
    rewritten = rewrite(STORED, ["PLM002", "PLM005", "PLM006", "PLM007"])
    assert 'params = {"limit": 1000}' in rewritten
    assert 'params["after"] = next_offset' in rewritten
    pages = {"": (["a"], "c1"), "c1": (["b"], "c2"), "c2": (["c"], None)}
    seen: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        records, cursor = pages[request.url.params.get("after", "")]
        pagination = {"hasNextPage": cursor is not None, "endCursor": cursor}
        return httpx.Response(200, json={"data": [{"id": i} for i in records], "pagination": pagination})

    namespace: dict[str, Any] = {}
    exec(compile(rewritten, "stored.py", "exec"), namespace)
    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        assert [e["id"] for e in namespace["every_employee"](client)] == ["a", "b", "c"]
    assert seen == [{"limit": "1000"}, {"limit": "1000", "after": "c1"}, {"limit": "1000", "after": "c2"}]


def test_a_stored_offset_without_a_stop_is_flagged_with_the_reason() -> None:
    """Storing the offset before checking it would send `after=None`: not rewritten, and the
    TODO says why (no second, vaguer PLM107 TODO on the read)."""
    source = STORED.replace("        if not next_offset:\n            break\n", "")
    after = rewrite(source, ["PLM002", "PLM005", "PLM006", "PLM007", "PLM107"])
    todos = [line.strip() for line in after.splitlines() if "TODO[pleo-migrate" in line]
    assert len(todos) == 1 and todos[0].startswith("# TODO[pleo-migrate PLM107]: the offset paging")
    [site] = scan(source)
    assert [(r.rule, r.message) for r in site.reasons] == [
        (
            "PLM107",
            "the offset paging is not a loop the codemod rewrites (the loop does not stop before "
            "storing an empty `next_offset`); loop while pagination.hasNextPage, sending "
            "after=pagination.endCursor",
        )
    ]
