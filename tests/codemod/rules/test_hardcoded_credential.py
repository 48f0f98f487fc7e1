"""PLM010 hardcoded_credential: hard-coded Pleo credentials become environment lookups."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import os

        PLEO_TOKEN = os.environ["PLEO_TOKEN"]
        PLACEHOLDER_TOKEN = "your-pleo-token-here"
        SHORT_TOKEN = "abc123"
        """,
        None,
        id="no change: environment lookups, placeholders, short strings",
    ),
    pytest.param(
        """
        ERP_PASSWORD = "erp-secret-for-tests-only-9"
        requests_get = None  # this module also mentions Pleo
        """,
        None,
        id="no change: a credential that is not Pleo's is reported, not replaced",
    ),
    pytest.param(
        """
        PLEO_TOKEN = "legacy-token-for-tests-only"
        """,
        """
        import os

        PLEO_TOKEN = os.environ["PLEO_API_KEY"]
        """,
        id="a Pleo token constant",
    ),
    pytest.param(
        """
        import requests

        requests.get(
            "https://openapi.pleo.io/v1/employees?pageSize=10",
            headers={"Authorization": "Bearer legacy-token-for-tests-only"},
        )
        """,
        """
        import requests
        import base64
        import os

        requests.get(
            "https://openapi.pleo.io/v1/employees?pageSize=10",
            headers={"Authorization": "Basic " + base64.b64encode((os.environ["PLEO_API_KEY"] + ":").encode()).decode()},
        )
        """,
        id="a Bearer header literal",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_hardcoded_credential(before: str, after: str | None) -> None:
    check(before, after, ["PLM010"])
