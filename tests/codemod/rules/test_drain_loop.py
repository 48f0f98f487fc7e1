"""PLM011 drain_loop: a legacy list that returned every record becomes a loop over all pages.

The tables show the text; the execution tests run each rewritten shape against a fake new API
that answers in three pages (every record comes back, the first request sends no cursor, the
limit is within the operation's maximum), and the corpus wrapper against the simulator.
"""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import types
from typing import Any

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import by_name
from tests.codemod.helpers import check, code, rewrite, scan

CASES = [
    pytest.param(
        """
        import requests


        def tax_codes():
            return requests.get("https://openapi.pleo.io/v1/tax-codes", timeout=10).json()["taxCodes"]
        """,
        """
        import requests
        import os


        def tax_codes():
            # TODO[pleo-migrate PLM109]: tax-codes.list: returns new-API records: callers reading `rate` … must change
            records, after = [], None
            while True:
                page = requests.post("https://external.pleo.io/v0/tax-codes:search", timeout=10, params={"company_id": os.environ["PLEO_COMPANY_ID"], "limit": 1000, **({"after": after} if after else {})}, json={}).json()
                records.extend(page["data"])
                if not page["pagination"]["hasNextPage"]:
                    break
                after = page["pagination"]["endCursor"]
            return records
        """,
        id="return <call>.json()[key]",
    ),
    pytest.param(
        """
        import requests


        def tax_codes(headers):
            r = requests.get("https://openapi.pleo.io/v1/tax-codes", headers=headers)
            r.raise_for_status()
            return r.json()["taxCodes"]
        """,
        """
        import requests
        import os


        def tax_codes(headers):
            # TODO[pleo-migrate PLM109]: tax-codes.list: returns new-API records: callers reading `rate` … must change
            records, after = [], None
            while True:
                r = requests.post("https://external.pleo.io/v0/tax-codes:search", headers=headers, params={"company_id": os.environ["PLEO_COMPANY_ID"], "limit": 1000, **({"after": after} if after else {})}, json={})
                r.raise_for_status()
                page = r.json()
                records.extend(page["data"])
                if not page["pagination"]["hasNextPage"]:
                    break
                after = page["pagination"]["endCursor"]
            return records
        """,
        id="r = <call>; r.raise_for_status(); return r.json()[key]",
    ),
    pytest.param(
        """
        import requests


        def tax_code_ids():
            codes = requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]
            return [c["id"] for c in codes]
        """,
        """
        import requests
        import os


        def tax_code_ids():
            codes, after = [], None
            while True:
                page = requests.post("https://external.pleo.io/v0/tax-codes:search", params={"company_id": os.environ["PLEO_COMPANY_ID"], "limit": 1000, **({"after": after} if after else {})}, json={}).json()
                codes.extend(page["data"])
                if not page["pagination"]["hasNextPage"]:
                    break
                after = page["pagination"]["endCursor"]
            return [c["id"] for c in codes]
        """,
        id="x = <call>.json()[key]: the records go to x",
    ),
    pytest.param(
        """
        import requests


        def tax_code_names():
            return sorted(code["name"] for code in requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"])
        """,
        """
        import requests
        import os


        def tax_code_names():
            records, after = [], None
            while True:
                page = requests.post("https://external.pleo.io/v0/tax-codes:search", params={"company_id": os.environ["PLEO_COMPANY_ID"], "limit": 1000, **({"after": after} if after else {})}, json={}).json()
                records.extend(page["data"])
                if not page["pagination"]["hasNextPage"]:
                    break
                after = page["pagination"]["endCursor"]
            return sorted(code["name"] for code in records)
        """,
        id="the records handed on once, first thing: sorted(… for … in <records>)",
    ),
    pytest.param(
        """
        import requests


        def expense_ids(headers):
            r = requests.get("https://openapi.pleo.io/v1/expenses", headers=headers, params={"pageSize": 250, "pageOffset": 0})
            r.raise_for_status()
            for expense in r.json()["expenses"]:
                yield expense["id"]
        """,
        """
        import requests
        import os


        def expense_ids(headers):
            records, after = [], None
            while True:
                r = requests.post("https://external.pleo.io/v1/accounting-entries:search", headers=headers, params={"limit": min(100, 250 - len(records)), "company_id": os.environ["PLEO_COMPANY_ID"], **({"after": after} if after else {})}, json={"includeDeleted": True})
                r.raise_for_status()
                page = r.json()
                records.extend(page["data"])
                if not page["pagination"]["hasNextPage"] or len(records) >= 250:
                    break
                after = page["pagination"]["endCursor"]
            for expense in records:
                yield expense["id"]
        """,
        id="one page of 250 where the new API allows 100: a loop that stops at 250",
    ),
    pytest.param(
        """
        import requests


        def expense_ids(headers, size):
            r = requests.get("https://openapi.pleo.io/v1/expenses", headers=headers, params={"pageSize": size, "pageOffset": 0})
            r.raise_for_status()
            for expense in r.json()["expenses"]:
                yield expense["id"]
        """,
        """
        import requests
        import os


        def expense_ids(headers, size):
            records, after = [], None
            while True:
                r = requests.post("https://external.pleo.io/v1/accounting-entries:search", headers=headers, params={"limit": min(100, size - len(records)), "company_id": os.environ["PLEO_COMPANY_ID"], **({"after": after} if after else {})}, json={"includeDeleted": True})
                r.raise_for_status()
                page = r.json()
                records.extend(page["data"])
                if not page["pagination"]["hasNextPage"] or len(records) >= size:
                    break
                after = page["pagination"]["endCursor"]
            for expense in records:
                yield expense["id"]
        """,
        id='one page of a run-time size (a parameter): a loop that stops at that many records',
    ),
    pytest.param(
        """
        import httpx


        class Ledger:
            def __init__(self, client, page_size=25):
                self.client = client
                self.page_size = page_size

            def recent_expenses(self):
                expenses = self.client.get("https://openapi.pleo.io/v1/expenses", params={"pageSize": self.page_size}).json()["expenses"]
                return expenses
        """,
        """
        import httpx
        import os


        class Ledger:
            def __init__(self, client, page_size=25):
                self.client = client
                self.page_size = page_size

            def recent_expenses(self):
                # TODO[pleo-migrate PLM109]: expenses.list: returns new-API records: callers reading `performedAt` … must change
                expenses, after = [], None
                while True:
                    page = self.client.post("https://external.pleo.io/v1/accounting-entries:search", params={"limit": min(100, self.page_size - len(expenses)), "company_id": os.environ["PLEO_COMPANY_ID"], **({"after": after} if after else {})}, json={"includeDeleted": True}).json()
                    expenses.extend(page["data"])
                    if not page["pagination"]["hasNextPage"] or len(expenses) >= self.page_size:
                        break
                    after = page["pagination"]["endCursor"]
                return expenses
        """,
        id='one page of a run-time size (an attribute) on an httpx client: the same loop',
    ),
    pytest.param(
        """
        import requests


        def tax_codes():
            return {"all": requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]}
        """,
        """
        import requests


        def tax_codes():
            # TODO[pleo-migrate PLM107]: the legacy call returned every record (developers.pleo.io/reference/pleo-deprecated)
            return {"all": requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]}
        """,
        id="not handled: the records inside a dict display stay PLM107",
    ),
    pytest.param(
        """
        import requests


        def tax_codes():
            r = requests.get("https://openapi.pleo.io/v1/tax-codes")
            print(r.status_code)
            return r.json()["taxCodes"]
        """,
        """
        import requests


        def tax_codes():
            # TODO[pleo-migrate PLM107]: the legacy call returned every record (developers.pleo.io/reference/pleo-deprecated)
            r = requests.get("https://openapi.pleo.io/v1/tax-codes")
            print(r.status_code)
            return r.json()["taxCodes"]
        """,
        id="not handled: another statement between the call and the read stays PLM107",
    ),
    pytest.param(
        """
        import requests


        def tags(group_id):
            return requests.get(f"https://openapi.pleo.io/v1/tag-groups/{group_id}/tags").json()
        """,
        """
        import requests


        def tags(group_id):
            # TODO[pleo-migrate PLM107]: the legacy call returned every record (developers.pleo.io/reference/pleo-deprecated)
            return requests.get(f"https://openapi.pleo.io/v1/tag-groups/{group_id}/tags").json()
        """,
        id="not handled: the legacy list left out hidden tags, the new one filters in code",
    ),
]

