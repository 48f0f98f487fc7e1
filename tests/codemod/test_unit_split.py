"""Split instead of wait for wrapper classes (`unit_split`): one call that must stay keeps the
legacy attributes and helper; the others move onto copies made beside them.

Three wrappers written for these tests, in different styles: `requests.request` through a
`_request(method, path)` helper with `self.headers` built from `self.token`; a
`requests.Session` with a fixed-verb `_get(path)` helper, a base read from the environment and
concatenated paths (a run-time path stays); an `httpx.Client` made in `__init__` from a local
token, sent to with bare paths (a flow stays). Each is rewritten, run against the new API only,
and run before the cut-over with both credentials: every call still works, the staying one
still sends the legacy token to the legacy host. Also: what keeps a wrapper waiting (a session
whose auth is set by `headers.update`, an attribute set twice, a method reading the base
itself), idempotence, rule selections.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

TODO = "# TODO[pleo-migrate"

REQUESTS_HELPER = '''
"""requests.request through a private helper; headers from a token attribute."""

import os

import requests

DEFAULT_BASE = "https://openapi.pleo.io/v1"


class Pleo:
    def __init__(self, token=None, base=None):
        self.base_url = (base or DEFAULT_BASE).rstrip("/")
        self.token = token or os.environ.get("PLEO_TOKEN", "")
        self.headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}

    def _request(self, method, path, **kw):
        resp = requests.request(method, f"{self.base_url}{path}", headers=self.headers, **kw)
        resp.raise_for_status()
        return resp.json()

    def employee(self, employee_id):
        return self._request("GET", f"/employees/{employee_id}")

    def tax_code(self, tax_code_id):
        return self._request("GET", "/tax-codes/" + tax_code_id)

    def tag_groups(self):
        return self._request("GET", "/tag-groups?archived=true")
'''

SESSION = '''
"""A requests.Session wrapper: fixed-verb helper, base from the environment, concatenation."""

import os

import requests

API_ROOT = os.environ.get("PLEO_BASE_URL", "https://openapi.pleo.io/v1")


class Expenses:
    def __init__(self, api_token=None):
        self.session = requests.Session()
        self.root = API_ROOT.rstrip("/")
        self.auth = {"Authorization": "Bearer " + (api_token or os.environ.get("PLEO_TOKEN", ""))}

    def _get(self, path, params=None):
        response = self.session.get(self.root + path, headers=self.auth, params=params)
        response.raise_for_status()
        return response.json()

    def employee(self, employee_id):
        return self._get("/employees/" + employee_id)

    def tax_code(self, tax_code_id):
        return self._get("/tax-codes/{}".format(tax_code_id))

    def any_resource(self, resource):
        return self._get("/" + resource)
'''

HTTPX = '''
"""An httpx client made in __init__, sent to by a private helper with bare paths."""

import os

import httpx

PLEO = "https://openapi.pleo.io/v1"


class Client:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.http = httpx.Client(
            base_url=PLEO, headers={"Authorization": f"Bearer {token}"}, timeout=15
        )

    def _fetch(self, path):
        reply = self.http.get(path)
        reply.raise_for_status()
        return reply.json()

    def employee(self, employee_id):
        return self._fetch(f"/employees/{employee_id}")

    def tax_code(self, tax_code_id):
        return self._fetch("/tax-codes/" + tax_code_id)

    def tag_groups(self):
        return self._fetch("/tag-groups?archived=true")
'''


ASYNC_FORMAT = '''
"""An httpx.AsyncClient wrapper whose helper reads the module's base itself (`.format`)."""

import os

import httpx

BASE = os.getenv("PLEO_URL", "https://openapi.pleo.io/v1")


class Pleo:
    def __init__(self, api_token: str | None = None) -> None:
        self._token = api_token or os.getenv("PLEO_TOKEN", "")
        self._headers = {"Authorization": "Bearer {}".format(self._token)}
        self._client = httpx.AsyncClient(timeout=10)

    async def _call(self, method: str, path: str, **kwargs):
        url = "{}{}".format(BASE, path)
        resp = await self._client.request(method, url, headers=self._headers, **kwargs)
        resp.raise_for_status()
        return resp.json()

    async def employee(self, employee_id: str):
        return await self._call("GET", f"/employees/{employee_id}")

    async def tax_code(self, tax_code_id: str):
        return await self._call("GET", "/tax-codes/" + tax_code_id)

    async def tag_groups(self):
        return await self._call("GET", "/tag-groups?archived=true")
