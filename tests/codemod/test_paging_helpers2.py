"""Whole lists and oversized pages read through a body held in a name, proven by running the
code (issue 12, PLM011).

Real clients keep the parsed body in a name and read the records in the next statement
(`data = client.get(…).json()` then `return sorted(e["id"] for e in data["expenses"])`), read
them with `.get("expenses", [])` or `.get("expenses") or []`, or yield them from a generator,
often
with the query in a dict assigned just before (`params = {…, "pageSize": 250}`). The legacy API
answered with every record (or with 250 records a page); the new one pages (at most 100
accounting entries a page), so the rewrite must loop over the pages to return the same records,
and the held query dict, which now carries the cursor and the remaining size, must be built in
the loop. Four modules in different styles (requests functions, an httpx Client with a
`base_url`, an httpx AsyncClient, a requests Session class reading with `.get`) run as the corpus harness runs them: the original against
the legacy simulator, the native rewrite against the new simulator only.
"""

# The modules are written as real client code is, long lines included.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite

pytestmark = pytest.mark.slow
TODO = "# TODO[pleo-migrate"

REQUESTS_FUNCTIONS = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def tax_code_names():
    data = requests.get(BASE + "/tax-codes", headers=HEADERS, timeout=10).json()
    return sorted(t["name"] for t in data["taxCodes"])


def each_tax_code():
    body = requests.get(BASE + "/tax-codes", headers=HEADERS, timeout=10).json()
    yield from body["taxCodes"]


def first_expense_ids():
    params = {"pageSize": 250, "pageOffset": 0}
    data = requests.get(BASE + "/expenses", headers=HEADERS, params=params).json()
    return [e["id"] for e in data["expenses"]]
'''

HTTPX_BASE_URL = '''
import os

import httpx


class Reader:
    def __init__(self):
        self._client = httpx.Client(
            base_url="https://openapi.pleo.io/v1",
            headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"},
            timeout=10,
        )

    def expense_ids(self):
        params = {"pageSize": 250}
        data = self._client.get("/expenses", params=params).json()
        return sorted(e["id"] for e in data["expenses"])

    def emails(self):
        query = {"pageSize": 300}
        resp = self._client.get("/employees", params=query)
        resp.raise_for_status()
        body = resp.json()
        return [person["email"] for person in body["employees"]]
'''

ASYNC_CLIENT = '''
import os

import httpx

API = "https://openapi.pleo.io/v1"


def _headers():
    return {"Authorization": "Bearer {}".format(os.environ["PLEO_TOKEN"])}


async def expense_ids(size):
    async with httpx.AsyncClient(headers=_headers()) as client:
        q = {"pageSize": size}
        r = await client.get("{}/expenses".format(API), params=q)
        r.raise_for_status()
        payload = r.json()
        ids = [e["id"] for e in payload["expenses"]]
    return ids


async def tax_codes():
    async with httpx.AsyncClient(headers=_headers()) as client:
        body = (await client.get(API + "/tax-codes")).json()
        codes = body["taxCodes"]
    return sorted(c["code"] for c in codes)
'''

GET_READS = '''
import os

import requests

API_ROOT = os.getenv("PLEO_URL", "https://openapi.pleo.io/v1")


