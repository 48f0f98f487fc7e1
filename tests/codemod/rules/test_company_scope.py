"""PLM004 company_scope: the company is named on each call, from PLEO_COMPANY_ID (shown with the path rules it needs)."""

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


        def employees(params):
            return requests.get(f"{BASE}/employees", params=params).json()["employees"]
        """,
        None,
        id="no change: parameters built at run time cannot take the company (PLM106)",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employee(employee_id):
            return requests.get(f"{BASE}/employees/{employee_id}").json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employee(employee_id):
            return requests.get(f"{BASE}/v2/employees/{employee_id}").json()
        """,
        id="not company-scoped: only the path changes",
    ),
    pytest.param(
        """
        import os

        import requests

        BASE = "https://openapi.pleo.io/v1"


        def first_employees():
            params = {"pageSize": 10, "companyId": os.environ["PLEO_COMPANY_ID"]}
            return requests.get(f"{BASE}/employees", params=params).json()["employees"]
        """,
        """
        import os

        import requests

        BASE = "https://openapi.pleo.io/v1"


        def first_employees():
            params = {"pageSize": 10, "companyId": os.environ["PLEO_COMPANY_ID"]}
            return requests.get(f"{BASE}/v2/employees", params=params).json()["employees"]
        """,
        id="the company is already named: not added twice",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def first_employees():
            params = {"pageSize": 10}
            return requests.get(f"{BASE}/employees", params=params).json()["employees"]
        """,
        """
        import requests
        import os

        BASE = "https://openapi.pleo.io/v1"


        def first_employees():
            params = {"pageSize": 10, "companyId": os.environ["PLEO_COMPANY_ID"]}
            return requests.get(f"{BASE}/v2/employees", params=params).json()["employees"]
        """,
        id="added to a params dict written in a local",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def latest_expenses():
            return requests.get(f"{BASE}/expenses?pageSize=10").json()["expenses"]
        """,
        """
        import requests
        import os

        BASE = "https://openapi.pleo.io/v1"


        def latest_expenses():
            return requests.post(f"{BASE}/v1/accounting-entries:search?pageSize=10", params={"company_id": os.environ["PLEO_COMPANY_ID"]}, json={"includeDeleted": True}).json()["expenses"]
        """,
        id="added as params= next to a query string in the URL",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_company_scope(before: str, after: str | None) -> None:
    check(before, after, ["PLM002", "PLM003", "PLM004"])


BODY_CASES = [
    pytest.param(
        """
        import requests


        def accounts():
            response = requests.get("https://openapi.pleo.io/v1/accounts", params={"pageSize": 100})
            return response.json()["accounts"]
        """,
        """
        import requests
        import os


        def accounts():
            response = requests.post("https://external.pleo.io/v1/chart-of-accounts:search", params={"pageSize": 100}, json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": False, "companyId": os.environ["PLEO_COMPANY_ID"]})
            return response.json()["accounts"]
        """,
        id="companyId in the JSON body of a search (with PLM003)",
    ),
]


@pytest.mark.parametrize(("before", "after"), BODY_CASES)
def test_company_scope_in_the_body(before: str, after: str) -> None:
    check(before, after, ["PLM003", "PLM004"])
