"""PLM105 unrecognised_call: legacy calls in shapes the codemod does not rewrite are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/employees/e-1").json()
        """,
        None,
        id="no change: a call the codemod rewrites",
    ),
    pytest.param(
        """
        from pleo_client import client


        def employees():
            return client.get("/employees", params={"pageSize": 20})["employees"]
        """,
        """
        from pleo_client import client


        def employees():
            # TODO[pleo-migrate PLM105]: employees.list: the call goes through `client.get`, whose request the codemod cannot…
            return client.get("/employees", params={"pageSize": 20})["employees"]
        """,
        id="through a wrapper in another module",
    ),
    pytest.param(
        """
        from .pleo_pages import all_pages


        def expenses():
            return list(all_pages("/expenses", "expenses"))
        """,
        """
        from .pleo_pages import all_pages


        def expenses():
            # TODO[pleo-migrate PLM105]: expenses.list: the call goes through `all_pages`, whose request the codemod cannot…
            return list(all_pages("/expenses", "expenses"))
        """,
        id="a path passed to a paging helper",
    ),
    pytest.param(
        """
        from urllib.request import urlopen


        def employee(employee_id):
            return urlopen(f"https://openapi.pleo.io/v1/employees/{employee_id}").read()
        """,
        """
        from urllib.request import urlopen


        def employee(employee_id):
            # TODO[pleo-migrate PLM105]: employees.get: urllib calls are not rewritten: switch to requests or httpx
            return urlopen(f"https://openapi.pleo.io/v1/employees/{employee_id}").read()
        """,
        id="urllib",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def account(account_id):
            return requests.get("%s/accounts/%05d" % (BASE, account_id)).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def account(account_id):
            # TODO[pleo-migrate PLM105]: accounts.get: the %-format template is not a literal with plain %s values, which the…
            return requests.get("%s/accounts/%05d" % (BASE, account_id)).json()
        """,
        id="a URL built with %-formatting",
    ),
    pytest.param(
        """
        import requests

        EMPLOYEES = "https://openapi.pleo.io/v1/employees"


        def first():
            return requests.get(EMPLOYEES, params={"pageSize": 1}).json()["employees"]


        def second():
            return requests.get(EMPLOYEES, params={"pageSize": 2}).json()["employees"]
        """,
        """
        import requests

        EMPLOYEES = "https://openapi.pleo.io/v1/employees"


        def first():
            # TODO[pleo-migrate PLM105]: employees.list: the URL is the value of a name used in more than one place: change it…
            return requests.get(EMPLOYEES, params={"pageSize": 1}).json()["employees"]


        def second():
            # TODO[pleo-migrate PLM105]: employees.list: the URL is the value of a name used in more than one place: change it…
            return requests.get(EMPLOYEES, params={"pageSize": 2}).json()["employees"]
        """,
        id="a URL constant used by two calls",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_unrecognised_call(before: str, after: str | None) -> None:
    check(before, after, ["PLM105"])
