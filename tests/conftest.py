"""Shared test fixtures. Tests never reach beyond 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from migrate.demo import DemoResult, run_demo

pytest_plugins = ["migrate.simulator.testing"]

REPO = Path(__file__).resolve().parent.parent
SHARED_SPECS = REPO.parent / "shared" / "specs"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the catalogue cache of this run (and its subprocesses) out of the user's home,
    in a folder removed when the run ends (each run used to leave one behind in /tmp)."""
    folder = tempfile.mkdtemp(prefix="pleo-migrate-test-cache-")
    os.environ["XDG_CACHE_HOME"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    _absent_sniffio_fails_fast()


def _absent_sniffio_fails_fast() -> None:
    """httpcore tries `import sniffio` on every async request; it is not installed, so each try
    searched the whole of sys.path again (a fifth of the shadow acceptance runs' CPU). A None
    in sys.modules makes that import fail at once, exactly as it fails anyway."""
    try:
        import sniffio  # noqa: F401
    except ImportError:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """One run of the end-to-end demo, shared by the tests that look at its output."""
    said: list[str] = []
    result = run_demo(tmp_path_factory.mktemp("demo"), said.append)
    assert said and said[0].startswith("starting both simulated APIs")
    return result
