"""Native strategy: a client built in `__init__` and called directly, one of whose calls stays.

`self._client = httpx.Client(base_url=f"https://{host}/v1", headers=…, event_hooks=…)` with
`host` an `__init__` local choosing a legacy host: while a flow stays on the legacy client, the
calls that can move go onto a copy of the construction (same hooks and timeout, new host and
Basic auth), closed where the legacy one is. A client read any other way (a header update, a
mounted adapter) keeps its calls waiting. Proven by execution against both simulators, and
before the cut-over with both credentials.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

TODO = "# TODO[pleo-migrate"

HOOKED = '''
import os

import httpx

SEEN = []


def _remember(request):
    SEEN.append(request.url.path)


class Reader:
    def __init__(self, token=None, *, staging=False):
        host = "openapi.staging.pleo.io" if staging else "openapi.pleo.io"
        self._client = httpx.Client(
            base_url=f"https://{host}/v1",
            headers={"Authorization": f"Bearer {token or os.environ.get('PLEO_TOKEN', '')}"},
            timeout=httpx.Timeout(10.0, connect=5.0),
            event_hooks={"request": [_remember]},
        )

    def close(self):
        self._client.close()

    def employee(self, employee_id):
        response = self._client.get(f"/employees/{employee_id}")
        response.raise_for_status()
        return response.json()

    def tax_code(self, tax_code_id):
        return self._client.get("/tax-codes/" + tax_code_id).json()

    def tag_groups(self):
        return self._client.get("/tag-groups?archived=true").json()
'''

ASYNC = '''
import os

import httpx

PLEO = "https://openapi.pleo.io/v1"


class AsyncReader:
    def __init__(self):
        self.http = httpx.AsyncClient(
            base_url=PLEO, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]},
            timeout=20,
        )

    async def aclose(self):
        await self.http.aclose()

    async def employee(self, employee_id):
        r = await self.http.get(f"/employees/{employee_id}")
        r.raise_for_status()
        return r.json()

    async def tax_code(self, tax_code_id):
        r = await self.http.get("/tax-codes/" + tax_code_id)
        return r.json()

    async def tag_groups(self):
        r = await self.http.get("/tag-groups?archived=true")
        return r.json()
'''


def _code(text: str) -> list[str]:
    return [line for line in text.splitlines() if TODO not in line]


def _automatic(source: str) -> dict[str, tuple[bool, list[str]]]:
    return {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}


def test_the_calls_move_onto_a_copy_of_the_client_with_its_hooks_and_timeout() -> None:
    after = rewrite(HOOKED)
    lines = _code(after)
    for kept in code(HOOKED).splitlines():  # the legacy client and the flow stay as they were
        if "get(f\"/employees" not in kept and "get(\"/tax-codes" not in kept:
            assert kept.replace("os.environ.get('PLEO_TOKEN', '')", "") in after.replace(
                "os.environ.get('PLEO_TOKEN', '')", ""), kept
    assert '        new_api_host = "external.staging.pleo.io" if staging else "external.pleo.io"' \
        in lines
    assert "        self._new_api_client = httpx.Client(" in lines
    assert '            base_url=f"https://{new_api_host}",' in lines
    assert lines.count("            event_hooks={\"request\": [_remember]},") == 2
    assert lines.count("            timeout=httpx.Timeout(10.0, connect=5.0),") == 2
    assert "        self._new_api_client.close()" in lines
    assert any('self._new_api_client.get(f"/v2/employees/{employee_id}")' in line
               for line in lines)
    assert any('self._new_api_client.get("/v0/tax-codes/" + tax_code_id)' in line
               for line in lines)
    assert '        return self._client.get("/tag-groups?archived=true").json()' in lines
    assert _automatic(HOOKED) == {
        "employees.get": (True, []), "tax-codes.get": (True, []),
        "tag-groups.list": (False, ["PLM103"]),
    }
    assert rewrite(after) == after  # a second run finds nothing more to do


def test_an_async_client_on_a_base_constant_is_copied_and_closed_too() -> None:
    after = rewrite(ASYNC)
    lines = _code(after)
    assert "        self.new_api_http = httpx.AsyncClient(" in lines
    assert "        await self.new_api_http.aclose()" in lines
    assert any("await self.new_api_http.get(f\"/v2/employees/{employee_id}\")" in line
               for line in lines)
    assert 'PLEO = "https://openapi.pleo.io/v1"' in lines  # the module's base stays for the flow
    assert '        r = await self.http.get("/tag-groups?archived=true")' in lines


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    def close(self):\n        self._client.close()",
         "    def close(self):\n        self._client.headers['X-Trace'] = '1'"),  # a header update
        ("            event_hooks={\"request\": [_remember]},\n        )",
         "            event_hooks={\"request\": [_remember]},\n        )\n"
         "        self._client = self._client"),  # set twice
        ("    def tag_groups(self):",  # passed on
         "    def client(self):\n        return self._client\n\n    def tag_groups(self):"),
    ],
    ids=["header-update", "set-twice", "passed-on"],
)
def test_a_client_read_another_way_keeps_its_calls_waiting(old: str, new: str) -> None:
    source = HOOKED.replace(old, new)
    assert source != HOOKED
    found = _automatic(source)
    assert found["employees.get"][0] is False, found
    assert "_new_api_client" not in rewrite(source)


RUNS = {
    "bases_client_hooked": (HOOKED, "Reader"),
    "bases_client_async": (ASYNC, "AsyncReader"),
}
CALLS = (
    Call("employee", ("employees.get",), ("@employee",)),
    Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    Call("tag_groups", ("tag-groups.list",)),
)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_copied_client_runs_on_the_new_api_and_before_the_cut_over(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, CALLS, factory)
    for call in CALLS:
        verdict = done.verdicts[call.label]
        if call.method == "tag_groups":
            assert verdict == harness.NOT_MIGRATED, verdict  # the flow stays legacy
        else:
            assert verdict in harness.WORKING, harness.explain(report, "native", call.label)
    rewritten = tmp_path / "rewritten" / report.module.path.name
    rewritten.parent.mkdir()
    rewritten.write_text(done.rewrite.source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        both = harness.run_module(
            rewritten, report.module, simulator, Path(work), rewritten=True, both=True
        )
    for call in CALLS:
        assert "returned" in (both.outcome(call.label) or {}), call.label
        hosts = {(r["host"], r["auth"]) for r in both.calls[call.label]["requests"]}
        if call.method == "tag_groups":
            assert both.outcome(call.label) == report.original.outcome(call.label)
            assert hosts == {("openapi.pleo.io", "Bearer")}, hosts
        else:
            assert hosts == {("external.pleo.io", "Basic")}, hosts
