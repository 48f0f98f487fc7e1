"""PLM102 gap_endpoint: calls to endpoints without a new-API equivalent get the reason and a link."""

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
        id="no change: a mapped operation",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def create_team(name):
            return requests.post(f"{BASE}/teams", json={"name": name}).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def create_team(name):
            # TODO[pleo-migrate PLM102]: teams.create: has no new-API equivalent (developers.pleo.io/reference/pleo-deprecated)
            return requests.post(f"{BASE}/teams", json={"name": name}).json()
        """,
        id="POST /teams has no new equivalent",
    ),
    pytest.param(
        """
        import requests


        def balance(session: requests.Session):
            return session.get("https://openapi.staging.pleo.io/v1/companies/balance").json()
        """,
        """
        import requests


        def balance(session: requests.Session):
            # TODO[pleo-migrate PLM102]: companies.balance: has no new-API equivalent
            return session.get("https://openapi.staging.pleo.io/v1/companies/balance").json()
        """,
        id="the wallet balance, on the staging host",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_gap_endpoint(before: str, after: str | None) -> None:
    check(before, after, ["PLM102"])
