"""`requests.Session` subclasses whose `request()` joins the base the constructor is given
(issue 12): `PrefixedSession(base)` with `self.prefix = prefix if prefix.endswith("/") else
prefix + "/"` and `urljoin(self.prefix, url.lstrip("/"))`, or `self.root = root.rstrip("/") +
"/"` and `self.root + url.lstrip("/")`. An instance made with a legacy base written as one
literal is a client on that base: its relative paths are named and rewritten at the call, the
literal moves to the new host. A base built from a host and a version, or joined by urljoin
without a trailing slash, is not followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite, scan

JOINED = '''
import os
from urllib.parse import urljoin

import requests


class PrefixedSession(requests.Session):
    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"

    def request(self, method, url, *args, **kwargs):
        return super().request(method, urljoin(self.prefix, url.lstrip("/")), *args, **kwargs)


SESSION = PrefixedSession("https://openapi.pleo.io/v1")
SESSION.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def tax_code(code_id):
    response = SESSION.get("tax-codes/" + code_id, timeout=10)
    response.raise_for_status()
    return response.json()


def account(account_id):
    return SESSION.get(f"/accounts/{account_id}").json()
'''

CONCATENATED = '''
import os

import requests


class ApiSession(requests.Session):
    def __init__(self, root, token):
        super().__init__()
        self.root = root.rstrip("/") + "/"
        self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, url, **kwargs):
        return super().request(method, self.root + url.lstrip("/"), **kwargs)


class Directory:
    def __init__(self, root="https://openapi.pleo.io/v1/"):
        self.session = ApiSession(root, os.environ.get("PLEO_TOKEN", ""))

    def person(self, employee_id):
        return self.session.get(f"employees/{employee_id}").json()

    def expense(self, expense_id):
        r = self.session.get("expenses/" + expense_id)
        r.raise_for_status()
        return r.json()
'''

# the same, with the auth set on the instance where it is made (the auth rules rewrite it)
AUTH_OUTSIDE = CONCATENATED.replace(
    '        self.headers["Authorization"] = f"Bearer {token}"\n', ""
).replace(
    'os.environ.get("PLEO_TOKEN", ""))',
    'os.environ.get("PLEO_TOKEN", ""))\n'
    '        self.session.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]',
)


def test_calls_on_a_session_given_a_legacy_base_are_named_and_rewritten() -> None:
    assert {site.operation for site in scan(JOINED)} == {"tax-codes.get", "accounts.get"}
    after = rewrite(JOINED)
    assert 'SESSION.get("v0/tax-codes/" + code_id, timeout=10)' in after
    assert 'SESSION.get(f"/v1/chart-of-accounts/{account_id}")' in after
    assert 'PrefixedSession("https://external.pleo.io")' in after
    after = rewrite(AUTH_OUTSIDE)
    assert 'self.session.get(f"v2/employees/{employee_id}")' in after
    assert 'def __init__(self, root="https://external.pleo.io/")' in after


def test_a_session_class_writing_its_own_auth_header_keeps_its_calls() -> None:
    sites = scan(CONCATENATED)
    assert {site.operation for site in sites} == {"employees.get", "expenses.get"}
    for site in sites:
        assert not site.automatic
        assert "`ApiSession` sets its auth header itself" in site.reasons[0].message
    after = rewrite(CONCATENATED)
    assert 'self.session.get(f"employees/{employee_id}")' in after
    assert 'def __init__(self, root="https://openapi.pleo.io/v1/")' in after
    assert 'ApiSession(root, os.environ.get("PLEO_TOKEN", ""))' in after


@pytest.mark.parametrize(("before", "instead"), [
    # the version is a piece of its own: it would stay when the host moves
    ('PrefixedSession("https://openapi.pleo.io/v1")',
     'PrefixedSession(HOST + "/v1/")'),
    # no trailing slash is put on the base: urljoin drops its `v1`
    ('self.prefix = prefix if prefix.endswith("/") else prefix + "/"', "self.prefix = prefix"),
])
def test_a_base_the_session_would_not_keep_whole_is_not_followed(
    before: str, instead: str
) -> None:
    source = JOINED.replace(before, instead).replace(
        "import requests\n", 'import requests\n\nHOST = "https://openapi.pleo.io"\n'
    )
    assert not any(site.automatic for site in scan(source))
    assert 'SESSION.get("tax-codes/" + code_id, timeout=10)' in rewrite(source)


RUNS = {
    "session_given_base_joined": (JOINED, None, (
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("account", ("accounts.get",), ("@account",)),
    )),
    "session_given_base_concatenated": (AUTH_OUTSIDE, "Directory", (
        Call("person", ("employees.get",), ("@employee",)),
        Call("expense", ("expenses.get",), ("@expense",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_sessions_run_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        assert done.verdicts[call.label] in harness.WORKING, (
            harness.explain(report, "native", call.label)
        )
