"""PLM002 resource_path: legacy paths become the new API's versioned paths."""

from __future__ import annotations

import pytest

from migrate.pleo import COMPANY_ID_VAR
from tests.codemod.helpers import check
from tests.codemod.planner_identity import COMPANY, ITEM, catalogue_reads, check_identity

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://external.pleo.io/v2/employees")
        requests.get("https://hr.example.com/employees")
        requests.get("https://openapi.pleo.io/v1/teams")
        """,
        None,
        id="no change: new host, other API, gap endpoint",
    ),
    pytest.param(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/employees/0b1c2d3e")
        """,
        """
        import requests

        requests.get("https://external.pleo.io/v2/employees/0b1c2d3e")
        """,
        id="literal URL: host and versioned path",
    ),
    pytest.param(
        """
        import requests

        BASE_URL = "https://openapi.pleo.io/v1"


        def expense(expense_id):
            return requests.get(f"{BASE_URL}/expenses/{expense_id}").json()
        """,
        """
        import requests

        BASE_URL = "https://openapi.pleo.io/v1"


        def expense(expense_id):
            return requests.get(f"{BASE_URL}/v1/accounting-entries/{expense_id}").json()
        """,
        id="f-string on a base constant, path parameter kept",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def tag(group_id, tag_id):
            return requests.get(BASE + "/tag-groups/" + group_id + "/tags/" + tag_id).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def tag(group_id, tag_id):
            return requests.get(BASE + "/v0/tags/" + tag_id).json()
        """,
        id="concatenation: the tag group drops out of the path",
    ),
    pytest.param(
        """
        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        async def employee(employee_id):
            async with httpx.AsyncClient(base_url=PLEO) as client:
                response = await client.get("/employees/" + employee_id)
                return response.json()
        """,
        """
        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        async def employee(employee_id):
            async with httpx.AsyncClient(base_url=PLEO) as client:
                response = await client.get("/v2/employees/" + employee_id)
                return response.json()
        """,
        id="httpx.AsyncClient with a legacy base_url, relative path",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def tax_code(code_id):
            return requests.request("GET", f"{BASE}/tax-codes/{code_id}").json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def tax_code(code_id):
            return requests.request("GET", f"{BASE}/v0/tax-codes/{code_id}").json()
        """,
        id="requests.request with a literal method",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def account(account_id):
            url = f"{BASE}/accounts/{account_id}"
            return requests.get(url).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def account(account_id):
            url = f"{BASE}/v1/chart-of-accounts/{account_id}"
            return requests.get(url).json()
        """,
        id="URL built in a local used once",
    ),
    pytest.param(
        """
        import os

        import requests


        class Pleo:
            def __init__(self, base_url=None):
                self.base_url = base_url or os.environ.get("PLEO_URL", "https://openapi.pleo.io/v1")
                self.session = requests.Session()

            def delete_account(self, account_id):
                self.session.delete(f"{self.base_url}/accounts/{account_id}").raise_for_status()
        """,
        """
        import os

        import requests


        class Pleo:
            def __init__(self, base_url=None):
                self.base_url = base_url or os.environ.get("PLEO_URL", "https://openapi.pleo.io/v1")
                self.session = requests.Session()

            def delete_account(self, account_id):
                self.session.delete(f"{self.base_url}/v1/chart-of-accounts/{account_id}").raise_for_status()
        """,
        id="self.base_url set from an env lookup with a legacy default",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_resource_path(before: str, after: str | None) -> None:
    check(before, after, "PLM002")


# Executed, not compared as text: the rewritten call and compat's call for the original end on
# a recording transport, and both must be `plan_request`'s call (tests/codemod/planner_identity).
IDENTITY = [
    pytest.param(
        "expenses.get",
        'client.get(f"{BASE}/expenses/{item}").json()',
        f"/v1/expenses/{ITEM}",
        id="constant query include_deleted=true",
    ),
    pytest.param(
        "expense-receipts.get",
        'client.get(f"{BASE}/expenses/{item}/receipts/{item}").json()',
        f"/v1/expenses/{ITEM}/receipts/{ITEM}",
        id="constant query file_type=ORIGINAL",
    ),
    pytest.param(
        "employees.list",
        'client.get(f"{BASE}/employees", params={"pageSize": 10, "email": "a@b.example"})'
        '.json()["employees"]',
        "/v1/employees?pageSize=10&email=a%40b.example",
        id="list: filter kept, company added",
    ),
    pytest.param(
        "employees.list",
        'client.get(f"{BASE}/employees", params={"pageSize": 500}).json()["employees"]',
        "/v1/employees?pageSize=500",
        id="a page above 100 where the spec states no maximum (the planner's cap is 1000)",
    ),
    pytest.param(
        "employees.get",
        'client.get(f"{BASE}/employees/{item}").json()',
        f"/v1/employees/{ITEM}",
        id="a read without constants",
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
    [pytest.param(*case, id=case[0]) for case in catalogue_reads("direct")],
)
def test_every_direct_read_of_the_catalogue_sends_the_planners_request(
    operation_id: str, call: str, legacy_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each direct read the rewrite moves by itself, with a sample value for every filter."""
    monkeypatch.setenv(COMPANY_ID_VAR, COMPANY)
    check_identity(operation_id, call, legacy_target)
