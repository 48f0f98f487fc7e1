"""Native strategy: a run-time resource proved by a check in the function itself (issue 12).

A function taking the resource (`describe(resource, ident)`, a Singer tap's
`get_records(stream)`, `fetch(self, kind, ident)`) is bounded, even when it is public or a
caller passes a name, when it looks the value up in a module dict nothing changes before any
other use (`label = RECORD_TYPES[resource]`: any other value raises `KeyError` before a request)
or refuses other values (`if kind not in KINDS: raise …`). Hand-written modules in different
styles (requests with an f-string, an `httpx.Client` wrapper with concatenation, an
`httpx.AsyncClient` with `str.format`) are rewritten through a table and run as the corpus
harness does; checks that prove nothing (a `.get`, a lookup under a condition or after the
request) leave the call held. `scan` names every operation a URL chosen in branches reaches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.codemod import CallSite, Job, select
from migrate.codemod.one_file import process_bytes
from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code

DICT_LOOKUP = '''
"""Lookups through one public function that reads its resource's label from a table."""

import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
RECORD_TYPES = {"employees": "employee", "tax-codes": "tax code", "accounts": "account"}


def describe(resource, ident):
    label = RECORD_TYPES[resource]
    resp = requests.get(f"{BASE}/{resource}/{ident}", headers=HEADERS, timeout=10)
    resp.raise_for_status()
    return {"type": label, "record": resp.json()}


def employee_email(employee_id):
    return describe("employees", employee_id)["record"]["email"]


def account_name(account_id):
    return describe("accounts", account_id)["record"]["name"]
'''

TUPLE_CHECK = '''
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"
KINDS = ("employees", "accounts")


class Ledger:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.headers = {"Authorization": "Bearer " + token}
        self.http = httpx.Client(timeout=10)

    def fetch(self, kind, ident):
        if kind not in KINDS:
            raise ValueError("unsupported kind " + kind)
        reply = self.http.get(ROOT + "/" + kind + "/" + ident, headers=self.headers)
        reply.raise_for_status()
        return reply.json()

    def person(self, employee_id):
        return self.fetch("employees", employee_id)["email"]

    def account(self, account_id):
        return self.fetch("accounts", account_id)["name"]
'''

ASYNC_SET_CHECK = '''
import os

import httpx

API = "https://openapi.pleo.io/v1"


async def get_one(resource, ident):
    if resource not in {"employees", "tax-codes"}:
        raise KeyError(resource)
    token = os.environ.get("PLEO_TOKEN", "")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            "{}/{}/{}".format(API, resource, ident), headers={"Authorization": f"Bearer {token}"}
        )
    response.raise_for_status()
    return response.json()


async def vat_name(tax_code_id):
    return (await get_one("tax-codes", tax_code_id))["name"]


async def person_email(employee_id):
    return (await get_one("employees", employee_id))["email"]
'''

STREAMS = '''
"""A Singer-style tap: a public generator over a table of streams."""

import os

import requests

BASE_URL = "https://openapi.pleo.io/v1/"
STREAMS = {"employees": {"key": "employees"}, "accounts": {"key": "accounts"}}


def get_records(stream):
    key = STREAMS[stream]["key"]
    resp = requests.get(f"{BASE_URL}{stream}", headers={"Authorization": "Bearer x"})
    resp.raise_for_status()
    yield from resp.json()[key]
'''

BRANCHES = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def dump(kind):
    if kind == "people":
        url = BASE + "/employees"
        key = "employees"
    elif kind == "ledger":
        url = BASE + "/accounts"
        key = "accounts"
    else:
        url = BASE + "/tax-codes"
        key = "taxCodes"
    r = requests.get(url, headers=HEADERS)
    r.raise_for_status()
    return r.json()[key]
'''


# --- values that need different requests: a generated lookup of each value's request -------