'''


def _code(text: str) -> list[str]:
    return [line for line in text.splitlines() if TODO not in line]


def _todos(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TODO in line]


def _found(source: str) -> dict[str, tuple[bool, list[str]]]:
    return {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}


@pytest.mark.parametrize("source", [REQUESTS_HELPER, SESSION, HTTPX, ASYNC_FORMAT])
def test_the_legacy_lines_stay_as_they_were_and_only_copies_are_added(source: str) -> None:
    after = rewrite(source)
    lines = _code(after)
    moved = ("/employees", "/tax-codes")
    for kept in code(source).splitlines():
        if not any(path in kept for path in moved) or "def " in kept:
            assert kept in lines, kept
    assert not any("PLM105" in todo for todo in _todos(after))  # nothing waits any more
    assert all(len(todo) <= 120 for todo in _todos(after))
    compile(after, "wrapper.py", "exec")


def test_a_request_helper_and_its_attributes_are_copied_with_the_new_host_and_auth() -> None:
    lines = _code(rewrite(REQUESTS_HELPER))
    assert 'NEW_API_BASE = "https://external.pleo.io"' in lines
    assert '        self.new_api_base_url = (base or NEW_API_BASE).rstrip("/")' in lines
    assert '        self.new_api_token = token or os.environ.get("PLEO_API_KEY", "")' in lines
    copied = [line for line in lines if line.startswith("        self.new_api_headers = ")]
    assert len(copied) == 1
    assert "base64.b64encode((self.new_api_token" in copied[0]
    assert '"Accept": "application/json"' in copied[0]  # the other headers are kept
    assert "    def _new_api_request(self, method, path, **kw):" in lines
    assert (
        '        resp = requests.request(method, f"{self.new_api_base_url}{path}", '
        "headers=self.new_api_headers, **kw)"
    ) in lines
    moved = '        return self._new_api_request("GET", f"/v2/employees/{employee_id}")["data"]'
    assert moved in lines
    assert '        return self._request("GET", "/tag-groups?archived=true")' in lines


def test_the_one_todo_names_the_call_still_on_the_legacy_things() -> None:
    after = rewrite(REQUESTS_HELPER)
    flow = 1 + code(REQUESTS_HELPER).splitlines().index(
        '        return self._request("GET", "/tag-groups?archived=true")'
    )
    notes = [todo for todo in _todos(after) if "PLM001" in todo]
    assert notes == [
        f"# TODO[pleo-migrate PLM001]: unchanged while line {flow} stays legacy "
        "(developers.pleo.io/reference/pleo-deprecated)"
    ]


def test_a_session_helper_with_a_base_from_the_environment_is_copied() -> None:
    lines = _code(rewrite(SESSION))
    assert (  # the new variable first, else the old one with a legacy value translated
        'NEW_API_BASE = _pleo_new_base(os.environ.get("PLEO_NEW_API_URL") or '
        'os.environ.get("PLEO_BASE_URL", "https://external.pleo.io"))' in lines
    )
    assert '        self.new_api_root = NEW_API_BASE.rstrip("/")' in lines
    assert "    def _new_api_get(self, path, params=None):" in lines
    assert '        return self._get("/" + resource)' in lines  # the run-time path stays
    assert any('self._new_api_get("/v0/tax-codes/{}".format(tax_code_id))' in x for x in lines)


def test_an_httpx_client_and_the_local_token_it_reads_are_copied() -> None:
    lines = _code(rewrite(HTTPX))
    assert '        new_api_token = os.environ.get("PLEO_API_KEY", "")' in lines
    assert "        self.new_api_http = httpx.Client(" in lines
    assert any("base_url=NEW_API_BASE" in line and "new_api_token" in line for line in lines)
    assert "        reply = self.new_api_http.get(path)" in lines


def test_a_helper_reading_the_module_base_itself_is_copied_reading_the_copy() -> None:
    lines = _code(rewrite(ASYNC_FORMAT))
    assert '        url = "{}{}".format(BASE, path)' in lines
    assert '        url = "{}{}".format(NEW_API_BASE, path)' in lines
    assert "    async def _new_api_call(self, method: str, path: str, **kwargs):" in lines
    assert any("(await self._new_api_call(\"GET\", f\"/v2/employees/" in x for x in lines)


@pytest.mark.parametrize(
    ("source", "staying"),
    [(REQUESTS_HELPER, ("tag-groups.list", "PLM103")), (SESSION, ("dynamic path", "PLM101")),
     (HTTPX, ("tag-groups.list", "PLM103"))],
)
def test_scan_reports_the_moved_calls_as_automatic_and_the_staying_one_as_manual(
    source: str, staying: tuple[str, str]
) -> None:
    found = _found(source)
    assert found["employees.get"] == (True, [])
    assert found["tax-codes.get"] == (True, [])
    assert found[staying[0]] == (False, [staying[1]])


@pytest.mark.parametrize("source", [REQUESTS_HELPER, SESSION, HTTPX, ASYNC_FORMAT])
def test_a_second_run_changes_nothing(source: str) -> None:
    once = rewrite(source)
    assert rewrite(once) == once
    assert not any(site.automatic for site in scan(once))


def test_with_a_shared_rule_left_out_nothing_moves() -> None:
    after = rewrite(REQUESTS_HELPER, rules=["PLM001", "PLM002", "PLM008"])  # no PLM009/PLM010
    assert "new_api" not in after and "/v2/employees" not in after


def test_a_session_whose_auth_is_set_by_headers_update_is_copied_with_it() -> None:
    auth = '        self.auth = {"Authorization": "Bearer " + (api_token or os.environ.get('
    update = (
        "        self.session.headers.update("
        '{"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})'
    )
    lines = code(SESSION).splitlines()
    lines = [update if line.startswith(auth) else line for line in lines]
    source = "\n".join(lines).replace("headers=self.auth, ", "")
    found = _found(source)
    assert found["employees.get"] == (True, [])
    lines = _code(rewrite(source))
    at = lines.index(update.replace('os.environ["PLEO_TOKEN"]', 'os.environ.get("PLEO_TOKEN", "")'))
    assert lines[at + 1].startswith(
        '        self.new_api_session.headers.update({"Authorization": "Basic " + '
    )
    assert "        self.new_api_session = requests.Session()" in lines


def test_a_legacy_token_read_that_raises_once_unset_is_made_safe_and_the_calls_move() -> None:
    """The legacy `__init__` line stays, but reads the token with `.get(…, "")`: once the token
    is unset the wrapper still constructs and the moved calls work."""
    source = SESSION.replace('os.environ.get("PLEO_TOKEN", "")', 'os.environ["PLEO_TOKEN"]')
    assert _found(source)["employees.get"] == (True, [])
    after = rewrite(source)
    assert '(api_token or os.environ.get("PLEO_TOKEN", ""))' in after
    assert '((api_token or os.environ["PLEO_API_KEY"]) + ":")' in after


PLAIN_HELPER = '''
        resp = requests.request(method, f"{self.base_url}{path}", headers=self.headers, **kw)
