"""The wheel carries the catalogue and the specs, and works installed in a fresh venv.

No package index is reached: the wheel is installed with --no-deps, and the fresh venv borrows
the already-installed dependencies through a .pth file, placed after its own site-packages so
the installed wheel (not this checkout) is what gets imported.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("pleo_migrate-*.whl")
    return built


def test_wheel_contains_mappings_specs_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(p.name for p in (REPO / "mappings").glob("*.yaml"))
    for name in shipped:
        assert f"migrate/_bundled/mappings/{name}" in names
    assert "migrate/_bundled/specs/new/pleo-employees-api-openapi.yml" in names
    assert "migrate/_bundled/specs/legacy/RECONSTRUCTED-legacy-endpoints.json" in names
    assert "migrate/py.typed" in names
    assert "migrate/report/templates/index.html.j2" in names
    assert "migrate/report/report.schema.json" in names
    assert "migrate/codemod/scan.schema.json" in names
    assert "migrate/shadow/summary.schema.json" in names


def test_installed_wheel_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    Path(purelib, "zz_borrowed_deps.pth").write_text("\n".join(dict.fromkeys(borrowed)) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--disable-pip-version-check",
            "--target",
            purelib,
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import migrate.resources as r; print(r.__file__); print(r.mappings_dir())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    ).stdout.split()
    assert where[0].startswith(purelib), where
    assert where[1].startswith(purelib) and where[1].endswith("_bundled/mappings"), where
    listed = subprocess.run(
        [str(python), "-m", "migrate", "mappings", "list", "--output-format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert json.loads(listed.stdout)["totals"]["operations"] == 46
    checked = subprocess.run(
        [str(python), "-m", "migrate", "mappings", "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
