"""Native strategy: per-call atomicity and wrapper clients as a unit (issue 12, points 1-2).

Small hand-written modules: a wrapper whose calls go through a private `_request` helper with
one gap method (the base and auth move, the gap keeps its TODO), the same wrapper with one
flow method (nothing moves; one TODO on the base naming the flow's line; each call that could
move says which line it waits for), and a module of literal-host calls that move one by one.
Each is also run against the simulator as the corpus harness does: the original against the
legacy API, the rewritten module against the new API only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate.codemod.find.reach import Reach
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

TODO = "# TODO[pleo-migrate"

WRAPPER = '''
"""A wrapper client: every call goes through `_request`."""

import os

import requests

DEFAULT_BASE = "https://openapi.pleo.io/v1"


class Pleo:
    def __init__(self, token=None, base=None):
        self.base_url = (base or DEFAULT_BASE).rstrip("/")
        self.token = token or os.environ.get("PLEO_TOKEN", "")
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def _request(self, method, path, **kw):
        url = f"{self.base_url}{path}"
        resp = requests.request(method, url, headers=self.headers, timeout=10, **kw)
        resp.raise_for_status()
        return resp.json()

    def employee(self, employee_id):
        return self._request("GET", f"/employees/{employee_id}")

    def tax_code(self, tax_code_id):
        return self._request("GET", "/tax-codes/" + tax_code_id)
'''
GAP = WRAPPER + '''
    def employees(self, page_size=50):
        out = []
        offset = 0
        while True:
            data = self._request(
                "GET", "/employees", params={"pageOffset": offset, "pageSize": page_size}
            )
            out.extend(data["employees"])
            offset = data["metadata"]["pageInfo"].get("nextPageOffset")
            if not offset:
                return out

    def accounts(self):
        return self._request("GET", "/accounts", params={"pageSize": 100})["accounts"]

    def balance(self):
        return self._request("GET", "/companies/balance")
'''
FLOW = WRAPPER + '''
    def tag_groups(self):
        return self._request("GET", "/tag-groups?archived=true")
'''
LITERAL = '''
"""Calls that each write their own host and auth."""

import os

import requests


def employee(employee_id):
    r = requests.get(
        f"https://openapi.pleo.io/v1/employees/{employee_id}",
        headers={"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")},
    )
    r.raise_for_status()
    return r.json()


def tax_code(tax_code_id):
    r = requests.get(
        "https://openapi.pleo.io/v1/tax-codes/" + tax_code_id,
        headers={"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")},
    )
    r.raise_for_status()
    return r.json()


def tag_groups():
    r = requests.get(
        "https://openapi.pleo.io/v1/tag-groups?archived=true",
        headers={"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")},
    )
    r.raise_for_status()
    return r.json()
'''


ASYNC_URLJOIN = '''
"""An async httpx wrapper: paths joined onto a base that ends in a slash."""

import os
from urllib.parse import urljoin

import httpx

BASE = "https://openapi.pleo.io/v1/"


class AsyncPleo:
    def __init__(self):
        token = os.getenv("PLEO_TOKEN", "")
        self.client = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"})

    async def _get(self, path, **kw):
        r = await self.client.get(urljoin(BASE, path), **kw)
        r.raise_for_status()
        return r.json()

    async def employee(self, employee_id):
        return await self._get(f"employees/{employee_id}")

    async def tax_code_name(self, tax_code_id):
        return (await self._get(f"tax-codes/{tax_code_id}"))["name"]
'''


def _todos(text: str) -> list[str]:
    """The TODOs that say why something stays (PLM109's advisory notes apart: see _notes)."""
    return [line.strip() for line in text.splitlines() if TODO in line and "PLM109]" not in line]


def _notes(text: str) -> list[str]:
    """PLM109's notes on rewritten calls that hand new-API records to their callers."""
    return [line.strip() for line in text.splitlines() if f"{TODO} PLM109]" in line]


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if TODO not in line]


