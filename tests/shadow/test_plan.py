"""Which requests a run makes: all reads, ids, scenario files and codemod scans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.errors import ConfigurationError, UsageError
from migrate.mapping.catalogue import Catalogue
from migrate.shadow.plan import Step, build_plan


def test_all_reads_compares_every_mapped_read_and_explains_the_rest(
    catalogue: Catalogue,
) -> None:
    plan = build_plan(catalogue, "all-reads")
    reads = {step.operation for step in plan.reads}
    mapped_reads = {op.id for op in catalogue if op.is_read and op.mapped}
    assert reads == mapped_reads
    assert plan.writes == ()
    skipped = {s.operation: s.reason for s in plan.skipped}
    assert set(skipped) == {op.id for op in catalogue if op.is_read and not op.mapped}
    assert all(reason.startswith("no new-API equivalent") for reason in skipped.values())


def test_ids(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue, "employees.list, tags.get")
    assert [s.operation for s in plan.reads] == ["employees.list", "tags.get"]
    with pytest.raises(UsageError, match=r"did you mean one of employees\.list"):
        build_plan(catalogue, "employees.lst")


def test_scenario_file(catalogue: Catalogue, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "requests:\n"
        "  - op: expenses.list\n"
        "    name: exported in March\n"
        "    query: {status: EXPORTED, dateFrom: 2025-03-01}\n"
        "  - request: GET /v1/tag-groups/g1/tags/{tagId}\n"
        "  - request: PATCH /v1/tag-groups/g1/tags/t1\n"
        "    body: {hidden: true}\n",
        encoding="utf-8",
    )
    plan = build_plan(catalogue, str(scenario))
    first, second = plan.reads
    assert first == Step("expenses.list", (), (("status", "EXPORTED"),
                                               ("dateFrom", "2025-03-01")),
                         source=f"{scenario}:2", name="exported in March")
    assert second.operation == "tags.get" and second.path_params == (("tagGroupId", "g1"),)
    (write,) = plan.writes
    assert write.operation == "tags.update" and write.body == {"hidden": True}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("requests: []\n", "a scenario is a list of requests", id="empty"),
        pytest.param("requests:\n  - op: nope.list\n", ":2: no operation 'nope.list'",
                     id="unknown-op"),
        pytest.param("requests:\n  - op: employees.list\n    qery: {a: 1}\n",
                     ":2: unknown key 'qery'", id="typo"),
        pytest.param("requests:\n  - request: GET /v1/nowhere\n",
                     "no catalogue operation serves GET /v1/nowhere", id="unknown-request"),
        pytest.param("requests:\n  - op: employees.get\n    path: {id: 1}\n",
                     "employees.get has no path parameter 'id'", id="bad-param"),
        pytest.param("requests:\n  - op: [x\n", "invalid YAML", id="yaml"),
    ],
)
def test_scenario_errors_name_the_file_and_line(
    catalogue: Catalogue, tmp_path: Path, text: str, message: str
) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")) as info:
        build_plan(catalogue, str(scenario))
    assert str(scenario) in str(info.value)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"operations": ["employees.list", "tags.create"]}, id="ids"),
        pytest.param({"findings": [{"operation": "employees.list"},
                                   {"rule_id": "tags.create"}]}, id="findings"),
        pytest.param([{"method": "GET", "url": "https://openapi.pleo.io/v1/employees?x=1"},
                      {"method": "POST", "path": "/v1/tag-groups/{id}/tags"},
                      {"method": "GET", "url": "https://example.com/other"}], id="calls"),
        pytest.param({"call_sites": [
            {"path": "sync/a.py", "line": 3, "operation": "employees.list", "method": "GET",
             "url": "f-string on constant BASE", "fingerprint": "f1"},
            {"path": "sync/a.py", "line": 9, "operation": None, "method": "GET",
             "url": "name", "fingerprint": "f2"},
            {"path": "sync/b.py", "line": 4, "operation": "tags.create", "method": "POST",
             "url": "literal URL", "fingerprint": "f3"},
        ]}, id="pleo-migrate-scan"),
    ],
)
def test_scan_files(catalogue: Catalogue, tmp_path: Path, document: object) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text(json.dumps(document), encoding="utf-8")
    plan = build_plan(catalogue, "all-reads", scan)
    assert [s.operation for s in plan.reads] == ["employees.list"]
    assert [s.operation for s in plan.writes] == ["tags.create"]


def test_scan_errors(catalogue: Catalogue, tmp_path: Path) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"scan\.json:1: invalid JSON"):
        build_plan(catalogue, "all-reads", scan)
    scan.write_text('{"something": 1}', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="no operations found"):
        build_plan(catalogue, "all-reads", scan)
