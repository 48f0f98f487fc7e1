"""The CLI behaves like ruff, black and pytest: -h, readable help, one error style, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.cli.lazy import COMMANDS, load
from migrate.codemod import one_file
from migrate.codemod.rules.hardcoded_credential import credential_name, looks_secret
from tests.cli_runner import invoke

REPO = Path(__file__).resolve().parents[2]
LEGACY_CALL = (
    "import requests\n"
    "\n"
    "\n"
    "def employees(path):\n"
    '    return requests.get("https://openapi.pleo.io/v1/" + path).json()\n'
)


def test_version_and_help_import_no_command_module() -> None:
    code = (
        "import sys\n"
        "from migrate.cli import run\n"
        "assert run(['--version']) == 0 and run(['-h']) == 0\n"
        "heavy = [m for m in ('libcst', 'httpx', 'jinja2', 'deepdiff', 'migrate.codemod',"
        " 'migrate.shadow', 'migrate.cli.codemod') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip().endswith("[]")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_lazy_entry_loads_its_command_and_is_listed(name: str) -> None:
    command = load(COMMANDS[name])
    assert command.name == name and command.help
    assert f"  {name}" in invoke(["-h"]).stdout
    assert invoke([name, "-h"]).exit_code == 0


@pytest.mark.parametrize(
    "args", [["-h"], ["scan", "-h"], ["mappings", "check", "-h"], ["shadow", "-h"]]
)
def test_short_help_everywhere(args: list[str]) -> None:
    result = invoke(args)
    assert result.exit_code == 0
    assert "Usage: pleo-migrate" in result.stdout
    assert "-h, --help" in result.stdout


@pytest.mark.parametrize("args", [["scan", "-h"], ["mappings", "check", "-h"], ["proxy", "-h"]])
def test_placeholders_are_readable(args: list[str]) -> None:
    text = invoke(args).stdout
    assert "<" not in text and "[[" not in text and "..." + "]..." not in text
    assert "<list[Path]>" not in text and "<str>" not in text


def test_scan_usage_line_is_conventional() -> None:
    assert "pleo-migrate scan [OPTIONS] [PATH]...\n" in invoke(["scan", "-h"]).stdout
    assert "--new-url URL" in invoke(["proxy", "-h"]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "--legacy-port", "70000"], "--legacy-port"),
        (["simulate", "--new-port", "-5"], "--new-port"),
        (["shadow", "--env", "prod"], "--env"),
        (["scna"], "did you mean scan"),
    ],
)
def test_usage_errors_have_one_style(args: list[str], message: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert result.stderr.startswith("pleo-migrate: error: ")
    assert message in result.stderr
    assert "Usage:" not in result.stderr and result.stderr.count("\n") == 1


def test_scan_of_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["scan", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr == f"pleo-migrate: error: no such file or directory: {tmp_path / 'nope'}\n"


def test_scan_summary_counts_files_with_calls(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(LEGACY_CALL, encoding="utf-8")
    (tmp_path / "b.py").write_text("print('pleo is elsewhere')\n", encoding="utf-8")
    result = invoke(["scan", str(tmp_path)])
    assert "1 legacy call site in 1 file (" in result.stderr
    assert "0 hard-coded credentials; 0 files failed" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_rewrite_diff_applies_with_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "client.py").write_text(
        'import requests\n\nrequests.get("https://openapi.pleo.io/v1/employees")\n',
        encoding="utf-8",
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    result = invoke(["rewrite", "--diff", "./pkg"])
    assert result.stdout.startswith("--- a/pkg/client.py\n+++ b/pkg/client.py\n")
    (tmp_path / "change.diff").write_text(result.stdout, encoding="utf-8")
    check = subprocess.run(
        ["git", "apply", "--check", "change.diff"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_manual_review_lines_are_those_on_disk_and_sorted(tmp_path: Path) -> None:
    text = (
        "import requests\n"
        "\n"
        "\n"
        "def later(path):\n"
        '    return requests.get("https://openapi.pleo.io/v1/" + path)\n'
        "\n"
        "\n"
        "def balance():\n"
        '    return requests.get("https://openapi.pleo.io/v1/companies/balance")\n'
    )
    (tmp_path / "m.py").write_text(text, encoding="utf-8")
    result = invoke(["rewrite", "--check", str(tmp_path)])
    review = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    lines = [int(line.split(":")[1]) for line in review]
    assert lines == sorted(lines) and lines
    for number in lines:  # each names a line that holds the legacy call, as on disk
        assert "requests.get" in text.splitlines()[number - 1]


@pytest.mark.parametrize("name", ["author_email", "AUTHORIZED", "CONSOLEAUTH", "authority"])
def test_words_that_only_contain_auth_are_not_credentials(name: str) -> None:
    assert not credential_name(name)


@pytest.mark.parametrize("name", ["auth", "AUTH_TOKEN", "oauthKey", "apiKey", "Authorization"])
def test_credential_names_still_match(name: str) -> None:
    assert credential_name(name)


def test_a_singer_style_setup_py_is_clean(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(
        "from setuptools import setup\n"
        "AUTHORIZED_SCOPES = 'Accounting-Entries-Read-Scope'\n"
        "setup(name='tap-pleo', author_email='integrations.team@stitchdata.com',\n"
        "      url='https://openapi.pleo.io/v1')\n",
        encoding="utf-8",
    )
    assert not looks_secret("integrations.team@stitchdata.com")
    result = invoke(["scan", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_a_too_deep_file_is_a_parse_failure_not_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def deep(*_args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(one_file, "analyse", deep)
    job = one_file.Job("scan", "native", (), None)
    result = one_file.process_bytes("x.py", LEGACY_CALL.encode(), job)
    assert result is not None and result.status == "failed"
    assert "internal error" not in (result.reason or "")
    assert "nested too deeply" in (result.reason or "")