# --- a wrapper with one gap method -----------------------------------------------------------


def test_a_wrapper_moves_onto_copies_and_its_gap_keeps_the_legacy_ones() -> None:
    """The gap call works until the cut-over: the legacy base, token, headers and helper stay
    for it (one PLM001 note names it), and the other calls move onto copies (`unit_split`)."""
    after = rewrite(GAP)
    assert 'DEFAULT_BASE = "https://openapi.pleo.io/v1"' in after
    assert 'NEW_API_BASE = "https://external.pleo.io"' in after
    assert 'os.environ.get("PLEO_API_KEY", "")' in after  # the token variable, with its default
    assert '"Authorization": "Basic " + base64.b64encode((self.new_api_token + ":")' in after
    # at each method: the literal path (path parameters carried over) and the envelope
    assert 'self._new_api_request("GET", f"/v2/employees/{employee_id}")["data"]' in after
    assert 'self._new_api_request("GET", "/v0/tax-codes/" + tax_code_id)["data"]' in after
    assert '"GET", "/v2/employees", params={**({"after": offset}' in after  # the paging loop
    assert 'self._new_api_request("POST", "/v1/chart-of-accounts:search", params=' in after
    # the legacy helper is untouched, and the gap call still goes through it
    assert 'url = f"{self.base_url}{path}"' in after
    assert [todo.split("]")[0][-6:] for todo in _todos(after)] == ["PLM001", "PLM102"]
    assert _notes(after)  # the moved calls hand new-API records to their callers: noted
    assert 'return self._request("GET", "/companies/balance")' in after


def test_scan_says_what_rewrite_does_for_a_wrapper() -> None:
    sites = {site.line: site for site in scan(GAP)}
    helper_calls = {line: site for line, site in sites.items() if site.label != "request helper"}
    assert [site.label for site in sites.values()].count("request helper") == 1  # _request's own
    assert {(s.label, s.automatic) for s in helper_calls.values()} == {
        ("employees.get", True),
        ("tax-codes.get", True),
        ("employees.list", True),
        ("accounts.list", True),
        ("companies.balance", False),
    }


# --- a wrapper with one flow method ----------------------------------------------------------


def test_a_flow_method_keeps_only_itself_on_the_legacy_wrapper() -> None:
    """The calls that can move go through copies of the wrapper's attributes and helper
    (`unit_split`); the flow keeps the legacy ones, whose base carries the one TODO."""
    after = rewrite(FLOW)
    lines = _code_lines(after)
    for kept in code(FLOW).splitlines():  # nothing legacy changes but the moved calls
        if "self._request(\"GET\", f\"/employees" not in kept and "/tax-codes/" not in kept:
            assert kept in lines, kept
    assert '        self.new_api_base_url = (base or NEW_API_BASE).rstrip("/")' in lines
    assert '        self.new_api_token = token or os.environ.get("PLEO_API_KEY", "")' in lines
    assert "    def _new_api_request(self, method, path, **kw):" in lines
    moved = '        return self._new_api_request("GET", "/v0/tax-codes/" + tax_code_id)["data"]'
    assert moved in lines
    todos = _todos(after)
    notes = [todo for todo in todos if "PLM001" in todo]
    flow_call = '        return self._request("GET", "/tag-groups?archived=true")'
    flow_line = code(FLOW).splitlines().index(flow_call)
    assert notes == [  # the line as the user wrote it
        f"# TODO[pleo-migrate PLM001]: unchanged while line {flow_line + 1} stays legacy "
        "(developers.pleo.io/reference/pleo-deprecated)"
    ]
    assert not any("PLM105" in todo for todo in todos)
    assert sum("PLM103" in todo for todo in todos) == 1


def test_scan_reports_the_split_calls_as_automatic_and_the_flow_as_manual() -> None:
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(FLOW)}
    assert found["employees.get"] == (True, [])
    assert found["tax-codes.get"] == (True, [])
    assert found["tag-groups.list"] == (False, ["PLM103"])


