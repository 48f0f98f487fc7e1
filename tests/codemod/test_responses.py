"""What a response really is: reads attributed to the call whose records they read, a name
reused for two responses, responses gathered and checked, a declared loss only copied.

Each hand-made module is run as the corpus harness runs one: the original against the legacy
simulator, the native rewrite against the new one only (legacy token unset), and the rewrite
again before the cut-over with both credentials; one subprocess per module and run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from migrate.codemod import Job
from migrate.codemod.one_file import process_bytes
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, scan

TODO = "# TODO[pleo-migrate"

# --- reads attributed to their own response ------------------------------------------------

# requests functions, a command with two branches: only `show` reads `role`, which the new
# API does not have; `list` reads `email` and moves
BRANCHES = '''
import os

import requests

API = "https://openapi.pleo.io/v1"


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def employees(action, employee_id=None, limit=10):
    if action == "show":
        r = requests.get(f"{API}/employees/{employee_id}", headers=_headers())
        r.raise_for_status()
        person = r.json()
        return {"email": person["email"], "admin": person.get("role") == "owner"}
    r = requests.get(API + "/employees", params={"pageSize": limit}, headers=_headers())
    r.raise_for_status()
    return sorted(p["email"] for p in r.json()["employees"])


def tax_code_names():
    resp = requests.get(API + "/tax-codes", headers=_headers())
    resp.raise_for_status()
    return sorted(t["name"] for t in resp.json()["taxCodes"])
'''

# an httpx client class: the records go to a private helper one function away, and a private
# method hands its records to the public one, which reads them
ONE_AWAY = '''
import os

import httpx


def _row(person):
    return (person["id"], person["email"])


class Directory:
    def __init__(self):
        self.client = httpx.Client(
            headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"}, timeout=10
        )

    def _people(self, size):
        response = self.client.get(
            "https://openapi.pleo.io/v1/employees", params={"pageSize": size}
        )
        response.raise_for_status()
        return response.json()["employees"]

    def rows(self, size=5):
        return sorted(_row(each) for each in self._people(size))

    def first_names(self, size=5):
        return sorted(p.get("firstName") for p in self._people(size))

    def role_of(self, employee_id):
        response = self.client.get(f"https://openapi.pleo.io/v1/employees/{employee_id}")
        response.raise_for_status()
        return response.json()["role"]
'''

# httpx functions and a dataclass built by a class method and a static method; the `role`
# compared in another function holds only that call
FROM_API = '''
import os
from dataclasses import dataclass

import httpx

API = "https://openapi.pleo.io/v1"


def _auth():
    return {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


@dataclass(frozen=True)
class Person:
    id: str
    email: str

    @classmethod
    def from_api(cls, raw):
        return cls(raw["id"], raw["email"])

    @staticmethod
    def label(raw):
        return raw["firstName"] + " " + raw["lastName"]


def people():
    r = httpx.get(API + "/employees", params={"pageSize": 20}, headers=_auth())
    return sorted(Person.from_api(e).email for e in r.json()["employees"])


def labels():
    r = httpx.get(API + "/employees", params={"pageSize": 20}, headers=_auth())
    return sorted(Person.label(e) for e in r.json()["employees"])


def is_owner(employee_id):
    r = httpx.get(f"{API}/employees/{employee_id}", headers=_auth())
    return r.json()["role"] == "owner"
'''

# requests functions: records collected into lists (`extend`, `append`) and read there;
# another function compares the `role` of its own record, which holds only that call
COLLECTED = '''
import os

import requests

API = "https://openapi.pleo.io/v1"
AUTH = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def emails():
    found = []
    r = requests.get(API + "/employees", params={"pageSize": 50}, headers=AUTH)
    found.extend(r.json()["employees"])
    return sorted(e["email"] for e in found)


def first_names():
    names = []
    r = requests.get(API + "/employees", params={"pageSize": 50}, headers=AUTH)
    for e in r.json()["employees"]:
        names.append(e)
    return sorted(x["firstName"] for x in names)


def is_owner(employee_id):
    r = requests.get(f"{API}/employees/{employee_id}", headers=AUTH)
    return r.json()["role"] == "owner"
'''

# --- one name for two responses ----------------------------------------------------------

# requests functions: `r` is the employees page, then the tax code
REUSED = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def summary(tax_code_id):
    r = requests.get(BASE + "/employees", params={"pageSize": 5}, headers=HEADERS)
    r.raise_for_status()
    emails = sorted(e["email"] for e in r.json()["employees"])
    r = requests.get(BASE + "/tax-codes/" + tax_code_id, headers=HEADERS)
    r.raise_for_status()
    return emails, r.json()["name"]
'''

# an httpx AsyncClient; `resp` and `body` are each assigned twice
REUSED_ASYNC = '''
import asyncio
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"


async def _both(employee_id, account_id):
    token = os.environ["PLEO_TOKEN"]
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        resp = await client.get(f"{ROOT}/employees/{employee_id}")
        resp.raise_for_status()
        body = resp.json()
        email = body["email"]
        resp = await client.get(f"{ROOT}/accounts/{account_id}")
        resp.raise_for_status()
        body = resp.json()
        return email, body["name"]


def both(employee_id, account_id):
    return asyncio.run(_both(employee_id, account_id))
'''

# --- responses gathered, then checked ----------------------------------------------------

GATHERED = '''
import asyncio
import os

import httpx

PLEO = "https://openapi.pleo.io/v1"


async def _pair(employee_id, tax_code_id):
    headers = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}
    async with httpx.AsyncClient(headers=headers, timeout=20) as client:
        person, code = await asyncio.gather(
            client.get(f"{PLEO}/employees/{employee_id}"),
            client.get(PLEO + "/tax-codes/" + tax_code_id),
        )
    person.raise_for_status()
    if code.status_code != 200:
        raise RuntimeError(code.status_code)
    return person.json()["email"], code.json()["code"]


def pair(employee_id, tax_code_id):
    return asyncio.run(_pair(employee_id, tax_code_id))
'''

# httpx with a base_url: relative paths, the responses checked by `is_error` and
# `raise_for_status()` before their bodies are read
GATHERED_BASE = '''
import asyncio
import os

import httpx


async def _names(employee_id, account_id):
    async with httpx.AsyncClient(
        base_url="https://openapi.pleo.io/v1",
        headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"},
    ) as api:
        emp_resp, acc_resp = await asyncio.gather(
            api.get(f"/employees/{employee_id}"), api.get(f"/accounts/{account_id}")
        )
        emp_resp.raise_for_status()
        if acc_resp.is_error:
            return None
        employee, account = emp_resp.json(), acc_resp.json()
        return employee["firstName"], account["name"]


def names(employee_id, account_id):
    return asyncio.run(_names(employee_id, account_id))
'''

# a URL helper's bodies gathered and returned whole, read by the caller; a tax code's rate
# comes back through the legacy-field function
GATHERED_RETURNED = '''
import asyncio
import os

import httpx

API = "https://openapi.pleo.io/v1"


async def _get_json(client, url):
    resp = await client.get(url)
    resp.raise_for_status()
    return resp.json()


async def _tax_codes(ids):
    headers = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}
    async with httpx.AsyncClient(headers=headers) as client:
        tasks = [_get_json(client, f"{API}/tax-codes/{i}") for i in ids]
        return list(await asyncio.gather(*tasks))


def rates(ids):
    return [(code["code"], code["rate"]) for code in asyncio.run(_tax_codes(ids))]
'''

# the gathered list returned as it is (no `list(…)`), coroutines from a generator; the
# caller reads a renamed field
GATHERED_RETURNED_BARE = '''
import asyncio
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"


async def _fetch(client, url):
    r = await client.get(url)
    return r.json()


async def _accounts(ids):
    token = os.environ["PLEO_TOKEN"]
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as c:
        return await asyncio.gather(*(_fetch(c, ROOT + "/accounts/" + i) for i in ids))


def numbers(ids):
    found = asyncio.run(_accounts(ids))
    return sorted((a["accountNumber"], a["name"]) for a in found)
'''

# --- a declared loss, only copied --------------------------------------------------------

# requests, a NamedTuple: the receipt's `name` is lost (None on the new API, as compat says)
LOST_NAMEDTUPLE = '''
import os
from typing import NamedTuple

import requests

PLEO = "https://openapi.pleo.io/v1"


class Receipt(NamedTuple):
    id: str
    name: str
    mime_type: str


def receipts(expense_id):
    resp = requests.get(
        f"{PLEO}/expenses/{expense_id}/receipts",
        headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]},
    )
    resp.raise_for_status()
    return [Receipt(r["id"], r["name"], r["mimeType"]) for r in resp.json()]
'''

# httpx, a dict of its own per receipt; the name is also copied into a list
LOST_DICT = '''
import os

import httpx

BASE = "https://openapi.pleo.io/v1"


def files(expense_id):
    token = os.environ["PLEO_TOKEN"]
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as client:
        found = client.get(BASE + "/expenses/" + expense_id + "/receipts").json()
    rows = []
    for receipt in found:
        rows.append({"id": receipt["id"], "file": receipt.get("name"),
                     "labels": [receipt["mimeType"], receipt["name"]]})
    return rows
'''

RUNS = {
    "branches": (BRANCHES, None, (
        Call("employees", ("employees.list",), ("list",), name="list"),
        Call("employees", ("employees.get",), ("show", "@employee"), name="show"),
        Call("tax_code_names", ("tax-codes.list",)),
    )),
    "one_away": (ONE_AWAY, "Directory", (
        Call("rows", ("employees.list",)),
        Call("first_names", ("employees.list",)),
        Call("role_of", ("employees.get",), ("@employee",)),
    )),
    "collected": (COLLECTED, None, (
        Call("emails", ("employees.list",)),
        Call("first_names", ("employees.list",)),
        Call("is_owner", ("employees.get",), ("@employee",)),
    )),
    "from_api": (FROM_API, None, (
        Call("people", ("employees.list",)),
        Call("labels", ("employees.list",)),
        Call("is_owner", ("employees.get",), ("@employee",)),
    )),
    "reused": (REUSED, None, (
        Call("summary", ("employees.list", "tax-codes.get"), ("@tax_code",)),
    )),
    "reused_async": (REUSED_ASYNC, None, (
        Call("both", ("employees.get", "accounts.get"), ("@employee", "@account")),
    )),
    "gathered": (GATHERED, None, (
        Call("pair", ("employees.get", "tax-codes.get"), ("@employee", "@tax_code")),
    )),
    "gathered_base": (GATHERED_BASE, None, (
        Call("names", ("employees.get", "accounts.get"), ("@employee", "@account")),
    )),
    "gathered_returned": (GATHERED_RETURNED, None, (
        Call("rates", ("tax-codes.get",), (["@tax_code", "@tax_code"],)),
    )),
    "gathered_returned_bare": (GATHERED_RETURNED_BARE, None, (
        Call("numbers", ("accounts.get",), (["@account"],)),
    )),
    "lost_namedtuple": (LOST_NAMEDTUPLE, None, (
        Call("receipts", ("expense-receipts.list",), ("@expense",)),
    )),
    "lost_dict": (LOST_DICT, None, (
        Call("files", ("expense-receipts.list",), ("@expense",)),
    )),
}
# calls that must stay on the legacy API, with what their TODO says
HELD = {
    "branches": {"show": "`role` (line 17) has no new-API equivalent"},
    "one_away": {"role_of": "`role` (line 32) has no new-API equivalent"},
    "from_api": {"is_owner": "`role` (line 39) has no new-API equivalent"},
    "collected": {"is_owner": "`role` (line 26) has no new-API equivalent"},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_each_call_moves_by_the_reads_of_its_own_records(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    held = HELD.get(name, {})
    for call in calls:
        if call.label in held:
            assert done.verdicts[call.label] == harness.NOT_MIGRATED
            continue
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label
        )
    todos = [line.strip() for line in done.rewrite.source.splitlines() if TODO in line]
    for said in held.values():
        assert any(said in line for line in todos), todos
    if not held:
        assert "openapi.pleo.io" not in done.rewrite.source
    rewritten = tmp_path / "rewritten" / report.module.path.name
    rewritten.parent.mkdir()
    rewritten.write_text(done.rewrite.source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        both = harness.run_module(
            rewritten, report.module, simulator, Path(work), rewritten=True, both=True
        )
    for call in calls:  # before the cut-over, every call works on whichever API it uses
        assert "returned" in (both.outcome(call.label) or {}), (call.label, both.calls)


# --- precision: what the codemod cannot attribute still holds the call ------------------


def _reasons(source: str) -> dict[str | None, list[str]]:
    """Each operation's reasons, as `scan` reports them with the shipped catalogue."""
    result = process_bytes("example.py", code(source).encode(), Job("scan", "native"))
    sites = () if result is None else result.sites
    return {site.operation: [f"{t.rule} {t.message}" for t in site.reasons] for site in sites}


