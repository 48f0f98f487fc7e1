"""PLM109 changed_fields: record fields that change, read in the calling module, are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests


        def names():
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["firstName"] for e in employees]
        """,
        None,
        id="no change: only fields that stay the same",
    ),
    pytest.param(
        """
        import requests


        def owners():
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["email"] for e in employees if e["role"] == "owner"]
        """,
        """
        import requests


        def owners():
            # TODO[pleo-migrate PLM109]: this module reads record fields that change… (developers.pleo.io/reference/pleo-deprecated)
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["email"] for e in employees if e["role"] == "owner"]
        """,
        id="a field the new API drops",
    ),
    pytest.param(
        """
        import requests


        def amounts(expense_id):
            expense = requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}").json()
            return expense["amountOriginal"]["value"], expense.get("cardTransaction")
        """,
        """
        import requests


        def amounts(expense_id):
            # TODO[pleo-migrate PLM109]: this module reads record fields that change on the new API: `amountOriginal` becomes `tran…
            expense = requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}").json()
            return expense["amountOriginal"]["value"], expense.get("cardTransaction")
        """,
        id="renamed and converted fields, nested objects",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_changed_fields(before: str, after: str | None) -> None:
    check(before, after, ["PLM109"])