# --- literal-host calls are independent ------------------------------------------------------


def test_literal_host_calls_move_one_by_one() -> None:
    after = rewrite(LITERAL)
    assert 'f"https://external.pleo.io/v2/employees/{employee_id}"' in after
    assert '"https://external.pleo.io/v0/tax-codes/" + tax_code_id' in after
    assert after.count('"Basic " + base64.b64encode((os.environ.get("PLEO_API_KEY", "")') == 2
    # the flow keeps its host, its Bearer header and its token variable, and one TODO only
    tail = after[after.index("def tag_groups") :]
    assert '"https://openapi.pleo.io/v1/tag-groups?archived=true"' in tail
    assert '"Bearer " + os.environ.get("PLEO_TOKEN", "")' in tail
    assert [todo.split("]")[0] for todo in _todos(after)] == ["# TODO[pleo-migrate PLM103"]


def test_an_async_helper_joining_bare_paths_onto_a_slash_base() -> None:
    after = rewrite(ASYNC_URLJOIN)
    assert 'BASE = "https://external.pleo.io/"' in after
    assert 'return (await self._get(f"v2/employees/{employee_id}"))["data"]' in after
    assert _todos(after) == []


# --- request helpers the codemod does not rewrite at the call --------------------------------


def test_a_public_helper_is_no_unit_its_callers_may_be_elsewhere() -> None:
    source = WRAPPER.replace("_request", "request")
    after = rewrite(source)
    assert _code_lines(after) == code(source).splitlines()
    assert any("PLM101" in todo for todo in _todos(after))  # the helper's own call


KEYWORD_QUERY = '''
    def employees(self):
        return self._request("GET", "/employees", pageSize=10)["employees"]
'''


def test_a_helper_that_sends_its_keywords_as_the_query_is_rewritten_at_the_call() -> None:
    """`def _request(self, method, path, **params)` sending `params=params`: the caller's
    keywords are the query, edited where they are written."""
    source = WRAPPER.replace("**kw):", "**params):").replace(
        "timeout=10, **kw)", "timeout=10, params=params)"
    ) + KEYWORD_QUERY
    found = {s.label: s for s in scan(source)}
    assert found["employees.list"].reasons == ()
    after = rewrite(source, ["PLM002", "PLM004", "PLM005", "PLM007"])
    assert (
        'self._request("GET", "/v2/employees", limit=10, '
        'companyId=os.environ["PLEO_COMPANY_ID"])["data"]'
    ) in after


def test_a_helper_that_builds_the_query_from_keywords_is_left_to_a_human() -> None:
    source = WRAPPER.replace("**kw):", "**params):").replace(
        "timeout=10, **kw)", "timeout=10, params=dict(params, source=\"sync\"))"
    ) + KEYWORD_QUERY
    found = {s.label: s for s in scan(source)}
    reasons = found["employees.list"].reasons
    assert [r.rule for r in reasons] == ["PLM105"]
    assert "`pageSize=` is turned into the request by `_request`" in reasons[0].message


def test_a_method_fixed_inside_the_helper_is_not_changed_at_the_call() -> None:
    source = code(WRAPPER) + code(
        '''
        class Accounts:
            def __init__(self):
                self.session = requests.Session()

            def _get(self, path, **kw):
                for _attempt in range(3):  # more than one request: no POST twin
                    response = self.session.get(DEFAULT_BASE + path, **kw)
                    if response.ok:
                        return response.json()
                return None

            def accounts(self):
                return self._get("/accounts", params={"pageSize": 100})["accounts"]
        '''
    )
    found = {s.label: s for s in scan(source)}
    reasons = found["accounts.list"].reasons
    assert "the method is fixed inside `_get`" in reasons[0].message