SESSION_LIST = '''
"""A connector whose private list helper is handed the resource and its envelope key."""

import os

import requests

API = "https://openapi.pleo.io/v1"
SESSION = requests.Session()


class Books:
    def __init__(self):
        self.headers = {"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"}

    def _list(self, resource, key):
        rows, offset = [], 0
        while True:
            reply = SESSION.get(
                f"{API}/{resource}",
                params={"pageSize": 50, "pageOffset": offset},
                headers=self.headers,
                timeout=20,
            )
            reply.raise_for_status()
            payload = reply.json()
            rows.extend(payload[key])
            offset = payload["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                return rows

    def emails(self):
        return sorted(e["email"] for e in self._list("employees", "employees"))

    def account_names(self):
        return sorted(a["name"] for a in self._list("accounts", "accounts"))

    def expense_ids(self):
        return sorted(x["id"] for x in self._list("expenses", "expenses"))
'''

GUARDED_CLIENT = '''
import os

import httpx

BASE = "https://openapi.pleo.io/v1"
ENVELOPES = {"employees": "employees", "accounts": "accounts"}
CLIENT = httpx.Client(timeout=30)


def fetch_all(resource):
    key = ENVELOPES[resource]
    token = os.environ.get("PLEO_TOKEN", "")
    rows, offset = [], 0
    while True:
        r = CLIENT.get(BASE + "/" + resource, params={"pageSize": 25, "pageOffset": offset},
                       headers={"Authorization": "Bearer " + token})
        r.raise_for_status()
        data = r.json()
        rows.extend(data[key])
        offset = data["metadata"]["pageInfo"]["nextPageOffset"]
        if offset is None:
            return rows


def all_people():
    return sorted(p["id"] for p in fetch_all("employees"))


def all_accounts():
    return sorted(a["id"] for a in fetch_all("accounts"))
'''

ASYNC_COLLECT = '''
import asyncio
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"


async def _collect(client, kind, field):
    found, offset = [], 0
    while True:
        resp = await client.get("{}/{}".format(ROOT, kind),
                                params={"pageSize": 40, "pageOffset": offset})
        resp.raise_for_status()
        body = resp.json()
        found.extend(body[field])
        offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        if offset is None:
            return found


async def snapshot():
    token = os.environ.get("PLEO_TOKEN", "")
    async with httpx.AsyncClient(headers={"Authorization": "Bearer " + token}) as client:
        people = await _collect(client, "employees", "employees")
        codes = await _collect(client, "expenses", "expenses")
    return {"people": len(people), "codes": sorted(c["id"] for c in codes)}
'''


# --- URLs chosen in branches whose operations need different requests ------------------------

BRANCH_KEYS = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"