'''
RETRYING = '''
        for attempt in range(3):
            resp = requests.request(method, f"{self.base_url}{path}", headers=self.headers, **kw)
            if resp.status_code not in (429, 503):
                break
            time.sleep(attempt)
'''


def test_a_helper_with_a_retry_loop_is_copied_whole() -> None:
    source = REQUESTS_HELPER.replace(PLAIN_HELPER, RETRYING)
    source = source.replace("import requests", "import time\n\nimport requests")
    assert "time.sleep(attempt)" in source
    after = rewrite(source)
    copy = after[after.index("    def _new_api_request(self, method, path, **kw):") :]
    assert "            time.sleep(attempt)" in copy.split("    def employee(")[0]
    assert _found(source)["employees.get"] == (True, [])


def test_a_helper_that_calls_a_method_of_its_class_is_not_copied() -> None:
    source = REQUESTS_HELPER.replace(
        "        resp.raise_for_status()\n        return resp.json()",
        "        if resp.status_code == 429:\n            return self._request(method, path, **kw)"
        "\n        resp.raise_for_status()\n        return resp.json()",
    )
    assert "self._request(method, path" in source
    assert _found(source)["employees.get"] == (False, ["PLM105"])  # its retry would stay legacy
    assert "_new_api_request" not in rewrite(source)


def test_two_helpers_of_one_class_share_the_copied_attributes() -> None:
    source = SESSION.replace(
        "    def employee(self, employee_id):",
        """    def _get_one(self, path):
        return self.session.get(self.root + path, headers=self.auth).json()

    def employee(self, employee_id):""",
    ).replace('self._get("/tax-codes/{}"', 'self._get_one("/tax-codes/{}"')
    lines = _code(rewrite(source))
    assert sum(line.startswith("        self.new_api_root = ") for line in lines) == 1
    assert sum(line.startswith("        self.new_api_auth = ") for line in lines) == 1
    assert "    def _new_api_get(self, path, params=None):" in lines
    # every call of `_get_one` moved: it reads the copies itself, no copy of it is made
    assert "    def _new_api_get_one(self, path):" not in lines
    assert (
        "        return self.session.get("
        "self.new_api_root + path, headers=self.new_api_auth).json()"
    ) in lines
    assert any('self._get_one("/v0/tax-codes/{}"' in line for line in lines)


def test_an_attribute_set_twice_keeps_the_calls_waiting() -> None:
    source = REQUESTS_HELPER + '''
    def use_staging(self):
        self.base_url = "https://openapi.staging.pleo.io/v1"
