"""Native strategy on client objects real code uses (issue 12, hold-out patterns).

Small hand-written modules, none of them a hold-out file:
- an httpx `Client`/`AsyncClient` whose `base_url` is an f-string built from a bare legacy host
  (`f"https://{host}/v1"`, the host a choice of literals or an `os.getenv` default), with
  relative paths: its calls are sites, and the base moves once (host literals to the new host,
  the `/v1` dropped) when every call on it moves; otherwise it stays, with one TODO;
- calls through `functools.partial(requests.get, headers=…)` or `partial(session.get, …)`:
  calls of the wrapped callable, whose URL, query and envelope are rewritten at the call;
- a `requests.Session` subclass whose `request()` override joins a base onto relative URLs:
  `self.get("employees")` in its methods, or `pleo.get("/employees")` on an instance;
- a client a method returns (`self.get_conn().get(…)`, `self.client().get(…)`);
- a settings object (a dataclass, a plain class) carrying the base and the auth, read as
  `config.api_url` or through a property (`config.root`); a base whose `/v1` is a piece of its
  own (`HOST + "/v1"`, a `version = "v1"` field) cannot move by itself: PLM105 says so.
Each module is also run against the simulator as the corpus harness does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

TODO = "# TODO[pleo-migrate"

HOST_CHOICE = '''
"""Reader on an httpx client whose base is built from a host chosen by environment."""

import os

import httpx


class Reader:
    def __init__(self, token=None, staging=False):
        host = "openapi.staging.pleo.io" if staging else "openapi.pleo.io"
        self.http = httpx.Client(
            base_url=f"https://{host}/v1",
            headers={"Authorization": f"Bearer {token or os.environ['PLEO_TOKEN']}"},
            timeout=10,
        )

    def employee_email(self, employee_id):
        return self.http.get(f"/employees/{employee_id}").json()["email"]

    def tax_code(self, code_id):
        return self.http.get("/tax-codes/" + code_id).json()["code"]
'''
HOST_CHOICE_GAP = HOST_CHOICE + '''
    def balance(self):
        response = self.http.get("/companies/balance")
        response.raise_for_status()
        return response.json()
'''
HOST_CHOICE_FLOW = HOST_CHOICE + '''
    def tag_group_names(self):
        return [g["name"] for g in self.http.get("/tag-groups").json()]
'''
ENV_HOST_ASYNC = '''
"""Async reader; the host comes from the environment, with the legacy host as default."""

import os

import httpx

PLEO_HOST = os.getenv("PLEO_API_HOST", "openapi.pleo.io")


class AsyncReader:
    def __init__(self):
        token = os.environ["PLEO_TOKEN"]
        self.client = httpx.AsyncClient(
            base_url=f"https://{PLEO_HOST}/v1/", headers={"Authorization": "Bearer " + token}
        )

    async def employee_email(self, employee_id):
        response = await self.client.get(f"employees/{employee_id}")
        response.raise_for_status()
        return response.json()["email"]

    async def tax_code(self, code_id):
        response = await self.client.get("tax-codes/{}".format(code_id))
        return response.json()["code"]
'''
PARTIAL_FUNCTION = '''
"""Notebook helpers: the headers and timeout are bound once with functools.partial."""

import os
from functools import partial

import requests

API = "https://openapi.pleo.io/v1"
fetch = partial(
    requests.get, headers={"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN')}"}, timeout=30
)


def employee_email(employee_id):
    resp = fetch(f"{API}/employees/{employee_id}")
    resp.raise_for_status()
    return resp.json()["email"]


def tax_code(code_id):
    return fetch(API + "/tax-codes/" + code_id).json()["code"]
'''
PARTIAL_SESSION = '''
"""A session with the auth header; calls go through a partial of its get."""

import functools
import os

import requests

ROOT = "https://openapi.pleo.io/v1/"
session = requests.Session()
session.headers.update({"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
get = functools.partial(session.get, timeout=15)


def employee_email(employee_id):
    return get("{}employees/{}".format(ROOT, employee_id)).json()["email"]


def tax_code(code_id):
    return get(ROOT + "tax-codes/" + code_id).json()["code"]
'''
PARTIAL_SHARED_HEADERS = '''
"""Two partials share one header dict; the token variable is not named *TOKEN*."""

import functools
import os

import requests

ROOT = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer %s" % os.getenv("PLEO_KEY", ""), "Accept": "application/json"}
read = functools.partial(requests.get, headers=HEADERS, timeout=20)
write = functools.partial(requests.post, headers=HEADERS, timeout=20)


def employee_email(employee_id):
    return read(ROOT + "/employees/" + employee_id).json()["email"]


def tax_code(code_id):
    reply = read(f"{ROOT}/tax-codes/{code_id}")
    reply.raise_for_status()
    return reply.json()["code"]


def tag_group_names():
    return [g["name"] for g in read(ROOT + "/tag-groups").json()]
'''
PARTIAL_FLOW = PARTIAL_FUNCTION + '''

def tag_group_names():
    return [g["name"] for g in fetch(API + "/tag-groups").json()]
'''

SESSION_SUBCLASS = '''
"""A Session that knows the base; methods pass paths relative to it."""

import os

import requests

BASE = "https://openapi.pleo.io/v1/"


class PleoSession(requests.Session):
    def __init__(self, base=BASE):
        super().__init__()
        self.base = base
        self.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def request(self, method, url, *args, **kwargs):
        if not url.startswith("https://"):
            url = self.base + url.lstrip("/")
        return super().request(method, url, *args, **kwargs)

    def employee_email(self, employee_id):
        response = self.get(f"employees/{employee_id}")
        response.raise_for_status()
        return response.json()["email"]

    def tax_code(self, code_id):
        return self.get("/tax-codes/" + code_id).json()["code"]
'''
SESSION_SUBCLASS_FLOW = SESSION_SUBCLASS + '''
    def tag_group_names(self):
        return [g["name"] for g in self.get("tag-groups").json()]
'''
SESSION_INSTANCE = '''
"""A Session subclass that prefixes the root in the call to super(); used from functions."""

import os
from requests import Session

ROOT = os.environ.get("PLEO_API_URL", "https://openapi.pleo.io/v1")


class Api(Session):
    def __init__(self):
        super().__init__()
        self.root = ROOT
        self.headers.update({"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def request(self, method, url, **kwargs):
        return super().request(method, self.root + url, timeout=20, **kwargs)


def employee_email(employee_id):
    api = Api()
    return api.get("/employees/{}".format(employee_id)).json()["email"]


def tax_code(code_id):
    api = Api()
    reply = api.get("/tax-codes/" + code_id)
    reply.raise_for_status()
    return reply.json()["code"]
'''

GET_CONN = '''
"""A hook that builds its session lazily; every call asks get_conn() for it."""

import os

import requests

BASE_URL = "https://openapi.pleo.io/v1"


class PleoHook:
    def __init__(self):
        self._session = None

    def get_conn(self):
        if self._session is None:
            session = requests.Session()
            session.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]
            self._session = session
        return self._session

    def employee_email(self, employee_id):
        response = self.get_conn().get(f"{BASE_URL}/employees/{employee_id}")
        response.raise_for_status()
        return response.json()["email"]

    def tax_code(self, code_id):
        return self.get_conn().get(BASE_URL + "/tax-codes/" + code_id).json()["code"]
'''
CLIENT_METHOD = '''
"""An httpx client made by a method, per use; paths relative to its base_url."""

import os

import httpx

API_BASE = "https://openapi.pleo.io/v1"


class Pleo:
    def __init__(self, token=None):
        self.token = token or os.environ["PLEO_TOKEN"]

    def client(self):
        return httpx.Client(base_url=API_BASE, headers={"Authorization": f"Bearer {self.token}"})

    def employee_email(self, employee_id):
        return self.client().get(f"/employees/{employee_id}").json()["email"]

    def tax_code(self, code_id):
        reply = self.client().get("/tax-codes/" + code_id)
        reply.raise_for_status()
        return reply.json()["code"]
'''

CONFIG_DATACLASS = '''
"""Settings in a frozen dataclass; functions take one or make the default."""

import os
from dataclasses import dataclass, field

import requests


@dataclass(frozen=True)
class PleoSettings:
    api_url: str = "https://openapi.pleo.io/v1"
    token: str = field(default_factory=lambda: os.environ["PLEO_TOKEN"], repr=False)

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}


def employee_email(employee_id, settings=None):
    settings = settings or PleoSettings()
    response = requests.get(f"{settings.api_url}/employees/{employee_id}", headers=settings.headers)
    response.raise_for_status()
    return response.json()["email"]


def tax_code(code_id, settings=None):
    settings = settings or PleoSettings()
    url = settings.api_url + "/tax-codes/" + code_id
    return requests.get(url, headers=settings.headers, timeout=10).json()["code"]
'''
CONFIG_CLASS = '''
"""A plain settings class with a root property; one module-level instance."""

import os

import httpx


class Config:
    base = "https://openapi.pleo.io/v1/"
    token_variable = "PLEO_TOKEN"

    @property
    def root(self):
        return self.base


CONFIG = Config()
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def employee_email(employee_id):
    return httpx.get(CONFIG.root + "employees/" + employee_id, headers=HEADERS).json()["email"]


def tax_code(code_id):
    reply = httpx.get(f"{CONFIG.root}tax-codes/{code_id}", headers=HEADERS)
    reply.raise_for_status()
    return reply.json()["code"]
'''
CONFIG_VERSION_APART = CONFIG_DATACLASS.replace(
    'api_url: str = "https://openapi.pleo.io/v1"',
    'host: str = "https://openapi.pleo.io"\n    version: str = "v1"',
).replace(
    "    @property\n    def headers(self):",
    '    @property\n    def api_url(self):\n        return f"{self.host}/{self.version}"\n\n'
    "    @property\n    def headers(self):",
)
VERSION_APART = '''
import os

import requests

HOST = "https://openapi.pleo.io"
BASE = HOST + "/v1"


def employee(employee_id):
    headers = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}
    return requests.get(f"{BASE}/employees/{employee_id}", headers=headers).json()
'''


def _todos(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TODO in line]


# --- httpx clients on a base built from a bare host ------------------------------------------


@pytest.mark.parametrize("source", [HOST_CHOICE, ENV_HOST_ASYNC], ids=["choice", "env-async"])
def test_calls_relative_to_a_built_base_are_sites(source: str) -> None:
    found = {s.label: s for s in scan(source)}
    assert set(found) == {"employees.get", "tax-codes.get"}
    assert all(site.automatic for site in found.values())


def test_a_built_base_moves_host_literals_and_drops_v1() -> None:
    after = rewrite(HOST_CHOICE)
    assert 'host = "external.staging.pleo.io" if staging else "external.pleo.io"' in after
    assert 'base_url=f"https://{host}",' in after
    assert 'self.http.get(f"/v2/employees/{employee_id}")' in after
    assert "openapi" not in after
    assert _todos(after) == []


def test_an_env_default_host_moves_and_a_slash_base_keeps_its_slash() -> None:
    after = rewrite(ENV_HOST_ASYNC)
    assert 'PLEO_HOST = os.getenv("PLEO_API_HOST", "external.pleo.io")' in after
    assert 'base_url=f"https://{PLEO_HOST}/"' in after
    assert 'await self.client.get(f"v2/employees/{employee_id}")' in after


def test_a_gap_call_keeps_the_legacy_client_and_the_others_move_onto_a_copy() -> None:
    """The gap call still works until the cut-over: it stays on the legacy client."""
    after = rewrite(HOST_CHOICE_GAP)
    assert 'base_url=f"https://{host}/v1",' in after
    assert 'base_url=f"https://{new_api_host}",' in after
    assert '        response = self.http.get("/companies/balance")' in after
    assert 'self.new_api_http.get(f"/v2/employees/{employee_id}")' in after
    assert {todo.split("]")[0][-6:] for todo in _todos(after)} == {"PLM102", "PLM001"}


def test_a_flow_call_on_the_built_base_moves_with_it_and_scan_reports_it() -> None:
    """The flow's function sends its new-API paths through the client (`self.http.get(path,
    params=params)`), which joins them onto the moved `base_url`."""
    after = rewrite(HOST_CHOICE_FLOW)
    assert 'base_url=f"https://{host}",' in after
    assert "lambda path, params: self.http.get(path, params=params)" in after
    assert "openapi" not in after
    assert _todos(after) == []
    labels = {s.label for s in scan(HOST_CHOICE_FLOW)}
    assert {"employees.get", "tax-codes.get", "tag-groups.list"} <= labels


def test_a_built_base_of_another_host_is_no_site() -> None:
    source = HOST_CHOICE.replace("openapi.staging.pleo.io", "api.example.com")
    assert scan(source) == ()
    assert rewrite(source) == code(source)


# --- calls through functools.partial ---------------------------------------------------------


@pytest.mark.parametrize("source", [PARTIAL_FUNCTION, PARTIAL_SESSION], ids=["requests", "session"])
def test_calls_through_a_partial_are_sites(source: str) -> None:
    found = {s.label: s for s in scan(source)}
    assert set(found) == {"employees.get", "tax-codes.get"}
    assert all(site.automatic for site in found.values())


def test_a_partial_of_requests_get_moves_with_its_bound_headers() -> None:
    after = rewrite(PARTIAL_FUNCTION)
    assert 'API = "https://external.pleo.io"' in after
    assert "Basic " in after and "Bearer" not in after
    assert 'fetch(f"{API}/v2/employees/{employee_id}")' in after
    assert 'fetch(API + "/v0/tax-codes/" + code_id).json()["data"]["code"]' in after


def test_a_partial_of_a_session_method_moves_with_the_session_headers() -> None:
    after = rewrite(PARTIAL_SESSION)
    assert 'ROOT = "https://external.pleo.io/"' in after
    assert 'get("{}v2/employees/{}".format(ROOT, employee_id))' in after


def test_a_flow_call_through_the_partial_keeps_it_and_the_others_move_onto_a_copy() -> None:
    """The module-level partial is copied with the new auth (a split); the flow stays on it."""
    after = rewrite(PARTIAL_FLOW)
    assert "Bearer" in after and 'API = "https://openapi.pleo.io/v1"' in after
    assert 'new_api_fetch = partial(\n    requests.get, headers={"Authorization": "Basic ' in after
    assert 'new_api_fetch(f"{NEW_API_BASE}/v2/employees/{employee_id}")' in after
    assert 'fetch(API + "/tag-groups")' in after
    todos = _todos(after)
    assert any("PLM103" in todo for todo in todos)
    assert any("PLM001" in todo and "line 25" in todo for todo in todos)


def test_a_partial_reading_a_shared_header_dict_is_copied_with_it() -> None:
    """The calls that can move read copies of the partial and of HEADERS; the flow keeps the
    legacy ones. The copy reads the new key's variable: `PLEO_KEY`, read where the legacy token
    goes, is renamed there (the legacy header keeps reading it)."""
    after = rewrite(PARTIAL_SHARED_HEADERS)
    assert "new_api_read = functools.partial(requests.get, headers=NEW_API_HEADERS" in after
    assert 'os.getenv("PLEO_API_KEY", "")' in after
    assert '"Bearer %s" % os.getenv("PLEO_KEY", "")' in after  # the legacy header stays
    assert 'new_api_read(NEW_API_BASE + "/v2/employees/" + employee_id)' in after
    assert 'read(ROOT + "/tag-groups")' in after
    assert "write = functools.partial(requests.post, headers=HEADERS" in after


def test_a_partial_that_binds_the_query_is_not_followed() -> None:
    """`params=` bound in the partial changes what each call sends: not read at the call."""
    source = PARTIAL_FUNCTION.replace("timeout=30", "timeout=30, params={'pageSize': 10}")
    after = rewrite(source)
    assert "/v2/employees" not in after
    assert _todos(after)  # the base stays, with a note: never silently left


# --- Session subclasses that join a base in request() ---------------------------------------


@pytest.mark.parametrize("source", [SESSION_SUBCLASS, SESSION_INSTANCE], ids=["self", "instance"])
def test_calls_on_a_session_subclass_with_a_base_are_sites(source: str) -> None:
    found = {s.label: s for s in scan(source)}
    assert set(found) == {"employees.get", "tax-codes.get"}  # not the override's own send
    assert all(site.automatic for site in found.values())


def test_a_session_subclass_moves_as_a_unit() -> None:
    after = rewrite(SESSION_SUBCLASS)
    assert 'BASE = "https://external.pleo.io/"' in after
    assert '"Basic " + base64' in after
    assert 'self.get(f"v2/employees/{employee_id}")' in after
    assert 'self.get("/v0/tax-codes/" + code_id).json()["data"]["code"]' in after
    assert "url = self.base + url.lstrip(\"/\")" in after  # the override is left as written


def test_a_session_subclass_used_from_functions_moves() -> None:
    after = rewrite(SESSION_INSTANCE)
    # the base read from the environment: the new variable first, a legacy value translated
    assert 'os.environ.get("PLEO_NEW_API_URL") or os.environ.get(' in after
    assert '"https://external.pleo.io"))' in after
    assert 'api.get("/v2/employees/{}".format(employee_id))' in after
    assert 'api.get("/v0/tax-codes/" + code_id)' in after


def test_a_flow_method_goes_through_the_session_and_moves_with_its_base() -> None:
    """The base reaches each call through request(); the flow's function sends its paths the
    same way (`self.get(path, params=params)`), so every call moves with the base."""
    after = rewrite(SESSION_SUBCLASS_FLOW)
    assert 'BASE = "https://external.pleo.io/"' in after and "Bearer" not in after
    assert "lambda path, params: self.get(path, params=params)" in after
    assert _todos(after) == []
    assert {s.label for s in scan(SESSION_SUBCLASS_FLOW)} == {
        "employees.get", "tax-codes.get", "tag-groups.list"
    }


def test_a_session_subclass_without_a_legacy_base_is_no_client() -> None:
    source = SESSION_SUBCLASS.replace('"https://openapi.pleo.io/v1/"', '"https://api.example.com/"')
    assert scan(source) == ()


def test_a_session_subclass_given_another_base_is_not_assumed_legacy() -> None:
    """An instance made with arguments may be given any base: its calls are not followed."""
    source = SESSION_INSTANCE.replace("def __init__(self):", "def __init__(self, root=ROOT):")
    source = source.replace("self.root = ROOT", "self.root = root")
    other = 'api = Api("https://api.example.com")\n    reply'
    source = source.replace("api = Api()\n    reply", other)
    labels = {s.label for s in scan(source)}
    assert "employees.get" in labels and "tax-codes.get" not in labels


# --- a client returned by a method: self.get_conn().get(...) --------------------------------


@pytest.mark.parametrize("source", [GET_CONN, CLIENT_METHOD], ids=["get_conn", "client-method"])
def test_calls_on_a_client_a_method_returns_are_sites(source: str) -> None:
    found = {s.label: s for s in scan(source)}
    assert set(found) == {"employees.get", "tax-codes.get"}
    assert all(site.automatic for site in found.values())


def test_a_lazily_built_session_moves_with_its_headers() -> None:
    after = rewrite(GET_CONN)
    assert 'BASE_URL = "https://external.pleo.io"' in after
    assert 'session.headers["Authorization"] = "Basic " + base64' in after
    assert 'self.get_conn().get(f"{BASE_URL}/v2/employees/{employee_id}")' in after


def test_relative_paths_on_a_client_a_method_makes_move() -> None:
    after = rewrite(CLIENT_METHOD)
    assert 'API_BASE = "https://external.pleo.io"' in after
    assert 'self.client().get(f"/v2/employees/{employee_id}")' in after
    assert 'self.client().get("/v0/tax-codes/" + code_id)' in after


def test_a_method_returning_something_else_is_not_a_client() -> None:
    """`self.client()` returning a dict: `.get("/employees/…")` on it is not rewritten (at most
    flagged as a path passed to something the codemod cannot see, PLM105)."""
    source = CLIENT_METHOD.replace(
        'return httpx.Client(base_url=API_BASE, headers={"Authorization": f"Bearer {self.token}"})',
        'return {"/employees": API_BASE}',
    )
    found = {s.label: s for s in scan(source)}
    assert not found["employees.get"].automatic
    assert [r.rule for r in found["employees.get"].reasons] == ["PLM105"]
    assert 'get(f"/employees/{employee_id}")' in rewrite(source)


# --- settings objects ----------------------------------------------------------------------


@pytest.mark.parametrize("source", [CONFIG_DATACLASS, CONFIG_CLASS], ids=["dataclass", "class"])
def test_calls_on_a_settings_base_are_sites(source: str) -> None:
    found = {s.label: s for s in scan(source)}
    assert set(found) == {"employees.get", "tax-codes.get"}
    assert all(site.automatic for site in found.values())


def test_a_dataclass_base_and_header_property_move() -> None:
    after = rewrite(CONFIG_DATACLASS)
    assert 'api_url: str = "https://external.pleo.io"' in after
    assert '"Authorization": "Basic " + base64' in after
    assert 'f"{settings.api_url}/v2/employees/{employee_id}"' in after
    assert 'url = settings.api_url + "/v0/tax-codes/" + code_id' in after


def test_a_class_attribute_read_through_a_property_moves() -> None:
    after = rewrite(CONFIG_CLASS)
    assert 'base = "https://external.pleo.io/"' in after
    assert 'CONFIG.root + "v2/employees/" + employee_id' in after
    assert 'f"{CONFIG.root}v0/tax-codes/{code_id}"' in after


@pytest.mark.parametrize(
    "source", [VERSION_APART, CONFIG_VERSION_APART], ids=["concatenation", "property"]
)
def test_a_base_with_its_version_apart_moves_whole(source: str) -> None:
    """`HOST + "/v1"`, `f"{self.host}/{self.version}"`: PLM001 moves the host and drops the
    version piece, so the new path's own version follows the new host (never `/v1/v2/…`)."""
    found = {s.label: s for s in scan(source)}
    assert found and all(site.automatic for site in found.values())
    after = rewrite(source)
    assert "external.pleo.io" in after and "/v1/v2/" not in after
    assert ("BASE = HOST\n" in after) or ("        return self.host\n" in after)


def test_a_base_with_its_version_apart_in_another_shape_is_not_moved_by_halves() -> None:
    """`"{}/v1".format(HOST)`: not a version piece PLM001 drops; the calls get a PLM105 TODO
    saying why, and the host stays."""
    source = VERSION_APART.replace('BASE = HOST + "/v1"', 'BASE = "{}/v1".format(HOST)')
    found = {s.label: s for s in scan(source)}
    assert found and not any(site.automatic for site in found.values())
    assert any("apart from its host" in r.message for s in found.values() for r in s.reasons)
    after = rewrite(source)
    assert "external.pleo.io" not in after
    assert "/v2/employees" not in after.replace("becomes GET /v2/employees", "")
    assert any("PLM105" in todo for todo in _todos(after))


# --- executed against the simulator ----------------------------------------------------------

BOTH = (
    Call("employee_email", ("employees.get",), ("@employee",)),
    Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
)
RUNS = {
    "host_choice": (HOST_CHOICE, "Reader", BOTH),
    "host_choice_gap": (
        HOST_CHOICE_GAP, "Reader", (*BOTH, Call("balance", ("companies.balance",)))
    ),
    "host_choice_flow": (
        HOST_CHOICE_FLOW, "Reader", (*BOTH, Call("tag_group_names", ("tag-groups.list",)))
    ),
    "env_host_async": (ENV_HOST_ASYNC, "AsyncReader", BOTH),
    "partial_function": (PARTIAL_FUNCTION, None, BOTH),
    "partial_session": (PARTIAL_SESSION, None, BOTH),
    "partial_flow": (PARTIAL_FLOW, None, (*BOTH, Call("tag_group_names", ("tag-groups.list",)))),
    "partial_shared_headers": (
        PARTIAL_SHARED_HEADERS, None, (*BOTH, Call("tag_group_names", ("tag-groups.list",)))
    ),
    "session_subclass": (SESSION_SUBCLASS, "PleoSession", BOTH),
    "session_subclass_flow": (
        SESSION_SUBCLASS_FLOW, "PleoSession", (*BOTH, Call("tag_group_names", ("tag-groups.list",)))
    ),
    "session_instance": (SESSION_INSTANCE, None, BOTH),
    "get_conn": (GET_CONN, "PleoHook", BOTH),
    "client_method": (CLIENT_METHOD, "Pleo", BOTH),
    "config_dataclass": (CONFIG_DATACLASS, None, BOTH),
    "config_class": (CONFIG_CLASS, None, BOTH),
    "config_version_apart": (CONFIG_VERSION_APART, None, BOTH),
}
MOVED = {
    "host_choice": {"employee_email", "tax_code"},
    "host_choice_gap": {"employee_email", "tax_code"},
    "host_choice_flow": {"employee_email", "tax_code", "tag_group_names"},
    "env_host_async": {"employee_email", "tax_code"},
    "partial_function": {"employee_email", "tax_code"},
    "partial_session": {"employee_email", "tax_code"},
    "partial_flow": {"employee_email", "tax_code"},
    "partial_shared_headers": {"employee_email", "tax_code"},
    "session_subclass": {"employee_email", "tax_code"},
    "session_subclass_flow": {"employee_email", "tax_code", "tag_group_names"},
    "session_instance": {"employee_email", "tax_code"},
    "get_conn": {"employee_email", "tax_code"},
    "client_method": {"employee_email", "tax_code"},
    "config_dataclass": {"employee_email", "tax_code"},
    "config_class": {"employee_email", "tax_code"},
    "config_version_apart": {"employee_email", "tax_code"},  # the version piece goes (PLM001)
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_module_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    env = {"PLEO_TOKEN": "legacy.token", "PLEO_KEY": "legacy.token"}
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory, env)
    working = harness.WORKING
    for call in calls:
        verdict = done.verdicts[call.label]
        if call.label in MOVED[name]:
            assert verdict in working, harness.explain(report, "native", call.label)
        else:  # a gap call too: it stays on the legacy client until the cut-over
            assert verdict == harness.NOT_MIGRATED, verdict  # left on the legacy API


# --- never silently left: the hold-out modules of these patterns -----------------------------

HOLDOUT_DIR = Path(__file__).resolve().parent / "holdout"


@pytest.mark.parametrize(
    "name", ["httpx_hooks", "partial_get", "retry_session", "config_dataclass", "airflow_hook"]
)
def test_a_client_module_is_reported_and_flagged_never_left_byte_identical(name: str) -> None:
    """Whatever stays legacy, `scan` reports sites and `rewrite` leaves a TODO at the calls."""
    source = (HOLDOUT_DIR / f"{name}.py").read_text(encoding="utf-8")
    sites = scan(source)
    assert sites, name
    after = rewrite(source)
    assert after != code(source), name
    assert _todos(after), name
    assert len({s.line for s in sites}) >= 3, name  # the calls themselves, not one host note


def test_a_url_helper_on_a_method_client_is_one_site_per_call_with_the_request_verb() -> None:
    """`self.get_conn().put(self._url("/expenses"), json=…)`: the path passed to `_url` is the
    site (with the verb of the request it makes); the request itself is not a second site."""
    source = GET_CONN + '''
    def _url(self, path):
        return BASE_URL + path

    def export(self, ids):
        return self.get_conn().put(self._url("/expenses"), json={"expenseIds": ids}).status_code

    def receipts(self, expense_id):
        return self.get_conn().get(self._url(f"/expenses/{expense_id}/receipts")).json()
'''
    found = [(s.line, s.label, s.method) for s in scan(source)]
    assert (33, "expenses.update-export-status", "PUT") in found
    assert sum(1 for line, _label, _method in found if line == 33) == 1
    # an f-string path is followed through the URL helper too (find/url_helpers.py)
    assert (36, "expense-receipts.list", "GET") in found