def test_the_method_changes_at_the_helper_calls_literal() -> None:
    source = WRAPPER + '''
    def accounts(self):
        return self._request("GET", "/accounts", params={"pageSize": 100})["accounts"]
'''
    after = rewrite(source)
    assert 'self._request("POST", "/v1/chart-of-accounts:search"' in after


# --- which statements a shared thing reaches -------------------------------------------------


def _reached_lines(source: str, line: int) -> set[int]:
    tree = ast.parse(code(source))
    start = next(n for n in ast.walk(tree) if isinstance(n, ast.stmt) and n.lineno == line)
    return {stmt.lineno for stmt in Reach(tree).reached(start)}


def test_reach_follows_attributes_and_helpers_but_not_other_functions_locals() -> None:
    source = """
    BASE = "https://openapi.pleo.io/v1"


    class C:
        def __init__(self):
            self.base = BASE

        def _send(self, path):
            url = self.base + path
            return get(url)

        def one(self):
            return self._send("/a")


    def other():
        url = "https://example.com"
        return get(url)
    """
    reached = _reached_lines(source, 1)
    assert {6, 9, 10, 13} <= reached  # the attribute, the helper's URL and call, its caller
    assert not {17, 18} & reached  # another function's local `url`


# --- executed against the simulator ----------------------------------------------------------