def test_a_read_that_may_see_either_response_holds_both_calls() -> None:
    reasons = _reasons("""
    import requests

    API = "https://openapi.pleo.io/v1"


    def pick(which, code_id):
        if which:
            r = requests.get(API + "/employees/" + which)
        else:
            r = requests.get(API + "/tax-codes/" + code_id)
        return r.json()["name"]
    """)
    for operation in ("employees.get", "tax-codes.get"):
        assert any("`r` is reassigned where a read may see either value" in said
                   for said in reasons[operation]), reasons


def test_records_handed_to_code_the_codemod_cannot_follow_count_every_read_of_the_module() -> None:
    """`publish` is passed as a value: where its records go is unknown, so the `role` read in
    another function still holds the list, with the field and its line."""
    reasons = _reasons("""
    import requests

    API = "https://openapi.pleo.io/v1"


    def publish(sink):
        people = requests.get(API + "/employees").json()["employees"]
        sink(people)


    def is_owner(person):
        return person["role"] == "owner"
    """)
    said = " ".join(reasons["employees.list"])
    assert "PLM109 `role` (line 12) has no new-API equivalent" in said, said
    assert "not traced to this call's records" in said


def test_a_lost_field_that_is_used_not_copied_holds_the_call() -> None:
    reasons = _reasons("""
    import requests

    API = "https://openapi.pleo.io/v1"


    def file_names(expense_id):
        receipts = requests.get(f"{API}/expenses/{expense_id}/receipts").json()
        return sorted(r["name"] for r in receipts)
    """)
    said = " ".join(reasons["expense-receipts.list"])
    assert "PLM109 `name` (line 8) has no new-API equivalent" in said, said


