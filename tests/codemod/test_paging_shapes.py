"""Paging loops in the shapes real clients write them, proven by running the code (issue 12).

One generic paging loop serving several lists (`_records("employees")`, `_records("expenses")`)
whose new operations allow different page maxima: inside the cursor loop every value asks the
smallest of them (the loop reads to the end, so the size changes the number of requests, not
the records), so the call is rewritten once with what differs looked up per value, the lookup
above a query dict built before the loop. A loop that may also stop early keeps its pages'
size or is held with a PLM107 naming the line. Each module runs as the corpus harness runs it:
the original against the legacy simulator, the native rewrite against the new simulator only
and before the cut-over with both credentials.
"""

# The modules are written as real client code is, long lines included.
# ruff: noqa: E501

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call, CorpusModule
from tests.codemod.helpers import code, result_for, rewrite

pytestmark = pytest.mark.slow

# The singer-tap shape: a params dict built before the loop, its offset stored in place, the
# next offset read through `.get(…, {})` steps, `if not next_offset: break`, `yield from`.
REQUESTS_IN_PLACE = '''
import os

import requests

BASE_URL = "https://openapi.pleo.io/v1/"


def _headers():
    return {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", ""), "Accept": "application/json"}


def _records(resource, key, page_size):
    params = {"pageSize": page_size, "pageOffset": 0}
    while True:
        resp = requests.get(BASE_URL + resource, headers=_headers(), params=params, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        yield from body[key]
        next_offset = body.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
        if not next_offset:
            break
        params["pageOffset"] = next_offset


def employees(page_size=500):
    return list(_records("employees", "employees", page_size))


def expenses(page_size=500):
    return list(_records("expenses", "expenses", page_size))
'''

# An httpx client class: the offset in a name tested by the loop, the query written at the call.
HTTPX_CLASS = '''
import os

import httpx

API = "https://openapi.pleo.io/v1"


class Ledger:
    def __init__(self):
        self.http = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def _all(self, path, envelope, size):
        rows = []
        offset = 0
        while offset is not None:
            data = self.http.get(f"{API}/{path}", params={"pageOffset": offset, "pageSize": size}).json()
            rows.extend(data[envelope])
            offset = data["metadata"]["pageInfo"]["nextPageOffset"]
        return rows

    def people(self, size=250):
        return self._all("employees", "employees", size)

    def spend(self, size=250):
        return self._all("expenses", "expenses", size)
'''

# An async generator on an AsyncClient: the cursor kept in a name relayed from the chain.
ASYNC_RELAYED = '''
import os

import httpx

HOST = "https://openapi.pleo.io/v1/"


class AsyncPleo:
    def __init__(self):
        self.client = httpx.AsyncClient(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    async def _each(self, kind, field, per_page):
        query = {"pageOffset": 0, "pageSize": per_page}
        while True:
            resp = await self.client.get("{}{}".format(HOST, kind), params=query)
            resp.raise_for_status()
            payload = resp.json()
            for item in payload[field]:
                yield item
            upcoming = payload["metadata"]["pageInfo"].get("nextPageOffset")
            if upcoming is None:
                break
            query["pageOffset"] = upcoming

    async def employees(self, per_page=100):
        return [item async for item in self._each("employees", "employees", per_page)]

    async def expenses(self, per_page=100):
        return [item async for item in self._each("expenses", "expenses", per_page)]
'''

# An early stop with a page size both APIs keep: the same pages, so the same first records.
EARLY_STOP_KEPT_SIZE = '''
import os

import requests

ROOT = "https://openapi.pleo.io/v1"


def first_people(limit):
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]
    found, offset = [], 0
    while True:
        page = session.get(ROOT + "/employees", params={"pageOffset": offset, "pageSize": 3}).json()
        found.extend(page["employees"])
        if len(found) >= limit:
            break
        offset = page["metadata"]["pageInfo"].get("nextPageOffset")
        if offset is None:
            break
    return found
'''

