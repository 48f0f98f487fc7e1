"""PLM005 paging_params: offset paging parameters become cursor paging parameters (with the path rules)."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests


        def everything():
            url = "https://openapi.pleo.io/v1/expenses?pageSize=100000&pageOffset=0"
            return requests.get(url).json()["expenses"]
        """,
        None,
        id="no change: pageSize=100000 to get everything in one call (PLM107)",
    ),
    pytest.param(
        """
        import requests


        def first_page():
            return requests.get("https://openapi.pleo.io/v1/employees").json()["employees"]
        """,
        None,
        id="no change: a single call with the default page size (PLM107)",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def page():
            response = requests.get(f"{BASE}/employees", params={"pageSize": 25, "pageOffset": 0})
            return response.json()["employees"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def page():
            response = requests.get(f"{BASE}/v2/employees", params={"limit": 25})
            return response.json()["employees"]
        """,
        id="params dict: pageSize becomes limit, a zero pageOffset goes",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def page():
            return requests.get(f"{BASE}/accounts?pageSize=20&pageOffset=0").json()["accounts"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def page():
            return requests.post(f"{BASE}/v1/chart-of-accounts:search?limit=20", json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": False}).json()["accounts"]
        """,
        id="hand-built query string",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def every_expense():
            found = []
            offset = 0
            while True:
                body = requests.get(f"{BASE}/expenses", params={"pageSize": 1000, "pageOffset": offset}).json()
                found.extend(body["expenses"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if not offset:
                    break
            return found
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def every_expense():
            found = []
            offset = 0
            while True:
                body = requests.post(f"{BASE}/v1/accounting-entries:search", params={"limit": 100, "pageOffset": offset}, json={"includeDeleted": True}).json()
                found.extend(body["expenses"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if not offset:
                    break
            return found
        """,
        id="in a paging loop the page size is capped at the operation's maximum",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_paging_params(before: str, after: str | None) -> None:
    check(before, after, ["PLM002", "PLM003", "PLM005"])
