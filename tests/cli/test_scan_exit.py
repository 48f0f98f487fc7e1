"""A plain `scan` process ends without tearing the interpreter down, its output whole.

`migrate.cli.main` flushes a plain scan's output and leaves with `os._exit` (freeing every
object at exit costs about as much as scanning a small tree). Its output and exit code must be
exactly those of the same scan run in-process; every other command, and a process measured by
coverage.py, exits the ordinary way (exit hooks run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import invoke

LEGACY = (
    "import requests\n\n"
    'BASE = "https://openapi.pleo.io/v1"\n\n\n'
    "def employee(employee_id):\n"
    '    return requests.get(f"{BASE}/employees/{employee_id}").json()\n'
)
HOOKED = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('exit hook ran\\n'))\n"
    "from migrate.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _tree(root: Path, files: int) -> Path:
    for number in range(files):
        folder = root / f"pkg{number % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        text = LEGACY.replace("def employee(", f"def employee{number}(")
        (folder / f"m{number}.py").write_text(text, encoding="utf-8")
    (root / "notes.md").write_text("see https://openapi.pleo.io/v1/teams\n", encoding="utf-8")
    return root


def _process(*args: str, coverage: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`main` in a child process, measured by coverage.py only with a `coverage` config."""
    env = dict(os.environ)
    for name in ("COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG"):
        env.pop(name, None)
    if coverage is not None:
        env["COVERAGE_PROCESS_START"] = str(coverage)
    return subprocess.run(
        [sys.executable, "-c", HOOKED, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("output", ["text", "json", "sarif"])
def test_a_plain_scan_process_gives_its_whole_output_and_skips_the_teardown(
    tmp_path: Path, output: str
) -> None:
    root = _tree(tmp_path / "tree", 300)  # output well beyond a pipe's buffer
    inside = invoke(["scan", "-o", output, str(root)])
    process = _process("scan", "-o", output, str(root))
    assert process.returncode == inside.exit_code == 1
    assert len(process.stdout) > 65536
    assert process.stdout == inside.stdout
    assert process.stderr == inside.stderr  # and no exit hook ran


def test_a_usage_error_of_a_plain_scan_keeps_its_exit_code(tmp_path: Path) -> None:
    process = _process("scan", str(tmp_path / "missing"))
    assert process.returncode == 2
    assert process.stderr.startswith("pleo-migrate: error: no such file or directory")
    assert "exit hook ran" not in process.stderr


@pytest.mark.parametrize(
    "args", [("--version",), ("scan", "-h"), ("mappings", "list")], ids=["version", "help", "list"]
)
def test_other_commands_exit_the_ordinary_way(args: tuple[str, ...]) -> None:
    process = _process(*args)
    assert process.returncode == 0, process.stderr
    assert process.stderr.endswith("exit hook ran\n")


def test_a_process_measured_by_coverage_exits_the_ordinary_way(tmp_path: Path) -> None:
    pytest.importorskip("coverage")
    config = tmp_path / ".coveragerc"
    config.write_text(f"[run]\ndata_file = {tmp_path / 'data'}\n", encoding="utf-8")
    process = _process("scan", str(_tree(tmp_path / "tree", 2)), coverage=config)
    assert process.returncode == 1
    assert process.stderr.endswith("exit hook ran\n")  # coverage.py's own hook ran too


def test_a_reader_that_leaves_early_ends_the_scan_quietly(tmp_path: Path) -> None:
    """`pleo-migrate scan . | head -1`: the closed pipe stops the scan with the shell's code for
    it (141), and nothing (no "internal error", no traceback) is written to stderr."""
    tree = _tree(tmp_path / "tree", 400)
    process = subprocess.Popen(
        [sys.executable, "-m", "migrate", "scan", str(tree)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 141
    assert b"employees.get" in first
    assert stderr == b""
