"""PLM201 compat_requests: a module that talks to the legacy API gets requests' compat twin."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, result_for

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://erp.example.com/api/items")  # nothing to do with Pleo
        """,
        None,
        id="no change: a module that never reaches the legacy API",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return requests.get(f"{BASE}/expenses", params={"pageSize": 100}).json()["expenses"]
        """,
        """
        from migrate.compat import pleo_requests as requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return requests.get(f"{BASE}/expenses", params={"pageSize": 100}).json()["expenses"]
        """,
        id="import requests: the twin takes its name, every call stays as written",
    ),
    pytest.param(
        """
        import requests as rq
        import requests.adapters

        API = "https://openapi.pleo.io/v1/"
        SESSION = rq.Session()
        SESSION.mount("https://", requests.adapters.HTTPAdapter(max_retries=3))
        """,
        """
        from migrate.compat import pleo_requests as rq
        from migrate.compat import pleo_requests as requests

        API = "https://openapi.pleo.io/v1/"
        SESSION = rq.Session()
        SESSION.mount("https://", requests.adapters.HTTPAdapter(max_retries=3))
        """,
        id="import requests as rq, and a dotted import that binds requests",
    ),
    pytest.param(
        """
        from requests import Session, get
        from requests.adapters import HTTPAdapter

        HOSTS = {"production": "https://openapi.pleo.io", "staging": "https://openapi.staging.pleo.io"}


        def teams():
            return get(HOSTS["production"] + "/v1/teams").json()
        """,
        """
        from migrate.compat.pleo_requests import Session, get
        from requests.adapters import HTTPAdapter

        HOSTS = {"production": "https://openapi.pleo.io", "staging": "https://openapi.staging.pleo.io"}


        def teams():
            return get(HOSTS["production"] + "/v1/teams").json()
        """,
        id="from requests import Session, get; the host only in a dict of hosts",
    ),
    pytest.param(
        """
        import functools
        import os

        import requests

        API = "https://openapi.pleo.io/v1/"
        get = functools.partial(requests.get, headers={"Authorization": "Bearer " + os.environ["PLEO_SECRET"]})
        """,
        """
        import functools
        import os

        from migrate.compat import pleo_requests as requests

        API = "https://openapi.pleo.io/v1/"
        get = functools.partial(requests.get, headers={"Authorization": "Bearer " + os.environ.get("PLEO_API_KEY", "")})
        """,
        id="functools.partial(requests.get) is routed; a secret read for an auth header cannot raise",
    ),
    pytest.param(
        """
        import requests


        class PleoSession(requests.Session):
            def __init__(self, host="openapi.pleo.io"):
                super().__init__()
                self.base = f"https://{host}/v1/"
        """,
        """
        from migrate.compat import pleo_requests as requests


        class PleoSession(requests.Session):
            def __init__(self, host="openapi.pleo.io"):
                super().__init__()
                self.base = f"https://{host}/v1/"
        """,
        id="a Session subclass is the twin's Session; a bare legacy host is enough",
    ),
    pytest.param(
        """
        import os, requests

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return requests.get(f"{BASE}/expenses").json()["expenses"]
        """,
        """
        import os
        import functools
        from migrate.compat import legacy_session
        _pleo_session = functools.cache(legacy_session)

        BASE = "https://openapi.pleo.io/v1"


        def expenses():
            return _pleo_session().get(f"{BASE}/expenses").json()["expenses"]
        """,
        id="no swap when requests shares its import statement: the per-call form",
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

        from migrate.compat import pleo_requests as requests

        TOKEN = os.environ.get("PLEO_API_KEY", "")


        def _request(method, path, **kw):
            if path.startswith("/v1"):
                url = "https://openapi.pleo.io" + path
            else:
                url = "https://openapi.pleo.io/v1" + path
            return requests.request(method, url, headers={"Authorization": "Bearer " + TOKEN}, **kw)
        """,
        id="a helper with requests.request and branch-assigned URLs; the token read cannot raise",
    ),
    pytest.param(
        """
        import os
        import requests

        BASE = os.getenv("PLEO_API_URL")
        CONFIG = os.environ["PLEO_COMPANY_ID"]
        """,
        """
        import os
        from migrate.compat import pleo_requests as requests

        BASE = os.getenv("PLEO_API_URL")
        CONFIG = os.environ["PLEO_COMPANY_ID"]
        """,
        id="a legacy base-URL variable is enough; a read that is no secret is kept",
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
        from migrate.compat import pleo_requests as requests

        HEADERS = {"Authorization": f"Bearer {os.environ.get('PLEO_API_KEY', '')}"}
        requests.get("https://openapi.pleo.io/v1/teams", headers=HEADERS)
        """,
        id="a token read inside an f-string keeps its quotes",
    ),
]


@pytest.mark.parametrize(("before", "after"), MORE)
def test_compat_routes_every_client_of_a_legacy_module(before: str, after: str | None) -> None:
    check(before, after, ["PLM201"], strategy="compat")


def test_a_swapped_module_counts_its_legacy_calls_as_routed() -> None:
    result = result_for(
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def teams():
            return requests.get(API + "/teams").json()


        def team(team_id):
            return requests.get(f"{API}/teams/{team_id}").json()
        """,
        ["PLM201", "PLM203"],
        strategy="compat",
    )
    assert result is not None and result.status == "changed"
    assert result.routed == 2 and result.todos == ()
