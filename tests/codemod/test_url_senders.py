"""Native strategy: request helpers handed the whole URL (issue 12, `find/url_senders.py`).

Hand-written modules in three styles: a decorated requests function (`@retry`, `@lru_cache`),
an async httpx helper with a client and a semaphore handed in, and a Session method memoising
the parsed body in a module dict. Each call of the helper is a site rewritten at the call; the
helper's own call carries only the auth, which moves once every caller does. The modules are
also run against the simulator as the corpus harness does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

TODO = "# TODO[pleo-migrate"

SYNC = '''
"""Decorated requests helpers that take the whole URL."""

import functools
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def retry(times=3):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return func(*args, **kwargs)
                except requests.ConnectionError:
                    if attempt == times - 1:
                        raise
            return None
        return wrapper
    return decorator


@retry()
def _get_json(url, params=None):
    r = requests.get(url, headers=HEADERS, params=params, timeout=10)
    r.raise_for_status()
    return r.json()


@functools.lru_cache(maxsize=64)
def _cached_json(url):
    return requests.get(url, headers=HEADERS, timeout=10).json()


def employee(employee_id):
    return _get_json(BASE + "/employees/" + employee_id)


def tax_code(tax_code_id):
    return _get_json(f"{BASE}/tax-codes/{tax_code_id}")


def tax_code_name(tax_code_id):
    return _cached_json("{}/tax-codes/{}".format(BASE, tax_code_id))["name"]


def first_employees():
    return [e["id"] for e in _get_json(BASE + "/employees", {"pageSize": 10})["employees"]]
'''

ASYNC = '''
"""Concurrent reads through an async helper with a client and a semaphore handed in."""

import asyncio
import os

import httpx

API = "https://openapi.pleo.io/v1"


def _auth():
    return {"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"}


async def _fetch(client: httpx.AsyncClient, sem: asyncio.Semaphore, url: str) -> dict:
    async with sem:
        resp = await client.get(url)
    resp.raise_for_status()
    return resp.json()


async def _email(client, sem, employee_id):
    employee = await _fetch(client, sem, f"{API}/employees/{employee_id}")
    return employee["email"]


async def emails(ids):
    sem = asyncio.Semaphore(2)
    async with httpx.AsyncClient(headers=_auth()) as client:
        return list(await asyncio.gather(*(_email(client, sem, i) for i in ids)))


async def tax_code(code_id):
    async with httpx.AsyncClient(headers=_auth()) as client:
        return await _fetch(client, asyncio.Semaphore(1), API + "/tax-codes/" + code_id)
'''

MEMO = '''
"""A reader that keeps parsed bodies for a while."""

import os
import time

import requests

_STORE = {}


class Reader:
    def __init__(self, root="https://openapi.pleo.io/v1"):
        self.root = root
        self.session = requests.Session()
        self.session.headers.update({"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    def _load(self, url):
        hit = _STORE.get(url)
        if hit and time.monotonic() - hit[0] < 60:
            return hit[1]
        resp = self.session.get(url, timeout=10)
        resp.raise_for_status()
        _STORE[url] = (time.monotonic(), resp.json())
        return _STORE[url][1]

    def employee_email(self, employee_id):
        return self._load(self.root + "/employees/" + employee_id)["email"]

    def tax_code(self, tax_code_id):
        return self._load(f"{self.root}/tax-codes/{tax_code_id}")
'''

METHOD = '''
"""An httpx client shared by one helper that is given the method and the whole URL."""

import os

import httpx

ROOT = os.environ.get("PLEO_URL", "https://openapi.pleo.io/v1")
_client = httpx.Client(headers={"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")})


def _call(method, url, **kwargs):
    response = _client.request(method, url, **kwargs)
    response.raise_for_status()
    return response.json()


def account_names():
    return sorted(a["name"] for a in _call("GET", ROOT + "/accounts", params={"pageSize": 100})[
        "accounts"
    ])


def tax_code(code_id):
    return _call("GET", "{}/tax-codes/{}".format(ROOT, code_id))
'''


def _todos(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TODO in line and "PLM109]" not in line]


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if TODO not in line]


# --- rewritten at each call of the helper ----------------------------------------------------


def test_a_decorated_requests_helper_moves_with_its_callers() -> None:
    after = rewrite(SYNC)
    assert 'BASE = "https://external.pleo.io"' in after  # the shared host, once
    assert '"Authorization": "Basic " + base64.b64encode((os.environ.get("PLEO_API_KEY", "")' in (
        after
    )
    assert 'return _get_json(BASE + "/v2/employees/" + employee_id)["data"]' in after
    assert 'return _get_json(f"{BASE}/v0/tax-codes/{tax_code_id}")["data"]' in after
    # a query given by position to the helper's forwarded `params` is the call's query
    assert '_get_json(BASE + "/v2/employees", {"limit": 10, "companyId": ' in after
    # the helpers themselves (and their decorators) are untouched: they only carry the auth
    assert "    r = requests.get(url, headers=HEADERS, params=params, timeout=10)" in after
    assert "@functools.lru_cache(maxsize=64)" in after
    assert "@retry()" in after


def test_scan_reports_each_call_of_a_url_helper_and_the_helper_itself() -> None:
    found = [(site.label, site.automatic) for site in scan(SYNC)]
    assert found.count(("request helper", True)) == 2
    assert ("employees.get", True) in found
    assert ("tax-codes.get", True) in found


def test_an_async_helper_with_a_semaphore_moves_with_its_callers() -> None:
    after = rewrite(ASYNC)
    assert 'API = "https://external.pleo.io"' in after
    assert 'await _fetch(client, sem, f"{API}/v2/employees/{employee_id}"))["data"]' in after
    assert 'await _fetch(client, asyncio.Semaphore(1), API + "/v0/tax-codes/" + code_id)' in after
    assert '"Basic " + base64.b64encode' in after
    assert _todos(after) == []


def test_an_async_helper_awaited_through_gather_moves_with_its_callers() -> None:
    """`gather(*(helper(u) for u in urls))`: the gathered results are the bodies, read where
    the list is iterated; the envelope edit goes there (`tests/codemod/test_async_fanout.py`
    runs such modules), and the host and auth move with every caller."""
    source = ASYNC + '''

async def employee_ids(ids):
    async with httpx.AsyncClient(headers=_auth()) as client:
        sem = asyncio.Semaphore(2)
        found = await asyncio.gather(*(_fetch(client, sem, f"{API}/employees/{i}") for i in ids))
    return [e["id"] for e in found]
'''
    after = rewrite(source)
    assert 'found = await asyncio.gather(*(_fetch(client, sem, f"{API}/v2/employees/{i}")' in after
    assert 'return [e["data"]["id"] for e in found]' in after
    assert 'API = "https://external.pleo.io"' in after
    assert _todos(after) == []


def test_a_memoising_helper_counts_as_returning_the_body() -> None:
    after = rewrite(MEMO)
    assert 'root="https://external.pleo.io"' in after
    assert 'self._load(self.root + "/v2/employees/" + employee_id)["data"]["email"]' in after
    assert 'return self._load(f"{self.root}/v0/tax-codes/{tax_code_id}")["data"]' in after
    assert _todos(after) == []


def test_a_helper_given_the_method_changes_it_at_the_call() -> None:
    after = rewrite(METHOD)
    assert 'ROOT = _pleo_new_base(os.environ.get("PLEO_NEW_API_URL") or os.environ.get(' in after
    assert '_call("POST", ROOT + "/v1/chart-of-accounts:search", params={"limit": 100}, json=' in (
        after
    )
    assert '_call("GET", "{}/v0/tax-codes/{}".format(ROOT, code_id))["data"]' in after
    assert _todos(after) == []


# --- what keeps a URL helper where it is -----------------------------------------------------


def test_a_caller_whose_url_is_not_followed_keeps_the_host_and_auth() -> None:
    source = SYNC + '''

def anything(url):
    return _get_json(url)
'''
    after = rewrite(source)
    assert _code_lines(after) == code(source).splitlines()  # nothing moves
    todos = _todos(after)
    assert any("PLM101" in todo for todo in todos)  # at `_get_json(url)`
    assert any("PLM001" in todo for todo in todos)  # on the host the callers share
    lines = code(source).splitlines()
    unfollowed = lines.index("    return _get_json(url)") + 1
    reasons = [s.reasons[0] for s in scan(source) if s.line == unfollowed]
    assert [r.rule for r in reasons] == ["PLM101"]
    assert reasons[0].message.startswith("the URL handed to `_get_json` is chosen at run time")


def test_a_caller_with_another_host_keeps_the_auth_of_the_helper() -> None:
    """The helper would send the new key to another host: its auth stays, with a TODO."""
    source = SYNC + '''

def status():
    return _get_json("https://status.example.com/api/v2/status.json")
'''
    after = rewrite(source)
    assert '"Bearer " + os.environ.get("PLEO_TOKEN", "")' in after
    assert any("PLM101]: another host's URL: `_get_json`" in todo for todo in _todos(after))
    messages = [r.message for site in scan(source) for r in site.reasons]
    assert "another host's URL: `_get_json` would send it the new key; give this call its own " \
        "request" in messages


def test_a_public_url_helper_is_no_unit() -> None:
    source = SYNC.replace("_get_json", "get_json")
    after = rewrite(source)
    assert 'BASE = "https://openapi.pleo.io/v1"' in after
    assert 'return get_json(BASE + "/employees/" + employee_id)' in after


def test_a_helper_with_its_own_query_is_not_a_url_helper() -> None:
    source = code(SYNC).replace(
        "params=params, timeout=10)", 'params={"pageSize": 100}, timeout=10)'
    )
    after = rewrite(source)
    assert 'BASE = "https://openapi.pleo.io/v1"' in after
    assert 'return _get_json(BASE + "/employees/" + employee_id)' in after


def test_a_store_filled_elsewhere_is_not_the_helpers_body() -> None:
    """A cache entry written outside the helper could be a legacy record read as a new one."""
    source = MEMO + '''
    def prime(self, url, body):
        _STORE[url] = (time.monotonic(), body)
'''
    found = {site.label: site for site in scan(source)}
    reasons = found["tax-codes.get"].reasons
    assert "returns something other than the response or its JSON" in reasons[0].message


def test_a_helper_only_called_for_other_hosts_is_left_alone() -> None:
    source = '''
import requests

LEGACY = "https://openapi.pleo.io/v1"


def _get(url):
    return requests.get(url, timeout=5).json()


def weather():
    return _get("https://weather.example.com/today")


def tax_code(code_id):
    return requests.get(LEGACY + "/tax-codes/" + code_id, timeout=5).json()
'''
    labels = [site.label for site in scan(source)]
    assert "request helper" not in labels
    assert "tax-codes.get" in labels


# --- executed against the simulator ----------------------------------------------------------

RUNS = {
    "sync_url_helper": (SYNC, None, (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tax_code_name", ("tax-codes.get",), ("@tax_code",)),
        Call("first_employees", ("employees.list",)),
    )),
    "async_url_helper": (ASYNC, None, (
        Call("emails", ("employees.get",), (["@employee"],)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "memo_url_helper": (MEMO, "Reader", (
        Call("employee_email", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "method_url_helper": (METHOD, None, (
        Call("account_names", ("accounts.list",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_url_helper_module_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        verdict = done.verdicts[call.label]
        assert verdict in harness.WORKING, (
            harness.explain(report, "native", call.label)
        )


def test_a_path_helper_given_its_query_by_position() -> None:
    source = '''
import os

import requests

API = "https://openapi.pleo.io/v1"


class Client:
    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")

    def _get(self, path, params=None):
        return self.session.get(API + path, params=params, timeout=5).json()

    def employees(self):
        return self._get("/employees", {"pageSize": 20})["employees"]
'''
    after = rewrite(source)
    assert 'self._get("/v2/employees", {"limit": 20, "companyId": ' in after
    assert _todos(after) == []
