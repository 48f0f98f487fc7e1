"""PLM012 by execution: flow calls (tag groups and tags with their attributes) rewritten into
generated functions, run against the new API only, give the same records in canonical shape.

Four hand-written modules in different styles, each flow in at least two of them: requests
module functions (f-string, concatenation, `r = …; r.raise_for_status(); return r.json()`
and an inline `.json()`), a `requests.Session` wrapper whose private helper passes `params=`
on, an `httpx.Client` with `str.format` URLs, and an `httpx.AsyncClient` whose helper turns
its keywords into the query. Each is run as the corpus harness does: the original against the
legacy simulator, the rewritten module against the new one with the legacy token unset.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from migrate.codemod.flow_code import NoFlowCode, Style, flow_code
from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

FUNCTIONS = '''
"""Tag sync script: requests module functions."""

import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def groups():
    r = requests.get(BASE + "/tag-groups", headers=HEADERS, timeout=10)
    r.raise_for_status()
    return r.json()


def group(group_id):
    return requests.get(f"{BASE}/tag-groups/{group_id}", headers=HEADERS).json()


def tags(group_id):
    response = requests.get(BASE + "/tag-groups/" + group_id + "/tags", headers=HEADERS)
    response.raise_for_status()
    return sorted(response.json(), key=lambda tag: tag["id"])


def tag(group_id, tag_id):
    r = requests.get(f"{BASE}/tag-groups/{group_id}/tags/{tag_id}", headers=HEADERS)
    r.raise_for_status()
    return r.json()
'''

SESSION = '''
"""A wrapper over a requests.Session: every read goes through `_get`."""

import os

import requests


class Pleo:
    def __init__(self):
        self.base_url = "https://openapi.pleo.io/v1"
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

    def _get(self, path, params=None):
        resp = self.session.get(f"{self.base_url}{path}", params=params, timeout=20)
        resp.raise_for_status()
        return resp.json()

    def groups(self):
        return self._get("/tag-groups")

    def group(self, group_id):
        return self._get(f"/tag-groups/{group_id}")

    def tags(self, group_id):
        return self._get(f"/tag-groups/{group_id}/tags")

    def tag(self, group_id, tag_id):
        return self._get(f"/tag-groups/{group_id}/tags/{tag_id}")
'''

HTTPX = '''
"""An httpx.Client module with str.format URLs."""

import os

import httpx

API = "https://openapi.pleo.io/v1"
client = httpx.Client(headers={"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")})


def groups():
    response = client.get("{}/tag-groups".format(API))
    response.raise_for_status()
    return response.json()


def tags(group_id):
    response = client.get("{}/tag-groups/{}/tags".format(API, group_id))
    response.raise_for_status()
    return response.json()


def tag(group_id, tag_id):
    return client.get("{}/tag-groups/{}/tags/{}".format(API, group_id, tag_id)).json()
'''

ASYNC = '''
"""An httpx.AsyncClient wrapper whose helper sends its keywords as the query."""

import os

import httpx

PLEO_API = "https://openapi.pleo.io/v1"


class AsyncTags:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self._client = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"})

    async def _get(self, path, **params):
        response = await self._client.get(f"{PLEO_API}{path}", params=params)
        response.raise_for_status()
        return response.json()

    async def groups(self):
        return await self._get("/tag-groups")

    async def group(self, group_id):
        return await self._get(f"/tag-groups/{group_id}")

    async def tags(self, group_id):
        response = await self._client.get(f"{PLEO_API}/tag-groups/{group_id}/tags")
        response.raise_for_status()
        return response.json()

    async def tag_name(self, group_id, tag_id):
        return (await self._get(f"/tag-groups/{group_id}/tags/{tag_id}"))["id"]
'''

EXPORT_FUNCTIONS = '''
"""Mark expenses exported: a requests function, the status read from the response."""

import os

import requests

BASE = os.environ.get("PLEO_BASE", "https://openapi.pleo.io/v1")
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def mark(expense_ids, status):
    r = requests.put(
        f"{BASE}/expenses",
        headers=HEADERS,
        json={"expenseIds": list(expense_ids), "status": status},
    )
    r.raise_for_status()
    return r.status_code < 300


def expense(expense_id):
    r = requests.get(f"{BASE}/expenses/{expense_id}", headers=HEADERS)
    r.raise_for_status()
    return r.json()["id"]
'''

EXPORT_HELPER = '''
"""An httpx.Client wrapper: the export status goes through `_request`, its answer unread."""

import os

import httpx

API = "https://openapi.pleo.io/v1/"


class Exporter:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.client = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=20)

    def _request(self, method, path, **kw):
        response = self.client.request(method, API + path, **kw)
        response.raise_for_status()
        return response

    def exporting(self, expense_ids):
        self._request("PUT", "expenses", json={"status": "EXPORTING", "expenseIds": expense_ids})
        return len(expense_ids)

    def exported(self, expense_ids):
        self._request("PUT", "expenses", json={"expenseIds": expense_ids, "status": "EXPORTED"})
        return len(expense_ids)
'''

GROUPS = Call("groups", ("tag-groups.list",))
GROUP = Call("group", ("tag-groups.get",), ("@tag_group",))
TAGS = Call("tags", ("tags.list",), ("@tag_group",))
TAG = Call("tag", ("tags.get",), ("@tag_group", "@tag"))

RUNS = {
    "functions": (FUNCTIONS, None, (GROUPS, GROUP, TAGS, TAG)),
    "session": (SESSION, "Pleo", (GROUPS, GROUP, TAGS, TAG)),
    "httpx_client": (HTTPX, None, (GROUPS, TAGS, TAG)),
    "export_function": (
        EXPORT_FUNCTIONS,
        None,
        (
            Call(
                "mark", ("expenses.update-export-status",), (["@expense", "@expense2"], "EXPORTED")
            ),
            Call("expense", ("expenses.get",), ("@expense",)),
        ),
    ),
    "export_helper": (
        EXPORT_HELPER,
        "Exporter",
        (
            Call("exporting", ("expenses.update-export-status",), (["@expense"],)),
            Call("exported", ("expenses.update-export-status",), (["@expense"],)),
        ),
    ),
    "async_wrapper": (
        ASYNC,
        "AsyncTags",
        (
            GROUPS,
            GROUP,
            TAGS,
            Call("tag_name", ("tags.get",), ("@tag_group", "@tag")),
        ),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_rewritten_flow_gives_the_same_records_from_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(
        simulator, tmp_path, name, source, calls, factory, writes=name.startswith("export")
    )
    # the legacy hosts left are those `_pleo_new_base` maps a base read at run time from
    own = re.sub(r"def _pleo_new_base\(.*?\n\n", "", done.rewrite.source, flags=re.S)
    assert "_pleo_" in done.rewrite.source and "openapi.pleo.io" not in own
    for call in calls:
        verdict = done.verdicts[call.label]
        assert verdict in (harness.EQUAL, harness.SHAPE_CHANGED), harness.explain(
            report, "native", call.label
        )


# --- static: what scan says, what the generated code holds ----------------------------------


def test_scan_reports_a_rewritable_flow_call_as_automatic_and_its_neighbour_moves() -> None:
    source = """
    import requests

    BASE = "https://openapi.pleo.io/v1"


    def groups():
        return requests.get(BASE + "/tag-groups").json()


    def employee(employee_id):
        return requests.get(f"{BASE}/employees/{employee_id}").json()
    """
    found = {site.label: (site.automatic, [r.rule for r in site.reasons]) for site in scan(source)}
    assert found == {"tag-groups.list": (True, []), "employees.get": (True, [])}
    after = rewrite(source)
    assert 'BASE = "https://external.pleo.io"' in after  # the host moves: nothing stays on it
    assert "return _pleo_tag_groups_list(lambda path, params: requests.get(BASE + path" in after


def test_the_generated_reads_keep_the_legacy_default_filters_from_the_catalogue() -> None:
    catalogue = load_catalogue()
    groups = flow_code(catalogue, catalogue.get("tag-groups.list"), Style(False, False)).code
    assert 'return [r for r in records if r.get("archived") is False]' in groups
    tags = flow_code(catalogue, catalogue.get("tags.list"), Style(True, True)).code
    assert '"include_archived": "false"' in tags  # the planner's default for `hidden`
    assert tags.startswith("async def _pleo_tags_list_async_body(page, group_id):")
    assert 'return [r for r in tags if r.get("archived") is False]' in tags
    with pytest.raises(NoFlowCode, match="no native rewrite is generated for flow `tag-create`"):
        flow_code(catalogue, catalogue.get("tags.create"), Style(False, False))


def test_a_request_reading_a_name_the_generated_call_takes_stays_with_the_reason() -> None:
    source = """
    import requests

    BASE = "https://openapi.pleo.io/v1"


    def groups(params):
        return requests.get(BASE + "/tag-groups", headers=params).json()
    """
    after = rewrite(source)
    assert "_pleo_" not in after
    assert "PLM103]: tag-groups.list (flow): its request reads a" in after


def test_a_function_the_module_already_defines_is_not_added_again() -> None:
    once = rewrite(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def groups():
            return requests.get(BASE + "/tag-groups").json()
        """
    )
    again = once + code(
        """


        def more_groups():
            return requests.get("https://openapi.pleo.io/v1/tag-groups").json()
        """
    )
    twice = rewrite(again)
    assert twice.count("def _pleo_tag_groups_list(") == 1
    assert twice.count("_pleo_tag_groups_list(") == 3  # the function and its two calls
    assert "openapi.pleo.io" not in twice
