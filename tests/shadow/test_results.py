"""The files a run leaves: streamed results, a deterministic summary, JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from migrate.shadow.classify import ClassifiedDifference
from migrate.shadow.results import (
    FLUSH_EVERY,
    OperationTally,
    RecordResult,
    ResultWriter,
    Summary,
    write_junit,
    write_summary,
)


def mismatch(record_id: str, field: str = "note") -> RecordResult:
    finding = ClassifiedDifference(field, field, "changed", "mismatch", "a", "b")
    return RecordResult("expenses.list", "mismatch", record_id, (finding,))


def summary(results: list[RecordResult]) -> Summary:
    run = Summary(run={"env": "staging"})
    run.tallies["expenses.list"] = OperationTally(
        "expenses.list", ["note", "type"], [("type", "enum"), ("(operation)", "no offset")]
    )
    for result in results:
        run.tally(result.operation).add(result)
    run.tally("teams.list").skipped = "no new-API equivalent"
    return run


def test_results_are_written_as_they_come(tmp_path: Path) -> None:
    path = tmp_path / "out" / "results.jsonl"
    with ResultWriter(path) as writer:
        writer.write(mismatch("1"))
        writer.write(RecordResult("expenses.list", "error", error="HTTP 503", side="new"))
        for n in range(FLUSH_EVERY - 2):
            writer.write(mismatch(str(n)))
        assert path.read_text(encoding="utf-8").count("\n") == FLUSH_EVERY  # on disk already
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"operation": "expenses.list", "id": "1", "outcome": "mismatch",
                        "differences": [{"path": "note", "field": "note", "change": "changed",
                                         "verdict": "mismatch", "legacy": "a", "new": "b"}]}
    assert lines[1]["error"] == "HTTP 503" and lines[1]["side"] == "new"


def test_summary_counts_parity_and_is_independent_of_order(tmp_path: Path) -> None:
    results = [mismatch(str(n)) for n in range(9, 0, -1)]
    results += [RecordResult("expenses.list", "expected", "x",
                             (ClassifiedDifference("type", "type", "changed", "expected", 1, 2),))]
    forward, backward = summary(results), summary(list(reversed(results)))
    write_summary(tmp_path / "a.json", forward)
    write_summary(tmp_path / "b.json", backward)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    op = data["operations"][0]
    assert op["parity"] == 10.0 and op["status"] == "fail"
    note = next(f for f in op["fields"] if f["field"] == "note")
    assert note["examples"] == ["1", "2", "3", "4", "5"]  # the smallest ids, whatever the order
    assert note["parity"] == 10.0
    assert op["expected"] == [{"field": "type", "loss": "enum", "records": 1},
                              {"field": "(operation)", "loss": "no offset", "records": 0}]
    assert data["operations"][1] == {"operation": "teams.list", "status": "skipped",
                                     "skipped": "no new-API equivalent"}
    assert data["totals"]["parity"] == 10.0


def test_junit_has_one_testcase_per_operation(tmp_path: Path) -> None:
    run = summary([mismatch("1")])
    run.tally("employees.list").add(RecordResult("employees.list", "match", "2"))
    run.tally("tags.list").add(RecordResult("tags.list", "error", error="HTTP 500"))
    write_junit(tmp_path / "junit.xml", run)
    root = ElementTree.parse(tmp_path / "junit.xml").getroot()
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.attrib | {} == {"name": "pleo-migrate shadow", "tests": "4", "failures": "1",
                                 "errors": "1", "skipped": "1"}
    cases = {case.attrib["name"]: case for case in suite.iter("testcase")}
    assert set(cases) == {"expenses.list", "teams.list", "employees.list", "tags.list"}
    failure = cases["expenses.list"].find("failure")
    assert failure is not None and "1 of 1 records disagree" in failure.attrib["message"]
    assert "field note: 1 mismatched (e.g. 1)" in (failure.text or "")
    assert cases["teams.list"].find("skipped") is not None
    assert cases["tags.list"].find("error") is not None
    assert cases["employees.list"].find("failure") is None
