"""`scan` and `rewrite` as a user meets them: flags, exit codes, stdout data, stderr summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.codemod.registry import RULES
from tests.cli_runner import invoke
from tests.codemod.helpers import FIXTURE_MAPPINGS, code

LEGACY = code(
    """
    import requests

    BASE_URL = "https://openapi.pleo.io/v1"


    def employee(employee_id):
        return requests.get(f"{BASE_URL}/employees/{employee_id}").json()
    """
)
# A gap (no new-API equivalent) in a module of its own: a module moves whole or not at all.
GAP = code(
    """
    import requests


    def teams():
        return requests.get("https://openapi.pleo.io/v1/teams").json()["teams"]
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "legacy.py").write_text(LEGACY, encoding="utf-8")
    (tmp_path / "gap.py").write_text(GAP, encoding="utf-8")
    (tmp_path / "other.py").write_text("print('hello')\n", encoding="utf-8")
    return tmp_path


def test_list_rules_prints_every_rule_with_its_id() -> None:
    result = invoke(["rewrite", "--list-rules"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [rule.id for rule in RULES]
    assert all(rule.summary in result.stdout for rule in RULES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["rewrite"], "needs at least one PATH", id="rewrite without a path"),
        pytest.param(["scan"], "needs at least one PATH", id="scan without a path"),
        pytest.param(["rewrite", "--check", "--write", "."], "choose one of", id="two modes"),
        pytest.param(["rewrite", "--only", "PLM999", "."], "unknown rule 'PLM999'", id="unknown"),
        pytest.param(
            ["rewrite", "--skip", "PLM201", "."], "belongs to the compat strategy", id="strategy"
        ),
        pytest.param(["scan", "--mappings", "/no/such/folder", "."], "", id="bad catalogue"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_lists_the_work_and_exits_1(project: Path) -> None:
    result = invoke(["rewrite", "--check", "--mappings", FIXTURE_MAPPINGS, str(project)])
    assert result.exit_code == 1
    assert f"would rewrite {project / 'legacy.py'}" in result.stdout
    assert "PLM102" in result.stdout  # the manual-review list
    # gap.py's PLM102, and legacy.py's PLM109: employee() returns records of the new shape
    assert "2 would change" in result.stderr and "2 TODOs for manual review" in result.stderr


def test_diff_is_a_plain_unified_diff_on_stdout(project: Path) -> None:
    result = invoke(["rewrite", "--mappings", FIXTURE_MAPPINGS, str(project)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- a/{str(project / 'gap.py').lstrip('/')}\n+++ b/")
    assert '+BASE_URL = "https://external.pleo.io"' in result.stdout
    assert "rewrite (native, diff)" in result.stderr and "rewrite" not in result.stdout[:3]


def test_write_then_check_is_clean(project: Path) -> None:
    written = invoke(
        ["rewrite", "--write", "--allow-dirty", "--mappings", FIXTURE_MAPPINGS, str(project)]
    )
    assert written.exit_code == 0, written.stderr
    assert f"rewrote {project / 'legacy.py'}" in written.stdout
    text = (project / "legacy.py").read_text(encoding="utf-8")
    assert "/v2/employees/" in text
    assert "# TODO[pleo-migrate PLM102]" in (project / "gap.py").read_text(encoding="utf-8")
    again = invoke(["rewrite", "--check", "--mappings", FIXTURE_MAPPINGS, str(project)])
    assert again.exit_code == 0
    assert "0 would change" in again.stderr


def test_only_and_skip_choose_rules(project: Path) -> None:
    only = invoke(
        ["rewrite", "--only", "legacy_host", "--mappings", FIXTURE_MAPPINGS, str(project)]
    )
    assert "+BASE_URL" in only.stdout and "/v2/employees" not in only.stdout
    skip = invoke(
        ["rewrite", "--skip", "PLM001,PLM102,PLM109", "--mappings", FIXTURE_MAPPINGS, str(project)]
    )
    assert "+BASE_URL" not in skip.stdout and "/v2/employees" in skip.stdout
    assert "TODO" not in skip.stdout


def test_compat_strategy(project: Path) -> None:
    result = invoke(
        ["rewrite", "--strategy", "compat", "--mappings", FIXTURE_MAPPINGS, str(project)]
    )
    assert result.exit_code == 1
    assert "+from migrate.compat import pleo_requests as requests" in result.stdout
    assert "/v2/" not in result.stdout


def test_json_output_has_every_file_outcome(project: Path) -> None:
    result = invoke(["rewrite", "-o", "json", "--mappings", FIXTURE_MAPPINGS, str(project)])
    data = json.loads(result.stdout)
    assert data["summary"] == {
        "files": 3, "changed": 2, "skipped": 0, "failed": 0, "todos": 2, "routed": 0
    }
    gap, legacy = sorted(data["files"], key=lambda item: item["path"])
    assert legacy["status"] == "changed" and legacy["diff"].startswith("--- a/")
    assert [todo["rule"] for todo in legacy["todos"]] == ["PLM109"]  # returns new-shape records
    assert "/v2/employees/" in legacy["diff"]
    assert gap["todos"][0]["rule"] == "PLM102"


def test_jobs_do_not_change_results(tmp_path: Path) -> None:
    for number in range(40):
        (tmp_path / f"m{number}.py").write_text(LEGACY + GAP, encoding="utf-8")
    one = invoke(["scan", "-o", "json", "--jobs", "1", str(tmp_path)])
    two = invoke(["scan", "-o", "json", "--jobs", "2", str(tmp_path)])
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(one.stdout)["summary"]["call_sites"] == 80


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["scan", str(tmp_path / "nope.py")])
    assert result.exit_code == 2  # a typo, not a finding
    assert "no such file or directory: " in result.stderr and "nope.py" in result.stderr
