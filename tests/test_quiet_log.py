"""The package logs quietly unless the application configures logging, and only the modules
that log pay for importing `logging` (the CLI's start-up does not)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )


def test_a_warning_of_the_compat_layer_is_silent_without_logging_configured() -> None:
    done = _run(
        "from migrate.compat import engine\n"
        "engine.log.warning('dropped filter types')\n"
        "print('ran')\n"
    )
    assert done.stdout.strip() == "ran" and done.stderr == ""


def test_a_configured_application_sees_the_warning() -> None:
    done = _run(
        "import logging\n"
        "logging.basicConfig(level=logging.WARNING)\n"
        "from migrate.compat import engine\n"
        "engine.log.warning('dropped filter types')\n"
    )
    assert "WARNING:migrate.compat:dropped filter types" in done.stderr


def test_the_cli_start_up_does_not_import_logging() -> None:
    done = _run(
        "import sys\n"
        "from migrate.cli import run\n"
        "assert run(['--version']) == 0\n"
        "print('logging' in sys.modules)\n"
    )
    assert done.stdout.strip().endswith("False")