def test_a_typed_body_is_the_body() -> None:
    """`cast(Page, r.json())` reads the records as `r.json()` does: the call is automatic."""
    sites = scan("""
    from typing import Any, cast

    import requests


    def emails() -> list[str]:
        url = "https://openapi.pleo.io/v1/employees"
        page = cast(dict[str, Any], requests.get(url, params={"pageSize": 50}).json())
        return [e["email"] for e in page["employees"]]
    """)
    assert [(site.operation, site.automatic) for site in sites] == [("employees.list", True)]


def test_the_text_of_an_error_raised_is_not_a_read_of_the_body() -> None:
    """`r.text` in the message of the error raised on a failed call says what went wrong; the
    body is still read right where the call is made (and, read for anything else, is not)."""
    source = """
    import requests


    def names():
        r = requests.get("https://openapi.pleo.io/v1/accounts", params={"pageSize": 50})
        if r.status_code != 200:
            raise RuntimeError(f"Pleo said {r.status_code}: {r.text}")
        return [a["name"] for a in r.json()["accounts"]]
    """
    assert [site.automatic for site in scan(source)] == [True]
    logged = source.replace('raise RuntimeError(f"Pleo said', 'print(f"Pleo said')
    assert [site.automatic for site in scan(logged)] == [False]


def test_records_read_in_a_nested_function_count_every_read_of_the_module() -> None:
    """The parameter `people` is read only inside a closure: the reads there are not
    followed, so the `role` read still holds the call (and says it was not traced)."""
    reasons = _reasons("""
    import requests

    API = "https://openapi.pleo.io/v1"


    def _pick(people):
        def owners():
            return [p["email"] for p in people if p["role"] == "owner"]
        return owners()


    def owner_emails():
        people = requests.get(API + "/employees", params={"pageSize": 50}).json()["employees"]
        return _pick(people)
    """)
    said = " ".join(reasons["employees.list"])
    assert "PLM109 `role` (line 8) has no new-API equivalent" in said, said
    assert "not traced to this call's records" in said


def test_records_collected_into_a_list_are_read_where_the_list_is() -> None:
    """`found.extend(page)`, `names.append(e)`: the reads of the list are the reads of the
    records; the `role` read of another call's record holds only that call."""
    source = """
    import requests

    API = "https://openapi.pleo.io/v1"


    def emails():
        found = []
        r = requests.get(API + "/employees", params={"pageSize": 50})
        found.extend(r.json()["employees"])
        return sorted(e["email"] for e in found)


    def first_names():
        names = []
        r = requests.get(API + "/employees", params={"pageSize": 50})
        for e in r.json()["employees"]:
            names.append(e)
        return [x["firstName"] for x in names]


    def is_owner(employee_id):
        r = requests.get(f"{API}/employees/{employee_id}")
        return r.json()["role"] == "owner"
    """
    result = process_bytes("example.py", code(source).encode(), Job("scan", "native"))
    assert result is not None
    held = {site.line: [t.rule for t in site.reasons] for site in result.sites}
    assert held == {8: [], 15: [], 22: ["PLM109"]}, held
