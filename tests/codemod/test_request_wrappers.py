"""Request-level wrappers that hide every call from a plain reading (issue 12 item 2).

Small hand-written modules, none of them a corpus file:
- a `functools.partial` of `requests.get` / `httpx.get` returned by a factory the caller binds
  first (`get = _getter()`, then `get(BASE + "expenses/" + id)`);
- a partial held by an attribute set in `__init__` (`self._get = partial(self.http.get, …)`);
- a `requests.Session` subclass whose `request()` joins `self.base_url` (its `__init__`
  parameter's default) onto a path starting with `/`, made with the token only.
Each call is a site named with its operation; the native rewrite moves it whole, and the
rewritten module runs against the new simulator, and before the cut-over with both
credentials; the compat rewrite routes it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call, CorpusModule
from tests.codemod.helpers import code, result_for, rewrite, scan

FACTORY_REQUESTS = '''
"""Audit helpers: the auth and timeout are bound by a factory each function calls."""

import functools
import os

import requests

BASE = "https://openapi.pleo.io/v1/"


def _auth():
    return {"Authorization": "Bearer {}".format(os.environ["PLEO_TOKEN"])}


def _pleo_get():
    return functools.partial(requests.get, headers=_auth(), timeout=30)


def employee_email(employee_id):
    get = _pleo_get()
    return get(BASE + "employees/" + employee_id).json()["email"]


def tax_code(code_id):
    get = _pleo_get()
    resp = get("{}tax-codes/{}".format(BASE, code_id))
    resp.raise_for_status()
    return resp.json()["code"]
'''
FACTORY_HTTPX = '''
"""A notebook's fetcher: httpx.get with the headers bound, made once by a factory."""

import os
from functools import partial

import httpx

API = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"}


def make_fetcher():
    return partial(httpx.get, headers=HEADERS, timeout=10.0)


fetch = make_fetcher()


def employee_email(employee_id):
    return fetch(f"{API}/employees/{employee_id}").json()["email"]


def tax_code(code_id):
    return fetch(f"{API}/tax-codes/{code_id}").json()["code"]
'''
ATTRIBUTE_HTTPX = '''
"""A reporter whose calls go through a partial of its httpx client's get."""

import os
from functools import partial

import httpx


