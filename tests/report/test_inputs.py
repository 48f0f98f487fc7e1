"""`report` reads its inputs through their contracts: a scan of a known version, a shadow
summary that validates, and results from the same run; anything else is exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.cli import run
from tests.report.fixtures import RUN_ID, scan_document, shadow_folder
from tests.scan_documents import SARIF, write_json


def _report(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = run(["report", *args, "--out", str(tmp_path / "r")])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(SARIF, "is a SARIF file, not a pleo-migrate scan", id="sarif"),
        pytest.param({"sites": []}, "is not a pleo-migrate scan (it has no schema_version)",
                     id="other-json"),
        pytest.param({**scan_document(), "schema_version": 7},
                     "a scan of schema_version 7, which this pleo-migrate cannot read",
                     id="unknown-version"),
        pytest.param({**scan_document(), "call_sites": "none"},
                     "at call_sites: 'none' is not of type 'array'", id="wrong-type"),
    ],
)
def test_report_refuses_what_is_not_a_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, message: str
) -> None:
    scan = write_json(tmp_path / "scan.json", document)
    code, err = _report(tmp_path, capsys, "--scan", str(scan))
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_report_refuses_a_summary_that_breaks_its_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shadow_folder(tmp_path / "shadow")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    del summary["run_id"]
    write_json(folder / "summary.json", summary)
    code, err = _report(tmp_path, capsys, "--shadow", str(folder))
    assert code == 2
    assert "is not a valid pleo-migrate shadow summary" in err and "'run_id'" in err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param({"operation": "expenses.list", "id": "e-9", "outcome": "match",
                      "run_id": "another-run"}, ":4 is from run 'another-run'", id="other-run"),
        pytest.param({"operation": "expenses.list", "id": "e-9", "outcome": "match"},
                     ":4 carries no run id", id="no-run-id"),
    ],
)
def test_report_refuses_results_from_another_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: dict[str, Any], message: str
) -> None:
    folder = shadow_folder(tmp_path / "shadow")
    with (folder / "results.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
    code, err = _report(tmp_path, capsys, "--shadow", str(folder))
    assert code == 2
    assert message in err and f"summary.json is from run '{RUN_ID}'" in err
    assert not (tmp_path / "r").exists()