def headers():
    return {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def dump(kind):
    if kind == "employees":
        url = BASE + "/employees"
        key = "employees"
    elif kind == "accounts":
        url = BASE + "/accounts"
        key = "accounts"
    elif kind == "expenses":
        url = BASE + "/expenses"
        key = "expenses"
    else:
        raise ValueError("unknown kind " + kind)
    r = requests.get(url, headers=headers(), params={"pageSize": 100})
    r.raise_for_status()
    return sorted(item["id"] for item in r.json()[key])
'''

BRANCH_FIELDS = '''
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"}


def listing(what):
    if what == "people":
        endpoint = f"{ROOT}/employees"
        field = "employees"
    else:
        endpoint = f"{ROOT}/accounts"
        field = "accounts"
    with httpx.Client(headers=HEADERS, timeout=10) as client:
        resp = client.get(endpoint, params={"pageSize": 50})
    resp.raise_for_status()
    return [row["id"] for row in resp.json()[field]]
'''

ASYNC_BRANCHES = '''
import os

import httpx

API = "https://openapi.pleo.io/v1"


async def records(kind):
    token = os.environ.get("PLEO_TOKEN", "")
    if kind == "employees":
        address = "{}/employees".format(API)
        envelope = "employees"
    else:
        address = "{}/expenses".format(API)
        envelope = "expenses"
    async with httpx.AsyncClient() as client:
        reply = await client.get(address, params={"pageSize": 30},
                                 headers={"Authorization": "Bearer " + token})
    reply.raise_for_status()
    return len(reply.json()[envelope])
'''


# --- a legacy key carried by a settings object (what unblocked django_connector's auth) ------

SETTINGS_KEY = '''
import os
from types import SimpleNamespace

import requests

settings = SimpleNamespace(
    PLEO_API_URL="https://openapi.pleo.io/v1",
    PLEO_API_KEY=os.environ.get("PLEO_API_KEY_LEGACY"),
)


def _auth_headers():
    return {"Authorization": "Bearer %s" % settings.PLEO_API_KEY}


def expense_id(expense_id):
    r = requests.get(f"{settings.PLEO_API_URL}/expenses/{expense_id}", headers=_auth_headers())
    r.raise_for_status()
    return r.json()["id"]
'''


def rewrite(source: str) -> str:
    job = Job("diff", "native", select("native"), None, diff=True)
    result = process_bytes("example.py", code(source).encode(), job)
    assert result is not None and result.status in ("changed", "unchanged"), result
    return code(source) if result.new_bytes is None else result.new_bytes.decode()


def scan(source: str) -> tuple[CallSite, ...]:
    result = process_bytes("example.py", code(source).encode(), Job("scan", "native"))
    return () if result is None else result.sites


def test_a_public_function_that_looks_its_resource_up_first_is_rewritten_through_a_table() -> None:
    after = rewrite(DICT_LOOKUP)
    assert "for each value of `resource` (the keys of `RECORD_TYPES`)." in after
    assert '"accounts": "v1/chart-of-accounts",' in after
    assert 'requests.get(f"{BASE}/{_NEW_API_RESOURCES[resource]}/{ident}"' in after
    assert "PLM101" not in after
    sites = scan(DICT_LOOKUP)
    assert sites[0].automatic
    assert {site.operation for site in sites} == {"employees.get", "tax-codes.get", "accounts.get"}


def test_a_not_in_check_against_a_tuple_or_a_set_bounds_the_parameter() -> None:
    after = rewrite(TUPLE_CHECK)
    assert "(the check at line 16)" in after
    assert 'ROOT + "/" + _NEW_API_KINDS[kind] + "/" + ident' in after
    after = rewrite(ASYNC_SET_CHECK)
    assert '"{}/{}/{}".format(API, _NEW_API_RESOURCES[resource], ident)' in after


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a `.get` raises nothing for another value
        ("label = RECORD_TYPES[resource]", "label = RECORD_TYPES.get(resource)"),
        # a lookup under a condition may be skipped
        ("label = RECORD_TYPES[resource]", "label = ident and RECORD_TYPES[resource]"),
        # the table is changed at run time
        ("def describe(", 'RECORD_TYPES["teams"] = "team"\n\n\ndef describe('),
    ],
)
def test_a_check_that_proves_nothing_leaves_the_public_function_held(old: str, new: str) -> None:
    source = DICT_LOOKUP.replace(old, new)
    after = rewrite(source)
    assert "_NEW_API_RESOURCES" not in after
    assert "PLM101]: `resource` unbounded (`describe` is public)" in after


def test_a_check_after_the_request_or_with_an_else_proves_nothing() -> None:
    late = TUPLE_CHECK.replace(
        '        if kind not in KINDS:\n            raise ValueError("unsupported kind " + kind)\n',
        "",
    ).replace("        reply.raise_for_status()\n", "        reply.raise_for_status()\n"
              "        if kind not in KINDS:\n            raise ValueError(kind)\n")
    assert "_NEW_API_KINDS" not in rewrite(late)
    otherwise = TUPLE_CHECK.replace(
        '            raise ValueError("unsupported kind " + kind)\n',
        '            raise ValueError("unsupported kind " + kind)\n'
        "        else:\n            pass\n",
    )
    assert "_NEW_API_KINDS" not in rewrite(otherwise)


def test_streams_checked_by_a_lookup_are_bounded_and_each_is_named() -> None:
    """The set is proved (the TODO is no longer "unbounded"), and scan names both operations;
    the call is held for its own reasons (one page where the legacy default differs)."""
    after = rewrite(STREAMS)
    assert "unbounded" not in after and "PLM107]: one call returns one page" in after
    _site, *values = scan(STREAMS)
    assert [(v.operation, v.status, v.automatic) for v in values] == [
        ("accounts.list", "value", False)
    ]


def test_values_needing_different_methods_get_a_lookup_of_their_requests() -> None:
    after = rewrite(SESSION_LIST)
    assert "def _pleo_list_request(resource):" in after
    assert '    if resource == "accounts":\n        return "POST", {}, {"excludeIfAssigned' in after
    assert '    if resource == "employees":\n        return "GET", {"companyId": os' in after
    assert "    pleo_method, pleo_query, pleo_body = _pleo_list_request(resource)\n" in after
    assert "reply = SESSION.request(pleo_method,\n" in after
    assert 'params={"limit": 50, "after": offset, **pleo_query}' in after
    assert "timeout=20, json=pleo_body," in after
    assert 'rows.extend(payload["data"])' in after
    site, *values = scan(SESSION_LIST)
    assert site.automatic and all(value.automatic for value in values)
    assert {s.operation for s in (site, *values)} == {
        "employees.list", "accounts.list", "expenses.list"
    }


def test_a_public_function_checked_by_its_envelope_table_gets_the_lookup_too() -> None:
    after = rewrite(GUARDED_CLIENT)
    assert "def _pleo_fetch_all_request(resource):" in after
    assert "CLIENT.request(pleo_method, BASE + \"/\" + _NEW_API_RESOURCES[resource]" in after
    assert 'rows.extend(data["data"])' in after


def test_a_call_no_lookup_can_precede_keeps_a_todo_that_says_why() -> None:
    # the request shares its line with another statement: no line can go above it alone
    source = SESSION_LIST.replace(
        "            reply = SESSION.get(", "            pass; reply = SESSION.get("
    )
    after = rewrite(source)
    assert "_pleo_list_request" not in after and "SESSION.get(" in after
    site = scan(source)[0]
    assert not site.automatic
    assert "need different requests" in site.reasons[0].message


def test_scan_names_every_operation_a_url_chosen_in_branches_reaches() -> None:
    site, *others = scan(BRANCHES)
    assert site.operation == "employees.list" and not site.automatic
    assert [(o.operation, o.status, o.line, o.automatic) for o in others] == [
        ("accounts.list", "value", 14, False),
        ("tax-codes.list", "value", 17, False),
    ]
    assert others[0].url == f"branch URL for the call at line {site.line}"


def test_each_branch_gets_its_method_query_and_body_next_to_its_url() -> None:
    after = rewrite(BRANCH_KEYS)
    assert (
        '        url = BASE + "/v1/chart-of-accounts:search"\n'
        '        pleo_method, pleo_query, pleo_body = "POST", {}, {"excludeIfAssigned'
    ) in after
    assert (
        '        url = BASE + "/v2/employees"\n'
        '        pleo_method, pleo_query, pleo_body = "GET", {"companyId": os.environ['
    ) in after
    assert (
        "r = requests.request(pleo_method, url, headers=headers(), "
        'params={"limit": 100, **pleo_query}, json=pleo_body)'
    ) in after
    # the key assigned next to each URL is that branch's envelope: all read `data` now
    assert 'for item in r.json()["data"])' in after
    site, *others = scan(BRANCH_KEYS)
    assert site.automatic and [o.automatic for o in others] == [True, True]
    after = rewrite(BRANCH_FIELDS)
    assert "resp = client.request(pleo_method, endpoint, params=" in after
    assert 'resp.json()["data"]]' in after
    # read with `.get(field, [])`: the same (run above with `[field]`: the harness counts a
    # `.get(…)` call it sees edited as a request site)
    after = rewrite(BRANCH_FIELDS.replace("resp.json()[field]", "resp.json().get(field, [])"))
    assert 'resp.json().get("data", [])' in after


def test_a_key_not_assigned_in_every_branch_alone_holds_the_call() -> None:
    source = BRANCH_KEYS.replace(
        "    r = requests.get(", "    key = key.lower()\n    r = requests.get("
    )
    after = rewrite(source)
    assert "pleo_method" not in after and 'r.json()["data"]' not in after
    assert not scan(source)[0].automatic


def test_a_pleo_key_named_legacy_is_renamed_where_a_settings_object_reads_it() -> None:
    after = rewrite(SETTINGS_KEY)
    assert 'PLEO_API_KEY=os.environ.get("PLEO_API_KEY"),' in after
    assert '"Basic " + base64.b64encode((settings.PLEO_API_KEY + ":")' in after


# --- executed against the simulator ----------------------------------------------------------

RUNS = {
    "dict_lookup": (DICT_LOOKUP, None, (
        Call("employee_email", ("employees.get",), ("@employee",)),
        Call("account_name", ("accounts.get",), ("@account",)),
        Call("describe", ("tax-codes.get",), ("tax-codes", "@tax_code"), name="describe_tax"),
    )),
    "tuple_check": (TUPLE_CHECK, "Ledger", (
        Call("person", ("employees.get",), ("@employee",)),
        Call("account", ("accounts.get",), ("@account",)),
    )),
    "session_list": (SESSION_LIST, "Books", (
        Call("emails", ("employees.list",)),
        Call("account_names", ("accounts.list",)),
        Call("expense_ids", ("expenses.list",)),
    )),
    "guarded_client": (GUARDED_CLIENT, None, (
        Call("all_people", ("employees.list",)),
        Call("all_accounts", ("accounts.list",)),
    )),
    "async_collect": (ASYNC_COLLECT, None, (
        Call("snapshot", ("employees.list", "expenses.list")),
    )),
    "branch_keys": (BRANCH_KEYS, None, (
        Call("dump", ("employees.list",), ("employees",), name="dump_employees"),
        Call("dump", ("accounts.list",), ("accounts",), name="dump_accounts"),
        Call("dump", ("expenses.list",), ("expenses",), name="dump_expenses"),
    )),
    "branch_fields": (BRANCH_FIELDS, None, (
        Call("listing", ("employees.list",), ("people",), name="listing_people"),
        Call("listing", ("accounts.list",), ("ledger",), name="listing_ledger"),
    )),
    "async_branches": (ASYNC_BRANCHES, None, (
        Call("records", ("employees.list",), ("employees",), name="records_employees"),
        Call("records", ("expenses.list",), ("expenses",), name="records_expenses"),
    )),
    "async_set_check": (ASYNC_SET_CHECK, None, (
        Call("vat_name", ("tax-codes.get",), ("@tax_code",)),
        Call("person_email", ("employees.get",), ("@employee",)),
    )),
}


@pytest.mark.slow
def test_the_settings_key_module_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    calls = (Call("expense_id", ("expenses.get",), ("@expense",)),)
    report, done = harness.measure_native(
        simulator, tmp_path, "settings_key", SETTINGS_KEY, calls,
        env={"PLEO_API_KEY_LEGACY": harness.LEGACY_ENV["PLEO_TOKEN"]},
    )
    assert done.verdicts["expense_id"] in harness.WORKING, harness.explain(
        report, "native", "expense_id"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_checked_function_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    catalogue = load_catalogue()
    for call in calls:
        assert not call.has_gap(catalogue)
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label
        )
