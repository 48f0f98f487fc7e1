"""`pleo-migrate demo`: the whole story runs on the simulator and leaves a valid report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from migrate import report as reports
from migrate.demo import DemoResult

pytestmark = pytest.mark.slow


def test_every_step_ran(demo: DemoResult) -> None:
    assert [step.name for step in demo.steps] == [
        "scan", "rewrite --diff", "example on the legacy API",
        "example through the compat proxy", "shadow", "report",
    ]
    out = demo.report.parent
    for name in ("scan.json", "rewrite.diff", "example-legacy.txt", "example-compat.txt",
                 "shadow/summary.json", "shadow/results.jsonl", "shadow/junit.xml",
                 "report.json", "index.html"):
        assert (out / name).exists(), name
    assert "+++" in (out / "rewrite.diff").read_text(encoding="utf-8")


def test_the_demo_report_validates_against_its_schema(demo: DemoResult) -> None:
    schema = json.loads((Path(reports.__file__).parent / "report.schema.json").read_text())
    data = json.loads((demo.report.parent / "report.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert not errors, [e.message for e in errors[:5]]
    assert data["code"]["call_sites"] > 0 and data["parity"]["records"] > 0
    mismatched = [op for op in data["parity"]["operations"] if op["outcomes"]["mismatch"]]
    assert mismatched, "drift `defects` must show in the report"


def test_the_demo_report_holds_no_simulator_secret(demo: DemoResult) -> None:
    for path in demo.report.parent.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "sim_key_" not in text and "sim_legacy_" not in text, path
