"""URLs assembled by code (issue 12): `urljoin`, `"/".join(…)`, `posixpath.join`, `str.format`
with the path segments as arguments, `%` templates, `def _url(self, *parts)` helpers.

The evaluator reads each builder with its real semantics (`find/url_builders.py`): the call is
named (scan), rewritten where its path literals are written (each literal argument takes its
piece of the new path; the builder's own text stays), and held with the builder named when
the URL is not the base followed by the path (urljoin dropping the base's last segment or
its whole path) or the base is joined from a host and a version."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite, scan

_HEAD = '''
import os
import posixpath
from urllib.parse import urljoin

import requests

HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
'''


def _one(base: str, url: str) -> str:
    return _HEAD + f'''
BASE = "{base}"


def employee(employee_id):
    return requests.get({url}, headers=HEADERS).json()
'''


# --- urljoin: its own rules, held rather than guessed -----------------------------------------

# (base, URL expression, what the call must be: "automatic" or a words of the held reason)
URLJOIN = {
    "base with a trailing slash": (
        "https://openapi.pleo.io/v1/", 'urljoin(BASE, "employees/" + employee_id)', "automatic"),
    "host only, path from the root": (
        "https://openapi.pleo.io", 'urljoin(BASE, "/v1/employees/" + employee_id)', "automatic"),
    "host only, relative path": (
        "https://openapi.pleo.io", 'urljoin(BASE, f"v1/employees/{employee_id}")', "automatic"),
    "no trailing slash: the last segment goes": (
        "https://openapi.pleo.io/v1", 'urljoin(BASE, "employees/" + employee_id)',
        "without a trailing slash (it drops `v1`)"),
    "a path from the root replaces the base's": (
        "https://openapi.pleo.io/v1/", 'urljoin(BASE, "/employees/" + employee_id)',
        "path from the root (it drops `/v1` of the base)"),
    "a path with a host of its own": (
        "https://openapi.pleo.io/v1/",
        'urljoin(BASE, "https://openapi.pleo.io/v1/employees/" + employee_id)',
        "a URL of its own"),
}


@pytest.mark.parametrize("case", sorted(URLJOIN))
def test_urljoin_is_read_with_its_own_rules(case: str) -> None:
    base, url, expected = URLJOIN[case]
    source = _one(base, url)
    (site,) = scan(source)
    assert site.operation == "employees.get"
    if expected == "automatic":
        assert site.automatic, site.reasons
        assert "v2/employees/" in rewrite(source)
    else:
        assert not site.automatic
        assert any(expected in reason.message for reason in site.reasons), site.reasons
        assert url in rewrite(source)  # the call stays exactly as written


def test_urljoin_dropping_the_version_on_a_client_attribute_is_held() -> None:
    source = '''
    import os
    from urllib.parse import urljoin

    import httpx


    class Directory:
        def __init__(self):
            self.root = "https://openapi.pleo.io/v1"
            self.http = httpx.Client(headers={"Authorization": "Bearer " + os.environ["PLEO_T"]})

        def person(self, employee_id):
            return self.http.get(urljoin(self.root, f"employees/{employee_id}")).json()
    '''
    (site,) = scan(source)
    assert site.operation == "employees.get" and not site.automatic
    assert "drops `v1`" in site.reasons[0].message
    assert 'urljoin(self.root, f"employees/{employee_id}")' in rewrite(source)


# --- static builders: named, held when their base cannot move -------------------------------


def test_a_root_built_with_percent_is_followed_and_its_calls_named() -> None:
    source = _HEAD + '''
HOST = "openapi.pleo.io"
VERSION = "v1"
ROOT = "https://%s/%s" % (HOST, VERSION)


def submitter(employee_id):
    url = "{}/{}/{}".format(ROOT, "employees", employee_id)
    return requests.get(url, headers=HEADERS).json()


def receipts(expense_id):
    return requests.get("%s/expenses/%s/receipts" % (ROOT, expense_id), headers=HEADERS).json()
'''
    sites = {site.operation: site for site in scan(source)}
    assert set(sites) == {"employees.get", "expense-receipts.list"}
    assert not any(site.automatic for site in sites.values())  # `/v1` stays when HOST moves
    after = rewrite(source)
    assert '"{}/{}/{}".format(ROOT, "employees", employee_id)' in after


@pytest.mark.parametrize("url", [
    '"%s/employees/%d" % (BASE, employee_id)',
    '"%(base)s/employees/%(id)s" % {"base": BASE, "id": employee_id}',
])
def test_percent_templates_beyond_plain_s_are_named_and_held(url: str) -> None:
    (site,) = scan(_one("https://openapi.pleo.io/v1", url))
    assert site.operation == "employees.get"
    assert not site.automatic


# --- path segments given as literals: rewritten where they are written ----------------------

SEGMENTS = _HEAD + '''
API = "https://openapi.pleo.io/v1"


def listed(employee_id):
    return requests.get("/".join([API, "employees", employee_id]), headers=HEADERS).json()


def formatted(expense_id):
    url = "{}/{}/{}".format(API, 'expenses', expense_id)
    return requests.get(url, headers=HEADERS).json()


def joined(code):
    r = requests.get(posixpath.join(API, "tax-codes", code), headers=HEADERS, timeout=10)
    r.raise_for_status()
    return r.json()

'''

HELPER_CLASS = '''
import os

import httpx


class Ledger:
    root = "https://openapi.pleo.io/v1"

    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.http = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def _url(self, *parts):
        return "/".join((self.root,) + parts)

    def tax_code(self, code_id):
        response = self.http.get(self._url("tax-codes", code_id))
        response.raise_for_status()
        return response.json()

    def account(self, account_id):
        return self.http.get(self._url("accounts", account_id)).json()
'''

HELPER_FUNCTION = '''
import os

import requests

PLEO = "https://openapi.pleo.io/v1"
SESSION = requests.Session()
SESSION.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def _endpoint(*segments):
    return f"{PLEO}/{'/'.join(segments)}"


def employee(employee_id):
    return SESSION.get(_endpoint("employees", employee_id)).json()


def expense(expense_id):
    return SESSION.get(_endpoint("expenses", expense_id)).json()
'''


def test_literal_segments_are_rewritten_where_they_are_written() -> None:
    after = rewrite(SEGMENTS)
    assert '"/".join([API, "v2/employees", employee_id])' in after
    assert "\"{}/{}/{}\".format(API, 'v1/accounting-entries', expense_id)" in after
    assert 'posixpath.join(API, "v0/tax-codes", code)' in after
    assert 'API = "https://external.pleo.io"' in after
    assert rewrite(after) == after  # a second run finds nothing to do


def test_segments_kept_in_a_name_are_named_but_left_alone() -> None:
    source = _HEAD + '''
API = "https://openapi.pleo.io/v1"


def receipts(expense_id):
    parts = (API, "expenses", expense_id, "receipts")
    return requests.get("/".join(parts), headers=HEADERS).json()
'''
    (site,) = scan(source)
    assert site.operation == "expense-receipts.list" and not site.automatic
    assert 'parts = (API, "expenses", expense_id, "receipts")' in rewrite(source)


def test_a_helper_joining_its_arguments_has_them_rewritten_at_each_call() -> None:
    after = rewrite(HELPER_CLASS)
    assert 'self._url("v0/tax-codes", code_id)' in after
    assert 'self._url("v1/chart-of-accounts", account_id)' in after
    assert 'return "/".join((self.root,) + parts)' in after
    after = rewrite(HELPER_FUNCTION)
    assert '_endpoint("v2/employees", employee_id)' in after
    assert '_endpoint("v1/accounting-entries", expense_id)' in after


def test_a_helper_joining_a_host_and_a_version_is_named_and_held() -> None:
    pieces = 'root = "https://openapi.pleo.io"\n    version = "v1"'
    source = HELPER_CLASS.replace('root = "https://openapi.pleo.io/v1"', pieces).replace(
        "(self.root,) + parts", "(self.root, self.version) + parts"
    )
    sites = scan(source)
    assert {site.operation for site in sites} == {"tax-codes.get", "accounts.get"}
    for site in sites:
        assert not site.automatic
        assert "its base joined from pieces" in site.reasons[0].message
    assert rewrite(source).count("self._url(\"tax-codes\", code_id)") == 1


RUNS = {
    "builder_functions": (SEGMENTS, None, (
        Call("listed", ("employees.get",), ("@employee",)),
        Call("formatted", ("expenses.get",), ("@expense",)),
        Call("joined", ("tax-codes.get",), ("@tax_code",)),
    )),
    "builder_helper_class": (HELPER_CLASS, "Ledger", (
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("account", ("accounts.get",), ("@account",)),
    )),
    "builder_helper_function": (HELPER_FUNCTION, None, (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("expense", ("expenses.get",), ("@expense",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_builders_run_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        assert done.verdicts[call.label] in harness.WORKING, (
            harness.explain(report, "native", call.label)
        )
