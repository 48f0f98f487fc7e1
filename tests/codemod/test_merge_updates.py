"""PLM012 on merge-updates by execution: a legacy partial update (`PATCH /tag-groups/{id}`,
`PUT /accounts/{id}` with any subset of fields) becomes a call of a generated function that
reads the record, applies the patch and sends it whole, as `migrate.compat` does.

Four hand-written modules in different styles: requests module functions (f-string and
concatenated URLs, a patch in a variable, an answer read, an answer ignored), a class whose
private `httpx.request` helper takes the method and hands its `body` on as `json=` (given by
position and by keyword), a `requests.Session` wrapper, and an `httpx.AsyncClient`. Each is
run as the corpus harness does: the original against the legacy simulator, the rewritten
module against the new one with the legacy token unset. The generated merge is also checked
against `mapping.calls.merged_body` (compat's merge) on many patches.
"""

# The modules under test are written as their authors would (long lines included).
# ruff: noqa: E501

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from migrate.codemod.flow_code import NoFlowCode, Style, merge_code
from migrate.mapping import load_catalogue, merged_body
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

FUNCTIONS = '''
"""Admin script: requests module functions."""

import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def rename_group(group_id, name):
    r = requests.patch(f"{BASE}/tag-groups/{group_id}", json={"name": name}, headers=HEADERS)
    r.raise_for_status()
    return r.json()["name"]


def archive_group(group_id):
    requests.patch(BASE + "/tag-groups/" + group_id, json={"archived": True}, headers=HEADERS)
    return group_id


def hide_account(account_id):
    body = {"hidden": True}
    return requests.put(f"{BASE}/accounts/{account_id}", json=body, headers=HEADERS).json()


def group_name(group_id):
    r = requests.get(f"{BASE}/tag-groups/{group_id}", headers=HEADERS)
    return r.json()["name"]
'''

HELPER = '''
"""A tag admin class: every request goes through `_call(method, path, body)`."""

import os

import httpx

DEFAULT_BASE = "https://openapi.pleo.io/v1"


class TagAdmin:
    def __init__(self, base=None):
        self.base_url = (base or DEFAULT_BASE).rstrip("/")
        self.headers = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}

    def _call(self, method, path, body=None):
        resp = httpx.request(
            method, self.base_url + path, json=body, headers=self.headers, timeout=20
        )
        resp.raise_for_status()
        return resp.json()

    def rename_group(self, group_id, new_name):
        updated = self._call("PATCH", "/tag-groups/" + group_id, {"name": new_name})
        return updated["name"]

    def unarchive(self, group_id):
        return self._call("PATCH", f"/tag-groups/{group_id}", body={"archived": False})[
            "archived"
        ]

    def rename_account(self, account_id, name):
        return self._call("PUT", f"/accounts/{account_id}", {"name": name})["name"]
'''

SESSION = '''
"""A requests.Session wrapper with the account number edits."""

import os

import requests


class Ledger:
    def __init__(self):
        self.root = "https://openapi.pleo.io/v1"
        self.http = requests.Session()

    def renumber(self, account_id, number):
        response = self.http.put(
            self.root + "/accounts/" + account_id,
            json={"accountNumber": number},
            headers={"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()
'''

ASYNC = '''
"""An httpx.AsyncClient wrapper."""

import os

import httpx

API = "https://openapi.pleo.io/v1"


class Accounts:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.client = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=20)

    async def rename(self, account_id, name):
        response = await self.client.put(f"{API}/accounts/{account_id}", json={"name": name})
        response.raise_for_status()
        return response.json()["name"]

    async def hide(self, account_id):
        return (await self.client.put(API + "/accounts/" + account_id, json={"hidden": True})).json()
'''

FIXED_METHOD = '''
"""A connector whose writes go through a fixed-PATCH helper; auth in the session headers."""

import os

import requests

PLEO_BASE_URL = os.getenv("PLEO_BASE_URL", "https://openapi.pleo.io/v1")


class Connector:
    def __init__(self, token=None):
        self.base_url = PLEO_BASE_URL
        self.session = requests.Session()
        self.session.headers.update({"Authorization": "Bearer " + (token or os.environ["PLEO_TOKEN"])})

    def _get(self, path, **params):
        response = self.session.get(self.base_url + path, params=params or None, timeout=20)
        response.raise_for_status()
        return response.json()

    def _patch(self, path, body):
        response = self.session.patch(self.base_url + path, json=body, timeout=20)
        response.raise_for_status()
        return response.json()

    def employee(self, employee_id):
        return self._get(f"/employees/{employee_id}")["id"]

    def rename_group(self, group_id, name):
        group = self._patch(f"/tag-groups/{group_id}", {"name": name})
        return group["name"]
'''

