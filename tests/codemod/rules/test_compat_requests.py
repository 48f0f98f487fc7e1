"""PLM201 compat_requests: requests calls to the legacy API go through migrate.compat."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://erp.example.com/api/items")  # nothing to do with Pleo
        """,
        None,
        id="no change: requests calls to other APIs",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return requests.get(f"{BASE}/expenses", params={"pageSize": 100}).json()["expenses"]


        def team(team_id):
            return requests.request("PUT", f"{BASE}/teams/{team_id}", json={"name": "Ops"})
        """,
        """
        from migrate.compat import legacy_session
        _pleo_session = legacy_session()

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return _pleo_session.get(f"{BASE}/expenses", params={"pageSize": 100}).json()["expenses"]


        def team(team_id):
            return _pleo_session.request("PUT", f"{BASE}/teams/{team_id}", json={"name": "Ops"})
        """,
        id="module-level requests calls go through one legacy_session",
    ),
    pytest.param(
        """
        import requests


        class Pleo:
            def __init__(self, base_url):
                self.base_url = base_url or "https://openapi.pleo.io/v1"
                self.session = requests.Session()

            def employees(self):
                return self.session.get(self.base_url + "/employees").json()["employees"]


        def erp_items():
            return requests.get("https://erp.example.com/api/items").json()
        """,
        """
        import requests
        from migrate.compat import legacy_session


        class Pleo:
            def __init__(self, base_url):
                self.base_url = base_url or "https://openapi.pleo.io/v1"
                self.session = legacy_session()

            def employees(self):
                return self.session.get(self.base_url + "/employees").json()["employees"]


        def erp_items():
            return requests.get("https://erp.example.com/api/items").json()
        """,
        id="a Session that legacy calls use; requests stays imported for other calls",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_requests(before: str, after: str | None) -> None:
    check(before, after, ["PLM201"], strategy="compat")
