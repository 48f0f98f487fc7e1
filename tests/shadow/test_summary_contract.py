"""A run's summary.json keeps its contract, and the run id ties it to its results.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

from migrate import report as reports
from migrate.contracts import SHADOW_SUMMARY, validate
from migrate.mapping.catalogue import Catalogue
from tests.shadow.conftest import Run
from tests.shadow.fakes import FakePleo, people


def test_summary_validates_and_every_result_carries_its_run_id(
    run_fake: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    legacy, new = people(4)
    new[1]["lastName"] = "Changed"
    report, results = run_fake(FakePleo(legacy, new))
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert validate(summary, SHADOW_SUMMARY) == []
    assert summary == report.summary
    assert len(summary["run_id"]) == 32
    assert results and {line["run_id"] for line in results} == {summary["run_id"]}
    data = reports.build(catalogue, scan=None, shadow=tmp_path / "out")
    assert data["parity"]["records"] == 4


def test_two_runs_have_two_run_ids(run_fake: Run) -> None:
    legacy, new = people(2)
    first, _ = run_fake(FakePleo(legacy, new))
    second, _ = run_fake(FakePleo(legacy, new))
    assert first.summary["run_id"] != second.summary["run_id"]
