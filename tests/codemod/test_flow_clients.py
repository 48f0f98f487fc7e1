"""PLM012 through httpx clients with a `base_url`, by execution.

The flow's generated function sends its new-API paths through the client as the call did
(`client.get(path, params=params)`): the client joins them onto its `base_url`, whose host the
module's host rule moves. Also the httpx idiom `(await client.get(…)).raise_for_status().json()`
(httpx's `raise_for_status()` gives the response back), read as the call's body.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call

FUNCTIONS = '''
"""Tag lookups through short-lived httpx clients."""

import os

import httpx

PLEO = "https://openapi.pleo.io/v1"


def _auth():
    return {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


async def group_names():
    async with httpx.AsyncClient(base_url=PLEO, headers=_auth(), timeout=10) as client:
        groups = (await client.get("/tag-groups")).raise_for_status().json()
        return sorted(g["name"] for g in groups)


def tag_ids(group_id):
    with httpx.Client(base_url=PLEO + "/", headers=_auth()) as client:
        r = client.get(f"tag-groups/{group_id}/tags")
        r.raise_for_status()
        return sorted(t["id"] for t in r.json())


def employee(employee_id):
    with httpx.Client(base_url=PLEO, headers=_auth()) as client:
        return client.get(f"/employees/{employee_id}").raise_for_status().json()["id"]
'''

WRAPPER = '''
"""A wrapper holding one httpx.Client on the legacy base."""

import os

import httpx


class Tags:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.client = httpx.Client(
            base_url="https://openapi.pleo.io/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=20,
        )

    def group(self, group_id):
        return self.client.get(f"/tag-groups/{group_id}").raise_for_status().json()["name"]

    def tag(self, group_id, tag_id):
        response = self.client.get(f"/tag-groups/{group_id}/tags/{tag_id}", timeout=5)
        response.raise_for_status()
        return response.json()["id"]
'''

RUNS = {
    "functions": (
        FUNCTIONS,
        None,
        (
            Call("group_names", ("tag-groups.list",)),
            Call("tag_ids", ("tags.list",), ("@tag_group",)),
            Call("employee", ("employees.get",), ("@employee",)),
        ),
    ),
    "wrapper": (
        WRAPPER,
        "Tags",
        (
            Call("group", ("tag-groups.get",), ("@tag_group",)),
            Call("tag", ("tags.get",), ("@tag_group", "@tag")),
        ),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_flow_through_a_base_url_client_gives_the_same_records(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    assert "_pleo_" in done.rewrite.source and "openapi.pleo.io" not in done.rewrite.source
    for call in calls:
        verdict = done.verdicts[call.label]
        assert verdict in (harness.EQUAL, harness.SHAPE_CHANGED), harness.explain(
            report, "native", call.label
        )
