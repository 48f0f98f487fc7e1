"""`python -m migrate` behaves like the `pleo-migrate` console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("pleo-migrate")


def _both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    if not SCRIPT.exists():
        pytest.skip("the console script is not installed beside this interpreter")
    runs = [
        subprocess.run(
            [*command, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
        )
        for command in ([sys.executable, "-m", "migrate"], [str(SCRIPT)])
    ]
    return runs[0], runs[1]


def test_the_same_version() -> None:
    module, script = _both("--version")
    assert module.returncode == script.returncode == 0
    assert module.stdout == script.stdout
    assert module.stdout.startswith("pleo-migrate ")


@pytest.mark.parametrize("args", [("--no-such-flag",), ("scan",)], ids=["bad-flag", "no-path"])
def test_the_same_usage_error(args: tuple[str, ...]) -> None:
    module, script = _both(*args)
    assert module.returncode == script.returncode == 2
    assert module.stderr == script.stderr
    assert "Traceback" not in module.stderr
