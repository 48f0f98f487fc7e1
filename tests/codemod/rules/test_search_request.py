"""PLM003 search_request: legacy list reads become POST …:search with a JSON body."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        requests.post("https://external.pleo.io/v1/accounting-entries:search", json={"includeDeleted": False})
        """,
        None,
        id="no change: already a search on the new API",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses(params):
            return requests.get(f"{BASE}/expenses", params=params).json()["expenses"]
        """,
        None,
        id="no change: query parameters built at run time (PLM106)",
    ),
    pytest.param(
        """
        import requests


        def tax_codes():
            return requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]
        """,
        None,
        id="no change: a list the legacy API returned whole (PLM107)",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def exported():
            response = requests.get(
                f"{BASE}/expenses",
                params={"status": "EXPORTED", "dateFrom": "2024-01-01", "pageSize": 100},
            )
            return response.json()["expenses"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def exported():
            response = requests.post(
                f"{BASE}/v1/accounting-entries:search",
                params={"pageSize": 100},
                json={"includeDeleted": True, "exportStatus": ["EXPORTED"], "performedAtStart": "2024-01-01T00:00:00Z"},
            )
            return response.json()["expenses"]
        """,
        id="params dict: filters converted into the JSON body, paging stays in the query",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def queued():
            return requests.get(f"{BASE}/expenses?status=QUEUED&pageSize=50").json()["expenses"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def queued():
            return requests.post(f"{BASE}/v1/accounting-entries:search?pageSize=50", json={"includeDeleted": True, "exportStatus": ["QUEUED"]}).json()["expenses"]
        """,
        id="query string in the f-string: the filter moves to the body",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def accounts(session: requests.Session):
            return session.request("GET", BASE + "/accounts", params={"pageSize": 20}).json()["accounts"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def accounts(session: requests.Session):
            return session.request("POST", BASE + "/v1/chart-of-accounts:search", params={"pageSize": 20}, json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": False}).json()["accounts"]
        """,
        id="session.request with a literal method on a concatenation",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_search_request(before: str, after: str | None) -> None:
    check(before, after, "PLM003")
