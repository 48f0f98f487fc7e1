"""List reads that become `POST …:search` through wrapper helpers (issue 12, search helpers).

Hand-written modules in several styles: a request helper that passes the method on (requests
functions, an httpx client), a fixed-GET helper that passes `params=` on (a requests.Session)
or sends its `**kwargs` as the query (an async httpx client, a module-level function), and a
private URL helper (`self._url(path)`, `urljoin(BASE, path)`) with a session from a method.
Each is rewritten (before/after), rewritten a second time (nothing more to do), and run
against the simulator: the original against the legacy API, the rewrite against the new API
only, the records compared in the catalogue's canonical shape.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite, scan

TODO = "# TODO[pleo-migrate"

METHOD_PASSED = '''
"""requests functions, the method passed on, the body forwarded through **kw."""

import os

import requests

PLEO = "https://openapi.pleo.io/v1"


class Ledger:
    def __init__(self):
        self.base_url = PLEO
        self.headers = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}

    def _request(self, method, path, **kw):
        resp = requests.request(method, f"{self.base_url}{path}", headers=self.headers, **kw)
        resp.raise_for_status()
        return resp.json()

    def accounts(self):
        return self._request("GET", "/accounts", params={"pageSize": 50})["accounts"]

    def expenses(self):
        return self._request("GET", "/expenses", params={"pageSize": 50})["expenses"]

    def queued(self):
        return self._request("GET", "/expenses", params={"status": "QUEUED", "pageSize": 5})[
            "expenses"
        ]

    def employee(self, employee_id):
        return self._request("GET", f"/employees/{employee_id}")
'''

METHOD_PASSED_HTTPX = '''
"""An httpx client, the method passed on, params= and json= named."""

import os

import httpx

BASE = "https://openapi.pleo.io/v1"


class Pleo:
    def __init__(self):
        self.http = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def _call(self, verb, path, params=None, json=None):
        response = self.http.request(verb, BASE + path, params=params, json=json)
        response.raise_for_status()
        return response.json()

    def expenses(self):
        return self._call("get", "/expenses", params={"pageSize": 20})["expenses"]
'''

METHOD_PASSED_NO_JSON = '''
"""requests.request in a helper that passes the method and params= on, but no body."""

import os

import requests

PLEO_API_BASE = "https://openapi.pleo.io/v1"
AUTH = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def _call(method, path, params=None):
    response = requests.request(method, PLEO_API_BASE + path, params=params, headers=AUTH)
    response.raise_for_status()
    return response.json()


def list_accounts():
    return _call("GET", "/accounts", params={"pageSize": 25})["accounts"]


def get_tax_code(tax_code_id):
    return _call("GET", "/tax-codes/" + tax_code_id)
'''

FIXED_GET_PARAMS = '''
"""A requests.Session wrapper whose _get passes params= on (annotated)."""

from __future__ import annotations

import os
from typing import Any

import requests

API = "https://openapi.pleo.io/v1"


class Chart:
    def __init__(self, token: str | None = None) -> None:
        self.root = API
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + (token or os.environ["PLEO_TOKEN"])

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET one path of the API."""
        response = self.session.get(self.root + path, params=params, timeout=20)
        response.raise_for_status()
        return response.json()

    def accounts(self) -> list[dict[str, Any]]:
        return self._get("/accounts", params={"pageSize": 100})["accounts"]

    def expenses(self) -> list[dict[str, Any]]:
        return self._get("/expenses", params={"pageSize": 100})["expenses"]

    def employee(self, employee_id: str) -> Any:
        return self._get(f"/employees/{employee_id}")
'''

FIXED_GET_KWARGS_ASYNC = '''
"""An httpx.AsyncClient wrapper whose _get sends its **kwargs as the query."""

import os

import httpx

PLEO_API = "https://openapi.pleo.io/v1"


class AsyncPleo:
    def __init__(self):
        token = os.environ["PLEO_TOKEN"]
        self._client = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"})

    async def _get(self, path, **query):
        response = await self._client.get(f"{PLEO_API}{path}", params=query)
        response.raise_for_status()
        return response.json()

    async def expenses(self):
        return (await self._get("/expenses", pageSize=100))["expenses"]

    async def accounts(self):
        return (await self._get("/accounts", pageSize=100))["accounts"]
