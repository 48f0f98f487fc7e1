"""Which requests a run makes: all reads, ids, scenario files and codemod scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.errors import ConfigurationError, UsageError
from migrate.mapping.catalogue import Catalogue
from migrate.shadow.plan import ParityRequest, build_parity_plan
from tests.scan_documents import SARIF, call_site, scan_json, write_json


def test_all_reads_compares_every_mapped_read_and_explains_the_rest(
    catalogue: Catalogue,
) -> None:
    plan = build_parity_plan(catalogue, "all-reads")
    reads = {step.operation for step in plan.reads}
    mapped_reads = {op.id for op in catalogue if op.is_read and op.mapped}
    assert reads == mapped_reads
    assert plan.writes == ()
    skipped = {s.operation: s.reason for s in plan.skipped}
    assert set(skipped) == {op.id for op in catalogue if op.is_read and not op.mapped}
    assert all(reason.startswith("no new-API equivalent") for reason in skipped.values())


def test_ids(catalogue: Catalogue) -> None:
    plan = build_parity_plan(catalogue, "employees.list, tags.get")
    assert [s.operation for s in plan.reads] == ["employees.list", "tags.get"]
    with pytest.raises(UsageError, match=r"did you mean one of employees\.list"):
        build_parity_plan(catalogue, "employees.lst")


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
    plan = build_parity_plan(catalogue, str(scenario))
    first, second = plan.reads
    assert first == ParityRequest("expenses.list", (), (("status", "EXPORTED"),
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
        build_parity_plan(catalogue, str(scenario))
    assert str(scenario) in str(info.value)


def test_a_scan_plans_each_operation_once(catalogue: Catalogue, tmp_path: Path) -> None:
    scan = write_json(tmp_path / "scan.json", scan_json(
        call_site("sync/a.py", 3, "employees.list"),
        call_site("sync/a.py", 9, None),  # a path chosen at run time: nothing to compare
        call_site("sync/b.py", 4, "tags.create", "POST"),
        call_site("sync/c.py", 12, "employees.list"),  # a second site of the same operation
    ))
    plan = build_parity_plan(catalogue, "all-reads", scan)
    assert [s.operation for s in plan.reads] == ["employees.list"]
    assert [s.operation for s in plan.writes] == ["tags.create"]
    assert plan.reads[0].source == f"{scan}#0"


def test_a_scan_and_the_same_operation_by_id_are_planned_once(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    scan = write_json(tmp_path / "scan.json", scan_json(call_site("a.py", 1, "employees.list")))
    plan = build_parity_plan(catalogue, "employees.list,tags.get", scan)
    assert [s.operation for s in plan.reads] == ["employees.list", "tags.get"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param({"operations": ["employees.list"]}, "is not a pleo-migrate scan (it has no "
                     "schema_version); write one with `pleo-migrate scan -o json`",
                     id="guessed-keys"),
        pytest.param(SARIF, "is a SARIF file, not a pleo-migrate scan", id="sarif"),
        pytest.param([{"method": "GET", "url": "/v1/employees"}], "not a JSON object",
                     id="a-list"),
        pytest.param({**scan_json(), "schema_version": 99},
                     "a scan of schema_version 99, which this pleo-migrate cannot read",
                     id="unknown-version"),
        pytest.param({k: v for k, v in scan_json().items() if k != "call_sites"},
                     "'call_sites' is a required property", id="missing-key"),
        pytest.param({**scan_json(), "call_sites": [{"operation": "employees.list"}]},
                     "at call_sites[0]: 'path' is a required property", id="bad-site"),
    ],
)
def test_anything_but_a_scan_of_a_known_version_is_refused(
    catalogue: Catalogue, tmp_path: Path, document: object, message: str
) -> None:
    scan = write_json(tmp_path / "scan.json", document)
    with pytest.raises(ConfigurationError) as info:
        build_parity_plan(catalogue, "all-reads", scan)
    assert message in str(info.value) and str(scan) in str(info.value)
    assert info.value.exit_code == 2


def test_a_scan_naming_an_operation_the_catalogue_lacks_is_refused(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    scan = write_json(tmp_path / "scan.json", scan_json(call_site("a.py", 1, "nope.list")))
    with pytest.raises(ConfigurationError, match=r"scan\.json#0: no operation 'nope\.list'"):
        build_parity_plan(catalogue, "all-reads", scan)


def test_scan_errors(catalogue: Catalogue, tmp_path: Path) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"scan\.json:1: invalid JSON"):
        build_parity_plan(catalogue, "all-reads", scan)
    scan.write_text('{"something": 1}', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="is not a pleo-migrate scan"):
        build_parity_plan(catalogue, "all-reads", scan)
