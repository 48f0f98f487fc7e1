"""Each package is used through its face: other code imports `migrate.<package>`, and only the
names in its `__all__`. A deep import ties the caller to a module layout that may move."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import migrate

ROOT = Path(migrate.__file__).parent
PACKAGES = sorted(
    p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in ("cli",)
)


def _owner(path: Path, root: Path) -> str | None:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else None


def deep_imports(root: Path = ROOT) -> list[str]:
    """`file:line module.name` for every import that reaches past another package's face."""
    found: list[str] = []
    faces = {name: set(importlib.import_module(f"migrate.{name}").__all__) for name in PACKAGES}
    for path in sorted(root.rglob("*.py")):
        owner = _owner(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [(alias.name, None) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [(node.module, alias.name) for alias in node.names]
            else:
                continue
            for module, name in targets:
                parts = module.split(".")
                if parts[0] != "migrate" or len(parts) < 2 or parts[1] not in faces:
                    continue
                if parts[1] == owner:
                    continue
                where = f"{path.relative_to(root)}:{node.lineno}"
                if len(parts) > 2:
                    found.append(f"{where} {module}")
                elif name is not None and name not in faces[parts[1]]:
                    found.append(f"{where} {module}.{name} (not in __all__)")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_exists(package: str) -> None:
    face = importlib.import_module(f"migrate.{package}")
    assert [name for name in face.__all__ if not hasattr(face, name)] == []


def test_other_packages_import_only_through_the_faces() -> None:
    assert deep_imports() == []


def test_the_face_check_finds_a_deep_import(tmp_path: Path) -> None:
    """The check is honest: a planted deep import and an unexported name are both reported."""
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "x.py").write_text(
        "from migrate.mapping.calls import plan_call\nfrom migrate.mapping import _private\n",
        encoding="utf-8",
    )
    found = deep_imports(tmp_path)
    assert any("migrate.mapping.calls" in line for line in found)
    assert any("_private (not in __all__)" in line for line in found)
