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
        import functools
        from migrate.compat import legacy_session
        _pleo_session = functools.cache(legacy_session)

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return _pleo_session().get(f"{BASE}/expenses", params={"pageSize": 100}).json()["expenses"]


        def team(team_id):
            return _pleo_session().request("PUT", f"{BASE}/teams/{team_id}", json={"name": "Ops"})
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
        import functools
        from migrate.compat import legacy_session
        _pleo_session = functools.cache(legacy_session)


        class Pleo:
            def __init__(self, base_url):
                self.base_url = base_url or "https://openapi.pleo.io/v1"
                self.session = legacy_session()

            def employees(self):
                return self.session.get(self.base_url + "/employees").json()["employees"]


        def erp_items():
            return _pleo_session().get("https://erp.example.com/api/items").json()
        """,
        id="every client of a legacy module is routed (compat passes other URLs through)",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_requests(before: str, after: str | None) -> None:
    check(before, after, ["PLM201"], strategy="compat")


MORE = [
    pytest.param(
        """
        import os

        import requests

        TOKEN = os.environ["PLEO_LEGACY_TOKEN"]


        def _request(method, path, **kw):
            if path.startswith("/v1"):
                url = "https://openapi.pleo.io" + path
            else:
                url = "https://openapi.pleo.io/v1" + path
            return requests.request(method, url, headers={"Authorization": "Bearer " + TOKEN}, **kw)
        """,
        """
        import os

        import functools
        from migrate.compat import legacy_session
        _pleo_session = functools.cache(legacy_session)

        TOKEN = os.environ.get("PLEO_API_KEY", "")


        def _request(method, path, **kw):
            if path.startswith("/v1"):
                url = "https://openapi.pleo.io" + path
            else:
                url = "https://openapi.pleo.io/v1" + path
            return _pleo_session().request(method, url, headers={"Authorization": "Bearer " + TOKEN}, **kw)
        """,
        id="a helper with requests.request and branch-assigned URLs; the token read cannot raise",
    ),
    pytest.param(
        """
        import os
        import requests

        SESSION = requests.Session()
        BASE = os.getenv("PLEO_API_URL")


        class PleoSession(requests.Session):
            pass


        def employees():
            return SESSION.get(BASE + "/employees").json()
        """,
        """
        import os
        import requests
        from migrate.compat import legacy_session

        SESSION = legacy_session()
        BASE = os.getenv("PLEO_API_URL")


        # TODO[pleo-migrate PLM201]: PleoSession subclasses requests.Session: mo… (developers.pleo.io/reference/pleo-deprecated)
        class PleoSession(requests.Session):
            pass


        def employees():
            return SESSION.get(BASE + "/employees").json()
        """,
        id="a legacy base-URL variable is enough; a Session subclass gets a TODO",
    ),
    pytest.param(
        """
        import os
        import requests

        BASE = os.getenv("PLEO_EXTERNAL_URL", "https://external.pleo.io")
        KEY = os.environ["PLEO_API_KEY"]


        def employees():
            return requests.get(BASE + "/v1/employees", headers={"Authorization": KEY}).json()
        """,
        None,
        id="no change: a module on the new API only",
    ),
    pytest.param(
        """
        import os
        import requests

        HEADERS = {"Authorization": f"Bearer {os.environ['PLEO_API_TOKEN']}"}
        requests.get("https://openapi.pleo.io/v1/teams", headers=HEADERS)
        """,
        """
        import os
        import functools
        from migrate.compat import legacy_session
        _pleo_session = functools.cache(legacy_session)

        HEADERS = {"Authorization": f"Bearer {os.environ.get('PLEO_API_KEY', '')}"}
        _pleo_session().get("https://openapi.pleo.io/v1/teams", headers=HEADERS)
        """,
        id="a token read inside an f-string keeps its quotes",
    ),
]


@pytest.mark.parametrize(("before", "after"), MORE)
def test_compat_routes_every_client_of_a_legacy_module(before: str, after: str | None) -> None:
    check(before, after, ["PLM201"], strategy="compat")
