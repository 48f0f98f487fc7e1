"""The corpus harness itself: routing by host, comparison, and where the rewrite acted.

If these fail, the parity figures of `test_corpus.py` mean nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call, CorpusModule

PROBE = '''
import os
import httpx
import requests

TOKEN = os.environ.get("PROBE_TOKEN", "")


def legacy_requests():
    r = requests.get("https://openapi.pleo.io/v1/employees",
                     headers={"Authorization": "Bearer " + TOKEN}, params={"pageSize": 2})
    r.raise_for_status()
    return [e["id"] for e in r.json()["employees"]]


def legacy_httpx():
    r = httpx.get("https://openapi.pleo.io/v1/tax-codes",
                  headers={"Authorization": "Bearer " + TOKEN})
    r.raise_for_status()
    return len(r.json()["taxCodes"]) > 0


def elsewhere():
    return requests.get("https://example.com/").status_code
'''

MODULE = CorpusModule(
    "probe.py",
    env={"PROBE_TOKEN": "legacy.token"},
    calls=(
        Call("legacy_requests", ("employees.list",)),
        Call("legacy_httpx", ("tax-codes.list",)),
        Call("elsewhere", ()),
    ),
)


@pytest.mark.slow
def test_legacy_hosts_reach_the_simulator_and_every_other_host_is_refused(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    path = tmp_path / "probe.py"
    path.write_text(PROBE, encoding="utf-8")
    before = harness.run_module(path, MODULE, simulator, tmp_path, rewritten=False)
    assert before.import_error is None
    employees = simulator.store.employees.rows([simulator.company_id])
    assert before.outcome("legacy_requests") == {"returned": [e.id for e in employees[:2]]}
    assert before.outcome("legacy_httpx") == {"returned": True}
    assert before.outcome("elsewhere") == {"raised": "ConnectionError", "status": None}
    assert before.refused("elsewhere")[0]["host"] == "example.com"
    sent = before.calls["legacy_requests"]["requests"][0]
    assert (sent["host"], sent["path"], sent["auth"]) == ("openapi.pleo.io", "/v1/employees",
                                                          "Bearer")

    after = harness.run_module(path, MODULE, simulator, tmp_path, rewritten=True)
    assert after.outcome("legacy_requests") == {"raised": "ConnectionError", "status": None}
    assert after.outcome("legacy_httpx") == {"raised": "ConnectError", "status": None}
    catalogue = load_catalogue()
    call = MODULE.calls[0]
    assert harness.verdict(call, before, after, "compat", catalogue) == harness.NOT_MIGRATED
    assert harness.verdict(call, before, before, "compat", catalogue) == harness.EQUAL


def test_rewrite_sites_are_todo_statements_and_edited_http_calls() -> None:
    original = (
        "import requests\n"
        "def a():\n"
        "    x = {'k': 1}.get('k')\n"
        "    return requests.get(\n"
        "        'https://openapi.pleo.io/v1/employees')\n"
        "def b():\n"
        "    return requests.get('https://openapi.pleo.io/v1/teams')\n"
    )
    rewritten = (
        "import requests\n"
        "def a():\n"
        "    x = {'k': 1}.get('k')\n"
        "    return requests.get(\n"
        "        'https://external.pleo.io/v2/employees')\n"
        "def b():\n"
        "    # TODO[pleo-migrate PLM102]: no new-API equivalent\n"
        "    return requests.get('https://openapi.pleo.io/v1/teams')\n"
    )
    sites, todos = harness.rewrite_sites(original, rewritten)
    assert todos == 1
    assert [(s.kind, s.span, s.rule) for s in sites] == [
        ("edit", (4, 5), ""), ("todo", (7, 7), "PLM102"),
    ]
    edit, todo = sites
    assert edit.covered_by((4,)) and not edit.covered_by((7,))
    assert todo.covered_by((7,)) and not todo.covered_by((4,))


def test_only_declared_losses_count_as_lossy() -> None:
    lost = harness.lost_names(load_catalogue(), ("employees.get",))
    assert {"role", "teamId"} <= lost
    before = {"id": "1", "email": "a@b.c", "role": "owner", "teamId": "t"}
    assert harness.only_losses(before, {"id": "1", "email": "a@b.c"}, lost)
    assert not harness.only_losses(before, {"id": "1", "email": "x@b.c"}, lost)
    assert not harness.only_losses(before, before, lost)  # equal is not "lossy"
    assert harness.differences({"a": None}, {}) == []  # null ≡ absent


def test_a_dict_built_from_one_answer_is_compared_part_by_part() -> None:
    """`{"employees": <records>, "total": n}` from a native rewrite: the records in the new
    shape (canonically the same, but for declared losses) and the same total are a shape
    change; another total, or another record, is not."""
    catalogue = load_catalogue()
    call = Call("first_page", ("employees.list",))
    legacy = {"id": "e1", "email": "a@b.c", "firstName": "A", "role": "owner", "teamId": "t"}
    new = {"id": "e1", "companyId": "c1", "email": "a@b.c", "firstName": "A"}

    def run(value: object) -> harness.Run:
        return harness.Run(None, {"first_page": {"returned": value}})

    before = run({"employees": [legacy], "total": 1})
    after = run({"employees": [new], "total": 1})
    assert harness.verdict(call, before, after, "native", catalogue) == harness.SHAPE_CHANGED
    wrong_total = run({"employees": [new], "total": 2})
    assert harness.verdict(call, before, wrong_total, "native", catalogue) == harness.DIFFERS
    other = run({"employees": [dict(new, email="x@b.c")], "total": 1})
    assert harness.verdict(call, before, other, "native", catalogue) == harness.DIFFERS
