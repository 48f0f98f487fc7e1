"""A broken catalogue fails `mappings check` with exit 2 and one precise line; no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.cli import run
from migrate.resources import mappings_dir


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {file}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _line_of(folder: Path, file: str, needle: str) -> int:
    for number, line in enumerate((folder / file).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = run(["mappings", "check", str(folder)])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err + captured.out
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    return lines[0]


def test_bad_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _broken(tmp_path, "employees.yaml", "    kind: direct\n", "    kind: [direct\n")
    message = _check(folder, capsys)
    assert "employees.yaml:" in message and "invalid YAML" in message
    line = int(message.split("employees.yaml:")[1].split(":")[0])
    assert abs(line - _line_of(folder, "employees.yaml", "kind: [direct")) <= 1


def test_unknown_converter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _broken(
        tmp_path,
        "tax-codes.yaml",
        "rate: {legacy: rate, new: rate, convert: rate}",
        "rate: {legacy: rate, new: rate, convert: percentage}",
    )
    message = _check(folder, capsys)
    line = _line_of(folder, "tax-codes.yaml", "convert: percentage")
    assert f"tax-codes.yaml:{line}: TaxCode.rate: unknown converter 'percentage'" in message
    assert "known: " in message


def test_duplicate_operation_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _broken(
        tmp_path, "employees.yaml", "  - id: employees.get\n", "  - id: employees.list\n"
    )
    message = _check(folder, capsys)
    line = _line_of(folder, "employees.yaml", "summary: Get one employee") - 1
    assert f"employees.yaml:{line}: employees.list: duplicate operation id" in message
    assert "first defined at" in message


def test_path_parameter_not_in_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _broken(
        tmp_path,
        "expenses.yaml",
        "path_params: {expenseId: accountingEntryId}",
        "path_params: {expenseID: accountingEntryId}",
    )
    message = _check(folder, capsys)
    line = _line_of(folder, "expenses.yaml", "expenseID")
    assert f"expenses.yaml:{line}: expenses.get: path_params.expenseID:" in message
    assert "is not in the legacy template /v1/expenses/{expenseId}" in message


def test_path_parameter_not_in_new_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _broken(
        tmp_path,
        "expenses.yaml",
        "path_params: {expenseId: accountingEntryId}",
        "path_params: {expenseId: entryId}",
    )
    message = _check(folder, capsys)
    assert (
        "expenses.get: path_params.expenseId: path parameter 'entryId' is not in the new template"
        in message
    )


def test_enum_table_not_invertible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _broken(
        tmp_path, "expenses.yaml", "      LOAD: WALLET\n", "      LOAD: CARD_PURCHASE\n"
    )
    message = _check(folder, capsys)
    line = _line_of(folder, "expenses.yaml", "LOAD: CARD_PURCHASE")
    assert f"expenses.yaml:{line}: enum table 'ExpenseType' is not invertible" in message
    assert "'CARD' and 'LOAD' both map to 'CARD_PURCHASE'" in message


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param(
            "employees.yaml",
            "      loss: the new Employees API has no role\n",
            "",
            "Employee.role: the new API has no such field: declare what is lost with `loss:`",
            id="undeclared-loss",
        ),
        pytest.param(
            "expenses.yaml",
            "      loss: milliseconds; the new API shows whole seconds\n",
            "",
            "Expense.performedAt: converter 'timestamp-seconds' loses information",
            id="lossy-converter-without-loss",
        ),
        pytest.param(
            "employees.yaml",
            "    model: Employee\n",
            "    model: Staff\n",
            "employees.list: unknown model 'Staff'",
            id="unknown-model",
        ),
        pytest.param(
            "employees.yaml",
            "    kind: direct\n",
            "    kind: magic\n",
            "employees.list: `kind:` must be one of direct, search, merge-update, flow, gap",
            id="unknown-kind",
        ),
        pytest.param(
            "employees.yaml",
            "    scopes: [users:read]\n",
            "    scopes: [users]\n",
            "employees.list: scope 'users' is not like 'users:read'",
            id="bad-scope",
        ),
        pytest.param(
            "employees.yaml",
            "    paging: offset-to-cursor\n",
            "    pagging: offset-to-cursor\n",
            "employees.list: unknown key 'pagging' in an operation",
            id="misspelt-key",
        ),
        pytest.param(
            "employees.yaml",
            "    legacy: GET /v1/employees\n",
            "    legacy: GET /employees\n",
            "employees.list: legacy paths start with /v1/",
            id="legacy-path-without-base",
        ),
        pytest.param(
            "teams.yaml",
            "    gap: Pleo's published new-API specs have no Teams API; create",
            "    alternative: Pleo's published new-API specs have no Teams API; create",
            "teams.create: a gap needs a non-empty text 'gap'",
            id="gap-without-reason",
        ),
        pytest.param(
            "employees.yaml",
            "    firstName: {legacy: firstName, new: firstName}\n",
            "    firstName: {legacy: firstName, new: firstName}\n"
            "    firstName: {legacy: x, new: y}\n",
            "duplicate key 'firstName'",
            id="duplicate-yaml-key",
        ),
        pytest.param(
            "expenses.yaml",
            "    table: ExpenseType\n      loss: >-\n        new families",
            "    table: ExpenseKind\n      loss: >-\n        new families",
            "Expense.type: converter 'enum' needs `table:` naming an enum table; 'ExpenseKind'",
            id="unknown-enum-table",
        ),
        pytest.param(
            "accounts.yaml",
            "      default_from: accountNumber\n",
            "      default_from: number\n",
            "AccountCreate.externalId: `default_from:` names 'number'",
            id="bad-default-from",
        ),
    ],
)
def test_other_mistakes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str, expected: str
) -> None:
    message = _check(_broken(tmp_path, file, old, new), capsys)
    assert expected in message
    assert f"{file}:" in message


def test_assumption_value_outside_its_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _broken(tmp_path, "assumptions.yaml", "    value: major\n", "    value: cents\n")
    message = _check(folder, capsys)
    assert "assumptions.yaml:" in message and "'cents', which is not one of its choices" in message


def test_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "not a folder" in _check(tmp_path / "missing", capsys)


def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no *.yaml mapping files" in _check(tmp_path, capsys)


def test_json_output_reports_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _broken(
        tmp_path, "employees.yaml", "  - id: employees.get\n", "  - id: employees.list\n"
    )
    assert run(["mappings", "check", str(folder), "--output-format", "json"]) == 2
    out = capsys.readouterr().out
    assert '"ok": false' in out and "duplicate operation id" in out


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "employees.yaml", "    kind: direct\n", "    kind: [direct\n")
    result = subprocess.run(
        [sys.executable, "-m", "migrate", "mappings", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("pleo-migrate: error: ")
    assert "Traceback" not in result.stderr
