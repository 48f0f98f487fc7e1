"""Issue 12's native defects, each on a small hand-written module: a call is rewritten whole or
not at all, shared host and auth move only with every call on them, new-API code and calls the
codemod cannot follow are told apart, and `scan` reports every place `rewrite` acts on."""

from __future__ import annotations

from tests.codemod.helpers import code, rewrite, scan

WRAPPER = """
import os

import requests

DEFAULT_BASE = "https://openapi.pleo.io/v1"


class Client:
    def __init__(self, base=None):
        self.base_url = (base or DEFAULT_BASE).rstrip("/")
        self.headers = {"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"}

    def expense(self, expense_id):
        return requests.get(f"{self.base_url}/expenses/{expense_id}", headers=self.headers).json()
"""


def test_a_base_attribute_is_kept_in_the_rewritten_url() -> None:
    """`f"{self.base_url}/expenses/{id}"` once became a relative URL (the base was dropped)."""
    after = rewrite(WRAPPER)
    assert 'requests.get(f"{self.base_url}/v1/accounting-entries/{expense_id}"' in after
    assert 'DEFAULT_BASE = "https://external.pleo.io"' in after
    assert '"Basic " + base64.b64encode((os.environ[\'PLEO_API_KEY\'] + ":").encode())' in after


MANUAL = WRAPPER + '''
    def tax_codes(self):
        return {"all": requests.get(f"{self.base_url}/tax-codes").json()["taxCodes"]}
'''


def test_host_and_auth_stay_while_a_call_on_them_stays_legacy() -> None:
    """The host constant once moved to the new host, and Bearer became Basic, while the paths
    using them stayed legacy (404 and 401 on both APIs)."""
    after = rewrite(MANUAL)
    kept = [line for line in after.splitlines() if "TODO[pleo-migrate" not in line]
    assert kept == code(MANUAL).splitlines()  # no edit at all, the automatic call included
    assert (
        "# TODO[pleo-migrate PLM001]: unchanged while line 17 stays legacy "
        "(developers.pleo.io/reference/pleo-deprecated)"
    ) in after
    assert after.count("TODO[pleo-migrate PLM001]") == 1
    assert "TODO[pleo-migrate PLM107]" in after  # the reason the call stays


BRANCHES = """
import requests

BASE = "https://openapi.pleo.io/v1"


def fetch(kind):
    if kind == "employees":
        url = BASE + "/employees"
    elif kind == "accounts":
        url = BASE + "/accounts"
    else:
        raise ValueError(kind)
    return requests.get(url, headers={"Authorization": "Bearer t"}).json()


def employee(employee_id):
    return requests.get(f"{BASE}/employees/{employee_id}").json()
"""


def test_a_url_chosen_in_branches_is_a_reported_site_that_holds_the_module() -> None:
    """Such calls were invisible to `scan` while `rewrite` moved the host under them."""
    sites = scan(BRANCHES)
    assert [(s.line, s.automatic, [r.rule for r in s.reasons]) for s in sites] == [
        (13, False, ["PLM107", "PLM108"]),  # (different methods alone hold no branch call)
        (17, True, []),  # it moves onto a copy of BASE (a split), as `rewrite` does
        (10, False, ["PLM107", "PLM108"]),  # the other branch's operation, named where written
    ]
    after = rewrite(BRANCHES)
    assert 'BASE = "https://openapi.pleo.io/v1"' in after
    assert 'NEW_API_BASE = "https://external.pleo.io"' in after and "/v2/employees" in after
    assert "    # TODO[pleo-migrate PLM107]: one call returns one page" in after


def test_dict_reads_and_other_hosts_are_not_call_sites() -> None:
    sites = scan(
        """
        import os

        import requests

        BASE = "https://openapi.pleo.io/v1"
        TOKEN = os.environ.get("PLEO_TOKEN", "")


        def ping(config):
            requests.post("https://hooks.example.com/x", json={"a": config.get("a")})
        """
    )
    assert sites == ()


NEW_API = """
import os

import requests

BASE_URL = "https://external.pleo.io"


class Client:
    def __init__(self):
        self.base_url = os.environ.get("PLEO_EXTERNAL_URL", BASE_URL)
        self.session = requests.Session()

    def _get(self, path):
        return self.session.get(f"{self.base_url}{path}").json()

    def companies(self):
        return self._get("/v1/companies")["data"]

    def expenses(self):
        return self._get("/v1/expenses")["data"]
"""


def test_new_api_code_is_neither_reported_nor_edited() -> None:
    """`self._get("/v1/companies")` on external.pleo.io was taken for a legacy call (PLM105)."""
    assert scan(NEW_API) == ()
    assert rewrite(NEW_API) == code(NEW_API)


def test_a_settings_module_without_calls_is_still_rewritten() -> None:
    after = rewrite(
        """
        import os

        PLEO_BASE = "https://openapi.pleo.io/v1"
        PLEO_TOKEN = os.environ["PLEO_TOKEN"]
        """
    )
    assert 'PLEO_BASE = "https://external.pleo.io"' in after
    assert 'os.environ["PLEO_API_KEY"]' in after
