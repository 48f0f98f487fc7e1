"""PLM108 response_envelope: bodies whose envelope changes but cannot be followed are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        None,
        id="no change: the records are read right there",
    ),
    pytest.param(
        """
        import requests


        def employees():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()
        """,
        """
        import requests


        def employees():
            # TODO[pleo-migrate PLM108]: the body is passed on (developers.pleo.io/reference/pleo-deprecated)
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()
        """,
        id="the whole body is returned",
    ),
    pytest.param(
        """
        import requests


        def accounts():
            response = requests.get("https://openapi.pleo.io/v1/accounts?pageSize=10")
            return response.text
        """,
        """
        import requests


        def accounts():
            # TODO[pleo-migrate PLM108]: the body is read as `response.text` (developers.pleo.io/reference/pleo-deprecated)
            response = requests.get("https://openapi.pleo.io/v1/accounts?pageSize=10")
            return response.text
        """,
        id="the body is handed on as text",
    ),
    pytest.param(
        """
        import json

        import requests


        def accounts():
            response = requests.get("https://openapi.pleo.io/v1/accounts?pageSize=10")
            return json.loads(response.text)["accounts"]
        """,
        None,
        id="no TODO: a body decoded by hand is read as r.json() is",
    ),
    pytest.param(
        """
        import requests


        def employees():
            body = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()
            return body["items"]
        """,
        """
        import requests


        def employees():
            # TODO[pleo-migrate PLM108]: reads `items` from a body that has only `employees` and metadata
            body = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()
            return body["items"]
        """,
        id="a key the legacy envelope does not have",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_response_envelope(before: str, after: str | None) -> None:
    check(before, after, ["PLM108"])
