"""Shared test fixtures. Tests never reach beyond 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["migrate.simulator.testing"]

REPO = Path(__file__).resolve().parent.parent
SHARED_SPECS = REPO.parent / "shared" / "specs"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO
