"""PLM203 compat_review: legacy calls the compat strategy cannot route from here are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        session = requests.Session()
        session.get("https://openapi.pleo.io/v1/employees")
        """,
        None,
        id="no change: the session is created here (PLM201 routes it)",
    ),
    pytest.param(
        """
        def employees(session):
            return session.get("https://openapi.pleo.io/v1/employees").json()["employees"]
        """,
        """
        def employees(session):
            # TODO[pleo-migrate PLM203]: GET /v1/employees: goes through `session`, created where this module does not show
            return session.get("https://openapi.pleo.io/v1/employees").json()["employees"]
        """,
        id="a session passed in from elsewhere",
    ),
    pytest.param(
        """
        from urllib.request import urlopen

        urlopen("https://openapi.pleo.io/v1/tax-codes")
        """,
        """
        from urllib.request import urlopen

        # TODO[pleo-migrate PLM203]: GET /v1/tax-codes: goes through urllib, which migrate.compat cannot serve
        urlopen("https://openapi.pleo.io/v1/tax-codes")
        """,
        id="urllib",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_review(before: str, after: str | None) -> None:
    check(before, after, ["PLM203"], strategy="compat")


SWAPPED = [
    pytest.param(
        """
        import requests


        class Hook:
            def get_conn(self):
                return requests.Session()

            def teams(self):
                return self.get_conn().get("https://openapi.pleo.io/v1/teams").json()
        """,
        """
        from migrate.compat import pleo_requests as requests


        class Hook:
            def get_conn(self):
                return requests.Session()

            def teams(self):
                return self.get_conn().get("https://openapi.pleo.io/v1/teams").json()
        """,
        id="a session made in get_conn() is the twin's: routed, no TODO",
    ),
    pytest.param(
        """
        import requests

        API = "https://openapi.pleo.io/v1/"


        class PleoSession(requests.Session):
            def request(self, method, url, *args, **kwargs):
                return super().request(method, API + url, *args, **kwargs)
        """,
        """
        from migrate.compat import pleo_requests as requests

        API = "https://openapi.pleo.io/v1/"


        class PleoSession(requests.Session):
            def request(self, method, url, *args, **kwargs):
                return super().request(method, API + url, *args, **kwargs)
        """,
        id="a Session subclass's super().request(...) is the twin's: routed, no TODO",
    ),
    pytest.param(
        """
        import requests

        session = requests.Session()


        def employees(client):
            return client.get("https://openapi.pleo.io/v1/employees").json()
        """,
        """
        from migrate.compat import pleo_requests as requests

        session = requests.Session()


        def employees(client):
            # TODO[pleo-migrate PLM203]: GET /v1/employees: goes through `client`, created where this module does not show
            return client.get("https://openapi.pleo.io/v1/employees").json()
        """,
        id="a client passed in from elsewhere stays a TODO after the swap",
    ),
]


@pytest.mark.parametrize(("before", "after"), SWAPPED)
def test_compat_review_of_a_swapped_module(before: str, after: str | None) -> None:
    check(before, after, ["PLM201", "PLM203"], strategy="compat")