# Kept out of the tables test_safety runs with every `--skip`: with `--skip PLM001` a call
# through a request helper moves to its new path on the legacy base, and a second run reports
# that path as PLM101 (a finder limitation of every operation with a key read, not of PLM011).
HELPER_CASES = [
    pytest.param(
        """
        import requests


        class Client:
            def __init__(self, base="https://openapi.pleo.io/v1"):
                self.base = base

            def _request(self, method, path, **kw):
                r = requests.request(method, self.base + path, **kw)
                r.raise_for_status()
                return r.json()

            def tax_codes(self):
                page = 1
                return self._request("GET", "/tax-codes")["taxCodes"]
        """,
        """
        import requests
        import os


        class Client:
            def __init__(self, base="https://external.pleo.io"):
                self.base = base

            def _request(self, method, path, **kw):
                r = requests.request(method, self.base + path, **kw)
                r.raise_for_status()
                return r.json()

            def tax_codes(self):
                page = 1
                # TODO[pleo-migrate PLM109]: tax-codes.list: returns new-API records: callers reading `rate` … must change
                records, after = [], None
                while True:
                    page2 = self._request("POST", "/v0/tax-codes:search", params={"company_id": os.environ["PLEO_COMPANY_ID"], "limit": 1000, **({"after": after} if after else {})}, json={})
                    records.extend(page2["data"])
                    if not page2["pagination"]["hasNextPage"]:
                        break
                    after = page2["pagination"]["endCursor"]
                return records
        """,
        id="the wrapper helper returns the body; a name already taken gets a number",
    ),
]
ALL_CASES = CASES + HELPER_CASES


