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
    pytest.param(
        """
        import httpx

        API = "https://openapi.pleo.io/v1"


        def get_expense(expense_id):
            return httpx.get("{}/expenses/{}".format(API, expense_id)).json()


        def list_teams_of(employee_id):
            return httpx.get("{0}/employees/{1}".format(API, employee_id)).json()
        """,
        """
        import httpx

        API = "https://openapi.pleo.io/v1"


        def get_expense(expense_id):
            return httpx.get("{}/v1/accounting-entries/{}".format(API, expense_id)).json()


        def list_teams_of(employee_id):
            return httpx.get("{0}/v2/employees/{1}".format(API, employee_id)).json()
        """,
        id="str.format: the template literal changes, every argument stays",
    ),
    pytest.param(
        """
        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"


        def account(account_id):
            url = "{root}accounts/{id}".format(root=API_ROOT, id=account_id)
            return requests.get(url).json()
        """,
        """
        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"


        def account(account_id):
            url = "{root}v1/chart-of-accounts/{id}".format(root=API_ROOT, id=account_id)
            return requests.get(url).json()
        """,
        id="str.format with named fields, in a local used once",
    ),
    pytest.param(
        """
        import os
        from urllib.parse import urljoin

        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"
        if os.environ.get("PLEO_ENVIRONMENT") == "staging":
            API_ROOT = "https://openapi.staging.pleo.io/v1/"


        def tax_code(tax_code_id):
            return requests.get(urljoin(API_ROOT, "tax-codes/" + tax_code_id)).json()


        def employee(employee_id):
            return requests.get(urljoin(API_ROOT, f"employees/{employee_id}")).json()
        """,
        """
        import os
        from urllib.parse import urljoin

        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"
        if os.environ.get("PLEO_ENVIRONMENT") == "staging":
            API_ROOT = "https://openapi.staging.pleo.io/v1/"


        def tax_code(tax_code_id):
            return requests.get(urljoin(API_ROOT, "v0/tax-codes/" + tax_code_id)).json()


        def employee(employee_id):
            return requests.get(urljoin(API_ROOT, f"v2/employees/{employee_id}")).json()
        """,
        id="urljoin: the path argument in its own form; a /v1/ base (two legacy hosts)",
    ),
    pytest.param(
        """
        import requests

        BASE_URL = "https://openapi.pleo.io/v1/"


        def tax_code(tax_code_id):
            return requests.get(BASE_URL + "tax-codes/" + tax_code_id).json()


        def employee(employee_id):
            return requests.get(f"{BASE_URL}employees/{employee_id}").json()
        """,
        """
        import requests

        BASE_URL = "https://openapi.pleo.io/v1/"


        def tax_code(tax_code_id):
            return requests.get(BASE_URL + "v0/tax-codes/" + tax_code_id).json()


        def employee(employee_id):
            return requests.get(f"{BASE_URL}v2/employees/{employee_id}").json()
        """,
        id="a trailing-slash base: concatenation and f-string",
    ),
    pytest.param(
        """
        import requests

        URL = "https://openapi.pleo.io/v1/employees"


        def first_employees(url=URL):
            return requests.get(url, params={"pageSize": 50}).json()["employees"]


        URL = "https://openapi.pleo.io/v1/tax-codes/tc-1"


        def default_tax_code(url=URL):
            return requests.get(url).json()
        """,
        """
        import requests

        URL = "https://external.pleo.io/v2/employees"


        def first_employees(url=URL):
            return requests.get(url, params={"pageSize": 50}).json()["employees"]


        URL = "https://external.pleo.io/v0/tax-codes/tc-1"


        def default_tax_code(url=URL):
            return requests.get(url).json()
        """,
        id="a default argument: the constant bound before the def, read only there",
    ),
    pytest.param(
        """
        import requests

        URL = "https://openapi.pleo.io/v1/employees/e-1"


        def employee(url=URL):
            return requests.get(url).json()


        def same_employee(url=URL):
            return requests.get(url).json()
        """,
        None,
        id="no change: a default argument whose constant two functions read",
    ),
    pytest.param(
        """
        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"
        EMPLOYEE_URL = API_ROOT + "employees/{}"
        TAX_CODE_URL = "https://openapi.pleo.io/v1/tax-codes/{}"


        def employee(employee_id):
            return requests.get(EMPLOYEE_URL.format(employee_id)).json()


        def tax_code(tax_code_id):
            return requests.get(TAX_CODE_URL.format(tax_code_id)).json()
        """,
        """
        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"
        EMPLOYEE_URL = API_ROOT + "v2/employees/{}"
        TAX_CODE_URL = "https://external.pleo.io/v0/tax-codes/{}"


        def employee(employee_id):
            return requests.get(EMPLOYEE_URL.format(employee_id)).json()


        def tax_code(tax_code_id):
            return requests.get(TAX_CODE_URL.format(tax_code_id)).json()
        """,
        id="str.format on a template held in a constant read only by the call",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"
        TEMPLATE = "{}/employees/{}"


        def employee(employee_id):
            return requests.get(TEMPLATE.format(BASE, employee_id)).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"
        TEMPLATE = "{}/v2/employees/{}"


        def employee(employee_id):
            return requests.get(TEMPLATE.format(BASE, employee_id)).json()
        """,
        id="str.format on a template constant whose fields take the base and the id",
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
