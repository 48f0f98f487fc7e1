"""PLM112 invented_endpoint: calls to endpoints the legacy API never had get a TODO of their own
("not a legacy Pleo endpoint"), never "not in the catalogue" or "chosen at run time"."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, scan

CASES = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expense(expense_id):
            return requests.get(f"{BASE}/expenses/{expense_id}").json()


        def fetch(resource):
            return requests.get(f"{BASE}/{resource}").json()
        """,
        None,
        id="no change: a real endpoint, a path chosen at run time",
    ),
    pytest.param(
        """
        import requests


        def users():
            return requests.get("https://openapi.pleo.io/v1/users").json()
        """,
        """
        import requests


        def users():
            # TODO[pleo-migrate PLM112]: GET /v1/users: is not a legacy Pleo endpoint: remove the call or map it by hand
            return requests.get("https://openapi.pleo.io/v1/users").json()
        """,
        id="a path the legacy API never had",
    ),
    pytest.param(
        """
        import requests

        PLEO = "https://openapi.pleo.io/v1"


        def cards(session):
            return session.get(PLEO + "/cards", params={"limit": 5}).json()


        def set_note(session, expense_id, note):
            return session.patch(f"{PLEO}/expenses/{expense_id}", json={"note": note}).json()
        """,
        """
        import requests

        PLEO = "https://openapi.pleo.io/v1"


        def cards(session):
            # TODO[pleo-migrate PLM112]: GET /v1/cards: is not a legacy Pleo endpoint: remove the call or map it by hand
            return session.get(PLEO + "/cards", params={"limit": 5}).json()


        def set_note(session, expense_id, note):
            # TODO[pleo-migrate PLM112]: PATCH /v1/expenses/{id}: is not a legacy Pleo endpoint: remove the call or map it by…
            return session.patch(f"{PLEO}/expenses/{expense_id}", json={"note": note}).json()
        """,
        id="through a base constant; a method the path never had",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_invented_endpoint(before: str, after: str | None) -> None:
    check(before, after, ["PLM112"])


def test_the_call_is_reported_as_manual_with_this_rule_alone() -> None:
    sites = scan(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/reports").json()
        """
    )
    assert [(s.automatic, [r.rule for r in s.reasons]) for s in sites] == [(False, ["PLM112"])]
