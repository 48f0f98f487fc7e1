"""PLM111 legacy_url_literal: legacy URLs outside any recognised call are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        '''
        """Endpoints: https://openapi.pleo.io/v1/expenses is where expenses come from."""
        NEW = {"employees": "https://external.pleo.io/v2/employees"}
        print("Pleo's legacy API lives at https://openapi.pleo.io/v1/employees and friends")
        ''',
        None,
        id="no change: docstrings, prose and new-API URLs",
    ),
    pytest.param(
        """
        ENDPOINTS = {
            "expenses": "https://openapi.pleo.io/v1/expenses",
            "employees": "https://openapi.pleo.io/v1/employees",
        }
        """,
        """
        # TODO[pleo-migrate PLM111]: a legacy URL (https://openapi.pleo.io/v1/expenses) that no recognised call uses
        ENDPOINTS = {
            "expenses": "https://openapi.pleo.io/v1/expenses",
            "employees": "https://openapi.pleo.io/v1/employees",
        }
        """,
        id="an endpoint table no call uses",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_legacy_url_literal(before: str, after: str | None) -> None:
    check(before, after, ["PLM111"])
