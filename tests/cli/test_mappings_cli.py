"""`pleo-migrate mappings …` as a user meets it: exit codes, stdout data, stderr summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.cli import run
from migrate.mapping.yaml_reader import load_plain


def test_list_json_covers_all_46_legacy_operations(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["mappings", "list", "--output-format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    operations = [op for resource in data["resources"] for op in resource["operations"]]
    assert len(operations) == 46
    assert data["totals"] == {
        "operations": 46,
        "mapped": 24,
        "lossy": 20,
        "gaps": 22,
        "documented": 22,
        "inferred": 24,
    }
    assert {op["evidence"] for op in operations} == {"documented", "inferred"}
    legacy = {(op["legacy"], op["evidence"]) for op in operations}
    spec = load_plain(Path(__file__).resolve().parents[2] / "specs/legacy/legacy-openapi.yml")
    assert legacy == {
        (f"{method.upper()} /v1{path}", item["x-evidence"])
        for path, methods in spec["paths"].items()
        for method, item in methods.items()
    }


def test_list_text_prints_a_table_and_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["mappings", "list"]) == 0
    captured = capsys.readouterr()
    assert "employees.list [lossy, documented]" in captured.out
    assert "teams.create [gap, documented]" in captured.out
    assert "teams.list [gap, inferred]" in captured.out
    assert "46 legacy endpoints: 24 mapped" in captured.err
    assert "22 documented and 24 inferred" in captured.err
    assert "46 legacy endpoints" not in captured.out


def test_show_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["mappings", "show", "expenses.list"]) == 0
    out = capsys.readouterr().out
    assert "POST /v1/accounting-entries:search" in out and "accounting-entries:read" in out
    assert "evidence    documented (legacy-openapi.yml)" in out
    assert run(["mappings", "show", "employees.create", "-o", "json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["kind"] == "gap" and "SCIM" in detail["gap"]


def test_show_unknown_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["mappings", "show", "employee.list"]) == 2
    assert "no operation 'employee.list'" in capsys.readouterr().err


def test_check_the_shipped_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["mappings", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok: 46 operations in 8 files")


def test_mappings_setting_from_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.pleo-migrate]\nmappings = "nowhere"\n')
    monkeypatch.chdir(tmp_path)
    assert run(["mappings", "list"]) == 2
    assert "not a folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["mappings", "list", "--output-format", "yaml"], ["mappings", "frobnicate"], ["--nope"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_console_script_and_module_entry_points() -> None:
    bin_dir = Path(sys.executable).parent
    script = bin_dir / "pleo-migrate"
    for command in ([str(script), "--version"], [sys.executable, "-m", "migrate", "--version"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("pleo-migrate ")
