"""PLM106 query_params: query parameters that cannot be carried over mechanically are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from migrate.codemod import Job, select
from migrate.codemod.one_file import process_bytes
from tests.codemod.helpers import check, code

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/employees?pageSize=10&email=a@example.com").json()["employees"]
        """,
        None,
        id="no change: a filter the catalogue maps, kept in the query",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses(filters):
            return requests.get(f"{BASE}/expenses", params=filters).json()["expenses"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses(filters):
            # TODO[pleo-migrate PLM106]: the query parameters are built at run time
            return requests.get(f"{BASE}/expenses", params=filters).json()["expenses"]
        """,
        id="query parameters built at run time",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses(status):
            return requests.get(f"{BASE}/expenses", params={"status": status, "pageSize": 50}).json()["expenses"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses(status):
            # TODO[pleo-migrate PLM106]: `status` needs converting (enum) and is only known at run time
            return requests.get(f"{BASE}/expenses", params={"status": status, "pageSize": 50}).json()["expenses"]
        """,
        id="a filter needing conversion with a run-time value",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return requests.get(f"{BASE}/expenses", params={"status": "DONE", "pageSize": 50}).json()["expenses"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            # TODO[pleo-migrate PLM106]: `status`: legacy value 'DONE' is not in enum table ExportStatus (NOT_EXPORTED…
            return requests.get(f"{BASE}/expenses", params={"status": "DONE", "pageSize": 50}).json()["expenses"]
        """,
        id="a filter value outside the enum table",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            return requests.get(f"{BASE}/employees", params={"pageSize": 50, "sort": "name"}).json()["employees"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            # TODO[pleo-migrate PLM106]: `sort` is not a parameter the catalogue maps for employees.list
            return requests.get(f"{BASE}/employees", params={"pageSize": 50, "sort": "name"}).json()["employees"]
        """,
        id="a parameter the catalogue does not know",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_query_params(before: str, after: str | None) -> None:
    check(before, after, ["PLM106"])


def _reasons(source: str) -> list[str]:
    """The PLM106 reasons `scan` gives with the shipped catalogue (the frozen copy the tables
    use has no `omit_when` filter)."""
    job = Job("scan", "native", select("native"), None)
    result = process_bytes("example.py", code(source).encode(), job)
    assert result is not None
    return [r.message for site in result.sites for r in site.reasons if r.rule == "PLM106"]


def test_a_run_time_value_of_a_filter_that_may_send_nothing_is_flagged() -> None:
    """`hidden=true` sends nothing to the new API (`omit_when`), `hidden=false` sends
    `archived: false`: a value known only at run time cannot be decided by the rewrite."""
    reasons = _reasons(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def tax_codes(hidden):
            return requests.get(f"{BASE}/tax-codes", params={"hidden": hidden}).json()["taxCodes"]
        """
    )
    assert reasons == ["`hidden` sends nothing when it is 'true', and is only known at run time"]


def test_run_time_parameters_of_a_call_with_a_constant_query_are_flagged() -> None:
    """`expenses.get` sends `include_deleted=true` on the new API: a run-time `params=` cannot
    take it, which the TODO says (it once failed later with an unspecific reason)."""
    reasons = _reasons(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expense(expense_id, extra):
            return requests.get(f"{BASE}/expenses/{expense_id}", params=extra).json()
        """
    )
    assert reasons == [
        "the query parameters are built at run time; expenses.get needs them mapped "
        "(include_deleted=true is added)"
    ]
