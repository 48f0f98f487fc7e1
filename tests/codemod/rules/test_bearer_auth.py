"""PLM008 bearer_auth: Bearer legacy tokens become the new key's Basic auth."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import os

        import requests

        ERP_TOKEN = os.environ["ERP_TOKEN"]
        requests.get("https://openapi.pleo.io/v1/employees?pageSize=10")
        requests.get("https://erp.example.com/api/items", headers={"Authorization": f"Bearer {ERP_TOKEN}"})
        """,
        None,
        id="no change: a Bearer header for another API in a module that calls both",
    ),
    pytest.param(
        """
        import os

        import requests

        TOKEN = os.environ["PLEO_TOKEN"]
        HEADERS = {"Authorization": f"Bearer {TOKEN}"}


        def employees():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10", headers=HEADERS).json()["employees"]
        """,
        """
        import base64
        import os

        import requests

        TOKEN = os.environ["PLEO_TOKEN"]
        HEADERS = {"Authorization": "Basic " + base64.b64encode((TOKEN + ":").encode()).decode()}


        def employees():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10", headers=HEADERS).json()["employees"]
        """,
        id="f-string in a module-level headers dict",
    ),
    pytest.param(
        """
        import requests


        def session_for(token):
            session = requests.Session()
            session.headers["Authorization"] = "Bearer {}".format(token)
            return session


        def employees(token):
            session = session_for(token)
            return session.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        """
        import requests
        import base64


        def session_for(token):
            session = requests.Session()
            session.headers["Authorization"] = "Basic " + base64.b64encode((token + ":").encode()).decode()
            return session


        def employees(token):
            session = session_for(token)
            return session.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        id="str.format into a session's headers",
    ),
    pytest.param(
        """
        import httpx


        def client(pleo_token):
            return httpx.AsyncClient(
                base_url="https://openapi.pleo.io/v1",
                headers={"authorization": "Bearer " + pleo_token},
            )
        """,
        """
        import httpx
        import base64


        def client(pleo_token):
            return httpx.AsyncClient(
                base_url="https://openapi.pleo.io/v1",
                headers={"authorization": "Basic " + base64.b64encode((pleo_token + ":").encode()).decode()},
            )
        """,
        id="lower-case key, concatenation, httpx client",
    ),
    pytest.param(
        """
        import requests


        class Pleo:
            def __init__(self, token):
                self.session = requests.Session()
                self.session.headers.update({"Authorization": "Bearer %s" % token})

            def employees(self):
                return self.session.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        """
        import requests
        import base64


        class Pleo:
            def __init__(self, token):
                self.session = requests.Session()
                self.session.headers.update({"Authorization": "Basic " + base64.b64encode((token + ":").encode()).decode()})

            def employees(self):
                return self.session.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        id="%-formatting in session.headers.update",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_bearer_auth(before: str, after: str | None) -> None:
    check(before, after, ["PLM008"])