'''
    assert _found(source)["employees.get"] == (False, ["PLM105"])


def test_a_method_that_reads_the_base_itself_keeps_its_call_waiting() -> None:
    moved = '        return self._request("GET", "/tax-codes/" + tax_code_id)'
    reads = moved[:-1] + ', headers={"X-B": self.base_url})'
    source = REQUESTS_HELPER.replace(moved, reads)
    found = _found(source)
    assert found["tax-codes.get"] == (False, ["PLM105"])  # its value reaches the helper too
    assert reads in rewrite(source).splitlines()


# --- by execution ----------------------------------------------------------------------------

RUNS = {
    "requests_helper": (REQUESTS_HELPER, "Pleo", "tag_groups", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )),
    "session_helper": (SESSION, "Expenses", "any_resource", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("any_resource", ("tag-groups.list",), ("tag-groups",)),
    )),
    "async_format": (ASYNC_FORMAT, "Pleo", "tag_groups", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )),
    "httpx_client": (HTTPX, "Client", "tag_groups", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_split_wrapper_runs_on_the_new_api_and_before_the_cut_over(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, staying, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    module, path = report.module, report.module.path
    working = harness.WORKING
    for call in calls:
        verdict = done.verdicts[call.label]
        if call.method == staying:
            assert verdict == harness.NOT_MIGRATED, verdict  # left on the legacy API
        else:
            assert verdict in working, harness.explain(report, "native", call.label)
    # before the cut-over, with both credentials: every call works, each on its own API
    rewritten = tmp_path / "rewritten" / path.name
    rewritten.parent.mkdir()
    rewritten.write_text(done.rewrite.source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        both = harness.run_module(
            rewritten, module, simulator, Path(work), rewritten=True, both=True
        )
    for call in calls:
        outcome = both.outcome(call.label) or {}
        assert "returned" in outcome, (call.label, outcome)
        sent = both.calls[call.label]["requests"]
        hosts = {(r["host"], r["auth"]) for r in sent}
        if call.method == staying:
            assert both.outcome(call.label) == report.original.outcome(call.label)
            assert hosts == {("openapi.pleo.io", "Bearer")}, hosts
        else:
            assert hosts == {("external.pleo.io", "Basic")}, hosts
