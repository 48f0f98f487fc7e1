"""PLM101 dynamic_path: calls whose path or method is chosen at run time are flagged, not guessed."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, rewrite, scan

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
            # TODO[pleo-migrate PLM101]: `resource` unbounded (`fetch` is public) (developers.pleo.io/reference/pleo-deprecated)
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
                # TODO[pleo-migrate PLM101]: the HTTP method is chosen at run time, so the operation is unknown
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
            # TODO[pleo-migrate PLM101]: the HTTP method is chosen at run time, so the operation is unknown
            return requests.request(method, f"{BASE}/expenses/{expense_id}")
        """,
        id="requests.request with a run-time method",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_dynamic_path(before: str, after: str | None) -> None:
    check(before, after, ["PLM101"])


# A URL variable assigned in branches (and read once): one call site with alternatives.
BRANCHES = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "employee":
                url = f"{BASE}/employees/{ident}"
            elif kind == "tax-code":
                url = BASE + "/tax-codes/" + ident
            else:
                url = f"{BASE}/accounts/{ident}"
            return requests.get(url).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "employee":
                url = f"{BASE}/v2/employees/{ident}"
            elif kind == "tax-code":
                url = BASE + "/v0/tax-codes/" + ident
            else:
                url = f"{BASE}/v1/chart-of-accounts/{ident}"
            return requests.get(url).json()
        """,
        id="branches: each URL rewritten at its own assignment",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch(kind):
            if kind == "employees":
                url = BASE + "/employees"
            else:
                url = BASE + "/accounts"
            return requests.get(url).json()
        """,
        None,  # each branch gets its own method (test_dispatch.py); held by its paging (PLM107)
        id="branches of different HTTP methods on the new API: no PLM101",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "employee":
                url = f"{BASE}/employees/{ident}"
            else:
                url = f"{BASE}/{kind}/{ident}"
            return requests.get(url).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "employee":
                url = f"{BASE}/employees/{ident}"
            else:
                url = f"{BASE}/{kind}/{ident}"
            # TODO[pleo-migrate PLM101]: a branch is not a known operation (employees.get, /v1/{kind}/{ident})
            return requests.get(url).json()
        """,
        id="a branch with a run-time path: a TODO naming the known ones",
    ),
    pytest.param(
        """
        import logging

        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "employee":
                url = f"{BASE}/employees/{ident}"
            else:
                url = f"{BASE}/accounts/{ident}"
            logging.info("GET %s", url)
            return requests.get(url).json()
        """,
        """
        import logging

        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "employee":
                url = f"{BASE}/employees/{ident}"
            else:
                url = f"{BASE}/accounts/{ident}"
            logging.info("GET %s", url)
            # TODO[pleo-migrate PLM101]: the path is chosen at run time (GET url), so the new endpoint is unknown
            return requests.get(url).json()
        """,
        id="a branch URL read twice: still chosen at run time",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def status(region):
            if region == "eu":
                url = "https://status.example.com/eu"
            else:
                url = "https://status.example.com/us"
            return requests.get(url).json()
        """,
        None,
        id="no change: branches to another API in a module that names Pleo",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def all_pages():
            url = BASE + "/employees"
            found = []
            while url:
                body = requests.get(url).json()
                found += body["employees"]
                url = body.get("next")
            return found
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def all_pages():
            url = BASE + "/employees"
            found = []
            while url:
                # TODO[pleo-migrate PLM101]: the path is chosen at run time (GET url), so the new endpoint is unknown
                body = requests.get(url).json()
                found += body["employees"]
                url = body.get("next")
            return found
        """,
        id="a URL variable reassigned in the loop that reads it: still chosen at run time",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_all(kind, ident):
            if kind == "employee":
                url = f"{BASE}/employees/{ident}"
            else:
                url = f"{BASE}/accounts/{ident}"
            for _ in range(3):
                response = requests.get(url)
                if response.ok:
                    return response.json()
            return None
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_all(kind, ident):
            if kind == "employee":
                url = f"{BASE}/v2/employees/{ident}"
            else:
                url = f"{BASE}/v1/chart-of-accounts/{ident}"
            for _ in range(3):
                response = requests.get(url)
                if response.ok:
                    return response.json()
            return None
        """,
        id="branches read in a retry loop that does not rebind the URL",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "a":
                url = f"{BASE}/teams/{ident}"
            else:
                url = f"{BASE}/employees/{ident}"
            return requests.get(url).json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def fetch_one(kind, ident):
            if kind == "a":
                url = f"{BASE}/teams/{ident}"
            else:
                url = f"{BASE}/employees/{ident}"
            # TODO[pleo-migrate PLM101]: a branch is not a known operation (/v1/teams/{ident}, employees.get)
            return requests.get(url).json()
        """,
        id="the first branch is not a catalogue operation: named by its path",
    ),
]


@pytest.mark.parametrize(("before", "after"), BRANCHES)
def test_branches(before: str, after: str | None) -> None:
    check(before, after, ["PLM101", "PLM002"])


HOST_APART = [
    pytest.param(
        """
        import os

        import requests

        PLEO_HOST = os.getenv("PLEO_HOST", "openapi.pleo.io")


        def emails(token):
            r = requests.get(f"https://{PLEO_HOST}/v1/employees", headers={"Authorization": f"Bearer {token}"})
            return [e["email"] for e in r.json()["employees"]]
        """,
        id="an f-string whose host is a name read from the environment",
    ),
    pytest.param(
        """
        import httpx

        HOST = "openapi.staging.pleo.io"


        def tax_codes():
            return httpx.get("https://" + HOST + "/v1/tax-codes").json()["taxCodes"]
        """,
        id="a concatenation whose host is a constant",
    ),
]


@pytest.mark.parametrize("source", HOST_APART)
def test_a_host_written_apart_is_a_site_with_its_reason(source: str) -> None:
    """Such a URL went unseen (scan: 0 call sites in a file that calls the legacy API); now
    `scan` reports it and the TODO says what to change."""
    (site,) = scan(source)
    assert not site.automatic
    (line,) = [line for line in rewrite(source).splitlines() if "TODO[" in line]
    assert "PLM101" in line and "spells its legacy host as a piece of its own" in line