RUNS: dict[str, tuple[str, str | None, tuple[Call, ...]]] = {
    "requests_in_place": (REQUESTS_IN_PLACE, None, (
        Call("employees", ("employees.list",), (2,)),
        Call("expenses", ("expenses.list",), (7,)),
    )),
    "httpx_class": (HTTPX_CLASS, "Ledger", (
        Call("people", ("employees.list",), (3,)),
        Call("spend", ("expenses.list",), (9,)),
    )),
    "async_relayed": (ASYNC_RELAYED, "AsyncPleo", (
        Call("employees", ("employees.list",), (4,)),
        Call("expenses", ("expenses.list",), (6,)),
    )),
    "early_stop_kept_size": (EARLY_STOP_KEPT_SIZE, None, (
        Call("first_people", ("employees.list",), (7,)),
    )),
}
TODO = "# TODO[pleo-migrate"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_loop_returns_the_same_records(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    path = tmp_path / f"{name}.py"
    path.write_text(code(source), encoding="utf-8")
    module = CorpusModule(str(path), calls, {"PLEO_TOKEN": "legacy.token"}, factory=factory)
    report = harness.measure(module, simulator, ("native",), load_catalogue())
    done = report.strategies["native"]
    todos = [line.strip() for line in done.rewrite.source.splitlines() if TODO in line]
    assert all("PLM109" in line for line in todos), todos  # only the new-shape records note
    assert done.harmful(report.original) == []
    assert done.uncovered == ()
    for call in calls:
        returned = (report.original.outcome(call.label) or {}).get("returned")
        assert isinstance(returned, list) and len(returned) > 3, returned  # several pages
        verdict = done.verdicts[call.label]
        assert verdict in (harness.EQUAL, harness.SHAPE_CHANGED), harness.explain(
            report, "native", call.label
        )
    rewritten = tmp_path / "rewritten" / path.name
    rewritten.parent.mkdir()
    rewritten.write_text(done.rewrite.source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:  # before the cut-over: both credentials set
        both = harness.run_module(rewritten, module, simulator, Path(work), rewritten=True, both=True)
    for call in calls:
        after = (done.run.outcome(call.label) or {}).get("returned")
        assert (both.outcome(call.label) or {}).get("returned") == after, call.label
        hosts = {(r["host"], r["auth"]) for r in both.calls[call.label]["requests"]}
        assert hosts == {("external.pleo.io", "Basic")}, hosts


# Early stops with a page size the rewrite changes: held, the TODO names the stop.
EARLY_STOPS = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def newest(headers, wanted):
            out, offset = [], 0
            while True:
                body = requests.get(f"{BASE}/expenses", params={"pageOffset": offset, "pageSize": 500}, headers=headers).json()
                for expense in body["expenses"]:
                    out.append(expense)
                    if len(out) == wanted:
                        return out
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    return out
        """,
        13,
        id="a return inside a for in a requests loop of 500 a page",
    ),
    pytest.param(
        """
        import httpx

        STREAMS = {"employees": True, "tags": False}


        def sync(client: httpx.Client, size):
            params = {"pageSize": size, "pageOffset": 0}
            while True:
                resp = client.get("https://openapi.pleo.io/v1/employees", params=params)
                yield from resp.json()["employees"]
                if not STREAMS["employees"]:
                    break
                nxt = resp.json().get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
                if not nxt:
                    break
                params["pageOffset"] = nxt
        """,
        12,
        id="a flag's break in an httpx generator of a run-time size",
    ),
]


@pytest.mark.parametrize(("source", "line"), EARLY_STOPS)
def test_an_early_stop_with_a_changed_page_size_is_held(source: str, line: int) -> None:
    result = result_for(source)
    assert result is not None
    messages = [todo.message for todo in result.todos if todo.rule == "PLM107"]
    assert any(f"may also stop at line {line} before the last page" in m for m in messages), (
        result.todos
    )
    assert "nextPageOffset" in rewrite(source)  # the loop itself is left as it was


# One call for a list the legacy API returned whole and lists it paged: held, the TODO names it.
WHOLE_AMONG_PAGED = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def dump(kind, headers):
            if kind == "people":
                url = BASE + "/employees"
            elif kind == "codes":
                url = BASE + "/tax-codes"
            else:
                raise ValueError(kind)
            r = requests.get(url, headers=headers, params={"pageSize": 100})
            return r.json()
        """,
        "employees.list",
        id="a URL chosen in branches, requests",
    ),
    pytest.param(
        """
        import httpx

        ROOT = "https://openapi.pleo.io/v1/"


        def listing(client: httpx.Client, what):
            if what == "codes":
                url = f"{ROOT}tax-codes"
            else:
                url = f"{ROOT}accounts"
            reply = client.get(url, params={"pageSize": 50})
            reply.raise_for_status()
            return reply.json()
        """,
        "accounts.list",
        id="if/else URLs in f-strings, httpx",
    ),
]


@pytest.mark.parametrize(("source", "paged"), WHOLE_AMONG_PAGED)
def test_a_whole_list_sharing_a_call_with_paged_ones_is_named(source: str, paged: str) -> None:
    result = result_for(source)
    assert result is not None
    messages = [todo.message for todo in result.todos if todo.rule == "PLM107"]
    assert any(
        m.startswith("tax-codes.list came whole from the legacy call") and paged in m
        for m in messages
    ), result.todos
