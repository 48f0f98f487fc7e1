"""PLM003 search_request: legacy list reads become POST …:search with a JSON body."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from migrate.pleo import COMPANY_ID_VAR
from tests.codemod.helpers import check
from tests.codemod.planner_identity import COMPANY, catalogue_reads, check_identity

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
        id="no change: a list the legacy API returned whole moves only with its loop (PLM011)",
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


# Executed, not compared as text: the rewritten call and compat's call for the original end on
# a recording transport, and both must be `plan_request`'s call (tests/codemod/planner_identity).
IDENTITY = [
    pytest.param(
        "expenses.list",
        'client.get(f"{BASE}/expenses", params={"pageSize": 10}).json()["expenses"]',
        "/v1/expenses?pageSize=10",
        id="the legacy list's default body, company in the query",
    ),
    pytest.param(
        "expenses.list",
        'client.get(f"{BASE}/expenses", params={"pageSize": 10, "status": "EXPORTED", '
        '"dateFrom": "2024-01-01"}).json()["expenses"]',
        "/v1/expenses?pageSize=10&status=EXPORTED&dateFrom=2024-01-01",
        id="converted filters next to the default body",
    ),
    pytest.param(
        "accounts.list",
        'client.get(f"{BASE}/accounts?pageSize=5").json()["accounts"]',
        "/v1/accounts?pageSize=5",
        id="constant search body and the company in the body",
    ),
]


@pytest.mark.parametrize(("operation_id", "call", "legacy_target"), IDENTITY)
def test_the_rewritten_call_sends_the_planners_request(
    operation_id: str, call: str, legacy_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COMPANY_ID_VAR, COMPANY)
    check_identity(operation_id, call, legacy_target)


@pytest.mark.parametrize(
    ("operation_id", "call", "legacy_target"),
    [pytest.param(*case, id=case[0]) for case in catalogue_reads("search")],
)
def test_every_search_read_of_the_catalogue_sends_the_planners_request(
    operation_id: str, call: str, legacy_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each search read the rewrite moves by itself, with a sample value for every filter."""
    monkeypatch.setenv(COMPANY_ID_VAR, COMPANY)
    check_identity(operation_id, call, legacy_target)
