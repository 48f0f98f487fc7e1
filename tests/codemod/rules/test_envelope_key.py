"""PLM007 envelope_key: the legacy envelope becomes data (with the path rules)."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests


        def employees_page():
            response = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 10})
            return response.json()
        """,
        None,
        id="no change: the body is returned, not read here (PLM108)",
    ),
    pytest.param(
        """
        import requests


        def employees_page():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        """
        import requests


        def employees_page():
            return requests.get("https://external.pleo.io/v2/employees?pageSize=10").json()["data"]
        """,
        id="a key read on the json() call",
    ),
    pytest.param(
        """
        import requests


        def accounts(session: requests.Session):
            body = session.get("https://openapi.pleo.io/v1/accounts?pageSize=50").json()
            return [account["id"] for account in body.get("accounts", [])]
        """,
        """
        import requests


        def accounts(session: requests.Session):
            body = session.post("https://external.pleo.io/v1/chart-of-accounts:search?pageSize=50", json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": False}).json()
            return [account["id"] for account in body.get("data", [])]
        """,
        id=".get() on a body held in a local",
    ),
    pytest.param(
        """
        import requests


        def expense(expense_id):
            response = requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}")
            response.raise_for_status()
            expense = response.json()
            return expense["id"], expense["note"]
        """,
        """
        import requests


        def expense(expense_id):
            response = requests.get(f"https://external.pleo.io/v1/accounting-entries/{expense_id}")
            response.raise_for_status()
            expense = response.json()["data"]
            return expense["id"], expense["note"]
        """,
        id='a bare object gains ["data"]',
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_envelope_key(before: str, after: str | None) -> None:
    check(before, after, ["PLM002", "PLM003", "PLM007"])