class Reporter:
    def __init__(self):
        self.base = "https://openapi.pleo.io/v1"
        self.http = httpx.Client(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
        self._get = partial(self.http.get, timeout=20)

    def employee_email(self, employee_id):
        return self._get(f"{self.base}/employees/{employee_id}").json()["email"]

    def tax_code(self, code_id):
        resp = self._get(self.base + "/tax-codes/" + code_id)
        resp.raise_for_status()
        return resp.json()["code"]
'''
ATTRIBUTE_SESSION = '''
"""A connector keeping a partial of its Session's get as `fetch`."""

import functools
import os

import requests

ROOT = "https://openapi.pleo.io/v1/"


class Connector:
    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer %s" % os.environ["PLEO_TOKEN"]
        self.fetch = functools.partial(self.session.get, timeout=15)

    def employee_email(self, employee_id):
        return self.fetch("{}employees/{}".format(ROOT, employee_id)).json()["email"]

    def tax_code(self, code_id):
        return self.fetch(ROOT + "tax-codes/" + code_id).json()["code"]
'''
SESSION_DEFAULT = '''
"""A Session that prefixes its base, made with a timeout only (the base is a default)."""

import os

import requests


class ApiSession(requests.Session):
    def __init__(self, timeout, base_url="https://openapi.pleo.io/v1/"):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers.update({"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        return super().request(method, url, *args, **kwargs)


pleo = ApiSession(30)


def employee_email(employee_id):
    return pleo.get(f"/employees/{employee_id}").json()["email"]


def tax_code(code_id):
    resp = pleo.get("/tax-codes/" + code_id, timeout=5)
    resp.raise_for_status()
    return resp.json()["code"]
'''
SESSION_KEYWORD = '''
"""A directory over a prefixing Session held by attribute, its base a keyword default."""

import os

import requests


class Prefixed(requests.Session):
    def __init__(self, *, prefix="https://openapi.pleo.io/v1", retries=2):
        super().__init__()
        self.prefix = prefix
        self.retries = retries
        self.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def request(self, method, url, *args, **kwargs):
        return super().request(method, self.prefix + url, *args, **kwargs)


class Directory:
    def __init__(self):
        self.http = Prefixed(retries=3)

    def employee_email(self, employee_id):
        return self.http.get("/employees/{}".format(employee_id)).json()["email"]

    def tax_code(self, code_id):
        return self.http.get("/tax-codes/" + code_id).json()["code"]
'''
TODO = "# TODO[pleo-migrate"
MODULES = {
    "factory_requests": (FACTORY_REQUESTS, None),
    "factory_httpx": (FACTORY_HTTPX, None),
    "attribute_httpx": (ATTRIBUTE_HTTPX, "Reporter"),
    "attribute_session": (ATTRIBUTE_SESSION, "Connector"),
    "session_default": (SESSION_DEFAULT, None),
    "session_keyword": (SESSION_KEYWORD, "Directory"),
}
CALLS = (
    Call("employee_email", ("employees.get",), ("@employee",)),
    Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
)


def _labels(source: str) -> dict[str, bool]:
    return {site.label: site.automatic for site in scan(source)}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_calls_through_the_wrapper_are_named_sites(name: str) -> None:
    assert _labels(MODULES[name][0]) == {"employees.get": True, "tax-codes.get": True}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_native_rewrite_moves_every_call_whole(name: str) -> None:
    after = rewrite(MODULES[name][0])
    assert "openapi.pleo.io" not in after and "external.pleo.io" in after
    assert "Bearer" not in after and "Basic " in after
    assert "v2/employees" in after and "v0/tax-codes" in after
    assert TODO not in after


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_compat_rewrite_routes_and_counts_them(name: str) -> None:
    result = result_for(MODULES[name][0], strategy="compat")
    assert result is not None and result.status == "changed"
    assert result.new_bytes is not None and b"migrate.compat" in result.new_bytes
    assert len(result.sites) == 2


def test_a_factory_partial_of_a_session_made_inside_it_is_not_followed() -> None:
    """The wrapped `s.get` means nothing at the caller: the call is not read as `s.get`."""
    source = FACTORY_REQUESTS.replace(
        "    return functools.partial(requests.get, headers=_auth(), timeout=30)",
        "    s = requests.Session()\n    return functools.partial(s.get, headers=_auth())",
    )
    assert "employees.get" not in _labels(source)
    assert "/v2/employees" not in rewrite(source)


@pytest.mark.parametrize(
    ("name", "old", "new", "partial"),
    [
        ("factory_requests", "timeout=30)", "timeout=30, params={'pageSize': 5})", "get"),
        ("attribute_httpx", "timeout=20)", "timeout=20, params={'limit': 5}, json=None)",
         "self._get"),
    ],
    ids=["factory-params", "attribute-params-json"],
)
def test_a_partial_binding_the_request_keeps_its_calls_with_a_todo_naming_it(
    name: str, old: str, new: str, partial: str
) -> None:
    """What the partial binds is sent with every call: the calls are named but stay, each
    with a one-line TODO naming the partial and what it binds; the base and header stay."""
    source = MODULES[name][0].replace(old, new)
    assert source != MODULES[name][0]
    assert _labels(source) == {"employees.get": False, "tax-codes.get": False}
    after = rewrite(source)
    assert "v2/employees" not in after and "Bearer" in after and "openapi.pleo.io" in after
    todos = [line.strip() for line in after.splitlines() if TODO in line and "PLM105" in line]
    assert len(todos) == 2 and all(len(todo) <= 120 for todo in todos)
    assert all(f"the partial `{partial}` binds params=" in todo for todo in todos)


@pytest.mark.parametrize(
    "made",
    [
        'ApiSession(30, "https://api.example.com")',
        'ApiSession(30, base_url=os.environ["BASE"])',
        'ApiSession(*os.environ["ARGS"].split())',
        'ApiSession(**{"timeout": 30})',
    ],
    ids=["other-host", "keyword", "starred", "double-starred"],
)
def test_an_instance_given_its_base_is_not_read_as_the_default(made: str) -> None:
    source = SESSION_DEFAULT.replace("ApiSession(30)", made)
    assert source != SESSION_DEFAULT
    assert not any(_labels(source).values())
    assert "external.pleo.io" not in rewrite(source)


def test_a_session_given_its_token_keeps_its_calls_with_a_todo_naming_it() -> None:
    """`Bearer {token}` with the token an `__init__` argument: no auth rule follows it to the
    caller, so the calls stay legacy, each with a TODO naming the class."""
    source = SESSION_DEFAULT.replace("os.environ['PLEO_TOKEN']", "token").replace(
        "def __init__(self, timeout,", "def __init__(self, token, timeout,"
    ).replace("ApiSession(30)", 'ApiSession(os.environ["PLEO_TOKEN"], 30)')
    assert _labels(source) == {"employees.get": False, "tax-codes.get": False}
    after = rewrite(source)
    assert "/v2/employees" not in after and "Bearer {token}" in after
    todos = [line for line in after.splitlines() if TODO in line and "PLM105" in line]
    assert len(todos) == 2 and all("`ApiSession` sets its auth header" in t for t in todos)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_rewritten_module_runs_on_the_new_api_and_before_the_cut_over(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory = MODULES[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, CALLS, factory)
    for call in CALLS:
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label
        )
    rewritten = tmp_path / "rewritten" / report.module.path.name
    rewritten.parent.mkdir()
    rewritten.write_text(done.rewrite.source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        both = harness.run_module(
            rewritten, report.module, simulator, Path(work), rewritten=True, both=True
        )
    for call in CALLS:
        assert "returned" in (both.outcome(call.label) or {}), call.label
        hosts = {(r["host"], r["auth"]) for r in both.calls[call.label]["requests"]}
        assert hosts == {("external.pleo.io", "Basic")}, hosts


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_compat_module_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory = MODULES[name]
    path = tmp_path / f"{name}.py"
    path.write_text(code(source), encoding="utf-8")
    module = CorpusModule(str(path), CALLS, harness.LEGACY_ENV, factory=factory)
    report = harness.measure(module, simulator, ("compat",))
    done = report.strategies["compat"]
    assert done.harmful(report.original) == [] and done.uncovered == ()
    for call in CALLS:
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "compat", call.label
        )