FIXED_PUT_HTTPX = '''
"""An httpx.Client wrapper whose account edits go through a fixed-PUT helper."""

import os

import httpx

ROOT = "https://openapi.pleo.io/v1/"


class Chart:
    def __init__(self):
        self.root = ROOT
        self.auth = {"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"}
        self.client = httpx.Client(timeout=15)

    def _put(self, path, payload):
        r = self.client.put(self.root + path, json=payload, headers=self.auth)
        r.raise_for_status()
        return r.json()

    def hide(self, account_id):
        return self._put("accounts/" + account_id, {"hidden": True})["id"]
'''

RUNS = {
    "functions": (
        FUNCTIONS,
        None,
        (
            Call("rename_group", ("tag-groups.update",), ("@tag_group", "Renamed group")),
            Call("archive_group", ("tag-groups.update",), ("@tag_group",)),
            Call("hide_account", ("accounts.update",), ("@account",)),
        ),
    ),
    "helper": (
        HELPER,
        "TagAdmin",
        (
            Call("rename_group", ("tag-groups.update",), ("@tag_group", "Cost centres 2")),
            Call("unarchive", ("tag-groups.update",), ("@tag_group",)),
            Call("rename_account", ("accounts.update",), ("@account", "Travel (EU)")),
        ),
    ),
    "session": (
        SESSION,
        "Ledger",
        (Call("renumber", ("accounts.update",), ("@account", "4011")),),
    ),
    "fixed_method": (
        FIXED_METHOD,
        "Connector",
        (
            Call("employee", ("employees.get",), ("@employee",)),
            Call("rename_group", ("tag-groups.update",), ("@tag_group", "Projects (old)")),
        ),
    ),
    "fixed_put_httpx": (FIXED_PUT_HTTPX, "Chart", (Call("hide", ("accounts.update",), ("@account",)),)),
    "async": (
        ASYNC,
        "Accounts",
        (
            Call("rename", ("accounts.update",), ("@account", "Meals and travel")),
            Call("hide", ("accounts.update",), ("@account",)),
        ),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_rewritten_merge_update_gives_the_same_answer_from_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(
        simulator, tmp_path, name, source, calls, factory, writes=True
    )
    assert "_pleo_" in done.rewrite.source
    assert "PLM104" not in done.rewrite.source
    for call in calls:
        verdict = done.verdicts[call.label]
        assert verdict in (harness.EQUAL, harness.SHAPE_CHANGED), harness.explain(
            report, "native", call.label
        )


# --- the generated merge is compat's merge --------------------------------------------------

CATALOGUE = load_catalogue()
CURRENT = {
    "tag-groups.update": {
        "id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        "companyId": "a0e1d3f5-13c2-4a01-8c91-cfbd0ade4010",
        "code": "PROJECTS",
        "name": "Projects",
        "archived": False,
        "metadata": {"erp": "x"},
        "totalTagsCount": 3,
        "createdAt": "2023-01-10T09:00:00Z",
        "updatedAt": "2024-06-01T12:00:00Z",
    },
    "accounts.update": {
        "id": "5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8091",
        "companyId": "a0e1d3f5-13c2-4a01-8c91-cfbd0ade4010",
        "externalId": "ERP-4010",
        "name": "Travel",
        "code": "4010",
        "archived": False,
        "taxCodeExternalId": "T1",
    },
}
PATCH_FIELDS = {
    "tag-groups.update": {"name": "Renamed", "archived": True, "tagAttributes": [], "code": "Z"},
    "accounts.update": {
        "name": "Meals",
        "accountNumber": "5000",
        "hidden": True,
        "taxCodeId": "0b0c",
        "accountCategoryId": "1c1d",
    },
}


def _generated(op_id: str) -> Any:
    found = merge_code(CATALOGUE, CATALOGUE.get(op_id), Style(False, True))
    namespace: dict[str, Any] = {}
    exec(found.code, namespace)
    return namespace[found.name]


def _recorder(sent: list[tuple[str, str, Any]], current: dict[str, Any]) -> Any:
    """A `send` that answers as the new API would and notes each request."""

    def send(method: str, path: str, params: Any, body: Any) -> Any:
        sent.append((method, path, body))
        return {"data": current if method == "GET" else {**current, **(body or {})}}

    return send


def _subsets(fields: dict[str, Any]) -> list[dict[str, Any]]:
    keys = sorted(fields)
    return [
        {key: fields[key] for key in chosen}
        for size in range(len(keys) + 1)
        for chosen in itertools.combinations(keys, size)
    ]


@pytest.mark.parametrize("op_id", sorted(CURRENT))
def test_the_generated_merge_sends_what_compat_sends_for_every_patch(op_id: str) -> None:
    function = _generated(op_id)
    op = CATALOGUE.get(op_id)
    for current in (CURRENT[op_id], {k: v for k, v in CURRENT[op_id].items() if k != "name"}):
        for patch in _subsets(PATCH_FIELDS[op_id]):
            sent: list[tuple[str, str, Any]] = []
            function(_recorder(sent, current), "id-1", patch)
            assert [m for m, _, _ in sent] == ["GET", "GET", op.new.method]  # type: ignore[union-attr]
            assert {p for _, p, _ in sent} == {
                op.new.path.replace("{groupId}", "id-1").replace("{accountId}", "id-1")  # type: ignore[union-attr]
            }
            assert sent[-1][2] == merged_body(CATALOGUE, op, {"data": current}, patch), patch


def test_the_generated_merge_refuses_a_record_changed_between_its_two_reads() -> None:
    function = _generated("tag-groups.update")
    reads = iter([{"data": {"name": "a"}}, {"data": {"name": "b"}}])
    with pytest.raises(RuntimeError, match="changed while it was being updated"):
        function(lambda method, path, params, body: next(reads), "g", {"archived": True})


def test_only_merge_updates_get_a_merge_function() -> None:
    with pytest.raises(NoFlowCode):
        merge_code(CATALOGUE, CATALOGUE.get("tag-groups.list"), Style(False, False))


# --- what stays, and what scan says ---------------------------------------------------------


def test_a_fixed_method_helper_that_retries_is_not_copied() -> None:
    source = FIXED_METHOD.replace(
        "        response = self.session.patch(self.base_url + path, json=body, timeout=20)\n",
        "        for _ in range(3):\n"
        "            response = self.session.patch(self.base_url + path, json=body, timeout=20)\n"
        "            if response.status_code != 429:\n"
        "                break\n",
    )
    done = rewrite(source)
    assert "_pleo_tag_groups_update" not in done
    assert "PLM104" in done and "openapi.pleo.io" in done


def test_a_merge_through_a_fixed_method_helper_waits_while_its_host_stays() -> None:
    """Another call on the same session stays legacy (a path chosen at run time): the copy of
    the helper's request would read the legacy base and auth, so the merge waits too."""
    source = FIXED_METHOD + '''
    def anything(self, path):
        return self._get(path)
'''
    done = rewrite(source)
    assert "_pleo_tag_groups_update" not in done
    assert 'self._patch(f"/tag-groups/{group_id}", {"name": name})' in done


def test_a_patch_sent_as_form_data_stays_with_the_reason() -> None:
    source = """
    import os

    import requests

    BASE = "https://openapi.pleo.io/v1"


    def rename(group_id, name):
        token = os.environ["PLEO_TOKEN"]
        r = requests.patch(BASE + "/tag-groups/" + group_id, data={"name": name},
                           headers={"Authorization": "Bearer " + token})
        return r.json()["name"]
    """
    done = rewrite(source)
    assert "PLM104" in done
    assert "openapi.pleo.io" in done and "_pleo_" not in done
    (site,) = scan(code(source))
    assert not site.automatic
    assert any("form data" in todo.message for todo in site.reasons), site.reasons


def test_scan_reports_a_rewritable_merge_update_as_automatic() -> None:
    sites = scan(code(FUNCTIONS))  # (the test catalogue's accounts.update is a plain PUT)
    merges = [s for s in sites if s.operation == "tag-groups.update"]
    assert len(merges) == 2
    assert all(s.automatic for s in merges), [s.reasons for s in merges]
