"""Paging through request helpers and run-time values, proven by running the code (issue 12).

Small hand-written modules in different styles (a requests Session wrapper and an httpx Client
wrapper sending keywords as the query, an async generator over an AsyncClient helper, a
module-level helper, helpers sending `params=kw or None`, run-time day filters of a search) run as the corpus harness runs them:
the original against the legacy simulator, the native rewrite against the new simulator only.
Each loop asks for pages far smaller than the list, so the rewritten loop must follow the
cursor over many pages to return every record the original returned; a single page of a
run-time size larger than the new maximum must come back whole.
"""

# The modules are written as real client code is, long lines included.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call, CorpusModule
from tests.codemod.helpers import code

pytestmark = pytest.mark.slow

SESSION_KEYWORDS = '''
import os

import requests

API_BASE = "https://openapi.pleo.io/v1"


class PleoSession:
    def __init__(self, token=None):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + (token or os.environ["PLEO_TOKEN"])

    def _get(self, path, **query):
        response = self.session.get(API_BASE + path, params=query, timeout=20)
        response.raise_for_status()
        return response.json()

    def iter_employees(self, batch=100):
        offset = 0
        while True:
            page = self._get("/employees", pageOffset=offset, pageSize=batch)
            yield from page["employees"]
            offset = page.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
            if not offset:
                break
'''

HTTPX_KEYWORDS = '''
import os

import httpx

BASE = "https://openapi.pleo.io/v1"


class Client:
    def __init__(self):
        self.http = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def _fetch(self, endpoint, **params):
        return self.http.get(f"{BASE}{endpoint}", params=params).json()

    def all_employees(self, size):
        rows = []
        cursor = 0
        while cursor is not None:
            data = self._fetch("/employees", pageSize=size, pageOffset=cursor)
            rows += data["employees"]
            cursor = data["metadata"]["pageInfo"]["nextPageOffset"]
        return rows
'''

ASYNC_GENERATOR = '''
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"


class AsyncPleo:
    def __init__(self):
        self.client = httpx.AsyncClient(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    async def _call(self, method, path, **kwargs):
        resp = await self.client.request(method, ROOT + path, **kwargs)
        resp.raise_for_status()
        return resp

    async def employees(self, page_size=25):
        offset = 0
        while True:
            resp = await self._call("GET", "/employees", params={"pageOffset": offset, "pageSize": page_size})
            body = resp.json()
            for employee in body["employees"]:
                yield employee
            offset = body["metadata"]["pageInfo"].get("nextPageOffset")
            if offset is None:
                return
'''

MODULE_HELPER = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"


