"""The report as a cut-over plan: next steps, owners, folding, text, plurals, dates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from migrate import report as reports
from migrate.errors import ConfigurationError
from migrate.report.sections import next_steps_section, parity_section, timeline_section
from tests.report.test_report import CATALOGUE, _inputs, _validate


def _op(op_id: str, **extra: Any) -> dict[str, Any]:
    item = {"id": op_id, "call_sites": 0, "automatic": 0, "manual": 0, "gap": False}
    return {**item, "parity": None, "status": "ready", "reasons": [], **extra}


def test_steps_are_ordered_by_what_unblocks_most_blockers_first() -> None:
    readiness = {
        "operations": [
            _op(
                "companies.balance",
                gap=True,
                status="blocked",
                manual=1,
                reasons=["no new-API equivalent: no balance", "1 call site needs a manual change"],
            ),
            _op(
                "employees.list",
                manual=2,
                status="needs work",
                reasons=["2 call sites need a manual change", "3 records differ between the APIs"],
            ),
            _op(
                "expenses.list",
                manual=1,
                status="needs work",
                reasons=["1 call site needs a manual change"],
            ),
            _op("accounts.list"),
        ]
    }
    scopes = {"scopes": [{"scope": "users:read", "operations": ["employees.list"]}]}
    steps = next_steps_section(readiness, scopes, have_scan=True)
    titles = [step["title"] for step in steps]
    assert titles == [
        "Decide what replaces companies.balance",
        "Create the new API key with 1 scope: users:read",
        "Port 4 call sites by hand (see Code)",
        "Raise the differences on 1 operation with Pleo (see Parity)",
    ]
    assert [s["owner"] for s in steps] == [
        "question for Pleo",
        "Pleo configuration",
        "our code",
        "question for Pleo",
    ]
    assert [s["order"] for s in steps] == [1, 2, 3, 4]
    assert steps[2]["unblocks"] == ["companies.balance", "employees.list", "expenses.list"]


def test_a_shadow_only_report_says_the_code_is_unknown(tmp_path: Path) -> None:
    _, shadow = _inputs(tmp_path)
    data = reports.build(CATALOGUE, scan=None, shadow=shadow)
    _validate(data)
    assert data["readiness"]["code_known"] is False
    assert "code is unknown" in data["readiness"]["status_note"]
    assert data["next_steps"][0]["title"].startswith("Scan the code")
    html = reports.write(data, tmp_path / "out").html.read_text(encoding="utf-8")
    assert "the code is unknown" in html


def test_operations_never_compared_are_not_ready(tmp_path: Path) -> None:
    scan, _ = _inputs(tmp_path)
    data = reports.build(CATALOGUE, scan=scan, shadow=None)
    _validate(data)
    by_id = {op["id"]: op for op in data["readiness"]["operations"]}
    assert by_id["expenses.list"]["status"] == "needs work"
    assert "not compared yet" in by_id["expenses.list"]["reasons"]
    assert data["readiness"]["operations_ready"] == 0
    assert any(s["title"].startswith("Compare 1 operation") for s in data["next_steps"])


def test_the_plan_comes_first_and_splits_our_work_from_pleos(tmp_path: Path) -> None:
    scan, shadow = _inputs(tmp_path)
    data = reports.build(CATALOGUE, scan=scan, shadow=shadow)
    _validate(data)
    html = reports.write(data, tmp_path / "out").html.read_text(encoding="utf-8")
    assert (
        html.index('<section id="next-steps">')
        < html.index("<section", html.index("<body") + 1) + 1
    )
    assert "Work in our code:" in html and "To raise with Pleo" in html
    assert "(s)" not in html


def test_timeline_refuses_a_bad_date_and_marks_past_ones_overdue() -> None:
    with pytest.raises(ConfigurationError, match="not a date"):
        timeline_section({"cut-over": "2026-13-01"}, date(2026, 11, 30))
    events = timeline_section(
        {"sunset": "2026-11-20", "cut-over": "2027-01-01"}, date(2026, 11, 30)
    )
    assert [(e["name"], e["overdue"]) for e in events["events"]] == [
        ("sunset", True),
        ("cut over", False),
    ]


def test_cli_report_with_a_bad_timeline_date_exits_2(tmp_path: Path, monkeypatch: Any) -> None:
    from tests.cli_runner import invoke

    scan, _ = _inputs(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pleo-migrate.timeline]\ncut-over = "soon"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = invoke(["report", "--scan", str(scan), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.startswith("pleo-migrate: error: ") and "cut-over" in result.stderr


def _result(record: str, legacy: Any, new: Any, path: str = "firstName") -> dict[str, Any]:
    return {
        "operation": "expenses.list",
        "id": record,
        "outcome": "mismatch",
        "differences": [{"path": path, "verdict": "mismatch", "legacy": legacy, "new": new}],
    }


def test_each_distinct_defect_is_shown_once_and_as_text(tmp_path: Path) -> None:
    results = [
        _result("b", "Zoë", "Zoe"),
        _result("a", "Zoë", "Zoe"),  # the same defect again: shown once, lowest id
        _result("a", "Zoë", "Zoe"),  # a record counted twice
        _result("c", 1, 2, path="amount"),
    ]
    summary = json.loads((_inputs(tmp_path)[1] / "summary.json").read_text(encoding="utf-8"))
    section = parity_section(summary, results)
    assert section is not None
    samples = {s["id"] for op in section["operations"] for s in op["samples"]}
    assert samples == {"a", "c"}
    folder = _inputs(tmp_path / "two", results=results)[1]
    data = reports.build(CATALOGUE, scan=None, shadow=folder)
    html = reports.write(data, tmp_path / "out").html.read_text(encoding="utf-8")
    assert "Zoë" in html and "\\u00eb" not in html


def test_parity_rows_at_100_percent_are_folded(tmp_path: Path) -> None:
    scan, shadow = _inputs(tmp_path)
    data = reports.build(CATALOGUE, scan=scan, shadow=shadow)
    whole = [op["id"] for op in data["parity"]["operations"] if op["parity"] == 100.0]
    differ = [op["id"] for op in data["parity"]["operations"] if op["parity"] != 100.0]
    assert whole and differ
    html = reports.write(data, tmp_path / "out").html.read_text(encoding="utf-8")
    folded = html[html.index('<details class="folded">') :]
    folded = folded[: folded.index("</details>")]
    assert all(op in folded for op in whole) and not any(op in folded for op in differ)
    assert "Field tree" not in html