class Ledger:
    def __init__(self):
        self.session = requests.Session()
        self.session.headers.update({"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    def codes(self):
        resp = self.session.get(f"{API_ROOT}/tax-codes", timeout=30)
        resp.raise_for_status()
        return [c["id"] for c in resp.json().get("taxCodes") or []]

    def recent(self):
        payload = self.session.get(API_ROOT + "/expenses", params={"pageSize": 150}).json()
        return [e["id"] for e in payload.get("expenses", [])]
'''

RUNS: dict[str, tuple[str, str | None, tuple[Call, ...]]] = {
    "get_reads": (GET_READS, "Ledger", (
        Call("codes", ("tax-codes.list",)),
        Call("recent", ("expenses.list",)),
    )),
    "requests_functions": (REQUESTS_FUNCTIONS, None, (
        Call("tax_code_names", ("tax-codes.list",)),
        Call("each_tax_code", ("tax-codes.list",)),
        Call("first_expense_ids", ("expenses.list",)),
    )),
    "httpx_base_url": (HTTPX_BASE_URL, "Reader", (
        Call("expense_ids", ("expenses.list",)),
        Call("emails", ("employees.list",)),
    )),
    "async_client": (ASYNC_CLIENT, None, (
        Call("expense_ids", ("expenses.list",), (230,)),
        Call("tax_codes", ("tax-codes.list",)),
    )),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_body_held_in_a_name_is_drained_to_the_same_records(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        returned = (report.original.outcome(call.label) or {}).get("returned")
        assert isinstance(returned, list) and returned, returned
        verdict = done.verdicts[call.label]
        assert verdict in harness.WORKING, harness.explain(report, "native", call.label)
    todos = [line.strip() for line in done.rewrite.source.splitlines() if TODO in line]
    assert not [line for line in todos if "PLM107" in line], todos
    assert "while True:" in done.rewrite.source


def test_the_oversized_page_asks_for_no_more_than_the_new_maximum() -> None:
    """250 records where the new API gives 100 a page: the loop asks for what is still
    wanted, capped at the maximum, and the held dict is built in the loop (it reads the
    records gathered so far and the cursor)."""
    out = rewrite(REQUESTS_FUNCTIONS)
    loop = out[out.index("def first_expense_ids"):]
    assert loop.index("while True:") < loop.index("params = {")
    assert '"limit": min(100, 250 - len(records))' in loop


HELD_FAR_AWAY = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def expense_ids():
    params = {"pageSize": 250}
    print("fetching")
    return [e["id"] for e in requests.get(BASE + "/expenses", headers=HEADERS, params=params).json()["expenses"]]


def held_twice():
    data = requests.get(BASE + "/tax-codes", headers=HEADERS).json()
    print(len(data))
    return [t["id"] for t in data["taxCodes"]]
'''


def test_a_held_query_or_body_that_cannot_move_into_the_loop_keeps_its_todo() -> None:
    """The dict assigned two statements before the call would be built once, before the
    cursor exists (it used to be edited there: a NameError); a body read twice cannot be
    replaced by the list of records: both keep PLM107, and nothing else changes."""
    out = rewrite(HELD_FAR_AWAY)
    assert "while True:" not in out
    assert "len(records)" not in out
    todos = [line.strip() for line in out.splitlines() if "PLM107" in line]
    assert len(todos) == 2, out


PAGING_HELPER_CLASS = '''
import os

import requests


class Etl:
    base = "https://openapi.pleo.io/v1"

    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def _paginate(self, path, key, params=None):
        query = dict(params or {})
        offset = 0
        while True:
            query["pageOffset"] = offset
            resp = self.session.get(self.base + path, params=query)
            payload = resp.json()
            yield from payload.get(key, [])
            offset = (payload.get("metadata") or {}).get("pageInfo", {}).get("nextPageOffset")
            if not offset:
                break

    def people(self):
        return list(self._paginate("/employees", "employees"))
'''

PAGING_HELPER_FUNCTION = '''
import os

import httpx

API = "https://openapi.pleo.io/v1/"


def _all(resource, key, size=100):
    rows, offset = [], 0
    while offset is not None:
        r = httpx.get(API + resource, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]},
                      params={"pageOffset": offset, "pageSize": size})
        page = r.json()
        rows.extend(page[key])
        offset = page["metadata"]["pageInfo"].get("nextPageOffset")
    return rows


def _one(path, key):
    return httpx.get(API + path, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}).json()[key]


def people():
    return _all("employees", "employees", 50)


def codes():
    return _one("tax-codes", "taxCodes")
'''


@pytest.mark.slow
def test_module_helpers_given_the_envelope_key_by_each_caller_move_and_keep_their_records(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    """Module functions whose callers pass the path and the key (`_all("employees",
    "employees", 50)`, `_one("tax-codes", "taxCodes")`) are generic requests: each caller's
    value maps the path (a table), the key becomes `data` and the paging the cursor loop."""
    calls = (Call("people", ("employees.list",)), Call("codes", ("tax-codes.list",)))
    report, done = harness.measure_native(
        simulator, tmp_path, "module_helpers", PAGING_HELPER_FUNCTION, calls
    )
    assert "openapi.pleo.io" not in done.rewrite.source
    for call in calls:
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label)


@pytest.mark.parametrize("source", [PAGING_HELPER_CLASS])
def test_a_paging_helper_given_the_envelope_key_is_left_to_a_human_saying_why(source: str) -> None:
    """A method that pages on `nextPageOffset` itself, given the envelope key and a query its
    callers build, is not rewritten: its request carries the TODOs that say why (a query built
    at run time, the legacy paging), never "more arguments by position"."""
    out = rewrite(source)
    todos = [line.strip() for line in out.splitlines() if "TODO[pleo-migrate" in line]
    assert any("PLM107" in t and "nextPageOffset" in t for t in todos), out
    assert not any("more arguments by position" in t for t in todos), todos
    assert "/v2/employees" not in out and "openapi.pleo.io" in out