def _get(path, params=None):
    resp = requests.get(BASE + path, params=params, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
    resp.raise_for_status()
    return resp


def employee_emails(page_size):
    emails, offset = [], 0
    while True:
        resp = _get("/employees", params={"pageSize": page_size, "pageOffset": offset})
        payload = resp.json()
        emails += [e["email"] for e in payload["employees"]]
        offset = payload.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
        if offset is None:
            break
    return emails
'''

DAY_FILTERS = '''
import os

import requests

API = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def expenses_since(since, until=None):
    found, offset = [], 0
    while True:
        r = requests.get(f"{API}/expenses", params={"dateFrom": since, "dateTo": until, "pageOffset": offset, "pageSize": 50}, headers=HEADERS)
        body = r.json()
        found.extend(body["expenses"])
        offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        if offset is None:
            return found
'''

DAY_FILTERS_HTTPX = '''
import os

import httpx

BASE = "https://openapi.pleo.io/v1/"


class Expenses:
    def __init__(self):
        self.client = httpx.Client(base_url=BASE, headers={"Authorization": "Bearer {}".format(os.environ["PLEO_TOKEN"])})

    def _request(self, method, path, **kw):
        response = self.client.request(method, path, **kw)
        response.raise_for_status()
        return response

    def ids_between(self, start, end, page_size=100):
        ids = []
        offset = 0
        while offset is not None:
            page = self._request("GET", "expenses", params={"dateFrom": start, "dateTo": end, "pageOffset": offset, "pageSize": page_size}).json()
            ids += [e["id"] for e in page["expenses"]]
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
        return ids
'''

RELAYED_OFFSET = '''
import os

import httpx

PLEO = "https://openapi.pleo.io/v1"


class People:
    def __init__(self):
        self.http = httpx.Client(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    def _get(self, path, **params):
        response = self.http.get(PLEO + path, params=params)
        response.raise_for_status()
        return response.json()

    def each(self, size=100):
        position = 0
        while True:
            data = self._get("/employees", pageSize=size, pageOffset=position)
            yield from data["employees"]
            following = data.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
            if not following:
                return
            position = following
'''

KEYWORD_PAGE = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"


class Api:
    def __init__(self):
        self.s = requests.Session()
        self.s.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def _get(self, path, **params):
        r = self.s.get(BASE + path, params=params)
        r.raise_for_status()
        return r.json()

    def some_people(self, n):
        return self._get("/employees", pageSize=n)["employees"]
'''

HELD_PAGE_INFO = '''
import os

import requests

API = "https://openapi.pleo.io/v1"
session = requests.Session()
session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def emails(size):
    found = []
    offset = 0
    while offset is not None:
        resp = session.get(API + "/employees", params={"pageOffset": offset, "pageSize": size})
        resp.raise_for_status()
        payload = resp.json()
        found += [e["email"] for e in payload["employees"]]
        info = payload.get("metadata", {}).get("pageInfo", {})
        offset = info.get("nextPageOffset")
    return found
'''

DEFAULTED_STEP = '''
import os

import requests

BASE_URL = "https://openapi.pleo.io/v1/"
session = requests.Session()
session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def employees(page_size=50):
    offset = 0
    while True:
        resp = session.get(BASE_URL + "employees", params={"pageOffset": offset, "pageSize": page_size}, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        yield from body["employees"]
        offset = (body.get("metadata") or {}).get("pageInfo", {}).get("nextPageOffset")
        if offset is None:
            return
'''

RUN_TIME_SIZES = '''
import os

import httpx
import requests

API = "https://openapi.pleo.io/v1"


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def first_expense_ids(size):
    r = requests.get(API + "/expenses", params={"pageSize": size, "pageOffset": 0}, headers=_headers())
    r.raise_for_status()
    return [e["id"] for e in r.json()["expenses"]]


def people_page(limit=25):
    r = httpx.get("{}/employees".format(API), params={"pageSize": limit}, headers=_headers())
    data = r.json()
    return {"people": data["employees"], "total": data["metadata"]["pageInfo"]["totalCount"]}
'''

OR_NONE_FUNCTION = '''
import os

import requests

API = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def _call(path, **query):
    resp = requests.get("{}{}".format(API, path), params=query or None, headers=HEADERS, timeout=30)
    resp.raise_for_status()
    return resp.json()


def all_employees(size=200):
    people, offset = [], 0
    while True:
        page = _call("/employees", pageOffset=offset, pageSize=size)
        people.extend(page["employees"])
        offset = page["metadata"]["pageInfo"].get("nextPageOffset")
        if offset is None:
            return people
'''

OR_NONE_CLIENT = '''
import os

import httpx

BASE_URL = "https://openapi.pleo.io/v1"


class Directory:
    def __init__(self):
        self.client = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def _get(self, endpoint, **kw):
        return self.client.get(f"{BASE_URL}{endpoint}", params=kw or None).json()

    def employees(self, size=100):
        start = 0
        while start is not None:
            body = self._get("/employees", pageOffset=start, pageSize=size)
            yield from body["employees"]
            start = body["metadata"]["pageInfo"]["nextPageOffset"]
'''

PAGE = 2  # records per page asked for: far fewer than the seeded lists
RUNS: dict[str, tuple[str, str | None, Call]] = {
    "session_keywords": (SESSION_KEYWORDS, "PleoSession",
                         Call("iter_employees", ("employees.list",), kwargs={"batch": PAGE})),
    "httpx_keywords": (HTTPX_KEYWORDS, "Client",
                       Call("all_employees", ("employees.list",), (PAGE,))),
    "async_generator": (ASYNC_GENERATOR, "AsyncPleo",
                        Call("employees", ("employees.list",), kwargs={"page_size": PAGE})),
    "relayed_offset": (RELAYED_OFFSET, "People", Call("each", ("employees.list",), kwargs={"size": PAGE})),
    # one page of a run-time size sent as a helper keyword: drained up to that size
    "keyword_page": (KEYWORD_PAGE, "Api", Call("some_people", ("employees.list",), (7,))),
    "held_page_info": (HELD_PAGE_INFO, None, Call("emails", ("employees.list",), (PAGE,))),
    "defaulted_step": (DEFAULTED_STEP, None, Call("employees", ("employees.list",), kwargs={"page_size": PAGE})),
    "module_helper": (MODULE_HELPER, None, Call("employee_emails", ("employees.list",), (PAGE,))),
    "day_filters": (DAY_FILTERS, None,
                    Call("expenses_since", ("expenses.list",), ("2025-06-01", "2025-06-30"))),
    # one page of 150 where the new API allows 100 a page: a loop stopping at 150 records
    "run_time_size_drained": (RUN_TIME_SIZES, None,
                              Call("first_expense_ids", ("expenses.list",), (150,))),
    # a page read with its total: the size capped at the new maximum, the total from pagination
    "run_time_size_capped": (RUN_TIME_SIZES, None,
                             Call("people_page", ("employees.list",), kwargs={"limit": 7})),
    # helpers sending `params=kw or None`: the keywords are the query, the loop follows the cursor
    "or_none_function": (OR_NONE_FUNCTION, None, Call("all_employees", ("employees.list",), (PAGE,))),
    "or_none_client": (OR_NONE_CLIENT, "Directory", Call("employees", ("employees.list",), kwargs={"size": PAGE})),
    "day_filters_httpx": (DAY_FILTERS_HTTPX, "Expenses",
                          Call("ids_between", ("expenses.list",), ("2025-06-01", "2025-06-30"),
                               {"page_size": 7})),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_loop_returns_every_record(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, call = RUNS[name]
    path = tmp_path / f"{name}.py"
    path.write_text(code(source), encoding="utf-8")
    module = CorpusModule(str(path), (call,), {"PLEO_TOKEN": "legacy.token"}, factory=factory)
    report = harness.measure(module, simulator, ("native",), load_catalogue())
    returned: Any = (report.original.outcome(call.label) or {}).get("returned")
    records = returned.get("people") if isinstance(returned, dict) else returned
    assert isinstance(records, list) and len(records) > 3 * PAGE, returned  # a long list
    done = report.strategies["native"]
    todos = [line.strip() for line in done.rewrite.source.splitlines() if TODO in line]
    assert all("PLM109" in line for line in todos), todos  # only the new-shape records note
    assert done.harmful(report.original) == []
    assert done.uncovered == ()
    verdict = done.verdicts[call.label]
    assert verdict in (harness.EQUAL, harness.SHAPE_CHANGED), harness.explain(
        report, "native", call.label
    )


TODO = "# TODO[pleo-migrate"
