"""Native strategy: calls whose records are read through changed fields move (PLM109, issue 12).

The records pass through a generated `_pleo_legacy_<model>` function at the one expression
where they enter the module (`legacy_fields.py`, `read_adapter.py`). Hand-written modules in
three styles (requests functions reading `.get(...) or {}`, a wrapper class with subscripts and
nested `lines`, async httpx) read money in JPY, KWD, DKK and more, enums, timestamps and tax
rates; each is run against both simulators (the original on the legacy API, the rewrite on the
new one only) and must return exactly what it returned before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite, scan

FUNCS = '''
"""Expense figures for the month-end sheet (requests functions, `.get(...) or {}`)."""

import os

import requests

PLEO = "https://openapi.pleo.io/v1"


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def expense_summary(expense_id):
    resp = requests.get(PLEO + "/expenses/" + expense_id, headers=_headers(), timeout=20)
    resp.raise_for_status()
    expense = resp.json()
    original = expense.get("amountOriginal") or {}
    settled = expense.get("amountSettled") or {}
    return {
        "id": expense["id"],
        "original": [original.get("value"), original.get("currency")],
        "settled": [settled.get("value"), settled.get("currency")],
        "type": expense.get("type"),
        "team": expense.get("departmentId"),
        "day": (expense.get("performedAt") or "")[:10],
        "created": (expense.get("createdAt") or "")[:19],
    }


def originals_by_currency(size=100):
    resp = requests.get(f"{PLEO}/expenses", headers=_headers(), params={"pageSize": size})
    resp.raise_for_status()
    sums = {}
    for expense in resp.json().get("expenses", []):
        money = expense.get("amountOriginal") or {}
        key = money.get("currency")
        sums[key] = round(sums.get(key, 0) + (money.get("value") or 0), 3)
    return sums


def types_and_statuses(size=100):
    resp = requests.get(f"{PLEO}/expenses", headers=_headers(), params={"pageSize": size})
    resp.raise_for_status()
    seen = {}
    for expense in resp.json()["expenses"]:
        key = expense["type"] + "/" + expense["status"]
        seen[key] = seen.get(key, 0) + 1
    return seen
'''

WRAPPER = '''
"""A small client class: one request helper, subscripts, split lines."""

import os

import requests

DEFAULT_BASE = "https://openapi.pleo.io/v1"


class PleoLedger:
    def __init__(self, base=None):
        self.base_url = (base or DEFAULT_BASE).rstrip("/")
        self.headers = {"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"}

    def _request(self, method, path, **kw):
        url = f"{self.base_url}{path}"
        resp = requests.request(method, url, headers=self.headers, timeout=30, **kw)
        resp.raise_for_status()
        return resp.json()

    def split_lines(self, page_size=100):
        rows = []
        for e in self._request("GET", "/expenses", params={"pageSize": page_size})["expenses"]:
            for line in e["lines"]:
                amount = line["amountSettled"]
                tags = sorted(t["id"] for t in line["tagIds"])
                rows.append([e["id"], amount["value"], amount["currency"], line["accountId"], tags])
        return rows

    def tax_rate(self, tax_code_id):
        code = self._request("GET", "/tax-codes/" + tax_code_id)
        return {"code": code["code"], "rate": code["rate"]}
'''

ASYNC = '''
"""Async reads with httpx: settled totals and a tax rate."""

import os

import httpx

API = os.getenv("PLEO_API_URL", "https://openapi.pleo.io/v1")


def _client():
    return httpx.AsyncClient(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})


async def settled_totals(limit=100):
    async with _client() as client:
        r = await client.get(f"{API}/expenses", params={"pageSize": limit})
        r.raise_for_status()
        records = r.json()["expenses"]
    totals = {}
    for rec in records:
        amount = rec["amountSettled"]
        totals[amount["currency"]] = totals.get(amount["currency"], 0) + amount["value"]
    return {k: round(v, 3) for k, v in totals.items()}


async def percent(code_id):
    async with _client() as client:
        r = await client.get(API + "/tax-codes/" + code_id)
        r.raise_for_status()
        return r.json()["rate"]
'''

MODULES = {
    "funcs": (
        FUNCS,
        None,
        (
            Call("expense_summary", ("expenses.get",), ("@expense",)),
            Call("expense_summary", ("expenses.get",), ("@expense2",), name="second"),
            Call("originals_by_currency", ("expenses.list",)),
            Call("types_and_statuses", ("expenses.list",)),
        ),
    ),
    "wrapper": (
        WRAPPER,
        "PleoLedger",
        (
            Call("split_lines", ("expenses.list",)),
            Call("tax_rate", ("tax-codes.get",), ("@tax_code",)),
        ),
    ),
    "asyncs": (
        ASYNC,
        None,
        (
            Call("settled_totals", ("expenses.list",)),
            Call("percent", ("tax-codes.get",), ("@tax_code",)),
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_rewritten_module_computes_the_same_values_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = MODULES[name]
    _report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    assert done.verdicts == {call.label: harness.EQUAL for call in calls}
    for call in calls:  # the new API was asked, the legacy one never
        assert done.run.calls[call.label]["requests"]
        assert not done.run.refused(call.label)
    assert "def _pleo_legacy_" in done.rewrite.source
    assert "import migrate" not in done.rewrite.source
    assert "from migrate" not in done.rewrite.source


def test_the_values_cover_the_currencies_whose_exponent_is_not_two(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    """The page the modules read holds JPY and ISK (no decimals) and KWD (three) besides DKK."""
    source, factory, calls = MODULES["funcs"]
    report, _done = harness.measure_native(simulator, tmp_path, "funcs", source, calls, factory)
    sums = report.original.outcome("originals_by_currency")["returned"]  # type: ignore[index]
    assert {"JPY", "KWD", "DKK", "ISK"} <= set(sums)
    assert isinstance(sums["JPY"], int)


# --- what the rewrite writes -----------------------------------------------------------------


def test_a_single_record_is_wrapped_where_its_body_is_read() -> None:
    after = rewrite(FUNCS)
    assert "expense = _pleo_legacy_expense(resp.json()[\"data\"])" in after
    assert "for expense in list(map(_pleo_legacy_expense, resp.json().get(\"data\", []))):" in after
    assert "for expense in list(map(_pleo_legacy_expense, resp.json()[\"data\"])):" in after
    assert after.count("def _pleo_legacy_expense(record):") == 1


def test_records_drained_page_by_page_pass_through_the_function() -> None:
    after = rewrite(WRAPPER)
    assert "records.extend(map(_pleo_legacy_expense, page[\"data\"]))" in after
    assert "def _pleo_legacy_expense_line(record):" in after  # `lines` read through
    assert "def _pleo_legacy_expense_tag(record):" in after  # `tagIds` inside them
    read = '_pleo_legacy_tax_code(self._request("GET", "/v0/tax-codes/" + tax_code_id)["data"])'
    assert f"code = {read}" in after


def test_an_async_read_is_wrapped_after_its_await() -> None:
    after = rewrite(ASYNC)
    assert "records.extend(map(_pleo_legacy_expense, page[\"data\"]))" in after
    assert "return _pleo_legacy_tax_code(r.json()[\"data\"])[\"rate\"]" in after


def test_one_todo_names_the_fields_and_what_to_read_instead() -> None:
    lines = [line.strip() for line in rewrite(ASYNC).splitlines() if "PLM109]" in line]
    todo = "# TODO[pleo-migrate PLM109]: reads rate via _pleo_legacy_tax_code: read rate " + (
        "(a fraction)"
    )
    assert todo in lines
    assert all(len(line) <= 120 for line in lines)
    assert any(
        "reads amountSettled via _pleo_legacy_expense: read totalBillValue (minor units)" in line
        for line in lines
    )


def test_scan_counts_the_moved_calls_as_automatic() -> None:
    assert all(site.automatic for site in scan(FUNCS) if site.label.startswith("expenses."))


# --- a token in an auth object: the calls wait rather than move without it -------------------

HTTPX_AUTH = '''
"""Tag catalogue on an httpx client made once, its token in an Auth object."""

import os

import httpx

ROOT = "https://openapi.pleo.io/v1"


class TokenAuth(httpx.Auth):
    def __init__(self, token):
        self._token = token

    def auth_flow(self, request):
        request.headers["Authorization"] = "Bearer " + self._token
        yield request


class Tags:
    def __init__(self):
        self.http = httpx.Client(auth=TokenAuth(os.environ["PLEO_TOKEN"]), timeout=10)

    def group_names(self):
        r = self.http.get(ROOT + "/tag-groups")
        r.raise_for_status()
        return sorted(g["name"] for g in r.json())

    def values(self, group_id):
        r = self.http.get(f"{ROOT}/tag-groups/{group_id}/tags")
        r.raise_for_status()
        return sorted(v["value"] for t in r.json() for v in t["attributeValues"])
'''

REQUESTS_AUTH = '''
"""Tag values through requests, an AuthBase object made once per reader."""

import os

import requests
from requests.auth import AuthBase

BASE = "https://openapi.pleo.io/v1"


class PleoAuth(AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, req):
        req.headers["Authorization"] = f"Bearer {self.token}"
        return req


class Reader:
    def __init__(self):
        self.auth = PleoAuth(os.environ["PLEO_TOKEN"])

    def group_names(self):
        r = requests.get(BASE + "/tag-groups", auth=PleoAuth(os.environ["PLEO_TOKEN"]))
        r.raise_for_status()
        return sorted(g["name"] for g in r.json())
'''


@pytest.mark.parametrize(
    ("name", "source", "factory", "calls"),
    [
        (
            "httpx_auth",
            HTTPX_AUTH,
            "Tags",
            (
                Call("group_names", ("tag-groups.list",)),
                Call("values", ("tags.list",), ("@tag_group",)),
            ),
        ),
        ("requests_auth", REQUESTS_AUTH, "Reader", (Call("group_names", ("tag-groups.list",)),)),
    ],
)
def test_a_bearer_header_set_by_an_auth_object_keeps_its_calls_waiting(
    simulator: SimulatorHandle,
    tmp_path: Path,
    name: str,
    source: str,
    factory: str,
    calls: tuple[Call, ...],
) -> None:
    """`auth=TokenAuth(token)` whose `auth_flow`/`__call__` sets `Bearer …`: the header is
    Pleo's, so the flows wait for it (PLM105) instead of moving to the new host with the legacy
    scheme (a 401 once the token is gone)."""
    _report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    after = done.rewrite.source
    assert [line for line in after.splitlines() if "# TODO[" not in line] == source.strip(
        "\n"
    ).splitlines()
    assert sum("PLM105]" in line and "waits for line" in line for line in after.splitlines()) == (
        len(calls)
    )


def test_a_second_run_adds_no_second_function() -> None:
    once = rewrite(FUNCS)
    assert rewrite(once) == once
