"""PLM101 dynamic_path: calls whose path or method is chosen at run time are flagged, not guessed."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def employees():
            return requests.get(f"{BASE}/employees?pageSize=10").json()["employees"]
        """,
        None,
        id="no change: a static path",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch(resource):
            return requests.get(f"{BASE}/{resource}").json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch(resource):
            # TODO[pleo-migrate PLM101]: the path is chosen at run time (GET /v1/{re… (developers.pleo.io/reference/pleo-deprecated)
            return requests.get(f"{BASE}/{resource}").json()
        """,
        id="the resource is chosen at run time",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        class Client:
            def __init__(self):
                self.session = requests.Session()

            def call(self, method, path, **kwargs):
                return self.session.request(method, BASE + path, **kwargs)
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        class Client:
            def __init__(self):
                self.session = requests.Session()

            def call(self, method, path, **kwargs):
                # TODO[pleo-migrate PLM101]: the HTTP method is chosen at run time, so t… (developers.pleo.io/reference/pleo-deprecated)
                return self.session.request(method, BASE + path, **kwargs)
        """,
        id="a generic wrapper: method and path from its callers",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def send(method, expense_id):
            return requests.request(method, f"{BASE}/expenses/{expense_id}")
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def send(method, expense_id):
            # TODO[pleo-migrate PLM101]: the HTTP method is chosen at run time, so t… (developers.pleo.io/reference/pleo-deprecated)
            return requests.request(method, f"{BASE}/expenses/{expense_id}")
        """,
        id="requests.request with a run-time method",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_dynamic_path(before: str, after: str | None) -> None:
    check(before, after, ["PLM101"])