RUNS = {
    "async_urljoin": (ASYNC_URLJOIN, "AsyncPleo", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code_name", ("tax-codes.get",), ("@tax_code",)),
    )),
    "gap_wrapper": (GAP, "Pleo", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("employees", ("employees.list",)),
        Call("accounts", ("accounts.list",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("balance", ("companies.balance",)),
    )),
    "flow_wrapper": (FLOW, "Pleo", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )),
    "literal_calls": (LITERAL, None, (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )),
}
MOVED = {
    "async_urljoin": {"employee", "tax_code_name"},
    "gap_wrapper": {"employee", "tax_code", "employees", "accounts"},
    "flow_wrapper": {"employee", "tax_code"},  # split onto copies (unit_split)
    "literal_calls": {"employee", "tax_code"},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_module_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    working = harness.WORKING
    for call in calls:
        verdict = done.verdicts[call.label]
        if call.label in MOVED[name]:
            assert verdict in working, harness.explain(report, "native", call.label)
        else:
            assert verdict == harness.NOT_MIGRATED, verdict  # left on the legacy API


def test_reach_follows_arguments_class_attributes_and_other_objects_attributes() -> None:
    source = """
    BASE = "https://openapi.pleo.io/v1"


    def fetch(base, path):
        return get(base + path)


    def one():
        return fetch(BASE, "/a")


    class C:
        ROOT = "https://openapi.pleo.io/v1"

        def two(self):
            return get(self.ROOT + "/b")


    def three(client):
        return get(client.ROOT + "/c")
    """
    assert {4, 5, 9} <= _reached_lines(source, 1)  # through fetch's parameter
    assert {16, 20} <= _reached_lines(source, 13)  # `self.ROOT`, `client.ROOT`


def test_a_helper_used_by_other_code_is_no_unit() -> None:
    """A caller the unit cannot see (the helper passed on, or called on another object) could
    send any path: the helper's own call then stays a site, and the base stays."""
    for extra in ('''
    def call_through(self, fetch=None):
        fetch = fetch or self._request
        return fetch("GET", "/employees/x")
''', '''
    def other(self, client):
        return client._request("GET", "/whatever")
'''):
        source = GAP + extra
        after = rewrite(source)
        assert 'DEFAULT_BASE = "https://openapi.pleo.io/v1"' in after, extra
        assert "/v2/employees" not in "\n".join(_code_lines(after)), extra


def test_extra_positional_arguments_leave_the_call_to_a_human() -> None:
    source = WRAPPER + '''
    def employees(self):
        return self._request("GET", "/employees", {"pageSize": 10})["employees"]
'''
    found = {s.label: s for s in scan(source)}
    assert "more arguments by position" in found["employees.list"].reasons[0].message


def test_auth_for_a_call_whose_url_is_unknown_stays_without_a_note() -> None:
    """The module reads a legacy token and calls URLs it is given: the token and its Bearer
    header stay (the URL may be legacy), and no TODO appears where `scan` reports no call."""
    source = """
    import os

    import requests

    TOKEN = os.environ.get("PLEO_TOKEN", "")


    def fetch(url):
        return requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    """
    assert rewrite(source) == code(source)
    assert scan(source) == ()


def test_a_shared_header_dict_stays_with_a_note_and_a_literal_call_moves_onto_a_copy() -> None:
    source = """
    import requests

    HEADERS = {"Authorization": "Bearer " + open("token.txt").read()}


    def employee(employee_id):
        url = f"https://openapi.pleo.io/v1/employees/{employee_id}"
        return requests.get(url, headers=HEADERS).json()


    def tag_groups():
        url = "https://openapi.pleo.io/v1/tag-groups?archived=true"
        return requests.get(url, headers=HEADERS).json()
    """
    after = rewrite(source)
    lines = _code_lines(after)
    assert 'HEADERS = {"Authorization": "Bearer " + open("token.txt").read()}' in lines
    assert any(line.startswith('NEW_API_HEADERS = {"Authorization": "Basic "') for line in lines)
    assert "    return requests.get(url, headers=NEW_API_HEADERS).json()[\"data\"]" in lines
    todos = _todos(after)
    assert todos[0].startswith("# TODO[pleo-migrate PLM001]: unchanged while line 13 stays legacy")
    assert "PLM103" in todos[1] and len(todos) == 2


def test_the_statement_around_an_offset_is_the_innermost_one() -> None:
    from migrate.codemod.apply import analyse
    from migrate.codemod.holdback import _Statements
    from migrate.codemod.one_file import catalogue_index
    from migrate.codemod.text.source import decode

    text = code(
        """
        def f(x):
            if x:
                y = "https://openapi.pleo.io/v1"
            return x
        """
    )
    source = decode(text.encode())
    analysis = analyse("m.py", source, ast.parse(text), catalogue_index(None))
    statements = _Statements(analysis)
    inner = statements.innermost(text.index('"https'))
    assert isinstance(inner, ast.Assign) and inner.lineno == 3
    assert isinstance(statements.innermost(text.index("if x")), ast.If)
    assert statements.innermost(len(text) + 5) is None


def test_a_host_no_call_can_be_traced_to_stays_while_a_call_stays() -> None:
    """A dataclass field default read through a property: the def-use links do not reach the
    calls, so while one call stays legacy (a flow) the host, the token and every call stay
    (found by the hold-out corpus: the host moved and every call got a 404)."""
    after = rewrite(
        '''
        import os
        from dataclasses import dataclass, field

        import requests


        def _token():
            return os.environ.get("PLEO_ACCESS_TOKEN", "")


        @dataclass(frozen=True)
        class Config:
            api_url: str = "https://openapi.pleo.io"
            token: str = field(default_factory=_token)

            @property
            def root(self):
                return self.api_url + "/v1"


        def employee(employee_id, config=None):
            config = config or Config()
            headers = {"Authorization": "Bearer " + config.token}
            return requests.get(f"{config.root}/employees/{employee_id}", headers=headers).json()


        def tag_groups(config=None):
            config = config or Config()
            headers = {"Authorization": "Bearer " + config.token}
            return requests.get(config.root + "/tag-groups?archived=true", headers=headers).json()
        '''
    )
    assert 'api_url: str = "https://openapi.pleo.io"' in after
    assert '"PLEO_ACCESS_TOKEN"' in after and "Bearer" in after
    assert "/employees/{employee_id}" in after  # the call that could move waits
    assert any("PLM001" in todo for todo in _todos(after))