@pytest.mark.parametrize(("before", "after"), ALL_CASES)
def test_drain_loop(before: str, after: str | None) -> None:
    check(before, after, None)


@pytest.mark.parametrize(("before", "after"), ALL_CASES)
def test_scan_agrees_and_a_second_run_finds_nothing(before: str, after: str) -> None:
    looped = "while True:" in after
    sites = [site for site in scan(before) if site.operation in ("tax-codes.list", "tags.list", "expenses.list")]
    assert [not site.reasons for site in sites] == [looped]
    if looped:
        assert rewrite(after) == code(after)


# --- the rewritten code, run against a fake new API of three pages ---------------------------


class _Answer:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.raised = False

    def raise_for_status(self) -> None:
        self.raised = True

    def json(self) -> dict[str, Any]:
        return self.body


class FakeNewApi:
    """`requests.post` / `requests.request` of a new API's `:search` list of `total` records,
    at most `page_size` a page (and never more than the `limit` asked)."""

    def __init__(self, total: int, page_size: int) -> None:
        self.total, self.page_size = total, page_size
        self.sent: list[dict[str, Any]] = []
        self.answers: list[_Answer] = []

    def post(self, url: str, **kw: Any) -> _Answer:
        return self.request("POST", url, **kw)

    def request(self, method: str, url: str, **kw: Any) -> _Answer:
        assert method == "POST" and url.endswith(":search"), (method, url)
        params = dict(kw.get("params") or {})
        self.sent.append({"params": params, "headers": kw.get("headers"), "timeout": kw.get("timeout")})
        start = int(params["after"].removeprefix("cursor-")) if "after" in params else 0
        end = min(start + min(self.page_size, int(params["limit"])), self.total)
        more = end < self.total
        pagination = {"hasNextPage": more, "endCursor": f"cursor-{end}" if more else None}
        answer = _Answer({"data": [{"id": f"r{i}", "name": f"n{i}"} for i in range(start, end)],
                          "pagination": pagination})
        self.answers.append(answer)
        return answer


