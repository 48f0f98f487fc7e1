"""The pre-commit hooks (`.pre-commit-hooks.yaml`), run by pre-commit itself in a throw-away repo.

`pre-commit try-repo` installs this repository into a fresh hook environment, as a user's
`pre-commit install` would. So that nothing is fetched, pip runs offline and the hook
environment sees the test environment's packages through PYTHONPATH; pleo-migrate itself is
still built and installed from this repository's files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOOKS = ("pleo-migrate-scan", "pleo-migrate-rewrite-check")
LEGACY = (
    "import requests\n\n\n"
    "def employee(token: str, employee_id: str) -> dict:\n"
    '    url = f"https://openapi.pleo.io/v1/employees/{employee_id}"\n'
    '    return requests.get(url, headers={"Authorization": f"Bearer {token}"}).json()\n'
)
CLEAN = "def total(amounts: list[int]) -> int:\n    return sum(amounts)\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs this repository's git checkout"),
]
pre_commit = pytest.importorskip("pre_commit")


def _environment(home: Path) -> dict[str, str]:
    names = ("PATH", "HOME", "LANG", "PIP_FIND_LINKS", "PIP_CERT", "TMPDIR")
    environment = {name: os.environ[name] for name in names if name in os.environ}
    return environment | {
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of "off": build with hatchling from above
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _try_repo(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Every hook of this repository on the project's staged files, as at `git commit`."""
    return _run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO)], project, env)


def _verdicts(output: str) -> dict[str, str]:
    names = {"pleo-migrate scan": HOOKS[0], "pleo-migrate rewrite --check": HOOKS[1]}
    found: dict[str, str] = {}
    for line in output.splitlines():
        label, _, verdict = line.rpartition(".")
        label = label.rstrip(".")
        if label in names and verdict in ("Passed", "Failed"):
            found[names[label]] = verdict
    return found


def test_the_manifest_is_valid_for_pre_commit() -> None:
    done = _run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        REPO,
        dict(os.environ),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_hooks_pass_clean_files_and_fail_legacy_calls(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "clean.py").write_text(CLEAN)
    (project / "legacy.py").write_text(LEGACY)
    _run(["git", "init", "--quiet", "."], project, env).check_returncode()

    _run(["git", "add", "clean.py"], project, env).check_returncode()
    clean = _try_repo(project, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _verdicts(clean.stdout) == dict.fromkeys(HOOKS, "Passed")

    _run(["git", "add", "legacy.py"], project, env).check_returncode()
    legacy = _try_repo(project, env)
    assert legacy.returncode == 1, legacy.stdout + legacy.stderr
    assert _verdicts(legacy.stdout) == dict.fromkeys(HOOKS, "Failed")
    assert "legacy.py:6:" in legacy.stdout and "employees.get" in legacy.stdout
    assert "would rewrite legacy.py" in legacy.stdout
    assert "clean.py" not in legacy.stdout  # a clean file raises nothing