'''

FIXED_GET_KWARGS_MODULE = '''
"""Module-level functions: a shared session and a _get sending **params or None."""

import os

import requests

BASE_URL = "https://openapi.pleo.io/v1"
SESSION = requests.Session()
SESSION.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def _get(path, **params):
    r = SESSION.get(BASE_URL + path, params=params or None, timeout=30)
    r.raise_for_status()
    return r.json()


def expenses():
    return _get("/expenses", pageSize=25)["expenses"]


def accounts():
    return _get("/accounts", pageSize=100)["accounts"]
'''

KWARGS_SESSION = '''
"""A connector session: headers updated once, _get sending **params or None."""

import os

import requests

PLEO_URL = os.getenv("PLEO_URL", "https://openapi.pleo.io/v1")


class Connector:
    def __init__(self, base_url=PLEO_URL):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers.update({"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    def _get(self, path, **params):
        reply = self.http.get(self.base_url + path, params=params or None, timeout=15)
        reply.raise_for_status()
        return reply.json()

    def chart(self):
        return self._get("/accounts", pageSize=500)["accounts"]

    def account(self, account_id):
        return self._get(f"/accounts/{account_id}")
'''

URL_HELPER = '''
"""A session made by a method, and a private URL helper on the base."""

import os

import requests

DEFAULT = "https://openapi.pleo.io/v1"


class Hook:
    def __init__(self):
        self._session = None
        self.base_url = DEFAULT

    def get_conn(self):
        if self._session is None:
            session = requests.Session()
            session.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]
            self._session = session
        return self._session

    def _url(self, endpoint):
        self.get_conn()
        return f"{self.base_url}{endpoint}"

    def expenses(self):
        response = self.get_conn().get(self._url("/expenses"), params={"pageSize": 30})
        response.raise_for_status()
        return response.json()["expenses"]

    def employee(self, employee_id):
        response = self.get_conn().get(self._url("/employees/" + employee_id))
        response.raise_for_status()
        return response.json()
'''

COMPOSED = '''
"""A fixed-GET helper on a session from a method and a URL from a urljoin helper (httpx)."""

import os
from urllib.parse import urljoin

import httpx

API_ROOT = "https://openapi.pleo.io/v1/"


class Client:
    def __init__(self):
        self.base = API_ROOT
        self.http = httpx.Client(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    def _url(self, path):
        return urljoin(self.base, path)

    def _session(self):
        return self.http

    def _get(self, path, params=None):
        r = self._session().get(self._url(path), params=params)
        r.raise_for_status()
        return r.json()

    def accounts(self):
        return self._get("accounts", params={"pageSize": 10})["accounts"]

    def expense(self, expense_id):
        return self._get(f"expenses/{expense_id}")
'''

SLASH_URL_HELPER = '''
"""A module-level httpx client and a URL helper that puts the slash between base and path."""

import os

import httpx

PLEO_BASE = "https://openapi.pleo.io/v1"
client = httpx.Client(headers={"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"})


def _api(path):
    return f"{PLEO_BASE}/{path}"


def expenses():
    r = client.get(_api("expenses"), params={"pageSize": 15})
    r.raise_for_status()
    return r.json()["expenses"]


def tax_code(tax_code_id):
    r = client.get(_api("tax-codes/" + tax_code_id))
    r.raise_for_status()
    return r.json()
'''

STRIP_URL_HELPER = '''
"""A session wrapper whose URL helper strips the path's leading slash."""

import os

import requests

BASE = "https://openapi.pleo.io/v1"


class Books:
    def __init__(self):
        self.base_url = BASE
        self.s = requests.Session()
        self.s.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def _u(self, path):
        return f"{self.base_url}/{path.lstrip('/')}"

    def accounts(self):
        return self.s.get(self._u("/accounts"), params={"pageSize": 60}).json()["accounts"]

    def employee(self, employee_id):
        return self.s.get(self._u(f"employees/{employee_id}")).json()
'''

URL_HELPER_URLJOIN = '''
"""Plain requests functions on a URL made by a module-level urljoin helper."""

import os
from urllib.parse import urljoin

import requests

ROOT = "https://openapi.pleo.io/v1/"


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def _endpoint(path):
    return urljoin(ROOT, path)


def accounts():
    r = requests.get(_endpoint("accounts"), headers=_headers(), params={"pageSize": 40})
    r.raise_for_status()
    return r.json()["accounts"]


def tax_code(tax_code_id):
    r = requests.get(_endpoint(f"tax-codes/{tax_code_id}"), headers=_headers())
    r.raise_for_status()
    return r.json()
'''


def _todos(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TODO in line]


def _rewritten_twice(source: str) -> str:
    """The rewrite, checked to leave nothing more for a second run."""
    after = rewrite(source)
    assert rewrite(after) == after
    ast.parse(after)
    return after


# --- the method passed on: the call's literal method, path, params= and json= ---------------


def test_a_method_passed_on_becomes_post_with_the_search_body_at_the_call() -> None:
    after = _rewritten_twice(METHOD_PASSED)
    assert (
        'self._request("POST", "/v1/chart-of-accounts:search", params={"limit": 50}, '
        'json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": '
        'False, "companyId": os.environ["PLEO_COMPANY_ID"]})["data"]'
    ) in after
    assert (
        'self._request("POST", "/v1/accounting-entries:search", params={"limit": 5, '
        '"company_id": os.environ["PLEO_COMPANY_ID"]}, json={"includeDeleted": True, '
        '"exportStatus": ["QUEUED"]})'
    ) in after  # the literal filter converted into the body, as PLM003 does inline
    assert "def _post" not in after  # the method is the call's own: no twin
    assert _todos(after) == [] or all("PLM109" in todo for todo in _todos(after))


def test_a_lower_case_method_passed_to_an_httpx_helper_stays_lower_case() -> None:
    after = _rewritten_twice(METHOD_PASSED_HTTPX)
    assert 'self._call("post", "/v1/accounting-entries:search", params={"limit": 20' in after
    assert 'json={"includeDeleted": True' in after


def test_a_method_passed_on_without_a_body_gets_a_json_twin() -> None:
    after = _rewritten_twice(METHOD_PASSED_NO_JSON)
    assert "\n\n\ndef _call_json(method, path, params=None, json=None):\n" in after
    assert (
        "requests.request(method, PLEO_API_BASE + path, params=params, headers=AUTH, json=json)"
    ) in after
    assert 'return _call_json("POST", "/v1/chart-of-accounts:search", params={"limit": 25}' in after
    assert 'return _call("GET", "/v0/tax-codes/" + tax_code_id)["data"]' in after


# --- a fixed GET: the POST twin -------------------------------------------------------------


def test_a_fixed_get_helper_gets_one_post_twin_copied_from_its_text() -> None:
    after = _rewritten_twice(FIXED_GET_PARAMS)
    twin = [
        "    def _post(self, path: str, params: dict[str, Any] | None = None, "
        "json: object = None) -> Any:",
        '        """`_get` sending POST with a JSON body (added by pleo-migrate)."""',
        "        response = self.session.post(self.root + path, params=params, timeout=20, "
        "json=json)",
        "        response.raise_for_status()",
        "        return response.json()",
    ]
    assert "        return response.json()\n\n" + "\n".join(twin) + "\n" in after
    assert after.count("def _post(") == 1  # once per class, whatever the number of calls
    assert 'return self._post("/v1/chart-of-accounts:search", params={"limit": 100}' in after
    assert 'return self._post("/v1/accounting-entries:search", params={"limit": 100' in after
    assert 'return self._get(f"/v2/employees/{employee_id}")["data"]' in after  # a GET stays
    assert '"""GET one path of the API."""' in after  # the helper itself is unchanged


def test_keyword_queries_of_an_async_helper_are_renamed_at_the_call() -> None:
    after = _rewritten_twice(FIXED_GET_KWARGS_ASYNC)
    assert "async def _post(self, path, *, json=None, **query):" in after
    assert 'await self._client.post(f"{PLEO_API}{path}", params=query, json=json)' in after
    assert 'await self._post("/v1/accounting-entries:search", limit=100, company_id=' in after
    assert 'await self._post("/v1/chart-of-accounts:search", limit=100, json={' in after


def test_a_module_level_helper_twin_keeps_its_session_and_two_blank_lines() -> None:
    after = _rewritten_twice(FIXED_GET_KWARGS_MODULE)
    assert "\n\n\ndef _post(path, *, json=None, **params):\n" in after
    assert "SESSION.post(BASE_URL + path, params=params or None, timeout=30, json=json)" in after
    assert '_post("/v1/accounting-entries:search", limit=25, company_id=os.environ[' in after


def test_a_large_keyword_page_size_on_a_session_helper_moves_with_the_twin() -> None:
    after = _rewritten_twice(KWARGS_SESSION)
    assert 'self._post("/v1/chart-of-accounts:search", limit=500, json={' in after
    assert "self.http.post(self.base_url + path, params=params or None, timeout=15, json=" in after
    assert 'return self._get(f"/v1/chart-of-accounts/{account_id}")' in after


def test_a_helper_that_retries_gets_no_twin_and_its_calls_say_why() -> None:
    source = FIXED_GET_PARAMS.replace(
        '''        response = self.session.get(self.root + path, params=params, timeout=20)
        response.raise_for_status()
        return response.json()
''',
        '''        for _attempt in range(3):
            response = self.session.get(self.root + path, params=params, timeout=20)
            if response.ok:
                return response.json()
        return None
''',
    )
    found = {site.label: site for site in scan(source)}
    message = found["accounts.list"].reasons[0].message
    assert "the method is fixed inside `_get`, and it does more than one request" in message
    assert "def _post" not in rewrite(source)


def test_a_helper_whose_own_text_holds_the_auth_gets_no_twin() -> None:
    source = FIXED_GET_PARAMS.replace(
        "params=params, timeout=20)",
        'params=params, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})',
    )
    found = {site.label: site for site in scan(source)}
    assert "its own text changes for the new API" in found["accounts.list"].reasons[0].message


def test_a_twin_name_already_taken_falls_back_to_another() -> None:
    source = FIXED_GET_PARAMS + '''
    def _post(self, text: str) -> str:  # not a request: only its name is in the way
        return text.strip()
'''
    after = rewrite(source)
    assert "def _get_post(self, path: str" in after
    assert 'return self._get_post("/v1/chart-of-accounts:search"' in after


# --- URL helpers ----------------------------------------------------------------------------


def test_a_url_helper_call_rewrites_like_an_inline_url() -> None:
    after = _rewritten_twice(URL_HELPER)
    assert 'self.get_conn().post(self._url("/v1/accounting-entries:search"), params={' in after
    assert 'self.get_conn().get(self._url("/v2/employees/" + employee_id))' in after
    assert 'return f"{self.base_url}{endpoint}"' in after  # the helper stays as written
    labels = [site.label for site in scan(URL_HELPER)]
    assert labels == ["expenses.list", "employees.get"]  # the helper call is not a site


def test_a_module_level_urljoin_helper_rewrites_like_an_inline_url() -> None:
    after = _rewritten_twice(URL_HELPER_URLJOIN)
    assert 'requests.post(_endpoint("v1/chart-of-accounts:search"), headers=_headers()' in after
    assert 'requests.get(_endpoint(f"v0/tax-codes/{tax_code_id}")' in after


def test_a_request_helper_on_a_url_helper_and_a_session_method_gets_its_twin() -> None:
    after = _rewritten_twice(COMPOSED)
    assert "r = self._session().post(self._url(path), params=params, json=json)" in after
    assert 'return self._post("v1/chart-of-accounts:search", params={"limit": 10}' in after


def test_a_url_helper_with_its_own_slash_takes_bare_paths() -> None:
    after = _rewritten_twice(SLASH_URL_HELPER)
    assert 'PLEO_BASE = "https://external.pleo.io"' in after
    assert 'r = client.post(_api("v1/accounting-entries:search"), params={"limit": 15' in after
    assert 'r = client.get(_api("v0/tax-codes/" + tax_code_id))' in after


def test_a_leading_slash_on_a_url_helper_with_its_own_slash_is_not_followed() -> None:
    source = SLASH_URL_HELPER.replace('_api("expenses")', '_api("/expenses")')
    found = [site for site in scan(source) if site.label == "expenses.list"]
    assert found and not any(site.automatic for site in found)  # `…/v1//expenses`: not guessed
    assert '_api("/expenses")' in rewrite(source)


def test_a_url_helper_that_strips_the_leading_slash_takes_both_kinds_of_path() -> None:
    after = _rewritten_twice(STRIP_URL_HELPER)
    assert 'self.s.post(self._u("v1/chart-of-accounts:search"), params={"limit": 60}' in after
    assert 'self.s.get(self._u(f"v2/employees/{employee_id}")).json()["data"]' in after


def test_a_url_helper_used_as_a_value_is_not_followed() -> None:
    source = URL_HELPER + '''
    def urls(self):
        return [self._url]
'''
    found = {site.label: site for site in scan(source)}
    assert found["expenses.list"].automatic is False


# --- executed against the simulator ---------------------------------------------------------

RUNS = {
    "method_passed": (METHOD_PASSED, "Ledger", (
        Call("accounts", ("accounts.list",)),
        Call("expenses", ("expenses.list",)),
        Call("employee", ("employees.get",), ("@employee",)),
    )),
    "method_passed_httpx": (METHOD_PASSED_HTTPX, "Pleo", (
        Call("expenses", ("expenses.list",)),
    )),
    "method_passed_no_json": (METHOD_PASSED_NO_JSON, None, (
        Call("list_accounts", ("accounts.list",)),
        Call("get_tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "fixed_get_params": (FIXED_GET_PARAMS, "Chart", (
        Call("accounts", ("accounts.list",)),
        Call("expenses", ("expenses.list",)),
        Call("employee", ("employees.get",), ("@employee",)),
    )),
    "fixed_get_kwargs_async": (FIXED_GET_KWARGS_ASYNC, "AsyncPleo", (
        Call("expenses", ("expenses.list",)),
        Call("accounts", ("accounts.list",)),
    )),
    "fixed_get_kwargs_module": (FIXED_GET_KWARGS_MODULE, None, (
        Call("expenses", ("expenses.list",)),
        Call("accounts", ("accounts.list",)),
    )),
    "kwargs_session": (KWARGS_SESSION, "Connector", (
        Call("chart", ("accounts.list",)),
        Call("account", ("accounts.get",), ("@account",)),
    )),
    "composed": (COMPOSED, "Client", (
        Call("accounts", ("accounts.list",)),
        Call("expense", ("expenses.get",), ("@expense",)),
    )),
    "slash_url_helper": (SLASH_URL_HELPER, None, (
        Call("expenses", ("expenses.list",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "strip_url_helper": (STRIP_URL_HELPER, "Books", (
        Call("accounts", ("accounts.list",)),
        Call("employee", ("employees.get",), ("@employee",)),
    )),
    "url_helper": (URL_HELPER, "Hook", (
        Call("expenses", ("expenses.list",)),
        Call("employee", ("employees.get",), ("@employee",)),
    )),
    "url_helper_urljoin": (URL_HELPER_URLJOIN, None, (
        Call("accounts", ("accounts.list",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_module_returns_the_same_records_from_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        verdict = done.verdicts[call.label]
        assert verdict in harness.WORKING, (
            harness.explain(report, "native", call.label)
        )


def test_a_comment_after_the_helper_stays_with_the_helper() -> None:
    source = FIXED_GET_PARAMS.replace(
        "        return response.json()\n", "        return response.json()  # the body\n", 1
    )
    after = rewrite(source)
    assert "return response.json()  # the body\n\n    def _post(" in after


def test_a_url_helper_result_held_in_a_local_is_one_site() -> None:
    source = '''
    import os

    import requests

    BASE = "https://openapi.pleo.io/v1"
    HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


    def _url(path):
        return BASE + path


    def expenses():
        url = _url("/expenses")
        r = requests.get(url, headers=HEADERS, params={"pageSize": 10})
        r.raise_for_status()
        return r.json()["expenses"]
    '''
    assert [site.label for site in scan(source)] == ["expenses.list"]
    after = _rewritten_twice(source)
    assert 'url = _url("/v1/accounting-entries:search")' in after
    assert "r = requests.post(url, headers=HEADERS" in after


def test_a_url_helper_on_a_base_set_at_run_time_is_named_in_the_todo() -> None:
    source = URL_HELPER.replace(
        "            session = requests.Session()\n",
        '            self.base_url = "{}/{}".format(os.environ["HOST"], "v1")\n'
        "            session = requests.Session()\n",
    ).replace("self.base_url = DEFAULT", "self.base_url = None")
    found = {site.label: site for site in scan(source)}
    message = found["expenses.list"].reasons[0].message
    assert "`self._url` puts the path on `self.base_url`, which is not a known legacy" in message