def _run(source: str, call: str, fake: FakeNewApi, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PLEO_COMPANY_ID", "company-1")
    namespace: dict[str, Any] = {}
    text = rewrite(source).replace("import requests\n", "")
    namespace["requests"] = types.SimpleNamespace(post=fake.post, request=fake.request)
    exec(compile(text, "rewritten.py", "exec"), namespace)
    return eval(call, namespace)


_IDS = [f"r{i}" for i in range(5)]


@pytest.mark.parametrize(
    ("index", "call", "expected"),
    [
        (0, "tax_codes()", [{"id": i, "name": "n" + i[1:]} for i in _IDS]),
        (1, "tax_codes({'X-Trace': '1'})", [{"id": i, "name": "n" + i[1:]} for i in _IDS]),
        (2, "tax_code_ids()", _IDS),
        (-1, "Client().tax_codes()", [{"id": i, "name": "n" + i[1:]} for i in _IDS]),
        (3, "tax_code_names()", ["n" + i[1:] for i in _IDS]),
    ],
    ids=["return-json-key", "raise-for-status", "assigned", "wrapper-helper", "sorted-genexp"],
)
def test_the_loop_returns_every_page(
    index: int, call: str, expected: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeNewApi(total=5, page_size=2)
    got = _run(str(ALL_CASES[index].values[0]), call, fake, monkeypatch)
    assert got == expected
    assert [sent["params"].get("after") for sent in fake.sent] == [None, "cursor-2", "cursor-4"]
    assert all(sent["params"]["limit"] == 1000 for sent in fake.sent)  # the planner's maximum
    assert all(sent["params"]["company_id"] == "company-1" for sent in fake.sent)
    if index == 0:
        assert all(sent["timeout"] == 10 for sent in fake.sent)
    if index == 1:
        assert all(sent["headers"] == {"X-Trace": "1"} for sent in fake.sent)
        assert all(answer.raised for answer in fake.answers)


def test_a_page_above_the_new_maximum_gathers_exactly_that_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeNewApi(total=300, page_size=100)
    got = _run(str(CASES[4].values[0]), "list(expense_ids({}))", fake, monkeypatch)
    assert got == [f"r{i}" for i in range(250)]  # the legacy page: the first 250
    assert [sent["params"]["limit"] for sent in fake.sent] == [100, 100, 50]  # never above 100
    assert [sent["params"].get("after") for sent in fake.sent] == [None, "cursor-100", "cursor-200"]
    assert all(answer.raised for answer in fake.answers)


@pytest.mark.slow
def test_the_corpus_wrapper_lists_every_tax_code_on_the_simulator(
    simulator: SimulatorHandle,
) -> None:
    report = harness.measure(by_name("wrapper_requests"), simulator, strategies=("native",))
    native = report.strategies["native"]
    assert "while True:" in native.rewrite.source and "tax-codes:search" in native.rewrite.source
    assert native.verdicts["list_tax_codes"] in (harness.EQUAL, harness.SHAPE_CHANGED)
    assert not native.harmful(report.original)


def test_without_the_loop_rule_the_call_does_not_move() -> None:
    """`--only PLM003` must not turn a whole list into its first page."""
    before = str(CASES[0].values[0])
    assert rewrite(before, ["PLM003", "PLM007"]) == code(before)
    assert "while True:" in rewrite(before, ["PLM003", "PLM007", "PLM011"])


RECEIPTS = '''
import requests

BASE = "https://openapi.pleo.io/v1"


def receipt_count(expense_id):
    r = requests.get(f"{BASE}/expenses/{expense_id}/receipts", timeout=5)
    r.raise_for_status()
    return len(r.json())
'''


class FakeReceipts(FakeNewApi):
    """The same pages for a GET list (the cursor in the query, as for searches)."""

    def get(self, url: str, **kw: Any) -> _Answer:
        assert url.endswith("/v1/accounting-entries/e-1/receipts"), url
        return self.request("POST", url + ":search", **kw)


def test_a_bare_legacy_list_handed_on_becomes_the_list_of_every_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shipped catalogue's receipts: a bare legacy array, a GET list of pages of 100."""
    from migrate.codemod.file_results import Job
    from migrate.codemod.one_file import process_bytes
    from migrate.codemod.registry import select

    result = process_bytes("r.py", code(RECEIPTS).encode(), Job("diff", "native", select("native")))
    assert result is not None and result.new_bytes is not None, result
    after = result.new_bytes.decode()
    assert "    return len(records)\n" in after
    assert "TODO[pleo-migrate PLM107]" not in after
    fake = FakeReceipts(total=5, page_size=2)
    namespace: dict[str, Any] = {"requests": types.SimpleNamespace(get=fake.get)}
    exec(compile(after.replace("import requests\n", ""), "r.py", "exec"), namespace)
    assert namespace["receipt_count"]("e-1") == 5
    assert [sent["params"].get("after") for sent in fake.sent] == [None, "cursor-2", "cursor-4"]
    assert all(sent["params"]["limit"] == 100 for sent in fake.sent)  # the spec's maximum
    assert all(sent["params"]["file_type"] == "ORIGINAL" for sent in fake.sent)
    assert all(sent["timeout"] == 5 for sent in fake.sent)


def test_without_the_loop_rule_a_page_above_the_maximum_does_not_move() -> None:
    """`--skip PLM011` must not send `limit=250` where the new API allows 100."""
    before = str(CASES[4].values[0])
    assert rewrite(before, ["PLM002", "PLM003", "PLM004", "PLM005", "PLM007"]) == code(before)
