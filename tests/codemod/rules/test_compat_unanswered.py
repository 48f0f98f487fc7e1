"""PLM206 compat_unanswered: a routed call compat answers with 501 (no new-API equivalent) or
404 (never a legacy endpoint) gets a TODO saying so; every other routed call gets none."""

# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, result_for

CASES = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def team_names(headers):
            return [t["name"] for t in requests.get(BASE + "/teams", headers=headers).json()]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def team_names(headers):
            # TODO[pleo-migrate PLM206]: teams.list: has no new-API equivalent: compat answers 501 here
            return [t["name"] for t in requests.get(BASE + "/teams", headers=headers).json()]
        """,
        id="a gap: compat answers 501",
    ),
    pytest.param(
        """
        import httpx

        client = httpx.Client(base_url="https://openapi.pleo.io/v1")


        def card(card_id):
            response = client.get(f"/cards/{card_id}")
            return response.json()
        """,
        """
        import httpx

        client = httpx.Client(base_url="https://openapi.pleo.io/v1")


        def card(card_id):
            # TODO[pleo-migrate PLM206]: GET /v1/cards/{id}: is not a legacy Pleo endpoint: compat answers 404
            response = client.get(f"/cards/{card_id}")
            return response.json()
        """,
        id="an invented endpoint on a base_url client: compat answers 404",
    ),
    pytest.param(
        """
        import requests


        def employees(headers):
            return requests.get("https://openapi.pleo.io/v1/employees", headers=headers).json()
        """,
        None,
        id="no change: an endpoint compat answers",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_unanswered(before: str, after: str | None) -> None:
    check(before, after, ["PLM206"], strategy="compat")


def test_the_whole_message_says_the_status_and_the_alternative() -> None:
    result = result_for(CASES[0].values[0], ["PLM206"], strategy="compat")
    assert result is not None
    (todo,) = result.todos
    assert "compat answers 501" in todo.message and "alternative:" in todo.message


def test_a_call_compat_cannot_route_gets_only_the_routing_todo() -> None:
    """A session passed in is not routed (PLM203): saying "compat answers 501" would be wrong."""
    source = """
    import requests

    BASE = "https://openapi.pleo.io/v1"


    def teams(session):
        return session.get(BASE + "/teams").json()
    """
    result = result_for(source, strategy="compat")
    assert result is not None
    assert [todo.rule for todo in result.todos] == ["PLM203"]
