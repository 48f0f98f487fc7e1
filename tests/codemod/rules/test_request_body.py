"""PLM110 request_body: request bodies that change shape are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        requests.delete("https://openapi.pleo.io/v1/accounts/a-1").raise_for_status()
        """,
        None,
        id="no change: no request body",
    ),
    pytest.param(
        """
        import requests


        def add_account(name, number):
            body = {"name": name, "accountNumber": number}
            return requests.post("https://openapi.pleo.io/v1/accounts", json=body).json()
        """,
        """
        import requests


        def add_account(name, number):
            body = {"name": name, "accountNumber": number}
            # TODO[pleo-migrate PLM110]: the request body of accounts.create changes: `accountNumber` becomes `code`
            return requests.post("https://openapi.pleo.io/v1/accounts", json=body).json()
        """,
        id="a create body that changes shape",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_request_body(before: str, after: str | None) -> None:
    check(before, after, ["PLM110"])
